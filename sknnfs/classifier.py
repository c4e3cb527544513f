"""NNFSClassifier: the book's network as a scikit-learn classifier."""

import numpy as np
from sklearn.base import ClassifierMixin
from sklearn.utils.multiclass import check_classification_targets
from sklearn.utils.validation import check_is_fitted, validate_data

from ._base import BaseNNFS


class NNFSClassifier(ClassifierMixin, BaseNNFS):
    """Multi-layer perceptron classifier built from *Neural Networks from Scratch*.

    Dense layers with a hidden activation, a softmax output and categorical
    cross-entropy, trained by the book's optimizers. The parameter and
    attribute names follow :class:`~sklearn.neural_network.MLPClassifier`
    where the meaning is the same, so switching between the two is a one-line
    change. With ``init='nnfs'``, ``batch_size=None``, ``shuffle=False``,
    ``alpha=0.0`` and ``tol=None`` the training is exactly the book's.

    Parameters
    ----------
    hidden_layer_sizes : tuple of int, default=(100,)
        Number of neurons in each hidden layer.
    activation : {'relu', 'logistic', 'tanh', 'identity'}, default='relu'
        Hidden-layer activation; ``'relu'`` is the book's.
    optimizer : {'sgd', 'sgd-momentum', 'adagrad', 'rmsprop', 'adam'} or object, \
default='adam'
        A named optimizer, configured by the parameters below, or an optimizer
        object such as :class:`sknnfs.optimizers.SGD` (or any object with
        ``pre_update_params()``, ``update_params(params, grads)`` and
        ``post_update_params()``). An object is cloned, never changed; its
        settings are tuned as ``optimizer__<name>``.
    learning_rate : float, default=None
        Initial learning rate; None is the book's default for the optimizer
        (1.0 for SGD and AdaGrad, 0.001 for RMSprop and Adam).
    decay : float, default=0.0
        The book's 1/t decay: step ``t`` uses
        ``learning_rate / (1 + decay * t)``, with ``t`` counting batches.
    momentum : float, default=None
        Momentum of the SGD optimizers, in ``[0, 1)``; None is 0 for ``'sgd'``
        and 0.9 for ``'sgd-momentum'``. Not used by the others.
    epsilon : float, default=1e-7
        Keeps AdaGrad's, RMSprop's and Adam's division finite.
    rho : float, default=0.9
        RMSprop's decay of the squared-gradient average.
    beta_1, beta_2 : float, default=0.9, 0.999
        Adam's decays of the gradient and squared-gradient averages.
    alpha : float, default=0.0001
        L2 penalty on the weights, as in MLPClassifier; 0.0 is the book's.
    batch_size : int, 'auto' or None, default=32
        Samples per optimizer step (at most the number of samples);
        ``'auto'`` is MLPClassifier's ``min(200, n_samples)``, None the whole
        training set (the book's way). Small batches take more steps per
        epoch, which small data sets need.
    max_iter : int, default=200
        Maximum number of epochs (passes over the data) per ``fit``.
    tol : float or None, default=1e-4
        Training stops when the loss (or the validation score, with
        ``early_stopping``) has not improved by ``tol`` for
        ``n_iter_no_change`` epochs. None trains for exactly ``max_iter``.
    n_iter_no_change : int, default=10
        See ``tol``.
    shuffle : bool, default=True
        Whether to shuffle the samples every epoch (when there are several
        batches; a single full batch is never shuffled).
    random_state : int, RandomState instance or None, default=None
        Draws the initial weights, the shuffles and the validation split.
        None is numpy's global random state, as in the book.
    init : {'glorot', 'he', 'nnfs'}, default='glorot'
        Initial weights: MLPClassifier's Glorot uniform, He normal, or the
        book's ``0.01 * randn(n_inputs, n_neurons)``. Biases start at zero.
    early_stopping : bool, default=False
        Hold out ``validation_fraction`` of the data (stratified), stop when
        its accuracy stops improving, and keep the best epoch's weights.
    validation_fraction : float, default=0.1
        See ``early_stopping``.
    warm_start : bool, default=False
        Continue from the fitted weights and optimizer state on the next
        ``fit``, with any changed optimizer settings applied.
    verbose : int, default=0
        Print the book's log line every ``verbose`` epochs, e.g.
        ``epoch: 100, acc: 0.407, loss: 1.083`` (followed by
        ``, lr: <rate>`` when decay is on); 0 is silent.

    Attributes
    ----------
    classes_ : ndarray of shape (n_classes,)
        Class labels.
    coefs_ : list of ndarray
        Weight matrix of each layer, ``coefs_[i]`` of shape (n_in, n_out).
    intercepts_ : list of ndarray
        Bias vector of each layer.
    optimizer_ : object
        The optimizer used, with its state; ``optimizer_.current_learning_rate``
        is the decayed learning rate.
    loss_ : float
        Training loss of the last epoch.
    loss_curve_ : list of float
        Training loss of each epoch (sample-weighted mean over its batches).
    best_loss_ : float
        Lowest training loss of an epoch.
    validation_scores_ : list of float or None
        Validation accuracy of each epoch with ``early_stopping``, else None.
    best_validation_score_ : float or None
        Best validation accuracy with ``early_stopping``, else None.
    n_iter_ : int
        Epochs run in all, counting those of earlier ``warm_start`` and
        ``partial_fit`` calls.
    t_ : int
        Training samples seen in all.
    n_layers_ : int
        Number of layers, input and output included.
    n_outputs_ : int
        Number of outputs (classes).
    out_activation_ : str
        ``'softmax'``.
    n_features_in_ : int
        Number of features seen during fit.
    feature_names_in_ : ndarray of shape (`n_features_in_`,)
        Feature names, when X has string column names.

    See Also
    --------
    sklearn.neural_network.MLPClassifier : scikit-learn's multi-layer perceptron.

    Examples
    --------
    >>> from nnfs.datasets import spiral_data
    >>> from sknnfs import NNFSClassifier
    >>> X, y = spiral_data(samples=100, classes=3)
    >>> clf = NNFSClassifier((64,), optimizer="sgd-momentum", decay=1e-3,
    ...                      max_iter=3, tol=None, verbose=1, random_state=0)
    >>> clf.fit(X, y)  # doctest: +ELLIPSIS
    epoch: 0, acc: ..., loss: ..., lr: 1.0
    epoch: 1, acc: ..., loss: ..., lr: 0.9...
    epoch: 2, acc: ..., loss: ..., lr: 0.9...
    NNFSClassifier(decay=0.001, hidden_layer_sizes=(64,), max_iter=3,
                   optimizer='sgd-momentum', random_state=0, tol=None, verbose=1)
    >>> clf.predict_proba(X[:2]).shape
    (2, 3)
    """

    _stratify = True

    def fit(self, X, y, sample_weight=None):
        """Train the network on ``X`` and ``y``.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Training data; float32 stays float32.
        y : array-like of shape (n_samples,)
            Class labels, of any type.
        sample_weight : array-like of shape (n_samples,), default=None
            Weight of each sample in the loss, a weighted mean.

        Returns
        -------
        self : NNFSClassifier
            The fitted estimator.
        """
        self._validate_params()
        return self._fit(X, y, sample_weight)

    def partial_fit(self, X, y, classes=None, sample_weight=None):
        """Train for one epoch on ``X`` and ``y``, continuing from the last call.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Training data.
        y : array-like of shape (n_samples,)
            Class labels, all of them among ``classes``.
        classes : array-like of shape (n_classes,), default=None
            Every class of the whole problem; required on the first call.
        sample_weight : array-like of shape (n_samples,), default=None
            Weight of each sample in the loss.

        Returns
        -------
        self : NNFSClassifier
            The updated estimator.
        """
        if not hasattr(self, "coefs_"):
            self._validate_params()
            if classes is None:
                raise ValueError(
                    "classes must be passed on the first call to partial_fit: "
                    "every class of the problem, e.g. classes=np.unique(y_all)."
                )
        return self._fit(X, y, sample_weight, incremental=True, classes=classes)

    def _encode_targets(self, y, fresh, classes=None):
        """Class indices of ``y``; on a fresh start, set ``classes_``."""
        check_classification_targets(y)
        if fresh:
            self.classes_ = np.unique(y if classes is None else classes)
            if len(self.classes_) < 2:
                raise ValueError(
                    f"{type(self).__name__} needs samples of at least 2 classes, but "
                    f"the data contains only one class: {self.classes_[0]!r}."
                )
            self.n_outputs_ = len(self.classes_)
            self.out_activation_ = "softmax"
        unknown = np.setdiff1d(y, self.classes_)
        if len(unknown):
            raise ValueError(
                f"y contains labels not seen in the first fit or given in classes: "
                f"{unknown.tolist()}. Pass every class in `classes` on the first "
                "call to partial_fit."
            )
        return np.searchsorted(self.classes_, y)

    def _training_score(self, probabilities, y, sample_weight=None):
        """Accuracy of ``probabilities`` against class indices ``y``."""
        return float(
            np.average(np.argmax(probabilities, axis=1) == y, weights=sample_weight)
        )

    def predict_proba(self, X):
        """Class probabilities of each sample.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Input data.

        Returns
        -------
        proba : ndarray of shape (n_samples, n_classes)
            Probability of each class, in the order of ``classes_``.
        """
        check_is_fitted(self)
        X = validate_data(
            self,
            X,
            accept_sparse=["csr", "csc"],
            dtype=[np.float64, np.float32],
            reset=False,
        )
        if hasattr(X, "tocsr"):
            X = X.tocsr()
        return self._predict_proba_chunked(self._network(), X)

    def predict_log_proba(self, X):
        """Logarithm of the class probabilities of each sample.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Input data.

        Returns
        -------
        log_proba : ndarray of shape (n_samples, n_classes)
            Log-probability of each class, in the order of ``classes_``.
        """
        return np.log(self.predict_proba(X))

    def predict(self, X):
        """Most probable class of each sample.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Input data.

        Returns
        -------
        y : ndarray of shape (n_samples,)
            Predicted class labels.
        """
        probabilities = self.predict_proba(X)
        return self.classes_[np.argmax(probabilities, axis=1)]
