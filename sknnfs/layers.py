"""The book's layers: a dense layer and the hidden activations.

Each layer has ``forward(inputs)``, which sets ``output``, and, right beside it,
``backward(dvalues)``, which takes the gradient of the loss with respect to
``output`` and sets ``dinputs`` (and, for :class:`Dense`, ``dweights`` and
``dbiases``). The arithmetic is the book's, in the book's order.

For speed, the arrays a layer produces are written into buffers that it keeps
and reuses from one batch to the next: an ``output`` or ``dinputs`` array is
overwritten by the layer's next pass, so copy it to keep it. A network that
owns the arrays it passes (a dense layer's ``output``, the next layer's
``dinputs``) calls the activations' ``forward(inputs, overwrite=True)`` and
their and dropout's ``backward(dvalues, overwrite=True)``: they then compute in
those arrays, two arrays of a batch's size fewer to keep and to stream through
the cache.
"""

import numpy as np

__all__ = ["Dense", "Dropout", "ReLU", "Logistic", "Tanh", "Identity", "ACTIVATIONS"]

_NUMPY_DOT = np.dot
_BOOL = np.dtype(np.bool_)


def _dot(a, b, out):
    """Write ``a @ b`` into ``out`` and return it; ``a`` may be sparse.

    ``np.dot`` is looked up at call time because ``nnfs.init()`` replaces it
    with a float64 product rounded to float32 (the book's numbers come from
    it); that replacement does not take ``out``, so its result is copied.
    """
    if not isinstance(a, np.ndarray):  # sparse: cheaper to ask this way round
        out[...] = a @ b
    elif np.dot is _NUMPY_DOT and (
        # numpy's built-in dtypes are one object each: ``is`` answers at once
        a.dtype is b.dtype is out.dtype or a.dtype == b.dtype == out.dtype
    ):
        np.dot(a, b, out=out)
    else:
        out[...] = np.dot(a, b)
    return out


def _loop_order(array):
    """Return the ``order`` of an elementwise ufunc broadcast over ``array``.

    Against a row (biases) or one value a row (a row's maximum), numpy runs
    its loop once a row: with at most 3 columns, running it down the columns
    instead (``"F"``) is 1.5-3x faster on a few hundred rows. The same
    numbers: each entry is computed alone.
    """
    return "F" if array.shape[-1] <= 3 else "K"


def _column_sums(values, out=None):
    """Return ``np.sum(values, axis=0)`` (written into ``out`` if given).

    numpy sums the rows of a C-contiguous array of several columns one after
    the other, and so does ``einsum``, in a loop 1.3-2x faster: the same
    bits (tested). A single column is contiguous, and numpy sums it pairwise:
    that and any other layout take numpy's own reduction.
    """
    if values.ndim == 2 and values.shape[1] > 1 and values.flags.c_contiguous:
        return np.einsum("ij->j", values, out=out)
    return np.add.reduce(values, axis=0, out=out)


class Buffers:
    """Arrays reused from one batch to the next, one per name.

    A call for fewer rows than the array kept gets a view of its first rows
    (the last, smaller batch of an epoch, a short prediction); any other
    shape or dtype replaces it. So the memory kept is bounded by the largest
    batch, whatever the sequence of calls. Copies (``copy.deepcopy``,
    pickles) start empty.

    Examples
    --------
    >>> import numpy as np
    >>> from sknnfs.layers import Buffers
    >>> buffers = Buffers()
    >>> a = buffers.get("output", (2, 3), np.float64)
    >>> a is buffers.get("output", (2, 3), np.float64)
    True
    >>> buffers.get("output", (1, 3), np.float64).base is a
    True
    """

    def __init__(self):
        self._arrays = {}

    def __reduce__(self):
        return type(self), ()  # scratch, not state: copies and pickles start empty

    def get(self, name, shape, dtype, make=np.empty):
        """Return the array kept for ``name``, of ``shape`` and ``dtype``.

        A new one is made by ``make(shape, dtype)``: uninitialised by default.
        """
        array = self._arrays.get(name)
        if array is not None:
            # ``is`` first: numpy's built-in dtypes are one object each, and
            # this call is made a dozen times a batch
            if array.shape == shape and (array.dtype is dtype or array.dtype == dtype):
                return array
            if (
                array.dtype == dtype
                and array.shape[1:] == shape[1:]
                and array.shape[0] > shape[0]
            ):
                return array[: shape[0]]  # C-contiguous, as np.dot's out needs
        array = self._arrays[name] = make(shape, dtype)
        return array

    def get_several(self, name, count, shape, dtype):
        """Return a list of ``count`` arrays kept for ``name``, all of one shape.

        Uninitialised; new ones replace them if the shape or dtype differs.
        """
        arrays = self._arrays.get(name)
        if (
            arrays is None
            or len(arrays) != count
            or not count
            or arrays[0].shape != shape
            or (arrays[0].dtype is not dtype and arrays[0].dtype != dtype)
        ):
            arrays = self._arrays[name] = [np.empty(shape, dtype) for _ in range(count)]
        return arrays


