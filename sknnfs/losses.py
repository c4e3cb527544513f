"""The output layers and their losses, one class for each pair the book uses.

- :class:`SoftmaxCategoricalCrossentropy`: classes (chapters 9-10), fused as in
  the book, because the gradient on the softmax inputs is simply
  ``probabilities - one_hot(y)``.
- :class:`SigmoidBinaryCrossentropy`: independent binary labels (chapter 16).
- :class:`LinearMeanSquaredError`: regression (chapter 17).
- :class:`LinearMeanAbsoluteError`: regression by the book's other chapter 17
  loss, robust to outliers.
- :class:`LinearHuber`: squared error for small residuals, absolute error for
  large ones.
- :class:`ExpPoissonDeviance`: counts and rates, with a log link (fused, as the
  softmax is: the gradient on the inputs is simply ``output - y``).

Each has ``forward(inputs)`` (returns ``output``), ``calculate(y, sample_weight)``
(the mean loss, weighted if ``sample_weight`` is given) and
``backward(y, sample_weight)`` (sets ``dinputs``). Losses of several outputs are
first averaged over the outputs of each sample, as in the book.
"""

import numpy as np
from scipy.special import xlogy

from .layers import Buffers, _loop_order

__all__ = [
    "SoftmaxCategoricalCrossentropy",
    "SigmoidBinaryCrossentropy",
    "LinearMeanSquaredError",
    "LinearMeanAbsoluteError",
    "LinearHuber",
    "ExpPoissonDeviance",
]


class SoftmaxCategoricalCrossentropy:
    """Softmax activation with categorical cross-entropy loss.

    Targets are class indices (0 to n_classes - 1). Losses and gradients are
    means over the samples, weighted by ``sample_weight`` when it is given.

    Examples
    --------
    >>> import numpy as np
    >>> from sknnfs.losses import SoftmaxCategoricalCrossentropy
    >>> head = SoftmaxCategoricalCrossentropy()
    >>> probabilities = head.forward(np.array([[0.0, 0.0], [0.0, np.log(3)]]))
    >>> probabilities
    array([[0.5 , 0.5 ],
           [0.25, 0.75]])
    >>> y = np.array([0, 1])
    >>> float(head.calculate(y)), float(-np.mean(np.log([0.5, 0.75])))
    (0.4904..., 0.4904...)
    >>> head.backward(y)
    >>> head.dinputs
    array([[-0.25 ,  0.25 ],
           [ 0.125, -0.125]])
    """

    def __init__(self):
        self._buffers = Buffers()
        self._rows = np.arange(0)
        self._identity = np.eye(0)

    def forward(self, inputs):
        """Compute and return the class probabilities, ``output``."""
        output = self._buffers.get("output", inputs.shape, inputs.dtype)
        row = self._buffers.get("row", (len(inputs), 1), inputs.dtype)
        order = _loop_order(output)
        np.subtract(
            inputs, _reduce_rows(np.maximum, inputs, row), out=output, order=order
        )
        np.exp(output, out=output)
        np.divide(output, _reduce_rows(np.add, output, row), out=output, order=order)
        self.output = output
        return output

    def calculate(self, y_true, sample_weight=None):
        """Return the mean cross-entropy of ``output`` against ``y_true``."""
        correct = self.output[self._row_indices(len(y_true)), y_true]
        # Clipped on both sides, as in the book, so log(0) never occurs.
        _clip(correct, out=correct)
        log_likelihoods = np.log(correct, out=correct)
        return -_weighted_mean(log_likelihoods, sample_weight)

    def backward(self, y_true, sample_weight=None):
        """Set ``dinputs``, the gradient of the mean loss on the softmax inputs."""
        shape, dtype = self.output.shape, self.output.dtype
        self.dinputs = self._buffers.get("dinputs", shape, dtype)
        # output - one_hot(y_true): the book's numbers (a copy of output with 1
        # subtracted at [range(samples), y_true]) without fancy indexing, which
        # costs more than the two whole-array calls on small batches. The
        # one-hot rows are taken from an identity matrix in the output's dtype:
        # 2-4x faster than comparing y_true with every class, and no cast.
        one_hot = self._buffers.get("one_hot", shape, dtype)
        if self._identity.shape[0] != shape[1] or self._identity.dtype != dtype:
            self._identity = np.eye(shape[1], dtype=dtype)
        self._identity.take(y_true, axis=0, out=one_hot)
        np.subtract(self.output, one_hot, out=self.dinputs)
        _scale_by_samples(self.dinputs, sample_weight)

    def _row_indices(self, samples):
        if len(self._rows) != samples:
            self._rows = np.arange(samples)
        return self._rows


