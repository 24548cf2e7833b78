"""tf.cond and tf.while_loop at their edges (issue 27: ops/control_flow.py's mutants): gradients
through loops whose variables get a cotangent only in some iterations, loops that run zero
times or stop at maximum_iterations with captured tensors, integer loop variables, both outputs
of a cond differentiated, the zeros of the branch not taken, second derivatives refused, the
fetched arrays, and the teaching graph's view of a cond or a loop (its text, its partials,
forward mode through it).

Every value below was read off tensorflow.compat.v1 (TensorFlow 2.21, disable_v2_behavior)
running the same program, unless the test says it is teachgrad's own (the teaching graph).
"""

import re

import numpy as np
import pytest

import teachgrad as tf
from teachgrad import errors


@pytest.fixture
def sess():
    with tf.Session() as session:
        yield session


def placeholders():
    x = tf.placeholder(tf.float32, (2,), name="x")
    w = tf.placeholder(tf.float32, (2,), name="w")
    p = tf.placeholder(tf.bool, (), name="p")
    n = tf.placeholder(tf.int32, (), name="n")
    return x, w, p, n


FEED = ([1.0, 2.0], [3.0, 4.0])


def test_a_loop_variable_that_gets_its_cotangent_only_from_earlier_iterations(sess):
    x, w, p, n = placeholders()
    # b = x + xw + xw² (three iterations): a's cotangent comes only through b, and in the last
    # iteration a's result is not used at all
    _, a, b = tf.while_loop(lambda i, a, b: i < n, lambda i, a, b: (i + 1, a * w, b + a),
                            [0, x, tf.zeros_like(x)])
    feed = {x: FEED[0], w: FEED[1], n: 3}
    got = sess.run(tf.gradients(b, [x, w]), feed)
    np.testing.assert_array_equal(got, [[13.0, 21.0], [7.0, 18.0]])          # TF
    # zero iterations: b is zeros, a is x (TF: [0, 0], [0, 0] and [1, 1], [0, 0])
    np.testing.assert_array_equal(sess.run(tf.gradients(b, [x, w]), {**feed, n: 0}),
                                  [[0.0, 0.0], [0.0, 0.0]])
    np.testing.assert_array_equal(sess.run(tf.gradients(a, [x, w]), {**feed, n: 0}),
                                  [[1.0, 1.0], [0.0, 0.0]])


def test_maximum_iterations_with_a_captured_tensor(sess):
    x, w, p, n = placeholders()
    feed = {x: FEED[0], w: FEED[1], n: 3}
    # c ← c·w + x, stopped after n (a fed tensor) or 2 (a number) iterations; the test would
    # run 100 (TF-1 wants the loop variables as a tuple here)
    _, c = tf.while_loop(lambda j, c: j < 100, lambda j, c: (j + 1, c * w + x), (0, x),
                         maximum_iterations=n)
    _, c2 = tf.while_loop(lambda j, c: j < 100, lambda j, c: (j + 1, c * w + x), (0, x),
                          maximum_iterations=2)
    got = sess.run([c] + tf.gradients(c, [x, w]), feed)
    np.testing.assert_array_equal(got, [[40.0, 170.0], [40.0, 85.0], [34.0, 114.0]])    # TF
    got = sess.run([c2] + tf.gradients(c2, [x, w]), feed)
    np.testing.assert_array_equal(got, [[13.0, 42.0], [13.0, 21.0], [7.0, 18.0]])       # TF


def test_a_loop_that_runs_zero_times_passes_its_initial_value_and_nothing_to_captures(sess):
    x, w, p, n = placeholders()
    _, s = tf.while_loop(lambda i, s: i < n, lambda i, s: (i + 1, s * w), [0, x])
    got = sess.run([s] + tf.gradients(s, [x, w]), {x: FEED[0], w: FEED[1], n: 0})
    np.testing.assert_array_equal(got, [[1.0, 2.0], [1.0, 1.0], [0.0, 0.0]])            # TF
    assert [v.dtype for v in got] == [np.float32] * 3


