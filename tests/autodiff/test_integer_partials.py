"""A user's element-wise op whose partial is a plain int other than ±1 (``lambda out, x: 2``):
every derivative road multiplies by it. Before, an int partial was read as ±1, so 2 gave −1 —
a silently wrong number (found by helper S reading the passes)."""

import numpy as np
import pytest

import teachgrad as tg


@pytest.fixture
def double():
    return tg.ops.elementwise("double_it", lambda x: 2 * x, partials=(lambda out, x: 2,),
                              formulas=("2",))


@pytest.fixture
def add_triple():
    return tg.ops.elementwise("add_triple", lambda a, b: a + 3 * b,
                              partials=(lambda out, a, b: 1, lambda out, a, b: 3),
                              formulas=("1", "3"))


def test_every_reverse_road_multiplies_by_an_integer_partial(double, add_triple, eager):
    x = tg.constant(1.5, tg.float64)
    assert float(tg.gradients(double(x), x)[0]) == 2.0
    assert float(tg.grad(lambda t: double(t))(1.5)) == 2.0
    np.testing.assert_array_equal(tg.grad(lambda t: tg.reduce_sum(double(t)))(np.ones(3)),
                                  [2.0, 2.0, 2.0])
    value, grads = tg.value_and_grad(lambda a, b: add_triple(a, b) * 1.0, argnums=(0, 1))(2.0,
                                                                                           1.0)
    assert float(value) == 5.0 and [float(g) for g in grads] == [1.0, 3.0]
    np.testing.assert_array_equal(
        tg.grad(lambda a: tg.reduce_sum(add_triple(np.ones(3), a) * a))(np.full(3, 2.0)),
        [13.0, 13.0, 13.0])                     # d/da (1 + 3a)·a = 1 + 6a


def test_forward_mode_and_graph_mode_multiply_by_it_too(double):
    _, tangent = tg.jvp(lambda t: double(t), (1.5,), (1.0,))
    assert float(tangent) == 2.0
    x = tg.placeholder(tg.float64, ())
    (g,) = tg.gradients(double(double(x)), x)
    with tg.Session() as sess:
        assert sess.run(g, {x: 1.0}) == 4.0
    tg.testing.check_grads(lambda t: double(t) * t, (np.array([0.5, -1.0]),), order=1)
