"""The widgets, driven from Python the way a front end drives them: set a slider's value, click a
button, type into the text box — then check what the picture, the table and the text show."""

import re
import xml.etree.ElementTree as ET

import numpy as np
import pytest

import teachgrad as tg

widgets = pytest.importorskip("teachgrad.widgets")
from teachgrad import render  # noqa: E402

SVG = "{http://www.w3.org/2000/svg}"
SEED = "e = (a + b) * (b + 1)"


@pytest.fixture
def seed():
    return tg.trace(SEED, a=2, b=1)


def svg_texts(svg):
    """Every text drawn in an SVG (parsed as XML, so a broken SVG fails here)."""
    root = ET.fromstring(svg)
    return ["".join(t.itertext()).strip() for t in root.iter(f"{SVG}text")]


def svg_groups(svg, kind, cls):
    """The node names (or 'a->c' for edges) of the groups of ``kind`` carrying ``cls``; names
    are read from the nodes' first texts (Graphviz's ids are n0, n1, …)."""
    root = ET.fromstring(svg)
    names = {}
    for g in root.iter(f"{SVG}g"):
        if "node" in g.get("class", "").split():
            first = next(g.iter(f"{SVG}text")).text.replace("\xa0", " ")
            names[g.find(f"{SVG}title").text] = first.split(" = ")[0]
    found = []
    for g in root.iter(f"{SVG}g"):
        classes = g.get("class", "").split()
        if kind in classes and cls in classes:
            title = g.find(f"{SVG}title").text
            found.append("->".join(names[t] for t in title.split("->")))
    return found


def table_rows(html_text):
    """(classes, [cell texts]) for every body row of a widget's HTML table."""
    rows = []
    for cls, body in re.findall(r'<tr class="([^"]*)"[^>]*>(.*?)</tr>', html_text, re.S):
        cells = [re.sub(r"<[^>]+>", "", c) for c in re.findall(r"<td[^>]*>(.*?)</td>", body,
                                                                   re.S)]
        rows.append((cls.split(), cells))
    return rows


def current_row(html_text):
    rows = [cells for cls, cells in table_rows(html_text) if "tg-current" in cls]
    assert len(rows) <= 1
    return rows[0] if rows else None


# ------------------------------------------------------------------------------------------------
# PropagationPlayer
# ------------------------------------------------------------------------------------------------

