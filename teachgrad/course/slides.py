"""Lecture notebooks as reveal.js slide decks that open offline: ``teachgrad slides [DIR] [-o OUT]``.

Each notebook's cells say what they are on a slide (``metadata.slideshow.slide_type``: ``slide``,
``subslide``, ``fragment``, ``-``, ``skip``, ``notes``); nbconvert's ``SlidesExporter`` turns the
notebook into one HTML deck, ``NAME.slides.html``. The exporter's own template fetches reveal.js,
jQuery, require.js, MathJax and the widget manager from CDNs, so a deck shown in a lecture hall
without a network would be a blank page. :func:`build` therefore renders with teachgrad's
template (``slides.html`` beside this module) and copies what the decks load into OUT::

    OUT/01-graph-model.slides.html      one deck per notebook
    OUT/reveal.js/                      reveal.js 4 (the files a deck loads, its licence)
    OUT/mathjax/                        MathJax 2, for the $…$ in the prose (when installed)

so OUT is self-contained: copy the folder anywhere and open a deck in a browser (press S for the
speaker notes). reveal.js comes with teachgrad: ``teachgrad/course/reveal.js/`` holds the few files of
reveal.js 4.6.0 (MIT licence, its ``LICENSE`` beside them) that a deck loads — the script, its
style sheet, the white theme with its Source Sans Pro fonts (SIL OFL 1.1) and the speaker-notes
plugin (:data:`REVEAL_FILES`). MathJax 2.7 (Apache-2.0) comes from ``jupyter-server-mathjax``
and nbconvert from PyPI: the ``slides`` extra installs both. Any reveal.js 4 or 5 folder works
too (``--reveal DIR``, or ``TEACHGRAD_REVEAL_JS``), e.g. the npm package unpacked:
``npm pack reveal.js@4 && tar -xzf reveal.js-4.*.tgz`` gives ``package/``.

The kernel-free animations (``PropagationPlayer(...).static()``, ``Graph.animation()``) are HTML
with an inline script; nbconvert keeps them as they are, the script runs as the deck loads, and
Play, Prev/Next and the slider work on their slide. Interactive widgets need a kernel: a deck shows
a one-line note in their place. A code cell tagged ``hide-input`` (Jupyter Book's tag) shows
only its output on its slide — a figure's plotting code stays in the notebook.

A lecture notebook is the solution version (nbgrader's ``### BEGIN SOLUTION`` blocks, the check
cells' sealed "right — …" outputs): what the room sees is its *class* version
(:func:`deck_notebook`): the worked answers, solution cells and every exercise cell's outputs gone,
each check cell shown as its first line (``# check exercise 1``), the speaker notes kept (press
S). ``--instructor`` also writes ``NAME.instructor.slides.html``, with the worked answers and the
checks' outputs, for the teacher's own screen.

Writing is atomic per file (:func:`teachgrad.render.files.replace_file`): a failed build leaves
every deck already in OUT as it was.

>>> import pathlib, tempfile
>>> with tempfile.TemporaryDirectory() as folder:
...     notebooks(folder)
Traceback (most recent call last):
...
teachgrad.errors.SlidesError: no notebooks (*.ipynb) in ...: give a folder that holds lecture notebooks
"""

import os
import re
import sys
import time
from importlib import resources
from importlib.util import find_spec
from pathlib import Path

from ..errors import SlidesError

__all__ = ["SlidesError", "DEFAULT_OUT", "REVEAL_FOLDER", "REVEAL_FILES", "MATHJAX_FOLDER",
           "FOLDER_HELP", "INSTALL_HELP",
           "HIDE_INPUT", "CLASS", "INSTRUCTOR", "WIDGET_VIEW", "notebooks", "deck_notebook",
           "load_notebook", "without_widgets", "copy_files", "find_reveal", "find_mathjax",
           "deck_html", "external_references", "build"]

