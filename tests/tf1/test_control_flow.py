"""TensorFlow 1's control flow: ``tf.cond``, ``tf.case`` and ``tf.while_loop`` (issue 21).

Every expected value, name, shape and error below was read off ``tensorflow.compat.v1``
(TensorFlow 2.21, ``tf.disable_v2_behavior()``, so v1 control flow: Switch/Merge, Enter/Exit)
running the same program; where teachgrad differs on purpose, the test says so.
"""

import numpy as np
import pytest

import teachgrad as tf
from teachgrad import errors
from teachgrad.testing import numerical_jvp


def run(fetches, feed=None, init=False):
    with tf.Session() as sess:
        if init:
            sess.run(tf.global_variables_initializer())
        return sess.run(fetches, feed)


# --- cond ------------------------------------------------------------------------------------

def test_cond_on_a_fed_bool_runs_the_branch_it_picks_and_differentiates_through_it():
    x = tf.placeholder(tf.float32, name="x")
    p = tf.placeholder(tf.bool, name="p")
    y = tf.cond(p, lambda: x * 2.0, lambda: x + 1.0)
    dy = tf.gradients(y, x)[0]
    # TF: Tensor("cond/Merge:0", dtype=float32); the branches' ops are cond/mul and cond/add
    assert (y.name, y.op.type, y.shape.ndims, y.dtype) == ("cond/Merge:0", "Merge", None,
                                                           tf.float32)
    names = [op.name for op in tf.get_default_graph().get_operations()]
    assert {"cond/mul/y", "cond/mul", "cond/add/y", "cond/add"} <= set(names)
    with tf.Session() as sess:
        assert sess.run([y, dy], {x: 3.0, p: True}) == [6.0, 2.0]     # TF: [6.0, 2.0]
        assert sess.run([y, dy], {x: 3.0, p: False}) == [4.0, 1.0]    # TF: [4.0, 1.0]


def test_the_branch_not_taken_contributes_zeros_to_the_gradient():
    p = tf.placeholder(tf.bool, shape=(), name="p")
    x = tf.placeholder(tf.float32, shape=(), name="x")
    y = tf.placeholder(tf.float32, shape=(), name="y")
    c = tf.cond(p, lambda: x * x, lambda: y * 3.0)
    grads = tf.gradients(c, [x, y])
    assert all(g is not None for g in grads)
    assert run(grads, {p: True, x: 2.0, y: 5.0}) == [4.0, 0.0]     # TF: [4.0, 0.0]
    assert run(grads, {p: False, x: 2.0, y: 5.0}) == [0.0, 3.0]    # TF: [0.0, 3.0]
    v = tf.placeholder(tf.float32, shape=(3,), name="v")
    q = tf.cond(p, lambda: tf.reduce_sum(v * v), lambda: tf.reduce_sum(tf.sin(v)))
    value, grad = run([q, tf.gradients(q, v)[0]], {v: [1.0, 2.0, 3.0], p: False})
    assert value == pytest.approx(1.8918884)                        # TF
    np.testing.assert_allclose(grad, [0.5403023, -0.41614684, -0.9899925], rtol=1e-6)


def test_cond_returns_nested_structures_and_unpacks_singletons_unless_strict():
    x = tf.placeholder(tf.float32, name="x")
    p = tf.placeholder(tf.bool, name="p")
    r = tf.cond(p, lambda: (x, {"a": x * 2, "b": [x + 1, x]}),
                lambda: (x, {"a": x * 3, "b": [x + 2, x]}))
    # TF: (cond/Merge, {'a': cond/Merge_1, 'b': [cond/Merge_2, cond/Merge_3]})
    assert [r[0].name, r[1]["a"].name, r[1]["b"][0].name, r[1]["b"][1].name] == [
        "cond/Merge:0", "cond/Merge_1:0", "cond/Merge_2:0", "cond/Merge_3:0"]
    assert run(r, {x: 1.0, p: True}) == (1.0, {"a": 2.0, "b": [2.0, 1.0]})
    assert run(r, {x: 1.0, p: False}) == (1.0, {"a": 3.0, "b": [3.0, 1.0]})
    single = tf.cond(p, lambda: [x * 2], lambda: [x * 3])
    strict = tf.cond(p, lambda: [x * 2], lambda: [x * 3], strict=True)
    assert isinstance(single, tf.Tensor) and single.name == "cond_1/Merge:0"
    assert isinstance(strict, list) and strict[0].name == "cond_2/Merge:0"


