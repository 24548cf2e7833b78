"""``TensorShape``: a shape whose dimensions may be unknown (``None``), as in TensorFlow 1.

It is a tuple, so it compares equal to tuples and lists and slices like one.

>>> s = TensorShape([None, 3])
>>> s, s.as_list(), s.ndims, s.is_fully_defined(), s == (None, 3), s == [None, 3]
(TensorShape([None, 3]), [None, 3], 2, False, True, True)
>>> str(s), s[1], s[1].value
('(?, 3)', Dimension(3), 3)
"""

__all__ = ["TensorShape", "Dimension", "unknown_dims", "merge_shapes"]


class Dimension(int):
    """A known dimension: an int with TensorFlow 1's ``.value``."""

    @property
    def value(self):
        return int(self)

    def __repr__(self):
        return f"Dimension({int(self)})"


class TensorShape(tuple):
    """The static shape of a tensor: a tuple of ints and ``None`` for unknown sizes."""

    def __new__(cls, dims=()):
        if dims is None:
            return _UNKNOWN_RANK
        return super().__new__(cls, (None if d is None else int(d) for d in dims))

    @property
    def ndims(self):
        return len(self)

    @property
    def rank(self):
        return len(self)

    @property
    def dims(self):
        return [Dimension(d) if d is not None else None for d in self]

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
        other = tuple(other)
        return len(other) == len(self) and all(
            a is None or b is None or a == b for a, b in zip(self, other))

    def __getitem__(self, key):
        item = tuple.__getitem__(self, key)
        if isinstance(key, slice):
            return TensorShape(item)
        return None if item is None else Dimension(item)

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

    def as_list(self):
        raise ValueError("as_list() is not defined on an unknown TensorShape")

    def is_fully_defined(self):
        return False

    def is_compatible_with(self, other):
        return True

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
