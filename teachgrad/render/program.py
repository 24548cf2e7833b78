"""The picture of a program graph: name scopes as clusters, big scopes as one box, variables with
their read edges, control inputs dashed — TensorBoard's view, drawn by Graphviz.

Every node shows its name (inside its scope's cluster, the part after the scope), its op type, its
dtype and static shape (``?`` for a size not known yet) or its value, and in a propagation its
tangent or adjoint; every edge shows the shape of the tensor it carries (a number's edge its local
partial). A collapsed scope is one box with its op count; the edges that cross its border go to
the box. Graphviz ids are internal (``n0``, ``n1``, … for nodes, ``s0``, … for boxes,
``cluster_0``, … for clusters); names reach the picture only escaped, in labels and tooltips.

>>> import teachgrad as tg
>>> with tg.Graph().as_default():
...     x = tg.placeholder(tg.float32, shape=(None, 2), name="x")
...     with tg.name_scope("model"):
...         y = tg.reduce_sum(x * 2.0)
>>> source = tg.trace(y).to_dot().source
>>> "subgraph cluster_0" in source, "?×2" in source
(True, True)
"""

import graphviz
import numpy as np

from ..teaching.notation import bar_name, derivative_name, dot_name, escape, value_text, xml_text
from .colours import (BORDER, CURRENT, CURRENT_FILL, FADED, FONT, INK, INPUT_FILL, LABEL_FILL,
                      LINE, MODE_COLOUR, MUTED, NODE_FILL, PATH)

__all__ = ["draw_program", "shape_text", "VARIABLE_FILL", "SCOPE_FILL", "BOX_FILL"]

VARIABLE_FILL = "#fff3bf"   # variables: the state a program changes
SCOPE_FILL = "#f4f6f8"      # the background of a name scope's cluster
BOX_FILL = "#e4e7eb"        # a collapsed scope
_FILL = {"placeholder": INPUT_FILL, "fed": INPUT_FILL, "variable": VARIABLE_FILL}
_KIND_TEXT = {"placeholder": "placeholder", "variable": "variable", "constant": "constant",
              "fed": "fed"}
# Deeper than this, left to right runs off the page: the picture goes top to bottom.
_LR_MAX_RANKS = 6


def shape_text(shape):
    """A static shape as TensorBoard writes it on an edge: ``4×2``, ``?×2``, ``scalar``.

    >>> shape_text([None, 2]), shape_text([]), shape_text(None)
    ('?×2', 'scalar', 'shape ?')
    """
    if shape is None:
        return "shape ?"
    if not shape:
        return "scalar"
    return "×".join("?" if n is None else str(n) for n in shape)


class _Picture:
    """What one picture of a program shows: the visible items (nodes and boxes), their ids."""

    def __init__(self, graph, view):
        program = graph.program
        self.graph, self.view, self.program = graph, view, program
        self.scopes = program.scopes
        self.collapsed = program.collapse if program.collapse is not None else \
            self.scopes.default()
        self.visible = self.scopes.visible(self.collapsed)
        self.ids = {name: f"n{i}" for i, name in enumerate(graph.nodes)}
        self.box_ids = {s: f"s{i}" for i, s in enumerate(self.scopes.names)}
        shown = set(self.visible.values())
        self.boxes = [s for s in self.scopes.names if s in shown]
        self.nodes = [n for n in graph.nodes if self.visible[n] is None]
        self.compact = len(self.nodes) + len(self.boxes) > view.max_nodes
        self.members = {s: [] for s in self.boxes}
        for name, box in self.visible.items():
            if box is not None:
                self.members[box].append(name)

    def shape(self, name):
        """The shape on ``name``'s edges: its value's when the graph has values, else static."""
        if self.program.has_values:
            value = self.graph.node(name).value
            if value is not None:
                return list(np.shape(value))
        return self.program.shape(name)

    def id_of(self, name):
        box = self.visible[name]
        return self.ids[name] if box is None else self.box_ids[box]


def _base(name, scope):
    """The part of ``name`` after ``scope/``; the whole name when that part is empty (TensorFlow
    1 accepts ``a//b`` and ``a/``: a scope ``a/`` inside ``a``), never an empty label."""
    base = name[len(scope) + 1:] if scope and name.startswith(scope + "/") else name
    return base or name


