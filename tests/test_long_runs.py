"""Concurrency and long runs: threads, repeated fits, pickle size."""

import gc
import pickle
import tracemalloc
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pytest
from sklearn.datasets import make_classification

from sknnfs import NNFSClassifier


@pytest.fixture(scope="module")
def data():
    return make_classification(
        n_samples=400, n_features=10, n_informative=6, n_classes=4, random_state=0
    )


def test_concurrent_predict_from_8_threads_equals_serial(data, monkeypatch):
    X, y = data
    clf = NNFSClassifier((32, 16), max_iter=20, tol=None, random_state=0).fit(X, y)
    # small chunks, so that the threads interleave inside one call too
    monkeypatch.setattr("sknnfs._base.PREDICT_CHUNK_ROWS", 16)
    chunks = [X[i::8] for i in range(8)]
    serial_proba = [clf.predict_proba(chunk) for chunk in chunks]
    serial_labels = [clf.predict(chunk) for chunk in chunks]
    with ThreadPoolExecutor(max_workers=8) as pool:
        for _ in range(5):
            jobs = [
                (pool.submit(clf.predict_proba, chunk), pool.submit(clf.predict, chunk))
                for chunk in chunks
            ]
            for (proba, labels), p, lab in zip(jobs, serial_proba, serial_labels):
                np.testing.assert_array_equal(proba.result(), p)
                np.testing.assert_array_equal(labels.result(), lab)


def traced_growth(step, repeats, warmup=10):
    """Bytes allocated and still held after ``repeats`` more calls of ``step``.

    Tracing starts before the warmup, so that the model a call replaces is
    counted as freed; what remains is what the calls accumulate.
    """
    tracemalloc.start()
    try:
        for _ in range(warmup):
            step()
        gc.collect()
        start, _ = tracemalloc.get_traced_memory()
        for _ in range(repeats):
            step()
        gc.collect()
        end, _ = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return end - start


def tiny_data():
    return make_classification(
        n_samples=40,
        n_features=5,
        n_informative=3,
        n_redundant=0,
        n_classes=3,
        random_state=0,
    )


def test_200_repeated_fits_do_not_grow_memory():
    X, y = tiny_data()
    clf = NNFSClassifier((8,), max_iter=2, tol=None, batch_size=20, random_state=0)
    one_model = len(pickle.dumps(clf.fit(X, y)))
    growth = traced_growth(lambda: clf.fit(X, y), repeats=200)
    # Keeping anything of each fit (a model, an optimizer, a cache) would
    # hold 200 * one_model bytes; numpy's and scikit-learn's own small
    # caches hold a few kilobytes.
    assert growth < 200 * one_model / 20, (growth, one_model)


def test_200_warm_starts_and_partial_fits_do_not_accumulate_state():
    X, y = tiny_data()
    clf = NNFSClassifier(
        (8,), max_iter=1, tol=None, batch_size=20, warm_start=True, random_state=0
    ).fit(X, y)
    state_sizes = {
        name: len(value)
        for name, value in vars(clf.optimizer_).items()
        if isinstance(value, list)
    }
    one_model = len(pickle.dumps(clf))

    def step():
        clf.fit(X, y)
        clf.partial_fit(X, y)

    growth = traced_growth(step, repeats=100)
    assert clf.n_iter_ == 1 + 2 * 110
    # the loss curve grows by design, one float per epoch: 200 of them
    assert growth < 200 * one_model / 20 + 200 * 32, (growth, one_model)
    assert {
        name: len(value)
        for name, value in vars(clf.optimizer_).items()
        if isinstance(value, list)
    } == state_sizes


@pytest.mark.parametrize(
    "optimizer, state_arrays",
    [("sgd", 0), ("sgd-momentum", 1), ("adagrad", 1), ("adam", 2)],
)
def test_a_fitted_model_pickles_to_its_parameters_not_its_activations(
    optimizer, state_arrays
):
    X, y = make_classification(
        n_samples=3000, n_features=20, n_informative=10, n_classes=3, random_state=0
    )
    clf = NNFSClassifier(
        (64, 32), optimizer=optimizer, max_iter=2, tol=None, random_state=0
    ).fit(X, y)
    parameter_bytes = sum(p.nbytes for p in clf.coefs_ + clf.intercepts_)
    size = len(pickle.dumps(clf))
    # parameters, the optimizer's per-parameter state (kept for warm_start),
    # and a few kilobytes: parameters, the random stream, the loss curve
    assert size < (1 + state_arrays) * parameter_bytes + 16_000, size
    # one layer's cached activations would be 3000 * 64 * 8 = 1.5 MB
    assert size < 3000 * 64 * 8 / 10
