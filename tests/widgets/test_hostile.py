"""Issue 13: hostile and careless input. Each item of the issue has its regression tests here,
named for what must hold; the core's share is tests/core/test_hostile.py and the fuzz test is
tests/practice/test_hostile_fuzz.py.

Real parts throughout: real ``dot`` and real widgets. Where Graphviz must fail on cue, a stand-in
``dot`` on PATH crashes the way the real one did (SIGSEGV on a 450-term sum).
"""

import errno
import json
import os
import re
import subprocess
import sys
import threading
import time
import xml.etree.ElementTree as ET

import numpy as np
import pytest

import teachgrad as tg
from teachgrad.errors import ExpressionError
from teachgrad.teaching.notation import xml_text

render = pytest.importorskip("teachgrad.render")
widgets = pytest.importorskip("teachgrad.widgets")
from teachgrad.render import process, sizes  # noqa: E402

SVG = "{http://www.w3.org/2000/svg}"
SEED = "e = (a + b) * (b + 1)"
LINK = '<a> [URL="javascript:alert(document.domain)" target="_top"] <b>'
posix = pytest.mark.skipif(os.name != "posix", reason="POSIX shells and signals")


def svg_root(text):
    return ET.fromstring(text)             # a broken SVG fails here


def node_titles(text):
    return [g.find(SVG + "title").text for g in svg_root(text).iter(SVG + "g")
            if g.get("class", "").split()[:1] == ["node"]]


def cli(*args, env=None, preexec=None):
    return subprocess.run([sys.executable, "-m", "teachgrad", *args], capture_output=True,
                          text=True, timeout=120, env=env, preexec_fn=preexec)


@pytest.fixture
def crashing_dot(tmp_path, monkeypatch):
    """A `dot` first on PATH that dies of SIGSEGV, as the real one did on a 450-term sum."""
    fake = tmp_path / "bin" / "dot"
    fake.parent.mkdir()
    fake.write_text("#!/bin/sh\ncat > /dev/null\nkill -SEGV $$\n")
    fake.chmod(0o755)
    monkeypatch.setenv("PATH", f"{fake.parent}{os.pathsep}{os.environ['PATH']}")
    return fake


# --- 1. markup injection through names ---------------------------------------------------

def hostile_graph(*names):
    def f(x):
        y = x
        for i, name in enumerate(names):
            y = (tg.sin if i % 2 == 0 else tg.cos)(y, name=name)
        return y
    return tg.trace(f, x=1.0)


def test_a_name_is_never_a_graphviz_id_and_never_a_link():
    g = hostile_graph(LINK)
    dot = g.to_dot().source
    assert LINK not in dot and '[URL="javascript' not in dot       # only escaped, in a label
    assert re.findall(r"^\s*(n\d+) \[label=", dot, re.M) == ["n0", "n1"]
    pictures = [g.svg(), render.svg(g, mode="reverse", step=1), g.svg(path=["x", LINK]),
                g._repr_mimebundle_()["image/svg+xml"],
                widgets.PathExplorer(g, "x", LINK).svg]
    for text in pictures:
        root = svg_root(text)
        assert not [e for e in root.iter() if e.tag.endswith("}a")]
        assert "href" not in text and node_titles(text) == ["n0", "n1"]
        assert "&lt;a&gt; [URL=&quot;javascript:" in text              # there, as text


@pytest.mark.parametrize("name", ["<!--<script>", "s<!--<script>", "</script>", "a\x00\x1b\ud800",
                                  "x" * 20_000, '"' * 3000])
def test_names_that_were_markup_or_too_long_draw_as_text(name):
    g = hostile_graph(name, name)                   # two ops of that name: s, s_2
    assert g.nodes[1] == name and g.nodes[2] == f"{name}_2"
    for text in (g.svg(), render.svg(g, mode="forward", step=2)):
        svg_root(text)
    page = render.animation_html(g, "reverse")
    script = page[page.index("<script>") + 8:page.index("</script>")]
    assert page.count("<script>") == page.count("</script>") == 1
    assert not re.search(r"<!--|<script|</", script, re.I)          # what HTML reads in a script
    literal = re.search(r"var texts = (\[.*?\]);", script).group(1)
    assert "<" not in literal
    texts = json.loads(literal)
    # The script's text follows the one rule of the labels (issue 22): what XML forbids is U+FFFD.
    assert texts[2] == xml_text("step 2 of 3:  " + g.reverse_mode()[1].text)


