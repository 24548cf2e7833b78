#!/usr/bin/env python3
"""Keep README.md's links to the repository in step with the one place that names it (and the
owner/name in lectures/README.md, CONTRIBUTING.md and CHANGELOG.md).

The repository's address is `Repository` under `[project.urls]` in pyproject.toml. From it this
script writes, in README.md:

* the lecture table: one row per lectures/*.ipynb (its title from the notebook's first heading)
  with an "Open in Binder" and an "Open in Colab" badge;
* every image as an absolute raw.githubusercontent.com link (PyPI shows the README without the
  repository's files beside it, so a relative image would be broken there);
* every other relative link as an absolute github.com one, for the same reason;
* the owner/name in Binder, Colab, nbgitpuller and github.com links to this repository;
* the address in every `pip install "teachgrad… @ git+URL"` command.

Every `pip install` of teachgrad in README.md, lectures/README.md and lectures/GUIDE.md must work
today: it installs from this repository (`@ git+` the Repository address), unless "once
released" comes just before it (on its line or the line above); README.md's first one is the
quick start's `pip install "teachgrad[lab] @ git+URL"`.

    python .ci/readme_links.py          check: print what differs and exit 1 if anything does
    python .ci/readme_links.py --fix    rewrite README.md accordingly

tests/test_readme_links.py runs the check in the test suite.
"""

import json
import re
import sys
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parents[1]
BRANCH = "main"
TABLE_START = "<!-- lecture table: written by .ci/readme_links.py --fix -->"
TABLE_END = "<!-- end of lecture table -->"
BINDER_BADGE = "https://mybinder.org/badge_logo.svg"
COLAB_BADGE = "https://colab.research.google.com/assets/colab-badge.svg"


def repository(root=ROOT):
    """(owner, name) from [project.urls] Repository in pyproject.toml."""
    text = (root / "pyproject.toml").read_text(encoding="utf-8")
    urls = re.search(r"^\[project\.urls\]\n(.*?)(?=^\[|\Z)", text, re.M | re.S)
    found = urls and re.search(r'^Repository\s*=\s*"https://github\.com/([\w.-]+)/([\w.-]+?)/?"',
                               urls.group(1), re.M)
    if not found:
        raise SystemExit("pyproject.toml: [project.urls] needs Repository = "
                         '"https://github.com/OWNER/NAME"')
    return found.group(1), found.group(2)


def lecture_rows(owner, name, root=ROOT):
    """The lecture table's rows: title, Binder badge, Colab badge."""
    rows = ["| lecture | Binder | Colab |", "|---|---|---|"]
    for nb in sorted((root / "lectures").glob("*.ipynb")):
        cells = json.loads(nb.read_text(encoding="utf-8"))["cells"]
        heading = "".join(cells[0]["source"]).splitlines()[0].lstrip("# ").strip()
        title = re.sub(r"^Lecture (\d+)\s*[—:-]\s*", r"\1. ", heading)
        binder = (f"https://mybinder.org/v2/gh/{owner}/{name}/HEAD"
                  f"?urlpath=lab/tree/lectures/{nb.name}")
        colab = (f"https://colab.research.google.com/github/{owner}/{name}/blob/{BRANCH}"
                 f"/lectures/{nb.name}")
        rows.append(f"| {title} | [![Open in Binder]({BINDER_BADGE})]({binder}) "
                    f"| [![Open in Colab]({COLAB_BADGE})]({colab}) |")
    return rows


def fixed(text, owner, name, root=ROOT, absolute=True):
    """README text with every link to this repository made to agree with (owner, name).
    ``absolute``: also make relative links absolute and rewrite the lecture table (README.md)."""
    repo = f"https://github.com/{owner}/{name}"
    raw = f"https://raw.githubusercontent.com/{owner}/{name}/{BRANCH}/"
    start, end = text.find(TABLE_START), text.find(TABLE_END)
    if absolute and start >= 0 and end > start:
        table = "\n".join([TABLE_START, *lecture_rows(owner, name, root), TABLE_END])
        text = text[:start] + table + text[end + len(TABLE_END):]
    if absolute:
        # Relative images (![alt](lectures/images/x.png)) become raw links, other relative links
        # (](CONTRIBUTING.md)) the repository's page for the file.
        text = re.sub(r"(!\[[^\]]*\]\()(?!https?://)([^)\s]+)\)",
                      lambda m: f"{m[1]}{raw}{m[2]})", text)
        text = re.sub(r"((?<!!)\[[^\]]*\]\()(?!https?://|#|mailto:)([^)\s]+)\)",
                      lambda m: f"{m[1]}{repo}/blob/{BRANCH}/{m[2]})", text)
    text = re.sub(rf"https://raw\.githubusercontent\.com/[\w.-]+/{re.escape(name)}/[\w.-]+/",
                  raw, text)
    text = re.sub(rf"https://mybinder\.org/v2/gh/[\w.-]+/{re.escape(name)}/",
                  f"https://mybinder.org/v2/gh/{owner}/{name}/", text)
    text = re.sub(rf"https://colab\.research\.google\.com/github/[\w.-]+/{re.escape(name)}/blob/"
                  r"[\w.-]+/", f"https://colab.research.google.com/github/{owner}/{name}/blob/"
                  f"{BRANCH}/", text)
    text = re.sub(rf"https://github\.com/[\w.-]+/{re.escape(name)}(?![\w.-])", repo, text)
    # nbgitpuller links carry the repository URL-encoded.
    text = re.sub(rf"repo=https%3A%2F%2Fgithub\.com%2F[\w.-]+%2F{re.escape(name)}(?![\w.-])",
                  "repo=" + quote(repo, safe=""), text)
    # pip's direct references, whatever address they had (the repository may have moved).
    text = re.sub(r"(\bteachgrad(?:\[[\w,]+\])?\s*@\s*)git\+https?://[^\s\"'`]+",
                  lambda m: f"{m[1]}git+{repo}", text)
    return text


