"""The fast reverse pass: the walk of ``engine.recorded_pass`` on plain NumPy values.

``engine.py`` holds the reverse pass to read (tensors in, tensors out, one vector-Jacobian product
per edge, so a derivative can be differentiated again). This file holds the same walk made fast,
for first derivatives that are only looked at (``grad``, ``value_and_grad``, ``vjp``, the teaching
graph's steps): the element-wise rule is inlined rather than called per edge, an op's fused
``vjp`` (declared beside its partials in ``ops/``) is used when it has one, ±1 partials pass the
cotangent through unmultiplied, and arrays this pass allocated itself are added into in place.
``tests/autodiff/test_fast_pass_agrees.py`` checks that both passes give the same numbers.
"""

import operator

import numpy as np

from .. import ops
from ..core.context import Tape, current, set_recording_graph
from ..core.tensor import Tensor, record, serials, tape_constant, values_replaced
from .order import check_not_stale, toposort

__all__ = ["backward_values", "values_pass", "scalar_pass", "times_partial"]

ndarray = np.ndarray
_new = object.__new__


def backward_values(ys, seeds, xs, held=(), order=None):
    """Reverse mode on NumPy values: the adjoint of every x in ``xs`` (a constant tensor, or
    ``None`` for an x that no y depends on), from the cotangents ``seeds`` (NumPy values) on ``ys``;
    ``order`` as in ``engine.backward``.

    >>> import teachgrad as tg, numpy as np
    >>> a = tg.constant(2.0); b = tg.constant(1.0)
    >>> e = (a + b) * (b + 1)
    >>> [float(g) for g in backward_values([e], [np.float32(1)], [a, b])]
    [2.0, 5.0]
    """
    here = current.recording
    if here is None or here.graph is None:   # eager, or inside a transform: nothing to pause
        return values_pass(ys, seeds, xs, held, order)
    previous = set_recording_graph(None)   # values only: not the user's program
    try:
        return values_pass(ys, seeds, xs, held, order)
    finally:
        set_recording_graph(previous)


def values_pass(ys, seeds, xs, held, order=None):
    """:func:`backward_values` without pausing a program graph: for a caller that records into
    none (a function transform, whose tensors go on its tape).

    >>> import teachgrad as tg, numpy as np
    >>> a = tg.constant(3.0)
    >>> [float(g) for g in values_pass([a * a], [np.float32(1)], [a], ())]
    [6.0]
    """
    if order is None:
        order = toposort(ys)
        if values_replaced[0]:   # (no variable was ever assigned in eager mode: nothing to check)
            check_not_stale(order)
    live, nodes = _live_nodes(order, xs, held)
    adjoint = _fast_pass(nodes, live, ys, seeds, set(xs))
    here = current.recording
    tape = here if here.__class__ is Tape else None
    # The caller's arrays: a ±1 path hands a seed (or a view of it) to an x unchanged, and the
    # result must neither freeze the caller's array nor change when the caller writes into it.
    theirs = [s for s in seeds if s.__class__ is ndarray]
    results = []
    for x in xs:
        g = adjoint.get(x)
        if g is not None and g.__class__ is not Tensor:
            v = x._value
            if g.__class__ is ndarray or v.__class__ is ndarray or v is None:   # (not 2 scalars)
                x_shape = v.shape if v is not None else tuple(x._static[0])
                if np.shape(g) != x_shape:   # a seed that broadcast against x
                    g = np.broadcast_to(g, x_shape)
                if theirs and g.__class__ is ndarray and \
                        any(np.may_share_memory(g, s) for s in theirs):
                    g = np.array(g)
                g = record(None, (), g, None)    # a value of this pass's own: no copy needed
            else:
                g = tape_constant(g, tape) if tape is not None else record(None, (), g, None)
        results.append(g)
    return results


