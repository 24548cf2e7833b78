"""Walking the recorded graph: reverse mode (``gradients``, ``grad``, ``vjp``) and forward mode (``jvp``).

Both walks visit the graph in a topological order found with an explicit stack, never by recursion,
so a chain of 100,000 operations differentiates as easily as three. Neither walk stores anything on
the tensors: results are fresh, and asking twice gives the same answer.

When a derivative may itself be differentiated (``gradients`` always, ``grad``/``vjp``/``jvp`` when
nested inside another of them), the rules run on tensors and record themselves; otherwise they run
on plain NumPy values, which is faster and keeps no intermediate arrays alive.
"""

import operator

import numpy as np

from . import ops
from .errors import DTypeError, ShapeError
from .tensor import Tensor, _record, as_tensor

__all__ = ["gradients", "grad", "value_and_grad", "vjp", "jvp", "toposort", "backward", "forward",
           "input_cotangent"]

# How many transformations (grad, vjp, jvp) are running f right now. Inside one, a derivative must
# record itself so that the outer transformation can differentiate it in turn.
_depth = 0


def toposort(outputs):
    """Every tensor ``outputs`` depend on, each after all of its inputs (no recursion).

    A tensor is always made after its inputs, so the order in which tensors were made is a
    topological order: collect what the outputs reach with an explicit stack, then sort.

    >>> import teachgrad as tg
    >>> a = tg.constant(2.0, name="a"); b = tg.constant(1.0, name="b")
    >>> e = (a + b) * (b + 1)
    >>> [t.name for t in toposort([e])]
    ['a', 'b', 'add', 'Const', 'add', 'mul']
    """
    seen = set(outputs)
    stack = list(seen)
    pop, push, add = stack.pop, stack.append, seen.add
    while stack:
        for inp in pop().inputs:
            if inp not in seen:
                add(inp)
                push(inp)
    return sorted(seen, key=_by_serial)


_by_serial = operator.attrgetter("_serial")


def _depends_on(order, sources):
    """The tensors of ``order`` (topologically sorted) that some tensor in ``sources`` reaches."""
    live = set(sources)
    add = live.add
    for node in order:
        for inp in node.inputs:
            if inp in live:
                add(node)
                break
    return live


def _check_differentiable(x, what):
    if x._value.dtype.kind not in "fc":
        raise DTypeError(
            f"{what}: cannot differentiate with respect to {x.name!r}, a tensor of dtype {x.dtype}; "
            "derivatives need floating-point tensors: write 2.0 instead of 2, or use "
            "tg.cast(x, 'float64')")


def input_cotangent(node, i, g, record=False):
    """The cotangent that flows from structural ``node`` into its ``i``-th input (the teaching
    graph's Jacobians use it); element-wise nodes are handled inline in ``_backward``."""
    if record:
        return _vjps(node, g, node, node.inputs, (i,))[0]
    return _vjps(node, g, node._value, [t._value for t in node.inputs], (i,))[0]


def _vjps(node, g, out, args, positions):
    """The cotangents flowing from a structural ``node`` into the inputs at ``positions``.

    ``out`` and ``args`` are the node's value and its inputs' values: NumPy values, or the tensors
    themselves when the derivative must record itself.
    """
    op = node.prim
    if op.vjp is None:
        raise NotImplementedError(f"{op.name} has no reverse-mode rule")
    params = node.params or _NO_PARAMS
    return [op.vjp[i](g, out, *args, **params) for i in positions]


_NO_PARAMS = {}


