"""MNIST-sized training: one epoch against the matrix-multiply bound and MLPClassifier.

60000 x 784 synthetic data in 10 classes (made here), hidden layers (256, 128),
batches of 256, SGD with momentum 0.9, shuffled. The "GEMM bound" is the time
of the same matrix products on preallocated arrays (3 forward, 3 weight
gradients, 2 input gradients per batch): what any implementation must spend.
Each estimator trains two epochs, which give the test accuracy (on held-out
data), then timed epochs continuing them (warm_start). The bound, our epoch
and MLPClassifier's are timed in turn, round after round (9 rounds; 3 with
--quick), so that a change of the machine's load weighs on all three alike.
Each ratio is taken within a round, and the table shows the median over the
rounds with the lowest and highest (the spread).

    python benchmarks/mnist_sized.py [--quick]
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


def estimators():
    """Our momentum SGD and MLPClassifier's, as functions of the epochs."""

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

    return ours, mlp


def dtype_rows(dtype, n_train, n_test, repeat):
    """Time the bound and both estimators' epochs in ``dtype``; the table's rows."""
    X, y = make_data(n_train + n_test, dtype)
    data = (X[:n_train], y[:n_train], X[n_train:], y[n_train:])
    ours, mlp = estimators()
    timers = {"ours": EpochTimer(ours, *data), "mlp": EpochTimer(mlp, *data)}
    times = interleaved_times({"bound": gemm_epoch(data[0], dtype), **timers}, repeat)
    bound, ours_time, mlp_time = (np.array(times[k]) for k in ("bound", "ours", "mlp"))
    name = np.dtype(dtype).name
    return [
        (name, "GEMM bound", spread(bound, 3), "1.00", "", ""),
        (
            name,
            "NNFSClassifier",
            spread(ours_time, 3),
            spread(ours_time / bound),
            spread(mlp_time / ours_time, suffix="x"),
            f"{timers['ours'].accuracy:.3f}",
        ),
        (
            name,
            "MLPClassifier",
            spread(mlp_time, 3),
            spread(mlp_time / bound),
            "",
            f"{timers['mlp'].accuracy:.3f}",
        ),
    ]


def main(quick=False):
    n_train, n_test = (1000, 1000) if quick else (60000, 10000)
    repeat = 3 if quick else 9
    print(machine())
    print(
        f"{n_train} x 784, hidden {HIDDEN}, batch {BATCH}, SGD momentum 0.9; "
        f"median (lowest-highest) of {repeat} rounds, after two epochs"
    )
    rows = []
    for dtype in (np.float32, np.float64):
        rows += dtype_rows(dtype, n_train, n_test, repeat)
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
