"""Helpers of the example gallery, named in ``sphinx_gallery_conf`` by module path.

They live in a module, not in ``conf.py``, because Sphinx pickles its
configuration and sphinx-gallery's callables must be importable to be.
"""

from pathlib import Path

import numpy as np

# The order of the gallery: the book's story first, then the tools.
EXAMPLES = [
    "plot_book_replay.py",
    "plot_optimizer_paths.py",
    "plot_learning_rate_decay.py",
    "plot_momentum.py",
    "plot_optimizers.py",
    "plot_grid_search.py",
    "plot_learning_rate_finder.py",
    "plot_pipeline_real_data.py",
    "plot_regression.py",
    "plot_onnx_export.py",
]


class ExampleOrder:
    """Sort key of sphinx-gallery's ``within_subsection_order``: ``EXAMPLES``."""

    def __init__(self, src_dir):
        self.src_dir = src_dir

    def __call__(self, filename):
        """Position of ``filename`` in ``EXAMPLES``; an unlisted one is an error."""
        name = Path(filename).name
        if name not in EXAMPLES:
            raise ValueError(
                f"{name} is not in EXAMPLES of {__file__}: add it where it belongs "
                "in the gallery."
            )
        return EXAMPLES.index(name)


# What nnfs.init() replaces, as it was when the documentation build started.
_NUMPY_ORIGINALS = {
    (module, name): getattr(module, name)
    for module, name in [(np, "dot"), (np, "zeros"), (np, "eye"), (np.random, "randn")]
}


def numpy_unpatched(gallery_conf, fname, when):
    """Fail the build if an example leaves numpy patched (by ``nnfs.init()``).

    sphinx-gallery runs every example in the build's own process, so an
    example that calls ``nnfs.init()`` must put numpy back, or every later
    example would silently run in float32 with a float64 ``np.dot``.
    """
    changed = [
        f"{module.__name__}.{name}"
        for (module, name), original in _NUMPY_ORIGINALS.items()
        if getattr(module, name) is not original
    ]
    if changed:
        raise RuntimeError(
            f"{', '.join(changed)} replaced ({when} {fname}): an example called "
            "nnfs.init() and did not restore numpy."
        )
