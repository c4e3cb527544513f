"""The CSV mode of ``python -m sknnfs``, on small CSV files written here."""

import doctest
import os
import re
import shlex
import shutil
import subprocess
import sys
import textwrap
import warnings
from pathlib import Path

import joblib
import numpy as np
import pandas as pd
import pytest
from sklearn.datasets import load_diabetes, load_iris, load_wine

from sknnfs import NNFSClassifier, NNFSRegressor
from sknnfs.__main__ import main
from sknnfs.optimizers import SGD
from sknnfs.persistence import load

FAST = ["--hidden-layer-sizes", "16", "--max-iter", "40", "--cv", "3"]


@pytest.fixture
def iris_csv(tmp_path):
    frame = load_iris(as_frame=True).frame
    names = np.array(["setosa", "versicolor", "virginica"])
    frame["species"] = names[frame.pop("target")]
    path = tmp_path / "iris.csv"
    frame.to_csv(path, index=False)
    return path


@pytest.fixture
def mixed_csv(tmp_path):
    # a numeric and a word column; the class follows both
    rng = np.random.default_rng(0)
    n = 120
    size = rng.standard_normal(n)
    colour = rng.choice(["red", "blue"], n)
    label = np.where((size > 0) ^ (colour == "red"), "yes", "no")
    path = tmp_path / "mixed.csv"
    pd.DataFrame({"size": size, "colour": colour, "label": label}).to_csv(
        path, index=False
    )
    return path


def run(args, capsys):
    code = main([str(a) for a in args])
    out, err = capsys.readouterr()
    return code, out, err


def test_csv_mode_prints_scores_and_the_books_log_and_saves(iris_csv, capsys):
    saved = iris_csv.parent / "model.joblib"
    code, out, err = run(
        [iris_csv, "--target", "species", "--optimizer", "adam"]
        + ["--learning-rate", "0.01", "--save", saved, *FAST],
        capsys,
    )
    assert code == 0, err
    assert out.startswith(
        f"{iris_csv}: 150 rows, 5 columns, separator ',', decimal point\n"
        "target 'species': 3 labels, so classification with NNFSClassifier\n"
        "numbers (standardized): sepal length (cm), sepal width (cm), petal length "
        "(cm), petal width (cm)\n3-fold cross-validation: accuracy "
    )
    accuracy = float(out.split("3-fold cross-validation: accuracy ")[1].split()[0])
    assert accuracy > 0.85
    assert "epoch: 0, acc: " in out and "epoch: 36, acc: " in out  # every 4 epochs
    training = float(out.split("Training accuracy: ")[1].split()[0])
    assert training > 0.9
    # the saved pipeline predicts on the file's columns
    model = joblib.load(saved)
    frame = pd.read_csv(iris_csv)
    score = model.score(frame.drop(columns="species"), frame["species"])
    assert f"{score:.3f}" == f"{training:.3f}"  # as printed, to 3 decimals
    assert list(model.classes_) == ["setosa", "versicolor", "virginica"]


def test_csv_mode_with_a_grid(iris_csv, capsys):
    code, out, err = run(
        [iris_csv, "--target", "species", "--optimizer", "sgd", *FAST]
        + ["--grid", "learning_rate=0.001,0.1", "momentum=0,0.9"],
        capsys,
    )
    assert code == 0, err
    lines = [line for line in out.splitlines() if line.startswith("  learning_rate")]
    assert len(lines) == 4
    assert "Best: learning_rate=0.1 momentum=" in out
    assert "--learning-rate 0.1 " in out.split("Training on all 150 rows")[1]


def test_grid_values_keep_their_types(iris_csv, capsys):
    code, out, err = run(
        [iris_csv, "--target", "species", *FAST, "--max-iter", "10"]
        + ["--grid", "hidden_layer_sizes=(4,),(8, 4)", "optimizer=adam,rmsprop"],
        capsys,
    )
    assert code == 0, err
    assert "GridSearchCV over hidden_layer_sizes=4,(8,4) optimizer=adam,rmsprop" in out
    assert "\n  hidden_layer_sizes=4 optimizer=adam: accuracy" in out
    assert "\n  hidden_layer_sizes=(8,4) optimizer=rmsprop: accuracy" in out


def test_word_columns_are_one_hot_encoded(mixed_csv, capsys):
    code, out, err = run(
        [mixed_csv, "--target", "label", "--learning-rate", "0.01", *FAST]
        + ["--hidden-layer-sizes", "16", "--max-iter", "150"],
        capsys,
    )
    assert code == 0, err
    assert (
        "numbers (standardized): size\nwords (one-hot encoded): colour (2 categories)\n"
        in out
    )
    accuracy = float(out.split("cross-validation: accuracy ")[1].split()[0])
    assert accuracy > 0.8  # an XOR of the two columns: it needs both


