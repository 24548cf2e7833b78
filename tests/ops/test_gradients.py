"""Every operation's derivative, in both modes, against central finite differences.

One parametrized test walks the element-wise op registry (``teachgrad.ops.REGISTRY``); Hypothesis
picks the shapes (broadcasting ones included) and a seed for the values. Each op's inputs are drawn
inside its domain and away from its kinks, where finite differences mean nothing. The structural ops
(matmul, reductions, reshapes, indexing, concat, cast, conv2d, softmax, relu) follow, with shapes
chosen by hand to reach every branch of their rules.

For each function ``f`` and inputs ``xs`` the same four checks run (``check_both_modes``, the four
modes of :func:`teachgrad.testing.check_grads`):

* ``tg.gradients(f(xs), xs, grad_ys=g)``  == finite differences of ``Σ g·f``  (reverse, TF style)
* ``tg.vjp(f, *xs)[1](g)``                == the same                       (reverse, JAX style)
* ``tg.grad(f, argnums=all)(*xs)``        == finite differences of ``Σ f``  (output summed)
* ``tg.jvp(f, xs, ts)[1]``                == ``(f(xs + h·ts) − f(xs − h·ts)) / 2h``  (forward)
"""

import zlib

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import array_shapes, mutually_broadcastable_shapes

import teachgrad as tg
from teachgrad.ops import REGISTRY
from teachgrad.testing import check_grads, numerical_jvp

RTOL, ATOL = 1e-5, 1e-7
# The four checks of the module docstring are the four modes of teachgrad.testing.check_grads.
FOUR_MODES = ("gradients", "rev", "grad", "fwd")


def check_both_modes(f, arrays, rng, rtol=RTOL, atol=ATOL):
    """The four checks for ``f`` at float64 ``arrays`` (``g`` and the tangents drawn from
    ``rng``); all four run even when one fails, and the failure names each mode that went wrong
    with its worst element."""
    check_grads(f, arrays, modes=FOUR_MODES, seed=rng, rtol=rtol, atol=atol)


# ------------------------------------------------------------------------------------------------
# The element-wise registry: domains, kinks, references
# ------------------------------------------------------------------------------------------------

def uniform(lo, hi):
    return lambda rng, shape: rng.uniform(lo, hi, size=shape)


def away_from_zero(lo, hi):
    """|x| in [lo, hi] with a random sign: keeps relu, abs and 1/x off their kinks and poles."""
    return lambda rng, shape: rng.choice([-1.0, 1.0], size=shape) * rng.uniform(lo, hi, size=shape)


def on_grid(offset):
    """Multiples of 0.5 (+ offset) with a little noise: two grids 0.25 apart never tie."""
    return lambda rng, shape: (0.5 * rng.integers(-4, 5, size=shape) + offset
                               + rng.uniform(-0.05, 0.05, size=shape))


def _sigmoid(x):
    return 1 / (1 + np.exp(-x))


