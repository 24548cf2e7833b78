"""Plots for the lectures: a function with its derivatives, a gradient field, and what forward and
reverse mode cost.

Every function returns a matplotlib :class:`~matplotlib.figure.Figure` built with the object API
(no pyplot state, so no figure is left behind in a notebook or a test run). Derivatives come from
the engine itself, through nested :func:`teachgrad.grad`, so a plot shows exactly what the code
computes.

Stored lecture outputs must not change from run to run: this module fixes matplotlib's SVG hash
salt, :func:`to_svg` writes no date, and in IPython a returned Figure displays as a PNG (which nbval
does not compare) even when pyplot was never imported.
"""

import inspect
import io

import numpy as np

from .extras import require

matplotlib = require("matplotlib", "teachgrad.plot")   # missing: one line saying what to install
from matplotlib.figure import Figure  # noqa: E402
from matplotlib.ticker import MaxNLocator  # noqa: E402
from mpl_toolkits.axes_grid1 import make_axes_locatable  # noqa: E402

from . import autodiff, functions, graph as _graph  # noqa: E402
from .program import paused_recording  # noqa: E402
from .tensor import Tensor  # noqa: E402

__all__ = ["derivatives", "gradient_field", "compare_modes", "to_svg", "to_png", "as_grid",
           "as_limits"]

# Without a fixed salt, matplotlib draws random ids into every SVG (clip paths, glyphs).
if matplotlib.rcParams["svg.hashsalt"] is None:
    matplotlib.rcParams["svg.hashsalt"] = "teachgrad"

_PRIMES = {0: "", 1: "′", 2: "″", 3: "‴"}
_SUPERSCRIPT = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")
_STYLES = ["-", "--", ":", "-."]


def _figure(size, **margins):
    """A Figure with fixed margins: a layout engine would draw everything twice."""
    fig = Figure(figsize=size)
    fig.subplots_adjust(**margins)
    return fig


def _order_label(name, k):
    """f, f′, f″, f‴, f⁽⁴⁾ …"""
    if k in _PRIMES:
        return f"{name}{_PRIMES[k]}"
    return f"{name}⁽{str(k).translate(_SUPERSCRIPT)}⁾"


def as_grid(x, what="x"):
    """``x`` (an array, a list or a tensor) as the 1-D float array of points to plot on; anything
    else raises ``ValueError`` naming ``what`` and what it must be.

    >>> as_grid([0, 1, 2])
    array([0., 1., 2.])
    """
    if isinstance(x, Tensor):
        x = x.numpy()
    try:
        x = np.asarray(x, dtype=float)
    except (TypeError, ValueError):
        raise ValueError(f"{what} must be numbers (an array, a list or a tensor), got "
                         f"{type(x).__name__}") from None
    if x.ndim != 1 or x.size < 2:
        raise ValueError(f"{what} must be a 1-D array of at least 2 points, e.g. "
                         f"tg.linspace(-3, 3, 200); got shape {x.shape}")
    return x


def _check_differentiable(f, *args):
    """Call f once on tensors; refuse a function that escapes the engine (np.sin instead of tg.sin),
    whose derivative would silently come out as zero."""
    try:
        with paused_recording():       # a probe of f, not part of the user's program
            out = f(*[Tensor(a) for a in args])
    except Exception as e:
        raise ValueError(f"calling f on the grid failed: {type(e).__name__}: {e}") from e
    if isinstance(out, np.ndarray) and out.ndim and np.ptp(out) > 0:
        raise ValueError("f returned a NumPy array, not a teachgrad Tensor, so it cannot be "
                         "differentiated: write it with teachgrad functions (tg.sin, not np.sin)")
    return out


def _nth_derivative(f, k, argnums=0):
    g = f
    for _ in range(k):
        g = autodiff.grad(g, argnums)
    return g


def _values(f, *args, shape):
    with paused_recording():           # the plotted numbers are not part of the user's program
        return np.broadcast_to(np.asarray(f(*args), dtype=float), shape)


