"""Each optimizer's exact update on small arrays, computed by hand."""

import numpy as np
import pytest
from sklearn.base import clone

from sknnfs.optimizers import NAMED_OPTIMIZERS, SGD, Adagrad, Adam, RMSprop


def steps(optimizer, params, grads_per_step):
    for grads in grads_per_step:
        optimizer.step(params, grads)
    return params


def test_sgd_plain_update():
    weights, biases = np.array([[1.0, 2.0]]), np.array([0.5])
    SGD(learning_rate=0.1).step(
        [weights, biases], [np.array([[10.0, -20.0]]), np.array([4.0])]
    )
    np.testing.assert_allclose(weights, [[0.0, 4.0]])
    np.testing.assert_allclose(biases, [0.1])


def test_decay_is_the_books_one_over_t_by_step():
    # as the optimizer chapter prints them: 1.0, 0.909..., 0.833..., decay 0.1
    optimizer = SGD(learning_rate=1.0, decay=0.1)
    param = np.zeros(1)
    rates = []
    for _ in range(21):
        optimizer.pre_update_params()
        rates.append(optimizer.current_learning_rate)
        optimizer.update_params([param], [np.ones(1)])
        optimizer.post_update_params()
    assert rates[:3] == [1.0, 1.0 * (1.0 / (1.0 + 0.1)), 1.0 * (1.0 / (1.0 + 0.2))]
    assert rates[1] == 0.9090909090909091 and rates[20] == 0.3333333333333333
    assert optimizer.iterations == 21
    assert param[0] == pytest.approx(-sum(rates))


def test_current_learning_rate_before_any_step_is_the_initial_rate():
    optimizer = SGD(learning_rate=0.5, decay=1e-2)
    assert optimizer.current_learning_rate == 0.5 and optimizer.iterations == 0
    optimizer.set_params(learning_rate=0.25)
    assert optimizer.current_learning_rate == 0.25


def test_sgd_momentum_updates_weights_and_biases_by_their_gradients():
    weights, biases = np.array([1.0]), np.array([3.0])
    grads = [[np.array([2.0]), np.array([-1.0])], [np.array([1.0]), np.array([1.0])]]
    steps(SGD(learning_rate=0.5, momentum=0.9), [weights, biases], grads)
    # v1 = -0.5 * g1; v2 = 0.9 * v1 - 0.5 * g2; param = param0 + v1 + v2
    assert weights[0] == pytest.approx(1.0 + (-1.0) + (0.9 * -1.0 - 0.5))
    assert biases[0] == pytest.approx(3.0 + 0.5 + (0.9 * 0.5 - 0.5))


def test_sgd_momentum_with_decay_uses_each_steps_decayed_rate():
    param = np.array([2.0])
    grads = [np.array([1.0]), np.array([-3.0]), np.array([0.5])]
    steps(
        SGD(learning_rate=0.5, decay=0.5, momentum=0.9), [param], [[g] for g in grads]
    )
    rates = [0.5 * (1.0 / (1.0 + 0.5 * t)) for t in range(3)]  # 0.5, 1/3, 0.25
    v1 = -rates[0] * 1.0
    v2 = 0.9 * v1 - rates[1] * -3.0
    v3 = 0.9 * v2 - rates[2] * 0.5
    np.testing.assert_allclose(param, [2.0 + v1 + v2 + v3], rtol=1e-15)


def test_nesterov_momentum_by_hand():
    param = np.array([1.0])
    grads = [np.array([2.0]), np.array([-1.0])]
    steps(
        SGD(learning_rate=0.1, momentum=0.9, nesterov=True),
        [param],
        [[g] for g in grads],
    )
    v1 = -0.1 * 2.0
    v2 = 0.9 * v1 - 0.1 * -1.0
    # each step moves by momentum * v - lr * grad, with the new velocity v
    expected = 1.0 + (0.9 * v1 - 0.1 * 2.0) + (0.9 * v2 - 0.1 * -1.0)
    np.testing.assert_allclose(param, [expected], rtol=1e-15)


