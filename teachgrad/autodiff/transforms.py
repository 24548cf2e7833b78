"""Derivatives as functions: ``gradients`` (TensorFlow 1), ``grad``, ``value_and_grad``, ``vjp`` and
``jvp`` (the function transforms of JAX and autograd), over the engine's two walks.

When a derivative may itself be differentiated (``gradients`` always, ``grad``/``vjp``/``jvp`` when
nested inside another of them), the rules run on tensors and record themselves; otherwise they run
on plain NumPy values.
"""

import functools

_new = object.__new__

import numpy as np

from .. import ops
from .engine import backward, forward, input_cotangent, toposort
from .order import check_not_stale
from .fast import scalar_pass, values_pass
from ..core.program_graph import name_scope
from ..errors import DTypeError, ShapeError
from ..core.tracing import Tracer, tracing
from ..ops.nondiff import NO_DERIVATIVE
from ..core.context import Tape, current, recording_graph, set_recording_graph
from ..core.tensor import (Tensor, as_tensor, last_replaced, np_dtype, record, serials, value_of,
                           values_replaced)


__all__ = ["gradients", "grad", "value_and_grad", "vjp", "jvp", "toposort", "backward", "forward",
           "input_cotangent", "traced_call"]

def _check_differentiable(x, what):
    if np_dtype(x).kind not in "fc":
        raise DTypeError(
            f"{what}: cannot differentiate with respect to {x.name!r}, a tensor of dtype {x.dtype}; "
            "derivatives need floating-point tensors: write 2.0 instead of 2, or use "
            "tg.cast(x, 'float64')")


def _result_tensor(i, y):
    if isinstance(y, (str, bytes)) or y is None:
        raise TypeError(f"gradients: ys[{i}] is a {type(y).__name__}; expected a tensor (the "
                        "result to differentiate)")
    return as_tensor(y)


def _as_list(v):
    return (list(v), True) if isinstance(v, (list, tuple)) else ([v], False)


def gradients(ys, xs, grad_ys=None, name="gradients", colocate_gradients_with_ops=False,
              gate_gradients=False, aggregation_method=None, stop_gradients=None,
              unconnected_gradients="none"):
    """Symbolic partial derivatives of ``sum(ys)`` with respect to each tensor in ``xs``.

    TensorFlow semantics: ``ys`` and ``xs`` are tensors or lists of tensors; the result is a list with
    one entry per ``x``: a tensor of ``x``'s shape, or ``None`` when no ``y`` depends on that ``x``
    (zeros with ``unconnected_gradients="zero"``). ``grad_ys`` (the same structure as ``ys``)
    weights each ``y`` instead of ones. The tensors in ``stop_gradients`` are held constant: no
    derivative flows through them (as if each were wrapped in ``stop_gradient``). The
    derivatives are themselves recorded, so they can be differentiated again.

    >>> import teachgrad as tg
    >>> x = tg.constant(3.0)
    >>> y = x ** 2
    >>> d = tg.gradients(y, x)
    >>> d[0].numpy()
    array(6., dtype=float32)
    >>> tg.gradients(d[0], x)[0].numpy()      # second derivative
    array(2., dtype=float32)
    >>> tg.gradients(y, tg.constant(1.0))     # y does not depend on it
    [None]
    >>> a = tg.constant(0.0); b = 2 * a
    >>> [float(g) for g in tg.gradients(a + b, [a, b])]                      # through b too
    [3.0, 1.0]
    >>> [float(g) for g in tg.gradients(a + b, [a, b], stop_gradients=[a, b])]  # partials
    [1.0, 1.0]
    """
    if unconnected_gradients not in ("none", "zero") and \
            getattr(unconnected_gradients, "value", None) not in ("none", "zero"):
        raise ValueError(f"gradients: unconnected_gradients {unconnected_gradients!r}: expected "
                         "'none' or 'zero'")
    ys, _ = _as_list(ys)
    xs, _ = _as_list(xs)
    ys = [_result_tensor(i, y) for i, y in enumerate(ys)]
    for i, x in enumerate(xs):
        if not isinstance(x, Tensor):
            raise TypeError(f"gradients: xs[{i}] is a {type(x).__name__}, expected a tensor from "
                            "the computation (tg.constant, tg.Variable or a result)")
        _check_differentiable(x, "gradients")
    stop = _as_list(stop_gradients)[0] if stop_gradients is not None else ()
    if recording_graph() is None:
        results = _reverse(*_floating(ys, _seeds(ys, grad_ys)), xs, stop)
    else:
        # graph mode: named as TensorFlow names them, the seeds too (TF's gradients/grad_ys_0)
        with name_scope(name or "gradients"):
            results = _reverse(*_floating(ys, _seeds(ys, grad_ys)), xs, stop)
    if getattr(unconnected_gradients, "value", unconnected_gradients) == "zero":
        results = [ops.zeros_like(x) if g is None else g for g, x in zip(results, xs)]
    return results


