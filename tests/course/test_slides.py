"""``teachgrad slides``: one offline reveal.js deck per notebook, clear errors, atomic writes.

Real nbconvert, real Graphviz (for the animation), real reveal.js from the slides extra; no
browser (tests/browser/test_slides_in_browser.py plays a deck in Chromium).
"""

import re

import nbformat
import pytest

import teachgrad as tg
from teachgrad import render
from teachgrad.course import slides
from teachgrad.course.cli import main

pytest.importorskip("nbconvert")

WIDGET = "application/vnd.jupyter.widget-view+json"


@pytest.fixture(scope="module")
def reveal():
    try:
        return slides.find_reveal()
    except slides.SlidesError as error:
        pytest.fail(f"teachgrad's reveal.js files are missing: {error}",
                    pytrace=False)


def cell(kind, source, slide_type, outputs=()):
    made = (nbformat.v4.new_markdown_cell(source) if kind == "md"
            else nbformat.v4.new_code_cell(source, outputs=list(outputs)))
    made.metadata["slideshow"] = {"slide_type": slide_type}
    return made


def html_output(html):
    return nbformat.v4.new_output("display_data", data={"text/html": html, "text/plain": "<x>"})


def write_notebooks(folder):
    """Two small lectures: one with an animation and a widget, one with math and a fragment."""
    folder.mkdir(parents=True, exist_ok=True)
    graph = tg.trace("e = (a + b) * (b + 1)", a=2, b=1)
    animation = render.animation_html(graph, "reverse", standalone=False)   # what .static() shows
    widget = nbformat.v4.new_output("display_data", data={
        WIDGET: {"model_id": "abc", "version_major": 2, "version_minor": 0},
        "text/plain": "PropagationPlayer(...)"})
    one = nbformat.v4.new_notebook(cells=[
        cell("md", "# Lecture A", "slide"),
        cell("md", "## The graph", "slide"),
        cell("code", "player", "-", [widget]),
        cell("code", "player.static()", "slide", [html_output(animation)]),
        cell("md", "**Speaker notes.** Ask which node comes first.", "notes"),
        cell("code", "import teachgrad as tg", "skip"),
    ])
    two = nbformat.v4.new_notebook(cells=[
        cell("md", "# Lecture B", "slide"),
        cell("md", "$e = (a + b)(b + 1)$", "-"),
        cell("md", "and then $\\partial e/\\partial b = 5$", "fragment"),
        cell("md", "### More", "subslide"),
    ])
    nbformat.write(one, folder / "a.ipynb")
    nbformat.write(two, folder / "b.ipynb")
    return animation


def test_builds_a_deck_per_notebook_that_loads_only_local_files(tmp_path, reveal, capsys):
    animation = write_notebooks(tmp_path / "nb")
    out = tmp_path / "out"
    assert main(["slides", str(tmp_path / "nb"), "-o", str(out)]) == 0
    decks = sorted(p.name for p in out.glob("*.slides.html"))
    assert decks == ["a.slides.html", "b.slides.html"]
    for name in ("dist/reveal.js", "dist/reveal.css", "dist/theme/white.css",
                 "plugin/notes/notes.js", "LICENSE"):
        assert (out / "reveal.js" / name).is_file(), name
    assert not list((out / "reveal.js").rglob("*.map"))          # what a deck never loads
    a = (out / "a.slides.html").read_text(encoding="utf-8")
    b = (out / "b.slides.html").read_text(encoding="utf-8")
    for html in (a, b):
        assert slides.external_references(html) == []
        fetched = re.findall(r'<script[^>]*\bsrc="([^"]+)"|<link[^>]*\bhref="([^"]+)"', html)
        fetched = sorted({s or h for s, h in fetched})
        assert all(f.startswith(("reveal.js/", "mathjax/")) for f in fetched), fetched
        assert "reveal.js/dist/reveal.js" in fetched and "reveal.js/plugin/notes/notes.js" in fetched
        assert "Reveal.initialize(" in html and "require(" not in html   # no require.js, no CDN
        assert "unpkg.com" not in html and "cdnjs" not in html and "jquery" not in html.lower()
    # The animation arrives whole: its root, every frame, its script with the root's id.
    uid = re.search(r'<div class="tg-animation" id="([^"]+)"', animation).group(1)
    script = re.search(r"<script>\n(.*?)</script>", animation, re.S).group(1)
    assert f'id="{uid}"' in a and a.count('class="tg-frame"') == animation.count('class="tg-frame"')
    assert script in a
    # Slides where the metadata says: a has 3 slides (title, "The graph", the animation) + notes.
    assert a.count('<aside class="notes">') == 1
    assert "Ask which node comes first" in a and "import teachgrad as tg" not in a   # skip
    assert WIDGET not in a and "interactive widget" in a
    assert 'class="fragment"' in b and "\\partial e/\\partial b" in b
    err = capsys.readouterr().err
    assert "[1/2] a.ipynb" in err and "(3 slides" in err and "[2/2] b.ipynb" in err
    assert "reveal.js 4." in err


