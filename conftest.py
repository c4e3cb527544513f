"""Test-session setup shared by the test suite and the doctests."""

import importlib.util
import os

# scikit-learn's array-API estimator check runs only when scipy's array API
# mode is on, and scipy reads this once, at import.
os.environ.setdefault("SCIPY_ARRAY_API", "1")

# The ONNX export needs the onnx extra (skl2onnx, onnxruntime), which the test
# extra installs; without it, its module's doctests are not collected.
if importlib.util.find_spec("skl2onnx") is None:
    collect_ignore = ["sknnfs/onnx.py", "sknnfs/_onnx.py"]
