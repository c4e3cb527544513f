"""How many BLAS threads the matrix products of a fit or a prediction may use.

numpy's BLAS (OpenBLAS in numpy's wheels) starts a thread per core for each
product big enough to split, and its threads spin-wait for each other. For
the small layers this package mostly trains, a second thread saves nothing
on a quiet machine and costs 2-40x as soon as another process competes for
the cores (two fits at once, ``pytest -n 2``, the workers of a search). So
the estimators run their products on one BLAS thread unless the largest
product of a batch (or of a prediction chunk) is big enough for threads to
pay: ``rows * n_inputs * n_neurons >= THREADS_FROM`` multiply-adds.

``benchmarks/threads.py`` measures the crossing: on the 2-core machine of
``benchmarks/README.md`` two threads win from about 784 x 256 products on
batches of 256 (5e7 multiply-adds); below 1e7 they never win.

The policy only ever lowers the number of threads: a limit the user set
(``threadpoolctl.threadpool_limits(1)`` around a call, or
``OPENBLAS_NUM_THREADS``) always wins, and the number in force before the
call is restored after it, also when several threads of the process fit or
predict at once.
"""

import threading
from contextlib import nullcontext

from threadpoolctl import ThreadpoolController

__all__ = ["THREADS_FROM", "blas_threads", "largest_product"]

#: Multiply-adds of one product from which BLAS threads may be used (see above).
THREADS_FROM = 20_000_000
#: Below this OpenBLAS takes one thread by itself (its smallest threshold, of
#: matrix-vector products: 2304 times GEMM_MULTITHREAD_THRESHOLD, 4), so that
#: setting the limit would only add the calls' cost to one-row predictions.
ONE_THREAD_ANYWAY = 9216

_lock = threading.Lock()
_blas = None  # the BLAS libraries' controllers, looked up once (about 1 ms)
_active = 0  # the calls running under the limit, in all threads
_restore = []  # (controller, number of threads) to set back when none runs


def largest_product(rows, coefs):
    """Return the multiply-adds of the largest product of ``rows`` rows by ``coefs``.

    Examples
    --------
    >>> import numpy as np
    >>> from sknnfs._threads import largest_product
    >>> largest_product(200, [np.empty((64, 100)), np.empty((100, 10))])
    1280000
    """
    return rows * max(w.shape[0] * w.shape[1] for w in coefs)


def _blas_controllers():
    global _blas
    if _blas is None:
        _blas = ThreadpoolController().select(user_api="blas").lib_controllers
    return _blas


def blas_threads(multiply_adds):
    """Return a context running its block on one BLAS thread if its products are small.

    Parameters
    ----------
    multiply_adds : int
        The size of the block's largest matrix product (see
        :func:`largest_product`).

    Returns
    -------
    context : context manager
        Does nothing when the products are large enough for threads, or so
        small that OpenBLAS takes one thread by itself.

    Examples
    --------
    >>> import numpy as np
    >>> from sknnfs._threads import blas_threads
    >>> with blas_threads(100_000):  # a small product: one thread
    ...     product = np.ones((10, 10)) @ np.ones((10, 10))
    """
    if ONE_THREAD_ANYWAY <= multiply_adds < THREADS_FROM:
        return _ONE_THREAD
    return _UNCHANGED  # (a plain object: cheaper than a generator's context)


class _OneThread:
    def __enter__(self):
        _enter()

    def __exit__(self, *exc_info):
        _leave()


_ONE_THREAD, _UNCHANGED = _OneThread(), nullcontext()


def _enter():
    # Each call is cheap (a few microseconds): the controllers are looked up
    # once and asked directly, so that a one-row prediction does not pay
    # threadpoolctl's full limit (about 0.4 ms).
    global _active
    with _lock:
        _active += 1
        for blas in _blas_controllers():
            threads = blas.get_num_threads()
            if threads is not None and threads > 1:  # never raised, only lowered
                _restore.append((blas, threads))
                blas.set_num_threads(1)


def _leave():
    global _active
    with _lock:
        _active -= 1
        if _active == 0:  # the last one out restores what it found
            for blas, threads in reversed(_restore):
                blas.set_num_threads(threads)
            _restore.clear()
