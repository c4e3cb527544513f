import numpy as np
import pytest
from scipy import sparse
from sklearn.datasets import load_diabetes, make_regression
from sklearn.preprocessing import StandardScaler

from sknnfs import NNFSClassifier, NNFSRegressor
from sknnfs._split import sample_keys, split_distinct_samples


@pytest.fixture
def data():
    rng = np.random.RandomState(0)
    X = rng.randn(200, 5)
    X[rng.rand(*X.shape) < 0.3] = 0.0  # zeros, which a sparse X leaves out
    return X, X[:, :2] @ np.array([[1.0], [-2.0]])


def as_set(rows):
    return {tuple(row) for row in rows}


def test_keys_are_equal_exactly_for_equal_samples(data):
    X, y = data
    keys = sample_keys(np.vstack([X, X[:10]]), np.vstack([y, y[:10]]))
    np.testing.assert_array_equal(keys[200:], keys[:10])
    assert len(np.unique(keys[:200])) == 200
    other_y = y.copy()
    other_y[0] += 1.0  # the same features with another target: another sample
    assert sample_keys(X, other_y)[0] != keys[0]


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_keys_do_not_depend_on_the_format_or_the_order(data, dtype):
    X, y = (a.astype(dtype) for a in data)
    keys = sample_keys(X, y)
    sparse_X = sparse.csr_matrix(X)
    sparse_X.data[:5] = 0.0  # explicit zeros count as zeros
    X_zeroed = sparse_X.toarray()
    np.testing.assert_array_equal(sample_keys(sparse_X, y), sample_keys(X_zeroed, y))
    order = np.random.RandomState(1).permutation(len(X))
    np.testing.assert_array_equal(sample_keys(X[order], y[order]), keys[order])
    negative_zero = X.copy()
    negative_zero[X == 0] = -0.0
    np.testing.assert_array_equal(sample_keys(negative_zero, y), keys)


def test_equal_samples_are_held_out_together(data):
    X, y = data
    X, y = np.vstack([X, X[:50]]), np.vstack([y, y[:50]])
    X_train, X_val, y_train, y_val, w_train, w_val = split_distinct_samples(
        X, y, None, 0.25, np.random.RandomState(0)
    )
    assert w_train is None and w_val is None
    assert not as_set(X_train) & as_set(X_val)
    assert len(as_set(X_val)) == 50  # a quarter of the 200 distinct samples
    assert len(X_train) + len(X_val) == 250
    assert as_set(np.hstack([X_val, y_val])) <= as_set(np.hstack([X, y]))


def test_a_repeated_sample_and_a_weighted_one_make_the_same_split(data):
    X, y = data
    counts = np.random.RandomState(2).randint(1, 4, size=len(X))
    weighted = split_distinct_samples(
        X, y, counts.astype(float), 0.1, np.random.RandomState(0)
    )
    repeated = split_distinct_samples(
        X.repeat(counts, axis=0),
        y.repeat(counts, axis=0),
        None,
        0.1,
        np.random.RandomState(0),
    )
    assert as_set(weighted[1]) == as_set(repeated[1])
    assert weighted[5].sum() == len(repeated[1])


def test_early_stopping_treats_a_weight_as_repeats(data):
    X, y = data
    counts = np.random.RandomState(3).randint(0, 4, size=len(X))
    settings = dict(
        hidden_layer_sizes=(8,), early_stopping=True, batch_size=None, random_state=0
    )
    weighted = NNFSRegressor(**settings).fit(X, y.ravel(), sample_weight=counts)
    repeated = NNFSRegressor(**settings).fit(
        X.repeat(counts, axis=0), y.ravel().repeat(counts)
    )
    assert weighted.n_iter_ == repeated.n_iter_
    np.testing.assert_allclose(
        weighted.validation_scores_, repeated.validation_scores_, rtol=1e-10
    )
    np.testing.assert_allclose(weighted.predict(X), repeated.predict(X), rtol=1e-9)


