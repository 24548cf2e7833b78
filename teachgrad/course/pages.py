"""Notebooks as HTML pages whose maths shows offline: ``teachgrad html NOTEBOOK… [-o OUT]``.

``jupyter nbconvert --to html`` writes a page that loads MathJax (and require.js, the widget
manager) from CDNs: opened without a network (a lecture hall, a train) its formulas stay raw
``$…$``. :func:`export` renders with teachgrad's template (``page.html`` beside this module),
which loads nothing from a network, and copies MathJax 2 beside the pages, as the decks do
(:mod:`teachgrad.course.slides`)::

    OUT/01-graph-model.html      one page per notebook, its stored outputs as they are
    OUT/mathjax/                 MathJax 2.7 (Apache-2.0), from jupyter-server-mathjax

so OUT opens anywhere (copy the folder). It needs the ``slides`` extra (nbconvert and
jupyter-server-mathjax). Interactive widgets need a kernel: a page shows a one-line note in their
place; the kernel-free animations and practice pages work. Each file is written atomically.

>>> import nbformat, tempfile
>>> nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("$e = (a + b)(b + 1)$")])
>>> with tempfile.TemporaryDirectory() as folder:
...     nbformat.write(nb, Path(folder, "seed.ipynb"))
...     pages = export([Path(folder, "seed.ipynb")], Path(folder, "out"), say=lambda line: None)
...     html = pages[0].read_text(encoding="utf-8")
...     [p.name for p in pages], (Path(folder, "out", "mathjax", "MathJax.js")).is_file()
(['seed.html'], True)
>>> '<script src="mathjax/MathJax.js?config=' in html, slides.external_references(html)
(True, [])
"""

import sys
from importlib import resources
from pathlib import Path

from ..errors import SlidesError
from . import slides

__all__ = ["MATHJAX_FOLDER", "page_html", "export"]

MATHJAX_FOLDER = slides.MATHJAX_FOLDER          # OUT/mathjax/…, beside the pages
_MATHJAX_CONFIG = "TeX-AMS-MML_HTMLorMML-full,Safe"
_NO_MATHJAX = ("MathJax 2 is not installed, so the pages would show their maths as raw $…$: "
               "pip install jupyter-server-mathjax (the slides extra)")


def _template():
    return resources.files(__package__).joinpath("page.html").read_text(encoding="utf-8")


def page_html(notebook, mathjax_prefix=MATHJAX_FOLDER):
    """One notebook as an HTML page (text) that loads MathJax from ``mathjax_prefix`` (a URL
    relative to the page: the folder beside it) and nothing from a network.

    >>> from teachgrad.course import lectures
    >>> html = page_html(lectures.source() / "05-automatic-gradients.ipynb")
    >>> "mathjax/MathJax.js" in html, slides.external_references(html), "$\\\\partial e" in html
    (True, [], True)
    """
    from nbconvert import HTMLExporter

    path = Path(notebook)
    exporter = HTMLExporter(template_name="lab", raw_template=_template(),
                            mathjax_url=f"{mathjax_prefix}/MathJax.js?config={_MATHJAX_CONFIG}")
    nb = slides.without_widgets(slides.load_notebook(path))
    html, _ = exporter.from_notebook_node(
        nb, resources={"metadata": {"name": path.stem, "path": str(path.parent)}})
    fetched = slides.external_references(html)
    if fetched:   # a template change let a CDN in: a page that needs the network is a failure
        raise SlidesError(f"the page of {path.name} would load {fetched[0]} from the network")
    return html


def _say(line):
    print(f"teachgrad: {line}", file=sys.stderr, flush=True)


def export(notebooks, out=".", say=_say):
    """Write ``OUT/NAME.html`` for each notebook, with MathJax copied into ``OUT/mathjax/``;
    returns the pages' paths. A :class:`SlidesError` says what is missing or wrong (no
    MathJax, a notebook that is not one, an ``out`` that is a file); every page written before a
    failure is complete, and a page already in ``out`` is replaced only by a complete new one."""
    from ..render.files import replace_file

    sources = [Path(n) for n in notebooks]
    for source in sources:
        if not source.is_file():
            raise SlidesError(f"no such notebook: {str(source)!r}")
    mathjax_dir = slides.find_mathjax()
    if mathjax_dir is None:
        raise SlidesError(_NO_MATHJAX)
    out = Path(out)
    if out.exists() and not out.is_dir():
        raise SlidesError(f"cannot write the pages into {str(out)!r}: it is a file, not a folder")
    out.mkdir(parents=True, exist_ok=True)
    copied = slides.copy_files(mathjax_dir, out / MATHJAX_FOLDER)
    say(f"MathJax from {mathjax_dir} → {out / MATHJAX_FOLDER} ({copied} files written)")
    pages = []
    for source in sources:
        target = out / f"{source.stem}.html"
        replace_file(target, page_html(source).encode("utf-8"))
        pages.append(target)
        say(f"{source.name} → {target}")
    return pages
