"""Widgets for JupyterLab: watch values, tangents and adjoints propagate; type an expression and see
its graph; walk the paths whose products sum to a derivative; move a point along a function.

Every widget is an ``ipywidgets`` box whose parts are linked in Python (``widgets.link`` and
observers, never ``jslink``), so setting ``.step``, ``.source`` or a slider's ``.value`` from Python
changes what the widget shows exactly as a click in the browser does — which is also how the tests
drive them. Pictures come from :mod:`teachgrad.render` (Graphviz) and :mod:`teachgrad.plot`
(matplotlib); the numbers all come from the traced :class:`~teachgrad.graph.Graph`.

For a page with no kernel (nbviewer, exported HTML, a course website), a player's :meth:`static`
shows the same propagation as an HTML animation that runs in the browser alone.
"""

import ast

import ipywidgets as widgets
import numpy as np

from . import autodiff, plot, render
from .errors import ExpressionError
from .graph import FUNCTIONS, Graph, trace
from .notation import MODES, bar_name as _bar, dot_name as _dot, escape as _esc, fmt as _fmt
from .notation import value_text

__all__ = ["PropagationPlayer", "ExpressionExplorer", "PathExplorer", "DerivativeExplorer",
           "DerivativeExplorer2D"]


# Colours shared with the pictures, so a table row and its node light up alike.
INK = render.INK
MUTED = render.MUTED
CURRENT_FILL = render.CURRENT_FILL
CURRENT = render.CURRENT
PATH = render.PATH
PATH_FILL = render.PATH_FILL
MODE_COLOUR = render.MODE_COLOUR
ERROR = "#c92a2a"
POINT = "#c2255c"          # the movable point, its tangent and its gradient arrow

_BOX = (f"color:{INK};background:#ffffff;font-family:'DejaVu Sans',Helvetica,Arial,sans-serif;"
        "font-size:13px;line-height:1.35;")
_CELL = "padding:2px 8px;border-bottom:1px solid #e4e7eb;text-align:left;white-space:nowrap;"


def _value(v):
    return value_text(v)


def _svg_body(svg):
    """An SVG document without its XML prolog and DOCTYPE, ready to sit inside HTML."""
    start = svg.find("<svg")
    return svg[start:] if start >= 0 else svg


def _picture_html(svg):
    """The SVG scaled down (never up) to the width there is, so a wide graph needs no scrolling."""
    body = _svg_body(svg).replace("<svg ", '<svg style="max-width:100%;height:auto" ', 1)
    return f'<div class="tg-picture" style="max-width:100%">{body}</div>'


def _error_html(message):
    return (f'<div class="tg-error" style="{_BOX}border:1px solid {ERROR};'
            f'border-left:5px solid {ERROR};border-radius:4px;padding:6px 10px;margin:4px 0">'
            f'<b style="color:{ERROR}">Error:</b> {_esc(message)}</div>')


def _note_html(text, colour, extra=""):
    return (f'<div class="tg-note" style="{_BOX}border-left:4px solid {colour};padding:4px 10px;'
            f'margin:2px 0">{extra}{text}</div>')


def _check_graph(graph):
    if not isinstance(graph, Graph):
        raise TypeError(f"expected a traced graph (teachgrad.trace(...)), got "
                        f"{type(graph).__name__}: try tg.trace('e = (a + b) * (b + 1)', a=2, b=1)")


def _check_mode(mode):
    if mode not in MODES:
        raise ValueError(f"mode {mode!r} not understood: expected 'values', 'forward' or 'reverse'")
    return mode


def _check_node(graph, name, what):
    if name not in graph:
        raise ValueError(f"{what} {name!r} is not a node of this graph: its nodes are "
                         f"{', '.join(graph.nodes)}")
    return name


def _check_index(value, n, what):
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)):
        raise TypeError(f"{what} must be an int from 0 to {n}, got {value!r}")
    if not 0 <= value <= n:
        raise ValueError(f"{what} {value} is out of range: it must be from 0 to {n}")
    return int(value)


def _slider_range(v):
    """A range around ``v`` wide enough to explore, with a round step."""
    span = max(2.0, 2.0 * abs(v))
    step = 10.0 ** np.floor(np.log10(span / 20.0))
    lo = np.floor((v - span) / step) * step
    hi = np.ceil((v + span) / step) * step
    return float(lo), float(hi), float(step)


def _input_slider(name, value):
    lo, hi, step = _slider_range(float(value))
    return widgets.FloatSlider(value=float(value), min=lo, max=hi, step=step, description=name,
                               continuous_update=True, readout_format=".4g",
                               style={"description_width": "3em"},
                               layout=widgets.Layout(width="22em"))


def _is_scalar(v):
    return np.ndim(v) == 0


def _graph_label(graph):
    src = graph.source if isinstance(graph.source, str) else \
        getattr(graph.source, "__name__", "function")
    src = " ; ".join(line.strip() for line in str(src).strip().splitlines())
    at = ", ".join(f"{n}={_fmt(graph.value(n))}" for n in graph.inputs)
    return f"{src!r} at {at}"


def _button(description, tooltip):
    return widgets.Button(description=description, tooltip=tooltip,
                          layout=widgets.Layout(width="auto"))


def _defer(callback, delay=0.05):
    """Run ``callback`` after the kernel has sent the current update (when an event loop runs, as
    in Jupyter); return the handle, or None (then the caller does the work lazily)."""
    import asyncio
    try:
        loop = asyncio.get_running_loop()
    except RuntimeError:
        return None
    return loop.call_later(delay, callback)


