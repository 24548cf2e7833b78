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
