"""The contract of API.md sections 1-2, one behaviour per test: TensorFlow's ``gradients``, JAX's
``grad``, fresh and read-only results, variables, dtypes, broadcasting, comparisons, NumPy interop,
error messages, and the documented kinks."""

import warnings

import numpy as np
import pytest

import teachgrad as tg


def values(t):
    return np.asarray(t, dtype=float)


# ------------------------------------------------------------------------------------------------
# gradients: TensorFlow semantics
# ------------------------------------------------------------------------------------------------

def test_gradients_of_a_list_of_ys_is_the_gradient_of_their_sum():
    x = tg.constant([0.5, 2.0])
    (g,) = tg.gradients([x ** 2, 3.0 * x, tg.sin(x)], x)
    np.testing.assert_allclose(g.numpy(), 2 * np.array([0.5, 2.0]) + 3 + np.cos([0.5, 2.0]))


def test_gradients_returns_a_list_for_a_single_x():
    x = tg.constant(3.0)
    result = tg.gradients(x * x, x)
    assert isinstance(result, list) and len(result) == 1
    assert float(result[0]) == 6.0


def test_gradients_with_respect_to_a_list_of_xs():
    a, b = tg.constant(2.0), tg.constant(5.0)
    ga, gb = tg.gradients([a * b, a + b], [a, b])
    assert (float(ga), float(gb)) == (6.0, 3.0)


def test_a_python_list_as_grad_ys_is_one_weight_per_y():
    x = tg.constant([1.0, 2.0])
    with pytest.raises(ValueError):
        tg.gradients(x * x, x, grad_ys=[1.0, 2.0])      # two weights for one y, as in TensorFlow


def test_grad_ys_weights_each_y():
    x = tg.constant([1.0, 2.0, 3.0])
    weights = np.array([10.0, -1.0, 0.5])
    (g,) = tg.gradients(x ** 2, x, grad_ys=weights)
    np.testing.assert_allclose(g.numpy(), weights * 2 * np.array([1.0, 2.0, 3.0]))
    # One weight per y, for a list of ys.
    (g,) = tg.gradients([x ** 2, 3.0 * x], x, grad_ys=[weights, np.ones(3) * 2])
    np.testing.assert_allclose(g.numpy(), weights * 2 * np.array([1.0, 2.0, 3.0]) + 6)


def test_grad_ys_through_a_matmul_and_a_reduction():
    a = tg.constant(np.arange(6.0).reshape(2, 3))
    b = tg.constant(np.ones((3, 4)))
    g = np.arange(8.0).reshape(2, 4)
    (ga,) = tg.gradients(tg.matmul(a, b), a, grad_ys=g)
    np.testing.assert_allclose(ga.numpy(), g @ np.ones((4, 3)))
    (ga,) = tg.gradients(tg.reduce_sum(a, axis=0), a, grad_ys=np.array([1.0, 2.0, 3.0]))
    np.testing.assert_allclose(ga.numpy(), [[1.0, 2.0, 3.0], [1.0, 2.0, 3.0]])


def test_scalar_grad_ys_for_a_non_scalar_y_is_broadcast_or_rejected_clearly():
    """TensorFlow wants grad_ys shaped like ys. A scalar weight may broadcast (giving 2 x the
    gradient) or be refused by ``gradients`` itself with a ShapeError about grad_ys, not fail deep
    inside some op's rule with an unrelated message."""
    a = tg.constant(np.ones((2, 3)))
    b = tg.constant(np.arange(12.0).reshape(3, 4))
    try:
        (ga,) = tg.gradients(tg.matmul(a, b), a, grad_ys=2.0)
    except tg.ShapeError as e:
        assert "grad_ys" in str(e)
    else:
        expected = 2 * np.ones((2, 4)) @ np.arange(12.0).reshape(3, 4).T
        np.testing.assert_allclose(ga.numpy(), expected)


