"""Reading a CSV file as people export it: its encoding, separator and header.

Every cell is read as text; :mod:`sknnfs.cli.columns` then decides what
each column is. The file is read as UTF-8 (a byte-order mark is skipped),
or as Windows-1252 (Latin-1) when it is not UTF-8; the separator is the one
of ``, ; tab |`` that splits every one of the first lines into the same
number of fields; a first row whose cells read as numbers (or, above words,
as values of their columns) is data, not column names (``--no-header``
names the columns by position instead).
"""

import csv
from dataclasses import dataclass, field
from itertools import islice

from .errors import CLIError, first_line
from .numbers import DECIMAL_MARKS, reads_as_numbers

#: Separators the file's first lines are tried with, the first that splits
#: them all alike winning: a comma last, since decimal commas also split.
SEPARATORS = "\t;|,"
#: Encodings tried in turn; Latin-1 reads any bytes.
ENCODINGS = {"utf-8-sig": "UTF-8", "cp1252": "Windows-1252", "latin-1": "Latin-1"}
#: Cells read as empty, besides pandas' own (``NA``, ``n/a``, ``null``...).
EMPTY_CELLS = ["?"]


@dataclass
class Table:
    """A CSV file's cells as text, and how they were read.

    Attributes
    ----------
    frame : pandas.DataFrame
        Every cell as a string, or missing; columns named as strings.
    path : str
        The file.
    sep : str
        The separator.
    encoding : str
        The encoding's name, as the report shows it.
    notes : list of str
        ``note:`` lines about the reading.
    """

    frame: object
    path: str
    sep: str
    encoding: str = "UTF-8"
    notes: list = field(default_factory=list)


def separator_option(text):
    r"""Return the separator that ``--sep`` names: one character, or ``tab``.

    Parameters
    ----------
    text : str or None
        The option's value; None lets the file's first lines decide.

    Returns
    -------
    sep : str or None
        One character, or None.

    Examples
    --------
    >>> separator_option("tab")
    '\t'
    """
    if text is None:
        return None
    sep = {"tab": "\t", "\\t": "\t"}.get(text.lower(), text)
    if len(sep) != 1:
        raise CLIError(f"--sep takes one character, such as ';' or tab, not {text!r}")
    return sep


def sniff_separator(lines):
    """Return the separator that splits every line alike, or ``','``.

    Parameters
    ----------
    lines : list of str
        The file's first lines.

    Returns
    -------
    sep : str
        One of :data:`SEPARATORS`.

    Examples
    --------
    >>> sniff_separator(["a;b", "1,5;2", "3;4,25"])
    ';'
    """
    lines = [line for line in lines if line.strip()]
    for sep in SEPARATORS:
        widths = {len(row) for row in csv.reader(lines, delimiter=sep)}
        if len(widths) == 1 and widths.pop() > 1:
            return sep
    return ","


def read_table(pd, path, sep=None, header=None):
    """Return the file's cells as a :class:`Table`; a CLIError if unreadable.

    Parameters
    ----------
    pd : module
        pandas.
    path : str
        The CSV file.
    sep : str or None, default=None
        The separator; None finds it from the first lines.
    header : bool or None, default=None
        Whether the first row names the columns; None decides from it.

    Returns
    -------
    table : Table
        The file's rows, at least one, and how they were read.
    """
    encoding, lines = _first_lines(path)
    given = sep
    sep = sep or sniff_separator(lines)
    frame = _read(pd, path, sep, encoding, header is not False)
    table = Table(frame, path, sep, ENCODINGS[encoding])
    if encoding != "utf-8-sig":
        table.notes.append(
            f"note: {path} is not UTF-8: read as {table.encoding} text, as "
            "spreadsheet programs on Windows write it"
        )
    if frame.shape[1] == 1:
        raise CLIError(_one_column_message(table, lines, given))
    if header is False:
        frame.columns = [str(i) for i in range(frame.shape[1])]
    elif header is None and _names_are_data(frame):
        shown = ", ".join(map(str, frame.columns[:4]))
        raise CLIError(
            f"the first row of {path} ({shown}, ...) reads as data, like the "
            "rows below it: if the file has no header row, give --no-header "
            "(columns are then named 0, 1, 2, ... by position); to read it as "
            "the column names anyway, give --header"
        )
    return table


def _first_lines(path):
    """Return the file's encoding and its first 50 lines."""
    for encoding in ENCODINGS:
        try:
            with open(path, newline="", encoding=encoding) as file:
                lines = list(islice(file, 50))
                file.read()  # the whole file must read in this encoding
        except FileNotFoundError:
            raise CLIError(f"no such file: {path}") from None
        except IsADirectoryError:
            raise CLIError(f"{path} is a directory, not a CSV file") from None
        except UnicodeDecodeError:
            continue
        if not lines:
            raise CLIError(f"{path} is empty")
        if "\x00" in "".join(lines):
            raise CLIError(
                f"cannot read {path}: it holds binary data or UTF-16 text, not "
                "a CSV file; save it as CSV UTF-8"
            )
        return encoding, lines
    raise AssertionError("Latin-1 reads any bytes")


def _read(pd, path, sep, encoding, header):
    """Return the file's cells as strings, or raise a CLIError."""
    try:
        frame = pd.read_csv(
            path,
            sep=sep,
            encoding=encoding,
            header=0 if header else None,
            dtype=str,
            na_values=EMPTY_CELLS,
            skipinitialspace=True,
        )
    except pd.errors.EmptyDataError:
        raise CLIError(f"{path} is empty") from None
    except (pd.errors.ParserError, OSError, ValueError) as error:
        raise CLIError(
            f"cannot read {path} as CSV with separator {sep!r}: {first_line(error)}"
        ) from None
    if len(frame) == 0:
        raise CLIError(f"{path} has a header but no rows")
    frame.columns = [str(name).strip() for name in frame.columns]
    return frame


def _names_are_data(frame):
    """Return whether the column names read as a row of data, not as names.

    They do when each reads as a number (with either decimal mark), or is one
    of its column's values (``setosa`` above a column of species), and one
    at least is a number; names that number the columns by position are names.
    """
    texts = [str(name) for name in frame.columns]
    positions = [str(i) for i in range(len(texts))]
    if texts in (positions, [str(i + 1) for i in range(len(texts))]):
        return False
    numbers = 0
    for index, text in enumerate(texts):
        if any(reads_as_numbers([text], mark) for mark in DECIMAL_MARKS):
            numbers += 1
        elif text not in set(frame.iloc[:, index].dropna().str.strip()):
            return False
    return numbers > 0


def _one_column_message(table, lines, given):
    """Return the error of a file that reads as one column."""
    header = str(table.frame.columns[0])
    shown = header if len(header) <= 60 else header[:57] + "..."
    found = sniff_separator(lines)
    if given is not None and found != given:
        advice = f"leave out --sep to have it found ({found!r} splits its lines)"
    elif given is not None:
        advice = "give the character that separates its columns with --sep"
    else:
        advice = (
            "if another character separates its columns, give it with --sep "
            "(e.g. --sep ';')"
        )
    return (
        f"{table.path} reads as a single column, {shown!r}, with separator "
        f"{table.sep!r}: {advice}"
    )
