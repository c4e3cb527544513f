"""The learning-rate finder: the book's "too small, too large" in one call.

Leslie Smith's range test (fastai's ``lr_find``): train a copy of the model
for a few epochs while the learning rate grows geometrically, step by step,
from a tiny value until the loss blows up. The loss first hardly moves (the
rate is too small), then falls, then turns up and explodes (too large). The
suggested rate is halfway down the longest valley of the loss (the longest
run of steps over which it keeps falling, as fastai's ``valley``): far
enough from the cliff at the end, and where training makes progress.
"""

import math
from dataclasses import dataclass

import numpy as np
from sklearn.base import clone

from ._drawn import describe, unwrap_search
from ._training import EpochHook
from .exceptions import DivergenceError

__all__ = ["LearningRateRange", "find_learning_rate"]


@dataclass
class LearningRateRange:
    """What a range test measured, step by step, and the rate it suggests.

    Attributes
    ----------
    learning_rates : ndarray of shape (n_steps,)
        The rate of each step, growing geometrically.
    losses : ndarray of shape (n_steps,)
        The batch loss of each step, smoothed by an exponential moving
        average (debiased, as fastai's).
    raw_losses : ndarray of shape (n_steps,)
        The batch loss of each step, as the training step returned it.
    suggestion : float
        The rate halfway down the longest valley of the smoothed loss.
    model : str, default=""
        Which model was tested, in words: its class, and where it was found
        (a pipeline's last step, a search's ``best_estimator_``).

    Examples
    --------
    >>> from sknnfs.lr_finder import LearningRateRange
    >>> found = LearningRateRange([0.01, 0.1, 1.0], [1.0, 0.5, 2.0],
    ...                           [1.0, 0.4, 3.0], 0.01)
    >>> found.suggestion
    0.01
    """

    learning_rates: np.ndarray
    losses: np.ndarray
    raw_losses: np.ndarray
    suggestion: float
    model: str = ""


def find_learning_rate(
    estimator,
    X,
    y,
    *,
    start=1e-6,
    stop=10.0,
    steps=200,
    smoothing=0.9,
    diverge=4.0,
    sample_weight=None,
):
    """Run a learning-rate range test on a copy of ``estimator``.

    The copy trains with its own settings (optimizer, batches, network)
    except that the rate grows from ``start`` to ``stop`` over ``steps``
    steps (as many epochs as that takes), with no decay, schedule or early
    stopping, and training stops early once the smoothed loss exceeds
    ``diverge`` times its lowest value, or diverges. ``estimator`` itself is
    never changed.

    Parameters
    ----------
    estimator : NNFSClassifier, NNFSRegressor, Pipeline or fitted search
        The model, fitted or not; a pipeline's steps before its last one
        are fitted on ``X`` first, and the test runs on what they output. A
        fitted search (``GridSearchCV``, ...) gives its ``best_estimator_``.
        With an optimizer object, it must have a ``learning_rate``.
    X : array-like of shape (n_samples, n_features)
        Training data.
    y : array-like of shape (n_samples,) or (n_samples, n_outputs)
        Targets.
    start, stop : float, default=1e-6, 10.0
        The rates of the first and the last step.
    steps : int, default=200
        The number of steps (batches) from ``start`` to ``stop``: about 28
        a decade of rates, by default.
    smoothing : float, default=0.9
        Weight of the past in the moving average of the losses (about the
        last ten steps); more smoothing lags more, and moves the lowest loss
        to higher rates.
    diverge : float, default=4.0
        Stop once the smoothed loss is this many times its lowest.
    sample_weight : array-like of shape (n_samples,), default=None
        Weights of the samples.

    Returns
    -------
    found : LearningRateRange
        The rates and losses of the steps run, and the suggested rate.

    Examples
    --------
    >>> from sklearn.datasets import load_digits
    >>> from sklearn.pipeline import make_pipeline
    >>> from sklearn.preprocessing import StandardScaler
    >>> from sknnfs import NNFSClassifier
    >>> from sknnfs.lr_finder import find_learning_rate
    >>> X, y = load_digits(return_X_y=True)
    >>> model = make_pipeline(
    ...     StandardScaler(), NNFSClassifier(optimizer="sgd", random_state=0))
    >>> found = find_learning_rate(model, X, y)
    >>> 1e-3 < found.suggestion < 1.0
    True
    """
    if not (0 < start < stop) or steps < 2:
        raise ValueError(
            f"find_learning_rate needs 0 < start < stop and steps >= 2; got "
            f"start={start}, stop={stop}, steps={steps}."
        )
    model, X, where = _final_step_and_its_input(estimator, X, y)
    rates = start * (stop / start) ** (np.arange(steps) / (steps - 1))
    test = _RangeTest(rates, smoothing, diverge)
    n_samples = X.shape[0] if hasattr(X, "shape") else len(X)
    if sample_weight is not None:  # the rows of weight 0 are left out
        n_samples = int(np.count_nonzero(sample_weight))
    n_batches = math.ceil(n_samples / model._batch_size(n_samples))
    model.set_params(**_range_test_settings(model, math.ceil(steps / n_batches)))
    model._extra_hooks = [test]
    try:
        model.fit(X, y, sample_weight=sample_weight)
    except (_RangeEnd, DivergenceError):
        pass  # the loss blew up: the test is over
    n = len(test.losses)
    if n == 0:
        raise ValueError("The range test diverged at its first step: lower start.")
    losses = np.array(test.smoothed)
    suggestion = float(rates[_halfway_down_the_longest_valley(losses)])
    return LearningRateRange(
        rates[:n], losses, np.array(test.losses), suggestion, describe(model, where)
    )


