"""ONNX export: the converted models predict what the estimators predict.

Each test converts a fitted estimator (mostly inside a pipeline, as it is
deployed) with ``skl2onnx.to_onnx``, runs the result with onnxruntime and
compares it with ``predict`` and ``predict_proba``: labels exactly, numbers
to the precision of the graph (see ``assert_probabilities_match`` and
``assert_predictions_match``).
"""

import subprocess
import sys
from functools import cache

import numpy as np
import pytest

skl2onnx = pytest.importorskip("skl2onnx")
onnxruntime = pytest.importorskip("onnxruntime")

from onnx import TensorProto  # noqa: E402 (after the skips)
from skl2onnx import to_onnx  # noqa: E402
from skl2onnx.common.data_types import (  # noqa: E402
    DoubleTensorType,
    FloatTensorType,
    Int64TensorType,
)
from sklearn.datasets import load_diabetes, load_digits, load_iris  # noqa: E402
from sklearn.exceptions import NotFittedError  # noqa: E402
from sklearn.model_selection import GridSearchCV  # noqa: E402
from sklearn.pipeline import make_pipeline  # noqa: E402
from sklearn.preprocessing import StandardScaler  # noqa: E402

from sknnfs import NNFSClassifier, NNFSRegressor  # noqa: E402
from sknnfs.onnx import register  # noqa: E402

register()

DTYPES = [np.float32, np.float64]
ACTIVATIONS = ["relu", "logistic", "tanh", "identity"]
OPTIMIZERS = ["sgd", "sgd-momentum", "adagrad", "rmsprop", "adam"]
EPS32 = np.finfo(np.float32).eps


@cache
def dataset(name):
    """``(X, y)`` of a scikit-learn data set, X as float64."""
    loader = {"iris": load_iris, "digits": load_digits, "diabetes": load_diabetes}
    kwargs = {"scaled": False} if name == "diabetes" else {}
    X, y = loader[name](return_X_y=True, **kwargs)
    return X.astype(np.float64), y


def classifier(**params):
    """A classifier trained long enough for confident (tiny) probabilities."""
    settings = dict(hidden_layer_sizes=(32,), max_iter=50, tol=None, random_state=0)
    return NNFSClassifier(**{**settings, **params})


def pipeline(estimator, X, y):
    return make_pipeline(StandardScaler(), estimator).fit(X, y)


def run(model, X, options=None, initial_types=None):
    """The outputs of ``model`` converted to ONNX and run by onnxruntime on X."""
    if initial_types is None:
        onx = to_onnx(model, X[:1], options=options)
    else:
        onx = to_onnx(model, initial_types=initial_types, options=options)
    session = onnxruntime.InferenceSession(
        onx.SerializeToString(), providers=["CPUExecutionProvider"]
    )
    return session.run(None, {session.get_inputs()[0].name: X})


def classify(model, X, **options):
    """ONNX labels and probabilities of ``model`` (ZipMap off unless asked)."""
    return run(model, X, options={NNFSClassifier: {"zipmap": False, **options}})


def assert_probabilities_match(got, expected, logits, dtype):
    """``got`` equals ``predict_proba`` to the precision of ``dtype``'s graph.

    In double: 1e-12 relative (measured: up to 7.3e-15). In float, a
    probability is ``exp`` of a logit difference, so its relative error is
    the logits' absolute error: a few units in the last place of the
    largest logit, whatever the size of the probability. With logits near
    50 (digits) that is 1e-5 alone (measured: up to 1.1e-5, where the
    matrix products are summed in another order than numpy's). So the
    check is twofold: 1e-5 relative with an absolute margin of float32's
    epsilon, which the tiny probabilities are below, and, for every
    probability down to float32's smallest normal number, a relative error
    of at most 4 units in the last place of the largest logit (measured: up
    to 2.4). A converter that took ``1 - p`` for the smaller of two
    probabilities would pass the first and fail the second.
    """
    if dtype == np.float64:
        np.testing.assert_allclose(got, expected, rtol=1e-12, atol=0)
        return
    np.testing.assert_allclose(got, expected, rtol=1e-5, atol=EPS32)
    rtol = 4 * EPS32 * (1 + np.abs(logits).max())
    tiny = np.finfo(np.float32).tiny  # subnormal numbers have fewer bits
    np.testing.assert_allclose(got, expected, rtol=rtol, atol=tiny)


