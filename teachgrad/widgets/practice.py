"""PracticePlayer: the student computes each step of a propagation; the graph checks it and says
what went wrong."""

import ipywidgets as widgets
import numpy as np

from .. import render
from ..teaching.notation import bar_name, dot_name, escape, value_text
from ..practice import TRIES, Practice, random_graph
from ..practice.graphs import MAX_NODES
from ..practice.page import practice_html
from . import sentences
from .checks import check_graph, check_mode
from .controls import button, picture_and_table
from .html import (BOX, CURRENT, CURRENT_FILL, ERROR, MODE_COLOUR, MUTED, Row, error_html, note_html, pending, picture_html, progress, table_html)

__all__ = ["PracticePlayer"]

RIGHT = "#2b8a3e"
_FEEDBACK_COLOUR = {"right": RIGHT, "invalid": "#e67700", "revealed": "#7048e8", "done": MUTED}


def _feedback_html(feedback):
    """The hint under the answer box: green when right, red when wrong, orange for text that is
    no answer; ``tg-right`` / ``tg-wrong`` / ``tg-invalid`` / ``tg-revealed`` say which."""
    if feedback is None:
        return ""
    kind = feedback.kind if feedback.kind in _FEEDBACK_COLOUR else "wrong"
    colour = _FEEDBACK_COLOUR.get(kind, ERROR)
    mark = {"right": "✓ ", "wrong": "✗ "}.get(kind, "")
    return (f'<div class="tg-practice-feedback tg-{kind}" data-kind="{escape(feedback.kind)}" '
            f'style="{BOX}border-left:4px solid {colour};padding:4px 10px;margin:2px 0;'
            f'max-width:60em"><b style="color:{colour}">{mark}</b>{escape(feedback.hint)}</div>')


