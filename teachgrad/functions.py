"""The public functions: TensorFlow-1 names over the primitives of ``ops.py``.

Each takes tensors, NumPy arrays or Python numbers and returns a :class:`Tensor` that records how it
was made. Broadcasting follows NumPy everywhere.
"""

import numpy as np

from . import ops
from .errors import ShapeError
from .primitive import apply
from .tensor import Tensor, as_tensor, constant, named

__all__ = [
    "where", "matmul", "reduce_sum", "reduce_mean", "reduce_max",
    "reshape", "transpose", "cast", "concat", "stack", "range", "linspace", "zeros", "ones",
    "zeros_like", "ones_like", "fill", "argmax", "argmin", "one_hot", "equal", "not_equal", "less",
    "less_equal", "greater", "greater_equal", "stop_gradient", "size", "shape",
]


def _elementwise_function(prim):
    """The public function of an element-wise primitive (``tg.sin``), made from its declaration."""
    if prim.n_inputs == 1:
        def fn(x, name=None):
            return named(apply(prim, x), name)
    else:
        def fn(a, b, name=None):
            return named(apply(prim, a, b), name)
    fn.__name__ = fn.__qualname__ = prim.function
    fn.__doc__ = f"""Element-wise {prim.doc}

    >>> import teachgrad as tg
    {prim.example}
    """
    return fn


# Every element-wise op declared with a public name, except those written out below.
_WRITTEN_OUT = {"where"}
_ELEMENTWISE = [p.function for p in ops.REGISTRY.values()
                if p.elementwise and p.function and p.function not in _WRITTEN_OUT]
globals().update({p.function: _elementwise_function(p) for p in ops.REGISTRY.values()
                  if p.function in _ELEMENTWISE})


def where(condition, x, y, name=None):
    """``x`` where ``condition`` holds, else ``y`` (element-wise, broadcasting).

    The gradient flows to ``x`` where the condition holds and to ``y`` elsewhere; the condition gets
    none.

    >>> import teachgrad as tg
    >>> tg.where([True, False], [1.0, 2.0], [10.0, 20.0]).numpy()
    array([ 1., 20.])
    """
    cond = as_tensor(condition)
    if cond.dtype != bool:
        cond = as_tensor(np.asarray(cond._value, dtype=bool))
    return named(apply(ops.where, cond, x, y), name)


def matmul(a, b, name=None):
    """Matrix product, 2-D or batched (``a.shape[-1] == b.shape[-2]``).

    >>> import teachgrad as tg
    >>> tg.matmul([[1.0, 2.0]], [[3.0], [4.0]]).numpy()
    array([[11.]])
    >>> tg.matmul(tg.ones((2, 3)), tg.ones((2, 3)))
    Traceback (most recent call last):
    ...
    teachgrad.errors.ShapeError: matmul: shapes (2, 3) and (2, 3) do not fit: a.shape[-1] == b.shape[-2] is required (3 != 2)
    """
    return named(apply(ops.matmul, a, b), name)


def _reducer(prim, example):
    def fn(input_tensor, axis=None, keepdims=False, name=None):
        x = as_tensor(input_tensor)
        ops.norm_axis(axis, x.ndim) if axis is not None else None  # a bad axis fails here
        return named(apply(prim, x, axis=axis, keepdims=bool(keepdims)), name)
    fn.__name__ = prim.name
    fn.__qualname__ = prim.name
    fn.__doc__ = f"""{prim.doc}

    ``axis`` is None (all), an int or a list of ints; ``keepdims`` keeps reduced axes as size 1.

    >>> import teachgrad as tg
    {example}
    """
    return fn


reduce_sum = _reducer(ops.reduce_sum, ">>> tg.reduce_sum([[1.0, 2.0], [3.0, 4.0]], axis=0).numpy()\n"
                                      "    array([4., 6.])")
reduce_mean = _reducer(ops.reduce_mean, ">>> tg.reduce_mean([[1.0, 2.0], [3.0, 4.0]]).numpy()\n"
                                        "    array(2.5)")
