"""The CSV mode of ``python -m sknnfs``: train on a CSV file's columns.

``python -m sknnfs data.csv --target species`` reads the file with pandas,
one-hot encodes the non-numeric feature columns and standardizes the numeric
ones, prints cross-validated scores (of each candidate, with ``--grid``),
then fits the model on all the rows with the book's log lines and can save
the fitted pipeline with joblib.
"""

import ast
import re
import sys
import warnings

import numpy as np
from sklearn.base import clone
from sklearn.compose import ColumnTransformer
from sklearn.exceptions import ConvergenceWarning, FitFailedWarning
from sklearn.model_selection import (
    GridSearchCV,
    ParameterGrid,
    StratifiedKFold,
    cross_validate,
)
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler
from sklearn.utils.multiclass import type_of_target

from ._validation import OPTIMIZER_SETTINGS, unused_setting_message
from .classifier import NNFSClassifier
from .exceptions import DivergenceError
from .optimizers import NAMED_OPTIMIZERS

STEP = "nnfsclassifier"


class CLIError(Exception):
    """A problem with the user's file or options, shown as one line."""


def add_csv_arguments(parser):
    """Add the CSV mode's options to the ``argparse`` parser."""
    parser.add_argument(
        "data",
        nargs="?",
        help="a CSV file with a header row; without it, the spiral demo runs",
    )
    group = parser.add_argument_group("CSV mode (with a CSV file)")
    group.add_argument("--target", help="the column to predict (required)")
    group.add_argument(
        "--optimizer",
        default="adam",
        choices=list(NAMED_OPTIMIZERS),
        help="the book's optimizer (default: adam)",
    )
    group.add_argument("--learning-rate", type=float, help="default: the book's")
    group.add_argument("--decay", type=float, default=0.0, help="1/t decay")
    group.add_argument("--momentum", type=float, help="for the SGD optimizers")
    group.add_argument("--alpha", type=float, default=1e-4, help="L2 penalty")
    group.add_argument(
        "--hidden-layer-sizes",
        default="100",
        help="neurons per hidden layer, comma-separated (default: 100)",
    )
    group.add_argument(
        "--batch-size",
        default="32",
        help="samples per step, 'auto', or 'full' for the book's full batch",
    )
    group.add_argument("--max-iter", type=int, default=200, help="epochs (200)")
    group.add_argument(
        "--early-stopping",
        action="store_true",
        help="hold out 10%% of the rows and keep the best epoch's weights",
    )
    group.add_argument("--cv", type=int, default=5, help="folds (default: 5)")
    group.add_argument(
        "--grid",
        nargs="+",
        metavar="NAME=V1,V2",
        help="search these values of NNFSClassifier parameters, "
        "e.g. learning_rate=0.001,0.01 momentum=0,0.9",
    )
    group.add_argument("--save", metavar="PATH", help="save the model with joblib")
    group.add_argument(
        "--log-every",
        type=int,
        help="print the book's log line every N epochs (default: max-iter / 10)",
    )


def run_csv(args):
    """Run the CSV mode; return the exit code (one line on stderr if not 0)."""
    try:
        _run(args)
    except (CLIError, DivergenceError) as error:
        print(f"python -m sknnfs: error: {error}", file=sys.stderr)
        return 1
    return 0


