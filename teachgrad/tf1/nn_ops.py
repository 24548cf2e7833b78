"""Neural-network operations, with TensorFlow's names and conventions: activations, softmax and
the cross-entropy losses, convolution, pooling, bias_add.

``conv2d`` takes NHWC input (batch, height, width, channels) and HWIO filters (height, width,
in-channels, out-channels) and, like TensorFlow, computes a cross-correlation (the filter is not
flipped).
"""

import numpy as np

from .. import ops
from ..errors import ShapeError
from .math_ops import (cast, exp, log, log1p, maximum, reduce_max, reduce_sum, shape, sigmoid, stop_gradient, tanh, where, zeros_like)
from .random_ops import random_seed, random_uniform
from ..core.primitive import apply
from ..core.program_graph import name_scope
from ..core.tensor import Tensor, as_tensor, constant, convert_like, named, np_dtype

__all__ = ["conv2d", "relu", "softmax", "sigmoid", "tanh", "l2_loss", "log_softmax",
           "softmax_cross_entropy_with_logits", "softmax_cross_entropy_with_logits_v2",
           "sparse_softmax_cross_entropy_with_logits", "sigmoid_cross_entropy_with_logits",
           "bias_add", "max_pool", "avg_pool", "softplus", "leaky_relu", "embedding_lookup",
           "dropout"]


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
    # As TensorFlow 1 converts: a filter given as NumPy numbers takes the input's dtype.
    w = filters if isinstance(filters, Tensor) else convert_like(filters, np_dtype(x), "conv2d")
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



def log_softmax(logits, axis=None, name=None, dim=None):
    """log(softmax(x)) = x − log Σ exp(x) along ``axis`` (the last by default), without
    overflow.

    >>> import teachgrad as tg
    >>> tg.nn.log_softmax([0.0, 0.0]).numpy()
    array([-0.6931472, -0.6931472], dtype=float32)
    """
    axis = -1 if axis is None and dim is None else (dim if axis is None else axis)
    x = as_tensor(logits)
    shifted = x - stop_gradient(reduce_max(x, axis=axis, keepdims=True))
    return named(shifted - log(reduce_sum(exp(shifted), axis=axis, keepdims=True)), name)


def softmax_cross_entropy_with_logits_v2(labels, logits, axis=None, name=None, dim=None):
    """−Σ labels · log softmax(logits) along ``axis`` (the last): one loss per example.
    ``labels`` are probabilities (each row sums to 1), cast to the logits' dtype as TensorFlow 1
    casts them (int32 one-hot rows work); the gradient flows into both.

    >>> import teachgrad as tg
    >>> tg.nn.softmax_cross_entropy_with_logits_v2(labels=[[0.0, 1.0]], logits=[[0.0, 0.0]]).numpy()
    array([0.6931472], dtype=float32)
    """
    axis = -1 if axis is None and dim is None else (dim if axis is None else axis)
    logits = as_tensor(logits)
    labels = as_tensor(labels) if isinstance(labels, Tensor) else convert_like(
        labels, np_dtype(logits), "softmax_cross_entropy_with_logits")
    if np_dtype(labels) != np_dtype(logits):   # TensorFlow 1 casts the labels (int32 one-hot
        labels = cast(labels, np_dtype(logits))  # rows, float64) to the logits' dtype
    if not labels.shape.is_compatible_with(logits.shape):
        raise ShapeError(f"softmax_cross_entropy_with_logits: labels of shape {labels.shape} "
                         f"and logits of shape {logits.shape}: expected the same shape")
    return named(-reduce_sum(labels * log_softmax(logits, axis=axis), axis=axis), name)