def _seeds(ys, grad_ys):
    """The cotangents reverse mode starts from: ones, or ``grad_ys`` broadcast to the ys."""
    if grad_ys is None:
        return [_ones_like(y) for y in ys]
    grad_ys, _ = _as_list(grad_ys)
    if len(grad_ys) != len(ys):
        raise ValueError(f"gradients: {len(grad_ys)} grad_ys for {len(ys)} ys; expected one "
                         "per y")
    seeds = []
    for y, g in zip(ys, grad_ys):
        g = _ones_like(y) if g is None else as_tensor(g, None if isinstance(g, Tensor)
                                                        else _float_dtype(y))
        if g.shape != y.shape:
            if not g.has_value or not y.shape.is_fully_defined():
                g = ops.broadcast_like(g, y)    # to y's shape when it runs
            else:
                try:   # a scalar weight (or one that broadcasts) weights every element
                    g = as_tensor(np.broadcast_to(g._value, y.shape).copy())
                except ValueError:
                    raise ShapeError(f"gradients: grad_ys entry of shape {g.shape} does not "
                                     f"fit y of shape {y.shape}: expected y's shape") from None
        seeds.append(g)
    return seeds


def _floating(ys, seeds):
    """The ys a derivative flows back from, with their seeds: an integer y (a count, a cast to
    int32) has none, as in TensorFlow 1, where ``tf.gradients`` of it is ``[None]``."""
    kept = [(y, g) for y, g in zip(ys, seeds) if np_dtype(y).kind in "fc"]
    return [y for y, _ in kept], [g for _, g in kept]


def _reverse(ys, seeds, xs, stop):
    if not ys:
        return [None] * len(xs)
    return backward(ys, seeds, xs, record=True, held=set(stop) if stop else ())


def _ones_like(y):
    """Ones of ``y``'s shape and (floating) dtype: the seed of reverse mode."""
    v = y._value
    if v is not None:
        dtype = v.dtype if v.dtype.kind in "fc" else np.dtype(np.float64)
        return as_tensor(np.ones(v.shape, dtype=dtype)[()] if v.shape else dtype.type(1))
    if y.shape.is_fully_defined():
        return as_tensor(np.ones(tuple(y.shape), dtype=_float_dtype(y)))
    return ops.ones_like(y)


def _float_dtype(t):
    dtype = np_dtype(t)
    return dtype if dtype.kind in "fc" else np.dtype(np.float64)