def assert_classifier_matches(model, X, dtype):
    labels, probabilities = classify(model, X)
    assert labels.shape == model.predict(X).shape
    np.testing.assert_array_equal(labels, model.predict(X))
    assert probabilities.dtype == dtype
    expected = model.predict_proba(X)
    assert_probabilities_match(
        probabilities, expected, model.decision_function(X), dtype
    )
    return expected


def assert_predictions_match(got, expected, dtype):
    """Regressor predictions: 1e-12 relative in double, 1e-5 in float.

    In float a prediction near zero is the difference of larger terms and
    keeps only their absolute precision (measured: 2.4e-5 relative error,
    near zero; at most 4.2e-7 of the column's largest magnitude), so the
    absolute margin is 1e-5 of the column's largest magnitude. In double,
    measured: up to 6.4e-15.
    """
    expected = expected.reshape(len(expected), -1)
    assert got.shape == expected.shape and got.dtype == dtype
    if dtype == np.float64:
        np.testing.assert_allclose(got, expected, rtol=1e-12, atol=0)
    else:
        scale = np.abs(expected.astype(np.float64)).max(axis=0)
        np.testing.assert_allclose(got / scale, expected / scale, rtol=1e-5, atol=1e-5)


# -- registration ---------------------------------------------------------------


def test_importing_sknnfs_imports_neither_skl2onnx_nor_onnx():
    script = (
        "import sys, sknnfs, sknnfs.onnx\n"
        "print(sorted(m for m in sys.modules if 'onnx' in m.split('.')[0]))"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]"


def test_register_without_skl2onnx_says_what_to_install(monkeypatch):
    monkeypatch.setitem(sys.modules, "skl2onnx", None)  # import fails
    with pytest.raises(ImportError, match="pip install skl2onnx onnxruntime"):
        register()


@pytest.mark.parametrize("Estimator", ["NNFSClassifier", "NNFSRegressor"])
def test_converting_before_register_names_register(Estimator):
    # registration is for the whole process: a fresh one has none
    script = f"""
import numpy as np
from skl2onnx import to_onnx
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sknnfs import {Estimator}
X, y = np.random.RandomState(0).rand(20, 3).astype(np.float32), np.arange(20) % 2
model = make_pipeline(StandardScaler(), {Estimator}((4,), max_iter=2, tol=None))
model.fit(X, y)
try:
    to_onnx(model, X[:1])
except RuntimeError as error:
    print(error)
"""
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    )
    assert result.stdout == (
        f"skl2onnx does not know {Estimator} yet: call sknnfs.onnx.register() "
        "once, before skl2onnx.to_onnx or convert_sklearn.\n"
    )


def test_registering_again_changes_nothing():
    X, y = dataset("iris")
    model = classifier(max_iter=5).fit(X, y)
    before = to_onnx(model, X[:1]).SerializeToString()
    register()
    assert to_onnx(model, X[:1]).SerializeToString() == before


# -- classifiers ----------------------------------------------------------------


@pytest.mark.parametrize("activation", ACTIVATIONS)
@pytest.mark.parametrize("dtype", DTYPES)
def test_multiclass_digits_pipeline_every_activation(activation, dtype):
    X, y = dataset("digits")
    X = X.astype(dtype)
    model = pipeline(classifier(activation=activation), X, y)
    assert model[-1].coefs_[0].dtype == dtype  # trained in that precision
    expected = assert_classifier_matches(model, X, dtype)
    assert expected.min() < 1e-6  # confident: tiny probabilities are checked


@pytest.mark.parametrize("dtype", DTYPES)
def test_binary_both_probabilities_from_the_logit(dtype):
    """Digits, '3' against the rest: one sigmoid output, two columns."""
    X, y = dataset("digits")
    X = X.astype(dtype)
    labels = np.where(y == 3, "three", "other")
    model = pipeline(classifier(max_iter=100), X, labels)
    assert model[-1].n_outputs_ == 1
    expected = assert_classifier_matches(model, X, dtype)
    # tiny on both sides: 1 - p would be wrong in the column that is tiny
    assert expected[:, 0].min() < 1e-7 and expected[:, 1].min() < 1e-7


@pytest.mark.parametrize("dtype", DTYPES)
def test_multilabel_indicator_and_per_label_probabilities(dtype):
    X, y = dataset("digits")
    X = X.astype(dtype)
    Y = np.column_stack([y >= 5, y % 2 == 1, np.isin(y, [0, 6, 8, 9])]).astype(int)
    model = pipeline(classifier(), X, Y)
    labels, probabilities = classify(model, X)
    assert labels.shape == Y.shape and labels.dtype == np.int64
    np.testing.assert_array_equal(labels, model.predict(X))
    logits = model.decision_function(X)
    assert_probabilities_match(probabilities, model.predict_proba(X), logits, dtype)


