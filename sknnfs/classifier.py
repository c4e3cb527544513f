"""NNFSClassifier: the book's network as a scikit-learn classifier."""

import numpy as np
from scipy import sparse
from scipy.special import expit
from sklearn.base import ClassifierMixin
from sklearn.utils.class_weight import compute_sample_weight
from sklearn.utils.multiclass import check_classification_targets, type_of_target
from sklearn.utils.validation import check_array, column_or_1d

from ._base import BaseNNFS, store_params, validation_arguments
from ._callbacks import with_callbacks
from ._sklearn import StrOptions
from ._validation import check_sample_weight


class NNFSClassifier(ClassifierMixin, BaseNNFS):
    """Multi-layer perceptron classifier built from *Neural Networks from Scratch*.

    Dense layers with a hidden activation and a softmax output with categorical
    cross-entropy (for two classes, or several independent labels, sigmoid
    outputs with binary cross-entropy, the book's chapter 16), trained by the
    book's optimizers. The parameter and
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
        Initial learning rate; None is the optimizer's default, a rate that
        trains well in minibatches on standardized features: 0.1 for
        ``'sgd'``, 0.01 for ``'sgd-momentum'`` and ``'adagrad'``, 0.001 for
        ``'rmsprop'`` and ``'adam'``. The book's rates, for full-batch
        training of its spiral data, are 1.0 for SGD and AdaGrad: pass them
        explicitly (see :data:`sknnfs.optimizers.NAMED_OPTIMIZERS`).
    decay : float, default=0.0
        The book's 1/t decay: step ``t`` uses
        ``learning_rate / (1 + decay * t)``, with ``t`` counting batches.
    schedule : {'plateau'}, schedule object or None, default=None
        A learning-rate schedule run after every epoch. ``'plateau'``
        divides the rate by 5 when the monitored value (the training loss,
        or the held-out score with ``early_stopping``) has not improved by
        ``tol`` for more than ``n_iter_no_change`` epochs, and stops training
        once the rate is down to 1e-6: MLPClassifier's
        ``learning_rate='adaptive'``, for every optimizer. A
        :class:`~sknnfs.schedules.PlateauSchedule` sets its factor, patience
        and floor (tuned as ``schedule__factor``). The lowered rate survives
        ``warm_start`` and ``partial_fit``; ``learning_rate_curve_`` and the
        log show it.
    momentum : float, default=None
        The optimizer's momentum, in ``[0, 1)``: SGD's and RMSprop's
        classical momentum, and Adam's first-moment decay ``beta_1``. None is
        0 for ``'sgd'`` and ``'rmsprop'``, 0.9 for ``'sgd-momentum'``, and
        ``beta_1`` for ``'adam'``. AdaGrad has none.
    nesterov : bool, default=False
        Nesterov's momentum for the SGD optimizers (MLPClassifier's
        ``nesterovs_momentum``, there True by default), instead of the book's
        classical momentum.
    epsilon : float, default=1e-7
        Keeps AdaGrad's, RMSprop's and Adam's division finite.
    rho : float, default=0.9
        RMSprop's decay of the squared-gradient average.
    beta_1, beta_2 : float, default=0.9, 0.999
        Adam's decays of the gradient and squared-gradient averages
        (``momentum`` sets ``beta_1`` too; set one of the two).

        A setting that the chosen optimizer does not use (``rho`` with
        ``'adam'``, ``momentum`` with ``'adagrad'``, ...) is refused with a
        ``ValueError`` at ``fit`` unless it is at its default: it would be
        ignored. To search settings over several optimizers, give
        ``GridSearchCV`` a list of grids, one per group of optimizers.
    alpha : float, default=0.0001
        L2 penalty on the weights, as in MLPClassifier; 0.0 is the book's.
    weight_l1, weight_l2, bias_l1, bias_l2 : float or sequence, default=0.0
        The book's L1 and L2 regularizers (chapter 14) on the weights and on
        the biases: ``l1 * sum(|w|)`` and ``l2 * sum(w**2)`` added to the mean
        loss, unscaled by the number of samples. One value for every layer,
        or one per layer (hidden and output), e.g. ``weight_l2=(5e-4, 0)``
        for the first layer only, as the book does.
    dropout : float or sequence, default=0.0
        Rate of inverted dropout after each hidden layer's activation while
        training (chapter 15); one value for all hidden layers or one each.
        The masks are drawn from ``random_state``. With the book's ``init``
        (``'nnfs'`` or a float) they stay float64, as the book's
        ``np.random.binomial(...) / (1 - rate)`` is, and float32 data trains
        in the book's mixed precision under them: the chapter 15 log, line
        for line. Otherwise they take the data's dtype.
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
    n_iter_no_change : int or np.inf, default=10
        See ``tol``; ``np.inf`` never stops on ``tol`` (with early stopping,
        the best epoch's weights are still kept), as in MLPClassifier.
    shuffle : bool, default=True
        Whether to shuffle the samples every epoch (when there are several
        batches; a single full batch is never shuffled).
    random_state : int, RandomState instance or None, default=None
        Draws the initial weights, the shuffles and the validation split.
        None is numpy's global random state, as in the book.
    init : {'glorot', 'he', 'nnfs'} or float, default='glorot'
        Initial weights: MLPClassifier's Glorot uniform (the biases drawn
        alike, as MLPClassifier does), He normal, or the book's
        ``0.01 * randn(n_inputs, n_neurons)``. A positive float ``s`` is the
        book's init with scale ``s``, ``s * randn(n_inputs, n_neurons)``
        (``'nnfs'`` is ``0.01``; the book's chapter 17 uses ``0.1``). All but
        Glorot start the biases at zero, as the book does.
    early_stopping : bool, default=False
        Hold out ``validation_fraction`` of the data (stratified), stop when
        its accuracy stops improving, and keep the best epoch's weights. The
        held-out part is made of whole distinct samples: rows equal in X and
        y stay together, so a sample given twice and one given with
        ``sample_weight=2`` make the same split, and no copy of a training
        sample is scored. Each class keeps at least one distinct sample to
        train on. An epoch that ties the best accuracy with a lower held-out
        loss counts as progress, and its weights are kept (unlike
        MLPClassifier: on small data a dozen held-out samples tie their
        best accuracy for most of training). ``partial_fit`` holds nothing
        out (MLPClassifier refuses it with early stopping on).
    validation_fraction : float, default=0.1
        Share of the distinct samples held out (of each class's, when
        stratified), rounded up; at least 2 are where there are enough.
    warm_start : bool, default=False
        Continue from the fitted weights and optimizer state on the next
        ``fit``, with any changed optimizer settings applied. As with
        ``partial_fit``, ``y`` may hold any subset of ``classes_`` (a new
        batch of data need not hold every class; ``classes_`` and the
        outputs stay those of the first fit), and a label outside
        ``classes_`` is refused. MLPClassifier refuses a subset on a warm
        start but takes it in ``partial_fit``; here both take it. The count
        of epochs without improvement goes on too, as in MLPClassifier: after
        a fit that stopped on ``tol``, a warm start may stop after one epoch
        (set ``tol=None`` to train ``max_iter`` more epochs).
    verbose : int, default=0
        Print the book's log line every ``verbose`` epochs, e.g.
        ``epoch: 100, acc: 0.407, loss: 1.083``, with
        ``(data_loss: ..., reg_loss: ...)`` after the loss when a penalty is
        on and ``, lr: <rate>`` at the end when decay is on; 0 is silent.
    class_weight : dict, 'balanced' or None, default=None
        Weights of the classes, multiplied into ``sample_weight`` as in
        scikit-learn's linear models; ``'balanced'`` weighs each class by
        ``n_samples / (n_classes * count)``.

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
    learning_rate_curve_ : list of float
        The learning rate of each epoch's first step (the log shows, as the
        book does, the rate of the step before it); nan for an optimizer
        object without ``next_learning_rate`` or ``current_learning_rate``.
    best_loss_ : float
        Lowest training loss of an epoch.
    validation_scores_ : list of float or None
        Validation accuracy of each epoch with ``early_stopping``, else None.
    validation_loss_curve_ : list of float or None
        Validation loss of each epoch with ``early_stopping`` (the
        cross-entropy of the held-out samples, without the L2 penalty term),
        else None. ``loss_curve_`` stays the training loss.
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
        Number of outputs: one per class, but one for two classes; one per
        label for multilabel targets.
    out_activation_ : str
        ``'softmax'`` for several classes, ``'logistic'`` for two classes or
        multilabel targets.
    n_features_in_ : int
        Number of features seen during fit.
    feature_names_in_ : ndarray of shape (`n_features_in_`,)
        Feature names, when X has string column names.

    See Also
    --------
    sklearn.neural_network.MLPClassifier : scikit-learn's multi-layer perceptron.

    Notes
    -----
    With scikit-learn >= 1.9, the estimator supports scikit-learn's callbacks
    (``sklearn.callback``): ``set_callbacks(ProgressBar())`` shows a progress
    bar over the epochs, ``ScoringMonitor`` records a score after each epoch,
    and callbacks set on a meta-estimator (``GridSearchCV``, ``Pipeline``)
    reach the epochs of its fits. Each epoch is a subtask of the fit task; a
    callback whose ``on_fit_task_end`` returns True stops the training after
    that epoch. With older versions there is no ``set_callbacks``.

    Examples
    --------
    >>> from nnfs.datasets import spiral_data
    >>> from sknnfs import NNFSClassifier
    >>> X, y = spiral_data(samples=100, classes=3)
    >>> clf = NNFSClassifier((64,), optimizer="sgd-momentum", decay=1e-3,
    ...                      max_iter=3, tol=None, verbose=1, random_state=0)
    >>> clf.fit(X, y)  # doctest: +ELLIPSIS
    epoch: 0, acc: ..., loss: ..., lr: 0.01
    epoch: 1, acc: ..., loss: ..., lr: 0.009...
    epoch: 2, acc: ..., loss: ..., lr: 0.009...
    NNFSClassifier(decay=0.001, hidden_layer_sizes=(64,), max_iter=3,
                   optimizer='sgd-momentum', random_state=0, tol=None, verbose=1)
    >>> clf.predict_proba(X[:2]).shape
    (2, 3)
    """

    _parameter_constraints: dict = {
        **BaseNNFS._parameter_constraints,
        "class_weight": [dict, StrOptions({"balanced"}), None],
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
        batch_size=32,
        max_iter=200,
        tol=1e-4,
        n_iter_no_change=10,
        shuffle=True,
        random_state=None,
        init="glorot",
        early_stopping=False,
        validation_fraction=0.1,
        warm_start=False,
        verbose=0,
        class_weight=None,
    ):
        store_params(self, locals())

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.classifier_tags.multi_label = True
        return tags

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
        y : array-like of shape (n_samples,) or (n_samples, n_labels)
            Class labels, of any type, or a 0/1 indicator matrix of labels.
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
            The validation labels, scored with accuracy.
        sample_weight_val : array-like of shape (n_val,), default=None
            Weights of the validation samples in their score and loss.

        Returns
        -------
        self : NNFSClassifier
            The fitted estimator.
        """
        self._validate()
        validation = validation_arguments(self, X_val, y_val, sample_weight_val)
        return self._fit(X, y, sample_weight, validation=validation)

    @with_callbacks
    def partial_fit(self, X, y, classes=None, sample_weight=None):
        """Train for one epoch on ``X`` and ``y``, continuing from the last call.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Training data.
        y : array-like of shape (n_samples,) or (n_samples, n_labels)
            Class labels, all of them among ``classes``, or a label indicator
            matrix.
        classes : array-like of shape (n_classes,), default=None
            Every class of the whole problem; required on the first call
            (unless ``y`` is a label indicator matrix).
        sample_weight : array-like of shape (n_samples,), default=None
            Weight of each sample in the loss.

        Returns
        -------
        self : NNFSClassifier
            The updated estimator.
        """
        self._validate()  # every call: settings may have changed in between
        if not hasattr(self, "coefs_"):
            if classes is None and np.ndim(y) != 2:
                raise ValueError(
                    "classes must be passed on the first call to partial_fit: "
                    "every class of the problem, e.g. classes=np.unique(y_all)."
                )
        elif classes is not None and not np.array_equal(
            self.classes_, np.unique(classes)
        ):
            raise ValueError(
                f"classes={np.unique(classes).tolist()} is not the same as on the "
                f"first call to partial_fit, {self.classes_.tolist()}; the classes "
                "are fixed by the first call (fit anew to change them)."
            )
        return self._fit(X, y, sample_weight, incremental=True, classes=classes)

    def _class_weighted(self, y, sample_weight, incremental, dtype):
        """Multiply ``sample_weight`` by the class weights of encoded targets ``y``."""
        if self.class_weight is None:
            return sample_weight
        if self.class_weight == "balanced" and incremental:
            raise ValueError(
                "class_weight='balanced' needs every sample at once and so does not "
                "work with partial_fit: compute the weights beforehand with "
                "sklearn.utils.class_weight.compute_class_weight('balanced', "
                "classes=classes, y=y_all) and pass them as a dict."
            )
        if self._multilabel:
            labels = y  # 'balanced' or one dict per label, as scikit-learn takes them
        else:
            labels = self.classes_[y.ravel().astype(int)]
        weights = compute_sample_weight(self.class_weight, labels).astype(dtype)
        return weights if sample_weight is None else weights * sample_weight

    def _encode_targets(self, y, fresh, dtype, classes=None, incremental=False):
        """Targets as the output layer takes them; on a fresh start, set ``classes_``.

        Class indices for softmax, 0/1 columns for sigmoid outputs.
        """
        y, multilabel = self._checked_targets(y)
        if fresh:
            self._set_classes(y, classes, multilabel)
        elif multilabel != self._multilabel or (
            multilabel and y.shape[1] != self.n_outputs_
        ):
            raise ValueError(
                f"y is {'a label indicator matrix' if multilabel else 'class labels'}"
                f"{f' with {y.shape[1]} labels' if multilabel else ''}, unlike the "
                "targets this model was fitted on."
            )
        if multilabel:
            return y.astype(dtype)
        indices = np.searchsorted(self.classes_, y)
        self._refuse_unknown_labels(y, indices, fresh, incremental)
        if self.out_activation_ == "logistic":  # two classes: one sigmoid output
            return indices.astype(dtype).reshape(-1, 1)
        return indices

    def _encode_validation_targets(self, y_val, dtype):
        """Encode ``y_val``, whose labels must be among those of ``y``."""
        labels, multilabel = self._checked_targets(y_val)
        unknown = [] if multilabel else np.setdiff1d(labels, self.classes_)
        if len(unknown):
            raise ValueError(
                f"y_val contains labels that y does not: {unknown.tolist()}. The "
                "model predicts the classes it was trained on, "
                f"{self.classes_.tolist()}; give validation samples of those."
            )
        return super()._encode_validation_targets(y_val, dtype)

    def _checked_targets(self, y):
        """Return ``y`` as labels or an indicator matrix, and whether multilabel."""
        if sparse.issparse(y):
            y = y.toarray()
        if y.ndim == 2 and y.shape[1] == 1:
            y = column_or_1d(y, warn=True)
        if y.ndim == 1 and y.dtype.kind in "biu":
            # integers are class labels, binary or multiclass, whatever their
            # values: scikit-learn's check would pass over y (1.7 ms for
            # 60000 labels) only to say so
            return y, False
        check_classification_targets(y)
        if y.ndim == 1:  # labels: spare type_of_target's second pass over y
            return y, False
        target_type = type_of_target(y)
        if target_type == "multiclass-multioutput":
            raise ValueError(
                f"{type(self).__name__} takes class labels or a 0/1 indicator matrix "
                "of labels; y has several columns of several classes "
                "(multiclass-multioutput). Wrap it in "
                "sklearn.multioutput.MultiOutputClassifier."
            )
        return y, target_type == "multilabel-indicator"

    def _refuse_unknown_labels(self, y, indices, fresh, incremental):
        """Refuse labels outside ``classes_``: any subset of them is fine.

        ``indices`` are ``np.searchsorted(classes_, y)``: a label is known if
        the class at its index is the label itself.
        """
        # (clip: an index past the last class, a label above them all, takes
        # the last class; no temporary array of the indices' size)
        if np.array_equal(self.classes_.take(indices, mode="clip"), y):
            return
        unknown = np.setdiff1d(y, self.classes_)
        if fresh:  # partial_fit's first call: y beyond its own classes
            advice = "classes must contain every label of y."
        elif self.warm_start and not incremental:
            advice = (
                "warm_start can only continue on the classes of the first "
                "fit; fit with warm_start=False to learn new classes."
            )
        else:
            advice = (
                "Pass every class of the problem in `classes` on the first "
                "call to partial_fit."
            )
        raise ValueError(
            "y contains labels not seen in the first fit or given in classes "
            f"({self.classes_.tolist()}): {unknown.tolist()}. {advice}"
        )

    def _stratify_labels(self, y):
        return None if self._multilabel else y.ravel()

    def _set_classes(self, y, classes, multilabel):
        self._multilabel = multilabel
        if multilabel:
            self.classes_ = np.arange(y.shape[1])
            self.n_outputs_ = y.shape[1]
            self.out_activation_ = "logistic"
            return
        self.classes_ = np.unique(y if classes is None else classes)
        if len(self.classes_) < 2:
            raise ValueError(
                f"{type(self).__name__} needs samples of at least 2 classes, but "
                f"the data contains only one class: {self.classes_.tolist()[0]!r}."
            )
        binary = len(self.classes_) == 2
        self.n_outputs_ = 1 if binary else len(self.classes_)
        self.out_activation_ = "logistic" if binary else "softmax"

    def _training_score(self, output, y, sample_weight=None):
        """Accuracy of ``output`` against encoded targets ``y`` (per label)."""
        if self.out_activation_ == "softmax":
            correct = np.argmax(output, axis=1) == y
        else:  # the book's (output > 0.5) == y, averaged over the labels
            correct = np.mean((output > 0.5) == y, axis=1)
        return float(np.average(correct, weights=sample_weight))

    def _decode_targets(self, y):
        """Return encoded targets as the user gave them: labels, or the indicator."""
        if self._multilabel:
            return y.astype(int)
        return self.classes_[y.ravel().astype(int)]

    def predict_proba(self, X):
        """Class probabilities of each sample.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Input data.

        Returns
        -------
        proba : ndarray of shape (n_samples, n_classes) or (n_samples, n_labels)
            Probability of each class, in the order of ``classes_``; for
            multilabel targets, the probability of each label. For two
            classes both columns come from the logit, so that a probability
            near 0 is as accurate as one near 1.
        """
        # unfitted, _forward raises NotFittedError (checked once: it costs)
        if (
            getattr(self, "out_activation_", None) == "logistic"
            and not self._multilabel
        ):
            return _two_class_probabilities(self._forward(X, logits=True))
        return self._forward(X)

    def decision_function(self, X):
        """Logits: the output layer's inputs, before softmax or sigmoid.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Input data.

        Returns
        -------
        scores : ndarray of shape (n_samples,), (n_samples, n_classes) or \
