"""TensorFlow 1's array and logic functions beyond the basic ones: ``expand_dims``, ``squeeze``,
``tile``, ``gather``, ``unstack``, ``rank``, ``clip_by_value``, ``truediv``,
``squared_difference``, ``count_nonzero``, ``floor``, the ``logical_*`` ops, ``add_n``, ``unique``,
``arg_max`` and ``arg_min``.

Each takes tensors, NumPy arrays or Python numbers (TensorFlow 1's dtypes) and works on tensors
whose sizes are known only when the program runs (a placeholder of shape ``(None, 3)``).
"""

import collections

import numpy as np

from .. import ops
from ..errors import ShapeError
from .math_ops import (concat as concat_, reshape as reshape_, shape as shape_of,
                       transpose as transpose_)
from .math_ops import (same_dtype_tensors, argmax, argmin, cast, maximum, minimum, reduce_sum, square,
                       subtract)
from ..core.primitive import apply, other_output
from ..core.tensor import Tensor, as_tensor, constant, named, np_dtype

__all__ = ["expand_dims", "squeeze", "tile", "gather", "unstack", "rank", "clip_by_value",
           "truediv", "squared_difference", "count_nonzero", "floor", "logical_and",
           "logical_or", "logical_xor", "logical_not", "add_n", "unique", "arg_max", "arg_min",
           "sign", "split"]


def checked_axis(axis, ndim, what):
    """``axis`` as a non-negative int for a tensor of rank ``ndim`` (or a ShapeError)."""
    axis = int(axis)
    if not -ndim <= axis < max(ndim, 1):
        raise ShapeError(f"{what}: axis {axis} is out of range for a tensor of rank {ndim}: "
                         f"expected an axis in [{-ndim}, {ndim - 1}]")
    return axis % ndim if ndim else 0


def expand_dims(input, axis=None, name=None, dim=None):
    """``input`` with a new axis of size 1 inserted at ``axis`` (``dim`` is TF-1's old name).

    >>> import teachgrad as tg
    >>> tg.expand_dims([1.0, 2.0], axis=-1).shape
    TensorShape([2, 1])
    """
    axis = dim if axis is None else axis
    if axis is None:
        raise ValueError("expand_dims: give axis (an int)")
    x = as_tensor(input)
    return named(apply(ops.expand_dims, x, axes=checked_axis(axis, x.ndim + 1, "expand_dims")), name)


def squeeze(input, axis=None, name=None, squeeze_dims=None):
    """``input`` without axes of size 1: all of them, or those in ``axis``.

    Without ``axis``, the axes removed are those of static size 1; an axis of unknown size
    (``None``) is kept.

    >>> import teachgrad as tg
    >>> tg.squeeze(tg.zeros((1, 2, 1))).shape, tg.squeeze(tg.zeros((1, 2, 1)), axis=[0]).shape
    (TensorShape([2]), TensorShape([2, 1]))
    """
    axis = squeeze_dims if axis is None else axis
    x = as_tensor(input)
    shape = tuple(x.shape)   # (sizes as ints, None where unknown)
    if axis is None:
        axes = tuple(i for i, n in enumerate(shape) if n == 1)
    else:
        axes = tuple(sorted({checked_axis(a, x.ndim, "squeeze") for a in np.atleast_1d(axis)}))
        for a in axes:
            if shape[a] is not None and shape[a] != 1:
                raise ShapeError(f"squeeze: cannot squeeze axis {a} of shape {shape}: expected "
                                 f"a dimension of 1, got {shape[a]}")
    return named(apply(ops.squeeze, x, axis=axes), name)


def tile(input, multiples, name=None):
    """``input`` repeated ``multiples[i]`` times along each axis i.

    >>> import teachgrad as tg
    >>> tg.tile([[1, 2]], [2, 2]).numpy()
    array([[1, 2, 1, 2],
           [1, 2, 1, 2]], dtype=int32)
    """
    x = as_tensor(input)
    multiples = tuple(int(m) for m in np.atleast_1d(np.asarray(multiples)))
    if len(multiples) != x.ndim:
        raise ShapeError(f"tile: {len(multiples)} multiples for a tensor of rank {x.ndim}: "
                         "expected one per axis")
    return named(apply(ops.tile, x, multiples=multiples), name)


