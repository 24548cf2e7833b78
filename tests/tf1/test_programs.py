"""Whole TensorFlow-1 programs as a user writes them (``import teachgrad as tf``), and the graph
they build: names, scopes, operations, graphs, gradients, ``compat.v1``, the eager switch.

Expected numbers, names and errors were observed by running the same programs with
``tensorflow.compat.v1`` (TensorFlow 2.21, ``tf.disable_v2_behavior()``).
"""

import subprocess
import sys
import textwrap

import numpy as np
import pytest

import teachgrad as tf

RNG = np.random.RandomState(0)
X_DATA = RNG.rand(20, 2).astype(np.float32)
Y_DATA = (X_DATA @ np.array([[2.0], [-3.0]], np.float32) + 0.5).astype(np.float32)
X_CLASSES = RNG.rand(30, 4).astype(np.float32)
LABELS = np.argmax(X_CLASSES[:, :3], axis=1)


# --- programs ----------------------------------------------------------------------------------

def test_linear_regression_by_hand_written_gradient_descent():
    with tf.name_scope("inputs"):
        X = tf.placeholder(tf.float32, [None, 2], name="X")
        Y = tf.placeholder(tf.float32, [None, 1], name="Y")
    with tf.variable_scope("model"):
        W = tf.get_variable("W", [2, 1], initializer=tf.zeros_initializer())
        b = tf.get_variable("b", [1], initializer=tf.constant_initializer(0.1))
        pred = tf.matmul(X, W) + b
    with tf.name_scope("loss"):
        loss = tf.reduce_mean(tf.square(pred - Y))
    grad_W, grad_b = tf.gradients(loss, [W, b])
    lr = 0.5
    train = tf.group(tf.assign(W, W - lr * grad_W), tf.assign(b, b - lr * grad_b))
    assert [X.name, Y.name, W.name, b.name, pred.name, loss.name] == [
        "inputs/X:0", "inputs/Y:0", "model/W:0", "model/b:0", "model/add:0", "loss/Mean:0"]
    assert (train.name, train.type) == ("group_deps", "NoOp")
    assert grad_W.name.startswith("gradients/") and grad_W.shape == (2, 1)
    feed = {X: X_DATA, Y: Y_DATA}
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        assert sess.run(loss, feed) == pytest.approx(1.11125910282135, rel=1e-6)   # TF's
        for _ in range(200):
            _, final = sess.run([train, loss], feed)
        assert final == pytest.approx(2e-06, abs=1e-6)
        np.testing.assert_allclose(sess.run(W), [[2.001], [-2.9935]], atol=1e-3)
        np.testing.assert_allclose(sess.run(b), [0.4951], atol=1e-3)
        assert sess.run(pred, {X: X_DATA[:3]}).shape == (3, 1)   # any batch


def test_softmax_regression_with_accuracy():
    x = tf.placeholder(tf.float32, (None, 4), name="x")
    labels = tf.placeholder(tf.int64, (None,), name="labels")
    w = tf.Variable(tf.zeros((4, 3)), name="w")
    bias = tf.Variable(tf.zeros((3,)), name="bias")
    logits = tf.matmul(x, w) + bias
    probs = tf.nn.softmax(logits)
    xent = -tf.reduce_mean(tf.reduce_sum(tf.one_hot(labels, 3) * tf.log(probs + 1e-9), axis=1))
    accuracy = tf.reduce_mean(tf.cast(tf.equal(tf.argmax(logits, 1), labels), tf.float32))
    grads = tf.gradients(xent, [w, bias])
    step = [tf.assign_sub(v, 0.5 * g) for v, g in zip([w, bias], grads)]
    feed = {x: X_CLASSES, labels: LABELS}
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        first = sess.run([xent, accuracy], feed)
        for _ in range(300):
            sess.run(step, feed)
        last = sess.run([xent, accuracy], feed)
    np.testing.assert_allclose(first, [1.0986, 0.2667], atol=1e-4)   # TF's numbers
    np.testing.assert_allclose(last, [0.3199, 0.8667], atol=1e-4)


