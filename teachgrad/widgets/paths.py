"""PathExplorer: the paths from one node to another, one at a time, summing to the derivative."""

import ipywidgets as widgets

from .. import render
from ..teaching.notation import bar_name, escape, value_text
from . import sentences
from .checks import check_graph, check_index, check_node, plain
from .controls import picture_and_table, prev_next, step_slider
from .html import (MODE_COLOUR, PATH, PATH_FILL, Row, error_html, note_html, picture_html, progress, table_html)

__all__ = ["PathExplorer"]


class PathExplorer(widgets.VBox):
    """Step through the paths from ``src`` to ``dst`` one at a time: each highlighted with the
    product of its edge partials, and the running sum of the products converging to the
    derivative d dst / d src. Nothing gives the sum away before it is made: a path not yet
    reached shows its nodes but not its product, the derivative is named once every path is
    added, and only then does "factor and merge" appear below — reverse mode computing the same
    sum without listing paths, each node's adjoint summing its consumers' once.

    >>> import teachgrad as tg
    >>> paths = PathExplorer(tg.trace("e = (a + b) * (b + 1)", a=2, b=1), "b", "e")
    >>> paths.n_paths, paths.running_sum, paths.merge.value
    (2, 2.0, '')
    >>> paths.index = 1
    >>> paths.running_sum, paths.derivative, "factor and merge" in paths.merge.value
    (5.0, 5.0, True)
    """

    MAX_PATHS = 1000

    def __init__(self, graph, src, dst):
        check_graph(graph)
        super().__init__(layout=widgets.Layout(width="100%"))
        self.add_class("tg-path-explorer")   # a stable hook for browser tests and styling
        n = self._count(graph, src, dst)
        self._graph, self._src, self._dst = graph, src, dst
        self._paths = graph.paths(src, dst)
        self._derivative = plain(graph.derivative(dst, src))
        self._svg = ""

        # The slider counts paths from 1, as the caption does; .index counts from 0.
        self.slider = step_slider("path", 1, 1, n,
                                  layout=widgets.Layout(display="none" if n == 1 else ""))
        self.prev_button, self.next_button = prev_next("path", self._move)
        self.picture, self.table, body = picture_and_table()
        self.caption = widgets.HTML()
        self.merge = widgets.HTML()
        self.slider.observe(lambda change: self._show(), names="value")
        controls = widgets.HBox([self.prev_button, self.next_button, self.slider],
                                layout=widgets.Layout(align_items="center"))
        self.children = [controls, body, self.caption, self.merge]
        self._show()

    @classmethod
    def _count(cls, graph, src, dst):
        """The number of paths, refusing none and more than can be stepped through."""
        check_node(graph, src, "src")
        check_node(graph, dst, "dst")
        n = graph.count_paths(src, dst)
        if n == 0:
            raise ValueError(f"no path from {src} to {dst}: {dst} does not depend on {src} "
                             f"(so d{dst}/d{src} = 0)")
        if n > cls.MAX_PATHS:
            raise ValueError(f"{n} paths from {src} to {dst}: too many to step through (at most "
                             f"{cls.MAX_PATHS}); graph.count_paths counts them, and reverse mode "
                             "sums them without listing")
        return n

    @property
    def index(self):
        """The path shown, 0 to ``n_paths - 1`` (the slider shows it plus one). Settable."""
        return self.slider.value - 1

    @index.setter
    def index(self, value):
        self.slider.value = check_index(value, self.n_paths - 1, "index") + 1

    @property
    def n_paths(self):
        return len(self._paths)

    @property
    def paths(self):
        return list(self._paths)

    @property
    def path(self):
        """The :class:`~teachgrad.teaching.graph.Path` shown."""
        return self._paths[self.index]

    @property
    def running_sum(self):
        """The sum of the products of paths 0 … ``index``."""
        return plain(sum(p.product for p in self._paths[:self.index + 1]))

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

    @property
    def summed(self):
        """True once the last path is shown: every product added, the derivative found."""
        return self.index == self.n_paths - 1

    def __repr__(self):
        # A notebook shows this text where the widget cannot be drawn: it gives nothing away.
        verdict = sentences.verdict(self.n_paths, self.index, f"d{self._dst}/d{self._src}",
                                    self._derivative)
        return (f"<PathExplorer {self._src} → {self._dst} on "
                f"{sentences.graph_label(self._graph)}: path {self.index + 1} of {self.n_paths} "
                f"({self.path.text}), running sum {value_text(self.running_sum)}; {verdict}>")

    def _move(self, delta):
        self.slider.value = min(max(self.slider.value + delta, 1), self.n_paths)

    def _show(self):
        i = self.index
        try:
            self._svg = render.svg(self._graph, path=self._paths[i])
            self.picture.value = picture_html(self._svg)
        except render.GraphvizError as e:       # no dot, or a graph it cannot draw
            self._svg = ""
            self.picture.value = error_html(str(e))
        self.table.value = self._table_html(i)
        self.prev_button.disabled = i <= 0
        self.next_button.disabled = i >= self.n_paths - 1
        products = [value_text(p.product) for p in self._paths[:i + 1]]
        sum_text = sentences.running_sum_text(products, value_text(self.running_sum))
        verdict = sentences.verdict(self.n_paths, i, f"d{self._dst}/d{self._src}",
                                    self._derivative)
        self.caption.value = note_html(
            f"<b>path {i + 1} of {self.n_paths}:</b> {escape(self._paths[i].text)}<br>"
            f"<b>running sum:</b> {escape(sum_text)} — {escape(verdict)}", PATH)
        # Factor and merge is the shortcut to the sum: shown once the sum is made by hand.
        self.merge.value = self._merge_html() if self.summed else ""

    def _table_html(self, i):
        """A row per path: its nodes, and — up to path ``i`` — its product and the running sum
        (a path not yet reached shows "?": the student works it out before stepping on)."""
        rows, running = [], 0
        for j, p in enumerate(self._paths):
            running = running + p.product
            factors = "·".join(value_text(f) for f in p.factors)
            reached = j <= i
            cells = [str(j + 1), escape(" → ".join(p.nodes)),
                     escape(f"{factors} = {value_text(p.product)}") if reached else "?",
                     escape(value_text(running)) if reached else "?"]
            cls, style = progress(j, i, PATH_FILL, PATH)
            rows.append(Row(cells, cls, style=style))
        return table_html("tg-paths", ["#", "path", "product", "running sum"], rows, rule=PATH)

    def _merge_html(self):
        """Factor and merge: the adjoint of every node between src and dst, from dst back."""
        dst = self._dst
        on_paths = {name for path in self._paths for name in path.nodes}
        items = [f'<li class="tg-adjoint" data-node="{escape(s.node)}">{escape(s.text)}</li>'
                 for s in self._graph.reverse_mode(dst) if s.node in on_paths]
        return note_html(
            f"<b>factor and merge</b> — reverse mode from {escape(dst)} sums the same paths "
            f"without listing them: each node's adjoint {escape(bar_name('v'))} = "
            f"d{escape(dst)}/dv is the sum over its consumers, computed once and shared by every "
            f'path through it:<ul style="margin:2px 0 2px 1.2em;padding:0">{"".join(items)}</ul>',
            MODE_COLOUR["reverse"])
