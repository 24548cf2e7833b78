"""More of TensorFlow 1's array functions, built from slicing, gathering and concatenation (so
their gradients are those ops'): ``pad``, ``reverse``, ``cumsum``, ``cumprod``,
``sequence_mask``, ``boolean_mask``, ``gather_nd``.
"""

import builtins

import numpy as np

from ..errors import ShapeError
from ..core.tensor import Tensor, as_tensor, constant, named, np_dtype
from ..core.program_graph import name_scope
from .array_ops import checked_axis, gather
from .math_ops import (cast, concat, expand_dims, fill, less, matmul, range as tf_range,
                       reduce_max, reduce_sum, reshape, shape as tf_shape, stack, transpose,
                       where)

__all__ = ["pad", "reverse", "reverse_v2", "cumsum", "cumprod", "sequence_mask",
           "boolean_mask", "gather_nd"]


def _along(x, axis, piece):
    """``x[..., piece, ...]`` with ``piece`` (a slice) at ``axis``."""
    return x[(slice(None),) * axis + (piece,)]


def _size(x, axis, what):
    n = tuple(x.shape)[axis] if x.shape.ndims is not None else None
    if n is None:
        raise ShapeError(f"{what}: the size of axis {axis} of {x.shape} must be known when the "
                         "graph is built")
    return int(n)


def pad(tensor, paddings, mode="CONSTANT", name=None, constant_values=0):
    """``tensor`` with ``paddings[i] = [before, after]`` elements added on each side of axis i:
    ``constant_values`` (``"CONSTANT"``), or the elements mirrored without (``"REFLECT"``) or
    with (``"SYMMETRIC"``) the edge. The gradient is the middle of the padded cotangent.

    >>> import teachgrad as tg
    >>> tg.pad([[1.0, 2.0]], [[1, 0], [0, 2]]).numpy()
    array([[0., 0., 0., 0.],
           [1., 2., 0., 0.]], dtype=float32)
    >>> tg.pad([1.0, 2.0, 3.0], [[2, 1]], mode="REFLECT").numpy()
    array([3., 2., 1., 2., 3., 2.], dtype=float32)
    """
    x = as_tensor(tensor)
    widths = np.asarray(paddings._value if isinstance(paddings, Tensor) else paddings)
    if x.shape.ndims is None or widths.shape != (x.ndim, 2):
        raise ValueError(f"pad: paddings of shape {widths.shape} for a tensor of rank "
                         f"{x.shape.ndims}: expected [rank, 2]")
    if (widths < 0).any():
        raise ValueError(f"pad: paddings {widths.tolist()} must not be negative")
    mode = mode.upper() if isinstance(mode, str) else mode
    if mode not in ("CONSTANT", "REFLECT", "SYMMETRIC"):
        raise ValueError(f"pad: mode {mode!r}: expected 'CONSTANT', 'REFLECT' or 'SYMMETRIC'")
    with name_scope(name, "Pad"):
        for axis, (before, after) in enumerate(widths.tolist()):
            if before == after == 0:
                continue
            if mode == "CONSTANT":
                x = _pad_constant(x, axis, before, after, constant_values)
            else:
                n = _size(x, axis, "pad")
                edge = 0 if mode == "SYMMETRIC" else 1
                if before > n - edge or after > n - edge:
                    raise ValueError(f"pad: paddings {before}, {after} must be at most {n - edge} "
                                     f"for axis {axis} of size {n} in mode {mode}")
                index = (list(builtins.range(before - 1 + edge, edge - 1, -1))
                         + list(builtins.range(n))
                         + list(builtins.range(n - 1 - edge, n - 1 - edge - after, -1)))
                x = gather(x, constant(np.array(index, np.int32)), axis=axis)
        return x


def _pad_constant(x, axis, before, after, value):
    dims = tf_shape(x)
    parts = []
    for width in (before, after):
        if width:
            sizes = [width if i == axis else (tuple(x.shape)[i] if tuple(x.shape)[i] is not None
                                              else dims[i]) for i in builtins.range(x.ndim)]
            if all(not isinstance(n, Tensor) for n in sizes):
                block = constant(np.full(sizes, value, dtype=np_dtype(x)))
            else:
                block = fill(stack([n if isinstance(n, Tensor) else constant(n, dtype=np.int32)
                                    for n in sizes]), constant(value, dtype=np_dtype(x)))
            parts.append(block)
        else:
            parts.append(None)
    return concat([p for p in (parts[0], x, parts[1]) if p is not None], axis)


