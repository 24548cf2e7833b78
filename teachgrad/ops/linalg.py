"""Linear algebra beyond matmul: ``tensordot``, the inverse and determinant of (batches of) square
matrices, and diagonals.

The rules are the classic matrix-calculus ones (Giles, "An extended collection of matrix
derivative results", 2008), written with ops that have rules of their own, so they nest:
``Ā = −A⁻ᵀ·Ḡ·A⁻ᵀ`` for the inverse and ``Ā = ḡ·det A·A⁻ᵀ`` for the determinant.
"""

import numpy as np

from ..errors import InvalidArgumentError, ShapeError
from .runtime_shapes import expand_dims
from .arrays import like_last
from .registry import structural
from .structural import matmul, reduce_sum, swapaxes, transpose

__all__ = ["tensordot", "matrix_inverse", "matrix_determinant", "diag", "diag_part",
           "matrix_diag", "matrix_diag_part", "matrix_set_diag_zero", "mT"]


def _no_rule(g, out, *args, **params):
    return None


def mT(x):
    """The matrix transpose of the last two axes."""
    return swapaxes(x, -1, -2)


# ------------------------------------------------------------------------------------------------
# tensordot: out[free_a…, free_b…] = Σ_contracted a[…] · b[…]
# ------------------------------------------------------------------------------------------------

def _free(ndim, contracted):
    return [i for i in range(ndim) if i not in contracted]


def _tensordot_vjp_a(g, out, a, b, axes):
    axes_a, axes_b = axes
    free_a, free_b = _free(np.ndim(a), axes_a), _free(np.ndim(b), axes_b)
    n = len(free_a)
    # Contract g's b-part with b's free axes: left with a's free axes, then a's contracted ones.
    g_a = tensordot(g, b, axes=(tuple(range(n, n + len(free_b))), tuple(free_b)))
    # g_a's axes: a's free ones, then b's contracted ones in b's order; each pairs with one of a.
    paired = sorted(axes_b)
    where = [free_a.index(i) if i in free_a else n + paired.index(axes_b[axes_a.index(i)])
             for i in range(np.ndim(a))]
    return transpose(g_a, perm=tuple(where))


def _tensordot_vjp_b(g, out, a, b, axes):
    axes_a, axes_b = axes
    free_a, free_b = _free(np.ndim(a), axes_a), _free(np.ndim(b), axes_b)
    g_b = tensordot(a, g, axes=(tuple(free_a), tuple(range(len(free_a)))))
    # g_b's axes: a's contracted ones in a's order, then b's free ones.
    paired, k = sorted(axes_a), len(axes_b)
    where = [paired.index(axes_a[axes_b.index(j)]) if j in axes_b else k + free_b.index(j)
             for j in range(np.ndim(b))]
    return transpose(g_b, perm=tuple(where))


tensordot = structural(
    "tensordot", lambda a, b, axes: np.tensordot(a, b, axes=axes),
    vjp=(_tensordot_vjp_a, _tensordot_vjp_b),
    jvp=(lambda a_dot, out, a, b, axes: tensordot(a_dot, b, axes=axes),
         lambda b_dot, out, a, b, axes: tensordot(a, b_dot, axes=axes)),
    same_dtype=(0, 1), expr="{0} ⊗ {1}", formulas=("ḡ ⊗ {1} over b's free axes",
                                                    "{0} ⊗ ḡ over a's free axes"),
    doc="tensordot: Σ over paired axes of a·b;  vjp: ḡ contracted with the other factor over "
        "its free axes, axes put back in order")


# ------------------------------------------------------------------------------------------------
# inverse and determinant of square matrices (batched over leading axes)
# ------------------------------------------------------------------------------------------------

def _square(name, x):
    shape = np.shape(x)
    if len(shape) < 2 or shape[-1] != shape[-2]:
        raise ShapeError(f"{name}: shape {tuple(shape)}: expected square matrices, a shape "
                         "(..., n, n)")


def _inverse_impl(x):
    _square("matrix_inverse", x)
    try:
        return np.linalg.inv(x)
    except np.linalg.LinAlgError:
        raise InvalidArgumentError(None, None, "matrix_inverse: Input is not invertible (a "
                                   "singular matrix has no inverse)") from None


