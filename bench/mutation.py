"""Mutation testing of the modules where a surviving mutant means a wrong number or a wrong hint.

    .venv/bin/python bench/mutation.py                      # every module below, in this order
    .venv/bin/python bench/mutation.py session run_plan     # some of them
    .venv/bin/python bench/mutation.py --changed            # the modules this branch touched (vs main)
    .venv/bin/python bench/mutation.py --list               # the modules, their files, their tests
    .venv/bin/python bench/mutation.py ops_elementwise --fresh   # survivors rerun in a new process
    .venv/bin/python bench/mutation.py --workers 2          # two mutants at a time (an idle machine)
    .venv/bin/python bench/mutation.py session --equivalent MUTANT "why"   # record an equivalent
    .venv/bin/python bench/mutation.py fast --rescore       # score the last run again, no mutmut

Each module runs mutmut (``pip install -e '.[dev]'`` brings it) in its own scratch copy of the
repository, ``.mutation/NAME/`` (git-ignored), with one worker (``--workers``) under
``nice -n 15``: the machine is shared. mutmut changes one thing at a time in the module's source (an operator, a constant, a
condition, a string) and runs the tests that reach the changed function, from the module's small
set of test files below; a mutant the tests do not notice *survived*. The script prints one row of
MUTATION.md's score table per module and writes the survivors' diffs to
``.mutation/NAME/survivors.txt``.

A survivor that no test could notice (the same observable behaviour: a default argument that is
never used, a fast path whose slow path gives the same answer) is an *equivalent* mutant: it is
listed in ``bench/mutation_equivalent.txt`` as ``mutant-name | mutated line | why``, and counted
apart. When the source moves, mutmut's numbering moves with it: an entry is matched by its
function and its mutated line, whatever its number, and one whose line no longer matches is
reported as stale, to be checked again.

Some modules declare their ops at import (``FRESH``): their survivors are always rerun in a new
process, as ``--fresh`` does for any module. ``--rescore`` scores the last run again (after new
equivalents or tests) without running mutmut.

Score = killed / (all mutants - equivalent). "no tests" (no selected test reaches the function)
counts as not killed.
"""

import argparse
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SCRATCH = ROOT / ".mutation"
EQUIVALENT = ROOT / "bench" / "mutation_equivalent.txt"