def gather(params, indices, validate_indices=None, name=None, axis=0):
    """The slices of ``params`` at ``indices`` along ``axis``; the gradient adds up at repeated
    indices.

    >>> import teachgrad as tg
    >>> tg.gather([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]], [2, 0]).numpy()
    array([[5., 6.],
           [1., 2.]], dtype=float32)
    """
    p, i = as_tensor(params), as_tensor(indices)
    if not i.dtype.is_integer:
        raise TypeError(f"gather: indices of dtype {i.dtype.name}: expected int32 or int64")
    return named(apply(ops.gather, p, i, axis=checked_axis(axis, p.ndim, "gather")), name)


def unstack(value, num=None, axis=0, name="unstack"):
    """The slices of ``value`` along ``axis``, as a list (the inverse of ``stack``).

    >>> import teachgrad as tg
    >>> [t.numpy().tolist() for t in tg.unstack([[1, 2], [3, 4]], axis=1)]
    [[1, 3], [2, 4]]
    """
    x = as_tensor(value)
    axis = checked_axis(axis, x.ndim, "unstack")
    n = tuple(x.shape)[axis] if num is None else int(num)
    if n is None:
        raise ValueError(f"unstack: cannot infer num from shape {x.shape}: give num")
    return [apply(ops.gather, x, as_tensor(np.int32(k)), axis=axis) for k in range(n)]


def rank(input, name=None):
    """The number of dimensions, as an int32 tensor (a constant when it is known now, as in
    TensorFlow).

    >>> import teachgrad as tg
    >>> tg.rank(tg.zeros((2, 3))).numpy()
    array(2, dtype=int32)
    """
    x = as_tensor(input)
    if x.shape.ndims is not None:
        return constant(np.int32(x.ndim), name=name or "Rank")
    return named(apply(ops.rank, x), name)


def clip_by_value(t, clip_value_min, clip_value_max, name=None):
    """``t`` with values below ``clip_value_min`` raised to it and those above
    ``clip_value_max`` lowered to it: ``maximum(minimum(t, max), min)``, as TensorFlow 1 builds
    it, so the gradient is 1 inside the range *and at its ends* and 0 outside.

    >>> import teachgrad as tg
    >>> x = tg.constant([0.0, 1.0, 2.0, 3.0])
    >>> c = tg.clip_by_value(x, 1.0, 2.0)
    >>> c.numpy(), tg.gradients(c, x)[0].numpy()
    (array([1., 1., 2., 2.], dtype=float32), array([0., 1., 1., 0.], dtype=float32))
    """
    return named(maximum(minimum(t, clip_value_max), clip_value_min), name)


_TRUEDIV_FLOAT = {1: np.float32, 2: np.float32, 4: np.float64, 8: np.float64}


def truediv(x, y, name=None):
    """x / y; integers are divided as floats (int8/int16 as float32, int32/int64 as float64),
    as TensorFlow's ``truediv``.

    >>> import teachgrad as tg
    >>> tg.truediv(tg.constant(1), tg.constant(4)).numpy()
    array(0.25)
    """
    if not isinstance(x, Tensor) and not isinstance(y, Tensor):
        x = as_tensor(x)   # (TensorFlow 1's dtypes: a Python int is int32)
    dtype = np_dtype(x if isinstance(x, Tensor) else y)
    if dtype.kind in "iu":
        want = _TRUEDIV_FLOAT[dtype.itemsize]
        x, y = (cast(v, want) if isinstance(v, Tensor) else np.asarray(v, dtype=want)
                for v in (x, y))
    return named(apply(ops.div, x, y), name)


def squared_difference(x, y, name=None):
    """(x − y)² element-wise.

    >>> import teachgrad as tg
    >>> tg.squared_difference([1.0, 5.0], 2.0).numpy()
    array([1., 9.], dtype=float32)
    """
    return named(square(subtract(x, y)), name)


