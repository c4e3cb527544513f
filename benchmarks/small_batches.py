"""Small batches: time per minibatch, NNFSClassifier against MLPClassifier.

2000 samples, 20 features, 3 classes, one hidden layer of 100, batches of 32,
SGD with momentum: nearly all of the time per step is per-call overhead.
Then a stream's batches: one ``partial_fit`` call on 256 of those samples
(one step), as a service that learns as data arrives makes it, where the
call's own checks and bookkeeping are most of the time.

    python benchmarks/small_batches.py [--quick]
"""

import numpy as np
from _common import best_times, machine, parse_args, quiet, sgd_mlp, table
from sklearn.datasets import make_classification

from sknnfs import NNFSClassifier


def main(quick=False):
    X, y = make_classification(
        n_samples=2000, n_features=20, n_informative=10, n_classes=3, random_state=0
    )
    print(machine())
    per_minibatch(X, y, quick)
    per_partial_fit_call(X[:256], y[:256], quick)


def per_minibatch(X, y, quick):
    """Time the steps of a fit of minibatches of 32; print the table."""
    epochs = 2 if quick else 20
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
    print(
        f"2000 x 20, hidden (100,), batch 32, {epochs} epochs = {steps} steps, "
        f"best of {repeat}, taken in turn"
    )
    print_times(times, steps, "minibatch")


def per_partial_fit_call(X, y, quick):
    """Time one partial_fit call on ``X`` (one batch); print the table."""
    classes, calls = np.unique(y), 20 if quick else 200
    ours = NNFSClassifier(
        (100,),
        optimizer="sgd-momentum",
        batch_size=len(X),
        alpha=0.0,
        random_state=0,
    )
    mlp = sgd_mlp((100,), 0.01, 0.9, len(X), 1, shuffle=True)
    for model in (ours, mlp):  # the first call builds the model
        model.partial_fit(X, y, classes=classes)

    def calls_of(model):
        def run():
            for _ in range(calls):
                model.partial_fit(X, y)

        return run

    repeat = 1 if quick else 7
    times = best_times(
        {"NNFSClassifier": calls_of(ours), "MLPClassifier": calls_of(mlp)}, repeat
    )
    print(
        f"\npartial_fit on {len(X)} x 20 (one step a call), {calls} calls, "
        f"best of {repeat}, taken in turn"
    )
    print_times(times, calls, "call")


def print_times(times, count, unit):
    """Print each time per ``unit`` (``count`` of them), and its ratio to ours."""
    table(
        [
            (name, f"{t / count * 1e6:.0f}", f"{t / times['NNFSClassifier']:.2f}x")
            for name, t in times.items()
        ],
        ("", f"us per {unit}", "time / NNFSClassifier"),
    )


if __name__ == "__main__":
    main(quick=parse_args(__doc__.splitlines()[0]).quick)
