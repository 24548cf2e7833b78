"""The public functions: TensorFlow-1 names over the primitives of the ``ops`` package.

Each takes tensors, NumPy arrays or Python numbers and returns a :class:`Tensor` that records how it
was made. Broadcasting follows NumPy everywhere.
"""

import builtins

import numpy as np

from ..core import dtypes
from .. import ops
from ..autodiff.transforms import gradients
from ..errors import ShapeError
from ..ops.runtime_shapes import expand_dims
from ..core.primitive import apply
from .reductions import (reduce_all, reduce_any, reduce_logsumexp, reduce_max, reduce_mean, reduce_min, reduce_prod, reduce_sum)
from ..core.tensor import Tensor, as_tensor, constant, convert_like, named, np_dtype, value_of

__all__ = [
    "where", "matmul", "reduce_sum", "reduce_mean", "reduce_max", "reduce_min", "reduce_prod",
    "reduce_any", "reduce_all", "reduce_logsumexp",
    "reshape", "transpose", "cast", "to_float", "to_double", "to_int32", "to_int64", "concat",
    "stack", "range", "linspace", "lin_space", "zeros", "ones",
    "zeros_like", "ones_like", "fill", "argmax", "argmin", "one_hot", "equal", "not_equal", "less",
    "less_equal", "greater", "greater_equal", "stop_gradient", "size", "shape", "hessians",
]


# TensorFlow names the node of tf.add "Add" and that of a + b "add".
_FUNCTION_NODE_NAMES = {"add": "Add", "subtract": "Sub", "multiply": "Mul", "pow": "Pow",
                        "floormod": "FloorMod"}


def _elementwise_function(prim):
    """The public function of an element-wise primitive (``tg.sin``), made from its declaration."""
    node_name = _FUNCTION_NODE_NAMES.get(prim.function)
    if prim.n_inputs == 1:
        def fn(x, name=None):
            return named(apply(prim, x), name)
    else:
        def fn(a, b, name=None):
            return named(apply(prim, a, b), name or node_name)
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


def where(condition, x=None, y=None, name=None):
    """``x`` where ``condition`` holds, else ``y`` (element-wise, broadcasting).

    The gradient flows to ``x`` where the condition holds and to ``y`` elsewhere; the condition gets
    none.

    >>> import teachgrad as tg
    >>> tg.where([True, False], [1.0, 2.0], [10.0, 20.0]).numpy()
    array([ 1., 20.], dtype=float32)

    With ``condition`` alone: the coordinates of its True elements, one row each (int64). A
    condition of rank 1 beside x of higher rank picks whole rows, as TensorFlow 1's ``where``.

    >>> tg.where([[True, False], [False, True]]).numpy()
    array([[0, 0],
           [1, 1]])
    """
    cond = as_tensor(condition)
    if cond.dtype != bool:
        # TensorFlow 1 refuses it too; reading a placeholder's missing value as False would
        # pick y everywhere, silently
        raise TypeError(f"where: condition {cond.name!r} has dtype {cond.dtype.name}; expected "
                        "bool (compare first: tg.where(x > 0, …), or tg.cast(c, tg.bool))")
    if x is None and y is None:
        return named(apply(ops.where_indices, cond), name)
    x_rank = x.ndim if isinstance(x, Tensor) else np.ndim(x)
    if cond.ndim == 1 and x_rank > 1:   # rows of x and y, as TensorFlow 1 selects them
        cond = apply(expand_dims, cond, axes=tuple(builtins.range(1, x_rank)))
    return named(apply(ops.where, cond, x, y), name)


def matmul(a, b, transpose_a=False, transpose_b=False, name=None):
    """Matrix product, 2-D or batched (``a.shape[-1] == b.shape[-2]``); ``transpose_a`` /
    ``transpose_b`` swap the last two axes of an operand first, as in TensorFlow.

    >>> import teachgrad as tg
    >>> tg.matmul([[1.0, 2.0]], [[3.0], [4.0]]).numpy()
    array([[11.]], dtype=float32)
    >>> tg.matmul(tg.ones((2, 3)), tg.ones((2, 3)))
    Traceback (most recent call last):
    ...
    teachgrad.errors.ShapeError: matmul: shapes (2, 3) and (2, 3) do not fit: a.shape[-1] == b.shape[-2] is required (3 != 2)
    >>> tg.matmul(tg.ones((2, 3)), tg.ones((4, 3)), transpose_b=True).shape
    TensorShape([2, 4])
    """
    if transpose_a:
        a = apply(ops.swapaxes, as_tensor(a), a1=-1, a2=-2)
    if transpose_b:
        b = apply(ops.swapaxes, as_tensor(b), a1=-1, a2=-2)
    return named(apply(ops.matmul, a, b), name)


