"""Neural-network operations, with TensorFlow's names and conventions.

``conv2d`` takes NHWC input (batch, height, width, channels) and HWIO filters (height, width,
in-channels, out-channels) and, like TensorFlow, computes a cross-correlation (the filter is not
flipped).
"""

import numpy as np

from . import ops
from .errors import ShapeError
from .functions import exp, reduce_max, reduce_sum, sigmoid, stop_gradient, tanh
from .primitive import apply
from .tensor import as_tensor, named

__all__ = ["conv2d", "relu", "softmax", "sigmoid", "tanh", "l2_loss"]


def _check_strides(strides):
    if isinstance(strides, (str, bytes)):   # "11" would read as two strides of 1
        raise ValueError(f"conv2d: strides {strides!r} is text: expected a positive int or a list "
                         "[1, stride_h, stride_w, 1]")
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
    TensorShape([1, 2, 2, 1])
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
    if w.shape[0] == 0 or w.shape[1] == 0:
        raise ShapeError(f"conv2d: filters of shape {w.shape} have no taps: expected a filter "
                         "height and width of at least 1")
    s = _check_strides(strides)
    pad = padding.upper() if isinstance(padding, str) else padding
    if pad not in ("VALID", "SAME"):
        raise ValueError(f"conv2d: padding {padding!r} not understood: expected 'VALID' or 'SAME'")
    if pad == "VALID" and (w.shape[0] > x.shape[1] or w.shape[1] > x.shape[2]):
        raise ShapeError(f"conv2d: filters {w.shape[:2]} are larger than the input "
                         f"{x.shape[1:3]}; with padding='VALID' they must fit inside it")
    return named(apply(ops.conv2d, x, w, strides=s, padding=pad), name)


def relu(features, name=None):
    """max(x, 0) element-wise; its derivative at 0 is 0, as in TensorFlow.

    >>> import teachgrad as tg
    >>> tg.nn.relu([-1.0, 0.0, 2.0]).numpy()
    array([0., 0., 2.], dtype=float32)
    """
    return named(apply(ops.relu, features), name)


def softmax(logits, axis=-1, name=None):
    """exp(x) / Σ exp(x) along ``axis``, computed without overflow.

    >>> import teachgrad as tg
    >>> tg.nn.softmax([1.0, 1.0, 1000.0]).numpy().round(3)
    array([0., 0., 1.], dtype=float32)
    """
    x = as_tensor(logits)
    # Subtracting the max changes nothing mathematically and keeps exp from overflowing.
    e = exp(x - stop_gradient(reduce_max(x, axis=axis, keepdims=True)))
    return named(e / reduce_sum(e, axis=axis, keepdims=True), name)


def l2_loss(t, name=None):
    """sum(t²) / 2, as TensorFlow's ``tf.nn.l2_loss``.

    >>> import teachgrad as tg
    >>> tg.nn.l2_loss([1.0, 2.0]).numpy()
    array(2.5, dtype=float32)
    """
    t = as_tensor(t)
    return named(reduce_sum(t * t) / 2, name)

