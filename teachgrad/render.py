"""Pictures of a traced graph, drawn by Graphviz: static, one step of a propagation, or an animation.

Every picture is laid out left to right like the figures in colah's "Calculus on Computational
Graphs": a node shows its formula and value, an edge its local partial (``∂e/∂c = d = 2``). A step
of a propagation highlights the node being computed and the edges it reads, shows the tangents
(forward mode) or adjoints (reverse mode) found so far in the mode's colour, and prints the step's
arithmetic under the graph.

The pictures read in light and dark JupyterLab themes alike: the background is transparent, but
every text sits on a filled shape (nodes, edge-label boxes, the caption) in dark ink, and edges
are drawn in mid tones that show on white and on black.

Output is deterministic — the same graph at the same step gives byte-identical SVG — because
nodes and edges are emitted in the graph's own order and Graphviz's version comment is removed.
The steps of a propagation are all drawn at the positions of one layout (of its last step), so
an animation does not jump about; ``frames`` draws every step with one more Graphviz process and
caches the result, so a player moving between steps only swaps strings.

This module imports ``graphviz``; ``import teachgrad`` loads it only on first use.
"""

import hashlib
import json
import re
import weakref
from collections.abc import Sequence
from pathlib import Path as _FilePath

import graphviz
import numpy as np

from .graph import Path
from .notation import MODES, bar_name as _bar, derivative_name as _derivative_name, dot_name as _dot
from .notation import escape as _esc, fmt as _fmt, number as _number, value_text as _value_text

__all__ = ["to_dot", "svg", "mimebundle", "frames", "animation_html", "write",
           "GraphvizNotFound", "INSTALL_HELP", "SUFFIXES", "clear_cache"]

SUFFIXES = (".svg", ".png", ".pdf", ".html")

INSTALL_HELP = ("Graphviz's `dot` program was not found, and teachgrad needs it to draw graphs. "
                "Install it with `sudo apt-get install graphviz` (Debian/Ubuntu), "
                "`brew install graphviz` (macOS) or from https://graphviz.org/download/ "
                "(Windows, conda: `conda install -c conda-forge graphviz`), "
                "then restart Python or the Jupyter kernel.")


class GraphvizNotFound(graphviz.ExecutableNotFound):
    """Graphviz's ``dot`` program is missing; the message says how to install it.

    A :exc:`RuntimeError` (and a ``graphviz.ExecutableNotFound``), raised without the chain of
    subprocess errors behind it.

    >>> issubclass(GraphvizNotFound, RuntimeError)
    True
    >>> "apt-get install graphviz" in str(GraphvizNotFound())
    True
    """

    def __init__(self, message=INSTALL_HELP):
        RuntimeError.__init__(self, message)


# ------------------------------------------------------------------------------------------------
# Colours. Ink is dark and always sits on a light fill; lines are mid tones for both themes.
# ------------------------------------------------------------------------------------------------

FONT = "Helvetica"
INK = "#1f2933"            # every text
MUTED = "#7b8794"          # "?" for a value not computed yet
LINE = "#8a94a6"           # edges and arrowheads
BORDER = "#52606d"         # node borders
NODE_FILL = "#ffffff"
INPUT_FILL = "#e3eefc"     # inputs: a pale blue, as colah draws the variables
LABEL_FILL = "#ffffff"     # the box behind each edge label
CURRENT = "#e8590c"        # the step being computed: its node border and the edges it reads
CURRENT_FILL = "#ffe8a3"
PATH = "#7048e8"           # a highlighted path
PATH_FILL = "#efe9ff"
FADED = "#b7bfcb"          # edges off the highlighted path
MODE_COLOUR = {"values": "#2b8a3e", "forward": "#1864ab", "reverse": "#c2255c"}


# ------------------------------------------------------------------------------------------------
# Text
# ------------------------------------------------------------------------------------------------

# ------------------------------------------------------------------------------------------------
# What one picture shows
# ------------------------------------------------------------------------------------------------

