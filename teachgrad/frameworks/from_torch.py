"""PyTorch's program as a teaching graph, two ways (``teachgrad.frameworks.trace_torch``):

- ``trace_torch(f, *args)`` reads the aten graph of ``f``
  (``torch.fx.experimental.proxy_tensor.make_fx``): one node per aten op, inputs named after
  ``f``'s parameters, Python numbers folded into the node that uses them;
- ``trace_torch(tensor)`` reads what ``.backward()`` walks: the result's recorded backward chain
  (``tensor.grad_fn`` → ``next_functions`` → … → ``AccumulateGrad``), see :mod:`.from_grad_fn`.

This module does the first (:func:`trace_aten`).

Values are float64 (the aten graph is traced on float64 copies of the arguments). Which aten
ops are teachgrad's own (first-class, see :mod:`.recorder`) is read off the op registry: an
aten op with the name of one of teachgrad's element-wise ops and as many tensor arguments is that
op (``aten.sin``, ``aten.sigmoid``, ``aten.relu``, …); :data:`TRANSLATED` says what PyTorch
calls by another name or with parameters (``mm`` and ``mv`` are ``matmul``, ``rsub`` a ``sub``,
``sum.dim_IntList`` a ``reduce_sum``). Any other op is opaque: PyTorch's value and partials.
"""

import operator

import numpy as np

from ..core.tensor import Tensor
from ..ops import REGISTRY
from ..optional import require
from .graph import make_graph
from .recorder import Framework, Recorder, as_float64, is_float
from .from_jax import input_names

__all__ = ["trace_aten", "Torch", "TRANSLATED", "aten_graph", "load_torch"]


def load_torch():
    torch = require("torch", "teachgrad.frameworks")
    import torch.fx.experimental.proxy_tensor  # noqa: F401  (make_fx)
    return torch


class Torch(Framework):
    """One PyTorch op run and differentiated in float64 on the CPU."""

    name = "PyTorch"

    def __init__(self):
        self.torch = load_torch()

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


def trace_aten(f, *args):
    """The teaching graph of PyTorch's aten graph of ``f`` at ``args`` (``make_fx``); see
    :func:`teachgrad.frameworks.trace_torch`.

    >>> g = trace_aten(lambda a, b: (a + b) * (b + 1), 2.0, 1.0)
    >>> g.nodes, [float(s.value) for s in g.reverse_mode()]
    (['a', 'b', 'c', 'd', 'e'], [1.0, 2.0, 3.0, 2.0, 5.0])
    """
    torch = load_torch()
    names = input_names(f, len(args))
    recorder = Recorder(Torch())
    gm, targs = aten_graph(torch, f, args)
    ins = [recorder.input(n, t.numpy()) for n, t in zip(names, targs)]
    outs = replay(recorder, gm, ins)

    def retrace(values):
        return trace_aten(f, *[values[n] for n in names])
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
