"""The book's optimizers: SGD with 1/t decay and momentum, AdaGrad, RMSprop, Adam.

An optimizer updates a list of parameter arrays in place from a list of gradient
arrays of the same shapes. One step is the book's three calls::

    optimizer.pre_update_params()           # decay the learning rate
    optimizer.update_params(params, grads)  # apply the update rule
    optimizer.post_update_params()          # count the step

That is the whole protocol a user's own optimizer must follow to be given to
:class:`~sknnfs.NNFSClassifier`: ``params`` is then the list ``[weights_1,
biases_1, weights_2, biases_2, ...]``. Two attributes are optional: a
``current_learning_rate`` is shown in the verbose log and in the divergence
error, and ``elementwise = True`` says that the rule treats every entry on its
own, so that the network may pass all parameters as one flat array (faster,
and the same numbers). And ``update_params`` may take ``overwrite``: given
``overwrite=True`` (as the network gives it, its gradients being computed anew
at every step), a rule may compute its step in the gradient arrays, one array
of the parameters' size fewer to keep and to stream through the cache. The
optimizers here are scikit-learn style objects (``get_params``,
``set_params``, ``clone``). Their state (``iterations``,
``current_learning_rate`` and the per-parameter arrays) is created by the
first step and belongs to one list of parameters.

Every formula is the book's, in the book's order of floating-point operations,
so that training is bit-for-bit the book's. The steps are computed in place,
in arrays kept from step to step (or in the gradients, see above) rather than
in new temporaries (for a large network these allocations cost as much as the
arithmetic), in the dtype of the parameters and their gradients: a
hyperparameter given as a numpy scalar counts as a Python float. The one
departure is a fix: the book's first momentum code updated the bias momentum
with the biases instead of their gradient (``layer.biases`` for
``layer.dbiases``); here every parameter, biases included, gets
``v = momentum * v - lr * grad; param += v``. One addition: RMSprop takes a
``momentum`` too (0, the book's rule, by default).

The default learning rates are not the book's: the book's (1.0 for SGD and
AdaGrad) suit full-batch training of its 300 spiral points, and make
minibatch training on real data diverge or stall. :data:`NAMED_OPTIMIZERS`,
the registry of the names the estimators take (``optimizer='adam'``), keeps
both.
"""

from dataclasses import dataclass
from numbers import Real

import numpy as np
from sklearn.base import BaseEstimator
from sklearn.utils._param_validation import Interval

from .layers import Buffers

__all__ = [
    "SGD",
    "Adagrad",
    "RMSprop",
    "Adam",
    "BaseOptimizer",
    "NamedOptimizer",
    "NAMED_OPTIMIZERS",
]


