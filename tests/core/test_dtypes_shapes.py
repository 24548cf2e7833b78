"""DTypes, TensorShape and static shape inference with unknown sizes, as in TensorFlow 1.

Expected values and errors were observed with ``tensorflow.compat.v1`` (TensorFlow 2.21,
``tf.disable_v2_behavior()``) running the same snippets.
"""

import numpy as np
import pytest

import teachgrad as tf


# --- DType ---------------------------------------------------------------------------------------

def test_dtype_objects():
    assert (tf.float32.name, tf.float64.name, tf.int32.name, tf.bool.name) == (
        "float32", "float64", "int32", "bool")
    assert tf.float32.as_numpy_dtype is np.float32 and tf.int64.as_numpy_dtype is np.int64
    assert tf.float32.is_floating and not tf.int32.is_floating and tf.int32.is_integer
    assert tf.float32.base_dtype == tf.float32 and tf.float32.size == 4
    assert (tf.int32.min, tf.int32.max, tf.uint8.max) == (-2147483648, 2147483647, 255)
    assert (repr(tf.float32), str(tf.float32), repr(tf.bool)) == (
        "tf.float32", "<dtype: 'float32'>", "tf.bool")
    assert {tf.float32: 1}[tf.float32] == 1
    assert np.zeros(2, dtype=tf.float32.as_numpy_dtype).dtype == np.float32


def test_dtype_equality_with_numpy_and_names():
    assert tf.float32 == np.float32 and tf.float32 == np.dtype("float32")
    assert tf.float32 == "float32" and tf.float32 != tf.float64
    assert not tf.int32 == np.int64 and not tf.float32 == tf.float64
    assert tf.as_dtype("float32") == tf.float32 and tf.as_dtype(np.float64) == tf.float64
    assert tf.as_dtype(tf.int32) is tf.int32
    assert tf.as_dtype("float") == tf.float32 and tf.as_dtype("double") == tf.float64
    with pytest.raises(TypeError):
        tf.as_dtype("nope")


def test_tensorflow_1_default_dtypes():
    cases = [(1.0, tf.float32), (1, tf.int32), (np.float64(1), tf.float64),
             (np.array([1, 2]), tf.int64), (True, tf.bool), ([1, 2.0], tf.float32),
             (2 ** 40, tf.int64), (np.int16(3), tf.int16)]
    assert [tf.constant(v).dtype for v, _ in cases] == [d for _, d in cases]
    assert tf.constant(1, dtype=tf.float64).dtype == tf.float64
    assert tf.constant(1.0, shape=(2, 2)).shape == (2, 2)


def test_tensors_of_different_dtypes_never_mix():
    x32, i32 = tf.constant([1.0, 2.0]), tf.constant([1, 2])
    for make in (lambda: i32 + x32, lambda: x32 + i32, lambda: tf.add(x32, i32),
                 lambda: x32 * i32, lambda: tf.matmul(tf.constant([[1.0]]), tf.constant([[1]]))):
        with pytest.raises(TypeError) as e:
            make()
        text = str(e.value)
        assert "int32" in text and "float32" in text   # both dtypes named


def test_python_and_numpy_values_take_the_tensor_dtype():
    x32, i32 = tf.constant([1.0, 2.0]), tf.constant([1, 2])
    assert (x32 * np.array([1.0, 2.0])).dtype == tf.float32
    assert (np.array([1.0, 2.0]) * x32).dtype == tf.float32
    assert (x32 * np.float64(2.0)).dtype == tf.float32
    assert (x32 + 1).dtype == tf.float32 and (i32 * 2).dtype == tf.int32
    assert (tf.constant(np.float64(1)) + 1.5).dtype == tf.float64
    assert (i32 + np.array([1, 2])).dtype == tf.int32
    assert tf.matmul([[1.0]], [[1]]).dtype == tf.float32   # the list meets a float32
    with pytest.raises(TypeError):
        i32 + 1.5
    with pytest.raises(TypeError):
        tf.add(i32, 1.5)


