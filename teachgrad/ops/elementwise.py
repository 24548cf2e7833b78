"""Element-wise operations: each one value, one local partial per input, one formula per partial.

The engine multiplies cotangents by the partials (reverse mode) and tangents by them (forward
mode); the teaching graph prints the formulas on its edges.
"""

import operator

import numpy as np

from ..errors import InvalidArgumentError
from .registry import FLOATING, as_float_mask, elementwise, ge_mask, positive, quiet, sign, times

# ------------------------------------------------------------------------------------------------
# Element-wise arithmetic
# ------------------------------------------------------------------------------------------------

add = elementwise(
    "add", operator.add,
    partials=(lambda out, a, b: 1, lambda out, a, b: 1),
    formulas=("1", "1"), expr="{0} + {1}",
    function="add",
    example=(">>> tg.add([1.0, 2.0], 10.0).numpy()\n"
             "    array([11., 12.], dtype=float32)"),
    doc="add: f(a, b) = a + b;  ∂f/∂a = 1,  ∂f/∂b = 1")

sub = elementwise(
    "sub", operator.sub,
    partials=(lambda out, a, b: 1, lambda out, a, b: -1),
    formulas=("1", "−1"), expr="{0} − {1}",
    function="subtract",
    example=(">>> tg.subtract(3.0, 1.0).numpy()\n"
             "    array(2., dtype=float32)"),
    doc="sub: f(a, b) = a − b;  ∂f/∂a = 1,  ∂f/∂b = −1")

mul = elementwise(
    "mul", operator.mul,
    partials=(lambda out, a, b: b, lambda out, a, b: a),
    formulas=("{1}", "{0}"), expr="{0}·{1}",
    function="multiply",
    example=(">>> tg.multiply([[1.0], [2.0]], [1.0, 10.0]).numpy()  # broadcasting\n"
             "    array([[ 1., 10.],\n"
             "           [ 2., 20.]], dtype=float32)"),
    doc="mul: f(a, b) = a·b;  ∂f/∂a = b,  ∂f/∂b = a")

def _div_vjp_b(g, out, a, b):
    with np.errstate(all="ignore"):
        return times(np.divide(out, b), g, -1.0)   # −g·(a/b)/b, in one buffer


div = elementwise(
    "div", quiet(np.true_divide),
    partials=(lambda out, a, b: 1 / b, lambda out, a, b: -out / b),
    vjp=(lambda g, out, a, b: quiet(np.true_divide)(g, b), _div_vjp_b),
    formulas=("1/{1}", "−{0}/{1}²"), expr="{0} / {1}",
    function="divide",
    example=(">>> tg.divide(1.0, 4.0).numpy()\n"
             "    array(0.25, dtype=float32)"),
    doc="div: f(a, b) = a / b;  ∂f/∂a = 1/b,  ∂f/∂b = −a/b²")


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
            # (NumPy raises ValueError; TensorFlow 1's Pow kernel refuses the same way)
            raise InvalidArgumentError(None, None, "Integers to negative integer powers are not "
                                       "allowed: use floats (2.0 ** -1) or tg.cast")
        return np.power(a, b)


def _pow_vjp_a(g, out, a, b):
    """g · b·a^(b−1), the fast way for the common exponents."""
    if b.__class__ is not np.ndarray and a.__class__ is np.ndarray:
        with np.errstate(all="ignore"):
            if b == 2:
                return times(np.multiply(a, 2.0), g)
            if b == 3:
                return times(np.square(a), g, 3.0)
            if b == -1:
                return times(np.square(out), g, -1.0)
            if b == 0.5:
                return times(np.divide(0.5, out), g)
            if b == 1:
                return g
    return g * pow(a, b - 1) * b


def _log_where_positive(x):
    """ln x where x > 0, else 0: TensorFlow 1's gradient of x^p with respect to p masks the
    logarithm this way (a^p·ln a has no real value for a < 0, and 0^p·ln 0 would be 0·(−∞))."""
    positive_x = x > 0
    return where(positive_x, log(where(positive_x, x, 1)), 0)