class BaseOptimizer(BaseEstimator):
    """Learning-rate decay and step counting shared by the optimizers.

    Subclasses implement :meth:`update_params` only.

    Parameters
    ----------
    learning_rate : float
        The learning rate before decay.
    decay : float
        The book's 1/t decay: step ``t`` (counted from 0) uses
        ``learning_rate * (1 / (1 + decay * t))``. ``0`` switches decay off.

    Examples
    --------
    >>> from sknnfs.optimizers import SGD
    >>> opt = SGD(learning_rate=1.0, decay=0.1)
    >>> for _ in range(3):
    ...     opt.pre_update_params()
    ...     opt.post_update_params()
    >>> opt.iterations, round(opt.current_learning_rate, 4)
    (3, 0.8333)
    """

    _parameter_constraints: dict = {
        "learning_rate": [Interval(Real, 0, None, closed="neither")],
        "decay": [Interval(Real, 0, None, closed="left")],
    }

    #: Each rule here updates every entry on its own: see the module docstring.
    elementwise = True

    def __init__(self, learning_rate, decay):
        self.learning_rate = learning_rate
        self.decay = decay

    @property
    def iterations(self):
        """Number of finished steps (the book's ``iterations``)."""
        return self.__dict__.get("_iterations", 0)

    @property
    def current_learning_rate(self):
        """The rate of the latest step, or ``learning_rate`` before the first."""
        return self.__dict__.get("_current_learning_rate", self.learning_rate)

    @property
    def next_learning_rate(self):
        """The rate the next step will take: ``learning_rate``, decayed."""
        if not self.decay:
            return self.learning_rate
        return self.learning_rate * (1.0 / (1.0 + self.decay * self.iterations))

    def pre_update_params(self):
        """Set the coming step's rate (the book's decay); call once before updates.

        Set at every step, so that a changed ``learning_rate`` or ``decay``
        (a warm start's, or a schedule's) takes effect at the next step.
        """
        self._current_learning_rate = self.next_learning_rate

    def update_params(self, params, grads, overwrite=False):
        """Update each array of ``params`` in place from the matching gradient.

        Parameters
        ----------
        params : list of ndarray
            Arrays updated in place.
        grads : list of ndarray
            The gradient of the loss with respect to each array of ``params``.
        overwrite : bool, default=False
            Whether the step may compute in ``grads`` (they are then left
            holding a part of the step, not the gradients).
        """
        raise NotImplementedError

    def post_update_params(self):
        """Count the finished step; call once after the updates."""
        self._iterations = self.iterations + 1

    def step(self, params, grads):
        """Run one whole step: pre-update, update, post-update.

        Parameters
        ----------
        params : list of ndarray
            Arrays updated in place.
        grads : list of ndarray
            The gradient of the loss with respect to each array of ``params``.
        """
        self.pre_update_params()
        self.update_params(params, grads)
        self.post_update_params()

    def __getstate__(self):
        # the step's scratch arrays are not state: copies and pickles leave them
        # out (a copy: object.__getstate__ may return the instance's own __dict__)
        state = dict(super().__getstate__())
        state.pop("_step_buffers", None)
        return state

    def release_buffers(self):
        """Forget the arrays the steps are computed in; the next step makes them."""
        self.__dict__.pop("_step_buffers", None)

    def _scratch(self, index, param, grad, count=1, overwrite=False):
        """``count`` arrays shaped like ``param`` to compute its step in.

        In the dtype numpy gives ``param`` and ``grad`` together (that of the
        parameter's state), kept from step to step (by ``index``, the
        parameter's place in the list) rather than allocated. With
        ``overwrite``, the first is ``grad`` itself when it has that dtype
        and shape: a rule reads ``grad`` for the last time as it writes its
        first scratch array.
        """
        buffers = self.__dict__.get("_step_buffers")
        if buffers is None:
            buffers = self.__dict__["_step_buffers"] = Buffers()
        dtype = (
            param.dtype if grad.dtype is param.dtype else np.result_type(param, grad)
        )
        if overwrite and grad.dtype == dtype and grad.shape == param.shape:
            return [grad, *buffers.get_several(index, count - 1, param.shape, dtype)]
        return buffers.get_several(index, count, param.shape, dtype)

    def _state(self, name, params, grads=None):
        """Per-parameter arrays kept under ``name``, zeros at the first step.

        Each in the wider dtype of its parameter and gradient: a float64
        gradient of a float32 parameter (the book's bias gradient under its
        dropout, see :class:`~sknnfs.layers.Dropout`) keeps a float64 state,
        as numpy's promotion gives the book's code.
        """
        state = self.__dict__.get(name)
        if state is None:
            state = self.__dict__[name] = [
                np.zeros(p.shape, np.result_type(p, g))
                for p, g in zip(params, params if grads is None else grads)
            ]
        if len(state) != len(params):
            raise ValueError(
                f"{type(self).__name__}'s state holds {len(state)} arrays and the "
                f"step has {len(params)}: the layout of the parameters changed "
                "since the optimizer started (a warm start that changed init "
                "between the book's and another on float32 data, where the "
                "book's steps the parameters array by array). Fit anew."
            )
        return state


