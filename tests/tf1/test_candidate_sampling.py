"""``tf.nn.nce_loss``, ``tf.nn.sampled_softmax_loss`` and the candidate samplers: the numbers
TensorFlow 1 gives (read off ``tensorflow.compat.v1``), and word2vec's loss trains."""

import numpy as np
import pytest

import teachgrad as tf


def _problem():
    W = tf.constant(np.arange(20, dtype=np.float32).reshape(5, 4) / 10)
    b = tf.constant(np.array([0.1, -0.2, 0.3, 0.0, 0.5], np.float32))
    x = tf.constant(np.array([[1, 0, -1, 2], [0.5, 0.5, 0.5, 0.5], [-1, 1, 0, 0]], np.float32))
    labels = tf.constant([[1], [4], [2]], tf.int32)
    given = (tf.constant([2, 0, 3], tf.int64), tf.constant([[0.3], [0.1], [0.2]], tf.float32),
             tf.constant([0.2, 0.5, 0.25], tf.float32))
    return W, b, x, labels, given


def test_nce_and_sampled_softmax_losses_and_gradients_are_tensorflows():
    W, b, x, labels, given = _problem()
    nce = tf.nn.nce_loss(W, b, labels, x, num_sampled=3, num_classes=5, sampled_values=given)
    nce_hits = tf.nn.nce_loss(W, b, labels, x, num_sampled=3, num_classes=5,
                              sampled_values=given, remove_accidental_hits=True)
    soft = tf.nn.sampled_softmax_loss(W, b, labels, x, num_sampled=3, num_classes=5,
                                      sampled_values=given)
    soft_all = tf.nn.sampled_softmax_loss(W, b, labels, x, num_sampled=3, num_classes=5,
                                          sampled_values=given, remove_accidental_hits=False)
    two = tf.nn.nce_loss(W, b, tf.constant([[1, 2], [4, 0], [2, 2]], tf.int64), x,
                         num_sampled=3, num_classes=5, num_true=2,
                         sampled_values=(given[0], tf.constant([[0.3, 0.1], [0.1, 0.4],
                                                                [0.2, 0.2]]), given[2]))
    gW, gx = tf.gradients(tf.reduce_sum(nce) + tf.reduce_sum(soft), [W, x])
    assert nce.shape.as_list() == [3] and nce.dtype == tf.float32
    with tf.Session() as sess:
        values = sess.run([nce, nce_hits, soft, soft_all, two, gW, gx])
    expected = [
        [9.693382, 9.31834, 5.1875615], [9.693382, 9.31834, 3.052316],
        [2.648119, 0.1799245, 0.65240157], [2.648119, 0.1799245, 1.0716338],
        [13.106636, 13.36532, 7.3228073],
        [[0.2897374, 1.2568644, -0.4162938, 1.9628956], [-1.0286101, 0., 1.0286101, -2.0572202],
         [1.6092523, 0.8080423, -0.84625506, 3.2635493],
         [0.9119858, 1.6614411, -0.96161973, 3.5350466],
         [-0.08324745, -0.08324745, -0.08324745, -0.08324745]],
        [[2.4831705, 2.7464979, 3.0098257, 3.2731533], [1.8609418, 2.1318357, 2.40273, 2.673624],
         [1.5764965, 1.8053591, 2.0342221, 2.2630856]]]
    for got, want in zip(values, expected):
        np.testing.assert_allclose(got, want, rtol=2e-6, atol=1e-6)


def test_the_samplers_expected_counts_are_tensorflows():
    sampled, true_count, sampled_count = tf.nn.log_uniform_candidate_sampler(
        true_classes=tf.constant([[0], [3]], tf.int64), num_true=1, num_sampled=4, unique=False,
        range_max=10, seed=1)
    assert sampled.shape.as_list() == [4] and sampled.dtype == tf.int64
    assert true_count.shape.as_list() == [2, 1] and sampled_count.dtype == tf.float32
    with tf.Session() as sess:
        ids, counts, drawn_counts = sess.run([sampled, true_count, sampled_count])
    # without `unique`, a class's expected count is P(class) · num_sampled
    np.testing.assert_allclose(counts, [[1.1562593], [0.37223235]], rtol=1e-6)
    zipf = np.log((ids + 2.0) / (ids + 1.0)) / np.log(11.0)
    np.testing.assert_allclose(drawn_counts, zipf * 4, rtol=1e-6)


