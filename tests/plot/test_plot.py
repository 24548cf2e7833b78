"""The plots: what is drawn is the function and its exact derivatives, the arrows are the gradient,
and the cost curves are counted from real graphs."""

import subprocess
import sys
import textwrap

import numpy as np
import pytest

import teachgrad as tg

plot = pytest.importorskip("teachgrad.plot")
plot_modes = pytest.importorskip("teachgrad.plot.modes")


def labelled_lines(ax):
    return [line for line in ax.get_lines() if not line.get_label().startswith("_")]


class TestDerivatives:
    def test_lines_are_f_and_its_exact_derivatives(self):
        x = np.linspace(-3, 3, 61)
        fig = plot.derivatives(tg.sin, x, orders=(0, 1, 2, 3))
        assert len(fig.axes) == 1
        lines = labelled_lines(fig.axes[0])
        assert [line.get_label() for line in lines] == ["f(x)", "f′(x)", "f″(x)", "f‴(x)"]
        for line, exact in zip(lines, [np.sin(x), np.cos(x), -np.sin(x), -np.cos(x)]):
            assert np.allclose(line.get_xdata(), x)
            assert np.allclose(line.get_ydata(), exact, atol=1e-12)

    def test_the_lecture_cubic_from_a_tensor_grid(self):
        cubic = lambda x: 2 * x**3 - 5 * x**2 + 3 * x - 1   # noqa: E731
        x = tg.linspace(-1.0, 3.0, 9)
        fig = plot.derivatives(cubic, x, orders=(1, 2), labels=["slope", "curvature"])
        slope, curvature = labelled_lines(fig.axes[0])
        xs = x.numpy()
        assert slope.get_label() == "slope"
        assert np.allclose(slope.get_ydata(), 6 * xs**2 - 10 * xs + 3)
        assert np.allclose(curvature.get_ydata(), 12 * xs - 10)
        assert fig.axes[0].get_legend() is not None

    def test_a_constant_and_a_fourth_derivative(self):
        fig = plot.derivatives(lambda x: x**4 + 0 * x + 7.0, [0.0, 1.0, 2.0], orders=(4,))
        line, = labelled_lines(fig.axes[0])
        assert line.get_label() == "f⁽⁴⁾(x)" and line.get_ydata().tolist() == [24.0] * 3

    def test_bad_input_is_explained(self):
        with pytest.raises(ValueError, match="tg.sin, not np.sin"):
            plot.derivatives(np.sin, np.linspace(0, 1, 5))
        with pytest.raises(ValueError, match="non-negative integers"):
            plot.derivatives(tg.sin, [0.0, 1.0], orders=(0, -1))
        with pytest.raises(ValueError, match="1-D array"):
            plot.derivatives(tg.sin, np.zeros((3, 3)))
        with pytest.raises(ValueError, match="2 labels for 1 orders"):
            plot.derivatives(tg.sin, [0.0, 1.0], orders=(0,), labels=["a", "b"])
        with pytest.raises(ValueError, match="calling f on the grid failed"):
            plot.derivatives(lambda x: x @ x @ x, [0.0, 1.0])


    def test_stacked_gives_each_order_its_own_axis_and_marks_the_inflection(self):
        cubic = lambda x: 2 * x**3 - 5 * x**2 + 3 * x - 1   # noqa: E731
        x = np.linspace(-0.25, 2.0, 226)
        fig = plot.derivatives(cubic, x, orders=(0, 1, 2), stacked=True)
        assert len(fig.axes) == 3
        assert [ax.get_ylabel() for ax in fig.axes] == ["f(x)", "f′(x)", "f″(x)"]
        assert fig.axes[0].get_shared_x_axes().joined(fig.axes[0], fig.axes[2])
        (second,) = [line for line in labelled_lines(fig.axes[2])
                     if line.get_label() == "f″(x)"]
        assert np.allclose(second.get_ydata(), 12 * x - 10)       # f″ on its own scale
        for ax in fig.axes:                                       # one dotted line per panel
            marks = [line for line in ax.get_lines() if line.get_linestyle() == ":"]
            assert len(marks) == 1 and np.isclose(marks[0].get_xdata()[0], 10 / 12)
        dots = [line for line in fig.axes[0].get_lines() if line.get_marker() == "o"]
        assert np.isclose(dots[0].get_ydata()[0], cubic(10 / 12))  # the point on f

    def test_overlaid_by_default_and_inflections_only_when_asked(self):
        fig = plot.derivatives(lambda x: x**3, np.linspace(-1, 1, 21), orders=(0, 2))
        assert len(fig.axes) == 1
        assert not [line for line in fig.axes[0].get_lines() if line.get_linestyle() == ":"
                    and line.get_label().startswith("inflection")]
        fig = plot.derivatives(lambda x: x**3, np.linspace(-1, 1, 21), orders=(0,),
                               inflections=True)
        assert [line.get_label() for line in fig.axes[0].get_lines()
                if line.get_linestyle() == ":"] == ["inflection point (f″ = 0)"]

    def test_inflection_points_between_and_on_grid_points(self):
        assert np.allclose(plot.inflection_points(lambda x: x**3, np.linspace(-1, 1, 4)), [0.0])
        assert np.allclose(plot.inflection_points(lambda x: x**3, np.linspace(-1, 1, 5)), [0.0])
        assert np.allclose(plot.inflection_points(tg.sin, np.linspace(-1, 7, 801)),
                           [0, np.pi, 2 * np.pi], atol=1e-9)
        assert plot.inflection_points(lambda x: x**2, np.linspace(-1, 1, 9)).size == 0


