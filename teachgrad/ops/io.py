"""The ops that carry data into and out of a program: summaries for TensorBoard and the iterators
of ``tf.data``. None has a derivative.

A summary op's value is a serialized ``Summary`` protocol buffer (``bytes``), as TensorFlow 1's
are, so ``writer.add_summary(sess.run(merged), step)`` writes what a run computed:
``scalar_summary`` (one number), ``histogram_summary`` (TensorFlow's histogram of the values, with
its exponential buckets) and ``merge_summary`` (their values joined). They need the ``tensorboard``
package for the protos; they run when a Session runs them (never while the graph is built).

The iterator ops act on an iterator object kept in their ``params`` (the ``tf.data`` layer above
says what it does): ``iterator_v2`` / ``one_shot_iterator`` stand for the iterator itself,
``make_iterator`` (re)starts it from a dataset when it is run, ``iterator_get_next`` takes the
next element — once per ``Session.run``, however many of its components are fetched — and keeps
it in the run's session, where ``iterator_component`` reads its k-th component (TensorFlow's
``IteratorGetNext:k``). Every value is a NumPy array, so the teaching graph evaluates them too.
"""

import numpy as np

from ..core.graph_def import protos
from ..core.shapes import TensorShape
from ..errors import InvalidArgumentError
from .registry import structural

__all__ = ["scalar_summary", "histogram_summary", "merge_summary", "histogram_proto",
           "iterator_v2", "one_shot_iterator", "make_iterator", "iterator_get_next",
           "iterator_component"]


class _NoGradient:
    """No derivative for any input, however many (``vjp[i]`` for every ``i``)."""

    def __getitem__(self, i):
        return lambda g, out, *args, **params: None


_NONE = _NoGradient()


def _string_scalar(inputs, params):
    return TensorShape(()), np.dtype(object)


def _operation_only(inputs, params):
    return TensorShape(()), None


def _text(tag):
    tag = np.asarray(tag).item()
    return tag.decode("utf-8") if isinstance(tag, bytes) else str(tag)


# --- summaries -----------------------------------------------------------------------------------

def _scalar_summary(tags, values):
    """One ``Summary.Value`` with ``simple_value``: ``values`` must be a scalar, as TF's kernel
    checks ("tags and values not the same shape")."""
    p = protos()
    values, tag = np.asarray(values), _text(tags)
    if values.ndim != 0:
        raise InvalidArgumentError(None, None, f"tags and values are not the same shape: [] != "
                                   f"{list(values.shape)} (tag '{tag}'): tf.summary.scalar takes "
                                   "a scalar; reduce the tensor first (tf.reduce_mean)")
    summary = p.summary_pb2.Summary()
    summary.value.add(tag=tag, simple_value=float(values))
    return summary.SerializeToString()


def _default_bucket_limits():
    """TensorFlow's histogram buckets (``core/lib/histogram/histogram.cc``): limits growing by
    10% from 1e-12 to 1e20 on either side of 0, then ±DBL_MAX."""
    positive, v = [], 1.0e-12
    while v < 1.0e20:
        positive.append(v)
        v *= 1.1
    positive.append(np.finfo(np.float64).max)
    return np.array([-x for x in reversed(positive)] + [0.0] + positive)


_LIMITS = []


def histogram_proto(values):
    """TensorFlow's ``HistogramProto`` of ``values``: min, max, count, sum, sum of squares, and
    the counts per bucket, runs of empty buckets collapsed into one as TensorFlow writes them.

    >>> h = histogram_proto([1.0, 2.0, 3.0, 4.0])
    >>> h.num, h.sum, h.sum_squares, list(h.bucket)
    (4.0, 10.0, 30.0, [0.0, 1.0, 0.0, 1.0, 0.0, 1.0, 0.0, 1.0, 0.0])
    """
    p = protos()
    if not _LIMITS:
        _LIMITS.append(_default_bucket_limits())
    limits = _LIMITS[0]
    x = np.asarray(values, dtype=np.float64).ravel()
    counts = np.bincount(np.searchsorted(limits, x, side="right"), minlength=len(limits))
    proto = p.summary_pb2.HistogramProto(
        min=float(x.min()) if x.size else float(limits[-1]),
        max=float(x.max()) if x.size else float(limits[0]),
        num=float(x.size), sum=float(x.sum()), sum_squares=float(np.dot(x, x)))
    i = 0
    while i < len(limits):   # a run of empty buckets is written as one, ending at the run's end
        end, count, j = limits[i], counts[i], i + 1
        if count <= 0:
            while j < len(limits) and counts[j] <= 0:
                end, count, j = limits[j], counts[j], j + 1
        proto.bucket_limit.append(float(end))
        proto.bucket.append(float(count))
        i = j
    return proto


