"""The learning-rate finder: its rates, its stop, its suggestion, and that it
never touches the estimator it is given."""

import pickle
import warnings

import numpy as np
import pytest
from sklearn.datasets import load_digits
from sklearn.exceptions import ConvergenceWarning, NotFittedError
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GridSearchCV, StratifiedKFold, cross_val_score
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from sknnfs import NNFSClassifier, NNFSRegressor
from sknnfs.__main__ import seeded_spiral_data
from sknnfs.lr_finder import _halfway_down_the_longest_valley, find_learning_rate
from sknnfs.optimizers import SGD


@pytest.fixture(autouse=True)
def quiet():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        yield


@pytest.fixture(scope="module")
def digits():
    X, y = load_digits(return_X_y=True)
    return X, y


class RateRecorder(SGD):
    """SGD that writes down the rate of every step it takes."""

    seen = []

    def update_params(self, params, grads):
        RateRecorder.seen.append(self.current_learning_rate)
        super().update_params(params, grads)


def test_the_rate_grows_geometrically_step_by_step(digits):
    X, y = digits
    RateRecorder.seen.clear()
    model = NNFSClassifier((16,), optimizer=RateRecorder(), batch_size=128)
    found = find_learning_rate(model, X, y, start=1e-4, stop=1e-1, steps=40)
    expected = 1e-4 * 1000 ** (np.arange(40) / 39)
    np.testing.assert_allclose(RateRecorder.seen, expected[: len(RateRecorder.seen)])
    np.testing.assert_allclose(found.learning_rates, expected[: len(found.losses)])
    assert len(found.losses) == len(found.raw_losses) == len(found.learning_rates)
    assert len(RateRecorder.seen) == 40  # 3 epochs of 15 batches, cut at 40


def test_the_losses_are_a_debiased_moving_average(digits):
    X, y = digits
    found = find_learning_rate(NNFSClassifier((16,)), X, y, steps=30, smoothing=0.5)
    average, expected = 0.0, []
    for step, loss in enumerate(found.raw_losses, start=1):
        average = 0.5 * average + 0.5 * loss
        expected.append(average / (1 - 0.5**step))
    np.testing.assert_allclose(found.losses, expected, rtol=1e-12)


def test_the_test_stops_once_the_loss_explodes(digits):
    X, y = digits
    model = make_pipeline(StandardScaler(), NNFSClassifier(optimizer="sgd"))
    found = find_learning_rate(model, X, y, start=1e-3, stop=1e4, steps=200)
    assert len(found.losses) < 200
    assert found.losses[-1] > 4 * found.losses.min() or not np.isfinite(
        found.raw_losses[-1]
    )


@pytest.mark.parametrize("fitted", [False, True])
def test_the_given_estimator_is_never_changed(digits, fitted):
    X, y = digits
    model = make_pipeline(StandardScaler(), NNFSClassifier((16,), random_state=0))
    if fitted:
        model.fit(X, y)
    before = pickle.dumps(model)
    find_learning_rate(model, X, y, steps=20)
    assert pickle.dumps(model) == before


@pytest.mark.parametrize(
    "optimizer", ["sgd", "sgd-momentum", "adagrad", "rmsprop", "adam"]
)
def test_the_suggested_rate_trains_digits_well(digits, optimizer):
    X, y = digits
    model = make_pipeline(
        StandardScaler(), NNFSClassifier(optimizer=optimizer, random_state=0)
    )
    found = find_learning_rate(model, X, y)
    model.set_params(nnfsclassifier__learning_rate=found.suggestion)
    folds = StratifiedKFold(5, shuffle=True, random_state=0)
    assert cross_val_score(model, X, y, cv=folds).mean() > 0.96


