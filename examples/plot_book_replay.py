"""
===================================================
Replaying the book: plain SGD at rates 1.0 and 0.85
===================================================

The optimizer chapter of *Neural Networks from Scratch* trains a network with
one hidden layer of 64 ReLU neurons on 300 points of spiral data, with plain
SGD at learning rate 1.0 and then at 0.85, for 10,001 epochs, and prints a line
every 100 epochs. This example runs the same training through
:class:`~sknnfs.NNFSClassifier` and prints the same lines, character for
character, then plots loss and accuracy against epochs.

Three things make a run the book's:

* ``nnfs.init()``, which the book calls first. It seeds numpy's global random
  state with 0, makes float32 the default dtype and computes ``np.dot`` in
  float64. It does so by replacing ``np.dot``, ``np.zeros``, ``np.eye`` and
  ``np.random.randn`` for the whole Python process. :mod:`sknnfs` never calls
  it; a user script may, as this one does.
* The book's network and training: ``init='nnfs'`` (weights
  ``0.01 * randn(n_inputs, n_neurons)`` drawn from numpy's global random
  state, ``random_state=None``), the whole data set as one batch
  (``batch_size=None``, ``shuffle=False``), no L2 penalty (``alpha=0.0``) and a
  fixed number of epochs (``tol=None``).
* The same random draws in the same order: the book draws its data and
  weights once for a first forward pass before the training loops.
"""

# %%
# ``nnfs.init()``, undone at the end
# ----------------------------------
# The documentation runs every example in one Python process, so this one
# keeps what ``nnfs.init()`` replaces and puts it back at the end (under
# "numpy as it was"), together with numpy's random state. In a script of
# your own you would just call ``nnfs.init()``.
import contextlib
import io

import matplotlib.pyplot as plt
import nnfs
import numpy as np
from nnfs.datasets import spiral_data

from sknnfs import NNFSClassifier

REPLACED_BY_NNFS = [(np, "dot"), (np, "zeros"), (np, "eye"), (np.random, "randn")]
saved_functions = [
    (module, name, getattr(module, name)) for module, name in REPLACED_BY_NNFS
]
saved_random_state = np.random.get_state()

nnfs.init()

BOOK = dict(
    hidden_layer_sizes=(64,),
    optimizer="sgd",
    init="nnfs",
    batch_size=None,
    shuffle=False,
    alpha=0.0,
    tol=None,
    random_state=None,
)


def fit_and_log(model, X, y):
    """Fit ``model``, print its log lines and return them."""
    buffer = io.StringIO()
    with contextlib.redirect_stdout(buffer):
        model.fit(X, y)
    lines = buffer.getvalue().splitlines()
    print("\n".join(lines))
    return lines


# %%
# The first forward pass, before any training
# --------------------------------------------
# The book draws the data, builds the two layers and runs one forward pass:
# it prints ``loss: 1.0985943`` and ``acc: 0.36``. One epoch of training
# draws the same data and weights and logs the same pass.
X, y = spiral_data(samples=100, classes=3)
first = NNFSClassifier(**BOOK, max_iter=1, verbose=1).fit(X, y)
print("loss:", np.float32(first.loss_))

# %%
# SGD, learning rate 1.0
# ----------------------
# New data and new weights, then 10,001 epochs. ``verbose=100`` prints the
# book's line every 100 epochs.
X, y = spiral_data(samples=100, classes=3)
sgd_1 = NNFSClassifier(**BOOK, learning_rate=1.0, max_iter=10001, verbose=100)
log_1 = fit_and_log(sgd_1, X, y)

# %%
# SGD, learning rate 0.85
# -----------------------
X, y = spiral_data(samples=100, classes=3)
sgd_085 = NNFSClassifier(**BOOK, learning_rate=0.85, max_iter=10001, verbose=100)
log_085 = fit_and_log(sgd_085, X, y)

# %%
# The same lines as the book's
# ----------------------------
# A reading of the book's optimizer chapter printed these logs, running the
# book's code after ``nnfs.init()``; its output stops at epoch 2,600. Here
# are some of its lines, copied from it, next to this run's.
LOGGED_LINES = {
    "learning rate 1.0": [
        "epoch: 0, acc: 0.343, loss: 1.099",
        "epoch: 100, acc: 0.407, loss: 1.083",
        "epoch: 1000, acc: 0.427, loss: 1.045",
        "epoch: 2000, acc: 0.487, loss: 0.969",
        "epoch: 2600, acc: 0.587, loss: 0.862",
    ],
    "learning rate 0.85": [
        "epoch: 0, acc: 0.320, loss: 1.099",
        "epoch: 100, acc: 0.390, loss: 1.095",
        "epoch: 1000, acc: 0.440, loss: 1.068",
        "epoch: 2000, acc: 0.440, loss: 1.031",
        "epoch: 2600, acc: 0.497, loss: 1.004",
    ],
}
for (name, logged), log in zip(LOGGED_LINES.items(), [log_1, log_085]):
    by_epoch = {line.split(",")[0]: line for line in log}
    ours = [by_epoch[logged_line.split(",")[0]] for logged_line in logged]
    print(f"{name}: the book's lines reproduced: {ours == logged}")
    for logged_line, line in zip(logged, ours):
        print(f"  book:   {logged_line}\n  sknnfs: {line}")

# %%
# numpy as it was
# ---------------
# From here on, everything runs with numpy's own functions again.
for module, name, function in saved_functions:
    setattr(module, name, function)
np.random.set_state(saved_random_state)

# %%
# Loss and accuracy against epochs
# --------------------------------
# ``loss_curve_`` holds the loss of every epoch (the loss of the forward pass
# before that epoch's update, as the book prints it). The accuracy is read
# from the log, every 100 epochs.
#
# The book expected the lower rate to get stuck in a worse local minimum, and
# over the whole 10,001 epochs it does stay behind (see the last lines
# printed below). Both runs also show what a constant learning rate does late
# in training: the loss spikes, more and more often, as steps jump across the
# minimum they are approaching, the "bouncing around" of
# :ref:`sphx_glr_auto_examples_plot_optimizer_paths.py`. Lowering the rate as
# training goes on is the book's next step:
# :ref:`sphx_glr_auto_examples_plot_learning_rate_decay.py`.


def accuracy_from_log(lines):
    epochs = [int(line.split(",")[0].split(": ")[1]) for line in lines]
    accuracies = [float(line.split(",")[1].split(": ")[1]) for line in lines]
    return epochs, accuracies


fig, (ax_loss, ax_acc) = plt.subplots(1, 2, figsize=(7.2, 3.4), layout="constrained")
for label, model, log in [
    ("learning rate 1.0", sgd_1, log_1),
    ("learning rate 0.85", sgd_085, log_085),
]:
    ax_loss.plot(model.loss_curve_, label=label)
    ax_acc.plot(*accuracy_from_log(log), label=label)
    print(f"{label}, last line: {log[-1]}")
ax_loss.set_xlabel("epoch")
ax_loss.set_ylabel("training loss")
ax_loss.legend(loc="upper left", fontsize=9)
ax_acc.set_xlabel("epoch")
ax_acc.set_ylabel("training accuracy (every 100 epochs)")
ax_acc.legend(loc="lower right", fontsize=9)
fig.suptitle("Plain SGD on spiral data, the book's runs")
plt.show()
