"""The options of ``python -m sknnfs``, and their one-line errors."""

import argparse
import sys

from ..optimizers import NAMED_OPTIMIZERS
from .task import MAX_CLASSES, ROWS_PER_CLASS

DESCRIPTION = """\
Without a CSV file: the demo. The book's network trains on its spiral data
with the book's log lines, then a grid search over learning_rate and momentum
shows which rates are too small, which too large, and what momentum adds.

With a CSV file and --target: trains NNFSClassifier (classes) or
NNFSRegressor (numbers) on the file's other columns, prints cross-validated
scores (or a grid search's, with --grid) and the book's log of the final fit,
and saves the fitted pipeline with --save. Before training it says what it
did with each column: numbers (standardized), words (one-hot encoded), dates
(turned into numbers), and the columns it left out, with why.
"""

EPILOG = f"""\
how columns are read:
  numbers   with a decimal point or comma (found from the file, or --decimal)
            and thousands separators; cells such as '-' or 'n/a' are empty
  ids       whole numbers that count the rows or sit under a name such as
            'id', and text with a different value in every row: left out,
            and written beside the predictions of --load (--keep uses them)
  dates     one format per column: year, month and day of the week (and the
            hour) as numbers
  words     one-hot encoded; free text (over 50 values, one per two rows or
            more) is left out
  empty     cells are filled inside the saved model (--missing)

the task: words are classes; numbers with fractions are regressed; whole
numbers are classes when there are at most {MAX_CLASSES} distinct ones that
either number the classes (0, 1, 2, ... or 1, 2, 3, ...) or come back in
{ROWS_PER_CLASS} rows each on average, and regressed otherwise (--task overrides).

examples (from a clone of the repository, whose examples/data holds the files):
  python -m sknnfs
  python -m sknnfs examples/data/iris.csv --target species
  python -m sknnfs examples/data/diabetes.csv --target progression --save model.skops
  python -m sknnfs examples/data/diabetes.csv --load model.skops \\
      --output predictions.csv
  python -m sknnfs examples/data/iris.csv --target species --optimizer sgd \\
      --grid momentum=0,0.9 learning_rate=0.01,0.1 --save model.joblib
"""


class OneLineParser(argparse.ArgumentParser):
    """An argument parser whose errors are one line and exit code 1."""

    def error(self, message):
        """Print the error on one line, with where to read the options."""
        print(
            f"python -m sknnfs: error: {message} (python -m sknnfs --help lists "
            "the options)",
            file=sys.stderr,
        )
        sys.exit(1)


def parser():
    """Return the parser of ``python -m sknnfs``'s options.

    Returns
    -------
    parser : argparse.ArgumentParser
        Its errors print one line and exit with code 1.

    Examples
    --------
    >>> parser().parse_args(["data.csv", "--target", "y"]).target
    'y'
    """
    parser = OneLineParser(
        prog="python -m sknnfs",
        description=DESCRIPTION,
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "data", nargs="?", help="a CSV file; without it, the spiral demo runs"
    )
    _reading(parser.add_argument_group("reading the CSV file"))
    _columns(parser.add_argument_group("the columns"))
    _estimator(parser.add_argument_group("the estimator"))
    _scoring(parser.add_argument_group("scoring, saving and predicting"))
    _demo(parser.add_argument_group("the spiral demo (without a CSV file)"))
    parser.add_argument(
        "--seed", type=int, default=0, help="seed of the data, weights and folds"
    )
    return parser


def _reading(group):
    group.add_argument(
        "--sep",
        help="the column separator, e.g. ';' or tab (default: found from the "
        "first lines among , ; tab |)",
    )
    group.add_argument(
        "--decimal",
        choices=[".", ","],
        metavar="MARK",
        help="the decimal mark, '.' or ',' (default: ',' when the separator is "
        "not a comma and a column's numbers are written with one, else '.')",
    )
    group.add_argument(
        "--header",
        action=argparse.BooleanOptionalAction,
        help="whether the first row names the columns; --no-header names them "
        "0, 1, 2, ... by position (default: yes, unless the first row reads as "
        "data, which stops with a hint)",
    )


def _columns(group):
    group.add_argument("--target", help="the column to predict (required to train)")
    group.add_argument(
        "--task",
        choices=["classify", "regress"],
        help="classify (NNFSClassifier) or regress (NNFSRegressor); by default "
        "chosen from the target (below)",
    )
    for name, what in [
        ("--id", "is an identifier: left out, and written beside the predictions"),
        ("--keep", "is a feature, though the rules would leave it out"),
        ("--drop", "is left out"),
    ]:
        group.add_argument(
            name,
            action="append",
            default=[],
            metavar="COLUMN",
            help=f"COLUMN {what} (repeat for more)",
        )
    group.add_argument(
        "--missing",
        choices=["median", "mean", "most-frequent", "drop"],
        default="median",
        help="empty feature cells: filled with the column's median, mean or most "
        "frequent value inside the saved model (word columns: their most "
        "frequent word), or 'drop' to train without their rows (default: "
        "median); rows with an empty target are always dropped",
    )


def _estimator(group):
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


def _scoring(group):
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
    group.add_argument(
        "--log-every",
        type=int,
        help="print the book's log line every N epochs (default: max-iter / 10)",
    )
    group.add_argument(
        "--validation",
        metavar="FILE",
        help="early-stop the final fit on FILE's labelled rows (a later period, "
        "another site), read as the training file is, and print its score; all "
        "the training file's rows train (cross-validation folds hold out a "
        "tenth of theirs, as without it)",
    )
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
        "instead of training; with --target, score them too",
    )
    group.add_argument(
        "--output",
        metavar="PATH",
        help="with --load: write the predictions there as CSV (default: print "
        "them, or only the score with --target)",
    )


def _demo(group):
    group.add_argument(
        "--epochs",
        type=int,
        default=10001,
        help="epochs of the book's run (default: 10001)",
    )
    group.add_argument(
        "--grid-epochs",
        type=int,
        default=1500,
        help="epochs of each grid-search fit (default: 1500)",
    )
