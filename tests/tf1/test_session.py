"""Session.run as TensorFlow 1 runs it: fetches, feeds, errors, default sessions, re-execution.

Every expected value and error below was observed by running the same snippet with
``tensorflow.compat.v1`` (TensorFlow 2.21 with ``tf.disable_v2_behavior()``), TensorFlow 1's graph
mode; the numbers are written here, TensorFlow is not imported.
"""

import collections

import numpy as np
import pytest

import teachgrad as tf


@pytest.fixture
def graph():
    """x: (None, 3) placeholder, y = x * 2, z = reduce_sum(y) (TF: names x:0, mul:0, Sum:0)."""
    x = tf.placeholder(tf.float32, shape=(None, 3), name="x")
    y = x * 2.0
    z = tf.reduce_sum(y)
    return x, y, z


ROW = [[1.0, 2.0, 3.0]]


# --- fetches -------------------------------------------------------------------------------------

def test_fetch_a_tensor_gives_its_value(graph):
    x, y, z = graph
    assert (x.name, y.name, z.name, y.op.type, z.op.type) == ("x:0", "mul:0", "Sum:0", "Mul",
                                                              "Sum")
    with tf.Session() as sess:
        value = sess.run(z, {x: ROW})
        rows = sess.run(y, {x: ROW})
    assert value == np.float32(12.0) and np.asarray(value).dtype == np.float32
    assert rows.tolist() == [[2.0, 4.0, 6.0]] and rows.dtype == np.float32


def test_fetch_by_name_tensor_name_gives_value_op_name_gives_none(graph):
    x, y, z = graph
    with tf.Session() as sess:
        assert sess.run("Sum:0", {x: ROW}) == 12.0
        assert sess.run("Sum", {x: ROW}) is None          # an operation's name: runs it, None
        assert sess.run(z.op, {x: ROW}) is None            # an Operation: None


def test_nested_fetches_come_back_in_the_same_structure(graph):
    x, y, z = graph
    Pair = collections.namedtuple("Pair", "a b")
    with tf.Session() as sess:
        out = sess.run({"a": [z, (y, z)], "b": Pair(z, z.op)}, {x: ROW})
    assert set(out) == {"a", "b"}
    assert isinstance(out["a"], list) and isinstance(out["a"][1], tuple)
    assert out["a"][0] == 12.0 and out["a"][1][1] == 12.0
    assert out["a"][1][0].tolist() == [[2.0, 4.0, 6.0]]
    assert isinstance(out["b"], Pair) and out["b"].a == 12.0 and out["b"].b is None


def test_fetch_lists_and_tuples_keep_their_type(graph):
    x, y, z = graph
    with tf.Session() as sess:
        as_list = sess.run([z, z], {x: ROW})
        as_tuple = sess.run((z,), {x: ROW})
        empty = sess.run([])
    assert type(as_list) is list and as_list == [12.0, 12.0]
    assert type(as_tuple) is tuple and as_tuple == (12.0,)
    assert empty == []


def test_scalar_results_are_numpy_scalars():
    b = tf.placeholder(tf.float32, [None], name="b")
    with tf.Session() as sess:
        out = sess.run({"s": tf.reduce_sum(b), "n": tf.size(b)}, feed_dict={b: np.ones(5)})
        call = sess.make_callable(tf.reduce_sum(b * b), [b])
        assert call([1.0, 2.0, 3.0]) == 14.0
    assert out == {"s": 5.0, "n": 5}
    assert type(out["s"]) is np.float32 and type(out["n"]) is np.int32


def test_fetching_none_or_a_number_is_a_type_error():
    tf.constant(0.0)   # (TensorFlow refuses to run an empty graph at all)
    with tf.Session() as sess:
        with pytest.raises(TypeError):
            sess.run(None)
        with pytest.raises(TypeError):
            sess.run([tf.constant(1.0), 3])


def test_a_group_and_an_initializer_fetch_as_none():
    v = tf.Variable(1.0, name="v")
    with tf.Session() as sess:
        assert sess.run(tf.global_variables_initializer()) is None
        assert sess.run([tf.group(v.initializer)]) == [None]
        assert sess.run(v) == 1.0


