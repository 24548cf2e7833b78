"""ops/structural.py and ops/runtime_shapes.py (issue 27: the ops_structural mutants): values
against NumPy and TensorFlow 1's (read off ``tensorflow.compat.v1`` and written in), gradients
against finite differences, static shapes with unknown sizes, dtypes and errors as TF-1 gives them.
"""

import numpy as np
import pytest

import teachgrad as tg
from teachgrad.errors import ShapeError
from teachgrad.testing import check_grads


def run(fetches, feed=None):
    with tg.Session() as sess:
        return sess.run(fetches, feed)


# ------------------------------------------------------------------------------------------------
# reduce_mean of integers: TensorFlow 1's integer mean (rounded towards zero, in the input's dtype)
# ------------------------------------------------------------------------------------------------

INTS = np.array([[-7, 2, 1], [3, 4, 6]])


@pytest.mark.parametrize("dtype, axis, keepdims, expected", [
    # (TF-1: tf.reduce_mean(tf.constant(INTS, dtype), axis, keepdims))
    (np.int32, None, False, 1),
    (np.int32, 1, False, [-1, 4]),                  # −4/3 rounds towards 0
    (np.int32, 0, True, [[-2, 3, 3]]),
    (np.int64, -1, False, [-1, 4]),
    (np.int16, (0, 1), False, 1),
    (np.int8, 0, False, [-2, 3, 3]),
])
def test_the_integer_mean_rounds_towards_zero_in_the_inputs_dtype(dtype, axis, keepdims,
                                                                  expected):
    got = tg.reduce_mean(tg.constant(INTS.astype(dtype)), axis=axis, keepdims=keepdims).numpy()
    np.testing.assert_array_equal(got, expected)
    assert got.dtype == dtype and got.shape == np.shape(expected)


def test_the_integer_mean_of_negative_numbers_and_of_unsigned_ones():
    # TF-1: [-1, -2] → -1 (towards zero, not -2); uint8 [200, 100] → 150 (no wrap at 256);
    # int32 [2**30] * 3 → 2**30 (the sum does not overflow)
    for values, dtype, mean in [([-1, -2], np.int32, -1), ([200, 100], np.uint8, 150),
                                ([2 ** 30] * 3, np.int32, 2 ** 30), ([7, 8], np.uint16, 7),
                                ([-5], np.int32, -5)]:
        got = tg.reduce_mean(tg.constant(np.array(values, dtype))).numpy()
        assert got == mean and got.dtype == dtype, (values, dtype, got)


def test_the_integer_mean_of_large_numbers_is_exact():
    # TF-1: int64 [2**61 + 1] * 2 → 2**61 + 1 (a float division would round it to 2**61);
    # uint64 [2**62 + 1, 2**62 + 3] → 2**62 + 2; int8 [100, 100] → 100 (no wrap in the sum)
    for values, dtype, mean in [([2 ** 61 + 1] * 2, np.int64, 2 ** 61 + 1),
                                ([-(2 ** 61) - 1] * 2, np.int64, -(2 ** 61) - 1),
                                ([2 ** 62 + 1, 2 ** 62 + 3], np.uint64, 2 ** 62 + 2),
                                ([2 ** 63 + 2, 2 ** 63], np.uint64, 1),   # (wraps, as TF-1)
                                ([100, 100], np.int8, 100)]:
        got = tg.reduce_mean(tg.constant(np.array(values, dtype))).numpy()
        assert int(got) == mean and got.dtype == dtype, (values, got)


def test_reduce_mean_defaults_and_its_empty_error():
    x = tg.constant([[1.0, 2.0], [3.0, 5.0]])
    assert tg.reduce_mean(x).numpy() == 2.75 and tg.reduce_mean(x).shape == ()
    assert tg.reduce_mean(tg.constant([[1, 2], [3, 5]])).numpy() == 2
    np.testing.assert_array_equal(tg.reduce_mean(x, axis=[-1, 0], keepdims=True).numpy(),
                                  [[2.75]])
    with pytest.raises(ShapeError, match=r"^reduce_mean of an empty tensor: expected at least "
                                         r"one element$"):
        tg.reduce_mean(tg.zeros((0, 3)))


def test_the_ops_own_defaults_reduce_every_axis_and_drop_them():
    # the op called bare (a rule calls it so): every axis, no kept dimensions
    from teachgrad import ops
    x = tg.constant([[1.0, 2.0], [3.0, 6.0]])
    for op, value in [(ops.reduce_mean, 3.0), (ops.reduce_sum, 12.0), (ops.reduce_max, 6.0)]:
        y = op(x)
        assert y.shape == () and y.numpy() == value, op.name
    # and along an axis, without keepdims: the derivative puts the axis back (rows, not columns)
    x = tg.constant(np.arange(9.0).reshape(3, 3), tg.float64)
    w = tg.constant([1.0, 2.0, 3.0], tg.float64)
    for op, slope in [(ops.reduce_mean, np.full((3, 3), 1 / 3)), (ops.reduce_sum, np.ones((3, 3))),
                      (ops.reduce_max, np.eye(3)[[2, 2, 2]])]:
        (g,) = tg.gradients(op(x, axis=1), x, grad_ys=w)
        np.testing.assert_allclose(g.numpy(), slope * np.array([[1.0], [2.0], [3.0]]),
                                   err_msg=op.name)


