"""ExpressionExplorer: type an expression, see its graph, its values, partials and derivatives."""

import ipywidgets as widgets

from .. import render
from ..errors import ExpressionError
from ..teaching.expressions import check_length, mentioned_names
from ..teaching.graph import trace
from ..teaching.notation import MODES, escape, value_text
from . import sentences
from .checks import is_scalar, plain
from .controls import sync_sliders
from .html import MODE_COLOUR, Row, error_html, table_html
from .player import PropagationPlayer

__all__ = ["ExpressionExplorer", "failure_text"]

# What a callback shows instead of letting the exception escape (ipywidgets would only log it).
_EXPECTED = (ExpressionError, ValueError, TypeError, ArithmeticError, render.GraphvizError)


def failure_text(e):
    """The message a widget shows for an exception; an unexpected one is named by its type.

    >>> failure_text(ValueError("bad")), failure_text(KeyError("k"))
    ('bad', "KeyError: 'k'")
    """
    return str(e) if isinstance(e, _EXPECTED) else f"{type(e).__name__}: {e}"


class ExpressionExplorer(widgets.VBox):
    """Type an expression and see its graph: values, per-edge partials, and the derivative of the
    output with respect to each input; switch the mode to play values, forward or reverse mode.

    Sliders appear for the inputs the expression mentions (1.0 unless given) and go away when it
    stops mentioning them; an input the text gives a value (``x = 3``) gets one too, starting at
    that value. The expression is parsed by :func:`teachgrad.trace` (never ``eval``-ed), at most
    :data:`teachgrad.teaching.expressions.MAX_TEXT` characters; a bad one — or one whose graph cannot be
    drawn — shows its error inside the widget and leaves the last good graph and picture as they
    were.

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
        graph = self._trace(check_length(source))   # a bad first one raises: nothing to keep
        self._source = source
        self._graph = graph

        self.text = widgets.Text(value=source, description="expression", continuous_update=False,
                                 placeholder="e = (a + b) * (b + 1)",
                                 style={"description_width": "6em"},
                                 layout=widgets.Layout(width="36em"))
        self.text.observe(self._on_text, names="value")
        self.error_box = widgets.HTML()
        self.inputs_box = widgets.HBox(layout=widgets.Layout(flex_flow="row wrap"))
        mode_row = self._mode_controls(graph)
        self.derivative_table = widgets.HTML()
        self.player = PropagationPlayer(graph, "values", sliders=False)
        self.player.step = self.player.n_steps      # everything computed: values and partials
        self._update_sliders(graph)
        self._show_derivatives()
        self.children = [self.text, self.error_box, self.inputs_box, mode_row,
                         self.derivative_table, self.player]

    def _mode_controls(self, graph):
        """The mode switch and, for forward mode, the input to seed at."""
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
        return widgets.HBox([widgets.Label("propagation:"), self.mode_buttons, self.wrt_choice],
                            layout=widgets.Layout(align_items="center"))

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
        return {x: plain(g.derivative(g.output, x)) for x in g.inputs}

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
        d = ", ".join(f"∂{self._graph.output}/∂{x} = {value_text(v)}"
                      for x, v in self.derivatives.items())
        return f"<ExpressionExplorer {sentences.graph_label(self._graph)}: {d} ({state})>"

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
        # The inputs the text reads (ExpressionError on bad text, shown in the widget).
        return trace(source, **self._values_for(mentioned_names(source)))

    def _on_text(self, change):
        if not self._hold:
            self._set_source(change["new"])

    def _set_source(self, text):
        try:
            self._set_graph(self._trace(check_length(text)), step_to_end=True)
        except Exception as e:       # shown in the widget, never lost in a callback
            self._show_error(e, on_input=False)
            return
        self._error, self._input_error = None, False
        self.error_box.value = ""
        self._source = text

    def _show_error(self, e, on_input):
        self._error, self._input_error = failure_text(e), on_input
        self.error_box.value = error_html(self._error)

    def _set_graph(self, graph, step_to_end=False):
        self.player.graph = graph   # drawn first: if Graphviz cannot, nothing here has changed
        self._graph = graph
        self._update_sliders(graph)
        self._hold = True
        try:
            if list(self.wrt_choice.options) != graph.inputs:
                self.wrt_choice.options = graph.inputs
                self.wrt_choice.value = graph.inputs[0]
        finally:
            self._hold = False
        if self.player.mode == "forward" and self.player.wrt != self.wrt_choice.value:
            self.player.wrt = self.wrt_choice.value
        if step_to_end:
            self.player.step = self.player.n_steps
        self._show_derivatives()

    def _update_sliders(self, graph):
        """A slider per scalar input, kept with its value while the expression mentions it."""
        values = {name: graph.value(name) for name in graph.inputs
                  if name not in self._given or is_scalar(self._given[name])}
        self.sliders = sync_sliders(self.sliders, values, self._on_input, reuse=True)
        self._hold = True
        try:   # 'x = 3' in new text: the slider shows the text's value
            for name in graph.text_inputs:
                if name in self.sliders and self.sliders[name].value != float(values[name]):
                    self.sliders[name].value = float(values[name])
        finally:
            self._hold = False
        self.inputs_box.children = list(self.sliders.values())

    def _on_input(self, change):
        if self._hold:
            return
        try:   # through Graph.at, so that a slider of an 'x = 3' input changes x
            self._set_graph(self._graph.at(**{n: s.value for n, s in self.sliders.items()}))
        except Exception as e:       # shown in the widget, never lost in a callback
            self._show_error(e, on_input=True)
            return
        if self._input_error:           # values that failed before work now
            self._error, self._input_error, self.error_box.value = None, False, ""

    def _on_mode(self, change):
        mode = change["new"]
        self.wrt_choice.layout.display = "" if mode == "forward" else "none"
        try:
            if mode == "forward":
                self.player.set_mode(mode, wrt=self.wrt_choice.value)
            else:
                self.player.mode = mode
        except Exception as e:       # shown in the widget, never lost in a callback
            self._show_error(e, on_input=True)

    def _on_wrt(self, change):
        if not self._hold and self.player.mode == "forward" and change["new"] is not None:
            try:
                self.player.wrt = change["new"]
            except Exception as e:
                self._show_error(e, on_input=True)

    def _show_derivatives(self):
        g, out = self._graph, self._graph.output
        colour = MODE_COLOUR["reverse"]
        rows = [Row([f"<b>{escape(x)}</b>", escape(value_text(g.value(x))),
                     f'<b style="color:{colour}">∂{escape(out)}/∂{escape(x)} = '
                     f'{escape(value_text(d))}</b>', str(g.count_paths(x, out))],
                    "tg-derivative", node=x)
                for x, d in self.derivatives.items()]
        self.derivative_table.value = table_html(
            "tg-derivatives", ["input", "value", f"∂{out}/∂input", "paths"], rows,
            style=";margin:4px 0")
