"""ops/arrays.py, reductions.py, linalg.py, division.py and nondiff.py (issue 27: the ops_arrays
mutants): values against NumPy and TensorFlow 1's (read off ``tensorflow.compat.v1`` and written
in), gradients against finite differences, static shapes, dtypes and errors as TF-1 gives them.
"""

import numpy as np
import pytest

import teachgrad as tg
from teachgrad.errors import InvalidArgumentError, ShapeError
from teachgrad.testing import check_grads


def run(fetches, feed=None):
    with tg.Session() as sess:
        return sess.run(fetches, feed)


# ------------------------------------------------------------------------------------------------
# Sums and products of integers keep the dtype (TF-1; NumPy would widen int32 to int64)
# ------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("dtype", [np.int32, np.int8, np.uint8, np.int16, np.float16, np.float32])
def test_sum_and_product_keep_the_inputs_dtype(dtype):
    # (a bug found on the way: reduce_sum and reduce_prod of int32 gave int64, of uint8 uint64)
    x = tg.constant(np.array([[1, 2, 3], [2, 4, 5]], dtype))
    for op, ref in [(tg.reduce_sum, [3, 6, 8]), (tg.reduce_prod, [2, 8, 15])]:
        y = op(x, axis=0)
        assert y.dtype == dtype and y.numpy().dtype == dtype, (op, y.dtype)
        np.testing.assert_array_equal(y.numpy(), ref)
    with tg.Graph().as_default():
        p = tg.placeholder(dtype, (None, 3))
        y = tg.reduce_prod(p, axis=1, keepdims=True)
        assert y.dtype == dtype and y.shape.as_list() == [None, 1]
        got = run(y, {p: np.array([[1, 2, 3]], dtype)})
        assert got.dtype == dtype and got.tolist() == [[6]]


def test_sums_and_products_of_integers_wrap_as_tf1s():
    # TF-1: reduce_sum([2**31 - 1, 1]) is -2**31 (int32 wraps); uint8 200 + 100 is 44; int8 100·3
    # is 44
    assert tg.reduce_sum(tg.constant([2 ** 31 - 1, 1])).numpy() == -2 ** 31
    assert tg.reduce_sum(tg.constant(np.array([200, 100], np.uint8))).numpy() == 44
    assert tg.reduce_prod(tg.constant(np.array([100, 3], np.int8))).numpy() == 44


@pytest.mark.parametrize("op, op_type", [(tg.reduce_sum, "Sum"), (tg.reduce_prod, "Prod"),
                                         (tg.reduce_mean, "Mean")])
def test_sum_mean_and_product_of_bools_are_refused(op, op_type):
    # TF-1: TypeError "Value passed to parameter 'input' has DataType bool not in list of allowed
    # values: float32, float64, int32, …"
    with pytest.raises(TypeError, match=rf"^{op_type}: Value passed to parameter 'input' has "
                                        r"DataType bool not in list of allowed values: float32, "
                                        r"float64, int32, uint8, int16, int8, complex64, int64"):
        op(tg.constant([True, True]))


# ------------------------------------------------------------------------------------------------
# Rounding division and its remainders (TF-1's FloorDiv, FloorMod, TruncateDiv, TruncateMod)
# ------------------------------------------------------------------------------------------------

def test_rounding_divisions_of_integers_are_tf1s():
    a, b = tg.constant([-7, 7, -7, 7, 6, -6]), tg.constant([2, 2, -2, -2, 3, 3])
    for op, expected in [(tg.floordiv, [-4, 3, 3, -4, 2, -2]), (tg.floormod, [1, 1, -1, -1, 0, 0]),
                         (tg.truncatediv, [-3, 3, 3, -3, 2, -2]),
                         (tg.truncatemod, [-1, 1, -1, 1, 0, 0])]:
        got = op(a, b).numpy()
        np.testing.assert_array_equal(got, expected)
        assert got.dtype == np.int32, op
    u = tg.truncatediv(tg.constant(np.array([7, 9], np.uint8)), tg.constant(np.array([2, 9], np.uint8)))
    assert u.numpy().tolist() == [3, 1] and u.dtype == tg.uint8


def test_rounding_divisions_of_floats_are_tf1s():
    np.testing.assert_array_equal(tg.truncatediv(tg.constant([-7.0, 7.5, 6.0]),
                                                 tg.constant([2.0, -2.0, 4.0])).numpy(),
                                  np.array([-3.0, -3.0, 1.0], np.float32))
    assert tg.truncatediv(tg.constant([-7.0]), tg.constant([2.0])).dtype == tg.float32
    np.testing.assert_array_equal(tg.floordiv(tg.constant([1.0, -1.0, 0.0]),
                                              tg.constant([0.0, 0.0, 0.0])).numpy(),
                                  [np.inf, -np.inf, np.nan])
    np.testing.assert_array_equal(tg.truncatemod(tg.constant([-7.5, 7.5]), 2.0).numpy(),
                                  [-1.5, 1.5])
    np.testing.assert_array_equal(tg.floormod(tg.constant([-7.5, 7.5]), 2.0).numpy(),
                                  [0.5, 1.5])


@pytest.mark.parametrize("op", [tg.floordiv, tg.floormod, tg.truncatediv, tg.truncatemod])
def test_an_integer_division_by_zero_is_refused_and_a_float_one_is_not(op):
    with tg.Graph().as_default():
        x, y = tg.placeholder(tg.int32, (None,)), tg.placeholder(tg.int32, (None,))
        z = op(x, y)
        with pytest.raises(InvalidArgumentError, match="Integer division by zero"):
            run(z, {x: [1, 2], y: [1, 0]})
        assert run(z, {x: [7], y: [-7]}).tolist() == [-1 if op in (tg.floordiv, tg.truncatediv)
                                                     else 0]
        f, g = tg.placeholder(tg.float64, (None,)), tg.placeholder(tg.float64, (None,))
        assert run(op(f, g), {f: [1.0], g: [0.0]}).shape == (1,)   # inf or nan, no error


def test_the_derivatives_of_the_rounding_divisions_are_tf1s():
    x, y = tg.constant([-7.5, 7.5, 3.2]), tg.constant([2.0, -2.0, 1.5])
    assert tg.gradients(tg.floordiv(x, y), [x, y]) == [None, None]
    assert tg.gradients(tg.truncatediv(x, y), [x, y]) == [None, None]
    gx, gy = tg.gradients(tg.floormod(x, y), [x, y])
    np.testing.assert_array_equal(gx.numpy(), [1.0, 1.0, 1.0])
    np.testing.assert_array_equal(gy.numpy(), [4.0, 4.0, -2.0])    # −⌊x/y⌋
    with pytest.raises(LookupError, match=r"^No gradient defined for operation 'TruncateMod' "
                                          r"\(op type: TruncateMod\), as in TensorFlow 1\. If you "
                                          r"want to pretend this operation is a constant in your "
                                          r"program, you may insert tg.stop_gradient$"):
        tg.gradients(tg.truncatemod(x, y), [x])
    with pytest.raises(LookupError, match="'TruncateMod'"):
        tg.gradients(tg.truncatemod(x, y), [y])


