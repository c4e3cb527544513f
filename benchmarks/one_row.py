"""One-row predictions: ``predict`` and ``predict_proba`` on a single sample.

What a service answering one request at a time, or brute-force partial
dependence, pays per call: input validation, the forward pass, and the
per-call overhead around them. NNFSClassifier and MLPClassifier, both at their
defaults (hidden (100,)), fitted on the standardized iris (3 classes) and
breast_cancer (2 classes) data sets; each call is timed over a loop of calls,
the two estimators in turn, and the best of the rounds counts.

    python benchmarks/one_row.py [--quick]
"""

import functools
import timeit

from _common import machine, parse_args, quiet, table
from sklearn.datasets import load_breast_cancer, load_iris
from sklearn.neural_network import MLPClassifier
from sklearn.preprocessing import StandardScaler

from sknnfs import NNFSClassifier

DATA = {"iris": load_iris, "breast_cancer": load_breast_cancer}


def best_per_call(functions, number, rounds):
    """The best time per call of each function, over ``rounds`` interleaved loops."""
    times = {name: [] for name in functions}
    for _ in range(rounds):
        for name, function in functions.items():
            times[name].append(timeit.timeit(function, number=number) / number)
    return {name: min(values) for name, values in times.items()}


def one_row_times(name, load, number, rounds):
    """Table rows: the time of each method on one row, ours and MLPClassifier's."""
    X, y = load(return_X_y=True)
    X = StandardScaler().fit_transform(X)
    ours = quiet(lambda: NNFSClassifier(max_iter=50, random_state=0).fit(X, y))
    mlp = quiet(lambda: MLPClassifier(max_iter=50, random_state=0).fit(X, y))
    rows = []
    for method in ("predict", "predict_proba"):
        times = best_per_call(
            {
                "ours": functools.partial(getattr(ours, method), X[:1]),
                "mlp": functools.partial(getattr(mlp, method), X[:1]),
            },
            number,
            rounds,
        )
        rows.append(
            (
                name,
                method,
                f"{times['ours'] * 1e6:.0f}",
                f"{times['mlp'] * 1e6:.0f}",
                f"{times['ours'] / times['mlp']:.2f}",
            )
        )
    return rows


def main(quick=False):
    number, rounds = (50, 2) if quick else (1000, 7)
    print(machine())
    print(f"one row, best of {rounds} rounds of {number} calls, taken in turn")
    rows = []
    for name, load in DATA.items():
        rows += one_row_times(name, load, number, rounds)
    table(
        rows,
        ("data", "method", "NNFSClassifier us", "MLPClassifier us", "ours / MLP"),
    )


if __name__ == "__main__":
    main(quick=parse_args(__doc__.splitlines()[0]).quick)
