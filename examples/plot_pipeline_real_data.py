"""
=============================================================
Real data in a pipeline, next to scikit-learn's MLPClassifier
=============================================================

:class:`~sknnfs.NNFSClassifier` is a scikit-learn estimator, so it goes into a
:class:`~sklearn.pipeline.Pipeline` and through
:func:`~sklearn.model_selection.cross_validate` like any other. Here it is
scored on two of scikit-learn's bundled data sets, handwritten digits (1,797
images of 8 x 8 pixels, 10 classes) and breast cancer (569 samples, 30
measurements, 2 classes), next to :class:`~sklearn.neural_network.MLPClassifier`,
both with their default settings behind a
:class:`~sklearn.preprocessing.StandardScaler`.
"""

# %%
# Both models in the same pipeline
# --------------------------------
# Both default to one hidden layer of 100 ReLU neurons, Adam, an L2 penalty
# of 1e-4 and at most 200 epochs, stopping once the loss stops improving.
# They start alike, from Glorot-uniform weights and biases, and differ in
# their batches (32 samples for NNFSClassifier, 200 for MLPClassifier) and in
# Adam's ``epsilon`` (the book's 1e-7 against 1e-8).
#
# Scaling matters to both: the features of the breast-cancer data range from
# about 0.001 to about 4,000, and a network trained on them raw learns slowly
# or diverges. The scaler is fitted inside each training fold, so no
# information from the test fold leaks into training.
import warnings

import matplotlib.pyplot as plt
import numpy as np
from sklearn.datasets import load_breast_cancer, load_digits
from sklearn.exceptions import ConvergenceWarning
from sklearn.model_selection import StratifiedKFold, cross_validate
from sklearn.neural_network import MLPClassifier
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from sknnfs import NNFSClassifier

datasets = {
    "digits": load_digits(return_X_y=True),
    "breast_cancer": load_breast_cancer(return_X_y=True),
}
models = {
    "NNFSClassifier": NNFSClassifier(random_state=0),
    "MLPClassifier": MLPClassifier(random_state=0),
}
cv = StratifiedKFold(n_splits=5, shuffle=True, random_state=0)

# %%
# Cross-validation
# ----------------
# 5 folds per data set and model, two fits at a time (``n_jobs=2``).
# MLPClassifier warns when it stops at ``max_iter`` before its loss has
# settled; the warnings are silenced here to keep the output short.
results = {}
for data_name, (X, y) in datasets.items():
    for model_name, model in models.items():
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ConvergenceWarning)
            results[data_name, model_name] = cross_validate(
                make_pipeline(StandardScaler(), model), X, y, cv=cv, n_jobs=2
            )

print(f"{'data':<15}{'model':<16}{'accuracy':>16}{'fit time (s)':>14}")
for (data_name, model_name), scores in results.items():
    accuracy = scores["test_score"]
    print(
        f"{data_name:<15}{model_name:<16}"
        f"{accuracy.mean():>9.3f} ± {accuracy.std():.3f}"
        f"{scores['fit_time'].mean():>14.2f}"
    )

# %%
# The same numbers, drawn: the mean over the folds, with one dot per fold.
# Both reach about the same accuracy; the fit times depend on the machine
# (and on what else it is doing), so read them as a rough comparison only.
fig, (ax_acc, ax_time) = plt.subplots(1, 2, figsize=(7.2, 3.4), layout="constrained")
width = 0.38
for offset, model_name in zip([-width / 2, width / 2], models):
    for index, data_name in enumerate(datasets):
        scores = results[data_name, model_name]
        color = "tab:blue" if model_name == "NNFSClassifier" else "tab:gray"
        label = model_name if index == 0 else None
        for ax, values in [
            (ax_acc, scores["test_score"]),
            (ax_time, scores["fit_time"]),
        ]:
            ax.bar(index + offset, values.mean(), width, color=color, label=label)
            ax.plot(np.full(len(values), index + offset), values, "k.", markersize=4)
for ax in (ax_acc, ax_time):
    ax.set_xticks(range(len(datasets)), list(datasets))
fig.legend(*ax_acc.get_legend_handles_labels(), loc="outside upper center", ncols=2)
ax_acc.set_ylim(0.9, 1.0)
ax_acc.set_ylabel("test accuracy (5-fold CV)")
ax_time.set_ylabel("fit time per fold (s)")
plt.show()
