"""``tf.layers.batch_normalization``: variables, the UPDATE_OPS collection, outputs, gradients
and moving averages as TensorFlow 1 gives them (read off ``tensorflow.compat.v1`` with
``TF_USE_LEGACY_KERAS=1``, inputs from ``np.random.RandomState(0)``)."""

import numpy as np
import pytest

import teachgrad as tf

_rng = np.random.RandomState(0)
X2 = _rng.randn(4, 3).astype(np.float32)
X4 = _rng.randn(2, 2, 2, 3).astype(np.float32)
W2 = np.random.RandomState(1).randn(4, 3).astype(np.float32)
W4 = np.random.RandomState(1).randn(2, 2, 2, 3).astype(np.float32)

# TF-1, momentum 0.9 while training: the moving variance takes the plain batch variance for 2-D
# inputs and the Bessel-corrected one for 4-D inputs (TensorFlow's fused kernel)
MOVED = {2: ([0.13414083421230316, 0.056510042399168015, 0.03381286934018135],
             [0.9501810073852539, 0.9603550434112549, 0.9895310401916504]),
         4: ([0.028976507484912872, 0.02168448455631733, -0.028409624472260475],
             [1.038263201713562, 1.0153753757476807, 1.037652850151062])}
TRAINING = {2: ([[0.5960366725921631, -0.21213781833648682, 0.6766499280929565],
                 [1.2685046195983887, 1.675125002861023, -1.3894110918045044]],
                [[1.7631710767745972, 0.3999572992324829, 0.9782490134239197]]),
            4: ([[0.4282876253128052, -0.09467242658138275, 0.6630255579948425],
                 [0.03990434482693672, 1.270559549331665, 0.07189666479825974]],
                [[0.7606574892997742, 0.12161422520875931, 0.4436414837837219]])}
# gamma 1.5, beta 0.25: y, d(sum(y·W))/dx, /dgamma, /dbeta
GRADS = {2: ([[1.1440551280975342, -0.068206787109375, 1.2649749517440796],
              [2.152756690979004, 2.7626874446868896, -1.8341166973114014]],
             [[2.677842140197754, -1.488218903541565, 0.9031982421875],
              [-2.662266731262207, 0.006115555763244629, -1.6913695335388184]],
             [-1.0284466743469238, 1.489081859588623, 0.2628871500492096],
             [2.046818256378174, 0.9545522332191467, -4.570812225341797]),
         4: ([[0.8924314379692078, 0.10799135267734528, 1.2445383071899414],
              [0.30985650420188904, 2.155839443206787, 0.3578450083732605]],
             [[2.041598320007324, -1.212571382522583, 0.18198151886463165],
              [-1.7586508989334106, 0.2505611777305603, -2.2983410358428955]],
             [-1.8633151054382324, 2.9100871086120605, -0.5700682997703552],
             [1.811447262763977, 1.8824756145477295, -4.913025856018066])}


@pytest.mark.parametrize("rank", [2, 4])
def test_training_normalizes_by_the_batch_and_the_update_ops_move_the_averages(rank):
    x = tf.constant(X2 if rank == 2 else X4)
    y = tf.layers.batch_normalization(x, momentum=0.9, training=True)
    z = tf.layers.batch_normalization(x, training=False, name="eval")
    assert [v.name for v in tf.trainable_variables()] == [
        "batch_normalization/gamma:0", "batch_normalization/beta:0", "eval/gamma:0",
        "eval/beta:0"]
    assert [v.name for v in tf.global_variables()][2:4] == [
        "batch_normalization/moving_mean:0", "batch_normalization/moving_variance:0"]
    updates = tf.get_collection(tf.GraphKeys.UPDATE_OPS)
    assert len(updates) == 2
    moving = tf.global_variables()[2:4]
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        before = sess.run(moving)
        np.testing.assert_allclose(sess.run(y).reshape(-1, 3)[:2], TRAINING[rank][0], rtol=1e-5,
                                   atol=1e-6)
        assert [m.tolist() for m in sess.run(moving)] == [m.tolist() for m in before]
        sess.run(updates)
        for got, want in zip(sess.run(moving), MOVED[rank]):
            np.testing.assert_allclose(got, want, rtol=1e-6)
        # not training: the moving averages (of `eval`, never updated: 0 and 1)
        np.testing.assert_allclose(sess.run(z).reshape(-1, 3)[:1], TRAINING[rank][1],
                                   rtol=1e-5)


