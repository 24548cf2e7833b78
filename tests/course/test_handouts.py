"""The student versions in lectures/student/: made from the solution notebooks by
teachgrad.course.handouts (and up to date with them), with no worked answer anywhere a student sees it,
and nbgrader-compatible exercise cells in the sources."""

import json
import re
from pathlib import Path

import pytest

from teachgrad.course import handouts

LECTURES = Path(__file__).resolve().parents[2] / "lectures"
SOLUTIONS = sorted(LECTURES.glob("*.ipynb"))


def load(path):
    return json.loads(path.read_text(encoding="utf-8"))


def text(cell):
    return "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]


@pytest.fixture(params=[p.name for p in SOLUTIONS])
def pair(request):
    return load(LECTURES / request.param), load(LECTURES / "student" / request.param)


def test_every_lecture_has_its_student_version():
    assert sorted(p.name for p in (LECTURES / "student").glob("*.ipynb")) == \
        [p.name for p in SOLUTIONS]


def test_student_version_is_made_from_the_solution_version(pair):
    solution, student = pair
    made = handouts.student_version(solution)
    assert [text(c) for c in student["cells"]] == [text(c) for c in made["cells"]], \
        "re-run: python -m teachgrad.course.handouts lectures/*.ipynb -o lectures/student"


def answer_assignments(cell):
    """The worked answer's own lines: those between the markers that set the answer variable
    (the name the starter line assigns, ``answer_1 = ...``)."""
    lines = text(cell).splitlines()
    starter = next((ln for ln in lines if re.match(r"\s*\w+ = \.\.\.", ln)), None)
    if starter is None:        # functions to write (lecture 5's engine): every worked line
        names = re.findall(r"^def (\w+)\(", text(cell), re.M)
        worked = handouts.solution_lines({"cells": [cell]})
        return ", ".join(names), [ln.strip() for ln in worked if len(ln.strip()) > 8]
    target = starter.split("=")[0].strip()
    inside = lines[lines.index(handouts.BEGIN) + 1:lines.index(handouts.END)]
    return target, [ln.strip() for ln in inside if re.match(rf"\s*{target}\s*=", ln)]


def test_no_worked_answer_reaches_the_student(pair):
    solution, student = pair
    answer_cells = [c for c in solution["cells"] if handouts.BEGIN in text(c)]
    assert len(answer_cells) >= 2, "the exercises hold their worked answers between markers"
    code = [ln.strip() for c in student["cells"] if c["cell_type"] == "code"
            for ln in text(c).splitlines()]
    assert not any(handouts.BEGIN in ln or handouts.END in ln for ln in code)
    for cell in answer_cells:
        target, answers = answer_assignments(cell)
        assert answers, f"no worked answer sets {target}"
        leaked = [ln for ln in answers if ln in code]
        assert not leaked, leaked
    said = [o for c in student["cells"] if text(c).startswith("# check exercise")
            for o in c.get("outputs", [])]
    assert said and not any("right —" in json.dumps(o, ensure_ascii=False) for o in said)
    assert all("not yet —" in json.dumps(o, ensure_ascii=False) for o in said)
    notes = [c for c in student["cells"]
             if c["metadata"].get("slideshow", {}).get("slide_type") == "notes"]
    assert not notes, "speaker notes are for the teacher"


def test_exercise_cells_carry_nbgrader_metadata(pair):
    solution, _ = pair
    ids = []
    for cell in solution["cells"]:
        grader = cell["metadata"].get("nbgrader")
        if text(cell).startswith("# check exercise"):
            assert grader and grader["locked"] and not grader["solution"], text(cell)[:40]
            assert "exercises." in text(cell) or "point.check_number(" in text(cell)   # L6.2: a variant
            ids.append(grader["grade_id"])
        elif handouts.BEGIN in text(cell):
            assert grader and grader["solution"] and not grader["locked"], text(cell)[:40]
            ids.append(grader["grade_id"])
    assert len(ids) >= 4 and len(set(ids)) == len(ids), ids


def test_stable_widget_ids_are_a_fixed_point_with_a_widget_never_shown():
    """A widget made but not shown (L3 makes a player only for its .static() animation) leaves a
    tree of models no output refers to; two identical leaves of it (default layouts) must not
    swap names when the notebook is saved with sorted keys and stabilised again."""
    import random

    rng = random.Random(7)
    view = "application/vnd.jupyter.widget-view+json"
    state_key = "application/vnd.jupyter.widget-state+json"
    for n_shown in range(1, 12):             # the leaves' new names depend on their number
        shown = ["".join(rng.choice("0123456789abcdef") for _ in range(32)) for _ in range(n_shown)]
        root, a, b = ("".join(rng.choice("0123456789abcdef") for _ in range(32)) for _ in range(3))
        state = {**{s: {"state": {"value": k}} for k, s in enumerate(shown)},
                 root: {"state": {"_model_name": "VBoxModel",
                                  "children": [f"IPY_MODEL_{a}", f"IPY_MODEL_{b}"]}},
                 a: {"state": {"_model_name": "LayoutModel"}},
                 b: {"state": {"_model_name": "LayoutModel"}}}
        nb = {"cells": [{"cell_type": "code", "source": "", "metadata": {}, "outputs": [
                  {"data": {view: {"model_id": s}}} for s in shown]}],
              "metadata": {"widgets": {state_key: {"state": state}}}}
        once = handouts.stable_widget_ids(nb)
        saved = json.loads(json.dumps(once, sort_keys=True))          # as _write stores it
        assert handouts.stable_widget_ids(saved) == saved
