"""PropagationPlayer: values, tangents or adjoints flowing through a graph, one step at a time."""

import ipywidgets as widgets

from .. import render
from ..errors import ExpressionError
from ..teaching.notation import bar_name, dot_name, escape, value_text
from . import sentences
from .checks import check_graph, check_index, check_mode, check_node, is_scalar
from .controls import picture_and_table, play_controls, prev_next, sync_sliders
from .html import (CURRENT, CURRENT_FILL, MODE_COLOUR, Row, error_html, note_html, pending, picture_html, progress, table_html)

__all__ = ["PropagationPlayer"]

_ONE_AT_A_TIME = "frames drawn one at a time"   # when drawing them all at once failed


def _defer(callback, delay=0.05):
    """Run ``callback`` after the kernel has sent the current update (when an event loop runs, as
    in Jupyter); return the handle, or None (then the caller does the work lazily)."""
    import asyncio
    try:
        loop = asyncio.get_running_loop()
    except RuntimeError:
        return None
    return loop.call_later(delay, callback)


def _seeds(graph, mode, wrt, of):
    """The seeds a mode is played with: forward mode at ``wrt`` (the first input by default),
    reverse mode at ``of`` (the output by default), keeping ``wrt`` to name ∂of/∂wrt at the end."""
    if wrt is not None:
        check_node(graph, wrt, "wrt")
    if of is not None:
        check_node(graph, of, "of")
    if mode == "forward":
        return (wrt if wrt is not None else graph.inputs[0]), None
    if mode == "reverse":
        return wrt, (of if of is not None else graph.output)
    return None, None


