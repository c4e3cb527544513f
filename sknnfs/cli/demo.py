"""The demo of ``python -m sknnfs`` without a file: the book's spiral run, then a grid.

The book's network trains on nnfs's spiral data with the book's settings and
log lines, prints the final accuracy, then a GridSearchCV over learning_rate
x momentum prints the table of scores.
"""

import warnings

import numpy as np
from nnfs.datasets import spiral_data
from sklearn.exceptions import ConvergenceWarning, FitFailedWarning
from sklearn.model_selection import GridSearchCV, StratifiedKFold

from ..classifier import NNFSClassifier

#: The demo's grid: rates from too small to too large, without and with momentum.
DEMO_GRID = {"learning_rate": [0.1, 1.0, 3.0, 10.0], "momentum": [0.0, 0.9]}
DEMO_FOLDS = 3


def seeded_spiral_data(samples, classes, seed):
    """Return nnfs's spiral data drawn from ``seed``, leaving numpy's state as it was.

    spiral_data draws from numpy's global random state, so it is seeded here
    for a repeatable demo and then put back.
    """
    saved = np.random.get_state()  # noqa: NPY002
    try:
        np.random.seed(seed)  # noqa: NPY002
        return spiral_data(samples=samples, classes=classes)
    finally:
        np.random.set_state(saved)  # noqa: NPY002


def run_demo(args):
    """Run the spiral demo with the parsed ``args``."""
    X, y = seeded_spiral_data(samples=100, classes=3, seed=args.seed)
    print(
        f"Spiral data: {X.shape[0]} samples, 3 classes. The book's network "
        "(64 ReLU neurons), SGD with momentum 0.9 and decay 1e-3, full batch:"
    )
    model = NNFSClassifier(
        (64,),
        optimizer="sgd-momentum",
        learning_rate=1.0,
        decay=1e-3,
        init="nnfs",
        batch_size=None,
        shuffle=False,
        alpha=0.0,
        tol=None,
        max_iter=args.epochs,
        verbose=max(1, args.epochs // 10),
        random_state=args.seed,
    ).fit(X, y)
    print(
        f"Final training accuracy: {model.score(X, y):.3f}; the learning rate "
        f"decayed from 1.0 to {model.optimizer_.current_learning_rate:.3g}\n"
    )
    search = demo_search(X, y, args.grid_epochs, args.seed)
    print_demo_table(search, args.grid_epochs)


def demo_search(X, y, epochs, seed):
    """Return the demo's GridSearchCV over :data:`DEMO_GRID`, fitted on ``X, y``."""
    search = GridSearchCV(
        NNFSClassifier(
            (64,),
            optimizer="sgd",
            decay=1e-3,
            batch_size=None,
            max_iter=epochs,
            tol=None,
            random_state=seed,
        ),
        DEMO_GRID,
        cv=StratifiedKFold(n_splits=DEMO_FOLDS, shuffle=True, random_state=seed),
        # in this process: on two shared cores, worker processes (each importing
        # scikit-learn) made the 24 small fits slower, 12 s instead of 8
        n_jobs=None,
    )
    with warnings.catch_warnings():
        # a rate too large may diverge: the table says so, with 'failed'
        warnings.simplefilter("ignore", ConvergenceWarning)
        warnings.simplefilter("ignore", FitFailedWarning)
        warnings.filterwarnings("ignore", "One or more of the test scores")
        search.fit(X, y)
    return search


def print_demo_table(search, epochs):
    """Print the demo search's mean scores, learning rates by momentum."""
    rates, momenta = DEMO_GRID["learning_rate"], DEMO_GRID["momentum"]
    scores = search.cv_results_["mean_test_score"].reshape(len(rates), len(momenta))
    print(
        f"GridSearchCV over learning_rate x momentum (SGD, decay 1e-3, full batch, "
        f"{epochs} epochs),\nmean accuracy of {DEMO_FOLDS}-fold cross-validation; "
        "chance is 0.333:"
    )
    print("learning_rate" + "".join(f"  {f'momentum={m}':>13}" for m in momenta))
    for rate, row in zip(rates, scores):
        cells = ["failed" if np.isnan(s) else f"{s:.3f}" for s in row]
        print(f"{rate:>13}" + "".join(f"  {c:>13}" for c in cells))
    print(
        f"A rate too small hardly moves in {epochs} epochs; one too large "
        "overshoots.\nMomentum 0.9 makes the steps up to ten times longer: it "
        "rescues small rates,\nand makes large ones overshoot."
    )
    print(
        f"Best parameters: {search.best_params_} "
        f"(mean CV accuracy {search.best_score_:.3f})"
    )
