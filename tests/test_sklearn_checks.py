"""scikit-learn's estimator checks, in the configurations users reach for."""

from sklearn.utils.estimator_checks import parametrize_with_checks

from sknnfs import NNFSClassifier, NNFSRegressor
from sknnfs.optimizers import NAMED_OPTIMIZERS

CONFIGURATIONS = [
    # each named optimizer with nothing else set; 'adam' is the default, so
    # these include NNFSClassifier() and NNFSRegressor()
    *(NNFSClassifier(optimizer=name) for name in NAMED_OPTIMIZERS),
    *(NNFSRegressor(optimizer=name) for name in NAMED_OPTIMIZERS),
    NNFSClassifier(optimizer="sgd", decay=1e-3),
    NNFSClassifier(optimizer="adam", learning_rate=0.01, decay=1e-4),
    NNFSClassifier(optimizer="rmsprop", momentum=0.9),
    # the book's chapter 14 penalties. Dropout and class weights are tested in
    # test_regularization.py: dropout's random masks cannot make weighted and
    # repeated samples train alike, and partial_fit (which the checks call)
    # refuses class_weight='balanced', as SGDClassifier does.
    NNFSClassifier(weight_l1=1e-4, weight_l2=5e-4, bias_l2=5e-4),
    NNFSRegressor(early_stopping=False),  # every row trained on, as MLPRegressor
    NNFSRegressor(normalize_y=False),  # the target's own units, as the book
    NNFSRegressor(optimizer="sgd", learning_rate=0.01, decay=1e-3),
    NNFSRegressor(optimizer="adam", learning_rate=0.01, decay=1e-4),
    # each loss alone (the default, 'squared_error', is NNFSRegressor() above)
    *(NNFSRegressor(loss=name) for name in ("absolute_error", "huber", "poisson")),
]


@parametrize_with_checks(CONFIGURATIONS)
def test_sklearn_compatible_estimator(estimator, check):
    check(estimator)