def softmax_cross_entropy_with_logits(_sentinel=None, labels=None, logits=None, dim=-1,
                                      name=None, axis=None):
    """TensorFlow 1's version: as the ``_v2`` one, but no gradient flows into ``labels``, and
    the arguments must be named.

    >>> import teachgrad as tg
    >>> tg.nn.softmax_cross_entropy_with_logits(labels=[[0.0, 1.0]], logits=[[0.0, 0.0]]).numpy()
    array([0.6931472], dtype=float32)
    """
    _named_only("softmax_cross_entropy_with_logits", _sentinel, labels, logits)
    labels = stop_gradient(labels if isinstance(labels, Tensor) else convert_like(
        labels, np_dtype(as_tensor(logits)), "softmax_cross_entropy_with_logits"))
    return softmax_cross_entropy_with_logits_v2(labels, logits, axis=dim if axis is None
                                                else axis, name=name)


def sparse_softmax_cross_entropy_with_logits(_sentinel=None, labels=None, logits=None,
                                             name=None):
    """The softmax cross-entropy for integer class ``labels`` (one per example): −log of the
    softmax at the true class. A label outside ``[0, classes)`` raises InvalidArgumentError when
    it is computed.

    >>> import teachgrad as tg
    >>> tg.nn.sparse_softmax_cross_entropy_with_logits(labels=[1], logits=[[0.0, 0.0]]).numpy()
    array([0.6931472], dtype=float32)
    """
    _named_only("sparse_softmax_cross_entropy_with_logits", _sentinel, labels, logits)
    logits, labels = as_tensor(logits), as_tensor(labels)
    depth = tuple(logits.shape)[-1] if logits.shape.ndims else None
    if depth is None:
        raise ShapeError(f"sparse_softmax_cross_entropy_with_logits: logits of shape "
                         f"{logits.shape}: the number of classes (last axis) must be known")
    if labels.shape.ndims is not None and labels.shape.ndims != logits.shape.ndims - 1:
        raise ShapeError(f"sparse_softmax_cross_entropy_with_logits: labels of shape "
                         f"{labels.shape} for logits of shape {logits.shape}: expected the "
                         "logits' shape without its last axis")
    rows = apply(ops.one_hot, labels, depth=int(depth), on_value=1, off_value=0,
                 dtype=np_dtype(logits), axis=-1, validate=True)
    return named(-reduce_sum(rows * log_softmax(logits), axis=-1), name)


def sigmoid_cross_entropy_with_logits(_sentinel=None, labels=None, logits=None, name=None):
    """The logistic loss of each logit x for a label z in [0, 1], as TensorFlow computes it
    without overflow: ``max(x, 0) − x·z + log(1 + e^−|x|)``.

    >>> import teachgrad as tg
    >>> tg.nn.sigmoid_cross_entropy_with_logits(labels=[1.0, 0.0], logits=[0.0, 100.0]).numpy()
    array([  0.6931472, 100.       ], dtype=float32)
    """
    _named_only("sigmoid_cross_entropy_with_logits", _sentinel, labels, logits)
    x = as_tensor(logits)
    z = labels if isinstance(labels, Tensor) else convert_like(labels, np_dtype(x),
                                                                "sigmoid_cross_entropy")
    if not z.shape.is_compatible_with(x.shape):
        raise ShapeError(f"sigmoid_cross_entropy_with_logits: logits and labels must have the "
                         f"same shape ({x.shape} vs {z.shape})")
    zeros = zeros_like(x)
    positive = x >= zeros
    relu_logits = where(positive, x, zeros)
    neg_abs_logits = where(positive, -x, x)
    return named(relu_logits - x * z + log1p(exp(neg_abs_logits)), name)


def _named_only(what, sentinel, labels, logits):
    if sentinel is not None or labels is None or logits is None:
        raise ValueError(f"Only call `{what}` with named arguments (labels=..., logits=..., "
                         "...)")


