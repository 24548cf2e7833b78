"""Every operation teachgrad can differentiate, each declared once.

An element-wise operation is its value (a NumPy function), its *local partial derivatives* — one per
input, the number ∂out/∂input at each element — and the human formula of each partial. The engine
turns the partials into both rules: reverse mode multiplies the incoming cotangent by them
(``x_bar = g · ∂f/∂x``), forward mode multiplies the tangents by them and adds
(``f_dot = Σ ∂f/∂x · x_dot``). The teaching graph prints the same formulas on its edges, so what a
student reads is what the engine computes.

The other operations (matmul, reductions, reshapes, indexing, convolution) are linear in each input,
so they declare a vector-Jacobian product per input (``vjp``) and either a Jacobian-vector product per
input (``jvp``) or ``linear=True`` (the tangent goes through the operation itself).

Formulas use ``{0}``, ``{1}`` for the inputs' names. A partial may return ``1`` or ``-1`` (plain
Python ints) so that the engine passes cotangents through without multiplying, or ``None`` for "no
derivative" (comparisons, masks).
"""

import operator

import numpy as np

from .errors import ShapeError
from .tensor import Primitive, Tensor, apply, as_tensor, binary_operator

REGISTRY = {}


def _register(prim):
    REGISTRY[prim.name] = prim
    return prim


def elementwise(name, impl, partials, formulas, expr, doc="", vjp=None, function=None,
                expression=False):
    """An element-wise op. ``vjp`` (optional, NumPy values only) computes ``g · ∂f/∂x`` with fewer
    passes over memory than multiplying by the partial; it must equal ``g * partial``.
    ``function`` is its public name (``tg.sin``); ``expression`` lets expression text call it."""
    return _register(Primitive(name, impl, partials=partials, formulas=formulas, expr=expr, doc=doc,
                               vjp=vjp, function=function, expression=expression))


def structural(name, impl, vjp, jvp=None, expr=None, formulas=None, linear=False, doc=""):
    return _register(Primitive(name, impl, vjp=vjp, jvp=jvp, expr=expr, formulas=formulas,
                               linear=linear, doc=doc))


def _quiet(fn):
    """NumPy's function with its floating-point warnings off: log(-1) is NaN, as in NumPy, silently."""
    def impl(*args):
        with np.errstate(all="ignore"):
            return fn(*args)
    impl.__name__ = fn.__name__
    return impl


def _is_tensor(x):
    return isinstance(x, Tensor)


# ------------------------------------------------------------------------------------------------
# Masks and signs: values used inside rules, never differentiated. On tensors they give constants.
# ------------------------------------------------------------------------------------------------

def _const_of(fn):
    def masked(*args):
        if any(_is_tensor(a) for a in args):
            return as_tensor(fn(*[a._value if _is_tensor(a) else a for a in args]))
        return fn(*args)
    return masked


_ge_mask = _const_of(lambda a, b: (a >= b).astype(np.result_type(a, b, np.float16)))
_sign = _const_of(np.sign)
_positive = _const_of(lambda x: (x > 0).astype(np.result_type(x, np.float16)))


def _times(fresh, g, scale=None):
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


# ------------------------------------------------------------------------------------------------
# Element-wise arithmetic
# ------------------------------------------------------------------------------------------------

add = elementwise(
    "add", operator.add,
    partials=(lambda out, a, b: 1, lambda out, a, b: 1),
    formulas=("1", "1"), expr="{0} + {1}",
    function="add", doc="add: f(a, b) = a + b;  ∂f/∂a = 1,  ∂f/∂b = 1")

sub = elementwise(
    "sub", operator.sub,
    partials=(lambda out, a, b: 1, lambda out, a, b: -1),
    formulas=("1", "−1"), expr="{0} − {1}",
    function="subtract", doc="sub: f(a, b) = a − b;  ∂f/∂a = 1,  ∂f/∂b = −1")

mul = elementwise(
    "mul", operator.mul,
    partials=(lambda out, a, b: b, lambda out, a, b: a),
    formulas=("{1}", "{0}"), expr="{0}·{1}",
    function="multiply", doc="mul: f(a, b) = a·b;  ∂f/∂a = b,  ∂f/∂b = a")

