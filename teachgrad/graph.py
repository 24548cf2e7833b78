"""The teaching model of a computation graph: named nodes, local partials on edges, paths, and the
two modes of differentiation as ordered steps.

``trace("e = (a + b) * (b + 1)", a=2, b=1)`` parses the text with :mod:`ast` against a whitelist
(nothing is ``eval``-ed), computes it with the core — so the graph is exactly what the engine
recorded — and names every node. Numbers fold into the node that uses them (``d = b + 1`` is one
node with one input), and unnamed intermediate results take the next free single letters.

This module needs only NumPy; pictures are drawn by ``render.py`` (Graphviz) when asked for.
"""

import ast
import inspect
import string

import numpy as np

from . import ops
from .autodiff import backward, forward, input_cotangent, toposort
from .errors import ExpressionError, UnknownNodeError
from .notation import bar_name as _bar, dot_name as _dot, factor as _factor, fmt as _fmt
from .primitive import apply
from .tensor import Tensor

__all__ = ["trace", "Graph", "Node", "Edge", "Path", "Step"]

# The functions an expression may call, with the number of arguments each takes: every op that
# ops.py declares with ``expression=True``.
FUNCTIONS = {p.function: (p, p.n_inputs) for p in ops.REGISTRY.values() if p.expression}
_BINARY = {ast.Add: ops.add, ast.Sub: ops.sub, ast.Mult: ops.mul, ast.Div: ops.div,
           ast.Pow: ops.pow, ast.MatMult: ops.matmul}
_SYMBOL = {ast.Add: "+", ast.Sub: "-", ast.Mult: "*", ast.Div: "/", ast.Pow: "**", ast.MatMult: "@",
           ast.FloorDiv: "//", ast.Mod: "%", ast.BitAnd: "&", ast.BitOr: "|", ast.BitXor: "^",
           ast.LShift: "<<", ast.RShift: ">>"}
_WHAT = {ast.Attribute: "attribute access", ast.Subscript: "subscripts", ast.Lambda: "lambdas",
         ast.ListComp: "comprehensions", ast.SetComp: "comprehensions",
         ast.DictComp: "comprehensions", ast.GeneratorExp: "comprehensions",
         ast.IfExp: "conditional expressions", ast.Compare: "comparisons",
         ast.BoolOp: "and/or", ast.Import: "imports", ast.ImportFrom: "imports",
         ast.If: "if statements", ast.For: "loops", ast.While: "loops",
         ast.FunctionDef: "function definitions", ast.ClassDef: "class definitions",
         ast.NamedExpr: ":=", ast.Starred: "* unpacking", ast.List: "lists", ast.Tuple: "tuples",
         ast.Dict: "dicts", ast.Set: "sets", ast.JoinedStr: "f-strings", ast.Await: "await",
         ast.Yield: "yield", ast.AugAssign: "augmented assignment (+=)",
         ast.AnnAssign: "annotations", ast.Delete: "del", ast.With: "with", ast.Try: "try",
         ast.Raise: "raise", ast.Return: "return", ast.Global: "global", ast.Assert: "assert"}


class Node:
    """One node: its name, the operation that made it (None for an input), its inputs, its value."""

    __slots__ = ("name", "tensor", "op", "inputs", "args", "expr")

    def __init__(self, name, tensor, op, inputs, args, expr):
        self.name = name
        self.tensor = tensor
        self.op = op            # a Primitive, or None for an input
        self.inputs = inputs    # names of the input nodes (no literals), in order, without repeats
        self.args = args        # every argument as shown: node names and folded literals
        self.expr = expr        # "a + b", "sin(x)"; the input's own name for an input

    @property
    def value(self):
        return self.tensor._value

    @property
    def is_input(self):
        return self.op is None

    @property
    def shape(self):
        return self.tensor.shape

    @property
    def formula(self):
        """``c = a + b`` (an input: just its name)."""
        return self.name if self.op is None else f"{self.name} = {self.expr}"

    def __repr__(self):
        return f"<Node {self.formula} = {_fmt(self.value)}>"


class Edge:
    """An edge ``src -> dst`` with its local partial ∂dst/∂src: formula and value."""

    __slots__ = ("src", "dst", "formula", "value")

    def __init__(self, src, dst, formula, value):
        self.src, self.dst, self.formula, self.value = src, dst, formula, value

    @property
    def label(self):
        """``∂e/∂c = d = 2``, or ``∂c/∂a = 1`` when the formula is already the number.

        For arrays the value is a Jacobian; the label gives its formula and shape instead.
        """
        lhs = f"∂{self.dst}/∂{self.src}"
        if self.value is None or np.ndim(self.value):
            return f"{lhs} = {self.formula}"
        number = _fmt(self.value)
        if self.formula.replace("−", "-") == number:
            return f"{lhs} = {number}"
        return f"{lhs} = {self.formula} = {number}"

    def __repr__(self):
        return f"<Edge {self.src} -> {self.dst}: {self.label}>"