def test_unconnected_x_gives_none():
    a, b = tg.constant(1.0), tg.constant(2.0)
    assert tg.gradients(a * 3.0, [a, b])[1] is None
    assert tg.gradients(a * 3.0, b) == [None]
    assert tg.gradients(tg.constant(7.0), a) == [None]


def test_gradient_with_respect_to_an_intermediate_tensor():
    a = tg.constant(0.7, tg.float64)
    b = a * a
    c = tg.sin(b) + b
    (gb,) = tg.gradients(c, b)
    assert float(gb) == pytest.approx(np.cos(0.49) + 1, rel=1e-14)
    ga, gb2 = tg.gradients(c, [a, b])
    assert float(ga) == pytest.approx((np.cos(0.49) + 1) * 1.4, rel=1e-14)
    assert float(gb2) == float(gb)


def test_gradient_of_x_with_respect_to_itself_is_ones():
    x = tg.constant([[1.0, 2.0], [3.0, 4.0]])
    np.testing.assert_array_equal(tg.gradients(x, x)[0].numpy(), np.ones((2, 2)))


def test_gradients_accepts_a_variable(eager):
    w = tg.Variable([1.0, -2.0])
    (g,) = tg.gradients(tg.reduce_sum(w * w), w)
    np.testing.assert_array_equal(g.numpy(), [2.0, -4.0])


def test_gradients_of_a_variable_in_graph_mode_are_run_in_a_session():
    w = tg.Variable([1.0, -2.0])
    (g,) = tg.gradients(tg.reduce_sum(w * w), w)
    assert not g.has_value and g.shape == (2,) and g.dtype == tg.float32
    with tg.Session() as sess:
        sess.run(w.initializer)
        np.testing.assert_array_equal(sess.run(g), [2.0, -4.0])


# ------------------------------------------------------------------------------------------------
# grad, vjp, jvp: JAX semantics
# ------------------------------------------------------------------------------------------------

def test_grad_of_a_non_scalar_output_is_summed():
    x = np.array([0.0, 0.5, 1.0, 3.0])
    np.testing.assert_allclose(tg.grad(tg.sin)(x).numpy(), np.cos(x), rtol=1e-15)
    np.testing.assert_allclose(tg.grad(lambda t: t * t)(x).numpy(), 2 * x)


def test_grad_accepts_python_numbers_and_lists():
    assert float(tg.grad(lambda t: t ** 3)(2.0)) == 12.0
    np.testing.assert_allclose(tg.grad(tg.exp)([0.0, 1.0]).numpy(), [1.0, np.e])


def test_grad_argnums():
    def f(a, b, c):
        return a * b ** 2 + c

    g = tg.grad(f, argnums=(0, 1))(3.0, 2.0, 100.0)
    assert isinstance(g, tuple) and len(g) == 2
    assert [float(v) for v in g] == [4.0, 12.0]
    assert float(tg.grad(f, argnums=1)(3.0, 2.0, 100.0)) == 12.0
    assert float(tg.grad(f, argnums=2)(3.0, 2.0, 100.0)) == 1.0
    assert float(tg.grad(f)(3.0, 2.0, 100.0)) == 4.0


def test_grad_of_an_ignored_argument_is_zeros():
    g = tg.grad(lambda a, b: a * 2.0, argnums=(0, 1))(np.ones(2), np.ones(3))
    np.testing.assert_array_equal(g[1].numpy(), np.zeros(3))


def test_vjp_and_jvp_return_values_and_derivatives():
    out, vjp_fn = tg.vjp(lambda a, b: a * b, 3.0, 4.0)
    assert float(out) == 12.0
    assert [float(v) for v in vjp_fn(2.0)] == [8.0, 6.0]
    out, tangent = tg.jvp(lambda a, b: a * b, (3.0, 4.0), (1.0, 10.0))
    assert (float(out), float(tangent)) == (12.0, 4.0 + 30.0)


