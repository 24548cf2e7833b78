"""Tensors, and the record every operation leaves behind.

A :class:`Tensor` is a read-only NumPy value plus the *record* of how it was made: the primitive that
made it (``op``), the tensors it was made from (``inputs``) and any non-tensor arguments (``params``).
Following those records backwards from a result walks the computation graph, which is all that
reverse mode, forward mode and the teaching pictures need.

A tensor whose inputs all have values gets its value at once. One that depends on a placeholder, a
variable or a stateful op (random numbers, assignments) has *no value yet* (``_value is None``):
only its static shape (with ``None`` for unknown sizes) and dtype are known until a Session runs it.
In graph mode (TensorFlow 1's default) every new tensor is also added to the default program graph,
which names it and runs it.

The engine is this file (values and records), ``primitive.py`` (what an operation is, and applying
one), the ``ops`` package (one declaration per operation: value, local partials, formulas) and
the ``autodiff`` package (``engine.py`` walks the graph; ``transforms.py`` holds ``gradients``,
``grad``, ``jvp`` and ``vjp``).
"""

import itertools

import numpy as np

from . import dtypes
from ..errors import NoValueError
from .context import current, default_session, display
from .operation import Operation, default_name
from .shapes import TensorShape

__all__ = ["Tensor", "Output", "constant", "as_tensor", "record", "record_symbolic", "named",
           "value_of", "static_shape", "np_dtype",
           "convert_like", "DTYPE_MISMATCH", "freeze", "make_leaf", "next_serial",
           "replace_value", "values_replaced", "last_replaced", "tape_constant"]

def freeze_text(value):
    """A string tensor's value made read-only (a 0-d one stays an array: its element is a
    Python ``bytes``, no NumPy scalar)."""
    value.flags.writeable = False
    return value


def freeze(value):
    """Make a value safe to share: numpy scalars are immutable, arrays become read-only."""
    if type(value) is np.ndarray:
        if value.ndim == 0 and value.dtype != object:
            return value[()]  # a numpy scalar: immutable and much faster than a 0-d array
        value.flags.writeable = False
    return value


def _as_value(x, dtype=None):
    """The numpy value of a Python number, list, array or tensor, with TensorFlow 1's dtypes:
    a Python float is float32, a Python int int32, a NumPy value keeps its dtype."""
    if dtype is None:
        cls = x.__class__
        if cls is float:
            return np.float32(x)
        if cls is int and -2**31 <= x < 2**31:
            return np.int32(x)
        if isinstance(x, np.generic):
            return x   # numpy scalars are immutable
    if isinstance(x, Tensor):
        if current.tracer is not None:   # tg.constant(x) under grad: a copy with no graph
            current.tracer.check(x, "constant")
        x = value_of(x)
    if dtypes.is_text(x, dtype):
        return freeze_text(dtypes.text_value(x))
    if dtype is not None and not isinstance(x, (np.ndarray, np.generic)):
        dtypes.check_python_values(x, np.dtype(dtype))
    if dtype is None and not isinstance(x, np.ndarray):
        dtype = dtypes.default_dtype_of(x)
    v = np.asarray(x, dtype=np.dtype(dtype) if dtype is not None else None)
    if v.dtype == object:
        raise TypeError(f"cannot make a tensor of {type(x).__name__} {x!r}: expected numbers or arrays")
    if isinstance(x, np.ndarray) and v.ndim and (v is x or type(x) is not np.ndarray):
        v = v.copy()  # never freeze the caller's own array (nor a view of its matrix or mask)
    return freeze(v)


_new = object.__new__
_ndarray = np.ndarray
# Every tensor takes the next number when it is made. A tensor is made after its inputs, so sorting
# by this number is a topological order: no recursion and no visiting stack needed.
_serial = itertools.count()
serials = _serial   # the counter itself, for the hot paths that make tensors inline (primitive.py)