# `pip install teachgrad`, `pip install "teachgrad[lab] @ git+URL"`, `!pip install …` (Colab):
# the requirement, its extras, and the address after @ (None: from PyPI).
PIP_INSTALL = re.compile(r"""pip install\s+(?:--?[\w-]+\s+)*(["']?)teachgrad(\[[\w,]+\])?"""
                         r"""(?:\s*@\s*([^\s"'`]+))?\1(?=[\s`)]|$)""", re.M)
# Words that present a PyPI command as one for later.
LATER = re.compile(r"\bonce (?:it is |teachgrad is )?released\b", re.I)
INSTALL_DOCS = ("README.md", "lectures/README.md", "lectures/GUIDE.md")


def install_problems(doc, text, repo):
    """The `pip install` commands of teachgrad in ``text`` that would fail today: from PyPI
    without saying "once released", or from another address than the repository's."""
    out, first, before = [], None, ""
    for number, line in enumerate(text.splitlines(), 1):
        for found in PIP_INSTALL.finditer(line):
            where = found.group(3)
            first = first or found
            # "once released" before the command, on its line or (a wrapped sentence) the last
            if where is None and not LATER.search(before + " " + line[:found.start()]):
                out.append(f"{doc}:{number}: {found.group(0)!r} installs from PyPI, where "
                           f"teachgrad is not yet: write @ git+{repo}, or say on the line that "
                           "it is for once teachgrad is released")
            elif where is not None and where != f"git+{repo}":
                out.append(f"{doc}:{number}: {found.group(0)!r} should install from "
                           f"git+{repo}")
        before = line
    if doc == "README.md" and (first is None or first.group(2) != "[lab]"
                               or first.group(3) != f"git+{repo}"):
        out.append(f'README.md: the first install command must be the quick start\'s '
                   f'pip install "teachgrad[lab] @ git+{repo}"')
    return out


def missing_targets(text, root=ROOT):
    """Files of this repository that README.md's raw links name but that do not exist."""
    owner, name = repository(root)
    prefix = f"https://raw.githubusercontent.com/{owner}/{name}/{BRANCH}/"
    return sorted({path for path in re.findall(re.escape(prefix) + r"([^)\s\"']+)", text)
                   if not (root / path).is_file()})


# README.md is also PyPI's project page, so its links must be absolute; the others are read on
# GitHub or beside the files they link to, and only need the right owner/name.
OTHER_DOCS = ("lectures/README.md", "lectures/GUIDE.md", "CONTRIBUTING.md", "CHANGELOG.md")


def problems(root=ROOT):
    """What is wrong with the documents' links, as lines of text (empty when all is well)."""
    owner, name = repository(root)
    text = (root / "README.md").read_text(encoding="utf-8")
    out = []
    if TABLE_START not in text or TABLE_END not in text:
        out.append(f"README.md: the lecture table must sit between {TABLE_START!r} and "
                   f"{TABLE_END!r}")
    for doc in ("README.md", *OTHER_DOCS):
        path = root / doc
        if not path.is_file():
            continue
        have = path.read_text(encoding="utf-8")
        want = fixed(have, owner, name, root, absolute=doc == "README.md")
        for number, (line, should) in enumerate(zip(have.splitlines(), want.splitlines()), 1):
            if line != should:
                out.append(f"{doc}:{number}: {line.strip()}\n    should be: {should.strip()}")
        if len(have.splitlines()) != len(want.splitlines()):
            out.append(f"{doc}: the lecture table does not list every lectures/*.ipynb")
    out += [f"README.md links to {path}, which does not exist"
            for path in missing_targets(text, root)]
    for doc in INSTALL_DOCS:
        if (root / doc).is_file():
            out += install_problems(doc, (root / doc).read_text(encoding="utf-8"),
                                    f"https://github.com/{owner}/{name}")
    return out


def main(argv):
    if argv[1:] == ["--fix"]:
        owner, name = repository()
        for doc in ("README.md", *OTHER_DOCS):
            path = ROOT / doc
            if path.is_file():
                text = path.read_text(encoding="utf-8")
                path.write_text(fixed(text, owner, name, absolute=doc == "README.md"),
                                encoding="utf-8")
    elif argv[1:]:
        print(__doc__, file=sys.stderr)
        return 2
    found = problems()
    for line in found:
        print(line)
    if found:
        print("run `python .ci/readme_links.py --fix` to rewrite these links", file=sys.stderr)
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
