"""What each step of a propagation asks, its answer, and the answers the common mistakes give.

For every step the student computes, :func:`exercises` writes an :class:`Exercise`: the question
(``b̄ = de/db = ?``), the value, the worked arithmetic (the step's own text) and a list of
:class:`Candidate` s — the value a common mistake gives, with the hint that names it:

* a chain-rule step (``b̄ = ∂c/∂b·c̄ + ∂d/∂b·d̄``): a consumer (reverse mode) or an input
  (forward mode) left out, one term only, the terms multiplied instead of added, a partial taken
  with respect to the wrong input, the 2 of ``square`` forgotten, a sign slip, the partials or
  the adjoints/tangents left out, values used where derivatives belong, the node's own value;
* a seed or an input (``ē = 1``, ``ȧ = 0``): the value instead of the derivative, 0 and 1 swapped;
* a value (``c = a + b``): the wrong operation, a subtraction the wrong way round, ``2x`` for
  ``square(x)``, a sign slip.

A candidate equal to the right value is dropped (it would call a right answer a mistake), and of
two equal candidates the first, more specific one is kept. The numbers come from the steps and
the edges of the graph, so a hint speaks of what the picture shows.

>>> import teachgrad as tg
>>> g = tg.trace("e = (a + b) * (b + 1)", a=2, b=1)
>>> b_bar = exercises(g, "reverse", g.reverse_mode())[-1]
>>> b_bar.question, b_bar.value, [c.value for c in b_bar.candidates][:3]
('b̄ = de/db = ?', 5.0, [3.0, 2.0, 6.0])
>>> b_bar.candidates[1].hint[-33:]
'through c; add the one through d.'
"""

import math
from collections import namedtuple

from ..teaching.notation import bar_name, dot_name, fmt
from .answers import ABSOLUTE, RELATIVE

__all__ = ["Exercise", "Candidate", "exercises"]

Candidate = namedtuple("Candidate", "value kind hint")
Candidate.__doc__ = """The answer a mistake gives (``value``), a short name for the mistake
(``kind``: ``"missing-term"``, ``"product"``, ``"sign"``, …) and the hint that explains it."""

_COUNT = {2: "two", 3: "three", 4: "four", 5: "five"}


class Exercise:
    """One step to compute: ``step`` (the :class:`~teachgrad.teaching.steps.Step`), ``question``,
    ``value`` (a float), ``worked`` (the arithmetic, as the players show it), ``candidates``
    (the common mistakes) and ``fallback`` (the hint for any other wrong answer)."""

    __slots__ = ("step", "question", "value", "worked", "candidates", "fallback")

    def __init__(self, step, question, value, worked, candidates, fallback):
        self.step, self.question, self.value, self.worked = step, question, value, worked
        self.candidates, self.fallback = candidates, fallback

    def as_dict(self):
        """The exercise as plain data (what the browser page embeds).

        >>> import teachgrad as tg
        >>> g = tg.trace("e = a * b", a=2, b=3)
        >>> sorted(exercises(g, "values", g.value_steps())[0].as_dict())
        ['candidates', 'fallback', 'index', 'node', 'question', 'value', 'worked']
        """
        return {"index": self.step.index, "node": self.step.node, "question": self.question,
                "value": self.value, "worked": self.worked, "fallback": self.fallback,
                "candidates": [list(c) for c in self.candidates]}

    def __repr__(self):
        return f"<Exercise {self.question} ({len(self.candidates)} mistakes known)>"


def _names(names):
    """``c``, ``c and d``, ``c, d and f``."""
    names = list(names)
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def _count(k):
    return _COUNT.get(k, str(k))


def _kept(candidates, value):
    """The candidates in order, without the right value and without repeats."""
    kept = []
    for c in candidates:
        c = Candidate(float(c.value), c.kind, c.hint)
        if not math.isfinite(c.value):
            continue
        same = (lambda x: abs(x - c.value) <= RELATIVE * abs(c.value) + ABSOLUTE)
        if same(value) or any(same(k.value) for k in kept):
            continue
        kept.append(c)
    return kept


