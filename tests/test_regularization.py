"""The book's regularizers, dropout, class weights and multilabel targets."""

import io
import re
from contextlib import redirect_stdout

import numpy as np
import pytest
from sklearn.datasets import make_classification, make_multilabel_classification

from sknnfs import NNFSClassifier


@pytest.fixture(scope="module")
def data():
    return make_classification(
        n_samples=150, n_features=6, n_informative=4, n_classes=3, random_state=0
    )


def quick(**params):
    settings = dict(
        hidden_layer_sizes=(16,), max_iter=30, tol=None, random_state=0, alpha=0.0
    )
    return NNFSClassifier(**{**settings, **params})


def test_penalties_shrink_the_weights(data):
    X, y = data
    free = quick(max_iter=100).fit(X, y)
    for penalty in ["weight_l1", "weight_l2"]:
        shrunk = quick(max_iter=100, **{penalty: 1e-2}).fit(X, y)
        assert np.abs(shrunk.coefs_[0]).sum() < np.abs(free.coefs_[0]).sum()


def test_penalties_are_in_the_loss_curve_and_the_chapter_14_log(data):
    X, y = data
    buffer = io.StringIO()
    with redirect_stdout(buffer):
        model = quick(weight_l2=0.1, bias_l2=0.1, max_iter=1, verbose=1).fit(X, y)
    line = buffer.getvalue().strip()
    match = re.fullmatch(
        r"epoch: 0, acc: \d\.\d{3}, loss: (\d\.\d{3}) \(data_loss: (\d\.\d{3}), "
        r"reg_loss: (\d\.\d{3})\)",
        line,
    )
    assert match, line
    loss, data_loss, reg_loss = map(float, match.groups())
    assert reg_loss > 0 and loss == pytest.approx(data_loss + reg_loss, abs=2e-3)
    assert f"{model.loss_curve_[0]:.3f}" == match.group(1)


def test_penalties_per_layer(data):
    X, y = data
    first_only = quick(hidden_layer_sizes=(8, 8), weight_l2=(0.5, 0, 0), max_iter=60)
    first_only.fit(X, y)
    both = quick(hidden_layer_sizes=(8, 8), weight_l2=0.5, max_iter=60).fit(X, y)
    free = quick(hidden_layer_sizes=(8, 8), max_iter=60).fit(X, y)
    assert np.abs(first_only.coefs_[0]).sum() < np.abs(free.coefs_[0]).sum()
    assert np.abs(both.coefs_[2]).sum() < np.abs(first_only.coefs_[2]).sum()
    with pytest.raises(
        ValueError, match="weight_l2 has 2 values but the network has 3"
    ):
        quick(hidden_layer_sizes=(8, 8), weight_l2=(0.5, 0)).fit(X, y)
    with pytest.raises(ValueError, match=r"dropout values must be in \[0, 1.0\)"):
        quick(dropout=[1.5]).fit(X, y)


def test_dropout_is_reproducible_and_predict_is_deterministic(data):
    X, y = data
    a = quick(dropout=0.3, random_state=1).fit(X, y)
    b = quick(dropout=0.3, random_state=1).fit(X, y)
    c = quick(dropout=0.3, random_state=2).fit(X, y)
    np.testing.assert_array_equal(a.coefs_[0], b.coefs_[0])
    assert not np.array_equal(a.coefs_[0], c.coefs_[0])
    np.testing.assert_array_equal(a.predict_proba(X), a.predict_proba(X))
    no_dropout = quick(random_state=1).fit(X, y)
    assert not np.array_equal(a.coefs_[0], no_dropout.coefs_[0])


def test_class_weight_balanced_and_dict(data):
    X, y = data
    rare = np.r_[np.flatnonzero(y != 2), np.flatnonzero(y == 2)[:8]]
    X, y = X[rare], y[rare]
    plain = quick(max_iter=150).fit(X, y)
    balanced = quick(max_iter=150, class_weight="balanced").fit(X, y)
    assert np.sum(balanced.predict(X) == 2) >= np.sum(plain.predict(X) == 2)
    weights = {0: 1.0, 1: 1.0, 2: len(y) / (3 * 8)}
    as_dict = quick(max_iter=150, class_weight=weights).fit(X, y)
    counts = np.bincount(y)
    by_hand = quick(max_iter=150).fit(X, y, sample_weight=(len(y) / (3 * counts))[y])
    np.testing.assert_allclose(balanced.coefs_[0], by_hand.coefs_[0], rtol=1e-10)
    assert as_dict.score(X, y) > 0.5
    with pytest.raises(ValueError, match="does not work with partial_fit"):
        quick(class_weight="balanced").partial_fit(X, y, classes=[0, 1, 2])


def test_binary_uses_one_sigmoid_output_like_mlpclassifier():
    X, y = make_classification(n_samples=100, n_features=4, random_state=0)
    model = quick(max_iter=100).fit(X, np.array(["no", "yes"])[y])
    assert model.n_outputs_ == 1 and model.out_activation_ == "logistic"
    proba = model.predict_proba(X)
    np.testing.assert_allclose(proba.sum(axis=1), 1)
    assert set(model.predict(X)) <= {"no", "yes"}
    np.testing.assert_array_equal(
        model.predict(X) == "yes", model.decision_function(X) > 0
    )


def test_multilabel_fit_partial_fit_and_outputs():
    X, Y = make_multilabel_classification(
        n_samples=200, n_features=8, n_classes=4, random_state=0
    )
    model = quick(max_iter=200, learning_rate=0.01).fit(X, Y)
    assert model.out_activation_ == "logistic" and model.n_outputs_ == 4
    assert model.predict(X).shape == (200, 4) and set(np.unique(model.predict(X))) <= {
        0,
        1,
    }
    assert model.predict_proba(X).shape == (200, 4)
    assert model.score(X, Y) > 0.4  # subset accuracy: every label right
    stepped = quick(learning_rate=0.01)
    for _ in range(20):
        stepped.partial_fit(X, Y)  # no `classes` needed for an indicator matrix
    assert stepped.n_iter_ == 20 and np.mean(stepped.predict(X) == Y) > 0.7
    with pytest.raises(ValueError, match="label indicator matrix with 3 labels"):
        stepped.partial_fit(X, Y[:, :3])
