"""The stack of layers: forward, backward and one training step.

The network knows nothing of scikit-learn: it holds dense layers with hidden
activations (and optionally dropout) between them, ending in an output layer
with its loss, and trains on whatever arrays it is given.
"""

import functools
import inspect
import threading

import numpy as np

from .layers import ACTIVATIONS, Buffers, Dense, Dropout
from .losses import (
    ExpPoissonDeviance,
    LinearMeanSquaredError,
    SigmoidBinaryCrossentropy,
    SoftmaxCategoricalCrossentropy,
)

#: Output layers with their losses, by the names of MLPClassifier's out_activation_.
OUTPUT_LAYERS = {
    "softmax": SoftmaxCategoricalCrossentropy,
    "logistic": SigmoidBinaryCrossentropy,
    "identity": LinearMeanSquaredError,
    "exp": ExpPoissonDeviance,
}

__all__ = ["Network", "Predictor", "initial_params"]


@functools.cache
def _takes_overwrite(update_params):
    """Whether an optimizer's ``update_params`` takes ``overwrite`` by name.

    Its own signature, not that of a function it wraps: a wrapper that
    passes on only ``(params, grads)`` is called so.
    """
    try:
        signature = inspect.signature(update_params, follow_wrapped=False)
    except (TypeError, ValueError):  # a callable without a signature
        return False
    return "overwrite" in signature.parameters


def _views(flat, shapes):
    """Split ``flat`` into consecutive views of the given shapes."""
    views, start = [], 0
    for shape in shapes:
        size = int(np.prod(shape))
        views.append(flat[start : start + size].reshape(shape))
        start += size
    return views