# ------------------------------------------------------------------------------------------------
# PropagationPlayer
# ------------------------------------------------------------------------------------------------

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
        _check_graph(graph)
        super().__init__(layout=widgets.Layout(width="100%"))
        self.add_class("tg-player")   # a stable hook for browser tests and styling
        self._graph = graph
        self._mode = _check_mode(mode)
        self._wrt, self._of = self._seeds(graph, self._mode, wrt, of)
        self._steps = graph.steps(self._mode, wrt=self._render_wrt, of=self._render_of)
        self._frames = None
        self._batch = None
        self._hold = False
        self._message = None       # an error to show instead of the step text
        n = len(self._steps)

        self.play = widgets.Play(value=0, min=0, max=n, step=1, interval=interval,
                                 show_repeat=False, description="play", tooltip="play / pause")
        self.slider = widgets.IntSlider(value=0, min=0, max=n, description="step",
                                        continuous_update=True,
                                        style={"description_width": "3em"})
        widgets.link((self.play, "value"), (self.slider, "value"))
        self.prev_button = _button("◀ prev", "previous step")
        self.next_button = _button("next ▶", "next step")
        self.prev_button.on_click(lambda _: self._move(-1))
        self.next_button.on_click(lambda _: self._move(+1))
        self.speed = widgets.IntSlider(value=interval, min=100, max=3000, step=100,
                                       description="ms/step", continuous_update=False,
                                       style={"description_width": "4em"},
                                       layout=widgets.Layout(width="16em"))
        widgets.link((self.speed, "value"), (self.play, "interval"))
        self.picture = widgets.HTML(layout=widgets.Layout(flex="1 1 auto", min_width="0"))
        self.table = widgets.HTML(layout=widgets.Layout(flex="0 0 auto", margin="0 0 0 12px"))
        self.caption = widgets.HTML()
        self._show_sliders = bool(sliders)
        self.sliders = {}
        self.inputs_box = widgets.HBox(layout=widgets.Layout(flex_flow="row wrap"))
        self._build_sliders()
        self.slider.observe(self._on_step, names="value")

        controls = widgets.HBox([self.play, self.prev_button, self.next_button, self.slider,
                                 self.speed], layout=widgets.Layout(flex_flow="row wrap",
                                                                    align_items="center"))
        body = widgets.HBox([self.picture, self.table],
                            layout=widgets.Layout(align_items="flex-start",
                                                  flex_flow="row wrap"))
        self.children = [controls, self.inputs_box, body, self.caption]
        self._frames_now()
        self._show()

    # --- seeds ---
    @staticmethod
    def _seeds(graph, mode, wrt, of):
        if wrt is not None:
            _check_node(graph, wrt, "wrt")
        if of is not None:
            _check_node(graph, of, "of")
        if mode == "forward":
            return (wrt if wrt is not None else graph.inputs[0]), None
        if mode == "reverse":
            return wrt, (of if of is not None else graph.output)
        return None, None

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
        self.slider.value = _check_index(value, self.n_steps, "step")

    @property
    def n_steps(self):
        return len(self._steps)

    @property
    def steps(self):
        """The :class:`~teachgrad.graph.Step` list being played."""
        return list(self._steps)

    @property
    def graph(self):
        """The graph shown (a new one each time an input slider moves). Settable."""
        return self._graph

    @graph.setter
    def graph(self, graph):
        _check_graph(graph)
        wrt = self._wrt if self._wrt in graph else None
        of = self._of if self._of in graph else None
        self._replace(graph, self._mode, wrt, of, step=None)

    @property
    def mode(self):
        """``"values"``, ``"forward"`` or ``"reverse"``. Setting it goes back to step 0."""
        return self._mode

    @mode.setter
    def mode(self, mode):
        self._replace(self._graph, _check_mode(mode), self._wrt, None, step=0)

    @property
    def wrt(self):
        """The input forward mode is seeded at (in reverse mode: the input whose derivative the
        last step names, or None). Settable."""
        return self._wrt

    @wrt.setter
    def wrt(self, name):
        _check_node(self._graph, name, "wrt")
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
        k = self.step
        if k == 0:
            return f"step 0 of {self.n_steps}: nothing computed yet"
        return f"step {k} of {self.n_steps}: {self._steps[k - 1].text}"

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
        return f"<PropagationPlayer {mode} on {_graph_label(self._graph)}: {self.step_text}>"

    # --- internals ---
    def _move(self, delta):
        self.slider.value = min(max(self.step + delta, 0), self.n_steps)

    def _replace(self, graph, mode, wrt, of, step):
        """Swap graph / mode / seeds together; keep the step when it still exists."""
        wrt, of = self._seeds(graph, mode, wrt, of)
        steps = graph.steps(mode, wrt=wrt if mode == "forward" else None,
                            of=of if mode == "reverse" else None)
        inputs_changed = graph.inputs != self._graph.inputs
        self._graph, self._mode, self._wrt, self._of, self._steps = graph, mode, wrt, of, steps
        self._frames = None
        self._message = None
        n = len(steps)
        k = min(self.step, n) if step is None else min(step, n)
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
                for name, s in self.sliders.items():
                    if _is_scalar(graph.value(name)) and s.value != float(graph.value(name)):
                        s.value = float(graph.value(name))
        finally:
            self._hold = False
        # The frame on screen first; the other frames in one batch once this update is sent.
        self._show(single=True)
        if self._batch is not None:
            self._batch.cancel()
        self._batch = _defer(self._render_batch)

    def _build_sliders(self):
        for s in self.sliders.values():
            s.unobserve(self._on_input, names="value")
        self.sliders = {}
        if self._show_sliders:
            for name in self._graph.inputs:
                v = self._graph.value(name)
                if _is_scalar(v):
                    s = _input_slider(name, v)
                    s.observe(self._on_input, names="value")
                    self.sliders[name] = s
        self.inputs_box.children = list(self.sliders.values())

    def _frames_now(self):
        """Render every frame of the propagation with one dot call (cached by render)."""
        try:
            self._frames = render.frames(self._graph, self._mode, wrt=self._render_wrt,
                                         of=self._render_of)
        except render.GraphvizNotFound as e:
            self._frames = None
            self._message = str(e)

    def _frame(self, k):
        if self._frames is None:
            self._frames_now()
        if self._frames is None:
            return None
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
        except (ExpressionError, ValueError, ArithmeticError) as e:
            self._message = f"could not evaluate at {values}: {e}"
            self._show_text()
            return
        self._replace(graph, self._mode, self._wrt, self._of, step=None)

    def _render_batch(self):
        self._batch = None
        if self._frames is None:
            self._frames_now()

    def _show(self, single=False):
        k = self.step
        try:
            if single and self._frames is None:
                svg = render.svg(self._graph, mode=self._mode, step=k, wrt=self._render_wrt,
                                 of=self._render_of)
            else:
                svg = self._frame(k)
        except render.GraphvizNotFound as e:
            svg, self._message = None, str(e)
        if svg is None:
            self._svg = ""
            self.picture.value = _error_html(self._message or "no picture")
        else:
            self._svg = svg
            self.picture.value = _picture_html(svg)
        self.table.value = self._table_html(k)
        self.prev_button.disabled = k <= 0
        self.next_button.disabled = k >= self.n_steps
        self._show_text()

    def _show_text(self):
        colour = MODE_COLOUR[self._mode]
        text = _esc(self.step_text)
        k = self.step
        if k == 0:
            text += "<br>" + _esc(self._intro())
        elif k == self.n_steps:
            text += "<br>" + _esc(self._conclusion())
        body = _note_html(text, colour)
        if self._message:
            body = _error_html(self._message) + body
        self.caption.value = body

    def _intro(self):
        if self._mode == "values":
            return "Values flow forward: each node is computed once its inputs are known."
        if self._mode == "forward":
            return (f"Forward mode seeded at {self._wrt}: each node's tangent "
                    f"{_dot('v')} = dv/d{self._wrt} comes from its inputs' tangents — one pass "
                    "per input.")
        return (f"Reverse mode seeded at {self._of}: each node's adjoint {_bar('v')} = "
                f"d{self._of}/dv comes from its consumers' adjoints — one pass per output.")

    def _conclusion(self):
        g = self._graph
        if self._mode == "values":
            return f"Done: {g.output} = {_value(g.value(g.output))}."
        if self._mode == "forward":
            parts = [f"d{o}/d{self._wrt} = {_dot(o)} = {_value(self._derivative_at(o))}"
                     for o in g.outputs]
            return "Done: " + ", ".join(parts) + "."
        targets = [self._wrt] if self._wrt is not None else g.inputs
        parts = [f"d{self._of}/d{x} = {_bar(x)} = {_value(self._derivative_at(x))}"
                 for x in targets]
        return "Done: " + ", ".join(parts) + "."

    def _derivative_at(self, name):
        for s in self._steps:
            if s.node == name:
                return s.value
        return None

    def _table_html(self, k):
        mode = self._mode
        colour = MODE_COLOUR[mode]
        head = ["#", "node", "formula", "value"]
        if mode == "forward":
            head.append(f"{_dot('v')} = dv/d{self._wrt}")
        elif mode == "reverse":
            head.append(f"{_bar('v')} = d{self._of}/dv")
        rows = ["<tr>" + "".join(f'<th style="{_CELL}border-bottom:2px solid {colour}">'
                                 f"{_esc(h)}</th>" for h in head) + "</tr>"]
        for i, s in enumerate(self._steps):
            node = self._graph.node(s.node)
            done, current = i < k, i == k - 1
            formula = "input" if node.is_input else node.formula
            value = _value(node.value) if (mode != "values" or done) else "?"
            cells = [str(i + 1), f"<b>{_esc(s.node)}</b>", _esc(formula),
                     _esc(value) if value != "?" else f'<span style="color:{MUTED}">?</span>']
            if mode != "values":
                if done:
                    cells.append(f'<b style="color:{colour}">{_esc(_value(s.value))}</b>')
                else:
                    cells.append(f'<span style="color:{MUTED}">?</span>')
            if current:
                style = f"background:{CURRENT_FILL};box-shadow:inset 3px 0 0 {CURRENT};"
                cls = "tg-row tg-current"
            elif done:
                style, cls = "", "tg-row tg-done"
            else:
                style, cls = f"color:{MUTED};", "tg-row tg-pending"
            rows.append(f'<tr class="{cls}" data-node="{_esc(s.node)}" style="{style}">'
                        + "".join(f'<td style="{_CELL}">{c}</td>' for c in cells) + "</tr>")
        return (f'<table class="tg-trace" style="{_BOX}border-collapse:collapse;'
                f'border:1px solid #c8d0da">' + "".join(rows) + "</table>")