def test_derivatives_nest_and_run_like_any_tensor():
    a = tf.placeholder(tf.float32, name="a")
    f = a ** 3 + 2 * a
    d1 = tf.gradients(f, a)[0]
    d2 = tf.gradients(d1, a)[0]
    assert d1.name.startswith("gradients/") and d2.name.startswith("gradients_1/")
    with tf.Session() as sess:
        assert sess.run([f, d1, d2], {a: 2.0}) == [12.0, 14.0, 12.0]
        assert sess.run(d1, {a: -1.0}) == 5.0
    v = tf.Variable([1.0, 2.0], name="v")
    hessian = tf.hessians(tf.reduce_sum(v ** 3), v)[0]
    with tf.Session() as sess:
        sess.run(v.initializer)
        assert sess.run(hessian).tolist() == [[6.0, 0.0], [0.0, 12.0]]


def test_every_op_gradients_adds_is_under_its_scope_the_seed_too():
    """TF-1 puts the seed (its gradients/grad_ys_0, ones like y) under gradients/ as well: every
    op that tf.gradients adds to e = (a + b)·(b + 1) is named gradients/… (TF 1.15 adds 6)."""
    a = tf.placeholder(tf.float32, shape=[], name="a")
    b = tf.placeholder(tf.float32, shape=[], name="b")
    e = (a + b) * (b + 1)
    graph = tf.get_default_graph()
    before = len(graph.get_operations())
    tf.gradients(e, [a, b])
    added = [op.name for op in graph.get_operations()[before:]]
    assert added and all(name.startswith("gradients/") for name in added), added
    tf.gradients(e, [a, b], grad_ys=2.0)
    again = [op.name for op in graph.get_operations()[before + len(added):]]
    assert again and all(name.startswith("gradients_1/") for name in again), again


def test_gradients_of_placeholders_and_variables_are_graph_tensors():
    x = tf.placeholder(tf.float32, (None, 2), name="x")
    w = tf.Variable([[1.0], [2.0]], name="w")
    y = tf.reduce_sum(tf.matmul(x, w) ** 2)
    g_x, g_w = tf.gradients(y, [x, w])
    assert g_x.shape.as_list() == [None, 2] and g_w.shape.as_list() == [2, 1]
    assert all(op.name.startswith("gradients/") for op in [g_x.op, g_w.op])
    assert tf.gradients(y, tf.constant(1.0)) == [None]
    with tf.Session() as sess:
        sess.run(w.initializer)
        gx, gw = sess.run([g_x, g_w], {x: [[1.0, 1.0], [0.0, 1.0]]})
    assert gx.tolist() == [[6.0, 12.0], [4.0, 8.0]] and gw.tolist() == [[6.0], [10.0]]


def test_random_noise_program_with_a_graph_seed():
    tf.set_random_seed(1)
    w = tf.Variable(tf.random_normal((3,), stddev=0.1), name="w")
    noisy = w + tf.random_uniform((3,), -0.01, 0.01)
    with tf.Session() as s1:
        s1.run(tf.global_variables_initializer())
        runs1 = [s1.run(noisy) for _ in range(3)]
        weights1 = s1.run(w)
    with tf.Session() as s2:
        s2.run(tf.global_variables_initializer())
        runs2 = [s2.run(noisy) for _ in range(3)]
    assert all((a == b).all() for a, b in zip(runs1, runs2))   # the same sequence
    assert (runs1[0] != runs1[1]).any()                        # anew at each run
    assert np.abs(runs1[0] - weights1).max() < 0.01


# --- names, operations, graphs -----------------------------------------------------------------

def test_names_are_unique_in_a_graph():
    a = tf.constant(1.0, name="a")
    b = tf.constant(2.0)
    sums = [a + b, a + b, tf.add(a, b), tf.add(a, b, name="add")]
    others = [tf.multiply(a, b), a * b, a - b, a / b, -a, a ** 2, tf.matmul([[1.0]], [[2.0]])]
    assert [t.name for t in [a, b] + sums + others] == [
        "a:0", "Const:0", "add:0", "add_1:0", "Add_2:0", "add_3:0", "Mul:0", "mul_1:0", "sub:0",
        "truediv:0", "Neg:0", "pow:0", "MatMul:0"]
    assert [t.op.type for t in [a, sums[0], others[0], others[2], others[3], others[4],
                                others[5], others[6]]] == [
        "Const", "AddV2", "Mul", "Sub", "RealDiv", "Neg", "Pow", "MatMul"]
    assert tf.constant(0.0, name="Add").name == "Add_4:0"        # names are case-insensitive
    assert tf.constant(0.0, name="add_1").name == "add_1_1:0"


