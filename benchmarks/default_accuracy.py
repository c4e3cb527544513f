"""Default accuracy: NNFSClassifier() against MLPClassifier(), 5-fold, with a scaler.

Prints, for scikit-learn's iris, wine, breast_cancer and digits data, the mean
5-fold cross-validated accuracy of each estimator at its defaults, behind a
StandardScaler, and the difference. Both see the same folds.

    python benchmarks/default_accuracy.py            # the full table
    python benchmarks/default_accuracy.py --quick    # a smoke run on small slices
"""

import argparse
import platform
import warnings

import numpy as np
import sklearn
from sklearn.datasets import load_breast_cancer, load_digits, load_iris, load_wine
from sklearn.exceptions import ConvergenceWarning
from sklearn.model_selection import StratifiedKFold, cross_validate
from sklearn.neural_network import MLPClassifier
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from sknnfs import NNFSClassifier

DATASETS = {
    "iris": load_iris,
    "wine": load_wine,
    "breast_cancer": load_breast_cancer,
    "digits": load_digits,
}


def cv_accuracy(estimator, X, y, seed):
    folds = StratifiedKFold(n_splits=5, shuffle=True, random_state=seed)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        result = cross_validate(
            make_pipeline(StandardScaler(), estimator), X, y, cv=folds
        )
    return result["test_score"].mean(), result["fit_time"].mean()


def main(quick=False, seeds=(0, 1, 2)):
    print(
        f"scikit-learn {sklearn.__version__}, numpy {np.__version__}, "
        f"{platform.machine()}, {platform.python_version()}"
    )
    if quick:
        seeds = seeds[:1]
    header = (
        f"{'data':<14}{'n':>6}{'NNFSClassifier':>16}{'MLPClassifier':>15}"
        f"{'diff':>8}{'fit s (ours/MLP)':>19}"
    )
    print(header)
    print("-" * len(header))
    rows = []
    for name, load in DATASETS.items():
        X, y = load(return_X_y=True)
        if quick:
            X, y = X[::5], y[::5]
        ours, theirs, ours_t, theirs_t = [], [], [], []
        epochs = {"max_iter": 10} if quick else {}
        for seed in seeds:
            model = NNFSClassifier(random_state=seed, **epochs)
            score, fit_time = cv_accuracy(model, X, y, seed)
            ours.append(score)
            ours_t.append(fit_time)
            model = MLPClassifier(random_state=seed, **epochs)
            score, fit_time = cv_accuracy(model, X, y, seed)
            theirs.append(score)
            theirs_t.append(fit_time)
        row = (name, np.mean(ours), np.mean(theirs))
        rows.append(row)
        print(
            f"{name:<14}{len(y):>6}{row[1]:>16.4f}{row[2]:>15.4f}"
            f"{row[1] - row[2]:>+8.4f}{np.mean(ours_t):>9.3f} / {np.mean(theirs_t):.3f}"
        )
    print(f"mean accuracy over {len(seeds)} seed(s) of the folds and the weights")
    return rows


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="a fast smoke run")
    main(quick=parser.parse_args().quick)
