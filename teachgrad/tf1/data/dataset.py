"""``tf.data.Dataset``: a sequence of elements, its sources (``from_tensor_slices``, ``range``, …)
and its transformations (``map``, ``batch``, ``shuffle``, ``repeat``, …).

Each dataset computes its elements lazily, as tuples of NumPy values (the flattened structure),
in ``_iterate(context)``; an iterator (``iterator.py``) starts a pass and takes one element per
``Session.run``.
"""

import itertools

import numpy as np

from ... import ops
from ...core import dtypes
from ...core.program_graph import executing_eagerly, paused_recording
from ...core.shapes import TensorShape
from ...core.tensor import Tensor, as_tensor, constant, np_dtype, record_symbolic
from ...errors import InvalidArgumentError
from ..random_ops import graph_op_seed
from .context import RunContext
from .iterator import make_initializable_iterator, make_one_shot_iterator
from .structure import (LEAF, Spec, declared_specs, flatten, flatten_up_to, is_namedtuple, pack,
                        structure_of)

__all__ = ["Dataset"]


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
        for element in RunContext({}).elements(self):
            yield pack(self._structure_, [constant(v) for v in element])

    # --- what the elements are ----------------------------------------------------------------
    @property
    def output_types(self):
        return pack(self._structure_, [dtypes.as_dtype(s.dtype) for s in self._specs])

    @property
    def output_shapes(self):
        return pack(self._structure_, [s.shape for s in self._specs])

    @property
    def output_classes(self):
        return pack(self._structure_, [Tensor for _ in self._specs])

    @property
    def element_spec(self):
        return pack(self._structure_, list(self._specs))

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
        structure = structure_of(tensors)
        self._leaves = [_as_source(v) for v in flatten(tensors)]
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
            specs.append(Spec(t.shape[1:] if t.shape.ndims is not None else TensorShape(None),
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
        self._leaves = [_as_source(v) for v in flatten(tensors)]
        super().__init__(structure_of(tensors), [Spec(t.shape, np_dtype(t)) for t in self._leaves])

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
        super().__init__(LEAF, [Spec(TensorShape(()), np.dtype(self._type))])

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
        super().__init__(*declared_specs(output_types, output_shapes))

    def _iterate(self, context):
        for item in self._generator(*self._args):
            leaves = flatten_up_to(self._structure_, item)
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
        parts = flatten(datasets)
        if not all(isinstance(d, Dataset) for d in parts):
            raise TypeError("Dataset.zip takes a tuple (or dict) of datasets")
        self._parts = parts
        structure = pack(structure_of(datasets), [d._structure_ for d in parts])
        super().__init__(structure, [s for d in parts for s in d._specs], parts)

    def _iterate(self, context):
        for elements in zip(*[context.elements(d) for d in self._parts]):
            yield tuple(v for element in elements for v in element)


class _Batch(Dataset):
    def __init__(self, dataset, batch_size, drop_remainder):
        self._size = _count_arg(batch_size, "batch_size")
        self._drop = bool(drop_remainder)
        known = self._size if (self._drop and isinstance(self._size, int)) else None
        specs = [Spec(TensorShape([known]).concatenate(s.shape), s.dtype)
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
        self._seed = graph_op_seed(seed) if not executing_eagerly() else seed
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
        specs = [Spec(TensorShape(a if a == b else None for a, b in zip(s.shape, t.shape))
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
            element = pack(dataset._structure_, stand_ins)
            if isinstance(element, tuple) and not is_namedtuple(element):
                out = fn(*element)
            else:
                out = fn(element)
            if isinstance(out, list):
                out = tuple(out)
            self.structure = structure_of(out)
            self.outputs = [as_tensor(v) for v in flatten(out)]
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
                         [Spec(t.shape, np_dtype(t)) for t in self._fn.outputs], [dataset])

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
