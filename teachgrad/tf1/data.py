"""``tf.data``: input pipelines, as TensorFlow 1 runs them in graph mode.

A :class:`Dataset` describes a sequence of *elements* — a tensor, or a tuple or dict of them —
built from arrays (``from_tensor_slices``, ``from_tensors``, ``range``) and transformed
(``map``, ``batch``, ``shuffle``, ``repeat``, ``take``, …). An iterator reads it inside a program:
``get_next()`` gives tensors that a ``Session.run`` advances by one element — once per run,
however many of them the run fetches, as in TensorFlow — and past the last element a run raises
``tf.errors.OutOfRangeError`` ("End of sequence").

>>> import numpy as np, teachgrad as tf
>>> with tf.Graph().as_default():
...     features = np.arange(10, dtype=np.float32).reshape(5, 2)
...     dataset = tf.data.Dataset.from_tensor_slices((features, np.arange(5))).batch(2)
...     x, y = dataset.make_one_shot_iterator().get_next()
...     with tf.Session() as sess:
...         while True:
...             try:
...                 print(*sess.run([y, tf.reduce_sum(x)]))     # one element per run
...             except tf.errors.OutOfRangeError:
...                 break
[0 1] 6.0
[2 3] 22.0
[4] 17.0

The iterators' state lives in the Session (a new Session starts them again). The dataset's own
ops are not nodes of the program (TensorFlow 1 has ``TensorSliceDataset``, ``BatchDatasetV2``, …
there): the program has the iterator (``OneShotIterator`` or ``Iterator``), ``MakeIterator`` and
``IteratorGetNext``, whose inputs are the tensors the dataset was made from, so a placeholder
fed to ``iterator.initializer`` fills an initializable iterator.
"""

import collections
import itertools
import weakref

import numpy as np

from .. import ops
from ..core import dtypes
from ..core.operation import Operation
from ..core.primitive import apply
from ..core.program_graph import executing_eagerly, get_default_graph, name_scope, paused_recording
from ..core.shapes import TensorShape
from ..core.tensor import Tensor, as_tensor, constant, np_dtype, record_symbolic
from ..errors import FailedPreconditionError, InvalidArgumentError, OutOfRangeError
from .random_ops import _seed
from .run_plan import Plan

__all__ = ["Dataset", "Iterator", "make_one_shot_iterator", "make_initializable_iterator",
           "get_output_types", "get_output_shapes", "get_output_classes"]


# ------------------------------------------------------------------------------------------------
# element structures: a tensor, or tuples / namedtuples / dicts of them (TensorFlow's ``nest``)
# ------------------------------------------------------------------------------------------------

_LEAF = None   # the structure of a single tensor


def _is_namedtuple(x):
    return isinstance(x, tuple) and hasattr(x, "_fields")


def _structure(value):
    """The shape of ``value``'s nesting, leaves replaced by ``_LEAF``. Lists are values (one
    tensor), as TensorFlow converts them; tuples and dicts are structures."""
    if isinstance(value, dict):
        return {k: _structure(value[k]) for k in sorted(value)}
    if _is_namedtuple(value):
        return type(value)(*[_structure(v) for v in value])
    if isinstance(value, tuple):
        return tuple(_structure(v) for v in value)
    return _LEAF


def _flatten(value):
    """The leaves of ``value`` in TensorFlow's order (dict keys sorted)."""
    if isinstance(value, dict):
        return [leaf for k in sorted(value) for leaf in _flatten(value[k])]
    if isinstance(value, tuple):
        return [leaf for v in value for leaf in _flatten(v)]
    return [value]


def _pack(structure, leaves):
    """``leaves`` (in order) put back into ``structure``."""
    it = iter(leaves)

    def build(s):
        if isinstance(s, dict):
            return {k: build(v) for k, v in s.items()}
        if _is_namedtuple(s):
            return type(s)(*[build(v) for v in s])
        if isinstance(s, tuple):
            return tuple(build(v) for v in s)
        return next(it)
    return build(structure)


