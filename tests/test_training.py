"""The epoch loop on its own, with a stand-in network whose losses the test sets."""

from types import SimpleNamespace

import numpy as np
import pytest

from sknnfs import DivergenceError
from sknnfs._training import EpochHook, History, TrainingRun, train
from sknnfs.optimizers import SGD


class StandIn:
    """A network of one parameter: each step moves it by the optimizer and
    returns the next loss of ``losses``; it remembers the rows of each batch."""

    def __init__(self, losses, fail_at=None):
        self.params = [np.zeros(1)]
        self.losses = iter(losses)
        self.batches = []
        self.fail_at = fail_at
        self.output_layer = SimpleNamespace(output=None)

    def train_step(self, X, y, optimizer, sample_weight=None):
        if len(self.batches) == self.fail_at:
            raise KeyboardInterrupt
        self.batches.append(X[:, 0].tolist())
        self.output_layer.output = X
        optimizer.step(self.params, [np.ones(1)])
        return next(self.losses), 0.0


def make_run(network, n_samples=10, batch_size=4, epochs=2, **settings):
    X = np.arange(n_samples, dtype=float).reshape(-1, 1)
    defaults = dict(
        network=network,
        optimizer=SGD(learning_rate=0.1),
        X=X,
        y=np.zeros(n_samples),
        sample_weight=None,
        batch_size=batch_size,
        shuffle=False,
        rng=np.random.RandomState(0),
        history=History(),
        max_epochs=epochs,
    )
    return TrainingRun(**{**defaults, **settings})


class Recorder(EpochHook):
    def __init__(self, name, events, stop_at=None):
        self.name, self.events, self.stop_at = name, events, stop_at

    def on_train_begin(self, run):
        self.events.append((self.name, "train_begin"))

    def on_epoch_begin(self, run):
        self.events.append((self.name, "epoch_begin", run.epoch))

    def on_epoch_end(self, run):
        self.events.append((self.name, "epoch_end", run.epoch))
        return run.epoch == self.stop_at

    def on_train_end(self, run):
        self.events.append((self.name, "train_end"))


def test_batches_in_order_and_the_last_one_short():
    network = StandIn([1.0] * 6)
    train(make_run(network))
    assert network.batches == [[0, 1, 2, 3], [4, 5, 6, 7], [8, 9]] * 2


def test_shuffled_batches_are_the_generators_permutations():
    network = StandIn([1.0] * 6)
    train(make_run(network, shuffle=True, rng=np.random.RandomState(3)))
    rng = np.random.RandomState(3)
    for epoch in range(2):
        order = rng.permutation(10).tolist()
        seen = sum(network.batches[3 * epoch : 3 * epoch + 3], [])
        assert [float(i) for i in order] == seen


def test_shuffled_batches_are_gathered_into_one_array_kept_for_the_epochs():
    addresses = []

    class Addresses(StandIn):
        def train_step(self, X, y, optimizer, sample_weight=None):
            addresses.append(X.__array_interface__["data"][0])
            return super().train_step(X, y, optimizer, sample_weight)

    network = Addresses([1.0] * 6)
    run = make_run(network, shuffle=True)
    train(run)
    # every batch of both epochs (the short last ones too: its first rows),
    # outside the data's own memory
    assert len(set(addresses)) == 1
    X_start = run.X.__array_interface__["data"][0]
    assert not X_start <= addresses[0] < X_start + run.X.nbytes


def test_unshuffled_batches_are_the_same_views_every_epoch():
    seen = []

    class Seen(StandIn):
        def train_step(self, X, y, optimizer, sample_weight=None):
            seen.append((X, y, sample_weight))
            return super().train_step(X, y, optimizer, sample_weight)

    run = make_run(Seen([1.0] * 9), epochs=3, sample_weight=np.ones(10))
    train(run)
    first_epoch = seen[:3]
    for batch, first in zip(seen[3:], first_epoch * 2):  # epochs 2 and 3
        assert all(a is b for a, b in zip(batch, first))  # X, y and weights
    assert all(np.shares_memory(X, run.X) for X, _, _ in first_epoch)  # views
    assert [len(y) for _, y, _ in first_epoch] == [4, 4, 2]


def test_a_single_full_batch_is_never_shuffled_and_draws_nothing():
    network, rng = StandIn([1.0] * 2), np.random.RandomState(3)
    train(make_run(network, batch_size=10, shuffle=True, rng=rng))
    assert network.batches == [list(range(10))] * 2
    assert rng.randint(1000) == np.random.RandomState(3).randint(1000)


