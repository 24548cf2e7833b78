"""How the nodes of a traced graph are named: the names given in the text, the names given with
``name=`` (made unique), and free letters for the rest.

>>> import teachgrad as tg
>>> tg.trace(lambda x: tg.sin(x, name="s") * tg.cos(x, name="s"), x=1.0).nodes
['x', 's', 's_2', 'a']
"""

import string

from ..autodiff.transforms import toposort

__all__ = ["given_name", "name_nodes"]


def given_name(t):
    """The name given to tensor ``t`` with ``name=``, or None.

    Read through this one function: the core may keep the given name apart from ``t.name``
    (TensorFlow's ``"s:0"``) as ``t.given_name``; until then ``t.name`` falls back to the op's
    name when none was given, so the given name is the tensor's own ``_name``.

    >>> import teachgrad as tg
    >>> given_name(tg.sin(tg.constant(1.0), name="s")), given_name(tg.constant(1.0))
    ('s', None)
    """
    name = getattr(t, "given_name", None)
    if name is None:
        name = getattr(t, "_name", None)
    return None if name is None or name == "" else str(name)


def name_nodes(outputs, input_tensors, given_names):
    """``(op_tensors, name_of)``: the operations that depend on an input, in topological
    order, and every node's name: the name given in the text (``given_names``, name → tensor),
    else the name given with ``name=`` (``s``, then ``s_2`` if ``s`` is taken: two nodes never
    share a name), else the next free letter.

    >>> import teachgrad as tg
    >>> x = tg.constant(1.0, name="x")
    >>> y = tg.sin(x, name="x") + 1
    >>> ops, name_of = name_nodes([y], [x], {})
    >>> [name_of[t] for t in [x] + ops]
    ['x', 'x_2', 'a']
    """
    depends = set(input_tensors)
    order = toposort(outputs)
    for t in order:
        if t not in depends and any(i in depends for i in t.inputs):
            depends.add(t)
    op_tensors = [t for t in order if t.prim is not None and t in depends]
    name_of = {t: given_name(t) or t.name for t in input_tensors}
    for name, t in given_names.items():
        name_of[t] = name
    wanted = {t: given_name(t) for t in op_tensors if t not in name_of}
    taken = set(name_of.values()) | {w for w in wanted.values() if w}
    fresh = _letters(taken)
    used = set(name_of.values())
    for t in op_tensors:
        if t in name_of:
            continue
        name = wanted[t]
        if name is None:
            name = next(fresh)
        elif name in used:
            k = 2
            while f"{name}_{k}" in taken:
                k += 1
            name = f"{name}_{k}"
            taken.add(name)
        name_of[t] = name
        used.add(name)
    return op_tensors, name_of


def _letters(taken):
    """Free single letters, then t1, t2, … once the alphabet is used up."""
    for ch in string.ascii_lowercase:
        if ch not in taken:
            yield ch
    i = 1
    while True:
        if f"t{i}" not in taken:
            yield f"t{i}"
        i += 1
