"""``tg.hessians``: second derivatives, built as TensorFlow builds them, from the gradient of each
element of the gradient.
"""

import contextlib

from . import ops
from .autodiff import gradients
from .program import name_scope
from .tensor import recording_graph

__all__ = ["hessians"]


def hessians(ys, xs, name="hessians", colocate_gradients_with_ops=False, gate_gradients=False,
             aggregation_method=None):
    """The Hessian of ``sum(ys)`` with respect to each ``x`` in ``xs``: for an x of shape s, a
    tensor of shape s + s holding ∂²y/∂xᵢ∂xⱼ (None for an x that ys do not depend on). Built,
    as TensorFlow builds it, from the gradient of each element of the gradient, so an x needs a
    known shape.

    >>> import teachgrad as tg
    >>> x = tg.constant([1.0, 2.0])
    >>> A = tg.constant([[2.0, 1.0], [1.0, 3.0]])
    >>> f = tg.tensordot(x, tg.tensordot(A, x, 1), 1) / 2     # ½ xᵀAx
    >>> tg.hessians(f, x)[0].numpy()
    array([[2., 1.],
           [1., 3.]], dtype=float32)
    """
    xs = list(xs) if isinstance(xs, (list, tuple)) else [xs]
    graph_mode = recording_graph() is not None
    with name_scope(name or "hessians") if graph_mode else contextlib.nullcontext():
        return [_hessian(ys, x) for x in xs]


def _hessian(ys, x):
    (g,) = gradients(ys, x)
    if g is None:
        return None
    if not x.shape.is_fully_defined():
        raise ValueError(f"hessians: {x.name!r} has shape {x.shape}: a Hessian needs a fully "
                         "known shape")
    n = x.shape.num_elements()
    flat = ops.reshape(g, (n,))
    rows = []
    for j in range(n):
        (row,) = gradients(flat[j], x, unconnected_gradients="zero")
        rows.append(ops.reshape(row, (1, n)))
    return ops.reshape(ops.concat(*rows, axis=0), tuple(x.shape) * 2)
