"""The scikit-learn face shared by the estimators: parameters, fitting, predicting.

``fit`` validates the parameters (``sknnfs._validation``) and the data,
builds the parts (initial weights, network, optimizer, the held-out split,
the per-epoch hooks of ``sknnfs._hooks``), hands them to the epoch loop
(``sknnfs._training.train``) and writes the fitted attributes from the
history it returns. Subclasses supply the targets' handling
(``_encode_targets``, ``_decode_targets``, ``_training_score``, ...) and the
public methods.
"""

import copy
from dataclasses import fields
from numbers import Integral

import numpy as np
from scipy import sparse
from sklearn.base import BaseEstimator, clone
from sklearn.utils import check_random_state
from sklearn.utils.validation import check_is_fitted, validate_data

from ._callbacks import CallbackSupportMixin, EpochCallbacks, FitCallbacksMixin
from ._fitted_network import FittedNetworkMixin
from ._hooks import (
    BookLog,
    ImprovementTracker,
    InterruptCheckpoint,
    StoppingRule,
    ValidationScore,
)
from ._onnx_hint import OnnxHintMixin
from ._split import split_distinct_samples
from ._threads import blas_threads, largest_product
from ._training import History, TrainingRun, train
from ._validation import (
    PARAMETER_CONSTRAINTS,
    PER_LAYER,
    check_params,
    check_sample_weight,
    hidden_sizes,
    per_layer,
)
from .network import OUTPUT_LAYERS, Network, initial_params
from .optimizers import NAMED_OPTIMIZERS
from .schedules import PlateauSchedule

PREDICT_CHUNK_ROWS = 10_000

# Private fitted state, deleted with the public fitted attributes.
FIT_STATE = (
    "_no_improvement_count",
    "_optimizer_settings",
    "_split_random_state",
    "_shuffle_random_state",
    "_random_state_source",
    "_multilabel",
    "_predictor",
)


def store_params(estimator, params):
    """Store ``__init__``'s arguments as attributes, unchanged, as scikit-learn asks."""
    for name, value in params.items():
        if name != "self":
            setattr(estimator, name, value)


def _attribute(name):
    """Return the fitted attribute of a :class:`History` field."""
    return "_no_improvement_count" if name == "no_improvement_count" else name + "_"


