"""The private parts of scikit-learn that sknnfs relies on, and why each.

Everything else sknnfs takes from scikit-learn is public. These have no
public equivalent:

* ``sklearn.utils._param_validation``: ``Interval``, ``StrOptions``,
  ``Options``, ``HasMethods`` and ``InvalidParameterError``, with
  ``BaseEstimator._validate_params``, which reads them. They are the
  declarative parameter constraints (``_parameter_constraints``) of
  scikit-learn's own estimators: a wrong type or range gets scikit-learn's
  own message, and the estimator checks' ``check_param_validation``
  exercises them.
* With scikit-learn 1.9 and later, the callback API's
  ``CallbackSupportMixin._init_callback_context`` (how an estimator that
  supports callbacks starts its task tree, as the API documents) and the
  estimator attributes it sets, ``_callback_fit_ctx`` (the fit's task) and
  ``_skl_callbacks`` (read only, to skip the per-epoch tasks when no
  callback is set); see ``sknnfs._callbacks``.

The oldest scikit-learn that ``pyproject.toml`` admits is tested by CI
(``.ci/run``), so a change of these names there shows.
"""

from sklearn.utils._param_validation import (
    HasMethods,
    Interval,
    InvalidParameterError,
    Options,
    StrOptions,
)

__all__ = ["HasMethods", "Interval", "InvalidParameterError", "Options", "StrOptions"]
