"""``tf.data``'s iterators: what reads a dataset inside a program (``OneShotIterator`` or
``Iterator``, ``MakeIterator``, ``IteratorGetNext``), and where their state lives (the Session).
"""

import weakref

from ... import ops
from ...core import dtypes
from ...core.operation import Operation
from ...core.primitive import apply
from ...core.program_graph import executing_eagerly, get_default_graph
from ...core.tensor import Tensor
from ...errors import FailedPreconditionError, OutOfRangeError
from .context import RunContext
from .structure import declared_specs, pack

__all__ = ["Iterator", "make_one_shot_iterator", "make_initializable_iterator",
           "get_output_types", "get_output_shapes", "get_output_classes"]

# Session -> {iterator: the Python iterator over its elements, IteratorGetNext node: the element
# it took in the current run}: an iterator's state is the Session's, as a variable's value is.
STATES = weakref.WeakKeyDictionary()


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
        structure, specs = declared_specs(output_types, output_shapes)
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
        if not hasattr(dataset, "_iterate"):
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
            out = apply(ops.io.iterator_component, get_next, iterator=self, index=k,
                        shape=spec.shape, dtype=spec.dtype)
            out.__class__ = _Output
            graph._names[out] = graph.unique_name(f"{base}/component_{k}")
            outputs.append(out)
        return pack(self._structure_, outputs)

    # --- run time (called by the iterator ops) --------------------------------------------------
    def start(self, session, dataset, captured_values):
        captured = [t for t in dataset._captured() if t._value is None]
        values = {id(t): v for t, v in zip(captured, captured_values)}
        STATES.setdefault(session, {})[self] = RunContext(values).elements(dataset)

    def advance(self, session, get_next):
        """Take the next element in ``session`` (what ``get_next`` does when it runs): kept for
        the components ``get_next`` gave, read by :meth:`current` in the same run."""
        states = STATES.setdefault(session, {})
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
            states[get_next] = next(state)
        except StopIteration:
            raise OutOfRangeError(None, get_next.op, "End of sequence") from None

    def current(self, session, get_next):
        """The element ``get_next`` took in this run of ``session``."""
        return STATES[session][get_next]

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
