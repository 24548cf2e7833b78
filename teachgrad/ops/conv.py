"""conv2d and its two adjoints, as TensorFlow computes them.

NHWC input (batch, height, width, channels), HWIO filters (height, width, in-channels,
out-channels), a cross-correlation (the filter is not flipped).
"""

import numbers

import numpy as np

from ..errors import ShapeError
from .registry import structural

# ------------------------------------------------------------------------------------------------
# conv2d: out[n, y, x, o] = Σ_{i, j, c} input[n, y·s + i, x·s + j, c] · filters[i, j, c, o]
# ------------------------------------------------------------------------------------------------

def _out_and_pads(size, k, s, padding):
    """Output length and (before, after) padding along one axis, as TensorFlow computes them."""
    if padding == "VALID":
        return (size - k) // s + 1, (0, 0)
    out = -(-size // s)
    total = max((out - 1) * s + k - size, 0)
    return out, (total // 2, total - total // 2)



def _geometry(x_shape, w_shape, strides, padding):
    _, h, w, _ = x_shape
    kh, kw = w_shape[:2]
    sh, sw = strides
    ho, pads_h = _out_and_pads(h, kh, sh, padding)
    wo, pads_w = _out_and_pads(w, kw, sw, padding)
    return ho, wo, pads_h, pads_w


def _windows(ho, wo, strides, i, j):
    """The slice of the padded input that filter tap (i, j) touches, for every output position."""
    sh, sw = strides
    return (slice(None), slice(i, i + sh * (ho - 1) + 1, sh), slice(j, j + sw * (wo - 1) + 1, sw))


def _tap_product(patch, tap):
    """patch (N, Ho, Wo, C_in) times one filter tap (C_in, C_out)."""
    if tap.shape[0] == 1:
        return patch * tap[0]  # one input channel: a broadcast multiply beats a matmul
    return np.tensordot(patch, tap, axes=([3], [0]))


def _conv2d_impl(x, w, strides, padding):
    n, _, _, _ = x.shape
    kh, kw, _, c_out = w.shape
    ho, wo, pads_h, pads_w = _geometry(x.shape, w.shape, strides, padding)
    if pads_h != (0, 0) or pads_w != (0, 0):
        x = np.pad(x, ((0, 0), pads_h, pads_w, (0, 0)))
    out = np.zeros((n, ho, wo, c_out), dtype=np.result_type(x, w))
    # One pass per filter tap: no im2col copy of the whole input.
    for i in range(kh):
        for j in range(kw):
            out += _tap_product(x[_windows(ho, wo, strides, i, j)], w[i, j])
    return out


def _backprop_input_impl(g, w, x_shape, strides, padding):
    """∂L/∂input: every output's cotangent spread back over the inputs its window touched."""
    kh, kw, _, _ = w.shape
    x_shape = tuple(int(n) if isinstance(n, numbers.Integral) else None for n in x_shape)
    if x_shape[0] is None:   # a batch of any size (a placeholder's None): g's batch is x's
        x_shape = (g.shape[0],) + x_shape[1:]
    if None in x_shape:
        raise ShapeError(f"conv2d's gradient by its input needs the input's height, width and "
                         f"channels known when the graph is built, got {_shape_text(x_shape)}")
    ho, wo, pads_h, pads_w = _geometry(x_shape, w.shape, strides, padding)
    n, h, wd, c_in = x_shape
    gx = np.zeros((n, h + sum(pads_h), wd + sum(pads_w), c_in), dtype=np.result_type(g, w))
    for i in range(kh):
        for j in range(kw):
            tap = w[i, j]
            gx[_windows(ho, wo, strides, i, j)] += (g * tap[:, 0] if tap.shape[1] == 1
                                                    else np.tensordot(g, tap, axes=([3], [1])))
    return gx[:, pads_h[0]:pads_h[0] + h, pads_w[0]:pads_w[0] + wd, :]


def _shape_text(shape):
    return "(" + ", ".join("?" if n is None else str(n) for n in shape) + ")"


def _backprop_filter_impl(x, g, w_shape, strides, padding):
    """∂L/∂filters: for each tap, the input it saw times the output's cotangent, summed."""
    kh, kw, _, _ = w_shape
    ho, wo, pads_h, pads_w = _geometry(x.shape, w_shape, strides, padding)
    if pads_h != (0, 0) or pads_w != (0, 0):
        x = np.pad(x, ((0, 0), pads_h, pads_w, (0, 0)))
    gw = np.empty(w_shape, dtype=np.result_type(x, g))
    for i in range(kh):
        for j in range(kw):
            gw[i, j] = np.tensordot(x[_windows(ho, wo, strides, i, j)], g, axes=([0, 1, 2], [0, 1, 2]))
    return gw


conv2d = structural(
    "conv2d", _conv2d_impl, same_dtype=(0, 1),   # (TensorFlow 1: no mixing of dtypes)
    vjp=(lambda g, out, x, w, strides, padding:
         conv2d_backprop_input(g, w, x_shape=np.shape(x), strides=strides, padding=padding),
         lambda g, out, x, w, strides, padding:
         conv2d_backprop_filter(x, g, w_shape=np.shape(w), strides=strides, padding=padding)),
    jvp=(lambda x_dot, out, x, w, strides, padding: conv2d(x_dot, w, strides=strides,
                                                             padding=padding),
         lambda w_dot, out, x, w, strides, padding: conv2d(x, w_dot, strides=strides,
                                                             padding=padding)),
    expr="conv2d({0}, {1})", formulas=("ḡ ↦ ḡ ⋆ flipped {1}", "ḡ ↦ {0} ⋆ ḡ"),
    doc="conv2d: out = input ⋆ filters (cross-correlation);  vjp: spread ḡ back through the filter")

# The two backward convolutions are linear in each argument; their own rules (adjoints of adjoints)
# let a conv2d gradient be differentiated again.
conv2d_backprop_input = structural(
    "conv2d_backprop_input", _backprop_input_impl, same_dtype=(0, 1),
    vjp=(lambda gg, out, g, w, x_shape, strides, padding:
         conv2d(gg, w, strides=strides, padding=padding),
         lambda gg, out, g, w, x_shape, strides, padding:
         conv2d_backprop_filter(gg, g, w_shape=np.shape(w), strides=strides, padding=padding)),
    jvp=(lambda g_dot, out, g, w, **p: conv2d_backprop_input(g_dot, w, **p),
         lambda w_dot, out, g, w, **p: conv2d_backprop_input(g, w_dot, **p)),
    expr="conv2dᵀ({0}, {1})")

conv2d_backprop_filter = structural(
    "conv2d_backprop_filter", _backprop_filter_impl, same_dtype=(0, 1),
    vjp=(lambda gg, out, x, g, w_shape, strides, padding:
         conv2d_backprop_input(g, gg, x_shape=np.shape(x), strides=strides, padding=padding),
         lambda gg, out, x, g, w_shape, strides, padding:
         conv2d(x, gg, strides=strides, padding=padding)),
    jvp=(lambda x_dot, out, x, g, **p: conv2d_backprop_filter(x_dot, g, **p),
         lambda g_dot, out, x, g, **p: conv2d_backprop_filter(x, g_dot, **p)),
    expr="conv2d_filterᵀ({0}, {1})")
