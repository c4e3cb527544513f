"""The state of training at the end of the last finished epoch.

When a ``KeyboardInterrupt`` stops ``fit`` in the middle of an epoch, the
weights, the optimizer's state and the random stream have been changed by part
of an epoch. :class:`EpochCheckpoint` keeps a copy of all of them as they stood
at the end of the last finished epoch, so that the estimator can keep that
model, as MLPClassifier keeps the model it has when it is interrupted.

Saving costs one array copy per parameter and per optimizer state array, into
buffers allocated once. An interrupt during a save leaves the copy incomplete,
but the training state is then the finished epoch being saved: it is kept as
it is.
"""

import copy
import operator

import numpy as np

from .layers import Buffers

__all__ = ["EpochCheckpoint"]


def _arrays_of(value):
    """Return the arrays an attribute value holds: itself, or its list of arrays."""
    if type(value) is np.ndarray:
        return [value]
    if type(value) is list and value and type(value[0]) is np.ndarray:
        return value
    return None


_ATOMIC = (int, float, bool, str, type(None), np.float64, np.float32, np.int64)
# kept as they are: scratch arrays (an optimizer's), whose copies start empty
_BY_REFERENCE = frozenset((*_ATOMIC, Buffers))


def _copied(value):
    """Return a copy of an attribute value: arrays copied, others deep-copied."""
    arrays = _arrays_of(value)
    if arrays is None:
        return copy.deepcopy(value)
    copies = [a.copy() for a in arrays]
    return copies[0] if type(value) is np.ndarray else copies


class EpochCheckpoint:
    """A copy of the parameters, optimizer, random stream and fit history.

    Parameters
    ----------
    params : list of ndarray
        The network's parameters, trained in place.
    optimizer : object
        The optimizer; its attributes (``vars(optimizer)``) are its state.
    state : object
        The fit history being built, an object whose attributes (``n_iter``,
        ``loss_curve``, ...) are its state.
    random_state : RandomState or None
        The generator of the shuffles, if its stream is to be restored too.

    Examples
    --------
    >>> import numpy as np
    >>> from sknnfs._checkpoint import EpochCheckpoint
    >>> from sknnfs._training import History
    >>> param, history = np.zeros(2), History()
    >>> checkpoint = EpochCheckpoint([param], object(), history, None)
    >>> param += 1.0
    >>> history.n_iter, history.loss_curve = 1, [0.5]
    >>> checkpoint.save(history)
    >>> param += 1.0  # part of an epoch, then an interrupt
    >>> history.loss_curve.append(0.4)
    >>> checkpoint.restore(history)
    >>> param, history.n_iter, history.loss_curve
    (array([1., 1.]), 1, [0.5])
    """

    def __init__(self, params, optimizer, state, random_state):
        self.params = params
        self.optimizer = optimizer
        self.random_state = random_state
        self._saved = {}
        self._saving = False
        self.save(state)

    def _buffers(self, sources):
        """Return the buffers that ``sources`` are copied into.

        The buffers are allocated once, and again only when the optimizer
        replaces an array or adds one (its state appears at the first step).
        """
        saved = self._saved
        if len(saved.get("sources", ())) != len(sources) or not all(
            map(operator.is_, sources, saved["sources"])
        ):
            saved["sources"] = sources
            saved["buffers"] = [source.copy() for source in sources]
        return saved["buffers"]

    def save(self, state):
        """Record the training state as it is now, at the end of an epoch."""
        self._saving, saved = True, self._saved
        # the optimizer's arrays are copied into buffers; the other attributes
        # (step count, current rate, settings) are kept by value
        optimizer = dict(getattr(self.optimizer, "__dict__", {}))
        sources = list(self.params)
        for name, value in optimizer.items():
            if type(value) in _BY_REFERENCE:
                continue
            arrays = _arrays_of(value)
            if arrays is None:
                optimizer[name] = copy.deepcopy(value)
            else:
                sources += arrays
        for source, buffer in zip(sources, self._buffers(sources)):
            buffer[...] = source  # the cheapest copy of a small array
        saved["optimizer"] = optimizer
        if self.random_state is not None:
            saved["random_state"] = self.random_state.get_state()
        # lists only grow during a fit: their length is enough to restore them
        saved["state"] = {
            name: len(value) if type(value) is list else value
            for name, value in vars(state).items()
        }
        self._saving = False

    def restore(self, state):
        """Put everything back as it was at the last :meth:`save`."""
        if self._saving:  # interrupted while saving: the state is the epoch's
            return
        saved = self._saved
        # the buffers are in save's order: the parameters, then the arrays of
        # the optimizer's attributes in the order saved["optimizer"] keeps
        buffers = iter(saved["buffers"])
        for param in self.params:
            np.copyto(param, next(buffers))
        if hasattr(self.optimizer, "__dict__"):
            restored = {}
            for name, value in saved["optimizer"].items():
                arrays = _arrays_of(value)
                if arrays is None:
                    restored[name] = _copied(value)
                elif type(value) is np.ndarray:
                    restored[name] = next(buffers).copy()
                else:
                    restored[name] = [next(buffers).copy() for _ in arrays]
            self.optimizer.__dict__.clear()
            self.optimizer.__dict__.update(restored)
        if "random_state" in saved:
            self.random_state.set_state(saved["random_state"])
        for name, kept in saved["state"].items():
            value = getattr(state, name)
            if type(value) is list:
                del value[kept:]
            else:
                setattr(state, name, kept)
