"""README.md's links (badges, images, nbgitpuller) agree with the one repository address in
pyproject.toml, and .ci/readme_links.py both finds and fixes a link that does not."""

import importlib.util
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
spec = importlib.util.spec_from_file_location("readme_links", ROOT / ".ci" / "readme_links.py")
links = importlib.util.module_from_spec(spec)
spec.loader.exec_module(links)


def test_readme_agrees_with_pyproject():
    assert links.repository() == ("teachgrad", "teachgrad")
    assert links.problems() == []


def test_every_project_url_is_under_the_repository():
    text = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    urls = dict(re.findall(r'^(\w+) = "(https://[^"]+)"', text.split("[project.urls]")[1], re.M))
    assert set(urls) >= {"Homepage", "Repository", "Documentation", "Issues"}
    assert all(url.startswith(urls["Repository"]) for url in urls.values()), urls


def test_every_lecture_has_a_binder_and_a_colab_badge():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for nb in sorted((ROOT / "lectures").glob("*.ipynb")):
        assert (f"https://mybinder.org/v2/gh/teachgrad/teachgrad/HEAD?urlpath=lab/tree/lectures/"
                f"{nb.name}") in readme
        assert (f"https://colab.research.google.com/github/teachgrad/teachgrad/blob/main/lectures/"
                f"{nb.name}") in readme


def test_no_image_or_file_link_is_relative():
    """PyPI shows the README alone: a relative link there points nowhere."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    relative = re.findall(r"\]\((?!https://|#)([^)]+)\)", readme)
    assert relative == []


def test_fix_rewrites_owner_images_and_the_table():
    text = "\n".join([
        "![graph](lectures/images/seed-graph.svg)",
        "[guide](CONTRIBUTING.md)",
        "[![b](https://mybinder.org/badge_logo.svg)](https://mybinder.org/v2/gh/OWNER/teachgrad/"
        "HEAD?urlpath=lab/tree/lectures/01-graph-model.ipynb)",
        'pip install "teachgrad @ git+https://github.com/OWNER/teachgrad"',
        "git-pull?repo=https%3A%2F%2Fgithub.com%2FOWNER%2Fteachgrad&branch=main",
        links.TABLE_START, "| an old row |", links.TABLE_END,
        "https://github.com/karpathy/micrograd stays as it is",
    ])
    out = links.fixed(text, "someone", "teachgrad")
    assert "OWNER" not in out and "an old row" not in out
    assert ("![graph](https://raw.githubusercontent.com/someone/teachgrad/main/lectures/images/"
            "seed-graph.svg)") in out
    assert "[guide](https://github.com/someone/teachgrad/blob/main/CONTRIBUTING.md)" in out
    assert "https://mybinder.org/v2/gh/someone/teachgrad/HEAD?urlpath=" in out
    assert "git+https://github.com/someone/teachgrad" in out
    assert "repo=https%3A%2F%2Fgithub.com%2Fsomeone%2Fteachgrad&branch=main" in out
    assert "https://github.com/karpathy/micrograd stays" in out
    n_lectures = len(list((ROOT / "lectures").glob("*.ipynb")))
    assert out.count("colab.research.google.com/github/someone/teachgrad/blob/main/lectures/") \
        == n_lectures
    assert links.fixed(out, "someone", "teachgrad") == out      # fixing twice changes nothing


@pytest.mark.parametrize("damage, expected", [
    (lambda t: t.replace("mybinder.org/v2/gh/teachgrad/", "mybinder.org/v2/gh/OWNER/", 1),
     "should be:"),
    (lambda t: t.replace("/lectures/images/derivatives.png", "/lectures/images/gone.png"),
     "lectures/images/gone.png, which does not exist"),
    (lambda t: t.replace(links.TABLE_START, ""), "must sit between"),
])
def test_check_finds_a_broken_link(tmp_path, damage, expected):
    (tmp_path / "pyproject.toml").write_text((ROOT / "pyproject.toml").read_text("utf-8"), "utf-8")
    (tmp_path / "lectures").symlink_to(ROOT / "lectures")
    (tmp_path / "README.md").write_text(damage((ROOT / "README.md").read_text("utf-8")), "utf-8")
    found = links.problems(tmp_path)
    assert any(expected in line for line in found), found


def test_check_covers_the_other_documents(tmp_path):
    (tmp_path / "pyproject.toml").write_text((ROOT / "pyproject.toml").read_text("utf-8"), "utf-8")
    (tmp_path / "lectures").symlink_to(ROOT / "lectures")
    (tmp_path / "README.md").write_text((ROOT / "README.md").read_text("utf-8"), "utf-8")
    (tmp_path / "CONTRIBUTING.md").write_text(
        "See [the lectures](lectures/README.md) and https://github.com/someone/teachgrad/issues\n",
        "utf-8")
    found = links.problems(tmp_path)
    assert len(found) == 1 and found[0].startswith("CONTRIBUTING.md:1:"), found
    assert "https://github.com/teachgrad/teachgrad/issues" in found[0]
    assert "](lectures/README.md)" in found[0].split("should be:")[1]   # relative is fine there


REPO = "https://github.com/teachgrad/teachgrad"


def test_every_install_command_works_before_the_release():
    """teachgrad is not on PyPI yet: the quick start, the Colab cell and the guide install from
    the repository; a PyPI command is there only as the one for once it is released."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    guide = (ROOT / "lectures" / "GUIDE.md").read_text(encoding="utf-8")
    first = links.PIP_INSTALL.search(readme)
    assert first.group(0) == f'pip install "teachgrad[lab] @ git+{REPO}"'
    colab = f'!pip install "teachgrad @ git+{REPO}"'
    assert colab in readme and colab in guide
    for text in (readme, guide):
        later = [m for m in links.PIP_INSTALL.finditer(text) if m.group(3) is None]
        assert later, "the PyPI command for after the release is shown too"
    assert links.install_problems("README.md", readme, REPO) == []


