"""Variables, placeholders and initializers at their edges, against TensorFlow 1 (issue 27's
survivors of tf1/variables.py and tf1/initializers.py).

Names, values, dtypes and messages were read off TensorFlow 2.21's ``tensorflow.compat.v1``
(graph mode unless said); where teachgrad's refusal has words of its own, the test says so.
Random initializers are checked by their statistics on many draws (TensorFlow's generator is not
NumPy's, so their numbers cannot be compared), and by their seeds: the same seed gives the same
numbers, as in TensorFlow.
"""

import numpy as np
import pytest

import teachgrad as tg
from teachgrad.errors import ShapeError


# --- initializers -------------------------------------------------------------------------------
def run(tensor, times=1):
    with tg.Session() as sess:
        if times == 1:
            return sess.run(tensor)
        return np.array([sess.run(tensor) for _ in range(times)])


FLOAT64_BY_CONSTRUCTOR = [tg.zeros_initializer, tg.ones_initializer,
                          lambda dtype: tg.constant_initializer(2, dtype=dtype),
                          tg.random_uniform_initializer, tg.random_normal_initializer,
                          tg.truncated_normal_initializer, tg.variance_scaling_initializer]


@pytest.mark.parametrize("make", FLOAT64_BY_CONSTRUCTOR)
def test_the_constructors_dtype_is_the_values_dtype(make):
    # TensorFlow: initializer(dtype=tf.float64)([2, 2]).dtype is float64
    with tg.Graph().as_default():
        init = make(dtype=tg.float64)
        assert init([2, 2]).dtype == tg.float64
        assert init([2, 2], dtype=tg.float32).dtype == tg.float32   # the call's dtype wins


@pytest.mark.parametrize("make", [tg.glorot_uniform_initializer, tg.glorot_normal_initializer,
                                  tg.random_normal_initializer, tg.truncated_normal_initializer,
                                  tg.variance_scaling_initializer, tg.random_uniform_initializer])
def test_the_calls_dtype_is_the_values_dtype_and_float32_the_default(make):
    with tg.Graph().as_default():
        values = run(make()([20, 30], dtype=tg.float64))
        assert values.dtype == np.float64 and values.shape == (20, 30)
        assert make()([2]).dtype == tg.float32 and repr(make()) == f"<tg.{make.__name__}>"
    with tg.Graph().as_default():
        assert tg.constant_initializer(2)([2]).dtype == tg.float32
        assert tg.zeros_initializer()([2]).dtype == tg.float32


def test_constant_initializer_defaults_empty_values_and_integer_dtypes():
    with tg.Graph().as_default():
        # TensorFlow: constant_initializer() and constant_initializer([]) fill with zeros
        np.testing.assert_array_equal(run(tg.constant_initializer()([2])), [0.0, 0.0])
        np.testing.assert_array_equal(run(tg.constant_initializer([])([2])), [0.0, 0.0])
        assert run(tg.constant_initializer([])([2])).dtype == np.float32
        np.testing.assert_array_equal(run(tg.constant_initializer([])([1])), [0.0])
        assert run(tg.constant_initializer([1, 2])([3], dtype=tg.int32)).tolist() == [1, 2, 2]
        # TensorFlow: TypeError "Expected int32, but got 1.5 of type 'float'." (not 1, truncated)
        with pytest.raises(TypeError, match=r"^Expected int32, but got 1\.5 of type 'float': "
                                            r"constant_initializer does not convert floats to "
                                            r"integers$"):
            tg.constant_initializer([1.5, 2.5])([3], dtype=tg.int32)


def test_an_initializer_needs_a_fully_known_shape():
    with pytest.raises(ValueError, match=r"^an initializer needs a fully known shape, got "
                                         r"\(\?, 2\)$"):
        tg.zeros_initializer()([None, 2])


def test_default_ranges_of_the_random_initializers():
    with tg.Graph().as_default():
        uniform = run(tg.random_uniform_initializer()([20000]))
        normal = run(tg.random_normal_initializer()([20000]))
    assert 0.0 <= uniform.min() < 0.01 and 0.99 < uniform.max() < 1.0          # [0, 1)
    assert abs(normal.mean()) < 0.05 and abs(normal.std() - 1.0) < 0.03        # N(0, 1)