class SGD(BaseOptimizer):
    """Stochastic gradient descent with optional 1/t decay and momentum.

    Without momentum: ``param -= lr * grad``. With momentum, for weights and
    biases alike: ``v = momentum * v - lr * grad; param += v``. With
    ``nesterov``, the step looks ahead along the new velocity, as
    MLPClassifier's ``nesterovs_momentum`` does: ``v = momentum * v - lr *
    grad; param += momentum * v - lr * grad``.

    Parameters
    ----------
    learning_rate : float, default=0.1
        Trains well in minibatches on standardized data; the book's rate,
        for its full-batch spiral network, is 1.0.
    decay : float, default=0.0
        1/t learning-rate decay, see :class:`BaseOptimizer`.
    momentum : float, default=0.0
        Fraction of the previous update kept, in ``[0, 1)``.
    nesterov : bool, default=False
        Nesterov's momentum instead of the book's classical momentum.

    Examples
    --------
    >>> import numpy as np
    >>> from sknnfs.optimizers import SGD
    >>> param = np.array([1.0, -2.0])
    >>> opt = SGD(learning_rate=0.5, momentum=0.9)
    >>> opt.step([param], [np.array([1.0, 1.0])])
    >>> opt.step([param], [np.array([1.0, 1.0])])
    >>> param  # moved by -0.5, then by 0.9 * -0.5 - 0.5
    array([-0.45, -3.45])
    """

    _parameter_constraints: dict = {
        **BaseOptimizer._parameter_constraints,
        "momentum": [Interval(Real, 0, 1, closed="left")],
        "nesterov": ["boolean"],
    }

    def __init__(self, learning_rate=0.1, decay=0.0, momentum=0.0, nesterov=False):
        super().__init__(learning_rate, decay)
        self.momentum = momentum
        self.nesterov = nesterov

    def update_params(self, params, grads, overwrite=False):
        """Apply one SGD step to ``params`` in place.

        Parameters
        ----------
        params : list of ndarray
            Arrays updated in place.
        grads : list of ndarray
            The gradient of the loss with respect to each array of ``params``.
        overwrite : bool, default=False
            Whether the step may compute in ``grads``.
        """
        lr, momentum = float(self.current_learning_rate), float(self.momentum)
        nesterov = bool(momentum and self.nesterov)
        velocities = (
            self._state("_momentums", params, grads)
            if momentum
            else [None] * len(params)
        )
        for i, (param, grad, velocity) in enumerate(zip(params, grads, velocities)):
            scratch = self._scratch(i, param, grad, 1 + nesterov, overwrite)
            scaled = np.multiply(grad, lr, out=scratch[0])  # lr * grad
            if velocity is None:
                param -= scaled
                continue
            velocity *= momentum
            velocity -= scaled
            if nesterov:  # MLPClassifier's look-ahead: momentum * v - lr * grad
                ahead = np.multiply(velocity, momentum, out=scratch[1])
                ahead -= scaled
                param += ahead
            else:
                param += velocity