# name: (NumPy reference, samplers of the differentiable inputs)
ELEMENTWISE = {
    "add": (np.add, (uniform(-2, 2), uniform(-2, 2))),
    "sub": (np.subtract, (uniform(-2, 2), uniform(-2, 2))),
    "mul": (np.multiply, (uniform(-2, 2), uniform(-2, 2))),
    "div": (np.divide, (uniform(-2, 2), away_from_zero(0.5, 2))),
    "pow": (np.power, (uniform(0.5, 2), uniform(-2, 2))),          # base > 0: a^b and ln a real
    "neg": (np.negative, (uniform(-2, 2),)),
    "sin": (np.sin, (uniform(-3, 3),)),
    "cos": (np.cos, (uniform(-3, 3),)),
    "tan": (np.tan, (uniform(-1.2, 1.2),)),                       # away from ±π/2
    "exp": (np.exp, (uniform(-2, 2),)),
    "log": (np.log, (uniform(0.3, 3),)),                          # away from 0
    "sqrt": (np.sqrt, (uniform(0.3, 3),)),                        # away from 0
    "square": (np.square, (uniform(-2, 2),)),
    "abs": (np.abs, (away_from_zero(0.1, 2),)),                   # away from the kink at 0
    "sinh": (np.sinh, (uniform(-2, 2),)),
    "cosh": (np.cosh, (uniform(-2, 2),)),
    "tanh": (np.tanh, (uniform(-2, 2),)),
    "atan": (np.arctan, (uniform(-3, 3),)),
    "sigmoid": (_sigmoid, (uniform(-3, 3),)),
    "relu": (lambda x: np.maximum(x, 0), (away_from_zero(0.1, 2),)),
    "maximum": (np.maximum, (on_grid(0.0), on_grid(0.25))),       # never a tie
    "minimum": (np.minimum, (on_grid(0.0), on_grid(0.25))),
    "where": (np.where, (uniform(-2, 2), uniform(-2, 2))),        # plus a boolean condition
    "log1p": (np.log1p, (uniform(-0.7, 3),)),                     # away from the pole at −1
    "softplus": (lambda x: np.log(1 + np.exp(x)), (uniform(-4, 4),)),
    "expm1": (np.expm1, (uniform(-2, 2),)),
    "rsqrt": (lambda x: 1 / np.sqrt(x), (uniform(0.3, 3),)),      # away from 0
    "reciprocal": (np.reciprocal, (away_from_zero(0.3, 2),)),
    "elu": (lambda x: np.where(x > 0, x, np.exp(x) - 1), (away_from_zero(0.1, 2),)),
    "selu": (lambda x: 1.0507009873554805 * np.where(x > 0, x, 1.6732632423543772
                                                     * (np.exp(x) - 1)),
             (away_from_zero(0.1, 2),)),
    "relu6": (lambda x: np.clip(x, 0, 6), (lambda rng, shape: rng.choice([-1.0, 1.0], size=shape)
                                           * rng.uniform(0.1, 2, size=shape) + 3.0
                                           + rng.choice([-3.0, 0.0, 6.0], size=shape),)),   # 0.1 from a kink
    "softsign": (lambda x: x / (1 + np.abs(x)), (away_from_zero(0.1, 3),)),
    # x % y jumps where x/y is a whole number: x on a grid a quarter off the whole numbers,
    # y near ±1, ±2, keeps every x/y at least 0.18 away from one
    "floormod": (np.mod, (on_grid(0.25), lambda rng, shape: rng.choice([-2.0, -1.0, 1.0, 2.0],
                                                                      size=shape)
                          + rng.uniform(-0.01, 0.01, size=shape))),
}

# Shapes that must broadcast, tried first; Hypothesis adds random ones.
KNOWN_SHAPES = {
    1: [((),), ((3,),), ((2, 3),)],
    2: [((3, 1), (4,)), ((), (2, 3)), ((2, 3), ()), ((2, 1, 3), (4, 1)), ((1,), (3,)),
        ((2, 3), (2, 3))],
    3: [((3, 1), (4,), ()), ((), (2, 3), (3,)), ((2, 3), (1, 3), (2, 1))],
}


def shapes_for(arity):
    if arity == 1:
        random = array_shapes(min_dims=0, max_dims=3, min_side=1, max_side=4).map(lambda s: (s,))
    else:
        random = mutually_broadcastable_shapes(num_shapes=arity, min_dims=0, max_dims=3,
                                               min_side=1, max_side=3).map(lambda b: b.input_shapes)
    return st.one_of(st.sampled_from(KNOWN_SHAPES[arity]), random)


def elementwise_ops():
    return sorted(name for name, prim in REGISTRY.items() if prim.elementwise)


def test_every_elementwise_op_in_the_registry_is_checked():
    """A new element-wise op must get a domain here, or its gradient would go untested."""
    assert set(elementwise_ops()) == set(ELEMENTWISE)


