"""``python -m sknnfs`` on CSV files written as spreadsheets and databases export them.

Each file is written here from one of scikit-learn's data sets (decimal
commas, identifiers, dates, no header row, empty cells, a small regression,
Windows-1252 text, a byte-order mark, quoted separators, thousands
separators) and goes through the command line end to end: fit, save, load,
predict. Each test asserts the columns used, the score and the exit code.
"""

import contextlib
import io
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from sklearn.datasets import load_iris, load_linnerud, load_wine

from sknnfs import NNFSClassifier, NNFSRegressor
from sknnfs.__main__ import main
from sknnfs.cli.columns import columns_of
from sknnfs.persistence import load

FAST = ["--hidden-layer-sizes", "16", "--max-iter", "30", "--cv", "3"]
FAST += ["--learning-rate", "0.01"]
WINE = list(load_wine().feature_names)
IRIS = list(load_iris().feature_names)
SPECIES = np.array(["setosa", "versicolor", "virginica"])
ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def wine():
    return load_wine(as_frame=True).frame


@pytest.fixture
def iris():
    frame = load_iris(as_frame=True).frame
    frame["species"] = SPECIES[frame.pop("target")]
    return frame


@pytest.fixture
def export(tmp_path):
    """Write a frame as a CSV file in tmp_path, with pandas' to_csv options."""

    def write(name, frame, **options):
        path = tmp_path / name
        frame.to_csv(path, **{"index": False, **options})
        return path

    return write


@pytest.fixture(scope="module")
def wine_run(tmp_path_factory):
    """What training prints on the plain wine file (comma and point, a header)."""
    path = tmp_path_factory.mktemp("plain") / "wine.csv"
    load_wine(as_frame=True).frame.to_csv(path, index=False)
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        assert main([str(path), "--target", "target", *FAST]) == 0
    return out.getvalue()


def run(capsys, *args):
    code = main([str(a) for a in args])
    out, err = capsys.readouterr()
    return code, out, err


def train(capsys, path, target, *options):
    """Train on ``path`` and save the model beside it; return the output and model."""
    saved = path.with_suffix(".skops")
    code, out, err = run(
        capsys, path, "--target", target, *FAST, *options, "--save", saved
    )
    assert code == 0, err
    assert f"Saved the fitted pipeline to {saved}" in out
    return out, load(saved)


def predict(capsys, path, model, *options):
    """Predict ``path`` with the saved model; return the predictions and stderr."""
    output = path.with_name(path.stem + "_predictions.csv")
    code, out, err = run(capsys, path, "--load", model, "--output", output, *options)
    assert code == 0, err
    return pd.read_csv(output), err


def line(out, start):
    """Return the one printed line that starts with ``start``, without it."""
    found = [text for text in out.splitlines() if text.startswith(start)]
    assert len(found) == 1, (start, out)
    return found[0][len(start) :]


def cv_accuracy(out):
    return float(line(out, "3-fold cross-validation: accuracy ").split()[0])


def training_accuracy(out):
    return line(out, "Training accuracy: ")


def used(model):
    """Return the saved model's columns by use, without the empty uses."""
    return {use: names for use, names in columns_of(model).items() if names}


# --- decimal commas ------------------------------------------------------------


def test_decimal_commas_train_exactly_as_their_comma_and_point_twin(
    export, wine, wine_run, capsys
):
    path = export("wine_eu.csv", wine, sep=";", decimal=",")
    assert "14,23;1,71" in path.read_text()  # as a spreadsheet writes it
    out, model = train(capsys, path, "target")
    assert (
        line(out, f"{path}: ") == "178 rows, 14 columns, separator ';', decimal comma"
    )
    assert used(model) == {"numbers": WINE}
    assert line(out, "numbers (standardized): ") == line(
        wine_run, "numbers (standardized): "
    )
    # the same scores, to the printed digit
    assert line(out, "3-fold") == line(wine_run, "3-fold")
    assert training_accuracy(out) == training_accuracy(wine_run)
    assert cv_accuracy(out) > 0.9
    # the saved model scores its file as training did, and predicts it
    code, scored, err = run(
        capsys, path, "--load", path.with_suffix(".skops"), "--target", "target"
    )
    assert code == 0, err
    assert scored.startswith(f"{path}, 178 labelled rows: accuracy ")
    assert line(scored, f"{path}, 178 labelled rows: accuracy ").split(",")[0] == (
        training_accuracy(out)
    )
    predictions, _ = predict(capsys, path, path.with_suffix(".skops"))
    assert list(predictions.columns) == [
        "row",
        "prediction",
        "probability_0",
        "probability_1",
        "probability_2",
    ]
    assert predictions["row"].tolist() == list(range(1, 179))
    assert (predictions["prediction"] == wine["target"]).mean() > 0.9


