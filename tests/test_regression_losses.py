"""NNFSRegressor(loss=...): the absolute error, Huber and Poisson losses end to end."""

import warnings

import numpy as np
import pytest
from sklearn.datasets import make_regression
from sklearn.exceptions import ConvergenceWarning
from sklearn.metrics import (
    d2_absolute_error_score,
    d2_tweedie_score,
    mean_poisson_deviance,
)

from sknnfs import NNFSRegressor

LOSSES = ["squared_error", "absolute_error", "huber", "poisson"]


def counts(n_samples=400, n_outputs=1, seed=0):
    """Poisson counts whose log rate is a known function of X."""
    rng = np.random.RandomState(seed)
    X = rng.uniform(-1, 1, size=(n_samples, 3))
    rate = np.exp(1.0 + X[:, :1] - 0.5 * X[:, 1:2] + 0.1 * np.arange(n_outputs))
    return X, rng.poisson(rate).astype(float).squeeze()


def fit(model, X, y, **params):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        return model.fit(X, y, **params)


def test_the_default_is_the_squared_error_and_its_settings_the_same_model():
    X, y = make_regression(n_samples=80, n_features=4, noise=3, random_state=0)
    default = fit(NNFSRegressor((8,), max_iter=20, random_state=0), X, y)
    named = fit(
        NNFSRegressor((8,), loss="squared_error", max_iter=20, random_state=0), X, y
    )
    np.testing.assert_array_equal(default.predict(X), named.predict(X))
    assert default.out_activation_ == "identity"


def test_poisson_predicts_positive_counts_and_reports_half_the_deviance():
    X, y = counts()
    model = fit(
        NNFSRegressor((16,), loss="poisson", normalize_y=False, random_state=0),
        X,
        y,
        sample_weight=None,
    )
    assert model.out_activation_ == "exp"
    prediction = model.predict(X)
    assert prediction.shape == y.shape and np.all(prediction > 0)
    # a far extrapolation is still a positive count
    assert np.all(model.predict(np.full((2, 3), -50.0)) > 0)
    # the held-out loss is MLPRegressor's: half the Poisson deviance
    assert model.validation_loss_curve_[-1] > 0
    assert mean_poisson_deviance(y, prediction) / 2 < 0.7


def test_poisson_refuses_a_negative_target_with_a_clear_error():
    X, y = counts()
    y[3] = -2.0
    with pytest.raises(ValueError, match=r"loss='poisson' needs a non-negative.*-2\.0"):
        NNFSRegressor(loss="poisson").fit(X, y)
    with pytest.raises(ValueError, match="non-negative"):
        NNFSRegressor(loss="poisson").partial_fit(X, y)
    assert not hasattr(NNFSRegressor(loss="poisson"), "coefs_")
    # zero counts are counts
    y[3] = 0.0
    fit(NNFSRegressor((4,), loss="poisson", max_iter=2), X, y)


def test_poisson_normalize_y_divides_by_the_mean_and_does_not_centre():
    X, y = counts(n_outputs=2)
    weights = np.random.RandomState(1).rand(len(y)) + 0.5
    model = fit(
        NNFSRegressor((8,), loss="poisson", early_stopping=False, max_iter=30),
        X,
        y,
        sample_weight=weights,
    )
    np.testing.assert_array_equal(model.y_mean_, [0.0, 0.0])
    np.testing.assert_allclose(model.y_scale_, np.average(y, axis=0, weights=weights))
    assert model.predict(X).shape == y.shape and np.all(model.predict(X) > 0)
    # the loss is in units of the target divided by its mean: the deviance of
    # y / s against mu / s is the deviance of y against mu, divided by s
    raw = fit(
        NNFSRegressor((8,), loss="poisson", normalize_y=False, max_iter=1, tol=None),
        X,
        y,
    )
    assert raw.y_scale_ is None


def test_a_column_vector_count_target_warns_as_mlpregressor_does():
    X, y = counts()
    from sklearn.exceptions import DataConversionWarning

    with pytest.warns(DataConversionWarning, match="column-vector y"):
        fit(NNFSRegressor((4,), loss="poisson", max_iter=2), X, y[:, None])


@pytest.mark.parametrize(
    "loss, d2",
    [
        ("absolute_error", d2_absolute_error_score),
        (
            "poisson",
            lambda y, p, sample_weight: d2_tweedie_score(
                y, p, power=1, sample_weight=sample_weight
            ),
        ),
    ],
)
def test_early_stopping_scores_the_losses_own_d2(loss, d2):
    X, y = counts(300)
    model = fit(
        NNFSRegressor((8,), loss=loss, max_iter=15, tol=None, random_state=0), X, y
    )
    output = np.random.RandomState(2).rand(len(y), 1) * 3 + 0.5
    weights = np.random.RandomState(3).rand(len(y)) + 0.5
    target = y.reshape(-1, 1)
    expected = d2(y, output.ravel(), sample_weight=weights)
    score = model._validation_score(output, target, weights)
    assert score == pytest.approx(expected, rel=1e-9)
    assert model.best_validation_score_ == max(model.validation_scores_)


