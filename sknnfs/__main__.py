"""The command line: ``python -m sknnfs [data.csv --target COLUMN ...]``.

Without a file, the demo: trains NNFSClassifier on nnfs's spiral data with the
book's log lines, prints the final accuracy, then tunes learning_rate x
momentum with GridSearchCV. With a CSV file and a target column, trains on
the file's columns: the CSV mode of ``_cli``.
"""

import argparse
import sys
import warnings

import numpy as np
from nnfs.datasets import spiral_data
from sklearn.exceptions import ConvergenceWarning
from sklearn.model_selection import GridSearchCV, StratifiedKFold

from sknnfs import NNFSClassifier
from sknnfs._cli import add_csv_arguments, run_csv

DESCRIPTION = """\
Without a CSV file: the demo. The book's network trains on its spiral data
with the book's log lines, then a grid search over learning_rate and momentum
shows which rates are too small, which too large, and what momentum adds.

With a CSV file and --target: trains NNFSClassifier (classes) or
NNFSRegressor (numbers) on the file's other columns, prints cross-validated
scores (or a grid search's, with --grid) and the book's log of the final fit,
and saves the fitted pipeline with --save.
"""

EPILOG = """\
examples:
  python -m sknnfs
  python -m sknnfs iris.csv --target species
  python -m sknnfs diabetes.csv --target progression --save model.joblib
  python -m sknnfs iris.csv --target species --optimizer sgd \\
      --grid learning_rate=0.01,0.1 momentum=0,0.9
"""


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


def main(argv=None):
    """Run the demo, or the CSV mode; ``argv`` as on the command line.

    Returns the exit code: 0, or 1 after a one-line error about the file.
    """
    parser = argparse.ArgumentParser(
        prog="python -m sknnfs",
        description=DESCRIPTION,
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    add_csv_arguments(parser)
    demo = parser.add_argument_group("the spiral demo (without a CSV file)")
    demo.add_argument(
        "--epochs",
        type=int,
        default=10001,
        help="epochs of the book-style run (default: 10001)",
    )
    demo.add_argument(
        "--grid-epochs",
        type=int,
        default=1000,
        help="epochs of each grid-search fit (default: 1000)",
    )
    parser.add_argument(
        "--seed", type=int, default=0, help="seed of the data, weights and folds"
    )
    args = parser.parse_args(argv)
    if args.data is not None:
        return run_csv(args)
    csv_only = (args.target, args.task, args.sep, args.grid, args.save)
    if any(value is not None for value in csv_only):
        parser.error("--target, --task, --sep, --grid and --save need a CSV file")
    run_demo(args)
    return 0


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
    print(f"Final training accuracy: {model.score(X, y):.3f}\n")

    grid = {"learning_rate": [0.1, 0.5, 1.0], "momentum": [0.0, 0.5, 0.9]}
    print(
        f"GridSearchCV over {grid}, 5-fold (shuffled), {args.grid_epochs} epochs each:"
    )
    search = GridSearchCV(
        NNFSClassifier(
            (64,),
            optimizer="sgd",
            decay=1e-3,
            batch_size=None,
            max_iter=args.grid_epochs,
            tol=None,
            random_state=args.seed,
        ),
        grid,
        cv=StratifiedKFold(n_splits=5, shuffle=True, random_state=args.seed),
        n_jobs=2,
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        search.fit(X, y)
    results = search.cv_results_
    for params, score in zip(results["params"], results["mean_test_score"]):
        print(
            f"  learning_rate={params['learning_rate']:<4} "
            f"momentum={params['momentum']:<4}"
            f" mean CV accuracy {score:.3f}"
        )
    print(
        f"Best parameters: {search.best_params_} "
        f"(mean CV accuracy {search.best_score_:.3f})"
    )


if __name__ == "__main__":
    sys.exit(main())
