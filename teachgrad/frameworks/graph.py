"""The teaching graph of another framework's program: a :class:`~teachgrad.teaching.graph.Graph`
that knows which framework it came from and how to trace itself again at other input values.

Everything a teaching graph does works on it unchanged — ``derivative``, ``paths``, the steps of
both modes, the pictures, the players — because its nodes are teachgrad tensors (see
:mod:`.recorder`).
"""

from ..core.tensor import Tensor
from ..errors import ExpressionError
from ..teaching.graph import Graph
from ..teaching.notation import fmt, shorten

__all__ = ["FrameworkGraph", "make_graph"]


class FrameworkGraph(Graph):
    """A teaching graph traced from JAX or PyTorch (``framework``); :meth:`at` traces the same
    function again at other input values (a graph read off a tensor's recorded backward chain
    has no function: its values are the ones recorded)."""

    framework = None
    kind = "program"        # what was traced, for repr: "jaxpr", "aten graph", "grad_fn chain"
    _what = "a function"
    _retrace = None         # callable(values: {input name: value}) -> FrameworkGraph, or None

    @property
    def opaque(self):
        """The nodes whose numbers come from the framework (no teachgrad formula), in order."""
        return [n for n in self.nodes if getattr(self.node(n).op, "note", None)]

    def note(self, name):
        """Why node ``name`` shows the framework's numbers (None for a first-class node)."""
        return getattr(self.node(name).op, "note", None)

    def at(self, **values):
        """The same function traced again with some inputs at other values.

        >>> from teachgrad.frameworks import trace_jax
        >>> g = trace_jax(lambda a, b: (a + b) * (b + 1), 2.0, 1.0)
        >>> float(g.at(b=2.0).value("e"))
        12.0
        """
        unknown = [n for n in values if n not in self.inputs]
        if unknown:
            raise ExpressionError(f"{shorten(', '.join(unknown), 200)}: not an input of this "
                                  f"graph (its inputs are {', '.join(self.inputs)})")
        if self._retrace is None:
            raise ValueError(f"this graph was read off {self.framework}'s recorded {self.kind}: "
                             "its values are the ones recorded. Trace the function instead "
                             "(trace_torch(f, *args)) to give its inputs other values")
        current = {n: self.node(n).value for n in self.inputs}
        return self._retrace({**current, **values})

    def __repr__(self):
        shown = ", ".join(f"{n}={fmt(self.node(n).value)}" for n in self.inputs)
        what = getattr(self.source, "__name__", None) or self._what
        names = shorten(", ".join(self.nodes), 200)
        return (f"<Graph of {self.framework}'s {self.kind} of {what} at {shorten(shown, 200)}: "
                f"{len(self)} nodes {names}>")


def make_graph(recorder, outputs, source, framework, kind, retrace, what=None):
    """The :class:`FrameworkGraph` of ``outputs`` (tensors made by ``recorder``)."""
    outs = [t for t in outputs if isinstance(t, Tensor) and t in recorder.live]
    if not outs:
        raise ExpressionError(f"the {kind} has no output that depends on its inputs "
                              f"({', '.join(recorder.inputs)}): nothing to differentiate")
    given = dict(recorder.inputs)
    graph = FrameworkGraph._build(outs, list(given.values()), given, source=source, inputs=None)
    graph.framework, graph.kind, graph._retrace = framework, kind, retrace
    if what:
        graph._what = what
    return graph
