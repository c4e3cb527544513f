"""Smoke runs of the demo, the benchmark scripts and the style check, so none rots."""

import ast
import runpy
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from sknnfs.__main__ import main as demo

ROOT = Path(__file__).parents[1]


def test_demo_prints_the_book_log_accuracy_and_best_parameters(capsys):
    state = np.random.get_state()  # noqa: NPY002
    demo(["--epochs", "201", "--grid-epochs", "20"])
    out = capsys.readouterr().out
    assert "epoch: 0, acc: " in out and "epoch: 200, acc: " in out and ", lr: " in out
    assert "Final training accuracy: " in out
    assert "Best parameters: {'learning_rate': " in out
    after = np.random.get_state()  # noqa: NPY002 (the demo must not change it)
    assert all(np.array_equal(a, b) for a, b in zip(state, after))


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
    """Short enough to see whole: from ``def`` to the last line, docstring included."""

    long = []
    for path in sorted((ROOT / "sknnfs").glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                length = node.end_lineno - node.lineno + 1
                if length > 50:
                    long.append(f"{path.name}:{node.lineno} {node.name} ({length})")
    assert not long, long


def test_the_estimators_base_class_reads_in_one_sitting():

    tree = ast.parse((ROOT / "sknnfs" / "_base.py").read_text())
    base = next(n for n in tree.body if getattr(n, "name", None) == "BaseNNFS")
    assert base.end_lineno - base.lineno + 1 <= 400