class _View:
    """The state of one picture: which steps are done, which one is current, what is highlighted."""

    def __init__(self, graph, mode, steps, step, path, max_nodes):
        self.mode = mode
        self.steps = steps
        self.n = len(steps) if steps is not None else 0
        self.k = self.n if step is None else step
        self.compact = len(graph) > max_nodes
        self.max_nodes = max_nodes
        done = steps[:self.k] if steps is not None else []
        self.current = done[-1] if done else None
        self.done = {s.node: s for s in done}
        self.reads = set(self.current.reads) if self.current is not None else set()
        self.used = {e for s in done[:-1] for e in s.reads}
        self.path = path
        self.path_nodes = set(path.nodes) if path is not None else set()
        self.path_edges = set(path.edges) if path is not None else set()
        seed = [s.node for s in steps if s.kind == "seed"] if steps is not None else []
        self.seed = seed[0] if seed else None


def _steps_for(graph, mode, wrt, of):
    if mode is None:
        if wrt is not None or of is not None:
            raise ValueError("wrt/of choose where a propagation starts: give mode='forward' or "
                             "mode='reverse' too")
        return None
    if mode not in MODES:
        raise ValueError(f"mode {mode!r} not understood: expected None (a static picture), "
                         "'values', 'forward' or 'reverse'")
    return graph.steps(mode, wrt=wrt, of=of)


def _path_for(graph, path):
    if path is None:
        return None
    if isinstance(path, Path):
        names = list(path.nodes)
    elif isinstance(path, str):
        raise TypeError("path: give a Path (from graph.paths) or a list of node names, "
                        "not a string")
    else:
        names = list(path)
    if len(names) < 2:
        raise ValueError(f"path {names!r}: a path needs at least two nodes")
    factors = [graph.edge(s, d).value for s, d in zip(names, names[1:])]   # KeyError if no edge
    return path if isinstance(path, Path) else Path(names, factors)


def _check_step(step, n):
    if step is None:
        return
    if isinstance(step, bool) or not isinstance(step, (int, np.integer)):
        raise TypeError(f"step must be an int from 0 to {n}, got {step!r}")
    if not 0 <= step <= n:
        raise ValueError(f"step {step} is out of range: this propagation has {n} steps, so "
                         f"step is 0 (nothing done yet) to {n} (all done)")


# ------------------------------------------------------------------------------------------------
# DOT
# ------------------------------------------------------------------------------------------------

def _node_label(graph, node, view):
    """An HTML-like label: the formula, the value, and the tangent or adjoint when known."""
    name_html = f"<B>{_esc(node.name)}</B>"
    # A no-break space: SVG viewers drop an ordinary space that starts a text run.
    formula = name_html if node.is_input else f"{name_html}&#160;= {_esc(node.expr)}"
    rows = [f"<TR><TD>{formula}</TD></TR>"]
    if view.mode == "values" and node.name not in view.done:
        value = f'<FONT COLOR="{MUTED}">= ?</FONT>'
    else:
        value = f"= {_esc(_value_text(node.value))}"
    rows.append(f'<TR><TD><FONT POINT-SIZE="15"><B>{value}</B></FONT></TD></TR>')
    if view.mode in ("forward", "reverse"):
        d_name = _derivative_name(view.mode, node.name)
        step = view.done.get(node.name)
        if step is None:
            text = f'<FONT COLOR="{MUTED}">{_esc(d_name)} = ?</FONT>'
        else:
            text = (f'<FONT COLOR="{MODE_COLOUR[view.mode]}"><B>{_esc(d_name)} = '
                    f'{_esc(_value_text(step.value))}</B></FONT>')
        rows.append(f"<TR><TD>{text}</TD></TR>")
    return ('<<TABLE BORDER="0" CELLBORDER="0" CELLSPACING="0" CELLPADDING="1">'
            + "".join(rows) + "</TABLE>>")


def _node_attrs(node, view):
    classes = ["tg-input" if node.is_input else "tg-op"]
    fill = INPUT_FILL if node.is_input else NODE_FILL
    colour, width = BORDER, "1.2"
    style = "rounded,filled"
    if view.mode == "values" and node.name not in view.done:
        style = "rounded,filled,dashed"
        classes.append("tg-pending")
    if node.name in view.path_nodes:
        fill, colour, width = PATH_FILL, PATH, "2.5"
        classes.append("tg-path")
    if node.name in view.done:
        if view.current is not None and node.name == view.current.node:
            fill, colour, width = CURRENT_FILL, CURRENT, "3"
            classes.append("tg-current")
        else:
            colour, width = MODE_COLOUR[view.mode], "2.2"
            classes.append("tg-done")
    if node.name == view.seed:
        classes.append("tg-seed")
    return {"fillcolor": fill, "color": colour, "penwidth": width, "style": style,
            "class": " ".join(classes)}


