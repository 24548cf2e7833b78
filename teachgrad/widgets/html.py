"""The HTML the widgets show: pictures, error boxes, notes, and the one table builder behind the
step table, the derivatives table and the paths table.

Everything a user typed reaches the markup through :func:`teachgrad.teaching.notation.escape`; the class
names (``tg-error``, ``tg-trace``, ``tg-current`` …) are stable hooks for browser tests and styling.

>>> print(table_html("tg-demo", ["x"], [Row(["1"], "tg-row", node="x")]).count("<tr"))
2
"""

from collections import namedtuple

from .. import render
from ..teaching.notation import escape

__all__ = ["INK", "MUTED", "CURRENT", "CURRENT_FILL", "PATH", "PATH_FILL", "MODE_COLOUR", "ERROR",
           "POINT", "BOX", "CELL", "picture_html", "error_html", "note_html", "pending",
           "Row", "progress", "table_html"]

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

BOX = (f"color:{INK};background:#ffffff;font-family:'DejaVu Sans',Helvetica,Arial,sans-serif;"
       "font-size:13px;line-height:1.35;")
CELL = "padding:2px 8px;border-bottom:1px solid #e4e7eb;text-align:left;white-space:nowrap;"


def _svg_body(svg):
    """An SVG document without its XML prolog and DOCTYPE, ready to sit inside HTML."""
    start = svg.find("<svg")
    return svg[start:] if start >= 0 else svg


def picture_html(svg):
    """The SVG scaled down (never up) to the width there is, so a wide graph needs no scrolling.

    >>> picture_html('<?xml version="1.0"?><svg width="9pt"></svg>')[47:]
    '<svg style="max-width:100%;height:auto" width="9pt"></svg></div>'
    """
    body = _svg_body(svg).replace("<svg ", '<svg style="max-width:100%;height:auto" ', 1)
    return f'<div class="tg-picture" style="max-width:100%">{body}</div>'


def error_html(message):
    """A red box with an escaped message.

    >>> "&lt;b&gt;" in error_html("<b>") and 'class="tg-error"' in error_html("x")
    True
    """
    return (f'<div class="tg-error" style="{BOX}border:1px solid {ERROR};'
            f'border-left:5px solid {ERROR};border-radius:4px;padding:6px 10px;margin:4px 0">'
            f'<b style="color:{ERROR}">Error:</b> {escape(message)}</div>')


def note_html(markup, colour):
    """A note with a coloured bar on its left; ``markup`` is HTML (escape user text first).

    >>> note_html("hi", "red").endswith('padding:4px 10px;margin:2px 0">hi</div>')
    True
    """
    return (f'<div class="tg-note" style="{BOX}border-left:4px solid {colour};padding:4px 10px;'
            f'margin:2px 0">{markup}</div>')


def pending(text="?"):
    """A greyed-out cell content: what is not computed yet.

    >>> pending()
    '<span style="color:#7b8794">?</span>'
    """
    return f'<span style="color:{MUTED}">{escape(text)}</span>'


Row = namedtuple("Row", "cells cls node style", defaults=(None, None))
Row.__doc__ = """A body row of :func:`table_html`: ``cells`` are HTML; ``node`` (a node name)
becomes ``data-node``; ``style`` (None: no style attribute) the row's inline style."""


def progress(i, current, fill, accent):
    """The class and style of row ``i`` of a table walked through in order, ``current`` the row
    shown now: before it done, after it pending (greyed).

    >>> progress(0, 1, "#fff", "#000"), progress(2, 1, "#fff", "#000")[0]
    (('tg-row tg-done', ''), 'tg-row tg-pending')
    """
    if i == current:
        return "tg-row tg-current", f"background:{fill};box-shadow:inset 3px 0 0 {accent};"
    if i < current:
        return "tg-row tg-done", ""
    return "tg-row tg-pending", f"color:{MUTED};"


def _row_html(row):
    attributes = f' class="{row.cls}"'
    if row.node is not None:
        attributes += f' data-node="{escape(row.node)}"'
    if row.style is not None:
        attributes += f' style="{row.style}"'
    return (f"<tr{attributes}>" + "".join(f'<td style="{CELL}">{c}</td>' for c in row.cells)
            + "</tr>")


def table_html(cls, head, rows, rule=None, style=""):
    """Every widget table: a header of plain-text ``head`` cells (underlined in ``rule``, a colour,
    if given) over :class:`Row` s; ``style`` is added to the table's own.

    >>> table = table_html("tg-x", ["a<b"], [Row(["1"], "tg-row")], rule="red")
    >>> table.startswith('<table class="tg-x"'), 'solid red">a&lt;b</th>' in table
    (True, True)
    """
    underline = f"border-bottom:2px solid {rule}" if rule else ""
    header = ("<tr>" + "".join(f'<th style="{CELL}{underline}">{escape(h)}</th>' for h in head)
              + "</tr>")
    return (f'<table class="{cls}" style="{BOX}border-collapse:collapse;'
            f'border:1px solid #c8d0da{style}">' + header + "".join(map(_row_html, rows))
            + "</table>")