def test_an_integer_loop_variable_carries_no_derivative(sess):
    x, w, p, n = placeholders()
    i, s = tf.while_loop(lambda i, s: i < 3, lambda i, s: (i + 1, s * x), [0, x])
    got = sess.run(tf.gradients(tf.cast(i, tf.float32) + s, [x]), {x: FEED[0]})
    np.testing.assert_array_equal(got, [[4.0, 32.0]])                         # TF: d(x⁴) = 4x³


def test_both_outputs_of_a_cond_differentiated(sess):
    x, w, p, n = placeholders()
    a, b = tf.cond(p, lambda: (x * 2.0, x * x), lambda: (w, x))
    grads = tf.gradients(a + b, [x, w])
    feed = {x: FEED[0], w: FEED[1], p: True}
    np.testing.assert_array_equal(sess.run(grads, feed), [[4.0, 6.0], [0.0, 0.0]])      # TF
    np.testing.assert_array_equal(sess.run(grads, {**feed, p: False}),
                                  [[1.0, 1.0], [1.0, 1.0]])                              # TF
    # and the two outputs apart, in one run: a's and b's
    ga, gb = tf.gradients(a, x)[0], tf.gradients(b, x)[0]
    np.testing.assert_array_equal(sess.run([ga, gb], feed), [[2.0, 2.0], [2.0, 4.0]])


def test_branches_that_read_different_tensors(sess):
    x, w, p, n = placeholders()
    z = tf.placeholder(tf.float32, (2,), name="z")
    y = tf.cond(p, lambda: x * 2.0, lambda: z * w)
    grads = tf.gradients(y, [x, z, w])
    feed = {x: FEED[0], w: FEED[1], z: [5.0, 6.0], p: True}
    got = sess.run(grads, feed)
    np.testing.assert_array_equal(got, [[2.0, 2.0], [0.0, 0.0], [0.0, 0.0]])            # TF
    assert [v.dtype for v in got] == [np.float32] * 3 and [v.shape for v in got] == [(2,)] * 3
    got = sess.run(grads, {**feed, p: False})
    np.testing.assert_array_equal(got, [[0.0, 0.0], [3.0, 4.0], [5.0, 6.0]])            # TF
    # a branch that returns an outer tensor itself
    y = tf.cond(p, lambda: x, lambda: w)
    np.testing.assert_array_equal(sess.run([y] + tf.gradients(y, [x, w]), feed),
                                  [[1.0, 2.0], [1.0, 1.0], [0.0, 0.0]])


def test_an_integer_tensor_read_in_a_branch(sess):
    x, w, p, n = placeholders()
    k = tf.placeholder(tf.int32, (2,), name="k")
    y = tf.cond(p, lambda: x * tf.cast(k, tf.float32), lambda: x)
    np.testing.assert_array_equal(sess.run(tf.gradients(y, [x]), {x: FEED[0], k: [5, 6], p: True}),
                                  [[5.0, 6.0]])                               # TF


def test_a_draw_made_before_the_cond_is_read_in_the_branch_not_drawn_again(sess):
    x, w, p, n = placeholders()
    r = tf.random_uniform((), seed=1)
    y = tf.cond(p, lambda: r + 0.0, lambda: r * 1.0)
    for taken in (True, False):
        drawn, through = sess.run([r, y], {p: taken})
        assert drawn == through                                               # TF


def test_every_fetched_array_is_writeable_as_in_tensorflow_1(sess):
    # TF-1's sess.run gives arrays a caller may write into; a later run is not changed by it
    x, w, p, n = placeholders()
    y = tf.cond(p, lambda: x * x, lambda: w * 3.0)
    dx, dw = tf.gradients(y, [x, w])
    _, s = tf.while_loop(lambda i, s: i < 2, lambda i, s: (i + 1, s * w), [0, x])
    ds = tf.gradients(s, w)[0]
    fetches = [y, dx, dw, s, ds, tf.cond(p, lambda: x, lambda: w)]
    for taken in (True, False):
        feed = {x: FEED[0], w: FEED[1], p: taken}
        first = sess.run(fetches, feed)
        assert all(v.flags.writeable for v in first)
        expected = [v.copy() for v in first]
        for v in first:
            v[...] = -7.0
        np.testing.assert_array_equal(sess.run(fetches, feed), expected)