def _edge_attrs(edge, view):
    key = (edge.src, edge.dst)
    colour, width, classes = LINE, "1.4", []
    box = ""
    if view.path is not None:
        if key in view.path_edges:
            colour, width, box = PATH, "3", PATH
            classes.append("tg-path")
        else:
            colour = FADED
    if key in view.used:
        colour, width = MODE_COLOUR[view.mode], "2"
        classes.append("tg-used")
    if key in view.reads:
        colour, width, box = CURRENT, "3", CURRENT
        classes.append("tg-read")
    attrs = {"color": colour, "penwidth": width}
    if classes:
        attrs["class"] = " ".join(classes)
    if not view.compact:
        border = f' BORDER="1" COLOR="{box}"' if box else ' BORDER="0"'
        attrs["label"] = (f'<<TABLE{border} CELLBORDER="0" CELLSPACING="0" CELLPADDING="2" '
                          f'BGCOLOR="{LABEL_FILL}"><TR><TD>{_esc(_edge_text(edge, view))}'
                          "</TD></TR></TABLE>>")
    return attrs


def _edge_text(edge, view):
    """The edge's label; while values flow, a partial that needs values not yet computed is "?"."""
    label = edge.label
    if view.mode == "values" and edge.dst not in view.done:
        lhs, _, rest = label.partition(" = ")
        if " = " in rest:                       # "∂e/∂c = d = 2": the number depends on values
            label = f"{lhs} = {rest.rpartition(' = ')[0]} = ?"
    return label


def _caption(graph, view):
    """Lines under the graph: the mode, the step's arithmetic, a path's product, a note."""
    lines = []   # (text, colour, bold)
    if view.steps is not None:
        colour = MODE_COLOUR[view.mode]
        if view.mode == "values":
            lines.append(("values flow forward, one node at a time", colour, True))
        elif view.mode == "forward":
            lines.append((f"forward mode: tangents {_dot('v')} = dv/d{view.seed} for each node v, "
                          "from the inputs on", colour, True))
        else:
            lines.append((f"reverse mode: adjoints {_bar('v')} = d{view.seed}/dv for each node v, "
                          "from the output back", colour, True))
        if view.current is None:
            lines.append((f"step 0 of {view.n}: nothing computed yet", INK, False))
        else:
            lines.append((f"step {view.k} of {view.n}:  {view.current.text}", INK, True))
    if view.path is not None:
        lines.append((f"path {view.path.text}", PATH, True))
    if view.compact:
        lines.append((f"{len(graph)} nodes (more than max_nodes={view.max_nodes}): edge labels "
                      f"and formulas hidden; pass max_nodes={len(graph)} to show them",
                      INK, False))
    if not lines:
        return None
    rows = []
    for text, colour, bold in lines:
        body = f"<B>{_esc(text)}</B>" if bold else _esc(text)
        rows.append(f'<TR><TD ALIGN="LEFT"><FONT COLOR="{colour}">{body}</FONT></TD></TR>')
    border = MODE_COLOUR.get(view.mode, BORDER)
    return (f'<<TABLE BORDER="1" COLOR="{border}" CELLBORDER="0" CELLSPACING="0" '
            f'CELLPADDING="3" BGCOLOR="{LABEL_FILL}">' + "".join(rows) + "</TABLE>>")


LR_MAX_RANKS = 6


