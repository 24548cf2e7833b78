"""TensorFlow 1's semantics where teachgrad differed (issue 21): the gradient of ``x ** p`` with
respect to ``p`` where ``x <= 0``, a variable fetched with an assignment to it, integer labels in
``softmax_cross_entropy_with_logits``, string constants, ``str(tensor)``, ``==`` on tensors,
tensors of two graphs, variables initialized from other variables, dtype rules, and the op names
and counts of ``stack``, ``reshape``, ``linspace`` and a variable's ``NAME/read``.

Every value, name, dtype and error below was read off ``tensorflow.compat.v1`` (TensorFlow 2.21
with ``tf.disable_v2_behavior()``) running the same snippet, except ``linspace``'s ops, which are
TensorFlow 1.15's (one ``LinSpace`` op, as ``tf.raw_ops.LinSpace`` still builds; 2.21's
``compat.v1.linspace`` is a composite of ~70 ops). TensorFlow is not imported here.
"""

import numpy as np
import pytest

import teachgrad as tf
import teachgrad as tg


def run(fetches, feed_dict=None):
    with tf.Session() as sess:
        return sess.run(fetches, feed_dict)


def op_list(graph=None):
    return [(op.name, op.type) for op in (graph or tf.get_default_graph()).get_operations()]


# --- the gradient of x ** p -------------------------------------------------------------------------

def test_gradient_of_a_power_wrt_its_exponent_masks_the_log_where_the_base_is_not_positive():
    x = tf.constant([-2.0, -1.0, 0.0, 0.5, 2.0])
    p = tf.constant([2.0, 3.0, 2.0, 2.0, 0.5])
    y, gx, gp = run([x ** p] + tf.gradients(x ** p, [x, p]))
    np.testing.assert_allclose(y, [4.0, -1.0, 0.0, 0.25, 1.4142135], rtol=1e-6)
    np.testing.assert_allclose(gx, [-4.0, 3.0, 0.0, 1.0, 0.35355338], rtol=1e-6)
    np.testing.assert_allclose(gp, [0.0, -0.0, 0.0, -0.1732868, 0.9802581], rtol=1e-6)
    # fed, and at the edges: 0 ** 0.5 (∂/∂x = inf, ∂/∂p = 0), (−2) ** 0.5 (NaN, NaN)
    xs, ps = tf.placeholder(tf.float32), tf.placeholder(tf.float32)
    grads = tf.gradients(xs ** ps, [xs, ps])
    assert [float(g) for g in run(grads, {xs: -2.0, ps: 2.0})] == [-4.0, 0.0]
    assert [float(g) for g in run(grads, {xs: 0.0, ps: 0.5})] == [np.inf, 0.0]
    assert all(np.isnan(g) for g in run(grads, {xs: -2.0, ps: 0.5}))


def test_a_descent_on_the_exponent_stays_finite_at_a_negative_base():
    # The course's optimization notebooks: x ** p at x < 0 went inf/nan (ln of a negative number)
    x = tf.constant(-1.5)
    p = tf.Variable(2.0)
    step = tf.train.GradientDescentOptimizer(0.1).minimize(x ** p)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        for _ in range(3):
            sess.run(step)
        assert sess.run(p) == np.float32(2.0)     # TF-1: ∂/∂p is 0 there, p stays
    assert float(tg.grad(lambda q: tg.constant(-1.5, dtype=tg.float64) ** q)(2.0)) == 0.0


# --- a variable fetched with an assignment to it -------------------------------------------------

def test_a_variable_fetched_with_an_assignment_to_it_gives_the_value_after_it():
    t = tf.Variable(1.0, name="t")
    opt = tf.assign(t, 5.0)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        assert sess.run({"opt": opt, "t": t}) == {"opt": np.float32(5.0), "t": np.float32(5.0)}
        sess.run(tf.global_variables_initializer())
        assert sess.run([t, opt]) == [5.0, 5.0]
        sess.run(tf.global_variables_initializer())
        assert sess.run([t, tf.assign_add(t, 2.0)]) == [3.0, 3.0]
        fetched = sess.run(t)
        fetched += 1                                # a copy: the session's value is unchanged
        assert sess.run(t) == 3.0


# --- cross-entropy with integer labels -------------------------------------------------------------

