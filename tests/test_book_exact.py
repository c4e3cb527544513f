"""The book, exactly: the seed notebook's printed logs, replayed by NNFSClassifier.

``tests/book_replay.py`` runs in a subprocess because ``nnfs.init()`` patches
numpy for the whole process. The expected lines are in ``tests/fixtures``.
"""

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
    # In [14] printed "loss: 1.0985943", In [15] "acc: 0.36"
    assert replay["first pass"] == [
        "epoch: 0, acc: 0.360, loss: 1.099",
        "loss: 1.0985943",
    ]


@pytest.mark.parametrize(
    "section, fixture",
    [("sgd lr 1.0", "seed_sgd_lr_1.0.log"), ("sgd lr 0.85", "seed_sgd_lr_0.85.log")],
)
def test_plain_sgd_logs_are_the_seeds_character_for_character(replay, section, fixture):
    expected = fixture_lines(fixture)
    lines = replay[section]
    assert len(lines) == 101  # epochs 0, 100, ..., 10000
    assert lines[: len(expected)] == expected
    assert lines[-1].startswith("epoch: 10000, ")


def test_the_seeds_momentum_log_comes_from_its_bias_bug(replay):
    """The seed's momentum cell used ``layer.biases`` for ``layer.dbiases``.

    Replaying that bug through a user optimizer gives the seed's log line for
    line (decay printed as ``, lr: ...``); the correct momentum does not, and
    trains to a better model.
    """
    expected = fixture_lines("seed_momentum_0.5_bias_bug.log")
    buggy = replay["momentum 0.5 with the seed's bias bug"]
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
