"""pandas and polars DataFrames in, with their column names kept and checked."""

import numpy as np
import pandas as pd
import polars as pl
import pytest
from sklearn.compose import ColumnTransformer, make_column_selector
from sklearn.datasets import load_iris
from sklearn.model_selection import cross_val_score
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler

from sknnfs import NNFSClassifier


@pytest.fixture(scope="module")
def iris_frame():
    X, y = load_iris(return_X_y=True, as_frame=True)
    return X, y.map(dict(enumerate(["setosa", "versicolor", "virginica"])))


def quick(**params):
    settings = dict(hidden_layer_sizes=(16,), max_iter=60, learning_rate=0.01, tol=None)
    return NNFSClassifier(**{**settings, "random_state": 0, **params})


def as_polars(frame):
    return pl.from_pandas(frame)


@pytest.mark.parametrize("convert", [lambda f: f, as_polars], ids=["pandas", "polars"])
def test_feature_names_are_kept_and_checked(iris_frame, convert):
    X, y = iris_frame
    frame = convert(X)
    clf = quick().fit(frame, y)
    np.testing.assert_array_equal(clf.feature_names_in_, list(X.columns))
    assert clf.n_features_in_ == 4
    # the same model as on the bare array
    on_array = quick().fit(X.to_numpy(), y)
    np.testing.assert_array_equal(
        clf.predict_proba(frame), on_array.predict_proba(X.to_numpy())
    )
    assert clf.score(frame, y) > 0.8
    # columns in another order, or renamed: scikit-learn's error
    reordered = convert(X[list(reversed(X.columns))])
    with pytest.raises(ValueError, match="must be in the same order"):
        clf.predict(reordered)
    renamed = convert(X.rename(columns={X.columns[0]: "sepal_length"}))
    with pytest.raises(ValueError, match="Feature names unseen at fit time"):
        clf.predict(renamed)


def test_no_feature_names_from_an_array():
    X, y = load_iris(return_X_y=True)
    clf = quick(max_iter=5).fit(X, y)
    assert not hasattr(clf, "feature_names_in_")


def test_array_after_a_frame_warns_as_scikit_learn_does(iris_frame):
    X, y = iris_frame
    clf = quick(max_iter=5, tol=None).fit(X, y)
    with pytest.warns(UserWarning, match="does not have valid feature names"):
        clf.predict(X.to_numpy())


def test_column_transformer_pipeline_on_mixed_columns(iris_frame):
    X, y = iris_frame
    X = X.copy()
    # a categorical column that carries part of the signal
    X["petal_size"] = pd.cut(X["petal length (cm)"], 3, labels=["s", "m", "l"])
    X["petal_size"] = X["petal_size"].astype(str)
    preprocess = ColumnTransformer(
        [
            ("numbers", StandardScaler(), make_column_selector(dtype_include="number")),
            ("words", OneHotEncoder(sparse_output=False), ["petal_size"]),
        ]
    ).set_output(transform="pandas")
    model = make_pipeline(preprocess, quick())
    scores = cross_val_score(model, X, y, cv=3)
    assert scores.mean() > 0.85
    model.fit(X, y)
    names = model[-1].feature_names_in_
    assert "words__petal_size_s" in names and "numbers__sepal width (cm)" in names
    assert len(names) == 4 + 3


def test_polars_output_of_a_pipeline(iris_frame):
    X, y = iris_frame
    model = make_pipeline(StandardScaler().set_output(transform="polars"), quick())
    model.fit(as_polars(X), y)
    np.testing.assert_array_equal(model[-1].feature_names_in_, list(X.columns))
    assert model.score(as_polars(X), y) > 0.85