SEEDED = [tg.random_uniform_initializer, tg.random_normal_initializer,
          tg.truncated_normal_initializer, tg.glorot_uniform_initializer,
          tg.glorot_normal_initializer, tg.variance_scaling_initializer,
          lambda seed: tg.variance_scaling_initializer(distribution="untruncated_normal",
                                                       seed=seed),
          lambda seed: tg.variance_scaling_initializer(distribution="uniform", seed=seed)]


@pytest.mark.parametrize("make", SEEDED)
def test_an_initializers_seed_gives_the_same_numbers(make):
    # TensorFlow: two initializers of seed 7 give the same numbers, in one graph and session
    with tg.Graph().as_default():
        a, b = make(seed=7)([50]), make(seed=7)([50])
        unseeded = make(seed=None)([50])
        with tg.Session() as sess:
            first, second, third = sess.run([a, b, unseeded])
    np.testing.assert_array_equal(first, second)
    assert not np.array_equal(first, third)


def std_of(init, shape, times=1):
    with tg.Graph().as_default():
        return float(run(init(shape), times).std())


@pytest.mark.parametrize("shape, mode, n", [
    ([400], "fan_in", 400), ([400], "fan_out", 400),                # 1-D: both fans are the size
    ([100, 400], "fan_in", 100), ([100, 400], "fan_out", 400), ([100, 400], "fan_avg", 250),
    ([5, 40, 60], "fan_in", 200), ([5, 40, 60], "fan_out", 300),    # receptive field 5
    ([3, 3, 16, 32], "fan_in", 144), ([3, 3, 16, 32], "fan_avg", 216),
])
def test_variance_scaling_uses_tensorflows_fans(shape, mode, n):
    init = tg.variance_scaling_initializer(scale=2.0, mode=mode, distribution="untruncated_normal")
    expected = (2.0 / n) ** 0.5
    assert std_of(init, shape) == pytest.approx(expected, rel=0.2 if len(shape) == 1 else 0.05)
    with tg.Graph().as_default():
        values = run(init(shape, dtype=tg.float64))
    assert values.dtype == np.float64
    assert abs(values.mean()) < 0.15 * expected                     # centred at 0
    if values.size > 10000:                                         # not cut at ±2σ
        assert abs(values).max() > 3 * expected


def test_variance_scaling_of_a_scalar_takes_fans_of_one():
    # a scalar's fans are 1 and 1, and n is never below 1: variance = scale
    for mode in ("fan_in", "fan_out"):
        init = tg.variance_scaling_initializer(scale=1.0, mode=mode,
                                               distribution="untruncated_normal")
        assert std_of(init, [], times=3000) == pytest.approx(1.0, rel=0.06)
    init = tg.variance_scaling_initializer(scale=1.0, distribution="untruncated_normal")
    assert std_of(init, [1], times=3000) == pytest.approx(1.0, rel=0.06)   # n = 1 as well


def test_glorot_normal_is_truncated_and_its_spread_is_glorots():
    with tg.Graph().as_default():
        values = run(tg.glorot_normal_initializer()([200, 300]))
    sigma = (2.0 / 500) ** 0.5 / 0.87962566103423978     # before the cut at ±2σ
    assert abs(values).max() <= 2 * sigma and abs(values).max() > 1.9 * sigma
    assert values.std() == pytest.approx((2.0 / 500) ** 0.5, rel=0.03)


@pytest.mark.parametrize("kwargs, message", [
    ({"mode": "fan"}, r"^Argument `mode` should be one of \('fan_in', 'fan_out', 'fan_avg'\)\. "
                      r"Received: fan$"),
    ({"distribution": "gauss"}, r"^Argument `distribution` should be one of \('normal', "
                                r"'uniform', 'truncated_normal', 'untruncated_normal'\)\. "
                                r"Received: gauss$"),
    ({"scale": 0.0}, r"^Argument `scale` must be a positive float\. Received: 0\.0$"),
])
def test_variance_scaling_refuses_what_tensorflow_refuses(kwargs, message):
    with pytest.raises(ValueError, match=message):
        tg.variance_scaling_initializer(**kwargs)


def test_normal_is_the_old_name_of_truncated_normal():
    with tg.Graph().as_default():
        values = run(tg.variance_scaling_initializer(distribution="normal")([100, 400]))
    assert abs(values).max() <= 2 * (1 / 100) ** 0.5 / 0.87962566103423978