def _reduce_rows(ufunc, array, out):
    """Write ``ufunc.reduce(array, axis=1, keepdims=True)`` into ``out``; return it.

    numpy reduces along many short rows slowly: a loop down the columns, one
    call a column, is several times faster from about 48 rows for a few
    columns and 12 rows a column from 8 columns (below, numpy's one call
    costs less than the loop's calls; 10000 rows of 10 classes: 45 us
    against 430). It gives the same numbers where numpy's order is the
    loop's: for a maximum always (here up to 16 columns, where it pays), for
    a sum below 8 columns (numpy adds 8 or more entries pairwise).
    """
    rows, columns = array.shape
    looped = columns < 8 or (ufunc is np.maximum and columns <= 16)
    if not looped or columns < 2 or rows < (48 if columns < 8 else 12 * columns):
        return ufunc.reduce(array, axis=1, keepdims=True, out=out)
    column = out[:, 0]
    ufunc(array[:, 0], array[:, 1], out=column)
    for j in range(2, array.shape[1]):
        ufunc(column, array[:, j], out=column)
    return out


def _clip(probabilities, out=None):
    """Return ``np.clip(probabilities, 1e-7, 1 - 1e-7)``, in two ufunc calls."""
    clipped = np.maximum(probabilities, 1e-7, out=out)
    return np.minimum(clipped, 1 - 1e-7, out=clipped)


def _weighted_mean(sample_losses, sample_weight):
    """Return the mean of ``sample_losses`` as np.mean computes it, or weighted.

    np.mean divides the sum and casts the quotient to the sum's dtype: on
    numpy 1 a float32 sum divided by a Python int is a float64.
    """
    if sample_weight is None:
        total = np.add.reduce(sample_losses)
        return total.dtype.type(total / len(sample_losses))
    return np.add.reduce(sample_losses * sample_weight) / np.add.reduce(sample_weight)


def _scale_by_samples(dinputs, sample_weight):
    """Turn per-sample gradients into those of the (weighted) mean loss, in place."""
    if sample_weight is None:
        dinputs /= len(dinputs)
    else:
        dinputs *= sample_weight[:, np.newaxis]
        dinputs /= np.add.reduce(sample_weight)


class SigmoidBinaryCrossentropy:
    """Sigmoid outputs with binary cross-entropy: one independent label per output.

    Targets are 0/1 arrays of shape (n_samples, n_outputs). The book computes
    the sigmoid's and the loss's backward passes one after the other, and so
    does this class.

    Examples
    --------
    >>> import numpy as np
    >>> from sknnfs.losses import SigmoidBinaryCrossentropy
    >>> head = SigmoidBinaryCrossentropy()
    >>> head.forward(np.array([[0.0, np.log(3)]]))
    array([[0.5 , 0.75]])
    >>> y = np.array([[1.0, 0.0]])
    >>> float(head.calculate(y)), float(-(np.log(0.5) + np.log(0.25)) / 2)
    (1.0397..., 1.0397...)
    >>> head.backward(y)
    >>> head.dinputs  # (probability - label) / n_outputs
    array([[-0.25 ,  0.375]])
    """

    def forward(self, inputs):
        """Compute and return the label probabilities, ``output``."""
        with np.errstate(over="ignore"):  # exp(-x) = inf gives the right limit, 0
            self.output = 1 / (1 + np.exp(-inputs))
        return self.output

    def calculate(self, y_true, sample_weight=None):
        """Return the mean binary cross-entropy of ``output`` against ``y_true``."""
        clipped = _clip(self.output)
        sample_losses = -(y_true * np.log(clipped) + (1 - y_true) * np.log(1 - clipped))
        return _weighted_mean(np.mean(sample_losses, axis=-1), sample_weight)

    def backward(self, y_true, sample_weight=None):
        """Set ``dinputs``: the loss's gradient, then the sigmoid's, as in the book."""
        outputs = self.output.shape[1]
        clipped = _clip(self.output)
        dvalues = -(y_true / clipped - (1 - y_true) / (1 - clipped)) / outputs
        _scale_by_samples(dvalues, sample_weight)
        self.dinputs = dvalues * (1 - self.output) * self.output


