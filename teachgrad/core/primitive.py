"""What an operation is (:class:`Primitive`), and applying one to tensors (:func:`apply`).

A primitive is a plain value: its NumPy implementation and its rules. Applying it computes the value
and records, on the result, which primitive made it from which inputs.
"""

import inspect

import numpy as np

ndarray = np.ndarray
float64, float32 = np.float64, np.float32
_new = object.__new__

from ..errors import ShapeError
from .shapes import TensorShape, unknown_dims
from .context import Tape, current, recording_graph, set_recording_graph
from .operation import op_type
from .tensor import (DTYPE_MISMATCH, Output, Tensor, as_tensor, convert_like, freeze, np_dtype, record, record_symbolic, static_shape)
from .tensor import serials   # (binary_operator makes tensors inline)

__all__ = ["Primitive", "apply", "binary_operator", "weak_constant", "shape_error", "infer", "EAGER",
           "check_allowed", "home_graph", "other_output", "probe_static"]


class Primitive:
    """An operation the engine knows how to differentiate.

    ``impl`` computes the value from NumPy values. The rules (declared in the ``ops`` package)
    give the derivative: ``partials`` for element-wise ops, or ``vjp``/``jvp`` for the others.
    ``expr`` and ``formulas`` are the human text the teaching graph prints on nodes and edges.
    """

    __slots__ = ("name", "impl", "partials", "vjp", "jvp", "expr", "formulas", "elementwise",
                 "linear", "doc", "n_inputs", "param_names", "function", "expression", "example", "same_dtype", "stateful",
                 "infer", "run", "dtypes")

    def __init__(self, name, impl, *, partials=None, vjp=None, jvp=None, expr=None, formulas=None,
                 linear=False, doc="", function=None, expression=False, example=None,
                 same_dtype=None, stateful=False, infer=None, run=None, dtypes=None):
        self.name = name
        # The public name (``tg.sin``), and whether expression text may call it (``sin(a)``).
        self.function = function
        self.expression = expression
        self.example = example      # a doctest line for the generated public function
        # Stateful ops (random numbers, assignments) act anew at every run: never a value at once.
        self.stateful = stateful
        # infer(inputs, params) -> (shape, dtype): the static result of an op with inputs that
        # have no value yet; by default the op is probed on stand-in values (see ``infer``).
        self.infer = infer
        # run(session, node, *values): how a Session computes a stateful op (draw, assign, read a
        # variable); other ops run their ``impl``.
        self.run = run
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
        # The inputs whose dtypes must agree (TensorFlow 1 never promotes): all inputs of an
        # element-wise op unless declared otherwise; True means all inputs, however many.
        if same_dtype is None:
            same_dtype = tuple(range(self.n_inputs)) if self.elementwise else ()
        self.same_dtype = same_dtype
        # The dtypes the first input may have, as TensorFlow 1 declares them (None: any):
        # (its parameter's name, the NumPy kinds allowed, TensorFlow's list of them).
        self.dtypes = dtypes

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


def _inputs(prim, args):
    """``args`` as tensors, with TensorFlow 1's dtype rules: the tensors among the inputs that must
    agree have one dtype (or ``TypeError``), and a number, list or array meeting them is converted
    to it; with no tensor among them, the first one's own dtype (int32, float32, …) rules. A
    variable is read through its ``NAME/read`` node, as every use of a TensorFlow 1 variable is."""
    group = prim.same_dtype
    if group is True:
        group = range(len(args))
    ref = None
    for i in group:
        if i < len(args) and isinstance(args[i], Tensor):
            ref = (i, np_dtype(args[i]))
            break
    inputs = []
    for i, a in enumerate(args):
        if isinstance(a, Tensor):
            if a._snapshot is not None:
                a = a._snapshot
            if ref is not None and i in group and np_dtype(a) != ref[1]:
                raise TypeError(DTYPE_MISMATCH.format(op=prim.name, i=i, got=np_dtype(a).name,
                                                      want=ref[1].name, j=ref[0]))
            inputs.append(a)
        elif ref is not None and i in group:
            inputs.append(_implicit(convert_like(a, ref[1], prim.name)))
        else:
            t = as_tensor(a)
            if t.prim is None and t._name is None:
                _implicit(t)
            if i in group:
                ref = (i, np_dtype(t))
            inputs.append(t)
    allowed = prim.dtypes
    if allowed is not None:
        x = inputs[0]
        v = x._value
        if (v.dtype if v is not None else x._static[1]).kind not in allowed[1]:
            check_allowed(prim, x)
    return tuple(inputs)


