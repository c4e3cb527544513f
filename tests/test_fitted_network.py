"""The network kept for predicting: never stale, never rebuilt per call, thread-safe."""

import copy
import pickle
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pytest
from sklearn.datasets import load_iris
from sklearn.preprocessing import StandardScaler

from sknnfs import NNFSClassifier, NNFSRegressor
from sknnfs import network as network_module
from sknnfs.network import Network, Predictor

X_IRIS, Y_IRIS = load_iris(return_X_y=True)
X_IRIS = StandardScaler().fit_transform(X_IRIS)

HIDDEN = {
    "relu": lambda z: np.maximum(z, 0),
    "tanh": np.tanh,
    "logistic": lambda z: 1 / (1 + np.exp(-z)),
    "identity": lambda z: z,
}


def by_hand(model, X):
    """The softmax output of ``model``'s fitted arrays, computed here with numpy."""
    output = X
    for i, (w, b) in enumerate(zip(model.coefs_, model.intercepts_)):
        output = output @ w + b
        if i < len(model.coefs_) - 1:
            output = HIDDEN[model.activation](output)
    exp = np.exp(output - output.max(axis=1, keepdims=True))
    return exp / exp.sum(axis=1, keepdims=True)


def fitted(**params):
    settings = dict(hidden_layer_sizes=(8,), max_iter=5, tol=None, random_state=0)
    return NNFSClassifier(**{**settings, **params}).fit(X_IRIS, Y_IRIS)


@pytest.fixture
def networks_built(monkeypatch):
    """Count the networks built from here on."""
    built = []
    original = Network.__init__

    def counting(self, *args, **kwargs):
        built.append(1)
        original(self, *args, **kwargs)

    monkeypatch.setattr(network_module.Network, "__init__", counting)
    return built


def test_predicting_builds_no_network(networks_built):
    model = fitted()
    networks_built.clear()
    for _ in range(3):
        model.predict(X_IRIS[:1])
        model.predict_proba(X_IRIS)
    assert networks_built == []


def test_predictions_follow_a_new_fit():
    model = fitted()
    before = model.predict_proba(X_IRIS)
    model.fit(X_IRIS[::-1], Y_IRIS[::-1])  # other data: other weights
    after = model.predict_proba(X_IRIS)
    assert not np.allclose(before, after)
    np.testing.assert_allclose(after, by_hand(model, X_IRIS), rtol=1e-10)


def test_predictions_follow_partial_fit():
    model = NNFSClassifier((8,), random_state=0)
    model.partial_fit(X_IRIS, Y_IRIS, classes=[0, 1, 2])
    before = model.predict_proba(X_IRIS)
    model.partial_fit(X_IRIS, Y_IRIS)
    after = model.predict_proba(X_IRIS)
    assert not np.allclose(before, after)
    np.testing.assert_allclose(after, by_hand(model, X_IRIS), rtol=1e-10)


@pytest.mark.parametrize("activation", ["tanh", "logistic", "identity"])
def test_predictions_follow_set_params_without_rebuilding_per_call(
    activation, networks_built
):
    model = fitted()
    relu = model.predict_proba(X_IRIS)
    model.set_params(activation=activation)
    networks_built.clear()
    changed = model.predict_proba(X_IRIS)
    assert networks_built == []
    assert not np.allclose(relu, changed)
    np.testing.assert_allclose(changed, by_hand(model, X_IRIS), rtol=1e-10)


@pytest.mark.parametrize("how", ["pickle", "deepcopy"])
def test_an_unpickled_model_predicts_with_its_own_arrays(how, networks_built):
    model = fitted()
    loaded = (
        pickle.loads(pickle.dumps(model)) if how == "pickle" else copy.deepcopy(model)
    )
    networks_built.clear()
    np.testing.assert_array_equal(
        loaded.predict_proba(X_IRIS), model.predict_proba(X_IRIS)
    )
    assert networks_built == []
    loaded.coefs_[-1] *= -1  # changed in place: seen by the next prediction
    np.testing.assert_allclose(
        loaded.predict_proba(X_IRIS), by_hand(loaded, X_IRIS), rtol=1e-10
    )
    # and the original model is untouched by the copy's change
    np.testing.assert_allclose(
        model.predict_proba(X_IRIS), by_hand(model, X_IRIS), rtol=1e-10
    )


def test_the_pickle_holds_no_kept_network():
    model = fitted()
    assert "_predictor" not in model.__getstate__()
    assert b"Predictor" not in pickle.dumps(model)


def test_arrays_replaced_by_hand_are_used():
    model = fitted()
    model.coefs_ = [w * 2 for w in model.coefs_]
    model.intercepts_ = [b - 1 for b in model.intercepts_]
    np.testing.assert_allclose(
        model.predict_proba(X_IRIS), by_hand(model, X_IRIS), rtol=1e-10
    )


def test_a_failed_fresh_fit_leaves_no_kept_network():
    model = fitted()
    with pytest.raises(ValueError):
        model.fit(X_IRIS, np.zeros(len(X_IRIS)))  # one class only
    assert not any(name.endswith("_") for name in vars(model))
    assert "_predictor" not in vars(model)


def test_the_regressor_keeps_its_network_too(networks_built):
    rng = np.random.RandomState(0)
    X, y = rng.randn(50, 3), rng.randn(50)
    model = NNFSRegressor((6,), max_iter=3, tol=None, random_state=0).fit(X, y)
    networks_built.clear()
    first = model.predict(X)
    model.partial_fit(X, y)
    assert not np.allclose(first, model.predict(X))
    assert len(networks_built) == 1  # the partial_fit's, none for the predictions


def test_threads_predicting_at_once_get_their_own_rows():
    model = fitted(hidden_layer_sizes=(50, 50))
    expected = model.predict_proba(X_IRIS)
    chunks = [slice(i, i + n) for i in range(0, 150, 7) for n in (1, 7, 40)]

    def predict(rows):
        return rows, model.predict_proba(X_IRIS[rows])

    with ThreadPoolExecutor(8) as pool:
        for rows, proba in pool.map(predict, chunks * 10):
            # (one row takes a matrix-vector product: not always the same bits)
            np.testing.assert_allclose(proba, expected[rows], rtol=1e-12)


def test_predictor_keeps_small_buffers_and_releases_large_ones():
    rng = np.random.RandomState(0)
    coefs, intercepts = [rng.randn(4, 6), rng.randn(6, 3)], [np.zeros(6), np.zeros(3)]
    network = Network(coefs, intercepts).for_predicting(coefs, intercepts)
    predictor = Predictor(network, keep_rows=10)
    X = rng.randn(50, 4)
    whole = predictor.predict(X, chunk_rows=100)
    first = network.dense_layers[0]
    assert not first._buffers._arrays and not hasattr(first, "inputs")
    np.testing.assert_allclose(predictor.predict(X[:5], chunk_rows=100), whole[:5])
    assert first._buffers._arrays["output"].shape == (5, 6)
    assert not hasattr(first, "inputs")  # no reference to the caller's rows
