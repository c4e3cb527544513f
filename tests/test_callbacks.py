"""scikit-learn's callbacks (sklearn.callback) on NNFSClassifier, and the
validation curves that early stopping keeps."""

import subprocess
import sys
import textwrap
import warnings

import numpy as np
import pytest
from sklearn.callback import ProgressBar, ScoringMonitor
from sklearn.datasets import make_classification
from sklearn.exceptions import ConvergenceWarning
from sklearn.metrics import log_loss
from sklearn.model_selection import GridSearchCV
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

import sknnfs._base
from sknnfs import NNFSClassifier


@pytest.fixture(scope="module")
def data():
    return make_classification(
        n_samples=120, n_features=5, n_informative=3, n_classes=3, random_state=0
    )


def quick(**params):
    settings = dict(hidden_layer_sizes=(8,), max_iter=6, tol=None, random_state=0)
    return NNFSClassifier(**{**settings, **params})


class EpochRecorder:
    """Records the tasks it sees; propagated from a meta-estimator to all depths."""

    max_propagation_depth = None

    def __init__(self, stop_after=None):
        self.stop_after = stop_after
        self.ended = []

    def setup(self, estimator, context):
        pass

    def teardown(self, estimator, context):
        pass

    def on_fit_task_begin(self, estimator, context):
        pass

    def on_fit_task_end(self, estimator, context, *, y=None):
        self.ended.append((type(estimator).__name__, context.task_name, y))
        epochs = sum(task == "epoch" for _, task, _ in self.ended)
        return self.stop_after is not None and epochs >= self.stop_after


def test_progress_bar_over_the_epochs(data, capsys):
    X, y = data
    clf = quick().set_callbacks(ProgressBar())
    clf.fit(X, y)
    out = capsys.readouterr().out
    assert "NNFSClassifier - fit" in out and "100%" in out
    assert clf.n_iter_ == 6  # the callback changes nothing in the training


def test_each_epoch_is_a_task_of_the_fit(data):
    X, y = data
    recorder = EpochRecorder()
    quick().set_callbacks(recorder).fit(X, y)
    assert [task for _, task, _ in recorder.ended] == ["epoch"] * 6 + ["fit"]
    # the hooks get the labels as the user gave them, not class indices
    labels = y.astype(str)
    recorder = EpochRecorder()
    quick().set_callbacks(recorder).fit(X, labels)
    assert all(set(got) <= set(labels) for _, _, got in recorder.ended)


def test_a_callback_can_stop_the_training(data):
    X, y = data
    clf = quick(max_iter=50).set_callbacks(EpochRecorder(stop_after=3)).fit(X, y)
    assert clf.n_iter_ == 3 and len(clf.loss_curve_) == 3


def test_progress_bar_on_a_grid_search_reaches_the_epochs(data, capsys):
    X, y = data
    search = GridSearchCV(quick(), {"learning_rate": [0.01, 0.1]}, cv=2)
    search.set_callbacks(ProgressBar())
    search.fit(X, y)
    out = capsys.readouterr().out
    assert "candidate-split-evaluation | NNFSClassifier - fit" in out
    assert "refit-with-best-params | NNFSClassifier - fit" in out
    # the same propagation brings the search's callbacks to every epoch
    recorder = EpochRecorder()
    GridSearchCV(quick(), {"learning_rate": [0.01, 0.1]}, cv=2).set_callbacks(
        recorder
    ).fit(X, y)
    epochs = [task for name, task, _ in recorder.ended if name == "NNFSClassifier"]
    assert epochs.count("epoch") == (2 * 2 + 1) * 6  # 4 fits and the refit


def test_progress_bar_through_a_pipeline_in_a_search(data, capsys):
    X, y = data
    search = GridSearchCV(
        make_pipeline(StandardScaler(), quick()),
        {"nnfsclassifier__learning_rate": [0.01, 0.1]},
        cv=2,
    )
    search.set_callbacks(ProgressBar(max_propagation_depth=None))
    search.fit(X, y)
    out = capsys.readouterr().out
    assert "fit-final-estimator | NNFSClassifier - fit" in out


def test_scoring_monitor_records_the_score_of_each_epoch(data):
    X, y = data
    monitor = ScoringMonitor(scoring="accuracy")
    quick().set_callbacks(monitor).fit(X, y)
    rows = [r for r in monitor.get_logs().data if r["task_name"] == "epoch"]
    assert len(rows) == 6
    # the score logged at epoch i is that of a model trained for i + 1 epochs
    for i, row in enumerate(rows):
        assert row["accuracy"] == quick(max_iter=i + 1).fit(X, y).score(X, y)


