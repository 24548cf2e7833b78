"""``tf.layers.Dense``, the class: variables made at the first call in the layer's scope, named as
TensorFlow 1 names them, shared by later calls. The names were read off ``tensorflow.compat.v1``
(TensorFlow 2.21 with ``tf_keras``, ``TF_USE_LEGACY_KERAS=1``) running the same code."""

import numpy as np
import pytest

import teachgrad as tf


def test_dense_layers_names_and_variables_as_tensorflow_1():
    x = tf.placeholder(tf.float32, (None, 3), name="x")
    d1 = tf.layers.Dense(4, activation=tf.nn.relu)
    d2 = tf.layers.Dense(2, name="out")
    assert (d1.name, d2.name) == ("dense_1", "out")          # TF counts layer objects from 1
    assert d1.trainable_variables == [] and not d1.built
    with pytest.raises(AttributeError, match="kernel"):
        d1.kernel                                             # made at the first call
    h = d1(x)
    y = d2(h)
    y2 = d2(h)                                                # the same variables again
    z = tf.layers.dense(x, 5)
    d3 = tf.layers.Dense(1)
    w = d3(x)
    assert [t.name for t in (h, y, y2, z, w)] == [
        "dense/Relu:0", "out/BiasAdd:0", "out/BiasAdd_1:0", "dense_1/BiasAdd:0",
        "dense_2/BiasAdd:0"]
    assert (d1.name, d2.name, d3.name) == ("dense_1", "out", "dense_3")
    assert (d1.kernel.name, d1.bias.name) == ("dense/kernel:0", "dense/bias:0")
    assert d1.kernel.shape == (3, 4) and d1.bias.shape == (4,)
    assert [v.name for v in d1.trainable_variables] == ["dense/kernel:0", "dense/bias:0"]
    assert [v.name for v in d1.variables] == [v.name for v in d1.weights] == \
        [v.name for v in d1.trainable_weights]
    assert [v.name for v in tf.global_variables()] == [
        "dense/kernel:0", "dense/bias:0", "out/kernel:0", "out/bias:0", "dense_1/kernel:0",
        "dense_1/bias:0", "dense_2/kernel:0", "dense_2/bias:0"]
    ops = [op.name for op in tf.get_default_graph().get_operations()]
    assert ops.index("out/MatMul_1") < ops.index("out/BiasAdd_1")
    assert (d1.units, d1.activation, d1.use_bias) == (4, tf.nn.relu, True)
    with tf.variable_scope("net"):
        d4 = tf.layers.Dense(3)
        q = d4(x)
    assert (d4.name, d4.kernel.name, q.name) == ("dense_4", "net/dense/kernel:0",
                                                 "net/dense/BiasAdd:0")


def test_dense_computes_and_shares_its_variables():
    layer = tf.layers.Dense(2, kernel_initializer=tf.constant_initializer([[1.0, 2.0],
                                                                          [3.0, 4.0]]),
                            bias_initializer=tf.constant_initializer([0.5, -0.5]))
    a = layer(tf.constant([[1.0, 1.0]]))
    b = layer(tf.constant([[2.0, 0.0]]))
    rank3 = layer(tf.ones((2, 5, 2)))
    assert len(tf.trainable_variables()) == 2 and rank3.shape == (2, 5, 2)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        np.testing.assert_array_equal(sess.run(a), [[4.5, 5.5]])
        np.testing.assert_array_equal(sess.run(b), [[2.5, 3.5]])
        sess.run(layer.kernel.assign(tf.zeros((2, 2))))
        np.testing.assert_array_equal(sess.run(b), [[0.5, -0.5]])   # one kernel for both calls
    assert layer.compute_output_shape((None, 2)) == (None, 2)


def test_dense_trains_like_tf_layers_dense():
    x = tf.placeholder(tf.float32, (None, 1))
    target = 3.0 * x + 1.0
    layer = tf.layers.Dense(1, kernel_initializer=tf.zeros_initializer())
    loss = tf.reduce_mean(tf.square(layer(x) - target))
    step = tf.train.GradientDescentOptimizer(0.1).minimize(loss, var_list=layer.trainable_variables)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        for _ in range(300):
            sess.run(step, {x: [[0.0], [1.0], [2.0]]})
        kernel, bias = sess.run([layer.kernel, layer.bias])
    np.testing.assert_allclose([kernel.item(), bias.item()], [3.0, 1.0], atol=1e-3)


def test_dense_refuses_inputs_without_known_features():
    with pytest.raises(tf.ShapeError, match="the last of them known"):
        tf.layers.Dense(2)(tf.placeholder(tf.float32, (None, None)))
    with pytest.raises(ValueError, match="units must be a positive integer"):
        tf.layers.Dense(0)
