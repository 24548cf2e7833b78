"""Student versions of the lectures, made from the one source that holds the worked answers.

A lecture notebook is the *solution* version. Its exercise answer cells carry nbgrader's markers,
so nbgrader can use it as it is::

    answer_1 = ...             # your answer: how many nodes?
    ### BEGIN SOLUTION
    answer_1 = 5
    ### END SOLUTION

and their cells nbgrader's metadata (``"nbgrader": {"solution": true, "grade_id": …}``). The
student version drops the marked lines, drops markdown cells marked as solutions and the speaker
notes (cells whose slide type is ``notes``: what the teacher says, often the answer), and clears
the outputs of every exercise cell (a check's "right — …" would tell the answer); run it again and
its checks say "not yet". Check cells hold only hashed answers (:mod:`teachgrad.course.exercises`).

    python -m teachgrad.course.handouts lectures/*.ipynb -o lectures/student

writes (and, with nbclient installed, executes) the student versions.

>>> nb = {"cells": [{"cell_type": "code", "metadata": {"nbgrader": {"solution": True}},
...                  "source": "answer_1 = ...  # your answer\\n### BEGIN SOLUTION\\n"
...                            "answer_1 = 5\\n### END SOLUTION\\n",
...                  "outputs": [], "execution_count": 7}], "metadata": {}}
>>> student_version(nb)["cells"][0]["source"]
'answer_1 = ...  # your answer'
"""

import argparse
import copy
import hashlib
import json
import re
import sys
from pathlib import Path

__all__ = ["BEGIN", "END", "student_version", "solution_lines", "read_notebook",
           "stable_widget_ids", "write_student_versions", "main"]

BEGIN = "### BEGIN SOLUTION"
END = "### END SOLUTION"


def _text(cell):
    source = cell.get("source", "")
    return "".join(source) if isinstance(source, list) else source


def _is_solution(cell):
    return bool(cell.get("metadata", {}).get("nbgrader", {}).get("solution")) or \
        "solution" in cell.get("metadata", {}).get("tags", [])


def _is_notes(cell):
    return cell.get("metadata", {}).get("slideshow", {}).get("slide_type") == "notes"


def _is_exercise(cell):
    return "nbgrader" in cell.get("metadata", {})


def _split(text, where):
    """(kept lines, solution lines) of ``text``; ``ValueError`` on unbalanced markers."""
    kept, solution, inside = [], [], False
    for number, line in enumerate(text.splitlines(), 1):
        marker = line.strip()
        if marker == BEGIN:
            if inside:
                raise ValueError(f"{where}, line {number}: {BEGIN} inside a solution already")
            inside = True
        elif marker == END:
            if not inside:
                raise ValueError(f"{where}, line {number}: {END} without {BEGIN}")
            inside = False
        elif inside:
            solution.append(line)
        else:
            kept.append(line)
    if inside:
        raise ValueError(f"{where}: {BEGIN} without {END}")
    return kept, solution


def solution_lines(nb):
    """Every line between the solution markers of notebook ``nb`` (a dict, as JSON reads it).

    >>> solution_lines({"cells": [{"cell_type": "code", "metadata": {},
    ...     "source": ["x = 1\\n", "### BEGIN SOLUTION\\n", "x = 2\\n", "### END SOLUTION"]}]})
    ['x = 2']
    """
    lines = []
    for index, cell in enumerate(nb["cells"]):
        lines += _split(_text(cell), f"cell {index}")[1]
    return lines


def student_version(nb):
    """The student version of notebook ``nb`` (a dict; ``nb`` is not changed): solution lines,
    solution markdown cells and speaker notes gone, exercise cells' outputs cleared. ``ValueError`` names the
    cell whose markers do not pair up.

    >>> md = {"cell_type": "markdown", "metadata": {"nbgrader": {"solution": True}},
    ...       "source": "The worked answer: 5."}
    >>> notes = {"cell_type": "markdown", "metadata": {"slideshow": {"slide_type": "notes"}},
    ...          "source": "**Speaker notes.** Ask the room for 5 before running it."}
    >>> student_version({"cells": [md, notes], "metadata": {}})["cells"]
    []
    """
    out = copy.deepcopy(nb)
    cells = []
    for index, cell in enumerate(out["cells"]):
        kept, solution = _split(_text(cell), f"cell {index}")
        if cell["cell_type"] == "markdown" and (_is_solution(cell) or _is_notes(cell)):
            continue
        if solution or BEGIN in _text(cell):
            cell["source"] = "\n".join(kept)
        if cell["cell_type"] == "code" and (solution or _is_exercise(cell)):
            cell["outputs"], cell["execution_count"] = [], None
        cells.append(cell)
    out["cells"] = cells
    return out


_WIDGET_STATE = "application/vnd.jupyter.widget-state+json"
_WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
_MODEL_REF = re.compile(r"IPY_MODEL_([0-9a-f]{32})")