@pytest.mark.parametrize("text, expected", [
    ('Run `pip install "teachgrad[lab]"` first.', "installs from PyPI, where teachgrad is not yet"),
    ("In Colab: `!pip install teachgrad`.", "installs from PyPI"),
    ('`pip install "teachgrad[lab] @ git+https://github.com/else/where"`',
     f"should install from git+{REPO}"),
    ('`pip install "teachgrad[slides] @ git+https://github.com/teachgrad/teachgrad"`',
     "the first install command must be the quick start's"),
])
def test_install_check_finds_a_command_that_fails_today(text, expected):
    found = links.install_problems("README.md", text, REPO)
    assert any(expected in line for line in found), found


def test_install_check_accepts_a_command_said_to_be_for_later():
    text = "\n".join([f'`pip install "teachgrad[lab] @ git+{REPO}"`',
                      'Once released: `pip install "teachgrad[lab]"`, and in a sentence that is',
                      "wrapped, once released, `pip install teachgrad`.",
                      "`pip install -e '.[dev]'` and `pip install nbconvert` are not teachgrad."])
    assert links.install_problems("README.md", text, REPO) == []
    assert links.install_problems("GUIDE.md", "Then `pip install teachgrad`, once released.",
                                  REPO) != []        # the words must come before the command


def test_check_and_fix_cover_the_install_commands_of_the_guide(tmp_path):
    (tmp_path / "pyproject.toml").write_text((ROOT / "pyproject.toml").read_text("utf-8"), "utf-8")
    (tmp_path / "lectures").mkdir()
    for nb in (ROOT / "lectures").glob("*.ipynb"):
        (tmp_path / "lectures" / nb.name).symlink_to(nb)
    (tmp_path / "README.md").write_text((ROOT / "README.md").read_text("utf-8"), "utf-8")
    guide = (ROOT / "lectures" / "GUIDE.md").read_text("utf-8")
    moved = guide.replace(f"@ git+{REPO}", "@ git+https://gitlab.com/old/place", 1)
    (tmp_path / "lectures" / "GUIDE.md").write_text(moved, "utf-8")
    found = links.problems(tmp_path)
    assert any(line.startswith("lectures/GUIDE.md:") and "should install from" in line
               for line in found), found
    owner, name = links.repository(tmp_path)
    assert links.fixed(moved, owner, name, absolute=False) == guide
