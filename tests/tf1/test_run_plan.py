"""What a compiled run checks and gives back: fed values' dtypes and shapes, the placeholder that
was not fed, fetched arrays the caller may change, variables read when the run ends (issue 27:
these kill surviving mutants of teachgrad/tf1/run_plan.py).

Values, dtypes and messages were read off ``tensorflow.compat.v1`` (graph mode) running the same
lines; where teachgrad adds advice to TF-1's message, TF-1's words are its start.
"""

import re

import numpy as np
import pytest

import teachgrad as tf
from teachgrad import errors


def starts(message):
    return "^" + re.escape(message)


def whole(message):
    return "^" + re.escape(message) + "$"


def test_an_int_that_does_not_fit_the_placeholder_dtype_is_refused():
    i8 = tf.placeholder(tf.int8, (), name="i8")
    with tf.Session() as sess:
        assert sess.run(i8 + 0, {i8: -128}) == -128          # TF: int8 -128 and 127 fit
        assert sess.run(i8 + 0, {i8: 127}) == 127
        with pytest.raises(TypeError, match=whole(
                "Type of feed value 200 with type <class 'int'> is not compatible with Tensor "
                "type <class 'numpy.int8'>. Try explicitly setting the type of the feed tensor "
                "to a larger type (e.g. int64).")):
            sess.run(i8 + 0, {i8: 200})
        with pytest.raises(TypeError, match="feed value -129 "):
            sess.run(i8 + 0, {i8: -129})


def test_a_bool_placeholder_takes_0_and_1_and_refuses_2():
    b = tf.placeholder(tf.bool, (), name="b")
    with tf.Session() as sess:
        assert sess.run(tf.logical_not(b), {b: 1}) == np.False_          # TF: False
        assert sess.run(tf.logical_not(b), {b: 0}) == np.True_
        with pytest.raises(TypeError, match=starts(
                "Type of feed value 2 with type <class 'int'> is not compatible with Tensor "
                "type <class 'numpy.bool")):
            sess.run(tf.logical_not(b), {b: 2})


def test_fed_numbers_take_the_placeholder_dtype():
    f64 = tf.placeholder(tf.float64, name="f64")
    f32 = tf.placeholder(tf.float32, (), name="f32")
    m = tf.placeholder(tf.float32, (None, 3), name="m")
    i = tf.placeholder(tf.int32, (2,), name="i")
    with tf.Session() as sess:
        for fed in (1.5, 2, np.float32(1.5)):
            got = sess.run(f64 * 1, {f64: fed})
            assert type(got) is np.float64 and got == float(fed)         # TF: numpy.float64
        for fed in (1.5, 2, np.float64(1.5)):
            got = sess.run(f32 + 0, {f32: fed})
            assert type(got) is np.float32 and got == np.float32(fed)
        got = sess.run(m, {m: np.zeros((2, 3), np.float64)})
        assert got.dtype == np.float32 and got.shape == (2, 3)          # TF: float32
        got = sess.run(i * 1, {i: [1.7, 2.2]})
        assert got.dtype == np.int32 and got.tolist() == [1, 2]          # TF: [1, 2] int32
        got = sess.run(f64 * 1, {f64: np.array(2.5)})
        assert type(got) is np.float64 and got == 2.5


def test_a_fed_value_of_the_wrong_shape_is_refused():
    m = tf.placeholder(tf.float32, (None, 3), name="m")
    i = tf.placeholder(tf.int32, (2,), name="i")
    with tf.Session() as sess:
        assert sess.run(m * 1, {m: [[1, 2, 3]]}).tolist() == [[1.0, 2.0, 3.0]]
        with pytest.raises(ValueError, match=whole(
                "Cannot feed value of shape (1, 2) for Tensor m:0, which has shape (?, 3)")):
            sess.run(m * 1, {m: [[1, 2]]})
        with pytest.raises(ValueError, match=whole(
                "Cannot feed value of shape (3,) for Tensor m:0, which has shape (?, 3)")):
            sess.run(m * 1, {m: [1, 2, 3]})
        with pytest.raises(ValueError, match=whole(
                "Cannot feed value of shape (3,) for Tensor i:0, which has shape (2,)")):
            sess.run(i * 1, {i: [1, 2, 3]})
        with pytest.raises(ValueError, match="Cannot feed value of shape"):
            sess.run(i * 1, {i: 5})


def test_a_tensor_fed_as_a_value_is_refused_with_the_way_out():
    m = tf.placeholder(tf.float32, (None, 3), name="m")
    c = tf.constant([[1.0, 2.0, 3.0]], name="c")
    with tf.Session() as sess:
        with pytest.raises(TypeError, match=whole(     # TF: TypeError, its own words
                "the value fed to 'm:0' is the tensor 'c:0'; a feed must be a value (a number, a "
                "list or a NumPy array), not a tf.Tensor: run it first (sess.run) or feed its "
                "value")):
            sess.run(m * 1, {m: c})


