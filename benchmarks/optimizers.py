"""Each named optimizer with its defaults, against MLPClassifier and MLPRegressor.

For every name of ``sknnfs.optimizers.NAMED_OPTIMIZERS``, ``NNFSClassifier(
optimizer=name)`` and ``NNFSRegressor(optimizer=name)`` with nothing else set,
behind a StandardScaler: 5-fold accuracy on scikit-learn's iris, wine,
breast_cancer and digits, next to the better of ``MLPClassifier()`` (Adam) and
``MLPClassifier(solver='sgd')``; 5-fold R^2 on diabetes and friedman1, with
their raw targets, next to the better of ``MLPRegressor()`` and
``MLPRegressor(solver='sgd')``. Mean over 3 seeds (of the folds and the
weights), with the standard deviation over the seeds; ``diff`` is ours minus
the better scikit-learn model's, in points (hundredths).

    python benchmarks/optimizers.py            # the full table
    python benchmarks/optimizers.py --quick    # a smoke run on small slices
"""

from functools import partial

import numpy as np
from _common import machine, parse_args, quiet, table
from sklearn.datasets import (
    load_breast_cancer,
    load_diabetes,
    load_digits,
    load_iris,
    load_wine,
    make_friedman1,
)
from sklearn.model_selection import KFold, StratifiedKFold, cross_val_score
from sklearn.neural_network import MLPClassifier, MLPRegressor
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from sknnfs import NNFSClassifier, NNFSRegressor
from sknnfs.optimizers import NAMED_OPTIMIZERS

CLASSIFICATION = {
    "iris": load_iris,
    "wine": load_wine,
    "breast_cancer": load_breast_cancer,
    "digits": load_digits,
}
REGRESSION = {
    "diabetes": load_diabetes,
    "friedman1": lambda return_X_y: make_friedman1(
        n_samples=1000, noise=1.0, random_state=0
    ),
}


def cv_score(estimator, X, y, seed, folds):
    """Mean 5-fold score of ``estimator`` behind a StandardScaler."""
    estimator.set_params(random_state=seed)
    cv = folds(n_splits=5, shuffle=True, random_state=seed)
    model = make_pipeline(StandardScaler(), estimator)
    return quiet(lambda: cross_val_score(model, X, y, cv=cv, n_jobs=2)).mean()


def rows_of(name, load, ours, theirs, folds, seeds, quick):
    """Rows of the table for one data set: each of ours against the better MLP."""
    X, y = load(return_X_y=True)
    if quick:
        X, y = X[::4], y[::4]
    epochs = {"max_iter": 10} if quick else {}

    def mean_and_spread(make):
        scores = [cv_score(make(**epochs), X, y, s, folds) for s in seeds]
        return np.mean(scores), np.std(scores)

    mlps = {label: mean_and_spread(make) for label, make in theirs.items()}
    best_label = max(mlps, key=lambda label: mlps[label][0])
    best = mlps[best_label][0]
    rows = []
    for optimizer in NAMED_OPTIMIZERS:
        score, spread = mean_and_spread(partial(ours, optimizer=optimizer))
        label = f"{optimizer} (the default)" if optimizer == "adam" else optimizer
        rows.append(
            (
                name,
                label,
                f"{score:.4f} +/- {spread:.4f}",
                f"{best:.4f} ({best_label})",
                f"{100 * (score - best):+.2f}",
            )
        )
    return rows


def main(quick=False):
    seeds = (0,) if quick else (0, 1, 2)
    rows = []
    tasks = [
        (CLASSIFICATION, NNFSClassifier, MLPClassifier, StratifiedKFold),
        (REGRESSION, NNFSRegressor, MLPRegressor, KFold),
    ]
    for datasets, ours, mlp, folds in tasks:
        theirs = {"adam": mlp, "sgd": partial(mlp, solver="sgd")}
        for name, load in datasets.items():
            rows += rows_of(name, load, ours, theirs, folds, seeds, quick)
    print(machine())
    print(
        f"5-fold accuracy (classification) and R^2 (regression, raw targets), "
        f"mean +/- std over {len(seeds)} seed(s), StandardScaler on X"
    )
    table(rows, ("data", "optimizer", "sknnfs", "better MLP", "diff (points)"))
    worst = min(float(row[-1]) for row in rows)
    print(f"lowest diff: {worst:+.2f} points (the target: no cell below -1.00)")
    return rows


if __name__ == "__main__":
    main(quick=parse_args(__doc__.splitlines()[0]).quick)
