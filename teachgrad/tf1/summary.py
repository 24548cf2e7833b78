"""``tf.summary``: TensorBoard event files, as TensorFlow 1 writes them.

Summary ops are ops of the program: ``tf.summary.scalar("loss", loss)`` makes a ``ScalarSummary``
node whose value, when a Session runs it, is a serialized ``Summary`` protocol buffer (``bytes``);
``merge_all()`` joins every summary of the graph into one ``MergeSummary`` op. A ``FileWriter``
writes the program's ``GraphDef`` (TensorBoard's Graphs tab) and the summaries it is given
(Scalars, Histograms) into a TensorBoard event file in ``logdir``.

The event files are written by the ``tensorboard`` package's own writer
(``tensorboard.summary.writer``, which writes and flushes its file itself) with its own protos:
``pip install "teachgrad[tensorboard]"``; without it, a one-line error says what to install.

>>> import shutil, tempfile, teachgrad as tg
>>> logdir = tempfile.mkdtemp()
>>> with tg.Graph().as_default():
...     x = tg.placeholder(tg.float32, name="x")
...     loss = tg.square(x - 3.0)
...     _ = tg.summary.scalar("loss", loss)
...     merged = tg.summary.merge_all()
...     with tg.Session() as sess, tg.summary.FileWriter(logdir, sess.graph) as writer:
...         for step in range(3):
...             writer.add_summary(sess.run(merged, {x: float(step)}), step)
>>> from tensorboard.backend.event_processing.event_accumulator import EventAccumulator
>>> events = EventAccumulator(logdir); _ = events.Reload()
>>> [(e.step, e.value) for e in events.Scalars("loss")]
[(0, 9.0), (1, 4.0), (2, 1.0)]
>>> shutil.rmtree(logdir)
"""

import re
import time

import numpy as np

from .. import ops
from ..core import dtypes
from ..core.graph_def import graph_def as _graph_def, protos
from ..core.primitive import apply
from ..core.program_graph import GraphKeys, Graph, executing_eagerly, get_default_graph, name_scope
from ..core.tensor import Tensor, as_tensor, named, record
from ..optional import require

__all__ = ["scalar", "histogram", "merge", "merge_all", "FileWriter"]

_INVALID_TAG_CHARACTERS = re.compile(r"[^-/\w.]")


def _clean_tag(name):
    """TensorFlow's rule: characters other than letters, digits, ``_ - / .`` become ``_``, and
    leading slashes go."""
    return None if name is None else _INVALID_TAG_CHARACTERS.sub("_", name).lstrip("/")


def _summary_op(prim, kind, name, tensor, collections, family):
    if executing_eagerly():
        raise RuntimeError(f"tf.summary.{kind} makes a graph op: it is not available in eager "
                           "mode (call tg.disable_eager_execution())")
    require("tensorboard", f"tf.summary.{kind}", extra="tensorboard")
    name, family = _clean_tag(name), _clean_tag(family)
    graph = get_default_graph()
    with name_scope(name if family is None else f"{family}/{name}") as scope:
        tag = scope.rstrip("/") if family is None else f"{family}/{scope.rstrip('/')}"
        tags = record(None, (), np.bytes_(tag.encode("utf-8")), None)
        tags.name = "tag" if kind == "histogram" else "tags"   # (TF's: loss/tags, weights/tag)
        values = tensor if isinstance(tensor, Tensor) else named(as_tensor(tensor), "values")
        if not (values.dtype.is_floating or values.dtype.is_integer):   # (what TF's op takes)
            raise TypeError(f"Value passed to parameter 'values' has DataType "
                            f"{values.dtype.name} not in list of allowed values: float32, "
                            "float64, int32, uint8, int16, int8, int64, bfloat16, uint16, "
                            "float16, uint32, uint64")
        t = apply(prim, tags, values)
    graph._names[t] = scope.rstrip("/")   # the op takes its scope's name, as in TensorFlow
    for key in (collections if collections is not None else [GraphKeys.SUMMARIES]):
        graph.add_to_collection(key, t)
    return t