DEFAULT_OUT = "teachgrad-slides"
HIDE_INPUT = "hide-input"            # the cell tag: on a slide, the output without its code
REVEAL_FOLDER = "reveal.js"          # OUT/reveal.js/…, the decks' reveal_url_prefix
MATHJAX_FOLDER = "mathjax"
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
# A deck's own coordinates: 16:9 like a projector, so at 1280 × 720 reveal.js draws it at 0.77 of
# this size and fills the screen (a 1000-wide deck left 40 % of a 16:9 screen empty and cut code).
DECK_SIZE = (1600, 900)
CLASS, INSTRUCTOR = "class", "instructor"     # the two decks of a lecture: for the room, for you
_SOLUTION_MARKERS = ("### BEGIN SOLUTION", "### END SOLUTION")     # nbgrader's, as handouts.py

# What a deck loads from reveal.js (nbconvert's reveal template and ours): checked before use.
_REVEAL_NEEDS = ("dist/reveal.js", "dist/reveal.css", "dist/theme/white.css",
                 "plugin/notes/notes.js")
_FONTS = "dist/theme/fonts/source-sans-pro/"
# Everything a deck loads, and the licences: what teachgrad ships in reveal.js/ beside this module
# and what build() copies into OUT/reveal.js/. white.css imports the fonts' style sheet, which
# lists .eot, .woff and .ttf for each face; browsers take the .woff, so only those are here.
REVEAL_FILES = ("LICENSE", *_REVEAL_NEEDS, _FONTS + "LICENSE", _FONTS + "source-sans-pro.css",
                *(f"{_FONTS}source-sans-pro-{face}.woff"
                  for face in ("regular", "italic", "semibold", "semibolditalic")))
_MATHJAX_CONFIG = "TeX-AMS-MML_HTMLorMML-full,Safe"

_NPM_HINT = "e.g. `npm pack reveal.js@4 && tar -xzf reveal.js-4.*.tgz` gives ./package"
# For a folder given with --reveal or TEACHGRAD_REVEAL_JS that will not do.
FOLDER_HELP = (f"give a reveal.js 4 or 5 folder ({_NPM_HINT}), or neither --reveal nor "
               "TEACHGRAD_REVEAL_JS for the reveal.js that comes with teachgrad")
# For teachgrad's own files gone missing (a damaged installation).
INSTALL_HELP = ("reinstall teachgrad (pip install --force-reinstall, as you installed it), "
                f"or give a reveal.js 4 folder with --reveal DIR ({_NPM_HINT})")

_WIDGET_NOTE = ('<p class="tg-widget-note">An interactive widget is here when the notebook runs '
                'in JupyterLab; the slides show its kernel-free pictures.</p>')

# A deck must load nothing from a network: these are the attributes that make a browser fetch.
_FETCHING = re.compile(
    r"""<(?:script|link|img|iframe|source|video|audio|embed)\b[^>]*?\b(?:src|href)\s*=\s*"""
    r"""["']?((?:https?:)?//[^"'\s>]+)""", re.I)
_IMPORT = re.compile(r"""(?:@import\s+(?:url\()?|\burl\()\s*["']?((?:https?:)?//[^"')\s]+)""",
                     re.I)


def notebooks(folder):
    """The notebooks in ``folder`` (not in its subfolders), sorted by name.

    >>> [p.name for p in notebooks(__import__("teachgrad.course.lectures").course.lectures.source())][:2]
    ['01-graph-model.ipynb', '02-tensors.ipynb']
    """
    folder = Path(folder)
    if not folder.is_dir():
        raise SlidesError(f"{str(folder)!r} is not a folder: give a folder that holds lecture "
                          "notebooks (*.ipynb)")
    found = sorted(p for p in folder.glob("*.ipynb") if p.is_file())
    if not found:
        raise SlidesError(f"no notebooks (*.ipynb) in {str(folder)!r}: give a folder that holds "
                          "lecture notebooks")
    return found


def _reveal_version(folder):
    head = (folder / "dist" / "reveal.js").read_text(encoding="utf-8", errors="replace")[:400]
    found = re.search(r"reveal\.js\s+v?(\d+)\.(\d+)\.(\d+)", head)
    return tuple(int(n) for n in found.groups()) if found else None


