"""The teaching model of a computation graph: named nodes, local partials on edges, paths.

``trace("e = (a + b) * (b + 1)", a=2, b=1)`` checks the text against a whitelist
(:mod:`teachgrad.teaching.expressions`; nothing is ``eval``-ed), computes it with the core — so the graph is
exactly what the engine recorded — and names every node. Numbers fold into the node that uses them
(``d = b + 1`` is one node with one input), and unnamed intermediate results take the next free
single letters. The steps of each mode are written by :mod:`teachgrad.teaching.steps`.

This module needs only NumPy; pictures are drawn by :mod:`teachgrad.render` (Graphviz) when asked
for: the one import of this layer that points up (``Graph.svg``, ``to_dot``, the Jupyter display).
"""

import numpy as np

from ..autodiff.transforms import backward, traced_call
from ..core.operation import Operation
from ..core.program_graph import paused_recording
from ..core.tensor import Tensor
from ..errors import ExpressionError, NoValueError, UnknownNodeError
from . import program_trace as programs
from .callables import call_arguments
from .elements import Edge, Node, Path, make_edge, make_node, path_product
from .expressions import evaluate, normalize_inputs, parse
from .naming import given_name, name_nodes
from .notation import fmt as _fmt, shorten
from . import steps
from .steps import Step

__all__ = ["trace", "Graph", "Node", "Edge", "Path", "Step", "given_name", "retrace",
           "whole_program", "mimebundle"]


def trace(source, feed_dict=None, session=None, **inputs):
    """The computation graph of ``source`` at the given inputs.

    ``source`` is text — assignments and/or one final expression, over one or more lines — or a
    Python function whose parameters are the inputs (a parameter left out keeps its default);
    or the fetches of a recorded TensorFlow-1 program (a tensor, an operation or a list of them),
    traced with ``feed_dict`` (and ``session=`` for the values of variables) and ``collapse=``
    (the scopes its pictures draw as one box; see :mod:`teachgrad.teaching.program_trace`).
    A tensor the function names with ``name=`` keeps that name unless a node has it already:
    then it is ``s_2``, ``s_3``, … — two nodes never share a name.

    >>> import teachgrad as tg
    >>> g = tg.trace("e = (a + b) * (b + 1)", a=2, b=1)
    >>> g.nodes
    ['a', 'b', 'c', 'd', 'e']
    >>> [float(g.value(n)) for n in g.nodes]
    [2.0, 1.0, 3.0, 2.0, 6.0]
    >>> g.edge("c", "e").label
    '∂e/∂c = d = 2'
    >>> float(g.derivative("e", "a")), float(g.derivative("e", "b"))
    (2.0, 5.0)
    >>> tg.trace("e = a.b", a=1)
    Traceback (most recent call last):
    ...
    teachgrad.errors.ExpressionError: attribute access not allowed: only numbers, names, + - * / ** @, unary minus and the functions sin, cos, ... (line 1, column 5)
    """
    if programs.is_fetch(source):
        return _trace_program(source, feed_dict, session, inputs)
    # Text and functions take any input names, these two as well.
    inputs.update({k: v for k, v in (("feed_dict", feed_dict), ("session", session))
                   if v is not None})
    if callable(source) and not isinstance(source, str):
        return _trace_callable(source, normalize_inputs(inputs))
    if not isinstance(source, str):
        raise TypeError(f"trace: source is a {type(source).__name__}; expected the text of an "
                        "expression or a Python function")
    return _trace_text(source, normalize_inputs(inputs), {})


def _trace_text(source, inputs, overrides):
    """Text at ``inputs``; ``overrides`` replaces the values of its ``x = 3`` lines."""
    parsed = parse(source, inputs)
    with paused_recording():   # the teaching graph records for itself, never into the program
        run = evaluate(parsed, inputs, overrides)
        graph = Graph._build(run.outputs, run.inputs, run.names, source=source, inputs=inputs)
    graph.text_inputs = [n for n in graph.inputs if n not in inputs]
    graph._overrides = dict(overrides)
    return graph


def _trace_program(fetches, feed_dict, session, options):
    collapse = options.pop("collapse", None)
    if options:
        raise TypeError(f"trace: unexpected argument{'s' * (len(options) > 1)} "
                        f"{', '.join(options)} for a program: trace(fetches, feed_dict=None, "
                        "session=None, collapse=None)")
    recording = programs.build(fetches, feed_dict, session)
    graph = Graph._assemble(recording.nodes, recording.inputs, recording.outputs, None, {},
                            recording.program)
    recording.program.collapse = recording.program.scopes.resolve(collapse)
    return graph


