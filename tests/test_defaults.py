"""The defaults as a user meets them: every named optimizer trains with its
defaults alone, no optimizer setting is ignored, momentum means something on
the default estimators, and the regressor takes a raw target."""

import warnings

import numpy as np
import pytest
from sklearn.datasets import load_diabetes, load_digits, make_friedman1
from sklearn.exceptions import ConvergenceWarning, FitFailedWarning
from sklearn.model_selection import (
    GridSearchCV,
    KFold,
    cross_val_score,
    train_test_split,
)
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from sknnfs import NNFSClassifier, NNFSRegressor
from sknnfs.optimizers import NAMED_OPTIMIZERS

NAMES = sorted(NAMED_OPTIMIZERS)
ESTIMATORS = [NNFSClassifier, NNFSRegressor]


@pytest.fixture(autouse=True)
def no_convergence_warnings():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        yield


@pytest.fixture(scope="module")
def digits():
    X, y = load_digits(return_X_y=True)
    return train_test_split(X, y, test_size=0.3, stratify=y, random_state=0)


@pytest.fixture(scope="module")
def diabetes():
    return load_diabetes(return_X_y=True)  # the target as it comes: 25 to 346


# -- every named optimizer trains with its defaults -------------------------


@pytest.mark.parametrize("name", NAMES)
def test_every_named_optimizer_classifies_digits_with_its_defaults(digits, name):
    X_train, X_test, y_train, y_test = digits
    model = make_pipeline(
        StandardScaler(), NNFSClassifier(optimizer=name, random_state=0)
    )
    assert model.fit(X_train, y_train).score(X_test, y_test) > 0.95


@pytest.mark.parametrize("name", NAMES)
def test_every_named_optimizer_fits_a_raw_target_with_its_defaults(diabetes, name):
    X, y = diabetes
    model = make_pipeline(StandardScaler(), NNFSRegressor(optimizer=name))
    folds = KFold(5, shuffle=True, random_state=0)
    scores = [
        cross_val_score(model.set_params(nnfsregressor__random_state=s), X, y, cv=folds)
        for s in range(3)
    ]
    assert np.mean(scores) > 0.42  # LinearRegression: 0.48


@pytest.mark.parametrize("Estimator", ESTIMATORS)
@pytest.mark.parametrize("name", NAMES)
def test_learning_rate_none_is_the_registrys_rate(Estimator, name):
    X, y = load_digits(n_class=2, return_X_y=True)
    model = Estimator(optimizer=name, max_iter=1, tol=None, random_state=0).fit(X, y)
    expected = Estimator._default_learning_rates.get(
        name, NAMED_OPTIMIZERS[name].learning_rate
    )
    assert model.learning_rate is None
    assert model.optimizer_.learning_rate == expected


# -- momentum on the default estimators --------------------------------------


@pytest.mark.parametrize(
    "model, X, y",
    [
        (NNFSClassifier(random_state=0), *load_digits(n_class=3, return_X_y=True)),
        (NNFSRegressor(random_state=0), *load_diabetes(return_X_y=True)),
    ],
    ids=["NNFSClassifier()", "NNFSRegressor()"],
)
def test_a_grid_over_momentum_gives_a_model_per_value(model, X, y):
    """The README's search, on the estimators as they come."""
    search = GridSearchCV(
        make_pipeline(StandardScaler(), model),
        {
            f"{model.__class__.__name__.lower()}__learning_rate": [0.001, 0.01],
            f"{model.__class__.__name__.lower()}__momentum": [0.0, 0.5, 0.9],
        },
        cv=3,
        scoring="neg_log_loss" if isinstance(model, NNFSClassifier) else "r2",
    )
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no setting ignored, nothing failed
        warnings.simplefilter("ignore", ConvergenceWarning)
        search.fit(X, y)
    scores = search.cv_results_["mean_test_score"].reshape(2, 3)
    for rate_row in scores:
        assert len(set(rate_row)) == 3, scores


def test_adams_momentum_is_its_beta_1():
    X, y = load_digits(n_class=3, return_X_y=True)
    settings = dict(max_iter=3, tol=None, random_state=0)
    by_momentum = NNFSClassifier(momentum=0.5, **settings).fit(X, y)
    by_beta_1 = NNFSClassifier(beta_1=0.5, **settings).fit(X, y)
    assert by_momentum.optimizer_.beta_1 == 0.5
    for a, b in zip(by_momentum.coefs_, by_beta_1.coefs_):
        np.testing.assert_array_equal(a, b)
    default = NNFSClassifier(**settings).fit(X, y)
    assert default.optimizer_.beta_1 == 0.9
    assert not np.array_equal(default.coefs_[0], by_momentum.coefs_[0])