class TestPropagationPlayer:
    def test_starts_at_step_zero_with_every_control(self, seed):
        player = widgets.PropagationPlayer(seed, mode="reverse")
        assert (player.step, player.n_steps, player.mode, player.of) == (0, 5, "reverse", "e")
        assert (player.slider.max, player.play.max) == (5, 5)
        assert sorted(player.sliders) == ["a", "b"]
        assert current_row(player.table.value) is None
        assert "?" in [cells[4] for _, cells in table_rows(player.table.value)]
        assert player.prev_button.disabled and not player.next_button.disabled
        assert "nothing computed yet" in player.caption.value

    def test_setting_step_shows_that_frame_table_row_and_arithmetic(self, seed):
        player = widgets.PropagationPlayer(seed, mode="reverse")
        frames = render.frames(seed, "reverse", of="e")
        for k in range(player.n_steps + 1):
            player.step = k
            assert player.svg == frames[k]
            shown = player.picture.value.replace('<svg style="max-width:100%;height:auto" ',
                                                 "<svg ")
            assert player.svg[player.svg.find("<svg"):] in shown
        player.step = 3                  # e, c, d: d̄ = 3 is computed now
        assert current_row(player.table.value)[1:5] == ["d", "d = b + 1", "2", "3"]
        assert "d̄ = ∂e/∂d·ē = 3·1 = 3" in player.caption.value
        assert player.step_text == "step 3 of 5: d̄ = ∂e/∂d·ē = 3·1 = 3"
        assert svg_groups(player.svg, "node", "tg-current") == ["d"]
        done = [cells[1] for cls, cells in table_rows(player.table.value) if "tg-done" in cls]
        assert done == ["e", "c"]

    def test_step_out_of_range_names_the_range(self, seed):
        player = widgets.PropagationPlayer(seed)
        with pytest.raises(ValueError, match="0 to 5"):
            player.step = 6
        with pytest.raises(ValueError, match="0 to 5"):
            player.step = -1
        with pytest.raises(TypeError, match="int"):
            player.step = 1.5
        assert player.step == 0

    def test_next_and_previous_buttons(self, seed):
        player = widgets.PropagationPlayer(seed, mode="forward", wrt="b")
        player.next_button.click()
        player.next_button.click()
        assert player.step == 2
        assert current_row(player.table.value)[1] == "b"
        player.prev_button.click()
        assert player.step == 1
        player.step = 5
        assert player.next_button.disabled
        player.next_button.click()       # nothing past the end
        assert player.step == 5
        assert "de/db = ė = 5" in player.caption.value

    def test_play_drives_the_step_slider_in_python(self, seed):
        player = widgets.PropagationPlayer(seed, mode="values")
        player.play.value = 4            # what the Play widget does on each tick
        assert player.slider.value == 4 and player.step == 4
        assert player.svg == render.frames(seed, "values")[4]
        assert current_row(player.table.value)[1:4] == ["d", "d = b + 1", "2"]
        player.slider.value = 2          # and the other way round
        assert player.play.value == 2
        player.speed.value = 300
        assert player.play.interval == 300

    def test_input_slider_reevaluates_graph_picture_and_table(self, seed):
        player = widgets.PropagationPlayer(seed, mode="values")
        player.step = 5
        assert "= 6" in svg_texts(player.svg)
        before = player.svg
        player.sliders["b"].value = 2.0
        assert float(player.graph.value("e")) == 12.0
        assert player.step == 5
        texts = svg_texts(player.svg)
        assert "= 12" in texts and "= 6" not in texts
        assert player.svg != before
        assert current_row(player.table.value)[1:4] == ["e", "e = c·d", "12"]
        assert "e = c·d = 4·3 = 12" in player.caption.value
        # The other frames follow the new values too.
        player.step = 3
        assert "= 4" in svg_texts(player.svg)          # c = a + b = 2 + 2

    def test_input_slider_in_reverse_mode_updates_adjoints(self, seed):
        player = widgets.PropagationPlayer(seed, mode="reverse", wrt="b")
        player.step = 5
        assert "de/db = b̄ = 5" in player.caption.value
        player.sliders["a"].value = 3.0
        # de/db = (b + 1) + (a + b) = 2 + 4 = 6
        assert "de/db = b̄ = 6" in player.caption.value
        assert current_row(player.table.value)[4] == "6"

    def test_mode_and_seed_can_change(self, seed):
        player = widgets.PropagationPlayer(seed, mode="values")
        player.step = 5
        player.mode = "forward"
        assert (player.mode, player.step, player.wrt) == ("forward", 0, "a")
        player.wrt = "b"
        player.step = 5
        assert [c[4] for _, c in table_rows(player.table.value)] == ["0", "1", "1", "1", "5"]
        with pytest.raises(ValueError, match="'values', 'forward' or 'reverse'"):
            player.mode = "sideways"
        with pytest.raises(ValueError, match="its nodes are a, b, c, d, e"):
            player.wrt = "z"
        assert player.mode == "forward"

    def test_bad_arguments_say_what_was_expected(self, seed):
        with pytest.raises(TypeError, match="tg.trace"):
            widgets.PropagationPlayer("e = a * b")
        with pytest.raises(ValueError, match="mode 'backward'"):
            widgets.PropagationPlayer(seed, mode="backward")
        with pytest.raises(ValueError, match="wrt 'q'"):
            widgets.PropagationPlayer(seed, mode="forward", wrt="q")

    def test_an_unknown_node_name_is_an_unknown_node_error(self, seed):
        from teachgrad.errors import UnknownNodeError
        with pytest.raises(UnknownNodeError, match="wrt 'q' is not a node"):
            widgets.PropagationPlayer(seed, mode="forward", wrt="q")
        with pytest.raises(KeyError, match="of 'q' is not a node"):
            widgets.PropagationPlayer(seed, mode="reverse", of="q")
        with pytest.raises(UnknownNodeError, match="dst 'z' is not a node"):
            widgets.PathExplorer(seed, "a", "z")

    def test_static_export_animates_without_a_kernel(self, seed):
        player = widgets.PropagationPlayer(seed, mode="reverse")
        page = player.to_html()
        assert page.startswith("<!DOCTYPE html>")
        assert page.count('class="tg-frame"') == player.n_steps + 1
        shown = player.static()
        assert shown.data.startswith('<div class="tg-animation"')
        assert "<script>" in shown.data and 'data-mode="reverse"' in shown.data
        assert player.to_html() == page                          # deterministic

    def test_repr_says_what_is_shown(self, seed):
        player = widgets.PropagationPlayer(seed, mode="reverse")
        player.step = 2
        text = repr(player)
        assert "reverse mode (seed e)" in text and "a=2, b=1" in text
        assert "step 2 of 5: c̄ = ∂e/∂c·ē = 2·1 = 2" in text

    def test_same_graph_same_pictures(self, seed):
        one = widgets.PropagationPlayer(seed, mode="forward")
        two = widgets.PropagationPlayer(tg.trace(SEED, a=2, b=1), mode="forward")
        one.step = two.step = 4
        assert one.svg == two.svg and one.table.value == two.table.value

    def test_array_inputs_get_no_slider(self):
        g = tg.trace("y = sin(x) * w", x=np.array([0.0, 1.0]), w=2.0)
        player = widgets.PropagationPlayer(g, mode="values")
        assert sorted(player.sliders) == ["w"]
        player.step = player.n_steps
        assert "shape (2,)" in player.table.value

    def test_without_graphviz_the_widget_says_how_to_install_it(self, seed, monkeypatch):
        def missing(*args, **kwargs):
            raise render.GraphvizNotFound()
        monkeypatch.setattr(render, "frames", missing)
        monkeypatch.setattr(render, "svg", missing)
        player = widgets.PropagationPlayer(seed, mode="values")
        player.step = 3
        assert "apt-get install graphviz" in player.picture.value
        assert 'class="tg-error"' in player.picture.value
        assert current_row(player.table.value)[1] == "c"       # the table still works
        assert player.svg == ""


