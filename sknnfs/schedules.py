"""Learning-rate schedules that act once an epoch, beside the book's 1/t decay.

The book's ``decay`` lowers the rate at every step, by a formula fixed in
advance. A schedule here watches training and lowers the rate when it stops
making progress. Give one to an estimator as ``schedule=`` (a name or an
object); it then runs after every epoch, and survives ``warm_start`` and
``partial_fit``: the lowered rate stays in the fitted optimizer, and the
count of epochs without progress in the fitted model.
"""

from numbers import Integral, Real

import numpy as np
from sklearn.base import BaseEstimator

from ._sklearn import Interval, Options
from ._training import EpochHook

__all__ = ["PlateauSchedule"]


class PlateauSchedule(EpochHook, BaseEstimator):
    """Divide the learning rate when training stops improving: a plateau schedule.

    When the monitored value (the training loss, or the held-out score with
    ``early_stopping``) has not improved by the estimator's ``tol`` for more
    than ``patience`` epochs, the learning rate is multiplied by ``factor``
    and the count starts again; the stopping rule then stops training only
    once the rate is down to ``min_learning_rate``. With ``factor=0.2``,
    ``patience`` equal to ``n_iter_no_change`` and ``min_learning_rate=1e-6``
    (the defaults of ``schedule='plateau'``), this is MLPClassifier's
    ``learning_rate='adaptive'``, for every optimizer.

    Parameters
    ----------
    factor : float, default=0.2
        What the rate is multiplied by, in ``(0, 1)``.
    patience : int or None, default=None
        Epochs without improvement allowed before the rate is lowered; None
        is the estimator's ``n_iter_no_change``.
    min_learning_rate : float, default=1e-6
        The rate is not lowered once it is at or below this: the rate the
        next step takes, that is with the book's 1/t ``decay`` applied.

    Examples
    --------
    >>> from sklearn.datasets import load_iris
    >>> from sknnfs import NNFSClassifier
    >>> from sknnfs.schedules import PlateauSchedule
    >>> X, y = load_iris(return_X_y=True)
    >>> clf = NNFSClassifier(
    ...     (16,), optimizer="sgd", learning_rate=0.5,
    ...     schedule=PlateauSchedule(factor=0.5, patience=2), random_state=0,
    ... ).fit(X, y)
    >>> clf.learning_rate_curve_[0], min(clf.learning_rate_curve_) < 0.5
    (0.5, True)
    """

    _parameter_constraints: dict = {
        "factor": [Interval(Real, 0, 1, closed="neither")],
        "patience": [
            Interval(Integral, 0, None, closed="left"),
            Options(Real, {np.inf}),  # never lowered, as n_iter_no_change=np.inf
            None,
        ],
        "min_learning_rate": [Interval(Real, 0, None, closed="left")],
    }

    def __init__(self, factor=0.2, patience=None, min_learning_rate=1e-6):
        self.factor = factor
        self.patience = patience
        self.min_learning_rate = min_learning_rate

    def on_train_begin(self, run):
        """Check the settings, and that the optimizer has a rate to lower."""
        self._validate_params()
        if not hasattr(run.optimizer, "learning_rate"):
            raise ValueError(
                f"A {type(self).__name__} lowers the optimizer's learning_rate, "
                f"and {type(run.optimizer).__name__} has none."
            )

    def on_epoch_end(self, run):
        """Lower the rate after more than ``patience`` epochs without progress."""
        patience = np.inf if self.patience is None else self.patience
        history, optimizer = run.history, run.optimizer
        _check_the_rate_follows(optimizer)
        if history.no_improvement_count <= patience:
            return False
        # the floor is on the rate the steps take: with 1/t decay on, far
        # below learning_rate itself
        rate = getattr(optimizer, "next_learning_rate", optimizer.learning_rate)
        if rate > self.min_learning_rate:
            optimizer.learning_rate = optimizer.learning_rate * self.factor
            history.no_improvement_count = 0  # a fresh start at the new rate
        return False


def _check_the_rate_follows(optimizer):
    """Refuse an optimizer whose steps do not take their rate from learning_rate."""
    current = getattr(optimizer, "current_learning_rate", None)
    if current is not None and current > optimizer.learning_rate * (1 + 1e-12):
        raise ValueError(
            f"{type(optimizer).__name__}'s current_learning_rate ({current}) is above "
            f"its learning_rate ({optimizer.learning_rate}): its steps do not take "
            "their rate from learning_rate, so a schedule cannot lower it. Derive "
            "current_learning_rate from learning_rate in pre_update_params."
        )
