"""Structural operations: broadcasting, linear algebra, reductions, shapes, indexing, casts.

They are linear in each input, so each declares a vector-Jacobian product per input (``vjp``) and
either a Jacobian-vector product (``jvp``) or ``linear=True``.
"""

import numpy as np

from ..errors import ShapeError
from ..core.primitive import Primitive, probe_static
from ..core.shapes import TensorShape, unknown_dims
from .registry import dtype_of, ge_mask, structural
from .runtime_shapes import (broadcast_like, concat_part, expand_dims, getitem_shape, reduced_count, reshape_like, scatter_like, scatter_value, sum_like, sum_to_value)

# ------------------------------------------------------------------------------------------------
# Broadcasting, undone once here for every element-wise rule
# ------------------------------------------------------------------------------------------------

def _broadcast_to_impl(x, shape):
    return np.broadcast_to(x, shape)


def _to_shape_of(g, x):
    """``g`` broadcast to the shape of ``x``: to its static shape when that is fully known, else
    to the shape ``x`` has when the graph runs."""
    shape = np.shape(x)
    if unknown_dims(shape):
        return broadcast_like(g, x)
    return broadcast_to(g, shape)


sum_to = structural(
    "sum_to", sum_to_value, linear=True,
    vjp=(lambda g, out, x, shape: _to_shape_of(g, x),),
    expr="sum_to({0})", formulas=("sum over broadcast axes",),
    doc="sum_to: sums a broadcast cotangent back to the input's shape")

broadcast_to = structural(
    "broadcast_to", _broadcast_to_impl, linear=True,
    vjp=(lambda g, out, x, shape: sum_to(g, np.shape(x)),),
    expr="broadcast({0})", formulas=("copy along broadcast axes",),
    doc="broadcast_to: copies x along new axes")


def _reshape_to_shape_of(g, x):
    shape = np.shape(x)
    if shape is TensorShape(None) or sum(n is None for n in shape) > 1:
        return reshape_like(g, x)
    return reshape(g, shape)


# ------------------------------------------------------------------------------------------------
# Linear algebra
# ------------------------------------------------------------------------------------------------

def _batch_shape(ba, bb):
    """The batch dimensions of a matmul, broadcast as NumPy does; an unknown size (None) meets a
    known one other than 1 as that one (TensorFlow 1's static shapes), else stays unknown."""
    out = []
    for k in range(1, max(len(ba), len(bb)) + 1):
        sizes = [s[-k] for s in (ba, bb) if len(s) >= k]
        known = {n for n in sizes if n is not None and n != 1}
        if len(known) > 1:
            return None
        out.append(known.pop() if known else None if None in sizes else 1)
    return tuple(reversed(out))


def _matmul_shape(sa, sb):
    """The shape of ``a @ b`` from the shapes of ``a`` and ``b`` (None: a size known only at run
    time); a ShapeError when they misfit."""
    sa, sb = tuple(sa), tuple(sb)
    shapes = f"{TensorShape(sa)} and {TensorShape(sb)}"
    if len(sa) == 0 or len(sb) == 0:
        raise ShapeError(f"matmul: shapes {shapes}: both operands need at least one "
                         "dimension (use * to multiply by a scalar)")
    inner_b = sb[-2] if len(sb) > 1 else sb[0]
    if None not in (sa[-1], inner_b) and sa[-1] != inner_b:
        raise ShapeError(f"matmul: shapes {shapes} do not fit: a.shape[-1] == b.shape[-2] "
                         f"is required ({sa[-1]} != {inner_b})")
    batch = _batch_shape(sa[:-2], sb[:-2])
    if batch is None:
        raise ShapeError(f"matmul: shapes {shapes}: the batch dimensions "
                         f"{TensorShape(sa[:-2])} and {TensorShape(sb[:-2])} do not broadcast")
    if len(sb) == 1:
        return sa[:-1]
    if len(sa) == 1:
        return sb[:-2] + sb[-1:]
    return batch + (sa[-2], sb[-1])


def _matmul_static(inputs, params):
    a, b = inputs
    if a.shape.ndims is None or b.shape.ndims is None:
        return probe_static(matmul, inputs, params, _matmul_shape)
    return TensorShape(_matmul_shape(a.shape, b.shape)), dtype_of(a)


def _matmul_impl(a, b):
    _matmul_shape(np.shape(a), np.shape(b))
    return np.matmul(a, b)


def _mT(x):
    return swapaxes(x, -1, -2)   # (of matrices only: the rules below treat vectors apart)


def _sum_to_shape_of(g, x):
    """``g`` summed down to the shape of ``x``: its static shape when that is fully known, else
    the shape ``x`` has when the graph runs (a batch of size 1 broadcast against 4)."""
    shape = np.shape(x)
    if unknown_dims(shape):
        return sum_like(g, x)
    return sum_to(g, shape)