def test_jvp_of_a_function_that_ignores_its_input_is_zero():
    _, tangent = tg.jvp(lambda x: tg.constant([1.0, 2.0]), (1.0,), (1.0,))
    np.testing.assert_array_equal(tangent.numpy(), [0.0, 0.0])


# ------------------------------------------------------------------------------------------------
# Fresh results and read-only recorded values
# ------------------------------------------------------------------------------------------------

def test_gradients_twice_gives_equal_fresh_tensors():
    x = tg.constant([0.5, 1.5])
    y = tg.reduce_sum(tg.exp(x) * x)
    first = tg.gradients(y, x)[0]
    second = tg.gradients(y, x)[0]
    assert first is not second
    np.testing.assert_array_equal(first.numpy(), second.numpy())
    np.testing.assert_allclose(first.numpy(), np.exp([0.5, 1.5]) * (1 + np.array([0.5, 1.5])))


def test_numpy_returns_a_copy():
    x = tg.constant([1.0, 2.0])
    copy = x.numpy()
    copy[0] = 99.0
    np.testing.assert_array_equal(x.numpy(), [1.0, 2.0])
    g = tg.gradients(x * 3.0, x)[0]
    gc = g.numpy()
    gc[:] = 0.0
    np.testing.assert_array_equal(g.numpy(), [3.0, 3.0])


def test_recorded_values_are_read_only():
    x = tg.constant([1.0, 2.0])
    y = x * 2.0
    g = tg.gradients(y, x)[0]
    for t in (x, y, g):
        view = np.asarray(t)
        assert not view.flags.writeable
        with pytest.raises(ValueError):
            view[0] = 5.0
    np.testing.assert_array_equal(y.numpy(), [2.0, 4.0])


def test_constant_copies_the_callers_array():
    a = np.array([1.0, 2.0])
    x = tg.constant(a)
    a[0] = 50.0
    assert a.flags.writeable  # the caller's array is left alone
    np.testing.assert_array_equal(x.numpy(), [1.0, 2.0])


# ------------------------------------------------------------------------------------------------
# Variables
# ------------------------------------------------------------------------------------------------

def test_variable_assign_add_sub(eager):
    v = tg.Variable([1.0, 2.0], name="v")
    assert v.assign([5.0, 6.0]) is v
    np.testing.assert_array_equal(v.numpy(), [5.0, 6.0])
    v.assign_add([1.0, 1.0])
    np.testing.assert_array_equal(v.numpy(), [6.0, 7.0])
    v.assign_sub(tg.constant([0.5, 0.5]))
    np.testing.assert_array_equal(v.numpy(), [5.5, 6.5])
    assert v.dtype == np.float32     # a list of Python floats is float32, as in TensorFlow 1
    assert v.name == "v:0"


def test_variable_keeps_its_dtype(eager):
    v = tg.Variable([1.0, 2.0])
    v.assign([3, 4])
    assert v.dtype == np.float32


@pytest.mark.parametrize("method, arg", [("assign", [1.0, 2.0, 3.0]), ("assign", 1.0),
                                         ("assign_add", [[1.0, 2.0]]),
                                         ("assign_sub", np.ones((3, 2)))])
def test_variable_shape_mismatch_raises_and_leaves_the_value(method, arg, eager):
    v = tg.Variable([1.0, 2.0], name="w")
    with pytest.raises(tg.ShapeError) as info:
        getattr(v, method)(arg)
    assert "(2,)" in str(info.value)
    np.testing.assert_array_equal(v.numpy(), [1.0, 2.0])


def test_variable_is_differentiable_and_new_computations_see_the_new_value(eager):
    w = tg.Variable(3.0)
    assert float(tg.gradients(w * w, w)[0]) == 6.0
    w.assign(5.0)
    assert float(tg.gradients(w * w, w)[0]) == 10.0
    assert float(w * 2.0) == 10.0


def test_old_results_keep_their_values_after_assign(eager):
    w = tg.Variable([1.0, 2.0])
    y = w * 10.0
    w.assign([3.0, 4.0])
    np.testing.assert_array_equal(y.numpy(), [10.0, 20.0])


