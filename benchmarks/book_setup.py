"""The book's setup: fit time of NNFSClassifier, MLPClassifier and the book's loop.

Spiral data (100 samples x 3 classes), one hidden layer of 64 ReLU neurons,
full batch, SGD with learning rate 1.0, decay 1e-3 and momentum 0.9, for
10001 epochs. MLPClassifier runs the same epochs with constant-rate momentum
SGD (it has no 1/t decay), batch_size=300 and no early stop. The book's loop
is the training loop of the book's optimizer chapter written out here (its
classes, with the bias momentum computed from the bias gradients). "Matrix
products alone" is the five products of an epoch (two forward, two weight
gradients, one input gradient) on preallocated arrays: a floor for any
implementation that calls numpy's BLAS for them. "Its numpy calls alone" is
every numpy call of NNFSClassifier's epoch (products, bias additions, ReLU,
softmax, loss, gradients, momentum step), in its order and on preallocated
arrays, written out as straight-line code: what the epoch costs without the
layers' and the fit loop's Python.
Each round fits every one of them once, in turn; each ratio to NNFSClassifier
is taken within its round, and the table shows the median over the rounds
with the lowest and highest (a slow moment of a shared machine then weighs
on one round, not on the result).

    python benchmarks/book_setup.py [--quick]
"""

import numpy as np
from _common import (
    interleaved_times,
    machine,
    parse_args,
    quiet,
    sgd_mlp,
    spread,
    table,
)

from sknnfs import NNFSClassifier
from sknnfs.__main__ import seeded_spiral_data


def book_loop(X, y, epochs, learning_rate=1.0, decay=1e-3, momentum=0.9, seed=0):
    """The optimizer chapter's loop: dense, ReLU, dense, softmax, SGD."""
    rng = np.random.RandomState(seed)
    weights = [0.01 * rng.randn(2, 64), 0.01 * rng.randn(64, 3)]
    biases = [np.zeros((1, 64)), np.zeros((1, 3))]
    velocities = [np.zeros_like(p) for p in weights + biases]
    samples = len(X)
    for iteration in range(epochs):
        hidden_in = np.dot(X, weights[0]) + biases[0]
        hidden = np.maximum(0, hidden_in)
        logits = np.dot(hidden, weights[1]) + biases[1]
        exp_values = np.exp(logits - np.max(logits, axis=1, keepdims=True))
        probabilities = exp_values / np.sum(exp_values, axis=1, keepdims=True)
        clipped = np.clip(probabilities, 1e-7, 1 - 1e-7)
        loss = np.mean(-np.log(clipped[range(samples), y]))
        accuracy = np.mean(np.argmax(probabilities, axis=1) == y)
        dlogits = probabilities.copy()
        dlogits[range(samples), y] -= 1
        dlogits = dlogits / samples
        dhidden = np.dot(dlogits, weights[1].T)
        dhidden[hidden_in <= 0] = 0
        grads = [
            np.dot(X.T, dhidden),
            np.dot(hidden.T, dlogits),
            np.sum(dhidden, axis=0, keepdims=True),
            np.sum(dlogits, axis=0, keepdims=True),
        ]
        rate = learning_rate * (1.0 / (1.0 + decay * iteration))
        for param, grad, velocity in zip(weights + biases, grads, velocities):
            velocity *= momentum
            velocity -= rate * grad
            param += velocity
    return loss, accuracy


def matrix_products(X, epochs, hidden=64, classes=3):
    """Only the five matrix products of each epoch, on preallocated arrays."""
    rng = np.random.RandomState(0)
    weights = [rng.randn(X.shape[1], hidden), rng.randn(hidden, classes)]
    hidden_out = np.empty((len(X), hidden))
    logits = np.empty((len(X), classes))
    grads = [np.empty_like(w) for w in weights]
    for _ in range(epochs):
        np.dot(X, weights[0], out=hidden_out)
        np.dot(hidden_out, weights[1], out=logits)
        np.dot(hidden_out.T, logits, out=grads[1])
        np.dot(logits, weights[1].T, out=hidden_out)
        np.dot(X.T, hidden_out, out=grads[0])