# name -> (files mutated, test files that cover them).
MODULES = {
    "engine": (["teachgrad/autodiff/engine.py"], ["tests/autodiff"]),
    "fast": (["teachgrad/autodiff/fast.py"], ["tests/autodiff"]),
    "order": (["teachgrad/autodiff/order.py"], ["tests/autodiff"]),
    "transforms": (["teachgrad/autodiff/transforms.py"],
                   ["tests/autodiff", "tests/core/test_semantics.py"]),
    # The op rules, in four runs of under ~20 min each (every op's partials and VJPs)
    "ops_elementwise": (["teachgrad/ops/elementwise.py", "teachgrad/ops/nnmath.py",
                         "teachgrad/ops/operators.py", "teachgrad/ops/registry.py"],
                        ["tests/ops", "tests/tf1/test_ops.py"]),
    "ops_structural": (["teachgrad/ops/structural.py", "teachgrad/ops/runtime_shapes.py"],
                       ["tests/ops", "tests/tf1/test_ops.py"]),
    "ops_arrays": (["teachgrad/ops/arrays.py", "teachgrad/ops/reductions.py",
                    "teachgrad/ops/linalg.py", "teachgrad/ops/division.py",
                    "teachgrad/ops/nondiff.py"],
                   ["tests/ops", "tests/tf1/test_ops.py"]),
    "ops_nn": (["teachgrad/ops/conv.py", "teachgrad/ops/pool.py"],
               ["tests/ops/test_conv_pool_mutants.py", "tests/ops/test_gradients.py",
                "tests/tf1/test_ops.py", "tests/tf1/test_dense.py",
                "tests/tf1/test_dynamic_shapes.py"]),
    "ops_control_flow": (["teachgrad/ops/control_flow.py"],
                         ["tests/tf1/test_control_flow.py", "tests/tf1/test_control_flow_mutants.py",
                          "tests/ops"]),
    "run_plan": (["teachgrad/tf1/run_plan.py"],
                 ["tests/tf1/test_run_plan.py", "tests/tf1/test_run_plan_in_place.py",
                  "tests/tf1/test_run_plan_mutants.py",
                  "tests/tf1/test_session_plan_cache.py", "tests/tf1/test_session.py",
                  "tests/tf1/test_control_flow.py"]),
    "session": (["teachgrad/tf1/session.py"],
                ["tests/tf1/test_session_plan_cache.py", "tests/tf1/test_session_mutants.py",
                 "tests/tf1/test_session.py", "tests/tf1/test_devices.py",
                 "tests/tf1/test_control_flow.py"]),
    "variables": (["teachgrad/tf1/variables.py", "teachgrad/tf1/initializers.py"],
                  ["tests/tf1/test_variables.py",
                   "tests/tf1/test_variables_mutants.py"]),
    "train": (["teachgrad/tf1/train/optimizer.py", "teachgrad/tf1/train/optimizers.py"],
              ["tests/tf1/test_train.py", "tests/tf1/test_train_mutants.py"]),
    "shapes": (["teachgrad/core/shapes.py"],
               ["tests/core/test_dtypes_shapes.py",
                "tests/core/test_shapes_edges.py"]),
    "elements": (["teachgrad/teaching/elements.py"],
                 ["tests/teaching/test_graph.py",
                  "tests/teaching/test_elements.py"]),
    # the practice players but their diagnoses (mistakes.py is "diagnoses" below), against the
    # tests that reach them: mutmut runs, for each mutant, only the ones that call its function
    "practice": (["teachgrad/practice/answers.py", "teachgrad/practice/graphs.py",
                  "teachgrad/practice/page.py", "teachgrad/practice/session.py",
                  "teachgrad/practice/__init__.py"],
                 ["tests/practice/test_graphs.py", "tests/practice/test_hostile_fuzz.py",
                  "tests/practice/test_practice_page_data.py",
                  "tests/practice/test_practice_session_mutants.py",
                  "tests/practice/test_practice_mutants.py",
                  "tests/widgets/test_practice.py", "tests/course/test_hostile_refusals.py"]),
    # the diagnoses alone (the mistakes and their hints), against their fast tests
    "diagnoses": (["teachgrad/practice/mistakes.py"],
                  ["tests/practice/test_mistakes.py", "tests/practice/test_mistakes_cases.py",
                   "tests/practice/test_graphs.py"]),
    # the exercise checks (bench/mutation.py copies lectures/, which their tests read)
    "exercises": (["teachgrad/course/exercises.py", "teachgrad/course/answer_keys.py",
                  "teachgrad/course/engine_graphs.py"],
                  ["tests/course/test_exercises.py",
                   "tests/course/test_exercises_checks.py", "tests/course/test_exercise_keys.py",
                   "tests/course/test_exercise_variants.py",
                   "tests/course/test_exercise_mutants.py",
                   "tests/course/test_hostile_refusals.py"]),
}

# modules whose code runs at import (the ops' declarations, the operators installed on Tensor):
# mutmut's forked children never switch those mutants on, so their survivors are always rerun in
# a new process
FRESH = {"ops_elementwise", "ops_structural", "ops_arrays", "ops_control_flow"}

MUTMUT = [sys.executable, "-m", "mutmut"]
STATUS_LINE = re.compile(r"^\s*(\S+__mutmut_\d+): (.+)$")


def tests_of(name):
    return [t for t in MODULES[name][1] if (ROOT / t).exists()]


def prepare(name):
    """A fresh scratch copy of the package and the tests, with mutmut's settings for ``name``."""
    work = SCRATCH / name
    if work.exists():
        shutil.rmtree(work)
    work.mkdir(parents=True)
    ignore = shutil.ignore_patterns("__pycache__", "browser", "artifacts", ".hypothesis")
    shutil.copytree(ROOT / "teachgrad", work / "teachgrad", ignore=ignore)
    shutil.copytree(ROOT / "tests", work / "tests", ignore=ignore)
    if (ROOT / "lectures").exists():   # the exercise checks' tests read the lecture notebooks
        shutil.copytree(ROOT / "lectures", work / "lectures", ignore=ignore)
    toml = (ROOT / "pyproject.toml").read_text()
    toml += "\n[tool.mutmut]\n" + "\n".join([
        'source_paths = ["teachgrad"]',
        'also_copy = ["lectures"]',   # into mutants/, where the tests run
        f"only_mutate = {MODULES[name][0]!r}".replace("'", '"'),
        f"pytest_add_cli_args_test_selection = {tests_of(name)!r}".replace("'", '"'),
        'pytest_add_cli_args = ["-p", "no:cacheprovider", "-x", "-q"]',
    ]) + "\n"
    (work / "pyproject.toml").write_text(toml)
    return work