def _node_label(pic, name):
    graph, view, program = pic.graph, pic.view, pic.program
    node = graph.node(name)
    scope = pic.scopes.of[name]
    shown = _base(name, pic.scopes.parent.get(scope, "") if scope == name else scope)
    if pic.compact:
        return shown
    what = _KIND_TEXT.get(program.kinds[name]) or program.op_type(name)
    tag = "" if what.lower() == shown.rstrip("0123456789").rstrip("_").lower() else \
        f'&#160;<FONT POINT-SIZE="12" COLOR="{MUTED}">{escape(what)}</FONT>'
    rows = [f"<TR><TD><B>{escape(shown)}</B>{tag}</TD></TR>"]
    dtype = program.dtype(name)
    if not program.has_values:
        text = "operation" if dtype is None else f"{dtype} {shape_text(program.shape(name))}"
        rows.append(f'<TR><TD><FONT POINT-SIZE="12">{escape(text)}</FONT></TD></TR>')
    elif view.mode == "values" and (name not in view.done or view.asks(name)):
        rows.append(f'<TR><TD><FONT COLOR="{MUTED}"><B>= ?</B></FONT></TD></TR>')
    else:
        rows.append(f"<TR><TD><B>= {escape(value_text(node.value))}</B></TD></TR>")
    if view.mode in ("forward", "reverse"):
        d_name = derivative_name(view.mode, shown)
        step = view.done.get(name)
        if step is None:
            text = f'<FONT COLOR="{MUTED}">{escape(d_name)} = ?</FONT>'
        elif view.asks(name):
            text = f'<FONT COLOR="{CURRENT}"><B>{escape(d_name)} = ?</B></FONT>'
        else:
            text = (f'<FONT COLOR="{MODE_COLOUR[view.mode]}"><B>{escape(d_name)} = '
                    f'{escape(value_text(step.value))}</B></FONT>')
        rows.append(f"<TR><TD>{text}</TD></TR>")
    return ('<<TABLE BORDER="0" CELLBORDER="0" CELLSPACING="0" CELLPADDING="1">'
            + "".join(rows) + "</TABLE>>")


def _state_style(names, view, classes):
    """Fill, border colour and width of an item holding ``names``, by the propagation's state."""
    if view.current is not None and view.current.node in names:
        classes.append("tg-current")
        return CURRENT_FILL, CURRENT, "3"
    if names and all(n in view.done for n in names):
        classes.append("tg-done")
        return None, MODE_COLOUR[view.mode], "2.2"
    if any(n in view.path_nodes for n in names):
        classes.append("tg-path")
        return None, PATH, "2.5"
    return None, BORDER, "1.2"


def _node_attrs(pic, name):
    kind = pic.program.kinds[name]
    view = pic.view
    classes = ["tg-input" if pic.graph.node(name).is_input else "tg-op"]
    if kind != "op":
        classes.append(f"tg-{kind}")
    fill = _FILL.get(kind, NODE_FILL)
    style = "rounded,filled"
    if view.mode == "values" and name not in view.done:
        style += ",dashed"
        classes.append("tg-pending")
    state_fill, colour, width = _state_style([name], view, classes)
    if name == view.seed:
        classes.append("tg-seed")
    attrs = {"fillcolor": state_fill or fill, "color": colour, "penwidth": width,
             "style": style, "class": " ".join(classes),
             "tooltip": xml_text(f"{name} ({pic.program.op_type(name)})")}
    note = getattr(pic.graph.node(name).op, "note", None)
    if note:   # numbers from another framework (teachgrad.frameworks)
        attrs["tooltip"] += xml_text(f": {note}")
        attrs["class"] += " tg-opaque"
    if kind == "variable":
        attrs["shape"] = "cylinder"
    return attrs


def _box(pic, scope):
    count = pic.scopes.count[scope]
    shown = _base(scope, pic.scopes.parent[scope])
    classes = ["tg-scope-box"]
    fill, colour, width = _state_style(pic.members[scope], pic.view, classes)
    label = (f'<<B>{escape(shown)}</B><BR/><FONT POINT-SIZE="12" COLOR="{MUTED}">'
             f"{count} op{'s' * (count != 1)}</FONT>>")
    return label, {"fillcolor": fill or BOX_FILL, "color": colour, "penwidth": width,
                   "style": "rounded,filled,bold", "class": " ".join(classes),
                   "tooltip": xml_text(f"scope {scope}: {count} ops (collapsed)")}