def numpy_calls_alone(
    X, y, epochs, hidden=64, classes=3, learning_rate=1.0, decay=1e-3, momentum=0.9
):
    """NNFSClassifier's epoch as its numpy calls alone, on preallocated arrays."""
    n, sizes = len(X), [X.shape[1] * hidden, hidden * classes, hidden, classes]
    rng = np.random.RandomState(0)
    # the parameters, their gradients and momentum in flat arrays, as the network's
    params = np.concatenate(
        [0.01 * rng.randn(sizes[0] + sizes[1]), np.zeros(hidden + classes)]
    )
    grads, velocity = np.zeros_like(params), np.zeros_like(params)
    ends = np.cumsum(sizes)[:-1]
    w1, w2, b1, b2 = np.split(params, ends)
    dw1, dw2, db1, db2 = np.split(grads, ends)
    w1, dw1 = w1.reshape(-1, hidden), dw1.reshape(-1, hidden)
    w2, dw2 = w2.reshape(hidden, classes), dw2.reshape(hidden, classes)
    h, dh, zeros = (np.zeros((n, hidden)) for _ in range(3))
    z, p, row = np.empty((n, classes)), np.empty((n, classes)), np.empty(n)
    mask, one_hot = np.empty((n, hidden), bool), np.empty((n, classes))
    rows, identity = np.arange(n), np.eye(classes)
    for epoch in range(epochs):
        np.dot(X, w1, out=h)
        h += b1
        np.maximum(zeros, h, out=h)  # the ReLU in the dense layer's output
        np.dot(h, w2, out=z)
        np.add(z, b2, out=z, order="F")  # 3 columns: the loop down the columns
        np.maximum(z[:, 0], z[:, 1], out=row)
        np.maximum(row, z[:, 2], out=row)
        np.exp(np.subtract(z, row[:, None], out=p, order="F"), out=p)
        np.add(p[:, 0], p[:, 1], out=row)
        np.add(row, p[:, 2], out=row)
        np.divide(p, row[:, None], out=p, order="F")
        correct = p[rows, y]
        np.minimum(np.maximum(correct, 1e-7, out=correct), 1 - 1e-7, out=correct)
        loss = -(np.add.reduce(np.log(correct, out=correct)) / n)
        identity.take(y, axis=0, out=one_hot)
        d = np.subtract(p, one_hot, out=z)
        d /= n
        np.dot(h.T, d, out=dw2)
        np.einsum("ij->j", d, out=db2)
        np.dot(d, w2.T, out=dh)
        np.multiply(dh, np.greater(h, 0, out=mask), out=dh)
        np.dot(X.T, dh, out=dw1)
        np.einsum("ij->j", dh, out=db1)
        rate = learning_rate * (1.0 / (1.0 + decay * epoch))
        grads *= rate  # the step computed in the gradients, as the network lets it
        velocity *= momentum
        velocity -= grads
        params += velocity
    return loss


def main(quick=False):
    epochs = 501 if quick else 10001
    X, y = seeded_spiral_data(samples=100, classes=3, seed=0)
    ours = NNFSClassifier(
        (64,),
        optimizer="sgd",
        learning_rate=1.0,
        decay=1e-3,
        momentum=0.9,
        init="nnfs",
        batch_size=None,
        shuffle=False,
        alpha=0.0,
        tol=None,
        max_iter=epochs,
        random_state=0,
    )
    mlp = sgd_mlp((64,), 1.0, 0.9, batch_size=300, epochs=epochs, shuffle=False)
    rounds = 1 if quick else 7
    times = interleaved_times(
        {
            "NNFSClassifier.fit": lambda: ours.fit(X, y),
            "MLPClassifier.fit": lambda: quiet(lambda: mlp.fit(X, y)),
            "the book's loop": lambda: book_loop(X, y, epochs),
            "its numpy calls alone": lambda: numpy_calls_alone(X, y, epochs),
            "matrix products alone": lambda: matrix_products(X, epochs),
        },
        rounds,
    )
    print(machine())
    print(
        f"spiral 300 x 2, hidden (64,), full batch, {epochs} epochs; "
        f"median (lowest-highest) of {rounds} rounds"
    )
    ours_times = np.array(times["NNFSClassifier.fit"])
    table(
        [
            (
                name,
                spread(np.array(t), 3),
                spread(np.array(t) / epochs * 1e6, 0),
                spread(np.array(t) / ours_times, suffix="x"),
            )
            for name, t in times.items()
        ],
        ("", "seconds", "us/epoch", "time / NNFSClassifier"),
    )
    print(
        f"training accuracy: NNFSClassifier {ours.score(X, y):.3f}, "
        f"MLPClassifier {mlp.score(X, y):.3f}"
    )


if __name__ == "__main__":
    main(quick=parse_args(__doc__.splitlines()[0]).quick)
