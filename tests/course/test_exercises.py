"""Exercise checks (teachgrad.course.exercises) and student versions (teachgrad.course.handouts): right answers
in any form are accepted, wrong ones get the targeted hint, and no check reveals the answer."""

import json

import pytest

from teachgrad.course import exercises as ex
from teachgrad.course import handouts

PTS = [{"a": 2.0, "b": 1.0}, {"a": -1.5, "b": 0.5}, {"a": 0.3, "b": -2.0}]
SEED = "c = a + b\nd = b + 1\ne = c * d"


@pytest.mark.parametrize("text", ["x = a + b\ny = b + 1\ne = x * y",      # other names
                                  "c = b + a\nd = 1 + b\ne = d * c",      # swapped operands
                                  "p = a + b\nq = b + 1\nr = q * p\n"])
def test_expression_right_up_to_renaming_and_commutativity(text):
    verdict = ex.check_expression(text, ex.key(SEED, points=PTS), PTS, operations=3)
    assert verdict.correct, verdict


def test_expression_wrong_gets_its_hint_and_the_value_it_gives():
    hints = {ex.key("c = a + b\nd = b + 1\ne = c + d", points=PTS): "e multiplies c and d."}
    verdict = ex.check_expression("c = a + b\nd = b + 1\ne = c + d", ex.key(SEED, points=PTS),
                                  PTS, hints=hints)
    assert not verdict and repr(verdict) == \
        "not yet — at a = 2, b = 1 your text gives 5: e multiplies c and d."


def test_expression_values_right_but_not_one_operation_per_line():
    verdict = ex.check_expression("c = a + b\nd = b + 1\nf = c * d\ne = f * 1",
                                  ex.key(SEED, points=PTS), PTS, operations=3)
    assert not verdict and "4 operations" in verdict.message


def test_expression_that_does_not_parse_is_not_yet_and_runs_nothing():
    verdict = ex.check_expression("e = __import__('os').getcwd()", ex.key(SEED, points=PTS), PTS)
    assert not verdict and "does not parse" in verdict.message


def test_number_tolerance_is_the_places_asked():
    k = ex.key(-3.14159, places=2)
    assert ex.check_number(-3.14, k, places=2) and ex.check_number("−3.1416", k, places=2)
    assert ex.check_number(-3.145, k, places=2)             # half a unit either way
    assert not ex.check_number(-3.15, k, places=2) and not ex.check_number(3.14, k, places=2)


def test_whole_numbers_are_exact():
    k = ex.key(5)
    assert ex.check_number(5, k) and ex.check_number(5.0, k)
    assert not ex.check_number(5.4, k) and not ex.check_number(4, k) and not ex.check_number(6, k)
    assert "truth value" in ex.check_number(True, k).message


def test_sealed_explanation_opens_only_with_the_right_answer():
    sealed = ex.seal(5, "five nodes: a, b, c, d, e.")
    assert "five" not in sealed and sealed.startswith("s1:")
    assert repr(ex.check_number(5, ex.key(5), explain=sealed)) == "right — five nodes: a, b, c, d, e."
    assert "five nodes" not in repr(ex.check_number(4, ex.key(5), explain=sealed))


def test_empty_answer_says_what_to_do():
    assert repr(ex.check_text(..., ex.key("reverse"), name="answer_2")) == (
        "not yet — answer_2 is still ...: replace the ... with your answer (a word).")


def test_student_version_drops_solutions_and_exercise_outputs():
    nb = {"metadata": {}, "cells": [
        {"cell_type": "code", "metadata": {}, "source": "x = 1", "outputs": [{"n": 1}],
         "execution_count": 1},
        {"cell_type": "code", "metadata": {"nbgrader": {"solution": True}},
         "source": ["answer_1 = ...  # your answer\n", "### BEGIN SOLUTION\n", "answer_1 = 5\n",
                    "### END SOLUTION"], "outputs": [], "execution_count": 2},
        {"cell_type": "code", "metadata": {"nbgrader": {"solution": False, "locked": True}},
         "source": "# check exercise 1\nex.check_number(answer_1, 'k1:…')",
         "outputs": [{"text": "right — 5."}], "execution_count": 3},
        {"cell_type": "markdown", "metadata": {"tags": ["solution"]}, "source": "It is 5."},
        {"cell_type": "markdown", "metadata": {"slideshow": {"slide_type": "notes"}},
         "source": "**Speaker notes.** The answer is 5."}]}
    student = handouts.student_version(nb)
    assert [c["source"] if isinstance(c["source"], str) else "".join(c["source"])
            for c in student["cells"]] == ["x = 1", "answer_1 = ...  # your answer",
                                           "# check exercise 1\nex.check_number(answer_1, 'k1:…')"]
    assert student["cells"][0]["outputs"] == [{"n": 1}]
    assert student["cells"][2]["outputs"] == [] and student["cells"][2]["execution_count"] is None
    assert "answer_1 = 5" in json.dumps(nb)                  # the source is not changed


def test_unbalanced_markers_name_the_cell():
    nb = {"metadata": {}, "cells": [{"cell_type": "code", "metadata": {},
                                     "source": "### BEGIN SOLUTION\nx = 1"}]}
    with pytest.raises(ValueError, match="cell 0: ### BEGIN SOLUTION without ### END SOLUTION"):
        handouts.student_version(nb)


def test_handouts_refuses_to_overwrite_its_sources(tmp_path, capsys):
    src = tmp_path / "l.ipynb"
    src.write_text('{"cells": [], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}')
    with pytest.raises(SystemExit):
        handouts.main([str(src), "-o", str(tmp_path)])
    assert "overwrite their sources" in capsys.readouterr().err
    assert src.read_text().startswith('{"cells": []')


def test_answers_are_echoed_in_the_students_own_form():
    import numpy as np

    import teachgrad as tg

    shape, rate = ex.key([5, 2]), ex.key(1.5, places=2)
    said = lambda answer, k, places=0: ex.check_number(answer, k, places=places).message  # noqa: E731
    assert said((4, 3), shape) == "(4, 3) is not it."                  # a tuple stays a tuple
    assert said([4, 3], shape) == "[4, 3] is not it."
    assert said((4,), shape) == "(4,) is not it."
    assert said((4.0, 3.0), shape) == "(4.0, 3.0) is not it."
    # sess.run gives float32: shown as NumPy prints it, not 1.399999976158142
    assert said(np.float32(1.4), rate, 2) == "1.4 is not it."
    assert said(np.array(1.4, dtype=np.float32), rate, 2) == "1.4 is not it."
    assert said(tg.constant(1.4), rate, 2) == "1.4 is not it."
    assert said(np.array([0.1, 0.2], dtype=np.float32), ex.key([0.3, 0.2], places=2), 2) == \
        "[0.1, 0.2] is not it."
    assert said(1e-05, rate, 2) == "1e-05 is not it." and said(" 1.40 ", rate, 2) == "1.40 is not it."
    assert ex.check_number(np.float32(1.5), rate, places=2).message == "1.5."
