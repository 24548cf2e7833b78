"""value_and_grad and grad visit f's operations in the order they ran (a tape) instead of searching
the graph and sorting it (issue 25), and fall back on the search whenever the tape may have
missed a tensor: the derivative is the same either way, never silently wrong."""
import threading

import numpy as np
import pytest

import teachgrad as tg
from teachgrad.autodiff import fast, transforms


def seed(a, b):
    return (a + b) * (b + 1)


def test_the_seed_uses_the_tape_and_no_sort(monkeypatch):
    def no_sort(ys):
        raise AssertionError("the graph was searched and sorted")
    monkeypatch.setattr(fast, "toposort", no_sort)
    # (an eager variable assigned earlier in this process sends every transform to the search)
    monkeypatch.setattr(transforms, "values_replaced", [0])
    value, (da, db) = tg.value_and_grad(seed, argnums=(0, 1))(2.0, 1.0)
    assert (float(value), float(da), float(db)) == (6.0, 2.0, 5.0)
    x = np.array([0.5, 1.0, 2.0])
    np.testing.assert_allclose(tg.grad(lambda x: tg.reduce_sum(tg.sin(x) * x))(x),
                               np.cos(x) * x + np.sin(x), rtol=1e-15)


def test_a_tensor_made_in_a_program_graph_inside_f_is_not_missed():
    """Graph mode: x * 2 made inside ``with g.as_default()`` goes to g, not to the tape; the
    tape has a gap there, so the graph is searched: d/dx (2x·3) = 6 (0 if it were missed)."""
    def f(x):
        with tg.Graph().as_default():
            y = x * 2.0
        return y * 3.0
    assert float(tg.grad(f)(1.5)) == 6.0
    value, slope = tg.value_and_grad(lambda x: f(x) + x * x)(1.5)
    assert (float(value), float(slope)) == (11.25, 9.0)


def test_a_tensor_made_in_another_thread_inside_f_is_not_missed():
    def f(x):
        made = []
        worker = threading.Thread(target=lambda: made.append(tg.sin(x)))
        worker.start()
        worker.join()
        return made[0] * x
    assert float(tg.grad(f)(1.0)) == pytest.approx(np.cos(1.0) + np.sin(1.0), rel=1e-15)


def test_an_assigned_eager_variable_is_still_refused():
    """The search checks for a node computed before its variable was assigned; with an
    assignment in the process the transforms search as before."""
    tg.enable_eager_execution()
    try:
        w = tg.Variable(2.0, name="w")
        y = w * w
        w.assign(5.0)
        with pytest.raises(ValueError, match="was computed before variable"):
            tg.grad(lambda x: x * y)(np.float32(1.0))
        assert float(tg.grad(lambda x: x * w * w)(np.float32(1.0))) == 25.0
    finally:
        tg.disable_eager_execution()


def test_nested_transforms_share_one_tape():
    f = lambda x: x ** 3 + tg.sin(x)                    # noqa: E731
    x = 0.7
    assert float(tg.grad(tg.grad(f))(x)) == pytest.approx(6 * x - np.sin(x), rel=1e-14)
    assert float(tg.grad(tg.grad(tg.grad(f)))(x)) == pytest.approx(6 - np.cos(x), rel=1e-14)


def test_the_tape_records_into_no_program_graph():
    """Graph mode: the transform's tensors stay out of the default graph, as when recording
    was paused; the graph is recording again after."""
    tg.reset_default_graph()
    graph = tg.get_default_graph()
    before = len(graph.nodes)
    value, slope = tg.value_and_grad(seed)(2.0, 1.0)
    assert (float(value), float(slope)) == (6.0, 2.0)
    assert len(graph.nodes) == before
    assert tg.constant(1.0).graph is graph
