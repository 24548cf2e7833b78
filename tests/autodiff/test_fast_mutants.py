"""The fast reverse passes (``autodiff/fast.py``) with a user's own element-wise ops (issue 27:
these kill surviving mutants of the scalar pass and of the fast pass's scalar branches).

teachgrad's own ops happen to declare few of the partials the fast passes must handle: an integer
partial other than ±1 (``2`` for ``2·a``), a partial or a fused ``vjp`` that reads the op's output
(``∂eˣ/∂x = out``), an op of three inputs, a partial that is None (no derivative) in the middle of
a program. ``tg.ops.elementwise`` lets a user declare all of them, so each program below is
differentiated on every road — Python floats (``scalar_pass``), NumPy scalars and arrays
(``values_pass``), ``tg.vjp`` — and must give the numbers of the recorded pass (``tg.gradients``:
tensors in, tensors out, the engine a student reads), which are checked against the formulas.
A partial is called only for a node an input reaches, and a gradient from ``grad`` is a constant
like any other.
"""

import numpy as np
import pytest

import teachgrad as tg


def _op(name, impl, partials, vjp=None):
    return tg.ops.elementwise(name, impl, partials=partials, formulas=("?",) * len(partials),
                              vjp=vjp)


# Integer partials: 2, -1, -2, 1 (teachgrad's own ops have only ±1)
TWICE_MINUS = _op("fm_twice_minus", lambda a, b: 2 * a - b,
                  (lambda out, a, b: 2, lambda out, a, b: -1))
MINUS_TWICE_PLUS = _op("fm_minus_twice_plus", lambda a, b: -2 * a + b,
                       (lambda out, a, b: -2, lambda out, a, b: 1))
TWICE = _op("fm_twice", lambda x: 2 * x, (lambda out, x: 2,))
NEGATE = _op("fm_negate", lambda x: -x, (lambda out, x: -1,))
MINUS_TWICE = _op("fm_minus_twice", lambda x: -2 * x, (lambda out, x: -2,))
COMBINE3 = _op("fm_combine3", lambda a, b, c: 2 * a - b - 2 * c,
               (lambda out, a, b, c: 2, lambda out, a, b, c: -1, lambda out, a, b, c: -2))
# Partials that read the output: a wrong or missing argument is a wrong number or a TypeError
SQUARE_TIMES = _op("fm_square_times", lambda a, b: a * a * b,
                   (lambda out, a, b: 2 * out / a, lambda out, a, b: out / b))
PRODUCT3 = _op("fm_product3", lambda a, b, c: a * b * c,
               (lambda out, a, b, c: out / a, lambda out, a, b, c: out / b,
                lambda out, a, b, c: out / c))
EXP = _op("fm_exp", np.exp, (lambda out, x: out,), vjp=(lambda g, out, x: g * out,))
SCALED_SUM = _op("fm_scaled_sum", lambda a, b: a * np.exp(b),
                 (lambda out, a, b: out / a, lambda out, a, b: out),
                 vjp=(lambda g, out, a, b: g * out / a, lambda g, out, a, b: g * out))
# No derivative: a partial of None
STEP = _op("fm_step", lambda x: np.floor(x), (lambda out, x: None,))


def _integers(x, y, z):
    u = TWICE_MINUS(x, y)                  # 2x - y
    v = MINUS_TWICE_PLUS(u, z)             # -2u + z
    w = TWICE(z) + NEGATE(y) + MINUS_TWICE(x)
    return v * 0.5 + w + COMBINE3(x, y, z)


def _integers_expected(x, y, z):
    # f = (-4x + 2y + z)/2 + 2z - y - 2x + 2x - y - 2z
    return -2.0 + 0 * x, 1.0 - 2.0 + 0 * y, 0.5 + 0 * z


def _outputs_read(x, y, z):
    return SQUARE_TIMES(x, y) + EXP(z * 0.5) * 2.0 + SCALED_SUM(y, z) * 0.25


def _outputs_read_expected(x, y, z):
    return (2 * x * y, x * x + 0.25 * np.exp(z), np.exp(z * 0.5) + 0.25 * y * np.exp(z))


def _three_inputs(x, y, z):
    c = tg.constant(1.5, dtype=x.dtype)
    return PRODUCT3(x, y, z) + PRODUCT3(c, y, z * 2.0) + COMBINE3(z, x, y)


def _three_inputs_expected(x, y, z):
    return y * z - 1.0, x * z + 3.0 * z - 2.0, x * y + 3.0 * y + 2.0


def _no_derivative_inside(x, y, z):
    first = x * 3.0 + y * 0.5              # made first: visited last
    stepped = STEP(z) * y                  # no derivative through STEP
    return first + stepped + z


def _no_derivative_inside_expected(x, y, z):
    return 3.0 + 0 * x, 0.5 + np.floor(z), 1.0 + 0 * z


