"""The training pictures: what they draw, and matplotlib imported only to draw."""

import subprocess
import sys
import warnings

import numpy as np
import pytest
from sklearn.datasets import load_diabetes, load_iris
from sklearn.exceptions import ConvergenceWarning, NotFittedError
from sklearn.model_selection import GridSearchCV
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from sknnfs import NNFSClassifier, NNFSRegressor
from sknnfs.display import LearningRateFinderDisplay, TrainingCurveDisplay

matplotlib = pytest.importorskip("matplotlib")
matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402


@pytest.fixture(scope="module")
def iris():
    X, y = load_iris(return_X_y=True)
    return StandardScaler().fit_transform(X), y


@pytest.fixture(autouse=True)
def close_figures():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        yield
    plt.close("all")


def fitted(X, y, **params):
    return NNFSClassifier((8,), max_iter=20, random_state=0, **params).fit(X, y)


def test_sknnfs_imports_no_matplotlib():
    code = (
        "import sys, sknnfs, sknnfs.display, sknnfs.lr_finder, sknnfs.schedules\n"
        "assert 'matplotlib' not in sys.modules, 'imported'"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


@pytest.mark.parametrize(
    "curve, attribute",
    [
        ("loss", "loss_curve_"),
        ("validation_loss", "validation_loss_curve_"),
        ("validation_score", "validation_scores_"),
        ("learning_rate", "learning_rate_curve_"),
    ],
)
def test_each_curve_is_the_fitted_attribute_by_epoch(iris, curve, attribute):
    model = fitted(*iris, early_stopping=True, decay=0.01)
    display = TrainingCurveDisplay.from_estimator(model, curve=curve)
    x, values = display.line_.get_data()
    np.testing.assert_array_equal(x, np.arange(model.n_iter_))
    np.testing.assert_array_equal(values, getattr(model, attribute))
    assert display.ax_.get_xlabel() == "epoch"
    assert display.ax_.get_yscale() == ("log" if curve == "learning_rate" else "linear")


def test_several_models_on_one_axes_as_the_book_compares_optimizers(iris):
    _, ax = plt.subplots()
    for name in ["sgd", "adam"]:
        model = make_pipeline(StandardScaler(), fitted(*iris, optimizer=name))
        display = TrainingCurveDisplay.from_estimator(model, ax=ax, name=name)
    assert display.ax_ is ax and display.figure_ is ax.figure
    assert [line.get_label() for line in ax.get_lines()] == ["sgd", "adam"]
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["sgd", "adam"]


def test_a_missing_curve_or_an_unfitted_model_says_what_to_do(iris):
    with pytest.raises(ValueError, match="kept with early_stopping=True"):
        TrainingCurveDisplay.from_estimator(fitted(*iris), curve="validation_loss")
    with pytest.raises(NotFittedError, match="NNFSClassifier is not fitted"):
        TrainingCurveDisplay.from_estimator(NNFSClassifier())
    with pytest.raises(ValueError, match="curve must be one of"):
        TrainingCurveDisplay.from_estimator(fitted(*iris), curve="accuracy")


def test_the_finders_picture_marks_its_suggestion(iris):
    X, y = iris
    _, ax = plt.subplots()
    display = LearningRateFinderDisplay.from_estimator(
        NNFSClassifier((8,), random_state=0), X, y, ax=ax, steps=40
    )
    rates, losses = display.line_.get_data()
    np.testing.assert_array_equal(rates, display.learning_rates)
    np.testing.assert_array_equal(losses, display.losses)
    assert display.suggestion_line_.get_xdata()[0] == display.suggestion
    assert ax.get_xscale() == "log" and display.ax_ is ax
    assert "suggested rate" in ax.get_legend().get_texts()[0].get_text()


def search_of(model, X, y):
    prefix = "nnfsclassifier__" if hasattr(model, "steps") else ""
    grid = {f"{prefix}learning_rate": [0.001, 0.01]}
    return GridSearchCV(model, grid, cv=2).fit(X, y)


@pytest.mark.parametrize("in_a_pipeline", [False, True])
def test_a_fitted_search_draws_its_best_estimator_and_says_so(iris, in_a_pipeline):
    X, y = iris
    model = NNFSClassifier((8,), max_iter=20, random_state=0)
    if in_a_pipeline:
        model = make_pipeline(StandardScaler(), model)
    search = search_of(model, X, y)
    display = TrainingCurveDisplay.from_estimator(search)
    best = search.best_estimator_[-1] if in_a_pipeline else search.best_estimator_
    assert display.model_ is best
    np.testing.assert_array_equal(display.line_.get_data()[1], best.loss_curve_)
    where = "the last step of " if in_a_pipeline else ""
    expected = f"NNFSClassifier, {where}GridSearchCV's best_estimator_"
    assert display.model_description_ == expected
    assert display.ax_.get_legend().get_texts()[0].get_text() == expected


def test_a_bare_model_and_a_pipeline_say_which_model_they_drew(iris):
    X, y = iris
    bare = TrainingCurveDisplay.from_estimator(fitted(X, y))
    assert bare.model_description_ == "NNFSClassifier"
    piped = TrainingCurveDisplay.from_estimator(
        make_pipeline(StandardScaler(), fitted(X, y))
    )
    assert piped.model_description_ == "NNFSClassifier, the last step of the Pipeline"


def test_an_unfitted_search_or_pipeline_is_not_fitted(iris):
    search = GridSearchCV(NNFSClassifier(), {"learning_rate": [0.01]})
    with pytest.raises(NotFittedError, match="GridSearchCV has no best_estimator_"):
        TrainingCurveDisplay.from_estimator(search)
    pipeline = make_pipeline(StandardScaler(), NNFSClassifier())
    with pytest.raises(NotFittedError, match="the last step of the Pipeline"):
        TrainingCurveDisplay.from_estimator(pipeline)


def test_curves_sharing_axes_keep_every_y_label(iris):
    model = fitted(*iris, early_stopping=True)
    _, ax = plt.subplots()
    TrainingCurveDisplay.from_estimator(model, ax=ax, name="training")
    TrainingCurveDisplay.from_estimator(model, ax=ax, curve="validation_loss")
    TrainingCurveDisplay.from_estimator(model, ax=ax, name="again")  # once
    assert ax.get_ylabel() == "training loss / held-out loss"


def test_the_held_out_score_is_named_r2_for_a_regressor_and_accuracy_else(iris):
    X, y = load_diabetes(return_X_y=True)
    regressor = NNFSRegressor((8,), max_iter=20, early_stopping=True, random_state=0)
    display = TrainingCurveDisplay.from_estimator(
        regressor.fit(X, y), curve="validation_score"
    )
    assert display.ax_.get_ylabel() == "held-out R²"
    display = TrainingCurveDisplay.from_estimator(
        fitted(*iris, early_stopping=True), curve="validation_score"
    )
    assert display.ax_.get_ylabel() == "held-out accuracy"


@pytest.mark.parametrize("early_stopping", [False, True])
def test_the_best_epoch_is_marked_on_the_curve(iris, early_stopping):
    model = fitted(*iris, early_stopping=early_stopping, tol=None)
    if early_stopping:  # whose weights are kept: the best score's lowest loss
        scores = np.array(model.validation_scores_)
        tied = np.flatnonzero(scores == scores.max())
        best = int(tied[np.argmin(np.array(model.validation_loss_curve_)[tied])])
    else:
        best = int(np.argmin(model.loss_curve_))
    display = TrainingCurveDisplay.from_estimator(model)
    np.testing.assert_array_equal(
        display.best_marker_.get_offsets(), [[best, model.loss_curve_[best]]]
    )
    assert display.best_epoch == best
    # the marker stays out of the legend and of the axes' lines
    assert len(display.ax_.get_lines()) == 1


def test_the_finder_takes_a_fitted_search_and_says_which_model(iris):
    X, y = iris
    model = make_pipeline(StandardScaler(), NNFSClassifier((8,), random_state=0))
    search = search_of(model, X, y)
    _, ax = plt.subplots()
    display = LearningRateFinderDisplay.from_estimator(search, X, y, ax=ax, steps=20)
    expected = "NNFSClassifier, the last step of GridSearchCV's best_estimator_"
    assert display.model_description_ == expected
    assert display.line_.get_label() == expected
    assert search.best_estimator_[-1].learning_rate in (0.001, 0.01)  # unchanged