def _div_vjp_b(g, out, a, b):
    with np.errstate(all="ignore"):
        return _times(np.divide(out, b), g, -1.0)   # −g·(a/b)/b, in one buffer


div = elementwise(
    "div", _quiet(np.true_divide),
    partials=(lambda out, a, b: 1 / b, lambda out, a, b: -out / b),
    vjp=(lambda g, out, a, b: _quiet(np.true_divide)(g, b), _div_vjp_b),
    formulas=("1/{1}", "−{0}/{1}²"), expr="{0} / {1}",
    function="divide", doc="div: f(a, b) = a / b;  ∂f/∂a = 1/b,  ∂f/∂b = −a/b²")


def _pow_impl(a, b):
    with np.errstate(all="ignore"):
        if b.__class__ is not np.ndarray and a.__class__ is np.ndarray and a.dtype.kind == "f":
            # np.power with a float exponent is slow (≈40× for x**3 on negative x); these are
            # the same numbers, computed the fast way.
            if b == 2:
                return np.square(a)
            if b == 3:
                out = np.square(a)
                out *= a
                return out
            if b == 0.5:
                return np.sqrt(a)
            if b == 1:
                return a.copy()
            if b == -1:
                return np.reciprocal(a)
        if np.issubdtype(np.result_type(a, b), np.integer) and np.any(np.asarray(b) < 0):
            return np.power(np.asarray(a, dtype=float), b)  # 2 ** -1 is 0.5, not an error
        return np.power(a, b)


def _pow_vjp_a(g, out, a, b):
    """g · b·a^(b−1), the fast way for the common exponents."""
    if b.__class__ is not np.ndarray and a.__class__ is np.ndarray:
        with np.errstate(all="ignore"):
            if b == 2:
                return _times(np.multiply(a, 2.0), g)
            if b == 3:
                return _times(np.square(a), g, 3.0)
            if b == -1:
                return _times(np.square(out), g, -1.0)
            if b == 0.5:
                return _times(np.divide(0.5, out), g)
            if b == 1:
                return g
    return g * pow(a, b - 1) * b


def _pow_formula_a(names):
    x, p = names
    try:
        p_minus_1 = float(p) - 1
    except ValueError:
        return f"{p}·{x}^({p}−1)"
    p_minus_1 = int(p_minus_1) if p_minus_1 == int(p_minus_1) else round(p_minus_1, 6)
    if p_minus_1 == 0:
        return p
    if p_minus_1 == 1:
        return f"{p}·{x}"
    return f"{p}·{x}^{p_minus_1}"


pow = elementwise(
    "pow", _pow_impl,
    partials=(lambda out, a, b: b * pow(a, b - 1), lambda out, a, b: out * log(a)),
    vjp=(_pow_vjp_a, lambda g, out, a, b: g * out * log(a)),
    formulas=(_pow_formula_a, "{0}^{1}·ln {0}"), expr="{0}^{1}",
    function="pow", doc="pow: f(a, b) = a^b;  ∂f/∂a = b·a^(b−1),  ∂f/∂b = a^b·ln a")

neg = elementwise(
    "neg", operator.neg,
    partials=(lambda out, x: -1,), formulas=("−1",), expr="−{0}",
    function="negative", doc="neg: f(x) = −x;  ∂f/∂x = −1")

# --- transcendental functions ---

sin = elementwise(
    "sin", np.sin, partials=(lambda out, x: cos(x),), formulas=("cos({0})",), expr="sin({0})",
    vjp=(lambda g, out, x: _times(np.cos(x), g),),
    function="sin", expression=True, doc="sin: f(x) = sin x;  ∂f/∂x = cos x")

cos = elementwise(
    "cos", np.cos, partials=(lambda out, x: -sin(x),), formulas=("−sin({0})",), expr="cos({0})",
    vjp=(lambda g, out, x: _times(np.sin(x), g, -1.0),),
    function="cos", expression=True, doc="cos: f(x) = cos x;  ∂f/∂x = −sin x")