@pytest.mark.parametrize("name", elementwise_ops())
@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_elementwise_gradient_both_modes(name, data):
    prim = REGISTRY[name]
    reference, samplers = ELEMENTWISE[name]
    arity = len(samplers) + (name == "where")
    shapes = data.draw(shapes_for(arity), label="shapes")
    rng = np.random.default_rng(data.draw(st.integers(0, 2**32 - 1), label="seed"))

    if name == "where":
        condition = rng.random(size=shapes[0]) < 0.5
        shapes = shapes[1:]
        f = lambda a, b: prim(condition, a, b)                      # noqa: E731
        ref = lambda a, b: reference(condition, a, b)               # noqa: E731
    else:
        f, ref = prim, reference
    arrays = [sample(rng, shape) for sample, shape in zip(samplers, shapes)]

    # The value first: the op computes what NumPy computes, in the broadcast shape.
    value = f(*[tg.constant(a) for a in arrays])
    assert isinstance(value, tg.Tensor)
    np.testing.assert_allclose(np.asarray(value), ref(*arrays), rtol=1e-12, atol=1e-15)

    check_both_modes(f, arrays, rng)


# ------------------------------------------------------------------------------------------------
# Structural ops
# ------------------------------------------------------------------------------------------------

@pytest.fixture
def rng(request):
    # A seed per test id: reproducible, different across parametrizations.
    return np.random.default_rng(zlib.crc32(request.node.name.encode()))


MATMUL_SHAPES = [
    ((2, 3), (3, 4)),            # 2-D
    ((2, 2, 3), (2, 3, 4)),      # batched
    ((2, 2, 3), (3, 4)),         # batch dims broadcast
    ((3, 4), (2, 4, 2)),         # batch dims broadcast the other way
    ((2, 1, 2, 3), (3, 3, 2)),   # both batch dims broadcast
    ((3,), (3, 4)),              # 1-D on the left
    ((2, 3), (3,)),              # 1-D on the right
    ((3,), (3,)),                # 1-D on both sides: a dot product
    ((2, 2, 3), (3,)),           # batched times vector
    ((3,), (2, 3, 4)),           # vector times batched
]


@pytest.mark.parametrize("shape_a, shape_b", MATMUL_SHAPES)
def test_matmul_gradient(rng, shape_a, shape_b):
    a, b = rng.normal(size=shape_a), rng.normal(size=shape_b)
    value = tg.matmul(a, b)
    np.testing.assert_allclose(np.asarray(value), np.matmul(a, b), rtol=1e-12)
    assert (tg.constant(a) @ tg.constant(b)).shape == np.matmul(a, b).shape
    check_both_modes(tg.matmul, [a, b], rng)


@pytest.mark.parametrize("reduce, reference", [(tg.reduce_sum, np.sum), (tg.reduce_mean, np.mean),
                                               (tg.reduce_max, np.max)])
@pytest.mark.parametrize("axis", [None, 0, 1, -1, (0, 2), [2, 0]])
@pytest.mark.parametrize("keepdims", [False, True])
def test_reduction_gradient(rng, reduce, reference, axis, keepdims):
    # Distinct values, well apart: reduce_max never meets a tie.
    x = rng.permutation(24).reshape(2, 3, 4) * 0.37 - 4.0
    np_axis = tuple(axis) if isinstance(axis, list) else axis
    np.testing.assert_allclose(np.asarray(reduce(x, axis=axis, keepdims=keepdims)),
                               reference(x, axis=np_axis, keepdims=keepdims), rtol=1e-12)
    check_both_modes(lambda t: reduce(t, axis=axis, keepdims=keepdims), [x], rng)


