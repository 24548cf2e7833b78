"""Division that rounds, and its remainders: ``floordiv`` (``x // y``), ``floormod`` (``x % y``,
``tf.mod``), ``truncatediv`` and ``truncatemod`` — TensorFlow 1's FloorDiv, FloorMod, TruncateDiv
and TruncateMod.

Floor division rounds towards −∞ (``-7 // 2`` is −4, as in Python), truncating division towards
zero (−3, as in C); each remainder goes with its division (``-7 % 2`` is 1, ``truncatemod(-7, 2)``
is −1). An integer divided by zero is an error, as in TensorFlow 1; a float gives ±inf or NaN.

Derivatives, as TensorFlow 1 has them: ``floormod`` has one (∂/∂x = 1, ∂/∂y = −⌊x/y⌋, away from
its jumps); ``floordiv`` and ``truncatediv`` have none (their derivative is 0 almost everywhere:
``tg.gradients`` gives None); ``truncatemod`` has no gradient defined, and asking for one is a
``LookupError``, as there.
"""

import numpy as np

from ..errors import InvalidArgumentError
from .registry import elementwise, structural

__all__ = ["floordiv", "floormod", "truncatediv", "truncatemod"]

_INTEGERS_AND_FLOATS = ("x", "fiu", "bfloat16, float16, float32, float64, uint8, int8, uint16, "
                        "int16, int32, uint32, uint64, int64")


def _check_divisor(a, b):
    """TensorFlow 1's kernels refuse an integer division by zero (NumPy would give 0)."""
    if np.issubdtype(np.result_type(a, b), np.integer) and np.any(np.asarray(b) == 0):
        raise InvalidArgumentError(None, None, "Integer division by zero")


def _floordiv_impl(a, b):
    _check_divisor(a, b)
    with np.errstate(all="ignore"):
        if np.issubdtype(np.result_type(a, b), np.floating):
            # TensorFlow 1's floor(x / y): 1.0 // 0.1 is 10 there (NumPy's floor_divide gives 9)
            return np.floor(np.true_divide(a, b)).astype(np.result_type(a, b))
        return np.floor_divide(a, b)


def _floormod_impl(a, b):
    _check_divisor(a, b)
    with np.errstate(all="ignore"):
        return np.mod(a, b)


def _truncatediv_impl(a, b):
    _check_divisor(a, b)
    with np.errstate(all="ignore"):
        if np.issubdtype(np.result_type(a, b), np.floating):   # trunc(x / y), as TensorFlow 1
            return np.trunc(np.true_divide(a, b)).astype(np.result_type(a, b))
        # integers: a minus C's remainder is a multiple of b, so its floor quotient is exact
        return np.floor_divide(a - np.fmod(a, b), b)


def _truncatemod_impl(a, b):
    _check_divisor(a, b)
    with np.errstate(all="ignore"):
        return np.fmod(a, b)


def _none(g, out, a, b):
    return None


def _no_gradient_defined(op_type):
    def rule(*args, **params):
        raise LookupError(f"No gradient defined for operation '{op_type}' (op type: {op_type}), "
                          "as in TensorFlow 1. If you want to pretend this operation is a "
                          "constant in your program, you may insert tg.stop_gradient")
    return rule


floordiv = structural(
    "floordiv", _floordiv_impl, vjp=(_none, _none), jvp=(_none, _none), same_dtype=(0, 1),
    dtypes=_INTEGERS_AND_FLOATS, expr="⌊{0} / {1}⌋", formulas=("0", "0"),
    doc="floordiv: f(x, y) = ⌊x / y⌋ (towards −∞);  no derivative (0 almost everywhere: None, "
        "as TensorFlow 1's FloorDiv)")

floormod = elementwise(
    "floormod", _floormod_impl,
    partials=(lambda out, a, b: 1, lambda out, a, b: -floordiv(a, b)),
    formulas=("1", "−⌊{0}/{1}⌋"), expr="{0} mod {1}",
    function="floormod", dtypes=_INTEGERS_AND_FLOATS,
    example=(">>> tg.floormod([-7.0, 7.5], 2.0).numpy()      # x % y: the sign of y\n"
             "    array([1. , 1.5], dtype=float32)"),
    doc="floormod: f(x, y) = x − y·⌊x/y⌋ (x % y, the sign of y);  ∂f/∂x = 1,  ∂f/∂y = −⌊x/y⌋  "
        "(away from the jumps where x/y is a whole number)")

truncatediv = structural(
    "truncatediv", _truncatediv_impl, vjp=(_none, _none), jvp=(_none, _none), same_dtype=(0, 1),
    dtypes=_INTEGERS_AND_FLOATS, expr="trunc({0} / {1})", formulas=("0", "0"),
    doc="truncatediv: f(x, y) = x / y rounded towards 0;  no derivative (None, as TensorFlow 1's "
        "TruncateDiv)")

truncatemod = structural(
    "truncatemod", _truncatemod_impl, vjp=(_no_gradient_defined("TruncateMod"),) * 2,
    jvp=(_no_gradient_defined("TruncateMod"),) * 2, same_dtype=(0, 1),
    dtypes=_INTEGERS_AND_FLOATS, expr="{0} rem {1}", formulas=("?", "?"),
    doc="truncatemod: f(x, y) = x − y·trunc(x/y) (the sign of x, C's %);  no gradient defined: "
        "asking for one is a LookupError, as in TensorFlow 1")