def _draw(graph, view, layout=None):
    """The Digraph of one view; with ``layout`` (from :func:`_layout`) every position is fixed,
    for ``neato -n2`` to draw without laying out again."""
    dot = graphviz.Digraph("teachgrad")
    # Left to right like colah's figures; a long chain would run off the page, so it goes down.
    rankdir = "TB" if graph.depth > LR_MAX_RANKS and not view.compact else "LR"
    dot.attr("graph", rankdir=rankdir, bgcolor="transparent", fontname=FONT, fontcolor=INK,
             fontsize="13", nodesep="0.3", ranksep="0.5" if view.compact else "0.9",
             pad="0.15", labelloc="b", labeljust="l")
    dot.attr("node", shape="box", fontname=FONT, fontcolor=INK, fontsize="10" if view.compact
             else "13", margin="0.05,0.03" if view.compact else "0.14,0.06",
             height="0.25" if view.compact else "0.5", width="0.3" if view.compact else "0.75")
    dot.attr("edge", fontname=FONT, fontcolor=INK, fontsize="12", arrowsize="0.5" if view.compact
             else "0.8")
    caption = _caption(graph, view)
    if caption is not None:
        dot.attr("graph", label=caption)
    if layout is not None:
        dot.attr("graph", bb=layout["bb"])
    for name in graph.nodes:
        node = graph.node(name)
        attrs = _node_attrs(node, view)
        if view.compact:
            shown = "?" if view.mode == "values" and name not in view.done else _fmt(node.value)
            label = f"{name} = {shown}"
        else:
            label = _node_label(graph, node, view)
        if layout is not None:
            pos, width, height = layout["nodes"][name]
            attrs.update(pos=pos, width=width, height=height, fixedsize="true")
        dot.node(name, label=label, **attrs)
    for edge in graph.edges:
        attrs = _edge_attrs(edge, view)
        if layout is not None:
            pos, label_pos = layout["edges"][(edge.src, edge.dst)]
            attrs["pos"] = pos
            if label_pos is not None and "label" in attrs:
                attrs["lp"] = label_pos
        dot.edge(edge.src, edge.dst, **attrs)
    return dot


def _layout(graph, mode, steps, path, max_nodes):
    """Positions for every frame of a propagation, from one ``dot`` layout of its last frame
    (the one with every value and derivative written in, so every later label fits). Frames
    drawn at these positions do not jump about as the steps advance."""
    final = _draw(graph, _View(graph, mode, steps, len(steps), path, max_nodes))
    data = json.loads(_run_dot(final.source, "json"))
    objects = data.get("objects", [])
    names = {o["_gvid"]: o["name"] for o in objects}
    return {"bb": data["bb"],
            "nodes": {o["name"]: (o["pos"], o["width"], o["height"]) for o in objects},
            "edges": {(names[e["tail"]], names[e["head"]]): (e["pos"], e.get("lp"))
                      for e in data.get("edges", [])}}


def to_dot(graph, mode=None, step=None, wrt=None, of=None, path=None, max_nodes=60):
    """The picture of ``graph`` as a ``graphviz.Digraph`` (laid out left to right).

    ``mode=None`` draws every value. ``mode`` ``"values"``, ``"forward"`` or ``"reverse"`` with
    ``step=k`` (0 … number of steps; ``None`` means all done) draws the propagation after its first
    ``k`` steps, step ``k - 1`` highlighted; ``wrt`` / ``of`` say where forward / reverse mode
    starts. ``path`` (a :class:`~teachgrad.graph.Path` or a list of node names) is highlighted.
    Above ``max_nodes`` nodes the picture is compact: no edge labels, small nodes, and a note.

    >>> import teachgrad as tg
    >>> g = tg.trace("e = (a + b) * (b + 1)", a=2, b=1)
    >>> dot = to_dot(g, mode="reverse", step=2)
    >>> dot.name, "rankdir=LR" in dot.source
    ('teachgrad', True)
    >>> "c̄ = 2" in dot.source and "step 2 of 5" in dot.source
    True
    """
    steps = _steps_for(graph, mode, wrt, of)
    if steps is not None:
        _check_step(step, len(steps))
    elif step is not None:
        raise ValueError("step needs a mode: 'values', 'forward' or 'reverse'")
    return _draw(graph, _View(graph, mode, steps, step, _path_for(graph, path), max_nodes))


# ------------------------------------------------------------------------------------------------
# Running dot
# ------------------------------------------------------------------------------------------------

_VERSION_COMMENT = re.compile(r"<!-- Generated by graphviz version [^>]*-->\n")
_PAGE_ID = re.compile(r'id="page\d+,\d+_graph0"')   # what dot names graph 2, 3, … of one input
_DOCUMENT_START = re.compile(r"(?=<\?xml )")


def _clean_svg(text):
    text = _VERSION_COMMENT.sub("", text, count=1)
    return _PAGE_ID.sub('id="graph0"', text, count=1)


def _run_dot(source, fmt="svg", pinned=False):
    """Run Graphviz once on ``source``: text for svg/json, bytes otherwise. ``pinned`` draws at
    the positions given in the source (``neato -n2``) instead of laying out with ``dot``."""
    engine, no_op = ("neato", 2) if pinned else ("dot", None)
    try:
        if fmt in ("svg", "json"):
            return graphviz.pipe_string(engine, fmt, source, encoding="utf-8",
                                        neato_no_op=no_op)
        return graphviz.pipe(engine, fmt, source.encode("utf-8"), neato_no_op=no_op)
    except graphviz.ExecutableNotFound:
        raise GraphvizNotFound() from None


