"""The lectures that come with teachgrad, and copying them into a folder of your own.

``teachgrad lectures [DIR]`` (see :mod:`teachgrad.course.cli`) is :func:`copy_to` plus :func:`trust`. The
notebooks exist once, in ``lectures/`` at the repository root; a wheel carries the same files as
``teachgrad/_lectures`` (pyproject.toml maps them for hatchling), while a checkout — an editable
install, or the repository on ``PYTHONPATH`` — reads ``lectures/`` itself.

A student gets only what a student needs: the student versions of the six lectures (no worked
answers, no speaker notes) and a README written for students — no solutions, no nbval settings,
no developer instructions. A teacher (``teacher=True``, ``teachgrad lectures --teacher``) gets the
solution notebooks and, in ``student/``, the versions to hand out with their README.

A copy never overwrites a file that differs from the shipped one (the student may have edited it)
unless ``force=True``; an identical file is left alone, so copying again is harmless.

>>> import pathlib, tempfile
>>> with tempfile.TemporaryDirectory() as d:
...     first = copy_to(pathlib.Path(d) / "mine")
...     second = copy_to(pathlib.Path(d) / "mine")
>>> first.written == sorted(copies()), second.written, second.unchanged == sorted(copies())
(True, [], True)
>>> sorted(copies())[:2], copies()["01-graph-model.ipynb"]
(['01-graph-model.ipynb', '02-tensors.ipynb'], 'student/01-graph-model.ipynb')
"""

import os
import sqlite3
import stat
from dataclasses import dataclass, field
from fnmatch import fnmatch
from importlib import resources
from pathlib import Path, PurePosixPath

__all__ = ["PATTERNS", "DEFAULT_FOLDER", "CopyReport", "source", "files", "copies", "copy_to",
           "trust"]

# What the package ships, as paths relative to the lectures folder (pyproject.toml ships the
# same): the solution and student notebooks and the students' README. lectures/README.md (how to
# test and edit them), sanitize.cfg (nbval's) and GUIDE.md stay in the repository.
PATTERNS = ("*.ipynb", "student/*.ipynb", "student/README.md")
DEFAULT_FOLDER = "teachgrad-lectures"


def source():
    """The folder the lectures are copied from: the installed package's, else the checkout's.

    >>> (source() / "student" / "README.md").is_file()
    True
    """
    shipped = resources.files("teachgrad") / "_lectures"
    if shipped.is_dir():
        return shipped
    checkout = Path(__file__).resolve().parents[2] / "lectures"
    if (checkout / "student" / "README.md").is_file():
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
    """The relative paths of the files shipped, sorted: the solution notebooks, then student/.

    >>> files()[:2], files()[-1]
    (['01-graph-model.ipynb', '02-tensors.ipynb'], 'student/README.md')
    """
    return sorted(_shipped())


def copies(teacher=False):
    """``{path in the copy: shipped path}``: for a student, the student notebooks and their
    README at the top of the folder; for a teacher, every shipped file where it is shipped.

    >>> copies()["README.md"], copies(teacher=True)["student/README.md"]
    ('student/README.md', 'student/README.md')
    >>> any("sanitize" in p or "BEGIN" in p for p in copies(teacher=True))
    False
    """
    shipped = files()
    if teacher:
        return {rel: rel for rel in shipped}
    return {rel.removeprefix("student/"): rel for rel in shipped if rel.startswith("student/")}


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


_KINDS = ((stat.S_ISLNK, "a symbolic link"), (stat.S_ISDIR, "a folder"),
          (stat.S_ISFIFO, "a named pipe (FIFO)"), (stat.S_ISSOCK, "a socket"),
          (stat.S_ISCHR, "a device"), (stat.S_ISBLK, "a device"))


def _not_regular(rel, path, mode):
    what = next((name for test, name in _KINDS if test(mode)), "something else")
    kind = IsADirectoryError if stat.S_ISDIR(mode) else FileExistsError
    return kind(f"cannot copy {rel}: {str(path)!r} is {what}, not a regular file: move it away "
                "and copy again")