def scalar(name, tensor, collections=None, family=None):
    """A ``ScalarSummary`` op: when run, a serialized ``Summary`` holding ``tensor`` (a scalar)
    under the tag ``name`` (with the name scopes it is in, as TensorFlow tags it). Added to the
    ``summaries`` collection that :func:`merge_all` merges.

    >>> import teachgrad as tg
    >>> with tg.Graph().as_default():
    ...     with tg.name_scope("train"):
    ...         s = tg.summary.scalar("loss", tg.constant(0.25))
    ...     with tg.Session() as sess:
    ...         serialized = sess.run(s)
    >>> s.name, s.op.type, s.dtype == tg.string, type(serialized)
    ('train/loss:0', 'ScalarSummary', True, <class 'bytes'>)
    >>> from tensorboard.compat.proto.summary_pb2 import Summary
    >>> value = Summary.FromString(serialized).value[0]
    >>> value.tag, value.simple_value
    ('train/loss', 0.25)
    """
    return _summary_op(ops.io.scalar_summary, "scalar", name, tensor, collections, family)


def histogram(name, values, collections=None, family=None):
    """A ``HistogramSummary`` op: TensorFlow's histogram of ``values`` (any shape), for
    TensorBoard's Histograms and Distributions tabs.

    >>> import teachgrad as tg
    >>> with tg.Graph().as_default():
    ...     h = tg.summary.histogram("weights", tg.constant([1.0, 2.0, 3.0, 4.0]))
    ...     with tg.Session() as sess:
    ...         serialized = sess.run(h)
    >>> from tensorboard.compat.proto.summary_pb2 import Summary
    >>> histo = Summary.FromString(serialized).value[0].histo
    >>> histo.min, histo.max, histo.num, histo.sum
    (1.0, 4.0, 4.0, 10.0)
    """
    return _summary_op(ops.io.histogram_summary, "histogram", name, values, collections, family)


def merge(inputs, collections=None, name=None):
    """A ``MergeSummary`` op (named ``Merge/MergeSummary``): the values of the summaries
    ``inputs`` in one serialized ``Summary``.

    >>> import teachgrad as tg
    >>> with tg.Graph().as_default():
    ...     a = tg.summary.scalar("a", 1.0)
    ...     b = tg.summary.scalar("b", 2.0)
    ...     both = tg.summary.merge([a, b])
    ...     with tg.Session() as sess:
    ...         serialized = sess.run(both)
    >>> from tensorboard.compat.proto.summary_pb2 import Summary
    >>> both.name, [v.tag for v in Summary.FromString(serialized).value]
    ('Merge/MergeSummary:0', ['a', 'b'])
    """
    if executing_eagerly():
        raise RuntimeError("tf.summary.merge makes a graph op: it is not available in eager mode")
    inputs = [as_tensor(t) for t in inputs]
    for t in inputs:
        if t.dtype != dtypes.string:
            raise TypeError(f"tf.summary.merge: {t.name!r} is not a summary (its dtype is "
                            f"{t.dtype.name}; summaries are strings)")
    with name_scope(name if name else "Merge"):
        t = apply(ops.io.merge_summary, *inputs)
        t.name = name or "MergeSummary"
    graph = get_default_graph()
    for key in (collections or ()):
        graph.add_to_collection(key, t)
    return t


def merge_all(key=GraphKeys.SUMMARIES, scope=None, name=None):
    """One op that merges every summary of the default graph (its ``summaries`` collection), or
    None if it has none, as in TensorFlow.

    >>> import teachgrad as tg
    >>> with tg.Graph().as_default():
    ...     nothing = tg.summary.merge_all()
    ...     _ = tg.summary.scalar("loss", 1.0)
    ...     merged = tg.summary.merge_all()
    >>> nothing, merged.op.type
    (None, 'MergeSummary')
    """
    summaries = get_default_graph().get_collection(key, scope)
    if not summaries:
        return None
    return merge(summaries, name=name)


