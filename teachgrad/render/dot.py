"""The DOT of one picture: a ``graphviz.Digraph`` with every node's formula and value, every
edge's local partial, a propagation's step highlighted and its arithmetic in a caption.

Every picture is laid out left to right like the figures in colah's "Calculus on Computational
Graphs": a node shows its formula and value, an edge its local partial (``∂e/∂c = d = 2``). A step
of a propagation highlights the node being computed and the edges it reads, shows the tangents
(forward mode) or adjoints (reverse mode) found so far in the mode's colour, and prints the step's
arithmetic under the graph. Nodes and edges are emitted in the graph's own order, so the same
graph gives the same DOT text.

Names never reach the DOT source as identifiers: Graphviz's node ids are ``n0``, ``n1``, … (the
nodes' positions in ``graph.nodes``), and a name — which may come from data, or from a function a
course site traces — appears only inside labels, escaped and shortened (see :mod:`.sizes`).
"""

import graphviz

from ..teaching.notation import (bar_name, derivative_name, dot_name, escape, fmt, shorten, value_text)
from .colours import (BORDER, CURRENT, CURRENT_FILL, FADED, FONT, INK, INPUT_FILL, LABEL_FILL, LINE, MODE_COLOUR, MUTED, NODE_FILL, PATH, PATH_FILL)
from .program import draw_program
from .sizes import (CAPTION_LIMIT, LIMITED, LR_MAX_WIDTH, NAME_LIMIT, TEXT_LIMIT, layered, lr_width, plan)
from .view import View, check_step, path_for, steps_for

__all__ = ["to_dot", "draw", "view_for", "node_ids", "caption_lines", "direction",
           "LR_MAX_RANKS"]

# Deeper than this, a left-to-right picture runs off the page, so it goes top to bottom.
LR_MAX_RANKS = 6


def direction(graph, compact):
    """``"LR"`` (left to right, like colah's figures) or ``"TB"`` (top to bottom) for a graph
    deeper than :data:`LR_MAX_RANKS` or one whose edge labels would make it wider than a screen
    (:func:`.sizes.lr_width`); a compact picture (no labels) always goes left to right.

    >>> import teachgrad as tg
    >>> direction(tg.trace("e = (a + b) * (b + 1)", a=2, b=1), compact=False)
    'LR'
    >>> direction(tg.trace("p1 = sin(x0)\\nq1 = cos(x0)\\nx1 = p1 * q1", x0=0.5), compact=False)
    'TB'
    """
    if compact:
        return "LR"
    if graph.depth > LR_MAX_RANKS or lr_width(graph) > LR_MAX_WIDTH:
        return "TB"
    return "LR"


def _node_label(node, view):
    """An HTML-like label: the formula, the value, and the tangent or adjoint when known."""
    name = shorten(node.name, NAME_LIMIT)
    name_html = f"<B>{escape(name)}</B>"
    # A no-break space: SVG viewers drop an ordinary space that starts a text run.
    formula = name_html if node.is_input else \
        f"{name_html}&#160;= {escape(shorten(node.expr, TEXT_LIMIT))}"
    rows = [f"<TR><TD>{formula}</TD></TR>"]
    if view.mode == "values" and (node.name not in view.done or view.asks(node.name)):
        value = f'<FONT COLOR="{MUTED}">= ?</FONT>'
    else:
        value = f"= {escape(value_text(node.value))}"
    rows.append(f'<TR><TD><FONT POINT-SIZE="15"><B>{value}</B></FONT></TD></TR>')
    if view.mode in ("forward", "reverse"):
        d_name = derivative_name(view.mode, name)
        step = view.done.get(node.name)
        if step is None:
            text = f'<FONT COLOR="{MUTED}">{escape(d_name)} = ?</FONT>'
        elif view.asks(node.name):
            text = f'<FONT COLOR="{CURRENT}"><B>{escape(d_name)} = ?</B></FONT>'
        else:
            text = (f'<FONT COLOR="{MODE_COLOUR[view.mode]}"><B>{escape(d_name)} = '
                    f'{escape(value_text(step.value))}</B></FONT>')
        rows.append(f"<TR><TD>{text}</TD></TR>")
    return ('<<TABLE BORDER="0" CELLBORDER="0" CELLSPACING="0" CELLPADDING="1">'
            + "".join(rows) + "</TABLE>>")