def _flatten_up_to(structure, value):
    """The parts of ``value`` at the leaves of ``structure`` (``output_shapes`` read along the
    structure of ``output_types``: a shape is a tuple itself)."""
    if isinstance(structure, dict):
        return [leaf for k in sorted(structure) for leaf in _flatten_up_to(structure[k], value[k])]
    if isinstance(structure, tuple):
        if not isinstance(value, (tuple, list)) or len(value) != len(structure):
            raise ValueError(f"output_shapes {value!r} do not have the structure of "
                             "output_types")
        return [leaf for s, v in zip(structure, value) for leaf in _flatten_up_to(s, v)]
    return [value]


def _declared_specs(output_types, output_shapes):
    """The structure and component specs that ``output_types`` and ``output_shapes`` declare."""
    structure = _structure(output_types)
    types = [np.dtype(dtypes.as_dtype(t).as_numpy_dtype) for t in _flatten(output_types)]
    shapes = ([TensorShape(s) for s in _flatten_up_to(structure, output_shapes)]
              if output_shapes is not None else [TensorShape(None)] * len(types))
    return structure, [_Spec(s, t) for s, t in zip(shapes, types)]


# ------------------------------------------------------------------------------------------------
# datasets
# ------------------------------------------------------------------------------------------------

class _Spec(collections.namedtuple("_Spec", "shape dtype")):
    """A component's static shape (``TensorShape``) and NumPy dtype."""


