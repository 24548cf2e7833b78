"""``tg.losses``: TensorFlow 1's ``tf.losses`` — a loss per element, weighted and reduced to one
number, and added to the graph's ``losses`` collection.

The reduction is TensorFlow's default, ``SUM_BY_NONZERO_WEIGHTS``: the weighted sum divided by the
number of elements whose weight is not 0 (with the default ``weights=1.0``, the mean). As in
TensorFlow, the arithmetic is done in float32 and the result cast back to the inputs' dtype.

>>> import teachgrad as tg
>>> tg.losses.mean_squared_error([1.0, 2.0], [1.5, 2.5]).numpy()
array(0.25, dtype=float32)
"""

import numpy as np

from . import nn_ops as nn
from .array_ops import squared_difference
from .math_ops import (abs, cast, equal, log, minimum, ones_like, reduce_sum, relu, square, where, zeros_like)
from ..core.program_graph import GraphKeys, get_default_graph, name_scope
from ..core.tensor import Tensor, as_tensor, convert_like, named, np_dtype

__all__ = ["Reduction", "compute_weighted_loss", "mean_squared_error", "absolute_difference",
           "huber_loss", "log_loss", "hinge_loss", "sigmoid_cross_entropy",
           "softmax_cross_entropy", "sparse_softmax_cross_entropy", "add_loss", "get_losses",
           "get_total_loss", "get_regularization_losses", "get_regularization_loss"]


class Reduction:
    """How ``compute_weighted_loss`` reduces the weighted losses (TensorFlow 1's names)."""
    NONE = "none"
    SUM = "weighted_sum"
    MEAN = "weighted_mean"
    SUM_OVER_BATCH_SIZE = "weighted_sum_over_batch_size"
    SUM_OVER_NONZERO_WEIGHTS = SUM_BY_NONZERO_WEIGHTS = "weighted_sum_by_nonzero_weights"

    @classmethod
    def all(cls):
        return (cls.NONE, cls.SUM, cls.MEAN, cls.SUM_OVER_BATCH_SIZE, cls.SUM_BY_NONZERO_WEIGHTS)


def _float32(x):
    x = as_tensor(x)
    return x if np_dtype(x) == np.float32 else cast(x, np.float32)


def _div_no_nan(total, count):
    """total / count, and 0 where count is 0 (TensorFlow's ``div_no_nan``)."""
    present = count > 0.0
    return where(present, total / where(present, count, ones_like(count)), zeros_like(total))


def _reduce(losses, weights, reduction):
    """The weighted losses reduced to one number (TensorFlow 1's arithmetic, in float32)."""
    if reduction not in Reduction.all():
        raise ValueError(f"reduction {reduction!r}: expected one of {Reduction.all()}")
    losses = as_tensor(losses)
    input_dtype = np_dtype(losses)
    values, weights = _float32(losses), _float32(weights)
    loss = values * weights
    if reduction != Reduction.NONE:
        count = None
        if reduction == Reduction.MEAN:
            count = reduce_sum(ones_like(values) * weights)
        elif reduction == Reduction.SUM_BY_NONZERO_WEIGHTS:
            nonzero = where(equal(weights, 0.0), zeros_like(weights), ones_like(weights))
            count = reduce_sum(ones_like(values) * nonzero)
        elif reduction == Reduction.SUM_OVER_BATCH_SIZE:
            count = reduce_sum(ones_like(values))
        loss = reduce_sum(loss)
        if count is not None:
            loss = _div_no_nan(loss, count)
    return loss if input_dtype == np.float32 else cast(loss, input_dtype)


def _finish(loss, loss_collection):
    loss = named(loss, "value")
    add_loss(loss, loss_collection)
    return loss


def compute_weighted_loss(losses, weights=1.0, scope=None, loss_collection=GraphKeys.LOSSES,
                          reduction=Reduction.SUM_BY_NONZERO_WEIGHTS):
    """``losses`` times ``weights`` (which broadcast to them), reduced by ``reduction``.

    >>> import teachgrad as tg
    >>> tg.losses.compute_weighted_loss([1.0, 3.0], weights=[1.0, 0.0]).numpy()
    array(1., dtype=float32)
    """
    with name_scope(scope or "weighted_loss"):
        return _finish(_reduce(losses, weights, reduction), loss_collection)


