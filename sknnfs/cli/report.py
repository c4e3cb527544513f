"""What the command line prints: the file, its columns, scores and the log."""

import contextlib
import io
import re
import sys

import numpy as np

#: How many column names a line lists before it says how many more.
SHOWN_NAMES = 8
_NO_PENALTY = re.compile(r" \(data_loss: [-\d.]+, reg_loss: 0\.000\)")
_USE_LINES = {
    "numbers": "numbers (standardized)",
    "words": "words (one-hot encoded)",
    "dates": "dates (as numbers: year with its fraction, month, day of the week, "
    "and hour if any)",
    "identifier": "identifiers (left out; beside the predictions of --load)",
    "left out": "left out",
}


def print_file(table, rows, decimal):
    """Print the file's line: rows, columns, separator, decimal mark."""
    mark = {".": "decimal point", ",": "decimal comma"}[decimal]
    print(
        f"{table.path}: {rows} rows, {table.frame.shape[1]} columns, separator "
        f"{table.sep!r}, {mark}"
    )
    for note in table.notes:
        print(note)


def print_columns(columns, missing):
    """Print what was done with each kind of column, and why.

    Parameters
    ----------
    columns : list of Column
        The decisions of :func:`sknnfs.cli.columns.decide_columns`.
    missing : {'median', 'mean', 'most-frequent', 'drop'}
        How empty cells are handled: the ``--missing`` option.
    """
    for use, heading in _USE_LINES.items():
        chosen = [c for c in columns if c.use == use]
        if chosen:
            print(f"{heading}: {_names(chosen)}")
    empty = [c for c in columns if c.empty and c.use not in ("identifier", "left out")]
    if empty and missing != "drop":
        how = missing.replace("-", " ")
        cells = ", ".join(f"{c.name} {c.empty}" for c in empty)
        print(f"empty cells, filled with the column's {how} inside the model: {cells}")


def _names(columns):
    """Return the columns' names, with their reasons where they have one.

    Plain names past :data:`SHOWN_NAMES` are counted, not listed; a column
    with a reason is always listed.
    """
    plain = [c.name for c in columns if not c.why]
    shown = [f"{c.name} ({c.why})" for c in columns if c.why]
    if len(plain) > SHOWN_NAMES:
        more = len(plain) - SHOWN_NAMES + 1
        plain = plain[: SHOWN_NAMES - 1] + [f"and {more} more"]
    return ", ".join(plain + shown)


def print_score(what, model, X, y, task):
    """Print the model's score on ``X, y``: accuracy or R², and a second measure."""
    if task == "classify":
        from sklearn.metrics import log_loss

        accuracy = model.score(X, y)
        loss = log_loss(y, model.predict_proba(X), labels=model.classes_)
        print(f"{what}: accuracy {accuracy:.3f}, log loss {loss:.3f}")
    else:
        error = np.mean(np.abs(model.predict(X) - np.asarray(y)))
        print(f"{what}: R^2 {model.score(X, y):.3f}, mean absolute error {error:.4g}")


@contextlib.contextmanager
def book_log():
    """Print the estimator's log lines without a ``reg_loss`` that rounds to 0.

    With the command line's small L2 penalty, the book's ``(data_loss: ...,
    reg_loss: 0.000)`` would say nothing on every line.
    """
    captured = _LineFilter(sys.stdout)
    with contextlib.redirect_stdout(captured):
        yield
    captured.flush()


class _LineFilter(io.TextIOBase):
    """A text stream that drops a zero penalty from each line it passes on."""

    def __init__(self, out):
        self.out, self.pending = out, ""

    def write(self, text):
        lines = (self.pending + text).split("\n")
        self.pending = lines.pop()
        for line in lines:
            self.out.write(_NO_PENALTY.sub("", line) + "\n")
        return len(text)

    def flush(self):
        if self.pending:
            self.out.write(_NO_PENALTY.sub("", self.pending))
            self.pending = ""
        self.out.flush()
