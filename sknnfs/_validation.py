"""Validation in one place: the parameters before anything is built, and weights.

``_parameter_constraints`` (scikit-learn's declarative checks) catch a wrong
type or range; :func:`check_params` then refuses what they let through but
cannot work, and what would be silently ignored. Both run at the start of
``fit`` (and of the first ``partial_fit``), before the data is read or a
weight drawn, so that a wrong ``dropout`` length fails before anything costs.
"""

from numbers import Integral, Real

import numpy as np
from sklearn.base import clone
from sklearn.utils.validation import check_array

from ._sklearn import HasMethods, Interval, InvalidParameterError, Options, StrOptions
from .optimizers import NAMED_OPTIMIZERS

__all__ = [
    "OPTIMIZER_SETTINGS",
    "check_params",
    "check_sample_weight",
    "hidden_sizes",
    "per_layer",
    "unused_setting_message",
]

#: Estimator parameters that configure a named optimizer, with their defaults.
OPTIMIZER_SETTINGS = {
    "learning_rate": None,
    "decay": 0.0,
    "momentum": None,
    "nesterov": False,
    "epsilon": 1e-7,
    "rho": 0.9,
    "beta_1": 0.9,
    "beta_2": 0.999,
}

#: Values that switch a setting off: given to an optimizer that lacks the
#: setting they change nothing, so they are accepted (``momentum=0.0`` with
#: AdaGrad, as in a grid ``momentum=[0.0, 0.9]`` over several optimizers).
SETTINGS_OFF = {"momentum": 0.0}

PER_LAYER = ("weight_l1", "weight_l2", "bias_l1", "bias_l2")

OPTIMIZER_PROTOCOL = ["pre_update_params", "update_params", "post_update_params"]
SCHEDULE_PROTOCOL = ["on_train_begin", "on_epoch_begin", "on_epoch_end", "on_train_end"]
_PENALTY = [Interval(Real, 0, None, closed="left")]