class Path:
    """One path from ``src`` to ``dst``: its node names and the product of its edge partials."""

    __slots__ = ("nodes", "factors", "product")

    def __init__(self, nodes, factors):
        self.nodes = tuple(nodes)
        self.factors = tuple(factors)
        product = 1
        for f in factors:
            product = product * f
        self.product = product

    @property
    def edges(self):
        return list(zip(self.nodes, self.nodes[1:]))

    @property
    def text(self):
        """``a → c → e: 1·2 = 2``"""
        return (" → ".join(self.nodes) + ": " + "·".join(_factor(f) for f in self.factors)
                + f" = {_fmt(self.product)}")

    def __repr__(self):
        return f"<Path {self.text}>"


class Step:
    """One step of a propagation: the node computed, its value, the edges it read, its arithmetic.

    ``kind`` is ``"seed"`` (the step that starts a mode), ``"input"`` or ``"compute"``; ``madds``
    counts the multiply-adds the step costs (one per edge read).
    """

    __slots__ = ("index", "mode", "node", "value", "reads", "text", "madds", "kind")

    def __init__(self, index, mode, node, value, reads, text, madds, kind):
        self.index, self.mode, self.node, self.value = index, mode, node, value
        self.reads, self.text, self.madds, self.kind = reads, text, madds, kind

    def __repr__(self):
        return f"<Step {self.index} ({self.mode}) {self.text}>"


# ------------------------------------------------------------------------------------------------
# Parsing text
# ------------------------------------------------------------------------------------------------

def _error(message, node=None, source=None):
    line = getattr(node, "lineno", None)
    col = getattr(node, "col_offset", None)
    return ExpressionError(message, line, None if col is None else col + 1, source)


class _Parsed:
    """The statements of a source text, checked: nothing here runs anything."""

    def __init__(self, source, input_names):
        self.source = source
        try:
            tree = ast.parse(source, mode="exec")
        except SyntaxError as e:
            raise ExpressionError(f"syntax error: {e.msg}", e.lineno, e.offset, source) from None
        if not tree.body:
            raise ExpressionError("the expression is empty: expected something like "
                                  "'e = (a + b) * (b + 1)'", source=source)
        self.statements = []   # (target name or None, expression AST)
        assigned = {}          # a dict keeps order and looks up in O(1)
        self.mentioned = {}    # names read, in order of first appearance
        for i, stmt in enumerate(tree.body):
            if isinstance(stmt, ast.Assign):
                if len(stmt.targets) != 1 or not isinstance(stmt.targets[0], ast.Name):
                    raise _error("only simple assignments like 'c = a + b' are allowed", stmt,
                                 source)
                target = stmt.targets[0].id
                if target in FUNCTIONS:
                    raise _error(f"'{target}' is a function; it cannot be assigned to", stmt,
                                 source)
                if target in input_names:
                    raise _error(f"'{target}' is an input; assign to a new name instead", stmt,
                                 source)
                if target in assigned:
                    raise _error(f"'{target}' is assigned twice; each node gets one name", stmt,
                                 source)
                self._check(stmt.value, assigned, input_names)
                assigned[target] = True
                self.statements.append((target, stmt.value))
            elif isinstance(stmt, ast.Expr):
                if i != len(tree.body) - 1:
                    raise _error("a bare expression may only be the last line; name it "
                                 "('c = …') to use it later", stmt, source)
                self._check(stmt.value, assigned, input_names)
                self.statements.append((None, stmt.value))
            else:
                what = _WHAT.get(type(stmt), type(stmt).__name__)
                raise _error(f"{what} not allowed: write assignments like 'c = a + b' and "
                             "expressions of + - * / ** and the math functions", stmt, source)
        self.assigned = list(assigned)
        self.mentioned = list(self.mentioned)

    def _check(self, expr, assigned, input_names):
        """Reject anything but numbers, names, arithmetic and whitelisted calls — before running."""
        stack = [expr]
        while stack:
            node = stack.pop()
            if isinstance(node, ast.Constant):
                if isinstance(node.value, bool) or not isinstance(node.value, (int, float)):
                    raise _error(f"{node.value!r} is not a number: only numbers, names and "
                                 "arithmetic are allowed", node, self.source)
            elif isinstance(node, ast.Name):
                if node.id in FUNCTIONS:
                    raise _error(f"'{node.id}' is a function: call it, e.g. {node.id}(x)", node,
                                 self.source)
                if node.id not in assigned and node.id not in input_names:
                    known = sorted(set(assigned) | set(input_names))
                    hint = f"; known names: {', '.join(known)}" if known else ""
                    raise _error(f"unknown name '{node.id}': give it a value (e.g. "
                                 f"{node.id}=1.0) or assign it on an earlier line{hint}", node,
                                 self.source)
                self.mentioned.setdefault(node.id, True)
            elif isinstance(node, ast.BinOp):
                if type(node.op) not in _BINARY:
                    raise _error(f"operator '{_SYMBOL.get(type(node.op), '?')}' not allowed: use "
                                 "+ - * / ** or @", node, self.source)
                stack += [node.right, node.left]
            elif isinstance(node, ast.UnaryOp):
                if not isinstance(node.op, (ast.USub, ast.UAdd)):
                    raise _error("only unary minus and plus are allowed", node, self.source)
                stack.append(node.operand)
            elif isinstance(node, ast.Call):
                if not isinstance(node.func, ast.Name):
                    what = "attribute access" if isinstance(node.func, ast.Attribute) else \
                        "calling this"
                    raise _error(f"{what} not allowed: call the math functions by their bare "
                                 f"names ({', '.join(FUNCTIONS)})", node, self.source)
                name = node.func.id
                if name not in FUNCTIONS:
                    raise _error(f"'{name}' is not an allowed function: expected one of "
                                 f"{', '.join(FUNCTIONS)}", node, self.source)
                if node.keywords or any(isinstance(a, ast.Starred) for a in node.args):
                    raise _error(f"{name}() takes plain arguments only", node, self.source)
                arity = FUNCTIONS[name][1]
                if len(node.args) != arity:
                    raise _error(f"{name}() takes {arity} argument{'s' * (arity > 1)}, got "
                                 f"{len(node.args)}", node, self.source)
                stack += reversed(node.args)
            else:
                what = _WHAT.get(type(node), type(node).__name__)
                raise _error(f"{what} not allowed: only numbers, names, + - * / ** @, unary "
                             f"minus and the functions {', '.join(FUNCTIONS)}", node,
                             self.source)