def _pair(labels, predictions, what):
    predictions = as_tensor(predictions)
    labels = labels if isinstance(labels, Tensor) else convert_like(
        labels, np_dtype(predictions), what)
    if not labels.shape.is_compatible_with(predictions.shape):
        raise ValueError(f"{what}: labels of shape {labels.shape} and predictions of shape "
                         f"{predictions.shape}: expected the same shape")
    return _float32(labels), _float32(predictions)


def _loss(what, per_element, labels, predictions, weights, scope, loss_collection, reduction):
    """A loss of ``per_element(labels, predictions)``, both float32, under the scope ``what``."""
    with name_scope(scope or what):
        predictions = as_tensor(predictions)
        dtype = np_dtype(predictions)
        labels, predictions = _pair(labels, predictions, what)
        loss = _reduce(per_element(labels, predictions), weights, reduction)
        if dtype != np.float32 and np_dtype(loss) != dtype:
            loss = cast(loss, dtype)
        return _finish(loss, loss_collection)


def mean_squared_error(labels, predictions, weights=1.0, scope=None,
                       loss_collection=GraphKeys.LOSSES,
                       reduction=Reduction.SUM_BY_NONZERO_WEIGHTS):
    """The weighted mean of (predictions − labels)².

    >>> import teachgrad as tg
    >>> tg.losses.mean_squared_error([[1.0], [2.0]], [[2.0], [2.0]]).numpy()
    array(0.5, dtype=float32)
    """
    return _loss("mean_squared_error", lambda z, p: squared_difference(p, z), labels,
                 predictions, weights, scope, loss_collection, reduction)


def absolute_difference(labels, predictions, weights=1.0, scope=None,
                        loss_collection=GraphKeys.LOSSES,
                        reduction=Reduction.SUM_BY_NONZERO_WEIGHTS):
    """The weighted mean of |predictions − labels|.

    >>> import teachgrad as tg
    >>> tg.losses.absolute_difference([1.0, 2.0], [2.0, 4.0]).numpy()
    array(1.5, dtype=float32)
    """
    return _loss("absolute_difference", lambda z, p: abs(p - z), labels, predictions, weights,
                 scope, loss_collection, reduction)


def huber_loss(labels, predictions, weights=1.0, delta=1.0, scope=None,
               loss_collection=GraphKeys.LOSSES, reduction=Reduction.SUM_BY_NONZERO_WEIGHTS):
    """½·e² for |e| ≤ delta, delta·(|e| − ½·delta) beyond (e = predictions − labels).

    >>> import teachgrad as tg
    >>> tg.losses.huber_loss([0.0, 0.0], [0.5, 3.0]).numpy()
    array(1.3125, dtype=float32)
    """
    def per_element(z, p):
        error = abs(p - z)
        quadratic = minimum(error, delta)
        return 0.5 * square(quadratic) + delta * (error - quadratic)
    return _loss("huber_loss", per_element, labels, predictions, weights, scope,
                 loss_collection, reduction)


def log_loss(labels, predictions, weights=1.0, epsilon=1e-7, scope=None,
             loss_collection=GraphKeys.LOSSES, reduction=Reduction.SUM_BY_NONZERO_WEIGHTS):
    """−z·log(p + ε) − (1 − z)·log(1 − p + ε) for probabilities p and labels z.

    >>> import teachgrad as tg
    >>> round(float(tg.losses.log_loss([1.0], [0.5])), 6)
    0.693147
    """
    return _loss("log_loss", lambda z, p: -z * log(p + epsilon) - (1 - z) * log(1 - p + epsilon),
                 labels, predictions, weights, scope, loss_collection, reduction)


def hinge_loss(labels, logits, weights=1.0, scope=None, loss_collection=GraphKeys.LOSSES,
               reduction=Reduction.SUM_BY_NONZERO_WEIGHTS):
    """max(0, 1 − (2z − 1)·logit) for labels z in {0, 1}.

    >>> import teachgrad as tg
    >>> tg.losses.hinge_loss([1.0, 0.0], [0.5, 0.5]).numpy()
    array(1., dtype=float32)
    """
    return _loss("hinge_loss", lambda z, x: relu(1 - (2 * z - 1) * x), labels, logits, weights,
                 scope, loss_collection, reduction)