# --- feeds ---------------------------------------------------------------------------------------

def test_feed_an_intermediate_its_producers_are_not_run(graph):
    x, y, z = graph
    with tf.Session() as sess:   # x is not fed: fine, since y is
        assert sess.run(z, {y: [[1.0, 1.0, 1.0]]}) == 3.0


def test_feed_the_fetched_tensor_itself(graph):
    x, y, z = graph
    with tf.Session() as sess:
        assert sess.run(z, {z: 5.0}) == 5.0
        assert sess.run(z, {z: 5}) == 5.0


def test_feed_a_variable_instead_of_initializing_it():
    v = tf.Variable(3.0, name="v")
    with tf.Session() as sess:
        assert sess.run(v * 2, {v: 10.0}) == 20.0
        with pytest.raises(tf.errors.FailedPreconditionError):
            sess.run(v)   # the feed did not initialize it


def test_feed_by_tensor_name(graph):
    x, y, z = graph
    with tf.Session() as sess:
        assert sess.run(z, {"x:0": ROW}) == 12.0


def test_fed_values_are_converted_to_the_tensor_dtype(graph):
    x, y, z = graph
    i = tf.placeholder(tf.int32, shape=(), name="i")
    with tf.Session() as sess:
        out = sess.run(y, {x: np.array([[1, 2, 3]], dtype=np.int64)})
        assert out.dtype == np.float32 and out.tolist() == [[2.0, 4.0, 6.0]]
        assert sess.run(y, {x: [[True, False, True]]}).tolist() == [[2.0, 0.0, 2.0]]
        assert sess.run(y, {x: np.array([[1.5, 2, 3]])}).tolist() == [[3.0, 4.0, 6.0]]
        # TensorFlow 1 feeds np.asarray(value, dtype): a float fed to an int32 is truncated
        assert sess.run(i, {i: 1.5}) == 1 and sess.run(i, {i: np.float32(1.0)}) == 1
        assert sess.run(i, {i: 3}) == 3 and np.asarray(sess.run(i, {i: 3})).dtype == np.int32


def test_an_int_too_large_for_the_fed_dtype_is_a_type_error():
    i = tf.placeholder(tf.int32, shape=(), name="i")
    with tf.Session() as sess:
        with pytest.raises(TypeError, match="Type of feed value 1099511627776 with type "):
            sess.run(i, {i: 2 ** 40})


def test_a_string_fed_to_a_number_is_a_value_error():
    i = tf.placeholder(tf.int32, shape=(), name="i")
    with tf.Session() as sess:
        with pytest.raises(ValueError):
            sess.run(i, {i: "a"})


def test_a_tensor_is_not_a_feed_value(graph):
    x, y, z = graph
    with tf.Session() as sess:
        with pytest.raises(TypeError, match="tf.Tensor"):
            sess.run(z, {x: tf.constant(ROW)})


def test_fed_shape_is_checked_none_matches_any_size(graph):
    x, y, z = graph
    i = tf.placeholder(tf.int32, shape=(), name="i")
    anything = tf.placeholder(tf.float32, name="u")
    with tf.Session() as sess:
        for n in (1, 4, 7):
            assert sess.run(y, {x: np.ones((n, 3))}).shape == (n, 3)
        with pytest.raises(ValueError) as e:
            sess.run(y, {x: [[1.0, 2.0]]})
        assert str(e.value) == ("Cannot feed value of shape (1, 2) for Tensor x:0, which has "
                                "shape (?, 3)")
        with pytest.raises(ValueError, match=r"shape \(3,\) for Tensor x:0, which has shape "
                                             r"\(\?, 3\)"):
            sess.run(y, {x: [1.0, 2.0, 3.0]})
        with pytest.raises(ValueError, match=r"shape \(1,\) for Tensor i:0, which has shape \(\)"):
            sess.run(i, {i: [1]})
        assert anything.shape.ndims is None and str(anything.shape) == "<unknown>"
        assert sess.run(anything, {anything: [[1, 2], [3, 4]]}).tolist() == [[1, 2], [3, 4]]


