"""The CSV mode of ``python -m sknnfs``: train on a CSV file's columns.

``python -m sknnfs data.csv --target species`` reads the file with pandas
(``_cli_data``), chooses classification or regression from the target,
one-hot encodes the non-numeric feature columns and standardizes the
numeric ones, prints cross-validated scores (of each candidate, with
``--grid``: ``_cli_grid``), then fits the model on all the rows with the
book's log lines and can save the fitted pipeline with joblib.
"""

import argparse
import os
import re
import sys
import warnings
from pathlib import Path

from sklearn.compose import ColumnTransformer
from sklearn.exceptions import ConvergenceWarning
from sklearn.model_selection import KFold, StratifiedKFold, cross_validate
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler

from ._cli_data import (
    CLIError,
    choose_task,
    first_line,
    is_number,
    numeric_columns,
    numeric_text_warning,
    plain,
    read_table,
    separator_option,
    split_target,
)
from ._cli_grid import batch_size, checked_grids, hidden_layer_sizes, parse_grid, search
from ._cli_predict import (
    TRAINING_OPTIONS,
    check_predict_options,
    load_model,
    predict_file,
    save,
)
from ._validation import unused_setting_message
from .classifier import NNFSClassifier
from .exceptions import DivergenceError
from .optimizers import NAMED_OPTIMIZERS
from .regressor import NNFSRegressor

ESTIMATORS = {"classify": NNFSClassifier, "regress": NNFSRegressor}
METRICS = {"classify": "accuracy", "regress": "R^2"}


def add_csv_arguments(parser):
    """Add the CSV mode's options to the ``argparse`` parser.

    Parameters
    ----------
    parser : argparse.ArgumentParser
        The parser of ``python -m sknnfs``.
    """
    parser.add_argument(
        "data",
        nargs="?",
        help="a CSV file with a header row; without it, the spiral demo runs",
    )
    group = parser.add_argument_group("CSV mode (with a CSV file)")
    group.add_argument("--target", help="the column to predict (required)")
    group.add_argument(
        "--task",
        choices=["classify", "regress"],
        help="classify (NNFSClassifier) or regress (NNFSRegressor); by default "
        "chosen from the target: words and up to 20 distinct whole numbers are "
        "classes, other numbers are regressed",
    )
    group.add_argument(
        "--sep",
        help="the column separator, e.g. ';' or tab (default: detected from the "
        "first lines among , ; tab |)",
    )
    _add_estimator_arguments(group)
    group.add_argument("--cv", type=int, default=5, help="folds (default: 5)")
    group.add_argument(
        "--grid",
        nargs="+",
        metavar="NAME=V1,V2",
        help="search these values of the estimator's parameters, read as the "
        "options read them, e.g. learning_rate=0.001,0.01 momentum=0,0.9 "
        "batch_size=full,32 'hidden_layer_sizes=16,(32,16)' (quoted: the shell "
        "reads parentheses)",
    )
    _add_saving_arguments(group)
    group.add_argument(
        "--log-every",
        type=int,
        help="print the book's log line every N epochs (default: max-iter / 10)",
    )
    parser.set_defaults(
        training_defaults={name: parser.get_default(name) for name in TRAINING_OPTIONS}
    )


def _add_saving_arguments(group):
    """Add the options that save a model, and predict with a saved one."""
    group.add_argument(
        "--save",
        metavar="PATH",
        help="save the fitted pipeline: with skops if PATH ends in .skops (safe "
        "to load), else with joblib",
    )
    group.add_argument(
        "--load",
        metavar="MODEL",
        help="predict the file's rows with a saved pipeline (.skops or joblib) "
        "instead of training",
    )
    group.add_argument(
        "--output",
        metavar="PATH",
        help="with --load: write the predictions there as CSV (default: print them)",
    )


def _add_estimator_arguments(group):
    """Add the options that set the estimator; the same meaning for both tasks."""
    group.add_argument(
        "--optimizer",
        default="adam",
        choices=list(NAMED_OPTIMIZERS),
        help="the book's optimizer (default: adam)",
    )
    group.add_argument(
        "--learning-rate",
        type=float,
        help="default: the estimator's rate for the optimizer, shown before the "
        "final fit",
    )
    group.add_argument(
        "--decay", type=float, default=0.0, help="the book's 1/t decay (default: 0)"
    )
    group.add_argument(
        "--momentum",
        type=float,
        help="SGD's and RMSprop's momentum, Adam's beta_1 (default: the optimizer's)",
    )
    group.add_argument(
        "--alpha", type=float, default=1e-4, help="L2 penalty (default: 1e-4)"
    )
    group.add_argument(
        "--hidden-layer-sizes",
        default="100",
        help="neurons per hidden layer, comma-separated (default: 100)",
    )
    group.add_argument(
        "--batch-size",
        help="samples per step, 'auto' (min(200, rows)), or 'full' for the book's "
        "full batch (default: 32 to classify, 'auto' to regress)",
    )
    group.add_argument(
        "--max-iter", type=int, default=200, help="epochs (default: 200)"
    )
    group.add_argument(
        "--early-stopping",
        action=argparse.BooleanOptionalAction,
        help="hold out a tenth of the rows, stop when their score stops improving "
        "and keep the best epoch's weights (default: off to classify, on to "
        "regress)",
    )