def _letters(taken):
    """Free single letters, then t1, t2, … once the alphabet is used up."""
    for ch in string.ascii_lowercase:
        if ch not in taken:
            yield ch
    i = 1
    while True:
        if f"t{i}" not in taken:
            yield f"t{i}"
        i += 1


def _input_tensor(name, value):
    if isinstance(value, Tensor):
        value = value._value
    try:
        t = Tensor(value)
    except (TypeError, ValueError) as e:
        raise ExpressionError(f"input {name}={value!r} is not a number or an array: {e}") from None
    if not np.issubdtype(t.dtype, np.number) or np.issubdtype(t.dtype, np.complexfloating):
        raise ExpressionError(f"input {name} has dtype {t.dtype}: expected real numbers")
    if np.issubdtype(t.dtype, np.integer):
        t = Tensor(t._value.astype(np.float64) if np.ndim(t._value) else float(t._value))
    t.name = name
    return t


def _eval_text(parsed, inputs):
    """Compute the parsed statements with the core; return output tensors and the names given."""
    env = dict(inputs)
    names = {}
    named_ids = set()
    outputs = []
    for target, expr in parsed.statements:
        if isinstance(expr, ast.Constant) or (isinstance(expr, ast.UnaryOp)
                                              and isinstance(expr.operand, ast.Constant)):
            if target is None:
                raise _error("the expression is just a number: nothing to differentiate", expr,
                             parsed.source)
            value = _eval_expr(expr, env)   # 'x = 3' makes an input x with the value 3
            t = _input_tensor(target, value)
            env[target] = t
            inputs[target] = t
            continue
        result = _eval_expr(expr, env)
        if not isinstance(result, Tensor):
            raise _error("this line computes only numbers (no input appears in it): nothing to "
                         "differentiate", expr, parsed.source)
        if target is not None:
            if result.prim is None or id(result) in named_ids:
                raise _error(f"'{target} = …' only copies another node; write an operation",
                             expr, parsed.source)
            names[target] = result
            named_ids.add(id(result))
            env[target] = result
        outputs.append(result)
    return outputs[-1:], names


