"""MNIST-sized training: one epoch against the matrix-multiply bound and MLPClassifier.

60000 x 784 synthetic data in 10 classes (made here), hidden layers (256, 128),
batches of 256, SGD with momentum 0.9, shuffled. The "GEMM bound" is the time
of the same matrix products on preallocated arrays (3 forward, 3 weight
gradients, 2 input gradients per batch): what any implementation must spend.
Each estimator trains two epochs, which give the test accuracy (on held-out
data), then timed epochs continuing them (warm_start). The bound, our epoch
and MLPClassifier's are timed in turn, and the fastest of each counts (best of
5; 1 with --quick), so that a change of the machine's load weighs on all three
alike.

    python benchmarks/mnist_sized.py [--quick]
"""

import numpy as np
from _common import best_times, machine, parse_args, quiet, sgd_mlp, table

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


def gemm_epoch(X, dtype):
    """Return a function doing one epoch of the network's matrix products alone.

    Batches as the estimators make them (the last one smaller), products into
    preallocated arrays.
    """
    sizes = [X.shape[1], *HIDDEN, 10]
    rng = np.random.RandomState(0)
    weights = [rng.randn(a, b).astype(dtype) for a, b in zip(sizes[:-1], sizes[1:])]
    grads = [np.empty_like(w) for w in weights]
    batches = [X[start : start + BATCH] for start in range(0, len(X), BATCH)]
    acts = {
        len(batch): [np.empty((len(batch), s), dtype) for s in sizes[1:]]
        for batch in batches
    }

    def epoch():
        for batch in batches:
            outputs = acts[len(batch)]
            inputs = [batch, *outputs[:-1]]
            for layer, w in enumerate(weights):
                np.dot(inputs[layer], w, out=outputs[layer])
            delta = outputs[-1]
            for layer in range(len(weights) - 1, -1, -1):
                np.dot(inputs[layer].T, delta, out=grads[layer])
                if layer:
                    delta = np.dot(delta, weights[layer].T, out=outputs[layer - 1])

    return epoch


class EpochTimer:
    """Trains ``make(2)``, then one more epoch a call (warm_start), to be timed.

    The first two epochs, in ``__init__``, warm up caches and allocations and
    give the test accuracy, measured outside the timed calls.
    """

    def __init__(self, make, X, y, X_test, y_test):
        self.model, self.data = make(2), (X, y)
        quiet(lambda: self.model.fit(X, y))
        self.accuracy = self.model.score(X_test, y_test)
        self.model.set_params(max_iter=1, warm_start=True)

    def __call__(self):
        quiet(lambda: self.model.fit(*self.data))


def main(quick=False):
    n_train, n_test = (1000, 1000) if quick else (60000, 10000)
    repeat = 1 if quick else 5
    print(machine())
    print(
        f"{n_train} x 784, hidden {HIDDEN}, batch {BATCH}, SGD momentum 0.9, "
        f"best epoch of {repeat} after two"
    )
    rows = []
    for dtype in (np.float32, np.float64):
        X, y = make_data(n_train + n_test, dtype)
        X_train, y_train, X_test, y_test = (
            X[:n_train],
            y[:n_train],
            X[n_train:],
            y[n_train:],
        )

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

        data = (X_train, y_train, X_test, y_test)
        timers = {"ours": EpochTimer(ours, *data), "mlp": EpochTimer(mlp, *data)}
        times = best_times({"bound": gemm_epoch(X_train, dtype), **timers}, repeat)
        bound, ours_time, mlp_time = times["bound"], times["ours"], times["mlp"]
        ours_accuracy, mlp_accuracy = timers["ours"].accuracy, timers["mlp"].accuracy
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