def function_of(mutant):
    """``pkg.mod.x_f__mutmut_12`` -> ``pkg.mod.x_f``: the mutated function, without mutmut's number."""
    return mutant.rsplit("__mutmut_", 1)[0]


def equivalents():
    """(mutated function, mutated line) -> reason, from bench/mutation_equivalent.txt.

    Keyed by the function and the line, not by mutmut's number, which moves whenever the
    function's body changes.
    """
    known = {}
    for line in EQUIVALENT.read_text().splitlines() if EQUIVALENT.exists() else ():
        if line.strip() and not line.startswith("#"):
            mutant, mutated, why = (part.strip() for part in line.split(" | ", 2))
            known[function_of(mutant), mutated] = why
    return known


def diff_of(work, mutant):
    out = subprocess.run(MUTMUT + ["show", mutant], cwd=work, capture_output=True, text=True)
    return out.stdout


def added_lines(diff):
    return " ".join(l[1:].strip() for l in diff.splitlines()
                    if l.startswith("+") and not l.startswith("+++"))


def killed_in_a_fresh_process(work, name, mutant):
    """Whether the module's tests fail with ``mutant`` switched on in a new Python process.

    mutmut 3 forks each mutant's test run from a process that has already imported the package,
    so a mutant in code that runs at import (the ops' declarations in ops/registry.py, the
    operators ops/operators.py installs on Tensor) is never switched on there, and survives
    whatever the tests check. Each survivor is run once more from scratch (a few seconds each).
    """
    env = dict(os.environ, MUTANT_UNDER_TEST=mutant, PYTHONPATH=str(work / "mutants"))
    done = subprocess.run(["nice", "-n", "15", sys.executable, "-m", "pytest", "-x", "-q",
                           "-p", "no:cacheprovider"] + tests_of(name),
                          cwd=work / "mutants", env=env, capture_output=True, text=True,
                          timeout=600)
    if done.returncode == 1:         # a test failed
        return True
    if done.returncode in (2, 4):    # pytest could not collect the tests (conftest, a test file):
        # killed when the mutant breaks `import teachgrad` itself (a declaration that raises,
        # an op that is never registered); anything else is pytest's trouble, not a verdict
        imported = subprocess.run([sys.executable, "-c", "import teachgrad"], cwd=work / "mutants",
                                  env=env, capture_output=True, text=True, timeout=300)
        return imported.returncode != 0
    return False


def run(name, recheck=False, workers=1, rescore=False):
    """Run mutmut over module ``name`` (or, with ``rescore``, take its last run) and score it."""
    recheck = recheck or name in FRESH
    work = SCRATCH / name
    if rescore:
        if not (work / "mutants").exists():
            print(f"{name}: no run to score again in {work}; run it first", flush=True)
            return 0.0
        minutes = None
    else:
        work = prepare(name)
        started = time.time()
        log = open(work / "mutmut.log", "w")
        done = subprocess.run(["nice", "-n", "15"] + MUTMUT + ["run", "--max-children",
                                                              str(workers)],
                              cwd=work, stdout=log, stderr=subprocess.STDOUT)
        minutes = (time.time() - started) / 60
        if done.returncode:
            print(f"{name}: mutmut stopped with {done.returncode}; see {work / 'mutmut.log'}")
    listing = subprocess.run(MUTMUT + ["results", "--all", "true"], cwd=work,
                             capture_output=True, text=True).stdout
    statuses = dict(m.groups() for m in map(STATUS_LINE.match, listing.splitlines()) if m)
    known, recorded = equivalents(), recorded_names()
    counts = {"killed": 0, "survived": 0, "equivalent": 0, "timeout": 0, "no tests": 0}
    report = []
    fresh = 0
    for mutant, status in statuses.items():
        if status in ("killed", "caught by type check"):
            counts["killed"] += 1
            continue
        if status == "timeout":
            counts["timeout"] += 1   # an endless loop is noticed: counted as killed below
            continue
        diff = diff_of(work, mutant)
        if (function_of(mutant), added_lines(diff)) in known:
            counts["equivalent"] += 1
            continue
        if recheck and killed_in_a_fresh_process(work, name, mutant):
            counts["killed"] += 1
            fresh += 1
            continue
        if mutant in recorded:
            report.append(f"# {mutant}: STALE entry in {EQUIVALENT.name} (the mutated line moved)")
        counts["no tests" if status == "no tests" else "survived"] += 1
        report.append(f"# {mutant}: {status}\n{diff}")
    (work / "survivors.txt").write_text("\n".join(report))
    if fresh:
        print(f"{name}: {fresh} of the killed were killed only in a fresh process (code that runs "
              "at import)", flush=True)
    total = sum(counts.values())
    scored = total - counts["equivalent"]
    score = 100.0 * (counts["killed"] + counts["timeout"]) / scored if scored else 100.0
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT,
                            capture_output=True, text=True).stdout.strip()
    print(f"| {name} | {time.strftime('%Y-%m-%d')} | {commit} | {total} | {counts['killed']} | "
          f"{counts['survived']} | {counts['no tests']} | {counts['equivalent']} | "
          f"{counts['timeout']} | {score:.1f} % | "
          f"{'rescored' if minutes is None else f'{minutes:.1f} min'} |", flush=True)
    return score


