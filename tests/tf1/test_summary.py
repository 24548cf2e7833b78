"""``tf.summary`` and ``Graph.as_graph_def()``: summary ops, TensorBoard event files read back by
TensorBoard's own reader and served by TensorBoard itself, and the GraphDef TensorBoard draws.

What TensorFlow 1 does (names, tags, bytes, histogram buckets, node lists, errors) was read off
``tensorflow.compat.v1`` (TensorFlow 2.21, ``disable_v2_behavior()``) running the same code.
"""

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request

import numpy as np
import pytest

import teachgrad as tf

pytest.importorskip("tensorboard", reason="needs the tensorboard extra: "
                                   "pip install teachgrad[tensorboard]")

from google.protobuf import text_format                                    # noqa: E402
from tensorboard.backend.event_processing.event_accumulator import EventAccumulator   # noqa: E402
from tensorboard.compat.proto import graph_pb2, summary_pb2                # noqa: E402
from tensorboard.util import tensor_util                                  # noqa: E402


def tensorboard_program():
    """A small TF-1 program with scopes, variables, a loss and three kinds of summary."""
    x = tf.placeholder(tf.float32, (None, 2), name="x")
    y = tf.placeholder(tf.float32, (None, 1), name="y")
    with tf.name_scope("model"):
        w = tf.Variable(np.array([[0.5], [-0.25]], np.float32), name="weights")
        b = tf.Variable(0.1, name="bias")
        pred = tf.nn.relu(tf.matmul(x, w) + b)
    with tf.name_scope("loss"):
        loss = tf.reduce_mean(tf.square(pred - y))
    tf.summary.scalar("loss", loss)
    tf.summary.histogram("weights", w)
    merged = tf.summary.merge_all()
    init = tf.global_variables_initializer()
    return x, y, loss, merged, init


# The GraphDef TensorFlow 1 makes of tensorboard_program(): (name, op type, inputs).
TF_NODES = [
    ("x", "Placeholder", []),
    ("y", "Placeholder", []),
    ("model/weights/initial_value", "Const", []),
    ("model/weights", "VariableV2", []),
    ("model/weights/Assign", "Assign", ["model/weights", "model/weights/initial_value"]),
    ("model/weights/read", "Identity", ["model/weights"]),
    ("model/bias/initial_value", "Const", []),
    ("model/bias", "VariableV2", []),
    ("model/bias/Assign", "Assign", ["model/bias", "model/bias/initial_value"]),
    ("model/bias/read", "Identity", ["model/bias"]),
    ("model/MatMul", "MatMul", ["x", "model/weights/read"]),
    ("model/add", "AddV2", ["model/MatMul", "model/bias/read"]),
    ("model/Relu", "Relu", ["model/add"]),
    ("loss/sub", "Sub", ["model/Relu", "y"]),
    ("loss/Square", "Square", ["loss/sub"]),
    ("loss/Const", "Const", []),
    ("loss/Mean", "Mean", ["loss/Square", "loss/Const"]),
    ("loss_1/tags", "Const", []),
    ("loss_1", "ScalarSummary", ["loss_1/tags", "loss/Mean"]),
    ("weights/tag", "Const", []),
    ("weights", "HistogramSummary", ["weights/tag", "model/weights/read"]),
    ("Merge/MergeSummary", "MergeSummary", ["loss_1", "weights"]),
    ("init", "NoOp", ["^model/bias/Assign", "^model/weights/Assign"]),
]

FEED_X = np.array([[1.0, 2.0], [3.0, 4.0]], np.float32)
FEED_Y = np.array([[1.0], [2.0]], np.float32)


# ------------------------------------------------------------------------------------------------
# GraphDef
# ------------------------------------------------------------------------------------------------

def test_graph_def_has_tensorflow_1s_nodes_types_and_inputs():
    tensorboard_program()
    graph_def = tf.get_default_graph().as_graph_def()
    assert isinstance(graph_def, graph_pb2.GraphDef)
    assert [(n.name, n.op, list(n.input)) for n in graph_def.node] == TF_NODES


def test_session_graph_def_and_write_graph(tmp_path):
    tensorboard_program()
    with tf.Session() as sess:
        graph_def = sess.graph_def
        path = tf.train.write_graph(sess.graph_def, str(tmp_path), "graph.pbtxt")
        binary = tf.train.write_graph(sess.graph, str(tmp_path), "graph.pb", as_text=False)
    assert [n.name for n in graph_def.node] == [name for name, _, _ in TF_NODES]
    assert path == str(tmp_path / "graph.pbtxt")
    from_text = text_format.Parse((tmp_path / "graph.pbtxt").read_text(), graph_pb2.GraphDef())
    from_binary = graph_pb2.GraphDef.FromString((tmp_path / "graph.pb").read_bytes())
    assert from_text == from_binary == graph_def and binary == str(tmp_path / "graph.pb")