_SUPERSCRIPT = str.maketrans("0123456789-", "⁰¹²³⁴⁵⁶⁷⁸⁹⁻")


def _exponent(text):
    """The exponent's text as a number, or None (a name, an expression)."""
    try:
        return float(text.replace("−", "-"))
    except ValueError:
        return None


def power_text(base, exponent):
    """``x²``, ``x⁻¹`` for a whole-number exponent (as the prose writes them), else ``x^0.5``,
    ``x^y``.

    >>> power_text("x", "2"), power_text("x", "−1"), power_text("y", "0.5"), power_text("x", "y")
    ('x²', 'x⁻¹', 'y^0.5', 'x^y')
    """
    p = _exponent(exponent)
    if p is not None and p == int(p) and abs(p) < 1000:
        return base + str(int(p)).translate(_SUPERSCRIPT)
    return f"{base}^{exponent}"


def _pow_formula_a(names):
    x, p = names
    value = _exponent(p)
    if value is None:
        return f"{p}·{x}^({p}−1)"
    p_minus_1 = int(value - 1) if value - 1 == int(value - 1) else round(value - 1, 6)
    if p_minus_1 == 0:
        return p
    if p_minus_1 == 1:
        return f"{p}·{x}"
    return f"{p}·" + power_text(x, str(p_minus_1).replace("-", "−"))


def _pow_expr(names):
    return power_text(*names)


pow = elementwise(
    "pow", _pow_impl,
    partials=(lambda out, a, b: b * pow(a, b - 1),
              lambda out, a, b: out * _log_where_positive(a)),
    vjp=(_pow_vjp_a, lambda g, out, a, b: g * out * _log_where_positive(a)),
    formulas=(_pow_formula_a, lambda names: power_text(*names) + f"·ln {names[0]}"),
    expr=_pow_expr,
    function="pow",
    example=(">>> tg.pow(2.0, 10).numpy()\n"
             "    array(1024., dtype=float32)"),
    doc="pow: f(a, b) = a^b;  ∂f/∂a = b·a^(b−1),  ∂f/∂b = a^b·ln a  (0 where a ≤ 0, as "
        "TensorFlow 1 masks ln a; an integer to a negative integer power is an error, as there)")

neg = elementwise(
    "neg", operator.neg,
    partials=(lambda out, x: -1,), formulas=("−1",), expr="−{0}",
    function="negative",
    example=(">>> tg.negative(2.0).numpy()\n"
             "    array(-2., dtype=float32)"),
    doc="neg: f(x) = −x;  ∂f/∂x = −1")

# --- transcendental functions ---

sin = elementwise(
    "sin", np.sin, partials=(lambda out, x: cos(x),), formulas=("cos({0})",), expr="sin({0})",
    vjp=(lambda g, out, x: times(np.cos(x), g),),
    function="sin", dtypes=FLOATING,
    example=(">>> tg.sin([0.0, 1.5707963267948966]).numpy()\n"
             "    array([0., 1.], dtype=float32)"),
    expression=True,
    doc="sin: f(x) = sin x;  ∂f/∂x = cos x")

cos = elementwise(
    "cos", np.cos, partials=(lambda out, x: -sin(x),), formulas=("−sin({0})",), expr="cos({0})",
    vjp=(lambda g, out, x: times(np.sin(x), g, -1.0),),
    function="cos", dtypes=FLOATING,
    example=(">>> tg.cos(0.0).numpy()\n"
             "    array(1., dtype=float32)"),
    expression=True,
    doc="cos: f(x) = cos x;  ∂f/∂x = −sin x")

tan = elementwise(
    "tan", np.tan, partials=(lambda out, x: 1 + out * out,), formulas=("1 + tan²({0})",),
    expr="tan({0})",
    function="tan", dtypes=FLOATING,
    example=(">>> tg.tan(0.0).numpy()\n"
             "    array(0., dtype=float32)"),
    expression=True,
    doc="tan: f(x) = tan x;  ∂f/∂x = 1 + tan² x")