def test_division_of_integers_is_float64():
    i32 = tf.constant([7, 2])
    assert (i32 / i32).dtype == tf.float64 and (i32 / 2).dtype == tf.float64
    with tf.Session() as sess:
        assert sess.run(tf.constant(7) / tf.constant(2)) == 3.5


def test_cast_and_its_shorthands():
    x32, i32 = tf.constant([1.7, -1.7, 2.5]), tf.constant([1, 2])
    assert (tf.to_float(i32).name, tf.to_int32(x32).name) == ("ToFloat:0", "ToInt32:0")
    assert (tf.cast(x32, tf.int32).dtype, tf.cast(x32, tf.int32).name) == (tf.int32, "Cast_1:0")
    assert [tf.to_float(i32).dtype, tf.to_int32(x32).dtype, tf.to_double(i32).dtype,
            tf.to_int64(x32).dtype] == [tf.float32, tf.int32, tf.float64, tf.int64]
    with tf.Session() as sess:
        truncated = sess.run(tf.cast(x32, tf.int32))
        assert truncated.tolist() == [1, -1, 2] and truncated.dtype == np.int32
        assert sess.run(tf.to_int32(x32)).tolist() == [1, -1, 2]
        assert sess.run(tf.cast(tf.constant([0.0, 2.0]), tf.bool)).tolist() == [False, True]


# --- TensorShape ---------------------------------------------------------------------------------

def test_tensor_shape_basics():
    s = tf.TensorShape([None, 3])
    assert (s.as_list(), s.ndims, len(s), str(s)) == ([None, 3], 2, 2, "(?, 3)")
    assert s[1] == 3 and s[1].value == 3 and s[0].value is None
    assert repr(s[0]) == "Dimension(None)" and repr(s[1]) == "Dimension(3)"
    assert s == (None, 3) and s == [None, 3] and not s != (None, 3)
    assert tf.TensorShape([2, 3]) == [2, 3] and tf.TensorShape([2, 3]) == tf.TensorShape([2, 3])
    assert not s.is_fully_defined() and tf.TensorShape([2, 3]).is_fully_defined()
    assert [d.value for d in s.dims] == [None, 3]
    assert tf.TensorShape([2, 3]).num_elements() == 6 and s.num_elements() is None
    assert tf.TensorShape([2, 3])[1:] == [3] and tf.TensorShape([4, 3])[0] * 2 == 8
    assert (tf.TensorShape([]).ndims, str(tf.TensorShape([])), str(tf.TensorShape([5]))) == (
        0, "()", "(5,)")
    assert tf.TensorShape(3) == [3]
    assert tf.Dimension(None).value is None and tf.Dimension(4).value == 4


def test_tensor_shape_of_unknown_rank():
    s = tf.TensorShape(None)
    assert s.ndims is None and str(s) == "<unknown>" and s == tf.TensorShape(None)
    with pytest.raises(ValueError, match="as_list\\(\\) is not defined on an unknown TensorShape"):
        s.as_list()


def test_tensor_shape_compatibility():
    s = tf.TensorShape([None, 3])
    assert s.is_compatible_with([2, 3]) and not s.is_compatible_with([2, 4])
    assert s.merge_with([2, None]).as_list() == [2, 3]
    assert tf.TensorShape([1]).concatenate([2]) == [1, 2]
    assert s.with_rank(2) == s
    with pytest.raises(ValueError, match=r"Shapes \(\?, 3\) and \(2, 4\) are incompatible"):
        s.assert_is_compatible_with(tf.TensorShape([2, 4]))
    with pytest.raises(ValueError):
        s.merge_with([2, 4])


