"""What ``.backward()`` walks, as a teaching graph: ``trace_torch(tensor)`` reads a result's
recorded backward chain — ``tensor.grad_fn``, its ``next_functions``, … down to the
``AccumulateGrad`` nodes of the leaves.

The leaves (tensors that ``requires_grad``) are the inputs, named after the caller's variables
that hold them. The values are what PyTorch kept: the result itself, the tensors each backward
node saved (``_saved_self``, ``_saved_other``, ``_saved_result``, …), and what teachgrad computes
from them. A node whose op teachgrad knows and whose inputs PyTorch kept is first-class (see
:mod:`.recorder`); any other keeps the value PyTorch saved and takes its local partials from
the backward node itself — called on a cotangent, exactly what ``.backward()`` does with it.
Such a graph has no function behind it: its values are the recorded ones (``at`` refuses).
"""

import string

import numpy as np

from ..core.tensor import Tensor
from ..errors import ExpressionError
from ..ops import REGISTRY
from .from_torch import Torch, load_torch
from .graph import make_graph
from .recorder import Framework, Recorder, as_float64, is_float

__all__ = ["trace_grad_fn"]


# A backward node's saved inputs, by the slot of next_functions they belong to.
_SLOT = {"_saved_self": 0, "_saved_other": 1, "_saved_vec": 1, "_saved_mat2": 1,
         "_saved_exponent": 1, "_saved_input": 0, "_saved_mat": 0, "_saved_tensors": None}

# Backward nodes whose forward op teachgrad recomputes from its inputs' values: name → (op, ...)
_FORWARD = {"Add": "add", "Sub": "sub", "Mul": "mul", "Div": "div", "Neg": "neg",
            "Sin": "sin", "Cos": "cos", "Tan": "tan", "Exp": "exp", "Log": "log",
            "Sqrt": "sqrt", "Tanh": "tanh", "Sigmoid": "sigmoid", "Relu": "relu",
            "Abs": "abs", "Maximum": "maximum", "Minimum": "minimum", "Mv": "matmul",
            "Mm": "matmul", "Bmm": "matmul", "Dot": "matmul", "Pow": "pow"}


def _one_input(fn):
    """The op of a one-input backward node that keeps its parameters as numbers:
    ``(op, extra inputs, params)``, or ``(None, [], {})``."""
    name = type(fn).__name__
    if name in ("ClampBackward1", "ClampMinBackward0"):
        lo, hi = getattr(fn, "_saved_min", None), getattr(fn, "_saved_max", None)
        if isinstance(lo, (int, float)) and hi is None:
            return "maximum", [float(lo)], {}
    if name in ("MeanBackward0", "SumBackward0"):
        return ("reduce_mean" if name.startswith("Mean") else "reduce_sum"), [], {}
    return None, [], {}


def _base_name(fn):
    """``MulBackward0`` → ``Mul``."""
    name = type(fn).__name__
    head, _, _ = name.partition("Backward")
    return head


def _caller_names(frame, torch):
    """The caller's variable names for each tensor object, locals first."""
    names = {}
    if frame is not None:
        for scope in (frame.f_globals, frame.f_locals):
            for k, v in scope.items():
                if isinstance(v, torch.Tensor) and not k.startswith("_"):
                    names[id(v)] = k
    return names


def _chain(out):
    """The backward nodes from ``out.grad_fn`` to the leaves, each after its inputs."""
    order, seen, stack = [], set(), [(out.grad_fn, False)]
    while stack:
        fn, done = stack.pop()
        if done:
            order.append(fn)
            continue
        if fn is None or fn in seen:
            continue
        seen.add(fn)
        stack.append((fn, True))
        for nxt, _ in reversed(fn.next_functions):
            if nxt is not None and nxt not in seen:
                stack.append((nxt, False))
    return order


def _saved(fn):
    """``{slot: value}`` of the inputs ``fn`` saved (tensors, and the number of ``x * 2`` or
    ``x ** 3`` that has no slot of its own), and its saved result (or None)."""
    found, result = {}, None
    for attr in dir(fn):
        if not attr.startswith("_saved_"):
            continue
        try:
            v = getattr(fn, attr)
        except RuntimeError as e:
            raise ValueError("trace_torch(tensor) reads the tensors PyTorch saved for the "
                             "backward pass, and they were freed by .backward(): trace before "
                             "calling .backward() (or call it with retain_graph=True)") from e
        if isinstance(v, (int, float)) and not isinstance(v, bool) and \
                attr in ("_saved_other", "_saved_exponent") and len(fn.next_functions) == 1:
            found[1] = float(v)
            continue
        if not hasattr(v, "detach"):
            continue
        if attr == "_saved_result":
            result = as_float64(v.detach().numpy())
        elif _SLOT.get(attr) is not None:
            found[_SLOT[attr]] = as_float64(v.detach().numpy())
    return found, result


class _RecordedBackward(Framework):
    """PyTorch's recorded backward node as the derivative of its op: the vector-Jacobian
    product is the node itself, called on a cotangent (what ``.backward()`` does)."""

    name = "PyTorch"

    def __init__(self, torch):
        self.torch = torch

    def run(self, fn, args):
        return fn.value

    def vjp(self, fn, args, g):
        torch = self.torch
        with torch.no_grad():
            grads = fn.grad_fn(torch.as_tensor(np.array(g)).to(fn.dtype).reshape(fn.shape))
        if not isinstance(grads, tuple):
            grads = (grads,)
        result = []
        for slot, arg in zip(fn.slots, args):
            c = grads[slot] if slot is not None and slot < len(grads) else None
            # (the engine sums a broadcast input's cotangent back to its shape; a node called
            # by hand does not)
            result.append(None if c is None or not is_float(arg) else
                          _sum_to(c.numpy().astype(np.float64), np.shape(arg)))
        return result

    def jvp(self, fn, args, tangents):
        """Forward mode through a recorded node: the Jacobian, one cotangent per output
        element, times the tangents."""
        total = np.zeros(fn.shape)
        size = int(np.prod(fn.shape))
        for k in range(size):
            seed = np.zeros(size)
            seed[k] = 1.0
            row = self.vjp(fn, args, seed.reshape(fn.shape))
            total.flat[k] = sum(float(np.sum(r * t)) for r, t in zip(row, tangents)
                                if r is not None and t is not None)
        return total