@pytest.mark.parametrize("Estimator", ESTIMATORS)
def test_momentum_and_beta_1_together_are_refused(Estimator):
    X, y = load_digits(n_class=2, return_X_y=True)
    with pytest.raises(ValueError, match="momentum=0.5 and beta_1=0.8 both set"):
        Estimator(momentum=0.5, beta_1=0.8).fit(X, y)


def test_nesterov_reaches_the_sgd_optimizers():
    X, y = load_digits(n_class=3, return_X_y=True)
    settings = dict(optimizer="sgd-momentum", max_iter=2, tol=None, random_state=0)
    classical = NNFSClassifier(**settings).fit(X, y)
    nesterov = NNFSClassifier(nesterov=True, **settings).fit(X, y)
    assert nesterov.optimizer_.nesterov and not classical.optimizer_.nesterov
    assert not np.array_equal(classical.coefs_[0], nesterov.coefs_[0])


def test_rmsprop_takes_momentum():
    X, y = load_digits(n_class=3, return_X_y=True)
    settings = dict(optimizer="rmsprop", max_iter=2, tol=None, random_state=0)
    plain = NNFSClassifier(**settings).fit(X, y)
    rolling = NNFSClassifier(momentum=0.9, **settings).fit(X, y)
    assert plain.optimizer_.momentum == 0.0 and rolling.optimizer_.momentum == 0.9
    assert not np.array_equal(plain.coefs_[0], rolling.coefs_[0])


# -- no setting is ignored ---------------------------------------------------

UNUSED = [
    ("adagrad", "momentum", 0.9, "'sgd', 'sgd-momentum', 'rmsprop', 'adam'"),
    ("sgd", "rho", 0.5, "'rmsprop'"),
    ("sgd-momentum", "epsilon", 1e-8, "'adagrad', 'rmsprop', 'adam'"),
    ("rmsprop", "beta_1", 0.8, "'adam'"),
    ("adagrad", "beta_2", 0.99, "'adam'"),
    ("adam", "rho", 0.99, "'rmsprop'"),
    ("adam", "nesterov", True, "'sgd', 'sgd-momentum'"),
    ("rmsprop", "nesterov", True, "'sgd', 'sgd-momentum'"),
]


@pytest.mark.parametrize("Estimator", ESTIMATORS)
@pytest.mark.parametrize("optimizer, name, value, users", UNUSED)
def test_a_setting_the_optimizer_does_not_use_is_refused(
    Estimator, optimizer, name, value, users
):
    X, y = load_digits(n_class=2, return_X_y=True)
    model = Estimator(optimizer=optimizer, **{name: value})
    with pytest.raises(ValueError) as error:
        model.fit(X, y)
    message = str(error.value)
    assert message.startswith(
        f"{name}={value!r} is not used by optimizer={optimizer!r}, and would be "
        f"ignored; {name} is used by {users}."
    )
    assert "list of grids" in message
    assert not hasattr(model, "coefs_")


@pytest.mark.parametrize("Estimator", ESTIMATORS)
@pytest.mark.parametrize("optimizer", NAMES)
def test_every_setting_at_its_default_is_accepted(Estimator, optimizer):
    X, y = load_digits(n_class=2, return_X_y=True)
    defaults = dict(momentum=None, epsilon=1e-7, rho=0.9, beta_1=0.9, beta_2=0.999)
    Estimator(optimizer=optimizer, max_iter=1, **defaults).fit(X, y)


