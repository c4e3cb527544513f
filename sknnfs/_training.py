"""The epoch loop: batches, shuffling, divergence, and the per-epoch hooks.

:func:`train` runs the epochs of a :class:`TrainingRun` and records them in
its :class:`History`. Everything that happens once an epoch, besides the
batches themselves, is a hook (:class:`EpochHook`): the stopping rule, the
book's log line, a learning-rate schedule, scikit-learn's callbacks, the
interrupt checkpoint. The loop knows nothing of the estimators: they build
the run (validated data, network, optimizer, hooks), hand it over, and read
the history back.

One epoch, as the loop runs it::

    hook.on_epoch_begin(run)          for each hook, in order
    for batch in the (shuffled) batches:
        network.train_step(...)       forward, backward, optimizer step
        hook.on_batch_end(run, loss)  only for hooks that define it
    history: n_iter, t, loss_curve, learning_rate_curve
    hook.on_epoch_end(run)            for each hook; any True stops training

and ``on_train_begin`` before the first epoch, ``on_train_end`` after the
last (in reverse order, so that the last hook, the checkpoint, restores an
interrupted run before the others look at it).
"""

import math
from dataclasses import dataclass, field

import numpy as np

from .exceptions import DivergenceError

__all__ = ["EpochHook", "EpochMeans", "History", "TrainingRun", "train"]


@dataclass
class History:
    """What training has recorded, kept from fit to fit.

    The estimators' fitted attributes are these fields with a trailing
    underscore (``n_iter_``, ``loss_curve_``, ...), except
    ``no_improvement_count``, which is private, as in MLPClassifier.
    """

    n_iter: int = 0
    t: int = 0
    loss_curve: list = field(default_factory=list)
    learning_rate_curve: list = field(default_factory=list)
    best_loss: float = np.inf
    no_improvement_count: int = 0
    validation_scores: list = None
    validation_loss_curve: list = None
    best_validation_score: float = None


@dataclass
class EpochMeans:
    """The sample-weighted means of one epoch's batches, before their steps."""

    loss: float
    data_loss: float
    penalty: float
    score: float  # nan unless a hook asked for it (``run.measure_score``)


@dataclass
class TrainingRun:
    """Everything one call of ``fit`` or ``partial_fit`` trains, as it goes.

    ``network`` needs ``train_step(X, y, optimizer, sample_weight)``
    returning ``(data_loss, penalty)``, and ``params``, the arrays it trains;
    ``output_layer.output`` too when a score is measured.
    """

    network: object
    optimizer: object
    X: object
    y: np.ndarray
    sample_weight: object
    batch_size: int
    shuffle: bool
    rng: np.random.RandomState
    history: History
    max_epochs: int
    hooks: list = field(default_factory=list)
    score: object = None  # score(output, y, sample_weight), for the book's log
    epoch: int = 0  # the running epoch, counted over all fits
    measure_score: bool = False  # set by a hook in on_epoch_begin
    last: EpochMeans = None  # the last finished epoch
    interrupted: bool = False
    stopped: bool = False  # a hook stopped training before max_epochs


class EpochHook:
    """A per-epoch behaviour of training; every method does nothing by default.

    Examples
    --------
    >>> from sknnfs._training import EpochHook
    >>> class StopAtLoss(EpochHook):
    ...     def __init__(self, target):
    ...         self.target = target
    ...     def on_epoch_end(self, run):
    ...         return run.last.loss < self.target
    """

    def on_train_begin(self, run):
        """Before the first epoch of this call."""

    def on_epoch_begin(self, run):
        """Before the epoch's first batch."""

    def on_batch_end(self, run, loss):
        """After each step, with its batch's loss (called only if overridden)."""

    def on_epoch_end(self, run):
        """After the epoch is recorded; return True to stop training."""
        return False

    def on_train_end(self, run):
        """After the last epoch, or after an interrupt (``run.interrupted``)."""


def train(run):
    """Run epochs until ``run.max_epochs``, or until a hook stops training.

    Raises :class:`~sknnfs.DivergenceError` when a loss or, at the end, a
    parameter is not finite. A ``KeyboardInterrupt`` ends the epochs with
    ``run.interrupted`` set; the hooks decide what is kept.
    """
    for hook in run.hooks:
        hook.on_train_begin(run)
    # Overflow is how divergence starts: it is caught as a non-finite loss,
    # with an error that says what to do, rather than as warnings.
    with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
        try:
            _epochs(run)
        except KeyboardInterrupt:
            run.interrupted = True
    for hook in reversed(run.hooks):
        hook.on_train_end(run)
    # The last step's update is seen by no loss: check the weights themselves.
    if not all(np.all(np.isfinite(p)) for p in run.network.params):
        raise DivergenceError(
            divergence_message(
                run.history.n_iter - 1, "the weights became non-finite", run.optimizer
            )
        )


