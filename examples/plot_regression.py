"""
===================================================
Regression: the book's sine, then real-world data
===================================================

:class:`~sknnfs.NNFSRegressor` is the network of the book's regression chapter
(chapter 17): the classifier's dense layers and optimizers, with one linear
output and the mean squared error as its loss. This example first fits the
book's sine with the book's settings, then scores the regressor on data
measured in their own units, in a :class:`~sklearn.pipeline.Pipeline`, next to
scikit-learn's :class:`~sklearn.neural_network.MLPRegressor` and
:class:`~sklearn.linear_model.LinearRegression`.
"""

# %%
# The book's sine
# ---------------
# ``sine_data`` returns 1,000 points ``x`` evenly spaced in [0, 1) and
# ``y = sin(2 pi x)``. The book fits them with two hidden layers of 64 ReLU
# neurons and Adam at a learning rate of 0.005 with a decay of 1e-3, on the
# whole data set in every step, and prints a line every 100 epochs (every
# 250 here, ``verbose=250``). Its ``acc`` column is the book's regression
# accuracy: the share of predictions within ``std(y) / 250`` (here about
# 0.003) of the target.
#
# The settings below are the book's, passed explicitly: the estimator's
# defaults are for real data (minibatches, early stopping on a held-out part,
# a standardized target). The book trains for 10,001 epochs; 1,001 are
# enough to see the fit and keep this example under a minute.
#
# The fits run on one BLAS thread (``threadpool_limits`` of threadpoolctl,
# which comes with scikit-learn). Matrices of 1,000 x 64 are too small for
# several threads to pay, and these slow down badly when other programs keep
# the cores busy: on a shared two-core machine, busy with other work, an
# epoch took 2.7 ms on one thread and 15.7 ms on two.
import warnings

import matplotlib.pyplot as plt
import numpy as np
from nnfs.datasets import sine_data
from sklearn.compose import TransformedTargetRegressor
from sklearn.datasets import load_diabetes, make_friedman1
from sklearn.exceptions import ConvergenceWarning
from sklearn.linear_model import LinearRegression
from sklearn.model_selection import KFold, cross_validate
from sklearn.neural_network import MLPRegressor
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import StandardScaler
from threadpoolctl import threadpool_limits

from sknnfs import NNFSRegressor

X_sine, y_sine = sine_data()
y_sine = y_sine.ravel()

BOOK = dict(
    hidden_layer_sizes=(64, 64),
    optimizer="adam",
    learning_rate=0.005,
    decay=1e-3,
    batch_size=None,
    shuffle=False,
    alpha=0.0,
    tol=None,
    early_stopping=False,
    normalize_y=False,
    max_iter=1001,
    random_state=0,
)
with threadpool_limits(limits=1):
    book = NNFSRegressor(**BOOK, init=0.1, verbose=250).fit(X_sine, y_sine)

# %%
# The book's weights: ``init=0.1``
# --------------------------------
# For this chapter the book changes its initial weights from its
# classifier's ``0.01 * randn`` to ``0.1 * randn`` (``init=0.1`` above).
# Here is why: from ``init='nnfs'``, the classifier's ``0.01 * randn``, the
# same training often stalls. From this start (``random_state=0``) it fits
# the falling half of the sine but leaves its first rise and its peak as a
# flat line, and its loss stops falling after about 200 epochs, at 0.031; it
# is still there after the book's 10,001 epochs. Not every start stalls:
# over ``random_state`` 0 to 7, four of eight starts from ``init='nnfs'``
# stop at that loss, and none of eight from ``init=0.1``.
with threadpool_limits(limits=1):
    small = NNFSRegressor(**BOOK, init="nnfs").fit(X_sine, y_sine)
for name, model in [("init=0.1", book), ("init='nnfs'", small)]:
    print(
        f"{name:<12} loss after {model.n_iter_} epochs: {model.loss_:.2e}, "
        f"R² {model.score(X_sine, y_sine):.4f}"
    )

fig, (ax_fit, ax_loss) = plt.subplots(1, 2, figsize=(7.2, 3.2), layout="constrained")
ax_fit.plot(X_sine, y_sine, color="0.6", lw=5, label="sin(2π x)")
ax_fit.plot(X_sine, book.predict(X_sine), color="tab:blue", label="init=0.1")
ax_fit.plot(X_sine, small.predict(X_sine), color="tab:red", label="init='nnfs'")
ax_fit.set_xlabel("x")
ax_fit.set_ylabel("y")
ax_fit.set_title("the fit after 1,001 epochs")
ax_fit.legend(loc="lower left", fontsize=9)
ax_loss.semilogy(book.loss_curve_, color="tab:blue")
ax_loss.semilogy(small.loss_curve_, color="tab:red")
ax_loss.set_xlabel("epoch")
ax_loss.set_ylabel("training loss (MSE, log scale)")
ax_loss.set_title("the loss (colours as on the left)")
plt.show()

# %%
# Real data, in its own units
# ---------------------------
# Two data sets whose targets are far from the sine's mean of 0 and spread
# of 0.7: scikit-learn's diabetes data (442 patients, 10 measurements; the
# target is a measure of the disease's progression a year later, from 25 to
# 346, mean 152) and 1,000 samples of ``make_friedman1`` (5 informative
# features and 5 of noise; a non-linear target from about 1 to 28).
#
# Each model is scored by 5-fold cross-validation, with the features scaled
# inside each training fold by a :class:`~sklearn.preprocessing.StandardScaler`
# and the target left as it is. ``NNFSRegressor`` standardizes the target
# itself while it trains (``normalize_y=True``, its default) and predicts in
# the target's units. ``MLPRegressor`` trains on the target as given; wrapped
# in a :class:`~sklearn.compose.TransformedTargetRegressor` with a
# ``StandardScaler`` it gets a standardized target too. Both networks run
# with their default settings.
datasets = {
    "diabetes": load_diabetes(return_X_y=True),
    "friedman1": make_friedman1(n_samples=1000, noise=1.0, random_state=0),
}


