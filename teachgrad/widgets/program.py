"""ProgramExplorer: the picture of a TensorFlow-1 program, its name scopes opened and closed one at
a time, as TensorBoard lets a student do — in a notebook."""

import ipywidgets as widgets

from .. import render
from ..teaching.graph import Graph, trace
from ..teaching.notation import escape
from .controls import button
from .html import INK, MUTED, error_html, note_html, picture_html

__all__ = ["ProgramExplorer"]


class ProgramExplorer(widgets.VBox):
    """A program's graph with a button per name scope: a scope drawn as one box opens into its
    cluster, an open scope closes into its box. Big scopes start closed (more than 15 ops, or
    those in ``collapse``); "open all" and "close all" do every scope at once.

    ``program`` is a program graph (``tg.trace(fetches, …)``) or the fetches themselves (then
    ``feed_dict`` and ``session`` give the values, as for :func:`teachgrad.trace`).

    >>> import teachgrad as tg
    >>> with tg.Graph().as_default():
    ...     x = tg.placeholder(tg.float32, shape=(None, 2), name="x")
    ...     with tg.name_scope("model"):
    ...         y = tg.reduce_sum(x * 2.0)
    ...     explorer = ProgramExplorer(y, collapse=["model"])
    >>> explorer.collapsed
    ('model',)
    >>> explorer.expand("model")
    >>> explorer.collapsed, explorer.svg.count('class="cluster')
    ((), 1)
    """

    def __init__(self, program, feed_dict=None, session=None, collapse=None):
        super().__init__(layout=widgets.Layout(width="100%"))
        self.add_class("tg-program-explorer")   # a stable hook for browser tests and styling
        if not isinstance(program, Graph):
            program = trace(program, feed_dict=feed_dict, session=session)
        elif feed_dict is not None or session is not None:
            raise TypeError("ProgramExplorer: feed_dict and session go with fetches; this graph "
                            "is traced already")
        if program.program is None:
            raise TypeError("ProgramExplorer shows the graph of a TF-1 program: give fetches or "
                            "tg.trace(fetches, …); for traced text use PropagationPlayer")
        self._base = program.collapsed(collapse) if collapse is not None else program
        self._collapsed = self._base.program.collapse
        self._svg = ""
        self.picture = widgets.HTML(layout=widgets.Layout(min_width="0"))
        self.open_all = button("open all", "draw every op")
        self.close_all = button("close all", "draw each outermost scope as one box")
        self.open_all.on_click(lambda _: self._set(frozenset()))
        self.close_all.on_click(lambda _: self._set(self._base.program.scopes.resolve(True)))
        self.scope_box = widgets.HBox(layout=widgets.Layout(flex_flow="row wrap"))
        self.caption = widgets.HTML()
        self.buttons = {}
        self.children = [widgets.HBox([self.open_all, self.close_all]), self.scope_box,
                         self.picture, self.caption]
        self._show()

    # --- public state ---
    @property
    def graph(self):
        """The graph drawn now (its pictures with the scopes of :attr:`collapsed` as boxes)."""
        return self._base.collapsed(self._collapsed)

    @property
    def scopes(self):
        """Every name scope of the program and its number of ops."""
        return self._base.scopes

    @property
    def collapsed(self):
        """The scopes drawn as one box now, in the program's order. Settable (names, or
        ``False`` / ``True`` / ``None`` as for :meth:`teachgrad.teaching.graph.Graph.collapsed`)."""
        return tuple(s for s in self._base.program.scopes.names if s in self._collapsed)

    @collapsed.setter
    def collapsed(self, scopes):
        self._set(self._base.program.scopes.resolve(scopes))

    @property
    def svg(self):
        """The SVG shown now (a string)."""
        return self._svg

    # (not open/close: those are every widget's own, for its view in the browser)
    def expand(self, scope):
        """Draw ``scope`` as its cluster of ops (the scopes inside it keep their state)."""
        self._set(self._collapsed - self._check(scope))

    def collapse(self, scope):
        """Draw ``scope`` as one box with its op count."""
        self._set(self._collapsed | self._check(scope))

    def toggle(self, scope):
        """Open ``scope`` if it is a box, else close it."""
        (self.expand if scope in self._collapsed else self.collapse)(scope)

    def to_html(self):
        """The picture shown now as a self-contained HTML page (no kernel needed)."""
        return (f'<!DOCTYPE html>\n<html lang="en">\n<head><meta charset="utf-8"><title>'
                f"{escape(self._title())} — teachgrad</title></head>\n<body>\n"
                f"{picture_html(self._svg)}\n</body>\n</html>\n")

    def static(self):
        """An ``IPython.display.HTML`` of the picture shown now, for pages with no kernel."""
        from IPython.display import HTML
        return HTML(picture_html(self._svg))

    def __repr__(self):
        return f"<ProgramExplorer {self._title()}: {len(self._collapsed)} scopes closed>"

    # --- internals ---
    def _title(self):
        return f"program fetching {', '.join(self._base.outputs)}"

    def _check(self, scope):
        return self._base.program.scopes.resolve([scope])

    def _set(self, collapsed):
        if collapsed != self._collapsed:
            self._collapsed = frozenset(collapsed)
            self._show()

    def _scope_buttons(self):
        """A button per scope the picture shows (a box, or a cluster not inside a box); a click
        toggles it. Plain buttons, not toggles: a click is a command, never a value the kernel
        and the browser could disagree about while a picture is on its way."""
        scopes = self._base.program.scopes
        shown = [s for s in scopes.names
                 if not any(p in self._collapsed for p in scopes.path(scopes.parent[s]))]
        kept = {}
        for s in shown:
            closed = s in self._collapsed
            b = self.buttons.get(s)
            if b is None:
                b = button("", "")
                b.add_class("tg-scope-button")
                b.on_click(lambda _, s=s: self.toggle(s))
            b.description = f"{'▸' if closed else '▾'} {s} ({scopes.count[s]})"
            b.tooltip = f"{'open' if closed else 'close'} scope {s}: {scopes.count[s]} ops"
            b.button_style = "" if closed else "info"
            kept[s] = b
        self.buttons = kept
        self.scope_box.children = list(kept.values())

    def _show(self):
        self._scope_buttons()
        try:
            self._svg = render.svg(self.graph)
            self.picture.value = picture_html(self._svg)
        except render.GraphvizNotFound as e:
            self._svg = ""
            self.picture.value = error_html(str(e))
        closed = len(self._collapsed)
        text = (f"{len(self._base)} ops; {closed} scope{'s' * (closed != 1)} drawn as one box — "
                "▸ opens a scope, ▾ closes it" if closed else
                f"{len(self._base)} ops, every scope open — ▾ closes a scope")
        self.caption.value = note_html(f'<span style="color:{INK}">{escape(text)}</span>', MUTED)