def test_placeholder_shapes_and_dtypes():
    x = tf.placeholder(tf.float32, (None, 3), name="x")
    assert x.shape == (None, 3) and x.get_shape().as_list() == [None, 3]
    assert x.shape[0].value is None and x.shape[1].value == 3 and x.shape.ndims == 2
    assert tf.placeholder(tf.float32, [None, None]).shape.as_list() == [None, None]
    assert tf.placeholder(tf.float32, 3).shape.as_list() == [3]
    assert tf.placeholder(tf.float32, tf.TensorShape([None, 2])).shape.as_list() == [None, 2]
    assert tf.placeholder("float", (2,)).dtype == tf.float32
    assert tf.placeholder(np.float64, (2,)).dtype == tf.float64
    with pytest.raises(TypeError):
        len(x)   # its first size is not known


# --- static shapes through ops -------------------------------------------------------------------

@pytest.fixture
def x():
    return tf.placeholder(tf.float32, (None, 3), name="x")


def test_shapes_through_matmul_and_broadcasting(x):
    w = tf.ones((3, 2))
    assert tf.matmul(x, w).shape.as_list() == [None, 2]
    assert (x + tf.ones((3,))).shape.as_list() == [None, 3]
    assert (x + tf.placeholder(tf.float32, (None, 1))).shape.as_list() == [None, 3]
    assert (tf.placeholder(tf.float32, (None, 1)) +
            tf.placeholder(tf.float32, (1, None))).shape.as_list() == [None, None]
    assert (x + tf.ones((4, 3))).shape.as_list() == [4, 3]
    a, b = tf.placeholder(tf.float32, (2, None)), tf.placeholder(tf.float32, (None, 4))
    assert tf.matmul(a, b).shape.as_list() == [2, 4]
    assert tf.matmul(x, tf.ones((4, 3)), transpose_b=True).shape.as_list() == [None, 4]
    assert tf.matmul(tf.ones((3, 2)), x, transpose_a=True, transpose_b=True).shape.as_list() \
        == [2, None]
    assert [tf.exp(x).shape.as_list(), tf.nn.relu(x).shape.as_list(),
            tf.maximum(x, 0.0).shape.as_list(), tf.where(x > 0, x, -x).shape.as_list(),
            tf.nn.softmax(x).shape.as_list()] == [[None, 3]] * 5


def test_shapes_through_reductions_reshape_transpose(x):
    assert [tf.reduce_sum(x).shape.as_list(), tf.reduce_sum(x, axis=0).shape.as_list(),
            tf.reduce_sum(x, axis=1).shape.as_list(),
            tf.reduce_sum(x, axis=1, keepdims=True).shape.as_list(),
            tf.reduce_mean(x, 0).shape.as_list(), tf.reduce_max(x, [0, 1]).shape.as_list()] == [
        [], [3], [None], [None, 1], [3], []]
    assert [tf.reshape(x, [-1]).shape.as_list(), tf.reshape(x, [-1, 1]).shape.as_list(),
            tf.reshape(x, [3, -1]).shape.as_list(),
            tf.reshape(tf.ones((4, 3)), [-1, 2]).shape.as_list(),
            tf.reshape(x, [-1, 3, 1]).shape.as_list(),
            tf.reshape(x, [-1, 2]).shape.as_list()] == [
        [None], [None, 1], [3, None], [6, 2], [None, 3, 1], [None, 2]]
    assert tf.transpose(x).shape.as_list() == [3, None]
    assert tf.transpose(tf.placeholder(tf.float32, (None, 2, 5)),
                        [2, 0, 1]).shape.as_list() == [5, None, 2]


def test_shapes_through_indexing_and_joins(x):
    assert [x[0].shape.as_list(), x[:, 0].shape.as_list(), x[1:].shape.as_list(),
            x[:, 1:].shape.as_list(), x[..., 0].shape.as_list(),
            tf.ones((5, 3))[1:3].shape.as_list()] == [[3], [None], [None, 3], [None, 2], [None],
                                                      [2, 3]]
    assert tf.concat([x, x], 0).shape.as_list() == [None, 3]
    assert tf.concat([x, x], 1).shape.as_list() == [None, 6]
    assert tf.stack([x, x]).shape.as_list() == [2, None, 3]
    assert tf.argmax(x, 1).shape.as_list() == [None]
    assert tf.ones_like(x).shape.as_list() == [None, 3]
    assert (tf.shape(x).shape.as_list(), tf.shape(x).dtype) == ([2], tf.int32)


