"""``TensorShape``: a shape whose dimensions may be unknown (``None``), as in TensorFlow 1.

It is a tuple (of ints and ``None``), so it compares equal to tuples and lists and slices like one;
an item is a :class:`Dimension` with TensorFlow 1's ``.value`` (``None`` when unknown).

>>> s = TensorShape([None, 3])
>>> s, s.as_list(), s.ndims, s.is_fully_defined(), s == (None, 3), s == [None, 3]
(TensorShape([None, 3]), [None, 3], 2, False, True, True)
>>> str(s), s[1], s[1].value, s[0], s[0].value
('(?, 3)', Dimension(3), 3, Dimension(None), None)
>>> s.merge_with([5, None]), s.concatenate([2])
(TensorShape([5, 3]), TensorShape([None, 3, 2]))
"""

__all__ = ["TensorShape", "Dimension", "unknown_dims", "merge_shapes"]


class Dimension(int):
    """A known dimension: an int with TensorFlow 1's ``.value``. ``Dimension(None)`` is the
    unknown dimension (its ``.value`` is None; comparing it with anything gives None, as in TF)."""

    def __new__(cls, value):
        value = getattr(value, "value", value)
        if value is None:
            return UNKNOWN_DIMENSION
        value = int(value)
        if value < 0:
            raise ValueError(f"Dimension {value} must be >= 0")
        return super().__new__(cls, value)

    @property
    def value(self):
        return int(self)

    def __repr__(self):
        return f"Dimension({int(self)})"


class _UnknownDimension:
    """A size not known until the graph runs (TensorFlow 1's ``Dimension(None)``)."""

    __slots__ = ()
    value = None

    def __repr__(self):
        return "Dimension(None)"

    def __str__(self):
        return "?"

    def _unknown(self, other=None):
        return None   # TensorFlow 1: unknown compared with anything is unknown (None)

    __eq__ = __ne__ = __lt__ = __le__ = __gt__ = __ge__ = _unknown

    def _same(self, other=None):
        return self   # arithmetic with an unknown size gives an unknown size

    __add__ = __radd__ = __sub__ = __rsub__ = __mul__ = __rmul__ = _same
    __floordiv__ = __rfloordiv__ = __mod__ = __rmod__ = _same

    def __hash__(self):
        return hash(None)

    def __reduce__(self):
        return Dimension, (None,)

    def __index__(self):
        raise TypeError("this dimension's size is not known until the graph runs (it is None "
                        "in the static shape): use tg.shape(x) for the size at run time")

    __int__ = __index__


UNKNOWN_DIMENSION = _UnknownDimension()


def _size(d):
    d = getattr(d, "value", d)
    if d is None:
        return None
    d = int(d)
    if d < 0:
        raise ValueError(f"Dimension {d} must be >= 0 (a shape's sizes are counts; use None for "
                         "a size not known yet)")
    return d


class TensorShape(tuple):
    """The static shape of a tensor: a tuple of ints and ``None`` for unknown sizes."""

    def __new__(cls, dims=()):
        if dims is None:
            return _UNKNOWN_RANK
        if isinstance(dims, TensorShape):
            return dims
        if isinstance(dims, (int, Dimension)):   # TensorShape(3) is the shape (3,), as in TF
            dims = (dims,)
        return super().__new__(cls, (_size(d) for d in dims))

    @property
    def ndims(self):
        return len(self)

    @property
    def rank(self):
        return self.ndims

    @property
    def dims(self):
        return [Dimension(d) for d in self]

    def as_list(self):
        return list(self)

    def is_fully_defined(self):
        return None not in self

    def num_elements(self):
        if not self.is_fully_defined():
            return None
        n = 1
        for d in self:
            n *= d
        return n

    def is_compatible_with(self, other):
        other = TensorShape(other)
        if other.ndims is None:
            return True
        return len(other) == len(self) and all(
            a is None or b is None or a == b for a, b in zip(self, other))

    def assert_is_compatible_with(self, other):
        if not self.is_compatible_with(other):
            raise ValueError(f"Shapes {self} and {TensorShape(other)} are incompatible")

    def merge_with(self, other):
        """The most specific shape compatible with both (``(None, 3)`` and ``(5, None)``
        give ``(5, 3)``); a ``ValueError`` if they are not compatible."""
        other = TensorShape(other)
        self.assert_is_compatible_with(other)
        return merge_shapes(self, other)

    def concatenate(self, other):
        other = TensorShape(other)
        if other.ndims is None:
            return _UNKNOWN_RANK
        return TensorShape(tuple(self) + tuple(other))

    def with_rank(self, rank):
        if self.ndims != rank:
            raise ValueError(f"Shape {self} must have rank {rank}")
        return self

    def assert_has_rank(self, rank):
        self.with_rank(rank)

    def assert_same_rank(self, other):
        other = TensorShape(other)
        if other.ndims is not None and other.ndims != self.ndims:
            raise ValueError(f"Shapes {self} and {other} must have the same rank")

    def __getitem__(self, key):
        item = tuple.__getitem__(self, key)
        if isinstance(key, slice):
            return TensorShape(item)
        return Dimension(item)

    def __eq__(self, other):
        if isinstance(other, (tuple, list)):
            return tuple(self) == tuple(other)
        return NotImplemented

    def __ne__(self, other):
        eq = self.__eq__(other)
        return eq if eq is NotImplemented else not eq

    __hash__ = tuple.__hash__

    def __add__(self, other):
        return TensorShape(tuple(self) + tuple(other))

    def __radd__(self, other):
        return TensorShape(tuple(other) + tuple(self))

    def __repr__(self):
        return f"TensorShape({list(self)})"

    def __str__(self):
        inner = ", ".join("?" if d is None else str(d) for d in self)
        return f"({inner},)" if len(self) == 1 else f"({inner})"


class _UnknownRank(TensorShape):
    """A shape whose rank is not known either (a placeholder made with ``shape=None``)."""

    @property
    def ndims(self):
        return None

    @property
    def dims(self):
        return None

    def as_list(self):
        raise ValueError("as_list() is not defined on an unknown TensorShape.")

    def is_fully_defined(self):
        return False

    def is_compatible_with(self, other):
        return True

    def merge_with(self, other):
        return TensorShape(other)

    def concatenate(self, other):
        return self

    def with_rank(self, rank):
        return TensorShape([None] * rank)

    def __eq__(self, other):
        return other is self

    def __ne__(self, other):
        return other is not self

    __hash__ = tuple.__hash__

    def __reduce__(self):   # (one unknown-rank shape: copies and pickles stay it)
        return TensorShape, (None,)

    def __repr__(self):
        return "TensorShape(None)"

    def __str__(self):
        return "<unknown>"


_UNKNOWN_RANK = tuple.__new__(_UnknownRank, ())


def unknown_dims(shape):
    """Whether a static shape has unknown dimensions (or an unknown rank)."""
    return shape is _UNKNOWN_RANK or None in shape


def merge_shapes(a, b):
    """The more specific of two compatible static shapes (``(None, 3)`` and ``(2, None)`` give
    ``(2, 3)``)."""
    if a is _UNKNOWN_RANK:
        return b
    if b is _UNKNOWN_RANK:
        return a
    return TensorShape(x if x is not None else y for x, y in zip(a, b))