def _edge_label(pic, src, dst):
    """The shape of the tensor on the edge; for two numbers with values, the local partial."""
    program, view = pic.program, pic.view
    shape = pic.shape(src)
    # A partial without a formula (a count such as Size, read inside a derivative rule) says
    # nothing to a reader: its edge shows the shape, as the others do.
    if program.has_values and not shape and not pic.shape(dst) and _has_number(pic, src, dst):
        label = pic.graph.edge(src, dst).label
        if view.mode == "values" and (dst not in view.done or view.asks(dst)):
            lhs, _, rest = label.partition(" = ")
            if " = " in rest:
                label = f"{lhs} = {rest.rpartition(' = ')[0]} = ?"
        return label
    return shape_text(shape)


def _has_number(pic, src, dst):
    edge = pic.graph.edge(src, dst)
    return np.ndim(edge.value) == 0 and not edge.formula.startswith("?")


def _edges(pic):
    """(tail id, head id, attrs) of every visible edge: the graph's, then the dashed ones."""
    view, seen, found = pic.view, {}, []
    for edge in pic.graph.edges:
        tail, head = pic.id_of(edge.src), pic.id_of(edge.dst)
        if tail == head:
            continue
        key = (edge.src, edge.dst)
        if (tail, head) not in seen:
            attrs = {"color": LINE, "penwidth": "1.4"}
            if view.path is not None:
                attrs["color"] = FADED
            seen[(tail, head)] = attrs
            found.append((tail, head, attrs, key))
        attrs = seen[(tail, head)]
        if key in view.path_edges:
            attrs.update(color=PATH, penwidth="3", **{"class": "tg-path"})
        if key in view.used:
            attrs.update(color=MODE_COLOUR[view.mode], penwidth="2", **{"class": "tg-used"})
        if key in view.reads:
            attrs.update(color=CURRENT, penwidth="3", **{"class": "tg-read"})
    edges = []
    for tail, head, attrs, key in found:
        if (not pic.compact and pic.view.edge_labels and tail.startswith("n")
                and head.startswith("n")):
            attrs["label"] = (f'<<TABLE BORDER="0" CELLBORDER="0" CELLSPACING="0" '
                              f'CELLPADDING="1" BGCOLOR="{LABEL_FILL}"><TR><TD>'
                              f"{escape(_edge_label(pic, *key))}</TD></TR></TABLE>>")
        edges.append((tail, head, attrs))
    for src, dst, kind in pic.program.extra_edges:
        tail, head = pic.id_of(src), pic.id_of(dst)
        if tail != head and (tail, head) not in seen:
            seen[(tail, head)] = True
            edges.append((tail, head, {"color": LINE, "style": "dashed", "penwidth": "1",
                                       "arrowhead": "odot" if kind == "control" else "normal",
                                       "class": f"tg-{kind}"}))
    return edges


def _caption(pic):
    lines = []
    view, program = pic.view, pic.program
    if view.steps is not None:
        colour = MODE_COLOUR[view.mode]
        head = {"values": "values flow forward, one node at a time",
                "forward": f"forward mode: tangents {dot_name('v')} = dv/d{view.seed} for each "
                           "node v, from the inputs on",
                "reverse": f"reverse mode: adjoints {bar_name('v')} = d{view.seed}/dv for each "
                           "node v, from the output back"}[view.mode]
        lines.append((head, colour, True))
        if view.current is None:
            lines.append((f"step 0 of {view.n}: nothing computed yet", INK, False))
        elif view.hidden:
            lines.append((f"step {view.k} of {view.n}:  "
                          f"{derivative_name(view.mode, view.current.node)} = ?", INK, True))
        else:
            lines.append((f"step {view.k} of {view.n}:  {view.current.text}", INK, True))
    if view.path is not None:
        lines.append((f"path {view.path.text}", PATH, True))
    if not program.has_values:
        lines.append((f"no values yet: {program.needs_text()}", MUTED, False))
    if pic.boxes:
        named = ", ".join(pic.boxes[:4]) + (", …" if len(pic.boxes) > 4 else "")
        lines.append((f"{len(pic.boxes)} scope{'s' * (len(pic.boxes) > 1)} drawn as one box "
                      f"({named}): collapse=False draws every op", MUTED, False))
    if not lines:
        return None
    rows = "".join(f'<TR><TD ALIGN="LEFT"><FONT COLOR="{c}">'
                   f"{f'<B>{escape(t)}</B>' if bold else escape(t)}</FONT></TD></TR>"
                   for t, c, bold in lines)
    return (f'<<TABLE BORDER="1" COLOR="{MODE_COLOUR.get(view.mode, BORDER)}" CELLBORDER="0" '
            f'CELLSPACING="0" CELLPADDING="3" BGCOLOR="{LABEL_FILL}">{rows}</TABLE>>')