class Dense:
    """Fully connected layer: ``output = inputs @ weights + biases``.

    Parameters
    ----------
    weights : ndarray of shape (n_inputs, n_neurons)
        Used, and updated by optimizers, in place: not copied.
    biases : ndarray of shape (n_neurons,)
        Used in place, like ``weights``.
    dweights, dbiases : ndarray, default=None
        Arrays that ``backward`` writes the gradients into (so that a network
        can lay them out as it likes); new arrays if None.
    weight_regularizer_l1, weight_regularizer_l2 : float, default=0.0
        The book's L1 and L2 penalties on the weights (chapter 14): they add
        ``l1 * sum(|weights|)`` and ``l2 * sum(weights**2)`` to the loss, see
        :meth:`regularization_loss`, and their gradients in ``backward``.
    bias_regularizer_l1, bias_regularizer_l2 : float, default=0.0
        The same on the biases.

    Examples
    --------
    >>> import numpy as np
    >>> from sknnfs.layers import Dense
    >>> dense = Dense(np.array([[1.0, 2.0], [3.0, 4.0]]), np.array([0.5, -0.5]))
    >>> dense.forward(np.array([[1.0, 1.0]]))
    >>> dense.output
    array([[4.5, 5.5]])
    >>> dense.backward(np.array([[1.0, 0.0]]))
    >>> dense.dweights, dense.dbiases, dense.dinputs
    (array([[1., 0.],
           [1., 0.]]), array([1., 0.]), array([[1., 3.]]))
    """

    def __init__(
        self,
        weights,
        biases,
        dweights=None,
        dbiases=None,
        weight_regularizer_l1=0.0,
        weight_regularizer_l2=0.0,
        bias_regularizer_l1=0.0,
        bias_regularizer_l2=0.0,
    ):
        self.weights = weights
        self.biases = biases
        self.dweights = np.zeros_like(weights) if dweights is None else dweights
        self.dbiases = np.zeros_like(biases) if dbiases is None else dbiases
        self.weight_regularizer_l1 = weight_regularizer_l1
        self.weight_regularizer_l2 = weight_regularizer_l2
        self.bias_regularizer_l1 = bias_regularizer_l1
        self.bias_regularizer_l2 = bias_regularizer_l2
        self._buffers = Buffers()

    def forward(self, inputs):
        """Remember ``inputs`` and compute ``output``; ``inputs`` may be sparse."""
        self.inputs, weights = inputs, self.weights
        shape = (inputs.shape[0], weights.shape[1])
        output = _dot(
            inputs, weights, self._buffers.get("output", shape, weights.dtype)
        )
        np.add(output, self.biases, out=output, order=_loop_order(output))
        self.output = output

    def backward(self, dvalues, need_dinputs=True):
        """Set ``dweights``, ``dbiases`` and, if ``need_dinputs``, ``dinputs``.

        ``dvalues`` wider than the parameters (float64 under a dropout layer
        of the book's precision) give a bias gradient of their precision in
        ``wide_dbiases`` (else None), as numpy's ``np.sum`` gives the book's.
        """
        inputs, dbiases = self.inputs, self.dbiases
        _dot(inputs.T, dvalues, self.dweights)
        if dvalues.dtype.itemsize > dbiases.dtype.itemsize:
            self.wide_dbiases = _column_sums(dvalues)
        else:
            self.wide_dbiases = None
            _column_sums(dvalues, out=dbiases)
        if self.regularized:
            self._add_regularization_gradients()
        if need_dinputs:
            weights = self.weights
            dinputs = self._buffers.get("dinputs", inputs.shape, weights.dtype)
            self.dinputs = _dot(dvalues, weights.T, dinputs)

    @property
    def regularized(self):
        """Whether any of the book's penalties is on."""
        return (
            self.weight_regularizer_l1 > 0
            or self.weight_regularizer_l2 > 0
            or self.bias_regularizer_l1 > 0
            or self.bias_regularizer_l2 > 0
        )

    def regularization_loss(self):
        """Return the book's L1 and L2 penalties of this layer's parameters."""
        loss = 0
        for params, l1, l2 in self._regularizers():
            if l1 > 0:
                loss += l1 * np.sum(np.abs(params))
            if l2 > 0:
                loss += l2 * np.sum(params * params)
        return loss

    def _add_regularization_gradients(self):
        wide = getattr(self, "wide_dbiases", None)
        grads = (self.dweights, self.dbiases if wide is None else wide)
        for (params, l1, l2), grad in zip(self._regularizers(), grads):
            if l1 > 0:
                dl1 = np.ones_like(params)
                dl1[params < 0] = -1
                grad += l1 * dl1
            if l2 > 0:
                grad += 2 * l2 * params

    def _regularizers(self):
        return (
            (self.weights, self.weight_regularizer_l1, self.weight_regularizer_l2),
            (self.biases, self.bias_regularizer_l1, self.bias_regularizer_l2),
        )


