"""``--grid`` of ``python -m sknnfs``: its values, their checks and the search.

Each value is read as the matching option reads it (``full`` for
batch_size, neurons per layer for hidden_layer_sizes, numbers for numbers)
and every candidate is checked by the estimator's own parameter validation
before anything trains. A candidate that fails in training is reported with
the first line of its error.
"""

import re
import warnings
from functools import partial

import numpy as np
from sklearn.base import clone
from sklearn.exceptions import FitFailedWarning
from sklearn.model_selection import GridSearchCV, ParameterGrid

from .._validation import OPTIMIZER_SETTINGS, unused_setting_message
from ..classifier import NNFSClassifier
from ..optimizers import NAMED_OPTIMIZERS
from ..regressor import NNFSRegressor
from .errors import CLIError, first_line, shell_words
from .numbers import reads_as_numbers

# How --grid reads the values of each parameter; the others as Python literals.
NUMBERS = {"learning_rate", "decay", "momentum", "epsilon", "rho", "beta_1"}
NUMBERS |= {"beta_2", "alpha", "tol", "validation_fraction"}
PER_LAYER = {"weight_l1", "weight_l2", "bias_l1", "bias_l2", "dropout"}
INTEGERS = {"max_iter", "n_iter_no_change", "random_state", "verbose"}
SWITCHES = {"early_stopping", "shuffle", "warm_start", "normalize_y"}
_TRUE, _FALSE = {"true", "yes", "on", "1"}, {"false", "no", "off", "0"}


def hidden_layer_sizes(text, option):
    """Return the layer sizes of ``'64'``, ``'64,32'`` or ``'(64, 32)'``.

    Parameters
    ----------
    text : str
        The value as written.
    option : str
        The option, for the message.

    Returns
    -------
    sizes : tuple of int
        Neurons per hidden layer.
    """
    try:
        sizes = tuple(int(s) for s in text.strip().strip("()").split(",") if s.strip())
    except ValueError:
        sizes = ()
    if not sizes:
        raise CLIError(
            f"{option} takes neurons per hidden layer, like 64 or 64,32, not {text!r}"
        )
    return sizes


def batch_size(text, option):
    """Return the batch size of ``'32'``, ``'auto'`` or ``'full'`` (None).

    Parameters
    ----------
    text : str
        The value as written.
    option : str
        The option, for the message.

    Returns
    -------
    batch_size : int, 'auto' or None
        As the estimators take it; None is the whole training set.
    """
    word = text.strip().lower()
    if word in ("full", "none", "auto"):
        return "auto" if word == "auto" else None
    try:
        return int(word)
    except ValueError:
        raise CLIError(
            f"{option} takes a number of samples, 'auto' or 'full' (the book's "
            f"full batch), not {text!r}"
        ) from None


def shown(name, value):
    """Return a value as the command line writes it: ``full``, ``64,32``.

    Parameters
    ----------
    name : str
        The estimator's parameter.
    value : object
        Its value.

    Returns
    -------
    text : str
        ``full`` for a batch_size of None, layer sizes without parentheses
        (within them, in a grid of several), the others as Python writes them.

    Examples
    --------
    >>> shown("hidden_layer_sizes", (64, 32)), shown("batch_size", None)
    ('64,32', 'full')
    """
    if name == "batch_size" and value is None:
        return "full"
    if isinstance(value, tuple):
        return ",".join(map(str, value))
    return str(value)


def parse_grid(items):
    """Return ``{name: [values]}`` of ``['learning_rate=0.01,0.1', ...]``.

    Parameters
    ----------
    items : list of str
        The ``--grid`` arguments, ``NAME=V1,V2,...``; commas inside
        parentheses belong to one value: ``hidden_layer_sizes=16,(32,16)``.

    Returns
    -------
    grid : dict
        Parameter names (of either estimator) and their values.
    """
    known = {**NNFSClassifier().get_params(), **NNFSRegressor().get_params()}
    grid = {}
    for item in items:
        name, sep, values = item.partition("=")
        name = name.strip().replace("-", "_")
        if not sep or not values.strip():
            raise CLIError(f"--grid takes NAME=V1,V2,..., not {item!r}")
        if name not in known:
            raise CLIError(
                f"--grid: the estimators have no parameter {name!r}; they have "
                + ", ".join(known)
            )
        texts = [v for v in re.split(r",(?![^(]*\))", values) if v.strip()]
        grid[name] = [_value(name, text) for text in texts]
    return grid