class Adagrad(BaseOptimizer):
    """AdaGrad: a per-parameter rate from the sum of squared gradients.

    ``cache += grad**2; param -= lr * grad / (sqrt(cache) + epsilon)``.

    Parameters
    ----------
    learning_rate : float, default=0.01
        Trains well in minibatches on standardized data; the book's rate,
        for its full-batch spiral network, is 1.0.
    decay : float, default=0.0
        1/t learning-rate decay, see :class:`BaseOptimizer`.
    epsilon : float, default=1e-7
        Keeps the division finite.

    Examples
    --------
    >>> import numpy as np
    >>> from sknnfs.optimizers import Adagrad
    >>> param = np.array([1.0])
    >>> Adagrad(learning_rate=0.1).step([param], [np.array([4.0])])
    >>> param.round(6)  # 1 - 0.1 * 4 / (4 + 1e-7)
    array([0.9])
    """

    _parameter_constraints: dict = {
        **BaseOptimizer._parameter_constraints,
        "epsilon": [Interval(Real, 0, None, closed="neither")],
    }

    def __init__(self, learning_rate=0.01, decay=0.0, epsilon=1e-7):
        super().__init__(learning_rate, decay)
        self.epsilon = epsilon

    def update_params(self, params, grads, overwrite=False):
        """Apply one AdaGrad step to ``params`` in place.

        Parameters
        ----------
        params : list of ndarray
            Arrays updated in place.
        grads : list of ndarray
            The gradient of the loss with respect to each array of ``params``.
        overwrite : bool, default=False
            Whether the step may compute in ``grads``.
        """
        lr = float(self.current_learning_rate)
        caches = self._state("_caches", params, grads)
        for i, (param, grad, cache) in enumerate(zip(params, grads, caches)):
            step, root = self._scratch(i, param, grad, 2, overwrite)
            cache += np.square(grad, out=root)
            np.multiply(grad, lr, out=step)  # grad's last use: step may be grad
            param -= _over_root(step, cache, self.epsilon, root)


class RMSprop(BaseOptimizer):
    """RMSprop: AdaGrad with a moving average of squared gradients.

    ``cache = rho * cache + (1 - rho) * grad**2;
    param -= lr * grad / (sqrt(cache) + epsilon)``. With ``momentum``, the
    scaled step rolls as SGD's does: ``v = momentum * v - lr * grad /
    (sqrt(cache) + epsilon); param += v`` (the momentum of PyTorch's and
    Keras' RMSprop; the book's RMSprop has none, ``momentum=0``).

    Parameters
    ----------
    learning_rate : float, default=0.001
        The book's rate, which also trains well in minibatches.
    decay : float, default=0.0
        1/t learning-rate decay, see :class:`BaseOptimizer`.
    epsilon : float, default=1e-7
        Keeps the division finite.
    rho : float, default=0.9
        Decay of the squared-gradient average, in ``[0, 1)``.
    momentum : float, default=0.0
        Fraction of the previous update kept, in ``[0, 1)``.

    Examples
    --------
    >>> import numpy as np
    >>> from sknnfs.optimizers import RMSprop
    >>> param = np.array([1.0])
    >>> RMSprop(learning_rate=0.01).step([param], [np.array([2.0])])
    >>> param.round(6)  # 1 - 0.01 * 2 / sqrt(0.1 * 4)
    array([0.968377])
    """

    _parameter_constraints: dict = {
        **BaseOptimizer._parameter_constraints,
        "epsilon": [Interval(Real, 0, None, closed="neither")],
        "rho": [Interval(Real, 0, 1, closed="left")],
        "momentum": [Interval(Real, 0, 1, closed="left")],
    }

    def __init__(
        self, learning_rate=0.001, decay=0.0, epsilon=1e-7, rho=0.9, momentum=0.0
    ):
        super().__init__(learning_rate, decay)
        self.epsilon = epsilon
        self.rho = rho
        self.momentum = momentum

    def update_params(self, params, grads, overwrite=False):
        """Apply one RMSprop step to ``params`` in place.

        Parameters
        ----------
        params : list of ndarray
            Arrays updated in place.
        grads : list of ndarray
            The gradient of the loss with respect to each array of ``params``.
        overwrite : bool, default=False
            Whether the step may compute in ``grads``.
        """
        lr, rho = float(self.current_learning_rate), float(self.rho)
        momentum = float(self.momentum)
        caches = self._state("_caches", params, grads)
        velocities = (
            self._state("_momentums", params, grads)
            if momentum
            else [None] * len(params)
        )
        for i, (param, grad, cache, velocity) in enumerate(
            zip(params, grads, caches, velocities)
        ):
            step, root = self._scratch(i, param, grad, 2, overwrite)
            _average_squares(cache, grad, rho, root)
            np.multiply(grad, lr, out=step)  # grad's last use: step may be grad
            _over_root(step, cache, self.epsilon, root)
            if velocity is None:  # the book's rule
                param -= step
            else:
                velocity *= momentum
                velocity -= step
                param += velocity


