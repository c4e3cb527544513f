"""The plateau schedule through the estimators: fit, warm start, partial_fit."""

import re
import warnings

import numpy as np
import pytest
from sklearn.datasets import load_iris
from sklearn.exceptions import ConvergenceWarning
from sklearn.model_selection import GridSearchCV
from sklearn.preprocessing import StandardScaler
from sklearn.utils._param_validation import InvalidParameterError

from sknnfs import NNFSClassifier, NNFSRegressor
from sknnfs.optimizers import SGD
from sknnfs.schedules import PlateauSchedule


@pytest.fixture(scope="module")
def iris():
    X, y = load_iris(return_X_y=True)
    return StandardScaler().fit_transform(X), y


@pytest.fixture(autouse=True)
def quiet():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        yield


def lowered(curve):
    """The epochs after which the recorded rate went down."""
    return [i for i in range(1, len(curve)) if curve[i] < curve[i - 1]]


def model(**params):
    settings = dict(
        hidden_layer_sizes=(8,),
        optimizer="sgd",
        learning_rate=0.05,
        n_iter_no_change=3,
        max_iter=300,
        random_state=0,
    )
    return NNFSClassifier(**{**settings, **params})


def test_plateau_lowers_the_rate_five_times_and_trains_on(iris):
    X, y = iris
    plain = model().fit(X, y)
    scheduled = model(schedule="plateau").fit(X, y)
    curve = scheduled.learning_rate_curve_
    assert plain.learning_rate_curve_ == [0.05] * plain.n_iter_
    assert lowered(curve), curve
    for i in lowered(curve):
        assert curve[i] == pytest.approx(curve[i - 1] * 0.2, rel=1e-12)
    # the plain fit stops at its first plateau; the scheduled one goes on
    assert scheduled.n_iter_ > plain.n_iter_
    assert scheduled.optimizer_.learning_rate == curve[-1] or scheduled.n_iter_ == 300
    assert scheduled.score(X, y) >= plain.score(X, y) - 0.02


def test_plateau_stops_once_the_rate_is_spent(iris):
    X, y = iris
    clf = model(
        schedule=PlateauSchedule(factor=0.1, patience=0, min_learning_rate=1e-4)
    )
    clf.set_params(tol=1.0).fit(X, y)  # no epoch but the first improves by 1
    # lowered after epochs 1, 2 and 3, down to 5e-5 (below 1e-4: spent); then
    # the stopping rule's 3 epochs without improvement, and the one that stops
    assert clf.learning_rate_curve_ == pytest.approx(
        [0.05, 0.05, 0.005, 0.0005, 5e-05, 5e-05, 5e-05, 5e-05], rel=1e-12
    )


def test_the_lowered_rate_survives_a_warm_start(iris):
    X, y = iris
    clf = model(schedule=PlateauSchedule(factor=0.5, patience=0), tol=1.0)
    clf.set_params(max_iter=3, warm_start=True).fit(X, y)
    # the first epoch improves on nothing; each of the next two lowers the rate
    assert clf.optimizer_.learning_rate == pytest.approx(0.05 * 0.5**2)
    clf.fit(X, y)
    assert clf.learning_rate_curve_[3] == pytest.approx(0.05 * 0.5**2)
    assert clf.optimizer_.learning_rate == pytest.approx(0.05 * 0.5**5)
    # a rate the user sets anew is applied
    clf.set_params(learning_rate=0.01, schedule=None).fit(X, y)
    assert clf.learning_rate_curve_[6:] == [0.01] * 3


def test_the_count_and_the_rate_survive_partial_fit(iris):
    X, y = iris
    clf = NNFSRegressor(
        (8,),
        optimizer="sgd",
        learning_rate=0.05,
        schedule=PlateauSchedule(factor=0.5, patience=1),
        tol=100.0,  # with partial_fit tol never stops; it still counts
        random_state=0,
    )
    for _ in range(6):
        clf.partial_fit(X, y.astype(float))
    # epochs 0, 1, 2 count 0, 1, 2: lowered after 2, then after 4
    assert clf.learning_rate_curve_ == pytest.approx(
        [0.05, 0.05, 0.05, 0.025, 0.025, 0.0125], rel=1e-12
    )


def test_the_log_shows_the_rate_with_a_schedule(iris, capsys):
    X, y = iris
    model(schedule="plateau", max_iter=2, verbose=1).fit(X, y)
    lines = capsys.readouterr().out.splitlines()
    assert re.fullmatch(
        r"epoch: 0, acc: \d\.\d{3}, loss: \d\.\d{3}.*, lr: 0\.05", lines[0]
    )