# ------------------------------------------------------------------------------------------------
# Static shapes of shapes computed from tg.shape (TF-1's shapes, read off tensorflow.compat.v1)
# ------------------------------------------------------------------------------------------------

def test_static_shapes_of_shape_size_rank_and_where_of_an_unknown_rank_are_tf1s():
    # TF-1: (?,), (), (), (?, ?) — and a size read from tg.shape(u) is a scalar (a bug found by
    # the mutants: all four were <unknown>)
    with tg.Graph().as_default():
        u = tg.placeholder(tg.float32, None)
        assert tg.shape(u).shape.as_list() == [None] and tg.shape(u).dtype == tg.int32
        assert tg.shape(u, out_type=tg.int64).dtype == tg.int64
        assert tg.size(u).shape.as_list() == [] and tg.size(u).dtype == tg.int32
        assert tg.size(u, out_type=tg.int64).dtype == tg.int64
        assert tg.rank(u).shape.as_list() == [] and tg.rank(u).dtype == tg.int32
        w = tg.where(u > 0)
        assert w.shape.as_list() == [None, None] and w.dtype == tg.int64
        assert tg.shape(u)[0].shape.as_list() == []
        assert tg.fill(tg.stack([tg.shape(u)[0], 2]), 1.0).shape.as_list() == [None, 2]
        v = tg.placeholder(tg.float32, (None, 3))
        assert tg.shape(v).shape.as_list() == [2] and tg.where(v > 0).shape.as_list() == [None, 2]
        got = run([tg.shape(u), tg.size(u), tg.rank(u), w], {u: [[1.0, -1.0, 2.0]]})
    assert got[0].tolist() == [1, 3] and got[1] == 3 and got[2] == 2
    assert got[3].tolist() == [[0, 0], [0, 2]]


def test_static_shapes_made_from_tf_shape_are_tf1s():
    with tg.Graph().as_default():
        x = tg.placeholder(tg.float32, (5, None, 3))
        s = tg.shape(x)
        assert tg.fill(tg.stack([s[0], 4]), 1.0).shape.as_list() == [5, 4]
        assert tg.fill(tg.stack([s[1], s[2]]), 1.0).shape.as_list() == [None, 3]
        assert tg.fill(tg.stack([s[-1], s[-3]]), 1.0).shape.as_list() == [3, 5]
        assert tg.reshape(x, tg.stack([s[0], -1])).shape.as_list() == [5, None]
        assert tg.reshape(x, s[:2]).shape.as_list() == [5, None]
        assert tg.reshape(x, s[1:]).shape.as_list() == [None, 3]
        assert tg.fill(s, 2.0).shape.as_list() == [5, None, 3]
        assert tg.zeros(tg.stack([s[0], 2, 7])).shape.as_list() == [5, 2, 7]
        assert tg.fill(tg.placeholder(tg.int32, (None,)), 1.0).shape.ndims is None
        z = tg.placeholder(tg.int32, (3,))
        assert tg.fill(z, 1.0).shape.as_list() == [None] * 3
        assert tg.reshape(x, z).shape.as_list() == [None] * 3
        assert tg.fill(tg.stack([z[0], 2]), 1.0).shape.as_list() == [None, 2]
        assert tg.fill(tg.placeholder(tg.int32, None), 1.0).shape.ndims is None
        assert tg.zeros(tg.stack([s[0], 0])).shape.as_list() == [5, 0]
        assert tg.zeros(tg.stack([s[0], 1])).shape.as_list() == [5, 1]
        assert tg.zeros(tg.stack([s[0], tg.constant(-1)])).shape.as_list() == [5, None]
        # and the values, once fed
        got = run([tg.fill(tg.stack([s[1], s[2]]), 1.0), tg.reshape(x, tg.stack([s[0], -1]))],
                  {x: np.arange(30.0).reshape(5, 2, 3)})
        np.testing.assert_array_equal(got[0], np.ones((2, 3)))
        np.testing.assert_array_equal(got[1], np.arange(30.0).reshape(5, 6))