# ------------------------------------------------------------------------------------------------
# ExpressionExplorer
# ------------------------------------------------------------------------------------------------

def _mentioned_names(source):
    """The names an expression reads that it does not assign: its inputs, in order. Parsing only
    (nothing runs); None if the text does not parse (trace then explains why)."""
    try:
        tree = ast.parse(source, mode="exec")
    except (SyntaxError, ValueError):
        return None
    assigned = {t.id for stmt in tree.body if isinstance(stmt, ast.Assign)
                for t in stmt.targets if isinstance(t, ast.Name)}
    reads = sorted((node.lineno, node.col_offset, node.id) for node in ast.walk(tree)
                   if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load)
                   and node.id not in assigned and node.id not in FUNCTIONS)
    return list(dict.fromkeys(name for _, _, name in reads))


class ExpressionExplorer(widgets.VBox):
    """Type an expression and see its graph: values, per-edge partials, and the derivative of the
    output with respect to each input; switch the mode to play values, forward or reverse mode.

    Sliders appear for the inputs the expression mentions (1.0 unless given) and go away when it
    stops mentioning them. The expression is parsed by :func:`teachgrad.trace` (never ``eval``-ed);
    a bad one shows its error inside the widget and leaves the last good graph as it was.

    >>> ex = ExpressionExplorer("e = (a + b) * (b + 1)", a=2, b=1)
    >>> sorted(ex.sliders), ex.derivatives
    (['a', 'b'], {'a': 2.0, 'b': 5.0})
    >>> ex.source = "e = a * "
    >>> ex.error
    'syntax error: invalid syntax (line 1, column 9)'
    >>> ex.source = "y = sin(x) * a"
    >>> sorted(ex.sliders), ex.error
    (['a', 'x'], None)
    """

    def __init__(self, source="e = (a + b) * (b + 1)", **inputs):
        super().__init__(layout=widgets.Layout(width="100%"))
        self.add_class("tg-explorer")   # a stable hook for browser tests and styling
        if not isinstance(source, str):
            raise TypeError(f"source must be the text of an expression, got "
                            f"{type(source).__name__}")
        self._given = dict(inputs)
        self.sliders = {}
        self._error = None
        self._input_error = False
        self._hold = False
        graph = self._trace(source)        # a bad first expression raises: nothing to keep
        self._source = source
        self._graph = graph

        self.text = widgets.Text(value=source, description="expression", continuous_update=False,
                                 placeholder="e = (a + b) * (b + 1)",
                                 style={"description_width": "6em"},
                                 layout=widgets.Layout(width="36em"))
        self.text.observe(self._on_text, names="value")
        self.error_box = widgets.HTML()
        self.inputs_box = widgets.HBox(layout=widgets.Layout(flex_flow="row wrap"))
        self.mode_buttons = widgets.ToggleButtons(
            options=list(MODES), value="values",
            tooltips=["values flowing forward", "forward mode: tangents from an input",
                      "reverse mode: adjoints from the output"],
            style={"button_width": "6em"})
        self.mode_buttons.observe(self._on_mode, names="value")
        self.wrt_choice = widgets.Dropdown(options=graph.inputs, value=graph.inputs[0],
                                           description="seed at",
                                           layout=widgets.Layout(width="12em",
                                                                 display="none"))
        self.wrt_choice.observe(self._on_wrt, names="value")
        self.derivative_table = widgets.HTML()
        self.player = PropagationPlayer(graph, "values", sliders=False)
        self.player.step = self.player.n_steps      # everything computed: values and partials
        self._update_sliders(graph)
        self._show_derivatives()
        self.children = [self.text, self.error_box, self.inputs_box,
                         widgets.HBox([widgets.Label("propagation:"), self.mode_buttons,
                                       self.wrt_choice],
                                      layout=widgets.Layout(align_items="center")),
                         self.derivative_table, self.player]

    # --- public state ---
    @property
    def source(self):
        """The expression shown (the last good one). Setting it re-traces; a bad one sets
        ``.error`` and changes nothing else."""
        return self._source

    @source.setter
    def source(self, text):
        if not isinstance(text, str):
            raise TypeError(f"source must be a string, got {type(text).__name__}")
        self._hold = True
        try:
            self.text.value = text
        finally:
            self._hold = False
        self._set_source(text)

    @property
    def graph(self):
        return self._graph

    @property
    def error(self):
        """None, or the message of the last expression that failed."""
        return self._error

    @property
    def svg(self):
        return self.player.svg

    @property
    def derivatives(self):
        """``{input: d output / d input}`` at the current values."""
        g = self._graph
        return {x: _plain(g.derivative(g.output, x)) for x in g.inputs}

    def to_html(self):
        """The propagation being played, as a self-contained HTML page (see
        :meth:`PropagationPlayer.to_html`)."""
        return self.player.to_html()

    def static(self):
        """The propagation being played, as an animation that needs no kernel (see
        :meth:`PropagationPlayer.static`)."""
        return self.player.static()

    def __repr__(self):
        state = f"error: {self._error}" if self._error else "ok"
        d = ", ".join(f"∂{self._graph.output}/∂{x} = {_value(v)}"
                      for x, v in self.derivatives.items())
        return f"<ExpressionExplorer {_graph_label(self._graph)}: {d} ({state})>"

    # --- internals ---
    def _values_for(self, names):
        values = {}
        for name in names:
            if name in self.sliders:
                values[name] = self.sliders[name].value
            elif name in self._given:
                values[name] = self._given[name]
            else:
                values[name] = 1.0
        return values

    def _trace(self, source):
        names = _mentioned_names(source)
        return trace(source, **self._values_for(names or []))

    def _on_text(self, change):
        if not self._hold:
            self._set_source(change["new"])

    def _set_source(self, text):
        try:
            graph = self._trace(text)
        except (ExpressionError, ValueError, TypeError, ArithmeticError) as e:
            self._error, self._input_error = str(e), False
            self.error_box.value = _error_html(self._error)
            return
        self._error, self._input_error = None, False
        self.error_box.value = ""
        self._source = text
        self._set_graph(graph, step_to_end=True)

    def _set_graph(self, graph, step_to_end=False):
        self._graph = graph
        self._update_sliders(graph)
        self._hold = True
        try:
            if list(self.wrt_choice.options) != graph.inputs:
                self.wrt_choice.options = graph.inputs
                self.wrt_choice.value = graph.inputs[0]
        finally:
            self._hold = False
        self.player.graph = graph
        if self.player.mode == "forward" and self.player.wrt != self.wrt_choice.value:
            self.player.wrt = self.wrt_choice.value
        if step_to_end:
            self.player.step = self.player.n_steps
        self._show_derivatives()

    def _update_sliders(self, graph):
        keep = {}
        for name in graph.inputs:
            if name in self._given and not _is_scalar(self._given[name]):
                continue                # an array input: no slider
            if name in self.sliders:
                keep[name] = self.sliders[name]
            else:
                s = _input_slider(name, graph.value(name))
                s.observe(self._on_input, names="value")
                keep[name] = s
        for name, s in self.sliders.items():
            if name not in keep:
                s.unobserve(self._on_input, names="value")
        self.sliders = keep
        self.inputs_box.children = list(keep.values())

    def _on_input(self, change):
        if self._hold:
            return
        try:
            graph = self._trace(self._source)
        except (ExpressionError, ValueError, ArithmeticError) as e:
            self._error = str(e)
            self._input_error = True
            self.error_box.value = _error_html(self._error)
            return
        if self._input_error:           # values that failed before work now
            self._error, self._input_error, self.error_box.value = None, False, ""
        self._set_graph(graph)

    def _on_mode(self, change):
        mode = change["new"]
        self.wrt_choice.layout.display = "" if mode == "forward" else "none"
        if mode == "forward":
            self.player._replace(self._graph, mode, self.wrt_choice.value, None, step=0)
        else:
            self.player.mode = mode

    def _on_wrt(self, change):
        if not self._hold and self.player.mode == "forward" and change["new"] is not None:
            self.player.wrt = change["new"]

    def _show_derivatives(self):
        g = self._graph
        out = g.output
        colour = MODE_COLOUR["reverse"]
        rows = [f'<tr><th style="{_CELL}">input</th><th style="{_CELL}">value</th>'
                f'<th style="{_CELL}">∂{_esc(out)}/∂input</th><th style="{_CELL}">paths</th></tr>']
        for x, d in self.derivatives.items():
            rows.append(f'<tr class="tg-derivative" data-node="{_esc(x)}">'
                        f'<td style="{_CELL}"><b>{_esc(x)}</b></td>'
                        f'<td style="{_CELL}">{_esc(_value(g.value(x)))}</td>'
                        f'<td style="{_CELL}"><b style="color:{colour}">∂{_esc(out)}/∂{_esc(x)} = '
                        f'{_esc(_value(d))}</b></td>'
                        f'<td style="{_CELL}">{g.count_paths(x, out)}</td></tr>')
        self.derivative_table.value = (f'<table class="tg-derivatives" style="{_BOX}'
                                       f'border-collapse:collapse;border:1px solid #c8d0da;'
                                       f'margin:4px 0">' + "".join(rows) + "</table>")


