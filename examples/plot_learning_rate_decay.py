"""
===================
Learning-rate decay
===================

A constant learning rate makes large steps to the end of training, so the
loss keeps jumping across the minimum it approaches (see
:ref:`sphx_glr_auto_examples_plot_book_replay.py`). The book's answer is the
1/t decay: step ``t`` (counted in optimizer steps, from 0) uses ::

    current_learning_rate = learning_rate * (1. / (1. + decay * t))

so training starts with large steps and makes smaller and smaller ones. This
example retells the decay part of the book's optimizer chapter with
:class:`~sknnfs.NNFSClassifier`: no decay, a decay of 1e-2 and one of 1e-3,
with SGD at the book's learning rate of 1.0.
"""

# %%
# The schedule
# ------------
# The book first computes the schedule by hand, in a loop over steps, for a
# decay of 0.1, "a very aggressive decay rate"; here are its first 21 rates.
# The optimizer's own ``pre_update_params`` / ``post_update_params`` calls
# give the same numbers: ``current_learning_rate`` is the rate of the coming
# step.
import matplotlib.pyplot as plt
import numpy as np
from nnfs.datasets import spiral_data

from sknnfs import NNFSClassifier
from sknnfs.optimizers import SGD


def schedule(decay, steps, learning_rate=1.0):
    """The learning rate of each of ``steps`` optimizer steps."""
    optimizer = SGD(learning_rate=learning_rate, decay=decay)
    rates = []
    for _ in range(steps):
        optimizer.pre_update_params()
        rates.append(optimizer.current_learning_rate)
        optimizer.post_update_params()
    return rates


for step, rate in enumerate(schedule(decay=0.1, steps=21)):
    print(f"step {step:2d}: {rate}")

# %%
# Three runs
# ----------
# The book's network and full-batch training (``init='nnfs'``,
# ``batch_size=None``, ``alpha=0.0``, ``tol=None``) on 300 spiral points,
# 10,001 epochs each: one epoch is one step here. The data and the initial
# weights are seeded, so the three runs start from the same point.
np.random.seed(0)  # spiral_data draws from numpy's global random state
X, y = spiral_data(samples=100, classes=3)

decays = [0.0, 1e-2, 1e-3]
models = {}
for decay in decays:
    models[decay] = NNFSClassifier(
        (64,),
        optimizer="sgd",
        learning_rate=1.0,
        decay=decay,
        init="nnfs",
        batch_size=None,
        shuffle=False,
        alpha=0.0,
        tol=None,
        max_iter=10001,
        random_state=0,
    ).fit(X, y)
    model = models[decay]
    print(
        f"decay {decay:<6}: final loss {model.loss_:.3f}, "
        f"training accuracy {model.score(X, y):.3f}, "
        f"last learning rate {model.optimizer_.current_learning_rate:.4f}"
    )

# %%
# Loss and learning rate against steps
# ------------------------------------
# With a decay of 1e-2 the rate has fallen to a tenth of its start after 900
# steps, before the network has found its way out of the flat start of
# the loss: it stays there, as it did in the book ("the learning rate
# decayed far too quickly"). A decay of 1e-3 keeps the steps large enough for
# long enough, and the shrinking steps calm the late spikes of the constant
# rate. Decay alone is still slow on this problem; momentum, next, is what
# makes the difference
# (:ref:`sphx_glr_auto_examples_plot_momentum.py`).
fig, (ax_loss, ax_rate) = plt.subplots(1, 2, figsize=(7.2, 3.4), layout="constrained")
for decay, model in models.items():
    label = "no decay" if decay == 0 else f"decay {decay:g}"
    ax_loss.plot(model.loss_curve_, label=label, lw=1)
    rates = schedule(decay, len(model.loss_curve_))
    (line,) = ax_rate.plot(rates)
    # each rate's name under the end of its line: a legend would cover one
    ax_rate.annotate(
        label,
        (len(rates) - 1, rates[-1]),
        xytext=(0, -4),
        textcoords="offset points",
        ha="right",
        va="top",
        color=line.get_color(),
        fontsize=9,
    )
ax_loss.set_xlabel("step (= epoch: one full batch)")
ax_loss.set_ylabel("training loss")
ax_loss.legend(loc="upper left", fontsize=9)
ax_rate.set_xlabel("step")
ax_rate.set_ylabel("learning rate (log scale)")
ax_rate.set_yscale("log")
ax_rate.set_ylim(5e-3, 1.5)
fig.suptitle("SGD with learning rate 1.0 on spiral data")
plt.show()
