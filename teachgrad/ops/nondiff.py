"""Ops whose results have no derivative: indices, one-hot rows, sizes and shapes, stopped
gradients, zeros and ones shaped like another tensor. They are ops all the same, so they work on
tensors without values yet (graph mode) and appear in the pictures.
"""

import numpy as np

from ..core.shapes import TensorShape
from ..errors import InvalidArgumentError
from .registry import REAL_FLOATING, structural

__all__ = ["stop_gradient", "argmax", "argmin", "one_hot", "size", "shape", "zeros_like",
           "ones_like", "rank", "where_indices", "floor", "logical_and", "logical_or",
           "logical_xor", "logical_not", "range_of", "sign", "NO_DERIVATIVE"]

# The primitives declared here: no derivative flows through them, so a value made by one may
# become a Python number even while a transform traces (``float(tg.stop_gradient(x))``).
NO_DERIVATIVE = set()


def _none(n):
    return (lambda g, out, *args, **params: None,) * n


def _nondiff(name, impl, expr, doc, n_inputs=1, **options):
    prim = structural(name, impl, vjp=_none(n_inputs), jvp=_none(n_inputs), expr=expr,
                      formulas=("0",) * n_inputs, doc=doc, **options)
    NO_DERIVATIVE.add(prim)
    return prim


stop_gradient = _nondiff(
    "stop_gradient", lambda x: x, "stop({0})",
    "stop_gradient: the value of x; derivatives do not flow through it")

argmax = _nondiff(
    "argmax", lambda x, axis=None, output_type=np.int64: np.argmax(x, axis=axis).astype(output_type),
    "argmax {0}", "argmax: the index of the largest value along an axis")

argmin = _nondiff(
    "argmin", lambda x, axis=None, output_type=np.int64: np.argmin(x, axis=axis).astype(output_type),
    "argmin {0}", "argmin: the index of the smallest value along an axis")


def _one_hot(indices, depth, on_value, off_value, dtype, axis=-1, validate=False):
    indices = np.asarray(indices)
    if validate and indices.size and (indices.min() < 0 or indices.max() >= depth):
        bad = indices[(indices < 0) | (indices >= depth)].flat[0]
        raise InvalidArgumentError(None, None, f"Received a label value of {bad} which is "
                                   f"outside the valid range of [0, {depth}).")
    rows = indices[..., None] == np.arange(int(depth))
    return np.moveaxis(np.where(rows, on_value, off_value).astype(dtype), -1, axis)


one_hot = _nondiff("one_hot", _one_hot, "one_hot({0})",
                   "one_hot: rows with on_value at each index, off_value elsewhere")

# (their static shapes are known even for an input of unknown rank, as in TensorFlow 1: a size
# and a rank are scalars, a shape is a vector of one size per dimension)
def _out_type(params):
    return np.dtype(params.get("out_type", np.int32))


size = _nondiff("size", lambda x, out_type=np.int32: np.asarray(np.size(x), dtype=out_type),
                "size({0})", "size: the number of elements",
                infer=lambda inputs, params: (TensorShape([]), _out_type(params)))

shape = _nondiff("shape", lambda x, out_type=np.int32: np.asarray(np.shape(x), dtype=out_type),
                 "shape({0})", "shape: the shape, as a tensor of sizes",
                 infer=lambda inputs, params: (TensorShape([inputs[0].shape.ndims]),
                                               _out_type(params)))

def _filled(number):
    def like(x, dtype=None):
        if x.__class__ is not np.ndarray:   # a NumPy scalar (reverse mode's usual seed): fast
            return (x.dtype if dtype is None else np.dtype(dtype)).type(number)
        return np.full_like(x, number, dtype=dtype)
    return like


zeros_like = _nondiff("zeros_like", _filled(0), "zeros like {0}", "zeros_like: zeros of x's shape")

ones_like = _nondiff("ones_like", _filled(1), "ones like {0}", "ones_like: ones of x's shape")

rank = _nondiff("rank", lambda x: np.int32(np.ndim(x)), "rank({0})",
                "rank: the number of dimensions, as a tensor",
                infer=lambda inputs, params: (TensorShape([]), np.dtype(np.int32)))

where_indices = _nondiff(
    "where_indices", lambda condition: np.argwhere(condition).astype(np.int64), "where({0})",
    "where_indices: the coordinates of the True elements, one row each (TensorFlow's Where)",
    infer=lambda inputs, params: (TensorShape([None, inputs[0].shape.ndims]), np.dtype(np.int64)))

floor = _nondiff("floor", np.floor, "⌊{0}⌋",
                 "floor: the largest integer ≤ x (its derivative is 0 almost everywhere: none)",
                 dtypes=REAL_FLOATING)

# (TensorFlow 1's Sign takes no bools and no unsigned integers; its gradient is zeros, not None)
sign = structural("sign", np.sign, vjp=(lambda g, out, x: zeros_like(x),), jvp=_none(1),
                  expr="sign({0})", formulas=("0",),
                  dtypes=("x", "fic", "bfloat16, float16, float32, float64, int8, int16, int32, "
                          "int64, complex64, complex128"),
                  doc="sign: -1, 0 or 1 by the sign of x (its derivative is 0 almost everywhere: "
                      "zeros)")
NO_DERIVATIVE.add(sign)


def _logical(name, fn, symbol, n_inputs=2):
    return _nondiff(name, fn, ("{0} " + symbol + " {1}") if n_inputs == 2 else symbol + " {0}",
                    f"{name}: element-wise boolean {symbol}", n_inputs)


logical_and = _logical("logical_and", np.logical_and, "and")
logical_or = _logical("logical_or", np.logical_or, "or")
logical_xor = _logical("logical_xor", np.logical_xor, "xor")
logical_not = _logical("logical_not", np.logical_not, "not", n_inputs=1)


def _range_static(inputs, params):
    """A range whose bounds are known only when it runs: its length is unknown until then."""
    return TensorShape([None]), np.dtype(params["dtype"])


range_of = _nondiff(
    "range_of", lambda start, limit, delta, dtype: np.arange(start, limit, delta).astype(dtype),
    "range({0}, {1}, {2})", "range_of: start, start + delta, … below limit (TensorFlow's Range, "
    "its bounds known only when it runs)", 3, infer=_range_static)
