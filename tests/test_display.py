"""The training pictures: what they draw, and matplotlib imported only to draw."""

import subprocess
import sys
import warnings

import numpy as np
import pytest
from sklearn.datasets import load_iris
from sklearn.exceptions import ConvergenceWarning
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from sknnfs import NNFSClassifier
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
    with pytest.raises(ValueError, match="not fitted"):
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