def _check_reveal(folder, said, what_to_do=FOLDER_HELP):
    folder = Path(folder)
    missing = [name for name in _REVEAL_NEEDS if not (folder / name).is_file()]
    if missing:
        raise SlidesError(f"{said} {str(folder)!r} is not a reveal.js folder (it has no "
                          f"{', '.join(missing)}): {what_to_do}")
    version = _reveal_version(folder)
    if version is not None and version[0] not in (4, 5):
        raise SlidesError(f"{said} {str(folder)!r} holds reveal.js "
                          f"{'.'.join(map(str, version))}; the decks need reveal.js 4 or 5: "
                          f"{what_to_do}")
    return folder


def _package_folder(name):
    # find_spec locates a package without importing it (jupyter_server_mathjax imports the server).
    try:
        spec = find_spec(name)
    except (ImportError, ValueError):        # a broken install, or a module blocked in sys.modules
        return None
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(list(spec.submodule_search_locations)[0])


def _shipped_reveal():
    """The reveal.js files that come with teachgrad (package data beside this module)."""
    return Path(str(resources.files(__package__).joinpath(REVEAL_FOLDER)))


def find_reveal(folder=None):
    """The reveal.js folder the decks use: ``folder``, else ``$TEACHGRAD_REVEAL_JS``, else the one
    that comes with teachgrad. A :class:`SlidesError` says what is wrong with a folder.

    >>> find_reveal().name, _reveal_version(find_reveal())
    ('reveal.js', (4, 6, 0))
    >>> find_reveal("/nowhere")
    Traceback (most recent call last):
    ...
    teachgrad.errors.SlidesError: --reveal '/nowhere' is not a reveal.js folder (it has no dist/reveal.js, ...
    """
    if folder is not None:
        return _check_reveal(folder, "--reveal")
    if os.environ.get("TEACHGRAD_REVEAL_JS"):
        return _check_reveal(os.environ["TEACHGRAD_REVEAL_JS"], "TEACHGRAD_REVEAL_JS=")
    shipped = _shipped_reveal()
    if not (shipped / "dist" / "reveal.js").is_file():
        raise SlidesError(f"teachgrad's own reveal.js files are missing ({shipped}): "
                          f"{INSTALL_HELP}")
    return _check_reveal(shipped, "teachgrad's reveal.js folder", INSTALL_HELP)


def find_mathjax():
    """MathJax 2's folder from the ``jupyter-server-mathjax`` package, or None (the decks then
    show the prose's ``$…$`` as written).

    >>> find_mathjax() is None or (find_mathjax() / "MathJax.js").is_file()
    True
    """
    root = _package_folder("jupyter_server_mathjax")
    if root is not None and (root / "static" / "MathJax.js").is_file():
        return root / "static"
    return None


def without_widgets(nb):
    """The notebook with each widget view replaced by a note (a deck or a page has no kernel to
    draw it); changes ``nb`` and returns it.

    >>> import nbformat
    >>> view = nbformat.v4.new_output("display_data", data={WIDGET_VIEW: {"model_id": "m"}})
    >>> nb = without_widgets(nbformat.v4.new_notebook(cells=[
    ...     nbformat.v4.new_code_cell("player", outputs=[view])]))
    >>> list(nb.cells[0].outputs[0].data)
    ['text/html']
    """
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            if WIDGET_VIEW in data:
                output["data"] = {"text/html": _WIDGET_NOTE}
    nb.metadata.pop("widgets", None)
    return nb


def _source(cell):
    source = cell.get("source", "")
    return "".join(source) if isinstance(source, list) else source


def _without_solution_lines(text, where):
    """``text`` without nbgrader's solution blocks (markers and answer); a :class:`SlidesError`
    when the markers do not pair up."""
    begin, end = _SOLUTION_MARKERS
    kept, inside = [], False
    for number, line in enumerate(text.splitlines(), 1):
        marker = line.strip()
        if marker in (begin, end):
            if (marker == begin) == inside:
                what = "inside a solution already" if inside else f"without {begin}"
                raise SlidesError(f"{where}, line {number}: {marker} {what}")
            inside = marker == begin
        elif not inside:
            kept.append(line)
    if inside:
        raise SlidesError(f"{where}: {begin} without {end}")
    return "\n".join(kept)


