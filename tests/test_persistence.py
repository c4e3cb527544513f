"""Saving with skops: round trips, and a file that holds only sknnfs' types."""

import warnings

import numpy as np
import pytest
from sklearn.datasets import load_diabetes, load_iris, make_multilabel_classification
from sklearn.exceptions import ConvergenceWarning
from sklearn.model_selection import GridSearchCV
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from sknnfs import NNFSClassifier, NNFSRegressor
from sknnfs.optimizers import NAMED_OPTIMIZERS, SGD
from sknnfs.persistence import TRUSTED_TYPES, load
from sknnfs.schedules import PlateauSchedule

sio = pytest.importorskip("skops.io")


@pytest.fixture(autouse=True)
def quiet():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        yield


def iris(labels="ints"):
    X, y = load_iris(return_X_y=True)
    if labels == "words":
        y = np.array(["setosa", "versicolor", "virginica"])[y]
    elif labels == "binary":
        y = y == 1
    return X, y


def multilabel():
    return make_multilabel_classification(n_samples=120, random_state=0)


def diabetes(n_outputs=1):
    X, y = load_diabetes(return_X_y=True)
    return X, (y if n_outputs == 1 else np.c_[y, -y])


def with_dates_and_words():
    """The command line's columns: numbers, words and dates, some cells empty."""
    pd = pytest.importorskip("pandas")
    X, y = iris("words")
    frame = pd.DataFrame(X[:, :2], columns=["length", "width"])
    frame.loc[[0, 5], "length"] = np.nan
    frame["colour"] = np.where(y == "setosa", "blue", "red").astype(object)
    frame["day"] = pd.date_range("2024-01-01", periods=len(y)).strftime("%d/%m/%Y")
    return frame, y


def command_line_pipeline():
    from sknnfs.cli.columns import Column, column_transformer

    columns = [
        Column("length", "numbers", empty=2),
        Column("width", "numbers"),
        Column("colour", "words"),
        Column("day", "dates", "format %d/%m/%Y"),
    ]
    return make_pipeline(column_transformer(columns), NNFSClassifier(**SETTINGS))


SETTINGS = dict(hidden_layer_sizes=(8,), max_iter=15, random_state=0)
CASES = {
    **{
        f"classifier, {name}": (NNFSClassifier(optimizer=name, **SETTINGS), iris())
        for name in NAMED_OPTIMIZERS
    },
    "classifier, words": (NNFSClassifier(**SETTINGS), iris("words")),
    "classifier, binary": (NNFSClassifier(**SETTINGS), iris("binary")),
    "classifier, multilabel": (NNFSClassifier(**SETTINGS), multilabel()),
    "classifier, dropout, early stopping": (
        NNFSClassifier(dropout=0.2, early_stopping=True, **SETTINGS),
        iris(),
    ),
    "classifier, float32": (
        NNFSClassifier(**SETTINGS),
        (iris()[0].astype(np.float32), iris()[1]),
    ),
    "classifier, optimizer object and schedule": (
        NNFSClassifier(
            optimizer=SGD(momentum=0.9), schedule=PlateauSchedule(), **SETTINGS
        ),
        iris(),
    ),
    "the command line's pipeline, with dates": (
        command_line_pipeline(),
        with_dates_and_words(),
    ),
    "regressor": (NNFSRegressor(**SETTINGS), diabetes()),
    "regressor, two targets, raw": (
        NNFSRegressor(optimizer="rmsprop", normalize_y=False, **SETTINGS),
        diabetes(2),
    ),
    "regressor, sgd, plateau": (
        NNFSRegressor(optimizer="sgd", schedule="plateau", **SETTINGS),
        diabetes(),
    ),
    "regressor, absolute error": (
        NNFSRegressor(loss="absolute_error", **SETTINGS),
        diabetes(),
    ),
    "regressor, huber": (
        NNFSRegressor(loss="huber", huber_delta=0.5, **SETTINGS),
        diabetes(),
    ),
    "regressor, poisson, two targets": (
        NNFSRegressor(loss="poisson", **SETTINGS),
        (diabetes()[0], np.c_[diabetes()[1], diabetes()[1] / 10]),
    ),
}


