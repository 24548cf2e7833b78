"""The engine's edges that the everyday programs never reach (issue 27: these kill surviving
mutants of teachgrad/autodiff/engine.py): an input broadcast only at run time, the engine's own
functions called with NumPy seeds or values, seeds that broadcast against an x that is itself an
output, ops without a rule in one mode, partials and tangents that are "no derivative".

Expected values are exact (hand-derived) or TensorFlow 1's, read off tensorflow.compat.v1.
"""

import numpy as np
import pytest

import teachgrad as tg
from teachgrad.autodiff.engine import backward, forward, input_cotangent
from teachgrad.core.tensor import Tensor
from teachgrad.ops import REGISTRY


def test_an_input_broadcast_only_at_run_time_gets_its_cotangent_summed():
    # TF: x (None,) fed [2.], z (None,) fed [1, 2, 3, 4]: ∂Σ(x·z)/∂x = [10.], ∂/∂z = [2, 2, 2, 2]
    x = tg.placeholder(tg.float32, (None,))
    z = tg.placeholder(tg.float32, (None,))
    grads = tg.gradients(x * z, [x, z])
    with tg.Session() as sess:
        gx, gz = sess.run(grads, {x: [2.0], z: [1.0, 2.0, 3.0, 4.0]})
        assert gx.shape == (1,) and gx.tolist() == [10.0]
        assert gz.tolist() == [2.0, 2.0, 2.0, 2.0]
        # the same program fed equal shapes: nothing to sum
        gx, gz = sess.run(grads, {x: [2.0, 3.0], z: [5.0, 7.0]})
        assert gx.tolist() == [5.0, 7.0] and gz.tolist() == [2.0, 3.0]
    # TF: a (None, 1) column broadcast against a (None, 3) matrix: its rows' sums of b
    a = tg.placeholder(tg.float32, (None, 1))
    b = tg.placeholder(tg.float32, (None, 3))
    with tg.Session() as sess:
        got = sess.run(tg.gradients(a * b, a)[0], {a: [[1.0], [2.0]],
                                                   b: [[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]]})
    assert got.tolist() == [[6.0], [15.0]]


def _program():
    a = tg.constant(3.0)
    b = a * 2.0
    c = b * a            # 2a²
    return a, b, c


@pytest.mark.parametrize("record", [False, True])
def test_backward_holds_the_tensors_in_held_constant_in_both_passes(record):
    a, b, c = _program()
    seed = tg.constant(1.0) if record else np.float32(1.0)
    # held b: ∂c/∂a = b = 6 at a = 3; nothing held: 4a = 12
    assert float(backward([c], [seed], [a], record, held={b})[0]) == 6.0
    assert float(backward([c], [seed], [a], record)[0]) == 12.0


def test_backward_recorded_from_numpy_seeds_gives_tensors():
    a, b, c = _program()
    got = backward([c], [np.float32(2.0)], [a, b], record=True)
    assert all(g.__class__ is Tensor for g in got)
    assert [float(g) for g in got] == [24.0, 6.0]       # 2 · 4a, 2 · a


@pytest.mark.parametrize("record", [False, True])
def test_a_seed_broadcasts_against_an_x_that_is_the_output(record):
    x = tg.constant([1.0, 2.0, 3.0])
    seed = tg.constant(2.0) if record else np.float32(2.0)
    got = backward([x], [seed], [x], record)[0]
    assert got.shape == (3,) and got.numpy().tolist() == [2.0, 2.0, 2.0]


def test_a_seed_broadcasts_to_the_run_time_shape_of_an_x_with_unknown_sizes():
    p = tg.placeholder(tg.float32, (None,))
    g = backward([p], [tg.constant(2.0)], [p], record=True)[0]
    with tg.Session() as sess:
        assert sess.run(g, {p: [5.0, 6.0, 7.0, 8.0]}).tolist() == [2.0, 2.0, 2.0, 2.0]