def test_cond_output_shapes_merge_as_in_tf1():
    p = tf.placeholder(tf.bool, name="p")
    a = tf.placeholder(tf.float32, shape=(2, 3))
    b = tf.placeholder(tf.float32, shape=(4, 3))
    assert tf.cond(p, lambda: a, lambda: b).shape.as_list() == [None, 3]          # TF (?, 3)
    assert tf.cond(p, lambda: a, lambda: tf.reshape(b, [3, 4])).shape.as_list() == [None, None]
    assert tf.cond(p, lambda: a, lambda: tf.constant(1.0)).shape.ndims is None    # TF unknown
    number = tf.cond(p, lambda: 2.0, lambda: 3.0)                     # TF: shape=() float32
    assert (number.shape, number.dtype) == ((), tf.float32)


def test_a_side_effect_acts_only_in_the_branch_taken_unless_made_outside_it():
    p = tf.placeholder(tf.bool, name="p")
    v = tf.Variable(0.0, name="v")
    w = tf.Variable(0.0, name="w")
    outside = tf.assign_add(w, 1.0)        # made outside the branch functions
    y = tf.cond(p, lambda: tf.assign_add(v, 1.0), lambda: tf.identity(v))
    y2 = tf.cond(p, lambda: outside, lambda: tf.identity(w))
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        assert sess.run(y, {p: False}) == 0.0 and sess.run(v) == 0.0    # TF: not assigned
        assert sess.run(y, {p: True}) == 1.0 and sess.run(v) == 1.0     # TF: assigned
        sess.run(y2, {p: False})
        assert sess.run(w) == 1.0          # TF: the outside assign acts on the false run too
        sess.run(y2, {p: True})
        assert sess.run(w) == 2.0


def test_a_random_draw_in_a_branch_draws_only_when_taken():
    p = tf.placeholder(tf.bool, name="p")
    tf.set_random_seed(1)
    q = tf.cond(p, lambda: tf.random_uniform(()), lambda: tf.constant(-1.0))
    with tf.Session() as sess:
        seen = [sess.run(q, {p: b}) for b in (True, False, True)]
    with tf.Session() as sess:
        draws = [sess.run(q, {p: True}) for _ in range(2)]
    # TF: [0.812…, -1.0, 0.527…]: the false run leaves the seeded sequence where it was
    assert seen == [draws[0], -1.0, draws[1]] and draws[0] != draws[1]


def test_branches_returning_operations_give_the_predicate_and_run_the_operation():
    p = tf.placeholder(tf.bool, name="p")
    u = tf.Variable(0.0, name="u")
    r = tf.cond(p, lambda: tf.assign_add(u, 1.0).op, lambda: tf.no_op())
    assert (r.name, r.dtype) == ("cond/Merge:0", tf.bool)       # TF: cond/Merge:0, bool
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        assert sess.run(r, {p: True}) and sess.run(u) == 1.0    # TF: True, 1.0
        assert not sess.run(r, {p: False}) and sess.run(u) == 1.0   # TF: False, 1.0


def test_a_variable_read_in_a_branch_after_an_assignment_it_waits_for_is_fresh():
    p = tf.placeholder(tf.bool, name="p")
    z = tf.Variable(0.0, name="z")

    def assign_then_read():
        with tf.control_dependencies([tf.assign_add(z, 1.0)]):
            return tf.identity(z), z + 0.0, z.read_value()
    c = tf.cond(p, assign_then_read, lambda: (z + 0.0, z + 0.0, z + 0.0))
    assert run(c, {p: True}, init=True) == (1.0, 1.0, 1.0)        # TF: (1.0, 1.0, 1.0)


