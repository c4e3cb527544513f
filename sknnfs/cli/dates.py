"""Date and time columns: recognised by their format, turned into numbers.

A column is dates when every cell reads with one format, found from its
first cell (pandas' guess; day first when month first does not read them
all). :class:`DateFeatures` turns each into numbers a network can use: the
year with its fraction (2024.5 is the start of July: the trend), the month
(1-12) and the day of the week (0 is Monday); and the hour with its
fraction when the cells hold times. It is a step of the saved pipeline, so
new files are read with the format found in training.
"""

import re
import warnings

import numpy as np
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.utils.validation import check_is_fitted

# a date: three groups of digits separated alike (2024-03-01, 01/03/2024,
# 1.3.2024), or a month's name between digits (1 Mar 2024), then maybe a time
_DATE_LIKE = re.compile(
    r"\d{1,4}([-/.])\d{1,2}\1\d{1,4}|\d{1,2}[ -][A-Za-z]{3,9}[ -]\d{2,4}"
    r"|[A-Za-z]{3,9} \d{1,2},? \d{4}"
)
_TIME = re.compile(r"\d{1,2}:\d{2}")


def date_format(cells, pd):
    """Return the one format all the column's cells read with, or None.

    Parameters
    ----------
    cells : pandas.Series
        The column's cells, strings or missing.
    pd : module
        pandas.

    Returns
    -------
    format : str or None
        A ``strftime`` format, such as ``'%Y-%m-%d'``; None when the cells
        are not all dates of one format.

    Examples
    --------
    >>> import pandas as pd
    >>> date_format(pd.Series(["03/04/2024", "13/04/2024"]), pd)
    '%d/%m/%Y'
    """
    from pandas.tseries.api import guess_datetime_format

    text = cells.dropna().astype(str).str.strip()
    if text.empty or not text.str.match(_DATE_LIKE).all():
        return None
    first = text.iloc[0]
    for dayfirst in (False, True):
        with warnings.catch_warnings():  # pandas warns of a day-first guess
            warnings.simplefilter("ignore", UserWarning)
            found = guess_datetime_format(first, dayfirst=dayfirst)
        if found is not None and _reads(text, found, pd):
            return found
    return None


def _reads(text, found, pd):
    """Return whether every cell of ``text`` reads with the format ``found``."""
    try:
        pd.to_datetime(text, format=found)
    except (ValueError, TypeError):
        return False
    return True


class DateFeatures(TransformerMixin, BaseEstimator):
    """Turn columns of dates into numbers: year, month, day of the week, hour.

    Parameters
    ----------
    formats : dict
        ``{column: strftime format}``; the columns' cells are read with their
        format, and an empty cell gives NaN numbers.

    Attributes
    ----------
    with_time_ : dict
        ``{column: bool}``, whether the column held times, so gets an hour.
    feature_names_in_ : ndarray of str
        The columns, in order.

    Examples
    --------
    >>> import pandas as pd
    >>> days = pd.DataFrame({"day": ["2024-01-01", "2024-07-02"]})
    >>> DateFeatures({"day": "%Y-%m-%d"}).fit_transform(days).round(2).tolist()
    [[2024.0, 1.0, 0.0], [2024.5, 7.0, 1.0]]
    """

    def __init__(self, formats):
        self.formats = formats

    def fit(self, X, y=None):
        """Learn which columns hold times, from the data frame ``X``."""
        self.feature_names_in_ = np.asarray(list(X.columns), dtype=object)
        self.with_time_ = {
            name: bool(X[name].dropna().astype(str).str.contains(_TIME).any())
            for name in X.columns
        }
        return self

    def transform(self, X):
        """Return the numbers of each column's dates, side by side."""
        import pandas as pd

        check_is_fitted(self)
        blocks = []
        for name in self.feature_names_in_:
            cells = X[name].astype(object).where(X[name].notna(), None)
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", UserWarning)
                when = pd.to_datetime(cells, format=self.formats[name], errors="coerce")
            blocks.append(self._numbers(when, self.with_time_[name]))
        return np.column_stack(blocks)

    @staticmethod
    def _numbers(when, with_time):
        """Return the year with its fraction, month, weekday (and hour)."""
        hours = when.dt.hour + when.dt.minute / 60 + when.dt.second / 3600
        days = 365 + when.dt.is_leap_year.astype(float)
        year = when.dt.year + (when.dt.day_of_year - 1 + hours / 24) / days
        columns = [year, when.dt.month, when.dt.day_of_week]
        if with_time:
            columns.append(hours)
        return np.column_stack([c.to_numpy(dtype=float) for c in columns])

    def get_feature_names_out(self, input_features=None):
        """Return ``'<column> year'``, ``month``, ``weekday`` (and ``hour``)."""
        names = []
        for name in self.feature_names_in_:
            parts = ["year", "month", "weekday"]
            parts += ["hour"] if self.with_time_[name] else []
            names += [f"{name} {part}" for part in parts]
        return np.asarray(names, dtype=object)