def test_graph_def_attributes_dtypes_shapes_and_values():
    tensorboard_program()
    nodes = {n.name: n for n in tf.get_default_graph().as_graph_def(add_shapes=True).node}
    x = nodes["x"]
    assert x.attr["dtype"].type == 1                                       # DT_FLOAT
    assert [d.size for d in x.attr["shape"].shape.dim] == [-1, 2]
    const = nodes["model/weights/initial_value"]
    np.testing.assert_array_equal(tensor_util.make_ndarray(const.attr["value"].tensor),
                                  [[0.5], [-0.25]])
    assert [d.size for d in nodes["model/MatMul"].attr["_output_shapes"].list.shape[0].dim] \
        == [-1, 1]
    assert nodes["model/MatMul"].attr["T"].type == 1
    assert list(nodes["model/weights/Assign"].attr["_class"].list.s) == [b"loc:@model/weights"]
    assert nodes["model/weights"].attr["dtype"].type == 1
    assert [d.size for d in nodes["model/weights"].attr["shape"].shape.dim] == [2, 1]
    assert nodes["loss/Mean"].attr["keep_dims"].b is False
    np.testing.assert_array_equal(tensor_util.make_ndarray(nodes["loss/Const"].attr["value"]
                                                           .tensor), [0, 1])
    assert nodes["loss_1"].attr["_output_shapes"].list.shape[0].dim == []   # a scalar string
    without = tf.get_default_graph().as_graph_def().node[0]
    assert "_output_shapes" not in without.attr                # only with add_shapes=True


def test_graph_def_of_casts_reductions_iterators_and_outputs():
    x = tf.placeholder(tf.int32, (3,), name="x")
    tf.cast(x, tf.float32)
    tf.reduce_sum(tf.ones((2, 3)), axis=1)
    a, b = tf.data.Dataset.from_tensor_slices(([1.0, 2.0], [3, 4])).make_one_shot_iterator() \
        .get_next()
    tf.identity(b, name="second")
    nodes = {n.name: n for n in tf.get_default_graph().as_graph_def().node}
    assert (nodes["Cast"].attr["SrcT"].type, nodes["Cast"].attr["DstT"].type) == (3, 1)
    assert list(nodes["Sum"].input) == ["ones", "Sum/reduction_indices"]   # TF 1's names
    assert nodes["IteratorGetNext"].op == "IteratorGetNext"
    assert list(nodes["IteratorGetNext"].input) == ["OneShotIterator"]
    assert list(nodes["second"].input) == ["IteratorGetNext:1"]   # an op's second output
    assert not any("component" in name for name in nodes)


# ------------------------------------------------------------------------------------------------
# summary ops
# ------------------------------------------------------------------------------------------------

def test_summary_ops_names_tags_and_bytes_as_tensorflow_1():
    x = tf.placeholder(tf.float32, (None,), name="x")
    with tf.name_scope("model"):
        s1 = tf.summary.scalar("loss", tf.reduce_mean(x))
        s1b = tf.summary.scalar("loss", tf.reduce_mean(x))
        h = tf.summary.histogram("xs", x)
    s2 = tf.summary.scalar("my loss", tf.reduce_sum(x))    # an illegal character becomes _
    s3 = tf.summary.scalar("count", tf.size(x))             # an int32 tensor: its float
    assert [t.name for t in (s1, s1b, h, s2, s3)] == [
        "model/loss:0", "model/loss_1:0", "model/xs:0", "my_loss:0", "count:0"]
    assert [t.op.type for t in (s1, h)] == ["ScalarSummary", "HistogramSummary"]
    assert s1.dtype == tf.string and s1.shape == ()
    assert tf.get_collection(tf.GraphKeys.SUMMARIES) == [s1, s1b, h, s2, s3]
    a = tf.summary.scalar("a", 1.0)
    assert [op.name for op in tf.get_default_graph().get_operations()[-3:]] == [
        "a/tags", "a/values", "a"]                          # a number becomes a/values
    with tf.Session() as sess:
        out = sess.run([s1, s2, s3, h, tf.summary.merge([s1, s1b, h, s2, s3])],
                       {x: [1., 2., 3., 4.]})
        zero = sess.run(s1, {x: [0.0]})
        assert sess.run(a) == b"\n\x08\n\x01a\x15\x00\x00\x80?"            # TF's bytes
    assert zero == b"\n\x11\n\nmodel/loss\x15\x00\x00\x00\x00"             # trailing zeros kept
    assert [len(o) for o in out] == [19, 16, 14, 209, 279]                # TF's lengths
    merged = summary_pb2.Summary.FromString(out[4])
    assert [(v.tag, v.simple_value) for v in merged.value if v.HasField("simple_value")] == [
        ("model/loss", 2.5), ("model/loss_1", 2.5), ("my_loss", 10.0), ("count", 4.0)]


