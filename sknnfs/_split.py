"""The early-stopping split that keeps equal samples on the same side.

A random split of the rows treats a sample given twice differently from one
given once with ``sample_weight=2``: the two copies may fall on different
sides, and a copy in the validation set scores the model on a sample it was
trained on. :func:`split_distinct_samples` splits the *distinct* samples
instead: rows equal in ``X`` and ``y`` form one group, which is held out or
kept whole. Repeating a row, or weighting it, then makes the same split.
Equal means equal in float32, so that the same data in float32 or float64
makes the same split (rows closer than float32's precision count as one
sample).
For a classifier the split is stratified: each class gives its share of
distinct samples and keeps at least one to train on.
"""

import numpy as np
from scipy import sparse
from sklearn.utils import gen_batches

__all__ = ["sample_keys", "split_distinct_samples"]

_ROWS_AT_A_TIME = 10_000  # bounds the memory of hashing a large X


def _mix(z):
    """Scramble uint64 values, in place (splitmix64's finalizer); return them."""
    z ^= z >> np.uint64(30)
    z *= np.uint64(0xBF58476D1CE4E5B9)
    z ^= z >> np.uint64(27)
    z *= np.uint64(0x94D049BB133111EB)
    z ^= z >> np.uint64(31)
    return z


def _entry_hashes(values, columns):
    """Hash each (value, column) entry; 0 for a value of 0, as sparse omits it.

    The value is hashed as float32, whatever its dtype, so that the float32
    and float64 copies of the same data make the same keys.
    """
    bits = values.astype(np.float32).view(np.uint32).astype(np.uint64)
    salt = _mix(columns.astype(np.uint64) + np.uint64(0x9E3779B97F4A7C15))
    hashes = _mix(bits ^ salt)
    hashes[values == 0] = 0
    return hashes


def _row_hashes(X):
    """Sum (mod 2**64) the entry hashes of each row: equal rows, equal sums."""
    n_rows, n_columns = X.shape
    if sparse.issparse(X):
        X = X.tocsr()
        entries = _entry_hashes(X.data, X.indices)
        sums = np.concatenate([[np.uint64(0)], np.cumsum(entries, dtype=np.uint64)])
        return sums[X.indptr[1:]] - sums[X.indptr[:-1]]
    keys = np.empty(n_rows, np.uint64)
    columns = np.arange(n_columns)
    for rows in gen_batches(n_rows, _ROWS_AT_A_TIME):
        block = np.ascontiguousarray(X[rows])
        keys[rows] = np.add.reduce(_entry_hashes(block, columns), axis=1)
    return keys


def sample_keys(X, y):
    """Return one 64-bit key per sample, equal for samples equal in ``X`` and ``y``.

    Parameters
    ----------
    X : {ndarray, sparse matrix} of shape (n_samples, n_features)
        Float samples.
    y : ndarray of shape (n_samples,) or (n_samples, n_outputs)
        Numeric targets: floats, or class indices.

    Returns
    -------
    keys : ndarray of shape (n_samples,), dtype uint64

    Examples
    --------
    >>> import numpy as np
    >>> from sknnfs._split import sample_keys
    >>> X, y = np.array([[1.0, 0.0], [0.0, 1.0], [1.0, 0.0]]), np.zeros((3, 1))
    >>> keys = sample_keys(X, y)
    >>> bool(keys[0] == keys[2]), bool(keys[0] == keys[1])
    (True, False)
    """
    y_columns = np.ascontiguousarray(y.reshape(len(y), -1))
    y_hashes = _row_hashes(y_columns) * np.uint64(0xD6E8FEB86659FD93)
    return _mix(_row_hashes(X) + y_hashes)


