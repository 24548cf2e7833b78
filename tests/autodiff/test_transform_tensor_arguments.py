"""A transform given teachgrad tensors: each argument is a variable of its own (as in JAX: the
partial by that argument), and the result stays connected to the tensors for tg.gradients.

Both failed silently before: grad of a·b·b by b at a = b = x gave 3x² (the total derivative),
and tg.gradients of tg.grad(tg.sin)(x) by x gave [None] ("does not depend")."""
import numpy as np
import pytest

import teachgrad as tg

X = 0.5


@pytest.fixture
def x():
    return tg.constant(X, dtype=tg.float64)


def f(a, b):
    return a * b * b


def test_the_same_tensor_as_two_arguments_gives_each_partial(x):
    # jax.grad(f, argnums=1)(.5, .5) == 2ab == 0.5; argnums=0 -> b² == 0.25
    assert float(tg.grad(f, argnums=1)(x, x)) == pytest.approx(2 * X * X)
    assert float(tg.grad(f, argnums=0)(x, x)) == pytest.approx(X * X)
    ga, gb = tg.grad(f, argnums=(0, 1))(x, x)
    assert (float(ga), float(gb)) == pytest.approx((X * X, 2 * X * X))


def test_a_function_closing_over_its_argument_gets_the_partial(x):
    assert float(tg.grad(lambda a: a * x)(x)) == pytest.approx(X)


def test_jvp_and_vjp_with_the_same_tensor_twice(x):
    _, slope = tg.jvp(f, (x, x), (0.0, 1.0))
    assert float(slope) == pytest.approx(2 * X * X)
    _, vjp_fn = tg.vjp(f, x, x)
    assert [float(g) for g in vjp_fn(1.0)] == pytest.approx([X * X, 2 * X * X])


def test_gradients_of_a_transform_result_are_connected(x):
    (g,) = tg.gradients(tg.grad(tg.sin)(x), x)
    assert float(g) == pytest.approx(-np.sin(X))
    (g,) = tg.gradients(tg.grad(f, argnums=1)(x, x), x)      # d/dx 2x² = 4x
    assert float(g) == pytest.approx(4 * X)
    _, vjp_fn = tg.vjp(tg.sin, x)
    (g,) = tg.gradients(vjp_fn(1.0)[0], x)
    assert float(g) == pytest.approx(-np.sin(X))
    _, t = tg.jvp(tg.sin, (x,), (1.0,))
    (g,) = tg.gradients(t, x)
    assert float(g) == pytest.approx(-np.sin(X))


def test_float_arguments_are_unchanged():
    assert float(tg.grad(f, argnums=1)(X, X)) == pytest.approx(2 * X * X)
    assert float(tg.grad(tg.grad(tg.sin))(X)) == pytest.approx(-np.sin(X))