def _compact_label(node, view):
    asked = node.name not in view.done or view.asks(node.name)
    shown = "?" if view.mode == "values" and asked else fmt(node.value)
    return f"<{escape(shorten(node.name, NAME_LIMIT))} = {escape(shown)}>"


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
    attrs = {"fillcolor": fill, "color": colour, "penwidth": width, "style": style}
    note = _note(node)
    if note:   # numbers from another framework (teachgrad.frameworks): say so on hover
        classes.append("tg-opaque")
        attrs["tooltip"] = note
    attrs["class"] = " ".join(classes)
    return attrs


def _note(node):
    """Why a node shows another framework's numbers instead of a formula (or None)."""
    return getattr(node.op, "note", None)


def _edge_attrs(edge, view, rankdir="LR"):
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
    if not view.compact and view.edge_labels:
        border = f' BORDER="1" COLOR="{box}"' if box else ' BORDER="0"'
        lines = _label_lines(shorten(_edge_text(edge, view), TEXT_LIMIT), rankdir)
        attrs["label"] = (f'<<TABLE{border} CELLBORDER="0" CELLSPACING="0" CELLPADDING="2" '
                          f'BGCOLOR="{LABEL_FILL}"><TR><TD>'
                          + "<BR/>".join(escape(line) for line in lines)
                          + "</TD></TR></TABLE>>")
    return attrs


def _label_lines(text, rankdir):
    """An edge label's lines. Top to bottom, the labels of the edges leaving one node sit side
    by side on one row, and long ones ran into one unreadable line: there
    ``∂p/∂x = cos(x) = 0.8776`` takes two lines, the partial's formula and its value.

    >>> _label_lines("∂p/∂x = cos(x) = 0.8776", "TB"), _label_lines("∂c/∂a = 1", "TB")
    (['∂p/∂x = cos(x)', '= 0.8776'], ['∂c/∂a = 1'])
    """
    head, sep, value = text.rpartition(" = ")
    if rankdir != "TB" or " = " not in head:
        return [text]
    return [head, sep.strip() + " " + value]


def _edge_text(edge, view):
    """The edge's label; while values flow, a partial that needs values not yet computed is "?"."""
    label = edge.label
    if view.mode == "values" and (edge.dst not in view.done or view.asks(edge.dst)):
        lhs, _, rest = label.partition(" = ")
        if " = " in rest:                       # "∂e/∂c = d = 2": the number depends on values
            label = f"{lhs} = {rest.rpartition(' = ')[0]} = ?"
    return label


def _caption_lines(graph, view):
    """(text, colour, bold) for each line under the graph: the mode, the step, a path, a note."""
    lines = []
    if view.steps is not None:
        colour = MODE_COLOUR[view.mode]
        if view.mode == "values":
            lines.append(("values flow forward, one node at a time", colour, True))
        elif view.mode == "forward":
            lines.append((f"forward mode: tangents {dot_name('v')} = dv/d{view.seed} for each "
                          "node v, from the inputs on", colour, True))
        else:
            lines.append((f"reverse mode: adjoints {bar_name('v')} = d{view.seed}/dv for each "
                          "node v, from the output back", colour, True))
        if view.current is None:
            lines.append((f"step 0 of {view.n}: nothing computed yet", INK, False))
        elif view.hidden:
            name = view.current.node
            asked = (graph.node(name).formula if view.mode == "values"
                     else derivative_name(view.mode, name))
            lines.append((f"step {view.k} of {view.n}:  {asked} = ?", INK, True))
        else:
            lines.append((f"step {view.k} of {view.n}:  {view.current.text}", INK, True))
    if view.path is not None:
        lines.append((f"path {view.path.text}", PATH, True))
    if view.compact:
        lines.append((f"{len(graph)} nodes (more than max_nodes={view.max_nodes}): edge labels "
                      f"and formulas hidden; pass max_nodes={len(graph)} to show them",
                      INK, False))
    return lines