class Tensor:
    """A NumPy value that remembers how it was computed.

    >>> import teachgrad as tg
    >>> tg.reset_default_graph()      # names are unique in a graph: start a new one
    >>> x = tg.constant([1.0, 2.0, 3.0], name="x")
    >>> y = x * x + 1
    >>> y
    <tg.Tensor 'add:0' shape=(3,) dtype=float32 value=[ 2.  5. 10.]>
    >>> y.shape, y.dtype, y.ndim
    (TensorShape([3]), tf.float32, 1)
    >>> tg.gradients(y, x)[0].numpy()
    array([2., 4., 6.], dtype=float32)
    """

    # _implicit: a number or array an op converted for one of its inputs (set only then; the
    # program graph names it after that op, x + 1 -> add/y, as TensorFlow 1 does)
    __slots__ = ("_value", "prim", "inputs", "params", "_name", "_serial", "_static", "_graph",
                 "_scope", "_control", "_implicit", "__weakref__")
    __array_priority__ = 1000  # so ndarray + Tensor defers to Tensor.__radd__
    # The node every use of this tensor reads: a graph-mode variable's ``NAME/read`` (set by
    # Variable), None for every other tensor (ops take the tensor itself).
    _snapshot = None

    def __init__(self, value, dtype=None, name=None):
        self._value = _as_value(value, dtype)
        self.prim = None
        self.inputs = ()
        self.params = None
        self._name = name
        self._serial = next(_serial)
        _register(self)

    # --- the value -------------------------------------------------------------------------
    @property
    def has_value(self):
        """Whether the value is known now (False until a Session runs it)."""
        return self._value is not None

    @property
    def shape(self):
        """The static shape, a :class:`TensorShape` (``None`` for a size not known yet)."""
        v = self._value
        if v is None:
            return self._static[0]
        return _new_shape(TensorShape, v.shape)

    def get_shape(self):
        return self.shape

    def set_shape(self, shape):
        """Make the static shape more specific, as TensorFlow's ``set_shape``."""
        shape = TensorShape(shape)
        if not self.shape.is_compatible_with(shape):
            raise ValueError(f"set_shape: shape {shape} is not compatible with {self.shape}, the "
                             f"shape of {self.name!r}")
        if self._value is None:
            known = self._static[0]
            if known.ndims is None:    # a shape of unknown rank takes the given one
                known = TensorShape([None] * shape.ndims) if shape.ndims is not None else known
            self._static = (TensorShape(a if a is not None else b for a, b in
                                        zip(known, shape)) if known.ndims is not None else known,
                            self._static[1])

    @property
    def dtype(self):
        v = self._value
        return dtypes.as_dtype(v.dtype if v is not None else self._static[1])

    @property
    def ndim(self):
        return len(self.shape)

    @property
    def size(self):
        return self.shape.num_elements()

    # --- the program -------------------------------------------------------------------------
    @property
    def graph(self):
        """The program graph this tensor belongs to (None in eager mode)."""
        return getattr(self, "_graph", None)

    @property
    def device(self):
        """The device of the op that makes this tensor (``tg.device``), or ""."""
        return self.op.device

    @property
    def op(self):
        """The :class:`Operation` that made this tensor, TensorFlow 1's view of its node."""
        return Operation(self)

    @property
    def op_name(self):
        graph = getattr(self, "_graph", None)
        if graph is not None:
            return graph.name_of(self)
        return self._name or default_name(self.prim)

    @property
    def name(self):
        """``"op_name:0"``: unique in its graph, with its name scopes (``model/MatMul:0``)."""
        return self.op_name + ":0"

    @name.setter
    def name(self, value):
        graph = getattr(self, "_graph", None)
        if graph is None:
            self._name = str(value)
        else:   # TensorFlow 1's rule for names (ValueError for "a b", "a/" is the op "a")
            graph.give_name(self, value)

    @property
    def given_name(self):
        """The name given with ``name=`` (None if none was given)."""
        return self._name

    @property
    def control_inputs(self):
        return getattr(self, "_control", None)

    @property
    def is_operation_only(self):
        """True for a node that makes no value (``tg.group``, an initializer)."""
        return self._value is None and self._static[1] is None

    def eval(self, feed_dict=None, session=None):
        """The value, computed by ``session`` (by default the default session)."""
        return (session or default_session("Tensor.eval")).run(self, feed_dict)

    def consumers(self):
        graph = self.graph
        return [] if graph is None else graph.consumers_of(self)

    # --- conversions ---------------------------------------------------------------------------
    def numpy(self):
        """A fresh NumPy copy of the value (a 0-d array for a scalar)."""
        if current.tracer is not None:
            current.tracer.check(self, "numpy")
        return np.array(value_of(self))

    def item(self):
        if current.tracer is not None:
            current.tracer.check(self, "item")
        return value_of(self).item()

    def __array__(self, dtype=None, copy=None):
        if current.tracer is not None:
            current.tracer.check(self, "__array__")
        v = np.asarray(value_of(self))
        if dtype is not None and v.dtype != dtype:
            return v.astype(dtype)
        if copy:
            return v.copy()
        return v

    # float/complex/item/numpy/__array__ of a traced tensor (grad, jvp, vjp, trace running f)
    # raise ConcretizationError: the number has no graph. int, index and bool do not: they are
    # step functions of the value, whose derivative is 0 (see core/tracing.py).
    def __float__(self):
        if current.tracer is not None:
            current.tracer.check(self, "float")
        return float(value_of(self))

    def __complex__(self):
        if current.tracer is not None:
            current.tracer.check(self, "complex")
        return complex(value_of(self))

    def __int__(self):
        return int(value_of(self))

    def __index__(self):
        if self.dtype.kind not in "iu" if False else not self.dtype.is_integer:
            raise TypeError(f"only integer tensors can be used as an index, not {self.dtype.name}")
        return int(value_of(self))

    def __bool__(self):
        if self._value is None:
            raise TypeError(f"using the tensor {self.name!r} as a Python bool is not allowed: it "
                            "has no value until it is run; use tg.cond or compute it with sess.run")
        if np.size(self._value) != 1:
            raise ValueError(f"the truth value of a tensor of shape {self.shape} is ambiguous; "
                             "use tg.reduce_any/np.any or compare element by element")
        return bool(self._value)

    def __len__(self):
        shape = self.shape
        if not len(shape) or shape[0] is None:
            raise TypeError(f"len() of a tensor of shape {shape}: its first dimension is "
                            + ("not known" if len(shape) else "missing (a scalar)"))
        return shape[0]

    def __iter__(self):
        shape = self.shape
        if not len(shape):
            raise TypeError("iteration over a scalar tensor")
        if shape[0] is None:
            raise TypeError(f"cannot iterate over {self.name!r}: its first dimension is not known")
        return (self[i] for i in range(shape[0]))

    # Tensors are graph nodes: ``==`` is identity, as in TensorFlow 1 (``v in
    # tg.global_variables()`` works; ``tg.equal(a, b)`` compares element by element). Defined,
    # not inherited, so that NumPy defers to it (``np.float32(1) == t`` is False, as there).
    def __eq__(self, other):
        return self is other

    def __ne__(self, other):
        return self is not other

    __hash__ = object.__hash__

    def __str__(self):
        """TensorFlow 1's text: ``Tensor("Const:0", shape=(), dtype=float32)`` for a tensor of a
        program graph, ``tf.Tensor(1.0, shape=(), dtype=float32)`` for one computed eagerly
        (``repr`` stays teachgrad's, with the value and no quotes to type).

        >>> import teachgrad as tg
        >>> with tg.Graph().as_default():
        ...     print(tg.constant(1.0), tg.placeholder(tg.float32, name="x"))
        Tensor("Const:0", shape=(), dtype=float32) Tensor("x:0", dtype=float32)
        """
        if self.is_operation_only:
            return repr(self)
        dtype = self.dtype.name
        if getattr(self, "_graph", None) is None and self._value is not None:
            text = str(self._value[()] if self._value.__class__ is np.ndarray
                       and self._value.dtype == object and not self._value.ndim else self._value)
            text = "\n" + text if "\n" in text else text
            return f"tf.Tensor({text}, shape={self.shape}, dtype={dtype})"
        if self.prim is not None and self.prim.name in ("assign", "assign_add", "assign_sub"):
            dtype += "_ref"    # (an assignment gives the variable's reference, in TensorFlow 1)
        shape = "" if self.shape.ndims is None else f", shape={self.shape}"
        return f'Tensor("{self.name}"{shape}, dtype={dtype})'

    def __repr__(self):
        head = f"<tg.Tensor {self.name!r} shape={self.shape} dtype={self.dtype.name}"
        if self._value is None:
            if self.is_operation_only:
                return f"<tg.Operation {self.op_name!r} type={self.op.type}>"
            return head + " (no value yet: run it in a Session)>"
        v = np.array2string(np.asarray(self._value), precision=4, threshold=8, edgeitems=2,
                            separator=" ").replace("\n", "")
        return head + f" value={v}>"

    def _repr_pretty_(self, p, cycle):
        p.text(repr(self))

    def _repr_mimebundle_(self, include=None, exclude=None):
        if self._value is not None:
            return None   # a value: Jupyter shows the repr, as before
        return display(self)   # no value yet: the picture of the program it needs