@pytest.mark.parametrize(
    "content, options, message",
    [
        (None, ["--target", "a"], "no such file: "),
        ("", ["--target", "a"], "is empty"),
        ("a,b\n", ["--target", "a"], "has a header but no rows"),
        ("a,b\n1,2\n3\n4,5,6,7\n", ["--target", "a"], "cannot read "),
        (b"\xff\xfe\x00bin", ["--target", "a"], "cannot read .*: it holds binary"),
        (
            "a,b\n1,2\n".encode("utf-16"),
            ["--target", "a"],
            "cannot read .*: it holds binary data or UTF-16 text, .* save it as CSV "
            "UTF-8$",
        ),
        ("a,b\n1,2\n3\n4,5,6,7\n", ["--target", "a"], "with separator ',': Error"),
        ("a,b\n1,x\n2,y\n", ["--target", "c"], "no column 'c' in .*columns are: a, b"),
        ("a,b\n1,x\n2,x\n", ["--target", "b"], "single class"),
        (
            "a,b\n1,0.5\n2,1.7\n",
            ["--target", "b", "--task", "classify"],
            "--task classify: .* fractions, such as 0.5, which are not classes",
        ),
        ("a,b\n1,x\n2,y\n", ["--target", "b", "--task", "regress"], "holds text"),
        ("a,b\n1,0.5\n2,0.5\n", ["--target", "b"], "'b' has a single value"),
        ("a,b\n1,0.5\n2,1.5\n", ["--target", "b"], "--cv 5 needs 5 rows; there are 2"),
        ("a,b\n1,x\n2,y\n", ["--target", "b", "--cv", "1"], "--cv 1: .* at least 2 f"),
        ("a,b\n1,x\n2,y\n", ["--target", "b", "--log-every", "0"], "--log-every"),
        ("a,b\n1,x\n2,y\n", ["--target", "b", "--sep", ";;"], "--sep takes one"),
        ("a,b\n1,x\n2,y\n", [], "--target is required"),
        # 'a' holds a fraction: 1, 2, 3 would be row numbers, left out
        ("a,b\n0.5,x\n2,y\n3,x\n", ["--target", "b"], "--cv 5 needs .* 'y', has 1"),
        (
            "a,b\n0.5,0\n2,1\n3,0\n",
            ["--target", "b", "--cv", "2"],
            "--cv 2 needs .* the rarest class, 1, has 1: .* --task regress$",
        ),
        (
            "a,b\n1,x\n2,y\n3,x\n",
            ["--target", "b"],
            "no column is left to learn from: --keep the ones to use$",
        ),
        ("a,b\n1,x\n2,y\n", ["--target", "b", "--grid", "lr=1"], "no parameter 'lr'"),
        ("a,b\n1,x\n2,y\n", ["--target", "b", "--batch-size", "big"], "--batch-size"),
    ],
)
def test_bad_files_and_options_give_one_line(
    tmp_path, capsys, content, options, message
):
    path = tmp_path / "data.csv"
    if isinstance(content, bytes):
        path.write_bytes(content)
    elif content is not None:
        path.write_text(content)
    code, out, err = run([path, *options], capsys)
    assert code == 1
    assert err.count("\n") == 1 and err.startswith("python -m sknnfs: error: ")
    assert re.search(message, err), err


def test_divergence_is_reported_with_the_advice(iris_csv, capsys):
    code, out, err = run(
        [iris_csv, "--target", "species", "--optimizer", "sgd"]
        + ["--learning-rate", "1e6", "--max-iter", "30", "--cv", "2"],
        capsys,
    )
    assert code == 1 and "Training diverged" in err and "Lower the learning" in err
    assert err.count("\n") == 1 and err.startswith("python -m sknnfs: error: ")
    assert "scale X" not in err  # the command line standardizes the numbers


def test_csv_options_without_a_file_are_refused(capsys):
    assert main(["--target", "species"]) == 1
    assert capsys.readouterr().err == (
        "python -m sknnfs: error: --target needs a CSV file: python -m sknnfs FILE "
        "--target COLUMN\n"
    )


