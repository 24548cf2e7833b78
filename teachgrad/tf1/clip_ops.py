"""TensorFlow 1's gradient clipping and norms: ``clip_by_norm``, ``global_norm``,
``clip_by_global_norm`` (the usual guard of a recurrent network's training step) and ``norm``.
"""

import numpy as np

from ..core.program_graph import name_scope
from ..core.tensor import Tensor, as_tensor, convert_like, named, np_dtype
from .array_ops import add_n
from .math_ops import (abs, cast, maximum, minimum, ones_like, reduce_max, reduce_sum, sqrt,
                       where)

__all__ = ["clip_by_norm", "global_norm", "clip_by_global_norm", "norm"]


def _safe_norm(square_sum):
    """√ of a sum of squares whose derivative at 0 is 0, not infinite (TensorFlow's trick)."""
    positive = square_sum > 0
    safe = where(positive, square_sum, ones_like(square_sum))
    return where(positive, sqrt(safe), square_sum)


def clip_by_norm(t, clip_norm, axes=None, name=None):
    """``t`` scaled down so its L2 norm (over ``axes``, all by default) is at most
    ``clip_norm``; unchanged when it already is.

    >>> import teachgrad as tg
    >>> tg.clip_by_norm(tg.constant([3.0, 4.0]), 1.0).numpy()
    array([0.6, 0.8], dtype=float32)
    """
    with name_scope(name, "clip_by_norm"):
        t = as_tensor(t)
        clip = convert_like(clip_norm, np_dtype(t), "clip_by_norm") \
            if not isinstance(clip_norm, Tensor) else clip_norm
        norm_ = _safe_norm(reduce_sum(t * t, axes, keepdims=True))
        return named(t * clip / maximum(norm_, clip), "clip_by_norm")


def global_norm(t_list, name=None):
    """√(Σ over the tensors of Σ t²): the L2 norm of all of them together (None entries are
    skipped).

    >>> import teachgrad as tg
    >>> tg.global_norm([tg.constant([3.0]), tg.constant([[4.0]])]).numpy()
    array(5., dtype=float32)
    """
    if isinstance(t_list, (Tensor, str, bytes)) or not hasattr(t_list, "__iter__"):
        raise TypeError("global_norm: t_list should be a sequence of tensors")
    tensors = [as_tensor(t) for t in t_list if t is not None]
    if not tensors:
        raise ValueError("global_norm: t_list has no tensors")
    with name_scope(name, "global_norm"):
        squares = [reduce_sum(t * t) for t in tensors]
        return named(sqrt(add_n(squares)), "global_norm")


def clip_by_global_norm(t_list, clip_norm, use_norm=None, name=None):
    """``(clipped, global_norm)``: every tensor of ``t_list`` scaled by
    ``clip_norm / max(global_norm, clip_norm)``, so that together their norm is at most
    ``clip_norm`` and their directions are kept (None entries stay None).

    >>> import teachgrad as tg
    >>> clipped, total = tg.clip_by_global_norm([tg.constant([3.0]), tg.constant([4.0])], 2.5)
    >>> [c.numpy() for c in clipped], total.numpy()
    ([array([1.5], dtype=float32), array([2.], dtype=float32)], array(5., dtype=float32))
    """
    if isinstance(t_list, (Tensor, str, bytes)) or not hasattr(t_list, "__iter__"):
        raise TypeError("clip_by_global_norm: t_list should be a sequence of tensors")
    t_list = list(t_list)
    with name_scope(name, "clip_by_global_norm"):
        total = global_norm(t_list) if use_norm is None else as_tensor(use_norm)
        dtype = np_dtype(total)
        clip = convert_like(clip_norm, dtype, "clip_by_global_norm") \
            if not isinstance(clip_norm, Tensor) else clip_norm
        # clip · min(1/norm, 1/clip): 1 when the norm is within the clip; NaN when it is not a
        # number, so that a diverged step shows
        scale = clip * minimum(1.0 / total, 1.0 / clip)
        clipped = [None if t is None else named(as_tensor(t) * cast(scale, np_dtype(t)),
                                                f"clip_by_global_norm/_{i}")
                   for i, t in enumerate(t_list)]
        return clipped, total


def norm(tensor, ord="euclidean", axis=None, keepdims=None, name=None, keep_dims=None):
    """The vector norm of ``tensor`` (all elements, or along an int ``axis``): ``ord`` is
    ``"euclidean"``/``"fro"``/2 (√Σx²), 1 (Σ|x|) or ``np.inf`` (max |x|).

    >>> import teachgrad as tg
    >>> tg.norm(tg.constant([3.0, -4.0])).numpy(), tg.norm(tg.constant([3.0, -4.0]), ord=1).numpy()
    (array(5., dtype=float32), array(7., dtype=float32))
    """
    keep = bool(keepdims if keepdims is not None else keep_dims)
    if isinstance(axis, (list, tuple)) and len(axis) == 1:
        axis = axis[0]
    if axis is not None and not isinstance(axis, (int, np.integer)):
        raise ValueError(f"norm: axis {axis!r}: only vector norms (axis None or one int) are "
                         "computed here; matrix norms are not")
    with name_scope(name, "norm"):
        x = as_tensor(tensor)
        if ord in ("euclidean", "fro", 2, 2.0):
            return sqrt(reduce_sum(x * x, axis, keepdims=keep))
        if ord in (1, 1.0):
            return reduce_sum(abs(x), axis, keepdims=keep)
        if ord == np.inf:
            return reduce_max(abs(x), axis, keepdims=keep)
        raise ValueError(f"norm: ord {ord!r}: expected 'euclidean', 'fro', 1, 2 or np.inf")