def sigmoid_cross_entropy(multi_class_labels, logits, weights=1.0, label_smoothing=0, scope=None,
                          loss_collection=GraphKeys.LOSSES,
                          reduction=Reduction.SUM_BY_NONZERO_WEIGHTS):
    """The weighted mean of ``nn.sigmoid_cross_entropy_with_logits``.

    >>> import teachgrad as tg
    >>> round(float(tg.losses.sigmoid_cross_entropy([1.0], [0.0])), 6)
    0.693147
    """
    def per_element(z, x):
        if label_smoothing:
            z = z * (1 - label_smoothing) + 0.5 * label_smoothing
        return nn.sigmoid_cross_entropy_with_logits(labels=z, logits=x)
    return _loss("sigmoid_cross_entropy_loss", per_element, multi_class_labels, logits, weights,
                 scope, loss_collection, reduction)


def softmax_cross_entropy(onehot_labels, logits, weights=1.0, label_smoothing=0, scope=None,
                          loss_collection=GraphKeys.LOSSES,
                          reduction=Reduction.SUM_BY_NONZERO_WEIGHTS):
    """The weighted mean over examples of ``nn.softmax_cross_entropy_with_logits``.

    >>> import teachgrad as tg
    >>> round(float(tg.losses.softmax_cross_entropy([[0.0, 1.0]], [[0.0, 0.0]])), 6)
    0.693147
    """
    def per_element(z, x):
        if label_smoothing:
            n = tuple(x.shape)[-1]
            z = z * (1 - label_smoothing) + label_smoothing / n
        return nn.softmax_cross_entropy_with_logits_v2(labels=z, logits=x)
    return _loss("softmax_cross_entropy_loss", per_element, onehot_labels, logits, weights,
                 scope, loss_collection, reduction)


def sparse_softmax_cross_entropy(labels, logits, weights=1.0, scope=None,
                                 loss_collection=GraphKeys.LOSSES,
                                 reduction=Reduction.SUM_BY_NONZERO_WEIGHTS):
    """The weighted mean over examples of ``nn.sparse_softmax_cross_entropy_with_logits``.

    >>> import teachgrad as tg
    >>> round(float(tg.losses.sparse_softmax_cross_entropy([1], [[0.0, 0.0]])), 6)
    0.693147
    """
    with name_scope(scope or "sparse_softmax_cross_entropy_loss"):
        losses = nn.sparse_softmax_cross_entropy_with_logits(labels=labels, logits=logits)
        return _finish(_reduce(losses, weights, reduction), loss_collection)


# --- the losses collection -------------------------------------------------------------------

def add_loss(loss, loss_collection=GraphKeys.LOSSES):
    """Add ``loss`` to the collection ``loss_collection`` (None: to none).

    >>> import teachgrad as tg
    >>> with tg.Graph().as_default():
    ...     tg.losses.add_loss(tg.constant(2.0))
    ...     [float(l) for l in tg.losses.get_losses()]
    [2.0]
    """
    if loss_collection is not None:
        get_default_graph().add_to_collection(loss_collection, loss)


def get_losses(scope=None, loss_collection=GraphKeys.LOSSES):
    """The losses added to ``loss_collection`` (those whose names start with ``scope``); see
    ``add_loss``."""
    return get_default_graph().get_collection(loss_collection, scope)


def get_regularization_losses(scope=None):
    """The collected regularization losses (none unless a program adds them)."""
    return get_default_graph().get_collection("regularization_losses", scope)


def get_regularization_loss(scope=None, name="total_regularization_loss"):
    """The sum of the regularization losses (0.0 when there are none).

    >>> import teachgrad as tg
    >>> with tg.Graph().as_default():
    ...     float(tg.losses.get_regularization_loss())
    0.0
    """
    losses = get_regularization_losses(scope)
    return named(sum(losses[1:], losses[0]) if losses else as_tensor(0.0), name)


def get_total_loss(add_regularization_losses=True, name="total_loss", scope=None):
    """The sum of the collected losses (and regularization losses).

    >>> import teachgrad as tg
    >>> with tg.Graph().as_default():
    ...     a = tg.losses.absolute_difference([0.0], [1.0])
    ...     b = tg.losses.mean_squared_error([0.0], [2.0])
    ...     float(tg.losses.get_total_loss())
    5.0
    """
    losses = get_losses(scope)
    if add_regularization_losses:
        losses = losses + get_regularization_losses(scope)
    if not losses:
        raise ValueError("get_total_loss: no losses were added to the graph's losses collection")
    return named(sum(losses[1:], losses[0]), name)