def texts_of(fig):
    """Every visible text of a drawn figure (tick labels, axis labels, titles, legends)."""
    fig.canvas.draw() if hasattr(fig.canvas, "draw") else None
    return [t for t in fig.findobj(lambda a: type(a).__name__ in ("Text", "Annotation"))
            if t.get_visible() and t.get_text().strip()]


@pytest.mark.parametrize("make", [
    lambda: plot.derivatives(tg.sin, np.linspace(-3, 3, 31), orders=(0, 1, 2)),
    lambda: plot.derivatives(tg.sin, np.linspace(-3, 3, 31), orders=(0, 1, 2), stacked=True),
    lambda: plot.gradient_field(lambda x, y: x * y, n=5),
    lambda: plot.gradient_field(lambda x, y: x * y, n=5, surface=True),
], ids=["overlaid", "stacked", "field", "surface"])
def test_readable_text_and_screen_sized(make):
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    fig = make()
    FigureCanvasAgg(fig)
    sizes = [t.get_fontsize() for t in texts_of(fig)]
    assert sizes and min(sizes) >= 12
    width, height = fig.get_size_inches() * 100                   # pixels at 100 dpi
    assert width <= 1000 and height <= 900


class TestGradientField:
    def test_arrows_are_the_gradient_on_the_grid(self):
        fig = plot.gradient_field(lambda x, y: x**2 + y**2 * x, (-2, 2), (-1, 1), n=5)
        ax = fig.axes[0]
        assert len(fig.axes) == 2                                  # the plot and its colour bar
        quivers = [c for c in ax.collections if type(c).__name__ == "Quiver"]
        assert len(quivers) == 1
        q = quivers[0]
        X, Y = np.meshgrid(np.linspace(-2, 2, 5), np.linspace(-1, 1, 5))
        assert np.allclose(q.X, X.ravel()) and np.allclose(q.Y, Y.ravel())
        assert np.allclose(q.U, (2 * X + Y**2).ravel())            # ∂f/∂x = 2x + y²
        assert np.allclose(q.V, (2 * X * Y).ravel())               # ∂f/∂y = 2xy
        contours = [c for c in ax.collections if type(c).__name__ in ("QuadContourSet",
                                                                       "ContourSet")]
        assert len(contours) == 2                                  # filled and lines
        assert ax.get_xlim() == (-2.0, 2.0) and ax.get_ylim() == (-1.0, 1.0)

    def test_surface_adds_a_3d_subplot(self):
        fig = plot.gradient_field(lambda x, y: tg.cos(x) * y, (-1, 1), (-1, 1), n=4,
                                  surface=True)
        assert [a.name for a in fig.axes].count("3d") == 1
        assert len(fig.axes) == 3
        surface_ax = next(a for a in fig.axes if a.name == "3d")
        assert len(surface_ax.collections) == 1                    # the surface
        facets = surface_ax.collections[0]
        assert facets.get_array().size == 79 * 79                  # one per cell: smooth
        assert not np.any(facets.get_linewidths())                 # no facet edges

    def test_bad_input(self):
        with pytest.raises(ValueError, match="low < high"):
            plot.gradient_field(lambda x, y: x * y, (1, -1), (-1, 1))
        with pytest.raises(ValueError, match="pair"):
            plot.gradient_field(lambda x, y: x * y, 3, (-1, 1))
        with pytest.raises(ValueError, match="integer ≥ 2"):
            plot.gradient_field(lambda x, y: x * y, n=1)
        with pytest.raises(ValueError, match="tg.sin, not np.sin"):
            plot.gradient_field(lambda x, y: np.sin(x) * np.cos(y))


