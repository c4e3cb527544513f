"""Early stopping on small data: what holding out a tenth costs, ours and MLP's.

Prints, for scikit-learn's iris, wine and breast_cancer data (150 to 569
rows), the mean 5-fold cross-validated accuracy (stratified, shuffled folds;
a StandardScaler pipeline) of NNFSClassifier and MLPClassifier at their
defaults, with and without ``early_stopping=True``, and the worst fold. Both
see the same folds.

    python benchmarks/early_stopping_small_data.py            # 5 seeds
    python benchmarks/early_stopping_small_data.py --quick    # 1 seed, wine
"""

import warnings

import numpy as np
from _common import machine, parse_args
from sklearn.datasets import load_breast_cancer, load_iris, load_wine
from sklearn.exceptions import ConvergenceWarning
from sklearn.model_selection import StratifiedKFold, cross_val_score
from sklearn.neural_network import MLPClassifier
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from sknnfs import NNFSClassifier

DATASETS = {"iris": load_iris, "wine": load_wine, "breast_cancer": load_breast_cancer}
MODELS = {
    "NNFSClassifier()": lambda seed: NNFSClassifier(random_state=seed),
    "NNFSClassifier(early_stopping=True)": lambda seed: NNFSClassifier(
        early_stopping=True, random_state=seed
    ),
    "MLPClassifier()": lambda seed: MLPClassifier(random_state=seed),
    "MLPClassifier(early_stopping=True)": lambda seed: MLPClassifier(
        early_stopping=True, random_state=seed
    ),
}


def fold_scores(make, X, y, seeds):
    scores = []
    for seed in seeds:
        folds = StratifiedKFold(n_splits=5, shuffle=True, random_state=seed)
        model = make_pipeline(StandardScaler(), make(seed))
        scores.append(cross_val_score(model, X, y, cv=folds))
    return np.array(scores)


def main():
    args = parse_args(__doc__.splitlines()[0])
    seeds = [0] if args.quick else range(5)
    datasets = ["wine"] if args.quick else list(DATASETS)
    print(machine())
    print(f"5-fold accuracy, mean over {len(seeds)} seed(s), and the worst fold")
    print(f"{'data':14s} {'model':36s} {'accuracy':>8s} {'worst fold':>10s}")
    print("-" * 71)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        for data in datasets:
            X, y = DATASETS[data](return_X_y=True)
            for name, make in MODELS.items():
                scores = fold_scores(make, X, y, seeds)
                mean, worst = scores.mean(), scores.min()
                print(f"{data:14s} {name:36s} {mean:8.3f} {worst:10.3f}")


if __name__ == "__main__":
    main()
