"""The output layer and its loss: softmax with categorical cross-entropy.

The two are fused, as in the book, because the gradient of the cross-entropy
with respect to the softmax inputs is simply ``probabilities - one_hot(y)``.
Like the layers, it reuses its ``output`` and ``dinputs`` arrays between batches.
"""

import numpy as np

from .layers import Buffers

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

    def __init__(self):
        self._buffers = Buffers()
        self._rows = np.arange(0)

    def forward(self, inputs):
        """Compute and return the class probabilities, ``output``."""
        output = self._buffers.get("output", inputs.shape, inputs.dtype)
        np.subtract(
            inputs, np.maximum.reduce(inputs, axis=1, keepdims=True), out=output
        )
        np.exp(output, out=output)
        output /= np.add.reduce(output, axis=1, keepdims=True)
        self.output = output
        return output

    def calculate(self, y_true, sample_weight=None):
        """Return the mean cross-entropy of ``output`` against ``y_true``."""
        correct = self.output[self._row_indices(len(y_true)), y_true]
        # Clipped on both sides, as in the book, so log(0) never occurs.
        np.clip(correct, 1e-7, 1 - 1e-7, out=correct)
        log_likelihoods = np.log(correct, out=correct)
        if sample_weight is None:  # the mean, as np.mean computes it
            return -(np.add.reduce(log_likelihoods) / len(log_likelihoods))
        return -(
            np.add.reduce(log_likelihoods * sample_weight)
            / np.add.reduce(sample_weight)
        )

    def backward(self, y_true, sample_weight=None):
        """Set ``dinputs``, the gradient of the mean loss on the softmax inputs."""
        samples = len(self.output)
        self.dinputs = self._buffers.get(
            "dinputs", self.output.shape, self.output.dtype
        )
        np.copyto(self.dinputs, self.output)
        self.dinputs[self._row_indices(samples), y_true] -= 1
        if sample_weight is None:
            self.dinputs /= samples
        else:
            self.dinputs *= sample_weight[:, np.newaxis]
            self.dinputs /= np.add.reduce(sample_weight)

    def _row_indices(self, samples):
        if len(self._rows) != samples:
            self._rows = np.arange(samples)
        return self._rows