def test_unknown_rank_flows_through(x):
    anything = tf.placeholder(tf.float32)
    assert (anything * 2.0).shape.ndims is None
    assert tf.matmul(anything, tf.ones((3, 2))).shape.ndims is None


def test_set_shape(x):
    p = tf.placeholder(tf.float32, (None, 3))
    p.set_shape([5, 3])
    assert p.shape.as_list() == [5, 3]
    with pytest.raises(ValueError):
        tf.placeholder(tf.float32, (None, 3)).set_shape([5, 4])


def test_static_misfits_raise_when_the_graph_is_built(x):
    for make in (lambda: x + tf.ones((2,)), lambda: tf.matmul(x, tf.ones((2, 2))),
                 lambda: tf.reduce_sum(x, axis=2),
                 lambda: tf.placeholder(tf.float32, (None, 3)) + tf.ones((2, 2))):
        with pytest.raises(ValueError) as e:
            make()
        assert "12" not in str(e.value) and "24" not in str(e.value)   # no stand-in sizes
    with pytest.raises(ValueError):
        tf.reshape(tf.ones((4, 3)), [5, -1])
    with pytest.raises(ValueError, match=r"\(\?, 3\)|\[\?,3\]"):   # ("[?,3]": TensorFlow's)
        x + tf.ones((2,))
    with pytest.raises((ValueError, IndexError)):
        x[:, 3]


# --- gradients over a batch of unknown size -----------------------------------------------------

@pytest.fixture
def model(x):
    """A small network over x: (None, 3), y: (None, 1), in float32; TF's numbers below."""
    y = tf.placeholder(tf.float32, (None, 1), name="y")
    w = tf.Variable(np.arange(6, dtype=np.float32).reshape(3, 2) / 10, name="W")
    b = tf.Variable(np.zeros(2, dtype=np.float32), name="b")
    h = tf.sigmoid(tf.matmul(x, w) + b)
    out = tf.reduce_sum(h, axis=1, keepdims=True)
    loss = tf.reduce_mean(tf.square(out - y))
    return x, y, w, b, loss


def batch(n):
    return (np.arange(3 * n, dtype=np.float32).reshape(n, 3) % 5) / 4, np.ones((n, 1), np.float32)


# TensorFlow's loss and gradients for batches of 1 and 4 (rounded to 5 decimals)
TF_LOSS_GRADS = {
    1: (0.02037, [[0.0, 0.0], [0.01756, 0.01738], [0.03513, 0.03475]], [0.07026, 0.06951],
        [[0.00695, 0.0349, 0.06286]]),
    4: (0.02536, [[0.03032, 0.02965], [0.03601, 0.03505], [0.03228, 0.03144]],
        [0.07327, 0.07158], [[0.00174, 0.00873, 0.01571], [0.00172, 0.00869, 0.01565],
                             [0.0027, 0.0137, 0.02469], [0.001, 0.00502, 0.00904]]),
}


def test_gradients_over_a_none_batch_run_for_any_batch_size(model):
    x, y, w, b, loss = model
    g_w, g_b, g_x = tf.gradients(loss, [w, b, x])
    assert g_w.shape.as_list() == [3, 2] and g_x.shape.as_list() == [None, 3]
    assert g_w.name.startswith("gradients/")
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        for n, expected in TF_LOSS_GRADS.items():
            X, Y = batch(n)
            got = sess.run([loss, g_w, g_b, g_x], {x: X, y: Y})
            for value, want in zip(got, expected):
                np.testing.assert_allclose(value, want, atol=1e-5)
        for n in (2, 7, 64):   # any other batch runs too
            X, Y = batch(n)
            assert sess.run(g_x, {x: X, y: Y}).shape == (n, 3)