def test_input_cotangent_runs_on_values_by_default_and_sums_a_broadcast_input():
    x = tg.constant([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]])
    bias = tg.constant([10.0, 20.0, 30.0])
    y = x * bias
    g = np.ones((2, 3), dtype=np.float32)
    got = input_cotangent(y, 1, g)                  # ∂y/∂bias = x, summed over the rows
    assert got.__class__ is np.ndarray and got.tolist() == [5.0, 7.0, 9.0]
    got = input_cotangent(y, 0, g)                  # ∂y/∂x = bias, each row
    assert got.tolist() == [[10.0, 20.0, 30.0]] * 2
    recorded = input_cotangent(y, 1, tg.constant(g), record=True)
    assert recorded.__class__ is Tensor and recorded.numpy().tolist() == [5.0, 7.0, 9.0]
    s = tg.constant(2.0) * tg.constant(5.0)         # a scalar node: no summing
    assert float(input_cotangent(s, 0, np.float32(3.0))) == 15.0


def _declare(name, **rules):
    """A user's structural op, taken out of the registry again after the test."""
    return tg.ops.structural(name, lambda x: x * 2.0, **rules)


def test_an_op_without_a_reverse_mode_rule_says_so():
    op = _declare("test_no_vjp", vjp=None, linear=True)
    try:
        x = tg.constant(1.5)
        y = op(x)
        with pytest.raises(NotImplementedError, match="^test_no_vjp has no reverse-mode rule$"):
            tg.gradients(y, x)
        with pytest.raises(NotImplementedError, match="^test_no_vjp has no reverse-mode rule$"):
            tg.grad(op)(1.5)
        # the forward mode goes through the op itself (linear): 2 · x_dot
        assert float(tg.jvp(op, (1.5,), (1.0,))[1]) == 2.0
    finally:
        REGISTRY.pop("test_no_vjp", None)


def test_an_op_without_a_forward_mode_rule_says_so():
    op = _declare("test_no_jvp", vjp=(lambda g, out, x: g * 2.0,))
    try:
        assert float(tg.grad(op)(1.5)) == 2.0
        with pytest.raises(NotImplementedError, match="^test_no_jvp has no forward-mode rule$"):
            tg.jvp(op, (1.5,), (1.0,))
    finally:
        REGISTRY.pop("test_no_jvp", None)


def test_a_partial_that_is_no_derivative_leaves_the_other_inputs_tangents():
    # f(a, b) = a + b, declaring "no derivative" by a: the tangent is b_dot alone
    f = tg.ops.elementwise("test_first_none", lambda a, b: a + b,
                           partials=(lambda out, a, b: None, lambda out, a, b: 3.0),
                           formulas=("0", "3"))
    out, slope = tg.jvp(f, (1.0, 2.0), (10.0, 1.0))
    assert float(out) == 3.0 and float(slope) == 3.0
    assert [float(g) for g in tg.grad(f, argnums=(0, 1))(1.0, 2.0)] == [0.0, 3.0]


def test_a_jvp_rule_that_is_no_derivative_leaves_the_other_inputs_tangents():
    op = tg.ops.structural("test_like_first", lambda like, x: x * 2.0,
                           vjp=(lambda g, out, like, x: None, lambda g, out, like, x: g * 2.0),
                           jvp=(lambda x_dot, out, like, x: None,
                                lambda x_dot, out, like, x: x_dot * 2.0))
    try:
        out, slope = tg.jvp(op, (5.0, 1.5), (1.0, 1.0))
        assert float(out) == 3.0 and float(slope) == 2.0
    finally:
        REGISTRY.pop("test_like_first", None)