# ------------------------------------------------------------------------------------------------
# Derivatives through sizes known only at run time (first and second order, in a Session)
# ------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("axis", [0, 1, -1])
def test_concat_of_pieces_of_unknown_sizes_first_and_second_derivatives(axis):
    rng = np.random.default_rng(1)
    sizes = [2, 1, 3]
    shape = (lambda n: (n, 2)) if axis == 0 else (lambda n: (2, n))
    values = [rng.normal(size=shape(n)) for n in sizes]
    with tg.Graph().as_default():
        xs = [tg.placeholder(tg.float64, (None, 2) if axis == 0 else (2, None)) for _ in sizes]
        w = tg.placeholder(tg.float64, (None, None))
        out = tg.concat(xs, axis=axis)
        assert out.shape.as_list() == ([None, 2] if axis == 0 else [2, None])
        loss = tg.reduce_sum(out ** 3 * w)
        firsts = tg.gradients(loss, xs)
        v = [rng.normal(size=shape(n)) for n in sizes]
        seconds = tg.gradients(tg.add_n([tg.reduce_sum(f * c) for f, c in zip(firsts, v)]), xs)
        weights = rng.normal(size=np.concatenate(values, axis=axis).shape)
        feed = {**dict(zip(xs, values)), w: weights}
        got_first, got_second = run([firsts, seconds], feed)
    parts = np.split(weights, np.cumsum(sizes)[:-1], axis=axis)
    for x, wp, c, g1, g2 in zip(values, parts, v, got_first, got_second):
        np.testing.assert_allclose(g1, 3 * x ** 2 * wp, rtol=1e-12)
        np.testing.assert_allclose(g2, 6 * x * wp * c, rtol=1e-12)


def test_concat_of_pieces_of_unknown_sizes_in_forward_mode():
    x = np.array([[1.0, 2.0]]); y = np.array([[3.0, 4.0], [5.0, 6.0]])
    check_grads(lambda a, b: tg.concat([a, b], axis=0) ** 2, (x, y), order=2,
                modes=("fwd", "rev"))


@pytest.mark.parametrize("shape_a, shape_b, spec_a, spec_b", [
    ((2, 4, 3), (3,), (None, None, 3), (3,)),        # batched matrices times a vector
    ((3,), (2, 3, 4), (None,), (None, None, None)),  # a vector times batched matrices
    ((4, 3), (3,), (None, None), (None,)),
    ((3,), (3, 2), (None,), (None, None)),
])
def test_matmul_with_a_vector_and_sizes_known_only_at_run_time(shape_a, shape_b, spec_a, spec_b):
    # (a bug found by the mutants: the derivative reshaped to static sizes, and two unknown sizes
    # were refused with "reshape: shape (?, ?, 1) has more than one unknown size")
    rng = np.random.default_rng(2)
    a, b = rng.normal(size=shape_a), rng.normal(size=shape_b)
    out = np.matmul(a, b)
    g = rng.normal(size=out.shape)
    with tg.Graph().as_default():
        pa, pb = tg.placeholder(tg.float64, spec_a), tg.placeholder(tg.float64, spec_b)
        y = pa @ pb
        ga, gb = tg.gradients(y, [pa, pb], grad_ys=g)
        assert (ga.shape.as_list(), gb.shape.as_list()) == (list(spec_a), list(spec_b))
        # second order: d/da of Σ ga·a is Σ_b-side terms: checked against the eager result
        h = tg.gradients(tg.reduce_sum(ga * ga) + tg.reduce_sum(gb * gb), [pa, pb])
        got = run([y, ga, gb] + h, {pa: a, pb: b})
    np.testing.assert_allclose(got[0], out, rtol=1e-12)
    eager = [tg.vjp(lambda u, v: u @ v, a, b)[1](g)[i].numpy() for i in (0, 1)]
    np.testing.assert_allclose(got[1], eager[0], rtol=1e-12)
    np.testing.assert_allclose(got[2], eager[1], rtol=1e-12)
    check_grads(lambda u, v: u @ v, (a, b), order=2, modes=("fwd", "rev"))
    ha, hb = tg.grad(lambda u, v: tg.reduce_sum(tg.vjp(lambda s, t: s @ t, u, v)[1](g)[0] ** 2)
                     + tg.reduce_sum(tg.vjp(lambda s, t: s @ t, u, v)[1](g)[1] ** 2),
                     argnums=(0, 1))(a, b)
    np.testing.assert_allclose(got[3], ha.numpy(), rtol=1e-10)
    np.testing.assert_allclose(got[4], hb.numpy(), rtol=1e-10)


# ------------------------------------------------------------------------------------------------
# Indexing: static shapes (TF-1's, for x of shape (None, 4, 5)) and the values once fed
# ------------------------------------------------------------------------------------------------

