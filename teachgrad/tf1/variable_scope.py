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

from ..core import dtypes
from .initializers import glorot_uniform_initializer, zeros_initializer
from ..core.program_graph import get_default_graph, name_scope
from ..core.shapes import TensorShape
from ..core.tensor import Tensor, as_tensor
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
    """The variable scope in effect here (``.name``, ``.reuse``).

    >>> import teachgrad as tf
    >>> with tf.Graph().as_default():
    ...     with tf.variable_scope("outer") as outer:
    ...         with tf.variable_scope("inner"):
    ...             print(tf.get_variable_scope().name, outer.name)
    outer/inner outer
    """
    graph = get_default_graph()
    if not getattr(graph, "variable_scope_stack", None):
        graph.variable_scope_stack = [VariableScope("", False)]
    return graph.variable_scope_stack[-1]


def variable_scope(name_or_scope=None, default_name=None, values=None, initializer=None,
                   reuse=None, **unused):
    """Prefix variable names (and op names) with the scope's name; ``reuse=True`` makes
    ``get_variable`` return the existing variables (``tg.AUTO_REUSE``: existing ones, or new).

    Entering a scope of the same name again gives its ops a new name scope (``foo_1/``), while
    ``get_variable`` keeps naming variables ``foo/…``; ``default_name`` is made unique
    (``dense``, ``dense_1``), as in TensorFlow.

    >>> import teachgrad as tf
    >>> with tf.Graph().as_default():
    ...     with tf.variable_scope("layer"):
    ...         w = tf.get_variable("w", shape=[2], initializer=tf.ones_initializer())
    ...     with tf.variable_scope("layer", reuse=True):
    ...         same = tf.get_variable("w")
    ...     with tf.variable_scope("layer", reuse=tf.AUTO_REUSE):
    ...         b = tf.get_variable("b", shape=[], initializer=tf.zeros_initializer())
    ...         again = tf.get_variable("w")
    ...     print(w.name, same is w, again is w, b.name)
    layer/w:0 True True layer/b:0

    Without ``reuse``, a second ``get_variable`` of the name is refused:

    >>> with tf.Graph().as_default():
    ...     with tf.variable_scope("layer"):
    ...         w = tf.get_variable("w", shape=[2])
    ...     with tf.variable_scope("layer"):
    ...         tf.get_variable("w", shape=[2])
    Traceback (most recent call last):
    ...
    ValueError: Variable layer/w already exists, disallowed. Did you mean to set reuse=True or...
    """
    if name_or_scope is None and default_name is None:
        raise TypeError("If default_name is None then name_or_scope is required")
    if reuse not in (None, True, False) and reuse is not AUTO_REUSE:
        raise ValueError(f"The reuse parameter must be True or False or None (or tg.AUTO_REUSE), "
                         f"got {reuse!r}.")
    return _variable_scope(name_or_scope, default_name, initializer, reuse)


def _scope_name(outer, name_or_scope, default_name):
    """The full name of the variable scope, and the name scope its ops open (made unique)."""
    graph = get_default_graph()
    counts = graph.variable_scope_counts
    if isinstance(name_or_scope, VariableScope):
        full = name_or_scope.name
    elif name_or_scope is not None:
        full = outer.name + "/" + name_or_scope if outer.name else name_or_scope
    else:
        prefix = outer.name + "/" + default_name if outer.name else default_name
        full, k = prefix, 1
        while counts.get(full):
            full, k = f"{prefix}_{k}", k + 1
    counts[full] = counts.get(full, 0) + 1
    if isinstance(name_or_scope, str):   # its ops' scope: the name as given ("a/b" -> a/b/…)
        return full, name_or_scope
    return full, full.split("/")[-1]


@contextlib.contextmanager
def _variable_scope(name_or_scope, default_name, initializer, reuse):
    outer = get_variable_scope()
    full, op_scope = _scope_name(outer, name_or_scope, default_name)
    if reuse is None or reuse is False:
        reuse = outer.reuse   # reuse is inherited, as in TensorFlow
    inherited = name_or_scope.initializer if isinstance(name_or_scope, VariableScope) else None
    if initializer is None:
        initializer = inherited if inherited is not None else outer.initializer
    scope = VariableScope(full, reuse, initializer)
    graph = get_default_graph()
    graph.variable_scope_stack.append(scope)
    try:
        with name_scope(op_scope):
            yield scope
    finally:
        graph.variable_scope_stack.pop()