@pytest.mark.parametrize("rank", [2, 4])
def test_gradients_through_batch_statistics_are_tensorflows(rank):
    x = tf.constant(X2 if rank == 2 else X4)
    y = tf.layers.batch_normalization(x, training=True,
                                      gamma_initializer=tf.constant_initializer(1.5),
                                      beta_initializer=tf.constant_initializer(0.25))
    gx, ggamma, gbeta = tf.gradients(tf.reduce_sum(y * (W2 if rank == 2 else W4)),
                                     [x] + tf.trainable_variables())
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        got = sess.run([y, gx, ggamma, gbeta])
    want = GRADS[rank]
    np.testing.assert_allclose(got[0].reshape(-1, 3)[:2], want[0], rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(got[1].reshape(-1, 3)[:2], want[1], rtol=1e-4, atol=2e-5)
    np.testing.assert_allclose(got[2], want[2], rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(got[3], want[3], rtol=1e-6)


def test_a_training_flag_fed_at_run_time_chooses_the_statistics_and_the_update():
    x = tf.placeholder(tf.float32, (None, 3))
    training = tf.placeholder(tf.bool, ())
    y = tf.layers.batch_normalization(x, momentum=0.9, training=training)
    updates = tf.get_collection(tf.GraphKeys.UPDATE_OPS)
    mean = tf.global_variables()[2]
    with tf.control_dependencies(updates):
        step = tf.identity(y)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        sess.run(step, {x: X2, training: False})
        assert sess.run(mean).tolist() == [0.0, 0.0, 0.0]          # not training: unmoved
        np.testing.assert_allclose(sess.run(y, {x: X2, training: False}), X2 / np.sqrt(1.001),
                                   rtol=1e-6)
        got = sess.run(step, {x: X2, training: True})
        np.testing.assert_allclose(got[:2], TRAINING[2][0], rtol=1e-5, atol=1e-6)
        np.testing.assert_allclose(sess.run(mean), MOVED[2][0], rtol=1e-6)


def test_a_small_network_with_batch_norm_trains():
    rng = np.random.default_rng(0)
    data = rng.normal(size=(64, 5)).astype(np.float32) * 10 + 3
    labels = (data[:, :1] - 3 > 0).astype(np.float32)
    x = tf.placeholder(tf.float32, (None, 5))
    t = tf.placeholder(tf.float32, (None, 1))
    h = tf.layers.batch_normalization(tf.layers.dense(x, 8), training=True)
    logits = tf.layers.dense(tf.nn.relu(h), 1)
    loss = tf.reduce_mean(tf.nn.sigmoid_cross_entropy_with_logits(labels=t, logits=logits))
    with tf.control_dependencies(tf.get_collection(tf.GraphKeys.UPDATE_OPS)):
        step = tf.train.AdamOptimizer(0.05).minimize(loss)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        first = sess.run(loss, {x: data, t: labels})
        for _ in range(100):
            sess.run(step, {x: data, t: labels})
        assert sess.run(loss, {x: data, t: labels}) < first / 4


def test_settings_not_computed_here_are_one_clear_error():
    with pytest.raises(ValueError, match="renorm"):
        tf.layers.batch_normalization(tf.ones((2, 3)), renorm=True)
    with pytest.raises(ValueError, match="must be known"):
        tf.layers.batch_normalization(tf.placeholder(tf.float32, (None, None)))