def test_nesterov_is_mlpclassifiers_update_bit_for_bit():
    from sklearn.neural_network._stochastic_optimizers import SGDOptimizer

    rng = np.random.RandomState(0)
    ours_params = [rng.randn(3, 2), rng.randn(2)]
    theirs_params = [p.copy() for p in ours_params]
    ours = SGD(learning_rate=0.05, momentum=0.8, nesterov=True)
    theirs = SGDOptimizer(
        theirs_params, learning_rate_init=0.05, momentum=0.8, nesterov=True
    )
    for _ in range(5):
        grads = [rng.randn(3, 2), rng.randn(2)]
        ours.step(ours_params, grads)
        theirs.update_params(theirs_params, grads)
    for a, b in zip(ours_params, theirs_params):
        np.testing.assert_array_equal(a, b)


def test_momentum_fixes_the_bias_bug_of_a_reading_of_the_chapter():
    """A reading of the chapter's momentum code built the bias update from the biases.

    Its line was ``bias_updates = momentum * bias_momentums -
    current_learning_rate * layer.biases``: the biases, not their gradient
    ``layer.dbiases``. That bug is why momentum "did not help" in that reading
    (tests/test_book_exact.py replays it). Here a zero gradient must leave a
    nonzero bias where it is; that reading's code would have shrunk it.
    """
    biases = np.array([2.0])
    optimizer = SGD(learning_rate=0.5, momentum=0.5)
    steps(optimizer, [biases], [[np.zeros(1)]] * 3)
    assert biases[0] == 2.0


def test_adagrad_update_by_hand():
    param = np.array([1.0, -1.0])
    grads = [[np.array([3.0, 0.5])], [np.array([4.0, 0.5])]]
    steps(Adagrad(learning_rate=0.1, epsilon=1e-7), [param], grads)
    first = 1.0 - 0.1 * 3.0 / (np.sqrt(9.0) + 1e-7)
    expected0 = first - 0.1 * 4.0 / (np.sqrt(9.0 + 16.0) + 1e-7)
    second = -1.0 - 0.1 * 0.5 / (np.sqrt(0.25) + 1e-7)
    expected1 = second - 0.1 * 0.5 / (np.sqrt(0.5) + 1e-7)
    np.testing.assert_allclose(param, [expected0, expected1], rtol=1e-15)


def test_rmsprop_update_by_hand():
    param = np.array([1.0])
    steps(
        RMSprop(learning_rate=0.01, rho=0.8),
        [param],
        [[np.array([2.0])], [np.array([1.0])]],
    )
    cache1 = 0.2 * 4.0
    cache2 = 0.8 * cache1 + 0.2 * 1.0
    expected = (
        1.0
        - 0.01 * 2.0 / (np.sqrt(cache1) + 1e-7)
        - 0.01 * 1.0 / (np.sqrt(cache2) + 1e-7)
    )
    np.testing.assert_allclose(param, [expected], rtol=1e-15)


def test_rmsprop_momentum_rolls_the_scaled_step_by_hand():
    param = np.array([1.0])
    optimizer = RMSprop(learning_rate=0.01, rho=0.8, momentum=0.5)
    steps(optimizer, [param], [[np.array([2.0])], [np.array([1.0])]])
    cache1 = 0.2 * 4.0
    cache2 = 0.8 * cache1 + 0.2 * 1.0
    v1 = -0.01 * 2.0 / (np.sqrt(cache1) + 1e-7)
    v2 = 0.5 * v1 - 0.01 * 1.0 / (np.sqrt(cache2) + 1e-7)
    np.testing.assert_allclose(param, [1.0 + v1 + v2], rtol=1e-15)


