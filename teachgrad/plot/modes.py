"""What forward and reverse mode cost, plotted: passes and multiply-adds for the whole Jacobian,
counted from the steps of real traced graphs (see :func:`mode_costs`). Shown as
``tg.plot.compare_modes`` and ``tg.plot.mode_costs``.
"""

import inspect

import numpy as np

from ..optional import require

require("matplotlib", "teachgrad.plot")
from matplotlib.ticker import MaxNLocator  # noqa: E402

from ..tf1 import math_ops as functions
from ..teaching import graph as _graph  # noqa: E402
from .style import figure  # noqa: E402

__all__ = ["mode_costs", "compare_modes"]


def _family(n_inputs, n_outputs):
    """A real traced graph with ``n_inputs`` inputs and ``n_outputs`` outputs:
    ``s = sin(x1) + … + sin(xn)`` and ``y_j = j·s`` for j = 1 … n_outputs."""
    def f(*xs):
        s = None
        for x in xs:
            s = functions.sin(x) if s is None else s + functions.sin(x)
        return [s * float(j) for j in range(1, n_outputs + 1)]
    names = [f"x{i + 1}" for i in range(n_inputs)]
    f.__signature__ = inspect.Signature(
        [inspect.Parameter(p, inspect.Parameter.POSITIONAL_OR_KEYWORD) for p in names])
    return _graph.trace(f, **{p: 0.5 for p in names})


def mode_costs(n_inputs, n_outputs):
    """Multiply-adds for the whole Jacobian of the graph ``y_j = j·Σ sin(x_i)`` with
    ``n_inputs`` inputs and ``n_outputs`` outputs, counted from its steps:
    ``(forward, reverse)`` = (one forward pass per input, one reverse pass per output).

    >>> mode_costs(3, 1)        # 3 sin, 2 adds, 1 scale: 3 + 4 + 1 = 8 edges
    (24, 8)
    """
    g = _family(n_inputs, n_outputs)
    # A forward pass reads every edge whatever its seed, so the n passes cost the same each.
    one_forward = sum(step.madds for step in g.forward_mode(g.inputs[0]))
    forward = one_forward * len(g.inputs)
    reverse = sum(step.madds for out in g.outputs for step in g.reverse_mode(out))
    return forward, reverse


def _counts(max_n):
    """At most 9 graph sizes 1 … max_n, evenly spaced (each is a traced graph: under 200 ms)."""
    every = max(1, -(-max_n // 8))
    return sorted({1, *range(every, max_n + 1, every), max_n})


def _positive(value, what, example):
    value = (value,) if isinstance(value, (int, np.integer)) else tuple(value)
    if not value or any(not isinstance(m, (int, np.integer)) or m < 1 for m in value):
        raise ValueError(f"{what} must be positive integers like {example}, got {value!r}")
    return value


def _mode_axes(ax, title, ylabel, xlabel):
    ax.set_yscale("log")
    ax.set_title(title, fontsize=13)
    ax.set_ylabel(ylabel, fontsize=12)
    ax.set_xlabel(xlabel, fontsize=12)
    ax.tick_params(labelsize=12)
    ax.grid(True, which="major", color="0.88")
    ax.legend(frameon=False, fontsize=12)


def _plot_costs(passes, madds, xs, k, by_outputs, color):
    """The curves for ``k`` inputs (sweeping the outputs) or ``k`` outputs (sweeping the inputs):
    the fixed count's passes, and both modes' multiply-adds."""
    pairs = [(k, x) if by_outputs else (x, k) for x in xs]      # (inputs, outputs)
    costs = [mode_costs(n, m) for n, m in pairs]
    noun = ("input" if by_outputs else "output") + "s" * (k != 1)
    other = "forward" if by_outputs else "reverse"
    passes.plot(xs, [k] * len(xs), "-o" if other == "forward" else "--s", color=color,
                ms=4, lw=2, label=f"{other}, {k} {noun}")
    madds.plot(xs, [c[0] for c in costs], "-o", color=color, ms=4, lw=2,
               label=f"forward, {k} {noun}")
    madds.plot(xs, [c[1] for c in costs], "--s", color=color, ms=4, lw=2,
               label=f"reverse, {k} {noun}")


def compare_modes(max_inputs=16, outputs=(1,), max_outputs=None, inputs=(2,)):
    """A Figure of what forward and reverse mode cost for the whole Jacobian, on log axes: on
    the left the number of passes (forward: one per input; reverse: one per output), on the
    right the multiply-adds (a pass reads each edge it needs once, so a bigger graph costs more
    per pass). The sweep is over the number of inputs 1 … ``max_inputs``, one pair of curves
    for each number of outputs in ``outputs``; with ``max_outputs`` it is over the number of
    outputs instead, one pair of curves per number of inputs in ``inputs``. The costs are
    counted from the steps of real traced graphs (``y_j = j·Σ sin(x_i)``), see
    :func:`mode_costs`.

    >>> fig = compare_modes(max_inputs=4, outputs=(1, 3))
    >>> passes, madds = fig.axes
    >>> madds.get_legend_handles_labels()[1]
    ['forward, 1 output', 'reverse, 1 output', 'forward, 3 outputs', 'reverse, 3 outputs']
    >>> [line.get_label() for line in passes.get_lines()]
    ['forward, any number of outputs', 'reverse, 1 output', 'reverse, 3 outputs']
    >>> [line.get_ydata().tolist() for line in passes.get_lines()]
    [[1, 2, 3, 4], [1, 1, 1, 1], [3, 3, 3, 3]]
    >>> madds.get_lines()[1].get_ydata().tolist()          # reverse, 1 output: the edges
    [2, 5, 8, 11]
    >>> fig = compare_modes(max_outputs=3, inputs=(2,))
    >>> [line.get_ydata().tolist() for line in fig.axes[0].get_lines()]    # passes
    [[1, 2, 3], [2, 2, 2]]
    """
    by_outputs = max_outputs is not None
    limit, what = (max_outputs, "max_outputs") if by_outputs else (max_inputs, "max_inputs")
    if not isinstance(limit, (int, np.integer)) or limit < 1:
        raise ValueError(f"{what} must be a positive integer, got {limit!r}")
    fixed = _positive(inputs, "inputs", "(2, 8)") if by_outputs else \
        _positive(outputs, "outputs", "(1, 5)")
    xs = _counts(limit)
    fig = figure((9.6, 4.2), left=0.07, right=0.99, bottom=0.14, top=0.91, wspace=0.22)
    passes, madds = fig.subplots(1, 2)
    swept = "reverse" if by_outputs else "forward"      # its passes are the swept count
    passes.plot(xs, xs, "-o" if swept == "forward" else "--s", color="0.25", ms=4, lw=2,
                label=f"{swept}, any number of {'inputs' if by_outputs else 'outputs'}")
    for i, k in enumerate(fixed):
        _plot_costs(passes, madds, xs, k, by_outputs, f"C{i}")
    xlabel = f"number of {'outputs' if by_outputs else 'inputs'}   (graphs yⱼ = j·Σ sin xᵢ)"
    _mode_axes(passes, "passes (one per input / per output)", "passes", xlabel)
    _mode_axes(madds, "multiply-adds (passes × edges read)", "multiply-adds, whole Jacobian",
               xlabel)
    for ax in (passes, madds):
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    # Room above the curves for the legend (a log axis: a factor, not a margin).
    passes.set_ylim(0.7, 6 * max(max(xs), *fixed))
    passes.legend(frameon=False, fontsize=12, loc="upper left")
    return fig
