"""Every layer's backward pass against central finite differences, in float64."""

import numpy as np
import pytest
from scipy import sparse

from sknnfs.layers import ACTIVATIONS, Dense, Dropout, ReLU


def numerical_gradient(f, x, eps=1e-6):
    """d f / d x by central differences; f returns a scalar, x is changed in place."""
    grad = np.zeros_like(x)
    for index in np.ndindex(x.shape):
        saved = x[index]
        x[index] = saved + eps
        upper = f()
        x[index] = saved - eps
        lower = f()
        x[index] = saved
        grad[index] = (upper - lower) / (2 * eps)
    return grad


@pytest.fixture
def rng():
    return np.random.RandomState(0)


def test_dense_backward_matches_finite_differences(rng):
    inputs = rng.randn(5, 4)
    dense = Dense(rng.randn(4, 3), rng.randn(3))
    # a random linear function of the output makes every gradient entry count
    dvalues = rng.randn(5, 3)

    def loss():
        dense.forward(inputs)
        return np.sum(dense.output * dvalues)

    loss()
    dense.backward(dvalues)
    np.testing.assert_allclose(
        dense.dweights, numerical_gradient(loss, dense.weights), rtol=1e-6
    )
    np.testing.assert_allclose(
        dense.dbiases, numerical_gradient(loss, dense.biases), rtol=1e-6
    )
    np.testing.assert_allclose(
        dense.dinputs, numerical_gradient(loss, inputs), rtol=1e-6
    )


def test_dense_accepts_sparse_inputs(rng):
    inputs = rng.randn(6, 4) * (rng.rand(6, 4) > 0.5)
    dense, sparse_dense = Dense(rng.randn(4, 2), rng.randn(2)), None
    sparse_dense = Dense(dense.weights, dense.biases)
    dvalues = rng.randn(6, 2)
    dense.forward(inputs)
    dense.backward(dvalues)
    sparse_dense.forward(sparse.csr_matrix(inputs))
    sparse_dense.backward(dvalues)
    np.testing.assert_allclose(sparse_dense.output, dense.output)
    np.testing.assert_allclose(sparse_dense.dweights, dense.dweights)


def test_dense_can_skip_dinputs(rng):
    dense = Dense(rng.randn(3, 2), np.zeros(2))
    dense.forward(rng.randn(4, 3))
    dense.backward(rng.randn(4, 2), need_dinputs=False)
    assert not hasattr(dense, "dinputs")


@pytest.mark.parametrize("name", sorted(ACTIVATIONS))
def test_activation_backward_matches_finite_differences(name, rng):
    activation = ACTIVATIONS[name]()
    # keep inputs away from ReLU's kink, where the derivative is undefined
    inputs = rng.randn(4, 5)
    inputs[np.abs(inputs) < 1e-3] = 0.5
    dvalues = rng.randn(4, 5)

    def loss():
        activation.forward(inputs)
        return np.sum(activation.output * dvalues)

    loss()
    activation.backward(dvalues)
    np.testing.assert_allclose(
        activation.dinputs, numerical_gradient(loss, inputs), rtol=1e-6, atol=1e-9
    )


def test_relu_gradient_is_zero_at_and_below_zero():
    relu = ReLU()
    relu.forward(np.array([[-1.0, 0.0, 1.0]]))
    relu.backward(np.array([[3.0, 3.0, 3.0]]))
    np.testing.assert_array_equal(relu.dinputs, [[0.0, 0.0, 3.0]])


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_relu_output_is_the_books_maximum_bit_for_bit(dtype, rng):
    # the book's np.maximum(0, inputs), signed zeros, nan and infinities included,
    # through several batch shapes in turn (the layer keeps a buffer per shape)
    special = [0.0, -0.0, np.nan, -np.nan, np.inf, -np.inf, 1e-45, -1e-45]
    relu = ReLU()
    for rows, columns in [(300, 64), (7, 3), (300, 64), (33, 129)]:
        inputs = rng.randn(rows, columns).astype(dtype)
        inputs.flat[: len(special)] = special
        inputs.flat[-len(special) :] = special
        relu.forward(inputs)
        expected = np.maximum(0, inputs)
        assert relu.output.dtype == dtype
        np.testing.assert_array_equal(
            relu.output.view(f"u{inputs.itemsize}"),
            expected.view(f"u{inputs.itemsize}"),
        )


def bits(array):
    return array.view(f"u{array.itemsize}")