def test_the_command_exits_non_zero_without_a_traceback(tmp_path):
    missing = tmp_path / "missing.csv"
    result = subprocess.run(
        [sys.executable, "-m", "sknnfs", str(missing), "--target", "y"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 1
    assert result.stderr == f"python -m sknnfs: error: no such file: {missing}\n"


def test_an_option_the_optimizer_does_not_use_is_refused(iris_csv, capsys):
    code, out, err = run(
        [iris_csv, "--target", "species", "--optimizer", "adagrad"]
        + ["--momentum", "0.9", *FAST],
        capsys,
    )
    assert code == 1 and out == ""
    assert err == (
        "python -m sknnfs: error: momentum=0.9 is not used by optimizer='adagrad', "
        "and would be ignored; momentum is used by 'sgd', 'sgd-momentum', "
        "'rmsprop', 'adam'. Leave out --momentum, or choose one of those with "
        "--optimizer.\n"
    )


def test_a_grid_setting_the_optimizer_does_not_use_fails_before_training(
    iris_csv, capsys
):
    code, out, err = run(
        [iris_csv, "--target", "species", "--optimizer", "adagrad", *FAST]
        + ["--grid", "momentum=0,0.9"],
        capsys,
    )
    assert code == 1
    # the file and the task are said first; nothing is trained
    assert "cross-validation" not in out and "epoch" not in out
    assert err.startswith(
        "python -m sknnfs: error: --grid momentum=0,0.9 is not used by "
        "optimizer='adagrad'"
    )
    assert err.count("\n") == 1


def test_a_grid_across_optimizers_gives_each_the_settings_it_uses(iris_csv, capsys):
    code, out, err = run(
        [iris_csv, "--target", "species", *FAST, "--max-iter", "10"]
        + ["--grid", "optimizer=adagrad,sgd", "momentum=0,0.9"],
        capsys,
    )
    assert code == 0, err
    assert (
        "note: momentum is not used by 'adagrad': those candidates are searched "
        "without it" in out
    )
    candidates = [line.split(":")[0] for line in out.splitlines() if ": acc" in line]
    assert candidates == [  # as written: optimizer first, then momentum
        "  optimizer=adagrad",
        "  optimizer=sgd momentum=0",
        "  optimizer=sgd momentum=0.9",
    ]
    assert "failed" not in out


def test_the_final_fit_names_the_learning_rate_it_trains_with(iris_csv, capsys):
    code, out, err = run(
        [iris_csv, "--target", "species", "--optimizer", "sgd", *FAST], capsys
    )
    assert code == 0, err
    assert "--optimizer sgd --learning-rate 0.1 --max-iter 40" in out


# -- regression ----------------------------------------------------------------


@pytest.fixture
def diabetes_csv(tmp_path):
    # scikit-learn's diabetes data in its units: a whole-number target, 214 values
    frame = load_diabetes(as_frame=True, scaled=False).frame
    path = tmp_path / "diabetes.csv"
    frame.rename(columns={"target": "progression"}).to_csv(path, index=False)
    return path


def test_a_numeric_target_with_many_values_is_regressed_and_saved(diabetes_csv, capsys):
    saved = diabetes_csv.parent / "model.joblib"
    code, out, err = run(
        [diabetes_csv, "--target", "progression", "--save", saved], capsys
    )
    assert code == 0, err
    assert (
        "target 'progression': 214 distinct whole numbers, so regression with "
        "NNFSRegressor (--task classify to treat them as classes)\n" in out
    )
    r2 = float(out.split("5-fold cross-validation: R^2 ")[1].split()[0])
    assert r2 > 0.4  # a linear model gets about 0.48
    assert "mean absolute error " in out
    # NNFSRegressor's own log, with its defaults: batch 'auto', early stopping
    assert "--batch-size auto --early-stopping, the book's log" in out
    assert "Training on all 442 rows, 10% held out for early stopping with " in out
    assert "loss in units of the standardized target" in out
    assert "epoch: 0, acc: " in out
    training = float(out.split("Training R^2: ")[1].split(",")[0])
    model = joblib.load(saved)
    assert isinstance(model[-1], NNFSRegressor)
    frame = pd.read_csv(diabetes_csv)
    X, y = frame.drop(columns="progression"), frame["progression"]
    assert f"{model.score(X, y):.3f}" == f"{training:.3f}"
    assert abs(model.predict(X).mean() - y.mean()) < 10  # in the target's units


def test_a_target_with_fractions_is_regressed(tmp_path, capsys):
    rng = np.random.default_rng(0)
    x = rng.uniform(-2, 2, size=(200, 2))
    price = 3 * x[:, 0] - x[:, 1] ** 2 + 0.1 * rng.standard_normal(200)
    path = tmp_path / "prices.csv"
    pd.DataFrame({"a": x[:, 0], "b": x[:, 1], "price": price}).to_csv(path, index=False)
    code, out, err = run([path, "--target", "price", "--max-iter", "300"], capsys)
    assert code == 0, err
    assert (
        "target 'price': 200 distinct numbers, with fractions, so regression "
        "with NNFSRegressor (--task classify to treat them as classes)" in out
    )
    assert float(out.split("cross-validation: R^2 ")[1].split()[0]) > 0.9


@pytest.fixture
def grades_csv(tmp_path):
    # a whole-number target with 3 values: classes unless --task regress
    rng = np.random.default_rng(0)
    score = rng.uniform(0, 3, 150)
    path = tmp_path / "grades.csv"
    pd.DataFrame({"score": score, "grade": score.astype(int) + 1}).to_csv(
        path, index=False
    )
    return path


def test_few_whole_numbers_are_classes_and_task_overrides(grades_csv, capsys):
    code, out, err = run([grades_csv, "--target", "grade", *FAST], capsys)
    assert code == 0, err
    assert (
        "target 'grade': 3 distinct whole numbers, 1 to 3, which number classes, so "
        "classification with NNFSClassifier (--task regress to predict them as "
        "numbers)" in out
    )
    assert "cross-validation: accuracy " in out
    code, out, err = run(
        [grades_csv, "--target", "grade", "--task", "regress", *FAST], capsys
    )
    assert code == 0, err
    assert (
        "target 'grade': 3 distinct whole numbers, 1 to 3, which number classes; "
        "regression with NNFSRegressor, as --task asks" in out
    )
    assert "cross-validation: R^2 " in out


def test_task_classify_on_many_numbers_says_why_it_cannot(diabetes_csv, capsys):
    code, out, err = run(
        [diabetes_csv, "--target", "progression", "--task", "classify"], capsys
    )
    assert code == 1
    # the task's sentence comes before anything can fail
    assert out.splitlines()[1] == (
        "target 'progression': 214 distinct whole numbers; classification with "
        "NNFSClassifier, as --task asks"
    )
    assert "cross-validation" not in out
    assert "np.float64" not in err
    assert re.fullmatch(
        r"python -m sknnfs: error: --cv 5 needs 5 rows of each class; the rarest "
        r"class, \d+, has 1: lower --cv, or drop that class, or predict "
        r"numbers with --task regress\n",
        err,
    )


OPTIONS = [
    "--optimizer", "sgd", "--learning-rate", "0.01", "--momentum", "0.5",
    "--alpha", "0.001", "--hidden-layer-sizes", "8,4", "--batch-size", "16",
    "--max-iter", "5", "--decay", "0.001", "--cv", "2",
]  # fmt: skip


@pytest.mark.parametrize("task", ["classify", "regress"])
def test_the_options_mean_the_same_for_both_tasks(grades_csv, capsys, task):
    saved = grades_csv.parent / f"{task}.joblib"
    code, out, err = run(
        [grades_csv, "--target", "grade", "--task", task, "--save", saved]
        + [*OPTIONS, "--early-stopping"],
        capsys,
    )
    assert code == 0, err
    params = joblib.load(saved)[-1].get_params()
    expected = dict(
        optimizer="sgd", learning_rate=0.01, momentum=0.5, alpha=0.001,
        hidden_layer_sizes=(8, 4), batch_size=16, max_iter=5, decay=0.001,
        early_stopping=True, random_state=0,
    )  # fmt: skip
    assert {name: params[name] for name in expected} == expected
    code, out, err = run(
        [grades_csv, "--target", "grade", "--task", task, "--save", saved]
        + ["--no-early-stopping", "--batch-size", "full", "--cv", "2"],
        capsys,
    )
    assert code == 0, err
    params = joblib.load(saved)[-1].get_params()
    assert params["early_stopping"] is False and params["batch_size"] is None


@pytest.mark.parametrize(
    "task, estimator, batch_size, early_stopping",
    [("classify", NNFSClassifier, 32, False), ("regress", NNFSRegressor, "auto", True)],
)
def test_each_estimator_keeps_its_own_defaults(
    grades_csv, capsys, task, estimator, batch_size, early_stopping
):
    saved = grades_csv.parent / "model.joblib"
    code, out, err = run(
        [grades_csv, "--target", "grade", "--task", task, "--save", saved]
        + ["--max-iter", "5", "--cv", "2"],
        capsys,
    )
    assert code == 0, err
    model = joblib.load(saved)[-1]
    assert type(model) is estimator
    assert (model.batch_size, model.early_stopping) == (batch_size, early_stopping)
    assert (
        model._build_optimizer().learning_rate
        == estimator(optimizer="adam")._build_optimizer().learning_rate
    )  # the regressor's Adam rate is its own


def test_a_grid_for_regression(diabetes_csv, capsys):
    code, out, err = run(
        [diabetes_csv, "--target", "progression", "--cv", "3", "--max-iter", "50"]
        + ["--grid", "learning_rate=0.001,0.01", "batch_size=full,32"],
        capsys,
    )
    assert code == 0, err
    lines = [line.split(":")[0] for line in out.splitlines() if ": R^2 " in line]
    assert lines == [  # as written
        f"  learning_rate={rate} batch_size={batch}"
        for rate in ("0.001", "0.01")
        for batch in ("full", "32")
    ]
    assert re.search(
        r"\nBest: learning_rate=0\.0\d+ batch_size=(full|32) \(mean CV R\^2 0\.\d+\)",
        out,
    )
    assert "Training R^2: " in out


# -- separators ------------------------------------------------------------------


@pytest.fixture
def wine_semicolon(tmp_path):
    frame = load_wine(as_frame=True).frame.rename(columns={"target": "cultivar"})
    path = tmp_path / "semicolon.csv"
    frame.to_csv(path, sep=";", index=False)
    return path


def test_a_semicolon_separated_file_is_read(wine_semicolon, capsys):
    code, out, err = run([wine_semicolon, "--target", "cultivar", *FAST], capsys)
    assert code == 0, err
    assert out.startswith(
        f"{wine_semicolon}: 178 rows, 14 columns, separator ';', decimal point\n"
        "target 'cultivar': 3 distinct whole numbers, 0 to 2, which number classes"
    )
    assert "\nnumbers (standardized): alcohol, malic_acid, ash, " in out
    assert "6 more\n" in out  # 13 numbers: 7 named, 6 counted
    assert float(out.split("cross-validation: accuracy ")[1].split()[0]) > 0.85


@pytest.mark.parametrize("sep, option", [("\t", "tab"), ("|", "|"), (";", ";")])
def test_sep_gives_the_separator(iris_csv, tmp_path, capsys, sep, option):
    path = tmp_path / "other.csv"
    pd.read_csv(iris_csv).to_csv(path, sep=sep, index=False)
    code, out, err = run([path, "--target", "species", "--sep", option, *FAST], capsys)
    assert code == 0, err
    assert f"separator {sep!r}" in out


def test_a_file_read_as_one_column_blames_the_separator(wine_semicolon, capsys):
    code, out, err = run([wine_semicolon, "--target", "cultivar", "--sep", ","], capsys)
    assert code == 1 and out == ""
    assert err.startswith(
        f"python -m sknnfs: error: {wine_semicolon} reads as a single column, "
        "'alcohol;malic_acid;ash;"
    )
    assert err.endswith(
        "with separator ',': leave out --sep to have it found (';' splits its lines)\n"
    )


# -- grids ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "grid, message",
    [
        ("learning_rate=abc", "--grid learning_rate: 'abc' is not a number"),
        ("max_iter=10,many", "--grid max_iter: 'many' is not a whole number"),
        ("batch_size=full,big", "--grid batch_size takes a number of samples, 'auto'"),
        ("hidden_layer_sizes=(a,b)", "--grid hidden_layer_sizes takes neurons per"),
        ("early_stopping=maybe", "--grid early_stopping: 'maybe' is not true or"),
        (
            "learning_rate=-1",
            "--grid candidate learning_rate=-1: learning_rate must be a number "
            "above 0, not -1.\n",
        ),
        ("normalize_y=true", "NNFSClassifier has no parameter 'normalize_y'"),
    ],
)
def test_grid_values_are_read_and_checked_before_training(
    iris_csv, capsys, grid, message
):
    code, out, err = run([iris_csv, "--target", "species", "--grid", grid], capsys)
    assert code == 1
    assert "cross-validation" not in out and "epoch" not in out  # nothing trained
    assert "or None" not in err and "The '" not in err
    assert err.startswith("python -m sknnfs: error: ") and err.count("\n") == 1
    assert message in err, err


def test_grid_values_mean_what_the_options_mean(iris_csv, capsys):
    code, out, err = run(
        [iris_csv, "--target", "species", *FAST]
        + ["--grid", "batch_size=full,32", "hidden_layer_sizes=16,(8,4)"]
        + ["early_stopping=no"],
        capsys,
    )
    assert code == 0, err
    candidates = [line.split(":")[0] for line in out.splitlines() if ": acc" in line]
    assert candidates == [  # in the order written
        f"  batch_size={batch} hidden_layer_sizes={sizes} early_stopping=False"
        for batch in ("full", "32")
        for sizes in ("16", "(8,4)")
    ]
    assert "failed" not in out


def test_a_failed_candidate_is_reported_with_its_cause(iris_csv, capsys):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        code, out, err = run(
            [iris_csv, "--target", "species", "--optimizer", "sgd", *FAST]
            + ["--grid", "learning_rate=1e6,0.1"],
            capsys,
        )
    assert code == 0, err
    assert re.search(
        r"\n  learning_rate=1000000.0: failed: DivergenceError: Training diverged "
        r"at epoch \d+: .* Lower the learning rate",
        out,
    )
    assert "scale X" not in out  # the command line standardizes the numbers
    assert "\nBest: learning_rate=0.1 (mean CV accuracy 0." in out
    shown = [str(w.message) for w in caught]
    assert not any("non-finite" in m or "fits failed" in m for m in shown), shown


def test_a_grid_whose_candidates_all_fail_says_why(iris_csv, capsys):
    code, out, err = run(
        [iris_csv, "--target", "species", "--optimizer", "sgd", *FAST]
        + ["--grid", "learning_rate=1e6,1e7"],
        capsys,
    )
    assert code == 1
    assert out.count(": failed: DivergenceError: Training diverged") == 2
    assert err == (
        "python -m sknnfs: error: every candidate of --grid failed (the causes are "
        "above)\n"
    )


# -- early checks, help, warnings ----------------------------------------------


def test_a_save_path_that_cannot_be_written_fails_before_training(
    iris_csv, tmp_path, capsys
):
    missing = tmp_path / "nonexistent" / "m.joblib"
    code, out, err = run([iris_csv, "--target", "species", "--save", missing], capsys)
    assert code == 1 and out == ""
    assert err == (
        f"python -m sknnfs: error: --save {missing}: there is no folder "
        f"{missing.parent}; create it first, or save somewhere else\n"
    )
    code, out, err = run([iris_csv, "--target", "species", "--save", tmp_path], capsys)
    assert code == 1 and out == ""
    assert "is a folder: give a file name in it" in err


def test_help_reads_as_plain_text(capsys):
    with pytest.raises(SystemExit) as stop:
        main(["--help"])
    assert stop.value.code == 0
    out = capsys.readouterr().out
    assert "`" not in out and ":class:" not in out
    assert "--task {classify,regress}" in out and "--sep SEP" in out
    assert "--early-stopping, --no-early-stopping" in out
    assert "(default: off to classify, on to regress)" in " ".join(out.split())
    # the examples are commands of the README and of the Command line page
    examples = out.split("examples/data holds the files):\n")[1]
    shown = ((ROOT / "README.md").read_text() + PAGE.read_text()).replace("\\\n", "")
    for command in examples.replace("\\\n", "").splitlines():
        assert " ".join(command.split()) in " ".join(shown.split()), command


def test_text_that_looks_numeric_stops_with_the_way_forward(tmp_path, capsys):
    rng = np.random.default_rng(0)
    n = 60
    weight = rng.integers(900, 1500, n)
    frame = pd.DataFrame(
        {
            "weight": [f"{w:,}" for w in weight],  # 1,065: thousands separators
            "dose": [f"{d}.0 mg" for d in rng.integers(1, 200, n)],
            "colour": rng.choice(["red", "blue", "green"], n),
            "size": rng.standard_normal(n),
            "label": np.where(weight > 1200, "heavy", "light"),
        }
    )
    path = tmp_path / "text.csv"
    frame.to_csv(path, index=False)
    code, out, err = run([path, "--target", "label", *FAST], capsys)
    assert code == 1 and "cross-validation" not in out
    assert err.count("\n") == 1
    assert err.startswith(
        "python -m sknnfs: error: column 'dose' looks numeric, but values such as '"
    )
    assert err.endswith(
        "are not numbers with the decimal mark '.': write plain numbers in it, "
        "--drop dose to leave it out, or --keep dose to one-hot encode its values "
        "as words\n"
    )
    # both ways forward work; the thousands separators are read as numbers
    code, out, err = run([path, "--target", "label", "--drop", "dose", *FAST], capsys)
    assert code == 0 and err == "", err
    assert (
        "numbers (standardized): size, weight (thousands separators read)\n"
        "words (one-hot encoded): colour (3 categories)\n"
        "left out: dose (--drop)\n" in out
    )
    saved = tmp_path / "model.joblib"
    code, out, err = run(
        [path, "--target", "label", "--keep", "dose", "--save", saved, *FAST], capsys
    )
    assert code == 0 and err == "", err
    assert "words (one-hot encoded): dose (--keep), colour (3 categories)\n" in out
    words = dict((part, names) for part, _, names in joblib.load(saved)[0].transformers)
    assert words["words"] == ["dose", "colour"]
    assert words["numbers"] == ["weight", "size"]


def test_a_target_of_text_that_looks_numeric_stops_unless_told(tmp_path, capsys):
    rng = np.random.default_rng(0)
    size = rng.standard_normal(90)
    weight = np.where(size > 0.4, "2 kg", np.where(size > -0.4, "1 kg", "0.5 kg"))
    path = tmp_path / "weights.csv"
    pd.DataFrame({"size": size, "weight": weight}).to_csv(path, index=False)
    code, out, err = run([path, "--target", "weight", *FAST], capsys)
    assert code == 1 and "cross-validation" not in out
    assert err.count("\n") == 1
    assert err.startswith(
        "python -m sknnfs: error: the target 'weight' looks numeric, but values "
        "such as '"
    )
    assert " kg' are not numbers: write plain numbers in it" in err
    assert err.endswith("or give --task classify to treat its values as class labels\n")
    code, out, err = run(
        [path, "--target", "weight", "--task", "classify", *FAST], capsys
    )
    assert code == 0 and err == "", err
    assert (
        "target 'weight': 3 labels; classification with NNFSClassifier, as --task "
        "asks\n" in out
    )


# -- the documentation's commands ----------------------------------------------

ROOT = Path(__file__).parents[1]
PAGE = ROOT / "docs" / "user_guide" / "command_line.rst"


def console_commands(text):
    """``(command, shown output)`` of each ``$`` line of the console blocks."""
    commands = []
    for block in re.findall(r"\.\. code-block:: console\n\n((?: {4}.*\n|\n)+)", text):
        for chunk in re.split(r"^\$ ", textwrap.dedent(block), flags=re.MULTILINE)[1:]:
            command, _, output = chunk.partition("\n")
            commands.append((command, output.rstrip("\n") + "\n"))
    return commands


def run_shown(command, cwd):
    """Run a command as a shell would, from ``cwd``; return its code and output."""
    words = shlex.split(command)
    assert words[0] == "python", command
    result = subprocess.run(
        [sys.executable, *words[1:]],
        cwd=cwd,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},  # stdout and stderr in order
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        timeout=300,
    )
    return result.returncode, result.stdout


