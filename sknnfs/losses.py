"""The output layer and its loss: softmax with categorical cross-entropy.

The two are fused, as in the book, because the gradient of the cross-entropy
with respect to the softmax inputs is simply ``probabilities - one_hot(y)``.
"""

import numpy as np

__all__ = ["SoftmaxCategoricalCrossentropy"]


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

    def forward(self, inputs):
        """Compute and return the class probabilities, ``output``."""
        exp_values = np.exp(inputs - np.max(inputs, axis=1, keepdims=True))
        self.output = exp_values / np.sum(exp_values, axis=1, keepdims=True)
        return self.output

    def calculate(self, y_true, sample_weight=None):
        """Return the mean cross-entropy of ``output`` against ``y_true``."""
        # Clipped on both sides, as in the book, so log(0) never occurs.
        clipped = np.clip(self.output, 1e-7, 1 - 1e-7)
        sample_losses = -np.log(clipped[np.arange(len(y_true)), y_true])
        if sample_weight is None:
            return np.mean(sample_losses)
        return np.sum(sample_losses * sample_weight) / np.sum(sample_weight)

    def backward(self, y_true, sample_weight=None):
        """Set ``dinputs``, the gradient of the mean loss on the softmax inputs."""
        samples = len(self.output)
        self.dinputs = self.output.copy()
        self.dinputs[np.arange(samples), y_true] -= 1
        if sample_weight is None:
            self.dinputs /= samples
        else:
            self.dinputs *= sample_weight[:, np.newaxis]
            self.dinputs /= np.sum(sample_weight)