tan = elementwise(
    "tan", np.tan, partials=(lambda out, x: 1 + out * out,), formulas=("1 + tan²({0})",),
    expr="tan({0})", function="tan", expression=True, doc="tan: f(x) = tan x;  ∂f/∂x = 1 + tan² x")

exp = elementwise(
    "exp", _quiet(np.exp), partials=(lambda out, x: out,), formulas=("exp({0})",), expr="exp({0})",
    function="exp", expression=True, doc="exp: f(x) = eˣ;  ∂f/∂x = eˣ (the value itself)")

log = elementwise(
    "log", _quiet(np.log), partials=(lambda out, x: 1 / x,), formulas=("1/{0}",), expr="log({0})",
    vjp=(lambda g, out, x: _quiet(np.true_divide)(g, x),),
    function="log", expression=True, doc="log: f(x) = ln x;  ∂f/∂x = 1/x  (log of a negative number is NaN, as in NumPy)")

sqrt = elementwise(
    "sqrt", _quiet(np.sqrt), partials=(lambda out, x: 0.5 / out,), formulas=("1/(2·√{0})",),
    vjp=(lambda g, out, x: _times(_quiet(np.true_divide)(0.5, out), g),),
    expr="√{0}", function="sqrt", expression=True, doc="sqrt: f(x) = √x;  ∂f/∂x = 1/(2√x)  (infinite at x = 0)")

square = elementwise(
    "square", np.square, partials=(lambda out, x: 2 * x,), formulas=("2·{0}",), expr="{0}²",
    function="square", expression=True, doc="square: f(x) = x²;  ∂f/∂x = 2x")

abs = elementwise(
    "abs", np.abs, partials=(lambda out, x: _sign(x),), formulas=("sign({0})",), expr="|{0}|",
    function="abs", expression=True, doc="abs: f(x) = |x|;  ∂f/∂x = sign x  (0 at x = 0)")

sinh = elementwise(
    "sinh", _quiet(np.sinh), partials=(lambda out, x: cosh(x),), formulas=("cosh({0})",),
    vjp=(lambda g, out, x: _times(_quiet(np.cosh)(x), g),),
    expr="sinh({0})", function="sinh", expression=True, doc="sinh: f(x) = sinh x;  ∂f/∂x = cosh x")

cosh = elementwise(
    "cosh", _quiet(np.cosh), partials=(lambda out, x: sinh(x),), formulas=("sinh({0})",),
    vjp=(lambda g, out, x: _times(_quiet(np.sinh)(x), g),),
    expr="cosh({0})", function="cosh", expression=True, doc="cosh: f(x) = cosh x;  ∂f/∂x = sinh x")

tanh = elementwise(
    "tanh", np.tanh, partials=(lambda out, x: 1 - out * out,), formulas=("1 − tanh²({0})",),
    expr="tanh({0})", function="tanh", expression=True, doc="tanh: f(x) = tanh x;  ∂f/∂x = 1 − tanh² x")


def _sigmoid_impl(x):
    with np.errstate(over="ignore"):
        return 0.5 * (np.tanh(0.5 * x) + 1)  # the same as 1/(1+e^−x), without overflow


sigmoid = elementwise(
    "sigmoid", _sigmoid_impl, partials=(lambda out, x: out * (1 - out),),
    formulas=("σ({0})·(1 − σ({0}))",), expr="σ({0})",
    function="sigmoid", expression=True, doc="sigmoid: f(x) = 1/(1 + e^−x);  ∂f/∂x = f·(1 − f)")

relu = elementwise(
    "relu", lambda x: np.maximum(x, 0), partials=(lambda out, x: _positive(x),),
    formulas=("[{0} > 0]",), expr="relu({0})",
    function="relu", expression=True, doc="relu: f(x) = max(x, 0);  ∂f/∂x = 1 if x > 0 else 0  (0 at x = 0, as in TensorFlow)")

maximum = elementwise(
    "maximum", np.maximum,
    vjp=(lambda g, out, a, b: np.where(a >= b, g, 0.0), lambda g, out, a, b: np.where(a >= b, 0.0, g)),
    partials=(lambda out, a, b: _ge_mask(a, b), lambda out, a, b: 1 - _ge_mask(a, b)),
    formulas=("[{0} ≥ {1}]", "[{0} < {1}]"), expr="max({0}, {1})",
    function="maximum", expression=True, doc="maximum: f(a, b) = max(a, b);  ∂f/∂a = [a ≥ b],  ∂f/∂b = [a < b]  (a tie goes to a)")

