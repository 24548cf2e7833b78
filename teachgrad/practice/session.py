"""One practice run on one graph: the step asked now, the answers given, the score, the log.

:class:`Practice` is the part of the practice widget that needs no Jupyter: it asks the steps of
a mode one at a time, judges each answer (:mod:`.answers`), diagnoses a wrong one
(:mod:`.mistakes`) and keeps a log a teacher can read. ``widgets.PracticePlayer`` shows it;
the browser page of :mod:`teachgrad.practice.page` runs the same rules in JavaScript.

In values mode the inputs are given (their steps are done from the start); every other step of
the mode is asked, in the mode's order. A right answer moves on to the next step. Text that is
not an answer (a name, ``__import__('os')``, a very long text) is refused with a message and is
not counted as a try. After :data:`TRIES` wrong tries the worked step is offered;
:meth:`Practice.reveal` shows it at any time, and the step then counts as not right.

>>> import teachgrad as tg
>>> run = Practice(tg.trace("e = (a + b) * (b + 1)", a=2, b=1), "reverse")
>>> run.current
<Step 0 (reverse) ē = 1 (seed: de/de)>
>>> run.answer("1").correct, run.answer(2).correct, run.answer("3").correct
(True, True, True)
>>> print(run.answer("3").hint)
You multiplied by the values (c = 3), not by the adjoints (c̄): reverse mode carries derivatives, not values.
>>> run.answer(2).hint
'Right: ā = ∂c/∂a·c̄ = 1·2 = 2'
>>> run.answer("1*2 + 1*3").correct, run.done, run.score
(True, True, (4, 5))
"""

import datetime
from collections import namedtuple

import numpy as np

from ..errors import ExpressionError, UnknownNodeError
from ..teaching.graph import Graph
from ..teaching.notation import MODES
from .answers import check_answer_type, matches, read_answer, rounds_to
from .mistakes import exercises

__all__ = ["Practice", "Feedback", "Attempt", "TRIES", "TEXTS", "check_practice_graph"]

TRIES = 3   # wrong tries before the worked step is offered

# The sentences around the hints, here once for Python and for the browser page ({} is filled).
TEXTS = {
    "right": "Right: {}",
    "revealed": "Worked step: {}",
    "invalid": ("That is not an answer: {}. Type a number, like 5, or a calculation, like "
                "1*2 + 1*3."),
    "unknown": "Not quite. {}",
    "round": "Close — give at least 3 significant digits (or the exact calculation).",
    "offer": " You can ask for the worked step now.",
    "done": "Every step is done.",
}

Attempt = namedtuple("Attempt", "step node question typed correct kind hint time")
Attempt.__doc__ = """One line of the attempts log: the step (its number in the mode, from 1, as
the captions count), the node, the question, what was typed (``None`` when the step was
revealed), whether it was right, the kind of answer (``"right"``, ``"invalid"``, ``"revealed"``,
a mistake such as ``"missing-term"``, or ``"unknown"``), the hint shown, and when (a
timezone-aware ``datetime``)."""


class Feedback:
    """What an answer got: ``correct``; ``hint`` (the worked step when right, the diagnosis when
    wrong, the reason when the text is not an answer); ``kind`` (as in :class:`Attempt`);
    ``worked`` (the worked arithmetic, once the step is right or revealed, else ``None``);
    ``tries`` (wrong tries at this step so far) and ``offer`` (True once the worked step is
    offered)."""

    __slots__ = ("correct", "hint", "kind", "typed", "value", "worked", "tries", "offer")

    def __init__(self, correct, hint, kind, typed=None, value=None, worked=None, tries=0,
                 offer=False):
        self.correct, self.hint, self.kind, self.typed = correct, hint, kind, typed
        self.value, self.worked, self.tries, self.offer = value, worked, tries, offer

    def __repr__(self):
        mark = "✓" if self.correct else "✗"
        return f"<Feedback {mark} {self.kind}: {self.hint}>"


def check_practice_graph(graph):
    """A traced graph whose every value is a number: one can type it by hand.

    >>> import teachgrad as tg
    >>> check_practice_graph(tg.trace("y = sin(x)", x=np.zeros(3)))
    Traceback (most recent call last):
    ...
    ValueError: practice needs a graph of numbers, but x is an array of shape (3,): trace one with scalar inputs
    """
    if not isinstance(graph, Graph):
        raise TypeError(f"expected a traced graph (teachgrad.trace(...)), got "
                        f"{type(graph).__name__}: try tg.trace('e = (a + b) * (b + 1)', a=2, b=1)")
    for name in graph.nodes:
        if np.ndim(graph.value(name)):
            raise ValueError(f"practice needs a graph of numbers, but {name} is an array of "
                             f"shape {np.shape(graph.value(name))}: trace one with scalar inputs")
    return graph


def _seeds(graph, mode, wrt, of):
    if mode not in MODES:
        raise ValueError(f"mode {mode!r} not understood: expected 'values', 'forward' or "
                         "'reverse'")
    for name, what in ((wrt, "wrt"), (of, "of")):
        if name is not None and name not in graph:
            raise UnknownNodeError(f"{what} {name!r} is not a node of this graph: its nodes are "
                                   f"{', '.join(graph.nodes)}")
    wrt = (wrt if wrt is not None else graph.inputs[0]) if mode == "forward" else None
    of = (of if of is not None else graph.output) if mode == "reverse" else None
    return wrt, of