def test_default_names_of_functions():
    a = tf.constant(1.0, name="a")
    b = tf.constant(2.0, name="b")
    made = [tf.reduce_sum(a), tf.reduce_mean(a), tf.reshape(a, [1]), tf.transpose([[a]]),
            tf.sigmoid(a), tf.nn.relu(a), tf.exp(a), tf.log(a), tf.square(a), tf.sqrt(a),
            tf.cast(a, tf.int32), tf.identity(a), tf.tanh(a), tf.abs(a), tf.maximum(a, b),
            tf.zeros((2,)), tf.ones((2,)), tf.zeros_like(a), tf.ones_like(a), tf.fill((2,), 1.0),
            tf.where(True, a, b), tf.reduce_max(a), tf.argmax([a, b]), tf.equal(a, b),
            tf.less(a, b), a < b, tf.stop_gradient(a), tf.shape(a), tf.size(a),
            tf.one_hot([0], 2), tf.not_equal(a, b), tf.greater_equal(a, b), tf.argmin([a, b])]
    assert [t.name for t in made] == [
        "Sum:0", "Mean:0", "Reshape:0", "transpose:0", "Sigmoid:0", "Relu:0", "Exp:0", "Log:0",
        "Square:0", "Sqrt:0", "Cast:0", "Identity:0", "Tanh:0", "Abs:0", "Maximum:0", "zeros:0",
        "ones:0", "zeros_like:0", "ones_like:0", "Fill:0", "Select:0", "Max:0", "ArgMax:0",
        "Equal:0", "Less:0", "Less_1:0", "StopGradient:0", "Shape:0", "Size:0", "one_hot:0",
        "NotEqual:0", "GreaterEqual:0", "ArgMin:0"]
    assert [tf.reduce_sum(a, name="total").name, tf.placeholder(tf.float32).name,
            tf.placeholder(tf.float32).name, tf.Variable(1.0).name, tf.no_op().name,
            tf.group().name] == ["total:0", "Placeholder:0", "Placeholder_1:0", "Variable:0",
                                 "NoOp", "group_deps"]


def test_name_scopes():
    a, b = tf.constant(1.0, name="a"), tf.constant(2.0, name="b")
    with tf.name_scope("s"):
        x1 = a * b
        with tf.name_scope("t"):
            x2 = a * b
        with tf.name_scope("t"):
            x3 = a * b
        with tf.name_scope("s"):
            x4 = a * b
    with tf.name_scope("s"):
        x5 = a * b
    with tf.name_scope("s/"):     # an absolute scope, re-entered as it is
        x6 = a * b
    with tf.name_scope(None):
        x7 = a * b
    with tf.name_scope("s") as scope_name:
        pass
    assert [t.name for t in [x1, x2, x3, x4, x5, x6, x7]] + [scope_name] == [
        "s/mul:0", "s/t/mul:0", "s/t_1/mul:0", "s/s/mul:0", "s_1/mul:0", "s/mul_1:0", "mul:0",
        "s_2/"]
    with pytest.raises(ValueError, match="'bad name!' is not a valid root scope name"):
        with tf.name_scope("bad name!"):
            pass
    with pytest.raises(ValueError, match="is not a valid root scope name"):
        with tf.variable_scope("_hidden"):
            pass


def test_operations_and_graph_lookup():
    a = tf.constant(1.0, name="a")
    b = tf.constant(2.0)
    c = a + b
    g = tf.get_default_graph()
    assert g.get_tensor_by_name("add:0") is c
    assert g.get_operation_by_name("add") == c.op
    assert (c.op.name, c.op.type, [t.name for t in c.op.inputs], [t.name for t in c.op.outputs]) \
        == ("add", "AddV2", ["a:0", "Const:0"], ["add:0"])
    assert c.op.graph is g and c.graph is g and c.op.outputs[0] is c
    assert [op.name for op in g.get_operations()] == ["a", "Const", "add"]
    assert type(g.get_operations()[0]).__name__ == "Operation"
    with pytest.raises(KeyError):
        g.get_tensor_by_name("nope:0")
    with pytest.raises(KeyError):
        g.get_operation_by_name("nope")
    with pytest.raises(ValueError):
        g.get_tensor_by_name("add")   # an operation's name, not a tensor's


