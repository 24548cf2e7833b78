"""Variables, initializers, get_variable and variable scopes, as TensorFlow 1 has them (eager
variables: tests/tf1/test_programs.py).

Expected values and errors were observed with ``tensorflow.compat.v1`` (TensorFlow 2.21,
``tf.disable_v2_behavior()``) running the same snippets; random initializers are checked by their
bounds and statistics (TensorFlow's random numbers themselves are not reproduced).
"""

import numpy as np
import pytest

import teachgrad as tf


def value_in_new_session(v):
    with tf.Session() as sess:
        sess.run(v.initializer)
        return sess.run(v)


# --- tf.Variable ---------------------------------------------------------------------------------

def test_variable_dtype_comes_from_the_value_or_dtype():
    cases = [(tf.Variable(3), tf.int32), (tf.Variable(3, dtype=tf.float32, name="f"), tf.float32),
             (tf.Variable(np.ones(2), name="d"), tf.float64),
             (tf.Variable([1, 2.5]), tf.float32), (tf.Variable([1, 2], dtype=tf.float64), tf.float64),
             (tf.Variable(np.ones(2), dtype=tf.float32), tf.float32)]
    assert [v.dtype.base_dtype for v, _ in cases] == [d for _, d in cases]
    assert [v.name for v, _ in cases[:3]] == ["Variable:0", "f:0", "d:0"]
    assert value_in_new_session(cases[1][0]) == 3.0


def test_variable_refuses_floats_for_an_int_dtype_and_tensors_of_another_dtype():
    with pytest.raises(TypeError, match="Expected int32, but got 3.5 of type 'float'"):
        tf.Variable(3.5, dtype=tf.int32)
    with pytest.raises(ValueError, match="Tensor conversion requested dtype float32 for Tensor "
                                         "with dtype int32"):
        tf.Variable(tf.constant(1), dtype=tf.float32)
    with pytest.raises(ValueError):
        tf.Variable()   # TF: "initial_value must be specified."


def test_variable_from_a_tensor_or_a_callable():
    z = tf.Variable(tf.zeros((2, 3)), name="z")
    c = tf.Variable(lambda: tf.ones((2,)), name="c")
    assert (z.name, z.shape, z.initial_value.name) == ("z:0", (2, 3), "zeros:0")
    assert (c.name, c.shape) == ("c:0", (2,))
    assert value_in_new_session(c).tolist() == [1.0, 1.0]


def test_variable_ops_names_and_types():
    v = tf.Variable(3.0, name="v")
    assert (v.name, v.op.name, v.op.type) == ("v:0", "v", "VariableV2")
    assert (v.initializer.name, v.initializer.type) == ("v/Assign", "Assign")
    assert [t.name for t in v.initializer.inputs] == ["v:0", "v/initial_value:0"]
    assert v.initial_value.name == "v/initial_value:0"
    assert type(v.initializer).__name__ == "Operation"
    w = tf.Variable(1.0, name="v")   # names are unique
    assert w.name == "v_1:0"
    with tf.variable_scope("s"):
        s = tf.Variable(1, name="w")
    assert (s.name, s.initializer.name) == ("s/w:0", "s/w/Assign")


def test_reading_before_initializing_names_the_variable():
    v = tf.Variable(3.0, name="v")
    with tf.variable_scope("s"):
        w = tf.Variable(1, name="w")
    with tf.Session() as sess:
        for target, name in ((v, "v"), (v * 2, "v"), (w, "s/w")):
            with pytest.raises(tf.errors.FailedPreconditionError) as e:
                sess.run(target)
            assert f"Attempting to use uninitialized value {name}" in e.value.message
            assert isinstance(e.value, tf.errors.OpError)


def test_values_live_in_each_session():
    v = tf.Variable([1.0, 2.0], name="v")
    s1, s2 = tf.Session(), tf.Session()
    s1.run(tf.variables_initializer([v]))
    assert s1.run(v).tolist() == [1.0, 2.0]
    with pytest.raises(tf.errors.FailedPreconditionError):
        s2.run(v)   # two sessions do not share values
    s2.run(v.initializer)
    s1.run(v.assign([9.0, 9.0]))
    assert (s1.run(v).tolist(), s2.run(v).tolist()) == ([9.0, 9.0], [1.0, 2.0])
    v.load([5.0, 6.0], s2)
    assert s2.run(v).tolist() == [5.0, 6.0] and s1.run(v).tolist() == [9.0, 9.0]