def exercises(graph, mode, steps, asked=None, wrt=None, of=None):
    """An :class:`Exercise` for each step of ``asked`` (by default every step of ``steps``);
    ``steps`` are all the steps of ``mode`` on ``graph``, whose values the hints use. ``wrt`` /
    ``of`` name the seed (found in the steps when not given).

    >>> import teachgrad as tg
    >>> g = tg.trace("e = (a + b) * (b + 1)", a=2, b=1)
    >>> [x.question for x in exercises(g, "forward", g.forward_mode("b"))][:2]
    ['ȧ = da/db = ?', 'ḃ = db/db = ?']
    """
    seeds = [s.node for s in steps if s.kind == "seed"]
    seed = seeds[0] if seeds else None
    wrt = wrt if wrt is not None else (seed if mode == "forward" else None)
    of = of if of is not None else (seed if mode == "reverse" else graph.output)
    found = {s.node: float(s.value) for s in steps}
    return [_exercise(graph, mode, s, found, wrt, of) for s in (steps if asked is None
                                                                else asked)]


def _exercise(graph, mode, step, found, wrt, of):
    name, value = step.node, float(step.value)
    if mode == "values":
        question = f"{graph.formula(name)} = ?"
        candidates, fallback = _value_mistakes(graph, step)
    else:
        mark = dot_name if mode == "forward" else bar_name
        top, bottom = (name, wrt) if mode == "forward" else (of, name)
        question = f"{mark(name)} = d{top}/d{bottom} = ?"
        if step.kind == "compute":
            candidates, fallback = _chain_mistakes(graph, mode, step, found, question[:-4])
        else:
            candidates, fallback = _start_mistakes(graph, mode, step, wrt, of)
    return Exercise(step, question, value, step.text, _kept(candidates, value), fallback)


# ------------------------------------------------------------------------------------------------
# Seeds and inputs of forward and reverse mode
# ------------------------------------------------------------------------------------------------

def _start_mistakes(graph, mode, step, wrt, of):
    """The seed (1) and the nodes that start at 0: an input that is not the seed (forward mode),
    a node the seed does not depend on (reverse mode)."""
    name = step.node
    mark = dot_name if mode == "forward" else bar_name
    top, bottom = (name, wrt) if mode == "forward" else (of, name)
    asked = f"{mark(name)} = d{top}/d{bottom}"
    what = "tangent" if mode == "forward" else "adjoint"
    value_slip = Candidate(graph.value(name), "value",
                           f"That is the value of {name}, {fmt(graph.value(name))}; asked is its "
                           f"{what} {asked}.")
    if step.kind == "seed":
        return [value_slip,
                Candidate(0.0, "seed", f"The seed is not 0: {asked}, and {name} changes exactly "
                                       f"as {name} itself does.")], \
            f"{asked}: by how much does {name} change when {name} itself changes by 1?"
    if mode == "forward":
        return [value_slip,
                Candidate(1.0, "seed", f"Only the seed {wrt} starts with tangent 1: {name} is "
                                       f"another input, and it does not change when {wrt} "
                                       "changes.")], \
            f"{asked}: does the input {name} change when {wrt} changes?"
    return [value_slip,
            Candidate(1.0, "seed", f"Only the seed {of} starts with adjoint 1: is there a path "
                                   f"from {name} to {of}?")], \
        f"{asked}: follow the edges out of {name} — do any of them lead to {of}?"


# ------------------------------------------------------------------------------------------------
# Chain-rule steps
# ------------------------------------------------------------------------------------------------