class Dropout:
    """Inverted dropout (the book's chapter 15), for training only.

    Each forward pass zeroes a fraction ``rate`` of the inputs at random and
    scales the others by ``1 / (1 - rate)``, so that the expected output equals
    the input; a network leaves the layer out when it predicts.

    Parameters
    ----------
    rate : float
        Fraction of inputs dropped, in ``[0, 1)``.
    random_state : numpy.random.RandomState
        Draws the masks.
    book_precision : bool, default=False
        Keep the mask float64, as the book's ``np.random.binomial(1, 1 -
        rate, size) / (1 - rate)`` is: float32 inputs then give float64
        outputs and gradients below the layer, as in the book's chapter 15
        code. False casts the mask to the inputs' dtype (float32 data stays
        float32).

    Examples
    --------
    >>> import numpy as np
    >>> from sknnfs.layers import Dropout
    >>> dropout = Dropout(0.5, np.random.RandomState(0))
    >>> dropout.forward(np.ones((1, 6)))
    >>> dropout.output  # the kept half doubled
    array([[2., 2., 2., 2., 0., 2.]])
    >>> dropout.backward(np.ones((1, 6)))
    >>> dropout.dinputs
    array([[2., 2., 2., 2., 0., 2.]])
    """

    def __init__(self, rate, random_state, book_precision=False):
        self.rate = rate
        self.random_state = random_state
        self.book_precision = book_precision

    def forward(self, inputs):
        """Compute ``output`` with a fresh random mask."""
        keep = 1 - self.rate
        mask = self.random_state.binomial(1, keep, size=inputs.shape) / keep
        if not self.book_precision:
            mask = mask.astype(inputs.dtype, copy=False)
        self.binary_mask = mask
        self.output = inputs * self.binary_mask

    def backward(self, dvalues, overwrite=False):
        """Pass the gradient through the kept inputs, scaled as they were.

        With ``overwrite``, computed in ``dvalues`` if the mask's precision
        allows (a float64 mask widens float32 gradients: a new array).
        """
        mask = self.binary_mask
        if overwrite and np.result_type(dvalues, mask) == dvalues.dtype:
            self.dinputs = np.multiply(dvalues, mask, out=dvalues)
        else:
            self.dinputs = dvalues * mask


