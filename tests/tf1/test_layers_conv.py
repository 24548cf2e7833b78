"""``tf.layers``' convolution, pooling and dropout layers: names, shapes, values and gradients
as TensorFlow 1 gives them (read off ``tensorflow.compat.v1`` with ``TF_USE_LEGACY_KERAS=1``)."""

import numpy as np
import pytest

import teachgrad as tf


def test_a_small_convnet_is_named_and_shaped_as_tensorflow_builds_it():
    x = tf.placeholder(tf.float32, (None, 28, 28, 1))
    c = tf.layers.conv2d(x, 32, 5, activation=tf.nn.relu)
    p = tf.layers.max_pooling2d(c, 2, 2)
    c2 = tf.layers.conv2d(p, 64, (3, 3), padding="same", strides=2)
    a = tf.layers.average_pooling2d(c2, pool_size=[2, 2], strides=[1, 1], padding="SAME")
    assert (c.name, c.op.type, c.shape.as_list()) == ("conv2d/Relu:0", "Relu", [None, 24, 24, 32])
    assert (p.name, p.shape.as_list()) == ("max_pooling2d/MaxPool:0", [None, 12, 12, 32])
    assert (c2.name, c2.shape.as_list()) == ("conv2d_1/BiasAdd:0", [None, 6, 6, 64])
    assert (a.name, a.shape.as_list()) == ("average_pooling2d/AvgPool:0", [None, 6, 6, 64])
    variables = tf.trainable_variables()
    assert [v.name for v in variables] == ["conv2d/kernel:0", "conv2d/bias:0",
                                           "conv2d_1/kernel:0", "conv2d_1/bias:0"]
    assert [v.shape.as_list() for v in variables] == [[5, 5, 1, 32], [32], [3, 3, 32, 64], [64]]
    ops = [o.name for o in tf.get_default_graph().get_operations()]
    assert "conv2d/Conv2D" in ops and "conv2d/BiasAdd" in ops


def test_a_layer_object_keeps_its_settings_and_names_as_tensorflow():
    x = tf.placeholder(tf.float32, (None, 28, 28, 1))
    layer = tf.layers.Conv2D(4, 3, name="myconv")
    y = layer(x)
    assert (y.name, y.shape.as_list()) == ("myconv/BiasAdd:0", [None, 26, 26, 4])
    assert (layer.kernel.name, layer.name) == ("myconv/kernel:0", "myconv")
    tf.layers.max_pooling2d(y, 2, 2)
    pool = tf.layers.MaxPooling2D(2, 2)
    z = pool(y)
    # TensorFlow counts the objects and the name scopes apart: the second pooling object is
    # max_pooling2d_2, its ops are in max_pooling2d_1/
    assert (z.name, pool.name) == ("max_pooling2d_1/MaxPool:0", "max_pooling2d_2")
    assert (pool.pool_size, pool.strides, pool.padding) == ((2, 2), (2, 2), "valid")


def test_conv2d_and_max_pooling_values_and_gradients_are_tensorflows():
    x = tf.placeholder(tf.float32, (None, 4, 4, 2))
    layer = tf.layers.Conv2D(3, [2, 3], strides=(1, 2), padding="SAME",
                             kernel_initializer=tf.ones_initializer(),
                             bias_initializer=tf.constant_initializer(0.5))
    y = layer(x)
    assert (layer.kernel_size, layer.strides, layer.padding, layer.filters, layer.data_format) \
        == ((2, 3), (1, 2), "same", 3, "channels_last")
    assert layer.kernel.shape.as_list() == [2, 3, 2, 3] and y.shape.as_list() == [None, 4, 2, 3]
    pool = tf.layers.MaxPooling2D(pool_size=2, strides=1)
    z = pool(y)
    assert z.shape.as_list() == [None, 3, 1, 3]
    gx, gk = tf.gradients(tf.reduce_sum(z), [x, layer.kernel])
    xv = np.arange(32, dtype=np.float32).reshape(1, 4, 4, 2)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        yv, zv, gxv, gkv = sess.run([y, z, gx, gk], {x: xv})
    np.testing.assert_array_equal(yv[0, :, :, 0], [[78.5, 76.5], [174.5, 140.5], [270.5, 204.5],
                                                   [159.5, 118.5]])
    np.testing.assert_array_equal(zv[0, :, :, 0], [[174.5], [270.5], [270.5]])
    np.testing.assert_array_equal(gxv[0, :, :, 0], [[0, 0, 0, 0], [3, 3, 3, 0], [9, 9, 9, 0],
                                                    [6, 6, 6, 0]])
    np.testing.assert_array_equal(gkv[:, :, 0, 0], [[40, 46, 52], [64, 70, 76]])
    assert yv.dtype == np.float32 and gkv.dtype == np.float32