def run_csv(args):
    """Run the CSV mode; return the exit code (one line on stderr if not 0).

    Parameters
    ----------
    args : argparse.Namespace
        The parsed command line.

    Returns
    -------
    code : int
        0, or 1 after a one-line error.
    """
    try:
        _run(args)
    except (CLIError, DivergenceError) as error:
        print(f"python -m sknnfs: error: {error}", file=sys.stderr)
        return 1
    return 0


def _run(args):
    """Check the options, read the file, cross-validate, fit, save."""
    pd = _pandas()
    if args.load is not None:
        return _predict(args, pd)
    if args.output is not None:
        raise CLIError("--output writes the predictions of --load: give --load MODEL")
    _check_options(args)
    settings = _settings(args)
    grid = parse_grid(args.grid) if args.grid else None
    frame, sep = read_table(pd, args.data, separator_option(args.sep))
    X, y = split_target(frame, args.target, args.data)
    task, line = choose_task(y, args.target, args.task)
    estimator = _estimator(task, settings)
    grids, notes = checked_grids(grid, estimator) if grid else (None, [])
    cv = _folds(task, y, args.cv, args.seed)
    _describe(args, X, y, sep, line, task)
    for note in notes:
        print(note)
    model = _pipeline(X, estimator)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        try:
            if grid:
                search(model, grid, grids, X, y, cv, METRICS[task])
            else:
                _cross_validate(model, X, y, cv, task)
        except ValueError as error:
            raise CLIError(first_line(error)) from None
    _final_fit(model, X, y, task, args.log_every)
    if args.save:
        save(model, args.save)


def _predict(args, pd):
    """Predict the file's rows with the model saved at ``args.load``."""
    check_predict_options(args, args.training_defaults)
    model = load_model(args.load)
    frame, _ = read_table(pd, args.data, separator_option(args.sep))
    predict_file(model, frame, args.output)


def _pandas():
    try:
        import pandas as pd
    except ImportError:
        raise CLIError(
            "reading CSV files needs pandas: pip install 'sknnfs[cli]'"
        ) from None
    return pd


def _check_options(args):
    """Refuse options that cannot work, before the file is read."""
    if args.target is None:
        raise CLIError("--target is required with a CSV file: the column to predict")
    if args.cv < 2:
        raise CLIError(
            f"--cv {args.cv}: cross-validation needs at least 2 folds (default: 5)"
        )
    if args.log_every is not None and args.log_every < 1:
        raise CLIError(f"--log-every takes a number of epochs, not {args.log_every}")
    if args.save:
        _check_save_path(Path(args.save))


def _check_save_path(path):
    """Refuse a --save path that joblib could not write to, before training."""
    folder = path.parent
    if path.is_dir():
        raise CLIError(f"--save {path} is a folder: give a file name in it")
    if not folder.is_dir():
        raise CLIError(
            f"--save {path}: there is no folder {folder}; create it first, or save "
            "somewhere else"
        )
    writable = os.access(path if path.exists() else folder, os.W_OK)
    if not writable:
        raise CLIError(f"--save {path}: not allowed to write there")


def _settings(args):
    """Return the estimator's parameters that the options set.

    Options left out are left out here too, so that each estimator keeps its
    own default (batch_size, early_stopping, the learning rate).
    """
    if args.momentum is not None and not NAMED_OPTIMIZERS[args.optimizer].uses(
        "momentum"
    ):
        raise CLIError(
            f"{unused_setting_message(args.optimizer, 'momentum', args.momentum)} "
            "Leave out --momentum, or choose one of those with --optimizer."
        )
    settings = {
        "hidden_layer_sizes": hidden_layer_sizes(
            args.hidden_layer_sizes, "--hidden-layer-sizes"
        ),
        "optimizer": args.optimizer,
        "decay": args.decay,
        "alpha": args.alpha,
        "max_iter": args.max_iter,
        "random_state": args.seed,
    }
    optional = {
        "learning_rate": args.learning_rate,
        "momentum": args.momentum,
        "early_stopping": args.early_stopping,
    }
    settings.update({k: v for k, v in optional.items() if v is not None})
    if args.batch_size is not None:  # 'full' is None, the whole training set
        settings["batch_size"] = batch_size(args.batch_size, "--batch-size")
    return settings


def _estimator(task, settings):
    """Return the task's estimator with ``settings``, checked as its fit checks."""
    estimator = ESTIMATORS[task](**settings)
    try:
        estimator._validate()
    except ValueError as error:
        # "The 'max_iter' parameter of NNFSClassifier must be ..." names the option
        message = re.sub(
            r"^The '(\w+)' parameter of \w+",
            lambda match: "--" + match[1].replace("_", "-"),
            first_line(error),
        )
        raise CLIError(message) from None
    return estimator


