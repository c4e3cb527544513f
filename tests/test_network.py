"""The whole network's gradient against finite differences, and its training step."""

import numpy as np
import pytest

from sknnfs.losses import LinearMeanSquaredError
from sknnfs.network import Network
from sknnfs.optimizers import SGD

from .test_layers import numerical_gradient


def make_network(activation="relu", alpha=0.0, seed=0, output="softmax", **penalties):
    rng = np.random.RandomState(seed)
    sizes = [3, 5, 4, 3]
    coefs = [0.5 * rng.randn(a, b) for a, b in zip(sizes[:-1], sizes[1:])]
    intercepts = [rng.randn(b) * 0.1 for b in sizes[1:]]
    regularizers = [penalties] * len(coefs)
    return Network(coefs, intercepts, activation, output, alpha, regularizers)


def targets(output, rng, n=8):
    if output == "softmax":
        return rng.randint(0, 3, n)
    if output == "logistic":
        return rng.randint(0, 2, (n, 3)).astype(float)
    return rng.randn(n, 3)


@pytest.mark.parametrize("activation", ["relu", "logistic", "tanh", "identity"])
@pytest.mark.parametrize("output", ["softmax", "logistic", "identity"])
@pytest.mark.parametrize("alpha", [0.0, 0.3])
@pytest.mark.parametrize("weighted", [False, True])
def test_network_gradient_matches_finite_differences(
    activation, output, alpha, weighted
):
    network = make_network(activation, alpha, output=output)
    rng = np.random.RandomState(3)
    X, y = rng.randn(8, 3), targets(output, rng)
    sample_weight = rng.rand(8) + 0.1 if weighted else None
    check_gradients(network, X, y, sample_weight)


@pytest.mark.parametrize(
    "penalties",
    [
        {"weight_regularizer_l1": 0.05},
        {"weight_regularizer_l2": 0.05},
        {"bias_regularizer_l1": 0.05},
        {"bias_regularizer_l2": 0.05},
        {
            "weight_regularizer_l1": 0.01,
            "weight_regularizer_l2": 0.02,
            "bias_regularizer_l1": 0.03,
            "bias_regularizer_l2": 0.04,
        },
    ],
)
def test_book_regularizers_gradients_match_finite_differences(penalties):
    network = make_network(**penalties)
    rng = np.random.RandomState(5)
    X, y = rng.randn(8, 3), targets("softmax", rng)
    check_gradients(network, X, y, None)


def test_regularization_loss_is_the_books_sum():
    network = make_network(weight_regularizer_l1=0.1, bias_regularizer_l2=0.2)
    network.forward(np.ones((2, 3)))
    _, penalty = network.loss(np.array([0, 1]))
    expected = sum(
        0.1 * np.abs(d.weights).sum() + 0.2 * (d.biases**2).sum()
        for d in network.dense_layers
    )
    assert penalty == pytest.approx(expected, rel=1e-12)


class GradientRecorder:
    """An optimizer that keeps the gradients it is given and moves nothing."""

    def pre_update_params(self):
        pass

    def update_params(self, params, grads):
        self.grads = [grad.copy() for grad in grads]

    def post_update_params(self):
        pass


def check_gradients(network, X, y, sample_weight):
    """The training step's gradients, the alpha term included, against the loss's."""

    def loss():
        network.forward(X)
        return sum(network.loss(y, sample_weight))

    loss()
    # the book clips probabilities to [1e-7, 1 - 1e-7]; past that the loss is flat
    if not isinstance(network.output_layer, LinearMeanSquaredError):
        output = network.forward(X)
        assert np.all((output > 1e-7) & (output < 1 - 1e-7))
    recorder = GradientRecorder()
    network.train_step(X, y, recorder, sample_weight)
    for param, grad in zip(network.params, recorder.grads):
        np.testing.assert_allclose(
            grad, numerical_gradient(loss, param), rtol=1e-5, atol=1e-8
        )


def test_train_step_reports_the_loss_before_the_update():
    network = make_network()
    X, y = np.random.RandomState(4).randn(10, 3), np.arange(10) % 3
    network.forward(X)
    loss_before = network.loss(y)
    network.backward(y)
    grads = [g.copy() for g in network.grads]  # the step computes in them
    params_before = [p.copy() for p in network.params]
    assert network.train_step(X, y, SGD(learning_rate=0.1)) == loss_before
    network.forward(X)
    assert network.loss(y)[0] < loss_before[0]
    for before, after, grad in zip(params_before, network.params, grads):
        np.testing.assert_allclose(after, before - 0.1 * grad)