# ------------------------------------------------------------------------------------------------
# Ops without a derivative: argmax/argmin, one_hot, size, shape, rank, where, floor, logicals
# ------------------------------------------------------------------------------------------------

def test_the_index_and_size_ops_values_and_dtypes_are_tf1s():
    m = tg.constant([[1.0, 5.0], [7.0, 2.0]])
    a = tg.argmax(m, axis=1, output_type=tg.int32)
    assert a.numpy().tolist() == [1, 0] and a.dtype == tg.int32
    b = tg.argmin(m, axis=0)
    assert b.numpy().tolist() == [0, 1] and b.dtype == tg.int64
    assert tg.argmax(m).numpy().tolist() == [1, 0]          # axis 0 by default
    assert tg.argmin(m, axis=1, output_type=tg.int32).dtype == tg.int32
    s = tg.size(tg.zeros((2, 3)), out_type=tg.int64)
    assert s.numpy() == 6 and s.dtype == tg.int64 and tg.size(tg.zeros((2, 3))).dtype == tg.int32
    sh = tg.shape(tg.zeros((2, 3)), out_type=tg.int64)
    assert sh.numpy().tolist() == [2, 3] and sh.dtype == tg.int64
    assert tg.shape(tg.zeros((2, 3))).dtype == tg.int32
    r = tg.rank(tg.zeros((2, 3, 1)))
    assert r.numpy() == 3 and r.dtype == tg.int32
    w = tg.where(tg.constant([[True, False], [False, True]]))
    assert w.numpy().tolist() == [[0, 0], [1, 1]] and w.dtype == tg.int64
    f = tg.floor(tg.constant([-1.5, 2.5]))
    assert f.numpy().tolist() == [-2.0, 2.0] and f.dtype == tg.float32


def test_one_hot_is_tf1s():
    got = tg.one_hot([0, 2, -1, 3], 3, on_value=5.0, off_value=-1.0)
    np.testing.assert_array_equal(got.numpy(), [[5, -1, -1], [-1, -1, 5], [-1, -1, -1],
                                                [-1, -1, -1]])
    assert got.dtype == tg.float32
    np.testing.assert_array_equal(tg.one_hot([0, 2], 3, axis=0).numpy(),
                                  [[1, 0], [0, 0], [0, 1]])
    np.testing.assert_array_equal(tg.one_hot([[0, 2]], 3, axis=1).numpy(),
                                  [[[1, 0], [0, 0], [0, 1]]])
    i = tg.one_hot([[0, 2]], 3, dtype=tg.int32)
    assert i.dtype == tg.int32 and i.numpy().tolist() == [[[1, 0, 0], [0, 0, 1]]]


def test_zeros_and_ones_like_are_tf1s():
    z = tg.zeros_like(tg.constant([1.5, 2.5]), dtype=tg.int32)
    assert z.dtype == tg.int32 and z.numpy().tolist() == [0, 0] and z.numpy().dtype == np.int32
    from teachgrad import ops
    for op, value in [(ops.reduce_any, True), (ops.reduce_all, False)]:   # the ops' defaults
        y = op(tg.constant([[True, False], [True, True]]))
        assert y.shape == () and y.numpy() == value
    o = tg.ones_like(tg.constant([[1, 2]]))
    assert o.dtype == tg.int32 and o.numpy().tolist() == [[1, 1]]
    assert tg.ones_like(tg.constant(2.5)).numpy() == 1.0
    assert tg.zeros_like(tg.constant(2.5), dtype=tg.float64).dtype == tg.float64
    assert tg.ones_like(tg.constant(2), dtype=tg.float32).numpy().dtype == np.float32


def test_no_derivative_flows_through_these_ops():
    x = tg.constant([1.0, -2.0, 3.0])
    for y in [tg.cast(tg.argmax(x), tg.float32) * x, tg.floor(x) * x, tg.zeros_like(x) + x,
              tg.ones_like(x) * x, tg.cast(tg.size(x), tg.float32) * x]:
        (g,) = tg.gradients(y, x)        # only the direct factor: nothing through the other
        np.testing.assert_array_equal(g.numpy(), (y / x).numpy())
    (g,) = tg.gradients(tg.stop_gradient(x) * x, x)
    np.testing.assert_array_equal(g.numpy(), [1.0, -2.0, 3.0])
    assert tg.gradients(tg.floor(x), x) == [None]
    assert tg.gradients(tg.one_hot(tg.argmax(x), 3), x) == [None]


# ------------------------------------------------------------------------------------------------
# reduce_min and reduce_prod: values, ties, zeros (TF-1's gradients)
# ------------------------------------------------------------------------------------------------

def test_reduce_min_splits_a_tie_and_reduce_prod_is_exact_at_zeros():
    m = tg.constant([[1.0, 3.0, 1.0], [2.0, 2.0, 5.0]])
    np.testing.assert_array_equal(tg.gradients(tg.reduce_min(m, axis=1), m)[0].numpy(),
                                  [[0.5, 0, 0.5], [0.5, 0.5, 0]])
    np.testing.assert_array_equal(tg.gradients(tg.reduce_min(m), m)[0].numpy(),
                                  [[0.5, 0, 0.5], [0, 0, 0]])
    np.testing.assert_array_equal(
        tg.gradients(tg.reduce_min(m, axis=0, keepdims=True), m)[0].numpy(),
        [[1, 0, 1], [0, 1, 0]])
    x = tg.constant([[1.0, 0.0, 3.0], [2.0, 4.0, 5.0]])
    assert tg.reduce_prod(x, axis=1).numpy().tolist() == [0.0, 40.0]
    np.testing.assert_array_equal(tg.gradients(tg.reduce_prod(x, axis=1), x)[0].numpy(),
                                  [[0, 3, 0], [20, 10, 8]])
    np.testing.assert_array_equal(tg.gradients(tg.reduce_prod(x), x)[0].numpy(),
                                  [[0, 120, 0], [0, 0, 0]])
    y = tg.constant([[1.0, 0.0, 0.0], [2.0, 4.0, 5.0]])
    np.testing.assert_array_equal(tg.gradients(tg.reduce_prod(y, axis=1), y)[0].numpy(),
                                  [[0, 0, 0], [20, 10, 8]])
    with pytest.raises(ShapeError, match=r"^reduce_min of an empty tensor: expected at least one "
                                         r"element$"):
        tg.reduce_min(tg.zeros((0, 3)))
    np.testing.assert_array_equal(tg.reduce_prod(tg.zeros((0, 3)), axis=0).numpy(), [1, 1, 1])


