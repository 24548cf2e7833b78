"""The op registry and the pieces every declaration uses.

``REGISTRY`` maps each primitive's name to it; :func:`elementwise` and :func:`structural` declare
and register one. The masks below are values used inside rules, never differentiated: on tensors
they give constants.
"""

import numpy as np

from ..core.primitive import Primitive, apply
from ..core.tensor import Tensor, np_dtype

__all__ = ["REGISTRY", "BUILT_IN", "register", "elementwise", "structural", "quiet", "is_tensor", "const_of",
           "ge_mask", "sign", "positive", "as_float_mask", "times", "dtype_of", "FLOATING",
           "REAL_FLOATING"]

REGISTRY = {}

# The dtypes TensorFlow 1's ops accept, as its messages list them (a Primitive's ``dtypes``): its
# parameter's name, the NumPy kinds allowed, and TensorFlow's list. sin of an int32 tensor is a
# TypeError there, not a float64 result.
FLOATING = ("x", "fc", "bfloat16, float16, float32, float64, complex64, complex128")
REAL_FLOATING = ("x", "f", "bfloat16, float16, float32, float64")


def register(prim):
    REGISTRY[prim.name] = prim
    return prim


# The names of teachgrad's own ops, filled once ``teachgrad.ops`` has declared them all: a user's
# declaration may not take one of these names (the public functions and expression text hold them).
BUILT_IN = set()


def elementwise(name, impl, partials, formulas, expr=None, doc="", vjp=None, function=None,
                expression=False, example=None, **options):
    """Declare an element-wise op — the one declaration every element-wise op of teachgrad has
    (``ops/elementwise.py``), and the way to add your own (as ``tg.ops.elementwise``).

    ``impl(*inputs)`` computes the value from NumPy arrays. ``partials`` holds one function per
    input, ``partial(out, *inputs)``: the local partial derivative ∂out/∂input element by element
    (``out`` is the op's value). The engine multiplies cotangents by them in reverse mode and
    tangents in forward mode, so one declaration gives both. ``formulas`` is the text of each
    partial drawn on the graph's edges, ``{0}``, ``{1}`` standing for the inputs' names; ``expr``
    the node's text (default ``name({0})``). Write partials with teachgrad functions
    (``tg.sigmoid(x)``, not ``np.exp``): they then also work on a Session's placeholders and
    when a gradient is differentiated again. Returns the op: call it on tensors.

    >>> import teachgrad as tg
    >>> cube = tg.ops.elementwise("cube", lambda x: x ** 3,
    ...                           partials=(lambda out, x: 3 * x ** 2,), formulas=("3·{0}²",))
    >>> x = tg.constant(2.0)
    >>> tg.gradients(cube(x), x)[0].numpy()
    array(12., dtype=float32)
    >>> tg.trace(lambda x: cube(x), x=2.0).edge("x", "a")
    <Edge x -> a: ∂a/∂x = 3·x² = 12>

    ``vjp`` (optional, NumPy values only) computes ``g · ∂f/∂x`` with fewer passes over memory
    than multiplying by the partial; it must equal ``g * partial``. ``function`` (``tg.sin``) and
    ``expression`` (expression text may call it) take effect for teachgrad's own ops, declared
    before ``import teachgrad`` finishes; a user's op is called from Python and is not added to
    ``REGISTRY`` (which lists teachgrad's own ops).
    """
    if name in BUILT_IN:
        raise ValueError(f"{name!r} is one of teachgrad's own ops: give yours another name, "
                         f"e.g. 'my_{name}'")
    partials, formulas = tuple(partials), tuple(formulas)
    if not partials or len(formulas) != len(partials) or not all(map(callable, partials)):
        raise ValueError(f"{name}: expected one partial function and one formula per input, got "
                         f"{len(partials)} partials and {len(formulas)} formulas")
    if expr is None:
        expr = f"{name}(" + ", ".join(f"{{{i}}}" for i in range(len(partials))) + ")"
    prim = Primitive(name, impl, partials=partials, formulas=formulas, expr=expr, doc=doc,
                     vjp=vjp, function=function, expression=expression, example=example, **options)
    # REGISTRY lists teachgrad's own ops; a user's op is a value of its own, left out of it.
    return prim if BUILT_IN else register(prim)


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

def _zeros_of_input(g, out, x):
    return REGISTRY["zeros_like"](x)


def const_of(name, fn, n_inputs=1, zeros=False):
    """A mask as an op with no derivative: none flows back through it (``None``), or with
    ``zeros=True`` a derivative of zeros, as TensorFlow 1 gives its own masks' ops (Sign, and the
    ReluGrad inside relu's derivative): ``tf.gradients`` of relu's derivative is zeros there."""
    vjp = (_zeros_of_input,) if zeros else (lambda g, out, *args: None,) * n_inputs
    prim = structural(name, fn, vjp=vjp, jvp=(lambda x_dot, out, *args: None,) * n_inputs,
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
sign = const_of("sign_mask", np.sign, zeros=True)
positive = const_of("positive_mask", lambda x: (x > 0).astype(np.result_type(x, np.float16)),
                    zeros=True)


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
