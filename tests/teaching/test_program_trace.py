"""The graph of a TensorFlow-1 program (issue 12): ``tg.trace(fetches, feed_dict=..., session=...)``.

The hinge-loss model of lecture 3 (data and labels as placeholders, W and b as variables) is the
running example; its numbers were checked against TensorFlow 2.21's ``tensorflow.compat.v1``:
loss 0.7125, ∂loss/∂W = [[-0.375], [-0.625]], ∂loss/∂b = 0.25 at the values below.
"""

import re

import numpy as np
import pytest

import teachgrad as tg
from teachgrad.errors import NoValueError, UnknownNodeError

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


# --- collapsed views ---------------------------------------------------------------------------

def test_collapsed_graphs_share_nodes_and_are_remembered():
    with tg.name_scope("s"):
        y = tg.constant(1.0) + 2.0
    g = tg.trace(y)
    shut = g.collapsed(["s"])
    assert shut is g.collapsed("s") and shut.nodes == g.nodes and shut.program.collapse == {"s"}
    assert g.collapsed(None) is g


# --- the user's program -----------------------------------------------------------------------

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
