"""Every ``teachgrad`` subcommand behaves in a shell pipeline: a reader that stops early
(``teachgrad lectures | head -1``) costs neither a traceback nor the command's work, and the
command's own errors are one line on stderr.

Real processes and real pipes (``os.pipe``), no mocks: ``closed_before`` closes the reading end
before the command writes anything (what ``| head -0`` or a reader that died does), so every
write fails with EPIPE; ``read_one_line`` reads a line and closes, as ``| head -1`` does.
"""

import os
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from teachgrad.course import lectures

pytest.importorskip("graphviz")

ROOT = Path(__file__).resolve().parents[2]
SEED = "e = (a + b) * (b + 1)"


def env(cwd):
    """This checkout's teachgrad first on the path, whatever the venv has installed; Jupyter's
    trust database (``teachgrad lectures`` marks the copies trusted) inside the test's folder."""
    path = os.pathsep.join([str(ROOT), *filter(None, [os.environ.get("PYTHONPATH")])])
    return {**os.environ, "PYTHONPATH": path, "JUPYTER_DATA_DIR": str(Path(cwd) / "jupyter")}


def command(*args):
    return [sys.executable, "-m", "teachgrad", *map(str, args)]


def closed_before(args, cwd, both=False):
    """Run with stdout (and stderr too, when ``both``) a pipe whose reader is already gone.
    Returns (exit status, what went to stderr; None when stderr was the closed pipe)."""
    read, write = os.pipe()
    os.close(read)
    try:
        done = subprocess.run(command(*args), stdout=write,
                              stderr=write if both else subprocess.PIPE, cwd=cwd, env=env(cwd),
                              timeout=120)
    finally:
        os.close(write)
    return done.returncode, None if both else done.stderr.decode()


def read_one_line(args, cwd):
    """``teachgrad ARGS | head -1``: read one line, close the pipe, wait for the command."""
    with subprocess.Popen(command(*args), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                          cwd=cwd, env=env(cwd)) as process:
        first = process.stdout.readline().decode()
        process.stdout.close()
        err = process.stderr.read().decode()
        status = process.wait(timeout=120)
    return first, status, err


def a_notebook(folder):
    folder.mkdir(parents=True, exist_ok=True)
    cell = nbformat.v4.new_markdown_cell("# A lecture")
    cell.metadata["slideshow"] = {"slide_type": "slide"}
    nbformat.write(nbformat.v4.new_notebook(cells=[cell]), folder / "a.ipynb")
    return folder


# (arguments, what must exist afterwards): the work is done although nobody read the report.
COMMANDS = {
    "lectures": (["lectures", "mine"], "mine/01-graph-model.ipynb"),
    "render": (["render", SEED, "a=2", "b=1", "-o", "graph.svg"], "graph.svg"),
    "render-html": (["render", SEED, "a=2", "b=1", "--mode", "reverse", "-o", "anim.html"],
                    "anim.html"),
    "help": (["--help"], None),
    "version": (["--version"], None),
    "render-help": (["render", "--help"], None),
    "lectures-help": (["lectures", "--help"], None),
    "slides-help": (["slides", "--help"], None),
}


@pytest.mark.parametrize("name", COMMANDS)
def test_a_reader_gone_before_the_first_line_is_quiet(tmp_path, name):
    args, made = COMMANDS[name]
    status, err = closed_before(args, tmp_path)
    assert err == "" and status == 0, (status, err)
    if made:
        assert (tmp_path / made).is_file()
    if name == "lectures":
        copied = sorted(p.relative_to(tmp_path / "mine").as_posix()
                        for p in (tmp_path / "mine").rglob("*") if p.is_file())
        assert copied == sorted(lectures.copies())


@pytest.mark.parametrize("name", ["lectures", "render", "help", "render-help"])
def test_head_one_gets_the_first_line_and_nothing_breaks(tmp_path, name):
    args, made = COMMANDS[name]
    first, status, err = read_one_line(args, tmp_path)
    assert first.startswith(("teachgrad:", "usage: teachgrad")), first
    assert err == "" and status == 0, (status, err)
    if made:
        assert (tmp_path / made).is_file()


def test_slides_finish_although_the_progress_reader_is_gone(tmp_path):
    """``teachgrad slides … 2>&1 | head -1``: progress goes to stderr, the report to stdout;
    both readers gone, every deck is still built."""
    pytest.importorskip("nbconvert")
    source = a_notebook(tmp_path / "nb")
    (source / "b.ipynb").write_bytes((source / "a.ipynb").read_bytes())
    status, _ = closed_before(["slides", source, "-o", tmp_path / "out"], tmp_path, both=True)
    assert status == 0
    assert sorted(p.name for p in (tmp_path / "out").glob("*.slides.html")) == \
        ["a.slides.html", "b.slides.html"]


@pytest.mark.parametrize("args, starts", [
    (["lectures", "/dev/null/inside-a-file"], "teachgrad: error: cannot copy the lectures into "),
    (["slides", "no-such-folder"], "teachgrad: error: 'no-such-folder' is not a folder"),
    (["render", "e = a +", "a=1", "-o", "x.svg"], "teachgrad: error: bad expression: "),
    (["render", SEED, "a=2", "b=1", "-o", "no/such/folder/x.svg"],
     "teachgrad: error: cannot write 'no/such/folder/x.svg': "),
])
def test_each_subcommand_reports_its_errors_in_one_line(tmp_path, args, starts):
    done = subprocess.run(command(*args), capture_output=True, text=True, cwd=tmp_path,
                          env=env(tmp_path), timeout=120)
    assert done.returncode == 1 and done.stdout == ""
    assert done.stderr.startswith(starts) and done.stderr.count("\n") == 1, done.stderr


def test_an_error_with_its_reader_gone_is_still_an_error(tmp_path):
    """Quiet about the pipe, not about failing: the exit status still says it failed."""
    status, _ = closed_before(["render", "e = a +", "a=1", "-o", "x.svg"], tmp_path, both=True)
    assert status == 1 and not (tmp_path / "x.svg").exists()