# --- placeholders -------------------------------------------------------------------------------
def test_placeholder_in_eager_mode_says_what_to_do(eager):
    with pytest.raises(RuntimeError, match=r"^tg\.placeholder\(\) is not compatible with eager "
                                           r"execution: in eager mode give values directly, or "
                                           r"call tg\.disable_eager_execution\(\)$"):
        tg.placeholder(tg.float32)


def test_placeholder_is_named_typed_and_shaped_as_given():
    with tg.Graph().as_default():
        x = tg.placeholder(tg.float32, [None, 3], name="x")
        assert (x.name, x.op.type, x.shape.as_list(), x.dtype) == (
            "x:0", "Placeholder", [None, 3], tg.float32)
        with tg.Session() as sess:
            assert sess.run(x * 2.0, {x: [[1, 2, 3]]}).tolist() == [[2, 4, 6]]
            assert sess.run(x, {x: np.zeros((4, 3))}).shape == (4, 3)


def test_placeholder_with_default_gives_its_default_unless_fed():
    # TensorFlow: pwd:0 of static shape [None]; [1, 2] unless fed; [1, 2, 3] fed
    with tg.Graph().as_default():
        p = tg.placeholder_with_default([1.0, 2.0], shape=[None], name="pwd")
        assert p.name == "pwd:0" and p.shape.as_list() == [None]
        with tg.Session() as sess:
            assert sess.run(p).tolist() == [1.0, 2.0]
            assert sess.run(p * 2.0, {p: [1.0, 2.0, 3.0]}).tolist() == [2.0, 4.0, 6.0]
        with pytest.raises(ValueError, match="placeholder_with_default"):
            tg.placeholder_with_default([1.0, 2.0], shape=[3])


def test_placeholder_with_default_in_eager_mode_is_its_default(eager):
    p = tg.placeholder_with_default([1.0, 2.0], shape=[None])
    assert p.numpy().tolist() == [1.0, 2.0]


# --- variables ----------------------------------------------------------------------------------
def test_reading_a_variable_and_its_names():
    with tg.Graph().as_default():
        w = tg.Variable([1.0, 2.0], name="w")
        assert w.value().name == "w/read:0"             # TensorFlow's names
        assert w.read_value().name == "read:0"
        assert repr(w) == "<tg.Variable 'w:0' shape=(2,) dtype=float32>"
        assert str(w) == "<tf.Variable 'w:0' shape=(2,) dtype=float32_ref>"
        names = [w.assign([0.0, 0.0], name="reset").name, w.assign_add([1.0, 1.0], name="up").name,
                 w.assign_sub([1.0, 1.0], name="down").name,
                 tg.assign_add(w, [1.0, 1.0], name="up2").name,
                 tg.assign_sub(w, [1.0, 1.0], name="down2").name]
        assert names == ["reset:0", "up:0", "down:0", "up2:0", "down2:0"]
        assert tg.identity(w, name="same").name == "same:0"
        assert tg.assign(w, [0.0, 0.0], name="set").name == "set:0"
        assert w.initializer.name == "w/Assign"
        assert (tg.no_op().name, tg.no_op(name="nothing").name) == ("NoOp", "nothing")
        assert tg.tables_initializer().name == "init_all_tables"
        sess = tg.Session()              # not the default session: eval uses the one given
        sess.run(w.initializer)
        assert w.eval(session=sess).tolist() == [1.0, 2.0]
        assert sess.run(w.read_value()).tolist() == [1.0, 2.0]
        sess.close()


def test_load_puts_a_value_in_the_session():
    with tg.Graph().as_default():
        w = tg.Variable([1.0, 2.0], name="w")
        with tg.Session() as sess:
            sess.run(w.initializer)
            w.load([5.0, 6.0], sess)
            assert sess.run(w).tolist() == [5.0, 6.0]
            with sess.as_default():
                w.load([7.0, 8.0])
                assert sess.run(w).tolist() == [7.0, 8.0]
        # TensorFlow: ValueError "Either session argument should be provided or default session
        # should be established"; teachgrad names the call and says how
        with pytest.raises(ValueError, match=r"^Variable\.load: no default session is "
                                             r"registered"):
            w.load([5.0, 6.0])