class Output(Tensor):
    """An output of an op other than its first (``Unique:1``, the indices ``tg.unique`` gives
    beside the values): a node of its own for the engine and the Session, but named after the op
    it belongs to, as TensorFlow 1 names an op's outputs ``NAME:0``, ``NAME:1``, …"""

    __slots__ = ("_first", "_index")

    @property
    def op_name(self):
        return self._first.op_name

    @property
    def name(self):
        return f"{self.op_name}:{self._index}"

    @property
    def op(self):
        return Operation(self._first)


_new_shape = tuple.__new__


def value_of(t):
    """The value of tensor ``t``, or :class:`NoValueError` naming what to feed or initialize."""
    v = t._value
    if v is None:
        raise NoValueError.for_tensor(t)
    return v


def static_shape(t):
    """``t``'s shape as a plain tuple (``None`` for unknown sizes): the engine's fast way."""
    v = t._value
    return v.shape if v is not None else tuple(t._static[0])


def np_dtype(t):
    """``t``'s NumPy dtype (None for a node that makes no value)."""
    v = t._value
    return v.dtype if v is not None else t._static[1]


def constant(value, dtype=None, shape=None, name="Const"):
    """A tensor holding ``value`` (a number, nested list or array), with TensorFlow 1's dtypes: a
    Python float is float32, a Python int int32, a NumPy array keeps its own. ``shape`` broadcasts
    a value to that shape.

    >>> import teachgrad as tg
    >>> one = tg.constant(1)
    >>> two = one + one
    >>> two.numpy(), two.dtype
    (array(2, dtype=int32), tf.int32)
    >>> tg.constant(0.5, shape=(2, 2)).numpy()
    array([[0.5, 0.5],
           [0.5, 0.5]], dtype=float32)
    """
    v = _as_value(value, dtype)
    if shape is not None:
        v = np.broadcast_to(v, tuple(int(n) for n in shape)).copy()
    t = record(None, (), v, None)
    t._name = None
    if name is not None and name != "Const":
        graph = getattr(t, "_graph", None)
        if graph is None:
            t._name = name
        else:   # TensorFlow 1 checks a constant's whole name: "s/_a" is fine, "_a" is not
            graph.give_name(t, name, constant=True)
    return t


