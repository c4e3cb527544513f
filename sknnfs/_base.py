"""The scikit-learn face shared by the estimators: parameters, validation, fit loop."""

import copy
import inspect
import math
import warnings
from dataclasses import dataclass
from numbers import Integral, Real

import numpy as np
from scipy import sparse
from sklearn.base import BaseEstimator, clone
from sklearn.exceptions import ConvergenceWarning
from sklearn.utils import check_random_state, gen_batches
from sklearn.utils._param_validation import (
    HasMethods,
    Interval,
    InvalidParameterError,
    Options,
    StrOptions,
)
from sklearn.utils.validation import (
    _check_sample_weight,
    check_is_fitted,
    validate_data,
)

from ._callbacks import CallbackSupportMixin, EpochCallbacksMixin
from ._checkpoint import EpochCheckpoint
from ._split import split_distinct_samples
from .exceptions import DivergenceError
from .network import OUTPUT_LAYERS, Network
from .optimizers import NAMED_OPTIMIZERS

OPTIMIZER_PROTOCOL = ["pre_update_params", "update_params", "post_update_params"]

# Estimator parameters that configure a named optimizer, with their defaults.
OPTIMIZER_SETTINGS = {
    "learning_rate": None,
    "decay": 0.0,
    "momentum": None,
    "epsilon": 1e-7,
    "rho": 0.9,
    "beta_1": 0.9,
    "beta_2": 0.999,
}

PREDICT_CHUNK_ROWS = 10_000

# Private fitted state, deleted with the public fitted attributes.
FIT_STATE = (
    "_no_improvement_count",
    "_shuffle_random_state",
    "_random_state_source",
    "_multilabel",
    "_accuracy_precision",
)


# scikit-learn >= 1.7 refuses all-zero weights itself, with its own message.
_ALLOW_ZERO = (
    {"allow_all_zero_weights": True}
    if "allow_all_zero_weights" in inspect.signature(_check_sample_weight).parameters
    else {}
)


def check_sample_weight(sample_weight, X, dtype=None):
    """Return ``sample_weight`` validated for ``X``: non-negative, not all zero.

    Parameters
    ----------
    sample_weight : array-like of shape (n_samples,) or float
        The weights to check.
    X : array-like of shape (n_samples, n_features)
        The samples they weigh.
    dtype : dtype, default=None
        The dtype of the result (float64 when None).

    Returns
    -------
    sample_weight : ndarray of shape (n_samples,)
        The weights as an array.
    """
    sample_weight = _check_sample_weight(
        sample_weight, X, dtype=dtype, ensure_non_negative=True, **_ALLOW_ZERO
    )
    if not np.any(sample_weight > 0):
        raise ValueError(
            "sample_weight must have at least one positive entry: the loss and "
            "the score are weighted means, and all the weights are zero."
        )
    return sample_weight


def unused_setting_message(optimizer, name, value):
    """Say that setting ``name`` would be ignored by the named ``optimizer``.

    Parameters
    ----------
    optimizer : str
        A key of :data:`NAMED_OPTIMIZERS`.
    name : str
        The setting (``'momentum'``, ``'rho'``, ...).
    value : object
        Its value.

    Returns
    -------
    message : str
        One sentence naming the setting, the optimizer and those that use it.

    Examples
    --------
    >>> from sknnfs._base import unused_setting_message
    >>> print(unused_setting_message("adam", "rho", 0.5))
    rho=0.5 is not used by optimizer='adam', and would be ignored; rho is used by
    'rmsprop'.
    """
    users = [key for key, named in NAMED_OPTIMIZERS.items() if named.uses(name)]
    return (
        f"{name}={value!r} is not used by optimizer={optimizer!r}, and would be "
        f"ignored; {name} is used by {', '.join(map(repr, users))}."
    )


def _unused_setting_error(estimator, name):
    """Return the error refusing ``name``, which the estimator's optimizer ignores."""
    optimizer, value = estimator.optimizer, getattr(estimator, name)
    user = next(key for key, named in NAMED_OPTIMIZERS.items() if named.uses(name))
    return ValueError(
        f"{unused_setting_message(optimizer, name, value)} Leave {name} at its "
        f"default ({OPTIMIZER_SETTINGS[name]!r}) or choose an optimizer that uses "
        "it. In a grid search over several optimizers, give a list of grids, each "
        "with the settings its optimizers use, e.g. param_grid=[{'optimizer': "
        f"[{user!r}], {name!r}: [...]}}, {{'optimizer': [{optimizer!r}]}}]."
    )


