"""The graph of a TensorFlow-1 program (issue 12): ``tg.trace(fetches, feed_dict=..., session=...)``.

The hinge-loss model of lecture 3 (data and labels as placeholders, W and b as variables) is the
running example; its numbers were checked against TensorFlow 2.21's ``tensorflow.compat.v1``:
loss 0.7125, ∂loss/∂W = [[-0.375], [-0.625]], ∂loss/∂b = 0.25 at the values below.
"""

import html
import re

import numpy as np
import pytest

import teachgrad as tg
from teachgrad.errors import NoValueError, UnknownNodeError
from teachgrad.teaching import graph as tgraph

X = np.array([[1.0, 2.0], [2.0, -1.0], [-1.0, -2.0], [0.5, 1.5]])
Y = np.array([[1.0], [1.0], [-1.0], [-1.0]])
TF_LOSS, TF_GRAD_W, TF_GRAD_B = 0.7125, [[-0.375], [-0.625]], 0.25   # tensorflow.compat.v1


class Hinge:
    """loss = reduce_mean(maximum(0, 1 - labels * (data @ W + b))), W and b in scope model."""

    def __init__(self, batch=4):
        self.data = tg.placeholder(tg.float32, shape=(batch, 2), name="data")
        self.labels = tg.placeholder(tg.float32, shape=(batch, 1), name="labels")
        with tg.variable_scope("model"):
            self.W = tg.Variable([[1.0], [-0.5]], name="W")
            self.b = tg.Variable(0.1, name="b")
            margins = tg.matmul(self.data, self.W) + self.b
        self.loss = tg.reduce_mean(tg.maximum(0.0, 1 - self.labels * margins))
        self.feed = {self.data: X, self.labels: Y}

    def session(self):
        sess = tg.Session()
        sess.run(tg.global_variables_initializer())
        return sess

    def gradients(self):
        return tg.gradients(self.loss, [self.W, self.b])


@pytest.fixture
def hinge():
    return Hinge()


def edge_labels(svg):
    """The text of every edge label of a picture, in order."""
    return [" ".join(re.findall(r">([^<]*)</text>", group))
            for group in re.findall(r'<g id="edge\d+" class="edge[^"]*">(.*?)</g>', svg, re.S)]


# --- structure -------------------------------------------------------------------------------

def test_nodes_are_the_needed_ops_named_with_their_scopes(hinge):
    g = tg.trace(hinge.loss)
    assert g.nodes == ["data", "labels", "model/W", "model/b", "model/MatMul", "model/add",
                       "mul", "sub/x", "sub", "Maximum/x", "Maximum", "Mean"]    # as TF 1 names them
    assert g.inputs == ["data", "labels", "model/W", "model/b"]
    assert g.outputs == ["Mean"] and g.output == "Mean"
    # the initializers and their constants are not needed by the loss
    assert not any("Assign" in n or "initial" in n for n in g.nodes)
    assert g.node("model/MatMul").inputs == ["data", "model/W"]
    roots = [n for n in g.nodes if g.node(n).is_input]
    assert roots == ["data", "labels", "model/W", "model/b", "sub/x", "Maximum/x"]


def test_node_of_gives_a_tensors_node(hinge):
    g = tg.trace(hinge.loss)
    assert g.node_of(hinge.W) == "model/W"
    assert g.node_of(hinge.loss) == g.node_of(hinge.loss.op) == "Mean"
    with pytest.raises(UnknownNodeError, match="is not a node of this graph"):
        g.node_of(tg.constant(1.0))


def test_fetches_can_be_an_operation_or_a_list_and_fed_tensors_stop_the_walk(hinge):
    margins = hinge.loss.inputs[0].inputs[1]          # 1 - labels * (...)
    g = tg.trace([hinge.loss, margins], feed_dict={margins: np.ones((4, 1))})
    assert g.nodes == ["sub", "Maximum/x", "Maximum", "Mean"]
    assert g.inputs == ["sub"] and g.outputs == ["Mean", "sub"]
    assert float(g.value("Mean")) == 1.0
    init = tg.global_variables_initializer()
    assert "model/W/Assign" in tg.trace(init).nodes


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


def test_a_feed_that_leaves_a_placeholder_out_names_it(hinge):
    with pytest.raises(NoValueError, match="no value for placeholder labels .*variables model/W, "
                                           "model/b"):
        tg.trace(hinge.loss, feed_dict={hinge.data: X})
    with pytest.raises(ValueError, match="Cannot feed value of shape"):
        tg.trace(hinge.loss, feed_dict={hinge.data: X[:2], hinge.labels: Y},
                 session=hinge.session())


# --- values and derivatives ------------------------------------------------------------------