# (the reductions, reduce_sum … reduce_logsumexp, are in reductions.py)


def reshape(tensor, shape, name=None):
    """The same elements in a new shape (one entry may be -1). As in TensorFlow 1, the shape is an
    input of the ``Reshape`` op: a list makes the constant ``Reshape/shape``, and a tensor known
    only when the program runs (``tg.shape(y)``) works too.

    >>> import teachgrad as tg
    >>> tg.reshape(tg.range(6), (2, -1)).shape
    TensorShape([2, 3])
    >>> with tg.Graph().as_default():
    ...     r = tg.reshape(tg.constant([1.0, 2.0, 3.0, 4.0]), [2, 2])
    ...     [op.name for op in r.graph.get_operations()]
    ['Const', 'Reshape/shape', 'Reshape']
    """
    if not isinstance(shape, Tensor):
        sizes = shape_tensor(shape)   # [tg.shape(y)[0], -1]: a Pack of the sizes, as TF's
        shape = sizes if sizes is not None else \
            np.asarray([int(n) for n in np.atleast_1d(np.asarray(shape))], dtype=np.int32)
    return named(apply(ops.reshape_to, tensor, shape), name)


def transpose(a, perm=None, name=None):
    """Permute the axes (reverse them when ``perm`` is None).

    >>> import teachgrad as tg
    >>> tg.transpose(tg.zeros((2, 3))).shape
    TensorShape([3, 2])
    """
    return named(apply(ops.transpose, a, perm=None if perm is None else tuple(int(p) for p in perm)), name)


def cast(x, dtype, name=None):
    """The values of ``x`` as ``dtype``; a cast to integers has no derivative.

    >>> import teachgrad as tg
    >>> tg.cast([1.7, -1.7], "int64").numpy()
    array([ 1, -1])
    """
    return named(apply(ops.cast, x, dtype=dtypes.as_dtype(dtype).dtype), name)


def to_float(x, name="ToFloat"):
    """``cast(x, float32)`` (TensorFlow 1's shorthand).

    >>> import teachgrad as tg
    >>> tg.to_float(tg.constant([1, 2])).dtype
    tf.float32
    """
    return cast(x, np.float32, name=name)


def to_double(x, name="ToDouble"):
    """``cast(x, float64)``.

    >>> import teachgrad as tg
    >>> tg.to_double(tg.constant(1)).dtype
    tf.float64
    """
    return cast(x, np.float64, name=name)


def to_int32(x, name="ToInt32"):
    """``cast(x, int32)``: floats are truncated towards zero.

    >>> import teachgrad as tg
    >>> tg.to_int32(tg.constant([1.7, -1.7])).numpy()
    array([ 1, -1], dtype=int32)
    """
    return cast(x, np.int32, name=name)


def to_int64(x, name="ToInt64"):
    """``cast(x, int64)``.

    >>> import teachgrad as tg
    >>> tg.to_int64(tg.constant([2.9])).numpy()
    array([2])
    """
    return cast(x, np.int64, name=name)


def same_dtype_tensors(values, op, what):
    """The values of a list op as tensors of one dtype: Python numbers and lists take the first
    tensor's, and two tensors of different dtypes are TensorFlow 1's TypeError."""
    first = next((v for v in values if isinstance(v, Tensor)), None)
    if first is None:
        return [as_tensor(v) for v in values]
    values = [v if isinstance(v, Tensor) else convert_like(v, np_dtype(first), op)
              for v in values]
    kinds = [np_dtype(v) for v in values]
    if len(set(kinds)) > 1:
        names = ", ".join(dtypes.as_dtype(k).name for k in kinds)
        raise TypeError(f"Tensors in list passed to '{what}' of '{op}' Op have types [{names}] "
                        "that don't all match: TensorFlow 1 never converts between them (use "
                        "tg.cast)")
    return values


def concat(values, axis, name=None):
    """Join tensors along an existing axis; they must have one dtype, as in TensorFlow 1.

    >>> import teachgrad as tg
    >>> tg.concat([tg.zeros((1, 2)), tg.ones((1, 2))], axis=0).numpy()
    array([[0., 0.],
           [1., 1.]], dtype=float32)
    """
    values = same_dtype_tensors(values, "ConcatV2", "values")
    ranked = [v.shape for v in values if v.shape.ndims is not None]   # (unknown rank fits any)
    for v in ranked[1:]:
        ref = ranked[0]
        if len(v) != len(ref) or any(a != b and None not in (a, b) for i, (a, b) in
                                     enumerate(zip(v, ref)) if i != axis % len(ref)):
            raise ShapeError(f"concat: shapes {[t.shape for t in values]} along axis {axis}: "
                             "expected the same shape except along that axis")
    return named(apply(ops.concat, *values, axis=int(axis)), name)


