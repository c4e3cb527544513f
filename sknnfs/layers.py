"""The book's layers: a dense layer and the hidden activations.

Each layer has ``forward(inputs)``, which sets ``output``, and, right beside it,
``backward(dvalues)``, which takes the gradient of the loss with respect to
``output`` and sets ``dinputs`` (and, for :class:`Dense`, ``dweights`` and
``dbiases``). The arithmetic is the book's, in the book's order.
"""

import numpy as np
from scipy import sparse

__all__ = ["Dense", "ReLU", "Logistic", "Tanh", "Identity", "ACTIVATIONS"]


def _dot(a, b):
    # Looked up at call time, so that nnfs.init()'s float64 np.dot applies.
    if sparse.issparse(a):
        return a @ b
    return np.dot(a, b)


class Dense:
    """Fully connected layer: ``output = inputs @ weights + biases``.

    Parameters
    ----------
    weights : ndarray of shape (n_inputs, n_neurons)
        Used, and updated by optimizers, in place: not copied.
    biases : ndarray of shape (n_neurons,)
        Used in place, like ``weights``.

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

    def __init__(self, weights, biases):
        self.weights = weights
        self.biases = biases

    def forward(self, inputs):
        """Remember ``inputs`` and compute ``output``; ``inputs`` may be sparse."""
        self.inputs = inputs
        self.output = _dot(inputs, self.weights) + self.biases

    def backward(self, dvalues, need_dinputs=True):
        """Set ``dweights``, ``dbiases`` and, if ``need_dinputs``, ``dinputs``."""
        self.dweights = _dot(self.inputs.T, dvalues)
        self.dbiases = np.sum(dvalues, axis=0)
        if need_dinputs:
            self.dinputs = np.dot(dvalues, self.weights.T)


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

    def forward(self, inputs):
        """Compute ``output``."""
        self.inputs = inputs
        self.output = np.maximum(0, inputs)

    def backward(self, dvalues):
        """Pass the gradient where the input was positive, zero elsewhere."""
        self.dinputs = np.where(self.inputs > 0, dvalues, 0)


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

    def forward(self, inputs):
        """Compute ``output``."""
        with np.errstate(over="ignore"):  # exp(-x) = inf gives the right limit, 0
            self.output = 1 / (1 + np.exp(-inputs))

    def backward(self, dvalues):
        """Multiply by the derivative ``output * (1 - output)``."""
        self.dinputs = dvalues * (1 - self.output) * self.output


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

    def forward(self, inputs):
        """Compute ``output``."""
        self.output = np.tanh(inputs)

    def backward(self, dvalues):
        """Multiply by the derivative ``1 - output**2``."""
        self.dinputs = dvalues * (1 - self.output**2)


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

    def forward(self, inputs):
        """Pass ``inputs`` through."""
        self.output = inputs

    def backward(self, dvalues):
        """Pass ``dvalues`` through."""
        self.dinputs = dvalues


#: Hidden activations by the names MLPClassifier uses for them.
ACTIVATIONS = {"relu": ReLU, "logistic": Logistic, "tanh": Tanh, "identity": Identity}
