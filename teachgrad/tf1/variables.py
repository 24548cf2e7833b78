"""The roots of a program: placeholders (values fed at each run) and variables (values that live in
a Session, set by initializers and assignments), with TensorFlow 1's semantics.

In eager mode a variable holds its value at once and ``assign`` acts at once.

>>> import teachgrad as tg
>>> with tg.Graph().as_default():
...     w = tg.Variable([1.0, 2.0], name="w")
...     step = w.assign_sub([0.5, 0.5])
...     with tg.Session() as sess:
...         sess.run(tg.global_variables_initializer())
...         before = sess.run(w)
...         after = sess.run(step)
>>> before, after
(array([1., 2.], dtype=float32), array([0.5, 1.5], dtype=float32))
"""

import numpy as np

from ..core import dtypes
from .. import ops
from ..errors import ShapeError
from ..core.operation import Operation
from ..core.primitive import apply
from ..core.program_graph import (GraphKeys, control_dependencies, executing_eagerly,
                                 get_default_graph, name_scope)
from ..core.shapes import TensorShape
from ..core.context import default_session, recording_graph
from .run_plan import check_feed
from ..core.tensor import (Tensor, as_tensor, convert_like, make_leaf, named, np_dtype, record_symbolic, replace_value, value_of)

__all__ = ["Variable", "placeholder", "placeholder_with_default", "assign", "assign_add",
           "assign_sub", "group", "no_op", "identity", "global_variables", "trainable_variables",
           "local_variables", "global_variables_initializer", "variables_initializer",
           "initialize_all_variables", "assert_variables_initialized", "report_uninitialized_variables",
           "tables_initializer"]


def placeholder(dtype, shape=None, name=None):
    """A root of the program whose value is fed at each run: ``sess.run(y, {x: value})``.

    ``shape`` may have ``None`` for sizes that vary from run to run (a batch), or be None for any
    shape at all.

    >>> import teachgrad as tg
    >>> with tg.Graph().as_default():
    ...     x = tg.placeholder(tg.float32, shape=(None, 3), name="x")
    >>> x
    <tg.Tensor 'x:0' shape=(?, 3) dtype=float32 (no value yet: run it in a Session)>
    """
    if executing_eagerly():
        raise RuntimeError("tg.placeholder() is not compatible with eager execution: in eager "
                           "mode give values directly, or call tg.disable_eager_execution()")
    dtype = dtypes.as_dtype(dtype).dtype   # (TensorFlow's names too: "float" is float32)
    t = record_symbolic(ops.placeholder, (), TensorShape(shape), dtype,
                        {"shape": TensorShape(shape), "dtype": dtype})
    return named(t, name)


def placeholder_with_default(input, shape, name=None):
    """``input``'s value unless another is fed (TensorFlow's ``placeholder_with_default``);
    ``shape`` is its static shape, which may leave sizes open for what is fed.

    >>> import teachgrad as tg
    >>> with tg.Graph().as_default():
    ...     p = tg.placeholder_with_default([1.0, 2.0], shape=[None], name="p")
    ...     with tg.Session() as sess:
    ...         print(p.shape, sess.run(p), sess.run(p, {p: [1.0, 2.0, 3.0]}))
    (?,) [1. 2.] [1. 2. 3.]
    """
    input, shape = as_tensor(input), TensorShape(shape)
    if not shape.is_compatible_with(input.shape):
        raise ValueError(f"placeholder_with_default: the default of shape {input.shape} does "
                         f"not have the shape {shape}")
    if executing_eagerly() or recording_graph() is None:
        return identity(input, name=name)
    # no value at build time, whatever the default: a feed may replace it
    t = record_symbolic(ops.identity, (input,), shape, np_dtype(input), None)
    return named(t, name)


