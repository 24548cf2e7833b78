"""The engine: walking the recorded graph backwards (reverse mode) and forwards (forward mode).

Both walks visit the graph in a topological order found with an explicit stack, never by recursion,
so a chain of 100,000 operations differentiates as easily as three. Neither walk stores anything on
the tensors: results are fresh, and asking twice gives the same answer.

With ``record`` the rules run on tensors and record themselves (so a derivative can be
differentiated again); otherwise they run on plain NumPy values, which is faster and keeps no
intermediate arrays alive.
"""

import operator

import numpy as np

from .. import ops
from ..ops import control_flow
from ..ops.runtime_shapes import broadcast_like
from ..core.program_graph import paused_recording
from ..core.shapes import unknown_dims
from ..core.tensor import Tensor, as_tensor, record, values_replaced

__all__ = ["toposort", "backward", "forward", "input_cotangent", "check_not_stale"]


def toposort(outputs):
    """Every tensor ``outputs`` depend on, each after all of its inputs (no recursion).

    A tensor is always made after its inputs, so the order in which tensors were made is a
    topological order: collect what the outputs reach with an explicit stack, then sort.

    >>> import teachgrad as tg
    >>> a = tg.constant(2.0, name="a"); b = tg.constant(1.0, name="b")
    >>> e = (a + b) * (b + 1)
    >>> [t.op.type for t in toposort([e])]
    ['Const', 'Const', 'AddV2', 'Const', 'AddV2', 'Mul']
    """
    seen = set(outputs)
    stack = list(seen)
    pop, push, add = stack.pop, stack.append, seen.add
    while stack:
        for inp in pop().inputs:
            if inp not in seen:
                add(inp)
                push(inp)
    return sorted(seen, key=_by_serial)


_by_serial = operator.attrgetter("_serial")


def _depends_on(order, sources, held=()):
    """The tensors of ``order`` (topologically sorted) that some tensor in ``sources`` reaches,
    not through a tensor in ``held``."""
    live = set(sources)
    add = live.add
    for node in order:
        if held and node in held:
            continue
        for inp in node.inputs:
            if inp in live:
                add(node)
                break
    return live


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
    if partial.__class__ is int:   # ±1: pass the cotangent through unmultiplied
        contribution = g if partial == 1 else -g
    else:
        contribution = g * partial
    value = node._value
    if value is not None and value.__class__ is not np.ndarray:
        return contribution    # a scalar result has scalar inputs: no broadcasting to undo
    x_shape = _shape(node.inputs[i])
    if _shape(contribution) != x_shape:   # the input was broadcast: sum back to its shape
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


def backward(ys, seeds, xs, record, held=()):
    """Reverse mode: the adjoint of every x in ``xs``, starting from cotangents ``seeds`` on ``ys``.

    Returns a list with ``None`` for an x that no y depends on. With ``record`` the adjoints are
    tensors that record how they were computed (:func:`_recorded_pass`); without, they are computed
    on plain NumPy values (:func:`_fast_pass`), which is faster and keeps nothing alive. The tensors
    in ``held`` (recorded passes only) are constants: they pass nothing on to their inputs
    (``tg.gradients(..., stop_gradients=...)``).
    """
    if record:
        return _backward(ys, seeds, xs, True, held)
    with paused_recording():   # values only (the teaching graph's steps): not the user's program
        return _backward(ys, seeds, xs, False, held)


def _backward(ys, seeds, xs, record, held):
    order = toposort(ys)
    if values_replaced[0]:   # (no variable was ever assigned in eager mode: nothing to check)
        check_not_stale(order)
    live = _depends_on(order, xs, held)
    if record:
        adjoint = _recorded_pass(order, live, ys, seeds, held)
    else:
        adjoint = _fast_pass(order, live, ys, seeds, set(xs))
    results = []
    for x in xs:
        g = adjoint.get(x)
        if g is not None:
            if g.__class__ is not Tensor:
                g = _wrap(g)
            x_shape = _shape(x)
            if _shape(g) != x_shape:  # a seed that broadcast against x
                if not record:
                    g = _wrap(np.broadcast_to(g._value, x_shape))
                else:   # (to x's run-time shape when its static one has unknown sizes)
                    g = broadcast_like(g, x) if unknown_dims(x_shape) else \
                        ops.broadcast_to(g, x_shape)
        results.append(g)
    return results


