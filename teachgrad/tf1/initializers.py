"""TensorFlow 1's initializers: objects called with a shape (and dtype) that give a variable's
initial value. The random ones give random ops, so an initializer draws anew each time it runs.

>>> import teachgrad as tg
>>> tg.zeros_initializer()((2,), tg.float32).numpy()
array([0., 0.], dtype=float32)
"""

import math

import numpy as np

from ..core.shapes import TensorShape

__all__ = ["zeros_initializer", "ones_initializer", "constant_initializer",
           "random_uniform_initializer", "random_normal_initializer",
           "truncated_normal_initializer", "glorot_uniform_initializer", "glorot_normal_initializer",
           "variance_scaling_initializer"]


def _shape(shape):
    shape = TensorShape(shape)
    if not shape.is_fully_defined():
        raise ValueError(f"an initializer needs a fully known shape, got {shape}")
    return tuple(shape)


class _Initializer:
    def __init__(self, dtype=np.float32):
        self.dtype = np.dtype(dtype)

    def _dtype(self, dtype):
        return np.dtype(dtype) if dtype is not None else self.dtype

    def __repr__(self):
        return f"<tg.{type(self).__name__}>"


class zeros_initializer(_Initializer):
    """Zeros.

    >>> import teachgrad as tf
    >>> with tf.Graph().as_default():
    ...     z = tf.get_variable("z", [2, 2], initializer=tf.zeros_initializer())
    ...     with tf.Session() as sess:
    ...         sess.run(tf.global_variables_initializer())
    ...         print(sess.run(z))
    [[0. 0.]
     [0. 0.]]
    """

    def __call__(self, shape, dtype=None, partition_info=None):
        from ..core.tensor import constant
        return constant(np.zeros(_shape(shape), dtype=self._dtype(dtype)))


class ones_initializer(_Initializer):
    """Ones.

    >>> import teachgrad as tf
    >>> with tf.Graph().as_default():
    ...     o = tf.get_variable("o", [3], tf.int32, initializer=tf.ones_initializer())
    ...     with tf.Session() as sess:
    ...         sess.run(tf.global_variables_initializer())
    ...         print(sess.run(o))
    [1 1 1]
    """

    def __call__(self, shape, dtype=None, partition_info=None):
        from ..core.tensor import constant
        return constant(np.ones(_shape(shape), dtype=self._dtype(dtype)))


class constant_initializer(_Initializer):
    """A constant value: a number, or values filling the shape in order (fewer values than the
    shape holds: the last one repeats, as in TensorFlow 1).

    >>> import teachgrad as tg
    >>> tg.constant_initializer([1, 2])((2, 2)).numpy()
    array([[1., 2.],
           [2., 2.]], dtype=float32)
    """

    def __init__(self, value=0, dtype=np.float32, verify_shape=False):
        super().__init__(dtype)
        self.value = value

    def __call__(self, shape, dtype=None, partition_info=None):
        from ..core.tensor import constant
        shape, dtype = _shape(shape), self._dtype(dtype)
        given = np.asarray(self.value)
        if given.dtype.kind == "f" and dtype.kind in "iub":   # TensorFlow never truncates
            first = given.ravel()[0].item()
            raise TypeError(f"Expected {dtype.name}, but got {first!r} of type 'float': "
                            "constant_initializer does not convert floats to integers")
        value = given.astype(dtype).ravel()
        n = int(np.prod(shape))
        if value.size > n:
            raise ValueError(f"Too many elements provided. Takes at most {n}, but got "
                             f"{value.size}: constant_initializer for shape {shape}")
        if value.size == 0:   # no values: zeros, as TensorFlow 1 fills an empty constant
            value = np.zeros(1, dtype)
        filled = np.concatenate([value, np.repeat(value[-1:], n - value.size)])
        return constant(filled.reshape(shape))


class random_uniform_initializer(_Initializer):
    """Uniform numbers in [minval, maxval).

    >>> import teachgrad as tf
    >>> with tf.Graph().as_default():
    ...     uniform = tf.random_uniform_initializer(-1.0, 1.0)
    ...     u = tf.get_variable("u", [1000], initializer=uniform)
    ...     with tf.Session() as sess:
    ...         sess.run(tf.global_variables_initializer())
    ...         values = sess.run(u)
    ...         print(values.dtype, values.min() >= -1.0, values.max() < 1.0)
    float32 True True
    """

    def __init__(self, minval=0.0, maxval=None, seed=None, dtype=np.float32):
        super().__init__(dtype)
        self.minval, self.maxval, self.seed = minval, 1.0 if maxval is None else maxval, seed

    def __call__(self, shape, dtype=None, partition_info=None):
        from .random_ops import random_uniform
        return random_uniform(_shape(shape), self.minval, self.maxval, self._dtype(dtype),
                              self.seed)


class random_normal_initializer(_Initializer):
    """Normal numbers of mean ``mean`` and standard deviation ``stddev``.

    >>> import teachgrad as tf
    >>> with tf.Graph().as_default():
    ...     normal = tf.random_normal_initializer(mean=3.0, stddev=0.5, seed=1)
    ...     n = tf.get_variable("n", [10000], initializer=normal)
    ...     with tf.Session() as sess:
    ...         sess.run(tf.global_variables_initializer())
    ...         values = sess.run(n)
    ...         print(abs(values.mean() - 3.0) < 0.05, abs(values.std() - 0.5) < 0.05)
    True True
    """

    def __init__(self, mean=0.0, stddev=1.0, seed=None, dtype=np.float32):
        super().__init__(dtype)
        self.mean, self.stddev, self.seed = mean, stddev, seed

    def __call__(self, shape, dtype=None, partition_info=None):
        from .random_ops import random_normal
        return random_normal(_shape(shape), self.mean, self.stddev, self._dtype(dtype), self.seed)


