"""The engine: walking the recorded graph backwards (reverse mode) and forwards (forward mode).

Both walks visit the graph in a topological order found with an explicit stack, never by recursion
(``order.py``), so a chain of 100,000 operations differentiates as easily as three. Neither walk
stores anything on the tensors: results are fresh, and asking twice gives the same answer.

``tg.gradients`` reaches :func:`recorded_pass` through :func:`backward`: the reverse pass to read,
on tensors, whose rules record themselves (so a derivative can be differentiated again). The same
walk on plain NumPy values, faster and keeping no intermediate arrays alive, is ``fast.py``'s.
"""

import numpy as np

from .. import ops
from ..ops import control_flow
from ..ops.runtime_shapes import broadcast_like, sum_like
from ..core.shapes import unknown_dims
from ..core.tensor import Tensor, as_tensor, record, values_replaced
from .fast import backward_values, times_partial
from .order import check_not_stale, depends_on, toposort

__all__ = ["toposort", "backward", "recorded_pass", "forward", "input_cotangent",
           "check_not_stale", "depends_on"]


def backward(ys, seeds, xs, record, held=(), order=None):
    """Reverse mode: the adjoint of every x in ``xs``, starting from cotangents ``seeds`` on ``ys``.

    Returns a list with ``None`` for an x that no y depends on. With ``record`` the adjoints are
    tensors that record how they were computed (:func:`recorded_pass`, below: the pass to read);
    without, the same walk runs on plain NumPy values (``autodiff/fast.py``), which is faster and
    keeps nothing alive. The tensors in ``held`` are constants: they pass nothing on to their
    inputs (``tg.gradients(..., stop_gradients=...)``). ``order``, when given, lists the tensors
    to visit, each after its inputs, and holds every tensor that depends on an x and that the ys
    depend on (a function transform's tape); by default the graph is searched from the ys and
    sorted.

    >>> import teachgrad as tg
    >>> a = tg.constant(2.0); b = tg.constant(1.0)
    >>> e = (a + b) * (b + 1)
    >>> [float(g) for g in backward([e], [tg.constant(1.0)], [a, b], record=True)]
    [2.0, 5.0]
    """
    if not record:
        return backward_values(ys, seeds, xs, held, order)
    if order is None:
        order = toposort(ys)
        if values_replaced[0]:   # (no variable was ever assigned in eager mode: nothing to check)
            check_not_stale(order)
    live = depends_on(order, xs, held)
    adjoint = recorded_pass(order, live, ys, seeds, held)
    return [_shaped_like(adjoint.get(x), x) for x in xs]


def recorded_pass(order, live, ys, seeds, held=()):
    """Reverse mode on tensors, the way to read it: visit the nodes from the outputs back, and
    pass each node's cotangent to its inputs, one vector-Jacobian product per edge."""
    adjoint = {}
    for y, g in zip(ys, seeds):
        if y in live:
            adjoint[y] = g if y not in adjoint else adjoint[y] + g
    for node in reversed(order):
        g = adjoint.get(node)
        if g is None or node.prim is None or node in held:
            continue
        # By now every consumer of this node has added its contribution: g is complete.
        for i, inp in enumerate(node.inputs):
            if inp in live:
                contribution = input_cotangent(node, i, g, record=True)
                if contribution is not None:
                    # Sum contributions with all others also using this input's output.
                    previous = adjoint.get(inp)
                    adjoint[inp] = contribution if previous is None else previous + contribution
    return adjoint


def _shaped_like(g, x):
    """The adjoint ``g`` of ``x`` as a tensor of ``x``'s shape (a seed may broadcast against x)."""
    if g is None:
        return None
    if g.__class__ is not Tensor:
        g = record(None, (), g, None)
    x_shape = _shape(x)
    if _shape(g) != x_shape:   # (to x's run-time shape when its static one has unknown sizes)
        g = broadcast_like(g, x) if unknown_dims(x_shape) else ops.broadcast_to(g, x_shape)
    return g


