"""scikit-learn's estimator checks, in the configurations users reach for."""

from sklearn.utils.estimator_checks import parametrize_with_checks

from sknnfs import NNFSClassifier

CONFIGURATIONS = [
    NNFSClassifier(),
    NNFSClassifier(optimizer="sgd", decay=1e-3),
    NNFSClassifier(optimizer="sgd-momentum", learning_rate=0.1),
    NNFSClassifier(optimizer="adagrad", learning_rate=0.1),
    NNFSClassifier(optimizer="rmsprop"),
    NNFSClassifier(optimizer="adam", learning_rate=0.01, decay=1e-4),
]


@parametrize_with_checks(CONFIGURATIONS)
def test_sklearn_compatible_estimator(estimator, check):
    check(estimator)