def test_softmax_cross_entropy_casts_integer_labels_to_the_logits_dtype():
    logits = tf.constant([[2.0, 1.0, 0.1], [0.5, 2.5, 0.3]])
    onehot = tf.constant([[1, 0, 0], [0, 1, 0]])
    expected = [0.41702995, 0.22004953]
    for loss in (tf.nn.softmax_cross_entropy_with_logits(labels=onehot, logits=logits),
                 tf.nn.softmax_cross_entropy_with_logits(labels=[[1, 0, 0], [0, 1, 0]],
                                                         logits=logits),
                 tf.nn.softmax_cross_entropy_with_logits_v2(labels=onehot, logits=logits),
                 tf.nn.softmax_cross_entropy_with_logits(
                     labels=tf.constant([[1.0, 0, 0], [0, 1, 0]], tf.float64), logits=logits)):
        assert loss.dtype == tf.float32
        np.testing.assert_allclose(run(loss), expected, rtol=1e-6)
    labels = tf.placeholder(tf.int32, [None, 3])
    np.testing.assert_allclose(
        run(tf.nn.softmax_cross_entropy_with_logits(labels=labels, logits=logits),
            {labels: [[1, 0, 0], [0, 1, 0]]}), expected, rtol=1e-6)
    np.testing.assert_allclose(run(tf.losses.softmax_cross_entropy(onehot, logits)), 0.31853974,
                               rtol=1e-6)


# --- strings ---------------------------------------------------------------------------------------

def test_string_constants_fetch_as_bytes():
    hello = tf.constant("hello")
    assert hello.dtype == tf.string and hello.dtype.name == "string"
    assert str(hello) == 'Tensor("Const:0", shape=(), dtype=string)'
    value = run(hello)
    assert value == b"hello" and type(value) is bytes
    pair = run(tf.constant(["a", "bc"]))
    assert pair.dtype == object and pair.tolist() == [b"a", b"bc"]
    assert run(tf.constant(b"hi")) == b"hi"
    assert run(tf.identity(tf.constant("hello"))) == b"hello"
    assert run(tf.constant("a") + tf.constant("b")) == b"ab"
    with pytest.raises(TypeError, match="Expected float32, but got a of type 'str'"):
        tf.constant("a", dtype=tf.float32)


# --- str(tensor) and == ---------------------------------------------------------------------------

def test_str_of_a_tensor_is_tf1s_and_repr_stays_teachgrads():
    c = tf.constant(1.0)
    assert str(c) == 'Tensor("Const:0", shape=(), dtype=float32)'
    assert "{} %s".format(c) % c == ('Tensor("Const:0", shape=(), dtype=float32) '
                                     'Tensor("Const:0", shape=(), dtype=float32)')
    assert repr(c) == "<tg.Tensor 'Const:0' shape=() dtype=float32 value=1.>"
    assert str(tf.placeholder(tf.float32, [None, 3], name="x")) == \
        'Tensor("x:0", shape=(?, 3), dtype=float32)'
    assert str(tf.placeholder(tf.float32)) == 'Tensor("Placeholder:0", dtype=float32)'
    assert str(tf.constant([1, 2])) == 'Tensor("Const_1:0", shape=(2,), dtype=int32)'
    assert str(tf.constant(True)) == 'Tensor("Const_2:0", shape=(), dtype=bool)'
    assert str(tf.constant(1.0, tf.float64)) == 'Tensor("Const_3:0", shape=(), dtype=float64)'
    w = tf.Variable([1.0, 2.0], name="w")
    assert str(w) == "<tf.Variable 'w:0' shape=(2,) dtype=float32_ref>"
    assert str(tf.assign(w, [3.0, 4.0])) == 'Tensor("Assign:0", shape=(2,), dtype=float32_ref)'


def test_str_of_an_eager_tensor_is_tf1s(eager):
    assert str(tf.constant(1.0)) == "tf.Tensor(1.0, shape=(), dtype=float32)"
    assert str(tf.constant([1, 2])) == "tf.Tensor([1 2], shape=(2,), dtype=int32)"
    assert str(tf.constant("hi")) == "tf.Tensor(b'hi', shape=(), dtype=string)"
    assert str(tf.Variable(1.0)) == \
        "<tf.Variable 'Variable:0' shape=() dtype=float32, numpy=1.0>"


