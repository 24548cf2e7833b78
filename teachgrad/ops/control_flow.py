"""Control flow: ``cond`` and ``while_loop`` as ops whose run executes a recorded sub-program.

TensorFlow 1 builds a conditional from Switch and Merge ops and a loop from Enter, Merge, Switch,
NextIteration and Exit ops, with "dead" tensors flowing down the branch not taken. teachgrad keeps
its engine's walk (each node computed once, after its inputs) instead: the ops a branch function,
a loop's test or a loop's body makes are recorded as a :class:`Subprogram` — those ops, with the
outer tensors they read as its inputs — and the whole conditional or loop is one op:

* ``If`` (``tf.cond``): inputs ``(pred, *captured)``; running it runs the branch ``pred`` picks.
* ``While`` (``tf.while_loop``): inputs ``(*loop_vars, *captured[, maximum_iterations])``;
  running it runs the test, and the body while the test holds.

Such an op makes no value of its own: its run is a :class:`Run` (what it computed), and each of its
outputs is a node of its own (``cond/Merge``, ``while/Exit``) that picks its part of the run. A
Session runs a sub-program with a run plan of its own (``session.run_subprogram``); the teaching
graph with its own float64 evaluation.

Reverse mode. The engine gathers the cotangents of the outputs into one :class:`Cotangents`
(added part by part, like any cotangent), and the op's vector-Jacobian product is the engine's
reverse pass over the sub-program that ran, on the values it computed: for a loop once per
iteration, the last first, each iteration's cotangents flowing into the one before
(:meth:`Run.vjp`). The branch not taken contributes nothing (zeros), and neither does an iteration
that did not run. In a program (``tf.gradients``) that is the op ``ControlFlowGrad``, which does
it when a Session runs it, reading the run of the forward op in the same ``sess.run``.
"""

import contextlib

import numpy as np

from ..core.program_graph import name_scope, paused_recording
from ..core.context import recording_graph
from ..core.shapes import TensorShape
from ..core.tensor import Tensor, np_dtype, record, record_symbolic
from ..errors import InvalidArgumentError
from .registry import structural

__all__ = ["Subprogram", "Run", "Cotangents", "cond", "while_loop", "cond_output", "loop_output",
           "loop_var", "loop_test_var", "control_flow_grad", "grad_output", "assert_that",
           "is_multi_output", "is_output", "is_view", "view_inputs", "output_view",
           "use_engine"]

# The engine's reverse pass, ``backward(ys, seeds, xs, record=False)``: the autodiff layer sits
# above this one and hands it down when it is imported (an import pointing up is not allowed).
_engine = {}


def use_engine(backward):
    """Called once by ``autodiff.engine``: the reverse pass the rules below run on sub-programs."""
    _engine["backward"] = backward


# ------------------------------------------------------------------------------------------------
# Sub-programs
# ------------------------------------------------------------------------------------------------

class Subprogram:
    """The ops a branch function, a loop's test or a loop's body made, as a program of its own.

    ``inputs`` are what a call gives it: the stand-ins of the loop variables, then the outer
    tensors its ops read (captured). ``outputs`` are its results, flat. ``waits`` are outer ops its
    ops wait for (control inputs): they run before the control-flow op, never inside it.
    ``order`` is every op a call may run (through inputs and control inputs), ``nodes`` the ones
    the outputs are computed from (through inputs), each in the order they were made.
    """

    def __init__(self, inputs, outputs, order, nodes, waits):
        self.inputs, self.outputs = tuple(inputs), tuple(outputs)
        self.order, self.nodes, self.waits = order, nodes, tuple(waits)
        self._depends = None

    def depends(self, k):
        """The positions in ``inputs`` that output ``k`` is computed from (through inputs)."""
        if self._depends is None:
            position = {x: i for i, x in enumerate(self.inputs)}
            found = []
            for out in self.outputs:
                hit, seen, stack = set(), {out}, [out]
                while stack:
                    node = stack.pop()
                    if node in position:
                        hit.add(position[node])
                        continue
                    for inp in node.inputs:
                        if inp not in seen:
                            seen.add(inp)
                            stack.append(inp)
                found.append(hit)
            self._depends = found
        return self._depends[k]

    def __repr__(self):
        return (f"<Subprogram of {len(self.order)} ops: {len(self.inputs)} inputs, "
                f"{len(self.outputs)} outputs>")


