"""``tg.layers``: TensorFlow 1's layers, the ``Dense`` class and the ``dense`` function. A layer
makes its variables with ``get_variable`` inside a variable scope named for the layer, as
TensorFlow names them: ``dense/kernel`` and ``dense/bias``, then ``dense_1/…`` for the next
unnamed one.

>>> import teachgrad as tg
>>> with tg.Graph().as_default():
...     x = tg.placeholder(tg.float32, (None, 4))
...     h = tg.layers.dense(x, 3, activation=tg.nn.relu)
...     y = tg.layers.dense(h, 1)
...     names = [v.name for v in tg.trainable_variables()]
>>> h.shape, y.shape, names
(TensorShape([None, 3]), TensorShape([None, 1]), ['dense/kernel:0', 'dense/bias:0', 'dense_1/kernel:0', 'dense_1/bias:0'])
"""

import re

import numpy as np

from . import nn_ops as nn
from ..errors import ShapeError
from .math_ops import matmul, reshape
from .initializers import glorot_uniform_initializer, zeros_initializer
from .linalg_ops import tensordot
from ..core.dtypes import as_dtype
from ..core.program_graph import get_default_graph, name_scope
from ..core.shapes import TensorShape
from .variable_scope import get_variable, variable_scope
from ..core.tensor import as_tensor, named

__all__ = ["Layer", "Dense", "dense", "flatten"]

_OBJECT_NAMES = "teachgrad.layer_object_names"   # the graph collection of the layer names taken


def _unique_object_name(base):
    """``base_1``, ``base_2``, …: the name of the next unnamed layer object in this graph, as
    TensorFlow 1 names them (counted from 1; the variables' scope is counted apart)."""
    taken = get_default_graph().get_collection_ref(_OBJECT_NAMES)
    k = 1
    while f"{base}_{k}" in taken:
        k += 1
    taken.append(f"{base}_{k}")
    return f"{base}_{k}"


def _snake_case(name):
    return re.sub(r"(?<=[a-z0-9])([A-Z])", r"_\1", name).lower()


class Layer:
    """TensorFlow 1's ``tf.layers.Layer``: a callable that makes its variables at its first call,
    in a variable scope named for the layer (``dense``, ``dense_1``, …, or its ``name``), and
    uses the same variables at every later call.

    A subclass defines ``build(input_shape)`` (making variables with :meth:`add_weight`) and
    ``call(inputs)``.
    """

    def __init__(self, trainable=True, name=None, dtype=None, _scope=None, _reuse=None,
                 **kwargs):
        self.trainable = trainable
        self.built = False
        self.dtype = None if dtype is None else as_dtype(dtype)
        base = _snake_case(type(self).__name__)
        if name is None:
            self._name, self._base_name = _unique_object_name(base), base
        else:
            self._name = self._base_name = name
        self._scope_arg, self._reuse = _scope, _reuse
        self._scope = None          # the VariableScope, fixed at the first call
        self._name_scope = None     # the name scope of the layer's ops ("dense/")
        self._trainable_weights, self._non_trainable_weights = [], []

    @property
    def name(self):
        return self._name

    @property
    def scope_name(self):
        if self._scope is None:
            raise ValueError(f'No name available for layer scope because the layer "{self._name}"'
                             " has not been used yet. The scope name is determined the first "
                             "time the layer instance is called.")
        return self._scope.name

    def add_weight(self, name, shape, dtype=None, initializer=None, regularizer=None,
                   trainable=True, constraint=None, **kwargs):
        """A variable of this layer (``get_variable`` in the layer's scope)."""
        variable = get_variable(name, shape=shape, dtype=dtype or self.dtype,
                                initializer=initializer, regularizer=regularizer,
                                trainable=trainable and self.trainable)
        (self._trainable_weights if trainable and self.trainable
         else self._non_trainable_weights).append(variable)
        return variable

    def build(self, input_shape):
        self.built = True

    def call(self, inputs, **kwargs):
        return inputs

    def __call__(self, inputs, *args, **kwargs):
        inputs = as_tensor(inputs)
        if self._scope is None:   # the first call: the scope, the variables, then the ops
            if self._reuse:
                scope = variable_scope(self._scope_arg or self._base_name, reuse=True)
            else:
                scope = variable_scope(self._scope_arg, default_name=self._base_name)
            with scope as captured:
                self._scope = captured
                self._name_scope = get_default_graph().scope
                if self.dtype is None:
                    self.dtype = inputs.dtype
                if not self.built:
                    self.build(inputs.shape)
                    self.built = True
                return self.call(inputs, *args, **kwargs)
        with name_scope(self._name_scope):   # later calls: the same scope (ops dense/MatMul_1)
            return self.call(inputs, *args, **kwargs)

    def apply(self, inputs, *args, **kwargs):
        return self(inputs, *args, **kwargs)

    @property
    def trainable_variables(self):
        return list(self._trainable_weights) if self.trainable else []

    @property
    def non_trainable_variables(self):
        if self.trainable:
            return list(self._non_trainable_weights)
        return list(self._trainable_weights) + list(self._non_trainable_weights)

    @property
    def variables(self):
        """Every variable of the layer (trainable ones first), [] before the first call."""
        return list(self._trainable_weights) + list(self._non_trainable_weights)

    trainable_weights = trainable_variables
    non_trainable_weights = non_trainable_variables
    weights = variables

    @property
    def losses(self):
        return []

    def __repr__(self):
        return f"<tf.layers.{type(self).__name__} {self._name!r}>"