def stack(values, axis=0, name="stack"):
    """Stack tensors of one shape along a new axis: one ``Pack`` op, as TensorFlow 1 makes (a
    list of numbers and arrays stacked along axis 0 is one constant).

    >>> import teachgrad as tg
    >>> tg.stack([1.0, 2.0, 3.0]).numpy()
    array([1., 2., 3.], dtype=float32)
    >>> with tg.Graph().as_default():
    ...     s = tg.stack([tg.constant(1.0), tg.constant(2.0)])
    ...     s.op.name, s.op.type
    ('stack', 'Pack')
    """
    if axis == 0 and not any(isinstance(v, Tensor) for v in values):
        if any(isinstance(v, (np.ndarray, np.generic)) for v in values):
            values = np.stack([np.asarray(v) for v in values])   # (NumPy arrays keep their dtype)
        return constant(values, name=name)   # (TensorFlow 1 folds a list of numbers so)
    values = same_dtype_tensors(values, "Pack", "values")
    first = values[0].shape
    if any(not v.shape.is_compatible_with(first) for v in values[1:]):
        raise ShapeError(f"stack: shapes {[v.shape for v in values]}: expected all the same shape")
    nd = values[0].ndim + 1
    if not -nd <= axis < nd:
        raise ShapeError(f"stack: axis {axis} is out of range for the result's rank {nd}")
    return named(apply(ops.pack, *values, axis=axis % nd), name)


# --- creation -------------------------------------------------------------------------------------

def range(start, limit=None, delta=1, dtype=None, name="range"):
    """Numbers from ``start`` up to (not including) ``limit`` in steps of ``delta``, like TensorFlow.

    Integers in, int32 out; any float makes the result float32 (TensorFlow 1's dtypes).

    >>> import teachgrad as tg
    >>> x = tg.range(-10, 10, .1)
    >>> x.shape, x.dtype
    (TensorShape([200]), tf.float32)
    >>> tg.range(5).numpy()
    array([0, 1, 2, 3, 4], dtype=int32)
    """
    if limit is None:
        start, limit = 0, start
    bounds = [start, limit, delta]
    if any(isinstance(b, Tensor) and b._value is None for b in bounds):
        # known when the program runs: tf.range(tf.shape(x)[0])
        if dtype is None:   # a float anywhere makes it floating; a tensor's own dtype first
            kind = "f" if any(isinstance(b, float) or isinstance(b, Tensor)
                              and np_dtype(b).kind == "f" for b in bounds) else "i"
            dtype = next((np_dtype(b) for b in bounds if isinstance(b, Tensor)
                          and np_dtype(b).kind == kind), np.float32 if kind == "f" else np.int32)
        dtype = np.dtype(dtype)
        values = [b if isinstance(b, Tensor) else constant(b, dtype=dtype) for b in bounds]
        if any(np_dtype(v) != dtype for v in values):
            values = [cast(v, dtype) for v in values]
        return named(apply(ops.range_of, *values, dtype=dtype), name or "range")
    bounds = [value_of(b) if isinstance(b, Tensor) else b for b in bounds]
    start, limit, delta = bounds
    if delta == 0:
        raise ValueError("range: delta must not be 0")
    if dtype is None:
        dtype = dtypes.default_dtype_of([start, limit, delta])
    return constant(np.arange(start, limit, delta).astype(np.dtype(dtype)), name=name)


def linspace(start, stop, num, name=None):
    """``num`` evenly spaced numbers from ``start`` to ``stop``, both included: TensorFlow 1.15's
    one ``LinSpace`` op (its inputs the constants ``LinSpace/start``, ``/stop`` and ``/num``).
    As there, start and stop are floats (integers are a TypeError) and it has no gradient.

    >>> import teachgrad as tg
    >>> tg.linspace(0.0, 1.0, 5).numpy()
    array([0.  , 0.25, 0.5 , 0.75, 1.  ], dtype=float32)
    """
    return named(apply(ops.linspace, start, stop, num), name or "LinSpace")


lin_space = linspace


