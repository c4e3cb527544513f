"""Small batches: time per minibatch, NNFSClassifier against MLPClassifier.

2000 samples, 20 features, 3 classes, one hidden layer of 100, batches of 32,
SGD with momentum: nearly all of the time per step is per-call overhead.

    python benchmarks/small_batches.py [--quick]
"""

import numpy as np
from _common import best_times, machine, parse_args, quiet, sgd_mlp, table
from sklearn.datasets import make_classification

from sknnfs import NNFSClassifier


def main(quick=False):
    epochs = 2 if quick else 20
    X, y = make_classification(
        n_samples=2000, n_features=20, n_informative=10, n_classes=3, random_state=0
    )
    steps = epochs * int(np.ceil(len(X) / 32))
    ours = NNFSClassifier(
        (100,),
        optimizer="sgd",
        learning_rate=0.01,
        momentum=0.9,
        batch_size=32,
        alpha=0.0,
        tol=None,
        max_iter=epochs,
        random_state=0,
    )
    mlp = sgd_mlp((100,), 0.01, 0.9, 32, epochs, shuffle=True)
    repeat = 1 if quick else 7
    times = best_times(
        {
            "NNFSClassifier": lambda: ours.fit(X, y),
            "MLPClassifier": lambda: quiet(lambda: mlp.fit(X, y)),
        },
        repeat,
    )
    print(machine())
    print(
        f"2000 x 20, hidden (100,), batch 32, {epochs} epochs = {steps} steps, "
        f"best of {repeat}, taken in turn"
    )
    table(
        [
            (name, f"{t / steps * 1e6:.0f}", f"{t / times['NNFSClassifier']:.2f}x")
            for name, t in times.items()
        ],
        ("", "us per minibatch", "time / NNFSClassifier"),
    )


if __name__ == "__main__":
    main(quick=parse_args(__doc__.splitlines()[0]).quick)
