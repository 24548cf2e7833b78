"""The lectures, checked without running them (milliseconds): they exist, their outputs are stored
from one top-to-bottom run, they contain the slides' code, they end with exercises whose checks
answer, and lecture 5 corrects the slide's arithmetic slip.

Running them is nbval's job (``pytest --nbval lectures/``, see ``.ci/dev``); this file catches a
notebook saved without outputs, half-run, or edited away from the slides.
"""

import functools
import json
import re
from pathlib import Path

import pytest

LECTURES = Path(__file__).resolve().parents[1] / "lectures"
NAMES = ["01-graph-model", "02-tensors", "03-build-then-run", "04-variables-hinge-loss",
         "05-automatic-gradients", "06-derivatives"]

# Code from the slides (shared/seed/intro-to-tensorflow-lecture.txt) that each lecture must run.
SLIDE_CODE = {
    "01-graph-model": ['tg.trace("e = (a + b) * (b + 1)", a=2, b=1)',
                       'PropagationPlayer(graph, mode="values")'],
    "02-tensors": ["one = tf.constant(1)", "two = one + one", "x = tf.range(-10, 10, .1)",
                   "y = tf.sin(x)", "plt.plot(x, y)", "z = y**2 + 10", "w = tf.log(z)",
                   "m1 * m2", "tf.matmul(m1, m2)",
                   "blurred = tf.nn.conv2d(imtensor, filterarray,\n"
                   "    strides=[1, 1, 1, 1], padding='VALID')",
                   "padding='SAME'", 'get_sample_data("grace_hopper.jpg")'],
    "03-build-then-run": ["with tf.Session() as sess:", "sess.run(e)"],
    "04-variables-hinge-loss": ["tf.Variable(",
                                "margins = tf.matmul(neural_data, weights) + bias",
                                "hinge_loss = tf.maximum(0., 1. - category_labels * margins)",
                                "tf.gradients(loss, [weights, bias])", "assign_sub("],
    "05-automatic-gradients": ['graph.paths("b", "e")', "count_paths(",
                               'PropagationPlayer(graph, mode="forward", wrt="b")',
                               'PropagationPlayer(graph, mode="reverse")',
                               "PathExplorer(graph, \"b\", \"e\")", "tg.plot.compare_modes(",
                               "tf.gradients([e, c], [a, b], grad_ys="],
    "06-derivatives": ["y = x**2", "d = tf.gradients(y, x)", "2*x**3 - 5*x**2 + 3*x - 1",
                       "x_arr**.5", "z = tf.log(tf.exp(tf.sin(y) + tf.cos(2*y)) + 1)",
                       "w = z / (y + tf.cos(x_arr))", "z = x**2 + y**2",
                       "z = x**2 + y**2 * x",
                       "tf.cosh((3 + tf.cos(x+2*y)**3)**.5 * tf.sin(y-x))",
                       "tg.plot.gradient_field(", "DerivativeExplorer(",
                       "tg.grad(tg.grad("],
}


@functools.lru_cache(maxsize=None)
def load(name):
    return json.loads((LECTURES / f"{name}.ipynb").read_text(encoding="utf-8"))


def source(cell):
    return "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]


def code_cells(nb):
    return [c for c in nb["cells"] if c["cell_type"] == "code"]


def text_of(output):
    """What a reader sees of an output as text: a stream, or a display's text/plain and HTML."""
    if output["output_type"] == "stream":
        return "".join(output["text"])
    data = output.get("data", {})
    return "".join("".join(data.get(k, "")) for k in ("text/plain", "text/html"))


def outputs_text(nb):
    return "\n".join(text_of(o) for c in code_cells(nb) for o in c.get("outputs", []))


@pytest.fixture(params=NAMES)
def lecture(request):
    return request.param, load(request.param)


def test_the_six_lectures_and_nothing_else():
    assert sorted(p.stem for p in LECTURES.glob("*.ipynb")) == NAMES