def test_values_and_derivatives_equal_a_session_running_tf_gradients(hinge):
    sess = hinge.session()
    grad_w, grad_b = hinge.gradients()
    want = sess.run([hinge.loss, grad_w, grad_b], hinge.feed)
    g = tg.trace(hinge.loss, feed_dict=hinge.feed, session=sess)
    assert g.has_values and g.needs == []
    assert np.isclose(g.value("Mean"), want[0]) and np.isclose(g.value("Mean"), TF_LOSS)
    assert np.allclose(g.derivative("Mean", "model/W"), want[1])
    assert np.allclose(g.derivative("Mean", "model/W"), TF_GRAD_W)
    assert np.isclose(g.derivative("Mean", "model/b"), TF_GRAD_B)
    assert g.value("model/MatMul").dtype == np.float64   # the teaching model computes in float64
    assert g.partial("model/W", "model/MatMul").shape == (4, 2)     # a Jacobian, on demand


def test_variables_can_be_fed_instead_of_read_from_a_session(hinge):
    feed = {**hinge.feed, hinge.W: [[1.0], [-0.5]], hinge.b: 0.1}
    g = tg.trace(hinge.loss, feed_dict=feed)
    assert np.isclose(g.value("Mean"), TF_LOSS)
    moved = g.at(**{"model/b": 0.6})
    sess = hinge.session()
    sess.run(hinge.b.assign(0.6))
    assert np.isclose(moved.value("Mean"), sess.run(hinge.loss, hinge.feed))


def seed_program():
    a = tg.placeholder(tg.float32, shape=(), name="a")
    b = tg.placeholder(tg.float32, shape=(), name="b")
    e = (a + b) * (b + 1.0)
    return a, b, e


def test_a_scalar_program_has_the_seed_graphs_paths_and_steps():
    a, b, e = seed_program()
    g = tg.trace(e, feed_dict={a: 2.0, b: 1.0})
    assert g.nodes == ["a", "b", "add", "add_1/y", "add_1", "mul"]
    assert float(g.derivative("mul", "a")) == 2.0 and float(g.derivative("mul", "b")) == 5.0
    paths = g.paths("b", "mul")
    assert [p.nodes for p in paths] == [("b", "add", "mul"), ("b", "add_1", "mul")]
    assert sum(p.product for p in paths) == g.derivative("mul", "b")
    assert [s.text for s in g.value_steps()][-1] == "mul = add·add_1 = 3·2 = 6"
    reverse = g.reverse_mode()
    assert reverse[-1].text == "b̄ = ∂add/∂b·add̄ + ∂add_1/∂b·add_1̄ = 1·2 + 1·3 = 5"
    with tg.Session() as sess:
        assert [float(s.value) for s in reverse if s.node in ("a", "b")] == \
            [float(v) for v in sess.run(tg.gradients(e, [a, b]), {a: 2.0, b: 1.0})]
    assert [float(s.value) for s in g.forward_mode("b")][-1] == 5.0
    assert g.edge("add", "mul").label == "∂mul/∂add = add_1 = 2"


def test_reverse_mode_steps_end_at_the_gradient_written_in_matrix_form(hinge):
    sess = hinge.session()
    want_w, want_b = sess.run(hinge.gradients(), hinge.feed)
    g = tg.trace(hinge.loss, feed_dict=hinge.feed, session=sess)
    steps = g.reverse_mode()
    assert [s.node for s in steps[-2:]] == ["model/W", "model/b"]
    assert np.allclose(steps[-2].value, want_w) and np.isclose(steps[-1].value, want_b)
    text = {s.node: s.text for s in steps}
    assert text["model/W"] == ("model/W̄ = dataᵀ·model/MatMul̄ = [4×2]ᵀ·[4×1] = "
                               "shape (2, 1)  [−0.375, −0.625]")
    assert text["model/b"] == "model/b̄ = Σ(model/add̄) = Σ([4×1]) = 0.25"
    assert text["Maximum"].startswith("Maximum̄ = broadcast(Mean̄) / 4 = broadcast(1) / 4")
    assert text["data"].startswith("datā = model/MatMul̄·model/Wᵀ = [4×1]·[2×1]ᵀ")
    forward = {s.node: s.text for s in g.forward_mode("model/b")}
    assert forward["model/MatMul"].startswith("model/MatMul̇ = datȧ·model/W + data·model/Ẇ")


def test_stateful_ops_are_evaluated_once():
    x = tg.placeholder(tg.float64, shape=(3,), name="x")
    noise = tg.random_normal((3,), dtype=tg.float64, seed=1)
    w = tg.Variable(np.zeros(3), name="w")
    step = tg.assign_add(w, x + noise)
    g = tg.trace(step, feed_dict={x: [1.0, 2.0, 3.0], w: [1.0, 1.0, 1.0]})
    assert np.allclose(g.value("add"), g.value("x") + g.value(g.node_of(noise)))
    assert np.allclose(g.value(g.node_of(step)), 1.0 + g.value("add"))
    assert ("w", g.node_of(step), "ref") in g.program.extra_edges


def test_eager_tensors_trace_too(eager):
    x = tg.constant([1.0, 2.0], name="x")
    y = tg.reduce_sum(x * x + x * x)
    g = tg.trace(y)
    assert g.nodes == ["x", "mul", "mul_1", "add", "Sum"] and g.has_values
    assert np.allclose(g.derivative("Sum", "x"), [4.0, 8.0])


