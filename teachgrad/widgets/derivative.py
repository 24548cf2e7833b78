"""DerivativeExplorer and DerivativeExplorer2D: a point moved along a function, with its tangent
line (1-D) or its gradient arrow (2-D) redrawn on the matplotlib figure of :mod:`teachgrad.plot`."""

import ipywidgets as widgets
import numpy as np

from ..autodiff import transforms as autodiff
from ..plot import functions as plot
from ..plot.style import TEXT_PT
from .checks import check_point
from .html import POINT, error_html, note_html

__all__ = ["DerivativeExplorer", "DerivativeExplorer2D"]


def _scalar(v):
    return float(np.asarray(v, dtype=float))


def _check_function(f, n_variables):
    if not callable(f):
        raise TypeError(f"f must be a function of {n_variables}, got {type(f).__name__}")


def _grid(x, n):
    """The points to plot on and their range: ``(low, high)`` sampled ``n`` times, or the points
    given."""
    if isinstance(x, tuple) and len(x) == 2:
        lo, hi = plot.as_limits(x, "x")
        return np.linspace(lo, hi, n), lo, hi
    grid = plot.as_grid(x)
    return grid, float(grid.min()), float(grid.max())


def _fit_y_to_curves(ax):
    """Fix the view to the curves, so a steep tangent does not rescale the plot."""
    ys = np.concatenate([line.get_ydata() for line in ax.get_lines()
                         if not line.get_label().startswith("_")])
    ys = ys[np.isfinite(ys)]
    if ys.size:
        pad = 0.08 * max(float(ys.max() - ys.min()), 1e-9)
        ax.set_ylim(float(ys.min()) - pad, float(ys.max()) + pad)


def _has_quiver(ax):
    return any(type(c).__name__ == "Quiver" for c in ax.collections)


def _point_slider(description, value, lo, hi, steps, **options):
    return widgets.FloatSlider(value=value, min=lo, max=hi, step=(hi - lo) / steps,
                               description=description, readout_format=".3g", **options)