class ReLU:
    """Rectified linear unit: ``output = max(0, inputs)``.

    Examples
    --------
    >>> import numpy as np
    >>> from sknnfs.layers import ReLU
    >>> relu = ReLU()
    >>> relu.forward(np.array([[-1.0, 2.0]]))
    >>> relu.backward(np.array([[5.0, 5.0]]))
    >>> relu.output, relu.dinputs
    (array([[0., 2.]]), array([[0., 5.]]))
    """

    def __init__(self):
        self._buffers = Buffers()

    def forward(self, inputs, overwrite=False):
        """Compute ``output`` (with ``overwrite``, in ``inputs``)."""
        output = (
            inputs
            if overwrite
            else self._buffers.get("output", inputs.shape, inputs.dtype)
        )
        # numpy's maximum against a scalar takes a loop 2-4x slower than
        # against an array of zeros; both give the book's bits, -0.0 and nan too
        zeros = self._buffers.get("zeros", inputs.shape, inputs.dtype, np.zeros)
        self.output = np.maximum(zeros, inputs, out=output)

    def backward(self, dvalues, overwrite=False):
        """Pass the gradient where the input was positive, zero elsewhere.

        With ``overwrite``, computed in ``dvalues``.
        """
        # The output is positive exactly where the input was (nan is neither),
        # so the mask needs no copy of the inputs. A multiplication by it:
        # unlike masked assignment it does not branch on every entry. (A
        # zeroed negative gradient becomes -0.0.)
        positive = self._buffers.get("mask", self.output.shape, _BOOL)
        np.greater(self.output, 0, out=positive)
        dinputs = (
            dvalues
            if overwrite
            else self._buffers.get("dinputs", dvalues.shape, dvalues.dtype)
        )
        self.dinputs = np.multiply(dvalues, positive, out=dinputs)


class Logistic:
    """Sigmoid: ``output = 1 / (1 + exp(-inputs))``.

    Examples
    --------
    >>> import numpy as np
    >>> from sknnfs.layers import Logistic
    >>> sigmoid = Logistic()
    >>> sigmoid.forward(np.array([[0.0]]))
    >>> sigmoid.backward(np.array([[1.0]]))
    >>> sigmoid.output, sigmoid.dinputs
    (array([[0.5]]), array([[0.25]]))
    """

    def forward(self, inputs, overwrite=False):
        """Compute ``output`` (with ``overwrite``, in ``inputs``)."""
        output = np.negative(inputs, out=inputs if overwrite else None)
        with np.errstate(over="ignore"):  # exp(-x) = inf gives the right limit, 0
            np.exp(output, out=output)
        output += 1
        self.output = np.divide(1, output, out=output)  # 1 / (1 + exp(-inputs))

    def backward(self, dvalues, overwrite=False):
        """Multiply by the derivative ``output * (1 - output)``.

        With ``overwrite``, computed in ``dvalues``.
        """
        out = dvalues if overwrite else None
        self.dinputs = np.multiply(dvalues, 1 - self.output, out=out)
        self.dinputs *= self.output


class Tanh:
    """Hyperbolic tangent: ``output = tanh(inputs)``.

    Examples
    --------
    >>> import numpy as np
    >>> from sknnfs.layers import Tanh
    >>> tanh = Tanh()
    >>> tanh.forward(np.array([[0.0]]))
    >>> tanh.backward(np.array([[2.0]]))
    >>> tanh.output, tanh.dinputs
    (array([[0.]]), array([[2.]]))
    """

    def forward(self, inputs, overwrite=False):
        """Compute ``output`` (with ``overwrite``, in ``inputs``)."""
        self.output = np.tanh(inputs, out=inputs if overwrite else None)

    def backward(self, dvalues, overwrite=False):
        """Multiply by the derivative ``1 - output**2``.

        With ``overwrite``, computed in ``dvalues``.
        """
        out = dvalues if overwrite else None
        self.dinputs = np.multiply(dvalues, 1 - self.output**2, out=out)


class Identity:
    """No activation: ``output = inputs``.

    Examples
    --------
    >>> import numpy as np
    >>> from sknnfs.layers import Identity
    >>> identity = Identity()
    >>> identity.forward(np.array([[-3.0]]))
    >>> identity.output
    array([[-3.]])
    """

    def forward(self, inputs, overwrite=False):
        """Pass ``inputs`` through (the same array, whatever ``overwrite``)."""
        self.output = inputs

    def backward(self, dvalues, overwrite=False):
        """Pass ``dvalues`` through (the same array, whatever ``overwrite``)."""
        self.dinputs = dvalues


#: Hidden activations by the names MLPClassifier uses for them.
ACTIVATIONS = {"relu": ReLU, "logistic": Logistic, "tanh": Tanh, "identity": Identity}