@pytest.mark.parametrize("axis", [None, 0, 1, -1, (0, 2), [2, 1]])
@pytest.mark.parametrize("keepdims", [False, True])
def test_reduce_min_and_prod_values_and_derivatives(axis, keepdims):
    x = (np.random.default_rng(3).permutation(24).reshape(2, 3, 4) * 0.11 + 0.4)
    np_axis = tuple(axis) if isinstance(axis, list) else axis
    for op, ref in [(tg.reduce_min, np.min), (tg.reduce_prod, np.prod)]:
        np.testing.assert_allclose(op(x, axis=axis, keepdims=keepdims).numpy(),
                                   ref(x, axis=np_axis, keepdims=keepdims), rtol=1e-12)
        check_grads(lambda t: op(t, axis=axis, keepdims=keepdims), (x,), order=2,
                    modes=("fwd", "rev"))


def test_reductions_of_unknown_sizes_in_a_session():
    value = np.array([[1.0, 0.5, 3.0], [2.0, 4.0, 0.25]])
    with tg.Graph().as_default():
        x = tg.placeholder(tg.float64, (None, None))
        lo, pr = tg.reduce_min(x, axis=1), tg.reduce_prod(x, axis=0)
        assert lo.shape.as_list() == [None] and pr.shape.as_list() == [None]
        g_lo, g_pr = tg.gradients(lo, x)[0], tg.gradients(pr, x)[0]
        got = run([lo, pr, g_lo, g_pr], {x: value})
    np.testing.assert_array_equal(got[0], [0.5, 0.25])
    np.testing.assert_array_equal(got[1], [2.0, 2.0, 0.75])
    np.testing.assert_array_equal(got[2], [[0, 1, 0], [0, 0, 1]])
    np.testing.assert_array_equal(got[3], [[2.0, 4.0, 0.25], [1.0, 0.5, 3.0]])


def test_logical_reductions_are_tf1s():
    b = tg.constant([[True, False], [False, False]])
    r = tg.reduce_any(b, axis=-1, keepdims=True)
    assert r.numpy().tolist() == [[True], [False]] and r.dtype == tg.bool
    assert tg.reduce_all(tg.constant([[True, False], [True, True]])).numpy() == False  # noqa
    assert tg.reduce_all(tg.constant([[True, False], [True, True]]), 1).numpy().tolist() == \
        [False, True]
    assert tg.reduce_any(b).numpy() == True   # noqa


# ------------------------------------------------------------------------------------------------
# Linear algebra: tensordot, inverse, determinant, diagonals
# ------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("shape_a, shape_b, axes", [
    ((2, 3, 4), (4, 3, 5), ((1, 2), (1, 0))),     # paired axes in another order
    ((2, 3, 4), (3, 5), ((1,), (0,))),
    ((3, 4), (4, 3), ((0, 1), (1, 0))),           # a full contraction
    ((2, 3), (4,), ((), ())),                     # an outer product
    ((4, 2, 3), (3, 2, 5), ((2, 1), (0, 1))),
])
def test_tensordot_values_and_derivatives(shape_a, shape_b, axes):
    rng = np.random.default_rng(4)
    a, b = rng.normal(size=shape_a), rng.normal(size=shape_b)
    axes_list = [list(axes[0]), list(axes[1])]
    np.testing.assert_allclose(tg.tensordot(a, b, axes_list).numpy(),
                               np.tensordot(a, b, axes=axes), rtol=1e-12)
    check_grads(lambda u, v: tg.tensordot(u, v, axes_list), (a, b), order=2,
                modes=("fwd", "rev"))


def test_tensordot_by_a_number_of_axes():
    rng = np.random.default_rng(5)
    a, b = rng.normal(size=(2, 3, 4)), rng.normal(size=(3, 4, 2))
    np.testing.assert_allclose(tg.tensordot(a, b, 2).numpy(), np.tensordot(a, b, 2), rtol=1e-12)
    check_grads(lambda u, v: tg.tensordot(u, v, 2), (a, b), order=1)


def _conditioned(shape, seed=6):
    rng = np.random.default_rng(seed)
    return rng.normal(size=shape) * 0.3 + 2.0 * np.eye(shape[-1])


@pytest.mark.parametrize("shape", [(3, 3), (2, 2, 2), (2, 1, 3, 3)])
def test_inverse_and_determinant_values_and_derivatives(shape):
    x = _conditioned(shape)
    np.testing.assert_allclose(tg.matrix_inverse(x).numpy(), np.linalg.inv(x), rtol=1e-12)
    np.testing.assert_allclose(tg.matrix_determinant(x).numpy(), np.linalg.det(x), rtol=1e-12)
    assert tg.matrix_determinant(x).shape == shape[:-2]
    check_grads(tg.matrix_inverse, (x,), order=2, modes=("fwd", "rev"))
    check_grads(tg.matrix_determinant, (x,), order=2, modes=("fwd", "rev"))


def test_inverse_and_determinant_refuse_what_tf1_refuses():
    for op, name in [(tg.matrix_inverse, "matrix_inverse"), (tg.matrix_determinant,
                                                             "matrix_determinant")]:
        for shape in [(2, 3), (3,), (2, 3, 2)]:
            with pytest.raises(ShapeError, match=rf"^{name}: shape \({', '.join(map(str, shape))},?"
                                                 r"\): expected square matrices, a shape "
                                                 r"\(\.\.\., n, n\)$"):
                op(tg.ones(shape))
    with pytest.raises(InvalidArgumentError, match=r"matrix_inverse: Input is not invertible \(a "
                                                   r"singular matrix has no inverse\)"):
        tg.matrix_inverse(tg.constant([[1.0, 2.0], [2.0, 4.0]]))


def test_the_diagonal_ops_are_tf1s():
    d = tg.diag(tg.constant([[1.0, 2.0], [3.0, 4.0]])).numpy()   # rank 2 in, rank 4 out
    expected = np.zeros((2, 2, 2, 2), np.float32)
    for i in range(2):
        for j in range(2):
            expected[i, j, i, j] = [[1, 2], [3, 4]][i][j]
    np.testing.assert_array_equal(d, expected)
    assert d.dtype == np.float32
    np.testing.assert_array_equal(
        tg.diag_part(tg.reshape(tg.range(16.0), (2, 2, 2, 2))).numpy(), [[0, 5], [10, 15]])
    np.testing.assert_array_equal(tg.diag_part(tg.constant([[1, 2], [3, 4]])).numpy(), [1, 4])
    for shape in [(2, 3), (2, 2, 2)]:
        with pytest.raises(ShapeError, match=r"^diag_part: shape .*: expected an even rank with "
                                             r"the first half of the dimensions equal to the "
                                             r"second$"):
            tg.diag_part(tg.ones(shape))
    x = tg.reshape(tg.range(6.0), (2, 3))
    np.testing.assert_array_equal(tg.matrix_diag_part(x).numpy(), [0, 4])
    np.testing.assert_array_equal(tg.gradients(tg.matrix_diag_part(x) * [1.0, 2.0], x)[0].numpy(),
                                  [[1, 0, 0], [0, 2, 0]])
    np.testing.assert_array_equal(tg.gradients(tg.matrix_diag_part(tg.transpose(x)) * [1.0, 2.0],
                                               x)[0].numpy(), [[1, 0, 0], [0, 2, 0]])
    m = tg.matrix_diag(tg.constant([[1, 2], [3, 4]]))
    np.testing.assert_array_equal(m.numpy(), [[[1, 0], [0, 2]], [[3, 0], [0, 4]]])
    assert m.dtype == tg.int32


