"""TensorFlow's ``nest``, as far as recurrent states need it: tensors in tuples, lists and
namedtuples (``LSTMStateTuple``), flattened leaf by leaf or mapped over.

>>> import collections
>>> Pair = collections.namedtuple("Pair", "c h")
>>> flatten((1, Pair(2, 3)))
[1, 2, 3]
"""

from ..core.shapes import TensorShape

__all__ = ["flatten", "map_structure"]


def _is_leaf(x):
    return not isinstance(x, (list, tuple)) or isinstance(x, TensorShape)


def flatten(structure):
    """The leaves of a state (tensors in tuples, lists, LSTMStateTuples), in order.

    >>> flatten([1, (2, 3)])
    [1, 2, 3]
    """
    if _is_leaf(structure):
        return [structure]
    return [leaf for part in structure for leaf in flatten(part)]


def map_structure(fn, *structures):
    """``fn`` applied leaf by leaf to structures of one shape (TensorFlow's ``nest``).

    >>> map_structure(lambda a, b: a + b, (1, [2, 3]), (10, [20, 30]))
    (11, [22, 33])
    """
    first = structures[0]
    if _is_leaf(first):
        return fn(*structures)
    parts = [map_structure(fn, *children) for children in zip(*structures)]
    return type(first)(*parts) if hasattr(first, "_fields") else type(first)(parts)
