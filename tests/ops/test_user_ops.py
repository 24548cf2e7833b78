"""A user's own element-wise op, declared with ``tg.ops.elementwise`` after ``import teachgrad``
(lecture 6's build-it-yourself exercise): it works like teachgrad's own ops in every mode."""

import numpy as np
import pytest

import teachgrad as tg
from teachgrad.testing import check_grads, numerical_jvp


def declare_softplus(name="user_softplus"):
    return tg.ops.elementwise(name, lambda x: np.log1p(np.exp(x)),
                              partials=(lambda out, x: tg.sigmoid(x),), formulas=("σ({0})",),
                              expr="softplus({0})")


POINTS = [-3.0, -0.5, 0.0, 1.0, 2.5]


def softplus_numpy(x):
    return np.log1p(np.exp(x))


def test_graph_mode_gradients_in_a_session_match_finite_differences():
    softplus = declare_softplus()
    x = tg.placeholder(tg.float64, shape=[None])
    dx, = tg.gradients(softplus(x), x)
    with tg.Session() as sess:
        got = sess.run(dx, feed_dict={x: POINTS})
    assert np.allclose(got, numerical_jvp(softplus_numpy, [POINTS], [np.ones(5)]), atol=1e-7)


def test_both_modes_and_the_second_derivative(eager):
    softplus = declare_softplus()
    xs = np.array(POINTS)
    sig = 1 / (1 + np.exp(-xs))
    _, tangent = tg.jvp(softplus, (xs,), (np.ones_like(xs),))            # forward mode
    _, vjp_fn = tg.vjp(softplus, xs)                                       # reverse mode
    cotangent, = vjp_fn(np.ones_like(xs))
    assert np.allclose(tangent, sig) and np.allclose(cotangent, sig)
    assert np.allclose(tg.grad(tg.grad(softplus))(xs), sig * (1 - sig))  # σ′ = σ(1 − σ)
    check_grads(softplus, (xs,), order=2, modes=("fwd", "rev", "grad"))


def test_the_edges_and_the_steps_use_the_declared_partial():
    softplus = declare_softplus()
    g = tg.trace(lambda x: softplus(x) * 2, x=1.0)
    edge = g.edge("x", "a")
    assert edge.formula == "σ(x)" and np.isclose(edge.value, 1 / (1 + np.exp(-1.0)))
    assert "softplus(x)" in g.formula("a")
    forward = [s.value for s in g.forward_mode("x")]
    reverse = [s.value for s in g.reverse_mode("b")]
    assert np.isclose(forward[-1], reverse[-1]) and np.isclose(forward[-1], 2 * edge.value)


def test_redeclaring_ones_own_op_is_allowed_but_not_replacing_teachgrads():
    first = declare_softplus("user_op_twice")
    again = declare_softplus("user_op_twice")          # a notebook cell run twice
    assert first is not again and np.isclose(float(again(tg.constant(0.0))), np.log(2))
    assert "user_op_twice" not in tg.ops.REGISTRY      # the registry lists teachgrad's own ops
    with pytest.raises(ValueError, match="one of teachgrad's own ops.*my_softplus"):
        declare_softplus("softplus")
    assert tg.ops.REGISTRY["softplus"].formulas == ("σ({0})",)


def test_a_declaration_that_does_not_fit_is_explained():
    with pytest.raises(ValueError, match="one partial function and one formula per input"):
        tg.ops.elementwise("user_bad", np.sin, partials=(np.cos,), formulas=())
    with pytest.raises(ValueError, match="got 1 partials and 1 formulas"):
        tg.ops.elementwise("user_bad", np.sin, partials=("cos",), formulas=("cos({0})",))