def test_reduce_max_gradient_is_the_argmax_indicator():
    x = tg.constant([[1.0, 7.0, 3.0], [9.0, 2.0, 4.0]])
    np.testing.assert_array_equal(tg.gradients(tg.reduce_max(x, axis=1), x)[0].numpy(),
                                  [[0, 1, 0], [1, 0, 0]])
    np.testing.assert_array_equal(tg.gradients(tg.reduce_max(x), x)[0].numpy(),
                                  [[0, 0, 0], [1, 0, 0]])


def test_reductions_of_a_scalar():
    x = np.array(1.5)
    for reduce in (tg.reduce_sum, tg.reduce_mean, tg.reduce_max):
        assert float(tg.grad(reduce)(x)) == 1.0


@pytest.mark.parametrize("new_shape", [(6, 4), (4, -1), (24,), (2, 3, 2, 2), (1, 24, 1)])
def test_reshape_gradient(rng, new_shape):
    x = rng.normal(size=(2, 3, 4))
    np.testing.assert_array_equal(np.asarray(tg.reshape(x, new_shape)), x.reshape(new_shape))
    check_both_modes(lambda t: tg.reshape(t, new_shape) * np.arange(24.0).reshape(
        x.reshape(new_shape).shape), [x], rng)


@pytest.mark.parametrize("perm", [None, (2, 0, 1), (1, 2, 0), (0, 2, 1), [2, 1, 0]])
def test_transpose_gradient(rng, perm):
    x = rng.normal(size=(2, 3, 4))
    expected = np.transpose(x, perm)
    np.testing.assert_array_equal(np.asarray(tg.transpose(x, perm)), expected)
    weights = rng.normal(size=expected.shape)  # makes every element's gradient different
    check_both_modes(lambda t: tg.transpose(t, perm) * weights, [x], rng)


def test_transpose_property_T(rng):
    x = rng.normal(size=(2, 3))
    t = tg.constant(x)
    np.testing.assert_array_equal(np.asarray(t.T), x.T)
    w = rng.normal(size=(3, 2))
    np.testing.assert_allclose(tg.gradients(t.T * w, t)[0].numpy(), w.T)


INDICES = [
    1,
    -1,
    (slice(None), 1),
    (slice(1, None), slice(0, 3, 2)),
    (slice(None, None, -1),),
    (Ellipsis, 0),
    (None, 0),
    ([0, 0, 2],),                        # repeated fancy index: gradients add up
    ([2, 0, 2, 2],),
    ([0, 0, 1], [1, 1, 3]),              # repeated pairs
    (slice(None), [3, 3]),
    "mask",                              # boolean mask
]


@pytest.mark.parametrize("index", INDICES, ids=repr)
def test_indexing_gradient(rng, index):
    x = rng.normal(size=(3, 4))
    if isinstance(index, str):
        index = x > 0.0
    expected = x[index]
    np.testing.assert_array_equal(np.asarray(tg.constant(x)[index]), expected)
    weights = rng.normal(size=np.shape(expected))
    check_both_modes(lambda t: t[index] * weights, [x], rng)


def test_repeated_fancy_index_adds_up():
    x = tg.constant([10.0, 20.0, 30.0])
    y = x[[0, 0, 2, 0]]
    np.testing.assert_array_equal(tg.gradients(y, x)[0].numpy(), [3.0, 0.0, 1.0])
    _, x_bar = tg.vjp(lambda t: t[[0, 0, 2, 0]], np.array([10.0, 20.0, 30.0]))
    np.testing.assert_array_equal(x_bar(np.array([1.0, 2.0, 3.0, 4.0]))[0].numpy(), [7.0, 0.0, 3.0])


def test_index_with_an_integer_tensor():
    x = tg.constant([1.0, 2.0, 3.0])
    y = x[tg.constant(2)] * x[tg.constant([0, 0])]
    np.testing.assert_array_equal(np.asarray(y), [3.0, 3.0])
    np.testing.assert_array_equal(tg.gradients(y, x)[0].numpy(), [6.0, 0.0, 2.0])


