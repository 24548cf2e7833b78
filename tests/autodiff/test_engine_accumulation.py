"""The reverse pass where a number goes wrong quietly: cotangents summed at a fan-out, shared
arrays that must not be added into, repeated outputs, stopped tensors, broadcast inputs, mixed
dtypes (issue 27: these kill surviving mutants of teachgrad/autodiff/engine.py).

Every gradient is checked against central finite differences in float64, in both reverse passes:
the fast one (``tg.grad``, ``tg.vjp``: NumPy values) and the recorded one (``tg.gradients``:
tensors that can be differentiated again).
"""

import re

import numpy as np
import pytest

import teachgrad as tg

RNG = np.random.default_rng(27)


def numeric_grad(f, *args, eps=1e-6):
    """Central differences of scalar f at args (float64 arrays), one array per argument."""
    grads = []
    for k, a in enumerate(args):
        g = np.zeros_like(a)
        for idx in np.ndindex(a.shape):
            up = [b.copy() for b in args]
            down = [b.copy() for b in args]
            up[k][idx] += eps
            down[k][idx] -= eps
            g[idx] = (float(np.asarray(f(*up))) - float(np.asarray(f(*down)))) / (2 * eps)
        grads.append(g)
    return grads


def fan_out_sum(x):                 # add passes g itself to both inputs: one array, two places
    u = x + x
    v = u * u
    return tg.reduce_sum(v + u + x)


def negation_chain(x):              # ∂(-x)/∂x = -1 and sub's second input: -g, freshly made
    u = -x
    v = u - x
    return tg.reduce_sum(v * u - v + (x - u))


def shared_then_scaled(x):          # g reaches x along three paths, one of them unchanged
    y = tg.identity(x)
    z = y + 0.0
    return tg.reduce_sum(z * 3.0 + y * x + z)


def broadcast_bias(x, b):           # (3,) + (2, 3): b's cotangent summed over rows, then reused
    h = x + b
    return tg.reduce_sum(h * h + (h + x) * b)


def mixed_dtypes(x):                # float64 and float32 cotangents meet at x
    y = tg.cast(x, tg.float32) * 2.0
    return tg.reduce_sum(tg.cast(y, tg.float64) * x + x)


CASES = [
    (fan_out_sum, [(3,)]),
    (negation_chain, [(2, 2)]),
    (shared_then_scaled, [(4,)]),
    (broadcast_bias, [(3,), (2, 3)]),
]


def _args(shapes):
    return [RNG.uniform(0.5, 1.5, size=s) for s in shapes]


def _values(f):
    return lambda *a: f(*[tg.constant(v, dtype=tg.float64) for v in a]).numpy()


