"""JAX's program as a teaching graph: :func:`trace_jax` reads ``jax.make_jaxpr(f)(*args)``.

One node per equation of the jaxpr, in float64 (the jaxpr is made with 64-bit types on, inside
``jax.enable_x64``, and nothing outside is changed). Literals fold into the node that uses them, as
teachgrad folds numbers: the seed function ``lambda a, b: (a + b) * (b + 1)`` reads
``c = add a b; d = add b 1.0; e = mul c d`` and gives exactly the five nodes a, b, c, d, e.
Sub-jaxprs of ``jit`` (pjit), ``closed_call``, ``remat`` and custom-derivative calls are inlined:
their equations become nodes of their own — except a custom-derivative call whose rule gives
another derivative than its code at these values (``jax.nn.relu`` at 0): that call stays one node
with JAX's numbers.

Which equations are teachgrad's own ops (first-class, see :mod:`.recorder`) is read off the op
registry: a JAX primitive with the name of one of teachgrad's element-wise ops is that op
(``sin``, ``exp``, ``log1p``, … — declare a new op and JAX's primitive of that name follows), and
:data:`RENAMED` and :data:`TRANSLATED` say what JAX calls by another name or with parameters
(``logistic`` is ``sigmoid``, ``dot_general`` a ``matmul``, ``reduce_sum`` over ``axes`` a
``reduce_sum`` over ``axis``).
"""

import inspect
import string

import numpy as np

from ..ops import REGISTRY
from ..optional import require
from .graph import make_graph
from .recorder import Framework, Recorder, as_float64, is_float

__all__ = ["trace_jax", "JAX", "RENAMED", "TRANSLATED", "flat_jaxpr", "input_names"]

# JAX's name → teachgrad's, for ops that take the same inputs and no parameters.
RENAMED = {"logistic": "sigmoid", "max": "maximum", "min": "minimum", "add_any": "add",
           "eq": "equal", "ne": "not_equal", "lt": "less", "le": "less_equal", "gt": "greater",
           "ge": "greater_equal", "copy": "identity", "copy_p": "identity"}

# Calls whose sub-jaxpr is inlined (its equations become nodes), and where the sub-jaxpr is.
INLINED = {"pjit": "jaxpr", "jit": "jaxpr", "closed_call": "call_jaxpr",
           "core_call": "call_jaxpr", "remat": "jaxpr", "checkpoint": "jaxpr",
           "custom_jvp_call": "call_jaxpr", "custom_vjp_call": "call_jaxpr",
           "custom_vjp_call_jaxpr": "fun_jaxpr"}
CUSTOM = ("custom_jvp_call", "custom_vjp_call", "custom_vjp_call_jaxpr")


def load_jax():
    jax = require("jax", "teachgrad.frameworks")
    import jax.extend.core  # noqa: F401  (Literal, jaxpr_as_fun)
    return jax


class JAX(Framework):
    """One JAX op run and differentiated in float64."""

    name = "JAX"

    def __init__(self):
        self.jax = load_jax()

    def run(self, fn, args):
        with self.jax.enable_x64(True):
            return np.asarray(fn(*args))

    def _split(self, fn, args):
        diff = [i for i, a in enumerate(args) if is_float(a)]

        def of_floats(*xs):
            full = list(args)
            for i, x in zip(diff, xs):
                full[i] = x
            return fn(*full)
        return diff, of_floats

    def vjp(self, fn, args, g):
        diff, of_floats = self._split(fn, args)
        result = [None] * len(args)
        if not diff:
            return result
        with self.jax.enable_x64(True):
            out, pull = self.jax.vjp(of_floats, *[np.asarray(args[i]) for i in diff])
            cotangents = pull(np.asarray(g, dtype=out.dtype).reshape(np.shape(out)))
        for i, c in zip(diff, cotangents):
            result[i] = np.asarray(c, dtype=np.float64)
        return result

    def jvp(self, fn, args, tangents):
        diff, of_floats = self._split(fn, args)
        primals = [np.asarray(args[i], dtype=np.float64) for i in diff]
        dots = [np.zeros(np.shape(args[i])) if tangents[i] is None else
                np.asarray(np.broadcast_to(tangents[i], np.shape(args[i])), dtype=np.float64)
                for i in diff]
        with self.jax.enable_x64(True):
            _, out_dot = self.jax.jvp(of_floats, tuple(primals), tuple(dots))
        return np.asarray(out_dot, dtype=np.float64)


def input_names(f, n, prefix_of=None):
    """The names of ``f``'s first ``n`` parameters, else ``a, b, c, …`` (as jaxprs name them).

    >>> input_names(lambda W, b, X: None, 3), input_names(lambda *xs: None, 2)
    (['W', 'b', 'X'], ['a', 'b'])
    """
    try:
        params = list(inspect.signature(f).parameters.values())
    except (TypeError, ValueError):
        params = []
    plain = [p.name for p in params if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)]
    if len(plain) >= n:
        return plain[:n]
    return [_letter(k) for k in range(n)]


