"""The parts of a traced :class:`~teachgrad.teaching.graph.Graph`: its nodes, its edges with their local
partials, and its paths.

An edge's partial comes from the op's own declaration (the ``ops`` package), so the number on
the picture is the number the engine multiplies by: the element-wise partial for an element-wise
op, else the local Jacobian, built from one VJP of the op per output element.

>>> import teachgrad as tg
>>> g = tg.trace("e = (a + b) * (b + 1)", a=2, b=1)
>>> g.node("e"), g.edge("c", "e")
(<Node e = c·d = 6>, <Edge c -> e: ∂e/∂c = d = 2>)
"""

import numpy as np

from ..autodiff.transforms import input_cotangent
from ..ops import control_flow
from .notation import factor as _factor, fmt as _fmt

__all__ = ["Node", "Edge", "Path", "make_node", "make_edge", "path_product", "partial_formula", "reads"]


class Node:
    """One node: its name, the operation that made it (None for an input), its inputs, its value."""

    __slots__ = ("name", "tensor", "op", "inputs", "args", "expr")

    def __init__(self, name, tensor, op, inputs, args, expr):
        self.name = name
        self.tensor = tensor
        self.op = op            # a Primitive, or None for an input
        self.inputs = inputs    # names of the input nodes (no literals), in order, without repeats
        self.args = args        # every argument as shown: node names and folded literals
        self.expr = expr        # "a + b", "sin(x)"; the input's own name for an input

    @property
    def value(self):
        return self.tensor._value

    @property
    def is_input(self):
        return self.op is None

    @property
    def shape(self):
        return self.tensor.shape

    @property
    def formula(self):
        """``c = a + b`` (an input: just its name)."""
        return self.name if self.op is None else f"{self.name} = {self.expr}"

    def written_with(self, args):
        """The node's operation written with ``args`` for its arguments (an input: its name).

        >>> import teachgrad as tg
        >>> tg.trace("e = (a + b) * (b + 1)", a=2, b=1).node("c").written_with(["2", "1"])
        '2 + 1'
        """
        return self.name if self.op is None else _expr_text(self.tensor, args)

    def __repr__(self):
        return f"<Node {self.formula} = {_fmt(self.value)}>"


class Edge:
    """An edge ``src -> dst`` with its local partial ∂dst/∂src: formula and value."""

    __slots__ = ("src", "dst", "formula", "value")

    def __init__(self, src, dst, formula, value):
        self.src, self.dst, self.formula, self.value = src, dst, formula, value

    @property
    def symbol(self):
        """``∂e/∂c``: how the partial is written in labels and in the steps' arithmetic."""
        return f"∂{self.dst}/∂{self.src}"

    @property
    def label(self):
        """``∂e/∂c = d = 2``, or ``∂c/∂a = 1`` when the formula is already the number.

        For arrays the value is a Jacobian; the label gives its formula and shape instead.
        """
        lhs = self.symbol
        if self.value is None or np.ndim(self.value):
            return f"{lhs} = {self.formula}"
        number = _fmt(self.value)
        if not self.formula or self.formula.replace("−", "-") == number.replace("−", "-"):
            # (no formula: a number from another framework's derivative of an op)
            return f"{lhs} = {number}"
        return f"{lhs} = {self.formula} = {number}"

    def __repr__(self):
        return f"<Edge {self.src} -> {self.dst}: {self.label}>"


class Path:
    """One path from ``src`` to ``dst``: its node names and the product of its edge partials
    (see :func:`path_product`; given by the graph, else the plain product of ``factors``)."""

    __slots__ = ("nodes", "factors", "product")

    def __init__(self, nodes, factors, product=None):
        self.nodes = tuple(nodes)
        self.factors = tuple(factors)
        if product is None:
            product = 1
            for f in factors:
                product = product * f
        self.product = product

    @property
    def edges(self):
        return list(zip(self.nodes, self.nodes[1:]))

    @property
    def text(self):
        """``a → c → e: 1·2 = 2``"""
        return (" → ".join(self.nodes) + ": " + "·".join(_factor(f) for f in self.factors)
                + f" = {_fmt(self.product)}")

    def __repr__(self):
        return f"<Path {self.text}>"


