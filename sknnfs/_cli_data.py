"""Reading the CSV file of ``python -m sknnfs`` and typing its columns.

The file's separator is sniffed from its first lines unless ``--sep`` gives
it; the target decides between classification and regression unless
``--task`` does; feature columns of text that looks numeric are named in a
warning, since they are one-hot encoded as categories.
"""

import csv
import re
from itertools import islice

import numpy as np

#: Separators the sniffer may choose; anything else is given with --sep.
SEPARATORS = ",;\t|"
#: An integer-valued target with at most this many distinct values is classes.
MAX_CLASSES = 20
# a number written with thousands separators, a currency or a unit
_NUMBER_LIKE = re.compile(r"[-+]?[$€£¥]?\s*[-+]?\d[\d,.' ]*\s*[^\W\d]*[%°²³/]*")
_PLAIN_NUMBER = re.compile(r"[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?")


class CLIError(Exception):
    """A problem with the user's file or options, shown as one line."""


def first_line(error):
    """Return the first line of an exception's message, or its type's name.

    Parameters
    ----------
    error : BaseException
        The exception.

    Returns
    -------
    line : str
        What the one-line error shows.
    """
    text = str(error).strip()
    return text.splitlines()[0] if text else type(error).__name__


def plain(value):
    """Return a numpy scalar as the Python value it holds, for the messages.

    Parameters
    ----------
    value : object
        A value of a column.

    Returns
    -------
    value : object
        ``np.float64(0.5)`` as ``0.5``; anything else as it is.
    """
    return value.item() if isinstance(value, np.generic) else value


def separator_option(text):
    """Return the separator that ``--sep`` names: one character, or ``tab``.

    Parameters
    ----------
    text : str or None
        The option's value; None lets the file's first lines decide.

    Returns
    -------
    sep : str or None
        One character, or None.
    """
    if text is None:
        return None
    sep = {"tab": "\t", "\\t": "\t"}.get(text.lower(), text)
    if len(sep) != 1:
        raise CLIError(f"--sep takes one character, such as ';' or tab, not {text!r}")
    return sep


def sniff_separator(path):
    """Return the separator of the file's first lines, or ``','`` if unclear.

    Parameters
    ----------
    path : str
        The CSV file.

    Returns
    -------
    sep : str
        One of :data:`SEPARATORS`.
    """
    with open(path, newline="", encoding="utf-8") as file:
        sample = "".join(islice(file, 50))
    try:
        sep = csv.Sniffer().sniff(sample, delimiters=SEPARATORS).delimiter
    except csv.Error:  # one column, or lines that disagree: pandas will say
        return ","
    return sep if sep in SEPARATORS else ","


def read_table(pd, path, sep=None):
    """Return the file's DataFrame and its separator; a CLIError if unreadable.

    Parameters
    ----------
    pd : module
        pandas.
    path : str
        The CSV file, with a header row.
    sep : str or None, default=None
        The separator; None sniffs it from the first lines.

    Returns
    -------
    frame : pandas.DataFrame
        The file's rows, at least one.
    sep : str
        The separator used.
    """
    try:
        sep = sep or sniff_separator(path)
        frame = pd.read_csv(path, sep=sep)
    except FileNotFoundError:
        raise CLIError(f"no such file: {path}") from None
    except IsADirectoryError:
        raise CLIError(f"{path} is a directory, not a CSV file") from None
    except pd.errors.EmptyDataError:
        raise CLIError(f"{path} is empty") from None
    except UnicodeDecodeError as error:
        raise CLIError(
            f"cannot read {path}: it is not UTF-8 text ({first_line(error)}); save "
            "it as UTF-8 (CSV UTF-8 in spreadsheet programs)"
        ) from None
    except (pd.errors.ParserError, OSError) as error:
        raise CLIError(
            f"cannot read {path} as CSV with separator {sep!r}: {first_line(error)}"
        ) from None
    if len(frame) == 0:
        raise CLIError(f"{path} has a header but no rows")
    if frame.shape[1] == 1:
        header = str(frame.columns[0])
        shown = header if len(header) <= 60 else header[:57] + "..."
        raise CLIError(
            f"{path} reads as a single column, {shown!r}, with separator {sep!r}: "
            "if another character separates its columns, give it with --sep "
            "(e.g. --sep ';')"
        )
    return frame, sep


