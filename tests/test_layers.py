"""The package's shape: its folders are its layers, every import points down, and nothing forms a
circle — counting every import, the ones inside functions too.

Parsed with ``ast`` (nothing is imported), so a violation fails here with the file and line,
before it can become a tangle.
"""

import ast
import pathlib
import warnings

import pytest

PACKAGE = pathlib.Path(__file__).resolve().parent.parent / "teachgrad"

# The layers, lowest first. A module may import modules of its own layer or of a lower one.
# Inside a layer, imports may not form a circle either.
LAYERS = [
    ("base", ["teachgrad.errors", "teachgrad.optional", "teachgrad.version", "teachgrad.files"]),
    ("core", ["teachgrad.core"]),          # tensors, dtypes, shapes, the program graph, context
    ("ops", ["teachgrad.ops"]),            # one declaration per op: value, partials, formulas
    ("autodiff", ["teachgrad.autodiff"]),  # the engine's passes and the transforms
    ("tf1", ["teachgrad.tf1"]),            # TensorFlow 1: session, variables, nn, train, …
    ("faces", ["teachgrad.dtypes", "teachgrad.initializers", "teachgrad.random", "teachgrad.nn",
               "teachgrad.linalg", "teachgrad.losses", "teachgrad.layers", "teachgrad.train",
               "teachgrad.math", "teachgrad.data", "teachgrad.summary",
               "teachgrad.testing", "teachgrad.contrib"]),   # thin re-exports; testing: check_grads
    ("teaching", ["teachgrad.teaching"]),  # the teaching Graph, steps, expressions, notation
    ("pictures", ["teachgrad.render", "teachgrad.plot", "teachgrad.frameworks"]),
    ("practice", ["teachgrad.practice"]),
    ("widgets", ["teachgrad.widgets"]),
    ("course", ["teachgrad.course"]),      # cli, lectures, slides, handouts, exercises
    ("top", ["teachgrad", "teachgrad.__main__", "teachgrad.compat"]),
]

# The only imports that point up, each with its reason (importer, imported): all are made inside
# a function, on first use, so importing the lower layer never loads the upper one.
ALLOWED_UPWARD = {
    ("teachgrad.teaching.graph", "teachgrad.render"):
        "a teaching Graph draws itself (Graph.svg, to_dot, the Jupyter display), which needs "
        "Graphviz: the contract's `Graph.svg()`",
}


def _module_name(path):
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {_module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}
TREES = {m: ast.parse(p.read_text(encoding="utf-8")) for m, p in MODULES.items()}


def layer_of(module):
    """The index in LAYERS of the layer ``module`` belongs to (the longest matching prefix)."""
    best, index = "", None
    for k, (_, prefixes) in enumerate(LAYERS):
        for prefix in prefixes:
            if (module == prefix or module.startswith(prefix + ".")) and len(prefix) > len(best):
                best, index = prefix, k
    return index


def _resolve(module, node):
    """The absolute module an ``ImportFrom`` names (``from ..x import y`` inside teachgrad.a.b)."""
    if not node.level:
        return node.module or ""
    package = module.split(".")
    if not MODULES[module].name == "__init__.py":
        package = package[:-1]
    base = package[:len(package) - node.level + 1]
    return ".".join(base + ([node.module] if node.module else []))


def imports(module, tree):
    """Every teachgrad module ``module`` imports, at the top or inside a function, with the line:
    ``[(imported, line, inside_a_function)]``."""
    top = {id(node) for node in tree.body}
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            target = _resolve(module, node)
            for alias in node.names:
                sub = f"{target}.{alias.name}"
                found.append((sub if sub in MODULES else target, node.lineno, id(node) not in top))
        elif isinstance(node, ast.Import):
            found += [(a.name, node.lineno, id(node) not in top) for a in node.names]
        elif _imports_our_module_by_name(node) and module != "teachgrad":   # (the top's lazy
            # names load modules below it by name: everything is below the top)
            raise AssertionError(f"{MODULES[module]}:{node.lineno}: importlib.import_module hides "
                                 "an import from this check; import the module by name")
    return [(m, line, lazy) for m, line, lazy in found if m in MODULES and m != module]


def _imports_our_module_by_name(node):
    """``importlib.import_module(".x", __package__)`` or ``("teachgrad.x")``: an import this
    check cannot follow (``optional.require("matplotlib")`` loads other packages: fine)."""
    if not (isinstance(node, ast.Call) and getattr(node.func, "attr", None) == "import_module"):
        return False
    first = node.args[0] if node.args else None
    if isinstance(first, ast.JoinedStr) and first.values:
        first = first.values[0]
    text = first.value if isinstance(first, ast.Constant) and isinstance(first.value, str) else ""
    return text.startswith((".", "teachgrad")) or any(k.arg == "package" for k in node.keywords)