def test_a_second_build_rewrites_decks_but_not_unchanged_assets(tmp_path, reveal, capsys):
    write_notebooks(tmp_path / "nb")
    out = tmp_path / "out"
    assert main(["slides", str(tmp_path / "nb"), "-o", str(out)]) == 0
    capsys.readouterr()
    assert main(["slides", str(tmp_path / "nb"), "-o", str(out)]) == 0
    assert "(0 files written)" in capsys.readouterr().err


def test_a_folder_without_notebooks_is_a_clear_error(tmp_path, capsys):
    (tmp_path / "notes.md").write_text("no notebooks here")
    assert main(["slides", str(tmp_path), "-o", str(tmp_path / "out")]) == 1
    err = capsys.readouterr().err
    assert err.strip() == (f"teachgrad: error: no notebooks (*.ipynb) in {str(tmp_path)!r}: "
                           "give a folder that holds lecture notebooks")
    assert not (tmp_path / "out").exists()
    assert main(["slides", str(tmp_path / "missing")]) == 1
    assert "is not a folder" in capsys.readouterr().err


def test_teachgrad_ships_the_reveal_files_a_deck_loads_and_no_more(tmp_path, reveal, capsys):
    """reveal.js comes inside the package (no Sphinx): exactly slides.REVEAL_FILES, reveal.js 4
    under its MIT licence, and a build copies exactly those beside the decks."""
    assert reveal == slides._shipped_reveal()
    shipped = sorted(p.relative_to(reveal).as_posix() for p in reveal.rglob("*") if p.is_file())
    assert shipped == sorted(slides.REVEAL_FILES)
    assert (reveal / "dist" / "reveal.js").read_text(encoding="utf-8").startswith(
        "/*!\n* reveal.js 4.")
    assert "Permission is hereby granted, free of charge" in (reveal / "LICENSE").read_text()
    # Every url() the theme's style sheets load with a modern browser's format is shipped.
    theme = reveal / "dist" / "theme"
    imported = re.findall(r"@import url\(\./([^)]+)\)", (theme / "white.css").read_text())
    assert imported == ["fonts/source-sans-pro/source-sans-pro.css"]
    fonts = (theme / imported[0]).read_text()
    woff = re.findall(r"url\('\./([^']+\.woff)'\) format\('woff'\)", fonts)
    assert len(woff) == 4 and all((theme / "fonts" / "source-sans-pro" / f).is_file() for f in woff)
    write_notebooks(tmp_path / "nb")
    assert main(["slides", str(tmp_path / "nb"), "-o", str(tmp_path / "out")]) == 0
    copied = tmp_path / "out" / "reveal.js"
    assert sorted(p.relative_to(copied).as_posix() for p in copied.rglob("*") if p.is_file()) \
        == shipped
    assert f"({len(shipped)} files written)" in capsys.readouterr().err