def test_equality_of_tensors_is_identity_as_in_tf1():
    a, b = tf.constant(1.0), tf.constant(1.0)
    assert (a == b, a == a, a != b, a == 1.0, a != 1.0, 1.0 == a) == (
        False, True, True, False, True, False)
    assert (np.float32(1.0) == a) is False and (np.array([1.0]) == a) is False
    assert hash(a) == object.__hash__(a)                  # hashed as an object, as TF-1
    assert len({a, b, a}) == 2
    v = tf.Variable(1.0)
    assert v in tf.global_variables() and v in [tf.Variable(2.0), v] and v == v
    assert v != 1.0
    assert run(tf.equal(a, b)) == np.True_                 # tf.equal compares elements
    assert isinstance(a < b, tf.Tensor)                     # (<, <=, >, >= stay element-wise)


def test_equality_is_identity_in_eager_mode_too(eager):
    a, b = tf.constant(1.0), tf.constant(1.0)
    assert (a == b, a == a, a != b, a == 1.0) == (False, True, True, False)   # TF 1.15's
    v = tf.Variable(1.0)
    assert (v == v, v == 1.0) == (True, False)


# --- two graphs ------------------------------------------------------------------------------------

def test_tensors_of_two_graphs_refuse_to_combine():
    g1, g2 = tf.Graph(), tf.Graph()
    with g1.as_default():
        x1 = tf.constant(1.0, name="x")
    with g2.as_default():
        x2 = tf.constant(2.0, name="y")
    message = (r'Tensor\("y:0", shape=\(\), dtype=float32\) must be from the same graph as '
               r'Tensor\("x:0", shape=\(\), dtype=float32\)')
    with pytest.raises(ValueError, match=message):
        x1 + x2
    with g2.as_default():
        with pytest.raises(ValueError, match=message):
            tf.add(x1, x2)
    with pytest.raises(ValueError, match=r'Tensor\("x:0".*must be from the same graph as '
                                         r'Tensor\("Const:0"'):
        tf.constant(3.0) + x1                                # the default graph's and g1's


def test_an_op_goes_to_its_inputs_graph():
    g1, g2 = tf.Graph(), tf.Graph()
    with g1.as_default():
        x = tf.placeholder(tf.float32, name="x")
        y = x * 2.0
    with g2.as_default():
        assert (x * 2.0).graph is g1 and tf.sin(x).graph is g1     # TF-1: both in g1
    z = y * 3.0                                                      # the default graph is
    assert z.graph is g1 and z.name == "mul_2:0"                     # another: still g1
    assert len(g2.get_operations()) == 0
    with tf.Session(graph=g1) as sess:
        assert sess.run(z, {x: 1.0}) == 6.0


# --- a variable initialized from another -----------------------------------------------------------

def test_a_variable_initialized_from_another_initializes_in_any_order():
    w1 = tf.Variable(3.0, name="w1")
    w2 = tf.Variable(w1 * 2.0, name="w2")
    names = [name for name, _ in op_list()]
    assert "w1/read_w2" in names and "mul_w2" in names        # TF-1 guards the read of w1
    init = tf.global_variables_initializer()
    for _ in range(3):
        with tf.Session() as sess:
            sess.run(init)
            assert sess.run([w1, w2]) == [3.0, 6.0]
    with tf.Session() as sess:
        sess.run(w2.initializer)              # w1 not initialized: its initial value is used
        assert sess.run(w2) == 6.0
        with pytest.raises(tf.errors.FailedPreconditionError,
                           match="Attempting to use uninitialized value w1"):
            sess.run(w1)
        sess.run(w1.initializer)
        sess.run(tf.assign(w1, 5.0))
        sess.run(w2.initializer)              # w1 initialized: its value now
        assert sess.run([w1, w2]) == [5.0, 10.0]


def test_initialized_value_chains_and_a_three_variable_chain():
    w1 = tf.Variable(3.0, name="w1")
    w2 = tf.Variable(w1.initialized_value() * 2.0, name="w2")
    w3 = tf.Variable(w2.initialized_value() + w1.initialized_value(), name="w3")
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        assert sess.run([w1, w2, w3]) == [3.0, 6.0, 9.0]
        sess.run(tf.assign(w1, 5.0))
        assert sess.run(w1.initialized_value()) == 5.0    # initialized: the value, not 3
    with tf.Session() as sess:
        assert sess.run(w1.initialized_value()) == 3.0    # not yet: the initial value
    # Without initialized_value, w3's guard of w2 falls back on w2's own initial value, which
    # reads w1 unguarded: TF-1 fails, and so does teachgrad, with TF-1's error
    tf.reset_default_graph()
    w1 = tf.Variable(3.0, name="w1")
    w2 = tf.Variable(w1 * 2.0, name="w2")
    w3 = tf.Variable(w2 + w1, name="w3")
    with tf.Session() as sess:
        with pytest.raises(tf.errors.FailedPreconditionError,
                           match="Attempting to use uninitialized value w1"):
            sess.run(tf.global_variables_initializer())


