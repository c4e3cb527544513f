"""Pictures of training, in scikit-learn's Display convention.

``from_estimator`` reads a fitted model (or runs a range test) and draws;
``plot(ax=...)`` draws what the display holds, on a given axes or a new
figure. matplotlib is imported only when drawing, so sknnfs does not need
it. To compare models, as the book compares optimizers, draw each on the
same axes with its own ``name``.
"""

import numpy as np

from .lr_finder import find_learning_rate

__all__ = ["LearningRateFinderDisplay", "TrainingCurveDisplay"]

CURVES = {
    "loss": ("loss_curve_", "training loss"),
    "validation_loss": ("validation_loss_curve_", "held-out loss"),
    "validation_score": ("validation_scores_", "held-out score"),
    "learning_rate": ("learning_rate_curve_", "learning rate"),
}


def _axes(ax):
    """Return ``ax``, or the axes of a new figure (importing matplotlib now)."""
    if ax is not None:
        return ax
    try:
        import matplotlib.pyplot as plt
    except ImportError:
        raise ImportError(
            "Drawing needs matplotlib: pip install matplotlib (or the 'examples' "
            "extra of sknnfs)."
        ) from None
    return plt.subplots()[1]


def _final_estimator(estimator):
    """Return the estimator itself, or the last step of a pipeline."""
    return estimator[-1] if hasattr(estimator, "steps") else estimator


class TrainingCurveDisplay:
    """One curve of a fitted model's training, one point per epoch.

    Parameters
    ----------
    values : array-like of shape (n_epochs,)
        The curve's values, epoch by epoch.
    curve : {'loss', 'validation_loss', 'validation_score', 'learning_rate'}, \
default='loss'
        What the values are: the training loss (``loss_curve_``), the
        held-out loss or score of early stopping (``validation_loss_curve_``,
        ``validation_scores_``), or the learning rate (``learning_rate_curve_``,
        drawn on a log scale).
    name : str, default=None
        The curve's label in the legend.

    Attributes
    ----------
    line_ : matplotlib Line2D
        The drawn curve.
    ax_ : matplotlib Axes
        The axes it is drawn on.
    figure_ : matplotlib Figure
        The figure of those axes.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> from sklearn.datasets import load_iris
    >>> from sknnfs import NNFSClassifier
    >>> from sknnfs.display import TrainingCurveDisplay
    >>> X, y = load_iris(return_X_y=True)
    >>> sgd = NNFSClassifier(optimizer="sgd", random_state=0).fit(X, y)
    >>> adam = NNFSClassifier(random_state=0).fit(X, y)
    >>> display = TrainingCurveDisplay.from_estimator(sgd, name="sgd")
    >>> display = TrainingCurveDisplay.from_estimator(adam, ax=display.ax_, name="adam")
    >>> [line.get_label() for line in display.ax_.get_lines()]
    ['sgd', 'adam']
    """

    def __init__(self, *, values, curve="loss", name=None):
        self.values = values
        self.curve = curve
        self.name = name

    @classmethod
    def from_estimator(cls, estimator, *, curve="loss", ax=None, name=None, **kwargs):
        """Draw a curve of a fitted sknnfs estimator, or of a pipeline ending in one.

        Parameters
        ----------
        estimator : NNFSClassifier, NNFSRegressor or Pipeline
            A fitted model.
        curve : str, default='loss'
            Which curve; see :class:`TrainingCurveDisplay`.
        ax : matplotlib Axes, default=None
            Where to draw; None makes a new figure.
        name : str, default=None
            The label in the legend.
        **kwargs : dict
            Passed to matplotlib's ``plot``.

        Returns
        -------
        display : TrainingCurveDisplay
            The display, drawn.
        """
        if curve not in CURVES:
            raise ValueError(f"curve must be one of {list(CURVES)}; got {curve!r}.")
        model = _final_estimator(estimator)
        values = getattr(model, CURVES[curve][0], None)
        if not hasattr(model, "n_iter_"):
            raise ValueError(f"{type(model).__name__} is not fitted: fit it first.")
        if values is None:
            raise ValueError(
                f"{type(model).__name__} has no {curve} curve: the held-out "
                "curves are kept with early_stopping=True."
            )
        return cls(values=values, curve=curve, name=name).plot(ax=ax, **kwargs)

    def plot(self, ax=None, *, name=None, **kwargs):
        """Draw the curve.

        Parameters
        ----------
        ax : matplotlib Axes, default=None
            Where to draw; None makes a new figure.
        name : str, default=None
            The label in the legend; None keeps ``self.name``.
        **kwargs : dict
            Passed to matplotlib's ``plot``.

        Returns
        -------
        display : TrainingCurveDisplay
            The display, drawn.
        """
        ax = _axes(ax)
        label = self.name if name is None else name
        (self.line_,) = ax.plot(
            np.arange(len(self.values)), self.values, label=label, **kwargs
        )
        ax.set_xlabel("epoch")
        ax.set_ylabel(CURVES[self.curve][1])
        if self.curve == "learning_rate":
            ax.set_yscale("log")
        if label is not None:
            ax.legend()
        self.ax_, self.figure_ = ax, ax.figure
        return self


