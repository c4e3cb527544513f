"""Training on a CSV file: the steps of ``python -m sknnfs data.csv --target y``.

Read the file (:mod:`~sknnfs.cli.reading`), take out the target and choose
the task (:mod:`~sknnfs.cli.task`), decide what each column is
(:mod:`~sknnfs.cli.columns`), report it all (:mod:`~sknnfs.cli.report`),
then cross-validate the pipeline (or search ``--grid``,
:mod:`~sknnfs.cli.grid`), fit it on all the rows with the book's log and
save it (:mod:`~sknnfs.cli.predicting`).
"""

import os
import sys
import warnings
from pathlib import Path

import numpy as np
from sklearn.base import clone
from sklearn.exceptions import ConvergenceWarning
from sklearn.model_selection import KFold, StratifiedKFold, cross_validate
from sklearn.pipeline import Pipeline

from .._validation import unused_setting_message
from ..classifier import NNFSClassifier
from ..optimizers import NAMED_OPTIMIZERS
from ..regressor import NNFSRegressor
from .columns import column_transformer, decide_columns, names_by_use
from .errors import CLIError, first_line, plain, shell_words
from .grid import (
    batch_size,
    checked_grids,
    hidden_layer_sizes,
    parse_grid,
    search,
    shown,
)
from .numbers import find_decimal_mark, read_numbers
from .predicting import save, typed_features
from .reading import read_table, separator_option
from .report import book_log, print_columns, print_file, print_score
from .task import choose_task

ESTIMATORS = {"classify": NNFSClassifier, "regress": NNFSRegressor}
METRICS = {"classify": "accuracy", "regress": "R^2"}


def train(args, pd):
    """Train on the file of ``args`` and report each step; CLIError if it cannot.

    Parameters
    ----------
    args : argparse.Namespace
        The parsed command line.
    pd : module
        pandas.
    """
    check_options(args)
    settings = _settings(args)
    grid = parse_grid(args.grid) if args.grid else None
    table = read_table(pd, args.data, separator_option(args.sep), args.header)
    decimal = args.decimal or find_decimal_mark(table.frame, table.sep)
    _check_names(table, args)
    y, features = target_column(table, args.target, decimal)
    print_file(table, len(table.frame), decimal)
    task, line = choose_task(y, args.target, args.task)
    print(line)
    X, columns = decide_columns(pd, features, decimal, args.keep, args.id, args.drop)
    print_columns(columns, args.missing)
    if not any(c.use in ("numbers", "words", "dates") for c in columns):
        raise CLIError("no column is left to learn from: --keep the ones to use")
    X, y = _complete_rows(X, y, columns, args.missing)
    if task == "classify" and y.dtype.kind == "f":
        y = y.astype(np.int64)  # whole numbers, as the classes' names
    estimator = _estimator(task, settings)
    grids, notes = checked_grids(grid, estimator) if grid else (None, [])
    for note in notes:
        print(note)
    model = Pipeline(
        [
            ("columns", column_transformer(columns, _strategy(args.missing))),
            (type(estimator).__name__.lower(), estimator),
        ]
    )
    validation = _validation(pd, args, columns, task) if args.validation else None
    cv = _folds(task, y, args.cv, args.seed)
    _score(model, grid, grids, X, y, cv, task)
    _final_fit(model, X, y, task, args.log_every, validation)
    if validation is not None:
        print_score(f"Validation file {args.validation}", model, *validation, task)
    if args.save:
        save(model, args.save)


def target_column(table, target, decimal):
    """Return the target, without its empty rows (counted), and the other columns.

    Parameters
    ----------
    table : Table
        The file read.
    target : str
        The target's name.
    decimal : {'.', ','}
        The file's decimal mark.

    Returns
    -------
    y : pandas.Series
        Floats if the column reads as numbers, else text.
    features : pandas.DataFrame
        The other columns' cells, in the rows that have a target.
    """
    frame = table.frame
    if target not in frame.columns:
        raise CLIError(
            f"no column {target!r} in {table.path}; its columns are: "
            + ", ".join(map(str, frame.columns))
        )
    numbers, _, placeholders = read_numbers(frame[target], decimal)
    y = frame[target].str.strip() if numbers is None else numbers
    kept = y.notna()
    if not kept.any():
        raise CLIError(f"the target column {target!r} has no values")
    if not kept.all():
        empty = int((~kept).sum())
        table.notes.append(
            f"note: {empty} {'row' if empty == 1 else 'rows'} with an empty target "
            "left out"
        )
    return y[kept], frame.loc[kept].drop(columns=[target])


def _validation(pd, args, columns, task):
    """Return the validation file's features and target, typed as training's."""
    table = read_table(pd, args.validation, separator_option(args.sep), args.header)
    decimal = args.decimal or find_decimal_mark(table.frame, table.sep)
    y, features = target_column(table, args.target, decimal)
    if task == "classify" and y.dtype.kind == "f":
        y = y.astype(np.int64)
    X, _ = typed_features(pd, names_by_use(columns), features, decimal, args.validation)
    for note in table.notes:
        print(note.replace("note: ", f"note: {args.validation}: ", 1))
    return X, y


