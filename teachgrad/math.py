"""``tg.math``: TensorFlow's ``tf.math`` names (``tf.math.log``): every element-wise function
declared in ``ops``, the reductions, the comparisons and the logical functions."""

from .tf1 import array_ops as arrays, division_ops as division, math_ops as functions
from . import ops

__all__ = [p.function for p in ops.REGISTRY.values() if p.elementwise and p.function] + [
    "reduce_sum", "reduce_mean", "reduce_max", "reduce_min", "reduce_prod", "reduce_any",
    "reduce_all", "reduce_logsumexp", "equal", "not_equal", "greater", "greater_equal", "less",
    "less_equal", "argmax", "argmin"]
_ARRAY_NAMES = ["truediv", "squared_difference", "count_nonzero", "floor", "logical_and",
                "logical_or", "logical_xor", "logical_not"]

globals().update({name: getattr(functions, name) for name in __all__})
globals().update({name: getattr(arrays, name) for name in _ARRAY_NAMES})
_DIVISION_NAMES = ["floordiv", "truncatediv", "truncatemod", "mod"]
globals().update({name: getattr(division, name) for name in _DIVISION_NAMES})
__all__ += _ARRAY_NAMES + _DIVISION_NAMES
