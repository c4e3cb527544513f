"""NNFSRegressor: the book's regression network as a scikit-learn regressor."""

import functools

import numpy as np
from sklearn.base import RegressorMixin
from sklearn.metrics import r2_score

from ._base import BaseNNFS, store_params
from ._callbacks import with_callbacks
from ._hooks import warn_in_user_code


class NNFSRegressor(RegressorMixin, BaseNNFS):
    """Multi-layer perceptron regressor built from *Neural Networks from Scratch*.

    The classifier's network with a linear output and mean squared error (the
    book's chapter 17), for one or several targets, trained by the book's
    optimizers. Parameters and attributes follow
    :class:`~sklearn.neural_network.MLPRegressor` where the meaning is the
    same; the loss is the book's ``mean((y - output)**2)``, twice
    MLPRegressor's.

    Parameters
    ----------
    hidden_layer_sizes : tuple of int, default=(100,)
        Number of neurons in each hidden layer.
    activation : {'relu', 'logistic', 'tanh', 'identity'}, default='relu'
        Hidden-layer activation; ``'relu'`` is the book's.
    optimizer : {'sgd', 'sgd-momentum', 'adagrad', 'rmsprop', 'adam'} or object, \
default='adam'
        A named optimizer, or an optimizer object (see
        :class:`~sknnfs.NNFSClassifier`).
    learning_rate : float, default=None
        Initial learning rate; None is the optimizer's default (see
        :class:`~sknnfs.NNFSClassifier`), except Adam's: 0.002, twice the
        book's (and MLPRegressor's) 0.001. With early stopping guarding
        against fitting the noise, the faster rate gets further within
        ``max_iter`` epochs on small data
        (``benchmarks/default_regression.py``).
    decay : float, default=0.0
        The book's 1/t decay, per batch.
    schedule : {'plateau'}, schedule object or None, default=None
        A learning-rate schedule run after every epoch, e.g. ``'plateau'``,
        MLPRegressor's ``learning_rate='adaptive'`` (see
        :class:`~sknnfs.NNFSClassifier`).
    momentum : float, default=None
        The optimizer's momentum: SGD's and RMSprop's, and Adam's ``beta_1``;
        None is 0 for ``'sgd'`` and ``'rmsprop'``, 0.9 for
        ``'sgd-momentum'`` and ``beta_1`` for ``'adam'``. AdaGrad has none.
    nesterov : bool, default=False
        Nesterov's momentum for the SGD optimizers.
    epsilon : float, default=1e-7
        Keeps AdaGrad's, RMSprop's and Adam's division finite.
    rho : float, default=0.9
        RMSprop's decay of the squared-gradient average.
    beta_1, beta_2 : float, default=0.9, 0.999
        Adam's decays of the gradient and squared-gradient averages. A
        setting that the chosen optimizer does not use is refused unless it
        is at its default, as in :class:`~sknnfs.NNFSClassifier`.
    alpha : float, default=0.0001
        L2 penalty on the weights, as in MLPRegressor.
    weight_l1, weight_l2, bias_l1, bias_l2 : float or sequence, default=0.0
        The book's L1 and L2 regularizers, for every layer or one per layer.
    dropout : float or sequence, default=0.0
        Dropout rate after each hidden layer while training; with the
        book's ``init``, float64 masks, as for the classifier.
    batch_size : int, 'auto' or None, default='auto'
        Samples per optimizer step; ``'auto'`` is MLPRegressor's
        ``min(200, n_samples)``, None the whole training set. The classifier's
        32 takes six times the steps per epoch, and on small, noisy
        regression data such as scikit-learn's diabetes it fits the noise.
    max_iter : int, default=200
        Maximum number of epochs per ``fit``.
    tol : float or None, default=1e-4
        Stop when the loss (or the validation R^2) has not improved by ``tol``
        for ``n_iter_no_change`` epochs; None trains for ``max_iter`` epochs.
    n_iter_no_change : int or np.inf, default=10
        See ``tol``; ``np.inf`` never stops on ``tol`` (with early stopping,
        the best epoch's weights are still kept), as in MLPClassifier.
    shuffle : bool, default=True
        Whether to shuffle the samples every epoch.
    random_state : int, RandomState instance or None, default=None
        Draws the initial weights, shuffles, dropout masks and the validation
        split; None is numpy's global random state.
    init : {'glorot', 'he', 'nnfs'} or float, default='glorot'
        Initial weights and biases (see :class:`~sknnfs.NNFSClassifier`); a
        positive float ``s`` is the book's ``s * randn(n_inputs, n_neurons)``,
        and the book's regression (chapter 17) uses ``init=0.1``.
    early_stopping : bool, default=True
        Hold out ``validation_fraction`` of the data, stop when its R^2 stops
        improving by ``tol`` for ``n_iter_no_change`` epochs, and keep the best
        epoch's weights (MLPRegressor's default is False). The held-out part is
        made of whole distinct samples: rows equal in X and y stay together,
        so a sample given twice and one given with ``sample_weight=2`` make
        the same split, and no copy of a training sample is scored. Needs at
        least 3 distinct samples. ``partial_fit`` holds nothing out, so that
        it works with the defaults (MLPRegressor refuses it with early
        stopping on).
    validation_fraction : float, default=0.1
        Share of the distinct samples held out, rounded up; at least 2 are,
        so that the validation R^2 is defined.
    normalize_y : bool, default=True
        Train on the standardized target, ``(y - y_mean_) / y_scale_`` (the
        sample-weighted mean and standard deviation of each column), and
        predict in the target's own units: the defaults then train as well
        on a raw target (prices, counts) as on a standardized one. The loss
        and the log are in the standardized units. Fitted once, on a fresh
        ``fit`` (or the first ``partial_fit``, on its batch), and kept by
        ``warm_start``. False trains on ``y`` as given, as the book and
        MLPRegressor do.
    warm_start : bool, default=False
        Continue from the fitted weights and optimizer state on the next fit
        (see :class:`~sknnfs.NNFSClassifier`).
    verbose : int, default=0
        Print the book's chapter 17 log line every ``verbose`` epochs,
        ``epoch: 100, acc: 0.017, loss: 0.048 (data_loss: 0.048, reg_loss:
        0.000)``, with ``, lr: ...`` once decay is on; its ``acc`` is the
        book's regression accuracy, the share of predictions within
        ``std(y) / 250`` of the target. With ``normalize_y``, a first line
        says that the loss is in units of the standardized target.

    Attributes
    ----------
    coefs_, intercepts_ : list of ndarray
        Weights and biases of each layer.
    optimizer_ : object
        The optimizer used, with its state.
    loss_, loss_curve_, best_loss_ : float, list of float, float
        Training loss of the last epoch, of each epoch, and the lowest; with
        ``normalize_y``, in units of the standardized target (multiply by
        ``y_scale_ ** 2`` for a single target's units).
    learning_rate_curve_ : list of float
        The learning rate of each epoch's first step.
    y_mean_, y_scale_ : ndarray of shape (n_outputs,) or None
        The mean and standard deviation the target was standardized with;
        None with ``normalize_y=False``.
    validation_scores_, best_validation_score_ : list of float, float or None
        Validation R^2 of each epoch and the best, with ``early_stopping``.
    n_iter_, t_ : int
        Epochs run and training samples seen, in all.
    n_layers_, n_outputs_ : int
        Number of layers (input and output included) and of outputs.
    out_activation_ : str
        ``'identity'``.
    n_features_in_ : int
        Number of features seen during fit.
    feature_names_in_ : ndarray of shape (`n_features_in_`,)
        Feature names, when X has string column names.

    See Also
    --------
    sklearn.neural_network.MLPRegressor : scikit-learn's multi-layer perceptron.
    NNFSClassifier : The classifier.

    Examples
    --------
    >>> import numpy as np
    >>> from nnfs.datasets import sine_data
    >>> from sknnfs import NNFSRegressor
    >>> X, y = sine_data()
    >>> model = NNFSRegressor((64, 64), learning_rate=0.005, max_iter=300,
    ...                       random_state=0).fit(X, y.ravel())
    >>> model.score(X, y.ravel()) > 0.95
    True

    The book's chapter 17 model starts from ``0.1 * randn`` weights
    (``init=0.1``) and trains on the whole data set in every step, none of it
    held out, on the target as it is:

    >>> book = NNFSRegressor((64, 64), learning_rate=0.005, decay=1e-3, init=0.1,
    ...                      batch_size=None, shuffle=False, alpha=0.0, tol=None,
    ...                      early_stopping=False, normalize_y=False, max_iter=2,
    ...                      verbose=1, random_state=0).fit(X, y)
    epoch: 0, acc: 0.003, loss: 0.496 (data_loss: 0.496, reg_loss: 0.000), lr: 0.005
    epoch: 1, acc: 0.003, loss: 0.481 (data_loss: 0.481, reg_loss: 0.000), lr: 0.005
    """

    _y_numeric = True
    # Adam at twice the book's rate: early stopping guards against fitting the
    # noise, and the faster rate gets further within max_iter on small data.
    _default_learning_rates = {"adam": 0.002}
    _log_loss_parts = True  # the book's chapter 17 line, reg_loss: 0.000 included

    _parameter_constraints: dict = {
        **BaseNNFS._parameter_constraints,
        "normalize_y": ["boolean"],
    }

    def __init__(
        self,
        hidden_layer_sizes=(100,),
        activation="relu",
        *,
        optimizer="adam",
        learning_rate=None,
        decay=0.0,
        schedule=None,
        momentum=None,
        nesterov=False,
        epsilon=1e-7,
        rho=0.9,
        beta_1=0.9,
        beta_2=0.999,
        alpha=0.0001,
        weight_l1=0.0,
        weight_l2=0.0,
        bias_l1=0.0,
        bias_l2=0.0,
        dropout=0.0,
        batch_size="auto",
        max_iter=200,
        tol=1e-4,
        n_iter_no_change=10,
        shuffle=True,
        random_state=None,
        init="glorot",
        early_stopping=True,
        validation_fraction=0.1,
        normalize_y=True,
        warm_start=False,
        verbose=0,
    ):
        store_params(self, locals())

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.target_tags.multi_output = True
        return tags

    @with_callbacks
    def fit(self, X, y, sample_weight=None):
        """Train the network on ``X`` and ``y``.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Training data; float32 stays float32.
        y : array-like of shape (n_samples,) or (n_samples, n_outputs)
            Targets.
        sample_weight : array-like of shape (n_samples,), default=None
            Weight of each sample in the loss, a weighted mean.

        Returns
        -------
        self : NNFSRegressor
            The fitted estimator.
        """
        self._validate()
        return self._fit(X, y, sample_weight)

    @with_callbacks
    def partial_fit(self, X, y, sample_weight=None):
        """Train for one epoch on ``X`` and ``y``, continuing from the last call.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Training data.
        y : array-like of shape (n_samples,) or (n_samples, n_outputs)
            Targets.
        sample_weight : array-like of shape (n_samples,), default=None
            Weight of each sample in the loss.

        Returns
        -------
        self : NNFSRegressor
            The updated estimator.
        """
        self._validate()  # every call: settings may have changed in between
        first = not hasattr(self, "coefs_")
        self._fit(X, y, sample_weight, incremental=True)
        targets = np.asarray(y, dtype=float).reshape(len(y), -1)
        if first and self.normalize_y and np.all(np.ptp(targets, axis=0) == 0):
            warn_in_user_code(
                "The target of the first partial_fit batch is constant, so "
                "normalize_y standardizes it with a scale of 1, for this call "
                "and every later one: give the first call a batch with varied "
                "targets, or set normalize_y=False.",
                UserWarning,
            )
        return self

    def _encode_targets(self, y, fresh, dtype, classes=None, incremental=False):
        """Targets as a (n_samples, n_outputs) array in the data's dtype."""
        y = np.asarray(y, dtype=dtype)
        if y.ndim == 1:
            y = y.reshape(-1, 1)
        if fresh:
            self.n_outputs_ = y.shape[1]
            self.out_activation_ = "identity"
        elif y.shape[1] != self.n_outputs_:
            raise ValueError(
                f"y has {y.shape[1]} targets, but this model was fitted on "
                f"{self.n_outputs_}."
            )
        return y

    def _scaled_targets(self, y, sample_weight, validation, fresh):
        """Standardize the targets with ``normalize_y``, fitted on a fresh start.

        The mean and scale come from the training part, as a scaler in a
        pipeline would: the held-out samples of early stopping are scaled
        with them, not fitted on.
        """
        if fresh:
            self._fit_target_scale(y, sample_weight)
        elif self.normalize_y != (self.y_scale_ is not None):
            raise ValueError(
                f"normalize_y={self.normalize_y} but this model was fitted with "
                f"normalize_y={not self.normalize_y}: its outputs are in those "
                "units. Fit anew (warm_start=False) to change it."
            )
        if self.y_scale_ is None:
            return y, validation
        if validation is not None:
            X_val, y_val, weights_val = validation
            validation = (X_val, (y_val - self.y_mean_) / self.y_scale_, weights_val)
        return (y - self.y_mean_) / self.y_scale_, validation

    def _fit_target_scale(self, y, sample_weight):
        self.y_mean_, self.y_scale_ = (
            _mean_and_scale(y, sample_weight) if self.normalize_y else (None, None)
        )
        if self.verbose and self.normalize_y:
            print(
                "loss in units of the standardized target, (y - y_mean_) / "
                "y_scale_ (normalize_y=True)"
            )

    def _book_scorer(self, y):
        """Return the book's regression accuracy: within std(y) / 250 of y."""
        return functools.partial(_close_share, precision=np.std(y) / 250)

    def _decode_targets(self, y):
        """Return targets in the units the user gave them."""
        if self.y_scale_ is not None:
            y = y * self.y_scale_ + self.y_mean_
        return y.ravel() if self.n_outputs_ == 1 else y

    def _validation_score(self, output, y, sample_weight):
        return r2_score(y, output, sample_weight=sample_weight)

    def predict(self, X):
        """Predicted targets.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Input data.

        Returns
        -------
        y : ndarray of shape (n_samples,) or (n_samples, n_outputs)
            Predictions; one-dimensional for a single target.
        """
        return self._decode_targets(self._forward(X))


def _mean_and_scale(y, sample_weight):
    """Return the weighted mean and standard deviation of each column of ``y``.

    Computed in float64, returned in ``y``'s dtype. A column that is constant
    (to the rounding of its mean) gets a scale of 1, as in StandardScaler.
    """
    y64 = y.astype(np.float64)
    mean = np.average(y64, axis=0, weights=sample_weight)
    variance = np.average((y64 - mean) ** 2, axis=0, weights=sample_weight)
    scale = np.sqrt(variance)
    scale[scale <= 1e-10 * np.abs(mean)] = 1.0
    scale[scale == 0] = 1.0
    return mean.astype(y.dtype), scale.astype(y.dtype)


def _close_share(output, y, sample_weight=None, *, precision):
    """Return the book's regression accuracy: the share of close predictions."""
    close = np.mean(np.absolute(output - y) < precision, axis=1)
    return float(np.average(close, weights=sample_weight))