class Dataset:
    """A sequence of elements, each a tensor or a tuple/dict of them (``output_types``,
    ``output_shapes``), read by an iterator in a program.

    >>> import teachgrad as tf
    >>> ds = tf.data.Dataset.range(6).map(lambda k: k * 10).batch(4)
    >>> ds.output_types, ds.output_shapes
    (tf.int64, TensorShape([None]))
    >>> with tf.Session() as sess:
    ...     nxt = ds.make_one_shot_iterator().get_next()
    ...     sess.run(nxt), sess.run(nxt)
    (array([ 0, 10, 20, 30]), array([40, 50]))
    """

    def __init__(self, structure, specs, inputs=()):
        self._structure_ = structure
        self._specs = list(specs)
        self._inputs = list(inputs)

    # --- sources ----------------------------------------------------------------------------
    @staticmethod
    def from_tensor_slices(tensors):
        """One element per row of ``tensors`` (an array, a tensor, or a tuple / dict of them with
        the same first dimension): ``from_tensor_slices((images, labels))``."""
        return _TensorSlices(tensors)

    @staticmethod
    def from_tensors(tensors):
        """One element: ``tensors`` whole."""
        return _Tensors(tensors)

    @staticmethod
    def range(*args, output_type=np.int64):
        """``range(stop)``, ``range(start, stop[, step])``: the numbers, as int64 scalars."""
        return _Range(*args, output_type=output_type)

    @staticmethod
    def from_generator(generator, output_types, output_shapes=None, args=None):
        """The elements a Python generator yields (``generator()`` is called anew for every pass
        over the dataset), converted to ``output_types``."""
        return _FromGenerator(generator, output_types, output_shapes, args)

    @staticmethod
    def zip(datasets):
        """Elements of ``datasets`` (a tuple or dict of datasets) side by side, until the
        shortest ends."""
        return _Zip(datasets)

    # --- transformations --------------------------------------------------------------------
    def batch(self, batch_size, drop_remainder=False):
        """Elements stacked ``batch_size`` at a time (a new first dimension; the last batch is
        smaller unless ``drop_remainder``)."""
        return _Batch(self, batch_size, drop_remainder)

    def shuffle(self, buffer_size, seed=None, reshuffle_each_iteration=None):
        """Elements in a random order, drawn from a buffer of ``buffer_size`` as TensorFlow's
        algorithm does (``buffer_size`` ≥ the dataset's size gives a uniform shuffle). With a
        ``seed`` (or ``tf.set_random_seed``) the order repeats in every new Session; each pass
        of ``repeat`` shuffles anew unless ``reshuffle_each_iteration=False``. (The order is
        teachgrad's own: not the one TensorFlow's generator gives for the same seed.)"""
        return _Shuffle(self, buffer_size, seed, reshuffle_each_iteration)

    def repeat(self, count=None):
        """The dataset ``count`` times over (forever when ``count`` is None or -1)."""
        return _Repeat(self, count)

    def map(self, map_func, num_parallel_calls=None):
        """``map_func`` applied to every element (a tuple element is passed as arguments,
        ``map_func(x, y)``). The function is traced once, as TensorFlow traces it, into ops that
        run for each element."""
        return _Map(self, map_func)

    def filter(self, predicate):
        """The elements for which ``predicate`` (traced like ``map``'s function) is True."""
        return _Filter(self, predicate)

    def take(self, count):
        """At most the first ``count`` elements (all of them for -1)."""
        return _Take(self, count)

    def skip(self, count):
        """All but the first ``count`` elements."""
        return _Skip(self, count)

    def concatenate(self, dataset):
        """This dataset's elements, then ``dataset``'s."""
        return _Concatenate(self, dataset)

    def prefetch(self, buffer_size):
        """The same elements (teachgrad computes each when it is asked for)."""
        return self

    def cache(self, filename=""):
        """The same elements."""
        return self

    def apply(self, transformation_func):
        return transformation_func(self)

    # --- iterators ----------------------------------------------------------------------------
    def make_one_shot_iterator(self):
        """An iterator that starts by itself at its first ``get_next`` run in each Session; the
        dataset may use only tensors with values (not placeholders: see
        ``make_initializable_iterator``)."""
        return make_one_shot_iterator(self)

    def make_initializable_iterator(self, shared_name=None):
        """An iterator that starts when ``iterator.initializer`` runs (again: from the start),
        with the values fed to the placeholders the dataset uses."""
        return make_initializable_iterator(self, shared_name)

    def __iter__(self):
        """Eager mode only (as in TensorFlow): the elements as tensors."""
        if not executing_eagerly():
            raise RuntimeError("__iter__() is only supported inside of tf.function or when eager "
                               "execution is enabled: in graph mode use "
                               "dataset.make_one_shot_iterator().get_next() and sess.run")
        for element in _Context({}).elements(self):
            yield _pack(self._structure_, [constant(v) for v in element])

    # --- what the elements are ----------------------------------------------------------------
    @property
    def output_types(self):
        return _pack(self._structure_, [dtypes.as_dtype(s.dtype) for s in self._specs])

    @property
    def output_shapes(self):
        return _pack(self._structure_, [s.shape for s in self._specs])

    @property
    def output_classes(self):
        return _pack(self._structure_, [Tensor for _ in self._specs])

    @property
    def element_spec(self):
        return _pack(self._structure_, list(self._specs))

    def _captured(self):
        """Every program tensor the dataset's elements are computed from, without repeats."""
        found, seen = [], set()
        stack = [self]
        while stack:
            dataset = stack.pop()
            for t in dataset._own_tensors():
                if id(t) not in seen:
                    seen.add(id(t))
                    found.append(t)
            stack.extend(reversed(dataset._inputs))
        return found

    def _own_tensors(self):
        return []

    def _iterate(self, context):
        raise NotImplementedError

    def __repr__(self):
        types = ", ".join(f"{s.shape}: {dtypes.as_dtype(s.dtype).name}" for s in self._specs)
        return f"<{type(self).__name__.lstrip('_')}Dataset ({types})>"


def _as_source(value):
    """A component of a source dataset: a program tensor as it is (captured), or a value made a
    constant of TensorFlow's dtype that belongs to no graph."""
    if isinstance(value, Tensor):
        return value
    with paused_recording():
        return as_tensor(value)