def _letter(k):
    letters = string.ascii_lowercase
    return letters[k] if k < 26 else f"x{k}"


def leaf_names(jax, f, args):
    """A name per array leaf of ``args``: the parameter's name, with the leaf's key path after
    it for a pytree (``params.W``, ``layers.0``)."""
    names = input_names(f, len(args))
    leaves = []
    for name, arg in zip(names, args):
        for path, leaf in jax.tree_util.tree_flatten_with_path(arg)[0]:
            keys = [str(getattr(k, "key", getattr(k, "idx", getattr(k, "name", k))))
                    for k in path]
            leaves.append((".".join([name, *keys]), leaf))
    return leaves


def trace_jax(f, *args):
    """The teaching graph of ``jax.make_jaxpr(f)(*args)``: a node per equation, values and
    partials from teachgrad's op declarations in float64 (JAX's own numbers for an op teachgrad
    does not declare). Inputs are named after ``f``'s parameters; other nodes take the next free
    letters, as ``tg.trace`` names them.

    >>> from teachgrad.frameworks import trace_jax
    >>> g = trace_jax(lambda a, b: (a + b) * (b + 1), 2.0, 1.0)
    >>> g.nodes, [float(g.value(n)) for n in g.nodes]
    (['a', 'b', 'c', 'd', 'e'], [2.0, 1.0, 3.0, 2.0, 6.0])
    >>> g.edge("c", "e").label, [float(s.value) for s in g.reverse_mode()]
    ('∂e/∂c = d = 2', [1.0, 2.0, 3.0, 2.0, 5.0])
    """
    jax = load_jax()
    leaves = leaf_names(jax, f, args)
    args64 = jax.tree_util.tree_map(as_float64, list(args))
    with jax.enable_x64(True):
        closed = jax.make_jaxpr(f)(*args64)
    recorder = Recorder(JAX())
    ins = [recorder.input(name, leaf) for name, leaf in
           zip([n for n, _ in leaves], jax.tree_util.tree_leaves(args64))]
    outs = walk(recorder, closed, ins)
    treedef = jax.tree_util.tree_structure(list(args))

    def retrace(values):
        new = jax.tree_util.tree_unflatten(treedef, [values[n] for n, _ in leaves])
        return trace_jax(f, *new)
    return make_graph(recorder, outs, f, "JAX", "jaxpr", retrace)


def _read(env, v):
    if isinstance(v, load_jax().extend.core.Literal):
        return as_float64(v.val)
    return env[v]


def walk(recorder, closed, args):
    """Replay the equations of ``closed`` (a ClosedJaxpr) on ``args``; returns its outputs."""
    jaxpr = closed.jaxpr
    env = {}
    for v, c in zip(jaxpr.constvars, closed.consts):
        env[v] = as_float64(c)
    for v, a in zip(jaxpr.invars, args):
        env[v] = a
    for eqn in jaxpr.eqns:
        ins = [_read(env, v) for v in eqn.invars]
        outs = equation(recorder, eqn, ins)
        for v, o in zip(eqn.outvars, outs):
            if type(v).__name__ != "DropVar":
                env[v] = o
    return [_read(env, v) for v in jaxpr.outvars]


def bound(eqn, k=None):
    """The equation's op as a function of its inputs (output ``k`` of a multi-output op)."""
    params = eqn.primitive.get_bind_params(eqn.params)
    subfuns = []
    if isinstance(params, tuple):   # (older JAX: the sub-functions, then the parameters)
        subfuns, params = params

    def fn(*xs):
        out = eqn.primitive.bind(*subfuns, *xs, **params)
        return out[k] if eqn.primitive.multiple_results else out
    return fn


def _sub_jaxpr(eqn):
    key = INLINED.get(eqn.primitive.name)
    sub = eqn.params.get(key) if key else None
    if sub is None or not hasattr(sub, "jaxpr"):
        return None
    if len(sub.jaxpr.invars) != len(eqn.invars) or len(sub.jaxpr.outvars) != len(eqn.outvars):
        return None
    return sub


def equation(recorder, eqn, ins):
    """The outputs of one equation: inlined, first-class or opaque."""
    name = eqn.primitive.name
    sub = _sub_jaxpr(eqn)
    label = _call_name(eqn, sub)
    if sub is not None:
        if name not in CUSTOM or _same_derivative(recorder, eqn, sub, ins):
            return walk(recorder, sub, ins)
        note = (f"{label}: a custom derivative rule that differs here from the derivative of its "
                f"code: JAX's value and partials (no formula)")
        return [recorder.op(label, bound(eqn, k), ins, note=note)
                for k in range(len(eqn.outvars))]
    if eqn.primitive.multiple_results:
        return [recorder.op(f"{name}[{k}]", bound(eqn, k), ins) for k in range(len(eqn.outvars))]
    first = first_class(eqn, ins)
    return [recorder.op(name, bound(eqn), ins, first=first)]


