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

from ..errors import NoValueError
from .notation import fmt
from ..core.operation import Operation
from .elements import Edge, Node, make_edge, make_node
from .program_values import evaluate, root_values
from .program_scopes import Scopes
from ..core.program_graph import paused_recording
from ..core.tensor import Tensor
from ..ops import control_flow
from ..tf1.variables import Variable

__all__ = ["is_fetch", "fetch_list", "needed", "build", "describe", "lazy_edge",
           "Program", "Recording", "variable_reads"]

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
        self.reads = {}                         # a variable's NAME/read -> the variable's node
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
    # a cond/while op is drawn as its outputs, each a node made from the op's inputs
    everything = [t for t in needed(targets, feeds) if not control_flow.is_multi_output(t)]
    reads = variable_reads(everything, targets, feeds)
    order = [t for t in everything if t not in reads]
    kinds = {t: _kind(t, feeds) for t in order}
    names = _unique_names(order)
    roots, missing = root_values(order, kinds, feeds, session)
    needs = [names[t] for t in missing]
    if needs and (feed_dict is not None or session is not None):
        raise NoValueError("trace: no value for "
                           + _needs_text(needs, {names[t]: kinds[t] for t in order}, True))
    copies = evaluate(everything, roots) if not needs else _structure(everything)
    name_of = {copies[t]: names[t] for t in order}
    name_of.update((copies[t], names[v]) for t, v in reads.items())
    name_of.update((t, names[t]) for t in order if t not in name_of)   # (a cond's output,
    # drawn as a node of its own without values, is still the input its users read)
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
    program.reads = {t: names[v] for t, v in reads.items()}
    return Recording(nodes, inputs, [names[t] for t in targets], program)


def variable_reads(order, targets, feeds):
    """The ``NAME/read`` nodes of ``order`` drawn as their variable: TensorFlow 1 reads every
    variable through one (an Identity), which a teaching picture shows as the variable itself —
    the edge ``w → mul`` rather than ``w → w/read → mul`` (a read that is fetched or fed stays).

    >>> import teachgrad as tg
    >>> with tg.Graph().as_default():
    ...     w = tg.Variable(2.0, name="w")
    ...     y = w * 3.0
    >>> [t.op.name for t in needed([y])], list(tg.trace(y).nodes)
    (['w', 'w/read', 'mul/y', 'mul'], ['w', 'mul/y', 'mul'])
    """
    keep = set(targets) | set(feeds)
    return {t: t.inputs[0] for t in order
            if getattr(t.prim, "name", None) == "variable_read" and t not in keep}


def _structure(order):
    """The tensors of a graph without values: themselves, but the outputs of a control-flow op
    made from the op's inputs (as they are drawn)."""
    with paused_recording():
        return {t: control_flow.output_view(t, None, control_flow.view_inputs(t.inputs[0]), None)
                if control_flow.is_output(t) else t for t in order}


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