def test_a_conv_layer_trains():
    rng = np.random.default_rng(0)
    images = rng.normal(size=(8, 6, 6, 1)).astype(np.float32)
    target = images[:, 1:-1, 1:-1, :] * 2.0             # learnable by a 3x3 filter
    x = tf.placeholder(tf.float32, (None, 6, 6, 1))
    y = tf.layers.conv2d(x, 1, 3, kernel_initializer=tf.zeros_initializer())
    loss = tf.reduce_mean(tf.square(y - target))
    step = tf.train.GradientDescentOptimizer(0.2).minimize(loss)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        first = sess.run(loss, {x: images})
        for _ in range(200):
            sess.run(step, {x: images})
        last = sess.run(loss, {x: images})
    assert last < first / 100


def test_layers_dropout_drops_only_while_training():
    x = tf.ones((200, 10))
    kept = tf.layers.dropout(x, rate=0.25, training=False)
    assert (kept.name, kept.op.type) == ("dropout/Identity:0", "Identity")
    dropped = tf.layers.dropout(x, rate=0.25, training=True, seed=3)
    training = tf.placeholder(tf.bool, ())
    chosen = tf.layers.dropout(x, rate=0.25, training=training, seed=3)
    layer = tf.layers.Dropout(0.3)
    assert layer.rate == 0.3 and layer(x, training=False).name == "dropout_3/Identity:0"
    with tf.Session() as sess:
        np.testing.assert_array_equal(sess.run(kept), np.ones((200, 10)))
        values = sess.run(dropped)
        assert set(np.unique(values)) == {0.0, np.float32(1 / 0.75)}
        assert 0.18 < np.mean(values == 0) < 0.32
        np.testing.assert_array_equal(sess.run(chosen, {training: False}), np.ones((200, 10)))
        assert 0.18 < np.mean(sess.run(chosen, {training: True}) == 0) < 0.32


@pytest.mark.parametrize("bad, words", [
    (dict(kernel_size=0), "kernel_size"), (dict(kernel_size=(2, 2, 2)), "kernel_size"),
    (dict(strides=0), "strides"), (dict(padding="full"), "padding"),
    (dict(data_format="channels_first"), "channels_last"), (dict(dilation_rate=2), "dilation"),
])
def test_conv2d_settings_tensorflow_refuses_or_teachgrad_cannot_compute_are_one_clear_error(
        bad, words):
    x = tf.placeholder(tf.float32, (None, 5, 5, 1))
    before = len(tf.get_default_graph().get_operations())
    with pytest.raises(ValueError, match=words):
        tf.layers.conv2d(x, **{"filters": 2, "kernel_size": 2, **bad})
    assert len(tf.get_default_graph().get_operations()) == before
    assert tf.trainable_variables() == []


def test_inputs_without_four_dimensions_are_refused_naming_the_layer():
    with pytest.raises(ValueError, match='layer "max_pooling2d_1".*expected ndim=4, found ndim=2'):
        tf.layers.max_pooling2d(tf.placeholder(tf.float32, (None, 3)), 2, 2)
    with pytest.raises(ValueError, match="ndim=4"):
        tf.layers.conv2d(tf.placeholder(tf.float32, (None, 5, 5)), 3, 3)
    with pytest.raises(TypeError, match="strides"):
        tf.layers.max_pooling2d(tf.placeholder(tf.float32, (None, 4, 4, 1)), 2)
