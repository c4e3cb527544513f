"""scikit-learn's callback API (``sklearn.callback``, new in 1.9), when present.

An estimator's ``fit`` is one task whose subtasks are its epochs: a
:class:`~sklearn.callback.ProgressBar` shows one bar over the epochs, and a
:class:`~sklearn.callback.ScoringMonitor` scores the model as it stands at the
end of each epoch. Inside a meta-estimator (``GridSearchCV``, ``Pipeline``,
...), the task tree of the fit joins the meta-estimator's, so a progress bar
set on the search reaches down to the epochs.

The hooks get ``X`` and ``y`` as the network trains on them: the validated
array (without the held-out part with ``early_stopping``) and the labels as
given (``classes_``), with ``sample_weight`` in ``metadata`` when it is set.

On a scikit-learn without ``sklearn.callback``, :class:`CallbackSupportMixin`
is an empty class, ``set_callbacks`` does not exist, and the hooks below do
nothing: the estimator trains as before.

What is relied on, all public names of ``sklearn.callback`` except the
estimator attribute ``_skl_callbacks`` (read only, to skip the per-epoch work
when no callback is set) and the mixin's ``_init_callback_context``, which is
documented as the way an estimator starts its task tree:
``CallbackSupportMixin``, ``with_callbacks``, ``CallbackContext.subcontext``,
``call_on_fit_task_begin`` and ``call_on_fit_task_end``.
"""

import functools

from ._training import EpochHook

try:  # scikit-learn >= 1.9
    from sklearn.callback import CallbackSupportMixin, with_callbacks

    CALLBACKS_SUPPORTED = True
except ImportError:  # pragma: no cover - exercised in a subprocess by the tests
    CALLBACKS_SUPPORTED = False

    class CallbackSupportMixin:
        """Stand-in for scikit-learn's mixin on versions without callbacks."""

    def with_callbacks(method):
        """Wrap ``method`` as scikit-learn's decorator does, with nothing to do.

        The wrapper keeps the call stack as deep as with callbacks, so that a
        warning's ``stacklevel`` names the user's line on every version.
        """

        @functools.wraps(method)
        def callback_managed_method(estimator, *args, **kwargs):
            return method(estimator, *args, **kwargs)

        return callback_managed_method


class FitCallbacksMixin:
    """The hooks of the fit task: ``_fit`` opens it before training, closes it after."""

    def _callback_fit_begin(self, X, y, sample_weight, n_epochs):
        """Open the task tree of this fit, with ``n_epochs`` epoch subtasks."""
        if not hasattr(self, "_init_callback_context"):
            return
        context = self._init_callback_context(max_subtasks=n_epochs)
        context.call_on_fit_task_begin(
            estimator=self,
            X=X,
            y=lambda: self._decode_targets(y),
            metadata=_metadata(sample_weight),
        )

    def _callback_fit_end(self, X, y, sample_weight):
        """Close the task of this fit, the fitted attributes being set."""
        context = getattr(self, "_callback_fit_ctx", None)
        if context is not None:
            context.call_on_fit_task_end(
                estimator=self,
                X=X,
                y=lambda: self._decode_targets(y),
                metadata=_metadata(sample_weight),
                reconstruction_attributes=_without_feature_names(self),
            )

    def _has_epoch_callbacks(self):
        """Whether callbacks are set, so that each epoch is a task for them."""
        return bool(getattr(self, "_callback_fit_ctx", None)) and bool(
            getattr(self, "_skl_callbacks", None)
        )


class EpochCallbacks(EpochHook):
    """Each epoch a subtask of the estimator's fit task, for scikit-learn's callbacks.

    The callbacks get ``X`` and ``y`` as the network trains on them, with
    ``y`` decoded to the labels (or units) the user gave. A callback whose
    ``on_fit_task_end`` returns True stops the training after that epoch.
    """

    def __init__(self, estimator):
        self.estimator = estimator

    def on_epoch_begin(self, run):
        context = self.estimator._callback_fit_ctx.subcontext(task_name="epoch")
        context.call_on_fit_task_begin(**self._arguments(run))
        self._epoch = context

    def on_epoch_end(self, run):
        return bool(self._epoch.call_on_fit_task_end(**self._arguments(run)))

    def _arguments(self, run):
        estimator, network = self.estimator, run.network
        return dict(
            estimator=estimator,
            X=run.X,
            y=lambda: estimator._decode_targets(run.y),
            metadata=_metadata(run.sample_weight),
            reconstruction_attributes=lambda: _snapshot(estimator, network),
        )


def _snapshot(estimator, network):
    """Fitted attributes of a model that stops here, for ``fitted_estimator``.

    The callbacks get the data as the network trains on it (validated
    arrays, and labels as in ``classes_``), so the snapshots (of each epoch,
    and of the end of the fit) have ``feature_names_in_`` set to None: they
    predict that data without a warning.
    """
    return {
        "coefs_": [w.copy() for w in network.coefs],
        "intercepts_": [b.copy() for b in network.intercepts],
        **_without_feature_names(estimator),
    }


def _without_feature_names(estimator):
    # The hooks get validated arrays, which have no column names.
    if hasattr(estimator, "feature_names_in_"):
        return {"feature_names_in_": None}
    return {}


def _metadata(sample_weight):
    return None if sample_weight is None else {"sample_weight": sample_weight}