def derivatives(f, x, orders=(0, 1), labels=None, title=None):
    """A Figure of ``f`` and its derivatives on the points ``x``.

    The derivative of order ``k`` is ``grad`` nested ``k`` times; a non-scalar output is summed
    first, so for an element-wise ``f`` this is ``f′`` point by point.

    >>> import teachgrad as tg
    >>> fig = derivatives(lambda x: x ** 3, tg.linspace(-2.0, 2.0, 5), orders=(0, 1, 2))
    >>> fig.axes[0].get_legend_handles_labels()[1]
    ['f(x)', 'f′(x)', 'f″(x)']
    >>> fig.axes[0].get_lines()[1].get_ydata().tolist()       # f′ = 3x²
    [12.0, 3.0, 0.0, 3.0, 12.0]
    """
    x = as_grid(x)
    orders = tuple(orders)
    if not orders or any(not isinstance(k, (int, np.integer)) or k < 0 for k in orders):
        raise ValueError(f"orders must be non-negative integers like (0, 1, 2), got {orders!r}")
    if labels is not None and len(labels) != len(orders):
        raise ValueError(f"{len(labels)} labels for {len(orders)} orders {orders}")
    _check_differentiable(f, x)
    fig = _figure((6.4, 4.0), left=0.08, right=0.98, bottom=0.12, top=0.93 if title else 0.97)
    ax = fig.subplots()
    for i, k in enumerate(orders):
        y = _values(_nth_derivative(f, int(k)), x, shape=x.shape)
        label = labels[i] if labels is not None else f"{_order_label('f', int(k))}(x)"
        ax.plot(x, y, _STYLES[i % len(_STYLES)], color=f"C{i}", lw=2, label=label)
    ax.axhline(0, color="0.6", lw=0.8, zorder=0)
    ax.grid(True, color="0.92")
    ax.set_xlim(x[0], x[-1])
    ax.set_xlabel("x")
    ax.legend(frameon=False)
    if title:
        ax.set_title(title)
    return fig


def gradient_field(f, xlim=(-2, 2), ylim=(-2, 2), n=15, surface=False, levels=15, title=None):
    """A Figure: filled contours of a 2-D ``f(x, y)`` and arrows of its gradient.

    The gradient ``(∂f/∂x, ∂f/∂y)`` comes from ``tg.grad(f, argnums=(0, 1))`` on an ``n × n``
    grid (``f`` must work element by element on arrays). The arrows point uphill and cross the
    contour lines at right angles. ``surface=True`` adds a 3-D surface on the left.

    >>> import teachgrad as tg
    >>> fig = gradient_field(lambda x, y: x**2 + 3 * y**2, (-1, 1), (-1, 1), n=5)
    >>> quiver = fig.axes[0].collections[-1]
    >>> float(quiver.U[0]), float(quiver.V[0])       # at (-1, -1): (2x, 6y)
    (-2.0, -6.0)
    """
    (x0, x1), (y0, y1) = as_limits(xlim, "xlim"), as_limits(ylim, "ylim")
    if not isinstance(n, (int, np.integer)) or n < 2:
        raise ValueError(f"n (arrows per side) must be an integer ≥ 2, got {n!r}")
    fine = 80
    X, Y = np.meshgrid(np.linspace(x0, x1, fine), np.linspace(y0, y1, fine))
    Z = _check_differentiable(f, X, Y)
    Z = np.broadcast_to(np.asarray(Z, dtype=float), X.shape)
    U, V = _gradient_grid(f, x0, x1, y0, y1, n)
    Xa, Ya = np.meshgrid(np.linspace(x0, x1, n), np.linspace(y0, y1, n))
    if surface:
        fig = _figure((10.5, 4.4), left=0.0, right=0.92, bottom=0.1, top=0.93, wspace=0.08)
        ax3 = fig.add_subplot(1, 2, 1, projection="3d")
        ax3.plot_surface(X, Y, Z, cmap="viridis", rstride=4, cstride=4, linewidth=0,
                         antialiased=True, alpha=0.9)
        ax3.set_xlabel("x")
        ax3.set_ylabel("y")
        ax3.set_zlabel("f(x, y)")
        ax = fig.add_subplot(1, 2, 2)
    else:
        fig = _figure((5.6, 4.6), left=0.1, right=0.88, bottom=0.1, top=0.93)
        ax = fig.subplots()
    filled = ax.contourf(X, Y, Z, levels=levels, cmap="viridis", alpha=0.85)
    ax.contour(X, Y, Z, levels=filled.levels, colors="white", linewidths=0.6, alpha=0.8,
               linestyles="solid")
    # A divided axes keeps the colour bar beside the square plot without a layout engine.
    cax = make_axes_locatable(ax).append_axes("right", size="4%", pad=0.12)
    fig.colorbar(filled, cax=cax, label="f(x, y)")
    # Arrows to scale: the longest is 0.9 of the grid spacing, so none overlaps its neighbour.
    longest = float(np.max(np.hypot(U, V)))
    spacing = min(x1 - x0, y1 - y0) / (n - 1)
    scale = longest / (0.9 * spacing) if longest > 0 else 1.0
    ax.quiver(Xa, Ya, U, V, color="black", angles="xy", scale_units="xy", scale=scale,
              pivot="tail", width=0.005)
    ax.set_aspect("equal", adjustable="box")
    ax.set_xlim(x0, x1)
    ax.set_ylim(y0, y1)
    ax.set_xlabel("x")
    ax.set_ylabel("y")
    ax.set_title(title if title is not None else "f(x, y) and its gradient ∇f")
    return fig


