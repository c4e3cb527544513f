"""Scaling: fit time against the number of samples and against the hidden width.

20 features, 3 classes, batches of 32, 5 epochs. The sizes of a table are
timed in turn, best of 5 (1 with --quick), so that a change of the machine's
load weighs on all of them alike. The slope of log(time) against log(size),
fitted by least squares, is 1 for linear growth.

    python benchmarks/scaling.py [--quick]
"""

import numpy as np
from _common import best_times, machine, parse_args, quiet, table
from sklearn.datasets import make_classification

from sknnfs import NNFSClassifier


def slope(sizes, times):
    return np.polyfit(np.log(sizes), np.log(times), 1)[0]


def main(quick=False):
    base = 500 if quick else 10000
    repeat = 1 if quick else 5
    X, y = make_classification(
        n_samples=8 * base, n_features=20, n_informative=10, n_classes=3, random_state=0
    )

    def fit_times(sizes_and_widths):
        """Best fit time of each (n_samples, width), timed in turn."""

        def fit(n, width):
            model = NNFSClassifier(
                (width,), batch_size=32, max_iter=5, tol=None, random_state=0
            )
            return lambda: quiet(lambda: model.fit(X[:n], y[:n]))

        times = best_times({key: fit(*key) for key in sizes_and_widths}, repeat)
        return list(times.values())

    print(machine())
    print("20 features, 3 classes, batch 32, 5 epochs, best of", repeat)
    sizes = [base, 2 * base, 4 * base, 8 * base]
    times = fit_times([(n, 64) for n in sizes])
    table(
        [(f"{n:,}", f"{t:.3f}", f"{t / times[0]:.2f}") for n, t in zip(sizes, times)],
        ("n_samples (hidden 64)", "fit s", "relative"),
    )
    print(f"slope in n: {slope(sizes, times):.2f}\n")
    widths = [32, 64, 128, 256]
    times = fit_times([(2 * base, w) for w in widths])
    table(
        [(str(w), f"{t:.3f}", f"{t / times[0]:.2f}") for w, t in zip(widths, times)],
        (f"hidden width (n={2 * base:,})", "fit s", "relative"),
    )
    print(
        f"slope in width: {slope(widths, times):.2f} (per-step overhead keeps "
        "small widths flat)"
    )


if __name__ == "__main__":
    main(quick=parse_args(__doc__.splitlines()[0]).quick)