def recorded_names():
    """The mutant names bench/mutation_equivalent.txt lists (for the stale-entry report)."""
    return {line.split(" | ", 1)[0].strip()
            for line in (EQUIVALENT.read_text().splitlines() if EQUIVALENT.exists() else ())
            if line.strip() and not line.startswith("#")}


def changed_modules():
    files = subprocess.run(["git", "diff", "--name-only", "main...HEAD"], cwd=ROOT,
                           capture_output=True, text=True).stdout.split()
    files += subprocess.run(["git", "diff", "--name-only"], cwd=ROOT,
                            capture_output=True, text=True).stdout.split()
    from fnmatch import fnmatch
    return [n for n, (sources, _) in MODULES.items()
            if any(fnmatch(f, s) for f in files for s in sources)]


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("modules", nargs="*", help=f"some of: {', '.join(MODULES)}")
    parser.add_argument("--changed", action="store_true",
                        help="the modules whose files differ from main")
    parser.add_argument("--list", action="store_true", help="list the modules and stop")
    parser.add_argument("--fresh", action="store_true",
                        help="run each survivor's tests once more in a new process (catches "
                             "mutants in code that runs at import; a few seconds a survivor)")
    parser.add_argument("--workers", type=int, default=1, metavar="N",
                        help="mutants run at a time (default 1: the machine is shared; 2 on an "
                             "idle 2-core machine)")
    parser.add_argument("--rescore", action="store_true",
                        help="score the last run of each module again (after new equivalents, or "
                             "with --fresh after new tests) without running mutmut")
    parser.add_argument("--equivalent", nargs=2, metavar=("MUTANT", "WHY"),
                        help="record a survivor of the last run of MODULE as equivalent")
    args = parser.parse_args(argv)
    if args.equivalent:
        mutant, why = args.equivalent
        mutated = added_lines(diff_of(SCRATCH / args.modules[0], mutant))
        with open(EQUIVALENT, "a") as record:
            record.write(f"{mutant} | {mutated} | {why}\n")
        return 0
    if args.list:
        for name, (sources, _) in MODULES.items():
            print(f"{name:11} {' '.join(sources)}\n{'':11} tests: {' '.join(tests_of(name))}")
        return 0
    names = changed_modules() if args.changed else (args.modules or list(MODULES))
    unknown = [n for n in names if n not in MODULES]
    if unknown:
        parser.error(f"unknown module(s) {', '.join(unknown)}; known: {', '.join(MODULES)}")
    if not names:
        print("no module of the mutation table changed")
        return 0
    print("| module | date | commit | mutants | killed | survived | no tests | equivalent | "
          "timeout | score | time |\n|---|---|---|---|---|---|---|---|---|---|---|", flush=True)
    started = time.time()
    scores = [run(name, args.fresh, args.workers, args.rescore) for name in names]
    print(f"{len(names)} module(s) in {(time.time() - started) / 60:.1f} min with "
          f"{args.workers} worker(s)", flush=True)
    return 0 if all(s >= 95.0 for s in scores) else 1


if __name__ == "__main__":
    sys.exit(main())