def test_rmsprop_without_momentum_is_the_books_rule_bit_for_bit():
    rng = np.random.RandomState(0)
    param, grads = rng.randn(50), [rng.randn(50) for _ in range(5)]
    expected, cache = param.copy(), np.zeros(50)
    for grad in grads:  # the book's update_params, line by line
        cache = 0.9 * cache + (1 - 0.9) * grad**2
        expected += -0.001 * grad / (np.sqrt(cache) + 1e-7)
    optimizer = RMSprop(learning_rate=0.001)
    steps(optimizer, [param], [[g] for g in grads])
    np.testing.assert_array_equal(param, expected)
    assert "_momentums" not in vars(optimizer)


def test_adam_update_by_hand_with_bias_correction():
    param = np.array([0.5])
    optimizer = Adam(learning_rate=0.1, beta_1=0.9, beta_2=0.99)
    steps(optimizer, [param], [[np.array([1.0])], [np.array([-2.0])]])
    m1, c1 = 0.1 * 1.0, 0.01 * 1.0
    step1 = 0.1 * (m1 / (1 - 0.9)) / (np.sqrt(c1 / (1 - 0.99)) + 1e-7)
    m2, c2 = 0.9 * m1 + 0.1 * -2.0, 0.99 * c1 + 0.01 * 4.0
    step2 = 0.1 * (m2 / (1 - 0.9**2)) / (np.sqrt(c2 / (1 - 0.99**2)) + 1e-7)
    np.testing.assert_allclose(param, [0.5 - step1 - step2], rtol=1e-14)
    assert optimizer.iterations == 2


@pytest.mark.parametrize("Optimizer", [SGD, Adagrad, RMSprop, Adam])
def test_decay_applies_to_every_optimizer(Optimizer):
    optimizer = Optimizer(learning_rate=0.2, decay=0.5)
    steps(optimizer, [np.zeros(2)], [[np.ones(2)]] * 3)
    assert optimizer.current_learning_rate == 0.2 * (1.0 / (1.0 + 0.5 * 2))


@pytest.mark.parametrize("Optimizer", [SGD, Adagrad, RMSprop, Adam])
def test_float32_parameters_stay_float32(Optimizer):
    param = np.ones(3, dtype=np.float32)
    steps(
        Optimizer(learning_rate=0.1, decay=0.1), [param], [[np.ones(3, np.float32)]] * 2
    )
    assert param.dtype == np.float32


@pytest.mark.parametrize(
    "Optimizer, learning_rate",
    [(SGD, 0.1), (Adagrad, 0.5), (RMSprop, 0.1), (Adam, 0.1)],
)
def test_optimizers_minimize_a_quadratic_on_plain_arrays(Optimizer, learning_rate):
    point = np.array([3.0, -2.0])
    # with decay, so that RMSprop's sign-like steps settle too
    optimizer = Optimizer(learning_rate=learning_rate, decay=0.01)
    for _ in range(2000):
        optimizer.step([point], [2 * point])  # gradient of |point|^2
    assert np.linalg.norm(point) < 1e-2


def test_clone_gives_fresh_state_and_params_round_trip():
    optimizer = SGD(learning_rate=0.3, decay=0.1, momentum=0.5)
    steps(optimizer, [np.zeros(1)], [[np.ones(1)]])
    fresh = clone(optimizer)
    assert fresh.get_params() == {
        "learning_rate": 0.3,
        "decay": 0.1,
        "momentum": 0.5,
        "nesterov": False,
    }
    assert fresh.iterations == 0 and fresh.current_learning_rate == 0.3
    assert optimizer.iterations == 1


@pytest.mark.parametrize(
    "optimizer, message",
    [
        (SGD(momentum=1.0), "momentum"),
        (SGD(learning_rate=-1.0), "learning_rate"),
        (Adam(beta_2=1.5), "beta_2"),
        (RMSprop(rho=-0.1), "rho"),
        (Adagrad(epsilon=0.0), "epsilon"),
    ],
)
def test_invalid_hyperparameters_are_named(optimizer, message):
    with pytest.raises(ValueError, match=message):
        optimizer._validate_params()


