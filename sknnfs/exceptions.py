"""Errors raised by sknnfs."""

__all__ = ["DivergenceError"]


class DivergenceError(ValueError):
    """Training diverged: the loss or the parameters stopped being finite.

    This is the book's "gradient explosion". The message names the epoch and
    the learning rate; lower the rate or scale the inputs. No model with
    non-finite weights is kept: after a failed ``fit`` the estimator is not
    fitted; after a failed ``partial_fit`` or warm start it keeps the model
    it had. Being a ``ValueError``, it is what a grid search records as a
    failed fit (``error_score``) rather than a crash.

    Examples
    --------
    >>> import numpy as np
    >>> from sknnfs import NNFSClassifier
    >>> from sknnfs.exceptions import DivergenceError
    >>> X = np.array([[0.0], [1e30], [2e30], [3e30], [4e30], [5e30]])
    >>> clf = NNFSClassifier(optimizer="sgd", learning_rate=1e6, tol=None,
    ...                      random_state=0)
    >>> try:
    ...     clf.fit(X, [0, 1, 2, 0, 1, 2])
    ... except DivergenceError as error:
    ...     print(str(error).split(":")[0])
    Training diverged at epoch 7
    """