def walk(outputs, stand_ins, since):
    """What a function that ran from serial number ``since`` on made for ``outputs``: its own
    ops (made since then: ``(order, nodes)``), the outer tensors they read (``captured``) and the
    outer ops they wait for (``waits``). The stand-ins are inputs, never walked through.

    >>> import teachgrad as tg
    >>> from teachgrad.core.tensor import next_serial
    >>> with tg.Graph().as_default():
    ...     x = tg.placeholder(tg.float32, name="x")
    ...     since = next_serial()
    ...     y = x * 2.0 + 1.0
    >>> order, nodes, captured, waits = walk([y], (), since)
    >>> [t.op.name for t in order], [t.op.name for t in captured]
    (['mul/y', 'mul', 'add/y', 'add'], ['x'])
    """
    stand_ins = set(stand_ins)   # (sets and dicts of tensors go by identity; lists use ==)
    own, captured, waits = set(), {}, {}
    stack = [(t, True) for t in reversed(outputs)]
    while stack:   # every op a call runs: through inputs and control inputs
        node, as_input = stack.pop()
        if node in stand_ins or node in own:
            continue
        if node._serial <= since:          # made before the function ran: an outer tensor
            (captured if as_input else waits)[node] = True
            continue
        own.add(node)
        stack.extend((c, False) for c in getattr(node, "_control", None) or ())
        stack.extend((i, True) for i in reversed(node.inputs))
    data, stack = set(), [t for t in outputs if t in own]
    while stack:   # the ops the outputs are computed from: through inputs only
        node = stack.pop()
        if node not in data:
            data.add(node)
            stack.extend(i for i in node.inputs if i in own)
    waits = [w for w in waits if w not in captured]
    by_serial = lambda t: t._serial   # noqa: E731
    return sorted(own, key=by_serial), sorted(data, key=by_serial), list(captured), waits


# ------------------------------------------------------------------------------------------------
# What a run computed, and its derivative
# ------------------------------------------------------------------------------------------------

class Cotangents:
    """The cotangents of the outputs of a control-flow op, gathered as one: ``parts[k]`` is
    output ``k``'s (None: none). Adding two adds them part by part, so the engine sums the
    contributions of the outputs as it sums any cotangent.

    >>> (Cotangents.one(0, 2, 1.0) + Cotangents.one(1, 2, 2.0)).parts
    [1.0, 2.0]
    """

    __slots__ = ("parts", "memo")

    def __init__(self, parts):
        self.parts = parts
        self.memo = None    # the input cotangents, worked out once for all inputs

    @classmethod
    def one(cls, k, n, g):
        parts = [None] * n
        parts[k] = g
        return cls(parts)

    def __add__(self, other):
        return Cotangents([a if b is None else b if a is None else a + b
                           for a, b in zip(self.parts, other.parts)])

    def __repr__(self):
        return f"<Cotangents {self.parts!r}>"


def _floating(x):
    kind = np.result_type(x).kind if not isinstance(x, Tensor) else np_dtype(x).kind
    return kind in "fc"


def _remake(program, values):
    """Tensors holding what one call of ``program`` computed (``values``: node -> value), each op
    made again by its own primitive from the others without computing it again — a graph the
    engine can walk backwards. Recorded into no program."""
    copies = {}
    with paused_recording():
        for x in program.inputs:
            copies[x] = record(None, (), values[x], None)
        for node in program.nodes:
            if node in copies:
                continue
            if node.prim is None:
                copies[node] = record(None, (), node._value, None)
            else:
                copies[node] = record(node.prim, tuple(copies[i] for i in node.inputs),
                                      values[node], node.params)
    return copies


def _reverse(program, values, cotangents):
    """One reverse pass over one call of ``program``: the cotangents of its inputs (None where
    none flows) given those of its outputs."""
    copies = _remake(program, values)
    ys, seeds = [], []
    for out, g in zip(program.outputs, cotangents):
        if g is not None and _floating(copies[out]._value):
            ys.append(copies[out])
            seeds.append(np.asarray(g, dtype=np.result_type(copies[out]._value)))
    if not ys:
        return [None] * len(program.inputs)
    xs = [copies[x] for x in program.inputs]
    found = _engine["backward"](ys, seeds, xs, record=False)
    return [None if g is None or not _floating(x._value) else g._value
            for g, x in zip(found, xs)]


def _add(a, b):
    return a if b is None else b if a is None else a + b