# ------------------------------------------------------------------------------------------------
# dtypes
# ------------------------------------------------------------------------------------------------

def test_integer_constants_add_to_an_integer():
    two = tg.constant(1) + tg.constant(1)
    assert np.issubdtype(two.dtype, np.integer)
    assert int(two) == 2 and two.numpy() == 2
    assert two.shape == ()


@pytest.mark.parametrize("how", ["gradients", "grad", "jvp", "vjp"])
def test_derivative_with_respect_to_an_integer_raises_dtype_error(how):
    with pytest.raises(tg.DTypeError) as info:
        if how == "gradients":
            x = tg.constant(3)
            tg.gradients(x * x, x)
        elif how == "grad":
            tg.grad(lambda x: x * x)(3)
        elif how == "jvp":
            tg.jvp(lambda x: x * x, (3,), (1,))
        else:
            tg.vjp(lambda x: x * x, 3)
    assert isinstance(info.value, TypeError)
    assert "float" in str(info.value)


def test_integer_tensors_may_be_used_as_constants_after_a_cast():
    x = tg.constant(1.5)
    y = x * tg.cast(tg.constant(2), tg.float32) + 1
    assert y.dtype == np.float32
    assert float(tg.gradients(y, x)[0]) == 2.0


def test_an_int_tensor_and_a_float_tensor_do_not_mix():
    """TensorFlow 1 never promotes between tensors: the error names both dtypes and the op."""
    with pytest.raises(TypeError, match="mul: input 1 has dtype int32 that does not match dtype "
                                        "float32 of input 0"):
        tg.constant(1.5) * tg.constant(2)
    with pytest.raises(TypeError, match="float64.*float32"):
        tg.add(tg.constant(1.0), np.float64(2.0) * tg.constant(np.float64(1.0)))
    with pytest.raises(TypeError, match="cannot convert 1.5"):
        tg.constant(1) + 1.5
    assert (tg.constant(1.5) * np.array([2.0])).dtype == tg.float32   # converted, as in TF


def test_range_has_tensorflow_semantics():
    x = tg.range(-10, 10, .1)
    assert x.shape == (200,)
    assert np.issubdtype(x.dtype, np.floating)
    assert float(x[0]) == -10.0
    assert x.dtype == tg.float32                    # TensorFlow 1: a Python float is float32
    assert float(x[199]) == pytest.approx(9.9, abs=1e-6)
    r = tg.range(5)
    assert np.issubdtype(r.dtype, np.integer)
    np.testing.assert_array_equal(r.numpy(), [0, 1, 2, 3, 4])
    np.testing.assert_array_equal(tg.range(2, 8, 3).numpy(), [2, 5])


def test_linspace_zeros_ones_and_random():
    np.testing.assert_allclose(tg.linspace(0.0, 1.0, 5).numpy(), [0, .25, .5, .75, 1])
    assert tg.zeros((2, 3)).shape == (2, 3) and float(tg.reduce_sum(tg.zeros((2, 3)))) == 0.0
    assert float(tg.reduce_sum(tg.ones((2, 3)))) == 6.0
    a = tg.random.normal((3, 4), seed=1).numpy()
    np.testing.assert_array_equal(a, tg.random.normal((3, 4), seed=1).numpy())
    assert a.shape == (3, 4) and a.std() > 0
    u = tg.random.uniform((500,), seed=2).numpy()
    assert u.min() >= 0.0 and u.max() < 1.0


# ------------------------------------------------------------------------------------------------
# Operators, broadcasting, comparisons, NumPy interop
# ------------------------------------------------------------------------------------------------