def get_variable(name, shape=None, dtype=None, initializer=None, regularizer=None,
                 trainable=True, collections=None, **unused):
    """The variable ``scope/name``: made with ``initializer`` (by default Glorot-uniform for
    floats, zeros for integers and booleans) the first time, returned again inside a reusing
    scope. ``initializer`` may also be a value (a tensor, an array, a number): then ``shape``
    is not given.

    Getting a name that exists without reuse, or reusing one that does not exist, is a
    ``ValueError``, as in TensorFlow.

    >>> import teachgrad as tf
    >>> with tf.Graph().as_default():
    ...     c = tf.get_variable("c", [2, 2], initializer=tf.constant_initializer([1, 2, 3, 4]))
    ...     n = tf.get_variable("n", [3], dtype=tf.int32)       # integers: zeros by default
    ...     with tf.Session() as sess:
    ...         sess.run(tf.global_variables_initializer())
    ...         print(sess.run(c), sess.run(n), c.name)
    [[1. 2.]
     [3. 4.]] [0 0 0] c:0
    >>> with tf.Graph().as_default():
    ...     with tf.variable_scope("layer", reuse=True):
    ...         tf.get_variable("v", shape=[2])
    Traceback (most recent call last):
    ...
    ValueError: Variable layer/v does not exist, or was not created with tf.get_variable()...
    """
    scope = get_variable_scope()
    full = scope.name + "/" + name if scope.name else name
    store = get_default_graph().variable_store
    found = store.get(full)
    if found is not None:
        if scope.reuse is not True and scope.reuse is not AUTO_REUSE:
            raise ValueError(f"Variable {full} already exists, disallowed. Did you mean to set "
                             "reuse=True or reuse=tf.AUTO_REUSE in VarScope?")
        if shape is not None and not found.shape.is_compatible_with(TensorShape(shape)):
            raise ValueError(f"Trying to share variable {full}, but specified shape "
                             f"{tuple(TensorShape(shape))} and found shape {tuple(found.shape)}.")
        return found
    if scope.reuse is True:
        raise ValueError(f"Variable {full} does not exist, or was not created with "
                         "tf.get_variable(). Did you mean to set reuse=tf.AUTO_REUSE in VarScope?")
    initial = _initial_value(full, shape, dtype,
                             scope.initializer if initializer is None else initializer)
    with name_scope(None):   # a variable's name is its scope path, whatever the name scope
        v = Variable(initial, trainable=trainable, name=full, collections=collections)
    store[full] = v
    return v


def _initial_value(full, shape, dtype, initializer):
    """The initial value of new variable ``full``: a value, or a function that makes it (the
    Variable calls it in its own name scope, under ``Initializer/``)."""
    if initializer is not None and not callable(initializer):   # a value
        if shape is not None:
            raise ValueError(f"If initializer is a constant, do not specify shape (variable "
                             f"{full}: the shape is the value's).")
        value = initializer if isinstance(initializer, Tensor) else as_tensor(initializer)
        if dtype is not None and dtypes.as_dtype(dtype) != value.dtype:
            raise ValueError(f"Initializer type '{value.dtype}' and explicit dtype "
                             f"'{dtypes.as_dtype(dtype)}' don't match.")
        return value
    if shape is None:
        raise ValueError(f"Variable {full} did not get an initializer, so its `shape` argument "
                         "must be specified." if initializer is None else
                         f"Shape of a new variable ({full}) must be fully defined, but instead "
                         "was None: give shape=, or a value as initializer.")
    shape = TensorShape(shape)
    if not shape.is_fully_defined():
        raise ValueError(f"Shape of a new variable ({full}) must be fully defined, but instead "
                         f"was {shape}.")
    dtype = dtypes.as_dtype(dtype if dtype is not None else np.float32).dtype
    if isinstance(initializer, type):   # the class itself, as TensorFlow allows
        initializer = initializer(dtype=dtype)
    if initializer is None:
        initializer = glorot_uniform_initializer() if dtype.kind in "fc" else zeros_initializer()
    return lambda: initializer(tuple(shape), dtype)
