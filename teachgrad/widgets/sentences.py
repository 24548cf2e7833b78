"""The teaching sentences under the pictures: what a propagation is about before it starts, what it
found when it ends, and where a sum over paths stands. Plain text; the widgets escape it.

>>> import teachgrad as tg
>>> g = tg.trace("e = (a + b) * (b + 1)", a=2, b=1)
>>> graph_label(g)
"'e = (a + b) * (b + 1)' at a=2, b=1"
>>> conclusion(g, "reverse", g.reverse_mode("e"), wrt="b", of="e")
'Done: de/db = b̄ = 5.'
"""

from ..teaching.notation import bar_name, dot_name, fmt, shorten, value_text

__all__ = ["graph_label", "step_text", "intro", "conclusion", "running_sum_text", "verdict"]


def graph_label(graph):
    """The source of a graph on one line and the values of its inputs.

    >>> import teachgrad as tg
    >>> graph_label(tg.trace("c = a + b\\ne = c * c", a=1, b=0.5))
    "'c = a + b ; e = c * c' at a=1, b=0.5"
    """
    if graph.program is not None:
        at = ", ".join(f"{n}={fmt(graph.node(n).value)}" for n in graph.inputs)
        return f"the program fetching {', '.join(graph.outputs)}" + (f" at {at}" if at else "")
    src = graph.source if isinstance(graph.source, str) else \
        getattr(graph.source, "__name__", "function")
    src = shorten(" ; ".join(line.strip() for line in str(src).strip().splitlines()), 200)
    at = shorten(", ".join(f"{n}={fmt(graph.value(n))}" for n in graph.inputs), 200)
    return f"{src!r} at {at}"


def step_text(steps, k):
    """Step ``k`` of ``steps`` (0: none done yet) in words.

    >>> import teachgrad as tg
    >>> steps = tg.trace("e = a * b", a=2, b=3).reverse_mode("e")
    >>> step_text(steps, 0), step_text(steps, 2)
    ('step 0 of 3: nothing computed yet', 'step 2 of 3: ā = ∂e/∂a·ē = 3·1 = 3')
    """
    if k == 0:
        return f"step 0 of {len(steps)}: nothing computed yet"
    return f"step {k} of {len(steps)}: {steps[k - 1].text}"


def intro(mode, wrt=None, of=None):
    """What a propagation does, said before its first step.

    >>> intro("values")
    'Values flow forward: each node is computed once its inputs are known.'
    """
    if mode == "values":
        return "Values flow forward: each node is computed once its inputs are known."
    if mode == "forward":
        return (f"Forward mode seeded at {wrt}: each node's tangent "
                f"{dot_name('v')} = dv/d{wrt} comes from its inputs' tangents — one pass "
                "per input.")
    return (f"Reverse mode seeded at {of}: each node's adjoint {bar_name('v')} = "
            f"d{of}/dv comes from its consumers' adjoints — one pass per output.")


def _found(steps, name):
    """The tangent or adjoint the steps found for node ``name`` (None if no step computes it)."""
    for s in steps:
        if s.node == name:
            return s.value
    return None


def conclusion(graph, mode, steps, wrt=None, of=None):
    """What a propagation found, said after its last step: the output, the derivatives of every
    output (forward mode), or the derivatives with respect to ``wrt`` or every input (reverse).

    >>> import teachgrad as tg
    >>> g = tg.trace("e = a * b", a=2, b=3)
    >>> conclusion(g, "values", g.value_steps())
    'Done: e = 6.'
    """
    if mode == "values":
        return f"Done: {graph.output} = {value_text(graph.value(graph.output))}."
    if mode == "forward":
        parts = [f"d{_part(o)}/d{_part(wrt)} = {dot_name(o)} = {value_text(_found(steps, o))}"
                 for o in graph.outputs]
        return "Done: " + ", ".join(parts) + "."
    targets = [wrt] if wrt is not None else _targets(graph)
    parts = [f"d{_part(of)}/d{_part(x)} = {bar_name(x)} = {value_text(_found(steps, x))}"
             for x in targets]
    return "Done: " + ", ".join(parts) + "."


def _targets(graph):
    """The inputs whose derivatives reverse mode is for: a program's variables (what training
    changes) when it has some, else every input."""
    if graph.program is not None:
        variables = [n for n in graph.inputs if graph.program.kinds[n] == "variable"]
        if variables:
            return variables
    return graph.inputs


def _part(name):
    """A name in a derivative: ``(model/W)`` when it has a scope, so ``dMean/d(model/W)`` reads."""
    return f"({name})" if "/" in name else name


def running_sum_text(products, total):
    """``2 + 3 = 5``: the products of the paths so far and their sum (one product: itself).

    >>> running_sum_text(["2", "3"], "5"), running_sum_text(["2"], "2")
    ('2 + 3 = 5', '2')
    """
    return " + ".join(products) + (f" = {total}" if len(products) > 1 else "")


def verdict(n_paths, i, derivative_name, derivative):
    """How far the sum over paths is after path ``i`` (from 0) of ``n_paths``. The derivative
    is named only once every path is added: said earlier, it would give the sum away.

    >>> verdict(2, 0, "de/db", 5.0), verdict(2, 1, "de/db", 5.0)
    ('1 more path to add', 'all 2 paths summed: de/db = 5 ✓')
    """
    if i == n_paths - 1:
        return (f"all {n_paths} path{'s' * (n_paths > 1)} summed: {derivative_name} = "
                f"{value_text(derivative)} ✓")
    left = n_paths - i - 1
    return f"{left} more path{'s' * (left > 1)} to add"