def test_operators_and_their_gradients():
    a_np, b_np = np.array([1.5, -2.0]), np.array([0.5, 4.0])
    a, b = tg.constant(a_np), tg.constant(b_np)
    cases = [
        (a + b, a_np + b_np), (a - b, a_np - b_np), (a * b, a_np * b_np), (a / b, a_np / b_np),
        (b ** a, b_np ** a_np), (-a, -a_np), (abs(a), np.abs(a_np)), (a @ b, a_np @ b_np),
        (2.0 - a, 2.0 - a_np), (1.0 / b, 1.0 / b_np), (2.0 ** a, 2.0 ** a_np),
        (a_np * b, a_np * b_np), (b_np - a, b_np - a_np),
    ]
    for got, expected in cases:
        assert isinstance(got, tg.Tensor)
        np.testing.assert_allclose(values(got), expected, rtol=1e-15)
    ga, gb = tg.gradients(a * b + a / b + b ** 2.0, [a, b])
    np.testing.assert_allclose(ga.numpy(), b_np + 1 / b_np)
    np.testing.assert_allclose(gb.numpy(), a_np - a_np / b_np ** 2 + 2 * b_np)


def test_broadcasting_follows_numpy():
    col = np.arange(3.0).reshape(3, 1)
    row = np.arange(4.0)
    np.testing.assert_array_equal(values(tg.constant(col) + row), col + row)
    np.testing.assert_array_equal(values(tg.constant(2.0) * tg.ones((2, 3))), np.full((2, 3), 2.0))
    assert tg.ones((2, 3)).dtype == tg.float32
    np.testing.assert_array_equal(values(tg.maximum(col, row)), np.maximum(col, row))


def test_broadcast_gradients_sum_over_the_broadcast_axes():
    col = tg.constant(np.arange(3.0).reshape(3, 1))
    row = tg.constant(np.arange(4.0))
    gc, gr = tg.gradients(col * row, [col, row])
    np.testing.assert_array_equal(gc.numpy(), np.full((3, 1), 6.0))   # Σ row
    np.testing.assert_array_equal(gr.numpy(), np.full((4,), 3.0))     # Σ col
    s = tg.constant(2.0)
    (gs,) = tg.gradients(s * tg.ones((2, 3)), s)
    assert gs.shape == () and float(gs) == 6.0


def test_comparisons_are_not_differentiable():
    x = tg.constant([-1.0, 0.5, 2.0])
    # (== and != are identity on tensors, as in TensorFlow 1: tg.equal compares elements)
    for mask in (x > 0.0, x >= 0.5, x < 1.0, x <= 0.5, tg.equal(x, 0.5), tg.not_equal(x, 0.5)):
        assert mask.dtype == bool
        assert tg.gradients(mask, x) == [None]
    np.testing.assert_array_equal((x > 0.0).numpy(), [False, True, True])
    # Used as a mask, the comparison passes no gradient of its own.
    (g,) = tg.gradients(tg.where(x > 0.0, x * 3.0, -x), x)
    np.testing.assert_array_equal(g.numpy(), [-1.0, 3.0, 3.0])
    (g,) = tg.gradients(tg.cast(x > 0.0, "float32") * x, x)
    np.testing.assert_array_equal(g.numpy(), [0.0, 1.0, 1.0])


def test_numpy_asarray_and_plotting_consume_tensors():
    x = tg.range(-10, 10, .1)
    y = tg.sin(x)
    arr = np.asarray(y)
    assert isinstance(arr, np.ndarray) and arr.shape == (200,)
    np.testing.assert_allclose(arr, np.sin(np.arange(-10, 10, .1)), rtol=1e-5, atol=1e-6)
    assert np.asarray(y, dtype=np.float32).dtype == np.float32
    assert float(np.sum(y)) == pytest.approx(float(np.sin(np.arange(-10, 10, .1)).sum()), abs=1e-4)
    matplotlib = pytest.importorskip("matplotlib")
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    fig, ax = plt.subplots()
    try:
        (line,) = ax.plot(x, y)
        np.testing.assert_allclose(line.get_xydata(), np.stack([np.asarray(x), arr], axis=1))
    finally:
        plt.close(fig)


