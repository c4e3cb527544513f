"""The fitted network kept between predictions, and kept up to date.

Building a :class:`~sknnfs.network.Network` costs about as much as a whole
one-row prediction, so the estimators keep the network that ``fit`` or
``partial_fit`` trained (its arrays are ``coefs_`` and ``intercepts_``) in a
:class:`~sknnfs.network.Predictor`. The kept network is private state: it is
not pickled (nor saved by skops) but rebuilt on loading, rebuilt by
``set_params`` when the activation changed, and bypassed (never replaced,
since predicting changes no attribute) if the fitted arrays were replaced by
hand.
"""

from .network import Network, Predictor

__all__ = ["FittedNetworkMixin"]


class FittedNetworkMixin:
    """Keep the fitted network for predicting; see the module docstring."""

    def _keep_fitted_network(self, network):
        """Keep the trained ``network`` (its arrays are ``coefs_``, ``intercepts_``)."""
        # named by its output function: the loss it trained with predicts nothing
        network.output = self.out_activation_
        self._predictor = Predictor(network.for_predicting())

    def _fitted_network(self):
        """Return the kept predictor, or a new one if it is out of date.

        It is out of date if the fitted arrays or the activation were replaced
        by hand; ``set_params``, ``fit``, ``partial_fit`` and unpickling keep
        it up to date. It is never stored here: predicting changes no attribute.
        """
        predictor = self.__dict__.get("_predictor")
        if predictor is None or not self._predicts_with(predictor):
            predictor = self._new_predictor()
        return predictor

    def _predicts_with(self, predictor):
        return predictor.uses(
            self.coefs_, self.intercepts_, self.activation, self.out_activation_
        )

    def _new_predictor(self):
        coefs, intercepts = self.coefs_, self.intercepts_
        network = Network(coefs, intercepts, self.activation, self.out_activation_)
        return Predictor(network.for_predicting(coefs, intercepts))

    def _refresh_predictor(self):
        """Rebuild the kept predictor if it no longer matches the fitted model."""
        predictor = self.__dict__.get("_predictor")
        fitted = "coefs_" in self.__dict__ and "out_activation_" in self.__dict__
        if fitted and (predictor is None or not self._predicts_with(predictor)):
            self._predictor = self._new_predictor()

    def set_params(self, **params):
        """Set the parameters of this estimator, as scikit-learn's ``set_params``.

        A fitted model predicts with a new ``activation`` from the next call.

        Parameters
        ----------
        **params : dict
            Estimator parameters.

        Returns
        -------
        self : estimator instance
            The estimator.

        Examples
        --------
        >>> from sknnfs import NNFSClassifier
        >>> NNFSClassifier().set_params(activation="tanh").activation
        'tanh'
        """
        super().set_params(**params)
        self._refresh_predictor()
        return self

    def __getstate__(self):
        # a copy: object.__getstate__ may return the instance's own __dict__
        state = dict(super().__getstate__())
        state.pop("_predictor", None)  # rebuilt from the fitted arrays on loading
        return state

    def __setstate__(self, state):
        super().__setstate__(state)
        self._refresh_predictor()
