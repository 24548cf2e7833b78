"""The README's tour commands work where a pip user types them, and the pictures the README shows
beside them are what those commands draw.

Each ``teachgrad render … -o NAME.svg`` line of the README runs here as written, in an empty
folder (not a checkout): it must write NAME.svg there, and lectures/images/NAME.svg — the
picture the README shows — must be that file. Byte for byte with the Graphviz the pictures were
made with (Debian 12's dot 2.43, what CI here runs); with another dot, which places things a
little differently, the same nodes, edges, classes and texts. After a change to the drawings,
make them again from lectures/images/: ``cd lectures/images && teachgrad render …``.
"""

import re
import shlex
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

pytest.importorskip("graphviz")

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")
IMAGES = ROOT / "lectures" / "images"
# The dot that drew the stored pictures; byte equality is asked of this version only.
STORED_WITH_DOT = "2.43.0"
SVG = "{http://www.w3.org/2000/svg}"


def tour_commands():
    """The README's `teachgrad render` lines inside code blocks, as written."""
    blocks = re.findall(r"^```[^\n]*\n(.*?)^```", README, re.M | re.S)
    return [line.strip() for block in blocks for line in block.splitlines()
            if line.strip().startswith("teachgrad render ")]


def output_of(command):
    args = shlex.split(command)
    return args[args.index("-o") + 1]


def dot_version():
    if shutil.which("dot") is None:
        pytest.skip("Graphviz's dot is not installed")
    said = subprocess.run(["dot", "-V"], capture_output=True, text=True).stderr
    found = re.search(r"version (\d+\.\d+\.\d+)", said)
    return found.group(1) if found else said


def drawn(svg_text):
    """What a picture shows, without where: every node's and edge's title, class and texts."""
    root = ET.fromstring(svg_text)
    shown = []
    for group in root.iter(f"{SVG}g"):
        kind = group.get("class", "")
        if kind.split()[:1] in (["node"], ["edge"], ["cluster"]):
            title = group.find(f"{SVG}title")
            texts = ["".join(t.itertext()) for t in group.iter(f"{SVG}text")]
            shown.append((kind, title.text if title is not None else None, texts))
    legend = ["".join(t.itertext()) for t in root.find(f"{SVG}g").findall(f"{SVG}text")]
    return shown, legend


def test_the_tour_has_commands_that_write_into_the_current_folder():
    commands = tour_commands()
    assert len(commands) >= 3, commands
    for command in commands:
        assert "/" not in output_of(command), f"{command!r} writes outside the current folder"


@pytest.mark.parametrize("command", [c for c in tour_commands() if output_of(c).endswith(".svg")])
def test_a_stored_readme_picture_is_what_its_command_draws(tmp_path, command):
    name = output_of(command)
    assert f"/lectures/images/{name})" in README, f"the README should show {name} after {command!r}"
    args = shlex.split(command)
    done = subprocess.run([sys.executable, "-m", "teachgrad", *args[1:]], capture_output=True,
                          text=True, cwd=tmp_path, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith(f"teachgrad: wrote {name} ")
    made = (tmp_path / name).read_text(encoding="utf-8")
    stored = (IMAGES / name).read_text(encoding="utf-8")
    again = f"the stored picture is stale: cd lectures/images && {command}"
    assert drawn(stored) == drawn(made), again
    if dot_version() == STORED_WITH_DOT:
        assert stored == made, again


def test_the_comparison_sees_a_changed_picture():
    """drawn() tells pictures apart by what they show (a renamed node, a changed value)."""
    stored = (IMAGES / "seed-graph.svg").read_text(encoding="utf-8")
    assert drawn(stored) == drawn(re.sub(r'(x|y)="[-\d.]+"', r'\1="0"', stored))  # moved only
    assert drawn(stored) != drawn(stored.replace("<title>n0</title>", "<title>a</title>", 1))
    assert drawn(stored) != drawn(stored.replace("= 6<", "= 7<", 1))
