"""The documentation: its build (running every example), its code samples, its facts.

The build runs ``sphinx-build -W`` on a fresh copy of ``docs/`` and
``examples/`` in a temporary folder: sphinx-gallery skips examples whose
output it already has, and a copy has none, so every example runs.
"""

import ast
import doctest
import html as html_module
import importlib
import inspect
import pkgutil
import re
import shutil
import subprocess
import sys
import textwrap
import warnings
from pathlib import Path

import numpy as np
import pytest
from sklearn.base import clone
from sklearn.model_selection import ParameterGrid
from sklearn.neural_network import MLPClassifier

import sknnfs
from sknnfs import NNFSClassifier

ROOT = Path(__file__).parents[1]
DOCS = ROOT / "docs"
GENERATED = {"_build", "auto_examples", "generated", "sg_execution_times.rst"}
EXAMPLES = sorted(p.stem for p in (ROOT / "examples").glob("plot_*.py"))


def public_names():
    """(module, name) for every name in the ``__all__`` of a public module."""
    modules = [sknnfs] + [
        importlib.import_module(f"sknnfs.{info.name}")
        for info in pkgutil.iter_modules(sknnfs.__path__)
        if not info.name.startswith("_")
    ]
    return [(m.__name__, name) for m in modules for name in getattr(m, "__all__", [])]


@pytest.fixture(scope="module")
def html(tmp_path_factory):
    """The built site, from a fresh copy of the sources."""
    tmp = tmp_path_factory.mktemp("docs")
    shutil.copytree(DOCS, tmp / "docs", ignore=shutil.ignore_patterns(*GENERATED))
    shutil.copytree(ROOT / "examples", tmp / "examples")
    result = subprocess.run(
        [sys.executable, "-m", "sphinx", "-W", "--keep-going", "-b", "html"]
        + [str(tmp / "docs"), str(tmp / "html")],
        capture_output=True,
        text=True,
        timeout=1800,
    )
    assert result.returncode == 0, result.stdout[-5000:] + result.stderr[-5000:]
    return tmp / "html"


def test_every_example_ran_and_drew_its_figures(html):
    for name in EXAMPLES:
        page = (html / "auto_examples" / f"{name}.html").read_text()
        assert f"sphx_glr_{name}_001.png" in page, name
        assert (html / "_images" / f"sphx_glr_{name}_001.png").stat().st_size > 10_000


def test_no_example_shows_the_repr_of_a_figure_part(html):
    # sphinx-gallery prints the value of a cell's last expression
    for name in EXAMPLES:
        page = html_module.unescape(
            (html / "auto_examples" / f"{name}.html").read_text()
        )
        assert not re.search(r"<matplotlib\.[\w.]+ object at 0x", page), name
        assert not re.search(r"\bText\(\d", page), name


RETURN_NONE = ("print(", "plt.show(", "np.random.set_state(")


@pytest.mark.parametrize("name", EXAMPLES)
def test_no_example_cell_ends_in_a_call_whose_value_would_show(name):
    """The same, before building: a cell ending in ``ax.legend(...)`` shows
    ``<matplotlib.legend.Legend object at ...>``; ``_ = ax.legend(...)`` not."""
    source = (ROOT / "examples" / f"{name}.py").read_text()
    for cell in re.split(r"^# %%.*$", source, flags=re.MULTILINE):
        body = ast.parse(cell).body
        if (
            body
            and isinstance(body[-1], ast.Expr)
            and isinstance(body[-1].value, ast.Call)
        ):
            last = ast.get_source_segment(cell, body[-1])
            assert last.startswith(RETURN_NONE), f"{name}: {last}"


def test_the_book_replay_example_printed_the_chapters_lines(html):
    page = (html / "auto_examples" / "plot_book_replay.html").read_text()
    assert page.count("lines reproduced: True") == 2
    assert "epoch: 100, acc: 0.407, loss: 1.083" in page  # learning rate 1.0
    assert "epoch: 2600, acc: 0.497, loss: 1.004" in page  # learning rate 0.85


def test_the_momentum_example_shows_the_bias_bug(html):
    page = html_module.unescape(
        (html / "auto_examples" / "plot_momentum.html").read_text()
    )
    rows = {
        match[0]: (float(match[1]), float(match[2]))
        for match in re.findall(
            r"(momentum 0\.\d, [a-z' ]+?) +[\d.]+ +([\d.]+) +([\d.]+)\n", page
        )
    }
    for momentum in ("0.5", "0.9"):
        bug_accuracy, bug_bias = rows[f"momentum {momentum}, bias bug"]
        accuracy, bias = rows[f"momentum {momentum}, correct"]
        assert bug_bias == 0 < bias  # the bug keeps every bias at zero
        assert accuracy > bug_accuracy + 0.2


