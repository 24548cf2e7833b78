"""teachgrad: automatic differentiation you can watch.

A small NumPy autodiff core with TensorFlow-1 names (``import teachgrad as tf`` runs the lecture's
code), plus the teaching model of the computation graph (``trace``), its pictures, widgets and plots.

>>> import teachgrad as tg
>>> a, b = tg.constant(2.0), tg.constant(1.0)
>>> e = (a + b) * (b + 1)
>>> [float(g) for g in tg.gradients(e, [a, b])]
[2.0, 5.0]
"""

from . import (data, dtypes, errors, initializers, layers, linalg, losses, math, nn, ops, random,
               summary, train)
from .autodiff.transforms import grad, gradients, jvp, toposort, value_and_grad, vjp
from .core import context as _context
from .core.dtypes import (DType, as_dtype, bfloat16, bool, complex64, complex128, float16,
                          float32, float64, int8, int16, int32, int64, string, uint8, uint16)
from .core.operation import Operation
from .core.program_graph import (Graph, GraphKeys, add_to_collection, control_dependencies,
                                 device, disable_eager_execution, enable_eager_execution,
                                 executing_eagerly, get_collection, get_default_graph, name_scope,
                                 reset_default_graph)
from .core.shapes import Dimension, TensorShape
from .core.tensor import Tensor, constant
from .errors import DTypeError, ExpressionError, NoValueError, ShapeError
from .tf1.math_ops import *  # noqa: F401,F403  (the TensorFlow-style functions)
from .tf1.math_ops import __all__ as _function_names
from .tf1.array_ops import *  # noqa: F401,F403  (more of TensorFlow 1's array and logic functions)
from .tf1.array_ops import __all__ as _array_names
from .tf1.clip_ops import clip_by_global_norm, clip_by_norm, global_norm, norm
from .tf1.manip_ops import *  # noqa: F401,F403  (split, pad, reverse, cumsum, masks, gather_nd)
from .tf1.manip_ops import __all__ as _manip_names
from .tf1.division_ops import *  # noqa: F401,F403  (div, floordiv, mod, … by TF-1's names)
from .tf1.division_ops import __all__ as _division_names
from .tf1.linalg_ops import (eye, matrix_determinant, matrix_diag, matrix_diag_part,
                             matrix_inverse, matrix_transpose, tensordot)   # (tg.trace: _LAZY)
from .tf1.linalg_ops import tf1_diag as diag, tf1_diag_part as diag_part
from .tf1.initializers import *  # noqa: F401,F403
from .tf1.initializers import __all__ as _initializer_names
from .tf1.random_ops import (multinomial, random_normal, random_shuffle, random_uniform, set_random_seed,
                             truncated_normal)
from .tf1.session import InteractiveSession, Session, get_default_session
from .tf1.config import ConfigProto, GPUOptions
from .tf1.control_flow import case, cond, while_loop
from .tf1.variable_scope import (AUTO_REUSE, VariableScope, get_variable, get_variable_scope,
                                 variable_scope)
from .tf1.variables import (Variable, assign, assign_add, assign_sub, global_variables,
                            global_variables_initializer, group, identity,
                            initialize_all_variables, local_variables, no_op, placeholder,
                            placeholder_with_default, tables_initializer, trainable_variables,
                            variables_initializer)

from .version import __version__  # noqa: E402,F401

bool_ = bool   # NumPy's spelling
newaxis = None


def disable_v2_behavior():
    """Accepted for ``import tensorflow.compat.v1 as tf`` programs: teachgrad is TensorFlow 1
    (graph mode) already."""
    disable_eager_execution()


def enable_v2_behavior():
    enable_eager_execution()


__all__ = ["Tensor", "Variable", "constant", "gradients", "grad", "value_and_grad", "jvp", "vjp",
           "toposort", "ShapeError", "ExpressionError", "DTypeError", "NoValueError", "math", "nn",
           "random", "dtypes", "errors", "initializers", "trace", "widgets", "plot", "practice", "frameworks", "DType",
           "as_dtype", "float16", "float32", "float64", "bfloat16", "int8", "int16", "int32",
           "int64", "uint8", "uint16", "bool", "complex64", "complex128", "string", "Operation",
           "Graph", "GraphKeys", "get_default_graph", "reset_default_graph", "name_scope",
           "control_dependencies", "device", "ConfigProto", "GPUOptions", "add_to_collection", "get_collection", "executing_eagerly",
           "enable_eager_execution", "disable_eager_execution", "disable_v2_behavior",
           "enable_v2_behavior", "Session", "InteractiveSession", "get_default_session",
           "TensorShape", "Dimension", "placeholder", "placeholder_with_default", "assign",
           "assign_add", "assign_sub", "group", "no_op", "identity", "global_variables",
           "trainable_variables", "local_variables", "global_variables_initializer",
           "variables_initializer", "initialize_all_variables", "tables_initializer",
           "variable_scope", "get_variable", "clip_by_global_norm", "clip_by_norm", "global_norm",
           "norm",
           "get_variable_scope", "VariableScope", "AUTO_REUSE", "random_uniform",
           "random_normal", "truncated_normal", "random_shuffle", "set_random_seed", "multinomial",
           "linalg", "layers", "losses", "train", "summary", "data", "eye", "matrix_determinant", "matrix_diag", "matrix_diag_part",
           "matrix_inverse", "matrix_transpose", "tensordot", "diag", "diag_part",
           "cond", "case", "while_loop",
           *_function_names, *_array_names, *_division_names, *_initializer_names, *_manip_names]

# The teaching graph needs only NumPy; pictures (graphviz), widgets (ipywidgets) and plots
# (matplotlib) load on first use, so `import teachgrad` stays light.
_LAZY = {"trace": ("teaching.graph", "trace"), "TeachingGraph": ("teaching.graph", "Graph"),
         "widgets": ("widgets", None), "plot": ("plot", None), "render": ("render", None),
         "practice": ("practice", None), "compat": ("compat", None),
         "frameworks": ("frameworks", None), "contrib": ("contrib", None),
         "exercises": ("course.exercises", None), "testing": ("testing", None)}


def _program_picture(shown):
    """A program graph, or a tensor with no value yet, shows the picture of its program."""
    from .teaching.graph import mimebundle   # lazy: the teaching layer loads when shown
    return mimebundle(shown)


_context.set_display_hook(_program_picture)


def __getattr__(name):
    if name in _LAZY:
        import importlib
        module_name, attr = _LAZY[name]
        module = importlib.import_module(f".{module_name}", __name__)
        return module if attr is None else getattr(module, attr)
    raise AttributeError(f"module 'teachgrad' has no attribute {name!r}")


def __dir__():
    return sorted(set(globals()) | set(_LAZY))
