"""A missing optional piece is one line that says what to install, never a bare traceback.

Each case runs in a fresh interpreter where the package is made unimportable
(``sys.modules[name] = None`` makes ``import name`` raise ModuleNotFoundError, as if it were not
installed), so the real modules of this environment cannot leak in."""

import subprocess
import sys
import textwrap


def run_python(code):
    return subprocess.run([sys.executable, "-c", textwrap.dedent(code)], capture_output=True,
                          text=True, timeout=60)


def test_plot_without_matplotlib_names_the_fix():
    result = run_python("""
        import sys
        sys.modules["matplotlib"] = None
        import teachgrad.plot
    """)
    assert result.returncode == 1
    last = result.stderr.strip().splitlines()[-1]
    assert last == ("ModuleNotFoundError: teachgrad.plot needs matplotlib, which is not installed: "
                    'pip install matplotlib (or pip install "teachgrad[lab]" for everything the '
                    "lectures use)")
    assert "During handling" not in result.stderr        # no chained second traceback


def test_cli_without_the_graphviz_package_is_one_line(tmp_path):
    out = tmp_path / "x.svg"
    result = run_python(f"""
        import sys
        sys.modules["graphviz"] = None
        from teachgrad.course.cli import main
        sys.exit(main(["render", "e = a * b", "a=1", "b=2", "-o", {str(out)!r}]))
    """)
    assert result.returncode == 1 and result.stdout == ""
    assert result.stderr.strip().splitlines() == [
        "teachgrad: error: teachgrad needs the Python package 'graphviz', which is not installed: "
        "pip install graphviz"]
    assert not out.exists()


def test_the_rest_of_the_cli_needs_no_optional_package(tmp_path):
    result = run_python(f"""
        import sys
        for name in ("matplotlib", "ipywidgets", "IPython", "nbformat"):
            sys.modules[name] = None
        from teachgrad.course.cli import main
        sys.exit(main(["lectures", {str(tmp_path / "copy")!r}]))
    """)
    assert result.returncode == 0, result.stderr
    assert "copied" in result.stdout and "trusted" not in result.stdout   # no nbformat: no trust
    assert (tmp_path / "copy" / "01-graph-model.ipynb").is_file()
