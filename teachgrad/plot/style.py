"""What every lecture plot shares: text sizes readable from the back of a room, and figures
with fixed margins.

>>> fig = figure((4, 3), left=0.1)
>>> ax = fig.subplots()
>>> readable(ax)
>>> ax.xaxis.get_label().get_fontsize() >= TEXT_PT
True
"""

from ..optional import require

require("matplotlib", "teachgrad.plot")
from matplotlib.figure import Figure  # noqa: E402

__all__ = ["TEXT_PT", "TITLE_PT", "figure", "readable"]

# Text sizes in points: at 100 dpi and 100 % zoom, 12 pt is readable from the back of a room.
TEXT_PT = 12
TITLE_PT = 13


def figure(size, **margins):
    """A Figure with fixed margins: a layout engine would draw everything twice."""
    fig = Figure(figsize=size)
    fig.subplots_adjust(**margins)
    return fig


def readable(ax):
    """Every text of ``ax`` at :data:`TEXT_PT` or more (matplotlib's default is 10 pt)."""
    ax.tick_params(labelsize=TEXT_PT)
    for label in (ax.xaxis.label, ax.yaxis.label):
        label.set_fontsize(TEXT_PT)
    ax.title.set_fontsize(TITLE_PT)
    if getattr(ax, "zaxis", None) is not None:
        ax.zaxis.label.set_fontsize(TEXT_PT)