def _wrap_args(args, argnums, what, copy=False):
    """The arguments with those at ``argnums`` as tensors to differentiate with respect to.

    Arrays are wrapped as read-only views unless ``copy``: enough when the graph lives only while
    the transformation runs.
    """
    args = list(args)
    n = len(args)
    for i in argnums:
        if not -n <= i < n:
            raise TypeError(f"{what}: argnums {i} but the function got {n} arguments: "
                            f"expected argnums in [{-n}, {n - 1}]")
        x = args[i]
        if x.__class__ is float:
            # The function transforms take NumPy's dtypes (a Python float is float64), not
            # TensorFlow's: they are the JAX/autograd side of teachgrad.
            args[i] = record(None, (), np.float64(x), None)
            continue
        if isinstance(x, Tensor):
            # A node of its own: the derivative is the partial by this argument, even when the
            # same tensor is another argument too or f closes over it (grad of a·b·b by b at
            # a = b = x is 2ab, not 3x²), and the result stays connected to x for tg.gradients.
            x = args[i] = ops.identity(x)
        else:
            if x.__class__ is np.ndarray and x.ndim and not copy:
                # A read-only view, not a copy: the graph lives only while f runs, and copying a
                # large argument on every call costs as much as an element-wise op.
                view = x.view()
                view.flags.writeable = False
                x = args[i] = record(None, (), view, None)
            else:
                x = args[i] = Tensor(x if isinstance(x, np.generic) else np.asarray(x))
        if x._value is not None and x._value.dtype.kind not in "fc":
            _check_differentiable(x, what)
    return args


def _paused(fn):
    """Run ``fn`` with recording into the user's program paused: a transform's graph is its own."""
    @functools.wraps(fn)
    def paused(*args, **kwargs):
        previous = set_recording_graph(None)
        try:
            return fn(*args, **kwargs)
        finally:
            set_recording_graph(previous)
    return paused


# --- f must stay inside the engine ---------------------------------------------------------
# ``math.sin(x)``, ``float(x) * x``, ``x.numpy()`` or ``np.sin(x)`` of a tensor turn it into a
# number with no graph: a derivative through it would silently be 0 (or half of one). While f runs
# under a transform, the tensors that depend on what it differentiates are traced
# (core/tracing.py) and turning one into a number raises ConcretizationError.


def traced_call(f, args, xs, what, kwargs=None):
    """``f(*args, **kwargs)`` run with ``xs`` traced: ``ConcretizationError`` if ``f`` turns a tensor that
    depends on them into a Python or NumPy number (``float(x)``, ``math.sin(x)``, ``np.sin(x)``).

    >>> import math, teachgrad as tg
    >>> x = tg.constant(1.0)
    >>> traced_call(lambda x: tg.sin(x) * float(tg.constant(2.0)), [x], [x], "grad").numpy()
    array(1.682942, dtype=float32)
    >>> traced_call(lambda x: math.sin(x), [x], [x], "trace")
    Traceback (most recent call last):
    ...
    teachgrad.errors.ConcretizationError: trace: float() of a traced tensor ...
    """
    with tracing(xs, what, NO_DERIVATIVE):
        return f(*args, **(kwargs or {}))


def _check_result(out, what, many):
    """Raise TypeError unless f returned numbers or tensors it computed with teachgrad."""
    for o in (list(out) if many and isinstance(out, (list, tuple)) else [out]):
        if isinstance(o, (np.ndarray, np.generic)):
            raise TypeError(f"{what}: f returned a {type(o).__module__}.{type(o).__name__}, not a "
                            "teachgrad tensor: NumPy's functions drop the graph, so the "
                            "derivative would come out 0. Use tg.sin, not np.sin (a constant "
                            "function may return a Python number)")
        if not isinstance(o, Tensor) and (isinstance(o, bool) or not isinstance(o, (int, float))):
            raise TypeError(f"{what}: f returned a {type(o).__name__}; expected a number or a "
                            "teachgrad tensor (compute the result with tg functions and return "
                            "it, e.g. return tg.sin(x))")


def _call(f, args, xs, what, many):
    """``f(*args)`` traced with respect to ``xs`` (as :func:`traced_call`, inside any outer
    transform or trace), and its result checked."""
    state = current
    outer = state.tracer
    state.tracer = Tracer(xs, what, NO_DERIVATIVE, outer)
    try:
        out = f(*args)
    finally:
        state.tracer = outer
    if out.__class__ is not Tensor:
        _check_result(out, what, many)
    return out


