"""``tg.layers``: TensorFlow 1's layers — ``Dense``, ``Conv2D``, ``MaxPooling2D``,
``AveragePooling2D``, ``Dropout``, ``BatchNormalization`` and their functions ``dense``,
``conv2d``, … . A layer
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
from .control_flow import cond
from .initializers import ones_initializer
from .math_ops import cast, size
from .nn_impl import batch_normalization as _normalize, moments
from .variable_scope import get_variable, variable_scope
from .variables import assign_sub, identity
from ..core.program_graph import GraphKeys, add_to_collection
from ..core.tensor import as_tensor, named

__all__ = ["Layer", "Dense", "dense", "flatten", "Conv2D", "conv2d", "MaxPooling2D",
           "max_pooling2d", "AveragePooling2D", "average_pooling2d", "Dropout", "dropout",
           "BatchNormalization", "batch_normalization"]

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
    """A class name as TensorFlow names its layers: ``MaxPooling2D`` → ``max_pooling2d``,
    ``Conv2D`` → ``conv2d`` (an underscore only before a capital that starts a word)."""
    words = re.sub(r"(.)([A-Z][a-z0-9]+)", r"\1_\2", name)
    return re.sub(r"([a-z])([A-Z])", r"\1_\2", words).lower()


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



def _pair(value, what):
    """``kernel_size``/``strides``/``pool_size``: an int or two ints, as (h, w), each above 0."""
    try:
        pair = ((int(value),) * 2 if isinstance(value, (int, np.integer))
                else tuple(int(v) for v in value))
    except (TypeError, ValueError):
        pair = ()
    if len(pair) != 2 or isinstance(value, (str, bytes)):
        raise ValueError(f"The `{what}` argument must be a tuple of 2 integers. "
                         f"Received: {value!r}")
    if min(pair) < 1:
        raise ValueError(f"The `{what}` argument must be a tuple of 2 integers above 0. "
                         f"Received: {value!r}")
    return pair


def _padding(value):
    pad = value.lower() if isinstance(value, str) else value
    if pad not in ("valid", "same"):
        raise ValueError('The `padding` argument must be one of "valid", "same". '
                         f"Received: {value!r}")
    return pad


def _channels_last(data_format, what):
    if data_format not in ("channels_last", None):
        raise ValueError(f"{what}: data_format={data_format!r}: only 'channels_last' (NHWC) is "
                         "computed here, as TensorFlow 1 on a CPU computes it")
    return "channels_last"


def _four_dimensions(layer, inputs):
    if inputs.shape.ndims != 4:
        raise ShapeError(f'Input 0 of layer "{layer.name}" is incompatible with the layer: '
                         f"expected ndim=4, found ndim={inputs.shape.ndims}. Full shape "
                         f"received: {inputs.shape}")


class Conv2D(Layer):
    """TensorFlow 1's ``tf.layers.Conv2D``: ``activation(conv2d(inputs, kernel) + bias)`` on
    NHWC images. Its ``kernel`` (``kernel_size`` × in-channels × ``filters``, Glorot-uniform
    unless ``kernel_initializer`` says otherwise) and ``bias`` (zeros) are made at the first
    call, as ``conv2d/kernel:0`` and ``conv2d/bias:0``; ``padding`` is ``"valid"`` (only full
    windows, the default) or ``"same"``.

    >>> import teachgrad as tf
    >>> with tf.Graph().as_default():
    ...     x = tf.placeholder(tf.float32, (None, 28, 28, 1))
    ...     layer = tf.layers.Conv2D(32, 5, activation=tf.nn.relu)
    ...     y = layer(x)
    >>> y.name, y.shape, layer.kernel.shape, layer.kernel_size, layer.padding
    ('conv2d/Relu:0', TensorShape([None, 24, 24, 32]), TensorShape([5, 5, 1, 32]), (5, 5), 'valid')
    """

    def __init__(self, filters, kernel_size, strides=(1, 1), padding="valid",
                 data_format="channels_last", dilation_rate=(1, 1), activation=None,
                 use_bias=True, kernel_initializer=None, bias_initializer=zeros_initializer(),
                 kernel_regularizer=None, bias_regularizer=None, activity_regularizer=None,
                 kernel_constraint=None, bias_constraint=None, trainable=True, name=None,
                 **kwargs):
        super().__init__(trainable=trainable, name=name, **kwargs)
        self.filters = int(filters)
        if self.filters <= 0:
            raise ValueError(f"Conv2D: filters must be a positive integer, got {filters!r}")
        self.kernel_size = _pair(kernel_size, "kernel_size")
        self.strides = _pair(strides, "strides")
        self.padding = _padding(padding)
        self.data_format = _channels_last(data_format, "Conv2D")
        if _pair(dilation_rate, "dilation_rate") != (1, 1):
            raise ValueError(f"Conv2D: dilation_rate={dilation_rate!r}: only (1, 1) is computed "
                             "here (no dilated convolutions)")
        self.dilation_rate = (1, 1)
        self.activation = activation
        self.use_bias = use_bias
        self.kernel_initializer = kernel_initializer
        self.bias_initializer = bias_initializer
        self.kernel_regularizer = kernel_regularizer
        self.bias_regularizer = bias_regularizer

    def build(self, input_shape):
        shape = TensorShape(input_shape)
        if shape.ndims != 4 or tuple(shape)[-1] is None:
            raise ShapeError(f'Input 0 of layer "{self.name}" is incompatible with the layer: '
                             f"expected ndim=4 with the channels known, found shape {shape}")
        self.kernel = self.add_weight(
            "kernel", shape=self.kernel_size + (tuple(shape)[-1], self.filters),
            initializer=self.kernel_initializer or glorot_uniform_initializer(),
            regularizer=self.kernel_regularizer)
        self.bias = None
        if self.use_bias:
            self.bias = self.add_weight("bias", shape=(self.filters,),
                                        initializer=self.bias_initializer,
                                        regularizer=self.bias_regularizer)
        self.built = True

    def call(self, inputs):
        _four_dimensions(self, inputs)
        out = nn.conv2d(inputs, self.kernel, strides=[1, *self.strides, 1],
                        padding=self.padding.upper(), name="Conv2D")
        if self.use_bias:
            out = nn.bias_add(out, self.bias)
        if self.activation is not None:
            out = self.activation(out)
        return out


def conv2d(inputs, filters, kernel_size, strides=(1, 1), padding="valid",
           data_format="channels_last", dilation_rate=(1, 1), activation=None, use_bias=True,
           kernel_initializer=None, bias_initializer=zeros_initializer(), kernel_regularizer=None,
           bias_regularizer=None, activity_regularizer=None, kernel_constraint=None,
           bias_constraint=None, trainable=True, name=None, reuse=None):
    """A 2-D convolution layer (a :class:`Conv2D` called once, as TensorFlow 1's
    ``tf.layers.conv2d``): ``filters`` output channels, a ``kernel_size`` window moved by
    ``strides``.

    >>> import numpy as np, teachgrad as tf
    >>> with tf.Graph().as_default():
    ...     y = tf.layers.conv2d(np.ones((1, 3, 3, 1), np.float32), 1, 2,
    ...                          kernel_initializer=tf.ones_initializer())
    ...     with tf.Session() as sess:
    ...         sess.run(tf.global_variables_initializer())
    ...         sess.run(y)[0, :, :, 0]
    array([[4., 4.],
           [4., 4.]], dtype=float32)
    """
    layer = Conv2D(filters, kernel_size, strides=strides, padding=padding,
                   data_format=data_format, dilation_rate=dilation_rate, activation=activation,
                   use_bias=use_bias, kernel_initializer=kernel_initializer,
                   bias_initializer=bias_initializer, kernel_regularizer=kernel_regularizer,
                   bias_regularizer=bias_regularizer, trainable=trainable, name=name,
                   _scope=name, _reuse=reuse)
    return layer(inputs)


class _Pooling2D(Layer):
    _pool = None     # nn.max_pool or nn.avg_pool
    _op = ""

    def __init__(self, pool_size, strides, padding="valid", data_format="channels_last",
                 name=None, **kwargs):
        super().__init__(name=name, **kwargs)
        self.pool_size = _pair(pool_size, "pool_size")
        self.strides = _pair(strides, "strides")
        self.padding = _padding(padding)
        self.data_format = _channels_last(data_format, type(self).__name__)

    def call(self, inputs):
        _four_dimensions(self, inputs)
        return type(self)._pool(inputs, ksize=[1, *self.pool_size, 1],
                                strides=[1, *self.strides, 1], padding=self.padding.upper(),
                                name=self._op)


class MaxPooling2D(_Pooling2D):
    """TensorFlow 1's ``tf.layers.MaxPooling2D``: the largest value of each ``pool_size``
    window, moved by ``strides`` (NHWC); no variables.

    >>> import teachgrad as tf
    >>> with tf.Graph().as_default():
    ...     y = tf.layers.MaxPooling2D(2, 2)(tf.placeholder(tf.float32, (None, 24, 24, 32)))
    >>> y.name, y.shape
    ('max_pooling2d/MaxPool:0', TensorShape([None, 12, 12, 32]))
    """
    _pool, _op = staticmethod(nn.max_pool), "MaxPool"


class AveragePooling2D(_Pooling2D):
    """TensorFlow 1's ``tf.layers.AveragePooling2D``: the mean of each ``pool_size`` window
    (padding not counted), moved by ``strides`` (NHWC); no variables.

    >>> import teachgrad as tf
    >>> with tf.Graph().as_default():
    ...     x = tf.placeholder(tf.float32, (None, 6, 6, 64))
    ...     y = tf.layers.AveragePooling2D(2, 1, padding="same")(x)
    >>> y.name, y.shape
    ('average_pooling2d/AvgPool:0', TensorShape([None, 6, 6, 64]))
    """
    _pool, _op = staticmethod(nn.avg_pool), "AvgPool"


def max_pooling2d(inputs, pool_size, strides, padding="valid", data_format="channels_last",
                  name=None):
    """Max pooling (a :class:`MaxPooling2D` called once, TensorFlow 1's
    ``tf.layers.max_pooling2d``).

    >>> import numpy as np, teachgrad as tf
    >>> image = np.arange(16.0).reshape(1, 4, 4, 1)
    >>> with tf.Graph().as_default(), tf.Session() as sess:
    ...     sess.run(tf.layers.max_pooling2d(image, 2, 2))[0, :, :, 0]
    array([[ 5.,  7.],
           [13., 15.]])
    """
    return MaxPooling2D(pool_size, strides, padding=padding, data_format=data_format,
                        name=name, _scope=name)(inputs)


def average_pooling2d(inputs, pool_size, strides, padding="valid", data_format="channels_last",
                      name=None):
    """Average pooling (an :class:`AveragePooling2D` called once, TensorFlow 1's
    ``tf.layers.average_pooling2d``).

    >>> import numpy as np, teachgrad as tf
    >>> image = np.arange(16.0).reshape(1, 4, 4, 1)
    >>> with tf.Graph().as_default(), tf.Session() as sess:
    ...     sess.run(tf.layers.average_pooling2d(image, 2, 2))[0, :, :, 0]
    array([[ 2.5,  4.5],
           [10.5, 12.5]])
    """
    return AveragePooling2D(pool_size, strides, padding=padding, data_format=data_format,
                            name=name, _scope=name)(inputs)


class Dropout(Layer):
    """TensorFlow 1's ``tf.layers.Dropout``: with ``training=True`` each element is set to 0
    with probability ``rate`` and the others scaled by ``1 / (1 - rate)`` (``tf.nn.dropout``);
    with ``training=False`` (the default) the inputs pass unchanged (an ``Identity`` op); a
    boolean tensor for ``training`` chooses when the program runs (``tf.cond``).

    >>> import teachgrad as tf
    >>> with tf.Graph().as_default():
    ...     x = tf.ones((2, 3))
    ...     layer = tf.layers.Dropout(0.3)
    ...     y = layer(x)                     # training=False: x itself
    >>> layer.rate, y.name
    (0.3, 'dropout/Identity:0')
    """

    def __init__(self, rate=0.5, noise_shape=None, seed=None, name=None, **kwargs):
        super().__init__(name=name, **kwargs)
        self.rate, self.noise_shape, self.seed = rate, noise_shape, seed

    def call(self, inputs, training=False):
        def dropped():
            return nn.dropout(inputs, noise_shape=self.noise_shape, seed=self.seed,
                              rate=self.rate)

        def kept():
            return identity(inputs)

        if isinstance(training, (bool, np.bool_)):
            return dropped() if training else kept()
        if training is None:
            return kept()
        return cond(training, dropped, kept)


def dropout(inputs, rate=0.5, noise_shape=None, seed=None, training=False, name=None):
    """Dropout while training (a :class:`Dropout` called once, TensorFlow 1's
    ``tf.layers.dropout``): unchanged unless ``training`` is true — note the default ``False``,
    unlike ``tf.nn.dropout``, which always drops.

    >>> import teachgrad as tf
    >>> with tf.Graph().as_default():
    ...     y = tf.layers.dropout(tf.ones((2, 4)), rate=0.5, training=True, seed=1)
    ...     with tf.Session() as sess:
    ...         values = sess.run(y)
    >>> sorted(set(values.ravel().tolist()))
    [0.0, 2.0]
    """
    return Dropout(rate, noise_shape=noise_shape, seed=seed, name=name,
                   _scope=name)(inputs, training=training)


class BatchNormalization(Layer):
    """TensorFlow 1's ``tf.layers.BatchNormalization``: each feature (the last axis) brought to
    mean 0 and variance 1, then scaled by ``gamma`` and shifted by ``beta``.

    While training (``training=True``, or a boolean tensor that is true when the program runs)
    the batch's own mean and variance are used, and two ops that move ``moving_mean`` and
    ``moving_variance`` towards them (``moving ← moving − (moving − batch)·(1 − momentum)``) are
    put in the ``tf.GraphKeys.UPDATE_OPS`` collection: run them with the training step, as
    TensorFlow 1 programs do (``tf.control_dependencies(tf.get_collection(UPDATE_OPS))``).
    Otherwise (the default) the moving averages are used. As TensorFlow's fused kernel does for
    images (4-D inputs), the moving variance then takes the batch variance with Bessel's
    correction (n/(n − 1)); for other inputs, the plain batch variance.

    >>> import teachgrad as tf
    >>> with tf.Graph().as_default():
    ...     x = tf.placeholder(tf.float32, (None, 3))
    ...     y = tf.layers.batch_normalization(x, training=True)
    ...     names = [v.name for v in tf.global_variables()]
    ...     updates = len(tf.get_collection(tf.GraphKeys.UPDATE_OPS))
    >>> names, updates
    (['batch_normalization/gamma:0', 'batch_normalization/beta:0', 'batch_normalization/moving_mean:0', 'batch_normalization/moving_variance:0'], 2)
    """

    def __init__(self, axis=-1, momentum=0.99, epsilon=1e-3, center=True, scale=True,
                 beta_initializer=zeros_initializer(), gamma_initializer=ones_initializer(),
                 moving_mean_initializer=zeros_initializer(),
                 moving_variance_initializer=ones_initializer(), beta_regularizer=None,
                 gamma_regularizer=None, beta_constraint=None, gamma_constraint=None,
                 renorm=False, renorm_clipping=None, renorm_momentum=0.99, fused=None,
                 trainable=True, virtual_batch_size=None, adjustment=None, name=None,
                 **kwargs):
        super().__init__(trainable=trainable, name=name, **kwargs)
        if renorm or virtual_batch_size is not None or adjustment is not None:
            raise ValueError("BatchNormalization: renorm, virtual_batch_size and adjustment are "
                             "not computed here")
        if isinstance(axis, (list, tuple)):
            if len(axis) != 1:
                raise ValueError(f"BatchNormalization: axis={axis!r}: one feature axis only")
            axis = axis[0]
        self.axis, self.momentum, self.epsilon = int(axis), float(momentum), float(epsilon)
        self.center, self.scale, self.fused = center, scale, fused
        self.beta_initializer, self.gamma_initializer = beta_initializer, gamma_initializer
        self.moving_mean_initializer = moving_mean_initializer
        self.moving_variance_initializer = moving_variance_initializer
        self.beta_regularizer, self.gamma_regularizer = beta_regularizer, gamma_regularizer

    def build(self, input_shape):
        shape = TensorShape(input_shape)
        if shape.ndims is None or not -shape.ndims <= self.axis < shape.ndims:
            raise ValueError(f"BatchNormalization: axis {self.axis} is out of range for inputs "
                             f"of shape {shape}")
        self._feature_axis = self.axis % shape.ndims
        features = tuple(shape)[self._feature_axis]
        if features is None:
            raise ValueError(f"BatchNormalization: inputs of shape {shape}: the size of axis "
                             f"{self.axis} (the features) must be known")
        self.gamma = self.add_weight("gamma", (features,), initializer=self.gamma_initializer,
                                     regularizer=self.gamma_regularizer) if self.scale else None
        self.beta = self.add_weight("beta", (features,), initializer=self.beta_initializer,
                                    regularizer=self.beta_regularizer) if self.center else None
        self.moving_mean = self.add_weight("moving_mean", (features,),
                                           initializer=self.moving_mean_initializer,
                                           trainable=False)
        self.moving_variance = self.add_weight("moving_variance", (features,),
                                               initializer=self.moving_variance_initializer,
                                               trainable=False)
        self.built = True

    def _broadcast(self, v, ndims):
        """A per-feature vector shaped to broadcast along the feature axis."""
        if v is None or self._feature_axis == ndims - 1:
            return v
        return reshape(v, [-1 if i == self._feature_axis else 1 for i in range(ndims)])

    def call(self, inputs, training=False):
        x = inputs
        ndims = x.shape.ndims
        axes = [i for i in range(ndims) if i != self._feature_axis]
        gamma, beta = self._broadcast(self.gamma, ndims), self._broadcast(self.beta, ndims)

        def normalized(mean, variance):
            return _normalize(x, self._broadcast(mean, ndims), self._broadcast(variance, ndims),
                              beta, gamma, self.epsilon)

        def with_moving():
            return normalized(self.moving_mean, self.moving_variance)

        if training is None or (isinstance(training, (bool, np.bool_)) and not training):
            return with_moving()
        mean, variance = moments(x, axes)
        if ndims == 4 and self.fused is not False:   # TensorFlow's fused kernel: n/(n − 1)
            n = cast(size(x), variance.dtype) / float(tuple(x.shape)[self._feature_axis])
            moving_target = variance * n / (n - 1.0)
        else:
            moving_target = variance
        decay = 1.0 - self.momentum
        if isinstance(training, (bool, np.bool_)):
            updates = [assign_sub(self.moving_mean, (self.moving_mean - mean) * decay,
                                  name="AssignMovingAvg"),
                       assign_sub(self.moving_variance,
                                  (self.moving_variance - moving_target) * decay,
                                  name="AssignMovingAvg_1")]
            out = normalized(mean, variance)
        else:
            updates = [cond(training, lambda: assign_sub(
                                self.moving_mean, (self.moving_mean - mean) * decay),
                            lambda: identity(self.moving_mean)),
                       cond(training, lambda: assign_sub(
                                self.moving_variance,
                                (self.moving_variance - moving_target) * decay),
                            lambda: identity(self.moving_variance))]
            out = cond(training, lambda: normalized(mean, variance), with_moving)
        for update in updates:
            add_to_collection(GraphKeys.UPDATE_OPS, update)
        return out


def batch_normalization(inputs, axis=-1, momentum=0.99, epsilon=1e-3, center=True, scale=True,
                        beta_initializer=zeros_initializer(),
                        gamma_initializer=ones_initializer(),
                        moving_mean_initializer=zeros_initializer(),
                        moving_variance_initializer=ones_initializer(), beta_regularizer=None,
                        gamma_regularizer=None, beta_constraint=None, gamma_constraint=None,
                        training=False, trainable=True, name=None, reuse=None, renorm=False,
                        renorm_clipping=None, renorm_momentum=0.99, fused=None,
                        virtual_batch_size=None, adjustment=None):
    """Batch normalization (a :class:`BatchNormalization` called once, TensorFlow 1's
    ``tf.layers.batch_normalization``): note ``training=False`` by default, and the moving
    averages move only when the ``UPDATE_OPS`` collection's ops run.

    >>> import numpy as np, teachgrad as tf
    >>> with tf.Graph().as_default():
    ...     y = tf.layers.batch_normalization(np.array([[1.0], [3.0]], np.float32),
    ...                                       training=True, epsilon=0.0)
    ...     with tf.Session() as sess:
    ...         sess.run(tf.global_variables_initializer())
    ...         sess.run(y)
    array([[-1.],
           [ 1.]], dtype=float32)
    """
    layer = BatchNormalization(
        axis=axis, momentum=momentum, epsilon=epsilon, center=center, scale=scale,
        beta_initializer=beta_initializer, gamma_initializer=gamma_initializer,
        moving_mean_initializer=moving_mean_initializer,
        moving_variance_initializer=moving_variance_initializer,
        beta_regularizer=beta_regularizer, gamma_regularizer=gamma_regularizer, renorm=renorm,
        fused=fused, trainable=trainable, virtual_batch_size=virtual_batch_size,
        adjustment=adjustment, name=name, _scope=name, _reuse=reuse)
    return layer(inputs, training=training)