def test_a_variable_initialized_from_another():
    v = tf.Variable([1.0, 2.0], name="v")
    dep = tf.Variable(v * 2, name="dep")
    with tf.Session() as sess:
        sess.run(v.initializer)
        sess.run(dep.initializer)
        assert sess.run(dep).tolist() == [2.0, 4.0]


def test_initializer_ops():
    a = tf.Variable(1.0)
    b = tf.Variable(2.0, trainable=False)
    init = tf.global_variables_initializer()
    only_a = tf.variables_initializer([a])
    assert (init.name, init.type) == ("init", "NoOp")
    assert (only_a.name, only_a.type) == ("init_1", "NoOp")
    assert [c.name for c in init.control_inputs] == ["Variable/Assign", "Variable_1/Assign"]
    assert [c.name for c in only_a.control_inputs] == ["Variable/Assign"]
    with tf.Session() as sess:
        sess.run(only_a)
        assert sess.run(a) == 1.0
        with pytest.raises(tf.errors.FailedPreconditionError):
            sess.run(b)
        sess.run(init)
        assert sess.run(b) == 2.0


def test_running_a_random_initializer_again_draws_again():
    w = tf.Variable(tf.random_normal((2,), seed=1), name="w")
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        first = sess.run(w)
        sess.run(w.initializer)
        assert (first != sess.run(w)).all()


def test_global_and_trainable_variables_and_collections():
    a = tf.Variable(1.0, name="a")
    b = tf.Variable(1.0, trainable=False, name="b")
    with tf.variable_scope("foo"):
        c = tf.get_variable("c", [1])
    local = tf.Variable(1.0, collections=[tf.GraphKeys.LOCAL_VARIABLES], name="local")
    assert [v.name for v in tf.global_variables()] == ["a:0", "b:0", "foo/c:0"]
    # a trainable variable is trainable in whatever collections it is put (as TF 1)
    assert [v.name for v in tf.trainable_variables()] == ["a:0", "foo/c:0", "local:0"]
    assert [v.name for v in tf.global_variables("foo")] == ["foo/c:0"]
    assert [v.name for v in tf.local_variables()] == ["local:0"]
    assert b not in tf.trainable_variables() and a in tf.trainable_variables()
    assert local not in tf.global_variables()
    assert tf.get_collection(tf.GraphKeys.TRAINABLE_VARIABLES) == [a, c, local]
    assert tf.get_collection("trainable_variables") == [a, c, local]
    tf.add_to_collection("mine", a)
    assert tf.get_collection("mine") == [a]


# --- assignments -----------------------------------------------------------------------------------

def test_assigned_values_take_the_variable_dtype():
    v = tf.Variable([1.0, 2.0], name="v")
    assert tf.assign(v, [3, 4]).dtype.base_dtype == tf.float32
    assert tf.assign(v, np.array([3.0, 4.0])).dtype.base_dtype == tf.float32
    with tf.Session() as sess:
        sess.run(v.initializer)
        assert sess.run(tf.assign_add(v, np.array([1.0, 1.0]))).tolist() == [2.0, 3.0]


def test_assign_errors():
    v = tf.Variable([1.0, 2.0], name="v")
    with pytest.raises(ValueError):       # TF: "Dimension 0 in both shapes must be equal…"
        tf.assign(v, [1.0, 2.0, 3.0])
    with pytest.raises(TypeError):        # TF: "Input 'value' of 'Assign' Op has type float64…"
        tf.assign(v, tf.constant(np.array([3.0, 4.0])))
    with pytest.raises(TypeError):
        tf.assign_add(v, tf.constant([1, 2]))
    with pytest.raises(TypeError):        # TF: "Expected int32 passed to parameter 'value'…"
        tf.assign(tf.Variable(1, name="iv"), 2.5)


def test_assign_without_shape_validation():
    v = tf.Variable([1.0, 2.0], name="v")
    grow = tf.assign(v, [1.0, 2.0, 3.0], validate_shape=False)
    assert grow.shape == (3,)
    with tf.Session() as sess:
        sess.run(v.initializer)
        assert sess.run(grow).tolist() == [1.0, 2.0, 3.0]


def test_assign_names():
    v = tf.Variable([1.0, 2.0], name="v")
    assert [v.assign([0.0, 0.0], name="reset").name, v.assign_add([1.0, 1.0]).name,
            v.assign_sub([1.0, 1.0]).name] == ["reset:0", "AssignAdd:0", "AssignSub:0"]


# --- initializers ------------------------------------------------------------------------------------