def test_a_needed_placeholder_not_fed_is_invalid_argument_naming_it(graph):
    x, y, z = graph
    with tf.Session() as sess:
        with pytest.raises(tf.errors.InvalidArgumentError) as e:
            sess.run(y)
    assert isinstance(e.value, tf.errors.OpError)
    assert "You must feed a value for placeholder tensor 'x' with dtype float and shape [?,3]" \
        in e.value.message
    assert e.value.op.name == "x"


def test_an_unneeded_placeholder_need_not_be_fed(graph):
    x, y, z = graph
    c = tf.constant(2.0) * 3.0
    with tf.Session() as sess:
        assert sess.run(c) == 6.0


# --- sessions ------------------------------------------------------------------------------------

def test_a_closed_session_raises_runtime_error(graph):
    x, y, z = graph
    sess = tf.Session()
    assert sess.run(z, {x: ROW}) == 12.0
    sess.close()
    with pytest.raises(RuntimeError, match="^Attempted to use a closed Session.$"):
        sess.run(z, {x: ROW})
    with tf.Session() as other:
        pass
    with pytest.raises(RuntimeError, match="closed Session"):
        other.run(tf.constant(1))


def test_with_session_is_the_default_inside_only():
    assert tf.get_default_session() is None
    with tf.Session() as sess:
        assert tf.get_default_session() is sess
        assert sess.graph is tf.get_default_graph()
        assert tf.constant(3.0).eval() == 3.0
    assert tf.get_default_session() is None


def test_session_of_another_graph():
    g = tf.Graph()
    with g.as_default():
        z = tf.constant(1.0)
        assert z.name == "Const:0"   # names start afresh in a new graph
    assert z.graph is g and tf.get_default_graph() is not g
    assert tf.Session(graph=g).run(z) == 1.0
    tf.constant(0.0)   # (the default graph is not empty)
    with pytest.raises(ValueError, match="not an element of this graph"):
        tf.Session().run(z)


def test_interactive_session_eval_and_operation_run():
    v = tf.Variable(1.0, name="v")
    inc = tf.assign_add(v, 2.0)
    sess = tf.InteractiveSession()
    try:
        with pytest.raises(tf.errors.FailedPreconditionError):
            v.eval()
        assert tf.global_variables_initializer().run() is None
        assert v.eval() == 1.0
        assert inc.eval() == 3.0 and v.eval() == 3.0
        assert inc.op.run() is None and v.eval() == 5.0
        assert (v * 3).eval() == 15.0
    finally:
        sess.close()
    with pytest.raises(ValueError, match="(?i)no default session is registered"):
        v.eval()


def test_eval_and_run_with_an_explicit_session_and_feeds():
    v = tf.Variable(1.0, name="v")
    p = tf.placeholder(tf.float32, name="p")
    set_v = tf.assign(v, p)
    sess = tf.Session()
    sess.run(v.initializer)
    assert (v + 1).eval(session=sess) == 2.0
    assert (p + 1).eval(feed_dict={p: 2.0}, session=sess) == 3.0
    assert set_v.op.run(feed_dict={p: 7.0}, session=sess) is None
    assert sess.run(v) == 7.0
    with sess.as_default():
        assert v.eval() == 7.0
        v.initializer.run()
        assert v.eval() == 1.0
    with pytest.raises(ValueError):
        tf.constant(1.0).eval()   # as_default ended


# --- every run re-executes ---------------------------------------------------------------------

def test_each_run_uses_the_current_variable_values():
    v = tf.Variable([1.0, 2.0], name="v")
    y = tf.reduce_sum(v * v)
    with tf.Session() as sess:
        sess.run(v.initializer)
        assert sess.run(y) == 5.0
        sess.run(v.assign([3.0, 4.0]))
        assert sess.run(y) == 25.0