#: scikit-learn's declarative checks of every estimator parameter's type and range.
PARAMETER_CONSTRAINTS = {
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
    "schedule": [StrOptions({"plateau"}), HasMethods(SCHEDULE_PROTOCOL), None],
    "momentum": [Interval(Real, 0, 1, closed="left"), None],
    "nesterov": ["boolean"],
    "epsilon": [Interval(Real, 0, None, closed="neither")],
    "rho": [Interval(Real, 0, 1, closed="left")],
    "beta_1": [Interval(Real, 0, 1, closed="left")],
    "beta_2": [Interval(Real, 0, 1, closed="left")],
    "alpha": _PENALTY,
    **{name: ["array-like", *_PENALTY] for name in PER_LAYER},
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


def check_params(estimator):
    """Refuse the settings that pass ``_parameter_constraints`` but cannot work."""
    name = type(estimator).__name__
    for param in ("batch_size", "max_iter", "n_iter_no_change"):
        if isinstance(getattr(estimator, param), (bool, np.bool_)):
            raise InvalidParameterError(
                f"The {param!r} parameter of {name} must be an int, not a bool; "
                f"got {getattr(estimator, param)!r}."
            )
    if isinstance(estimator.init, (bool, np.bool_)):
        raise InvalidParameterError(
            f"The 'init' parameter of {name} must be 'glorot', 'he', 'nnfs' or a "
            "positive float (the scale of the book's scale * randn init), not a "
            f"bool; got {estimator.init!r}."
        )
    _check_optimizer(estimator)
    _check_schedule(estimator)
    n_layers = len(hidden_sizes(estimator.hidden_layer_sizes)) + 1
    for param in PER_LAYER:
        per_layer(param, getattr(estimator, param), n_layers)
    per_layer("dropout", estimator.dropout, n_layers - 1)


def _check_optimizer(estimator):
    """Refuse an optimizer class, bad object settings, and ignored settings."""
    optimizer = estimator.optimizer
    if isinstance(optimizer, type):
        raise InvalidParameterError(
            f"The 'optimizer' parameter of {type(estimator).__name__} must be a "
            f"name or an optimizer object, not a class: pass {optimizer.__name__}() "
            f"rather than {optimizer.__name__}."
        )
    changed = [
        setting
        for setting, default in OPTIMIZER_SETTINGS.items()
        if getattr(estimator, setting) != default
    ]
    if not isinstance(optimizer, str):
        if changed:
            raise ValueError(
                f"{', '.join(changed)} configure the named optimizers only; with an "
                "optimizer object, set them on the object itself, e.g. "
                f"optimizer__{changed[0]} in a grid search."
            )
        if hasattr(optimizer, "_validate_params"):
            clone(optimizer, safe=False)._validate_params()
        return
    named = NAMED_OPTIMIZERS[optimizer]
    for setting in changed:
        off = SETTINGS_OFF.get(setting, object()) == getattr(estimator, setting)
        if not named.uses(setting) and not off:
            raise ValueError(_unused_setting_advice(estimator, setting))
    momentum = named.momentum if estimator.momentum is None else estimator.momentum
    if estimator.nesterov and not momentum:
        raise ValueError(
            f"nesterov=True looks ahead along the momentum, and optimizer="
            f"{optimizer!r} has none here (momentum={momentum or 0}): it would "
            "change nothing. Set momentum, or use optimizer='sgd-momentum'."
        )
    alias = named.momentum_is
    if alias != "momentum" and {"momentum", alias} <= set(changed):
        raise ValueError(
            f"momentum={estimator.momentum!r} and {alias}="
            f"{getattr(estimator, alias)!r} both set the same thing: "
            f"optimizer={optimizer!r}'s momentum is its {alias}. Set one of them."
        )


def _check_schedule(estimator):
    """Refuse a schedule that would fail, or that the stopping rule would beat."""
    schedule = estimator.schedule
    if schedule is None:
        return
    if not isinstance(schedule, str) and hasattr(schedule, "_validate_params"):
        clone(schedule)._validate_params()
    optimizer = estimator.optimizer
    if not isinstance(optimizer, str) and not hasattr(optimizer, "learning_rate"):
        raise ValueError(
            f"schedule={schedule!r} lowers the optimizer's learning_rate, and "
            f"{type(optimizer).__name__} has none."
        )
    patience = (
        None if isinstance(schedule, str) else getattr(schedule, "patience", None)
    )
    stops_after = estimator.n_iter_no_change
    if estimator.tol is not None and patience is not None and patience > stops_after:
        raise ValueError(
            f"The schedule's patience={patience} is longer than n_iter_no_change="
            f"{stops_after}: training would stop before the schedule lowers the "
            "rate. Give the schedule a patience of at most n_iter_no_change, or "
            "leave it None (n_iter_no_change itself)."
        )


def unused_setting_message(optimizer, name, value):
    """Say that setting ``name`` would be ignored by the named ``optimizer``.

    Parameters
    ----------
    optimizer : str
        A key of :data:`~sknnfs.optimizers.NAMED_OPTIMIZERS`.
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
    >>> from sknnfs._validation import unused_setting_message
    >>> print(unused_setting_message("adam", "rho", 0.5))
    rho=0.5 is not used by optimizer='adam', and would be ignored; rho is used by
    'rmsprop'.
    """
    users = [key for key, named in NAMED_OPTIMIZERS.items() if named.uses(name)]
    return (
        f"{name}={value!r} is not used by optimizer={optimizer!r}, and would be "
        f"ignored; {name} is used by {', '.join(map(repr, users))}."
    )


def _unused_setting_advice(estimator, name):
    """Return the message refusing ``name``, which the optimizer ignores."""
    optimizer, value = estimator.optimizer, getattr(estimator, name)
    user = next(key for key, named in NAMED_OPTIMIZERS.items() if named.uses(name))
    return (
        f"{unused_setting_message(optimizer, name, value)} Leave {name} at its "
        f"default ({OPTIMIZER_SETTINGS[name]!r}) or choose an optimizer that uses "
        "it. In a grid search over several optimizers, give a list of grids, each "
        "with the settings its optimizers use, e.g. param_grid=[{'optimizer': "
        f"[{user!r}], {name!r}: [...]}}, {{'optimizer': [{optimizer!r}]}}]."
    )


def hidden_sizes(value):
    """Return ``hidden_layer_sizes`` as a list of positive ints, or raise."""
    sizes = np.atleast_1d(value).tolist()
    if not all(
        isinstance(s, Integral) and not isinstance(s, bool) and s > 0 for s in sizes
    ):
        raise ValueError(
            "hidden_layer_sizes must be a tuple of positive integers, one per "
            f"hidden layer, e.g. (64,) or (128, 64); got {value!r}."
        )
    return sizes


def per_layer(name, value, n_layers):
    """Return the value of parameter ``name`` for each of ``n_layers`` layers."""
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


def check_sample_weight(sample_weight, n_samples, dtype=np.float64):
    """Return ``sample_weight`` as ``n_samples`` weights: non-negative, not all 0.

    Parameters
    ----------
    sample_weight : array-like of shape (n_samples,) or float
        The weights to check; a number weighs every sample alike.
    n_samples : int
        The number of samples they weigh.
    dtype : dtype, default=np.float64
        The dtype of the result.

    Returns
    -------
    sample_weight : ndarray of shape (n_samples,)
        The weights as an array.
    """
    if isinstance(sample_weight, Real):
        sample_weight = np.full(n_samples, sample_weight, dtype=dtype)
    else:
        sample_weight = check_array(
            sample_weight, ensure_2d=False, dtype=dtype, input_name="sample_weight"
        )
        if sample_weight.ndim != 1:
            raise ValueError(
                f"Sample weights must be 1D array or scalar, got "
                f"{sample_weight.ndim}D array: give one weight per sample."
            )
        if sample_weight.shape[0] != n_samples:
            raise ValueError(
                f"sample_weight.shape == {sample_weight.shape}, expected "
                f"{(n_samples,)}: give one weight per sample, or one number."
            )
    if np.any(sample_weight < 0):
        raise ValueError("Negative values in data passed to sample_weight.")
    if not np.any(sample_weight > 0):
        raise ValueError(
            "sample_weight must have at least one positive entry: the loss and "
            "the score are weighted means, and all the weights are zero."
        )
    return sample_weight