class _Term:
    """One term of a chain-rule step: the edge's partial times the far node's derivative."""

    def __init__(self, graph, mode, edge, found):
        self.edge = graph.edge(*edge)
        self.other = self.edge.dst if mode == "reverse" else self.edge.src
        self.partial = float(self.edge.value)
        self.derivative = found[self.other]
        self.other_value = float(graph.value(self.other))
        self.value = self.partial * self.derivative


def _chain_mistakes(graph, mode, step, found, asked):
    name = step.node
    mark = bar_name if mode == "reverse" else dot_name
    terms = [_Term(graph, mode, e, found) for e in step.reads]
    total = sum(t.value for t in terms)
    rule = " + ".join(f"{t.edge.symbol}·{mark(t.other)}" for t in terms)
    words = _Words(mode, name, terms, rule, mark)
    candidates = list(_missing_terms(terms, total, words))
    candidates += _term_slips(graph, terms, total, words)
    candidates.append(Candidate(-total, "sign", "Right size, wrong sign: check the signs of the "
                                                f"partials and of the {words.derivatives}."))
    candidates += _left_out(terms, words)
    candidates.append(Candidate(graph.value(name), "value",
                                f"That is the value of {name}, {fmt(graph.value(name))}; asked "
                                f"is its {words.derivative} {asked}."))
    return candidates, _chain_fallback(name, terms, rule, words)


def _chain_fallback(name, terms, rule, words):
    """The hint for an answer no known mistake gives: which partials to read, and the rule."""
    edges = _names(f"{t.edge.src} → {t.edge.dst}" for t in terms)
    end = "it goes to" if words.reverse else "it comes from"
    if len(terms) == 1:
        t = terms[0]
        return (f"{words.mark(name)} = {rule}: read the partial on the edge {edges} and "
                f"multiply it by the {words.derivative} of {t.other}.")
    marks = ", ".join(words.mark(t.other) for t in terms)
    return (f"{words.mark(name)} = {rule}: read the partials on the edges {edges}, multiply "
            f"each by the {words.derivative} of the node {end} ({marks}), and add.")


class _Words:
    """How a chain-rule step is spoken of in its mode."""

    def __init__(self, mode, name, terms, rule, mark):
        self.reverse = mode == "reverse"
        self.derivative = "adjoint" if self.reverse else "tangent"
        self.derivatives = self.derivative + "s"
        self.a_derivative = "an adjoint" if self.reverse else "a tangent"
        self.mark = mark
        others = _names(t.other for t in terms)
        if self.reverse:
            self.spread = (f"{name} feeds {_count(len(terms))} nodes, {others}: its adjoint "
                           f"{mark(name)} sums one term per consumer, {rule}.")
        else:
            self.spread = (f"{name} uses {_count(len(terms))} inputs, {others}: its tangent "
                           f"{mark(name)} sums one term per input, {rule}.")


def _missing_terms(terms, total, words):
    """A consumer or an input left out; one term only; the terms multiplied."""
    if len(terms) < 2:
        return
    for t in terms:
        rest = _names(u.other for u in terms if u is not t)
        said = (f"Your answer has only the term through {rest}; add the one through {t.other}."
                if len(terms) == 2 else f"Your answer leaves out the term through {t.other}.")
        yield Candidate(total - t.value, "missing-term", f"{words.spread} {said}")
    if len(terms) > 2:
        for t in terms:
            yield Candidate(t.value, "one-term",
                            f"{words.spread} Your answer has only the term through {t.other}.")
    product = math.prod(t.value for t in terms)
    yield Candidate(product, "product", f"You multiplied the terms, but they are added: "
                                        f"{words.spread}")