def test_ops_inside_a_branch_or_a_loop_are_not_fetchable():
    x = tf.placeholder(tf.float32, name="x")
    p = tf.placeholder(tf.bool, name="p")
    tf.cond(p, lambda: x * 2.0, lambda: x + 1.0)
    tf.while_loop(lambda i: i < 3, lambda i: i + 1, [0])
    with tf.Session() as sess:
        # TF: InaccessibleTensorError "Operation cond/mul has been marked as not fetchable"
        for name in ("cond/mul:0", "while/Identity:0", "while/add:0"):
            with pytest.raises(errors.InaccessibleTensorError, match="not fetchable"):
                sess.run(name, {x: 1.0, p: False})


def test_cond_refuses_what_tf1_refuses():
    x = tf.placeholder(tf.float32, name="x")
    p = tf.placeholder(tf.bool, name="p")
    with pytest.raises(ValueError, match="same nested structure"):      # TF: ValueError
        tf.cond(p, lambda: (x, x), lambda: x)
    with pytest.raises(TypeError, match="same nested structure"):       # TF: TypeError
        tf.cond(p, lambda: (x, x), lambda: [x, x])
    with pytest.raises(ValueError, match="same set of keys"):           # TF: ValueError
        tf.cond(p, lambda: {"a": x}, lambda: {"b": x})
    with pytest.raises(ValueError, match=r"Outputs of 'true_fn' and 'false_fn' must have the "
                       r"same type\(s\). Received float32 from 'true_fn' and int32 from "
                       r"'false_fn'."):                                 # TF's words
        tf.cond(p, lambda: x, lambda: tf.constant(1))
    with pytest.raises(TypeError, match="Input 'pred' of 'Switch' Op has type float32 that "
                       "does not match expected type of bool"):         # TF: TypeError
        tf.cond(x, lambda: x, lambda: x)
    with pytest.raises(ValueError, match="Shape must be rank 0 but is rank 1"):   # TF
        tf.cond(tf.constant([True, False]), lambda: x, lambda: x)
    with pytest.raises(TypeError, match="pred must not be a Python bool"):         # TF
        tf.cond(True, lambda: x, lambda: x * 2)
    with pytest.raises(TypeError, match="cond\\(\\): 'false_fn' argument required"):
        tf.cond(p, lambda: x)
    with pytest.raises(TypeError, match="'true_fn' must be callable."):
        tf.cond(p, x, lambda: x)
    with pytest.raises(ValueError, match="'true_fn' must have a return value."):
        tf.cond(p, lambda: None, lambda: None)


def test_using_a_tensor_as_a_python_bool_points_to_tf_cond_which_exists():
    x = tf.placeholder(tf.float32, name="x")
    with pytest.raises(TypeError, match="tg.cond"):
        if x > 0.0:
            pass
    assert tf.cond is tf.compat.v1.cond


# --- case ------------------------------------------------------------------------------------

def test_case_with_a_default_and_its_checks():
    k = tf.placeholder(tf.int32, shape=(), name="k")
    f1, f2, f3 = (lambda: tf.constant(17)), (lambda: tf.constant(23)), (lambda: tf.constant(-1))
    r = tf.case([(tf.less(k, 0), f1), (tf.greater(k, 10), f2)], default=f3, exclusive=True)
    assert (r.name, r.shape, r.dtype) == ("case/cond/Merge:0", (), tf.int32)   # TF's name
    assert [run(r, {k: v}) for v in (-5, 20, 5)] == [17, 23, -1]               # TF
    first = tf.case([(tf.less(k, 0), f1), (tf.less(k, 10), f2)], default=f3)
    assert [run(first, {k: v}) for v in (-5, 5, 20)] == [17, 23, -1]   # TF: the first true
    as_dict = tf.case({tf.less(k, 0): f1, tf.less(k, 10): f2}, default=f3)
    assert [run(as_dict, {k: v}) for v in (-5, 5, 20)] == [17, 23, -1]
    exclusive = tf.case([(tf.less(k, 0, name="neg"), f1), (tf.less(k, 10, name="small"), f2)],
                        default=f3, exclusive=True)
    assert run(exclusive, {k: 5}) == 23
    # TF: InvalidArgumentError "assertion failed: [Input error: exclusive=True: more than 1
    # conditions (Less_3:0, Less_4:0) evaluated as True:] [1 1]"
    with pytest.raises(errors.InvalidArgumentError,
                       match=r"exclusive=True: more than 1 conditions \(neg:0, small:0\) "
                             r"evaluated as True:\] \[1 1\]"):
        run(exclusive, {k: -5})