@pytest.mark.parametrize("axis", [0, 1, -1])
def test_concat_gradient(rng, axis):
    shapes = {0: [(1, 3), (2, 3), (3, 3)], 1: [(2, 1), (2, 2), (2, 4)],
              -1: [(2, 1), (2, 2), (2, 4)]}
    arrays = [rng.normal(size=s) for s in shapes[axis]]
    expected = np.concatenate(arrays, axis=axis)
    np.testing.assert_array_equal(np.asarray(tg.concat(arrays, axis=axis)), expected)
    weights = rng.normal(size=expected.shape)
    check_both_modes(lambda a, b, c: tg.concat([a, b, c], axis=axis) * weights, arrays, rng)


@pytest.mark.parametrize("axis", [0, 1, 2, -1])
def test_stack_gradient(rng, axis):
    arrays = [rng.normal(size=(2, 3)) for _ in range(3)]
    expected = np.stack(arrays, axis=axis)
    np.testing.assert_array_equal(np.asarray(tg.stack(arrays, axis=axis)), expected)
    weights = rng.normal(size=expected.shape)
    check_both_modes(lambda a, b, c: tg.stack([a, b, c], axis=axis) * weights, arrays, rng)


def test_cast_gradient():
    x = np.array([0.5, -1.25, 3.0])
    g = np.array([1.0, 2.0, -3.0])
    t = tg.constant(x)
    # float64 → float32 → float64: the gradient passes through unchanged, in x's dtype.
    y = tg.cast(tg.cast(t, "float32") * 2.0, "float64")
    (gx,) = tg.gradients(y, t, grad_ys=g)
    assert gx.dtype == np.float64
    np.testing.assert_allclose(gx.numpy(), 2 * g, rtol=1e-7)
    _, x_dot = tg.jvp(lambda a: tg.cast(a, "float32"), (x,), (g,))
    assert x_dot.dtype == np.float32
    np.testing.assert_allclose(x_dot.numpy(), g.astype(np.float32))
    check_both_modes(lambda a: tg.cast(a, "float64") * a, [x], np.random.default_rng(0))


def test_cast_to_integer_stops_the_gradient():
    x = tg.constant([1.7, -2.2])
    y = tg.cast(x, "int64")
    np.testing.assert_array_equal(y.numpy(), [1, -2])
    assert tg.gradients(y, x) == [None]
    _, x_dot = tg.jvp(lambda a: tg.cast(tg.cast(a, "int64"), "float64") + a, (np.array([1.7, -2.2]),),
                      (np.array([1.0, 1.0]),))
    np.testing.assert_array_equal(x_dot.numpy(), [1.0, 1.0])


# ------------------------------------------------------------------------------------------------
# conv2d: checked against a plain loop written from TensorFlow's documentation
# ------------------------------------------------------------------------------------------------