# Rendered pictures per graph, keyed by the options; weak keys, so a graph dropped by its owner
# (a slider re-evaluates a new one at every move) takes its pictures with it.
_cache = weakref.WeakKeyDictionary()


def clear_cache():
    """Forget every rendered picture (they are cached per graph and options).

    >>> clear_cache()
    """
    _cache.clear()


def _path_key(path):
    if path is None or isinstance(path, str):
        return path
    return tuple(path.nodes) if isinstance(path, Path) else tuple(path)


class _Propagation:
    """One propagation of one graph, drawn: its steps, the shared layout, the frames so far."""

    def __init__(self, graph, mode, wrt, of, path, max_nodes):
        if mode not in MODES:
            raise ValueError(f"mode {mode!r} not understood: expected 'values', 'forward' or "
                             "'reverse'")
        self.graph, self.mode, self.max_nodes = graph, mode, max_nodes
        self.steps = _steps_for(graph, mode, wrt, of)
        self.path = _path_for(graph, path)
        self.n = len(self.steps)
        self.compact = len(graph) > max_nodes
        self._layout = None
        self.all = None        # every frame, once rendered together
        self.some = {}         # single frames, rendered one at a time

    def source(self, k):
        if self._layout is None:
            self._layout = _layout(self.graph, self.mode, self.steps, self.path, self.max_nodes)
        view = _View(self.graph, self.mode, self.steps, k, self.path, self.max_nodes)
        return _draw(self.graph, view, self._layout).source

    def frames(self):
        if self.all is None:
            sources = [self.source(k) for k in range(self.n + 1)]
            output = _run_dot("".join(sources), pinned=True)
            documents = [d for d in _DOCUMENT_START.split(output) if d.strip()]
            if len(documents) != len(sources):
                raise RuntimeError(f"Graphviz returned {len(documents)} SVG documents for "
                                   f"{len(sources)} graphs")
            self.all = [_clean_svg(d) for d in documents]
        return self.all

    def frame(self, k):
        if self.all is not None:
            return self.all[k]
        if k not in self.some:   # one frame asked for before (or instead of) all of them
            self.some[k] = _clean_svg(_run_dot(self.source(k), pinned=True))
        return self.some[k]


def _propagation(graph, mode, wrt, of, path, max_nodes):
    per_graph = _cache.setdefault(graph, {})
    key = ("propagation", mode, wrt, of, _path_key(path), max_nodes)
    if key not in per_graph:
        per_graph[key] = _Propagation(graph, mode, wrt, of, path, max_nodes)
    return per_graph[key]


def svg(graph, mode=None, step=None, wrt=None, of=None, path=None, max_nodes=60):
    """The picture as SVG text (see :func:`to_dot` for the options), without Graphviz's version
    comment, so equal graphs give equal bytes. Raises :class:`GraphvizNotFound` without ``dot``.

    A step of a propagation is drawn at the positions of the propagation's last step, so the
    pictures of successive steps line up; it is the same text as ``frames(...)[step]``.

    >>> import teachgrad as tg
    >>> g = tg.trace("e = (a + b) * (b + 1)", a=2, b=1)
    >>> text = svg(g)
    >>> text.count('class="node'), text.count('class="edge')
    (5, 5)
    >>> "∂e/∂c = d = 2" in text, "Generated by graphviz" in text
    (True, False)
    """
    if mode is None:
        per_graph = _cache.setdefault(graph, {})
        key = ("static", step, wrt, of, _path_key(path), max_nodes)
        if key not in per_graph:
            dot = to_dot(graph, step=step, wrt=wrt, of=of, path=path, max_nodes=max_nodes)
            per_graph[key] = _clean_svg(_run_dot(dot.source))
        return per_graph[key]
    propagation = _propagation(graph, mode, wrt, of, path, max_nodes)
    _check_step(step, propagation.n)
    return propagation.frame(propagation.n if step is None else int(step))