class Variable(Tensor):
    """A tensor whose value can change: in graph mode its value lives in a Session, is set by its
    ``initializer`` and changed by assignments when they run; in eager mode it holds its value and
    ``assign`` acts at once. Differentiable like any tensor.

    >>> import teachgrad as tf
    >>> with tf.Graph().as_default():
    ...     w = tf.Variable([1.0, 2.0], name="w")
    ...     print(w)
    ...     with tf.Session() as sess:
    ...         sess.run(w.initializer)
    ...         print(sess.run(w), sess.run(w * 2))
    <tf.Variable 'w:0' shape=(2,) dtype=float32_ref>
    [1. 2.] [2. 4.]

    Read before its initializer ran, it is an error, as in TensorFlow 1:

    >>> with tf.Graph().as_default():
    ...     w = tf.Variable([1.0, 2.0], name="w")
    ...     with tf.Session() as sess:
    ...         sess.run(w)
    Traceback (most recent call last):
    ...
    teachgrad.errors.FailedPreconditionError: Attempting to use uninitialized value w...
    """

    __slots__ = ("initial_value", "_initializer", "trainable", "_assigned", "_snapshot")

    def __new__(cls, initial_value=None, trainable=True, name=None, dtype=None,
                validate_shape=True, collections=None, **unused):
        if initial_value is None:
            raise ValueError("Variable: initial_value must be given (a value, a tensor or a "
                             "callable returning one)")
        trainable = True if trainable is None else bool(trainable)   # None: the default, as TF 1
        if executing_eagerly() or recording_graph() is None:
            if callable(initial_value) and not isinstance(initial_value, Tensor):
                initial_value = initial_value()
            return _eager_variable(cls, initial_value, trainable, name, dtype)
        return _graph_variable(cls, initial_value, trainable, name, dtype, collections)

    def __init__(self, *args, **kwargs):
        pass   # made in __new__

    # --- TensorFlow 1's interface ---------------------------------------------------------------
    @property
    def initializer(self):
        """The operation that sets the variable to its initial value when it is run."""
        if self._initializer is None:   # eager: already set
            return None
        return self._initializer.op

    def initialized_value(self):
        """The variable's value if it is initialized when this runs, else its initial value
        (TensorFlow 1's way to initialize one variable from another)."""
        if self._initializer is None:
            return self
        return apply(ops.initialized_or, self.initial_value, ref=self)

    def value(self):
        """The tensor every use of the variable reads: ``NAME/read`` in graph mode."""
        return self if self._snapshot is None else self._snapshot

    def read_value(self):
        return identity(self, name="read")

    def assign(self, value, use_locking=False, name=None, read_value=True):
        """Graph mode: an op that sets the variable to ``value`` when it is run (creating it
        changes nothing). Eager mode: sets it now.

        >>> import teachgrad as tf
        >>> with tf.Graph().as_default():
        ...     v = tf.Variable(1.0, name="v")
        ...     reset = v.assign(0.0)
        ...     with tf.Session() as sess:
        ...         sess.run(v.initializer)
        ...         print(sess.run(reset), reset.name)
        0.0 Assign:0
        """
        return _assign(ops.assign, self, value, name)

    def assign_add(self, delta, use_locking=False, name=None, read_value=True):
        """``assign_add(self, delta)``: an op that adds ``delta`` when it is run.

        >>> import teachgrad as tf
        >>> with tf.Graph().as_default():
        ...     v = tf.Variable(1.0, name="v")
        ...     with tf.Session() as sess:
        ...         sess.run(v.initializer)
        ...         print(sess.run(v.assign_add(1.0)), sess.run(v.assign_sub(3.0)))
        2.0 -1.0
        """
        return _assign(ops.assign_add, self, delta, name)

    def assign_sub(self, delta, use_locking=False, name=None, read_value=True):
        """``assign_sub(self, delta)``: an op that subtracts ``delta`` when it is run (example:
        ``assign_add``)."""
        return _assign(ops.assign_sub, self, delta, name)

    def load(self, value, session=None):
        """Put ``value`` into the variable in ``session`` without adding an op."""
        session = session or default_session("Variable.load")
        session.values[self] = check_feed(self, value)

    def get_shape(self):
        return self.shape

    def eval(self, session=None):
        return Tensor.eval(self, session=session)

    def __repr__(self):
        text = Tensor.__repr__(self)
        return "<tg.Variable" + text[len("<tg.Tensor"):].replace(
            " (no value yet: run it in a Session)", "")

    def __str__(self):
        """TensorFlow 1's text of a variable: ``<tf.Variable 'w:0' shape=(2,) dtype=float32_ref>``
        (eager: ``…, numpy=[1. 2.]>``)."""
        if self._initializer is None:
            return (f"<tf.Variable {self.name!r} shape={self.shape} dtype={self.dtype.name}, "
                    f"numpy={self._value}>")
        return f"<tf.Variable {self.name!r} shape={self.shape} dtype={self.dtype.name}_ref>"


