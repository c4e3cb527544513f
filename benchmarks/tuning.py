"""Tuning: the optimizer chapter's hand search as a GridSearchCV, against MLPClassifier.

learning_rate {0.5, 0.85, 1.0} x momentum {0, 0.5, 0.9} x decay {0, 1e-3},
5-fold shuffled stratified CV on spiral data (300 samples), full batch, 2000
epochs, n_jobs=2, each search run twice in turn (the faster run counts; once
with --quick). MLPClassifier has no 1/t decay: its grid has the same 18
fits per fold with learning_rate_init x momentum x a constant or 'invscaling'
schedule. Wall times are measured in one run.

    python benchmarks/tuning.py [--quick]
"""

import time

from _common import machine, parse_args, quiet, sgd_mlp, table
from sklearn.model_selection import GridSearchCV, StratifiedKFold

from sknnfs import NNFSClassifier
from sknnfs.__main__ import seeded_spiral_data


def main(quick=False):
    epochs = 50 if quick else 2000
    X, y = seeded_spiral_data(samples=100, classes=3, seed=0)
    folds = StratifiedKFold(n_splits=5, shuffle=True, random_state=0)
    ours = GridSearchCV(
        NNFSClassifier(
            (64,),
            optimizer="sgd",
            batch_size=None,
            alpha=0.0,
            tol=None,
            max_iter=epochs,
            random_state=0,
        ),
        {
            "learning_rate": [0.5, 0.85, 1.0],
            "momentum": [0.0, 0.5, 0.9],
            "decay": [0.0, 1e-3],
        },
        cv=folds,
        n_jobs=2,
    )
    mlp = GridSearchCV(
        sgd_mlp((64,), 1.0, 0.0, len(X) * 4 // 5, epochs, shuffle=False),  # full batch
        {
            "learning_rate_init": [0.5, 0.85, 1.0],
            "momentum": [0.0, 0.5, 0.9],
            "learning_rate": ["constant", "invscaling"],
        },
        cv=folds,
        n_jobs=2,
    )
    # start the worker processes (and their imports) before timing anything
    warm_up = GridSearchCV(
        NNFSClassifier(max_iter=1), {"alpha": [0.0, 1.0]}, cv=2, n_jobs=2
    )
    quiet(lambda: warm_up.fit(X, y))
    # alternated and repeated, the fastest counting: a change in the
    # machine's load during the run then weighs on both
    times = {"NNFSClassifier": float("inf"), "MLPClassifier": float("inf")}
    for _ in range(1 if quick else 2):
        for name, search in [("NNFSClassifier", ours), ("MLPClassifier", mlp)]:
            start = time.perf_counter()
            quiet(lambda search=search: search.fit(X, y))
            times[name] = min(times[name], time.perf_counter() - start)
    print(machine())
    print(
        f"GridSearchCV, 18 settings x 5 folds, spiral 300 x 2, full batch, "
        f"{epochs} epochs, n_jobs=2"
    )
    table(
        [
            (
                name,
                f"{t:.2f}",
                f"{t / times['NNFSClassifier']:.2f}x",
                f"{search.best_score_:.3f}",
            )
            for (name, t), search in zip(times.items(), (ours, mlp))
        ],
        ("", "wall s", "time / NNFSClassifier", "best mean CV accuracy"),
    )
    print(f"NNFSClassifier best: {ours.best_params_}")


if __name__ == "__main__":
    main(quick=parse_args(__doc__.splitlines()[0]).quick)
