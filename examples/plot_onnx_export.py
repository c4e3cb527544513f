"""
======================================
Deploying a tuned pipeline with ONNX
======================================

A model tuned in Python often runs somewhere else: in a service written in
another language, on a phone, in a browser. `ONNX <https://onnx.ai>`_ is a
file format for such models, and onnxruntime runs them without Python or
scikit-learn. Here a :class:`~sklearn.model_selection.GridSearchCV` tunes a
:class:`~sklearn.preprocessing.StandardScaler` and
:class:`~sknnfs.NNFSClassifier` pipeline on handwritten digits; its best
pipeline is converted to ONNX with skl2onnx, run with onnxruntime, and
checked against the original on test data it has not seen.

It needs ``pip install "sknnfs[onnx]"`` (skl2onnx and onnxruntime).
"""

# %%
# Tune the pipeline
# -----------------
# Two learning rates and two widths of the hidden layer, 3-fold
# cross-validation; the best pipeline is refitted on the whole training set.
import warnings

import matplotlib.pyplot as plt
import numpy as np
import onnxruntime
from skl2onnx import to_onnx
from sklearn.datasets import load_digits
from sklearn.exceptions import ConvergenceWarning
from sklearn.model_selection import GridSearchCV, train_test_split
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from sknnfs import NNFSClassifier
from sknnfs.onnx import register

X, y = load_digits(return_X_y=True)
X_train, X_test, y_train, y_test = train_test_split(
    X, y, test_size=0.25, stratify=y, random_state=0
)
search = GridSearchCV(
    make_pipeline(StandardScaler(), NNFSClassifier(max_iter=40, random_state=0)),
    {
        "nnfsclassifier__learning_rate": [0.001, 0.01],
        "nnfsclassifier__hidden_layer_sizes": [(32,), (128,)],
    },
    cv=3,
)
with warnings.catch_warnings():
    warnings.simplefilter("ignore", ConvergenceWarning)  # 40 epochs are enough
    search.fit(X_train, y_train)
best = search.best_estimator_
print("best parameters:", search.best_params_)
print(f"test accuracy: {best.score(X_test, y_test):.3f}")

# %%
# Convert it to ONNX
# ------------------
# skl2onnx converts scikit-learn's models; :func:`sknnfs.onnx.register`
# gives it the converters of sknnfs's estimators, once in the process.
# ``to_onnx`` takes the fitted pipeline and a sample of its input, whose
# type sets the graph's precision: float32 gives a graph in float, the usual
# precision of deployed models, float64 one in double. Both are made here.
# ``zipmap=False`` gives the probabilities as a matrix rather than a list of
# dictionaries.
register()
options = {NNFSClassifier: {"zipmap": False}}
graphs = {
    "float": to_onnx(best, X_train[:1].astype(np.float32), options=options),
    "double": to_onnx(best, X_train[:1], options=options),
}
for precision, onx in graphs.items():
    print(f"{precision}: {len(onx.SerializeToString()):,} bytes")

# %%
# The file is what a service would load:
#
# .. code-block:: python
#
#     with open("digits.onnx", "wb") as f:
#         f.write(graphs["float"].SerializeToString())
#
# Run it and compare
# ------------------
# onnxruntime runs each graph on the test set. The labels must be those of
# ``predict``, every one of them; the probabilities those of
# ``predict_proba``, to the precision of the graph.
expected_labels = best.predict(X_test)
expected = best.predict_proba(X_test)
differences = {}
for precision, onx in graphs.items():
    runtime = onnxruntime.InferenceSession(
        onx.SerializeToString(), providers=["CPUExecutionProvider"]
    )
    dtype = np.float32 if precision == "float" else np.float64
    labels, probabilities = runtime.run(None, {"X": X_test.astype(dtype)})
    same = np.sum(labels == expected_labels)
    differences[precision] = np.abs(probabilities - expected)
    print(
        f"{precision}: {same} of {len(X_test)} labels equal, largest probability "
        f"difference {differences[precision].max():.1e}"
    )

# %%
# Every label is the same. The double graph agrees with ``predict_proba`` to
# the last bits of float64. The float graph rounds the pipeline's float64
# weights to float32 and computes in float, and agrees to a few units in
# float32's last place (its epsilon is 1.2e-7).
#
# The differences, drawn
# ----------------------
# Left, the largest difference of each test sample's probabilities; right,
# the relative difference of each probability against its size. In float
# the relative difference stays about the same down to the smallest
# probabilities: each probability is the exponential of a difference of
# logits, computed as ``predict_proba`` computes it, so its relative error is
# that of the logits, not ``1 - p`` rounded. (Exact matches are drawn at
# 1e-17.)
floor = 1e-17
fig, (ax_sample, ax_size) = plt.subplots(1, 2, figsize=(8, 3.6), layout="constrained")
for (precision, difference), color in zip(differences.items(), ["C0", "C1"]):
    ax_sample.plot(
        np.maximum(difference.max(axis=1), floor), ".", color=color, label=precision
    )
    relative = difference / expected
    ax_size.loglog(
        expected.ravel(), np.maximum(relative.ravel(), floor), ".", color=color, ms=2
    )
for ax in (ax_sample, ax_size):
    ax.set_yscale("log")
    for dtype in ("float32", "float64"):
        epsilon = np.finfo(dtype).eps
        ax.axhline(epsilon, color="gray", lw=0.8, ls="--")
        ax.annotate(
            f"{dtype} epsilon",
            (0.02, epsilon),
            xycoords=("axes fraction", "data"),
            va="bottom",
            fontsize=8,
            color="gray",
        )
ax_sample.set_xlabel("test sample")
ax_sample.set_ylabel("largest |ONNX - predict_proba|")
ax_sample.legend(title="ONNX graph in", loc="center right")
ax_size.set_xlabel("probability (predict_proba)")
ax_size.set_ylabel("relative difference")
fig.suptitle("The ONNX graphs against the pipeline, on 450 test digits")
plt.show()