def _eval_expr(expr, env):
    """Evaluate a checked expression. Numbers stay numbers (they fold); tensors record."""
    if isinstance(expr, ast.Constant):
        return expr.value
    if isinstance(expr, ast.Name):
        return env[expr.id]
    if isinstance(expr, ast.UnaryOp):
        x = _eval_expr(expr.operand, env)
        if isinstance(expr.op, ast.UAdd):
            return x
        return apply(ops.neg, x) if isinstance(x, Tensor) else -x
    if isinstance(expr, ast.BinOp):
        a = _eval_expr(expr.left, env)
        b = _eval_expr(expr.right, env)
        return _call(_BINARY[type(expr.op)], [a, b])
    if isinstance(expr, ast.Call):
        args = [_eval_expr(a, env) for a in expr.args]
        return _call(FUNCTIONS[expr.func.id][0], args)
    raise AssertionError("unchecked expression")  # _Parsed._check rejected everything else


def _call(prim, args):
    if any(isinstance(a, Tensor) for a in args):
        return apply(prim, *args)
    with np.errstate(all="ignore"):
        return prim.impl(*[np.float64(a) if isinstance(a, int) else a for a in args]).item()


# ------------------------------------------------------------------------------------------------
# trace
# ------------------------------------------------------------------------------------------------

def trace(source, **inputs):
    """The computation graph of ``source`` at the given inputs.

    ``source`` is text — assignments and/or one final expression, over one or more lines — or a
    Python function whose parameters are the inputs.

    >>> import teachgrad as tg
    >>> g = tg.trace("e = (a + b) * (b + 1)", a=2, b=1)
    >>> g.nodes
    ['a', 'b', 'c', 'd', 'e']
    >>> [float(g.value(n)) for n in g.nodes]
    [2.0, 1.0, 3.0, 2.0, 6.0]
    >>> g.edge("c", "e").label
    '∂e/∂c = d = 2'
    >>> float(g.derivative("e", "a")), float(g.derivative("e", "b"))
    (2.0, 5.0)
    >>> tg.trace("e = a.b", a=1)
    Traceback (most recent call last):
    ...
    teachgrad.errors.ExpressionError: attribute access not allowed: only numbers, names, + - * / ** @, unary minus and the functions sin, cos, tan, exp, log, sqrt, square, abs, sinh, cosh, tanh, sigmoid, relu, maximum, minimum (line 1, column 5)
    """
    if callable(source) and not isinstance(source, str):
        return _trace_callable(source, inputs)
    if not isinstance(source, str):
        raise TypeError(f"trace: source is a {type(source).__name__}; expected the text of an "
                        "expression or a Python function")
    for name in inputs:
        if not name.isidentifier():
            raise ExpressionError(f"input name {name!r} is not a valid name")
        if name in FUNCTIONS:
            raise ExpressionError(f"input name '{name}' is a function's name; choose another")
    parsed = _Parsed(source, set(inputs))
    unused = [n for n in inputs if n not in parsed.mentioned]
    if unused:
        raise ExpressionError(f"input{'s' * (len(unused) > 1)} {', '.join(unused)} not used by "
                              f"the expression (it mentions {', '.join(parsed.mentioned)})",
                              source=source)
    tensors = {name: _input_tensor(name, inputs[name]) for name in parsed.mentioned
               if name in inputs}
    outputs, names = _eval_text(parsed, tensors)
    order = [n for n in parsed.mentioned if n in tensors]   # inputs in order of first use
    return Graph._build(outputs, [tensors[n] for n in order], names, source=source, inputs=inputs)


def _trace_callable(f, inputs):
    try:
        params = list(inspect.signature(f).parameters)
    except (TypeError, ValueError):
        raise TypeError(f"trace: cannot read the parameters of {f!r}") from None
    missing = [p for p in params if p not in inputs]
    extra = [n for n in inputs if n not in params]
    if missing or extra:
        raise ExpressionError(f"trace: {getattr(f, '__name__', 'the function')} takes "
                              f"({', '.join(params)}); "
                              + (f"missing values for {', '.join(missing)}" if missing else "")
                              + ("; " if missing and extra else "")
                              + (f"unknown inputs {', '.join(extra)}" if extra else ""))
    tensors = [_input_tensor(p, inputs[p]) for p in params]
    out = f(*tensors)
    outs = list(out) if isinstance(out, (list, tuple)) else [out]
    if not all(isinstance(o, Tensor) for o in outs):
        raise ExpressionError("trace: the function returned no tensor computed from its inputs")
    return Graph._build(outs, tensors, {}, source=f, inputs=inputs)


# ------------------------------------------------------------------------------------------------
# Graph
# ------------------------------------------------------------------------------------------------

