"""``tg.layers``: TensorFlow 1's functional layers. ``dense`` makes its variables with
``get_variable`` inside a variable scope named for the layer, as TensorFlow names them:
``dense/kernel`` and ``dense/bias``, then ``dense_1/…`` for the next unnamed one.

>>> import teachgrad as tg
>>> with tg.Graph().as_default():
...     x = tg.placeholder(tg.float32, (None, 4))
...     h = tg.layers.dense(x, 3, activation=tg.nn.relu)
...     y = tg.layers.dense(h, 1)
...     names = [v.name for v in tg.trainable_variables()]
>>> h.shape, y.shape, names
(TensorShape([None, 3]), TensorShape([None, 1]), ['dense/kernel:0', 'dense/bias:0', 'dense_1/kernel:0', 'dense_1/bias:0'])
"""

import numpy as np

from . import nn_ops as nn
from ..errors import ShapeError
from .math_ops import matmul, reshape
from .initializers import glorot_uniform_initializer, zeros_initializer
from .linalg_ops import tensordot
from ..core.program_graph import get_default_graph
from .variable_scope import get_variable, get_variable_scope, variable_scope
from ..core.tensor import as_tensor, named

__all__ = ["dense", "flatten"]

_LAYER_NAMES = "teachgrad.layer_names"   # the graph collection of the layer names taken


def _layer_name(name, base):
    """``name``, or the first of ``base``, ``base_1``, … no layer of this graph has taken."""
    taken = get_default_graph().get_collection_ref(_LAYER_NAMES)
    if name is None:
        prefix = get_variable_scope().name
        k, name = 0, base
        while (prefix + "/" + name if prefix else name) in taken:
            k += 1
            name = f"{base}_{k}"
    prefix = get_variable_scope().name
    taken.append(prefix + "/" + name if prefix else name)
    return name


def dense(inputs, units, activation=None, use_bias=True, kernel_initializer=None,
          bias_initializer=zeros_initializer(), kernel_regularizer=None, bias_regularizer=None,
          activity_regularizer=None, kernel_constraint=None, bias_constraint=None,
          trainable=True, name=None, reuse=None):
    """``activation(inputs · kernel + bias)``: a fully connected layer.

    The kernel has shape (the last dimension of ``inputs``, ``units``) and starts Glorot-uniform
    unless ``kernel_initializer`` says otherwise; the bias starts at zeros. Inputs of rank above 2
    are multiplied along their last axis. ``reuse=True`` (with a ``name``) uses the variables of
    an earlier layer of that name.

    >>> import teachgrad as tg
    >>> with tg.Graph().as_default():
    ...     y = tg.layers.dense(tg.ones((2, 3)), 4, kernel_initializer=tg.ones_initializer())
    ...     with tg.Session() as sess:
    ...         sess.run(tg.global_variables_initializer())
    ...         sess.run(y)
    array([[3., 3., 3., 3.],
           [3., 3., 3., 3.]], dtype=float32)
    """
    x = as_tensor(inputs)
    if x.shape.ndims is None or x.shape.ndims < 2 or tuple(x.shape)[-1] is None:
        raise ShapeError(f"dense: inputs of shape {x.shape}: expected at least 2 dimensions, the "
                         "last of them known (the number of input features)")
    units = int(units)
    scope_name = name if reuse else _layer_name(name, "dense")
    with variable_scope(scope_name, reuse=reuse):
        kernel = get_variable("kernel", shape=(tuple(x.shape)[-1], units), dtype=x.dtype,
                              initializer=kernel_initializer or glorot_uniform_initializer(),
                              regularizer=kernel_regularizer, trainable=trainable)
        if x.ndim == 2:
            out = matmul(x, kernel)
        else:
            out = tensordot(x, kernel, [[x.ndim - 1], [0]], name="Tensordot")
        if use_bias:
            bias = get_variable("bias", shape=(units,), dtype=x.dtype,
                                initializer=bias_initializer, regularizer=bias_regularizer,
                                trainable=trainable)
            out = nn.bias_add(out, bias)
        if activation is not None:
            out = activation(out)
    return out


def flatten(inputs, name=None, data_format="channels_last"):
    """``inputs`` as (batch, everything else).

    >>> import teachgrad as tg
    >>> with tg.Graph().as_default():
    ...     x = tg.placeholder(tg.float32, (None, 7, 7, 2))
    ...     tg.layers.flatten(x).shape
    TensorShape([None, 98])
    """
    x = as_tensor(inputs)
    rest = x.shape[1:]
    if not rest.is_fully_defined():
        raise ShapeError(f"flatten: inputs of shape {x.shape}: the dimensions after the first "
                         "must be known")
    return named(reshape(x, (-1, int(np.prod(rest, dtype=np.int64)))), name)

