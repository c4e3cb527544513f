"""
=============================================
The book's optimizers compared on spiral data
=============================================

The book ends its optimizer chapter by training the same network with each
optimizer: SGD with decay, SGD with momentum, AdaGrad, RMSprop and Adam. This
example does the same with :class:`~sknnfs.NNFSClassifier` and the settings
the book settles on for each, and draws each model's decision regions on the
plane. The rates and decays below are the book's choices for this problem,
full-batch training of 300 points, not the estimators' defaults, which are
chosen for minibatches of real data (see :ref:`default-rates`).
"""

# %%
# Training and test data
# ----------------------
# 300 spiral points to train on, and 300 others, drawn the same way, to test
# on: the training accuracy alone would not show a model that only learnt its
# training points by heart.
import time

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.colors import ListedColormap
from nnfs.datasets import spiral_data

from sknnfs import NNFSClassifier
from sknnfs.display import TrainingCurveDisplay

np.random.seed(0)  # spiral_data draws from numpy's global random state
X_train, y_train = spiral_data(samples=100, classes=3)
X_test, y_test = spiral_data(samples=100, classes=3)

# %%
# One model per optimizer
# -----------------------
# The book's network and full-batch training, 10,001 epochs each, from the
# same initial weights.
settings = {
    "sgd": dict(learning_rate=1.0, decay=1e-3),
    "sgd-momentum": dict(learning_rate=1.0, decay=1e-3, momentum=0.9),
    "adagrad": dict(learning_rate=1.0, decay=1e-4),
    "rmsprop": dict(learning_rate=0.02, decay=1e-5, rho=0.999),
    "adam": dict(learning_rate=0.05, decay=5e-7),
}
models = {}
print(f"{'optimizer':<14}{'settings':<48}{'train':>7}{'test':>7}{'time':>7}")
for optimizer, params in settings.items():
    start = time.perf_counter()
    models[optimizer] = NNFSClassifier(
        (64,),
        optimizer=optimizer,
        **params,
        init="nnfs",
        batch_size=None,
        shuffle=False,
        alpha=0.0,
        tol=None,
        max_iter=10001,
        random_state=0,
    ).fit(X_train, y_train)
    seconds = time.perf_counter() - start
    model = models[optimizer]
    described = ", ".join(f"{k}={v:g}" for k, v in params.items())
    print(
        f"{optimizer:<14}{described:<48}{model.score(X_train, y_train):>7.3f}"
        f"{model.score(X_test, y_test):>7.3f}{seconds:>6.1f}s"
    )

# %%
# Loss curves
# -----------
# Momentum and the adaptive optimizers leave plain SGD far behind; Adam and
# SGD with momentum drive the training loss lowest. The spikes of RMSprop and
# Adam are steps that throw the model out of its minimum now and then (their
# decays are tiny, so their rates hardly shrink); each time it finds its way
# back within a few hundred epochs. The test accuracies above show how much
# of a lower training loss is learning the spiral, and how much is learning
# the 300 training points.
fig, ax = plt.subplots(figsize=(7.2, 3.6), layout="constrained")
for optimizer, model in models.items():
    TrainingCurveDisplay.from_estimator(model, ax=ax, name=optimizer, lw=1)
ax.set_yscale("log")
ax.set_xlabel("epoch")
ax.set_ylabel("training loss (log scale)")
# beside the curves, not over them: the spikes reach the top of the plot
_ = ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), borderaxespad=0)

# %%
# Decision regions
# ----------------
# Each model's prediction at every point of the plane, with the test points
# on top; the last panel shows the test points alone. A good model follows
# the arms of the spiral; an overfitted one wraps little islands around
# single training points.
grid_x, grid_y = np.meshgrid(np.linspace(-1.1, 1.1, 300), np.linspace(-1.1, 1.1, 300))
grid = np.c_[grid_x.ravel(), grid_y.ravel()]
colors = ["tab:blue", "tab:orange", "tab:green"]

# sphinx_gallery_thumbnail_number = 2
fig, axes = plt.subplots(2, 3, figsize=(7.2, 5.3), layout="constrained")
panels = [*models.items(), ("the test points alone", None)]
for ax, (optimizer, model) in zip(axes.flat, panels):
    if model is not None:
        regions = model.predict(grid).reshape(grid_x.shape)
        ax.contourf(
            grid_x,
            grid_y,
            regions,
            levels=[-0.5, 0.5, 1.5, 2.5],
            alpha=0.3,
            cmap=ListedColormap(colors),
        )
        ax.set_title(f"{optimizer}\ntest accuracy {model.score(X_test, y_test):.3f}")
    else:
        ax.set_title(optimizer)
    ax.scatter(
        X_test[:, 0],
        X_test[:, 1],
        c=y_test,
        cmap=ListedColormap(colors),
        s=8,
        edgecolor="k",
        linewidth=0.3,
    )
    ax.set_xlim(-1.1, 1.1)
    ax.set_ylim(-1.1, 1.1)
    ax.set_aspect("equal")
    ax.set_xticks([])
    ax.set_yticks([])
plt.show()
