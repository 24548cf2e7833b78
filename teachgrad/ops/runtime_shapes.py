"""Sizes known only when the graph runs: the ops that let a derivative rule work for a tensor
whose static shape has unknown sizes (a placeholder of shape ``(None, 3)`` fed a batch of any size).

A rule written with a static shape cannot broadcast to ``(None, 3)``; it broadcasts to the shape of
a tensor of the graph instead (``broadcast_like(g, x)``), which is known when the graph runs. The
tensor ``like`` gives only its shape, so it gets no derivative. TensorFlow computes such shapes
with ``Shape`` ops at run time; here the op reads them from its input's value.

>>> import numpy as np
>>> sum_to_value(np.ones((4, 3)), (None, 1))       # None: the size x has there, kept
array([[3.],
       [3.],
       [3.],
       [3.]])
"""

import numpy as np

from ..core.primitive import infer
from ..core.shapes import TensorShape
from ..core.tensor import np_dtype
from .registry import REGISTRY, const_of, structural

__all__ = ["static_sizes", "sum_to_value", "scatter_value", "broadcast_like", "sum_like", "reshape_like",
           "expand_dims", "scatter_like", "concat_part", "reduced_count", "getitem_shape"]


def static_sizes(dims):
    """The static shape of a tensor made with shape ``dims`` (a tensor of sizes): its value if
    known now; ``x``'s static shape for ``tg.shape(x)``; the constant sizes of a ``tg.stack`` of
    sizes (``[tg.shape(x)[0], 4]`` → ``(?, 4)``); ``x``'s sizes for a slice ``tg.shape(x)[:2]``; else as many unknown sizes as it has."""
    if dims._value is not None:
        return TensorShape(np.atleast_1d(dims._value).tolist())
    kind = getattr(dims.prim, "name", None)
    if kind == "shape":
        return dims.inputs[0].shape
    if kind == "getitem" and getattr(dims.inputs[0].prim, "name", None) == "shape" \
            and isinstance(dims.params["index"], slice):   # tg.shape(x)[:2]
        of = dims.inputs[0].inputs[0].shape
        if of.ndims is not None:
            return TensorShape(of.as_list()[dims.params["index"]])
    if kind == "pack" and all(n.shape.ndims == 0 for n in dims.inputs):
        return TensorShape([_static_size(n) for n in dims.inputs])
    n = tuple(dims.shape)[0] if dims.shape.ndims == 1 else None
    return TensorShape(None if n is None else [None] * n)


def _static_size(n):
    """The size a scalar tensor ``n`` gives now: its value, a known size of ``tg.shape(x)[i]``,
    or None (a -1 is unknown too: it is found when the op runs)."""
    if n._value is not None:
        return int(n._value) if n._value >= 0 else None
    if getattr(n.prim, "name", None) == "getitem" and isinstance(n.params["index"], int) \
            and getattr(n.inputs[0].prim, "name", None) == "shape":
        of = n.inputs[0].inputs[0].shape
        if of.ndims is not None and -of.ndims <= n.params["index"] < of.ndims:
            return of.as_list()[n.params["index"]]
    return None


def _resolved(shape, x):
    """``shape`` with its unknown sizes (None) taken from the trailing dimensions of ``x``."""
    lead = np.ndim(x) - len(shape)
    return tuple(np.shape(x)[i + lead] if n is None else n for i, n in enumerate(shape))


def sum_to_value(x, shape):
    """Sum ``x`` down to ``shape``: the adjoint of NumPy broadcasting. An unknown size (None) in
    ``shape`` is not summed over: it is the size ``x`` has there."""
    if None in shape:
        shape = _resolved(shape, x)
    if np.shape(x) == shape:
        return x
    lead = np.ndim(x) - len(shape)
    axes = tuple(range(lead)) + tuple(i + lead for i, n in enumerate(shape)
                                      if n == 1 and np.shape(x)[i + lead] != 1)
    return np.sum(x, axis=axes).reshape(shape)


def scatter_value(g, index, shape):
    """Zeros of ``shape`` with ``g`` added at ``index`` (the adjoint of ``x[index]``)."""
    out = np.zeros(shape, dtype=np.result_type(g))
    np.add.at(out, index, g)  # adds repeated indices, unlike out[index] += g
    return out


def _like_infer(inputs, params):
    return inputs[1].shape, np_dtype(inputs[0])


def _no_derivative(*args, **params):
    return None


broadcast_like = structural(
    "broadcast_like", lambda x, like: np.broadcast_to(x, np.shape(like)), infer=_like_infer,
    vjp=(lambda g, out, x, like: sum_like(g, x), _no_derivative),
    jvp=(lambda x_dot, out, x, like: broadcast_like(x_dot, like), _no_derivative),
    expr="broadcast({0})", formulas=("copy along broadcast axes", "0"),
    doc="broadcast_like: x copied along broadcast axes to the run-time shape of like")