def test_case_without_a_default_fails_a_run_where_no_predicate_holds():
    k = tf.placeholder(tf.int32, shape=(), name="k")
    r = tf.case([(tf.less(k, 0), lambda: tf.constant(17)),
                 (tf.less(k, 10), lambda: tf.constant(23))])
    assert [run(r, {k: v}) for v in (-5, 5)] == [17, 23]                     # TF
    # TF: "assertion failed: [Input error: None of conditions evaluated as True:] [0 0]"
    with pytest.raises(errors.InvalidArgumentError,
                       match=r"None of conditions evaluated as True:\] \[0 0\]"):
        run(r, {k: 20})


def test_case_refuses_what_tf1_refuses():
    k = tf.placeholder(tf.int32, shape=(), name="k")
    f = lambda: tf.constant(1)   # noqa: E731
    with pytest.raises(ValueError, match="must have the same type"):         # TF: ValueError
        tf.case([(tf.less(k, 0), f)], default=lambda: tf.constant(1.0))
    with pytest.raises(TypeError, match="pred must be Tensor of type bool: k:0"):   # TF
        tf.case([(k, f)], default=f)
    with pytest.raises(TypeError, match="pred must be a Tensor, got: True"):        # TF
        tf.case([(True, f)], default=f)
    with pytest.raises(TypeError, match="must be a 2-tuple"):                       # TF
        tf.case([tf.less(k, 0)], default=f)


# --- while_loop ------------------------------------------------------------------------------

def test_while_loop_sums_to_a_fed_n():
    n = tf.placeholder(tf.int32, shape=(), name="n")
    i, total = tf.while_loop(lambda i, s: i <= n, lambda i, s: (i + 1, s + i), [0, 0])
    assert (i.name, total.name, total.op.type) == ("while/Exit:0", "while/Exit_1:0", "Exit")
    assert (total.shape, total.dtype) == ((), tf.int32)
    with tf.Session() as sess:
        assert sess.run([i, total], {n: 100}) == [101, 5050]
        assert sess.run([i, total], {n: 4}) == [5, 10]
        assert sess.run([i, total], {n: -1}) == [0, 0]      # no iteration at all


def test_the_test_and_the_body_see_tf1s_stand_ins_of_the_loop_variables():
    seen = {}

    def test(i, acc):
        seen["test"] = [i.name, acc.name]
        return i < 3

    def body(i, acc):
        seen["body"] = [i.name, acc.name]
        return i + 1, acc * 2.0
    tf.while_loop(test, body, [0, 1.0])
    # TF: cond gets while/Merge tensors, body while/Identity tensors
    assert seen == {"test": ["while/Merge:0", "while/Merge_1:0"],
                    "body": ["while/Identity:0", "while/Identity_1:0"]}