reduce_max = _reducer(ops.reduce_max, ">>> tg.reduce_max([[1.0, 5.0], [3.0, 4.0]], axis=1).numpy()\n"
                                      "    array([5., 4.])")


def reshape(tensor, shape, name=None):
    """The same elements in a new shape (one entry may be -1).

    >>> import teachgrad as tg
    >>> tg.reshape(tg.range(6), (2, -1)).shape
    (2, 3)
    """
    shape = tuple(int(n) for n in np.atleast_1d(np.asarray(shape)))
    return named(apply(ops.reshape, tensor, shape=shape), name)


def transpose(a, perm=None, name=None):
    """Permute the axes (reverse them when ``perm`` is None).

    >>> import teachgrad as tg
    >>> tg.transpose(tg.zeros((2, 3))).shape
    (3, 2)
    """
    return named(apply(ops.transpose, a, perm=None if perm is None else tuple(int(p) for p in perm)), name)


def cast(x, dtype, name=None):
    """The values of ``x`` as ``dtype``; a cast to integers has no derivative.

    >>> import teachgrad as tg
    >>> tg.cast([1.7, -1.7], "int64").numpy()
    array([ 1, -1])
    """
    return named(apply(ops.cast, x, dtype=np.dtype(dtype)), name)


def concat(values, axis, name=None):
    """Join tensors along an existing axis.

    >>> import teachgrad as tg
    >>> tg.concat([tg.zeros((1, 2)), tg.ones((1, 2))], axis=0).numpy()
    array([[0., 0.],
           [1., 1.]])
    """
    values = [as_tensor(v) for v in values]
    ref = values[0].shape
    for v in values[1:]:
        if len(v.shape) != len(ref) or any(a != b for i, (a, b) in enumerate(zip(v.shape, ref))
                                           if i != axis % len(ref)):
            raise ShapeError(f"concat: shapes {[t.shape for t in values]} along axis {axis}: "
                             "expected the same shape except along that axis")
    return named(apply(ops.concat, *values, axis=int(axis)), name)


def stack(values, axis=0, name=None):
    """Stack tensors of one shape along a new axis.

    >>> import teachgrad as tg
    >>> tg.stack([1.0, 2.0, 3.0]).numpy()
    array([1., 2., 3.])
    """
    values = [as_tensor(v) for v in values]
    shapes = {v.shape for v in values}
    if len(shapes) != 1:
        raise ShapeError(f"stack: shapes {[v.shape for v in values]}: expected all the same shape")
    nd = values[0].ndim + 1
    axis = axis % nd
    expanded = [reshape(v, v.shape[:axis] + (1,) + v.shape[axis:]) for v in values]
    return concat(expanded, axis, name=name)


# --- creation -------------------------------------------------------------------------------------

def range(start, limit=None, delta=1, dtype=None, name="range"):
    """Numbers from ``start`` up to (not including) ``limit`` in steps of ``delta``, like TensorFlow.

    Integers in, integers out; any float makes the result float.

    >>> import teachgrad as tg
    >>> x = tg.range(-10, 10, .1)
    >>> x.shape, x.dtype
    ((200,), dtype('float64'))
    >>> tg.range(5).numpy()
    array([0, 1, 2, 3, 4])
    """
    if limit is None:
        start, limit = 0, start
    if delta == 0:
        raise ValueError("range: delta must not be 0")
    return constant(np.arange(start, limit, delta, dtype=dtype), name=name)


def linspace(start, stop, num, name="linspace"):
    """``num`` evenly spaced numbers from ``start`` to ``stop``, both included.

    >>> import teachgrad as tg
    >>> tg.linspace(0.0, 1.0, 5).numpy()
    array([0.  , 0.25, 0.5 , 0.75, 1.  ])
    """
    return constant(np.linspace(float(start), float(stop), int(num)), name=name)


def shape_arg(shape):
    if isinstance(shape, Tensor):
        shape = shape._value
    shape = tuple(int(n) for n in np.atleast_1d(np.asarray(shape, dtype=np.int64))) \
        if np.ndim(shape) else ((int(shape),) if shape != () else ())
    if any(n < 0 for n in shape):
        raise ShapeError(f"shape {shape} has a negative dimension: expected sizes >= 0")
    return shape