class Network:
    """Dense layers with a hidden activation, ending in an output layer and its loss.

    The network trains its own copy of the parameters, kept in one flat array
    (all weights, then all biases) that the layers see through views; their
    gradients are laid out the same way in a second flat array. An optimizer
    whose rule is elementwise (``elementwise = True``, as for all of
    :mod:`sknnfs.optimizers`) is given those two arrays, and so updates every
    parameter in a few array operations; any other optimizer is given the
    per-layer lists ``params`` and ``grads``.

    Parameters
    ----------
    coefs : list of ndarray
        Initial weight matrix of each dense layer (copied).
    intercepts : list of ndarray
        Initial bias vector of each dense layer (copied).
    activation : {'relu', 'logistic', 'tanh', 'identity'}, default='relu'
        Activation after every dense layer but the last.
    output : {'softmax', 'logistic', 'identity', 'exp'} or object, default='softmax'
        The output layer and loss: softmax with categorical cross-entropy
        (targets are class indices), sigmoid with binary cross-entropy,
        linear with mean squared error or exponential with the Poisson
        deviance (targets of shape (n_samples, n_outputs)), or an output
        layer object of :mod:`sknnfs.losses`.
    alpha : float, default=0.0
        L2 penalty on the weights, with MLPClassifier's meaning: adds
        ``0.5 * alpha * sum(weights**2) / n_samples`` to the batch loss.
    regularizers : list of dict, default=None
        The book's penalties of each dense layer, as keyword arguments of
        :class:`~sknnfs.layers.Dense` (``weight_regularizer_l2=5e-4``, ...).
    dropout : list of float, default=None
        Dropout rate after each hidden layer's activation (0 for none).
    random_state : numpy.random.RandomState, default=None
        Draws the dropout masks; needed only with dropout.
    book_dropout : bool, default=False
        Dropout in the book's precision (float64 masks, see
        :class:`~sknnfs.layers.Dropout`): with parameters narrower than
        float64, the layers under a dropout layer then get float64 bias
        gradients, stepped by the optimizer in float64, and so the optimizer
        steps such parameters array by array rather than on the one flat
        array, whatever the rates (so that its state keeps one layout when a
        warm start changes them).

    Attributes
    ----------
    params : list of ndarray
        ``[weights_1, biases_1, weights_2, biases_2, ...]``, views of
        ``flat_params``.
    grads : list of ndarray
        The gradients of the last backward pass, in the order of ``params``.
        An optimizer whose ``update_params`` takes ``overwrite`` (those of
        :mod:`sknnfs.optimizers` do) computes its step in them: after
        :meth:`train_step` they hold a part of the step.

    Examples
    --------
    >>> import numpy as np
    >>> from sknnfs.network import Network
    >>> from sknnfs.optimizers import SGD
    >>> rng = np.random.RandomState(0)
    >>> coefs = [0.01 * rng.randn(2, 8), 0.01 * rng.randn(8, 2)]
    >>> net = Network(coefs, [np.zeros(8), np.zeros(2)])
    >>> X, y = np.array([[-1.0, 0.0], [1.0, 0.0]]), np.array([0, 1])
    >>> losses = [float(net.train_step(X, y, SGD(1.0))[0]) for _ in range(100)]
    >>> losses[0] > 0.69 > 0.1 > losses[-1]
    True
    >>> net.forward(X).argmax(axis=1)
    array([0, 1])
    """

    def __init__(
        self,
        coefs,
        intercepts,
        activation="relu",
        output="softmax",
        alpha=0.0,
        regularizers=None,
        dropout=None,
        random_state=None,
        book_dropout=False,
    ):
        arrays = [*coefs, *intercepts]
        shapes = [a.shape for a in arrays]
        self.flat_params = np.concatenate([a.ravel() for a in arrays])
        self.flat_grads = np.zeros_like(self.flat_params)
        params, grads = (
            _views(self.flat_params, shapes),
            _views(self.flat_grads, shapes),
        )
        n = len(coefs)
        self.book_dropout = book_dropout
        regularizers = regularizers or [{}] * n
        dropout = dropout or [0.0] * (n - 1)
        self.dense_layers = [
            Dense(params[i], params[n + i], grads[i], grads[n + i], **regularizers[i])
            for i in range(n)
        ]
        self.layers = [self.dense_layers[0]]
        for rate, dense in zip(dropout, self.dense_layers[1:]):
            self.layers.append(ACTIVATIONS[activation]())
            if rate:
                self.layers.append(Dropout(rate, random_state, book_dropout))
            self.layers.append(dense)
        self._regularized_layers = [d for d in self.dense_layers if d.regularized]
        self.output_layer = (
            OUTPUT_LAYERS[output]() if isinstance(output, str) else output
        )
        self.alpha = alpha
        self._n_weights = sum(c.size for c in coefs)
        self.params = [p for d in self.dense_layers for p in (d.weights, d.biases)]
        self.grads = [g for d in self.dense_layers for g in (d.dweights, d.dbiases)]
        self._array_by_array = book_dropout and self.flat_params.dtype.itemsize < 8
        self.activation, self.output = activation, output

    @property
    def coefs(self):
        """The weight matrices, as MLPClassifier's ``coefs_``."""
        return self.params[::2]

    @property
    def intercepts(self):
        """The bias vectors, as MLPClassifier's ``intercepts_``."""
        return self.params[1::2]

    def forward(self, X, training=False):
        """Return the network's output for ``X`` (overwritten by the next call).

        Dropout layers take part only when ``training``.
        """
        return self.output_layer.forward(self.logits(X, training))

    def logits(self, X, training=False):
        """Return the last dense layer's output for ``X``: the output layer's inputs."""
        output = X
        for layer in self.layers:
            if type(layer) is Dense:
                layer.forward(output)
            elif type(layer) is not Dropout:  # an activation, on a dense layer's
                layer.forward(output, overwrite=True)  # output: computed in it
            elif training:
                layer.forward(output)
            else:
                continue
            output = layer.output
        return output

    def backward(self, y, sample_weight=None):
        """Compute every layer's gradients from the last forward pass.

        The activations and dropout compute their gradients in the arrays
        they are given (``overwrite``), as the activations compute their
        outputs: a dense layer's ``output`` and ``dinputs`` then hold the
        values of the activation next to it.
        """
        self.output_layer.backward(y, sample_weight)
        dvalues = self.output_layer.dinputs
        for layer in reversed(self.layers[1:]):
            if type(layer) is Dense:
                layer.backward(dvalues)
            else:  # dvalues: a layer's dinputs, overwritten by the next pass anyway
                layer.backward(dvalues, overwrite=True)
            dvalues = layer.dinputs
        self.layers[0].backward(dvalues, need_dinputs=False)

    def loss(self, y, sample_weight=None):
        """Return the data loss of the last forward pass and the penalties.

        The penalties are the book's regularization loss of every layer, plus
        ``alpha``'s L2 term; the book's total loss is their sum.
        """
        data_loss = self.output_layer.calculate(y, sample_weight)
        regularization_loss = 0
        for dense in self._regularized_layers:
            regularization_loss += dense.regularization_loss()
        if self.alpha:
            weights = self.flat_params[: self._n_weights]
            regularization_loss += (
                0.5
                * self.alpha
                * np.dot(weights, weights)
                / (self._total_weight(y, sample_weight))
            )
        return data_loss, regularization_loss

    def train_step(self, X, y, optimizer, sample_weight=None):
        """Forward, backward and one optimizer step; return the batch's losses.

        Returns ``(data_loss, regularization_loss)`` of the parameters before
        the step, as in the book's loop; ``output_layer.output`` keeps that
        forward pass's output.
        """
        self.forward(X, training=True)
        losses = self.loss(y, sample_weight)
        self.backward(y, sample_weight)
        if self.alpha:
            scale = self.alpha / self._total_weight(y, sample_weight)
            weight_grads = self.flat_grads[: self._n_weights]
            weight_grads += scale * self.flat_params[: self._n_weights]
        optimizer.pre_update_params()
        params, grads = self._step_arrays(optimizer)
        if _takes_overwrite(getattr(type(optimizer), "update_params", None)):
            # the next backward pass computes the gradients anew: the step
            # may compute in them
            optimizer.update_params(params, grads, overwrite=True)
        else:
            optimizer.update_params(params, grads)
        optimizer.post_update_params()
        return losses

    def _step_arrays(self, optimizer):
        """Return the ``params`` and ``grads`` lists that ``optimizer`` steps."""
        if self._array_by_array:  # float64 bias gradients as given, if any
            grads = [
                g
                for d in self.dense_layers
                for g in (
                    d.dweights,
                    d.dbiases if d.wide_dbiases is None else d.wide_dbiases,
                )
            ]
            return self.params, grads
        if getattr(optimizer, "elementwise", False):
            return [self.flat_params], [self.flat_grads]
        return self.params, self.grads

    def predict(self, X, chunk_rows=10_000, logits=False):
        """Return the output for ``X`` (or the logits), ``chunk_rows`` rows at a time.

        The memory of the layers' arrays is bounded by the chunk; the result
        is a new array, of the same bits as one pass over all the rows.
        """
        forward = self.logits if logits else self.forward
        if X.shape[0] <= chunk_rows:  # one chunk (one row, say): no loop
            return forward(X).copy()
        outputs = None
        for start in range(0, X.shape[0], chunk_rows):
            rows = slice(start, start + chunk_rows)
            output = forward(X[rows])  # a buffer the next chunk overwrites
            if outputs is None:
                outputs = np.empty((X.shape[0], output.shape[1]), output.dtype)
            outputs[rows] = output
        return outputs

    def for_predicting(self, coefs=None, intercepts=None):
        """Keep only what predicting needs; return the network, which cannot train.

        The gradients, the layers' buffers and their references to the last
        batch are dropped, and so are the dropout layers. Given ``coefs`` and
        ``intercepts``, the network predicts with those arrays themselves
        (not copies), so that changes made to them in place are seen.
        """
        if coefs is not None:
            for dense, weights, biases in zip(self.dense_layers, coefs, intercepts):
                dense.weights, dense.biases = weights, biases
            self.params = [*sum(zip(coefs, intercepts), ())]
        self.flat_params = self.flat_grads = None
        self.grads = []
        self.layers = [layer for layer in self.layers if not isinstance(layer, Dropout)]
        for dense in self.dense_layers:
            dense.dweights = dense.dbiases = None
        self.release_buffers()
        return self

    def release_buffers(self):
        """Forget the layers' buffers and the inputs they were last given."""
        for layer in [*self.layers, self.output_layer]:
            for name in ("inputs", "output", "dinputs"):
                layer.__dict__.pop(name, None)
            if hasattr(layer, "_buffers"):
                layer._buffers = Buffers()

    @staticmethod
    def _total_weight(y, sample_weight):
        return len(y) if sample_weight is None else np.add.reduce(sample_weight)