def test_a_variable_made_from_another_reads_it_through_its_guard():
    with tg.Graph().as_default():
        w = tg.Variable([1.0, 2.0], name="w")
        copy = tg.Variable(w, name="copy")
        double = tg.Variable(w * 2.0, name="double")
        twice = tg.Variable(w.initialized_value() * 2.0, name="twice")
        assert copy.initial_value.name == "w/read:0" and copy.dtype == tg.float32
        with tg.Session() as sess:
            # run alone, before w is initialized: w's initial value, as TensorFlow 1's guard
            sess.run([copy.initializer, double.initializer, twice.initializer])
            np.testing.assert_array_equal(sess.run([copy, double, twice]),
                                          [[1, 2], [2, 4], [2, 4]])
            sess.run(w.initializer)
            sess.run(w.assign([10.0, 20.0]))
            sess.run([copy.initializer, double.initializer, twice.initializer])
            # once w is initialized: its value now
            np.testing.assert_array_equal(sess.run([copy, double, twice]),
                                          [[10, 20], [20, 40], [20, 40]])
        with pytest.raises(ValueError, match="requested dtype float64 for Tensor with dtype "
                                             "float32"):
            tg.Variable(w, dtype=tg.float64)


def test_initial_values_convert_as_tensorflow_converts():
    with tg.Graph().as_default():
        assert tg.Variable(2, dtype=tg.float32).dtype == tg.float32
        with pytest.raises(TypeError, match=r"^Expected int32, but got 1\.5 of type 'float'"):
            tg.Variable(1.5, dtype=tg.int32)
        with pytest.raises(TypeError, match=r"^Expected float32, but got \(1\+2j\) of type "
                                            r"'complex'"):
            tg.Variable(1 + 2j, dtype=tg.float32)
        with pytest.raises(TypeError, match=r"TensorFlow 1 does not convert floats to integers "
                                            r"\(write ints, or use tg\.cast\)$"):
            tg.Variable([1.0, 2.0], dtype=tg.int64)
        assert tg.Variable(1 + 2j, dtype=tg.complex64).dtype == tg.complex64


def test_trainable_none_is_the_default_and_collections_filter_by_scope():
    # TensorFlow: Variable(trainable=None) is trainable; a scope filters by name prefix
    with tg.Graph().as_default():
        w = tg.Variable(1.0, trainable=None, name="w")
        with tg.variable_scope("inner"):
            tg.Variable(0.0, name="l", collections=[tg.GraphKeys.LOCAL_VARIABLES])
            tg.Variable(0.0, name="t")
        # (a local variable is trainable too unless told otherwise, as in TensorFlow)
        assert [v.name for v in tg.trainable_variables()] == ["w:0", "inner/l:0", "inner/t:0"]
        assert [v.name for v in tg.trainable_variables("inner")] == ["inner/l:0", "inner/t:0"]
        assert [v.name for v in tg.trainable_variables("w")] == ["w:0"]
        assert [v.name for v in tg.local_variables("inner")] == ["inner/l:0"]
        assert tg.local_variables("other") == []
        assert w.trainable is True


def test_assigning_to_a_tensor_is_refused():
    with tg.Graph().as_default():
        with pytest.raises(TypeError, match=r"^assign: .* is not a variable; only variables can "
                                            r"be assigned$"):
            tg.assign(tg.constant(1.0), 2.0)


def test_group_runs_every_input_however_given():
    with tg.Graph().as_default():
        a, b, c = (tg.Variable(0.0, name=n) for n in "abc")
        with tg.Session() as sess:
            sess.run(tg.global_variables_initializer())
            both = tg.group([a.assign(1.0), b.assign(2.0).op])
            assert both.name == "group_deps" and both.type == "NoOp"
            set_a = a.assign(4.0)
            with tg.control_dependencies([c.assign(3.0)]):
                after = tg.group(set_a)
            sess.run(both)
            assert sess.run([a, b, c]) == [1.0, 2.0, 0.0]
            sess.run(after)            # made inside control_dependencies: runs c's assignment too
            assert sess.run([a, b, c]) == [4.0, 2.0, 3.0]