def backward(ys, seeds, xs, record):
    """Reverse mode: the adjoint of every x in ``xs``, starting from cotangents ``seeds`` on ``ys``.

    Returns a list with ``None`` for an x that no y depends on. (This loop is the engine's hot
    path: the element-wise rule is inlined here rather than called per edge.)
    """
    order = toposort(ys)
    live = _depends_on(order, xs)
    keep = set(xs)
    adjoint = {}
    # Arrays this pass allocated and only the adjoint table holds: safe to add into in place.
    # (Pass-through cotangents are shared between several inputs and are never in here.)
    mine = set()
    for y, g in zip(ys, seeds):
        if y in live:
            previous = adjoint.get(y)
            adjoint[y] = g if previous is None else previous + g
    for node in reversed(order):
        op = node.prim
        if op is None:
            continue
        # By now every consumer of this node has added its contribution: the adjoint is complete.
        g = adjoint.get(node) if node in keep else adjoint.pop(node, None)
        if g is None:
            continue
        if mine:
            mine.discard(id(g))   # final now: it may be passed on (shared), so never add into it
        inputs = node.inputs
        if record:
            out, args = node, inputs
        else:
            out, args = node._value, list(map(_value_of, inputs))
        if op.elementwise:
            partials = op.partials
            fast = None if record else op.vjp
            # A scalar result has scalar inputs: no broadcasting to undo.
            array = node._value.__class__ is np.ndarray
            for i, inp in enumerate(inputs):
                if inp not in live:
                    continue
                if fast is not None:   # the same product, in fewer passes over memory
                    contribution = fast[i](g, out, *args)
                    owned = contribution is not g
                else:
                    partial = partials[i](out, *args)
                    if partial is None:
                        continue
                    if partial.__class__ is int:  # ±1: pass the cotangent through unmultiplied
                        contribution = g if partial == 1 else -g
                        owned = partial == -1
                    else:
                        contribution = g * partial
                        owned = True
                if array and contribution.shape != inp._value.shape:  # undo broadcasting, once
                    contribution = ops.sum_to(contribution, inp._value.shape)
                    owned = True
                # Sum contributions with all others also using this input's output.
                previous = adjoint.get(inp)
                if previous is None:
                    adjoint[inp] = contribution
                    if owned and not record and contribution.__class__ is np.ndarray:
                        mine.add(id(contribution))
                elif id(previous) in mine and previous.dtype == contribution.dtype:
                    previous += contribution   # an array this pass made and nobody else holds
                else:
                    mine.discard(id(previous))
                    total = adjoint[inp] = previous + contribution
                    if not record and total.__class__ is np.ndarray:
                        mine.add(id(total))
        else:
            positions = [i for i, inp in enumerate(inputs) if inp in live]
            for i, contribution in zip(positions, _vjps(node, g, out, args, positions)):
                if contribution is not None:
                    inp = inputs[i]
                    previous = adjoint.get(inp)
                    if previous is None:
                        adjoint[inp] = contribution
                    elif id(previous) in mine and previous.dtype == contribution.dtype:
                        previous += contribution
                    else:
                        mine.discard(id(previous))
                        total = adjoint[inp] = previous + contribution
                        if not record and total.__class__ is np.ndarray:
                            mine.add(id(total))
    results = []
    for x in xs:
        g = adjoint.get(x)
        if g is not None:
            if g.__class__ is not Tensor:
                g = _wrap(g)
            if g._value.shape != x._value.shape:  # a seed that broadcast against x
                g = ops.broadcast_to(g, x.shape) if record else \
                    _wrap(np.broadcast_to(g._value, x.shape))
        results.append(g)
    return results


def _wrap(value):
    """A fresh result as a constant tensor (its value is new, so no copy is needed)."""
    return _record(None, (), value, None)


_value_of = operator.attrgetter("_value")


def _as_list(v):
    return (list(v), True) if isinstance(v, (list, tuple)) else ([v], False)


def gradients(ys, xs, grad_ys=None):
    """Symbolic partial derivatives of ``sum(ys)`` with respect to each tensor in ``xs``.

    TensorFlow semantics: ``ys`` and ``xs`` are tensors or lists of tensors; the result is a list with
    one entry per ``x``: a tensor of ``x``'s shape, or ``None`` when no ``y`` depends on that ``x``.
    ``grad_ys`` (the same structure as ``ys``) weights each ``y`` instead of ones. The derivatives
    are themselves recorded, so they can be differentiated again.

    >>> import teachgrad as tg
    >>> x = tg.constant(3.0)
    >>> y = x ** 2
    >>> d = tg.gradients(y, x)
    >>> d[0].numpy()
    array(6.)
    >>> tg.gradients(d[0], x)[0].numpy()      # second derivative
    array(2.)
    >>> tg.gradients(y, tg.constant(1.0))     # y does not depend on it
    [None]
    """
    ys, _ = _as_list(ys)
    xs, _ = _as_list(xs)
    ys = [as_tensor(y) for y in ys]
    for i, x in enumerate(xs):
        if not isinstance(x, Tensor):
            raise TypeError(f"gradients: xs[{i}] is a {type(x).__name__}, expected a tensor from "
                            "the computation (tg.constant, tg.Variable or a result)")
        _check_differentiable(x, "gradients")
    if grad_ys is None:
        seeds = [as_tensor(np.ones(y.shape, dtype=_float_dtype(y))) for y in ys]
    else:
        grad_ys, _ = _as_list(grad_ys)
        if len(grad_ys) != len(ys):
            raise ValueError(f"gradients: {len(grad_ys)} grad_ys for {len(ys)} ys; expected one "
                             "per y")
        seeds = []
        for y, g in zip(ys, grad_ys):
            g = as_tensor(np.ones(y.shape, dtype=_float_dtype(y)) if g is None else g)
            if g.shape != y.shape:
                try:   # a scalar weight (or one that broadcasts) weights every element
                    g = as_tensor(np.broadcast_to(g._value, y.shape).copy())
                except ValueError:
                    raise ShapeError(f"gradients: grad_ys entry of shape {g.shape} does not fit "
                                     f"y of shape {y.shape}: expected y's shape") from None
            seeds.append(g)
    return backward(ys, seeds, xs, record=True)