# -- the named optimizers ------------------------------------------------------


def test_the_registry_keeps_the_books_rates_apart_from_the_defaults():
    book = {name: named.book_learning_rate for name, named in NAMED_OPTIMIZERS.items()}
    assert book == {
        "sgd": 1.0,
        "sgd-momentum": 1.0,
        "adagrad": 1.0,
        "rmsprop": 0.001,
        "adam": 0.001,
    }
    defaults = {name: named.learning_rate for name, named in NAMED_OPTIMIZERS.items()}
    assert defaults == {
        "sgd": 0.1,
        "sgd-momentum": 0.01,
        "adagrad": 0.01,
        "rmsprop": 0.001,
        "adam": 0.001,
    }


@pytest.mark.parametrize(
    "name, expected",
    [
        ("sgd", SGD(learning_rate=0.1, momentum=0.0)),
        ("sgd-momentum", SGD(learning_rate=0.01, momentum=0.9)),
        ("adagrad", Adagrad(learning_rate=0.01)),
        ("rmsprop", RMSprop(learning_rate=0.001, momentum=0.0)),
        ("adam", Adam(learning_rate=0.001, beta_1=0.9)),
    ],
)
def test_a_name_builds_its_class_with_its_defaults(name, expected):
    built = NAMED_OPTIMIZERS[name].build()
    assert type(built) is type(expected)
    assert built.get_params() == expected.get_params()


def test_build_passes_the_settings_and_maps_adams_momentum_to_beta_1():
    sgd = NAMED_OPTIMIZERS["sgd-momentum"].build(0.5, 1e-3, momentum=0.5)
    assert sgd.get_params() == {
        "learning_rate": 0.5,
        "decay": 1e-3,
        "momentum": 0.5,
        "nesterov": False,
    }
    adam = NAMED_OPTIMIZERS["adam"].build(momentum=0.3, beta_1=0.9, beta_2=0.99)
    assert (adam.beta_1, adam.beta_2) == (0.3, 0.99)
    adam = NAMED_OPTIMIZERS["adam"].build(momentum=None, beta_1=0.8)
    assert adam.beta_1 == 0.8


def test_every_optimizer_uses_learning_rate_and_decay_and_only_its_settings():
    for named in NAMED_OPTIMIZERS.values():
        assert named.uses("learning_rate") and named.uses("decay")
        parameters = set(named.rule().get_params())
        for setting in named.settings:  # each reaches the class
            assert (named.momentum_is if setting == "momentum" else setting) in (
                parameters
            )
    assert not NAMED_OPTIMIZERS["adagrad"].uses("momentum")
    assert not NAMED_OPTIMIZERS["sgd"].uses("epsilon")


def test_a_changed_rate_or_decay_takes_effect_at_the_next_step():
    """Turning decay off, or lowering the rate, is never hidden by a stale rate."""
    optimizer, param = SGD(learning_rate=1.0, decay=0.5), np.zeros(1)
    steps(optimizer, [param], [[np.ones(1)]] * 3)
    assert optimizer.current_learning_rate == 1.0 * (1.0 / (1.0 + 0.5 * 2))
    optimizer.set_params(decay=0.0, learning_rate=0.05)
    assert optimizer.next_learning_rate == 0.05
    steps(optimizer, [param], [[np.ones(1)]])
    assert optimizer.current_learning_rate == 0.05


# -- steps computed in place ---------------------------------------------------