class Adam(BaseOptimizer):
    """Adam: momentum and RMSprop, with bias correction by ``iterations + 1``.

    ``m = beta_1 * m + (1 - beta_1) * grad``,
    ``c = beta_2 * c + (1 - beta_2) * grad**2``,
    ``param -= lr * m_hat / (sqrt(c_hat) + epsilon)`` where
    ``m_hat = m / (1 - beta_1 ** (iterations + 1))`` and likewise ``c_hat``.

    Parameters
    ----------
    learning_rate : float, default=0.001
        The book's rate, which also trains well in minibatches.
    decay : float, default=0.0
        1/t learning-rate decay, see :class:`BaseOptimizer`.
    epsilon : float, default=1e-7
        Keeps the division finite.
    beta_1 : float, default=0.9
        Decay of the gradient average, in ``[0, 1)``.
    beta_2 : float, default=0.999
        Decay of the squared-gradient average, in ``[0, 1)``.

    Examples
    --------
    >>> import numpy as np
    >>> from sknnfs.optimizers import Adam
    >>> param = np.array([1.0, 1.0])
    >>> Adam(learning_rate=0.1).step([param], [np.array([3.0, -0.5])])
    >>> param.round(6)  # the first step moves each entry by about lr
    array([0.9, 1.1])
    """

    _parameter_constraints: dict = {
        **BaseOptimizer._parameter_constraints,
        "epsilon": [Interval(Real, 0, None, closed="neither")],
        "beta_1": [Interval(Real, 0, 1, closed="left")],
        "beta_2": [Interval(Real, 0, 1, closed="left")],
    }

    def __init__(
        self, learning_rate=0.001, decay=0.0, epsilon=1e-7, beta_1=0.9, beta_2=0.999
    ):
        super().__init__(learning_rate, decay)
        self.epsilon = epsilon
        self.beta_1 = beta_1
        self.beta_2 = beta_2

    def update_params(self, params, grads, overwrite=False):
        """Apply one Adam step to ``params`` in place.

        Parameters
        ----------
        params : list of ndarray
            Arrays updated in place.
        grads : list of ndarray
            The gradient of the loss with respect to each array of ``params``.
        overwrite : bool, default=False
            Whether the step may compute in ``grads``.
        """
        lr = float(self.current_learning_rate)
        beta_1, beta_2 = float(self.beta_1), float(self.beta_2)
        momentum_correction = 1 - beta_1 ** (self.iterations + 1)
        cache_correction = 1 - beta_2 ** (self.iterations + 1)
        momentums = self._state("_momentums", params, grads)
        caches = self._state("_caches", params, grads)
        for i, (param, grad, momentum, cache) in enumerate(
            zip(params, grads, momentums, caches)
        ):
            step, root = self._scratch(i, param, grad, 2, overwrite)
            _average_squares(cache, grad, beta_2, root)
            momentum *= beta_1
            # grad's last use: step may be grad
            momentum += np.multiply(grad, 1 - beta_1, out=step)
            # lr * (momentum / correction) / (sqrt(cache / correction) + epsilon)
            np.divide(momentum, momentum_correction, out=step)
            step *= lr
            np.divide(cache, cache_correction, out=root)
            param -= _over_root(step, root, self.epsilon, root)


def _average_squares(cache, grad, decay, scratch):
    """Set ``cache = decay * cache + (1 - decay) * grad**2`` in place, in order."""
    cache *= decay
    np.square(grad, out=scratch)
    scratch *= 1 - decay
    cache += scratch


