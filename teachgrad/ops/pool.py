"""max_pool and avg_pool as TensorFlow computes them: NHWC input, a ``(kh, kw)`` window moved by
``(sh, sw)``, ``'VALID'`` (whole windows only) or ``'SAME'`` padding.

SAME pads as conv2d does (the odd row or column at the end); padded places never win a max and
do not count in an average, as in TensorFlow. The gradient of a max goes to the first largest
element of each window (row by row), that of an average is shared by the window's elements.
The backward ops are linear in the cotangent and each other's adjoints, so they nest.
"""

import numpy as np

from ..core.tensor import np_dtype
from .arrays import like_last
from .registry import structural

__all__ = ["max_pool", "max_pool_grad", "max_pool_select", "avg_pool", "avg_pool_grad",
           "pool_geometry"]


def _no_rule(g, out, *args, **params):
    return None


def pool_geometry(size, k, s, padding):
    """Output length and (before, after) padding along one axis, as TensorFlow computes them."""
    if padding == "VALID":
        return (size - k) // s + 1, (0, 0)
    out = -(-size // s)
    total = max((out - 1) * s + k - size, 0)
    return out, (total // 2, total - total // 2)


def _layout(x_shape, ksize, strides, padding):
    (ho, pads_h), (wo, pads_w) = (pool_geometry(x_shape[1], ksize[0], strides[0], padding),
                                  pool_geometry(x_shape[2], ksize[1], strides[1], padding))
    return ho, wo, ((0, 0), pads_h, pads_w, (0, 0))


def _taps(ksize, strides, ho, wo):
    """For each window position (i, j): the slice of the padded input it covers, per output."""
    (kh, kw), (sh, sw) = ksize, strides
    for i in range(kh):
        for j in range(kw):
            yield (slice(None), slice(i, i + sh * (ho - 1) + 1, sh),
                   slice(j, j + sw * (wo - 1) + 1, sw))


def _crop(padded, pads, shape):
    (_, (top, _), (left, _), _) = pads
    return padded[:, top:top + shape[1], left:left + shape[2], :]


def _padded_for_max(x, pads, padding):
    """x padded with a value no element is below, so that padding never wins a max."""
    if padding != "SAME":
        return x
    low = -np.inf if x.dtype.kind in "fc" else np.iinfo(x.dtype).min
    return np.pad(x, pads, constant_values=low)


def _max_pool_impl(x, ksize, strides, padding):
    x = np.asarray(x)
    ho, wo, pads = _layout(x.shape, ksize, strides, padding)
    padded = _padded_for_max(x, pads, padding)
    out = None
    for window in _taps(ksize, strides, ho, wo):
        out = padded[window].copy() if out is None else np.maximum(out, padded[window])
    return out.astype(x.dtype, copy=False)


def _winners(x, ksize, strides, padding):
    """Yield (window slice, mask of the outputs whose first largest element is at that tap)."""
    x = np.asarray(x)
    ho, wo, pads = _layout(x.shape, ksize, strides, padding)
    padded = _padded_for_max(x, pads, padding)
    best = _max_pool_impl(x, ksize, strides, padding)
    taken = np.zeros(best.shape, dtype=bool)
    for window in _taps(ksize, strides, ho, wo):
        wins = (padded[window] == best) & ~taken
        taken |= wins
        yield window, wins, pads


def _max_pool_grad_impl(x, g, ksize, strides, padding):
    """g (output-shaped) routed back to the first largest element of each window."""
    x = np.asarray(x)
    grad = None
    for window, wins, pads in _winners(x, ksize, strides, padding):
        if grad is None:
            grad = np.zeros(tuple(n + sum(p) for n, p in zip(x.shape, pads)),
                            dtype=np.result_type(g))
        grad[window] += np.where(wins, g, 0)
    return _crop(grad, pads, x.shape)


def _max_pool_select_impl(x, h, ksize, strides, padding):
    """h (input-shaped) read at the first largest element of each window: output-shaped."""
    _, _, pads = _layout(np.shape(x), ksize, strides, padding)
    h_pad = np.pad(np.asarray(h), pads)
    return sum(np.where(wins, h_pad[window], 0)
               for window, wins, _ in _winners(x, ksize, strides, padding))


max_pool = structural(
    "max_pool", _max_pool_impl,
    vjp=(lambda g, out, x, **p: max_pool_grad(x, g, **p),),
    jvp=(lambda x_dot, out, x, **p: max_pool_select(x, x_dot, **p),),
    expr="max_pool({0})", formulas=("1 at each window's maximum",),
    doc="max_pool: the largest element of each window;  ∂/∂x = 1 at each window's first "
        "maximum, else 0")

max_pool_grad = structural(
    "max_pool_grad", _max_pool_grad_impl,
    infer=lambda inputs, params: (inputs[0].shape, np_dtype(inputs[1])),
    vjp=(_no_rule, lambda gg, out, x, g, **p: max_pool_select(x, gg, **p)),
    jvp=(_no_rule, lambda g_dot, out, x, g, **p: max_pool_grad(x, g_dot, **p)),
    expr="max_poolᵀ({1})", formulas=("0", "routed to the maxima"),
    doc="max_pool_grad: a pooled cotangent routed back to each window's maximum")

max_pool_select = structural(
    "max_pool_select", _max_pool_select_impl,
    vjp=(_no_rule, lambda gg, out, x, h, **p: max_pool_grad(x, gg, **p)),
    jvp=(_no_rule, lambda h_dot, out, x, h, **p: max_pool_select(x, h_dot, **p)),
    expr="at maxima({1})", formulas=("0", "read at the maxima"),
    doc="max_pool_select: h read where x has each window's maximum")


def _counts(shape, ksize, strides, padding, dtype):
    """How many real (unpadded) elements each window covers."""
    ones = np.ones((1,) + tuple(shape[1:3]) + (1,), dtype=dtype)
    return _sum_windows(ones, ksize, strides, padding)


def _sum_windows(x, ksize, strides, padding):
    ho, wo, pads = _layout(np.shape(x), ksize, strides, padding)
    padded = np.pad(x, pads) if padding == "SAME" else np.asarray(x)
    return sum(padded[window] for window in _taps(ksize, strides, ho, wo))


def _avg_pool_impl(x, ksize, strides, padding):
    x = np.asarray(x)
    return (_sum_windows(x, ksize, strides, padding)
            / _counts(x.shape, ksize, strides, padding, x.dtype)).astype(x.dtype, copy=False)


def _avg_pool_grad_impl(g, x, ksize, strides, padding):
    """Each window's cotangent shared equally by its real elements."""
    shape = np.shape(x)
    ho, wo, pads = _layout(shape, ksize, strides, padding)
    share = np.asarray(g) / _counts(shape, ksize, strides, padding, np.result_type(g))
    grad = np.zeros(tuple(n + sum(p) for n, p in zip(shape, pads)), dtype=share.dtype)
    for window in _taps(ksize, strides, ho, wo):
        grad[window] += share
    return _crop(grad, pads, shape)


avg_pool = structural(
    "avg_pool", _avg_pool_impl, linear=True,
    vjp=(lambda g, out, x, **p: avg_pool_grad(g, x, **p),),
    expr="avg_pool({0})", formulas=("1/(window size) in each window",),
    doc="avg_pool: the mean of each window (padding not counted);  the cotangent is shared by "
        "the window's elements")

avg_pool_grad = structural(
    "avg_pool_grad", _avg_pool_grad_impl, linear=True, infer=like_last,
    vjp=(lambda gg, out, g, x, **p: avg_pool(gg, **p), _no_rule),
    jvp=(lambda g_dot, out, g, x, **p: avg_pool_grad(g_dot, x, **p), _no_rule),
    expr="avg_poolᵀ({0})", formulas=("shared by each window", "0"),
    doc="avg_pool_grad: a pooled cotangent shared back over each window")