@pytest.mark.parametrize("f, shapes", CASES, ids=[f.__name__ for f, _ in CASES])
def test_fast_reverse_pass_matches_finite_differences(f, shapes):
    args = _args(shapes)
    expected = numeric_grad(_values(f), *args)
    got = tg.grad(f, argnums=tuple(range(len(args))))(*args)
    for g, e in zip(got, expected):
        np.testing.assert_allclose(np.asarray(g, dtype=np.float64), e, rtol=1e-5, atol=1e-6)
    again = tg.grad(f, argnums=tuple(range(len(args))))(*args)    # and asking twice: the same
    for g, e in zip(again, expected):
        np.testing.assert_allclose(np.asarray(g, dtype=np.float64), e, rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize("f, shapes", CASES, ids=[f.__name__ for f, _ in CASES])
def test_recorded_reverse_pass_matches_finite_differences(f, shapes):
    args = _args(shapes)
    expected = numeric_grad(_values(f), *args)
    xs = [tg.placeholder(tg.float64, s) for s in shapes]
    grads = tg.gradients(f(*xs), xs)
    with tg.Session() as sess:
        got = sess.run(grads, dict(zip(xs, args)))
    for g, e in zip(got, expected):
        np.testing.assert_allclose(g, e, rtol=1e-5, atol=1e-6)


def test_a_repeated_output_adds_its_cotangents():
    x = tg.placeholder(tg.float32, ())
    y = x * x
    with tg.Session() as sess:
        # TF: tf.gradients([y, y], x) at x = 3 is 2·6 = 12; with grad_ys 1 and 2 it is 18
        assert sess.run(tg.gradients([y, y], x), {x: 3.0}) == [12.0]
        assert sess.run(tg.gradients([y, y], x, grad_ys=[1.0, 2.0]), {x: 3.0}) == [18.0]
        assert sess.run(tg.gradients([y, x], x), {x: 3.0}) == [7.0]


def test_a_repeated_output_adds_its_cotangents_in_the_fast_pass():
    def twice(x):
        y = x * x
        return y, y

    out, vjp_fn = tg.vjp(twice, 3.0)
    assert [float(o) for o in out] == [9.0, 9.0]
    assert float(vjp_fn((1.0, 2.0))[0]) == 18.0           # (1 + 2) · 2x
    assert float(vjp_fn((1.0, -1.0))[0]) == 0.0

    def itself_and_square(x):
        return x, x * x

    _, vjp_fn = tg.vjp(itself_and_square, 3.0)
    assert float(vjp_fn((1.0, 1.0))[0]) == 7.0            # 1 + 2x


def test_a_stopped_tensor_passes_nothing_on_and_others_still_flow():
    a = tg.placeholder(tg.float32, ())
    b = a * 2.0
    c = b * a
    with tg.Session() as sess:
        # TF: c = 2a², stop b: ∂c/∂a = b = 2a = 6 at a = 3; stop nothing: 4a = 12
        assert sess.run(tg.gradients(c, a, stop_gradients=[b]), {a: 3.0}) == [6.0]
        assert sess.run(tg.gradients(c, a), {a: 3.0}) == [12.0]
        assert sess.run(tg.gradients(c, [a, b], stop_gradients=[a, b]), {a: 3.0}) == [6.0, 3.0]


def test_the_gradient_of_a_tensor_with_respect_to_itself_has_its_shape():
    x = tg.placeholder(tg.float32, (2, 3))
    y = tg.placeholder(tg.float32, (None, 3))
    with tg.Session() as sess:
        got = sess.run(tg.gradients(x, x), {x: np.zeros((2, 3))})[0]
        assert got.shape == (2, 3) and (got == 1.0).all()                 # TF: ones (2, 3)
        got = sess.run(tg.gradients(tg.reduce_sum(y), y), {y: np.zeros((4, 3))})[0]
        assert got.shape == (4, 3) and (got == 1.0).all()


def test_float64_and_float32_cotangents_meet_at_an_input():
    # sum(2·cast32(x)·x + x): ∂/∂x = 4x + 1 (up to float32 rounding of x); a cast is not smooth
    # at float64's scale, so exact values, not finite differences.
    x = np.array([0.5, 1.25, 2.0])
    expected = 4 * x + 1
    np.testing.assert_allclose(np.asarray(tg.grad(mixed_dtypes)(x)), expected, rtol=1e-6)
    p = tg.placeholder(tg.float64, (3,))
    with tg.Session() as sess:
        got = sess.run(tg.gradients(mixed_dtypes(p), p), {p: x})[0]
    assert got.dtype == np.float64
    np.testing.assert_allclose(got, expected, rtol=1e-6)


def test_eager_a_derivative_recorded_before_an_assignment_is_refused(eager):
    w = tg.Variable(2.0, name="w")
    y = w * w
    _ = w.assign(5.0)
    with pytest.raises(ValueError, match="^" + re.escape(
            "'mul:0' was computed before variable 'w' was assigned a new value: its derivative "
            "would mix the old value of 'w' (the one 'mul:0' was computed with) and the new one. "
            "Compute it again after the assignment, then differentiate") + "$"):
        tg.gradients(y, w)
    z = w * w                                    # computed again: 2w at w = 5
    assert float(tg.gradients(z, w)[0]) == 10.0
    assert float(tg.gradients(w * 3.0, w)[0]) == 3.0
