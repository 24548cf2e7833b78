"""What the recurrent-network tutorials need besides the cells (tf.split, tf.sign, tf.multinomial),
as TensorFlow 1 gives it: values, static shapes, dtypes and errors read off tensorflow.compat.v1."""

import numpy as np
import pytest

import teachgrad as tf


def test_split_into_equal_pieces_with_tensorflows_static_shapes():
    with tf.Graph().as_default():
        x = tf.placeholder(tf.float32, [None, 4])
        y = tf.placeholder(tf.float32, [3, None, 2])
        assert [p.shape.as_list() for p in tf.split(x, 2, 0)] == [[None, 4]] * 2
        assert [p.shape.as_list() for p in tf.split(x, 2, 1)] == [[None, 2]] * 2
        along_unknown = tf.split(y, 2, 1)
        assert [p.shape.as_list() for p in along_unknown] == [[3, None, 2]] * 2
        sized = tf.split(tf.ones([2, 6, 3]), [1, -1, 2], 1)
        assert [p.shape.as_list() for p in sized] == [[2, 1, 3], [2, 3, 3], [2, 2, 3]]
        slope = tf.gradients(tf.reduce_sum(along_unknown[1] * 3.0), y)[0]
        with tf.Session() as sess:
            piece, g = sess.run([along_unknown[1], slope], {y: np.arange(24).reshape(3, 4, 2)})
            # (TensorFlow: InvalidArgumentError at run time; here the reshape's ShapeError)
            with pytest.raises(tf.ShapeError, match="3, -1, 4"):
                sess.run(tf.split(x, 3, 0), {x: np.ones((4, 4))})
    np.testing.assert_array_equal(piece[:, :, 0], [[4, 6], [12, 14], [20, 22]])
    np.testing.assert_array_equal(g[:, :, 0], [[0, 0, 3, 3]] * 3)


@pytest.mark.parametrize("sizes", [2, [1, 2]])
def test_split_refuses_pieces_that_do_not_fit(sizes):
    with pytest.raises(ValueError):
        tf.split(tf.ones([5]), sizes)


def test_sign():
    with tf.Graph().as_default():
        s = tf.sign(tf.constant([-2, 0, 3]))
        v = tf.constant([-2.0, 0.5])
        slope = tf.gradients(tf.sign(v) * v, v)[0]   # the sign itself carries no derivative
        assert s.dtype == tf.int32
        with tf.Session() as sess:
            assert sess.run(s).tolist() == [-1, 0, 1]
            assert sess.run(slope).tolist() == [-1.0, 1.0]


def test_multinomial_draws_by_the_softmax_probabilities_at_each_run():
    with tf.Graph().as_default():
        logits = tf.placeholder(tf.float32, [None, 3])
        draws = tf.multinomial(logits, 4000)
        assert draws.shape.as_list() == [None, 4000] and draws.dtype == tf.int64
        with np.errstate(divide="ignore"):
            feed = {logits: np.log([[0.2, 0.5, 0.3], [0.9, 0.1, 0.0]])}
        with tf.Session() as sess:
            a, b = sess.run(draws, feed), sess.run(draws, feed)
    assert (a != b).any()
    np.testing.assert_allclose(np.bincount(a[0], minlength=3) / 4000, [0.2, 0.5, 0.3], atol=0.04)
    assert np.bincount(a[1], minlength=3)[2] == 0      # probability 0: never drawn
    np.testing.assert_allclose(np.bincount(a[1], minlength=3)[0] / 4000, 0.9, atol=0.03)