def test_missing_reveal_says_how_to_get_it(tmp_path, monkeypatch, capsys):
    write_notebooks(tmp_path / "nb")
    monkeypatch.delenv("TEACHGRAD_REVEAL_JS", raising=False)
    # A damaged installation: teachgrad's own reveal.js folder is gone.
    monkeypatch.setattr(slides, "_shipped_reveal", lambda: tmp_path / "gone")
    assert main(["slides", str(tmp_path / "nb"), "-o", str(tmp_path / "out")]) == 1
    err = capsys.readouterr().err
    assert err.startswith("teachgrad: error: teachgrad's own reveal.js files are missing ")
    assert "pip install --force-reinstall" in err and "npm pack reveal.js@4" in err
    assert len(err.splitlines()) == 1 and not (tmp_path / "out").exists()
    # A folder given that is not reveal.js: which files it lacks.
    (tmp_path / "fake" / "dist").mkdir(parents=True)
    (tmp_path / "fake" / "dist" / "reveal.js").write_text("/*! reveal.js 4.6.0 */")
    assert main(["slides", str(tmp_path / "nb"), "--reveal", str(tmp_path / "fake")]) == 1
    err = capsys.readouterr().err
    assert "has no dist/reveal.css, dist/theme/white.css, plugin/notes/notes.js" in err
    assert "neither --reveal nor TEACHGRAD_REVEAL_JS" in err


def test_reveal_from_another_folder_and_an_old_version(tmp_path, reveal, capsys):
    write_notebooks(tmp_path / "nb")
    old_reveal = tmp_path / "reveal-3"
    for name in ("dist/reveal.js", "dist/reveal.css", "dist/theme/white.css",
                 "plugin/notes/notes.js"):
        (old_reveal / name).parent.mkdir(parents=True, exist_ok=True)
        (old_reveal / name).write_text((reveal / name).read_text(encoding="utf-8")
                                            .replace("reveal.js 4.", "reveal.js 3.", 1))
    assert main(["slides", str(tmp_path / "nb"), "--reveal", str(old_reveal)]) == 1
    assert "holds reveal.js 3." in capsys.readouterr().err
    assert main(["slides", str(tmp_path / "nb"), "-o", str(tmp_path / "out"),
                 "--reveal", str(reveal)]) == 0


def test_a_failed_build_leaves_existing_decks_as_they_were(tmp_path, reveal, capsys):
    write_notebooks(tmp_path / "nb")
    out = tmp_path / "out"
    out.mkdir()
    old = "<html>last week's deck</html>"
    (out / "b.slides.html").write_text(old)
    (tmp_path / "nb" / "b.ipynb").write_text("{ not a notebook")
    assert main(["slides", str(tmp_path / "nb"), "-o", str(out)]) == 1
    err = capsys.readouterr().err
    assert "teachgrad: error: cannot read b.ipynb: " in err and "Traceback" not in err
    assert (out / "b.slides.html").read_text() == old
    assert (out / "a.slides.html").is_file()                  # decks before it are complete
    assert not [p for p in out.iterdir() if p.name.endswith(".tmp")]   # no temporary leftovers


def test_an_unwritable_out_is_a_clear_error(tmp_path, reveal, capsys):
    write_notebooks(tmp_path / "nb")
    (tmp_path / "a-file").write_text("x")
    assert main(["slides", str(tmp_path / "nb"), "-o", str(tmp_path / "a-file")]) == 1
    assert "cannot write the slides into" in capsys.readouterr().err and \
        (tmp_path / "a-file").read_text() == "x"
    assert main(["slides", str(tmp_path / "nb"), "-o", str(tmp_path / "a-file" / "sub")]) == 1
    err = capsys.readouterr().err
    assert err.startswith("teachgrad: error: cannot write the slides into ") and "Traceback" not in err
    # A deck's name taken by a folder: the error names it and the folder is untouched.
    out = tmp_path / "out"
    (out / "a.slides.html").mkdir(parents=True)
    assert main(["slides", str(tmp_path / "nb"), "-o", str(out)]) == 1
    assert "a.slides.html" in capsys.readouterr().err and (out / "a.slides.html").is_dir()


def test_slides_help_explains_the_command(capsys):
    with pytest.raises(SystemExit) as done:
        main(["slides", "--help"])
    assert done.value.code == 0
    text = capsys.readouterr().out
    for words in ("usage: teachgrad slides", "DIR", "-o OUT", "--reveal", "network",
                  "comes with teachgrad", "pip install nbconvert jupyter-server-mathjax",
                  "npm pack reveal.js@4", "examples:"):
        assert words in text, words


# ------------------------------------------------------------------------------------------------
# Class decks from the solution notebooks: no worked answer, no sealed "right — …", notes kept
# ------------------------------------------------------------------------------------------------

LECTURES = sorted((__import__("pathlib").Path(__file__).resolve().parents[2] / "lectures")
                  .glob("*.ipynb"))