@pytest.mark.parametrize("make, tf_words", [
    (lambda: tf.placeholder(tf.float16, (None, 3), name="h"),
     "You must feed a value for placeholder tensor 'h' with dtype half and shape [?,3]"),
    (lambda: tf.placeholder(tf.float32, (None, 3), name="m"),
     "You must feed a value for placeholder tensor 'm' with dtype float and shape [?,3]"),
    (lambda: tf.placeholder(tf.int32, (2,), name="i"),
     "You must feed a value for placeholder tensor 'i' with dtype int32 and shape [2]"),
    (lambda: tf.placeholder(tf.float64, name="f64"),
     "You must feed a value for placeholder tensor 'f64' with dtype double"),
    (lambda: tf.placeholder(tf.int8, (), name="i8"),
     "You must feed a value for placeholder tensor 'i8' with dtype int8"),
], ids=["half", "float", "int32", "double", "int8"])
def test_an_unfed_placeholder_is_named_with_its_dtype_and_shape(make, tf_words):
    p = make()
    with tf.Session() as sess:
        with pytest.raises(errors.InvalidArgumentError) as caught:
            sess.run(p * 1)
    assert caught.value.op.name == p.op.name                                     # TF: e.op is the placeholder
    assert caught.value.message.startswith(tf_words)
    name = p.op.name
    assert caught.value.message.endswith(
        f": add it to feed_dict, sess.run(..., feed_dict={{{name}: value}})")


def test_a_fetched_constant_array_can_be_changed_by_the_caller_without_changing_the_graph():
    c = tf.constant([1.0, 2.0])
    with tf.Session() as sess:
        got = sess.run(c)
        got[0] = 99.0
        assert sess.run(c).tolist() == [1.0, 2.0]                      # TF: [1. 2.]
        both = sess.run([c, c])
        both[0][1] = -1.0
        assert sess.run(c).tolist() == [1.0, 2.0]


def test_scalar_results_are_numpy_scalars_and_arrays_stay_arrays():
    x = tf.placeholder(tf.float32, (None,))
    with tf.Session() as sess:
        total = sess.run(tf.reduce_sum(x), {x: [1.0, 2.0]})
        assert type(total) is np.float32 and total == 3.0                # TF: numpy.float32
        arr = sess.run(x * 1, {x: [1.0]})
        assert type(arr) is np.ndarray and arr.shape == (1,)
        assert type(sess.run(tf.constant(2.0))) is np.float32


def test_a_fetched_variable_is_read_when_the_run_ends():
    v = tf.Variable(1.0)
    with tf.Session() as sess:
        sess.run(v.initializer)
        assert sess.run([tf.assign(v, 5.0), v]) == [5.0, 5.0]            # TF: [5.0, 5.0]
        got = sess.run(v)
        assert type(got) is np.float32 and got == 5.0
        assert sess.run(v, {v: 2.0}) == 2.0                              # fed: the fed value
        assert sess.run(v) == 5.0


def test_an_op_with_control_inputs_reads_its_variable_after_them():
    v = tf.Variable(1.0)
    with tf.control_dependencies([tf.assign_add(v, 1.0)]):
        w = v * 10.0
        k = tf.constant(3.0) + 0.0
    with tf.Session() as sess:
        sess.run(v.initializer)
        assert sess.run(w) == 20.0                                       # TF: 20.0, then 30.0
        assert sess.run(w) == 30.0
        assert sess.run(k) == 3.0 and sess.run(v) == 4.0                 # TF: 3.0, 4.0
        assert sess.run(w, {v: 0.5}) == 5.0


def test_a_scalar_placeholder_refuses_a_list_and_a_vector_one_refuses_a_number():
    x = tf.placeholder(tf.float32, (), name="x")
    y = tf.placeholder(tf.float32, (2,), name="y")
    with tf.Session() as sess:
        with pytest.raises(ValueError, match=whole(
                "Cannot feed value of shape (1,) for Tensor x:0, which has shape ()")):
            sess.run(x * 1, {x: [1.0]})
        with pytest.raises(ValueError, match=whole(
                "Cannot feed value of shape () for Tensor y:0, which has shape (2,)")):
            sess.run(y * 1, {y: 1.0})
        assert sess.run(y * 1, {y: [1.0, 2.0]}).tolist() == [1.0, 2.0]


def test_a_fed_constant_reaches_every_op_that_uses_only_it():
    c = tf.constant(2.0)
    with tf.Session() as sess:
        # TF: 25.0, -5.0, 9.0 (the ops are run again on the fed value, not kept from c = 2)
        assert sess.run(c * c, {c: 5.0}) == 25.0
        assert sess.run(-c, {c: 5.0}) == -5.0
        assert sess.run(tf.square(c), {c: 3.0}) == 9.0
        assert sess.run(tf.square(c)) == 4.0


def test_derivatives_through_cond_and_while_loop_read_the_variable():
    v = tf.Variable(3.0)
    p = tf.placeholder(tf.bool, ())
    r = tf.cond(p, lambda: v * v, lambda: v * 2.0)
    g = tf.gradients(r, v)
    _, acc = tf.while_loop(lambda i, a: i < 3, lambda i, a: (i + 1, a * v), [0, tf.constant(1.0)])
    h = tf.gradients(acc, v)
    with tf.Session() as sess:
        sess.run(v.initializer)
        assert sess.run(g, {p: True}) == [6.0]             # TF: [6.0] (2v), then [2.0]
        assert sess.run(g, {p: False}) == [2.0]
        assert sess.run(h) == [27.0]                        # TF: [27.0] (3v²)
