"""Helpers shared by the benchmark scripts: timing, the MLPClassifier twin, tables."""

import argparse
import platform
import time
import warnings

import numpy as np
import sklearn
from sklearn.exceptions import ConvergenceWarning
from sklearn.neural_network import MLPClassifier


def parse_args(description):
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--quick", action="store_true", help="a fast smoke run")
    return parser.parse_args()


def machine():
    """One line naming the software and machine the figures come from."""
    import os

    return (
        f"numpy {np.__version__}, scikit-learn {sklearn.__version__}, "
        f"Python {platform.python_version()}, {platform.machine()}, "
        f"{os.cpu_count()} cores"
    )


def best_time(function, repeat=3):
    """The smallest wall time of ``repeat`` calls, in seconds (least disturbed)."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return min(times)


def interleaved_times(functions, repeat):
    """All wall times, in seconds, of ``repeat`` rounds calling each of ``functions``.

    ``functions`` is a dict; each round calls every function once, in turn,
    so that a change of the machine's load weighs on all of them alike.
    Returns a dict of lists.
    """
    times = {name: [] for name in functions}
    for _ in range(repeat):
        for name, function in functions.items():
            start = time.perf_counter()
            function()
            times[name].append(time.perf_counter() - start)
    return times


def best_times(functions, repeat=3):
    """The smallest wall time of each of ``functions`` (a dict), called in turn.

    The calls alternate (a, b, a, b, ...) so that a change of the machine's
    load during the run weighs on every function alike.
    """
    times = interleaved_times(functions, repeat)
    return {name: min(values) for name, values in times.items()}


def spread(values, digits=2, suffix=""):
    """The median of ``values``, then their lowest and highest in brackets."""
    low, median, high = np.percentile(values, [0, 50, 100])
    return f"{median:.{digits}f}{suffix} ({low:.{digits}f}-{high:.{digits}f})"


def quiet(function):
    """Call ``function`` with convergence warnings silenced."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        return function()


def sgd_mlp(hidden, learning_rate, momentum, batch_size, epochs, shuffle, seed=0):
    """MLPClassifier doing plain or momentum SGD for exactly ``epochs`` epochs."""
    return MLPClassifier(
        hidden,
        solver="sgd",
        learning_rate="constant",
        learning_rate_init=learning_rate,
        momentum=momentum,
        nesterovs_momentum=False,
        batch_size=batch_size,
        alpha=0.0,
        max_iter=epochs,
        tol=0.0,
        n_iter_no_change=epochs + 1,  # never stops early
        shuffle=shuffle,
        random_state=seed,
    )


def table(rows, header):
    """Print ``rows`` (tuples of str) under ``header`` with aligned columns."""
    rows = [header, *rows]
    widths = [max(len(row[i]) for row in rows) for i in range(len(header))]
    for index, row in enumerate(rows):
        print("  ".join(cell.rjust(width) for cell, width in zip(row, widths)))
        if index == 0:
            print("  ".join("-" * width for width in widths))
