"""Test-session setup shared by the test suite and the doctests."""

import os

# scikit-learn's array-API estimator check runs only when scipy's array API
# mode is on, and scipy reads this once, at import.
os.environ.setdefault("SCIPY_ARRAY_API", "1")
