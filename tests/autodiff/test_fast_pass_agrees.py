"""The two reverse passes agree: ``engine.recorded_pass`` (tensors in, tensors out, the pass a
student reads and the one ``tg.gradients`` runs) and ``fast.backward_values`` (the same walk on
NumPy values, with fused rules and in-place sums, the one ``grad``/``value_and_grad`` run).

Each program below is differentiated by both passes from the same seeds, and every adjoint must be
the same number (to a few ulps: a fused rule may round once less than ``g · partial``), the same
dtype and shape, and ``None`` for the same inputs.
"""

import numpy as np
import pytest

import teachgrad as tg
from teachgrad.autodiff.engine import backward
from teachgrad.autodiff.fast import backward_values


def _fan_out():
    a = tg.constant(np.float64(1.5))
    b = a + a                     # a used twice by one op
    c = b * b + tg.sin(b) * a     # b used three times, a reached on two routes
    return [c], [a, b]


def _seed_program():
    a, b = tg.constant(2.0), tg.constant(1.0)
    return [(a + b) * (b + 1)], [a, b]


def _broadcasting():
    rng = np.random.default_rng(0)
    x = tg.constant(rng.normal(size=(4, 3)))
    bias = tg.constant(rng.normal(size=(3,)))
    scale = tg.constant(np.float64(0.7))
    y = tg.tanh(x * scale + bias) / (1.5 + tg.cos(bias))
    return [tg.reduce_sum(y ** 2, axis=0), y], [x, bias, scale]


def _integers_and_unconnected():
    x = tg.constant(np.array([0.5, -1.0, 2.0]))
    n = tg.constant(np.array([1, 2, 3], dtype=np.int32))
    unused = tg.constant(np.float64(3.0))
    y = x * tg.cast(n, tg.float64) + tg.maximum(x, 0.0)
    return [y], [x, n, unused]


def _structural():
    rng = np.random.default_rng(1)
    w = tg.constant(rng.normal(size=(3, 2)))
    data = tg.constant(rng.normal(size=(5, 3)))
    h = tg.nn.relu(tg.matmul(data, w) + 0.1)
    loss = tg.reduce_mean(tg.reshape(tg.transpose(h), (-1,))[1:7] * 2.0)
    return [loss, tg.reduce_max(h, axis=1)], [w, data]


def _second_derivative():
    x = tg.constant(np.array([0.3, 1.1]))
    y = tg.exp(x) * tg.sin(x) + x ** 3
    dy = tg.gradients(y, x)[0]    # a recorded derivative: its graph is differentiated again
    return [dy], [x]


def _long_chain():
    x0 = tg.constant(np.float64(0.5))
    x = x0
    for _ in range(2000):
        x = tg.sin(x) * 1.0001 + 0.001
    return [x], [x0]


PROGRAMS = {f.__name__.strip("_"): f for f in (_fan_out, _seed_program, _broadcasting,
                                                _integers_and_unconnected, _structural,
                                                _second_derivative, _long_chain)}


def _seeds(ys):
    return [np.ones(np.shape(y._value), dtype=y._value.dtype)[()] for y in ys]


@pytest.mark.parametrize("name", sorted(PROGRAMS))
@pytest.mark.parametrize("mode", ["graph", "eager"])
def test_both_passes_give_the_same_adjoints(name, mode):
    if mode == "eager":
        tg.enable_eager_execution()
    ys, xs = PROGRAMS[name]()
    seeds = _seeds(ys)
    recorded = backward(ys, [tg.constant(s) for s in seeds], xs, record=True)
    fast = backward_values(ys, seeds, xs)
    assert len(recorded) == len(fast) == len(xs)
    for x, r, f in zip(xs, recorded, fast):
        assert (r is None) == (f is None), f"{name}: one pass gave None for {x.name}"
        if r is None:
            continue
        r_value = r.numpy() if r.has_value else tg.Session().run(r)
        f_value = f.numpy()
        assert f_value.shape == r_value.shape == tuple(x.shape)
        assert f_value.dtype == r_value.dtype
        np.testing.assert_allclose(f_value, r_value, rtol=1e-13, atol=1e-300)


def test_the_programs_have_what_they_claim():
    """None for an integer input and for an input the result does not reach; the fan-out and
    the second derivative give the numbers of their formulas."""
    tg.enable_eager_execution()
    ys, xs = _integers_and_unconnected()
    assert backward(ys, _seeds(ys), xs, record=False)[1:] == [None, None]
    ys, (a, b) = _fan_out()
    # c = (2a)^2 + sin(2a)·a:  dc/da = 8a + 2cos(2a)·a + sin(2a)
    expected = 8 * 1.5 + 2 * np.cos(3.0) * 1.5 + np.sin(3.0)
    assert float(backward(ys, _seeds(ys), [a], record=False)[0]) == pytest.approx(expected, 1e-14)
    ys, (x,) = _second_derivative()
    v = np.array([0.3, 1.1])
    d2 = 2 * np.exp(v) * np.cos(v) + 6 * v   # (eˣ sin x + x³)''
    np.testing.assert_allclose(backward(ys, _seeds(ys), [x], record=False)[0].numpy(), d2,
                               rtol=1e-13)