def test_every_command_of_the_command_line_page_prints_what_it_shows(tmp_path):
    shutil.copytree(ROOT / "examples" / "data", tmp_path / "examples" / "data")
    commands = console_commands(PAGE.read_text())
    assert len(commands) >= 8
    checker = doctest.OutputChecker()
    for command, shown in commands:
        code, out = run_shown(command, tmp_path)
        expected_code = 1 if shown.startswith("python -m sknnfs: error: ") else 0
        assert code == expected_code, f"{command}\n{out}"
        if not shown.strip():
            assert out == "", f"$ {command}\nprinted:\n{out}"
        else:
            assert checker.check_output(shown, out, doctest.ELLIPSIS), (
                f"$ {command}\nshown:\n{shown}\nprinted:\n{out}"
            )


def test_the_readmes_commands_run(tmp_path):
    shutil.copytree(ROOT / "examples" / "data", tmp_path / "examples" / "data")
    readme = (ROOT / "README.md").read_text().replace("\\\n", " ")
    blocks = re.findall(r"```bash\n(.*?)```", readme, flags=re.DOTALL)
    commands = [
        line.split("#")[0].strip()
        for block in blocks
        for line in block.splitlines()
        if line.startswith("python -m sknnfs examples/")
    ]
    assert len(commands) >= 2
    for command in commands:
        code, out = run_shown(command, tmp_path)
        assert code == 0, f"{command}\n{out}"
        if "--load" in command:
            assert out.startswith("Wrote 442 predictions to predictions.csv")
        else:
            assert "Training accuracy: " in out or "Training R^2: " in out