def test_a_grid_across_optimizers_points_to_a_list_of_grids():
    X, y = load_digits(n_class=3, return_X_y=True)
    model = NNFSClassifier((16,), max_iter=5, random_state=0)
    one_grid = {"optimizer": ["adagrad", "adam"], "momentum": [0.0, 0.9]}
    with pytest.warns(FitFailedWarning, match="give a list of grids"):
        search = GridSearchCV(model, one_grid, cv=2).fit(X, y)
    failed = np.isnan(search.cv_results_["mean_test_score"])
    assert [p["optimizer"] for p, f in zip(search.cv_results_["params"], failed) if f]
    assert all(
        p["optimizer"] == "adagrad"
        for p, f in zip(search.cv_results_["params"], failed)
        if f
    )
    grids = [
        {"optimizer": ["adagrad"]},
        {"optimizer": ["adam"], "momentum": [0.0, 0.9]},
    ]
    with warnings.catch_warnings():
        warnings.simplefilter("error", FitFailedWarning)
        search = GridSearchCV(model, grids, cv=2).fit(X, y)
    assert np.isfinite(search.cv_results_["mean_test_score"]).all()


@pytest.mark.parametrize("Estimator", ESTIMATORS)
def test_momentum_0_means_no_momentum_and_adagrad_takes_it(Estimator):
    X, y = load_digits(n_class=2, return_X_y=True)
    settings = dict(optimizer="adagrad", max_iter=3, tol=None, random_state=0)
    off = Estimator(momentum=0.0, **settings).fit(X, y)
    plain = Estimator(**settings).fit(X, y)
    for a, b in zip(off.coefs_, plain.coefs_):
        np.testing.assert_array_equal(a, b)


def test_a_momentum_grid_over_optimizers_fails_adagrad_only_where_it_would_move():
    X, y = load_digits(n_class=3, return_X_y=True)
    model = NNFSClassifier((16,), max_iter=5, random_state=0)
    grid = {"optimizer": ["adagrad", "adam"], "momentum": [0.0, 0.5, 0.9]}
    with pytest.warns(FitFailedWarning, match="momentum=0.5 is not used"):
        search = GridSearchCV(model, grid, cv=2).fit(X, y)
    failed = [
        (p["optimizer"], p["momentum"])
        for p, score in zip(
            search.cv_results_["params"], search.cv_results_["mean_test_score"]
        )
        if np.isnan(score)
    ]
    assert failed == [("adagrad", 0.5), ("adagrad", 0.9)]


# -- the regressor takes a raw target ----------------------------------------


def test_the_default_regressor_fits_diabetes_raw_target(diabetes):
    X, y = diabetes
    folds = KFold(5, shuffle=True, random_state=0)
    model = make_pipeline(StandardScaler(), NNFSRegressor(random_state=0))
    assert cross_val_score(model, X, y, cv=folds).mean() >= 0.45


def test_the_default_regressor_fits_friedman1_raw_target():
    X, y = make_friedman1(n_samples=1000, noise=1.0, random_state=0)
    folds = KFold(5, shuffle=True, random_state=0)
    model = make_pipeline(StandardScaler(), NNFSRegressor(random_state=0))
    assert cross_val_score(model, X, y, cv=folds).mean() >= 0.90


def test_the_model_does_not_depend_on_the_targets_units(diabetes):
    X, y = diabetes
    X = StandardScaler().fit_transform(X)
    settings = dict(max_iter=20, tol=None, early_stopping=False, random_state=0)
    in_units = NNFSRegressor(**settings).fit(X, y)
    in_other_units = NNFSRegressor(**settings).fit(X, 1000 * y - 5)
    np.testing.assert_allclose(
        in_other_units.predict(X), 1000 * in_units.predict(X) - 5, rtol=1e-9
    )
    assert in_units.loss_curve_ == pytest.approx(in_other_units.loss_curve_, rel=1e-9)


def test_target_mean_and_scale_are_weighted_and_kept(diabetes):
    X, y = diabetes
    weights = np.arange(len(y)) % 3  # zeros remove samples
    model = NNFSRegressor(max_iter=2, tol=None, early_stopping=False, random_state=0)
    model.fit(X, y, sample_weight=weights)
    mean = np.average(y, weights=weights)
    scale = np.sqrt(np.average((y - mean) ** 2, weights=weights))
    np.testing.assert_allclose(model.y_mean_, [mean], rtol=1e-12)
    np.testing.assert_allclose(model.y_scale_, [scale], rtol=1e-12)
    # predictions are in the target's units
    assert abs(model.predict(X).mean() - mean) < scale
    model.set_params(warm_start=True).fit(X, y + 1000)  # continues in the same units
    np.testing.assert_allclose(model.y_mean_, [mean], rtol=1e-12)