def _initial_tensor(initial_value, dtype):
    """The initial value as a tensor of ``dtype``, converted as TensorFlow 1 converts: Python and
    NumPy values into the dtype (floats never into integers), a tensor only if it has it."""
    if dtype is not None:
        dtype = dtypes.as_dtype(dtype).dtype
    if isinstance(initial_value, Tensor):
        if initial_value._snapshot is not None:   # another variable: read through NAME/read
            initial_value = initial_value._snapshot
        if dtype is not None and np_dtype(initial_value) != dtype:
            raise ValueError(f"initial_value: Tensor conversion requested dtype {dtype.name} for "
                             f"Tensor with dtype {initial_value.dtype.name}: "
                             f"{initial_value.name!r}; use tg.cast(value, tg.{dtype.name})")
        return initial_value
    if dtype is not None:
        kind = np.asarray(initial_value).dtype.kind
        if (kind == "f" and dtype.kind in "iub") or (kind == "c" and dtype.kind != "c"):
            raise TypeError(f"Expected {dtype.name}, but got {initial_value!r} of type "
                            f"'{type(initial_value).__name__}': TensorFlow 1 does not convert "
                            "floats to integers (write ints, or use tg.cast)")
    return as_tensor(initial_value, dtype)


def _eager_variable(cls, initial_value, trainable, name, dtype):
    value = _initial_tensor(initial_value, dtype)
    v = make_leaf(cls, np.array(value_of(value)), name or "Variable")
    v.initial_value, v._initializer, v.trainable = value, None, trainable
    v._assigned, v._snapshot = v._serial, None
    return v


def _graph_variable(cls, initial_value, trainable, name, dtype, collections):
    # As TensorFlow 1's init_scope: a variable and its initializer never wait for the
    # control_dependencies block they are made in (an optimizer's slots made inside
    # `with tf.control_dependencies(update_ops): train = opt.minimize(loss)` must not need the
    # training batch to be initialized)
    with control_dependencies(None):
        return _graph_variable_here(cls, initial_value, trainable, name, dtype, collections)


def _graph_variable_here(cls, initial_value, trainable, name, dtype, collections):
    graph = get_default_graph()
    op_name = graph.reserve_name(name, "Variable")   # TensorFlow 1's rule: "a/" is the op a
    with name_scope(op_name + "/"):
        if callable(initial_value) and not isinstance(initial_value, Tensor):
            with name_scope("Initializer"):   # made here, named w/Initializer/…, as TensorFlow
                initial_value = initial_value()
        init = _initial_tensor(initial_value, dtype)
        if init is not initial_value:
            init.name = "initial_value"
    shape, np_type = init.shape, np_dtype(init)
    v = record_symbolic(ops.variable, (), shape, np_type, {"shape": shape, "dtype": np_type},
                        cls=cls)
    graph._names[v] = op_name    # named now: the name was reserved above
    v.initial_value, v.trainable, v._assigned, v._snapshot = init, trainable, None, None
    guarded = _guard_reads(init, op_name)
    with name_scope(op_name + "/"):
        v._initializer = _assign_node(ops.assign, v, guarded, "Assign")
        v._snapshot = named(apply(ops.variable_read, v), "read")
    keys = list(collections or [GraphKeys.GLOBAL_VARIABLES])
    if trainable and GraphKeys.TRAINABLE_VARIABLES not in keys:   # (as TensorFlow 1 adds it)
        keys.append(GraphKeys.TRAINABLE_VARIABLES)
    for key in keys:
        graph.add_to_collection(key, v)
    return v


def _guard_reads(init, name):
    """``init`` as the initializer of variable ``name`` computes it: where it reads another
    variable (``tg.Variable(w1 * 2.0)``), that variable's value if the session has initialized
    it, else its own initial value — TensorFlow 1's guard, so ``global_variables_initializer()``
    initializes such a variable whatever the order. The ops between those reads and ``init`` are
    copied with the guarded reads in (``w1/read_w2``, ``mul_w2``), as TensorFlow 1 copies them;
    ``init`` itself is returned when it reads no variable."""
    seen, stack = {init}, [init]
    while stack:
        for t in stack.pop().inputs:
            if t not in seen:
                seen.add(t)
                stack.append(t)
    reads = [t for t in seen if t.prim is ops.variable_read]
    if not reads:
        return init
    copies = {}
    with name_scope(""):                  # TensorFlow 1 names the copies from the root
        for t in sorted(seen, key=lambda t: t._serial):
            if t.prim is ops.variable_read:
                variable = t.inputs[0]
                copy = apply(ops.initialized_or, variable.initial_value, ref=variable)
            elif any(i in copies for i in t.inputs):
                copy = apply(t.prim, *[copies.get(i, i) for i in t.inputs], **(t.params or {}))
            else:
                continue
            copies[t] = named(copy, f"{t.op_name}_{name}")
    return copies[init]


