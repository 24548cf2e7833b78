"""Random tensors (NumPy's generator; pass ``seed`` for the same numbers every time)."""

import numpy as np

from .. import ops
from .math_ops import shape_arg, shape_tensor
from ..core.primitive import apply
from ..core.program_graph import get_default_graph
from ..core.tensor import as_tensor, constant, named, np_dtype

__all__ = ["normal", "uniform", "set_seed", "set_random_seed", "random_uniform", "random_normal",
           "truncated_normal", "random_shuffle", "multinomial"]

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


def normal(shape, mean=0.0, stddev=1.0, dtype=np.float32, seed=None, name=None):
    """Samples from a normal distribution.

    >>> import teachgrad as tg
    >>> tg.random.normal((2, 3), seed=0).shape
    TensorShape([2, 3])
    """
    if stddev < 0:
        raise ValueError(f"random.normal: stddev {stddev} is negative; expected stddev >= 0")
    v = _rng(seed).normal(mean, stddev, shape_arg(shape)).astype(dtype)
    return constant(v, name=name)


def uniform(shape, minval=0.0, maxval=1.0, dtype=np.float32, seed=None, name=None):
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


# ------------------------------------------------------------------------------------------------
# TensorFlow 1's random ops: in graph mode a new draw at every run of a Session
# ------------------------------------------------------------------------------------------------

def set_random_seed(seed):
    """The graph-level seed: random ops made from now on repeat the same sequence in every new
    Session (TensorFlow 1's ``tf.set_random_seed``). In eager mode it seeds ``tg.random`` too.

    >>> import teachgrad as tg
    >>> with tg.Graph().as_default():
    ...     tg.set_random_seed(1)
    ...     x = tg.random_uniform((2,))
    ...     with tg.Session() as s1:
    ...         first = s1.run(x)
    ...     with tg.Session() as s2:
    ...         again = s2.run(x)
    >>> bool((first == again).all())
    True
    """
    get_default_graph().seed = seed
    set_seed(seed)


def random_seed(seed):
    """The seed a random op made now gets, as TensorFlow 1 makes it from the graph-level seed and
    the op's ``seed``: None when neither is set (a new draw every time)."""
    return _seed(seed)


def _seed(seed):
    graph = get_default_graph()
    if graph.seed is None and seed is None:
        return None
    # As TensorFlow: a graph seed without an op seed gives each op its own, from its position.
    return (graph.seed if graph.seed is not None else 87654321,
            seed if seed is not None else len(graph.nodes))


def graph_op_seed(seed):
    """The seed a stateful op made now gets (TensorFlow 1's rule, from the graph-level seed and
    ``seed``), or None for an unseeded one: what ``tf.data``'s shuffle uses too.

    >>> import teachgrad as tg
    >>> with tg.Graph().as_default():
    ...     unseeded = graph_op_seed(None)
    ...     tg.set_random_seed(5)
    ...     seeded = graph_op_seed(7)
    >>> unseeded, seeded
    (None, (5, 7))
    """
    return _seed(seed)


_OF_SHAPE = {"random_uniform": ops.random_uniform_of_shape,
             "random_normal": ops.random_normal_of_shape,
             "truncated_normal": ops.truncated_normal_of_shape}


def _random(prim, shape, dtype, seed, name, **params):
    dtype = np.dtype(dtype)
    if dtype.kind not in "fciu":
        raise TypeError(f"{prim.name}: dtype {dtype.name} is not a number type")
    dims = shape_tensor(shape)
    if dims is not None:   # a shape known only when the graph runs (tg.shape(x))
        return named(apply(_OF_SHAPE[prim.name], dims, dtype=dtype, seed=_seed(seed), **params),
                     name)
    return named(apply(prim, shape=shape_arg(shape), dtype=dtype, seed=_seed(seed), **params),
                 name)


def random_uniform(shape, minval=0, maxval=None, dtype=np.float32, seed=None, name=None):
    """Uniform numbers in ``[minval, maxval)`` (``maxval`` 1 for floats), drawn anew at each run.

    >>> import teachgrad as tg
    >>> with tg.Graph().as_default():
    ...     x = tg.random_uniform((3,), -1.0, 1.0)
    ...     with tg.Session() as sess:
    ...         a, b = sess.run(x), sess.run(x)
    >>> x.shape, x.dtype, bool((a != b).any())
    (TensorShape([3]), tf.float32, True)
    """
    if maxval is None:
        if np.dtype(dtype).kind in "iu":
            raise ValueError("random_uniform: integer dtypes need maxval")
        maxval = 1.0
    if maxval <= minval:
        raise ValueError(f"random_uniform: maxval {maxval} <= minval {minval}: expected "
                         "minval < maxval")
    return _random(ops.random_uniform, shape, dtype, seed, name, minval=minval, maxval=maxval)


def random_normal(shape, mean=0.0, stddev=1.0, dtype=np.float32, seed=None, name=None):
    """Normal numbers, drawn anew at each run."""
    if stddev < 0:
        raise ValueError(f"random_normal: stddev {stddev} is negative; expected stddev >= 0")
    return _random(ops.random_normal, shape, dtype, seed, name, mean=mean, stddev=stddev)


def truncated_normal(shape, mean=0.0, stddev=1.0, dtype=np.float32, seed=None, name=None):
    """Normal numbers within two standard deviations of the mean, drawn anew at each run."""
    if stddev < 0:
        raise ValueError(f"truncated_normal: stddev {stddev} is negative; expected stddev >= 0")
    return _random(ops.truncated_normal, shape, dtype, seed, name, mean=mean, stddev=stddev)


def random_shuffle(value, seed=None, name=None):
    """The rows of ``value`` in a new random order at each run."""
    value = as_tensor(value)
    return named(apply(ops.random_shuffle, value, dtype=np_dtype(value), seed=_seed(seed)), name)


def multinomial(logits, num_samples, seed=None, name=None, output_dtype=np.int64):
    """``num_samples`` class indices per row of ``logits`` (``[batch, classes]``), each drawn with
    probability ``softmax(logits)``, anew at each run (TensorFlow 1's ``tf.multinomial``; no
    derivative). Drawn by inverting the cumulative probabilities at uniform numbers, so the
    indices differ from TensorFlow's for the same seed; their distribution is the same.

    >>> import teachgrad as tg
    >>> with tg.Graph().as_default():
    ...     s = tg.multinomial(tg.log([[0.0, 1.0, 0.0]]), 4)
    ...     with tg.Session() as sess:
    ...         print(s.shape, s.dtype, sess.run(s))
    (1, 4) <dtype: 'int64'> [[1 1 1 1]]
    """
    from .math_ops import (cast, exp, expand_dims, less, matmul, minimum, reduce_max, reduce_sum,
                           shape, stack, stop_gradient)
    x = stop_gradient(as_tensor(logits))
    if x.shape.ndims != 2 or x.shape.as_list()[1] is None:
        raise ValueError(f"multinomial: logits of shape {x.shape}: expected [batch, classes] "
                         "with the number of classes known")
    n = x.shape.as_list()[1]
    e = exp(x - reduce_max(x, axis=1, keepdims=True))
    cdf = matmul(e / reduce_sum(e, axis=1, keepdims=True), np.triu(np.ones((n, n), np_dtype(x))))
    u = random_uniform(stack([shape(x)[0], np.int32(num_samples)]), dtype=np_dtype(x), seed=seed)
    below = cast(less(expand_dims(cdf, 1), expand_dims(u, 2)), output_dtype)   # [batch, s, n]
    return named(minimum(reduce_sum(below, axis=2), np.asarray(n - 1, output_dtype)), name)
