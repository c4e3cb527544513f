"""Memory: the peak that fit and predict_proba allocate, against the number of samples.

100 features, one hidden layer of 64, batches of 256, one epoch, measured with
tracemalloc (numpy reports its allocations to it). The input arrays are made
before measuring, so the peak is what fitting adds: it should not grow like
n_samples x 64 (the activations of the whole data set), only with the batch.
predict_proba on the largest data works in chunks; its result is compared
with one unchunked forward pass.

    python benchmarks/memory.py [--quick]
"""

import tracemalloc

import numpy as np
from _common import machine, parse_args, quiet, table

import sknnfs._base
from sknnfs import NNFSClassifier


def peak_bytes(function):
    tracemalloc.start()
    tracemalloc.reset_peak()
    result = function()
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return peak, result


def main(quick=False):
    sizes = [10**3, 10**4] if quick else [10**4, 10**5, 10**6]
    rng = np.random.RandomState(0)
    rows = []
    for n in sizes:
        X = rng.randn(n, 100)
        y = (X[:, 0] + X[:, 1] > 0).astype(int)
        model = NNFSClassifier((64,), batch_size=256, max_iter=1, random_state=0)
        fit_peak, _ = peak_bytes(lambda m=model, X=X, y=y: quiet(lambda: m.fit(X, y)))
        predict_peak, probabilities = peak_bytes(
            lambda m=model, X=X: m.predict_proba(X)
        )
        rows.append(
            (
                f"{n:,}",
                f"{X.nbytes / 2**20:.1f}",
                f"{fit_peak / 2**20:.2f}",
                f"{n * 64 * 8 / 2**20:.1f}",
                f"{predict_peak / 2**20:.2f}",
                f"{probabilities.nbytes / 2**20:.2f}",
            )
        )
    print(machine())
    print("100 features, hidden (64,), batch 256, one epoch; MiB")
    table(
        rows,
        (
            "n_samples",
            "X",
            "fit peak",
            "n x 64 activations",
            "predict_proba peak",
            "its result",
        ),
    )
    chunk_rows = sknnfs._base.PREDICT_CHUNK_ROWS
    sknnfs._base.PREDICT_CHUNK_ROWS = len(X)  # one chunk: a single forward pass
    try:
        unchunked = model.predict_proba(X)
    finally:
        sknnfs._base.PREDICT_CHUNK_ROWS = chunk_rows
    print(
        f"predict_proba in chunks of {chunk_rows} rows equals one pass over all "
        f"{len(X):,} rows: {np.array_equal(probabilities, unchunked)} "
        f"(largest difference {np.max(np.abs(probabilities - unchunked)):.1e})"
    )


if __name__ == "__main__":
    main(quick=parse_args(__doc__.splitlines()[0]).quick)