def test_gradient_through_every_iteration_of_a_fed_number_of_them():
    n = tf.placeholder(tf.int32, shape=(), name="n")
    x = tf.placeholder(tf.float32, shape=(), name="x")
    _, power = tf.while_loop(lambda i, p: i < n, lambda i, p: (i + 1, p * x), [0, 1.0])
    slope = tf.gradients(power, x)[0]
    with tf.Session() as sess:
        assert sess.run([power, slope], {n: 3, x: 2.0}) == [8.0, 12.0]     # TF: 8, 12 = 3·2²
        assert sess.run([power, slope], {n: 0, x: 2.0}) == [1.0, 0.0]      # TF: 1, 0
        for k in range(1, 7):      # n·x^(n-1)
            assert sess.run(slope, {n: k, x: 1.5}) == pytest.approx(k * 1.5 ** (k - 1), 1e-6)


def test_gradient_through_a_loop_agrees_with_tf1_and_finite_differences():
    n = tf.placeholder(tf.int32, shape=(), name="n")
    x = tf.placeholder(tf.float32, shape=(), name="x")
    y0 = tf.placeholder(tf.float32, shape=(), name="y0")
    _, out = tf.while_loop(lambda i, a: i < n, lambda i, a: (i + 1, tf.sin(a) * x), [0, y0])
    grads = tf.gradients(out, [x, y0])
    feed = {n: 3, x: 1.5, y0: 0.7}
    value, (g_x, g_y0) = run([out, grads], feed)
    assert value == pytest.approx(1.4158291, rel=1e-6)                       # TF
    np.testing.assert_allclose([g_x, g_y0], [1.6235806, 0.48452264], rtol=1e-6)   # TF
    # float64 and central differences: the same program differentiated another way
    n64 = tf.placeholder(tf.int32, shape=())
    x64 = tf.placeholder(tf.float64, shape=())
    _, out64 = tf.while_loop(lambda i, a: i < n64, lambda i, a: (i + 1, tf.sin(a) * x64),
                             [0, tf.constant(0.7, tf.float64)])
    g64 = tf.gradients(out64, x64)[0]
    with tf.Session() as sess:
        for steps in (1, 3, 6):
            fd = numerical_jvp(lambda x: sess.run(out64, {n64: steps, x64: x}), [1.5], [1.0])
            assert sess.run(g64, {n64: steps, x64: 1.5}) == pytest.approx(fd, rel=1e-7)


def test_a_recurrent_network_trains_through_its_loop():
    n = tf.placeholder(tf.int32, shape=(), name="n")
    W = tf.Variable(np.array([[0.5, -0.3], [0.8, 0.2]], np.float32), name="W")
    h0 = tf.constant([[1.0], [-0.5]])
    _, h = tf.while_loop(lambda i, h: i < n,
                         lambda i, h: (i + 1, tf.tanh(tf.matmul(W, h) + 0.1)), [0, h0])
    loss = tf.reduce_sum(h)
    g_W = tf.gradients(loss, W)[0]
    assert (h.shape, g_W.shape) == ((2, 1), (2, 2))
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        value, grad = sess.run([loss, g_W], {n: 4})
        assert value == pytest.approx(0.18404832, rel=1e-6)                   # TF
        np.testing.assert_allclose(grad, [[0.6772228, 1.512295], [-0.27193117, 0.2052486]],
                                   rtol=1e-5)                                 # TF
        np.testing.assert_array_equal(sess.run(g_W, {n: 0}), np.zeros((2, 2)))   # TF: zeros
    w = tf.Variable(0.5)
    _, out = tf.while_loop(lambda i, a: i < 3, lambda i, a: (i + 1, tf.sin(a * w)), [0, 1.0])
    train = tf.train.GradientDescentOptimizer(0.1).minimize(out)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        steps = [(sess.run([out, train])[0], sess.run(w)) for _ in range(3)]
    np.testing.assert_allclose(steps, [(0.118433185, 0.43214053), (0.07770719, 0.37981522),
                                       (0.05328226, 0.3386312)], rtol=1e-6)   # TF


