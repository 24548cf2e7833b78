"""``teachgrad html``: notebooks as HTML pages with MathJax beside them, nothing from a network.

Real nbconvert and the real MathJax of the slides extra; no browser
(tests/browser/test_pages_in_browser.py opens a page offline and finds its maths typeset).
"""

import re

import nbformat
import pytest

from teachgrad.course import pages, slides
from teachgrad.course.cli import main

pytest.importorskip("nbconvert")


@pytest.fixture
def notebook(tmp_path):
    nb = nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_markdown_cell(
            "# Seed\n\n$e = (a + b)(b + 1)$ and $$\\partial e/\\partial b = 5$$"),
        nbformat.v4.new_code_cell("1 + 1", outputs=[nbformat.v4.new_output(
            "execute_result", data={"text/plain": "2"}, execution_count=1)]),
        nbformat.v4.new_code_cell("player", outputs=[nbformat.v4.new_output(
            "display_data", data={slides.WIDGET_VIEW: {"model_id": "x", "version_major": 2,
                                                       "version_minor": 0},
                                  "text/plain": "Player(...)"})]),
    ])
    path = tmp_path / "seed.ipynb"
    nbformat.write(nb, path)
    return path


def test_a_page_per_notebook_with_mathjax_beside_it_and_no_network(tmp_path, notebook, capsys):
    if slides.find_mathjax() is None:
        pytest.fail("the slides extra (jupyter-server-mathjax) is missing", pytrace=False)
    out = tmp_path / "out"
    assert main(["html", str(notebook), "-o", str(out)]) == 0
    assert (out / "mathjax" / "MathJax.js").is_file()
    html = (out / "seed.html").read_text(encoding="utf-8")
    assert slides.external_references(html) == []
    loaded = re.findall(r'<script[^>]*\bsrc="([^"]+)"|<link[^>]*\bhref="([^"]+)"', html)
    assert sorted({s or h for s, h in loaded}) == [
        "mathjax/MathJax.js?config=TeX-AMS-MML_HTMLorMML-full,Safe"]
    assert "$e = (a + b)(b + 1)$" in html and "require.js" not in html and "unpkg" not in html
    assert slides.WIDGET_VIEW not in html and "interactive widget" in html
    err = capsys.readouterr()
    assert "seed.ipynb → " in err.err and "wrote 1 page into" in err.out
    # nbconvert's own page loads MathJax from a CDN: offline, its maths stays raw $…$
    from nbconvert import HTMLExporter

    theirs, _ = HTMLExporter(template_name="lab").from_filename(str(notebook))
    assert any("mathjax" in url.lower() for url in slides.external_references(theirs))


def test_errors_are_one_line_and_write_nothing(tmp_path, notebook, monkeypatch, capsys):
    assert main(["html", str(tmp_path / "missing.ipynb"), "-o", str(tmp_path / "out")]) == 1
    err = capsys.readouterr().err
    assert err.startswith("teachgrad: error: no such notebook: ") and len(err.splitlines()) == 1
    (tmp_path / "bad.ipynb").write_text("{ not a notebook")
    assert main(["html", str(tmp_path / "bad.ipynb"), "-o", str(tmp_path / "out")]) == 1
    assert "cannot read bad.ipynb" in capsys.readouterr().err
    (tmp_path / "a-file").write_text("x")
    assert main(["html", str(notebook), "-o", str(tmp_path / "a-file")]) == 1
    assert "it is a file, not a folder" in capsys.readouterr().err
    # Without MathJax the pages would show raw $…$: refused, with what to install.
    monkeypatch.setattr(slides, "find_mathjax", lambda: None)
    assert main(["html", str(notebook), "-o", str(tmp_path / "none")]) == 1
    err = capsys.readouterr().err
    assert "pip install jupyter-server-mathjax" in err and not (tmp_path / "none").exists()


def test_html_help_explains_the_command(capsys):
    with pytest.raises(SystemExit) as done:
        main(["html", "--help"])
    assert done.value.code == 0
    text = capsys.readouterr().out
    for words in ("usage: teachgrad html", "NOTEBOOK", "-o OUT", "offline", "CDN",
                  "pip install nbconvert jupyter-server-mathjax", "examples:"):
        assert words in text, words
    assert pages.MATHJAX_FOLDER == "mathjax"