def _epochs(run):
    n_samples, history = run.X.shape[0], run.history
    batches = [
        slice(start, min(start + run.batch_size, n_samples))
        for start in range(0, n_samples, run.batch_size)
    ]
    # shuffling a single full batch would only reorder a sum: nothing is drawn
    shuffle = run.shuffle and len(batches) > 1
    gather = _row_gatherer(run.X, batches, shuffle)
    # the same views every epoch when the rows keep their order (a sparse
    # matrix's rows are copies: taken anew each epoch)
    fixed = None
    if not shuffle and type(run.X) is np.ndarray:
        fixed = [_batch(run, gather, rows) for rows in batches]
    begin_hooks, batch_hooks = _overriding(run.hooks, "on_epoch_begin", "on_batch_end")
    for _ in range(run.max_epochs):
        run.epoch, run.measure_score = history.n_iter, False
        rate = next_learning_rate(run.optimizer)
        order = run.rng.permutation(n_samples) if shuffle else None
        for hook in begin_hooks:
            hook.on_epoch_begin(run)
        epoch_batches = fixed or (
            _batch(run, gather, batch if order is None else order[batch])
            for batch in batches
        )
        run.last = _run_epoch(run, epoch_batches, batch_hooks)
        if not math.isfinite(run.last.loss):
            message = f"the loss became {run.last.loss}"
            raise DivergenceError(divergence_message(run.epoch, message, run.optimizer))
        history.n_iter += 1
        history.t += n_samples
        history.loss_curve.append(run.last.loss)
        history.learning_rate_curve.append(rate)
        stops = [hook.on_epoch_end(run) for hook in run.hooks]
        if any(stops):
            run.stopped = True
            return


def _overriding(hooks, *names):
    """For each method name, the hooks that have it, other than EpochHook's no-op."""
    noops = [(name, getattr(EpochHook, name)) for name in names]
    return [
        [hook for hook in hooks if getattr(type(hook), name, noop) is not noop]
        for name, noop in noops
    ]


def _batch(run, gather, rows):
    """Return the batch of ``rows``: its inputs, targets and sample weights."""
    weights = None if run.sample_weight is None else run.sample_weight[rows]
    return gather(rows), run.y[rows], weights


def _run_epoch(run, epoch_batches, batch_hooks):
    """One pass over the batches, each ``(X, y, sample_weight)``."""
    train_step, optimizer = run.network.train_step, run.optimizer
    measure_score, output_layer = run.measure_score, run.network.output_layer
    loss_sum = data_sum = penalty_sum = score_sum = weight_sum = 0.0
    for X_batch, y_batch, w_batch in epoch_batches:
        data_loss, penalty = train_step(X_batch, y_batch, optimizer, w_batch)
        # the book's sum, in the data's precision: exact for a single
        # float32 batch, so that the log shows the book's loss
        loss = float(data_loss + penalty)
        if not math.isfinite(loss):
            return EpochMeans(loss, np.nan, np.nan, np.nan)  # diverged: stop at once
        for hook in batch_hooks:
            hook.on_batch_end(run, loss)
        batch_weight = len(y_batch) if w_batch is None else float(np.sum(w_batch))
        loss_sum += loss * batch_weight
        data_sum += float(data_loss) * batch_weight
        penalty_sum += float(penalty) * batch_weight
        weight_sum += batch_weight
        if measure_score:
            score_sum += batch_weight * run.score(output_layer.output, y_batch, w_batch)
    return EpochMeans(
        loss_sum / weight_sum,
        data_sum / weight_sum,
        penalty_sum / weight_sum,
        score_sum / weight_sum if measure_score else np.nan,
    )


def _row_gatherer(X, batches, shuffle):
    """Return ``gather(rows)``, the rows of ``X`` (a slice, or shuffled) as one batch.

    A slice of rows is a view. Shuffled rows of an array are taken into one
    array kept for all the epochs' batches (warm in cache for the first
    product, and no allocation a batch); ``mode="clip"`` spares numpy's
    checked copy, and the rows, a permutation's, are all valid.
    """
    if not shuffle or type(X) is not np.ndarray:
        return X.__getitem__
    size = max(batch.stop - batch.start for batch in batches)
    kept = np.empty((size, *X.shape[1:]), X.dtype)

    def gather(rows):
        out = kept if len(rows) == size else kept[: len(rows)]  # the last batch
        return X.take(rows, axis=0, out=out, mode="clip")

    return gather


def current_learning_rate(optimizer):
    """Return the optimizer's ``current_learning_rate``, or nan if it has none."""
    return getattr(optimizer, "current_learning_rate", np.nan)


def next_learning_rate(optimizer):
    """Return the rate of the optimizer's next step, or its current rate."""
    rate = getattr(optimizer, "next_learning_rate", None)
    return current_learning_rate(optimizer) if rate is None else rate


def divergence_message(epoch, what, optimizer):
    """Say that training diverged at ``epoch`` (``what`` became non-finite)."""
    return (
        f"Training diverged at epoch {epoch}: {what} with learning rate "
        f"{current_learning_rate(optimizer)}. Lower the learning rate (for "
        "example to a tenth of it), or scale X (for example with "
        "StandardScaler); no model was kept from this fit."
    )