def _matmul_vjp_a(g, out, a, b):
    # (new axes by expand_dims and dropped ones by indexing: neither needs the sizes, which a
    # placeholder of shape (None, None, 3) knows only at run time)
    if np.ndim(b) == 1:  # out[..., i] = Σ_k a[..., i, k] b[k]  (a vector a: g is a number)
        g_a = expand_dims(g, (-1,)) * b
    elif np.ndim(a) == 1:  # out[..., j] = Σ_k a[k] b[..., k, j]: (..., 1, k), summed below
        g_a = matmul(expand_dims(g, (-2,)), _mT(b))
    else:
        g_a = matmul(g, _mT(b))
    return _sum_to_shape_of(g_a, a)


def _matmul_vjp_b(g, out, a, b):
    if np.ndim(a) == 1:
        g_b = expand_dims(a, (1,)) * expand_dims(g, (-2,)) if np.ndim(b) > 1 else g * a
    elif np.ndim(b) == 1:
        g_b = getitem(matmul(_mT(a), expand_dims(g, (-1,))), (Ellipsis, 0))
    else:
        g_b = matmul(_mT(a), g)
    return _sum_to_shape_of(g_b, b)


matmul = structural(
    "matmul", _matmul_impl, same_dtype=(0, 1),   # (TensorFlow 1: no mixing of dtypes)
    infer=_matmul_static,
    vjp=(_matmul_vjp_a, _matmul_vjp_b),
    jvp=(lambda a_dot, out, a, b: matmul(a_dot, b), lambda b_dot, out, a, b: matmul(a, b_dot)),
    expr="{0} @ {1}", formulas=("ḡ ↦ ḡ·{1}ᵀ", "ḡ ↦ {0}ᵀ·ḡ"),
    doc="matmul: f(A, B) = A·B;  vjp: Ā = Ḡ·Bᵀ,  B̄ = Aᵀ·Ḡ;  jvp: Ȧ·B + A·Ḃ")


def _swapaxes_impl(x, a1, a2):
    return np.swapaxes(x, a1, a2)


swapaxes = structural(
    "swapaxes", _swapaxes_impl, linear=True,
    vjp=(lambda g, out, x, a1, a2: swapaxes(g, a1, a2),),
    expr="swapaxes({0})", formulas=("swap the axes back",))


# ------------------------------------------------------------------------------------------------
# Reductions
# ------------------------------------------------------------------------------------------------

def norm_axis(axis, ndim):
    if axis is None:
        return tuple(range(ndim))
    axes = (axis,) if np.ndim(axis) == 0 else tuple(axis)
    out = []
    for ax in axes:
        ax = int(ax)
        if not -ndim <= ax < ndim:   # (TensorFlow 1: "Invalid reduction dimension", a scalar too)
            raise ShapeError(f"axis {ax} is out of range for a tensor with {ndim} dimension(s): "
                             + (f"expected an axis in [{-ndim}, {ndim - 1}]" if ndim else
                                "a scalar has no axis"))
        out.append(ax % ndim)
    if len(set(out)) != len(out):
        raise ShapeError(f"axis {tuple(axes)} names an axis twice: expected each axis of the "
                         f"{ndim}-dimensional tensor at most once")
    return tuple(sorted(out))


def _keep(g, x_shape, axis, keepdims):
    """Put back the reduced axes of ``g`` (as size 1) so it broadcasts against the input."""
    if keepdims or not x_shape:
        return g
    axes = norm_axis(axis, len(x_shape))
    shape = tuple(1 if i in axes else n for i, n in enumerate(x_shape))
    if sum(n is None for n in shape) > 1:   # sizes known only at run time: insert the axes
        return expand_dims(g, axes)
    return reshape(g, shape)


def _reduce_sum_impl(x, axis=None, keepdims=False):
    # (in x's dtype: NumPy would sum int32 into int64, where TensorFlow 1 keeps int32)
    return np.sum(x, axis=norm_axis(axis, np.ndim(x)), keepdims=keepdims, dtype=np.result_type(x))


# (TensorFlow 1's Sum, Mean and Prod take numbers, not bools)
NUMBERS = ("input", "fciu", "float32, float64, int32, uint8, int16, int8, complex64, int64, "
            "bfloat16, uint16, complex128, float16, uint32, uint64")

reduce_sum = structural(
    "reduce_sum", _reduce_sum_impl, linear=True, dtypes=NUMBERS,
    vjp=(lambda g, out, x, axis=None, keepdims=False:
         _to_shape_of(_keep(g, np.shape(x), axis, keepdims), x),),
    expr="Σ {0}", formulas=("1 (each element)",),
    doc="reduce_sum: f(x) = Σᵢ xᵢ;  ∂f/∂xᵢ = 1")