def _plain(v):
    """A 0-d array as a float; an array stays an array."""
    return float(v) if np.ndim(v) == 0 else np.asarray(v)


# ------------------------------------------------------------------------------------------------
# PathExplorer
# ------------------------------------------------------------------------------------------------

class PathExplorer(widgets.VBox):
    """Step through the paths from ``src`` to ``dst`` one at a time: each highlighted with the
    product of its edge partials, and the running sum of the products converging to the
    derivative d dst / d src. Beside it, "factor and merge": reverse mode computes the same sum
    without listing paths, each node's adjoint summing its consumers' once.

    >>> import teachgrad as tg
    >>> paths = PathExplorer(tg.trace("e = (a + b) * (b + 1)", a=2, b=1), "b", "e")
    >>> paths.n_paths, paths.running_sum
    (2, 2.0)
    >>> paths.index = 1
    >>> paths.running_sum, paths.derivative
    (5.0, 5.0)
    """

    MAX_PATHS = 1000

    def __init__(self, graph, src, dst):
        _check_graph(graph)
        super().__init__(layout=widgets.Layout(width="100%"))
        self.add_class("tg-path-explorer")   # a stable hook for browser tests and styling
        _check_node(graph, src, "src")
        _check_node(graph, dst, "dst")
        n = graph.count_paths(src, dst)
        if n == 0:
            raise ValueError(f"no path from {src} to {dst}: {dst} does not depend on {src} "
                             f"(so d{dst}/d{src} = 0)")
        if n > self.MAX_PATHS:
            raise ValueError(f"{n} paths from {src} to {dst}: too many to step through (at most "
                             f"{self.MAX_PATHS}); graph.count_paths counts them, and reverse mode "
                             "sums them without listing")
        self._graph, self._src, self._dst = graph, src, dst
        self._paths = graph.paths(src, dst)
        self._derivative = _plain(graph.derivative(dst, src))
        self._svg = ""

        # The slider counts paths from 1, as the caption does; .index counts from 0.
        self.slider = widgets.IntSlider(value=1, min=1, max=n, description="path",
                                        continuous_update=True,
                                        style={"description_width": "3em"},
                                        layout=widgets.Layout(display="none" if n == 1 else ""))
        self.prev_button = _button("◀ prev", "previous path")
        self.next_button = _button("next ▶", "next path")
        self.prev_button.on_click(lambda _: self._move(-1))
        self.next_button.on_click(lambda _: self._move(+1))
        self.picture = widgets.HTML(layout=widgets.Layout(flex="1 1 auto", min_width="0"))
        self.table = widgets.HTML(layout=widgets.Layout(flex="0 0 auto", margin="0 0 0 12px"))
        self.caption = widgets.HTML()
        self.merge = widgets.HTML()
        self.slider.observe(lambda change: self._show(), names="value")
        controls = widgets.HBox([self.prev_button, self.next_button, self.slider],
                                layout=widgets.Layout(align_items="center"))
        body = widgets.HBox([self.picture, self.table],
                            layout=widgets.Layout(align_items="flex-start",
                                                  flex_flow="row wrap"))
        self.children = [controls, body, self.caption, self.merge]
        self.merge.value = self._merge_html()
        self._show()

    @property
    def index(self):
        """The path shown, 0 to ``n_paths - 1`` (the slider shows it plus one). Settable."""
        return self.slider.value - 1

    @index.setter
    def index(self, value):
        self.slider.value = _check_index(value, self.n_paths - 1, "index") + 1

    @property
    def n_paths(self):
        return len(self._paths)

    @property
    def paths(self):
        return list(self._paths)

    @property
    def path(self):
        """The :class:`~teachgrad.graph.Path` shown."""
        return self._paths[self.index]

    @property
    def running_sum(self):
        """The sum of the products of paths 0 … ``index``."""
        return _plain(sum(p.product for p in self._paths[:self.index + 1]))

    @property
    def derivative(self):
        """d dst / d src: the sum over every path."""
        return self._derivative

    @property
    def svg(self):
        return self._svg

    @property
    def graph(self):
        return self._graph

    def next(self):
        self._move(+1)

    def previous(self):
        self._move(-1)

    def __repr__(self):
        return (f"<PathExplorer {self._src} → {self._dst} on {_graph_label(self._graph)}: path "
                f"{self.index + 1} of {self.n_paths} ({self.path.text}), running sum "
                f"{_value(self.running_sum)} of d{self._dst}/d{self._src} = "
                f"{_value(self._derivative)}>")

    def _move(self, delta):
        self.slider.value = min(max(self.slider.value + delta, 1), self.n_paths)

    def _show(self):
        i = self.index
        try:
            self._svg = render.svg(self._graph, path=self._paths[i])
            self.picture.value = _picture_html(self._svg)
        except render.GraphvizNotFound as e:
            self._svg = ""
            self.picture.value = _error_html(str(e))
        self.table.value = self._table_html(i)
        self.prev_button.disabled = i <= 0
        self.next_button.disabled = i >= self.n_paths - 1
        products = [_value(p.product) for p in self._paths[:i + 1]]
        total = _value(self.running_sum)
        d = f"d{self._dst}/d{self._src}"
        sum_text = " + ".join(products) + (f" = {total}" if len(products) > 1 else "")
        if i == self.n_paths - 1:
            verdict = (f"all {self.n_paths} path{'s' * (self.n_paths > 1)} summed: {d} = "
                       f"{_value(self._derivative)} ✓")
        else:
            verdict = f"{self.n_paths - i - 1} more to add; {d} = {_value(self._derivative)}"
        self.caption.value = _note_html(
            f"<b>path {i + 1} of {self.n_paths}:</b> {_esc(self._paths[i].text)}<br>"
            f"<b>running sum:</b> {_esc(sum_text)} — {_esc(verdict)}", PATH)

    def _table_html(self, i):
        head = ["#", "path", "product", "running sum"]
        rows = ["<tr>" + "".join(f'<th style="{_CELL}border-bottom:2px solid {PATH}">{h}</th>'
                                 for h in head) + "</tr>"]
        running = 0
        for j, p in enumerate(self._paths):
            running = running + p.product
            if j == i:
                style, cls = f"background:{PATH_FILL};box-shadow:inset 3px 0 0 {PATH};", \
                    "tg-row tg-current"
            elif j < i:
                style, cls = "", "tg-row tg-done"
            else:
                style, cls = f"color:{MUTED};", "tg-row tg-pending"
            factors = "·".join(_value(f) for f in p.factors)
            cells = [str(j + 1), _esc(" → ".join(p.nodes)),
                     _esc(f"{factors} = {_value(p.product)}"),
                     _esc(_value(running)) if j <= i else "?"]
            rows.append(f'<tr class="{cls}" style="{style}">'
                        + "".join(f'<td style="{_CELL}">{c}</td>' for c in cells) + "</tr>")
        return (f'<table class="tg-paths" style="{_BOX}border-collapse:collapse;'
                f'border:1px solid #c8d0da">' + "".join(rows) + "</table>")

    def _merge_html(self):
        """Factor and merge: the adjoint of every node between src and dst, from dst back."""
        g, src, dst = self._graph, self._src, self._dst
        reaches_dst = {dst}
        for name in reversed(g.nodes):
            if name in reaches_dst:
                reaches_dst.update(g.node(name).inputs)
        from_src = {src}
        for name in g.nodes:
            if any(s in from_src for s in g.node(name).inputs):
                from_src.add(name)
        on_paths = reaches_dst & from_src
        colour = MODE_COLOUR["reverse"]
        items = []
        for s in g.reverse_mode(dst):
            if s.node in on_paths:
                items.append(f'<li class="tg-adjoint" data-node="{_esc(s.node)}">'
                             f'{_esc(s.text)}</li>')
        return _note_html(
            f"<b>factor and merge</b> — reverse mode from {_esc(dst)} sums the same paths without "
            f"listing them: each node's adjoint {_esc(_bar('v'))} = d{_esc(dst)}/dv is the sum "
            f"over its consumers, computed once and shared by every path through it:"
            f'<ul style="margin:2px 0 2px 1.2em;padding:0">{"".join(items)}</ul>', colour)