def test_at_least_two_samples_are_held_out_and_one_trained_on():
    X, y = np.arange(3.0).reshape(3, 1), np.zeros((3, 1))
    parts = split_distinct_samples(X, y, None, 0.1, np.random.RandomState(0))
    assert (len(parts[0]), len(parts[1])) == (1, 2)


@pytest.mark.parametrize("n_distinct", [1, 2])
def test_too_few_distinct_samples_say_what_to_do(n_distinct):
    X = np.arange(5.0).reshape(-1, 1) % n_distinct
    with pytest.raises(ValueError, match=f"got {n_distinct} distinct among 5 samples"):
        NNFSRegressor(early_stopping=True).fit(X, X.ravel())
    assert NNFSRegressor(early_stopping=False, max_iter=5).fit(X, X.ravel()).n_iter_


def test_the_classifiers_split_keeps_the_class_proportions_of_distinct_samples():
    rng = np.random.RandomState(0)
    labels = np.repeat([0, 1, 2], [100, 50, 10])
    X = rng.randn(len(labels), 3)
    y = labels.reshape(-1, 1).astype(float)
    _, X_val, _, y_val, _, _ = split_distinct_samples(
        X, y, None, 0.2, np.random.RandomState(0), stratify=labels
    )
    assert np.bincount(y_val.ravel().astype(int)).tolist() == [20, 10, 2]
    # a class of one distinct sample stays to train on
    X, y, labels = X[:101], y[:101], labels[:101]
    _, X_val, _, y_val, _, _ = split_distinct_samples(
        X, y, None, 0.5, np.random.RandomState(0), stratify=labels
    )
    assert set(y_val.ravel()) == {0.0} and len(y_val) == 51


def test_classifier_early_stopping_treats_a_weight_as_repeats():
    rng = np.random.RandomState(0)
    X = rng.randn(150, 4)
    y = (X[:, 0] + X[:, 1] > 0).astype(int) + (X[:, 2] > 1)
    counts = rng.randint(0, 4, size=len(X))
    settings = dict(
        hidden_layer_sizes=(8,), early_stopping=True, batch_size=None, random_state=0
    )
    weighted = NNFSClassifier(**settings).fit(X, y, sample_weight=counts)
    repeated = NNFSClassifier(**settings).fit(
        X.repeat(counts, axis=0), y.repeat(counts)
    )
    assert weighted.n_iter_ == repeated.n_iter_
    np.testing.assert_allclose(
        weighted.validation_scores_, repeated.validation_scores_, rtol=1e-10
    )
    np.testing.assert_allclose(
        weighted.predict_proba(X), repeated.predict_proba(X), rtol=1e-9
    )


def test_the_float32_and_float64_copies_of_data_make_the_same_keys():
    X, y = make_regression(n_samples=200, n_features=4, random_state=0)
    np.testing.assert_array_equal(
        sample_keys(X, y), sample_keys(X.astype(np.float32), y.astype(np.float32))
    )


@pytest.mark.parametrize("Estimator", [NNFSRegressor, NNFSClassifier])
def test_early_stopping_splits_equal_data_alike_whatever_its_dtype(Estimator):
    X, y = load_diabetes(return_X_y=True)
    X = StandardScaler().fit_transform(X)
    if Estimator is NNFSClassifier:
        y = (y > np.median(y)).astype(int)
    settings = dict(early_stopping=True, random_state=1)
    in_64 = Estimator(**settings).fit(X, y)
    in_32 = Estimator(**settings).fit(X.astype(np.float32), y)
    # the same held-out samples: the same stopping epoch and close models
    assert in_64.n_iter_ == in_32.n_iter_
    np.testing.assert_allclose(
        in_32.validation_scores_, in_64.validation_scores_, rtol=1e-4
    )
    method = "predict" if Estimator is NNFSRegressor else "predict_proba"
    np.testing.assert_allclose(
        getattr(in_32, method)(X.astype(np.float32)),
        getattr(in_64, method)(X),
        rtol=1e-4,
        atol=1e-6,
    )
