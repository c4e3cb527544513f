"""Searches on a real Dask cluster, and partial_fit over a chunked dask array.

The cluster is a distributed.LocalCluster of 2 worker processes (1 thread
each) on the loopback interface. One test starts it, runs the checks below on
it and shuts it down: with pytest-xdist, tests of a module may run on two
workers at once, and a cluster per test would double the processes.
docs/user_guide/scaling_out.rst shows the same code against a real scheduler.
"""

import dask.array as da
import joblib
import numpy as np
import pytest
from dask_ml.wrappers import Incremental
from distributed import Client, LocalCluster
from sklearn.datasets import make_classification
from sklearn.model_selection import GridSearchCV, StratifiedKFold

from sknnfs import NNFSClassifier

TIMING_KEYS = {"mean_fit_time", "std_fit_time", "mean_score_time", "std_score_time"}


def test_on_a_local_cluster(data):
    with (
        LocalCluster(
            n_workers=2,
            processes=True,
            threads_per_worker=1,
            host="127.0.0.1",
            dashboard_address="127.0.0.1:0",  # its HTTP server: loopback, any port
            worker_dashboard_address=None,
        ) as cluster,
        Client(cluster) as client,
    ):
        check_cluster_has_two_worker_processes(client)
        check_grid_search_on_the_cluster_gives_the_local_results(client, data)
        check_incremental_partial_fit_over_a_chunked_dask_array(client, data)


@pytest.fixture(scope="module")
def data():
    return make_classification(
        n_samples=300, n_features=8, n_informative=4, random_state=0
    )


def check_cluster_has_two_worker_processes(client):
    workers = client.scheduler_info()["workers"]
    assert len(workers) == 2
    assert all(w["nthreads"] == 1 for w in workers.values())
    assert all(address.startswith("tcp://127.0.0.1:") for address in workers)


def check_grid_search_on_the_cluster_gives_the_local_results(client, data):
    X, y = data

    def search(n_jobs):
        return GridSearchCV(
            NNFSClassifier((16,), max_iter=30, tol=None, random_state=0),
            {"learning_rate": [0.001, 0.01], "optimizer": ["adam", "rmsprop"]},
            cv=StratifiedKFold(n_splits=3, shuffle=True, random_state=0),
            n_jobs=n_jobs,
        )

    local = search(n_jobs=1).fit(X, y)
    with joblib.parallel_backend("dask"):
        remote = search(n_jobs=-1).fit(X, y)

    # the fits ran as tasks of the cluster (batch_of__fit_and_score_...)
    prefixes = client.run_on_scheduler(
        lambda dask_scheduler: list(dask_scheduler.task_prefixes)
    )
    assert any("_fit_and_score" in key for key in prefixes), prefixes
    assert local.cv_results_.keys() == remote.cv_results_.keys()
    for key in local.cv_results_.keys() - TIMING_KEYS:
        np.testing.assert_array_equal(
            remote.cv_results_[key], local.cv_results_[key], err_msg=key
        )
    assert remote.best_params_ == local.best_params_
    assert remote.best_score_ > 0.75
    for a, b in zip(remote.best_estimator_.coefs_, local.best_estimator_.coefs_):
        np.testing.assert_array_equal(a, b)


def check_incremental_partial_fit_over_a_chunked_dask_array(client, data):
    X, y = data
    dX = da.from_array(X, chunks=(100, 8))
    dy = da.from_array(y, chunks=100)
    assert dX.numblocks == (3, 1)  # more than one chunk

    def model():
        return NNFSClassifier((16,), learning_rate=0.01, random_state=0)

    incremental = Incremental(model(), shuffle_blocks=False)
    for _ in range(10):  # 10 passes over the 3 blocks, one partial_fit each
        incremental.partial_fit(dX, dy, classes=[0, 1])
    fitted = incremental.estimator_
    assert fitted.n_iter_ == 30 and fitted.t_ == 10 * len(y)

    # the same calls on the local chunks give the same model
    local = model()
    for _ in range(10):
        for rows in (slice(0, 100), slice(100, 200), slice(200, 300)):
            local.partial_fit(X[rows], y[rows], classes=[0, 1])
    for a, b in zip(fitted.coefs_, local.coefs_):
        np.testing.assert_array_equal(a, b)

    # it learned, and it predicts a dask array chunk by chunk
    predictions = incremental.predict(dX)
    assert isinstance(predictions, da.Array)
    assert (predictions.compute() == y).mean() > 0.8