def count_nonzero(input_tensor, axis=None, keepdims=None, dtype=np.int64, name=None,
                  reduction_indices=None, keep_dims=None):
    """How many elements are not zero (along ``axis``).

    >>> import teachgrad as tg
    >>> tg.count_nonzero([[0.0, 1.0], [2.0, 0.0]]).numpy()
    array(2)
    """
    axis = reduction_indices if axis is None else axis
    keepdims = bool(keep_dims if keepdims is None else keepdims)
    x = as_tensor(input_tensor)
    nonzero = cast(apply(ops.not_equal, x, np.zeros((), np_dtype(x))), dtype)
    return named(reduce_sum(nonzero, axis=axis, keepdims=keepdims), name)


def floor(x, name=None):
    """The largest integer not above x, element-wise (no derivative, as in TensorFlow).

    >>> import teachgrad as tg
    >>> tg.floor([1.5, -1.5]).numpy()
    array([ 1., -2.], dtype=float32)
    """
    return named(apply(ops.floor, x), name)


def sign(x, name=None):
    """-1, 0 or 1 by the sign of x, element-wise (its derivative is zeros, as TensorFlow's).

    >>> import teachgrad as tg
    >>> tg.sign([-2.5, 0.0, 3.0]).numpy()
    array([-1.,  0.,  1.], dtype=float32)
    """
    return named(apply(ops.sign, as_tensor(x)), name)


def _bool_tensors(prim, *args):
    tensors = [as_tensor(a) for a in args]
    for t in tensors:
        if t.dtype != np.bool_:
            raise TypeError(f"{prim.name}: input of dtype {t.dtype.name}: expected bool tensors "
                            "(compare first, e.g. x > 0)")
    return tensors


def _logical(prim, example):
    if prim.n_inputs == 1:
        def fn(x, name=None):
            return named(apply(prim, *_bool_tensors(prim, x)), name)
    else:
        def fn(x, y, name=None):
            return named(apply(prim, *_bool_tensors(prim, x, y)), name)
    fn.__name__ = fn.__qualname__ = prim.name
    fn.__doc__ = f"""{prim.doc}.

    >>> import teachgrad as tg
    >>> {example}
    """
    return fn


logical_and = _logical(ops.logical_and, "tg.logical_and([True, True], [True, False]).numpy()\n"
                                       "    array([ True, False])")
logical_or = _logical(ops.logical_or, "tg.logical_or([True, False], [False, False]).numpy()\n"
                                     "    array([ True, False])")
logical_xor = _logical(ops.logical_xor, "tg.logical_xor([True, True], [True, False]).numpy()\n"
                                       "    array([False,  True])")
logical_not = _logical(ops.logical_not, "tg.logical_not([True, False]).numpy()\n"
                                       "    array([False,  True])")


# --- issue 21's names -----------------------------------------------------------------------------

def add_n(inputs, name=None):
    """The sum of a list of tensors of one shape and dtype, in one ``AddN`` op (a list of one is
    that tensor itself, as in TensorFlow 1); each input's gradient is the sum's.

    >>> import teachgrad as tg
    >>> tg.add_n([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]]).numpy()
    array([ 9., 12.], dtype=float32)
    """
    inputs = list(inputs) if isinstance(inputs, (list, tuple)) else None
    if not inputs:
        raise ValueError("Inputs must be an iterable of at least one Tensor/IndexedSlices with "
                         "the same dtype and shape.")
    values = same_dtype_tensors(inputs, "AddN", "inputs")
    if len(values) == 1:
        return values[0]
    shapes = [v.shape for v in values]
    if any(not s.is_compatible_with(shapes[0]) for s in shapes[1:]):
        raise ShapeError(f"add_n: shapes {shapes}: TensorFlow 1's AddN adds tensors of one shape "
                         "(no broadcasting)")
    return named(apply(ops.add_n, *values), name)


Unique = collections.namedtuple("Unique", "y idx")


def unique(x, out_idx=np.int32, name=None):
    """The distinct values of vector ``x`` in the order they first appear (``y``), and for each
    element of ``x`` the index of its value in ``y`` (``idx``, of ``out_idx``): TensorFlow 1's
    ``Unique`` op, its outputs ``Unique:0`` and ``Unique:1``. No gradient is defined for it.

    >>> import teachgrad as tg
    >>> y, idx = tg.unique([4, 1, 4, 2, 1])
    >>> y.numpy(), idx.numpy()
    (array([4, 1, 2], dtype=int32), array([0, 1, 0, 2, 1], dtype=int32))
    """
    x = as_tensor(x)
    if x.shape.ndims not in (None, 1):
        raise ShapeError(f"unique: Shape must be rank 1 but is rank {x.shape.ndims} (shape "
                         f"{x.shape}): tg.unique takes a vector, e.g. tg.reshape(x, [-1])")
    y = named(apply(ops.unique, x), name)
    idx = other_output(y, 1, ops.unique_idx, y.inputs[0], out_idx=np.dtype(out_idx))
    return Unique(y, idx)


