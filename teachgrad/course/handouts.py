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
import json
import sys
from pathlib import Path

__all__ = ["BEGIN", "END", "student_version", "solution_lines", "write_student_versions", "main"]

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
    replace_file(path, data.encode("utf-8"))


def write_student_versions(sources, folder, execute=True, say=print):
    """Write the student version of each notebook in ``sources`` into ``folder`` (same file
    names), executed top to bottom if ``execute``; returns the paths written.

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
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for source in map(Path, sources):
        nb = student_version(json.loads(source.read_text(encoding="utf-8")))
        if execute:
            say(f"executing the student version of {source.name} …")
            nb = _execute(nb, folder)
        target = folder / source.name
        _write(target, nb)
        written.append(target)
        say(f"wrote {target}")
    return written


def main(argv=None):
    """``python -m teachgrad.course.handouts NOTEBOOK… -o DIR [--no-execute]``."""
    parser = argparse.ArgumentParser(
        prog="python -m teachgrad.course.handouts",
        description="Write the student versions of lecture notebooks: the lines between "
                    f"'{BEGIN}' and '{END}' and the markdown cells marked as solutions are "
                    "dropped, exercise outputs cleared, and the notebook run again.")
    parser.add_argument("notebooks", nargs="+", metavar="NOTEBOOK", help="solution versions")
    parser.add_argument("-o", "--out", required=True, metavar="DIR",
                        help="the folder for the student versions (same file names)")
    parser.add_argument("--no-execute", action="store_true",
                        help="do not run them (their exercise cells have no outputs)")
    args = parser.parse_args(argv)
    missing = [n for n in args.notebooks if not Path(n).is_file()]
    if missing:
        parser.error(f"no such notebook: {', '.join(missing)}")
    if any(Path(n).resolve().parent == Path(args.out).resolve() for n in args.notebooks):
        parser.error("the student versions would overwrite their sources: choose another -o DIR")
    try:
        write_student_versions(args.notebooks, args.out, execute=not args.no_execute,
                               say=lambda s: print(s, file=sys.stderr))
    except ValueError as error:
        parser.error(str(error))
    return 0


if __name__ == "__main__":
    sys.exit(main())