@pytest.mark.parametrize("dtype", DTYPES)
def test_string_labels_of_iris(dtype):
    X, y = dataset("iris")
    X = X.astype(dtype)
    names = load_iris().target_names[y]
    model = pipeline(classifier(), X, names)
    labels, _ = classify(model, X)
    assert set(labels) <= set(names) and labels.dtype == object
    assert_classifier_matches(model, X, dtype)


@pytest.mark.parametrize(
    "labels",
    [
        lambda y: y + 10,  # integers
        lambda y: y.astype(np.float64) * 2,  # floats that are whole numbers
        lambda y: y > 0,  # booleans, two classes
        lambda y: y.astype(np.uint8),
        lambda y: np.array(["setosa", "versicolor", "virginica"], dtype=object)[y],
    ],
    ids=["int", "whole floats", "bool", "uint8", "object strings"],
)
def test_labels_of_every_type_scikit_learn_takes(labels):
    X, y = dataset("iris")
    model = classifier(max_iter=20).fit(X, labels(y))
    onnx_labels, _ = classify(model, X)
    np.testing.assert_array_equal(onnx_labels, model.predict(X))


@pytest.mark.parametrize("optimizer", OPTIMIZERS)
@pytest.mark.parametrize("dtype", DTYPES)
def test_every_optimizer_and_dropout(optimizer, dtype):
    X, y = dataset("iris")
    X = X.astype(dtype)
    model = pipeline(classifier(optimizer=optimizer, dropout=0.2), X, y)
    assert_classifier_matches(model, X, dtype)


@pytest.mark.parametrize("dtype", DTYPES)
def test_the_best_estimator_of_a_grid_search(dtype):
    X, y = dataset("digits")
    X = X.astype(dtype)
    search = GridSearchCV(
        make_pipeline(StandardScaler(), classifier(max_iter=20)),
        {"nnfsclassifier__learning_rate": [0.001, 0.01]},
        cv=2,
    ).fit(X, y)
    assert_classifier_matches(search.best_estimator_, X, dtype)


def test_a_float64_model_in_a_float32_graph_and_the_reverse():
    """The graph computes in its input's precision, the estimator in its
    weights': they agree to the lower of the two, float32."""
    X, y = dataset("digits")
    X32 = X.astype(np.float32)
    model = pipeline(classifier(), X, y)  # float64 weights, a float graph
    assert_classifier_matches(model, X32, np.float32)
    model32 = pipeline(classifier(), X32, y)  # float32 weights, a double graph
    labels, probabilities = classify(model32, X)
    np.testing.assert_array_equal(labels, model32.predict(X))
    expected, logits = model32.predict_proba(X), model32.decision_function(X)
    assert probabilities.dtype == np.float64 and expected.dtype == np.float32
    assert_probabilities_match(probabilities, expected, logits, np.float32)


def test_integer_inputs_are_computed_in_float():
    X, y = dataset("digits")  # pixel counts 0-16
    model = classifier().fit(X, y)
    X64 = X.astype(np.int64)
    initial_types = [("X", Int64TensorType([None, X.shape[1]]))]
    options = {NNFSClassifier: {"zipmap": False}}
    labels, probabilities = run(model, X64, options, initial_types)
    np.testing.assert_array_equal(labels, model.predict(X))
    expected, logits = model.predict_proba(X), model.decision_function(X)
    assert_probabilities_match(probabilities, expected, logits, np.float32)


@pytest.mark.parametrize("dtype", DTYPES)
def test_every_constant_has_the_graphs_dtype(dtype):
    """A double graph holds no float constant, a float graph no double one."""
    X, y = dataset("iris")
    model = pipeline(classifier(max_iter=5, activation="logistic"), X, y)
    onx = to_onnx(model, X[:1].astype(dtype), options={"zipmap": False})
    other = TensorProto.FLOAT if dtype == np.float64 else TensorProto.DOUBLE
    assert all(init.data_type != other for init in onx.graph.initializer)
    nodes = [node for node in onx.graph.node if node.op_type == "Constant"]
    assert all(n.attribute[0].t.data_type != other for n in nodes)