def outputs(model, X):
    names = ["predict", "predict_proba", "decision_function"]
    return [getattr(model, name)(X) for name in names if hasattr(model, name)]


@pytest.mark.parametrize("case", CASES)
def test_a_fitted_model_round_trips_with_identical_predictions(case):
    model, (X, y) = CASES[case]
    model.fit(X, y)
    data = sio.dumps(model)
    loaded = sio.loads(data, trusted=sio.get_untrusted_types(data=data))
    for ours, theirs in zip(outputs(model, X), outputs(loaded, X)):
        np.testing.assert_array_equal(ours, theirs)


@pytest.mark.parametrize("case", CASES)
def test_a_file_holds_only_sknnfs_types(case):
    model, (X, y) = CASES[case]
    untrusted = sio.get_untrusted_types(data=sio.dumps(model.fit(X, y)))
    assert set(untrusted) <= set(TRUSTED_TYPES), untrusted


def test_the_trusted_list_is_exactly_the_types_files_hold():
    """It may not grow unnoticed: every entry is met, none is missing."""
    seen = set()
    for model, (X, y) in CASES.values():
        seen |= set(sio.get_untrusted_types(data=sio.dumps(model.fit(X, y))))
    assert seen == set(TRUSTED_TYPES)
    unfitted = sio.get_untrusted_types(data=sio.dumps(NNFSRegressor()))
    assert unfitted == ["sknnfs.regressor.NNFSRegressor"]


def test_unfitted_estimators_round_trip():
    model = NNFSClassifier(optimizer=SGD(learning_rate=0.5), schedule="plateau")
    loaded = sio.loads(sio.dumps(model), trusted=TRUSTED_TYPES)
    assert repr(loaded) == repr(model) and not hasattr(loaded, "coefs_")


def test_pipelines_and_searches_round_trip():
    X, y = iris("words")
    search = GridSearchCV(
        make_pipeline(StandardScaler(), NNFSClassifier(**SETTINGS)),
        {"nnfsclassifier__momentum": [0.0, 0.9]},
        cv=2,
    ).fit(X, y)
    data = sio.dumps(search)
    loaded = sio.loads(data, trusted=sio.get_untrusted_types(data=data))
    np.testing.assert_array_equal(loaded.predict_proba(X), search.predict_proba(X))
    pipeline = sio.dumps(search.best_estimator_)
    assert set(sio.get_untrusted_types(data=pipeline)) <= set(TRUSTED_TYPES)


@pytest.mark.parametrize("how", ["warm_start", "partial_fit"])
def test_training_goes_on_after_loading_as_if_never_saved(how):
    X, y = iris()
    settings = dict(SETTINGS, warm_start=how == "warm_start", max_iter=5)
    saved, kept = NNFSClassifier(**settings), NNFSClassifier(**settings)
    for model in (saved, kept):
        if how == "warm_start":
            model.fit(X, y)
        else:
            model.partial_fit(X, y, classes=[0, 1, 2])
    saved = sio.loads(sio.dumps(saved), trusted=TRUSTED_TYPES)
    for model in (saved, kept):
        if how == "warm_start":
            model.fit(X, y)
        else:
            model.partial_fit(X, y)
    for a, b in zip(saved.coefs_ + saved.intercepts_, kept.coefs_ + kept.intercepts_):
        np.testing.assert_array_equal(a, b)


class MyOptimizer(SGD):
    """A user's optimizer: its type is the user's to trust."""


def test_load_trusts_sknnfs_types_and_refuses_others(tmp_path):
    X, y = iris()
    path = tmp_path / "model.skops"
    sio.dump(NNFSClassifier(**SETTINGS).fit(X, y), path)
    assert load(path).n_iter_ == 15
    sio.dump(NNFSClassifier(optimizer=MyOptimizer(), **SETTINGS).fit(X, y), path)
    name = f"{__name__}.MyOptimizer"
    with pytest.raises(ValueError, match=f"not sknnfs' own: {name}"):
        load(path)
    assert type(load(path, trusted=[name]).optimizer_) is MyOptimizer