def test_scoring_monitor_in_a_parallel_search(data):
    X, y = data
    monitor = ScoringMonitor(scoring=("accuracy", "neg_log_loss"))
    search = GridSearchCV(
        quick().set_callbacks(monitor), {"learning_rate": [0.01, 0.1]}, cv=2, n_jobs=2
    )
    search.fit(X, y)
    frame = monitor.get_logs().data_as_pandas
    epochs = frame[frame["task_name"] == "epoch"]
    assert len(epochs) == (2 * 2 + 1) * 6
    assert epochs["accuracy"].between(0, 1).all() and (epochs["neg_log_loss"] < 0).all()


def test_scoring_monitor_with_dataframe_input_gives_no_warning(data):
    pd = pytest.importorskip("pandas")
    X, y = data
    frame = pd.DataFrame(X, columns=[f"f{i}" for i in range(X.shape[1])])
    monitor = ScoringMonitor(scoring="accuracy")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        clf = quick().set_callbacks(monitor).fit(frame, y)
    assert list(clf.feature_names_in_) == list(frame.columns)
    assert len(monitor.get_logs().data) == 7


def test_without_sklearn_callback_the_estimator_still_trains():
    # scikit-learn < 1.9 has no sklearn.callback: sknnfs sees an empty one here
    code = textwrap.dedent(
        """
        import sys
        import types
        from sklearn.datasets import make_classification
        from sklearn.model_selection import GridSearchCV
        # scikit-learn's own modules are loaded; sknnfs then finds no callbacks
        sys.modules["sklearn.callback"] = types.ModuleType("sklearn.callback")
        from sknnfs import NNFSClassifier
        from sknnfs._callbacks import CALLBACKS_SUPPORTED
        import warnings
        X, y = make_classification(n_samples=80, random_state=0)
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            clf = NNFSClassifier((8,), max_iter=20, random_state=0).fit(X, y)
        assert [w.filename for w in caught] == ["<string>"], caught
        assert not CALLBACKS_SUPPORTED and not hasattr(clf, "set_callbacks")
        search = GridSearchCV(clf, {"learning_rate": [0.01, 0.1]}, cv=2).fit(X, y)
        print("trained", clf.n_iter_, round(search.best_score_, 2) > 0.5)
        """
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "trained 20 True"


# -- the validation curves of early stopping ---------------------------------


def test_early_stopping_keeps_the_validation_loss_besides_the_training_loss(
    data, monkeypatch
):
    X, y = data
    held_out = {}
    split = sknnfs._base.split_distinct_samples

    def recording_split(*arrays, **options):
        parts = split(*arrays, **options)
        held_out["X"], held_out["y"] = parts[1], parts[3]
        return parts

    monkeypatch.setattr(sknnfs._base, "split_distinct_samples", recording_split)
    clf = NNFSClassifier(
        (16,),
        early_stopping=True,
        n_iter_no_change=5,
        max_iter=200,
        learning_rate=0.01,
        random_state=0,
    ).fit(X, y)
    n = clf.n_iter_
    assert len(clf.validation_loss_curve_) == len(clf.validation_scores_) == n
    assert len(clf.loss_curve_) == n and clf.loss_ == clf.loss_curve_[-1]
    assert clf.loss_curve_ != clf.validation_loss_curve_
    # the kept weights are the best epoch's: their held-out loss and accuracy
    # are that epoch's entries of the curves
    best = int(np.argmax(clf.validation_scores_))
    X_val, y_val = held_out["X"], held_out["y"]
    proba = clf.predict_proba(X_val)
    assert clf.score(X_val, y_val) == clf.validation_scores_[best]
    expected = log_loss(y_val, proba, labels=clf.classes_)
    np.testing.assert_allclose(clf.validation_loss_curve_[best], expected, rtol=1e-9)


def test_validation_loss_curve_is_none_without_early_stopping(data):
    X, y = data
    clf = quick().fit(X, y)
    assert clf.validation_loss_curve_ is None and clf.validation_scores_ is None


def test_the_convergence_warning_names_the_users_line(data):
    X, y = data
    with pytest.warns(ConvergenceWarning) as caught:
        NNFSClassifier((4,), max_iter=2, random_state=0).fit(X, y)
    assert [w.filename for w in caught] == [__file__]
