"""TensorFlow 1's rounding divisions and remainders by their TF-1 names: ``div``, ``floordiv``,
``floor_div``, ``truncatediv``, ``truncatemod``, ``mod`` and ``floormod`` (the ops are declared in
``ops/division.py``; ``x // y`` and ``x % y`` on tensors are ``floordiv`` and ``floormod``).

Each node takes the name TensorFlow 1 gives it: ``tg.floordiv`` makes ``floordiv``,
``tg.floor_div`` ``FloorDiv``, ``tg.mod`` ``FloorMod``, and ``tg.div`` makes ``div`` — a FloorDiv
for integers and a RealDiv for floats, as TF-1's Python-2 style ``div``.
"""

from .. import ops
from ..core import dtypes
from ..core.primitive import apply
from ..core.tensor import Tensor, named, np_dtype
from .math_ops import floormod   # (made from its declaration, like every element-wise op)

__all__ = ["div", "floordiv", "floor_div", "truncatediv", "truncatemod", "mod", "floormod"]


def _dtype_of(x, y):
    """The dtype the division works in: the first tensor's, else the first value's own."""
    for v in (x, y):
        if isinstance(v, Tensor):
            return np_dtype(v)
    return dtypes.default_dtype_of(x)


def div(x, y, name=None):
    """x / y as Python 2 divided: floor division for integers, true division for floats
    (TensorFlow 1's ``tf.div``, deprecated there in favour of ``/`` and ``//``).

    >>> import teachgrad as tg
    >>> tg.div(7, 2).numpy(), tg.div(-7, 2).numpy(), tg.div(7.0, 2.0).numpy()
    (array(3, dtype=int32), array(-4, dtype=int32), array(3.5, dtype=float32))
    >>> with tg.Graph().as_default():
    ...     print(tg.div(7, 2).op.type, tg.div(7.0, 2.0).op.type)
    FloorDiv RealDiv
    """
    kind = _dtype_of(x, y).kind
    prim = ops.div if kind in "fc" else ops.floordiv
    return named(apply(prim, x, y), name or "div")


def floordiv(x, y, name=None):
    """⌊x / y⌋ element-wise, rounding towards −∞ (``x // y``); no derivative (None, as TF-1's
    FloorDiv); an integer divided by zero is an ``InvalidArgumentError``.

    >>> import teachgrad as tg
    >>> tg.floordiv([-7, 7], 2).numpy(), tg.floordiv(-7.0, 2.0).numpy()
    (array([-4,  3], dtype=int32), array(-4., dtype=float32))
    """
    return named(apply(ops.floordiv, x, y), name or "floordiv")


def floor_div(x, y, name=None):
    """``floordiv``, the op itself (its node is named ``FloorDiv``).

    >>> import teachgrad as tg
    >>> tg.floor_div(-7.0, 2.0).numpy()
    array(-4., dtype=float32)
    """
    return named(apply(ops.floordiv, x, y), name or "FloorDiv")


def truncatediv(x, y, name=None):
    """x / y rounded towards zero, as C divides integers; no derivative (None).

    >>> import teachgrad as tg
    >>> tg.truncatediv(-7, 2).numpy(), tg.truncatediv(-7.0, 2.0).numpy()
    (array(-3, dtype=int32), array(-3., dtype=float32))
    """
    return named(apply(ops.truncatediv, x, y), name or "TruncateDiv")


def truncatemod(x, y, name=None):
    """The remainder of ``truncatediv``: the sign of x (C's ``%``, NumPy's ``fmod``); no
    gradient is defined for it (``tg.gradients`` through it is a ``LookupError``, as in TF-1).

    >>> import teachgrad as tg
    >>> tg.truncatemod(-7, 2).numpy(), tg.truncatemod(-7.0, 2.0).numpy()
    (array(-1, dtype=int32), array(-1., dtype=float32))
    """
    return named(apply(ops.truncatemod, x, y), name or "TruncateMod")


mod = floormod   # TensorFlow 1's tf.mod is FloorMod: the sign of y, as Python's %
