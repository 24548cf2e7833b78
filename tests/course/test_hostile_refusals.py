"""Issue 22 ("Right numbers or a clear refusal"), the items outside the core: each has its
regression tests here, named for what must hold. The practice grammar's fuzz test is in
tests/practice/test_hostile_fuzz.py and its browser half in tests/browser/test_practice_in_browser.py.

1. ``exercises.check_number`` says "not yet" with a hint to what is no finite number, and a
   wrong answer never gets "right" (no float rounding of its own);
2. ``PracticePlayer.answer`` gives feedback for huge and odd numbers;
3. user text reaches HTML, SVG attributes and a page's script JSON by one rule
   (``notation.xml_text``: what XML forbids becomes U+FFFD);
4. ``python -m teachgrad.course.handouts``: bad input is one line, exit status 2, nothing written;
5. ``teachgrad lectures`` writes only through ``render.files.replace_file``, never through a
   planted link, never waits on a FIFO, leaves no partial file and names the path in its errors.
"""

import decimal
import errno
import fractions
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

import teachgrad as tg
from teachgrad.course import exercises as ex
from teachgrad.course import lectures
from teachgrad.course.cli import main as cli_main
from teachgrad.teaching.notation import escape, xml_text

render = pytest.importorskip("teachgrad.render")
widgets = pytest.importorskip("teachgrad.widgets")
from teachgrad.practice.page import practice_html  # noqa: E402

PACKAGE = Path(tg.__file__).resolve().parent
# Subprocesses import the teachgrad under test, not whichever one the venv has installed.
CHILD_ENV = dict(os.environ, PYTHONPATH=os.pathsep.join(
    [str(PACKAGE.parent)] + [p for p in os.environ.get("PYTHONPATH", "").split(os.pathsep) if p]))
SEED = "e = (a + b) * (b + 1)"
posix = pytest.mark.skipif(os.name != "posix", reason="POSIX links and FIFOs")


# --- 1. check_number: not yet, with a hint; never a wrong "right" ------------------------------

NOT_NUMBERS = ["inf", "-inf", "Infinity", "−inf", "1e999", "-1e999", "9" * 400, "sNaN", "nan",
               10**400, -(10**400), float("nan"), float("inf"), np.float64("-inf"),
               decimal.Decimal("1e999"), decimal.Decimal("NaN"), [1, 10**400], ["1", "inf"],
               1 + 2j, np.complex128(1j), [[1, 2], [3]]]


@pytest.mark.parametrize("places", [0, 2])
@pytest.mark.parametrize("answer", NOT_NUMBERS, ids=lambda a: repr(a)[:20])
def test_check_number_says_not_yet_to_what_is_no_finite_number(answer, places):
    verdict = ex.check_number(answer, ex.key(5, places=places), places=places, name="answer_1")
    assert isinstance(verdict, ex.Verdict) and not verdict.correct
    expected = "a whole number" if places == 0 else "a number to 2 decimals"
    assert verdict.message.startswith(f"answer_1 should be {expected}: "), verdict
    assert re.search(r"not a finite number|too large|not a number|complex|lists of different",
                     verdict.message), verdict
    assert len(verdict.message) < 200                       # a 400-digit answer is not echoed


@pytest.mark.parametrize("answer, right", [(1e30, 1e30), ("1e308", 1e308), (1.5e300, 1.5e300),
                                           (10**300, 10**300), ([1e300, -2], [1e300, -2])])
def test_large_finite_numbers_are_checked_exactly(answer, right):
    for places in (0, 2):
        assert ex.check_number(answer, ex.key(right, places=places), places=places)
    assert not ex.check_number(answer, ex.key(7), places=0)


@pytest.mark.parametrize("answer, right", [
    (10**17 + 1, 10**17), ("100000000000000001", 10**17), (2**53 + 1, 2**53),
    (np.int64(2**62 + 1), 2**62), ("5.0000000000000001", 5), ([2**53 + 1, 1], [2**53, 1])])
def test_a_wrong_answer_never_gets_right_by_rounding_to_a_float(answer, right):
    assert ex.check_number(right, ex.key(right))
    verdict = ex.check_number(answer, ex.key(right))
    assert not verdict.correct, verdict


