"""Building the teaching graph of another framework's program, one op at a time.

A framework's program (a jaxpr, PyTorch's aten graph) is replayed here on float64 NumPy values.
Each op becomes one node of a teaching :class:`~teachgrad.teaching.graph.Graph`:

- **first-class**: the op is one of teachgrad's own (``teachgrad.ops.REGISTRY``), so the node is
  computed by that declaration — its value, its local partials and the formulas on its edges are
  the ones teachgrad shows for its own programs. Every such node is *checked* against the
  framework at the values traced: its value, and the cotangents it passes to its inputs for a
  random cotangent (one vector-Jacobian product of the framework's op). Where they differ — at a
  kink, where JAX splits a tie of ``max`` half and half and teachgrad gives it to the first
  argument, or where a custom derivative rule says otherwise — the node takes the framework's
  numbers instead, and says so;
- **opaque**: an op teachgrad does not declare still traces. Its value comes from the framework,
  and its local partials from the framework's own derivative of that one op (a vector-Jacobian or
  Jacobian-vector product, computed at whatever values it is asked at): numbers without a
  formula. The op's ``note`` says so, and the pictures show it as the node's and edges' tooltip.

Either way every derivative of the graph equals the framework's (to float64 rounding): a number
is right or refused, never silently wrong.

A :class:`Framework` says how to run one op and differentiate it: :mod:`.from_jax` and
:mod:`.from_torch` each give one.
"""

import numpy as np

from ..core.primitive import Primitive, apply
from ..core.program_graph import paused_recording
from ..core.shapes import TensorShape
from ..core.tensor import Tensor, record
from ..autodiff.transforms import input_cotangent

__all__ = ["Framework", "FrameworkOp", "Recorder", "as_float64", "is_float"]

# How close a first-class node must come to the framework's value and cotangents (float64).
RTOL, ATOL = 1e-9, 1e-12


def is_float(x):
    return np.issubdtype(np.result_type(x), np.floating)


def as_float64(x):
    """``x`` as a NumPy value, floats in float64 (the teaching model's dtype), others as they are.

    >>> as_float64(2.0).dtype, as_float64([1, 2]).dtype, as_float64(np.float32(1)).dtype
    (dtype('float64'), dtype('int64'), dtype('float64'))
    """
    a = np.asarray(x)
    if np.issubdtype(a.dtype, np.floating) and a.dtype != np.float64:
        a = a.astype(np.float64)
    return a[()] if a.ndim == 0 else a


class Framework:
    """How to run one op of a framework and differentiate it, on NumPy values.

    ``fn`` is the framework's own op as a function of its array inputs. A subclass gives
    :meth:`run`, :meth:`vjp` (the cotangent of every input, ``None`` for an input that is not a
    float) and :meth:`jvp`; ``name`` is how the framework is called in notes (``"JAX"``).
    """

    name = "the framework"

    def run(self, fn, args):
        raise NotImplementedError

    def vjp(self, fn, args, g):
        raise NotImplementedError

    def jvp(self, fn, args, tangents):
        raise NotImplementedError


class FrameworkOp(Primitive):
    """An op whose numbers come from another framework (an opaque node, or a node whose
    derivative the framework gives differently from teachgrad's rule): ``note`` says which and
    why, and is what the pictures show as the node's tooltip.

    Its partials (element-wise ops) or vector-Jacobian and Jacobian-vector products (the others)
    call the framework at the values they are given, so they stay right at any values.
    """

    __slots__ = ("note", "framework")


def _numbers_only(rule):
    """A rule on NumPy values; on tensors (a derivative differentiated again) it refuses."""
    def checked(*args, **params):
        if any(isinstance(a, Tensor) for a in args):
            raise NotImplementedError("a derivative through an op computed by another framework "
                                      "cannot be differentiated again in teachgrad")
        return rule(*args, **params)
    return checked


