"""Determinism: the same random_state gives the same bits, however it is run.

Across runs, pickling, GridSearchCV workers, and training resumed by
``warm_start`` or ``partial_fit`` from a pickled model. And the book's path
(``random_state=None`` without shuffling) draws from numpy's global state the
initial weights and nothing else.
"""

import pickle

import numpy as np
import pytest
from sklearn.datasets import load_iris, make_classification
from sklearn.model_selection import GridSearchCV, StratifiedKFold

from sknnfs import NNFSClassifier, NNFSRegressor
from sknnfs.optimizers import Adagrad

CONFIGURATIONS = {
    "adam, batches of 16": dict(optimizer="adam", learning_rate=0.01),
    "sgd-momentum with decay": dict(
        optimizer="sgd-momentum", learning_rate=0.05, decay=1e-2
    ),
    "rmsprop, float32": dict(optimizer="rmsprop", learning_rate=0.01),
    "adagrad object, L2": dict(optimizer=Adagrad(learning_rate=0.1), alpha=1e-2),
}


@pytest.fixture(scope="module")
def data():
    X, y = make_classification(
        n_samples=90,
        n_features=5,
        n_informative=4,
        n_redundant=0,
        n_classes=3,
        random_state=0,
    )
    return X, y


def model(params, **more):
    settings = dict(
        hidden_layer_sizes=(12,), batch_size=16, max_iter=8, tol=None, random_state=7
    )
    return NNFSClassifier(**{**settings, **params, **more})


def cast(config, X):
    return X.astype(np.float32) if "float32" in config else X


def assert_identical(a, b):
    for name in ("coefs_", "intercepts_"):
        for p, q in zip(getattr(a, name), getattr(b, name)):
            assert p.dtype == q.dtype
            np.testing.assert_array_equal(p, q)
    assert a.loss_curve_ == b.loss_curve_
    assert (a.n_iter_, a.t_) == (b.n_iter_, b.t_)


@pytest.mark.parametrize("config", CONFIGURATIONS)
def test_same_random_state_same_bits(data, config):
    X, y = data
    X = cast(config, X)
    a = model(CONFIGURATIONS[config]).fit(X, y)
    b = model(CONFIGURATIONS[config]).fit(X, y)
    assert_identical(a, b)
    np.testing.assert_array_equal(a.predict_proba(X), b.predict_proba(X))
    np.testing.assert_array_equal(a.predict(X), b.predict(X))
    c = model(CONFIGURATIONS[config], random_state=8).fit(X, y)
    assert not np.array_equal(a.coefs_[0], c.coefs_[0])


def test_early_stopping_split_is_deterministic(data):
    X, y = data
    params = dict(early_stopping=True, tol=1e-3, max_iter=50, n_iter_no_change=3)
    a, b = model(params).fit(X, y), model(params).fit(X, y)
    assert_identical(a, b)
    assert a.validation_scores_ == b.validation_scores_


def test_random_state_instance_gives_the_same_bits(data):
    X, y = data
    a = model({}, random_state=np.random.RandomState(3)).fit(X, y)
    b = model({}, random_state=np.random.RandomState(3)).fit(X, y)
    assert_identical(a, b)


@pytest.mark.parametrize("config", CONFIGURATIONS)
def test_pickling_keeps_every_bit(data, config):
    X, y = data
    X = cast(config, X)
    fitted = model(CONFIGURATIONS[config]).fit(X, y)
    restored = pickle.loads(pickle.dumps(fitted))
    assert_identical(fitted, restored)
    np.testing.assert_array_equal(fitted.predict_proba(X), restored.predict_proba(X))
    # an unfitted estimator pickled and then fitted: the same model
    unfitted = pickle.loads(pickle.dumps(model(CONFIGURATIONS[config])))
    assert_identical(unfitted.fit(X, y), fitted)


def test_grid_search_with_one_or_two_workers_scores_identically(data):
    X, y = data
    grids = []
    for n_jobs in (1, 2):
        search = GridSearchCV(
            model({}, max_iter=5),
            {"optimizer": ["sgd-momentum", "adam"], "learning_rate": [0.01, 0.1]},
            cv=StratifiedKFold(3, shuffle=True, random_state=0),
            n_jobs=n_jobs,
        ).fit(X, y)
        grids.append(search)
    one, two = grids
    for key in one.cv_results_:
        if key.startswith(("split", "mean_test", "std_test", "rank")):
            np.testing.assert_array_equal(one.cv_results_[key], two.cv_results_[key])
    assert_identical(one.best_estimator_, two.best_estimator_)


@pytest.mark.parametrize("config", CONFIGURATIONS)
def test_warm_start_resumed_from_a_pickle_is_the_uninterrupted_run(data, config):
    X, y = data
    X = cast(config, X)
    uninterrupted = model(CONFIGURATIONS[config], max_iter=9).fit(X, y)
    clf = model(CONFIGURATIONS[config], max_iter=4, warm_start=True).fit(X, y)
    for max_iter in (3, 2):
        clf = pickle.loads(pickle.dumps(clf))
        clf.set_params(max_iter=max_iter).fit(X, y)
    assert_identical(clf, uninterrupted)
    assert clf.optimizer_.iterations == uninterrupted.optimizer_.iterations


