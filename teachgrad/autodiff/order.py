"""The order both passes visit the recorded graph in, found without recursion.

A tensor is always made after its inputs, so the order in which tensors were made (their serial
numbers) is a topological order: collect what the outputs reach with an explicit stack, then sort.
"""

import operator

__all__ = ["toposort", "depends_on", "check_not_stale"]


def toposort(outputs):
    """Every tensor ``outputs`` depend on, each after all of its inputs (no recursion).

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


def depends_on(order, sources, held=()):
    """The tensors of ``order`` (topologically sorted) that some tensor in ``sources`` reaches,
    not through a tensor in ``held``.

    >>> import teachgrad as tg
    >>> a = tg.constant(2.0, name="a"); b = tg.constant(1.0, name="b")
    >>> c = a + b; d = b + 1; e = c * d
    >>> live = depends_on(toposort([e]), [a])
    >>> [t in live for t in (a, b, c, d, e)]
    [True, False, True, False, True]
    """
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