class Practice:
    """The steps of ``mode`` on ``graph`` to compute one by one (see the module's docstring).

    ``current`` is the step asked (``None`` when done), ``answer(text_or_number)`` judges an
    answer, ``reveal()`` shows the worked step, ``score`` is (steps right at the first try,
    steps asked so far), ``attempts`` the log.
    """

    def __init__(self, graph, mode="values", wrt=None, of=None):
        self.graph = check_practice_graph(graph)
        self.mode = mode
        self.wrt, self.of = _seeds(graph, mode, wrt, of)
        self.all_steps = graph.steps(mode, wrt=self.wrt, of=self.of)
        self.given = [s for s in self.all_steps if mode == "values" and s.kind == "input"]
        self.steps = [s for s in self.all_steps if s not in self.given]
        self.exercises = exercises(graph, mode, self.all_steps, self.steps, self.wrt, self.of)
        for ex in self.exercises:
            if not np.isfinite(ex.value):
                raise ValueError(f"{ex.question[:-4]} is {ex.value}: practice needs finite "
                                 "numbers at every step; trace the graph at other inputs")
        self.position = 0          # index in .steps of the step asked
        self.attempts = []
        self.wrong = [0] * len(self.steps)        # wrong tries per step
        self.outcome = [None] * len(self.steps)   # "first", "later" or "revealed"

    @property
    def done(self):
        return self.position >= len(self.steps)

    @property
    def current(self):
        """The :class:`~teachgrad.teaching.steps.Step` asked now (``None`` when every step is done)."""
        return None if self.done else self.steps[self.position]

    @property
    def exercise(self):
        """The :class:`~teachgrad.practice.mistakes.Exercise` of the step asked (or ``None``)."""
        return None if self.done else self.exercises[self.position]

    @property
    def score(self):
        """(steps right at the first try, steps asked so far): a step counts as asked once it
        had a wrong try, was answered or was revealed."""
        right = sum(o == "first" for o in self.outcome)
        asked = sum(o is not None or w > 0 for o, w in zip(self.outcome, self.wrong))
        return right, asked

    def answer(self, answer):
        """Judge ``answer`` (the text typed, or a number) for the step asked; return its
        :class:`Feedback`. A right answer moves on to the next step."""
        check_answer_type(answer)
        if self.done:
            return Feedback(False, TEXTS["done"], "done")
        ex = self.exercise
        try:
            read = read_answer(answer)
        except ExpressionError as e:
            hint = TEXTS["invalid"].format(e)
            return self._log(Feedback(False, hint, "invalid", typed=_typed(answer)))
        if matches(read, ex.value):
            self.outcome[self.position] = "later" if self.wrong[self.position] else "first"
            feedback = Feedback(True, TEXTS["right"].format(ex.worked), "right", read.text,
                                read.value, ex.worked, self.wrong[self.position])
            self._log(feedback)
            self.position += 1
            return feedback
        kind, hint = _diagnose(ex, read)
        self.wrong[self.position] += 1
        tries = self.wrong[self.position]
        if tries >= TRIES:
            hint += TEXTS["offer"]
        return self._log(Feedback(False, hint, kind, read.text, read.value, None, tries,
                                  offer=tries >= TRIES))

    def reveal(self):
        """Show the worked step and move on; the step counts as not right."""
        if self.done:
            return Feedback(False, TEXTS["done"], "done")
        ex = self.exercise
        self.outcome[self.position] = "revealed"
        feedback = Feedback(False, TEXTS["revealed"].format(ex.worked), "revealed", None, None,
                            ex.worked, self.wrong[self.position], offer=True)
        self._log(feedback)
        self.position += 1
        return feedback

    def _log(self, feedback):
        step = self.steps[self.position]
        self.attempts.append(Attempt(step.index + 1, step.node, self.exercise.question,
                                     feedback.typed, feedback.correct, feedback.kind,
                                     feedback.hint, datetime.datetime.now().astimezone()))
        return feedback

    def summary(self):
        """The score and the attempts log as text, one attempt a line (for a teacher to read).

        >>> import teachgrad as tg
        >>> run = Practice(tg.trace("e = a * b", a=2, b=3), "reverse")
        >>> run.answer("1").correct, run.answer("2").correct
        (True, False)
        >>> print(run.summary())      # doctest: +ELLIPSIS
        1 of 2 steps right at the first try; 1 of 3 done
        ...  step 1  ē  typed '1'  right
        ...  step 2  ā  typed '2'  wrong-input-partial
        """
        right, asked = self.score
        lines = [f"{right} of {asked} steps right at the first try; "
                 f"{sum(o is not None for o in self.outcome)} of {len(self.steps)} done"]
        for a in self.attempts:
            typed = "(revealed)" if a.typed is None else f"typed {a.typed!r}"
            lines.append(f"{a.time:%H:%M:%S}  step {a.step}  {a.question.split(' = ')[0]}  "
                         f"{typed}  {a.kind}")
        return "\n".join(lines)


def _typed(answer):
    text = str(answer)
    return text if len(text) <= 60 else text[:57] + "…"


def _diagnose(exercise, answer):
    """(kind, hint) for a wrong answer: the first common mistake it matches, else "close" when
    it is the value rounded to too few digits, else the step's general hint."""
    for candidate in exercise.candidates:
        if matches(answer, candidate.value):
            return candidate.kind, candidate.hint
    if rounds_to(answer, exercise.value):
        return "round", TEXTS["round"]
    return "unknown", TEXTS["unknown"].format(exercise.fallback)
