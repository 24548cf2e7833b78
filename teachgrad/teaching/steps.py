"""The steps of a propagation on a traced :class:`~teachgrad.teaching.graph.Graph`: values flowing forward,
forward-mode tangents, reverse-mode adjoints — each step with its node, its value, the edges it
read and its arithmetic written out.

The numbers come from the engine (:func:`teachgrad.autodiff.transforms.transforms.forward` and ``backward``), never from
a second implementation here: this module only orders them and writes them down.

>>> import teachgrad as tg
>>> g = tg.trace("e = (a + b) * (b + 1)", a=2, b=1)
>>> [s.text for s in of_mode(g, "reverse")][:2]
['ē = 1 (seed: de/de)', 'c̄ = ∂e/∂c·ē = 2·1 = 2']
"""

import numpy as np

from . import matrix_text
from ..autodiff.transforms import backward, forward
from .notation import bar_name as _bar, dot_name as _dot, factor as _factor, fmt as _fmt

__all__ = ["Step", "of_mode", "value_steps", "forward_mode", "reverse_mode", "cost"]


class Step:
    """One step of a propagation: the node computed, its value, the edges it read, its arithmetic.

    ``kind`` is ``"seed"`` (the step that starts a mode), ``"input"`` or ``"compute"``; ``madds``
    counts the multiply-adds the step costs (one per edge read).

    >>> import teachgrad as tg
    >>> value_steps(tg.trace("e = a * b", a=2, b=3))[-1]
    <Step 2 (values) e = a·b = 2·3 = 6>
    """

    __slots__ = ("index", "mode", "node", "value", "reads", "text", "madds", "kind")

    def __init__(self, index, mode, node, value, reads, text, madds, kind):
        self.index, self.mode, self.node, self.value = index, mode, node, value
        self.reads, self.text, self.madds, self.kind = reads, text, madds, kind

    def __repr__(self):
        return f"<Step {self.index} ({self.mode}) {self.text}>"


def _caption(lhs, rule, numbers, value):
    """Every computing step reads the same way: ``c = a + b = 2 + 1 = 3`` — the rule in symbols,
    then in numbers, then the result."""
    return f"{lhs} = {rule} = {numbers} = {_fmt(value)}"


def _order(graph, backwards=False):
    """Inputs first, then by level, ties in node order (a topological order); or the reverse
    levels for reverse mode (e, c, d, a, b for the seed graph)."""
    position = {n: i for i, n in enumerate(graph.nodes)}
    if backwards:   # a program's constants share a level with inputs: the inputs come last
        inputs = set(graph.inputs)
        return sorted(graph.nodes, key=lambda n: (-graph.level(n), n in inputs, position[n]))
    return sorted(graph.nodes, key=lambda n: (graph.level(n), position[n]))


def of_mode(graph, mode="values", wrt=None, of=None):
    """The steps of ``mode``: ``"values"``, ``"forward"`` (seeded at input ``wrt``, the first
    input by default) or ``"reverse"`` (seeded at ``of``, the output by default).

    >>> import teachgrad as tg
    >>> [s.node for s in of_mode(tg.trace("e = (a + b) * (b + 1)", a=2, b=1), "reverse")]
    ['e', 'c', 'd', 'a', 'b']
    """
    if mode == "values":
        return value_steps(graph)
    if mode == "forward":
        return forward_mode(graph, wrt if wrt is not None else graph.inputs[0])
    if mode == "reverse":   # reverse mode gives d of/d x for every x at once: wrt plays no part
        return reverse_mode(graph, of if of is not None else graph.output)
    raise ValueError(f"mode {mode!r} not understood: expected 'values', 'forward' or "
                     "'reverse'")


def value_steps(graph):
    """Values flowing forward: the inputs, then each node computed from its inputs.

    >>> import teachgrad as tg
    >>> [s.text for s in value_steps(tg.trace("e = (a + b) * (b + 1)", a=2, b=1))]
    ['a = 2', 'b = 1', 'c = a + b = 2 + 1 = 3', 'd = b + 1 = 1 + 1 = 2', 'e = c·d = 3·2 = 6']
    """
    steps = []
    for name in _order(graph):
        node = graph.node(name)
        if node.is_input:
            text = f"{name} = {_fmt(node.value)}"
            steps.append(Step(len(steps), "values", name, node.value, [], text, 0, "input"))
            continue
        shown = [_factor(graph.value(a)) if a in graph else a for a in node.args]
        text = _caption(name, node.expr, node.written_with(shown), node.value)
        reads = [(s, name) for s in node.inputs]
        steps.append(Step(len(steps), "values", name, node.value, reads, text, 0, "compute"))
    return steps