@pytest.mark.parametrize("op, shape", [
    (tg.diag, (3,)), (tg.diag, (2, 3)), (tg.diag_part, (3, 3)), (tg.diag_part, (2, 3, 2, 3)),
    (tg.matrix_diag, (2, 3)), (tg.matrix_diag_part, (2, 3, 3)), (tg.matrix_diag_part, (2, 4)),
    (tg.matrix_diag_part, (4, 2)), (tg.matrix_diag_part, (2, 3, 2))])
def test_the_diagonal_ops_derivatives(op, shape):
    x = np.random.default_rng(7).normal(size=shape)
    check_grads(lambda t: op(t) ** 2, (x,), order=2, modes=("fwd", "rev"))


# ------------------------------------------------------------------------------------------------
# Shapes that misfit only when the graph runs: the ops' own messages
# ------------------------------------------------------------------------------------------------

def _fed(build, feed_values):
    with tg.Graph().as_default():
        phs = [tg.placeholder(tg.float32, None) for _ in feed_values]
        return run(build(*phs), dict(zip(phs, feed_values)))


@pytest.mark.parametrize("build, values, message", [
    (lambda a, b: tg.add_n([a, b]), ([1.0, 2.0], [1.0]),
     r"add_n: shapes \[\(2,\), \(1,\)\]: TensorFlow 1's AddN adds tensors of one shape \(no "
     r"broadcasting\)"),
    (lambda a, b: tg.stack([a, b]), ([1.0, 2.0], [1.0]),
     r"stack: shapes \[\(2,\), \(1,\)\]: expected all the same shape"),
    (lambda a: tg.reshape(a, [4, -1]), (np.ones(6),),
     r"reshape: cannot reshape a tensor of shape \(6,\) \(6 elements\) into \(4, -1\): the number "
     r"of elements must stay the same"),
    (lambda a: tg.matrix_inverse(a), (np.ones((2, 3)),),
     r"matrix_inverse: shape \(2, 3\): expected square matrices, a shape \(\.\.\., n, n\)"),
    (lambda a: tg.diag_part(a), (np.ones((2, 3)),),
     r"diag_part: shape \(2, 3\): expected an even rank with the first half of the dimensions "
     r"equal to the second"),
    (lambda a: tg.transpose(a, [0, 0]), (np.ones((2, 3)),),
     r"transpose: perm \[0, 0\] is not a permutation of the 2 axes of a tensor of shape \(2, 3\)"),
    (lambda a, b: tg.matmul(a, b), (np.ones((2, 3)), np.ones((2, 3))),
     r"matmul: shapes \(2, 3\) and \(2, 3\) do not fit: a.shape\[-1\] == b.shape\[-2\] is "
     r"required \(3 != 2\)"),
    (lambda a, b: tg.matmul(a, b), (np.ones((2, 2, 3)), np.ones((3, 3, 4))),
     r"matmul: shapes \(2, 2, 3\) and \(3, 3, 4\): the batch dimensions \(2,\) and \(3,\) do not "
     r"broadcast"),
    (lambda a, b: tg.matmul(a, b), (np.ones(3), 1.0),
     r"matmul: shapes \(3,\) and \(\): both operands need at least one dimension \(use \* to "
     r"multiply by a scalar\)"),
    (lambda a, b: tg.matmul(a, b), (1.0, np.ones(3)),
     r"matmul: shapes \(\) and \(3,\): both operands need at least one dimension \(use \* to "
     r"multiply by a scalar\)"),
    (lambda a: tg.reduce_max(a), (np.ones(0),),
     r"reduce_max of an empty tensor: expected at least one element"),
    (lambda a: tg.reduce_min(a), (np.ones((2, 0)),),
     r"reduce_min of an empty tensor: expected at least one element"),
])
def test_a_misfit_found_when_the_graph_runs_is_told_in_the_ops_words(build, values, message):
    with pytest.raises(ShapeError, match="^" + message + "$"):
        _fed(build, values)


def test_unique_of_a_matrix_fed_at_run_time_is_refused():
    with tg.Graph().as_default():
        u = tg.placeholder(tg.int32, None)
        with pytest.raises(ShapeError, match=r"^unique: Shape must be rank 1 but is rank 2: "
                                             r"tg.unique takes a vector \(tg.reshape\(x, \[-1\]\) "
                                             r"first\)$"):
            run(tg.unique(u)[0], {u: [[1, 2]]})


# ------------------------------------------------------------------------------------------------
# Ops that move elements: tile, gather, fill, squeeze, add_n, stack, linspace, unique
# ------------------------------------------------------------------------------------------------

def test_tile_and_gather_derivatives_are_tf1s():
    x = tg.reshape(tg.range(6.0), (2, 3))
    (g,) = tg.gradients(tg.tile(x, [2, 3]) * tg.reshape(tg.range(36.0), (4, 9)), x)
    np.testing.assert_array_equal(g.numpy(), [[72, 78, 84], [126, 132, 138]])
    (g,) = tg.gradients(tg.gather(x, [[2, 0], [2, 2]], axis=1)
                        * tg.reshape(tg.range(8.0), (2, 2, 2)), x)
    np.testing.assert_array_equal(g.numpy(), [[1, 0, 5], [5, 0, 17]])


@pytest.mark.parametrize("multiples", [[2, 3], [1, 1], [3, 1], [1, 2]])
def test_tile_values_and_derivatives(multiples):
    x = np.random.default_rng(8).normal(size=(2, 3))
    np.testing.assert_array_equal(tg.tile(x, multiples).numpy(), np.tile(x, multiples))
    w = np.random.default_rng(9).normal(size=np.tile(x, multiples).shape)
    check_grads(lambda t: tg.tile(t, multiples) ** 2 * w, (x,), order=2, modes=("fwd", "rev"))


@pytest.mark.parametrize("indices, axis", [([2, 0, 2], 0), ([[1, 1], [0, 2]], 0), ([3, 0], 1),
                                           ([[1], [3]], 1), (2, 1), ([1, 1, 1], -1)])
def test_gather_values_and_derivatives(indices, axis):
    x = np.random.default_rng(10).normal(size=(3, 4))
    want = np.take(x, indices, axis=axis)
    np.testing.assert_array_equal(tg.gather(x, indices, axis=axis).numpy(), want)
    w = np.random.default_rng(11).normal(size=np.shape(want))
    check_grads(lambda t: tg.gather(t, indices, axis=axis) ** 2 * w, (x,), order=2,
                modes=("fwd", "rev"))


