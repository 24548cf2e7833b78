"""Which values are *traced* while a transform runs a user's function, and the refusal to turn one
into a Python or NumPy number.

``tg.grad(lambda x: math.sin(x))(1.0)`` calls ``float(x)``: the number that comes back has no
graph, so the derivative through it would silently be 0 (and ``float(x) * x`` would give half of
one). While ``grad``/``value_and_grad``/``vjp``/``jvp`` or ``trace(function)`` run ``f``, a
:class:`Tracer` sits in this thread's state (``context.current.tracer``) and the tensor's
conversions (``float``, ``complex``, ``.item()``, ``.numpy()``, ``__array__`` — which
``math.sin`` and ``np.sin`` call — and ``tg.constant(x)``) ask it whether the tensor is traced; if so they raise
:class:`~teachgrad.errors.ConcretizationError`, as JAX raises ``ConcretizationTypeError``.

A tensor is traced when a derivative flows from one of the inputs to it: it is an input, or a
floating-point result of an op with a derivative that has a traced input. Everything else may
still become a number: constants, values made before ``f`` ran, integer and boolean tensors
(shapes, sizes, comparisons: a derivative never flows through them), and the results of ops
with no derivative (``tg.stop_gradient(x)``, ``tg.floor(x)``, ``tg.zeros_like(x)``).

``bool(x)`` and ``int(x)`` are never refused: ``if x > 0:`` and ``range(int(x))`` choose which
operations run, and each operation that runs is differentiated exactly, so the derivative is
that of the branch taken — the function is piecewise, and a piece's derivative is right away
from its edges (as ``relu'(0)``). ``int(x) * x`` is right too: ``int`` is a step function, whose
derivative is 0 where it exists. (JAX's ``grad`` allows both, for the same reason.)
"""

from ..errors import ConcretizationError
from .context import current

__all__ = ["Tracer", "tracing"]

# What each conversion is called in the message, and what to write instead.
_HOW = {
    "float": ("float() of a traced tensor (math.sin(x), math.exp(x), … call float() too)",
              "use teachgrad's functions and keep x a tensor: tg.sin(x) instead of "
              "math.sin(x), x * x instead of float(x) * x, and for a branch compare the tensor "
              "itself: if x > 0"),
    "complex": ("complex() of a traced tensor",
                "keep x a tensor: tg.complex/tg.cast instead of complex(x)"),
    "item": (".item() of a traced tensor",
             "keep x a tensor: x * x instead of x.item() * x"),
    "numpy": (".numpy() of a traced tensor",
              "keep x a tensor: x * x instead of x.numpy() * x"),
    "constant": ("tg.constant() of a traced tensor",
                 "keep x a tensor: use x itself (or tg.identity(x)) instead of tg.constant(x)"),
    "__array__": ("NumPy read the value of a traced tensor (np.asarray(x), np.sin(x), … call "
                  "x.__array__())",
                  "use teachgrad's functions and keep x a tensor: tg.sin(x) instead of "
                  "np.sin(x)"),
}


class Tracer:
    """The inputs a transform differentiates with respect to while it runs ``f`` (``what`` is
    the transform's name), and which tensors depend on them.

    ``no_derivative`` holds the primitives no derivative flows through (``ops.NO_DERIVATIVE``:
    the core does not know the ops). An outer tracer's inputs stay traced in a nested one
    (``grad(grad(f))``). ``depth`` counts the function transforms running ``f`` now, this one
    included (``trace(function)`` is no transform: it passes its outer tracer's count on).

    Making one costs next to nothing: most functions never turn a tensor into a number, so the
    set of inputs and the first of them are worked out at the first question.
    """

    __slots__ = ("what", "inputs", "outer", "no_derivative", "depth", "_xs", "first", "_traced")

    def __init__(self, xs, what, no_derivative, outer=None, depth=None):
        self.what = what
        self.inputs = xs         # (a list or tuple the caller no longer changes)
        self.outer = outer
        self.no_derivative = no_derivative
        self.depth = depth if depth is not None else (outer.depth if outer is not None else 0)
        self._xs = None

    @property
    def xs(self):
        """The set of traced inputs: this tracer's and every outer one's."""
        xs = self._xs
        if xs is None:
            xs = self._xs = set(self.inputs) | (self.outer.xs if self.outer is not None
                                                else set())
            # A tensor made before every input cannot depend on one: the walk stops there.
            self.first = min((x._serial for x in xs), default=0)
            self._traced = {}    # tensor -> bool, so asking many times costs one walk in all
        return xs

    def is_traced(self, t):
        """Whether a derivative flows from an input to ``t`` (no recursion: one walk over the
        tensors made since the first input, each looked at once per tracer).

        >>> import teachgrad as tg
        >>> from teachgrad.ops.nondiff import NO_DERIVATIVE
        >>> x = tg.constant(1.0)
        >>> tracer = Tracer([x], "grad", NO_DERIVATIVE)
        >>> [tracer.is_traced(t) for t in (x, x * 2, tg.stop_gradient(x), x > 0, tg.constant(3.0))]
        [True, True, False, False, False]
        """
        if self._xs is None:
            self.xs     # (worked out now: the first question)
        known = self._traced
        if t in known:
            return known[t]
        seen, stack = {t}, [t]
        while stack:
            node = stack.pop()
            if self._stops_at(node):
                continue
            for inp in node.inputs:
                if inp not in seen and inp not in known:
                    seen.add(inp)
                    stack.append(inp)
        for node in sorted(seen, key=_serial):   # inputs before the tensors made from them
            if node in self._xs:
                known[node] = True
            else:
                known[node] = not self._stops_at(node) and any(known[i] for i in node.inputs)
        return known[t]

    def _stops_at(self, node):
        """True when no derivative reaches ``node`` through its inputs (or it is an input)."""
        if node in self._xs or node.prim is None or node._serial < self.first \
                or node.prim in self.no_derivative:
            return True
        v = node._value
        dtype = v.dtype if v is not None else node._static[1]
        return dtype is None or dtype.kind not in "fc"

    def check(self, t, how):
        """Raise :class:`ConcretizationError` if ``t`` is traced (``how``: the conversion)."""
        if not self.is_traced(t):
            return
        happened, instead = _HOW[how]
        raise ConcretizationError(
            f"{self.what}: {happened}: while tg.{self.what} traces f, this tensor depends on the "
            f"input{'s' * (len(self.xs) > 1)} it differentiates, and a Python or NumPy number has "
            "no graph, so the derivative through it would silently be lost. Instead, "
            f"{instead}. (To look at a value inside f, print(x); a number that should carry no "
            "derivative: float(tg.stop_gradient(x)).)")


def _serial(t):
    return t._serial


class tracing:
    """``with tracing(xs, "grad", no_derivative):`` — ``f`` runs traced in this thread, with
    respect to the tensors ``xs``; the previous tracer (an outer transform's) comes back after.

    >>> import teachgrad as tg
    >>> from teachgrad.ops.nondiff import NO_DERIVATIVE
    >>> x = tg.constant(2.0)
    >>> with tracing([x], "grad", NO_DERIVATIVE):
    ...     float(x * 3)
    Traceback (most recent call last):
    ...
    teachgrad.errors.ConcretizationError: grad: float() of a traced tensor ...
    >>> float(x * 3)
    6.0
    """

    def __init__(self, xs, what, no_derivative, depth=None):
        self.tracer = Tracer(xs, what, no_derivative, current.tracer, depth)

    def __enter__(self):
        self.outer = current.tracer
        current.tracer = self.tracer
        return self.tracer

    def __exit__(self, *exc):
        current.tracer = self.outer