def _taped(tape, start, outs):
    """The tensors made since ``tape[start]``, in the order they were made, when the tape holds
    every tensor made meanwhile: then the reverse pass visits them without searching the graph
    and sorting it. Every tensor takes the next serial number when it is made, so the tape missed
    none exactly when its serial numbers run on without a gap and no result is younger than its
    last entry. Otherwise (a tensor made in another thread, or in a program graph made the
    default inside f) None: search and sort; also when, after a variable was assigned, the
    search's check that no tensor is older than an assignment it read could refuse.
    """
    n = len(tape) - start
    if n <= 0:
        return None
    last = tape[-1]._serial
    if last - tape[start]._serial != n - 1:
        return None
    for o in outs:
        if o._serial > last:
            return None
    taped = tape[start:]
    if values_replaced[0] and _may_be_stale(taped, outs):
        return None
    return taped


def _may_be_stale(taped, outs):
    """After a variable was assigned in eager mode: whether the search's check
    (``order.check_not_stale`` over every tensor the outs depend on) could refuse. Those tensors
    are the taped ones the outs reach and, made before the tape, what they read from outside it
    (searched as before; usually constants and the wrapped arguments). True sends the call to the
    search, which then raises its error, the same as before.

    >>> import teachgrad as tg
    >>> tg.enable_eager_execution()
    >>> w = tg.Variable(2.0)
    >>> y = w * w
    >>> _ = w.assign(5.0)
    >>> z = w * 3.0
    >>> _may_be_stale([z], [z]), _may_be_stale([y], [y])
    (False, True)
    >>> tg.disable_eager_execution()
    """
    first = taped[0]._serial
    if first > last_replaced[0] and _self_contained(taped, outs, first):
        return False
    reach = set()
    outside = []
    for o in outs:
        if o._serial >= first:
            reach.add(o)
        elif o.inputs:
            outside.append(o)
    for node in reversed(taped):
        if node in reach:
            serial = node._serial
            for inp in node.inputs:
                assigned = getattr(inp, "_assigned", None)   # (only variables have it)
                if assigned is not None and serial < assigned:
                    return True
                if inp._serial >= first:
                    reach.add(inp)
                elif inp.inputs:   # (a leaf made before the tape reads nothing: never stale)
                    outside.append(inp)
    if outside:
        try:
            check_not_stale(toposort(outside))
        except ValueError:
            return True
    return False


def _self_contained(taped, outs, first):
    """Whether the tape and the outs read, from before the tape began, only leaves (constants,
    variables, which read nothing). With no assignment since then, nothing is stale."""
    for o in outs:
        if o._serial < first and o.inputs:
            return False
    for node in taped:
        for inp in node.inputs:
            if inp._serial < first and inp.inputs:
                return False
    return True


def value_and_grad(f, argnums=0):
    """Like :func:`grad`, but the function returns ``(f(*args), gradient)``.

    >>> import teachgrad as tg
    >>> value, slope = tg.value_and_grad(lambda x: x ** 3)(2.0)
    >>> float(value), float(slope)
    (8.0, 12.0)
    """
    single = isinstance(argnums, int)
    nums = (argnums,) if single else tuple(argnums)
    # Python floats at these argnums may be wrapped inline (no checks to make): distinct,
    # non-negative positions, the last of them ``top``.
    top = max(nums) if nums and len(set(nums)) == len(nums) and all(
        i.__class__ is int and i >= 0 for i in nums) else None

    def value_and_grad_f(*args):
        return _value_and_grad(f, nums, single, args, top)

    value_and_grad_f.__name__ = f"value_and_grad_{getattr(f, '__name__', 'f')}"
    return value_and_grad_f