def test_gather_tile_and_squeeze_of_unknown_sizes_in_a_session():
    value = np.arange(12.0).reshape(3, 4)
    with tg.Graph().as_default():
        x = tg.placeholder(tg.float64, (None, None))
        i = tg.placeholder(tg.int32, (None,))
        y = tg.gather(x, i, axis=1) ** 2
        t = tg.tile(x, [1, 2]) ** 2
        s = tg.squeeze(tg.expand_dims(x, 1) ** 2, axis=1)
        grads = tg.gradients(tg.reduce_sum(y) + tg.reduce_sum(t) + tg.reduce_sum(s), x)
        second = tg.gradients(tg.reduce_sum(grads[0] * grads[0]), x)
        got = run([y, grads[0], second[0]], {x: value, i: [3, 3, 0]})
    np.testing.assert_array_equal(got[0], value[:, [3, 3, 0]] ** 2)
    times = np.array([1, 0, 0, 2]) + 2 + 1      # gathered, tiled twice, squeezed once
    np.testing.assert_array_equal(got[1], 2 * value * times)
    np.testing.assert_array_equal(got[2], 8 * value * times ** 2)


def test_fill_derivative_sums_the_cotangent_and_its_static_shape():
    check_grads(lambda v: tg.fill([2, 3], v) * np.arange(6.0).reshape(2, 3), (1.5,), order=2,
                modes=("fwd", "rev"))
    v = tg.constant(2.0)
    (g,) = tg.gradients(tg.fill([2, 3], v) * tg.reshape(tg.range(6.0), (2, 3)), v)
    assert g.numpy() == 15.0
    assert tg.fill([2, 3], 7).dtype == tg.int32 and tg.fill([2, 3], 7).numpy().sum() == 42


def test_add_n_and_stack_values_and_derivatives():
    a, b, c = (np.random.default_rng(s).normal(size=(2, 3)) for s in (12, 13, 14))
    np.testing.assert_allclose(tg.add_n([a, b, c]).numpy(), a + b + c, rtol=1e-12)
    check_grads(lambda u, v, w: tg.add_n([u, v, w]) ** 2, (a, b, c), order=2,
                modes=("fwd", "rev"))
    x = tg.constant(a)
    assert tg.add_n([x]).numpy().tolist() == a.tolist()
    y = tg.add_n([x, x])
    np.testing.assert_array_equal(x.numpy(), a)      # (the sum is a copy: x is untouched)
    np.testing.assert_array_equal(y.numpy(), 2 * a)
    for axis in (0, 1, 2, -1, -3):
        check_grads(lambda u, v: tg.stack([u, v ** 2], axis=axis) * 1.5, (a, b), order=2,
                    modes=("fwd", "rev"))


def test_linspace_is_tf1s():
    got = tg.linspace(1.0, 2.0, 5)
    assert got.dtype == tg.float32
    np.testing.assert_array_equal(got.numpy(), np.array([1, 1.25, 1.5, 1.75, 2], np.float32))
    g = tg.linspace(tg.constant(0.0, tg.float64), 1.0, 3)
    assert g.dtype == tg.float64 and g.numpy().tolist() == [0.0, 0.5, 1.0]
    with pytest.raises(TypeError, match=r"^LinSpace: Value passed to parameter 'start' has "
                                        r"DataType int32 not in list of allowed values: "
                                        r"bfloat16, float16, float32, float64"):
        tg.linspace(1, 2, 3)
    start = tg.constant(0.0)
    assert tg.gradients(tg.linspace(start, 1.0, 3), start) == [None]


def test_unique_keeps_the_order_of_first_appearance():
    y, idx = tg.unique(tg.constant([3, 1, 3, 2, 1, 5]))
    assert y.numpy().tolist() == [3, 1, 2, 5] and y.dtype == tg.int32
    assert idx.numpy().tolist() == [0, 1, 0, 2, 1, 3] and idx.dtype == tg.int32
    y, idx = tg.unique(tg.constant([3.0, 1.0, 3.0, -2.0]), out_idx=tg.int64)
    assert y.numpy().tolist() == [3.0, 1.0, -2.0] and y.dtype == tg.float32
    assert idx.numpy().tolist() == [0, 1, 0, 2] and idx.dtype == tg.int64
    with tg.Graph().as_default():
        u = tg.placeholder(tg.float32, (None,))
        y, idx = tg.unique(u)
        assert y.shape.as_list() == [None] and idx.shape.as_list() == [None]
        assert idx.dtype == tg.int32
        got = run([y, idx], {u: [5.0, 5.0, 4.0]})
        assert got[0].tolist() == [5.0, 4.0] and got[1].tolist() == [0, 0, 1]
    x = tg.constant([1.0, 2.0])
    with pytest.raises(LookupError, match=r"^No gradient defined for operation 'Unique' \(op "
                                          r"type: Unique\), as in TensorFlow 1\. If you want to "
                                          r"pretend this operation is a constant in your program, "
                                          r"you may insert tg.stop_gradient$"):
        tg.gradients(tg.unique(x)[0], x)


def test_batched_diagonals_of_three_axes_and_their_dtypes():
    x = np.arange(24.0).reshape(2, 3, 4)
    got = tg.matrix_diag(tg.constant(x)).numpy()
    assert got.shape == (2, 3, 4, 4)
    np.testing.assert_array_equal(got, x[..., None] * np.eye(4))
    part = tg.matrix_diag_part(tg.constant(x)).numpy()
    np.testing.assert_array_equal(part, [[0, 5, 10], [12, 17, 22]])
    x32 = tg.constant(x.astype(np.float32))
    (g,) = tg.gradients(tg.matrix_diag_part(x32) * 2.0, x32)
    assert g.dtype == tg.float32 and g.numpy().dtype == np.float32
    np.testing.assert_array_equal(g.numpy(), np.broadcast_to(2 * np.eye(3, 4), (2, 3, 4)))
    (g,) = tg.gradients(tg.matrix_diag(x32) * 3.0, x32)
    assert g.dtype == tg.float32 and g.numpy().tolist() == np.full((2, 3, 4), 3.0).tolist()


@pytest.mark.parametrize("make", [
    lambda x: tg.stop_gradient(x), lambda x: tg.floor(x), lambda x: tg.argmax(tg.stack([x, 1.0])),
    lambda x: tg.argmin(tg.stack([x, 1.0])), lambda x: tg.size(tg.stack([x, x])),
    lambda x: tg.rank(x), lambda x: tg.reduce_sum(tg.shape(tg.stack([x]))),
    lambda x: tg.reduce_sum(tg.zeros_like(x)), lambda x: tg.reduce_sum(tg.ones_like(x)),
    lambda x: tg.reduce_sum(tg.one_hot(tg.cast(x, tg.int32), 3)),
    lambda x: tg.cast(tg.logical_not(tg.less(x, 0.0)), tg.float32),
])
def test_a_value_with_no_derivative_may_become_a_number_inside_grad(make):
    # (ops/nondiff.py's ops are in NO_DERIVATIVE: float() of their result is no derivative lost)
    def f(x):
        return float(make(x)) * x
    expected = float(make(tg.constant(2.0)))
    assert float(tg.grad(f)(2.0)) == expected