def test_gradient_ops_are_named_in_the_scope_of_the_op_they_differentiate():
    # TF-1 names a gradient gradients/<op's scope>/<op>_grad/…:
    # gradients/cond/mul/Switch_grad/cond_grad:0, gradients_1/while/Enter_1_grad/Exit:0
    x, w, p, n = placeholders()
    y = tf.cond(p, lambda: x * x, lambda: w * 3.0)
    _, s = tf.while_loop(lambda i, s: i < 3, lambda i, s: (i + 1, s * w), [0, x])
    dx, dw = tf.gradients(y, [x, w])
    sx, sw = tf.gradients(s, [x, w])
    for t in (dx, dw):
        assert re.match(r"^gradients/cond/[A-Za-z]+_grad/", t.name), t.name
    for t in (sx, sw):
        assert re.match(r"^gradients_1/while/[A-Za-z]+_grad/", t.name), t.name
    assert (dx.shape, dx.dtype, sw.shape, sw.dtype) == ((2,), tf.float32, (2,), tf.float32)


def test_second_derivatives_through_control_flow_are_refused():
    x, w, p, n = placeholders()
    _, s = tf.while_loop(lambda i, s: i < 3, lambda i, s: (i + 1, s * x), [0, x])
    # TF: TypeError "Second-order gradient for while loops not supported."
    with pytest.raises(TypeError) as refused:
        tf.gradients(tf.gradients(s, x)[0], x)
    assert str(refused.value) == (
        "Second-order gradient for while loops not supported. (TensorFlow 1 refuses it too: "
        "differentiate the loop in eager mode with tg.grad, where it is a Python loop)")
    y = tf.cond(p, lambda: x * x * x, lambda: x)
    with pytest.raises(NotImplementedError) as refused:     # (TF-1 computes this one)
        tf.gradients(tf.gradients(y, x)[0], x)
    assert str(refused.value) == (
        "the derivative of a derivative through tf.cond (a second derivative) is not supported "
        "by teachgrad (TensorFlow 1 computes it): differentiate the branch in eager mode with "
        "tg.grad, where tf.cond is Python's if")


def test_a_failed_case_check_names_its_assert_op(sess):
    k = tf.placeholder(tf.int32, shape=(), name="k")
    r = tf.case([(tf.less(k, 0), lambda: tf.constant(17)),
                 (tf.less(k, 10), lambda: tf.constant(23))])
    # TF: InvalidArgumentError at op case/cond/Assert_1/AssertGuard/Assert (type Assert)
    with pytest.raises(errors.InvalidArgumentError) as failed:
        sess.run(r, {k: 20})
    assert failed.value.op.type == "Assert" and failed.value.op.name.startswith("case/cond/")
    assert failed.value.message == ("assertion failed: [Input error: None of conditions "
                                    "evaluated as True:] [0 0]")


def test_a_loop_variable_used_outside_its_loop_is_refused(sess):
    # TF-1 refuses this when the op is made (ValueError: Cannot use 'while/Identity' as input to
    # 'mul' because 'while/Identity' is in a while loop); teachgrad when it would run
    kept = []

    def body(i, s):
        kept.append(i)
        return i + 1, s * 2.0

    tf.while_loop(lambda i, s: i < 3, body, [0, tf.constant(1.0)])
    outside = kept[0] * 2
    with pytest.raises(errors.InvalidArgumentError) as refused:
        sess.run(outside)
    assert refused.value.message == (
        "'while/Identity:0' is a loop variable inside tf.while_loop: it has a value only while the "
        "loop runs; fetch the loop's results instead")
    assert refused.value.op.name == "while/Identity"


# --- the teaching graph of a program with a cond or a loop (teachgrad's own view) ------------

