"""Replays the runs of the book's optimizer chapter with NNFSClassifier and prints
their logs (as a reading of the chapter, run step by step, printed them).

Run as a script in its own process: it calls ``nnfs.init()``, which patches
numpy for the whole process.
"""

import sys

import nnfs
import numpy as np
from nnfs.datasets import spiral_data

from sknnfs import NNFSClassifier
from sknnfs.optimizers import SGD


class BiasBugMomentumSGD(SGD):
    """That reading's momentum code, bug included: the bias momentum uses the biases.

    ``bias_updates = momentum * bias_momentums - lr * layer.biases`` where the
    book has ``layer.dbiases``. Parameters come as [w1, b1, w2, b2, ...].
    """

    elementwise = False  # biases and weights follow different rules

    def update_params(self, params, grads):
        lr = self.current_learning_rate
        velocities = self._state("_momentums", params)
        for index, (param, grad, velocity) in enumerate(zip(params, grads, velocities)):
            gradient = param if index % 2 else grad
            velocity *= self.momentum
            velocity -= lr * gradient
            param += velocity


BOOK_SETTINGS = dict(
    hidden_layer_sizes=(64,),
    optimizer="sgd",
    init="nnfs",
    batch_size=None,
    shuffle=False,
    alpha=0.0,
    tol=None,
    random_state=None,
)


def book_classifier(**params):
    return NNFSClassifier(**{**BOOK_SETTINGS, **params})


def section(name):
    print(f"== {name}", flush=True)


def main(epochs):
    nnfs.init()
    X, y = spiral_data(samples=100, classes=3)
    section("first pass")  # the layers, and one forward pass
    first = book_classifier(learning_rate=1.0, max_iter=1, verbose=1).fit(X, y)
    print("loss:", np.float32(first.loss_curve_[0]))

    section("sgd lr 1.0")  # the first training loop
    X, y = spiral_data(samples=100, classes=3)
    book_classifier(learning_rate=1.0, max_iter=epochs, verbose=100).fit(X, y)

    section("sgd lr 0.85")  # the same loop at a lower rate
    X, y = spiral_data(samples=100, classes=3)
    book_classifier(learning_rate=0.85, max_iter=epochs, verbose=100).fit(X, y)

    # the momentum run calls nnfs.init() again, which reseeds numpy's global state
    for name, optimizer in [
        (
            "momentum 0.5 with the bias bug",
            BiasBugMomentumSGD(learning_rate=1.0, decay=1e-3, momentum=0.5),
        ),
        ("momentum 0.5", SGD(learning_rate=1.0, decay=1e-3, momentum=0.5)),
    ]:
        nnfs.init()
        X, y = spiral_data(samples=100, classes=3)
        section(name)
        model = book_classifier(optimizer=optimizer, max_iter=epochs, verbose=100)
        model.fit(X, y)
        print(f"final accuracy: {model.score(X, y):.3f}")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 10001)