def _value(name, text):
    """Return one grid value of parameter ``name``, read as its option reads it."""
    text, option = text.strip(), f"--grid {name}"
    if name == "batch_size":
        return batch_size(text, option)
    if name == "hidden_layer_sizes":
        return hidden_layer_sizes(text, option)
    if text.lower() == "none":
        return None  # the estimator's validation says where None is allowed
    try:
        if name in NUMBERS:  # 0 stays 0, as written
            return int(text) if re.fullmatch(r"[-+]?\d+", text) else float(text)
        if name in INTEGERS:
            return int(text)
        if name in PER_LAYER:
            inner = text.strip("()").split(",")
            values = tuple(float(v) for v in inner if v.strip())
            return values if text.startswith("(") else values[0]
    except (ValueError, IndexError):
        kind = "a whole number" if name in INTEGERS else "a number"
        raise CLIError(f"{option}: {text!r} is not {kind}") from None
    if name in SWITCHES:
        if text.lower() not in _TRUE | _FALSE:
            raise CLIError(f"{option}: {text!r} is not true or false")
        return text.lower() in _TRUE
    if name == "init" and reads_as_numbers([text]):
        return float(text)  # the book's scale of randn, or a word
    return text  # a word: an optimizer's name, an activation, 'balanced'


def checked_grids(grid, estimator):
    """Return ``grid`` as a list of pipeline grids, each candidate checked.

    Each optimizer of the search gets the settings it uses: a setting that
    one of them would ignore is searched without it there, and a note says
    so; a setting that none of them uses, or a candidate the estimator
    refuses, is an error, before anything trains.

    Parameters
    ----------
    grid : dict
        ``{name: [values]}``, as :func:`parse_grid` returns it.
    estimator : NNFSClassifier or NNFSRegressor
        The estimator with the options' settings.

    Returns
    -------
    grids : list of dict
        Grids for ``GridSearchCV`` of the pipeline whose last step is
        ``estimator``, named as ``make_pipeline`` names it.
    notes : list of str
        A ``note:`` line for each setting left out for some optimizers.
    """
    known = estimator.get_params()
    for name in grid:
        if name not in known:
            raise CLIError(
                f"--grid: {type(estimator).__name__} has no parameter {name!r}; "
                "it has " + ", ".join(known)
            )
    grids, notes = _grids_by_optimizer(grid, estimator.optimizer)
    for params in ParameterGrid(grids):  # named in the user's order
        _check_candidate(estimator, {k: params[k] for k in grid if k in params})
    step = type(estimator).__name__.lower()
    return [{f"{step}__{k}": v for k, v in g.items()} for g in grids], notes


def _grids_by_optimizer(grid, default_optimizer):
    """Return one grid per optimizer of ``grid``, each with the settings it uses.

    Also returns a ``note:`` line per setting left out for some optimizers;
    a setting that none of them uses is a CLIError.
    """
    optimizers = grid.get("optimizer", [default_optimizer])
    grids, unused, notes = [], {}, []
    for optimizer in optimizers:
        named = NAMED_OPTIMIZERS.get(optimizer)
        kept = dict(grid)
        for name in grid:
            if named and name in OPTIMIZER_SETTINGS and not named.uses(name):
                unused.setdefault(name, []).append(optimizer)
                del kept[name]
        grids.append(
            {**kept, "optimizer": [optimizer]} if "optimizer" in grid else kept
        )
    for name, without in unused.items():
        if len(without) == len(optimizers):
            written = ",".join(_grid_value(name, v) for v in grid[name])
            message = unused_setting_message(without[0], name, grid[name]).replace(
                f"{name}={grid[name]!r}", f"{name}={written}", 1
            )
            raise CLIError(
                f"--grid {message} Choose one of those with --optimizer, or search "
                "them: --grid optimizer=..."
            )
        notes.append(
            f"note: {name} is not used by {', '.join(map(repr, without))}: "
            "those candidates are searched without it"
        )
    return grids, notes


def _check_candidate(estimator, params):
    """Raise CLIError if the estimator refuses the grid candidate ``params``."""
    candidate = clone(estimator).set_params(**params)
    try:
        candidate._validate()
    except ValueError as error:
        shown_params = " ".join(f"{k}={_grid_value(k, v)}" for k, v in params.items())
        raise CLIError(
            f"--grid candidate {shown_params}: "
            + shell_words(first_line(error), options=False)
        ) from None