class _TensorSlices(Dataset):
    def __init__(self, tensors):
        structure = _structure(tensors)
        self._leaves = [_as_source(v) for v in _flatten(tensors)]
        first = None
        specs = []
        for t in self._leaves:
            if t.shape.ndims == 0:
                raise ValueError(f"from_tensor_slices: {t.name!r} is a scalar; slicing needs at "
                                 "least one dimension")
            if t.shape.ndims is not None:
                n = t.shape.as_list()[0]
                if first is not None and n is not None and first != n:
                    raise ValueError(f"Dimensions {first} and {n} are not compatible: "
                                     "from_tensor_slices needs one first dimension for all "
                                     "components")
                first = n if n is not None else first
            specs.append(_Spec(t.shape[1:] if t.shape.ndims is not None else TensorShape(None),
                               np_dtype(t)))
        super().__init__(structure, specs)

    def _own_tensors(self):
        return self._leaves

    def _iterate(self, context):
        values = [np.asarray(context.value(t)) for t in self._leaves]
        sizes = {len(v) for v in values}
        if len(sizes) > 1:
            raise InvalidArgumentError(None, None, "from_tensor_slices: the components have "
                                       f"different first dimensions {sorted(sizes)}")
        for i in range(sizes.pop() if sizes else 0):
            yield tuple(np.array(v[i]) for v in values)


class _Tensors(Dataset):
    def __init__(self, tensors):
        self._leaves = [_as_source(v) for v in _flatten(tensors)]
        super().__init__(_structure(tensors), [_Spec(t.shape, np_dtype(t)) for t in self._leaves])

    def _own_tensors(self):
        return self._leaves

    def _iterate(self, context):
        yield tuple(np.array(context.value(t)) for t in self._leaves)


class _Range(Dataset):
    def __init__(self, *args, output_type=np.int64):
        if not 1 <= len(args) <= 3:
            raise TypeError(f"Dataset.range takes 1 to 3 arguments (stop, or start, stop[, "
                            f"step]), got {len(args)}")
        self._range = builtins_range(*[int(a) for a in args])
        self._type = dtypes.as_dtype(output_type).as_numpy_dtype
        super().__init__(_LEAF, [_Spec(TensorShape(()), np.dtype(self._type))])

    def _iterate(self, context):
        for k in self._range:
            yield (self._type(k),)


builtins_range = range


class _FromGenerator(Dataset):
    def __init__(self, generator, output_types, output_shapes, args):
        if not callable(generator):
            raise TypeError("from_generator: `generator` must be callable (a function that "
                            "returns a Python iterator)")
        self._generator, self._args = generator, tuple(args or ())
        super().__init__(*_declared_specs(output_types, output_shapes))

    def _iterate(self, context):
        for item in self._generator(*self._args):
            leaves = _flatten_up_to(self._structure_, item)
            if len(leaves) != len(self._specs):
                raise InvalidArgumentError(None, None, "from_generator: the generator yielded "
                                           f"{len(leaves)} components, expected "
                                           f"{len(self._specs)}")
            out = []
            for v, spec in zip(leaves, self._specs):
                v = np.asarray(v, dtype=spec.dtype)
                if not spec.shape.is_compatible_with(TensorShape(v.shape)):
                    raise InvalidArgumentError(None, None, f"from_generator: an element of shape "
                                               f"{v.shape} does not fit the declared "
                                               f"output_shapes {spec.shape}")
                out.append(v)
            yield tuple(out)


class _Zip(Dataset):
    def __init__(self, datasets):
        parts = _flatten(datasets)
        if not all(isinstance(d, Dataset) for d in parts):
            raise TypeError("Dataset.zip takes a tuple (or dict) of datasets")
        self._parts = parts
        structure = _pack(_structure(datasets), [d._structure_ for d in parts])
        super().__init__(structure, [s for d in parts for s in d._specs], parts)

    def _iterate(self, context):
        for elements in zip(*[context.elements(d) for d in self._parts]):
            yield tuple(v for element in elements for v in element)


