"""Element-wise functions that losses and activations need beside the basic ones: ``log1p`` and
``softplus``, each accurate where the naive formula loses digits (``log(1 + x)`` for tiny x,
``log(1 + eˣ)`` for large x).
"""

import numpy as np

from .elementwise import sigmoid
from .registry import FLOATING, elementwise, quiet

__all__ = ["log1p", "softplus"]

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