def test_nested_cond_inside_while_and_its_gradient():
    n = tf.placeholder(tf.int32, shape=(), name="n")
    x = tf.placeholder(tf.float32, shape=(), name="x")

    def body(i, even, a):   # times x on even steps, plus sin(x) on odd ones
        a = tf.cond(even, lambda: a * x, lambda: a + tf.sin(x))
        return i + 1, tf.logical_not(even), a
    _, _, out = tf.while_loop(lambda i, e, a: i < n, body, [0, tf.constant(True), 1.0])
    slope = tf.gradients(out, x)[0]
    with tf.Session() as sess:   # TF's values
        expected = {(0, 1.5): (1.0, 0.0), (1, 1.5): (1.5, 1.0),
                    (4, 1.5): (4.7437377, 4.174338), (5, 0.3): (0.14225289, 1.1154137)}
        for (steps, at), (value, grad) in expected.items():
            np.testing.assert_allclose(sess.run([out, slope], {n: steps, x: at}), [value, grad],
                                       rtol=1e-6)


def test_a_loop_inside_a_loop_and_a_loop_inside_a_branch():
    n = tf.placeholder(tf.int32, shape=(), name="n")
    x = tf.placeholder(tf.float64, shape=(), name="x")
    p = tf.placeholder(tf.bool, shape=(), name="p")

    def outer(i, a):   # a · x^i, i times: x^(n(n-1)/2) in all
        _, inner = tf.while_loop(lambda j, b: j < i, lambda j, b: (j + 1, b * x), [0, a])
        return i + 1, inner
    _, tri = tf.while_loop(lambda i, a: i < n, outer, [0, tf.constant(1.0, tf.float64)])
    picked = tf.cond(p, lambda: tf.while_loop(lambda j, b: j < n, lambda j, b: (j + 1, b * x),
                                              [0, x])[1], lambda: x)
    grads = tf.gradients([tri, picked], x)[0]
    with tf.Session() as sess:
        # x^6 + x^4 at x = 1.1 (n = 4, p true): derivative 6x^5 + 4x^3
        value, slope = sess.run([tri + picked, grads], {n: 4, x: 1.1, p: True})
        assert value == pytest.approx(1.1 ** 6 + 1.1 ** 5)
        assert slope == pytest.approx(6 * 1.1 ** 5 + 5 * 1.1 ** 4)
        assert sess.run(grads, {n: 4, x: 1.1, p: False}) == pytest.approx(6 * 1.1 ** 5 + 1)


def test_maximum_iterations_as_a_number_or_a_tensor():
    n = tf.placeholder(tf.int32, shape=(), name="n")
    r5 = tf.while_loop(lambda i: i < 100, lambda i: i + 1, [0], maximum_iterations=7)
    r6 = tf.while_loop(lambda i: i < 100, lambda i: i + 1, [0], maximum_iterations=n)
    r7 = tf.while_loop(lambda i: i < 3, lambda i: i + 1, [0], maximum_iterations=n)
    with tf.Session() as sess:
        assert sess.run([r5, r6, r7], {n: 5}) == [7, 5, 3]        # TF: [7, 5, 3]
        assert sess.run([r5, r6, r7], {n: 0}) == [7, 0, 0]        # TF: [7, 0, 0]
        assert sess.run(r6, {n: -1}) == 0                          # TF: 0
    with pytest.raises(ValueError, match="'maximum_iterations' must be a scalar. Received "
                                         "shape: <unknown>"):     # TF's words
        tf.while_loop(lambda i: i < 3, lambda i: i + 1, [0],
                      maximum_iterations=tf.placeholder(tf.int32))