def test_json_in_a_script_escapes_every_angle_bracket():
    page = render.animation_html(hostile_graph("s<!--<script>"), "values")
    script = page[page.index("<script>") + 8:page.index("</script>")]
    assert "\\u003c!--\\u003cscript\\u003e" in script and "<!--" not in script


# --- 2. graphs dot could not draw in time --------------------------------------------------

def timed(fn, limit=10.0):
    start = time.perf_counter()
    result = fn()
    assert time.perf_counter() - start < limit
    return result


@pytest.mark.parametrize("source", [
    "e = " + " + ".join(f"sin({i}*a)" for i in range(1, 201)),     # did not finish in 280 s
    "e = " + "*".join(["a"] * 200),                                 # took 16 s
    "e = " + "+".join(["a"] * 450),                                 # made dot segfault
], ids=["sin-200", "product-200", "sum-450"])
def test_fan_out_graphs_draw_within_seconds(source, tmp_path):
    g = tg.trace(source, a=1.0)
    assert sizes.plan(g, compact=True) == "layered"
    assert len(node_titles(timed(g.svg))) == len(g)
    last = timed(lambda: render.svg(g, mode="reverse", step=2))
    assert "step 2 of" in "".join(svg_root(last).itertext())
    timed(lambda: render.write(g, tmp_path / "fan.png"))


def test_a_caption_with_hundreds_of_terms_is_shortened():
    g = tg.trace("e = " + "*".join(["a"] * 300), a=1.0)      # ā sums 299 products
    step = g.reverse_mode()[-1]
    assert len(step.text) > sizes.CAPTION_LIMIT
    text = render.svg(g, mode="reverse")
    caption = [t for t in svg_root(text).iter(SVG + "text") if (t.text or "").startswith("step")]
    assert caption[0].text.endswith("…") and len(caption[0].text) < 1100


def chain(n):
    def f(a):
        for _ in range(n - 1):
            a = tg.sin(a)
        return a
    return tg.trace(f, a=0.5)


def test_two_thousand_nodes_draw_in_ten_seconds_and_a_long_chain_wraps(tmp_path):
    g = chain(2000)
    text = timed(g.svg)
    width, height = (float(v) for v in re.search(r'width="([\d.]+)pt" height="([\d.]+)pt"',
                                                  text).groups())
    assert max(width, height) / min(width, height) < 3          # was 32,766 × 9 px as a PNG
    timed(lambda: render.write(g, tmp_path / "chain.png"))
    png = (tmp_path / "chain.png").read_bytes()
    w, h = int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")
    assert max(w, h) <= 5760 and min(w, h) > 1000


def test_a_graph_too_big_to_draw_is_refused_with_a_teachgrad_error():
    g = chain(sizes.MAX_NODES + 1)
    with pytest.raises(render.GraphvizError, match="too many to draw") as info:
        g.svg()
    assert "smaller graph" in str(info.value)
    assert "too many to draw" in g._repr_mimebundle_()["text/html"]


def test_small_graphs_are_laid_out_by_dot_as_before():
    g = tg.trace(SEED, a=2, b=1)
    assert sizes.plan(g, compact=False) == "dot"
    assert "nslimit" not in g.to_dot().source and "splines" not in g.to_dot().source
    medium = tg.trace("e = " + "*".join(["a"] * 40), a=1.0)     # one input feeding 39 nodes
    assert sizes.plan(medium, compact=False) == "limited"
    assert "nslimit=2" in medium.to_dot().source
    assert len(node_titles(timed(medium.svg, 5))) == len(medium)


def test_a_dot_run_past_its_time_is_killed_with_its_process_group(monkeypatch):
    g = tg.trace("e = " + "+".join(["a"] * 200), a=1.0)
    view = render.dot.View(g, None, None, None, None, 60)
    slow = render.dot.draw(g, view).source           # no positions: dot takes ~10 s on this
    started = []
    real_popen = subprocess.Popen
    monkeypatch.setattr(subprocess, "Popen",
                        lambda *a, **k: started.append(real_popen(*a, **k)) or started[-1])
    with pytest.raises(render.GraphvizError, match=r"longer than 0.5 s .*and was stopped"):
        timed(lambda: process.run_dot(slow, timeout=0.5), 5)
    (proc,) = started
    assert proc.returncode is not None                   # reaped, not left running
    if os.name == "posix":
        with pytest.raises(ProcessLookupError):
            os.killpg(proc.pid, 0)                      # its whole group is gone


