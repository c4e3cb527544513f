"""Saving the trained pipeline, and predicting a CSV file with a saved one.

``--save model.skops`` saves with skops, whose files are safe to load;
any other name saves with joblib, whose files run code when loaded.
``python -m sknnfs new.csv --load model.skops`` predicts the file's rows and
writes the predictions (and, for a classifier, the probability of each
class) as CSV.
"""

import sys
from pathlib import Path

from ._cli_data import CLIError, first_line

#: Options of training, which --load (predicting with a saved model) refuses.
TRAINING_OPTIONS = (
    "target",
    "task",
    "optimizer",
    "learning_rate",
    "decay",
    "momentum",
    "alpha",
    "hidden_layer_sizes",
    "batch_size",
    "max_iter",
    "early_stopping",
    "cv",
    "grid",
    "save",
    "log_every",
)


def save(model, path):
    """Save the fitted pipeline: with skops for a ``.skops`` name, else joblib."""
    if Path(path).suffix == ".skops":
        sio = _skops()
        how = "skops; sknnfs.persistence.load loads it, building only sknnfs' "
        how += "types and those skops trusts"
        dump = sio.dump
    else:
        import joblib

        how = "joblib; joblib.load runs the code a file holds: load only yours"
        dump = joblib.dump
    try:
        dump(model, path)
    except OSError as error:
        raise CLIError(f"cannot save the model to {path}: {error}") from None
    print(
        f"Saved the fitted pipeline to {path} with {how}. It predicts a CSV "
        f"file with the same feature columns: python -m sknnfs FILE --load {path}"
    )


def check_predict_options(args, defaults):
    """Refuse training options with --load: a saved model is not trained again."""
    given = [
        "--" + name.replace("_", "-")
        for name in TRAINING_OPTIONS
        if getattr(args, name) != defaults.get(name)
    ]
    if given:
        verb = "does" if len(given) == 1 else "do"
        raise CLIError(
            f"--load predicts with a saved model, so {', '.join(given)} {verb} "
            "not apply: leave them out, or train a new model without --load"
        )


def load_model(path):
    """Return the model saved at ``path`` (skops or joblib), or a CLIError."""
    if not Path(path).is_file():
        raise CLIError(f"--load {path}: no such file")
    try:
        if Path(path).suffix == ".skops":
            _skops()
            from .persistence import load

            return load(path)
        import joblib

        return joblib.load(path)
    except CLIError:
        raise
    except Exception as error:  # a corrupt file fails in many ways
        raise CLIError(
            f"--load {path}: cannot load a saved model from it ({first_line(error)})"
        ) from None


def predict_file(model, X, output):
    """Write the predictions of ``X`` (and the class probabilities) as CSV."""
    pd = sys.modules["pandas"]
    try:
        columns = {"prediction": model.predict(X)}
        if hasattr(model, "predict_proba"):
            probabilities = model.predict_proba(X)
            for index, label in enumerate(model.classes_):
                columns[f"probability_{label}"] = probabilities[:, index]
    except ValueError as error:
        raise CLIError(f"cannot predict the file's rows: {first_line(error)}") from None
    frame = pd.DataFrame(columns, index=X.index)
    frame.to_csv(sys.stdout if output is None else output, index=False)
    if output is not None:
        print(f"Wrote {len(frame)} predictions to {output}")


def _skops():
    try:
        import skops.io as sio
    except ImportError:
        raise CLIError(".skops files need skops: pip install 'sknnfs[skops]'") from None
    return sio