def test_decimal_commas_under_semicolons_are_read_as_numbers(tmp_path, capsys):
    # as spreadsheets write in many languages: ';' separates, ',' is the decimal
    rng = np.random.default_rng(0)
    size = rng.uniform(1, 9, 60).round(2)
    label = np.where(size > 5, "big", "small")
    lines = ["size;label"] + [
        f"{str(s).replace('.', ',')};{c}" for s, c in zip(size, label)
    ]
    path = tmp_path / "decimal_commas.csv"
    path.write_text("\n".join(lines) + "\n")
    saved = tmp_path / "model.joblib"
    code, out, err = run(
        [path, "--target", "label", "--save", saved, *FAST, "--max-iter", "100"],
        capsys,
    )
    assert code == 0 and err == "", err
    assert out.startswith(
        f"{path}: 60 rows, 2 columns, separator ';', decimal comma\n"
        "target 'label': 2 labels, so classification with NNFSClassifier\n"
        "numbers (standardized): size\n"
    )
    assert float(out.split("cross-validation: accuracy ")[1].split()[0]) > 0.9
    # the model holds the numbers: the standardizing's mean is theirs
    scaler = joblib.load(saved)[0].named_transformers_["numbers"][-1]
    np.testing.assert_allclose(scaler.mean_, [size.mean()])


