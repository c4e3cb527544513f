"""NNFSRegressor: the book's regression network behind scikit-learn's regressor API."""

import re

import numpy as np
import pytest
from nnfs.datasets import sine_data
from sklearn.datasets import make_regression

from sknnfs import NNFSRegressor


def test_fits_the_books_sine_data():
    X, y = sine_data()
    model = NNFSRegressor((64, 64), learning_rate=0.005, max_iter=400, random_state=0)
    model.fit(X, y.ravel())
    assert model.score(X, y.ravel()) > 0.99
    assert model.out_activation_ == "identity" and model.n_outputs_ == 1
    assert model.predict(X).shape == (1000,)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("scale", [0.1, np.float64(0.1), 2])
def test_a_float_init_is_the_books_randn_with_that_scale(dtype, scale):
    """init=s draws s * randn(n_in, n_out) layer by layer, as init='nnfs' draws 0.01."""
    X, y = sine_data()
    X, y = X.astype(dtype), y.ravel().astype(dtype)
    # a step far below the weights' last bit: coefs_ are the initial weights
    settings = dict(learning_rate=1e-30, max_iter=1, tol=None, random_state=0)
    model = NNFSRegressor((8, 4), init=scale, **settings).fit(X, y)
    rng = np.random.RandomState(0)
    for coef, shape in zip(model.coefs_, [(1, 8), (8, 4), (4, 1)]):
        expected = float(scale) * rng.standard_normal(shape).astype(dtype)
        assert coef.dtype == dtype
        np.testing.assert_array_equal(coef, expected)
    nnfs = NNFSRegressor((8, 4), init="nnfs", **settings).fit(X, y)
    hundredth = NNFSRegressor((8, 4), init=0.01, **settings).fit(X, y)
    for a, b in zip(nnfs.coefs_, hundredth.coefs_):
        np.testing.assert_array_equal(a, b)


def test_verbose_line_is_the_books_chapter_17_form(capsys):
    """With or without a penalty, the book's regression prints both loss parts."""
    X, y = sine_data()
    model = NNFSRegressor(
        (8,), max_iter=1, tol=None, alpha=0.0, normalize_y=False, random_state=0
    )
    model.set_params(verbose=1).fit(X, y.ravel())
    assert re.fullmatch(
        r"epoch: 0, acc: \d\.\d{3}, loss: (\d\.\d{3}) "
        r"\(data_loss: \1, reg_loss: 0\.000\)\n",
        capsys.readouterr().out,
    )


def test_multi_output_targets():
    X, y = make_regression(
        n_samples=200, n_features=5, n_targets=3, noise=1.0, random_state=0
    )
    y = y / y.std(axis=0)
    model = NNFSRegressor((32,), learning_rate=0.01, max_iter=200, random_state=0)
    model.fit(X, y)
    assert model.predict(X).shape == (200, 3) and model.n_outputs_ == 3
    assert model.score(X, y) > 0.9


def test_column_target_predicts_one_dimension_like_mlpregressor():
    X, y = make_regression(n_samples=50, n_features=3, random_state=0)
    model = NNFSRegressor((8,), max_iter=5, tol=None, random_state=0)
    assert model.fit(X, y.reshape(-1, 1)).predict(X).shape == (50,)


def test_loss_is_the_books_mean_squared_error():
    X = np.array([[0.0], [1.0]])
    y = np.array([1.0, 3.0])
    model = NNFSRegressor(
        (2,),
        optimizer="sgd",
        learning_rate=1e-12,
        alpha=0.0,
        max_iter=1,
        batch_size=None,
        tol=None,
        early_stopping=False,  # two samples: train on both
        random_state=0,
    )
    model.fit(X, y)
    before = model.predict(X)  # a rate of 1e-12 leaves the weights as drawn
    assert model.loss_curve_[0] == pytest.approx(np.mean((y - before) ** 2), rel=1e-9)


def test_partial_fit_and_float32():
    X, y = make_regression(n_samples=100, n_features=4, random_state=0)
    X, y = X.astype(np.float32), (y / y.std()).astype(np.float32)
    model = NNFSRegressor((16,), random_state=0)
    for _ in range(3):
        model.partial_fit(X, y)
    assert model.n_iter_ == 3 and model.coefs_[0].dtype == np.float32
    assert model.predict(X).dtype == np.float32
    with pytest.raises(ValueError, match="y has 2 targets"):
        model.partial_fit(X, np.c_[y, y])


def test_defaults_hold_out_distinct_samples_and_train_adam_at_twice_the_books_rate():
    X, y = make_regression(n_samples=300, n_features=5, noise=5.0, random_state=0)
    model = NNFSRegressor(random_state=0).fit(X, y / y.std())
    assert model.optimizer_.learning_rate == 0.002
    assert len(model.validation_scores_) == model.n_iter_
    assert model.best_validation_score_ == max(model.validation_scores_) > 0.9
    # the other optimizers take the classifier's default rates
    sgd = NNFSRegressor(optimizer="sgd", max_iter=1, tol=None).fit(X, y)
    assert sgd.optimizer_.learning_rate == 0.1


def test_early_stopping_scores_are_r2():
    X, y = make_regression(n_samples=300, n_features=5, noise=5.0, random_state=0)
    model = NNFSRegressor(
        (16,), early_stopping=True, learning_rate=0.01, max_iter=300, random_state=0
    ).fit(X, y / y.std())
    assert max(model.validation_scores_) == model.best_validation_score_ > 0.8


def test_verbose_accuracy_is_the_books_precision_accuracy(capsys):
    X, y = sine_data()
    model = NNFSRegressor(
        (8,),
        max_iter=1,
        verbose=1,
        alpha=0.0,
        tol=None,
        learning_rate=1e-12,
        batch_size=None,
        early_stopping=False,  # the log's accuracy is then over all of X
        normalize_y=False,  # and it is in y's own units
        random_state=0,
    )
    model.fit(X, y.ravel())
    close = np.mean(np.abs(model.predict(X) - y.ravel()) < np.std(y) / 250)
    assert capsys.readouterr().out.startswith(f"epoch: 0, acc: {close:.3f}, ")