class TestCompareModes:
    def test_costs_come_from_the_steps_of_real_graphs(self):
        for n, m in [(1, 1), (3, 1), (4, 2), (2, 5)]:
            g = plot_modes._family(n, m)
            assert (len(g.inputs), len(g.outputs)) == (n, m)
            forward = sum(s.madds for x in g.inputs for s in g.forward_mode(x))
            reverse = sum(s.madds for y in g.outputs for s in g.reverse_mode(y))
            assert plot.mode_costs(n, m) == (forward, reverse)
            if m == 1:
                assert plot.mode_costs(n, m) == (g.cost("forward"), g.cost("reverse"))

    def test_reverse_wins_with_many_inputs_forward_with_many_outputs(self):
        fig = plot.compare_modes(max_inputs=12, outputs=(1, 8))
        passes, madds = fig.axes
        assert passes.get_yscale() == madds.get_yscale() == "log"
        forward, reverse1, reverse8 = (line.get_ydata() for line in labelled_lines(passes))
        assert list(forward) == list(labelled_lines(passes)[0].get_xdata())   # one per input
        assert set(reverse1) == {1} and set(reverse8) == {8}                # one per output
        lines = labelled_lines(madds)
        assert [line.get_label() for line in lines] == [
            "forward, 1 output", "reverse, 1 output", "forward, 8 outputs", "reverse, 8 outputs"]
        f1, r1, f8, r8 = (line.get_ydata() for line in lines)
        ns = lines[0].get_xdata()
        assert ns[0] == 1 and ns[-1] == 12
        assert all(np.diff(f1) > 0) and all(np.diff(r1) > 0)
        assert f1[-1] > 5 * r1[-1]                  # 12 inputs, 1 output: backprop wins big
        assert r8[0] > f8[0]                        # 1 input, 8 outputs: forward wins
        for n, f, r in zip(ns, f1, r1):
            assert (f, r) == plot.mode_costs(int(n), 1)

    def test_sweep_over_outputs_mirrors_it(self):
        fig = plot.compare_modes(max_outputs=12, inputs=(2,))
        passes, madds = fig.axes
        reverse, forward = (line.get_ydata() for line in labelled_lines(passes))
        ms = labelled_lines(passes)[0].get_xdata()
        assert list(reverse) == list(ms) and set(forward) == {2}
        f2, r2 = (line.get_ydata() for line in labelled_lines(madds))
        for m, f, r in zip(ms, f2, r2):
            assert (f, r) == plot.mode_costs(2, int(m))
        assert r2[-1] > f2[-1] and r2[0] < f2[0]      # many outputs: forward mode wins
        assert f2[-1] / f2[0] < r2[-1] / r2[0] / 3     # forward grows only with the graph

    def test_fits_a_slide_with_readable_text(self):
        fig = plot.compare_modes(max_inputs=4)
        width, height = fig.get_size_inches() * 100
        assert width <= 1000 and height <= 900
        ax = fig.axes[1]
        texts = [ax.title, ax.xaxis.label, *ax.get_xticklabels(), *ax.get_legend().get_texts()]
        assert min(t.get_fontsize() for t in texts) >= 12

    def test_bad_input(self):
        with pytest.raises(ValueError, match="positive integer"):
            plot.compare_modes(max_inputs=0)
        with pytest.raises(ValueError, match="positive integers"):
            plot.compare_modes(outputs=(0,))
        with pytest.raises(ValueError, match="max_outputs must be a positive integer"):
            plot.compare_modes(max_outputs=0)
        with pytest.raises(ValueError, match="inputs must be positive integers"):
            plot.compare_modes(max_outputs=3, inputs=(0,))


def test_svg_output_is_byte_identical_between_runs():
    make = lambda: plot.derivatives(lambda x: x**3, np.linspace(-1, 1, 20), orders=(0, 1))  # noqa
    one, two = plot.to_svg(make()), plot.to_svg(make())
    assert one == two
    assert "<dc:date>" not in one and one.lstrip().startswith("<?xml")


def test_png_bytes():
    png = plot.to_png(plot.gradient_field(lambda x, y: x * y, n=3))
    assert png[:8] == b"\x89PNG\r\n\x1a\n"


def test_plots_leave_no_pyplot_figures_behind():
    """Built with the object API: pyplot is never imported, so no figure accumulates."""
    script = textwrap.dedent("""
        import sys
        import teachgrad as tg
        from teachgrad import plot, widgets
        plot.derivatives(tg.sin, [0.0, 1.0])
        plot.gradient_field(lambda x, y: x * y, n=3, surface=True)
        widgets.DerivativeExplorer(tg.sin)
        print("matplotlib.pyplot" in sys.modules)
    """)
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                            timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "False"


def test_plots_and_the_derivative_explorer_add_nothing_to_the_users_program():
    """API.md: the teaching layer records into no graph — a lecture's get_operations() after a
    plot lists only what the lecture built."""
    import teachgrad as tf
    program = tf.get_default_graph()
    tg.plot.derivatives(lambda x: tg.sin(x) * x ** 3, np.linspace(-2.0, 2.0, 9), orders=(0, 1, 2))
    tg.plot.gradient_field(lambda x, y: x ** 2 + tg.sin(y) * x, n=5)
    assert program.get_operations() == []
