"""
===================================================
Optimizer paths: too small, too large, and momentum
===================================================

The book explains the learning rate and momentum with pictures of a ball
rolling down a one-dimensional loss: a rate too small gets stuck in the first
hole it finds, a rate too large jumps around or explodes, and momentum rolls
through small holes into a deeper one. Here those pictures are drawn by the
optimizers of :mod:`sknnfs.optimizers` themselves, running on plain numpy
arrays: ``optimizer.step([param], [grad])`` updates ``param`` in place, exactly
as it updates a network's weights inside :class:`~sknnfs.NNFSClassifier`.
"""

# %%
# A loss with several minima
# --------------------------
# A parabola with ripples: local minima at about 3.46 and 1.49, the global
# minimum at about -0.50. Every run starts at ``x = 4.5``, on the slope above
# the first local minimum.
import matplotlib.pyplot as plt
import numpy as np

from sknnfs.optimizers import SGD, Adagrad, Adam, RMSprop


def loss(x):
    return 0.1 * x**2 + 0.4 * np.sin(3 * x)


def gradient(x):
    return 0.2 * x + 1.2 * np.cos(3 * x)


def descend(optimizer, start, gradient, steps):
    """Run ``steps`` optimizer steps from ``start``; return every position."""
    param = np.array(start, dtype=float)
    path = [param.copy()]
    for _ in range(steps):
        optimizer.step([param], [gradient(param)])
        path.append(param.copy())
        if not np.all(np.isfinite(param)):
            break
    return np.array(path)


runs = {
    "learning rate 0.01: too small, crawls": SGD(learning_rate=0.01),
    "learning rate 0.1: stuck in the first hole": SGD(learning_rate=0.1),
    "learning rate 0.8: bounces around it": SGD(learning_rate=0.8),
    "learning rate 2: overshoots everywhere": SGD(learning_rate=2.0),
    "learning rate 0.05, momentum 0.9: rolls through": SGD(
        learning_rate=0.05, momentum=0.9
    ),
    "learning rate 0.02, momentum 0.9: one hole on": SGD(
        learning_rate=0.02, momentum=0.9
    ),
}
paths = {name: descend(opt, [4.5], gradient, 60)[:, 0] for name, opt in runs.items()}
for name, path in paths.items():
    print(f"{name:<50} x = {path[-1]: .3f}, loss = {loss(path[-1]): .3f}")

# %%
# Each panel shows the positions of the 60 steps, coloured from green (first)
# through orange to red (last), as in the book's figures. Momentum is no
# magic either: with a smaller rate (last panel) the ball clears the first
# hole but not the second.
xs = np.linspace(-3, 5.5, 500)
fig, axes = plt.subplots(
    3, 2, figsize=(7.2, 7.4), sharex=True, sharey=True, layout="constrained"
)
for ax, (name, path) in zip(axes.flat, paths.items()):
    ax.plot(xs, loss(xs), color="0.6", zorder=1)
    ax.plot(path, loss(path), color="0.3", lw=0.6, zorder=2)
    steps = ax.scatter(
        path,
        loss(path),
        c=np.arange(len(path)),
        cmap="RdYlGn_r",
        s=18,
        zorder=3,
        edgecolor="none",
    )
    ax.set_title(name.replace(": ", "\n"), fontsize=10)
for ax in axes[:, 0]:
    ax.set_ylabel("loss")
for ax in axes[-1]:
    ax.set_xlabel("parameter x")
_ = fig.colorbar(steps, ax=axes, label="step", shrink=0.5, aspect=30)

# %%
# Loss against steps
# ------------------
# Read from the side, the same runs give the book's summary picture of
# learning rates. A rate too small lowers the loss slowly; a good one quickly,
# to the nearest hole; a rate too large keeps the loss high and noisy. Far
# too large a rate is a *gradient explosion*: every step lands further up the
# parabola, where the gradient is steeper still, until the numbers overflow.
# That is what :class:`~sknnfs.DivergenceError` reports when it happens to a
# network.
exploding = descend(SGD(learning_rate=12.0), [4.5], gradient, 60)[:, 0]
print(f"learning rate 12: |x| after 10 steps = {abs(exploding[10]):.3g}")

fig, (ax1, ax2) = plt.subplots(
    2, 1, figsize=(7.2, 6.2), height_ratios=[1.3, 1], layout="constrained"
)
for name, path in paths.items():
    ax1.plot(loss(path), label=name.split(":")[0])
ax1.set_xlabel("step")
ax1.set_ylabel("loss")
ax1.set_title("SGD and SGD with momentum")
ax1.legend(fontsize=9, loc="upper left", bbox_to_anchor=(1.01, 1.0), borderaxespad=0)
ax2.semilogy(loss(exploding), color="tab:red")
ax2.set_xlabel("step")
ax2.set_ylabel("loss (log scale)")
_ = ax2.set_title("learning rate 12: a gradient explosion")

# %%
# Two dimensions: a long, narrow valley
# -------------------------------------
# Real losses curve much more steeply in some directions than in others. On
# ``0.05 x² + 2 y²`` plain SGD, with the largest rate the steep direction
# allows, zigzags across the valley and still only creeps along it. Momentum
# keeps the speed it builds up along the valley floor, and overshoots a
# little. AdaGrad, RMSprop and Adam divide each coordinate's step by the size
# of its recent gradients, so both coordinates move at a similar pace from
# the start. The learning rates are chosen by hand for this function (the
# book's defaults are tuned for networks, not for this toy).


def valley(p):
    return 0.05 * p[..., 0] ** 2 + 2.0 * p[..., 1] ** 2


def valley_gradient(p):
    return np.array([0.1 * p[0], 4.0 * p[1]])


optimizers = {
    "SGD, lr 0.45": SGD(learning_rate=0.45),
    "SGD, lr 0.1, momentum 0.8": SGD(learning_rate=0.1, momentum=0.8),
    "AdaGrad, lr 1.0": Adagrad(learning_rate=1.0),
    "RMSprop, lr 0.1": RMSprop(learning_rate=0.1),
    "Adam, lr 0.3": Adam(learning_rate=0.3),
}
start = [-4.5, 1.2]
valley_paths = {
    name: descend(opt, start, valley_gradient, 50) for name, opt in optimizers.items()
}
for name, path in valley_paths.items():
    print(f"{name:<28} loss after 50 steps: {valley(path[-1]):.2e}")

grid_x, grid_y = np.meshgrid(np.linspace(-5, 5, 300), np.linspace(-1.6, 1.6, 200))
levels = valley(np.stack([grid_x, grid_y], axis=-1))
fig, ax = plt.subplots(figsize=(7.2, 3.6), layout="constrained")
ax.contour(grid_x, grid_y, levels, levels=15, colors="0.8", linewidths=0.8)
for name, path in valley_paths.items():
    ax.plot(path[:, 0], path[:, 1], "o-", ms=3, lw=1, label=name)
ax.plot(0, 0, "k*", ms=12)
ax.set_xlabel("x")
ax.set_ylabel("y")
ax.set_title("50 steps on 0.05 x² + 2 y² from (-4.5, 1.2); the star is the minimum")
ax.legend(fontsize=9, loc="lower right")
plt.show()
