"""NNFSClassifier's behaviour as a scikit-learn user meets it."""

import io
import pickle
import re
import warnings
from contextlib import redirect_stdout

import joblib
import numpy as np
import pytest
from scipy import sparse
from sklearn.base import clone
from sklearn.datasets import load_iris, load_wine, make_classification
from sklearn.exceptions import ConvergenceWarning, NotFittedError
from sklearn.model_selection import (
    GridSearchCV,
    StratifiedKFold,
    cross_val_score,
    cross_validate,
)
from sklearn.neural_network import MLPClassifier
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.utils.multiclass import check_classification_targets

from sknnfs import DivergenceError, NNFSClassifier
from sknnfs.__main__ import seeded_spiral_data
from sknnfs.optimizers import SGD, Adam


@pytest.fixture(scope="module")
def spiral():
    X, y = seeded_spiral_data(samples=60, classes=3, seed=0)
    return X.astype(np.float64), y


@pytest.fixture(scope="module")
def blobs():
    return make_classification(
        n_samples=120, n_features=6, n_informative=4, n_classes=3, random_state=0
    )


def quick(**params):
    settings = dict(hidden_layer_sizes=(16,), max_iter=30, tol=None, random_state=0)
    return NNFSClassifier(**{**settings, **params})


# -- what fit learns and keeps ----------------------------------------------


def test_fitted_attributes_follow_mlpclassifier(blobs):
    X, y = blobs
    clf = quick(hidden_layer_sizes=(8, 5)).fit(X, y)
    assert [c.shape for c in clf.coefs_] == [(6, 8), (8, 5), (5, 3)]
    assert [b.shape for b in clf.intercepts_] == [(8,), (5,), (3,)]
    assert (
        clf.n_layers_ == 4 and clf.n_outputs_ == 3 and clf.out_activation_ == "softmax"
    )
    assert clf.n_iter_ == 30 and clf.t_ == 30 * len(y) and len(clf.loss_curve_) == 30
    assert clf.loss_ == clf.loss_curve_[-1] and clf.best_loss_ == min(clf.loss_curve_)
    assert clf.validation_scores_ is None and clf.best_validation_score_ is None
    assert clf.n_features_in_ == 6
    np.testing.assert_array_equal(clf.classes_, [0, 1, 2])


def test_learns_spiral_data(spiral):
    X, y = spiral
    clf = NNFSClassifier(
        (64,),
        optimizer="adam",
        learning_rate=0.02,
        batch_size=None,
        max_iter=1000,
        tol=None,
        random_state=0,
    ).fit(X, y)
    assert clf.score(X, y) > 0.9


def test_decayed_rate_lives_in_the_fitted_optimizer(spiral):
    X, y = spiral
    clf = quick(optimizer="sgd", decay=0.1, batch_size=None, max_iter=10).fit(X, y)
    assert clf.learning_rate is None
    assert clf.optimizer_.current_learning_rate == 0.1 * (1.0 / (1.0 + 0.1 * 9))
    assert clf.optimizer_.iterations == 10


@pytest.mark.parametrize(
    "name, expected",
    [
        ("sgd", {"learning_rate": 0.1, "momentum": 0.0}),
        ("sgd-momentum", {"learning_rate": 0.01, "momentum": 0.9}),
        ("adagrad", {"learning_rate": 0.01, "epsilon": 1e-7}),
        ("rmsprop", {"learning_rate": 0.001, "rho": 0.9, "momentum": 0.0}),
        ("adam", {"learning_rate": 0.001, "beta_1": 0.9, "beta_2": 0.999}),
    ],
)
def test_named_optimizers_get_their_defaults(blobs, name, expected):
    X, y = blobs
    params = quick(optimizer=name, max_iter=1).fit(X, y).optimizer_.get_params()
    assert {key: params[key] for key in expected} == expected


def test_optimizer_object_is_cloned_not_mutated(blobs):
    X, y = blobs
    optimizer = SGD(learning_rate=0.1, momentum=0.5)
    clf = quick(optimizer=optimizer).fit(X, y)
    assert optimizer.iterations == 0 and "_momentums" not in vars(optimizer)
    assert clf.optimizer_ is not optimizer and clf.optimizer_.iterations > 0
    assert clf.get_params()["optimizer__momentum"] == 0.5