def _caption(graph, view):
    """The caption as an HTML-like label, or ``None`` when there is nothing to say."""
    lines = _caption_lines(graph, view)
    if not lines:
        return None
    rows = []
    for text, colour, bold in lines:
        text = escape(shorten(text, CAPTION_LIMIT))
        body = f"<B>{text}</B>" if bold else text
        rows.append(f'<TR><TD ALIGN="LEFT"><FONT COLOR="{colour}">{body}</FONT></TD></TR>')
    border = MODE_COLOUR.get(view.mode, BORDER)
    return (f'<<TABLE BORDER="1" COLOR="{border}" CELLBORDER="0" CELLSPACING="0" '
            f'CELLPADDING="3" BGCOLOR="{LABEL_FILL}">' + "".join(rows) + "</TABLE>>")


def _style(dot, graph, view, how):
    """Graph, node and edge defaults: direction, font, sizes (smaller when compact), and the
    limits or straight edges of a big graph's layout (``how``, see :func:`.sizes.plan`)."""
    compact = view.compact
    rankdir = direction(graph, compact)
    # Top to bottom, a labelled edge spans two rows (its label has one of its own), so the rows
    # need less space between them than the columns of a left-to-right picture, and the labels
    # of one row (a node's fan-out) a little more space beside each other.
    if rankdir == "TB":
        nodesep, ranksep = "0.6", "0.3"
    else:
        nodesep, ranksep = "0.3", "0.5" if compact else "0.9"
    dot.attr("graph", rankdir=rankdir, bgcolor="transparent", fontname=FONT, fontcolor=INK,
             fontsize="13", nodesep=nodesep, ranksep=ranksep,
             pad="0.15", labelloc="b", labeljust="l")
    dot.attr("node", shape="box", fontname=FONT, fontcolor=INK, fontsize="10" if compact
             else "13", margin="0.05,0.03" if compact else "0.14,0.06",
             height="0.25" if compact else "0.5", width="0.3" if compact else "0.75")
    dot.attr("edge", fontname=FONT, fontcolor=INK, fontsize="12", arrowsize="0.5" if compact
             else "0.8")
    if how == "limited":
        dot.attr("graph", **LIMITED)
    elif how == "layered":
        dot.attr("graph", splines="line")


def node_ids(graph):
    """Graphviz's id of every node: ``n0``, ``n1``, … in the graph's order, never its name.

    >>> import teachgrad as tg
    >>> node_ids(tg.trace("e = a * b", a=2, b=3))
    {'a': 'n0', 'b': 'n1', 'e': 'n2'}
    """
    return {name: f"n{i}" for i, name in enumerate(graph.nodes)}


