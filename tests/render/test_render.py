"""Pictures: what the SVG says (parsed as XML), what a step highlights, determinism, speed on a big
graph, the missing-Graphviz message, the HTML animation and the files written."""

import errno
import re
import subprocess
import time
import unicodedata
import xml.etree.ElementTree as ET

import numpy as np
import pytest

import teachgrad as tg
from teachgrad.teaching.notation import fmt

render = pytest.importorskip("teachgrad.render")

SVG = "{http://www.w3.org/2000/svg}"
SEED = "e = (a + b) * (b + 1)"


def seed():
    return tg.trace(SEED, a=2, b=1)


def tangent(name):
    return unicodedata.normalize("NFC", name + "\u0307")


def adjoint(name):
    return unicodedata.normalize("NFC", name + "\u0304")


def node_names(root):
    """Graphviz id (n0, n1, …) → node name, read from each node's first text: the name, or
    'name = value' in a compact picture. Names never reach the DOT source as ids."""
    names = {}
    for g in root.iter(SVG + "g"):
        if g.get("class", "").split()[:1] == ["node"]:
            first = next(g.iter(SVG + "text")).text.replace("\xa0", " ")
            names[g.find(SVG + "title").text] = first.split(" = ")[0]
    return names


def groups(svg_text, kind):
    """{node name or 'src->dst': group element} for Graphviz's node or edge groups."""
    root = ET.fromstring(svg_text)
    names = node_names(root)
    found = {}
    for g in root.iter(SVG + "g"):
        if g.get("class", "").split()[:1] == [kind]:
            title = g.find(SVG + "title").text
            if kind == "node":
                assert re.fullmatch(r"n\d+", title), title     # an internal id, never a name
                found[names[title]] = g
            else:
                src, dst = title.split("->")
                found[f"{names[src]}->{names[dst]}"] = g
    return found


def texts(group):
    return [t.text.replace("\xa0", " ") for t in group.iter(SVG + "text")]


def classes(group):
    return group.get("class").split()


def shape(group):
    """The filled outline of a node: its <path> (rounded box) or <polygon>."""
    return group.find(SVG + "path")


def caption(svg_text):
    root = ET.fromstring(svg_text)
    graph = root.find(SVG + "g")
    return [t.text.replace("\xa0", " ") for t in graph.findall(SVG + "text")]


# ---------------------------------------------------------------------------------------------
# The static picture
# ---------------------------------------------------------------------------------------------

def test_seed_graph_has_its_nodes_values_and_edge_partials():
    text = seed().svg()
    nodes, edges = groups(text, "node"), groups(text, "edge")
    assert sorted(nodes) == ["a", "b", "c", "d", "e"]
    assert len(edges) == 5
    values = {name: texts(g) for name, g in nodes.items()}
    assert values["a"] == ["a", "= 2"]
    assert values["b"] == ["b", "= 1"]
    assert values["c"] == ["c", " = a + b", "= 3"]
    assert values["d"] == ["d", " = b + 1", "= 2"]
    assert values["e"] == ["e", " = c·d", "= 6"]
    labels = {title: texts(g) for title, g in edges.items()}
    assert labels == {"a->c": ["∂c/∂a = 1"], "b->c": ["∂c/∂b = 1"], "b->d": ["∂d/∂b = 1"],
                      "c->e": ["∂e/∂c = d = 2"], "d->e": ["∂e/∂d = c = 3"]}
    partials = [float(ls[0].rsplit("= ", 1)[1]) for ls in labels.values()]
    assert partials == [1, 1, 1, 2, 3]
    assert 'rankdir=LR' in seed().to_dot().source
    assert caption(text) == []                      # a static picture has no caption


FAN_OUT = ("p = sin(x)\nq = cos(x)\nr = exp(x)\nv1 = p + q\ny = v1 + r\n"
           "s = sin(y)\nt = cos(y)\nu = exp(y)\nv2 = s + t\nz = v2 + u")


def svg_size_px(svg_text):
    width, height = re.search(r'<svg width="([\d.]+)pt" height="([\d.]+)pt"', svg_text).groups()
    return float(width) * 4 / 3, float(height) * 4 / 3


