"""Classification or regression, chosen from the target and the file's size.

Words and true/false values are classes; numbers with fractions are
regressed. Whole numbers are classes when they look like labels: at most
:data:`MAX_CLASSES` distinct values that either number the classes (0, 1,
2, ... or 1, 2, 3, ...) or each come back in :data:`ROWS_PER_CLASS` rows
or more on average; other whole numbers (counts, prices, a small file's
measurements) are regressed. ``--task`` overrides.
"""

import numpy as np

from .errors import CLIError, plain

#: Whole numbers with more distinct values than this are regressed.
MAX_CLASSES = 20
#: Whole numbers that are not 0, 1, 2, ... are classes only with at least
#: this many rows per distinct value, on average.
ROWS_PER_CLASS = 5
_HOW = {
    "classify": "classification with NNFSClassifier",
    "regress": "regression with NNFSRegressor",
}


def choose_task(y, target, task=None):
    """Return ``'classify'`` or ``'regress'`` for the target, and why, on one line.

    Parameters
    ----------
    y : pandas.Series
        The target column, without empty values: floats when it reads as
        numbers, else text.
    target : str
        Its name.
    task : {'classify', 'regress'} or None, default=None
        The ``--task`` option.

    Returns
    -------
    task : {'classify', 'regress'}
        The chosen task.
    line : str
        The target's description and the choice, as printed.

    Examples
    --------
    >>> import pandas as pd
    >>> choose_task(pd.Series([1.0, 2.0, 1.0, 2.0, 2.0, 1.0]), "grade")[1]
    "target 'grade': 2 distinct whole numbers, 1 and 2, which number classes, so \
classification with NNFSClassifier (--task regress to predict them as numbers)"
    """
    auto, kind = _task_of(y, target, task)
    chosen = task or auto
    if task is not None:
        return chosen, f"target {target!r}: {kind}; {_HOW[chosen]}, as --task asks"
    if not is_number(y):
        return chosen, f"target {target!r}: {kind}, so {_HOW[chosen]}"
    other = {
        "classify": "regress to predict them as numbers",
        "regress": "classify to treat them as classes",
    }[auto]
    return chosen, f"target {target!r}: {kind}, so {_HOW[chosen]} (--task {other})"


def _task_of(y, target, task):
    """Return the task the target's values call for, and their description.

    Raises CLIError if they cannot be what ``task`` asks.
    """
    distinct = y.nunique()
    if not is_number(y):
        if task == "regress":
            raise CLIError(
                f"--task regress: the target {target!r} holds text such as "
                f"{plain(y.iloc[0])!r}, not numbers; leave out --task to classify it"
            )
        if task is None:
            _refuse_numbers_as_labels(y, target)
        return "classify", f"{distinct} labels"
    fractions = y[np.mod(y, 1) != 0]
    if len(fractions) and task == "classify":
        raise CLIError(
            f"--task classify: the target {target!r} has numbers with fractions, "
            f"such as {plain(fractions.iloc[0]):g}, which are not classes; leave "
            "out --task to predict them with a regressor"
        )
    if len(fractions):
        return "regress", f"{distinct} distinct numbers, with fractions"
    return _whole_numbers_task(y, distinct)


def _refuse_numbers_as_labels(y, target):
    """Raise CLIError if most of the target's values look numeric but do not read.

    Taking ``2 kg`` or ``1,5`` for class labels would classify what the
    user means as numbers; ``--task classify`` says they are labels.
    """
    from .columns import looks_numeric

    looks = looks_numeric(y.unique())
    if looks:
        shown = " and ".join(repr(v) for v in looks[:2])
        raise CLIError(
            f"the target {target!r} looks numeric, but values such as {shown} "
            "are not numbers: write plain numbers in it (with --decimal if its "
            "decimal mark is not the file's), or give --task classify to treat "
            "its values as class labels"
        )


def _whole_numbers_task(y, distinct):
    """Return the task of a target of whole numbers, and why."""
    values = np.sort(y.unique())
    numbering = values[0] in (0, 1) and bool(np.all(np.diff(values) == 1))
    rows = len(y) / distinct
    if distinct > MAX_CLASSES:
        return "regress", f"{distinct} distinct whole numbers"
    if numbering:
        shown = (
            f"{values[0]:g} to {values[-1]:g}"
            if distinct > 2
            else (" and ".join(f"{v:g}" for v in values))
        )
        return (
            "classify",
            f"{distinct} distinct whole numbers, {shown}, which number classes",
        )
    if rows >= ROWS_PER_CLASS:
        return "classify", (
            f"{distinct} distinct whole numbers, {rows:.0f} rows each on average"
        )
    return "regress", (
        f"{distinct} distinct whole numbers in {len(y)} rows, too few rows each "
        f"to be classes"
    )


def is_number(y):
    """Return whether the column holds numbers.

    Parameters
    ----------
    y : pandas.Series
        A column.

    Returns
    -------
    numeric : bool
        True for integer and float columns.

    Examples
    --------
    >>> import pandas as pd
    >>> is_number(pd.Series([1.5])), is_number(pd.Series(["a"]))
    (True, False)
    """
    from pandas.api.types import is_bool_dtype, is_numeric_dtype

    return is_numeric_dtype(y) and not is_bool_dtype(y)