def _check_folders(folder, rel):
    """Every folder between ``folder`` and the file ``rel`` is a real folder or missing: a link
    planted there (``images -> /elsewhere``) would send the copy out of ``folder``."""
    path = folder
    for part in PurePosixPath(rel).parts[:-1]:
        path = path / part
        try:
            mode = os.lstat(path).st_mode
        except FileNotFoundError:
            return
        if not stat.S_ISDIR(mode):
            what = next((name for test, name in _KINDS if test(mode)), "a file")
            raise FileExistsError(f"cannot copy {rel}: {str(path)!r} is {what}, not a folder: "
                                  "move it away and copy again")


def _present(rel, target):
    """The bytes of the regular file at ``target``, or ``None`` when nothing is there. Anything
    else — a link, a folder, a FIFO, a device — is an ``OSError`` naming it: the copy neither
    follows it nor waits on it (reading a FIFO waits for a writer forever)."""
    try:
        mode = os.lstat(target).st_mode
    except FileNotFoundError:
        return None
    if not stat.S_ISREG(mode):
        raise _not_regular(rel, target, mode)
    # Opened without following a link and without waiting, in case it changed since lstat.
    flags = (os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
             | getattr(os, "O_BINARY", 0))
    with open(os.open(target, flags), "rb") as f:
        mode = os.fstat(f.fileno()).st_mode
        if not stat.S_ISREG(mode):
            raise _not_regular(rel, target, mode)
        return f.read()


def _to_write(report, force, teacher):
    """``[(relative path, bytes)]`` to write into ``report.folder``, each file noted in
    ``report``. Every place is looked at before anything is written: a link or a FIFO stops
    the copy with nothing changed."""
    to_write, shipped = [], _shipped()
    for rel, origin in sorted(copies(teacher).items()):
        data = shipped[origin].read_bytes()
        _check_folders(report.folder, rel)
        there = _present(rel, report.folder / rel)
        if there is None:
            report.written.append(rel)
        elif there == data:
            report.unchanged.append(rel)
            continue
        elif not force:
            report.kept.append(rel)
            continue
        else:
            report.replaced.append(rel)
        to_write.append((rel, data))
    return to_write


def copy_to(folder=DEFAULT_FOLDER, force=False, teacher=False):
    """Copy the lectures into ``folder`` (created if needed) and return a :class:`CopyReport`:
    the student versions and their README, or with ``teacher`` the solutions too (see
    :func:`copies`).

    A file already there with other content is kept unless ``force``; one with the same content is
    not touched. Each file is written by :func:`teachgrad.render.files.replace_file` (a new file
    of a random name, created exclusively, then put in place), so an interrupted copy never
    leaves half a notebook, a failed one leaves no partial file, and a link planted in the folder
    is never written through. Anything but a regular file where a lecture goes (a link, a FIFO,
    a folder) stops the copy before it writes anything, with an ``OSError`` that names it; a
    failed write stops it with an ``OSError`` that names the file.

    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as d:
    ...     edited = Path(d, "01-graph-model.ipynb")
    ...     _ = edited.write_text("my notes")
    ...     report = copy_to(d)
    ...     report.kept, edited.read_text()
    (['01-graph-model.ipynb'], 'my notes')
    """
    from ..render.files import replace_file

    folder = Path(folder)
    if folder.exists() and not folder.is_dir():
        raise NotADirectoryError(f"cannot copy the lectures into {str(folder)!r}: it is a file, "
                                 "not a folder")
    report = CopyReport(folder, created=not folder.exists())
    for rel, data in _to_write(report, force, teacher):
        target = folder / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        try:
            replace_file(target, data)
        except OSError as error:        # the temporary file is gone; name the file, not it
            if error.errno is None:
                raise OSError(f"cannot copy {rel} to {str(target)!r}: {error}") from None
            raise OSError(error.errno, error.strerror, str(target)) from None
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