def test_the_epochs_loss_is_the_weighted_mean_of_its_batches():
    network = StandIn([1.0, 2.0, 4.0, 0.5, 0.5, 0.5])
    run = make_run(network)
    train(run)
    assert run.history.loss_curve == [(4 * 1.0 + 4 * 2.0 + 2 * 4.0) / 10, 0.5]
    weighted = make_run(StandIn([1.0, 2.0, 4.0]), epochs=1)
    weighted.sample_weight = np.array([1.0] * 4 + [3.0] * 4 + [0.5] * 2)
    train(weighted)
    assert weighted.history.loss_curve == [(4 + 12 * 2.0 + 1 * 4.0) / 17]


def test_the_history_counts_epochs_samples_and_each_epochs_first_rate():
    run = make_run(StandIn([1.0] * 9), epochs=3, optimizer=SGD(0.5, decay=0.5))
    train(run)
    assert (run.history.n_iter, run.history.t) == (3, 30)
    # the rate of each epoch's first step (3 steps an epoch)
    steps = [0.5 * (1.0 / (1.0 + 0.5 * t)) for t in range(9)]
    assert run.history.learning_rate_curve == [steps[0], steps[3], steps[6]]


def test_hooks_run_in_order_and_end_in_reverse():
    events = []
    hooks = [Recorder("a", events), Recorder("b", events)]
    train(make_run(StandIn([1.0] * 3), epochs=1, hooks=hooks))
    assert events == [
        ("a", "train_begin"),
        ("b", "train_begin"),
        ("a", "epoch_begin", 0),
        ("b", "epoch_begin", 0),
        ("a", "epoch_end", 0),
        ("b", "epoch_end", 0),
        ("b", "train_end"),
        ("a", "train_end"),
    ]


def test_a_hook_stops_training_after_every_hook_saw_the_epoch():
    events = []
    hooks = [Recorder("a", events, stop_at=1), Recorder("b", events)]
    run = make_run(StandIn([1.0] * 30), epochs=10, hooks=hooks)
    train(run)
    assert run.stopped and run.history.n_iter == 2
    assert ("b", "epoch_end", 1) in events and ("a", "epoch_begin", 2) not in events


def test_only_hooks_that_define_on_batch_end_see_the_batches():
    class BatchLosses(EpochHook):
        def __init__(self):
            self.losses = []

        def on_batch_end(self, run, loss):
            self.losses.append(loss)

    batch_hook, events = BatchLosses(), []
    train(
        make_run(
            StandIn([3.0, 2.0, 1.0]),
            epochs=1,
            hooks=[Recorder("a", events), batch_hook],
        )
    )
    assert batch_hook.losses == [3.0, 2.0, 1.0]


def test_the_score_is_measured_only_when_a_hook_asks():
    class AskOnEvenEpochs(EpochHook):
        def on_epoch_begin(self, run):
            run.measure_score = run.epoch % 2 == 0

    calls = []

    def score(output, y, sample_weight):
        calls.append(len(output))
        return 1.0

    run = make_run(StandIn([1.0] * 9), epochs=3, hooks=[AskOnEvenEpochs()], score=score)
    train(run)
    assert calls == [4, 4, 2, 4, 4, 2]  # epochs 0 and 2
    assert run.last.score == 1.0


def test_a_non_finite_batch_loss_is_divergence_and_ends_the_epoch_at_once():
    network = StandIn([1.0, 1.0, 1.0, 1.0, np.inf, 1.0])
    run = make_run(network, epochs=3)
    with pytest.raises(DivergenceError, match="Training diverged at epoch 1: the loss"):
        train(run)
    assert len(network.batches) == 5 and run.history.n_iter == 1


def test_non_finite_weights_at_the_end_are_divergence():
    class Poison(EpochHook):
        def on_train_end(self, run):
            run.network.params[0][0] = np.nan

    with pytest.raises(DivergenceError, match="the weights became non-finite"):
        train(make_run(StandIn([1.0] * 6), hooks=[Poison()]))


def test_an_interrupt_ends_the_epochs_and_the_hooks_decide():
    events = []
    run = make_run(StandIn([1.0] * 6, fail_at=4), hooks=[Recorder("a", events)])
    train(run)  # the loop itself does not raise
    assert run.interrupted and run.history.n_iter == 1
    assert events[-1] == ("a", "train_end")