def test_second_derivative_through_a_none_batch(model):
    x, y, w, b, loss = model
    mixed = tf.gradients(tf.gradients(loss, w)[0], x)[0]
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        X, Y = batch(1)
        np.testing.assert_allclose(sess.run(mixed, {x: X, y: Y}),
                                   [[0.15681, 0.22575, 0.29468]], atol=1e-5)   # TF's
        X, Y = batch(4)
        np.testing.assert_allclose(sess.run(mixed, {x: X, y: Y})[0],
                                   [0.0392, 0.05644, 0.07367], atol=1e-5)


def test_structural_gradients_over_a_none_batch(x):
    y = tf.placeholder(tf.float32, (None, 1), name="y")
    weights = tf.constant([1.0, 2.0, 3.0])
    losses = {
        "mean of squares": tf.reduce_mean(x * x),
        "mean over the batch": tf.reduce_sum(tf.reduce_mean(x, axis=0) * weights),
        "columns": tf.reduce_sum(x[:, 0] * x[:, 1]),
        "reshape": tf.reduce_sum(tf.reshape(x, [-1]) ** 2),
        "row max": tf.reduce_sum(tf.reduce_max(x, axis=1)),
        "softmax": tf.reduce_mean(tf.nn.softmax(x) * weights),
        "transpose": tf.reduce_sum(tf.transpose(x) * tf.constant([[1.0], [2.0], [3.0]])),
        "concat": tf.reduce_sum(tf.concat([x, 2 * x], axis=0)),
        "where": tf.reduce_sum(tf.where(x > 0.5, x, x * x)),
    }
    grads = {k: tf.gradients(v, x)[0] for k, v in losses.items()}
    g_sum = tf.gradients(tf.reduce_sum(x + y), [x, y])
    # TensorFlow's gradients for the batch of 1 (x = [[0, .25, .5]])
    expected = {"mean of squares": [[0.0, 0.16667, 0.33333]], "mean over the batch": [[1, 2, 3]],
                "columns": [[0.25, 0.0, 0.0]], "reshape": [[0.0, 0.5, 1.0]],
                "row max": [[0.0, 0.0, 1.0]], "softmax": [[-0.09874, -0.01795, 0.11669]],
                "transpose": [[1, 2, 3]], "concat": [[3, 3, 3]], "where": [[0.0, 0.5, 1.0]]}
    with tf.Session() as sess:
        X, Y = batch(1)
        got = sess.run(grads, {x: X, y: Y})
        for k, want in expected.items():
            np.testing.assert_allclose(got[k], want, atol=1e-5, err_msg=k)
        gx, gy = sess.run(g_sum, {x: X, y: Y})
        assert gx.tolist() == [[1.0, 1.0, 1.0]] and gy.tolist() == [[3.0]]
        X, Y = batch(4)
        got = sess.run(grads, {x: X, y: Y})
        np.testing.assert_allclose(got["mean over the batch"], [[0.25, 0.5, 0.75]] * 4, atol=1e-6)
        np.testing.assert_allclose(got["columns"][1], [1.0, 0.75, 0.0], atol=1e-6)
        np.testing.assert_allclose(got["row max"], [[0, 0, 1], [0, 1, 0], [0, 0, 1], [1, 0, 0]])
        assert all(v.shape == (4, 3) for v in got.values())


def test_where_refuses_a_condition_that_is_not_bool_as_tensorflow():
    # TF-1: TypeError (Select's condition must be bool). A fed float condition has no value when
    # the graph is built: read as False it would pick y everywhere, silently.
    with tf.Graph().as_default():
        c = tf.placeholder(tf.float32, (2,))
        with pytest.raises(TypeError, match="where: condition 'Placeholder:0' has dtype float32"):
            tf.where(c, [1.0, 2.0], [10.0, 20.0])
        with pytest.raises(TypeError, match="expected bool"):
            tf.where([1, 0], [1.0, 2.0], [10.0, 20.0])
        b = tf.placeholder(tf.bool, (2,))
        picked = tf.where(b, [1.0, 2.0], [10.0, 20.0])
        with tf.Session() as sess:
            assert sess.run(picked, {b: [True, False]}).tolist() == [1.0, 20.0]
