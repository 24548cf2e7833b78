"""How big a picture may get, and the layout each size gets.

``dot`` lays out a graph in time that grows much faster than the graph: every edge spanning
several ranks becomes a chain of "virtual" nodes, and one input feeding every term of a long sum
makes about n²/2 of them (a 200-term ``sin(1*a) + … + sin(200*a)`` did not finish in minutes; a
450-term sum made ``dot`` crash). So before ``dot`` sees a graph, its cost — nodes plus virtual
nodes, counted on ranks placed as late as possible, as ``dot`` tends to place them — chooses:

- ``"dot"`` (every lecture graph): ``dot`` as it is, so small pictures never change;
- ``"limited"``: ``dot`` with its iteration limits (``nslimit``, ``nslimit1``, ``searchsize``,
  ``mclimit``): a little less tidy, in bounded time;
- ``"layered"``: positions computed here in linear time — ranks top to bottom, a rank wider than
  :data:`ROW_NODES` nodes over several rows, and the rows wrapped into columns so that a chain of
  2,000 nodes is a picture about as wide as high — drawn by ``neato -n2`` with straight edges.

Above :data:`MAX_NODES` nodes nothing is drawn: :func:`check_size` says so. Graphviz also
refuses an HTML-like label over 16,384 characters, so the texts put into labels are shortened
(:data:`NAME_LIMIT`, :data:`TEXT_LIMIT`, :data:`CAPTION_LIMIT`; an escaped character takes at most
six).

>>> import teachgrad as tg
>>> plan(tg.trace("e = (a + b) * (b + 1)", a=2, b=1), compact=False)
'dot'
>>> plan(tg.trace("e = " + " + ".join(["a"] * 300), a=1), compact=True)
'layered'
"""

import math

from ..teaching.notation import fmt, shorten, value_text
from .process import GraphvizError

__all__ = ["plan", "cost", "check_size", "layered", "lr_width", "LIMITED", "MAX_NODES",
           "SMALL_COST", "MEDIUM_COST", "ROW_NODES", "DEEP", "NAME_LIMIT", "TEXT_LIMIT",
           "CAPTION_LIMIT", "LR_MAX_WIDTH"]

SMALL_COST = 1500        # up to here dot runs as it is (well under a second)
MEDIUM_COST = 8000       # up to here dot runs with LIMITED (a few seconds at most)
MAX_NODES = 2500         # above this, no picture: it would be unreadable and megabytes large
ROW_NODES = 40           # the widest row of the layered layout
DEEP = 40                # more ranks than this run off the page unless they wrap: layered
NAME_LIMIT = 40          # characters of a node's name shown in a label
TEXT_LIMIT = 200         # characters of a formula or an edge's partial
CAPTION_LIMIT = 1000     # characters of one line of the caption (a step's arithmetic)
LR_MAX_WIDTH = 700       # points (933 px): a left-to-right picture wider than this goes down

# dot's iteration limits: network simplex (ranking, x positions), mincross.
LIMITED = {"nslimit": "2", "nslimit1": "2", "searchsize": "30", "mclimit": "0.5"}

_NODESEP, _RANKSEP, _MARGIN = 20.0, 30.0, 8.0     # points


def _late_ranks(graph):
    """Each node's rank placed as late as its consumers allow (the outputs last)."""
    rank = {}
    last = graph.depth - 1
    for name in reversed(graph.nodes):
        rank[name] = min((rank[c] for c in graph.consumers(name)), default=last + 1) - 1
    return rank


def cost(graph, compact):
    """Nodes plus the virtual nodes ``dot`` adds for long edges (an edge label takes a rank of
    its own, so edges count double when labelled).

    >>> import teachgrad as tg
    >>> cost(tg.trace("e = (a + b) * (b + 1)", a=2, b=1), compact=False)
    10
    """
    rank = _late_ranks(graph)
    per_rank = 1 if compact else 2
    return len(graph) + sum(per_rank * (rank[e.dst] - rank[e.src]) - 1 for e in graph.edges)


def plan(graph, compact):
    """``"dot"``, ``"limited"`` or ``"layered"``: how a picture of ``graph`` is laid out.

    >>> import teachgrad as tg
    >>> plan(tg.trace("e = " + "*".join(["a"] * 40), a=1), compact=False)
    'limited'
    """
    if len(graph) > 1000 or graph.depth > DEEP:
        return "layered"
    c = cost(graph, compact)
    return "dot" if c <= SMALL_COST else "limited" if c <= MEDIUM_COST else "layered"


def check_size(graph):
    """Refuse (``GraphvizError``) a graph too big to draw.

    >>> import teachgrad as tg
    >>> check_size(tg.trace("e = a * b", a=1, b=2))
    """
    if len(graph) > MAX_NODES:
        raise GraphvizError(f"this graph has {len(graph)} nodes: too many to draw (at most "
                            f"{MAX_NODES}). Draw a smaller graph: split the expression, or trace "
                            "fewer operations; the Graph itself (values, paths, steps) works at "
                            "any size.")