class Run:
    """What one run of a ``cond`` or ``while_loop`` op computed: ``outputs`` (its outputs'
    values), ``inputs`` (its inputs' values) and ``calls`` — each call of a sub-program it made
    for its derivative, ``(program, values)``: the branch taken, or the body once per iteration.

    ``vjp(cotangents)`` is the op's vector-Jacobian product: given a cotangent (or None) per
    output, one per input (None where no derivative flows).
    """

    __slots__ = ("kind", "outputs", "inputs", "calls", "n_vars")

    def __init__(self, kind, outputs, inputs, calls, n_vars=0):
        self.kind, self.outputs, self.inputs = kind, list(outputs), tuple(inputs)
        self.calls, self.n_vars = calls, n_vars

    def vjp(self, cotangents):
        n = len(self.inputs)
        cotangents = [g if g is not None and _floating(v) else None
                      for g, v in zip(cotangents, self.outputs)]
        if self.kind == "cond":
            program, values = self.calls[0]
            return [None] + _reverse(program, values, cotangents) + [None] * (n - 1 - len(
                program.inputs))
        # while: the last iteration first; the cotangents of an iteration's loop variables are
        # those of the previous iteration's results
        g_vars, g_captured = list(cotangents), None
        for program, values in reversed(self.calls):
            if all(g is None for g in g_vars):
                break
            found = _reverse(program, values, g_vars)
            g_vars = found[:self.n_vars]
            more = found[self.n_vars:]
            g_captured = more if g_captured is None else list(map(_add, g_captured, more))
        n_captured = len(self.calls[0][0].inputs) - self.n_vars if self.calls else 0
        g_captured = g_captured or [None] * n_captured
        return g_vars + g_captured + [None] * (n - self.n_vars - len(g_captured))

    def __repr__(self):
        return f"<Run of {self.kind}: {len(self.calls)} calls>"


# ------------------------------------------------------------------------------------------------
# The ops
# ------------------------------------------------------------------------------------------------

class _PerInput(tuple):
    """The rule of every input position of an op with any number of inputs: ``rules[i]`` is
    ``rule(i, ...)``."""

    def __new__(cls, rule):
        rules = super().__new__(cls)
        rules.rule = rule
        return rules

    def __getitem__(self, i):
        return lambda *args, **params: self.rule(i, *args, **params)


def _control_flow_vjp(i, g, out, *args, **params):
    """The cotangent of input ``i`` of a cond/while op from ``g`` (a Cotangents): on values, by
    the run's reverse pass (done once for all inputs, kept on ``g``: the engine asks one input at
    a time); in a program, a node that takes its part of the gradient op's result."""
    if not params.get("back_prop", True):
        return None
    if not isinstance(out, Tensor):
        if g.memo is None:
            g.memo = out.vjp(g.parts)
        return g.memo[i]
    if g.memo is None:
        with _grad_scope(out) as scope:
            g.memo = (_gradient_op(g, out), {}, scope)
    grad, made, scope = g.memo
    x = out.inputs[i]
    if grad is None or i not in grad.params["connected"] or np_dtype(x).kind not in "fc":
        return None
    if i not in made:
        with name_scope(scope) if scope else contextlib.nullcontext():   # (re-entered as it is)
            made[i] = record_symbolic(grad_output, (grad,), x.shape, np_dtype(x), {"index": i})
    return made[i]


def _connected(node, which):
    """The inputs of cond/while op ``node`` that outputs ``which`` can depend on."""
    p = node.params
    if node.prim is cond:
        return {1 + i for b in p["branches"] for k in which for i in b.depends(k)}
    body, n_vars = p["body"], p["n_vars"]
    reached, found, todo = set(which), set(), list(which)
    while todo:   # loop variable k depends on what the body's result k depends on, every time
        for i in body.depends(todo.pop()):
            if i >= n_vars:
                found.add(i)
            elif i not in reached:
                reached.add(i)
                todo.append(i)
    return found | reached


def _grad_scope(node):
    """``gradients/cond/If_grad/``: where the gradient ops of ``node`` are named."""
    if recording_graph() is None:
        return contextlib.nullcontext()
    return name_scope(node.op_name + "_grad")


def _gradient_op(g, node):
    """In a program: the op that works out the cotangents of ``node``'s inputs when it runs
    (None if no output has a cotangent)."""
    which = [k for k, part in enumerate(g.parts) if part is not None]
    if not which:
        return None
    return record_symbolic(control_flow_grad, (node, *[g.parts[k] for k in which]),
                           TensorShape(()), None,
                           {"outputs": tuple(which), "connected": _connected(node, which)})


