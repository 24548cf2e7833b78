"""What the widgets accept: each check returns the value it was given (or its clean form) or raises
an error that names what was wrong and what was expected.

>>> import teachgrad as tg
>>> check_node(tg.trace("e = a * b", a=1, b=2), "z", "wrt")
Traceback (most recent call last):
...
teachgrad.errors.UnknownNodeError: "wrt 'z' is not a node of this graph: its nodes are a, b, e"
"""

import numpy as np

from ..errors import UnknownNodeError
from ..teaching.graph import Graph
from ..teaching.notation import MODES

__all__ = ["check_graph", "check_mode", "check_node", "check_index", "check_point", "is_scalar",
           "plain"]


def check_graph(graph):
    """A traced :class:`~teachgrad.teaching.graph.Graph`, or a ``TypeError`` that shows how to get one.

    >>> check_graph("e = a * b")
    Traceback (most recent call last):
    ...
    TypeError: expected a traced graph (teachgrad.trace(...)), got str: try tg.trace(...)
    """
    if not isinstance(graph, Graph):
        raise TypeError(f"expected a traced graph (teachgrad.trace(...)), got "
                        f"{type(graph).__name__}: try tg.trace('e = (a + b) * (b + 1)', a=2, b=1)")


def check_mode(mode):
    """``"values"``, ``"forward"`` or ``"reverse"``.

    >>> check_mode("reverse")
    'reverse'
    """
    if mode not in MODES:
        raise ValueError(f"mode {mode!r} not understood: expected 'values', 'forward' or 'reverse'")
    return mode


def check_node(graph, name, what):
    """A node of ``graph``; ``what`` names the argument in the error (``UnknownNodeError``).

    >>> import teachgrad as tg
    >>> check_node(tg.trace("e = a * b", a=1, b=2), "a", "src")
    'a'
    """
    if name not in graph:
        raise UnknownNodeError(f"{what} {name!r} is not a node of this graph: its nodes are "
                               f"{', '.join(graph.nodes)}")
    return name


def check_index(value, n, what):
    """An int from 0 to ``n``.

    >>> check_index(3, 5, "step")
    3
    """
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)):
        raise TypeError(f"{what} must be an int from 0 to {n}, got {value!r}")
    if not 0 <= value <= n:
        raise ValueError(f"{what} {value} is out of range: it must be from 0 to {n}")
    return int(value)


def check_point(value, lo, hi, what):
    """A number in the plotted range ``[lo, hi]``, as a float.

    >>> check_point(1, -2, 2, "point")
    1.0
    """
    try:
        v = float(value)
    except (TypeError, ValueError):
        raise TypeError(f"{what} must be a number, got {value!r}") from None
    if not lo <= v <= hi:
        raise ValueError(f"{what} {v:g} is outside the plotted range [{lo:g}, {hi:g}]")
    return v


def is_scalar(v):
    """True for a number (an input that gets a slider), False for an array.

    >>> is_scalar(2.0), is_scalar(np.zeros(3))
    (True, False)
    """
    return np.ndim(v) == 0


def plain(v):
    """A 0-d array as a float; an array stays an array.

    >>> plain(np.float64(2.5))
    2.5
    """
    return float(v) if np.ndim(v) == 0 else np.asarray(v)