def test_assignments_act_only_when_run_and_give_the_new_value():
    v = tf.Variable(1.0, name="v")
    inc = tf.assign_add(v, 2.0)
    dbl = v.assign(v * 2)
    sub = tf.assign_sub(v, 1.0)
    reset = tf.assign(v, 10.0)
    with tf.Session() as sess:
        sess.run(v.initializer)
        for _ in range(3):
            tf.assign(v, 5.0)   # made, never run: changes nothing
        assert sess.run(v) == 1.0
        assert [sess.run(inc), sess.run(dbl), sess.run(sub)] == [3.0, 6.0, 5.0]
        assert sess.run(reset) == 10.0 and sess.run(v) == 10.0
    assert [inc.name, dbl.name, sub.name, reset.name] == ["AssignAdd:0", "Assign:0",
                                                         "AssignSub:0", "Assign_1:0"]
    assert [inc.op.type, dbl.op.type, sub.op.type] == ["AssignAdd", "Assign", "AssignSub"]
    assert [t.name for t in inc.op.inputs][0] == "v:0"
    assert inc.dtype.base_dtype == tf.float32 and inc.shape == ()


def test_control_dependencies_run_first_and_the_read_sees_the_assignment():
    counter = tf.Variable(0, name="counter")
    inc = tf.assign_add(counter, 1)
    with tf.control_dependencies([inc]):
        doubled = counter * 2
    with tf.Session() as sess:
        sess.run(counter.initializer)
        assert [sess.run(doubled) for _ in range(3)] == [2, 4, 6]
        assert sess.run(counter) == 3


def test_random_ops_draw_anew_at_each_run_but_once_per_run():
    tf.set_random_seed(42)
    ops = [tf.random_uniform((3,), name="u"), tf.random_normal((2, 2)),
           tf.truncated_normal((1000,), stddev=2.0), tf.random_shuffle(tf.range(10)),
           tf.random_uniform((5,), minval=0, maxval=10, dtype=tf.int32)]
    u = ops[0]
    with tf.Session() as sess:
        first, second = sess.run(ops), sess.run(ops)
        same_run = sess.run([u, u + 0])
    assert all((a != b).any() for a, b in zip(first, second))
    assert (same_run[0] == same_run[1]).all()
    uniform, normal, truncated, shuffled, ints = first
    assert uniform.dtype == np.float32 and 0 <= uniform.min() and uniform.max() < 1
    assert np.abs(truncated).max() <= 4.0 and 1.6 < truncated.std() < 1.9
    assert sorted(shuffled.tolist()) == list(range(10)) and shuffled.dtype == np.int32
    assert ints.dtype == np.int32 and ints.min() >= 0 and ints.max() < 10
    assert [t.shape for t in ops] == [(3,), (2, 2), (1000,), (10,), (5,)]
    assert [t.dtype for t in ops] == [tf.float32, tf.float32, tf.float32, tf.int32, tf.int32]


def test_random_op_names_and_types():
    u = tf.random_uniform((2,), -1.0, 1.0)
    n = tf.random_normal((2,))
    t = tf.truncated_normal((2,))
    s = tf.random_shuffle([1, 2])
    # (TensorFlow 1.15 names the outputs so; its float ops are built of RandomUniform & co.)
    assert [u.name, n.name, t.name, s.name] == ["random_uniform:0", "random_normal:0",
                                                "truncated_normal:0", "RandomShuffle:0"]
    assert [tf.random_normal((2,), name="n").name, tf.truncated_normal((2,), name="t").name] \
        == ["n:0", "t:0"]
    assert s.op.type == "RandomShuffle"


def test_a_graph_seed_repeats_the_sequence_in_a_new_session():
    tf.set_random_seed(42)
    ops = [tf.random_uniform((3,)), tf.random_normal((2, 2)), tf.truncated_normal((4,)),
           tf.random_shuffle(tf.range(10)), tf.random_uniform((5,), 0, 10, dtype=tf.int32)]
    with tf.Session() as s1:
        a1, a2 = s1.run(ops), s1.run(ops)
    with tf.Session() as s2:
        b1, b2 = s2.run(ops), s2.run(ops)
    assert all((x == y).all() for x, y in zip(a1 + a2, b1 + b2))
    assert any((x != y).any() for x, y in zip(a1, a2))


def test_an_op_seed_alone_also_repeats():
    u = tf.random_normal((4,), seed=7)
    with tf.Session() as s1:
        first = s1.run(u)
    with tf.Session() as s2:
        assert (s2.run(u) == first).all()


def test_random_uniform_arguments_are_checked():
    with pytest.raises(ValueError, match="maxval"):
        tf.random_uniform((2,), dtype=tf.int32)   # TF: "Must specify maxval for integer dtype"