def initialized(initializer, shape, dtype=tf.float32):
    name = f"v{len(tf.global_variables())}"
    return value_in_new_session(tf.get_variable(name, shape=shape, dtype=dtype,
                                                initializer=initializer))


def test_constant_initializers():
    zeros = initialized(tf.zeros_initializer(), (2,))
    assert zeros.tolist() == [0.0, 0.0] and zeros.dtype == np.float32
    assert initialized(tf.ones_initializer(), (2,)).tolist() == [1.0, 1.0]
    ones_int = initialized(tf.ones_initializer(), (2,), tf.int32)
    assert ones_int.tolist() == [1, 1] and ones_int.dtype == np.int32
    assert initialized(tf.constant_initializer(3.5), (2, 2)).tolist() == [[3.5, 3.5]] * 2
    assert initialized(tf.constant_initializer([1, 2, 3, 4]), (2, 2)).tolist() == [[1, 2], [3, 4]]
    assert initialized(tf.constant_initializer([1, 2]), (2, 2)).tolist() == [[1, 2], [2, 2]]
    assert initialized(tf.constant_initializer(2), (2,), tf.int32).tolist() == [2, 2]
    with pytest.raises(ValueError, match="Too many elements provided. Takes at most 4, but got 5"):
        initialized(tf.constant_initializer([1, 2, 3, 4, 5]), (2, 2))


def test_random_initializers_bounds_and_statistics():
    u = initialized(tf.random_uniform_initializer(-2.0, 3.0), (10000,))
    assert -2 <= u.min() and u.max() < 3 and abs(u.mean() - 0.5) < 0.1
    n = initialized(tf.random_normal_initializer(1.0, 2.0), (20000,))
    assert abs(n.mean() - 1.0) < 0.1 and abs(n.std() - 2.0) < 0.1
    t = initialized(tf.truncated_normal_initializer(0.0, 1.0), (20000,))
    assert np.abs(t).max() <= 2.0 and abs(t.std() - 0.88) < 0.02   # TF: 0.88
    ints = initialized(tf.random_uniform_initializer(0, 10), (50,), tf.int32)
    assert ints.dtype == np.int32 and ints.min() >= 0 and ints.max() < 10


def test_glorot_uniform_is_the_get_variable_default():
    # 60,000 draws: the sample std is within 1 % of the true one (its standard error is 0.3 %).
    fan_in, fan_out = 300, 200
    limit = np.sqrt(6 / (fan_in + fan_out))
    for initializer in (tf.glorot_uniform_initializer(), None):
        g = initialized(initializer, (fan_in, fan_out))
        assert np.abs(g).max() <= limit
        assert abs(g.std() / np.sqrt(2 / (fan_in + fan_out)) - 1) < 0.01
    gn = initialized(tf.glorot_normal_initializer(), (fan_in, fan_out))
    sigma = np.sqrt(2 / (fan_in + fan_out)) / 0.87962566103423978     # TF's truncation factor
    assert np.abs(gn).max() <= 2 * sigma and abs(gn.std() / (sigma * 0.8796) - 1) < 0.01
    vs = initialized(tf.variance_scaling_initializer(), (fan_in, fan_out))
    assert abs(vs.std() / np.sqrt(1 / fan_in) - 1) < 0.01              # TF: scale 1, fan_in


def test_a_seeded_initializer_repeats():
    a = initialized(tf.random_normal_initializer(seed=3), (5,))
    b = initialized(tf.random_normal_initializer(seed=3), (5,))
    assert (a == b).all()


def test_initializers_called_directly_give_tensors():
    assert tf.zeros_initializer()((2, 3)).shape == (2, 3)
    assert tf.ones_initializer()((2,), dtype=tf.int32).dtype == tf.int32


# --- get_variable --------------------------------------------------------------------------------

def test_get_variable_defaults():
    v = tf.get_variable("gv", shape=(2, 3))
    assert (v.name, v.dtype.base_dtype, v.shape, v.initializer.name) == (
        "gv:0", tf.float32, (2, 3), "gv/Assign")
    assert "RandomUniform" in [op.type for op in tf.get_default_graph().get_operations()
                               if op.name.startswith("gv/")]
    gi = tf.get_variable("gi", shape=(2,), dtype=tf.int32)
    assert gi.initial_value.op.type == "Const" and value_in_new_session(gi).tolist() == [0, 0]
    assert tf.get_variable("gb", shape=(2,), dtype=tf.bool).dtype.base_dtype == tf.bool
    assert tf.get_variable("gt", shape=(), trainable=False) not in tf.trainable_variables()