def framework_op(label, fn, framework, n_inputs, note, elementwise, shape, dtype):
    """The :class:`FrameworkOp` of ``fn`` (``n_inputs`` array inputs): element-wise (its partial
    per input is the framework's tangent for a tangent of ones, at inputs broadcast to the
    result) or not (the framework's vector-Jacobian and Jacobian-vector products)."""
    expr = f"{label}(" + ", ".join(f"{{{i}}}" for i in range(n_inputs)) + ")"
    impl = _numbers_only(lambda *xs: framework.run(fn, xs))

    def infer(inputs, params):   # a replayed program's static shape: the one traced
        return TensorShape(shape), dtype

    formulas = ("",) * n_inputs   # numbers without a formula
    if elementwise:
        partials = tuple(_numbers_only(_elementwise_partial(framework, fn, i))
                         for i in range(n_inputs))
        op = FrameworkOp(label, impl, partials=partials, formulas=formulas, expr=expr,
                         same_dtype=(), infer=infer)
    else:
        vjp = tuple(_numbers_only(lambda g, out, *args, i=i: framework.vjp(fn, args, g)[i])
                    for i in range(n_inputs))
        jvp = tuple(_numbers_only(lambda x_dot, out, *args, i=i: framework.jvp(
            fn, args, [x_dot if j == i else None for j in range(len(args))]))
            for i in range(n_inputs))
        op = FrameworkOp(label, impl, vjp=vjp, jvp=jvp, formulas=formulas, expr=expr,
                         same_dtype=(), infer=infer)
    op.note = note
    op.framework = framework.name
    return op


def _elementwise_partial(framework, fn, i):
    def partial(out, *args):
        if not is_float(args[i]):
            return None
        shape = np.shape(out)
        full = [np.broadcast_to(a, shape) if is_float(a) else a for a in args]
        ones = [np.ones(shape) if j == i else None for j in range(len(args))]
        return np.asarray(framework.jvp(fn, full, ones), dtype=np.float64)
    return partial


