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

import io

import numpy as np

from ..optional import require

matplotlib = require("matplotlib", "teachgrad.plot")   # missing: one line saying what to install
from matplotlib.figure import Figure  # noqa: E402
from mpl_toolkits.axes_grid1 import make_axes_locatable  # noqa: E402

from ..autodiff import transforms as autodiff  # noqa: E402
from .modes import compare_modes, mode_costs  # noqa: E402  (tg.plot.compare_modes)
from .style import TEXT_PT, TITLE_PT, figure, readable  # noqa: E402,F401
from ..core.program_graph import paused_recording  # noqa: E402
from ..core.tensor import Tensor  # noqa: E402

__all__ = ["derivatives", "inflection_points", "gradient_field", "compare_modes", "mode_costs", "to_svg",
           "to_png", "as_grid", "as_limits"]

# Without a fixed salt, matplotlib draws random ids into every SVG (clip paths, glyphs).
if matplotlib.rcParams["svg.hashsalt"] is None:
    matplotlib.rcParams["svg.hashsalt"] = "teachgrad"

_PRIMES = {0: "", 1: "′", 2: "″", 3: "‴"}
_SUPERSCRIPT = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")
_STYLES = ["-", "--", ":", "-."]
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


def _check_orders(orders, labels):
    orders = tuple(orders)
    if not orders or any(not isinstance(k, (int, np.integer)) or k < 0 for k in orders):
        raise ValueError(f"orders must be non-negative integers like (0, 1, 2), got {orders!r}")
    if labels is not None and len(labels) != len(orders):
        raise ValueError(f"{len(labels)} labels for {len(orders)} orders {orders}")
    return tuple(int(k) for k in orders)


def derivatives(f, x, orders=(0, 1), labels=None, title=None, stacked=False, inflections=None):
    """A Figure of ``f`` and its derivatives on the points ``x``.

    The derivative of order ``k`` is ``grad`` nested ``k`` times; a non-scalar output is summed
    first, so for an element-wise ``f`` this is ``f′`` point by point.

    All curves share one axis, unless ``stacked=True``: then each order has its own axis, one
    above the other with a shared x axis, so a small ``f″`` is not flattened by a large ``f``
    (``fig.axes[i]`` draws ``orders[i]``). ``inflections`` marks the inflection points — where
    ``f″`` changes sign (see :func:`inflection_points`) — with a dotted line through every panel
    and a dot on ``f``; by default they are marked when stacked and ``2`` is among the orders.

    >>> import teachgrad as tg
    >>> fig = derivatives(lambda x: x ** 3, tg.linspace(-2.0, 2.0, 5), orders=(0, 1, 2))
    >>> fig.axes[0].get_legend_handles_labels()[1]
    ['f(x)', 'f′(x)', 'f″(x)']
    >>> fig.axes[0].get_lines()[1].get_ydata().tolist()       # f′ = 3x²
    [12.0, 3.0, 0.0, 3.0, 12.0]
    >>> cubic = lambda x: 2*x**3 - 5*x**2 + 3*x - 1
    >>> fig = derivatives(cubic, tg.linspace(-0.25, 2.0, 46), orders=(0, 1, 2), stacked=True)
    >>> [ax.get_ylabel() for ax in fig.axes]
    ['f(x)', 'f′(x)', 'f″(x)']
    >>> [round(float(line.get_xdata()[0]), 4) for line in fig.axes[2].get_lines()
    ...  if line.get_label().startswith("inflection")]           # f″ = 12x − 10 = 0
    [0.8333]
    """
    x = as_grid(x)
    orders = _check_orders(orders, labels)
    _check_differentiable(f, x)
    names = labels if labels is not None else [f"{_order_label('f', k)}(x)" for k in orders]
    curves = [_values(_nth_derivative(f, k), x, shape=x.shape) for k in orders]
    if inflections is None:
        inflections = stacked and 2 in orders
    marks = inflection_points(f, x) if inflections else np.array([])
    fig, axes = _derivative_axes(len(orders), stacked, title)
    for i, (y, name) in enumerate(zip(curves, names)):
        axes[i].plot(x, y, _STYLES[0 if stacked else i % len(_STYLES)], color=f"C{i}", lw=2,
                     label=name)
        if stacked:
            axes[i].set_ylabel(name)
    for ax in dict.fromkeys(axes):      # each distinct axis once, top to bottom
        ax.axhline(0, color="0.6", lw=0.8, zorder=0)
        ax.grid(True, color="0.92")
        ax.set_xlim(x[0], x[-1])
        readable(ax)
    _mark_inflections(f, marks, axes, orders, stacked)
    axes[-1].set_xlabel("x", fontsize=TEXT_PT)
    if not stacked or len(marks):
        axes[0].legend(frameon=False, fontsize=TEXT_PT)
    if title:
        axes[0].set_title(title, fontsize=TITLE_PT)
    return fig


