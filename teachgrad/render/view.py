"""What one picture shows: which steps of a propagation are done, which one is current, which
path is highlighted — and the checks that turn the caller's options into that state.

>>> import teachgrad as tg
>>> g = tg.trace("e = (a + b) * (b + 1)", a=2, b=1)
>>> view = View(g, "reverse", steps_for(g, "reverse", None, None), 2, None, 60)
>>> view.current.node, sorted(view.done), view.seed
('c', ['c', 'e'], 'e')
"""

import numpy as np

from ..teaching.elements import Path
from ..teaching.notation import MODES

__all__ = ["View", "steps_for", "path_for", "check_step"]


class View:
    """The state of one picture: the first ``step`` of ``steps`` done (all of them for ``None``),
    the last of those current, ``path`` highlighted; compact above ``max_nodes`` nodes. With
    ``hidden`` the current step's result is not shown yet: practice mode asks for it. Without
    ``edge_labels`` the edges are bare arrows (a first picture: nodes and arrows only)."""

    def __init__(self, graph, mode, steps, step, path, max_nodes, hidden=False,
                 edge_labels=True):
        self.mode = mode
        self.steps = steps
        self.n = len(steps) if steps is not None else 0
        self.k = self.n if step is None else step
        self.compact = len(graph) > max_nodes
        self.max_nodes = max_nodes
        done = steps[:self.k] if steps is not None else []
        self.current = done[-1] if done else None
        self.done = {s.node: s for s in done}
        self.reads = set(self.current.reads) if self.current is not None else set()
        self.used = {e for s in done[:-1] for e in s.reads}
        self.path = path
        self.path_nodes = set(path.nodes) if path is not None else set()
        self.path_edges = set(path.edges) if path is not None else set()
        seed = [s.node for s in steps if s.kind == "seed"] if steps is not None else []
        self.seed = seed[0] if seed else None
        self.hidden = bool(hidden) and self.current is not None
        self.edge_labels = bool(edge_labels)

    def asks(self, name):
        """True for the node whose new value the picture hides (``hidden``, the current step)."""
        return self.hidden and self.current.node == name


def steps_for(graph, mode, wrt, of):
    """The steps of ``mode`` on ``graph`` (``None`` for a static picture, ``mode=None``).

    >>> import teachgrad as tg
    >>> g = tg.trace("e = (a + b) * (b + 1)", a=2, b=1)
    >>> [s.node for s in steps_for(g, "forward", "b", None)]
    ['a', 'b', 'c', 'd', 'e']
    >>> steps_for(g, None, None, None) is None
    True
    """
    if mode is None:
        if wrt is not None or of is not None:
            raise ValueError("wrt/of choose where a propagation starts: give mode='forward' or "
                             "mode='reverse' too")
        return None
    if mode not in MODES:
        raise ValueError(f"mode {mode!r} not understood: expected None (a static picture), "
                         "'values', 'forward' or 'reverse'")
    return graph.steps(mode, wrt=wrt, of=of)


def path_for(graph, path):
    """``path`` (a :class:`~teachgrad.teaching.graph.Path` or a list of node names) as a ``Path`` of
    ``graph``; a ``KeyError`` names a missing edge.

    >>> import teachgrad as tg
    >>> g = tg.trace("e = (a + b) * (b + 1)", a=2, b=1)
    >>> path_for(g, ["b", "d", "e"]).text
    'b → d → e: 1·3 = 3'
    """
    if path is None:
        return None
    if isinstance(path, Path):
        names = list(path.nodes)
    elif isinstance(path, str):
        raise TypeError("path: give a Path (from graph.paths) or a list of node names, "
                        "not a string")
    else:
        names = list(path)
    if len(names) < 2:
        raise ValueError(f"path {names!r}: a path needs at least two nodes")
    return path if isinstance(path, Path) else graph.path(names)   # KeyError if no edge


def check_step(step, n):
    """Raise unless ``step`` is ``None`` or an int from 0 to ``n``.

    >>> check_step(5, 5)
    >>> check_step(6, 5)
    Traceback (most recent call last):
    ...
    ValueError: step 6 is out of range: this propagation has 5 steps, so step is 0 (nothing done yet) to 5 (all done)
    """
    if step is None:
        return
    if isinstance(step, bool) or not isinstance(step, (int, np.integer)):
        raise TypeError(f"step must be an int from 0 to {n}, got {step!r}")
    if not 0 <= step <= n:
        raise ValueError(f"step {step} is out of range: this propagation has {n} steps, so "
                         f"step is 0 (nothing done yet) to {n} (all done)")