def forward_mode(graph, wrt):
    """Forward-mode differentiation seeded at input ``wrt``: the tangent d node/d wrt of every
    node, inputs first, each from the tangents of its inputs.

    >>> import teachgrad as tg
    >>> g = tg.trace("e = (a + b) * (b + 1)", a=2, b=1)
    >>> [(s.node, float(s.value)) for s in forward_mode(g, "b")]
    [('a', 0.0), ('b', 1.0), ('c', 1.0), ('d', 1.0), ('e', 5.0)]
    >>> forward_mode(g, "b")[-1].text
    'ė = ∂e/∂c·ċ + ∂e/∂d·ḋ = 2·1 + 3·1 = 5'
    """
    t_wrt = graph.node(wrt).tensor
    seed = np.ones(t_wrt.shape)[()]
    tangents = forward([graph.node(n).tensor for n in graph.outputs], [t_wrt], [seed],
                       record=False)
    steps = []
    done = {}   # tangents so far, by node
    for name in _order(graph):
        node = graph.node(name)
        t = tangents.get(node.tensor)
        value = np.zeros(node.shape)[()] if t is None else np.broadcast_to(t, node.shape)[()]
        done[name] = value
        if name == wrt:
            text = f"{_dot(name)} = 1 (seed: d{name}/d{wrt})"
            steps.append(Step(len(steps), "forward", name, value, [], text, 0, "seed"))
        elif node.is_input:
            text = f"{_dot(name)} = 0 ({name} does not change with {wrt})"
            steps.append(Step(len(steps), "forward", name, value, [], text, 0, "input"))
        else:
            reads = [(s, name) for s in node.inputs]
            if matrix_text.applies(graph, value, node.inputs, done):   # tensors: JVPs
                text = matrix_text.forward_caption(graph, name, node.inputs, done, value)
            else:
                text = _sum_of_products(graph, _dot(name), reads, node.inputs, _dot, done, value)
            steps.append(Step(len(steps), "forward", name, value, reads, text, len(reads),
                              "compute"))
    return steps


def reverse_mode(graph, of=None):
    """Reverse-mode differentiation seeded at ``of`` (the output by default): the adjoint
    d of/d node of every node, from the output back to the inputs.

    >>> import teachgrad as tg
    >>> g = tg.trace("e = (a + b) * (b + 1)", a=2, b=1)
    >>> [(s.node, float(s.value)) for s in reverse_mode(g, "e")]
    [('e', 1.0), ('c', 2.0), ('d', 3.0), ('a', 2.0), ('b', 5.0)]
    >>> reverse_mode(g, "e")[-1].text
    'b̄ = ∂c/∂b·c̄ + ∂d/∂b·d̄ = 1·2 + 1·3 = 5'
    """
    of = graph.output if of is None else of
    t_of = graph.node(of).tensor
    reach = graph.upstream(of)
    tensors = [graph.node(n).tensor for n in graph.nodes]
    adjoint = dict(zip(graph.nodes, backward([t_of], [np.ones(t_of.shape)[()]], tensors,
                                             record=False)))
    steps = []
    done = {}   # adjoints so far, by node
    for name in _order(graph, backwards=True):
        a = adjoint[name]
        value = np.zeros(graph.node(name).shape)[()] if a is None else a._value
        done[name] = value
        if name == of:
            text = f"{_bar(name)} = 1 (seed: d{of}/d{of})"
            steps.append(Step(len(steps), "reverse", name, value, [], text, 0, "seed"))
            continue
        users = [c for c in graph.consumers(name) if c in reach]
        if not users:
            text = f"{_bar(name)} = 0 ({of} does not depend on {name})"
            steps.append(Step(len(steps), "reverse", name, value, [], text, 0, "input"))
            continue
        reads = [(name, c) for c in users]
        if matrix_text.applies(graph, value, users, done):   # tensors: VJPs in matrix form
            text = matrix_text.reverse_caption(graph, name, users, done, value)
        else:
            text = _sum_of_products(graph, _bar(name), reads, users, _bar, done, value)
        steps.append(Step(len(steps), "reverse", name, value, reads, text, len(reads),
                          "compute"))
    return steps


def _sum_of_products(graph, lhs, edges, others, mark, done, value):
    """``ḋ = ∂d/∂b·ḃ = 1·1 = 1``: the chain rule of one step.

    ``edges`` are the (src, dst) edges read, ``others`` the node at the far end of each, whose
    tangent or adjoint (``mark``) is already in ``done``.
    """
    read = [graph.edge(*e) for e in edges]
    terms = [f"{edge.symbol}·{mark(o)}" for edge, o in zip(read, others)]
    nums = [f"{_factor(edge.value)}·{_factor(done[o])}" for edge, o in zip(read, others)]
    return _caption(lhs, " + ".join(terms), " + ".join(nums), value)


def cost(graph, mode):
    """Multiply-adds to get the derivatives of every output with respect to every input:
    forward mode needs one pass per input, reverse mode one pass per output.

    >>> import teachgrad as tg
    >>> g = tg.trace("e = (a + b) * (b + 1)", a=2, b=1)
    >>> cost(g, "forward"), cost(g, "reverse")     # 5 edges; 2 inputs, 1 output
    (10, 5)
    """
    edges = len(graph.edges)
    if mode == "forward":
        return edges * len(graph.inputs)
    if mode == "reverse":
        return edges * len(graph.outputs)
    raise ValueError(f"mode {mode!r}: expected 'forward' or 'reverse'")