def frames(graph, mode, wrt=None, of=None, path=None, max_nodes=60):
    """The SVG of every step of a propagation: ``frames[k]`` is :func:`svg` at ``step=k``, for
    ``k`` from 0 (nothing done) to the number of steps (all done).

    One ``dot`` call lays out the graph and one more draws every frame at those positions
    (several graphs in one input); the result is cached per graph and options, so moving between
    steps costs a list lookup. Above ``max_nodes`` nodes, where every frame is big and there are
    as many frames as nodes, the result is a read-only sequence that draws each frame when it is
    first indexed.

    >>> import teachgrad as tg
    >>> g = tg.trace("e = (a + b) * (b + 1)", a=2, b=1)
    >>> pictures = frames(g, "forward", wrt="b")
    >>> len(pictures), pictures[3] == svg(g, mode="forward", wrt="b", step=3)
    (6, True)
    """
    propagation = _propagation(graph, mode, wrt, of, path, max_nodes)
    if propagation.compact and propagation.all is None:
        return _LazyFrames(propagation)
    return list(propagation.frames())


class _LazyFrames(Sequence):
    """The frames of a big graph, each drawn on first use."""

    def __init__(self, propagation):
        self._propagation = propagation

    def __len__(self):
        return self._propagation.n + 1

    def __getitem__(self, k):
        if isinstance(k, slice):
            return [self[i] for i in range(*k.indices(len(self)))]
        if k < 0:
            k += len(self)
        if not 0 <= k < len(self):
            raise IndexError(f"frame {k} out of range: there are {len(self)} frames")
        return self._propagation.frame(k)

    def __repr__(self):
        return f"<{len(self)} frames, drawn when used>"


def mimebundle(graph):
    """What Jupyter shows for a graph: its SVG, or — without Graphviz — how to install it.

    >>> import teachgrad as tg
    >>> bundle = mimebundle(tg.trace("e = (a + b) * (b + 1)", a=2, b=1))
    >>> sorted(bundle)
    ['image/svg+xml', 'text/plain']
    """
    try:
        return {"image/svg+xml": svg(graph), "text/plain": repr(graph)}
    except GraphvizNotFound as e:
        message = str(e)
        return {"text/plain": f"{graph!r}\n{message}",
                "text/html": (f"<pre>{_esc(repr(graph))}</pre><p><b>No picture:</b> "
                              f"{_esc(message)}</p>")}


# ------------------------------------------------------------------------------------------------
# The HTML animation: every frame inline, a few lines of JavaScript, no network, no kernel
# ------------------------------------------------------------------------------------------------

_CSS = """
.tg-animation { font-family: Helvetica, Arial, sans-serif; color: #1f2933; background: #f8fafc;
  border: 1px solid #c8d0da; border-radius: 8px; padding: 10px 12px; display: inline-block;
  max-width: 100%; box-sizing: border-box; }
.tg-animation .tg-title { font-weight: bold; margin: 0 0 6px 0; }
.tg-animation .tg-controls { display: flex; flex-wrap: wrap; align-items: center; gap: 6px;
  margin-bottom: 6px; }
.tg-animation button, .tg-animation select { font: inherit; color: #1f2933; background: #ffffff;
  border: 1px solid #8a94a6; border-radius: 4px; padding: 2px 10px; cursor: pointer; }
.tg-animation button:hover { background: #eef2f7; }
.tg-animation .tg-slider { flex: 1 1 160px; min-width: 120px; }
.tg-animation .tg-counter { font-variant-numeric: tabular-nums; min-width: 6em; }
.tg-animation .tg-step-text { font-family: "DejaVu Sans", Helvetica, Arial, sans-serif;
  background: #ffffff; border-left: 4px solid #8a94a6; padding: 4px 8px; margin-bottom: 6px;
  min-height: 1.3em; }
.tg-animation .tg-frame svg { max-width: 100%; height: auto; }
"""

