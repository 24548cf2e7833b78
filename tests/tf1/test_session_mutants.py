"""What a Session gives back and says in the corners its usual tests pass by (issue 27: each test
here killed a surviving mutant of teachgrad/tf1/session.py).

Values and structures are TF-1's, read off ``tensorflow.compat.v1`` running the same lines; the
messages are teachgrad's own hints (TF-1's differ) and are checked whole: a hint that loses its
advice is a wrong hint.
"""

import collections
import re

import pytest

import teachgrad as tf
from teachgrad import errors


def whole(message):
    return "^" + re.escape(message) + "$"


def test_a_list_or_tuple_of_operations_gives_none_for_each():
    v = tf.Variable(1.0)
    with tf.Session() as sess:
        assert sess.run([v.initializer, tf.no_op()]) == [None, None]     # TF: [None, None]
        assert sess.run((v.initializer,)) == (None,)
        assert sess.run([v.initializer, v]) == [None, 1.0]


def test_a_list_of_names_gives_values_and_an_operation_name_gives_none():
    x = tf.placeholder(tf.float32, (), name="x")
    y = tf.multiply(x, 2.0, name="y")
    with tf.Session() as sess:
        assert sess.run(["y:0", "x:0"], {x: 3.0}) == [6.0, 3.0]
        assert sess.run(["y", "y:0"], {x: 3.0}) == [None, 6.0]
        assert sess.run(y.name, {"x:0": 1.0}) == 2.0


def test_an_ordered_dict_of_fetches_comes_back_an_ordered_dict():
    v = tf.Variable(1.0)
    w = v * 2.0
    with tf.Session() as sess:
        sess.run(v.initializer)
        got = sess.run(collections.OrderedDict([("b", w), ("a", v)]))
        assert type(got) is collections.OrderedDict and list(got.items()) == [("b", 2.0), ("a", 1.0)]
        got = sess.run({"b": w, "a": [v]})
        assert type(got) is dict and got == {"b": 2.0, "a": [1.0]}


def test_an_object_with_as_graph_element_is_fetched_and_fed_as_its_tensor():
    x = tf.placeholder(tf.float32, (), name="x")
    y = x * 2.0

    class Holder:     # TF-1's protocol for objects that stand for a tensor
        def __init__(self, tensor):
            self.tensor = tensor

        def _as_graph_element(self):
            return self.tensor

    with tf.Session() as sess:
        assert sess.run(Holder(y), {Holder(x): 4.0}) == 8.0
        assert sess.run([Holder(y)], {x: 1.0}) == [2.0]


def test_a_tensor_of_another_graph_is_refused_as_a_fetch_and_as_a_feed():
    other = tf.Graph()
    with other.as_default():
        q = tf.constant(1.0)
    y = tf.constant(2.0) * 3.0
    hint = (" 'Const:0' is not an element of this graph: it was made in another tg.Graph (after "
            "tg.reset_default_graph(), make the tensors again, or pass graph= to tg.Session)")
    with tf.Session() as sess:
        with pytest.raises(ValueError, match=whole("fetch" + hint)):
            sess.run(q)
        with pytest.raises(ValueError, match=whole("fetch" + hint)):
            sess.run([q])
        with pytest.raises(ValueError, match=whole("fetch" + hint)):
            sess.run({"q": q})
        with pytest.raises(ValueError, match=whole("feed_dict key" + hint)):
            sess.run(y, {q: 1.0})
        with pytest.raises(ValueError, match=whole("fetch" + hint)):
            sess.run([q, q])
        with pytest.raises(ValueError, match=whole("fetch" + hint)):
            sess.run((q,))
        holder = type("Holder", (), {"_as_graph_element": lambda self: q})()
        with pytest.raises(ValueError, match=whole("fetch" + hint)):
            sess.run(holder)


def test_a_fetch_or_feed_key_that_is_no_graph_element_is_a_type_error():
    y = tf.constant(2.0) * 3.0
    with tf.Session() as sess:
        # TF: TypeError (its own words)
        with pytest.raises(TypeError, match=whole(
                "fetch 3 is a int: expected a tensor, an operation or the name of one")):
            sess.run([y, 3])
        with pytest.raises(TypeError, match=whole(
                "feed_dict key 3 is a int: expected a tensor, an operation or the name of one")):
            sess.run(y, {3: 1.0})


def test_an_uninitialized_variable_names_itself_and_the_remedy():
    v = tf.Variable(1.0, name="v")
    w = v * 2.0
    with tf.Session() as sess:
        with pytest.raises(errors.FailedPreconditionError) as caught:
            sess.run(w)
    # TF: FailedPreconditionError at op v/read, "Attempting to use uninitialized value v"
    assert caught.value.op.name.split("/")[0] == "v"
    assert caught.value.message == (
        "Attempting to use uninitialized value v: run its initializer first, e.g. "
        "sess.run(tg.global_variables_initializer())")


def test_a_session_in_eager_mode_is_refused_with_the_way_out(eager):
    with pytest.raises(RuntimeError, match=whole(
            "tg.Session is not available in eager mode: operations run at once there. Call "
            "tg.disable_eager_execution() to build and run graphs")):
        tf.Session()


def test_a_tensor_inside_a_branch_is_refused_with_the_way_out():
    x = tf.placeholder(tf.float32, name="x")
    p = tf.placeholder(tf.bool, name="p")
    tf.cond(p, lambda: x * 2.0, lambda: x + 1.0)
    with tf.Session() as sess:
        with pytest.raises(errors.InaccessibleTensorError, match=whole(
                "Operation cond/mul has been marked as not fetchable: it is made inside a tf.cond "
                "branch or a tf.while_loop and has a value only while that runs. Return it from "
                "the branch or the body and fetch that result")):
            sess.run(["cond/mul:0"], {x: 1.0, p: False})


