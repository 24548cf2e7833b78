"""Every element-wise op's value against NumPy and its derivatives against finite differences,
on arrays (issue 27: the ops' mutants; the power's fast paths for the exponents 2, 3, −1, ½ and 1
among them, which a mutant could break for arrays only).
"""

import numpy as np
import pytest

import teachgrad as tg
from teachgrad.testing import check_grads

X = np.array([0.3, 0.7, 1.4, 2.2])              # positive: every op below is defined there
XN = np.array([-1.3, -0.4, 0.6, 1.9])           # both signs, away from 0

UNARY = [
    ("sin", tg.sin, np.sin, X), ("cos", tg.cos, np.cos, X), ("tan", tg.tan, np.tan, X),
    ("exp", tg.exp, np.exp, XN), ("log", tg.log, np.log, X), ("sqrt", tg.sqrt, np.sqrt, X),
    ("square", tg.square, np.square, XN), ("abs", tg.abs, np.abs, XN),
    ("sinh", tg.sinh, np.sinh, XN), ("cosh", tg.cosh, np.cosh, XN),
    ("tanh", tg.tanh, np.tanh, XN), ("atan", tg.atan, np.arctan, XN),
    ("sigmoid", tg.sigmoid, lambda v: 1 / (1 + np.exp(-v)), XN),
    ("relu", tg.nn.relu, lambda v: np.maximum(v, 0), XN), ("neg", tg.negative, np.negative, XN),
]


@pytest.mark.parametrize("name, op, ref, x", UNARY, ids=[u[0] for u in UNARY])
def test_unary_value_and_derivatives(name, op, ref, x):
    got = op(tg.constant(x)).numpy()
    np.testing.assert_allclose(got, ref(x), rtol=1e-12)
    check_grads(op, (x,), order=2, modes=("fwd", "rev", "grad"))


@pytest.mark.parametrize("p", [2, 3, -1, 0.5, 1, 1.7, 2.0, 3.0, -1.0])
def test_power_of_an_array_by_a_number(p):
    x = X if p in (0.5, 1.7) else XN
    got = (tg.constant(x) ** p).numpy()
    np.testing.assert_allclose(got, np.power(x, float(p)), rtol=1e-12)
    check_grads(lambda a: a ** p, (x,), order=2, modes=("fwd", "rev", "grad"))
    # the slope, exactly: p·x^(p−1)
    np.testing.assert_allclose(tg.grad(lambda a: tg.reduce_sum(a ** p))(x).numpy(),
                               p * np.power(x, p - 1.0), rtol=1e-12)
    # a cotangent that is one number broadcast (a sum's, times 3)
    np.testing.assert_allclose(tg.grad(lambda a: tg.reduce_sum(a ** p) * 3.0)(x).numpy(),
                               3 * p * np.power(x, p - 1.0), rtol=1e-12)


def test_power_by_an_array_exponent_and_of_a_number():
    check_grads(lambda a, b: a ** b, (X, np.array([2.0, 3.0, -1.0, 0.5])), order=1)
    check_grads(lambda b: 2.0 ** b, (XN,), order=1)


@pytest.mark.parametrize("name, op, ref", [
    ("add", tg.add, np.add), ("sub", tg.subtract, np.subtract), ("mul", tg.multiply, np.multiply),
    ("div", tg.divide, np.divide), ("maximum", tg.maximum, np.maximum),
    ("minimum", tg.minimum, np.minimum)])
def test_binary_value_and_derivatives(name, op, ref):
    a, b = XN, np.array([0.5, -0.9, 1.1, 1.2])     # no ties for maximum/minimum
    np.testing.assert_allclose(op(tg.constant(a), tg.constant(b)).numpy(), ref(a, b),
                               rtol=1e-12)
    check_grads(op, (a, b), order=2, modes=("fwd", "rev", "grad"))
    check_grads(lambda u: op(u, 2.0), (a,), order=1)          # a number on one side
    check_grads(lambda u: op(u, b[:1]), (a,), order=1)       # broadcast


def test_where_value_and_derivatives():
    cond = np.array([True, False, True, False])
    a, b = XN, X
    np.testing.assert_array_equal(tg.where(cond, tg.constant(a), tg.constant(b)).numpy(),
                                  np.where(cond, a, b))
    check_grads(lambda u, v: tg.where(cond, u, v), (a, b), order=1)
