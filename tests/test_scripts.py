"""Smoke runs of the demo, the benchmark scripts and the style check, so none rots."""

import ast
import re
import runpy
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from sknnfs.__main__ import DEMO_GRID, demo_search, seeded_spiral_data
from sknnfs.__main__ import main as demo

ROOT = Path(__file__).parents[1]


def test_demo_prints_the_book_log_accuracy_and_best_parameters(capsys):
    state = np.random.get_state()  # noqa: NPY002
    demo(["--epochs", "201", "--grid-epochs", "20"])
    out = capsys.readouterr().out
    assert "epoch: 0, acc: " in out and "epoch: 200, acc: " in out
    # the book's log keeps the rate as the book prints it, the summary rounds it
    assert re.search(
        r"\nepoch: 200, acc: [\d.]+, loss: [\d.]+, lr: 0.8340283569641367\n", out
    )
    assert "Final training accuracy: " in out
    assert "; the learning rate decayed from 1.0 to 0.833\n" in out
    table = out.split("chance is 0.333:\n")[1].splitlines()
    assert table[0].split() == ["learning_rate", "momentum=0.0", "momentum=0.9"]
    assert [float(row.split()[0]) for row in table[1:5]] == [0.1, 1.0, 3.0, 10.0]
    assert "Best parameters: {'learning_rate': " in out
    after = np.random.get_state()  # noqa: NPY002 (the demo must not change it)
    assert all(np.array_equal(a, b) for a, b in zip(state, after))


def test_the_demos_grid_shows_rates_too_small_and_too_large_and_momentum():
    # the demo's own grid and epochs, whose table the demo explains
    X, y = seeded_spiral_data(samples=100, classes=3, seed=0)
    search = demo_search(X, y, epochs=1500, seed=0)
    scores = search.cv_results_["mean_test_score"].reshape(4, 2)
    cell = dict(zip(DEMO_GRID["learning_rate"], scores))
    assert search.best_score_ > 0.7
    assert cell[0.1][0] < 0.4 < cell[0.1][1] - 0.1  # too small; momentum rescues it
    assert cell[1.0][1] > cell[1.0][0] + 0.2  # momentum helps the book's rate
    assert cell[3.0][1] < cell[3.0][0] - 0.1  # momentum makes a large rate overshoot
    assert max(cell[10.0]) < 0.4  # too large: chance, 0.333


@pytest.mark.parametrize(
    "script", sorted((ROOT / "benchmarks").glob("[!_]*.py")), ids=lambda path: path.name
)
def test_benchmark_scripts_run_quickly(script, monkeypatch, capsys):
    monkeypatch.setattr(sys, "argv", [str(script), "--quick"])
    monkeypatch.syspath_prepend(str(script.parent))  # as `python benchmarks/x.py` does
    runpy.run_path(str(script), run_name="__main__")
    out = capsys.readouterr().out
    assert "scikit-learn" in out and "\n---" in out  # the machine line and a table


def test_code_is_ruff_clean():
    # ruff comes with the test extra
    result = subprocess.run(
        [sys.executable, "-m", "ruff", "check", str(ROOT)],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_no_function_of_the_package_is_longer_than_50_lines():
    """Short enough to see whole: from ``def`` to the last line, its docstring
    left out (a public function's numpydoc sections are its documentation)."""
    long = []
    for path in sorted((ROOT / "sknnfs").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                length = node.end_lineno - node.lineno + 1
                docstring = node.body[0]
                if isinstance(docstring, ast.Expr) and isinstance(
                    docstring.value, ast.Constant
                ):
                    length -= docstring.end_lineno - docstring.lineno + 1
                if length > 50:
                    long.append(f"{path.name}:{node.lineno} {node.name} ({length})")
    assert not long, long


def test_the_estimators_base_class_reads_in_one_sitting():

    tree = ast.parse((ROOT / "sknnfs" / "_base.py").read_text())
    base = next(n for n in tree.body if getattr(n, "name", None) == "BaseNNFS")
    assert base.end_lineno - base.lineno + 1 <= 400
