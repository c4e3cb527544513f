"""fit(..., X_val=, y_val=, sample_weight_val=): early stopping on your own data."""

import warnings

import numpy as np
import pytest
import sklearn
from sklearn.datasets import load_diabetes, load_iris
from sklearn.exceptions import ConvergenceWarning
from sklearn.metrics import accuracy_score, r2_score
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import StandardScaler

from sknnfs import NNFSClassifier, NNFSRegressor


@pytest.fixture(autouse=True)
def quiet():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        yield


def diabetes():
    X, y = load_diabetes(return_X_y=True, scaled=False)
    return X[:300], y[:300], X[300:], y[300:]


def regressor(**params):
    settings = dict(hidden_layer_sizes=(16,), max_iter=40, random_state=0)
    return NNFSRegressor(**{**settings, **params})


def test_the_validation_data_is_scored_and_all_of_x_trains():
    X, y, X_val, y_val = diabetes()
    X, X_val = (
        StandardScaler().fit(X).transform(X),
        StandardScaler().fit(X).transform(X_val),
    )
    weights = np.random.RandomState(0).rand(len(y_val)) + 0.5
    model = regressor().fit(X, y, X_val=X_val, y_val=y_val, sample_weight_val=weights)
    assert model.t_ == model.n_iter_ * len(X)  # no row of X held out
    assert (
        len(model.validation_scores_)
        == len(model.validation_loss_curve_)
        == model.n_iter_
    )
    # the best epoch's weights are kept: its score is the model's own
    expected = r2_score(y_val, model.predict(X_val), sample_weight=weights)
    assert model.best_validation_score_ == pytest.approx(expected, rel=1e-9)
    # and the weights count: unweighted, another score
    plain = regressor().fit(X, y, X_val=X_val, y_val=y_val)
    assert plain.validation_scores_ != model.validation_scores_


def test_the_classifier_scores_accuracy_on_labels_as_given():
    X, y = load_iris(return_X_y=True)
    words = np.array(["setosa", "versicolor", "virginica"])[y]
    model = NNFSClassifier((8,), early_stopping=True, max_iter=30, random_state=0).fit(
        X[::2], words[::2], X_val=X[1::2], y_val=words[1::2]
    )
    assert model.t_ == model.n_iter_ * len(X[::2])
    expected = accuracy_score(words[1::2], model.predict(X[1::2]))
    assert model.best_validation_score_ == pytest.approx(expected)
    with pytest.raises(
        ValueError, match=r"y_val contains labels that y does not: \['rose'\]"
    ):
        NNFSClassifier(early_stopping=True).fit(
            X, words, X_val=X[:3], y_val=["setosa", "rose", "setosa"]
        )


@pytest.mark.parametrize(
    "arguments, message",
    [
        (dict(X_val=True), "X_val is given but y_val is not"),
        (dict(y_val=True), "y_val is given but X_val is not"),
        (dict(sample_weight_val=True), "sample_weight_val is given without X_val"),
    ],
)
def test_half_of_the_validation_data_is_refused(arguments, message):
    X, y, X_val, y_val = diabetes()
    given = {"X_val": X_val, "y_val": y_val, "sample_weight_val": np.ones(len(y_val))}
    arguments = {name: given[name] for name in arguments}
    for model in (regressor(), NNFSClassifier(early_stopping=True)):
        with pytest.raises(ValueError, match=message):
            model.fit(X, y > 150, **arguments)
        assert not hasattr(model, "coefs_")


def test_validation_data_without_early_stopping_is_refused():
    X, y, X_val, y_val = diabetes()
    with pytest.raises(
        ValueError, match="early_stopping=False.*Set early_stopping=True"
    ):
        regressor(early_stopping=False).fit(X, y, X_val=X_val, y_val=y_val)
    with pytest.raises(ValueError, match="early_stopping=False"):
        NNFSClassifier().fit(X, y > 150, X_val=X_val, y_val=y_val > 150)


def test_validation_data_is_checked_as_x_and_y_are():
    X, y, X_val, y_val = diabetes()
    with pytest.raises(ValueError, match="X_val has 1 sample"):
        regressor().fit(X, y, X_val=X_val[:1], y_val=y_val[:1])
    with pytest.raises(ValueError, match="features"):
        regressor().fit(X, y, X_val=X_val[:, :5], y_val=y_val)
    with pytest.raises(ValueError, match="y_val: y has 2 targets"):
        regressor().fit(X, y, X_val=X_val, y_val=np.c_[y_val, y_val])
    negative = y_val.copy()
    negative[0] = -1.0
    with pytest.raises(ValueError, match="but y_val has 1 negative value"):
        regressor(loss="poisson").fit(X, y, X_val=X_val, y_val=negative)
    # float32 training data: the validation data is scored in float32 too
    model = regressor().fit(X.astype(np.float32), y, X_val=X_val, y_val=y_val)
    assert model.coefs_[0].dtype == np.float32


def test_fit_requests_the_validation_data_as_metadata():
    with sklearn.config_context(enable_metadata_routing=True):
        for estimator in (NNFSRegressor(), NNFSClassifier()):
            routing = estimator.set_fit_request(
                X_val=True, y_val=True, sample_weight_val=True
            ).get_metadata_routing()
            assert {"X_val", "y_val", "sample_weight_val"} <= set(routing.fit.requests)


def pipeline(transform_input):
    model = regressor().set_fit_request(X_val=True, y_val=True)
    return Pipeline(
        [("scale", StandardScaler()), ("model", model)], transform_input=transform_input
    )


def test_a_pipeline_scales_x_val_with_the_training_rows_statistics():
    X, y, X_val, y_val = diabetes()
    scaler = StandardScaler().fit(X)  # on the training rows only
    by_hand = regressor().fit(
        scaler.transform(X), y, X_val=scaler.transform(X_val), y_val=y_val
    )
    with sklearn.config_context(enable_metadata_routing=True):
        piped = pipeline(["X_val"]).fit(X, y, X_val=X_val, y_val=y_val)
        # without transform_input the raw X_val reaches the model
        raw = pipeline(None).fit(X, y, X_val=X_val, y_val=y_val)
    assert piped[-1].validation_scores_ == by_hand.validation_scores_
    np.testing.assert_array_equal(
        piped.predict(X_val), by_hand.predict(scaler.transform(X_val))
    )
    assert raw[-1].validation_scores_ != by_hand.validation_scores_