def test_what_is_no_number_gets_no_number_key():
    with pytest.raises(TypeError, match="too large"):
        ex.key(10**400)
    with pytest.raises(TypeError, match="not a finite number"):
        ex.key(float("inf"))
    assert not ex.check_number("inf", ex.key("inf"))        # a text key is not a number's


# --- 2. the practice player: feedback for every number ----------------------------------------

@pytest.mark.parametrize("answer, words", [
    (10**400, "too large"), (-(10**400), "too large"), (2**1024, "too large"),
    (float("inf"), "not a finite number"), (float("nan"), "not a finite number"),
    (np.float64("nan"), "not a finite number"), (decimal.Decimal("1e999"), "not a finite number"),
    (decimal.Decimal("sNaN"), "not a finite number"), ("1e999", "not a finite number"),
    ("10**400", "not a finite number"), ("0x10", "runs into the letters"),
    ("1_000", "runs into the letters"), ("9" * 201, "201 characters long")],
    ids=lambda a: repr(a)[:20])
def test_the_practice_player_answers_huge_and_odd_numbers_with_feedback(answer, words):
    player = widgets.PracticePlayer(tg.trace(SEED, a=2, b=1), "values")
    feedback = player.answer(answer)
    assert not feedback.correct and feedback.kind == "invalid", feedback
    assert words in feedback.hint and "Type a number" in feedback.hint
    assert feedback.tries == 0 and player.score == (0, 0)   # not counted as a try
    assert len(feedback.hint) < 400 and "tg-invalid" in player.hint.value


@pytest.mark.parametrize("answer, kind", [
    (np.int64(3), "right"), (np.float32(3.0), "right"), (decimal.Decimal("3.00"), "right"),
    (fractions.Fraction(6, 2), "right"), (fractions.Fraction(1, 3), "unknown"),
    (1e300, "unknown"), ("9" * 200, "unknown"), ("log1p(1)", "unknown"), ("softplus(2)", "unknown")],
    ids=lambda a: repr(a)[:20])
def test_numbers_of_every_type_are_judged(answer, kind):
    player = widgets.PracticePlayer(tg.trace(SEED, a=2, b=1), "values")      # c = a + b = 3
    assert player.answer(answer).kind == kind


def test_what_is_no_number_at_all_is_a_type_error():
    player = widgets.PracticePlayer(tg.trace(SEED, a=2, b=1), "values")
    for answer in ([3], True, None, 3j):
        with pytest.raises(TypeError, match="an answer is a number or the text typed"):
            player.answer(answer)


# --- 3. one rule for user text: U+FFFD for what XML forbids -----------------------------------

HOSTILE = "\ud800\x01"        # a lone surrogate and a control character


def user_op_graph():
    """A graph whose formulas hold user text that XML forbids: a user's op, as lecture 6 has
    students declare them (names are held to TF-1's rule; formulas are free text)."""
    cube = tg.ops.elementwise("my_cube", lambda x: x ** 3, partials=(lambda out, x: 3 * x ** 2,),
                              formulas=(f"3·{{0}}²{HOSTILE}",), expr=f"cube{HOSTILE}({{0}})")
    return tg.trace(lambda x: cube(x) * x, x=2.0)


def script_data(page, marker):
    """The JSON literal that follows ``marker`` in the page's script, parsed."""
    script = page[page.index("<script>") + 8:page.index("</script>")]
    start = script.index(marker) + len(marker)
    value, _ = json.JSONDecoder().raw_decode(script[start:].lstrip())
    return script, value


@pytest.mark.parametrize("mode", ["values", "reverse"])
def test_the_practice_page_writes_forbidden_characters_as_the_labels_do(mode):
    graph = user_op_graph()
    title = f"Practice {HOSTILE}<b>"
    pages = [practice_html(graph, mode, title=title),
             widgets.PracticePlayer(graph, mode).to_html()]
    for page in pages:
        page.encode("utf-8")                                    # no UnicodeEncodeError
        assert not re.search("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff]", page)
        script, data = script_data(page, "var data =")
        run = tg.practice.Practice(graph, mode)
        assert [s["question"] for s in data["steps"]] == [xml_text(e.question)
                                                          for e in run.exercises]
        assert [s["worked"] for s in data["steps"]] == [xml_text(e.worked) for e in run.exercises]
        assert "<" not in script.split("var data =")[1].split("\n")[0]
        # The user's text is there, by the rule: in the questions (values) or on the edges.
        shown = "cube\ufffd\ufffd(x)" if mode == "values" else "3·x²\ufffd\ufffd"
        assert shown in (json.dumps(data, ensure_ascii=False) if mode == "values" else page)
    first = tg.practice.Practice(graph, mode).exercises[0]
    question = f"step {first.step.index + 1} of {len(graph.steps(mode))}: {first.question}"
    assert escape(question) in pages[0]
    assert escape(title) in pages[0] and "&lt;b&gt;" in pages[0]


