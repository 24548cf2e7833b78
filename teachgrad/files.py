"""The one way teachgrad writes a file of its own: complete, or not at all.

Pictures, slides, handouts, lectures and checkpoints all go through :func:`replace_file`: the
bytes are written to a temporary file beside the target, flushed to disk, and only then put in
the target's place in one step (``os.replace``). A failed run (a full disk, an error while the
bytes were made, Ctrl-C) leaves an existing file byte for byte as it was, and readers never see
half of one.
"""

import os
import secrets
from pathlib import Path

__all__ = ["replace_file"]


def replace_file(target, data):
    """Write ``data`` to a new file in ``target``'s folder, then put it in ``target``'s place:
    readers see the old file or the new one, never half of one.

    >>> import pathlib, tempfile
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     replace_file(pathlib.Path(folder, "a.txt"), b"new")
    ...     sorted(p.name for p in pathlib.Path(folder).iterdir())
    ['a.txt']
    """
    target = Path(target)
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
    while True:
        temporary = target.with_name(f".{target.name}.{secrets.token_hex(4)}.tmp")
        try:   # 0o666 less the umask, as a file opened for writing gets
            fd = os.open(temporary, flags, 0o666)
            break
        except FileExistsError:
            continue
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        if target.exists():    # keep the permissions the old file had
            os.chmod(temporary, target.stat().st_mode & 0o7777)
        os.replace(temporary, target)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