INDEXES = [   # index, TF-1's static shape of x[index]
    (0, [4, 5]), (slice(1, None), [None, 4, 5]), ((slice(None), slice(1, 3)), [None, 2, 5]),
    ((slice(None), slice(None, None, 2), -1), [None, 2]), ((Ellipsis, 0), [None, 4]),
    ((None, 0, Ellipsis, slice(2, None)), [1, 4, 3]), ((slice(None), None), [None, 1, 4, 5]),
    ((slice(None), -1, None), [None, 1, 5]), ((Ellipsis, None), [None, 4, 5, 1]),
    ((0, 1, 2), []), ((slice(None), slice(10, None)), [None, 0, 5]),
    ((slice(None), slice(-3, -1, 1)), [None, 2, 5]), ((slice(None), slice(None, None, -1)),
                                                       [None, 4, 5]),
    ((1, Ellipsis), [4, 5]), ((slice(None), 3), [None, 5]), ((slice(None), -4), [None, 5]),
    ((np.int64(1), slice(None), np.int32(-1)), [4]),
]


@pytest.mark.parametrize("index, static", INDEXES, ids=[repr(i[0]) for i in INDEXES])
def test_the_static_shape_of_an_index_is_tf1s(index, static):
    value = np.arange(60.0).reshape(3, 4, 5)
    with tg.Graph().as_default():
        x = tg.placeholder(tg.float64, (None, 4, 5))
        y = x[index]
        assert y.shape.as_list() == static and y.dtype == tg.float64
        np.testing.assert_array_equal(run(y, {x: value}), value[index])


@pytest.mark.parametrize("index, message", [
    ((slice(None), 4), r"index 4 is out of bounds for axis 1 with size 4"),
    ((slice(None), -5), r"index -5 is out of bounds for axis 1 with size 4"),
    ((0, 0, 5), r"index 5 is out of bounds for axis 2 with size 5"),
    ((0, 0, 0, 0), r"too many indices for 3 dimensions"),
    ((Ellipsis, 0, 0, 0, 0), r"too many indices for 3 dimensions"),
])
def test_an_index_out_of_a_static_shape_is_refused_when_the_graph_is_built(index, message):
    # (TF-1 refuses these too when it builds the graph: "slice index 4 of dimension 1 out of
    # bounds", "Index out of range using input dim 3; input has only 3 dims")
    with tg.Graph().as_default():
        x = tg.placeholder(tg.float32, (None, 4, 5))
        with pytest.raises(IndexError, match=r"^index .* does not fit a tensor of shape "
                                             r"\(\?, 4, 5\): " + message + "$"):
            x[index]


def test_indexes_of_a_tensor_of_unknown_rank_and_fancy_ones():
    with tg.Graph().as_default():
        u = tg.placeholder(tg.float32, None)
        assert u[0].shape.ndims is None and u[1:].shape.ndims is None
        x = tg.placeholder(tg.float32, (None, 4))
        assert x[:, [0, 2, 2]].shape.as_list() == [None, 3]
        assert x[[1, 0]].shape.as_list() == [2, 4]
        assert x[0, 3].shape.as_list() == []


def test_matmul_of_a_batch_known_only_at_run_time_broadcasts_as_tf1s():
    # TF-1: (?, 2, 3) @ (4, 3, 5) has the static shape (4, 2, 5), and a fed of batch 1 gets a
    # gradient of shape (1, 2, 3) (summed over the broadcast batch). Found by the mutants: the
    # graph was refused ("the batch dimensions (12,) and (4,) do not broadcast", the stand-in
    # size) and the gradient was not summed.
    b = np.arange(60.0).reshape(4, 3, 5) / 10
    with tg.Graph().as_default():
        a = tg.placeholder(tg.float64, (None, 2, 3))
        y = tg.matmul(a, b)
        assert y.shape.as_list() == [4, 2, 5]
        (g,) = tg.gradients(y, a)
        assert g.shape.as_list() == [None, 2, 3]
        a2 = tg.placeholder(tg.float64, (None, 3))
        y2 = tg.matmul(a2, b)
        assert y2.shape.as_list() == [4, None, 5]
        (g2,) = tg.gradients(y2, a2)
        c = tg.placeholder(tg.float64, (None, 3, 5))
        (gc,) = tg.gradients(tg.matmul(np.ones((2, 1, 2, 3)), c), c)
        assert tg.matmul(np.ones((2, 1, 2, 3)), c).shape.as_list() == [2, None, 2, 5]
        with tg.Session() as sess:
            one = sess.run(g, {a: np.ones((1, 2, 3))})
            four = sess.run(g, {a: np.ones((4, 2, 3))})
            two = sess.run(g2, {a2: np.ones((2, 3))})
            of_c = sess.run(gc, {c: np.ones((1, 3, 5))})
    np.testing.assert_allclose(one, np.broadcast_to(b.sum(axis=(0, 2)), (1, 2, 3)))
    np.testing.assert_allclose(four, np.broadcast_to(b.sum(axis=2)[:, None, :], (4, 2, 3)))
    np.testing.assert_allclose(two, np.broadcast_to(b.sum(axis=(0, 2)), (2, 3)))
    np.testing.assert_allclose(of_c, np.full((1, 3, 5), 4.0))