exp = elementwise(
    "exp", quiet(np.exp), partials=(lambda out, x: out,), formulas=("exp({0})",), expr="exp({0})",
    function="exp", dtypes=FLOATING,
    example=(">>> tg.exp([0.0, 1.0]).numpy()\n"
             "    array([1.      , 2.718282], dtype=float32)"),
    expression=True,
    doc="exp: f(x) = eˣ;  ∂f/∂x = eˣ (the value itself)")

log = elementwise(
    "log", quiet(np.log), partials=(lambda out, x: 1 / x,), formulas=("1/{0}",), expr="log({0})",
    vjp=(lambda g, out, x: quiet(np.true_divide)(g, x),),
    function="log", dtypes=FLOATING,
    example=(">>> tg.log([1.0, -1.0]).numpy()   # NaN for a negative number, as NumPy\n"
             "    array([ 0., nan], dtype=float32)"),
    expression=True,
    doc="log: f(x) = ln x;  ∂f/∂x = 1/x  (log of a negative number is NaN, as in NumPy)")

sqrt = elementwise(
    "sqrt", quiet(np.sqrt), partials=(lambda out, x: 0.5 / out,), formulas=("1/(2·√{0})",),
    vjp=(lambda g, out, x: times(quiet(np.true_divide)(0.5, out), g),),
    expr="√{0}",
    function="sqrt", dtypes=FLOATING,
    example=(">>> tg.sqrt([4.0, 9.0]).numpy()\n"
             "    array([2., 3.], dtype=float32)"),
    expression=True,
    doc="sqrt: f(x) = √x;  ∂f/∂x = 1/(2√x)  (infinite at x = 0)")

square = elementwise(
    "square", np.square, partials=(lambda out, x: 2 * x,), formulas=("2·{0}",), expr="{0}²",
    function="square",
    example=(">>> tg.square([-3.0, 2.0]).numpy()\n"
             "    array([9., 4.], dtype=float32)"),
    expression=True,
    doc="square: f(x) = x²;  ∂f/∂x = 2x")

abs = elementwise(
    "abs", np.abs, partials=(lambda out, x: sign(x),), formulas=("sign({0})",), expr="|{0}|",
    function="abs",
    example=(">>> tg.abs([-3.0, 2.0]).numpy()\n"
             "    array([3., 2.], dtype=float32)"),
    expression=True,
    doc="abs: f(x) = |x|;  ∂f/∂x = sign x  (0 at x = 0)")

sinh = elementwise(
    "sinh", quiet(np.sinh), partials=(lambda out, x: cosh(x),), formulas=("cosh({0})",),
    vjp=(lambda g, out, x: times(quiet(np.cosh)(x), g),),
    expr="sinh({0})",
    function="sinh", dtypes=FLOATING,
    example=(">>> tg.sinh(0.0).numpy()\n"
             "    array(0., dtype=float32)"),
    expression=True,
    doc="sinh: f(x) = sinh x;  ∂f/∂x = cosh x")

cosh = elementwise(
    "cosh", quiet(np.cosh), partials=(lambda out, x: sinh(x),), formulas=("sinh({0})",),
    vjp=(lambda g, out, x: times(quiet(np.sinh)(x), g),),
    expr="cosh({0})",
    function="cosh", dtypes=FLOATING,
    example=(">>> tg.cosh(0.0).numpy()\n"
             "    array(1., dtype=float32)"),
    expression=True,
    doc="cosh: f(x) = cosh x;  ∂f/∂x = sinh x")

tanh = elementwise(
    "tanh", np.tanh, partials=(lambda out, x: 1 - out * out,), formulas=("1 − tanh²({0})",),
    expr="tanh({0})",
    function="tanh", dtypes=FLOATING,
    example=(">>> tg.tanh(0.0).numpy()\n"
             "    array(0., dtype=float32)"),
    expression=True,
    doc="tanh: f(x) = tanh x;  ∂f/∂x = 1 − tanh² x")


