"""What an operation is (:class:`Primitive`), and applying one to tensors (:func:`apply`).

A primitive is a plain value: its NumPy implementation and its rules. Applying it computes the value
and records, on the result, which primitive made it from which inputs.
"""

import inspect

from .errors import ShapeError
from .tensor import Tensor, as_tensor, record

__all__ = ["Primitive", "apply", "binary_operator", "weak_constant", "shape_error"]


class Primitive:
    """An operation the engine knows how to differentiate.

    ``impl`` computes the value from NumPy values. The rules (set in ``ops.py``) give the
    derivative: ``partials`` for element-wise ops, or ``vjp``/``jvp`` for the others. ``expr`` and
    ``formulas`` are the human text the teaching graph prints on nodes and edges.
    """

    __slots__ = ("name", "impl", "partials", "vjp", "jvp", "expr", "formulas", "elementwise",
                 "linear", "doc", "n_inputs", "param_names", "function", "expression", "example")

    def __init__(self, name, impl, *, partials=None, vjp=None, jvp=None, expr=None, formulas=None,
                 linear=False, doc="", function=None, expression=False, example=None):
        self.name = name
        # The public name (``tg.sin``), and whether expression text may call it (``sin(a)``).
        self.function = function
        self.expression = expression
        self.example = example      # a doctest line for the generated public function
        self.impl = impl
        self.partials = partials
        self.vjp = vjp
        self.jvp = jvp
        self.expr = expr
        self.formulas = formulas
        self.elementwise = partials is not None
        self.linear = linear
        self.doc = doc
        # How many leading arguments are inputs (tensors); the rest are parameters such as a
        # shape or an axis. None: any number of inputs (concat).
        rules = partials if partials is not None else vjp
        self.n_inputs = len(rules) if type(rules) is tuple else None
        self.param_names = ()
        if self.n_inputs is not None:
            try:
                names = list(inspect.signature(impl).parameters)
            except (TypeError, ValueError):
                names = []
            self.param_names = tuple(names[self.n_inputs:])

    def __repr__(self):
        return f"<primitive {self.name}>"

    def __call__(self, *args, **params):
        """Apply to raw values or tensors; records only when some argument is a tensor.

        The gradient rules are written with these calls, so the same rule computes plain NumPy
        (first derivatives, fast) or records itself (when a derivative is itself differentiated).
        """
        n = self.n_inputs
        if n is not None and len(args) > n:   # parameters given by position, like an axis
            params.update(zip(self.param_names, args[n:]))
            args = args[:n]
        for a in args:
            if isinstance(a, Tensor):
                return apply(self, *args, **params)
        return self.impl(*args, **params)


def shape_error(prim, inputs):
    shapes = " and ".join(str(t.shape) for t in inputs)
    return ShapeError(f"{prim.name}: shapes {shapes} do not broadcast: NumPy broadcasting needs "
                      "each dimension, counted from the right, to be equal or 1")


def apply(prim, *args, **params):
    """Compute ``prim`` on tensors (or numbers) and record how the result was made."""
    inputs = tuple([a if isinstance(a, Tensor) else as_tensor(a) for a in args])
    try:
        value = prim.impl(*[t._value for t in inputs], **params)
    except ValueError as e:
        if isinstance(e, ShapeError) or not prim.elementwise:
            raise
        raise shape_error(prim, inputs) from None
    return record(prim, inputs, value, params or None)


def weak_constant(number, like):
    """A Python number beside a float tensor takes the tensor's dtype (NumPy 2's weak scalars):
    ``x32 + 1`` stays float32, and float64 meets float64, which is fast."""
    dtype = like._value.dtype
    if dtype.kind == "f" and number.__class__ in (int, float):
        return record(None, (), dtype.type(number), None)
    return as_tensor(number)


def binary_operator(prim, fn, reflected=False):
    """``Tensor.__add__`` and friends: ``apply`` without its generality, as they run the most.

    ``fn`` is Python's operator (``operator.add``): on NumPy scalars it is ~10× faster than the
    ufunc call, and on arrays it is the same ufunc.
    """
    def method(self, other):
        if not isinstance(other, Tensor):
            other = weak_constant(other, self)
        inputs = (other, self) if reflected else (self, other)
        try:
            value = fn(inputs[0]._value, inputs[1]._value)
        except ValueError:
            raise shape_error(prim, inputs) from None
        return record(prim, inputs, value, None)
    return method
