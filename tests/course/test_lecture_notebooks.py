"""The lectures, checked without running them (milliseconds): they exist, their outputs are stored
from one top-to-bottom run, they contain the slides' code, they end with exercises whose checks
answer, and lecture 5 corrects the slide's arithmetic slip.

Running them is nbval's job (``pytest --nbval lectures/``, see ``.ci/dev``); this file catches a
notebook saved without outputs, half-run, or edited away from the slides.
"""

import base64
import functools
import json
import re
import struct
from pathlib import Path

import pytest

LECTURES = Path(__file__).resolve().parents[2] / "lectures"
NAMES = ["01-graph-model", "02-tensors", "03-build-then-run", "04-variables-hinge-loss",
         "05-automatic-gradients", "06-derivatives"]

# Code from the slides (shared/seed/intro-to-tensorflow-lecture.txt) that each lecture must run.
SLIDE_CODE = {
    "01-graph-model": ['tg.trace("e = (a + b) * (b + 1)", a=2, b=1)',
                       'PropagationPlayer(graph, mode="values")', "c = a + b\nd = b + 1\ne = c * d",
                       "DerivativeExplorer(", 'PracticePlayer(graph, mode="values")'],
    "02-tensors": ["one = tf.constant(1)", "two = one + one", "sess = tf.Session()",
                   "sess.run(two)", "sess.run([one, two, three])", "tf.cast(one, tf.float32)",
                   "x = tf.range(-10, 10, .1)", "y = tf.sin(x)",
                   "xvals, yvals = sess.run([x, y])\nplt.plot(xvals, yvals)", "z = y**2 + 10",
                   "w = tf.log(z)",
                   "m1 * m2", "tf.matmul(m1, m2)",
                   "blurred = tf.nn.conv2d(imtensor, filterarray,\n"
                   "    strides=[1, 1, 1, 1], padding='VALID')",
                   "padding='SAME'", 'get_sample_data("grace_hopper.jpg")'],
    "03-build-then-run": ["with tf.Session() as sess:", "sess.run(e)", "sess.run([c, d, e])",
                          "feed_dict={c: 10.0, b: 1.0}",
                          'tf.placeholder(tf.float32, shape=[None, 3], name="x")',
                          "tf.global_variables_initializer()", "w.assign_add(1.0)",
                          'with tf.name_scope("model"):',
                          "margins = tf.matmul(x, w) + b",
                          "loss = tf.reduce_mean(tf.maximum(0., 1. - y * margins))",
                          "tg.trace(loss, feed_dict=batch, session=sess)",
                          "grads = tf.gradients(loss, [w, b])"],
    "04-variables-hinge-loss": ["tf.Variable(",
                                "margins = tf.matmul(neural_data, weights) + bias",
                                "hinge_loss = tf.maximum(0., 1. - category_labels * margins)",
                                "tf.gradients(loss, [weights, bias])", "assign_sub(",
                                "tf.placeholder(", "tf.global_variables_initializer()",
                                "GradientDescentOptimizer(learning_rate).minimize(loss)",
                                "sess.run([train_op, loss"],
    "05-automatic-gradients": ['graph.paths("b", "e")', "count_paths(",
                               'PropagationPlayer(graph, mode="forward", wrt="b")',
                               'PropagationPlayer(graph, mode="reverse")',
                               "PathExplorer(graph, \"b\", \"e\")", "tg.plot.compare_modes(",
                               "tf.gradients([e, c], [a, b], grad_ys=",
                               "compare_modes(max_outputs=", 'PracticePlayer(graph, mode="reverse")',
                               "margins = tf.matmul(X, W) + b"],
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
    first_code = "\n".join(source(c) for c in code_cells(nb)[:2])
    assert "import teachgrad as tf" in first_code


def test_ends_with_exercises_whose_checks_answer(lecture):
    name, nb = lecture
    cells = nb["cells"]
    start = next(i for i, c in enumerate(cells)
                 if c["cell_type"] == "markdown" and re.search(r"^## Exercises", source(c), re.M))
    checks = [c for c in cells[start:] if c["cell_type"] == "code"
              and source(c).startswith("# check exercise")]
    assert 2 <= len(checks) <= 4, f"{name}: {len(checks)} exercises"
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


# --- lecture 1 (second edition) -------------------------------------------------------------

def _l1_cells_before(heading):
    cells = load("01-graph-model")["cells"]
    end = next(i for i, c in enumerate(cells) if c["cell_type"] == "markdown"
               and source(c).startswith(heading))
    return cells[:end]


def test_lecture_1_no_partials_before_the_calculus_on_ramp():
    """The graph is first shown as nodes and arrows; ∂ appears only once a derivative has been
    explained as a sensitivity (nudge b by 0.01, e moves 0.0501)."""
    before = _l1_cells_before("## 3. A derivative is a sensitivity")
    pictures = [o for c in before if c["cell_type"] == "code" for o in c["outputs"]
                if "image/svg+xml" in o.get("data", {})]
    assert len(pictures) == 2
    for c in before:
        shown = source(c) + "".join(text_of(o) + "".join(o.get("data", {}).get(
            "image/svg+xml", "")) for o in c.get("outputs", []))
        assert "∂" not in shown and "\\partial" not in shown, source(c)[:60]
    l1 = outputs_text(load("01-graph-model"))
    assert "b = 1.01  →  e = 6.0501" in l1 and "5.01 times as much" in l1
    assert "ratio 5.0001" in l1 and "ratio 2.00" in l1


def test_lecture_1_tangent_line_stored_and_names_defined():
    cells = load("01-graph-model")["cells"]
    code = [c for c in cells if c["cell_type"] == "code"]
    k = next(i for i, c in enumerate(code) if "DerivativeExplorer(" in source(c))
    assert "f′ = 5" in text_of(code[k]["outputs"][0])                 # slope 5 at b = 1
    assert any("image/png" in o.get("data", {}) for o in code[k + 1]["outputs"])
    prose = "\n".join(source(c) for c in cells if c["cell_type"] == "markdown")
    assert "\\dot x" not in prose and "\\bar x" not in prose         # named where used: L5
    l5 = "\n".join(source(c) for c in load("05-automatic-gradients")["cells"]
                   if c["cell_type"] == "markdown")
    assert "A **tangent**, written with a dot" in l5 and "lecture 1's tangent line" in l5
    assert "An **adjoint**, written with a bar" in l5
    assert "lecture 4" not in prose.lower()                            # renumbered: lecture 5
    setup = source(code[k])
    assert "get_legend" not in setup and "subplots_adjust" not in setup   # labels as arguments


def test_lecture_1_players_stored_at_a_meaningful_step_and_practice_page():
    code = code_cells(load("01-graph-model"))
    player = next(c for c in code if "PropagationPlayer(" in source(c))
    assert "player.step = 4" in source(player) and "step 4 of 5" in text_of(player["outputs"][0])
    k = next(i for i, c in enumerate(code) if 'PracticePlayer(graph, mode="values")' in source(c))
    page = "".join(text_of(o) for o in code[k + 1]["outputs"])
    assert "tg-practice" in page and "<svg" in page


def test_lecture_1_slides_and_picture_sizes():
    cells = load("01-graph-model")["cells"]
    kinds = [c["metadata"]["slideshow"]["slide_type"] for c in cells]
    assert kinds.count("slide") >= 6
    sections = sum(1 for c in cells if source(c).startswith("## "))
    assert kinds.count("notes") >= sections - 1                       # all but Exercises
    for c in cells:
        if source(c).startswith("## ") or source(c).startswith("# Lecture"):
            assert c["metadata"]["slideshow"]["slide_type"] == "slide"
    static = next(i for i, c in enumerate(cells) if source(c) == "player.static()")
    assert kinds[static - 1] in ("slide", "subslide")                 # the animation's own slide
    for c in code_cells(load("01-graph-model")):
        for o in c["outputs"]:
            data = o.get("data", {})
            svg = "".join(data.get("image/svg+xml", "")) + "".join(data.get("text/html", ""))
            for w, h in re.findall(r'<svg[^>]* width="([\d.]+)pt" height="([\d.]+)pt"', svg):
                assert float(w) * 4 / 3 <= 1000 and float(h) * 4 / 3 <= 900, source(c)[:40]
            assert all(float(s) >= 12 for s in re.findall(r'font-size="([\d.]+)"', svg))


def test_lecture_1_exercise_checks_hold_no_answers():
    cells = load("01-graph-model")["cells"]
    checks = [c for c in cells if source(c).startswith("# check exercise")]
    for k, check in enumerate(checks, 1):
        text = source(check)
        assert "k2:L1." in text and "explain=" in text and f"answer_{k} ==" not in text
        assert check["metadata"]["nbgrader"]["grade_id"] == f"l01-ex{k}-check"
        answer = cells[cells.index(check) - 1]
        assert "### BEGIN SOLUTION" in source(answer) and answer["metadata"]["nbgrader"]["solution"]
        assert "".join(text_of(o) for o in check["outputs"]).startswith("right — ")
    assert "e = c * d" not in source(checks[2]) and "c + d" not in source(checks[2])


def test_lecture_3_shows_tf1_as_it_ran():
    """Build, then run: the numbers and messages TensorFlow 1.15 gives (checked with TensorFlow's
    compat.v1), each computed in the lecture; every picture within 1,000 × 900 px."""
    nb = load("03-build-then-run")
    shown = outputs_text(nb)
    assert "[('Const', 'Const'),\n ('Const_1', 'Const'),\n ('add', 'AddV2')" in shown
    assert "mul:0 () <dtype: 'float32'>" in shown
    assert "{'c': np.float32(3.0), 'd': np.float32(2.0), 'e': np.float32(6.0)}" in shown
    assert "20.0\n2.0" in shown                                 # feeding c; d needs b only
    assert "You must feed a value for placeholder tensor 'b' with dtype float" in shown
    assert "(?, 3) (?, 2)" in shown and "tf.shape(x) -> [4 3]" in shown
    assert "Cannot feed value of shape (4, 2) for Tensor x:0, which has shape (?, 3)" in shown
    assert "FailedPreconditionError — Attempting to use uninitialized value w" in shown
    assert "4.0 5.0 5.0\n10.0 20.0\nnew session: w is uninitialized again" in shown
    assert "model/v:0 model/add:0 model/v/Assign model_1/q:0" in shown
    assert "sess.run(loss) = 0.6666667" in shown
    assert "19 operations added:" in shown   # TensorFlow 1 adds 48 (its Shape/BroadcastGradientArgs steps)
    assert "∂loss/∂w = [-0.33333334 -0.6666667 ]   ∂loss/∂b = -0.33333334" in shown
    assert "[np.float32(2.0), np.float32(5.0)]" in shown
    sizes = []
    for c in code_cells(nb):
        for o in c["outputs"]:
            data = o.get("data", {})
            text = "".join(data.get("image/svg+xml", "")) + "".join(data.get("text/html", ""))
            for w, h in re.findall(r'<svg width="([\d.]+)pt" height="([\d.]+)pt"', text):
                sizes.append((float(w) * 4 / 3, float(h) * 4 / 3))
            fonts = [float(f) for f in re.findall(r'font-size="([\d.]+)"', text)]
            assert not fonts or min(fonts) >= 12
    assert len(sizes) >= 5 and all(w <= 1000 and h <= 900 for w, h in sizes), sizes
    kinds = [c["metadata"]["slideshow"]["slide_type"] for c in nb["cells"]]
    assert kinds.count("slide") >= 6 and kinds.count("notes") >= 9


# ------------------------------------------------------------------------------------------------
# Lecture 4: TF-1 as the course ran it (issue 14)
# ------------------------------------------------------------------------------------------------

def run_check_cell(cell_source, **answers):
    """What a lecture's check cell says for ``answers`` (its last line is the check's verdict)."""
    import ast

    tree = ast.parse(cell_source)
    body, last = tree.body[:-1], ast.Expression(tree.body[-1].value)
    namespace = dict(answers)
    exec(compile(ast.Module(body, []), "<check>", "exec"), namespace)
    return str(eval(compile(last, "<check>", "eval"), namespace))


def lecture_4_cell(start):
    return next(source(c) for c in code_cells(load("04-variables-hinge-loss"))
                if source(c).startswith(start))


def test_lecture_4_builds_the_training_graph_once_and_only_runs_it_in_the_loop():
    nb = load("04-variables-hinge-loss")
    loop = next(c for c in code_cells(nb) if "for step in range(200)" in source(c)
                and "train_op" in source(c) and "history" in source(c))
    body = source(loop)
    assert "sess.run([train_op, loss, accuracy], feed_dict=train_feed)" in body
    for builder in ["minimize(", "tf.gradients(", "tf.Variable(", "tf.matmul(", "tf.maximum("]:
        assert builder not in body, f"the training loop builds nodes: {builder}"
    code = "\n".join(source(c) for c in code_cells(nb))
    for tf1 in ["tf.placeholder(tf.float32, [None, num_neurons]", "tf.global_variables_initializer()",
                "tf.train.GradientDescentOptimizer(learning_rate).minimize(loss)",
                "tf.variables_initializer(", "tf.Session()"]:
        assert tf1 in code
    assert "tf.enable_eager_execution()" not in code


def test_lecture_4_shows_the_rebuild_bug_by_its_op_count():
    shown = outputs_text(load("04-variables-hinge-loss"))
    once = re.search(r"built once, run 3 times:\s+ops \[(\d+), (\d+), (\d+)\]", shown)
    bug = re.search(r"built inside the loop \(bug\):\s+ops \[(\d+), (\d+), (\d+)\]", shown)
    assert once and bug
    once, bug = [int(n) for n in once.groups()], [int(n) for n in bug.groups()]
    assert once[0] == once[1] == once[2]
    assert bug[0] == once[0] and bug[0] < bug[1] < bug[2]
    assert bug[2] - bug[1] == bug[1] - bug[0] > 0                # the same ops, added every step


def test_lecture_4_int_plus_float_is_tf1s_type_error():
    shown = outputs_text(load("04-variables-hinge-loss"))
    error = re.search(r"TypeError: (.*)", shown)
    assert error and "int32" in error.group(1) and "float32" in error.group(1)
    assert "FailedPreconditionError: Attempting to use uninitialized value v" in shown
    prose = "\n".join(source(c) for c in load("04-variables-hinge-loss")["cells"]
                      if c["cell_type"] == "markdown")
    assert "tf.cast" in prose and "`1.`" in prose


def test_lecture_4_exercise_3_rejects_rates_that_crawl_or_diverge():
    check = lecture_4_cell("# check exercise 3")
    assert run_check_cell(check, answer_3=[0.003, 0.01]).startswith("right — ")
    assert "crawls" in run_check_cell(check, answer_3=[0.001, 0.01])
    assert "diverges" in run_check_cell(check, answer_3=[0.003, 0.03])
    assert run_check_cell(check, answer_3=[0.0003, 0.1]).startswith("not yet — ")
    assert run_check_cell(check, answer_3=0.01).startswith("not yet — ")
    # The solution's printout shows both failure modes and the right range.
    solution = next(c for c in code_cells(load("04-variables-hinge-loss"))
                    if source(c).startswith("answer_3 = ..."))
    said = "".join(text_of(o) for o in solution["outputs"])
    rows = dict(re.findall(r"rate (\S+)\s+loss after 20 steps\s+\S+\s+grows: (\w+)", said))
    assert rows == {"0.0003": "False", "0.001": "False", "0.003": "False", "0.01": "False",
                    "0.03": "True", "0.1": "True"}


def test_lecture_4_exercises_1_and_2_accept_the_answer_and_target_the_mistakes():
    one, two = lecture_4_cell("# check exercise 1"), lecture_4_cell("# check exercise 2")
    assert run_check_cell(one, answer_1=1.5).startswith("right — ")
    assert "label is −1" in run_check_cell(one, answer_1=0.5)
    assert run_check_cell(two, answer_2=0).startswith("right — ")
    assert "sloping part" in run_check_cell(two, answer_2=-1)
    for check in (one, two):
        assert "1.5" not in check and "expected" not in check


def test_lecture_4_slides_and_pictures():
    import base64
    import struct

    nb = load("04-variables-hinge-loss")
    kinds = [c["metadata"].get("slideshow", {}).get("slide_type") for c in nb["cells"]]
    assert None not in kinds
    assert kinds.count("slide") >= 6
    sections = [c for c in nb["cells"] if c["cell_type"] == "markdown"
                and re.match(r"## \d", source(c))]
    notes = [c for c in nb["cells"] if c["metadata"]["slideshow"]["slide_type"] == "notes"]
    assert len(notes) >= len(sections) and all(source(c).startswith("**Speaker notes.**")
                                               for c in notes)
    for c in code_cells(nb):
        for o in c["outputs"]:
            png = o.get("data", {}).get("image/png")
            if png:
                width, height = struct.unpack(">II", base64.b64decode(png)[16:24])
                assert width <= 1000 and height <= 900, (source(c)[:40], width, height)
            assert "image/svg+xml" not in o.get("data", {})


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
        assert "exercises.check_number(" in text and '"k2:L2.' in text and '"s2:L2.' in text
        # No worked answer in the check: nothing computed, the right shape nowhere.
        assert "sess." not in text and "tf.nn" not in text and "tf.ones" not in text
        assert not re.search(r"\(4, 5, 3\)|\(4, 2\)|199|170", text)
        said = "".join(text_of(o) for o in check["outputs"])
        assert said.startswith("right — ")


def test_lecture_5_sums_the_paths_before_it_is_told_and_small_before_large():
    cells = load("05-automatic-gradients")["cells"]
    code = [source(c) for c in cells]
    said = ["".join(text_of(o) for o in c.get("outputs", [])) for c in cells]
    explorer = next(i for i, s in enumerate(code) if "PathExplorer(" in s)
    assert explorer < next(i for i, s in enumerate(said) if "sum over paths: 2 + 3 = 5" in s)
    assert "= 5" not in said[explorer]
    # The stored widget state (what a reader sees before running anything): path 1 of 2, no
    # total, no factor and merge.
    state = load("05-automatic-gradients")["metadata"]["widgets"][
        "application/vnd.jupyter.widget-state+json"]["state"]
    html = " ".join(m["state"].get("value", "") for m in state.values()
                    if m["model_name"] == "HTMLModel")
    assert "1 more path to add" in html and "de/db = 5" not in html
    assert "factor and merge" not in html
    five_node = next(i for i, s in enumerate(code) if 'mode="forward", wrt="b"' in s)
    eleven_node = next(i for i, s in enumerate(said) if "forward mode, seeded at x:" in s)
    assert five_node < eleven_node
    prose = [source(c) for c in cells if c["cell_type"] == "markdown"]
    first_dot = next(i for i, s in enumerate(prose) if "\\dot" in s)
    assert "**tangent**" in prose[first_dot] and "**adjoint**" in prose[first_dot]


def test_lecture_5_costs_in_the_prose_are_the_figures():
    nb = load("05-automatic-gradients")
    prose = "\n".join(source(c) for c in nb["cells"] if c["cell_type"] == "markdown")
    shown = outputs_text(nb)
    for numbers in ["2 multiply-adds;  reverse 1 pass,  2", "752 multiply-adds;  reverse 1 pass, 47",
                    "44 multiply-adds;  reverse  1 pass(es),  11",
                    "104 multiply-adds;  reverse 16 pass(es), 176"]:
        assert numbers in shown
    prose = " ".join(prose.split())
    for claim in ["to 47 with sixteen", "from 2 to 752", "from 44 to 104", "from 11 to 176",
                  "passes stays at 1", "stores every intermediate value of the forward pass"]:
        assert claim in prose
    assert "stays flat" not in prose


def test_lecture_5_gates_matmul_colah_and_picture_sizes():
    nb = load("05-automatic-gradients")
    shown = outputs_text(nb)
    assert "x + y      x = 3, y = −2, 5 arrives:  x gets 5,  y gets 5" in shown
    assert "x * y      x = 3, y = −2, 5 arrives:  x gets −10,  y gets 15" in shown
    assert "max(x, y)  x = 3, y = −2, 5 arrives:  x gets 5,  y gets 0" in shown
    assert "∂L/∂W      = [ 0.6667 -1.3333]" in shown and "Xᵀ · ∂L/∂Y = [ 0.6667 -1.3333]" in shown
    prose = "\n".join(source(c) for c in nb["cells"] if c["cell_type"] == "markdown")
    assert "Calculus on Computational Graphs: Backpropagation" in prose and "2015" in prose
    assert "the adjoint travels against them" in " ".join(prose.split())
    for c in code_cells(nb):
        for o in c["outputs"]:
            data = o.get("data", {})
            for svg in re.findall(r'<svg width="([\d.]+)pt" height="([\d.]+)pt"',
                                  "".join(data.get("image/svg+xml", "")) +
                                  "".join(data.get("text/html", ""))):
                width, height = (float(v) * 4 / 3 for v in svg)
                assert width <= 1000 and height <= 900, (source(c)[:40], width, height)


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


# --- second edition: slides, picture sizes -------------------------------------------------------

SLIDE_TYPES = {"slide", "subslide", "fragment", "-", "skip", "notes"}


def stored_png_size(data):
    raw = base64.b64decode("".join(data).replace("\n", "")[:32])
    return struct.unpack(">II", raw[16:24])


def svg_size(svg):
    """(width, height) in CSS pixels of an SVG's own width and height (pt are 4/3 px)."""
    head = re.search(r"<svg\b[^>]*>", svg).group(0)
    size = []
    for attr in ("width", "height"):
        m = re.search(rf'\b{attr}="([\d.]+)(pt|px)?"', head)
        size.append(float(m.group(1)) * (4 / 3 if m.group(2) == "pt" else 1) if m else 0)
    return tuple(size)


def picture_sizes(cell):
    for o in cell.get("outputs", []):
        data, meta = o.get("data", {}), o.get("metadata", {})
        if "image/png" in data:
            w, h = stored_png_size(data["image/png"])
            shown = meta.get("image/png", {}) if isinstance(meta.get("image/png"), dict) else {}
            yield "png", shown.get("width", w), shown.get("height", h)
        if "image/svg+xml" in data:
            yield ("svg",) + svg_size("".join(data["image/svg+xml"]))


def test_every_cell_has_slide_metadata_and_the_deck_has_slides(lecture):
    name, nb = lecture
    kinds = [c["metadata"].get("slideshow", {}).get("slide_type") for c in nb["cells"]]
    missing = [i for i, k in enumerate(kinds) if k not in SLIDE_TYPES]
    assert not missing, f"{name}: cells {missing} have no slideshow.slide_type"
    assert kinds[0] == "slide" and kinds.count("slide") >= 6, f"{name}: {kinds.count('slide')} slides"
    headings = [i for i, c in enumerate(nb["cells"]) if c["cell_type"] == "markdown"
                and source(c).startswith("## ")]
    assert all(kinds[i] in ("slide", "subslide") for i in headings), name


def test_no_picture_is_wider_than_a_slide_or_taller_than_a_screen(lecture):
    name, nb = lecture
    big = [(i, kind, round(w), round(h)) for i, c in enumerate(nb["cells"])
           for kind, w, h in picture_sizes(c) if w > 1000 or h > 900]
    assert not big, f"{name}: pictures over 1000×900 px: {big}"