class FileWriter:
    """Writes TensorBoard event files into ``logdir``: the graph (``graph``, or later
    ``add_graph``) and the summaries given to ``add_summary``. A context manager: the ``with``
    block closes it (flushes everything to disk).

    The file is ``logdir/events.out.tfevents.<time>.<host>``, written by TensorBoard's own
    writer: ``tensorboard --logdir logdir`` shows the graph and the scalars.
    """

    def __init__(self, logdir, graph=None, max_queue=10, flush_secs=120, graph_def=None,
                 filename_suffix=None, session=None):
        if executing_eagerly():
            raise RuntimeError("tf.summary.FileWriter is not compatible with eager execution: "
                               "call tg.disable_eager_execution() first")
        require("tensorboard", "tf.summary.FileWriter", extra="tensorboard")
        from tensorboard.summary.writer.event_file_writer import EventFileWriter
        self._p = protos()
        self._logdir = str(logdir)
        self._options = (int(max_queue), float(flush_secs), filename_suffix or "")
        self._writer = EventFileWriter(self._logdir, *self._options)
        self._closed = False
        self._graph_added = False
        if graph is not None or graph_def is not None:
            self.add_graph(graph, graph_def=graph_def)

    def get_logdir(self):
        return self._logdir

    def add_event(self, event):
        """Write an ``Event`` protocol buffer (after ``close()`` nothing is written, as in
        TensorFlow)."""
        if not self._closed:
            self._writer.add_event(event)

    def _add(self, step, **fields):
        event = self._p.event_pb2.Event(wall_time=time.time(), **fields)
        if step is not None:
            event.step = int(step)
        self.add_event(event)

    def add_summary(self, summary, global_step=None):
        """Write ``summary`` — what a summary op gave (``bytes``) or a ``Summary`` proto — at
        step ``global_step``."""
        if isinstance(summary, np.ndarray):
            summary = summary.item()
        if isinstance(summary, (bytes, np.bytes_)):
            summary = self._p.summary_pb2.Summary.FromString(bytes(summary))
        elif isinstance(summary, Tensor):
            raise TypeError(f"add_summary takes the value of a summary op, not the tensor "
                            f"{summary.name!r}: writer.add_summary(sess.run(summary), step)")
        elif not isinstance(summary, self._p.summary_pb2.Summary):
            raise TypeError(f"add_summary takes a serialized Summary (bytes, what running a "
                            f"summary op gives) or a Summary proto, not {type(summary).__name__}")
        self._add(global_step, summary=summary)

    def add_graph(self, graph, global_step=None, graph_def=None):
        """Write the program ``graph`` (a ``tg.Graph``, or a ``GraphDef``) for TensorBoard's
        Graphs tab, with shapes on its edges; TensorFlow 1 writes its meta graph too."""
        if graph is not None and graph_def is not None:
            raise ValueError("Please pass only graph, or graph_def (deprecated), but not both.")
        if isinstance(graph, Graph):
            found = _graph_def(graph, add_shapes=True)
        elif graph is not None or graph_def is not None:
            found = graph if graph is not None else graph_def
            if not isinstance(found, self._p.graph_pb2.GraphDef):
                raise TypeError(f"add_graph takes a tg.Graph (sess.graph, "
                                f"tg.get_default_graph()) or a GraphDef, not "
                                f"{type(found).__name__}")
        else:
            raise ValueError("add_graph: give the graph (sess.graph or tg.get_default_graph())")
        self._graph_added = True
        from tensorboard.compat.proto import meta_graph_pb2
        self._add(global_step, graph_def=found.SerializeToString())
        meta = meta_graph_pb2.MetaGraphDef(graph_def=found)
        meta.meta_info_def.stripped_op_list.SetInParent()
        self._add(global_step, meta_graph_def=meta.SerializeToString())

    def add_session_log(self, session_log, global_step=None):
        self._add(global_step, session_log=session_log)

    def flush(self):
        """Write everything added so far to disk."""
        if not self._closed:
            self._writer.flush()

    def close(self):
        """Flush and close the event file; a second ``close()`` does nothing."""
        if not self._closed:
            self._writer.close()
            self._closed = True

    def reopen(self):
        """After ``close()``, start a new event file in the same ``logdir``."""
        if self._closed:
            from tensorboard.summary.writer.event_file_writer import EventFileWriter
            self._writer = EventFileWriter(self._logdir, *self._options)
            self._closed = False

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
        return False

    def __repr__(self):
        return f"<tf.summary.FileWriter {self._logdir!r}{' (closed)' if self._closed else ''}>"