def test_get_variable_initialized_from_another_variable():
    w1 = tf.get_variable("w1", initializer=3.0)
    w2 = tf.get_variable("w2", initializer=w1 * 2.0)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        assert sess.run([w1, w2]) == [3.0, 6.0]


# --- dtype rules -----------------------------------------------------------------------------------

@pytest.mark.parametrize("value, dtype, message", [
    (1.5, tf.int32, "Expected int32, but got 1.5 of type 'float'."),
    ([1.0, 2.5], tf.int32, "Expected int32, but got 1.0 of type 'float'."),
    (1.0, tf.int32, "Expected int32, but got 1.0 of type 'float'."),
    (2, tf.bool, "Expected bool, but got 2 of type 'int'."),
])
def test_constant_refuses_a_python_value_of_another_kind(value, dtype, message):
    with pytest.raises(TypeError, match=message.replace(".", r"\.").replace("[", r"\[")):
        tf.constant(value, dtype=dtype)
    # and converts what TF-1 converts
    assert run(tf.constant(np.float32(1.5), dtype=tf.int32)) == 1        # a NumPy value: cast
    assert run(tf.constant(np.array([1.5, 2.0]), dtype=tf.int32)).tolist() == [1, 2]
    assert run(tf.constant(True, dtype=tf.int32)) == 1
    value = run(tf.constant(1, dtype=tf.float32))
    assert value == 1.0 and value.dtype == np.float32


@pytest.mark.parametrize("fn", ["sin", "sqrt", "exp", "log", "tanh", "cos", "sigmoid", "tan",
                                "atan", "sinh", "cosh", "log1p"])
def test_float_only_functions_refuse_integers(fn):
    allowed = ("has DataType int32 not in list of allowed values: bfloat16, float16, float32, "
               "float64, complex64, complex128")
    with pytest.raises(TypeError, match=allowed):
        getattr(tf, fn)(tf.constant([1, 2]))
    with pytest.raises(TypeError, match=allowed):
        getattr(tf, fn)(2)                           # TF-1: a Python int is int32 here too
    with pytest.raises(TypeError, match="DataType int64 not in list"):
        getattr(tf, fn)(np.array([1, 2]))
    assert getattr(tf, fn)(tf.constant(1.0, tf.float64)).dtype == tf.float64


def test_functions_tf1_allows_on_integers_keep_them_integers():
    i = tf.constant([-1, 2])
    assert [run(f(i)).tolist() for f in (tf.square, tf.abs, tf.negative, tf.nn.relu)] == [
        [1, 4], [1, 2], [1, -2], [0, 2]]
    assert run(tf.maximum(i, 0)).dtype == np.int32
    with pytest.raises(TypeError, match="DataType int32 not in list"):
        tf.nn.softplus(i)
    with pytest.raises(TypeError, match="DataType int32 not in list"):
        tf.floor(i)


def test_integer_to_a_negative_integer_power_is_an_error():
    with pytest.raises(tf.errors.InvalidArgumentError,
                       match="Integers to negative integer powers are not allowed"):
        tf.constant(2) ** -1
    with pytest.raises(tf.errors.InvalidArgumentError, match="negative integer powers"):
        tf.pow(tf.constant([2, 3]), tf.constant([-1, 2]))
    p = tf.placeholder(tf.int32)
    inverse = p ** -1                                # built: the error comes when it runs
    with pytest.raises(tf.errors.InvalidArgumentError, match="negative integer powers"):
        run(inverse, {p: 2})
    assert run(p ** 2, {p: 3}) == 9 and run(tf.constant(0) ** 0) == 1
    with pytest.raises(TypeError):                  # TF-1: Expected int32 … got 0.5
        tf.constant(2) ** 0.5