(n_samples, n_labels)
            One score per class (per label for multilabel targets); for two
            classes, the score of ``classes_[1]``, positive when it is predicted.
        """
        logits = self._forward(X, logits=True)
        if self.out_activation_ == "logistic" and not self._multilabel:
            return logits.ravel()
        return logits

    def predict_log_proba(self, X):
        """Logarithm of the class probabilities of each sample.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Input data.

        Returns
        -------
        log_proba : ndarray of shape (n_samples, n_classes)
            Log-probability of each class, in the order of ``classes_``;
            a probability that underflowed to 0 gives the log of the
            smallest normal number of the dtype (about -708 in float64,
            -87 in float32) rather than ``-inf``.
        """
        probabilities = self.predict_proba(X)
        tiny = np.finfo(probabilities.dtype).tiny
        return np.log(np.maximum(probabilities, tiny, out=probabilities))

    def predict(self, X):
        """Most probable class of each sample (labels above 0.5, if multilabel).

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Input data.

        Returns
        -------
        y : ndarray of shape (n_samples,) or (n_samples, n_labels)
            Predicted class labels, or the label indicator matrix.
        """
        output = self._forward(X)
        if self._multilabel:
            return (output > 0.5).astype(int)
        if self.out_activation_ == "logistic":
            return self.classes_[(output[:, 0] > 0.5).astype(int)]
        return self.classes_[np.argmax(output, axis=1)]

    def score(self, X, y, sample_weight=None):
        """Mean accuracy on ``X`` and ``y``.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Test samples.
        y : array-like of shape (n_samples,)
            True labels of ``X``.
        sample_weight : array-like of shape (n_samples,), default=None
            Non-negative weight of each sample, as in ``fit``.

        Returns
        -------
        score : float
            Weighted fraction of samples whose predicted label is ``y``.
        """
        # As in fit: NaN labels and negative weights are refused, not scored.
        y = check_array(y, ensure_2d=False, dtype=None, input_name="y")
        if sample_weight is not None:
            sample_weight = check_sample_weight(sample_weight, len(y))
        return super().score(X, y, sample_weight)


def _two_class_probabilities(logits):
    """Return ``[sigmoid(-z), sigmoid(z)]`` for logits ``z`` of shape (n, 1).

    Each column is its own sigmoid (scipy's ``expit``), accurate to its own
    precision, where ``1 - sigmoid(z)`` would lose the smaller probability to
    rounding (in float32, one of 6e-7 comes out 2% wrong). Beyond logits of
    about 88 in float32 (709 in float64) the smaller probability is below
    the smallest normal number and comes out 0. Four numpy calls in all: a
    one-row prediction pays for its calls, not for their arithmetic.
    """
    probabilities = np.empty((len(logits), 2), logits.dtype)
    np.negative(logits[:, 0], out=probabilities[:, 0])
    probabilities[:, 1] = logits[:, 0]
    return expit(probabilities, out=probabilities)
