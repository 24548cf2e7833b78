"""What the lectures say, read from the stored notebooks (milliseconds, no kernel): the facts a
review found wrong stay right — each one was read off teachgrad or tensorflow.compat.v1."""

import json
import re
from pathlib import Path

LECTURES = Path(__file__).resolve().parents[2] / "lectures"
NAMES = ["01-graph-model", "02-tensors", "03-build-then-run", "04-variables-hinge-loss",
         "05-automatic-gradients", "06-derivatives"]


def load(name):
    return json.loads((LECTURES / f"{name}.ipynb").read_text(encoding="utf-8"))


def text(cell):
    return "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]


def shown(cell):
    out = []
    for o in cell.get("outputs", []):
        out.append("".join(o.get("text", "")) + "".join(o.get("data", {}).get("text/plain", "")))
    return "".join(out)


def test_every_lecture_says_its_part_of_six():
    for k, name in enumerate(NAMES, 1):
        first = text(load(name)["cells"][0])
        assert f"part {k} of 6" in first, name
        assert not re.search(r"part \d of (?!6)", first), name


def test_lecture_2_quotes_tf1s_addv2_message():
    # tensorflow.compat.v1: Input 'y' of 'AddV2' Op has type int32 that does not match type float32
    # of argument 'x'.
    md = "\n".join(text(c) for c in load("02-tensors")["cells"] if c["cell_type"] == "markdown")
    assert "Input 'y' of 'AddV2' Op has type int32" in md and "'Add' Op" not in md


def test_lecture_4_shows_the_hinge_overshooting_without_blowing_up():
    nb = load("04-variables-hinge-loss")
    cell = next(c for c in nb["cells"] if c["cell_type"] == "code"
                and "hinge_train_op" in text(c))
    peaks = dict(re.findall(r"hinge, rate (\S+)\s+peak\s+(\S+)", shown(cell)))
    assert peaks == {"0.1": "1.00", "1.0": "3.95", "10.0": "37.26", "100.0": "370.36"}
    assert shown(cell).count("grows: True") == 4
    md = "\n".join(text(c) for c in nb["cells"] if c["cell_type"] == "markdown")
    assert "tolerates almost any learning rate" not in md and "slope is bounded" in md


def test_lecture_6_float32_misses_the_first_decimal_and_the_saddle_is_degenerate():
    nb = load("06-derivatives")
    md = "\n".join(text(c) for c in nb["cells"] if c["cell_type"] == "markdown")
    assert "first digit" not in md and "2.384 for the 2.253 below, wrong in the first decimal" in md
    assert "no uphill direction" not in md and "[[2, 0], [0, 0]]" in md


def test_lecture_3_control_flow_in_tf1_style_and_eager_style():
    # Values read off tensorflow.compat.v1: cond at 3 and −2 gives (9, 6) and (2, −1); the
    # while_loop power x**n at x = 2 gives (8, 12) for n = 3 and (32, 80) for n = 5.
    nb = load("03-build-then-run")
    out = "\n".join(shown(c) for c in nb["cells"] if c["cell_type"] == "code")
    assert "x =  3.0:  y = 9,  dy/dx = 6" in out and "x = -2.0:  y = 2,  dy/dx = -1" in out
    assert "n = 3:  x**n at x = 2 is 8,  d/dx = 12" in out
    assert "n = 5:  x**n at x = 2 is 32,  d/dx = 80" in out
    assert "tg.grad(f)(a) = 16" in out and "tg.grad(f)(a) = 1600" in out
    assert "as a Python bool is not allowed" in out
    pictures = [c for c in nb["cells"] if c["cell_type"] == "code" and "tg.trace(f, a=0.7)" in text(c)]
    html = "".join(pictures[0]["outputs"][0]["data"]["text/html"])
    assert html.count("<svg") == 2 and "= −1120" in html and "∂f/∂e = 100" in html


def _framework_cells():
    nb = load("05-automatic-gradients")
    return [text(c) for c in nb["cells"] if c["cell_type"] == "code"
            and "except ModuleNotFoundError as missing" in text(c)]


