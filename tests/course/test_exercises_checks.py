"""The lectures' exercise checks, run on right and typical wrong answers: a check that says
"right — …" to a wrong answer teaches the wrong thing, so each accepts the worked answer and
refuses the mistakes it is there to catch."""

import ast
import json
from pathlib import Path

import numpy as np
import pytest

import teachgrad as tg

LECTURES = Path(__file__).resolve().parents[2] / "lectures"


def _source(cell):
    return "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]


def check_cell(lecture, number):
    nb = json.loads((LECTURES / f"{lecture}.ipynb").read_text(encoding="utf-8"))
    return next(_source(c) for c in nb["cells"] if c["cell_type"] == "code"
                and _source(c).startswith(f"# check exercise {number}"))


def run_check(cell_source, **answers):
    """What a check cell says for ``answers``, run as the notebook runs it (``tf``, ``tg``, ``np``
    are the notebook's names)."""
    tree = ast.parse(cell_source)
    body, last = tree.body[:-1], ast.Expression(tree.body[-1].value)
    namespace = {"tf": tg, "tg": tg, "np": np, **answers}
    exec(compile(ast.Module(body, []), "<check>", "exec"), namespace)
    return str(eval(compile(last, "<check>", "eval"), namespace))


# --- lecture 6, exercise 3: declare softplus with tg.ops.elementwise ---------------------------

def declared_softplus():
    return tg.ops.elementwise("my_softplus", lambda x: np.log(1 + np.exp(x)),
                              partials=(lambda out, x: tg.sigmoid(x),), formulas=("σ({0})",))


def test_lecture_6_exercise_3_accepts_an_op_declared_with_elementwise():
    said = run_check(check_cell("06-derivatives", 3), my_softplus=declared_softplus())
    assert said.startswith("right — "), said


def test_lecture_6_exercise_3_rejects_the_plain_lambda():
    plain = lambda x: tg.log(1 + tg.exp(x))          # noqa: E731  (the answer students give)
    said = run_check(check_cell("06-derivatives", 3), my_softplus=plain)
    assert said.startswith("not yet — "), said
    assert "3 operations (exp, add, log)" in said and "tg.ops.elementwise" in said


def test_lecture_6_exercise_3_rejects_teachgrads_own_softplus_and_a_wrapped_op():
    cell = check_cell("06-derivatives", 3)
    own = run_check(cell, my_softplus=tg.softplus)
    assert own.startswith("not yet — ") and "calls the op softplus" in own, own
    op = declared_softplus()
    wrapped = run_check(cell, my_softplus=lambda x: op(x))
    assert wrapped.startswith("not yet — ") and "is not an op declared here" in wrapped, wrapped


def test_lecture_6_exercise_3_still_names_a_wrong_partial():
    wrong = tg.ops.elementwise("my_softplus", lambda x: np.log(1 + np.exp(x)),
                               partials=(lambda out, x: tg.sigmoid(out),), formulas=("σ({0})",))
    said = run_check(check_cell("06-derivatives", 3), my_softplus=wrong)
    assert said.startswith("not yet — ") and "σ is of x, not of out" in said, said


# --- lecture 4, exercise 3: the step size --------------------------------------------------------

def test_lecture_4_exercise_3_explains_the_hinge_by_its_bounded_slope():
    said = run_check(check_cell("04-variables-hinge-loss", 3), answer_3=[0.003, 0.01])
    assert said.startswith("right — ")
    assert "slope is bounded" in said and "3.95, 37 and 370" in said
    assert "almost any rate" not in said


# --- lecture 5, exercise 4: build the engine (reverse mode in about 25 lines) --------------------