minimum = elementwise(
    "minimum", np.minimum,
    vjp=(lambda g, out, a, b: np.where(a <= b, g, 0.0), lambda g, out, a, b: np.where(a <= b, 0.0, g)),
    partials=(lambda out, a, b: _ge_mask(b, a), lambda out, a, b: 1 - _ge_mask(b, a)),
    formulas=("[{0} ≤ {1}]", "[{0} > {1}]"), expr="min({0}, {1})",
    function="minimum", expression=True, doc="minimum: f(a, b) = min(a, b);  ∂f/∂a = [a ≤ b],  ∂f/∂b = [a > b]  (a tie goes to a)")

where = elementwise(
    "where", np.where,
    partials=(lambda out, c, a, b: None, lambda out, c, a, b: _as_float_mask(c),
              lambda out, c, a, b: 1 - _as_float_mask(c)),
    formulas=("0", "[{0}]", "[not {0}]"), expr="{1} if {0} else {2}",
    function="where", doc="where: f(c, a, b) = a where c else b;  ∂f/∂a = [c],  ∂f/∂b = [not c]")

_as_float_mask = _const_of(lambda c: np.asarray(c, dtype=bool).astype(np.float64))


# ------------------------------------------------------------------------------------------------
# Broadcasting, undone once here for every element-wise rule
# ------------------------------------------------------------------------------------------------

def _sum_to_impl(x, shape):
    """Sum ``x`` down to ``shape``: the adjoint of NumPy broadcasting."""
    if np.shape(x) == shape:
        return x
    lead = np.ndim(x) - len(shape)
    axes = tuple(range(lead)) + tuple(i + lead for i, n in enumerate(shape)
                                      if n == 1 and np.shape(x)[i + lead] != 1)
    return np.sum(x, axis=axes).reshape(shape)


def _broadcast_to_impl(x, shape):
    return np.broadcast_to(x, shape)


sum_to = structural(
    "sum_to", _sum_to_impl, linear=True,
    vjp=(lambda g, out, x, shape: broadcast_to(g, np.shape(x)),),
    expr="sum_to({0})", formulas=("sum over broadcast axes",),
    doc="sum_to: sums a broadcast cotangent back to the input's shape")

broadcast_to = structural(
    "broadcast_to", _broadcast_to_impl, linear=True,
    vjp=(lambda g, out, x, shape: sum_to(g, np.shape(x)),),
    expr="broadcast({0})", formulas=("copy along broadcast axes",),
    doc="broadcast_to: copies x along new axes")


# ------------------------------------------------------------------------------------------------
# Linear algebra
# ------------------------------------------------------------------------------------------------

def _check_matmul(a, b):
    sa, sb = np.shape(a), np.shape(b)
    if len(sa) == 0 or len(sb) == 0:
        raise ShapeError(f"matmul: shapes {sa} and {sb}: both operands need at least one "
                         "dimension (use * to multiply by a scalar)")
    inner_b = sb[-2] if len(sb) > 1 else sb[0]
    if sa[-1] != inner_b:
        raise ShapeError(f"matmul: shapes {sa} and {sb} do not fit: a.shape[-1] == b.shape[-2] "
                         f"is required ({sa[-1]} != {inner_b})")
    try:
        np.broadcast_shapes(sa[:-2], sb[:-2])
    except ValueError:
        raise ShapeError(f"matmul: shapes {sa} and {sb}: the batch dimensions {sa[:-2]} and "
                         f"{sb[:-2]} do not broadcast") from None


def _matmul_impl(a, b):
    _check_matmul(a, b)
    return np.matmul(a, b)


def _mT(x):
    return swapaxes(x, -1, -2) if np.ndim(x) > 1 else x


