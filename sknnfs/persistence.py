"""Saving models so that they are safe to load, with skops.

Loading a pickle or a joblib file runs whatever code it holds: load only the
files you made yourself. A file of ``skops.io.dump`` holds data, and
``skops.io.load`` builds only the types you trust. A fitted sknnfs model
(alone, or in a pipeline of scikit-learn's transformers) holds numbers,
arrays, strings and these sknnfs types, and nothing else:
:data:`TRUSTED_TYPES`. :func:`load` trusts them and nothing more.
"""

__all__ = ["TRUSTED_TYPES", "load"]

#: The sknnfs types a skops file of an sknnfs model may hold: the estimators,
#: the optimizers (the fitted one, and an optimizer object given as a
#: parameter), the plateau schedule and the command line's date columns; and
#: numpy.dtype, the data type that scikit-learn's SimpleImputer keeps (in the
#: command line's pipelines), which skops does not trust by default.
TRUSTED_TYPES = [
    "numpy.dtype",
    "sknnfs.classifier.NNFSClassifier",
    "sknnfs.cli.dates.DateFeatures",
    "sknnfs.optimizers.Adagrad",
    "sknnfs.optimizers.Adam",
    "sknnfs.optimizers.RMSprop",
    "sknnfs.optimizers.SGD",
    "sknnfs.regressor.NNFSRegressor",
    "sknnfs.schedules.PlateauSchedule",
]


def load(file, *, trusted=()):
    """Load a skops file, trusting sknnfs' own types and ``trusted``, no other.

    Parameters
    ----------
    file : str or path-like
        The file that ``skops.io.dump`` wrote.
    trusted : sequence of str, default=()
        More types to trust (``skops.io.get_untrusted_types`` names them),
        once you have reviewed them.

    Returns
    -------
    model : object
        The saved model.

    Raises
    ------
    ValueError
        If the file holds a type that is neither sknnfs' own nor in
        ``trusted``: nothing is built.

    Examples
    --------
    >>> import tempfile, os
    >>> import skops.io as sio
    >>> from sklearn.datasets import load_iris
    >>> from sknnfs import NNFSClassifier
    >>> from sknnfs.persistence import load
    >>> X, y = load_iris(return_X_y=True)
    >>> model = NNFSClassifier(max_iter=20, random_state=0).fit(X, y)
    >>> path = os.path.join(tempfile.mkdtemp(), "model.skops")
    >>> sio.dump(model, path)
    >>> bool((load(path).predict(X) == model.predict(X)).all())
    True
    """
    try:
        import skops.io as sio
    except ImportError:
        raise ImportError(
            "Loading skops files needs skops: pip install skops."
        ) from None
    untrusted = sio.get_untrusted_types(file=file)
    unknown = sorted(set(untrusted) - set(TRUSTED_TYPES) - set(trusted))
    if unknown:
        raise ValueError(
            f"{file} holds types that are not sknnfs' own: {', '.join(unknown)}. "
            "Loading builds them: review them, and pass trusted=[...] if you "
            "trust them."
        )
    return sio.load(file, trusted=untrusted)