def deck_notebook(nb, version=CLASS, name="the notebook"):
    """The notebook a deck shows (a copy; ``nb`` is not changed). Both versions show each check
    cell as its first line only (its body is hashes and hints, no reading for a room) and keep
    the speaker notes. The ``"class"`` version drops the worked answers (nbgrader's solution
    blocks, markdown cells marked as solutions) and the outputs of every exercise cell (a check's
    "right — …" tells the answer); the ``"instructor"`` version keeps both, without the markers.

    >>> import nbformat
    >>> answer = nbformat.v4.new_code_cell(
    ...     "answer_1 = ...  # your answer\\n### BEGIN SOLUTION\\nanswer_1 = 5\\n### END SOLUTION")
    >>> answer.metadata["nbgrader"] = {"solution": True, "grade_id": "ex1"}
    >>> check = nbformat.v4.new_code_cell(
    ...     "# check exercise 1\\nexercises.check_number(answer_1, ...)",
    ...     outputs=[nbformat.v4.new_output("stream", text="right — 5 paths")])
    >>> check.metadata["nbgrader"] = {"solution": False, "grade_id": "ex1-check"}
    >>> notes = nbformat.v4.new_markdown_cell("**Speaker notes.** Ask for 5 first.")
    >>> notes.metadata["slideshow"] = {"slide_type": "notes"}
    >>> nb = nbformat.v4.new_notebook(cells=[answer, check, notes])
    >>> [(c.source, len(c.get("outputs", []))) for c in deck_notebook(nb).cells][:2]
    [('answer_1 = ...  # your answer', 0), ('# check exercise 1', 0)]
    >>> deck_notebook(nb).cells[2].source
    '**Speaker notes.** Ask for 5 first.'
    >>> [(c.source, len(c.get("outputs", []))) for c in deck_notebook(nb, INSTRUCTOR).cells][:2]
    [('answer_1 = ...  # your answer\\nanswer_1 = 5', 0), ('# check exercise 1', 1)]
    """
    import copy

    if version not in (CLASS, INSTRUCTOR):
        raise SlidesError(f"a deck is {CLASS!r} or {INSTRUCTOR!r}, not {version!r}")
    out = copy.deepcopy(nb)
    cells = [_deck_cell(cell, version, f"{name}, cell {index}")
             for index, cell in enumerate(out.cells)]
    cells = [cell for cell in cells if cell is not None]
    out.cells = cells
    return out


def _deck_cell(cell, version, where):
    """One cell as :func:`deck_notebook` shows it (changed in place), or None to leave it out."""
    meta = cell.get("metadata", {})
    grading = meta.get("nbgrader")
    solution = bool((grading or {}).get("solution")) or "solution" in meta.get("tags", [])
    text = _source(cell)
    if version == CLASS and cell.get("cell_type") == "markdown" and solution:
        return None
    if any(marker in text for marker in _SOLUTION_MARKERS):
        without = _without_solution_lines(text, where)       # also checks that the markers pair
        text = without if version == CLASS else "\n".join(
            line for line in text.splitlines() if line.strip() not in _SOLUTION_MARKERS)
    if cell.get("cell_type") == "code" and (grading is not None or solution):
        if not solution:                         # a check cell: its first line says which
            first = text.strip().splitlines()[:1]
            text = first[0] if first and first[0].lstrip().startswith("#") \
                else "# check cell (run it in the notebook)"
        if version == CLASS:
            cell["outputs"], cell["execution_count"] = [], None
    cell["source"] = text
    return cell


def external_references(html):
    """The network addresses a page would fetch as it loads (scripts, style sheets, images,
    frames, CSS imports and ``url()``) — none, for a deck that opens offline. Links to follow
    (``<a href>``) are not fetches.

    >>> external_references('<script src="https://unpkg.com/x.js"></script><a href="https://a.b">')
    ['https://unpkg.com/x.js']
    >>> external_references('<link rel="stylesheet" href="reveal.js/dist/reveal.css">')
    []
    """
    return _FETCHING.findall(html) + _IMPORT.findall(html)