def test_the_deck_tests_see_all_six_lectures():
    # the tests below loop over LECTURES: an empty list (a wrong path) would pass them all
    assert [p.name[:3] for p in LECTURES] == ["01-", "02-", "03-", "04-", "05-", "06-"]


def _solution_texts(nb):
    """What a class deck must not show: each worked-answer line (those also written outside a
    solution, like ``print(...)`` scaffolding, excepted), every output of an exercise cell."""
    from teachgrad.course import handouts

    elsewhere = "\n".join(cell.source for cell in slides.deck_notebook(nb).cells)
    lines = {line.strip() for line in handouts.solution_lines(nb)}
    lines = {line for line in lines if len(line) > 12 and line not in elsewhere}
    outputs = set()
    for cell in nb.cells:
        if "nbgrader" in cell.metadata:
            for output in cell.get("outputs", []):
                text = output.get("text") or output.get("data", {}).get("text/plain", "")
                outputs |= {line.strip() for line in "".join(text).splitlines()
                            if len(line.strip()) > 12}
    return lines, outputs


def _visible_text(html):
    """The deck's text as a browser shows it: tags dropped, entities decoded."""
    import html as html_module

    return html_module.unescape(re.sub(r"<[^>]+>", "", html))


@pytest.mark.parametrize("lecture", LECTURES, ids=lambda p: p.stem)
def test_a_class_deck_hides_the_answers_and_keeps_the_speaker_notes(lecture, reveal):
    nb = nbformat.read(str(lecture), as_version=4)
    lines, outputs = _solution_texts(nb)
    assert outputs and any(o.startswith("right —") for o in outputs), "no sealed answers to hide?"
    shown = _visible_text(slides.deck_html(lecture))
    assert "BEGIN SOLUTION" not in shown and "END SOLUTION" not in shown
    # (the prose may say "right — …"; the sealed strings are the exercise cells' outputs)
    leaked = sorted(line for line in lines | outputs if line in shown)
    assert leaked == [], f"{lecture.name}: the class deck shows worked answers: {leaked[:5]}"
    assert "exercises.check_" not in shown and "k2:" not in shown      # check bodies hidden
    notes = [c.source for c in nb.cells
             if c.metadata.get("slideshow", {}).get("slide_type") == "notes"]
    assert notes, lecture.name
    html = slides.deck_html(lecture)
    assert html.count('<aside class="notes">') >= 1
    asides = _visible_text("".join(re.findall(r'<aside class="notes">(.*?)</aside>', html, re.S)))
    for note in notes:                  # every speaker note is in the notes, word for word
        first = re.sub(r"[*`$\\]", "", note.splitlines()[0])[:40]
        assert first.split("Speaker notes.")[-1].strip()[:25] in re.sub(r"[*`$\\]", "", asides)


def test_the_instructor_deck_shows_the_answers_and_the_checks_outputs(tmp_path, reveal, capsys):
    lecture = next(p for p in LECTURES if p.name.startswith("04-"))
    nb = nbformat.read(str(lecture), as_version=4)
    lines, outputs = _solution_texts(nb)
    (tmp_path / "nb").mkdir()
    (tmp_path / "nb" / lecture.name).write_bytes(lecture.read_bytes())
    assert main(["slides", str(tmp_path / "nb"), "-o", str(tmp_path / "out"), "--instructor"]) == 0
    made = sorted(p.name for p in (tmp_path / "out").glob("*.html"))
    assert made == [f"{lecture.stem}.instructor.slides.html", f"{lecture.stem}.slides.html"]
    shown = _visible_text((tmp_path / "out" / made[0]).read_text(encoding="utf-8"))
    assert all(line in shown for line in lines), [line for line in lines if line not in shown]
    assert "right —" in shown and "BEGIN SOLUTION" not in shown and "k2:" not in shown
    assert "instructor.slides.html" in capsys.readouterr().err


def test_unpaired_solution_markers_are_a_clear_error():
    cell = nbformat.v4.new_code_cell("x = 1\n### BEGIN SOLUTION\nx = 2")
    with pytest.raises(slides.SlidesError, match=r"lecture.ipynb, cell 0: ### BEGIN SOLUTION "
                                                 r"without ### END SOLUTION"):
        slides.deck_notebook(nbformat.v4.new_notebook(cells=[cell]), name="lecture.ipynb")
