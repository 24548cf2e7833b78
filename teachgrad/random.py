"""Random tensors (NumPy's generator; pass ``seed`` for the same numbers every time)."""

import numpy as np

from .functions import shape_arg
from .tensor import constant

__all__ = ["normal", "uniform", "set_seed"]

_global = np.random.default_rng()


def set_seed(seed):
    """Make the random functions called without a ``seed`` repeatable from here on.

    >>> import teachgrad as tg
    >>> tg.random.set_seed(0); a = tg.random.normal((2,)).numpy()
    >>> tg.random.set_seed(0); bool((a == tg.random.normal((2,)).numpy()).all())
    True
    """
    global _global
    _global = np.random.default_rng(seed)


def _rng(seed):
    return _global if seed is None else np.random.default_rng(seed)


def normal(shape, mean=0.0, stddev=1.0, dtype=np.float64, seed=None, name=None):
    """Samples from a normal distribution.

    >>> import teachgrad as tg
    >>> tg.random.normal((2, 3), seed=0).shape
    (2, 3)
    """
    if stddev < 0:
        raise ValueError(f"random.normal: stddev {stddev} is negative; expected stddev >= 0")
    v = _rng(seed).normal(mean, stddev, shape_arg(shape)).astype(dtype)
    return constant(v, name=name)


def uniform(shape, minval=0.0, maxval=1.0, dtype=np.float64, seed=None, name=None):
    """Samples from the uniform distribution on ``[minval, maxval)``.

    >>> import teachgrad as tg
    >>> x = tg.random.uniform((1000,), -1.0, 1.0, seed=0).numpy()
    >>> bool(x.min() >= -1.0 and x.max() < 1.0)
    True
    """
    if maxval < minval:
        raise ValueError(f"random.uniform: maxval {maxval} < minval {minval}; expected "
                         "minval <= maxval")
    rng = _rng(seed)
    if np.issubdtype(np.dtype(dtype), np.integer):
        v = rng.integers(minval, maxval, shape_arg(shape), dtype=dtype)
    else:
        v = rng.uniform(minval, maxval, shape_arg(shape)).astype(dtype)
    return constant(v, name=name)