def _assign_node(prim, ref, value, name=None, validate_shape=True):
    if not isinstance(value, Tensor):   # a number, list or array takes the variable's dtype
        value = convert_like(value, np_dtype(ref), prim.name)
    if np_dtype(value) != np_dtype(ref):
        raise TypeError(f"{prim.name}: value of dtype {np_dtype(value).name} for variable "
                        f"{ref.name!r} of dtype {np_dtype(ref).name}; use tg.cast")
    if validate_shape and not ref.shape.is_compatible_with(value.shape) \
            and ref.shape.ndims is not None:
        raise ShapeError(f"{prim.name}: shapes {ref.shape} and {value.shape} are incompatible: "
                         f"the value must have the shape of {ref.name!r}")
    t = apply(prim, value, ref=ref)
    if not validate_shape:   # the variable takes the value's shape when it runs
        t._static = (value.shape, t._static[1])
    if name is not None:
        t.name = name
    return t


def _assign(prim, ref, value, name, validate_shape=True):
    if not isinstance(ref, Variable):
        raise TypeError(f"{prim.name}: {ref!r} is not a variable; only variables can be assigned")
    if ref._initializer is not None:   # graph mode: an op that acts when run
        return _assign_node(prim, ref, value, name, validate_shape is not False)
    new = _eager_value(ref, value)
    if prim is ops.assign_add:
        new = ref._value + new
    elif prim is ops.assign_sub:
        new = ref._value - new
    replace_value(ref, np.array(new, dtype=ref._value.dtype))
    return ref


def _eager_value(ref, value):
    v = value_of(value) if isinstance(value, Tensor) else value
    target = ref._value.dtype
    arr = np.asarray(v)
    if arr.dtype.kind == "f" and target.kind in "iub":
        raise TypeError(f"assign: cannot put {v!r} into {ref.op_name!r} of dtype {target.name}: "
                        "TensorFlow 1 does not convert floats to integers; use tg.cast")
    if arr.shape != ref._value.shape:
        raise ShapeError(f"Variable {ref.op_name!r}.assign: new value has shape {arr.shape}, "
                         f"expected {ref._value.shape} like the variable")
    return arr.astype(target)


def assign(ref, value, validate_shape=None, use_locking=None, name=None):
    """An op that sets variable ``ref`` to ``value`` when it is run; its value is the new value.
    ``validate_shape=False`` lets the value have another shape.

    >>> import teachgrad as tf
    >>> with tf.Graph().as_default():
    ...     v = tf.Variable(1.0, name="v")
    ...     set_v = tf.assign(v, 5.0)
    ...     print(set_v.name, set_v.op.type)
    ...     with tf.Session() as sess:
    ...         sess.run(v.initializer)
    ...         print(sess.run(v), sess.run(set_v), sess.run(v))   # it acts when it runs
    Assign:0 Assign
    1.0 5.0 5.0
    """
    return _assign(ops.assign, ref, value, name, validate_shape)


def assign_add(ref, value, use_locking=None, name=None):
    """An op that adds ``value`` to variable ``ref`` each time it is run; its value is the sum.

    >>> import teachgrad as tf
    >>> with tf.Graph().as_default():
    ...     counter = tf.Variable(0, name="counter")
    ...     step = tf.assign_add(counter, 1)
    ...     with tf.Session() as sess:
    ...         sess.run(counter.initializer)
    ...         print([int(sess.run(step)) for _ in range(3)], step.name)
    [1, 2, 3] AssignAdd:0
    """
    return _assign(ops.assign_add, ref, value, name)


def assign_sub(ref, value, use_locking=None, name=None):
    """An op that subtracts ``value`` from variable ``ref`` each time it is run.

    >>> import teachgrad as tf
    >>> with tf.Graph().as_default():
    ...     v = tf.Variable(9.0, name="v")
    ...     down = tf.assign_sub(v, 0.5)
    ...     with tf.Session() as sess:
    ...         sess.run(v.initializer)
    ...         print(sess.run(down), sess.run(down), sess.run(v), down.name)
    8.5 8.0 8.0 AssignSub:0
    """
    return _assign(ops.assign_sub, ref, value, name)


