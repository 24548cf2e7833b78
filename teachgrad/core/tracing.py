"""NumPy's reads of tensors while a function transform runs ``f``.

``np.sin(x)`` of a tensor reads its value through ``Tensor.__array__`` and returns a plain array
with no graph: a derivative through it would silently be 0. While ``grad``/``vjp``/``jvp`` run
``f``, the reads made from code outside teachgrad are noted here, and the transform refuses a
result that depends on one.
"""

import os
import sys
import threading

import numpy as np

__all__ = ["WATCHERS", "watch_numpy_reads", "stop_watching", "note_read"]

WATCHERS = []    # one list of reads per transform running now
_NUMPY_FILES = os.path.dirname(np.__file__) + os.sep
_OUR_FILES = os.path.dirname(os.path.dirname(os.path.abspath(__file__))) + os.sep   # all of teachgrad


def watch_numpy_reads():
    """Start noting the tensors NumPy reads (``np.sin(t)``); returns the list they go into, as
    ``(tensor, "file:line")``. Each thread's transform has a list of its own."""
    seen = _Reads()
    seen.thread = threading.get_ident()
    WATCHERS.append(seen)
    return seen


class _Reads(list):
    """The reads noted for one transform, in the thread that runs it."""
    __slots__ = ("thread",)


def stop_watching(seen):
    WATCHERS.remove(seen)


def note_read(t):
    frame = sys._getframe(2)
    while frame is not None and frame.f_code.co_filename.startswith(_NUMPY_FILES):
        frame = frame.f_back
    if frame is None or frame.f_code.co_filename.startswith(_OUR_FILES):
        return
    where = f"{os.path.basename(frame.f_code.co_filename)}:{frame.f_lineno}"
    me = threading.get_ident()
    for seen in WATCHERS:
        if seen.thread == me:
            seen.append((t, where))
