"""Pictures of training, in scikit-learn's Display convention.

``from_estimator`` reads a fitted model (or runs a range test) and draws;
``plot(ax=...)`` draws what the display holds, on a given axes or a new
figure. matplotlib is imported only when drawing, so sknnfs does not need
it. To compare models, as the book compares optimizers, draw each on the
same axes with its own ``name``.
"""

import numpy as np
from sklearn.base import is_regressor

from ._drawn import describe, unwrap_fitted
from .lr_finder import find_learning_rate

__all__ = ["LearningRateFinderDisplay", "TrainingCurveDisplay"]

CURVES = {
    "loss": ("loss_curve_", "training loss"),
    "validation_loss": ("validation_loss_curve_", "held-out loss"),
    "validation_score": ("validation_scores_", "held-out {score}"),
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


def _add_ylabel(ax, label):
    """Label the y axis, keeping the labels of the curves already drawn on it.

    Curves of different kinds share axes when a user compares them (the
    training loss beside the held-out loss): the label names them all.
    """
    labels = [part for part in ax.get_ylabel().split(" / ") if part]
    if label not in labels:
        labels.append(label)
    ax.set_ylabel(" / ".join(labels))


def _best_epoch(model):
    """Return the epoch of the weights the model kept, or of its lowest loss.

    With early stopping, the model keeps the weights of its best held-out
    score (of the lowest held-out loss among the epochs that tie it);
    without, its last weights, and the best epoch is that of the lowest
    training loss (``best_loss_``).
    """
    scores = getattr(model, "validation_scores_", None)
    if scores is not None and len(scores):
        scores = np.asarray(scores)
        tied = np.flatnonzero(scores == scores.max())
        losses = getattr(model, "validation_loss_curve_", None)
        if losses is None:  # a model of another kind, without the curve
            return int(tied[0])
        return int(tied[np.argmin(np.asarray(losses)[tied])])
    return int(np.argmin(model.loss_curve_))


def _score_name(model):
    """Return the held-out score's name: R² (regressor) or accuracy (classifier).

    A regressor with another loss than the squared error scores D² (the
    share of that loss explained).
    """
    if not is_regressor(model):
        return "accuracy"
    return "R²" if getattr(model, "loss", "squared_error") == "squared_error" else "D²"


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
    best_epoch : int, default=None
        The epoch to mark with a dot on the curve; None marks none.
    score_name : str, default="score"
        The held-out score's name in the y label (``'accuracy'`` for a
        classifier, ``'R²'`` for a regressor).

    Attributes
    ----------
    line_ : matplotlib Line2D
        The drawn curve.
    best_marker_ : matplotlib PathCollection or None
        The dot at ``best_epoch``.
    model_ : estimator
        With :meth:`from_estimator`: the model drawn (a pipeline's last
        step, a search's ``best_estimator_``).
    model_description_ : str
        With :meth:`from_estimator`: which model was drawn, in words, e.g.
        ``"NNFSClassifier, GridSearchCV's best_estimator_"``.
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

    def __init__(
        self, *, values, curve="loss", name=None, best_epoch=None, score_name="score"
    ):
        self.values = values
        self.curve = curve
        self.name = name
        self.best_epoch = best_epoch
        self.score_name = score_name

    @classmethod
    def from_estimator(cls, estimator, *, curve="loss", ax=None, name=None, **kwargs):
        """Draw a curve of a fitted sknnfs estimator, a pipeline, or a search.

        The epoch of the weights the model kept is marked: with early
        stopping, that of the best held-out score; without, that of the
        lowest training loss.

        Parameters
        ----------
        estimator : NNFSClassifier, NNFSRegressor, Pipeline or fitted search
            A fitted model; a pipeline's last step is drawn, and a fitted
            search's (``GridSearchCV``, ...) ``best_estimator_``.
        curve : str, default='loss'
            Which curve; see :class:`TrainingCurveDisplay`.
        ax : matplotlib Axes, default=None
            Where to draw; None makes a new figure.
        name : str, default=None
            The label in the legend; None labels a search's model with
            :attr:`model_description_`, and leaves others unlabelled.
        **kwargs : dict
            Passed to matplotlib's ``plot``.

        Returns
        -------
        display : TrainingCurveDisplay
            The display, drawn.
        """
        if curve not in CURVES:
            raise ValueError(f"curve must be one of {list(CURVES)}; got {curve!r}.")
        model, where = unwrap_fitted(estimator)
        values = getattr(model, CURVES[curve][0], None)
        if values is None:
            raise ValueError(
                f"{type(model).__name__} has no {curve} curve: the held-out "
                "curves are kept with early_stopping=True."
            )
        if name is None and "best_estimator_" in where:
            name = describe(model, where)
        display = cls(
            values=values,
            curve=curve,
            name=name,
            best_epoch=_best_epoch(model),
            score_name=_score_name(model),
        )
        display.model_, display.model_description_ = model, describe(model, where)
        return display.plot(ax=ax, **kwargs)

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
        self.best_marker_ = None
        if self.best_epoch is not None:
            self.best_marker_ = ax.scatter(
                [self.best_epoch],
                [self.values[self.best_epoch]],
                color=self.line_.get_color(),
                zorder=3,
                label="_best epoch",  # "_": not in the legend
            )
        ax.set_xlabel("epoch")
        _add_ylabel(ax, CURVES[self.curve][1].format(score=self.score_name))
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
    model_description_ : str
        With :meth:`from_estimator`: which model was tested, in words.
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
        estimator : NNFSClassifier, NNFSRegressor, Pipeline or fitted search
            The model (a search's ``best_estimator_``); it is never changed.
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
        display.model_description_ = found.model
        # a search's model is named, as TrainingCurveDisplay names it
        label = found.model if "best_estimator_" in found.model else None
        return display.plot(ax=ax, label=label)

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