class BaseNNFS(
    CallbackSupportMixin,
    FitCallbacksMixin,
    FittedNetworkMixin,
    OnnxHintMixin,
    BaseEstimator,
):
    """Parameters, validation, fitting and predicting of the sknnfs estimators."""

    _y_numeric = False  # whether validate_data makes y numeric
    # learning rates of named optimizers that differ, for this estimator, from
    # the registry's (sknnfs.optimizers.NAMED_OPTIMIZERS) when learning_rate=None
    _default_learning_rates: dict = {}
    # whether the log line always shows (data_loss: ..., reg_loss: ...), as
    # the book's chapter 14-17 code does, or only when a penalty is on
    _log_loss_parts = False

    _parameter_constraints: dict = PARAMETER_CONSTRAINTS

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.sparse = True
        return tags

    def _validate(self):
        """Check every parameter, before anything is read or built."""
        self._validate_params()
        check_params(self)

    # -- the fit transaction --------------------------------------------------

    def _fit(
        self, X, y, sample_weight=None, incremental=False, classes=None, validation=None
    ):
        fresh = not hasattr(self, "coefs_") or not (self.warm_start or incremental)
        try:
            return self._fit_once(
                X, y, sample_weight, incremental, classes, fresh, validation
            )
        except BaseException:
            # A failed fresh fit leaves no model (not half of one); a failed
            # resume changed nothing, so the previous model stays.
            if fresh:
                self._forget_fit()
            raise

    def _forget_fit(self):
        """Delete every fitted attribute: the estimator is unfitted again."""
        for name in list(vars(self)):
            if name.endswith("_") or name in FIT_STATE:
                delattr(self, name)

    def _fit_once(self, X, y, sample_weight, incremental, classes, fresh, validation):
        X, y, sample_weight = self._training_data(
            X, y, sample_weight, fresh, incremental, classes
        )
        if validation is not None:  # the user's own, scored instead of a split
            validation = validation_data(self, *validation, X.dtype)
        rng = self._training_random_state(fresh)
        if fresh:
            self._draw_initial_params(X, rng)
        built = self._build_optimizer()
        # the settings it is built from, to tell a warm start what changed
        settings = built.get_params() if hasattr(built, "get_params") else None
        optimizer = built if fresh else self._continued_optimizer(built, settings)
        # The network trains a copy: a fit that fails leaves the model as it was.
        network = self._network(random_state=rng)
        if validation is None:
            X, y, sample_weight, validation = self._held_out(
                X, y, sample_weight, incremental, self._split_generator(rng, fresh)
            )
        y, validation = self._scaled_targets(y, sample_weight, validation, fresh)
        epochs = 1 if incremental else self.max_iter
        self._callback_fit_begin(X, y, sample_weight, epochs)
        run = TrainingRun(
            network,
            optimizer,
            X,
            y,
            sample_weight,
            self._batch_size(X.shape[0]),
            self.shuffle,
            rng,
            self._history_so_far(fresh),
            epochs,
            score=self._book_scorer(y),
        )
        run.hooks = self._hooks(run, validation, incremental, fit_schedule(self))
        with blas_threads(largest_product(run.batch_size, network.coefs)):
            train(run)
        self._record(run, settings)
        self._keep_random_state(rng)
        self._callback_fit_end(X, y, sample_weight)
        return self

    # -- the parts ------------------------------------------------------------

    def _training_data(self, X, y, sample_weight, fresh, incremental, classes):
        """Validate ``X``, ``y`` and the weights; drop the samples of weight 0."""
        X, y = checked_data(self, X, y, reset=fresh)
        if not fresh:  # continue in the dtype the model was trained in
            X = X.astype(self.coefs_[0].dtype, copy=False)
        if sparse.issparse(X):
            X = X.tocsr()  # row slicing for the batches
        y = self._encode_targets(
            y, fresh=fresh, dtype=X.dtype, classes=classes, incremental=incremental
        )
        if sample_weight is not None:
            sample_weight = check_sample_weight(sample_weight, X.shape[0], X.dtype)
        sample_weight = self._class_weighted(y, sample_weight, incremental, X.dtype)
        if sample_weight is not None:
            if not np.any(sample_weight > 0):  # class weights of 0 can do this
                raise ValueError(
                    "sample_weight times the class weights has no positive entry: "
                    "the loss is their weighted mean."
                )
            kept = sample_weight > 0  # a zero weight is a removed sample
            if not kept.all():
                X, y, sample_weight = X[kept], y[kept], sample_weight[kept]
        return X, y, sample_weight

    def _encode_validation_targets(self, y_val, dtype):
        """Encode ``y_val`` as the fitted targets are; errors name ``y_val``."""
        try:
            return self._encode_targets(y_val, fresh=False, dtype=dtype)
        except ValueError as error:
            raise ValueError(f"y_val: {error}") from None

    def _training_random_state(self, fresh):
        """Return the generator of this fit's draws (weights, shuffles, split).

        A fresh fit starts from ``random_state`` as usual. A warm start or a
        ``partial_fit`` continues the stream where the last fit left it, so
        that resumed training, pickled in between or not, draws exactly the
        shuffles of one uninterrupted run. With ``random_state=None`` nothing
        is kept: every fit draws from numpy's global state, as in the book.
        """
        saved = getattr(self, "_shuffle_random_state", None)
        source = getattr(self, "_random_state_source", None)
        same_source = source is self.random_state or (
            isinstance(source, Integral)
            and isinstance(self.random_state, Integral)
            and source == self.random_state
        )
        if not fresh and saved is not None and same_source:
            return copy.deepcopy(saved)
        return check_random_state(self.random_state)

    def _keep_random_state(self, rng):
        """Keep the generator's state for the next warm start or partial_fit.

        The fit's own generator is kept as it is (the next fit draws from a
        copy); one that is the user's ``random_state`` is copied, as the user
        goes on drawing from it.
        """
        self._random_state_source = self.random_state
        if self.random_state is None:
            self._shuffle_random_state = None
        elif rng is self.random_state:
            self._shuffle_random_state = copy.deepcopy(rng)
        else:
            self._shuffle_random_state = rng

    def _draw_initial_params(self, X, rng):
        layer_sizes = [X.shape[1], *hidden_sizes(self.hidden_layer_sizes)]
        layer_sizes.append(self.n_outputs_)
        self.coefs_, self.intercepts_ = initial_params(
            layer_sizes, self.init, self.activation, X.dtype, rng
        )
        self.n_layers_ = len(layer_sizes)

    def _build_optimizer(self):
        """Build a fresh optimizer: a named one, or a clone of the user's."""
        if not isinstance(self.optimizer, str):
            return clone(self.optimizer, safe=False)
        named = NAMED_OPTIMIZERS[self.optimizer]
        learning_rate = self.learning_rate
        if learning_rate is None:
            learning_rate = self._default_learning_rates.get(
                self.optimizer, named.learning_rate
            )
        settings = {name: getattr(self, name) for name in named.settings}
        return named.build(learning_rate, self.decay, **settings)

    def _continued_optimizer(self, built, settings):
        """Return the fitted optimizer with the settings changed since it was built.

        ``built`` is an optimizer built anew from the estimator's settings,
        and ``settings`` its ``get_params()`` (None if it has none). The
        fitted one's state (momentum, step count) goes on, and so does a
        rate that a schedule lowered, unless ``learning_rate`` itself was
        changed.
        """
        if type(built) is not type(self.optimizer_):  # another optimizer: anew
            return built
        optimizer = copy.deepcopy(self.optimizer_)
        if settings is not None:
            before = getattr(self, "_optimizer_settings", {})
            optimizer.set_params(
                **{
                    name: value
                    for name, value in settings.items()
                    if name not in before or before[name] != value
                }
            )
        return optimizer

    def _network(self, random_state=None):
        """Build a network holding a copy of the fitted parameters."""
        n_layers = len(self.coefs_)
        books = {
            name: per_layer(name, getattr(self, name), n_layers) for name in PER_LAYER
        }
        regularizers = [
            {
                f"{kind}_regularizer_{norm}": books[f"{kind}_{norm}"][i]
                for kind in ("weight", "bias")
                for norm in ("l1", "l2")
            }
            for i in range(n_layers)
        ]
        return Network(
            self.coefs_,
            self.intercepts_,
            self.activation,
            self._output_layer(),
            self.alpha,
            regularizers,
            per_layer("dropout", self.dropout, n_layers - 1),
            random_state,
            # the book's init, the book's float64 dropout masks
            book_dropout=not isinstance(self.init, str) or self.init == "nnfs",
        )

    def _split_generator(self, rng, fresh):
        """Return the generator of early stopping's split: the fresh fit's, again.

        A warm start holds out the samples the first fit held out (of the
        same data), and draws nothing from the stream of its shuffles, so
        that it goes on as one uninterrupted fit would.
        """
        if fresh:
            seeded = self.random_state is not None and self.early_stopping
            self._split_random_state = rng.get_state() if seeded else None
            return rng
        saved = getattr(self, "_split_random_state", None)
        if saved is None:
            return rng
        generator = np.random.RandomState()
        generator.set_state(saved)
        return generator

    def _held_out(self, X, y, sample_weight, incremental, rng):
        """Split off early stopping's held-out samples: ``(X_val, y_val, weights)``."""
        if not self.early_stopping or incremental:
            return X, y, sample_weight, None
        # distinct samples are held out whole, so that a repeated sample and a
        # weighted one make the same split (see sknnfs._split)
        X, X_val, y, y_val, sample_weight, weights_val = split_distinct_samples(
            X,
            y,
            sample_weight,
            self.validation_fraction,
            rng,
            stratify=self._stratify_labels(y),
        )
        return X, y, sample_weight, (X_val, y_val, weights_val)

    def _batch_size(self, n_samples):
        if self.batch_size is None:
            return n_samples
        if self.batch_size == "auto":
            return min(200, n_samples)
        return min(self.batch_size, n_samples)

    def _history_so_far(self, fresh):
        """Return the history to continue: the fitted one, or an empty one."""
        if not fresh:
            return History(
                **{
                    field.name: copy.copy(getattr(self, _attribute(field.name)))
                    for field in fields(History)
                }
            )
        if not self.early_stopping:
            return History()
        return History(
            validation_scores=[],
            validation_loss_curve=[],
            best_validation_score=-np.inf,
        )

    def _hooks(self, run, validation, incremental, schedule):
        """Assemble the per-epoch behaviours of this fit, in their order."""
        hooks = []
        if self.verbose:
            shows_rate = bool(getattr(run.optimizer, "decay", 0)) or bool(self.schedule)
            hooks.append(BookLog(self.verbose, self._shows_loss_parts(), shows_rate))
        if validation is not None:
            score, loss = self._validation_score, self._validation_loss
            hooks.append(ValidationScore(*validation, _predict, score, loss))
        hooks.append(ImprovementTracker(self.tol, validation is not None))
        if schedule is not None:
            hooks.append(schedule)
        if self.tol is not None and not incremental:
            monitored = "Training loss" if validation is None else "Validation score"
            hooks.append(
                StoppingRule(
                    self.n_iter_no_change,
                    self.tol,
                    monitored,
                    self.max_iter,
                    self.verbose,
                )
            )
        if self._has_epoch_callbacks():
            hooks.append(EpochCallbacks(self))
        hooks.extend(getattr(self, "_extra_hooks", ()))  # the learning-rate finder's
        hooks.append(InterruptCheckpoint(self._draws_each_epoch(run)))
        return hooks

    def _draws_each_epoch(self, run):
        """Whether training draws from a seeded stream: shuffles or dropout masks."""
        shuffles = self.shuffle and run.X.shape[0] > run.batch_size
        dropout = np.any(np.asarray(self.dropout) > 0)
        return self.random_state is not None and bool(shuffles or dropout)

    def _shows_loss_parts(self):
        return bool(
            self._log_loss_parts
            or self.alpha
            or any(np.any(np.asarray(getattr(self, name)) > 0) for name in PER_LAYER)
        )

    def _record(self, run, settings):
        """Write the fitted attributes: the parameters, optimizer and history.

        ``settings`` are those the optimizer was built from (None if it has
        no ``get_params``).
        """
        self.coefs_, self.intercepts_ = run.network.coefs, run.network.intercepts
        self._keep_fitted_network(run.network)
        self.optimizer_ = run.optimizer
        if hasattr(run.optimizer, "release_buffers"):  # not kept with the model
            run.optimizer.release_buffers()
        for field in fields(History):
            setattr(self, _attribute(field.name), getattr(run.history, field.name))
        self.loss_ = run.history.loss_curve[-1]
        if settings is not None:
            self._optimizer_settings = settings

    # -- target hooks, overridden by the estimators ----------------------------

    def _output_layer(self):
        """Return a new output layer with this estimator's loss."""
        return OUTPUT_LAYERS[self.out_activation_]()

    def _class_weighted(self, y, sample_weight, incremental, dtype):
        return sample_weight

    def _scaled_targets(self, y, sample_weight, validation, fresh):
        """Return the training targets and the validation part in training units."""
        return y, validation

    def _stratify_labels(self, y):
        """Labels whose proportions the early-stopping split keeps, or None."""
        return None

    def _book_scorer(self, y):
        """Return the score of the book's log line, for targets like ``y``."""
        return self._training_score

    def _validation_score(self, output, y, sample_weight):
        return self._training_score(output, y, sample_weight)

    def _validation_loss(self, output, y, sample_weight):
        """Return the output layer's loss of ``output``: data loss only, no penalty."""
        output_layer = self._output_layer()
        output_layer.output = output
        return float(output_layer.calculate(y, sample_weight))

    # -- predicting -------------------------------------------------------------

    def _forward(self, X, logits=False):
        """Return the fitted network's output (or its logits) for ``X``, validated."""
        if "_predictor" not in self.__dict__:  # else fitted: the check costs ~7 us
            check_is_fitted(self)
        X = validate_data(
            self,
            X,
            accept_sparse=["csr", "csc"],
            dtype=[np.float64, np.float32],
            reset=False,
        )
        if sparse.issparse(X):
            X = X.tocsr()
        rows = min(X.shape[0], PREDICT_CHUNK_ROWS)
        with blas_threads(largest_product(rows, self.coefs_)):
            return _predict(self._fitted_network(), X, logits)