atan = elementwise(
    "atan", np.arctan, partials=(lambda out, x: 1 / (1 + x * x),), formulas=("1/(1 + {0}²)",),
    expr="atan({0})",
    function="atan", dtypes=FLOATING,
    example=(">>> tg.atan([0.0, 1.0]).numpy()\n"
             "    array([0.       , 0.7853982], dtype=float32)"),
    expression=True,
    doc="atan: f(x) = arctan x;  ∂f/∂x = 1/(1 + x²)")

def _sigmoid_impl(x):
    with np.errstate(over="ignore"):
        return 0.5 * (np.tanh(0.5 * x) + 1)  # the same as 1/(1+e^−x), without overflow


sigmoid = elementwise(
    "sigmoid", _sigmoid_impl, partials=(lambda out, x: out * (1 - out),),
    formulas=("σ({0})·(1 − σ({0}))",), expr="σ({0})",
    function="sigmoid", dtypes=FLOATING,
    example=(">>> tg.sigmoid(0.0).numpy()\n"
             "    array(0.5, dtype=float32)"),
    expression=True,
    doc="sigmoid: f(x) = 1/(1 + e^−x);  ∂f/∂x = f·(1 − f)")

relu = elementwise(
    "relu", lambda x: np.maximum(0, x), partials=(lambda out, x: positive(x),),
    formulas=("[{0} > 0]",), expr="relu({0})",
    function="relu",
    example=(">>> tg.relu([-1.0, 0.0, 2.0]).numpy()\n"
             "    array([0., 0., 2.], dtype=float32)"),
    expression=True,
    doc="relu: f(x) = max(x, 0);  ∂f/∂x = 1 if x > 0 else 0  (0 at x = 0, as in TensorFlow)")

maximum = elementwise(
    "maximum", np.maximum,
    vjp=(lambda g, out, a, b: np.where(a >= b, g, 0.0), lambda g, out, a, b: np.where(a >= b, 0.0, g)),
    partials=(lambda out, a, b: ge_mask(a, b), lambda out, a, b: 1 - ge_mask(a, b)),
    formulas=("[{0} ≥ {1}]", "[{0} < {1}]"), expr="max({0}, {1})",
    function="maximum",
    example=(">>> tg.maximum(0.0, [-1.0, 2.0]).numpy()\n"
             "    array([0., 2.], dtype=float32)\n"
             "    >>> x = tg.constant(1.0); tg.gradients(tg.maximum(x, 1.0), x)[0].numpy()  # a tie: to x\n"
             "    array(1., dtype=float32)"),
    expression=True,
    doc="maximum: f(a, b) = max(a, b);  ∂f/∂a = [a ≥ b],  ∂f/∂b = [a < b]  (a tie goes to a)")

minimum = elementwise(
    "minimum", np.minimum,
    vjp=(lambda g, out, a, b: np.where(a <= b, g, 0.0), lambda g, out, a, b: np.where(a <= b, 0.0, g)),
    partials=(lambda out, a, b: ge_mask(b, a), lambda out, a, b: 1 - ge_mask(b, a)),
    formulas=("[{0} ≤ {1}]", "[{0} > {1}]"), expr="min({0}, {1})",
    function="minimum",
    example=(">>> tg.minimum(0.0, [-1.0, 2.0]).numpy()\n"
             "    array([-1.,  0.], dtype=float32)"),
    expression=True,
    doc="minimum: f(a, b) = min(a, b);  ∂f/∂a = [a ≤ b],  ∂f/∂b = [a > b]  (a tie goes to a)")

where = elementwise(
    "where", np.where,
    partials=(lambda out, c, a, b: None, lambda out, c, a, b: as_float_mask(c, out),
              lambda out, c, a, b: 1 - as_float_mask(c, out)),
    formulas=("0", "[{0}]", "[not {0}]"), expr="{1} if {0} else {2}",
    function="where", same_dtype=(1, 2),
    doc="where: f(c, a, b) = a where c else b;  ∂f/∂a = [c],  ∂f/∂b = [not c]")