def test_lecture_5_runs_the_seed_in_jax_and_pytorch_with_the_same_numbers():
    nb = load("05-automatic-gradients")
    out = "\n".join(shown(c) for c in nb["cells"] if c["cell_type"] == "code")
    assert "c:f32[] = add a b" in out and "e:f32[] = mul c d" in out      # JAX's own jaxpr
    assert "<Graph of JAX's jaxpr of f at a=2, b=1: 5 nodes a, b, c, d, e>" in out
    assert "∂e/∂b: graph 5.0   jax.grad 5.0" in out
    assert "e.grad_fn: MulBackward0 → ['AddBackward0', 'AddBackward0']" in out
    assert "a.grad = 2.0   b.grad = 5.0" in out and "= 1·2 + 1·3 = 5>" in out
    assert "grad_fn chain of MulBackward0 at a=2, b=1: 5 nodes a, b, c, d, e" in out
    assert "e, ∂e/∂a, ∂e/∂b = [6.0, 2.0, 5.0]" in out
    assert len(_framework_cells()) == 3


def test_lecture_5_without_jax_and_torch_says_one_line_each(monkeypatch, capsys):
    import sys

    import numpy as np

    import teachgrad as tg
    monkeypatch.setitem(sys.modules, "jax", None)        # as if neither were installed
    monkeypatch.setitem(sys.modules, "torch", None)
    namespace = {"tg": tg, "tf": tg, "np": np, "display": print, "SVG": str}
    for cell in _framework_cells():
        exec(cell, namespace)
    said = capsys.readouterr().out.strip().splitlines()
    assert len(said) == 3, said
    assert "needs jax, which is not installed: pip install" in said[0]
    assert "needs torch, which is not installed: pip install" in said[1]
    assert "needs jax" in said[2]


def test_lecture_6_sets_ad_beside_symbolic_differentiation_and_finite_differences():
    nb = load("06-derivatives")
    out = "\n".join(shown(c) for c in nb["cells"] if c["cell_type"] == "code")
    assert "d l4/dx at x = 0.3, by AD: 1.3090816000" in out     # 4·l·(1 − l), 3 steps, by hand too
    # expression swell: written-out sizes double, the derivative's grow faster, AD's graph by 3
    assert " 6          187 terms        1441 terms        16 nodes" in out
    assert "float32: smallest error 3.4e-06 at h = 2e-03" in out
    assert "float64: smallest error 3.5e-11 at h = 6e-07" in out
    md = "\n".join(text(c) for c in nb["cells"] if c["cell_type"] == "markdown")
    assert "## 8. What automatic differentiation is not" in md and "1,441 terms" in md


def test_lecture_5_says_how_each_mode_is_counted_and_that_float_is_a_shortcut():
    nb = load("05-automatic-gradients")
    md = "\n".join(text(c) for c in nb["cells"] if c["cell_type"] == "markdown")
    assert "counted over **every** edge" in md and "the edges **behind that output**" in md
    out = "\n".join(shown(c) for c in nb["cells"] if c["cell_type"] == "code")
    # 104 = 4 forward passes × 26 edges; 176 = 16 reverse passes × 11 edges behind each output
    assert "forward 4 passes, 104 multiply-adds;  reverse 16 pass(es), 176 multiply-adds" in out
    assert "26 edges a\npass" in md and "11 edges behind its own output" in md
    # tensorflow.compat.v1: float(tf.constant(2.)) raises TypeError (no value outside a session)
    assert "a teachgrad shortcut" in md and "`sess.run(t)`" in md


def test_every_lecture_installs_teachgrad_where_missing_and_says_checks_are_practice():
    for name in NAMES:
        nb = load(name)
        first = next(c for c in nb["cells"] if c["cell_type"] == "code")
        assert 'find_spec("teachgrad") is None' in text(first), name
        assert first["outputs"] == [], name                     # silent where it is installed
        assert first["metadata"]["slideshow"]["slide_type"] == "skip"
        exercises = next(text(c) for c in nb["cells"] if text(c).startswith("## Exercises"))
        assert "for practice, not for marks" in exercises, name
        student = json.loads((LECTURES / "student" / f"{name}.ipynb").read_text(encoding="utf-8"))
        assert any("for practice, not for marks" in text(c) for c in student["cells"]), name


def test_stored_widget_ids_are_the_stable_ones():
    # Re-running a lecture then gives the same file: a one-line edit is a one-line diff.
    from teachgrad.course.handouts import stable_widget_ids

    for name in NAMES:
        for nb in (load(name), json.loads((LECTURES / "student" / f"{name}.ipynb")
                                          .read_text(encoding="utf-8"))):
            assert stable_widget_ids(nb) == nb, name