_JS = """
(function () {
  var root = document.getElementById(%(id)s);
  var texts = %(texts)s;
  var frames = root.querySelectorAll(".tg-frame");
  var slider = root.querySelector(".tg-slider");
  var play = root.querySelector(".tg-play");
  var text = root.querySelector(".tg-step-text");
  var counter = root.querySelector(".tg-counter");
  var speed = root.querySelector(".tg-speed");
  var last = frames.length - 1, current = -1, timer = null;
  function show(k) {
    k = Math.max(0, Math.min(last, k));
    for (var i = 0; i < frames.length; i++) { frames[i].style.display = i === k ? "" : "none"; }
    current = k;
    root.setAttribute("data-step", String(k));
    slider.value = String(k);
    text.textContent = texts[k];
    counter.textContent = "step " + k + " / " + last;
  }
  function stop() {
    if (timer !== null) { clearInterval(timer); timer = null; }
    play.textContent = "\\u25B6 Play";
    root.setAttribute("data-playing", "false");
  }
  function tick() { if (current >= last) { stop(); } else { show(current + 1); } }
  function start() {
    if (current >= last) { show(0); }
    stop();
    timer = setInterval(tick, 1000 / parseFloat(speed.value));
    play.textContent = "\\u2016 Pause";
    root.setAttribute("data-playing", "true");
  }
  play.addEventListener("click", function () { if (timer === null) { start(); } else { stop(); } });
  function on(cls, go) {
    root.querySelector(cls).addEventListener("click", function () { stop(); show(go()); });
  }
  on(".tg-prev", function () { return current - 1; });
  on(".tg-next", function () { return current + 1; });
  on(".tg-first", function () { return 0; });
  on(".tg-last", function () { return last; });
  slider.addEventListener("input", function () { stop(); show(parseInt(slider.value, 10)); });
  speed.addEventListener("change", function () { if (timer !== null) { start(); } });
  root.addEventListener("keydown", function (event) {
    if (event.target === slider) { return; }
    if (event.key === "ArrowRight") { stop(); show(current + 1); event.preventDefault(); }
    if (event.key === "ArrowLeft") { stop(); show(current - 1); event.preventDefault(); }
    if (event.key === " ") { play.click(); event.preventDefault(); }
  });
  show(%(start)d);
})();
"""

# An animation holds one picture per step, and a graph has about one step per node: past this
# many nodes × pictures the file would run to tens of megabytes.
MAX_ANIMATION_SIZE = 20_000

_SVG_PROLOG = re.compile(r"\A.*?(?=<svg\b)", re.S)
_SVG_ID = re.compile(r'\bid="([^"]*)"')


def _inline_svg(text, prefix):
    """An SVG document ready to sit inside HTML: no XML prolog, ids made unique per frame."""
    body = _SVG_PROLOG.sub("", text, count=1)
    return _SVG_ID.sub(lambda m: f'id="{prefix}-{m.group(1)}"', body)


def _step_texts(steps):
    texts = [f"step 0 of {len(steps)}: nothing computed yet"]
    texts += [f"step {s.index + 1} of {len(steps)}:  {s.text}" for s in steps]
    return texts


def _json_for_script(value):
    # "</" would end the <script> element early; JSON allows escaping "/" as "\/".
    return json.dumps(value, ensure_ascii=False).replace("</", "<\\/")