def test_fan_out_labels_top_to_bottom_take_two_lines_and_do_not_touch():
    """x feeds sin, cos and exp: their three labels sit on one row, and used to run into one
    line ("… = 0.8776 ∂q/∂x = …"). Each is now the partial's formula over its value, and
    neighbouring labels keep apart; the picture fits a screen."""
    text = tg.trace(FAN_OUT, x=0.5).svg()
    assert 'rankdir=TB' in tg.trace(FAN_OUT, x=0.5).to_dot().source
    edges = groups(text, "edge")
    labels = {e: texts(edges[e]) for e in ["x->p", "x->q", "x->r"]}
    assert labels == {"x->p": ["∂p/∂x = cos(x)", "= 0.8776"],
                      "x->q": ["∂q/∂x = −sin(x)", "= −0.4794"],
                      "x->r": ["∂r/∂x = exp(x)", "= 1.649"]}
    # Left and right ends of each label's first line (centred text, ~6 pt per character).
    spans = []
    for e in ["x->p", "x->q", "x->r"]:
        first = next(edges[e].iter(SVG + "text"))
        centre, half = float(first.get("x")), 3.0 * len(first.text)
        spans.append((centre - half, centre + half))
    spans.sort()
    assert all(right + 6 < left for (_, right), (left, _) in zip(spans, spans[1:])), spans
    width, height = svg_size_px(text)
    assert width <= 1000 and height <= 900, (width, height)
    # Left to right, a label stays one line (the seed graph's pictures do not change).
    assert texts(groups(seed().svg(), "edge")["c->e"]) == ["∂e/∂c = d = 2"]


def test_a_picture_too_wide_left_to_right_goes_top_to_bottom():
    source = "p1 = sin(x0)\nq1 = cos(x0)\nx1 = p1 * q1\np2 = sin(x1)\nq2 = cos(x1)\nx2 = p2 * q2"
    g = tg.trace(source, x0=0.5)
    assert g.depth <= render.LR_MAX_RANKS           # shallow, but its labels are long
    assert 'rankdir=TB' in g.to_dot().source       # left to right it was 1,883 px wide
    width, height = svg_size_px(g.svg())
    assert width <= 1000 and height <= 900, (width, height)


def test_inputs_are_filled_differently_from_operations():
    nodes = groups(seed().svg(), "node")
    assert shape(nodes["a"]).get("fill") == render.INPUT_FILL
    assert shape(nodes["c"]).get("fill") == render.NODE_FILL
    assert "tg-input" in classes(nodes["b"]) and "tg-op" in classes(nodes["e"])


@pytest.mark.parametrize("options", [{}, {"mode": "reverse", "step": 3},
                                     {"mode": "values", "step": 2}, {"path": ["b", "d", "e"]}])
def test_every_text_sits_on_a_filled_shape_for_dark_themes(options):
    """Transparent background, so each text needs a light fill under it: dark ink everywhere."""
    root = ET.fromstring(seed().svg(**options))
    for g in root.iter(SVG + "g"):
        kind = g.get("class", "").split()[:1]
        own_texts = g.findall(SVG + "text")
        if not own_texts:
            continue
        fills = [el.get("fill") for el in g if el.tag in (SVG + "path", SVG + "polygon")
                 and el.get("fill") not in (None, "none", "transparent")]
        if kind == ["edge"]:
            assert render.LABEL_FILL in fills, g.find(SVG + "title").text
        else:
            assert fills, kind
        for t in own_texts:
            assert t.get("fill") in (render.INK, render.MUTED, render.PATH,
                                     *render.MODE_COLOUR.values())


def test_same_input_gives_byte_identical_svg():
    first = seed().svg(mode="forward", wrt="b", step=3)
    render.clear_cache()
    again = seed().svg(mode="forward", wrt="b", step=3)
    assert first == again
    render.clear_cache()
    assert seed().svg() == seed().svg()
    assert "Generated by graphviz" not in first and "0x" not in first


# ---------------------------------------------------------------------------------------------
# Steps
# ---------------------------------------------------------------------------------------------

def test_values_step_highlights_the_node_computed_and_hides_the_rest():
    text = seed().svg(mode="values", step=3)            # a, b, c done; c is the current step
    nodes, edges = groups(text, "node"), groups(text, "edge")
    current = [n for n, g in nodes.items() if "tg-current" in classes(g)]
    assert current == ["c"]
    assert shape(nodes["c"]).get("fill") == render.CURRENT_FILL
    assert shape(nodes["c"]).get("stroke") == render.CURRENT
    assert "tg-done" in classes(nodes["a"]) and "tg-done" in classes(nodes["b"])
    assert shape(nodes["a"]).get("stroke") == render.MODE_COLOUR["values"]
    assert texts(nodes["c"])[-1] == "= 3"
    assert texts(nodes["d"])[-1] == "= ?" and texts(nodes["e"])[-1] == "= ?"
    read = sorted(t for t, g in edges.items() if "tg-read" in classes(g))
    assert read == ["a->c", "b->c"]
    assert edges["a->c"].find(SVG + "path").get("stroke") == render.CURRENT
    # a partial that needs values not computed yet is not given away
    assert texts(edges["c->e"]) == ["∂e/∂c = d = ?"]
    assert caption(text)[-1] == "step 3 of 5:  c = a + b = 2 + 1 = 3"