class LinearMeanSquaredError:
    """Linear outputs with mean squared error: regression.

    The loss is the book's ``mean((y - output)**2)``, without the factor 1/2
    of MLPRegressor's ``loss_``.

    Examples
    --------
    >>> import numpy as np
    >>> from sknnfs.losses import LinearMeanSquaredError
    >>> head = LinearMeanSquaredError()
    >>> head.forward(np.array([[1.0], [2.0]]))
    array([[1.],
           [2.]])
    >>> y = np.array([[0.0], [4.0]])
    >>> float(head.calculate(y))  # (1 + 4) / 2
    2.5
    >>> head.backward(y)
    >>> head.dinputs  # -2 * (y - output) / n_samples
    array([[ 1.],
           [-2.]])
    """

    def forward(self, inputs):
        """Return the outputs: the inputs themselves."""
        self.output = inputs
        return inputs

    def calculate(self, y_true, sample_weight=None):
        """Return the mean squared error of ``output`` against ``y_true``."""
        sample_losses = np.mean((y_true - self.output) ** 2, axis=-1)
        return _weighted_mean(sample_losses, sample_weight)

    def backward(self, y_true, sample_weight=None):
        """Set ``dinputs``, the gradient of the mean loss on the outputs."""
        outputs = self.output.shape[1]
        self.dinputs = -2 * (y_true - self.output) / outputs
        _scale_by_samples(self.dinputs, sample_weight)


class LinearMeanAbsoluteError:
    """Linear outputs with mean absolute error: regression robust to outliers.

    The loss is the book's ``mean(abs(y - output))`` (chapter 17); it is
    lowest at the conditional median. The gradient on the outputs is the
    book's ``sign(y - output) / outputs / samples`` times the chain rule's
    -1, the derivative of ``y - output``: the book's printed
    ``Loss_MeanAbsoluteError.backward`` leaves that factor out, and its steps
    would climb the loss (see the regressor's user guide). ``sign(0) = 0``:
    an exact fit pulls neither way.

    Examples
    --------
    >>> import numpy as np
    >>> from sknnfs.losses import LinearMeanAbsoluteError
    >>> head = LinearMeanAbsoluteError()
    >>> _ = head.forward(np.array([[1.0], [2.0]]))
    >>> y = np.array([[0.0], [4.0]])
    >>> float(head.calculate(y))  # (1 + 2) / 2
    1.5
    >>> head.backward(y)
    >>> head.dinputs  # -sign(y - output) / n_samples
    array([[ 0.5],
           [-0.5]])
    """

    def forward(self, inputs):
        """Return the outputs: the inputs themselves."""
        self.output = inputs
        return inputs

    def calculate(self, y_true, sample_weight=None):
        """Return the mean absolute error of ``output`` against ``y_true``."""
        sample_losses = np.mean(np.abs(y_true - self.output), axis=-1)
        return _weighted_mean(sample_losses, sample_weight)

    def backward(self, y_true, sample_weight=None):
        """Set ``dinputs``, the gradient of the mean loss on the outputs."""
        outputs = self.output.shape[1]
        self.dinputs = -np.sign(y_true - self.output) / outputs
        _scale_by_samples(self.dinputs, sample_weight)