@posix
def test_dot_runs_under_a_cpu_limit_so_an_orphan_stops(tmp_path, monkeypatch):
    fake = tmp_path / "dot"
    fake.write_text("#!/bin/sh\ncat > /dev/null\nulimit -t\n")
    fake.chmod(0o755)
    monkeypatch.setenv("PATH", str(tmp_path))
    assert process.run_dot("digraph {}", timeout=3).strip() == "5"


@posix
def test_a_crashing_dot_is_a_teachgrad_error_everywhere(crashing_dot, tmp_path):
    g = tg.trace(SEED, a=2, b=1)
    with pytest.raises(render.GraphvizError, match=r"Graphviz crashed \(SIGSEGV\)") as info:
        g.svg()
    assert "Try a smaller graph" in str(info.value) and info.value.__cause__ is None
    assert "Graphviz crashed" in g._repr_mimebundle_()["text/html"]
    result = cli("render", SEED, "a=2", "b=1", "-o", str(tmp_path / "x.svg"))
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert result.stderr.startswith("teachgrad: error: Graphviz crashed (SIGSEGV)")


# --- 3. a failed write keeps the old file ----------------------------------------------------

def test_a_failed_write_or_render_leaves_the_old_file_byte_for_byte(tmp_path, monkeypatch):
    target = tmp_path / "lecture.html"
    render.write(tg.trace(SEED, a=2, b=1), target, mode="reverse")
    good = target.read_bytes()
    other = tg.trace("e = sin(a) * b", a=1, b=2)

    def disk_full(fd):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr("teachgrad.files.os.fsync", disk_full)   # (the one safe writer)
    with pytest.raises(OSError, match="No space left"):
        render.write(other, target, mode="reverse")
    monkeypatch.undo()
    with pytest.raises(ValueError, match="out of range"):
        render.write(other, target, mode="reverse", step=99)
    assert target.read_bytes() == good
    assert sorted(p.name for p in tmp_path.iterdir()) == ["lecture.html"]   # no temporary left
    render.write(other, target, mode="reverse")
    assert target.read_bytes() != good


@posix
def test_a_file_size_limit_leaves_the_old_file_byte_for_byte(tmp_path):
    import resource
    import signal
    target = tmp_path / "lecture.html"
    assert cli("render", SEED, "a=2", "b=1", "--mode", "reverse", "-o", str(target)).returncode == 0
    good = target.read_bytes()
    assert len(good) > 40_000

    def limit():                          # as a full disk or a quota would: EFBIG past 8 KB
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (8_000, 8_000))

    result = cli("render", "e = sin(a) * b", "a=1", "b=2", "--mode", "values", "-o", str(target),
                 preexec=limit)
    assert result.returncode == 1 and "cannot write" in result.stderr, result.stderr
    assert "Traceback" not in result.stderr
    assert target.read_bytes() == good
    assert sorted(p.name for p in tmp_path.iterdir()) == ["lecture.html"]


# --- 4. long expressions -------------------------------------------------------------------

def test_a_thousand_term_sum_traces_and_deeper_ones_are_expression_errors():
    g = tg.trace("e = " + " + ".join(["a"] * 1000), a=1.0)
    assert len(g) == 1000 and float(g.derivative("e", "a")) == 1000.0
    for source in ["e = " + " + ".join(["a"] * 3000), "e = " + "-" * 100_000 + "a",
                   "e = " + "(" * 300 + "a" + ")" * 300, "e = " + "sin(" * 500 + "a" + ")" * 500]:
        with pytest.raises(ExpressionError, match="nested too deeply|nested parentheses") as info:
            tg.trace(source, a=1.0)
        assert len(str(info.value)) < 400


