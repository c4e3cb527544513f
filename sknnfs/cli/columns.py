"""What each column of the file is, and what the model does with it.

:func:`decide_columns` gives every feature column one :class:`Column`: a
plain record of its use and why, which the report prints, the tests
assert and :func:`column_transformer` builds the pipeline's first step
from. The rules, in order:

* ``--drop`` and ``--id`` columns are left out (ids go to the predictions);
* a column with no value, or a single one, is left out: nothing to learn;
* numbers (:mod:`sknnfs.cli.numbers`) are standardized, except identifiers:
  whole numbers, a different one in every row, that either count the rows
  (their sorted values step by 1) or sit under an identifier's name
  (``id``, ``customer_id``, ``key``, ``index``...);
* dates of one format (:mod:`sknnfs.cli.dates`) become numbers;
* text is one-hot encoded, except identifiers (a different value in every
  row) and free text (more than :data:`MAX_CATEGORIES` distinct values, and
  more than half the rows): one category per row teaches nothing;
* text that looks like numbers but does not read as them (``12 mg``, a
  decimal mark the file does not use) stops the command, since reading it
  as words would train on garbage.

``--keep`` uses a column that the rules leave out, as numbers or words.
"""

import re
from dataclasses import dataclass

import numpy as np

from .dates import DateFeatures, date_format
from .errors import CLIError
from .numbers import read_numbers

#: Text columns with more distinct values than this, and than half the
#: rows, are free text, left out.
MAX_CATEGORIES = 50
#: What the model does with a column.
USES = ("numbers", "words", "dates", "identifier", "left out")
# the part of the model's first step that holds the columns of each use
_PARTS = dict(zip(USES, ("numbers", "words", "dates", "identifiers", "left out")))
_ID_NAME = re.compile(r"(?i)(.*[_ ])?(id|key|index|uuid|guid|row|rownum)|unnamed: 0")
_NUMBER_LIKE = re.compile(r"[-+]?[$€£¥]?\s*[-+]?\d[\d,.' ]*\s*[^\W\d]*[%°²³/]*")


@dataclass(frozen=True)
class Column:
    """One feature column: its name, its use and why.

    Attributes
    ----------
    name : str
        The column's name in the file.
    use : str
        One of :data:`USES`.
    why : str
        Why, in words (empty for plain numbers and words).
    empty : int
        Its empty cells, filled inside the model (or whose rows are dropped).
    """

    name: str
    use: str
    why: str = ""
    empty: int = 0


def decide_columns(pd, frame, decimal, keep=(), ids=(), drop=()):
    """Return the feature columns typed for the model, and their decisions.

    Parameters
    ----------
    pd : module
        pandas.
    frame : pandas.DataFrame
        The feature columns' cells, as text.
    decimal : {'.', ','}
        The file's decimal mark.
    keep, ids, drop : collection of str
        The columns of ``--keep``, ``--id`` and ``--drop``.

    Returns
    -------
    X : pandas.DataFrame
        Numbers as floats, words and dates as text, the others as read.
    columns : list of Column
        One per column of ``frame``, in its order.
    """
    X, columns = frame.copy(), []
    for name in frame.columns:
        # the user's word first: --drop and --id columns are not read at all,
        # so that --drop leaves out a column the rules would refuse
        if name in drop:
            column, typed = Column(name, "left out", "--drop"), None
        elif name in ids:
            column, typed = Column(name, "identifier", "--id"), None
        else:
            column, typed = _decide(pd, frame[name], decimal, name in keep)
        if typed is not None:
            X[name] = typed
        columns.append(column)
    return X, columns


def _decide(pd, cells, decimal, keep):
    """Return one column's decision, and its cells typed (or None)."""
    name, empty = cells.name, int(cells.isna().sum())
    numbers, grouped, placeholders = read_numbers(cells, decimal)
    if numbers is not None:
        empty = int(numbers.isna().sum())
        why = _placeholder_words(placeholders) + (
            "; thousands separators read" if grouped else ""
        )
        left_out = _left_out_numbers(numbers)
        if keep and left_out:
            why = f"{why}; --keep"
        elif left_out:
            return left_out, numbers
        return Column(name, "numbers", why.strip("; "), empty), numbers
    words = as_words(cells)
    distinct = words.dropna().astype(str).str.strip().unique()
    if len(distinct) == 0:
        return Column(name, "left out", "no values"), None
    if len(distinct) == 1 and not keep:
        return Column(name, "left out", f"a single value, {distinct[0]!r}"), None
    found = date_format(cells, pd)
    if found is not None:
        return Column(name, "dates", f"format {found}", empty), None
    if keep:
        return Column(name, "words", "--keep", empty), words
    _refuse_numbers_as_words(cells, distinct, decimal)
    if empty == 0 and len(distinct) == len(cells):
        return Column(name, "identifier", "text, a different value in every row"), None
    if len(distinct) > max(MAX_CATEGORIES, len(cells) / 2):
        why = f"free text: {len(distinct)} distinct values in {len(cells)} rows"
        return Column(name, "left out", why), None
    return Column(name, "words", f"{len(distinct)} categories", empty), words