@pytest.mark.parametrize("seed", [0, "generator"])
def test_resumed_fits_go_on_as_one_whatever_else_draws_in_between(data, seed):
    # the stream kept between fits is the model's own: neither a later fit
    # nor the user drawing from the generator they passed moves it
    X, y = data

    def random_state():
        return np.random.RandomState(0) if seed == "generator" else 0

    uninterrupted = model({}, max_iter=6, random_state=random_state()).fit(X, y)
    clf = model({}, max_iter=2, warm_start=True, random_state=random_state())
    streamed = model({}, random_state=random_state())
    for _ in range(3):
        clf.fit(X, y)
        for _ in range(2):
            streamed.partial_fit(X, y, classes=[0, 1, 2])
        if seed == "generator":
            clf.random_state.rand(5)
            streamed.random_state.rand(5)
    assert_identical(clf, uninterrupted)
    assert_identical(streamed, uninterrupted)


@pytest.mark.parametrize("config", CONFIGURATIONS)
def test_partial_fit_resumed_from_a_pickle_is_the_uninterrupted_run(data, config):
    X, y = data
    X = cast(config, X)
    uninterrupted = model(CONFIGURATIONS[config])
    for _ in range(6):
        uninterrupted.partial_fit(X, y, classes=[0, 1, 2])
    # six epochs of partial_fit are six epochs of fit
    assert_identical(uninterrupted, model(CONFIGURATIONS[config], max_iter=6).fit(X, y))
    clf = model(CONFIGURATIONS[config])
    for epoch in range(6):
        if epoch:
            clf = pickle.loads(pickle.dumps(clf))
        clf.partial_fit(X, y, classes=[0, 1, 2])
    assert_identical(clf, uninterrupted)


def test_a_changed_random_state_restarts_the_shuffles(data):
    X, y = data
    clf = model({}, warm_start=True, max_iter=2).fit(X, y)
    same = pickle.loads(pickle.dumps(clf)).fit(X, y)
    other = pickle.loads(pickle.dumps(clf)).set_params(random_state=99).fit(X, y)
    assert not np.array_equal(same.coefs_[0], other.coefs_[0])


# -- numpy's global random state --------------------------------------------


def global_state():
    return np.random.get_state()  # noqa: NPY002


def same_state(a, b):
    return all(np.array_equal(p, q) for p, q in zip(a, b))


def book_model(**params):
    settings = dict(
        hidden_layer_sizes=(16, 8),
        optimizer="sgd",
        init="nnfs",
        batch_size=None,
        shuffle=False,
        alpha=0.0,
        tol=None,
        random_state=None,
        max_iter=5,
    )
    return NNFSClassifier(**{**settings, **params})


@pytest.mark.parametrize(
    "params",
    [{}, {"shuffle": True}, {"batch_size": 16}, {"warm_start": True}],
    ids=["book", "shuffle, one batch", "batches, no shuffle", "warm start"],
)
def test_the_books_path_draws_only_the_initial_weights(data, params):
    X, y = data
    saved = global_state()
    try:
        np.random.seed(0)  # noqa: NPY002
        clf = book_model(**params).fit(X, y)
        if params.get("warm_start"):
            clf.fit(X, y)  # a resumed fit draws nothing at all
        after_fit = global_state()
        np.random.seed(0)  # noqa: NPY002
        for shape in [(5, 16), (16, 8), (8, 3)]:  # the book's 0.01 * randn
            np.random.standard_normal(shape)  # noqa: NPY002
        assert same_state(after_fit, global_state())
    finally:
        np.random.set_state(saved)  # noqa: NPY002


def test_random_state_none_with_shuffling_uses_numpys_global_state(data):
    X, y = data
    saved = global_state()
    try:
        models = []
        for _ in range(2):
            np.random.seed(1)  # noqa: NPY002
            models.append(book_model(shuffle=True, batch_size=16).fit(X, y))
        assert_identical(*models)
    finally:
        np.random.set_state(saved)  # noqa: NPY002


@pytest.mark.parametrize("random_state", [0, np.random.RandomState(0)])
def test_a_seeded_fit_leaves_numpys_global_state_alone(data, random_state):
    X, y = data
    before = global_state()
    clf = model({}, random_state=random_state, warm_start=True, early_stopping=True)
    clf.fit(X, y).fit(X, y)
    clf.partial_fit(X, y)
    assert same_state(before, global_state())


@pytest.mark.parametrize("Estimator", [NNFSClassifier, NNFSRegressor])
def test_a_warm_start_holds_out_the_same_samples_and_goes_on_as_one_fit(Estimator):
    """Early stopping's split is the first fit's, and the shuffles go on."""
    X, y = load_iris(return_X_y=True)
    settings = dict(
        hidden_layer_sizes=(8,),
        early_stopping=True,
        tol=None,
        random_state=0,
    )
    once = Estimator(max_iter=10, **settings).fit(X, y)
    twice = Estimator(max_iter=5, warm_start=True, **settings).fit(X, y).fit(X, y)
    np.testing.assert_array_equal(once.validation_scores_, twice.validation_scores_)
    for a, b in zip(once.coefs_, twice.coefs_):
        np.testing.assert_array_equal(a, b)