def test_the_animation_and_the_pictures_follow_the_same_rule():
    graph = user_op_graph()
    page = render.animation_html(graph, "values", title=f"T{HOSTILE}", step=2)
    page.encode("utf-8")
    _, texts = script_data(page, "var texts =")
    steps = graph.steps("values")
    assert texts[1:] == [xml_text(f"step {s.index + 1} of {len(steps)}:  {s.text}")
                         for s in steps]
    assert "cube\ufffd\ufffd(2)" in texts[2]               # the script says what the page says
    assert f'<div class="tg-step-text">{escape(texts[2])}</div>' in page
    assert "T\ufffd\ufffd" in page
    for svg in (graph.svg(), render.svg(graph, mode="reverse", step=2)):
        svg.encode("utf-8")
        assert "cube\ufffd\ufffd(x)" in svg and "\ud800" not in svg


def test_a_program_pictures_tooltips_follow_the_same_rule():
    """A TF-1 program's node tooltips hold its op types, a user op's name among them."""
    tg.reset_default_graph()
    try:
        op = tg.ops.elementwise(f"cube{HOSTILE}", lambda x: x ** 3,
                                partials=(lambda out, x: 3 * x ** 2,), formulas=("3·{0}²",))
        y = op(tg.placeholder(tg.float32, name="x"))
    except ValueError:          # a name rule for ops refuses it first: it never reaches a picture
        return
    svg = tg.trace(y).svg()
    svg.encode("utf-8")
    assert not re.search("[\x00-\x08\x0b\x0c\x0e-\x1f]", svg)
    assert "\ufffd" in svg and "?" not in re.findall(r'<title>([^<]*)</title>', svg)[-1]


def test_every_script_json_of_the_package_is_the_one_in_notation():
    """One rule means one writer: no module that makes pages dumps JSON but notation.py's
    script_json."""
    writers = [p.relative_to(PACKAGE).as_posix() for folder in ("render", "widgets", "practice")
               for p in (PACKAGE / folder).rglob("*.py")
               if re.search(r"json\.dumps|_SCRIPT_ESCAPES", p.read_text(encoding="utf-8"))]
    assert writers == [], writers


# --- 4. python -m teachgrad.course.handouts: one line, exit status 2, nothing written -----------

def handouts(*args, cwd):
    return subprocess.run([sys.executable, "-m", "teachgrad.course.handouts", *map(str, args),
                           "--no-execute"], capture_output=True, text=True, timeout=120, cwd=cwd,
                          env=CHILD_ENV)


def notebook(path, cells=()):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({"cells": list(cells), "metadata": {}, "nbformat": 4,
                                "nbformat_minor": 5}), encoding="utf-8")
    return path


def assert_one_line_exit_2(result, *words):
    assert result.returncode == 2 and result.stdout == "", result
    lines = result.stderr.splitlines()
    assert len(lines) == 1, lines
    assert lines[0].startswith("python -m teachgrad.course.handouts: error: "), lines
    assert "Traceback" not in result.stderr
    for word in words:
        assert str(word) in lines[0], (word, lines[0])


def test_handouts_out_at_an_existing_file_is_one_line(tmp_path):
    src = notebook(tmp_path / "src" / "l.ipynb")
    out = tmp_path / "out.txt"
    out.write_text("keep me", encoding="utf-8")
    result = handouts(src, "-o", out, cwd=tmp_path)
    assert_one_line_exit_2(result, out, "is a file, not a folder")
    assert out.read_text(encoding="utf-8") == "keep me"


@pytest.mark.parametrize("content, words", [
    ({"cells": {}}, 'its "cells" is a dict, not a list'),
    ({"cells": "x"}, 'its "cells" is a str, not a list'),
    ({"metadata": {}}, 'its "cells" is missing'),
    ({"cells": [1]}, "cell 0 is a int, not a cell"),
    ({"cells": [{"source": "x"}]}, "cell 0 has no cell_type"),
    ({"cells": [{"cell_type": "code", "source": 5}]}, "cell 0 has a source"),
    ([1, 2], "it holds a list"), ("not json", "not JSON")])