def test_optimizer_object_settings_are_not_mixed_with_estimator_settings(blobs):
    X, y = blobs
    with pytest.raises(ValueError, match=r"learning_rate.*optimizer__learning_rate"):
        quick(optimizer=Adam(), learning_rate=0.1).fit(X, y)


def test_a_users_own_optimizer_object_trains_the_network(blobs):
    class SignSGD:  # no get_params: follows the bare protocol
        def __init__(self):
            self.steps = 0

        def pre_update_params(self):
            pass

        def update_params(self, params, grads):
            for param, grad in zip(params, grads):
                param -= 0.01 * np.sign(grad)

        def post_update_params(self):
            self.steps += 1

    X, y = blobs
    user_optimizer = SignSGD()
    clf = quick(optimizer=user_optimizer, max_iter=50, batch_size=None).fit(X, y)
    assert clf.loss_curve_[-1] < clf.loss_curve_[0]
    assert user_optimizer.steps == 0 and clf.optimizer_.steps == 50


def test_an_object_without_the_protocol_is_refused(blobs):
    X, y = blobs
    with pytest.raises(ValueError, match="pre_update_params"):
        quick(optimizer=object()).fit(X, y)


# -- the book's log ---------------------------------------------------------


def fit_output(clf, X, y):
    buffer = io.StringIO()
    with redirect_stdout(buffer):
        clf.fit(X, y)
    return buffer.getvalue().splitlines()


def test_verbose_prints_the_books_line_every_k_epochs(spiral):
    X, y = spiral
    lines = fit_output(
        quick(optimizer="sgd", max_iter=7, verbose=3, batch_size=None, alpha=0.0), X, y
    )
    assert [line.split(",")[0] for line in lines] == [
        "epoch: 0",
        "epoch: 3",
        "epoch: 6",
    ]
    assert all(
        re.fullmatch(r"epoch: \d+, acc: \d\.\d{3}, loss: \d\.\d{3}", line)
        for line in lines
    )


def test_verbose_shows_the_rate_of_the_step_before_the_line_with_decay(spiral):
    X, y = spiral
    lines = fit_output(
        quick(optimizer="sgd", decay=0.5, max_iter=3, verbose=1, batch_size=None), X, y
    )
    rates = [line.split("lr: ")[1] for line in lines]
    assert rates == ["0.1", "0.1", str(0.1 * (1.0 / (1.0 + 0.5 * 1)))]


class NoStep:
    """An optimizer that never moves the weights: every epoch's loss is the same."""

    def pre_update_params(self):
        pass

    def update_params(self, params, grads):
        pass

    def post_update_params(self):
        pass


def test_verbose_accuracy_and_loss_are_those_before_the_epochs_step(spiral):
    X, y = spiral
    clf = quick(optimizer=NoStep(), max_iter=1, verbose=1, batch_size=None, alpha=0.0)
    (line,) = fit_output(clf, X, y)
    assert (
        line == f"epoch: 0, acc: {clf.score(X, y):.3f}, loss: {clf.loss_curve_[0]:.3f}"
    )


# -- data of every kind -----------------------------------------------------


@pytest.mark.parametrize(
    "labels",
    [
        np.array([3, 7]),
        np.array([-1, 1]),
        np.array(["cat", "dog"]),
        np.array(["a", "b"], dtype=object),
    ],
)
def test_binary_labels_of_any_type(labels):
    X, y = make_classification(n_samples=60, n_features=4, random_state=1)
    y_labels = labels[y]
    clf = quick(max_iter=100).fit(X, y_labels)
    assert set(clf.predict(X)) <= set(labels.tolist())
    assert clf.predict_proba(X).shape == (60, 2)
    assert clf.score(X, y_labels) > 0.8


@pytest.mark.parametrize(
    "labels",
    [
        np.array([-5, 0, 9], dtype=np.int8),
        np.array([0, 2**40, 2**63], dtype=np.uint64),
        np.array([False, True]),
    ],
    ids=["int8", "uint64", "bool"],
)
def test_integer_labels_are_classes_as_scikit_learn_says(blobs, labels):
    # integer labels skip scikit-learn's target check: it accepts them all
    X, y = blobs
    y_labels = labels[y % len(labels)]
    check_classification_targets(y_labels)
    clf = quick(max_iter=50).fit(X, y_labels)
    np.testing.assert_array_equal(clf.classes_, labels)
    assert clf.classes_.dtype == labels.dtype
    assert set(clf.predict(X).tolist()) <= set(labels.tolist())


