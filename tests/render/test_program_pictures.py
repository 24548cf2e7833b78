"""The pictures of TensorFlow-1 programs (``tg.trace(fetches, feed_dict=...)``, issue 12): shapes
with ``?``, name scopes as clusters, collapsed scopes, shapes and partials on the edges, the
Jupyter display, font sizes, and control flow drawn one node per output. Needs Graphviz; the
same graphs without pictures are tested in tests/teaching/test_program_trace.py."""

import html
import re

import numpy as np
import pytest

import teachgrad as tg
import teachgrad as tf

pytest.importorskip("teachgrad.render")

from teachgrad.errors import NoValueError, UnknownNodeError  # noqa: E402
from teachgrad.teaching import graph as tgraph  # noqa: E402
from tests.teaching.test_program_trace import edge_labels, hinge, seed_program  # noqa: E402,F401


def test_without_values_the_graph_shows_shapes_with_question_marks():
    x = tg.placeholder(tg.float32, shape=(None, 3), name="x")
    with tg.name_scope("layer"):
        w = tg.Variable(np.ones((3, 2), dtype=np.float32), name="w")
        y = tg.nn.relu(tg.matmul(x, w))
    g = tg.trace(y)
    fed = tg.trace(y, feed_dict={x: np.ones((5, 3)), w: np.ones((3, 2))})
    assert "?×" not in fed.svg() and "5×2" in edge_labels(fed.svg())   # values: their shapes
    assert not g.has_values and g.needs == ["x", "layer/w"]
    assert g.program.shape("layer/Relu") == [None, 2]
    assert g.program.dtype("x") == "float32"
    svg = g.svg()
    assert "float32 ?×3" in svg and "float32 ?×2" in svg and "?×2" in edge_labels(svg)
    assert "no values yet: placeholder x (feed) and variable layer/w (session=)" in svg
    assert "no values yet (needs x, layer/w)" in repr(g)
    for ask in (lambda: g.value("x"), lambda: g.derivative("layer/Relu", "x"),
                lambda: g.reverse_mode(), lambda: g.steps("values"), lambda: g.paths("x", "layer/Relu"),
                lambda: g.partial("x", "layer/MatMul")):
        with pytest.raises(NoValueError, match="needs placeholder x .*feed_dict.* and variable "
                                               "layer/w .*session=sess"):
            ask()
    assert g.count_paths("x", "layer/Relu") == 1       # structure needs no values


def test_name_scopes_are_clusters_and_the_gradient_graph_is_its_own_group(hinge):
    sess = hinge.session()
    forward = tg.trace(hinge.loss, feed_dict=hinge.feed, session=sess)
    both = tg.trace([hinge.loss, *hinge.gradients()], feed_dict=hinge.feed, session=sess)
    assert len(both) > len(forward)
    grads = [n for n in both.nodes if n.startswith("gradients/")]
    assert len(grads) >= 10 and not any(n.startswith("gradients/") for n in forward.nodes)
    assert both.scopes["gradients"] == len(grads) and both.scopes["model"] == 4
    svg = both.svg()
    assert svg.count('class="cluster tg&#45;scope"') == 2
    titles = re.findall(r'<a xlink:title="([^"]*)">\n<path fill="#f4f6f8"', svg)
    assert titles == ["model", "gradients"]
    assert ">model</text>" in svg and ">gradients</text>" in svg
    assert svg.count('class="node') == len(both)
    # a variable is drawn as a cylinder beside its readers, its read edge carrying its shape
    assert svg.count('class="node tg&#45;input tg&#45;variable"') == 2
    assert "2×1" in edge_labels(svg)


def test_edges_carry_shapes_and_scalar_edges_their_partials():
    a, b, e = seed_program()
    svg = tg.trace(e, feed_dict={a: 2.0, b: 1.0}).svg()
    assert "∂mul/∂add = add_1 = 2" in edge_labels(svg)


def test_big_scopes_collapse_into_one_box_with_their_op_count():
    x = tg.placeholder(tg.float32, shape=(None, 4), name="x")
    h = x
    for i in range(3):
        with tg.name_scope(f"block{i}"):
            for _ in range(4):
                h = tg.tanh(h * 2.0 + 1.0)     # 5 ops a turn: 20 per block
    loss = tg.reduce_sum(h)
    g = tg.trace(loss)
    assert g.scopes == {"block0": 20, "block1": 20, "block2": 20}
    assert g.program.collapse == {"block0", "block1", "block2"}      # more than 15 ops each
    svg = g.svg()
    assert svg.count('class="node tg&#45;scope&#45;box"') == 3 and "20 ops" in svg
    assert svg.count('class="node') == 5        # x, three boxes, Sum
    opened = g.svg(collapse=["block0", "block2"])
    assert opened.count('class="cluster') == 1 and opened.count("tg&#45;scope&#45;box") == 2
    assert g.svg(collapse=False).count('class="node') == len(g)
    assert tg.trace(loss, collapse="block1").program.collapse == {"block1"}
    with pytest.raises(UnknownNodeError, match="no scope 'block9'.*block0, block1, block2"):
        g.svg(collapse="block9")
    with pytest.raises(ValueError, match="only the graph of a program"):
        tg.trace("e = a * b", a=1, b=2).collapsed(["x"])


