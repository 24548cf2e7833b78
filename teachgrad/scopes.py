"""``variable_scope`` and ``get_variable``: TensorFlow 1's way to name variables and share them.

>>> import teachgrad as tg
>>> with tg.Graph().as_default():
...     with tg.variable_scope("layer"):
...         w = tg.get_variable("w", shape=(2, 3))
...     with tg.variable_scope("layer", reuse=True):
...         same = tg.get_variable("w")
>>> w.name, same is w
('layer/w:0', True)
"""

import contextlib

import numpy as np

from .initializers import glorot_uniform_initializer, zeros_initializer
from .program import get_default_graph, name_scope
from .tensor import Tensor
from .variables import Variable

__all__ = ["variable_scope", "get_variable", "AUTO_REUSE", "get_variable_scope", "VariableScope"]


class _AutoReuse:
    def __repr__(self):
        return "tg.AUTO_REUSE"


AUTO_REUSE = _AutoReuse()


class VariableScope:
    """The open variable scope: its name and whether ``get_variable`` reuses variables."""

    def __init__(self, name, reuse, initializer=None):
        self.name, self.reuse, self.initializer = name, reuse, initializer
        self.original_name_scope = name + "/" if name else ""

    def reuse_variables(self):
        self.reuse = True

    def __repr__(self):
        return f"<tg.VariableScope {self.name!r} reuse={self.reuse}>"


def get_variable_scope():
    graph = get_default_graph()
    if not getattr(graph, "variable_scope_stack", None):
        graph.variable_scope_stack = [VariableScope("", False)]
    return graph.variable_scope_stack[-1]


@contextlib.contextmanager
def variable_scope(name_or_scope=None, default_name=None, values=None, initializer=None,
                   reuse=None, **unused):
    """Prefix variable names (and op names) with the scope's name; ``reuse=True`` makes
    ``get_variable`` return the existing variables (``tg.AUTO_REUSE``: existing ones, or new)."""
    outer = get_variable_scope()
    if isinstance(name_or_scope, VariableScope):
        name = name_or_scope.name
        full = name
    else:
        name = name_or_scope if name_or_scope is not None else default_name
        if name is None:
            raise ValueError("variable_scope: give a name (or default_name)")
        full = outer.name + "/" + name if outer.name else name
    if reuse is None or reuse is False:
        reuse = outer.reuse   # reuse is inherited, as in TensorFlow
    scope = VariableScope(full, reuse, initializer or outer.initializer)
    graph = get_default_graph()
    graph.variable_scope_stack.append(scope)
    try:
        with name_scope(name.split("/")[-1] if isinstance(name_or_scope, str) or
                        name_or_scope is None else full + "/"):
            yield scope
    finally:
        graph.variable_scope_stack.pop()


def get_variable(name, shape=None, dtype=None, initializer=None, regularizer=None,
                 trainable=True, collections=None, **unused):
    """The variable ``scope/name``: made with ``initializer`` (by default Glorot-uniform for
    floats, zeros for integers) the first time, returned again inside a reusing scope.

    Getting a name that exists without reuse, or reusing one that does not exist, is a
    ``ValueError``, as in TensorFlow.
    """
    scope = get_variable_scope()
    full = scope.name + "/" + name if scope.name else name
    store = get_default_graph().variable_store
    found = store.get(full)
    if found is not None:
        if scope.reuse is not True and scope.reuse is not AUTO_REUSE:
            raise ValueError(f"Variable {full} already exists, disallowed. Did you mean to set "
                             "reuse=True or reuse=tf.AUTO_REUSE in VarScope?")
        if shape is not None and not found.shape.is_compatible_with(shape):
            raise ValueError(f"Trying to share variable {full}, but specified shape "
                             f"{tuple(shape)} and found shape {tuple(found.shape)}.")
        return found
    if scope.reuse is True:
        raise ValueError(f"Variable {full} does not exist, or was not created with "
                         "tf.get_variable(). Did you mean to set reuse=tf.AUTO_REUSE in VarScope?")
    initial = _initial_value(full, shape, dtype, initializer or scope.initializer)
    with name_scope(None):   # a variable's name is its scope path, whatever the name scope
        v = Variable(initial, trainable=trainable, name=full, collections=collections)
    store[full] = v
    return v


def _initial_value(full, shape, dtype, initializer):
    if isinstance(initializer, Tensor) or (initializer is not None and not callable(initializer)):
        value = initializer
        if shape is not None and tuple(np.shape(value)) != tuple(shape):
            raise ValueError(f"get_variable {full}: an initial value of shape {np.shape(value)} "
                             f"for shape {tuple(shape)}")
        return value if dtype is None or isinstance(value, Tensor) else np.asarray(
            value, dtype=np.dtype(dtype))
    if shape is None:
        raise ValueError(f"Shape of a new variable ({full}) must be fully defined, but instead "
                         "was None.")
    dtype = np.dtype(dtype if dtype is not None else np.float32)
    if initializer is None:
        initializer = glorot_uniform_initializer() if dtype.kind == "f" else zeros_initializer()
    return lambda: initializer(tuple(shape), dtype)