def _left_out_numbers(numbers):
    """Return the decision of a numbers column the rules leave out, or None."""
    values = numbers.dropna()
    distinct = values.unique()
    if len(distinct) == 0:
        return Column(numbers.name, "left out", "no values")
    if len(distinct) == 1:
        value = f"{distinct[0]:g}"
        return Column(numbers.name, "left out", f"a single value, {value}")
    whole = bool(np.all(np.mod(values, 1) == 0))
    if not whole or len(distinct) < len(numbers) or len(numbers) < 3:
        return None
    ordered = np.sort(distinct)
    counts = bool(np.all(np.diff(ordered) == 1))
    if counts or _ID_NAME.fullmatch(str(numbers.name).strip()):
        how = "counting the rows" if counts else "an identifier's name"
        why = (
            f"whole numbers {ordered[0]:g} to {ordered[-1]:g}, a different one in "
            f"every row, {how}"
        )
        return Column(numbers.name, "identifier", why)
    return None


def _placeholder_words(placeholders):
    """Return ``"2 cells '-' read as empty"``, or ``''``."""
    return ", ".join(
        f"{count} {'cell' if count == 1 else 'cells'} {cell!r} read as empty"
        for cell, count in placeholders.items()
    )


def _refuse_numbers_as_words(cells, distinct, decimal):
    """Raise CLIError if most values look numeric but the column is not numbers."""
    looks = looks_numeric(distinct)
    if not looks:
        return
    other = "," if decimal == "." else "."
    shown = " and ".join(repr(v) for v in looks[:2])
    fix = "write plain numbers in it"
    if read_numbers(cells, other)[0] is not None:
        fix = f"give --decimal '{other}', the mark its numbers are written with"
    raise CLIError(
        f"column {cells.name!r} looks numeric, but values such as {shown} are "
        f"not numbers with the decimal mark {decimal!r}: {fix}, --drop "
        f"{cells.name} to leave it out, or --keep {cells.name} to one-hot "
        "encode its values as words"
    )


def looks_numeric(distinct):
    """Return the values that look numeric, if they are most of ``distinct``.

    Parameters
    ----------
    distinct : sequence
        A text column's distinct values.

    Returns
    -------
    looks : list of str
        The values such as ``'12 mg'`` or ``'1,5'``, or ``[]`` when they are
        half of the values or fewer.

    Examples
    --------
    >>> looks_numeric(["2 kg", "0.5 kg", "none"])
    ['2 kg', '0.5 kg']
    """
    looks = [v for v in map(str, distinct) if _NUMBER_LIKE.fullmatch(v.strip())]
    return looks if len(looks) * 2 > len(distinct) else []


def column_transformer(columns, missing="median"):
    """Return the pipeline's first step: each column used as decided.

    Parameters
    ----------
    columns : list of Column
        The decisions.
    missing : {'median', 'mean', 'most_frequent'}, default='median'
        How empty cells of numbers and dates are filled; words get their
        most frequent value.

    Returns
    -------
    step : sklearn.compose.ColumnTransformer
        ``numbers`` (imputed, standardized), ``words`` (imputed, one-hot),
        ``dates`` (:class:`~sknnfs.cli.dates.DateFeatures`, imputed,
        standardized), and the ``identifiers`` and ``left out`` columns,
        dropped; the saved model keeps these lists.
    """
    from sklearn.compose import ColumnTransformer
    from sklearn.impute import SimpleImputer
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import OneHotEncoder, StandardScaler

    names = names_by_use(columns)
    formats = {
        c.name: c.why.removeprefix("format ") for c in columns if c.use == "dates"
    }
    transformers = {
        "numbers": make_pipeline(SimpleImputer(strategy=missing), StandardScaler()),
        "words": make_pipeline(
            SimpleImputer(strategy="most_frequent"),
            OneHotEncoder(handle_unknown="ignore", sparse_output=False),
        ),
        "dates": make_pipeline(
            DateFeatures(formats), SimpleImputer(strategy=missing), StandardScaler()
        ),
        "identifier": "drop",
        "left out": "drop",
    }
    steps = [
        (_PARTS[use], transformer, names[use])
        for use, transformer in transformers.items()
        if names[use]
    ]
    return ColumnTransformer(steps, verbose_feature_names_out=False)


def columns_of(model):
    """Return the columns of a saved model's first step, by use.

    Parameters
    ----------
    model : sklearn.pipeline.Pipeline
        A pipeline the command line saved.

    Returns
    -------
    columns : dict
        ``{use: [column names]}``, for every use of :data:`USES`.
    """
    use_of = {part: use for use, part in _PARTS.items()}
    found = {use: [] for use in USES}
    for part, _, names in getattr(model[0], "transformers", []):
        if part in use_of:
            found[use_of[part]] = list(names)
    return found


def names_by_use(columns):
    """Return ``{use: [column names]}`` of the decisions, for every use of :data:`USES`.

    Parameters
    ----------
    columns : list of Column
        The decisions.

    Returns
    -------
    names : dict
        The same form as :func:`columns_of` gives for a saved model.
    """
    return {use: [c.name for c in columns if c.use == use] for use in USES}


def as_words(cells):
    """Return a column of text as the words step takes it: objects, NaN if empty.

    Parameters
    ----------
    cells : pandas.Series
        The column's cells, strings or missing.

    Returns
    -------
    words : pandas.Series
        Of dtype object, with NaN (which SimpleImputer fills) for empty cells.
    """
    return cells.astype(object).where(cells.notna(), np.nan)