# ------------------------------------------------------------------------------------------------
# ExpressionExplorer
# ------------------------------------------------------------------------------------------------

class TestExpressionExplorer:
    def test_shows_the_graph_values_partials_and_derivatives(self):
        ex = widgets.ExpressionExplorer(SEED, a=2, b=1)
        assert ex.graph.nodes == ["a", "b", "c", "d", "e"]
        assert ex.derivatives == {"a": 2.0, "b": 5.0}
        assert {n: s.value for n, s in ex.sliders.items()} == {"a": 2.0, "b": 1.0}
        texts = svg_texts(ex.svg)
        assert "∂e/∂c = d = 2" in texts and "= 6" in texts
        assert "∂e/∂b = 5" in ex.derivative_table.value
        assert ex.player.step == ex.player.n_steps and ex.error is None

    def test_a_slider_reevaluates_everything(self):
        ex = widgets.ExpressionExplorer(SEED, a=2, b=1)
        ex.sliders["b"].value = 2.0
        assert float(ex.graph.value("e")) == 12.0
        assert "= 12" in svg_texts(ex.svg)
        assert ex.derivatives == {"a": 3.0, "b": 7.0}
        assert "∂e/∂a = 3" in ex.derivative_table.value

    def test_a_bad_expression_shows_its_error_and_keeps_the_last_good_graph(self):
        ex = widgets.ExpressionExplorer(SEED, a=2, b=1)
        graph, svg, sliders = ex.graph, ex.svg, dict(ex.sliders)
        ex.text.value = "e = (a + b) * (b + "              # what the text box sends on Enter
        assert ex.error.startswith("syntax error")
        assert 'class="tg-error"' in ex.error_box.value
        assert "syntax error" in ex.error_box.value
        assert ex.graph is graph and ex.svg == svg and ex.sliders == sliders
        assert ex.source == SEED
        ex.text.value = "e = a ** q"
        assert "unknown name" not in (ex.error or "")        # q is a new input: a slider
        assert sorted(ex.sliders) == ["a", "q"] and ex.error is None
        ex.text.value = SEED
        assert ex.error is None and ex.error_box.value == ""

    def test_text_is_parsed_never_run(self):
        ex = widgets.ExpressionExplorer(SEED, a=2, b=1)
        ex.source = "e = __import__('os').system('touch /tmp/teachgrad-pwned')"
        assert ex.error.startswith("attribute access not allowed")
        ex.source = "e = __import__('os')"
        assert ex.error.startswith("'__import__' is not an allowed function")
        ex.source = "e = a.__class__"
        assert "attribute access not allowed" in ex.error
        assert ex.graph.nodes == ["a", "b", "c", "d", "e"]
        import os
        assert not os.path.exists("/tmp/teachgrad-pwned")

    def test_sliders_are_added_and_removed_with_the_inputs(self):
        ex = widgets.ExpressionExplorer(SEED, a=2, b=1, c=5)
        a_slider = ex.sliders["a"]
        a_slider.value = 3.0
        ex.source = "e = (a + b) * (c + 1)"
        assert sorted(ex.sliders) == ["a", "b", "c"]
        assert ex.sliders["a"] is a_slider and a_slider.value == 3.0   # kept, with its value
        assert ex.sliders["c"].value == 5.0                            # the value given at first
        assert float(ex.graph.value("e")) == (3 + 1) * (5 + 1)
        ex.source = "y = sin(x) * a"
        assert sorted(ex.sliders) == ["a", "x"]
        assert ex.sliders["x"].value == 1.0                            # default
        assert list(ex.inputs_box.children) == [ex.sliders["x"], ex.sliders["a"]]
        assert a_slider in ex.inputs_box.children
        ex.source = "y = x * x"
        assert list(ex.sliders) == ["x"] and len(ex.inputs_box.children) == 1
        assert ex.derivatives == {"x": 2.0}

    def test_the_mode_switch_plays_either_propagation(self):
        ex = widgets.ExpressionExplorer(SEED, a=2, b=1)
        ex.mode_buttons.value = "reverse"
        assert (ex.player.mode, ex.player.step) == ("reverse", 0)
        ex.player.step = ex.player.n_steps
        assert "de/da = ā = 2, de/db = b̄ = 5" in ex.player.caption.value
        ex.mode_buttons.value = "forward"
        assert ex.wrt_choice.layout.display != "none"
        ex.wrt_choice.value = "b"
        assert ex.player.mode == "forward" and ex.player.wrt == "b"
        ex.player.step = ex.player.n_steps
        assert "de/db = ė = 5" in ex.player.caption.value
        assert ex.static().data.count('class="tg-frame"') == 6      # forward mode, seeded at b
        assert 'data-mode="forward"' in ex.to_html()
        # A new expression keeps the mode; the seed choice follows the new inputs.
        ex.source = "y = x * x + z"
        assert ex.player.mode == "forward" and list(ex.wrt_choice.options) == ["x", "z"]
        assert ex.player.wrt == "x"

    def test_bad_construction_and_repr(self):
        with pytest.raises(tg.ExpressionError, match="syntax error"):
            widgets.ExpressionExplorer("e = (")
        with pytest.raises(TypeError, match="text of an expression"):
            widgets.ExpressionExplorer(42)
        ex = widgets.ExpressionExplorer(SEED, a=2, b=1)
        with pytest.raises(TypeError, match="string"):
            ex.source = None
        assert repr(ex) == ("<ExpressionExplorer 'e = (a + b) * (b + 1)' at a=2, b=1: "
                            "∂e/∂a = 2, ∂e/∂b = 5 (ok)>")
        ex.source = "e = a +"
        assert "(error: syntax error" in repr(ex)


