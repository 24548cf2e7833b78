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

import tracemalloc

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
MINUS_PLUS_TWICE = _op("fm_minus_plus_twice", lambda a, b: -a + 2 * b,
                       (lambda out, a, b: -1, lambda out, a, b: 2))
PLUS_MINUS_TWICE = _op("fm_plus_minus_twice", lambda a, b: a - 2 * b,
                       (lambda out, a, b: 1, lambda out, a, b: -2))
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
STEP_PLUS = _op("fm_step_plus", lambda a, b, c: np.floor(a) + b * c,
                (lambda out, a, b, c: None, lambda out, a, b, c: c, lambda out, a, b, c: b))


def _integers(x, y, z):
    u = TWICE_MINUS(x, y)                  # 2x - y
    v = MINUS_TWICE_PLUS(u, z)             # -2u + z
    w = TWICE(z) + NEGATE(y) + MINUS_TWICE(x)
    return v * 0.5 + w + COMBINE3(x, y, z) + MINUS_PLUS_TWICE(x, z) + PLUS_MINUS_TWICE(y, x)


def _integers_expected(x, y, z):
    # f = (-4x + 2y + z)/2 + 2z - y - 2x + 2x - y - 2z + (-x + 2z) + (y - 2x)
    return -5.0 + 0 * x, 0.0 + 0 * y, 2.5 + 0 * z


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
    return first + stepped + z + STEP_PLUS(z, x, y)


def _no_derivative_inside_expected(x, y, z):
    return 3.0 + y, 0.5 + np.floor(z) + x, 1.0 + 0 * z


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


@pytest.mark.parametrize("f, cotangent", [
    (lambda x: x, [3.0, 4.0]),                                # the cotangent is the gradient
    (lambda x: x + 0.0, [3.0, 4.0]),                          # passed on by a partial of 1
    (lambda x: tg.reshape(x, (2, 1)), [[3.0], [4.0]])])       # a view of it
def test_vjp_neither_freezes_nor_keeps_the_callers_cotangent(f, cotangent, eager):
    x = np.array([1.0, 2.0])
    _, back = tg.vjp(f, x)
    g = np.array(cotangent)
    (gx,) = back(g)
    assert g.flags.writeable           # the caller's array stays theirs
    g[...] = 100.0
    assert gx.numpy().tolist() == [3.0, 4.0]


def test_a_seed_that_is_also_an_input_gives_a_gradient_of_its_own(eager):
    from teachgrad.autodiff.engine import backward
    a = tg.constant(np.array([1.0, 2.0]))
    seed = np.array([1.0, 5.0])
    (g,) = backward([a], [seed], [a], record=False)
    seed[0] = -7.0
    assert seed.flags.writeable and g.numpy().tolist() == [1.0, 5.0]


def test_a_gradient_of_numpy_scalars_from_vjp_is_a_constant_a_later_program_can_use(eager):
    _, back = tg.vjp(lambda x, y: x * y, np.float64(3.0), np.float64(0.5))
    gx, gy = back(np.float64(2.0))
    assert (gx.numpy(), gy.numpy()) == (1.0, 6.0) and gx.op.type == "Const"
    t = tg.constant(np.float64(2.0))
    dt, dg = tg.gradients(gx * t, [t, gx])
    assert (dt.numpy(), dg.numpy()) == (1.0, 2.0)


@pytest.mark.parametrize("x", [np.float64(3.0), 3.0, np.array([3.0])])
def test_a_gradient_cannot_be_changed_through_the_array_numpy_sees(x, eager):
    # x reshaped to (1,) and summed: x's cotangent comes back through reshape's rule
    g = tg.grad(lambda x: tg.reduce_sum(tg.reshape(x, (1,)) * 2.0))(x)
    seen = np.asarray(g)
    try:
        seen[...] = 0.0
    except ValueError:     # read-only, as every recorded value
        pass
    assert g.numpy().tolist() == np.full(np.shape(x), 2.0).tolist()


N = 200_000     # float64: 1.6 MB an array


def _peak(f, *args):
    """The most memory NumPy and Python held at once while ``f(*args)`` ran, in arrays of N."""
    tracemalloc.start()
    try:
        f(*args)
        return tracemalloc.get_traced_memory()[1] / (8 * N)
    finally:
        tracemalloc.stop()


def test_a_cotangent_passed_through_a_sum_takes_no_memory_of_its_own(eager):
    # x + y + z: ∂/∂· = 1 each; the one cotangent reaches all three inputs, no array per input
    x, y, z = (np.full(N, v) for v in (1.0, 2.0, 3.0))
    f = tg.grad(lambda x, y, z: tg.reduce_sum(x + y + z), argnums=(0, 1, 2))
    assert _peak(f, x, y, z) < 3.5      # the two sums of the forward pass; an array per input: 6
    assert [g.numpy()[-1] for g in f(x, y, z)] == [1.0, 1.0, 1.0]


def test_a_negation_of_a_cotangent_this_pass_made_takes_no_memory_of_its_own(eager):
    # c · (-(x · d)) and c · (k - x · d): the cotangent c of the negation is this pass's own array,
    # negated where it is (one array fewer than -g)
    x, c, d = (np.full(N, v) for v in (1.5, 2.0, 3.0))
    negated = tg.grad(lambda x: tg.reduce_sum(c * -(x * d)))
    subtracted = tg.grad(lambda x: tg.reduce_sum(c * (1.0 - x * d)))
    for f in (negated, subtracted):
        assert f(x).numpy()[-1] == -6.0
        assert _peak(f, x) < 6.5      # (6 arrays; a fresh -g would make it 7)


def test_vjp_copies_only_a_cotangent_that_is_the_callers_own(eager):
    x, c, g = (np.full(N, v) for v in (1.5, 2.0, 3.0))
    _, times_c = tg.vjp(lambda x: x * c, x)           # x's cotangent g·c: an array of its own
    _, same = tg.vjp(lambda x: x + 0.0, x)            # x's cotangent g itself: copied
    assert times_c(g)[0].numpy()[-1] == 6.0 and same(g)[0].numpy()[-1] == 3.0
    assert _peak(times_c, g) < 1.5 and 0.5 < _peak(same, g) < 1.5
