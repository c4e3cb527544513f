"""MNIST-sized training: one epoch against the matrix-multiply bound and MLPClassifier.

60000 x 784 synthetic data in 10 classes (made here), hidden layers (256, 128),
batches of 256, SGD with momentum 0.9, shuffled. The "GEMM bound" is the time
of the same matrix products on preallocated arrays (3 forward, 3 weight
gradients, 2 input gradients per batch): what any implementation must spend.
Each estimator gets one warm-up epoch, then timed epochs continuing it
(warm_start), of which the fastest counts, as for the bound (best of 3; 1 with
--quick). Test accuracy is that of the first two epochs, on held-out data.

    python benchmarks/mnist_sized.py [--quick]
"""

import time

import numpy as np
from _common import machine, parse_args, quiet, sgd_mlp, table

from sknnfs import NNFSClassifier

HIDDEN = (256, 128)
BATCH = 256


def make_data(n_samples, dtype, seed=0):
    """Ten Gaussian classes in 784 dimensions, learnable but not trivially.

    With this spread of the class centers both estimators reach about 0.83
    test accuracy after two epochs, so that a difference of a point shows.
    """
    rng = np.random.RandomState(seed)
    centers = rng.randn(10, 784) * 0.1
    y = rng.randint(0, 10, n_samples)
    X = centers[y] + rng.randn(n_samples, 784)
    return X.astype(dtype), y


def gemm_bound(X, dtype):
    """Seconds for one epoch of the network's matrix products alone."""
    sizes = [X.shape[1], *HIDDEN, 10]
    rng = np.random.RandomState(0)
    weights = [rng.randn(a, b).astype(dtype) for a, b in zip(sizes[:-1], sizes[1:])]
    acts = [np.empty((BATCH, s), dtype) for s in sizes]
    grads = [np.empty_like(w) for w in weights]
    batches = len(X) // BATCH
    start = time.perf_counter()
    for i in range(batches):
        acts[0] = X[i * BATCH : (i + 1) * BATCH]
        for layer, w in enumerate(weights):
            np.dot(acts[layer], w, out=acts[layer + 1])
        delta = acts[-1]
        for layer in range(len(weights) - 1, -1, -1):
            np.dot(acts[layer].T, delta, out=grads[layer])
            if layer:
                delta = np.dot(delta, weights[layer].T, out=acts[layer])
    return (time.perf_counter() - start) * len(X) / (batches * BATCH)


def one_epoch(make, X, y, X_test, y_test, repeat):
    """Seconds of the fastest epoch after the first, and the test accuracy.

    The first epoch warms up caches and allocations; the accuracy is that of
    the model after two epochs.
    """
    model = make(1)
    quiet(lambda: model.fit(X, y))
    model.set_params(warm_start=True)
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        quiet(lambda: model.fit(X, y))
        times.append(time.perf_counter() - start)
        if len(times) == 1:
            accuracy = model.score(X_test, y_test)
    return min(times), accuracy


def main(quick=False):
    n_train = 6000 if quick else 60000
    repeat = 1 if quick else 3
    print(machine())
    print(
        f"{n_train} x 784, hidden {HIDDEN}, batch {BATCH}, SGD momentum 0.9, "
        f"best epoch of {repeat} after a warm-up"
    )
    rows = []
    for dtype in (np.float32, np.float64):
        X, y = make_data(n_train + 10000, dtype)
        X_train, y_train, X_test, y_test = (
            X[:n_train],
            y[:n_train],
            X[n_train:],
            y[n_train:],
        )
        bound = min(gemm_bound(X_train, dtype) for _ in range(repeat))

        def ours(epochs):
            return NNFSClassifier(
                HIDDEN,
                optimizer="sgd",
                learning_rate=0.01,
                momentum=0.9,
                batch_size=BATCH,
                alpha=0.0,
                tol=None,
                max_iter=epochs,
                random_state=0,
            )

        def mlp(epochs):
            return sgd_mlp(HIDDEN, 0.01, 0.9, BATCH, epochs, shuffle=True)

        data = (X_train, y_train, X_test, y_test, repeat)
        ours_time, ours_accuracy = one_epoch(ours, *data)
        mlp_time, mlp_accuracy = one_epoch(mlp, *data)
        name = np.dtype(dtype).name
        rows += [
            (name, "GEMM bound", f"{bound:.3f}", "1.00", "", ""),
            (
                name,
                "NNFSClassifier",
                f"{ours_time:.3f}",
                f"{ours_time / bound:.2f}",
                f"{mlp_time / ours_time:.2f}x",
                f"{ours_accuracy:.3f}",
            ),
            (
                name,
                "MLPClassifier",
                f"{mlp_time:.3f}",
                f"{mlp_time / bound:.2f}",
                "",
                f"{mlp_accuracy:.3f}",
            ),
        ]
    table(
        rows,
        (
            "dtype",
            "",
            "s/epoch",
            "/ GEMM bound",
            "MLP / ours",
            "test accuracy (2 epochs)",
        ),
    )


if __name__ == "__main__":
    main(quick=parse_args(__doc__.splitlines()[0]).quick)