def test_sparse_labels_out_of_range_are_refused_as_tf1():
    logits = tg.constant([[1.0, 2.0, 3.0], [1.0, 0.0, 0.0]])
    for labels, bad in [([0, 3], 3), ([-1, 0], -1)]:
        with pytest.raises(InvalidArgumentError, match=rf"^Received a label value of {bad} which "
                                                       r"is outside the valid range of \[0, 3\)\.$"):
            tg.nn.sparse_softmax_cross_entropy_with_logits(labels=tg.constant(labels),
                                                           logits=logits)
    got = tg.nn.sparse_softmax_cross_entropy_with_logits(labels=tg.constant([2, 1]), logits=logits)
    np.testing.assert_allclose(got.numpy(), [0.407606, 1.5514446], rtol=1e-6)   # TF-1's values


def test_the_logical_ops_are_tf1s():
    a, b = tg.constant([True, True, False, False]), tg.constant([True, False, True, False])
    assert tg.logical_and(a, b).numpy().tolist() == [True, False, False, False]
    assert tg.logical_or(a, b).numpy().tolist() == [True, True, True, False]
    assert tg.logical_xor(a, b).numpy().tolist() == [False, True, True, False]
    assert tg.logical_not(a).numpy().tolist() == [False, False, True, True]
    g = tg.trace(lambda x: tg.where(tg.logical_and(tg.less(x, 3.0), tg.greater(x, 1.0)), x, 0.0),
                 x=2.0)
    assert "c = a and b" in [g.formula(n) for n in g.nodes]


# ------------------------------------------------------------------------------------------------
# More: texts on the teaching graph (declared at import), op defaults, dtypes of gradients
# ------------------------------------------------------------------------------------------------

def test_the_no_derivative_ops_on_the_teaching_graph():
    g = tg.trace(lambda x, y: tg.where(
        tg.logical_xor(tg.reduce_any(tg.less(x, y)),
                       tg.logical_not(tg.reduce_all(tg.logical_or(tg.less(x, y), tg.less(y, x))))),
        tg.stop_gradient(x) * tg.floor(x), x), x=[2.0, 3.0], y=[3.0, 1.0])
    assert [g.formula(n) for n in g.nodes] == [
        "x", "y", "a = x < y", "b = any a", "c = x < y", "d = y < x", "e = c or d", "f = all e",
        "g = not f", "h = b xor g", "i = stop(x)", "j = ⌊x⌋", "k = i·j", "l = k if h else x"]
    partials = {str(e).split(": ")[1].split("  [")[0] for e in g.edges
                if str(e).split(" -> ")[1][0] in "abcdefghij"}
    assert partials == {f"∂{n}/∂{m} = 0" for n, m in [
        ("a", "x"), ("a", "y"), ("b", "a"), ("c", "x"), ("c", "y"), ("d", "y"), ("d", "x"),
        ("e", "c"), ("e", "d"), ("f", "e"), ("g", "f"), ("h", "b"), ("h", "g"), ("i", "x"),
        ("j", "x")]}
    assert tg.reduce_any.__doc__.startswith("reduce_any: whether any element along the axes is "
                                            "True (no derivative)")
    assert tg.logical_and.__doc__.startswith("logical_and: element-wise boolean and")
    assert tg.logical_not.__doc__.startswith("logical_not: element-wise boolean not")


def test_the_ops_own_defaults_of_min_prod_gather_and_stack():
    from teachgrad import ops
    x = tg.constant(np.array([[1.0, 2.0, 3.0], [6.0, 5.0, 4.0], [7.0, 9.0, 8.0]]), tg.float64)
    w = tg.constant([1.0, 2.0, 3.0], tg.float64)
    assert ops.reduce_min(x).numpy() == 1.0 and ops.reduce_min(x).shape == ()
    assert ops.reduce_prod(x).shape == ()
    (g,) = tg.gradients(ops.reduce_min(x, axis=1), x, grad_ys=w)
    np.testing.assert_array_equal(g.numpy(), [[1, 0, 0], [0, 0, 2], [3, 0, 0]])
    (g,) = tg.gradients(ops.reduce_prod(x, axis=1), x, grad_ys=w)
    np.testing.assert_allclose(g.numpy(), [[6, 3, 2], [40, 48, 60], [216, 168, 189]])
    (g,) = tg.gradients(ops.gather(x, np.array([2, 2])) * 1.0, x)   # axis 0
    np.testing.assert_array_equal(g.numpy(), [[0, 0, 0], [0, 0, 0], [2, 2, 2]])
    a, b = tg.constant([1.0, 2.0], tg.float64), tg.constant([3.0, 4.0], tg.float64)
    y = ops.pack(a, b)                                                  # axis 0
    np.testing.assert_array_equal(y.numpy(), [[1, 2], [3, 4]])
    ga, gb = tg.gradients(y * tg.constant([[1.0, 2.0], [3.0, 4.0]], tg.float64), [a, b])
    np.testing.assert_array_equal(ga.numpy(), [1, 2])
    np.testing.assert_array_equal(gb.numpy(), [3, 4])


def test_reduce_prod_over_one_element_or_none():
    x = tg.constant([[2.0], [3.0]])
    (g,) = tg.gradients(tg.reduce_prod(x, axis=1), x)
    np.testing.assert_array_equal(g.numpy(), [[1.0], [1.0]])        # the empty product
    assert g.dtype == tg.float32 and g.numpy().dtype == np.float32
    e = tg.constant(np.zeros((2, 0), np.float32))
    (g,) = tg.gradients(tg.reduce_prod(e, axis=1), e)
    assert g.numpy().shape == (2, 0)
    check_grads(lambda t: tg.reduce_prod(t, axis=0), (np.array([[2.0, 3.0]]),), order=2)


def test_gradient_dtypes_and_static_shapes_of_the_moving_ops():
    with tg.Graph().as_default():
        x = tg.placeholder(tg.float32, (3, 4))
        for y in [tg.gather(x, [2, 0]), tg.gather(x, [[1], [3]], axis=1), tg.tile(x, [2, 1]),
                  tg.matrix_diag_part(x), tg.reduce_prod(x, axis=0), tg.reduce_min(x, axis=1)]:
            (g,) = tg.gradients(y, x)
            assert g.shape.as_list() == [3, 4] and g.dtype == tg.float32
            got = run(g, {x: np.arange(1.0, 13.0).reshape(3, 4)})
            assert got.dtype == np.float32 and got.shape == (3, 4)
        i = tg.placeholder(tg.int32, (None, 2))
        r = tg.reshape(i, tg.shape(x))
        assert r.dtype == tg.int32 and r.shape.as_list() == [3, 4]
    assert tg.diag(tg.constant([1, 2])).dtype == tg.int32
    assert tg.diag(tg.constant([1, 2])).numpy().tolist() == [[1, 0], [0, 2]]


