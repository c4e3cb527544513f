"""The book, exactly: the printed logs of the book's optimizer chapter, replayed.

``tests/book_replay.py`` (the optimizer chapter, chapter 10) and
``tests/book_replay_chapters.py`` (the book's chapters 14 to 17) run in
a subprocess because ``nnfs.init()`` patches numpy for the whole process.
The expected lines are in ``tests/fixtures``.
"""

import re
import subprocess
import sys
from pathlib import Path

import pytest

HERE = Path(__file__).parent
FIXTURES = HERE / "fixtures"


@pytest.fixture(scope="module")
def replay():
    """The replay's output, split into its sections."""
    result = subprocess.run(
        [sys.executable, str(HERE / "book_replay.py"), "10001"],
        capture_output=True,
        text=True,
        check=True,
        timeout=600,
    )
    sections, name = {}, None
    for line in result.stdout.splitlines():
        if line.startswith("== "):
            name = line[3:]
            sections[name] = []
        else:
            sections[name].append(line)
    return sections


def fixture_lines(name):
    return (FIXTURES / name).read_text().splitlines()


def test_first_pass_is_the_books(replay):
    # the chapter's first forward pass printed "loss: 1.0985943" and "acc: 0.36"
    assert replay["first pass"] == [
        "epoch: 0, acc: 0.360, loss: 1.099",
        "loss: 1.0985943",
    ]


@pytest.mark.parametrize(
    "section, fixture",
    [
        ("sgd lr 1.0", "chapter10_sgd_lr_1.0.log"),
        ("sgd lr 0.85", "chapter10_sgd_lr_0.85.log"),
    ],
)
def test_plain_sgd_logs_are_the_chapters_character_for_character(
    replay, section, fixture
):
    expected = fixture_lines(fixture)
    lines = replay[section]
    assert len(lines) == 101  # epochs 0, 100, ..., 10000
    assert lines[: len(expected)] == expected
    assert lines[-1].startswith("epoch: 10000, ")


def test_the_chapters_momentum_log_comes_from_its_bias_bug(replay):
    """The momentum run of that reading used ``layer.biases`` for ``layer.dbiases``.

    Replaying that bug through a user optimizer gives its log line for
    line (decay printed as ``, lr: ...``); the correct momentum does not, and
    trains to a better model.
    """
    expected = fixture_lines("chapter10_momentum_0.5_bias_bug.log")
    buggy = replay["momentum 0.5 with the bias bug"]
    correct = replay["momentum 0.5"]
    assert buggy[: len(expected)] == expected
    assert correct[0] == expected[0]  # same data and weights at the start
    assert correct[1 : len(expected)] != expected[1:]
    final = {
        name: float(lines[-1].split(": ")[1])
        for name, lines in [("buggy", buggy), ("correct", correct)]
    }
    assert final["correct"] > final["buggy"] + 0.1


@pytest.mark.parametrize(
    "chapter, fixture",
    [("14", "book_ch14_regularization.log"), ("16", "book_ch16_binary_logistic.log")],
)
def test_later_chapters_logs_are_the_books_character_for_character(chapter, fixture):
    """Chapter 14's regularized model and chapter 16's binary logistic model.

    The fixtures are what the book's own final chapter code printed, run here
    (numpy 2.4, after nnfs.init()): 101 training lines in the chapter 14 form
    ``loss: ... (data_loss: ..., reg_loss: ...), lr: ...`` and the validation line.
    """
    result = subprocess.run(
        [sys.executable, str(HERE / "book_replay_chapters.py"), chapter],
        capture_output=True,
        text=True,
        check=True,
        timeout=900,
    )
    assert result.stdout.splitlines() == fixture_lines(fixture)