def _matmul_vjp_a(g, out, a, b):
    if np.ndim(b) == 1:  # out[..., i] = Σ_k a[..., i, k] b[k]
        g_a = reshape(g, np.shape(g) + (1,)) * b if np.ndim(a) > 1 else g * b
    elif np.ndim(a) == 1:  # out[..., j] = Σ_k a[k] b[..., k, j]
        g_a = matmul(reshape(g, np.shape(g)[:-1] + (1, np.shape(g)[-1])), _mT(b))
        g_a = reshape(g_a, np.shape(g_a)[:-2] + (np.shape(a)[0],))
    else:
        g_a = matmul(g, _mT(b))
    return sum_to(g_a, np.shape(a))


def _matmul_vjp_b(g, out, a, b):
    if np.ndim(a) == 1:
        g_b = reshape(a, (np.shape(a)[0], 1)) * reshape(g, np.shape(g)[:-1] + (1, np.shape(g)[-1])) \
            if np.ndim(b) > 1 else g * a
    elif np.ndim(b) == 1:
        g_b = matmul(_mT(a), reshape(g, np.shape(g) + (1,)))
        g_b = reshape(g_b, np.shape(g_b)[:-1])
    else:
        g_b = matmul(_mT(a), g)
    return sum_to(g_b, np.shape(b))


matmul = structural(
    "matmul", _matmul_impl,
    vjp=(_matmul_vjp_a, _matmul_vjp_b),
    jvp=(lambda a_dot, out, a, b: matmul(a_dot, b), lambda b_dot, out, a, b: matmul(a, b_dot)),
    expr="{0} @ {1}", formulas=("ḡ ↦ ḡ·{1}ᵀ", "ḡ ↦ {0}ᵀ·ḡ"),
    doc="matmul: f(A, B) = A·B;  vjp: Ā = Ḡ·Bᵀ,  B̄ = Aᵀ·Ḡ;  jvp: Ȧ·B + A·Ḃ")


def _swapaxes_impl(x, a1, a2):
    return np.swapaxes(x, a1, a2)


swapaxes = structural(
    "swapaxes", _swapaxes_impl, linear=True,
    vjp=(lambda g, out, x, a1, a2: swapaxes(g, a1, a2),),
    expr="swapaxes({0})", formulas=("swap the axes back",))


# ------------------------------------------------------------------------------------------------
# Reductions
# ------------------------------------------------------------------------------------------------

def _norm_axis(axis, ndim):
    if axis is None:
        return tuple(range(ndim))
    axes = (axis,) if np.ndim(axis) == 0 else tuple(axis)
    out = []
    for ax in axes:
        ax = int(ax)
        if not -ndim <= ax < max(ndim, 1):
            raise ShapeError(f"axis {ax} is out of range for a tensor with {ndim} dimension(s): "
                             f"expected an axis in [{-ndim}, {ndim - 1}]")
        out.append(ax % ndim if ndim else 0)
    return tuple(sorted(set(out)))


def _keep(g, x_shape, axis, keepdims):
    """Put back the reduced axes of ``g`` (as size 1) so it broadcasts against the input."""
    if keepdims or not x_shape:
        return g
    axes = _norm_axis(axis, len(x_shape))
    shape = tuple(1 if i in axes else n for i, n in enumerate(x_shape))
    return reshape(g, shape)


def _reduce_sum_impl(x, axis=None, keepdims=False):
    return np.sum(x, axis=_norm_axis(axis, np.ndim(x)) if axis is not None else None,
                  keepdims=keepdims)


reduce_sum = structural(
    "reduce_sum", _reduce_sum_impl, linear=True,
    vjp=(lambda g, out, x, axis=None, keepdims=False:
         broadcast_to(_keep(g, np.shape(x), axis, keepdims), np.shape(x)),),
    expr="Σ {0}", formulas=("1 (each element)",),
    doc="reduce_sum: f(x) = Σᵢ xᵢ;  ∂f/∂xᵢ = 1")


def _count(x_shape, axis):
    return int(np.prod([x_shape[i] for i in _norm_axis(axis, len(x_shape))]))


def _reduce_mean_impl(x, axis=None, keepdims=False):
    if np.size(x) == 0:
        raise ShapeError("reduce_mean of an empty tensor: expected at least one element")
    return np.mean(x, axis=_norm_axis(axis, np.ndim(x)) if axis is not None else None,
                   keepdims=keepdims)