def _check_names(table, args):
    """Refuse --id, --keep and --drop columns that are not in the file."""
    for option in ("id", "keep", "drop"):
        for name in getattr(args, option):
            if name not in table.frame.columns:
                raise CLIError(
                    f"--{option} {name}: no such column in {table.path}; its "
                    "columns are: " + ", ".join(map(str, table.frame.columns))
                )
            if name == args.target:
                raise CLIError(f"--{option} {name}: that is the target column")


def _strategy(missing):
    """Return SimpleImputer's strategy of ``--missing`` (median for ``drop``)."""
    return {"drop": "median", "most-frequent": "most_frequent"}.get(missing, missing)


def _complete_rows(X, y, columns, missing):
    """Return ``X, y`` without the rows of empty used cells, with ``--missing drop``."""
    if missing != "drop":
        return X, y
    used = [c.name for c in columns if c.use in ("numbers", "words", "dates")]
    complete = X[used].notna().all(axis=1)
    print(
        f"rows with empty cells left out (--missing drop): {int((~complete).sum())} "
        f"of {len(X)}; --load fills a new file's empty cells with the median"
    )
    if not complete.any():
        raise CLIError("every row has an empty cell: leave out --missing drop")
    return X[complete], y[complete]


def check_options(args):
    """Refuse options that cannot work, before the file is read."""
    if args.target is None:
        raise CLIError("--target is required with a CSV file: the column to predict")
    if args.output is not None:
        raise CLIError("--output writes the predictions of --load: give --load MODEL")
    if args.cv < 2:
        raise CLIError(
            f"--cv {args.cv}: cross-validation needs at least 2 folds (default: 5)"
        )
    if args.log_every is not None and args.log_every < 1:
        raise CLIError(f"--log-every takes a number of epochs, not {args.log_every}")
    if args.save:
        _check_save_path(Path(args.save))


def _check_save_path(path):
    """Refuse a --save path that could not be written to, before training."""
    folder = path.parent
    if path.is_dir():
        raise CLIError(f"--save {path} is a folder: give a file name in it")
    if not folder.is_dir():
        raise CLIError(
            f"--save {path}: there is no folder {folder}; create it first, or save "
            "somewhere else"
        )
    if not os.access(path if path.exists() else folder, os.W_OK):
        raise CLIError(f"--save {path}: not allowed to write there")


def _settings(args):
    """Return the estimator's parameters that the options set.

    Options left out are left out here too, so that each estimator keeps its
    own default (batch_size, early_stopping, the learning rate).
    """
    named = NAMED_OPTIMIZERS[args.optimizer]
    if args.momentum is not None and not named.uses("momentum"):
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
    if args.validation is not None:
        if args.early_stopping is False:
            raise CLIError(
                "--validation scores early stopping's epochs: leave out "
                "--no-early-stopping"
            )
        args.early_stopping = True
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
        raise CLIError(shell_words(first_line(error))) from None
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
            + (
                ", or predict numbers with --task regress"
                if y.dtype.kind in "iuf"
                else ""
            )
        )
    return StratifiedKFold(n_splits, shuffle=True, random_state=seed)


def _score(model, grid, grids, X, y, cv, task):
    """Print the cross-validated scores, or search the grid."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        try:
            if grid:
                search(model, grid, grids, X, y, cv, METRICS[task])
            else:
                _cross_validate(model, X, y, cv, task)
        except ValueError as error:
            raise CLIError(shell_words(first_line(error))) from None


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


def _final_fit(model, X, y, task, log_every, validation=None):
    """Fit ``model`` on all the rows with the book's log, print its training score.

    With ``validation``, early stopping scores its rows: transformed by the
    columns step as fitted on ``X``, which the pipeline's fit fits alike.
    """
    estimator, params = model[-1], {}
    if validation is not None:
        step, (X_val, y_val) = model.steps[-1][0], validation
        columns = clone(model[0]).fit(X)
        params = {f"{step}__X_val": columns.transform(X_val), f"{step}__y_val": y_val}
    log_every = log_every or max(1, estimator.max_iter // 10)
    estimator.set_params(verbose=log_every)
    held = ""
    if validation is not None:
        held = f", early stopping on the {len(validation[1])} rows of --validation"
    elif estimator.early_stopping:
        held = f", {estimator.validation_fraction:.0%} held out for early stopping"
    print(
        f"Training on all {len(y)} rows{held} with {_shown_settings(estimator)}, "
        f"the book's log every {log_every} epochs:"
    )
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", ConvergenceWarning)
        try:
            with book_log():
                model.fit(X, y, **params)
        except ValueError as error:
            raise CLIError(shell_words(first_line(error))) from None
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
    """Return the estimator's settings that matter here, as the options write them."""
    params = estimator.get_params()
    if params["learning_rate"] is None:  # show the rate it trains with
        params["learning_rate"] = estimator._build_optimizer().learning_rate
    defaults = type(estimator)().get_params()
    shown = ["hidden_layer_sizes", "optimizer", "learning_rate", "max_iter"]
    shown += ["batch_size", "early_stopping"]  # their defaults differ by task
    shown += [name for name in ("decay", "momentum") if params[name] != defaults[name]]
    return " ".join(option(name, params[name]) for name in shown)


def option(name, value):
    """Return a setting as the command line writes it: ``--batch-size full``."""
    flag = "--" + name.replace("_", "-")
    if isinstance(value, bool):
        return flag if value else flag.replace("--", "--no-")
    return f"{flag} {shown(name, value)}"