def stable_widget_ids(nb):
    """``nb`` (a dict; not changed) with its widget model ids renamed in a fixed order, so that
    running a notebook again stores the same ids: Jupyter gives every widget a random id, which
    makes each re-run rewrite thousands of lines of the saved widget state. The order is that of
    the widgets shown, cell by cell, then of the models each one refers to.

    >>> state = {"5f" * 16: {"state": {"layout": "IPY_MODEL_" + "a1" * 16}},
    ...          "a1" * 16: {"state": {}}}
    >>> nb = {"cells": [{"cell_type": "code", "source": "", "metadata": {}, "outputs": [
    ...           {"data": {_WIDGET_VIEW: {"model_id": "5f" * 16}}}]}],
    ...       "metadata": {"widgets": {_WIDGET_STATE: {"state": state}}}}
    >>> ids = list(stable_widget_ids(nb)["metadata"]["widgets"][_WIDGET_STATE]["state"])
    >>> ids == list(stable_widget_ids(stable_widget_ids(nb))["metadata"]["widgets"][
    ...     _WIDGET_STATE]["state"]) and "5f" * 16 not in ids
    True
    """
    state = nb.get("metadata", {}).get("widgets", {}).get(_WIDGET_STATE, {}).get("state", {})
    if not state:
        return nb
    shown = [o["data"][_WIDGET_VIEW].get("model_id") for c in nb.get("cells", [])
             for o in c.get("outputs", []) if _WIDGET_VIEW in o.get("data", {})]
    order, seen = [], set()
    # Models no widget shown refers to, by their content (ids left out: random); the models
    # nothing refers to first, so that each tree is numbered from its root, in the order of its
    # references, and identical leaves (two default layouts) never swap names between runs.
    referred = set(_MODEL_REF.findall(json.dumps(state, sort_keys=True)))
    leftovers = sorted(state, key=lambda m: (m in referred, _MODEL_REF.sub(
        "IPY_MODEL_", json.dumps(state[m], sort_keys=True))))
    for root in shown + leftovers:
        stack = [root]                       # depth first, no recursion
        while stack:
            model = stack.pop()
            if model in seen:
                continue
            seen.add(model)
            order.append(model)            # a model referred to but not saved is renamed too
            if model not in state:
                continue
            refs = _MODEL_REF.findall(json.dumps(state[model], sort_keys=True))
            stack.extend(reversed(refs))
    new = {old: hashlib.sha256(f"teachgrad-widget-{k}".encode()).hexdigest()[:32]
           for k, old in enumerate(order)}
    text = re.sub(r"(?<![0-9a-f])[0-9a-f]{32}(?![0-9a-f])", lambda m: new.get(m.group(0), m.group(0)),
                  json.dumps(nb, ensure_ascii=False))
    return json.loads(text)


def _execute(nb, folder):
    import nbformat
    from nbclient import NotebookClient

    node = nbformat.reads(json.dumps(nb), as_version=4)     # sources as strings, as nbclient wants
    NotebookClient(node, timeout=300, kernel_name="python3", record_timing=False,
                   resources={"metadata": {"path": str(folder)}}).execute()
    return json.loads(nbformat.writes(node))


def _write(path, nb):
    """Write ``nb`` as Jupyter does (indent 1), atomically: a failed write leaves an existing
    notebook as it was."""
    from ..render.files import replace_file

    data = json.dumps(nb, indent=1, ensure_ascii=False, sort_keys=True) + "\n"
    try:
        encoded = data.encode("utf-8")
    except UnicodeEncodeError:    # a lone surrogate ("\\ud800" in the source): kept as written
        encoded = (json.dumps(nb, indent=1, sort_keys=True) + "\n").encode("ascii")
    replace_file(path, encoded)


def _cell_problem(cell):
    """What is wrong with a cell as nbformat 4 has it (a dict with a cell_type and a text
    source), or ``None``."""
    if not isinstance(cell, dict):
        return f"is a {type(cell).__name__}, not a cell"
    if not isinstance(cell.get("cell_type"), str):
        return "has no cell_type"
    source = cell.get("source", "")
    if not (isinstance(source, str) or isinstance(source, list)
            and all(isinstance(line, str) for line in source)):
        return "has a source that is neither text nor a list of lines"
    if not isinstance(cell.get("metadata", {}), dict):
        return "has metadata that is not a mapping"
    return None


def read_notebook(path):
    """The notebook at ``path`` as a dict, checked: a ``ValueError`` that names the file says
    why it is not one (not UTF-8, not JSON, no list of cells, a cell that is not a cell).

    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as d:
    ...     bad = Path(d, "bad.ipynb")
    ...     _ = bad.write_text('{"cells": {}}')
    ...     read_notebook(bad)
    Traceback (most recent call last):
    ...
    ValueError: .../bad.ipynb is not a notebook: its "cells" is a dict, not a list
    """
    path = Path(path)
    try:
        nb = json.loads(path.read_text(encoding="utf-8"))
    except UnicodeDecodeError:
        raise ValueError(f"{path} is not a notebook: it is not UTF-8 text") from None
    except json.JSONDecodeError as error:
        raise ValueError(f"{path} is not a notebook: not JSON ({error})") from None
    if not isinstance(nb, dict):
        raise ValueError(f"{path} is not a notebook: it holds a {type(nb).__name__}, not an object")
    cells = nb.get("cells")
    if not isinstance(cells, list):
        what = "missing" if cells is None else f"a {type(cells).__name__}, not a list"
        raise ValueError(f'{path} is not a notebook: its "cells" is {what}')
    for index, cell in enumerate(cells):
        problem = _cell_problem(cell)
        if problem is not None:
            raise ValueError(f"{path} is not a notebook: cell {index} {problem}")
    return nb