def _term_slips(graph, terms, total, words):
    """One term wrong: the sign of a negative partial lost, the partial with respect to another
    input, square's 2 left out."""
    found = []
    for t in terms:
        dst = graph.node(t.edge.dst)
        if t.partial < 0:
            found.append(Candidate(total - 2 * t.value, "term-sign",
                                   f"The partial {t.edge.label} is negative: the term through "
                                   f"{t.other} keeps its minus sign."))
        for m in dst.inputs:
            if m == t.edge.src:
                continue
            other = graph.edge(m, t.edge.dst)
            found.append(Candidate(
                total - t.value + float(other.value) * t.derivative, "wrong-input-partial",
                f"{t.edge.symbol} is the partial of {dst.formula} with respect to {t.edge.src}: "
                f"{t.edge.label}. It looks like you took it with respect to {m} instead "
                f"({other.label})."))
        if dst.op is not None and dst.op.name == "square":
            found.append(Candidate(total - t.value / 2, "partial-slip",
                                   f"{t.edge.label}: it looks like you left out the 2 of the "
                                   f"derivative of square."))
    return found


def _left_out(terms, words):
    """The partials left out, the derivatives left out, values used for derivatives."""
    symbols = ", ".join(t.edge.symbol for t in terms)
    marks = ", ".join(words.mark(t.other) for t in terms)
    values = ", ".join(f"{t.other} = {fmt(t.other_value)}" for t in terms)
    mode = "reverse" if words.reverse else "forward"
    return [
        Candidate(sum(t.derivative for t in terms), "no-partial",
                  f"Each term multiplies the partial on its edge ({symbols}) by "
                  f"{words.a_derivative}: you seem to have left out the partials."),
        Candidate(sum(t.partial for t in terms), "no-derivative",
                  f"You used the partials alone: each must be multiplied by the "
                  f"{words.derivative} at the far end of its edge ({marks})."),
        Candidate(sum(t.partial * t.other_value for t in terms), "values-for-derivatives",
                  f"You multiplied by the values ({values}), not by the {words.derivatives} "
                  f"({marks}): {mode} mode carries derivatives, not values."),
    ]


# ------------------------------------------------------------------------------------------------
# Values
# ------------------------------------------------------------------------------------------------

def _arguments(graph, node):
    """Each argument's value and how it is written (a node name or a folded number)."""
    found = []
    for a in node.args:
        if a in graph:
            found.append((float(graph.value(a)), a))
        else:
            try:
                found.append((float(a), a))
            except ValueError:
                return None
    return found


def _value_mistakes(graph, step):
    node = graph.node(step.node)
    if node.is_input:
        return [], f"{node.name} is an input: its value is given on its node."
    formula = node.formula
    fallback = (f"{formula}: put in the value{'s' * (len(node.inputs) > 1)} of "
                f"{_names(node.inputs)} (on the node{'s' * (len(node.inputs) > 1)}) and "
                "compute.")
    args = _arguments(graph, node)
    op = node.op.name
    found = []
    if args is not None and len(args) == 2:
        (x, xs), (y, ys) = args
        table = {
            "add": [(x * y, "op", "multiplied"), (x - y, "op", "subtracted")],
            "sub": [(x + y, "op", "added"), (y - x, "order", None)],
            "mul": [(x + y, "op", "added"), (x - y, "op", "subtracted")],
            "div": [(x * y, "op", "multiplied"), (y / x if x else math.nan, "order", None)],
        }
        verb = {"add": "adds", "sub": "subtracts", "mul": "multiplies", "div": "divides"}
        for value, kind, did in table.get(op, []):
            hint = (f"{formula} {verb[op]}: you {did}." if did else
                    f"{formula}: it is {xs} {'minus' if op == 'sub' else 'divided by'} {ys}, "
                    "not the other way round.")
            found.append(Candidate(value, kind, hint))
    if args is not None and len(args) == 1 and op == "square":
        (x, xs), = args
        found += [Candidate(2 * x, "derivative", f"square({xs}) = {xs}·{xs}; 2·{xs} is its "
                                                 "derivative, not its value."),
                  Candidate(x, "op", f"square({xs}) multiplies {xs} by itself.")]
    found.append(Candidate(-float(step.value), "sign", "Right size, wrong sign: check the "
                                                      "signs of the numbers you put in."))
    return found, fallback