@pytest.mark.parametrize("sa, sb, static", [
    ((None, 2, 3), (1, 3, 5), [None, 2, 5]), ((None, 2, 3), (None, 3, 5), [None, 2, 5]),
    ((1, 2, 3), (None, 3, 5), [None, 2, 5]), ((None, None), (None, None), [None, None]),
    ((None, 3), (3,), [None]), ((3,), (None, 3, 4), [None, 4]), ((3,), (3,), []),
    ((2, 1, None, 3), (5, 3, None), [2, 5, None, None]), ((None,), (None, None), [None]),
    ((1, 2, 3), (1, 3, 4), [1, 2, 4]), ((1, None, 3), (3, 4), [1, None, 4]),
])
def test_matmul_static_shapes_with_unknown_sizes(sa, sb, static):
    with tg.Graph().as_default():
        a, b = tg.placeholder(tg.float32, sa), tg.placeholder(tg.float32, sb)
        y = tg.matmul(a, b)
        assert y.shape.as_list() == static and y.dtype == tg.float32


@pytest.mark.parametrize("sa, sb, message", [
    ((None, 3), (2, 4), r"matmul: shapes \(\?, 3\) and \(2, 4\) do not fit: a.shape\[-1\] == "
                        r"b.shape\[-2\] is required \(3 != 2\)"),
    ((2, 4, 3), (2, 2, 5), r"matmul: shapes \(2, 4, 3\) and \(2, 2, 5\) do not fit: "
                           r"a.shape\[-1\] == b.shape\[-2\] is required \(3 != 2\)"),
    ((None, 3), (4,), r"matmul: shapes \(\?, 3\) and \(4,\) do not fit: a.shape\[-1\] == "
                      r"b.shape\[-2\] is required \(3 != 4\)"),
    ((2, None, 3), (3, 3, 4), r"matmul: shapes \(2, \?, 3\) and \(3, 3, 4\): the batch dimensions "
                              r"\(2,\) and \(3,\) do not broadcast"),
    ((None,), (), r"matmul: shapes \(\?,\) and \(\): both operands need at least one dimension "
                  r"\(use \* to multiply by a scalar\)"),
])
def test_matmul_misfits_of_static_shapes_are_refused_when_the_graph_is_built(sa, sb, message):
    with tg.Graph().as_default():
        a, b = tg.placeholder(tg.float32, sa), tg.placeholder(tg.float32, sb)
        with pytest.raises(ShapeError, match="^" + message + "$"):
            tg.matmul(a, b)


@pytest.mark.parametrize("shape_a, shape_b", [((2, 3), (3,)), ((3,), (3, 4)), ((3,), (2, 3, 4)),
                                              ((2, 2, 3), (3,)), ((3,), (3,)),
                                              ((1, 2, 3), (4, 3, 2)), ((4, 2, 3), (3, 2))])
def test_matmul_values_and_static_shapes_of_vectors_and_batches(shape_a, shape_b):
    rng = np.random.default_rng(3)
    a, b = rng.normal(size=shape_a), rng.normal(size=shape_b)
    with tg.Graph().as_default():
        pa, pb = tg.placeholder(tg.float64, shape_a), tg.placeholder(tg.float64, shape_b)
        y = tg.matmul(pa, pb)
        assert tuple(y.shape.as_list()) == np.matmul(a, b).shape
        np.testing.assert_allclose(run(y, {pa: a, pb: b}), np.matmul(a, b), rtol=1e-12)
    check_grads(tg.matmul, (a, b), order=2, modes=("fwd", "rev"))


# ------------------------------------------------------------------------------------------------
# Reductions: axes, ties, kept dimensions with sizes known only at run time
# ------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("axis, message", [
    (2, r"axis 2 is out of range for a tensor with 2 dimension\(s\): expected an axis in "
        r"\[-2, 1\]"),
    (-3, r"axis -3 is out of range for a tensor with 2 dimension\(s\): expected an axis in "
         r"\[-2, 1\]"),
    ([0, -2], r"axis \(0, -2\) names an axis twice: expected each axis of the 2-dimensional "
              r"tensor at most once"),
])
def test_an_axis_out_of_range_or_named_twice_is_refused(axis, message):
    # (TF-1: ValueError "Invalid reduction dimension 2 for input with 2 dimensions"; a repeated
    # axis: "Axes contains duplicate dimension")
    for op in (tg.reduce_sum, tg.reduce_mean, tg.reduce_max):
        with pytest.raises(ShapeError, match="^" + message + "$"):
            op(tg.constant([[1.0, 2.0], [3.0, 4.0]]), axis=axis)


