"""The skl2onnx parser, shape calculators and converters of the estimators.

Imported by :func:`sknnfs.onnx.register` only, since it needs skl2onnx.
Each graph computes what ``predict`` and ``predict_proba`` compute, formula
for formula, in the input's precision: float, or double when the input is a
``DoubleTensorType`` (every constant is cast to it).

ONNX's ``Sigmoid`` is not used: onnxruntime approximates it, and loses the
small values. In float its relative error passes 1e-5 below x = -4.8 and it
gives 0 for sigmoid(-20), 2e-9; in double it passes 1e-12 below x = -8.7.
``Exp`` is accurate to the last bits in both, so the sigmoids are written
with it, as the estimators compute them.

One private name of skl2onnx is used: ``skl2onnx._parse._parse_sklearn_classifier``,
the parser that ``update_registered_converter`` itself installs for a
classifier; ours checks the model first (fitted, labels that ONNX can hold)
and then hands over to it, so that the classifier options work as for
scikit-learn's own classifiers.
"""

from numbers import Real

import numpy as np
from onnx import TensorProto
from skl2onnx._parse import _parse_sklearn_classifier
from skl2onnx.algebra.onnx_ops import (
    OnnxAbs,
    OnnxAdd,
    OnnxArgMax,
    OnnxCast,
    OnnxConcat,
    OnnxDiv,
    OnnxExp,
    OnnxGather,
    OnnxGreater,
    OnnxIdentity,
    OnnxMatMul,
    OnnxMul,
    OnnxNeg,
    OnnxReduceMaxApi18,
    OnnxReduceSumApi11,
    OnnxRelu,
    OnnxReshapeApi13,
    OnnxSub,
    OnnxTanh,
    OnnxWhere,
)
from skl2onnx.common.data_types import (
    DoubleTensorType,
    FloatTensorType,
    Int64TensorType,
)
from skl2onnx.common.shape_calculator import (
    calculate_linear_classifier_output_shapes,
    calculate_linear_regressor_output_shapes,
)
from sklearn.utils.validation import check_is_fitted

# The options that skl2onnx's classifier parser reads. Not
# 'output_class_labels': skl2onnx's graph for it is invalid for float and
# boolean labels, and for string labels with nocl.
CLASSIFIER_OPTIONS = {"zipmap": [True, False, "columns"], "nocl": [True, False]}


# -- checks -------------------------------------------------------------------


def check_convertible(model, inputs):
    """Raise a clear error for a model or inputs that the graph cannot take."""
    check_is_fitted(model)
    name, n_features = type(model).__name__, model.n_features_in_
    if len(inputs) != 1:
        raise ValueError(
            f"This {name} is given {len(inputs)} ONNX inputs (to_onnx makes one "
            "per column of a DataFrame), but it takes one tensor of its "
            f"{n_features} features: convert it with a numpy array "
            "(X.to_numpy()[:1]), or in a pipeline whose first step takes the "
            "columns (a StandardScaler, a ColumnTransformer)."
        )
    columns = inputs[0].get_second_dimension()
    if isinstance(columns, int) and columns != n_features:
        raise ValueError(
            f"The ONNX input has {columns} columns, but this {name} was fitted "
            f"on {n_features} features: give an initial type (or a sample X) "
            f"with {n_features} columns."
        )


def onnx_labels(model, nocl=False):
    """Return ``classes_`` as ONNX labels: int64 or strings (indices with nocl)."""
    classes = model.classes_
    if nocl or model._multilabel:
        return np.arange(len(classes), dtype=np.int64)
    if all(isinstance(label, str) for label in classes):
        return np.asarray(classes, dtype=str)
    whole = all(
        isinstance(label, (Real, np.bool_)) and float(label).is_integer()
        for label in classes
    )
    if not whole or np.any(np.abs(classes.astype(np.float64)) >= 2.0**63):
        name = type(model).__name__
        raise ValueError(
            f"The class labels of this {name}, {classes.tolist()}, cannot be "
            "ONNX labels, which are 64-bit integers or strings. Fit it on "
            "integer or string labels, or convert it with "
            f"options={{{name}: {{'nocl': True}}}}: the ONNX labels are then "
            "the indices of the classes in classes_."
        )
    return classes.astype(np.int64)