def test_a_european_export_trains_from_the_shell(export, wine, tmp_path):
    path = export("wine_eu.csv", wine, sep=";", decimal=",")
    saved = tmp_path / "wine.skops"
    done = subprocess.run(
        [sys.executable, "-m", "sknnfs", str(path), "--target", "target", *FAST]
        + ["--save", str(saved)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    assert done.returncode == 0, done.stderr
    assert "separator ';', decimal comma" in done.stdout
    assert cv_accuracy(done.stdout) > 0.9
    assert used(load(saved)) == {"numbers": WINE}


# --- identifiers ---------------------------------------------------------------


def test_an_id_in_class_order_is_left_out_and_joins_the_predictions(
    export, wine, wine_run, capsys
):
    with_id = wine.copy()
    with_id.insert(0, "id", range(1, 179))  # rows in class order, as exports are
    path = export("wine_id.csv", with_id)
    out, model = train(capsys, path, "target")
    assert line(out, "identifiers (left out; beside the predictions of --load): ") == (
        "id (whole numbers 1 to 178, a different one in every row, counting the rows)"
    )
    assert used(model) == {"numbers": WINE, "identifier": ["id"]}
    assert line(out, "3-fold") == line(wine_run, "3-fold")  # as without the column
    assert cv_accuracy(out) > 0.9
    # the ids go beside the predictions, in the file's order
    shuffled = with_id.sample(frac=1, random_state=0)
    shuffled_path = export("wine_id_shuffled.csv", shuffled.drop(columns="target"))
    predictions, _ = predict(capsys, shuffled_path, path.with_suffix(".skops"))
    assert list(predictions.columns[:2]) == ["id", "prediction"]
    assert predictions["id"].tolist() == shuffled["id"].tolist()
    truth = with_id.set_index("id").loc[predictions["id"], "target"].to_numpy()
    assert (predictions["prediction"].to_numpy() == truth).mean() > 0.9
    # a file without the id column is predicted all the same, rows numbered
    plain = export("wine_new.csv", shuffled.drop(columns=["id", "target"]))
    without, _ = predict(capsys, plain, path.with_suffix(".skops"))
    assert without["row"].tolist() == list(range(1, 179))
    assert without["prediction"].tolist() == predictions["prediction"].tolist()


def test_keep_uses_an_id_and_id_makes_one(export, wine, capsys):
    frame = wine.copy()
    frame.insert(0, "id", range(1, 179))
    # lot numbers: whole, all different, but neither counting nor named as ids
    frame.insert(1, "lot", np.random.default_rng(0).permutation(178) * 7 + 30001)
    path = export("wine_lots.csv", frame)
    out, model = train(capsys, path, "target", "--keep", "id")
    assert used(model) == {"numbers": ["id", "lot", *WINE]}
    assert "identifiers" not in out
    assert cv_accuracy(out) > 0.9

    saved = path.with_suffix(".skops")
    out, model = train(capsys, path, "target", "--id", "lot")
    assert used(model) == {"numbers": WINE, "identifier": ["id", "lot"]}
    assert line(out, "identifiers (left out; beside the predictions of --load): ") == (
        "id (whole numbers 1 to 178, a different one in every row, counting the "
        "rows), lot (--id)"
    )
    assert cv_accuracy(out) > 0.9
    predictions, _ = predict(capsys, path, saved)
    assert list(predictions.columns[:3]) == ["id", "lot", "prediction"]
    assert predictions["lot"].tolist() == frame["lot"].tolist()


# --- dates ---------------------------------------------------------------------


# a day-first date once leaked pandas' UserWarning to the terminal
@pytest.mark.filterwarnings("error::UserWarning")
def test_a_date_column_becomes_numbers_and_new_dates_are_used(export, wine, capsys):
    rng = np.random.default_rng(0)
    days = pd.Timestamp("2021-01-01") + pd.to_timedelta(rng.integers(0, 730, 178), "D")
    frame = wine.copy()
    frame.insert(0, "day", days.strftime("%d/%m/%Y"))  # as a European sheet writes
    path = export("wine_days.csv", frame)
    saved = path.with_suffix(".skops")
    out, model = train(capsys, path, "target")
    assert line(out, "dates (as numbers: ") == (
        "year with its fraction, month, day of the week, and hour if any): "
        "day (format %d/%m/%Y)"
    )
    assert "words" not in out  # never one category per day
    assert used(model) == {"numbers": WINE, "dates": ["day"]}
    names = model[0].get_feature_names_out()
    assert list(names[-3:]) == ["day year", "day month", "day weekday"]
    assert len(names) == 16
    assert cv_accuracy(out) > 0.9

    # dates never seen in training are read as numbers, not ignored
    def new_days(start):
        new = frame.drop(columns="target")
        new["day"] = pd.date_range(start, periods=178, freq="D").strftime("%d/%m/%Y")
        return export(f"wine_{start}.csv", new), new

    path_2024, days_2024 = new_days("2024-03-01")
    path_2030, _ = new_days("2030-03-01")
    predicted_2024, _ = predict(capsys, path_2024, saved)
    predicted_2030, _ = predict(capsys, path_2030, saved)
    year = model[0].named_transformers_["dates"][0].transform(days_2024[["day"]])[:, 0]
    assert year[0] == pytest.approx(2024 + 60 / 366)  # 1 March of a leap year
    probabilities = ["probability_0", "probability_1", "probability_2"]
    assert not np.allclose(
        predicted_2024[probabilities], predicted_2030[probabilities], atol=1e-3
    )


# --- no header row -------------------------------------------------------------


@pytest.mark.parametrize("options", [{}, {"sep": ";", "decimal": ","}])
def test_a_file_without_a_header_row(export, wine, wine_run, capsys, options):
    path = export("wine_bare.csv", wine, header=False, **options)
    code, out, err = run(capsys, path, "--target", "13", *FAST)
    assert code == 1 and out == ""
    assert err.count("\n") == 1 and "give --no-header" in err
    saved = path.with_suffix(".skops")
    out, model = train(capsys, path, "13", "--no-header")
    assert line(out, f"{path}: ").startswith("178 rows, 14 columns")
    assert "Training on all 178 rows" in out
    assert used(model) == {"numbers": [str(i) for i in range(13)]}
    assert line(out, "3-fold") == line(wine_run, "3-fold")  # no row lost
    code, scored, err = run(
        capsys, path, "--load", saved, "--no-header", "--target", "13"
    )
    assert code == 0, err
    assert f"178 labelled rows: accuracy {training_accuracy(out)}," in scored


def test_a_header_less_file_with_words_gets_the_hint(export, iris, capsys):
    path = export("iris_bare.csv", iris, header=False)
    code, out, err = run(capsys, path, "--target", "4", *FAST)
    assert code == 1 and "give --no-header" in err
    out, model = train(capsys, path, "4", "--no-header")
    assert line(out, "target '4': ") == (
        "3 labels, so classification with NNFSClassifier"
    )
    assert used(model) == {"numbers": ["0", "1", "2", "3"]}
    assert list(model.classes_) == list(SPECIES)
    assert cv_accuracy(out) > 0.85


def test_a_header_less_file_stops_with_exit_code_1_from_the_shell(export, wine):
    path = export("wine_bare.csv", wine, header=False)
    done = subprocess.run(
        [sys.executable, "-m", "sknnfs", str(path), "--target", "13"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    assert done.returncode == 1
    assert done.stdout == ""
    assert done.stderr.startswith("python -m sknnfs: error: the first row of ")
    assert done.stderr.count("\n") == 1 and "--no-header" in done.stderr


# --- empty cells ---------------------------------------------------------------


@pytest.fixture
def wine_with_holes(wine):
    frame = wine.astype(object)
    frame.loc[[3, 60, 140], "alcohol"] = np.nan
    frame.loc[[7, 150], "hue"] = np.nan
    frame.loc[20, "magnesium"] = "-"  # a spreadsheet's placeholder
    frame["target"] = wine["target"].astype("Int64")
    frame.loc[[100, 120], "target"] = pd.NA
    return frame


def test_empty_cells_are_filled_inside_the_model_and_counted(
    export, wine_with_holes, capsys
):
    path = export("wine_holes.csv", wine_with_holes)
    saved = path.with_suffix(".skops")
    out, model = train(capsys, path, "target")
    assert "note: 2 rows with an empty target left out" in out
    assert "Training on all 176 rows" in out
    assert "magnesium (1 cell '-' read as empty)" in out
    assert line(
        out, "empty cells, filled with the column's median inside the model: "
    ) == ("alcohol 3, magnesium 1, hue 2")
    assert used(model) == {"numbers": WINE}
    assert cv_accuracy(out) > 0.9
    # the medians of the rows trained on, filled in by the saved model
    labelled = wine_with_holes[wine_with_holes["target"].notna()]
    imputer = model[0].named_transformers_["numbers"][0]
    median = pd.to_numeric(labelled["alcohol"], errors="coerce").median()
    assert imputer.statistics_[WINE.index("alcohol")] == pytest.approx(median)
    # --load fills the same cells, and scores as training did
    code, scored, err = run(capsys, path, "--load", saved, "--target", "target")
    assert code == 0, err
    assert "note: 2 rows with an empty target left out" in err
    assert (
        "note: empty cells, filled as in training: alcohol 3, magnesium 1, hue 2" in err
    )
    assert f"176 labelled rows: accuracy {training_accuracy(out)}," in scored
    predictions, _ = predict(capsys, path, saved)
    assert len(predictions) == 178 and predictions.notna().all().all()
    # scored with --output, the rows keep their numbers in the file
    scored, _ = predict(capsys, path, saved, "--target", "target")
    assert len(scored) == 176 and 101 not in set(scored["row"])
    assert list(scored["row"][99:101]) == [100, 102]


def test_missing_drop_leaves_out_the_rows_with_a_count(export, wine_with_holes, capsys):
    path = export("wine_holes.csv", wine_with_holes)
    out, model = train(capsys, path, "target", "--missing", "drop")
    assert line(out, "rows with empty cells left out (--missing drop): ") == (
        "6 of 176; --load fills a new file's empty cells with the median"
    )
    assert "Training on all 170 rows" in out
    assert "filled with the column's" not in out
    assert used(model) == {"numbers": WINE}
    assert cv_accuracy(out) > 0.9


# --- the task: a small regression, and the boundaries --------------------------


def test_a_small_file_of_whole_measurements_is_regressed(export, capsys):
    path = export("linnerud.csv", load_linnerud(as_frame=True).frame)
    saved = path.with_suffix(".skops")
    out, model = train(capsys, path, "Weight")
    assert line(out, "target 'Weight': ") == (
        "16 distinct whole numbers in 20 rows, too few rows each to be classes, "
        "so regression with NNFSRegressor (--task classify to treat them as classes)"
    )
    assert isinstance(model[-1], NNFSRegressor)
    assert used(model) == {"numbers": ["Chins", "Situps", "Jumps", "Waist", "Pulse"]}
    assert line(out, "3-fold cross-validation: ").startswith("R^2 ")
    training = line(out, "Training R^2: ")
    assert float(training.split(",")[0]) > 0
    code, scored, err = run(capsys, path, "--load", saved, "--target", "Weight")
    assert code == 0, err
    assert scored == f"{path}, 20 labelled rows: R^2 {training}\n"


def whole_numbers(values, repeat, seed=0):
    """Return a file's frame whose target holds ``values`` each ``repeat`` times."""
    rng = np.random.default_rng(seed)
    y = np.repeat(values, repeat)
    return pd.DataFrame({"x": y + rng.normal(0, 0.3, len(y)), "y": y})


@pytest.mark.parametrize(
    "values, repeat, task, why",
    [
        # at most 20 distinct values, 5 rows each: classes; 21: numbers
        (range(10, 30), 5, "classify", "20 distinct whole numbers, 5 rows each on"),
        (range(10, 31), 5, "regress", "21 distinct whole numbers, so"),
        # 5 rows per value on average: classes; fewer: numbers
        ([10, 20, 30, 40], [5, 5, 5, 5], "classify", "4 distinct whole numbers, 5 "),
        ([10, 20, 30, 40], [5, 5, 5, 4], "regress", "4 distinct whole numbers in 19"),
        # labels 0..k-1 or 1..k are classes however few their rows; others are not
        (range(0, 4), 3, "classify", "4 distinct whole numbers, 0 to 3, which number"),
        (range(1, 5), 3, "classify", "4 distinct whole numbers, 1 to 4, which number"),
        (range(2, 6), 3, "regress", "4 distinct whole numbers in 12 rows, too few"),
    ],
)
def test_the_task_of_whole_numbers_on_both_sides_of_each_rule(
    export, capsys, values, repeat, task, why
):
    path = export("counts.csv", whole_numbers(values, repeat))
    out, model = train(capsys, path, "y")
    assert line(out, "target 'y': ").startswith(why)
    estimator = {"classify": NNFSClassifier, "regress": NNFSRegressor}[task]
    assert isinstance(model[-1], estimator)
    assert used(model) == {"numbers": ["x"]}
    metric = {"classify": "accuracy", "regress": "R^2"}[task]
    assert line(out, "3-fold cross-validation: ").startswith(f"{metric} ")
    code, scored, err = run(
        capsys, path, "--load", path.with_suffix(".skops"), "--target", "y"
    )
    assert code == 0, err
    assert f"labelled rows: {metric} " in scored


def test_the_task_is_said_before_a_failure(export, capsys):
    path = export("few.csv", whole_numbers(range(0, 4), 2))  # 2 rows a class
    code, out, err = run(capsys, path, "--target", "y", *FAST)
    assert code == 1
    assert "which number classes, so classification" in line(out, "target 'y': ")
    assert "--cv 3 needs 3 rows of each class" in err


# --- encodings ----------------------------------------------------------------


def test_a_windows_1252_file_with_accented_words(export, iris, capsys):
    rng = np.random.default_rng(0)
    frame = iris.copy()
    frame.insert(0, "région", rng.choice(["Genève", "Zürich", "Neuchâtel"], 150))
    frame["prix (€)"] = rng.integers(1, 30, 150)
    path = export("iris_latin.csv", frame, encoding="cp1252")
    with pytest.raises(UnicodeDecodeError):
        path.read_text(encoding="utf-8")
    saved = path.with_suffix(".skops")
    out, model = train(capsys, path, "species")
    assert (
        f"note: {path} is not UTF-8: read as Windows-1252 text, as spreadsheet "
        "programs on Windows write it"
    ) in out
    assert line(out, "words (one-hot encoded): ") == "région (3 categories)"
    assert used(model) == {"numbers": [*IRIS, "prix (€)"], "words": ["région"]}
    encoder = model[0].named_transformers_["words"][-1]
    assert list(encoder.categories_[0]) == ["Genève", "Neuchâtel", "Zürich"]
    assert cv_accuracy(out) > 0.85
    predictions, err = predict(capsys, path, saved)
    assert "is not UTF-8" in err
    assert (predictions["prediction"] == frame["species"]).mean() > 0.9


def test_a_byte_order_mark_is_not_part_of_the_first_name(export, iris, capsys):
    frame = iris[["species", *IRIS]]
    path = export("iris_bom.csv", frame, encoding="utf-8-sig")
    assert path.read_bytes().startswith(b"\xef\xbb\xbfspecies,")
    saved = path.with_suffix(".skops")
    out, model = train(capsys, path, "species")
    assert "\ufeff" not in out and "not UTF-8" not in out
    assert line(out, "target 'species': ").startswith("3 labels")
    assert used(model) == {"numbers": IRIS}
    assert cv_accuracy(out) > 0.85
    code, scored, err = run(capsys, path, "--load", saved, "--target", "species")
    assert code == 0, err
    assert f"150 labelled rows: accuracy {training_accuracy(out)}," in scored


# --- quoting and thousands separators -----------------------------------------


def test_quoted_fields_with_the_separator_inside(export, iris, capsys):
    rng = np.random.default_rng(0)
    gardens = ["Kew, London", "Edinburgh, Scotland", "Wisley, Surrey"]
    frame = iris.copy()
    frame["garden"] = rng.choice(gardens, 150)
    path = export("iris_gardens.csv", frame)
    assert '"Kew, London"' in path.read_text()
    saved = path.with_suffix(".skops")
    out, model = train(capsys, path, "species")
    assert line(out, f"{path}: ").startswith("150 rows, 6 columns, separator ','")
    assert line(out, "words (one-hot encoded): ") == "garden (3 categories)"
    assert used(model) == {"numbers": IRIS, "words": ["garden"]}
    encoder = model[0].named_transformers_["words"][-1]
    assert sorted(encoder.categories_[0]) == sorted(gardens)
    assert cv_accuracy(out) > 0.85
    predictions, _ = predict(capsys, path, saved)
    assert (predictions["prediction"] == frame["species"]).mean() > 0.9


def european(value):
    """Return ``1065.0`` as ``'1.065,0'``."""
    return f"{value:,.1f}".translate(str.maketrans(",.", ".,"))


@pytest.mark.parametrize(
    "written, options",
    [
        (lambda v: f"{v:,.0f}", {}),  # "1,065", quoted
        (european, {"sep": ";", "decimal": ","}),  # 1.065,0
    ],
)
def test_thousands_separators_are_read(
    export, wine, wine_run, capsys, written, options
):
    frame = wine.copy()
    frame["proline"] = frame["proline"].map(written)
    path = export("wine_thousands.csv", frame, **options)
    assert ("1,065" if not options else "1.065,0") in path.read_text()
    saved = path.with_suffix(".skops")
    out, model = train(capsys, path, "target")
    assert "proline (thousands separators read)" in line(
        out, "numbers (standardized): "
    )
    assert used(model) == {"numbers": WINE}
    assert line(out, "3-fold") == line(wine_run, "3-fold")
    assert training_accuracy(out) == training_accuracy(wine_run)
    code, scored, err = run(capsys, path, "--load", saved, "--target", "target")
    assert code == 0, err
    assert f"178 labelled rows: accuracy {training_accuracy(out)}," in scored


# --- a validation file of one's own --------------------------------------------


def test_a_validation_file_early_stops_the_final_fit(export, wine, capsys):
    shuffled = wine.sample(frac=1, random_state=0)
    training = export("wine_train.csv", shuffled.iloc[:130])
    # a later batch, exported by another program: ';' and decimal commas
    later = export("wine_later.csv", shuffled.iloc[130:], sep=";", decimal=",")
    out, model = train(capsys, training, "target", "--validation", later)
    assert (
        "Training on all 130 rows, early stopping on the 48 rows of --validation" in out
    )
    estimator = model[-1]
    assert (
        estimator.early_stopping
        and len(estimator.validation_scores_) == estimator.n_iter_
    )
    # the curve is the file's accuracy at each epoch; the model kept is its best
    later_rows = shuffled.iloc[130:]
    score = model.score(later_rows.drop(columns="target"), later_rows["target"])
    assert line(out, "Validation file ").startswith(f"{later}: accuracy {score:.3f}")
    assert max(estimator.validation_scores_) == pytest.approx(score)


def test_a_validation_file_needs_early_stopping_and_a_training_run(
    export, wine, capsys
):
    path = export("wine.csv", wine)
    code, out, err = run(
        capsys, path, "--target", "target", "--validation", path, "--no-early-stopping"
    )
    assert code == 1 and out == ""
    assert err == (
        "python -m sknnfs: error: --validation scores early stopping's epochs: "
        "leave out --no-early-stopping\n"
    )
    code, _, err = run(capsys, path, "--load", path, "--validation", path)
    assert code == 1 and "so --validation does not apply" in err
