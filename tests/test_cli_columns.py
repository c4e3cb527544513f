"""The command line's decisions as plain data: numbers, columns, dates, the task."""

import numpy as np
import pandas as pd
import pytest

from sknnfs.cli.columns import Column, column_transformer, decide_columns
from sknnfs.cli.dates import DateFeatures, date_format
from sknnfs.cli.errors import CLIError
from sknnfs.cli.numbers import find_decimal_mark, read_numbers
from sknnfs.cli.reading import sniff_separator
from sknnfs.cli.task import MAX_CLASSES, ROWS_PER_CLASS, choose_task


def text(*cells):
    return pd.Series(list(cells), dtype=object)


@pytest.mark.parametrize(
    "cells, decimal, expected",
    [
        (["14,23", "1,71", "-3,5e2"], ",", [14.23, 1.71, -350.0]),
        (["1.065,5", "2 300,25", "7"], ",", [1065.5, 2300.25, 7.0]),
        (["1,065.5", "1'000", ".5"], ".", [1065.5, 1000.0, 0.5]),
        (["1,065,000", "12"], ".", [1065000.0, 12.0]),
    ],
)
def test_numbers_read_with_their_decimal_mark(cells, decimal, expected):
    numbers, _, _ = read_numbers(text(*cells), decimal)
    assert numbers.tolist() == expected


@pytest.mark.parametrize(
    "cells, decimal",
    [
        (["14,23", "1,71"], "."),  # a decimal comma under a point
        (["1,06", "2"], "."),  # not three digits: not thousands
        (["12 mg", "3"], "."),
        (["1.5.2", "3"], "."),
        (["1.5", "2,5"], ","),
    ],
)
def test_cells_that_are_not_numbers_with_the_mark_make_no_numbers(cells, decimal):
    assert read_numbers(text(*cells), decimal)[0] is None


def test_cells_without_a_digit_are_empty_and_counted():
    numbers, grouped, placeholders = read_numbers(text("1", "-", "?", "-", None), ".")
    assert np.isnan(numbers[1:]).all() and numbers[0] == 1.0
    assert placeholders == {"-": 2, "?": 1} and not grouped


def test_the_decimal_comma_is_found_under_a_semicolon_only():
    frame = pd.DataFrame({"a": text("14,23", "13,2"), "b": text("1", "2")})
    assert find_decimal_mark(frame, ";") == ","
    assert find_decimal_mark(frame, ",") == "."
    points = pd.DataFrame({"a": text("14.23", "13.2"), "b": text("1", "2")})
    assert find_decimal_mark(points, ";") == "."


def test_a_separator_splits_every_line_alike_and_a_comma_comes_last():
    assert sniff_separator(["a;b;c", "1,5;2;3", "4;5,25;6"]) == ";"
    assert sniff_separator(["a,b", '"x;y",2', "z,3"]) == ","
    assert sniff_separator(["a\tb", "1,5\t2"]) == "\t"
    assert sniff_separator(["just one column"]) == ","


def decide(frame, **options):
    X, columns = decide_columns(pd, frame, ".", **options)
    return X, {c.name: c for c in columns}


def test_each_column_is_decided_and_says_why():
    n = 30
    rng = np.random.default_rng(0)
    frame = pd.DataFrame(
        {
            "row": [str(i) for i in range(1, n + 1)],
            "customer_id": [str(v) for v in rng.permutation(n) * 7 + 100],
            "size": [f"{v:.2f}" for v in rng.normal(size=n)],
            "colour": rng.choice(["red", "blue"], n),
            "name": [f"flower {i}" for i in range(n)],
            "day": pd.date_range("2024-01-30", periods=n).strftime("%d/%m/%Y"),
            "site": ["kew"] * n,
            "nothing": [None] * n,
        },
        dtype=object,
    )
    X, columns = decide(frame)
    uses = {name: column.use for name, column in columns.items()}
    assert uses == {
        "row": "identifier",
        "customer_id": "identifier",
        "size": "numbers",
        "colour": "words",
        "name": "identifier",
        "day": "dates",
        "site": "left out",
        "nothing": "left out",
    }
    assert "counting the rows" in columns["row"].why
    assert "an identifier's name" in columns["customer_id"].why
    assert columns["day"].why == "format %d/%m/%Y"
    assert X["size"].dtype == float


def test_whole_numbers_all_different_under_another_name_are_numbers():
    weights = pd.DataFrame({"weight": text("191", "189", "193", "162", "211")})
    assert decide(weights)[1]["weight"].use == "numbers"