def scaled(regressor):
    return Pipeline([("scale", StandardScaler()), ("model", regressor)])


models = {
    "NNFSRegressor": scaled(NNFSRegressor(random_state=0)),
    "MLPRegressor": scaled(MLPRegressor(random_state=0)),
    "MLPRegressor, scaled y": TransformedTargetRegressor(
        scaled(MLPRegressor(random_state=0)), transformer=StandardScaler()
    ),
    "LinearRegression": scaled(LinearRegression()),
}
cv = KFold(n_splits=5, shuffle=True, random_state=0)

# %%
# MLPRegressor warns when it stops at ``max_iter`` epochs before its loss has
# settled, which it does here; the warnings are silenced to keep the output
# short. Two fits run at a time (``n_jobs=2``).
results = {}
for data_name, (X, y) in datasets.items():
    for model_name, model in models.items():
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ConvergenceWarning)
            results[data_name, model_name] = cross_validate(
                model,
                X,
                y,
                cv=cv,
                n_jobs=2,
                return_estimator=True,
                return_indices=True,
            )

print(f"{'data':<11}{'model':<24}{'R² (5-fold CV)':>18}{'fit time (s)':>14}")
for (data_name, model_name), scores in results.items():
    r2 = scores["test_score"]
    print(
        f"{data_name:<11}{model_name:<24}{r2.mean():>10.3f} ± {r2.std():.3f}"
        f"{scores['fit_time'].mean():>14.2f}"
    )

# %%
# On the raw diabetes target ``MLPRegressor`` scores an R² of about -1, worse
# than predicting the mean of the training targets for every patient (an R²
# of 0). Its output starts near 0, Adam moves each weight by about its
# learning rate (0.001) in a step, and after 200 epochs of two batches its
# predictions are still far below targets that average 152. On friedman1,
# whose targets are smaller, it gets no further than the linear model. With
# the target standardized it is as good as ``NNFSRegressor`` on both. The
# diabetes target is nearly linear in its features: no network beats
# ``LinearRegression`` there. The friedman1 target is not, and both networks
# do.
fig, axes = plt.subplots(1, 2, figsize=(7.2, 3.4), sharey=True, layout="constrained")
colors = ["tab:blue", "tab:red", "tab:orange", "tab:gray"]
for ax, data_name in zip(axes, datasets):
    for position, (model_name, color) in enumerate(zip(models, colors)):
        r2 = results[data_name, model_name]["test_score"]
        ax.barh(position, r2.mean(), color=color, height=0.6)
        ax.plot(r2, np.full(len(r2), position), "k.", markersize=5)
    ax.axvline(0, color="k", lw=0.8)
    ax.set_yticks(range(len(models)), list(models))
    ax.set_xlim(-1.6, 1.05)
    ax.set_xticks([-1, -0.5, 0, 0.5, 1])
    ax.set_xlabel("R² (bars: mean; dots: folds)")
    ax.set_title(data_name)
axes[0].invert_yaxis()
plt.show()

# %%
# What ``normalize_y`` fitted
# ---------------------------
# The network trains on ``(y - y_mean_) / y_scale_`` and maps its outputs
# back, ``output * y_scale_ + y_mean_``: ``y_mean_`` and ``y_scale_`` are
# the mean and standard deviation of the targets it trained on. Here, in the
# first diabetes fold, those are the fold's training rows less the tenth that
# early stopping holds out to score each epoch, so they are close to, not
# equal to, the mean and standard deviation of the whole training part.
(X, y), scores = datasets["diabetes"], results["diabetes", "NNFSRegressor"]
regressor = scores["estimator"][0].named_steps["model"]
training_targets = y[scores["indices"]["train"][0]]
train_mean, train_std = training_targets.mean(), training_targets.std()
print(f"y_mean_:  {regressor.y_mean_[0]:6.2f}  (training part: {train_mean:6.2f})")
print(f"y_scale_: {regressor.y_scale_[0]:6.2f}  (training part: {train_std:6.2f})")

# %%
# Predicted against true
# ----------------------
# Each patient's prediction by the model that did not see it in training
# (``return_indices=True`` gives each fold's test rows), against the
# measured progression. A perfect model puts every point on the diagonal.
# ``MLPRegressor`` on the raw target predicts too low almost everywhere;
# the other three spread their predictions less widely than the targets, as
# any model does that explains only half of the variance.
fig, axes = plt.subplots(
    2, 2, figsize=(7.2, 6.6), sharex=True, sharey=True, layout="constrained"
)
# sphinx_gallery_thumbnail_number = 3
for ax, model_name, color in zip(axes.flat, models, colors):
    scores = results["diabetes", model_name]
    predicted = np.empty_like(y)
    for estimator, rows in zip(scores["estimator"], scores["indices"]["test"]):
        predicted[rows] = estimator.predict(X[rows])
    ax.plot([0, 360], [0, 360], color="k", lw=0.8)
    ax.scatter(y, predicted, s=10, color=color, alpha=0.6, edgecolor="none")
    ax.set_title(f"{model_name}: R² {scores['test_score'].mean():.2f}", fontsize=10)
    ax.set_aspect("equal")
    ax.set_xlim(0, 360)
    ax.set_ylim(0, 360)
for ax in axes[-1]:
    ax.set_xlabel("measured progression")
for ax in axes[:, 0]:
    ax.set_ylabel("predicted progression")
plt.show()
