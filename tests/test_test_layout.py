"""The tests mirror the package: the test of a module in ``teachgrad/<folder>/`` is in
``tests/<folder>/``, and the core's tests (core, ops, autodiff, tf1, teaching) never skip a whole
file for want of an optional extra (Graphviz, ipywidgets, matplotlib): a picture or widget test
lives in tests/render, tests/widgets or tests/plot, where such a skip belongs.

``python .ci/without_extras.py tests/core tests/ops tests/autodiff tests/tf1 tests/teaching`` runs
those folders with the three packages made unimportable; this file checks the rule statically.
"""

import ast
from pathlib import Path

import pytest

TESTS = Path(__file__).resolve().parent
PACKAGE = TESTS.parent / "teachgrad"

# Folders of tests that are not a package folder: the browser tests (JupyterLab, Chromium).
OTHER_FOLDERS = {"browser", "artifacts"}
# Test files at the top of tests/: the package's top (errors, optional pieces, its layers, the
# checker in teachgrad/testing.py) and the repository around it (README, CI, workflows, sdist).
TOP = {"test_errors.py", "test_import_light.py", "test_missing_pieces.py", "test_layers.py",
       "test_testing.py", "test_test_layout.py", "test_docs_name_real_files.py",
       "test_dev_script.py", "test_distribution.py", "test_readme_links.py",
       "test_readme_tour.py", "test_workflows.py"}
CORE_FOLDERS = ["core", "ops", "autodiff", "tf1", "teaching"]
EXTRAS = ("graphviz", "ipywidgets", "matplotlib", "IPython", "teachgrad.render",
          "teachgrad.widgets", "teachgrad.plot")


def test_every_test_folder_is_a_package_folder():
    folders = {p.name for p in TESTS.iterdir() if p.is_dir() and p.name != "__pycache__"}
    packages = {p.name for p in PACKAGE.iterdir() if (p / "__init__.py").exists()}
    assert folders - OTHER_FOLDERS <= packages, folders - OTHER_FOLDERS - packages
    for folder in folders - OTHER_FOLDERS - {"artifacts"}:
        assert (TESTS / folder / "__init__.py").exists(), f"tests/{folder}/__init__.py"


def test_the_top_of_tests_holds_only_the_package_tops_and_the_repositorys_tests():
    assert {p.name for p in TESTS.glob("test_*.py")} <= TOP


def _extras_at_module_level(path, label=None):
    """``importorskip``/``import`` of an optional extra at a test file's top level."""
    label = label or path.relative_to(TESTS)
    found = []
    for node in ast.parse(path.read_text(encoding="utf-8")).body:
        names = []
        if isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            names = [node.module or ""]
        elif not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            for call in ast.walk(node):     # (inside a test, a skip is that test's own)
                if isinstance(call, ast.Call) and getattr(call.func, "attr", "") == \
                        "importorskip" and call.args and isinstance(call.args[0], ast.Constant):
                    names.append(call.args[0].value)
        found += [f"{label}:{node.lineno} {name}" for name in names
                  if name.startswith(EXTRAS)]
    return found


@pytest.mark.parametrize("folder", CORE_FOLDERS)
def test_core_tests_need_no_optional_extra_at_import(folder):
    found = [hit for path in sorted((TESTS / folder).rglob("*.py"))
             for hit in _extras_at_module_level(path)]
    assert not found, "a core test file that skips or fails without an extra:\n" + \
        "\n".join(found)


def test_the_check_sees_a_module_level_skip(tmp_path):
    planted = tmp_path / "test_planted.py"
    planted.write_text('import pytest\nwidgets = pytest.importorskip("teachgrad.widgets")\n'
                       'import graphviz\nimport numpy\n')
    assert _extras_at_module_level(planted, "planted") == [
        "planted:2 teachgrad.widgets", "planted:3 graphviz"]
