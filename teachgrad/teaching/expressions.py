"""Expression text: the whitelist parser, and the evaluation of checked text with the core.

:func:`parse` reads text with :mod:`ast` and checks every node against a whitelist before anything
runs (nothing is ``eval``-ed); :func:`evaluate` then computes the statements with the core, so each
operation records itself exactly as it would in user code. Numbers stay Python numbers while they
meet only numbers, so ``b + 1`` is one operation with the literal ``1`` folded into it.

>>> parsed = parse("c = a + b\\nd = b + 1\\ne = c * d", {"a", "b"})
>>> parsed.assigned, parsed.inputs
(['c', 'd', 'e'], ['a', 'b'])
>>> run = evaluate(parsed, {"a": 2, "b": 1})
>>> float(run.outputs[0].numpy()), sorted(run.names)
(6.0, ['c', 'd', 'e'])
"""

import ast
import sys
import unicodedata
from collections import namedtuple

import numpy as np

from .. import ops
from ..errors import ExpressionError, ExpressionShapeError, ShapeError
from .notation import short_repr, shorten
from .source_text import MAX_TEXT, check_length, syntax_tree
from ..core.primitive import apply
from ..core.tensor import Tensor

__all__ = ["FUNCTIONS", "MAX_TEXT", "Parsed", "Evaluation", "parse", "evaluate", "mentioned_names",
           "number_value", "input_tensor", "normalize_inputs", "check_length",
           "ExpressionShapeError"]

# The functions an expression may call, with the number of arguments each takes: every op that
# the ops package declares with ``expression=True``.
FUNCTIONS = {p.function: (p, p.n_inputs) for p in ops.REGISTRY.values() if p.expression}
_BINARY = {ast.Add: ops.add, ast.Sub: ops.sub, ast.Mult: ops.mul, ast.Div: ops.div,
           ast.Pow: ops.pow, ast.MatMult: ops.matmul}
_SYMBOL = {ast.Add: "+", ast.Sub: "-", ast.Mult: "*", ast.Div: "/", ast.Pow: "**", ast.MatMult: "@",
           ast.FloorDiv: "//", ast.Mod: "%", ast.BitAnd: "&", ast.BitOr: "|", ast.BitXor: "^",
           ast.LShift: "<<", ast.RShift: ">>"}
# The error table: how a rejected piece of syntax is named in the message.
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


def _error(message, node=None, source=None, kind=ExpressionError):
    line = getattr(node, "lineno", None)
    col = getattr(node, "col_offset", None)
    return kind(message, line, None if col is None else col + 1, source)


