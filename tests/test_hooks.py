"""Each per-epoch behaviour on its own, on a stand-in run, then with the loop."""

import warnings
from types import SimpleNamespace

import numpy as np
import pytest
from sklearn.exceptions import ConvergenceWarning
from sklearn.neural_network._stochastic_optimizers import SGDOptimizer

from sknnfs import DivergenceError
from sknnfs._hooks import (
    BookLog,
    ImprovementTracker,
    InterruptCheckpoint,
    StoppingRule,
    ValidationScore,
)
from sknnfs._training import EpochMeans, History, train
from sknnfs.optimizers import SGD
from sknnfs.schedules import PlateauSchedule

from .test_training import StandIn, make_run


def stand_in_run(history=None, learning_rate=0.1):
    """The parts of a run that the hooks read, after one epoch of loss 0.5."""
    return SimpleNamespace(
        epoch=0,
        last=EpochMeans(0.5, 0.4, 0.1, 0.75),
        history=history or History(learning_rate_curve=[learning_rate]),
        network=SimpleNamespace(params=[np.array([1.0, 2.0])]),
        optimizer=SGD(learning_rate=learning_rate),
        measure_score=False,
        stopped=False,
        interrupted=False,
    )


def epochs_of(hook, run, losses):
    """Feed ``hook`` epochs of the given losses; return its answers."""
    answers = []
    for epoch, loss in enumerate(losses):
        run.epoch, run.last = epoch, EpochMeans(loss, loss, 0.0, np.nan)
        answers.append(hook.on_epoch_end(run))
    return answers


# -- the book's log line -------------------------------------------------------


def test_book_log_prints_every_n_epochs_and_asks_for_the_score(capsys):
    log, run = BookLog(every=2), stand_in_run()
    for epoch in range(3):
        run.epoch, run.measure_score = epoch, False
        log.on_epoch_begin(run)
        assert run.measure_score is (epoch % 2 == 0)
        log.on_epoch_end(run)
    assert capsys.readouterr().out == (
        "epoch: 0, acc: 0.750, loss: 0.500\nepoch: 2, acc: 0.750, loss: 0.500\n"
    )


def test_book_log_line_with_the_loss_parts_and_the_rate():
    line = BookLog(1, loss_parts=True, show_rate=True).line(
        100, EpochMeans(1.0834, 1.0, 0.0834, 0.4071), 0.9090909090909091
    )
    assert line == (
        "epoch: 100, acc: 0.407, loss: 1.083 (data_loss: 1.000, reg_loss: 0.083), "
        "lr: 0.9090909090909091"
    )


# -- the held-out score --------------------------------------------------------


def test_validation_score_records_the_score_and_loss_of_the_held_out_samples():
    X_val = np.array([[1.0], [2.0]])
    hook = ValidationScore(
        X_val,
        np.array([0, 1]),
        None,
        predict=lambda network, X: X * network.params[0][0],
        score=lambda output, y, w: float(output.sum()),
        loss=lambda output, y, w: float(output.mean()),
    )
    run = stand_in_run(History())  # a warm start that turned early stopping on
    hook.on_train_begin(run)
    assert run.history.best_validation_score == -np.inf
    hook.on_epoch_end(run)
    assert run.history.validation_scores == [3.0]
    assert run.history.validation_loss_curve == [1.5]
    run.network.params[0][0] = np.nan
    with pytest.raises(DivergenceError, match="held-out samples became non-finite"):
        hook.on_epoch_end(run)


# -- counting improvement, and stopping ----------------------------------------


def test_improvement_is_mlpclassifiers_rule_with_tol():
    tracker, run = ImprovementTracker(tol=0.1, validating=False), stand_in_run()
    tracker.on_train_begin(run)
    counts = []
    for loss in [1.0, 0.95, 0.85, 0.9, 0.74, 0.8]:
        epochs_of(tracker, run, [loss])
        counts.append(run.history.no_improvement_count)
    # improved means at least tol below the best loss so far
    assert counts == [0, 1, 0, 1, 0, 1]
    assert run.history.best_loss == 0.74


def test_with_held_out_samples_the_best_epochs_weights_come_back():
    tracker, run = ImprovementTracker(tol=0.0, validating=True), stand_in_run()
    run.history.validation_scores, run.history.best_validation_score = [], -np.inf
    run.history.validation_loss_curve = []
    tracker.on_train_begin(run)
    for score, weight in [(0.5, 1.0), (0.9, 2.0), (0.7, 3.0)]:
        run.network.params[0][0] = weight
        run.history.validation_scores.append(score)
        run.history.validation_loss_curve.append(1.0)
        tracker.on_epoch_end(run)
    assert run.history.best_validation_score == 0.9
    assert run.history.no_improvement_count == 1
    tracker.on_train_end(run)
    assert run.network.params[0][0] == 2.0


def test_a_tie_of_the_best_score_with_a_lower_held_out_loss_is_better():
    # small held-out sets tie their best accuracy for many epochs
    tracker, run = ImprovementTracker(tol=0.1, validating=True), stand_in_run()
    history = run.history
    history.validation_scores, history.best_validation_score = [], -np.inf
    history.validation_loss_curve = []
    tracker.on_train_begin(run)
    counts = []
    epochs = [(0.5, 1.0), (1.0, 0.8), (1.0, 0.6), (1.0, 0.55), (1.0, 0.7)]
    for weight, (score, loss) in enumerate(epochs):
        run.network.params[0][0] = weight
        history.validation_scores.append(score)
        history.validation_loss_curve.append(loss)
        tracker.on_epoch_end(run)
        counts.append(history.no_improvement_count)
    # 0.6 is tol below 0.8: progress; 0.55 is lower, but by less than tol
    assert counts == [0, 0, 0, 1, 2]
    tracker.on_train_end(run)
    assert run.network.params[0][0] == 3  # the tie of the lowest loss