def check_allowed(prim, x):
    """``TypeError`` unless ``x``'s dtype is one ``prim`` accepts (TensorFlow 1's lists: sin of an
    int32 tensor is an error there, not a float64 result)."""
    param, kinds, allowed = prim.dtypes
    dtype = np_dtype(x)
    if dtype is not None and dtype.kind not in kinds:
        name = "bool" if dtype.kind == "b" else dtype.name
        target = "bool" if kinds == "b" else "float32"    # (the logical reductions take bools)
        raise TypeError(f"{op_type(prim)}: Value passed to parameter '{param}' has DataType "
                        f"{name} not in list of allowed values: {allowed}; TensorFlow 1 never "
                        f"converts it for you: use tg.cast(x, tg.{target})")


def _implicit(t):
    """Mark constant ``t`` as made from a number an op was given (see ``Graph.name_of``)."""
    t._implicit = True
    return t


def home_graph(args):
    """The program graph of the tensors among ``args`` (None when none has one); ``ValueError``,
    as TensorFlow 1 words it, for tensors of two different graphs."""
    home = first = None
    for a in args:
        if isinstance(a, Tensor):
            graph = getattr(a, "_graph", None)
            if graph is None or graph is home:
                continue
            if home is not None:
                raise ValueError(f"{a} must be from the same graph as {first} (graphs are "
                                 f"{object.__repr__(graph)} and {object.__repr__(home)}): a "
                                 "tensor made before tg.reset_default_graph() or inside another "
                                 "graph's as_default() block cannot meet this one; make it again")
            home, first = graph, a
    return home


def apply(prim, *args, **params):
    """Compute ``prim`` on tensors (or numbers) and record how the result was made.

    An input without a value yet (a placeholder, a variable in graph mode) makes a result without
    one: only its static shape and dtype are worked out now, and a Session computes it later.
    As in TensorFlow 1, the op goes to the graph of its input tensors (which must share one),
    whichever graph is the default.
    """
    here = current.recording
    if here is None or here.graph is None:
        # Eager (or a transform tracing f): no graph to name or register in. One tensor with a
        # value, as tg.sin(x) gives, needs none of _inputs' conversions: compute and record.
        if len(args) == 1 and not prim.stateful:
            x = args[0]
            if x.__class__ is Tensor:     # (a variable reads through its snapshot: below)
                v = x._value
                if v is not None:
                    allowed = prim.dtypes
                    if allowed is not None and v.dtype.kind not in allowed[1]:
                        check_allowed(prim, x)
                    try:
                        value = prim.impl(v, **params)
                    except ValueError as e:
                        if isinstance(e, ShapeError) or not prim.elementwise:
                            raise
                        raise shape_error(prim, (x,)) from None
                    return record(prim, (x,), value, params or None)
    else:
        graph = here.graph
        for a in args:
            if isinstance(a, Tensor) and getattr(a, "_graph", graph) is not graph:
                home = home_graph(args)
                if home is not None and home is not graph:
                    previous = set_recording_graph(home)
                    try:
                        return apply(prim, *args, **params)
                    finally:
                        set_recording_graph(previous)
                break
    inputs = _inputs(prim, args)
    if prim.stateful or any(t._value is None for t in inputs):
        shape, dtype = infer(prim, inputs, params)
        t = record_symbolic(prim, inputs, shape, dtype, params or None)
        if prim.stateful and recording_graph() is None and all(i._value is not None
                                                               for i in inputs):
            # Eager mode: a random op draws at once (sessions draw at every run otherwise).
            t._value = freeze(prim.run(EAGER, t, *[i._value for i in inputs]))
        return t
    try:
        value = prim.impl(*[t._value for t in inputs], **params)
    except ValueError as e:
        if isinstance(e, ShapeError) or not prim.elementwise:
            raise
        raise shape_error(prim, inputs) from None
    return record(prim, inputs, value, params or None)