class _Batch(Dataset):
    def __init__(self, dataset, batch_size, drop_remainder):
        self._size = _count_arg(batch_size, "batch_size")
        self._drop = bool(drop_remainder)
        known = self._size if (self._drop and isinstance(self._size, int)) else None
        specs = [_Spec(TensorShape([known]).concatenate(s.shape), s.dtype)
                 for s in dataset._specs]
        super().__init__(dataset._structure_, specs, [dataset])

    def _own_tensors(self):
        return [self._size] if isinstance(self._size, Tensor) else []

    def _iterate(self, context):
        size = int(context.value(self._size))
        if size <= 0:
            raise InvalidArgumentError(None, None, f"Batch size must be greater than zero, got "
                                       f"{size}")
        source = context.elements(self._inputs[0])
        while True:
            rows = list(itertools.islice(source, size))
            if not rows or (self._drop and len(rows) < size):
                return
            yield tuple(_stack([row[k] for row in rows], k) for k in range(len(rows[0])))


def _stack(values, component):
    first = np.shape(values[0])
    for i, v in enumerate(values):
        if np.shape(v) != first:
            raise InvalidArgumentError(
                None, None, f"Cannot batch tensors with different shapes in component "
                f"{component}. First element had shape {list(first)} and element {i} had shape "
                f"{list(np.shape(v))}.")
    return np.stack(values)


class _Shuffle(Dataset):
    def __init__(self, dataset, buffer_size, seed, reshuffle_each_iteration):
        self._buffer = _count_arg(buffer_size, "buffer_size")
        self._seed = _seed(seed) if not executing_eagerly() else seed
        self._reshuffle = reshuffle_each_iteration is not False
        super().__init__(dataset._structure_, dataset._specs, [dataset])

    def _own_tensors(self):
        return [self._buffer] if isinstance(self._buffer, Tensor) else []

    def _iterate(self, context):
        buffer_size = int(context.value(self._buffer))
        if buffer_size <= 0:
            raise InvalidArgumentError(None, None, f"buffer_size must be greater than zero, got "
                                       f"{buffer_size}")
        rng = context.shuffle_generator(self, self._seed, self._reshuffle)
        source = context.elements(self._inputs[0])
        buffer = list(itertools.islice(source, buffer_size))
        while buffer:   # TensorFlow's algorithm: a random slot out, the next element in
            i = int(rng.integers(len(buffer)))
            out = buffer[i]
            try:
                buffer[i] = next(source)
            except StopIteration:
                buffer[i] = buffer[-1]
                buffer.pop()
            yield out


class _Repeat(Dataset):
    def __init__(self, dataset, count):
        self._count = _count_arg(-1 if count is None else count, "count")
        super().__init__(dataset._structure_, dataset._specs, [dataset])

    def _own_tensors(self):
        return [self._count] if isinstance(self._count, Tensor) else []

    def _iterate(self, context):
        count = int(context.value(self._count))
        passes = itertools.count() if count < 0 else builtins_range(count)
        for _ in passes:
            empty = True
            for element in context.elements(self._inputs[0]):
                empty = False
                yield element
            if empty:   # an empty dataset repeated forever is empty, not a hang
                return


class _Take(Dataset):
    def __init__(self, dataset, count):
        self._count = _count_arg(count, "count")
        super().__init__(dataset._structure_, dataset._specs, [dataset])

    def _own_tensors(self):
        return [self._count] if isinstance(self._count, Tensor) else []

    def _iterate(self, context):
        count = int(context.value(self._count))
        source = context.elements(self._inputs[0])
        return source if count < 0 else itertools.islice(source, count)


class _Skip(Dataset):
    def __init__(self, dataset, count):
        self._count = _count_arg(count, "count")
        super().__init__(dataset._structure_, dataset._specs, [dataset])

    def _own_tensors(self):
        return [self._count] if isinstance(self._count, Tensor) else []

    def _iterate(self, context):
        count = int(context.value(self._count))
        source = context.elements(self._inputs[0])
        return iter(()) if count < 0 else itertools.islice(source, count, None)