class Parsed:
    """The statements of a source text, checked: nothing here runs anything.

    ``statements`` are ``(target name or None, expression AST)`` pairs; ``assigned`` the names
    given on the left, in order; ``mentioned`` every name read (assigned ones too), in order of
    first use; ``inputs`` the names read that the text does not assign before reading them.

    ``input_names`` are the names that have values; ``None`` means "any name the text reads before
    assigning it is an input" (see :func:`mentioned_names`).
    """

    def __init__(self, source, input_names):
        self.source = source
        self._open = input_names is None
        self._given = set() if input_names is None else set(input_names)
        tree = syntax_tree(source)
        if not tree.body:
            raise ExpressionError("the expression is empty: expected something like "
                                  "'e = (a + b) * (b + 1)'", source=source)
        self.statements = []
        self._assigned = {}   # dicts keep order and look up in O(1)
        self._mentioned = {}
        self._inputs = {}
        for i, stmt in enumerate(tree.body):
            self._statement(stmt, last=i == len(tree.body) - 1)
        self.assigned = list(self._assigned)
        self.mentioned = list(self._mentioned)
        self.inputs = list(self._inputs)

    def _statement(self, stmt, last):
        if isinstance(stmt, ast.Expr):
            if not last:
                raise self._error("a bare expression may only be the last line; name it "
                                  "('c = …') to use it later", stmt)
            self._check(stmt.value)
            self.statements.append((None, stmt.value))
            return
        if not isinstance(stmt, ast.Assign):
            what = _WHAT.get(type(stmt), type(stmt).__name__)
            raise self._error(f"{what} not allowed: write assignments like 'c = a + b' and "
                              "expressions of + - * / ** and the math functions", stmt)
        if len(stmt.targets) != 1 or not isinstance(stmt.targets[0], ast.Name):
            raise self._error("only simple assignments like 'c = a + b' are allowed", stmt)
        target = stmt.targets[0].id
        shown = shorten(target, 40)
        if target in FUNCTIONS:
            raise self._error(f"'{shown}' is a function; it cannot be assigned to", stmt)
        if target in self._given:
            raise self._error(f"'{shown}' is an input; assign to a new name instead", stmt)
        if target in self._assigned:
            raise self._error(f"'{shown}' is assigned twice; each node gets one name", stmt)
        self._check(stmt.value)
        if target in self._inputs:   # only when any name may be an input: it was read already
            raise self._error(f"'{shown}' is used before it is assigned: assign it on an "
                              "earlier line, or give the new node another name", stmt)
        self._assigned[target] = True
        self.statements.append((target, stmt.value))

    def _error(self, message, node):
        return _error(message, node, self.source)

    def _check_number(self, node):
        value = node.value
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise self._error(f"{short_repr(value)} is not a number: only numbers, names and "
                              "arithmetic are allowed", node)
        if isinstance(value, int) and abs(value) > sys.float_info.max:
            raise self._error(f"the number {shorten(str(value)[:30], 20)} ({len(str(value))} "
                              "digits) is too large: numbers are floats, at most about 1.8e308",
                              node)

    def _check(self, expr):
        """Reject anything but numbers, names, arithmetic and whitelisted calls — before running."""
        stack = [expr]
        while stack:
            node = stack.pop()
            if isinstance(node, ast.Constant):
                self._check_number(node)
            elif isinstance(node, ast.Name):
                self._check_name(node)
            elif isinstance(node, ast.BinOp):
                if type(node.op) not in _BINARY:
                    raise self._error(f"operator '{_SYMBOL.get(type(node.op), '?')}' not "
                                      "allowed: use + - * / ** or @", node)
                stack += [node.right, node.left]
            elif isinstance(node, ast.UnaryOp):
                if not isinstance(node.op, (ast.USub, ast.UAdd)):
                    raise self._error("only unary minus and plus are allowed", node)
                stack.append(node.operand)
            elif isinstance(node, ast.Call):
                self._check_call(node)
                stack += reversed(node.args)
            else:
                what = _WHAT.get(type(node), type(node).__name__)
                raise self._error(f"{what} not allowed: only numbers, names, + - * / ** @, "
                                  f"unary minus and the functions {', '.join(FUNCTIONS)}", node)

    def _check_name(self, node):
        name = node.id
        shown = shorten(name, 40)
        if name in FUNCTIONS:
            raise self._error(f"'{name}' is a function: call it, e.g. {name}(x)", node)
        if name not in self._assigned:
            if not self._open and name not in self._given:
                known = sorted(set(self._assigned) | self._given)
                hint = f"; known names: {shorten(', '.join(known), 200)}" if known else ""
                raise self._error(f"unknown name '{shown}': give it a value (e.g. {shown}=1.0) "
                                  f"or assign it on an earlier line{hint}", node)
            self._inputs.setdefault(name, True)
        self._mentioned.setdefault(name, True)

    def _check_call(self, node):
        if not isinstance(node.func, ast.Name):
            what = "attribute access" if isinstance(node.func, ast.Attribute) else "calling this"
            raise self._error(f"{what} not allowed: call the math functions by their bare names "
                              f"({', '.join(FUNCTIONS)})", node)
        name = node.func.id
        if name not in FUNCTIONS:
            raise self._error(f"'{shorten(name, 40)}' is not an allowed function: expected one of "
                              f"{', '.join(FUNCTIONS)}", node)
        if node.keywords or any(isinstance(a, ast.Starred) for a in node.args):
            raise self._error(f"{name}() takes plain arguments only", node)
        arity = FUNCTIONS[name][1]
        if len(node.args) != arity:
            raise self._error(f"{name}() takes {arity} argument{'s' * (arity > 1)}, got "
                              f"{len(node.args)}", node)


def normalize_inputs(inputs):
    """``inputs`` (name → value) with each name normalized as Python normalizes the names in the
    text (NFKC: ``ﬁ`` is ``fi``); ``ExpressionError`` for a name that is no identifier, a
    function's name, or two names that become one.

    >>> normalize_inputs({"ﬁ": 1, "x": 2})
    {'fi': 1, 'x': 2}
    """
    result = {}
    for name, value in inputs.items():
        if not isinstance(name, str) or not name.isidentifier():
            raise ExpressionError(f"input name {short_repr(name, 40)} is not a valid name: "
                                  "expected a name like a, x or w1")
        normal = unicodedata.normalize("NFKC", name)
        if normal in FUNCTIONS:
            raise ExpressionError(f"input name '{normal}' is a function's name; choose another")
        if normal in result:
            raise ExpressionError(f"inputs {short_repr(name, 40)} and another one are both "
                                  f"the name '{shorten(normal, 40)}' (Python reads them alike)")
        result[normal] = value
    return result


