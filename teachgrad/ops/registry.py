"""The op registry and the pieces every declaration uses.

``REGISTRY`` maps each primitive's name to it; :func:`elementwise` and :func:`structural` declare
and register one. The masks below are values used inside rules, never differentiated: on tensors
they give constants.
"""

import numpy as np

from ..primitive import Primitive, apply
from ..tensor import Tensor, np_dtype

__all__ = ["REGISTRY", "register", "elementwise", "structural", "quiet", "is_tensor", "const_of",
           "ge_mask", "sign", "positive", "as_float_mask", "times", "dtype_of"]

REGISTRY = {}


def register(prim):
    REGISTRY[prim.name] = prim
    return prim


def elementwise(name, impl, partials, formulas, expr, doc="", vjp=None, function=None,
                expression=False, example=None, **options):
    """An element-wise op. ``vjp`` (optional, NumPy values only) computes ``g · ∂f/∂x`` with fewer
    passes over memory than multiplying by the partial; it must equal ``g * partial``.
    ``function`` is its public name (``tg.sin``); ``expression`` lets expression text call it."""
    return register(Primitive(name, impl, partials=partials, formulas=formulas, expr=expr, doc=doc,
                               vjp=vjp, function=function, expression=expression,
                              example=example, **options))


def structural(name, impl, vjp, jvp=None, expr=None, formulas=None, linear=False, doc="",
               **options):
    """A structural op: a vector-Jacobian product per input, and a Jacobian-vector product per
    input (``jvp``) or ``linear=True`` (the tangent goes through the op itself). ``options`` are
    the other :class:`Primitive` settings (``same_dtype``, ``stateful``, ``infer``, ``run``,
    ``function``)."""
    return register(Primitive(name, impl, vjp=vjp, jvp=jvp, expr=expr, formulas=formulas,
                              linear=linear, doc=doc, **options))


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
# Masks and signs: values used inside rules, never differentiated. On tensors they are ops of
# their own with no derivative, so a recorded rule works on tensors without values too.
# ------------------------------------------------------------------------------------------------

def const_of(name, fn, n_inputs=1):
    prim = structural(name, fn, vjp=(lambda g, out, *args: None,) * n_inputs,
                      jvp=(lambda x_dot, out, *args: None,) * n_inputs,
                      expr=name + "(…)", doc=f"{name}: a mask used inside derivative rules")

    def masked(*args):
        if any(is_tensor(a) for a in args):
            return apply(prim, *args)
        return fn(*args)
    return masked


def dtype_of(x):
    """The NumPy dtype of a tensor, array or number."""
    return np_dtype(x) if is_tensor(x) else np.result_type(x)


ge_mask = const_of("ge_mask", lambda a, b: (a >= b).astype(np.result_type(a, b, np.float16)), 2)
sign = const_of("sign_mask", np.sign)
positive = const_of("positive_mask", lambda x: (x > 0).astype(np.result_type(x, np.float16)))


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

as_float_mask = const_of("where_mask", lambda c, like: np.asarray(c, dtype=bool).astype(
    np.result_type(like)), 2)
