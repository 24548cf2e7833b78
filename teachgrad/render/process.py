"""Running Graphviz as a process: bounded in time, stopped with everything it started, and every
way it can fail raised as a :class:`GraphvizError` that says what happened and what to try.

``dot`` can take minutes (or crash) on a graph a student types in a few seconds, and a Jupyter
kernel that waits on it cannot do anything else. So each run has a time limit
(:data:`DOT_TIMEOUT`); past it the process group is killed. On POSIX ``dot`` also runs under a
CPU-time limit a little above that, so a run orphaned by a killed kernel stops by itself.

Where no process can be started at all (Python in the browser: Pyodide, JupyterLite) there is no
``dot`` either, and :class:`GraphvizNotFound` says so.
"""

import errno
import math
import os
import shutil
import signal
import subprocess

import graphviz

from ..teaching.notation import shorten

__all__ = ["run_dot", "DOT_TIMEOUT", "GraphvizError", "GraphvizNotFound", "INSTALL_HELP",
           "NO_PROCESSES_HELP"]

# Seconds one Graphviz run may take. The layouts chosen by .sizes keep graphs of up to 2,000
# nodes well inside it; this is the backstop.
DOT_TIMEOUT = 8.0

INSTALL_HELP = ("Graphviz's `dot` program was not found, and teachgrad needs it to draw graphs. "
                "Install it with `sudo apt-get install graphviz` (Debian/Ubuntu), "
                "`brew install graphviz` (macOS) or from https://graphviz.org/download/ "
                "(Windows, conda: `conda install -c conda-forge graphviz`), "
                "then restart Python or the Jupyter kernel.")

NO_PROCESSES_HELP = ("Pictures need Graphviz's `dot` program, and this Python cannot start "
                     "programs: it runs in the browser (JupyterLite, Pyodide). Open the lectures "
                     "in a Jupyter with Graphviz installed (your computer, a JupyterHub or "
                     "Binder) to draw them; in the browser only the kernel-free HTML exports "
                     "work: animations written beforehand with `teachgrad render … -o anim.html` "
                     "or `player.to_html()`.")

_TRY = ("Try a smaller graph (split the expression, or trace fewer operations), or draw one "
        "step at a time.")

# What an OSError from starting `dot` says when the platform starts no processes at all: CPython
# on Emscripten and WASI raises ENOTSUP ("emscripten does not support processes", errno 138
# there); a system without fork/exec gives ENOSYS.
_NO_PROCESSES = {errno.ENOTSUP, errno.EOPNOTSUPP, errno.ENOSYS}
_XCPU = getattr(signal, "SIGXCPU", None)     # what the CPU-time limit sends (POSIX only)


class GraphvizError(RuntimeError):
    """Graphviz could not draw a picture — it failed, crashed or took too long, or the graph is
    too big to draw; the message says what happened and what to try.

    >>> issubclass(GraphvizNotFound, GraphvizError)
    True
    """


class GraphvizNotFound(graphviz.ExecutableNotFound, GraphvizError):
    """Graphviz's ``dot`` program is missing (or cannot be started); the message says how to
    install it.

    A :exc:`RuntimeError` (and a ``graphviz.ExecutableNotFound``), raised without the chain of
    subprocess errors behind it.

    >>> issubclass(GraphvizNotFound, RuntimeError)
    True
    >>> "apt-get install graphviz" in str(GraphvizNotFound())
    True
    """

    def __init__(self, message=INSTALL_HELP):
        RuntimeError.__init__(self, message)


def _command(engine, fmt, pinned, timeout):
    """The command line: ``dot -K<engine> -T<fmt>`` (``-n2`` to draw at given positions), as
    the graphviz package writes it; on POSIX under a CPU-time limit set by the shell."""
    dot = shutil.which("dot")
    if dot is None:
        raise GraphvizNotFound() from None
    cmd = [dot, f"-K{engine}", f"-T{fmt}"] + (["-n2"] if pinned else [])
    if os.name == "posix" and os.path.exists("/bin/sh"):
        # ulimit, not preexec_fn: a function run between fork and exec can deadlock a process
        # with threads (a Jupyter kernel has several); the shell then execs dot in its place.
        cpu = str(math.ceil(timeout) + 2)
        cmd = ["/bin/sh", "-c", 'ulimit -t "$0" 2>/dev/null; exec "$@"', cpu] + cmd
    return cmd


def _start(cmd):
    try:
        return subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, start_new_session=os.name == "posix")
    except OSError as e:
        if e.errno == errno.ENOENT:
            raise GraphvizNotFound() from None
        if e.errno in _NO_PROCESSES:
            raise GraphvizNotFound(NO_PROCESSES_HELP) from None
        raise


def _stop(proc):
    """Kill the process and anything it started (its own process group), and reap it."""
    try:
        if os.name == "posix":
            os.killpg(proc.pid, signal.SIGKILL)
        else:
            proc.kill()
    except (ProcessLookupError, PermissionError):
        pass
    proc.communicate()


def _failure(returncode, stderr, about):
    """The GraphvizError for a run that ended badly."""
    where = f" ({about})" if about else ""
    if _XCPU is not None and returncode in (-_XCPU, 128 + _XCPU):
        return GraphvizError(f"Graphviz used too much time drawing this picture{where} and was "
                             f"stopped. {_TRY}")
    if returncode < 0:
        try:
            name = signal.Signals(-returncode).name
        except ValueError:
            name = f"signal {-returncode}"
        return GraphvizError(f"Graphviz crashed ({name}) while drawing this picture{where}: "
                             f"the graph is too big or too tangled for it. {_TRY}")
    said = " ".join(line.strip() for line in stderr.splitlines()
                    if line.strip() and not line.startswith("Warning"))
    said = shorten(said or "no message", 300)
    return GraphvizError(f"Graphviz could not draw this picture{where} (exit status "
                         f"{returncode}): {said}. {_TRY}")


def run_dot(source, fmt="svg", pinned=False, timeout=None, about=""):
    """Run Graphviz once on ``source``: text for svg/json, bytes otherwise. ``pinned`` draws at
    the positions given in the source (``neato -n2``) instead of laying out with ``dot``.

    Raises :class:`GraphvizNotFound` when ``dot`` is missing or no process can be started, and
    :class:`GraphvizError` when it fails, crashes or runs past ``timeout`` seconds
    (:data:`DOT_TIMEOUT` by default); ``about`` says what was drawn, for the message.

    >>> run_dot("digraph { a -> b }", "json").count('"name": "a"')
    1
    >>> run_dot("digraph { a -> }")
    Traceback (most recent call last):
    ...
    teachgrad.render.process.GraphvizError: Graphviz could not draw this picture (exit status 1): Error: <stdin>: syntax error in line 1 near '}'. Try a smaller graph ...
    """
    timeout = DOT_TIMEOUT if timeout is None else timeout
    proc = _start(_command("neato" if pinned else "dot", fmt, pinned, timeout))
    try:
        out, err = proc.communicate(source.encode("utf-8", errors="replace"), timeout=timeout)
    except subprocess.TimeoutExpired:
        _stop(proc)
        where = f" ({about})" if about else ""
        raise GraphvizError(f"Graphviz took longer than {timeout:g} s to draw this "
                            f"picture{where} and was stopped. {_TRY}") from None
    except BaseException:          # KeyboardInterrupt (a kernel interrupted): no orphan left
        _stop(proc)
        raise
    if proc.returncode != 0:
        raise _failure(proc.returncode, err.decode("utf-8", errors="replace"), about)
    return out.decode("utf-8", errors="replace") if fmt in ("svg", "json") else out