class PracticePlayer(widgets.VBox):
    """Practise a propagation: the picture of :class:`PropagationPlayer` with the current step's
    result hidden (``?``); type its value — a number or a calculation such as ``1*2 + 1*3`` — and
    press Check or Enter. A right answer shows the worked step and moves on; a wrong one gets a
    hint that names the likely mistake (a consumer or a path left out, the terms multiplied, a
    partial with respect to the wrong input, a sign, a value where a derivative was asked …).
    After three wrong tries "Show the step" offers the worked step. "New graph" draws a random
    graph of the same size (:func:`teachgrad.practice.random_graph`), for endless exercises.

    The same from Python: ``.current`` (the :class:`~teachgrad.teaching.steps.Step` asked),
    ``.answer(value_or_text)`` (what Check does; returns the
    :class:`~teachgrad.practice.Feedback`), ``.reveal()``, ``.done``, ``.score`` (right at the
    first try, asked), ``.attempts`` (the log: step, node, typed, right or not, when) and
    ``.summary()``. ``to_html()`` / ``static()`` give a page that checks answers in the browser
    with no kernel. In values mode the inputs are given. The rules: :mod:`teachgrad.practice`.

    >>> import teachgrad as tg
    >>> player = PracticePlayer(tg.trace("e = (a + b) * (b + 1)", a=2, b=1), mode="reverse")
    >>> player.current.node, player.answer(1).correct, player.current.node
    ('e', True, 'c')
    >>> for value in (2, 3, 2):
    ...     _ = player.answer(value)
    >>> print(player.answer("2").hint)
    b feeds two nodes, c and d: its adjoint b̄ sums one term per consumer, ∂c/∂b·c̄ + ∂d/∂b·d̄. Your answer has only the term through c; add the one through d.
    >>> player.answer("1*2 + 1*3").correct, player.done, player.score
    (True, True, (4, 5))
    """

    def __init__(self, graph, mode="values", wrt=None, of=None, seed=None):
        check_graph(graph)
        super().__init__(layout=widgets.Layout(width="100%"))
        self.add_class("tg-practice")
        self._rng = np.random.default_rng(seed)     # the seeds of the graphs "New graph" draws
        self.seed = None                            # the seed of the graph shown, if random
        self.feedback = None                        # the last Feedback shown
        self._checked = None                        # (step position, text) checked last
        self._build()
        self._start(graph, check_mode(mode), wrt, of)

    @classmethod
    def random(cls, n_nodes=5, mode="reverse", seed=None):
        """A player on a random graph (:func:`teachgrad.practice.random_graph`).

        >>> PracticePlayer.random(seed=3).seed is not None
        True
        """
        if seed is None:
            seed = int(np.random.default_rng().integers(2 ** 31))
        player = cls(random_graph(n_nodes, seed=seed), mode=mode, seed=seed)
        player.seed = seed
        player._show()
        return player

    def _build(self):
        self.title = widgets.HTML()
        self.score_label = widgets.HTML()
        self.picture, self.table, body = picture_and_table()
        self.question = widgets.HTML()
        self.input = widgets.Text(placeholder="a number, or a calculation like 1*2 + 1*3",
                                  continuous_update=False, layout=widgets.Layout(width="20em"))
        self.check_button = button("Check", "check the answer (Enter)")
        self.check_button.button_style = "primary"
        self.reveal_button = button("Show the step", "show the worked step (counts as not right)")
        self.new_button = button("New graph", "a new random graph to practise on")
        self.hint = widgets.HTML()
        for part, cls in ((self.title, "title"), (self.score_label, "score"),
                          (self.question, "question"), (self.input, "input"),
                          (self.check_button, "check"), (self.reveal_button, "reveal"),
                          (self.new_button, "new"), (self.hint, "hint"), (self.table, "table")):
            part.add_class(f"tg-practice-{cls}")
        self.input.observe(self._on_enter, names="value")
        self.check_button.on_click(lambda _: self._check(self.input.value))
        self.reveal_button.on_click(lambda _: self.reveal())
        self.new_button.on_click(lambda _: self.new_graph())
        answer_row = widgets.HBox([self.question, self.input, self.check_button,
                                   self.reveal_button, self.new_button],
                                  layout=widgets.Layout(flex_flow="row wrap",
                                                        align_items="center"))
        self.children = [widgets.HBox([self.title, self.score_label],
                                      layout=widgets.Layout(flex_flow="row wrap",
                                                            align_items="baseline")),
                         body, answer_row, self.hint]

    def _start(self, graph, mode, wrt, of):
        self._practice = Practice(graph, mode, wrt, of)
        try:
            self._hidden = render.frames(graph, mode, wrt=self._practice.wrt,
                                         of=self._practice.of, hidden=True)
            self._final = render.frames(graph, mode, wrt=self._practice.wrt,
                                        of=self._practice.of)[-1]
            self._message = None
        except render.GraphvizError as e:       # no dot, or a graph it cannot draw
            self._hidden, self._final, self._message = None, None, str(e)
        self.feedback = None
        self._checked = None
        self._show()

    # --- public state ---
    @property
    def graph(self):
        """The graph practised on. Setting it starts again on the new graph."""
        return self._practice.graph

    @graph.setter
    def graph(self, graph):
        check_graph(graph)
        wrt = self._practice.wrt if self._practice.wrt in graph else None
        of = self._practice.of if self._practice.of in graph else None
        self.seed = None
        self._start(graph, self.mode, wrt, of)

    @property
    def mode(self):
        return self._practice.mode

    @property
    def wrt(self):
        return self._practice.wrt

    @property
    def of(self):
        return self._practice.of

    @property
    def steps(self):
        """The steps to compute, in order (in values mode the inputs are given, not asked)."""
        return list(self._practice.steps)

    @property
    def current(self):
        """The :class:`~teachgrad.teaching.steps.Step` asked now (``None`` when every step is done)."""
        return self._practice.current

    @property
    def done(self):
        return self._practice.done

    @property
    def score(self):
        """(steps right at the first try, steps asked so far)."""
        return self._practice.score

    @property
    def attempts(self):
        """The attempts log: one :class:`~teachgrad.practice.Attempt` per check or reveal."""
        return list(self._practice.attempts)

    @property
    def svg(self):
        """The SVG shown now (a string; empty without Graphviz)."""
        return self._svg

    def summary(self):
        """The score and the attempts log as text (see
        :meth:`teachgrad.practice.Practice.summary`)."""
        return self._practice.summary()

    # --- acting ---
    def answer(self, value):
        """Check ``value`` (a number or the text typed) for the step asked, as the Check button
        does; return the :class:`~teachgrad.practice.Feedback`."""
        self.feedback = self._practice.answer(value)
        if self.feedback.correct:
            self._clear_input()
        self._show()
        return self.feedback

    def reveal(self):
        """Show the worked step and move on (the step counts as not right)."""
        self.feedback = self._practice.reveal()
        self._clear_input()
        self._show()
        return self.feedback

    def new_graph(self, seed=None):
        """Start again on a random graph as big as this one (``seed``: which one; by default
        the next of this player's seeds)."""
        seed = int(self._rng.integers(2 ** 31)) if seed is None else seed
        n_nodes = min(max(len(self.graph), 3), MAX_NODES)
        graph = random_graph(n_nodes, seed=seed)
        self.seed = seed
        self._start(graph, self.mode, None, None)

    # --- export ---
    def to_html(self):
        """A self-contained page that checks the answers in the browser, with no kernel and no
        network (see :func:`teachgrad.practice.page.practice_html`); it starts at step 1.

        >>> import teachgrad as tg
        >>> page = PracticePlayer(tg.trace("e = a * b", a=2, b=3), "reverse").to_html()
        >>> page.startswith("<!DOCTYPE html>"), 'class="tg-practice-check"' in page
        (True, True)
        """
        return practice_html(self.graph, self.mode, wrt=self.wrt, of=self.of)

    def static(self):
        """An ``IPython.display.HTML`` of the practice page, to show inline so that it still
        works in nbviewer, exported HTML or a course website."""
        from IPython.display import HTML
        return HTML(practice_html(self.graph, self.mode, wrt=self.wrt, of=self.of,
                                  standalone=False))

    def __repr__(self):
        where = "done" if self.done else f"step {self.current.index + 1} of " \
                                          f"{len(self._practice.all_steps)}"
        right, asked = self.score
        return (f"<PracticePlayer {self.mode} on {sentences.graph_label(self.graph)}: {where}, "
                f"{right} of {asked} right at the first try>")

    # --- internals ---
    def _on_enter(self, change):
        """Enter (or leaving the box) sends the text: check it unless it is empty."""
        if change["new"].strip():
            self._check(change["new"])

    def _check(self, text):
        # Check after Enter sends the same text twice (the box's value, then the click).
        key = (self._practice.position, text)
        if key == self._checked:
            return
        self._checked = key
        self.answer(text)

    def _clear_input(self):
        self._checked = None
        self.input.value = ""

    def _show(self):
        run = self._practice
        if self._message is not None:
            self._svg = ""
            self.picture.value = error_html(self._message)
        else:
            self._svg = self._final if run.done else self._hidden[run.current.index + 1]
            self.picture.value = picture_html(self._svg)
        self.table.value = self._table_html()
        colour = MODE_COLOUR[run.mode]
        modes = {"values": "compute each value",
                 "forward": f"forward mode, each tangent d·/d{run.wrt}",
                 "reverse": f"reverse mode, each adjoint d{run.of}/d·"}
        self.title.value = (f'<b style="font-size:14px">Practice: {escape(modes[run.mode])}</b> '
                            f'<span style="color:{MUTED}">on '
                            f"{escape(sentences.graph_label(run.graph))}</span>")
        right, asked = run.score
        seed = f" · random graph, seed {self.seed}" if self.seed is not None else ""
        self.score_label.value = (f'<span style="{BOX}color:{MUTED};margin-left:12px">'
                                  f"{right} of {asked} right at the first try{seed}</span>")
        if run.done:
            text = (f"All steps done: {right} of {len(run.steps)} right at the first try. "
                    "Press New graph for another.")
        else:
            text = (f"step {run.current.index + 1} of {len(run.all_steps)}: "
                    f"{run.exercise.question}")
        self.question.value = note_html(f"<b>{escape(text)}</b>", colour)
        self.hint.value = _feedback_html(self.feedback)
        self.input.disabled = self.check_button.disabled = run.done
        offered = not run.done and run.wrong[run.position] >= TRIES
        self.reveal_button.layout.display = None if offered else "none"

    def _table_html(self):
        run = self._practice
        head = ["#", "node", "formula", "value"]
        if run.mode == "forward":
            head.append(f"{dot_name('v')} = dv/d{run.wrt}")
        elif run.mode == "reverse":
            head.append(f"{bar_name('v')} = d{run.of}/dv")
        head.append("")
        now = run.current.index if not run.done else len(run.all_steps)
        rows = [self._row(step, now) for step in run.all_steps]
        return table_html("tg-trace", head, rows, rule=MODE_COLOUR[run.mode])

    def _row(self, step, now):
        run = self._practice
        node = run.graph.node(step.node)
        i = step.index
        done = i < now
        cells = [str(i + 1), f"<b>{escape(step.node)}</b>",
                 "input" if node.is_input else escape(node.formula),
                 escape(value_text(node.value)) if run.mode != "values" or done else pending()]
        if run.mode != "values":
            colour = MODE_COLOUR[run.mode]
            cells.append(f'<b style="color:{colour}">{escape(value_text(step.value))}</b>'
                         if done else pending())
        cells.append(self._mark(step))
        cls, style = progress(i, now, CURRENT_FILL, CURRENT)
        return Row(cells, cls, node=step.node, style=style)

    def _mark(self, step):
        """✓ right at the first try, ✓ after wrong tries, shown, given, or the wrong tries."""
        run = self._practice
        if step in run.given:
            return pending("given")
        p = run.steps.index(step)
        outcome, wrong = run.outcome[p], run.wrong[p]
        if outcome == "first":
            return f'<b style="color:{RIGHT}">✓</b>'
        if outcome == "later":
            return f'<span style="color:{RIGHT}">✓ after {wrong} ✗</span>'
        if outcome == "revealed":
            return pending("shown")
        return f'<span style="color:{ERROR}">{"✗" * wrong}</span>' if wrong else ""