def as_limits(lim, what):
    """A plotted range ``(low, high)`` as two floats with ``low < high``; anything else raises
    ``ValueError`` naming ``what``.

    >>> as_limits((-2, 2), "xlim")
    (-2.0, 2.0)
    """
    try:
        a, b = (float(v) for v in lim)
    except (TypeError, ValueError):
        raise ValueError(f"{what} must be a pair (low, high), got {lim!r}") from None
    if not a < b:
        raise ValueError(f"{what} must have low < high, got {lim!r}")
    return a, b


def _gradient_grid(f, x0, x1, y0, y1, n):
    X, Y = np.meshgrid(np.linspace(x0, x1, n), np.linspace(y0, y1, n))
    gx, gy = autodiff.grad(f, argnums=(0, 1))(X, Y)
    return (np.broadcast_to(np.asarray(gx, dtype=float), X.shape),
            np.broadcast_to(np.asarray(gy, dtype=float), X.shape))


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
    fig = _figure((9.6, 4.2), left=0.07, right=0.99, bottom=0.14, top=0.91, wspace=0.22)
    passes, madds = fig.subplots(1, 2)
    swept = "reverse" if by_outputs else "forward"      # its passes are the swept count
    passes.plot(xs, xs, "-o" if swept == "forward" else "--s", color="0.25", ms=4, lw=2,
                label=f"{swept}, any number of {'inputs' if by_outputs else 'outputs'}")
    for i, k in enumerate(fixed):
        pairs = [(k, x) if by_outputs else (x, k) for x in xs]      # (inputs, outputs)
        costs = [mode_costs(n, m) for n, m in pairs]
        noun = ("input" if by_outputs else "output") + "s" * (k != 1)
        other = "forward" if by_outputs else "reverse"
        passes.plot(xs, [k] * len(xs), "-o" if other == "forward" else "--s", color=f"C{i}",
                    ms=4, lw=2, label=f"{other}, {k} {noun}")
        madds.plot(xs, [c[0] for c in costs], "-o", color=f"C{i}", ms=4, lw=2,
                   label=f"forward, {k} {noun}")
        madds.plot(xs, [c[1] for c in costs], "--s", color=f"C{i}", ms=4, lw=2,
                   label=f"reverse, {k} {noun}")
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


def to_svg(fig):
    """The Figure as SVG text, byte-identical from run to run (no date, fixed ids).

    >>> fig = derivatives(lambda x: x * x, [0.0, 1.0])
    >>> to_svg(fig) == to_svg(fig)
    True
    """
    buf = io.StringIO()
    with matplotlib.rc_context({"svg.hashsalt": "teachgrad"}):
        fig.savefig(buf, format="svg", metadata={"Date": None})
    return buf.getvalue()


def to_png(fig, dpi=100):
    """The Figure as PNG bytes (what the widgets show), compressed lightly: zlib level 3 encodes
    in a third of the time of the default level 6 for a file 4 % larger.

    >>> to_png(derivatives(lambda x: x * x, [0.0, 1.0]))[:4]
    b'\\x89PNG'
    """
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=dpi, metadata={"Software": None},
                pil_kwargs={"compress_level": 3})
    return buf.getvalue()


def _register_ipython_display():
    """In IPython, display a bare Figure as a PNG even if pyplot (which would set that up) was never
    imported; the inline backend replaces this when pyplot is imported."""
    import sys
    if "IPython" not in sys.modules:
        return
    try:
        ip = sys.modules["IPython"].get_ipython()
    except AttributeError:
        return
    if ip is None:
        return
    png = ip.display_formatter.formatters["image/png"]
    try:
        png.lookup_by_type(Figure)
    except KeyError:
        png.for_type(Figure, lambda fig: to_png(fig))


_register_ipython_display()
