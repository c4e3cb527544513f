"""ONNX export of the estimators, through skl2onnx.

:func:`register` tells `skl2onnx <https://onnx.ai/sklearn-onnx/>`_ how to
convert :class:`~sknnfs.NNFSClassifier` and :class:`~sknnfs.NNFSRegressor`;
from then on ``skl2onnx.to_onnx`` converts them, alone or inside a
pipeline, like any scikit-learn model. It needs the ``onnx`` extra
(``pip install ".[onnx]"`` from a clone: skl2onnx, and onnxruntime to run the
result); importing this module does not.
"""

__all__ = ["register"]

_REGISTERED = []  # the classes register() gave skl2onnx, in this process


def register():
    """Register the ONNX converters of the estimators with skl2onnx.

    Registers a parser (for the classifier), a shape calculator and a
    converter for :class:`~sknnfs.NNFSClassifier` and
    :class:`~sknnfs.NNFSRegressor` with ``skl2onnx.update_registered_converter``.
    Call it once before ``skl2onnx.to_onnx``; calling it again changes
    nothing.

    The graphs compute ``predict`` and ``predict_proba`` (the regressor's
    ``predict``, in the target's units with ``normalize_y``) in the
    input's precision: float, or double for a double input. The classifier
    takes skl2onnx's classifier options, ``zipmap`` (True, False or
    ``'columns'``) and ``nocl`` (labels as class indices); its outputs are
    the labels and the probabilities, both matrices for multilabel targets.

    Raises
    ------
    ImportError
        If skl2onnx is not installed.

    Examples
    --------
    >>> import numpy as np
    >>> import onnxruntime
    >>> from skl2onnx import to_onnx
    >>> from sklearn.datasets import load_iris
    >>> from sknnfs import NNFSClassifier
    >>> from sknnfs.onnx import register
    >>> register()
    >>> X, y = load_iris(return_X_y=True)
    >>> X = X.astype(np.float32)
    >>> clf = NNFSClassifier((8,), max_iter=20, tol=None, random_state=0).fit(X, y)
    >>> model = to_onnx(clf, X[:1], options={"zipmap": False})
    >>> runtime = onnxruntime.InferenceSession(
    ...     model.SerializeToString(), providers=["CPUExecutionProvider"])
    >>> labels, probabilities = runtime.run(None, {"X": X})
    >>> bool((labels == clf.predict(X)).all())
    True
    >>> bool(np.allclose(probabilities, clf.predict_proba(X), rtol=1e-5))
    True
    """
    try:
        from skl2onnx import update_registered_converter
    except ImportError as error:
        raise ImportError(
            "Exporting to ONNX needs skl2onnx, and running the result "
            "onnxruntime: pip install skl2onnx onnxruntime."
        ) from error
    from . import _onnx
    from .classifier import NNFSClassifier
    from .regressor import NNFSRegressor

    update_registered_converter(
        NNFSClassifier,
        "SknnfsNNFSClassifier",
        _onnx.classifier_shapes,
        _onnx.convert_classifier,
        parser=_onnx.parse_classifier,
        options=_onnx.CLASSIFIER_OPTIONS,
    )
    update_registered_converter(
        NNFSRegressor,
        "SknnfsNNFSRegressor",
        _onnx.regressor_shapes,
        _onnx.convert_regressor,
    )
    _REGISTERED[:] = [NNFSClassifier, NNFSRegressor]


def _shape_calculator_hint(model):
    """Return None once :func:`register` ran, else a calculator raising its hint.

    skl2onnx asks a model's ``onnx_shape_calculator()`` before its own
    registry. Registered, the estimators return None, and skl2onnx goes on
    to the shape calculator :func:`register` gave it. Not registered,
    skl2onnx would fail with "Unable to find a shape calculator ... raise
    an issue to sklearn-onnx": the estimators fail first, naming
    :func:`register`. Registering there and then is not done: skl2onnx
    has already parsed the model without sknnfs' parser (its checks, and
    the classifier's options).
    """
    if isinstance(model, tuple(_REGISTERED)):
        return None

    def forgotten(operator):
        raise RuntimeError(
            f"skl2onnx does not know {type(model).__name__} yet: call "
            "sknnfs.onnx.register() once, before skl2onnx.to_onnx or "
            "convert_sklearn."
        )

    return forgotten