def parse_classifier(scope, model, inputs, custom_parsers=None):
    """Check the model, then parse it with skl2onnx's classifier parser.

    That parser reads ``classes_`` for ZipMap: checked first, an unfitted
    model or labels that ONNX cannot hold get a clear error.
    """
    check_convertible(model, inputs)
    onnx_labels(model, scope.get_options(model, dict(nocl=False))["nocl"])
    return _parse_sklearn_classifier(scope, model, inputs, custom_parsers)


# -- shapes -------------------------------------------------------------------


def classifier_shapes(operator):
    """Declare labels and probabilities, as skl2onnx does for its classifiers.

    Multilabel labels are (N, n_labels): skl2onnx's calculator would say (N,).
    ONNX's ZipMap takes float probabilities only: for it, a double graph
    gives its probabilities rounded to float (skl2onnx's own classifiers
    give double ones, which onnxruntime refuses to load).
    """
    model = operator.raw_operator
    check_convertible(model, operator.inputs)
    calculate_linear_classifier_output_shapes(operator)
    rows = operator.inputs[0].get_first_dimension()
    if model._multilabel:
        operator.outputs[0].type = Int64TensorType([rows, model.n_outputs_])
    zipmap = operator.scope_inst.get_options(model, dict(zipmap=True))["zipmap"]
    if zipmap is True and isinstance(operator.inputs[0].type, DoubleTensorType):
        operator.outputs[1].type = FloatTensorType(operator.outputs[1].type.shape)


def regressor_shapes(operator):
    """Declare the predictions: (N, n_outputs), in the input's float type."""
    model = operator.raw_operator
    check_convertible(model, operator.inputs)
    calculate_linear_regressor_output_shapes(operator)  # checks, then (N, 1)
    rows = operator.inputs[0].get_first_dimension()
    output_type = type(operator.outputs[0].type)
    operator.outputs[0].type = output_type([rows, model.n_outputs_])


# -- the network ----------------------------------------------------------------


class Graph:
    """Builds the nodes of one operator, in its dtype and opset."""

    def __init__(self, operator, container):
        self.model = operator.raw_operator
        self.input = operator.inputs[0]
        self.outputs = operator.outputs
        self.opset = container.target_opset
        double = isinstance(self.input.type, DoubleTensorType)
        self.dtype = np.float64 if double else np.float32
        self.proto = TensorProto.DOUBLE if double else TensorProto.FLOAT

    def op(self, cls, *inputs, **attributes):
        """Return a node of ``cls``; numbers and float arrays become constants.

        The constants take the graph's dtype; integer and string arrays
        (labels, shapes) stay as they are.
        """
        inputs = [
            np.asarray(x, dtype=self.dtype) if _is_float_constant(x) else x
            for x in inputs
        ]
        return cls(*inputs, op_version=self.opset, **attributes)

    def emit(self, node, output, scope, container):
        """Add ``node``'s graph, its result named as the operator's ``output``."""
        self.op(OnnxIdentity, node, output_names=[output]).add_to(scope, container)

    def logits(self):
        """Return the output layer's inputs: the dense layers and activations."""
        output = self.input
        if not isinstance(self.input.type, (FloatTensorType, DoubleTensorType)):
            output = self.op(OnnxCast, output, to=self.proto)  # integer inputs
        layers = zip(self.model.coefs_, self.model.intercepts_)
        for i, (weights, biases) in enumerate(layers):
            if i:
                output = self.activation(output)
            # as sknnfs.layers.Dense: the product, then the biases added
            output = self.op(OnnxAdd, self.op(OnnxMatMul, output, weights), biases)
        return output

    def activation(self, x):
        """Return the hidden activation of ``x``, as ``sknnfs.layers``."""
        name = self.model.activation
        if name == "identity":
            return x
        if name == "logistic":
            return self.sigmoid(x)
        return self.op({"relu": OnnxRelu, "tanh": OnnxTanh}[name], x)

    def sigmoid(self, x):
        """Return ``1 / (1 + exp(-x))``, as ``sknnfs.layers.Logistic``."""
        exp = self.op(OnnxExp, self.op(OnnxNeg, x))
        return self.op(OnnxDiv, 1, self.op(OnnxAdd, 1, exp))

    def softmax(self, z):
        """Return ``exp(z - max) / sum``, as ``sknnfs.losses``.

        Written out: onnxruntime's ``Softmax`` differs in the subnormal
        probabilities (5.7e-5 relative in float, where these nodes give 1e-5).
        """
        top = self.op(OnnxReduceMaxApi18, z, axes=[1], keepdims=1)
        e = self.op(OnnxExp, self.op(OnnxSub, z, top))
        return self.op(OnnxDiv, e, self.op(OnnxReduceSumApi11, e, axes=[1], keepdims=1))

    def two_class_probabilities(self, z):
        """Return ``[sigmoid(-z), sigmoid(z)]``, each to its own precision.

        As ``predict_proba``: with ``e = exp(-|z|)``, the smaller is
        ``e / (1 + e)`` and the larger ``1 / (1 + e)``; ``1 - p`` would lose
        the smaller to rounding.
        """
        e = self.op(OnnxExp, self.op(OnnxNeg, self.op(OnnxAbs, z)))
        one_plus_e = self.op(OnnxAdd, 1, e)
        smaller = self.op(OnnxDiv, e, one_plus_e)
        larger = self.op(OnnxDiv, 1, one_plus_e)
        positive = self.op(OnnxGreater, z, 0)
        return self.op(
            OnnxConcat,
            self.op(OnnxWhere, positive, smaller, larger),
            self.op(OnnxWhere, positive, larger, smaller),
            axis=1,
        )


