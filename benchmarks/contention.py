"""Two fits at once: time per epoch alone and beside the same fit in another process.

What ``pytest -n 2``, the workers of a search and a notebook beside other work
do to a fit. For NNFSClassifier and MLPClassifier (hidden (100,), on
standardized data): one fit alone in a process of its own, then two identical
fits started at the same moment (a barrier) in two processes; each prints the
time per epoch of its fit. Alone and together alternate, ``rounds`` times, and
the median of each counts; "together" is the slower of the two fits. The
row "threads unlimited" is NNFSClassifier with its thread policy switched off
(BLAS threads as numpy starts them), as sknnfs ran before it had one. On a
machine with 2 cores, two fits at once each have a core of their own: the
ratio together / alone says what competing for them costs.

    python benchmarks/contention.py [--quick]
"""

import multiprocessing
import statistics
import time

from _common import machine, parse_args, quiet, table
from sklearn.datasets import load_breast_cancer, load_digits
from sklearn.neural_network import MLPClassifier
from sklearn.preprocessing import StandardScaler

# (data, batch size, epochs per fit): fits of about a second alone
CASES = [("digits", 32, 30), ("digits", 200, 150), ("breast_cancer", 200, 300)]
LOADERS = {"digits": load_digits, "breast_cancer": load_breast_cancer}
UNLIMITED = "NNFSClassifier, threads unlimited"


def make_model(name, batch, epochs):
    from sknnfs import NNFSClassifier, _threads

    if name.startswith("NNFSClassifier"):
        if name == UNLIMITED:  # as before the thread policy, for comparison
            _threads.THREADS_FROM = 0
        return NNFSClassifier(
            (100,), batch_size=batch, max_iter=epochs, tol=None, random_state=0
        )
    return MLPClassifier(
        (100,),
        batch_size=batch,
        max_iter=epochs,
        tol=0.0,
        n_iter_no_change=epochs + 1,  # never stops early
        random_state=0,
    )


def fit_worker(name, data, batch, epochs, barrier, results):
    """Fit once (after the barrier) and put the seconds per epoch in ``results``."""
    X, y = LOADERS[data](return_X_y=True)
    X = StandardScaler().fit_transform(X)
    quiet(lambda: make_model(name, batch, 2).fit(X, y))  # imports, allocations
    model = make_model(name, batch, epochs)
    barrier.wait()
    start = time.perf_counter()
    quiet(lambda: model.fit(X, y))
    results.put((time.perf_counter() - start) / epochs)


def epoch_times(context, n_processes, *args):
    """Run ``n_processes`` identical fits at once; return their times per epoch."""
    barrier, results = context.Barrier(n_processes), context.Queue()
    processes = [
        context.Process(target=fit_worker, args=(*args, barrier, results))
        for _ in range(n_processes)
    ]
    for process in processes:
        process.start()
    times = [results.get() for _ in processes]
    for process in processes:
        process.join()
    return times


def main(quick=False):
    rounds = 1 if quick else 3
    # fork where there is one: no re-import, and the script runs under runpy too
    methods = multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("fork" if "fork" in methods else "spawn")
    print(machine())
    print(
        f"ms per epoch, hidden (100,), median of {rounds} rounds; together: the "
        "slower of two fits started at once in two processes"
    )
    rows = []
    for data, batch, epochs in CASES[:1] if quick else CASES:
        epochs = 2 if quick else epochs
        for name in ("NNFSClassifier", UNLIMITED, "MLPClassifier"):
            alone, together = [], []
            for _ in range(rounds):
                args = (name, data, batch, epochs)
                alone.append(epoch_times(context, 1, *args)[0])
                together.append(max(epoch_times(context, 2, *args)))
            alone, together = statistics.median(alone), statistics.median(together)
            rows.append(
                (
                    data,
                    str(batch),
                    name,
                    f"{alone * 1e3:.1f}",
                    f"{together * 1e3:.1f}",
                    f"{together / alone:.2f}",
                )
            )
    table(rows, ("data", "batch", "", "alone", "together", "together / alone"))


if __name__ == "__main__":
    main(quick=parse_args(__doc__.splitlines()[0]).quick)
