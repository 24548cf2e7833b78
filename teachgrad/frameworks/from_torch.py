"""PyTorch's program as a teaching graph, two ways (:func:`trace_torch`):

- ``trace_torch(f, *args)`` reads the aten graph of ``f``
  (``torch.fx.experimental.proxy_tensor.make_fx``): one node per aten op, inputs named after
  ``f``'s parameters, Python numbers folded into the node that uses them;
- ``trace_torch(tensor)`` reads what ``.backward()`` walks: the result's recorded backward chain
  (``tensor.grad_fn`` → ``next_functions`` → … → ``AccumulateGrad``). Its leaves (the tensors
  that ``requires_grad``) are the inputs, named after the caller's variables that hold them; the
  values are the tensors PyTorch saved for the backward pass, and what follows from them.

Values are float64 (the aten graph is traced on float64 copies of the arguments). Which aten
ops are teachgrad's own (first-class, see :mod:`.recorder`) is read off the op registry: an
aten op with the name of one of teachgrad's element-wise ops and as many tensor arguments is that
op (``aten.sin``, ``aten.sigmoid``, ``aten.relu``, …); :data:`TRANSLATED` says what PyTorch
calls by another name or with parameters (``mm`` and ``mv`` are ``matmul``, ``rsub`` a ``sub``,
``sum.dim_IntList`` a ``reduce_sum``). Any other op is opaque: PyTorch's value and partials.
"""

import inspect
import operator

import numpy as np

from ..core.tensor import Tensor
from ..errors import ExpressionError
from ..ops import REGISTRY
from ..optional import require
from .graph import make_graph
from .recorder import Framework, Recorder, as_float64, is_float
from .from_jax import input_names

__all__ = ["trace_torch", "Torch", "TRANSLATED", "aten_graph"]


def _torch():
    torch = require("torch", "teachgrad.frameworks")
    import torch.fx.experimental.proxy_tensor  # noqa: F401  (make_fx)
    return torch


class Torch(Framework):
    """One PyTorch op run and differentiated in float64 on the CPU."""

    name = "PyTorch"

    def __init__(self):
        self.torch = _torch()

    def _tensors(self, args, grad=()):
        torch = self.torch
        out = []
        for i, a in enumerate(args):
            t = torch.as_tensor(np.array(a))
            if i in grad:
                t = t.detach().requires_grad_(True)
            out.append(t)
        return out

    def run(self, fn, args):
        with self.torch.no_grad():
            out = fn(*self._tensors(args))
        return out.detach().numpy() if isinstance(out, self.torch.Tensor) else np.asarray(out)

    def vjp(self, fn, args, g):
        torch = self.torch
        diff = [i for i, a in enumerate(args) if is_float(a)]
        result = [None] * len(args)
        if not diff:
            return result
        with torch.enable_grad():
            ts = self._tensors(args, grad=diff)
            out = fn(*ts)
            if not out.requires_grad:
                return [np.zeros(np.shape(args[i])) if i in diff else None
                        for i in range(len(args))]
            grads = torch.autograd.grad(out, [ts[i] for i in diff],
                                        grad_outputs=torch.as_tensor(np.array(g)).reshape(out.shape),
                                        allow_unused=True)
        for i, c in zip(diff, grads):
            result[i] = np.zeros(np.shape(args[i])) if c is None else c.numpy().astype(np.float64)
        return result

    def jvp(self, fn, args, tangents):
        torch = self.torch
        diff = [i for i, a in enumerate(args) if is_float(a)]
        ts = self._tensors(args)

        def of_floats(*xs):
            full = list(ts)
            for i, x in zip(diff, xs):
                full[i] = x
            return fn(*full)
        dots = tuple(torch.zeros_like(ts[i]) if tangents[i] is None else
                     torch.as_tensor(np.array(np.broadcast_to(tangents[i], np.shape(args[i])),
                                              dtype=np.float64)) for i in diff)
        try:
            _, out_dot = torch.func.jvp(of_floats, tuple(ts[i] for i in diff), dots)
        except (RuntimeError, NotImplementedError):   # no forward-mode rule: twice reverse mode
            _, out_dot = torch.autograd.functional.jvp(of_floats, tuple(ts[i] for i in diff),
                                                       dots)
        return out_dot.detach().numpy().astype(np.float64)