def other_output(first, index, prim, *inputs, **params):
    """Output ``index`` of the op that made ``first`` (its output 0), computed by ``prim`` from
    ``inputs`` (tensors of ``first``'s op): a node of its own, named ``NAME:index``."""
    graph = first.graph
    previous = set_recording_graph(graph) if graph is not None and recording_graph() is not None \
        else None
    try:
        shape, dtype = infer(prim, inputs, params)
        t = record_symbolic(prim, inputs, shape, dtype, params or None, cls=Output)
    finally:
        if previous is not None:
            set_recording_graph(previous)
    t._first, t._index = first, index
    if not prim.stateful and all(i._value is not None for i in inputs):
        t._value = freeze(prim.impl(*[i._value for i in inputs], **params))
    return t


# Stand-in sizes for unknown dimensions: a result dimension that differs between the two probes
# depends on an unknown one. Both are multiples of 2, 3 and 4, so reshapes into such groups work.
_PROBE_SIZES = (12, 24)


def _stand_in(t, size):
    if size is None:   # a scalar of the dtype: enough to learn the result's dtype
        return np.ones((), dtype=np_dtype(t))[()]
    if t._value is not None:
        return t._value
    shape = tuple(size if n is None else n for n in static_shape(t))
    dtype = np_dtype(t)
    if dtype.kind in "fc":   # generic numbers: no ties, no singular matrices, all positive
        return np.random.default_rng(len(shape)).uniform(0.5, 1.5, shape).astype(dtype)
    return np.ones(shape, dtype=dtype)


def _probe(prim, inputs, params, size, shape_of=None):
    if shape_of is not None and size is not None:   # the shapes alone: no stand-in arrays
        shapes = [np.shape(t._value) if t._value is not None
                  else tuple(size if n is None else n for n in static_shape(t)) for t in inputs]
        return tuple(shape_of(*shapes)), np.result_type(*[np_dtype(t) for t in inputs])
    with np.errstate(all="ignore"):
        out = prim.impl(*[_stand_in(t, size) for t in inputs], **params)
    return np.shape(out), np.result_type(out)


def infer(prim, inputs, params):
    """The static shape and dtype of ``prim`` applied to ``inputs``, some without values.

    The op runs on stand-in values of the inputs' static shapes (twice, with two sizes for each
    unknown dimension, when some are unknown); the error of a misfit is the op's own, written with
    the inputs' static shapes (``?`` for unknown sizes).

    >>> import teachgrad as tg
    >>> x = tg.placeholder(tg.float32, shape=(None, 3))
    >>> tg.matmul(x, tg.ones((3, 2), dtype=tg.float32)).shape
    TensorShape([None, 2])
    >>> tg.matmul(x, tg.ones((2, 3), dtype=tg.float32))
    Traceback (most recent call last):
    ...
    teachgrad.errors.ShapeError: matmul: shapes (?, 3) and (2, 3) do not fit: a.shape[-1] == b.shape[-2] is required (3 != 2)
    """
    if prim.infer is not None:
        return prim.infer(inputs, params)
    return probe_static(prim, inputs, params)


