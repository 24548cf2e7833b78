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
    "02-tensors": ["one = tf.constant(1)", "two = one + one", "sess = tf.Session()",
                   "sess.run(two)", "sess.run([one, two, three])", "tf.cast(one, tf.float32)",
                   "x = tf.range(-10, 10, .1)", "y = tf.sin(x)",
                   "xvals, yvals = sess.run([x, y])\nplt.plot(xvals, yvals)", "z = y**2 + 10",
                   "w = tf.log(z)",
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


# ------------------------------------------------------------------------------------------------
# Lecture 2 (tensors): TF-1 as the course ran it, slides, readable pictures, handout exercises
# ------------------------------------------------------------------------------------------------

def png_size(output):
    """(width, height) in pixels of an output's stored PNG, read from its header."""
    import base64
    raw = base64.b64decode("".join(output["data"]["image/png"]))
    return int.from_bytes(raw[16:20], "big"), int.from_bytes(raw[20:24], "big")


def test_lecture_2_runs_the_graph_in_a_session_as_the_course_did():
    nb = load("02-tensors")
    shown = outputs_text(nb)
    assert "2 <class 'numpy.int32'>" in shown                     # sess.run(two): a NumPy value
    assert "\n1 2 4\n" in "\n" + shown                               # sess.run([one, two, three])
    # int32 + float32 is TF-1's TypeError, shown, and tf.cast is the fix.
    assert re.search(r"TypeError: add: .*int32.*float32", shown) and "[2.  3.  4.3]" in shown
    prose = "\n".join(source(c) for c in nb["cells"] if c["cell_type"] == "markdown")
    assert "<tf.Tensor 'Const:0' shape=() dtype=int32>" in prose  # TF-1's repr, quoted as it was
    assert "Cannot convert a symbolic Tensor" in prose            # what plt.plot(x, y) does in TF-1
    assert "Lecture 3 (*Build, then run*)" in prose
    code = "\n".join(source(c) for c in code_cells(nb))
    assert "enable_eager_execution()" not in code and "np.asarray(two)" not in code


def test_lecture_2_compares_four_libraries_on_running():
    nb = load("02-tensors")
    box = next(source(c) for c in nb["cells"] if "### Side by side" in source(c))
    rows = [line for line in box.splitlines() if line.startswith("| **")]
    assert [r.split("**")[1] for r in rows] == ["TensorFlow 1", "TensorFlow 2", "PyTorch", "JAX"]
    for term in ["sess.run", "eager", "tf.function", "define-by-run", ".backward()", "jax.jit",
                 "jax.grad"]:
        assert term in box, term


def test_lecture_2_slides_and_speaker_notes():
    nb = load("02-tensors")
    kinds = [c["metadata"].get("slideshow", {}).get("slide_type") for c in nb["cells"]]
    assert None not in kinds
    assert set(kinds) <= {"slide", "subslide", "fragment", "-", "skip", "notes"}
    assert kinds.count("slide") >= 6
    for c, kind in zip(nb["cells"], kinds):
        if c["cell_type"] == "markdown" and source(c).startswith("## "):
            assert kind == "slide", source(c)[:40]
        if kind == "notes":
            assert source(c).startswith("**Speaker notes.**")
    # One speaker note in every section but the exercises.
    starts = [i for i, c in enumerate(nb["cells"]) if source(c).startswith("## ")]
    for start, end in zip(starts, starts[1:]):
        assert "notes" in kinds[start:end], source(nb["cells"][start])[:40]


def test_lecture_2_pictures_fit_a_slide_and_use_large_fonts():
    nb = load("02-tensors")
    sizes = [png_size(o) for c in code_cells(nb) for o in c["outputs"]
             if "image/png" in o.get("data", {})]
    assert len(sizes) >= 10
    assert all(w <= 1000 and h <= 900 for w, h in sizes), sizes
    code = "\n".join(source(c) for c in code_cells(nb))
    assert '"font.size": 12' in code and '"figure.dpi": 100' in code
    assert all(int(n) >= 12 for n in re.findall(r"fontsize=(\d+)", code))
    # One notation: the plot titles say y², the prose's minus sign is − (U+2212) outside code.
    assert '"z = y² + 10"' in code
    prose = "\n".join(source(c) for c in nb["cells"] if c["cell_type"] == "markdown")
    words = re.sub(r"`[^`]*`|\$[^$]*\$", " ", prose)
    assert "−10, −9.9" in words and not re.search(r"(?<!\w)-\d", words)


def test_lecture_2_exercises_are_handouts():
    nb = load("02-tensors")
    cells = nb["cells"]
    checks = [c for c in cells if source(c).startswith("# check exercise")]
    assert len(checks) == 3
    for k, check in enumerate(checks, 1):
        answer = cells[cells.index(check) - 1]
        grading = answer["metadata"]["nbgrader"]
        assert grading["solution"] and grading["grade_id"] == f"l02-ex{k}"
        assert "solution" in answer["metadata"]["tags"]
        assert "### BEGIN SOLUTION" in source(answer) and "= ...  " in source(answer)
        assert check["metadata"]["nbgrader"]["locked"] and \
            check["metadata"]["nbgrader"]["grade_id"] == f"l02-ex{k}-check"
        text = source(check)
        assert "exercises.check_number(" in text and '"k1:' in text and '"s1:' in text
        # No worked answer in the check: nothing computed, the right shape nowhere.
        assert "sess." not in text and "tf.nn" not in text and "tf.ones" not in text
        assert not re.search(r"\(4, 5, 3\)|\(4, 2\)|199|170", text)
        said = "".join(text_of(o) for o in check["outputs"])
        assert said.startswith("right — ")
