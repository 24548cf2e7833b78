"""conv2d, max_pool and avg_pool against their definitions, at the geometries the plain cases miss.

Each value is checked against a loop written from TensorFlow's documentation (window by window,
padding never counted), and a few against the numbers tensorflow.compat.v1 gives (written in here);
each derivative, to order 2, against finite differences (``tg.testing.check_grads``). The
geometries are the ones where a slip in the ops' index arithmetic shows: strides that differ
between height and width, filters and windows that are not square, an odd total padding on one
axis and none on the other, one input or one output channel (the ops' broadcast fast paths), a
batch of two, integer and float32 inputs.
"""

import numpy as np
import pytest

import teachgrad as tg
from teachgrad.errors import ShapeError
from teachgrad.testing import check_grads


def _geometry(size, k, s, padding):
    """(output length, padding before) along one axis, as TensorFlow 1 documents it."""
    if padding == "VALID":
        return (size - k) // s + 1, 0
    out = -(-size // s)
    return out, max((out - 1) * s + k - size, 0) // 2      # the odd pixel goes at the end


def conv_loop(x, w, strides, padding):
    """out[n, y, x, o] = Σ_{i, j, c} input[n, y·sh + i − top, x·sw + j − left, c] · w[i, j, c, o]."""
    n, h, wd, _ = x.shape
    kh, kw, _, c_out = w.shape
    (ho, top), (wo, left) = _geometry(h, kh, strides[0], padding), _geometry(wd, kw, strides[1],
                                                                               padding)
    out = np.zeros((n, ho, wo, c_out))
    for r in range(ho):
        for q in range(wo):
            for i in range(kh):
                for j in range(kw):
                    y, z = r * strides[0] + i - top, q * strides[1] + j - left
                    if 0 <= y < h and 0 <= z < wd:
                        out[:, r, q] += x[:, y, z] @ w[i, j]
    return out


def pool_loop(x, ksize, strides, padding, reduce):
    """Each window's max or mean over its real (unpadded) elements."""
    n, h, wd, c = x.shape
    (ho, top), (wo, left) = (_geometry(h, ksize[0], strides[0], padding),
                             _geometry(wd, ksize[1], strides[1], padding))
    out = np.zeros((n, ho, wo, c), dtype=np.float64)
    for r in range(ho):
        for q in range(wo):
            rows = slice(max(r * strides[0] - top, 0), min(r * strides[0] - top + ksize[0], h))
            cols = slice(max(q * strides[1] - left, 0), min(q * strides[1] - left + ksize[1], wd))
            out[:, r, q, :] = reduce(x[:, rows, cols, :], axis=(1, 2))
    return out


def distinct(rng, shape):
    """Well-separated values: no window meets a tie, so a max is differentiable."""
    return rng.permutation(int(np.prod(shape))).reshape(shape) * 0.37 - 2.0


# input shape, filter shape, (sh, sw), padding
CONV_GEOMETRIES = [
    ((2, 5, 7, 2), (2, 3, 2, 3), (2, 3), "SAME"),    # odd total padding on H, even on W
    ((1, 7, 5, 3), (3, 2, 3, 2), (3, 1), "SAME"),
    ((2, 6, 7, 2), (3, 2, 2, 2), (1, 2), "VALID"),
    ((1, 5, 6, 1), (2, 3, 1, 3), (2, 1), "SAME"),    # one input channel: broadcast multiply
    ((2, 6, 5, 3), (3, 2, 3, 1), (1, 2), "SAME"),    # one output channel
    ((1, 4, 6, 2), (1, 4, 2, 2), (1, 1), "SAME"),    # padding on W only
    ((1, 6, 4, 2), (4, 1, 2, 2), (2, 1), "SAME"),    # padding on H only
    ((1, 6, 7, 2), (1, 2, 2, 2), (2, 3), "SAME"),    # a filter shorter than its stride on H
]


@pytest.mark.parametrize("x_shape, w_shape, strides, padding", CONV_GEOMETRIES)
def test_conv2d_value_at_uneven_strides_and_padding(x_shape, w_shape, strides, padding):
    rng = np.random.default_rng(sum(x_shape) * 7 + sum(w_shape))
    x, w = rng.normal(size=x_shape), rng.normal(size=w_shape)
    got = tg.nn.conv2d(x, w, strides=[1, *strides, 1], padding=padding)
    expected = conv_loop(x, w, strides, padding)
    assert tuple(got.shape) == expected.shape
    assert got.dtype == tg.float64
    np.testing.assert_allclose(got.numpy(), expected, rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("x_shape, w_shape, strides, padding", CONV_GEOMETRIES)
def test_conv2d_derivatives_at_uneven_strides_and_padding(x_shape, w_shape, strides, padding):
    """Order 2: the backward convolutions' own rules (adjoints of adjoints) run too."""
    rng = np.random.default_rng(sum(x_shape) * 11 + sum(w_shape))
    x, w = rng.normal(size=x_shape), rng.normal(size=w_shape)
    check_grads(lambda a, b: tg.nn.conv2d(a, b, strides=[1, *strides, 1], padding=padding),
                (x, w), order=2, modes=("fwd", "rev", "gradients"), seed=1)


def test_conv2d_matches_tensorflow_with_strides_2_by_3():
    """tf.nn.conv2d(arange(35).reshape(1, 5, 7, 1), ones((2, 3, 1, 2)), [1, 2, 3, 1], 'SAME'),
    read off tensorflow.compat.v1: float32, shape (1, 3, 3, 2)."""
    x = np.arange(35, dtype=np.float32).reshape(1, 5, 7, 1)
    y = tg.nn.conv2d(x, np.ones((2, 3, 1, 2), np.float32), [1, 2, 3, 1], "SAME")
    assert y.dtype == tg.float32 and tuple(y.shape) == (1, 3, 3, 2)
    expected = [[16.0, 39.0, 36.0], [72.0, 123.0, 92.0], [57.0, 93.0, 67.0]]
    for o in range(2):
        np.testing.assert_array_equal(y.numpy()[0, :, :, o], expected)


def test_conv2d_gradients_match_tensorflow_with_strides_2_by_3():
    """The two gradients of Σ conv2d(x, w) · weights, as tensorflow.compat.v1 gives them."""
    x = np.arange(35, dtype=np.float32).reshape(1, 5, 7, 1)
    w = np.arange(6, dtype=np.float32).reshape(2, 3, 1, 1)
    weights = np.arange(1, 10, dtype=np.float32).reshape(1, 3, 3, 1)
    xt, wt = tg.constant(x), tg.constant(w)
    y = tg.nn.conv2d(xt, wt, [1, 2, 3, 1], "SAME")
    gx, gw = tg.gradients(tg.reduce_sum(y * weights), [xt, wt])
    with tg.Session() as sess:
        gx, gw = sess.run([gx, gw])
    assert gx.dtype == np.float32 and gw.dtype == np.float32
    np.testing.assert_array_equal(gx[0, :, :, 0], [
        [1, 2, 0, 2, 4, 0, 3], [4, 5, 6, 8, 10, 9, 12], [4, 8, 0, 5, 10, 0, 6],
        [16, 20, 15, 20, 25, 18, 24], [7, 14, 0, 8, 16, 0, 9]])
    np.testing.assert_array_equal(gw[:, :, 0, 0], [[750, 1035, 618], [325, 432, 243]])


def test_conv2d_gradient_by_an_input_of_open_batch_size():
    """A placeholder's batch of None: the gradient takes the batch fed (TF-1 does the same)."""
    x = tg.placeholder(tg.float32, (None, 3, 4, 1))
    w = tg.constant(np.arange(1, 5, dtype=np.float32).reshape(2, 2, 1, 1))
    gx = tg.gradients(tg.nn.conv2d(x, w, [1, 1, 2, 1], "SAME"), x)[0]
    assert gx.shape.as_list() == [None, 3, 4, 1]
    with tg.Session() as sess:
        got = sess.run(gx, {x: np.zeros((2, 3, 4, 1))})
    assert got.shape == (2, 3, 4, 1) and got.dtype == np.float32
    for b in range(2):
        np.testing.assert_array_equal(got[b, :, :, 0], [[1, 2, 1, 2], [4, 6, 4, 6], [4, 6, 4, 6]])


def test_conv2d_gradient_refuses_an_input_of_unknown_height():
    x = tg.placeholder(tg.float32, (1, None, 4, 1))
    y = tg.nn.conv2d(x, np.ones((2, 2, 1, 1), np.float32), 1, "SAME")
    with pytest.raises(ShapeError) as e:
        tg.gradients(y, x)
    assert str(e.value) == ("conv2d's gradient by its input needs the input's height, width and "
                            "channels known when the graph is built, got (1, ?, 4, 1)")


def test_conv2d_refuses_a_filter_tensor_of_another_dtype():
    """TF-1: TypeError "Input 'filter' of 'Conv2D' Op has type float64 that does not match type
    float32 of argument 'input'." (teachgrad gave a float64 result)."""
    x = tg.constant(np.ones((1, 3, 3, 1), np.float32))
    w = tg.constant(np.ones((2, 2, 1, 1)))
    with pytest.raises(TypeError) as e:
        tg.nn.conv2d(x, w, 1, "SAME")
    assert str(e.value) == ("conv2d: input 1 has dtype float64 that does not match dtype float32 "
                            "of input 0; TensorFlow 1 never converts between tensor dtypes: use "
                            "tg.cast(x, tg.float32)")
    assert tg.nn.conv2d(x, np.ones((2, 2, 1, 1)), 1, "SAME").dtype == tg.float32   # converted


# ------------------------------------------------------------------------------------------------
# max_pool and avg_pool
# ------------------------------------------------------------------------------------------------

# input shape, (kh, kw), (sh, sw), padding
POOL_GEOMETRIES = [
    ((2, 5, 7, 2), (2, 3), (2, 3), "SAME"),
    ((1, 7, 5, 3), (3, 2), (3, 1), "SAME"),
    ((2, 6, 7, 1), (3, 2), (1, 2), "VALID"),
    ((1, 4, 6, 2), (1, 4), (1, 1), "SAME"),     # padding on W only
    ((1, 6, 4, 2), (4, 1), (2, 1), "SAME"),     # padding on H only
    ((1, 5, 5, 1), (2, 2), (1, 1), "SAME"),     # overlapping windows, padding at the end only
    ((1, 6, 7, 2), (1, 2), (2, 3), "SAME"),     # a window shorter than its stride on H
]


@pytest.mark.parametrize("x_shape, ksize, strides, padding", POOL_GEOMETRIES)
@pytest.mark.parametrize("name, reduce", [("max_pool", np.max), ("avg_pool", np.mean)])
def test_pool_value_at_uneven_windows_and_padding(x_shape, ksize, strides, padding, name, reduce):
    rng = np.random.default_rng(sum(x_shape) + sum(ksize))
    x = distinct(rng, x_shape)
    got = getattr(tg.nn, name)(x, [1, *ksize, 1], [1, *strides, 1], padding)
    expected = pool_loop(x, ksize, strides, padding, reduce)
    assert tuple(got.shape) == expected.shape and got.dtype == tg.float64
    np.testing.assert_allclose(got.numpy(), expected, rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("x_shape, ksize, strides, padding", POOL_GEOMETRIES)
@pytest.mark.parametrize("name", ["max_pool", "avg_pool"])
def test_pool_derivatives_at_uneven_windows_and_padding(x_shape, ksize, strides, padding, name):
    """Order 2: max_pool_grad / max_pool_select and avg_pool_grad's own rules run too."""
    rng = np.random.default_rng(sum(x_shape) * 3 + sum(ksize))
    x = distinct(rng, x_shape)
    pool = getattr(tg.nn, name)
    check_grads(lambda a: pool(a, [1, *ksize, 1], [1, *strides, 1], padding), (x,), order=2,
                modes=("fwd", "rev", "gradients"), seed=2)


def test_max_pool_of_negative_integers_with_same_padding_matches_tensorflow():
    """Padding never wins a max, for integers too (padded with the dtype's least value):
    tf.nn.max_pool(-arange(1, 26, int32).reshape(1, 5, 5, 1), 2, 2, 'SAME') in TF-1."""
    x = -np.arange(1, 26, dtype=np.int32).reshape(1, 5, 5, 1)
    for dtype in (np.int32, np.int64, np.float32):
        y = tg.nn.max_pool(x.astype(dtype), 2, 2, "SAME")
        assert y.dtype == tg.as_dtype(dtype)
        got = y.numpy()
        assert got.dtype == dtype
        np.testing.assert_array_equal(got[0, :, :, 0], [[-1, -3, -5], [-11, -13, -15],
                                                        [-21, -23, -25]])


def test_avg_pool_float32_with_uneven_windows_matches_tensorflow():
    """tf.nn.avg_pool(-arange(1, 26, float32).reshape(1, 5, 5, 1), [1, 2, 3, 1], [1, 2, 1, 1],
    'SAME') in TF-1: float32, shape (1, 3, 5, 1)."""
    x = -np.arange(1, 26, dtype=np.float32).reshape(1, 5, 5, 1)
    y = tg.nn.avg_pool(x, [1, 2, 3, 1], [1, 2, 1, 1], "SAME")
    assert y.dtype == tg.float32 and tuple(y.shape) == (1, 3, 5, 1)
    assert y.numpy().dtype == np.float32
    np.testing.assert_allclose(y.numpy()[0, :, :, 0], [
        [-4.0, -4.5, -5.5, -6.5, -7.0], [-14.0, -14.5, -15.5, -16.5, -17.0],
        [-21.5, -22.0, -23.0, -24.0, -24.5]], rtol=1e-7)


def test_pool_gradients_in_float32_stay_float32():
    x = tg.constant(np.arange(16, dtype=np.float32).reshape(1, 4, 4, 1))
    for pool in (tg.nn.max_pool, tg.nn.avg_pool):
        g = tg.gradients(pool(x, 2, 2, "SAME"), x)[0]
        assert g.dtype == tg.float32
        with tg.Session() as sess:
            assert sess.run(g).dtype == np.float32


def test_max_pool_gradient_goes_to_the_first_maximum_of_a_tied_window_with_padding():
    """All equal: each window's first element (row by row) takes its cotangent; windows of the
    SAME padding that start on the last row or column take theirs at their one real element."""
    x = tg.constant(np.ones((1, 3, 3, 1)))
    weights = np.arange(1, 5, dtype=np.float64).reshape(1, 2, 2, 1)
    g = tg.gradients(tg.reduce_sum(tg.nn.max_pool(x, 2, 2, "SAME") * weights), x)[0]
    with tg.Session() as sess:
        np.testing.assert_array_equal(sess.run(g)[0, :, :, 0], [[1, 0, 2], [0, 0, 0], [3, 0, 4]])


def test_max_pool_tangent_reads_each_windows_first_maximum():
    """Forward mode: the tangent of each output is the tangent of its window's maximum."""
    x = np.array([[5.0, 1.0, 2.0], [0.0, 3.0, 7.0], [4.0, 6.0, 8.0]]).reshape(1, 3, 3, 1)
    t = np.arange(10.0, 19.0).reshape(1, 3, 3, 1)
    _, y_dot = tg.jvp(lambda a: tg.nn.max_pool(a, 2, 1, "SAME"), (x,), (t,))
    # maxima: 5 (t 10), 7 (t 15), 7 (t 15) / 6 (t 17), 8 (t 18), 8 / 6, 8, 8
    np.testing.assert_array_equal(y_dot.numpy()[0, :, :, 0], [[10, 15, 15], [17, 18, 18],
                                                              [17, 18, 18]])
