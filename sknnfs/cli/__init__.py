"""The command line: ``python -m sknnfs [data.csv --target COLUMN ...]``.

Its steps, a module each: :mod:`~sknnfs.cli.options` (the options and their
one-line errors), :mod:`~sknnfs.cli.reading` (a file's encoding, separator
and header), :mod:`~sknnfs.cli.numbers` (decimal marks and thousands
separators), :mod:`~sknnfs.cli.columns` (what each column is, as plain
data), :mod:`~sknnfs.cli.dates`, :mod:`~sknnfs.cli.task` (classification or
regression), :mod:`~sknnfs.cli.training`, :mod:`~sknnfs.cli.grid`,
:mod:`~sknnfs.cli.predicting` (saving, and predicting or scoring with a
saved model), :mod:`~sknnfs.cli.report` and :mod:`~sknnfs.cli.demo`.
"""

import sys

from ..exceptions import DivergenceError
from .columns import columns_of
from .demo import run_demo
from .errors import CLIError, shell_words
from .numbers import find_decimal_mark
from .options import parser as _parser
from .predicting import (
    TRAINING_OPTIONS,
    check_predict_options,
    load_model,
    predict_file,
    score_file,
    typed_features,
)
from .reading import read_table, separator_option
from .training import target_column, train

__all__ = ["main"]

_FILE_OPTIONS = ("target", "task", "sep", "decimal", "header", "grid", "save", "load")
_FILE_OPTIONS += ("validation",)


def main(argv=None):
    """Run the demo, or train on (or predict) a CSV file; ``argv`` as on the shell.

    Parameters
    ----------
    argv : list of str or None, default=None
        The arguments; None reads ``sys.argv``.

    Returns
    -------
    code : int
        0, or 1 after a one-line error on stderr.

    Examples
    --------
    >>> main(["--epochs", "0"])
    1
    """
    parser = _parser()
    args = parser.parse_args(argv)
    try:
        if args.data is None:
            _demo(args)
        elif args.load is not None:
            _predict(args, parser)
        else:
            train(args, _pandas())
    except (CLIError, DivergenceError) as error:
        print(f"python -m sknnfs: error: {shell_words(str(error))}", file=sys.stderr)
        return 1
    return 0


def _demo(args):
    """Run the spiral demo, after refusing the options of a file."""
    if args.epochs < 1 or args.grid_epochs < 1:
        raise CLIError("--epochs and --grid-epochs take a number of epochs, 1 or more")
    given = [f"--{name}" for name in _FILE_OPTIONS if getattr(args, name) is not None]
    given += [f"--{name}" for name in ("id", "keep", "drop") if getattr(args, name)]
    given += ["--missing"] if args.missing != "median" else []
    if given or args.output is not None:
        given = given or ["--output"]
        verb = "needs" if len(given) == 1 else "need"
        raise CLIError(
            f"{', '.join(given)} {verb} a CSV file: python -m sknnfs FILE --target "
            "COLUMN"
        )
    run_demo(args)


def _predict(args, parser):
    """Predict (and with --target, score) the file's rows with a saved model."""
    pd = _pandas()
    defaults = {name: parser.get_default(name) for name in TRAINING_OPTIONS}
    check_predict_options(args, defaults)
    model = load_model(args.load)
    table = read_table(pd, args.data, separator_option(args.sep), args.header)
    decimal = args.decimal or find_decimal_mark(table.frame, table.sep)
    frame, y = table.frame, None
    if args.target is not None:
        y, frame = target_column(table, args.target, decimal)
        classes = getattr(model, "classes_", None)
        if classes is not None and y.dtype.kind == "f" and classes.dtype.kind in "iu":
            y = y.astype(classes.dtype)  # whole numbers, as the classes' names
    X, empty = typed_features(pd, columns_of(model), frame, decimal, args.data)
    for note in table.notes + _filled(empty):
        print(note, file=sys.stderr)
    if y is not None:
        score_file(model, X, y, args.data)
    if y is None or args.output is not None:
        predict_file(pd, model, X, _keys(pd, model, frame), args.output)


def _keys(pd, model, frame):
    """Return the columns that join predictions to rows: ids, or row numbers."""
    ids = [name for name in columns_of(model)["identifier"] if name in frame]
    if ids:
        return frame[ids]
    # the file's row numbers, also where rows without a target were left out
    return pd.DataFrame({"row": frame.index + 1}, index=frame.index)


def _filled(empty):
    """Return the note on the empty cells that the saved model fills."""
    if not empty:
        return []
    cells = ", ".join(f"{name} {count}" for name, count in empty.items())
    return [f"note: empty cells, filled as in training: {cells}"]


def _pandas():
    try:
        import pandas as pd
    except ImportError:
        raise CLIError("reading CSV files needs pandas: pip install pandas") from None
    return pd