def _count(x_shape, axis):
    return int(np.prod([x_shape[i] for i in norm_axis(axis, len(x_shape))]))


def _mean_vjp(g, out, x, axis=None, keepdims=False):
    shape = np.shape(x)
    kept = _keep(g, shape, axis, keepdims)
    if unknown_dims(shape):
        return broadcast_like(kept / reduced_count(x, out), x)
    return broadcast_to(kept / _count(shape, axis), shape)


def _reduce_mean_impl(x, axis=None, keepdims=False):
    if np.size(x) == 0:
        raise ShapeError("reduce_mean of an empty tensor: expected at least one element")
    axes = norm_axis(axis, np.ndim(x))   # (None: every axis)
    dtype = np.result_type(x)
    if np.issubdtype(dtype, np.integer):
        # TensorFlow 1's integer mean: the sum divided by the count as integers are, rounded
        # towards zero, in the input's dtype — [1, 2] has mean 1, the classic pitfall
        total = np.sum(x, axis=axes, keepdims=keepdims, dtype=np.int64 if dtype.kind == "i"
                       else np.uint64)
        count = np.size(x) // max(np.size(total), 1)
        return (np.sign(total) * (np.abs(total) // count)).astype(dtype)
    return np.mean(x, axis=axes, keepdims=keepdims)


reduce_mean = structural(
    "reduce_mean", _reduce_mean_impl, linear=True,
    vjp=(_mean_vjp,),
    expr="mean {0}", formulas=("1/n (each element)",),
    dtypes=NUMBERS,
    doc="reduce_mean: f(x) = (1/n) Σᵢ xᵢ;  ∂f/∂xᵢ = 1/n  (of integers: the integer mean, rounded "
        "towards zero, as in TensorFlow 1)")


def _reduce_max_impl(x, axis=None, keepdims=False):
    if np.size(x) == 0:
        raise ShapeError("reduce_max of an empty tensor: expected at least one element")
    return np.max(x, axis=norm_axis(axis, np.ndim(x)), keepdims=keepdims)   # (None: every axis)


def _max_share(out, x, axis, keepdims):
    """Where x reaches its max: 1/(number of ties), as TensorFlow splits a tie."""
    hit = ge_mask(x, _keep(out, np.shape(x), axis, keepdims))
    return hit / _keep(reduce_sum(hit, axis, keepdims), np.shape(x), axis, keepdims)


reduce_max = structural(
    "reduce_max", _reduce_max_impl,
    vjp=(lambda g, out, x, axis=None, keepdims=False:
         _keep(g, np.shape(x), axis, keepdims) * _max_share(out, x, axis, keepdims),),
    jvp=(lambda x_dot, out, x, axis=None, keepdims=False:
         reduce_sum(x_dot * _max_share(out, x, axis, keepdims), axis, keepdims),),
    expr="max {0}", formulas=("1 at the maximum, else 0",),
    doc="reduce_max: f(x) = maxᵢ xᵢ;  ∂f/∂xᵢ = 1 at the maximum (shared equally by ties), else 0")


# ------------------------------------------------------------------------------------------------
# Shapes and indexing
# ------------------------------------------------------------------------------------------------

def _reshape_impl(x, shape):
    if None in shape:   # a size known only at run time (a rule's static shape): like -1
        if -1 in shape or sum(n is None for n in shape) > 1:
            sizes = ", ".join("?" if n is None else str(n) for n in shape)   # (-1 too)
            raise ShapeError(f"reshape: shape ({sizes}) has more than one unknown size")
        shape = tuple(-1 if n is None else n for n in shape)
    try:
        return np.reshape(x, shape)
    except ValueError:
        raise ShapeError(f"reshape: cannot reshape a tensor of shape {np.shape(x)} "
                         f"({np.size(x)} elements) into {shape}: the number of elements must "
                         "stay the same") from None


reshape = structural(
    "reshape", _reshape_impl, linear=True,
    vjp=(lambda g, out, x, shape: _reshape_to_shape_of(g, x),),
    expr="reshape({0})", formulas=("reshape back",),
    doc="reshape: the same elements in a new shape; the cotangent is reshaped back")


def _transpose_impl(x, perm=None):
    if perm is not None and sorted(perm) != list(range(np.ndim(x))):
        raise ShapeError(f"transpose: perm {list(perm)} is not a permutation of the "
                         f"{np.ndim(x)} axes of a tensor of shape {np.shape(x)}")
    return np.transpose(x, perm)


transpose = structural(
    "transpose", _transpose_impl, linear=True,
    vjp=(lambda g, out, x, perm=None:
         transpose(g, None if perm is None else tuple(np.argsort(perm))),),
    expr="{0}ᵀ", formulas=("transpose back",),
    doc="transpose: permutes the axes; the cotangent is permuted back")


def _getitem_impl(x, index):
    return np.asarray(x)[index]


_PROBED_GETITEM = Primitive("getitem", _getitem_impl, vjp=(None,))   # (not registered)


def _getitem_vjp(g, out, x, index):
    shape = np.shape(x)
    if unknown_dims(shape):
        return scatter_like(g, x, index=index)
    return scatter(g, index, shape)


getitem = structural(
    "getitem", _getitem_impl, linear=True,
    infer=lambda inputs, params: getitem_shape(inputs[0], params["index"], _PROBED_GETITEM),
    vjp=(_getitem_vjp,),
    expr="{0}[…]", formulas=("1 at the selected elements",),
    doc="getitem: x[index];  the cotangent lands on the selected elements (added where repeated)")

scatter = structural(
    "scatter", scatter_value, linear=True,
    vjp=(lambda g, out, x, index, shape: getitem(g, index),),
    expr="scatter({0})", formulas=("the selected elements",))

def _cast_impl(x, dtype):
    return np.asarray(x).astype(dtype)


def _cast_vjp(g, out, x, dtype):
    if not np.issubdtype(dtype_of(x), np.inexact) or not np.issubdtype(np.dtype(dtype),
                                                                           np.inexact):
        return None  # an integer cast has no derivative (TensorFlow returns None too)
    return cast(g, dtype_of(x))


cast = structural(
    "cast", _cast_impl, vjp=(_cast_vjp,),
    jvp=(lambda x_dot, out, x, dtype: cast(x_dot, dtype)
         if np.issubdtype(np.dtype(dtype), np.inexact) else None,),
    expr="cast({0})", formulas=("1",),
    doc="cast: the same values in another dtype; a cast to an integer stops the derivative")


def _concat_impl(*xs, axis=0):
    return np.concatenate(xs, axis=axis)


def _concat_part(i):
    def vjp(g, out, *xs, axis=0):
        n = np.ndim(out)   # (0 for a result of unknown rank; an input of unknown rank has ())
        sizes = [tuple(s)[axis] if n and len(s) == n else None for s in map(np.shape, xs)]
        if None in sizes:   # where the pieces meet is known only at run time
            return concat_part(g, *xs, part=i, axis=axis)
        start = sum(sizes[:i])
        index = [slice(None)] * np.ndim(out)
        index[axis] = slice(start, start + sizes[i])
        return getitem(g, tuple(index))
    return vjp


class _ConcatRules(tuple):
    """One vjp per input, for any number of inputs."""

    def __getitem__(self, i):
        return _concat_part(i)


def _concat_static(inputs, params):
    """The static shape of a concat, from its inputs' shapes (TensorFlow's rule): a size known
    in one input is known in the result, along the axis the sum when every size is known. An
    input of unknown rank has the others' rank, its sizes unknown; all of unknown rank, the
    result's is unknown too."""
    shapes = [t.shape for t in inputs]
    ranked = [s.as_list() for s in shapes if s.ndims is not None]
    if not ranked:
        return probe_static(concat, inputs, params)
    axis, dims = params.get("axis", 0) % len(ranked[0]), []   # (the op's default: 0)
    for k, sizes in enumerate(zip(*ranked)):
        known = [n for n in sizes if n is not None]
        if k == axis:
            dims.append(sum(known) if len(known) == len(shapes) else None)
        else:
            dims.append(known[0] if known else None)
    return TensorShape(dims), dtype_of(inputs[0])


concat = structural(
    "concat", _concat_impl, vjp=_ConcatRules(), linear=True, infer=_concat_static,
    expr="concat(…)", formulas=_ConcatRules(),
    doc="concat: joins tensors along an axis; each input gets its slice of the cotangent")


# ------------------------------------------------------------------------------------------------
# Comparisons (not differentiable; a number beside a tensor takes its dtype, as TensorFlow 1)
# ------------------------------------------------------------------------------------------------

def _compare(name, fn, symbol):
    return structural(name, fn, vjp=(lambda g, out, a, b: None,) * 2, same_dtype=(0, 1),
                      jvp=(lambda x_dot, out, a, b: None,) * 2,
                      expr="{0} " + symbol + " {1}", formulas=("0", "0"),
                      doc=f"{name}: a {symbol} b element-wise, True or False (no derivative)")


equal = _compare("equal", np.equal, "==")
not_equal = _compare("not_equal", np.not_equal, "≠")
less = _compare("less", np.less, "<")
less_equal = _compare("less_equal", np.less_equal, "≤")
greater = _compare("greater", np.greater, ">")
greater_equal = _compare("greater_equal", np.greater_equal, "≥")


identity = structural(
    "identity", lambda x: x, linear=True, vjp=(lambda g, out, x: g,),
    expr="{0}", formulas=("1",), doc="identity: the same value, as a node of its own")