def test_while_loop_structures_and_what_it_returns():
    n = tf.placeholder(tf.int32, shape=(), name="n")
    s = tf.placeholder(tf.float32, shape=(), name="s")
    r = tf.while_loop(lambda i, d: i < n,
                      lambda i, d: (i + 1, {"a": d["a"] + s, "b": (d["b"][0] * s,)}),
                      (0, {"a": 0.0, "b": (1.0,)}))
    assert [r[0].name, r[1]["a"].name, r[1]["b"][0].name] == [
        "while/Exit:0", "while/Exit_1:0", "while/Exit_2:0"]                    # TF
    assert run(r, {n: 4, s: 2.0}) == (4, {"a": 8.0, "b": (16.0,)})             # TF
    x = tf.placeholder(tf.float32, shape=(), name="x")
    assert isinstance(tf.while_loop(lambda a: a < 10.0, lambda a: a * 2.0, [x]), tf.Tensor)
    same = tf.while_loop(lambda a: a < 10.0, lambda a: [a * 2.0], [x], return_same_structure=True)
    assert isinstance(same, list) and len(same) == 1                          # TF: a list
    as_list = tf.while_loop(lambda i, a: i < n, lambda i, a: (i + 1, a), [0, x])
    assert isinstance(as_list, list)          # TF: the body may return a tuple for a list
    assert run(tf.while_loop(lambda i, a: i < 2, lambda i, a: (i + 1, 2.0), [0, 1.0])) == [2, 2.0]


def test_shape_invariants():
    n = tf.placeholder(tf.int32, shape=(), name="n")
    v0 = tf.zeros((0, 2))
    grow = lambda i, v: (i + 1, tf.concat([v, tf.ones((1, 2))], 0))   # noqa: E731
    r = tf.while_loop(lambda i, v: i < n, grow, [0, v0],
                      shape_invariants=[tf.TensorShape([]), tf.TensorShape([None, 2])])
    assert r[1].shape.as_list() == [None, 2]                                   # TF (?, 2)
    assert run(r[1], {n: 3}).shape == (3, 2)
    with pytest.raises(ValueError, match=r"Input tensor 'zeros:0' enters the loop with shape "
                       r"\(0, 2\), but has shape \(1, 2\) after one iteration"):      # TF
        tf.while_loop(lambda i, v: i < n, grow, [0, v0])
    with pytest.raises(ValueError, match=r"The shape invariant specified for zeros:0 is not "
                       r"compatible with the initial shape of the loop variable"):    # TF
        tf.while_loop(lambda i, v: i < n, lambda i, v: (i + 1, v), [0, v0],
                      shape_invariants=[tf.TensorShape([]), tf.TensorShape([3, 2])])


def test_variables_in_a_loop_body_are_read_at_every_iteration():
    v = tf.Variable(1.0, name="v")

    def body(i, acc):
        with tf.control_dependencies([tf.assign_add(v, 1.0)]):
            return i + 1, acc + v
    r = tf.while_loop(lambda i, acc: i < 3, body, [0, 0.0])
    r2 = tf.while_loop(lambda i, acc: i < 3, lambda i, acc: (i + 1, acc + v), [0, 0.0])
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        assert sess.run(r) == [3, 9.0] and sess.run(v) == 4.0      # TF: (3, 9.0), 4.0
        assert sess.run(r2) == [3, 12.0]                           # TF: (3, 12.0)


def test_gradients_tf1_leaves_out():
    n = tf.placeholder(tf.int32, shape=(), name="n")
    x = tf.placeholder(tf.float32, shape=(), name="x")
    r = tf.while_loop(lambda i, a: i < n, lambda i, a: (i + 1, a * x), [0, x], back_prop=False)
    assert tf.gradients(r[1], x) == [None]                          # TF: back_prop=False
    only_test = tf.while_loop(lambda i, a: tf.cast(i, tf.float32) < x,
                              lambda i, a: (i + 1, a * 2.0), [0, 1.0])
    assert tf.gradients(only_test[1], x) == [None]                  # TF: x only in the test
    _, z = tf.while_loop(lambda i, a: i < n, lambda i, a: (i + 1, a * x), [0, 1.0])
    with pytest.raises(TypeError, match="Second-order gradient for while loops not supported"):
        tf.gradients(tf.gradients(z, x)[0], x)                      # TF: this TypeError
    p = tf.placeholder(tf.bool, shape=(), name="p")
    y = tf.cond(p, lambda: x * x * x, lambda: x)
    # TF gives 12.0 at x = 2 (p true); teachgrad refuses rather than answer wrongly
    with pytest.raises(NotImplementedError, match="second derivative"):
        tf.gradients(tf.gradients(y, x)[0], x)