def _call_name(eqn, sub):
    """The name of the function a call equation calls (``relu``), else the primitive's."""
    name = eqn.params.get("name")
    info = getattr(getattr(sub, "jaxpr", None), "debug_info", None)
    source = getattr(info, "func_src_info", None) or ""
    if not isinstance(name, str) and source:
        name = source.split()[0]
    return name if isinstance(name, str) and name.isidentifier() else eqn.primitive.name


def _same_derivative(recorder, eqn, sub, ins):
    """Whether inlining a custom-derivative call keeps JAX's derivative at these values."""
    if not any(recorder.is_live(x) for x in ins):
        return True
    values = [_value(x) for x in ins]
    inner = load_jax().extend.core.jaxpr_as_fun(sub)
    fw = recorder.framework
    for k in range(len(eqn.outvars)):
        want = np.asarray(fw.run(bound(eqn, k), values))
        if not is_float(want):
            continue
        g = np.random.default_rng(k).standard_normal(want.shape)
        custom = fw.vjp(bound(eqn, k), values, g)
        plain = fw.vjp(lambda *xs, k=k: inner(*xs)[k], values, g)
        for a, b in zip(custom, plain):
            if (a is None) != (b is None) or (a is not None and not np.allclose(a, b)):
                return False
    return True


def first_class(eqn, ins):
    """teachgrad's version of the equation, ``(prim, args, params)``, or None."""
    name = eqn.primitive.name
    translate = TRANSLATED.get(name)
    if translate is not None:
        return translate(eqn.params, ins)
    op = REGISTRY.get(RENAMED.get(name, name))
    if op is None or op.n_inputs != len(ins) or any(v not in (None, False)
                                                   for v in eqn.params.values()):
        return None
    if name not in RENAMED and not op.elementwise:
        return None
    return op, list(ins), {}


def _shape(x):
    return np.shape(x._value if hasattr(x, "_value") else x)


def _dot_general(params, ins):
    (lc, rc), (lb, rb) = params["dimension_numbers"]
    a, b = ins
    na, nb = len(_shape(a)), len(_shape(b))
    lc, rc, lb, rb = tuple(lc), tuple(rc), tuple(lb), tuple(rb)
    if not lb and not rb:
        if na in (1, 2) and nb in (1, 2) and lc == (na - 1,) and rc == (0,):
            return REGISTRY["matmul"], [a, b], {}
        return REGISTRY["tensordot"], [a, b], {"axes": (list(lc), list(rc))}
    k = len(lb)
    if lb == rb == tuple(range(k)) and na == nb == k + 2 and lc == (k + 1,) and rc == (k,):
        return REGISTRY["matmul"], [a, b], {}
    return None


def _broadcast_in_dim(params, ins):
    shape, dims = tuple(params["shape"]), tuple(params["broadcast_dimensions"])
    n_in = len(_shape(ins[0]))
    if dims != tuple(range(len(shape) - n_in, len(shape))):
        return None   # not NumPy's right-aligned broadcasting: JAX's numbers
    return REGISTRY["broadcast_to"], [ins[0]], {"shape": shape}


def _convert(params, ins):
    target = np.dtype(params["new_dtype"])
    x = ins[0]
    if np.issubdtype(target, np.floating) and is_float(x._value if hasattr(x, "_value") else x):
        return REGISTRY["identity"], [x], {}   # float to float: the teaching model is float64
    return REGISTRY["cast"], [x], {"dtype": np.float64 if np.issubdtype(
        target, np.floating) else target}


def _select_n(params, ins):
    if len(ins) != 3 or np.result_type(_value(ins[0])) != np.bool_:
        return None
    return REGISTRY["where"], [ins[0], ins[2], ins[1]], {}   # select_n(p, no, yes)


def _value(x):
    return x._value if hasattr(x, "_value") else x


def _reduce(op):
    return lambda params, ins: (REGISTRY[op], [ins[0]], {"axis": tuple(params["axes"])})


# JAX primitives that take parameters, each translated to teachgrad's op with its parameters.
TRANSLATED = {
    "integer_pow": lambda p, ins: (REGISTRY["pow"], [ins[0], float(p["y"])], {}),
    "dot_general": _dot_general,
    "reduce_sum": _reduce("reduce_sum"),
    "reduce_max": _reduce("reduce_max"),
    "reduce_min": _reduce("reduce_min"),
    "broadcast_in_dim": _broadcast_in_dim,
    "reshape": lambda p, ins: (REGISTRY["reshape"], [ins[0]], {"shape": tuple(p["new_sizes"])})
    if p.get("dimensions") is None else None,
    "transpose": lambda p, ins: (REGISTRY["transpose"], [ins[0]],
                                 {"perm": tuple(p["permutation"])}),
    "squeeze": lambda p, ins: (REGISTRY["squeeze"], [ins[0]], {"axis": tuple(p["dimensions"])}),
    "convert_element_type": _convert,
    "select_n": _select_n,
}


def flat_jaxpr(jax, f, args):
    """``jax.make_jaxpr(f)(*args)`` in float64 (for :mod:`.gradient_program`)."""
    args64 = jax.tree_util.tree_map(as_float64, list(args))
    with jax.enable_x64(True):
        return jax.make_jaxpr(f)(*args64), args64
