"""Widgets for JupyterLab: watch values, tangents and adjoints propagate; type an expression and see
its graph; walk the paths whose products sum to a derivative; move a point along a function;
compute each step yourself and have it checked (``PracticePlayer``).

Every widget is an ``ipywidgets`` box whose parts are linked in Python (``widgets.link`` and
observers, never ``jslink``), so setting ``.step``, ``.source`` or a slider's ``.value`` from Python
changes what the widget shows exactly as a click in the browser does — which is also how the tests
drive them. Pictures come from :mod:`teachgrad.render` (Graphviz) and :mod:`teachgrad.plot`
(matplotlib); the numbers all come from the traced :class:`~teachgrad.teaching.graph.Graph`.

For a page with no kernel (nbviewer, exported HTML, a course website), a player's :meth:`static`
shows the same propagation as an HTML animation that runs in the browser alone.

One module per widget family — :mod:`.player`, :mod:`.explorer`, :mod:`.paths`,
:mod:`.derivative`, :mod:`.practice`, :mod:`.program` (a TF-1 program's scopes opened and
closed) — over the shared pieces: :mod:`.html` (boxes, notes, the one table builder),
:mod:`.controls` (Play, previous / next, sliders), :mod:`.sentences` (the teaching text) and
:mod:`.checks` (what the widgets accept).
"""

from ..optional import require

require("ipywidgets", "teachgrad.widgets")   # one line saying what to install, if it is missing

from .derivative import DerivativeExplorer, DerivativeExplorer2D  # noqa: E402
from .explorer import ExpressionExplorer
from .html import CURRENT, CURRENT_FILL, ERROR, INK, MODE_COLOUR, MUTED, PATH, PATH_FILL, POINT
from .paths import PathExplorer
from .player import PropagationPlayer
from .practice import PracticePlayer
from .program import ProgramExplorer

__all__ = ["PropagationPlayer", "ExpressionExplorer", "PathExplorer", "DerivativeExplorer",
           "DerivativeExplorer2D", "PracticePlayer", "ProgramExplorer"]
