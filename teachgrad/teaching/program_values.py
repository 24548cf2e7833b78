"""The values of a program graph: the roots' values (fed, read from a session, constants) and
float64 copies of every needed op, computed again by its own primitive.

The teaching model computes in float64 whatever dtype the program has, and records into no
program graph (``paused_recording``); a stateful op (a random draw, an assignment) acts once.
A ``cond`` or ``while_loop`` op runs its branch or body here too (``_OneRun.run_subprogram``); each
of its outputs becomes one node computed from the op's inputs, whose partials are the reverse
pass through the branch taken or every iteration (``ops.control_flow.output_view``).

>>> import teachgrad as tg
>>> with tg.Graph().as_default():
...     x = tg.placeholder(tg.float32, name="x")
...     y = x * 2.0
>>> copies = evaluate([x, y.inputs[1], y], {x: 1.5})
>>> copies[y].numpy(), copies[y].dtype
(array(3.), tf.float64)
>>> root_values([x], {x: "placeholder"}, {}, None)     # (values, what still needs one)
({}, [<tg.Tensor 'x:0' shape=<unknown> dtype=float32 (no value yet: run it in a Session)>])
"""

import numpy as np

from ..core.primitive import apply
from ..ops import control_flow
from ..core.program_graph import paused_recording
from ..tf1.run_plan import check_feed
from ..core.tensor import Tensor, record, record_symbolic

__all__ = ["root_values", "evaluate"]


def root_values(order, kinds, feeds, session):
    """The value of every root that has one — fed, a variable's in ``session``, a constant's —
    and the roots still missing one."""
    values, missing = {}, []
    for t in order:
        kind = kinds[t]
        if t in feeds:
            v = check_feed(t, feeds[t])
            given = feeds[t].numpy() if isinstance(feeds[t], Tensor) else feeds[t]
            values[t] = np.asarray(given, dtype=np.float64) if v.dtype.kind == "f" else v
        elif kind == "variable":
            v = t._value if t._value is not None else (
                session.values.get(t) if session is not None else None)
            if v is None:
                missing.append(t)
            else:
                values[t] = v
        elif kind == "placeholder":
            missing.append(t)
        elif kind == "constant":
            values[t] = t._value
    return values, missing


def _float64(v):
    v = np.asarray(v)
    return v.astype(np.float64) if v.dtype.kind == "f" else v


def _float64_params(params):
    """An op's parameters, with a floating ``dtype`` made float64 (the teaching model's)."""
    if not params or "dtype" not in params:
        return params or {}
    dtype = params["dtype"]
    try:
        floating = np.dtype(dtype).kind == "f"
    except TypeError:
        floating = False
    return {**params, "dtype": np.float64} if floating else params


class _OneRun:
    """What a stateful op acts on when the teaching graph evaluates it once: a fresh generator
    per random op, the copies' values for the variables an assignment reads (here, else in the
    evaluation this one runs inside: a cond's branch reads the program's variables), and the
    branches and loop bodies a control-flow op runs."""

    def __init__(self, copies, parent=None):
        self.copies = copies
        self.parent = parent
        self.values = {}

    def generator(self, node, seed):
        return np.random.default_rng(seed)

    def read(self, variable):
        state = self
        while state is not None:
            copy = state.copies.get(variable)
            if copy is not None:
                return copy._value
            state = state.parent
        return _float64(variable._value)

    def run_subprogram(self, program, values):
        """Evaluate a cond branch or a loop's test or body on ``values``: its outputs' values
        and every value it computed (what the op's derivative reads)."""
        copies = evaluate(list(program.inputs) + program.order, dict(zip(program.inputs, values)),
                          parent=self)
        computed = {t: c._value for t, c in copies.items()}
        return [computed[t] for t in program.outputs], computed


def _run_control_flow(op, copies, state):
    """Run a cond/while op (or its gradient op, after the op it differentiates) once."""
    for i in op.inputs:
        if i not in copies and control_flow.is_multi_output(i):
            _run_control_flow(i, copies, state)
    inputs = tuple(copies[i] for i in op.inputs)
    run = op.prim.run(state, op, *[i._value for i in inputs])
    copies[op] = record(op.prim, inputs, run, op.params)


def evaluate(order, roots, parent=None):
    """Float64 copies of the ``order`` tensors, each computed again by its own primitive from the
    copies of its inputs (roots from ``roots``): original → copy."""
    copies = {}
    state = _OneRun(copies, parent)
    with paused_recording():
        for t in order:
            if t in copies:
                continue
            if t in roots or t.prim is None:
                copies[t] = Tensor(_float64(roots[t] if t in roots else t._value))
                continue
            if control_flow.is_multi_output(t):
                _run_control_flow(t, copies, state)
                continue
            if control_flow.is_output(t):   # drawn as one node from its op's inputs
                op = t.inputs[0]
                if op not in copies:
                    _run_control_flow(op, copies, state)
                run = copies[op]._value
                copies[t] = control_flow.output_view(
                    t, run, [copies[i] for i in control_flow.view_inputs(op)],
                    t.prim.impl(run, **t.params))
                continue
            inputs = tuple(copies[i] for i in t.inputs)
            prim, params = t.prim, _float64_params(t.params)
            if prim.stateful:
                value = prim.run(state, t, *[i._value for i in inputs])
                copies[t] = (record_symbolic(prim, inputs, (), None, params or None)
                             if value is None else
                             record(prim, inputs, _float64(value)[()], params or None))
            else:
                copies[t] = apply(prim, *inputs, **params)
    return copies
