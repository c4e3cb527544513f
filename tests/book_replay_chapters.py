"""Replays the book's final code of chapters 14 to 17 with the estimators.

Chapter 14: the regularized spiral model (L2 on the first layer only, Adam).
Chapter 15: the same with dropout 0.1 after the first layer, on 1000 spiral
points per class; ``15 EPOCHS`` trains that many epochs (the book: 10001).
Chapter 16: binary logistic regression (one sigmoid output, binary
cross-entropy). Each prints the training log, then the book's validation line
on fresh spiral data drawn after training. Chapter 17: regression of
``sine_data`` by NNFSRegressor, the training log only (the book prints no
validation line); ``17 float32 EPOCHS`` or ``17 float64 EPOCHS`` passes X and y
in that dtype for that many epochs. Run as a script in its own process:
``nnfs.init()`` patches numpy for the whole process.
"""

import sys

import nnfs
import numpy as np
from nnfs.datasets import sine_data, spiral_data

from sknnfs import NNFSClassifier, NNFSRegressor
from sknnfs.losses import SigmoidBinaryCrossentropy, SoftmaxCategoricalCrossentropy

BOOK = dict(
    init="nnfs",
    batch_size=None,
    shuffle=False,
    alpha=0.0,
    tol=None,
    random_state=None,
    max_iter=10001,
    verbose=100,
)


def validation_line(model, head, X_test, y_test):
    """The book's `validation, acc: ..., loss: ...` line (data loss only)."""
    head.forward(model.decision_function(X_test).reshape(len(X_test), -1))
    loss = head.calculate(y_test)
    accuracy = np.mean(model.predict(X_test) == y_test.ravel())
    return f"validation, acc: {accuracy:.3f}, loss: {loss:.3f}"


def chapter_14():
    nnfs.init()
    X, y = spiral_data(samples=100, classes=3)
    model = NNFSClassifier(
        (64,),
        optimizer="adam",
        learning_rate=0.02,
        decay=5e-7,
        weight_l2=(5e-4, 0),
        bias_l2=(5e-4, 0),
        **BOOK,
    ).fit(X, y)
    X_test, y_test = spiral_data(samples=100, classes=3)
    print(validation_line(model, SoftmaxCategoricalCrossentropy(), X_test, y_test))


def chapter_15(epochs="10001"):
    nnfs.init()
    X, y = spiral_data(samples=1000, classes=3)
    model = NNFSClassifier(
        (64,),
        optimizer="adam",
        learning_rate=0.05,
        decay=5e-5,
        weight_l2=(5e-4, 0),
        bias_l2=(5e-4, 0),
        dropout=0.1,
        **{**BOOK, "max_iter": int(epochs)},
    ).fit(X, y)
    X_test, y_test = spiral_data(samples=100, classes=3)
    print(validation_line(model, SoftmaxCategoricalCrossentropy(), X_test, y_test))


def chapter_16():
    nnfs.init()
    X, y = spiral_data(samples=100, classes=2)
    model = NNFSClassifier(
        (64,),
        optimizer="adam",
        decay=5e-7,
        weight_l2=(5e-4, 0),
        bias_l2=(5e-4, 0),
        **BOOK,
    ).fit(X, y)
    X_test, y_test = spiral_data(samples=100, classes=2)
    y_test = y_test.reshape(-1, 1)
    print(validation_line(model, SigmoidBinaryCrossentropy(), X_test, y_test))


def chapter_17(dtype="float32", epochs="10001"):
    nnfs.init()
    X, y = sine_data()  # float64, no random draws
    NNFSRegressor(
        (64, 64),
        optimizer="adam",
        learning_rate=0.005,
        decay=1e-3,
        early_stopping=False,
        normalize_y=False,
        **{**BOOK, "init": 0.1, "max_iter": int(epochs)},
    ).fit(X.astype(dtype), y.astype(dtype))


if __name__ == "__main__":
    chapters = {"14": chapter_14, "15": chapter_15, "16": chapter_16, "17": chapter_17}
    chapters[sys.argv[1]](*sys.argv[2:])