@pytest.mark.parametrize("axis", [0, 1, -1])
def test_a_scalar_has_no_axis_to_reduce(axis):
    # TF-1: "Invalid reduction dimension 0 for input with 0 dimensions" (teachgrad gave NumPy's
    # AxisError for axis 0, found by the mutants)
    for op in (tg.reduce_sum, tg.reduce_max, tg.reduce_min, tg.reduce_prod):
        with pytest.raises(ShapeError, match=rf"^axis {axis} is out of range for a tensor with 0 "
                                             r"dimension\(s\): a scalar has no axis$"):
            op(tg.constant(2.0), axis=axis)
    assert tg.reduce_sum(tg.constant(2.0)).numpy() == 2.0


def test_reduce_max_splits_a_tie_as_tf1():
    # TF-1's gradients: [[0, .5, .5], [1/3, 1/3, 1/3]] along axis 1; over all, the 5s share
    m = tg.constant([[1.0, 3.0, 3.0], [5.0, 5.0, 5.0]])
    np.testing.assert_allclose(tg.gradients(tg.reduce_max(m, axis=1), m)[0].numpy(),
                               [[0, 0.5, 0.5], [1 / 3, 1 / 3, 1 / 3]], rtol=1e-6)
    np.testing.assert_allclose(tg.gradients(tg.reduce_max(m), m)[0].numpy(),
                               [[0, 0, 0], [1 / 3, 1 / 3, 1 / 3]], rtol=1e-6)
    np.testing.assert_allclose(
        tg.gradients(tg.reduce_max(m, axis=0, keepdims=True), m)[0].numpy(),
        [[0, 0, 0], [1, 1, 1]], rtol=1e-6)
    _, dot = tg.jvp(lambda t: tg.reduce_max(t, axis=1), (m.numpy().astype(np.float64),),
                    (np.array([[1.0, 2.0, 4.0], [3.0, 6.0, 9.0]]),))
    np.testing.assert_allclose(dot.numpy(), [3.0, 6.0])       # the mean of the tied slopes


@pytest.mark.parametrize("op", [tg.reduce_sum, tg.reduce_mean, tg.reduce_max])
@pytest.mark.parametrize("axis", [None, 0, 1, -1, [0, 2]])
@pytest.mark.parametrize("keepdims", [False, True])
def test_reductions_of_two_unknown_sizes_and_their_derivatives(op, axis, keepdims):
    value = np.random.default_rng(5).permutation(24).reshape(2, 3, 4) * 0.5 - 3.0
    np_axis = tuple(axis) if isinstance(axis, list) else axis
    ref = {tg.reduce_sum: np.sum, tg.reduce_mean: np.mean, tg.reduce_max: np.max}[op]
    w = np.random.default_rng(6).normal(size=ref(value, axis=np_axis, keepdims=keepdims).shape)
    with tg.Graph().as_default():
        x = tg.placeholder(tg.float64, (None, None, 4))
        y = op(x, axis=axis, keepdims=keepdims)
        (g,) = tg.gradients(y, x, grad_ys=w)
        (h,) = tg.gradients(tg.reduce_sum(g * g * x), x)   # the second pass through the rule
        got_y, got_g, got_h = run([y, g, h], {x: value})
    np.testing.assert_allclose(got_y, ref(value, axis=np_axis, keepdims=keepdims), rtol=1e-12)
    eager_g = tg.vjp(lambda t: op(t, axis=axis, keepdims=keepdims), value)[1](w)[0].numpy()
    np.testing.assert_allclose(got_g, eager_g, rtol=1e-12)
    np.testing.assert_allclose(got_h, eager_g ** 2, rtol=1e-12)    # g does not depend on x


def test_the_ops_own_default_axis_of_a_concat_is_0():
    from teachgrad import ops
    a, b = tg.constant([[1.0, 2.0]]), tg.constant([[3.0, 4.0]])
    y = ops.concat(a, b)
    np.testing.assert_array_equal(y.numpy(), [[1, 2], [3, 4]])
    ga, gb = tg.gradients(y * tg.constant([[1.0, 2.0], [3.0, 4.0]]), [a, b])
    np.testing.assert_array_equal(ga.numpy(), [[1, 2]])
    np.testing.assert_array_equal(gb.numpy(), [[3, 4]])
    with tg.Graph().as_default():
        p, q = tg.placeholder(tg.float32, (None, 2)), tg.placeholder(tg.float32, (3, 2))
        assert ops.concat(p, q).shape.as_list() == [None, 2]