def test_runs_in_the_current_python_kernel(lecture):
    name, nb = lecture
    assert nb["nbformat"] == 4
    assert nb["metadata"]["kernelspec"]["name"] == "python3", name


def test_outputs_come_from_one_top_to_bottom_run(lecture):
    name, nb = lecture
    counts = [c["execution_count"] for c in code_cells(nb)]
    assert counts == list(range(1, len(counts) + 1)), f"{name}: re-execute it top to bottom"
    errors = [source(c)[:60] for c in code_cells(nb)
              for o in c["outputs"] if o["output_type"] == "error"]
    assert not errors, f"{name}: cells that raised: {errors}"
    shown = sum(1 for c in code_cells(nb) if c["outputs"])
    assert shown >= 0.6 * len(counts), f"{name}: only {shown} of {len(counts)} code cells show output"


def test_contains_the_slide_code(lecture):
    name, nb = lecture
    code = "\n".join(source(c) for c in code_cells(nb))
    missing = [snippet for snippet in SLIDE_CODE[name] if snippet not in code]
    assert not missing, f"{name} lacks the slide code {missing}"


def test_slide_code_runs_on_teachgrad_as_tf(lecture):
    name, nb = lecture
    first_code = "\n".join(source(c) for c in code_cells(nb)[:1])
    assert "import teachgrad as tf" in first_code


def test_ends_with_exercises_whose_checks_answer(lecture):
    name, nb = lecture
    cells = nb["cells"]
    start = next(i for i, c in enumerate(cells)
                 if c["cell_type"] == "markdown" and re.search(r"^## Exercises", source(c), re.M))
    checks = [c for c in cells[start:] if c["cell_type"] == "code"
              and source(c).startswith("# check exercise")]
    assert 2 <= len(checks) <= 3, f"{name}: {len(checks)} exercises"
    assert cells[-1] is checks[-1], f"{name} must end with the last check cell"
    for k, check in enumerate(checks, 1):
        assert source(check).startswith(f"# check exercise {k}")
        said = "".join(text_of(o) for o in check["outputs"])
        assert re.match(r"(right|not yet) — \S", said), f"{name} check {k} printed {said!r}"
        # Each check is preceded by the starter answer it checks.
        before = cells[cells.index(check) - 1]
        assert before["cell_type"] == "code" and "# your answer" in source(before)


def test_widgets_also_shown_without_a_kernel():
    """A player's picture must be there before anything runs: the kernel-free HTML animation."""
    for name in ["01-graph-model", "05-automatic-gradients"]:
        nb = load(name)
        code = [source(c) for c in code_cells(nb)]
        players = sum("PropagationPlayer(" in s for s in code)
        animations = [o for c in code_cells(nb) if source(c).endswith(".static()")
                      for o in c["outputs"] if "text/html" in o.get("data", {})]
        assert players >= 1 and len(animations) == players, name
        for o in animations:
            html = "".join(o["data"]["text/html"])
            assert html.startswith('<div class="tg-animation"') and "<svg" in html


def test_graph_pictures_are_stored_as_svg():
    for name in ["01-graph-model", "05-automatic-gradients", "06-derivatives"]:
        svgs = [o for c in code_cells(load(name)) for o in c["outputs"]
                if "image/svg+xml" in o.get("data", {})]
        assert svgs, name
        for o in svgs:
            svg = "".join(o["data"]["image/svg+xml"])
            assert 'class="node' in svg and "Generated by graphviz" not in svg


def test_no_unstable_matplotlib_svg():
    """matplotlib figures are stored as PNG (nbval does not compare PNG); an SVG with a date would
    differ on every run."""
    for name in NAMES:
        for c in code_cells(load(name)):
            for o in c["outputs"]:
                svg = "".join(o.get("data", {}).get("image/svg+xml", ""))
                assert "<dc:date>" not in svg, name


