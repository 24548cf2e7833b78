"""Element-wise functions that losses and activations need beside the basic ones: ``log1p``,
``expm1`` and ``softplus``, each accurate where the naive formula loses digits (``log(1 + x)``
for tiny x, ``log(1 + eˣ)`` for large x); ``rsqrt`` and ``reciprocal``; the activations ``elu``,
``selu``, ``relu6`` and ``softsign``, with TensorFlow's derivatives at their kinks.
"""

import numpy as np

from .elementwise import abs as absolute, sigmoid
from .registry import FLOATING, const_of, elementwise, quiet

__all__ = ["log1p", "softplus", "expm1", "rsqrt", "reciprocal", "elu", "selu", "relu6",
           "softsign"]

log1p = elementwise(
    "log1p", quiet(np.log1p), partials=(lambda out, x: 1 / (1 + x),), formulas=("1/(1 + {0})",),
    expr="log1p({0})",
    function="log1p", dtypes=FLOATING,
    example=(">>> tg.log1p([0.0, 1e-10]).numpy()   # exact for tiny x, where log(1 + x) is 0\n"
             "    array([0.e+00, 1.e-10], dtype=float32)"),
    expression=True,
    doc="log1p: f(x) = ln(1 + x);  ∂f/∂x = 1/(1 + x)")


def _softplus_impl(x):
    # max(x, 0) + log1p(e^−|x|): the same as log(1 + eˣ), without overflow for large x.
    with np.errstate(over="ignore"):
        return np.maximum(x, 0) + np.log1p(np.exp(-np.abs(x)))


softplus = elementwise(
    "softplus", _softplus_impl, partials=(lambda out, x: sigmoid(x),), formulas=("σ({0})",),
    expr="softplus({0})",
    function="softplus", dtypes=("features", "f", "float16, bfloat16, float32, float64"),
    example=(">>> tg.softplus([0.0, 100.0]).numpy()\n"
             "    array([  0.6931472, 100.       ], dtype=float32)"),
    expression=True,
    doc="softplus: f(x) = ln(1 + eˣ);  ∂f/∂x = σ(x) = 1/(1 + e^−x)")



expm1 = elementwise(
    "expm1", quiet(np.expm1), partials=(lambda out, x: out + 1,), formulas=("exp({0})",),
    expr="expm1({0})",
    function="expm1", dtypes=FLOATING,
    example=(">>> tg.expm1([0.0, 1e-10]).numpy()   # exact for tiny x, where exp(x) − 1 is 0\n"
             "    array([0.e+00, 1.e-10], dtype=float32)"),
    expression=True,
    doc="expm1: f(x) = eˣ − 1;  ∂f/∂x = eˣ")

rsqrt = elementwise(
    "rsqrt", quiet(lambda x: 1 / np.sqrt(x)), partials=(lambda out, x: -0.5 * out * out * out,),
    formulas=("−1/(2·{0}^1.5)",), expr="1/√{0}",
    function="rsqrt", dtypes=FLOATING,
    example=(">>> tg.rsqrt([4.0, 0.25]).numpy()\n"
             "    array([0.5, 2. ], dtype=float32)"),
    expression=True,
    doc="rsqrt: f(x) = 1/√x;  ∂f/∂x = −1/(2·x^1.5)")

reciprocal = elementwise(
    "reciprocal", quiet(np.reciprocal), partials=(lambda out, x: -out * out,),
    formulas=("−1/{0}²",), expr="1/{0}",
    function="reciprocal", dtypes=FLOATING,
    example=(">>> tg.reciprocal([4.0, -0.5]).numpy()\n"
             "    array([ 0.25, -2.  ], dtype=float32)"),
    expression=True,
    doc="reciprocal: f(x) = 1/x;  ∂f/∂x = −1/x²")


below = const_of("negative_mask", lambda x: (x < 0).astype(np.result_type(x, np.float16)))


def _elu_impl(x):
    # (x itself where x ≥ 0, as TensorFlow 1's kernel: elu(−0.0) is −0.0)
    return np.where(x >= 0, x, np.expm1(np.minimum(x, 0)))


elu = elementwise(
    "elu", _elu_impl, partials=(lambda out, x: 1 - below(out) + below(out) * (out + 1),),
    formulas=("1 if {0} ≥ 0 else e^{0}",), expr="elu({0})",
    function="elu", dtypes=FLOATING,
    example=(">>> tg.elu([-1.0, 0.0, 2.0]).numpy()\n"
             "    array([-0.63212055,  0.        ,  2.        ], dtype=float32)"),
    expression=True,
    doc="elu: f(x) = x if x > 0 else eˣ − 1;  ∂f/∂x = 1 if x ≥ 0 else eˣ  (as TensorFlow: "
        "from the value, 1 where it is not negative)")

SELU_ALPHA, SELU_SCALE = 1.6732632423543772848170429916717, 1.0507009873554804934193349852946


def _selu_impl(x):
    return SELU_SCALE * np.where(x >= 0, x, SELU_ALPHA * np.expm1(np.minimum(x, 0)))


selu = elementwise(
    "selu", _selu_impl,
    partials=(lambda out, x: (1 - below(out)) * SELU_SCALE
              + below(out) * (out + SELU_SCALE * SELU_ALPHA),),
    formulas=("λ if {0} ≥ 0 else λ·α·e^{0}",), expr="selu({0})",
    function="selu", dtypes=FLOATING,
    example=(">>> tg.selu([-1.0, 2.0]).numpy()   # λ = 1.0507, α = 1.6733\n"
             "    array([-1.1113307,  2.101402 ], dtype=float32)"),
    expression=True,
    doc="selu: f(x) = λ·x if x > 0 else λ·α·(eˣ − 1), λ = 1.0507…, α = 1.6733…;  "
        "∂f/∂x = λ if x ≥ 0 else λ·α·eˣ")

inside = const_of("inside_mask", lambda x: ((x > 0) & (x < 6)).astype(np.result_type(x, np.float16)))

relu6 = elementwise(
    "relu6", lambda x: np.minimum(np.maximum(0, x), 6), partials=(lambda out, x: inside(x),),
    formulas=("[0 < {0} < 6]",), expr="relu6({0})",
    function="relu6",
    example=(">>> tg.relu6([-1.0, 3.0, 8.0]).numpy()\n"
             "    array([0., 3., 6.], dtype=float32)"),
    expression=True,
    doc="relu6: f(x) = min(max(x, 0), 6);  ∂f/∂x = 1 if 0 < x < 6 else 0  (0 at both kinks, as "
        "in TensorFlow)")

softsign = elementwise(
    "softsign", lambda x: x / (1 + np.abs(x)),
    partials=(lambda out, x: (1 - absolute(out)) * (1 - absolute(out)),),
    formulas=("1/(1 + |{0}|)²",), expr="softsign({0})",
    function="softsign", dtypes=FLOATING,
    example=(">>> tg.softsign([-3.0, 1.0]).numpy()\n"
             "    array([-0.75,  0.5 ], dtype=float32)"),
    expression=True,
    doc="softsign: f(x) = x/(1 + |x|);  ∂f/∂x = 1/(1 + |x|)²")