def _check_targets(sources, folder):
    """``ValueError`` unless every source gets a file of its own in ``folder``, none of them a
    source: two sources named alike would have one student version replace the other."""
    if folder.exists() and not folder.is_dir():
        raise ValueError(f"cannot write the student versions into {str(folder)!r}: it is a "
                         "file, not a folder")
    seen = {}
    for source in sources:
        if not source.is_file():
            what = "no such notebook" if not source.exists() else "not a regular file"
            raise ValueError(f"{what}: {source}")
        name = source.name.casefold()
        if name in seen:
            raise ValueError(f"{seen[name]} and {source} would both become "
                             f"{folder / source.name}: give each notebook its own file name")
        seen[name] = source
        if source.resolve().parent == folder.resolve():
            raise ValueError(f"the student versions would overwrite their sources ({source}): "
                             "choose another -o DIR")


def write_student_versions(sources, folder, execute=True, say=print):
    """Write the student version of each notebook in ``sources`` into ``folder`` (same file
    names), executed top to bottom if ``execute``; returns the paths written. Every source is
    read and checked before anything is written: a bad notebook, two sources with one file
    name, or a ``folder`` that is a file raise a ``ValueError`` and write nothing.

    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as d:
    ...     src = Path(d, "l.ipynb")
    ...     _ = src.write_text(json.dumps({"cells": [], "metadata": {}, "nbformat": 4,
    ...                                    "nbformat_minor": 5}))
    ...     [p.name for p in write_student_versions([src], Path(d, "student"), execute=False,
    ...                                             say=lambda s: None)]
    ['l.ipynb']
    """
    folder = Path(folder)
    sources = [Path(s) for s in sources]
    _check_targets(sources, folder)
    versions = []
    for source in sources:
        nb = read_notebook(source)
        try:
            versions.append((source, student_version(nb)))
        except ValueError as error:
            raise ValueError(f"{source}: {error}") from None
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for source, nb in versions:
        if execute:
            say(f"executing the student version of {source.name} …")
            nb = stable_widget_ids(_execute(nb, folder))
        target = folder / source.name
        _write(target, nb)
        written.append(target)
        say(f"wrote {target}")
    return written


def _one_line(text):
    return " ".join(str(text).split())


def main(argv=None):
    """``python -m teachgrad.course.handouts NOTEBOOK… -o DIR [--no-execute]``: 0 when every student
    version is written; a bad input is one line on stderr and exit status 2, as argparse's own
    errors, with nothing written."""
    parser = argparse.ArgumentParser(
        prog="python -m teachgrad.course.handouts",
        description="Write the student versions of lecture notebooks: the lines between "
                    f"'{BEGIN}' and '{END}' and the markdown cells marked as solutions are "
                    "dropped, exercise outputs cleared, and the notebook run again.")
    parser.add_argument("notebooks", nargs="+", metavar="NOTEBOOK", help="solution versions")
    parser.add_argument("-o", "--out", metavar="DIR",
                        help="the folder for the student versions (same file names)")
    parser.add_argument("--no-execute", action="store_true",
                        help="do not run them (their exercise cells have no outputs)")
    parser.add_argument("--stable-ids", action="store_true",
                        help="instead: rename the widget ids of the named notebooks in place, "
                             "in a fixed order (after executing a lecture, before trusting it)")
    args = parser.parse_args(argv)

    def fail(message):
        parser.exit(2, f"{parser.prog}: error: {_one_line(message)}\n")

    if args.stable_ids:
        try:
            for path in args.notebooks:
                _write(Path(path), stable_widget_ids(read_notebook(path)))
        except (ValueError, OSError) as error:
            fail(error)
        return 0
    if args.out is None:
        parser.error("the following arguments are required: -o/--out")

    try:
        write_student_versions(args.notebooks, args.out, execute=not args.no_execute,
                               say=lambda s: print(s, file=sys.stderr))
    except ValueError as error:
        fail(error)
    except OSError as error:            # no permission, a full disk, …
        fail(f"cannot write the student versions into {args.out!r}: {error.strerror or error}"
             + (f" ({error.filename})" if error.filename else ""))
    except ImportError as error:        # executing needs nbclient and nbformat
        fail(f"executing the student versions needs the Python package {error.name!r} "
             "(pip install nbclient), or pass --no-execute")
    return 0


if __name__ == "__main__":
    sys.exit(main())
