"""Divergence, extreme data and interrupted training.

``fit`` either trains to a finite model or stops with ``DivergenceError``:
never a NaN or inf in ``coefs_``, ``predict_proba`` or ``loss_curve_``. A
``KeyboardInterrupt`` keeps the model of the last finished epoch.
"""

import functools
import pickle
import warnings

import numpy as np
import pytest
from sklearn.datasets import load_iris, make_classification
from sklearn.exceptions import NotFittedError

from sknnfs import DivergenceError, NNFSClassifier, NNFSRegressor
from sknnfs.losses import SoftmaxCategoricalCrossentropy
from sknnfs.optimizers import SGD, Adam

OPTIMIZERS = ["sgd", "sgd-momentum", "adagrad", "rmsprop", "adam"]


def data(n_samples=60, n_features=4, n_classes=3, seed=0):
    return make_classification(
        n_samples=n_samples,
        n_features=n_features,
        n_informative=n_features,
        n_redundant=0,
        n_classes=n_classes,
        random_state=seed,
    )


def assert_finite_or_diverged(clf, X, y):
    """Fit; on success everything is finite, on divergence nothing is left."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        try:
            clf.fit(X, y)
        except DivergenceError as error:
            assert "Lower the learning rate" in str(error)
            assert not [name for name in vars(clf) if name.endswith("_")]
            with pytest.raises(NotFittedError):
                clf.predict(X)
            return "diverged"
    assert all(np.isfinite(p).all() for p in clf.coefs_ + clf.intercepts_)
    assert np.isfinite(clf.loss_curve_).all() and np.isfinite(clf.loss_)
    proba = clf.predict_proba(X)
    assert np.isfinite(proba).all()
    np.testing.assert_allclose(proba.sum(axis=1), 1, rtol=1e-5)
    assert np.isfinite(clf.predict_log_proba(X)).all()
    return "finite"


def model(optimizer, **params):
    settings = dict(hidden_layer_sizes=(16,), max_iter=40, tol=None, random_state=0)
    return NNFSClassifier(optimizer=optimizer, **{**settings, **params})


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("optimizer", OPTIMIZERS)
def test_far_too_high_learning_rate(optimizer, dtype):
    X, y = data()
    clf = model(optimizer, learning_rate=1e8, batch_size=None)
    assert_finite_or_diverged(clf, (X * 1e3).astype(dtype), y)


def test_far_too_high_learning_rate_does_diverge():
    X, y = data()
    outcome = assert_finite_or_diverged(
        model("sgd", learning_rate=1e8, batch_size=None, init="he"), X * 1e6, y
    )
    assert outcome == "diverged"


@pytest.mark.parametrize("normalize_y", [False, True])
def test_divergence_first_seen_on_the_held_out_samples_is_divergence(normalize_y):
    """The last step of an epoch can diverge unseen by any training loss."""
    X, y = load_iris(return_X_y=True)
    model = NNFSRegressor(
        activation="identity",
        optimizer="sgd",
        learning_rate=1.0,
        normalize_y=normalize_y,
        random_state=0,
    )
    with pytest.raises(DivergenceError, match="Training diverged at epoch"):
        model.fit(X, y)
    assert not [name for name in vars(model) if name.endswith("_")]


def test_divergence_on_the_held_out_samples_during_a_warm_start_keeps_the_model():
    X, y = load_iris(return_X_y=True)
    settings = dict(activation="identity", optimizer="sgd", normalize_y=False)
    model = NNFSRegressor(
        learning_rate=1e-3, warm_start=True, random_state=0, **settings
    )
    before = [c.copy() for c in model.fit(X, y).coefs_]
    with pytest.raises(DivergenceError, match="held-out samples became non-finite"):
        model.set_params(learning_rate=1.0, tol=None).fit(X, y)
    for a, b in zip(before, model.coefs_):
        np.testing.assert_array_equal(a, b)


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("optimizer", OPTIMIZERS)
def test_unscaled_inputs_of_magnitude_1e6(optimizer, dtype):
    X, y = data()
    assert_finite_or_diverged(model(optimizer), (X * 1e6).astype(dtype), y)


@pytest.mark.parametrize("optimizer", OPTIMIZERS)
def test_all_constant_features(optimizer):
    X, y = data()
    X[:] = 3.0
    assert assert_finite_or_diverged(model(optimizer), X, y) == "finite"
    X[:] = 0.0
    clf = model(optimizer)
    assert assert_finite_or_diverged(clf, X, y) == "finite"
    # nothing to learn from: every sample gets the same prediction
    assert len(np.unique(clf.predict_proba(X).round(12), axis=0)) == 1


@pytest.mark.parametrize("optimizer", OPTIMIZERS)
def test_duplicated_rows(optimizer):
    X, y = data(n_samples=30)
    X, y = np.repeat(X, 20, axis=0), np.repeat(y, 20)
    assert assert_finite_or_diverged(model(optimizer), X, y) == "finite"
    # the same row with two labels: still finite, probabilities in between
    X2, y2 = np.ones((40, 3)), np.array([0, 1] * 20)
    clf = model(optimizer, max_iter=100)
    assert assert_finite_or_diverged(clf, X2, y2) == "finite"


@pytest.mark.parametrize("optimizer", OPTIMIZERS)
@pytest.mark.parametrize("batch_size", [None, 1, "auto"])
def test_a_single_sample_per_class(optimizer, batch_size):
    X = np.array([[0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
    y = np.array(["a", "b", "c"])
    clf = model(optimizer, batch_size=batch_size, max_iter=200)
    assert assert_finite_or_diverged(clf, X, y) == "finite"
    np.testing.assert_array_equal(clf.classes_, ["a", "b", "c"])


def test_a_single_sample_per_class_with_early_stopping_says_why():
    X, y = np.eye(3), np.array([0, 1, 2])
    with pytest.raises(ValueError, match="no class has a second distinct sample"):
        model("adam", early_stopping=True).fit(X, y)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("magnitude", [1e4, -1e4])
def test_softmax_and_loss_stay_finite_for_huge_logits(dtype, magnitude):
    logits = np.array(
        [[magnitude, 0.0, -magnitude], [magnitude, magnitude, 0.0], [0.0, 0.0, 0.0]],
        dtype=dtype,
    )
    head = SoftmaxCategoricalCrossentropy()
    with np.errstate(over="raise", invalid="raise", divide="raise"):
        proba = head.forward(logits)
        assert proba.dtype == dtype and np.isfinite(proba).all()
        np.testing.assert_allclose(proba.sum(axis=1), 1, rtol=1e-6)
        for y in ([0, 0, 0], [2, 2, 2], [1, 2, 0]):
            loss = head.calculate(np.array(y))
            assert np.isfinite(loss) and loss <= -np.log(1e-7) + 1e-3
            head.backward(np.array(y))
            assert np.isfinite(head.dinputs).all()


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_predict_proba_is_finite_for_huge_logits(dtype):
    X, y = data()
    X = X.astype(dtype)
    clf = model("adam").fit(X, y)
    clf.coefs_[-1] *= 1e4 / np.abs(clf.coefs_[-1]).max()  # logits of about 1e4
    with np.errstate(over="raise", invalid="raise", divide="raise"):
        proba = clf.predict_proba(X)
    assert np.isfinite(proba).all() and proba.max() == 1
    assert (clf.predict(X) == clf.classes_[proba.argmax(axis=1)]).all()


# -- KeyboardInterrupt ------------------------------------------------------


class InterruptAt:
    """Wrap an optimizer; raise KeyboardInterrupt in its step number ``at``."""

    def __init__(self, optimizer, at, where="update_params"):
        self.optimizer, self.at, self.where = optimizer, at, where
        self.calls = 0

    def __call__(self, original):
        @functools.wraps(original)
        def wrapped(optimizer, *args):
            if original.__name__ == self.where:
                self.calls += 1
                if self.calls == self.at:
                    if self.where == "update_params":  # half of the update done
                        params, grads = args
                        original(optimizer, params[:1], grads[:1])
                    raise KeyboardInterrupt
            return original(optimizer, *args)

        return wrapped


@pytest.fixture
def interrupt(monkeypatch):
    """Make the fitted optimizers (class SGD) raise KeyboardInterrupt at a step."""

    def arm(at, where="update_params"):
        plan = InterruptAt(None, at, where)
        for name in ("pre_update_params", "update_params", "post_update_params"):
            monkeypatch.setattr(SGD, name, plan(getattr(SGD, name)))
        return plan

    return arm


def sgd_model(**params):
    settings = dict(
        hidden_layer_sizes=(8,),
        optimizer="sgd-momentum",
        learning_rate=0.1,
        decay=1e-2,
        batch_size=16,
        max_iter=10,
        tol=None,
        random_state=0,
    )
    return NNFSClassifier(**{**settings, **params})


def assert_same_model(a, b):
    for name in ("coefs_", "intercepts_"):
        for p, q in zip(getattr(a, name), getattr(b, name)):
            np.testing.assert_array_equal(p, q)
    assert a.loss_curve_ == b.loss_curve_ and a.n_iter_ == b.n_iter_ and a.t_ == b.t_


@pytest.mark.parametrize("where", ["pre_update_params", "update_params"])
def test_interrupt_keeps_the_model_of_the_last_finished_epoch(interrupt, where):
    X, y = data()  # 60 samples, batches of 16: 4 steps per epoch
    expected = sgd_model(max_iter=3).fit(X, y)
    plan = interrupt(at=3 * 4 + 2, where=where)  # in the middle of epoch 3
    clf = sgd_model()
    with pytest.warns(UserWarning, match=r"interrupted.*last finished epoch \(3 "):
        clf.fit(X, y)
    assert plan.calls == 3 * 4 + 2
    assert_same_model(clf, expected)
    assert clf.optimizer_.iterations == expected.optimizer_.iterations == 12
    np.testing.assert_array_equal(clf.predict_proba(X), expected.predict_proba(X))


def test_training_resumed_after_an_interrupt_is_the_uninterrupted_run(interrupt):
    X, y = data()
    uninterrupted = sgd_model(max_iter=6).fit(X, y)
    interrupt(at=2 * 4 + 3)
    clf = sgd_model(max_iter=6, warm_start=True)
    with pytest.warns(UserWarning, match="interrupted"):
        clf.fit(X, y)
    assert clf.n_iter_ == 2
    clf = pickle.loads(pickle.dumps(clf))
    clf.set_params(max_iter=4).fit(X, y)
    assert_same_model(clf, uninterrupted)


def test_a_full_batch_with_dropout_resumes_after_an_interrupt_as_uninterrupted(
    interrupt,
):
    """The dropout masks draw from the same stream as the shuffles would."""
    X, y = data()
    settings = dict(max_iter=6, batch_size=None, dropout=0.3)
    uninterrupted = sgd_model(**settings).fit(X, y)
    interrupt(at=2 + 1)  # in the third epoch: one step an epoch
    clf = sgd_model(warm_start=True, **settings)
    with pytest.warns(UserWarning, match="interrupted"):
        clf.fit(X, y)
    assert clf.n_iter_ == 2
    clf.set_params(max_iter=4).fit(X, y)
    assert_same_model(clf, uninterrupted)


def test_interrupt_with_early_stopping_keeps_the_best_epoch(interrupt):
    X, y = data(n_samples=120)
    params = dict(early_stopping=True, validation_fraction=0.25)
    interrupt(at=5 * 6 + 1)  # 90 training samples, batches of 16: 6 steps
    clf = sgd_model(**params)
    with pytest.warns(UserWarning, match="interrupted"):
        clf.fit(X, y)
    expected = sgd_model(max_iter=5, **params).fit(X, y)
    assert_same_model(clf, expected)
    assert clf.validation_scores_ == expected.validation_scores_


def test_interrupt_in_the_first_epoch_of_a_fit_leaves_it_unfitted(interrupt):
    X, y = data()
    interrupt(at=2)
    clf = sgd_model()
    with pytest.raises(KeyboardInterrupt):
        clf.fit(X, y)
    assert not [name for name in vars(clf) if name.endswith("_")]


def test_interrupt_in_the_first_epoch_of_a_resume_keeps_the_model(interrupt):
    X, y = data()
    clf = sgd_model(warm_start=True).fit(X, y)
    before = pickle.dumps(clf)
    interrupt(at=1)
    with pytest.raises(KeyboardInterrupt):
        clf.fit(X, y)
    assert pickle.dumps(clf) == before
    interrupt(at=1)
    with pytest.raises(KeyboardInterrupt):
        clf.partial_fit(X, y)
    assert pickle.dumps(clf) == before


def test_interrupt_from_a_users_optimizer_object():
    class Impatient(Adam):
        def post_update_params(self):
            super().post_update_params()
            if self.iterations == 7:
                raise KeyboardInterrupt

    X, y = data()
    clf = sgd_model(optimizer=Impatient(learning_rate=0.01), decay=0.0)
    clf.set_params(learning_rate=None, batch_size=None)
    with pytest.warns(UserWarning, match=r"last finished epoch \(6 epochs"):
        clf.fit(X, y)
    expected = sgd_model(optimizer=Adam(learning_rate=0.01), decay=0.0)
    expected.set_params(learning_rate=None, batch_size=None, max_iter=6).fit(X, y)
    assert_same_model(clf, expected)
    assert clf.optimizer_.iterations == 6