# -- saving, and predicting with a saved model -------------------------------------


@pytest.mark.parametrize("suffix", [".skops", ".joblib"])
def test_a_saved_model_predicts_a_file_without_its_target(
    iris_csv, tmp_path, capsys, suffix
):
    saved = tmp_path / f"model{suffix}"
    code, out, err = run(
        [iris_csv, "--target", "species", "--save", saved, *FAST], capsys
    )
    assert code == 0, err
    assert ("with skops" in out) == (suffix == ".skops")
    frame = pd.read_csv(iris_csv)
    new = tmp_path / "new.csv"
    frame.drop(columns="species").to_csv(new, index=False)
    output = tmp_path / "predictions.csv"
    code, out, err = run([new, "--load", saved, "--output", output], capsys)
    assert code == 0, err
    assert out == f"Wrote 150 predictions to {output}\n"
    predicted = pd.read_csv(output)
    model = joblib.load(saved) if suffix == ".joblib" else load(saved)
    expected = model.predict_proba(frame.drop(columns="species"))
    assert list(predicted.columns) == [
        "row",  # no identifier in the file: the rows are numbered from 1
        "prediction",
        "probability_setosa",
        "probability_versicolor",
        "probability_virginica",
    ]
    np.testing.assert_array_equal(predicted["row"], np.arange(1, 151))
    np.testing.assert_array_equal(predicted["prediction"], model.predict(frame))
    # written with 6 significant digits
    np.testing.assert_allclose(predicted.iloc[:, 2:].to_numpy(), expected, rtol=5e-6)


def test_predictions_print_as_csv_without_output(iris_csv, tmp_path, capsys):
    saved = tmp_path / "model.skops"
    run([iris_csv, "--target", "species", "--save", saved, *FAST], capsys)
    code, out, err = run([iris_csv, "--load", saved], capsys)
    assert code == 0, err
    lines = out.splitlines()
    assert lines[0].startswith("row,prediction,probability_setosa,")
    assert len(lines) == 151 and lines[1].startswith("1,")


@pytest.mark.parametrize(
    "options, message",
    [
        (["--optimizer", "sgd"], "--load predicts with a saved model, so --optimizer"),
        (["--cv", "3", "--missing", "drop"], "so --cv, --missing do not apply"),
    ],
)
def test_training_options_with_load_are_refused(
    iris_csv, tmp_path, capsys, options, message
):
    saved = tmp_path / "model.skops"
    run([iris_csv, "--target", "species", "--save", saved, *FAST], capsys)
    code, out, err = run([iris_csv, "--load", saved, *options], capsys)
    assert code == 1 and message in err and err.count("\n") == 1


@pytest.mark.parametrize("suffix", [".skops", ".joblib"])
def test_load_with_target_scores_the_labelled_file(iris_csv, tmp_path, capsys, suffix):
    saved = tmp_path / f"model{suffix}"
    run([iris_csv, "--target", "species", "--save", saved, *FAST], capsys)
    model = joblib.load(saved) if suffix == ".joblib" else load(saved)
    frame = pd.read_csv(iris_csv)
    accuracy = model.score(frame, frame["species"])
    code, out, err = run([iris_csv, "--load", saved, "--target", "species"], capsys)
    assert code == 0 and err == "", err
    # the score only: no predictions without --output
    assert re.fullmatch(
        rf"{re.escape(str(iris_csv))}, 150 labelled rows: accuracy "
        rf"{accuracy:.3f}, log loss 0\.\d{{3}}\n",
        out,
    )
    output = tmp_path / "predictions.csv"
    code, out, err = run(
        [iris_csv, "--load", saved, "--target", "species", "--output", output],
        capsys,
    )
    assert code == 0 and out.endswith(f"Wrote 150 predictions to {output}\n")
    predicted = pd.read_csv(output)
    np.testing.assert_array_equal(predicted["prediction"], model.predict(frame))