def parse(source, input_names):
    """Check ``source`` against the whitelist, given the names that have values; run nothing.

    >>> parse("e = (a + b) * (b + 1)", {"a", "b"}).mentioned
    ['a', 'b']
    >>> parse("e = a + q", {"a"})
    Traceback (most recent call last):
    ...
    teachgrad.errors.ExpressionError: unknown name 'q': give it a value (e.g. q=1.0) or assign it on an earlier line; known names: a (line 1, column 9)
    """
    return Parsed(source, list(normalize_inputs({n: None for n in input_names})))


def mentioned_names(source):
    """The input names ``source`` uses — names it reads without assigning them first — in order
    of first use. The text is checked as :func:`teachgrad.trace` checks it (``ExpressionError``
    on bad text); nothing runs.

    >>> mentioned_names("c = a + b\\nd = b + 1\\ne = c * d")
    ['a', 'b']
    >>> mentioned_names("x = 3\\ny = sin(k) * x")
    ['k']
    >>> mentioned_names("y = x.real")
    Traceback (most recent call last):
    ...
    teachgrad.errors.ExpressionError: attribute access not allowed: only numbers, names, + - * / ** @, unary minus and the functions sin, cos, ... (line 1, column 5)
    """
    return Parsed(source, None).inputs


def number_value(source):
    """The number that ``source`` computes from numbers alone — an answer typed in practice mode,
    such as ``1*2 + 1*3`` — checked against the same whitelist as :func:`parse` and computed with
    the same functions; names and assignments are rejected with ``ExpressionError``, and nothing
    else runs.

    >>> number_value("1*2 + 1*3"), number_value("sqrt(4) / 2"), number_value("-2**2")
    (5.0, 1.0, -4.0)
    >>> number_value("__import__('os')")
    Traceback (most recent call last):
    ...
    teachgrad.errors.ExpressionError: '__import__' is not an allowed function: expected one of sin, cos, ... (line 1, column 1)
    """
    parsed = Parsed(source, None)
    if parsed.inputs or parsed.assigned:
        what = (f"the name '{shorten(parsed.inputs[0], 40)}'" if parsed.inputs
                else f"an assignment to '{shorten(parsed.assigned[0], 40)}'")
        raise ExpressionError(f"{what} is not allowed here: only numbers and arithmetic on "
                              "them", source=source)
    if len(parsed.statements) != 1:
        raise ExpressionError("type one expression on one line, like 1*2 + 1*3", source=source)
    value = _value(parsed.statements[0][1], {}, parsed)
    try:
        return float(value)
    except OverflowError:
        raise ExpressionError("the number is too large", source=source) from None


def input_tensor(name, value):
    """An input's value as a named float64 tensor (``ExpressionError`` if it is not real numbers).

    >>> input_tensor("a", 2).numpy().dtype
    dtype('float64')
    """
    if isinstance(value, Tensor):
        value = value.numpy()
    try:
        v = np.asarray(value)
    except (TypeError, ValueError, OverflowError) as e:
        raise ExpressionError(f"input {name}={short_repr(value)} is not a number or an array: "
                              f"{shorten(e, 200)}") from None
    if not np.issubdtype(v.dtype, np.number) or np.issubdtype(v.dtype, np.complexfloating):
        raise ExpressionError(f"input {name} has dtype {v.dtype}: expected real numbers")
    # The teaching model computes in float64, whatever TensorFlow 1 would pick.
    return Tensor(v.astype(np.float64), name=name)


Evaluation = namedtuple("Evaluation", "outputs inputs names")
Evaluation.__doc__ = """What :func:`evaluate` computed: ``outputs`` (the last line's tensor, in a
list), ``inputs`` (the input tensors in order of first use, ``x = 3`` lines included) and ``names``
(each assigned name → its tensor)."""