def trace_torch(f, *args):
    """The teaching graph of PyTorch's aten graph of ``f`` at ``args`` (``make_fx``), or — given
    one tensor — of its recorded backward chain (``grad_fn``).

    >>> import torch
    >>> from teachgrad.frameworks import trace_torch
    >>> g = trace_torch(lambda a, b: (a + b) * (b + 1), 2.0, 1.0)
    >>> g.nodes, [float(s.value) for s in g.reverse_mode()]
    (['a', 'b', 'c', 'd', 'e'], [1.0, 2.0, 3.0, 2.0, 5.0])
    >>> a = torch.tensor(2.0, requires_grad=True)
    >>> b = torch.tensor(1.0, requires_grad=True)
    >>> trace_torch((a + b) * (b + 1)).nodes
    ['a', 'b', 'c', 'd', 'e']
    """
    torch = _torch()
    if isinstance(f, torch.Tensor):
        if args:
            raise TypeError("trace_torch(tensor) takes the tensor alone; to trace a function "
                            "call trace_torch(f, *args)")
        return trace_grad_fn(f, inspect.currentframe().f_back)
    if not callable(f):
        raise TypeError(f"trace_torch: expected a function and its arguments, or a tensor; got "
                        f"a {type(f).__name__}")
    names = input_names(f, len(args))
    recorder = Recorder(Torch())
    gm, targs = aten_graph(torch, f, args)
    ins = [recorder.input(n, t.numpy()) for n, t in zip(names, targs)]
    outs = replay(recorder, gm, ins)

    def retrace(values):
        return trace_torch(f, *[values[n] for n in names])
    return make_graph(recorder, outs, f, "PyTorch", "aten graph", retrace)


def aten_graph(torch, f, args, requires_grad=False):
    """``make_fx(f)`` on float64 copies of ``args``: the fx GraphModule and the copies."""
    from torch.fx.experimental.proxy_tensor import make_fx
    targs = []
    for a in args:
        value = a.detach().numpy() if isinstance(a, torch.Tensor) else a
        t = torch.as_tensor(np.array(as_float64(value)))
        if requires_grad and t.is_floating_point():
            t.requires_grad_(True)
        targs.append(t)
    import warnings
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return make_fx(f)(*targs), targs


def replay(recorder, gm, ins):
    """Replay the fx graph ``gm`` on ``ins`` (one per placeholder); returns its outputs."""
    torch = recorder.framework.torch
    env = {}
    placeholders = iter(ins)
    outs = []
    for node in gm.graph.nodes:
        if node.op == "placeholder":
            env[node] = next(placeholders)
        elif node.op == "get_attr":
            env[node] = as_float64(getattr(gm, node.target).detach().numpy())
        elif node.op == "call_function":
            env[node] = call(recorder, torch, node, env)
        elif node.op == "output":
            outs = list(torch.utils._pytree.tree_leaves(
                torch.fx.node.map_arg(node.args[0], lambda n: _Box(env[n]))))
            outs = [o.value if isinstance(o, _Box) else o for o in outs]
    return outs


class _Box:
    """A value kept whole through a pytree flatten."""
    __slots__ = ("value",)

    def __init__(self, value):
        self.value = value


def call(recorder, torch, node, env):
    """The result of one fx node: first-class, opaque, or a constant."""
    target = node.target
    used = []
    torch.fx.node.map_arg((node.args, node.kwargs), used.append)
    used = list(dict.fromkeys(used))
    inputs = [env[n] for n in used]
    if target is operator.getitem:
        whole, k = env[node.args[0]], node.args[1]
        if isinstance(whole, _Multi):
            return recorder.op(f"{whole.label}[{k}]", lambda *ts: whole.fn(*ts)[k], whole.inputs)
        return whole[k]

    def fn(*ts):
        lookup = dict(zip(used, ts))
        a, k = torch.fx.node.map_arg((node.args, node.kwargs), lambda n: lookup[n])
        return target(*a, **k)
    name = getattr(getattr(target, "overloadpacket", None), "__name__", None) or \
        getattr(target, "__name__", str(target))
    val = node.meta.get("val")
    if isinstance(val, (tuple, list)):
        return _Multi(name, fn, inputs)
    if not isinstance(val, torch.Tensor) and not any(map(recorder.is_live, inputs)):
        return fn(*[torch.as_tensor(np.array(x)) for x in inputs])   # a size, a number
    tags = getattr(target, "tags", None) or getattr(target, "_tags", ())
    first = first_class(node, name, env)
    return recorder.op(name, fn, inputs, first=first,
                       pointwise=True if torch.Tag.pointwise in tags else None)


