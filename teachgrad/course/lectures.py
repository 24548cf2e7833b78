"""The lectures that come with teachgrad, and copying them into a folder of your own.

``teachgrad lectures [DIR]`` (see :mod:`teachgrad.course.cli`) is :func:`copy_to` plus :func:`trust`. The
notebooks exist once, in ``lectures/`` at the repository root; a wheel carries the same files as
``teachgrad/_lectures`` (setup.py and pyproject.toml map them), while a checkout — an editable
install, or the repository on ``PYTHONPATH`` — reads ``lectures/`` itself.

A copy never overwrites a file that differs from the shipped one (the student may have edited it)
unless ``force=True``; an identical file is left alone, so copying again is harmless.

>>> import pathlib, tempfile
>>> with tempfile.TemporaryDirectory() as d:
...     first = copy_to(pathlib.Path(d) / "mine")
...     second = copy_to(pathlib.Path(d) / "mine")
>>> "01-graph-model.ipynb" in first.written, second.written, second.unchanged == files()
(True, [], True)
"""

import os
import sqlite3
from dataclasses import dataclass, field
from fnmatch import fnmatch
from importlib import resources
from pathlib import Path, PurePosixPath

__all__ = ["PATTERNS", "DEFAULT_FOLDER", "CopyReport", "source", "files", "copy_to", "trust"]

# What a student gets, as paths relative to the lectures folder (pyproject.toml ships the same).
PATTERNS = ("*.ipynb", "student/*.ipynb", "README.md", "sanitize.cfg", "images/*")
DEFAULT_FOLDER = "teachgrad-lectures"


def source():
    """The folder the lectures are copied from: the installed package's, else the checkout's.

    >>> (source() / "README.md").is_file()
    True
    """
    shipped = resources.files("teachgrad") / "_lectures"
    if shipped.is_dir():
        return shipped
    checkout = Path(__file__).resolve().parents[2] / "lectures"
    if (checkout / "README.md").is_file():
        return checkout
    raise FileNotFoundError(f"this teachgrad installation has no lectures (neither {shipped} nor "
                            f"{checkout} exists): reinstall it with "
                            "`pip install --force-reinstall teachgrad`")


def _walk(folder, prefix=PurePosixPath()):
    for entry in folder.iterdir():
        if entry.is_dir():
            yield from _walk(entry, prefix / entry.name)
        else:
            yield prefix / entry.name, entry


def _shipped():
    """{relative POSIX path: resource} of every file that :data:`PATTERNS` selects."""
    return {str(rel): entry for rel, entry in _walk(source())
            if any(fnmatch(str(rel), p) and rel.parent == PurePosixPath(p).parent
                   for p in PATTERNS)}


def files():
    """The relative paths a copy writes, sorted: notebooks, README.md, sanitize.cfg, images/….

    >>> files()[:2]
    ['01-graph-model.ipynb', '02-tensors.ipynb']
    >>> "images/seed-graph.svg" in files()
    True
    """
    return sorted(_shipped())


@dataclass
class CopyReport:
    """What :func:`copy_to` did, as paths relative to ``folder``."""
    folder: Path
    created: bool = False                           # the folder did not exist before
    written: list = field(default_factory=list)     # new files
    replaced: list = field(default_factory=list)    # differed, overwritten because of force
    unchanged: list = field(default_factory=list)   # already identical
    kept: list = field(default_factory=list)        # differ, left as they are (no force)

    def lines(self):
        """The report as a few lines of text for a terminal.

        >>> CopyReport(Path("x"), written=["a.ipynb"], kept=["b.ipynb"]).lines()[0]
        'copied 1 file into x'
        """
        def count(n):
            return f"{n} file{'' if n == 1 else 's'}"
        out = [f"copied {count(len(self.written))} into {self.folder}"
               + (" (a new folder)" if self.created else "")]
        if self.replaced:
            out.append(f"replaced {count(len(self.replaced))} that differed (--force): "
                       + ", ".join(self.replaced))
        if self.unchanged:
            out.append(f"{count(len(self.unchanged))} already up to date")
        if self.kept:
            verb = "differs" if len(self.kept) == 1 else "differ"
            out.append(f"kept {count(len(self.kept))} that {verb} from the shipped version "
                       "(your edits?): " + ", ".join(self.kept)
                       + " — use --force to overwrite them")
        return out


def copy_to(folder=DEFAULT_FOLDER, force=False):
    """Copy the lectures into ``folder`` (created if needed) and return a :class:`CopyReport`.

    A file already there with other content is kept unless ``force``; one with the same content is
    not touched. Each file is written to a temporary name first, so an interrupted copy never
    leaves half a notebook.

    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as d:
    ...     edited = Path(d, "01-graph-model.ipynb")
    ...     _ = edited.write_text("my notes")
    ...     report = copy_to(d)
    ...     report.kept, edited.read_text()
    (['01-graph-model.ipynb'], 'my notes')
    """
    folder = Path(folder)
    if folder.exists() and not folder.is_dir():
        raise NotADirectoryError(f"cannot copy the lectures into {str(folder)!r}: it is a file, "
                                 "not a folder")
    report = CopyReport(folder, created=not folder.exists())
    for rel, entry in sorted(_shipped().items()):
        target = folder / rel
        data = entry.read_bytes()
        if target.is_dir():
            raise IsADirectoryError(f"cannot copy {rel}: {str(target)!r} is a folder")
        if target.exists():
            if target.read_bytes() == data:
                report.unchanged.append(rel)
                continue
            if not force:
                report.kept.append(rel)
                continue
            report.replaced.append(rel)
        else:
            report.written.append(rel)
        target.parent.mkdir(parents=True, exist_ok=True)
        partial = target.with_name(f".{target.name}.teachgrad-partial")
        partial.write_bytes(data)
        os.replace(partial, target)
    return report


def trust(notebooks):
    """Mark ``notebooks`` trusted for this user, as ``jupyter trust`` does, so their stored pictures
    and widgets show before the cells run. Returns how many were signed; 0 without nbformat.

    >>> trust([])
    0
    """
    try:
        from nbformat import read
        from nbformat.sign import NotebookNotary
    except ImportError:
        return 0
    try:
        notary = NotebookNotary()
        for path in notebooks:
            with open(path, encoding="utf-8") as f:
                notary.sign(read(f, as_version=4))
    except (OSError, sqlite3.Error):     # no writable Jupyter data folder: they run untrusted
        return 0
    return len(notebooks)
