"""State that differs per thread, as in TensorFlow 1: the recording switch, the default graph and
session stacks, name scopes and control dependencies."""

import threading

import numpy as np

import teachgrad as tg


def _in_thread(fn):
    out, errors = {}, []

    def run():
        try:
            out["value"] = fn()
        except BaseException as e:   # noqa: BLE001 - reported in the main thread
            errors.append(e)
    worker = threading.Thread(target=run)
    worker.start()
    worker.join(30)
    assert not worker.is_alive()
    if errors:
        raise errors[0]
    return out["value"]


def test_grad_in_a_thread_does_not_stop_the_main_thread_recording():
    """tg.grad pauses recording while it traces f; in another thread, that must not leave the
    main thread's ops unrecorded (it did: 0 of 3 ops, y.graph not the default graph)."""
    tracing, built = threading.Event(), threading.Event()

    def slow_square(x):
        tracing.set()
        assert built.wait(30)     # keep tracing while the main thread builds its graph
        return x * x

    worker_result = {}
    worker = threading.Thread(
        target=lambda: worker_result.setdefault("g", tg.grad(slow_square)(3.0)))
    worker.start()
    assert tracing.wait(30)
    x = tg.placeholder(tg.float32, (), name="x")
    y = tg.sin(x) * 2.0 + 1.0
    built.set()
    worker.join(30)
    graph = tg.get_default_graph()
    assert y.graph is graph
    assert [op.name for op in graph.get_operations()] == \
        ["x", "Sin", "mul/y", "mul", "add/y", "add"]
    assert float(worker_result["g"]) == 6.0
    with tg.Session() as sess:
        assert np.isclose(sess.run(y, {x: 0.5}), 2 * np.sin(0.5) + 1)


def test_each_thread_has_its_own_default_graph_and_name_scope():
    main_graph = tg.get_default_graph()
    with tg.name_scope("outer"):
        def build():
            g = tg.get_default_graph()
            c = tg.constant(1.0, name="c")
            return g, c.name
        other_graph, name = _in_thread(build)
        assert tg.constant(2.0, name="c").name == "outer/c:0"
    assert other_graph is not main_graph
    assert name == "c:0"          # the main thread's open scope is not the worker's


def test_a_thread_shares_a_graph_with_as_default_but_keeps_its_own_scope():
    g = tg.Graph()
    with g.as_default(), tg.name_scope("main"):
        def build():
            with g.as_default():
                return tg.constant(1.0, name="k").name
        assert _in_thread(build) == "k:0"
        assert tg.constant(1.0, name="k").name == "main/k:0"


def test_the_default_session_is_per_thread():
    x = tg.constant(3.0) * 2.0
    with tg.Session() as sess:
        assert x.eval() == 6.0
        assert tg.get_default_session() is sess
        assert _in_thread(tg.get_default_session) is None