def test_graphs_and_the_default_graph():
    outer = tf.get_default_graph()
    a = tf.constant(1.0, name="a")
    g2 = tf.Graph()
    assert tf.get_default_graph() is outer
    with g2.as_default() as entered:
        assert entered is g2 and tf.get_default_graph() is g2
        z = tf.constant(1.0)
        with pytest.raises(AssertionError):
            tf.reset_default_graph()   # not inside a nested graph
    assert tf.get_default_graph() is outer and z.graph is g2 and a.graph is outer
    assert z.name == "Const:0" and len(g2.get_operations()) == 1
    assert tf.Session(graph=g2).run(z) == 1.0
    tf.reset_default_graph()
    fresh = tf.get_default_graph()
    assert fresh is not outer and fresh.get_operations() == []


def test_graph_mode_tensors_have_no_value_until_run():
    # (the contract: a tensor of constants has its value at once, unlike in TensorFlow)
    x = tf.placeholder(tf.float32, name="x")
    y = x * 2.0
    c = tf.constant(2.0) * 3.0
    assert not tf.executing_eagerly()
    assert float(c) == 6.0            # made of constants: its value at once
    assert not y.has_value
    with pytest.raises(ValueError, match="feed it"):
        y.numpy()


# --- compat.v1 and the eager switch --------------------------------------------------------------

def test_compat_v1_is_the_same_module():
    import teachgrad.compat.v1 as v1
    assert v1.placeholder is tf.placeholder and v1.Session is tf.Session
    assert v1.float32 is tf.float32 and v1.get_variable is tf.get_variable
    assert tf.compat.v1 is v1
    v1.disable_v2_behavior()
    assert not v1.executing_eagerly()


def test_a_compat_v1_program_in_a_fresh_interpreter():
    code = textwrap.dedent("""
        import sys
        import teachgrad.compat.v1 as tf
        tf.disable_v2_behavior()
        x = tf.placeholder(tf.float32, shape=[None, 2], name="x")
        w = tf.get_variable("w", [2, 1], initializer=tf.ones_initializer())
        y = tf.reduce_sum(tf.matmul(x, w))
        (g,) = tf.gradients(y, [w])
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            print(sess.run([y, g], {x: [[1.0, 2.0], [3.0, 4.0]]}))
        print(sorted(m for m in ("matplotlib", "ipywidgets", "graphviz") if m in sys.modules))
    """)
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         timeout=120)
    assert out.returncode == 0, out.stderr
    lines = out.stdout.strip().splitlines()
    assert lines[0].replace("np.float32(10.0)", "10.0") == \
        "[10.0, array([[4.],\n       [6.]], dtype=float32)]".splitlines()[0]
    assert lines[-1] == "[]"


def test_switching_modes_at_any_point():
    # (TensorFlow 1 allows enable_eager_execution only at program start; teachgrad at any point)
    graph_tensor = tf.placeholder(tf.float32, name="p") * 2.0
    tf.enable_eager_execution()
    try:
        assert tf.executing_eagerly()
        v = tf.Variable(3.0, name="v")
        assert float(v * v) == 9.0
        assert float(tf.gradients(v * v, v)[0]) == 6.0
    finally:
        tf.disable_eager_execution()
    assert not tf.executing_eagerly()
    w = tf.Variable(2.0, name="w")
    assert not w.has_value
    with tf.Session() as sess:
        sess.run(w.initializer)
        assert sess.run(w * 3.0) == 6.0
        assert sess.run(graph_tensor, {"p:0": 1.5}) == 3.0
    tf.enable_eager_execution()
    tf.enable_eager_execution()   # twice: still fine
    tf.disable_eager_execution()
    assert not tf.executing_eagerly()


