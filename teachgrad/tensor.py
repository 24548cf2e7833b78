"""Tensors, and the record every operation leaves behind.

A :class:`Tensor` is a read-only NumPy value plus the *record* of how it was made: the primitive that
made it (``op``), the tensors it was made from (``inputs``) and any non-tensor arguments (``params``).
Following those records backwards from a result walks the computation graph, which is all that
reverse mode, forward mode and the teaching pictures need.

The engine is this file (values and records), ``primitive.py`` (what an operation is, and applying
one), the ``ops`` package (one declaration per operation: value, local partials, formulas) and
``autodiff.py`` (walking the graph).
"""

import itertools

import numpy as np

from .errors import ShapeError

__all__ = ["Tensor", "Variable", "constant", "as_tensor", "record", "named"]


def _freeze(value):
    """Make a value safe to share: numpy scalars are immutable, arrays become read-only."""
    if type(value) is np.ndarray:
        if value.ndim == 0:
            return value[()]  # a numpy scalar: immutable and much faster than a 0-d array
        value.flags.writeable = False
    return value


def _as_value(x, dtype=None):
    """The numpy value of a Python number, list, array or tensor."""
    if dtype is None:
        cls = x.__class__
        if cls is float:
            return np.float64(x)
        if cls is int and -2**63 <= x < 2**63:
            return np.int64(x)
        if isinstance(x, np.generic):
            return x   # numpy scalars are immutable
    if isinstance(x, Tensor):
        x = x._value
    v = np.asarray(x, dtype=dtype)
    if v.dtype == object:
        raise TypeError(f"cannot make a tensor of {type(x).__name__} {x!r}: expected numbers or arrays")
    if v is x and type(v) is np.ndarray and v.ndim:
        v = v.copy()  # never freeze the caller's own array
    return _freeze(v)


_new = object.__new__
# Every tensor takes the next number when it is made. A tensor is made after its inputs, so sorting
# by this number is a topological order: no recursion and no visiting stack needed.
_serial = itertools.count()


class Tensor:
    """A NumPy value that remembers how it was computed.

    >>> import teachgrad as tg
    >>> x = tg.constant([1.0, 2.0, 3.0], name="x")
    >>> y = x * x + 1
    >>> y
    <tg.Tensor 'add' shape=(3,) dtype=float64 value=[ 2.  5. 10.]>
    >>> y.shape, y.dtype, y.ndim
    ((3,), dtype('float64'), 1)
    >>> tg.gradients(y, x)[0].numpy()
    array([2., 4., 6.])
    """

    __slots__ = ("_value", "prim", "inputs", "params", "_name", "_serial", "__weakref__")
    __array_priority__ = 1000  # so ndarray + Tensor defers to Tensor.__radd__

    def __init__(self, value, dtype=None, name=None):
        self._value = _as_value(value, dtype)
        self.prim = None
        self.inputs = ()
        self.params = None
        self._name = name
        self._serial = next(_serial)

    # --- the value -------------------------------------------------------------------------
    @property
    def shape(self):
        return self._value.shape   # ndarrays and numpy scalars both have .shape

    @property
    def dtype(self):
        return self._value.dtype

    @property
    def ndim(self):
        return self._value.ndim

    @property
    def size(self):
        return self._value.size

    @property
    def op(self):
        """The operation that made this tensor (None for a constant)."""
        return self.prim

    @property
    def name(self):
        """The name given by the user, else the name of the operation that made it."""
        if self._name is not None:
            return self._name
        return self.prim.name if self.prim is not None else "Const"

    @name.setter
    def name(self, value):
        self._name = value

    def numpy(self):
        """A fresh NumPy copy of the value (a 0-d array for a scalar)."""
        return np.array(self._value)

    def item(self):
        return self._value.item()

    def __array__(self, dtype=None, copy=None):
        v = np.asarray(self._value)
        if dtype is not None and v.dtype != dtype:
            return v.astype(dtype)
        if copy:
            return v.copy()
        return v

    def __float__(self):
        return float(self._value)

    def __int__(self):
        return int(self._value)

    def __index__(self):
        if not np.issubdtype(self.dtype, np.integer):
            raise TypeError(f"only integer tensors can be used as an index, not {self.dtype}")
        return int(self._value)

    def __bool__(self):
        if self.size != 1:
            raise ValueError(f"the truth value of a tensor of shape {self.shape} is ambiguous; "
                             "use tg.reduce_any/np.any or compare element by element")
        return bool(self._value)

    def __len__(self):
        if not self.ndim:
            raise TypeError("len() of a scalar tensor")
        return self.shape[0]

    def __iter__(self):
        if not self.ndim:
            raise TypeError("iteration over a scalar tensor")
        return (self[i] for i in range(self.shape[0]))

    __hash__ = object.__hash__  # tensors are graph nodes: identity, not value

    def __repr__(self):
        v = np.array2string(np.asarray(self._value), precision=4, threshold=8, edgeitems=2,
                            separator=" ").replace("\n", "")
        return f"<tg.Tensor {self.name!r} shape={self.shape} dtype={self.dtype} value={v}>"

    def _repr_pretty_(self, p, cycle):
        p.text(repr(self))