def scalar_pass(order, xs, y, seed, tape):
    """:func:`values_pass` of one result ``y`` with respect to leaves ``xs`` (constants no op
    made, each once, ``order`` holding them) for a tape (``order``) on which every op that an x
    reaches makes a scalar from one or two inputs and has local partials (an element-wise op):
    the seed's program, and any chain of scalar operations. The gradients are constants listed on
    ``tape`` (the transform's ``context.Tape``, the recording state now), a zero for an x that
    ``y`` does not depend on (as ``grad`` gives). None, before any work, when the tape holds
    another kind of op: then :func:`values_pass`.

    It is long because it is fast, as ``_fast_pass`` is: liveness and the reverse walk in one
    function, without the bookkeeping arrays need (broadcasting, adding into arrays in place),
    the commonest node (two inputs, local partials) written out, and the result tensors made
    inline; the same numbers by the same rules (``tests/autodiff/test_scalar_pass.py``).

    >>> import teachgrad as tg, numpy as np
    >>> from teachgrad.core.context import Tape, current
    >>> previous, current.recording = current.recording, Tape()
    >>> a, b = tg.constant(np.float64(2.0)), tg.constant(np.float64(1.0))
    >>> e = (a + b) * (b + 1)
    >>> tape = current.recording
    >>> [float(g) for g in scalar_pass(list(tape), [a, b], e, np.float64(1), tape)]
    [2.0, 5.0]
    >>> current.recording = previous
    """
    live = set(xs)
    reaches = live.isdisjoint
    nodes = []
    for node in order:
        inputs = node.inputs
        if inputs and not reaches(inputs):   # (the xs are leaves: no inputs)
            if node._value.__class__ is ndarray or node.prim.partials is None:
                return None
            live.add(node)
            nodes.append(node)
    adjoint = {y: seed} if y in live else {}
    get = adjoint.get
    pop = adjoint.pop
    for node in reversed(nodes):
        g = pop(node, None)
        if g is None:
            continue
        op = node.prim
        inputs = node.inputs
        out = node._value
        if len(inputs) == 1:   # (sin(x), x * x's square, -x: x is live, as the node is)
            x = inputs[0]
            fast = op.vjp
            if fast is not None:
                contribution = fast[0](g, out, x._value)
            else:
                contribution = _scalar_contribution(op, 0, g, out, (x._value,))
                if contribution is None:
                    continue
            previous = get(x)
            adjoint[x] = contribution if previous is None else previous + contribution
        elif len(inputs) == 2 and op.vjp is None:   # (the commonest: a + b, a * b, written out)
            a, b = inputs
            a_value, b_value = a._value, b._value
            partials = op.partials
            if a in live:
                partial = partials[0](out, a_value, b_value)
                if partial is not None:
                    contribution = g * partial if partial.__class__ is not int else (
                        g if partial == 1 else -g if partial == -1 else g * partial)
                    previous = get(a)
                    adjoint[a] = contribution if previous is None else previous + contribution
            if b in live:
                partial = partials[1](out, a_value, b_value)
                if partial is not None:
                    contribution = g * partial if partial.__class__ is not int else (
                        g if partial == 1 else -g if partial == -1 else g * partial)
                    previous = get(b)
                    adjoint[b] = contribution if previous is None else previous + contribution
        else:
            values = tuple(map(_value_of, inputs))
            for i, x in enumerate(inputs):
                if x in live:
                    contribution = _scalar_contribution(op, i, g, out, values)
                    if contribution is not None:
                        previous = get(x)
                        adjoint[x] = contribution if previous is None else previous + contribution
    results = []
    for x in xs:
        t = _new(Tensor)    # (tape_constant, inlined)
        g = get(x)
        t._value = g if g is not None else x._value.dtype.type(0)   # (zero: y ignores x)
        t.prim = None
        t.inputs = ()
        t.params = None
        t._name = None
        t._serial = next(serials)
        tape.append(t)
        results.append(t)
    return results


def _scalar_contribution(op, i, g, out, values):
    """``g`` times ``op``'s partial by input ``i`` (its fused ``vjp`` when it has one), or None
    when the partial is None (no derivative)."""
    if op.vjp is not None:
        return op.vjp[i](g, out, *values)
    partial = op.partials[i](out, *values)
    if partial is None:
        return None
    return times_partial(g, partial)


