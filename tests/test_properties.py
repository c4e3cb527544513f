"""Property-based tests: any small problem either fits or fails as documented.

Over shapes (1..50 samples, 1..20 features, 2..10 classes), dtypes, label
types, batch sizes and optimizers: ``fit`` succeeds or raises a ``ValueError``
whose message is one of the documented ones; after success the probabilities
are finite and sum to 1, ``predict`` returns labels of ``classes_`` only and
equals the argmax of ``predict_proba``. Bounded to run in seconds.
"""

import re
import warnings

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sknnfs import DivergenceError, NNFSClassifier

# The ValueErrors fit may raise on valid-looking data, as documented in
# docs/user_guide/what_happens_when.rst.
DOCUMENTED = re.compile(
    r"needs samples of at least 2 classes"  # every sample of one class
    r"|Training diverged at epoch"  # DivergenceError
)

LABELS = {
    "int": lambda k: np.arange(k) * 3 - 2,
    "str": lambda k: np.array([f"class {i}" for i in range(k)]),
    "object": lambda k: np.array([f"c{i}" for i in range(k)], dtype=object),
    "bool-like": lambda k: np.arange(k) % 2 == 0 if k == 2 else np.arange(k),
    "float": lambda k: np.arange(k) - 1.0,  # integral floats: class labels
}


@st.composite
def problems(draw):
    n_samples = draw(st.integers(1, 50))
    n_features = draw(st.integers(1, 20))
    n_classes = draw(st.integers(2, 10))
    dtype = draw(st.sampled_from([np.float32, np.float64, np.int64]))
    seed = draw(st.integers(0, 2**16))
    rng = np.random.RandomState(seed)
    scale = draw(st.sampled_from([1.0, 1e3]))
    X = (rng.standard_normal((n_samples, n_features)) * scale).astype(dtype)
    labels = LABELS[draw(st.sampled_from(sorted(LABELS)))](n_classes)
    y = labels[rng.randint(0, n_classes, n_samples)]
    return X, y


@settings(
    max_examples=60,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(
    problem=problems(),
    optimizer=st.sampled_from(["sgd", "sgd-momentum", "adagrad", "rmsprop", "adam"]),
    batch_size=st.sampled_from([None, 1, 7, "auto", 32]),
    hidden=st.sampled_from([(), (3,), (8, 4)]),
    shuffle=st.booleans(),
)
def test_fit_succeeds_or_fails_as_documented(
    problem, optimizer, batch_size, hidden, shuffle
):
    X, y = problem
    clf = NNFSClassifier(
        hidden,
        optimizer=optimizer,
        batch_size=batch_size,
        shuffle=shuffle,
        max_iter=5,
        tol=None,
        random_state=0,
    )
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no RuntimeWarning from inside the fit
        try:
            clf.fit(X, y)
        except ValueError as error:
            assert DOCUMENTED.search(str(error)), str(error)
            if isinstance(error, DivergenceError):
                assert not hasattr(clf, "coefs_")
            else:
                assert len(np.unique(y)) == 1
            return
    assert all(np.isfinite(c).all() for c in clf.coefs_ + clf.intercepts_)
    assert np.isfinite(clf.loss_curve_).all()
    proba = clf.predict_proba(X)
    tolerance = 1e-5 if proba.dtype == np.float32 else 1e-12
    assert proba.shape == (len(X), len(np.unique(y)))
    assert np.isfinite(proba).all() and (proba >= 0).all()
    np.testing.assert_allclose(proba.sum(axis=1), 1, rtol=0, atol=tolerance)
    predicted = clf.predict(X)
    assert set(predicted.tolist()) <= set(clf.classes_.tolist())
    np.testing.assert_array_equal(predicted, clf.classes_[proba.argmax(axis=1)])
    assert np.isfinite(clf.predict_log_proba(X)).all()
    assert clf.score(X, y) == np.mean(predicted == y)


@settings(max_examples=25, deadline=None, derandomize=True)
@given(
    problem=problems(),
    n_batches=st.integers(1, 3),
)
def test_partial_fit_on_any_split_keeps_the_classes(problem, n_batches):
    X, y = problem
    classes = np.unique(y)
    clf = NNFSClassifier((4,), max_iter=1, random_state=0)
    try:
        for rows in np.array_split(np.arange(len(X)), n_batches):
            if len(rows):
                clf.partial_fit(X[rows], y[rows], classes=classes)
    except ValueError as error:
        assert DOCUMENTED.search(str(error)), str(error)
        return
    np.testing.assert_array_equal(clf.classes_, classes)
    assert clf.predict_proba(X).shape == (len(X), len(classes))