def probe_static(prim, inputs, params, shape_of=None):
    """:func:`infer` by probing ``prim`` on stand-in values, whatever its own ``infer`` says (an
    op's ``infer`` may fall back on it). ``shape_of(*input_shapes)``, when given, is the op's
    result shape computed from its inputs' shapes (raising the op's own error for a misfit): an
    op whose work grows faster than its inputs (``matmul``) declares it, so that building a graph
    of large matrices computes nothing."""
    shapes = [t.shape for t in inputs]
    if prim.elementwise:
        return _broadcast(prim, inputs, shapes), _probe(prim, inputs, params, None)[1]
    if any(s.ndims is None for s in shapes):   # unknown rank: only the dtype can be known
        try:
            return TensorShape(None), _probe(prim, inputs, params, None)[1]
        except (ValueError, TypeError, IndexError):
            return TensorShape(None), np_dtype(inputs[0])
    unknown = any(unknown_dims(s) for s in shapes)
    try:
        first = _probe(prim, inputs, params, _PROBE_SIZES[0], shape_of)
    except (ValueError, TypeError, IndexError) as e:
        if not unknown:
            raise
        raise _rewritten(e, inputs, shapes) from None
    if not unknown:
        return TensorShape(first[0]), first[1]
    second = _probe(prim, inputs, params, _PROBE_SIZES[1], shape_of)[0]
    if len(first[0]) != len(second):
        return TensorShape(None), first[1]
    return TensorShape(a if a == b else None for a, b in zip(first[0], second)), first[1]


def _broadcast(prim, inputs, shapes):
    """The static shape of an element-wise result, by NumPy's broadcasting of static shapes: an
    unknown size meets a known one (not 1) as that one, and stays unknown otherwise."""
    if any(s.ndims is None for s in shapes):
        return TensorShape(None)
    shapes = [tuple(s) for s in shapes]   # (sizes as ints and None)
    out = []
    for k in range(1, max(len(s) for s in shapes) + 1):
        sizes = {s[-k] for s in shapes if len(s) >= k}
        known = {n for n in sizes if n is not None and n != 1}
        if len(known) > 1:
            raise shape_error(prim, inputs)
        out.append(known.pop() if known else (None if None in sizes else 1))
    return TensorShape(reversed(out))


def _rewritten(error, inputs, shapes):
    """``error`` with the stand-in shapes in its message written as the static ones."""
    text = str(error)
    for t, shape in zip(inputs, shapes):
        if t._value is None:
            stand_in = tuple(_PROBE_SIZES[0] if n is None else n for n in shape)
            text = text.replace(str(stand_in), str(shape))
    return type(error)(text)


def weak_constant(number, like, prim=None):
    """A Python number beside a tensor takes the tensor's dtype, as TensorFlow 1 converts it
    (``x32 + 1`` is float32; ``int32 + 1.5`` is a ``TypeError``)."""
    dtype = np_dtype(like)
    cls = number.__class__
    if (cls is float and dtype.kind in "fc") or (cls is int and dtype.kind in "fciu"):
        t = record(None, (), dtype.type(number), None)
        t._implicit = True          # (inline: x * 2.0 runs this on the hot path)
        return t
    return _implicit(convert_like(number, dtype, prim.name if prim is not None else "operator"))


def _number_beside(number, tensor, prim):
    """``weak_constant``, with its common case (``x * 2.0``) quick: it runs for most operators."""
    v = tensor._value
    cls = number.__class__
    if v is not None and (cls is float or cls is int):
        scalar = v.__class__
        if scalar is float64 or scalar is float32:   # (no dtype to look up)
            t = record(None, (), scalar(number), None)
            t._implicit = True
            return t
        dtype = v.dtype
        kind = dtype.kind
        if kind in "fc" or (cls is int and kind in "iu"):
            t = record(None, (), dtype.type(number), None)
            t._implicit = True
            return t
    return weak_constant(number, tensor, prim)