class _Concatenate(Dataset):
    def __init__(self, first, second):
        if [s.dtype for s in first._specs] != [s.dtype for s in second._specs] or \
                first._structure_ != second._structure_:
            raise TypeError(f"concatenate: the datasets' elements differ: {first!r} and "
                            f"{second!r}")
        specs = [_Spec(TensorShape(a if a == b else None for a, b in zip(s.shape, t.shape))
                       if s.shape.ndims == t.shape.ndims and s.shape.ndims is not None
                       else TensorShape(None), s.dtype)
                 for s, t in zip(first._specs, second._specs)]
        super().__init__(first._structure_, specs, [first, second])

    def _iterate(self, context):
        yield from context.elements(self._inputs[0])
        yield from context.elements(self._inputs[1])


class _Traced:
    """A function of an element, traced once (as TensorFlow traces it) on stand-ins of the
    element's components into ops that belong to no graph, then run for each element."""

    def __init__(self, fn, dataset, what):
        with paused_recording():
            stand_ins = [record_symbolic(ops.placeholder, (), s.shape, s.dtype,
                                         {"shape": s.shape, "dtype": s.dtype})
                         for s in dataset._specs]
            element = _pack(dataset._structure_, stand_ins)
            if isinstance(element, tuple) and not _is_namedtuple(element):
                out = fn(*element)
            else:
                out = fn(element)
            if isinstance(out, list):
                out = tuple(out)
            self.structure = _structure(out)
            self.outputs = [as_tensor(v) for v in _flatten(out)]
        for t in self.outputs:
            if getattr(t, "_graph", None) is not None and t._value is None:
                raise ValueError(f"Dataset.{what}: the function uses {t.name!r} of the program, "
                                 "which has no value while the dataset runs: pass values into "
                                 "the dataset instead (from_tensor_slices)")
        self.stand_ins = stand_ins

    def run(self, context, element):
        return context.run(self, element)


class _Map(Dataset):
    def __init__(self, dataset, map_func):
        self._fn = _Traced(map_func, dataset, "map")
        super().__init__(self._fn.structure,
                         [_Spec(t.shape, np_dtype(t)) for t in self._fn.outputs], [dataset])

    def _iterate(self, context):
        for element in context.elements(self._inputs[0]):
            yield tuple(self._fn.run(context, element))


class _Filter(Dataset):
    def __init__(self, dataset, predicate):
        self._fn = _Traced(predicate, dataset, "filter")
        out = self._fn.outputs
        if len(out) != 1 or out[0].dtype != dtypes.bool or out[0].shape.ndims not in (0, None):
            raise ValueError("Dataset.filter: `predicate` must return a scalar bool tensor")
        super().__init__(dataset._structure_, dataset._specs, [dataset])

    def _iterate(self, context):
        for element in context.elements(self._inputs[0]):
            if bool(self._fn.run(context, element)[0]):
                yield element


def _count_arg(x, what):
    if isinstance(x, Tensor):
        if not x.dtype.is_integer or x.shape.ndims not in (0, None):
            raise TypeError(f"{what} must be a scalar integer tensor, got {x.name!r} of shape "
                            f"{x.shape} and dtype {x.dtype.name}")
        return x
    if isinstance(x, (bool, float)) or not isinstance(x, (int, np.integer)):
        raise TypeError(f"{what} must be an int, got {x!r}")
    return int(x)


# ------------------------------------------------------------------------------------------------
# running a dataset: one context per start of an iterator
# ------------------------------------------------------------------------------------------------