def test_a_program_graph_and_a_tensor_without_value_display_themselves(hinge):
    hinge.gradients()
    bundle = tg.get_default_graph()._repr_mimebundle_()
    assert bundle["text/plain"].startswith("<tg.Graph with")
    assert bundle["image/svg+xml"].count('class="cluster') >= 4   # model, W, b, gradients
    assert "model/W/Assign" in tgraph.whole_program(tg.get_default_graph()).nodes
    shown = hinge.loss._repr_mimebundle_()
    assert shown["text/plain"] == repr(hinge.loss) and "Mean" in shown["image/svg+xml"]
    assert tg.constant(1.0)._repr_mimebundle_() is None      # a value shows as text, as before
    assert tg.Graph()._repr_mimebundle_() == {"text/plain": "<tg.Graph with 0 operations>"}


def test_program_pictures_use_fonts_of_12_points_or_more_and_integer_ops_show_shapes():
    """Readable from the back of a room (lecture 3's pictures); an op with integer results such
    as Size has no derivative, so its scalar edges show "scalar", never a partial "= ?"."""
    x = tg.placeholder(tg.float32, shape=[None, 2], name="x")
    m = tg.reduce_mean(tg.reduce_sum(x, axis=1) * 2.0)
    grad = tg.gradients(m, x)[0]
    svg = tg.trace([m, grad], feed_dict={x: [[1.0, 2.0], [3.0, 4.0]]}).svg()
    sizes = {float(s) for s in re.findall(r'font-size="([\d.]+)"', svg)}
    assert sizes and min(sizes) >= 12, sizes
    assert "∂gradients/Size" not in svg and "scalar" in svg
    shapes_only = tg.trace(m).svg()
    assert min(float(s) for s in re.findall(r'font-size="([\d.]+)"', shapes_only)) >= 12


def test_placeholders_of_unknown_shape_draw_without_values():
    """tf.placeholder(tf.float32) has no shape at all: its node says "shape ?" (drawing it
    raised ValueError from TensorShape.as_list)."""
    a = tg.placeholder(tg.float32, name="a")
    e = (a + 1.0) * a
    svg = tg.trace(e).svg()
    assert "float32 shape ?" in html.unescape(svg) and svg.count('class="node') == 4


def test_trace_draws_a_cond_and_a_loop_as_one_node_per_output():
    x, p, n, total = control_flow_program()
    g = tf.trace(total, feed_dict={x: 2.0, p: False, n: 2})
    assert g.nodes == ["x", "p", "n", "cond/Merge", "while/Const", "while/Const_1",
                       "while/Exit_1", "add"]
    assert g.value("cond/Merge") == 6.0 and g.value("while/Exit_1") == 4.0
    assert g.partial("x", "cond/Merge") == 3.0         # the false branch: 3·x
    assert g.partial("x", "while/Exit_1") == 4.0       # d x²/dx at 2
    assert g.partial("p", "cond/Merge") == 0.0
    assert g.edge("x", "cond/Merge").label == "∂cond/Merge/∂x = ∂(branch taken) = 3"
    assert g.derivative("add", "x") == 7.0
    assert sum(path.product for path in g.paths("x", "add")) == 7.0
    assert [s.value for s in g.reverse_mode() if s.node == "x"] == [7.0]
    assert g.forward_mode("x")[-1].value == 7.0
    svg = g.svg()
    assert "Merge" in svg and "Exit_1" in svg and "branch taken" in svg


def test_trace_without_values_and_of_a_gradient_program():
    x, p, n, total = control_flow_program()
    g = tf.trace(total)
    assert g.nodes == ["x", "p", "n", "cond/Merge", "while/Const", "while/Const_1",
                       "while/Exit_1", "add"]
    assert ("cond/Merge", "add") in [(e.src, e.dst) for e in g.edges]
    assert "branch taken" in g.edge("x", "cond/Merge").label
    g.svg()
    slope = tf.gradients(total, x)[0]
    traced = tf.trace(slope, feed_dict={x: 2.0, p: True, n: 3})
    assert traced.value(traced.output) == pytest.approx(4.0 + 12.0)
    with pytest.raises(NotImplementedError, match="second derivative"):
        traced.derivative(traced.output, "x")
    traced.svg()
    tf.get_default_graph()._repr_mimebundle_()     # the whole program: drawn, not failing


def control_flow_program():
    x = tf.placeholder(tf.float32, shape=(), name="x")
    p = tf.placeholder(tf.bool, shape=(), name="p")
    n = tf.placeholder(tf.int32, shape=(), name="n")
    y = tf.cond(p, lambda: x * x, lambda: x * 3.0)
    _, z = tf.while_loop(lambda i, a: i < n, lambda i, a: (i + 1, a * x), [0, 1.0])
    return x, p, n, y + z
