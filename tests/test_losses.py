"""The output layers and their losses against finite differences and by hand."""

import numpy as np
import pytest
from sklearn.metrics import mean_poisson_deviance

from sknnfs.losses import (
    ExpPoissonDeviance,
    LinearHuber,
    LinearMeanAbsoluteError,
    LinearMeanSquaredError,
    SigmoidBinaryCrossentropy,
    SoftmaxCategoricalCrossentropy,
)

from .test_layers import numerical_gradient


@pytest.mark.parametrize("weighted", [False, True])
def test_backward_matches_finite_differences(weighted):
    rng = np.random.RandomState(1)
    logits = rng.randn(6, 4)
    y = np.array([0, 1, 2, 3, 1, 0])
    sample_weight = rng.rand(6) + 0.5 if weighted else None
    head = SoftmaxCategoricalCrossentropy()

    def loss():
        head.forward(logits)
        return head.calculate(y, sample_weight)

    loss()
    head.backward(y, sample_weight)
    np.testing.assert_allclose(
        head.dinputs, numerical_gradient(loss, logits), rtol=1e-6
    )


def test_loss_by_hand():
    head = SoftmaxCategoricalCrossentropy()
    head.forward(np.log(np.array([[0.7, 0.1, 0.2], [0.5, 0.1, 0.4]])))
    np.testing.assert_allclose(head.output, [[0.7, 0.1, 0.2], [0.5, 0.1, 0.4]])
    assert head.calculate(np.array([0, 2])) == pytest.approx(
        -(np.log(0.7) + np.log(0.4)) / 2
    )
    weighted = head.calculate(np.array([0, 2]), np.array([3.0, 1.0]))
    assert weighted == pytest.approx(-(3 * np.log(0.7) + np.log(0.4)) / 4)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_the_mean_loss_is_np_means_bit_for_bit(dtype):
    # the book's np.mean(-log(clipped)): in the dtype of the data, on numpy 1 too
    rng = np.random.RandomState(5)
    logits, y = rng.randn(11, 4).astype(dtype), rng.randint(0, 4, 11)
    head = SoftmaxCategoricalCrossentropy()
    probabilities = head.forward(logits).copy()
    correct = np.clip(probabilities[np.arange(11), y], 1e-7, 1 - 1e-7)
    expected = np.mean(-np.log(correct))
    loss = head.calculate(y)
    assert loss == expected and loss.dtype == expected.dtype == dtype


def test_unit_weights_are_bit_identical_to_no_weights():
    rng = np.random.RandomState(2)
    logits, y = rng.randn(7, 3).astype(np.float32), rng.randint(0, 3, 7)
    plain, weighted = SoftmaxCategoricalCrossentropy(), SoftmaxCategoricalCrossentropy()
    plain.forward(logits)
    weighted.forward(logits)
    ones = np.ones(7, dtype=np.float32)
    assert plain.calculate(y) == weighted.calculate(y, ones)
    plain.backward(y)
    weighted.backward(y, ones)
    np.testing.assert_array_equal(plain.dinputs, weighted.dinputs)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_extreme_logits_stay_finite(dtype):
    head = SoftmaxCategoricalCrossentropy()
    probabilities = head.forward(
        np.array([[1e4, -1e4, 0.0], [-1e4, -1e4, -1e4]], dtype=dtype)
    )
    assert probabilities.dtype == dtype
    np.testing.assert_allclose(probabilities.sum(axis=1), 1, rtol=1e-6)
    loss = head.calculate(np.array([1, 0]))
    # the book's clipping bounds the loss by -log(1e-7)
    assert np.isfinite(loss) and loss <= -np.log(1e-7) + 1e-3


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_an_underflowed_true_class_probability_is_clipped_to_1e_7(dtype):
    """The book clips probabilities to [1e-7, 1 - 1e-7] before the log."""
    floor = -np.log(np.clip(np.array(0.0, dtype), 1e-7, 1 - 1e-7))  # in the dtype
    softmax = SoftmaxCategoricalCrossentropy()
    softmax.forward(np.array([[-1e4, 0.0], [0.0, 0.0]], dtype=dtype))
    assert softmax.output[0, 0] == 0  # underflowed
    per_sample = [floor, -np.log(np.array(0.5, dtype))]
    assert softmax.calculate(np.array([0, 0])) == np.mean(per_sample, dtype=dtype)
    assert float(floor) == pytest.approx(16.118095650958, rel=1e-6)
    sigmoid = SigmoidBinaryCrossentropy()
    sigmoid.forward(np.array([[-1e4], [1e4]], dtype=dtype))  # outputs 0 and 1
    assert sigmoid.output[0, 0] == 0 and sigmoid.output[1, 0] == 1
    # a true label of probability 0 costs the floor; one of probability 1 costs
    # -log(1 - (1 - 1e-7)), 1e-7 rounded in the dtype (about 15.94 in float32)
    top = np.array(1 - 1e-7, dtype)
    expected = (float(floor) - float(np.log(np.array(1, dtype) - top))) / 2
    loss = sigmoid.calculate(np.array([[1.0], [0.0]], dtype=dtype))
    assert loss == pytest.approx(expected, rel=1e-6 if dtype == np.float32 else 1e-12)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("n_classes", [2, 3, 7, 8, 10, 11, 16, 17])