class Predictor:
    """A fitted network kept to predict with, so that no call rebuilds it.

    The layers write into buffers that they keep, so one caller at a time
    uses the kept network: a call made while another runs (from another
    thread) builds a network of its own. After a call of more than
    ``keep_rows`` rows the buffers are released, so that the memory kept
    between calls stays that of a few rows.

    Parameters
    ----------
    network : Network
        The network, :meth:`Network.for_predicting`.
    keep_rows : int, default=256
        The largest call whose buffers are kept for the next one.

    Examples
    --------
    >>> import numpy as np
    >>> from sknnfs.network import Network, Predictor
    >>> coefs, intercepts = [np.eye(2)], [np.zeros(2)]
    >>> predictor = Predictor(Network(coefs, intercepts).for_predicting(
    ...     coefs, intercepts))
    >>> predictor.predict(np.array([[2.0, 0.0]]), chunk_rows=100).round(3)
    array([[0.881, 0.119]])
    >>> predictor.uses(coefs, intercepts, "relu", "softmax")
    True
    """

    def __init__(self, network, keep_rows=256):
        self.network = network
        self.keep_rows = keep_rows
        self._lock = threading.Lock()

    def uses(self, coefs, intercepts, activation, output):
        """Whether the network predicts with these very arrays and functions."""
        network = self.network
        return (
            activation == network.activation
            and output == network.output
            and len(coefs) == len(network.dense_layers)
            and all(
                dense.weights is weights and dense.biases is biases
                for dense, weights, biases in zip(
                    network.dense_layers, coefs, intercepts
                )
            )
        )

    def predict(self, X, chunk_rows, logits=False):
        """Return the output for ``X`` (or the logits), as :meth:`Network.predict`."""
        if not self._lock.acquire(blocking=False):  # another thread predicts
            network = self.network
            coefs, intercepts = network.coefs, network.intercepts
            own = Network(coefs, intercepts, network.activation, network.output)
            return own.predict(X, chunk_rows, logits)
        try:
            return self.network.predict(X, chunk_rows, logits)
        finally:
            if X.shape[0] > self.keep_rows:
                self.network.release_buffers()
            else:  # small buffers kept; not the reference to the caller's X
                for layer in self.network.layers:
                    layer.__dict__.pop("inputs", None)
            self._lock.release()