def split_target(frame, target, path):
    """Return the feature columns ``X`` and the ``target`` column ``y``.

    Parameters
    ----------
    frame : pandas.DataFrame
        The file's rows.
    target : str
        The name of the column to predict.
    path : str
        The file, for the messages.

    Returns
    -------
    X : pandas.DataFrame
        The other columns, none with empty values.
    y : pandas.Series
        The target, without empty values.
    """
    if target not in frame.columns:
        raise CLIError(
            f"no column {target!r} in {path}; its columns are: "
            + ", ".join(map(str, frame.columns))
        )
    y = frame[target]
    X = frame.drop(columns=[target])
    if y.isna().any():
        raise CLIError(f"the target column {target!r} has empty values")
    missing = [str(c) for c in X.columns if X[c].isna().any()]
    if missing:
        raise CLIError(
            "empty values in the feature columns "
            + ", ".join(missing)
            + ": fill or drop them first"
        )
    return X, y


def numeric_columns(X):
    """Return the names of the numeric columns and of the others.

    Parameters
    ----------
    X : pandas.DataFrame
        The feature columns.

    Returns
    -------
    numeric, other : list
        Column names: standardized, and one-hot encoded.
    """
    from pandas.api.types import is_numeric_dtype

    numeric = [c for c in X.columns if is_numeric_dtype(X[c])]
    other = [c for c in X.columns if c not in numeric]
    return numeric, other


def choose_task(y, target, task=None):
    """Return ``'classify'`` or ``'regress'`` for the target, and why, on one line.

    Words and true/false values are classes; numbers with fractions are
    regressed; whole numbers are classes when there are at most
    :data:`MAX_CLASSES` distinct ones, else regressed. ``task`` overrides.

    Parameters
    ----------
    y : pandas.Series
        The target column, without empty values.
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
    """
    auto, kind = _task_of(y, target, task)
    chosen = task or auto
    how = {
        "classify": "classification with NNFSClassifier",
        "regress": "regression with NNFSRegressor",
    }[chosen]
    if task is not None:
        return chosen, f"target {target!r}: {kind}; {how}, as --task {task} asks"
    if not is_number(y):
        return chosen, f"target {target!r}: {kind}, so {how}"
    other = {
        "classify": "regress to predict them as numbers",
        "regress": "classify to treat them as classes",
    }[auto]
    return chosen, f"target {target!r}: {kind}, so {how} (--task {other})"


def _task_of(y, target, task):
    """Return the task the target's values call for, and their description.

    Raises CLIError if they cannot be what ``task`` asks.
    """
    distinct = y.nunique()
    if not is_number(y):
        if task == "regress" and y.dtype != bool:
            raise CLIError(
                f"--task regress: the target {target!r} holds text such as "
                f"{plain(y.iloc[0])!r}, not numbers; leave out --task to classify it"
            )
        return "classify", "true/false" if y.dtype == bool else f"{distinct} labels"
    if not np.all(np.isfinite(y)):
        raise CLIError(f"the target {target!r} has infinite values")
    fractions = y[np.mod(y, 1) != 0]
    if len(fractions) and task == "classify":
        raise CLIError(
            f"--task classify: the target {target!r} has numbers with fractions, "
            f"such as {plain(fractions.iloc[0])!r}, which are not classes; leave "
            "out --task to predict them with a regressor"
        )
    if len(fractions):
        return "regress", f"{distinct} distinct numbers, with fractions"
    if distinct <= MAX_CLASSES:
        return "classify", f"{distinct} distinct whole numbers"
    return "regress", f"{distinct} distinct numbers"


def is_number(y):
    """Return whether the column holds numbers (true/false values do not count).

    Parameters
    ----------
    y : pandas.Series
        A column.

    Returns
    -------
    numeric : bool
        True for integer and float columns.
    """
    from pandas.api.types import is_bool_dtype, is_numeric_dtype

    return is_numeric_dtype(y) and not is_bool_dtype(y)


def numeric_text_warning(column, name, used_as):
    """Return a warning line if a text column's values look numeric, else None.

    Such a column ("1,065", "127.0 mg") is read as words, which is rarely
    what was meant.

    Parameters
    ----------
    column : pandas.Series
        The column.
    name : str
        Its name.
    used_as : str
        What becomes of its words, e.g. ``'one-hot encoded as categories'``.

    Returns
    -------
    line : str or None
        One line starting with ``warning:``.
    """
    from pandas.api.types import is_numeric_dtype

    if is_numeric_dtype(column):
        return None
    values = [str(v).strip() for v in column.dropna().unique()]
    looks = [v for v in values if _NUMBER_LIKE.fullmatch(v)]
    odd = [v for v in values if not _PLAIN_NUMBER.fullmatch(v)][:2]
    if len(looks) * 2 <= len(values) or not odd:
        return None
    return (
        f"warning: column {name!r} looks numeric, but values such as "
        f"{' and '.join(map(repr, odd))} are not plain numbers, so it is "
        f"{used_as}; to use it as a number, write plain numbers (without "
        "thousands separators, decimal commas or units)"
    )