def test_get_variable_shapes():
    assert tf.get_variable("a", shape=[2, 3]).shape == (2, 3)
    assert tf.get_variable("b", shape=tf.TensorShape([2, 3])).shape == (2, 3)
    assert tf.get_variable("c", shape=3).shape == (3,)
    assert tf.get_variable("d", shape=(2,), initializer=tf.ones_initializer).shape == (2,)


def test_get_variable_with_a_value_as_initializer():
    n = tf.get_variable("n", initializer=3.0)
    lst = tf.get_variable("l", initializer=[1, 2])
    const = tf.get_variable("gc", initializer=tf.constant([1.0, 2.0]))
    arr = tf.get_variable("gn", initializer=np.ones(3))
    assert [(v.shape, v.dtype.base_dtype) for v in (n, lst, const, arr)] == [
        ((), tf.float32), ((2,), tf.int32), ((2,), tf.float32), ((3,), tf.float64)]
    assert value_in_new_session(const).tolist() == [1.0, 2.0]
    with pytest.raises(ValueError, match="If initializer is a constant, do not specify shape"):
        tf.get_variable("gcs", shape=(2,), initializer=tf.constant([1.0, 2.0]))
    with pytest.raises(ValueError, match="Initializer type '<dtype: 'float32'>' and explicit "
                                         "dtype '<dtype: 'float64'>' don't match"):
        tf.get_variable("cd", initializer=tf.constant(1.0), dtype=tf.float64)


def test_get_variable_needs_a_shape():
    with pytest.raises(ValueError, match="Variable nos did not get an initializer, so its "
                                         "`shape` argument must be specified"):
        tf.get_variable("nos")
    with pytest.raises(ValueError):
        tf.get_variable("c", initializer=tf.zeros_initializer())
    with pytest.raises(ValueError):
        tf.get_variable("sn", shape=(None, 2))


def test_get_variable_of_an_existing_name_without_reuse():
    tf.get_variable("gv", shape=(2, 3))
    with pytest.raises(ValueError) as e:
        tf.get_variable("gv", shape=(2, 3))
    assert str(e.value).startswith("Variable gv already exists, disallowed. Did you mean to set "
                                   "reuse=True or reuse=tf.AUTO_REUSE in VarScope?")


# --- variable scopes -------------------------------------------------------------------------------

def test_variable_scope_reuse():
    with tf.variable_scope("foo"):
        a = tf.get_variable("a", [1])
        c1 = tf.constant(1.0, name="c")
        m = a * 2
    with tf.variable_scope("foo", reuse=True):
        a2 = tf.get_variable("a", [1])
        c2 = tf.constant(1.0, name="c")
        with pytest.raises(ValueError, match="Variable foo/b does not exist, or was not created "
                                             "with tf.get_variable"):
            tf.get_variable("b", [1])
        with pytest.raises(ValueError, match=r"Trying to share variable foo/a, but specified "
                                             r"shape \(2,\) and found shape \(1,\)"):
            tf.get_variable("a", [2])
        vv = tf.Variable(1.0, name="vv")
    with tf.variable_scope("foo"):
        with pytest.raises(ValueError, match="Variable foo/a already exists, disallowed"):
            tf.get_variable("a", [1])
        with tf.variable_scope("bar"):
            b = tf.get_variable("b", [1])
            c3 = tf.constant(1.0, name="c")
    assert a2 is a
    # re-entering "foo" opens a new name scope for ops (foo_1, foo_2); variables keep foo/
    assert [a.name, c1.name, c2.name, m.name, vv.name, b.name, c3.name] == [
        "foo/a:0", "foo/c:0", "foo_1/c:0", "foo/mul:0", "foo_1/vv:0", "foo/bar/b:0",
        "foo_2/bar/c:0"]


def test_auto_reuse_makes_or_returns():
    with tf.variable_scope("X", reuse=tf.AUTO_REUSE):
        x1 = tf.get_variable("x", [1])
    with tf.variable_scope("X", reuse=tf.AUTO_REUSE):
        x2 = tf.get_variable("x", [1])
        new = tf.get_variable("new", [1])
        with pytest.raises(ValueError, match="Trying to share variable X/x"):
            tf.get_variable("x", [2])
    assert x1 is x2 and (x1.name, new.name) == ("X/x:0", "X/new:0")