def test_load_and_output_mistakes_say_what_to_do(iris_csv, tmp_path, capsys):
    code, _, err = run([iris_csv, "--target", "species", "--output", "x.csv"], capsys)
    assert code == 1 and "--output writes the predictions of --load" in err
    code, _, err = run([iris_csv, "--load", tmp_path / "none.skops"], capsys)
    assert code == 1 and "no such file" in err
    saved = tmp_path / "model.skops"
    run([iris_csv, "--target", "species", "--save", saved, *FAST], capsys)
    fewer = tmp_path / "fewer.csv"
    pd.read_csv(iris_csv).iloc[:, 1:].to_csv(fewer, index=False)
    code, _, err = run([fewer, "--load", saved], capsys)
    assert code == 1 and err == (
        f"python -m sknnfs: error: {fewer} lacks the columns sepal length (cm), "
        "which the model was trained on\n"
    )


def test_a_skops_file_with_other_types_is_not_loaded(iris_csv, tmp_path, capsys):
    sio = pytest.importorskip("skops.io")
    path = tmp_path / "other.skops"
    sio.dump(
        NNFSClassifier(optimizer=UserSGD(), max_iter=2).fit([[0], [1]], [0, 1]), path
    )
    code, _, err = run([iris_csv, "--load", path], capsys)
    assert code == 1 and "not sknnfs' own: tests.test_cli.UserSGD" in err


class UserSGD(SGD):
    """A user's own optimizer: its type is not sknnfs'."""


@pytest.mark.parametrize(
    "suffix, start", [(".skops", b"PK\x03\x04"), (".joblib", b"\x80\x04")]
)
def test_a_corrupt_model_file_gives_one_line(iris_csv, tmp_path, capsys, suffix, start):
    bad = tmp_path / f"bad{suffix}"
    bad.write_bytes(start + b"not a model")  # begins as the saved files do
    code, out, err = run([iris_csv, "--load", bad], capsys)
    assert code == 1 and err.count("\n") == 1 and out == ""
    assert err.startswith(
        f"python -m sknnfs: error: --load {bad}: cannot load a saved model from it ("
    )


@pytest.mark.parametrize("suffix", [".skops", ".joblib", ".csv"])
def test_a_file_that_is_not_a_saved_model_is_named_so(
    iris_csv, tmp_path, capsys, suffix
):
    other = tmp_path / f"other{suffix}"
    other.write_bytes(b"not a model")
    code, out, err = run([iris_csv, "--load", other], capsys)
    assert code == 1 and out == ""
    assert err == (
        f"python -m sknnfs: error: --load {other}: not a saved model (the .skops or "
        "joblib file that --save writes); the file to predict comes first: "
        "python -m sknnfs FILE --load MODEL\n"
    )


def test_the_csv_given_as_the_model_says_it_is_not_one(iris_csv, tmp_path, capsys):
    saved = tmp_path / "model.skops"
    run([iris_csv, "--target", "species", "--save", saved, *FAST], capsys)
    code, out, err = run([saved, "--load", iris_csv], capsys)  # swapped
    assert code == 1 and out == "" and err.count("\n") == 1
    assert f"--load {iris_csv}: not a saved model" in err
    assert "pop from empty list" not in err


def test_a_refused_option_is_named_as_the_option(iris_csv, capsys):
    code, _, err = run([iris_csv, "--target", "species", "--max-iter", "0"], capsys)
    assert code == 1
    assert err == (
        "python -m sknnfs: error: --max-iter must be a whole number 1 or more, not 0.\n"
    )


def test_the_demos_epochs_are_checked(capsys):
    assert main(["--epochs", "0"]) == 1
    assert capsys.readouterr() == (
        "",
        "python -m sknnfs: error: --epochs and --grid-epochs take a number of "
        "epochs, 1 or more\n",
    )


# -- what the issue of real files asked of the command line's words ---------------


def test_grid_lines_follow_the_order_written(iris_csv, capsys):
    code, out, err = run(
        [iris_csv, "--target", "species", "--optimizer", "sgd", *FAST]
        + ["--max-iter", "10", "--grid", "momentum=0.9,0", "learning_rate=0.1,0.01"],
        capsys,
    )
    assert code == 0, err
    assert "GridSearchCV over momentum=0.9,0 learning_rate=0.1,0.01, 3-fold:\n" in out
    candidates = [line.split(":")[0] for line in out.splitlines() if ": acc" in line]
    assert candidates == [
        f"  momentum={momentum} learning_rate={rate}"
        for momentum in ("0.9", "0")
        for rate in ("0.1", "0.01")
    ]
    assert re.search(
        r"\nBest: momentum=0(\.9)? learning_rate=0\.0?1 \(mean CV accuracy", out
    )


BAD_VALUES = [
    (["--max-iter", "abc"], "argument --max-iter: invalid int value: 'abc'"),
    (["--optimizer", "nope"], "argument --optimizer: invalid choice: 'nope'"),
    (["--cv", "x"], "argument --cv: invalid int value: 'x'"),
    (["--bogus"], "unrecognized arguments: --bogus"),
]


@pytest.mark.parametrize("options, message", BAD_VALUES)
def test_a_bad_option_value_is_one_line_and_exit_code_1(
    iris_csv, capsys, options, message
):
    with pytest.raises(SystemExit) as stop:
        main([str(iris_csv), "--target", "species", *options])
    assert stop.value.code == 1
    out, err = capsys.readouterr()
    assert out == "" and err.count("\n") == 1
    assert err.startswith(f"python -m sknnfs: error: {message}")
    assert err.endswith(" (python -m sknnfs --help lists the options)\n")


