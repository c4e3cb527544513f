"""``python -m sknnfs``: the command line of :mod:`sknnfs.cli`."""

import os
import sys

from sknnfs.cli import main
from sknnfs.cli.demo import DEMO_GRID, demo_search, seeded_spiral_data

__all__ = ["main", "DEMO_GRID", "demo_search", "seeded_spiral_data"]

if __name__ == "__main__":
    try:
        sys.exit(main())
    except BrokenPipeError:  # the reader stopped early, as `| head` does
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        sys.exit(1)
