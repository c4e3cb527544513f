"""The per-epoch behaviours of the estimators, each a hook of the epoch loop.

The estimator assembles them in this order (see ``BaseNNFS._hooks``):

* :class:`BookLog`: the book's log line every ``verbose`` epochs;
* :class:`ValidationScore`: the held-out samples' score and loss (early
  stopping);
* :class:`ImprovementTracker`: the best loss (or held-out score), the count
  of epochs without improvement, and the best epoch's weights;
* a learning-rate schedule (:class:`sknnfs.schedules.PlateauSchedule`);
* :class:`StoppingRule`: MLPClassifier's stop after ``n_iter_no_change``
  epochs without improvement;
* scikit-learn's callbacks (``sknnfs._callbacks.EpochCallbacks``);
* :class:`InterruptCheckpoint`, last: the state at the end of each epoch,
  restored after a ``KeyboardInterrupt``.
"""

import sys
import warnings

import numpy as np
from sklearn.exceptions import ConvergenceWarning

from ._checkpoint import EpochCheckpoint
from ._training import EpochHook, current_learning_rate, divergence_message
from .exceptions import DivergenceError


class BookLog(EpochHook):
    """Print the book's line every ``every`` epochs, before the epoch's step.

    ``epoch: 100, acc: 0.407, loss: 1.083``, with ``(data_loss: ...,
    reg_loss: ...)`` after the loss when ``loss_parts`` (the book's chapter
    14-17 form) and ``, lr: <rate>`` at the end when ``show_rate``.
    """

    def __init__(self, every, loss_parts=False, show_rate=False):
        self.every = every
        self.loss_parts = loss_parts
        self.show_rate = show_rate

    def on_epoch_begin(self, run):
        self._printing = run.epoch % self.every == 0
        run.measure_score = run.measure_score or self._printing
        # the book prints the rate as it stands before the epoch's steps
        self._rate = current_learning_rate(run.optimizer)

    def on_epoch_end(self, run):
        if self._printing:
            print(self.line(run.epoch, run.last, self._rate))
        return False

    def line(self, epoch, means, rate):
        """Return the log line of ``epoch`` from its means and its rate."""
        line = f"epoch: {epoch}, acc: {means.score:.3f}, loss: {means.loss:.3f}"
        if self.loss_parts:
            line += (
                f" (data_loss: {means.data_loss:.3f}, reg_loss: {means.penalty:.3f})"
            )
        if self.show_rate:
            line += f", lr: {rate}"
        return line


class ValidationScore(EpochHook):
    """Score the held-out samples after every epoch (early stopping's split).

    Appends to ``validation_scores`` and ``validation_loss_curve`` of the
    history; non-finite predictions are divergence.
    """

    def __init__(self, X, y, sample_weight, predict, score, loss):
        self.X, self.y, self.sample_weight = X, y, sample_weight
        self.predict, self.score, self.loss = predict, score, loss

    def on_train_begin(self, run):
        history = run.history
        if history.validation_scores is None:  # a warm start turned it on
            history.validation_scores, history.validation_loss_curve = [], []
            history.best_validation_score = -np.inf

    def on_epoch_end(self, run):
        output = self.predict(run.network, self.X)
        if not np.all(np.isfinite(output)):  # the epoch's last step diverged
            what = "the predictions of the held-out samples became non-finite"
            raise DivergenceError(divergence_message(run.epoch, what, run.optimizer))
        run.history.validation_scores.append(
            self.score(output, self.y, self.sample_weight)
        )
        run.history.validation_loss_curve.append(
            self.loss(output, self.y, self.sample_weight)
        )
        return False


