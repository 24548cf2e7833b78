"""A Session's run writes an element-wise step's result into the array of an input only that step
reads (``a *= b`` as a hand-written loop would): the numbers, the fed arrays and every fetched
value stay exactly what they were without it; only the fresh arrays per run go down."""

import tracemalloc

import numpy as np

import teachgrad as tg


def _hinge(n=64, f=5, k=3, seed=0):
    rng = np.random.default_rng(seed)
    data = rng.normal(size=(n, f))
    labels = np.where(rng.random((n, k)) < 0.5, -1.0, 1.0)
    W0, b0 = rng.normal(size=(f, k)) * 0.5, rng.normal(size=k) * 0.1
    return data, labels, W0, b0


def test_values_fed_arrays_and_fetched_intermediates_are_unchanged():
    data, labels, W0, b0 = _hinge()
    x = tg.placeholder(tg.float64, shape=data.shape)
    y = tg.placeholder(tg.float64, shape=labels.shape)
    W, b = tg.Variable(W0), tg.Variable(b0)
    margins = tg.matmul(x, W) + b
    scaled = y * margins
    loss = tg.reduce_mean(tg.maximum(tg.constant(0.0, tg.float64), 1.0 - scaled))
    dW, db = tg.gradients(loss, [W, b])
    data_before, labels_before = data.copy(), labels.copy()
    with tg.Session() as sess:
        sess.run(tg.global_variables_initializer())
        feed = {x: data, y: labels}
        first = sess.run([loss, dW, db], feed)
        again = sess.run([loss, dW, db], feed)
        with_margins = sess.run([loss, margins, scaled, dW], feed)
    # the hinge loss and its gradient, by hand
    m = data @ W0 + b0
    h = 1.0 - labels * m
    g = -labels * (h > 0.0) / h.size
    assert first[0] == np.maximum(h, 0.0).mean()
    np.testing.assert_allclose(first[1], data.T @ g, rtol=1e-12)
    np.testing.assert_allclose(first[2], g.sum(axis=0), rtol=1e-12)
    for a, b_ in zip(first, again):
        np.testing.assert_array_equal(a, b_)
    np.testing.assert_array_equal(with_margins[1], m)          # fetched: never written into
    np.testing.assert_array_equal(with_margins[2], labels * m)
    np.testing.assert_array_equal(with_margins[3], first[1])
    np.testing.assert_array_equal(data, data_before)          # fed arrays are the caller's
    np.testing.assert_array_equal(labels, labels_before)


def test_a_chain_of_elementwise_steps_takes_one_fresh_array():
    """((x·2 + 1)·3 − 4)·x on a fed array of 10⁶ numbers: one 8 MB array for the whole chain
    (it was one per step, with two alive at once)."""
    x = tg.placeholder(tg.float64, shape=(1000, 1000))
    y = (((x * 2.0 + 1.0) * 3.0) - 4.0) * x
    value = np.linspace(-1.0, 1.0, 10**6).reshape(1000, 1000)
    with tg.Session() as sess:
        expected = (((value * 2.0 + 1.0) * 3.0) - 4.0) * value
        np.testing.assert_array_equal(sess.run(y, {x: value}), expected)
        tracemalloc.start()
        try:
            out = sess.run(y, {x: value})
            _, peak = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
    np.testing.assert_array_equal(out, expected)
    assert peak < 1.5 * value.nbytes, f"peak {peak / 2**20:.1f} MiB for one 7.6 MiB result"
