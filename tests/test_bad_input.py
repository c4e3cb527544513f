"""The bad-input matrix: every public method against every kind of bad input.

Each case asserts the exception type and that the message names the problem.
The same table, in words, is ``docs/user_guide/what_happens_when.rst``. A
failed fresh ``fit`` leaves the estimator unfitted; a failed ``partial_fit`` or
warm start leaves the model it had.
"""

import pickle

import numpy as np
import pandas as pd
import pytest
from sklearn.exceptions import NotFittedError
from sklearn.utils._param_validation import InvalidParameterError

from sknnfs import NNFSClassifier
from sknnfs.optimizers import SGD

N_SAMPLES, N_FEATURES = 20, 3


def make_data():
    X = np.random.RandomState(0).standard_normal((N_SAMPLES, N_FEATURES))
    y = np.array([0, 1] * (N_SAMPLES // 2))
    return X, y


def small(**params):
    settings = dict(hidden_layer_sizes=(4,), max_iter=3, tol=None, random_state=0)
    return NNFSClassifier(**{**settings, **params})


@pytest.fixture(scope="module")
def fitted():
    X, y = make_data()
    return small().fit(X, y)


def fitted_state(clf):
    return pickle.dumps({k: v for k, v in vars(clf).items() if k.endswith("_")})


def with_one(value):
    X, _ = make_data()
    X = X.copy()
    X[2, 1] = value
    return X


# (name, X, exception, message): what every method says about such an X.
BAD_X = [
    ("NaN", lambda: with_one(np.nan), ValueError, r"Input X contains NaN"),
    ("+inf", lambda: with_one(np.inf), ValueError, r"Input X contains infinity"),
    ("-inf", lambda: with_one(-np.inf), ValueError, r"Input X contains infinity"),
    ("empty", lambda: np.empty((0, N_FEATURES)), ValueError, r"0 sample\(s\)"),
    ("0 features", lambda: np.empty((N_SAMPLES, 0)), ValueError, r"0 feature\(s\)"),
    ("1-D", lambda: make_data()[0][:, 0], ValueError, r"Expected 2D array, got 1D"),
    (
        "3-D",
        lambda: make_data()[0].reshape(N_SAMPLES, N_FEATURES, 1),
        ValueError,
        r"dim 3",
    ),
    (
        "strings",
        lambda: np.array([["a", "b", "c"]] * N_SAMPLES),
        ValueError,
        r"could not convert string to float",
    ),
    (
        "objects",
        lambda: np.array([[{"a": 1}] * N_FEATURES] * N_SAMPLES, dtype=object),
        TypeError,
        r"float\(\) argument must be a string or a (real )?number",
    ),
    (
        "complex",
        lambda: make_data()[0] + 1j,
        ValueError,
        r"Complex data not supported",
    ),
]
X_CASES = [pytest.param(*case[1:], id=case[0]) for case in BAD_X]
PREDICTING = ["predict", "predict_proba", "predict_log_proba"]


def y_for(X):
    n = X.shape[0] if np.ndim(X) else N_SAMPLES
    return np.array([0, 1] * n)[:n]


# -- X ----------------------------------------------------------------------


@pytest.mark.parametrize("make_X, error, message", X_CASES)
def test_fit_refuses_bad_X_and_stays_unfitted(make_X, error, message):
    X = make_X()
    clf = small()
    with pytest.raises(error, match=message):
        clf.fit(X, y_for(X))
    with pytest.raises(NotFittedError):
        clf.predict(make_data()[0])


@pytest.mark.parametrize("make_X, error, message", X_CASES)
def test_fit_after_a_fit_refuses_bad_X_and_leaves_no_half_model(make_X, error, message):
    X = make_X()
    clf = small().fit(*make_data())
    with pytest.raises(error, match=message):
        clf.fit(X, y_for(X))
    # a failed fresh fit leaves no model: not the old one, nor half a new one
    assert not [name for name in vars(clf) if name.endswith("_")]


@pytest.mark.parametrize("make_X, error, message", X_CASES)
def test_partial_fit_refuses_bad_X(make_X, error, message):
    X = make_X()
    with pytest.raises(error, match=message):
        small().partial_fit(X, y_for(X), classes=[0, 1])
    clf = small().partial_fit(*make_data(), classes=[0, 1])
    before = fitted_state(clf)
    with pytest.raises(error, match=message):
        clf.partial_fit(X, y_for(X))
    assert fitted_state(clf) == before  # the model it had, unchanged


@pytest.mark.parametrize("make_X, error, message", X_CASES)
def test_warm_start_refuses_bad_X_and_keeps_the_model(make_X, error, message):
    X = make_X()
    clf = small(warm_start=True).fit(*make_data())
    before = fitted_state(clf)
    with pytest.raises(error, match=message):
        clf.fit(X, y_for(X))
    assert fitted_state(clf) == before


@pytest.mark.parametrize("method", PREDICTING)
@pytest.mark.parametrize("make_X, error, message", X_CASES)
def test_predicting_refuses_bad_X(fitted, method, make_X, error, message):
    with pytest.raises(error, match=message):
        getattr(fitted, method)(make_X())


@pytest.mark.parametrize("make_X, error, message", X_CASES)
def test_score_refuses_bad_X(fitted, make_X, error, message):
    X = make_X()
    with pytest.raises(error, match=message):
        fitted.score(X, y_for(X))


@pytest.mark.parametrize("method", [*PREDICTING, "score", "partial_fit", "warm_start"])
def test_wrong_feature_count_after_fit(fitted, method):
    X, y = make_data()
    clf = pickle.loads(pickle.dumps(fitted))
    message = r"X has 2 features, but NNFSClassifier is expecting 3 features"
    with pytest.raises(ValueError, match=message):
        if method == "score":
            clf.score(X[:, :2], y)
        elif method == "partial_fit":
            clf.partial_fit(X[:, :2], y)
        elif method == "warm_start":
            clf.set_params(warm_start=True).fit(X[:, :2], y)
        else:
            getattr(clf, method)(X[:, :2])


@pytest.mark.parametrize("method", [*PREDICTING, "score", "partial_fit"])
def test_feature_names_must_match_those_of_fit(method):
    X, y = make_data()
    frame = pd.DataFrame(X, columns=["a", "b", "c"])
    clf = small().fit(frame, y)
    np.testing.assert_array_equal(clf.feature_names_in_, ["a", "b", "c"])
    swapped = frame[["b", "a", "c"]]
    with pytest.raises(ValueError, match=r"feature names should match"):
        if method == "score":
            clf.score(swapped, y)
        elif method == "partial_fit":
            clf.partial_fit(swapped, y)
        else:
            getattr(clf, method)(swapped)
    # names missing at predict time: scikit-learn's warning, then a prediction
    with pytest.warns(UserWarning, match=r"X does not have valid feature names"):
        clf.predict(X)


# -- y ----------------------------------------------------------------------

BAD_Y = [
    ("y with NaN", np.r_[np.nan, np.ones(N_SAMPLES - 1)], r"Input y contains NaN"),
    ("continuous y", np.linspace(0, 1, N_SAMPLES), r"Unknown label type: continuous"),
    ("y of wrong length", np.array([0, 1] * 3), r"inconsistent numbers of samples"),
    # a 2-D 0/1 y is a multilabel target; several classes per column are not
    (
        "multiclass-multioutput y",
        np.c_[np.arange(N_SAMPLES) % 3, np.arange(N_SAMPLES) % 3],
        r"multiclass-multioutput",
    ),
]


@pytest.mark.parametrize("y, message", [pytest.param(*c[1:], id=c[0]) for c in BAD_Y])
@pytest.mark.parametrize("method", ["fit", "partial_fit"])
def test_fitting_refuses_bad_y(method, y, message):
    X, _ = make_data()
    clf = small()
    with pytest.raises(ValueError, match=message):
        if method == "fit":
            clf.fit(X, y)
        else:
            clf.partial_fit(X, y, classes=[0, 1])
    assert not [name for name in vars(clf) if name.endswith("_")]


@pytest.mark.parametrize(
    "y, message",
    [
        (np.r_[np.nan, np.ones(N_SAMPLES - 1)], r"Input y contains NaN"),
        (np.linspace(0, 1, N_SAMPLES), r"continuous"),
        (np.array([0, 1] * 3), r"inconsistent numbers of samples"),
    ],
    ids=["y with NaN", "continuous y", "y of wrong length"],
)
def test_score_refuses_bad_y(fitted, y, message):
    with pytest.raises(ValueError, match=message):
        fitted.score(make_data()[0], y)


def test_one_class_is_refused():
    X, _ = make_data()
    with pytest.raises(ValueError, match=r"at least 2 classes.*only one class: 'a'"):
        small().fit(X, np.full(N_SAMPLES, "a"))
    with pytest.raises(ValueError, match=r"at least 2 classes"):
        small().partial_fit(X, np.zeros(N_SAMPLES), classes=[0])
    # a batch of one class is fine when classes names the others
    small().partial_fit(X, np.zeros(N_SAMPLES), classes=[0, 1])


def test_partial_fit_label_not_in_classes():
    X, y = make_data()
    y_bad = np.r_[y[:-1], 7]
    clf = small()
    with pytest.raises(ValueError, match=r"not seen.*\[0, 1\].*\[7\].*classes must"):
        clf.partial_fit(X, y_bad, classes=[0, 1])
    assert not [name for name in vars(clf) if name.endswith("_")]
    clf.partial_fit(X, y, classes=[0, 1])
    before = fitted_state(clf)
    with pytest.raises(ValueError, match=r"\[7\].*Pass every class.*first call"):
        clf.partial_fit(X, y_bad)
    assert fitted_state(clf) == before


def test_partial_fit_classes_cannot_change():
    X, y = make_data()
    clf = small().partial_fit(X, y, classes=[0, 1])
    clf.partial_fit(X, y, classes=[1, 0])  # the same classes, in any order
    with pytest.raises(ValueError, match=r"classes=\[0, 1, 2\] is not the same"):
        clf.partial_fit(X, y, classes=[0, 1, 2])


def test_partial_fit_needs_classes_on_the_first_call():
    with pytest.raises(ValueError, match=r"classes must be passed on the first call"):
        small().partial_fit(*make_data())


def test_warm_start_on_new_classes_says_how_to_learn_them():
    X, y = make_data()
    clf = small(warm_start=True).fit(X, y)
    before = fitted_state(clf)
    with pytest.raises(ValueError, match=r"\[7\].*fit with warm_start=False"):
        clf.fit(X, np.r_[y[:-1], 7])
    assert fitted_state(clf) == before


# -- sample_weight ----------------------------------------------------------

BAD_WEIGHTS = [
    (
        "negative",
        np.r_[-1.0, np.ones(N_SAMPLES - 1)],
        r"Negative values.*sample_weight",
    ),
    (
        "all zero",
        np.zeros(N_SAMPLES),
        r"sample_weight must have at least one positive entry.*weights are zero",
    ),
    ("wrong length", np.ones(3), r"sample_weight\.shape == \(3,\), expected \(20,\)"),
    ("NaN", np.full(N_SAMPLES, np.nan), r"Input sample_weight contains NaN"),
    ("2-D", np.ones((N_SAMPLES, 2)), r"Sample weights must be 1D array"),
]
WEIGHT_CASES = [pytest.param(*case[1:], id=case[0]) for case in BAD_WEIGHTS]


@pytest.mark.parametrize("weights, message", WEIGHT_CASES)
@pytest.mark.parametrize("method", ["fit", "partial_fit"])
def test_fitting_refuses_bad_sample_weight(method, weights, message):
    X, y = make_data()
    with pytest.raises(ValueError, match=message):
        if method == "fit":
            small().fit(X, y, sample_weight=weights)
        else:
            small().partial_fit(X, y, classes=[0, 1], sample_weight=weights)


@pytest.mark.parametrize("weights, message", WEIGHT_CASES)
def test_score_refuses_bad_sample_weight(fitted, weights, message):
    X, y = make_data()
    if message.startswith("sample_weight\\.shape"):
        message = r"inconsistent numbers of samples|sample_weight\.shape"
    with pytest.raises(ValueError, match=message):
        fitted.score(X, y, sample_weight=weights)


# -- parameters -------------------------------------------------------------

# (parameter, a value of the wrong type, a value out of range)
BAD_PARAMETERS = [
    ("hidden_layer_sizes", "64", 0),
    ("activation", 1, "softplus"),
    ("optimizer", 3, "nesterov"),
    ("learning_rate", "0.1", 0.0),
    ("decay", "x", -1e-3),
    ("momentum", "x", 1.0),
    ("epsilon", None, 0.0),
    ("rho", None, 1.0),
    ("beta_1", None, 1.0),
    ("beta_2", "x", -0.1),
    ("alpha", None, -1.0),
    ("weight_l1", "x", -1.0),
    ("weight_l2", "x", -1.0),
    ("bias_l1", "x", -1.0),
    ("bias_l2", "x", -1.0),
    ("dropout", "x", 1.0),
    ("class_weight", 3, "auto"),
    ("batch_size", 2.5, 0),
    ("max_iter", 1.5, 0),
    ("tol", "x", -1.0),
    ("n_iter_no_change", None, 0, 2.5, -np.inf),
    ("schedule", "linear", 3),
    ("nesterov", "yes", None),
    ("shuffle", "yes", 2),
    ("random_state", "x", -1),
    ("init", None, "xavier", 0.0, -0.1, np.inf),
    ("early_stopping", "yes", None),
    ("validation_fraction", "x", 1.0),
    ("warm_start", "yes", None),
    ("verbose", "x", -1),
]


def test_every_parameter_is_in_the_table():
    assert {name for name, *_ in BAD_PARAMETERS} == set(small().get_params())


@pytest.mark.parametrize("method", ["fit", "partial_fit"])
@pytest.mark.parametrize(
    "name, value",
    [
        pytest.param(name, value, id=f"{name}={value!r}")
        for name, *values in BAD_PARAMETERS
        for value in values
    ],
)
def test_invalid_parameter_values_are_refused(method, name, value):
    X, y = make_data()
    clf = small(**{name: value})
    with pytest.raises(InvalidParameterError, match=rf"'{name}' parameter"):
        if method == "fit":
            clf.fit(X, y)
        else:
            clf.partial_fit(X, y, classes=[0, 1])
    assert not [attr for attr in vars(clf) if attr.endswith("_")]


@pytest.mark.parametrize(
    "name, value, message",
    [
        ("hidden_layer_sizes", (10, 0), r"hidden_layer_sizes must be a tuple"),
        ("hidden_layer_sizes", (4.5,), r"hidden_layer_sizes must be a tuple"),
        ("hidden_layer_sizes", [[3]], r"hidden_layer_sizes must be a tuple"),
        ("batch_size", True, r"'batch_size' parameter.*not a bool"),
        ("max_iter", True, r"'max_iter' parameter.*not a bool"),
        ("n_iter_no_change", True, r"'n_iter_no_change' parameter.*not a bool"),
        ("init", True, r"'init' parameter.*positive float.*not a bool"),
        ("learning_rate", np.nan, r"'learning_rate' parameter"),
        ("alpha", np.inf, r"'alpha' parameter"),
    ],
)
def test_values_that_pass_the_type_but_cannot_work(name, value, message):
    with pytest.raises(ValueError, match=message):
        small(**{name: value}).fit(*make_data())


# -- optimizer objects ------------------------------------------------------


class OnlyPreUpdate:
    def pre_update_params(self):
        pass


class NotCallable:
    pre_update_params = update_params = post_update_params = None


@pytest.mark.parametrize(
    "optimizer, message",
    [
        (object(), r"'optimizer' parameter.*implementing 'pre_update_params'"),
        (OnlyPreUpdate(), r"'optimizer' parameter.*'update_params'"),
        (NotCallable(), r"'optimizer' parameter.*'post_update_params'"),
        (SGD, r"not a class: pass SGD\(\) rather than SGD"),
        (SGD(learning_rate=-1.0), r"'learning_rate' parameter of SGD"),
    ],
    ids=["object", "one method", "not callable", "a class", "invalid settings"],
)
@pytest.mark.parametrize("method", ["fit", "partial_fit"])
def test_optimizer_without_the_protocol_is_refused(method, optimizer, message):
    X, y = make_data()
    clf = small(optimizer=optimizer)
    with pytest.raises(ValueError, match=message):
        if method == "fit":
            clf.fit(X, y)
        else:
            clf.partial_fit(X, y, classes=[0, 1])


# -- unfitted ---------------------------------------------------------------


@pytest.mark.parametrize("method", [*PREDICTING, "score"])
def test_unfitted_methods_say_fit_first(method):
    X, y = make_data()
    args = (X, y) if method == "score" else (X,)
    with pytest.raises(NotFittedError, match=r"not fitted yet.*Call 'fit'"):
        getattr(small(), method)(*args)


@pytest.mark.parametrize(
    "params",
    [
        {"dropout": (0.1, 0.2)},  # two values for one hidden layer
        {"weight_l2": (1e-4, 1e-4, 1e-4)},  # three for two layers
        {"optimizer": "adagrad", "momentum": 0.9},
        {"hidden_layer_sizes": (8, 0)},
    ],
)
def test_settings_are_refused_before_anything_is_drawn(params):
    """Every check runs before the data is read or a weight is drawn."""
    X, y = make_data()
    rng = np.random.RandomState(7)
    expected = np.random.RandomState(7).randint(1_000_000)
    with pytest.raises(ValueError):
        small(**{**params, "random_state": rng}).fit(X, y)
    assert rng.randint(1_000_000) == expected  # nothing drawn from it