def conv2d_reference(x, w, stride, padding):
    """TensorFlow's conv2d, by its definition: NHWC input, HWIO filters, cross-correlation."""
    n, h, wd, c_in = x.shape
    kh, kw, _, c_out = w.shape

    def geometry(size, k):
        if padding == "VALID":
            return (size - k) // stride + 1, 0
        out = -(-size // stride)
        pad = max(k - stride, 0) if size % stride == 0 else max(k - size % stride, 0)
        return out, pad // 2                      # TensorFlow puts the odd pixel at the end

    ho, top = geometry(h, kh)
    wo, left = geometry(wd, kw)
    out = np.zeros((n, ho, wo, c_out))
    for b in range(n):
        for r in range(ho):
            for c in range(wo):
                for i in range(kh):
                    for j in range(kw):
                        y, z = r * stride + i - top, c * stride + j - left
                        if 0 <= y < h and 0 <= z < wd:
                            out[b, r, c] += x[b, y, z] @ w[i, j]
    return out


CONV_CASES = [
    # input shape, filter shape, stride, padding
    ((2, 5, 5, 3), (3, 3, 3, 2), 1, "VALID"),
    ((2, 5, 5, 3), (3, 3, 3, 2), 1, "SAME"),
    ((1, 6, 5, 2), (3, 3, 2, 2), 2, "VALID"),
    ((1, 6, 5, 2), (3, 3, 2, 2), 2, "SAME"),     # odd padding: one extra row at the bottom
    ((1, 5, 6, 1), (2, 2, 1, 3), 2, "SAME"),     # even filter
    ((1, 4, 4, 2), (2, 3, 2, 1), 1, "SAME"),     # one output channel, non-square filter
    ((1, 4, 4, 1), (1, 1, 1, 1), 1, "VALID"),
]


@pytest.mark.parametrize("x_shape, w_shape, stride, padding", CONV_CASES)
def test_conv2d_value_and_gradient(rng, x_shape, w_shape, stride, padding):
    x, w = rng.normal(size=x_shape), rng.normal(size=w_shape)
    expected = conv2d_reference(x, w, stride, padding)
    for strides in (stride, [1, stride, stride, 1]):
        got = tg.nn.conv2d(x, w, strides=strides, padding=padding)
        assert got.shape == expected.shape
        np.testing.assert_allclose(got.numpy(), expected, rtol=1e-10, atol=1e-12)
    check_both_modes(lambda a, b: tg.nn.conv2d(a, b, strides=stride, padding=padding), [x, w],
                     rng)


def test_conv2d_second_derivative_against_finite_differences(rng):
    """Σ conv(x, w)² is quadratic: its Hessian-vector products are exact, so FD of the gradient
    agrees; this runs conv2d's backward rules through their own rules."""
    x, w = rng.normal(size=(1, 4, 4, 2)), rng.normal(size=(2, 2, 2, 2))

    def f(a, b):
        return tg.reduce_sum(tg.nn.conv2d(a, b, strides=1, padding="SAME") ** 2)

    gradient = tg.grad(f, argnums=(0, 1))
    vx, vw = rng.normal(size=x.shape), rng.normal(size=w.shape)
    _, hvp = tg.jvp(lambda a, b: gradient(a, b), (x, w), (vx, vw))
    for k, got in enumerate(hvp):
        expected = numerical_jvp(lambda a, b: gradient(a, b)[k], (x, w), (vx, vw))
        np.testing.assert_allclose(got.numpy(), expected, rtol=1e-5, atol=1e-6)


# ------------------------------------------------------------------------------------------------
# nn.softmax and nn.relu
# ------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("axis", [-1, 0])
def test_softmax_value_and_gradient(rng, axis):
    x = rng.normal(size=(3, 4)) * 2
    e = np.exp(x - x.max(axis=axis, keepdims=True))
    expected = e / e.sum(axis=axis, keepdims=True)
    got = tg.nn.softmax(x, axis=axis) if axis != -1 else tg.nn.softmax(x)
    np.testing.assert_allclose(got.numpy(), expected, rtol=1e-12)
    np.testing.assert_allclose(got.numpy().sum(axis=axis), 1.0, rtol=1e-12)
    check_both_modes(lambda t: tg.nn.softmax(t, axis=axis), [x], rng)


def test_softmax_of_large_logits_has_finite_gradient():
    x = tg.constant([1.0, 2.0, 1000.0])
    s = tg.nn.softmax(x)
    np.testing.assert_allclose(s.numpy(), [0.0, 0.0, 1.0], atol=1e-300)
    g = tg.gradients(s[0] * 3.0 + s[2], x)[0].numpy()
    assert np.all(np.isfinite(g))


def test_relu_gradient(rng):
    x = np.array([[-2.0, -0.5, 0.3], [1.5, -0.1, 2.0]])
    np.testing.assert_array_equal(tg.nn.relu(x).numpy(), np.maximum(x, 0))
    np.testing.assert_array_equal(tg.grad(tg.nn.relu)(x).numpy(), (x > 0).astype(float))
    check_both_modes(tg.nn.relu, [x], rng)