def times_partial(g, partial):
    """``g · partial``; an int partial of ±1 (an op's "1" or "−1") passes ``g`` on, or its
    negative, without a multiplication."""
    if partial.__class__ is int and (partial == 1 or partial == -1):
        return g if partial == 1 else -g
    return g * partial


def _live_nodes(order, xs, held):
    """``order.depends_on``'s set (the tensors of ``order`` some x reaches, not through a held
    one), and, in order, those of them an op made: the only nodes the reverse pass visits (the
    others never get a cotangent: constants, and what no x reaches)."""
    live = set(xs)
    add, reaches = live.add, live.isdisjoint
    nodes = []
    push = nodes.append
    for node in order:
        if node in live:     # an x
            if node.prim is not None:
                push(node)
        elif node.inputs and not reaches(node.inputs) and not (held and node in held):
            add(node)
            push(node)    # (a node with inputs was made by an op)
    return live, nodes


def _fast_pass(nodes, live, ys, seeds, keep):
    """The same walk as ``engine.recorded_pass`` on NumPy values: the engine's hot path.

    It is long because it is fast: a scalar node (no broadcasting to undo, nothing to add into
    in place) takes a short branch; the element-wise rule is inlined rather than called per edge;
    an op may declare a fused ``vjp`` that needs fewer passes over memory than ``g * partial``;
    ±1 partials pass the cotangent through unmultiplied; and arrays this pass allocated and only
    the adjoint table holds (``mine``) are added into in place. ``nodes`` are the live nodes
    an op made, in topological order (``_live_nodes``).
    """
    adjoint = {}
    mine = set()   # ids of arrays safe to add into (pass-through cotangents are shared: never here)
    for y, g in zip(ys, seeds):
        if y in live:
            previous = adjoint.get(y)
            adjoint[y] = g if previous is None else previous + g
    get, pop = adjoint.get, adjoint.pop
    for node in reversed(nodes):
        op = node.prim
        g = get(node) if node in keep else pop(node, None)
        if g is None:
            continue
        spare = None   # g's array when only this pass held it: the last input's product may go there
        if mine and id(g) in mine:
            mine.discard(id(g))   # final now: it may be passed on (shared), so never add into it
            spare = g
        inputs = node.inputs
        out = node._value
        if op.elementwise:
            partials, fast = op.partials, op.vjp
            if len(inputs) == 2:   # (most ops: unpacked, which is quicker than a map)
                a, b = inputs
                a_value, b_value = a._value, b._value
                if fast is None and out.__class__ is not ndarray:
                    # The commonest node, a scalar a + b or a * b: its two edges written out
                    # (no broadcasting to undo, no array to add into in place)
                    if a in live:
                        partial = partials[0](out, a_value, b_value)   # (*args would cost more)
                        if partial is not None:
                            if partial.__class__ is int:
                                contribution = g if partial == 1 else -g if partial == -1 else g * partial
                            else:
                                contribution = g * partial
                            previous = get(a)
                            if previous is None:
                                adjoint[a] = contribution
                            else:
                                if mine:
                                    mine.discard(id(previous))
                                adjoint[a] = previous + contribution
                    if b in live:
                        partial = partials[1](out, a_value, b_value)
                        if partial is not None:
                            if partial.__class__ is int:
                                contribution = g if partial == 1 else -g if partial == -1 else g * partial
                            else:
                                contribution = g * partial
                            previous = get(b)
                            if previous is None:
                                adjoint[b] = contribution
                            else:
                                if mine:
                                    mine.discard(id(previous))
                                adjoint[b] = previous + contribution
                    continue
                args = (a_value, b_value)
            else:
                args = tuple(map(_value_of, inputs))
            if out.__class__ is not ndarray:
                # A scalar result has scalar inputs: no broadcasting to undo, no array to add
                # into in place.
                if len(inputs) == 1:   # (sin(x), -x: one edge)
                    x = inputs[0]
                    if x in live:
                        x_value = args[0]
                        if fast is not None:
                            contribution = fast[0](g, out, x_value)
                        else:
                            partial = partials[0](out, x_value)
                            if partial is None:
                                continue
                            if partial.__class__ is int:
                                contribution = g if partial == 1 else -g if partial == -1 else g * partial
                            else:
                                contribution = g * partial
                        previous = get(x)
                        if previous is None:
                            adjoint[x] = contribution
                        else:
                            if mine:
                                mine.discard(id(previous))
                            adjoint[x] = previous + contribution
                    continue
                i = -1
                for inp in inputs:
                    i += 1
                    if inp not in live:
                        continue
                    if fast is not None:
                        contribution = fast[i](g, out, *args)
                    else:
                        partial = partials[i](out, *args)
                        if partial is None:
                            continue
                        if partial.__class__ is int:
                            contribution = g if partial == 1 else -g if partial == -1 else g * partial
                        else:
                            contribution = g * partial
                    previous = get(inp)
                    if previous is None:
                        adjoint[inp] = contribution
                    else:
                        if mine:
                            mine.discard(id(previous))
                        adjoint[inp] = previous + contribution
                continue
            last = len(inputs) - 1
            while inputs[last] not in live:
                last -= 1
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
                    if partial.__class__ is int and (partial == 1 or partial == -1):
                        if partial == 1:
                            contribution, owned = g, False
                        elif spare is not None and i == last:
                            contribution = np.negative(g, out=g)
                            owned = True
                        else:
                            contribution, owned = -g, True
                    elif spare is not None and i == last and _fits(partial, g):
                        # g is no longer needed after this product: one fresh array fewer
                        contribution = np.multiply(g, partial, out=g)
                        owned = True
                    else:
                        contribution = g * partial
                        owned = True
                if contribution is g and not owned:
                    spare = None          # g is passed on as it is: never write into it now
                if contribution.shape != inp._value.shape:  # undo broadcasting, once
                    contribution = ops.sum_to(contribution, inp._value.shape)
                    owned = True
                # Sum contributions with all others also using this input's output (this is
                # _add_into, inlined: a call per edge costs several per cent here).
                previous = get(inp)
                if previous is None:
                    adjoint[inp] = contribution
                    if owned and contribution.__class__ is ndarray:
                        mine.add(id(contribution))
                elif id(previous) in mine and previous.dtype == contribution.dtype:
                    previous += contribution
                elif owned and contribution.__class__ is ndarray and _fits(previous, contribution):
                    mine.discard(id(previous))   # (previous + contribution, in the fresh array)
                    adjoint[inp] = np.add(contribution, previous, out=contribution)
                    mine.add(id(contribution))
                else:
                    mine.discard(id(previous))
                    total = adjoint[inp] = previous + contribution
                    if total.__class__ is ndarray:
                        mine.add(id(total))
        else:
            if op.vjp is None:
                raise NotImplementedError(f"{op.name} has no reverse-mode rule")
            args = tuple(map(_value_of, inputs))
            params = node.params or _NO_PARAMS
            rules = op.vjp
            for i, inp in enumerate(inputs):
                if inp in live:
                    contribution = rules[i](g, out, *args, **params)
                    if contribution is not None:
                        _add_into(adjoint, mine, inp, contribution)
    return adjoint


def _fits(value, array):
    """Whether ``array op value`` may be written into ``array``: ``value`` is an array or NumPy
    scalar of the same dtype, with no more elements than ``array`` (the result's shape)."""
    cls = value.__class__
    if cls is ndarray:
        return value.dtype == array.dtype and value.shape == array.shape
    return cls is array.dtype.type


_NO_PARAMS = {}
_value_of = operator.attrgetter("_value")


def _add_into(adjoint, mine, inp, contribution):
    """adjoint[inp] += contribution, in place when the array is this pass's own."""
    previous = adjoint.get(inp)
    if previous is None:
        adjoint[inp] = contribution
    elif id(previous) in mine and previous.dtype == contribution.dtype:
        previous += contribution
    else:
        mine.discard(id(previous))
        total = adjoint[inp] = previous + contribution
        if total.__class__ is ndarray:
            mine.add(id(total))