class truncated_normal_initializer(random_normal_initializer):
    """Normal numbers, redrawn when more than two standard deviations from the mean.

    >>> import teachgrad as tf
    >>> with tf.Graph().as_default():
    ...     truncated = tf.truncated_normal_initializer(stddev=2.0)
    ...     t = tf.get_variable("t", [10000], initializer=truncated)
    ...     with tf.Session() as sess:
    ...         sess.run(tf.global_variables_initializer())
    ...         values = sess.run(t)
    ...         print(abs(values).max() <= 4.0, abs(values).max() > 3.9)
    True True
    """

    def __call__(self, shape, dtype=None, partition_info=None):
        from .random_ops import truncated_normal
        return truncated_normal(_shape(shape), self.mean, self.stddev, self._dtype(dtype),
                                self.seed)


def _fans(shape):
    if len(shape) < 1:
        return 1, 1
    if len(shape) == 1:
        return shape[0], shape[0]
    receptive = int(np.prod(shape[:-2])) if len(shape) > 2 else 1
    return shape[-2] * receptive, shape[-1] * receptive


class variance_scaling_initializer(_Initializer):
    """Numbers scaled to the variable's fan-in and fan-out (Glorot's and He's initializers):
    standard deviation √(scale / n), n the fan-in, the fan-out or their mean (``mode``); the
    truncated normal (the default) is widened by 1/0.8796 for what its cut at ±2σ takes away.

    >>> import teachgrad as tf
    >>> with tf.Graph().as_default():
    ...     he = tf.variance_scaling_initializer(scale=2.0)             # fan_in: He's
    ...     w = tf.get_variable("w", [100, 50], initializer=he)
    ...     with tf.Session() as sess:
    ...         sess.run(tf.global_variables_initializer())
    ...         values = sess.run(w)
    >>> limit = 2 * (2.0 / 100) ** 0.5 / 0.87962566103423978          # 2σ
    >>> bool(abs(values).max() <= limit), bool(abs(values).max() > 0.9 * limit)
    (True, True)
    """

    def __init__(self, scale=1.0, mode="fan_in", distribution="truncated_normal", seed=None,
                 dtype=np.float32):
        if scale <= 0.0:
            raise ValueError(f"Argument `scale` must be a positive float. Received: {scale}")
        if mode not in ("fan_in", "fan_out", "fan_avg"):
            raise ValueError("Argument `mode` should be one of ('fan_in', 'fan_out', "
                             f"'fan_avg'). Received: {mode}")
        if distribution not in ("normal", "uniform", "truncated_normal", "untruncated_normal"):
            raise ValueError("Argument `distribution` should be one of ('normal', 'uniform', "
                             "'truncated_normal', 'untruncated_normal'). Received: "
                             f"{distribution}")
        super().__init__(dtype)
        self.scale, self.mode, self.distribution, self.seed = scale, mode, distribution, seed

    def __call__(self, shape, dtype=None, partition_info=None):
        from .random_ops import random_uniform, truncated_normal, random_normal
        shape = _shape(shape)
        fan_in, fan_out = _fans(shape)
        n = {"fan_in": fan_in, "fan_out": fan_out, "fan_avg": (fan_in + fan_out) / 2}[self.mode]
        variance = self.scale / max(1.0, n)
        dtype = self._dtype(dtype)
        if self.distribution == "uniform":
            limit = math.sqrt(3.0 * variance)
            return random_uniform(shape, -limit, limit, dtype, self.seed)
        if self.distribution == "untruncated_normal":
            return random_normal(shape, 0.0, math.sqrt(variance), dtype, self.seed)
        # truncated_normal (or "normal", its old name). TensorFlow's constant: the stddev of a
        # standard normal truncated at ±2.
        return truncated_normal(shape, 0.0, math.sqrt(variance) / 0.87962566103423978, dtype,
                                self.seed)


class glorot_uniform_initializer(variance_scaling_initializer):
    """Uniform in ±√(6 / (fan_in + fan_out)): get_variable's default.

    >>> import teachgrad as tf
    >>> with tf.Graph().as_default():
    ...     g = tf.get_variable("g", [20, 30], initializer=tf.glorot_uniform_initializer())
    ...     with tf.Session() as sess:
    ...         sess.run(tf.global_variables_initializer())
    ...         values = sess.run(g)
    ...         print(abs(values).max() <= (6 / (20 + 30)) ** 0.5)
    True
    """

    def __init__(self, seed=None, dtype=np.float32):
        super().__init__(1.0, "fan_avg", "uniform", seed, dtype)


class glorot_normal_initializer(variance_scaling_initializer):
    """Truncated normal of standard deviation √(2 / (fan_in + fan_out)) (Glorot's).

    >>> import teachgrad as tf
    >>> with tf.Graph().as_default():
    ...     w = tf.get_variable("w", [200, 300], initializer=tf.glorot_normal_initializer())
    ...     with tf.Session() as sess:
    ...         sess.run(tf.global_variables_initializer())
    ...         print(abs(float(sess.run(w).std()) - (2 / 500) ** 0.5) < 0.003)
    True
    """

    def __init__(self, seed=None, dtype=np.float32):
        super().__init__(1.0, "fan_avg", "truncated_normal", seed, dtype)