def make_node(t, name_of):
    """The node of operation ``t``, named by ``name_of`` (tensor → name); an input of ``t`` that
    is no node (a constant) folds in as a literal.

    >>> import teachgrad as tg
    >>> a = tg.constant(2.0)
    >>> e = a * 3
    >>> make_node(e, {a: "a", e: "e"})
    <Node e = a·3 = 6>
    """
    args = [name_of[inp] if inp in name_of else (_fmt(inp._value) if inp.size == 1 else "const")
            for inp in t.inputs]
    inputs = []
    for inp in t.inputs:
        if inp in name_of and name_of[inp] not in inputs:
            inputs.append(name_of[inp])
    return Node(name_of[t], t, t.prim, inputs, args, _expr_text(t, args))


def _expr_text(t, args):
    template = t.prim.expr or (t.prim.name + "({0})")
    try:
        return template(args) if callable(template) else template.format(*args)
    except (IndexError, ValueError):
        return f"{t.prim.name}({', '.join(args)})"


def _formula_text(op, i, args):
    """The partial's formula as text; an op without a usable one gets "?" (a picture must not
    fail because a rule table says too little)."""
    f = "?"
    try:
        f = op.formulas[i] if op.formulas is not None else "?"
        text = f(args) if callable(f) else f.format(*args)
    except (IndexError, KeyError, TypeError, ValueError):
        return f if isinstance(f, str) else "?"
    return text if isinstance(text, str) else "?"


def partial_formula(node, i):
    """The formula of ∂node/∂(its ``i``-th argument), written with the node's arguments.

    >>> import teachgrad as tg
    >>> partial_formula(tg.trace("e = a * b", a=2, b=3).node("e"), 0)
    'b'
    """
    return _formula_text(node.op, i, node.args)


def reads(inp, src):
    """Whether op input ``inp`` is tensor ``src``: itself, or — for a TensorFlow-1 variable, which
    every op reads through its ``NAME/read`` — its read (a teaching graph draws the two as one)."""
    return inp is src or (inp.prim is not None and inp.prim.name == "variable_read"
                          and inp.inputs[0] is src)


def make_edge(node, src_node):
    """The edge ``src_node -> node``: the local partial, summed over every argument position
    ``src_node`` fills.

    >>> import teachgrad as tg
    >>> a = tg.constant(2.0)
    >>> e = a * a
    >>> make_edge(make_node(e, {a: "a", e: "e"}), Node("a", a, None, [], [], "a"))
    <Edge a -> e: ∂e/∂a = a + a = 4>
    """
    t = node.tensor
    src, src_t = src_node.name, src_node.tensor
    positions = [i for i, inp in enumerate(t.inputs) if reads(inp, src_t)]
    formulas = [_formula_text(t.prim, i, node.args) for i in positions]
    if t._value is None:   # a program traced without values: the formula only
        return Edge(src, node.name, " + ".join(formulas), None)
    if t.prim.elementwise:
        out = t._value
        vals = [inp._value for inp in t.inputs]
        total = None
        with np.errstate(all="ignore"):
            for i in positions:
                p = t.prim.partials[i](out, *vals)
                if p is None:
                    p = 0.0
                p = np.broadcast_to(np.asarray(p, dtype=np.result_type(out, float)),
                                    np.shape(out))
                total = p if total is None else total + p
        value = total[()] if total.ndim == 0 else _read_only(total.copy())
        formula = " + ".join(formulas) if len(formulas) > 1 else formulas[0]
        if isinstance(value, np.ndarray) and value.size > 1:
            n_in = int(np.prod(src_node.shape))
            formula = f"diag({formula})  [{value.size}×{n_in} Jacobian]" if formula else \
                f"[{value.size}×{n_in} diagonal Jacobian]"
    else:
        try:
            value = _jacobian(t, positions)
        except LookupError:   # an op with no gradient defined (TF-1's TruncateMod): drawn without
            value = None
        formula = " + ".join(formulas) if len(formulas) > 1 else formulas[0]
        if value is not None and value.size == 1 and control_flow.is_view(t):
            value = value[0, 0]    # a number to a number through a cond or a loop: a number
        else:
            size = f"[{t.size}×{t.inputs[positions[0]].size} Jacobian]"
            formula = f"{formula}  {size}" if formula else size
    return Edge(src, node.name, formula, value)


