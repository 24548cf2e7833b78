"""The ``teachgrad`` command end to end: files written, help, errors on stderr, hostile input."""

import os
import re
import subprocess
import sys
import xml.etree.ElementTree as ET

import pytest

from teachgrad import ops
from teachgrad.course.cli import main
from teachgrad.teaching import expressions

pytest.importorskip("graphviz")

SEED = "e = (a + b) * (b + 1)"


def run(*args, env=None, cwd=None):
    return subprocess.run([sys.executable, "-m", "teachgrad", *args], capture_output=True,
                          text=True, timeout=60, env=env, cwd=cwd)


def node_count(svg_text):
    root = ET.fromstring(svg_text)
    return sum(1 for g in root.iter("{http://www.w3.org/2000/svg}g")
               if g.get("class", "").split()[:1] == ["node"])


def test_render_svg_png_and_html(tmp_path):
    svg = tmp_path / "graph.svg"
    result = run("render", SEED, "a=2", "b=1", "-o", str(svg))
    assert result.returncode == 0, result.stderr
    assert result.stderr == "" and "wrote" in result.stdout
    text = svg.read_text(encoding="utf-8")
    assert node_count(text) == 5 and "∂e/∂c = d = 2" in text

    png = tmp_path / "step3.png"
    result = run("render", SEED, "a=2", "b=1", "--mode", "forward", "--wrt", "b", "--step", "3",
                 "-o", str(png))
    assert result.returncode == 0, result.stderr
    assert png.read_bytes().startswith(b"\x89PNG\r\n\x1a\n")

    page = tmp_path / "anim.html"
    result = run("render", SEED, "a=2", "b=1", "--mode", "reverse", "-o", str(page))
    assert result.returncode == 0, result.stderr
    html = page.read_text(encoding="utf-8")
    assert html.count('class="tg-frame"') == 6
    for control in ("tg-play", "tg-prev", "tg-next", "tg-slider", "tg-step-text"):
        assert f'class="{control}"' in html
    assert "b̄ = ∂c/∂b·c̄ + ∂d/∂b·d̄ = 1·2 + 1·3 = 5" in html


def test_in_process_matches_the_library(tmp_path):
    import teachgrad as tg
    out = tmp_path / "r.svg"
    assert main(["render", SEED, "a=2", "b=1", "--mode", "reverse", "--of", "e", "--step", "2",
                 "-o", str(out)]) == 0
    g = tg.trace(SEED, a=2, b=1)
    assert out.read_text(encoding="utf-8") == g.svg(mode="reverse", of="e", step=2)
    out = tmp_path / "lines.svg"
    assert main(["render", "c = a + b\nd = b + 1\ne = c * d", "a=2", "b=1.0", "-o",
                 str(out)]) == 0
    assert out.read_text(encoding="utf-8") == g.svg()
    out = tmp_path / "array.svg"
    assert main(["render", "y = sin(x) * x", "x=0,0.5,1", "-o", str(out)]) == 0
    assert "shape (3,)" in out.read_text(encoding="utf-8")


def test_help_explains_with_examples():
    top = run("--help")
    assert top.returncode == 0
    assert "render" in top.stdout and "examples:" in top.stdout
    assert 'teachgrad render "e = (a + b) * (b + 1)" a=2 b=1 -o graph.svg' in top.stdout
    sub = run("render", "--help")
    assert sub.returncode == 0
    for option in ("--mode", "--wrt", "--of", "--step", "-o FILE", "NAME=VALUE", ".html"):
        assert option in sub.stdout
    assert "--mode reverse -o anim.html" in sub.stdout
    assert "never run as Python" in sub.stdout
    bare = run()
    assert bare.returncode == 2 and "usage: teachgrad" in bare.stderr


def test_bad_expression_fails_on_stderr_and_writes_nothing(tmp_path):
    out = tmp_path / "x.svg"
    result = run("render", "e = (a + b * (b + 1)", "a=2", "b=1", "-o", str(out))
    assert result.returncode != 0
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) <= 2 and "Traceback" not in result.stderr
    assert re.search(r"line 1, column \d+", result.stderr)
    assert not out.exists()


