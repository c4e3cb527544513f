"""Where BLAS threads pay: time per epoch with one and with two threads, by layer size.

The estimators run their matrix products on one BLAS thread unless the
largest product of a batch has at least ``sknnfs._threads.THREADS_FROM``
multiply-adds (see that module). This script measures where the crossing lies
on this machine: with the policy switched off, it trains one hidden layer of
``hidden`` on ``n_features`` inputs (4096 random samples, 10 classes) in
batches of ``batch``, one epoch at a time, under ``threadpool_limits(1)`` and
``threadpool_limits(2)`` in turn, and prints the best epoch of each. Run it
on a quiet machine (``uptime``): under load, two threads lose everywhere.

    python benchmarks/threads.py [--quick]
"""

import numpy as np
from _common import best_times, machine, parse_args, table
from threadpoolctl import threadpool_limits

from sknnfs import NNFSClassifier, _threads

# (n_features, hidden, batch): the largest product is batch * n_features * hidden
SIZES = [
    (64, 100, 32),
    (64, 100, 200),
    (128, 128, 256),
    (784, 256, 32),
    (256, 256, 256),
    (512, 256, 256),
    (784, 256, 256),
    (784, 512, 256),
    (1024, 1024, 256),
]


def epoch_timer(n_features, hidden, batch, n_samples=4096):
    """Return a function training one more epoch of a warm-started model."""
    rng = np.random.RandomState(0)
    X = rng.randn(n_samples, n_features)
    y = rng.randint(0, 10, n_samples)
    model = NNFSClassifier(
        (hidden,),
        batch_size=batch,
        max_iter=1,
        tol=None,
        warm_start=True,
        random_state=0,
    )
    model.fit(X, y)  # the first epoch allocates; the timed ones reuse

    def epoch():
        model.fit(X, y)

    return epoch


def epoch_times(n_features, hidden, batch, repeat):
    """A table row: the best epoch with one and with two BLAS threads."""
    epoch = epoch_timer(n_features, hidden, batch)

    def limited(threads):
        def run():
            with threadpool_limits(threads, user_api="blas"):
                epoch()

        return run

    times = best_times({1: limited(1), 2: limited(2)}, repeat)
    return (
        f"{n_features} x {hidden}",
        str(batch),
        f"{batch * n_features * hidden:.1e}",
        f"{times[1] * 1e3:.1f}",
        f"{times[2] * 1e3:.1f}",
        f"{times[1] / times[2]:.2f}",
    )


def main(quick=False):
    repeat = 1 if quick else 5
    sizes = SIZES[:2] if quick else SIZES
    policy = _threads.THREADS_FROM
    _threads.THREADS_FROM = 0  # the policy off: the outer limit decides
    try:
        rows = [epoch_times(*size, repeat) for size in sizes]
    finally:  # as it was: the test suite runs this script in its own process
        _threads.THREADS_FROM = policy
    print(machine())
    print(f"ms per epoch of 4096 samples, best of {repeat}, 1 and 2 threads in turn")
    table(
        rows,
        ("layer", "batch", "multiply-adds", "1 thread", "2 threads", "1 / 2"),
    )


if __name__ == "__main__":
    main(quick=parse_args(__doc__.splitlines()[0]).quick)
