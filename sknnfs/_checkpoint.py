"""The state of training at the end of the last finished epoch.

When a ``KeyboardInterrupt`` stops ``fit`` in the middle of an epoch, the
weights, the optimizer's state and the random stream have been changed by part
of an epoch. :class:`EpochCheckpoint` keeps a copy of all of them as they stood
at the end of the last finished epoch, so that the estimator can keep that
model, as MLPClassifier keeps the model it has when it is interrupted.

Saving costs one ``np.copyto`` per parameter and per optimizer state array, into
buffers allocated once. Two slots are written in turn, so that an interrupt
during a save leaves the other, complete, slot to restore from.
"""

import copy

import numpy as np

__all__ = ["EpochCheckpoint"]


def _copy_into(buffer, value):
    """Copy ``value`` into ``buffer`` when it fits, else return a fresh copy."""
    if isinstance(value, np.ndarray):
        if (
            isinstance(buffer, np.ndarray)
            and buffer.shape == value.shape
            and buffer.dtype == value.dtype
        ):
            np.copyto(buffer, value)
            return buffer
        return value.copy()
    if isinstance(value, list) and all(isinstance(v, np.ndarray) for v in value):
        if not isinstance(buffer, list) or len(buffer) != len(value):
            buffer = [None] * len(value)
        return [_copy_into(b, v) for b, v in zip(buffer, value)]
    if isinstance(value, (bool, int, float, str, type(None), np.generic)):
        return value
    return copy.deepcopy(value)


class EpochCheckpoint:
    """A copy of the parameters, optimizer, random stream and fit history.

    Parameters
    ----------
    params : list of ndarray
        The network's parameters, trained in place.
    optimizer : object
        The optimizer; its attributes (``vars(optimizer)``) are its state.
    state : dict
        The fit history being built (``n_iter_``, ``loss_curve_``, ...).
    random_state : RandomState or None
        The generator of the shuffles, if its stream is to be restored too.

    Examples
    --------
    >>> import numpy as np
    >>> from sknnfs._checkpoint import EpochCheckpoint
    >>> param, state = np.zeros(2), {"n_iter_": 0, "loss_curve_": []}
    >>> checkpoint = EpochCheckpoint([param], object(), state, None)
    >>> param += 1.0
    >>> state["n_iter_"], state["loss_curve_"] = 1, [0.5]
    >>> checkpoint.save(state)
    >>> param += 1.0  # part of an epoch, then an interrupt
    >>> checkpoint.restore(state)
    >>> param, state
    (array([1., 1.]), {'n_iter_': 1, 'loss_curve_': [0.5]})
    """

    def __init__(self, params, optimizer, state, random_state):
        self.params = params
        self.optimizer = optimizer
        self.random_state = random_state
        self._slots = [{}, {}]
        self._current = 1
        self.save(state)

    def save(self, state):
        """Record the training state as it is now, at the end of an epoch."""
        slot = self._slots[1 - self._current]
        slot["params"] = _copy_into(slot.get("params"), self.params)
        optimizer_state = getattr(self.optimizer, "__dict__", None)
        if optimizer_state is not None:
            old = slot.get("optimizer", {})
            slot["optimizer"] = {
                name: _copy_into(old.get(name), value)
                for name, value in optimizer_state.items()
            }
        if self.random_state is not None:
            slot["random_state"] = self.random_state.get_state()
        # lists only grow during a fit: their length is enough to restore them
        slot["state"] = {
            name: len(value) if isinstance(value, list) else value
            for name, value in state.items()
        }
        self._current = 1 - self._current

    def restore(self, state):
        """Put everything back as it was at the last :meth:`save`."""
        slot = self._slots[self._current]
        for param, saved in zip(self.params, slot["params"]):
            np.copyto(param, saved)
        if "optimizer" in slot:
            optimizer_state = self.optimizer.__dict__
            optimizer_state.clear()
            optimizer_state.update(
                {
                    name: _copy_into(None, value)
                    for name, value in slot["optimizer"].items()
                }
            )
        if "random_state" in slot:
            self.random_state.set_state(slot["random_state"])
        for name, saved in slot["state"].items():
            if isinstance(state[name], list):
                del state[name][saved:]
            else:
                state[name] = saved