def load_notebook(path):
    """The notebook at ``path`` (nbformat 4); a :class:`SlidesError` that names the file when it
    is not one.

    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     bad = Path(folder, "bad.ipynb")
    ...     _ = bad.write_text("{ not a notebook")
    ...     load_notebook(bad)
    Traceback (most recent call last):
    ...
    teachgrad.errors.SlidesError: cannot read bad.ipynb: ...
    """
    import nbformat

    try:
        return nbformat.read(str(path), as_version=4)
    except (OSError, ValueError) as e:       # unreadable, not JSON, not a notebook
        raise SlidesError(f"cannot read {path.name}: {e}") from None


def _export(nb, path, reveal_prefix, mathjax_prefix):
    from nbconvert import SlidesExporter
    from traitlets.config import Config

    # A cell tagged "hide-input" (Jupyter Book's tag) shows only its output on a slide: the
    # plotting code of a figure is for the notebook, the figure is for the room.
    config = Config()
    config.TagRemovePreprocessor.enabled = True
    config.TagRemovePreprocessor.remove_input_tags = {HIDE_INPUT}
    exporter = SlidesExporter(
        config=config, raw_template=_template(), reveal_url_prefix=reveal_prefix, reveal_theme="white",
        reveal_transition="slide", reveal_width=str(DECK_SIZE[0]),
        reveal_height=str(DECK_SIZE[1]),
        exclude_input_prompt=True, exclude_output_prompt=True,
        mathjax_url=f"{mathjax_prefix}/MathJax.js?config={_MATHJAX_CONFIG}" if mathjax_prefix
        else "")
    extra = {"metadata": {"name": path.stem, "path": str(path.parent)},
             "teachgrad_mathjax": bool(mathjax_prefix)}
    html, _ = exporter.from_notebook_node(without_widgets(nb), resources=extra)
    fetched = external_references(html)
    if fetched:   # a template change let a CDN in: a deck that needs the network is a failure
        raise SlidesError(f"the deck of {path.name} would load {fetched[0]} from the network")
    return html


def deck_html(notebook, reveal_prefix=REVEAL_FOLDER, mathjax_prefix=MATHJAX_FOLDER,
              version=CLASS):
    """The reveal.js deck of one notebook as HTML text, loading reveal.js from ``reveal_prefix``
    and MathJax from ``mathjax_prefix`` (relative URLs: folders beside the deck; None: no math
    typesetting); ``version`` is :data:`CLASS` (no worked answers) or :data:`INSTRUCTOR`
    (see :func:`deck_notebook`).

    >>> from teachgrad.course import lectures
    >>> html = deck_html(lectures.source() / "01-graph-model.ipynb")
    >>> '<script src="reveal.js/dist/reveal.js">' in html, external_references(html)
    (True, [])
    """
    path = Path(notebook)
    return _export(deck_notebook(load_notebook(path), version, path.name), path, reveal_prefix,
                   mathjax_prefix)


def _template():
    return resources.files(__package__).joinpath("slides.html").read_text(encoding="utf-8")


def _screens(nb):
    """How many screens a deck has: its slides and subslides (the first cell always starts one)."""
    kinds = [c.get("metadata", {}).get("slideshow", {}).get("slide_type") for c in nb.cells]
    return max(1, sum(k in ("slide", "subslide") for k in kinds[1:]) + 1)