sum_like = structural(
    "sum_like", lambda x, like: sum_to_value(x, np.shape(like)), infer=_like_infer,
    vjp=(lambda g, out, x, like: broadcast_like(g, x), _no_derivative),
    jvp=(lambda x_dot, out, x, like: sum_like(x_dot, like), _no_derivative),
    expr="sum_to({0})", formulas=("sum over broadcast axes", "0"),
    doc="sum_like: x summed over broadcast axes down to the run-time shape of like")

reshape_like = structural(
    "reshape_like", lambda x, like: np.reshape(x, np.shape(like)), infer=_like_infer,
    vjp=(lambda g, out, x, like: reshape_like(g, x), _no_derivative),
    jvp=(lambda x_dot, out, x, like: reshape_like(x_dot, like), _no_derivative),
    expr="reshape({0})", formulas=("reshape back", "0"),
    doc="reshape_like: x reshaped to the run-time shape of like")

expand_dims = structural(
    "expand_dims", lambda x, axes: np.expand_dims(x, axes), linear=True,
    vjp=(lambda g, out, x, axes: reshape_like(g, x),),
    expr="expand({0})", formulas=("reshape back",),
    doc="expand_dims: x with new axes of size 1 at positions axes")

scatter_like = structural(
    "scatter_like", lambda x, like, index: scatter_value(x, index, np.shape(like)),
    infer=_like_infer,
    # (the registry gives getitem, declared in structural.py, which builds on this module)
    vjp=(lambda g, out, x, like, index: REGISTRY["getitem"](g, index=index), _no_derivative),
    jvp=(lambda x_dot, out, x, like, index: scatter_like(x_dot, like, index=index),
         _no_derivative),
    expr="scatter({0})", formulas=("the selected elements", "0"),
    doc="scatter_like: x put at index in zeros of the run-time shape of like")

def _concat_part_impl(g, *xs, part, axis):
    sizes = [np.shape(x)[axis] for x in xs]
    index = [slice(None)] * np.ndim(g)
    index[axis] = slice(sum(sizes[:part]), sum(sizes[:part + 1]))
    return g[tuple(index)]


def _concat_part_vjp(g, out, whole, *xs, part, axis):
    """The piece's cotangent in its place, zeros for the other pieces."""
    return REGISTRY["concat"](*[g if j == part else REGISTRY["zeros_like"](x)
                                for j, x in enumerate(xs)], axis=axis)


class _PartRules(tuple):
    """The rules of concat_part: a cotangent for the whole, none for the pieces (any number)."""

    def __getitem__(self, i):
        return _concat_part_vjp if i == 0 else _no_derivative


concat_part = structural(
    "concat_part", _concat_part_impl, vjp=_PartRules(), linear=True,
    infer=lambda inputs, params: (inputs[1 + params["part"]].shape, np_dtype(inputs[0])),
    expr="part of {0}",
    doc="concat_part: the part of a concatenation that came from one piece, sizes read at run "
        "time")

# The n of a mean whose reduced sizes are known only at run time, in the result's dtype.
reduced_count = const_of("reduced_count", lambda x, out: np.asarray(
    np.size(x) / max(np.size(out), 1)).astype(np.result_type(out)), 2)


def getitem_shape(x, index, probed):
    """The static shape and dtype of ``x[index]``: a slice of an unknown size gives an unknown
    size (as in TensorFlow), an integer drops the axis; other indexes are worked out by running
    ``probed`` (getitem) on stand-in values."""
    shape = x.shape
    items = index if isinstance(index, tuple) else (index,)
    basic = all(i is None or i is Ellipsis or isinstance(i, (slice, int, np.integer))
                for i in items)
    if not basic or shape.ndims is None:
        return infer(probed, (x,), {"index": index})
    n_axes = sum(1 for i in items if i is not None and i is not Ellipsis)
    if n_axes > len(shape):
        raise IndexError(f"index {index!r} does not fit a tensor of shape {shape}: too many "
                         f"indices for {len(shape)} dimensions")
    cut = next((k for k, i in enumerate(items) if i is Ellipsis), len(items))
    items = items[:cut] + (slice(None),) * (len(shape) - n_axes) + items[cut + 1:]
    dims, out, axis = tuple(shape), [], 0
    for i in items:
        if i is None:
            out.append(1)
            continue
        n = dims[axis]
        axis += 1
        if isinstance(i, slice):
            out.append(None if n is None else len(range(*i.indices(n))))
        elif n is not None and not -n <= i < n:
            raise IndexError(f"index {index!r} does not fit a tensor of shape {shape}: index {i} "
                             f"is out of bounds for axis {axis - 1} with size {n}")
    return TensorShape(out), np_dtype(x)