class DerivativeExplorer(widgets.VBox):
    """Plot ``f``, ``f′`` and ``f″`` (nested :func:`teachgrad.grad`) with a point you move along
    the curve and the tangent line there, whose slope is ``f′`` at the point.

    ``x`` is the plotted range ``(low, high)`` (or an array of points); ``orders`` the derivatives
    drawn. ``labels`` (one per order), ``tangent_label``, ``xlabel`` and ``ylabel`` name what
    the picture shows in the lecture's own words. The figure is shown as a PNG; ``.figure`` is
    the matplotlib Figure.

    >>> ex = DerivativeExplorer(lambda x: x ** 2, x=(-2, 2), point=1.5)
    >>> ex.slope, ex.value
    (3.0, 2.25)
    >>> ex.point = -1.0
    >>> ex.slope
    -2.0
    >>> ex = DerivativeExplorer(lambda b: (2 + b) * (b + 1), x=(-1, 3), orders=(0,), point=1.0,
    ...                         labels=["e = (2 + b)(b + 1)"], tangent_label="slope ∂e/∂b",
    ...                         xlabel="b", ylabel="e")
    >>> ex.ax.get_legend_handles_labels()[1], ex.ax.get_xlabel(), ex.ax.get_ylabel(), ex.slope
    (['e = (2 + b)(b + 1)', 'slope ∂e/∂b'], 'b', 'e', 5.0)
    """

    def __init__(self, f, x=(-3, 3), orders=(0, 1, 2), point=0.0, n=300, labels=None,
                 tangent_label="tangent at the point", xlabel=None, ylabel=None):
        _check_function(f, "one variable")
        super().__init__()
        self.add_class("tg-derivative-explorer")   # a stable hook for browser tests and styling
        grid, lo, hi = _grid(x, n)
        self._f = f
        self._df = autodiff.grad(f)
        self._d2f = autodiff.grad(self._df)
        self._lo, self._hi = lo, hi
        self._point = check_point(point, lo, hi, "point")
        self.figure = plot.derivatives(f, grid, orders=orders, labels=labels)
        ax = self.ax = self.figure.axes[0]
        if xlabel is not None:
            ax.set_xlabel(xlabel, fontsize=TEXT_PT)
        if ylabel is not None:
            ax.set_ylabel(ylabel, fontsize=TEXT_PT)
            self.figure.subplots_adjust(left=0.12)      # room for the y label
        self.figure.subplots_adjust(right=0.96)         # room for the last tick label
        _fit_y_to_curves(ax)
        self._tangent, = ax.plot([lo, hi], [0, 0], "-", color=POINT, lw=1.6,
                                 label=tangent_label)
        self._marker, = ax.plot([self._point], [0], "o", color=POINT, ms=8, mec="white",
                                zorder=5)
        ax.legend(frameon=False, loc="best")
        self.slider = _point_slider("point", self._point, lo, hi, 200, continuous_update=True,
                                    layout=widgets.Layout(width="30em"))
        self.slider.observe(self._on_point, names="value")
        self.image = widgets.Image(format="png")
        self.readout = widgets.HTML()
        self.error_box = widgets.HTML()
        self.children = [self.slider, self.readout, self.error_box, self.image]
        self._update()

    @property
    def point(self):
        return self._point

    @point.setter
    def point(self, value):
        self.slider.value = check_point(value, self._lo, self._hi, "point")
        if self.slider.value != self._point:       # the slider rounds to its step
            self._point = float(value)
            self._update()

    @property
    def value(self):
        """f at the point."""
        return self._values[0]

    @property
    def slope(self):
        """f′ at the point: the slope of the tangent line."""
        return self._values[1]

    @property
    def curvature(self):
        """f″ at the point."""
        return self._values[2]

    def __repr__(self):
        name = getattr(self._f, "__name__", "f")
        return (f"<DerivativeExplorer {name} on [{self._lo:g}, {self._hi:g}] at x = "
                f"{self._point:g}: f = {self.value:.4g}, f′ = {self.slope:.4g}, "
                f"f″ = {self.curvature:.4g}>")

    def _on_point(self, change):
        self._point = float(change["new"])
        self._update()

    def _update(self):
        p = self._point
        try:
            self._values = (_scalar(self._f(p)), _scalar(self._df(p)), _scalar(self._d2f(p)))
        except Exception as e:          # f itself failed at this point: say so, keep the plot
            self.error_box.value = error_html(f"f({p:g}) failed: {type(e).__name__}: {e}")
            self._values = (float("nan"),) * 3
            return
        self.error_box.value = ""
        y, slope = self._values[0], self._values[1]
        self._tangent.set_data([self._lo, self._hi],
                               [y + slope * (self._lo - p), y + slope * (self._hi - p)])
        self._marker.set_data([p], [y])
        self.image.value = plot.to_png(self.figure)
        self.readout.value = note_html(
            f"x = <b>{p:.4g}</b>: f(x) = <b>{y:.4g}</b>, f′(x) = <b>{slope:.4g}</b> (the "
            f"tangent's slope), f″(x) = <b>{self._values[2]:.4g}</b>", POINT)