def zeros(shape, dtype=np.float64, name=None):
    """A tensor of zeros (float64 unless ``dtype`` says otherwise).

    >>> import teachgrad as tg
    >>> tg.zeros((2, 3)).shape
    (2, 3)
    """
    return constant(np.zeros(shape_arg(shape), dtype=dtype), name=name)


def ones(shape, dtype=np.float64, name=None):
    """A tensor of ones.

    >>> import teachgrad as tg
    >>> tg.ones(3).numpy()
    array([1., 1., 1.])
    """
    return constant(np.ones(shape_arg(shape), dtype=dtype), name=name)


def fill(dims, value, name=None):
    """A tensor of shape ``dims`` filled with ``value``.

    >>> import teachgrad as tg
    >>> tg.fill((2,), 7).numpy()
    array([7, 7])
    """
    return constant(np.full(shape_arg(dims), value), name=name)


def zeros_like(x, dtype=None, name=None):
    """Zeros of the shape (and dtype) of ``x``.

    >>> import teachgrad as tg
    >>> tg.zeros_like([1, 2]).numpy()
    array([0, 0])
    """
    return constant(np.zeros_like(np.asarray(as_tensor(x)._value), dtype=dtype), name=name)


def ones_like(x, dtype=None, name=None):
    """Ones of the shape (and dtype) of ``x``.

    >>> import teachgrad as tg
    >>> tg.ones_like([1.0, 2.0]).numpy()
    array([1., 1.])
    """
    return constant(np.ones_like(np.asarray(as_tensor(x)._value), dtype=dtype), name=name)


# --- not differentiable: results are constants -----------------------------------------------------

def argmax(input, axis=None, name=None):
    """Index of the largest value along ``axis`` (all axes flattened when None); no derivative.

    >>> import teachgrad as tg
    >>> tg.argmax([[1.0, 5.0], [7.0, 2.0]], axis=1).numpy()
    array([1, 0])
    """
    return constant(np.argmax(as_tensor(input)._value, axis=axis), name=name)


def argmin(input, axis=None, name=None):
    """Index of the smallest value along ``axis``; no derivative.

    >>> import teachgrad as tg
    >>> tg.argmin([3.0, 1.0, 2.0]).numpy()
    array(1)
    """
    return constant(np.argmin(as_tensor(input)._value, axis=axis), name=name)


def one_hot(indices, depth, on_value=1.0, off_value=0.0, name=None):
    """Rows of ``depth`` entries, ``on_value`` at each index and ``off_value`` elsewhere.

    >>> import teachgrad as tg
    >>> tg.one_hot([0, 2], 3).numpy()
    array([[1., 0., 0.],
           [0., 0., 1.]])
    """
    idx = np.asarray(as_tensor(indices)._value)
    out = np.where(idx[..., None] == np.arange(int(depth)), on_value, off_value).astype(float)
    return constant(out, name=name)


def stop_gradient(x, name=None):
    """The value of ``x`` as a constant: derivatives do not flow through it.

    >>> import teachgrad as tg
    >>> x = tg.constant(3.0)
    >>> tg.gradients(x * tg.stop_gradient(x), x)[0].numpy()
    array(3.)
    """
    return constant(as_tensor(x)._value, name=name)


def size(x):
    """The number of elements, as an integer tensor.

    >>> import teachgrad as tg
    >>> tg.size(tg.zeros((2, 3))).numpy()
    array(6)
    """
    return constant(np.size(as_tensor(x)._value))


def shape(x):
    """The shape, as an integer tensor.

    >>> import teachgrad as tg
    >>> tg.shape(tg.zeros((2, 3))).numpy()
    array([2, 3])
    """
    return constant(np.array(np.shape(as_tensor(x)._value), dtype=np.int64))


equal, not_equal, less, less_equal = ops.equal, ops.not_equal, ops.less, ops.less_equal
greater, greater_equal = ops.greater, ops.greater_equal

__all__ = _ELEMENTWISE + __all__   # (range and abs shadow Python's on purpose: TF's names)