def reverse(tensor, axis, name=None):
    """``tensor`` with the order of its elements reversed along each of ``axis`` (a list).

    >>> import teachgrad as tg
    >>> tg.reverse([[1, 2, 3], [4, 5, 6]], axis=[1]).numpy()
    array([[3, 2, 1],
           [6, 5, 4]], dtype=int32)
    """
    x = as_tensor(tensor)
    axes = [axis] if isinstance(axis, (int, np.integer)) else list(axis)
    pieces = [slice(None)] * x.ndim
    for a in axes:
        pieces[checked_axis(a, x.ndim, "reverse")] = slice(None, None, -1)
    return named(x[tuple(pieces)], name or "ReverseV2")


reverse_v2 = reverse


def _scan(x, axis, exclusive, reverse_, product, what):
    x = as_tensor(x)
    axis = checked_axis(axis, x.ndim, what)
    n = _size(x, axis, what)
    i, j = np.indices((n, n))
    keep = (j <= i) if not reverse_ else (j >= i)
    if exclusive:
        keep &= (i != j)
    if not product:    # out[i] = Σ_j keep[i, j]·x[j]: a matrix product along the axis
        weights = constant(keep.T.astype(np_dtype(x)))
        moved = transpose(x, [a for a in builtins.range(x.ndim) if a != axis] + [axis])
        out = matmul(reshape(moved, [-1, n]), weights)
        back = [tuple(moved.shape)[k] if tuple(moved.shape)[k] is not None else -1
                for k in builtins.range(x.ndim)]
        out = reshape(out, [-1 if b is None else b for b in back]) if x.ndim > 1 else \
            reshape(out, [n])
        order = list(builtins.range(x.ndim - 1))
        order.insert(axis, x.ndim - 1)
        return transpose(out, order)
    columns = []   # out[i] = Π_j x[j]^keep[i, j]: each entry a product of its terms
    for k in builtins.range(n):
        picked = [j for j in builtins.range(n) if keep[k, j]]
        if not picked:
            columns.append(_along(x, axis, slice(k, k + 1)) * 0 + 1)
            continue
        term = _along(x, axis, slice(picked[0], picked[0] + 1))
        for j in picked[1:]:
            term = term * _along(x, axis, slice(j, j + 1))
        columns.append(term)
    return concat(columns, axis)


def cumsum(x, axis=0, exclusive=False, reverse=False, name=None):
    """Running sums along ``axis``: ``[a, a + b, a + b + c]``; ``exclusive`` starts from 0
    (``[0, a, a + b]``), ``reverse`` sums from the end.

    >>> import teachgrad as tg
    >>> tg.cumsum([1.0, 2.0, 3.0]).numpy(), tg.cumsum([1.0, 2.0, 3.0], exclusive=True).numpy()
    (array([1., 3., 6.], dtype=float32), array([0., 1., 3.], dtype=float32))
    """
    with name_scope(name, "Cumsum"):
        return _scan(x, axis, exclusive, reverse, False, "cumsum")


def cumprod(x, axis=0, exclusive=False, reverse=False, name=None):
    """Running products along ``axis``: ``[a, a·b, a·b·c]`` (``exclusive``: ``[1, a, a·b]``).

    >>> import teachgrad as tg
    >>> tg.cumprod([1.0, 2.0, 3.0]).numpy()
    array([1., 2., 6.], dtype=float32)
    """
    with name_scope(name, "Cumprod"):
        return _scan(x, axis, exclusive, reverse, True, "cumprod")


