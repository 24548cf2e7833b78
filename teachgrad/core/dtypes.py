"""TensorFlow-1 data types: ``tg.float32``, ``tg.int32``, … as :class:`DType` objects.

A ``DType`` compares equal to the NumPy dtype, the NumPy type and the name it stands for, and NumPy
accepts it wherever a dtype is expected (``np.zeros(3, dtype=tg.float32)``).

>>> import numpy as np, teachgrad as tg
>>> tg.float32, tg.float32.name, tg.float32 == np.float32, tg.float32 == "float32"
(tf.float32, 'float32', True, True)
>>> tg.constant(1).dtype, tg.constant(1.5).dtype, tg.constant(np.float64(1)).dtype
(tf.int32, tf.float32, tf.float64)
"""

import numpy as np

__all__ = ["DType", "as_dtype", "float16", "float32", "float64", "bfloat16", "int8", "int16",
           "int32", "int64", "uint8", "uint16", "bool", "complex64", "complex128", "string",
           "default_dtype_of", "TF_NAMES", "is_text", "text_value", "check_python_values"]


class DType:
    """A TensorFlow dtype over a NumPy dtype."""

    __slots__ = ("dtype",)

    def __init__(self, np_dtype):
        self.dtype = np.dtype(np_dtype)   # NumPy reads this attribute: np.dtype(tg.float32) works

    @property
    def name(self):
        kind = self.dtype.kind
        return "bool" if kind == "b" else "string" if kind == "O" else self.dtype.name

    @property
    def as_numpy_dtype(self):
        return self.dtype.type

    @property
    def base_dtype(self):
        return self

    @property
    def is_floating(self):
        return self.dtype.kind == "f"

    @property
    def is_integer(self):
        return self.dtype.kind in "iu"

    @property
    def is_complex(self):
        return self.dtype.kind == "c"

    @property
    def is_bool(self):
        return self.dtype.kind == "b"

    @property
    def is_unsigned(self):
        return self.dtype.kind == "u"

    @property
    def size(self):
        return self.dtype.itemsize

    @property
    def min(self):
        return np.finfo(self.dtype).min if self.is_floating else np.iinfo(self.dtype).min

    @property
    def max(self):
        return np.finfo(self.dtype).max if self.is_floating else np.iinfo(self.dtype).max

    def __eq__(self, other):
        if isinstance(other, DType):
            return self.dtype == other.dtype
        try:
            return self.dtype == as_dtype(other).dtype
        except TypeError:
            return NotImplemented

    def __ne__(self, other):
        eq = self.__eq__(other)
        return eq if eq is NotImplemented else not eq

    def __hash__(self):
        return hash(self.dtype)

    def __repr__(self):
        return f"tf.{self.name}"

    def __str__(self):
        return f"<dtype: '{self.name}'>"

    def __reduce__(self):
        return as_dtype, (self.name,)


_BY_NUMPY = {}


def _make(np_dtype):
    d = DType(np_dtype)
    _BY_NUMPY[d.dtype] = d
    return d


float16, float32, float64 = _make(np.float16), _make(np.float32), _make(np.float64)
int8, int16, int32, int64 = _make(np.int8), _make(np.int16), _make(np.int32), _make(np.int64)
uint8, uint16 = _make(np.uint8), _make(np.uint16)
bool = _make(np.bool_)  # noqa: A001  (TensorFlow's name)
complex64, complex128 = _make(np.complex64), _make(np.complex128)
string = _make(np.object_)
bfloat16 = float16   # no bfloat16 in NumPy: the nearest it has

# TensorFlow's names that are not NumPy's.
TF_NAMES = {"float": float32, "double": float64, "half": float16, "bool": bool, "string": string}