class Variable(Tensor):
    """A tensor whose value can change; differentiable like any tensor.

    The operations already computed keep their values; gradients read a variable's value when they
    are computed, so compute gradients before assigning (as a training step does).

    >>> import teachgrad as tg
    >>> w = tg.Variable([1.0, 2.0], name="w")
    >>> w.assign_sub([0.5, 0.5])
    <tg.Variable 'w' shape=(2,) dtype=float64 value=[0.5 1.5]>
    >>> w.assign([1.0, 2.0, 3.0])
    Traceback (most recent call last):
    ...
    teachgrad.errors.ShapeError: Variable 'w'.assign: new value has shape (3,), expected (2,) like the variable
    """

    __slots__ = ()

    def __init__(self, initial, dtype=None, name=None):
        super().__init__(initial, dtype, name)

    def assign(self, value):
        new = _as_value(value)
        if np.shape(new) != self.shape:
            raise ShapeError(f"Variable {self.name!r}.assign: new value has shape {np.shape(new)}, "
                             f"expected {self.shape} like the variable")
        self._value = _freeze(np.array(new, dtype=self.dtype))
        return self

    def assign_add(self, delta):
        return self.assign(self._value + _as_value(delta))

    def assign_sub(self, delta):
        return self.assign(self._value - _as_value(delta))

    def __repr__(self):
        return "<tg.Variable" + super().__repr__()[len("<tg.Tensor"):]


def constant(value, dtype=None, name=None):
    """A tensor holding ``value`` (a number, nested list or array); NumPy picks the dtype.

    >>> import teachgrad as tg
    >>> one = tg.constant(1)
    >>> two = one + one
    >>> two.numpy(), two.dtype
    (array(2), dtype('int64'))
    """
    return Tensor(value, dtype, name)


def as_tensor(x):
    """``x`` itself if it is a tensor, else a constant made from it."""
    if isinstance(x, Tensor):
        return x
    return record(None, (), _as_value(x), None)


def record(prim, inputs, value, params):
    """A new tensor: ``value`` made by ``prim`` from ``inputs`` (a constant when ``prim`` is None).

    Skips ``Tensor.__init__``'s conversions: the hot path makes every result here.
    """
    t = _new(Tensor)
    t._value = _freeze(value) if value.__class__ is np.ndarray else value
    t.prim = prim
    t.inputs = inputs
    t.params = params
    t._name = None
    t._serial = next(_serial)
    return t


def named(t, name):
    """``t`` with the name ``name`` when one is given (the ``name=`` argument of every function)."""
    if name is not None:
        t.name = name
    return t