PROGRAMS = {
    "integers": (_integers, _integers_expected),
    "outputs_read": (_outputs_read, _outputs_read_expected),
    "three_inputs": (_three_inputs, _three_inputs_expected),
    "no_derivative_inside": (_no_derivative_inside, _no_derivative_inside_expected),
}
ARGS = (1.25, -0.75, 2.5)


def _summed(f):
    return lambda *xs: tg.reduce_sum(f(*xs))


def _recorded(f, args):
    """The recorded pass's gradients (tg.gradients in eager mode), as NumPy values."""
    xs = [tg.constant(np.asarray(a, dtype=np.float64)) for a in args]
    return [g.numpy() for g in tg.gradients(tg.reduce_sum(f(*xs)), xs)]


@pytest.mark.parametrize("name", sorted(PROGRAMS))
def test_the_recorded_pass_gives_the_formulas(name, eager):
    f, expected = PROGRAMS[name]
    for got, want in zip(_recorded(f, ARGS), expected(*map(np.float64, ARGS))):
        np.testing.assert_allclose(got, want, rtol=1e-14)


@pytest.mark.parametrize("name", sorted(PROGRAMS))
def test_grad_of_python_floats_gives_the_recorded_numbers(name, eager):
    f, expected = PROGRAMS[name]
    grads = tg.grad(f, argnums=(0, 1, 2))(*ARGS)
    for g, want in zip(grads, expected(*map(np.float64, ARGS))):
        assert g.dtype == tg.float64 and g.shape == ()
        np.testing.assert_allclose(g.numpy(), want, rtol=1e-14)


@pytest.mark.parametrize("name", sorted(PROGRAMS))
@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_grad_of_numpy_scalars_gives_the_recorded_numbers(name, dtype, eager):
    f, expected = PROGRAMS[name]
    args = [dtype(a) for a in ARGS]
    grads = tg.grad(f, argnums=(0, 1, 2))(*args)
    for g, want in zip(grads, expected(*map(np.float64, ARGS))):
        assert g.dtype == tg.as_dtype(dtype) and g.shape == ()
        np.testing.assert_allclose(g.numpy(), want, rtol=1e-6 if dtype is np.float32 else 1e-14)


@pytest.mark.parametrize("name", sorted(PROGRAMS))
def test_grad_of_arrays_gives_the_recorded_numbers(name, eager):
    f, expected = PROGRAMS[name]
    args = [np.array([a, a * 0.5 + 0.25, -a]) for a in ARGS]
    grads = tg.grad(_summed(f), argnums=(0, 1, 2))(*args)
    for g, want, recorded in zip(grads, expected(*args), _recorded(f, args)):
        assert g.shape == (3,) and g.dtype == tg.float64
        np.testing.assert_allclose(recorded, want, rtol=1e-14)
        np.testing.assert_allclose(g.numpy(), want, rtol=1e-14)


@pytest.mark.parametrize("name", sorted(PROGRAMS))
def test_vjp_gives_the_recorded_numbers_times_the_cotangent(name, eager):
    f, expected = PROGRAMS[name]
    args = [np.float64(a) for a in ARGS]
    _, back = tg.vjp(f, *args)
    for g, want in zip(back(np.float64(-2.0)), expected(*args)):
        np.testing.assert_allclose(g.numpy(), -2.0 * want, rtol=1e-14)


def test_a_partial_is_called_only_where_an_input_reaches():
    calls = []

    def partial(out, x):
        calls.append(x)
        return 2 * x

    square = _op("fm_counted_square", lambda x: x * x, (partial,))
    two = tg.constant(np.float64(2.0))
    for x in (1.5, np.float64(1.5), np.array([1.5, 2.0])):
        calls.clear()
        f = lambda x: x * 4.0 + square(two) + square(x)      # noqa: E731
        g = tg.grad(f if np.ndim(x) == 0 else _summed(f))(x)
        np.testing.assert_allclose(g.numpy(), 4.0 + 2 * np.asarray(x))
        assert len(calls) == 1      # square(x)'s partial; square(two) is a constant


def test_the_gradient_of_a_difference_by_its_second_input_is_a_negation_as_in_tensorflow_1():
    x, y = tg.constant(1.0), tg.constant(2.0)
    g = tg.gradients(x - y, y)[0]
    assert g.op.type == "Neg"       # TF-1: gradients/sub_grad/Neg, not a multiplication by -1
    assert tg.Session().run(g) == -1.0


def test_a_gradient_of_python_floats_is_a_constant_a_later_program_can_use(eager):
    g = tg.grad(lambda x: x * x)(3.0)
    assert g.name == "Const:0" and g.op.type == "Const"
    t = tg.constant(np.float64(2.0))
    dt, dg = tg.gradients(g * t, [t, g])
    assert (dt.numpy(), dg.numpy()) == (6.0, 2.0)