def animation_html(graph, mode="values", wrt=None, of=None, standalone=True, title=None,
                   step=0):
    """A self-contained HTML animation of every step of a propagation: Play/Pause, previous and
    next, first and last, a slider, a speed control and the step's arithmetic. Every frame is an
    inline SVG and the script is inline: it needs no network and no kernel.

    ``standalone=False`` gives a ``<div>`` and ``<script>`` to show inline in a notebook; its ids
    come from a hash of the content, so they are unique per animation yet the same on every run.
    Elements for scripts and browser tests: ``.tg-play``, ``.tg-prev``, ``.tg-next``,
    ``.tg-first``, ``.tg-last``, ``.tg-slider``, ``.tg-speed``, ``.tg-frame`` (one per step),
    ``.tg-step-text``, and the current step in the root's ``data-step`` attribute.

    >>> import teachgrad as tg
    >>> g = tg.trace("e = (a + b) * (b + 1)", a=2, b=1)
    >>> page = animation_html(g, "reverse")
    >>> page.startswith("<!DOCTYPE html>"), page.count('class="tg-frame"')
    (True, 6)
    >>> animation_html(g, "reverse", standalone=False).startswith('<div class="tg-animation"')
    True
    """
    propagation = _propagation(graph, mode, wrt, of, None, 60)
    if len(graph) * (propagation.n + 1) > MAX_ANIMATION_SIZE:
        raise ValueError(f"{len(graph)} nodes and {propagation.n} steps are too many for an HTML "
                         f"animation (it would hold {propagation.n + 1} pictures of "
                         f"{len(graph)} nodes); write single steps instead (.svg with a step) "
                         "or animate a smaller graph")
    _check_step(step, propagation.n)
    pictures = list(propagation.frames())
    texts = _step_texts(propagation.steps)
    step = int(step)
    digest = hashlib.sha1("\x00".join([mode, *texts, *pictures]).encode("utf-8")).hexdigest()
    uid = f"tg-anim-{digest[:12]}"
    if title is None:
        title = {"values": "Values flowing forward", "forward": "Forward-mode differentiation",
                 "reverse": "Reverse-mode differentiation"}[mode]
    last = len(pictures) - 1
    hidden = ' style="display:none"'
    frame_html = "\n".join(
        f'<div class="tg-frame" data-index="{k}"{"" if k == step else hidden}>'
        f"{_inline_svg(p, f'{uid}-f{k}')}</div>"
        for k, p in enumerate(pictures))
    fragment = f"""<div class="tg-animation" id="{uid}" data-step="{step}" data-n-steps="{last}" \
data-mode="{_esc(mode)}" data-playing="false" tabindex="0">
<style>{_scoped_css(uid)}</style>
<div class="tg-title">{_esc(title)}</div>
<div class="tg-controls">
<button type="button" class="tg-first" title="first step">&#xAB; First</button>
<button type="button" class="tg-prev" title="previous step (←)">&#x25C0; Prev</button>
<button type="button" class="tg-play" title="play / pause (space)">&#x25B6; Play</button>
<button type="button" class="tg-next" title="next step (→)">Next &#x25B6;</button>
<button type="button" class="tg-last" title="last step">Last &#xBB;</button>
<input type="range" class="tg-slider" min="0" max="{last}" step="1" value="{step}" \
aria-label="step">
<span class="tg-counter">step {step} / {last}</span>
<label>speed <select class="tg-speed" aria-label="speed">
<option value="0.5">0.5 steps/s</option>
<option value="1" selected>1 step/s</option>
<option value="2">2 steps/s</option>
<option value="4">4 steps/s</option>
</select></label>
</div>
<div class="tg-step-text">{_esc(texts[step])}</div>
{frame_html}
<script>{_JS % {"id": _json_for_script(uid), "texts": _json_for_script(texts),
                "start": step}}</script>
</div>"""
    if not standalone:
        return fragment
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{_esc(title)} — teachgrad</title>
<style>body {{ margin: 16px; background: #ffffff; }}
@media (prefers-color-scheme: dark) {{ body {{ background: #1e1e1e; }} }}</style>
</head>
<body>
{fragment}
</body>
</html>
"""


def _scoped_css(uid):
    return _CSS.replace(".tg-animation", f"#{uid}.tg-animation").strip()


# ------------------------------------------------------------------------------------------------
# Files
# ------------------------------------------------------------------------------------------------

def _render_bytes(graph, suffix, mode=None, wrt=None, of=None, step=None, path=None):
    if suffix == ".html":
        return animation_html(graph, mode or "values", wrt=wrt, of=of,
                              step=0 if step is None else step).encode("utf-8")
    if suffix == ".svg":
        return svg(graph, mode=mode, step=step, wrt=wrt, of=of, path=path).encode("utf-8")
    dot = to_dot(graph, mode=mode, step=step, wrt=wrt, of=of, path=path)
    if suffix == ".png":
        dot.attr("graph", dpi="144")
    return _run_dot(dot.source, suffix[1:])


def write(graph, filename, mode=None, wrt=None, of=None, step=None, path=None):
    """Write the picture to ``filename``: ``.svg``, ``.png`` or ``.pdf`` (one picture, see
    :func:`to_dot`), or ``.html`` (the animation of every step of ``mode``, ``"values"`` by
    default, starting at ``step``). The file is written only once the picture is complete.

    >>> import os, tempfile, teachgrad as tg
    >>> g = tg.trace("e = (a + b) * (b + 1)", a=2, b=1)
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     name = write(g, os.path.join(folder, "seed.svg"), mode="reverse")
    ...     open(name, encoding="utf-8").read().count("class=\\"node")
    5
    >>> write(g, "seed.jpg")
    Traceback (most recent call last):
    ...
    ValueError: cannot write 'seed.jpg': the file name must end in .svg, .png, .pdf or .html
    """
    target = _FilePath(filename)
    suffix = target.suffix.lower()
    if suffix not in SUFFIXES:
        raise ValueError(f"cannot write '{filename}': the file name must end in .svg, .png, "
                         ".pdf or .html")
    data = _render_bytes(graph, suffix, mode=mode, wrt=wrt, of=of, step=step, path=path)
    target.write_bytes(data)
    return str(filename)