def test_forward_step_shows_tangents_so_far():
    text = seed().svg(mode="forward", wrt="b", step=3)
    nodes = groups(text, "node")
    assert [n for n, g in nodes.items() if "tg-current" in classes(g)] == ["c"]
    assert "tg-seed" in classes(nodes["b"])
    shown = {n: texts(g)[-1] for n, g in nodes.items()}
    assert shown == {"a": f"{tangent('a')} = 0", "b": f"{tangent('b')} = 1",
                     "c": f"{tangent('c')} = 1", "d": f"{tangent('d')} = ?",
                     "e": f"{tangent('e')} = ?"}
    colour = {t.text: t.get("fill") for t in ET.fromstring(text).iter(SVG + "text")}
    assert colour[f"{tangent('c')} = 1"] == render.MODE_COLOUR["forward"]
    assert colour[f"{tangent('d')} = ?"] == render.MUTED
    assert "ċ = ∂c/∂a·ȧ + ∂c/∂b·ḃ = 1·0 + 1·1 = 1" in caption(text)[-1]


def test_reverse_mode_all_steps_shows_every_adjoint():
    text = seed().svg(mode="reverse")                   # step=None: all 5 steps done
    nodes = groups(text, "node")
    shown = {n: texts(g)[-1] for n, g in nodes.items()}
    assert shown == {n: f"{adjoint(n)} = {v}" for n, v in
                     {"e": 1, "c": 2, "d": 3, "a": 2, "b": 5}.items()}
    assert [n for n, g in nodes.items() if "tg-current" in classes(g)] == ["b"]
    edges = groups(text, "edge")
    assert sorted(t for t, g in edges.items() if "tg-read" in classes(g)) == ["b->c", "b->d"]
    assert sorted(t for t, g in edges.items() if "tg-used" in classes(g)) == \
        ["a->c", "c->e", "d->e"]
    assert caption(text)[-1].endswith("b̄ = ∂c/∂b·c̄ + ∂d/∂b·d̄ = 1·2 + 1·3 = 5")


def test_step_zero_has_nothing_highlighted():
    text = seed().svg(mode="reverse", step=0)
    nodes = groups(text, "node")
    assert not any("tg-current" in classes(g) or "tg-done" in classes(g) for g in nodes.values())
    assert caption(text)[-1] == "step 0 of 5: nothing computed yet"


def test_bad_options_say_what_is_allowed():
    g = seed()
    with pytest.raises(ValueError, match="0 .nothing done yet. to 5"):
        g.svg(mode="forward", step=6)
    with pytest.raises(ValueError, match="'values', 'forward' or 'reverse'"):
        g.svg(mode="sideways", step=1)
    with pytest.raises(ValueError, match="step needs a mode"):
        g.to_dot(step=2)
    with pytest.raises(KeyError, match="no edge a -> e"):
        g.svg(path=["a", "e"])


# ---------------------------------------------------------------------------------------------
# Frames
# ---------------------------------------------------------------------------------------------

@pytest.mark.parametrize("mode", ["values", "forward", "reverse"])
def test_frames_are_every_step_and_match_single_pictures(mode):
    g = seed()
    pictures = render.frames(g, mode, wrt="b" if mode == "forward" else None)
    assert len(pictures) == len(g.steps(mode)) + 1 == 6
    assert len(set(pictures)) == 6
    fresh = seed()                                  # another graph: rendered one at a time
    assert [fresh.svg(mode=mode, wrt="b" if mode == "forward" else None, step=k)
            for k in range(6)] == pictures
    # every frame is drawn at the same positions: the picture does not jump between steps
    boxes = {re.search(r'viewBox="([^"]*)"', p).group(1) for p in pictures}
    assert len(boxes) == 1
    for k, p in enumerate(pictures):
        current = [n for n, grp in groups(p, "node").items() if "tg-current" in classes(grp)]
        assert current == ([] if k == 0 else [g.steps(mode, wrt="b")[k - 1].node])


def test_frames_are_cached():
    g = seed()
    render.frames(g, "reverse")
    start = time.perf_counter()
    for k in range(6):
        g.svg(mode="reverse", step=k)
    assert time.perf_counter() - start < 0.03