def upward_imports(graph):
    """The imports in ``graph`` ({module: [(imported, line, lazy)]}) that point up a layer and are
    not allowed, as readable lines."""
    bad = []
    for module, targets in graph.items():
        for target, line, lazy in targets:
            if layer_of(target) > layer_of(module) and not any(
                    (module == a or module.startswith(a + ".")) and
                    (target == b or target.startswith(b + ".")) for a, b in ALLOWED_UPWARD):
                where = "inside a function" if lazy else "at the top"
                bad.append(f"{module} ({LAYERS[layer_of(module)][0]}) imports {target} "
                           f"({LAYERS[layer_of(target)][0]}) {where}, line {line}")
    return bad


def circles(graph):
    """Every import circle in ``graph`` ({module: [(imported, line, lazy)]}), each as text. A
    package importing its own submodules is not a circle; a submodule importing the package it
    sits in (at the top) is how Python loads it, and is not counted either."""
    edges = {m: [t for t, _, _ in targets if not m.startswith(t + ".")]
             for m, targets in graph.items()}
    found, state = [], {}
    for start in sorted(edges):
        if start in state:
            continue
        stack, path = [(start, iter(edges[start]))], [start]
        state[start] = "open"
        while stack:
            node, children = stack[-1]
            child = next(children, None)
            if child is None:
                stack.pop()
                path.pop()
                state[node] = "done"
            elif state.get(child) == "open":
                circle = " -> ".join(path[path.index(child):] + [child])
                if not child.startswith(node + ".") and circle not in found:
                    found.append(circle)
            elif child not in state:
                state[child] = "open"
                path.append(child)
                stack.append((child, iter(edges.get(child, ()))))
    return found


GRAPH = {m: imports(m, t) for m, t in TREES.items()}


def test_every_module_has_a_layer():
    assert [m for m in MODULES if layer_of(m) is None] == []


def test_no_import_points_up():
    bad = upward_imports(GRAPH)
    assert not bad, "imports that point up a layer:\n" + "\n".join(bad)


def test_no_import_circles_counting_every_import():
    found = circles(GRAPH)
    assert not found, "import circles:\n" + "\n".join(found)


def test_the_allowed_upward_imports_are_still_needed():
    """An allow-list entry nobody uses any more is removed, not kept 'just in case'."""
    for importer, imported in ALLOWED_UPWARD:
        assert any(t == imported or t.startswith(imported + ".") for t, _, _ in GRAPH[importer]), \
            (importer, imported)
        assert all(lazy for t, _, lazy in GRAPH[importer]
                   if t == imported or t.startswith(imported + ".")), \
            f"{importer} imports {imported} at the top: an allowed upward import is made on use"


def _planted(module, text):
    graph = dict(GRAPH)
    graph[module] = GRAPH[module] + imports(module, ast.parse(text))
    return graph


def test_a_planted_function_level_upward_import_fails():
    """The check sees an import inside a function (the old test read top-level imports only)."""
    graph = _planted("teachgrad.core.tensor",
                     "def eval(self):\n    from ..tf1.session import Session\n")
    assert sorted(set(upward_imports(graph)) - set(upward_imports(GRAPH))) == [
        "teachgrad.core.tensor (core) imports teachgrad.tf1.session (tf1) inside a function, "
        "line 2"]


def test_a_planted_circle_fails():
    graph = _planted("teachgrad.teaching.program_trace",
                     "def retrace():\n    from .graph import trace\n")
    assert "teachgrad.teaching.graph -> teachgrad.teaching.program_trace -> " \
           "teachgrad.teaching.graph" in circles(graph)


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


@pytest.mark.parametrize("module", sorted(MODULES))
def test_no_private_names_from_other_modules(module):
    bad = _private_imports(module, TREES[module]) + _private_attributes(module, TREES[module])
    assert not bad, "private names used across modules:\n" + "\n".join(bad)


def test_the_private_name_checks_see_violations():
    tree = ast.parse("from ..render import _esc\nfrom .. import plot\nplot._limits(1)\n")
    assert _private_imports("teachgrad.course.cli", tree) and \
        _private_attributes("teachgrad.course.cli", tree)


# The fast backward pass and its scalar twin are long on purpose (their docstrings say why);
# nothing else is.
LONG_ON_PURPOSE = {"_fast_pass", "scalar_pass"}
# A file over this many lines is a prompt to look (a warning); over HARD_LIMIT it fails: one
# concept per module, whatever its length, but not a whole layer in one file.
LOOK_AT = 450
HARD_LIMIT = 700


@pytest.mark.parametrize("module", sorted(MODULES))
def test_files_and_functions_stay_readable(module):
    """Files own one concept; functions fit on a screen (~50 lines)."""
    path = MODULES[module]
    lines = len(path.read_text(encoding="utf-8").splitlines())
    assert lines <= HARD_LIMIT, f"{path} has {lines} lines: does it hold more than one concept?"
    if lines > LOOK_AT:
        warnings.warn(f"{path} has {lines} lines: does it own one concept?", stacklevel=1)
    long = [f"{node.name} ({node.end_lineno - node.lineno + 1} lines)"
            for node in ast.walk(TREES[module])
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))
            and node.end_lineno - node.lineno + 1 > 55 and node.name not in LONG_ON_PURPOSE]
    assert not long, f"{path.name}: functions over ~50 lines: {', '.join(long)}"
