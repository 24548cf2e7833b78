#!/usr/bin/env python
"""Speed of TensorFlow-1 graph mode: build the graph once, then ``sess.run`` it many times.

Each workload is computed by

* a hand-written NumPy (or plain Python) version with its analytic gradient: the *limit*;
* teachgrad in graph mode: placeholders fed at each run, ``tf.gradients`` built once into the
  graph, ``sess.run([value, *gradients], feed_dict)`` per call;
* TensorFlow 1 (``tensorflow.compat.v1`` with v2 behaviour off), the same program, when the
  ``tensorflow`` package is importable (run this script with an interpreter that has it, e.g.
  ``/path/to/tf-venv/bin/python bench/bench_session.py``: teachgrad needs only NumPy).

The harness (checks against the limit, round-robin timing, medians, peak memory) is
bench_core.py's.

Workloads:
  W1g  e = (a + b) * (b + 1), a and b float32 placeholders fed 2.0 and 1.0: e, de/da, de/db per
       run                                                               (target <= 3 us per run)
  W3g  hinge loss mean(maximum(0, 1 - labels * (data @ W + b))), data 4096x512 and labels fed
       through placeholders, W and b variables: loss and both gradients    (target <= 1.05x limit)
  W5g  x = sin(x) * 1.0001 + 0.001 repeated 10,000 times from a fed scalar x0: value and
       dx/dx0, the graph built once                                       (target <= 2x limit)

Examples:
  python bench/bench_session.py --quick
  /work/tfenv/bin/python bench/bench_session.py --only W1g,W5g
"""

import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import bench_core as core  # noqa: E402
from bench_core import Impl, Skip, Workload, tg  # noqa: E402

try:
    import tensorflow.compat.v1 as tf1
    tf1.disable_v2_behavior()
    TF_MISSING = None
except Exception as e:  # ImportError, or a broken install
    tf1, TF_MISSING = None, f"not installed ({type(e).__name__}: {e})"

TG_SESSION = "teachgrad sess.run"
TF_SESSION = "tensorflow 1 sess.run"


def _tf():
    if tf1 is None:
        raise Skip(TF_MISSING)
    return tf1


def _graph_mode(build):
    """Build a teachgrad graph in graph mode (bench_core runs the eager workloads in eager mode)
    and return the zero-argument call that runs it."""
    tg.disable_eager_execution()
    try:
        graph = tg.Graph()
        with graph.as_default():
            return build(tg, graph)
    finally:
        tg.enable_eager_execution()


def _in_tf(build):
    tf = _tf()
    graph = tf.Graph()
    with graph.as_default():
        return build(tf, graph)


def _session(tf, graph, init=False):
    sess = tf.Session(graph=graph)
    if init:
        with graph.as_default():
            sess.run(tf.global_variables_initializer())
    return sess


# ---- W1g ----------------------------------------------------------------------------------------

def w1_setup(quick):
    return {"a": 2.0, "b": 1.0}


def w1_limit(d):
    a, b = d["a"], d["b"]

    def run():
        c, e_ = a + b, b + 1.0
        return c * e_, (e_, e_ + c)
    return run


def w1_program(tf, graph, d):
    a = tf.placeholder(tf.float32, name="a")
    b = tf.placeholder(tf.float32, name="b")
    e = (a + b) * (b + 1)
    de_da, de_db = tf.gradients(e, [a, b])
    sess = _session(tf, graph)
    fetches, feed = [e, de_da, de_db], {a: d["a"], b: d["b"]}

    def run():
        value, ga, gb = sess.run(fetches, feed_dict=feed)
        return value, (ga, gb)
    return run


# ---- W3g ----------------------------------------------------------------------------------------

def w3_program(tf, graph, d):
    n, f = d["data"].shape
    k = d["labels"].shape[1]
    data = tf.placeholder(tf.float64, shape=(n, f), name="data")
    labels = tf.placeholder(tf.float64, shape=(n, k), name="labels")
    W = tf.Variable(d["W"], name="W")
    b = tf.Variable(d["b"], name="b")
    margins = tf.matmul(data, W) + b
    loss = tf.reduce_mean(tf.maximum(tf.constant(0.0, tf.float64), 1.0 - labels * margins))
    dW, db = tf.gradients(loss, [W, b])
    sess = _session(tf, graph, init=True)
    fetches, feed = [loss, dW, db], {data: d["data"], labels: d["labels"]}

    def run():
        value, gW, gb = sess.run(fetches, feed_dict=feed)
        return value, (gW, gb)
    return run


# ---- W5g ----------------------------------------------------------------------------------------

def w5_program(tf, graph, d):
    x0 = tf.placeholder(tf.float64, name="x0")
    x = x0
    for _ in range(d["steps"]):
        x = tf.sin(x) * 1.0001 + 0.001
    (dx,) = tf.gradients(x, [x0])
    sess = _session(tf, graph)
    fetches, feed = [x, dx], {x0: d["x0"]}

    def run():
        value, g = sess.run(fetches, feed_dict=feed)
        return value, (g,)
    return run


def _pair(program):
    """The teachgrad and the TensorFlow 1 implementation of one program."""
    return (Impl(TG_SESSION, "teachgrad", lambda d: _graph_mode(lambda tf, g: program(tf, g, d)),
                 "graph built once, sess.run per call"),
            Impl(TF_SESSION, "peer", lambda d: _in_tf(lambda tf, g: program(tf, g, d)),
                 "tf.compat.v1, graph built once"))


WORKLOADS = [
    Workload("W1G", "e = (a + b) * (b + 1), fed a=2, b=1; value + both partials per run",
             w1_setup, [Impl("python (hand-written)", "limit", w1_limit, "floats"),
                        *_pair(w1_program)],
             target=("abs", 3e-6), repeat=15, rtol=1e-6, absolute=True),
    Workload("W3G", "hinge loss, data 4096x512 fed; loss and dloss/dW, dloss/db per run",
             core.w3_setup, [Impl("numpy (hand-written)", "limit", core.w3_limit),
                             *_pair(w3_program)],
             target=("ratio", 1.05), repeat=9),
    Workload("W5G", "x = sin(x) * 1.0001 + 0.001, 10,000 times from a fed x0; value + dx/dx0",
             core.w5_setup, [Impl("python (hand-written)", "limit", core.w5_limit,
                                  "math.sin/cos, derivative carried along"),
                             *_pair(w5_program)],
             target=("ratio", 2.0), repeat=5, absolute=True),
]


if __name__ == "__main__":
    if TF_MISSING:
        print(f"peer tensorflow: {TF_MISSING}")
    sys.exit(core.main(workloads=WORKLOADS, prog="python bench/bench_session.py", doc=__doc__))