@dataclass
class TrainingRun:
    """What one call of ``fit`` or ``partial_fit`` trains, and its history so far.

    ``state`` holds the fitted attributes that the epochs change (``n_iter_``,
    ``loss_curve_``, ...), written to the estimator only when training ends.
    """

    network: Network
    optimizer: object
    X: object
    y: np.ndarray
    sample_weight: object
    validation: object  # (X_val, y_val, sample_weight_val), or None
    incremental: bool
    rng: np.random.RandomState
    batches: list = None
    shuffle: bool = False
    state: dict = None
    checkpoint: EpochCheckpoint = None


class BaseNNFS(CallbackSupportMixin, EpochCallbacksMixin, BaseEstimator):
    """Parameters, validation and the training loop of the sknnfs estimators.

    Subclasses supply the target handling (``_encode_targets``,
    ``_training_score``, ``_validation_loss``) and the public methods.
    """

    _y_numeric = False  # whether validate_data makes y numeric
    # learning rates of named optimizers that differ, for this estimator, from
    # the registry's (sknnfs.optimizers.NAMED_OPTIMIZERS) when learning_rate=None
    _default_learning_rates: dict = {}
    # whether the log line always shows (data_loss: ..., reg_loss: ...), as
    # the book's chapter 14-17 code does, or only when a penalty is on
    _log_loss_parts = False

    _parameter_constraints: dict = {
        "hidden_layer_sizes": [
            "array-like",
            Interval(Integral, 1, None, closed="left"),
        ],
        "activation": [StrOptions({"relu", "logistic", "tanh", "identity"})],
        "optimizer": [
            StrOptions(set(NAMED_OPTIMIZERS)),
            HasMethods(OPTIMIZER_PROTOCOL),
        ],
        "learning_rate": [Interval(Real, 0, None, closed="neither"), None],
        "decay": [Interval(Real, 0, None, closed="left")],
        "momentum": [Interval(Real, 0, 1, closed="left"), None],
        "epsilon": [Interval(Real, 0, None, closed="neither")],
        "rho": [Interval(Real, 0, 1, closed="left")],
        "beta_1": [Interval(Real, 0, 1, closed="left")],
        "beta_2": [Interval(Real, 0, 1, closed="left")],
        "alpha": [Interval(Real, 0, None, closed="left")],
        "weight_l1": ["array-like", Interval(Real, 0, None, closed="left")],
        "weight_l2": ["array-like", Interval(Real, 0, None, closed="left")],
        "bias_l1": ["array-like", Interval(Real, 0, None, closed="left")],
        "bias_l2": ["array-like", Interval(Real, 0, None, closed="left")],
        "dropout": ["array-like", Interval(Real, 0, 1, closed="left")],
        "batch_size": [
            Interval(Integral, 1, None, closed="left"),
            StrOptions({"auto"}),
            None,
        ],
        "max_iter": [Interval(Integral, 1, None, closed="left")],
        "tol": [Interval(Real, 0, None, closed="left"), None],
        "n_iter_no_change": [
            Interval(Integral, 1, None, closed="left"),
            Options(Real, {np.inf}),  # never stop on tol, as in MLPClassifier
        ],
        "shuffle": ["boolean"],
        "random_state": ["random_state"],
        "init": [
            StrOptions({"nnfs", "glorot", "he"}),
            Interval(Real, 0, None, closed="neither"),
        ],
        "early_stopping": ["boolean"],
        "validation_fraction": [Interval(Real, 0, 1, closed="neither")],
        "warm_start": ["boolean"],
        "verbose": ["verbose"],
    }

    def __init__(
        self,
        hidden_layer_sizes=(100,),
        activation="relu",
        *,
        optimizer="adam",
        learning_rate=None,
        decay=0.0,
        momentum=None,
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
    ):
        self.hidden_layer_sizes = hidden_layer_sizes
        self.activation = activation
        self.optimizer = optimizer
        self.learning_rate = learning_rate
        self.decay = decay
        self.momentum = momentum
        self.epsilon = epsilon
        self.rho = rho
        self.beta_1 = beta_1
        self.beta_2 = beta_2
        self.alpha = alpha
        self.weight_l1 = weight_l1
        self.weight_l2 = weight_l2
        self.bias_l1 = bias_l1
        self.bias_l2 = bias_l2
        self.dropout = dropout
        self.batch_size = batch_size
        self.max_iter = max_iter
        self.tol = tol
        self.n_iter_no_change = n_iter_no_change
        self.shuffle = shuffle
        self.random_state = random_state
        self.init = init
        self.early_stopping = early_stopping
        self.validation_fraction = validation_fraction
        self.warm_start = warm_start
        self.verbose = verbose

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.sparse = True
        return tags

    def _check_params(self):
        """Refuse what ``_parameter_constraints`` lets through but cannot work."""
        for name in ("batch_size", "max_iter", "n_iter_no_change"):
            if isinstance(getattr(self, name), (bool, np.bool_)):
                raise InvalidParameterError(
                    f"The {name!r} parameter of {type(self).__name__} must be an "
                    f"int, not a bool; got {getattr(self, name)!r}."
                )
        if isinstance(self.init, (bool, np.bool_)):
            raise InvalidParameterError(
                f"The 'init' parameter of {type(self).__name__} must be 'glorot', "
                "'he', 'nnfs' or a positive float (the scale of the book's "
                f"scale * randn init), not a bool; got {self.init!r}."
            )
        if isinstance(self.optimizer, type):
            raise InvalidParameterError(
                f"The 'optimizer' parameter of {type(self).__name__} must be a name "
                f"or an optimizer object, not a class: pass "
                f"{self.optimizer.__name__}() rather than "
                f"{self.optimizer.__name__}."
            )
        self._check_optimizer_settings()
        self._hidden_sizes()

    # -- building the parts -------------------------------------------------

    def _hidden_sizes(self):
        sizes = np.atleast_1d(self.hidden_layer_sizes).tolist()
        if not all(
            isinstance(s, Integral) and not isinstance(s, bool) and s > 0 for s in sizes
        ):
            raise ValueError(
                "hidden_layer_sizes must be a tuple of positive integers, one per "
                "hidden layer, e.g. (64,) or (128, 64); got "
                f"{self.hidden_layer_sizes!r}."
            )
        return sizes

    def _check_optimizer_settings(self):
        """Refuse settings that the chosen optimizer would ignore."""
        changed = [
            name
            for name, default in OPTIMIZER_SETTINGS.items()
            if getattr(self, name) != default
        ]
        if not isinstance(self.optimizer, str):
            if changed:
                raise ValueError(
                    f"{', '.join(changed)} configure the named optimizers only; with "
                    "an optimizer object, set them on the object itself, e.g. "
                    f"optimizer__{changed[0]} in a grid search."
                )
            return
        named = NAMED_OPTIMIZERS[self.optimizer]
        for name in changed:
            if not named.uses(name):
                raise _unused_setting_error(self, name)
        alias = named.momentum_is
        if alias != "momentum" and {"momentum", alias} <= set(changed):
            raise ValueError(
                f"momentum={self.momentum!r} and {alias}={getattr(self, alias)!r} "
                f"both set the same thing: optimizer={self.optimizer!r}'s momentum "
                f"is its {alias}. Set one of them."
            )

    def _build_optimizer(self):
        """Build a fresh optimizer: a named one, or a clone of the user's."""
        if not isinstance(self.optimizer, str):
            optimizer = clone(self.optimizer, safe=False)
            if hasattr(optimizer, "_validate_params"):
                optimizer._validate_params()
            return optimizer
        named = NAMED_OPTIMIZERS[self.optimizer]
        learning_rate = self.learning_rate
        if learning_rate is None:
            learning_rate = self._default_learning_rates.get(
                self.optimizer, named.learning_rate
            )
        settings = {name: getattr(self, name) for name in named.settings}
        return named.build(learning_rate, self.decay, **settings)

    def _initial_params(self, layer_sizes, dtype, rng):
        coefs, intercepts = [], []
        for n_in, n_out in zip(layer_sizes[:-1], layer_sizes[1:]):
            biases = np.zeros(n_out, dtype=dtype)  # the book's, for all but glorot
            if not isinstance(self.init, str) or self.init == "nnfs":
                # The book's scale * randn (0.01; 0.1 in its chapter 17), drawn
                # as float64 and then cast, as nnfs.init()'s float32
                # np.random.randn does; a Python float scale keeps float32.
                scale = 0.01 if self.init == "nnfs" else float(self.init)
                weights = scale * rng.standard_normal((n_in, n_out)).astype(dtype)
            elif self.init == "he":
                weights = rng.standard_normal((n_in, n_out)) * np.sqrt(2 / n_in)
            else:  # Glorot, with MLPClassifier's factor
                factor = 2.0 if self.activation == "logistic" else 6.0
                bound = np.sqrt(factor / (n_in + n_out))
                weights = rng.uniform(-bound, bound, (n_in, n_out))
                biases = rng.uniform(-bound, bound, n_out)  # as MLPClassifier's
            coefs.append(weights.astype(dtype, copy=False))
            intercepts.append(biases.astype(dtype, copy=False))
        return coefs, intercepts

    def _per_layer(self, name, n_layers):
        """Return the value of parameter ``name`` for each of ``n_layers`` layers."""
        value = getattr(self, name)
        if np.ndim(value) == 0:
            return [float(value)] * n_layers
        values = [float(v) for v in value]
        layers = "hidden layers" if name == "dropout" else "layers"
        if len(values) != n_layers:
            raise ValueError(
                f"{name} has {len(values)} values but the network has {n_layers} "
                f"{layers}: give one value per layer, or one value for all."
            )
        upper = 1.0 if name == "dropout" else np.inf
        if not all(0 <= v < upper for v in values):
            raise ValueError(f"{name} values must be in [0, {upper}); got {value!r}.")
        return values

    def _network(self, random_state=None):
        """Build a network holding a copy of the fitted parameters."""
        n_layers = len(self.coefs_)
        names = {
            "weight_l1": "weight_regularizer_l1",
            "weight_l2": "weight_regularizer_l2",
            "bias_l1": "bias_regularizer_l1",
            "bias_l2": "bias_regularizer_l2",
        }
        per_layer = {name: self._per_layer(name, n_layers) for name in names}
        regularizers = [
            {book_name: per_layer[name][i] for name, book_name in names.items()}
            for i in range(n_layers)
        ]
        return Network(
            self.coefs_,
            self.intercepts_,
            self.activation,
            self.out_activation_,
            self.alpha,
            regularizers,
            self._per_layer("dropout", n_layers - 1),
            random_state,
        )

    # -- fitting ------------------------------------------------------------

    def _fit(self, X, y, sample_weight=None, incremental=False, classes=None):
        fresh = not hasattr(self, "coefs_") or not (self.warm_start or incremental)
        try:
            return self._fit_once(X, y, sample_weight, incremental, classes, fresh)
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
        """Keep the generator's state for the next warm start or partial_fit."""
        self._random_state_source = self.random_state
        self._shuffle_random_state = (
            None if self.random_state is None else copy.deepcopy(rng)
        )

    def _fit_once(self, X, y, sample_weight, incremental, classes, fresh):
        X, y = validate_data(
            self,
            X,
            y,
            accept_sparse=["csr", "csc"],
            dtype=[np.float64, np.float32],
            reset=fresh,
            multi_output=True,
            y_numeric=self._y_numeric,
        )
        if not fresh:  # continue in the dtype the model was trained in
            X = X.astype(self.coefs_[0].dtype, copy=False)
        if sparse.issparse(X):
            X = X.tocsr()  # row slicing for the batches
        y = self._encode_targets(
            y, fresh=fresh, dtype=X.dtype, classes=classes, incremental=incremental
        )
        if sample_weight is not None:
            sample_weight = check_sample_weight(sample_weight, X, dtype=X.dtype)
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

        rng = self._training_random_state(fresh)
        if fresh:
            optimizer = self._build_optimizer()
            self._initialize(X, rng)
        else:
            optimizer = self._continued_optimizer()
        # The network trains a copy: a fit that fails leaves the model as it was.
        network = self._network(random_state=rng)

        validation = None
        if self.early_stopping and not incremental:
            # distinct samples are held out whole, so that a repeated sample
            # and a weighted one make the same split (see sknnfs._split)
            X, X_val, y, y_val, sample_weight, weights_val = split_distinct_samples(
                X,
                y,
                sample_weight,
                self.validation_fraction,
                rng,
                stratify=self._stratify_labels(y),
            )
            validation = (X_val, y_val, weights_val)
        y, validation = self._scaled_targets(y, sample_weight, validation, fresh)

        self._callback_fit_begin(
            X, y, sample_weight, 1 if incremental else self.max_iter
        )
        history = self._train(
            TrainingRun(
                network, optimizer, X, y, sample_weight, validation, incremental, rng
            )
        )
        coefs, intercepts = network.coefs, network.intercepts
        if validation is not None:  # restore the best epoch's weights
            coefs, intercepts = history.pop("_best_params")
        self.coefs_, self.intercepts_, self.optimizer_ = coefs, intercepts, optimizer
        for name, value in history.items():
            setattr(self, name, value)
        self._keep_random_state(rng)
        self._callback_fit_end(X, y, sample_weight)
        return self

    def _class_weighted(self, y, sample_weight, incremental, dtype):
        return sample_weight

    def _scaled_targets(self, y, sample_weight, validation, fresh):
        """Return the training targets and the validation part in training units."""
        return y, validation

    def _stratify_labels(self, y):
        """Labels whose proportions the early-stopping split keeps, or None."""
        return None

    def _continued_optimizer(self):
        """Return the fitted optimizer, with the current settings applied to it."""
        settings = self._build_optimizer()
        if type(settings) is not type(self.optimizer_) or not hasattr(
            settings, "get_params"
        ):
            return settings
        optimizer = copy.deepcopy(self.optimizer_)
        optimizer.set_params(**settings.get_params())
        return optimizer

    def _initialize(self, X, rng):
        layer_sizes = [X.shape[1], *self._hidden_sizes(), self.n_outputs_]
        self.coefs_, self.intercepts_ = self._initial_params(layer_sizes, X.dtype, rng)
        self.n_layers_ = len(layer_sizes)
        self.n_iter_ = 0
        self.t_ = 0
        self.loss_curve_ = []
        self.best_loss_ = np.inf
        self._no_improvement_count = 0
        self.validation_scores_ = [] if self.early_stopping else None
        self.validation_loss_curve_ = [] if self.early_stopping else None
        self.best_validation_score_ = -np.inf if self.early_stopping else None

    def _train(self, run):
        """Run the epochs; return the fitted attributes they change."""
        n_samples = run.X.shape[0]
        if self.batch_size is None:
            batch_size = n_samples
        elif self.batch_size == "auto":
            batch_size = min(200, n_samples)
        else:
            batch_size = min(self.batch_size, n_samples)
        run.batches = list(gen_batches(n_samples, batch_size))
        # Shuffling one full batch would only reorder a sum, so nothing is drawn.
        run.shuffle = self.shuffle and len(run.batches) > 1
        run.state = {
            "n_iter_": self.n_iter_,
            "t_": self.t_,
            "loss_curve_": list(self.loss_curve_),
            "best_loss_": self.best_loss_,
            "_no_improvement_count": self._no_improvement_count,
            "validation_scores_": copy.copy(self.validation_scores_),
            "best_validation_score_": self.best_validation_score_,
        }
        if run.validation is not None:
            run.state["_best_params"] = self._copy_params(run.network)
        run.checkpoint = EpochCheckpoint(
            [run.network.flat_params],  # one copy covers every layer's views
            run.optimizer,
            run.state,
            run.rng if run.shuffle and self.random_state is not None else None,
        )
        # Overflow is how divergence starts: it is caught as a non-finite loss,
        # with an error that says what to do, rather than as warnings.
        with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
            try:
                self._epochs(run)
            except KeyboardInterrupt:
                self._interrupted(run)
        # The last step's update is seen by no loss: check the weights themselves.
        if not all(np.all(np.isfinite(p)) for p in run.network.params):
            raise DivergenceError(
                self._divergence_message(
                    run.state["n_iter_"] - 1,
                    "the weights became non-finite",
                    run.optimizer,
                )
            )
        run.state["loss_"] = run.state["loss_curve_"][-1]
        return run.state

    def _epochs(self, run):
        """Train epoch after epoch until max_iter, convergence or a callback's stop."""
        state, optimizer = run.state, run.optimizer
        n_samples = run.X.shape[0]
        stops_on_tol = self.tol is not None and not run.incremental
        for _ in range(1 if run.incremental else self.max_iter):
            epoch = state["n_iter_"]
            print_line = self.verbose and epoch % self.verbose == 0
            # the book prints the rate as it stands before the epoch's steps
            learning_rate = getattr(optimizer, "current_learning_rate", None)
            order = run.rng.permutation(n_samples) if run.shuffle else None
            epoch_task = self._callback_epoch_begin(
                run.network, run.X, run.y, run.sample_weight
            )
            loss, data_loss, penalty, score = self._run_epoch(run, order, print_line)
            if not math.isfinite(loss):
                raise DivergenceError(
                    self._divergence_message(
                        epoch, f"the loss became {float(loss)}", optimizer
                    )
                )
            state["n_iter_"] += 1
            state["t_"] += n_samples
            state["loss_curve_"].append(loss)
            if print_line:
                print(
                    self._log_line(
                        epoch, score, loss, data_loss, penalty, learning_rate, optimizer
                    )
                )
            self._track_improvement(run, loss)
            run.checkpoint.save(state)  # an interrupt keeps this epoch's model
            if self._callback_epoch_end(
                epoch_task, run.network, run.X, run.y, run.sample_weight
            ):
                return  # a callback asked to stop
            if stops_on_tol and state["_no_improvement_count"] > self.n_iter_no_change:
                if self.verbose:
                    print(self._stop_message())
                return
        if stops_on_tol:
            warnings.warn(
                f"Stochastic Optimizer: Maximum iterations ({self.max_iter}) "
                "reached and the optimization hasn't converged yet.",
                ConvergenceWarning,
                stacklevel=7,  # the user's fit call, through with_callbacks
            )

    def _interrupted(self, run):
        """Keep the model of the last finished epoch after a KeyboardInterrupt.

        As MLPClassifier does, with a warning; an interrupt before any epoch
        of this call has finished is raised again, leaving the model as it
        was before the call (none, for a fresh fit).
        """
        run.checkpoint.restore(run.state)
        epochs = run.state["n_iter_"]
        if epochs == self.n_iter_:
            raise KeyboardInterrupt
        warnings.warn(
            f"Training interrupted by the user during epoch {epochs}: "
            f"keeping the model of the last finished epoch ({epochs} "
            "epochs in all). Call fit again with warm_start=True, or "
            "partial_fit, to continue from it.",
            UserWarning,
            stacklevel=7,  # the user's fit call, through with_callbacks
        )

    def _run_epoch(self, run, order, score):
        """One pass over the batches, in ``order`` (None: as they are).

        Returns the weighted means over the batches of the loss, of its data
        and penalty parts, and of the training score if ``score`` (else nan).
        """
        X, y, sample_weight = run.X, run.y, run.sample_weight
        train_step, optimizer = run.network.train_step, run.optimizer
        loss_sum = data_sum = penalty_sum = score_sum = weight_sum = 0.0
        # a slice of rows is a view; take gathers shuffled rows faster than
        # X[rows] (numpy's 2-d fancy indexing costs ~1 us more)
        take = order is not None and type(X) is np.ndarray
        for batch in run.batches:
            rows = batch if order is None else order[batch]
            X_batch = X.take(rows, axis=0) if take else X[rows]
            y_batch = y[rows]
            w_batch = None if sample_weight is None else sample_weight[rows]
            data_loss, penalty = train_step(X_batch, y_batch, optimizer, w_batch)
            # the book's sum, in the data's precision: exact for a single
            # float32 batch, so that the log shows the book's loss
            loss = float(data_loss + penalty)
            if not math.isfinite(loss):
                return loss, np.nan, np.nan, np.nan  # diverged: stop at once
            batch_weight = len(y_batch) if w_batch is None else float(np.sum(w_batch))
            loss_sum += loss * batch_weight
            data_sum += float(data_loss) * batch_weight
            penalty_sum += float(penalty) * batch_weight
            weight_sum += batch_weight
            if score:
                score_sum += batch_weight * self._training_score(
                    run.network.output_layer.output, y_batch, w_batch
                )
        means = (loss_sum, data_sum, penalty_sum, score_sum)
        return tuple(total / weight_sum for total in means)

    def _log_line(
        self, epoch, score, loss, data_loss, penalty, learning_rate, optimizer
    ):
        """Return the book's log line, in its chapter 14 form when a penalty is on.

        The regressor always uses that form: the book's regression (chapter
        17) prints it, with ``reg_loss: 0.000``.
        """
        line = f"epoch: {epoch}, acc: {score:.3f}, loss: {loss:.3f}"
        if (
            self._log_loss_parts
            or self.alpha
            or any(
                np.any(np.asarray(getattr(self, name)) > 0)
                for name in ("weight_l1", "weight_l2", "bias_l1", "bias_l2")
            )
        ):
            line += f" (data_loss: {data_loss:.3f}, reg_loss: {penalty:.3f})"
        if getattr(optimizer, "decay", 0):
            line += f", lr: {learning_rate}"
        return line

    @staticmethod
    def _copy_params(network):
        return [w.copy() for w in network.coefs], [b.copy() for b in network.intercepts]

    def _track_improvement(self, run, loss):
        """MLPClassifier's rule: count epochs that improve by less than ``tol``."""
        state, network, validation = run.state, run.network, run.validation
        tol = 0.0 if self.tol is None else self.tol
        improved = loss <= state["best_loss_"] - tol
        state["best_loss_"] = min(state["best_loss_"], loss)
        if validation is not None:
            X_val, y_val, sw_val = validation
            output = self._predict_chunked(network, X_val)
            if not np.all(np.isfinite(output)):  # the epoch's last step diverged
                raise DivergenceError(
                    self._divergence_message(
                        state["n_iter_"] - 1,
                        "the predictions of the held-out samples became non-finite",
                        run.optimizer,
                    )
                )
            score = self._validation_score(output, y_val, sw_val)
            state["validation_scores_"].append(score)
            state.setdefault(
                "validation_loss_curve_",
                list(getattr(self, "validation_loss_curve_", None) or []),
            ).append(self._validation_loss(output, y_val, sw_val))
            improved = score >= state["best_validation_score_"] + tol
            if score > state["best_validation_score_"]:
                state["best_validation_score_"] = score
                state["_best_params"] = self._copy_params(network)
        state["_no_improvement_count"] = (
            0 if improved else (state["_no_improvement_count"] + 1)
        )

    def _stop_message(self):
        what = "Validation score" if self.early_stopping else "Training loss"
        return (
            f"{what} did not improve more than tol={self.tol} for "
            f"{self.n_iter_no_change} consecutive epochs. Stopping."
        )

    def _divergence_message(self, epoch, what, optimizer):
        rate = getattr(optimizer, "current_learning_rate", self.learning_rate)
        return (
            f"Training diverged at epoch {epoch}: {what} "
            f"with learning rate {rate}. Lower the learning rate (for example to "
            f"a tenth of it), or scale X (for example with StandardScaler); no "
            "model was kept from this fit."
        )

    # -- predicting ---------------------------------------------------------

    def _validation_score(self, output, y, sample_weight):
        return self._training_score(output, y, sample_weight)

    def _validation_loss(self, output, y, sample_weight):
        """Return the output layer's loss of ``output``: data loss only, no penalty."""
        output_layer = OUTPUT_LAYERS[self.out_activation_]()
        output_layer.output = output
        return float(output_layer.calculate(y, sample_weight))

    def _forward(self, X, logits=False):
        """Return the fitted network's output (or its logits) for ``X``, validated."""
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
        return self._predict_chunked(self._network(), X, logits)

    @staticmethod
    def _predict_chunked(network, X, logits=False):
        """Return the network's output for X, a bounded number of rows at a time.

        With ``logits``, the output layer's inputs instead of its output.
        """
        outputs = None
        for rows in gen_batches(X.shape[0], PREDICT_CHUNK_ROWS):
            output = network.forward(X[rows])  # a buffer the next chunk overwrites
            if logits:
                output = network.dense_layers[-1].output
            if outputs is None:
                outputs = np.empty((X.shape[0], output.shape[1]), output.dtype)
            outputs[rows] = output
        return outputs