def test_string_multiclass_labels(blobs):
    X, y = blobs
    names = np.array(["setosa", "versicolor", "virginica"])
    clf = quick(max_iter=100).fit(X, names[y])
    np.testing.assert_array_equal(clf.classes_, names)
    np.testing.assert_array_equal(
        clf.predict(X), names[clf.predict_proba(X).argmax(axis=1)]
    )


def test_float32_stays_float32(blobs):
    X, y = blobs
    clf = quick().fit(X.astype(np.float32), y)
    assert all(c.dtype == np.float32 for c in clf.coefs_ + clf.intercepts_)
    assert clf.predict_proba(X.astype(np.float32)).dtype == np.float32
    assert quick().fit(X, y).predict_proba(X).dtype == np.float64


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_two_class_probabilities_keep_the_smaller_one_to_its_precision(dtype):
    from sknnfs.classifier import _two_class_probabilities

    z = np.array([[-1e4], [-80.0], [-14.3], [0.0], [14.3], [30.0], [1e4]], dtype)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no overflow warning for huge logits
        proba = _two_class_probabilities(z)
    assert proba.dtype == dtype
    t = np.array([-1, 1]) * z.astype(np.float64)
    exact = np.exp(-np.logaddexp(0, -t))  # sigmoid(t), without overflow
    tolerance = 16 * np.finfo(dtype).eps  # 1 - sigmoid(z): 1e-3 at z = 30
    np.testing.assert_allclose(proba, exact, rtol=tolerance, atol=0)
    assert proba[3].tolist() == [0.5, 0.5]


@pytest.mark.parametrize(
    "container", [sparse.csr_matrix, sparse.csc_matrix, sparse.csr_array]
)
def test_sparse_input_matches_dense(blobs, container):
    X, y = blobs
    X = X * (np.abs(X) > 0.5)
    dense_model = quick().fit(X, y)
    sparse_model = quick().fit(container(X), y)
    for a, b in zip(dense_model.coefs_, sparse_model.coefs_):
        np.testing.assert_allclose(a, b, rtol=1e-10)
    np.testing.assert_allclose(
        sparse_model.predict_proba(container(X)),
        dense_model.predict_proba(X),
        rtol=1e-10,
    )


def test_sample_weight_is_a_weighted_mean(blobs):
    X, y = blobs
    weights = np.random.RandomState(0).randint(0, 4, len(y))
    weighted = quick(batch_size=None).fit(X, y, sample_weight=weights)
    repeated = quick(batch_size=None).fit(
        np.repeat(X, weights, 0), np.repeat(y, weights)
    )
    np.testing.assert_allclose(
        weighted.predict_proba(X), repeated.predict_proba(X), rtol=1e-8
    )
    np.testing.assert_allclose(weighted.loss_curve_, repeated.loss_curve_, rtol=1e-10)


def test_predict_is_chunked_without_changing_results(blobs, monkeypatch):
    X, y = blobs
    clf = quick().fit(X, y)
    whole = clf.predict_proba(X)
    monkeypatch.setattr("sknnfs._base.PREDICT_CHUNK_ROWS", 7)
    # BLAS may round a 1-row product differently from a 120-row one in the last bit
    np.testing.assert_allclose(clf.predict_proba(X), whole, rtol=1e-13)
    np.testing.assert_array_equal(clf.predict(X), whole.argmax(axis=1))


# -- continuing training ----------------------------------------------------


def test_partial_fit_needs_classes_first_and_then_continues(blobs):
    X, y = blobs
    clf = quick()
    with pytest.raises(ValueError, match="classes must be passed"):
        clf.partial_fit(X, y)
    clf.partial_fit(X[:60], y[:60], classes=[0, 1, 2])
    clf.partial_fit(X[60:], y[60:])
    assert clf.n_iter_ == 2 and len(clf.loss_curve_) == 2
    with pytest.raises(ValueError, match=r"labels not seen.*\[7\]"):
        clf.partial_fit(X[:3], [0, 1, 7])


