"""The fast reverse pass on many small random programs, against the recorded pass (issue 27: these
kill surviving mutants of teachgrad/autodiff/fast.py's in-place book-keeping).

The fast pass adds into arrays it allocated itself and passes ±1 cotangents on unmultiplied, so the
same array can sit in several places of its adjoint table at once; adding into one of those
changes the others, silently. Random programs with fan-outs, pass-through ops (+, -, negation,
identity, reshape), broadcasting, fused rules and float32/float64 islands reach the orders in
which that could happen. Each adjoint must equal the recorded pass's (tensors, no in-place
arithmetic) in value, dtype and shape; the seeds given and the values recorded stay unchanged,
and asking twice gives the same answer.
"""

import numpy as np
import pytest

import teachgrad as tg
from teachgrad.autodiff.engine import backward
from teachgrad.autodiff.fast import backward_values

SHAPES = [(2, 3), (3,), (), (1, 3)]


def _unary(rng, a):
    kind = rng.integers(9)
    if kind == 0:
        return -a
    if kind == 1:
        return tg.identity(a)
    if kind == 2:
        return tg.tanh(a)
    if kind == 3:
        return tg.sigmoid(a)
    if kind == 4:
        return a * float(rng.uniform(0.5, 1.5))
    if kind == 5:
        return tg.reshape(a, a.shape)           # a structural op whose rule returns g reshaped
    if kind == 6:
        return tg.cast(tg.cast(a, tg.float32) * 1.5, tg.float64)   # a float32 island
    if kind == 7:
        return tg.sin(a)
    return a * a


def _binary(rng, a, b):
    kind = rng.integers(6)
    if kind == 0:
        return a + b
    if kind == 1:
        return a - b
    if kind == 2:
        return a * b
    if kind == 3:
        return b - a
    if kind == 4:
        return tg.maximum(a, b)
    return (a + b) * a


def _program(seed):
    rng = np.random.default_rng(seed)
    xs = [tg.constant(rng.uniform(0.5, 1.5, size=s)) for s in SHAPES]
    nodes = list(xs)
    for _ in range(int(rng.integers(4, 12))):
        if rng.random() < 0.4:
            nodes.append(_unary(rng, nodes[rng.integers(len(nodes))]))
        else:
            i, j = rng.integers(len(nodes), size=2)
            nodes.append(_binary(rng, nodes[i], nodes[j]))
    picks = sorted(set(rng.integers(len(xs), len(nodes), size=3).tolist()))
    ys = [nodes[k] for k in picks]
    if rng.random() < 0.3:
        ys.append(xs[int(rng.integers(len(xs)))])     # an input that is itself an output
    if rng.random() < 0.3:
        ys.append(ys[0])                               # an output given twice
    return ys, xs


def _seeds(rng, ys):
    seeds = []
    for y in ys:
        shape = np.shape(y._value)
        seed = rng.uniform(-1.0, 1.0, size=shape).astype(y._value.dtype)
        seeds.append(seed[()] if not shape else seed)
    return seeds


@pytest.mark.parametrize("seed", range(60))
def test_the_fast_pass_agrees_with_the_recorded_pass(seed, eager):
    ys, xs = _program(seed)
    seeds = _seeds(np.random.default_rng(1000 + seed), ys)
    given = [np.array(s, copy=True) for s in seeds]
    values = [np.array(y._value, copy=True) for y in ys]
    recorded = backward(ys, [tg.constant(s) for s in seeds], xs, record=True)
    for attempt in range(2):
        fast = backward_values(ys, seeds, xs)
        for x, r, f in zip(xs, recorded, fast):
            assert (r is None) == (f is None)
            if r is None:
                continue
            assert f.numpy().dtype == r.numpy().dtype
            assert f.numpy().shape == r.numpy().shape == tuple(x.shape)
            np.testing.assert_allclose(f.numpy(), r.numpy(), rtol=1e-12, atol=1e-12)
        for s, g in zip(seeds, given):
            np.testing.assert_array_equal(s, g)      # the caller's seeds: never written into
        for y, v in zip(ys, values):
            np.testing.assert_array_equal(y._value, v)


