"""The chain rule of one step written in matrix form, for the tensors of a program graph.

For a tensor the partial on an edge is a Jacobian, and reverse mode never builds it: it multiplies
the adjoint by it, one vector-Jacobian product per edge, written here as the product a person
writes — ``W̄ = dataᵀ·MatMul̄`` for ``MatMul = data @ W``, ``x̄ = [x > 0] ⊙ relū`` for an
element-wise op (⊙: element by element), ``Σ(…)`` where an input was broadcast. Forward mode
writes its Jacobian-vector products the same way (``MatMul̇ = datȧ·W + data·Ẇ``).

The numbers are the engine's (the step's value comes from :mod:`teachgrad.autodiff.transforms.engine`); this module
only writes the products, with each factor's shape (``[4×2]ᵀ·[4×1]``).

>>> import numpy as np, teachgrad as tg
>>> with tg.Graph().as_default():
...     x = tg.placeholder(tg.float64, shape=(4, 2), name="x")
...     w = tg.placeholder(tg.float64, shape=(2, 1), name="w")
...     y = tg.matmul(x, w)
>>> g = tg.trace(y, feed_dict={x: np.ones((4, 2)), w: np.ones((2, 1))})
>>> g.reverse_mode()[-1].text
'w̄ = xᵀ·MatMul̄ = [4×2]ᵀ·[4×1] = shape (2, 1)  [4, 4]'
"""

import numpy as np

from .notation import bar_name, dot_name, fmt, value_text
from .elements import partial_formula

__all__ = ["applies", "reverse_caption", "forward_caption"]

# The vector-Jacobian product of each structural op, per input: {g} is the result's adjoint,
# {0}, {1} the op's arguments, {n} the number of elements averaged.
_VJP = {
    "matmul": ("{g}·{1}ᵀ", "{0}ᵀ·{g}"), "reduce_sum": ("broadcast({g})",),
    "reduce_mean": ("broadcast({g}) / {n}",), "sum_to": ("broadcast({g})",),
    "broadcast_to": ("Σ {g}",), "reshape": ("reshape({g})",), "transpose": ("{g}ᵀ",),
    "swapaxes": ("{g}ᵀ",), "identity": ("{g}",), "cast": ("{g}",),
    "getitem": ("scatter({g})",), "reduce_max": ("{g} at the maximum",),
}
# The Jacobian-vector product of each structural op, per input: {d} is the input's tangent.
_JVP = {
    "matmul": ("{d}·{1}", "{0}·{d}"), "reduce_sum": ("Σ {d}",), "reduce_mean": ("mean {d}",),
    "sum_to": ("Σ {d}",), "broadcast_to": ("broadcast({d})",), "reshape": ("reshape({d})",),
    "transpose": ("{d}ᵀ",), "swapaxes": ("{d}ᵀ",), "identity": ("{d}",), "cast": ("{d}",),
    "getitem": ("{d}[…]",), "reduce_max": ("{d} at the maximum",),
}


def applies(graph, value, others, done):
    """True when a step of a program graph involves a tensor: then it is written in matrix form
    (a step on numbers alone keeps the scalar arithmetic ``∂e/∂c·ē = 2·1``)."""
    if graph.program is None:
        return False
    return np.ndim(value) > 0 or any(np.ndim(done[o]) > 0 for o in others)


def _elementwise(graph, node, i, mark, reverse):
    """``f ⊙ ḡ`` for an element-wise op, ``Σ(…)`` where the input was broadcast (reverse)."""
    f = partial_formula(node, i)
    values = [graph.node(a).value for a in node.args]
    with np.errstate(all="ignore"):
        partial = node.op.partials[i](node.value, *values)
    f_num = "0" if partial is None else fmt(np.broadcast_to(partial, np.shape(node.value)))
    if partial is None:
        f = "0"
    if f == "1":
        sym, num = mark
    elif f in ("−1", "-1"):
        sym, num = f"−{mark[0]}", f"−{mark[1]}"
    else:
        sym, num = f"{f} ⊙ {mark[0]}", f"{f_num} ⊙ {mark[1]}"
    if reverse and np.shape(values[i]) != np.shape(node.value):
        sym, num = f"Σ({sym})", f"Σ({num})"
    return sym, num


def _structural(graph, node, i, mark, table, key, generic):
    templates = table.get(node.op.name)
    values = [graph.node(a).value for a in node.args]
    if templates is None or i >= len(templates):
        shape = f"[{np.size(node.value)}×{np.size(values[i])}]"
        return (generic.format(c=node.name, x=node.args[i], m=mark[0]),
                generic.replace("∂{c}/∂{x}", shape).format(m=mark[1]))
    n = fmt(np.size(values[0]) // max(1, np.size(node.value)))
    sym = templates[i].format(*node.args, n=n, **{key: mark[0]})
    num = templates[i].format(*[fmt(v) for v in values], n=n, **{key: mark[1]})
    return sym, num


def _term(graph, node, src, mark, reverse):
    """The product that carries ``mark`` (the adjoint of ``node``, or the tangent of ``src``)
    along the edge ``src -> node``, summed over every argument ``src`` fills."""
    pieces = []
    for i, arg in enumerate(node.args):
        if arg != src:
            continue
        if node.op.elementwise:
            pieces.append(_elementwise(graph, node, i, mark, reverse))
        elif reverse:
            pieces.append(_structural(graph, node, i, mark, _VJP, "g", "(∂{c}/∂{x})ᵀ·{m}"))
        else:
            pieces.append(_structural(graph, node, i, mark, _JVP, "d", "∂{c}/∂{x}·{m}"))
    if len(pieces) == 1:
        return pieces[0]
    return ("(" + " + ".join(p[0] for p in pieces) + ")",
            "(" + " + ".join(p[1] for p in pieces) + ")")


def reverse_caption(graph, name, users, done, value):
    """``x̄ = Σᵤ VJPᵤ(ū)``, over the consumers ``users`` whose adjoints are in ``done``."""
    terms = [_term(graph, graph.node(u), name, (bar_name(u), fmt(done[u])), True)
             for u in users]
    return (f"{bar_name(name)} = " + " + ".join(t[0] for t in terms) + " = "
            + " + ".join(t[1] for t in terms) + f" = {value_text(value)}")


def forward_caption(graph, name, sources, done, value):
    """``ṅ = Σₛ JVPₛ(ṡ)``, over the inputs ``sources`` whose tangents are in ``done``."""
    node = graph.node(name)
    terms = [_term(graph, node, s, (dot_name(s), fmt(done[s])), False) for s in sources]
    return (f"{dot_name(name)} = " + " + ".join(t[0] for t in terms) + " = "
            + " + ".join(t[1] for t in terms) + f" = {value_text(value)}")
