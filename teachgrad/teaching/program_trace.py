"""The teaching graph of a recorded TensorFlow-1 program: ``tg.trace(loss, feed_dict={...})``.

A program graph holds exactly the recorded ops the fetches need (through their inputs and control
inputs, stopping at fed tensors), each named by its op name with its scopes (``model/W``,
``gradients/mul_1``). Its roots are placeholders, variables and constants (and zero-input ops such
as random draws); its *inputs* are the roots that take values: placeholders, variables and fed
tensors.

With values (``feed_dict``, and ``session=`` for variables), the recorded ops are evaluated again
on float64 copies of the given values — each op by the same primitive, with the same parameters —
so the teaching graph's values, partials and steps are the engine's own; stateful ops (random
draws, assignments) are evaluated once. Without values the graph shows the structure: op types,
dtypes and static shapes (``?`` for sizes not known yet), and says which roots need values.

>>> import teachgrad as tg
>>> with tg.Graph().as_default():
...     x = tg.placeholder(tg.float32, shape=(None, 2), name="x")
...     with tg.name_scope("model"):
...         y = tg.reduce_sum(x * 3.0)
...     program = build([y], {x: [[1.0, 2.0]]})
>>> list(program.nodes), program.inputs
(['x', 'model/mul/y', 'model/mul', 'model/Sum'], ['x'])
>>> float(program.nodes["model/Sum"].value)
9.0
"""

import copy
from collections import namedtuple

from ..errors import NoValueError, UnknownNodeError
from .notation import fmt
from ..core.operation import Operation
from .elements import Edge, Node, make_edge, make_node
from .program_values import evaluate, root_values
from .program_scopes import Scopes
from ..core.tensor import Tensor
from ..tf1.variables import Variable

__all__ = ["is_fetch", "fetch_list", "needed", "build", "retrace", "describe", "lazy_edge",
           "whole_program", "mimebundle", "Program", "ProgramViews", "Recording"]

Recording = namedtuple("Recording", "nodes inputs outputs program")
Recording.__doc__ = """What :func:`build` found: ``nodes`` (name → :class:`~teachgrad.teaching.elements.Node`,
in topological order), ``inputs`` and ``outputs`` (node names) and ``program`` (a
:class:`Program`)."""


def is_fetch(x):
    """True for what ``trace`` reads as fetches: a tensor, an operation, or a non-empty list or
    tuple of them (nested).

    >>> import teachgrad as tg
    >>> is_fetch(tg.constant(1.0)), is_fetch("e = a * b"), is_fetch([])
    (True, False, False)
    """
    if isinstance(x, (Tensor, Operation)):
        return True
    return isinstance(x, (list, tuple)) and len(x) > 0 and all(is_fetch(f) for f in x)


def fetch_list(fetches):
    """The tensors of ``fetches`` (a tensor, an operation or nested lists of them), in order,
    without repeats; ``TypeError`` names anything else."""
    found, stack = [], [fetches]
    while stack:
        f = stack.pop()
        if isinstance(f, (list, tuple)):
            stack.extend(reversed(f))
        elif isinstance(f, Operation):
            found.append(f._tensor)
        elif isinstance(f, Tensor):
            found.append(f)
        else:
            raise TypeError(f"trace: fetch {f!r} is a {type(f).__name__}: expected a tensor, an "
                            "operation or a list of them")
    return list(dict.fromkeys(found))


def needed(targets, fed=()):
    """Every recorded tensor ``targets`` need — through inputs, control inputs and the variable an
    assignment changes — stopping at ``fed`` tensors; in the order they were made (topological).

    >>> import teachgrad as tg
    >>> with tg.Graph().as_default():
    ...     a = tg.placeholder(tg.float32, shape=(), name="a")
    ...     b = a * 2.0
    ...     c = b + 1.0
    >>> [t.op.name for t in needed([c])], [t.op.name for t in needed([c], fed={b})]
    (['a', 'mul/y', 'mul', 'add/y', 'add'], ['mul', 'add/y', 'add'])
    """
    fed = set(fed)
    seen, stack = set(targets), list(targets)
    while stack:
        node = stack.pop()
        if node in fed:
            continue
        more = list(node.inputs) + list(getattr(node, "_control", None) or ())
        ref = (node.params or {}).get("ref") if node.prim is not None else None
        if isinstance(ref, Tensor):
            more.append(ref)
        for t in more:
            if t not in seen:
                seen.add(t)
                stack.append(t)
    return sorted(seen, key=lambda t: t._serial)