def _sum_to(x, shape):
    """``x`` summed over the axes that broadcasting ``shape`` to ``x.shape`` added."""
    while x.ndim > len(shape):
        x = x.sum(axis=0)
    for axis, n in enumerate(shape):
        if n == 1 and x.shape[axis] != 1:
            x = x.sum(axis=axis, keepdims=True)
    return x


class _Node:
    """A recorded backward node as a function for :class:`_RecordedBackward`."""

    def __init__(self, grad_fn, slots, value):
        self.grad_fn, self.slots, self.value = grad_fn, slots, value
        self.shape, self.dtype = np.shape(value), None

    def __call__(self, *args):
        return self.value


def trace_grad_fn(out, frame=None):
    """The teaching graph of ``out``'s recorded backward chain: its leaves named after the
    variables of ``frame`` (the caller's) that hold them.

    >>> import sys, torch
    >>> w = torch.tensor(3.0, requires_grad=True)
    >>> g = trace_grad_fn(torch.sin(w) * w, sys._getframe())
    >>> g.nodes, g.formula("b")
    (['w', 'a', 'b'], 'b = a·w')
    """
    torch = load_torch()
    if out.grad_fn is None:
        raise ExpressionError("trace_torch(tensor): this tensor has no grad_fn — nothing that "
                              "requires grad went into it (make the inputs with "
                              "requires_grad=True)")
    order = _chain(out)
    # Values saved in float32 are compared with teachgrad's float64 to float32's precision.
    single = out.dtype != torch.float64
    recorder = Recorder(Torch(), rtol=1e-5 if single else None, atol=1e-6 if single else None)
    saved = {fn: _saved(fn) for fn in order if not _is_leaf(fn)}
    known = _known_values(out, saved)
    tensor_of = _leaf_inputs(recorder, order, _caller_names(frame, torch))
    recorder.framework = _RecordedBackward(torch)
    for fn in order:
        if fn not in tensor_of:
            tensor_of[fn] = _node(recorder, fn, saved[fn][0], known.get(fn), tensor_of)
    return make_graph(recorder, [tensor_of[out.grad_fn]], None, "PyTorch", "grad_fn chain",
                      None, what=type(out.grad_fn).__name__)


def _is_leaf(fn):
    return type(fn).__name__ == "AccumulateGrad"


def _known_values(out, saved):
    """A value for each backward node that has one: the output's own, a node's saved result,
    or what a consumer saved of it as its input."""
    known = {out.grad_fn: as_float64(out.detach().numpy())}
    for fn, (slots, result) in saved.items():
        if result is not None:
            known[fn] = result
        for slot, value in slots.items():
            nxt = fn.next_functions[slot][0] if slot < len(fn.next_functions) else None
            if nxt is not None and not _is_leaf(nxt):
                known.setdefault(nxt, value)
    return known


def _leaf_inputs(recorder, order, names):
    """The inputs of the graph: the chain's leaves (``AccumulateGrad``), named after the
    caller's variables, else by the next free letters."""
    leaves = [fn for fn in order if _is_leaf(fn)]
    given = {fn: names.get(id(fn.variable)) for fn in leaves}
    free = (n for n in _letters() if n not in given.values())
    return {fn: recorder.input(given[fn] or next(free), fn.variable.detach().numpy())
            for fn in leaves}


def _node(recorder, fn, slots, value, tensor_of):
    """The node of backward node ``fn``: first-class when teachgrad knows its op and PyTorch
    kept every input, else with PyTorch's saved value and recorded derivative."""
    inputs, kinds = [], []
    n_slots = max(len(fn.next_functions), 1 + max(slots, default=-1))
    for slot in range(n_slots):
        nxt = fn.next_functions[slot][0] if slot < len(fn.next_functions) else None
        if nxt is not None:
            inputs.append(tensor_of[nxt])
            kinds.append(slot)
        elif slot in slots:
            inputs.append(slots[slot])
            kinds.append(slot if slot < len(fn.next_functions) else None)
    label = _base_name(fn).lower()
    op, params = _FORWARD.get(_base_name(fn)), {}
    complete = len(inputs) == n_slots and getattr(fn, "_saved_alpha", 1) == 1
    if op is None and len(inputs) == 1:
        op, more, params = _one_input(fn)
        inputs = inputs + more
    first = None
    if op is not None and complete and REGISTRY[op].n_inputs == len(inputs):
        first = (REGISTRY[op], inputs, params)
        if value is None:
            values = [x._value if isinstance(x, Tensor) else x for x in inputs]
            value = as_float64(REGISTRY[op].impl(*values, **params))
    if value is None:
        raise ValueError(f"trace_torch(tensor): PyTorch kept no value for {type(fn).__name__} "
                         "(it saved neither its result nor its inputs): trace the function "
                         "instead, trace_torch(f, *args)")
    note = None if first is not None else (
        f"{label}: PyTorch's recorded {type(fn).__name__}: its value is the one PyTorch saved, "
        "its local partials the node's own backward (no formula)")
    return recorder.op(label, _Node(fn, kinds, value), inputs, first=first, note=note)


def _letters():
    yield from string.ascii_lowercase
    k = 1
    while True:
        yield f"t{k}"
        k += 1
