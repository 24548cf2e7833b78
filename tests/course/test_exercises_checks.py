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