def _kind(t, fed):
    if isinstance(t, Variable) or getattr(t.prim, "name", None) == "variable":
        return "variable"
    if getattr(t.prim, "name", None) == "placeholder":
        return "placeholder"
    if t in fed:
        return "fed"
    if t.prim is None:
        return "constant"
    return "op" if t.inputs else "root"


def _unique_names(order):
    """Each tensor's op name; a name met twice (eager tensors, several graphs) gets ``_1``, …"""
    names, taken = {}, set()
    for t in order:
        base = name = t.op_name
        k = 0
        while name in taken:
            k += 1
            name = f"{base}_{k}"
        taken.add(name)
        names[t] = name
    return names


class Program:
    """What a program graph knows beyond nodes and edges: the fetches and feeds it was traced
    with, each node's original tensor, kind (``"placeholder"``, ``"variable"``, ``"constant"``,
    ``"fed"``, ``"root"`` or ``"op"``), op type, dtype and static shape, the roots still needing
    values (``needs``), the edges that carry no derivative (control inputs, assignment targets)
    and the name scopes (:class:`~teachgrad.teaching.program_scopes.Scopes`)."""

    def __init__(self, fetches, feed_dict, session, names, kinds, needs, extra_edges):
        self.fetches, self.feed_dict, self.session = fetches, feed_dict, session
        self.names = names                      # original tensor -> node name
        self.tensors = {n: t for t, n in names.items()}
        self.kinds = {names[t]: k for t, k in kinds.items()}
        self.needs = needs                      # names of roots without a value, in order
        self.extra_edges = extra_edges          # (src, dst, "control" | "ref")
        # A constant named inside an op of the program (add/y: a number the op converted) is
        # drawn beside that op, not as a scope around it.
        attached = [n for n, t in self.tensors.items() if n.rpartition("/")[0] in self.tensors
                    and t.op.type == "Const"]
        self.scopes = Scopes(list(self.tensors), attached)
        self.collapse = None                    # scopes drawn as one box (None: the default)

    @property
    def has_values(self):
        return not self.needs

    def op_type(self, name):
        return self.tensors[name].op.type

    def dtype(self, name):
        t = self.tensors[name]
        return None if t.is_operation_only else t.dtype.name

    def shape(self, name):
        """The static shape as a tuple, ``None`` for sizes not known yet (None: not known at all)."""
        t = self.tensors[name]
        if t.is_operation_only or t.shape.ndims is None:   # (a placeholder of no given shape)
            return None
        return t.shape.as_list()

    def needs_text(self, long=False):
        """Which roots need values and how to give them: ``placeholders x (feed them) and
        variables w (session=)``; ``long`` spells out how."""
        return _needs_text(self.needs, self.kinds, long)

    def needs_message(self, what):
        """Why ``what`` cannot be computed on a graph without values, and what to give."""
        return f"{what}: this program graph has no values; it needs {self.needs_text(True)}"

    def with_collapse(self, scopes):
        """The same program, its pictures drawing ``scopes`` (a frozenset) as boxes."""
        other = copy.copy(self)
        other.collapse = scopes
        return other


_HOW = {"placeholder": ("feed", "feed them: tg.trace(fetches, feed_dict={placeholder: value, "
                                "...})"),
        "variable": ("session=", "give session=sess once their initializer has run, or feed "
                                 "them")}


def _needs_text(needs, kinds, long):
    groups = {}
    for n in needs:
        groups.setdefault(kinds[n], []).append(n)
    most = 10 if long else 3

    def listed(names):
        more = len(names) - most
        return ", ".join(names[:most]) + (f" and {more} more" if more > 0 else "")
    return " and ".join(f"{kind}{'s' * (len(names) > 1)} {listed(names)} "
                        f"({_HOW[kind][1 if long else 0]})" for kind, names in groups.items())


def _feeds(feed_dict, graph):
    feeds = {}
    for key, value in (feed_dict or {}).items():
        if isinstance(key, Operation):
            key = key._tensor
        elif isinstance(key, str):
            key = graph.as_graph_element(key)
        if not isinstance(key, Tensor):
            raise TypeError(f"trace: feed_dict key {key!r} is a {type(key).__name__}: expected a "
                            "tensor (a placeholder, a variable or any other) or its name")
        feeds[key] = value
    return feeds


