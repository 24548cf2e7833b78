"""Neural-network operations, with TensorFlow's names and conventions.

``conv2d`` takes NHWC input (batch, height, width, channels) and HWIO filters (height, width,
in-channels, out-channels) and, like TensorFlow, computes a cross-correlation (the filter is not
flipped).
"""

import numpy as np

from . import ops
from .errors import ShapeError
from .functions import exp, reduce_max, reduce_sum, sigmoid, stop_gradient, tanh
from .tensor import apply, as_tensor

__all__ = ["conv2d", "relu", "softmax", "sigmoid", "tanh", "l2_loss"]


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
    ho, wo, pads_h, pads_w = _geometry(x_shape, w.shape, strides, padding)
    n, h, wd, c_in = x_shape
    gx = np.zeros((n, h + sum(pads_h), wd + sum(pads_w), c_in), dtype=np.result_type(g, w))
    for i in range(kh):
        for j in range(kw):
            tap = w[i, j]
            gx[_windows(ho, wo, strides, i, j)] += (g * tap[:, 0] if tap.shape[1] == 1
                                                    else np.tensordot(g, tap, axes=([3], [1])))
    return gx[:, pads_h[0]:pads_h[0] + h, pads_w[0]:pads_w[0] + wd, :]


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


conv2d_p = ops.structural(
    "conv2d", _conv2d_impl,
    vjp=(lambda g, out, x, w, strides, padding:
         conv2d_backprop_input(g, w, x_shape=np.shape(x), strides=strides, padding=padding),
         lambda g, out, x, w, strides, padding:
         conv2d_backprop_filter(x, g, w_shape=np.shape(w), strides=strides, padding=padding)),
    jvp=(lambda x_dot, out, x, w, strides, padding: conv2d_p(x_dot, w, strides=strides,
                                                             padding=padding),
         lambda w_dot, out, x, w, strides, padding: conv2d_p(x, w_dot, strides=strides,
                                                             padding=padding)),
    expr="conv2d({0}, {1})", formulas=("ḡ ↦ ḡ ⋆ flipped {1}", "ḡ ↦ {0} ⋆ ḡ"),
    doc="conv2d: out = input ⋆ filters (cross-correlation);  vjp: spread ḡ back through the filter")

# The two backward convolutions are linear in each argument; their own rules (adjoints of adjoints)
# let a conv2d gradient be differentiated again.
conv2d_backprop_input = ops.structural(
    "conv2d_backprop_input", _backprop_input_impl,
    vjp=(lambda gg, out, g, w, x_shape, strides, padding:
         conv2d_p(gg, w, strides=strides, padding=padding),
         lambda gg, out, g, w, x_shape, strides, padding:
         conv2d_backprop_filter(gg, g, w_shape=np.shape(w), strides=strides, padding=padding)),
    jvp=(lambda g_dot, out, g, w, **p: conv2d_backprop_input(g_dot, w, **p),
         lambda w_dot, out, g, w, **p: conv2d_backprop_input(g, w_dot, **p)),
    expr="conv2dᵀ({0}, {1})")

conv2d_backprop_filter = ops.structural(
    "conv2d_backprop_filter", _backprop_filter_impl,
    vjp=(lambda gg, out, x, g, w_shape, strides, padding:
         conv2d_backprop_input(g, gg, x_shape=np.shape(x), strides=strides, padding=padding),
         lambda gg, out, x, g, w_shape, strides, padding:
         conv2d_p(x, gg, strides=strides, padding=padding)),
    jvp=(lambda x_dot, out, x, g, **p: conv2d_backprop_filter(x_dot, g, **p),
         lambda g_dot, out, x, g, **p: conv2d_backprop_filter(x, g_dot, **p)),
    expr="conv2d_filterᵀ({0}, {1})")


def _check_strides(strides):
    if isinstance(strides, (int, np.integer)):
        s = (int(strides), int(strides))
    else:
        try:
            s = [int(v) for v in strides]
        except (TypeError, ValueError):
            s = None
        if s is not None and len(s) == 4 and s[0] == 1 and s[3] == 1:
            s = (s[1], s[2])
        elif s is not None and len(s) == 2:
            s = tuple(s)
        elif s is not None and len(s) == 1:
            s = (s[0], s[0])
        else:
            s = None
    if s is None or min(s) < 1:
        raise ValueError(f"conv2d: strides {strides!r} not understood: expected a positive int or "
                         "a list [1, stride_h, stride_w, 1] (batch and channel strides must be 1)")
    return s