def test_unique_samples_are_distinct_and_counted_from_the_number_of_draws():
    sampled, true_count, sampled_count = tf.nn.uniform_candidate_sampler(
        true_classes=tf.constant([[0, 2], [3, 9]], tf.int64), num_true=2, num_sampled=3,
        unique=True, range_max=10, seed=1)
    zipf_ids, _, zipf_counts = tf.nn.log_uniform_candidate_sampler(
        [[0]], num_true=1, num_sampled=6, unique=True, range_max=10, seed=2)
    with tf.Session() as sess:
        for _ in range(5):
            ids, counts, drawn = sess.run([sampled, true_count, sampled_count])
            assert len(set(ids.tolist())) == 3 and ids.min() >= 0 and ids.max() < 10
            # every class has p = 1/10; a count of 1 − 0.9^tries, the same for all (TF: 0.3439
            # after 4 draws)
            tries = np.log1p(-counts[0, 0]) / np.log(0.9)
            assert round(tries) >= 3 and abs(tries - round(tries)) < 1e-4
            np.testing.assert_allclose(drawn, counts[0, 0], rtol=1e-6)
            ids, counts = sess.run([zipf_ids, zipf_counts])
            assert len(set(ids.tolist())) == 6
            p = np.log((ids + 2.0) / (ids + 1.0)) / np.log(11.0)
            tries = np.log1p(-counts) / np.log1p(-p)
            np.testing.assert_allclose(tries, tries[0], rtol=1e-4)


def test_the_log_uniform_sampler_draws_small_ids_most_as_zipf():
    sampled, _, _ = tf.nn.log_uniform_candidate_sampler(
        [[0]], num_true=1, num_sampled=20000, unique=False, range_max=5, seed=3)
    with tf.Session() as sess:
        ids = sess.run(sampled)
    freq = np.bincount(ids, minlength=5) / ids.size
    np.testing.assert_allclose(freq, np.log((np.arange(5) + 2) / (np.arange(5) + 1)) / np.log(6),
                               atol=0.01)


def test_word2vec_trains_with_nce_loss():
    rng = np.random.default_rng(0)
    vocabulary, dim = 50, 8
    centre = tf.placeholder(tf.int32, (None,))
    context = tf.placeholder(tf.int32, (None, 1))
    embeddings = tf.Variable(tf.random_uniform([vocabulary, dim], -1.0, 1.0, seed=1))
    nce_w = tf.Variable(tf.truncated_normal([vocabulary, dim], stddev=0.3, seed=2))
    nce_b = tf.Variable(tf.zeros([vocabulary]))
    loss = tf.reduce_mean(tf.nn.nce_loss(nce_w, nce_b, context,
                                         tf.nn.embedding_lookup(embeddings, centre),
                                         num_sampled=8, num_classes=vocabulary))
    step = tf.train.GradientDescentOptimizer(0.5).minimize(loss)
    words = rng.integers(0, vocabulary, size=256)
    feed = {centre: words, context: ((words + 1) % vocabulary)[:, None]}   # next word follows
    tf.set_random_seed(0)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        first = np.mean([sess.run(loss, feed) for _ in range(10)])
        for _ in range(300):
            sess.run(step, feed)
        last = np.mean([sess.run(loss, feed) for _ in range(10)])
    assert last < first / 2


@pytest.mark.parametrize("call, error, words", [
    (lambda: tf.nn.log_uniform_candidate_sampler([[0]], 1, 11, True, 10), ValueError,
     "range is too small"),
    (lambda: tf.nn.uniform_candidate_sampler([[0.5]], 1, 2, True, 10), TypeError, "integer"),
    (lambda: tf.nn.nce_loss(tf.zeros([5, 4]), tf.zeros([5]), [[1]], tf.zeros([4]), 2, 5),
     ValueError, "inputs of shape"),
])
def test_bad_arguments_are_one_clear_error(call, error, words):
    with pytest.raises(error, match=words):
        call()