def _style(dot, pic):
    depth = pic.graph.depth
    dot.attr("graph", rankdir="LR" if depth <= _LR_MAX_RANKS else "TB", bgcolor="transparent",
             fontname=FONT, fontcolor=INK, fontsize="13", nodesep="0.2", ranksep="0.45",
             pad="0.15", labelloc="b", labeljust="l")
    dot.attr("node", shape="box", fontname=FONT, fontcolor=INK,
             fontsize="10" if pic.compact else "12", margin="0.08,0.04", height="0.4",
             width="0.5")
    dot.attr("edge", fontname=FONT, fontcolor=INK, fontsize="12", arrowsize="0.7")


def _clusters(pic, layout):
    """A Digraph per open scope (the cluster), its nodes and boxes in it, nested as the scopes."""
    open_scopes = pic.scopes.open_scopes(pic.collapsed)
    index = {s: i for i, s in enumerate(pic.scopes.names)}
    clusters = {}
    for s in open_scopes:
        c = graphviz.Digraph(name=f"cluster_{index[s]}")
        shown = _base(s, pic.scopes.parent[s])
        c.attr(label=f"<<B>{escape(shown)}</B>>", style="rounded,filled", fillcolor=SCOPE_FILL,
               color="#c8d0da", fontsize="12", labeljust="l", labelloc="t", tooltip=xml_text(s),
               **{"class": "tg-scope"})
        if layout is not None and f"cluster_{index[s]}" in layout.get("clusters", {}):
            bb, lp = layout["clusters"][f"cluster_{index[s]}"]
            c.attr(bb=bb, **({"lp": lp} if lp else {}))
        clusters[s] = c
    return open_scopes, clusters


def _place(pic, dot, clusters, name, label, attrs, layout, item_id, scope):
    if layout is not None:
        pos, width, height = layout["nodes"][item_id]
        attrs.update(pos=pos, width=width, height=height, fixedsize="true")
    (clusters[scope] if scope else dot).node(item_id, label=label, **attrs)


def draw_program(graph, view, layout=None):
    """The ``graphviz.Digraph`` of one picture of a program graph (see the module's doc); with
    ``layout`` every position is fixed, as :func:`teachgrad.render.dot.draw` does."""
    pic = _Picture(graph, view)
    dot = graphviz.Digraph("teachgrad")
    _style(dot, pic)
    caption = _caption(pic)
    if caption is not None:
        dot.attr("graph", label=caption)
    if layout is not None:
        dot.attr("graph", bb=layout["bb"])
    open_scopes, clusters = _clusters(pic, layout)
    for name in pic.nodes:
        _place(pic, dot, clusters, name, _node_label(pic, name), _node_attrs(pic, name), layout,
               pic.ids[name], pic.scopes.of[name])
    for s in pic.boxes:
        label, attrs = _box(pic, s)
        _place(pic, dot, clusters, s, label, attrs, layout, pic.box_ids[s], pic.scopes.parent[s])
    # Children before parents (a subgraph is copied in when added), siblings in program order.
    for s in sorted(open_scopes, key=lambda s: -len(pic.scopes.path(s))):
        parent = pic.scopes.parent[s]
        (clusters[parent] if parent else dot).subgraph(clusters[s])
    for tail, head, attrs in _edges(pic):
        if layout is not None:
            pos, label_pos = layout["edges"].get((tail, head), (None, None))
            if pos is not None:
                attrs["pos"] = pos
            if label_pos is not None and "label" in attrs:
                attrs["lp"] = label_pos
        dot.edge(tail, head, **attrs)
    return dot