def test_the_stopping_rule_stops_after_more_than_n_epochs_and_says_so(capsys):
    rule, run = StoppingRule(3, 1e-4, "Training loss", 200, verbose=1), stand_in_run()
    answers = []
    for count in [1, 2, 3, 4]:
        run.history.no_improvement_count = count
        answers.append(rule.on_epoch_end(run))
    assert answers == [False, False, False, True]
    assert capsys.readouterr().out == (
        "Training loss did not improve more than tol=0.0001 for 3 consecutive "
        "epochs. Stopping.\n"
    )


@pytest.mark.parametrize(
    "stopped, interrupted", [(False, False), (True, False), (False, True)]
)
def test_the_stopping_rule_warns_only_when_max_iter_came_first(stopped, interrupted):
    rule, run = StoppingRule(3, 1e-4, "Training loss", 7), stand_in_run()
    run.stopped, run.interrupted = stopped, interrupted
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        rule.on_train_end(run)
    expected = [] if stopped or interrupted else [ConvergenceWarning]
    assert [w.category for w in caught] == expected
    if caught:
        assert "Maximum iterations (7)" in str(caught[0].message)
        assert caught[0].filename == __file__  # the caller outside sknnfs


# -- the interrupt checkpoint --------------------------------------------------


def test_an_interrupt_keeps_the_last_finished_epoch_and_warns():
    network = StandIn([1.0] * 12, fail_at=7)  # in the third epoch
    run = make_run(network, epochs=4, hooks=[InterruptCheckpoint(True)])
    with pytest.warns(UserWarning, match="interrupted by the user during epoch 2"):
        train(run)
    assert run.history.n_iter == 2 and len(run.history.loss_curve) == 2
    np.testing.assert_array_equal(network.params[0], [-0.6])  # six steps of 0.1
    assert run.optimizer.iterations == 6


def test_an_interrupt_while_an_epoch_is_saved_keeps_that_epoch():
    class InterruptedCopy:
        """An optimizer attribute whose copy, at the third save, is interrupted."""

        copies = 0

        def __deepcopy__(self, memo):
            InterruptedCopy.copies += 1
            if InterruptedCopy.copies == 3:  # the end of epoch 2 (1 at the start)
                raise KeyboardInterrupt
            return self

    network = StandIn([1.0] * 12)
    run = make_run(network, epochs=4, hooks=[InterruptCheckpoint(True)])
    run.optimizer.extra = InterruptedCopy()
    with pytest.warns(UserWarning, match=r"last finished epoch \(2 epochs"):
        train(run)
    assert run.history.n_iter == 2 and len(run.history.loss_curve) == 2
    np.testing.assert_array_equal(network.params[0], [-0.6])  # six steps of 0.1
    assert run.optimizer.iterations == 6


def test_an_interrupt_before_any_epoch_ends_is_raised_again():
    run = make_run(StandIn([1.0] * 6, fail_at=2), hooks=[InterruptCheckpoint(True)])
    with pytest.raises(KeyboardInterrupt):
        train(run)
    np.testing.assert_array_equal(run.network.params[0], [0.0])


# -- the plateau schedule ------------------------------------------------------


def test_the_plateau_schedule_lowers_the_rate_and_restarts_the_count():
    schedule = PlateauSchedule(factor=0.5, patience=2)
    run = stand_in_run(learning_rate=0.4)
    rates = []
    for count in [1, 2, 3, 1, 2, 3]:
        run.history.no_improvement_count = count
        schedule.on_epoch_end(run)
        rates.append((run.optimizer.learning_rate, run.history.no_improvement_count))
    assert rates == [(0.4, 1), (0.4, 2), (0.2, 0), (0.2, 1), (0.2, 2), (0.1, 0)]


def test_the_plateau_schedule_is_mlpclassifiers_adaptive_rate():
    """Against scikit-learn's SGD optimizer: at each plateau, the rate is
    divided by 5 until it is at most 1e-6, and then training stops."""
    mlp = SGDOptimizer([np.zeros(1)], learning_rate_init=0.01, lr_schedule="adaptive")
    mlp_rates = []
    while not mlp.trigger_stopping("", verbose=False):
        mlp_rates.append(mlp.learning_rate)
    schedule = PlateauSchedule(patience=10)  # the defaults of schedule='plateau'
    rule, run = (
        StoppingRule(10, 1e-4, "Training loss", 10_000),
        stand_in_run(learning_rate=0.01),
    )
    ours = []
    for _ in range(1000):
        run.history.no_improvement_count += 1  # every epoch on the plateau
        before = run.optimizer.learning_rate
        schedule.on_epoch_end(run)
        if rule.on_epoch_end(run):
            break
        if run.optimizer.learning_rate != before:
            ours.append(run.optimizer.learning_rate)
    np.testing.assert_allclose(ours, mlp_rates, rtol=1e-12)


def test_a_schedule_needs_an_optimizer_with_a_learning_rate():
    run = stand_in_run()
    run.optimizer = object()
    with pytest.raises(ValueError, match="lowers the optimizer's learning_rate"):
        PlateauSchedule().on_train_begin(run)