class Recorder:
    """Replays a framework's program as teachgrad tensors: :meth:`input` for each input,
    :meth:`op` for each op; the tensors then make a teaching graph (see :mod:`.graph`).

    ``log`` lists every op that became a node, in order, as ``(tensor, prim, args, params,
    label)`` (``label``: the framework's name of the op)
    (what :mod:`.gradient_program` replays as a TensorFlow-1 program).
    """

    def __init__(self, framework, seed=0, rtol=None, atol=None):
        self.framework = framework
        self.rtol, self.atol = rtol or RTOL, atol or ATOL
        self.inputs = {}        # name -> input tensor
        self.live = set()       # tensors that depend on an input
        self.log = []
        self._rng = np.random.default_rng(seed)

    def is_live(self, x):
        """Whether ``x`` is a tensor of this graph that depends on an input."""
        return isinstance(x, Tensor) and x in self.live

    def input(self, name, value):
        with paused_recording():
            t = record(None, (), as_float64(value), None)
        self.inputs[name] = t
        self.live.add(t)
        return t

    def op(self, label, fn, inputs, first=None, note=None, pointwise=None):
        """The result of op ``label``: ``fn`` (the framework's op) applied to ``inputs`` (tensors
        of this graph, or constants). ``first`` is teachgrad's version of the op, ``(prim, args,
        params)`` for ``apply``, or None; ``note`` why the framework's numbers are used if it is
        None; ``pointwise`` whether the op is element-wise (None: found out numerically).

        A result that depends on no input is a constant: a NumPy value, folded into the nodes
        that use it as teachgrad folds numbers.
        """
        values = [x._value if isinstance(x, Tensor) else as_float64(x) for x in inputs]
        if not any(map(self.is_live, inputs)):
            return as_float64(self.framework.run(fn, values))
        want = as_float64(self.framework.run(fn, values))
        if first is not None:
            prim, args, params = first
            why = self._first_class(prim, args, params, fn, inputs, values, want)
            if not isinstance(why, str):
                return self._logged(why, prim, args, params, label)
            note = why
        if note is None:
            note = (f"{label}: an op teachgrad does not declare: its value and local partials are "
                    f"{self.framework.name}'s own numbers (no formula)")
        args = [x if isinstance(x, Tensor) else v for x, v in zip(inputs, values)]
        return self.opaque(label, fn, args, values, want, note, pointwise)

    def opaque(self, label, fn, inputs, values, want, note, pointwise=None):
        """A node computed by the framework: value ``want``, partials from its derivatives."""
        elementwise = self._elementwise(fn, values, want, pointwise)
        out = np.asarray(want)
        prim = framework_op(label, fn, self.framework, len(inputs), note, elementwise,
                            out.shape, out.dtype)
        with paused_recording():
            ts = tuple(x if isinstance(x, Tensor) else record(None, (), v, None)
                       for x, v in zip(inputs, values))
            t = record(prim, ts, want, None)
        return self._logged(t, prim, list(inputs), {}, label)

    def _logged(self, t, prim, args, params, label):
        self.live.add(t)
        self.log.append((t, prim, list(args), dict(params), label))
        return t

    # --- the check of a first-class node -----------------------------------------------------
    def _first_class(self, prim, args, params, fn, inputs, values, want):
        """teachgrad's node, or (a str) why the framework's numbers are used instead."""
        try:
            with paused_recording(), np.errstate(all="ignore"):
                t = apply(prim, *args, **params)
        except (ValueError, TypeError, IndexError, NotImplementedError) as e:
            return f"{prim.name}: teachgrad's op does not take these inputs ({e}); " \
                   f"{self.framework.name}'s numbers instead"
        if not _close(t._value, want, self.rtol, self.atol):
            return (f"{prim.name}: teachgrad's value differs from {self.framework.name}'s here; "
                    f"{self.framework.name}'s value and partials instead")
        live = list(dict.fromkeys(filter(self.is_live, inputs)))
        if not live or not is_float(want):
            return t
        g = self._rng.standard_normal(np.shape(want))[()]
        theirs = self.framework.vjp(fn, values, g)
        for x in live:
            mine = _cotangent(t, x, g)
            other = sum((np.broadcast_to(c, x.shape) for c, y in zip(theirs, inputs)
                         if y is x and c is not None), np.zeros(x.shape))
            if not _close(mine, other, self.rtol, self.atol):
                return (f"{prim.name}: here {self.framework.name}'s local partials differ from "
                        f"teachgrad's rule (a tie or a kink, where each picks its own "
                        f"derivative): the edges show {self.framework.name}'s numbers")
        return t

    def _elementwise(self, fn, values, want, pointwise):
        """Whether the op acts element by element: said by the framework (``pointwise``), or
        seen in its Jacobian — diagonal for every float input, at these values."""
        shape = np.shape(want)
        floats = [i for i, v in enumerate(values) if is_float(v)]
        if not floats or not is_float(want):
            return False
        try:
            np.broadcast_shapes(shape, *[np.shape(v) for v in values])
        except ValueError:
            return False
        if np.broadcast_shapes(*[np.shape(v) for v in values]) != shape:
            return False
        if shape == () or pointwise is not None:
            return shape == () or bool(pointwise)
        if np.prod(shape) > 10_000:
            return False
        full = [np.broadcast_to(v, shape) if is_float(v) else v for v in values]
        for i in floats:
            ones = [np.ones(shape) if j == i else None for j in range(len(values))]
            r = self._rng.standard_normal(shape)
            v = [r if j == i else None for j in range(len(values))]
            diag = np.asarray(self.framework.jvp(fn, full, ones))
            if not _close(np.asarray(self.framework.jvp(fn, full, v)), diag * r):
                return False
        return True


def _cotangent(t, x, g):
    """teachgrad's cotangent into input tensor ``x`` of node ``t`` (summed over its uses)."""
    total = np.zeros(x.shape)
    for i, inp in enumerate(t.inputs):
        if inp is x:
            with np.errstate(all="ignore"):
                c = input_cotangent(t, i, g, record=False)
            if c is not None:
                total = total + np.broadcast_to(np.asarray(c, dtype=np.float64), x.shape)
    return total


def _close(a, b, rtol=RTOL, atol=ATOL):
    a, b = np.asarray(a), np.asarray(b)
    if a.shape != b.shape:
        return False
    if a.dtype.kind in "fc" or b.dtype.kind in "fc":
        with np.errstate(all="ignore"):
            return bool(np.allclose(a.astype(np.float64), b.astype(np.float64), rtol=rtol,
                                    atol=atol, equal_nan=True))
    return bool(np.array_equal(a, b))