def reference_step(name, param, grad, state, lr, t):
    """The rules as the book writes them, with numpy's temporaries; ``state`` a dict."""
    if name == "sgd":
        param -= lr * grad
    elif name in ("sgd-momentum", "nesterov"):
        v = state.setdefault("v", np.zeros_like(param))
        v *= 0.9
        v -= lr * grad
        param += (0.9 * v - lr * grad) if name == "nesterov" else v
    elif name == "adagrad":
        cache = state.setdefault("c", np.zeros_like(param))
        cache += grad**2
        param -= lr * grad / (np.sqrt(cache) + 1e-7)
    elif name == "rmsprop":
        cache = state.setdefault("c", np.zeros_like(param))
        cache *= 0.9
        cache += (1 - 0.9) * grad**2
        param -= lr * grad / (np.sqrt(cache) + 1e-7)
    else:  # adam
        m = state.setdefault("m", np.zeros_like(param))
        c = state.setdefault("c", np.zeros_like(param))
        m *= 0.9
        m += (1 - 0.9) * grad
        c *= 0.999
        c += (1 - 0.999) * grad**2
        param -= (
            lr
            * (m / (1 - 0.9 ** (t + 1)))
            / (np.sqrt(c / (1 - 0.999 ** (t + 1))) + 1e-7)
        )


IN_PLACE = {
    "sgd": SGD(learning_rate=0.1),
    "sgd-momentum": SGD(learning_rate=0.1, momentum=0.9),
    "nesterov": SGD(learning_rate=0.1, momentum=0.9, nesterov=True),
    "adagrad": Adagrad(learning_rate=0.1),
    "rmsprop": RMSprop(learning_rate=0.1),
    "adam": Adam(learning_rate=0.1),
}


@pytest.mark.parametrize("name", IN_PLACE)
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_in_place_steps_are_the_books_expressions_bit_for_bit(name, dtype):
    # several arrays of different shapes in each step (each with its own
    # scratch), a float64 gradient among them, and a decaying rate
    rng = np.random.RandomState(0)
    shapes = [(30, 20), (20,), (20, 3), (3,)]
    params = [rng.randn(*shape).astype(dtype) for shape in shapes]
    expected = [p.copy() for p in params]
    states = [{} for _ in params]
    optimizer = clone(IN_PLACE[name]).set_params(decay=0.1)
    for t in range(4):
        grads = [rng.randn(*shape).astype(dtype) for shape in shapes]
        grads[1] = grads[1].astype(np.float64)
        rate = 0.1 * (1.0 / (1.0 + 0.1 * t))
        for i, (param, grad) in enumerate(zip(expected, grads)):
            wide = param.astype(np.result_type(param, grad))
            reference_step(name, wide, grad, states[i], rate, t)
            param[...] = wide
        optimizer.step(params, grads)
    for param, reference in zip(params, expected):
        assert param.dtype == dtype
        np.testing.assert_array_equal(param, reference)


@pytest.mark.parametrize("name", IN_PLACE)
def test_a_float64_gradient_of_a_float32_parameter_steps_in_float64(name):
    # the book's bias gradients under its float64 dropout masks
    rng = np.random.RandomState(1)
    param = rng.randn(50).astype(np.float32)
    grads = [rng.randn(50) for _ in range(3)]
    expected, state = param.copy(), {}
    optimizer = clone(IN_PLACE[name])
    for t, grad in enumerate(grads):
        wide = expected.astype(np.float64)  # numpy's promotion, by hand
        reference_step(name, wide, grad, state, 0.1, t)
        expected = wide.astype(np.float32)
        optimizer.step([param], [grad])
    states = [v for v in vars(optimizer).values() if isinstance(v, list)]
    assert all(array.dtype == np.float64 for state in states for array in state)
    np.testing.assert_array_equal(param, expected)


@pytest.mark.parametrize("name", IN_PLACE)
def test_numpy_scalar_settings_step_as_python_floats(name):
    # a grid of np.logspace rates gives numpy scalars: float32 stays float32
    rng = np.random.RandomState(2)
    param, grad = rng.randn(100).astype(np.float32), rng.randn(100).astype(np.float32)
    optimizer = clone(IN_PLACE[name]).set_params(decay=0.01)
    as_numpy = clone(optimizer).set_params(
        **{
            setting: np.float64(value)
            for setting, value in optimizer.get_params().items()
            if isinstance(value, float)
        }
    )
    expected = param.copy()
    for _ in range(2):
        optimizer.step([expected], [grad])
        as_numpy.step([param], [grad])
    np.testing.assert_array_equal(param, expected)