# --- pictures --------------------------------------------------------------------------------

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


def test_collapsed_graphs_share_nodes_and_are_remembered():
    with tg.name_scope("s"):
        y = tg.constant(1.0) + 2.0
    g = tg.trace(y)
    shut = g.collapsed(["s"])
    assert shut is g.collapsed("s") and shut.nodes == g.nodes and shut.program.collapse == {"s"}
    assert g.collapsed(None) is g


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


# --- widgets ---------------------------------------------------------------------------------

def test_the_reverse_player_on_the_hinge_model_shows_shapes_on_every_edge(hinge):
    g = tg.trace(hinge.loss, feed_dict=hinge.feed, session=hinge.session())
    player = tg.widgets.PropagationPlayer(g, mode="reverse")
    assert player.n_steps == len(g)
    for k in (1, 6, player.n_steps):
        player.step = k
        labels = edge_labels(player.svg)
        assert len(labels) == len(g.edges)
        assert all(re.fullmatch(r"\d+×\d+|scalar", t) for t in labels), labels
    shown = html.unescape(player.svg).replace("\xa0", " ")
    assert "W̄ = shape (2, 1)  [−0.375, −0.625]" in shown and "b̄ = 0.25" in shown
    assert player.step_text.startswith("step 12 of 12: model/b̄ = Σ(model/add̄)")
    assert "dMean/d(model/W) = model/W̄ = shape (2, 1)  [−0.375, −0.625], " \
           "dMean/d(model/b) = model/b̄ = 0.25." in player.caption.value
    assert "the program fetching Mean at data=[4×2]" in repr(player)
    player.sliders["model/b"].value = 0.6            # the variable's slider re-traces
    assert np.isclose(player.graph.value("model/b"), 0.6)
    page = player.to_html()
    assert page.count('class="tg-frame"') == player.n_steps + 1 and "tg&#45;scope" in page


def test_the_program_explorer_opens_and_closes_scopes_from_python():
    x = tg.placeholder(tg.float32, shape=(None, 2), name="x")
    with tg.name_scope("encoder"):
        h = x
        for _ in range(8):
            h = tg.sigmoid(h * 3.0)          # 3 ops a turn: 24
    with tg.name_scope("head"):
        y = tg.reduce_sum(h)
    explorer = tg.widgets.ProgramExplorer(y)
    assert explorer.collapsed == ("encoder",)
    assert list(explorer.buttons) == ["encoder", "head"]
    assert explorer.buttons["encoder"].description == "▸ encoder (24)"
    assert explorer.svg.count("tg&#45;scope&#45;box") == 1
    explorer.expand("encoder")
    assert explorer.collapsed == () and explorer.buttons["encoder"].description == "▾ encoder (24)"
    assert explorer.svg.count('class="cluster') == 2 and "tg&#45;scope&#45;box" not in explorer.svg
    explorer.buttons["head"].click()                # a click on "▾ head"
    assert explorer.collapsed == ("head",) and "▸ head (1)" == explorer.buttons["head"].description
    explorer.toggle("head")
    explorer.close_all.click()
    assert explorer.collapsed == ("encoder", "head")
    explorer.open_all.click()
    assert explorer.collapsed == ()
    explorer.collapsed = ["encoder"]
    assert explorer.svg == explorer.graph.svg() and "24 ops" in explorer.svg
    assert explorer.to_html().startswith("<!DOCTYPE html>") and "24 ops" in explorer.to_html()
    with pytest.raises(UnknownNodeError):
        explorer.expand("decoder")
    with pytest.raises(TypeError, match="graph of a TF-1 program"):
        tg.widgets.ProgramExplorer(tg.trace("e = a * b", a=1, b=2))


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


def test_the_teaching_graphs_steps_add_nothing_to_the_users_program(hinge):
    """Reverse-mode steps and total derivatives of a teaching graph run on its own copies: the
    program a student lists with get_operations() stays the one they built (it grew by 12
    constants per reverse pass on the hinge model, 5 on the lecture's e = (a + b)·(b + 1))."""
    graph = tg.get_default_graph()
    before = [op.name for op in graph.get_operations()]
    with hinge.session() as sess:
        program = tg.trace(hinge.loss, feed_dict=hinge.feed, session=sess)
    program.reverse_mode()
    program.derivative(program.outputs[0], program.node_of(hinge.W))
    text = tg.trace("e = (a + b) * (b + 1)", a=2, b=1)
    text.reverse_mode()
    text.derivative("e", "b")
    after = [op.name for op in graph.get_operations()]
    assert after[:len(before)] == before and after[len(before):] in ([], ["init"]), after


def test_placeholders_of_unknown_shape_draw_without_values():
    """tf.placeholder(tf.float32) has no shape at all: its node says "shape ?" (drawing it
    raised ValueError from TensorShape.as_list)."""
    a = tg.placeholder(tg.float32, name="a")
    e = (a + 1.0) * a
    svg = tg.trace(e).svg()
    assert "float32 shape ?" in html.unescape(svg) and svg.count('class="node') == 4