class _Context:
    """What one pass of an iterator over a dataset needs: the values of the program tensors the
    dataset captured, the random generators of its shuffles, and a runner for traced
    functions."""

    def __init__(self, values):
        self.values = values     # id(tensor) -> value
        self._generators = {}
        self._plans = {}
        self._random = {}

    def value(self, x):
        if not isinstance(x, Tensor):
            return x
        if x._value is not None:
            return x._value
        return self.values[id(x)]

    def elements(self, dataset):
        return iter(dataset._iterate(self))

    def shuffle_generator(self, dataset, seed, reshuffle):
        """The generator of a shuffle: made once per start of the iterator (so ``repeat`` passes
        draw new orders), or afresh at every pass without ``reshuffle``."""
        rng = self._generators.get(dataset)
        if rng is None or not reshuffle:
            rng = np.random.default_rng(seed)
            self._generators[dataset] = rng
        return rng

    def run(self, traced, element):
        plan = self._plans.get(traced)
        if plan is None:
            plan = self._plans[traced] = Plan(self, list(traced.outputs), list(traced.stand_ins))
        return plan.run(element)

    # what a Plan asks of the session it runs in (for the ops inside a traced function)
    def read(self, variable):
        raise FailedPreconditionError(None, variable.op, f"a dataset's function reads the "
                                      f"variable {variable.op_name!r}: teachgrad runs dataset "
                                      "functions without the program's variables")

    def generator(self, node, seed):
        """A random op's generator inside a traced function (seeded ones repeat their numbers
        at every start of the iterator)."""
        rng = self._random.get(node)
        if rng is None:
            rng = self._random[node] = np.random.default_rng(seed)
        return rng


# ------------------------------------------------------------------------------------------------
# iterators
# ------------------------------------------------------------------------------------------------

# Session -> {iterator: the Python iterator over its elements}: an iterator's state is the
# Session's, as a variable's value is.
_STATES = weakref.WeakKeyDictionary()


class _Output(Tensor):
    """The k-th component of an ``IteratorGetNext`` op: named ``IteratorGetNext:k`` as in
    TensorFlow, its ``op`` the ``IteratorGetNext`` op."""

    __slots__ = ()

    @property
    def name(self):
        k = self.params["index"]
        return f"{self.inputs[0].op_name}:{k}"

    @property
    def op(self):
        return Operation(self.inputs[0])