def evaluate(parsed, inputs, overrides=None):
    """Compute parsed text at ``inputs`` (name → number or array) with the core; ``overrides``
    (name → value) replaces the value of an ``x = 3`` line.

    >>> run = evaluate(parse("e = a * (a + 1)", {"a"}), {"a": 2})
    >>> [t.given_name for t in run.inputs], float(run.outputs[0].numpy())
    (['a'], 6.0)
    >>> float(evaluate(parse("x = 3\\ne = a * x", {"a"}), {"a": 2}, {"x": 5}).outputs[0])
    10.0
    """
    unused = [n for n in inputs if n not in parsed.mentioned]
    if unused:
        raise ExpressionError(f"input{'s' * (len(unused) > 1)} "
                              f"{shorten(', '.join(unused), 200)} not used by the expression "
                              f"(it mentions {shorten(', '.join(parsed.mentioned), 200)})",
                              source=parsed.source)
    tensors = {name: input_tensor(name, inputs[name]) for name in parsed.mentioned
               if name in inputs}
    outputs, names = _run(parsed, tensors, overrides or {})
    order = [tensors[n] for n in parsed.mentioned if n in tensors]   # in order of first use
    return Evaluation(outputs, order, names)


def _run(parsed, env_inputs, overrides):
    """The statements, one by one; ``x = 3`` lines add inputs to ``env_inputs``."""
    env = dict(env_inputs)
    names = {}
    named_ids = set()
    outputs = []
    for target, expr in parsed.statements:
        if isinstance(expr, ast.Constant) or (isinstance(expr, ast.UnaryOp)
                                              and isinstance(expr.operand, ast.Constant)):
            if target is None:
                raise _error("the expression is just a number: nothing to differentiate", expr,
                             parsed.source)
            value = overrides[target] if target in overrides else _value(expr, env, parsed)
            t = input_tensor(target, value)   # 'x = 3' makes an input x = 3
            env[target] = env_inputs[target] = t
            continue
        result = _value(expr, env, parsed)
        if not isinstance(result, Tensor):
            raise _error("this line computes only numbers (no input appears in it): nothing to "
                         "differentiate", expr, parsed.source)
        if target is not None:
            if result.prim is None or id(result) in named_ids:
                raise _error(f"'{shorten(target, 40)} = …' only copies another node; write an "
                             "operation", expr, parsed.source)
            names[target] = result
            named_ids.add(id(result))
            env[target] = result
        outputs.append(result)
    if not outputs:
        raise ExpressionError("the text only gives numbers to names (like 'x = 3'): add a line "
                              "that computes something from them, e.g. 'e = x * x'",
                              source=parsed.source)
    return outputs[-1:], names


def _operands(expr):
    if isinstance(expr, ast.UnaryOp):
        return [expr.operand]
    if isinstance(expr, ast.BinOp):
        return [expr.left, expr.right]
    if isinstance(expr, ast.Call):
        return expr.args
    raise AssertionError("unchecked expression")   # Parsed._check rejected everything else


def _value(expr, env, parsed):
    """Evaluate a checked expression. Numbers stay numbers (they fold); tensors record.

    With an explicit stack, not recursion: a sum of 1,000 terms is a tree 1,000 deep. Operands
    are computed left to right, as Python would, so unnamed nodes take letters in that order.
    """
    stack, results = [(expr, False)], []
    while stack:
        node, operands_done = stack.pop()
        if isinstance(node, ast.Constant):
            results.append(node.value)
        elif isinstance(node, ast.Name):
            results.append(env[node.id])
        elif not operands_done:
            stack.append((node, True))
            stack.extend((o, False) for o in reversed(_operands(node)))
        else:
            n = len(_operands(node))
            args = results[len(results) - n:]
            del results[len(results) - n:]
            results.append(_apply(node, args, parsed))
    return results[0]


def _apply(node, args, parsed):
    if isinstance(node, ast.UnaryOp):
        (x,) = args
        if isinstance(node.op, ast.UAdd):
            return x
        prim, args = ops.neg, [x]
    elif isinstance(node, ast.BinOp):
        prim = _BINARY[type(node.op)]
    else:
        prim = FUNCTIONS[node.func.id][0]
    try:
        return _call(prim, args)
    except (ValueError, TypeError, ArithmeticError) as e:   # shapes that do not fit, …
        kind = ExpressionShapeError if isinstance(e, ShapeError) else ExpressionError
        raise _error(shorten(e, 300), node, parsed.source, kind) from None


def _call(prim, args):
    if any(isinstance(a, Tensor) for a in args):
        return apply(prim, *args)
    with np.errstate(all="ignore"):
        # Every number as a NumPy float, so an op on two results (1*2 + 1*3) is one too.
        result = prim.impl(*[np.float64(a) for a in args])
    return result.item() if hasattr(result, "item") else float(result)