def test_concat_of_int32_and_float32_is_a_type_error():
    message = (r"Tensors in list passed to 'values' of 'ConcatV2' Op have types "
               r"\[int32, float32\] that don't all match")
    with pytest.raises(TypeError, match=message):
        tf.concat([tf.constant([1]), tf.constant([1.0])], 0)
    with pytest.raises(TypeError, match=r"\[float32, int32\]"):
        tf.concat([tf.constant([1.0]), tf.constant([1])], 0)
    joined = run(tf.concat([tf.constant([1.0]), [2]], 0))   # a list takes the tensor's dtype
    assert joined.tolist() == [1.0, 2.0] and joined.dtype == np.float32
    with pytest.raises(TypeError):
        tf.concat([tf.constant([1]), [2.5]], 0)


def test_reduce_mean_of_integers_is_the_integer_mean():
    means = run([tf.reduce_mean(tf.constant([1, 2])), tf.reduce_mean(tf.constant([-1, -2])),
                 tf.reduce_mean(tf.constant([-1, -4])),
                 tf.reduce_mean(tf.constant([[1, 2], [4, 4]]), axis=1),
                 tf.reduce_mean(tf.constant([1, 2], tf.int64)),
                 tf.reduce_mean(tf.constant([200, 200], tf.uint8)),
                 tf.reduce_mean(tf.constant([100, 100], tf.int8))])
    assert [np.asarray(m).tolist() for m in means] == [1, -1, -2, [1, 4], 1, 200, 100]
    assert [np.asarray(m).dtype for m in means] == [np.int32] * 4 + [np.int64, np.uint8, np.int8]
    p = tf.placeholder(tf.int32, [None])
    mean = tf.reduce_mean(p)
    assert mean.dtype == tf.int32 and run(mean, {p: [1, 2]}) == 1
    with pytest.raises(TypeError, match="DataType bool not in list of allowed values"):
        tf.reduce_mean(tf.constant([True, False]))


def test_feeding_2_to_a_bool_placeholder_is_an_error():
    b = tf.placeholder(tf.bool)
    with pytest.raises(TypeError, match=r"Type of feed value 2 with type <class 'int'> is not "
                                        r"compatible with Tensor type <class 'numpy.bool'>"):
        run(b, {b: 2})
    assert [bool(run(b, {b: v})) for v in (1, 0, 1.0, True)] == [True, False, True, True]
    assert run(b, {b: [1, 0]}).tolist() == [True, False]


# --- op names and counts ---------------------------------------------------------------------------

def test_stack_is_one_pack_op():
    s = tf.stack([tf.constant(1.0), tf.constant(2.0)])
    assert op_list() == [("Const", "Const"), ("Const_1", "Const"), ("stack", "Pack")]
    assert run(s).tolist() == [1.0, 2.0]
    tf.reset_default_graph()
    tf.stack([tf.constant([1.0]), tf.constant([2.0])], axis=1, name="s")
    assert op_list() == [("Const", "Const"), ("Const_1", "Const"), ("s", "Pack")]
    tf.reset_default_graph()
    assert run(tf.stack([1.0, 2.0])).tolist() == [1.0, 2.0]
    assert op_list() == [("stack", "Const")]               # numbers: one constant
    tf.reset_default_graph()
    stacked = tf.stack([tf.placeholder(tf.float32, [None]), tf.placeholder(tf.float32, [None])])
    assert stacked.shape.as_list() == [2, None]
    assert op_list() == [("Placeholder", "Placeholder"), ("Placeholder_1", "Placeholder"),
                         ("stack", "Pack")]
    with pytest.raises(TypeError, match="'values' of 'Pack' Op"):
        tf.stack([tf.constant(1.0), tf.constant(2)])


