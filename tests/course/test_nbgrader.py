"""Graded work through nbgrader, as lectures/GUIDE.md shows it: lecture 1's solution notebook is an
nbgrader source notebook as it is; with an autograder-test cell per graded exercise (hidden tests),
`nbgrader generate_assignment` makes the release (no worked answers, no hidden tests) and
`nbgrader autograde` scores a student's submission (right exercise 1, wrong exercise 2: 1 of 2),
restoring the locked check cells a student edited."""

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

pytest.importorskip("nbgrader", reason="nbgrader is not installed (pip install -e '.[dev]')")

ROOT = Path(__file__).resolve().parents[2]
LECTURE = ROOT / "lectures" / "01-graph-model.ipynb"
CONFIG = '''c = get_config()
c.CourseDirectory.course_id = "autodiff"
c.ClearSolutions.code_stub = {"python": ""}     # the answer cell keeps its `answer_1 = ...` line
'''


def _text(cell):
    return "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]


def graded_cell(number, hidden_test):
    """An nbgrader autograder-test cell (1 point) whose test is hidden from students."""
    return {"cell_type": "code", "execution_count": None, "id": f"graded-{number}", "outputs": [],
            "metadata": {"nbgrader": {"grade": True, "grade_id": f"l01-ex{number}-test",
                                      "locked": True, "points": 1, "schema_version": 3,
                                      "solution": False, "task": False}},
            "source": f"# graded: exercise {number}\n### BEGIN HIDDEN TESTS\n{hidden_test}\n"
                      "### END HIDDEN TESTS\n"}


def nbgrader(course, *args):
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")]),
           # nbgrader runs `alembic` (its database migrations) from PATH: this venv's bin
           "PATH": os.pathsep.join([str(Path(sys.executable).parent), os.environ.get("PATH", "")])}
    done = subprocess.run([sys.executable, "-m", "nbgrader", *args], cwd=course, env=env,
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    return done


def test_generate_assignment_and_autograde_round_trip(tmp_path):
    course = tmp_path / "course"
    (course / "source" / "l01").mkdir(parents=True)
    (course / "nbgrader_config.py").write_text(CONFIG, encoding="utf-8")
    nb = json.loads(LECTURE.read_text(encoding="utf-8"))
    cells = nb["cells"]
    for number, test in [(1, "assert answer_1 == 5"), (2, "assert answer_2 == 0")]:
        check = next(c for c in cells if _text(c).startswith(f"# check exercise {number}"))
        cells.insert(cells.index(check) + 1, graded_cell(number, test))
    (course / "source" / "l01" / LECTURE.name).write_text(json.dumps(nb), encoding="utf-8")

    nbgrader(course, "generate_assignment", "l01")
    release = json.loads((course / "release" / "l01" / LECTURE.name).read_text(encoding="utf-8"))
    code = "\n".join(_text(c) for c in release["cells"] if c["cell_type"] == "code")
    assert "answer_1 = ...  " in code and "answer_1 = 5" not in code and "answer_2 = 0" not in code
    assert "BEGIN SOLUTION" not in code and "HIDDEN TESTS" not in code
    assert "assert answer_1 == 5" not in code and "# graded: exercise 1" in code
    assert 'exercises.check_number(\n    answer_1, "k2:L1.1:' in code         # the check stays

    # a student answers exercise 1 right and exercise 2 wrong, and "fixes" a check cell
    for cell in release["cells"]:
        text = _text(cell)
        if text.startswith("answer_1 = ..."):
            cell["source"] = text.replace("answer_1 = ...", "answer_1 = 5", 1)
        elif text.startswith("answer_2 = ..."):
            cell["source"] = text.replace("answer_2 = ...", "answer_2 = 8", 1)
        elif text.startswith("# check exercise 2"):
            cell["source"] = 'print("right — trust me")'
    submitted = course / "submitted" / "alice" / "l01"
    submitted.mkdir(parents=True)
    (submitted / LECTURE.name).write_text(json.dumps(release), encoding="utf-8")

    nbgrader(course, "autograde", "l01")
    from nbgrader.api import Gradebook

    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gradebook:
        submission = gradebook.find_submission("l01", "alice")
        scores = {g.name: g.score for n in submission.notebooks for g in n.grades}
        assert (submission.score, submission.max_score) == (1.0, 2.0)
    assert scores == {"l01-ex1-test": 1.0, "l01-ex2-test": 0.0}
    graded = json.loads((course / "autograded" / "alice" / "l01" / LECTURE.name)
                        .read_text(encoding="utf-8"))
    said = {_text(c).splitlines()[0]: json.dumps(c.get("outputs", []), ensure_ascii=False)
            for c in graded["cells"] if c["cell_type"] == "code" and _text(c).strip()}
    assert "trust me" not in json.dumps(graded)                 # the locked check restored
    assert "not yet — 8: " in said["# check exercise 2"]         # and run on the answer
    assert "right — 5 nodes" in said["# check exercise 1"]
    assert "AssertionError" in said["# graded: exercise 2"]
    shutil.rmtree(course)