# --- eager mode ---------------------------------------------------------------------------------
def test_eager_variables_hold_their_values_and_assign_at_once(eager):
    w = tg.Variable([1.0, 2.0])
    assert w.name == "Variable:0" and w.initializer is None and w.trainable
    assert w.initialized_value() is w and w.value() is w
    assert str(w) == "<tf.Variable 'Variable:0' shape=(2,) dtype=float32, numpy=[1. 2.]>"
    assert w.assign([3.0, 4.0]) is w and w.numpy().tolist() == [3.0, 4.0]
    w.assign_add(tg.constant([1.0, 1.0]))
    assert w.numpy().tolist() == [4.0, 5.0]
    w.assign_sub([0.5, 0.5])
    assert w.numpy().tolist() == [3.5, 4.5] and w.numpy().dtype == np.float32
    tg.assign_sub(w, [0.5, 0.5])
    tg.assign_add(w, [2.0, 2.0])
    assert w.numpy().tolist() == [5.0, 6.0]
    n = tg.Variable(3, name="n")
    n.assign_add(2)
    assert n.numpy() == 5 and n.numpy().dtype == np.int32
    with pytest.raises(TypeError, match=r"^assign: cannot put 1\.5 into 'n' of dtype int32: "
                                        r"TensorFlow 1 does not convert floats to integers"):
        n.assign(1.5)
    with pytest.raises(ShapeError, match=r"^Variable 'Variable'\.assign: new value has shape "
                                         r"\(3,\), expected \(2,\) like the variable$"):
        w.assign([1.0, 2.0, 3.0])
    assert tg.Variable(2, dtype=tg.float64).numpy().dtype == np.float64
    with pytest.raises(TypeError, match=r"^Expected int32, but got 1\.5"):
        tg.Variable(1.5, dtype=tg.int32)


def test_guarded_copies_and_initializers_are_named_as_tensorflow_names_them():
    with tg.Graph().as_default() as graph:
        w = tg.Variable([[1.0, 2.0], [3.0, 4.0]], name="w")
        before = {op.name for op in graph.get_operations()}
        with tg.name_scope("outer"):
            v3 = tg.Variable(tg.reduce_sum(w * 2.0, axis=0), name="v3")
        made = [op.name for op in graph.get_operations() if op.name not in before]
        # TensorFlow 1 also makes outer/v3/cond/… for its guard; the copies are named alike
        assert [n for n in made if "_outer/v3" in n] == [
            "w/read_outer/v3", "outer/mul_outer/v3", "outer/Sum_outer/v3"]
        assert v3.initializer.name == "outer/v3/Assign"
        u = tg.get_variable("u", [2], initializer=tg.zeros_initializer())
        assert [op.name for op in graph.get_operations()
                if op.name.startswith("u/Initializer/")], "u's initial value is under u/Initializer/"
        with tg.Session() as sess:
            sess.run(v3.initializer)           # the copy keeps reduce_sum's axis: [8, 12]
            assert sess.run(v3).tolist() == [8.0, 12.0]
            sess.run(u.initializer)


def test_graph_assignments_refuse_another_shape_or_dtype():
    with tg.Graph().as_default():
        w = tg.Variable([[1.0, 2.0], [3.0, 4.0]], name="w")
        i = tg.Variable(1, name="i")
        # TensorFlow: ValueError "Shapes must be equal rank, but are 2 and 1 for AssignAdd…"
        for assign in (w.assign_add, w.assign_sub, w.assign):
            with pytest.raises(ValueError, match=r"shapes \(2, 2\) and \(3,\) are incompatible: "
                                                 r"the value must have the shape of 'w:0'$"):
                assign([1.0, 2.0, 3.0])
        # TensorFlow: TypeError "Input 'value' of 'Assign' Op has type int32 that does not match
        # type float32 of argument 'ref'."
        with pytest.raises(TypeError, match=r"^assign: value of dtype int32 for variable 'w:0' of "
                                            r"dtype float32; use tg\.cast$"):
            w.assign(tg.constant([[1, 2], [3, 4]]))
        with pytest.raises(TypeError, match=r"^assign: cannot convert 1\.5 \(a float\) to int32"):
            i.assign(1.5)
        with pytest.raises(TypeError, match=r"^assign_add: cannot convert 1\.5"):
            i.assign_add(1.5)
