"""The command line's one-line errors, and the words its messages use."""

import re

import numpy as np


class CLIError(Exception):
    """A problem with the user's file or options, shown as one line."""


def first_line(error):
    r"""Return the first line of an exception's message, or its type's name.

    Parameters
    ----------
    error : BaseException
        The exception.

    Returns
    -------
    line : str
        What the one-line error shows.

    Examples
    --------
    >>> first_line(ValueError("one\ntwo"))
    'one'
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

    Examples
    --------
    >>> import numpy as np
    >>> plain(np.float64(0.5))
    0.5
    """
    return value.item() if isinstance(value, np.generic) else value


def shell_words(message, options=True):
    """Return a message of the estimators in the words of the command line.

    Options are named as the shell writes them (``--max-iter``, not the
    ``'max_iter' parameter``), tuples of layer sizes as ``64,32``, and the
    ``None`` that only Python users can pass is left out, as is a
    divergence's advice to scale X, which the command line does.

    Parameters
    ----------
    message : str
        A message of the estimators: their parameter validation, or a
        divergence, whose advice to scale X the command line already follows.
    options : bool, default=True
        Whether a parameter is named as its option (``--max-iter``), or as
        the parameter (``max_iter``, in ``--grid``).

    Returns
    -------
    message : str
        The same message for a shell user.

    Examples
    --------
    >>> shell_words("The 'max_iter' parameter of NNFSClassifier must be an int "
    ...             "in the range [1, inf). Got 0 instead.")
    '--max-iter must be a whole number 1 or more, not 0.'
    """
    message = re.sub(
        r"^The '(\w+)' parameter of \w+",
        lambda m: "--" + m[1].replace("_", "-") if options else m[1],
        message,
    )
    message = re.sub(
        r"Lower the learning rate (\(.*?\)), or scale X \(.*?\)",
        r"Lower the learning rate with --learning-rate \1",
        message,
    )
    message = message.replace(
        "hidden_layer_sizes must be a tuple of positive integers",
        "--hidden-layer-sizes must be whole numbers 1 or more",
    )
    if message.startswith("--batch-size"):
        message = message.replace(" or None", " or 'full'")
    for pattern, words in _RANGES:
        message = re.sub(
            pattern, lambda m, w=words: w.format(*map(_number, m.groups())), message
        )
    message = re.sub(r"a str among \{([^}]*)\}", r"\1", message)
    message = re.sub(r",? or None(?=[.,])", "", message)
    message = re.sub(
        r"\.? Got (.*) instead\.?$", lambda m: f", not {_number(m[1])}.", message
    )
    return re.sub(r"\((\d+(?:, \d+)*),?\)", lambda m: m[1].replace(" ", ""), message)


# the validation's ranges, in words; {0} and {1} are the range's ends
_RANGES = [
    (r"an int in the range \[(-?\d+), inf\)", "a whole number {0} or more"),
    (r"a float in the range \((-?[\d.]+), inf\)", "a number above {0}"),
    (r"a float in the range \[(-?[\d.]+), inf\)", "a number {0} or more"),
    (
        r"a float in the range \[(-?[\d.]+), (-?[\d.]+)\)",
        "a number from {0} up to, not including, {1}",
    ),
    (r"a float in the range \[(-?[\d.]+), (-?[\d.]+)\]", "a number from {0} to {1}"),
    (
        r"a float in the range \((-?[\d.]+), (-?[\d.]+)\)",
        "a number between {0} and {1}, not including them",
    ),
]


def _number(text):
    """Return ``'1.0'`` as ``'1'``, as a user writes it."""
    return text[:-2] if text.endswith(".0") else text
