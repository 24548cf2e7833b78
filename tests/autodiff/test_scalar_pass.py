"""``value_and_grad``/``grad`` of Python floats take a shorter road (issue 25, W1): the floats are
wrapped inline, binary operators on float scalars make their tensors inline, and the reverse pass
is ``fast.scalar_pass`` (liveness and the walk in one function) instead of ``values_pass``. Each
must give exactly what the general road gives: the same values, dtypes, records and refusals.
"""

import warnings

import numpy as np
import pytest

import teachgrad as tg
from teachgrad.autodiff import transforms
from teachgrad.core.primitive import apply

UNARY = [tg.sin, tg.cos, tg.exp, tg.tanh, tg.sigmoid, lambda a: -a, lambda a: a * a,
         lambda a: a ** 1.5, lambda a: tg.square(a), lambda a: tg.abs(a) * 0.5]
BINARY = [lambda a, b: a + b, lambda a, b: a - b, lambda a, b: a * b, lambda a, b: a / b,
          lambda a, b: 2.0 * a - b, lambda a, b: 1 - a * b, lambda a, b: tg.maximum(a, b),
          lambda a, b: tg.pow(tg.abs(a) + 1.0, b), lambda a, b: a / (b * b + 1.0)]


def _program(seed):
    """A random function of three floats: unary and binary scalar ops, constants made inside
    it, a branch computed from constants only (no x reaches it), reused intermediates."""
    rng = np.random.default_rng(seed)
    steps = [(int(rng.integers(len(UNARY))), int(rng.integers(len(BINARY))),
              int(rng.integers(6)), int(rng.integers(6))) for _ in range(int(rng.integers(2, 9)))]

    def f(x, y, z):
        values = [x, y, z]
        unused = tg.constant(np.float64(0.5)) * 3.0      # reached by no x
        for u, b, i, j in steps:
            a = UNARY[u](values[i % len(values)] * 0.5)
            values.append(BINARY[b](a, values[j % len(values)]) + unused * 0.0)
        return values[-1] + values[-2] * 0.25
    return f


def _general(monkeypatch):
    """value_and_grad with the scalar pass refused: values_pass, as before issue 25's W1 work."""
    monkeypatch.setattr(transforms, "scalar_pass", lambda *args: None)


def _calls(monkeypatch):
    used = []
    real = transforms.scalar_pass

    def counted(*args):
        result = real(*args)
        used.append(result is not None)
        return result
    monkeypatch.setattr(transforms, "scalar_pass", counted)
    return used


@pytest.mark.parametrize("seed", range(40))
def test_the_scalar_pass_gives_the_general_pass_numbers_exactly(seed, monkeypatch):
    f = _program(seed)
    args = (0.7, -1.3, 2.1)
    used = _calls(monkeypatch)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")   # (overflow in exp of a large value: both roads alike)
        value, grads = tg.value_and_grad(f, argnums=(0, 1, 2))(*args)
        monkeypatch.undo()
        _general(monkeypatch)
        value_0, grads_0 = tg.value_and_grad(f, argnums=(0, 1, 2))(*args)
    assert used == [True]
    assert value.dtype == value_0.dtype == tg.float64
    np.testing.assert_array_equal(value.numpy(), value_0.numpy())
    for g, g_0 in zip(grads, grads_0):
        assert g.dtype == g_0.dtype == tg.float64 and g.shape == g_0.shape == ()
        np.testing.assert_array_equal(g.numpy(), g_0.numpy())     # bit for bit


def test_the_seed_takes_the_scalar_pass_with_the_values_of_before(monkeypatch):
    used = _calls(monkeypatch)
    value, (da, db) = tg.value_and_grad(lambda a, b: (a + b) * (b + 1), argnums=(0, 1))(2.0, 1.0)
    assert used == [True]
    assert (value.numpy(), da.numpy(), db.numpy()) == (6.0, 2.0, 5.0)
    assert all(type(t._value) is np.float64 for t in (value, da, db))


