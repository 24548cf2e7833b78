"""Integers carry no derivative, as in TensorFlow 1: ``tf.gradients`` of an integer result is
``[None]``, and an optimizer leaves an integer variable (``tf.Variable(0)``, trainable by
default) alone (values read off ``tensorflow.compat.v1``)."""

import numpy as np
import pytest

import teachgrad as tf


def test_the_gradient_of_an_integer_result_is_none():
    x = tf.placeholder(tf.float32, ())
    y = tf.cast(x * 2.0, tf.int32) * 1             # TF-1: tf.gradients(y, x) == [None]
    assert tf.gradients(y, x) == [None]
    assert tf.gradients([y, y], [x, x]) == [None, None]
    zero = tf.gradients(y, x, unconnected_gradients="zero")[0]
    with tf.Session() as sess:
        assert sess.run(zero, {x: 1.5}) == 0.0


def test_an_integer_result_among_floating_ones_adds_nothing():
    x = tf.placeholder(tf.float32, ())
    count = tf.cast(x, tf.int32) + 1
    (g,) = tf.gradients([x * x, count], x)
    with tf.Session() as sess:
        assert sess.run(g, {x: 3.0}) == 6.0            # TF-1: 6.0, the count adds nothing


def test_an_optimizer_skips_a_trainable_integer_variable_as_tensorflow():
    x = tf.Variable(1.0)
    step = tf.Variable(0)                             # trainable: TF-1's default
    loss = tf.square(x - 3.0)
    opt = tf.train.GradientDescentOptimizer(0.1)
    pairs = opt.compute_gradients(loss)
    assert [v for _, v in pairs] == [x, step] and pairs[1][0] is None
    train = opt.minimize(loss, global_step=step)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        sess.run(train)
        assert sess.run(x) == pytest.approx(1.4)      # TF-1: 1.4 after one step
        assert sess.run(step) == 1


def test_only_integer_variables_to_train_is_refused_as_tensorflow():
    step = tf.Variable(0)
    loss = tf.cast(step, tf.float32) * 2.0
    with pytest.raises(ValueError, match="No gradients provided for any variable"):
        tf.train.GradientDescentOptimizer(0.1).minimize(loss)