# ------------------------------------------------------------------------------------------------
# DerivativeExplorer (1-D and 2-D)
# ------------------------------------------------------------------------------------------------

def _scalar(v):
    return float(np.asarray(v, dtype=float))


def _check_point(value, lo, hi, what):
    try:
        v = float(value)
    except (TypeError, ValueError):
        raise TypeError(f"{what} must be a number, got {value!r}") from None
    if not lo <= v <= hi:
        raise ValueError(f"{what} {v:g} is outside the plotted range [{lo:g}, {hi:g}]")
    return v


class DerivativeExplorer(widgets.VBox):
    """Plot ``f``, ``f′`` and ``f″`` (nested :func:`teachgrad.grad`) with a point you move along
    the curve and the tangent line there, whose slope is ``f′`` at the point.

    ``x`` is the plotted range ``(low, high)`` (or an array of points); ``orders`` the derivatives
    drawn. The figure is shown as a PNG; ``.figure`` is the matplotlib Figure.

    >>> ex = DerivativeExplorer(lambda x: x ** 2, x=(-2, 2), point=1.5)
    >>> ex.slope, ex.value
    (3.0, 2.25)
    >>> ex.point = -1.0
    >>> ex.slope
    -2.0
    """

    def __init__(self, f, x=(-3, 3), orders=(0, 1, 2), point=0.0, n=300):
        if not callable(f):
            raise TypeError(f"f must be a function of one variable, got {type(f).__name__}")
        super().__init__()
        self.add_class("tg-derivative-explorer")   # a stable hook for browser tests and styling
        if isinstance(x, tuple) and len(x) == 2:
            lo, hi = plot._limits(x, "x")
            grid = np.linspace(lo, hi, n)
        else:
            grid = plot._as_grid(x)
            lo, hi = float(grid.min()), float(grid.max())
        self._f = f
        self._df = autodiff.grad(f)
        self._d2f = autodiff.grad(self._df)
        self._lo, self._hi = lo, hi
        self._point = _check_point(point, lo, hi, "point")
        self.figure = plot.derivatives(f, grid, orders=orders)
        ax = self.ax = self.figure.axes[0]
        # Fix the view to the curves, so a steep tangent does not rescale the plot.
        ys = np.concatenate([line.get_ydata() for line in ax.get_lines()
                             if not line.get_label().startswith("_")])
        ys = ys[np.isfinite(ys)]
        if ys.size:
            pad = 0.08 * max(float(ys.max() - ys.min()), 1e-9)
            ax.set_ylim(float(ys.min()) - pad, float(ys.max()) + pad)
        self._tangent, = ax.plot([lo, hi], [0, 0], "-", color=POINT, lw=1.6,
                                 label="tangent at the point")
        self._marker, = ax.plot([self._point], [0], "o", color=POINT, ms=8, mec="white",
                                zorder=5)
        ax.legend(frameon=False, loc="best")
        self.slider = widgets.FloatSlider(value=self._point, min=lo, max=hi,
                                          step=(hi - lo) / 200, description="point",
                                          continuous_update=True, readout_format=".3g",
                                          layout=widgets.Layout(width="30em"))
        self.slider.observe(self._on_point, names="value")
        self.image = widgets.Image(format="png")
        self.readout = widgets.HTML()
        self.error_box = widgets.HTML()
        self.children = [self.slider, self.readout, self.error_box, self.image]
        self._update()

    @property
    def point(self):
        return self._point

    @point.setter
    def point(self, value):
        self.slider.value = _check_point(value, self._lo, self._hi, "point")
        if self.slider.value != self._point:       # the slider rounds to its step
            self._point = float(value)
            self._update()

    @property
    def value(self):
        """f at the point."""
        return self._values[0]

    @property
    def slope(self):
        """f′ at the point: the slope of the tangent line."""
        return self._values[1]

    @property
    def curvature(self):
        """f″ at the point."""
        return self._values[2]

    def __repr__(self):
        name = getattr(self._f, "__name__", "f")
        return (f"<DerivativeExplorer {name} on [{self._lo:g}, {self._hi:g}] at x = "
                f"{self._point:g}: f = {self.value:.4g}, f′ = {self.slope:.4g}, "
                f"f″ = {self.curvature:.4g}>")

    def _on_point(self, change):
        self._point = float(change["new"])
        self._update()

    def _update(self):
        p = self._point
        try:
            self._values = (_scalar(self._f(p)), _scalar(self._df(p)), _scalar(self._d2f(p)))
        except Exception as e:          # f itself failed at this point: say so, keep the plot
            self.error_box.value = _error_html(f"f({p:g}) failed: {type(e).__name__}: {e}")
            self._values = (float("nan"),) * 3
            return
        self.error_box.value = ""
        y, slope = self._values[0], self._values[1]
        self._tangent.set_data([self._lo, self._hi],
                               [y + slope * (self._lo - p), y + slope * (self._hi - p)])
        self._marker.set_data([p], [y])
        self.image.value = plot.to_png(self.figure)
        self.readout.value = _note_html(
            f"x = <b>{p:.4g}</b>: f(x) = <b>{y:.4g}</b>, f′(x) = <b>{slope:.4g}</b> (the "
            f"tangent's slope), f″(x) = <b>{self._values[2]:.4g}</b>", POINT)