reduce_mean = structural(
    "reduce_mean", _reduce_mean_impl, linear=True,
    vjp=(lambda g, out, x, axis=None, keepdims=False:
         broadcast_to(_keep(g, np.shape(x), axis, keepdims) / _count(np.shape(x), axis),
                      np.shape(x)),),
    expr="mean {0}", formulas=("1/n (each element)",),
    doc="reduce_mean: f(x) = (1/n) Σᵢ xᵢ;  ∂f/∂xᵢ = 1/n")


def _reduce_max_impl(x, axis=None, keepdims=False):
    if np.size(x) == 0:
        raise ShapeError("reduce_max of an empty tensor: expected at least one element")
    return np.max(x, axis=_norm_axis(axis, np.ndim(x)) if axis is not None else None,
                  keepdims=keepdims)


def _max_share(out, x, axis, keepdims):
    """Where x reaches its max: 1/(number of ties), as TensorFlow splits a tie."""
    hit = _ge_mask(x, _keep(out, np.shape(x), axis, keepdims))
    return hit / _keep(reduce_sum(hit, axis, keepdims), np.shape(x), axis, keepdims)


reduce_max = structural(
    "reduce_max", _reduce_max_impl,
    vjp=(lambda g, out, x, axis=None, keepdims=False:
         _keep(g, np.shape(x), axis, keepdims) * _max_share(out, x, axis, keepdims),),
    jvp=(lambda x_dot, out, x, axis=None, keepdims=False:
         reduce_sum(x_dot * _max_share(out, x, axis, keepdims), axis, keepdims),),
    expr="max {0}", formulas=("1 at the maximum, else 0",),
    doc="reduce_max: f(x) = maxᵢ xᵢ;  ∂f/∂xᵢ = 1 at the maximum (shared equally by ties), else 0")


# ------------------------------------------------------------------------------------------------
# Shapes and indexing
# ------------------------------------------------------------------------------------------------

def _reshape_impl(x, shape):
    try:
        return np.reshape(x, shape)
    except ValueError:
        raise ShapeError(f"reshape: cannot reshape a tensor of shape {np.shape(x)} "
                         f"({np.size(x)} elements) into {shape}: the number of elements must "
                         "stay the same") from None


reshape = structural(
    "reshape", _reshape_impl, linear=True,
    vjp=(lambda g, out, x, shape: reshape(g, np.shape(x)),),
    expr="reshape({0})", formulas=("reshape back",),
    doc="reshape: the same elements in a new shape; the cotangent is reshaped back")


def _transpose_impl(x, perm=None):
    if perm is not None and sorted(perm) != list(range(np.ndim(x))):
        raise ShapeError(f"transpose: perm {list(perm)} is not a permutation of the "
                         f"{np.ndim(x)} axes of a tensor of shape {np.shape(x)}")
    return np.transpose(x, perm)


transpose = structural(
    "transpose", _transpose_impl, linear=True,
    vjp=(lambda g, out, x, perm=None:
         transpose(g, None if perm is None else tuple(np.argsort(perm))),),
    expr="{0}ᵀ", formulas=("transpose back",),
    doc="transpose: permutes the axes; the cotangent is permuted back")


def _getitem_impl(x, index):
    return np.asarray(x)[index]


def _scatter_impl(g, index, shape):
    dtype = np.result_type(g)
    out = np.zeros(shape, dtype=dtype)
    np.add.at(out, index, g)  # adds repeated indices, unlike out[index] += g
    return out


getitem = structural(
    "getitem", _getitem_impl, linear=True,
    vjp=(lambda g, out, x, index: scatter(g, index, np.shape(x)),),
    expr="{0}[…]", formulas=("1 at the selected elements",),
    doc="getitem: x[index];  the cotangent lands on the selected elements (added where repeated)")

scatter = structural(
    "scatter", _scatter_impl, linear=True,
    vjp=(lambda g, out, x, index, shape: getitem(g, index),),
    expr="scatter({0})", formulas=("the selected elements",))