class Iterator:
    """Reads a dataset in a program: ``get_next()`` gives the next element's tensors (advanced
    once per ``Session.run``); ``initializer`` (``make_initializable_iterator``) or
    ``make_initializer(dataset)`` (``Iterator.from_structure``) starts it when run."""

    def __init__(self, node, structure, specs, one_shot=None):
        self._node = node
        self._structure_ = structure
        self._specs = list(specs)
        self._one_shot = one_shot
        self._initializer = None

    @staticmethod
    def from_structure(output_types, output_shapes=None, shared_name=None,
                       output_classes=None):
        """An iterator of elements of these types and shapes, for any dataset that has them:
        ``make_initializer(dataset)`` makes the op that starts it on one (train, then test)."""
        if executing_eagerly():
            raise RuntimeError("Iterator.from_structure is for graph mode (TensorFlow 1)")
        structure, specs = _declared_specs(output_types, output_shapes)
        node = apply(ops.io.iterator_v2)
        node.name = "Iterator"
        return Iterator(node, structure, specs)

    @property
    def initializer(self):
        """The op that (re)starts the iterator on its dataset (``make_initializable_iterator``)."""
        if self._initializer is None:
            raise ValueError("Iterator does not have an initializer: make one with "
                             "iterator.make_initializer(dataset)" if self._one_shot is None else
                             "a one-shot iterator starts by itself: it has no initializer")
        return self._initializer

    def make_initializer(self, dataset, name=None):
        """The op that starts this iterator on ``dataset`` (when it is run, again from the
        start); ``dataset`` must have this iterator's types and shapes."""
        if not isinstance(dataset, Dataset):
            raise TypeError(f"make_initializer takes a Dataset, not {type(dataset).__name__}")
        if dataset._structure_ != self._structure_ or [s.dtype for s in dataset._specs] != \
                [s.dtype for s in self._specs]:
            raise TypeError(f"Expected output types {self.output_types!r} but got dataset with "
                            f"output types {dataset.output_types!r}.")
        for mine, theirs in zip(self._specs, dataset._specs):
            if not mine.shape.is_compatible_with(theirs.shape):
                raise TypeError(f"Expected output shapes compatible with "
                                f"{self.output_shapes!r} but got dataset with output shapes "
                                f"{dataset.output_shapes!r}.")
        captured = [t for t in dataset._captured() if t._value is None]
        op = apply(ops.io.make_iterator, self._node, *captured, iterator=self, dataset=dataset)
        op.name = name or "make_initializer"
        return op.op

    def get_next(self, name=None):
        """The next element, as tensors of the element's structure (one ``IteratorGetNext``
        op: every run that fetches any of them advances the iterator once)."""
        get_next = apply(ops.io.iterator_get_next, self._node, iterator=self)
        if name is not None:
            get_next.name = name
        graph = get_default_graph()
        base = graph.name_of(get_next)
        outputs = []
        for k, spec in enumerate(self._specs):
            out = apply(ops.io.iterator_component, get_next, index=k, shape=spec.shape,
                        dtype=spec.dtype)
            out.__class__ = _Output
            graph._names[out] = graph.unique_name(f"{base}/component_{k}")
            outputs.append(out)
        return _pack(self._structure_, outputs)

    # --- run time (called by the iterator ops) --------------------------------------------------
    def start(self, session, dataset, captured_values):
        captured = [t for t in dataset._captured() if t._value is None]
        values = {id(t): v for t, v in zip(captured, captured_values)}
        _STATES.setdefault(session, {})[self] = _Context(values).elements(dataset)

    def next_element(self, session):
        states = _STATES.setdefault(session, {})
        state = states.get(self)
        if state is None:
            if self._one_shot is None:
                raise FailedPreconditionError(
                    None, self._node.op, "GetNext() failed because the iterator has not been "
                    "initialized. Ensure that you have run the initializer operation for this "
                    "iterator before getting the next element.")
            self.start(session, self._one_shot, ())
            state = states[self]
        try:
            return next(state)
        except StopIteration:
            raise OutOfRangeError(None, self._node.op, "End of sequence") from None

    # --- what the elements are ----------------------------------------------------------------
    output_types = Dataset.output_types
    output_shapes = Dataset.output_shapes
    output_classes = Dataset.output_classes
    element_spec = Dataset.element_spec

    def __repr__(self):
        return f"<tf.data.Iterator {self._node.op_name!r}>"


def make_one_shot_iterator(dataset):
    """``dataset.make_one_shot_iterator()`` (``tf.data.make_one_shot_iterator`` in
    ``tensorflow.compat.v1``)."""
    if executing_eagerly():
        raise RuntimeError("dataset.make_one_shot_iterator is not supported when eager "
                           "execution is enabled. Use `for element in dataset` instead.")
    for t in dataset._captured():
        if t._value is None:
            kind = t.op.type
            raise ValueError(f"Cannot capture a {kind.lower()} (name:{t.op_name}, type:{kind}) "
                             "by value: a one-shot iterator can use only values; use "
                             "dataset.make_initializable_iterator() and feed it to "
                             "iterator.initializer")
    node = apply(ops.io.one_shot_iterator)
    return Iterator(node, dataset._structure_, dataset._specs, one_shot=dataset)


def make_initializable_iterator(dataset, shared_name=None):
    """``dataset.make_initializable_iterator()``: ``sess.run(iterator.initializer,
    feed_dict={...})`` starts it (again)."""
    if executing_eagerly():
        raise RuntimeError("dataset.make_initializable_iterator is not supported when eager "
                           "execution is enabled. Use `for element in dataset` instead.")
    node = apply(ops.io.iterator_v2)
    node.name = "Iterator"
    iterator = Iterator(node, dataset._structure_, dataset._specs)
    iterator._initializer = iterator.make_initializer(dataset, name="MakeIterator")
    return iterator


def get_output_types(dataset_or_iterator):
    return dataset_or_iterator.output_types


def get_output_shapes(dataset_or_iterator):
    return dataset_or_iterator.output_shapes


def get_output_classes(dataset_or_iterator):
    return dataset_or_iterator.output_classes