def _trace_callable(f, inputs):
    with paused_recording():   # the teaching graph records for itself, never into the program
        tensors, args, kwargs = call_arguments(f, inputs)
        # float(x), math.sin(x), np.sin(x) of an input would draw a wrong derivative: refused
        out = traced_call(f, args, tensors, "trace", kwargs)
    outs = list(out) if isinstance(out, (list, tuple)) else [out]
    if not outs or not all(isinstance(o, Tensor) for o in outs):
        got = ", ".join(type(o).__name__ for o in outs) or "nothing"
        raise ExpressionError(f"trace: the function returned no tensor computed from its inputs "
                              f"(it returned {shorten(got, 100)}; use tg.sin, not np.sin)")
    with paused_recording():
        graph = Graph._build(outs, tensors, {}, source=f, inputs=inputs)
    if not graph.outputs:
        raise ExpressionError("trace: the function's result does not depend on its inputs "
                              f"({', '.join(graph.inputs)}): nothing to differentiate")
    return graph


class Graph:
    """A traced computation: named nodes in topological order, local partials on the edges.

    Make one with :func:`trace`. Everything is computed at the inputs' current values; use
    :meth:`at` for the same graph at other values.
    """

    def __init__(self):
        raise TypeError("make a Graph with teachgrad.trace(source, **inputs)")

    @classmethod
    def _build(cls, outputs, input_tensors, given_names, source=None, inputs=None):
        op_tensors, name_of = name_nodes(outputs, input_tensors, given_names)
        nodes = {}
        for t in input_tensors:
            nodes[name_of[t]] = Node(name_of[t], t, None, [], [], name_of[t])
        if len(nodes) != len(input_tensors):
            raise ExpressionError("trace: two inputs have the same name")
        for t in op_tensors:
            nodes[name_of[t]] = make_node(t, name_of)
        return cls._assemble(nodes, [name_of[t] for t in input_tensors],
                             [name_of[t] for t in outputs if t in name_of], source, inputs)

    @classmethod
    def _assemble(cls, nodes, inputs, outputs, source, given, program=None):
        self = object.__new__(cls)
        self.source = source
        self._inputs_given = dict(given or {})
        self.text_inputs = []     # inputs given a value in the text ('x = 3'); see at()
        self._overrides = {}
        self.program = program      # a programs.Program for the graph of a TF-1 program
        self._nodes = nodes
        self.inputs = inputs
        self.outputs = outputs
        self._consumers = {n: [] for n in self._nodes}
        for node in self._nodes.values():
            for src in node.inputs:
                self._consumers[src].append(node.name)
        # Levels (longest path from an input) give the order of steps: a, b, c, d, e forward and
        # e, c, d, a, b backward for the seed graph — each a topological order.
        self._level = {}
        for name, node in self._nodes.items():
            self._level[name] = 1 + max((self._level[s] for s in node.inputs), default=-1)
        if program is not None:
            self._place_roots()
        make = make_edge if program is None else programs.lazy_edge
        self._edges = {}
        for node in self._nodes.values():
            for src in node.inputs:
                self._edges[(src, node.name)] = make(node, self._nodes[src])
        return self

    def _place_roots(self):
        """A program's constants sit just before their first use (as folded numbers would), so
        reverse mode ends at the inputs, not at a constant."""
        for name in reversed(self.nodes):
            node = self._nodes[name]
            if node.is_input and name not in self.inputs and self._consumers[name]:
                self._level[name] = min(self._level[c] for c in self._consumers[name]) - 1

    # --- structure ---
    @property
    def nodes(self):
        """Node names in topological order (inputs first)."""
        return list(self._nodes)

    @property
    def edges(self):
        """Every edge, each an :class:`Edge` with ``src``, ``dst``, ``formula``, ``value``."""
        return list(self._edges.values())

    @property
    def output(self):
        return self.outputs[-1]

    def node(self, name):
        self._check_node(name)
        return self._nodes[name]

    def edge(self, src, dst):
        if (src, dst) not in self._edges:
            self._check_node(src)
            self._check_node(dst)
            raise KeyError(f"no edge {src} -> {dst}: {dst} does not use {src} directly")
        return self._edges[(src, dst)]

    def consumers(self, name):
        """The nodes that use ``name`` directly, in order."""
        self._check_node(name)
        return list(self._consumers[name])

    def _check_node(self, name):
        if name not in self._nodes:
            raise UnknownNodeError(f"no node {name!r} in the graph: expected one of "
                                   f"{', '.join(self._nodes)}")

    def __len__(self):
        return len(self._nodes)

    def __contains__(self, name):
        return name in self._nodes

    @property
    def depth(self):
        """The number of ranks: 1 + the longest path (in edges) from an input to a node."""
        return 1 + max(self._level.values())

    def level(self, name):
        """The node's rank: 0 for an input, else 1 + the highest level among its inputs.

        >>> import teachgrad as tg
        >>> g = tg.trace("e = (a + b) * (b + 1)", a=2, b=1)
        >>> [g.level(n) for n in g.nodes]
        [0, 0, 1, 1, 2]
        """
        self._check_node(name)
        return self._level[name]

    def formula(self, name):
        """``c = a + b``"""
        return self.node(name).formula

    def value(self, name):
        """The value of node ``name`` (a NumPy scalar or a read-only array)."""
        self._check_values("value")
        return self.node(name).value

    def partial(self, src, dst):
        """The local partial ∂dst/∂src on the edge ``src -> dst`` at the current values.

        A number for scalars; for arrays, the element-wise partial (broadcast to ``dst``'s shape)
        of an element-wise operation, or the Jacobian as a 2-D array (dst.size × src.size).
        """
        self._check_values("partial")
        return self.edge(src, dst).value

    # --- derivatives ---
    def derivative(self, of, wrt):
        """The total derivative d(of)/d(wrt): the sum over every path of the products of partials.

        For arrays: the gradient of ``sum(of)`` with respect to ``wrt`` (as ``tg.gradients``).
        """
        self._check_values("derivative")
        self._check_node(of)
        self._check_node(wrt)
        t_of, t_wrt = self._nodes[of].tensor, self._nodes[wrt].tensor
        if of == wrt:
            return np.ones(t_of.shape)[()] * 1.0
        g = backward([t_of], [np.ones(t_of.shape)[()]], [t_wrt], record=False)[0]
        return np.zeros(t_wrt.shape)[()] if g is None else g._value

    def count_paths(self, src, dst):
        """The number of paths from ``src`` to ``dst``, by dynamic programming (no enumeration).

        >>> import teachgrad as tg
        >>> g = tg.trace("e = (a + b) * (b + 1)", a=2, b=1)
        >>> g.count_paths("b", "e")
        2
        """
        self._check_node(src)
        self._check_node(dst)
        count = {src: 1}
        for name, node in self._nodes.items():
            if name == src:
                continue
            total = 0
            for s in node.inputs:
                total += count.get(s, 0)
            if total:
                count[name] = total
        return count.get(dst, 0)

    def paths(self, src, dst, limit=100_000):
        """Every path from ``src`` to ``dst``, each with ``.nodes`` and ``.product``.

        >>> import teachgrad as tg
        >>> g = tg.trace("e = (a + b) * (b + 1)", a=2, b=1)
        >>> [p.text for p in g.paths("b", "e")]
        ['b → c → e: 1·2 = 2', 'b → d → e: 1·3 = 3']
        """
        self._check_values("paths")
        n = self.count_paths(src, dst)
        if n > limit:
            raise ValueError(f"{n} paths from {src} to {dst}: too many to list (limit {limit}); "
                             "count_paths counts them without listing")
        reaches = self.upstream(dst)
        result = []
        stack = [(src, [src], [])]
        while stack:
            name, nodes, factors = stack.pop()
            if name == dst:
                result.append(Path(nodes, factors,
                                   path_product([self._nodes[n] for n in nodes], factors)))
                continue
            for nxt in reversed(self._consumers[name]):
                if nxt in reaches:
                    stack.append((nxt, nodes + [nxt], factors + [self._edges[(name, nxt)].value]))
        return result

    def path(self, names):
        """The :class:`Path` through the node ``names`` (a ``KeyError`` names a missing edge).

        >>> import teachgrad as tg
        >>> tg.trace("e = (a + b) * (b + 1)", a=2, b=1).path(["b", "d", "e"]).text
        'b → d → e: 1·3 = 3'
        """
        names = list(names)
        factors = [self.edge(s, d).value for s, d in zip(names, names[1:])]
        return Path(names, factors, path_product([self._nodes[n] for n in names], factors))

    def upstream(self, dst):
        """The names of the nodes from which ``dst`` can be reached, ``dst`` included (a set).

        >>> import teachgrad as tg
        >>> sorted(tg.trace("e = (a + b) * (b + 1)", a=2, b=1).upstream("d"))
        ['b', 'd']
        """
        self._check_node(dst)
        reach = {dst}
        for name in reversed(list(self._nodes)):
            if name in reach:
                reach.update(self._nodes[name].inputs)
        return reach

    # --- the steps of each mode, written by steps.py ---
    def steps(self, mode="values", wrt=None, of=None):
        """The steps of ``mode``: ``"values"``, ``"forward"`` (seeded at input ``wrt``, the first
        input by default) or ``"reverse"`` (seeded at ``of``, the output by default); see
        :func:`teachgrad.teaching.steps.of_mode`."""
        self._check_values(f"the steps of {mode}")
        return steps.of_mode(self, mode, wrt=wrt, of=of)

    def value_steps(self):
        """Values flowing forward; see :func:`teachgrad.teaching.steps.value_steps`.

        >>> import teachgrad as tg
        >>> [s.text for s in tg.trace("e = (a + b) * (b + 1)", a=2, b=1).value_steps()][2:]
        ['c = a + b = 2 + 1 = 3', 'd = b + 1 = 1 + 1 = 2', 'e = c·d = 3·2 = 6']
        """
        self._check_values("value_steps")
        return steps.value_steps(self)

    def forward_mode(self, wrt):
        """Forward-mode differentiation seeded at input ``wrt``: the tangent d node/d wrt of every
        node, inputs first; see :func:`teachgrad.teaching.steps.forward_mode`.

        >>> import teachgrad as tg
        >>> [float(s.value) for s in tg.trace("e = (a + b) * (b + 1)", a=2, b=1).forward_mode("b")]
        [0.0, 1.0, 1.0, 1.0, 5.0]
        """
        self._check_values("forward_mode")
        return steps.forward_mode(self, wrt)

    def reverse_mode(self, of=None):
        """Reverse-mode differentiation seeded at ``of`` (the output by default): the adjoint
        d of/d node of every node; see :func:`teachgrad.teaching.steps.reverse_mode`.

        >>> import teachgrad as tg
        >>> [float(s.value) for s in tg.trace("e = (a + b) * (b + 1)", a=2, b=1).reverse_mode()]
        [1.0, 2.0, 3.0, 2.0, 5.0]
        """
        self._check_values("reverse_mode")
        return steps.reverse_mode(self, of)

    def cost(self, mode):
        """Multiply-adds for every output's derivatives with respect to every input in ``mode``;
        see :func:`teachgrad.teaching.steps.cost`.

        >>> import teachgrad as tg
        >>> tg.trace("e = (a + b) * (b + 1)", a=2, b=1).cost("forward")
        10
        """
        return steps.cost(self, mode)

    # --- other values ---
    def at(self, **values):
        """The same graph at other input values (unchanged inputs keep theirs). An input the text
        gives a value (``x = 3``, listed in ``text_inputs``) takes the value given here instead.

        >>> import teachgrad as tg
        >>> float(tg.trace("e = (a + b) * (b + 1)", a=2, b=1).at(b=2).value("e"))
        12.0
        >>> float(tg.trace("x = 3\\ne = a * x", a=2).at(x=5).value("e"))
        10.0
        """
        if self.program is None:      # a program's node names have scopes (model/b): as they are
            values = normalize_inputs(values)
        unknown = [n for n in values if n not in self.inputs]
        if unknown:
            raise ExpressionError(f"{shorten(', '.join(unknown), 200)}: not an input of this "
                                  f"graph (its inputs are {', '.join(self.inputs)})")
        if self.program is not None:
            return retrace(self.program, values)
        if not isinstance(self.source, str):
            return _trace_callable(self.source, {**self._inputs_given, **values})
        given = {n: v for n, v in values.items() if n not in self.text_inputs}
        overrides = {n: v for n, v in values.items() if n in self.text_inputs}
        return _trace_text(self.source, {**self._inputs_given, **given},
                           {**self._overrides, **overrides})

    # --- pictures (Graphviz, loaded on first use) ---
    # --- the program a graph shows (tg.trace of TF-1 fetches) -------------------------------

    def node_of(self, tensor):
        """The name of the node that ``tensor`` (or an operation) is in this graph.

        >>> import teachgrad as tg
        >>> with tg.Graph().as_default():
        ...     with tg.name_scope("model"):
        ...         w = tg.Variable(2.0, name="w")
        ...     loss = w * w
        >>> tg.trace(loss).node_of(w)
        'model/w'
        """
        t = tensor._tensor if isinstance(tensor, Operation) else tensor
        if self.program is not None and t in self.program.names:
            return self.program.names[t]
        if self.program is not None and t in getattr(self.program, "reads", {}):
            return self.program.reads[t]    # a variable's NAME/read: drawn as the variable
        for node in self._nodes.values():
            if node.tensor is t:
                return node.name
        raise UnknownNodeError(f"{getattr(t, 'name', t)!r} is not a node of this graph: its "
                               f"nodes are {', '.join(self._nodes)}")

    @property
    def has_values(self):
        """False for the graph of a program traced without the values it needs (see ``needs``)."""
        return self.program is None or self.program.has_values

    @property
    def needs(self):
        """The roots (placeholders, variables) that need values before anything can be computed:
        ``[]`` when the graph has its values."""
        return [] if self.program is None else list(self.program.needs)

    def _check_values(self, what):
        if self.program is not None and self.program.needs:
            raise NoValueError(self.program.needs_message(what))

    # --- the scopes of a program, and pictures with some drawn as one box ---
    @property
    def scopes(self):
        """A program's name scopes and how many ops each holds (``{}`` for traced text).

        >>> import teachgrad as tg
        >>> with tg.Graph().as_default():
        ...     with tg.name_scope("model"):
        ...         y = tg.constant(2.0) * 3.0
        >>> tg.trace(y).scopes
        {'model': 3}
        """
        if self.program is None:
            return {}
        return dict(self.program.scopes.count)

    def collapsed(self, scopes):
        """The same graph, its pictures drawing ``scopes`` as one box each (``False``: none,
        ``None``: those with more than 15 ops); nodes, values and steps are shared."""
        if self.program is None:
            if scopes in (None, False, (), []):
                return self
            raise ValueError("collapse: only the graph of a program has scopes to collapse")
        chosen = self.program.scopes.resolve(scopes)
        if chosen == self.program.collapse:
            return self
        memo = self.__dict__.setdefault("_collapsed", {})
        if chosen not in memo:
            other = object.__new__(type(self))
            other.__dict__.update({k: v for k, v in self.__dict__.items() if k != "_collapsed"})
            other.program = self.program.with_collapse(chosen)
            memo[chosen] = other
        return memo[chosen]

    def to_dot(self, collapse=None, **options):
        """A ``graphviz.Digraph`` of this graph; see :func:`teachgrad.render.to_dot`
        (``collapse``: the scopes of a program drawn as one box, see :meth:`collapsed`)."""
        from .. import render
        return render.to_dot(self._drawn(collapse), **options)

    def svg(self, collapse=None, **options):
        """The picture as SVG text; see :func:`teachgrad.render.svg` and :meth:`to_dot`."""
        from .. import render
        return render.svg(self._drawn(collapse), **options)

    def _drawn(self, collapse):
        return self if collapse is None else self.collapsed(collapse)

    def _repr_mimebundle_(self, include=None, exclude=None):
        from .. import render
        return render.mimebundle(self)

    def __repr__(self):
        if self.program is not None:
            return programs.describe(self)
        shown = ", ".join(f"{n}={_fmt(self._nodes[n].value)}" for n in self.inputs)
        body = self.source if isinstance(self.source, str) else \
            getattr(self.source, "__name__", "function")
        body = shorten(" ; ".join(line.strip() for line in str(body).strip().splitlines()), 200)
        names = shorten(", ".join(self._nodes), 200)
        return f"<Graph {body!r} at {shorten(shown, 200)}: {len(self._nodes)} nodes {names}>"