def _float_dtype(t):
    dtype = t._value.dtype
    return dtype if dtype.kind in "fc" else np.dtype(np.float64)


def _wrap_args(args, argnums, what, copy=False):
    """The arguments with those at ``argnums`` as tensors to differentiate with respect to.

    Arrays are wrapped as read-only views unless ``copy``: enough when the graph lives only while
    the transformation runs.
    """
    args = list(args)
    for i in argnums:
        if i >= len(args):
            raise TypeError(f"{what}: argnums {i} but the function got only {len(args)} arguments")
        x = args[i]
        if not isinstance(x, Tensor):
            if x.__class__ is np.ndarray and x.ndim and not copy:
                # A read-only view, not a copy: the graph lives only while f runs, and copying a
                # large argument on every call costs as much as an element-wise op.
                view = x.view()
                view.flags.writeable = False
                x = args[i] = _record(None, (), view, None)
            else:
                x = args[i] = Tensor(x)
        if x._value.dtype.kind not in "fc":
            _check_differentiable(x, what)
    return args


def _call(f, args):
    global _depth
    _depth += 1
    try:
        return f(*args)
    finally:
        _depth -= 1


def value_and_grad(f, argnums=0):
    """Like :func:`grad`, but the function returns ``(f(*args), gradient)``.

    >>> import teachgrad as tg
    >>> value, slope = tg.value_and_grad(lambda x: x ** 3)(2.0)
    >>> float(value), float(slope)
    (8.0, 12.0)
    """
    single = isinstance(argnums, int)
    nums = (argnums,) if single else tuple(argnums)

    def value_and_grad_f(*args):
        record = _depth > 0
        args = _wrap_args(args, nums, "grad")
        out = _call(f, args)
        if out.__class__ is not Tensor:
            out = as_tensor(out)
        xs = [args[i] for i in nums]
        value = out._value
        seed = value.dtype.type(1) if value.dtype.kind in "fc" else np.float64(1)
        if value.shape:
            seed = np.full(value.shape, seed)
        gs = backward([out], [as_tensor(seed) if record else seed], xs, record)
        for k, g in enumerate(gs):
            if g is None:
                gs[k] = as_tensor(np.zeros(xs[k].shape, dtype=xs[k].dtype))
        return out, (gs[0] if single else tuple(gs))

    value_and_grad_f.__name__ = f"value_and_grad_{getattr(f, '__name__', 'f')}"
    return value_and_grad_f


def grad(f, argnums=0):
    """The function that computes the gradient of ``f`` with respect to argument(s) ``argnums``.

    A non-scalar output is summed first, so ``grad(tg.sin)(x)`` is ``cos(x)`` element by element.
    Nests: ``grad(grad(f))`` is the second derivative. An input that ``f`` ignores gets zeros.

    >>> import teachgrad as tg
    >>> f = lambda x: 2 * x**3 - 5 * x**2 + 3 * x - 1
    >>> float(tg.grad(f)(2.0)), float(tg.grad(tg.grad(f))(2.0))
    (7.0, 14.0)
    >>> tg.grad(tg.sin)([0.0, 3.141592653589793]).numpy()
    array([ 1., -1.])
    >>> [float(g) for g in tg.grad(lambda a, b: (a + b) * (b + 1), argnums=(0, 1))(2.0, 1.0)]
    [2.0, 5.0]
    """
    vg = value_and_grad(f, argnums)

    def grad_f(*args):
        return vg(*args)[1]

    grad_f.__name__ = f"grad_{getattr(f, '__name__', 'f')}"
    return grad_f