class PropagationPlayer(widgets.VBox):
    """Play a propagation on a graph step by step: values flowing forward, tangents (forward mode)
    or adjoints (reverse mode).

    Play/pause, previous/next, a step slider and a speed control (milliseconds per step) move
    through the steps; a slider per input re-evaluates the graph live. Beside the picture a trace
    table lists every node — formula, value, and the tangent or adjoint found so far — with the
    current step's row highlighted, and under it the step's arithmetic in words.

    ``wrt`` seeds forward mode (the first input by default); reverse mode is seeded at ``of`` (the
    output by default) and, given ``wrt``, ends by naming ∂of/∂wrt. Steps go from 0 (nothing done)
    to ``n_steps`` (all done).

    >>> import teachgrad as tg
    >>> g = tg.trace("e = (a + b) * (b + 1)", a=2, b=1)
    >>> player = PropagationPlayer(g, mode="reverse")
    >>> player.n_steps
    5
    >>> player.step = 5
    >>> player.step_text
    'step 5 of 5: b̄ = ∂c/∂b·c̄ + ∂d/∂b·d̄ = 1·2 + 1·3 = 5'
    >>> player.sliders["b"].value = 2.0          # move an input: the graph is re-evaluated
    >>> float(player.graph.value("e"))
    12.0
    """

    def __init__(self, graph, mode="values", wrt=None, of=None, sliders=True, interval=800):
        check_graph(graph)
        super().__init__(layout=widgets.Layout(width="100%"))
        self.add_class("tg-player")   # a stable hook for browser tests and styling
        self._graph = graph
        self._mode = check_mode(mode)
        self._wrt, self._of = _seeds(graph, self._mode, wrt, of)
        self._steps = graph.steps(self._mode, wrt=self._render_wrt, of=self._render_of)
        self._frames = None
        self._batch = None
        self._hold = False
        self._message = None       # an error to show above the step text
        self._no_picture = None    # why this propagation has no picture (no dot, too big, …)

        self.play, self.slider, self.speed = play_controls(len(self._steps), interval)
        self.prev_button, self.next_button = prev_next("step", self._move)
        self.picture, self.table, body = picture_and_table()
        self.caption = widgets.HTML()
        self._show_sliders = bool(sliders)
        self.sliders = {}
        self.inputs_box = widgets.HBox(layout=widgets.Layout(flex_flow="row wrap"))
        self._build_sliders()
        self.slider.observe(self._on_step, names="value")

        controls = widgets.HBox([self.play, self.prev_button, self.next_button, self.slider,
                                 self.speed], layout=widgets.Layout(flex_flow="row wrap",
                                                                    align_items="center"))
        self.children = [controls, self.inputs_box, body, self.caption]
        self._frames_now()
        self._show()

    @property
    def _render_wrt(self):
        return self._wrt if self._mode == "forward" else None

    @property
    def _render_of(self):
        return self._of if self._mode == "reverse" else None

    # --- public state ---
    @property
    def step(self):
        """The step shown: 0 (nothing done) to ``n_steps`` (all done). Settable."""
        return self.slider.value

    @step.setter
    def step(self, value):
        self.slider.value = check_index(value, self.n_steps, "step")

    @property
    def n_steps(self):
        return len(self._steps)

    @property
    def steps(self):
        """The :class:`~teachgrad.teaching.graph.Step` list being played."""
        return list(self._steps)

    @property
    def graph(self):
        """The graph shown (a new one each time an input slider moves). Settable."""
        return self._graph

    @graph.setter
    def graph(self, graph):
        check_graph(graph)
        wrt = self._wrt if self._wrt in graph else None
        of = self._of if self._of in graph else None
        self._replace(graph, self._mode, wrt, of, step=None)

    @property
    def mode(self):
        """``"values"``, ``"forward"`` or ``"reverse"``. Setting it goes back to step 0."""
        return self._mode

    @mode.setter
    def mode(self, mode):
        self.set_mode(mode)

    def set_mode(self, mode, wrt=None):
        """Play ``mode`` from step 0, forward mode seeded at ``wrt`` (by default the seed it had),
        in one update of the picture.

        >>> import teachgrad as tg
        >>> player = PropagationPlayer(tg.trace("e = a * b", a=2, b=3))
        >>> player.set_mode("forward", wrt="b")
        >>> player.mode, player.wrt, player.step
        ('forward', 'b', 0)
        """
        self._replace(self._graph, check_mode(mode), self._wrt if wrt is None else wrt, None,
                      step=0)

    @property
    def wrt(self):
        """The input forward mode is seeded at (in reverse mode: the input whose derivative the
        last step names, or None). Settable."""
        return self._wrt

    @wrt.setter
    def wrt(self, name):
        check_node(self._graph, name, "wrt")
        self._replace(self._graph, self._mode, name, self._of, step=0)

    @property
    def of(self):
        """The node reverse mode is seeded at (None in the other modes)."""
        return self._of

    @property
    def svg(self):
        """The SVG shown now (a string)."""
        return self._svg

    @property
    def step_text(self):
        """The current step's arithmetic in words."""
        return sentences.step_text(self._steps, self.step)

    def next(self):
        """One step on (does nothing at the last step)."""
        self._move(+1)

    def previous(self):
        """One step back (does nothing at step 0)."""
        self._move(-1)

    # --- export ---
    def to_html(self):
        """The propagation as a self-contained HTML page that animates with no kernel.

        >>> import teachgrad as tg
        >>> page = PropagationPlayer(tg.trace("e = (a + b) * (b + 1)", a=2, b=1)).to_html()
        >>> page.startswith("<!DOCTYPE html>")
        True
        """
        return render.animation_html(self._graph, self._mode, wrt=self._render_wrt,
                                     of=self._render_of, standalone=True, step=self.step)

    def static(self):
        """An ``IPython.display.HTML`` of the animation, to show inline so that it still plays in
        nbviewer, exported HTML or a course website (no kernel needed).

        >>> import teachgrad as tg
        >>> shown = PropagationPlayer(tg.trace("e = a * b", a=2, b=3), "reverse").static()
        >>> shown.data.startswith('<div class="tg-animation"')
        True
        """
        from IPython.display import HTML
        return HTML(render.animation_html(self._graph, self._mode, wrt=self._render_wrt,
                                          of=self._render_of, standalone=False, step=self.step))

    def __repr__(self):
        mode = {"values": "values", "forward": f"forward mode (seed {self._wrt})",
                "reverse": f"reverse mode (seed {self._of})"}[self._mode]
        return (f"<PropagationPlayer {mode} on {sentences.graph_label(self._graph)}: "
                f"{self.step_text}>")

    # --- internals ---
    def _move(self, delta):
        self.slider.value = min(max(self.step + delta, 0), self.n_steps)

    def _replace(self, graph, mode, wrt, of, step):
        """Swap graph / mode / seeds together; keep the step when it still exists. The picture
        is drawn first: if Graphviz cannot draw it (``render.GraphvizError``), nothing changes."""
        wrt, of = _seeds(graph, mode, wrt, of)
        render_wrt = wrt if mode == "forward" else None
        render_of = of if mode == "reverse" else None
        steps = graph.steps(mode, wrt=render_wrt, of=render_of)
        n = len(steps)
        k = min(self.step, n) if step is None else min(step, n)
        try:
            svg, message = render.svg(graph, mode=mode, step=k, wrt=render_wrt, of=render_of), None
        except render.GraphvizNotFound as e:     # no picture will ever come: show the rest
            svg, message = None, str(e)
        inputs_changed = graph.inputs != self._graph.inputs
        self._graph, self._mode, self._wrt, self._of, self._steps = graph, mode, wrt, of, steps
        self._frames = None
        self._message = None
        self._no_picture = message
        self._hold = True
        try:
            # Order matters: the slider clamps its value to [min, max] as max changes.
            if n >= self.slider.max:
                self.slider.max = self.play.max = n
                self.slider.value = k
            else:
                self.slider.value = k
                self.slider.max = self.play.max = n
            if inputs_changed:
                self._build_sliders()
            else:
                self._follow_sliders(graph)
        finally:
            self._hold = False
        # The frame on screen first; the other frames in one batch once this update is sent.
        self._show(svg=svg)
        if self._batch is not None:
            self._batch.cancel()
        self._batch = _defer(self._render_batch)

    def _build_sliders(self):
        values = ({name: self._graph.value(name) for name in self._graph.inputs}
                  if self._show_sliders else {})
        self.sliders = sync_sliders(self.sliders, values, self._on_input, reuse=False)
        self.inputs_box.children = list(self.sliders.values())

    def _follow_sliders(self, graph):
        """Move the input sliders to a new graph's values (set elsewhere, e.g. ``.graph = …``)."""
        for name, s in self.sliders.items():
            if is_scalar(graph.value(name)) and s.value != float(graph.value(name)):
                s.value = float(graph.value(name))

    def _frames_now(self):
        """Render every frame of the propagation with one dot call (cached by render)."""
        try:
            self._frames = render.frames(self._graph, self._mode, wrt=self._render_wrt,
                                         of=self._render_of)
        except render.GraphvizNotFound as e:    # no picture will ever come
            self._frames = None
            self._no_picture = str(e)
        except render.GraphvizError:            # not all at once: each frame when it is shown
            self._frames = _ONE_AT_A_TIME

    def _frame(self, k):
        if self._frames is None and self._no_picture is None:
            self._frames_now()
        if self._frames is None:
            return None
        if self._frames is _ONE_AT_A_TIME:
            return render.svg(self._graph, mode=self._mode, step=k, wrt=self._render_wrt,
                              of=self._render_of)
        return self._frames[k]

    def _on_step(self, change):
        if not self._hold:
            self._show()

    def _on_input(self, change):
        if self._hold:
            return
        values = {name: s.value for name, s in self.sliders.items()}
        try:
            graph = self._graph.at(**values)
            self._replace(graph, self._mode, self._wrt, self._of, step=None)
        except (ExpressionError, ValueError, ArithmeticError, render.GraphvizError) as e:
            shown = ", ".join(f"{n}={value_text(v)}" for n, v in values.items())
            self._message = f"could not show the graph at {shown}: {e}"
            self._show_text()

    def _render_batch(self):
        self._batch = None
        if self._frames is None:
            self._frames_now()

    def _show(self, svg=None):
        """Show step ``self.step``: its picture (``svg`` if already drawn), table and text."""
        k = self.step
        if svg is None and self._no_picture is None:
            try:
                svg = self._frame(k)
            except render.GraphvizError as e:   # no dot, or a graph it cannot draw
                svg, self._no_picture = None, str(e)
        if svg is None:
            self._svg = ""
            self.picture.value = error_html(self._no_picture or "no picture")
        else:
            self._svg = svg
            self.picture.value = picture_html(svg)
        self.table.value = self._table_html(k)
        self.prev_button.disabled = k <= 0
        self.next_button.disabled = k >= self.n_steps
        self._show_text()

    def _show_text(self):
        text = escape(self.step_text)
        k = self.step
        if k == 0:
            text += "<br>" + escape(sentences.intro(self._mode, self._wrt, self._of))
        elif k == self.n_steps:
            text += "<br>" + escape(sentences.conclusion(self._graph, self._mode, self._steps,
                                                         self._wrt, self._of))
        body = note_html(text, MODE_COLOUR[self._mode])
        if self._message:
            body = error_html(self._message) + body
        self.caption.value = body

    def _table_html(self, k):
        """The trace table after ``k`` steps: a row per step, the current one highlighted."""
        head = ["#", "node", "formula", "value"]
        if self._mode == "forward":
            head.append(f"{dot_name('v')} = dv/d{self._wrt}")
        elif self._mode == "reverse":
            head.append(f"{bar_name('v')} = d{self._of}/dv")
        rows = [self._row(i, s, k) for i, s in enumerate(self._steps)]
        return table_html("tg-trace", head, rows, rule=MODE_COLOUR[self._mode])

    def _row(self, i, step, k):
        node = self._graph.node(step.node)
        done = i < k
        formula = "input" if node.is_input else node.formula
        known = self._mode != "values" or done      # values are shown once computed
        cells = [str(i + 1), f"<b>{escape(step.node)}</b>", escape(formula),
                 escape(value_text(node.value)) if known else pending()]
        if self._mode != "values":
            colour = MODE_COLOUR[self._mode]
            cells.append(f'<b style="color:{colour}">{escape(value_text(step.value))}</b>'
                         if done else pending())
        cls, style = progress(i, k - 1, CURRENT_FILL, CURRENT)
        return Row(cells, cls, node=step.node, style=style)