def fit_schedule(estimator):
    """Return the schedule of a fit, or None: a clone, its patience filled in."""
    if estimator.schedule is None:
        return None
    if estimator.schedule == "plateau":
        return PlateauSchedule(patience=estimator.n_iter_no_change)
    schedule = clone(estimator.schedule, safe=False)
    if getattr(schedule, "patience", 0) is None:
        schedule.set_params(patience=estimator.n_iter_no_change)
    return schedule


def validation_arguments(estimator, X_val, y_val, sample_weight_val):
    """Check ``fit``'s validation arguments; return them as a tuple, or None.

    As HistGradientBoosting's: both ``X_val`` and ``y_val`` or neither, the
    weights only with them, and early stopping on to score them.
    """
    if X_val is None and y_val is None:
        if sample_weight_val is not None:
            raise ValueError(
                "sample_weight_val is given without X_val and y_val: they are the "
                "weights of your validation samples. Pass X_val and y_val too, or "
                "leave sample_weight_val out."
            )
        return None
    if X_val is None or y_val is None:
        given, missing = ("X_val", "y_val") if y_val is None else ("y_val", "X_val")
        raise ValueError(
            f"{given} is given but {missing} is not: early stopping scores the "
            "validation samples X_val against their targets y_val. Pass both."
        )
    if not estimator.early_stopping:
        raise ValueError(
            "X_val and y_val are given with early_stopping=False: they are "
            "scored by early stopping, which is off. Set early_stopping=True "
            "(or leave them out to train without early stopping)."
        )
    return X_val, y_val, sample_weight_val