def initial_params(layer_sizes, init, activation, dtype, rng):
    """Draw the initial weights and biases of the dense layers.

    Parameters
    ----------
    layer_sizes : list of int
        Inputs, then the size of each layer.
    init : {'glorot', 'he', 'nnfs'} or float
        MLPClassifier's Glorot uniform (biases drawn alike), He normal, or
        the book's ``scale * randn(n_inputs, n_neurons)`` (``'nnfs'``: 0.01),
        layer by layer; all but Glorot start the biases at zero.
    activation : str
        The hidden activation (Glorot's bound is wider for ``'logistic'``).
    dtype : dtype
        The dtype of the arrays.
    rng : numpy.random.RandomState
        Draws the weights.

    Returns
    -------
    coefs, intercepts : list of ndarray
        The weight matrix and the bias vector of each layer.

    Examples
    --------
    >>> import numpy as np
    >>> from sknnfs.network import initial_params
    >>> coefs, intercepts = initial_params(
    ...     [2, 3, 1], "nnfs", "relu", np.float64, np.random.RandomState(0))
    >>> [c.shape for c in coefs], intercepts[0]
    ([(2, 3), (3, 1)], array([0., 0., 0.]))
    """
    coefs, intercepts = [], []
    for n_in, n_out in zip(layer_sizes[:-1], layer_sizes[1:]):
        biases = np.zeros(n_out, dtype=dtype)  # the book's, for all but glorot
        if not isinstance(init, str) or init == "nnfs":
            # The book's scale * randn (0.01; 0.1 in its chapter 17), drawn
            # as float64 and then cast, as nnfs.init()'s float32
            # np.random.randn does; a Python float scale keeps float32.
            scale = 0.01 if init == "nnfs" else float(init)
            weights = scale * rng.standard_normal((n_in, n_out)).astype(dtype)
        elif init == "he":
            weights = rng.standard_normal((n_in, n_out)) * np.sqrt(2 / n_in)
        else:  # Glorot, with MLPClassifier's factor
            factor = 2.0 if activation == "logistic" else 6.0
            bound = np.sqrt(factor / (n_in + n_out))
            weights = rng.uniform(-bound, bound, (n_in, n_out))
            biases = rng.uniform(-bound, bound, n_out)  # as MLPClassifier's
        coefs.append(weights.astype(dtype, copy=False))
        intercepts.append(biases.astype(dtype, copy=False))
    return coefs, intercepts
