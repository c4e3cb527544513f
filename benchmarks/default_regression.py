"""Default R^2: NNFSRegressor() against MLPRegressor(), 5-fold, with a scaler.

scikit-learn's diabetes data and make_friedman1 data; both estimators at their
defaults behind a StandardScaler (and the target standardized, as both are
sensitive to its scale), the same shuffled folds, mean over 10 seeds, with the
standard error of the paired difference (seed by seed).

    python benchmarks/default_regression.py [--quick]
"""

import numpy as np
from _common import machine, parse_args, quiet, table
from sklearn.compose import TransformedTargetRegressor
from sklearn.datasets import load_diabetes, make_friedman1
from sklearn.model_selection import KFold, cross_validate
from sklearn.neural_network import MLPRegressor
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from sknnfs import NNFSRegressor

DATASETS = {
    "diabetes": lambda: load_diabetes(return_X_y=True),
    "friedman1": lambda: make_friedman1(n_samples=1000, noise=1.0, random_state=0),
}


def cv_r2(regressor, X, y, seed):
    model = TransformedTargetRegressor(
        make_pipeline(StandardScaler(), regressor), transformer=StandardScaler()
    )
    folds = KFold(n_splits=5, shuffle=True, random_state=seed)
    result = quiet(lambda: cross_validate(model, X, y, cv=folds))
    return result["test_score"].mean(), result["fit_time"].mean()


def main(quick=False):
    seeds = (0,) if quick else tuple(range(10))
    epochs = {"max_iter": 10} if quick else {}
    rows = []
    for name, load in DATASETS.items():
        X, y = load()
        if quick:
            X, y = X[::4], y[::4]
        ours = [cv_r2(NNFSRegressor(random_state=s, **epochs), X, y, s) for s in seeds]
        theirs = [cv_r2(MLPRegressor(random_state=s, **epochs), X, y, s) for s in seeds]
        ours_r2, theirs_r2 = np.mean(ours, axis=0), np.mean(theirs, axis=0)
        diffs = np.array(ours)[:, 0] - np.array(theirs)[:, 0]
        error = diffs.std(ddof=1) / np.sqrt(len(diffs)) if len(diffs) > 1 else np.nan
        rows.append(
            (
                name,
                str(len(y)),
                f"{ours_r2[0]:.4f}",
                f"{theirs_r2[0]:.4f}",
                f"{diffs.mean():+.4f}",
                f"{error:.4f}",
                f"{ours_r2[1]:.3f} / {theirs_r2[1]:.3f}",
            )
        )
    print(machine())
    print(f"5-fold R^2, mean over {len(seeds)} seed(s), StandardScaler on X and y")
    table(
        rows,
        (
            "data",
            "n",
            "NNFSRegressor",
            "MLPRegressor",
            "diff",
            "std. error",
            "fit s (ours / MLP)",
        ),
    )


if __name__ == "__main__":
    main(quick=parse_args(__doc__.splitlines()[0]).quick)