class LinearHuber:
    """Linear outputs with the Huber loss: squared error near, absolute error far.

    For a residual ``r = y - output``, ``r**2 / 2`` where ``|r| <= delta``
    and ``delta * (|r| - delta / 2)`` beyond: an outlier pulls with a force of
    at most ``delta``, where the squared error pulls with ``|r|``. Averaged
    over the outputs and the samples, as the book's losses are.

    Parameters
    ----------
    delta : float, default=1.0
        Where the loss turns from quadratic to linear, in the units of the
        targets it is given.

    Examples
    --------
    >>> import numpy as np
    >>> from sknnfs.losses import LinearHuber
    >>> head = LinearHuber(delta=1.0)
    >>> _ = head.forward(np.array([[0.5], [0.0]]))
    >>> y = np.array([[0.0], [3.0]])
    >>> float(head.calculate(y))  # (0.5**2 / 2 + (3 - 0.5)) / 2
    1.3125
    >>> head.backward(y)
    >>> head.dinputs  # -clip(y - output, -delta, delta) / n_samples
    array([[ 0.25],
           [-0.5 ]])
    """

    def __init__(self, delta=1.0):
        self.delta = delta

    def forward(self, inputs):
        """Return the outputs: the inputs themselves."""
        self.output = inputs
        return inputs

    def calculate(self, y_true, sample_weight=None):
        """Return the mean Huber loss of ``output`` against ``y_true``."""
        residuals = np.abs(y_true - self.output)
        delta = self.delta
        losses = np.where(
            residuals <= delta, 0.5 * residuals**2, delta * (residuals - 0.5 * delta)
        )
        return _weighted_mean(np.mean(losses, axis=-1), sample_weight)

    def backward(self, y_true, sample_weight=None):
        """Set ``dinputs``, the gradient of the mean loss on the outputs."""
        outputs = self.output.shape[1]
        residuals = np.clip(y_true - self.output, -self.delta, self.delta)
        self.dinputs = -residuals / outputs
        _scale_by_samples(self.dinputs, sample_weight)


class ExpPoissonDeviance:
    """Exponential outputs with the half Poisson deviance: counts and rates.

    The output is ``exp(inputs)``, always positive (a log link). The loss of
    a target ``y >= 0`` and a prediction ``mu`` is MLPRegressor's
    ``loss='poisson'``, the half Poisson deviance
    ``y * log(y / mu) - y + mu`` (0 for a perfect prediction; half of
    :func:`sklearn.metrics.mean_poisson_deviance`), averaged over the outputs
    and the samples. It is computed from the inputs ``z = log(mu)`` as
    ``y * log(y) - y * z - y + mu``, which stays finite when ``mu`` underflows
    to 0. Fused, as the softmax and its cross-entropy are: the gradient on
    the inputs is ``(mu - y) / outputs / samples``.

    Examples
    --------
    >>> import numpy as np
    >>> from sknnfs.losses import ExpPoissonDeviance
    >>> head = ExpPoissonDeviance()
    >>> head.forward(np.log(np.array([[1.0], [2.0]])))
    array([[1.],
           [2.]])
    >>> y = np.array([[1.0], [0.0]])
    >>> float(head.calculate(y))  # (0 + 2) / 2
    1.0
    >>> head.backward(y)
    >>> head.dinputs  # (mu - y) / n_samples
    array([[0.],
           [1.]])
    """

    def forward(self, inputs):
        """Compute and return the predictions, ``output = exp(inputs)``."""
        self.inputs = inputs
        self.output = self._output_of_inputs = np.exp(inputs)
        return self.output

    def calculate(self, y_true, sample_weight=None):
        """Return the mean half Poisson deviance of ``output`` against ``y_true``."""
        y, mu = y_true, self.output
        if getattr(self, "_output_of_inputs", None) is mu:
            losses = xlogy(y, y) - y * self.inputs - y + mu
        else:  # an output set from outside (held-out predictions): MLP's form
            with np.errstate(divide="ignore"):
                losses = xlogy(y, y / mu) - y + mu
        return _weighted_mean(np.mean(losses, axis=-1), sample_weight)

    def backward(self, y_true, sample_weight=None):
        """Set ``dinputs``, the gradient of the mean loss on the inputs."""
        outputs = self.output.shape[1]
        self.dinputs = (self.output - y_true) / outputs
        _scale_by_samples(self.dinputs, sample_weight)