def test_free_text_is_left_out_and_keep_id_drop_decide_instead():
    n = 120
    notes = [f"note {i % 100}" for i in range(n)]
    frame = pd.DataFrame({"note": notes, "id": [str(i) for i in range(n)]})
    _, columns = decide(frame)
    assert columns["note"].use == "left out" and "free text" in columns["note"].why
    _, columns = decide(frame, keep={"note", "id"})
    assert columns["note"].use == "words" and columns["id"].use == "numbers"
    _, columns = decide(frame, drop={"id"}, ids={"note"})
    assert columns["id"] == Column("id", "left out", "--drop")
    assert columns["note"] == Column("note", "identifier", "--id")


def test_text_that_looks_numeric_but_does_not_read_stops():
    frame = pd.DataFrame({"dose": text("12 mg", "3 mg", "4.5 mg")})
    with pytest.raises(CLIError, match="column 'dose' looks numeric.*--drop dose"):
        decide(frame)
    assert decide(frame, keep={"dose"})[1]["dose"].use == "words"


def test_a_decimal_comma_under_a_point_says_to_give_decimal():
    frame = pd.DataFrame({"alcohol": text("14,23", "13,2", "12,5")})
    with pytest.raises(CLIError, match="give --decimal ','"):
        decide(frame)


def test_empty_cells_are_counted_and_filled_inside_the_model():
    frame = pd.DataFrame(
        {"size": text("1", None, "3", "-"), "colour": text("a", "b", None, "a")}
    )
    X, columns = decide(frame)
    assert columns["size"].empty == 2 and columns["colour"].empty == 1
    step = column_transformer(list(columns.values())).fit(X)
    filled = step.transform(X)
    assert not np.isnan(filled).any()


@pytest.mark.parametrize(
    "cells, expected",
    [
        (["2024-03-01", "2024-12-31"], "%Y-%m-%d"),
        (["03/04/2024", "13/04/2024"], "%d/%m/%Y"),
        (["04/03/2024", "04/13/2024"], "%m/%d/%Y"),
        (["1.3.2024", "15.3.2024"], "%d.%m.%Y"),
        (["2024-03-01 13:45", "2024-03-02 08:00"], "%Y-%m-%d %H:%M"),
        (["12", "13"], None),
        (["2024-03-01", "soon"], None),
        (["1-2", "3-4"], None),
    ],
)
def test_a_date_column_has_one_format(cells, expected):
    assert date_format(text(*cells), pd) == expected


def test_dates_become_year_month_weekday_and_hour_new_dates_included():
    train = pd.DataFrame({"t": text("2024-01-01 06:00", "2024-07-02 18:30")})
    step = DateFeatures({"t": "%Y-%m-%d %H:%M"}).fit(train)
    new = pd.DataFrame({"t": text("2030-12-31 00:00", None)})
    numbers = step.transform(new)
    np.testing.assert_allclose(numbers[0], [2030 + 364 / 365, 12, 1, 0])
    assert np.isnan(numbers[1]).all()
    assert list(step.get_feature_names_out()) == [
        "t year",
        "t month",
        "t weekday",
        "t hour",
    ]


def whole(values, rows):
    return pd.Series(np.resize(np.asarray(values, dtype=float), rows))


@pytest.mark.parametrize(
    "y, task",
    [
        (whole(range(MAX_CLASSES), 200), "classify"),  # 20 values, 0-19
        (whole(range(MAX_CLASSES + 1), 210), "regress"),  # 21 values
        (whole([3, 7, 9, 12], 4 * ROWS_PER_CLASS), "classify"),  # 5 rows each
        (whole([3, 7, 9, 12], 4 * ROWS_PER_CLASS - 1), "regress"),  # fewer
        (whole([0, 1, 2], 6), "classify"),  # few rows, but class numbers
        (whole([1, 2, 3], 6), "classify"),
        (whole([2, 3, 4], 6), "regress"),  # not numbering from 0 or 1
        (pd.Series([0.5, 1.5, 0.5]), "regress"),
        (pd.Series(["a", "b", "a"]), "classify"),
    ],
)
def test_the_task_is_chosen_from_the_target_and_the_files_size(y, task):
    chosen, line = choose_task(y, "y")
    assert chosen == task, line


def test_the_task_line_says_why_and_what_overrides_it():
    _, line = choose_task(whole(range(150, 230, 5), 20), "Weight")
    assert line == (
        "target 'Weight': 16 distinct whole numbers in 20 rows, too few rows "
        "each to be classes, so regression with NNFSRegressor "
        "(--task classify to treat them as classes)"
    )