# ---------------------------------------------------------------------------------------------
# Paths, arrays, big graphs
# ---------------------------------------------------------------------------------------------

def test_a_path_is_highlighted_with_its_product():
    g = seed()
    path = g.paths("b", "e")[1]
    text = g.svg(path=path)
    nodes, edges = groups(text, "node"), groups(text, "edge")
    assert sorted(n for n, grp in nodes.items() if "tg-path" in classes(grp)) == ["b", "d", "e"]
    assert sorted(t for t, grp in edges.items() if "tg-path" in classes(grp)) == \
        ["b->d", "d->e"]
    assert edges["b->d"].find(SVG + "path").get("stroke") == render.PATH
    assert edges["a->c"].find(SVG + "path").get("stroke") == render.FADED
    assert caption(text) == ["path b → d → e: 1·3 = 3"]
    assert g.svg(path=["b", "d", "e"]) == text


def test_array_graph_shows_shapes_and_jacobians():
    g = tg.trace("y = sin(x) * x", x=np.linspace(0, 1, 5))
    text = g.svg()
    nodes = groups(text, "node")
    assert texts(nodes["x"]) == ["x", "= shape (5,)  [0, 0.25, 0.5, …]"]
    assert all("shape (5,)" in texts(grp)[-1] for grp in nodes.values())
    labels = [texts(grp)[0] for grp in groups(text, "edge").values()]
    assert "∂a/∂x = diag(cos(x))  [5×5 Jacobian]" in labels
    text = g.svg(mode="reverse")
    assert texts(groups(text, "node")["x"])[-1].startswith(f"{adjoint('x')} = shape (5,)  [")


