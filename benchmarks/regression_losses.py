"""The regression losses on the data they are for, with MLPRegressor beside.

Two tables, each the mean over seeds (with the standard error of the mean)
of a model fitted on a training set and scored on a fresh test set drawn
from the same law, every model behind a StandardScaler at its defaults but
for ``loss``:

1. Counts: ``y ~ Poisson(mu(x))`` with the known rate
   ``log mu = 0.5 + x0 - x1**2 + 0.5 * x2 * x3`` (x uniform on [-1.5, 1.5]^5,
   so mu runs from about 0.1 to 15). Scored by the mean Poisson deviance on
   the test set (lower is better; the true rate's deviance is the floor),
   predictions clipped at 1e-3 from below, since a squared-error model may
   predict zero or less, where the deviance is not defined (the share of
   such predictions is shown).
2. Gross outliers: ``make_friedman1`` (noise 1), with 5% of the training
   targets raised by 5 to 10 standard deviations of y. Scored by the median
   absolute error on clean test rows (lower is better).

    python benchmarks/regression_losses.py [--quick]
"""

import time

import numpy as np
import sklearn
from _common import machine, parse_args, quiet, table
from sklearn.datasets import make_friedman1
from sklearn.metrics import mean_poisson_deviance, median_absolute_error
from sklearn.neural_network import MLPRegressor
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.utils.fixes import parse_version

from sknnfs import NNFSRegressor

MLP_HAS_POISSON = parse_version(sklearn.__version__) >= parse_version("1.7")


def poisson_data(n_samples, seed):
    rng = np.random.RandomState(seed)
    X = rng.uniform(-1.5, 1.5, size=(n_samples, 5))
    log_rate = 0.5 + X[:, 0] - X[:, 1] ** 2 + 0.5 * X[:, 2] * X[:, 3]
    rate = np.exp(log_rate)
    return X, rng.poisson(rate).astype(float), rate


def outlier_data(n_samples, seed, share=0.05):
    X, y = make_friedman1(n_samples=n_samples, noise=1.0, random_state=seed)
    rng = np.random.RandomState(seed + 1000)
    dirty = y.copy()
    rows = rng.choice(n_samples, int(share * n_samples), replace=False)
    dirty[rows] += rng.uniform(5, 10, len(rows)) * y.std()
    return X, dirty, y


def fitted(regressor, X, y):
    start = time.perf_counter()
    model = quiet(lambda: make_pipeline(StandardScaler(), regressor).fit(X, y))
    return model, time.perf_counter() - start


def summary(values, digits=3):
    values = np.asarray(values)
    error = values.std(ddof=1) / np.sqrt(len(values)) if len(values) > 1 else np.nan
    return f"{values.mean():.{digits}f} ± {error:.{digits}f}"


def count_table(seeds, n_samples, epochs):
    models = {
        ("NNFSRegressor", "squared_error"): lambda s: NNFSRegressor(
            random_state=s, **epochs
        ),
        ("NNFSRegressor", "poisson"): lambda s: NNFSRegressor(
            loss="poisson", random_state=s, **epochs
        ),
        ("MLPRegressor", "squared_error"): lambda s: MLPRegressor(
            random_state=s, **epochs
        ),
    }
    if MLP_HAS_POISSON:
        models["MLPRegressor", "poisson"] = lambda s: MLPRegressor(
            loss="poisson", random_state=s, **epochs
        )
    scores = {key: ([], [], []) for key in models}
    floor = []
    for seed in seeds:
        X, y, _ = poisson_data(n_samples, seed)
        X_test, y_test, rate = poisson_data(n_samples, seed + 500)
        floor.append(mean_poisson_deviance(y_test, rate))
        for key, make in models.items():  # interleaved, seed by seed
            model, seconds = fitted(make(seed), X, y)
            prediction = model.predict(X_test)
            deviance, nonpositive, fit_time = scores[key]
            deviance.append(mean_poisson_deviance(y_test, np.maximum(prediction, 1e-3)))
            nonpositive.append(np.mean(prediction <= 0))
            fit_time.append(seconds)
    rows = [
        (name, loss, summary(d), f"{np.mean(p):.1%}", f"{np.mean(t):.2f}")
        for (name, loss), (d, p, t) in scores.items()
    ]
    if not MLP_HAS_POISSON:
        rows.append(("MLPRegressor", "poisson", "n/a: scikit-learn < 1.7", "", ""))
    rows.append(("the true rate", "", summary(floor), "0.0%", ""))
    print(
        f"\nCounts, y ~ Poisson(mu(x)): {n_samples} training and {n_samples} "
        f"test rows, {len(seeds)} seed(s)"
    )
    header = ("estimator", "loss", "mean Poisson deviance", "pred <= 0", "fit s")
    table(rows, header)


def outlier_table(seeds, n_samples, epochs):
    losses = ["squared_error", "absolute_error", "huber"]
    models = {("NNFSRegressor", loss): loss for loss in losses}
    models["MLPRegressor", "squared_error"] = None
    scores = {key: ([], []) for key in models}
    for seed in seeds:
        X, y, _ = outlier_data(n_samples, seed)
        X_test, _, y_test = outlier_data(n_samples, seed + 500, share=0.0)
        for (name, loss), nnfs_loss in models.items():
            if name == "MLPRegressor":
                regressor = MLPRegressor(random_state=seed, **epochs)
            else:
                regressor = NNFSRegressor(loss=nnfs_loss, random_state=seed, **epochs)
            model, seconds = fitted(regressor, X, y)
            error, fit_time = scores[name, loss]
            error.append(median_absolute_error(y_test, model.predict(X_test)))
            fit_time.append(seconds)
    rows = [
        (name, loss, summary(e), f"{np.mean(t):.2f}")
        for (name, loss), (e, t) in scores.items()
    ]
    print(
        f"\nmake_friedman1 with 5% gross outliers in y: {n_samples} training "
        f"rows, {n_samples} clean test rows, {len(seeds)} seed(s)"
    )
    table(rows, ("estimator", "loss", "median abs. error (clean test)", "fit s"))


def main(quick=False):
    seeds = (0,) if quick else tuple(range(5))
    n_samples = 300 if quick else 2000
    epochs = {"max_iter": 5} if quick else {}
    print(machine())
    print("every model: make_pipeline(StandardScaler(), model), defaults but loss")
    count_table(seeds, n_samples, epochs)
    outlier_table(seeds, n_samples, epochs)


if __name__ == "__main__":
    main(quick=parse_args(__doc__.splitlines()[0]).quick)