class Dense(Layer):
    """TensorFlow 1's ``tf.layers.Dense``: ``activation(inputs · kernel + bias)``, its
    ``kernel`` (input features × ``units``, Glorot-uniform unless ``kernel_initializer`` says
    otherwise) and ``bias`` (zeros) made at the first call, as ``dense/kernel:0`` and
    ``dense/bias:0``.

    >>> import teachgrad as tf
    >>> with tf.Graph().as_default():
    ...     x = tf.placeholder(tf.float32, (None, 3))
    ...     layer = tf.layers.Dense(2, activation=tf.nn.relu)
    ...     before = layer.trainable_variables
    ...     y = layer(x)
    ...     again = layer(x)                       # the same variables, new ops
    >>> before, layer.kernel.name, layer.bias.shape, [v.name for v in layer.trainable_variables]
    ([], 'dense/kernel:0', TensorShape([2]), ['dense/kernel:0', 'dense/bias:0'])
    >>> y.name, again.name, layer.name
    ('dense/Relu:0', 'dense/Relu_1:0', 'dense_1')
    """

    def __init__(self, units, activation=None, use_bias=True, kernel_initializer=None,
                 bias_initializer=zeros_initializer(), kernel_regularizer=None,
                 bias_regularizer=None, activity_regularizer=None, kernel_constraint=None,
                 bias_constraint=None, trainable=True, name=None, **kwargs):
        super().__init__(trainable=trainable, name=name, **kwargs)
        self.units = int(units)
        if self.units <= 0:
            raise ValueError(f"Dense: units must be a positive integer, got {units!r}")
        self.activation = activation
        self.use_bias = use_bias
        self.kernel_initializer = kernel_initializer
        self.bias_initializer = bias_initializer
        self.kernel_regularizer = kernel_regularizer
        self.bias_regularizer = bias_regularizer

    def build(self, input_shape):
        shape = TensorShape(input_shape)
        if shape.ndims is None or shape.ndims < 2 or tuple(shape)[-1] is None:
            raise ShapeError(f"dense: inputs of shape {shape}: expected at least 2 dimensions, "
                             "the last of them known (the number of input features)")
        self.kernel = self.add_weight(
            "kernel", shape=(tuple(shape)[-1], self.units),
            initializer=self.kernel_initializer or glorot_uniform_initializer(),
            regularizer=self.kernel_regularizer)
        self.bias = None
        if self.use_bias:
            self.bias = self.add_weight("bias", shape=(self.units,),
                                        initializer=self.bias_initializer,
                                        regularizer=self.bias_regularizer)
        self.built = True

    def call(self, inputs):
        x = inputs
        if x.shape.ndims is None or x.shape.ndims < 2 or tuple(x.shape)[-1] is None:
            raise ShapeError(f"dense: inputs of shape {x.shape}: expected at least 2 "
                             "dimensions, the last of them known (the number of input features)")
        if x.ndim == 2:
            out = matmul(x, self.kernel)
        else:
            out = tensordot(x, self.kernel, [[x.ndim - 1], [0]], name="Tensordot")
        if self.use_bias:
            out = nn.bias_add(out, self.bias)
        if self.activation is not None:
            out = self.activation(out)
        return out

    def compute_output_shape(self, input_shape):
        return TensorShape(input_shape)[:-1].concatenate([self.units])


def dense(inputs, units, activation=None, use_bias=True, kernel_initializer=None,
          bias_initializer=zeros_initializer(), kernel_regularizer=None, bias_regularizer=None,
          activity_regularizer=None, kernel_constraint=None, bias_constraint=None,
          trainable=True, name=None, reuse=None):
    """``activation(inputs · kernel + bias)``: a fully connected layer (a :class:`Dense` called
    once, as TensorFlow 1's ``tf.layers.dense`` is).

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
    layer = Dense(units, activation=activation, use_bias=use_bias,
                  kernel_initializer=kernel_initializer, bias_initializer=bias_initializer,
                  kernel_regularizer=kernel_regularizer, bias_regularizer=bias_regularizer,
                  trainable=trainable, name=name, _scope=name, _reuse=reuse)
    return layer(inputs)


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

