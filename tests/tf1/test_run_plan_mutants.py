"""A run plan's corners that its usual tests pass by (issue 27: each test here killed a surviving
mutant of teachgrad/tf1/run_plan.py).

- The in-place writes (``_write_in_place``): an element-wise step may write its result into the
  array of an input that only it reads. An intermediate read by two or three steps, or fetched
  and read again, keeps its numbers; a step that is not one of the in-place ops computes as
  always; and a chain that starts with another op, goes through a one-input op (``neg``) or has
  its fresh array second (``3.0 - a``) still takes one fresh array for the whole chain (the
  tracemalloc peak of a run on 10⁶ numbers).
- A while loop whose test reads a variable its body never reads: its value and its derivative
  (the body's sub-plan hands the derivative that variable as it was given).
- An unfed placeholder's message in TensorFlow 1's words: no shape for an unknown or a scalar
  one.

Values are TF-1's, read off ``tensorflow.compat.v1`` running the same lines.
"""

import tracemalloc

import numpy as np
import pytest

import teachgrad as tf
from teachgrad import errors

X = np.array([0.5, -1.0, 2.0])


def test_an_intermediate_read_by_two_steps_keeps_its_value_for_the_second():
    x = tf.placeholder(tf.float64, shape=(3,))
    a = x * 2.0
    b = a + 1.0         # reads a first: it must not write into a,
    c = a * 3.0         # which c reads after it
    with tf.Session() as sess:
        got_b, got_c = sess.run([b, c], {x: X})
    np.testing.assert_array_equal(got_b, X * 2.0 + 1.0)
    np.testing.assert_array_equal(got_c, X * 2.0 * 3.0)


def test_a_fetched_intermediate_read_by_three_steps_keeps_its_value():
    x = tf.placeholder(tf.float64, shape=(3,))
    a = x * 2.0
    b, c, d = a + 1.0, a * 3.0, a - 4.0
    with tf.Session() as sess:
        got = sess.run([a, b, c, d], {x: X})
    want = [X * 2.0, X * 2.0 + 1.0, X * 2.0 * 3.0, X * 2.0 - 4.0]
    for g, w in zip(got, want):
        np.testing.assert_array_equal(g, w)


def test_an_op_that_is_not_element_wise_arithmetic_reads_a_fresh_input_as_usual():
    x = tf.placeholder(tf.float64, shape=(3,))
    y = tf.exp(x * 2.0)
    z = tf.tanh(tf.square(x - 1.0))
    with tf.Session() as sess:
        got_y, got_z = sess.run([y, z], {x: X})
    np.testing.assert_allclose(got_y, np.exp(X * 2.0), rtol=1e-15)
    np.testing.assert_allclose(got_z, np.tanh((X - 1.0) ** 2), rtol=1e-15)


def _peak_of(run):
    tracemalloc.start()
    try:
        out = run()
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return out, peak


def test_a_chain_after_exp_through_neg_and_a_subtraction_from_a_constant_takes_one_fresh_array():
    """3 − (−(exp(x)·2) + 1) on 10⁶ numbers: exp makes the one 8 MB array, every later step
    writes into it (the fresh array is the only input of neg, and the second of 3.0 − ·)."""
    x = tf.placeholder(tf.float64, shape=(1000, 1000))
    y = 3.0 - (-(tf.exp(x) * 2.0) + 1.0)
    value = np.linspace(-1.0, 1.0, 10**6).reshape(1000, 1000)
    expected = 3.0 - (-(np.exp(value) * 2.0) + 1.0)
    with tf.Session() as sess:
        np.testing.assert_array_equal(sess.run(y, {x: value}), expected)
        out, peak = _peak_of(lambda: sess.run(y, {x: value}))
    np.testing.assert_array_equal(out, expected)
    assert peak < 1.5 * value.nbytes, f"peak {peak / 2**20:.1f} MiB for one 7.6 MiB result"


def test_a_while_loop_whose_test_alone_reads_a_variable_gives_its_value_and_derivative():
    v = tf.Variable(3.0, name="v")
    x = tf.placeholder(tf.float32, shape=(), name="x")
    _, y = tf.while_loop(lambda i, y: i < v, lambda i, y: (i + 1.0, y * x),
                         [tf.constant(0.0), tf.constant(1.0)])
    dy_dx, = tf.gradients(y, [x])
    with tf.Session() as sess:
        sess.run(v.initializer)
        assert sess.run([y, dy_dx], {x: 2.0}) == [8.0, 12.0]     # TF: [8.0, 12.0]
        sess.run(v.assign(2.0))
        assert sess.run([y, dy_dx], {x: 2.0}) == [4.0, 4.0]      # TF: [4.0, 4.0]


@pytest.mark.parametrize("shape, tf_words", [
    (None, "You must feed a value for placeholder tensor 'p' with dtype float"),
    ((), "You must feed a value for placeholder tensor 'p' with dtype float"),
    ((None,), "You must feed a value for placeholder tensor 'p' with dtype float and shape [?]"),
    ((2, None), "You must feed a value for placeholder tensor 'p' with dtype float and shape "
                "[2,?]"),
], ids=["unknown", "scalar", "vector", "matrix"])
def test_an_unfed_placeholder_has_a_shape_in_its_message_only_when_tf1_writes_one(shape,
                                                                                  tf_words):
    p = tf.placeholder(tf.float32, shape=shape, name="p")
    with tf.Session() as sess:
        with pytest.raises(errors.InvalidArgumentError) as caught:
            sess.run(p * 2.0)
    assert caught.value.message == (
        f"{tf_words}: add it to feed_dict, sess.run(..., feed_dict={{p: value}})")