class DerivativeExplorer2D(widgets.VBox):
    """A function of two variables: filled contours, gradient arrows, and the gradient at a point
    you move with two sliders (optionally beside a 3-D surface).

    >>> ex = DerivativeExplorer2D(lambda x, y: x**2 + 3 * y**2, (-2, 2), (-2, 2), point=(1, 1))
    >>> ex.gradient
    (2.0, 6.0)
    >>> ex.point = (0.5, -1.0)
    >>> ex.gradient, ex.value
    ((1.0, -6.0), 3.25)
    """

    def __init__(self, f, xlim=(-2, 2), ylim=(-2, 2), point=(0.5, 0.5), surface=False, n=15):
        if not callable(f):
            raise TypeError(f"f must be a function of two variables, got {type(f).__name__}")
        super().__init__()
        self.add_class("tg-derivative-explorer-2d")   # a stable hook for browser tests and styling
        (self._x0, self._x1) = plot._limits(xlim, "xlim")
        (self._y0, self._y1) = plot._limits(ylim, "ylim")
        self._f = f
        self._grad = autodiff.grad(f, argnums=(0, 1))
        self._point = self._check(point)
        self.figure = plot.gradient_field(f, (self._x0, self._x1), (self._y0, self._y1), n=n,
                                          surface=surface)
        self.ax = next(a for a in self.figure.axes if _has_quiver(a))
        self.ax3d = next((a for a in self.figure.axes if a.name == "3d"), None)
        # The arrow at the point shows the gradient's direction at a fixed, visible length (its
        # size is in the readout): near a flat spot the field's own arrows shrink to dots.
        self._arrow_length = 0.2 * min(self._x1 - self._x0, self._y1 - self._y0)
        self._arrow = self.ax.quiver([0], [0], [0], [0], color=POINT, angles="xy",
                                     scale_units="xy", scale=1.0, width=0.012,
                                     edgecolor="white", linewidth=0.8, zorder=6)
        self._marker, = self.ax.plot([0], [0], "o", color=POINT, ms=8, mec="white", zorder=7)
        self._marker3d = None
        if self.ax3d is not None:
            self._marker3d, = self.ax3d.plot([0], [0], [0], "o", color=POINT, ms=7,
                                             mec="white", zorder=10)
        self.x_slider = widgets.FloatSlider(value=self._point[0], min=self._x0, max=self._x1,
                                            step=(self._x1 - self._x0) / 100, description="x",
                                            readout_format=".3g")
        self.y_slider = widgets.FloatSlider(value=self._point[1], min=self._y0, max=self._y1,
                                            step=(self._y1 - self._y0) / 100, description="y",
                                            readout_format=".3g")
        self.x_slider.observe(self._on_slider, names="value")
        self.y_slider.observe(self._on_slider, names="value")
        self.image = widgets.Image(format="png")
        self.readout = widgets.HTML()
        self.error_box = widgets.HTML()
        self._hold = False
        self.children = [widgets.HBox([self.x_slider, self.y_slider]), self.readout,
                         self.error_box, self.image]
        self._update()

    def _check(self, point):
        try:
            x, y = point
        except (TypeError, ValueError):
            raise TypeError(f"point must be a pair (x, y), got {point!r}") from None
        return (_check_point(x, self._x0, self._x1, "point x"),
                _check_point(y, self._y0, self._y1, "point y"))

    @property
    def point(self):
        return self._point

    @point.setter
    def point(self, value):
        x, y = self._check(value)
        self._hold = True
        try:
            self.x_slider.value, self.y_slider.value = x, y
        finally:
            self._hold = False
        self._point = (x, y)
        self._update()

    @property
    def value(self):
        return self._values[0]

    @property
    def gradient(self):
        """(∂f/∂x, ∂f/∂y) at the point."""
        return self._values[1]

    def __repr__(self):
        gx, gy = self.gradient
        return (f"<DerivativeExplorer2D {getattr(self._f, '__name__', 'f')} at "
                f"({self._point[0]:g}, {self._point[1]:g}): f = {self.value:.4g}, "
                f"∇f = ({gx:.4g}, {gy:.4g})>")

    def _on_slider(self, change):
        if not self._hold:
            self._point = (float(self.x_slider.value), float(self.y_slider.value))
            self._update()

    def _update(self):
        x, y = self._point
        try:
            value = _scalar(self._f(x, y))
            gx, gy = (_scalar(g) for g in self._grad(x, y))
        except Exception as e:
            self.error_box.value = _error_html(f"f({x:g}, {y:g}) failed: {type(e).__name__}: {e}")
            self._values = (float("nan"), (float("nan"), float("nan")))
            return
        self.error_box.value = ""
        self._values = (value, (gx, gy))
        norm = float(np.hypot(gx, gy))
        unit = self._arrow_length / norm if norm > 0 else 0.0
        self._arrow.set_offsets([[x, y]])
        self._arrow.set_UVC([gx * unit], [gy * unit])
        self._marker.set_data([x], [y])
        if self._marker3d is not None:
            self._marker3d.set_data_3d([x], [y], [value])
        self.image.value = plot.to_png(self.figure)
        self.readout.value = _note_html(
            f"at ({x:.3g}, {y:.3g}): f = <b>{value:.4g}</b>, ∇f = (∂f/∂x, ∂f/∂y) = "
            f"(<b>{gx:.4g}</b>, <b>{gy:.4g}</b>), |∇f| = {norm:.4g} — the steepest way up "
            "(the red arrow's direction)", POINT)


def _has_quiver(ax):
    return any(type(c).__name__ == "Quiver" for c in ax.collections)