def bias_add(value, bias, data_format=None, name=None):
    """value + bias, the 1-D ``bias`` added along the last axis (TensorFlow's BiasAdd).

    >>> import teachgrad as tg
    >>> tg.nn.bias_add([[1.0, 2.0]], [10.0, 20.0]).numpy()
    array([[11., 22.]], dtype=float32)
    """
    if data_format not in (None, "NHWC", "NC...", "N...C"):
        raise ValueError(f"bias_add: data_format {data_format!r}: only channels last (NHWC) is "
                         "supported")
    value, bias = as_tensor(value), as_tensor(bias)
    if bias.ndim != 1:
        raise ShapeError(f"bias_add: bias of shape {bias.shape}: expected a vector")
    last, size = tuple(value.shape)[-1:] or (None,), tuple(bias.shape)[0]
    if value.ndim < 2 or None not in (last[0], size) and last[0] != size:
        raise ShapeError(f"bias_add: value of shape {value.shape} and bias of shape "
                         f"{bias.shape}: expected value's last dimension to equal bias's size")
    return named(value + bias, name or "BiasAdd")


def _window(arg, what):
    """ksize/strides: an int, [h, w] or TensorFlow's [1, h, w, 1], as (h, w)."""
    if isinstance(arg, (int, np.integer)):
        return (int(arg), int(arg))
    values = [int(v) for v in arg]
    if len(values) == 4 and values[0] == values[3] == 1:
        return tuple(values[1:3])
    if len(values) in (1, 2):
        return (values[0], values[-1])
    raise ValueError(f"{what} {arg!r} not understood: expected an int or [1, h, w, 1] (batch "
                     "and channel must be 1)")


def _pool(prim, value, ksize, strides, padding, data_format, name, what):
    if data_format not in ("NHWC", None):
        raise ValueError(f"{what}: data_format {data_format!r}: only NHWC is supported")
    x = as_tensor(value)
    if x.ndim != 4:
        raise ShapeError(f"{what}: input of shape {x.shape}: expected 4 dimensions (batch, "
                         "height, width, channels)")
    pad = padding.upper() if isinstance(padding, str) else padding
    if pad not in ("VALID", "SAME"):
        raise ValueError(f"{what}: padding {padding!r} not understood: expected 'VALID' or "
                         "'SAME'")
    return named(apply(prim, x, ksize=_window(ksize, f"{what}: ksize"),
                       strides=_window(strides, f"{what}: strides"), padding=pad), name)


def max_pool(value, ksize, strides, padding, data_format="NHWC", name=None, input=None):
    """The largest element of each ``ksize`` window, moved by ``strides`` (NHWC).

    >>> import numpy as np, teachgrad as tg
    >>> image = np.arange(16.0).reshape(1, 4, 4, 1)
    >>> tg.nn.max_pool(image, ksize=2, strides=2, padding="VALID").numpy()[0, :, :, 0]
    array([[ 5.,  7.],
           [13., 15.]])
    """
    return _pool(ops.max_pool, value if input is None else input, ksize, strides, padding,
                 data_format, name, "max_pool")


def avg_pool(value, ksize, strides, padding, data_format="NHWC", name=None, input=None):
    """The mean of each ``ksize`` window (padding not counted, as TensorFlow), NHWC.

    >>> import numpy as np, teachgrad as tg
    >>> image = np.arange(16.0).reshape(1, 4, 4, 1)
    >>> tg.nn.avg_pool(image, ksize=2, strides=2, padding="VALID").numpy()[0, :, :, 0]
    array([[ 2.5,  4.5],
           [10.5, 12.5]])
    """
    return _pool(ops.avg_pool, value if input is None else input, ksize, strides, padding,
                 data_format, name, "avg_pool")


def softplus(features, name=None):
    """log(1 + eˣ), without overflow.

    >>> import teachgrad as tg
    >>> tg.nn.softplus(0.0).numpy()
    array(0.6931472, dtype=float32)
    """
    return named(apply(ops.softplus, features), name)


