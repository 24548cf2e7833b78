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
    """Zeros."""

    def __call__(self, shape, dtype=None, partition_info=None):
        from ..core.tensor import constant
        return constant(np.zeros(_shape(shape), dtype=self._dtype(dtype)))


class ones_initializer(_Initializer):
    """Ones."""

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
        shape = _shape(shape)
        value = np.asarray(self.value, dtype=self._dtype(dtype)).ravel()
        n = int(np.prod(shape))
        if value.size > n:
            raise ValueError(f"Too many elements provided. Takes at most {n}, but got "
                             f"{value.size}: constant_initializer for shape {shape}")
        if value.size == 0:
            raise ValueError("constant_initializer: no value given; expected a number or values")
        filled = np.concatenate([value, np.repeat(value[-1:], n - value.size)])
        return constant(filled.reshape(shape))


class random_uniform_initializer(_Initializer):
    """Uniform numbers in [minval, maxval)."""

    def __init__(self, minval=0.0, maxval=None, seed=None, dtype=np.float32):
        super().__init__(dtype)
        self.minval, self.maxval, self.seed = minval, 1.0 if maxval is None else maxval, seed

    def __call__(self, shape, dtype=None, partition_info=None):
        from .random_ops import random_uniform
        return random_uniform(_shape(shape), self.minval, self.maxval, self._dtype(dtype),
                              self.seed)


class random_normal_initializer(_Initializer):
    """Normal numbers of mean ``mean`` and standard deviation ``stddev``."""

    def __init__(self, mean=0.0, stddev=1.0, seed=None, dtype=np.float32):
        super().__init__(dtype)
        self.mean, self.stddev, self.seed = mean, stddev, seed

    def __call__(self, shape, dtype=None, partition_info=None):
        from .random_ops import random_normal
        return random_normal(_shape(shape), self.mean, self.stddev, self._dtype(dtype), self.seed)


class truncated_normal_initializer(random_normal_initializer):
    """Normal numbers, redrawn when more than two standard deviations from the mean."""

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
    """Numbers scaled to the variable's fan-in and fan-out (Glorot's and He's initializers)."""

    def __init__(self, scale=1.0, mode="fan_in", distribution="truncated_normal", seed=None,
                 dtype=np.float32):
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
        # TensorFlow's constant: the stddev of a standard normal truncated at ±2.
        return truncated_normal(shape, 0.0, math.sqrt(variance) / 0.87962566103423978, dtype,
                                self.seed)


class glorot_uniform_initializer(variance_scaling_initializer):
    """Uniform in ±√(6 / (fan_in + fan_out)): get_variable's default."""

    def __init__(self, seed=None, dtype=np.float32):
        super().__init__(1.0, "fan_avg", "uniform", seed, dtype)


class glorot_normal_initializer(variance_scaling_initializer):
    def __init__(self, seed=None, dtype=np.float32):
        super().__init__(1.0, "fan_avg", "truncated_normal", seed, dtype)
