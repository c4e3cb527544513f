"""
=====================================
Momentum, and a bias bug that hid it
=====================================

SGD with momentum keeps a fraction of the previous update and adds the new
gradient step to it, for weights and biases alike::

    v = momentum * v - current_learning_rate * gradient
    param += v

A reading of the book's optimizer chapter, run step by step, tried
momentum 0.8 and then 0.5 (with decay 1e-3) and found that it "did not
help": after 1,500 epochs its logs read ``acc: 0.437, loss: 1.043`` and
``acc: 0.403, loss: 1.074``, no better than decay alone, where the book's
momentum runs do far better. The reason is one word in that reading's
momentum update::

    bias_updates = self.momentum * layer.bias_momentums - \\
        self.current_learning_rate * layer.biases    # should be layer.dbiases

This example puts that bug into a custom optimizer, trains the book's network
with it and with correct momentum, at 0.5 and at 0.9, and compares.
"""

# %%
# The bug as an optimizer object
# ------------------------------
# :class:`~sknnfs.NNFSClassifier` takes any object with ``pre_update_params()``,
# ``update_params(params, grads)`` and ``post_update_params()`` as its
# ``optimizer``. ``params`` and ``grads`` come as lists in the order
# ``[w1, b1, w2, b2, ...]``, so the biases are the odd entries. Subclassing
# :class:`sknnfs.optimizers.SGD` keeps its decay and its step counting; only
# the update rule changes. The estimator clones the object for every fit, so
# the velocities start afresh each time.
import matplotlib.pyplot as plt
import numpy as np
from nnfs.datasets import spiral_data

from sknnfs import NNFSClassifier
from sknnfs.optimizers import SGD


class BiasBugMomentumSGD(SGD):
    """SGD with momentum as that reading typed it: biases step by their value."""

    # Weights and biases follow different rules here, so the parameters must
    # come one array at a time, never merged into one flat array.
    elementwise = False

    def update_params(self, params, grads):
        if not hasattr(self, "velocities"):
            self.velocities = [np.zeros_like(param) for param in params]
        lr = self.current_learning_rate
        for index, (param, grad, velocity) in enumerate(
            zip(params, grads, self.velocities)
        ):
            step_direction = param if index % 2 else grad  # the bug, for biases
            velocity *= self.momentum
            velocity -= lr * step_direction
            param += velocity


# %%
# Five runs on the same data and initial weights
# ----------------------------------------------
# The book's network and full-batch training, SGD at learning rate 1.0 with
# decay 1e-3 as in that reading, 10,001 epochs: no momentum, then momentum
# 0.5 and 0.9, each with the bias bug and correctly.
np.random.seed(0)  # spiral_data draws from numpy's global random state
X, y = spiral_data(samples=100, classes=3)


def train(optimizer):
    return NNFSClassifier(
        (64,),
        optimizer=optimizer,
        init="nnfs",
        batch_size=None,
        shuffle=False,
        alpha=0.0,
        tol=None,
        max_iter=10001,
        random_state=0,
    ).fit(X, y)


baseline = train(SGD(learning_rate=1.0, decay=1e-3))
models = {}
for momentum in [0.5, 0.9]:
    models[momentum, "bias bug"] = train(
        BiasBugMomentumSGD(learning_rate=1.0, decay=1e-3, momentum=momentum)
    )
    models[momentum, "correct"] = train(
        SGD(learning_rate=1.0, decay=1e-3, momentum=momentum)
    )

print(f"{'run':<32}{'final loss':>12}{'accuracy':>10}{'largest |bias|':>16}")
for (momentum, kind), model in [((0.0, "no momentum"), baseline), *models.items()]:
    largest_bias = max(np.abs(b).max() for b in model.intercepts_)
    print(
        f"{f'momentum {momentum}, {kind}':<32}{model.loss_:>12.3f}"
        f"{model.score(X, y):>10.3f}{largest_bias:>16.3g}"
    )

# %%
# With the bug, every bias is still exactly zero after 10,001 epochs. The
# biases start at zero, and the buggy update ``v = momentum * v - lr * b``
# never sees their gradient, so ``v`` and ``b`` stay zero for ever: that
# reading's network trained without biases. Then every ReLU neuron of the hidden
# layer switches on and off along a line through the origin, and the network
# can only cut the plane into wedges around the centre, where all three
# spiral arms start. Momentum was not the problem: with the gradient in its
# place it trains a far better model, and 0.9, the value the book goes on to
# use, does best.

fig, axes = plt.subplots(1, 2, figsize=(7.2, 4.0), sharey=True, layout="constrained")
for ax, momentum in zip(axes, [0.5, 0.9]):
    ax.plot(baseline.loss_curve_, color="0.6", ls="--", label="no momentum")
    for kind, color in [("bias bug", "tab:red"), ("correct", "tab:blue")]:
        model = models[momentum, kind]
        ax.plot(
            model.loss_curve_,
            color=color,
            label=f"{kind} (accuracy {model.score(X, y):.3f})",
        )
    ax.set_title(f"momentum {momentum}, decay 1e-3")
    ax.set_xlabel("epoch")
    # below the axes, where it covers no curve
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.2), fontsize=9)
axes[0].set_ylabel("training loss")
plt.show()