def _run_cond(session, node, pred, *captured):
    program = node.params["branches"][0 if pred else 1]
    outputs, values = session.run_subprogram(program, captured)
    return Run("cond", outputs, (pred, *captured), [(program, values)])


def _run_while(session, node, *values):
    p = node.params
    n_vars, test, body = p["n_vars"], p["test"], p["body"]
    limit = values[-1] if p["limited"] else None
    captured = list(values[n_vars:len(values) - (1 if p["limited"] else 0)])
    loop_vars, calls, count = list(values[:n_vars]), [], 0
    while limit is None or count < limit:
        (go,), _ = session.run_subprogram(test, loop_vars + captured)
        if not go:
            break
        loop_vars, kept = session.run_subprogram(body, loop_vars + captured)
        if p["back_prop"]:
            calls.append((body, kept))
        count += 1
    return Run("while", loop_vars, values, calls, n_vars)


def _no_value_yet(session, node, *args):
    raise InvalidArgumentError(None, node.op, f"{node.name!r} is a loop variable inside "
                               "tf.while_loop: it has a value only while the loop runs; fetch the "
                               "loop's results instead")


cond = structural(
    "cond", None, vjp=_PerInput(_control_flow_vjp), run=_run_cond, expr="cond(…)",
    doc="cond: runs the branch pred picks (its ops recorded as a sub-program); the derivative "
        "is the reverse pass of the branch taken (the other contributes zeros)")
while_loop = structural(
    "while_loop", None, vjp=_PerInput(_control_flow_vjp), run=_run_while, expr="while_loop(…)",
    doc="while_loop: runs the body while the test holds; the derivative is the body's reverse "
        "pass once per iteration, the last first, on the values each iteration computed")


def _fresh(v):
    """``v``, an array of its own: a run's values are read again (and made read-only) by its
    derivative, and the caller may write into what ``sess.run`` gives, as in TensorFlow 1."""
    return v.copy() if v.__class__ is np.ndarray else v


def _pick(run, index, n):
    return _fresh(run.outputs[index])


def _pick_vjp(g, out, run, index, n):
    return Cotangents.one(index, n, g)


cond_output = structural(
    "cond_output", _pick, vjp=(_pick_vjp,), expr="output",
    doc="cond_output: output k of a cond op (TF-1's Merge)")
loop_output = structural(
    "loop_output", _pick, vjp=(_pick_vjp,), expr="output",
    doc="loop_output: loop variable k after a while_loop op (TF-1's Exit)")
loop_var = structural(
    "loop_var", None, vjp=(), run=_no_value_yet, expr="loop variable",
    doc="loop_var: a loop variable inside the body, fed at each iteration (TF-1's Identity)")
loop_test_var = structural(
    "loop_test_var", None, vjp=(), run=_no_value_yet, expr="loop variable",
    doc="loop_test_var: a loop variable inside the test, fed at each iteration (TF-1's Merge)")


def _run_grad(session, node, run, *parts):
    cotangents = [None] * len(run.outputs)
    for k, g in zip(node.params["outputs"], parts):
        cotangents[k] = g
    found = run.vjp(cotangents)
    return [np.zeros(np.shape(v), dtype=np.result_type(v)) if g is None else g
            for g, v in zip(found, run.inputs)]


def _second_order(i, g, out, *args, **params):
    """The derivative of a cond/while op's derivative: refused, as TF-1 refuses it for loops
    (``TypeError``); TF-1 differentiates a cond twice, teachgrad does not (yet)."""
    op = out.inputs[0] if isinstance(out, Tensor) else None
    if op is not None and op.prim is while_loop:
        raise TypeError("Second-order gradient for while loops not supported. (TensorFlow 1 "
                        "refuses it too: differentiate the loop in eager mode with tg.grad, "
                        "where it is a Python loop)")
    raise NotImplementedError(
        "the derivative of a derivative through tf.cond (a second derivative) is not supported "
        "by teachgrad (TensorFlow 1 computes it): differentiate the branch in eager mode with "
        "tg.grad, where tf.cond is Python's if")


control_flow_grad = structural(
    "control_flow_grad", None, vjp=_PerInput(_second_order), run=_run_grad,
    expr="reverse pass of {0}",
    doc="control_flow_grad: the cotangents of a cond/while op's inputs, by the reverse pass of "
        "the sub-program(s) it ran, on the values they computed in the same run")


def _pick_grad(found, index):
    return _fresh(found[index])


