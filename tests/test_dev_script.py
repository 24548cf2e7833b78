"""``./.ci/dev test ARGS`` runs what ARGS select, and says so; ``./.ci/dev test`` runs everything.

``--dry-run`` prints the commands instead of running them (and installs nothing), so the choice
of runs is checked here without running the suite inside the suite.
"""

import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DEV = ROOT / ".ci" / "dev"
NBVAL = ("--nbval --nbval-current-env --nbval-sanitize-with lectures/sanitize.cfg")

pytestmark = pytest.mark.skipif(shutil.which("bash") is None, reason="needs bash")


def dry_run(*args):
    done = subprocess.run(["bash", str(DEV), "test", "--dry-run", *args], capture_output=True,
                          text=True, cwd=ROOT, timeout=60)
    assert done.returncode == 0, done.stderr
    commands = [line.removeprefix("+ ") for line in done.stdout.splitlines()]
    assert all(line.startswith("+ ") for line in done.stdout.splitlines()), done.stdout
    return commands, done.stderr


def test_without_arguments_the_whole_suite_runs():
    commands, said = dry_run()
    assert commands[0] == ".venv/bin/python -m pytest -q tests teachgrad"
    assert commands[1] == f".venv/bin/python -m pytest -q {NBVAL} lectures/"
    if (ROOT / ".ci" / "ipywidgets7-enabled").exists():
        assert any("tests/widgets/test_widgets.py" in c and c.startswith(".venv-ipyw7/") for c in commands)
    assert commands[-1] == (".venv/bin/python .ci/without_extras.py -q tests/core tests/ops "
                            "tests/autodiff tests/tf1 tests/teaching")
    assert "running only" not in said


@pytest.mark.parametrize("args, expected", [
    (["-k", "graph", "-x"], ".venv/bin/python -m pytest -q tests teachgrad -k graph -x"),
    (["--lf"], ".venv/bin/python -m pytest -q tests teachgrad --lf"),
    (["tests/course/test_cli.py"], ".venv/bin/python -m pytest -q tests/course/test_cli.py"),
    (["tests/course/test_cli.py::test_help_explains_with_examples", "-x"],
     ".venv/bin/python -m pytest -q tests/course/test_cli.py::test_help_explains_with_examples -x"),
    (["lectures/02-tensors.ipynb"],
     f".venv/bin/python -m pytest -q {NBVAL} lectures/02-tensors.ipynb"),
    (["lectures/", "-x"], f".venv/bin/python -m pytest -q {NBVAL} lectures/ -x"),
])
def test_arguments_select_one_run_and_it_says_so(args, expected):
    commands, said = dry_run(*args)
    assert commands == [expected]
    assert "running only what the arguments select" in said
    assert "`./.ci/dev test` without arguments" in said


def test_help_and_readme_say_what_arguments_do():
    shown = subprocess.run(["bash", str(DEV), "--help"], capture_output=True, text=True,
                           timeout=60).stdout
    for words in ("test ARGS…", "instead of the whole suite", "--dry-run",
                  "The lecture run and the ipywidgets 7.8 run are left out"):
        assert words in shown, words
    readme = " ".join((ROOT / "README.md").read_text(encoding="utf-8").split())
    assert "./.ci/dev test -k graph -x" in readme and "without arguments" in readme
