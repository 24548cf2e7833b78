"""teachgrad: automatic differentiation you can watch.

A small NumPy autodiff core with TensorFlow-1 names (``import teachgrad as tf`` runs the lecture's
code), plus the teaching model of the computation graph (``trace``), its pictures, widgets and plots.

>>> import teachgrad as tg
>>> a, b = tg.constant(2.0), tg.constant(1.0)
>>> e = (a + b) * (b + 1)
>>> [float(g) for g in tg.gradients(e, [a, b])]
[2.0, 5.0]
"""

from . import math, nn, ops, random
from .autodiff import grad, gradients, jvp, toposort, value_and_grad, vjp
from .errors import DTypeError, ExpressionError, ShapeError
from .functions import *  # noqa: F401,F403  (the TensorFlow-style functions)
from .functions import __all__ as _function_names
from .tensor import Tensor, Variable, constant

__version__ = "0.1.0"

float32, float64, int32, int64, bool_ = "float32", "float64", "int32", "int64", "bool"

__all__ = ["Tensor", "Variable", "constant", "gradients", "grad", "value_and_grad", "jvp", "vjp",
           "toposort", "ShapeError", "ExpressionError", "DTypeError", "math", "nn", "random",
           "trace", "Graph", "widgets", "plot", "practice", "float32", "float64", "int32", "int64",
           *_function_names]

# The teaching graph needs only NumPy; pictures (graphviz), widgets (ipywidgets) and plots
# (matplotlib) load on first use, so `import teachgrad` stays light.
_LAZY = {"trace": ("graph", "trace"), "Graph": ("graph", "Graph"),
         "widgets": ("widgets", None), "plot": ("plot", None), "render": ("render", None),
         "practice": ("practice", None)}


def __getattr__(name):
    if name in _LAZY:
        import importlib
        module_name, attr = _LAZY[name]
        module = importlib.import_module(f".{module_name}", __name__)
        return module if attr is None else getattr(module, attr)
    raise AttributeError(f"module 'teachgrad' has no attribute {name!r}")


def __dir__():
    return sorted(set(globals()) | set(_LAZY))