def copy_files(source, target, keep=lambda rel: True):
    """Copy the files under ``source`` (those whose relative POSIX path ``keep`` accepts) into
    ``target``, each one atomically; a file already there with the same bytes is left alone.
    Returns how many files were written.

    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     _ = Path(folder, "a", "x.txt").parent.mkdir()
    ...     _ = Path(folder, "a", "x.txt").write_text("x")
    ...     copy_files(Path(folder, "a"), Path(folder, "b")), copy_files(Path(folder, "a"),
    ...                                                                  Path(folder, "b"))
    (1, 0)
    """
    from ..render.files import replace_file

    written = 0
    for path in sorted(source.rglob("*")):
        rel = path.relative_to(source)
        if path.is_dir() or not keep(rel.as_posix()):
            continue
        data = path.read_bytes()
        there = target / rel
        if there.is_file() and there.stat().st_size == len(data) and there.read_bytes() == data:
            continue
        there.parent.mkdir(parents=True, exist_ok=True)
        replace_file(there, data)
        written += 1
    return written


def _reveal_file(rel):
    # What the decks load (a reveal.js folder of one's own may hold much more: demos, sources).
    return rel in REVEAL_FILES


def _say(line):
    print(f"teachgrad: {line}", file=sys.stderr, flush=True)


def build(folder=None, out=DEFAULT_OUT, reveal=None, say=_say, instructor=False):
    """Build one deck per notebook of ``folder`` (default: the shipped lectures, what
    ``teachgrad lectures --teacher`` copies) into ``out``, with reveal.js (and MathJax) copied beside them:
    ``NAME.slides.html``, the class version (:func:`deck_notebook`), and with ``instructor`` also
    ``NAME.instructor.slides.html``. Returns the decks' paths; ``say`` gets one progress line per
    deck.

    >>> import nbformat, tempfile
    >>> nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("# Hello")])
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     nbformat.write(nb, Path(folder, "hello.ipynb"))
    ...     decks = build(folder, Path(folder, "out"), say=lambda line: None)
    ...     [p.name for p in decks], (Path(folder, "out", "reveal.js", "dist", "reveal.js")).is_file()
    (['hello.slides.html'], True)
    """
    from . import lectures
    from ..render.files import replace_file

    sources = notebooks(lectures.source() if folder is None else folder)
    reveal_dir = find_reveal(reveal)
    mathjax_dir = find_mathjax()
    out = Path(out)
    if out.exists() and not out.is_dir():
        raise SlidesError(f"cannot write the slides into {str(out)!r}: it is a file, not a folder")
    out.mkdir(parents=True, exist_ok=True)
    if not os.access(out, os.W_OK | os.X_OK):
        raise SlidesError(f"cannot write the slides into {str(out)!r}: permission denied")
    version = _reveal_version(reveal_dir)
    copied = copy_files(reveal_dir, out / REVEAL_FOLDER, _reveal_file)
    say(f"reveal.js {'.'.join(map(str, version)) if version else '(version unknown)'} from "
        f"{reveal_dir} → {out / REVEAL_FOLDER} ({copied} files written)")
    if mathjax_dir is None:
        say("MathJax is not installed (pip install jupyter-server-mathjax): the decks show $…$ "
            "math as written")
    else:
        copied = copy_files(mathjax_dir, out / MATHJAX_FOLDER)
        say(f"MathJax from {mathjax_dir} → {out / MATHJAX_FOLDER} ({copied} files written)")
    decks = []
    for k, notebook in enumerate(sources, 1):
        started = time.monotonic()
        nb = load_notebook(notebook)
        for version in (CLASS, INSTRUCTOR) if instructor else (CLASS,):
            shown = deck_notebook(nb, version, notebook.name)
            html = _export(shown, notebook, REVEAL_FOLDER, MATHJAX_FOLDER if mathjax_dir else None)
            suffix = ".slides.html" if version == CLASS else ".instructor.slides.html"
            target = out / f"{notebook.stem}{suffix}"
            replace_file(target, html.encode("utf-8"))
            decks.append(target)
            say(f"[{k}/{len(sources)}] {notebook.name} → {target} ({_screens(shown)} slides, "
                f"{time.monotonic() - started:.1f} s)")
        if not any("slideshow" in c.get("metadata", {}) for c in nb.cells):
            say(f"warning: {notebook.name} has no slide metadata (View → Slide Type in "
                "Jupyter, or metadata.slideshow.slide_type): its deck is one long slide")
    return decks