class _Multi:
    """An op with several results: each becomes a node where ``getitem`` takes it."""

    def __init__(self, label, fn, inputs):
        self.label, self.fn, self.inputs = label, fn, inputs


def _arg(node, env, x):
    """An fx argument as teachgrad takes it: a node's tensor or value, else the number itself."""
    import torch.fx
    if isinstance(x, torch.fx.Node):
        return env[x]
    return x


def _shape_of(x):
    return np.shape(x._value if isinstance(x, Tensor) else x)


def first_class(node, name, env):
    """teachgrad's version of the aten op of ``node``: ``(prim, args, params)`` or None."""
    args = [_arg(node, env, a) for a in node.args]
    kwargs = dict(node.kwargs)
    translate = TRANSLATED.get(name)
    if translate is not None:
        try:
            return translate(args, kwargs, node)
        except (TypeError, ValueError, IndexError, KeyError):
            return None
    op = REGISTRY.get(name)
    if op is None or not op.elementwise or kwargs or len(args) != op.n_inputs \
            or not all(isinstance(a, (Tensor, np.ndarray, np.generic, int, float))
                       for a in args):
        return None
    return op, args, {}


def _alpha_one(kwargs):
    return kwargs.pop("alpha", 1) == 1 and not kwargs


def _binary(op, swap=False):
    def translate(args, kwargs, node):
        if len(args) != 2 or not _alpha_one(kwargs):
            return None
        return REGISTRY[op], (args[::-1] if swap else args), {}
    return translate


def _out_shape(node):
    return tuple(int(n) for n in node.meta["val"].shape)


def _reduce(op):
    def translate(args, kwargs, node):
        x, dims = args[0], (args[1] if len(args) > 1 else kwargs.pop("dim", None))
        keep = bool(args[2] if len(args) > 2 else kwargs.pop("keepdim", False))
        if kwargs or (isinstance(dims, (list, tuple)) and not dims and op != "reduce_max"):
            dims = None if not kwargs else dims
        if kwargs:
            return None
        axis = None if dims is None or (isinstance(dims, (list, tuple)) and not dims) \
            else tuple(dims) if isinstance(dims, (list, tuple)) else (dims,)
        return REGISTRY[op], [x], {"axis": axis, "keepdims": keep}
    return translate


def _expand(args, kwargs, node):
    return REGISTRY["broadcast_to"], [args[0]], {"shape": _out_shape(node)}


def _reshape(args, kwargs, node):
    return REGISTRY["reshape"], [args[0]], {"shape": _out_shape(node)}


def _clamp(args, kwargs, node):
    lo = args[1] if len(args) > 1 else kwargs.get("min")
    hi = args[2] if len(args) > 2 else kwargs.get("max")
    if (lo is None) == (hi is None):
        return None
    return (REGISTRY["maximum"], [args[0], lo], {}) if hi is None else \
        (REGISTRY["minimum"], [args[0], hi], {})


def _permute(args, kwargs, node):
    return REGISTRY["transpose"], [args[0]], {"perm": tuple(args[1])}


def _t(args, kwargs, node):
    return (REGISTRY["transpose"], [args[0]], {"perm": None}) if len(_shape_of(args[0])) == 2 \
        else (REGISTRY["identity"], [args[0]], {})


def _same(op):
    return lambda args, kwargs, node: (REGISTRY[op], [args[0]], {}) if not kwargs or \
        all(k in ("memory_format",) for k in kwargs) else None


def _to_copy(args, kwargs, node):
    dtype = kwargs.pop("dtype", None)
    kwargs.pop("layout", None), kwargs.pop("device", None)
    if kwargs:
        return None
    x = args[0]
    if dtype is None or (dtype.is_floating_point and is_float(
            x._value if isinstance(x, Tensor) else x)):
        return REGISTRY["identity"], [x], {}
    return None


def _comparison(op):
    return lambda args, kwargs, node: (REGISTRY[op], args, {}) if len(args) == 2 and not kwargs \
        else None


