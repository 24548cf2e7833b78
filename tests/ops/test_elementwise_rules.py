"""The element-wise rules' edges (issue 27: the ops' mutants): NumPy's floating-point warnings
stay off (log(-1) is NaN silently, as in NumPy's quiet mode and TF-1), integers to negative
powers are refused, the power's derivative by its exponent where the base is not positive
(TF-1's values), cotangents that are one number broadcast, and the power's edge formulas.
"""

import warnings

import numpy as np
import pytest

import teachgrad as tg


@pytest.fixture
def warnings_are_errors():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        yield


def test_nan_and_inf_come_silently(warnings_are_errors):
    assert np.isnan(tg.log(tg.constant(-1.0)).numpy())
    assert np.isinf(tg.divide(tg.constant(1.0), tg.constant(0.0)).numpy())
    x = tg.constant(np.array([-4.0, 0.0]))
    assert np.isnan((x ** 0.5).numpy()[0])
    assert np.isinf((x ** -1).numpy()[1])
    # derivatives: d(a/b)/db = -a/b^2 at b = 0; d(x^-1)/dx = -x^-2 at 0; d(x^0.5)/dx at 0
    a, b = tg.constant(np.array([1.0, 2.0])), tg.constant(np.array([0.0, 0.0]))
    assert np.isinf(tg.gradients(a / b, b)[0].numpy()).all()
    assert np.isinf(tg.grad(lambda u: tg.reduce_sum(u ** -1))(np.array([0.0, 1.0])).numpy()[0])
    assert np.isinf(tg.grad(lambda u: tg.reduce_sum(u ** 0.5))(np.array([0.0, 1.0])).numpy()[0])
    # sigmoid and softplus far out: 0, 1 and x, no overflow warning
    np.testing.assert_array_equal(tg.sigmoid(tg.constant(np.array([-1000.0, 1000.0]))).numpy(),
                                  [0.0, 1.0])
    np.testing.assert_array_equal(tg.nn.softplus(tg.constant(np.array([-1000.0, 1000.0]))).numpy(),
                                  [0.0, 1000.0])


INT_POWER = ("Integers to negative integer powers are not allowed: use floats (2.0 ** -1) or "
             "tg.cast")


def test_integers_to_negative_powers_are_refused_and_to_0_and_1_are_not():
    n = tg.constant([2, 3])
    with pytest.raises(tg.errors.InvalidArgumentError, match="^" + INT_POWER.replace(
            "(", r"\(").replace(")", r"\)").replace("*", r"\*").replace(".", r"\.") + "$"):
        n ** -1
    with pytest.raises(tg.errors.InvalidArgumentError):
        tg.pow(tg.constant(2), tg.constant([1, -1]))
    np.testing.assert_array_equal((n ** 0).numpy(), [1, 1])
    np.testing.assert_array_equal((n ** 1).numpy(), [2, 3])
    np.testing.assert_array_equal(tg.pow(n, tg.constant([0, 2])).numpy(), [1, 9])


def test_power_derivative_by_the_exponent_where_the_base_is_not_positive():
    # TF-1: d(a^b)/db = a^b·ln a where a > 0, else 0 (read off tensorflow.compat.v1)
    a = tg.constant(np.array([-2.0, 0.0, 3.0]))
    b = tg.constant(np.array([2.0, 2.0, 2.0]))
    da, db = tg.gradients(a ** b, [a, b])
    np.testing.assert_allclose(da.numpy(), [-4.0, 0.0, 6.0])
    np.testing.assert_allclose(db.numpy(), [0.0, 0.0, 9.0 * np.log(3.0)])


@pytest.mark.parametrize("c", [2.0, 1.0, -1.0])
def test_power_slope_under_a_cotangent_that_is_one_number(c):
    x = np.array([0.5, 1.5, -2.0])
    for p in (2, 3, -1):
        got = tg.grad(lambda u: tg.reduce_sum(u ** p) * c)(x).numpy()
        np.testing.assert_allclose(got, c * p * np.power(x, p - 1.0), rtol=1e-12)