class ImprovementTracker(EpochHook):
    """Count the epochs that improve by less than ``tol``: MLPClassifier's rule.

    The monitored value is the training loss, or with ``validating`` the
    held-out score, whose best epoch's weights are kept and put back at the
    end. ``tol=None`` counts improvements of any size.

    An epoch that ties the best held-out score with a lower held-out loss
    is better too (its weights are kept; it improves if the loss fell by
    ``tol``). On small data the held-out accuracy of a dozen samples
    reaches its best within a few epochs and ties it from then on, and
    without this rule training stopped there, undertrained (wine, 178
    rows: 5-fold accuracy 0.92 with early stopping against 0.98 without;
    0.98 with it).
    """

    def __init__(self, tol, validating):
        self.tol = 0.0 if tol is None else tol
        self.validating = validating

    def on_train_begin(self, run):
        self._best = [p.copy() for p in run.network.params] if self.validating else None
        self._loss_at_best = np.inf  # the held-out loss of the kept epoch

    def on_epoch_end(self, run):
        history = run.history
        improved = run.last.loss <= history.best_loss - self.tol
        history.best_loss = min(history.best_loss, run.last.loss)
        if self.validating:
            score = history.validation_scores[-1]
            loss = history.validation_loss_curve[-1]
            tie = score == history.best_validation_score
            improved = score >= history.best_validation_score + self.tol or (
                tie and loss <= self._loss_at_best - self.tol
            )
            if score > history.best_validation_score or (
                tie and loss < self._loss_at_best
            ):
                history.best_validation_score = score
                self._loss_at_best = loss
                self._best = [p.copy() for p in run.network.params]
        history.no_improvement_count = (
            0 if improved else history.no_improvement_count + 1
        )
        return False

    def on_train_end(self, run):
        if self._best is not None:  # the best epoch's weights
            for param, best in zip(run.network.params, self._best):
                param[...] = best


class StoppingRule(EpochHook):
    """Stop once more than ``n_iter_no_change`` epochs in a row did not improve.

    Warns with a ConvergenceWarning when ``max_iter`` epochs end the
    training first, as MLPClassifier does.
    """

    def __init__(self, n_iter_no_change, tol, monitored, max_iter, verbose=0):
        self.n_iter_no_change = n_iter_no_change
        self.tol = tol
        self.monitored = monitored  # "Training loss" or "Validation score"
        self.max_iter = max_iter
        self.verbose = verbose

    def on_epoch_end(self, run):
        if run.history.no_improvement_count <= self.n_iter_no_change:
            return False
        if self.verbose:
            print(
                f"{self.monitored} did not improve more than tol={self.tol} for "
                f"{self.n_iter_no_change} consecutive epochs. Stopping."
            )
        return True

    def on_train_end(self, run):
        if not (run.stopped or run.interrupted):
            warn_in_user_code(
                f"Stochastic Optimizer: Maximum iterations ({self.max_iter}) "
                "reached and the optimization hasn't converged yet.",
                ConvergenceWarning,
            )


class InterruptCheckpoint(EpochHook):
    """Keep the model of the last finished epoch after a ``KeyboardInterrupt``.

    As MLPClassifier does, with a warning. An interrupt before any epoch of
    this call has finished is raised again, and the estimator keeps the
    model it had before the call (none, for a fresh fit). The random stream
    (of the shuffles and the dropout masks) is restored too when
    ``keep_random_state``.
    """

    def __init__(self, keep_random_state):
        self.keep_random_state = keep_random_state

    def on_train_begin(self, run):
        network = run.network
        params = [network.flat_params] if hasattr(network, "flat_params") else None
        self._start = run.history.n_iter
        self._checkpoint = EpochCheckpoint(
            params or network.params,  # one copy covers every layer's views
            run.optimizer,
            run.history,
            run.rng if self.keep_random_state else None,
        )

    def on_epoch_end(self, run):
        self._checkpoint.save(run.history)  # an interrupt keeps this epoch's model
        return False

    def on_train_end(self, run):
        if not run.interrupted:
            return
        self._checkpoint.restore(run.history)
        epochs = run.history.n_iter
        if epochs == self._start:
            raise KeyboardInterrupt
        warn_in_user_code(
            f"Training interrupted by the user during epoch {epochs}: keeping the "
            f"model of the last finished epoch ({epochs} epochs in all). Call fit "
            "again with warm_start=True, or partial_fit, to continue from it.",
            UserWarning,
        )


def warn_in_user_code(message, category):
    """Warn, naming the first caller outside sknnfs and scikit-learn's wrappers.

    The user's ``fit`` line, whichever path (callbacks or not, a pipeline's
    step or not) led from it to the warning; inside a search, the search's
    own call of ``fit``.
    """
    frame, level = sys._getframe(1), 2
    while frame is not None and frame.f_globals.get("__name__", "").startswith(
        ("sknnfs.", "sklearn.callback", "sklearn.pipeline", "sklearn.base")
    ):
        frame, level = frame.f_back, level + 1
    warnings.warn(message, category, stacklevel=level)