def as_tensor(x, dtype=None):
    """``x`` itself if it is a tensor, else a constant made from it (TensorFlow 1's dtypes)."""
    if isinstance(x, Tensor):
        if dtype is not None and np_dtype(x) != np.dtype(dtype):
            raise TypeError(f"expected a tensor of dtype {dtypes.as_dtype(dtype).name}, got "
                            f"{x.name!r} of dtype {x.dtype.name}: use tg.cast")
        return x
    return record(None, (), _as_value(x, dtype), None)


DTYPE_MISMATCH = ("{op}: input {i} has dtype {got} that does not match dtype {want} of input {j}; "
                  "TensorFlow 1 never converts between tensor dtypes: use tg.cast(x, tg.{want})")


def convert_like(x, dtype, what):
    """The constant tensor of Python number / list / array ``x`` in ``dtype`` (the dtype of the
    tensor it meets), as TensorFlow 1 converts: ints go into floats, floats never into ints.

    >>> import numpy as np
    >>> convert_like(2, np.dtype(np.float32), "add").dtype
    tf.float32
    >>> convert_like(1.5, np.dtype(np.int32), "add")
    Traceback (most recent call last):
    ...
    TypeError: add: cannot convert 1.5 (a float) to int32, the dtype of the tensor it meets; TensorFlow 1 does not convert floats to integers: write an int, or use tg.cast
    """
    v = np.asarray(x)
    kind, want = v.dtype.kind, dtype.kind
    if v.dtype == object or (kind == "f" and want in "iub") or (kind == "c" and want != "c") \
            or (kind in "iuf" and want == "b"):
        shown = repr(x) if v.size <= 4 else f"an array of dtype {v.dtype}"
        raise TypeError(f"{what}: cannot convert {shown} (a {type(x).__name__}) to {dtype.name}, "
                        "the dtype of the tensor it meets; TensorFlow 1 does not convert floats to "
                        "integers: write an int, or use tg.cast")
    return record(None, (), freeze(v.astype(dtype)) if v.ndim else dtype.type(v), None)