@pytest.mark.parametrize("n_samples", [5, 32, 47, 48, 119, 120, 191, 192, 300, 2000])
def test_softmax_is_numpys_bit_for_bit(dtype, n_classes, n_samples):
    # The row max (up to 16 classes) and the row sum (up to 7) are taken
    # column by column on enough rows (faster); the probabilities must be the
    # bits numpy's reductions give.
    rng = np.random.RandomState(n_classes)
    logits = (rng.randn(n_samples, n_classes) * 30).astype(dtype)
    logits[0, -1] = np.inf  # non-finite rows propagate as in numpy
    logits[1, 0] = np.nan
    with np.errstate(invalid="ignore"):
        shifted = logits - np.max(logits, axis=1, keepdims=True)
        expected = np.exp(shifted) / np.sum(np.exp(shifted), axis=1, keepdims=True)
        probabilities = SoftmaxCategoricalCrossentropy().forward(logits)
    assert probabilities.dtype == dtype
    np.testing.assert_array_equal(probabilities, expected)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("shape", [(1, 2), (32, 3), (300, 3), (256, 10)])
def test_backward_is_the_books_bit_for_bit(dtype, shape):
    rng = np.random.RandomState(shape[0])
    head = SoftmaxCategoricalCrossentropy()
    output = head.forward((rng.randn(*shape) * 5).astype(dtype))
    y = rng.randint(0, shape[1], shape[0])
    head.backward(y)
    # the book's backward: copy, subtract 1 at the true classes, divide
    expected = output.copy()
    expected[range(shape[0]), y] -= 1
    expected = expected / shape[0]
    assert head.dinputs.dtype == dtype
    np.testing.assert_array_equal(head.dinputs, expected)
    np.testing.assert_array_equal(np.signbit(head.dinputs), np.signbit(expected))


# -- the regression losses ----------------------------------------------------


def _regression_heads():
    return {
        "squared_error": LinearMeanSquaredError(),
        "absolute_error": LinearMeanAbsoluteError(),
        "huber": LinearHuber(delta=0.7),
        "poisson": ExpPoissonDeviance(),
    }