def checked_data(estimator, X, y, reset):
    """Validate ``X`` and ``y`` for fitting: sparse or dense, float64 or float32."""
    return validate_data(
        estimator,
        X,
        y,
        accept_sparse=["csr", "csc"],
        dtype=[np.float64, np.float32],
        reset=reset,
        multi_output=True,
        y_numeric=estimator._y_numeric,
    )


def validation_data(estimator, X_val, y_val, sample_weight_val, dtype):
    """Validate the user's validation data as X and y are, in their dtype."""
    X_val, y_val = checked_data(estimator, X_val, y_val, reset=False)
    if X_val.shape[0] < 2:
        raise ValueError(
            f"X_val has {X_val.shape[0]} sample; early stopping needs at "
            "least 2 validation samples (R^2 is not defined for one)."
        )
    X_val = X_val.astype(dtype, copy=False)
    if sparse.issparse(X_val):
        X_val = X_val.tocsr()
    y_val = estimator._encode_validation_targets(y_val, dtype)
    if sample_weight_val is not None:
        n_val = X_val.shape[0]
        sample_weight_val = check_sample_weight(sample_weight_val, n_val, dtype)
    return X_val, y_val, sample_weight_val


def _predict(network, X, logits=False):
    """Return the output for ``X``, ``PREDICT_CHUNK_ROWS`` rows at a time."""
    return network.predict(X, PREDICT_CHUNK_ROWS, logits)
