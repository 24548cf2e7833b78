"""More of TensorFlow 1's ``tf.nn``, built from other ops as TensorFlow builds them:
``moments`` and ``batch_normalization``, ``l2_normalize``, ``xw_plus_b``,
``weighted_cross_entropy_with_logits``, and the activations ``elu``, ``selu``, ``relu6``,
``softsign`` (each an op of its own, with TensorFlow's derivative at its kinks).
"""

from .. import ops
from ..core.primitive import apply
from ..core.program_graph import name_scope
from ..core.tensor import as_tensor, convert_like, named, np_dtype
from .array_ops import squared_difference, squeeze
from .math_ops import (abs, exp, log1p, matmul, maximum, reduce_mean, reduce_sum, rsqrt,
                       stop_gradient)
from .nn_ops import bias_add

__all__ = ["moments", "batch_normalization", "l2_normalize", "xw_plus_b",
           "weighted_cross_entropy_with_logits", "elu", "selu", "relu6", "softsign"]


def _activation(prim):
    def fn(features, name=None):
        return named(apply(prim, features), name)
    fn.__name__ = fn.__qualname__ = prim.function
    fn.__doc__ = f"""Element-wise {prim.doc}

    >>> import teachgrad as tg
    {prim.example.replace("tg.", "tg.nn.")}
    """
    return fn


elu, selu, relu6, softsign = (_activation(p) for p in (ops.elu, ops.selu, ops.relu6,
                                                        ops.softsign))


def moments(x, axes, shift=None, name=None, keep_dims=None, keepdims=None):
    """The mean and the variance of ``x`` over ``axes``: ``(mean, variance)``, the axes kept
    (size 1) when ``keep_dims``. As TensorFlow 1, the variance is the mean of
    (x − mean)² with the mean held constant inside it (its derivative is the same: the
    deviations sum to zero).

    >>> import teachgrad as tg
    >>> mean, variance = tg.nn.moments(tg.constant([[1.0, 2.0], [3.0, 6.0]]), axes=[0])
    >>> mean.numpy(), variance.numpy()
    (array([2., 4.], dtype=float32), array([1., 4.], dtype=float32))
    """
    keep = bool(keepdims if keepdims is not None else keep_dims)
    axes = list(axes) if isinstance(axes, (list, tuple)) else [int(axes)]
    with name_scope(name, "moments"):
        x = as_tensor(x)
        mean = reduce_mean(x, axes, keepdims=True, name="mean")
        variance = reduce_mean(squared_difference(x, stop_gradient(mean)), axes, keepdims=True,
                               name="variance")
        if not keep:
            mean = squeeze(mean, axes, name="Squeeze")
            variance = squeeze(variance, axes, name="Squeeze_1")
        return mean, variance


def batch_normalization(x, mean, variance, offset, scale, variance_epsilon, name=None):
    """``scale · (x − mean) / √(variance + variance_epsilon) + offset``: each feature brought
    to mean 0 and variance 1, then scaled and shifted (``offset`` and ``scale`` may be None).

    >>> import teachgrad as tg
    >>> x = tg.constant([[1.0, 2.0], [3.0, 6.0]])
    >>> mean, variance = tg.nn.moments(x, axes=[0])
    >>> tg.nn.batch_normalization(x, mean, variance, None, None, 1e-8).numpy()
    array([[-1., -1.],
           [ 1.,  1.]], dtype=float32)
    """
    with name_scope(name, "batchnorm"):
        x = as_tensor(x)
        inv = rsqrt(as_tensor(variance) + convert_like(variance_epsilon, np_dtype(x),
                                                       "batch_normalization"))
        if scale is not None:
            inv = inv * scale
        shift = -as_tensor(mean) * inv if offset is None else offset - mean * inv
        return x * inv + shift


def l2_normalize(x, axis=None, epsilon=1e-12, name=None, dim=None):
    """``x / √max(Σ x², epsilon)`` along ``axis`` (all axes when None): unit length.

    >>> import teachgrad as tg
    >>> tg.nn.l2_normalize(tg.constant([3.0, 4.0]), axis=0).numpy()
    array([0.6, 0.8], dtype=float32)
    """
    axis = dim if axis is None else axis
    with name_scope(name, "l2_normalize"):
        x = as_tensor(x)
        square_sum = reduce_sum(x * x, axis, keepdims=True)
        return x * rsqrt(maximum(square_sum, convert_like(epsilon, np_dtype(x), "l2_normalize")))


def xw_plus_b(x, weights, biases, name=None):
    """``x · weights + biases`` (a fully connected layer's affine part).

    >>> import teachgrad as tg
    >>> tg.nn.xw_plus_b([[1.0, 2.0]], [[1.0], [1.0]], [0.5]).numpy()
    array([[3.5]], dtype=float32)
    """
    with name_scope(name, "xw_plus_b"):
        return bias_add(matmul(x, weights), biases)


def weighted_cross_entropy_with_logits(labels=None, logits=None, pos_weight=None, name=None,
                                       targets=None):
    """The logistic loss with the positive examples weighted by ``pos_weight``:
    ``labels · −log σ(x) · pos_weight + (1 − labels) · −log(1 − σ(x))``, computed without
    overflow as TensorFlow does.

    >>> import teachgrad as tg
    >>> tg.nn.weighted_cross_entropy_with_logits(labels=[1.0, 0.0], logits=[0.0, 0.0],
    ...                                          pos_weight=2.0).numpy()
    array([1.3862944, 0.6931472], dtype=float32)
    """
    labels = targets if labels is None else labels
    if labels is None or logits is None or pos_weight is None:
        raise ValueError("weighted_cross_entropy_with_logits: labels, logits and pos_weight are "
                         "all needed")
    with name_scope(name, "logistic_loss"):
        x = as_tensor(logits)
        z = convert_like(labels, np_dtype(x), "weighted_cross_entropy_with_logits")
        q = convert_like(pos_weight, np_dtype(x), "weighted_cross_entropy_with_logits")
        log_weight = 1 + (q - 1) * z
        # (1 − z)·x + l·(log(1 + e^−|x|) + max(−x, 0)), l = 1 + (q − 1)·z
        return (1 - z) * x + log_weight * (log1p(exp(-abs(x))) + maximum(-x, 0.0))