def _folds(task, y, n_splits, seed):
    """Return the cross-validation splitter, or a CLIError if the data is too small."""
    if task == "regress":
        if y.nunique() < 2:
            raise CLIError(
                f"the target {y.name!r} has a single value: nothing to learn"
            )
        if len(y) < n_splits:
            raise CLIError(f"--cv {n_splits} needs {n_splits} rows; there are {len(y)}")
        return KFold(n_splits, shuffle=True, random_state=seed)
    counts = y.value_counts()
    if len(counts) < 2:
        raise CLIError(f"the target {y.name!r} has a single class")
    if counts.min() < n_splits:
        rarest = plain(counts.idxmin())
        raise CLIError(
            f"--cv {n_splits} needs {n_splits} rows of each class; the rarest "
            f"class, {rarest!r}, has {counts.min()}: lower --cv, or drop that class"
            + (", or predict numbers with --task regress" if is_number(y) else "")
        )
    return StratifiedKFold(n_splits, shuffle=True, random_state=seed)


def _describe(args, X, y, sep, task_line, task):
    """Print what was read and chosen; warn about text that looks numeric."""
    numeric, other = numeric_columns(X)
    print(
        f"{args.data}: {len(X)} rows, {X.shape[1]} features "
        f"({len(numeric)} numeric, {len(other)} one-hot encoded), separator {sep!r}"
    )
    print(task_line)
    lines = [
        numeric_text_warning(X[name], name, "one-hot encoded as categories")
        for name in other
    ]
    if task == "classify":
        lines.append(numeric_text_warning(y, y.name, "read as class labels"))
    for line in filter(None, lines):
        print(line, file=sys.stderr)


def _pipeline(X, estimator):
    """Return the pipeline: scaled numbers and one-hot words, then ``estimator``."""
    numeric, other = numeric_columns(X)
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
    return Pipeline(
        [("columns", encode), (type(estimator).__name__.lower(), estimator)]
    )


def _cross_validate(model, X, y, cv, task):
    """Print the cross-validated scores of ``model``."""
    scoring = {
        "classify": ["accuracy", "neg_log_loss"],
        "regress": ["r2", "neg_mean_absolute_error"],
    }[task]
    scores = cross_validate(model, X, y, cv=cv, scoring=scoring, error_score="raise")
    main, other = scores[f"test_{scoring[0]}"], -scores[f"test_{scoring[1]}"]
    # the log loss as the book's log prints losses; the error in the target's units
    other_name, shown = {
        "classify": ("log loss", f"{other.mean():.3f}"),
        "regress": ("mean absolute error", f"{other.mean():.4g}"),
    }[task]
    print(
        f"{cv.get_n_splits()}-fold cross-validation: {METRICS[task]} "
        f"{main.mean():.3f} +/- {main.std():.3f} "
        f"(folds: {', '.join(f'{a:.3f}' for a in main)}), "
        f"{other_name} {shown}"
    )


def _final_fit(model, X, y, task, log_every):
    """Fit ``model`` on all the rows with the book's log, print its training score."""
    estimator = model[-1]
    log_every = log_every or max(1, estimator.max_iter // 10)
    estimator.set_params(verbose=log_every)
    held = ""
    if estimator.early_stopping:
        held = f", {estimator.validation_fraction:.0%} held out for early stopping"
    print(
        f"Training on all {len(y)} rows{held} ({_shown_settings(estimator)}), "
        f"the book's log every {log_every} epochs:"
    )
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", ConvergenceWarning)
        try:
            model.fit(X, y)
        except ValueError as error:
            raise CLIError(first_line(error)) from None
    for warning in caught:  # the others, an interrupt's say, are still shown
        if not issubclass(warning.category, ConvergenceWarning):
            print(f"warning: {warning.message}", file=sys.stderr)
    if any(issubclass(w.category, ConvergenceWarning) for w in caught):
        print(
            f"note: the loss was still improving after {estimator.max_iter} epochs "
            "(try a larger --max-iter or learning rate)"
        )
    if task == "classify":
        print(f"Training accuracy: {model.score(X, y):.3f}")
    else:
        error = abs(model.predict(X) - y).mean()
        print(f"Training R^2: {model.score(X, y):.3f}, mean absolute error {error:.4g}")


def _shown_settings(estimator):
    """Return the estimator's settings that matter here, on one line."""
    params = estimator.get_params()
    shown = ["hidden_layer_sizes", "optimizer", "learning_rate", "max_iter"]
    shown += ["batch_size", "early_stopping"]  # their defaults differ by task
    defaults = type(estimator)().get_params()
    shown += [name for name in ("decay", "momentum") if params[name] != defaults[name]]
    if params["learning_rate"] is None:  # show the rate it trains with
        params["learning_rate"] = estimator._build_optimizer().learning_rate
    return ", ".join(f"{name}={params[name]!r}" for name in shown)