def test_handouts_refuses_what_is_no_notebook_in_one_line(tmp_path, content, words):
    good = notebook(tmp_path / "src" / "a.ipynb")
    bad = tmp_path / "src" / "b.ipynb"
    bad.write_text(content if isinstance(content, str) else json.dumps(content), encoding="utf-8")
    out = tmp_path / "student"
    result = handouts(good, bad, "-o", out, cwd=tmp_path)
    assert_one_line_exit_2(result, bad, words)
    assert not out.exists()                                 # not even the good one


def test_handouts_refuses_two_sources_with_one_file_name(tmp_path):
    first = notebook(tmp_path / "a" / "l.ipynb", [{"cell_type": "markdown", "metadata": {},
                                                   "source": "first"}])
    second = notebook(tmp_path / "b" / "l.ipynb", [{"cell_type": "markdown", "metadata": {},
                                                    "source": "second"}])
    out = tmp_path / "student"
    out.mkdir()
    result = handouts(first, second, "-o", out, cwd=tmp_path)
    assert_one_line_exit_2(result, first, second, out / "l.ipynb")
    assert list(out.iterdir()) == []


@posix
def test_handouts_refuses_a_fifo_as_a_source_without_waiting(tmp_path):
    fifo = tmp_path / "l.ipynb"
    os.mkfifo(fifo)
    result = handouts(fifo, "-o", tmp_path / "student", cwd=tmp_path)   # the timeout is 120 s
    assert_one_line_exit_2(result, "not a regular file", fifo)


def test_handouts_keeps_a_lone_surrogate_as_the_source_wrote_it(tmp_path):
    src = tmp_path / "src" / "l.ipynb"
    src.parent.mkdir()
    src.write_text('{"cells": [{"cell_type": "markdown", "metadata": {}, "source": "a\\ud800"}], '
                   '"metadata": {}, "nbformat": 4, "nbformat_minor": 5}', encoding="utf-8")
    result = handouts(src, "-o", tmp_path / "student", cwd=tmp_path)
    assert result.returncode == 0 and "Traceback" not in result.stderr, result.stderr
    written = (tmp_path / "student" / "l.ipynb").read_text(encoding="utf-8")
    assert json.loads(written)["cells"][0]["source"] == "a\ud800" and "\\ud800" in written