def input_cotangent(node, i, g, record=False):
    """The cotangent that flows from ``node`` into its ``i``-th input, given the node's cotangent
    ``g``: ``g · ∂node/∂input`` for an element-wise node (summed back over broadcast axes), the
    op's vector-Jacobian product otherwise; ``None`` for no derivative.

    ``record`` runs the rule on tensors, so that the result records itself and can be
    differentiated again; otherwise the rule runs on the NumPy values.
    """
    op = node.prim
    if record:
        out, args = node, node.inputs
    else:
        out, args = node._value, [t._value for t in node.inputs]
    if not op.elementwise:
        return _vjps(node, g, out, args, (i,))[0]
    partial = op.partials[i](out, *args)
    if partial is None:
        return None
    contribution = times_partial(g, partial)
    value = node._value
    if value is not None and value.__class__ is not np.ndarray:
        return contribution    # a scalar result has scalar inputs: no broadcasting to undo
    x_shape = _shape(node.inputs[i])
    if unknown_dims(x_shape) and len(node.inputs) > 1:
        # Sizes known only when the graph runs: an input of shape (None,) fed one element may
        # have been broadcast against four; sum back to the shape it is fed with (TF's
        # BroadcastGradientArgs, at run time).
        contribution = sum_like(contribution, node.inputs[i])
    elif _shape(contribution) != x_shape:   # the input was broadcast: sum back to its shape
        contribution = ops.sum_to(contribution, x_shape)
    return contribution


def _shape(x):
    """The static shape of a tensor (None for unknown sizes) or of a NumPy value, as a tuple."""
    if x.__class__ is Tensor:
        v = x._value
        return v.shape if v is not None else tuple(x._static[0])
    return np.shape(x)


def _vjps(node, g, out, args, positions):
    """The cotangents flowing from a structural ``node`` into the inputs at ``positions``.

    ``out`` and ``args`` are the node's value and its inputs' values: NumPy values, or the tensors
    themselves when the derivative must record itself.
    """
    op = node.prim
    if op.vjp is None:
        raise NotImplementedError(f"{op.name} has no reverse-mode rule")
    params = node.params or _NO_PARAMS
    return [op.vjp[i](g, out, *args, **params) for i in positions]


_NO_PARAMS = {}


def _tangent_of(node, tangents, record):
    """Forward mode at one node: Σᵢ (∂node/∂inputᵢ) · inputᵢ_dot over the inputs with a tangent."""
    op = node.prim
    if record:
        args, out = node.inputs, node
    else:
        args, out = [t._value for t in node.inputs], node._value
    params = node.params or {}
    total = None
    for i, inp in enumerate(node.inputs):
        x_dot = tangents.get(inp)
        if x_dot is None:
            continue
        if op.elementwise:
            partial = op.partials[i](out, *args)
            if partial is None:
                continue
            term = x_dot if type(partial) is int and partial == 1 else \
                (-x_dot if type(partial) is int and partial == -1 else partial * x_dot)
        elif op.jvp is not None:
            term = op.jvp[i](x_dot, out, *args, **params)
        elif op.linear:
            # Linear in each input: the tangent goes through the op with zeros for the others.
            term = op(*[x_dot if j == i else _zeros_like(a) for j, a in enumerate(args)], **params)
        else:
            raise NotImplementedError(f"{op.name} has no forward-mode rule")
        if term is None:
            continue
        total = term if total is None else total + term
    if total is not None and np.shape(total) != node.shape:
        total = broadcast_like(total, node) if unknown_dims(node.shape) else \
            ops.broadcast_to(total, node.shape)
    return total


def _zeros_like(a):
    z = np.zeros(np.shape(a), dtype=a.dtype if isinstance(a, Tensor) else np.result_type(a))
    return as_tensor(z) if isinstance(a, Tensor) else z


def forward(outputs, primals, tangents, record):
    """Forward mode: push ``tangents`` of ``primals`` through the graph of ``outputs``."""
    order = toposort(outputs)
    tan = {}
    for p, t in zip(primals, tangents):
        tan[p] = t
    for node in order:
        if node.prim is None or node in tan:
            continue
        t = _tangent_of(node, tan, record)
        if t is not None:
            tan[node] = t
    return tan


control_flow.use_engine(backward)   # cond/while_loop derivatives: this reverse pass on their branches