def shape_arg(shape):
    """A shape given to zeros, ones, fill or a random op, as a tuple of sizes known now."""
    if isinstance(shape, Tensor):
        if shape._value is None:
            raise TypeError(f"the shape {shape.name!r} is known only when the graph runs; this "
                            "function needs a shape known when it is built: give the sizes "
                            "(e.g. x.shape.as_list() with no None), or use tg.zeros_like(x)")
        shape = shape._value
    elif isinstance(shape, (list, tuple)) and any(n is None or isinstance(n, Tensor) and
                                                  n._value is None for n in shape):
        raise TypeError(f"shape {list(shape)} has a size not known until the graph runs; this "
                        "function needs every size (use tg.zeros_like(x) or tg.ones_like(x) for "
                        "the shape of x)")
    shape = tuple(int(n) for n in np.atleast_1d(np.asarray(shape, dtype=np.int64))) \
        if np.ndim(shape) else ((int(shape),) if shape != () else ())
    if any(n < 0 for n in shape):
        raise ShapeError(f"shape {shape} has a negative dimension: expected sizes >= 0")
    return shape


def shape_tensor(shape):
    """``shape`` as a tensor of sizes when some are known only when the graph runs
    (``tg.shape(x)``, or a list with ``tg.shape(x)[0]`` in it), else None.

    >>> import teachgrad as tg
    >>> with tg.Graph().as_default():
    ...     x = tg.placeholder(tg.float32, (None, 3))
    ...     print(shape_tensor((2, 3)), shape_tensor([tg.shape(x)[0], 4]).shape)
    None (2,)
    """
    if isinstance(shape, Tensor):
        if shape._value is not None:
            return None
        return shape if np_dtype(shape).kind in "iu" else cast(shape, np.int32)
    if isinstance(shape, (list, tuple)) and any(isinstance(n, Tensor) and n._value is None
                                                for n in shape):
        return stack([cast(n, np.int32) if isinstance(n, Tensor) and np_dtype(n) != np.int32
                      else n for n in shape])
    return None


def zeros(shape, dtype=np.float32, name=None):
    """A tensor of zeros (float32 unless ``dtype`` says otherwise, as in TensorFlow); ``shape``
    may be known only when the graph runs (``tg.shape(x)``), as for ``fill``.

    >>> import teachgrad as tg
    >>> tg.zeros((2, 3)).shape
    TensorShape([2, 3])
    """
    dims = shape_tensor(shape)
    if dims is not None:
        return fill(dims, constant(0, dtype=dtype), name=name or "zeros")
    return constant(np.zeros(shape_arg(shape), dtype=dtypes.as_dtype(dtype).dtype),
                    name=name or "zeros")


def ones(shape, dtype=np.float32, name=None):
    """A tensor of ones.

    >>> import teachgrad as tg
    >>> tg.ones(3).numpy()
    array([1., 1., 1.], dtype=float32)
    """
    dims = shape_tensor(shape)
    if dims is not None:
        return fill(dims, constant(1, dtype=dtype), name=name or "ones")
    return constant(np.ones(shape_arg(shape), dtype=dtypes.as_dtype(dtype).dtype),
                    name=name or "ones")


def fill(dims, value, name=None):
    """A tensor of shape ``dims`` filled with ``value`` (TensorFlow 1's dtypes: an int is
    int32); ``dims`` may be a tensor known only when the program runs, such as ``tg.shape(x)``.

    >>> import teachgrad as tg
    >>> tg.fill((2,), 7).numpy()
    array([7, 7], dtype=int32)
    """
    if not isinstance(dims, Tensor):
        sizes = shape_tensor(dims)
        dims = sizes if sizes is not None else np.asarray(shape_arg(dims), dtype=np.int32)
    return named(apply(ops.fill, dims, value), name)


def zeros_like(x, dtype=None, name=None):
    """Zeros of the shape (and dtype) of ``x``.

    >>> import teachgrad as tg
    >>> tg.zeros_like([1, 2]).numpy()
    array([0, 0], dtype=int32)
    """
    return named(apply(ops.zeros_like, x, dtype=None if dtype is None else np.dtype(dtype)), name)


def ones_like(x, dtype=None, name=None):
    """Ones of the shape (and dtype) of ``x``.

    >>> import teachgrad as tg
    >>> tg.ones_like([1.0, 2.0]).numpy()
    array([1., 1.], dtype=float32)
    """
    return named(apply(ops.ones_like, x, dtype=None if dtype is None else np.dtype(dtype)), name)


# --- not differentiable: results are constants -----------------------------------------------------