def _over_root(step, squares, epsilon, root):
    """Divide ``step`` by ``sqrt(squares) + epsilon`` in place; return it.

    ``root`` is scratch, and may be ``squares`` itself.
    """
    np.sqrt(squares, out=root)
    root += float(epsilon)
    step /= root
    return step


@dataclass(frozen=True)
class NamedOptimizer:
    """How an optimizer's name (``optimizer='adam'``) becomes an optimizer.

    Parameters
    ----------
    rule : type
        The optimizer class.
    learning_rate : float
        The default rate: one that trains well in minibatches of 32 samples
        on standardized features (``benchmarks/optimizers.py`` measures it).
    book_learning_rate : float
        The book's rate, for full-batch training of its 300 spiral points.
    settings : tuple of str
        The settings it uses besides ``learning_rate`` and ``decay``: any
        other setting given a value is not used, and is refused.
    momentum : float or None, default=None
        The momentum when none is given; None leaves the class's default.
    momentum_is : str, default="momentum"
        The class's parameter that ``momentum`` sets: Adam's momentum is its
        first-moment decay ``beta_1`` (as for PyTorch's one-cycle schedules).

    Examples
    --------
    >>> from sknnfs.optimizers import NAMED_OPTIMIZERS
    >>> NAMED_OPTIMIZERS["sgd-momentum"].build(momentum=None)
    SGD(learning_rate=0.01, momentum=0.9)
    >>> NAMED_OPTIMIZERS["adam"].build(learning_rate=0.01, momentum=0.5)
    Adam(beta_1=0.5, learning_rate=0.01)
    """

    rule: type
    learning_rate: float
    book_learning_rate: float
    settings: tuple
    momentum: float = None
    momentum_is: str = "momentum"

    def uses(self, setting):
        """Return whether the optimizer uses the estimator's ``setting``.

        Parameters
        ----------
        setting : str
            An estimator parameter: ``'learning_rate'``, ``'momentum'``, ...

        Returns
        -------
        used : bool
            True for ``learning_rate`` and ``decay`` and for ``self.settings``.
        """
        return setting in ("learning_rate", "decay", *self.settings)

    def build(self, learning_rate=None, decay=0.0, **settings):
        """Return a new optimizer; None values take the defaults.

        Parameters
        ----------
        learning_rate : float or None, default=None
            The rate; None is ``self.learning_rate``.
        decay : float, default=0.0
            The book's 1/t decay.
        **settings : dict
            Values of (some of) ``self.settings``; ``momentum=None`` is
            ``self.momentum``.

        Returns
        -------
        optimizer : BaseOptimizer
            An instance of ``self.rule``.
        """
        momentum = settings.pop("momentum", None)
        if momentum is None:
            momentum = self.momentum
        if momentum is not None:
            settings[self.momentum_is] = momentum
        if learning_rate is None:
            learning_rate = self.learning_rate
        return self.rule(learning_rate=learning_rate, decay=decay, **settings)


#: The optimizers the estimators know by name (``optimizer='adam'``, ...): a
#: :class:`NamedOptimizer` each, with its class, its default and book learning
#: rates and the settings it uses. The estimators, their parameter checks and
#: the command line all read it: adding an optimizer is one entry here.
NAMED_OPTIMIZERS = {
    "sgd": NamedOptimizer(SGD, 0.1, 1.0, ("momentum", "nesterov")),
    "sgd-momentum": NamedOptimizer(
        SGD, 0.01, 1.0, ("momentum", "nesterov"), momentum=0.9
    ),
    "adagrad": NamedOptimizer(Adagrad, 0.01, 1.0, ("epsilon",)),
    "rmsprop": NamedOptimizer(RMSprop, 0.001, 0.001, ("momentum", "epsilon", "rho")),
    "adam": NamedOptimizer(
        Adam,
        0.001,
        0.001,
        ("momentum", "epsilon", "beta_1", "beta_2"),
        momentum_is="beta_1",
    ),
}
