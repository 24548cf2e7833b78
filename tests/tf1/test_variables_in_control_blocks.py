"""A variable made inside ``tf.control_dependencies`` does not wait for it (TensorFlow 1's
init_scope): the optimizer's slots of ``with tf.control_dependencies(update_ops):
train = opt.minimize(loss)`` initialize without the training batch. A tensor the program itself
makes in the block still waits (read off ``tensorflow.compat.v1``)."""

import pytest

import teachgrad as tf


def test_variables_made_in_a_control_block_initialize_without_it():
    x = tf.placeholder(tf.float32, ())
    a = tf.Variable(1.0)
    update = tf.assign_add(a, x)
    with tf.control_dependencies([update]):
        v = tf.Variable(5.0)
        w = tf.get_variable("w", initializer=tf.constant(2.0))      # the constant waits
        u = tf.get_variable("u", shape=(), initializer=tf.zeros_initializer())
        train = tf.train.AdamOptimizer(0.1).minimize(tf.square(u - x))
    with tf.Session() as sess:
        sess.run(a.initializer)
        for var in tf.global_variables():
            if var is w:
                with pytest.raises(tf.errors.InvalidArgumentError, match="must feed"):
                    sess.run(var.initializer)
            else:
                sess.run(var.initializer)
        sess.run(w.initializer, {x: 0.0})
        assert sess.run(v) == 5.0 and sess.run(u) == 0.0
        sess.run(train, {x: 1.0})
        assert sess.run(a) == 1.0 + 0.0 + 1.0      # the update ran with each run that waited