def build(fetches, feed_dict=None, session=None):
    """The nodes, inputs and outputs of the teaching graph of ``fetches``, and its
    :class:`Program`. Values are computed when ``feed_dict`` or ``session`` is given (then every
    needed placeholder must be fed and every variable have a value) or when no root needs one."""
    targets = fetch_list(fetches)
    graph = next((t.graph for t in targets if t.graph is not None), None)
    feeds = _feeds(feed_dict, graph)
    order = needed(targets, feeds)
    kinds = {t: _kind(t, feeds) for t in order}
    names = _unique_names(order)
    roots, missing = root_values(order, kinds, feeds, session)
    needs = [names[t] for t in missing]
    if needs and (feed_dict is not None or session is not None):
        raise NoValueError("trace: no value for "
                           + _needs_text(needs, {names[t]: kinds[t] for t in order}, True))
    copies = evaluate(order, roots) if not needs else {t: t for t in order}
    name_of = {copies[t]: names[t] for t in order}
    nodes = {}
    for t in order:
        c = copies[t]
        if kinds[t] == "op":
            nodes[names[t]] = make_node(c, name_of)
        else:
            nodes[names[t]] = Node(names[t], c, None, [], [], names[t])
    inputs = [names[t] for t in order if kinds[t] in ("placeholder", "variable", "fed")]
    extra = _extra_edges(order, names)
    program = Program(fetches, feed_dict, session, names, kinds, needs, extra)
    return Recording(nodes, inputs, [names[t] for t in targets], program)


def _extra_edges(order, names):
    """The edges that carry no derivative: control inputs and the variable an assignment sets."""
    extra = []
    for t in order:
        for c in getattr(t, "_control", None) or ():
            if c in names:
                extra.append((names[c], names[t], "control"))
        ref = (t.params or {}).get("ref") if t.prim is not None else None
        if isinstance(ref, Tensor) and ref in names:
            extra.append((names[ref], names[t], "ref"))
    return extra


class _LazyEdge(Edge):
    """An edge whose partial is worked out when first asked for: a program's Jacobians (one
    vector-Jacobian product per output element) would cost more than the rest of a trace."""

    __slots__ = ("_parts", "_made")

    def __init__(self, node, src_node):
        self.src, self.dst = src_node.name, node.name
        self._parts, self._made = (node, src_node), None

    def _edge(self):
        if self._made is None:
            self._made = make_edge(*self._parts)
            self._parts = None
        return self._made

    formula = property(lambda self: self._edge().formula)
    value = property(lambda self: self._edge().value)


def lazy_edge(node, src_node):
    """The edge ``src_node -> node`` of a program graph, its partial computed on first use.

    >>> import teachgrad as tg
    >>> with tg.Graph().as_default():
    ...     g = tg.trace(tg.constant(2.0, name="a") * 3.0)
    >>> g.edge("a", "mul").label
    '∂mul/∂a = mul/y = 3'
    """
    return _LazyEdge(node, src_node)


def retrace(program, values):
    """The graph of the same fetches with some inputs (node name → value) given new values."""
    from .graph import trace   # lazy: the graph module sits above this one
    feeds = dict(program.feed_dict or {})
    for name, value in values.items():
        feeds[program.tensors[name]] = value
    return trace(program.fetches, feed_dict=feeds, session=program.session,
                 collapse=program.collapse)


def describe(graph):
    """The ``repr`` of a program graph: what it fetches, its inputs' values or what it needs, and
    its first nodes."""
    program = graph.program
    fetched = ", ".join(graph.outputs)
    if program.needs:
        more = len(program.needs) - 6
        state = (f"no values yet (needs {', '.join(program.needs[:6])}"
                 + (f", … ({more} more))" if more > 0 else ")"))
    else:
        shown = [f"{n}={fmt(graph.node(n).value)}" for n in graph.inputs[:6]]
        more = len(graph.inputs) - len(shown)
        state = ("at " + ", ".join(shown) + (f", … ({more} more)" if more > 0 else "")) \
            if shown else "with values"
    names = graph.nodes
    shown = ", ".join(names[:12]) + (f", … ({len(names) - 12} more)" if len(names) > 12 else "")
    return f"<Graph of a program fetching {fetched}, {state}: {len(names)} nodes {shown}>"


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
    from .graph import trace   # lazy: the graph module sits above this one
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
            from .graph import trace   # lazy: the graph module sits above this one
            graph = trace(shown)
        else:
            graph = whole_program(shown)
        return {**graph._repr_mimebundle_(), "text/plain": text}
    except Exception:   # noqa: BLE001 - e.g. an empty graph: the text is still right
        return {"text/plain": text}


class ProgramViews:
    """What a :class:`~teachgrad.teaching.graph.Graph` offers for the program it shows: the node of a
    tensor, which roots need values, the scopes, and pictures with scopes drawn as boxes."""

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

