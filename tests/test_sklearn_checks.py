"""scikit-learn's estimator checks, in the configurations users reach for."""

from sklearn.utils.estimator_checks import parametrize_with_checks

from sknnfs import NNFSClassifier, NNFSRegressor

CONFIGURATIONS = [
    NNFSClassifier(),
    NNFSClassifier(optimizer="sgd", decay=1e-3),
    NNFSClassifier(optimizer="sgd-momentum", learning_rate=0.1),
    NNFSClassifier(optimizer="adagrad", learning_rate=0.1),
    NNFSClassifier(optimizer="rmsprop"),
    NNFSClassifier(optimizer="adam", learning_rate=0.01, decay=1e-4),
    # the book's chapter 14 penalties. Dropout and class weights are tested in
    # test_regularization.py: dropout's random masks cannot make weighted and
    # repeated samples train alike, and partial_fit (which the checks call)
    # refuses class_weight='balanced', as SGDClassifier does.
    NNFSClassifier(weight_l1=1e-4, weight_l2=5e-4, bias_l2=5e-4),
    NNFSRegressor(),  # early stopping on, holding out distinct samples
    NNFSRegressor(early_stopping=False),  # every row trained on, as MLPRegressor
    NNFSRegressor(optimizer="sgd", learning_rate=0.01, decay=1e-3),
    NNFSRegressor(optimizer="sgd-momentum", learning_rate=0.001),
    NNFSRegressor(optimizer="adagrad", learning_rate=0.1),
    NNFSRegressor(optimizer="rmsprop"),
    NNFSRegressor(optimizer="adam", learning_rate=0.01, decay=1e-4),
]


@parametrize_with_checks(CONFIGURATIONS)
def test_sklearn_compatible_estimator(estimator, check):
    check(estimator)