def test_the_teaching_graph_of_a_cond_its_text_partials_and_both_modes():
    x = tf.placeholder(tf.float32, (), name="x")
    w = tf.placeholder(tf.float32, (), name="w")
    y = tf.cond(x > 0, lambda: x * w, lambda: x)
    g = tf.trace(y, {x: 1.5, w: 2.0})
    assert g.formula("cond/Merge") == "cond/Merge = cond(Greater, x, w)"
    assert [str(e) for e in g.edges][2:] == [
        "<Edge Greater -> cond/Merge: ∂cond/Merge/∂Greater = 0>",
        "<Edge x -> cond/Merge: ∂cond/Merge/∂x = ∂(branch taken) = 2>",
        "<Edge w -> cond/Merge: ∂cond/Merge/∂w = ∂(branch taken) = 1.5>"]
    assert [float(s.value) for s in g.forward_mode("x")][-1] == 2.0          # d(xw)/dx = w
    assert [float(s.value) for s in g.forward_mode("w")][-1] == 1.5          # d(xw)/dw = x
    assert g.forward_mode("x")[-1].text == ("cond/Mergė = ∂cond/Merge/∂Greater·Greateṙ + "
                                            "∂cond/Merge/∂x·ẋ + ∂cond/Merge/∂w·ẇ = 0·0 + 2·1 + "
                                            "1.5·0 = 2")
    assert float(g.derivative("cond/Merge", "w")) == 1.5
    # the other branch, where w is not read: its partial is 0
    g = tf.trace(y, {x: -1.5, w: 2.0})
    assert str(g.edge("w", "cond/Merge")) == \
        "<Edge w -> cond/Merge: ∂cond/Merge/∂w = ∂(branch taken) = 0>"
    assert [float(s.value) for s in g.forward_mode("x")][-1] == 1.0
    assert [float(s.value) for s in g.forward_mode("w")][-1] == 0.0          # w is not read


def test_forward_mode_through_a_cond_carries_the_tangent_that_reaches_it():
    x = tf.placeholder(tf.float32, (), name="x")
    u = x * 3.0
    y = tf.cond(u > 0, lambda: u * u, lambda: u)
    g = tf.trace(y, {x: 0.5})                      # y = 9x², dy/dx = 18x = 9; du/dx = 3
    assert str(g.edge("mul", "cond/Merge")) == \
        "<Edge mul -> cond/Merge: ∂cond/Merge/∂mul = ∂(branch taken) = 3>"
    assert [float(s.value) for s in g.forward_mode("x")][-1] == 9.0
    assert float(g.derivative("cond/Merge", "x")) == 9.0


def test_the_teaching_graph_of_a_loop_and_forward_mode_through_it():
    x = tf.placeholder(tf.float32, (2,), name="x")
    w = tf.placeholder(tf.float32, (2,), name="w")
    _, s = tf.while_loop(lambda i, s: i < 3, lambda i, s: (i + 1, s * w), [0, x])
    g = tf.trace(s, {x: [1.0, 2.0], w: [3.0, 4.0]})          # s = x·w³
    # its inputs: the loop variables' first values (0, x), then what the body reads (w)
    assert g.formula("while/Exit_1") == "while/Exit_1 = while_loop(while/Const, x, w)"
    assert g.edge("x", "while/Exit_1").formula == "∂(every iteration)  [2×2 Jacobian]"
    np.testing.assert_allclose(g.edge("x", "while/Exit_1").value, np.diag([27.0, 64.0]))
    np.testing.assert_allclose(g.edge("w", "while/Exit_1").value, np.diag([27.0, 96.0]))
    # forward mode: the tangents w³ and 3x·w², vectors through the loop's Jacobian
    np.testing.assert_allclose(g.forward_mode("x")[-1].value, [27.0, 64.0])
    np.testing.assert_allclose(g.forward_mode("w")[-1].value, [27.0, 96.0])
    assert g.forward_mode("w")[-1].value.dtype == np.float64
    np.testing.assert_allclose(g.derivative("while/Exit_1", "w"), [27.0, 96.0])