def test_histogram_is_tensorflows_histogram():
    """TF's buckets (10% apart from 1e-12, runs of empty buckets written as one), read off
    TensorFlow's HistogramSummary of the same values."""
    values = tf.placeholder(tf.float32, name="values")
    h = tf.summary.histogram("h", values)
    with tf.Session() as sess:
        histo = summary_pb2.Summary.FromString(sess.run(h, {values: [1., 2., 3., 4.]})).value[0] \
            .histo
        empty = summary_pb2.Summary.FromString(sess.run(h, {values: []})).value[0].histo
    assert (histo.min, histo.max, histo.num, histo.sum, histo.sum_squares) == (1, 4, 4, 10, 30)
    np.testing.assert_allclose(histo.bucket_limit, [
        0.917246389039776, 1.0089710279437536, 1.9661990955585713, 2.1628190051144287,
        2.8787120958073054, 3.1665833053880363, 3.8315657995195243, 4.2147223794714774,
        1.7976931348623157e+308], rtol=1e-15)
    assert list(histo.bucket) == [0, 1, 0, 1, 0, 1, 0, 1, 0]
    assert (empty.min, empty.max, empty.num) == (1.7976931348623157e+308,
                                                 -1.7976931348623157e+308, 0)
    assert list(empty.bucket_limit) == [1.7976931348623157e+308] and list(empty.bucket) == [0]


def test_merge_names_and_merge_all_of_nothing():
    assert tf.summary.merge_all() is None                   # TF: None when there is none
    a = tf.summary.scalar("a", 1.0)
    b = tf.summary.scalar("b", 2.0)
    assert tf.summary.merge([a, b]).name == "Merge/MergeSummary:0"
    assert tf.summary.merge([a], name="mine").name == "mine/mine:0"
    assert tf.summary.merge_all().name == "Merge_1/MergeSummary:0"
    with tf.name_scope("fam"):
        q = tf.summary.scalar("q", 1.0, family="F")
    with tf.Session() as sess:
        tag = summary_pb2.Summary.FromString(sess.run(q)).value[0].tag
    assert (q.name, tag) == ("fam/F/q:0", "F/fam/F/q")


def test_summary_errors_are_tensorflows():
    with pytest.raises(TypeError, match="DataType bool not in list of allowed values"):
        tf.summary.scalar("flag", tf.constant(True))
    vector = tf.summary.scalar("v", tf.constant([1.0, 2.0]))
    nan = tf.summary.histogram("h", tf.constant([1.0, np.nan]))
    a = tf.summary.scalar("a", 1.0)
    twice = tf.summary.merge([a, a])
    with tf.Session() as sess:
        with pytest.raises(tf.errors.InvalidArgumentError,
                           match=r"tags and values are not the same shape: \[\] != \[2\] "
                                 r"\(tag 'v'\)"):
            sess.run(vector)
        with pytest.raises(tf.errors.InvalidArgumentError, match="Nan in summary histogram for: h"):
            sess.run(nan)
        with pytest.raises(tf.errors.InvalidArgumentError,
                           match="Duplicate tag a found in summary inputs"):
            sess.run(twice)


def test_summaries_and_file_writers_are_graph_mode(eager, tmp_path):
    with pytest.raises(RuntimeError, match="eager"):
        tf.summary.scalar("loss", 1.0)
    with pytest.raises(RuntimeError, match="not compatible with eager execution"):
        tf.summary.FileWriter(str(tmp_path))


# ------------------------------------------------------------------------------------------------
# FileWriter: event files TensorBoard reads
# ------------------------------------------------------------------------------------------------

def write_run(logdir):
    x, y, loss, merged, init = tensorboard_program()
    train = tf.train.GradientDescentOptimizer(0.01).minimize(loss)
    losses = []
    with tf.Session() as sess, tf.summary.FileWriter(logdir, sess.graph) as writer:
        sess.run(init)
        for step in range(3):
            summary, value, _ = sess.run([merged, loss, train], {x: FEED_X, y: FEED_Y})
            writer.add_summary(summary, step)
            losses.append(float(value))
    return losses


