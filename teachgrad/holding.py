"""Reverse mode that holds some tensors constant: ``tg.gradients(..., stop_gradients=[...])``.

The engine's recorded pass, except that a held tensor passes nothing on to its inputs (as if it
were wrapped in ``stop_gradient``), so it depends on no x unless it is one.
"""

from . import ops
from .engine import input_cotangent, toposort

__all__ = ["backward_holding"]


def backward_holding(ys, seeds, xs, held):
    """The adjoints of ``xs`` (None where no y depends on one) from cotangents ``seeds`` on
    ``ys``, with the tensors in ``held`` constant.

    >>> import teachgrad as tg
    >>> a = tg.constant(1.0); b = a * 3.0
    >>> [float(g) for g in backward_holding([a + b], [tg.constant(1.0)], [a, b], {b})]
    [1.0, 1.0]
    """
    order = toposort(ys)
    live = set(xs)
    for node in order:
        if node not in held and any(i in live for i in node.inputs):
            live.add(node)
    adjoint = {}
    for y, g in zip(ys, seeds):
        if y in live:
            adjoint[y] = g if y not in adjoint else adjoint[y] + g
    for node in reversed(order):
        g = adjoint.get(node)
        if g is None or node.prim is None or node in held:
            continue
        for i, inp in enumerate(node.inputs):
            if inp in live:
                contribution = input_cotangent(node, i, g, record=True)
                if contribution is not None:
                    previous = adjoint.get(inp)
                    adjoint[inp] = contribution if previous is None else previous + contribution
    results = []
    for x in xs:
        g = adjoint.get(x)
        if g is not None and g.shape != x.shape and x.shape.is_fully_defined():
            g = ops.broadcast_to(g, tuple(x.shape))   # a seed that broadcast against x
        results.append(g)
    return results