def test_a_scalar_reaching_a_structural_op_three_times_gets_all_three_cotangents():
    # Σ stack([x, x, x] · (1, 2, 3)): ∂/∂x = 6, through pack's rule, one contribution per use
    w = tg.constant([1.0, 2.0, 3.0], dtype=tg.float64)
    f = lambda x: tg.reduce_sum(tg.stack([x, x, x]) * w)
    assert float(tg.grad(f)(3.0)) == 6.0
    assert float(tg.grad(lambda x: tg.reduce_sum(tg.stack([x, x, x, x])))(3.0)) == 4.0


def test_a_negative_partial_before_a_pass_through_one_leaves_the_cotangent_intact():
    # flip(a, b) = b - a declared with ∂/∂a = -1 first: negating the cotangent for a must not
    # change the one b receives unmultiplied (∂/∂b = 1)
    flip = tg.ops.elementwise("test_flip", lambda a, b: b - a,
                              partials=(lambda out, a, b: -1, lambda out, a, b: 1),
                              formulas=("-1", "1"))
    c = tg.constant([1.0, 2.0, 3.0], dtype=tg.float64)
    a = np.array([0.5, 1.0, 1.5])
    b = np.array([2.0, 2.5, 3.0])
    ga, gb = tg.grad(lambda a, b: tg.reduce_sum(flip(a, b) * c), argnums=(0, 1))(a, b)
    assert ga.numpy().tolist() == [-1.0, -2.0, -3.0]
    assert gb.numpy().tolist() == [1.0, 2.0, 3.0]


def test_a_gradient_from_grad_takes_part_in_a_later_program():
    g = tg.grad(lambda x: tg.reduce_sum(x * x))(np.array([1.0, 2.0]))     # 2x = [2, 4]
    t = tg.constant(np.array([3.0, 5.0]))
    assert tg.gradients(tg.reduce_sum(g * t), t)[0].numpy().tolist() == [2.0, 4.0]


def test_a_summed_cotangent_passed_on_unchanged_is_not_added_into_later():
    # n's cotangent is a sum this pass made (n is used twice); n = x + y hands that one array to
    # both x and y; x's older use (u, made first, visited last) then adds to x's cotangent: y's
    # must not change. d/dx = c1 + c2 + c3, d/dy = c1 + c2.
    c1, c2, c3 = (tg.constant(np.array(v)) for v in ([1.0, 2.0], [10.0, 20.0], [100.0, 200.0]))

    def f(x, y):
        u = x * c3
        n = x + y
        return tg.reduce_sum(n * c1 + n * c2 + u)

    gx, gy = tg.grad(f, argnums=(0, 1))(np.array([1.0, 1.0]), np.array([2.0, 2.0]))
    assert gx.numpy().tolist() == [111.0, 222.0]
    assert gy.numpy().tolist() == [11.0, 22.0]


@pytest.mark.parametrize("first", ["float64", "float32"])
def test_float32_and_float64_cotangents_meet_at_an_input_in_either_order(first):
    # sum(x·x + 2·cast64(cast32(x)·1.5)): ∂/∂x = 2x + 3, float64, whichever use comes first
    def f(x):
        if first == "float64":
            square = x * x
            scaled = tg.cast(tg.cast(x, tg.float32) * 1.5, tg.float64) * 2.0
        else:
            scaled = tg.cast(tg.cast(x, tg.float32) * 1.5, tg.float64) * 2.0
            square = x * x
        return tg.reduce_sum(square + scaled)

    x = np.array([0.5, 1.25, 2.0])
    g = tg.grad(f)(x)
    assert g.dtype == tg.float64
    np.testing.assert_allclose(g.numpy(), 2 * x + 3, rtol=1e-6)
    # a scalar through stacking (a structural op's rule) and the same float32 island
    h = lambda x: tg.reduce_sum(tg.stack([tg.cast(tg.cast(x, tg.float32) * 1.5, tg.float64), x,
                                          x * x]))
    g = tg.grad(h)(2.0)
    assert g.dtype == tg.float64 and float(g) == pytest.approx(1.5 + 1 + 4.0, rel=1e-6)