def _is_float_constant(x):
    if isinstance(x, np.ndarray):
        return x.dtype.kind == "f"
    return isinstance(x, Real) and not isinstance(x, (bool, np.bool_))


# -- converters -----------------------------------------------------------------


def convert_classifier(scope, operator, container):
    """Convert an NNFSClassifier: the labels of predict, then predict_proba."""
    graph = Graph(operator, container)
    model = graph.model
    z = graph.logits()
    if model.out_activation_ == "softmax":
        probabilities = graph.softmax(z)
        index = graph.op(OnnxArgMax, probabilities, axis=1, keepdims=0)
    else:  # sigmoid outputs: predict takes a label where its sigmoid is > 0.5
        sigmoid = graph.sigmoid(z)
        above = graph.op(OnnxGreater, sigmoid, 0.5)
        index = graph.op(OnnxCast, above, to=TensorProto.INT64)
        if model._multilabel:
            probabilities = sigmoid
        else:
            probabilities = graph.two_class_probabilities(z)
            shape = np.array([-1], dtype=np.int64)
            index = graph.op(OnnxReshapeApi13, index, shape)
    if model._multilabel:  # the 0/1 indicator matrix
        label = index
    else:
        nocl = scope.get_options(model, dict(nocl=False))["nocl"]
        label = graph.op(OnnxGather, onnx_labels(model, nocl), index)
    if graph.dtype != np.float32 and isinstance(graph.outputs[1].type, FloatTensorType):
        probabilities = graph.op(OnnxCast, probabilities, to=TensorProto.FLOAT)
    graph.emit(label, graph.outputs[0], scope, container)
    graph.emit(probabilities, graph.outputs[1], scope, container)


def convert_regressor(scope, operator, container):
    """Convert an NNFSRegressor: predictions in the target's units.

    Every loss but ``'poisson'`` has linear outputs; the Poisson deviance's
    are ``exp`` of the last layer's (``out_activation_='exp'``).
    """
    graph = Graph(operator, container)
    model = graph.model
    output = graph.logits()
    if model.out_activation_ == "exp":
        output = graph.op(OnnxExp, output)
    if model.y_scale_ is not None:  # normalize_y: output * y_scale_ + y_mean_
        output = graph.op(OnnxMul, output, model.y_scale_)
        output = graph.op(OnnxAdd, output, model.y_mean_)
    graph.emit(output, graph.outputs[0], scope, container)