# ------------------------------------------------------------------------------------------------
# PathExplorer
# ------------------------------------------------------------------------------------------------

class TestPathExplorer:
    def test_steps_through_the_paths_to_the_derivative(self, seed):
        paths = widgets.PathExplorer(seed, "b", "e")
        assert (paths.n_paths, paths.index, paths.running_sum) == (2, 0, 2.0)
        assert sorted(svg_groups(paths.svg, "node", "tg-path")) == ["b", "c", "e"]
        assert "b → c → e: 1·2 = 2" in paths.caption.value
        assert "1 more path to add" in paths.caption.value
        # Nothing gives the sum away before it is made: not the derivative, not the next
        # path's product, not factor and merge.
        assert "de/db" not in paths.caption.value and "de/db" not in repr(paths)
        assert "= 5" not in paths.caption.value + repr(paths)
        assert [c[2] for _, c in table_rows(paths.table.value)] == ["1·2 = 2", "?"]
        assert paths.merge.value == "" and not paths.summed
        paths.next_button.click()
        assert (paths.index, paths.running_sum, paths.derivative) == (1, 5.0, 5.0)
        assert sorted(svg_groups(paths.svg, "node", "tg-path")) == ["b", "d", "e"]
        assert "2 + 3 = 5" in paths.caption.value and "de/db = 5 ✓" in paths.caption.value
        assert [cells[3] for _, cells in table_rows(paths.table.value)] == ["2", "5"]
        assert paths.summed and "de/db = 5 ✓" in repr(paths)
        assert paths.next_button.disabled
        paths.prev_button.click()
        assert paths.index == 0 and [c[3] for _, c in table_rows(paths.table.value)] == ["2", "?"]
        assert paths.merge.value == ""

    def test_factor_and_merge_shows_the_adjoints_once_summed(self, seed):
        paths = widgets.PathExplorer(seed, "b", "e")
        paths.index = paths.n_paths - 1
        items = re.findall(r'<li class="tg-adjoint" data-node="(\w)">(.*?)</li>',
                           paths.merge.value)
        assert [n for n, _ in items] == ["e", "c", "d", "b"]     # a is on no path from b
        assert items[-1][1] == "b̄ = ∂c/∂b·c̄ + ∂d/∂b·d̄ = 1·2 + 1·3 = 5"

    def test_index_is_checked(self, seed):
        paths = widgets.PathExplorer(seed, "a", "e")
        assert paths.n_paths == 1 and paths.running_sum == paths.derivative == 2.0
        with pytest.raises(ValueError, match="from 0 to 0"):
            paths.index = 1
        assert "path 1 of 1" in repr(paths) and "a → c → e" in repr(paths)

    def test_bad_ends_and_too_many_paths(self, seed):
        with pytest.raises(ValueError, match="no path from e to a"):
            widgets.PathExplorer(seed, "e", "a")
        with pytest.raises(ValueError, match="its nodes are a, b, c, d, e"):
            widgets.PathExplorer(seed, "x", "e")

        def doubling(x):
            for _ in range(11):          # every layer doubles the paths: 2**11 = 2048
                x = tg.sin(x) + tg.cos(x)
            return x
        with pytest.raises(ValueError, match="2048 paths .*count_paths"):
            widgets.PathExplorer(tg.trace(doubling, x=0.5), "x", tg.trace(doubling, x=0.5).output)