@pytest.mark.parametrize("name", IN_PLACE)
def test_a_step_allocates_no_array_of_the_parameters_size(name):
    import tracemalloc

    param, grad = np.ones(100_000), np.full(100_000, 0.5)
    optimizer = clone(IN_PLACE[name])
    optimizer.step([param], [grad])  # the first step makes the state and scratch
    tracemalloc.start()
    try:
        optimizer.step([param], [grad])
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < param.nbytes / 10


@pytest.mark.parametrize("name", IN_PLACE)
def test_copies_and_pickles_leave_the_scratch_arrays_out(name):
    import copy
    import pickle

    optimizer = clone(IN_PLACE[name])
    param = np.ones(10_000)
    optimizer.step([param], [np.ones(10_000)])
    state_arrays = sum(
        a.nbytes for v in vars(optimizer).values() if isinstance(v, list) for a in v
    )
    for twin_of in (copy.deepcopy, lambda o: pickle.loads(pickle.dumps(o))):
        twin = twin_of(optimizer)
        assert "_step_buffers" not in vars(twin)
        assert "_step_buffers" in vars(optimizer)  # the original keeps its own
        assert len(pickle.dumps(twin)) < state_arrays + 2000
        twin_param = param.copy()
        twin.step([twin_param], [np.ones(10_000)])  # and steps as the original
        optimizer.step([param], [np.ones(10_000)])
        np.testing.assert_array_equal(twin_param, param)
        param[...] = twin_param


@pytest.mark.parametrize("name", IN_PLACE)
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_steps_computed_in_the_gradients_are_the_same_bit_for_bit(name, dtype):
    # overwrite=True, as the network steps: the same parameters, the given
    # gradients changed; without it the gradients are left as they were
    rng = np.random.RandomState(3)
    shapes = [(30, 20), (20,), (20, 3)]
    params = [rng.randn(*shape).astype(dtype) for shape in shapes]
    stepped_in_grads = [p.copy() for p in params]
    optimizer = clone(IN_PLACE[name]).set_params(decay=0.1)
    in_place = clone(optimizer)
    for _ in range(4):
        grads = [rng.randn(*shape).astype(dtype) for shape in shapes]
        grads[1] = grads[1].astype(np.float64)  # a wider gradient, as the book's
        given, untouched = [g.copy() for g in grads], [g.copy() for g in grads]
        optimizer.pre_update_params()  # the decayed rate, Adam's step count
        optimizer.update_params(params, grads)
        optimizer.post_update_params()
        in_place.pre_update_params()
        in_place.update_params(stepped_in_grads, given, overwrite=True)
        in_place.post_update_params()
        for grad, before in zip(grads, untouched):
            np.testing.assert_array_equal(grad, before)
    for param, other in zip(params, stepped_in_grads):
        np.testing.assert_array_equal(param, other)


@pytest.mark.parametrize("name", IN_PLACE)
def test_a_step_in_the_gradients_keeps_one_array_of_their_size_fewer(name):
    import tracemalloc

    def first_step_memory(overwrite):
        param, grad = np.ones(100_000), np.full(100_000, 0.5)
        optimizer = clone(IN_PLACE[name])
        tracemalloc.start()
        try:
            optimizer.update_params([param], [grad], overwrite=overwrite)
            return tracemalloc.get_traced_memory()[0]  # kept: state and scratch
        finally:
            tracemalloc.stop()

    # an array of 100,000 float64 is 800,000 bytes; the rest is tracemalloc's
    # count of small objects, which moves by a few hundred bytes
    assert first_step_memory(False) - first_step_memory(True) > 0.9 * 800_000