def test_tensor_attributes():
    t = tg.constant(np.zeros((2, 3)), name="zeros")
    assert (t.shape, t.ndim, t.dtype, t.name) == ((2, 3), 2, np.float64, "zeros:0")
    assert isinstance(t.numpy(), np.ndarray)
    assert len(t) == 2


# ------------------------------------------------------------------------------------------------
# Errors that say what was wrong and what was expected
# ------------------------------------------------------------------------------------------------

def test_matmul_shape_error_names_both_shapes_and_the_rule():
    with pytest.raises(tg.ShapeError) as info:
        tg.matmul(tg.ones((2, 3)), tg.ones((4, 5)))
    assert isinstance(info.value, ValueError)
    message = str(info.value)
    assert "(2, 3)" in message and "(4, 5)" in message
    assert "a.shape[-1] == b.shape[-2]" in message
    with pytest.raises(tg.ShapeError):
        tg.ones((2, 3)) @ tg.ones((2, 3))
    with pytest.raises(tg.ShapeError):
        tg.matmul(tg.ones((2, 2, 3)), tg.ones((3, 3, 4)))   # batch dims 2 and 3 do not broadcast


def test_shape_error_is_a_value_error():
    assert issubclass(tg.ShapeError, ValueError)
    assert issubclass(tg.ExpressionError, ValueError)
    assert issubclass(tg.DTypeError, TypeError)


@pytest.mark.parametrize("op, name", [(lambda a, b: a + b, "add"), (lambda a, b: a - b, "sub"),
                                      (lambda a, b: a * b, "mul"), (lambda a, b: a / b, "div"),
                                      (lambda a, b: a ** b, "pow"), (tg.maximum, "maximum"),
                                      (tg.minimum, "minimum")])
def test_elementwise_broadcast_mismatch_names_the_op_and_both_shapes(op, name):
    with pytest.raises(tg.ShapeError) as info:
        op(tg.ones((2, 3)), tg.ones((4,)))
    message = str(info.value)
    assert name in message
    assert "(2, 3)" in message and "(4,)" in message


def test_where_broadcast_mismatch_raises_shape_error():
    with pytest.raises(tg.ShapeError) as info:
        tg.where(np.ones((2, 3), dtype=bool), tg.ones((2, 3)), tg.ones((4,)))
    assert "(4,)" in str(info.value)


@pytest.mark.parametrize("input_shape, filter_shape, words", [
    ((5, 5, 1), (3, 3, 1, 1), "4 dimensions"),
    ((1, 5, 5, 1), (3, 3, 1), "4 dimensions"),
    ((1, 5, 5, 2), (3, 3, 1, 1), "channels"),
])
def test_conv2d_wrong_rank_or_channels(input_shape, filter_shape, words):
    with pytest.raises(ValueError) as info:
        tg.nn.conv2d(np.ones(input_shape), np.ones(filter_shape), strides=1, padding="VALID")
    assert words in str(info.value)
    assert "expect" in str(info.value)


@pytest.mark.parametrize("strides", [0, [2, 1, 1, 1], [1, 1, 1, 2], [1, 2, 3], "two", -1])
def test_conv2d_bad_stride(strides):
    with pytest.raises(ValueError) as info:
        tg.nn.conv2d(np.ones((1, 5, 5, 1)), np.ones((3, 3, 1, 1)), strides=strides, padding="VALID")
    assert "strides" in str(info.value) and "expected" in str(info.value)


@pytest.mark.parametrize("padding", ["FULL", "", None, 1])
def test_conv2d_bad_padding(padding):
    with pytest.raises(ValueError) as info:
        tg.nn.conv2d(np.ones((1, 5, 5, 1)), np.ones((3, 3, 1, 1)), strides=1, padding=padding)
    assert "'VALID' or 'SAME'" in str(info.value)


