"""What a pip user gets: the sdist and wheel built from this checkout, installed into a fresh venv
outside the repository, then used as a student would — draw a graph, copy the lectures, run one.

This needs the package index (the fresh venv installs NumPy, graphviz, ipywidgets, matplotlib,
ipykernel and nbclient; pip's cache makes it quick) and the `build` and `twine` tools of the dev
extra. Without them the test skips with the reason, except in CI (``CI=true``), where it must run.
"""

import os
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest

from teachgrad.course import lectures

ROOT = Path(__file__).resolve().parents[1]
pytestmark = [pytest.mark.distribution, pytest.mark.timeout(600)]


def in_ci():
    return os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")


def cannot_run(reason):
    if in_ci():
        pytest.fail(f"CI must build and install the distribution, but {reason}", pytrace=False)
    pytest.skip(reason)


def run(cmd, what, timeout=300, **kwargs):
    result = subprocess.run([str(c) for c in cmd], capture_output=True, text=True,
                            timeout=timeout, **kwargs)
    assert result.returncode == 0, (f"{what} failed:\n{result.stdout[-3000:]}\n"
                                    f"{result.stderr[-3000:]}")
    return result


# What pip says when it cannot reach the package index (the build fetches setuptools, the venv
# its dependencies): the one failure that is a skip outside CI rather than a bug.
OFFLINE = ("Failed to establish a new connection", "Temporary failure in name resolution",
           "No matching distribution found", "Could not find a version that satisfies",
           "Network is unreachable", "Read timed out")


def run_online(cmd, what, **kwargs):
    """Like run(), but a failure to reach the package index skips (outside CI)."""
    result = subprocess.run([str(c) for c in cmd], capture_output=True, text=True, timeout=600,
                            **kwargs)
    output = result.stdout + result.stderr
    said = [line.strip() for line in output.splitlines() if any(s in line for s in OFFLINE)]
    if result.returncode != 0 and said:
        cannot_run(f"{what} could not reach the package index (offline?): {said[0]}")
    assert result.returncode == 0, f"{what} failed:\n{output[-4000:]}"
    return result


def clean_env(**extra):
    """The environment for the fresh venv: nothing that would import this checkout's teachgrad."""
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    return {**env, **extra}


@pytest.fixture(scope="module")
def timings():
    times = {}
    yield times
    print("\ndistribution test timings: " + ", ".join(f"{k} {v:.1f} s" for k, v in times.items()))


@pytest.fixture(scope="module")
def dist(tmp_path_factory, timings):
    """(sdist, wheel) built with `python -m build`: the wheel from the sdist, as pip would."""
    for tool in ("build", "twine"):
        try:
            __import__(tool)
        except ImportError:
            cannot_run(f"the {tool!r} package is missing (pip install -e '.[dev]')")
    out = tmp_path_factory.mktemp("dist")
    t0 = time.perf_counter()
    run_online([sys.executable, "-m", "build", "--outdir", out, ROOT], "python -m build",
               env=clean_env())
    timings["build"] = time.perf_counter() - t0
    (sdist,), (wheel,) = out.glob("*.tar.gz"), out.glob("*.whl")
    return sdist, wheel


@pytest.fixture(scope="module")
def venv(tmp_path_factory, dist, timings):
    """A fresh venv, outside the repository, with the wheel and what one lecture needs."""
    where = tmp_path_factory.mktemp("user")
    t0 = time.perf_counter()
    run([sys.executable, "-m", "venv", where / "venv"], "python -m venv")
    python = where / "venv" / "bin" / "python"
    run_online([python, "-m", "pip", "install", "--disable-pip-version-check", "-q",
                f"{dist[1]}[colab]", "ipykernel", "nbclient"],
               "pip install (the wheel, ipykernel, nbclient)", env=clean_env(), cwd=where)
    timings["venv + install"] = time.perf_counter() - t0
    return where, python


def test_twine_accepts_both(dist):
    result = run([sys.executable, "-m", "twine", "check", "--strict", *dist], "twine check")
    assert result.stdout.count("PASSED") == 2, result.stdout