def _value_and_grad(f, nums, single, args, top=None):
    """``value_and_grad(f, nums)(*args)``. f's graph is the transform's own, not the program's:
    it is recorded on a tape (the outer transform's, when nested) and in no program graph, and
    the reverse pass visits the tape (see ``_taped``). The helpers are inlined: this runs per
    call."""
    # This thread's state (context.current) as its dict: one look-up of the thread-local
    # object instead of one per attribute read or written (``tracer`` may be only the class's).
    state = current.__dict__
    previous = state["recording"]
    tape = previous if previous.__class__ is Tape else Tape()
    outer = state.get("tracer")
    state["recording"] = tape
    try:
        start = len(tape)
        xs = _floats_wrapped(args, nums, tape) if top is not None and top < len(args) else None
        scalars = xs is not None
        if scalars:   # (every argument a Python float: no tensor among them)
            record = outer is not None
            args = xs[1]
            xs = xs[0]
        else:
            record = outer is not None or _any_tensor(args)
            args = _wrap_args(args, nums, "grad")
            xs = [args[i] for i in nums]
        # f traced with respect to xs (as traced_call does), inside any outer transform or trace
        state["tracer"] = Tracer(xs, "grad", NO_DERIVATIVE, outer)
        try:
            out = f(*args)
        finally:
            state["tracer"] = outer
        if out.__class__ is not Tensor:
            _check_result(out, "grad", False)
            out = as_tensor(out)
        # the tape in the common case (as _taped says, inlined): no gap, nothing assigned
        n = len(tape) - start
        if n > 0 and tape[-1]._serial - tape[start]._serial == n - 1 \
                and out._serial <= tape[-1]._serial and not values_replaced[0]:
            order = tape if start == 0 and not record else tape[start:]
        else:
            order = _taped(tape, start, (out,))
        seed = _ONE if out._value.__class__ is _float64 else _seed(out)
        if record:
            gs = backward([out], [as_tensor(seed)], xs, True, order=order)
        else:
            if scalars and order is not None and seed.__class__ is not _ndarray:
                gs = scalar_pass(order, xs, out, seed, tape)   # (zeros for an input f ignores)
                if gs is not None:
                    return out, (gs[0] if single else tuple(gs))
            gs = values_pass([out], [seed], xs, (), order)   # (no program to pause)
        for k, g in enumerate(gs):
            if g is None:   # (an input f ignores: zeros)
                gs[k] = as_tensor(np.zeros(xs[k].shape, dtype=np_dtype(xs[k])))
    finally:
        state["recording"] = previous
    return out, (gs[0] if single else tuple(gs))


def _floats_wrapped(args, nums, tape):
    """``(xs, args)`` with the arguments at ``nums`` made float64 tensors on ``tape``, when every
    argument is a Python float (``_wrap_args``'s commonest case, made inline); else None."""
    for a in args:
        if a.__class__ is not float:
            return None
    args = list(args)
    xs = []
    for i in nums:
        value = np.float64(args[i])
        x = args[i] = _new(Tensor)    # (tape_constant, inlined)
        x._value = value
        x.prim = None
        x.inputs = ()
        x.params = None
        x._name = None
        x._serial = next(serials)
        tape.append(x)
        xs.append(x)
    return xs, args


def _seed(out):
    """Ones of the result's shape and (floating) dtype: where reverse mode starts."""
    value = out._value
    if value is None:
        value_of(out)    # (NoValueError: what to feed or initialize)
    seed = value.dtype.type(1) if value.dtype.kind in "fc" else np.float64(1)
    return np.full(value.shape, seed) if value.shape else seed


_ONE = np.float64(1)   # the seed of a float64 scalar result (NumPy scalars are immutable)
_float64, _ndarray = np.float64, np.ndarray


def _any_tensor(args):
    for a in args:
        if isinstance(a, Tensor):
            return True
    return False