def _node_size(node, compact):
    """The size in points a node's label will take, estimated from its text (Helvetica)."""
    if compact:
        text = f"{shorten(node.name, NAME_LIMIT)} = {fmt(node.value)}"
        return 5.6 * len(text) + 8, 18.0
    name = shorten(node.name, NAME_LIMIT)
    first = name if node.is_input else f"{name} = {shorten(node.expr, TEXT_LIMIT)}"
    chars = max(len(first), len(value_text(node.value)) + 2, len(name) + 12)
    return 7.6 * chars + 20, 60.0


def lr_width(graph):
    """About how wide, in points, ``dot`` draws the static picture of ``graph`` left to right:
    per rank its widest node, per gap between ranks its widest edge label and ``ranksep``.
    Estimated from the texts (Helvetica, 13-point nodes, 12-point labels); within a tenth of
    ``dot``'s width on the lectures' graphs (493 points for this one).

    >>> import teachgrad as tg
    >>> round(lr_width(tg.trace("e = (a + b) * (b + 1)", a=2, b=1)))
    518
    """
    level, nodes, labels = {}, {}, {}
    for name in graph.nodes:
        node = graph.node(name)
        level[name] = 1 + max((level[i] for i in node.inputs), default=-1)
        first = shorten(name, NAME_LIMIT) if node.is_input else \
            f"{shorten(name, NAME_LIMIT)} = {shorten(node.expr, TEXT_LIMIT)}"
        width = max(54.0, 7.6 * max(len(first), len(value_text(node.value)) + 2) + 20)
        nodes[level[name]] = max(nodes.get(level[name], 0.0), width)
    for edge in graph.edges:
        gap = level[edge.dst] - 1
        width = 6.4 * len(shorten(edge.label, TEXT_LIMIT)) + 8
        labels[gap] = max(labels.get(gap, 0.0), width)
    return sum(nodes.values()) + sum(labels.values()) + 65.0 * len(labels) + 2 * _MARGIN


def _rows(graph, rank):
    """The rows top to bottom: each rank's nodes ordered by where their inputs are (one
    barycentre sweep), a rank of more than ROW_NODES nodes split over several rows."""
    by_rank = {}
    for name in graph.nodes:
        by_rank.setdefault(rank[name], []).append(name)
    place, rows = {}, []
    for r in sorted(by_rank):
        names = by_rank[r]
        order = {n: i for i, n in enumerate(names)}

        def centre(n):
            placed = [place[s] for s in graph.node(n).inputs if s in place]
            return (sum(placed) / len(placed) if placed else math.inf, order[n])

        names = sorted(names, key=centre)
        for i, n in enumerate(names):
            place[n] = i
        rows += [names[i:i + ROW_NODES] for i in range(0, len(names), ROW_NODES)]
    return rows


def layered(graph, compact, caption_lines=0):
    """Positions for every node, as :func:`teachgrad.render.engine.layout` gives them (edges
    are left to ``neato -n2``, drawn straight), from the rows of :func:`_rows` wrapped into
    columns of rows so that the picture is about as wide as high.

    >>> import teachgrad as tg
    >>> g = tg.trace("e = (a + b) * (b + 1)", a=2, b=1)
    >>> sorted(layered(g, compact=True)["nodes"]) == sorted(g.nodes)
    True
    """
    rows = _rows(graph, _late_ranks(graph))
    size = {n: _node_size(graph.node(n), compact) for n in graph.nodes}
    row_width = [sum(size[n][0] for n in row) + _NODESEP * (len(row) - 1) for row in rows]
    row_height = [max(size[n][1] for n in row) for row in rows]
    step = max(row_height) + _RANKSEP
    per_column = max(8, math.ceil(math.sqrt(len(rows) * max(row_width) / step)))
    columns = [list(range(i, min(i + per_column, len(rows))))
               for i in range(0, len(rows), per_column)]
    widths = [max(row_width[i] for i in col) for col in columns]
    caption = 18.0 * caption_lines + (12.0 if caption_lines else 0.0)
    height = per_column * step if len(columns) > 1 else len(rows) * step
    top = caption + height
    nodes, left = {}, _MARGIN
    for col, width in zip(columns, widths):
        for k, i in enumerate(col):
            x = left + (width - row_width[i]) / 2
            y = top - k * step - step / 2
            for n in rows[i]:
                w = size[n][0]
                nodes[n] = (f"{x + w / 2:.1f},{y:.1f}!", None, None)
                x += w + _NODESEP
        left += width + 3 * _NODESEP
    total_width = max(left - 3 * _NODESEP + _MARGIN, 200.0)
    return {"bb": f"0,0,{total_width:.1f},{top + _MARGIN:.1f}", "nodes": nodes, "edges": {}}
