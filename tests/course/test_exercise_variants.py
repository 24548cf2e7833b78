"""Per-student numbers (exercises.variant): the same student id gets the same numbers, another id
other numbers, and the check follows — it accepts the right answer for the student's own numbers
and refuses another variant's answer, saying so. Lecture 6's exercise 2 uses it."""

import ast
import json
from pathlib import Path

import numpy as np
import pytest

import teachgrad as tg
from teachgrad.course import exercises as ex

LECTURES = Path(__file__).resolve().parents[2] / "lectures"
GRID = [(x, y) for x in range(1, 6) for y in range(1, 6) if 2 * x + y**2 != 2 * x * y]
GRADIENT = lambda x, y: [2 * x + y**2, 2 * x * y]          # noqa: E731  z = x² + y²·x


def numbers(student_id, exercise="L6.2"):
    return ex.variant(student_id, exercise).pick(GRID, default=(1, 2))


def test_the_same_id_always_gets_the_same_numbers():
    assert numbers("s1234567") == numbers("s1234567") == numbers(" s1234567 ") == (1, 5)
    assert numbers(20231234) == numbers("20231234")          # a number id is its text


def test_different_ids_get_different_numbers():
    assert numbers("s1234567") != numbers("s7654321")
    points = {numbers(f"s{n:07d}") for n in range(40)}
    assert len(points) >= 15                                   # spread over the 23 options
    assert numbers("s1234567", "L6.2") != numbers("s1234567", "L9.9")   # and per exercise


def test_without_an_id_the_numbers_are_the_lectures():
    assert numbers(...) == numbers(None) == (1, 2)
    v = ex.variant(..., "L6.2")
    v.pick(GRID, default=(1, 2))
    assert v.check_number([6, 4], GRADIENT)


def test_the_check_accepts_the_right_answer_for_its_variant_and_refuses_anothers():
    mine, other = ex.variant("s1234567", "L6.2"), ex.variant("s7654321", "L6.2")
    (x, y), (u, w) = mine.pick(GRID, default=(1, 2)), other.pick(GRID, default=(1, 2))
    assert GRADIENT(x, y) != GRADIENT(u, w)
    assert mine.check_number(GRADIENT(x, y), GRADIENT) and other.check_number(GRADIENT(u, w), GRADIENT)
    copied = mine.check_number(GRADIENT(u, w), GRADIENT)
    assert not copied
    assert copied.message == (f"{GRADIENT(u, w)}: that is the answer for the numbers ({u}, {w}), "
                              f"not for yours, ({x}, {y}).")
    lectures = mine.check_number([6, 4], GRADIENT)
    assert not lectures and "the numbers (1, 2), not for yours" in lectures.message


def test_mistakes_and_explanations_follow_the_numbers():
    v = ex.variant("s1234567", "L6.2")
    x, y = v.pick(GRID, default=(1, 2))
    mistakes = [(lambda x, y: [x + y**2, 2 * x * y], "the derivative of x² is 2x, not x.")]
    said = v.check_number([x + y**2, 2 * x * y], GRADIENT, mistakes=mistakes)
    assert said.message.endswith(": the derivative of x² is 2x, not x.")
    right = v.check_number(GRADIENT(x, y), GRADIENT, explain=lambda x, y: f"at ({x}, {y}).")
    assert repr(right) == f"right — at ({x}, {y})."


@pytest.mark.parametrize("bad", ["", "   ", 3.5, ["s1"]])
def test_a_student_id_is_a_text(bad):
    with pytest.raises(ValueError, match="a student id is a text"):
        ex.variant(bad, "L6.2")


def test_the_check_needs_the_numbers_first():
    with pytest.raises(ValueError, match="call pick"):
        ex.variant("s1", "L6.2").check_number([6, 4], GRADIENT)


# --- lecture 6, exercise 2, run as the notebook runs it ------------------------------------------

def _cells(version=""):
    nb = json.loads((LECTURES / version / "06-derivatives.ipynb").read_text(encoding="utf-8"))
    text = lambda c: "".join(c["source"])                    # noqa: E731
    check = next(i for i, c in enumerate(nb["cells"]) if text(c).startswith("# check exercise 2"))
    # the cell that picks the point, the answer cell, the check cell
    return text(nb["cells"][check - 2]) + "\n" + text(nb["cells"][check - 1]), text(nb["cells"][check])


def _run(answer_cell, check_cell, student_id, answer=None):
    namespace = {"tf": tg, "tg": tg, "np": np, "exercises": ex}
    source = answer_cell.replace("student_id = ...", f"student_id = {student_id!r}", 1)
    if answer is not None:
        source += f"\nanswer_2 = {answer!r}"
    exec(source, namespace)
    tree = ast.parse(check_cell)
    exec(compile(ast.Module(tree.body[:-1], []), "<check>", "exec"), namespace)
    return (namespace["x"], namespace["y"]), str(eval(compile(ast.Expression(tree.body[-1].value),
                                                             "<check>", "eval"), namespace))


def test_lecture_6_exercise_2_gives_each_student_a_point_and_checks_it():
    answer_cell, check_cell = _cells()
    assert 'exercises.variant(student_id, "L6.2")' in answer_cell
    point, said = _run(answer_cell, check_cell, "s1234567")           # the worked answer
    assert point == (1, 5) and said.startswith("right — (2x + y², 2xy) at (1, 5) is (2 + 25, 2·1·5) = (27, 10)")
    point, said = _run(answer_cell, check_cell, ...)                  # no id: the lecture's point
    assert point == (1, 2)
    assert said == ("right — (2x + y², 2xy) at (1, 2) is (2 + 4, 2·1·2) = (6, 4); "
                    "tf.gradients(z, [x, y]) gives the same.")
    _, copied = _run(answer_cell, check_cell, "s1234567", answer=[6, 4])
    assert copied == ("not yet — [6, 4]: that is the answer for the numbers (1, 2), not for "
                      "yours, (1, 5).")
    _, swapped = _run(answer_cell, check_cell, "s1234567", answer=[10, 27])
    assert swapped == "not yet — [10, 27]: the order is [∂z/∂x, ∂z/∂y]."


def test_lecture_6_exercise_2_student_version_asks_for_the_id_and_hides_the_answer():
    answer_cell, check_cell = _cells("student")
    assert answer_cell.splitlines()[0].startswith("student_id = ...")
    assert "BEGIN SOLUTION" not in answer_cell and "answer_2 = [" not in answer_cell
    _, said = _run(answer_cell, check_cell, "s1234567")
    assert said == ("not yet — answer_2 is still ...: replace the ... with your answer (two whole "
                    "numbers, [∂z/∂x, ∂z/∂y]).")