@pytest.mark.parametrize("args, message", [
    (["e = a * b", "a=2", "b=two"], "'two' is not a number"),
    (["e = a * b", "a=2", "b"], "write NAME=VALUE"),
    (["e = a * b", "a=2", "b=1", "b=3"], "given twice"),
    (["e = a * b", "a=2"], "unknown name 'b'"),
    (["e = a * b", "a=2", "b=1", "c=1"], "not used"),
    (["e = a * b", "a=2", "b=1", "--step", "1"], "--step needs --mode"),
    (["e = a * b", "a=2", "b=1", "--mode", "forward", "--step", "9"], "out of range"),
    (["e = a * b", "a=2", "b=1", "--mode", "forward", "--wrt", "z"], "no node 'z'"),
    (["e = a * b", "a=2", "b=1", "--mode", "reverse", "--wrt", "a"], "--wrt"),
    (["e = a * b", "a=2", "b=1", "--of", "e"], "--of"),
])
def test_bad_arguments_fail_in_one_line(tmp_path, capsys, args, message):
    out = tmp_path / "x.svg"
    assert main(["render", *args, "-o", str(out)]) == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.startswith("teachgrad: error: ") and message in captured.err
    assert len(captured.err.strip().splitlines()) == 1
    assert not out.exists()


def test_unknown_suffix_and_missing_folder(tmp_path, capsys):
    assert main(["render", SEED, "a=2", "b=1", "-o", str(tmp_path / "x.jpg")]) == 1
    assert ".svg, .png, .pdf or .html" in capsys.readouterr().err
    assert main(["render", SEED, "a=2", "b=1", "-o", str(tmp_path / "no" / "x.svg")]) == 1
    assert "cannot write" in capsys.readouterr().err
    assert list(tmp_path.iterdir()) == []


def test_missing_graphviz_says_how_to_install(tmp_path):
    out = tmp_path / "x.svg"
    result = run("render", SEED, "a=2", "b=1", "-o", str(out), env={**os.environ, "PATH": ""})
    assert result.returncode == 1
    assert "apt-get install graphviz" in result.stderr and "brew install graphviz" in result.stderr
    assert "Traceback" not in result.stderr and len(result.stderr.strip().splitlines()) == 1
    assert not out.exists()


HOSTILE = [
    "__import__('os').system('touch {marker}')",
    "e = open('{marker}', 'w')",
    "e = a.__class__.__bases__[0].__subclasses__()",
    "import os; os.system('touch {marker}')",
    "e = [open('{marker}', 'w') for a in (1,)]",
    "e = (lambda: open('{marker}', 'w'))()",
    "e = exec(\"open('{marker}', 'w')\")",
    "e = eval(\"open('{marker}', 'w')\")",
    "e = a if open('{marker}', 'w') else a",
]


@pytest.mark.parametrize("source", HOSTILE)
def test_hostile_expressions_run_nothing(tmp_path, capsys, source):
    marker = tmp_path / "pwned"
    out = tmp_path / "graph.svg"
    assert main(["render", source.format(marker=marker), "a=1", "-o", str(out)]) == 1
    err = capsys.readouterr().err
    assert err.startswith("teachgrad: error: bad expression:") or "not used" in err
    assert list(tmp_path.iterdir()) == []            # neither the marker nor the output file


def test_hostile_expression_in_a_real_process(tmp_path):
    marker = tmp_path / "pwned"
    result = run("render", f"__import__('os').system('touch {marker}')", "-o", "out.html",
                 cwd=tmp_path)
    assert result.returncode == 1 and "not allowed" in result.stderr
    assert list(tmp_path.iterdir()) == []


EXPRESSION_OPS = [p for p in ops.REGISTRY.values() if p.expression]


def test_the_cli_help_lists_every_expression_function(capsys):
    with pytest.raises(SystemExit):
        main(["render", "--help"])
    listed = capsys.readouterr().out.split("and the functions")[1].split("Nothing else")[0]
    assert listed.split() == [p.function for p in EXPRESSION_OPS[:-1]] + \
        [EXPRESSION_OPS[-1].function + "."]
    assert list(expressions.FUNCTIONS) == [p.function for p in EXPRESSION_OPS]
