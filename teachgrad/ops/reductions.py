"""The reductions beside ``reduce_sum``/``mean``/``max``: ``reduce_min``, ``reduce_prod``, and the
boolean ``reduce_any``/``reduce_all`` (no derivative).

Their rules put the reduced axes back with :func:`~teachgrad.ops.arrays.keep_axes`, which needs no
sizes, so they differentiate through placeholders of unknown sizes.
"""

import numpy as np

from ..errors import ShapeError
from .arrays import keep_axes
from .registry import ge_mask, structural
from .structural import NUMBERS, norm_axis, reduce_sum

__all__ = ["reduce_min", "reduce_prod", "prod_others", "reduce_any", "reduce_all"]


def _no_rule(g, out, *args, **params):
    return None


def _axes(x, axis):
    return norm_axis(axis, np.ndim(x))   # (None: every axis)


def _reduce_min_impl(x, axis=None, keepdims=False):
    if np.size(x) == 0:
        raise ShapeError("reduce_min of an empty tensor: expected at least one element")
    return np.min(x, axis=_axes(x, axis), keepdims=keepdims)


def _min_share(out, x, axis, keepdims):
    """Where x reaches its min: 1/(number of ties), as TensorFlow splits a tie."""
    hit = ge_mask(keep_axes(out, np.shape(x), axis, keepdims), x)
    return hit / keep_axes(reduce_sum(hit, axis, keepdims), np.shape(x), axis, keepdims)


reduce_min = structural(
    "reduce_min", _reduce_min_impl,
    vjp=(lambda g, out, x, axis=None, keepdims=False:
         keep_axes(g, np.shape(x), axis, keepdims) * _min_share(out, x, axis, keepdims),),
    jvp=(lambda x_dot, out, x, axis=None, keepdims=False:
         reduce_sum(x_dot * _min_share(out, x, axis, keepdims), axis, keepdims),),
    expr="min {0}", formulas=("1 at the minimum, else 0",),
    doc="reduce_min: f(x) = minᵢ xᵢ;  ∂f/∂xᵢ = 1 at the minimum (shared equally by ties), else 0")


def _prod_others_impl(x, axis=None):
    """For each element, the product of the *other* elements it is reduced with: exclusive
    products from the left times those from the right, so a zero element needs no division."""
    x = np.asarray(x)
    axes = list(norm_axis(axis, x.ndim))
    rest = [i for i in range(x.ndim) if i not in axes]
    moved = np.transpose(x, rest + axes)
    flat = moved.reshape(moved.shape[:len(rest)] + (-1,))
    if flat.shape[-1] == 0:
        return np.zeros_like(x)
    ones = np.ones(flat.shape[:-1] + (1,), dtype=x.dtype)
    left = np.cumprod(np.concatenate([ones, flat[..., :-1]], axis=-1), axis=-1)
    right = np.cumprod(np.concatenate([ones, flat[..., :0:-1]], axis=-1), axis=-1)[..., ::-1]
    return np.transpose((left * right).reshape(moved.shape), np.argsort(rest + axes))


def _prod_others_vjp(h, out, x, axis=None):
    # ∂/∂x_j Σ_k h_k·others_k = (Σ_k h_k·others_k − h_j·others_j) / x_j: the second derivative
    # of reduce_prod at an element equal to 0 is not defined this way (a documented kink).
    weighted = h * out
    return (reduce_sum(weighted, axis, True) - weighted) / x


prod_others = structural(
    "prod_others", _prod_others_impl, vjp=(_prod_others_vjp,),
    jvp=(lambda x_dot, out, x, axis=None: out * (reduce_sum(x_dot / x, axis, True) - x_dot / x),),
    expr="Π others({0})", formulas=("Π of the others but one",),
    doc="prod_others: each element replaced by the product of the others along the axes")


def _reduce_prod_vjp(g, out, x, axis=None, keepdims=False):
    return keep_axes(g, np.shape(x), axis, keepdims) * prod_others(x, axis=axis)


def _reduce_prod_impl(x, axis=None, keepdims=False):
    # (in x's dtype: NumPy would multiply int32 into int64, where TensorFlow 1 keeps int32)
    return np.prod(x, axis=_axes(x, axis), keepdims=keepdims, dtype=np.result_type(x))


reduce_prod = structural(
    "reduce_prod", _reduce_prod_impl, dtypes=NUMBERS,
    vjp=(_reduce_prod_vjp,),
    jvp=(lambda x_dot, out, x, axis=None, keepdims=False:
         reduce_sum(x_dot * prod_others(x, axis=axis), axis, keepdims),),
    expr="Π {0}", formulas=("Π of the other elements",),
    doc="reduce_prod: f(x) = Πᵢ xᵢ;  ∂f/∂xᵢ = Π_{j≠i} xⱼ (exact at zeros, no division)")


# (TensorFlow 1's Any and All take bools only: a number is a TypeError, not a truth value)
_BOOLS = ("input", "b", "bool")


def _logical_reduce(name, fn, symbol):
    return structural(
        name, lambda x, axis=None, keepdims=False: fn(x, axis=_axes(x, axis), keepdims=keepdims),
        vjp=(_no_rule,), jvp=(_no_rule,), expr=symbol + " {0}", formulas=("0",), dtypes=_BOOLS,
        doc=f"{name}: whether {symbol} element along the axes is True (no derivative)")


reduce_any = _logical_reduce("reduce_any", np.any, "any")
reduce_all = _logical_reduce("reduce_all", np.all, "all")