def chain(n_nodes):
    lines = [f"x{i + 1} = sin(x{i}) * cos(x{i})" for i in range(n_nodes // 3)]
    return tg.trace("\n".join(lines), x0=0.5)


def test_a_big_graph_renders_quickly_and_compactly_with_a_note():
    g = chain(210)
    start = time.perf_counter()
    text = g.svg()
    assert time.perf_counter() - start < 5
    nodes, edges = groups(text, "node"), groups(text, "edge")
    assert len(nodes) == len(g) >= 200 and len(edges) == len(g.edges)
    assert all(not texts(grp) for grp in edges.values())          # no edge labels
    assert texts(nodes["x1"]) == [f"x1 = {fmt(g.value('x1'))}"]
    assert caption(text) == [f"{len(g)} nodes (more than max_nodes=60): edge labels and "
                             f"formulas hidden; pass max_nodes={len(g)} to show them"]


def test_a_big_graph_draws_only_the_frames_asked_for():
    g = chain(90)
    pictures = render.frames(g, "reverse")
    assert len(pictures) == len(g) + 1
    start = time.perf_counter()
    assert [n for n, grp in groups(pictures[4], "node").items()
            if "tg-current" in classes(grp)] == [g.reverse_mode()[3].node]
    assert time.perf_counter() - start < 3
    with pytest.raises(ValueError, match="too many for an HTML animation"):
        render.animation_html(chain(180), "reverse")


# ---------------------------------------------------------------------------------------------
# Without Graphviz
# ---------------------------------------------------------------------------------------------

def test_missing_dot_says_how_to_install_it(monkeypatch):
    monkeypatch.setenv("PATH", "")
    g = seed()                                      # a new graph: nothing cached
    with pytest.raises(render.GraphvizNotFound) as info:
        g.svg()
    message = str(info.value)
    assert "apt-get install graphviz" in message and "brew install graphviz" in message
    assert "graphviz.org" in message
    assert isinstance(info.value, RuntimeError) and info.value.__suppress_context__
    bundle = g._repr_mimebundle_()
    assert "image/svg+xml" not in bundle
    assert bundle["text/plain"].startswith("<Graph 'e = (a + b) * (b + 1)'")
    assert "apt-get install graphviz" in bundle["text/plain"]
    assert "apt-get install graphviz" in bundle["text/html"]
    with pytest.raises(render.GraphvizNotFound):
        render.frames(g, "reverse")


def refuse_processes(error_number):
    def refuse(*args, **kwargs):
        raise OSError(error_number, "emscripten does not support processes.")
    return refuse


def test_no_processes_in_the_browser_is_like_a_missing_dot(monkeypatch, tmp_path):
    """Pyodide/JupyterLite: CPython on Emscripten refuses to start any process, raising
    OSError(errno.ENOTSUP, "emscripten does not support processes.") — errno 138 there."""
    monkeypatch.setattr(subprocess, "Popen", refuse_processes(errno.ENOTSUP))
    g = seed()                                      # a new graph: nothing cached
    with pytest.raises(render.GraphvizNotFound) as info:
        g.svg()
    message = str(info.value)
    assert message == render.NO_PROCESSES_HELP != render.INSTALL_HELP
    assert message.startswith("Pictures need Graphviz")
    assert "in the browser only the kernel-free HTML exports work" in message
    assert isinstance(info.value, RuntimeError) and info.value.__suppress_context__
    with pytest.raises(render.GraphvizNotFound, match="kernel-free HTML exports"):
        render.frames(g, "reverse")
    for name in ("g.svg", "g.png", "g.html"):
        with pytest.raises(render.GraphvizNotFound, match="kernel-free HTML exports"):
            render.write(g, tmp_path / name, mode="reverse")
    assert list(tmp_path.iterdir()) == []
    bundle = g._repr_mimebundle_()
    assert "image/svg+xml" not in bundle and "kernel-free HTML exports" in bundle["text/html"]


def test_other_process_errors_are_not_taken_for_a_missing_dot(monkeypatch):
    monkeypatch.setattr(subprocess, "Popen", refuse_processes(errno.ENOMEM))
    with pytest.raises(OSError) as info:
        seed().svg()
    assert info.value.errno == errno.ENOMEM
    assert not isinstance(info.value, render.GraphvizNotFound)


def test_mimebundle_is_the_svg_and_the_repr():
    g = seed()
    bundle = g._repr_mimebundle_()
    assert bundle == {"image/svg+xml": g.svg(), "text/plain": repr(g)}


# ---------------------------------------------------------------------------------------------
# The HTML animation and files
# ---------------------------------------------------------------------------------------------

def test_animation_html_holds_every_frame_and_the_controls():
    g = seed()
    page = render.animation_html(g, "reverse")
    assert page.startswith("<!DOCTYPE html>") and page.rstrip().endswith("</html>")
    assert page.count('class="tg-frame"') == 6
    for control in ("tg-play", "tg-prev", "tg-next", "tg-slider", "tg-speed", "tg-step-text"):
        assert f'class="{control}"' in page
    assert 'data-step="0"' in page and 'max="5"' in page
    assert "http://" not in page.replace('xmlns="http://www.w3.org/2000/svg"', "") \
        .replace('xmlns:xlink="http://www.w3.org/1999/xlink"', "")
    assert "https://" not in page and "<link" not in page and "src=" not in page
    # every step's arithmetic is in the page (as JSON for the script)
    for s in g.reverse_mode():
        assert s.text in page
    ids = re.findall(r'\bid="([^"]*)"', page)
    assert len(ids) == len(set(ids))                # frames' SVG ids made unique


def test_animation_fragment_ids_are_deterministic_and_distinct():
    one = render.animation_html(seed(), "forward", standalone=False)
    render.clear_cache()
    assert render.animation_html(seed(), "forward", standalone=False) == one
    other = render.animation_html(seed(), "reverse", standalone=False)
    uid = re.match(r'<div class="tg-animation" id="([^"]+)"', one).group(1)
    assert uid.startswith("tg-anim-") and uid not in other
    assert "<html" not in one and "<script>" in one


def test_write_each_suffix(tmp_path):
    g = seed()
    assert render.write(g, tmp_path / "g.svg") == str(tmp_path / "g.svg")
    assert (tmp_path / "g.svg").read_text(encoding="utf-8") == g.svg()
    render.write(g, tmp_path / "g.png", mode="forward", wrt="b", step=3)
    assert (tmp_path / "g.png").read_bytes().startswith(b"\x89PNG\r\n\x1a\n")
    render.write(g, tmp_path / "g.pdf")
    assert (tmp_path / "g.pdf").read_bytes().startswith(b"%PDF")
    render.write(g, tmp_path / "g.html", mode="reverse")
    assert (tmp_path / "g.html").read_text(encoding="utf-8") == \
        render.animation_html(g, "reverse")
    with pytest.raises(ValueError, match=r"\.svg, \.png, \.pdf or \.html"):
        render.write(g, tmp_path / "g.jpg")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["g.html", "g.pdf", "g.png", "g.svg"]


def test_a_users_op_is_drawn_with_its_declared_partial():
    softplus = tg.ops.elementwise("user_softplus_drawn", lambda x: np.log1p(np.exp(x)),
                                  partials=(lambda out, x: tg.sigmoid(x),), formulas=("σ({0})",),
                                  expr="softplus({0})")
    g = tg.trace(lambda x: softplus(x) * 2, x=1.0)
    assert "∂a/∂x = σ(x) = 0.7311" in g.svg()