def test_an_optimizer_taking_overwrite_may_step_in_the_gradients():
    calls = []

    class Recorder:
        def pre_update_params(self):
            pass

        def update_params(self, params, grads, overwrite=False):
            calls.append(overwrite)

        def post_update_params(self):
            pass

    class Wrapped(SGD):  # a subclass that passes on (params, grads) only
        def update_params(self, params, grads):
            calls.append("wrapped")
            super().update_params(params, grads)

    network = make_network()
    X, y = np.ones((4, 3)), np.array([0, 1, 2, 0])
    network.train_step(X, y, Recorder())
    network.backward(y)
    grads = [g.copy() for g in network.grads]
    network.train_step(X, y, Wrapped(learning_rate=0.1))
    assert calls == [True, "wrapped"]
    for grad, kept in zip(grads, network.grads):  # the gradients as computed
        np.testing.assert_array_equal(grad, kept)


def test_network_trains_its_own_copy_in_one_flat_array():
    rng = np.random.RandomState(0)
    coefs, intercepts = [rng.randn(2, 3), rng.randn(3, 2)], [np.zeros(3), np.zeros(2)]
    originals = [a.copy() for a in coefs + intercepts]
    network = Network(coefs, intercepts)
    network.train_step(np.eye(2), np.array([0, 1]), SGD())
    for original, given in zip(originals, coefs + intercepts):
        np.testing.assert_array_equal(original, given)  # untouched
    assert not np.array_equal(network.coefs[0], coefs[0])
    # weights first, then biases, all views of the flat arrays
    np.testing.assert_array_equal(
        network.flat_params,
        np.concatenate([p.ravel() for p in network.coefs + network.intercepts]),
    )
    assert all(np.shares_memory(p, network.flat_params) for p in network.params)
    assert all(np.shares_memory(g, network.flat_grads) for g in network.grads)


def test_a_non_elementwise_optimizer_gets_the_per_layer_lists():
    seen = []

    class Recorder:
        def pre_update_params(self):
            pass

        def update_params(self, params, grads):
            seen.append([p.shape for p in params])

        def post_update_params(self):
            pass

    network = make_network()
    network.train_step(np.ones((4, 3)), np.array([0, 1, 2, 0]), Recorder())
    network.train_step(np.ones((4, 3)), np.array([0, 1, 2, 0]), SGD())
    assert seen == [[(3, 5), (5,), (5, 4), (4,), (4, 3), (3,)]]


@pytest.mark.parametrize(
    "dtype, dropout, arrays",
    [
        (np.float64, [0.0], 1),  # float64: nothing can be wider, one flat step
        (np.float64, [0.2], 1),  # float64 masks on float64 data
        (np.float32, [0.2], 4),  # float64 bias gradients: array by array
        (np.float32, [0.0], 4),  # the same layout whatever the rates
    ],
)
def test_the_books_precision_steps_array_by_array_only_where_it_can_widen(
    dtype, dropout, arrays
):
    rng = np.random.RandomState(0)
    coefs = [rng.randn(3, 5).astype(dtype), rng.randn(5, 2).astype(dtype)]
    intercepts = [np.zeros(5, dtype), np.zeros(2, dtype)]
    network = Network(
        coefs,
        intercepts,
        dropout=dropout,
        random_state=np.random.RandomState(0),
        book_dropout=True,
    )
    optimizer = SGD(momentum=0.9)
    network.train_step(rng.randn(4, 3).astype(dtype), np.array([0, 1, 1, 0]), optimizer)
    assert len(optimizer._momentums) == arrays
    if dropout[0] and arrays > 1:  # the first bias, under the dropout layer
        assert optimizer._momentums[1].dtype == np.float64


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_a_warm_start_may_switch_dropout_with_the_books_init(dtype):
    from sknnfs import NNFSClassifier

    rng = np.random.RandomState(0)
    X, y = rng.randn(40, 3).astype(dtype), np.arange(40) % 2
    clf = NNFSClassifier(
        (5,), init="nnfs", optimizer="adam", max_iter=2, warm_start=True, random_state=0
    )
    for dropout in (0.0, 0.2, 0.0):
        clf.set_params(dropout=dropout).fit(X, y)
    assert clf.n_iter_ == 6


def test_a_warm_start_that_changes_the_steps_layout_says_to_fit_anew():
    from sknnfs import NNFSClassifier

    rng = np.random.RandomState(0)
    X, y = rng.randn(40, 3).astype(np.float32), np.arange(40) % 2
    clf = NNFSClassifier(
        (5,), init="nnfs", optimizer="adam", max_iter=2, warm_start=True, random_state=0
    )
    clf.fit(X, y)
    clf.set_params(init="glorot")
    with pytest.raises(ValueError, match="changed init between the book's.*Fit anew"):
        clf.fit(X, y)
