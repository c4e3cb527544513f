"""Saving the trained pipeline, and predicting (or scoring) a file with it.

``--save model.skops`` saves with skops, whose files are safe to load;
any other name saves with joblib, whose files run code when loaded.
``python -m sknnfs new.csv --load model.skops`` reads the file as training
read its file, types each column as the model's first step used it, and
writes the predictions (and, for a classifier, the probability of each
class) as CSV, after the identifier columns (or the row numbers) that join
them back to the file's rows. With ``--target``, it scores them too.
"""

import sys
from pathlib import Path

from .columns import as_words
from .errors import CLIError, first_line
from .numbers import read_numbers
from .report import print_score

#: Options of training, which --load (predicting with a saved model) refuses.
TRAINING_OPTIONS = (
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
    "id",
    "keep",
    "drop",
    "missing",
    "validation",
)
# the first bytes of the files --save writes: a zip (skops), a pickle or a
# compressed one (joblib)
_SAVED_MODEL_STARTS = (
    b"PK\x03\x04",
    b"\x80",
    b"\x78",
    b"\x1f\x8b",
    b"BZh",
    b"\xfd7zXZ",
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
    if (
        args.output is not None
        and Path(args.output).resolve() == Path(args.data).resolve()
    ):
        raise CLIError(f"--output {args.output} would overwrite the file to predict")


def load_model(path):
    """Return the model saved at ``path`` (skops or joblib), or a CLIError."""
    if not Path(path).is_file():
        raise CLIError(f"--load {path}: no such file")
    with open(path, "rb") as file:
        start = file.read(8)
    if not start.startswith(_SAVED_MODEL_STARTS):
        raise CLIError(
            f"--load {path}: not a saved model (the .skops or joblib file that "
            "--save writes); the file to predict comes first: python -m sknnfs "
            f"FILE --load MODEL"
        )
    try:
        if Path(path).suffix == ".skops":
            _skops()
            from ..persistence import load

            return load(path)
        import joblib

        return joblib.load(path)
    except CLIError:
        raise
    except Exception as error:  # a corrupt file fails in many ways
        raise CLIError(
            f"--load {path}: cannot load a saved model from it "
            f"({type(error).__name__}: {first_line(error)})"
        ) from None


def typed_features(pd, used, frame, decimal, path):
    """Return the file's feature columns typed as the model's first step uses them.

    Parameters
    ----------
    pd : module
        pandas.
    used : dict
        ``{use: [column names]}``, as :func:`~sknnfs.cli.columns.columns_of`
        returns it for a saved model.
    frame : pandas.DataFrame
        The file's cells, as text.
    decimal : {'.', ','}
        The file's decimal mark.
    path : str
        The file, for the messages.

    Returns
    -------
    X : pandas.DataFrame
        The columns the model uses.
    empty : dict
        ``{column: count}`` of the empty cells the model fills.
    """
    needed = used["numbers"] + used["words"] + used["dates"]
    absent = [name for name in needed if name not in frame.columns]
    if absent:
        raise CLIError(
            f"{path} lacks the columns {', '.join(absent)}, which the model was "
            "trained on"
        )
    X = frame[needed].copy()
    for name in used["numbers"]:
        numbers = read_numbers(frame[name], decimal)[0]
        if numbers is None:
            raise CLIError(
                f"column {name!r} of {path} is not numbers with the decimal mark "
                f"{decimal!r}, as it was in training; give --decimal, or fix it"
            )
        X[name] = numbers
    for name in used["words"]:
        X[name] = as_words(frame[name])
    return X, {name: int(n) for name, n in X.isna().sum().items() if n}


def predict_file(pd, model, X, keys, output):
    """Write the predictions of ``X`` (and the class probabilities) as CSV.

    ``keys`` are the columns that join the predictions back to the rows.
    """
    try:
        columns = {"prediction": model.predict(X)}
        if hasattr(model, "predict_proba"):
            probabilities = model.predict_proba(X)
            for index, label in enumerate(model.classes_):
                columns[f"probability_{label}"] = probabilities[:, index]
    except ValueError as error:
        raise CLIError(f"cannot predict the file's rows: {first_line(error)}") from None
    frame = pd.concat([keys, pd.DataFrame(columns, index=X.index)], axis=1)
    frame.to_csv(
        sys.stdout if output is None else output, index=False, float_format="%.6g"
    )
    if output is not None:
        print(f"Wrote {len(frame)} predictions to {output}")


def score_file(model, X, y, path):
    """Print the model's score on the labelled rows of a file."""
    task = "classify" if hasattr(model, "predict_proba") else "regress"
    print_score(f"{path}, {len(y)} labelled rows", model, X, y, task)


def _skops():
    try:
        import skops.io as sio
    except ImportError:
        raise CLIError(".skops files need skops: pip install skops") from None
    return sio
