"""Pictures of a traced graph, drawn by Graphviz: static, one step of a propagation, or an animation.

Every picture is laid out left to right like the figures in colah's "Calculus on Computational
Graphs": a node shows its formula and value, an edge its local partial (``∂e/∂c = d = 2``). A step
of a propagation highlights the node being computed and the edges it reads, shows the tangents
(forward mode) or adjoints (reverse mode) found so far in the mode's colour, and prints the step's
arithmetic under the graph. Pictures read in light and dark themes alike, and the same graph at
the same step always gives byte-identical SVG.

One module per part:

- :mod:`.colours` — the colours and font, shared with the widgets;
- :mod:`.view` — what one picture shows (steps done, the current step, a path), options checked;
- :mod:`.dot` — the ``graphviz.Digraph`` of one picture: labels, attributes, caption, layout;
- :mod:`.sizes` — how big a picture may get: the layout each size gets, the limits on labels;
- :mod:`.process` — running Graphviz: a time limit, and a :class:`GraphvizError` for each failure;
- :mod:`.engine` — the cache per graph, clean SVG, every frame of a propagation;
- :mod:`.animation` — the self-contained HTML animation (``animation.js``, ``animation.css``);
- :mod:`.files` — writing ``.svg``, ``.png``, ``.pdf`` and ``.html`` files.

This package imports ``graphviz``; ``import teachgrad`` loads it only on first use.

>>> import teachgrad as tg
>>> g = tg.trace("e = (a + b) * (b + 1)", a=2, b=1)
>>> svg(g) == g.svg(), len(frames(g, "reverse"))
(True, 6)
"""

# Everything below is public as it was in the single module; __all__ is the star-import list.
import graphviz  # noqa: F401  (``render.graphviz``: the benchmarks print its version)

from ..teaching.notation import MODES  # noqa: F401
from .animation import MAX_ANIMATION_SIZE, animation_html  # noqa: F401
from .colours import (BORDER, CURRENT, CURRENT_FILL, FADED, FONT, INK, INPUT_FILL, LABEL_FILL, LINE, MODE_COLOUR, MUTED, NODE_FILL, PATH, PATH_FILL)
from .dot import LR_MAX_RANKS, to_dot  # noqa: F401
from .engine import (DOT_TIMEOUT, INSTALL_HELP, NO_PROCESSES_HELP, GraphvizError, GraphvizNotFound, clear_cache, frames, mimebundle, svg)
from .files import SUFFIXES, write

__all__ = ["to_dot", "svg", "mimebundle", "frames", "animation_html", "write",
           "GraphvizError", "GraphvizNotFound", "INSTALL_HELP", "SUFFIXES", "clear_cache"]