def draw(graph, view, layout=None):
    """The Digraph of one :class:`~teachgrad.render.view.View`; with ``layout`` (positions from
    one ``dot`` run, see :func:`teachgrad.render.engine.layout`, or from
    :func:`.sizes.layered`) every position is fixed, for ``neato -n2`` to draw without laying out
    again.

    >>> import teachgrad as tg
    >>> g = tg.trace("e = a * b", a=2, b=3)
    >>> draw(g, View(g, None, None, None, None, 60)).source.count("->")
    2
    """
    if getattr(graph, "program", None) is not None:   # a TF-1 program: scopes as clusters
        return draw_program(graph, view, layout)
    dot = graphviz.Digraph("teachgrad")
    _style(dot, graph, view, plan(graph, view.compact))
    caption = _caption(graph, view)
    if caption is not None:
        dot.attr("graph", label=caption)
    if layout is not None:
        dot.attr("graph", bb=layout["bb"])
    ids = node_ids(graph)
    for name in graph.nodes:
        node = graph.node(name)
        attrs = _node_attrs(node, view)
        label = _compact_label(node, view) if view.compact else _node_label(node, view)
        if layout is not None:
            pos, width, height = layout["nodes"][name]
            attrs["pos"] = pos
            if width is not None:
                attrs.update(width=width, height=height, fixedsize="true")
        dot.node(ids[name], label=label, **attrs)
    rankdir = direction(graph, view.compact)
    for edge in graph.edges:
        attrs = _edge_attrs(edge, view, rankdir)
        note = _note(graph.node(edge.dst))
        if note:
            attrs.update(tooltip=note, labeltooltip=note)
        placed = layout["edges"].get((edge.src, edge.dst)) if layout is not None else None
        if placed is not None:
            pos, label_pos = placed
            attrs["pos"] = pos
            if label_pos is not None and "label" in attrs:
                attrs["lp"] = label_pos
        dot.edge(ids[edge.src], ids[edge.dst], **attrs)
    return dot


def caption_lines(graph, view):
    """How many lines the caption under the picture has (0: none).

    >>> import teachgrad as tg
    >>> g = tg.trace("e = a * b", a=2, b=3)
    >>> caption_lines(g, View(g, None, None, None, None, 60))
    0
    """
    return len(_caption_lines(graph, view))


def view_for(graph, mode, step, wrt, of, path, max_nodes, edge_labels=True):
    """The :class:`~teachgrad.render.view.View` of :func:`to_dot`'s options, checked.

    >>> import teachgrad as tg
    >>> view_for(tg.trace("e = a * b", a=2, b=3), "reverse", 1, None, None, None, 60).k
    1
    """
    steps = steps_for(graph, mode, wrt, of)
    if steps is not None:
        check_step(step, len(steps))
    elif step is not None:
        raise ValueError("step needs a mode: 'values', 'forward' or 'reverse'")
    return View(graph, mode, steps, step, path_for(graph, path), max_nodes,
                edge_labels=edge_labels)


def to_dot(graph, mode=None, step=None, wrt=None, of=None, path=None, max_nodes=60,
           edge_labels=True):
    """The picture of ``graph`` as a ``graphviz.Digraph`` (laid out left to right).

    ``mode=None`` draws every value. ``mode`` ``"values"``, ``"forward"`` or ``"reverse"`` with
    ``step=k`` (0 … number of steps; ``None`` means all done) draws the propagation after its first
    ``k`` steps, step ``k - 1`` highlighted; ``wrt`` / ``of`` say where forward / reverse mode
    starts. ``path`` (a :class:`~teachgrad.teaching.graph.Path` or a list of node names) is highlighted.
    Above ``max_nodes`` nodes the picture is compact: no edge labels, small nodes, and a note.
    ``edge_labels=False`` leaves the partials off the edges (nodes and arrows only).

    >>> import teachgrad as tg
    >>> g = tg.trace("e = (a + b) * (b + 1)", a=2, b=1)
    >>> dot = to_dot(g, mode="reverse", step=2)
    >>> dot.name, "rankdir=LR" in dot.source
    ('teachgrad', True)
    >>> "c̄ = 2" in dot.source and "step 2 of 5" in dot.source
    True
    >>> "∂" in to_dot(g, edge_labels=False).source
    False
    """
    view = view_for(graph, mode, step, wrt, of, path, max_nodes, edge_labels)
    if plan(graph, view.compact) == "layered":
        # Positions computed here (dot would take minutes); neato keeps pinned positions.
        dot = draw(graph, view, layered(graph, view.compact, caption_lines(graph, view)))
        dot.engine = "neato"
        return dot
    return draw(graph, view)
