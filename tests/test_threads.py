"""The BLAS thread policy: one thread for small products, never raised, restored."""

import threading

import numpy as np
import pytest
from sklearn.datasets import load_iris
from threadpoolctl import threadpool_info, threadpool_limits

from sknnfs import NNFSClassifier, _base, _threads
from sknnfs.exceptions import DivergenceError
from sknnfs.optimizers import SGD

X, Y = load_iris(return_X_y=True)


def blas_threads_now():
    return {
        info["filepath"]: info["num_threads"]
        for info in threadpool_info()
        if info["user_api"] == "blas"
    }


def numpy_blas_threads():
    """The largest thread count of the BLAS libraries the policy controls.

    They are looked up once, at the first fit (numpy's among them, which
    numpy loads on import); a BLAS loaded later (scipy's) is not one np.dot
    uses, and is left alone.
    """
    return max(blas.get_num_threads() for blas in _threads._blas_controllers())


def test_numpy_s_blas_is_controlled():
    numpy_blas = [
        path for path in blas_threads_now() if "numpy" in path.replace("\\", "/")
    ]
    controlled = [blas.filepath for blas in _threads._blas_controllers()]
    assert set(numpy_blas) <= set(controlled)


class RecordingSGD(SGD):
    """SGD that records the BLAS threads in force at each step."""

    seen = []

    def update_params(self, params, grads):
        RecordingSGD.seen.append(numpy_blas_threads())
        super().update_params(params, grads)


@pytest.fixture
def recorded():
    RecordingSGD.seen = []
    return RecordingSGD.seen


def fit_small(**params):
    settings = dict(
        hidden_layer_sizes=(64,),
        batch_size=None,  # 150 rows x 4 x 64: above ONE_THREAD_ANYWAY
        optimizer=RecordingSGD(0.01),
        max_iter=2,
        tol=None,
        random_state=0,
    )
    return NNFSClassifier(**{**settings, **params}).fit(X, Y)


def test_a_small_network_trains_on_one_thread_and_restores_the_count(recorded):
    with threadpool_limits(2, user_api="blas"):
        before = blas_threads_now()
        fit_small()
        assert blas_threads_now() == before
    assert recorded and set(recorded) == {1}


def test_a_large_product_keeps_the_threads(recorded, monkeypatch):
    monkeypatch.setattr(_threads, "THREADS_FROM", 1000)
    with threadpool_limits(2, user_api="blas"):
        fit_small()
    assert set(recorded) == {2}


def test_an_outer_limit_wins_and_stays(recorded, monkeypatch):
    monkeypatch.setattr(_threads, "THREADS_FROM", 1000)  # would leave 2 threads
    with threadpool_limits(1, user_api="blas"):
        fit_small()
        assert numpy_blas_threads() == 1
    assert set(recorded) == {1}


def test_the_count_is_restored_when_fit_fails():
    with threadpool_limits(2, user_api="blas"):
        before = blas_threads_now()
        with pytest.raises(DivergenceError), np.errstate(all="ignore"):
            NNFSClassifier(
                (64,),
                optimizer="sgd",
                learning_rate=1e30,
                batch_size=None,  # large enough to be limited
                max_iter=5,
                tol=None,
                random_state=0,
            ).fit(X * 1e20, Y)
        assert blas_threads_now() == before


def test_predictions_run_on_one_thread(monkeypatch):
    model = fit_small(optimizer="sgd")
    seen = []
    predict = _base._predict

    def recording(network, X, logits=False):
        seen.append(numpy_blas_threads())
        return predict(network, X, logits)

    monkeypatch.setattr(_base, "_predict", recording)
    with threadpool_limits(2, user_api="blas"):
        before = blas_threads_now()
        model.predict(X)
        model.score(X, Y)
        model.predict_proba(X)
        assert blas_threads_now() == before
    assert seen == [1, 1, 1]


def test_threads_fitting_at_once_restore_the_count_at_the_end():
    errors = []

    def fit():
        try:
            for _ in range(5):
                fit_small(optimizer="sgd", max_iter=3)
        except Exception as error:  # pragma: no cover - reported below
            errors.append(error)

    with threadpool_limits(2, user_api="blas"):
        before = blas_threads_now()
        workers = [threading.Thread(target=fit) for _ in range(4)]
        for worker in workers:
            worker.start()
        for worker in workers:
            worker.join()
        assert blas_threads_now() == before
    assert not errors


def test_largest_product_is_rows_times_the_largest_layer():
    coefs = [np.empty((784, 256)), np.empty((256, 128)), np.empty((128, 10))]
    assert _threads.largest_product(256, coefs) == 256 * 784 * 256