def split_distinct_samples(
    X, y, sample_weight, validation_fraction, random_state, stratify=None
):
    """Hold out ``validation_fraction`` of the distinct samples, drawn at random.

    Parameters
    ----------
    X : {ndarray, sparse matrix} of shape (n_samples, n_features)
        Float samples.
    y : ndarray of shape (n_samples,) or (n_samples, n_outputs)
        Numeric targets: floats, or class indices.
    sample_weight : ndarray of shape (n_samples,) or None
        Split along with ``X`` and ``y``.
    validation_fraction : float
        Share of the distinct samples held out, rounded up, and at least two
        (so that a validation R^2 is defined) where there are enough.
    random_state : numpy.random.RandomState
        Draws which distinct samples are held out.
    stratify : ndarray of shape (n_samples,), default=None
        Class labels: each class then gives its share of distinct samples to
        the held-out part (as ``train_test_split(stratify=...)`` gives its
        share of rows), and keeps at least one to train on.

    Returns
    -------
    X_train, X_val, y_train, y_val, sample_weight_train, sample_weight_val
        As ``train_test_split`` returns them; the weights are None when
        ``sample_weight`` is.

    Raises
    ------
    ValueError
        With fewer than three distinct samples, or, with ``stratify``, when
        no class has a second distinct sample: nothing can be held out.

    Examples
    --------
    >>> import numpy as np
    >>> from sknnfs._split import split_distinct_samples
    >>> X = np.arange(20.0).reshape(10, 2)
    >>> X = np.vstack([X, X[:1]])  # the first sample twice
    >>> y = X[:, :1]
    >>> parts = split_distinct_samples(X, y, None, 0.2, np.random.RandomState(0))
    >>> [len(part) for part in parts[:4]]
    [9, 2, 9, 2]
    """
    # np.unique sorts the groups, so equal sets of samples, in any order and
    # any number of copies, get the same groups and the same draw.
    groups, group_of_row = np.unique(sample_keys(X, y), return_inverse=True)
    group_of_row = group_of_row.ravel()
    n_groups = len(groups)
    if n_groups < 3:
        n_rows = X.shape[0]
        raise ValueError(
            "early_stopping needs at least 3 distinct samples, to hold out 2 "
            f"and train on the rest; got {n_groups} distinct among {n_rows} "
            f"sample{'s' if n_rows != 1 else ''}. Pass more data, or "
            "early_stopping=False."
        )
    n_held_out = max(int(np.ceil(validation_fraction * n_groups)), 2)
    order = random_state.permutation(n_groups)
    if stratify is None:
        n_held_out = min(n_held_out, n_groups - 1)
    else:
        order, n_trained = _stratified(order, group_of_row, stratify)
        n_held_out = min(n_held_out, n_groups - n_trained)
        if n_held_out < 1:
            raise ValueError(
                "early_stopping holds out distinct samples of each class and "
                "keeps one of each to train on, but no class has a second "
                "distinct sample. Pass more data, or early_stopping=False."
            )
    held_out = np.zeros(n_groups, dtype=bool)
    held_out[order[:n_held_out]] = True
    held_out = held_out[group_of_row]
    train, validation = np.flatnonzero(~held_out), np.flatnonzero(held_out)
    weights = (None, None)
    if sample_weight is not None:
        weights = (sample_weight[train], sample_weight[validation])
    return X[train], X[validation], y[train], y[validation], *weights


def _stratified(order, group_of_row, labels):
    """Reorder the drawn groups so that any first part of them is stratified.

    Within its class, the k-th drawn group of a class of n groups stands at
    ``(k + 0.5) / n``; sorting by that interleaves the classes in proportion.
    The last group of each class goes last of all. Returns the new order and
    the number of classes (the groups that must stay to train on).
    """
    group_labels = np.empty(len(order), dtype=labels.dtype)
    group_labels[group_of_row] = labels  # equal samples share their label
    by_class = order[np.argsort(group_labels[order], kind="stable")]
    _, class_of, sizes = np.unique(
        group_labels[by_class], return_inverse=True, return_counts=True
    )
    class_of = class_of.ravel()
    starts = np.concatenate([[0], np.cumsum(sizes)[:-1]])
    rank = np.arange(len(order)) - starts[class_of]
    position = (rank + 0.5) / sizes[class_of]
    position[rank == sizes[class_of] - 1] = np.inf  # each class keeps one
    return by_class[np.argsort(position, kind="stable")], len(sizes)