def engine(replace=None):
    """Lecture 5's given ``Node``/``maximum`` and its worked ``backward``, run as the notebook
    runs them; ``replace`` = (old, new) edits the worked answer into a typical mistake."""
    nb = json.loads((LECTURES / "05-automatic-gradients.ipynb").read_text(encoding="utf-8"))
    cells = [_source(c) for c in nb["cells"] if c["cell_type"] == "code"]
    given = next(c for c in cells if c.startswith("class Node:"))
    answer = next(c for c in cells if "def backward(output):" in c and "# your answer" in c)
    if replace is not None:
        assert replace[0] in answer, replace[0]
        answer = answer.replace(*replace)
    namespace = {}
    exec(given, namespace)
    exec(answer, namespace)
    return namespace["backward"], namespace["Node"], namespace["maximum"]


def check_engine(replace=None):
    return run_check(check_cell("05-automatic-gradients", 4),
                     **dict(zip(["backward", "Node", "maximum"], engine(replace))),
                     exercises=__import__("teachgrad.course.exercises", fromlist=["x"]))


def test_lecture_5_engine_check_accepts_a_correct_reverse_mode():
    said = check_engine()
    assert said.startswith("right — ") and "hinge graph" in said, said


def test_lecture_5_engine_check_rejects_equals_instead_of_plus_equals():
    said = check_engine(("parent.grad += partial * node.grad", "parent.grad = partial * node.grad"))
    assert said.startswith("not yet — "), said
    assert "b.grad = 2, where tf.gradients gives 5" in said and "parent.grad +=" in said


def test_lecture_5_engine_check_rejects_the_wrong_order():
    said = check_engine(("reversed(topological_order(output))", "topological_order(output)"))
    assert said.startswith("not yet — ") and "topological order reversed" in said, said


def test_lecture_5_engine_check_names_a_node_visited_twice_and_a_missing_seed():
    twice = check_engine(("if node not in visited:", "if True:"))
    assert "x.grad = 24, where tf.gradients gives 12" in twice and "visited" in twice, twice
    unseeded = check_engine(("output.grad = 1.0 ", "pass "))
    assert "output.grad = 1" in unseeded and unseeded.startswith("not yet — "), unseeded


def test_lecture_5_engine_check_compares_with_tf_gradients_values():
    # tf.gradients on the same graphs (teachgrad, float64): the numbers the check holds its
    # student to. The seed graph's 2 and 5 are lecture 1's; the hinge's by hand: trials 1–3 are
    # inside the margin, so ∂/∂w = −Σ t·x over them, ∂/∂bias = −Σ t.
    from teachgrad.course import engine_graphs

    assert engine_graphs.tf_gradients("seed") == {"a": 2.0, "b": 5.0}
    assert engine_graphs.tf_gradients("reuse") == {"x": 12.0}
    assert engine_graphs.tf_gradients("hinge") == {"w1": -1.0, "w2": -3.0, "bias": -1.0}


# --- lecture 3: the static shape's own hint; which values the backward graph reads ---------------

def test_lecture_3_exercise_2_static_shape_gets_its_own_hint():
    cell = check_cell("03-build-then-run", 2)
    assert run_check(cell, answer_2=[5, 2]).startswith("right — ")
    for static in [(None, 2), [None, 2]]:
        said = run_check(cell, answer_2=static)
        assert said.startswith("not yet — ") and "is the static shape" in said, said
    assert run_check(cell, answer_2=(None, 2)).startswith("not yet — (None, 2):")   # as typed


def test_lecture_3_exercise_3_asks_which_forward_values_the_backward_graph_reads():
    # tensorflow.compat.v1 reads b and c for f = (a + b)·b: the inputs of its gradient ops that
    # are forward ops (checked on TF 2.21's compat.v1, with scalar placeholders).
    cell = check_cell("03-build-then-run", 3)
    said = run_check(cell, answer_3="b, c")
    assert said.startswith("right — b, c:") and "memory cost" in said
    assert "a is not read" in run_check(cell, answer_3="a, b, c")
    assert "is c" in run_check(cell, answer_3="b")
    nb = json.loads((LECTURES / "03-build-then-run.ipynb").read_text(encoding="utf-8"))
    solution = next(c for c in nb["cells"] if "answer_3 = ..." in _source(c))
    assert "".join(solution["outputs"][0]["text"]).strip() == "b, c"       # computed, not typed