SPECIAL = [0.0, -0.0, np.nan, np.inf, -np.inf, 1e-45, -1e-45, 30.0, -30.0]


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("name", sorted(ACTIVATIONS))
def test_activations_computed_in_the_given_arrays_are_the_same_bits(name, dtype, rng):
    # a network passes arrays it owns: overwrite=True computes in them
    inputs = rng.randn(6, 5).astype(dtype)
    inputs.flat[: len(SPECIAL)] = SPECIAL
    dvalues = rng.randn(6, 5).astype(dtype)
    apart, within = ACTIVATIONS[name](), ACTIVATIONS[name]()
    with np.errstate(invalid="ignore"):
        apart.forward(inputs.copy())
        apart.backward(dvalues.copy())
        given_inputs, given_dvalues = inputs.copy(), dvalues.copy()
        within.forward(given_inputs, overwrite=True)
        within.backward(given_dvalues, overwrite=True)
    assert within.output is given_inputs and within.dinputs is given_dvalues
    np.testing.assert_array_equal(bits(within.output), bits(apart.output))
    np.testing.assert_array_equal(bits(within.dinputs), bits(apart.dinputs))


@pytest.mark.parametrize("book_precision", [False, True])
def test_dropout_computes_in_the_given_array_when_its_precision_allows(
    book_precision, rng
):
    dvalues = rng.randn(4, 5).astype(np.float32)
    dropout = Dropout(0.5, np.random.RandomState(0), book_precision)
    dropout.forward(np.ones((4, 5), np.float32))
    expected = dvalues * dropout.binary_mask
    given = dvalues.copy()
    dropout.backward(given, overwrite=True)
    # a float64 mask widens the gradient: a new array, the book's float64
    assert (dropout.dinputs is given) is not book_precision
    assert dropout.dinputs.dtype == expected.dtype
    np.testing.assert_array_equal(dropout.dinputs, expected)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize(
    "rows, columns", [(1, 3), (7, 2), (300, 64), (300, 3), (8193, 10), (500, 1)]
)
def test_dense_bias_gradient_is_numpys_column_sum_bit_for_bit(rows, columns, dtype):
    # the book's np.sum(dvalues, axis=0, keepdims=True), whichever loop sums it
    rng = np.random.RandomState(rows + columns)
    scales = 10.0 ** rng.randint(-4, 5, size=(rows, 1))
    dvalues = (rng.randn(rows, columns) * scales).astype(dtype)
    dense = Dense(np.zeros((2, columns), dtype), np.zeros(columns, dtype))
    dense.forward(np.ones((rows, 2), dtype))
    dense.backward(dvalues)
    expected = np.sum(dvalues, axis=0, keepdims=True)[0]
    np.testing.assert_array_equal(bits(dense.dbiases), bits(expected))
    other_layout = np.asfortranarray(dvalues)  # summed by numpy itself
    dense.backward(other_layout)
    expected = np.sum(other_layout, axis=0, keepdims=True)[0]
    np.testing.assert_array_equal(bits(dense.dbiases), bits(expected))


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("columns", [1, 2, 3, 4, 64])
def test_dense_output_is_the_books_bit_for_bit(columns, dtype):
    # np.dot(inputs, weights) + biases, whichever loop adds the biases
    rng = np.random.RandomState(columns)
    inputs = rng.randn(300, 5).astype(dtype)
    weights, biases = (rng.randn(5, columns) * 3).astype(dtype), rng.randn(columns)
    dense = Dense(weights, biases.astype(dtype))
    dense.forward(inputs)
    expected = np.dot(inputs, weights) + biases.astype(dtype)
    np.testing.assert_array_equal(bits(dense.output), bits(expected))


def test_logistic_stays_finite_for_huge_inputs():
    logistic = ACTIVATIONS["logistic"]()
    logistic.forward(np.array([[-1e4, 0.0, 1e4]]))
    np.testing.assert_array_equal(logistic.output, [[0.0, 0.5, 1.0]])


@pytest.mark.parametrize("book_precision", [False, True])
def test_dropout_mask_is_the_books_draw_in_its_precision(book_precision):
    inputs = np.ones((4, 5), dtype=np.float32)
    dropout = Dropout(0.1, np.random.RandomState(0), book_precision)
    dropout.forward(inputs)
    book = np.random.RandomState(0).binomial(1, 0.9, size=(4, 5)) / 0.9
    if book_precision:  # the book's float64 mask, and float64 outputs
        assert dropout.output.dtype == np.float64
        np.testing.assert_array_equal(dropout.output, inputs * book)
    else:  # float32 data stays float32
        assert dropout.output.dtype == np.float32
        np.testing.assert_array_equal(dropout.output, book.astype(np.float32))


def test_dense_keeps_a_wider_bias_gradient_as_the_books_np_sum(rng):
    dense = Dense(
        rng.standard_normal((3, 2)).astype(np.float32),
        np.ones(2, np.float32),
        bias_regularizer_l2=0.5,
    )
    dense.forward(rng.standard_normal((6, 3)).astype(np.float32))
    dvalues = rng.standard_normal((6, 2))  # float64, from a book dropout above
    dense.backward(dvalues)
    expected = np.sum(dvalues, axis=0) + 2 * 0.5 * dense.biases
    assert dense.wide_dbiases.dtype == np.float64
    np.testing.assert_array_equal(dense.wide_dbiases, expected)
    dense.backward(dvalues.astype(np.float32))  # same dtype: none
    assert dense.wide_dbiases is None