@pytest.mark.parametrize("f, slope", [
    (lambda x: tg.reduce_sum(tg.stack([x, x * x])), 7.0),     # an array inside
    (lambda x: tg.identity(x) * x, 6.0),                      # ops with a vjp rule only
    (lambda x: tg.stop_gradient(x) * x + tg.floor(x), 3.0)])
def test_an_op_other_than_a_scalar_element_wise_one_sends_the_call_to_the_general_pass(
        f, slope, monkeypatch):
    used = _calls(monkeypatch)
    g = tg.grad(f)(3.0)
    assert used == [False]
    assert g.numpy() == slope and g.dtype == tg.float64


def test_an_op_no_input_reaches_is_not_differentiated():
    """log(0)'s partial 1/0 would warn: the scalar pass never visits a node no x reaches."""
    zero = tg.constant(np.float64(0.0))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        value, slope = tg.value_and_grad(lambda x: x * 2.0 + tg.exp(tg.log(zero)))(1.5)
    assert (value.numpy(), slope.numpy()) == (3.0, 2.0)


def test_an_argument_f_ignores_gets_zero_and_a_repeated_use_adds_up():
    da, db = tg.grad(lambda a, b: a * a * a, argnums=(0, 1))(2.0, 5.0)
    assert (da.numpy(), db.numpy()) == (12.0, 0.0)
    assert da.dtype == db.dtype == tg.float64
    value, slope = tg.value_and_grad(lambda x: x)(1.25)     # f returns its argument
    assert (value.numpy(), slope.numpy()) == (1.25, 1.0)


def test_nesting_and_refusals_are_unchanged():
    f = lambda x: x ** 3 + tg.sin(x)                    # noqa: E731
    assert float(tg.grad(tg.grad(f))(0.7)) == pytest.approx(6 * 0.7 - np.sin(0.7), rel=1e-14)
    _, slope = tg.jvp(tg.grad(f), (0.7,), (1.0,))
    assert float(slope) == pytest.approx(6 * 0.7 - np.sin(0.7), rel=1e-14)
    with pytest.raises(tg.errors.ConcretizationError, match="float\\(\\) of a traced tensor"):
        tg.grad(lambda x: float(x * 2.0) * x)(1.0)
    with pytest.raises(TypeError, match="argnums 2 but the function got 2 arguments"):
        tg.grad(lambda a, b: a * b, argnums=(0, 2))(1.0, 2.0)


# --- binary operators on float scalars, made inline ---------------------------------------------

OPERATORS = {"add": lambda a, b: a + b, "sub": lambda a, b: a - b, "mul": lambda a, b: a * b,
             "div": lambda a, b: a / b, "pow": lambda a, b: a ** b}
PRIMS = {"add": tg.ops.add, "sub": tg.ops.sub, "mul": tg.ops.mul, "div": tg.ops.div,
         "pow": tg.ops.pow}


@pytest.mark.parametrize("name", sorted(OPERATORS))
@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("other", ["tensor", 0.75, 3, -2.5])
def test_a_quick_operator_makes_what_apply_makes(name, dtype, other, eager):
    x = tg.constant(dtype(1.5))
    y = tg.constant(dtype(0.75)) if other == "tensor" else other
    for a, b in ((x, y), (y, x)):
        quick = OPERATORS[name](a, b)
        general = apply(PRIMS[name], a, b)
        assert quick.prim is general.prim and quick.dtype == general.dtype
        assert type(quick._value) is type(general._value) is dtype
        np.testing.assert_array_equal(quick.numpy(), general.numpy())
        for q, g in zip(quick.inputs, general.inputs):
            assert (q is g) if g in (x, y) else (
                q.prim is None and q._implicit and type(q._value) is type(g._value)
                and q._value == g._value)


def test_the_quick_operators_keep_the_dtype_rules(eager):
    with pytest.raises(TypeError, match="does not match dtype"):
        tg.constant(np.float64(1.0)) + tg.constant(np.float32(1.0))
    with pytest.raises(TypeError, match="cannot convert 1.5"):
        tg.constant(1) + 1.5
    assert (tg.constant(np.float64(1.0)) + True).dtype == tg.float64   # (bool: the general road)