def test_wheel_carries_the_lectures_and_the_license(dist):
    with zipfile.ZipFile(dist[1]) as wheel:
        names = wheel.namelist()
        metadata = wheel.read(next(n for n in names if n.endswith(".dist-info/METADATA")))
    shipped = sorted(n.removeprefix("teachgrad/_lectures/") for n in names
                     if n.startswith("teachgrad/_lectures/"))
    assert shipped == lectures.files()      # pyproject's package-data == lectures.PATTERNS
    assert any(n.endswith(".dist-info/licenses/LICENSE") for n in names)
    text = metadata.decode("utf-8")
    assert text.startswith("Metadata-Version: 2.4\n")     # the newest one PyPI accepts
    assert "License-Expression: BSD-3-Clause" in text
    assert "Requires-Dist: graphviz" in text
    assert "Project-URL: Repository, https://github.com/teachgrad/teachgrad" in text
    assert not any(n.startswith(("tests/", "bench/", "lectures/")) for n in names)
    # teachgrad slides' reveal.js, with its licence; no Sphinx needed for it.
    from teachgrad.course import slides
    assert sorted(n.removeprefix("teachgrad/course/reveal.js/") for n in names
                  if n.startswith("teachgrad/course/reveal.js/")) == sorted(slides.REVEAL_FILES)
    assert "sphinx" not in text.lower()
    assert not any("__pycache__" in n or n.endswith(".pyc") for n in names)


def test_a_wheel_built_from_the_repository_carries_the_lectures(tmp_path):
    """`pip install "teachgrad @ git+URL"` builds the wheel from a clone, not from an sdist:
    pyproject.toml alone must map lectures/ into it there too."""
    run_online([sys.executable, "-m", "build", "--wheel", "--outdir", tmp_path, ROOT],
               "python -m build --wheel (from the source tree)", env=clean_env())
    (wheel,) = tmp_path.glob("*.whl")
    with zipfile.ZipFile(wheel) as built:
        shipped = sorted(n.removeprefix("teachgrad/_lectures/") for n in built.namelist()
                         if n.startswith("teachgrad/_lectures/"))
    assert shipped == lectures.files()


def test_sdist_holds_what_its_tests_need(dist):
    import tarfile
    with tarfile.open(dist[0]) as sdist:
        names = {n.split("/", 1)[1] for n in sdist.getnames() if "/" in n}
    for needed in ("LICENSE", "pyproject.toml", "tests/course/test_lecture_notebooks.py",
                   "lectures/sanitize.cfg", "lectures/01-graph-model.ipynb", "lectures/GUIDE.md",
                   "lectures/images/seed-graph.svg", ".ci/readme_links.py",
                   "bench/bench_sizing.py", ".github/workflows/release.yml",
                   "teachgrad/course/reveal.js/LICENSE"):
        assert needed in names, needed
    # pyproject.toml alone says how to build: no setup.py, no MANIFEST.in
    assert not {"setup.py", "MANIFEST.in"} & names


def test_a_student_uses_the_installed_package(venv, dist, timings, tmp_path):
    where, python = venv
    bin_dir = python.parent
    t0 = time.perf_counter()
    code = "import teachgrad; print(teachgrad.__file__, teachgrad.__version__)"
    found = run([python, "-c", code], "import teachgrad", env=clean_env(),
                cwd=tmp_path).stdout.split()
    assert Path(found[0]).is_relative_to(where) and found[1] in dist[1].name

    drawn = run([bin_dir / "teachgrad", "render", "e = a*b", "a=1", "b=2", "-o", "x.svg"],
                "teachgrad render", env=clean_env(), cwd=tmp_path)
    assert "wrote x.svg (3 nodes)" in drawn.stdout
    assert "∂e/∂a = b = 2" in (tmp_path / "x.svg").read_text(encoding="utf-8")

    copied = run([bin_dir / "teachgrad", "lectures", "mine", "--teacher"], "teachgrad lectures",
                 env=clean_env(JUPYTER_DATA_DIR=str(tmp_path / "jupyter")), cwd=tmp_path)
    assert f"copied {len(lectures.files())} files into mine" in copied.stdout
    for rel in lectures.files():
        assert (tmp_path / "mine" / rel).read_bytes() == (ROOT / "lectures" / rel).read_bytes()

    script = ("import nbformat, nbclient, sys\n"
              "nb = nbformat.read(sys.argv[1], as_version=4)\n"
              "nbclient.NotebookClient(nb, kernel_name='python3', timeout=300,\n"
              "    resources={'metadata': {'path': 'mine'}}).execute()\n"
              "outs = [o for c in nb.cells for o in c.get('outputs', [])]\n"
              "print(sum('image/svg+xml' in o.get('data', {}) for o in outs),\n"
              "      sum(o.get('output_type') == 'error' for o in outs))\n")
    t1 = time.perf_counter()
    executed = run([python, "-c", script, "mine/01-graph-model.ipynb"], "running lecture 1",
                   env=clean_env(HOME=str(tmp_path), JUPYTER_DATA_DIR=str(tmp_path / "jupyter")),
                   cwd=tmp_path)
    timings["lecture 1"] = time.perf_counter() - t1
    timings["commands"] = time.perf_counter() - t0 - timings["lecture 1"]
    svgs, errors = map(int, executed.stdout.split())
    assert errors == 0 and svgs >= 3, executed.stdout