def _cast_impl(x, dtype):
    return np.asarray(x).astype(dtype)


def _cast_vjp(g, out, x, dtype):
    if not np.issubdtype(np.result_type(x), np.inexact) or not np.issubdtype(np.dtype(dtype),
                                                                           np.inexact):
        return None  # an integer cast has no derivative (TensorFlow returns None too)
    return cast(g, np.result_type(x))


cast = structural(
    "cast", _cast_impl, vjp=(_cast_vjp,),
    jvp=(lambda x_dot, out, x, dtype: cast(x_dot, dtype)
         if np.issubdtype(np.dtype(dtype), np.inexact) else None,),
    expr="cast({0})", formulas=("1",),
    doc="cast: the same values in another dtype; a cast to an integer stops the derivative")


def _concat_impl(*xs, axis=0):
    return np.concatenate(xs, axis=axis)


def _concat_part(i):
    def vjp(g, out, *xs, axis=0):
        sizes = [np.shape(x)[axis] for x in xs]
        start = sum(sizes[:i])
        index = [slice(None)] * np.ndim(out)
        index[axis] = slice(start, start + sizes[i])
        return getitem(g, tuple(index))
    return vjp


class _ConcatRules(tuple):
    """One vjp per input, for any number of inputs."""

    def __getitem__(self, i):
        return _concat_part(i)


concat = structural(
    "concat", _concat_impl, vjp=_ConcatRules(), linear=True,
    expr="concat(…)", formulas=_ConcatRules(),
    doc="concat: joins tensors along an axis; each input gets its slice of the cotangent")


# ------------------------------------------------------------------------------------------------
# Comparisons (not differentiable: they give constants)
# ------------------------------------------------------------------------------------------------

def _compare(fn):
    def compare(a, b):
        a_v = a._value if _is_tensor(a) else a
        b_v = b._value if _is_tensor(b) else b
        return as_tensor(fn(a_v, b_v))
    return compare


equal = _compare(np.equal)
not_equal = _compare(np.not_equal)
less = _compare(np.less)
less_equal = _compare(np.less_equal)
greater = _compare(np.greater)
greater_equal = _compare(np.greater_equal)


# ------------------------------------------------------------------------------------------------
# Operators on Tensor
# ------------------------------------------------------------------------------------------------

def _tensor_getitem(self, index):
    if isinstance(index, Tensor):
        index = index._value
    elif isinstance(index, tuple):
        index = tuple(i._value if isinstance(i, Tensor) else i for i in index)
    try:
        np.empty(self.shape, dtype=bool)[index]  # check the index against the shape
    except IndexError as e:
        raise IndexError(f"index {index!r} does not fit a tensor of shape {self.shape}: {e}") from None
    return apply(getitem, self, index=index)


def _binary(prim, fn):
    return binary_operator(prim, fn), binary_operator(prim, fn, reflected=True)


Tensor.__add__, Tensor.__radd__ = _binary(add, operator.add)
Tensor.__sub__, Tensor.__rsub__ = _binary(sub, operator.sub)
Tensor.__mul__, Tensor.__rmul__ = _binary(mul, operator.mul)
Tensor.__truediv__, Tensor.__rtruediv__ = _binary(div, div.impl)
Tensor.__pow__, Tensor.__rpow__ = _binary(pow, pow.impl)
Tensor.__matmul__, Tensor.__rmatmul__ = (lambda self, other: apply(matmul, self, other),
                                         lambda self, other: apply(matmul, other, self))
Tensor.__neg__ = lambda self: apply(neg, self)
Tensor.__pos__ = lambda self: self
Tensor.__abs__ = lambda self: apply(abs, self)
Tensor.__getitem__ = _tensor_getitem
Tensor.__eq__ = lambda self, other: equal(self, other)
Tensor.__ne__ = lambda self, other: not_equal(self, other)
Tensor.__lt__ = lambda self, other: less(self, other)
Tensor.__le__ = lambda self, other: less_equal(self, other)
Tensor.__gt__ = lambda self, other: greater(self, other)
Tensor.__ge__ = lambda self, other: greater_equal(self, other)
Tensor.T = property(lambda self: apply(transpose, self))
