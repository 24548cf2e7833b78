"""Keys and seals salted per exercise: the key of an answer differs from exercise to exercise, so a
key seen in one tells nothing about another, and every hint table in the six lectures (solution
and student versions) belongs to the exercise whose check holds it."""

import json
import re
from pathlib import Path

import pytest

from teachgrad.course import exercises as ex

LECTURES = Path(__file__).resolve().parents[2] / "lectures"
NOTEBOOKS = sorted(LECTURES.glob("0*.ipynb")) + sorted((LECTURES / "student").glob("0*.ipynb"))
KEY_OR_SEAL = re.compile(r"\b([ks][0-9]):(?:([A-Za-z0-9._/-]+):)?([0-9a-f]{24}\b|[A-Za-z0-9+/=]{16,})")


def _source(cell):
    return "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]


def check_cells(path):
    """``{exercise id: check cell source}`` of one lecture: "# check exercise 2" of 04-… is L4.2."""
    lecture = int(path.name[:2])
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    found = {}
    for cell in cells:
        m = re.match(r"# check exercise (\d+)", _source(cell))
        if cell["cell_type"] == "code" and m:
            found[f"L{lecture}.{m.group(1)}"] = _source(cell)
    return found


def test_the_six_lectures_and_their_student_versions_are_all_read():
    assert [p.name[:2] for p in NOTEBOOKS] == ["01", "02", "03", "04", "05", "06"] * 2
    assert all(len(check_cells(p)) >= 3 for p in NOTEBOOKS)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_every_key_seal_and_hint_in_a_check_names_its_own_exercise(path):
    for exercise, source in check_cells(path).items():
        marks = KEY_OR_SEAL.findall(source)
        if "check_backward" in source or "point.check_number" in source:
            assert marks == [], exercise         # L5.4 compares with tf.gradients, L6.2 computes
            continue                             # its answer at the student's own point
        assert marks, exercise
        for kind, salt, _ in marks:
            assert kind in ("k2", "s2") and salt == exercise, (exercise, kind, salt)
        hints = re.search(r"hints\s*=\s*\{(.*?)\}", source, re.S)
        assert hints and all(s == exercise for _, s, _ in KEY_OR_SEAL.findall(hints.group(1)))


def test_no_two_exercises_share_a_key():
    owner = {}
    for path in NOTEBOOKS[:6]:
        for exercise, source in check_cells(path).items():
            for kind, salt, digest in KEY_OR_SEAL.findall(source):
                if kind == "k2":
                    assert owner.setdefault(digest, exercise) == exercise, (digest, exercise)
    assert len(owner) > 60 and len(set(owner.values())) == 17     # 19, less L5.4 and L6.2


def test_the_answer_0_has_its_own_key_in_each_exercise_that_asks_for_it():
    """L1.2 (e at a = 1, b = −1) and L4.2 (the hinge's slope at t = 2) are both 0: one key
    before, two now."""
    l1, l4 = check_cells(LECTURES / "01-graph-model.ipynb"), \
        check_cells(LECTURES / "04-variables-hinge-loss.ipynb")
    key_12 = re.search(r'answer_2, "(k2:[^"]+)"', l1["L1.2"]).group(1)
    key_42 = re.search(r'answer_2, "(k2:[^"]+)"', l4["L4.2"]).group(1)
    assert key_12 != key_42
    assert ex.check_number(0, key_12) and ex.check_number(0, key_42)
    assert key_12 == ex.key(0, exercise="L1.2") and key_42 == ex.key(0, exercise="L4.2")
    assert ex.key(0) not in (key_12, key_42)


def test_a_hint_table_or_seal_made_for_another_exercise_is_refused():
    answer_key = ex.key(5, exercise="L1.1")
    with pytest.raises(ValueError, match="made for exercise L5.1, the answer key for L1.1"):
        ex.check_number(3, answer_key, hints={ex.key(3, exercise="L5.1"): "count the inputs."})
    with pytest.raises(ValueError, match="the explanation was made for exercise L1.2"):
        ex.check_number(5, answer_key, explain=ex.seal(5, "five.", exercise="L1.2"))
    with pytest.raises(ValueError, match="made for exercise None"):      # an unsalted hint key
        ex.check_text("b", ex.key("c", exercise="L3.3"), hints={ex.key("b"): "…"})
    hints = {ex.key(3, exercise="L1.1"): "count the inputs."}
    assert repr(ex.check_number(3, answer_key, hints=hints)) == "not yet — 3: count the inputs."


def test_a_seal_opens_only_in_its_own_exercise():
    sealed = ex.seal(5, "five nodes.", exercise="L1.1")
    assert sealed.startswith("s2:L1.1:") and ex.exercise_of(sealed) == "L1.1"
    assert repr(ex.check_number(5, ex.key(5, exercise="L1.1"), explain=sealed)) == \
        "right — five nodes."
    forged = "s2:L1.2:" + sealed.split(":", 2)[2]        # relabelled: the salt no longer fits
    # the right answer still passes, but the forged seal says nothing: "5.", not "five nodes."
    assert repr(ex.check_number(5, ex.key(5, exercise="L1.2"), explain=forged)) == "right — 5."


@pytest.mark.parametrize("bad", ["", "L1 2", "L1.2:x", "é", 12, "x" * 41])
def test_an_exercise_id_is_a_short_name(bad):
    with pytest.raises(ValueError, match="an exercise id is a short name"):
        ex.key(5, exercise=bad)


def test_keys_made_without_an_exercise_still_work():
    assert ex.key(5).startswith("k1:") and ex.exercise_of(ex.key(5)) is None
    assert ex.check_number(5, ex.key(5), explain=ex.seal(5, "five.")).message == "five."