def test_while_loop_refuses_what_tf1_refuses():
    n = tf.placeholder(tf.int32, shape=(), name="n")
    x = tf.placeholder(tf.float32, shape=(), name="x")
    with pytest.raises(ValueError, match="same nested structure"):           # TF: ValueError
        tf.while_loop(lambda i, a: i < n, lambda i, a: (i + 1,), [0, x])
    with pytest.raises(TypeError, match="Input 'input' of 'LoopCond' Op has type int32"):
        tf.while_loop(lambda i: i, lambda i: i + 1, [0])                     # TF: TypeError
    with pytest.raises(ValueError, match="Shape must be rank 0 but is rank 1"):   # TF
        tf.while_loop(lambda i: tf.constant([True, False]), lambda i: i + 1, [0])
    with pytest.raises(ValueError, match="'loop_vars' must be provided."):        # TF
        tf.while_loop(lambda i: i < 3, lambda i: i + 1, [])
    with pytest.raises(TypeError, match="'body' must be callable."):             # TF
        tf.while_loop(lambda i: i < 3, 5, [0])
    # TF fails on a loop variable that changes dtype when the graph first runs
    # (InvalidArgumentError "Input 1 of node while/Merge_1 was passed double ... expected
    # float"); teachgrad raises the same error type when the loop is built
    with pytest.raises(errors.InvalidArgumentError, match="keeps its dtype"):
        tf.while_loop(lambda i, a: i < n, lambda i, a: (i + 1, tf.cast(a, tf.float64)), [0, x])


# --- eager mode ------------------------------------------------------------------------------

def test_eager_mode_runs_pythons_own_if_and_while(eager):
    x = tf.constant(2.0)
    assert float(tf.cond(x > 1.0, lambda: x * 3.0, lambda: x)) == 6.0
    assert int(tf.while_loop(lambda i: i < 10, lambda i: i + 3, [tf.constant(0)])) == 12
    assert int(tf.case([(x < 0.0, lambda: tf.constant(1)), (x > 1.0, lambda: tf.constant(2))],
                       default=lambda: tf.constant(3))) == 2
    assert float(tf.gradients(tf.cond(x > 1.0, lambda: x * x, lambda: x), x)[0]) == 4.0
    with pytest.raises(errors.InvalidArgumentError, match="None of conditions"):
        tf.case([(x < 0.0, lambda: tf.constant(1))])


def test_grad_traces_the_branch_taken_and_every_iteration():
    f = lambda x: tf.cond(x > 0.0, lambda: x * x, lambda: -x)   # noqa: E731
    assert float(tf.grad(f)(3.0)) == 6.0 and float(tf.grad(f)(-2.0)) == -1.0

    def power(x):
        return tf.while_loop(lambda i, p: i < 5, lambda i, p: (i + 1, p * x), [0, 1.0])[1]
    assert float(tf.grad(power)(2.0)) == 80.0                # 5·x⁴
    assert float(tf.grad(tf.grad(power))(2.0)) == 160.0      # 20·x³: Python's loop, twice


# --- the teaching graph ----------------------------------------------------------------------

def test_trace_of_a_nested_cond_inside_a_loop():
    n = tf.placeholder(tf.int32, shape=(), name="n")
    x = tf.placeholder(tf.float32, shape=(), name="x")

    def body(i, even, a):
        a = tf.cond(even, lambda: a * x, lambda: a + tf.sin(x))
        return i + 1, tf.logical_not(even), a
    out = tf.while_loop(lambda i, e, a: i < n, body, [0, tf.constant(True), 1.0])[2]
    g = tf.trace(out, feed_dict={n: 4, x: 1.5})
    assert g.value(g.output) == pytest.approx(4.7437377, rel=1e-6)      # TF's value
    assert g.derivative(g.output, "x") == pytest.approx(4.174338, rel=1e-6)   # TF's gradient