def check_not_stale(order):
    """Eager mode: refuse a graph recorded before one of its variables was assigned.

    A node keeps the value it was computed with, while a rule reads the variable's value now:
    the derivative of ``y = w * w`` recorded with ``w = 2`` and taken after ``w.assign(5.0)`` would
    mix 2 and 5. Every node that reads a variable must be younger than its last assignment.

    >>> import teachgrad as tg
    >>> tg.enable_eager_execution()
    >>> w = tg.Variable(2.0, name="w")
    >>> y = w * w
    >>> _ = w.assign(5.0)
    >>> tg.gradients(y, w)
    Traceback (most recent call last):
    ...
    ValueError: 'mul:0' was computed before variable 'w' was assigned a new value: its derivative would mix the old value of 'w' (the one 'mul:0' was computed with) and the new one. Compute it again after the assignment, then differentiate
    >>> tg.disable_eager_execution()
    """
    for node in order:
        for inp in node.inputs:
            assigned = getattr(inp, "_assigned", None)   # (only variables have it)
            if assigned is not None and node._serial < assigned:
                raise ValueError(
                    f"{node.name!r} was computed before variable {inp.op_name!r} was assigned a "
                    f"new value: its derivative would mix the old value of {inp.op_name!r} (the "
                    f"one {node.name!r} was computed with) and the new one. Compute it again "
                    "after the assignment, then differentiate")


def _recorded_pass(order, live, ys, seeds, held=()):
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


def _fast_pass(order, live, ys, seeds, keep):
    """The same walk as :func:`_recorded_pass` on NumPy values: the engine's hot path.

    It is long because it is fast: the element-wise rule is inlined rather than called per edge,
    an op may declare a fused ``vjp`` that needs fewer passes over memory than ``g * partial``,
    ±1 partials pass the cotangent through unmultiplied, and arrays this pass allocated and only
    the adjoint table holds (``mine``) are added into in place.
    """
    adjoint = {}
    mine = set()   # ids of arrays safe to add into (pass-through cotangents are shared: never here)
    for y, g in zip(ys, seeds):
        if y in live:
            previous = adjoint.get(y)
            adjoint[y] = g if previous is None else previous + g
    for node in reversed(order):
        op = node.prim
        if op is None:
            continue
        g = adjoint.get(node) if node in keep else adjoint.pop(node, None)
        if g is None:
            continue
        if mine:
            mine.discard(id(g))   # final now: it may be passed on (shared), so never add into it
        inputs = node.inputs
        out, args = node._value, list(map(_value_of, inputs))
        if op.elementwise:
            partials, fast = op.partials, op.vjp
            # A scalar result has scalar inputs: no broadcasting to undo.
            array = out.__class__ is np.ndarray
            for i, inp in enumerate(inputs):
                if inp not in live:
                    continue
                if fast is not None:
                    contribution = fast[i](g, out, *args)
                    owned = contribution is not g
                else:
                    partial = partials[i](out, *args)
                    if partial is None:
                        continue
                    if partial.__class__ is int:
                        contribution = g if partial == 1 else -g
                        owned = partial == -1
                    else:
                        contribution = g * partial
                        owned = True
                if array and contribution.shape != inp._value.shape:  # undo broadcasting, once
                    contribution = ops.sum_to(contribution, inp._value.shape)
                    owned = True
                # Sum contributions with all others also using this input's output (this is
                # _add_into, inlined: a call per edge costs several per cent here).
                previous = adjoint.get(inp)
                if previous is None:
                    adjoint[inp] = contribution
                    if owned and contribution.__class__ is np.ndarray:
                        mine.add(id(contribution))
                elif id(previous) in mine and previous.dtype == contribution.dtype:
                    previous += contribution
                else:
                    mine.discard(id(previous))
                    total = adjoint[inp] = previous + contribution
                    if total.__class__ is np.ndarray:
                        mine.add(id(total))
        else:
            positions = [i for i, inp in enumerate(inputs) if inp in live]
            for i, contribution in zip(positions, _vjps(node, g, out, args, positions)):
                if contribution is not None:
                    _add_into(adjoint, mine, inputs[i], contribution, False)
    return adjoint


def _add_into(adjoint, mine, inp, contribution, owned):
    """adjoint[inp] += contribution, in place when the array is this pass's own."""
    previous = adjoint.get(inp)
    if previous is None:
        adjoint[inp] = contribution
        if owned and contribution.__class__ is np.ndarray:
            mine.add(id(contribution))
    elif id(previous) in mine and previous.dtype == contribution.dtype:
        previous += contribution
    else:
        mine.discard(id(previous))
        total = adjoint[inp] = previous + contribution
        if total.__class__ is np.ndarray:
            mine.add(id(total))


def _wrap(value):
    """A fresh result as a constant tensor (its value is new, so no copy is needed)."""
    return record(None, (), value, None)


_value_of = operator.attrgetter("_value")


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
                (-x_dot if type(partial) is int else partial * x_dot)
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
