"""The bugs the anchor codebases are known for (STYLE.md), each pinned down by a test.

* micrograd: ``b = a + a; c = b + b`` must give dc/da = 4 (contributions summed, not overwritten);
  ``backward()`` twice must not double the gradients (no state kept on nodes);
  a recursive topological sort dies past ~1000 nodes (we go to 100,000).
* a broadcast bias must get a gradient of its own shape (the column sums).
* an integer input must raise a clear error instead of a silently wrong (truncated) gradient.
* nobody raises ``sys.setrecursionlimit`` to paper over recursion.
"""

import subprocess
import sys
import textwrap
import time

import numpy as np
import pytest

import teachgrad as tg

CHAIN = 100_000
STEP = 1.00001


def test_reused_intermediate_adds_both_paths():
    a = tg.constant(3.0, tg.float64)
    b = a + a
    c = b + b
    assert float(tg.gradients(c, a)[0]) == 4.0
    assert float(tg.grad(lambda t: (t + t) + (t + t))(3.0)) == 4.0
    assert float(tg.jvp(lambda t: (t + t) + (t + t), (3.0,), (1.0,))[1]) == 4.0


def test_reused_intermediate_in_both_inputs_of_a_product():
    a = tg.constant(1.5, tg.float64)
    b = a * a
    c = b * b                                      # a⁴
    assert float(tg.gradients(c, a)[0]) == pytest.approx(4 * 1.5 ** 3, rel=1e-15)
    assert float(tg.gradients(c, b)[0]) == pytest.approx(2 * 1.5 ** 2, rel=1e-15)
    d = b * a + b                                  # a³ + a²: b feeds two consumers
    assert float(tg.gradients(d, a)[0]) == pytest.approx(3 * 1.5 ** 2 + 2 * 1.5, rel=1e-15)


def test_diamond_graph():
    x = tg.constant(0.3, tg.float64)
    s, c = tg.sin(x), tg.cos(x)
    y = s * c + s                                  # ∂y/∂x = cos 2x + cos x
    assert float(tg.gradients(y, x)[0]) == pytest.approx(np.cos(0.6) + np.cos(0.3), rel=1e-14)


def test_long_chain_differentiates_in_both_modes():
    limit = sys.getrecursionlimit()
    start = time.process_time()   # CPU time: other jobs on the machine do not count
    x = tg.constant(1.0, tg.float64)
    y = x
    for _ in range(CHAIN):
        y = y * STEP
    (g,) = tg.gradients(y, x)
    elapsed = time.process_time() - start          # building and reverse mode: about 1 s
    out, slope = tg.jvp(lambda t: _chain(t, CHAIN), (1.0,), (1.0,))
    expected = STEP ** CHAIN                       # ≈ e
    assert float(g) == pytest.approx(expected, rel=1e-9)
    assert float(y) == pytest.approx(expected, rel=1e-9)
    assert float(slope) == pytest.approx(expected, rel=1e-9)
    assert float(out) == pytest.approx(expected, rel=1e-9)
    assert sys.getrecursionlimit() == limit
    assert elapsed < 5.0, f"a {CHAIN}-op chain took {elapsed:.1f} s of CPU to differentiate"


def _chain(t, n):
    for _ in range(n):
        t = t * STEP
    return t


def test_long_chain_through_grad():
    g = tg.grad(lambda t: _chain(tg.sin(t), CHAIN))(0.5)
    assert float(g) == pytest.approx(np.cos(0.5) * STEP ** CHAIN, rel=1e-9)


def test_broadcast_bias_gradient_is_the_column_sums(eager):
    rng = np.random.default_rng(0)
    x, w, b = rng.normal(size=(5, 3)), rng.normal(size=(3, 10)), rng.normal(size=(10,))
    upstream = rng.normal(size=(5, 10))
    xt, wt, bt = tg.constant(x), tg.Variable(w), tg.Variable(b)
    y = xt @ wt + bt
    gx, gw, gb = tg.gradients(y, [xt, wt, bt], grad_ys=upstream)
    assert gb.shape == (10,)
    np.testing.assert_allclose(gb.numpy(), upstream.sum(axis=0), rtol=1e-13)
    np.testing.assert_allclose(gw.numpy(), x.T @ upstream, rtol=1e-13)
    np.testing.assert_allclose(gx.numpy(), upstream @ w.T, rtol=1e-13)
    (gb_ones,) = tg.gradients(y, bt)
    np.testing.assert_array_equal(gb_ones.numpy(), np.full(10, 5.0))
    # The same by grad and by vjp.
    gb_grad = tg.grad(lambda bias: tg.matmul(x, w) + bias)(b)
    np.testing.assert_array_equal(gb_grad.numpy(), np.full(10, 5.0))
    _, vjp_fn = tg.vjp(lambda bias: tg.matmul(x, w) + bias, b)
    np.testing.assert_allclose(vjp_fn(upstream)[0].numpy(), upstream.sum(axis=0), rtol=1e-13)


def test_integer_input_raises_instead_of_a_wrong_gradient():
    x = tg.constant([1, 2, 3])
    y = x * x
    with pytest.raises(tg.DTypeError, match="float"):
        tg.gradients(y, x)
    with pytest.raises(TypeError, match="float"):
        tg.grad(lambda t: t * 0.5)(np.array([1, 2, 3]))
    # Written as floats, the same gradient works.
    np.testing.assert_array_equal(tg.grad(lambda t: t * t)(np.array([1.0, 2.0, 3.0])).numpy(),
                                  [2.0, 4.0, 6.0])


def test_backward_twice_gives_the_same_numbers(eager):
    rng = np.random.default_rng(1)
    w, b = tg.Variable(rng.normal(size=(3, 2))), tg.Variable(np.zeros(2))
    x = tg.constant(rng.normal(size=(4, 3)))
    loss = tg.reduce_mean(tg.square(tg.tanh(x @ w + b)))
    value = float(loss)
    first = [g.numpy() for g in tg.gradients(loss, [w, b])]
    second = [g.numpy() for g in tg.gradients(loss, [w, b])]
    for f, s in zip(first, second):
        np.testing.assert_array_equal(f, s)
    assert float(loss) == value
    f_grad = tg.grad(lambda t: tg.reduce_sum(tg.sin(t) * t))
    np.testing.assert_array_equal(f_grad(np.arange(3.0)).numpy(), f_grad(np.arange(3.0)).numpy())


def test_gradients_do_not_change_when_another_gradient_was_taken_in_between():
    a = tg.constant(2.0, tg.float64)
    b = a * a
    c = b * 3.0
    g1 = float(tg.gradients(c, a)[0])
    tg.gradients(b, a)
    tg.gradients([b, c], [a, b])
    assert float(tg.gradients(c, a)[0]) == g1 == 12.0


def test_importing_and_differentiating_leaves_the_recursion_limit_alone():
    code = textwrap.dedent(f"""
        import sys
        before = sys.getrecursionlimit()
        import teachgrad as tg
        x = tg.constant(1.0, tg.float64)
        y = x
        for _ in range(20000):
            y = y + 1.0
        g = tg.gradients(y, x)[0]
        tg.grad(tg.grad(tg.sin))(0.5)
        assert float(g) == 1.0, float(g)
        print(before, sys.getrecursionlimit())
    """)
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            timeout=60)
    assert result.returncode == 0, result.stderr
    before, after = result.stdout.split()
    assert before == after