# aten ops PyTorch names differently from teachgrad, or with parameters.
TRANSLATED = {
    "add": _binary("add"), "sub": _binary("sub"), "rsub": _binary("sub", swap=True),
    "mul": _binary("mul"), "div": _binary("div"), "pow": _binary("pow"),
    "mm": _binary("matmul"), "mv": _binary("matmul"), "bmm": _binary("matmul"),
    "matmul": _binary("matmul"), "dot": _binary("matmul"),
    "clamp": _clamp, "clamp_min": lambda a, k, n: (REGISTRY["maximum"], [a[0], a[1]], {}),
    "clamp_max": lambda a, k, n: (REGISTRY["minimum"], [a[0], a[1]], {}),
    "sum": _reduce("reduce_sum"), "mean": _reduce("reduce_mean"), "amax": _reduce("reduce_max"),
    "t": _t, "permute": _permute, "view": _reshape, "reshape": _reshape,
    "_unsafe_view": _reshape, "unsqueeze": _reshape, "squeeze": _reshape, "expand": _expand,
    "clone": _same("identity"), "alias": _same("identity"), "lift_fresh_copy": _same("identity"),
    "detach": _same("stop_gradient"), "_to_copy": _to_copy,
    "eq": _comparison("equal"), "ne": _comparison("not_equal"), "lt": _comparison("less"),
    "le": _comparison("less_equal"), "gt": _comparison("greater"),
    "ge": _comparison("greater_equal"),
}


# ------------------------------------------------------------------------------------------------
# The recorded backward chain: trace_torch(tensor)
# ------------------------------------------------------------------------------------------------

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


def _chain(torch, out):
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
    """The teaching graph of ``out``'s recorded backward chain (see :func:`trace_torch`)."""
    torch = _torch()
    if out.grad_fn is None:
        raise ExpressionError("trace_torch(tensor): this tensor has no grad_fn — nothing that "
                              "requires grad went into it (make the inputs with "
                              "requires_grad=True)")
    order = _chain(torch, out)
    names = _caller_names(frame, torch)
    # Values saved in float32 are compared with teachgrad's float64 to float32's precision.
    single = out.dtype != torch.float64
    recorder = Recorder(Torch(), rtol=1e-5 if single else None, atol=1e-6 if single else None)
    recorded = _RecordedBackward(torch)
    saved = {fn: _saved(fn) for fn in order if type(fn).__name__ != "AccumulateGrad"}
    # A value known for each backward node: its saved result, or what a consumer saved of it.
    known = {out.grad_fn: as_float64(out.detach().numpy())}
    for fn, (slots, result) in saved.items():
        if result is not None:
            known[fn] = result
        for slot, value in slots.items():
            nxt = fn.next_functions[slot][0] if slot < len(fn.next_functions) else None
            if nxt is not None and type(nxt).__name__ != "AccumulateGrad":
                known.setdefault(nxt, value)
    tensor_of = {}
    taken = set()
    for fn in order:
        if type(fn).__name__ == "AccumulateGrad":
            leaf = fn.variable
            name = names.get(id(leaf))
            if name is None or name in taken:
                name = None
            tensor_of[fn] = (name, leaf.detach().numpy())
            continue
    leaves = [fn for fn in order if fn in tensor_of]
    free = iter(n for n in _letters() if n not in {v[0] for v in tensor_of.values()})
    for fn in leaves:
        name, value = tensor_of[fn]
        tensor_of[fn] = recorder.input(name or next(free), value)
    recorder.framework = recorded
    for fn in order:
        if fn in tensor_of:
            continue
        slots, _ = saved[fn]
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
        op = _FORWARD.get(_base_name(fn))
        alpha = getattr(fn, "_saved_alpha", 1)
        complete = len(inputs) == n_slots and alpha == 1
        values = [x._value if isinstance(x, Tensor) else x for x in inputs]
        value = known.get(fn)
        first, params = None, {}
        if op is None and len(inputs) == 1:
            op, more, params = _one_input(fn)
            inputs = inputs + more
            values = values + more
        if op is not None and complete and REGISTRY[op].n_inputs == len(inputs):
            first = (REGISTRY[op], inputs, params)
            if value is None:
                value = as_float64(REGISTRY[op].impl(*values, **params))
        if value is None:
            raise ValueError(f"trace_torch(tensor): PyTorch kept no value for {type(fn).__name__}"
                             " (it saved neither its result nor its inputs): trace the function "
                             "instead, trace_torch(f, *args)")
        node = _Node(fn, kinds, value)
        note = None if first is not None else (
            f"{label}: PyTorch's recorded {type(fn).__name__}: its value is the one PyTorch saved"
            f", its local partials the node's own backward (no formula)")
        tensor_of[fn] = recorder.op(label, node, inputs, first=first, note=note)
    return make_graph(recorder, [tensor_of[out.grad_fn]], None, "PyTorch", "grad_fn chain",
                      None, what=type(out.grad_fn).__name__)


def _letters():
    import string
    yield from string.ascii_lowercase
    k = 1
    while True:
        yield f"t{k}"
        k += 1