class Graph:
    """A traced computation: named nodes in topological order, local partials on the edges.

    Make one with :func:`trace`. Everything is computed at the inputs' current values; use
    :meth:`at` for the same graph at other values.
    """

    def __init__(self):
        raise TypeError("make a Graph with teachgrad.trace(source, **inputs)")

    @classmethod
    def _build(cls, outputs, input_tensors, given_names, source=None, inputs=None):
        self = object.__new__(cls)
        self.source = source
        self._inputs_given = dict(inputs or {})
        input_set = set(input_tensors)
        order = toposort(outputs)
        depends = set(input_set)
        for t in order:
            if t not in depends and any(i in depends for i in t.inputs):
                depends.add(t)
        op_tensors = [t for t in order if t.prim is not None and t in depends]
        taken = {t.name for t in input_tensors} | set(given_names)
        taken |= {t._name for t in op_tensors if t._name}
        fresh = _letters(taken)
        name_of = {t: t.name for t in input_tensors}
        for name, t in given_names.items():
            name_of[t] = name
        for t in op_tensors:
            if t not in name_of:
                name_of[t] = t._name if t._name else next(fresh)
        self._nodes = {}
        for t in input_tensors:
            self._nodes[name_of[t]] = Node(name_of[t], t, None, [], [], name_of[t])
        for t in op_tensors:
            args = []
            for inp in t.inputs:
                if inp in name_of:
                    args.append(name_of[inp])
                else:   # a constant folds into this node as a literal
                    args.append(_fmt(inp._value) if inp.size == 1 else "const")
            inputs_ = []
            for inp in t.inputs:
                if inp in name_of and name_of[inp] not in inputs_:
                    inputs_.append(name_of[inp])
            self._nodes[name_of[t]] = Node(name_of[t], t, t.prim, inputs_, args,
                                           _expr_text(t, args))
        self.inputs = [name_of[t] for t in input_tensors]
        self.outputs = [name_of[t] for t in outputs if t in name_of]
        self._consumers = {n: [] for n in self._nodes}
        for node in self._nodes.values():
            for src in node.inputs:
                self._consumers[src].append(node.name)
        # Levels (longest path from an input) give the order of steps: a, b, c, d, e forward and
        # e, c, d, a, b backward for the seed graph — each a topological order.
        self._level = {}
        for name, node in self._nodes.items():
            self._level[name] = 1 + max((self._level[s] for s in node.inputs), default=-1)
        self._edges = {}
        for node in self._nodes.values():
            for src in node.inputs:
                self._edges[(src, node.name)] = _make_edge(node, src, self._nodes)
        return self

    # --- structure ---
    @property
    def nodes(self):
        """Node names in topological order (inputs first)."""
        return list(self._nodes)

    @property
    def edges(self):
        """Every edge, each an :class:`Edge` with ``src``, ``dst``, ``formula``, ``value``."""
        return list(self._edges.values())

    @property
    def output(self):
        return self.outputs[-1]

    def node(self, name):
        self._check_node(name)
        return self._nodes[name]

    def edge(self, src, dst):
        if (src, dst) not in self._edges:
            self._check_node(src)
            self._check_node(dst)
            raise KeyError(f"no edge {src} -> {dst}: {dst} does not use {src} directly")
        return self._edges[(src, dst)]

    def consumers(self, name):
        """The nodes that use ``name`` directly, in order."""
        self._check_node(name)
        return list(self._consumers[name])

    def _check_node(self, name):
        if name not in self._nodes:
            raise UnknownNodeError(f"no node {name!r} in the graph: expected one of "
                                   f"{', '.join(self._nodes)}")

    def __len__(self):
        return len(self._nodes)

    def __contains__(self, name):
        return name in self._nodes

    @property
    def depth(self):
        """The number of ranks: 1 + the longest path (in edges) from an input to a node."""
        return 1 + max(self._level.values())

    @property
    def is_scalar(self):
        return all(node.tensor.size == 1 and node.tensor.ndim == 0
                   for node in self._nodes.values())

    def formula(self, name):
        """``c = a + b``"""
        return self.node(name).formula

    def value(self, name):
        """The value of node ``name`` (a NumPy scalar or a read-only array)."""
        return self.node(name).value

    def partial(self, src, dst):
        """The local partial ∂dst/∂src on the edge ``src -> dst`` at the current values.

        A number for scalars; for arrays, the element-wise partial (broadcast to ``dst``'s shape)
        of an element-wise operation, or the Jacobian as a 2-D array (dst.size × src.size).
        """
        return self.edge(src, dst).value

    # --- derivatives ---
    def derivative(self, of, wrt):
        """The total derivative d(of)/d(wrt): the sum over every path of the products of partials.

        For arrays: the gradient of ``sum(of)`` with respect to ``wrt`` (as ``tg.gradients``).
        """
        self._check_node(of)
        self._check_node(wrt)
        t_of, t_wrt = self._nodes[of].tensor, self._nodes[wrt].tensor
        if of == wrt:
            return np.ones(t_of.shape)[()] * 1.0
        g = backward([t_of], [np.ones(t_of.shape)[()]], [t_wrt], record=False)[0]
        return np.zeros(t_wrt.shape)[()] if g is None else g._value

    def count_paths(self, src, dst):
        """The number of paths from ``src`` to ``dst``, by dynamic programming (no enumeration).

        >>> import teachgrad as tg
        >>> g = tg.trace("e = (a + b) * (b + 1)", a=2, b=1)
        >>> g.count_paths("b", "e")
        2
        """
        self._check_node(src)
        self._check_node(dst)
        count = {src: 1}
        for name, node in self._nodes.items():
            if name == src:
                continue
            total = 0
            for s in node.inputs:
                total += count.get(s, 0)
            if total:
                count[name] = total
        return count.get(dst, 0)

    def paths(self, src, dst, limit=100_000):
        """Every path from ``src`` to ``dst``, each with ``.nodes`` and ``.product``.

        >>> import teachgrad as tg
        >>> g = tg.trace("e = (a + b) * (b + 1)", a=2, b=1)
        >>> [p.text for p in g.paths("b", "e")]
        ['b → c → e: 1·2 = 2', 'b → d → e: 1·3 = 3']
        """
        n = self.count_paths(src, dst)
        if n > limit:
            raise ValueError(f"{n} paths from {src} to {dst}: too many to list (limit {limit}); "
                             "count_paths counts them without listing")
        reaches = self._reaching(dst)
        result = []
        stack = [(src, [src], [])]
        while stack:
            name, nodes, factors = stack.pop()
            if name == dst:
                result.append(Path(nodes, factors))
                continue
            for nxt in reversed(self._consumers[name]):
                if nxt in reaches:
                    stack.append((nxt, nodes + [nxt], factors + [self._edges[(name, nxt)].value]))
        return result

    def _reaching(self, dst):
        """The nodes from which ``dst`` can be reached (``dst`` included)."""
        reach = {dst}
        for name in reversed(list(self._nodes)):
            if name in reach:
                reach.update(self._nodes[name].inputs)
        return reach

    # --- the steps of each mode ---
    def _forward_order(self):
        """Inputs first, then by level, ties in node order (a topological order)."""
        position = {n: i for i, n in enumerate(self._nodes)}
        return sorted(self._nodes, key=lambda n: (self._level[n], position[n]))

    def steps(self, mode="values", wrt=None, of=None):
        """The steps of ``mode``: ``"values"``, ``"forward"`` (seeded at input ``wrt``, the first
        input by default) or ``"reverse"`` (seeded at ``of``, the output by default)."""
        if mode == "values":
            return self.value_steps()
        if mode == "forward":
            return self.forward_mode(wrt if wrt is not None else self.inputs[0])
        if mode == "reverse":   # reverse mode gives d of/d x for every x at once: wrt plays no part
            return self.reverse_mode(of if of is not None else self.output)
        raise ValueError(f"mode {mode!r} not understood: expected 'values', 'forward' or "
                         "'reverse'")

    def value_steps(self):
        """Values flowing forward: the inputs, then each node computed from its inputs.

        >>> import teachgrad as tg
        >>> [s.text for s in tg.trace("e = (a + b) * (b + 1)", a=2, b=1).value_steps()]
        ['a = 2', 'b = 1', 'c = a + b = 2 + 1 = 3', 'd = b + 1 = 1 + 1 = 2', 'e = c·d = 3·2 = 6']
        """
        steps = []
        for name in self._forward_order():
            node = self._nodes[name]
            if node.is_input:
                text = f"{name} = {_fmt(node.value)}"
                steps.append(Step(len(steps), "values", name, node.value, [], text, 0, "input"))
                continue
            shown = [_factor(self._nodes[a].value) if a in self._nodes else a for a in node.args]
            text = f"{name} = {node.expr} = {_expr_text(node.tensor, shown)} = {_fmt(node.value)}"
            reads = [(s, name) for s in node.inputs]
            steps.append(Step(len(steps), "values", name, node.value, reads, text, 0, "compute"))
        return steps

    def forward_mode(self, wrt):
        """Forward-mode differentiation seeded at input ``wrt``: the tangent d node/d wrt of every
        node, inputs first, each from the tangents of its inputs.

        >>> import teachgrad as tg
        >>> g = tg.trace("e = (a + b) * (b + 1)", a=2, b=1)
        >>> [(s.node, float(s.value)) for s in g.forward_mode("b")]
        [('a', 0.0), ('b', 1.0), ('c', 1.0), ('d', 1.0), ('e', 5.0)]
        >>> g.forward_mode("b")[-1].text
        'ė = ∂e/∂c·ċ + ∂e/∂d·ḋ = 2·1 + 3·1 = 5'
        """
        self._check_node(wrt)
        t_wrt = self._nodes[wrt].tensor
        seed = np.ones(t_wrt.shape)[()]
        tangents = forward([self._nodes[n].tensor for n in self.outputs], [t_wrt], [seed],
                            record=False)
        steps = []
        done = {}   # tangents so far, by node
        for name in self._forward_order():
            node = self._nodes[name]
            t = tangents.get(node.tensor)
            value = np.zeros(node.shape)[()] if t is None else np.broadcast_to(t, node.shape)[()]
            done[name] = value
            if name == wrt:
                text = f"{_dot(name)} = 1 (seed: d{name}/d{wrt})"
                steps.append(Step(len(steps), "forward", name, value, [], text, 0, "seed"))
            elif node.is_input:
                text = f"{_dot(name)} = 0 ({name} does not change with {wrt})"
                steps.append(Step(len(steps), "forward", name, value, [], text, 0, "input"))
            else:
                reads = [(s, name) for s in node.inputs]
                text = self._sum_of_products(_dot(name), reads, node.inputs, _dot, done, value)
                steps.append(Step(len(steps), "forward", name, value, reads, text, len(reads),
                                  "compute"))
        return steps

    def reverse_mode(self, of=None):
        """Reverse-mode differentiation seeded at ``of`` (the output by default): the adjoint
        d of/d node of every node, from the output back to the inputs.

        >>> import teachgrad as tg
        >>> g = tg.trace("e = (a + b) * (b + 1)", a=2, b=1)
        >>> [(s.node, float(s.value)) for s in g.reverse_mode("e")]
        [('e', 1.0), ('c', 2.0), ('d', 3.0), ('a', 2.0), ('b', 5.0)]
        >>> g.reverse_mode("e")[-1].text
        'b̄ = ∂c/∂b·c̄ + ∂d/∂b·d̄ = 1·2 + 1·3 = 5'
        """
        of = self.output if of is None else of
        self._check_node(of)
        t_of = self._nodes[of].tensor
        reach = self._reaching(of)
        tensors = [self._nodes[n].tensor for n in self._nodes]
        adj = backward([t_of], [np.ones(t_of.shape)[()]], tensors, record=False)
        adjoint = {n: a for n, a in zip(self._nodes, adj)}
        position = {n: i for i, n in enumerate(self._nodes)}
        order = sorted(self._nodes, key=lambda n: (-self._level[n], position[n]))
        steps = []
        done = {}   # adjoints so far, by node
        for name in order:
            node = self._nodes[name]
            a = adjoint[name]
            value = np.zeros(node.shape)[()] if a is None else a._value
            done[name] = value
            if name == of:
                text = f"{_bar(name)} = 1 (seed: d{of}/d{of})"
                steps.append(Step(len(steps), "reverse", name, value, [], text, 0, "seed"))
                continue
            users = [c for c in self._consumers[name] if c in reach]
            if not users:
                text = f"{_bar(name)} = 0 ({of} does not depend on {name})"
                steps.append(Step(len(steps), "reverse", name, value, [], text, 0, "input"))
                continue
            reads = [(name, c) for c in users]
            text = self._sum_of_products(_bar(name), reads, users, _bar, done, value)
            steps.append(Step(len(steps), "reverse", name, value, reads, text, len(reads),
                              "compute"))
        return steps

    def _sum_of_products(self, lhs, edges, others, mark, done, value):
        """``ḋ = ∂d/∂b·ḃ = 1·1 = 1``: the step's rule in symbols, then in numbers.

        ``edges`` are the (src, dst) edges read, ``others`` the node at the far end of each, whose
        tangent or adjoint (``mark``) is already in ``done``.
        """
        terms = [f"∂{dst}/∂{src}·{mark(o)}" for (src, dst), o in zip(edges, others)]
        nums = [f"{_factor(self._edges[e].value)}·{_factor(done[o])}" for e, o in zip(edges, others)]
        return f"{lhs} = {' + '.join(terms)} = {' + '.join(nums)} = {_fmt(value)}"

    def cost(self, mode):
        """Multiply-adds to get the derivatives of every output with respect to every input:
        forward mode needs one pass per input, reverse mode one pass per output.

        >>> import teachgrad as tg
        >>> g = tg.trace("e = (a + b) * (b + 1)", a=2, b=1)
        >>> g.cost("forward"), g.cost("reverse")     # 5 edges; 2 inputs, 1 output
        (10, 5)
        """
        edges = len(self._edges)
        if mode == "forward":
            return edges * len(self.inputs)
        if mode == "reverse":
            return edges * len(self.outputs)
        raise ValueError(f"mode {mode!r}: expected 'forward' or 'reverse'")

    # --- other values ---
    def at(self, **values):
        """The same graph at other input values (unchanged inputs keep theirs).

        >>> import teachgrad as tg
        >>> float(tg.trace("e = (a + b) * (b + 1)", a=2, b=1).at(b=2).value("e"))
        12.0
        """
        unknown = [n for n in values if n not in self.inputs]
        if unknown:
            raise ExpressionError(f"{', '.join(unknown)}: not an input of this graph (its inputs "
                                  f"are {', '.join(self.inputs)})")
        return trace(self.source, **{**self._inputs_given, **values})

    # --- pictures (Graphviz, loaded on first use) ---
    def to_dot(self, **options):
        """A ``graphviz.Digraph`` of this graph; see :func:`teachgrad.render.to_dot`."""
        from . import render
        return render.to_dot(self, **options)

    def svg(self, **options):
        """The picture as SVG text; see :func:`teachgrad.render.svg`."""
        from . import render
        return render.svg(self, **options)

    def _repr_mimebundle_(self, include=None, exclude=None):
        from . import render
        return render.mimebundle(self)

    def __repr__(self):
        shown = ", ".join(f"{n}={_fmt(self._nodes[n].value)}" for n in self.inputs)
        body = self.source if isinstance(self.source, str) else \
            getattr(self.source, "__name__", "function")
        body = " ; ".join(line.strip() for line in str(body).strip().splitlines())
        return f"<Graph {body!r} at {shown}: {len(self._nodes)} nodes {', '.join(self._nodes)}>"