def test_event_file_read_back_by_tensorboards_reader(tmp_path):
    losses = write_run(str(tmp_path))
    files = os.listdir(tmp_path)
    assert len(files) == 1 and files[0].startswith("events.out.tfevents.")
    events = EventAccumulator(str(tmp_path))
    events.Reload()
    tags = events.Tags()
    assert tags["scalars"] == ["loss_1"] and tags["histograms"] == ["weights"]
    assert tags["graph"] and tags["meta_graph"]          # TF's FileWriter writes both
    assert [e.step for e in events.Scalars("loss_1")] == [0, 1, 2]
    np.testing.assert_allclose([e.value for e in events.Scalars("loss_1")], losses, rtol=1e-6)
    assert losses[0] == pytest.approx(1.385, abs=1e-6)    # TF: 1.385 for this feed
    last = events.Histograms("weights")[-1]              # (the reader keeps one by default)
    assert (last.step, last.histogram_value.num) == (2, 2)
    graph = events.Graph()
    nodes = [(n.name, n.op) for n in graph.node]
    assert [(name, op) for name, op, _ in TF_NODES] == [
        n for n in nodes if not n[0].startswith(("gradients", "GradientDescent"))]
    assert all(n.attr["_output_shapes"].list.shape for n in graph.node
               if n.op not in ("NoOp",))                 # shapes on every edge


def test_file_writer_api(tmp_path):
    writer = tf.summary.FileWriter(str(tmp_path / "run"))
    assert writer.get_logdir() == str(tmp_path / "run")
    proto = summary_pb2.Summary()
    proto.value.add(tag="by hand", simple_value=2.0)
    writer.add_summary(proto, 7)                     # a Summary proto as well as bytes
    writer.add_summary(proto.SerializeToString(), np.int64(8))
    with pytest.raises(TypeError, match="sess.run"):
        writer.add_summary(tf.summary.scalar("t", 1.0), 9)
    writer.add_graph(tf.get_default_graph())
    writer.flush()
    writer.close()
    writer.add_summary(proto, 10)                    # after close: nothing, as in TensorFlow
    writer.close()                                   # twice: fine
    events = EventAccumulator(str(tmp_path / "run"))
    events.Reload()
    assert [(e.step, e.value) for e in events.Scalars("by hand")] == [(7, 2.0), (8, 2.0)]
    assert [n.name for n in events.Graph().node] == ["t/tags", "t/values", "t"]
    writer.reopen()
    writer.add_summary(proto, 11)
    writer.close()
    events = EventAccumulator(str(tmp_path / "run"))
    events.Reload()
    assert [e.step for e in events.Scalars("by hand")] == [7, 8, 11]


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def fetch(url):
    with urllib.request.urlopen(url, timeout=10) as response:
        return response.read().decode("utf-8")


def test_tensorboard_serves_the_graph_and_the_scalars(tmp_path):
    """``tensorboard --logdir`` on a written log: its graph plugin gives the program's graph
    (TensorBoard's Graphs tab draws exactly this) and its scalars plugin the losses."""
    losses = write_run(str(tmp_path / "run1"))
    port = free_port()
    tensorboard = os.path.join(os.path.dirname(sys.executable), "tensorboard")
    server = subprocess.Popen([tensorboard, "--logdir", str(tmp_path), "--host", "127.0.0.1",
                               "--port", str(port)], stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL, env={**os.environ, "HOME": str(tmp_path)})
    try:
        base = f"http://127.0.0.1:{port}/data/plugin"
        deadline = time.monotonic() + 90
        while True:
            try:
                info = json.loads(fetch(f"{base}/graphs/info"))
                if info:
                    break
            except OSError:
                pass
            assert server.poll() is None and time.monotonic() < deadline, \
                "tensorboard did not start"
            time.sleep(0.5)
        assert info["run1"]["run_graph"] is True
        graph = text_format.Parse(fetch(f"{base}/graphs/graph?run=run1"), graph_pb2.GraphDef())
        served = {n.name: (n.op, list(n.input)) for n in graph.node}
        for name, op, inputs in TF_NODES:
            assert served[name] == (op, inputs)
        scalars = json.loads(fetch(f"{base}/scalars/scalars?run=run1&tag=loss_1"))
        assert [step for _, step, _ in scalars] == [0, 1, 2]
        np.testing.assert_allclose([value for _, _, value in scalars], losses, rtol=1e-6)
    finally:
        server.terminate()
        server.wait(timeout=30)