def test_conv2d_filter_larger_than_input_with_valid_padding():
    with pytest.raises(ValueError) as info:
        tg.nn.conv2d(np.ones((1, 2, 2, 1)), np.ones((3, 3, 1, 1)), strides=1, padding="VALID")
    assert "VALID" in str(info.value)


# ------------------------------------------------------------------------------------------------
# NaN without warnings, and the documented kinks
# ------------------------------------------------------------------------------------------------

def test_log_of_a_negative_number_is_nan_without_a_warning():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert np.isnan(float(tg.log(-1.0)))
        assert np.isnan(float(tg.math.log(tg.constant(-2.0))))
        assert float(tg.log(0.0)) == -np.inf
        assert np.isnan(float(tg.sqrt(-1.0)))
        np.testing.assert_array_equal(np.isnan(tg.log([1.0, -1.0]).numpy()), [False, True])


def test_maximum_and_minimum_ties_go_to_the_first_argument():
    a, b = tg.constant([1.0, 2.0, 3.0]), tg.constant([1.0, 0.0, 3.0])
    ga, gb = tg.gradients(tg.maximum(a, b), [a, b])
    np.testing.assert_array_equal(ga.numpy(), [1.0, 1.0, 1.0])
    np.testing.assert_array_equal(gb.numpy(), [0.0, 0.0, 0.0])
    ga, gb = tg.gradients(tg.minimum(a, b), [a, b])
    np.testing.assert_array_equal(ga.numpy(), [1.0, 0.0, 1.0])
    np.testing.assert_array_equal(gb.numpy(), [0.0, 1.0, 0.0])
    # The same in forward mode.
    _, tangent = tg.jvp(tg.maximum, (1.0, 1.0), (1.0, 0.0))
    assert float(tangent) == 1.0
    _, tangent = tg.jvp(tg.maximum, (1.0, 1.0), (0.0, 1.0))
    assert float(tangent) == 0.0


def test_relu_and_abs_derivative_at_zero_is_zero():
    x = np.array([-1.0, 0.0, 2.0])
    np.testing.assert_array_equal(tg.grad(tg.nn.relu)(x).numpy(), [0.0, 0.0, 1.0])
    np.testing.assert_array_equal(tg.grad(tg.abs)(x).numpy(), [-1.0, 0.0, 1.0])
    t = tg.constant(0.0)
    assert float(tg.gradients(tg.nn.relu(t), t)[0]) == 0.0
    _, tangent = tg.jvp(tg.nn.relu, (0.0,), (1.0,))
    assert float(tangent) == 0.0


def test_math_module_has_tensorflow_names():
    assert float(tg.math.log(np.e)) == pytest.approx(1.0)
    np.testing.assert_allclose(tg.math.sin([0.5]).numpy(), np.sin([0.5]))


def test_float32_stays_float32_in_every_mode():
    x32 = np.array([1.0, 2.0], dtype=np.float32)
    x = tg.constant(x32)
    assert tg.gradients(tg.sin(x) * x, x)[0].dtype == np.float32
    assert tg.grad(lambda t: t * t)(x32).dtype == np.float32
    assert tg.jvp(lambda t: t * t, (x32,), (np.ones(2, np.float32),))[1].dtype == np.float32


def test_reduce_max_ties_share_the_gradient_equally():
    v = tg.constant([1.0, 3.0, 3.0])
    np.testing.assert_array_equal(tg.gradients(tg.reduce_max(v), v)[0].numpy(), [0.0, 0.5, 0.5])
    _, tangent = tg.jvp(tg.reduce_max, (np.array([1.0, 3.0, 3.0]),), (np.array([5.0, 2.0, 4.0]),))
    assert float(tangent) == 3.0


def test_the_same_x_twice_gets_the_same_gradient_twice():
    x = tg.constant(3.0)
    assert [float(g) for g in tg.gradients(x * x, [x, x])] == [6.0, 6.0]
    y = x * x
    assert [float(g) for g in tg.gradients([y, y], x)] == [12.0]