def test_an_exception_inside_as_default_propagates():
    sess = tf.Session()
    with pytest.raises(KeyError, match="inside"):     # TF: the KeyError comes through
        with sess.as_default():
            raise KeyError("inside")
    assert tf.get_default_session() is None


def test_leaving_a_session_that_is_not_on_top_leaves_the_top_default():
    # TF-1 raises AssertionError("Nesting violated ...") here; teachgrad keeps the innermost
    # default session, never pops another one.
    outer = tf.Session()
    outer.__enter__()
    inner = tf.InteractiveSession()
    try:
        outer.__exit__(None, None, None)
        assert tf.get_default_session() is inner
        with outer.as_default() as same:
            assert same is outer
        outer_default = outer.as_default()
        outer_default.__enter__()
        tf.InteractiveSession().close()
        assert tf.get_default_session() is outer
        outer_default.__exit__(None, None, None)
        assert tf.get_default_session() is inner
    finally:
        inner.close()
    assert tf.get_default_session() is outer    # still entered: it was never left on top
    outer.__exit__(None, None, None)
    assert tf.get_default_session() is None


def test_an_interactive_session_runs_the_graph_it_is_given():
    other = tf.Graph()
    with other.as_default():
        c = tf.constant(5.0) * 2.0
    sess = tf.InteractiveSession(graph=other)
    try:
        assert sess.graph is other
        assert c.eval() == 10.0
    finally:
        sess.close()


def test_a_session_says_how_many_variables_it_holds_or_that_it_is_closed():
    v = tf.Variable(1.0)
    sess = tf.Session()
    assert repr(sess).endswith(", 0 variables set>")
    sess.run(v.initializer)
    assert repr(sess).endswith(", 1 variables set>")
    sess.close()
    assert repr(sess).endswith(", closed>")
    with pytest.raises(RuntimeError, match=whole("Attempted to use a closed Session.")):
        sess.run(v)


def test_leaving_as_default_while_another_session_is_on_top_keeps_that_one():
    outer = tf.Session()
    context = outer.as_default()
    context.__enter__()
    inner = tf.InteractiveSession()
    context.__exit__(None, None, None)       # outer is not on top: nothing is popped
    try:
        assert tf.get_default_session() is inner
    finally:
        inner.close()
    assert tf.get_default_session() is outer
    context.__exit__(None, None, None)
    assert tf.get_default_session() is None


def test_a_config_that_is_no_config_proto_is_refused_with_what_it_got():
    # TF: TypeError, "Argument `config` must be a tf.ConfigProto, but got "int""
    with pytest.raises(TypeError, match=whole("Session: config must be a tg.ConfigProto, got 5")):
        tf.Session(config=5)
    with pytest.raises(TypeError, match=whole(
            "Session: config must be a tg.ConfigProto, got {'allow_soft_placement': True}")):
        tf.Session(config={"allow_soft_placement": True})


def test_a_session_runs_inside_a_device_block_that_is_still_open():
    x = tf.placeholder(tf.float32, (), name="x")
    with tf.device("/cpu:0"):
        y = x * 2.0
        with tf.Session() as sess:
            assert sess.run(y, {x: 3.0}) == 6.0                              # TF: 6.0
            assert sess.run([x, y], {x: 1.0}) == [1.0, 2.0]


def test_an_op_pinned_to_a_gpu_in_a_block_still_open_is_refused_at_run():
    x = tf.placeholder(tf.float32, (), name="x")
    with tf.device("/gpu:0"):
        y = tf.multiply(x, 2.0, name="y")
        with tf.Session() as sess:
            with pytest.raises(errors.InvalidArgumentError) as caught:     # TF: the same error
                sess.run(y, {x: 1.0})
    assert caught.value.message.startswith(
        "Cannot assign a device for operation y: {{node y}} was explicitly assigned to "
        "/device:GPU:0 but available devices are [ /job:localhost/replica:0/task:0/device:CPU:0 ]")
    assert caught.value.op.name == "y"       # the refused op, as the message names it


def test_an_op_pinned_to_a_gpu_earlier_is_refused_inside_another_open_block():
    # TF: every op of the graph is placed when it reaches the session, fetched or not
    with tf.device("/gpu:0"):
        tf.multiply(tf.constant(1.0, name="a"), 2.0, name="b")
    with tf.device("/cpu:0"):
        c = tf.constant(3.0, name="c") + 1.0
        with tf.Session() as sess:
            with pytest.raises(errors.InvalidArgumentError,
                               match="operation b: {{node b}} was explicitly assigned to "
                                     "/device:GPU:0") as caught:
                sess.run(c)
    assert caught.value.op.name == "b"


def test_a_tensor_made_in_eager_mode_is_a_constant_of_a_later_graph():
    """tg.enable_eager_execution may come at any point (a lecture contrasts the two modes): an
    eager tensor met in a graph is its value; fetched, it gives that value."""
    tf.enable_eager_execution()
    try:
        c = tf.constant([3.0, 4.0])
    finally:
        tf.disable_eager_execution()
    y = c * 2.0
    with tf.Session() as sess:
        assert sess.run(c).tolist() == [3.0, 4.0]
        assert [v.tolist() for v in sess.run([c, y])] == [[3.0, 4.0], [6.0, 8.0]]
        assert sess.run({"c": c})["c"].tolist() == [3.0, 4.0]