def test_the_widget_and_the_cli_cap_the_text_and_never_leak_a_traceback():
    ex = widgets.ExpressionExplorer(SEED, a=2, b=1)
    ex.source = "e = " + "+".join(["a"] * 3000)
    assert "nested too deeply" in ex.error and "nested too deeply" in ex.error_box.value
    ex.source = "e = " + "a + " * 4000 + "a"
    assert "16005 characters long: at most 10000" in ex.error and ex.source == SEED
    result = cli("render", "e = " + "+".join(["a"] * 3000), "a=1", "-o", "x.svg")
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "nested too deeply" in result.stderr
    result = cli("render", "e = " + "a+" * 6000 + "a", "a=1", "-o", "x.svg")
    assert "at most 10000 are accepted" in result.stderr and result.returncode == 1


# --- 5. grad of an f that leaves the graph -------------------------------------------------

@pytest.mark.parametrize("f, message", [
    # (NumPy reading a traced tensor is refused at once: tg.errors.ConcretizationError)
    (lambda x: np.sin(x), r"NumPy read the value of a traced tensor.*tg\.sin\(x\) instead of np"),
    (lambda x: np.exp(x) * x, r"NumPy read the value of a traced tensor"),
    (lambda x: tg.sin(np.asarray(x)), r"NumPy read the value of a traced tensor"),
    (lambda x: "abc", r"returned a str; expected a number or a teachgrad tensor"),
    (lambda x: (x, x), r"returned a tuple"),
    (lambda x: [x * x], r"returned a list"),
], ids=["np.sin", "np.exp*x", "asarray", "str", "tuple", "list"])
def test_grad_of_an_f_that_leaves_the_graph_is_a_type_error(f, message):
    with pytest.raises(TypeError, match=message):
        tg.grad(f)(1.0)


def test_grad_still_takes_what_stays_in_the_graph():
    assert float(tg.grad(lambda x: 3.0)(1.0)) == 0.0                 # a constant function
    assert float(tg.grad(lambda x: x * float(np.asarray(2.0)))(1.0)) == 2.0
    c = tg.constant(np.array([1.0, 2.0]))
    assert float(tg.grad(lambda x: tg.reduce_sum(x * np.asarray(c)))(1.0)) == 3.0  # a constant
    assert float(tg.grad(lambda x: x * x if x > 0 else -x)(3.0)) == 6.0   # control flow
    assert float(tg.grad(tg.grad(lambda x: x ** 3))(2.0)) == 12.0
    with pytest.raises(TypeError, match="NumPy read the value of a traced tensor"):
        tg.grad(tg.grad(lambda x: np.cos(x)))(2.0)
    np.testing.assert_allclose(tg.grad(lambda x: tg.reduce_sum(tg.sin(x)))(np.zeros(3)).numpy(),
                               np.ones(3))


def test_vjp_and_jvp_refuse_none_and_numpy_results():
    _, vjp_fn = tg.vjp(lambda x: x * x, 1.0)
    with pytest.raises(TypeError, match="cotangent is None"):
        vjp_fn(None)
    with pytest.raises(TypeError, match="tangent is None"):
        tg.jvp(lambda x: x * x, (1.0,), (None,))
    with pytest.raises(TypeError, match="NumPy read the value of a traced tensor"):
        tg.vjp(lambda x: np.sin(x), 1.0)
    with pytest.raises(TypeError, match="NumPy read the value of a traced tensor"):
        tg.jvp(lambda x: np.sin(x), (1.0,), (1.0,))


def test_a_numpy_read_in_another_thread_is_not_blamed_on_this_grad():
    inside, release, errors = threading.Event(), threading.Event(), []

    def slow(x):
        inside.set()
        release.wait(5)
        return x * x

    worker = threading.Thread(target=lambda: errors.append(float(tg.grad(slow)(3.0))))
    worker.start()
    assert inside.wait(5)
    np.asarray(tg.constant(1.0) + 1)               # another thread's NumPy: not f's business
    release.set()
    worker.join(5)
    assert errors == [6.0]


# --- 6. names of traced functions --------------------------------------------------------

def test_op_names_are_made_unique_and_paths_still_sum_to_the_derivative():
    g = tg.trace(lambda x: tg.sin(x, name="x") * tg.cos(x, name="s") + tg.exp(x, name="s"),
                 x=1.0)
    assert g.nodes == ["x", "x_2", "s", "a", "s_2", "b"]       # s_2, not a second s
    total = sum(p.product for p in g.paths("x", g.output))
    assert total == pytest.approx(float(g.derivative(g.output, "x")))
    assert total == pytest.approx(np.cos(1) * np.cos(1) - np.sin(1) ** 2 + np.exp(1))