def test_with_early_stopping_the_training_part_alone_is_standardized(diabetes):
    X, y = diabetes
    held_out = NNFSRegressor(max_iter=2, tol=None, random_state=0).fit(X, y)
    # a tenth held out: the mean of the rest, not of all the rows
    assert held_out.y_mean_[0] != pytest.approx(y.mean(), abs=1e-9)
    assert held_out.y_mean_[0] == pytest.approx(y.mean(), rel=0.05)


def test_partial_fit_standardizes_with_the_first_batchs_statistics(diabetes):
    X, y = diabetes
    model = NNFSRegressor(random_state=0).partial_fit(X[:100], y[:100])
    np.testing.assert_allclose(model.y_mean_, [y[:100].mean()])
    model.partial_fit(X[100:], y[100:])
    np.testing.assert_allclose(model.y_mean_, [y[:100].mean()])


def test_each_target_column_is_standardized_on_its_own():
    X, y = make_friedman1(n_samples=300, random_state=0)
    Y = np.column_stack([y, 1e4 * y + 7])
    model = NNFSRegressor(max_iter=5, tol=None, early_stopping=False, random_state=0)
    np.testing.assert_allclose(model.fit(X, Y).y_scale_, Y.std(axis=0), rtol=1e-12)
    assert model.predict(X).shape == (300, 2)


def test_a_constant_target_gets_scale_one_and_is_predicted():
    X = np.random.RandomState(0).normal(size=(40, 3))
    model = NNFSRegressor(max_iter=50, early_stopping=False, random_state=0)
    model.fit(X, np.full(40, 1e6))
    assert model.y_scale_[0] == 1.0 and model.y_mean_[0] == 1e6
    np.testing.assert_allclose(model.predict(X), 1e6, atol=1.0)


def test_normalize_y_false_trains_on_the_target_as_given(diabetes):
    X, y = diabetes
    model = NNFSRegressor(normalize_y=False, max_iter=2, tol=None, random_state=0)
    model.fit(X, y / 100)
    assert model.y_mean_ is None and model.y_scale_ is None
    with pytest.raises(ValueError, match="normalize_y=True but this model was"):
        model.set_params(warm_start=True, normalize_y=True).fit(X, y)


def test_the_verbose_log_says_the_losss_units(capsys, diabetes):
    X, y = diabetes
    NNFSRegressor(max_iter=1, verbose=1, random_state=0).fit(X, y)
    first = capsys.readouterr().out.splitlines()[0]
    assert first == (
        "loss in units of the standardized target, (y - y_mean_) / y_scale_ "
        "(normalize_y=True)"
    )


def test_nesterov_without_momentum_is_refused():
    X, y = load_digits(n_class=2, return_X_y=True)
    with pytest.raises(
        ValueError, match="nesterov=True looks ahead along the momentum"
    ):
        NNFSClassifier(optimizer="sgd", nesterov=True).fit(X, y)
    NNFSClassifier(optimizer="sgd", nesterov=True, momentum=0.5, max_iter=1).fit(X, y)


def test_partial_fit_checks_settings_changed_between_calls():
    X, y = load_digits(n_class=2, return_X_y=True)
    model = NNFSClassifier().partial_fit(X, y, classes=[0, 1])
    with pytest.raises(ValueError, match="rho=0.5 is not used by optimizer='adam'"):
        model.set_params(rho=0.5).partial_fit(X, y)
    with pytest.raises(ValueError, match="'learning_rate' parameter"):
        model.set_params(rho=0.9, learning_rate=-1.0).partial_fit(X, y)


def test_a_constant_first_partial_fit_batch_is_named_in_a_warning():
    X, y = load_diabetes(return_X_y=True)
    model = NNFSRegressor(random_state=0)
    with pytest.warns(UserWarning, match="first partial_fit batch is constant") as w:
        model.partial_fit(X[:4], np.full(4, 150.0))
    assert w[0].filename == __file__
    with warnings.catch_warnings():
        warnings.simplefilter("error", UserWarning)
        model.partial_fit(X[4:], y[4:])  # later calls do not warn
        NNFSRegressor(random_state=0).partial_fit(X, y)  # nor a varied one


def test_the_convergence_warning_names_the_users_pipeline_line():
    X, y = load_digits(n_class=2, return_X_y=True)
    with pytest.warns(ConvergenceWarning) as caught:
        make_pipeline(StandardScaler(), NNFSClassifier(max_iter=1)).fit(X, y)
    assert caught[0].filename == __file__