def retrace(program, values):
    """The graph of the same fetches with some inputs (node name → value) given new values."""
    feeds = dict(program.feed_dict or {})
    for name, value in values.items():
        feeds[program.tensors[name]] = value
    return trace(program.fetches, feed_dict=feeds, session=program.session,
                 collapse=program.collapse)


def whole_program(tf_graph):
    """The teaching graph of every op of a ``tg.Graph`` (fetched from the ops nothing uses:
    the losses, the initializers, the training ops), drawn with its big scopes collapsed.

    >>> import teachgrad as tg
    >>> g = tg.Graph()
    >>> with g.as_default():
    ...     w = tg.Variable(1.0, name="w")
    ...     loss = w * w
    >>> whole_program(g).nodes
    ['w/initial_value', 'w', 'w/Assign', 'mul']
    """
    used = set()
    for t in tf_graph.nodes:
        used.update(map(id, t.inputs))
        used.update(map(id, getattr(t, "_control", None) or ()))
    sinks = [t for t in tf_graph.nodes if id(t) not in used]
    return trace(sinks)


def mimebundle(shown):
    """What Jupyter shows for a ``tg.Graph`` or a tensor without a value: the picture of the
    program it holds (text alone if it cannot be drawn: a display must never fail)."""
    text = repr(shown)
    try:
        if isinstance(shown, Tensor):
                    graph = trace(shown)
        else:
            graph = whole_program(shown)
        return {**graph._repr_mimebundle_(), "text/plain": text}
    except Exception:   # noqa: BLE001 - e.g. an empty graph: the text is still right
        return {"text/plain": text}