def test_huber_d2_is_zero_for_its_best_constant_and_one_for_a_perfect_fit():
    rng = np.random.RandomState(4)
    y = np.concatenate([rng.randn(95), rng.randn(5) * 50]).reshape(-1, 1)
    model = NNFSRegressor(loss="huber", huber_delta=0.5)
    model.out_activation_ = "identity"
    constant = model._best_constant(y, None)
    # the Huber location lies between the median and the mean, near the median
    assert abs(constant - np.median(y)) < abs(np.mean(y) - np.median(y))
    assert model._validation_score(np.full_like(y, constant), y, None) == pytest.approx(
        0, abs=1e-9
    )
    for shift in (-1e-3, 1e-3):  # and it is the lowest: any other constant scores < 0
        assert model._validation_score(np.full_like(y, constant + shift), y, None) < 0
    assert model._validation_score(y.copy(), y, None) == 1.0


@pytest.mark.parametrize("loss", ["squared_error", "absolute_error", "poisson"])
def test_huber_delta_is_refused_with_the_other_losses(loss):
    X, y = counts(50)
    with pytest.raises(
        ValueError, match="huber_delta=2.0 is used by loss='huber' only"
    ):
        NNFSRegressor(loss=loss, huber_delta=2.0).fit(X, y)


def test_huber_delta_is_in_the_units_the_network_trains_in():
    # with normalize_y, standardized units: the same model for a target in any
    # unit; without it, the target's own units
    X, y = make_regression(n_samples=120, n_features=3, noise=10, random_state=1)
    settings = dict(loss="huber", huber_delta=0.3, max_iter=20, random_state=0)
    settings.update(early_stopping=False)  # its split hashes the target's values
    metres = fit(NNFSRegressor((8,), **settings), X, y)
    millimetres = fit(NNFSRegressor((8,), **settings), X, 1000 * y)
    np.testing.assert_allclose(
        1000 * metres.predict(X), millimetres.predict(X), rtol=1e-4
    )
    np.testing.assert_allclose(metres.loss_curve_, millimetres.loss_curve_, rtol=1e-4)


def test_warm_start_may_change_the_loss_but_not_the_link():
    X, y = counts(100)
    model = fit(NNFSRegressor((4,), max_iter=3, warm_start=True, random_state=0), X, y)
    fit(model.set_params(loss="huber"), X, y)  # the same identity outputs
    assert model.n_iter_ > 3
    with pytest.raises(ValueError, match="Fit anew"):
        model.set_params(loss="poisson").fit(X, y)
    assert model.out_activation_ == "identity"  # the model is kept


@pytest.mark.parametrize("loss", ["absolute_error", "huber", "poisson"])
def test_verbose_names_the_loss(loss, capsys):
    X, y = counts(60)
    fit(NNFSRegressor((4,), loss=loss, max_iter=1, verbose=1), X, y)
    first = capsys.readouterr().out.splitlines()[0]
    assert f"(loss={loss!r})" in first and "normalize_y=True" in first
    fit(NNFSRegressor((4,), loss=loss, max_iter=1, verbose=1, normalize_y=False), X, y)
    first = capsys.readouterr().out.splitlines()[0]
    assert first.endswith(f"(loss={loss!r}), in the target's units")


@pytest.mark.parametrize("loss", LOSSES)
def test_every_loss_trains_float32_partial_fit_and_sample_weight(loss):
    X, y = counts(120)
    X = X.astype(np.float32)
    model = NNFSRegressor((8,), loss=loss, random_state=0)
    for _ in range(3):
        model.partial_fit(X, y, sample_weight=np.full(len(y), 2.0))
    assert model.coefs_[0].dtype == np.float32
    assert model.loss_curve_[-1] < model.loss_curve_[0]


def test_a_constant_first_batch_of_counts_is_divided_by_its_mean_without_a_warning():
    X, _ = counts(40)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        model = NNFSRegressor((4,), loss="poisson").partial_fit(X, np.full(40, 3.0))
    np.testing.assert_array_equal(model.y_scale_, [3.0])
    with pytest.warns(UserWarning, match="constant"):
        NNFSRegressor((4,)).partial_fit(X, np.full(40, 3.0))