def as_dtype(x):
    """The :class:`DType` of a DType, NumPy dtype or type, or name (``"float32"``, ``tf.int32``).

    >>> as_dtype("float64"), as_dtype(np.int32)
    (tf.float64, tf.int32)
    >>> as_dtype("complex-ish")
    Traceback (most recent call last):
    ...
    TypeError: cannot interpret 'complex-ish' as a data type: expected a DType such as tf.float32, a NumPy dtype or its name
    """
    if isinstance(x, DType):
        return x
    if isinstance(x, str) and x in TF_NAMES:
        return TF_NAMES[x]
    try:
        dtype = np.dtype(x)
    except TypeError:
        raise TypeError(f"cannot interpret {x!r} as a data type: expected a DType such as "
                        "tf.float32, a NumPy dtype or its name") from None
    found = _BY_NUMPY.get(dtype)
    return found if found is not None else _make(dtype)


def default_dtype_of(value):
    """The NumPy dtype TensorFlow 1 gives a value: a Python float (or a list of them) is float32,
    a Python int int32 (int64 when it does not fit), a bool bool, a NumPy value keeps its own.

    >>> default_dtype_of(1.5), default_dtype_of([1, 2]), default_dtype_of(2**40)
    (dtype('float32'), dtype('int32'), dtype('int64'))
    >>> default_dtype_of(np.arange(3.0))
    dtype('float64')
    """
    if isinstance(value, (np.ndarray, np.generic)):
        return value.dtype
    v = np.asarray(value)
    kind = v.dtype.kind
    if kind == "f":
        return np.dtype(np.float32)
    if kind in "iu":
        if v.size and (v.max() > 2**31 - 1 or v.min() < -2**31):
            return np.dtype(np.int64)
        return np.dtype(np.int32)
    if kind == "c":
        return np.dtype(np.complex128)
    return v.dtype


# --- Python values meeting a dtype ----------------------------------------------------------------

def is_text(x, dtype):
    """Whether ``x`` makes a string tensor: a str or bytes, nested lists of them (judged by the
    first element), a NumPy array of text, or ``dtype`` tg.string."""
    if dtype is not None:
        return np.dtype(dtype) == object
    if isinstance(x, np.ndarray):
        return x.dtype.kind in "USO"
    while isinstance(x, (list, tuple)) and x:
        x = x[0]
    return isinstance(x, (str, bytes, np.str_, np.bytes_))


def text_value(x):
    """A string tensor's value as TensorFlow 1 holds it: UTF-8 bytes in an object array, so that
    a Session fetches ``b'hello'``.

    >>> text_value(["a", b"bc"]).tolist()
    [b'a', b'bc']
    """
    v = np.empty(np.shape(x), dtype=object)
    for k, s in np.ndenumerate(np.asarray(x, dtype=object)):
        if isinstance(s, str):
            s = s.encode("utf-8")
        elif not isinstance(s, bytes):
            raise TypeError(f"Expected string, but got {s} of type '{type(s).__name__}'.")
        v[k] = s
    return v


# Python values TensorFlow 1 will not put into a tensor of a given kind of dtype (a float into an
# int32 tensor, an int into a bool one: it refuses rather than truncates).
_REFUSED = {"i": (float, complex, str), "u": (float, complex, str), "b": (int, float, complex, str),
            "f": (complex, str), "c": (str,)}


def check_python_values(x, dtype):
    """``TypeError`` for a Python value TensorFlow 1 will not put into a tensor of ``dtype``.

    >>> check_python_values([1, 2.5], np.dtype(np.int32))
    Traceback (most recent call last):
    ...
    TypeError: Expected int32, but got 2.5 of type 'float'. TensorFlow 1 does not convert a Python float to int32: write the value as one, or use tg.cast
    """
    refused = _REFUSED.get(dtype.kind)
    if refused is None:
        return
    items = [x] if not isinstance(x, (list, tuple)) else np.asarray(x, dtype=object).flat
    for item in items:
        if type(item) in refused:
            name = "bool" if dtype.kind == "b" else dtype.name
            raise TypeError(f"Expected {name}, but got {item} of type '{type(item).__name__}'. "
                            f"TensorFlow 1 does not convert a Python {type(item).__name__} to "
                            f"{name}: write the value as one, or use tg.cast")