def test_reshape_has_its_shape_as_a_constant_input():
    tf.reshape(tf.constant([1.0, 2.0, 3.0, 4.0]), [2, 2])
    assert op_list() == [("Const", "Const"), ("Reshape/shape", "Const"), ("Reshape", "Reshape")]
    tf.reset_default_graph()
    assert tf.reshape(tf.constant([1.0, 2.0, 3.0, 4.0]), [2, 2], name="r").name == "r:0"
    assert op_list() == [("Const", "Const"), ("r/shape", "Const"), ("r", "Reshape")]
    tf.reset_default_graph()
    value = run(tf.reshape(tf.constant([1.0, 2.0, 3.0, 4.0]), tf.constant([2, 2])))
    assert op_list() == [("Const", "Const"), ("Const_1", "Const"), ("Reshape", "Reshape")]
    assert value.tolist() == [[1.0, 2.0], [3.0, 4.0]]
    tf.reset_default_graph()
    x = tf.placeholder(tf.float32, [None, 4])
    r = tf.reshape(x, [-1, 2])
    assert op_list() == [("Placeholder", "Placeholder"), ("Reshape/shape", "Const"),
                         ("Reshape", "Reshape")]
    assert r.shape.as_list() == [None, 2]
    q = tf.placeholder(tf.float32, [None, 2])
    by_shape = tf.reshape(x, tf.shape(q))                  # a shape known when it runs
    assert by_shape.shape.as_list() == [None, 2]
    assert run(by_shape, {x: np.ones((1, 4)), q: np.ones((2, 2))}).shape == (2, 2)
    assert run(tf.gradients(r * 2.0, x)[0], {x: np.ones((1, 4))}).tolist() == [[2.0] * 4]


def test_linspace_is_tf_1_15s_one_linspace_op():
    values = run(tf.linspace(0.0, 1.0, 5))
    assert op_list() == [("LinSpace/start", "Const"), ("LinSpace/stop", "Const"),
                         ("LinSpace/num", "Const"), ("LinSpace", "LinSpace")]
    assert values.tolist() == [0.0, 0.25, 0.5, 0.75, 1.0] and values.dtype == np.float32
    assert run(tf.lin_space(tf.constant(0.0, tf.float64), 1.0, 3)).dtype == np.float64
    with pytest.raises(TypeError, match="'start' has DataType int32 not in list of allowed "
                                        "values: bfloat16, float16, float32, float64"):
        tf.linspace(-3, 3, 5)
    start = tf.constant(0.0)
    assert tf.gradients(tf.linspace(start, 3.0, 5), start) == [None]


def test_a_variable_is_read_through_its_read_op():
    w = tf.Variable([1.0, 2.0], name="w")
    y = w * 2.0
    assert op_list() == [("w/initial_value", "Const"), ("w", "VariableV2"), ("w/Assign", "Assign"),
                         ("w/read", "Identity"), ("mul/y", "Const"), ("mul", "Mul")]
    assert y.op.inputs[0].name == "w/read:0" and w.value().name == "w/read:0"
    assert w.name == "w:0" and w.op.type == "VariableV2"
    assert w.read_value().name == "read:0"
    assert w.assign_add([1.0, 1.0]).op.inputs[0].name == "w:0"    # assignments take the variable
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        assert sess.run(tf.gradients(tf.reduce_sum(y * y), w)[0]).tolist() == [8.0, 16.0]
        assert sess.run(y, {w: [5.0, 6.0]}).tolist() == [10.0, 12.0]   # a fed variable
    # inside control_dependencies an op reads w/read after the assignment (TF-1's read aliases
    # the variable's buffer)
    x = tf.Variable(0.0, name="x")
    plus_one = tf.assign_add(x, 1.0)
    with tf.control_dependencies([plus_one]):
        after = x * 1.0
    with tf.Session() as sess:
        sess.run(x.initializer)
        assert [float(sess.run(after)) for _ in range(3)] == [1.0, 2.0, 3.0]
    tf.reset_default_graph()
    tf.get_variable("w", initializer=tf.constant([1.0, 2.0])) * 2.0
    assert op_list() == [("Const", "Const"), ("w", "VariableV2"), ("w/Assign", "Assign"),
                         ("w/read", "Identity"), ("mul/y", "Const"), ("mul", "Mul")]


def test_a_teaching_picture_draws_a_variables_read_as_the_variable():
    w = tf.Variable(2.0, name="w")
    y = w * 3.0
    graph = tg.trace(y)
    assert [t.op.name for t in y.inputs] == ["w/read", "mul/y"]     # the program reads w/read
    assert graph.nodes == ["w", "mul/y", "mul"] and graph.node_of(w.value()) == "w"
    with tf.Session() as sess:
        sess.run(w.initializer)
        valued = tg.trace(y, session=sess)
    assert float(valued.derivative("mul", "w")) == 3.0
    assert valued.edge("w", "mul").label == "∂mul/∂w = mul/y = 3"
