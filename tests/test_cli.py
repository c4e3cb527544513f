"""The CSV mode of ``python -m sknnfs``, on small CSV files written here."""

import re
import subprocess
import sys

import joblib
import numpy as np
import pandas as pd
import pytest
from sklearn.datasets import load_iris

from sknnfs.__main__ import main

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
    assert "150 rows, 4 features (4 numeric, 0 one-hot encoded)" in out
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
    assert "Best: {'learning_rate': 0.1, 'momentum': " in out
    assert "learning_rate=0.1" in out.split("Training on all 150 rows")[1]


def test_grid_values_keep_their_types(iris_csv, capsys):
    code, out, err = run(
        [iris_csv, "--target", "species", *FAST, "--max-iter", "10"]
        + ["--grid", "hidden_layer_sizes=(4,),(8, 4)", "optimizer=adam,rmsprop"],
        capsys,
    )
    assert code == 0, err
    assert "hidden_layer_sizes=(8, 4) optimizer=rmsprop: accuracy" in out


def test_word_columns_are_one_hot_encoded(mixed_csv, capsys):
    code, out, err = run(
        [mixed_csv, "--target", "label", "--learning-rate", "0.01", *FAST]
        + ["--hidden-layer-sizes", "16", "--max-iter", "150"],
        capsys,
    )
    assert code == 0, err
    assert "2 features (1 numeric, 1 one-hot encoded)" in out
    accuracy = float(out.split("cross-validation: accuracy ")[1].split()[0])
    assert accuracy > 0.8  # an XOR of the two columns: it needs both


@pytest.mark.parametrize(
    "content, options, message",
    [
        (None, ["--target", "a"], "no such file: "),
        ("", ["--target", "a"], "is empty"),
        ("a,b\n", ["--target", "a"], "has a header but no rows"),
        ("a,b\n1,2\n3\n4,5,6,7\n", ["--target", "a"], "cannot read "),
        (b"\xff\xfe\x00bin", ["--target", "a"], "cannot read "),
        ("a,b\n1,x\n2,y\n", ["--target", "c"], "no column 'c' in .*columns are: a, b"),
        ("a,b\n1,x\n2,x\n", ["--target", "b"], "single class"),
        ("a,b\n1,0.5\n2,1.7\n", ["--target", "b"], "'b' is continuous, not classes"),
        ("a,b\n1,x\n,y\n", ["--target", "b"], "empty values in the feature columns a"),
        ("a,b\n1,x\n2,y\n", [], "--target is required"),
        ("a,b\n1,x\n2,y\n3,x\n", ["--target", "b"], "--cv 5 needs .* 'y', has 1"),
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


def test_csv_options_without_a_file_are_refused(capsys):
    with pytest.raises(SystemExit) as stop:
        main(["--target", "species"])
    assert stop.value.code == 2
    assert "need a CSV file" in capsys.readouterr().err


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
    assert code == 1 and out == ""  # nothing read, nothing trained
    assert "momentum=[0, 0.9] is not used by optimizer='adagrad'" in err


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
    candidates = [line.split(":")[0].strip() for line in out.splitlines()]
    assert "optimizer=adagrad" in candidates
    assert "momentum=0.9 optimizer=sgd" in candidates
    assert "failed" not in out


def test_the_final_fit_names_the_learning_rate_it_trains_with(iris_csv, capsys):
    code, out, err = run(
        [iris_csv, "--target", "species", "--optimizer", "sgd", *FAST], capsys
    )
    assert code == 0, err
    assert "optimizer='sgd', learning_rate=0.1," in out