class DerivativeExplorer2D(widgets.VBox):
    """A function of two variables: filled contours, gradient arrows, and the gradient at a point
    you move with two sliders (optionally beside a 3-D surface).

    >>> ex = DerivativeExplorer2D(lambda x, y: x**2 + 3 * y**2, (-2, 2), (-2, 2), point=(1, 1))
    >>> ex.gradient
    (2.0, 6.0)
    >>> ex.point = (0.5, -1.0)
    >>> ex.gradient, ex.value
    ((1.0, -6.0), 3.25)
    """

    def __init__(self, f, xlim=(-2, 2), ylim=(-2, 2), point=(0.5, 0.5), surface=False, n=15):
        _check_function(f, "two variables")
        super().__init__()
        self.add_class("tg-derivative-explorer-2d")   # a stable hook for browser tests and styling
        (self._x0, self._x1) = plot.as_limits(xlim, "xlim")
        (self._y0, self._y1) = plot.as_limits(ylim, "ylim")
        self._f = f
        self._grad = autodiff.grad(f, argnums=(0, 1))
        self._point = self._check(point)
        self.figure = plot.gradient_field(f, (self._x0, self._x1), (self._y0, self._y1), n=n,
                                          surface=surface)
        self._add_point_artists()
        self.x_slider = _point_slider("x", self._point[0], self._x0, self._x1, 100)
        self.y_slider = _point_slider("y", self._point[1], self._y0, self._y1, 100)
        self.x_slider.observe(self._on_slider, names="value")
        self.y_slider.observe(self._on_slider, names="value")
        self.image = widgets.Image(format="png")
        self.readout = widgets.HTML()
        self.error_box = widgets.HTML()
        self._hold = False
        self.children = [widgets.HBox([self.x_slider, self.y_slider]), self.readout,
                         self.error_box, self.image]
        self._update()

    def _add_point_artists(self):
        """The point's marker and gradient arrow on the field (and its marker on the surface)."""
        self.ax = next(a for a in self.figure.axes if _has_quiver(a))
        self.ax3d = next((a for a in self.figure.axes if a.name == "3d"), None)
        # The arrow at the point shows the gradient's direction at a fixed, visible length (its
        # size is in the readout): near a flat spot the field's own arrows shrink to dots.
        self._arrow_length = 0.2 * min(self._x1 - self._x0, self._y1 - self._y0)
        self._arrow = self.ax.quiver([0], [0], [0], [0], color=POINT, angles="xy",
                                     scale_units="xy", scale=1.0, width=0.012,
                                     edgecolor="white", linewidth=0.8, zorder=6)
        self._marker, = self.ax.plot([0], [0], "o", color=POINT, ms=8, mec="white", zorder=7)
        self._marker3d = None
        if self.ax3d is not None:
            self._marker3d, = self.ax3d.plot([0], [0], [0], "o", color=POINT, ms=7,
                                             mec="white", zorder=10)

    def _check(self, point):
        try:
            x, y = point
        except (TypeError, ValueError):
            raise TypeError(f"point must be a pair (x, y), got {point!r}") from None
        return (check_point(x, self._x0, self._x1, "point x"),
                check_point(y, self._y0, self._y1, "point y"))

    @property
    def point(self):
        return self._point

    @point.setter
    def point(self, value):
        x, y = self._check(value)
        self._hold = True
        try:
            self.x_slider.value, self.y_slider.value = x, y
        finally:
            self._hold = False
        self._point = (x, y)
        self._update()

    @property
    def value(self):
        return self._values[0]

    @property
    def gradient(self):
        """(∂f/∂x, ∂f/∂y) at the point."""
        return self._values[1]

    def __repr__(self):
        gx, gy = self.gradient
        return (f"<DerivativeExplorer2D {getattr(self._f, '__name__', 'f')} at "
                f"({self._point[0]:g}, {self._point[1]:g}): f = {self.value:.4g}, "
                f"∇f = ({gx:.4g}, {gy:.4g})>")

    def _on_slider(self, change):
        if not self._hold:
            self._point = (float(self.x_slider.value), float(self.y_slider.value))
            self._update()

    def _update(self):
        x, y = self._point
        try:
            value = _scalar(self._f(x, y))
            gx, gy = (_scalar(g) for g in self._grad(x, y))
        except Exception as e:
            self.error_box.value = error_html(f"f({x:g}, {y:g}) failed: {type(e).__name__}: {e}")
            self._values = (float("nan"), (float("nan"), float("nan")))
            return
        self.error_box.value = ""
        self._values = (value, (gx, gy))
        self._move_point_artists(x, y, value, gx, gy)
        self.image.value = plot.to_png(self.figure)
        norm = float(np.hypot(gx, gy))
        self.readout.value = note_html(
            f"at ({x:.3g}, {y:.3g}): f = <b>{value:.4g}</b>, ∇f = (∂f/∂x, ∂f/∂y) = "
            f"(<b>{gx:.4g}</b>, <b>{gy:.4g}</b>), |∇f| = {norm:.4g} — the steepest way up "
            "(the red arrow's direction)", POINT)

    def _move_point_artists(self, x, y, value, gx, gy):
        norm = float(np.hypot(gx, gy))
        unit = self._arrow_length / norm if norm > 0 else 0.0
        self._arrow.set_offsets([[x, y]])
        self._arrow.set_UVC([gx * unit], [gy * unit])
        self._marker.set_data([x], [y])
        if self._marker3d is not None:
            self._marker3d.set_data_3d([x], [y], [value])