@pytest.mark.parametrize("name", list(_regression_heads()))
@pytest.mark.parametrize("weighted", [False, True])
@pytest.mark.parametrize("n_outputs", [1, 3])
def test_regression_backward_matches_finite_differences(name, weighted, n_outputs):
    rng = np.random.RandomState(3)
    inputs = rng.randn(8, n_outputs)
    # residuals away from the kinks of |r| and of Huber's |r| = delta, where
    # finite differences straddle two slopes
    y = inputs + rng.choice([-1.5, -0.3, 0.3, 1.5], size=inputs.shape)
    if name == "poisson":
        y = rng.poisson(2.0, size=inputs.shape).astype(float)
    sample_weight = rng.rand(8) + 0.5 if weighted else None
    head = _regression_heads()[name]

    def loss():
        head.forward(inputs)
        return head.calculate(y, sample_weight)

    loss()
    head.backward(y, sample_weight)
    np.testing.assert_allclose(
        head.dinputs, numerical_gradient(loss, inputs), rtol=1e-6, atol=1e-10
    )


def test_absolute_error_is_the_books_loss_and_descends_where_its_code_climbs():
    rng = np.random.RandomState(4)
    output, y = rng.randn(6, 2), rng.randn(6, 2)
    head = LinearMeanAbsoluteError()
    head.forward(output)
    assert head.calculate(y) == pytest.approx(np.mean(np.abs(y - output)))
    head.backward(y)
    # the book's Loss_MeanAbsoluteError.backward, as printed, and its loss
    books = np.sign(y - output) / 2 / 6
    np.testing.assert_array_equal(head.dinputs, -books)
    for gradient, climbs in ((head.dinputs, False), (books, True)):
        head.forward(output - 0.01 * gradient)
        assert (head.calculate(y) > np.mean(np.abs(y - output))) == climbs


def test_huber_by_hand_and_its_two_limits():
    head = LinearHuber(delta=2.0)
    head.forward(np.array([[0.0], [0.0], [0.0]]))
    y = np.array([[1.0], [-2.0], [5.0]])
    # 1/2, 2**2/2 on the boundary, and 2 * (5 - 1) beyond it
    assert head.calculate(y) == pytest.approx((0.5 + 2.0 + 8.0) / 3)
    assert head.calculate(y, np.array([1.0, 0.0, 3.0])) == pytest.approx(
        (0.5 + 24.0) / 4
    )
    output = np.random.RandomState(5).randn(5, 2)
    target = output + np.random.RandomState(6).randn(5, 2)
    huge, tiny = LinearHuber(delta=1e6), LinearHuber(delta=1e-9)
    squared, absolute = LinearMeanSquaredError(), LinearMeanAbsoluteError()
    for head in (huge, tiny, squared, absolute):
        head.forward(output)
    assert huge.calculate(target) == pytest.approx(squared.calculate(target) / 2)
    assert tiny.calculate(target) / 1e-9 == pytest.approx(absolute.calculate(target))


@pytest.mark.parametrize("weighted", [False, True])
def test_poisson_is_half_scikit_learns_mean_poisson_deviance(weighted):
    rng = np.random.RandomState(7)
    inputs = rng.randn(40, 1)
    y = rng.poisson(np.exp(inputs)).astype(float)  # zeros included
    assert np.any(y == 0)
    sample_weight = rng.rand(40) + 0.1 if weighted else None
    head = ExpPoissonDeviance()
    np.testing.assert_array_equal(head.forward(inputs), np.exp(inputs))
    expected = mean_poisson_deviance(y, np.exp(inputs), sample_weight=sample_weight)
    assert head.calculate(y, sample_weight) == pytest.approx(expected / 2, rel=1e-12)
    # the held-out loss is computed from predictions set from outside
    outside = ExpPoissonDeviance()
    outside.output = np.exp(inputs)
    assert outside.calculate(y, sample_weight) == pytest.approx(expected / 2, rel=1e-12)


def test_poisson_stays_finite_where_its_prediction_underflows():
    head = ExpPoissonDeviance()
    head.forward(np.array([[-800.0], [-800.0]]))
    assert head.output[0, 0] == 0.0
    # y * log(y / mu) would be infinite; from log(mu) = -800 it is 800 * y
    loss = head.calculate(np.array([[1.0], [0.0]]))
    assert np.isfinite(loss) and loss == pytest.approx((800.0 - 1.0) / 2)
