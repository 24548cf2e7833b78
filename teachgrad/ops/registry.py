"""The op registry and the pieces every declaration uses.

``REGISTRY`` maps each primitive's name to it; :func:`elementwise` and :func:`structural` declare
and register one. The masks below are values used inside rules, never differentiated: on tensors
they give constants.
"""

import numpy as np

from ..primitive import Primitive
from ..tensor import Tensor, as_tensor

__all__ = ["REGISTRY", "register", "elementwise", "structural", "quiet", "is_tensor", "const_of",
           "ge_mask", "sign", "positive", "as_float_mask", "times"]

REGISTRY = {}


def register(prim):
    REGISTRY[prim.name] = prim
    return prim


def elementwise(name, impl, partials, formulas, expr, doc="", vjp=None, function=None,
                expression=False, example=None):
    """An element-wise op. ``vjp`` (optional, NumPy values only) computes ``g · ∂f/∂x`` with fewer
    passes over memory than multiplying by the partial; it must equal ``g * partial``.
    ``function`` is its public name (``tg.sin``); ``expression`` lets expression text call it."""
    return register(Primitive(name, impl, partials=partials, formulas=formulas, expr=expr, doc=doc,
                               vjp=vjp, function=function, expression=expression,
                              example=example))


def structural(name, impl, vjp, jvp=None, expr=None, formulas=None, linear=False, doc=""):
    """A structural op: a vector-Jacobian product per input, and a Jacobian-vector product per
    input (``jvp``) or ``linear=True`` (the tangent goes through the op itself)."""
    return register(Primitive(name, impl, vjp=vjp, jvp=jvp, expr=expr, formulas=formulas,
                              linear=linear, doc=doc))


def quiet(fn):
    """NumPy's function with its floating-point warnings off: log(-1) is NaN, as in NumPy, silently."""
    def impl(*args):
        with np.errstate(all="ignore"):
            return fn(*args)
    impl.__name__ = fn.__name__
    return impl


def is_tensor(x):
    return isinstance(x, Tensor)


# ------------------------------------------------------------------------------------------------
# Masks and signs: values used inside rules, never differentiated. On tensors they give constants.
# ------------------------------------------------------------------------------------------------

def const_of(fn):
    def masked(*args):
        if any(is_tensor(a) for a in args):
            return as_tensor(fn(*[a._value if is_tensor(a) else a for a in args]))
        return fn(*args)
    return masked


ge_mask = const_of(lambda a, b: (a >= b).astype(np.result_type(a, b, np.float16)))
sign = const_of(np.sign)
positive = const_of(lambda x: (x > 0).astype(np.result_type(x, np.float16)))


def times(fresh, g, scale=None):
    """``fresh · g (· scale)``, written into ``fresh`` (an array the rule just made) when it can."""
    if fresh.__class__ is np.ndarray and fresh.shape == np.shape(g) \
            and fresh.dtype == np.result_type(fresh, g):
        if g.__class__ is np.ndarray and not any(g.strides) and g.size:
            # g is one number broadcast (the cotangent of a sum): multiply by the number.
            number = g.flat[0] if scale is None else g.flat[0] * scale
            if number != 1:
                np.multiply(fresh, number, out=fresh)
            return fresh
        np.multiply(fresh, g, out=fresh)
        if scale is not None:
            np.multiply(fresh, scale, out=fresh)
        return fresh
    return fresh * g if scale is None else fresh * g * scale

as_float_mask = const_of(lambda c: np.asarray(c, dtype=bool).astype(np.float64))