def test_lecture_5_corrects_the_slide_slip():
    nb = load("05-automatic-gradients")
    prose = "\n".join(source(c) for c in nb["cells"] if c["cell_type"] == "markdown")
    assert "1 \\cdot 2 + 1 \\cdot 3 = 6" in prose          # the slide's line, quoted
    assert re.search(r"slip", prose) and "2 + 3 = 5" in prose
    shown = outputs_text(nb)
    # The value 5 is computed, by paths, by tf.gradients and by finite differences.
    assert "sum over paths: 2 + 3 = 5" in shown
    assert re.search(r"tf\.gradients:\s+5\.0", shown)
    assert re.search(r"finite difference:\s+5\.0", shown)
    assert "b̄ = ∂c/∂b·c̄ + ∂d/∂b·d̄ = 1·2 + 1·3 = 5" in shown


def test_numbers_of_the_slides_are_computed():
    """The slides' numbers appear in outputs, not only in prose."""
    l1 = outputs_text(load("01-graph-model"))
    assert "['a', 'b', 'c', 'd', 'e'], 5" in l1                   # five nodes
    assert "e = c·d = 3·2 = 6" in l1                              # values at a = 2, b = 1
    l2 = outputs_text(load("02-tensors"))
    assert "value=1>" in l2 and "value=2>" in l2                  # one, two
    assert "TensorShape([200])" in l2                                        # range(-10, 10, .1)
    l4 = outputs_text(load("05-automatic-gradients"))
    assert "∂(a + b)/∂a = 1.0" in l4 and "which is v = 4.0" in l4
    assert "a → c → e: 1·2 = 2" in l4                             # ∂e/∂a = 1·2 = 2
    assert "(9, 9)" in l4                                         # αδ + … + γζ: nine paths


def _pictures(nb):
    """(kind, width px, height px, svg text or None) of every stored picture."""
    import base64
    import struct
    for c in code_cells(nb):
        for o in c.get("outputs", []):
            data = o.get("data", {})
            if "image/png" in data:
                png = base64.b64decode("".join(data["image/png"]))
                yield ("png", *struct.unpack(">II", png[16:24]), None)
            if "image/svg+xml" in data:
                svg = "".join(data["image/svg+xml"])
                size = [float(re.search(rf'<svg[^>]*\s{a}="([\d.]+)pt"', svg).group(1)) * 4 / 3
                        for a in ("width", "height")]
                yield ("svg", *size, svg)


def test_lecture_6_pictures_fit_a_screen_with_readable_text():
    pictures = list(_pictures(load("06-derivatives")))
    assert len(pictures) >= 13
    for kind, width, height, svg in pictures:
        assert width <= 1000 and height <= 900, (kind, width, height)
        if svg is not None:
            assert min(float(s) for s in re.findall(r'font-size="([\d.]+)"', svg)) >= 12


def test_lecture_6_second_edition():
    nb = load("06-derivatives")
    code = "\n".join(source(c) for c in code_cells(nb))
    for snippet in ["stacked=True", "tg.jvp(f, (2., 3.), tangent)", "tg.vjp(f, 2., 3.)",
                    "tg.ops.elementwise(", "places=2"]:
        assert snippet in code, snippet
    shown = outputs_text(nb)
    assert "(u̇, v̇) = (3, 1)" in shown and "(x̄, ȳ) = (3, 2)" in shown      # column 1, row 1
    assert "tf.gradients:      (2.253078, -1.430916)" in shown
    assert "finite difference: (2.253078, -1.430916)" in shown             # float64 agrees
    assert "f″ changes sign at x = [0.8333]" in shown
    assert all("slideshow" in c["metadata"] for c in nb["cells"])
    checks = [c for c in code_cells(nb) if source(c).startswith("# check exercise")]
    assert all("right — " in "".join(text_of(o) for o in c["outputs"]) for c in checks)
    assert not any("1e-6" in source(c) for c in checks[:2])
