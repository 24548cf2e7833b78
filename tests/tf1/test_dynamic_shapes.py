"""Shapes known only when the program runs: ``tf.zeros(tf.shape(x))``, ``tf.random_normal([
tf.shape(x)[0], 5])``, ``tf.reshape(x, [tf.shape(x)[0], -1])`` — their static shapes as TensorFlow 1
infers them and their values at run time (read off tensorflow.compat.v1)."""

import numpy as np
import pytest

import teachgrad as tf


def _x():
    return tf.placeholder(tf.float32, (None, 3, 2))


@pytest.mark.parametrize("make, static, ran", [
    (lambda x: tf.zeros(tf.shape(x)), "(?, 3, 2)", (4, 3, 2)),
    (lambda x: tf.ones([tf.shape(x)[0], 4]), "(?, 4)", (4, 4)),
    (lambda x: tf.random_normal([tf.shape(x)[0], 5]), "(?, 5)", (4, 5)),
    (lambda x: tf.truncated_normal(tf.shape(x)[:2]), "(?, 3)", (4, 3)),
    (lambda x: tf.random_uniform(tf.shape(x)[1:]), "(3, 2)", (3, 2)),
    (lambda x: tf.reshape(x, [tf.shape(x)[0], -1]), "(?, ?)", (4, 6)),
    (lambda x: tf.reshape(x, [-1, tf.shape(x)[0]]), "(?, ?)", (6, 4)),
    (lambda x: tf.reshape(x, [tf.shape(x)[0], 6]), "(?, 6)", (4, 6)),
    (lambda x: tf.reshape(x, tf.shape(x)[1:] * [4, 1]), "(?, ?)", (12, 2)),
    (lambda x: tf.fill([tf.shape(x)[0], 2], 7.0), "(?, 2)", (4, 2)),
    (lambda x: tf.zeros([tf.shape(x)[1], tf.shape(x)[0]]), "(3, ?)", (3, 4)),
    (lambda x: tf.zeros(tf.stack([2, tf.shape(x)[0]])), "(2, ?)", (2, 4)),
])
def test_static_shape_and_run_shape(make, static, ran):
    x = _x()
    t = make(x)
    assert str(t.shape) == static and t.dtype == tf.float32
    with tf.Session() as sess:
        assert sess.run(t, {x: np.ones((4, 3, 2))}).shape == ran


def test_values_and_names():
    x = _x()
    z, o, f = tf.zeros(tf.shape(x)), tf.ones([tf.shape(x)[0], 4]), tf.fill([tf.shape(x)[0], 2], 7.0)
    assert (z.op.name, z.op.type, o.op.name, o.op.type) == ("zeros", "Fill", "ones", "Fill")
    n = tf.random_normal([tf.shape(x)[0], 2000], mean=1.0, stddev=2.0, seed=3)
    r = tf.reshape(x, [tf.shape(x)[0], -1])
    with tf.Session() as sess:
        zv, ov, fv, nv, rv = sess.run([z, o, f, n, r], {x: np.arange(24.0).reshape(4, 3, 2)})
    assert not zv.any() and (ov == 1).all() and (fv == 7).all()
    assert abs(nv.mean() - 1.0) < 0.1 and abs(nv.std() - 2.0) < 0.1
    np.testing.assert_array_equal(rv, np.arange(24.0).reshape(4, 6))


def test_a_batch_of_noise_shaped_like_the_input_trains_a_vae_like_graph():
    """ay_variational_autoencoder: eps = tf.random_normal(tf.shape(std)) keeps the batch open,
    and the gradient through mean + eps·std reaches both variables."""
    x = tf.placeholder(tf.float32, (None, 2))
    w_mu, w_sd = tf.Variable(tf.ones((2, 2))), tf.Variable(tf.ones((2, 2)))
    mu, sd = tf.matmul(x, w_mu), tf.exp(tf.matmul(x, w_sd))
    eps = tf.random_normal(tf.shape(sd), dtype=tf.float32, mean=0.0, stddev=1.0, seed=1)
    z = mu + eps * sd
    assert str(z.shape) == "(?, 2)"
    g_mu, g_sd = tf.gradients(tf.reduce_sum(z), [w_mu, w_sd])
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        xv = np.array([[0.5, -1.0], [1.0, 2.0], [0.0, 1.0]], np.float32)
        gm, gs = sess.run([g_mu, g_sd], {x: xv})
    np.testing.assert_allclose(gm, np.repeat(xv.sum(0)[:, None], 2, 1), rtol=1e-6)
    assert gs.shape == (2, 2) and np.isfinite(gs).all()


def test_a_conv_net_with_an_open_batch_has_the_gradients_of_a_fixed_batch():
    """Convolution's input gradient needs the batch size: with (None, 6, 6, 1) it is taken at run
    time, and every gradient equals the one of the same net built for a batch of 3."""
    rng = np.random.RandomState(0)
    w1v, w2v = rng.randn(3, 3, 1, 4).astype(np.float32), rng.randn(3, 3, 4, 2).astype(np.float32)
    xv = rng.rand(3, 6, 6, 1).astype(np.float32)

    def grads(batch):
        tf.reset_default_graph()
        x = tf.placeholder(tf.float32, [batch, 6, 6, 1])
        w1, w2 = tf.constant(w1v), tf.constant(w2v)
        h = tf.nn.max_pool(tf.nn.relu(tf.nn.conv2d(x, w1, [1, 1, 1, 1], "SAME")),
                           [1, 2, 2, 1], [1, 2, 2, 1], "SAME")
        out = tf.nn.conv2d(h, w2, [1, 2, 2, 1], "SAME")
        g = tf.gradients(tf.reduce_sum(out * out), [w1, w2, x])
        with tf.Session() as sess:
            return [gt.shape.as_list() for gt in g], sess.run(g, {x: xv})

    (open_shapes, open_values), (_, fixed_values) = grads(None), grads(3)
    assert open_shapes == [[3, 3, 1, 4], [3, 3, 4, 2], [None, 6, 6, 1]]
    for a, b in zip(open_values, fixed_values):
        np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-6)


def test_building_a_graph_of_large_matrices_computes_nothing():
    """matmul's static shape comes from its inputs' shapes (a 10,000² product is 10¹² multiplies:
    building this graph took minutes when the shape was found by computing one)."""
    a = tf.placeholder(tf.float32, (10000, 10000))
    p = a
    for _ in range(20):
        p = tf.matmul(a, p)
    assert p.shape.as_list() == [10000, 10000]
    b = tf.placeholder(tf.float32, (7, 1, 3, 4))
    assert tf.matmul(b, tf.placeholder(tf.float32, (5, 4, 2))).shape.as_list() == [7, 5, 3, 2]
    assert tf.matmul(tf.placeholder(tf.float32, (None, 3)),
                     tf.ones((3, 2))).shape.as_list() == [None, 2]
    with pytest.raises(tf.errors.ShapeError if hasattr(tf.errors, "ShapeError") else ValueError,
                       match=r"shapes \(\?, 3\) and \(2, 3\) do not fit"):
        tf.matmul(tf.placeholder(tf.float32, (None, 3)), tf.ones((2, 3)))
