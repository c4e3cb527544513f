"""
================================================
Tuning learning rate, momentum and decay with CV
================================================

The book's optimizer chapter searches for good settings by hand: change a
learning rate, a decay or a momentum, train again, read the log. With
:class:`~sknnfs.NNFSClassifier` that search is scikit-learn's
:class:`~sklearn.model_selection.GridSearchCV`: every combination of
``learning_rate`` x ``momentum`` x ``decay`` is trained and scored by 5-fold
cross-validation, so each setting is judged on points it was not trained on,
and the best one is refitted on all the data.
"""

# %%
# Data and folds
# --------------
# ``spiral_data`` returns its points ordered by class and, within a class, by
# distance from the centre. Folds cut from that order would train on the
# inner spiral and test on the outer one, and score below chance, so the
# folds are drawn at random (stratified, so every fold has each class in the
# same proportion).

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.colors import ListedColormap
from nnfs.datasets import spiral_data
from sklearn.model_selection import GridSearchCV, StratifiedKFold

from sknnfs import NNFSClassifier

np.random.seed(0)  # spiral_data draws from numpy's global random state
X, y = spiral_data(samples=100, classes=3)
cv = StratifiedKFold(n_splits=5, shuffle=True, random_state=0)

# %%
# The search
# ----------
# 18 settings x 5 folds = 90 fits. To keep the whole search under a minute on
# two cores, each fit trains for 700 full-batch epochs where the book trains
# for 10,001, so the accuracies are lower than those of the longer runs in
# the other examples; the ranking of the settings is what this search is
# for. ``n_jobs=2`` trains two fits at a time.
param_grid = {
    "learning_rate": [0.3, 1.0, 3.0],
    "momentum": [0.0, 0.5, 0.9],
    "decay": [0.0, 1e-3],
}
search = GridSearchCV(
    NNFSClassifier(
        (64,),
        optimizer="sgd",
        init="nnfs",
        batch_size=None,
        alpha=0.0,
        tol=None,
        max_iter=700,
        random_state=0,
    ),
    param_grid,
    cv=cv,
    n_jobs=2,
)
search.fit(X, y)
print(f"best settings: {search.best_params_}")
print(f"best mean CV accuracy: {search.best_score_:.3f}")

# %%
# Mean CV accuracy of every setting
# ---------------------------------
# ``cv_results_`` holds one row per setting. Plain SGD (momentum 0) barely
# leaves the start in 700 epochs at any of these rates; momentum 0.9 is
# what makes training fast enough. Learning rate and momentum act together:
# momentum 0.9 multiplies the effective step by about ten, so with it the
# largest rate overshoots. Decay changes little in 700 epochs (a decay of
# 1e-3 has only cut the rate to 0.6 by the end); it pays off in long runs.


def text_color(rgba):
    """Black or white, whichever stands out more on a cell of colour ``rgba``.

    The colour's relative luminance (WCAG's) decides, not the score.
    """
    linear = [
        c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in rgba[:3]
    ]
    luminance = 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]
    # above 0.179, black text has the higher contrast ratio
    return "black" if luminance > 0.179 else "white"


results = search.cv_results_
fig, axes = plt.subplots(1, 2, figsize=(7.2, 3.3), sharey=True, layout="constrained")
for ax, decay in zip(axes, param_grid["decay"]):
    table = np.empty((len(param_grid["momentum"]), len(param_grid["learning_rate"])))
    for params, score in zip(results["params"], results["mean_test_score"]):
        if params["decay"] == decay:
            row = param_grid["momentum"].index(params["momentum"])
            column = param_grid["learning_rate"].index(params["learning_rate"])
            table[row, column] = score
    image = ax.imshow(table, vmin=1 / 3, vmax=1, cmap="viridis", origin="lower")
    for (row, column), score in np.ndenumerate(table):
        ax.text(
            column,
            row,
            f"{score:.3f}",
            ha="center",
            va="center",
            color=text_color(image.cmap(image.norm(score))),
        )
    ax.set_xticks(range(len(param_grid["learning_rate"])), param_grid["learning_rate"])
    ax.set_yticks(range(len(param_grid["momentum"])), param_grid["momentum"])
    ax.set_xlabel("learning_rate")
    ax.set_title(f"decay {decay:g}")
axes[0].set_ylabel("momentum")
_ = fig.colorbar(image, ax=axes, label="mean CV accuracy (chance: 0.333)")

# %%
# The best model
# --------------
# ``GridSearchCV`` refits the best setting on all 300 points
# (``best_estimator_``). Its decision regions, with the training points:
# longer training (see :ref:`sphx_glr_auto_examples_plot_optimizers.py`)
# would follow the spiral arms further out.
best = search.best_estimator_
grid_x, grid_y = np.meshgrid(np.linspace(-1.1, 1.1, 300), np.linspace(-1.1, 1.1, 300))
regions = best.predict(np.c_[grid_x.ravel(), grid_y.ravel()]).reshape(grid_x.shape)
colors = ListedColormap(["tab:blue", "tab:orange", "tab:green"])
fig, ax = plt.subplots(figsize=(5.6, 4.6), layout="constrained")
ax.contourf(
    grid_x, grid_y, regions, levels=[-0.5, 0.5, 1.5, 2.5], alpha=0.3, cmap=colors
)
points = ax.scatter(
    X[:, 0], X[:, 1], c=y, cmap=colors, s=12, edgecolor="k", linewidth=0.3
)
ax.legend(
    points.legend_elements()[0],
    [f"class {label}" for label in best.classes_],
    loc="upper left",
    bbox_to_anchor=(1.02, 1.0),
    borderaxespad=0,
)
ax.set_title(
    ", ".join(f"{name} {value:g}" for name, value in search.best_params_.items())
    + f"\ntraining accuracy {best.score(X, y):.3f}",
    fontsize=10,
)
ax.set_xticks([-1, -0.5, 0, 0.5, 1])
ax.set_yticks([-1, -0.5, 0, 0.5, 1])
ax.set_xlabel("X[:, 0]")
ax.set_ylabel("X[:, 1]")
ax.set_aspect("equal")
plt.show()