def sequence_mask(lengths, maxlen=None, dtype=np.bool_, name=None):
    """``mask[i, j] = j < lengths[i]``: which steps of each sequence are real, for
    ``maxlen`` steps (the longest length by default).

    >>> import teachgrad as tg
    >>> tg.sequence_mask([1, 3], 4).numpy()
    array([[ True, False, False, False],
           [ True,  True,  True, False]])
    """
    with name_scope(name, "SequenceMask"):
        lengths = as_tensor(lengths)
        if maxlen is None:
            maxlen = reduce_max(lengths)
        steps = tf_range(maxlen if isinstance(maxlen, Tensor) else int(maxlen))
        mask = less(cast(steps, np_dtype(lengths)), expand_dims(lengths, -1))
        return mask if np.dtype(dtype) == np.bool_ else cast(mask, dtype)


def boolean_mask(tensor, mask, name="boolean_mask", axis=None):
    """The elements (or rows) of ``tensor`` where ``mask`` is True, flattened over the mask's
    dimensions: ``tensor[mask]`` in NumPy. The gradient goes back to the picked places.

    >>> import teachgrad as tg
    >>> tg.boolean_mask([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]], [True, False, True]).numpy()
    array([[1., 2.],
           [5., 6.]], dtype=float32)
    """
    with name_scope(name, "boolean_mask"):
        x, m = as_tensor(tensor), as_tensor(mask)
        if m.dtype != bool:
            raise TypeError(f"boolean_mask: mask of dtype {m.dtype.name}; expected bool")
        axis = 0 if axis is None else checked_axis(axis, x.ndim, "boolean_mask")
        k = m.shape.ndims
        if k is None or k == 0 or x.shape.ndims is None or x.ndim < axis + k:
            raise ValueError(f"boolean_mask: mask of shape {m.shape} for a tensor of shape "
                             f"{x.shape}: expected a mask of rank >= 1 matching its leading "
                             "dimensions")
        if not m.shape.is_compatible_with(x.shape[axis:axis + k]):
            raise ValueError(f"boolean_mask: mask of shape {m.shape} does not match the "
                             f"dimensions {x.shape[axis:axis + k]} of the tensor")
        dims = tuple(x.shape)
        rest = [(-1 if n is None else n) for n in dims[axis + k:]]
        lead = [(-1 if n is None else n) for n in dims[:axis]]
        flat = reshape(x, lead + [-1] + rest) if -1 not in lead else reshape(
            x, [tf_shape(x)[i] for i in builtins.range(axis)] + [-1] + rest)
        picked = reshape(where(reshape(m, [-1])), [-1])
        return gather(flat, picked, axis=axis)


def gather_nd(params, indices, name=None, batch_dims=0):
    """``out[i] = params[indices[i]]``, each row of ``indices`` the coordinates of an element
    (or, with fewer coordinates than ``params`` has axes, of a slice). The gradient adds up at
    repeated coordinates.

    >>> import teachgrad as tg
    >>> tg.gather_nd([[1.0, 2.0], [3.0, 4.0]], [[0, 1], [1, 0]]).numpy()
    array([2., 3.], dtype=float32)
    """
    if batch_dims:
        raise ValueError("gather_nd: batch_dims other than 0 is not computed here")
    with name_scope(name, "GatherNd"):
        p, i = as_tensor(params), as_tensor(indices)
        if np_dtype(i).kind not in "iu":
            raise TypeError(f"gather_nd: indices of dtype {i.dtype.name}; expected int32 or "
                            "int64")
        depth = tuple(i.shape)[-1] if i.shape.ndims else None
        if depth is None or p.shape.ndims is None or depth > p.ndim:
            raise ValueError(f"gather_nd: indices of shape {i.shape} for params of shape "
                             f"{p.shape}: the last axis of indices (known, at most the rank of "
                             "params) holds the coordinates")
        # the flat position of each row: Σ_k i[..., k]·stride_k (the first size is not needed)
        sizes = [_size(p, a, "gather_nd") for a in builtins.range(1, depth)]
        strides = np.cumprod([1] + sizes[::-1])[::-1].astype(np_dtype(i))
        flat_index = reduce_sum(i * constant(strides), axis=-1)
        rest = [_size(p, a, "gather_nd") for a in builtins.range(depth, p.ndim)]
        flat = reshape(p, [-1] + rest)
        return gather(flat, flat_index)