def _histogram_summary(tags, values):
    p = protos()
    values, tag = np.asarray(values), _text(tags)
    if not np.all(np.isfinite(values)):
        kind = "Nan" if np.any(np.isnan(values)) else "Infinity"
        raise InvalidArgumentError(None, None, f"{kind} in summary histogram for: {tag}")
    summary = p.summary_pb2.Summary()
    summary.value.add(tag=tag, histo=histogram_proto(values))
    return summary.SerializeToString()


def _merge_summary(*inputs):
    """The values of every input summary in one, in order; a tag seen twice is an error, as in
    TensorFlow ("Duplicate tag … found in summary inputs")."""
    p = protos()
    merged, seen = p.summary_pb2.Summary(), set()
    for serialized in inputs:
        part = p.summary_pb2.Summary()
        part.ParseFromString(bytes(np.asarray(serialized, dtype=object).item()))
        for value in part.value:
            if value.tag in seen:
                raise InvalidArgumentError(None, None, f"Duplicate tag {value.tag} found in "
                                           "summary inputs")
            seen.add(value.tag)
            merged.value.add().CopyFrom(value)
    return merged.SerializeToString()


def _at_run(impl):
    return lambda session, node, *values: impl(*values)


# Marked stateful so they run only in a Session (their value is bytes, never a value at once).
scalar_summary = structural(
    "scalar_summary", _scalar_summary, vjp=_NONE, stateful=True, infer=_string_scalar,
    run=_at_run(_scalar_summary), expr="summary({1})",
    doc="scalar_summary: a serialized Summary holding one number, for TensorBoard")
histogram_summary = structural(
    "histogram_summary", _histogram_summary, vjp=_NONE, stateful=True, infer=_string_scalar,
    run=_at_run(_histogram_summary), expr="histogram({1})",
    doc="histogram_summary: a serialized Summary holding a histogram of the values")
merge_summary = structural(
    "merge_summary", _merge_summary, vjp=_NONE, stateful=True, infer=_string_scalar,
    run=_at_run(_merge_summary), expr="merge(…)",
    doc="merge_summary: the values of several serialized Summaries in one")


# --- iterators ------------------------------------------------------------------------------------
# params["iterator"] is the iterator object: ``start(session, dataset, captured_values)``,
# ``advance(session, get_next_node)``, ``current(session, get_next_node)``.

def _nothing(session, node, *inputs):
    return None


iterator_v2 = structural(
    "iterator_v2", None, vjp=_NONE, stateful=True, infer=_operation_only, run=_nothing,
    expr="iterator", doc="iterator_v2: the iterator a MakeIterator op starts (IteratorV2)")
one_shot_iterator = structural(
    "one_shot_iterator", None, vjp=_NONE, stateful=True, infer=_operation_only, run=_nothing,
    expr="iterator", doc="one_shot_iterator: an iterator that starts itself at its first use")
make_iterator = structural(
    "make_iterator", None, vjp=_NONE, stateful=True, infer=_operation_only,
    run=lambda session, node, iterator, *captured: node.params["iterator"].start(
        session, node.params["dataset"], captured),
    expr="make_iterator", doc="make_iterator: (re)starts an iterator on a dataset when run")
iterator_get_next = structural(
    "iterator_get_next", None, vjp=_NONE, stateful=True, infer=_operation_only,
    run=lambda session, node, iterator: node.params["iterator"].advance(session, node),
    expr="get_next", doc="iterator_get_next: takes the next element of an iterator, once per run")
iterator_component = structural(
    "iterator_component", None, vjp=_NONE, stateful=True,
    infer=lambda inputs, params: (params["shape"], params["dtype"]),
    run=lambda session, node, element: node.params["iterator"].current(
        session, node.inputs[0])[node.params["index"]],
    expr="{0}[k]", doc="iterator_component: the k-th component of the element taken in this run")