def test_rounding_divisions_by_one_and_without_warnings():
    import warnings
    for op in (tg.floordiv, tg.floormod, tg.truncatediv, tg.truncatemod):
        assert op(tg.constant([7, -7]), tg.constant([1, 1])).numpy().tolist() in ([7, -7], [0, 0])
        with warnings.catch_warnings():
            warnings.simplefilter("error")   # a float divided by zero: inf or nan, no warning
            op(tg.constant([1.0, -1.0, 0.0]), tg.constant([0.0, 0.0, 0.0])).numpy()
    with pytest.raises(InvalidArgumentError, match="^Integer division by zero$"):
        tg.floordiv(tg.constant([1]), tg.constant([0]))
    assert tg.floordiv(tg.constant([1.5]), 0.0).numpy().tolist() == [np.inf]


def test_tensordot_with_two_free_axes_of_b():
    rng = np.random.default_rng(15)
    a, b = rng.normal(size=(2, 3)), rng.normal(size=(3, 4, 5))
    check_grads(lambda u, v: tg.tensordot(u, v, [[1], [0]]), (a, b), order=1)
    a, b = rng.normal(size=(4, 2, 3)), rng.normal(size=(5, 3, 6, 2))
    check_grads(lambda u, v: tg.tensordot(u, v, [[1, 2], [3, 1]]), (a, b), order=1)


def test_float_floor_and_truncating_divisions_divide_first_as_tf1():
    # TF-1: floordiv(1.0, 0.1) is floor(1.0 / 0.1) = 10 (NumPy's floor_divide gives 9: a bug found
    # by the mutants); truncatediv(1.0, 0.1) is 10; floormod's ∂/∂y is −floordiv, −10
    a = tg.constant([1.0, -1.0, 0.3], tg.float64)
    b = tg.constant([0.1, 0.1, 0.1], tg.float64)
    np.testing.assert_array_equal(tg.floordiv(a, b).numpy(), [10.0, -10.0, 2.0])
    np.testing.assert_array_equal(tg.truncatediv(a, b).numpy(), [10.0, -10.0, 2.0])
    assert tg.floordiv(a, b).dtype == tg.float64
    a32, b32 = tg.constant([1.0, -1.0]), tg.constant([0.1, 0.1])      # float32: the same (TF-1)
    np.testing.assert_array_equal(tg.truncatediv(a32, b32).numpy(), [10.0, -10.0])
    np.testing.assert_array_equal(tg.floordiv(a32, b32).numpy(), [10.0, -10.0])
    x, y = tg.constant([1.0, 2.5]), tg.constant([0.1, 0.7])
    gx, gy = tg.gradients(tg.floormod(x, y), [x, y])
    np.testing.assert_array_equal(gx.numpy(), [1.0, 1.0])
    np.testing.assert_array_equal(gy.numpy(), [-10.0, -3.0])
    np.testing.assert_allclose(tg.floormod(x, y).numpy(), [0.09999999, 0.40000004], rtol=1e-6)
    # integers at the ends of their range (TF-1: int8 −128 / 3 and 127 / −3 are both −42)
    q = tg.truncatediv(tg.constant(np.array([-128, 127], np.int8)),
                       tg.constant(np.array([3, -3], np.int8)))
    assert q.numpy().tolist() == [-42, -42] and q.dtype == tg.int8
    u = tg.truncatediv(tg.constant(np.array([255, 0], np.uint8)),
                       tg.constant(np.array([2, 7], np.uint8)))
    assert u.numpy().tolist() == [127, 0]


def test_the_size_ops_own_default_dtype_is_int32():
    from teachgrad import ops
    with tg.Graph().as_default():
        u = tg.placeholder(tg.float32, None)
        assert ops.shape(u).dtype == tg.int32 and ops.size(u).dtype == tg.int32
        assert ops.shape(u).shape.as_list() == [None] and ops.size(u).shape.as_list() == []


def test_integer_divisions_of_large_int64_are_exact():
    # TF-1 divides int64 as integers: 2**62 + 1 over 1 is 2**62 + 1 (a float division would give
    # 2**62); over -2 it is -(2**61) (truncated) and -(2**61) - 1 (floored)
    a = tg.constant(np.array([2 ** 62 + 1, 2 ** 62 + 1, -(2 ** 62) - 1], np.int64))
    b = tg.constant(np.array([1, -2, 2], np.int64))
    assert tg.truncatediv(a, b).numpy().tolist() == [2 ** 62 + 1, -(2 ** 61), -(2 ** 61)]
    assert tg.floordiv(a, b).numpy().tolist() == [2 ** 62 + 1, -(2 ** 61) - 1, -(2 ** 61) - 1]


def test_forward_mode_through_the_no_derivative_ops():
    # a tangent does not flow through them (zero), and the other factor's does
    x = np.array([1.5, -2.5])
    for f, dot in [(lambda t: tg.stop_gradient(t) * t, [1.5, -2.5]),
                   (lambda t: tg.floor(t) * t, [1.0, -3.0]),
                   (lambda t: tg.cast(tg.argmax(t), tg.float64) + t, [1.0, 1.0]),
                   (lambda t: tg.zeros_like(t) + t * tg.ones_like(t), [1.0, 1.0]),
                   (lambda t: tg.cast(tg.logical_and(t > 0, t < 2), tg.float64) + t, [1.0, 1.0])]:
        _, got = tg.jvp(f, (x,), (np.ones(2),))
        np.testing.assert_array_equal(got.numpy(), dot)


def test_the_logical_reductions_own_derivatives_and_a_float32_seed():
    x = tg.constant([1.0, -2.0])
    assert tg.gradients(tg.reduce_any(x > 0), x) == [None]          # TF-1: [None]
    assert tg.gradients(tg.reduce_all(x > 0, axis=0), x) == [None]
    for op in (tg.reduce_any, tg.reduce_all):
        _, dot = tg.jvp(lambda t: op(t > 0), (np.array([1.0, -2.0]),), (np.ones(2),))
        assert dot.dtype == tg.float64 and dot.numpy() == 0.0
    # the seed of a float32 number is float32: so is the gradient
    (g,) = tg.gradients(tg.reduce_sum(x * x), x)
    assert g.dtype == tg.float32 and g.numpy().dtype == np.float32
    assert tg.grad(lambda t: tg.reduce_sum(t * t))(np.array([1.0, 2.0], np.float32)).numpy().dtype \
        == np.float32