def _expr_text(t, args):
    template = t.prim.expr or (t.prim.name + "({0})")
    try:
        return template.format(*args)
    except IndexError:
        return f"{t.prim.name}({', '.join(args)})"


def _formula_text(op, i, args):
    f = op.formulas[i] if op.formulas is not None else "?"
    if callable(f):
        return f(args)
    try:
        return f.format(*args)
    except IndexError:
        return f


def _make_edge(node, src, nodes):
    """The edge src -> node: the local partial, summed over every argument position src fills."""
    t = node.tensor
    src_t = nodes[src].tensor
    positions = [i for i, inp in enumerate(t.inputs) if inp is src_t]
    formulas = [_formula_text(t.prim, i, node.args) for i in positions]
    if t.prim.elementwise:
        out = t._value
        vals = [inp._value for inp in t.inputs]
        total = None
        with np.errstate(all="ignore"):
            for i in positions:
                p = t.prim.partials[i](out, *vals)
                if p is None:
                    p = 0.0
                p = np.broadcast_to(np.asarray(p, dtype=np.result_type(out, float)),
                                    np.shape(out))
                total = p if total is None else total + p
        value = total[()] if total.ndim == 0 else total
        value = value.copy() if isinstance(value, np.ndarray) else value
        formula = " + ".join(formulas) if len(formulas) > 1 else formulas[0]
        if isinstance(value, np.ndarray) and value.size > 1:
            n_in = int(np.prod(nodes[src].shape))
            formula = f"diag({formula})  [{value.size}×{n_in} Jacobian]"
    else:
        value = _jacobian(t, positions)
        formula = " + ".join(formulas) if len(formulas) > 1 else formulas[0]
        formula = f"{formula}  [{t.size}×{t.inputs[positions[0]].size} Jacobian]"
    return Edge(src, node.name, formula, value)


def _jacobian(t, positions, max_entries=1_000_000):
    """The local Jacobian ∂t/∂input (t.size × input.size), one vjp of the op per output element."""
    src = t.inputs[positions[0]]
    if t.size * src.size > max_entries:
        return None
    rows = []
    for k in range(t.size):
        seed = np.zeros(t.size)
        seed[k] = 1.0
        row = np.zeros(src.size)
        for i in positions:
            g = input_cotangent(t, i, seed.reshape(t.shape)[()], record=False)
            if g is not None:
                row = row + np.ravel(np.broadcast_to(g, src.shape))
        rows.append(row)
    return np.array(rows).reshape(t.size, src.size)