def test_the_reshape_ops_unknown_sizes():
    # the op itself (a rule's reshape to a static shape): one unknown size is found, two are not
    from teachgrad import ops
    x = tg.constant(np.arange(6.0))
    assert ops.reshape(x, (None, 3)).shape == (2, 3)
    assert ops.reshape(x, (3, None)).shape == (3, 2)
    for shape, text in [((None, None), r"\?, \?"), ((None, -1), r"\?, -1")]:
        with pytest.raises(ShapeError, match=rf"^reshape: shape \({text}\) has more than one "
                                             r"unknown size$"):
            ops.reshape(x, shape)
    with pytest.raises(ShapeError, match=r"^reshape: cannot reshape a tensor of shape \(6,\) \(6 "
                                         r"elements\) into \(-1, 4\): the number of elements "
                                         r"must stay the same$"):
        ops.reshape(x, (None, 4))


# ------------------------------------------------------------------------------------------------
# Comparisons: what a student reads on the graph, their docs, their dtypes (declared at import:
# bench/mutation.py --fresh checks these)
# ------------------------------------------------------------------------------------------------

COMPARISONS = [(tg.equal, "==", np.equal), (tg.not_equal, "≠", np.not_equal),
               (tg.less, "<", np.less), (tg.less_equal, "≤", np.less_equal),
               (tg.greater, ">", np.greater), (tg.greater_equal, "≥", np.greater_equal)]


@pytest.mark.parametrize("op, symbol, ref", COMPARISONS, ids=[c[1] for c in COMPARISONS])
def test_a_comparison_on_the_teaching_graph_its_doc_and_dtypes(op, symbol, ref):
    g = tg.trace(lambda x, y: tg.where(op(x, y), x, y), x=2.0, y=3.0)
    assert g.formula("a") == f"a = x {symbol} y"
    assert [str(e) for e in g.edges][:2] == ["<Edge x -> a: ∂a/∂x = 0  [1×1 Jacobian]>",
                                            "<Edge y -> a: ∂a/∂y = 0  [1×1 Jacobian]>"]
    name = op.__name__
    assert op.__doc__.startswith(f"{name}: a {symbol} b element-wise, True or False (no "
                                 "derivative).")
    a, b = np.array([1.0, 2.0, 3.0]), np.array([2.0, 2.0, 2.0])
    got = op(tg.constant(a), tg.constant(b))
    assert got.dtype == tg.bool
    np.testing.assert_array_equal(got.numpy(), ref(a, b))
    # TF-1: "Input 'y' of 'Less' Op has type float32 that does not match type int32 of 'x'"
    with pytest.raises(TypeError, match=rf"^{name}: input 1 has dtype float32 that does not "
                                        r"match dtype int32 of input 0; TensorFlow 1 never "
                                        r"converts between tensor dtypes"):
        op(tg.constant([1]), tg.constant([1.0]))
    x = tg.constant(a)
    assert tg.gradients(tg.cast(op(x, b), tg.float32), x) == [None]
    assert tg.gradients(op(x, b), x) == [None]           # TF-1: [None]
    _, dot = tg.jvp(lambda t: op(t, b), (a,), (np.ones(3),))   # a tangent of zeros, floating
    assert dot.dtype == tg.float64 and dot.numpy().tolist() == [0.0, 0.0, 0.0]
    _, dot = tg.jvp(lambda t: tg.cast(op(t, b), tg.float64) * t, (a,), (np.ones(3),))
    np.testing.assert_array_equal(dot.numpy(), ref(a, b).astype(float))


def test_the_reshape_ops_derivative_with_sizes_known_only_at_run_time():
    # the op itself applied to a tensor of two unknown sizes or an unknown rank: its cotangent is
    # reshaped back to the shape the input has when the graph runs
    from teachgrad import ops
    value = np.arange(6.0).reshape(2, 3)
    for spec in [(None, None), None, (None, 3)]:
        with tg.Graph().as_default():
            x = tg.placeholder(tg.float64, spec)
            y = ops.reshape(x, (None,)) ** 2     # (flattened: its size known at run time)
            (g,) = tg.gradients(y, x, grad_ys=np.arange(6.0))
            (h,) = tg.gradients(tg.reduce_sum(g * x), x)
            got_g, got_h = run([g, h], {x: value})
        np.testing.assert_array_equal(got_g, 2 * value * np.arange(6.0).reshape(2, 3))
        np.testing.assert_array_equal(got_h, 4 * value * np.arange(6.0).reshape(2, 3))


def test_matmul_of_an_unknown_rank_has_an_unknown_static_shape():
    # TF-1: <unknown> for each of these; the values once fed
    with tg.Graph().as_default():
        u, k = tg.placeholder(tg.float64, None), tg.placeholder(tg.float64, (3, 4))
        for y in (tg.matmul(u, k), tg.matmul(tg.transpose(k), u), tg.matmul(u, u)):
            assert y.shape.ndims is None and y.dtype == tg.float64
        a, b = np.arange(6.0).reshape(2, 3), np.arange(12.0).reshape(3, 4)
        got = run([tg.matmul(u, k), tg.gradients(tg.matmul(u, k), u)[0]], {u: a, k: b})
    np.testing.assert_array_equal(got[0], a @ b)
    np.testing.assert_array_equal(got[1], np.broadcast_to(b.sum(axis=1), (2, 3)))