# -- chapter 15: dropout ---------------------------------------------------------
#
# The book's Layer_Dropout draws np.random.binomial from numpy's global state,
# and its mask, divided by the kept share, is float64: the float32 activations
# times the mask are float64, and so are the gradients under the dropout layer,
# the first layer's bias gradient (np.sum of them) and its Adam state. With
# init='nnfs' the estimator draws the masks the same way (random_state=None:
# numpy's global state) and keeps them float64, so that the log is the book's.
# The whole run (10001 epochs of 3000 samples) takes about 30 seconds on a
# quiet core, in a worker of its own: every line is replayed, the validation
# line included (a mask cast to float32 already changes the line of epoch 100).


def chapter_15_lines(epochs):
    result = subprocess.run(
        [sys.executable, str(HERE / "book_replay_chapters.py"), "15", str(epochs)],
        capture_output=True,
        text=True,
        check=True,
        timeout=1800,
    )
    return result.stdout.splitlines()


def test_chapter_15_dropout_log_is_the_books_character_for_character():
    expected = fixture_lines("book_ch15_dropout.log")
    assert len(expected) == 102  # 101 training lines and the validation line
    assert chapter_15_lines(10001) == expected


# -- chapter 17: regression of sine_data ---------------------------------------
#
# The book's Ch17_Final.py trains in a mixed precision that numpy's type
# promotion gives it by accident: X and y are float64 (sine_data uses no patched
# function), the weights float32 (nnfs.init()'s randn), so every np.dot returns
# float32 but ``y - output``, the loss and its gradient are float64, and with
# them the last layer's bias gradient and its Adam moments. The estimator trains
# in one dtype, X's (float64 X in float64, float32 X in float32). Measured with
# a replica of the book's arithmetic: each one of "X rounded to float32",
# "y in float32", "last bias gradient and Adam state in float32" alone changes
# the printed accuracy from epoch 200 on; the accuracy (the share of predictions
# within std(y) / 250) is that sensitive. The other columns hold on every line.
# So the whole log is not asserted: only what holds, each part a test that fails
# if it stops holding.


def chapter_17_lines(dtype, epochs):
    result = subprocess.run(
        [sys.executable, str(HERE / "book_replay_chapters.py"), "17", dtype, epochs],
        capture_output=True,
        text=True,
        check=True,
        timeout=1800,
    )
    return result.stdout.splitlines()


@pytest.fixture(scope="module")
def chapter_17_float32():
    """The 101 lines of the chapter 17 replay with X and y passed as float32."""
    return chapter_17_lines("float32", "10001")


def without_accuracy(line):
    """The log line with its ``acc: ...`` field blanked."""
    return re.sub(r"acc: \d\.\d{3}", "acc: -", line)


def test_chapter_17_float32_log_is_the_books_up_to_epoch_100(chapter_17_float32):
    expected = fixture_lines("book_ch17_regression.log")
    assert len(chapter_17_float32) == len(expected) == 101
    assert chapter_17_float32[:2] == expected[:2]


def test_chapter_17_float32_log_is_the_books_in_every_column_but_accuracy(
    chapter_17_float32,
):
    """Epoch, loss, data_loss, reg_loss and lr: all 101 lines, exactly."""
    expected = fixture_lines("book_ch17_regression.log")
    assert [without_accuracy(line) for line in chapter_17_float32] == [
        without_accuracy(line) for line in expected
    ]


def test_chapter_17_float32_final_accuracy_is_close_to_the_books(chapter_17_float32):
    def accuracy(line):
        return float(re.search(r"acc: (\d\.\d{3})", line).group(1))

    book = accuracy(fixture_lines("book_ch17_regression.log")[-1])  # 0.981
    assert book > 0.97
    assert accuracy(chapter_17_float32[-1]) == pytest.approx(book, abs=0.01)


def test_chapter_17_float64_first_line_is_the_books():
    """float64 X and y train in float64: the first line is the book's, not more."""
    expected = fixture_lines("book_ch17_regression.log")
    lines = chapter_17_lines("float64", "101")
    assert lines[0] == expected[0]
    assert without_accuracy(lines[1]) == without_accuracy(expected[1])