def _derivative_axes(n, stacked, title):
    """The Figure and one axis per curve: the same axis n times, or n stacked axes."""
    if stacked:
        fig = figure((6.4, 1.0 + 1.85 * n), left=0.14, right=0.97, bottom=0.08,
                      top=0.95 if title else 0.98, hspace=0.12)
        return fig, list(fig.subplots(n, 1, sharex=True, squeeze=False)[:, 0])
    fig = figure((6.4, 4.0), left=0.1, right=0.98, bottom=0.13, top=0.92 if title else 0.97)
    return fig, [fig.subplots()] * n


def _mark_inflections(f, marks, axes, orders, stacked):
    """A dotted line at each inflection point through every axis, a dot on f (and on f″ = 0)."""
    for ax in dict.fromkeys(axes):
        for k, p in enumerate(marks):
            ax.axvline(p, color="0.35", ls=":", lw=1.4,
                       label="inflection point (f″ = 0)" if k == 0 else "_nolegend_")
    if len(marks) and 0 in orders:
        axes[orders.index(0)].plot(marks, _values(f, marks, shape=marks.shape), "o",
                                   color="0.2", ms=7, label="_nolegend_", zorder=5)
    if len(marks) and stacked and 2 in orders:
        axes[orders.index(2)].plot(marks, np.zeros_like(marks), "o", color="0.2", ms=7,
                                   label="_nolegend_", zorder=5)


def inflection_points(f, x):
    """The points of ``x``'s range where ``f″`` changes sign (the curve switches between bending
    down and bending up), located between grid points by linear interpolation of ``f″``.

    >>> import teachgrad as tg
    >>> inflection_points(lambda x: x**3 - 6 * x**2, tg.linspace(-1.0, 5.0, 7))   # 6x − 12 = 0
    array([2.])
    """
    x = as_grid(x)
    d2 = _values(_nth_derivative(f, 2), x, shape=x.shape)
    points = []
    for i in range(len(x) - 1):
        a, b = d2[i], d2[i + 1]
        if a * b < 0:
            points.append(x[i] + (x[i + 1] - x[i]) * a / (a - b))
        elif b == 0 and i + 2 < len(x) and a * d2[i + 2] < 0:   # exactly 0 on a grid point
            points.append(x[i + 1])
    return np.array(points, dtype=float)


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
        fig = figure((9.8, 4.4), left=0.0, right=0.91, bottom=0.12, top=0.92, wspace=0.12)
        _surface(fig.add_subplot(1, 2, 1, projection="3d"), X, Y, Z)
        ax = fig.add_subplot(1, 2, 2)
    else:
        fig = figure((5.6, 4.6), left=0.12, right=0.86, bottom=0.12, top=0.92)
        ax = fig.subplots()
    filled = ax.contourf(X, Y, Z, levels=levels, cmap="viridis", alpha=0.85)
    ax.contour(X, Y, Z, levels=filled.levels, colors="white", linewidths=0.6, alpha=0.8,
               linestyles="solid")
    # A divided axes keeps the colour bar beside the square plot without a layout engine.
    cax = make_axes_locatable(ax).append_axes("right", size="4%", pad=0.12)
    bar = fig.colorbar(filled, cax=cax)
    bar.set_label("f(x, y)", fontsize=TEXT_PT)
    cax.tick_params(labelsize=TEXT_PT)
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
    readable(ax)
    return fig


def _surface(ax3, X, Y, Z):
    """A smooth surface: one facet per grid cell of the fine grid, no edges drawn between facets
    (antialiased facets leave thin light seams), coloured by height like the contours."""
    ax3.plot_surface(X, Y, Z, cmap="viridis", rstride=1, cstride=1, linewidth=0,
                     edgecolor="none", antialiased=False)
    ax3.set_xlabel("x")
    ax3.set_ylabel("y")
    ax3.set_zlabel("f(x, y)", labelpad=10)
    ax3.set_box_aspect(None, zoom=0.85)    # room for the z label inside the figure
    readable(ax3)


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
