"""The stack of layers: forward, backward and one training step.

The network knows nothing of scikit-learn: it holds dense layers with hidden
activations between them, ending in softmax with cross-entropy, and trains on
whatever arrays it is given.
"""

import numpy as np

from .layers import ACTIVATIONS, Dense
from .losses import SoftmaxCategoricalCrossentropy

__all__ = ["Network"]


class Network:
    """Dense layers with a hidden activation, and a softmax cross-entropy output.

    Parameters
    ----------
    coefs : list of ndarray
        Weight matrix of each dense layer, used (and trained) in place.
    intercepts : list of ndarray
        Bias vector of each dense layer, used (and trained) in place.
    activation : {'relu', 'logistic', 'tanh', 'identity'}, default='relu'
        Activation after every dense layer but the last.
    alpha : float, default=0.0
        L2 penalty on the weights, with MLPClassifier's meaning: adds
        ``0.5 * alpha * sum(weights**2) / n_samples`` to the batch loss.

    Examples
    --------
    >>> import numpy as np
    >>> from sknnfs.network import Network
    >>> from sknnfs.optimizers import SGD
    >>> rng = np.random.RandomState(0)
    >>> coefs = [0.01 * rng.randn(2, 8), 0.01 * rng.randn(8, 2)]
    >>> net = Network(coefs, [np.zeros(8), np.zeros(2)])
    >>> X, y = np.array([[-1.0, 0.0], [1.0, 0.0]]), np.array([0, 1])
    >>> losses = [float(net.train_step(X, y, SGD())) for _ in range(100)]
    >>> losses[0] > 0.69 > 0.1 > losses[-1]
    True
    >>> net.forward(X).argmax(axis=1)
    array([0, 1])
    """

    def __init__(self, coefs, intercepts, activation="relu", alpha=0.0):
        self.dense_layers = [Dense(w, b) for w, b in zip(coefs, intercepts)]
        self.layers = [self.dense_layers[0]]
        for dense in self.dense_layers[1:]:
            self.layers += [ACTIVATIONS[activation](), dense]
        self.output_layer = SoftmaxCategoricalCrossentropy()
        self.alpha = alpha
        self.params = [p for d in self.dense_layers for p in (d.weights, d.biases)]

    @property
    def grads(self):
        """The gradients of the last backward pass, in the order of ``params``."""
        return [g for d in self.dense_layers for g in (d.dweights, d.dbiases)]

    def forward(self, X):
        """Return the class probabilities for ``X``."""
        output = X
        for layer in self.layers:
            layer.forward(output)
            output = layer.output
        return self.output_layer.forward(output)

    def backward(self, y, sample_weight=None):
        """Compute every layer's gradients from the last forward pass."""
        self.output_layer.backward(y, sample_weight)
        dvalues = self.output_layer.dinputs
        for layer in reversed(self.layers[1:]):
            layer.backward(dvalues)
            dvalues = layer.dinputs
        self.layers[0].backward(dvalues, need_dinputs=False)

    def loss(self, y, sample_weight=None):
        """Return the loss of the last forward pass, with the L2 penalty if any."""
        loss = self.output_layer.calculate(y, sample_weight)
        if self.alpha:
            loss = loss + 0.5 * self.alpha * self._squared_weights() / (
                self._total_weight(y, sample_weight)
            )
        return loss

    def train_step(self, X, y, optimizer, sample_weight=None):
        """Forward, backward and one optimizer step; return the batch loss.

        The loss is that of the parameters before the step, as in the book's
        loop; ``output_layer.output`` keeps that forward pass's probabilities.
        """
        self.forward(X)
        loss = self.loss(y, sample_weight)
        self.backward(y, sample_weight)
        if self.alpha:
            scale = self.alpha / self._total_weight(y, sample_weight)
            for dense in self.dense_layers:
                dense.dweights += scale * dense.weights
        optimizer.pre_update_params()
        optimizer.update_params(self.params, self.grads)
        optimizer.post_update_params()
        return loss

    def _squared_weights(self):
        return sum(np.dot(w.ravel(), w.ravel()) for w in self.params[::2])

    @staticmethod
    def _total_weight(y, sample_weight):
        return len(y) if sample_weight is None else np.sum(sample_weight)