def test_a_cotangent_given_as_an_array_for_a_result_of_unknown_sizes():
    # grad_ys known now (2, 3) for y = sin(x) of x (None, 3): the cotangent keeps its sizes
    g = np.arange(6.0).reshape(2, 3)
    value = np.linspace(0.1, 0.6, 6).reshape(2, 3)
    with tg.Graph().as_default():
        x = tg.placeholder(tg.float64, (None, 3))
        (gx,) = tg.gradients(tg.sin(x), x, grad_ys=g)
        got = run(gx, {x: value})
    np.testing.assert_allclose(got, g * np.cos(value), rtol=1e-12)
    from teachgrad import ops
    got = ops.sum_to(tg.constant(np.ones((4, 3))), (None, 1)).numpy()
    np.testing.assert_array_equal(got, np.full((4, 1), 3.0))
    got = ops.sum_to(tg.constant(np.ones((2, 4, 3))), (None, 1)).numpy()
    np.testing.assert_array_equal(got, np.full((4, 1), 6.0))
    got = ops.sum_to(tg.constant(np.ones((2, 4, 3))), (4, None)).numpy()
    np.testing.assert_array_equal(got, np.full((4, 3), 2.0))


# ------------------------------------------------------------------------------------------------
# concat's static shape with sizes or ranks known only at run time (TF-1's, read off compat.v1)
# ------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("shapes, axis, expected", [
    ([None, (2, 3)], 0, [None, 3]),             # an input of unknown rank takes the others'
    ([(2, 3), None], 1, [2, None]),
    ([None, (2, 3)], -1, [2, None]),
    ([(2, 3), (4, 3), None], 0, [None, 3]),
    ([(2, 3), (4, 3)], 0, [6, 3]),
    ([(None, 3), (2, None)], 0, [None, 3]),     # a size known in one input is known
    ([(2, None), (None, 3)], 1, [2, None]),
    ([(2, 3)], 0, [2, 3]),                      # one input
    ([(None, 3)], -1, [None, 3]),
    ([None, None], 0, None),                    # every rank unknown: the result's too
])
def test_concats_static_shape_is_tf1s(shapes, axis, expected):
    with tg.Graph().as_default():
        parts = [tg.placeholder(tg.float64, s) for s in shapes]
        out = tg.concat(parts, axis)
        assert (out.shape.ndims is None if expected is None else out.shape.as_list() == expected)
        assert out.dtype == tg.float64


def test_concat_with_an_input_of_unknown_rank_runs_and_differentiates():
    # TF-1: concat([u, c], 0) of u fed (1, 3) and c (2, 3) is (3, 3); each gets its rows of w
    w = np.arange(9.0).reshape(3, 3)
    with tg.Graph().as_default():
        u, c = tg.placeholder(tg.float32), tg.placeholder(tg.float32, (2, 3))
        for parts, rows in (([u, c], (slice(0, 1), slice(1, 3))),
                            ([c, u], (slice(0, 2), slice(2, 3)))):
            r = tg.concat(parts, 0)
            grads = tg.gradients(tg.reduce_sum(r * tg.constant(w, tg.float32)), parts)
            feed = {u: np.ones((1, 3)), c: np.zeros((2, 3))}
            value, *got = run([r] + grads, feed)
            assert value.shape == (3, 3)
            for g, k in zip(got, rows):
                np.testing.assert_array_equal(g, w[k])


def test_concat_of_inputs_of_different_ranks_is_refused_even_beside_an_unknown_rank():
    # TF-1: ValueError "Shape must be rank 2 but is rank 3" when the graph is built
    with tg.Graph().as_default():
        parts = [tg.placeholder(tg.float32, (2, 3)), tg.placeholder(tg.float32, (2, 3, 1)),
                 tg.placeholder(tg.float32)]
        with pytest.raises(ShapeError, match="same shape except along that axis"):
            tg.concat(parts, 0)


def test_a_cotangent_is_summed_over_the_leading_axes_and_every_broadcast_inner_one():
    # a (1, 1) against b (1, 5, 3): a's cotangent sums a new leading axis, and both of its own
    # size-1 axes; d/da sum((a + b) * b) = sum(b) = 105
    a = tg.constant(np.ones((1, 1)))
    b = tg.constant(np.arange(15.0).reshape(1, 5, 3))
    (g,) = tg.gradients(tg.reduce_sum((a + b) * b), [a])
    np.testing.assert_array_equal(g.numpy(), [[105.0]])
