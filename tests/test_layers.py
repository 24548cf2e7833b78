"""The package's shape: no module reaches into another's private names, and no import cycles.

Parsed with ``ast`` (nothing is imported), so a violation fails here with the file and line,
before it can become a tangle.
"""

import ast
import pathlib

import pytest

PACKAGE = pathlib.Path(__file__).resolve().parent.parent / "teachgrad"


def _module_name(path):
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {_module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def _resolve(module, node):
    """The absolute module an ``ImportFrom`` names (``from ..x import y`` inside teachgrad.a.b)."""
    if not node.level:
        return node.module or ""
    package = module.split(".")
    if not MODULES[module].name == "__init__.py":
        package = package[:-1]
    base = package[:len(package) - node.level + 1]
    return ".".join(base + ([node.module] if node.module else []))


def _top_level_imports(module, tree):
    """The teachgrad modules ``module`` imports when it is imported (not inside functions)."""
    found = []
    for node in tree.body:
        if isinstance(node, ast.ImportFrom):
            target = _resolve(module, node)
            for alias in node.names:
                sub = f"{target}.{alias.name}"
                found.append(sub if sub in MODULES else target)
        elif isinstance(node, ast.Import):
            found += [a.name for a in node.names]
    return [m for m in found if m in MODULES and m != module]


def _private_imports(module, tree):
    bad = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and (node.level or (node.module or "").startswith(
                "teachgrad")):
            for alias in node.names:
                if alias.name.startswith("_") and not alias.name.startswith("__"):
                    bad.append(f"{MODULES[module].name}:{node.lineno} imports {alias.name} from "
                               f"{_resolve(module, node)}")
    return bad


def _private_attributes(module, tree):
    """``other_module._name``: a private name reached through an imported module."""
    modules = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            target = _resolve(module, node)
            modules |= {a.asname or a.name for a in node.names if f"{target}.{a.name}" in MODULES}
    bad = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) \
                and node.value.id in modules and node.attr.startswith("_") \
                and not node.attr.startswith("__"):
            bad.append(f"{MODULES[module].name}:{node.lineno} uses {node.value.id}.{node.attr}")
    return bad


TREES = {m: ast.parse(p.read_text(encoding="utf-8")) for m, p in MODULES.items()}


@pytest.mark.parametrize("module", sorted(MODULES))
def test_no_private_names_from_other_modules(module):
    bad = _private_imports(module, TREES[module]) + _private_attributes(module, TREES[module])
    assert not bad, "private names used across modules:\n" + "\n".join(bad)


def test_no_import_cycles():
    graph = {m: _top_level_imports(m, t) for m, t in TREES.items()}
    # A package imports its own submodules; a cycle is a submodule importing back "up" into one
    # that imports it. Depth-first search with an explicit stack.
    state, cycles = {}, []
    for start in graph:
        if start in state:
            continue
        stack = [(start, iter(graph[start]))]
        state[start] = "open"
        path = [start]
        while stack:
            node, children = stack[-1]
            child = next(children, None)
            if child is None:
                stack.pop()
                path.pop()
                state[node] = "done"
            elif state.get(child) == "open":
                if not child.startswith(node + ".") and not node.startswith(child + "."):
                    cycles.append(" -> ".join(path[path.index(child):] + [child]))
            elif child not in state:
                state[child] = "open"
                path.append(child)
                stack.append((child, iter(graph[child])))
    assert not cycles, "import cycles:\n" + "\n".join(cycles)


def test_the_checks_see_violations():
    """The two checks above find what they look for (so a pass means something)."""
    tree = ast.parse("from ..render import _esc\nfrom .. import plot\nplot._limits(1)\n")
    assert _private_imports("teachgrad.course.cli", tree) and \
        _private_attributes("teachgrad.course.cli", tree)


# The fast backward pass is long on purpose (its docstring says why); nothing else is.
LONG_ON_PURPOSE = {"_fast_pass"}


@pytest.mark.parametrize("module", sorted(MODULES))
def test_files_and_functions_stay_readable(module):
    """Files own one thing (at most ~450 lines); functions fit on a screen (~50 lines)."""
    path = MODULES[module]
    lines = len(path.read_text(encoding="utf-8").splitlines())
    assert lines <= 450, f"{path.name} has {lines} lines: split what it owns"
    long = [f"{node.name} ({node.end_lineno - node.lineno + 1} lines)"
            for node in ast.walk(TREES[module])
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))
            and node.end_lineno - node.lineno + 1 > 55 and node.name not in LONG_ON_PURPOSE]
    assert not long, f"{path.name}: functions over ~50 lines: {', '.join(long)}"