def _run(args):
    pd = _pandas()
    if args.target is None:
        raise CLIError("--target is required with a CSV file: the column to predict")
    classifier = _classifier(args)
    grid = _parse_grid(args.grid) if args.grid else None
    grids = _checked_grids(grid, classifier) if grid else None
    frame = _read_csv(pd, args.data)
    if args.target not in frame.columns:
        raise CLIError(
            f"no column {args.target!r} in {args.data}; its columns are: "
            + ", ".join(map(str, frame.columns))
        )
    y = frame[args.target]
    X = frame.drop(columns=[args.target])
    if X.shape[1] == 0:
        raise CLIError(f"{args.data} has no column besides the target {args.target!r}")
    if y.isna().any():
        raise CLIError(f"the target column {args.target!r} has empty values")
    missing = [str(c) for c in X.columns if X[c].isna().any()]
    if missing:
        raise CLIError(
            "empty values in the feature columns "
            + ", ".join(missing)
            + ": fill or drop them first"
        )
    kind = type_of_target(y)
    if kind not in ("binary", "multiclass"):
        raise CLIError(
            f"the target {args.target!r} is {kind}, not classes: NNFSClassifier "
            "predicts classes (labels, or a few distinct values)"
        )
    counts = y.value_counts()
    if len(counts) < 2:
        raise CLIError(f"the target {args.target!r} has a single class")
    if args.cv < 2 or counts.min() < args.cv:
        raise CLIError(
            f"--cv {args.cv} needs at least 2 folds and {args.cv} rows of each "
            f"class; the rarest class, {counts.idxmin()!r}, has {counts.min()}"
        )

    model = _pipeline(X, classifier)
    cv = StratifiedKFold(n_splits=args.cv, shuffle=True, random_state=args.seed)
    numeric, other = _columns(X)
    print(
        f"{args.data}: {len(frame)} rows, {X.shape[1]} features "
        f"({len(numeric)} numeric, {len(other)} one-hot encoded), "
        f"target {args.target!r} with {len(counts)} classes"
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        try:
            if grid:
                _search(model, grid, grids, X, y, cv)
            else:
                _cross_validate(model, X, y, cv)
        except ValueError as error:
            raise CLIError(_first_line(error)) from None

    log_every = args.log_every or max(1, model[-1].max_iter // 10)
    model.set_params(**{f"{STEP}__verbose": log_every})
    print(
        f"Training on all {len(y)} rows ({_settings(model[-1])}), "
        f"the book's log every {log_every} epochs:"
    )
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", ConvergenceWarning)
        try:
            model.fit(X, y)
        except ValueError as error:
            raise CLIError(_first_line(error)) from None
    if any(issubclass(w.category, ConvergenceWarning) for w in caught):
        print(
            f"note: the loss was still improving after {model[-1].max_iter} epochs "
            "(try a larger --max-iter or learning rate)"
        )
    print(f"Training accuracy: {model.score(X, y):.3f}")
    if args.save:
        import joblib

        try:
            joblib.dump(model, args.save)
        except OSError as error:
            raise CLIError(f"cannot save the model to {args.save}: {error}") from None
        print(
            f"Saved the fitted pipeline to {args.save}: joblib.load it and predict "
            "on a DataFrame with the same feature columns"
        )


def _pandas():
    try:
        import pandas as pd
    except ImportError:
        raise CLIError(
            "reading CSV files needs pandas: pip install 'sknnfs[cli]'"
        ) from None
    return pd


def _read_csv(pd, path):
    try:
        frame = pd.read_csv(path)
    except FileNotFoundError:
        raise CLIError(f"no such file: {path}") from None
    except IsADirectoryError:
        raise CLIError(f"{path} is a directory, not a CSV file") from None
    except pd.errors.EmptyDataError:
        raise CLIError(f"{path} is empty") from None
    except (pd.errors.ParserError, UnicodeDecodeError, OSError) as error:
        raise CLIError(f"cannot read {path} as CSV: {_first_line(error)}") from None
    if len(frame) == 0:
        raise CLIError(f"{path} has a header but no rows")
    return frame


def _columns(X):
    from pandas.api.types import is_numeric_dtype

    numeric = [c for c in X.columns if is_numeric_dtype(X[c])]
    other = [c for c in X.columns if c not in numeric]
    return numeric, other


def _pipeline(X, classifier):
    numeric, other = _columns(X)
    encode = ColumnTransformer(
        [
            ("numeric", StandardScaler(), numeric),
            (
                "categories",
                OneHotEncoder(handle_unknown="ignore", sparse_output=False),
                other,
            ),
        ],
        verbose_feature_names_out=False,
    )
    return Pipeline([("columns", encode), (STEP, classifier)])


def _classifier(args):
    optimizer, momentum = args.optimizer, args.momentum
    if momentum is not None and not NAMED_OPTIMIZERS[optimizer].uses("momentum"):
        raise CLIError(
            f"{unused_setting_message(optimizer, 'momentum', momentum)} Leave out "
            "--momentum, or choose one of those with --optimizer."
        )
    try:
        sizes = tuple(int(s) for s in args.hidden_layer_sizes.split(",") if s.strip())
    except ValueError:
        raise CLIError(
            f"--hidden-layer-sizes must be integers like 64 or 64,32, "
            f"not {args.hidden_layer_sizes!r}"
        ) from None
    batch_size = {"full": None, "auto": "auto"}.get(args.batch_size, args.batch_size)
    if isinstance(batch_size, str):
        try:
            batch_size = int(batch_size)
        except ValueError:
            raise CLIError(
                f"--batch-size must be an integer, 'auto' or 'full', "
                f"not {args.batch_size!r}"
            ) from None
    classifier = NNFSClassifier(
        sizes,
        optimizer=args.optimizer,
        learning_rate=args.learning_rate,
        decay=args.decay,
        momentum=args.momentum,
        alpha=args.alpha,
        batch_size=batch_size,
        max_iter=args.max_iter,
        early_stopping=args.early_stopping,
        random_state=args.seed,
    )
    try:
        classifier._validate()
    except ValueError as error:
        raise CLIError(_first_line(error)) from None
    return classifier


def _parse_grid(items):
    """Return the parameter grid of ``['learning_rate=0.01,0.1', ...]``."""
    known = NNFSClassifier().get_params()
    grid = {}
    for item in items:
        name, sep, values = item.partition("=")
        name = name.strip().replace("-", "_")
        if not sep or not values:
            raise CLIError(f"--grid takes NAME=V1,V2,..., not {item!r}")
        if name not in known:
            raise CLIError(
                f"--grid: NNFSClassifier has no parameter {name!r}; it has "
                + ", ".join(known)
            )
        # commas separate values, except inside parentheses: (64,),(32, 16)
        grid[f"{STEP}__{name}"] = [
            _literal(v) for v in re.split(r",(?![^(]*\))", values) if v.strip()
        ]
    return grid


def _checked_grids(grid, classifier):
    """Return ``grid`` as a list of grids, each candidate checked before training.

    Each optimizer of the search gets the settings it uses: a setting that
    one of them would ignore is searched without it there, and a note says
    so; a setting that none of them uses, or a candidate the classifier
    refuses, is an error.
    """
    key = f"{STEP}__optimizer"
    optimizers = grid.get(key, [classifier.optimizer])
    grids, unused = [], {}
    for optimizer in optimizers:
        named = NAMED_OPTIMIZERS.get(optimizer)
        kept = dict(grid)
        for name in [k.removeprefix(f"{STEP}__") for k in grid]:
            if named and name in OPTIMIZER_SETTINGS and not named.uses(name):
                unused.setdefault(name, []).append(optimizer)
                del kept[f"{STEP}__{name}"]
        grids.append({**kept, key: [optimizer]} if key in grid else kept)
    for name, without in unused.items():
        if len(without) == len(optimizers):
            values = grid[f"{STEP}__{name}"]
            raise CLIError(
                f"--grid {unused_setting_message(without[0], name, values)} Choose "
                "one of those with --optimizer, or search them: --grid optimizer=..."
            )
        print(
            f"note: {name} is not used by {', '.join(map(repr, without))}: "
            "those candidates are searched without it"
        )
    for params in ParameterGrid(grids):
        _check_candidate(classifier, params)
    return grids


def _check_candidate(classifier, params):
    """Raise CLIError if the classifier refuses the grid candidate ``params``."""
    params = {key.removeprefix(f"{STEP}__"): value for key, value in params.items()}
    candidate = clone(classifier).set_params(**params)
    try:
        candidate._validate()
    except ValueError as error:
        shown = ", ".join(f"{name}={value!r}" for name, value in params.items())
        raise CLIError(f"--grid candidate {shown}: {_first_line(error)}") from None


def _literal(text):
    text = text.strip()
    try:
        return ast.literal_eval(text)
    except (ValueError, SyntaxError):
        return text  # a word: an optimizer's name, 'auto'


def _cross_validate(model, X, y, cv):
    scores = cross_validate(
        model, X, y, cv=cv, scoring=["accuracy", "neg_log_loss"], error_score="raise"
    )
    accuracy, log_loss = scores["test_accuracy"], -scores["test_neg_log_loss"]
    print(
        f"{cv.get_n_splits()}-fold cross-validation: accuracy "
        f"{accuracy.mean():.3f} +/- {accuracy.std():.3f} "
        f"(folds: {', '.join(f'{a:.3f}' for a in accuracy)}), "
        f"log loss {log_loss.mean():.3f}"
    )


def _search(model, grid, grids, X, y, cv):
    names = {key: key.removeprefix(f"{STEP}__") for key in grid}
    print(
        f"GridSearchCV over {', '.join(f'{names[k]}={v}' for k, v in grid.items())}, "
        f"{cv.get_n_splits()}-fold:"
    )
    search = GridSearchCV(model, grids, cv=cv, refit=False)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", FitFailedWarning)  # shown as "failed"
        try:
            search.fit(X, y)
        except ValueError as error:
            raise CLIError(
                f"{_first_line(error)} Training diverged or failed for every "
                "candidate: try lower learning rates"
            ) from None
    results = search.cv_results_
    for params, mean, std in zip(
        results["params"], results["mean_test_score"], results["std_test_score"]
    ):
        shown = " ".join(f"{names[k]}={v}" for k, v in params.items())
        if np.isnan(mean):
            print(f"  {shown}: failed (training diverged or the fit raised)")
        else:
            print(f"  {shown}: accuracy {mean:.3f} +/- {std:.3f}")
    best = {names[k]: v for k, v in search.best_params_.items()}
    print(f"Best: {best} (mean CV accuracy {search.best_score_:.3f})")
    model.set_params(**search.best_params_)


def _settings(classifier):
    """Return the classifier's settings that matter here, on one line."""
    params = classifier.get_params()
    shown = ["hidden_layer_sizes", "optimizer", "learning_rate", "max_iter"]
    shown += [
        name
        for name in ("decay", "momentum", "batch_size", "early_stopping")
        if params[name] != NNFSClassifier().get_params()[name]
    ]
    if params["learning_rate"] is None:  # show the rate it trains with
        params["learning_rate"] = classifier._build_optimizer().learning_rate
    return ", ".join(f"{name}={params[name]!r}" for name in shown)


def _first_line(error):
    text = str(error).strip()
    return text.splitlines()[0] if text else type(error).__name__
