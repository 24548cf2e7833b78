"""``teachgrad.testing.check_grads``: silent on right derivatives, an ``AssertionError`` naming the
mode and the worst element on a wrong one — to the second order too."""

import numpy as np
import pytest

import teachgrad as tg
from teachgrad.testing import MODES, check_grads, numerical_jvp, numerical_vjp

ALL = tuple(MODES)


def declare_cube(name, partial):
    return tg.ops.elementwise(name, lambda x: x ** 3, partials=(partial,), formulas=("?",))


def test_right_derivatives_pass_in_every_mode_to_the_second_order():
    check_grads(lambda a, b: (a + b) * (b + 1), (2.0, 1.0), order=2, modes=ALL)
    check_grads(lambda x, w: tg.reduce_sum(tg.tanh(tg.matmul(x, w)), axis=0),
                (np.linspace(-1, 1, 6).reshape(2, 3), np.ones((3, 2)) * 0.3), order=2, modes=ALL)


def test_a_wrong_partial_fails_in_every_mode_naming_the_worst_element():
    wrong = declare_cube("cube_with_a_wrong_partial", lambda out, x: 3 * x)     # 3x² is right
    with pytest.raises(AssertionError) as failed:
        check_grads(wrong, ([0.5, 2.0],), modes=ALL)
    lines = str(failed.value).splitlines()
    assert [line.split(":")[0] for line in lines] == [
        "fwd (jvp)", "rev (vjp) wrt argument 0", "gradients (TF-1, grad_ys) wrt argument 0",
        "grad (output summed) wrt argument 0"]
    # grad sums the output: 3x = [1.5, 6] against 3x² = [0.75, 12]; x = 2 is the worst.
    assert lines[3].startswith("grad (output summed) wrt argument 0: worst element (1,): "
                               "got 6.0, finite differences 12.0000")
    assert lines[3].endswith("2 of 2 elements off")


def test_a_wrong_second_derivative_passes_order_1_and_fails_order_2():
    # The partial's value is right, but it is held constant: its own derivative is lost.
    flat = declare_cube("cube_with_a_constant_partial",
                        lambda out, x: 3 * tg.stop_gradient(x) ** 2)
    check_grads(flat, ([0.5, 2.0],), order=1, modes=ALL)
    with pytest.raises(AssertionError, match=r"(?m)^order 2 through jvp: fwd \(jvp\): worst "
                                             r"element"):
        check_grads(flat, ([0.5, 2.0],), order=2, modes=("fwd",))
    with pytest.raises(AssertionError, match=r"(?m)^order 2 through vjp wrt argument 0: rev"):
        check_grads(flat, ([0.5, 2.0],), order=2, modes=("rev",))


def test_no_gradient_passes_only_where_finite_differences_are_zero():
    check_grads(lambda x, y: tg.sin(x), (0.5, 3.0), modes=("gradients",))   # None for y
    with pytest.raises(AssertionError, match="got None"):
        from teachgrad.testing import _compare
        _compare(None, [0.0, 1.0], 1e-5, 1e-7, "x")


def test_a_nan_derivative_fails():
    with pytest.raises(AssertionError, match="worst element"):
        check_grads(tg.sqrt, ([0.0, 1.0],), modes=("rev",))        # sqrt'(0) is inf


def test_bad_modes_and_orders_are_refused():
    with pytest.raises(ValueError, match="expected some of"):
        check_grads(tg.sin, (1.0,), modes=("reverse",))
    with pytest.raises(ValueError, match="expected an int >= 1"):
        check_grads(tg.sin, (1.0,), order=0)


def test_the_numerical_products_on_a_numpy_function():
    x, y = np.array([0.3, -1.2]), np.array(2.0)
    g = np.array([1.0, -2.0])
    d_x, d_y = numerical_vjp(lambda a, b: a * b ** 2, [x, y], g)
    np.testing.assert_allclose(d_x, g * 4.0, rtol=1e-8)
    np.testing.assert_allclose(d_y, np.sum(g * x * 2 * 2.0), rtol=1e-8)
    (only_y,) = numerical_vjp(lambda a, b: a * b ** 2, [x, y], g, argnums=[1])
    assert only_y == pytest.approx(d_y)
    np.testing.assert_allclose(numerical_jvp(np.exp, [x], [np.ones(2)]), np.exp(x), rtol=1e-8)