@pytest.mark.parametrize("unknown", ["ant", "cow", "zebra"])  # below, between, above
def test_partial_fit_refuses_a_label_beside_the_classes(blobs, unknown):
    X, _ = blobs
    clf = quick().partial_fit(X[:3], ["bee", "dog", "bee"], classes=["bee", "dog"])
    with pytest.raises(ValueError, match=rf"labels not seen.*\['{unknown}'\]"):
        clf.partial_fit(X[:3], ["bee", unknown, "dog"])
    clf.partial_fit(X[:3], ["dog", "dog", "dog"])  # a subset of the classes


def test_partial_fit_epochs_equal_fit_epochs(spiral):
    X, y = spiral
    fitted = quick(batch_size=None, max_iter=5).fit(X, y)
    stepped = quick(batch_size=None)
    for _ in range(5):
        stepped.partial_fit(X, y, classes=np.unique(y))
    for a, b in zip(fitted.coefs_, stepped.coefs_):
        np.testing.assert_array_equal(a, b)


def test_warm_start_continues_optimizer_state(spiral):
    X, y = spiral
    whole = quick(
        optimizer="sgd-momentum", decay=1e-2, batch_size=None, max_iter=20
    ).fit(X, y)
    halves = quick(
        optimizer="sgd-momentum",
        decay=1e-2,
        batch_size=None,
        max_iter=10,
        warm_start=True,
    )
    halves.fit(X, y).fit(X, y)
    assert halves.n_iter_ == 20 and halves.optimizer_.iterations == 20
    for a, b in zip(whole.coefs_, halves.coefs_):
        np.testing.assert_array_equal(a, b)
    assert halves.loss_curve_ == whole.loss_curve_


def test_warm_start_applies_a_changed_learning_rate(spiral):
    X, y = spiral
    clf = quick(optimizer="sgd", batch_size=None, max_iter=5, warm_start=True).fit(X, y)
    clf.set_params(learning_rate=0.01).fit(X, y)
    assert (
        clf.optimizer_.current_learning_rate == 0.01 and clf.optimizer_.iterations == 10
    )


def test_without_warm_start_fit_starts_over(spiral):
    X, y = spiral
    clf = quick(max_iter=5).fit(X, y)
    first = [c.copy() for c in clf.coefs_]
    clf.fit(X, y)
    assert clf.n_iter_ == 5
    for a, b in zip(first, clf.coefs_):
        np.testing.assert_array_equal(a, b)


# -- stopping ---------------------------------------------------------------


def test_tol_stops_training_and_none_trains_every_epoch(blobs):
    X, y = blobs
    stopped = NNFSClassifier(
        (16,), tol=1e-1, n_iter_no_change=2, max_iter=500, random_state=0
    ).fit(X, y)
    assert stopped.n_iter_ < 500
    with warnings.catch_warnings():
        warnings.simplefilter("error", ConvergenceWarning)
        assert quick(max_iter=40).fit(X, y).n_iter_ == 40


def test_max_iter_without_convergence_warns(blobs):
    X, y = blobs
    with pytest.warns(ConvergenceWarning, match="Maximum iterations"):
        NNFSClassifier((4,), max_iter=3, random_state=0).fit(X, y)


def test_early_stopping_keeps_validation_scores_and_best_weights(blobs):
    X, y = blobs
    clf = NNFSClassifier(
        (16,),
        early_stopping=True,
        n_iter_no_change=3,
        max_iter=300,
        learning_rate=0.05,
        random_state=0,
    ).fit(X, y)
    assert len(clf.validation_scores_) == clf.n_iter_ == len(clf.loss_curve_)
    assert clf.best_validation_score_ == max(clf.validation_scores_)
    assert clf.n_iter_ < 300
    # the kept weights are those of the best epoch, not of the last one: of
    # the best score, and among the epochs that tie it, of the lowest loss
    scores = np.array(clf.validation_scores_)
    tied = np.flatnonzero(scores == scores.max())
    best_epoch = int(tied[np.argmin(np.array(clf.validation_loss_curve_)[tied])])
    refit = NNFSClassifier(
        **{
            **clf.get_params(),
            "early_stopping": True,
            "max_iter": best_epoch + 1,
            "tol": None,
        }
    ).fit(X, y)
    for a, b in zip(refit.coefs_, clf.coefs_):
        np.testing.assert_array_equal(a, b)