def leaky_relu(features, alpha=0.2, name=None):
    """max(alpha·x, x).

    >>> import teachgrad as tg
    >>> tg.nn.leaky_relu([-1.0, 2.0]).numpy()
    array([-0.2,  2. ], dtype=float32)
    """
    x = as_tensor(features)
    return named(maximum(x * alpha, x), name)


def embedding_lookup(params, ids, name=None):
    """The rows of ``params`` at ``ids`` (``tg.gather`` along axis 0).

    >>> import teachgrad as tg
    >>> tg.nn.embedding_lookup([[1.0, 2.0], [3.0, 4.0]], [1]).numpy()
    array([[3., 4.]], dtype=float32)
    """
    return named(apply(ops.gather, as_tensor(params), as_tensor(ids), axis=0), name)


def dropout(x, keep_prob=None, noise_shape=None, seed=None, name=None, rate=None):
    """Each element of ``x`` set to 0 with probability ``rate`` (or ``1 − keep_prob``, TF-1's
    older argument) and the others scaled by ``1/keep_prob``, so the expected sum is unchanged:
    a new mask at every run, the same masks in every new Session with a ``seed``. The gradient is
    the mask times ``1/keep_prob``. Built as TensorFlow 1.15 builds it (``dropout/GreaterEqual``,
    ``dropout/mul_1``); ``rate=0`` gives ``x`` itself.

    >>> import teachgrad as tg
    >>> with tg.Graph().as_default():
    ...     y = tg.nn.dropout(tg.ones((2, 4)), keep_prob=0.5, seed=1)
    ...     with tg.Session() as sess:
    ...         values = sess.run(y)
    >>> sorted(set(values.ravel().tolist())), y.op.name
    ([0.0, 2.0], 'dropout/mul_1')
    """
    if keep_prob is not None and rate is not None:
        raise ValueError("Cannot specify both 'keep_prob' and 'rate'.")
    if keep_prob is not None:
        rate = 1.0 - keep_prob
    if rate is None:
        raise ValueError("`rate` must be provided. Received: rate=None")
    with name_scope(name, "dropout"):
        x = as_tensor(x)
        if np_dtype(x).kind != "f":
            raise ValueError("`x.dtype` must be a floating point tensor as `x` will be scaled. "
                             f"Received: x_dtype={x.dtype}")
        if not isinstance(rate, Tensor):
            if not 0 <= rate < 1:
                raise ValueError("`rate` must be a scalar tensor or a float in the range [0, 1). "
                                 f"Received: rate={rate}")
            if rate == 0:
                return x
            rate = constant(rate, dtype=x.dtype, name="rate")
        noise = _noise_shape(x, noise_shape)
        if isinstance(noise, Tensor):
            random = named(apply(ops.random_uniform_of_shape, noise, minval=0.0, maxval=1.0,
                                 dtype=np_dtype(x), seed=random_seed(seed)), "random_uniform")
        else:
            random = random_uniform(noise, seed=seed, dtype=x.dtype)
        keep = 1 - rate
        scale = 1 / keep
        keep_mask = random >= rate
        result = x * scale * cast(keep_mask, x.dtype)
        if result.shape.ndims is None or not result.shape.is_fully_defined():
            result.set_shape(x.shape)
        return result


def _noise_shape(x, noise_shape):
    """The shape of dropout's mask: sizes known now (a tuple), or a tensor of sizes known when
    the program runs (``tg.shape(x)``, the default for a batch of unknown size)."""
    if noise_shape is None:
        return tuple(x.shape) if x.shape.is_fully_defined() else shape(x)
    if isinstance(noise_shape, Tensor):
        return noise_shape
    sizes = [(n if n is not None else d) for n, d in zip(noise_shape, x.shape)] \
        if x.shape.ndims == len(noise_shape) else list(noise_shape)
    if all(n is not None for n in sizes):
        return tuple(int(n) for n in sizes)
    raise ValueError(f"dropout: noise_shape {list(noise_shape)} has sizes not known now; give "
                     "them, or a tensor such as tg.shape(x)")