def test_a_schedules_settings_are_tuned_like_any_parameter(iris):
    X, y = iris
    search = GridSearchCV(
        model(schedule=PlateauSchedule(patience=1), tol=1.0, max_iter=30),
        {"schedule__factor": [0.1, 0.5]},
        cv=3,
    ).fit(X, y)
    assert search.best_estimator_.schedule.factor in (0.1, 0.5)
    assert len(set(search.cv_results_["mean_test_score"])) == 2


def test_a_schedule_with_an_optimizer_object_without_a_rate_is_refused(iris):
    class NoRate:
        def pre_update_params(self):
            pass

        def update_params(self, params, grads):
            pass

        def post_update_params(self):
            pass

    X, y = iris
    clf = NNFSClassifier(optimizer=NoRate(), schedule="plateau")
    with pytest.raises(ValueError, match="NoRate has none"):
        clf.fit(X, y)
    assert not hasattr(clf, "coefs_")


def test_an_optimizer_objects_lowered_rate_survives_a_warm_start(iris):
    X, y = iris
    clf = NNFSClassifier(
        (8,),
        optimizer=SGD(learning_rate=0.05),
        schedule=PlateauSchedule(factor=0.5, patience=0),
        tol=1.0,
        max_iter=3,
        warm_start=True,
        random_state=0,
    ).fit(X, y)
    clf.fit(X, y)
    assert clf.learning_rate_curve_[3] == pytest.approx(0.05 * 0.5**2)


def test_plateau_with_n_iter_no_change_inf_never_lowers_the_rate(iris):
    X, y = iris
    clf = model(schedule="plateau", n_iter_no_change=np.inf, max_iter=20).fit(X, y)
    assert clf.learning_rate_curve_ == [0.05] * 20


def test_a_patience_longer_than_the_stopping_rule_is_refused(iris):
    X, y = iris
    clf = model(schedule=PlateauSchedule(patience=20), n_iter_no_change=5)
    with pytest.raises(
        ValueError, match="patience=20 is longer than n_iter_no_change=5"
    ):
        clf.fit(X, y)
    clf.set_params(tol=None).fit(X, y)  # no stopping rule: the schedule may wait


def test_a_schedule_needs_the_hooks_methods(iris):
    class OnlyEpochEnd:
        def on_epoch_end(self, run):
            return False

    with pytest.raises(InvalidParameterError, match="'schedule' parameter"):
        model(schedule=OnlyEpochEnd()).fit(*iris)


class BooksSGD:
    """An optimizer written as the book's: its rate is a plain attribute."""

    def __init__(self):
        self.learning_rate = self.current_learning_rate = 0.05

    def pre_update_params(self):
        pass

    def update_params(self, params, grads):
        for param, grad in zip(params, grads):
            param -= self.current_learning_rate * grad

    def post_update_params(self):
        pass


def test_an_optimizer_whose_steps_ignore_learning_rate_is_refused(iris):
    X, y = iris
    clf = NNFSClassifier(
        (8,),
        optimizer=BooksSGD(),
        schedule=PlateauSchedule(factor=0.5, patience=0),
        tol=1.0,
        max_iter=5,
        random_state=0,
    )
    with pytest.raises(ValueError, match="do not take their rate from learning_rate"):
        clf.fit(X, y)


def test_a_schedule_of_ones_own_needs_only_the_four_methods(iris):
    class HalveEveryEpoch:
        """Not an EpochHook: the four methods, and clone through deepcopy."""

        def on_train_begin(self, run):
            pass

        def on_epoch_begin(self, run):
            pass

        def on_epoch_end(self, run):
            run.optimizer.learning_rate /= 2
            return False

        def on_train_end(self, run):
            pass

    clf = model(schedule=HalveEveryEpoch(), tol=None, max_iter=3).fit(*iris)
    assert clf.learning_rate_curve_ == pytest.approx([0.05, 0.025, 0.0125])


def test_the_floor_is_on_the_decayed_rate(iris):
    # 1/t decay takes the rate the steps use (0.05 / 1001 after the first
    # step) under the floor at once: the schedule has nothing left to lower
    X, y = iris
    clf = model(
        decay=1000.0,
        batch_size=None,
        schedule=PlateauSchedule(factor=0.1, patience=0, min_learning_rate=1e-4),
        tol=1.0,  # no epoch but the first improves by 1
    ).fit(X, y)
    assert clf.optimizer_.learning_rate == 0.05
    assert clf.learning_rate_curve_[1] == pytest.approx(0.05 / 1001, rel=1e-12)
    assert min(clf.learning_rate_curve_) > 0.05 / (1 + 1000 * clf.n_iter_) / 1.0001
