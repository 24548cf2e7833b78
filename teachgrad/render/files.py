"""Pictures as files: ``.svg``, ``.png`` and ``.pdf`` hold one picture, ``.html`` the animation.

A file is written only once its bytes are complete, and then into a temporary file beside it that
replaces it in one step (:func:`teachgrad.files.replace_file`): a failed run (no Graphviz, a bad
step, a full disk, a size limit) leaves an existing file byte for byte as it was.
"""

from pathlib import Path

from ..files import replace_file   # (the one safe writer lives in the base layer)
from .animation import animation_html
from .dot import view_for
from .engine import picture, svg

__all__ = ["write", "replace_file", "SUFFIXES"]

SUFFIXES = (".svg", ".png", ".pdf", ".html")


def _render_bytes(graph, suffix, mode=None, wrt=None, of=None, step=None, path=None):
    if suffix == ".html":
        return animation_html(graph, mode or "values", wrt=wrt, of=of,
                              step=0 if step is None else step).encode("utf-8")
    if suffix == ".svg":
        return svg(graph, mode=mode, step=step, wrt=wrt, of=of, path=path).encode("utf-8")
    view = view_for(graph, mode, step, wrt, of, path, 60)
    # A PNG at most 40 inches (5,760 pixels) a side: a bigger one is scaled down, not megapixels.
    extra = {"dpi": "144", "size": "40,40"} if suffix == ".png" else {}
    return picture(graph, view, suffix[1:], **extra)


def write(graph, filename, mode=None, wrt=None, of=None, step=None, path=None):
    """Write the picture to ``filename``: ``.svg``, ``.png`` or ``.pdf`` (one picture, see
    :func:`~teachgrad.render.to_dot`), or ``.html`` (the animation of every step of ``mode``,
    ``"values"`` by default, starting at ``step``). The file is written only once the picture is
    complete.

    >>> import os, tempfile, teachgrad as tg
    >>> g = tg.trace("e = (a + b) * (b + 1)", a=2, b=1)
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     name = write(g, os.path.join(folder, "seed.svg"), mode="reverse")
    ...     open(name, encoding="utf-8").read().count("class=\\"node")
    5
    >>> write(g, "seed.jpg")
    Traceback (most recent call last):
    ...
    ValueError: cannot write 'seed.jpg': the file name must end in .svg, .png, .pdf or .html
    """
    target = Path(filename)
    suffix = target.suffix.lower()
    if suffix not in SUFFIXES:
        raise ValueError(f"cannot write '{filename}': the file name must end in .svg, .png, "
                         ".pdf or .html")
    data = _render_bytes(graph, suffix, mode=mode, wrt=wrt, of=of, step=step, path=path)
    replace_file(target, data)
    return str(filename)