def test_early_stopping_on_small_data_trains_past_the_first_best_score():
    """Wine's held-out tenth (18 rows) is all right within a few epochs.

    An epoch that ties the best held-out accuracy with a lower held-out
    loss counts as progress; stopping at the first perfect score instead
    gave 0.93 here (0.87 to 0.94 over seeds), against 0.98 without early
    stopping.
    """
    X, y = load_wine(return_X_y=True)
    model = make_pipeline(
        StandardScaler(), NNFSClassifier(early_stopping=True, random_state=0)
    )
    cv = StratifiedKFold(5, shuffle=True, random_state=0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        assert cross_val_score(model, X, y, cv=cv).mean() > 0.97
        fitted = model.fit(X, y)[-1]
    # training went on past the first epoch of the best held-out accuracy
    first_best = fitted.validation_scores_.index(fitted.best_validation_score_)
    assert fitted.n_iter_ > first_best + fitted.n_iter_no_change + 1


# -- errors -----------------------------------------------------------------


@pytest.mark.parametrize(
    "X, y, message",
    [
        ([[0.0, np.nan], [1.0, 1.0]], [0, 1], "NaN"),
        ([[0.0, np.inf], [1.0, 1.0]], [0, 1], "infinity"),
        (np.empty((0, 2)), [], "0 sample"),
        ([[0.0], [1.0], [2.0]], [0.1, 0.7, 1.3], "Unknown label type"),
        ([[0.0], [1.0], [2.0]], [1, 1, 1], "at least 2 classes"),
        ([[0.0], [1.0]], [0, 1, 1], "inconsistent numbers of samples"),
        ([[0.0], [1.0]], [0, np.nan], "NaN"),
    ],
)
def test_bad_data_is_refused_with_a_clear_message(X, y, message):
    with pytest.raises(ValueError, match=message):
        quick().fit(np.asarray(X, dtype=float), np.asarray(y))


@pytest.mark.parametrize(
    "params, message",
    [
        ({"optimizer": "nesterov"}, "'optimizer' parameter"),
        ({"learning_rate": -0.1}, "'learning_rate' parameter"),
        ({"learning_rate": 0.0}, "'learning_rate' parameter"),
        ({"decay": -1e-3}, "'decay' parameter"),
        ({"momentum": 1.0}, "'momentum' parameter"),
        ({"momentum": -0.1}, "'momentum' parameter"),
        (
            {"hidden_layer_sizes": (10, 0)},
            "hidden_layer_sizes must be a tuple of positive",
        ),
        ({"batch_size": 0}, "'batch_size' parameter"),
        ({"activation": "softplus"}, "'activation' parameter"),
        ({"init": "xavier"}, "'init' parameter"),
        ({"optimizer": SGD(momentum=2.0)}, "'momentum' parameter of SGD"),
    ],
)
def test_bad_parameters_are_refused_with_a_clear_message(blobs, params, message):
    X, y = blobs
    with pytest.raises(ValueError, match=message):
        quick(**params).fit(X, y)


def test_wrong_feature_count_at_predict(blobs):
    X, y = blobs
    clf = quick().fit(X, y)
    with pytest.raises(ValueError, match="expecting 6 features"):
        clf.predict(X[:, :4])


def test_unfitted_model_says_so():
    with pytest.raises(NotFittedError):
        NNFSClassifier().predict([[0.0]])


def test_divergence_stops_with_an_error_and_leaves_no_nan_model():
    X, y = make_classification(
        n_samples=80,
        n_features=4,
        n_informative=3,
        n_redundant=0,
        n_classes=3,
        random_state=0,
    )
    X = X * 1e6
    clf = NNFSClassifier(
        (16,),
        optimizer="sgd",
        learning_rate=1e3,
        batch_size=None,
        max_iter=200,
        tol=None,
        random_state=0,
    )
    with pytest.raises(
        DivergenceError,
        match=r"learning rate 1000\.0.*Lower the learning "
        r"rate.*StandardScaler",
    ):
        clf.fit(X, y)
    assert not hasattr(clf, "coefs_")
    with pytest.raises(NotFittedError):
        clf.predict(X)


def test_divergence_during_warm_start_keeps_the_previous_model(blobs):
    X, y = blobs
    clf = quick(optimizer="sgd", learning_rate=0.01, warm_start=True, init="he").fit(
        X, y
    )
    before = [c.copy() for c in clf.coefs_]
    clf.set_params(learning_rate=1e12)
    with pytest.raises(DivergenceError):
        clf.fit(X * 1e8, y)
    for a, b in zip(before, clf.coefs_):
        np.testing.assert_array_equal(a, b)


# -- in scikit-learn's workflows --------------------------------------------


def test_grid_search_over_learning_rate_and_momentum(spiral):
    X, y = spiral
    search = GridSearchCV(
        NNFSClassifier(
            (32,),
            optimizer="sgd",
            batch_size=None,
            max_iter=300,
            tol=None,
            random_state=0,
        ),
        {"learning_rate": [0.05, 1.0], "momentum": [0.0, 0.9]},
        cv=StratifiedKFold(5, shuffle=True, random_state=0),
        n_jobs=2,
    )
    search.fit(X, y)
    scores = search.cv_results_["mean_test_score"]
    assert len(set(np.round(scores, 6))) > 1  # different settings, different models
    assert search.best_params_ == search.cv_results_["params"][int(np.argmax(scores))]
    assert search.best_params_ == {"learning_rate": 1.0, "momentum": 0.9}


def test_grid_search_over_an_optimizer_objects_settings(blobs):
    X, y = blobs
    search = GridSearchCV(
        quick(optimizer=SGD(learning_rate=0.1)),
        {"optimizer__momentum": [0.0, 0.9]},
        cv=3,
    ).fit(X, y)
    scores = search.cv_results_["mean_test_score"]
    assert scores[0] != scores[1]  # the setting reached the optimizer
    best = [0.0, 0.9][int(np.argmax(scores))]
    assert search.best_params_ == {"optimizer__momentum": best}
    assert search.best_estimator_.optimizer_.momentum == best
    assert search.best_estimator_.optimizer.momentum == best


def test_pipeline_with_cross_validate():
    X, y = load_iris(return_X_y=True)
    pipeline = make_pipeline(
        StandardScaler(), NNFSClassifier(max_iter=300, random_state=0)
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        result = cross_validate(
            pipeline, X, y, cv=StratifiedKFold(5, shuffle=True, random_state=0)
        )
    assert result["test_score"].mean() > 0.9


def test_clone_pickle_and_joblib_round_trips(blobs, tmp_path):
    X, y = blobs
    clf = quick().fit(X, y)
    expected = clf.predict_proba(X)
    np.testing.assert_array_equal(
        pickle.loads(pickle.dumps(clf)).predict_proba(X), expected
    )
    joblib.dump(clf, tmp_path / "model.joblib")
    np.testing.assert_array_equal(
        joblib.load(tmp_path / "model.joblib").predict_proba(X), expected
    )
    np.testing.assert_array_equal(clone(clf).fit(X, y).predict_proba(X), expected)


def test_same_random_state_same_model(blobs):
    X, y = blobs
    a, b = quick(random_state=3).fit(X, y), quick(random_state=3).fit(X, y)
    c = quick(random_state=4).fit(X, y)
    np.testing.assert_array_equal(a.coefs_[0], b.coefs_[0])
    assert not np.array_equal(a.coefs_[0], c.coefs_[0])


@pytest.mark.parametrize("early_stopping", [False, True])
def test_the_tol_stop_comes_after_mlpclassifiers_number_of_epochs(early_stopping):
    """The first epoch improves on nothing; then 3 without improvement are
    allowed, and the 4th stops: 5 epochs, as MLPClassifier counts them."""
    X, y = load_iris(return_X_y=True)
    clf = NNFSClassifier(
        (8,),
        optimizer=NoStep(),
        n_iter_no_change=3,
        max_iter=50,
        early_stopping=early_stopping,
        random_state=0,
    ).fit(X, y)
    assert clf.n_iter_ == 5
    mlp = MLPClassifier(
        (8,),
        solver="sgd",
        learning_rate_init=1e-300,  # too small to move a weight
        n_iter_no_change=3,
        max_iter=50,
        early_stopping=early_stopping,
        random_state=0,
    ).fit(X, y)
    assert mlp.n_iter_ == clf.n_iter_


@pytest.mark.parametrize("early_stopping", [False, True])
def test_n_iter_no_change_inf_never_stops_on_tol_as_in_mlpclassifier(
    blobs, early_stopping
):
    X, y = blobs
    clf = quick(
        tol=1e3,  # no epoch ever improves by this much
        n_iter_no_change=np.inf,
        max_iter=25,
        early_stopping=early_stopping,
    )
    with pytest.warns(ConvergenceWarning, match="Maximum iterations"):
        clf.fit(X, y)
    assert clf.n_iter_ == 25
    # with a finite count the same settings stop early
    stopped = quick(tol=1e3, n_iter_no_change=3, max_iter=25).fit(X, y)
    assert stopped.n_iter_ == 5


@pytest.mark.parametrize("path", ["warm_start", "partial_fit"])
def test_continuing_on_fewer_classes_keeps_the_classes_on_both_paths(path):
    """A later batch need not hold every class; a new label is refused."""
    X, y = load_iris(return_X_y=True)
    clf = quick(warm_start=path == "warm_start")
    if path == "warm_start":
        clf.fit(X, y)
    else:
        clf.partial_fit(X, y, classes=[0, 1, 2])
    first_two = y < 2
    before = [c.copy() for c in clf.coefs_]
    continued = (
        clf.fit(X[first_two], y[first_two])
        if path == "warm_start"
        else clf.partial_fit(X[first_two], y[first_two])
    )
    np.testing.assert_array_equal(continued.classes_, [0, 1, 2])
    assert continued.predict_proba(X).shape == (150, 3)
    assert not np.array_equal(before[0], continued.coefs_[0])  # it trained on
    with pytest.raises(ValueError, match=r"labels not seen.*\[3\]"):
        if path == "warm_start":
            clf.fit(X, np.where(first_two, y, 3))
        else:
            clf.partial_fit(X, np.where(first_two, y, 3))


@pytest.mark.parametrize("dtype, rtol", [(np.float32, 1e-6), (np.float64, 1e-14)])
def test_two_class_probabilities_are_accurate_near_0_and_near_1(dtype, rtol):
    X, y = make_classification(n_samples=200, n_features=5, random_state=0)
    X = X.astype(dtype)
    clf = quick().fit(X, y)
    scale = 20 / np.abs(clf.decision_function(X)).max()
    for coef in clf.coefs_[-1:] + clf.intercepts_[-1:]:
        coef *= dtype(scale)  # logits up to 20: probabilities down to 2e-9
    logits = clf.decision_function(X).astype(np.float64)
    assert logits.min() < -15 or logits.max() > 15
    # the float64 reference from the same logits, each column on its own
    reference = np.column_stack([1 / (1 + np.exp(logits)), 1 / (1 + np.exp(-logits))])
    proba = clf.predict_proba(X)
    assert proba.dtype == dtype
    np.testing.assert_allclose(proba, reference, rtol=rtol)
    np.testing.assert_allclose(np.exp(clf.predict_log_proba(X)), reference, rtol=rtol)
    np.testing.assert_array_equal(
        clf.predict(X), clf.classes_[(logits > 0).ravel().astype(int)]
    )


class PlainMomentum:
    """The book's three methods and nothing else: no get_params to clone by."""

    def __init__(self):
        self.steps, self.velocity = 0, None

    def pre_update_params(self):
        pass

    def update_params(self, params, grads):
        if self.velocity is None:
            self.velocity = [np.zeros_like(p) for p in params]
        for param, grad, velocity in zip(params, grads, self.velocity):
            velocity *= 0.9
            velocity -= 0.01 * grad
            param += velocity

    def post_update_params(self):
        self.steps += 1


def test_partial_fit_continues_a_plain_optimizer_objects_state(blobs):
    X, y = blobs
    clf = quick(optimizer=PlainMomentum(), batch_size=None)
    for _ in range(3):
        clf.partial_fit(X, y, classes=[0, 1, 2])
    assert clf.optimizer_.steps == 3
    assert clf.optimizer.steps == 0  # the parameter itself is never changed
