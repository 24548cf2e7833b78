"""Practice mode: the student computes each step of a propagation, and the graph checks it.

The parts that need no Jupyter live here; ``widgets.PracticePlayer`` shows them, and
:func:`teachgrad.practice.page.practice_html` writes a page that runs them in the browser.

- :mod:`.answers` — reading a typed answer (the whitelist of ``trace``, never ``eval``) and the
  tolerance: 1e-6 relative, or the value rounded to at least 3 significant digits;
- :mod:`.mistakes` — per step: the question, the worked arithmetic, and the values the common
  mistakes give, each with the hint that names it;
- :mod:`.session` — :class:`Practice`: the step asked, the answers, the score, the log;
- :mod:`.graphs` — :func:`random_graph`: endless small exercises with integer numbers.

>>> import teachgrad as tg
>>> g = tg.trace("e = (a + b) * (b + 1)", a=2, b=1)
>>> run = Practice(g, "reverse")
>>> for answer in ["1", "2", "3", "2"]:
...     feedback = run.answer(answer)
>>> run.current.text                      # b̄: b feeds c and d
'b̄ = ∂c/∂b·c̄ + ∂d/∂b·d̄ = 1·2 + 1·3 = 5'
>>> print(run.answer("2").hint)
b feeds two nodes, c and d: its adjoint b̄ sums one term per consumer, ∂c/∂b·c̄ + ∂d/∂b·d̄. Your answer has only the term through c; add the one through d.
"""

from .answers import MIN_DIGITS, Answer, matches, read_answer
from .graphs import OPS, random_graph
from .mistakes import Candidate, Exercise, exercises
from .session import TRIES, Attempt, Feedback, Practice, check_practice_graph

__all__ = ["random_graph", "Practice", "Feedback", "Attempt", "Exercise", "Candidate",
           "exercises", "read_answer", "matches", "Answer", "check_practice_graph", "OPS",
           "TRIES", "MIN_DIGITS"]