def _halfway_down_the_longest_valley(losses):
    """Return the step halfway down the longest valley of ``losses``.

    The valley ends where the longest falling run of losses ends (the
    longest decreasing subsequence, so that one noisy step does not cut it)
    and spans as many steps back as the run has, as fastai's ``valley``
    does: the few falling steps the run picks out of the flat start do not
    stretch it back to the tiniest rates.
    """
    length = np.ones(len(losses), dtype=int)  # of the longest run ending here
    for i in range(1, len(losses)):
        higher = length[:i][losses[:i] > losses[i]]
        if len(higher):
            length[i] = higher.max() + 1
    end = int(np.argmax(length))
    return end - length[end] // 2


def _final_step_and_its_input(estimator, X, y):
    """Return a clone of the final estimator, X through the steps before it, and where.

    ``where`` says where the estimator was found: a search's best, a
    pipeline's last step.
    """
    estimator, where = unwrap_search(estimator)
    if hasattr(estimator, "steps"):
        where = "the last step of " + (where or "the Pipeline")
        X = clone(estimator[:-1]).fit_transform(X, y)
        estimator = estimator[-1]
    if not hasattr(estimator, "_batch_size"):
        got = describe(estimator, where)
        raise TypeError(
            "find_learning_rate trains an NNFSClassifier or NNFSRegressor (alone, "
            f"last in a Pipeline, or in a fitted search); got {got}."
        )
    return clone(estimator), X, where


def _range_test_settings(model, epochs):
    settings = dict(
        max_iter=epochs,
        tol=None,
        early_stopping=False,
        warm_start=False,
        verbose=0,
        schedule=None,
    )
    if isinstance(model.optimizer, str):
        settings.update(learning_rate=None, decay=0.0)
    return settings


class _RangeEnd(Exception):
    """The range test is over: its last rate is reached or its loss exploded."""


class _RangeTest(EpochHook):
    """Set each step's rate, and record each step's loss."""

    def __init__(self, rates, smoothing, diverge):
        self.rates, self.smoothing, self.diverge = rates, smoothing, diverge
        self.losses, self.smoothed, self._average = [], [], 0.0

    def on_train_begin(self, run):
        if not hasattr(run.optimizer, "learning_rate"):
            raise ValueError(
                "find_learning_rate sets the optimizer's learning_rate, and "
                f"{type(run.optimizer).__name__} has none."
            )
        if hasattr(run.optimizer, "decay"):
            run.optimizer.decay = 0.0
        run.optimizer.learning_rate = self.rates[0]

    def on_batch_end(self, run, loss):
        step = len(self.losses)
        current = getattr(run.optimizer, "current_learning_rate", self.rates[step])
        if current != self.rates[step]:
            raise ValueError(
                f"{type(run.optimizer).__name__} stepped with the rate {current} "
                f"where find_learning_rate set learning_rate={self.rates[step]}: "
                "its steps must take their rate from learning_rate."
            )
        self.losses.append(loss)
        self._average = self.smoothing * self._average + (1 - self.smoothing) * loss
        smoothed = self._average / (1 - self.smoothing ** len(self.losses))
        self.smoothed.append(smoothed)
        step = len(self.losses)
        if step == len(self.rates) or smoothed > self.diverge * min(self.smoothed):
            raise _RangeEnd
        run.optimizer.learning_rate = self.rates[step]
