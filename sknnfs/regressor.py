"""NNFSRegressor: the book's regression network as a scikit-learn regressor."""

import functools
from numbers import Real

import numpy as np
from sklearn.base import RegressorMixin
from sklearn.metrics import r2_score
from sklearn.utils.validation import column_or_1d

from ._base import BaseNNFS, store_params, validation_arguments
from ._callbacks import with_callbacks
from ._hooks import warn_in_user_code
from ._sklearn import Interval, InvalidParameterError, StrOptions
from .losses import (
    ExpPoissonDeviance,
    LinearHuber,
    LinearMeanAbsoluteError,
    LinearMeanSquaredError,
)

#: The losses of ``NNFSRegressor(loss=...)``, by name, with their words in logs.
LOSS_NAMES = {
    "squared_error": "mean squared error",
    "absolute_error": "mean absolute error",
    "huber": "Huber loss",
    "poisson": "half Poisson deviance",
}


class NNFSRegressor(RegressorMixin, BaseNNFS):
    """Multi-layer perceptron regressor built from *Neural Networks from Scratch*.

    The classifier's network with a linear output and mean squared error (the
    book's chapter 17), for one or several targets, trained by the book's
    optimizers; or with the mean absolute error, the Huber loss, or the
    Poisson deviance through a log link. Parameters and attributes follow
    :class:`~sklearn.neural_network.MLPRegressor` where the meaning is the
    same; the default loss is the book's ``mean((y - output)**2)``, twice
    MLPRegressor's.

    Parameters
    ----------
    hidden_layer_sizes : tuple of int, default=(100,)
        Number of neurons in each hidden layer.
    activation : {'relu', 'logistic', 'tanh', 'identity'}, default='relu'
        Hidden-layer activation; ``'relu'`` is the book's.
    loss : {'squared_error', 'absolute_error', 'huber', 'poisson'}, \
default='squared_error'
        The loss, averaged over the targets and the samples (see the user
        guide's :ref:`regression`): the book's mean squared error (the
        conditional mean); the book's mean absolute error (the conditional
        median, robust to outliers; its gradient is the book's with the
        chain rule's sign, which the book's printed code leaves out);
        the Huber loss (squared error for residuals up to ``huber_delta``,
        absolute error beyond); or MLPRegressor's ``'poisson'``, the half
        Poisson deviance with a log link (``out_activation_='exp'``):
        predictions are always positive, and the target must be
        non-negative (counts, rates).
    huber_delta : float, default=1.0
        Where the Huber loss turns from quadratic to linear, in the units the
        network trains in: standard deviations of the target with
        ``normalize_y`` (so that the default suits a target in any unit),
        the target's units without. Refused, unless 1.0, with another loss.
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
        Hold out ``validation_fraction`` of the data (or score ``fit``'s
        ``X_val``), stop when its R^2 (the loss's D^2 for the other losses)
        stops improving by ``tol`` for ``n_iter_no_change`` epochs, and keep
        the best epoch's weights (MLPRegressor's default is False). The held-out part is
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
        on a raw target (prices, counts) as on a standardized one. With
        ``loss='poisson'`` the target is not standardized (centred counts
        would be negative) but divided by its weighted mean, ``y_mean_``
        being 0. The loss
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
        The mean and standard deviation the target was standardized with
        (with ``loss='poisson'``, 0 and the mean); None with
        ``normalize_y=False``.
    validation_scores_, best_validation_score_ : list of float, float or None
        Validation R^2 of each epoch and the best, with ``early_stopping``;
        for the other losses their D^2, ``1 - loss / loss(best constant)``.
    validation_loss_curve_ : list of float or None
        The validation samples' loss of each epoch, with ``early_stopping``.
    n_iter_, t_ : int
        Epochs run and training samples seen, in all.
    n_layers_, n_outputs_ : int
        Number of layers (input and output included) and of outputs.
    out_activation_ : str
        ``'identity'``, or ``'exp'`` with ``loss='poisson'``.
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

    Counts take the Poisson deviance, whose predictions are always positive:

    >>> rng = np.random.RandomState(0)
    >>> X_counts = rng.uniform(-1, 1, size=(300, 2))
    >>> counts = rng.poisson(np.exp(1 + X_counts[:, 0]))
    >>> poisson = NNFSRegressor((16,), loss="poisson", random_state=0)
    >>> bool(poisson.fit(X_counts, counts).predict(X_counts).min() > 0)
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
        "loss": [StrOptions(set(LOSS_NAMES))],
        "huber_delta": [Interval(Real, 0, None, closed="neither")],
        "normalize_y": ["boolean"],
    }

    def __init__(
        self,
        hidden_layer_sizes=(100,),
        activation="relu",
        *,
        loss="squared_error",
        huber_delta=1.0,
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
        if self.loss == "poisson":
            tags.target_tags.positive_only = True
            # Several count targets train (tests/test_regressor.py), but
            # scikit-learn's check_regressor_multioutput fits the targets of
            # make_regression, negative ones included, whatever positive_only
            # says. So the tag is off for this loss, and a column-vector y
            # warns, as MLPRegressor's does for every loss.
            tags.target_tags.multi_output = False
        return tags

    def _validate(self):
        super()._validate()
        if self.loss != "huber" and self.huber_delta != 1.0:
            raise InvalidParameterError(
                f"huber_delta={self.huber_delta!r} is used by loss='huber' only, "
                f"and would be ignored with loss={self.loss!r}. Leave it at its "
                "default (1.0), or set loss='huber'. In a grid search over "
                "several losses, give a list of grids, e.g. param_grid=[{'loss': "
                "['huber'], 'huber_delta': [...]}, {'loss': ['squared_error']}]."
            )

    @with_callbacks
    def fit(
        self,
        X,
        y,
        sample_weight=None,
        *,
        X_val=None,
        y_val=None,
        sample_weight_val=None,
    ):
        """Train the network on ``X`` and ``y``.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Training data; float32 stays float32.
        y : array-like of shape (n_samples,) or (n_samples, n_outputs)
            Targets.
        sample_weight : array-like of shape (n_samples,), default=None
            Weight of each sample in the loss, a weighted mean.
        X_val : {array-like, sparse matrix} of shape (n_val, n_features), \