def _jacobian(t, positions, max_entries=1_000_000):
    """The local Jacobian ∂t/∂input (t.size × input.size), one vjp of the op per output element."""
    src = t.inputs[positions[0]]
    if t.size * src.size > max_entries:
        return None
    rows = []
    for k in range(t.size):
        seed = np.zeros(t.size)
        seed[k] = 1.0
        row = np.zeros(src.size)
        for i in positions:
            try:
                g = input_cotangent(t, i, seed.reshape(t.shape)[()], record=False)
            except NotImplementedError:   # (a second derivative through control flow)
                return None
            if g is not None:
                row = row + np.ravel(np.broadcast_to(g, src.shape))
        rows.append(row)
    return _read_only(np.array(rows).reshape(t.size, src.size))


def _read_only(a):
    """The graph's stored partials are read-only, like its values: ``partial()`` hands them out
    without a copy, and a caller writing into one would change every later answer."""
    a.flags.writeable = False
    return a


def _sum_to(x, shape):
    """``x`` summed over the axes that broadcasting added to ``shape``."""
    x = np.asarray(x)
    while x.ndim > len(shape):
        x = x.sum(axis=0)
    for axis, n in enumerate(shape):
        if n == 1 and x.shape[axis] != 1:
            x = x.sum(axis=axis, keepdims=True)
    return x


def _edge_cotangent(src, dst, factor, g):
    """``g`` (a cotangent of ``dst``) carried back over the edge ``src -> dst``."""
    if dst.op.elementwise:            # the partial is the Jacobian's diagonal, broadcast to dst
        return _sum_to(g * factor, src.shape)
    if factor is not None:            # the local Jacobian, dst.size × src.size
        return (np.ravel(g) @ factor).reshape(src.shape)
    total = np.zeros(src.shape)       # too big to hold: the op's own vector-Jacobian product
    for i, inp in enumerate(dst.tensor.inputs):
        if reads(inp, src.tensor):
            c = input_cotangent(dst.tensor, i, np.reshape(g, dst.shape)[()], record=False)
            if c is not None:
                total = total + _sum_to(np.broadcast_to(c, np.broadcast_shapes(
                    np.shape(c), src.shape)), src.shape)
    return total


def path_product(nodes, factors):
    """The product of the partials along a path of :class:`Node` s (``factors[i]`` on the edge
    ``nodes[i] -> nodes[i + 1]``).

    For numbers it is the plain product. For arrays it is the path's share of
    :meth:`~teachgrad.teaching.graph.Graph.derivative` (the gradient of ``sum(dst)``, shaped like
    ``src``): ones at the path's end carried back edge by edge, as reverse mode carries them —
    an element-wise partial as the diagonal it is, summed over axes a broadcast added, a Jacobian
    as a matrix — so the products of every path sum to the derivative.

    >>> import numpy as np, teachgrad as tg
    >>> g = tg.trace("y = sin(x) * x", x=np.array([0.0, 1.0]))
    >>> sum(p.product for p in g.paths("x", "y"))
    array([0.        , 1.38177329])
    """
    if all(f is not None and np.ndim(f) == 0 for f in factors):
        product = 1
        for f in factors:
            product = product * f
        return product
    g = np.ones(nodes[-1].shape)
    with np.errstate(all="ignore"):
        for i in reversed(range(len(factors))):
            g = _edge_cotangent(nodes[i], nodes[i + 1], factors[i], g)
    g = np.asarray(g, dtype=float)
    return g[()] if g.ndim == 0 else g
