"""NNFSClassifier inside scikit-learn's meta-estimators, on learnable data.

Every test checks that the result is better than chance, not only that it runs.
The models are small and trained for few epochs, to keep the suite fast.
"""

import numpy as np
import pytest
from scipy.stats import loguniform
from sklearn.calibration import CalibratedClassifierCV
from sklearn.datasets import load_iris, make_classification
from sklearn.ensemble import BaggingClassifier, StackingClassifier, VotingClassifier
from sklearn.experimental import enable_halving_search_cv  # noqa: F401
from sklearn.inspection import permutation_importance
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import (
    GridSearchCV,
    HalvingGridSearchCV,
    RandomizedSearchCV,
    StratifiedKFold,
    cross_validate,
    learning_curve,
    validation_curve,
)
from sklearn.multiclass import OneVsRestClassifier
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from sknnfs import NNFSClassifier

CV = StratifiedKFold(n_splits=3, shuffle=True, random_state=0)


@pytest.fixture(scope="module")
def binary():
    # 4 informative features out of 8; chance is 0.5
    return make_classification(
        n_samples=200, n_features=8, n_informative=4, random_state=0
    )


@pytest.fixture(scope="module")
def iris():
    return load_iris(return_X_y=True)  # chance is 1/3


def quick(**params):
    settings = dict(hidden_layer_sizes=(16,), max_iter=40, learning_rate=0.01, tol=None)
    return NNFSClassifier(**{**settings, "random_state": 0, **params})


def scaled(**params):
    return make_pipeline(StandardScaler(), quick(**params))


def test_grid_search(iris):
    X, y = iris
    search = GridSearchCV(
        scaled(optimizer="sgd-momentum"),
        {
            "nnfsclassifier__learning_rate": [0.001, 0.1],
            "nnfsclassifier__momentum": [0.0, 0.9],
        },
        cv=CV,
    ).fit(X, y)
    assert search.best_score_ > 0.9
    assert search.best_params_["nnfsclassifier__learning_rate"] == 0.1
    assert len(search.cv_results_["params"]) == 4


def test_randomized_search_with_loguniform_learning_rate(iris):
    X, y = iris
    search = RandomizedSearchCV(
        scaled(),
        {"nnfsclassifier__learning_rate": loguniform(1e-4, 1e-1)},
        n_iter=4,
        cv=CV,
        random_state=0,
    ).fit(X, y)
    rates = search.cv_results_["param_nnfsclassifier__learning_rate"]
    assert all(1e-4 <= r <= 1e-1 for r in rates) and len(set(rates)) == 4
    assert search.best_score_ > 0.9


def test_halving_grid_search(binary):
    X, y = binary
    search = HalvingGridSearchCV(
        quick(),
        {"learning_rate": [1e-4, 1e-3, 1e-2, 1e-1]},
        cv=CV,
        factor=2,
        min_resources=50,
        random_state=0,
    ).fit(X, y)
    assert search.n_iterations_ >= 2  # candidates were halved
    assert search.best_score_ > 0.75
    assert search.best_params_["learning_rate"] >= 1e-2


def test_cross_validate_with_several_scorers(binary):
    X, y = binary
    result = cross_validate(
        quick(), X, y, cv=CV, scoring=["accuracy", "roc_auc", "neg_log_loss", "f1"]
    )
    assert result["test_accuracy"].mean() > 0.75
    assert result["test_roc_auc"].mean() > 0.85
    assert result["test_neg_log_loss"].mean() > -np.log(2)  # beats a coin
    assert result["test_f1"].mean() > 0.7


def test_learning_curve(binary):
    X, y = binary
    sizes, train, test = learning_curve(
        quick(), X, y, cv=CV, train_sizes=[0.3, 1.0], shuffle=True, random_state=0
    )
    assert list(sizes) == [39, 133]
    assert test.mean(axis=1)[-1] > 0.75
    assert test.mean(axis=1)[-1] >= test.mean(axis=1)[0] - 0.05


def test_validation_curve_over_momentum(iris):
    X, y = iris
    train, test = validation_curve(
        scaled(optimizer="sgd", learning_rate=0.01),
        X,
        y,
        param_name="nnfsclassifier__momentum",
        param_range=[0.0, 0.5, 0.9],
        cv=CV,
    )
    means = test.mean(axis=1)
    assert means[-1] > 0.85
    # with this small rate, momentum speeds the training up
    assert means[-1] > means[0]


def test_calibrated_classifier(binary):
    X, y = binary
    calibrated = CalibratedClassifierCV(quick(), cv=3).fit(X[:150], y[:150])
    proba = calibrated.predict_proba(X[150:])
    np.testing.assert_allclose(proba.sum(axis=1), 1.0)
    assert calibrated.score(X[150:], y[150:]) > 0.75


def test_soft_voting(iris):
    X, y = iris
    voting = VotingClassifier(
        [("adam", scaled()), ("sgd", scaled(optimizer="sgd", learning_rate=0.1))],
        voting="soft",
    )
    scores = cross_validate(voting, X, y, cv=CV)["test_score"]
    assert scores.mean() > 0.85


def test_stacking(iris):
    X, y = iris
    stacking = StackingClassifier(
        [("adam", scaled()), ("rmsprop", scaled(optimizer="rmsprop"))],
        final_estimator=LogisticRegression(),
        cv=3,
    )
    scores = cross_validate(stacking, X, y, cv=CV)["test_score"]
    assert scores.mean() > 0.85


def test_bagging(binary):
    X, y = binary
    bagging = BaggingClassifier(quick(), n_estimators=4, random_state=0)
    bagging.fit(X[:150], y[:150])
    assert len(bagging.estimators_) == 4
    assert bagging.score(X[150:], y[150:]) > 0.7  # 0.78 here; chance is 0.5


def test_one_vs_rest(iris):
    X, y = iris
    ovr = OneVsRestClassifier(scaled()).fit(X, y)
    assert len(ovr.estimators_) == 3
    assert all(est[-1].n_outputs_ == 1 for est in ovr.estimators_)
    scores = cross_validate(OneVsRestClassifier(scaled()), X, y, cv=CV)["test_score"]
    assert scores.mean() > 0.8


def test_permutation_importance_finds_the_informative_features():
    # the class is the sign of x0 + x1; the other 4 features are noise
    rng = np.random.default_rng(0)
    X = rng.standard_normal((300, 6))
    y = (X[:, 0] + X[:, 1] > 0).astype(int)
    model = quick().fit(X[:200], y[:200])
    assert model.score(X[200:], y[200:]) > 0.9
    result = permutation_importance(
        model, X[200:], y[200:], n_repeats=5, random_state=0
    )
    assert result.importances_mean[:2].min() > 0.2
    assert result.importances_mean[2:].max() < 0.05