def test_a_shared_layer_function():
    def layer(inp):
        with tf.variable_scope("layer", reuse=tf.AUTO_REUSE):
            w = tf.get_variable("w", [3, 2], initializer=tf.ones_initializer())
            return tf.matmul(inp, w)

    p = tf.placeholder(tf.float32, (None, 3), name="p")
    y1, y2 = layer(p), layer(p)
    assert (y1.name, y2.name) == ("layer/MatMul:0", "layer_1/MatMul:0")
    assert [v.name for v in tf.global_variables()] == ["layer/w:0"]
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        assert sess.run(y2 - y1, {p: np.ones((2, 3))}).tolist() == [[0.0, 0.0]] * 2


def test_reuse_variables_and_inheritance():
    with tf.variable_scope("r") as rs:
        assert (rs.name, rs.reuse, tf.get_variable_scope().name) == ("r", False, "r")
        assert tf.get_variable_scope() is rs
        r1 = tf.get_variable("r1", [1])
        tf.get_variable_scope().reuse_variables()
        assert rs.reuse is True and tf.get_variable("r1", [1]) is r1
        with pytest.raises(ValueError, match="Variable r/r2 does not exist"):
            tf.get_variable("r2", [1])
        with tf.variable_scope("child"):
            assert tf.get_variable_scope().reuse is True
        with tf.variable_scope("inner", reuse=False):   # reuse cannot be switched back off
            assert tf.get_variable_scope().reuse is True
    assert tf.get_variable_scope().reuse is False and tf.get_variable_scope().name == ""


def test_a_scope_object_re_entered():
    with tf.variable_scope("vs") as s:
        pass
    with tf.variable_scope(s):
        q = tf.constant(1.0, name="q")
        gq = tf.get_variable("gq", [1])
    with tf.variable_scope(s, reuse=True):
        gq2 = tf.get_variable("gq", [1])
    assert [q.name, gq.name, s.name, s.original_name_scope] == ["vs_1/q:0", "vs/gq:0", "vs",
                                                                "vs/"]
    assert gq2 is gq


def test_nested_scope_re_entered():
    with tf.variable_scope("A"):
        with tf.variable_scope("B"):
            pass
        with tf.variable_scope("B"):
            k = tf.constant(1.0, name="k")
            kv = tf.get_variable("kv", [1])
    assert (k.name, kv.name) == ("A/B_1/k:0", "A/B/kv:0")


def test_default_name_is_made_unique():
    with tf.variable_scope(None, default_name="dense"):
        d1 = tf.get_variable("d", [1])
    with tf.variable_scope(None, default_name="dense"):
        d2 = tf.get_variable("d", [1])
    assert (d1.name, d2.name) == ("dense/d:0", "dense_1/d:0")


def test_variable_scope_arguments_are_checked():
    with pytest.raises(TypeError, match="If default_name is None then name_or_scope is required"):
        tf.variable_scope(None)
    with pytest.raises(ValueError, match="The reuse parameter must be True or False or None"):
        with tf.variable_scope("z", reuse="yes"):
            pass


def test_name_scope_and_variable_scope_together():
    with tf.name_scope("ns"):
        gv = tf.get_variable("under_ns", [1])   # get_variable ignores name scopes
        vv = tf.Variable(1.0, name="vns")
        k = tf.constant(1.0)
    with tf.name_scope("ns1"):
        with tf.variable_scope("vs1"):
            q = tf.get_variable("q", [1])
            qq = tf.constant(0.0, name="qq")
    with tf.variable_scope("vsA"):
        with tf.name_scope("nsB"):
            q2 = tf.get_variable("q2", [1])
            q3 = tf.Variable(1.0, name="q3")
    assert [gv.name, vv.name, k.name, q.name, qq.name, q2.name, q3.name] == [
        "under_ns:0", "ns/vns:0", "ns/Const:0", "vs1/q:0", "ns1/vs1/qq:0", "vsA/q2:0",
        "vsA/nsB/q3:0"]


def test_a_scope_initializer_is_the_default_inside():
    with tf.variable_scope("outer", initializer=tf.constant_initializer(7.0)):
        o = tf.get_variable("o", [2])
        with tf.variable_scope("inner"):
            i = tf.get_variable("i", [1])
        own = tf.get_variable("own", [1], initializer=tf.zeros_initializer())
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        assert (sess.run(o).tolist(), sess.run(i).tolist(), sess.run(own).tolist()) == (
            [7.0, 7.0], [7.0], [0.0])
    assert (o.name, i.name) == ("outer/o:0", "outer/inner/i:0")