def test_the_given_name_is_read_through_one_function():
    from types import SimpleNamespace
    from teachgrad.teaching.graph import given_name
    assert given_name(SimpleNamespace(given_name="s", name="s:0", _name="s:0")) == "s"
    assert given_name(tg.sin(tg.constant(1.0), name="w")) == "w"
    assert given_name(tg.sin(tg.constant(1.0))) is None


# --- 7. paths on array graphs --------------------------------------------------------------

W = np.arange(6.0).reshape(2, 3) / 4
X = np.array([[1.0], [-2.0], [0.5]])


@pytest.mark.parametrize("source, inputs", [
    ("h = W @ x\ny = sin(h) * h", {"W": W, "x": X}),                  # Jacobian × element-wise
    ("y = sin(a * v) + a", {"a": 0.5, "v": np.array([1.0, 2.0, 3.0])}),   # a broadcast scalar
    ("y = (W @ x) * c", {"W": W, "x": X, "c": np.array([[1.0], [2.0]])}),
    ("h = W @ x\ny = sin(h) * h", {"W": np.full((200, 100), 0.01), "x": np.ones((100, 60))}),
], ids=["matmul-then-sin", "broadcast-scalar", "broadcast-column", "jacobian-too-big"])
def test_path_products_on_arrays_sum_to_the_derivative(source, inputs):
    g = tg.trace(source, **inputs)
    for x in g.inputs:
        paths = g.paths(x, g.output)
        total = sum(p.product for p in paths)
        assert np.shape(total) == np.shape(g.value(x))
        np.testing.assert_allclose(total, g.derivative(g.output, x), rtol=1e-12, atol=1e-12)
        assert all(isinstance(p.text, str) for p in paths)
    explorer = widgets.PathExplorer(g, g.inputs[0], g.output)
    explorer.index = explorer.n_paths - 1
    assert "✓" in explorer.caption.value and explorer.svg.startswith("<?xml")
    np.testing.assert_allclose(explorer.running_sum, explorer.derivative)


def test_stored_partials_are_read_only():
    g = tg.trace("y = sin(x) * x", x=np.array([0.0, 0.5]))
    with pytest.raises(ValueError, match="read-only"):
        g.partial("x", "y")[0] = 99.0
    with pytest.raises(ValueError, match="read-only"):
        tg.trace("y = W @ x", W=W, x=X).partial("W", "y")[0, 0] = 99.0


# --- 8. widgets when drawing fails -----------------------------------------------------------

@posix
def test_the_explorer_keeps_its_last_good_graph_and_picture_when_dot_fails(crashing_dot,
                                                                          monkeypatch):
    monkeypatch.setenv("PATH", os.environ["PATH"].split(os.pathsep, 1)[1])   # real dot first
    ex = widgets.ExpressionExplorer(SEED, a=2, b=1)
    graph, picture = ex.graph, ex.svg
    monkeypatch.setenv("PATH", f"{crashing_dot.parent}{os.pathsep}{os.environ['PATH']}")
    ex.text.value = "e = a * b * b"                       # typed: the callback runs
    assert "Graphviz crashed (SIGSEGV)" in ex.error_box.value
    assert ex.source == SEED and ex.graph is graph and ex.svg == picture
    ex.sliders["a"].value = 3.0
    assert "Graphviz crashed" in ex.error and float(ex.graph.value("e")) == 6.0
    ex.source = "e = 2"                                   # was an IndexError
    assert "only gives numbers to names" in ex.error and ex.source == SEED


@posix
def test_a_player_shows_a_drawing_failure_instead_of_raising(crashing_dot):
    player = widgets.PropagationPlayer(tg.trace(SEED, a=2, b=1), "reverse")
    assert player.svg == "" and "Graphviz crashed" in player.picture.value
    player.step = 3                                     # the steps and the table still work
    assert "tg-current" in player.table.value and player.step_text.startswith("step 3 of 5")


# --- 9. the command line --------------------------------------------------------------------