def argmax(input, axis=None, name=None, dimension=None, output_type=np.int64):
    """Index of the largest value along ``axis`` (0 when None, as in TensorFlow 1; ``dimension``
    is its older name); no derivative.

    >>> import teachgrad as tg
    >>> tg.argmax([[1.0, 5.0], [7.0, 2.0]], axis=1).numpy()
    array([1, 0])
    >>> tg.argmax([[1.0, 5.0], [7.0, 2.0]]).numpy()
    array([1, 0])
    """
    axis = (dimension if dimension is not None else 0) if axis is None else axis
    return named(apply(ops.argmax, input, axis=int(axis), output_type=np.dtype(output_type)),
                 name)


def argmin(input, axis=None, name=None, dimension=None, output_type=np.int64):
    """Index of the smallest value along ``axis`` (0 when None); no derivative.

    >>> import teachgrad as tg
    >>> tg.argmin([3.0, 1.0, 2.0]).numpy()
    array(1)
    """
    axis = (dimension if dimension is not None else 0) if axis is None else axis
    return named(apply(ops.argmin, input, axis=int(axis), output_type=np.dtype(output_type)),
                 name)


def one_hot(indices, depth, on_value=1.0, off_value=0.0, axis=None, dtype=np.float32, name=None):
    """Rows of ``depth`` entries, ``on_value`` at each index and ``off_value`` elsewhere.

    >>> import teachgrad as tg
    >>> tg.one_hot([0, 2], 3).numpy()
    array([[1., 0., 0.],
           [0., 0., 1.]], dtype=float32)
    """
    return named(apply(ops.one_hot, indices, depth=int(depth), on_value=on_value,
                       off_value=off_value, dtype=np.dtype(dtype),
                       axis=-1 if axis is None else int(axis)), name)


def stop_gradient(x, name=None):
    """The value of ``x`` as a constant: derivatives do not flow through it.

    >>> import teachgrad as tg
    >>> x = tg.constant(3.0)
    >>> tg.gradients(x * tg.stop_gradient(x), x)[0].numpy()
    array(3., dtype=float32)
    """
    return named(apply(ops.stop_gradient, x), name)


def size(x, name=None, out_type=np.int32):
    """The number of elements, as an integer tensor.

    >>> import teachgrad as tg
    >>> tg.size(tg.zeros((2, 3))).numpy()
    array(6, dtype=int32)
    """
    return named(apply(ops.size, x, out_type=np.dtype(out_type)), name)


def shape(x, name=None, out_type=np.int32):
    """The shape, as an integer tensor.

    >>> import teachgrad as tg
    >>> tg.shape(tg.zeros((2, 3))).numpy()
    array([2, 3], dtype=int32)
    """
    return named(apply(ops.shape, x, out_type=np.dtype(out_type)), name)


def hessians(ys, xs, name="hessians"):
    """The Hessian of ``sum(ys)`` with respect to each tensor in ``xs`` (of shape ``x.shape +
    x.shape``), made of second derivatives in the graph as TensorFlow 1's ``tf.hessians``; None
    for an ``x`` that ``ys`` does not depend on.

    >>> import teachgrad as tg
    >>> v = tg.constant([1.0, 2.0])
    >>> tg.hessians(tg.reduce_sum(v ** 3), v)[0].numpy()
    array([[ 6.,  0.],
           [ 0., 12.]], dtype=float32)
    """
    result = []
    for x in xs if isinstance(xs, (list, tuple)) else [xs]:
        if not x.shape.is_fully_defined():
            raise ShapeError(f"hessians: {x.name!r} has shape {x.shape}; the Hessian needs a "
                             "fully known shape")
        g = gradients(ys, x)[0]
        if g is None:
            result.append(None)
            continue
        flat = reshape(g, (-1,))
        rows = [gradients(flat[j], x)[0] for j in builtins.range(x.shape.num_elements())]
        rows = [zeros_like(x) if r is None else r for r in rows]
        result.append(reshape(stack(rows), tuple(x.shape) * 2))
    return result


def _comparison(prim):
    def compare(x, y, name=None):
        return named(apply(prim, x, y), name)
    compare.__name__ = compare.__qualname__ = prim.name
    compare.__doc__ = f"""{prim.doc}.

    >>> import teachgrad as tg
    >>> tg.{prim.name}([1.0, 2.0], 2.0).numpy().tolist()
    {[bool(v) for v in prim.impl(np.array([1.0, 2.0]), 2.0)]}
    """
    return compare


equal, not_equal = _comparison(ops.equal), _comparison(ops.not_equal)
less, less_equal = _comparison(ops.less), _comparison(ops.less_equal)
greater, greater_equal = _comparison(ops.greater), _comparison(ops.greater_equal)

__all__ = _ELEMENTWISE + __all__   # (range and abs shadow Python's on purpose: TF's names)