# ------------------------------------------------------------------------------------------------
# reduce_any and reduce_all take bools only (TF-1's Any and All)
# ------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("op, op_type", [(tg.reduce_any, "Any"), (tg.reduce_all, "All")])
@pytest.mark.parametrize("dtype", [tg.float32, tg.int32])
def test_the_logical_reductions_refuse_numbers_as_tensorflow_1_does(op, op_type, dtype):
    # (a bug found on the way: reduce_any of [1., 0.] was True.) TF-1: TypeError "Input 'input'
    # of 'Any' Op has type float32 that does not match expected type of bool", for a constant and
    # for a placeholder alike
    name = dtype.name
    with pytest.raises(TypeError) as refused:
        op(tg.constant(np.array([1, 0], dtype.as_numpy_dtype)))
    assert str(refused.value) == (
        f"{op_type}: Value passed to parameter 'input' has DataType {name} not in list of allowed "
        "values: bool; TensorFlow 1 never converts it for you: use tg.cast(x, tg.bool)")
    with tg.Graph().as_default():
        with pytest.raises(TypeError, match=f"{op_type}: .* DataType {name} .* tg.bool"):
            op(tg.placeholder(dtype, [2]))


def test_a_number_cast_to_bool_is_reduced():
    x = tg.cast(tg.constant([[0.5, 0.0], [0.0, 0.0]]), tg.bool)
    assert tg.reduce_any(x, axis=1).numpy().tolist() == [True, False]
    assert tg.reduce_all(x).numpy() == False   # noqa: E712


# ------------------------------------------------------------------------------------------------
# tf.sign: TF-1's Sign (its gradient zeros, its dtypes)
# ------------------------------------------------------------------------------------------------

def test_the_gradient_of_sign_is_zeros_as_tensorflow_1_gives_it():
    # (a difference found on the way: tf.gradients(tf.sign(x), x) was [None].) TF-1: [0. 0. 0.]
    # (Sign's gradient is zeros_like), and the sign of x times x has the slope sign(x)
    x = tg.constant([-2.0, 0.0, 3.0])
    (g,) = tg.gradients(tg.sign(x), x)
    assert g.dtype == tg.float32 and g.numpy().tolist() == [0.0, 0.0, 0.0]
    assert tg.gradients(tg.sign(x) * x, x)[0].numpy().tolist() == [-1.0, 0.0, 1.0]
    # a scalar's: 0.0 in its dtype (TF-1: float32 0.0 for tf.constant(2.0), float64 for a double)
    for dtype in (np.float32, np.float64):
        s = tg.constant(dtype(2.0))
        zero = tg.gradients(tg.sign(s), s)[0].numpy()
        assert zero == 0.0 and zero.dtype == dtype
        assert tg.grad(tg.sign)(dtype(-3.0)).numpy().dtype == dtype
    with tg.Graph().as_default():
        p = tg.placeholder(tg.float32, [None])
        assert run(tg.gradients(tg.sign(p), p)[0], {p: [1.0, -1.0]}).tolist() == [0.0, 0.0]


@pytest.mark.parametrize("value, name", [([True, False], "bool"), (np.uint8([1, 2]), "uint8")])
def test_sign_refuses_bools_and_unsigned_integers_as_tensorflow_1(value, name):
    # TF-1: TypeError "Value passed to parameter 'x' has DataType bool not in list of allowed
    # values: bfloat16, float16, float32, float64, int8, int16, int32, int64, complex64, complex128"
    with pytest.raises(TypeError) as refused:
        tg.sign(tg.constant(value))
    assert str(refused.value).startswith(
        f"Sign: Value passed to parameter 'x' has DataType {name} not in list of allowed values: "
        "bfloat16, float16, float32, float64, int8, int16, int32, int64, complex64, complex128;")
    assert tg.sign(tg.constant(np.int8([-3, 0, 4]))).numpy().tolist() == [-1, 0, 1]


# ------------------------------------------------------------------------------------------------
# tf.range with bounds known only when the program runs (TF-1's Range op)
# ------------------------------------------------------------------------------------------------

def test_a_range_whose_bounds_are_fed_has_an_open_length_and_tf1s_dtypes():
    # TF-1: tf.range(tf.shape(x)[0]) is "range:0", shape (None,), int32, op type Range; with a
    # float32 bound it is float32, with an int64 one int64; fed, [0 1 2], [1. 1.5 2. 2.5], [0 1 2]
    with tg.Graph().as_default():
        x = tg.placeholder(tg.float32, [None, 2])
        p = tg.placeholder(tg.float32, [], name="p")
        q = tg.placeholder(tg.int64, [])
        rows, halves, longs = tg.range(tg.shape(x)[0]), tg.range(1, p, 0.5), tg.range(q)
        assert rows.op.type == "Range" and rows.name == "range:0"
        assert [(r.dtype, r.shape.as_list()) for r in (rows, halves, longs)] == [
            (tg.int32, [None]), (tg.float32, [None]), (tg.int64, [None])]
        got = run([rows, halves, longs], {x: np.zeros((3, 2)), p: 2.6, q: 3})
        assert [v.dtype for v in got] == [np.int32, np.float32, np.int64]
        assert [v.tolist() for v in got] == [[0, 1, 2], [1.0, 1.5, 2.0, 2.5], [0, 1, 2]]
        assert tg.trace(halves, {p: 2.6}).formula("range_1") == \
            "range_1 = range(Const_2, p, Const_3)"


def test_the_teaching_graphs_forward_steps_through_a_logical_reduction():
    # the Jacobian of any(t > 0) by its input (one output, two bools) is shown as 1×2, its
    # tangent 0: the derivative flows only through the product's second factor
    for op in (tg.reduce_any, tg.reduce_all):
        g = tg.trace(lambda t: tg.cast(op(t > 0), tg.float64) * t, t=[1.0, -2.0])
        assert [str(s) for s in g.forward_mode("t")][2:] == [
            "<Step 2 (forward) ḃ = ∂b/∂a·ȧ = [1×2]·[2] = 0>",
            "<Step 3 (forward) ċ = ∂c/∂b·ḃ = [1×1]·0 = 0>",
            "<Step 4 (forward) ḋ = ∂d/∂c·ċ + ∂d/∂t·ṫ = [2]·0 + [2]·[2] = [2]>"]


def test_forward_mode_from_a_bool_input_of_the_teaching_graph_gives_zero_steps():
    # a student may seed forward mode at any node of the picture, a bool placeholder too: the
    # logical reductions have no derivative, shown as 0, not an error
    with tg.Graph().as_default():
        p = tg.placeholder(tg.bool, [2])
        for op, name in [(tg.reduce_all, "All"), (tg.reduce_any, "Any")]:
            step = str(tg.trace(op(p), {p: [True, True]}).forward_mode("Placeholder")[1])
            assert step.startswith("<Step 1 (forward) ") and step.endswith(
                f" = ∂{name}/∂Placeholder·Placeholdeṙ = [1×2]·[2] = 0>")
