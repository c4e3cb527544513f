"""Numbers as files write them: a decimal point or comma, thousands separators.

A file has one decimal mark. With ``.`` (``14.23``), thousands may be
grouped by ``,``, a space or ``'`` (``1,065.5``); with ``,`` (``14,23``, as
spreadsheets write it in most of Europe), by ``.``, a space or ``'``
(``1.065,5``). A column is numbers when every one of its cells reads so;
cells without a digit (``-``, ``n.a.``) are then empty ones.
"""

import re

import numpy as np

#: The decimal marks a file may use.
DECIMAL_MARKS = (".", ",")

_EXPONENT = r"(?:[eE][-+]?\d+)?"
_PLAIN = {
    mark: re.compile(rf"[-+]?(?:\d+\{mark}?\d*|\{mark}\d+){_EXPONENT}")
    for mark in DECIMAL_MARKS
}
_GROUPED = {
    ".": re.compile(r"[-+]?\d{1,3}([, '\u00a0\u202f])\d{3}(?:\1\d{3})*(?:\.\d+)?"),
    ",": re.compile(r"[-+]?\d{1,3}([. '\u00a0\u202f])\d{3}(?:\1\d{3})*(?:,\d+)?"),
}
_GROUPING = {".": r"[, '\u00a0\u202f]", ",": r"[. '\u00a0\u202f]"}
_DIGIT = re.compile(r"\d")


def read_numbers(cells, decimal="."):
    """Return a column of text as floats, or None if it is not all numbers.

    Parameters
    ----------
    cells : pandas.Series
        The column's cells, strings or missing.
    decimal : {'.', ','}, default='.'
        The file's decimal mark.

    Returns
    -------
    numbers : pandas.Series of float or None
        The numbers, NaN where a cell is empty or holds no digit; None when
        a cell holds digits that are not a number (``12 mg``, ``1.5.2``),
        or no cell holds one.
    grouped : bool
        Whether thousands separators were read.
    placeholders : dict
        ``{cell: count}`` of the cells without a digit, read as empty.

    Examples
    --------
    >>> import pandas as pd
    >>> numbers, grouped, placeholders = read_numbers(
    ...     pd.Series(["1.065,5", "14,2", "-"]), decimal=",")
    >>> numbers.tolist(), grouped, placeholders
    ([1065.5, 14.2, nan], True, {'-': 1})
    """
    text = cells.dropna().astype(str).str.strip()
    digits = text.str.contains(_DIGIT)
    placeholders = text[~digits].value_counts().to_dict()
    text = text[digits]
    if text.empty:
        return None, False, placeholders
    plain = text.str.fullmatch(_PLAIN[decimal])
    grouped = ~plain & text.str.fullmatch(_GROUPED[decimal])
    if not (plain | grouped).all():
        return None, False, placeholders
    text = text.where(~grouped, text.str.replace(_GROUPING[decimal], "", regex=True))
    if decimal == ",":
        text = text.str.replace(",", ".", regex=False)
    numbers = np.full(len(cells), np.nan)
    numbers[cells.index.get_indexer(text.index)] = text.to_numpy(dtype=float)
    numbers = cells.__class__(numbers, index=cells.index, name=cells.name)
    return numbers, bool(grouped.any()), placeholders


def reads_as_numbers(texts, decimal="."):
    """Return whether every one of ``texts`` is a plain number.

    Parameters
    ----------
    texts : list of str
        Cells, such as a header row's.
    decimal : {'.', ','}, default='.'
        The decimal mark.

    Returns
    -------
    numbers : bool
        True if all are numbers, and there is at least one.

    Examples
    --------
    >>> reads_as_numbers(["14.23", "1.71"]), reads_as_numbers(["alcohol", "1"])
    (True, False)
    """
    pattern = _PLAIN[decimal]
    return bool(texts) and all(pattern.fullmatch(t.strip()) for t in texts)


def find_decimal_mark(frame, sep):
    """Return the file's decimal mark: ``','`` if its columns say so, else ``'.'``.

    A comma is the decimal mark when the separator is not a comma and a
    column has cells with a comma that all read as numbers so, and at least
    as many columns read as numbers with a comma as with a point.

    Parameters
    ----------
    frame : pandas.DataFrame
        The file's cells, as text.
    sep : str
        The file's separator.

    Returns
    -------
    decimal : {'.', ','}
        The decimal mark.

    Examples
    --------
    >>> import pandas as pd
    >>> find_decimal_mark(pd.DataFrame({"a": ["14,23", "13,2"]}), ";")
    ','
    """
    if sep == ",":
        return "."
    read = {mark: 0 for mark in DECIMAL_MARKS}
    commas = False
    for name in frame.columns:
        cells = frame[name]
        for mark in DECIMAL_MARKS:
            read[mark] += read_numbers(cells, mark)[0] is not None
        if not commas and cells.dropna().astype(str).str.contains(",").any():
            commas = read_numbers(cells, ",")[0] is not None
    return "," if commas and read[","] >= read["."] else "."