@pytest.mark.parametrize("p, label", [
    ("2", "∂y/∂x = 2·x = 4"), ("3", "∂y/∂x = 3·x² = 12"), ("0.5", "∂y/∂x = 0.5·x^−0.5 = 0.3536"),
    ("-1", "∂y/∂x = −1·x⁻² = −0.25"), ("1", "∂y/∂x = 1"), ("1.5", "∂y/∂x = 1.5·x^0.5 = 2.121"),
    ("2.5", "∂y/∂x = 2.5·x^1.5 = 7.071"), ("-2", "∂y/∂x = −2·x⁻³ = −0.25"),
    ("0", "∂y/∂x = 0·x⁻¹ = 0")])
def test_the_power_edge_formulas(p, label):
    g = tg.trace("y = x ** " + p, x=2.0)
    assert str(g.edges[0]) == f"<Edge x -> y: {label}>"


def test_the_power_edge_formulas_with_a_named_exponent():
    g = tg.trace("y = x ** p", x=2.0, p=3.0)
    assert [str(e) for e in g.edges] == ["<Edge x -> y: ∂y/∂x = p·x^(p−1) = 12>",
                                         "<Edge p -> y: ∂y/∂p = x^p·ln x = 5.545>"]
    # superscripts up to 999; from 1000 on, x^1000
    assert str(tg.trace("y = x ** 1000", x=1.0).edges[0]) == \
        "<Edge x -> y: ∂y/∂x = 1000·x⁹⁹⁹ = 1000>"
    assert str(tg.trace("y = x ** 1001", x=1.0).edges[0]) == \
        "<Edge x -> y: ∂y/∂x = 1001·x^1000 = 1001>"


@pytest.mark.parametrize("p, slope", [(3, 24.0), (2, 8.0), (-1, -0.5), (0.5, 2 ** -0.5)])
def test_power_slope_of_a_0d_array_argument(p, slope):
    # 2·p·x^(p−1) at x = 2, the argument a 0-d array (its rules get NumPy scalars back)
    assert float(tg.grad(lambda u: u ** p * 2.0)(np.array(2.0))) == pytest.approx(slope,
                                                                                  rel=1e-15)


def test_indexing_by_tensors_and_out_of_range():
    x = tg.constant(np.arange(6.0).reshape(2, 3))
    assert float(x[(tg.constant(1), 0)].numpy()) == 3.0
    assert float(x[tg.constant(1)][2].numpy()) == 5.0
    with pytest.raises(IndexError, match=r"^index 5 does not fit a tensor of shape \(2, 3\): "
                                         "index 5 is out of bounds for axis 0 with size 2$"):
        x[5]


def test_a_users_element_wise_op_shows_its_expression_on_the_graph():
    # declared here, not at import: its text is the default name(inputs) or the expr given
    cube = tg.ops.elementwise("cube", lambda x: x ** 3, partials=(lambda out, x: 3 * x ** 2,),
                              formulas=("3·{0}²",))
    hyp = tg.ops.elementwise("hyp", lambda a, b: (a * a + b * b) ** 0.5,
                             partials=(lambda out, a, b: a / out, lambda out, a, b: b / out),
                             formulas=("{0}/h", "{1}/h"))
    norm = tg.ops.elementwise("norm2", lambda a, b: (a * a + b * b) ** 0.5,
                              partials=(lambda out, a, b: a / out, lambda out, a, b: b / out),
                              formulas=("{0}/h", "{1}/h"), expr="‖{0}, {1}‖")
    g = tg.trace(lambda x, y: hyp(cube(x), y), x=1.0, y=2.0)
    assert (g.formula("a"), g.formula("b")) == ("a = cube(x)", "b = hyp(a, y)")
    assert str(g.node("a")) == "<Node a = cube(x) = 1>"
    assert tg.trace(lambda x, y: norm(x, y), x=3.0, y=4.0).formula("a") == "a = ‖x, y‖"
    assert float(g.derivative("b", "x")) == pytest.approx(3 / 5 ** 0.5)
