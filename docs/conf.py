"""Sphinx configuration of the sknnfs documentation.

Build with ``sphinx-build -W -b html docs docs/_build/html``; the build runs
every example of ``examples/``.
"""

import importlib
import sys
from pathlib import Path

from docutils import nodes

import sknnfs

HERE = Path(__file__).parent
sys.path.insert(0, str(HERE / "_ext"))

project = "sknnfs"
author = "the sknnfs developers"
copyright = "the sknnfs developers"
release = version = sknnfs.__version__

extensions = [
    "sphinx.ext.autodoc",
    "sphinx.ext.autosummary",
    "sphinx.ext.viewcode",
    "numpydoc",
    "sphinx_gallery.gen_gallery",
]

templates_path = ["_templates"]
exclude_patterns = ["_build", "README.md"]
default_role = "literal"

# -- API reference ------------------------------------------------------------
autosummary_generate = True
autodoc_default_options = {"members": True, "inherited-members": True}
autodoc_typehints = "none"
autodoc_member_order = "bysource"  # the book's order: pre_update, update, post_update
toc_object_entries_show_parents = "hide"  # "fit()", not "NNFSClassifier.fit()"
# autodoc lists the methods (autodoc_default_options); numpydoc need not.
numpydoc_show_class_members = False
numpydoc_xref_param_type = False
# Every documented docstring is checked; a failed check is a warning, so an
# error under -W. Not required: a See Also section (SA01, SA03), an extended
# summary (ES01), an Examples section on every method (EX01: the classes have
# them, and tests/test_docs.py checks that), "name : type" in Returns (RT02,
# scikit-learn's style), and Parameters/Returns sections on methods whose
# one-line summary names them (PR01, RT01: the layers' forward/backward).
numpydoc_validation_checks = {
    "all",
    "SA01",
    "SA03",
    "ES01",
    "EX01",
    "RT02",
    "PR01",
    "RT01",
}
# scikit-learn's own docstrings, and the dicts documented by a #: comment
numpydoc_validation_exclude = {
    r"\.get_params$",
    r"\.set_params$",
    r"^sknnfs\.layers\.ACTIVATIONS$",
    r"^sknnfs\.optimizers\.NAMED_OPTIMIZERS$",
    r"^sknnfs\.persistence\.TRUSTED_TYPES$",
}


def skip_foreign_members(app, what, name, obj, skip, options):
    """Document the members sknnfs defines, and ``get_params``/``set_params``.

    Other inherited members are documented by scikit-learn and Python: the
    metadata-routing ``set_fit_request``, ``score`` (whose docstring links
    into scikit-learn's own site) and the methods of exceptions.
    """
    defined_in = getattr(getattr(obj, "fget", obj), "__module__", None) or ""
    if defined_in.startswith("sknnfs"):
        return skip
    if defined_in.startswith("sklearn") and name in {"get_params", "set_params"}:
        return skip
    return True


SKLEARN_API = "https://scikit-learn.org/stable/modules/generated/"


def link_scikit_learn(app, env, node, contnode):
    """Link ``sklearn.*`` references to scikit-learn's API pages.

    Intersphinx would need the network at build time; scikit-learn's pages
    follow one pattern, ``generated/<module>.<name>.html``, with members as
    anchors on their class's page.
    """
    target = node.get("reftarget", "")
    if node.get("refdomain") != "py" or not target.startswith("sklearn."):
        return None
    parts = target.split(".")
    for split in range(len(parts) - 1, 0, -1):  # the longest importable module
        try:
            obj = importlib.import_module(".".join(parts[:split]))
        except ImportError:
            continue
        try:
            for name in parts[split:]:
                obj = getattr(obj, name)
        except AttributeError:
            return None
        page = ".".join(parts[: split + 1])
        anchor = f"#{target}" if len(parts) > split + 1 else ""
        reference = nodes.reference(
            "", "", internal=False, refuri=f"{SKLEARN_API}{page}.html{anchor}"
        )
        reference.append(contnode)
        return reference
    return None


def setup(app):
    """Connect the handlers above (conf.py acts as a local extension)."""
    app.connect("autodoc-skip-member", skip_foreign_members)
    app.connect("missing-reference", link_scikit_learn)


# -- Gallery ------------------------------------------------------------------
sphinx_gallery_conf = {
    "examples_dirs": "../examples",
    "gallery_dirs": "auto_examples",
    "filename_pattern": "/plot_",  # run every example
    "within_subsection_order": "sknnfs_gallery.ExampleOrder",
    "doc_module": ("sknnfs",),
    "backreferences_dir": "generated/backreferences",
    "reference_url": {"sknnfs": None},
    "reset_modules": ("matplotlib", "sknnfs_gallery.numpy_unpatched"),
    "reset_modules_order": "both",
    "abort_on_example_error": True,
    "download_all_examples": False,
    "min_reported_time": 1,
    "remove_config_comments": True,
}

# -- HTML ---------------------------------------------------------------------
html_theme = "pydata_sphinx_theme"
html_title = f"sknnfs {version}"
html_static_path = ["_static"]
html_css_files = ["sknnfs.css"]
html_theme_options = {
    "logo": {"text": "sknnfs"},
    "navbar_align": "left",
    "show_toc_level": 2,
    "navigation_with_keys": False,
    "footer_start": ["copyright"],
    "footer_end": ["sphinx-version", "theme-version"],
}
html_sidebars = {"index": [], "install": [], "changelog": []}
html_show_sourcelink = False