def test_handouts_still_writes_good_sources(tmp_path):
    src = notebook(tmp_path / "src" / "l.ipynb", [{"cell_type": "code", "metadata": {},
                                                   "source": "x = 1", "outputs": [],
                                                   "execution_count": None}])
    result = handouts(src, "-o", tmp_path / "student", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert json.loads((tmp_path / "student" / "l.ipynb").read_text())["cells"][0]["source"] == \
        "x = 1"


# --- 5. teachgrad lectures: one safe writer, regular files only, paths named -------------------

@pytest.fixture(autouse=True)
def own_jupyter_data(tmp_path, monkeypatch):
    """Trusting notebooks writes a signature database: keep it out of the real home."""
    monkeypatch.setenv("JUPYTER_DATA_DIR", str(tmp_path / "jupyter-data"))


def lectures_cli(folder, *extra, timeout=60):
    env = dict(CHILD_ENV, JUPYTER_DATA_DIR=str(Path(folder).parent / "jupyter-data"))
    return subprocess.run([sys.executable, "-m", "teachgrad", "lectures", str(folder), *extra],
                          capture_output=True, text=True, timeout=timeout, env=env)


def leftovers(folder):
    return sorted(p.name for p in Path(folder).rglob("*")
                  if p.name.startswith(".") or "partial" in p.name or p.name.endswith(".tmp"))


@posix
def test_a_link_planted_at_the_old_temporary_name_is_not_written_through(tmp_path):
    folder, victim = tmp_path / "mine", tmp_path / "victim.txt"
    folder.mkdir()
    victim.write_text("precious", encoding="utf-8")
    planted = folder / ".01-graph-model.ipynb.teachgrad-partial"
    planted.symlink_to(Path("..") / "victim.txt")
    report = lectures.copy_to(folder)
    assert "01-graph-model.ipynb" in report.written
    assert victim.read_text(encoding="utf-8") == "precious"
    assert planted.is_symlink()                               # untouched
    assert (folder / "01-graph-model.ipynb").read_bytes() == \
        (lectures.source() / "student" / "01-graph-model.ipynb").read_bytes()


@posix
@pytest.mark.parametrize("force", [False, True])
def test_a_link_in_place_of_a_lecture_is_refused_and_its_target_kept(tmp_path, force):
    folder, victim = tmp_path / "mine", tmp_path / "victim.txt"
    folder.mkdir()
    victim.write_text("precious", encoding="utf-8")
    (folder / "02-tensors.ipynb").symlink_to(victim)
    result = lectures_cli(folder, *(["--force"] if force else []))
    assert result.returncode == 1 and result.stderr.count("\n") == 1, result.stderr
    assert str(folder / "02-tensors.ipynb") in result.stderr
    assert "a symbolic link, not a regular file" in result.stderr
    assert victim.read_text(encoding="utf-8") == "precious"


@posix
def test_a_linked_subfolder_is_refused_and_nothing_is_written_through_it(tmp_path):
    folder, elsewhere = tmp_path / "mine", tmp_path / "elsewhere"
    folder.mkdir()
    elsewhere.mkdir()
    (folder / "student").symlink_to(elsewhere)
    with pytest.raises(FileExistsError, match="is a symbolic link, not a folder"):
        lectures.copy_to(folder, teacher=True)
    assert list(elsewhere.iterdir()) == []


@posix
def test_a_fifo_named_like_a_lecture_is_refused_without_waiting(tmp_path):
    folder = tmp_path / "mine"
    folder.mkdir()
    fifo = folder / "01-graph-model.ipynb"
    os.mkfifo(fifo)
    result = lectures_cli(folder, timeout=30)          # it used to wait forever for a writer
    assert result.returncode == 1 and result.stdout == ""
    assert result.stderr.strip().splitlines() == [
        f"teachgrad: error: cannot copy 01-graph-model.ipynb: {str(fifo)!r} is a named pipe "
        "(FIFO), not a regular file: move it away and copy again"]
    assert fifo.exists() and not fifo.is_file()
    assert [p.name for p in folder.iterdir()] == [fifo.name]        # nothing else written


@posix
def test_a_fifo_in_the_student_folder_stops_the_copy_before_anything_is_written(tmp_path):
    folder = tmp_path / "mine"
    (folder / "student").mkdir(parents=True)
    os.mkfifo(folder / "student" / "README.md")
    with pytest.raises(FileExistsError, match=r"student/README.md.*a named pipe \(FIFO\)"):
        lectures.copy_to(folder, teacher=True)
    assert sorted(p.name for p in folder.rglob("*")) == ["README.md", "student"]


def test_a_failed_copy_leaves_no_partial_file_and_names_the_file(tmp_path, monkeypatch, capsys):
    folder = tmp_path / "mine"
    real_replace, calls = os.replace, []

    def full_disk(src, dst, *args, **kwargs):
        calls.append(dst)
        if len(calls) == 3:
            raise OSError(errno.ENOSPC, "No space left on device")
        return real_replace(src, dst, *args, **kwargs)

    monkeypatch.setattr(os, "replace", full_disk)
    assert cli_main(["lectures", str(folder)]) == 1
    monkeypatch.undo()
    failed = Path(calls[-1])
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "No space left on device" in err
    assert f"({folder / failed.name})" in err                 # the lecture, not a temporary file
    assert leftovers(folder) == []
    assert sorted(p.name for p in folder.iterdir() if p.is_file()) == \
        sorted(Path(c).name for c in calls[:2])


def test_every_file_the_package_writes_goes_through_replace_file():
    """The one safe writer: exclusive create, random name, fsync, os.replace."""
    writer = re.compile(r"open\([^)]*['\"][wax]b?\+?['\"]|\.write_(text|bytes)\(|"
                        r"shutil\.(copy|copyfile|copy2|copytree|move)\b|os\.(rename|link)\(")
    found = [f"{p.relative_to(PACKAGE).as_posix()}:{n}: {line.strip()}"
             for p in PACKAGE.rglob("*.py") if p.name != "files.py"
             for n, line in enumerate(p.read_text(encoding="utf-8").splitlines(), 1)
             if writer.search(line) and not line.lstrip().startswith((">>>", "...", "#"))]
    assert found == [], found
