"""Random small graphs to practise on, with numbers one can work out by hand.

:func:`random_graph` writes a short program of assignments (``c = a * b``, ``d = b + 1``,
``e = square(c) - d``, …) over integer inputs and traces it, so the graph is an ordinary traced
:class:`~teachgrad.teaching.graph.Graph`. Every node feeds the output, at least one input feeds two
nodes (so some derivative sums two paths), and every value, partial, tangent and adjoint is an
integer of modest size; a draw that breaks a rule is drawn again from the same random stream,
so the graph is fixed by its seed.
"""

import numbers
import re
import string

import numpy as np

from ..teaching.graph import trace

__all__ = ["random_graph", "OPS", "MAX_NODES"]

# The operations a random graph may use, each as it is written in the program.
OPS = {"+": "{0} + {1}", "-": "{0} - {1}", "*": "{0} * {1}", "square": "square({0})"}
MAX_NODES = 12
MAX_VALUE = 60         # |value| of every node
MAX_DERIVATIVE = 200   # |tangent| and |adjoint| of every node
_INPUT_VALUES = (1, 2, 3, 4, 5, -1, -2, -3)
_DRAWS = 5000


def _check(n_nodes, ops):
    if isinstance(n_nodes, bool) or not isinstance(n_nodes, numbers.Integral) \
            or not 3 <= n_nodes <= MAX_NODES:
        raise ValueError(f"n_nodes={n_nodes!r}: expected an int from 3 to {MAX_NODES} (inputs "
                         "included), small enough to work by hand")
    if isinstance(ops, str):
        ops = (ops,)
    ops = tuple(ops)
    unknown = [op for op in ops if op not in OPS]
    if unknown or not ops:
        raise ValueError(f"ops={ops!r}: expected some of {', '.join(map(repr, OPS))}")
    if not any(op != "square" for op in ops):
        raise ValueError("ops: a graph needs a two-input operation ('+', '-' or '*') so that "
                         "an input can feed two nodes")
    return int(n_nodes), ops


def _inputs(n_nodes):
    """1 input for 3–4 nodes, 2 for 5–6, 3 for more: enough nodes left to share an input."""
    return min(3, max(1, (n_nodes - 1) // 2))


def _program(rng, n_nodes, ops):
    """One draw: the program text and the input values.

    Each operation either joins two nodes no one uses yet (so the graph ends in one output)
    or keeps their number: an unused node with a node already used (this is how an input comes
    to feed two nodes), with a small number, or squared.
    """
    n_in = _inputs(n_nodes)
    names = list(string.ascii_lowercase[:n_nodes])
    inputs = {n: int(rng.choice(_INPUT_VALUES)) for n in names[:n_in]}
    n_ops = n_nodes - n_in
    plan = ["join"] * (n_in - 1) + ["keep"] * (n_ops - n_in + 1)
    rng.shuffle(plan)
    binary = [op for op in ops if op != "square"]
    unused, used, lines = list(names[:n_in]), [], []
    for name, kind in zip(names[n_in:], plan):
        if kind == "join":
            i, j = rng.choice(len(unused), size=2, replace=False)
            x, y = unused[i], unused[j]
            unused = [u for u in unused if u not in (x, y)]
            args, op = (x, y), binary[rng.integers(len(binary))]
            used += [x, y]
        else:
            x = unused.pop(rng.integers(len(unused)))
            op, args = _keep(rng, x, used, ops, binary, inputs)
            used += [a for a in args if a in names]
        lines.append(f"{name} = {OPS[op].format(*args)}")
        unused.append(name)
    return _inputs_in_order("\n".join(lines), inputs)


def _inputs_in_order(source, inputs):
    """Rename the inputs a, b, c in the order the program first uses them (a graph lists its
    inputs in that order, so they then read a, b, c in the table too)."""
    seen = [w for w in re.findall(r"\b[a-z]\b", source) if w in inputs]
    order = list(dict.fromkeys(seen))
    rename = dict(zip(order, sorted(inputs)))
    source = re.sub(r"\b[a-z]\b", lambda m: rename.get(m.group(0), m.group(0)), source)
    return source, {rename[n]: v for n, v in inputs.items()}


def _keep(rng, x, used, ops, binary, inputs):
    """An operation on the unused node ``x`` that leaves as many nodes unused as before."""
    choices = ["number"] + (["square"] if "square" in ops else [])
    if used:
        choices += ["shared", "shared"]     # most often: reuse a node, preferably an input
    kind = choices[rng.integers(len(choices))]
    if kind == "square":
        return "square", (x,)
    op = binary[rng.integers(len(binary))]
    if kind == "number":
        return op, (x, str(int(rng.integers(1, 4))))
    shared_inputs = [u for u in used if u in inputs]
    pool = shared_inputs if shared_inputs and rng.random() < 0.7 else used
    y = pool[rng.integers(len(pool))]
    return op, ((x, y) if rng.random() < 0.5 else (y, x))


def _fits(graph, n_nodes):
    """Every rule of a practice graph holds: the right size, an input shared, integers of
    modest size everywhere, and no zero value (a zero would make a partial vanish)."""
    if len(graph) != n_nodes:
        return False
    if not any(len(graph.consumers(x)) >= 2 for x in graph.inputs):
        return False
    numbers_ = [graph.value(n) for n in graph.nodes]
    if any(v == 0 or abs(v) > MAX_VALUE for v in numbers_):
        return False
    derivatives = [s.value for s in graph.reverse_mode()]
    for x in graph.inputs:
        derivatives += [s.value for s in graph.forward_mode(x)]
    derivatives += [e.value for e in graph.edges]
    return all(float(v).is_integer() and abs(v) <= MAX_DERIVATIVE for v in derivatives)


def random_graph(n_nodes=5, ops=("+", "*", "-", "square"), seed=None):
    """A random graph of ``n_nodes`` nodes (inputs included, 3 to 12) over the operations
    ``ops`` (some of ``"+"``, ``"-"``, ``"*"``, ``"square"``), with integer inputs and integer
    values, partials and derivatives everywhere, and at least one input that feeds two nodes.
    The same ``seed`` gives the same graph; ``seed=None`` a fresh one.

    >>> g = random_graph(seed=1)
    >>> g == random_graph(seed=1), g.source == random_graph(seed=1).source
    (False, True)
    >>> len(g), any(len(g.consumers(x)) >= 2 for x in g.inputs)
    (5, True)
    >>> all(float(g.value(n)).is_integer() for n in g.nodes)
    True
    """
    n_nodes, ops = _check(n_nodes, ops)
    rng = np.random.default_rng(seed)
    for _ in range(_DRAWS):
        source, inputs = _program(rng, n_nodes, ops)
        graph = trace(source, **inputs)
        if _fits(graph, n_nodes):
            return graph
    raise RuntimeError(f"no graph of {n_nodes} nodes over {', '.join(ops)} with small integer "
                       f"values found in {_DRAWS} draws: try fewer nodes or other ops")
