"""Element structures for ``tf.data``: a tensor, or tuples / namedtuples / dicts of them, as
TensorFlow's ``nest`` walks them (dict keys sorted), and the static spec of each component.

>>> s = structure_of((1.0, {"b": 2, "a": 3}))
>>> flatten((1.0, {"b": 2, "a": 3})), pack(s, ["x", "y", "z"])
([1.0, 3, 2], ('x', {'a': 'y', 'b': 'z'}))
"""

import collections

import numpy as np

from ...core import dtypes
from ...core.shapes import TensorShape

__all__ = ["LEAF", "Spec", "is_namedtuple", "structure_of", "flatten", "pack", "flatten_up_to",
           "declared_specs"]

LEAF = None   # the structure of a single tensor


def is_namedtuple(x):
    return isinstance(x, tuple) and hasattr(x, "_fields")


def structure_of(value):
    """The shape of ``value``'s nesting, leaves replaced by ``LEAF``. Lists are values (one
    tensor), as TensorFlow converts them; tuples and dicts are structures."""
    if isinstance(value, dict):
        return {k: structure_of(value[k]) for k in sorted(value)}
    if is_namedtuple(value):
        return type(value)(*[structure_of(v) for v in value])
    if isinstance(value, tuple):
        return tuple(structure_of(v) for v in value)
    return LEAF


def flatten(value):
    """The leaves of ``value`` in TensorFlow's order (dict keys sorted)."""
    if isinstance(value, dict):
        return [leaf for k in sorted(value) for leaf in flatten(value[k])]
    if isinstance(value, tuple):
        return [leaf for v in value for leaf in flatten(v)]
    return [value]


def pack(structure, leaves):
    """``leaves`` (in order) put back into ``structure``."""
    it = iter(leaves)

    def build(s):
        if isinstance(s, dict):
            return {k: build(v) for k, v in s.items()}
        if is_namedtuple(s):
            return type(s)(*[build(v) for v in s])
        if isinstance(s, tuple):
            return tuple(build(v) for v in s)
        return next(it)
    return build(structure)


def flatten_up_to(structure, value):
    """The parts of ``value`` at the leaves of ``structure`` (``output_shapes`` read along the
    structure of ``output_types``: a shape is a tuple itself)."""
    if isinstance(structure, dict):
        return [leaf for k in sorted(structure) for leaf in flatten_up_to(structure[k], value[k])]
    if isinstance(structure, tuple):
        if not isinstance(value, (tuple, list)) or len(value) != len(structure):
            raise ValueError(f"output_shapes {value!r} do not have the structure of "
                             "output_types")
        return [leaf for s, v in zip(structure, value) for leaf in flatten_up_to(s, v)]
    return [value]


def declared_specs(output_types, output_shapes):
    """The structure and component specs that ``output_types`` and ``output_shapes`` declare."""
    structure = structure_of(output_types)
    types = [np.dtype(dtypes.as_dtype(t).as_numpy_dtype) for t in flatten(output_types)]
    shapes = ([TensorShape(s) for s in flatten_up_to(structure, output_shapes)]
              if output_shapes is not None else [TensorShape(None)] * len(types))
    return structure, [Spec(s, t) for s, t in zip(shapes, types)]



class Spec(collections.namedtuple("Spec", "shape dtype")):
    """A component's static shape (``TensorShape``) and NumPy dtype."""