# ------------------------------------------------------------------------------------------------
# DerivativeExplorer
# ------------------------------------------------------------------------------------------------

class TestDerivativeExplorer:
    def test_point_slope_and_tangent(self):
        ex = widgets.DerivativeExplorer(lambda x: x ** 2, x=(-2, 2), point=1.5)
        assert (ex.value, ex.slope, ex.curvature) == (2.25, 3.0, 2.0)
        xs, ys = ex._tangent.get_data()
        assert np.allclose(ys, 2.25 + 3.0 * (np.asarray(xs) - 1.5))
        assert ex.image.value[:4] == b"\x89PNG"
        assert "f′(x) = <b>3</b>" in ex.readout.value
        png = ex.image.value
        ex.slider.value = -1.0                   # the front end moves the point
        assert (ex.point, ex.slope) == (-1.0, -2.0)
        assert ex._marker.get_data()[1][0] == 1.0
        assert ex.image.value != png
        ex.point = 0.5
        assert ex.slider.value == 0.5 and ex.slope == 1.0

    def test_the_curves_are_the_derivatives(self):
        ex = widgets.DerivativeExplorer(tg.sin, x=(-3, 3), orders=(0, 1, 2), point=0.0)
        lines = [l for l in ex.figure.axes[0].get_lines() if l.get_label().endswith("(x)")]
        x = lines[0].get_xdata()
        for line, exact in zip(lines, [np.sin(x), np.cos(x), -np.sin(x)]):
            assert np.allclose(line.get_ydata(), exact)
        assert ex.slope == 1.0

    def test_bad_input(self):
        with pytest.raises(ValueError, match=r"outside the plotted range \[-2, 2\]"):
            widgets.DerivativeExplorer(lambda x: x ** 2, x=(-2, 2), point=3)
        with pytest.raises(TypeError, match="function"):
            widgets.DerivativeExplorer(3.0)
        with pytest.raises(ValueError, match="tg.sin, not np.sin"):
            widgets.DerivativeExplorer(np.sin)
        ex = widgets.DerivativeExplorer(lambda x: x ** 2, x=(-2, 2))
        with pytest.raises(ValueError, match="outside"):
            ex.point = 5
        assert ex.point == 0.0
        assert repr(ex) == ("<DerivativeExplorer <lambda> on [-2, 2] at x = 0: f = 0, "
                            "f′ = 0, f″ = 2>")

    def test_two_dimensions(self):
        ex = widgets.DerivativeExplorer2D(lambda x, y: x**2 + 3 * y**2, (-2, 2), (-2, 2),
                                          point=(1.0, 1.0))
        assert ex.gradient == (2.0, 6.0) and ex.value == 4.0
        u, v = ex._arrow.U[0], ex._arrow.V[0]           # along ∇f = (2, 6), 0.2 of the width
        assert np.isclose(u * 6.0, v * 2.0) and u > 0 and np.isclose(np.hypot(u, v), 0.8)
        ex.x_slider.value = 0.0
        assert ex.point == (0.0, 1.0) and ex.gradient == (0.0, 6.0)
        assert "(<b>0</b>, <b>6</b>)" in ex.readout.value
        ex.point = (-1.0, 0.5)
        assert (ex.x_slider.value, ex.y_slider.value) == (-1.0, 0.5)
        assert ex.gradient == (-2.0, 3.0)
        with pytest.raises(ValueError, match="point y 3 is outside"):
            ex.point = (0, 3)
        assert "∇f = (-2, 3)" in repr(ex)

    def test_two_dimensions_with_a_surface(self):
        ex = widgets.DerivativeExplorer2D(lambda x, y: x * y, (-1, 1), (-1, 1), point=(0.5, 0.5),
                                          surface=True)
        assert [a.name for a in ex.figure.axes].count("3d") == 1
        ex.point = (1.0, -1.0)
        xs, ys, zs = ex._marker3d.get_data_3d()
        assert (xs[0], ys[0], zs[0]) == (1.0, -1.0, -1.0)
        assert ex.gradient == (-1.0, 1.0)
