"""Which model a picture or a range test is about, and how the user gave it.

A user hands the displays and the learning-rate finder what they have at
hand: an estimator, a ``Pipeline`` ending in one, or a fitted search
(``GridSearchCV`` and the like), whose ``best_estimator_`` is the model. The
helpers here find the model and say in words where it was found, so that a
picture drawn from a search says which of its models it shows.
"""

from sklearn.exceptions import NotFittedError

__all__ = ["describe", "unwrap", "unwrap_fitted", "unwrap_search"]


def _is_search(estimator):
    """Whether ``estimator`` is a hyper-parameter search (scikit-learn's or alike)."""
    names = [cls.__name__ for cls in type(estimator).__mro__]
    return "BaseSearchCV" in names or type(estimator).__name__.endswith("SearchCV")


def unwrap(estimator):
    """Return ``(model, where)``: the model a search or pipeline holds, and where.

    A fitted search gives its ``best_estimator_``; a pipeline (the search's
    too) gives its last step; anything else is the model itself. ``where`` is
    a phrase such as ``"the last step of GridSearchCV's best_estimator_"``,
    or ``""`` for a bare model. An unfitted search (or one fitted with
    ``refit=False``) has no model to give: :class:`NotFittedError`.
    """
    estimator, where = unwrap_search(estimator)
    if hasattr(estimator, "steps"):
        where = "the last step of " + (where or "the Pipeline")
        estimator = estimator[-1]
    return estimator, where


def unwrap_search(estimator):
    """Return a fitted search's ``(best_estimator_, where)``; others: ``(it, "")``."""
    if not _is_search(estimator):
        return estimator, ""
    if not hasattr(estimator, "best_estimator_"):
        raise NotFittedError(
            f"This {type(estimator).__name__} has no best_estimator_: fit it "
            "first (with refit=True, the default), or pass the model itself, "
            "e.g. search.estimator."
        )
    return estimator.best_estimator_, f"{type(estimator).__name__}'s best_estimator_"


def unwrap_fitted(estimator, curve_attribute="n_iter_"):
    """Return :func:`unwrap`'s ``(model, where)``, the model checked fitted."""
    model, where = unwrap(estimator)
    if not hasattr(model, curve_attribute):
        drawn = type(model).__name__ + (f" ({where})" if where else "")
        raise NotFittedError(
            f"This {drawn} is not fitted yet: call fit first, then draw it."
        )
    return model, where


def describe(model, where):
    """Return the model's class name and where it was found, in one phrase."""
    return type(model).__name__ + (f", {where}" if where else "")