def arg_max(input, dimension, name=None, output_type=np.int64):
    """TensorFlow 1's older ``argmax``: ``dimension`` is required.

    >>> import teachgrad as tg
    >>> tg.arg_max([[1.0, 5.0], [7.0, 2.0]], 1).numpy()
    array([1, 0])
    """
    return argmax(input, axis=dimension, name=name, output_type=output_type)


def arg_min(input, dimension, name=None, output_type=np.int64):
    """TensorFlow 1's older ``argmin``: ``dimension`` is required.

    >>> import teachgrad as tg
    >>> tg.arg_min([[1.0, 5.0], [7.0, 2.0]], 0).numpy()
    array([0, 1])
    """
    return argmin(input, axis=dimension, name=name, output_type=output_type)


def split(value, num_or_size_splits, axis=0, num=None, name="split"):
    """``value`` cut along ``axis`` into ``num_or_size_splits`` equal pieces (a number; the
    axis's size may be known only when it runs), or into pieces of the sizes listed (one may
    be -1: the rest). A list of tensors, as TensorFlow 1's ``tf.split``.

    >>> import teachgrad as tg
    >>> [p.numpy().tolist() for p in tg.split([1, 2, 3, 4, 5, 6], 3)]
    [[1, 2], [3, 4], [5, 6]]
    >>> [p.numpy().tolist() for p in tg.split([1, 2, 3, 4, 5, 6], [1, -1, 2])]
    [[1], [2, 3, 4], [5, 6]]
    """
    x = as_tensor(value)
    axis = checked_axis(axis, x.ndim, "split")
    size = x.shape.as_list()[axis]
    if isinstance(num_or_size_splits, (int, np.integer)):
        n = int(num_or_size_splits)
        if n < 1 or (size is not None and size % n):
            raise ValueError(f"Dimension size must be evenly divisible by {n} but is {size} for "
                             f"'split' (op: 'Split') with input shapes: {x.shape}")
        if size is None:
            return _split_unknown_size(x, n, axis)
        num_or_size_splits = [size // n] * n
    sizes = [int(s) for s in num_or_size_splits]
    if sizes.count(-1) > 1 or size is None and -1 in sizes:
        raise ValueError(f"split: sizes {sizes} along an axis of size {size}: at most one -1, "
                         "and only along an axis of known size")
    if -1 in sizes:
        sizes[sizes.index(-1)] = size - sum(s for s in sizes if s != -1)
    if size is not None and sum(sizes) != size:
        raise ValueError(f"Determined shape must either match input shape along split_dim "
                         f"exactly if fully specified, or be less than the size of the input "
                         f"along split_dim if not fully specified.  Got: {sum(sizes)} vs {size}")
    starts = np.cumsum([0] + sizes)
    index = [slice(None)] * x.ndim
    pieces = []
    for a, b in zip(starts[:-1], starts[1:]):
        index[axis] = slice(int(a), int(b))
        pieces.append(x[tuple(index)])
    return pieces


def _split_unknown_size(x, n, axis):
    """``split`` into ``n`` along an axis whose size is known only when it runs: that axis first,
    reshaped into ``n`` rows, each row put back in place."""
    order = [axis] + [k for k in range(x.ndim) if k != axis]
    front = x if axis == 0 else transpose_(x, order)
    rows = reshape_(front, concat_([np.asarray([n, -1], np.int32), shape_of(front)[1:]], 0))
    rows.set_shape([n, None] + front.shape.as_list()[1:])
    back = [order.index(k) for k in range(x.ndim)]
    pieces = [apply(ops.gather, rows, as_tensor(np.int32(k)), axis=0) for k in range(n)]
    return [p if axis == 0 else transpose_(p, back) for p in pieces]