def test_on_the_spiral_the_suggestion_beats_the_default_rate():
    X, y = seeded_spiral_data(samples=100, classes=3, seed=0)
    model = NNFSClassifier((64,), max_iter=300, tol=None, random_state=0)
    found = find_learning_rate(model, X, y)
    folds = StratifiedKFold(5, shuffle=True, random_state=0)
    default = cross_val_score(model, X, y, cv=folds).mean()
    suggested = model.set_params(learning_rate=found.suggestion)
    assert default < 0.5 < cross_val_score(suggested, X, y, cv=folds).mean()


def test_a_regressor_and_its_target_units():
    X, y = load_digits(return_X_y=True)
    found = find_learning_rate(
        NNFSRegressor((16,)), X, 1000 * y.astype(float), steps=50
    )
    assert np.isfinite(found.losses).all() and found.suggestion > 0


def test_the_longest_valley():
    losses = np.array([5, 4, 6, 3, 2.5, 2, 1, 3, 9.0])
    # the run 5, 4, 3, 2.5, 2, 1 ends at step 6 and has 6 steps: halfway is 3
    assert _halfway_down_the_longest_valley(losses) == 3
    flat_then_falling = np.array([3, 2.9, 3.1, 3, 2.8, 3, 2.9, 2, 1.5, 1, 0.5, 4.0])
    # the run 3, 2.9, 2.8, 2, 1.5, 1, 0.5 ends at step 10, has 7 steps: 7
    assert _halfway_down_the_longest_valley(flat_then_falling) == 7


@pytest.mark.parametrize(
    "settings, message",
    [
        (dict(start=1.0, stop=0.1), "0 < start < stop"),
        (dict(steps=1), "steps >= 2"),
    ],
)
def test_bad_settings_say_what_is_wrong(digits, settings, message):
    X, y = digits
    with pytest.raises(ValueError, match=message):
        find_learning_rate(NNFSClassifier(), X, y, **settings)


def test_an_optimizer_without_a_rate_is_refused(digits):
    class NoRate:
        def pre_update_params(self):
            pass

        def update_params(self, params, grads):
            pass

        def post_update_params(self):
            pass

    X, y = digits
    with pytest.raises(ValueError, match="NoRate has none"):
        find_learning_rate(NNFSClassifier(optimizer=NoRate()), X, y)


def test_an_optimizer_whose_steps_ignore_learning_rate_is_refused(digits):
    from .test_schedules import BooksSGD

    X, y = digits
    with pytest.raises(ValueError, match="must take their rate from learning_rate"):
        find_learning_rate(NNFSClassifier((8,), optimizer=BooksSGD()), X, y)


@pytest.mark.parametrize("in_a_pipeline", [False, True])
def test_a_fitted_search_is_tested_through_its_best_estimator(digits, in_a_pipeline):
    X, y = digits
    model = NNFSClassifier((16,), max_iter=5, random_state=0)
    if in_a_pipeline:
        model = make_pipeline(StandardScaler(), model)
    grid = {f"{'nnfsclassifier__' if in_a_pipeline else ''}batch_size": [32, 256]}
    search = GridSearchCV(model, grid, cv=2).fit(X, y)
    found = find_learning_rate(search, X, y, steps=30)
    direct = find_learning_rate(search.best_estimator_, X, y, steps=30)
    np.testing.assert_array_equal(found.raw_losses, direct.raw_losses)
    where = "the last step of " if in_a_pipeline else ""
    assert found.model == f"NNFSClassifier, {where}GridSearchCV's best_estimator_"
    assert direct.model == (
        "NNFSClassifier, the last step of the Pipeline"
        if in_a_pipeline
        else "NNFSClassifier"
    )


def test_an_unfitted_search_or_another_model_gets_a_clear_error(digits):
    X, y = digits
    search = GridSearchCV(NNFSClassifier(), {"learning_rate": [0.01]})
    with pytest.raises(NotFittedError, match="fit it first"):
        find_learning_rate(search, X, y)
    with pytest.raises(TypeError, match="got LogisticRegression, the last step of"):
        find_learning_rate(make_pipeline(StandardScaler(), LogisticRegression()), X, y)