matrix_inverse = structural(
    "matrix_inverse", _inverse_impl,
    vjp=(lambda g, out, x: -matmul(mT(out), matmul(g, mT(out))),),
    jvp=(lambda x_dot, out, x: -matmul(out, matmul(x_dot, out)),),
    expr="{0}⁻¹", formulas=("ḡ ↦ −{0}⁻ᵀ·ḡ·{0}⁻ᵀ",),
    doc="matrix_inverse: f(A) = A⁻¹;  vjp: Ā = −A⁻ᵀ·Ḡ·A⁻ᵀ;  jvp: −A⁻¹·Ȧ·A⁻¹")


def _det_impl(x):
    _square("matrix_determinant", x)
    return np.linalg.det(x)


matrix_determinant = structural(
    "matrix_determinant", _det_impl,
    vjp=(lambda g, out, x: expand_dims(g * out, axes=(-2, -1)) * mT(matrix_inverse(x)),),
    jvp=(lambda x_dot, out, x: out * reduce_sum(mT(matrix_inverse(x)) * x_dot, axis=(-2, -1)),),
    expr="det {0}", formulas=("ḡ ↦ ḡ·det {0}·{0}⁻ᵀ",),
    doc="matrix_determinant: f(A) = det A;  ∂f/∂A = det A · A⁻ᵀ (Jacobi's formula)")


# ------------------------------------------------------------------------------------------------
# diagonals: each op's adjoint is its partner, so all of them nest
# ------------------------------------------------------------------------------------------------

def _diag_impl(x):
    """TensorFlow 1's ``tf.diag``: rank k in, rank 2k out, x on the diagonal."""
    x = np.asarray(x)
    out = np.zeros((x.size, x.size), dtype=x.dtype)
    out[np.arange(x.size), np.arange(x.size)] = x.ravel()
    return out.reshape(x.shape + x.shape)


def _diag_part_impl(x):
    shape = np.shape(x)
    k = len(shape) // 2
    if len(shape) % 2 or shape[:k] != shape[k:]:
        raise ShapeError(f"diag_part: shape {tuple(shape)}: expected an even rank with the "
                         "first half of the dimensions equal to the second")
    n = int(np.prod(shape[:k]))
    return np.asarray(x).reshape(n, n).diagonal().reshape(shape[:k]).copy()


diag = structural(
    "diag", _diag_impl, linear=True, vjp=(lambda g, out, x: diag_part(g),),
    expr="diag({0})", formulas=("the diagonal of ḡ",),
    doc="diag: a tensor with x on its diagonal and zeros elsewhere")

diag_part = structural(
    "diag_part", _diag_part_impl, linear=True, vjp=(lambda g, out, x: diag(g),),
    expr="diag_part({0})", formulas=("ḡ on the diagonal",),
    doc="diag_part: the diagonal of x (diag's inverse)")


def _matrix_diag_impl(x):
    x = np.asarray(x)
    n = x.shape[-1]
    out = np.zeros(x.shape + (n,), dtype=x.dtype)
    out[..., np.arange(n), np.arange(n)] = x
    return out


def _set_diag_impl(g, x):
    """Zeros shaped like the matrices x, with g on their main diagonal."""
    out = np.zeros(np.shape(x), dtype=np.result_type(g))
    k = min(np.shape(x)[-2:])
    out[..., np.arange(k), np.arange(k)] = g
    return out


matrix_diag = structural(
    "matrix_diag", _matrix_diag_impl, linear=True,
    vjp=(lambda g, out, x: matrix_diag_part(g),),
    expr="diag({0})", formulas=("the diagonal of ḡ",),
    doc="matrix_diag: batched — the last axis of x becomes the diagonal of square matrices")

matrix_diag_part = structural(
    "matrix_diag_part",
    lambda x: np.diagonal(x, axis1=-2, axis2=-1).copy(), linear=True,
    vjp=(lambda g, out, x: matrix_set_diag_zero(g, x),),
    expr="diag_part({0})", formulas=("ḡ on the diagonal",),
    doc="matrix_diag_part: batched — the main diagonal of each matrix of x")

matrix_set_diag_zero = structural(
    "matrix_set_diag_zero", _set_diag_impl, linear=True, infer=like_last,
    vjp=(lambda gg, out, g, x: matrix_diag_part(gg), _no_rule),
    jvp=(lambda g_dot, out, g, x: matrix_set_diag_zero(g_dot, x), _no_rule),
    expr="on diagonal({0})", formulas=("the diagonal", "0"),
    doc="matrix_set_diag_zero: g on the diagonal of zero matrices shaped like x")
