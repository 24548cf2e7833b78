"""``teachgrad lectures``: what it copies, what it keeps, what it says (teachgrad.course.lectures and the
command line)."""

import subprocess
import sys
from pathlib import Path

import pytest

from teachgrad.course import lectures
from teachgrad.course.cli import main

REPO_LECTURES = Path(__file__).resolve().parents[2] / "lectures"


@pytest.fixture(autouse=True)
def own_jupyter_data(tmp_path, monkeypatch):
    """Trusting notebooks writes a signature database: keep it out of the real home."""
    monkeypatch.setenv("JUPYTER_DATA_DIR", str(tmp_path / "jupyter-data"))


def test_files_are_the_lectures_and_their_companions():
    names = lectures.files()
    notebooks = sorted(p.name for p in REPO_LECTURES.glob("*.ipynb"))
    student = [f"student/{name}" for name in notebooks]          # the handouts, same names
    assert names == sorted(notebooks + student + ["student/README.md"])
    assert len(notebooks) == 6


def test_a_student_gets_only_what_students_need(tmp_path):
    report = lectures.copy_to(tmp_path / "mine")
    got = sorted(p.relative_to(tmp_path / "mine").as_posix() for p in (tmp_path / "mine").rglob("*"))
    notebooks = sorted(p.name for p in REPO_LECTURES.glob("*.ipynb"))
    assert got == report.written == sorted(notebooks + ["README.md"])      # no sanitize.cfg
    for name in notebooks:                    # the student versions: no worked answers, no notes
        copied = (tmp_path / "mine" / name).read_bytes()
        assert copied == (REPO_LECTURES / "student" / name).read_bytes()
        assert b"### BEGIN SOLUTION" not in copied and b'"slide_type": "notes"' not in copied
    readme = (tmp_path / "mine" / "README.md").read_text(encoding="utf-8")
    assert readme == (REPO_LECTURES / "student" / "README.md").read_text(encoding="utf-8")
    for developer in ["nbval", "pytest", "sanitize", ".ci/dev", "handouts", "--stable-ids",
                      "solution", "GUIDE"]:
        assert developer not in readme, developer
    assert "not yet" in readme and "jupyter lab" in readme and "student_id" in readme


def test_a_teacher_gets_the_solutions_and_the_versions_to_hand_out(tmp_path):
    report = lectures.copy_to(tmp_path, teacher=True)
    assert report.written == lectures.files()
    assert b"### BEGIN SOLUTION" in (tmp_path / "01-graph-model.ipynb").read_bytes()
    assert not (tmp_path / "sanitize.cfg").exists() and not (tmp_path / "README.md").exists()
    for rel in lectures.files():
        assert (tmp_path / rel).read_bytes() == (REPO_LECTURES / rel).read_bytes()


def test_copy_writes_identical_files_and_creates_the_folder(tmp_path):
    target = tmp_path / "a" / "b"
    report = lectures.copy_to(target)
    plan = lectures.copies()
    assert report.created and report.written == sorted(plan)
    for rel, origin in plan.items():
        assert (target / rel).read_bytes() == (REPO_LECTURES / origin).read_bytes()
    assert sorted(str(p.relative_to(target).as_posix()) for p in target.rglob("*")
                  if p.is_file()) == sorted(plan)          # no partial files left behind
    again = lectures.copy_to(target)
    assert not again.created and again.written == [] and again.unchanged == sorted(plan)


def test_an_edited_file_is_kept_unless_forced(tmp_path):
    lectures.copy_to(tmp_path)
    edited = tmp_path / "02-tensors.ipynb"
    edited.write_text("my answers", encoding="utf-8")
    (tmp_path / "README.md").unlink()
    report = lectures.copy_to(tmp_path)
    assert report.kept == ["02-tensors.ipynb"] and report.written == ["README.md"]
    assert edited.read_text(encoding="utf-8") == "my answers"
    assert any("kept 1 file that differs" in line and "02-tensors.ipynb" in line
               and "--force" in line for line in report.lines())
    forced = lectures.copy_to(tmp_path, force=True)
    assert forced.replaced == ["02-tensors.ipynb"] and forced.kept == []
    assert edited.read_bytes() == (REPO_LECTURES / "student" / "02-tensors.ipynb").read_bytes()


def test_a_file_in_place_of_the_folder_is_refused(tmp_path):
    blocker = tmp_path / "lectures"
    blocker.write_text("x", encoding="utf-8")
    with pytest.raises(NotADirectoryError, match="it is a file, not a folder"):
        lectures.copy_to(blocker)
    assert blocker.read_text(encoding="utf-8") == "x"


def test_cli_copies_into_the_default_folder_and_reports(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    assert main(["lectures"]) == 0
    out = capsys.readouterr().out
    assert (tmp_path / "teachgrad-lectures" / "01-graph-model.ipynb").is_file()
    assert "copied 7 files into teachgrad-lectures (a new folder)" in out
    assert "marked 6 notebooks trusted" in out and "jupyter lab teachgrad-lectures" in out
    assert "to hand out" not in out
    (tmp_path / "teachgrad-lectures" / "README.md").write_text("mine", encoding="utf-8")
    assert main(["lectures", "teachgrad-lectures"]) == 0
    out = capsys.readouterr().out
    assert "copied 0 files" in out and "kept 1 file that differs" in out and "README.md" in out


def test_cli_teacher_copy_says_what_to_hand_out(tmp_path, capsys):
    assert main(["lectures", str(tmp_path / "course"), "--teacher"]) == 0
    out = capsys.readouterr().out
    assert f"copied {len(lectures.files())} files into" in out and "marked 12 notebooks" in out
    assert f"to hand out: {tmp_path / 'course' / 'student'} (the same lectures without the " \
        "worked answers)" in out


def test_the_copied_notebooks_are_trusted(tmp_path):
    nbformat = pytest.importorskip("nbformat")
    from nbformat.sign import NotebookNotary
    assert main(["lectures", str(tmp_path)]) == 0
    notary = NotebookNotary()
    nb = nbformat.read(tmp_path / "01-graph-model.ipynb", as_version=4)
    assert notary.check_signature(nb)


def test_cli_error_is_one_line(tmp_path):
    blocker = tmp_path / "x"
    blocker.write_text("", encoding="utf-8")
    result = subprocess.run([sys.executable, "-m", "teachgrad", "lectures", str(blocker)],
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 1 and result.stdout == ""
    assert result.stderr.strip().splitlines() == [
        f"teachgrad: error: cannot copy the lectures into {str(blocker)!r}: it is a file, not a "
        "folder"]