grad_output = structural(
    "grad_output", _pick_grad, vjp=(lambda g, out, found, index: _second_order(0, g, found),),
    expr="cotangent", doc="grad_output: the cotangent of one input of a cond/while op")


def _run_assert(session, node, condition, *data):
    if not condition:
        shown = " ".join(np.array2string(np.asarray(d), separator=" ") for d in data)
        raise InvalidArgumentError(None, node.op,
                                   f"assertion failed: [{node.params['message']}] {shown}")
    return None


assert_that = structural(
    "assert_that", None, vjp=_PerInput(lambda i, *args, **params: None), stateful=True,
    run=_run_assert, infer=lambda inputs, params: (TensorShape(()), None), expr="assert(…)",
    doc="assert_that: fails the run (InvalidArgumentError) when its condition is false")


# ------------------------------------------------------------------------------------------------
# How the teaching graph shows a control-flow op: one node per output, from the op's inputs
# ------------------------------------------------------------------------------------------------

_MULTI = (cond, while_loop, control_flow_grad)
_OUTPUTS = (cond_output, loop_output, grad_output)


def is_multi_output(t):
    """True for a cond/while op or its gradient op: an op whose outputs are nodes of their own."""
    return t.prim in _MULTI


def is_output(t):
    """True for an output of such an op (``cond/Merge``, ``while/Exit``, a cotangent)."""
    return t.prim in _OUTPUTS


def _view_vjp(i, g, out, *args, run, index, **params):
    cotangents = [None] * len(run.outputs)
    cotangents[index] = g
    return run.vjp(cotangents)[i]


def _view_jvp(i, x_dot, out, *args, run, index, **params):
    """Forward mode through the run: the Jacobian's rows (one reverse pass per element of the
    output) times the tangent — exact, and enough for the teaching graph's sizes."""
    out = np.asarray(out)
    rows = []
    for k in range(out.size):
        seed = np.zeros(out.size, dtype=np.result_type(out, float))
        seed[k] = 1.0
        g = _view_vjp(i, seed.reshape(out.shape), out, run=run, index=index)
        rows.append(0.0 if g is None else np.sum(np.asarray(g) * x_dot))
    return np.array(rows, dtype=np.result_type(out, float)).reshape(out.shape)


class _Formulas(tuple):
    def __new__(cls, taken, first=None):
        formulas = super().__new__(cls)
        formulas.taken, formulas.first = taken, first
        return formulas

    def __getitem__(self, i):
        return self.first if i == 0 and self.first is not None else self.taken


def _call_text(name):
    return lambda args: f"{name}(" + ", ".join(args) + ")"


cond_view = structural(
    "cond_view", None, vjp=_PerInput(_view_vjp), jvp=_PerInput(_view_jvp),
    expr=_call_text("cond"), formulas=_Formulas("∂(branch taken)", "0"),
    doc="cond_view: an output of a cond as a function of the cond's inputs (the teaching graph)")
loop_view = structural(
    "loop_view", None, vjp=_PerInput(_view_vjp), jvp=_PerInput(_view_jvp),
    expr=_call_text("while_loop"), formulas=_Formulas("∂(every iteration)"),
    doc="loop_view: a result of a while_loop as a function of the loop's inputs (the teaching "
        "graph)")
grad_view = structural(
    "grad_view", None, vjp=_PerInput(_second_order), expr=_call_text("reverse pass"),
    formulas=_Formulas("?"),
    doc="grad_view: a cotangent from a cond/while's reverse pass (the teaching graph)")

_VIEWS = {cond_output: cond_view, loop_output: loop_view, grad_output: grad_view}


def is_view(t):
    """True for an output of a control-flow op as the teaching graph draws it."""
    return t.prim in _VIEWS.values()


def view_inputs(op):
    """The inputs the teaching graph draws for the outputs of ``op``: the op's inputs, those of
    another such op among them taken in its place."""
    found, stack = [], list(reversed(op.inputs))
    while stack:
        t = stack.pop()
        if is_multi_output(t):
            stack.extend(reversed(t.inputs))
        else:
            found.append(t)
    return found


def output_view(t, run, inputs, value):
    """Output ``t`` of a control-flow op as the teaching graph shows it: one node made from
    ``inputs`` (the copies of :func:`view_inputs`), holding ``value`` and the op's ``run``."""
    view = _VIEWS[t.prim]
    params = {"run": run, "index": t.params["index"]}
    if value is None:
        return record_symbolic(view, tuple(inputs), t.shape, np_dtype(t), params)
    return record(view, tuple(inputs), value, params)
