"""``tg.linalg``: TensorFlow's linear algebra — ``inv``, ``det``, ``matrix_transpose``, ``diag``,
``diag_part``, ``trace``, ``tensordot``, ``eye`` — and TensorFlow 1's top-level names for them
(``tg.matrix_inverse``, ``tg.matrix_determinant``, ``tg.matrix_transpose``, ``tg.diag``, …).

Matrices may come in batches: the last two axes are the matrix, the others index it.

>>> import teachgrad as tg
>>> a = tg.constant([[2.0, 1.0], [1.0, 3.0]])
>>> tg.linalg.det(a).numpy(), tg.matmul(a, tg.linalg.inv(a)).numpy().round(6)
(array(5., dtype=float32), array([[1., 0.],
       [0., 1.]], dtype=float32))
"""

import numpy as np

from .. import ops
from ..errors import ShapeError
from .math_ops import matmul, reduce_sum
from ..core.primitive import apply
from ..core.tensor import as_tensor, constant, named

__all__ = ["inv", "det", "matrix_transpose", "transpose", "diag", "diag_part", "trace",
           "tensordot", "eye", "matmul", "matrix_inverse", "matrix_determinant",
           "matrix_diag", "matrix_diag_part", "tf1_diag", "tf1_diag_part"]


def inv(input, adjoint=False, name=None):
    """The inverse of each square matrix; a singular one raises ``InvalidArgumentError``.

    >>> import teachgrad as tg
    >>> tg.linalg.inv([[2.0, 0.0], [0.0, 4.0]]).numpy()
    array([[0.5 , 0.  ],
           [0.  , 0.25]], dtype=float32)
    """
    x = as_tensor(input)
    if adjoint:
        x = matrix_transpose(x)
    return named(apply(ops.matrix_inverse, x), name)


def det(input, name=None):
    """The determinant of each square matrix.

    >>> import teachgrad as tg
    >>> tg.linalg.det([[1.0, 2.0], [3.0, 4.0]]).numpy()
    array(-2., dtype=float32)
    """
    return named(apply(ops.matrix_determinant, input), name)


def matrix_transpose(a, name="matrix_transpose", conjugate=False):
    """Each matrix transposed (the last two axes swapped).

    >>> import teachgrad as tg
    >>> tg.matrix_transpose(tg.zeros((5, 2, 3))).shape
    TensorShape([5, 3, 2])
    """
    x = as_tensor(a)
    if x.ndim < 2:
        raise ShapeError(f"matrix_transpose: shape {x.shape}: expected at least 2 dimensions")
    return named(apply(ops.swapaxes, x, a1=-1, a2=-2), None if name == "matrix_transpose"
                 else name)


transpose = matrix_transpose


def tf1_diag(diagonal, name=None):
    """TensorFlow 1's ``tf.diag``: a tensor of rank 2k with ``diagonal`` (rank k) on its diagonal.

    >>> import teachgrad as tg
    >>> tg.diag([1.0, 2.0]).numpy()
    array([[1., 0.],
           [0., 2.]], dtype=float32)
    """
    return named(apply(ops.diag, diagonal), name)


def tf1_diag_part(input, name=None):
    """TensorFlow 1's ``tf.diag_part``: the diagonal of a tensor of rank 2k (``diag``'s inverse).

    >>> import teachgrad as tg
    >>> tg.diag_part([[1.0, 7.0], [7.0, 2.0]]).numpy()
    array([1., 2.], dtype=float32)
    """
    return named(apply(ops.diag_part, input), name)


def diag(diagonal, name="diag"):
    """``tf.linalg.diag``: batched — the last axis becomes the diagonal of square matrices.

    >>> import teachgrad as tg
    >>> tg.linalg.diag([[1.0, 2.0], [3.0, 4.0]]).shape
    TensorShape([2, 2, 2])
    """
    return named(apply(ops.matrix_diag, diagonal), None if name == "diag" else name)


def diag_part(input, name="diag_part"):
    """``tf.linalg.diag_part``: batched — the main diagonal of each matrix.

    >>> import teachgrad as tg
    >>> tg.linalg.diag_part([[1.0, 7.0], [7.0, 2.0]]).numpy()
    array([1., 2.], dtype=float32)
    """
    x = as_tensor(input)
    if x.ndim < 2:
        raise ShapeError(f"diag_part: shape {x.shape}: expected at least 2 dimensions")
    return named(apply(ops.matrix_diag_part, x), None if name == "diag_part" else name)


def trace(x, name=None):
    """The sum of each matrix's diagonal.

    >>> import teachgrad as tg
    >>> tg.linalg.trace([[1.0, 7.0], [7.0, 2.0]]).numpy()
    array(3., dtype=float32)
    """
    return named(reduce_sum(diag_part(x), axis=-1), name)


def _pairs(axes, nd_a, nd_b):
    """tensordot's ``axes`` as two tuples of non-negative axes of a and b."""
    if np.ndim(axes) == 0:
        k = int(axes)
        if k > min(nd_a, nd_b) or k < 0:
            raise ShapeError(f"tensordot: axes={k} for tensors of rank {nd_a} and {nd_b}: "
                             "expected at most the smaller rank")
        return tuple(range(nd_a - k, nd_a)), tuple(range(k))
    a_axes, b_axes = axes
    a_axes, b_axes = np.atleast_1d(a_axes).tolist(), np.atleast_1d(b_axes).tolist()
    if len(a_axes) != len(b_axes):
        raise ShapeError(f"tensordot: axes {axes}: expected as many axes of a as of b")
    return tuple(int(i) % nd_a for i in a_axes), tuple(int(j) % nd_b for j in b_axes)


def tensordot(a, b, axes, name=None):
    """Σ of a·b over paired axes: ``axes`` an int k (the last k of a with the first k of b) or
    a pair of lists.

    >>> import teachgrad as tg
    >>> tg.tensordot(tg.ones((2, 3, 4)), tg.ones((4, 3, 5)), axes=[[1, 2], [1, 0]]).shape
    TensorShape([2, 5])
    """
    a, b = as_tensor(a), as_tensor(b)
    pairs = _pairs(axes, a.ndim, b.ndim)
    for i, j in zip(*pairs):
        size_a, size_b = tuple(a.shape)[i], tuple(b.shape)[j]
        if None not in (size_a, size_b) and size_a != size_b:
            raise ShapeError(f"tensordot: axis {i} of a {a.shape} and axis {j} of b {b.shape} "
                             "are paired but differ in size")
    return named(apply(ops.tensordot, a, b, axes=pairs), name)


def eye(num_rows, num_columns=None, batch_shape=None, dtype=np.float32, name=None):
    """Identity matrices (float32 unless ``dtype`` says otherwise).

    >>> import teachgrad as tg
    >>> tg.eye(2).numpy()
    array([[1., 0.],
           [0., 1.]], dtype=float32)
    """
    m = np.eye(int(num_rows), None if num_columns is None else int(num_columns),
               dtype=np.dtype(dtype))
    if batch_shape is not None:
        m = np.broadcast_to(m, tuple(int(n) for n in batch_shape) + m.shape).copy()
    return constant(m, name=name or "eye")


matrix_inverse = inv
matrix_determinant = det
matrix_diag = diag
matrix_diag_part = diag_part