def binary_operator(prim, fn, reflected=False):
    """``Tensor.__add__`` and friends: ``apply`` without its generality, as they run the most.

    ``fn`` is Python's operator (``operator.add``): on NumPy scalars it is ~10× faster than the
    ufunc call, and on arrays it is the same ufunc.
    """
    # Whether a float scalar may take the quick path below without check_allowed
    floats_allowed = prim.dtypes is None or "f" in prim.dtypes[1]

    def method(self, other):
        here = current.recording
        if floats_allowed and self.__class__ is Tensor and (here.__class__ is Tape or here is None):
            # Eager, or on a transform's tape, with a float64/float32 scalar (W1, W5, a slider's
            # cell): no graph, snapshot, dtype rule or shape to check; the tensors made inline.
            a_value = self._value
            kind = a_value.__class__
            if kind is float64 or kind is float32:
                cls = other.__class__
                if cls is Tensor:
                    b_value = other._value
                    quick = b_value.__class__ is kind
                elif cls is float or cls is int:   # (weak_constant: the tensor's dtype)
                    b_value = kind(other)
                    other = _new(Tensor)
                    other._value = b_value
                    other.prim = None
                    other.inputs = ()
                    other.params = None
                    other._name = None
                    other._serial = next(serials)
                    other._implicit = True
                    if here is not None:
                        here.append(other)
                    quick = True
                else:
                    quick = False
                if quick:
                    t = _new(Tensor)
                    if reflected:
                        t._value = fn(b_value, a_value)
                        t.inputs = (other, self)
                    else:
                        t._value = fn(a_value, b_value)
                        t.inputs = (self, other)
                    t.prim = prim
                    t.params = None
                    t._name = None
                    t._serial = next(serials)
                    if here is not None:
                        here.append(t)
                    return t
        return _binary(prim, fn, reflected, self, other, here)

    return method


def _binary(prim, fn, reflected, self, other, here):
    """A binary operator's general road (variables, graph mode, arrays, dtype rules): ``apply``
    without its generality, as operators run the most. ``here`` is the recording state."""
    # (a variable reads through NAME/read; a plain Tensor has no slot for a snapshot)
    if self.__class__ is not Tensor and self._snapshot is not None:
        self = self._snapshot
    tensor = other.__class__ is Tensor or isinstance(other, Tensor)
    if tensor and other.__class__ is not Tensor and other._snapshot is not None:
        other = other._snapshot
    graph = None if here is None else here.graph   # (None: eager, or a transform's tape)
    if graph is not None:
        try:
            foreign = self._graph is not graph or (tensor and other._graph is not graph)
        except AttributeError:           # made eagerly: a tensor of no graph
            foreign = True
        if foreign:   # another graph's tensor: apply adds the op there, or refuses two graphs
            return apply(prim, other, self) if reflected else apply(prim, self, other)
    if not tensor:
        other = _number_beside(other, self, prim)
    a, b = (other, self) if reflected else (self, other)
    if prim.dtypes is not None:
        check_allowed(prim, a)
    a_value, b_value = a._value, b._value
    if a_value is None or b_value is None:
        return apply(prim, a, b)
    kind = a_value.__class__   # two NumPy scalars of one class have one dtype: no lookup
    if kind is not b_value.__class__ or kind is ndarray:
        da, db = a_value.dtype, b_value.dtype
        if da is not db and da != db:
            raise TypeError(DTYPE_MISMATCH.format(op=prim.name, i=1, got=db.name,
                                                  want=da.name, j=0))
    try:
        value = fn(a_value, b_value)
    except ValueError:
        raise shape_error(prim, (a, b)) from None
    if graph is not None:
        return record(prim, (a, b), value, None)
    # Eager, or on a transform's tape: record's work inlined (this is the hot path)
    t = _new(Tensor)
    t._value = freeze(value) if value.__class__ is ndarray else value
    t.prim = prim
    t.inputs = (a, b)
    t.params = None
    t._name = None
    t._serial = next(serials)
    if here is not None:
        here.append(t)
    return t


class _Eager:
    """What a stateful op (a random draw) runs in when it runs at once, in eager mode, instead
    of in a Session: one generator per seed, else a shared one."""

    def __init__(self):
        self.shared = np.random.default_rng()
        self.seeded = {}

    def generator(self, node, seed):
        if seed is None:
            return self.shared
        rng = self.seeded.get(seed)
        if rng is None:
            rng = self.seeded[seed] = np.random.default_rng(seed)
        return rng


EAGER = _Eager()