class LearningRateFinderDisplay:
    """A learning-rate range test's losses against its rates, the suggestion marked.

    Parameters
    ----------
    learning_rates : array-like of shape (n_steps,)
        The rate of each step.
    losses : array-like of shape (n_steps,)
        The smoothed loss of each step.
    suggestion : float
        The suggested rate, marked by a vertical line.

    Attributes
    ----------
    line_ : matplotlib Line2D
        The losses.
    suggestion_line_ : matplotlib Line2D
        The vertical line at the suggestion.
    ax_ : matplotlib Axes
        The axes they are drawn on.
    figure_ : matplotlib Figure
        The figure of those axes.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> from sklearn.datasets import load_iris
    >>> from sklearn.pipeline import make_pipeline
    >>> from sklearn.preprocessing import StandardScaler
    >>> from sknnfs import NNFSClassifier
    >>> from sknnfs.display import LearningRateFinderDisplay
    >>> X, y = load_iris(return_X_y=True)
    >>> model = make_pipeline(StandardScaler(), NNFSClassifier(random_state=0))
    >>> display = LearningRateFinderDisplay.from_estimator(model, X, y)
    >>> display.ax_.get_xscale(), display.suggestion > 0
    ('log', True)
    """

    def __init__(self, *, learning_rates, losses, suggestion):
        self.learning_rates = learning_rates
        self.losses = losses
        self.suggestion = suggestion

    @classmethod
    def from_estimator(cls, estimator, X, y, *, ax=None, **kwargs):
        """Run a range test (:func:`~sknnfs.lr_finder.find_learning_rate`) and draw it.

        Parameters
        ----------
        estimator : NNFSClassifier, NNFSRegressor or Pipeline
            The model; it is never changed.
        X : array-like of shape (n_samples, n_features)
            Training data.
        y : array-like of shape (n_samples,) or (n_samples, n_outputs)
            Targets.
        ax : matplotlib Axes, default=None
            Where to draw; None makes a new figure.
        **kwargs : dict
            Passed to :func:`~sknnfs.lr_finder.find_learning_rate`.

        Returns
        -------
        display : LearningRateFinderDisplay
            The display, drawn.
        """
        found = find_learning_rate(estimator, X, y, **kwargs)
        display = cls(
            learning_rates=found.learning_rates,
            losses=found.losses,
            suggestion=found.suggestion,
        )
        return display.plot(ax=ax)

    def plot(self, ax=None, **kwargs):
        """Draw the losses on a log scale of rates, and the suggested rate.

        Parameters
        ----------
        ax : matplotlib Axes, default=None
            Where to draw; None makes a new figure.
        **kwargs : dict
            Passed to matplotlib's ``plot`` for the losses.

        Returns
        -------
        display : LearningRateFinderDisplay
            The display, drawn.
        """
        ax = _axes(ax)
        (self.line_,) = ax.plot(self.learning_rates, self.losses, **kwargs)
        self.suggestion_line_ = ax.axvline(
            self.suggestion,
            color="0.3",
            linestyle="--",
            label=f"suggested rate {self.suggestion:.2g}",
        )
        ax.set_xscale("log")
        ax.set_xlabel("learning rate")
        ax.set_ylabel("smoothed training loss")
        ax.legend()
        self.ax_, self.figure_ = ax, ax.figure
        return self