def group(*inputs, name=None):
    """An operation that runs all of ``inputs`` (operations or tensors) when it is run.

    >>> import teachgrad as tf
    >>> with tf.Graph().as_default():
    ...     a, b = tf.Variable(0.0, name="a"), tf.Variable(0.0, name="b")
    ...     both = tf.group(tf.assign(a, 1.0), tf.assign(b, 2.0), name="both")
    ...     with tf.Session() as sess:
    ...         sess.run(tf.global_variables_initializer())
    ...         print(sess.run(both), both.type, float(sess.run(a)), float(sess.run(b)))
    None NoOp 1.0 2.0
    """
    nodes = []
    for x in inputs:
        if isinstance(x, (list, tuple)):
            nodes.extend(x)
        elif x is not None:
            nodes.append(x)
    nodes = [n._tensor if isinstance(n, Operation) else n for n in nodes]
    t = record_symbolic(ops.group, (), TensorShape(()), None, None)
    t._control = tuple(nodes) + (getattr(t, "_control", None) or ())
    t._name = "group_deps"
    if name:
        t.name = name   # (TensorFlow 1's rule for names)
    return t.op


def no_op(name=None):
    """An operation that does nothing (a place to hang control dependencies)."""
    return group(name=name or "NoOp")


def identity(input, name=None):
    """The same value, as a new node (useful with control dependencies)."""
    return named(apply(ops.identity, input), name)


def global_variables(scope=None):
    """Every variable of the default graph.

    >>> import teachgrad as tf
    >>> with tf.Graph().as_default():
    ...     a = tf.Variable(1.0, name="a")
    ...     c = tf.Variable(1.0, trainable=False, name="c")
    ...     print([v.name for v in tf.global_variables()],
    ...           [v.name for v in tf.trainable_variables()])
    ['a:0', 'c:0'] ['a:0']
    """
    return get_default_graph().get_collection(GraphKeys.GLOBAL_VARIABLES, scope)


def trainable_variables(scope=None):
    """The variables made with ``trainable=True`` (the default), which optimizers train."""
    return get_default_graph().get_collection(GraphKeys.TRAINABLE_VARIABLES, scope)


def local_variables(scope=None):
    return get_default_graph().get_collection(GraphKeys.LOCAL_VARIABLES, scope)


def variables_initializer(var_list, name="init"):
    """The operation that runs the initializers of ``var_list`` (None in eager mode, where
    variables hold their values from the start).

    >>> import teachgrad as tf
    >>> with tf.Graph().as_default():
    ...     a, b = tf.Variable(1.0, name="a"), tf.Variable(2.0, name="b")
    ...     only_a = tf.variables_initializer([a])
    ...     with tf.Session() as sess:
    ...         sess.run(only_a)
    ...         print(float(sess.run(a)), only_a.name)
    1.0 init
    """
    if executing_eagerly():
        return None
    return group(*[v._initializer for v in var_list if v._initializer is not None], name=name)


def global_variables_initializer():
    """The operation that initializes every variable of the default graph when it is run
    (the variables made so far: make it after them).

    >>> import teachgrad as tf
    >>> with tf.Graph().as_default():
    ...     a = tf.Variable(1.0, name="a")
    ...     b = tf.Variable([2, 3], name="b")
    ...     init = tf.global_variables_initializer()
    ...     print(init.name, init.type)
    ...     with tf.Session() as sess:
    ...         print(sess.run(init))
    ...         print(sess.run(a), sess.run(b))
    init NoOp
    None
    1.0 [2 3]
    """
    return variables_initializer(global_variables())


initialize_all_variables = global_variables_initializer


def report_uninitialized_variables(var_list=None):
    return var_list or global_variables()


def assert_variables_initialized(var_list=None):
    return no_op()


def tables_initializer(name="init_all_tables"):
    """The operation that initializes TensorFlow 1's lookup tables: teachgrad has none, so it is a
    ``NoOp`` that does nothing (programs that run it, as many tutorials do, run unchanged).

    >>> import teachgrad as tg
    >>> with tg.Graph().as_default():
    ...     init = tg.tables_initializer()
    ...     with tg.Session() as sess:
    ...         print(init.name, init.type, sess.run(init))
    init_all_tables NoOp None
    """
    return group(name=name)