@pytest.mark.parametrize("opset", [11, 13, 17, 18])
@pytest.mark.parametrize("n_classes", [2, 3])
def test_older_opsets(opset, n_classes):
    """ReduceSum takes its axes as an input from opset 13, ReduceMax from 18."""
    X, y = dataset("iris")
    X = X.astype(np.float32)
    model = pipeline(classifier(max_iter=20), X, np.minimum(y, n_classes - 1))
    onx = to_onnx(
        model,
        X[:1],
        options={NNFSClassifier: {"zipmap": False}},
        target_opset={"": opset, "ai.onnx.ml": 1},
    )
    assert {(o.domain, o.version) for o in onx.opset_import} >= {("", opset)}
    session = onnxruntime.InferenceSession(
        onx.SerializeToString(), providers=["CPUExecutionProvider"]
    )
    labels, probabilities = session.run(None, {"X": X})
    np.testing.assert_array_equal(labels, model.predict(X))
    logits = model.decision_function(X)
    assert_probabilities_match(
        probabilities, model.predict_proba(X), logits, np.float32
    )


# -- classifier options -----------------------------------------------------------


@pytest.mark.parametrize("dtype", DTYPES)
def test_zipmap_gives_a_dict_per_sample(dtype):
    """ONNX's ZipMap holds floats: a double graph rounds its probabilities."""
    X, y = dataset("iris")
    X = X.astype(dtype)
    names = load_iris().target_names[y]
    model = classifier().fit(X, names)
    labels, maps = run(model, X)
    np.testing.assert_array_equal(labels, model.predict(X))
    assert [list(row) for row in maps] == [list(model.classes_)] * len(X)
    got = np.array([[row[name] for name in model.classes_] for row in maps])
    expected = model.predict_proba(X)
    if dtype == np.float64:
        np.testing.assert_array_equal(got, expected.astype(np.float32))
    else:
        logits = model.decision_function(X)
        assert_probabilities_match(got, expected, logits, np.float32)


def test_zipmap_columns_gives_one_output_per_class():
    X, y = dataset("iris")
    model = classifier().fit(X, y)
    labels, *columns = run(model, X, options={NNFSClassifier: {"zipmap": "columns"}})
    np.testing.assert_array_equal(labels, model.predict(X))
    np.testing.assert_allclose(
        np.column_stack(columns), model.predict_proba(X), rtol=1e-12
    )


def test_nocl_gives_the_class_indices():
    X, y = dataset("iris")
    model = classifier().fit(X, load_iris().target_names[y])
    labels, _ = classify(model, X, nocl=True)
    assert labels.dtype == np.int64
    np.testing.assert_array_equal(model.classes_[labels], model.predict(X))


def test_multilabel_declares_an_indicator_matrix():
    X, y = dataset("iris")
    Y = np.column_stack([y == 0, y == 1, y > 0]).astype(int)
    model = classifier(max_iter=5).fit(X, Y)
    onx = to_onnx(model, X[:1], options={"zipmap": False})
    label = onx.graph.output[0].type.tensor_type
    assert label.elem_type == TensorProto.INT64
    assert [d.dim_value for d in label.shape.dim][1:] == [3]


# -- regressor ------------------------------------------------------------------


def regressor(**params):
    settings = dict(hidden_layer_sizes=(32,), max_iter=100, tol=None, random_state=0)
    return NNFSRegressor(**{**settings, **params})


def diabetes_targets(n_targets):
    """The diabetes target, and columns that cross zero or are negative."""
    X, y = dataset("diabetes")
    if n_targets == 1:
        return X, y
    return X, np.column_stack([y, (X[:, 0] - X[:, 0].mean()) * 0.2, -y / 10])


@pytest.mark.parametrize("n_targets", [1, 3])
@pytest.mark.parametrize("normalize_y", [True, False])
@pytest.mark.parametrize("dtype", DTYPES)
def test_regressor_on_diabetes(n_targets, normalize_y, dtype):
    X, y = diabetes_targets(n_targets)
    X, y = X.astype(dtype), y.astype(dtype)
    model = pipeline(regressor(normalize_y=normalize_y), X, y)
    assert (model[-1].y_scale_ is None) != normalize_y
    (predictions,) = run(model, X)
    assert predictions.shape == (len(X), n_targets)
    assert_predictions_match(predictions, model.predict(X), dtype)


@pytest.mark.parametrize("activation", ACTIVATIONS)
@pytest.mark.parametrize("optimizer", OPTIMIZERS)
def test_regressor_every_activation_and_optimizer(activation, optimizer):
    X, y = dataset("diabetes")
    model = pipeline(regressor(activation=activation, optimizer=optimizer), X, y)
    (predictions,) = run(model, X)
    assert_predictions_match(predictions, model.predict(X), np.float64)