def vjp(f, *primals):
    """Reverse mode: ``(f(*primals), vjp_fn)``; ``vjp_fn(g)`` gives one cotangent per primal.

    >>> import teachgrad as tg
    >>> out, vjp_fn = tg.vjp(lambda a, b: a * b, 3.0, 4.0)
    >>> float(out), [float(g) for g in vjp_fn(1.0)]
    (12.0, [4.0, 3.0])
    """
    record = _depth > 0
    args = _wrap_args(primals, range(len(primals)), "vjp", copy=True)  # vjp_fn runs later
    out = _call(f, args)
    outs, many = _as_list(out)
    outs = [as_tensor(o) for o in outs]

    def vjp_fn(g):
        gs, _ = _as_list(g) if many else ([g], False)
        if len(gs) != len(outs):
            raise ValueError(f"vjp_fn: got {len(gs)} cotangents for {len(outs)} outputs")
        seeds = []
        for o, g in zip(outs, gs):
            g_v = g._value if isinstance(g, Tensor) else np.asarray(g, dtype=_float_dtype(o))
            if np.shape(g_v) != o.shape:
                raise ShapeError(f"vjp_fn: cotangent of shape {np.shape(g_v)} for an output of "
                                 f"shape {o.shape}: expected the output's shape")
            seeds.append(as_tensor(g_v) if record else g_v)
        res = backward(outs, seeds, args, record)
        return tuple(r if r is not None else as_tensor(np.zeros(x.shape, dtype=x.dtype))
                     for r, x in zip(res, args))

    return (outs if many else outs[0]), vjp_fn


def _tangent_of(node, tangents, record):
    """Forward mode at one node: Σᵢ (∂node/∂inputᵢ) · inputᵢ_dot over the inputs with a tangent."""
    op = node.prim
    if record:
        args, out = node.inputs, node
    else:
        args, out = [t._value for t in node.inputs], node._value
    params = node.params or {}
    total = None
    for i, inp in enumerate(node.inputs):
        x_dot = tangents.get(inp)
        if x_dot is None:
            continue
        if op.elementwise:
            partial = op.partials[i](out, *args)
            if partial is None:
                continue
            term = x_dot if type(partial) is int and partial == 1 else \
                (-x_dot if type(partial) is int else partial * x_dot)
        elif op.jvp is not None:
            term = op.jvp[i](x_dot, out, *args, **params)
        elif op.linear:
            # Linear in each input: the tangent goes through the op with zeros for the others.
            term = op(*[x_dot if j == i else _zeros_like(a) for j, a in enumerate(args)], **params)
        else:
            raise NotImplementedError(f"{op.name} has no forward-mode rule")
        if term is None:
            continue
        total = term if total is None else total + term
    if total is not None and np.shape(total) != node.shape:
        total = ops.broadcast_to(total, node.shape)
    return total


def _zeros_like(a):
    z = np.zeros(np.shape(a), dtype=a.dtype if isinstance(a, Tensor) else np.result_type(a))
    return as_tensor(z) if isinstance(a, Tensor) else z


def forward(outputs, primals, tangents, record):
    """Forward mode: push ``tangents`` of ``primals`` through the graph of ``outputs``."""
    order = toposort(outputs)
    tan = {}
    for p, t in zip(primals, tangents):
        tan[p] = t
    for node in order:
        if node.prim is None or node in tan:
            continue
        t = _tangent_of(node, tan, record)
        if t is not None:
            tan[node] = t
    return tan


def jvp(f, primals, tangents):
    """Forward mode: ``(f(*primals), directional derivative of f along tangents)``.

    >>> import teachgrad as tg
    >>> out, slope = tg.jvp(lambda a, b: (a + b) * (b + 1), (2.0, 1.0), (0.0, 1.0))
    >>> float(out), float(slope)       # ∂e/∂b at a=2, b=1
    (6.0, 5.0)
    """
    primals, _ = _as_list(primals)
    tangents, _ = _as_list(tangents)
    if len(primals) != len(tangents):
        raise ValueError(f"jvp: {len(primals)} primals but {len(tangents)} tangents; expected one "
                         "tangent per primal")
    record = _depth > 0
    args = _wrap_args(primals, range(len(primals)), "jvp")
    seeds = []
    for x, t in zip(args, tangents):
        t_v = t._value if isinstance(t, Tensor) else np.asarray(t, dtype=x.dtype)
        if np.shape(t_v) != x.shape:
            raise ShapeError(f"jvp: tangent of shape {np.shape(t_v)} for a primal of shape "
                             f"{x.shape}: expected the primal's shape")
        seeds.append(t if (record and isinstance(t, Tensor)) else (as_tensor(t_v) if record
                                                                     else t_v))
    out = _call(f, args)
    outs, many = _as_list(out)
    outs = [as_tensor(o) for o in outs]
    tan = forward(outs, args, seeds, record)
    results = []
    for o in outs:
        t = tan.get(o)
        if t is None:
            t = np.zeros(o.shape, dtype=_float_dtype(o))
        results.append(t if isinstance(t, Tensor) else as_tensor(t))
    return (outs, results) if many else (outs[0], results[0])