def _register(t):
    here = current.recording
    if here is not None:
        graph = here.graph
        if graph is None:    # a transform's tape (context.Tape): listed in order, no graph
            here.append(t)
            return
        t._graph = graph
        t._scope = here.scope
        graph.nodes.append(t)
        if here.control:
            t._control = here.control


def record(prim, inputs, value, params):
    """A new tensor: ``value`` made by ``prim`` from ``inputs`` (a constant when ``prim`` is None).

    Skips ``Tensor.__init__``'s conversions: the hot path makes every result here.
    """
    t = _new(Tensor)
    t._value = freeze(value) if value.__class__ is _ndarray else value
    t.prim = prim
    t.inputs = inputs
    t.params = params
    t._name = None
    t._serial = next(_serial)
    here = current.recording   # this thread's view of the graph it records into, a tape, or None
    if here is not None:   # (inlined _register)
        graph = here.graph
        if graph is None:    # a transform's tape (context.Tape): listed in order, no graph
            here.append(t)
            return t
        # graph mode: the program graph names and runs it
        t._graph = graph
        t._scope = here.scope
        graph.nodes.append(t)
        if here.control:
            t._control = here.control
    return t


def tape_constant(value, tape):
    """A new constant tensor holding NumPy scalar ``value``, listed on ``tape`` (a transform's
    ``context.Tape``, the recording state now): ``record(None, (), value, None)`` without its
    look-ups, for the transforms' hot path.

    >>> import numpy as np
    >>> from teachgrad.core.context import Tape
    >>> tape = Tape()
    >>> t = tape_constant(np.float64(2.0), tape)
    >>> tape == [t], t.prim, t.inputs, t.numpy()
    (True, None, (), array(2.))
    """
    t = _new(Tensor)
    t._value = value
    t.prim = None
    t.inputs = ()
    t.params = None
    t._name = None
    t._serial = next(_serial)
    tape.append(t)
    return t


def record_symbolic(prim, inputs, shape, dtype, params, cls=None):
    """A new tensor with no value yet, of static ``shape`` and NumPy ``dtype`` (None for a node
    that makes no value), made by ``prim`` from ``inputs``."""
    t = _new(cls or Tensor)
    t._value = None
    t._static = (shape if isinstance(shape, TensorShape) else TensorShape(shape),
                 None if dtype is None else np.dtype(dtype))
    t.prim = prim
    t.inputs = inputs
    t.params = params
    t._name = None
    t._serial = next(_serial)
    _register(t)
    return t


# How many times a leaf's value was replaced (an eager variable assigned): the engine checks for
# derivatives of a graph recorded before a replacement only when this is not 0.
values_replaced = [0]
# The serial number of the last replacement: a tensor made after it read every variable's value.
last_replaced = [0]


def replace_value(t, value):
    """Give leaf ``t`` (an eager variable) a new value. Nodes computed from the old one keep it, so
    ``t`` remembers when (``t._assigned``): a derivative through such a node would mix the two."""
    t._value = freeze(value)
    t._assigned = last_replaced[0] = next_serial()
    values_replaced[0] += 1


def next_serial():
    """A fresh serial number: everything made before now has a smaller one."""
    return next(_serial)


def make_leaf(cls, value, name=None):
    """A new root tensor of class ``cls`` (a Variable in eager mode) holding ``value``."""
    t = _new(cls)
    t._value = freeze(value)
    t.prim = None
    t.inputs = ()
    t.params = None
    t._name = name
    t._serial = next(_serial)
    _register(t)
    return t


def named(t, name):
    """``t`` with the name ``name`` when one is given (the ``name=`` argument of every function)."""
    if name is not None:
        t.name = name
    return t