def test_forward_mode_broadcasts_a_tangent_to_the_result_shape():
    c = tg.constant([1.0, 2.0, 3.0], dtype=tg.float64)
    out, slope = tg.jvp(lambda x: x + c, (2.0,), (1.0,))
    assert slope.shape == (3,) and slope.numpy().tolist() == [1.0, 1.0, 1.0]
    # in a program, to the run-time shape of an unknown size
    s = tg.placeholder(tg.float32, ())
    p = tg.placeholder(tg.float32, (None,))
    _, slope = tg.jvp(lambda s: s + p, (s,), (tg.constant(1.0),))
    with tg.Session() as sess:
        assert sess.run(slope, {s: 2.0, p: [1.0, 2.0, 3.0, 4.0]}).tolist() == [1.0] * 4


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_forward_mode_through_a_linear_op_keeps_the_dtype(dtype):
    # concat is linear: x_dot goes through it with zeros of the constant's dtype for the constant
    c = tg.constant(np.array([7.0, 8.0], dtype=dtype))
    out, slope = tg.jvp(lambda x: tg.concat([x, c], 0), (np.array([1.0, 2.0], dtype=dtype),),
                        (np.array([1.0, -1.0], dtype=dtype),))
    assert slope.dtype == dtype and slope.numpy().tolist() == [1.0, -1.0, 0.0, 0.0]
    x = tg.constant(np.array([1.0, 2.0], dtype=dtype))      # recorded: tensors in, tensors out
    out, slope = tg.jvp(lambda x: tg.concat([x, c], 0), (x,), (tg.constant(np.ones(2, dtype)),))
    assert slope.dtype == dtype and slope.numpy().tolist() == [1.0, 1.0, 0.0, 0.0]


def test_forward_returns_the_given_tangents_of_the_primals():
    a = tg.constant(2.0)
    b = a * 3.0
    tan = forward([b], [a], [np.float32(1.0)], record=False)
    assert float(tan[a]) == 1.0 and float(tan[b]) == 3.0


@pytest.mark.parametrize("shape", [(), (3,)])
def test_a_numpy_seed_on_an_output_that_is_x_gives_a_tensor_that_records(shape):
    x = tg.constant(np.full(shape, 1.5))
    g = backward([x], [np.float64(2.0)], [x], record=True)[0]
    assert g.__class__ is Tensor and g.shape == shape
    assert (g.numpy() == 2.0).all()
    # a recorded result takes part in programs and their derivatives like any tensor
    assert float(tg.gradients(tg.reduce_sum(g * x), x)[0].numpy().sum()) == 2.0 * np.prod(shape)


def test_a_broadcast_seed_of_a_fully_known_x_needs_no_feed():
    # the seed 2 broadcast to p's static shape (3,): running it needs no value of p
    p = tg.placeholder(tg.float32, (3,))
    g = backward([p], [tg.constant(2.0)], [p], record=True)[0]
    with tg.Session() as sess:
        assert sess.run(g).tolist() == [2.0, 2.0, 2.0]


def test_the_tangent_of_an_affine_program_needs_no_feed_of_the_primal():
    # y = s + c with c of shape (3,): ẏ = ṡ broadcast to (3,), whatever s is
    s = tg.placeholder(tg.float32, ())
    c = tg.constant([1.0, 2.0, 3.0])
    _, slope = tg.jvp(lambda s: s + c, (s,), (tg.constant(1.0),))
    with tg.Session() as sess:
        assert sess.run(slope).tolist() == [1.0, 1.0, 1.0]


def test_the_fast_pass_records_nothing_into_the_users_program():
    from teachgrad.autodiff.fast import backward_values
    graph = tg.get_default_graph()
    a, b, c = _program()
    before = len(graph.get_operations())
    got = backward_values([c], [np.float32(1.0)], [a, b])
    assert [float(g) for g in got] == [12.0, 3.0]
    assert len(graph.get_operations()) == before
    d = c + 1.0                                   # and the program records again afterwards
    assert len(graph.get_operations()) == before + 2
    assert d.graph is graph


def test_the_fast_pass_holds_the_tensors_in_held_constant_in_eager_mode(eager):
    from teachgrad.autodiff.fast import backward_values
    a, b, c = _program()
    assert float(backward_values([c], [np.float32(1.0)], [a], held={b})[0]) == 6.0
    assert float(backward_values([c], [np.float32(1.0)], [a])[0]) == 12.0