def search(model, grid, grids, X, y, cv, metric):
    """Run the grid search, print each candidate's score or cause of failure.

    Parameters
    ----------
    model : Pipeline
        The pipeline; its estimator gets the best candidate's parameters.
    grid : dict
        ``{name: [values]}``, as the user wrote them.
    grids : list of dict
        The checked pipeline grids, from :func:`checked_grids`.
    X, y : pandas.DataFrame, pandas.Series
        The data.
    cv : cross-validation splitter
        The folds.
    metric : str
        The name of the estimator's score, for the lines: ``'accuracy'``.
    """
    shown_grid = " ".join(
        f"{name}={','.join(_grid_value(name, v) for v in values)}"
        for name, values in grid.items()
    )
    print(f"GridSearchCV over {shown_grid}, {cv.get_n_splits()}-fold:")
    search = GridSearchCV(model, grids, cv=cv, refit=False)
    with warnings.catch_warnings():
        # a failed candidate is reported below, with the cause of its failure
        warnings.simplefilter("ignore", FitFailedWarning)
        warnings.filterwarnings("ignore", "One or more of the test scores")
        try:
            search.fit(X, y)
        except ValueError as error:
            if "fits failed" not in str(error):
                raise
            for params in sorted(ParameterGrid(grids), key=partial(_place, grid)):
                print(_failed(model, _in_order(grid, params), X, y, cv))
            raise CLIError(
                "every candidate of --grid failed (the causes are above)"
            ) from None
    _print_results(search, model, grid, X, y, metric)
    model.set_params(**search.best_params_)


def _print_results(search, model, grid, X, y, metric):
    """Print each candidate's score (or failure) in the grid's order, then the best."""
    results, cv = search.cv_results_, search.cv
    rows = zip(results["params"], results["mean_test_score"], results["std_test_score"])
    # scikit-learn sorts the names; the lines follow the user's order
    for params, mean, std in sorted(rows, key=lambda row: _place(grid, row[0])):
        params = _in_order(grid, params)
        if np.isnan(mean):  # one of its folds or more failed
            print(_failed(model, params, X, y, cv))
        else:
            print(f"  {_candidate(params)}: {metric} {mean:.3f} +/- {std:.3f}")
    best = _in_order(grid, search.best_params_)
    print(f"Best: {_candidate(best)} (mean CV {metric} {search.best_score_:.3f})")


def _place(grid, params):
    """Return a candidate's sort key: its values' places in the user's lists."""
    values = {key.partition("__")[2]: v for key, v in params.items()}
    return [
        written.index(values[name]) if name in values else -1
        for name, written in grid.items()
    ]


def _in_order(grid, params):
    """Return a candidate's parameters in the order the user named them."""
    order = list(grid)
    return dict(
        sorted(params.items(), key=lambda item: order.index(item[0].partition("__")[2]))
    )


def _failed(model, params, X, y, cv):
    """Return the line of a failed candidate, with the cause of its failure."""
    return f"  {_candidate(params)}: failed: {_cause(model, params, X, y, cv)}"


def _candidate(params):
    """Return a candidate's parameters as the command line writes them."""
    names = {key: key.partition("__")[2] for key in params}
    return " ".join(f"{names[k]}={_grid_value(names[k], v)}" for k, v in params.items())


def _grid_value(name, value):
    """Return a candidate's value as --grid writes it: ``(64,32)`` in parentheses."""
    text = shown(name, value)
    return f"({text})" if isinstance(value, tuple) and len(value) > 1 else text


def _cause(model, params, X, y, cv):
    """Return the first line of the error of the first fold that fails.

    The search keeps no errors by candidate, so the failed candidate is
    trained again, fold by fold, until one fails.
    """
    for train, test in cv.split(X, y):
        candidate = clone(model).set_params(**params)
        try:
            candidate.fit(X.iloc[train], y.iloc[train])
            score = candidate.score(X.iloc[test], y.iloc[test])
        except Exception as error:  # any error of the fit, as the search caught it
            message = shell_words(first_line(error), options=False)
            return f"{type(error).__name__}: {message}"
        if not np.isfinite(score):
            return f"the score of a fold was {score}"
    return "a fold failed in the search, but none did when trained again"
