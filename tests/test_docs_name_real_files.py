"""Every file (``something.py``) and every module (``teachgrad.x.y``) that a docstring or a
Markdown file names exists: after files move (issue 20's restructure), a text pointing at
``program.py`` or ``teachgrad.scopes`` fails here with its place instead of misleading a reader.

Read as text with ``ast`` (docstrings of every module, class and function of teachgrad/ and
tests/) and as Markdown (every tracked ``*.md`` but CHANGELOG.md, which is history). A bare name
(``session.py``) must be some tracked file's name; a path (``tf1/session.py``) must exist from
the repository, from teachgrad/, or from the naming file's folder; ``teachgrad.a.b`` must be a
module, or a module and a name defined in it.
"""

import ast
import re
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

# Files of other projects that our texts name on purpose.
ELSEWHERE = [
    re.compile(r"^framework/ops\.py$"),                  # TensorFlow's, where its stacks live
    re.compile(r"^\d_[A-Za-z]+/\w+\.py$"),               # aymericdamien/TensorFlow-Examples
    re.compile(r"^nbgrader_config\.py$"),               # nbgrader's, in a teacher's course folder
]
# Names that stand for any module in an example of the text.
PLACEHOLDERS = {"teachgrad.x"}
FILE = re.compile(r"(?<![\w/.<>-])([\w./-]*\w\.py)\b")
MODULE = re.compile(r"(?<![\w.])teachgrad(?:\.[A-Za-z_]\w*)+")


def _tracked():
    try:
        listed = subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True,
                                check=True).stdout.split()
    except (OSError, subprocess.CalledProcessError):    # an unpacked sdist: no git
        listed = [str(p.relative_to(ROOT)) for p in ROOT.rglob("*") if p.is_file()]
    return [f for f in listed if (ROOT / f).is_file()]


TRACKED = _tracked()
NAMES = {Path(f).name for f in TRACKED}


def texts():
    """(file, text) for every docstring of teachgrad/ and tests/ and every Markdown file."""
    for f in TRACKED:
        path = ROOT / f
        if f.endswith(".md") and f != "CHANGELOG.md":
            yield f, path.read_text(encoding="utf-8")
        elif f.endswith(".py") and f.startswith(("teachgrad/", "tests/")) and \
                f != "tests/test_docs_name_real_files.py":     # (this one names stale examples)
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef,
                                     ast.AsyncFunctionDef)):
                    doc = ast.get_docstring(node, clean=False)
                    if doc:
                        yield f, doc


def missing_file(name, where):
    if any(p.search(name) for p in ELSEWHERE):
        return False
    if "/" not in name:
        return name not in NAMES
    return not any((base / name).exists() for base in (ROOT, ROOT / "teachgrad",
                                                         (ROOT / where).parent))


def missing_module(dotted):
    parts = dotted.split(".")
    for k in range(len(parts), 0, -1):
        base = ROOT.joinpath(*parts[:k])
        source = base.with_suffix(".py") if base.with_suffix(".py").is_file() else \
            base / "__init__.py"
        if source.is_file():
            rest = parts[k:]
            return bool(rest) and not re.search(rf"\b{re.escape(rest[0])}\b",
                                                 source.read_text(encoding="utf-8"))
    return True


def stale_references(found):
    """The names in ``found`` ([(file, text)]) that point nowhere, as ``file: name`` lines."""
    bad = set()
    for where, text in found:
        bad |= {f"{where}: {name}" for name in FILE.findall(text) if missing_file(name, where)}
        bad |= {f"{where}: {name}" for name in MODULE.findall(text) 
                if name not in PLACEHOLDERS and missing_module(name)}
    return sorted(bad)


def test_docstrings_and_markdown_name_only_files_and_modules_that_exist():
    assert not stale_references(texts()), "\n".join(stale_references(texts()))


@pytest.mark.parametrize("text, stale", [
    ("the engine walks the graph in ``autodiff.py``", ["x.py: autodiff.py"]),
    ("see teachgrad/program.py and tf1/scopes.py", ["x.py: teachgrad/program.py",
                                                    "x.py: tf1/scopes.py"]),
    ("``teachgrad.scoping.name_scope``", ["x.py: teachgrad.scoping.name_scope"]),
    ("``teachgrad.ops.NO_SUCH_TABLE``", ["x.py: teachgrad.ops.NO_SUCH_TABLE"]),
    ("``tf1/session.py``, ``teachgrad.ops.REGISTRY``, setup-free ``pyproject.toml``", []),
    ("TensorFlow keeps them in ``framework/ops.py``", []),
])
def test_the_check_finds_a_stale_name(text, stale):
    assert stale_references([("x.py", text)]) == stale