def test_a_bad_option_value_is_one_line_from_the_shell(iris_csv):
    for options, message in BAD_VALUES[:1]:  # a process is slow to start
        result = subprocess.run(
            [sys.executable, "-m", "sknnfs", str(iris_csv), "--target", "species"]
            + options,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert result.returncode == 1 and result.stdout == ""
        assert result.stderr.count("\n") == 1  # no usage dump
        assert result.stderr.startswith(f"python -m sknnfs: error: {message}")


@pytest.mark.parametrize(
    "options, message",
    [
        (["--learning-rate", "0"], "--learning-rate must be a number above 0, not 0."),
        (
            ["--batch-size", "0"],
            "--batch-size must be a whole number 1 or more, 'auto' or 'full', not 0.",
        ),
        (
            ["--hidden-layer-sizes", "4,0"],
            "--hidden-layer-sizes must be whole numbers 1 or more, one per hidden "
            "layer, e.g. 64 or 128,64; got 4,0.",
        ),
        (
            ["--momentum", "1"],
            "--momentum must be a number from 0 up to, not including, 1, not 1.",
        ),
        (["--alpha", "-1"], "--alpha must be a number 0 or more, not -1."),
        (
            ["--grid", "learning_rate=0.1,0", "hidden_layer_sizes=8,(8,4)"],
            "--grid candidate learning_rate=0 hidden_layer_sizes=8: "
            "learning_rate must be a number above 0, not 0.",
        ),
    ],
)
def test_estimator_messages_are_in_shell_words(iris_csv, capsys, options, message):
    code, out, err = run([iris_csv, "--target", "species", *options], capsys)
    assert code == 1 and "cross-validation" not in out
    assert err == f"python -m sknnfs: error: {message}\n"
    for python in ("None", "(8,", "_parameter", "The '", "Got ", "tuple"):
        assert python not in err


def test_predictions_are_written_with_6_significant_digits(diabetes_csv, capsys):
    saved = diabetes_csv.parent / "model.joblib"
    code, out, err = run(
        [diabetes_csv, "--target", "progression", "--save", saved]
        + ["--hidden-layer-sizes", "16", "--max-iter", "20", "--cv", "2"],
        capsys,
    )
    assert code == 0, err
    code, out, err = run([diabetes_csv, "--load", saved], capsys)
    assert code == 0, err
    lines = out.splitlines()
    assert lines[0] == "row,prediction" and len(lines) == 443
    written = [line.split(",")[1] for line in lines[1:]]
    digits = [len(re.sub(r"e.*|[-.]", "", text).lstrip("0")) for text in written]
    assert max(digits) == 6, written[:5]
    model = joblib.load(saved)
    frame = pd.read_csv(diabetes_csv)
    np.testing.assert_allclose(
        np.array(written, dtype=float), model.predict(frame), rtol=5e-6
    )


def test_a_wrong_sep_says_to_leave_it_out(iris_csv, capsys):
    code, out, err = run([iris_csv, "--target", "species", "--sep", ";"], capsys)
    assert code == 1 and out == ""
    assert err.startswith(f"python -m sknnfs: error: {iris_csv} reads as a single ")
    assert err.endswith(
        "with separator ';': leave out --sep to have it found (',' splits its lines)\n"
    )
    assert "--sep ';'" not in err


def test_the_log_lines_leave_out_a_penalty_of_zero(iris_csv, capsys):
    code, out, err = run([iris_csv, "--target", "species", *FAST], capsys)
    assert code == 0, err
    epochs = [line for line in out.splitlines() if line.startswith("epoch: ")]
    assert len(epochs) == 10
    assert all(
        re.fullmatch(r"epoch: \d+, acc: [\d.]+, loss: [\d.]+", line) for line in epochs
    ), epochs
    # a penalty that shows is still shown, as the book prints it
    code, out, err = run(
        [iris_csv, "--target", "species", *FAST, "--alpha", "0.5"], capsys
    )
    assert code == 0, err
    epochs = [line for line in out.splitlines() if line.startswith("epoch: ")]
    assert all(
        re.fullmatch(
            r"epoch: \d+, acc: [\d.]+, loss: [\d.]+ \(data_loss: [\d.]+, "
            r"reg_loss: 0\.\d*[1-9]\d*\)",
            line,
        )
        for line in epochs
    ), epochs


def test_a_file_not_in_utf8_is_read_as_windows_1252(tmp_path, capsys):
    rng = np.random.default_rng(0)
    size = rng.standard_normal(60)
    drink = np.where(size > 0, "café", "thé")
    frame = pd.DataFrame({"size": size, "drink": drink})
    path = tmp_path / "drinks.csv"
    frame.to_csv(path, index=False, encoding="cp1252")
    saved = tmp_path / "model.joblib"
    code, out, err = run([path, "--target", "drink", "--save", saved, *FAST], capsys)
    assert code == 0 and err == "", err
    assert out.startswith(
        f"{path}: 60 rows, 2 columns, separator ',', decimal point\n"
        f"note: {path} is not UTF-8: read as Windows-1252 text, as spreadsheet "
        "programs on Windows write it\n"
        "target 'drink': 2 labels, so classification with NNFSClassifier\n"
    )
    assert list(joblib.load(saved).classes_) == ["café", "thé"]


def test_empty_cells_are_filled_inside_the_saved_model(tmp_path, capsys):
    rng = np.random.default_rng(0)
    a, b = rng.standard_normal((2, 40))
    label = np.where(a + b > 0, "yes", "no").astype(object)
    rows = [f"{x:.4f},{y:.4f},{c}" for x, y, c in zip(a, b, label)]
    for i in (3, 7):
        rows[i] = f",{b[i]:.4f},{label[i]}"  # two empty cells in 'a'
    rows[10] = f"{a[10]:.4f},{b[10]:.4f},"  # an empty target: the row is left out
    path = tmp_path / "empty.csv"
    path.write_text("a,b,label\n" + "\n".join(rows) + "\n")
    known = np.delete(np.round(a, 4), [3, 7, 10])
    for missing, fill in [("median", np.median), ("mean", np.mean)]:
        saved = tmp_path / f"{missing}.joblib"
        code, out, err = run(
            [path, "--target", "label", "--missing", missing, "--save", saved, *FAST],
            capsys,
        )
        assert code == 0 and err == "", err
        assert out.startswith(
            f"{path}: 40 rows, 3 columns, separator ',', decimal point\n"
            "note: 1 row with an empty target left out\n"
        )
        assert (
            f"empty cells, filled with the column's {missing} inside the model: a 2\n"
            in out
        )
        imputer = joblib.load(saved)[0].named_transformers_["numbers"][0]
        np.testing.assert_allclose(imputer.statistics_[0], fill(known))
    code, out, err = run(
        [path, "--target", "label", "--missing", "drop", *FAST], capsys
    )
    assert code == 0, err
    assert "rows with empty cells left out (--missing drop): 2 of 39; " in out
    assert "Training on all 37 rows " in out