def _records(args):
    """Whether a transform's derivative must record itself: inside another transform or a
    ``trace`` (f may close over what the outer one differentiates: ``grad(lambda y: x * y)`` is
    ``x``), or when an argument is a teachgrad tensor, which ``tg.gradients`` may differentiate
    the result by later (``tg.gradients(tg.grad(tg.sin)(x), x)`` is ``-sin(x)``, not ``None``)."""
    return current.tracer is not None or _any_tensor(args)


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

    ``f`` must compute with teachgrad. Turning ``x`` (or anything computed from it) into a
    Python or NumPy number — ``float(x)``, ``math.sin(x)``, ``x.item()``, ``x.numpy()``,
    ``np.sin(x)`` — drops the graph, and the derivative through it would silently be lost, so it
    is a ``ConcretizationError`` (a ``TypeError``) that says what to write instead; so is a
    result that is no number or tensor. ``if x > 0:`` is fine: the branch taken is
    differentiated exactly.

    >>> import math
    >>> tg.grad(lambda x: math.sin(x) * x)(1.0)
    Traceback (most recent call last):
    ...
    teachgrad.errors.ConcretizationError: grad: float() of a traced tensor (math.sin(x), math.exp(x), … call float() too): ... Instead, use teachgrad's functions and keep x a tensor: tg.sin(x) instead of math.sin(x), x * x instead of float(x) * x, ...
    >>> round(float(tg.grad(lambda x: tg.sin(x) * x)(1.0)), 6)
    1.381773
    >>> float(tg.grad(lambda x: x if x > 0 else -x)(-3.0))
    -1.0
    """
    vg = value_and_grad(f, argnums)

    def grad_f(*args):
        return vg(*args)[1]

    grad_f.__name__ = f"grad_{getattr(f, '__name__', 'f')}"
    return grad_f


@_paused
def vjp(f, *primals):
    """Reverse mode: ``(f(*primals), vjp_fn)``; ``vjp_fn(g)`` gives one cotangent per primal.

    >>> import teachgrad as tg
    >>> out, vjp_fn = tg.vjp(lambda a, b: a * b, 3.0, 4.0)
    >>> float(out), [float(g) for g in vjp_fn(1.0)]
    (12.0, [4.0, 3.0])
    """
    record = _records(primals)
    args = _wrap_args(primals, range(len(primals)), "vjp", copy=True)  # vjp_fn runs later
    out = _call(f, args, args, "vjp", many=True)
    outs, many = _as_list(out)
    outs = [as_tensor(o) for o in outs]

    @_paused
    def vjp_fn(g):
        gs, _ = _as_list(g) if many else ([g], False)
        if len(gs) != len(outs):
            raise ValueError(f"vjp_fn: got {len(gs)} cotangents for {len(outs)} outputs")
        seeds = []
        for o, g in zip(outs, gs):
            if g is None:
                raise TypeError("vjp_fn: the cotangent is None; expected a number or an array "
                                f"of the output's shape {o.shape} (ones, for a gradient)")
            g_v = g._value if isinstance(g, Tensor) else np.asarray(g, dtype=_float_dtype(o))
            if np.shape(g_v) != o.shape:
                raise ShapeError(f"vjp_fn: cotangent of shape {np.shape(g_v)} for an output of "
                                 f"shape {o.shape}: expected the output's shape")
            seeds.append(as_tensor(g_v) if record else g_v)
        res = backward(outs, seeds, args, record)
        return tuple(r if r is not None else as_tensor(np.zeros(x.shape, dtype=x.dtype))
                     for r, x in zip(res, args))

    return (outs if many else outs[0]), vjp_fn


@_paused
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
    record = _records(list(primals) + list(tangents))
    args = _wrap_args(primals, range(len(primals)), "jvp")
    seeds = []
    for x, t in zip(args, tangents):
        if t is None:
            raise TypeError(f"jvp: a tangent is None; expected a number or an array of the "
                            f"primal's shape {x.shape}")
        t_v = t._value if isinstance(t, Tensor) else np.asarray(t, dtype=x.dtype)
        if np.shape(t_v) != x.shape:
            raise ShapeError(f"jvp: tangent of shape {np.shape(t_v)} for a primal of shape "
                             f"{x.shape}: expected the primal's shape")
        seeds.append(t if (record and isinstance(t, Tensor)) else (as_tensor(t_v) if record
                                                                     else t_v))
    out = _call(f, args, args, "jvp", many=True)
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