@pytest.mark.parametrize("order", [
    ["render", SEED, "-o", "{out}", "a=2", "b=1"],
    ["render", "-o", "{out}", SEED, "a=2", "--mode", "reverse", "b=1"],
    ["render", "--mode", "values", SEED, "a=2", "-o", "{out}", "b=1", "--step", "2"],
], ids=["output-between", "options-first-and-between", "options-everywhere"])
def test_options_may_come_anywhere(order, tmp_path):
    out = tmp_path / "x.svg"
    result = cli(*[a.format(out=out) for a in order])
    assert result.returncode == 0, result.stderr
    assert len(node_titles(out.read_text(encoding="utf-8"))) == 5


def test_cli_errors_show_the_render_usage_and_dash_dash_takes_a_minus(tmp_path):
    result = cli("render", SEED, "-o", str(tmp_path / "x.svg"), "a=2", "b=1", "--bogus")
    assert result.returncode == 2
    assert result.stderr.startswith("usage: teachgrad render")
    assert "unrecognized arguments: --bogus" in result.stderr
    out = tmp_path / "neg.svg"
    result = cli("render", "-o", str(out), "--", "-a*a", "a=2")
    assert result.returncode == 0, result.stderr
    assert "--" in cli("render", "--help").stdout.split("after --")[0]


# --- 10. inputs given in the text ------------------------------------------------------------

def test_an_input_given_in_the_text_is_overridden_by_at_and_its_slider():
    g = tg.trace("x = 3\ne = x * a", a=2)
    assert g.text_inputs == ["x"] and float(g.at(x=5).value("e")) == 10.0
    assert float(g.at(x=5).at(a=1).value("e")) == 5.0           # the override is kept
    player = widgets.PropagationPlayer(g)
    player.sliders["x"].value = 4.0
    assert float(player.graph.value("e")) == 8.0 and "could not" not in player.caption.value
    ex = widgets.ExpressionExplorer("x = 3\ne = x * a", a=2)
    ex.sliders["x"].value = 5.0
    assert float(ex.graph.value("e")) == 10.0 and ex.derivatives["a"] == 5.0
    ex.source = "x = 7\ne = x * a"                               # new text: the text's value
    assert ex.sliders["x"].value == 7.0 and float(ex.graph.value("e")) == 14.0


# --- 11. smaller ones --------------------------------------------------------------------------

@pytest.mark.parametrize("source, message", [
    ("e = a * " + "9" * 400, "is too large"),
    ("e = a * " + "9" * 5000, "4300 digits"),
    ("e = a\ud800 + 1", r"U\+D800.*\(line 1, column 6\)"),
    ("e = a\x00", "null bytes"),
    ("e = a + '" + "x" * 10_000_000 + "'", r"^'x{26,}\.\.\.x+' is not a number"),
], ids=["huge-int", "too-many-digits", "lone-surrogate", "null-byte", "10-MB-string"])
def test_careless_literals_are_expression_errors_with_short_messages(source, message):
    with pytest.raises(ExpressionError, match=message) as info:
        tg.trace(source, a=1.0)
    assert len(str(info.value)) < 400


def test_an_error_never_echoes_a_huge_input():
    with pytest.raises(ExpressionError) as info:
        tg.trace("e = a * 2", a=["x"] * 1_000_000)
    assert len(str(info.value)) < 300
    with pytest.raises(ExpressionError, match=r"not an input") as info:
        tg.trace(SEED, a=2, b=1).at(**{"q" * 100_000: 1})
    assert len(str(info.value)) < 400


def test_input_names_are_normalized_like_the_names_in_the_text():
    g = tg.trace("e = ﬁ * 2", **{"ﬁ": 1.5})                   # Python reads ﬁ as fi
    assert g.inputs == ["fi"] and float(g.value("e")) == 3.0
    assert float(g.at(**{"ﬁ": 2}).value("e")) == 4.0
    with pytest.raises(ExpressionError, match="Python reads them alike"):
        tg.trace("e = fi * 2", **{"ﬁ": 1, "fi": 2})


def test_a_traced_function_keeps_its_defaults():
    g = tg.trace(lambda x, k=3.0: x * k, x=2.0)
    assert g.inputs == ["x"] and float(g.value(g.output)) == 6.0
    assert float(g.at(x=1.0).value(g.output)) == 3.0
    assert tg.trace(lambda x, k=3.0: x * k, x=2.0, k=4.0).inputs == ["x", "k"]
    with pytest.raises(ExpressionError, match=r"takes \*xs"):
        tg.trace(lambda *xs: xs[0], x=1.0)
