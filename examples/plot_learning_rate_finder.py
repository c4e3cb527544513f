"""
===================================================
Finding a learning rate: too small, too large, good
===================================================

The book's optimizer chapter finds its learning rates by hand: train, read
the log, change the rate, train again. A learning-rate range test does the
same search in one short run: a copy of the model trains while the rate
grows step by step, from far too small to far too large, and the loss of
each step shows where the rate starts to help and where it starts to hurt.
:func:`~sknnfs.lr_finder.find_learning_rate` runs it on a copy of any sknnfs
estimator, or of a pipeline ending in one, and suggests a rate; this example
checks the suggestion on real data and on the book's spiral.
"""

# %%
# The range test on handwritten digits
# ------------------------------------
# SGD with momentum, behind a scaler. The loss hardly moves while the rate
# is tiny, falls once the rate is large enough to make progress, and blows
# up once the steps overshoot; the test stops there. The suggestion is
# halfway down the longest valley of the loss, well before the cliff.
import warnings

import matplotlib.pyplot as plt
from sklearn.datasets import load_digits
from sklearn.exceptions import ConvergenceWarning
from sklearn.model_selection import StratifiedKFold, cross_val_score
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from sknnfs import NNFSClassifier
from sknnfs.__main__ import seeded_spiral_data
from sknnfs.display import LearningRateFinderDisplay, TrainingCurveDisplay
from sknnfs.lr_finder import find_learning_rate

warnings.simplefilter("ignore", ConvergenceWarning)  # short runs, on purpose

X, y = load_digits(return_X_y=True)
model = make_pipeline(
    StandardScaler(), NNFSClassifier(optimizer="sgd-momentum", random_state=0)
)
fig, ax = plt.subplots(figsize=(7.2, 3.6), layout="constrained")
finder = LearningRateFinderDisplay.from_estimator(model, X, y, ax=ax)
ax.set_title("range test: SGD with momentum on digits")
print(f"suggested learning rate: {finder.suggestion:.3g}")

# %%
# Too small, the suggestion, too large
# ------------------------------------
# The book's story in three fits of 30 epochs: a hundredth of the suggestion
# crawls, the suggestion trains, and ten times the suggestion (near the
# cliff of the range test) bounces. Each score is 5-fold cross-validated.
folds = StratifiedKFold(5, shuffle=True, random_state=0)
rates = {
    "too small": finder.suggestion / 100,
    "suggested": finder.suggestion,
    "too large": finder.suggestion * 10,
}
fig, ax = plt.subplots(figsize=(7.2, 3.6), layout="constrained")
for label, rate in rates.items():
    model.set_params(nnfsclassifier__learning_rate=rate, nnfsclassifier__max_iter=30)
    score = cross_val_score(model, X, y, cv=folds).mean()
    print(f"{label:>9}: learning rate {rate:.3g}, cross-validated accuracy {score:.3f}")
    TrainingCurveDisplay.from_estimator(
        model.fit(X, y), ax=ax, name=f"{label} ({rate:.2g}): {score:.3f}"
    )
ax.set_yscale("log")
ax.set_ylabel("training loss (log scale)")
_ = ax.set_title("30 epochs at each rate; the legend gives the CV accuracy")

# %%
# The book's spiral
# -----------------
# On the spiral, Adam at its default rate (0.001, chosen for standardized
# real data) learns nothing in 300 epochs of minibatches: the spiral's
# points are close together and the network needs larger steps. The range
# test finds a rate an order of magnitude larger.
X_spiral, y_spiral = seeded_spiral_data(samples=100, classes=3, seed=0)
spiral_model = NNFSClassifier((64,), max_iter=300, tol=None, random_state=0)
found = find_learning_rate(spiral_model, X_spiral, y_spiral)
for label, rate in [("default", None), ("suggested", found.suggestion)]:
    spiral_model.set_params(learning_rate=rate)
    score = cross_val_score(spiral_model, X_spiral, y_spiral, cv=folds).mean()
    shown = "0.001" if rate is None else f"{rate:.3g}"
    print(f"spiral, Adam at the {label} rate {shown}: accuracy {score:.3f}")

# %%
# The learning rate as training goes: a plateau schedule
# ------------------------------------------------------
# A range test picks the starting rate; a schedule lowers it as training
# goes. Without one, the stopping rule ends training at the first plateau of
# the loss (20 epochs without improvement, here). ``schedule='plateau'``
# divides the rate by 5 at each plateau instead, as MLPClassifier's
# ``learning_rate='adaptive'`` does, and training stops once the rate is
# spent (below 1e-6).
fig, (loss_ax, rate_ax) = plt.subplots(
    2, 1, figsize=(7.2, 5.0), sharex=True, layout="constrained"
)
# the two runs are the same until the first plateau: the run without a
# schedule is drawn last, dashed, so that it shows where it stops
styles = {"plateau": dict(color="tab:orange"), None: dict(color="k", ls="--")}
for schedule in ["plateau", None]:
    fitted = NNFSClassifier(
        (64,),
        learning_rate=found.suggestion,
        schedule=schedule,
        n_iter_no_change=20,
        max_iter=3000,
        random_state=0,
    ).fit(X_spiral, y_spiral)
    name = f"schedule={schedule!r}: {fitted.n_iter_} epochs"
    for ax, curve in [(loss_ax, "loss"), (rate_ax, "learning_rate")]:
        TrainingCurveDisplay.from_estimator(
            fitted, curve=curve, ax=ax, name=name, **styles[schedule]
        )
    print(
        f"schedule={schedule!r}: {fitted.n_iter_} epochs, training accuracy "
        f"{fitted.score(X_spiral, y_spiral):.3f}, last rate "
        f"{fitted.learning_rate_curve_[-1]:.2g}"
    )
loss_ax.set_yscale("log")
loss_ax.set_ylabel("training loss (log scale)")
loss_ax.set_xlabel("")  # the axes below says it
plt.show()