@pytest.mark.parametrize(
    "loss", ["squared_error", "absolute_error", "huber", "poisson"]
)
@pytest.mark.parametrize("normalize_y", [True, False])
@pytest.mark.parametrize("dtype", DTYPES)
def test_regressor_every_loss(loss, normalize_y, dtype):
    X, y = diabetes_targets(1)
    X, y = X.astype(dtype), y.astype(dtype)
    if normalize_y is False and loss == "poisson":
        y = y / y.mean()  # a log link starts near exp(0) = 1
    model = pipeline(regressor(loss=loss, normalize_y=normalize_y), X, y)
    (predictions,) = run(model, X)
    expected = model.predict(X)
    assert (model[-1].out_activation_ == "exp") == (loss == "poisson")
    assert loss != "poisson" or np.all(predictions > 0)
    assert_predictions_match(predictions, expected, dtype)


def test_regressor_with_dropout_in_float32():
    X, y = dataset("diabetes")
    X, y = X.astype(np.float32), y.astype(np.float32)
    model = pipeline(regressor(dropout=0.3, hidden_layer_sizes=(32, 16)), X, y)
    (predictions,) = run(model, X)
    assert_predictions_match(predictions, model.predict(X), np.float32)


# -- what cannot be converted ---------------------------------------------------


@pytest.mark.parametrize("estimator", [NNFSClassifier(), NNFSRegressor()])
def test_an_unfitted_estimator_is_refused(estimator):
    X, _ = dataset("iris")
    with pytest.raises(NotFittedError, match="not fitted yet"):
        to_onnx(make_pipeline(StandardScaler().fit(X), estimator), X[:1])


def test_labels_beyond_int64_are_refused_unless_nocl():
    X, y = dataset("iris")
    labels = (np.uint64(2**63) + y.astype(np.uint64)).astype(np.uint64)
    model = classifier(max_iter=5).fit(X, labels)
    for zipmap in (True, False):
        with pytest.raises(ValueError, match="cannot be ONNX labels.*'nocl': True"):
            to_onnx(model, X[:1], options={NNFSClassifier: {"zipmap": zipmap}})
    indices, _ = classify(model, X, nocl=True)
    np.testing.assert_array_equal(model.classes_[indices], model.predict(X))


@pytest.mark.parametrize("zipmap", [True, False])
def test_float_labels_that_are_not_whole_numbers_are_refused(zipmap):
    """scikit-learn refuses such labels at fit ('continuous'); a model whose
    classes_ were set by hand is caught at conversion, not rounded."""
    X, y = dataset("iris")
    model = classifier(max_iter=5).fit(X, y)
    model.classes_ = np.array([0.5, 1.0, 1.5])
    with pytest.raises(ValueError, match=r"\[0\.5, 1\.0, 1\.5\], cannot be ONNX"):
        to_onnx(model, X[:1], options={NNFSClassifier: {"zipmap": zipmap}})


def test_an_input_of_the_wrong_width_is_refused():
    X, y = dataset("iris")
    model = classifier(max_iter=5).fit(X, y)
    initial_types = [("X", FloatTensorType([None, 3]))]
    with pytest.raises(ValueError, match="3 columns, but .* fitted on 4 features"):
        to_onnx(model, initial_types=initial_types)
    regression = regressor(max_iter=5).fit(X, y)
    with pytest.raises(ValueError, match="3 columns"):
        to_onnx(regression, initial_types=[("X", DoubleTensorType([None, 3]))])


def test_a_dataframe_given_to_a_bare_estimator_is_refused():
    pandas = pytest.importorskip("pandas")
    X, y = dataset("iris")
    frame = pandas.DataFrame(X, columns=["a", "b", "c", "d"])
    model = classifier(max_iter=5).fit(frame, y)
    with pytest.raises(ValueError, match="given 4 ONNX inputs.*X.to_numpy"):
        to_onnx(model, frame[:1])
    onnx_labels, _ = classify(model, X)  # a numpy sample converts it
    np.testing.assert_array_equal(onnx_labels, model.predict(frame))


def test_an_option_skl2onnx_cannot_honour_is_refused():
    X, y = dataset("iris")
    model = classifier(max_iter=5).fit(X, y * 1.0)
    options = {NNFSClassifier: {"zipmap": False, "output_class_labels": True}}
    with pytest.raises(NameError, match="output_class_labels"):
        to_onnx(model, X[:1], options=options)