def test_the_teaching_graph_of_a_program_without_values_yet():
    x = tf.placeholder(tf.float32, (2,), name="x")
    y = tf.cond(tf.reduce_sum(x) > 0, lambda: x * 2.0, lambda: x)
    _, s = tf.while_loop(lambda i, s: i < 3, lambda i, s: (i + 1, s * y), [0, x])
    g = tf.trace(s)
    assert g.formula("cond/Merge") == "cond/Merge = cond(Greater, x)"
    assert g.formula("while/Exit_1") == "while/Exit_1 = while_loop(while/Const, x, cond/Merge)"
    assert g.node("while/Exit_1").shape == (2,) and g.node("cond/Merge").shape == (2,)
    assert g.node("cond/Merge").tensor.dtype == tf.float32
    assert list(g.node("while/Exit_1").inputs) == ["while/Const", "x", "cond/Merge"]


def test_the_teaching_graph_of_integer_outputs_carries_no_derivative():
    k = tf.placeholder(tf.int32, (), name="k")
    x = tf.placeholder(tf.float32, (), name="x")
    a, b = tf.cond(k > 0, lambda: (k + 1, x * 2.0), lambda: (k, x))
    g = tf.trace(a + tf.cast(b, tf.int32), {k: 3, x: 1.0})
    partials = {(e.src, e.dst): e.value for e in g.edges}
    assert partials[("k", "cond/Merge")] == 0 and partials[("x", "cond/Merge")] == 0
    assert partials[("x", "cond/Merge_1")] == 2 and partials[("k", "cond/Merge_1")] == 0
    i, s = tf.while_loop(lambda i, s: i < k, lambda i, s: (i + 1, s * x), [0, x])
    g = tf.trace(i, {k: 3, x: 2.0})
    assert [e.value for e in g.edges] == [0, 0, 0]
    assert str(g.edge("k", "while/Exit")) == \
        "<Edge k -> while/Exit: ∂while/Exit/∂k = ∂(every iteration) = 0>"


def test_a_loop_whose_every_variable_carries_a_derivative(sess):
    # no integer counter: every loop variable has a cotangent in every iteration
    x = tf.placeholder(tf.float32, (), name="x")
    w = tf.placeholder(tf.float32, (), name="w")
    s = tf.while_loop(lambda s: s < 10.0, lambda s: s * 2.0, [x])
    assert sess.run([s] + tf.gradients(s, x), {x: 1.0}) == [16.0, 16.0]         # TF
    a, b = tf.while_loop(lambda a, b: a < 10.0, lambda a, b: (a * w, b * a), [x, w])
    assert sess.run([a, b] + tf.gradients(b, [x, w]), {x: 1.0, w: 3.0}) == \
        [27.0, 81.0, 243.0, 108.0]                                              # TF


def test_an_outer_op_a_branch_waits_for_is_a_control_input_of_the_cond(sess):
    v = tf.Variable(1.0, name="v")
    x = tf.placeholder(tf.float32, (), name="x")
    bump = tf.assign_add(v, 1.0)

    def branch():
        with tf.control_dependencies([bump]):
            return x * 2.0

    y = tf.cond(x > 0, branch, lambda: x)
    cond_op = y.op.inputs[0].op
    assert [t.name for t in cond_op.inputs] == ["Greater:0", "x:0"]
    assert [op.name for op in cond_op.control_inputs] == ["AssignAdd"]
    sess.run(tf.global_variables_initializer())
    # the bump is made outside the cond: it runs before it, whichever branch runs (as in TF-1)
    assert [sess.run(y, {x: 1.0}), sess.run(v), sess.run(y, {x: -1.0}), sess.run(v)] == \
        [2.0, 2.0, -1.0, 3.0]
    g = tf.trace(y, {x: 1.0}, session=sess)      # drawn as a control edge, not an input
    assert g.formula("cond/Merge") == "cond/Merge = cond(Greater, x)"
    assert [e.src for e in g.edges if e.dst == "cond/Merge"] == ["Greater", "x"]