def test_every_public_name_has_an_api_page(html):
    missing = [
        f"{module}.{name}"
        for module, name in public_names()
        if not (html / "generated" / f"{module}.{name}.html").exists()
        and not (html / "generated" / f"sknnfs.{name}.html").exists()
    ]
    assert not missing, f"add these to docs/api.rst: {missing}"


@pytest.mark.parametrize("module, name", public_names())
def test_every_public_name_has_an_example_or_a_doc_comment(module, name):
    """Classes and functions show an example; data have a ``#:`` comment,
    which is what their API page shows."""
    imported = importlib.import_module(module)
    obj = getattr(imported, name)
    if inspect.isclass(obj) or inspect.isfunction(obj):
        assert "Examples\n    --------\n    >>> " in obj.__doc__
        return
    lines = inspect.getsource(imported).splitlines()
    where = next(i for i, line in enumerate(lines) if line.startswith(f"{name} ="))
    assert lines[where - 1].startswith("#: "), f"{module}.{name} has no #: comment"


RST_PAGES = sorted(
    p.relative_to(DOCS)
    for p in DOCS.rglob("*.rst")
    if not GENERATED.intersection(p.relative_to(DOCS).parts)
)


@pytest.mark.parametrize("page", RST_PAGES, ids=str)
def test_code_samples_of_the_pages_run(page):
    # the >>> samples; plain code blocks (nnfs.init(), bash) are not run
    state = np.random.get_state()  # noqa: NPY002 (samples seed spiral_data)
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")  # pasted, they would print
            result = doctest.testfile(
                str(DOCS / page),
                module_relative=False,
                optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE,
                verbose=False,
            )
    finally:
        np.random.set_state(state)  # noqa: NPY002
    assert result.failed == 0
    assert [str(w.message) for w in caught] == []


def python_blocks(page):
    """The ``.. code-block:: python`` blocks of a page, dedented."""
    text = (DOCS / page).read_text()
    blocks = re.findall(r"\.\. code-block:: python\n\n((?:    .*\n|\n)+)", text)
    return [textwrap.dedent(block) for block in blocks]


def literal_blocks(page):
    """The ``::`` blocks of a page, dedented."""
    text = (DOCS / page).read_text()
    blocks = re.findall(r"::\n\n((?:    .*\n|\n)+)", text)
    return [textwrap.dedent(block) for block in blocks]


def test_the_schedule_snippet_imports_what_it_uses():
    # as pasted after the page's first samples, which import NNFSClassifier
    blocks = [
        b for b in literal_blocks("user_guide/optimizers.rst") if "Schedule(" in b
    ]
    assert blocks
    for block in blocks:
        exec(block, {"NNFSClassifier": NNFSClassifier})


def test_the_dask_pages_search_fits_without_warnings():
    # each (candidate, fold) fit of the page's search printed a
    # ConvergenceWarning; its fits are run here without the cluster (the
    # block starts one only when run as a script), on all of X
    pytest.importorskip("distributed")
    namespace = {"__name__": "pasted"}
    exec(python_blocks("user_guide/scaling_out.rst")[0], namespace)
    search, X, y = namespace["search"], namespace["X"], namespace["y"]
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for candidate in ParameterGrid(search.param_grid):
            clone(search.estimator).set_params(**candidate).fit(X, y)


def table_defaults(column):
    """``{name: default}`` from one column of the table of from_mlp.rst."""
    text = (DOCS / "user_guide" / "from_mlp.rst").read_text()
    rows = re.findall(r"^   \* - (.*)\n     - (.*)$", text, flags=re.MULTILINE)
    cells = [row[column] for row in rows]
    return dict(re.fullmatch(r"``(\w+)=(.+)``", c).groups() for c in cells if "=" in c)


@pytest.mark.parametrize("column, estimator", [(0, MLPClassifier), (1, NNFSClassifier)])
def test_the_mlp_table_lists_every_parameter_with_its_default(column, estimator):
    defaults = {
        name: repr(parameter.default)
        for name, parameter in inspect.signature(estimator).parameters.items()
    }
    assert table_defaults(column) == defaults


def test_the_gallery_fails_an_example_that_leaves_numpy_patched():
    # nnfs.init() patches numpy for the whole process: checked in a subprocess
    script = f"""
import sys
sys.path.insert(0, {str(DOCS / "_ext")!r})
import nnfs, sknnfs_gallery
sknnfs_gallery.numpy_unpatched(None, "before.py", "after")
nnfs.init()
try:
    sknnfs_gallery.numpy_unpatched(None, "leaky.py", "after")
except RuntimeError as error:
    print(error)
"""
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    )
    assert "numpy.dot, numpy.zeros, numpy.eye, numpy.random.randn" in result.stdout
    assert "leaky.py" in result.stdout