default=None
            Validation samples of your own (a later period, another site, a
            split shared across models), as in HistGradientBoosting: early
            stopping scores them instead of holding out a part of ``X``, and
            every sample of ``X`` trains. Needs ``early_stopping=True`` and
            ``y_val``. Inside a ``Pipeline``, route it with
            ``set_fit_request(X_val=True, y_val=True)`` and
            ``Pipeline(..., transform_input=["X_val"])`` so that it is
            transformed as ``X`` is (see the user guide).
        y_val : array-like of shape (n_val,) or (n_val, n_outputs), default=None
            The validation targets, scored with R^2 (or the loss's D^2).
        sample_weight_val : array-like of shape (n_val,), default=None
            Weights of the validation samples in their score and loss.

        Returns
        -------
        self : NNFSRegressor
            The fitted estimator.
        """
        self._validate()
        validation = validation_arguments(self, X_val, y_val, sample_weight_val)
        return self._fit(X, y, sample_weight, validation=validation)

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
        # (the Poisson deviance's counts are only divided by their mean)
        standardized = self.normalize_y and self.loss != "poisson"
        if first and standardized and np.all(np.ptp(targets, axis=0) == 0):
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
        if self.loss == "poisson" and y.ndim == 2 and y.shape[1] == 1:
            y = column_or_1d(y, warn=True)  # see __sklearn_tags__
        if y.ndim == 1:
            y = y.reshape(-1, 1)
        link = "exp" if self.loss == "poisson" else "identity"
        if fresh:
            self.n_outputs_ = y.shape[1]
            self.out_activation_ = link
        elif y.shape[1] != self.n_outputs_:
            raise ValueError(
                f"y has {y.shape[1]} targets, but this model was fitted on "
                f"{self.n_outputs_}."
            )
        elif link != self.out_activation_:
            raise ValueError(
                f"loss={self.loss!r} predicts through out_activation_={link!r}, "
                "but this model was fitted with out_activation_="
                f"{self.out_activation_!r}: its outputs are in those units. Fit "
                "anew (warm_start=False) to change between 'poisson' and the "
                "other losses."
            )
        self._check_target_range(y, "y")
        return y

    def _encode_validation_targets(self, y_val, dtype):
        self._check_target_range(y_val, "y_val")
        return super()._encode_validation_targets(y_val, dtype)

    def _check_target_range(self, y, name):
        """Refuse a negative target for the Poisson deviance, which needs y >= 0."""
        if self.loss == "poisson" and np.any(y < 0):
            raise ValueError(
                f"loss='poisson' needs a non-negative target (counts, rates, "
                f"amounts), but {name} has {int(np.sum(y < 0))} negative "
                f"value(s), the smallest {float(np.min(y))!r}. Use another loss "
                "(loss='squared_error' is the default), or check the target."
            )

    def _output_layer(self):
        """Return a new output layer with the fitted link and this ``loss``."""
        if self.out_activation_ == "exp":
            return ExpPoissonDeviance()
        if self.loss == "absolute_error":
            return LinearMeanAbsoluteError()
        if self.loss == "huber":
            return LinearHuber(self.huber_delta)
        return LinearMeanSquaredError()

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
        if not self.normalize_y:
            self.y_mean_, self.y_scale_ = None, None
        elif self.loss == "poisson":
            # divided by its mean, not centred: it stays a non-negative
            # target, and a log link starts near log(1) = 0
            self.y_mean_, self.y_scale_ = _scale_by_mean(y, sample_weight)
        else:
            self.y_mean_, self.y_scale_ = _mean_and_scale(y, sample_weight)
        if not self.verbose:
            return
        if self.normalize_y:
            units = (
                "units of the target divided by its mean, y / y_scale_"
                if self.loss == "poisson"
                else "units of the standardized target, (y - y_mean_) / y_scale_"
            )
            print(f"{self._loss_words()} in {units} (normalize_y=True)")
        elif self.loss != "squared_error":
            print(f"{self._loss_words()} in the target's units")

    def _loss_words(self):
        """Say which loss the log's ``loss`` is; the default's words as before."""
        if self.loss == "squared_error":
            return "loss"
        return f"loss: {LOSS_NAMES[self.loss]} (loss={self.loss!r}),"

    def _book_scorer(self, y):
        """Return the book's regression accuracy: within std(y) / 250 of y."""
        return functools.partial(_close_share, precision=np.std(y) / 250)

    def _decode_targets(self, y):
        """Return targets in the units the user gave them."""
        if self.y_scale_ is not None:
            y = y * self.y_scale_ + self.y_mean_
        return y.ravel() if self.n_outputs_ == 1 else y

    def _validation_score(self, output, y, sample_weight):
        """Return R^2, or for the other losses D^2: the share of their loss explained.

        D^2 is ``1 - loss(output) / loss(best constant)``, the best constant
        of each target being its median (absolute error), its Huber location
        (huber) or its mean (poisson); for the squared error it is R^2.
        Averaged over the targets, as ``r2_score`` does.
        """
        if self.loss == "squared_error":
            return r2_score(y, output, sample_weight=sample_weight)
        head, scores = self._output_layer(), []
        for column in range(y.shape[1]):
            target = y[:, column : column + 1]
            losses = []
            for prediction in (
                output[:, column : column + 1],
                np.full_like(target, self._best_constant(target, sample_weight)),
            ):
                head.output = prediction
                losses.append(float(head.calculate(target, sample_weight)))
            loss, null = losses
            scores.append(1.0 - loss / null if null > 0 else float(loss == 0))
        return float(np.mean(scores))

    def _best_constant(self, target, sample_weight):
        """Return the constant of lowest loss for one target column."""
        values = target.ravel().astype(np.float64)
        weights = np.ones_like(values) if sample_weight is None else sample_weight
        if self.loss == "poisson":
            return np.average(values, weights=weights)
        constant = _weighted_median(values, weights)
        if self.loss == "huber":  # iteratively reweighted means from the median
            for _ in range(50):
                residuals = np.maximum(np.abs(values - constant), 1e-300)
                shrink = np.minimum(1.0, self.huber_delta / residuals)
                constant = np.average(values, weights=weights * shrink)
        return constant

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


def _scale_by_mean(y, sample_weight):
    """Return zeros and the weighted mean of each column (1 where it is 0)."""
    mean = np.average(y.astype(np.float64), axis=0, weights=sample_weight)
    mean[mean == 0] = 1.0
    return np.zeros_like(mean, dtype=y.dtype), mean.astype(y.dtype)


def _weighted_median(values, weights):
    """Return the lower weighted median of ``values``."""
    order = np.argsort(values, kind="stable")
    cumulative = np.cumsum(weights[order])
    return values[order][np.searchsorted(cumulative, 0.5 * cumulative[-1])]


def _close_share(output, y, sample_weight=None, *, precision):
    """Return the book's regression accuracy: the share of close predictions."""
    close = np.mean(np.absolute(output - y) < precision, axis=1)
    return float(np.average(close, weights=sample_weight))