def test_eager_random_ops_draw_at_once(eager):
    u = tf.random_uniform((3,), -1.0, 1.0)
    assert u.has_value and u.shape == (3,) and np.abs(u.numpy()).max() < 1.0
    assert (tf.random_normal((2,)).numpy() != tf.random_normal((2,)).numpy()).all()


# --- eager mode ------------------------------------------------------------------------------------

def test_eager_variables_hold_values_and_assign_at_once(eager):
    v = tf.Variable(2.0, name="v")
    assert float(v) == 2.0 and float(v * 3) == 6.0
    v.assign(5.0)
    assert float(v) == 5.0
    tf.assign(v, 7.0)
    tf.assign_add(v, 1.0)
    assert float(v) == 8.0 and (v.name, v.dtype, v.shape) == ("v:0", tf.float32, ())
    assert tf.Variable(1.0, name="v").name == "v:0"   # no graph: names are not made unique
    assert v.initializer is None and tf.global_variables_initializer() is None
    assert tf.global_variables() == []
    gv = tf.get_variable("g", shape=(2,), initializer=tf.zeros_initializer())
    assert gv.numpy().tolist() == [0.0, 0.0]
    with pytest.raises(ValueError):
        v.assign([1.0, 2.0])
    with pytest.raises(TypeError):
        tf.Variable(1).assign(2.5)


def test_eager_mode_has_no_placeholders_or_sessions(eager):
    # (TensorFlow makes Session objects in eager mode that fail when run; here making one fails)
    assert tf.executing_eagerly()
    with pytest.raises(RuntimeError, match="placeholder\\(\\) is not compatible with eager "
                                           "execution"):
        tf.placeholder(tf.float32)
    with pytest.raises(RuntimeError, match="eager mode"):
        tf.Session()
    with pytest.raises(RuntimeError, match="eager mode"):
        tf.InteractiveSession()
    with pytest.raises(NotImplementedError, match="eager execution"):
        tf.constant(1.0).eval()


def test_eager_gradients_of_a_graph_recorded_before_an_assign_raise(eager):
    w = tf.Variable(2.0, name="w")
    x = tf.constant(3.0)
    y = w * w                     # recorded with w = 2
    z = w * x
    assert float(tf.gradients(y, w)[0]) == 4.0
    w.assign(5.0)
    for stale in (y, z, y + w * w):
        with pytest.raises(ValueError, match="computed before variable 'w' was assigned a new "
                                             "value"):
            tf.gradients(stale, w)
    with pytest.raises(ValueError, match="'w'"):
        tf.gradients(y, x)
    assert float(tf.gradients(w * w, w)[0]) == 10.0   # computed again: fine
    other = tf.Variable(1.0, name="other")
    assert float(tf.gradients(other * 3.0, other)[0]) == 3.0   # a graph without w


def test_numbers_an_op_converts_are_named_inside_it_as_tf1_names_them():
    """tensorflow.compat.v1 (graph mode) on this program lists exactly these names: a Python
    number converted for input y of ``add`` is the constant ``add/y``; ``tf.constant`` stays
    ``Const``; inside a name scope, ``model/mul/y``."""
    x = tf.placeholder(tf.float32, [None, 2], name="x")
    _ = [x + 1, 2 * x, 1 - x, x / 2., tf.maximum(0., x), x ** 2, tf.matmul(x, [[1.], [2.]]),
         tf.add(x, 3.), tf.constant(3.0) + x, x > 0.]
    with tf.name_scope("model"):
        _ = x * 5.
    names = [op.name for op in tf.get_default_graph().get_operations()]
    assert names == ["x", "add/y", "add", "mul/x", "mul", "sub/x", "sub", "truediv/y", "truediv",
                     "Maximum/x", "Maximum", "pow/y", "pow", "MatMul/b", "MatMul", "Add_1/y",
                     "Add_1", "Const", "add_2", "Greater/y", "Greater", "model/mul/y", "model/mul"]


def test_a_converted_number_is_drawn_beside_its_op_not_as_a_scope():
    x = tf.placeholder(tf.float32, [], name="x")
    with tf.name_scope("model"):
        y = x * 3.0 + 1.0
    g = tf.trace(y, feed_dict={x: 2.0})
    assert set(g.scopes) == {"model"} and g.scopes["model"] == 4    # mul/y, mul, add/y, add