def conv2d(input, filters, strides, padding, name=None):
    """2-D convolution as TensorFlow computes it (a cross-correlation).

    ``input`` is NHWC, ``filters`` HWIO, ``strides`` an int or ``[1, sh, sw, 1]``, ``padding``
    ``'VALID'`` (only full windows) or ``'SAME'`` (zero-padded so the output has ``ceil(size /
    stride)`` rows and columns).

    >>> import numpy as np, teachgrad as tg
    >>> image = np.arange(16.0).reshape(1, 4, 4, 1)
    >>> box = np.full((2, 2, 1, 1), 0.25)                    # a constant filter blurs
    >>> tg.nn.conv2d(image, box, strides=[1, 1, 1, 1], padding="VALID").numpy()[0, :, :, 0]
    array([[ 2.5,  3.5,  4.5],
           [ 6.5,  7.5,  8.5],
           [10.5, 11.5, 12.5]])
    >>> tg.nn.conv2d(image, box, strides=2, padding="SAME").shape
    (1, 2, 2, 1)
    """
    x = as_tensor(input)
    w = as_tensor(filters)
    if x.ndim != 4:
        raise ShapeError(f"conv2d: input has shape {x.shape}; expected 4 dimensions "
                         "(batch, height, width, in_channels)")
    if w.ndim != 4:
        raise ShapeError(f"conv2d: filters have shape {w.shape}; expected 4 dimensions "
                         "(height, width, in_channels, out_channels)")
    if x.shape[3] != w.shape[2]:
        raise ShapeError(f"conv2d: input {x.shape} has {x.shape[3]} channels but filters "
                         f"{w.shape} expect {w.shape[2]}: input.shape[3] == filters.shape[2] is "
                         "required")
    s = _check_strides(strides)
    pad = padding.upper() if isinstance(padding, str) else padding
    if pad not in ("VALID", "SAME"):
        raise ValueError(f"conv2d: padding {padding!r} not understood: expected 'VALID' or 'SAME'")
    if pad == "VALID" and (w.shape[0] > x.shape[1] or w.shape[1] > x.shape[2]):
        raise ShapeError(f"conv2d: filters {w.shape[:2]} are larger than the input "
                         f"{x.shape[1:3]}; with padding='VALID' they must fit inside it")
    t = apply(conv2d_p, x, w, strides=s, padding=pad)
    if name is not None:
        t.name = name
    return t


def relu(features, name=None):
    """max(x, 0) element-wise; its derivative at 0 is 0, as in TensorFlow.

    >>> import teachgrad as tg
    >>> tg.nn.relu([-1.0, 0.0, 2.0]).numpy()
    array([0., 0., 2.])
    """
    t = apply(ops.relu, features)
    if name is not None:
        t.name = name
    return t


def softmax(logits, axis=-1, name=None):
    """exp(x) / Σ exp(x) along ``axis``, computed without overflow.

    >>> import teachgrad as tg
    >>> tg.nn.softmax([1.0, 1.0, 1000.0]).numpy().round(3)
    array([0., 0., 1.])
    """
    x = as_tensor(logits)
    # Subtracting the max changes nothing mathematically and keeps exp from overflowing.
    e = exp(x - stop_gradient(reduce_max(x, axis=axis, keepdims=True)))
    t = e / reduce_sum(e, axis=axis, keepdims=True)
    if name is not None:
        t.name = name
    return t


def l2_loss(t, name=None):
    """sum(t²) / 2, as TensorFlow's ``tf.nn.l2_loss``.

    >>> import teachgrad as tg
    >>> tg.nn.l2_loss([1.0, 2.0]).numpy()
    array(2.5)
    """
    t = as_tensor(t)
    out = reduce_sum(t * t) / 2
    if name is not None:
        out.name = name
    return out

