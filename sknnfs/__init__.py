"""sknnfs: the network of *Neural Networks from Scratch* as scikit-learn estimators."""

from .classifier import NNFSClassifier
from .exceptions import DivergenceError
from .regressor import NNFSRegressor

__all__ = ["NNFSClassifier", "NNFSRegressor", "DivergenceError"]
__version__ = "0.1.0"
