"""The teaching model: the expression whitelist, naming and folding, ``at``, the local partials and
Jacobians on the edges, paths, and the steps of each mode — all without pictures or widgets."""

import re
import time

import numpy as np
import pytest

import teachgrad as tg
import teachgrad.teaching.graph
from teachgrad.teaching import expressions, steps
from teachgrad import ops
from teachgrad.errors import ExpressionError, UnknownNodeError
from teachgrad.testing import numerical_vjp

SEED = "e = (a + b) * (b + 1)"
EXPRESSION_OPS = [p for p in ops.REGISTRY.values() if p.expression]


def seed():
    return tg.trace(SEED, a=2, b=1)


# --- The whitelist: every family of rejected syntax, with where it is ---

REJECTED = [   # (source, what the message must say, line, column)
    ("e = a.b", "attribute access not allowed", 1, 5),
    ("e = a.sin(b)", "attribute access not allowed: call the math functions by their bare", 1, 5),
    ("e = a[0]", "subscripts not allowed", 1, 5),
    ("e = lambda: a", "lambdas not allowed", 1, 5),
    ("e = (lambda: 1)()", "calling this not allowed", 1, 5),
    ("e = [x for x in a]", "comprehensions not allowed", 1, 5),
    ("e = {x for x in a}", "comprehensions not allowed", 1, 5),
    ("e = {x: 1 for x in a}", "comprehensions not allowed", 1, 5),
    ("e = sin(x for x in a)", "comprehensions not allowed", 1, 8),
    ("e = a if b else 1", "conditional expressions not allowed", 1, 5),
    ("if a: e = a", "if statements not allowed", 1, 1),
    ("e = a < b", "comparisons not allowed", 1, 5),
    ("e = a == b", "comparisons not allowed", 1, 5),
    ("e = a and b", "and/or not allowed", 1, 5),
    ("e = a or b", "and/or not allowed", 1, 5),
    ("import os", "imports not allowed", 1, 1),
    ("from os import path", "imports not allowed", 1, 1),
    ("for i in a: pass", "loops not allowed", 1, 1),
    ("while a: pass", "loops not allowed", 1, 1),
    ("def f(): pass", "function definitions not allowed", 1, 1),
    ("class A: pass", "class definitions not allowed", 1, 1),
    ("e = (y := a)", ":= not allowed", 1, 6),
    ("e = sin(*a)", "sin() takes plain arguments only", 1, 5),
    ("e = sin(a, k=1)", "sin() takes plain arguments only", 1, 5),
    ("e = [a]", "lists not allowed", 1, 5),
    ("e = [*a]", "lists not allowed", 1, 5),
    ("e = (a, b)", "tuples not allowed", 1, 5),
    ("e = {a: 1}", "dicts not allowed", 1, 5),
    ("e = {a}", "sets not allowed", 1, 5),
    ("e = f'{a}'", "f-strings not allowed", 1, 5),
    ("a += 1", "augmented assignment (+=) not allowed", 1, 1),
    ("x: int = 3", "annotations not allowed", 1, 1),
    ("del a", "del not allowed", 1, 1),
    ("with a: pass", "with not allowed", 1, 1),
    ("try:\n    pass\nexcept Exception:\n    pass", "try not allowed", 1, 1),
    ("raise a", "raise not allowed", 1, 1),
    ("return a", "return not allowed", 1, 1),
    ("global a", "global not allowed", 1, 1),
    ("assert a", "assert not allowed", 1, 1),
    ("e = yield a", "yield not allowed", 1, 5),
    ("await a", "await not allowed", 1, 1),
    ("e = q + a", "unknown name 'q': give it a value (e.g. q=1.0) or assign it on an earlier "
                  "line; known names: a, b", 1, 5),
    ("c = d + a\nd = b * 2", "unknown name 'd'", 1, 5),
    ("e = sin(a, b)", "sin() takes 1 argument, got 2", 1, 5),
    ("e = maximum(a)", "maximum() takes 2 arguments, got 1", 1, 5),
    ("e = foo(a)", "'foo' is not an allowed function: expected one of sin, cos", 1, 5),
    ("e = eval(a)", "'eval' is not an allowed function", 1, 5),
    ("e = a(b)", "'a' is not an allowed function", 1, 5),
    ("a = b + 1", "'a' is an input; assign to a new name instead", 1, 1),
    ("sin = a", "'sin' is a function; it cannot be assigned to", 1, 1),
    ("e = sin", "'sin' is a function: call it, e.g. sin(x)", 1, 5),
    ("e = a\ne = b", "'e' is assigned twice", 2, 1),
    ("a + b\ne = a", "a bare expression may only be the last line", 1, 1),
    ("e, f = a, b", "only simple assignments like 'c = a + b' are allowed", 1, 1),
    ("e = f = a", "only simple assignments", 1, 1),
    ("e = a // b", "operator '//' not allowed: use + - * / ** or @", 1, 5),
    ("e = a % b", "operator '%' not allowed", 1, 5),
    ("e = a << b", "operator '<<' not allowed", 1, 5),
    ("e = ~a", "only unary minus and plus are allowed", 1, 5),
    ("e = not a", "only unary minus and plus are allowed", 1, 5),
    ("e = 'x' + a", "'x' is not a number", 1, 5),
    ("e = True + a", "True is not a number", 1, 5),
    ("e = None", "None is not a number", 1, 5),
    ("e = 1j * a", "1j is not a number", 1, 5),
    ("e = a *", "syntax error: invalid syntax", 1, 8),
]


@pytest.mark.parametrize("source, message, line, col", REJECTED,
                         ids=[r[0].split("\n")[0] for r in REJECTED])
def test_the_whitelist_rejects_with_a_message_that_says_what_and_where(source, message, line,
                                                                       col):
    with pytest.raises(ExpressionError) as info:
        tg.trace(source, a=2.0, b=1.0)
    assert message in str(info.value)
    assert (info.value.line, info.value.col) == (line, col)
    assert str(info.value).endswith(f"(line {line}, column {col})")
    with pytest.raises(ExpressionError, match=re.escape(message)):   # parsing alone rejects it
        expressions.parse(source, ["a", "b"])


def test_a_rejected_line_stops_everything_before_anything_runs():
    # Line 1 alone would fail while running (matmul of two scalars); the whitelist rejects line 2
    # first, so nothing ran.
    with pytest.raises(ExpressionError, match="attribute access"):
        tg.trace("c = a @ b\nd = c.real", a=1.0, b=2.0)
    with pytest.raises(tg.ShapeError):
        tg.trace("c = a @ b", a=1.0, b=2.0)


@pytest.mark.parametrize("source, inputs, message", [
    ("", {}, "the expression is empty"),
    ("  \n  ", {}, "the expression is empty"),
    ("3", {}, "the expression is just a number"),
    ("e = 2 + 3", {}, "this line computes only numbers"),
    ("e = a", {"a": 1}, "'e = …' only copies another node"),
    ("c = a * b\nd = c", {"a": 1, "b": 2}, "'d = …' only copies another node"),
    ("e = a", {"a": 1, "b": 2}, "input b not used by the expression (it mentions a)"),
    ("e = 3", {"a": 1, "b": 2}, "inputs a, b not used"),
    ("e = a * 2", {"1a": 1}, "input name '1a' is not a valid name"),
    ("e = sin(a)", {"sin": 1, "a": 2}, "input name 'sin' is a function's name"),
    ("e = a * 2", {"a": "x"}, "input a has dtype <U1: expected real numbers"),
    ("e = a * 2", {"a": 1j}, "input a has dtype complex128"),
    ("e = a * 2", {"a": [[1], [1, 2]]}, "is not a number or an array"),
])
def test_text_that_parses_but_cannot_make_a_graph(source, inputs, message):
    with pytest.raises(ExpressionError, match=re.escape(message)):
        tg.trace(source, **inputs)


def test_trace_of_something_that_is_neither_text_nor_function():
    with pytest.raises(TypeError, match="source is a int; expected the text"):
        tg.trace(1)
    with pytest.raises(TypeError, match="make a Graph with teachgrad.trace"):
        teachgrad.teaching.graph.Graph()     # (tg.Graph is TensorFlow 1's program graph)


def test_trace_of_a_function_checks_its_parameters_and_result():
    with pytest.raises(ExpressionError, match=r"<lambda> takes \(a\); missing values for a; "
                                              "unknown inputs b"):
        tg.trace(lambda a: a * 2, b=1)
    with pytest.raises(ExpressionError, match="returned no tensor"):
        tg.trace(lambda a: 3, a=1)
    with pytest.raises(tg.errors.ConcretizationError, match=r"tg\.sin\(x\) instead of np\.sin"):
        tg.trace(np.sin, x=1)                        # a ufunc: its other parameters have defaults
    g = tg.trace(lambda a, b: (a + b) * (b + 1), a=2, b=1)
    assert g.nodes == ["a", "b", "c", "d", "e"] and float(g.value("e")) == 6.0


@pytest.mark.parametrize("source, names", [
    (SEED, ["a", "b"]),
    ("c = a + b\nd = b + 1\ne = c * d", ["a", "b"]),
    ("y = sin(k) * x + k", ["k", "x"]),
    ("x = 3\ny = x * a", ["a"]),
    ("maximum(b, a) - a", ["b", "a"]),
])
def test_mentioned_names_are_the_inputs_in_order_of_first_use(source, names):
    assert expressions.mentioned_names(source) == names
    values = {n: 0.5 for n in names}
    assert tg.trace(source, **values).inputs[-len(names):] == names   # trace agrees


@pytest.mark.parametrize("source, message", [
    ("y = x.real", "attribute access not allowed"),
    ("y = x *", "syntax error"),
    ("c = e + 1\ne = a * 2", "'e' is used before it is assigned"),
    ("e = e * 2", "'e' is used before it is assigned"),
    ("sin = x", "'sin' is a function"),
])
def test_mentioned_names_checks_the_text(source, message):
    with pytest.raises(ExpressionError, match=re.escape(message)):
        expressions.mentioned_names(source)


# --- Naming and folding ---

@pytest.mark.parametrize("source", [SEED, "c = a + b\nd = b + 1\ne = c * d",
                                    "c = a + b; d = b + 1; e = c * d"])
def test_the_seed_graph_has_exactly_five_nodes_with_constants_folded(source):
    g = tg.trace(source, a=2, b=1)
    assert g.nodes == ["a", "b", "c", "d", "e"]
    assert g.inputs == ["a", "b"] and g.outputs == ["e"] and len(g) == 5
    assert [g.formula(n) for n in g.nodes] == ["a", "b", "c = a + b", "d = b + 1", "e = c·d"]
    assert [float(g.value(n)) for n in g.nodes] == [2.0, 1.0, 3.0, 2.0, 6.0]
    d = g.node("d")
    assert d.inputs == ["b"] and d.args == ["b", "1"]     # the 1 is folded, not a node
    assert [(e.src, e.dst) for e in g.edges] == [("a", "c"), ("b", "c"), ("b", "d"), ("c", "e"),
                                                 ("d", "e")]
    assert [e.label for e in g.edges] == ["∂c/∂a = 1", "∂c/∂b = 1", "∂d/∂b = 1", "∂e/∂c = d = 2",
                                          "∂e/∂d = c = 3"]
    assert [g.level(n) for n in g.nodes] == [0, 0, 1, 1, 2] and g.depth == 3


def test_unnamed_intermediates_take_the_next_free_letters():
    g = tg.trace("y = sin(a) * b + a", a=1, b=2)
    assert [g.formula(n) for n in g.nodes] == ["a", "b", "c = sin(a)", "d = c·b", "y = d + a"]
    g = tg.trace("e = (c + a) * a", c=1, a=2)      # c is taken by an input: b is next free
    assert g.nodes == ["c", "a", "b", "e"]


def test_after_the_alphabet_intermediates_are_t1_t2():
    names = [chr(ord("a") + i) for i in range(25)]          # a … y
    g = tg.trace("out = " + " + ".join(names), **{n: 1 for n in names})
    assert g.nodes[25:] == ["z"] + [f"t{i}" for i in range(1, 23)] + ["out"]
    assert float(g.value("out")) == 25.0


def test_numbers_fold_and_a_reused_input_makes_one_edge():
    g = tg.trace("e = a * -2 + b * (1 + 2)", a=2, b=1)
    assert [g.formula(n) for n in g.nodes] == ["a", "b", "c = a·−2", "d = b·3", "e = c + d"]
    assert float(g.partial("a", "c")) == -2.0 and float(g.partial("b", "d")) == 3.0
    g = tg.trace("e = a * a", a=2)
    assert g.node("e").inputs == ["a"] and g.node("e").args == ["a", "a"]
    assert [e.label for e in g.edges] == ["∂e/∂a = a + a = 4"]   # both positions summed


def test_an_assigned_number_is_an_input_and_inputs_may_be_tensors():
    g = tg.trace("x = 3\ny = x * a", a=2)
    assert g.inputs == ["x", "a"] and float(g.value("x")) == 3.0 and float(g.value("y")) == 6.0
    g = tg.trace("e = +a * 2", a=tg.constant(2.0))      # float32 in, float64 in the model
    assert g.nodes == ["a", "e"] and g.value("e").dtype == np.float64


def test_node_edge_and_path_objects():
    g = seed()
    e = g.node("e")
    assert e.written_with(["3", "2"]) == "3·2" and g.node("a").written_with([]) == "a"
    assert repr(e) == "<Node e = c·d = 6>" and not e.is_input and g.node("a").is_input
    assert g.edge("c", "e").symbol == "∂e/∂c"
    assert repr(g.edge("c", "e")) == "<Edge c -> e: ∂e/∂c = d = 2>"
    assert g.consumers("b") == ["c", "d"] and g.upstream("d") == {"b", "d"}
    assert repr(g) == "<Graph 'e = (a + b) * (b + 1)' at a=2, b=1: 5 nodes a, b, c, d, e>"
    assert "a" in g and "z" not in g


UNKNOWN_NODE_CALLS = {
    "node": lambda g: g.node("z"), "value": lambda g: g.value("z"),
    "formula": lambda g: g.formula("z"), "level": lambda g: g.level("z"),
    "consumers": lambda g: g.consumers("z"), "upstream": lambda g: g.upstream("z"),
    "edge": lambda g: g.edge("z", "e"), "partial": lambda g: g.partial("a", "z"),
    "derivative": lambda g: g.derivative("z", "a"),
    "count_paths": lambda g: g.count_paths("a", "z"),
    "paths": lambda g: g.paths("z", "e"), "forward_mode": lambda g: g.forward_mode("z"),
    "reverse_mode": lambda g: g.reverse_mode("z"), "steps": lambda g: g.steps("forward", wrt="z"),
}


@pytest.mark.parametrize("call", sorted(UNKNOWN_NODE_CALLS))
def test_every_unknown_node_raises_unknown_node_error(call):
    with pytest.raises(UnknownNodeError, match="no node 'z' in the graph: expected one of "
                                               "a, b, c, d, e") as info:
        UNKNOWN_NODE_CALLS[call](seed())
    assert isinstance(info.value, KeyError) and isinstance(info.value, ValueError)


def test_an_edge_that_is_not_there_is_a_key_error_that_says_why():
    with pytest.raises(KeyError, match="no edge a -> e: e does not use a directly") as info:
        seed().edge("a", "e")
    assert not isinstance(info.value, UnknownNodeError)


# --- at ---

def test_at_is_the_same_graph_at_other_values_and_leaves_the_first_alone():
    g = seed()
    h = g.at(b=2)
    assert h.nodes == g.nodes and float(h.value("a")) == 2.0
    assert float(h.value("e")) == 12.0 and float(h.derivative("e", "b")) == 7.0
    assert float(g.value("e")) == 6.0                        # unchanged
    f = tg.trace(lambda x: tg.sin(x) * x, x=0.5).at(x=1.0)
    assert float(f.value(f.output)) == pytest.approx(np.sin(1.0))
    with pytest.raises(ExpressionError, match=r"z: not an input of this graph \(its inputs are "
                                              r"a, b\)"):
        g.at(z=1)


# --- Partials and Jacobians on the edges, against NumPy ---

def jacobian_of_linear(f, x):
    """The Jacobian of a linear NumPy function at x: one column per basis vector."""
    x = np.asarray(x, dtype=float)
    cols = []
    for k in range(x.size):
        basis = np.zeros(x.size)
        basis[k] = 1.0
        cols.append(np.ravel(f(basis.reshape(x.shape))))
    return np.array(cols).T


def test_matmul_edges_carry_the_jacobians():
    W = np.arange(6.0).reshape(2, 3)
    x = np.array([[1.0], [-2.0], [0.5]])
    g = tg.trace("y = W @ x", W=W, x=x)
    np.testing.assert_array_equal(g.partial("W", "y"), jacobian_of_linear(lambda w: w @ x, W))
    np.testing.assert_array_equal(g.partial("x", "y"), jacobian_of_linear(lambda v: W @ v, x))
    assert g.partial("W", "y").shape == (2, 6)
    assert g.edge("W", "y").label == "∂y/∂W = ḡ ↦ ḡ·xᵀ  [2×6 Jacobian]"
    assert g.edge("x", "y").label == "∂y/∂x = ḡ ↦ Wᵀ·ḡ  [2×3 Jacobian]"
    np.testing.assert_allclose(g.derivative("y", "x"), W.sum(axis=0).reshape(3, 1))


def test_a_jacobian_too_big_to_hold_is_left_out_but_named():
    g = tg.trace("y = W @ x", W=np.ones((200, 100)), x=np.ones((100, 60)))
    assert g.partial("W", "y") is None and g.partial("x", "y") is None
    assert g.edge("W", "y").label == "∂y/∂W = ḡ ↦ ḡ·xᵀ  [12000×20000 Jacobian]"
    np.testing.assert_array_equal(g.derivative("y", "x"), np.full((100, 60), 200.0))


@pytest.mark.parametrize("axis", [None, 0, 1])
def test_reduce_sum_and_reduce_mean_edges_carry_the_jacobians(axis):
    a = np.arange(6.0).reshape(2, 3) - 2.5
    g = tg.trace(lambda a: tg.reduce_sum(a, axis=axis), a=a)
    np.testing.assert_array_equal(g.partial("a", g.output),
                                  jacobian_of_linear(lambda v: np.sum(v, axis=axis), a))
    g = tg.trace(lambda a: tg.reduce_mean(a * a, axis=axis), a=a)
    square, mean = g.nodes[1], g.output
    np.testing.assert_allclose(g.partial(square, mean),
                               jacobian_of_linear(lambda v: np.mean(v, axis=axis), a))
    np.testing.assert_array_equal(g.partial("a", square), 2 * a)   # element-wise: the diagonal
    assert g.edge("a", square).formula == "diag(a + a)  [6×6 Jacobian]"
    np.testing.assert_allclose(g.derivative(mean, "a"),
                               2 * a / (a.size if axis is None else a.shape[axis]))


def test_element_wise_edges_on_arrays_are_the_diagonals():
    x = np.array([0.0, 0.5, 1.0])
    g = tg.trace("y = sin(x) * x", x=x)
    assert g.nodes == ["x", "a", "y"]
    np.testing.assert_allclose(g.partial("x", "a"), np.cos(x))
    np.testing.assert_allclose(g.partial("x", "y"), np.sin(x))
    np.testing.assert_allclose(g.partial("a", "y"), x)
    assert g.edge("x", "a").label == "∂a/∂x = diag(cos(x))  [3×3 Jacobian]"
    np.testing.assert_allclose(g.derivative("y", "x"), np.cos(x) * x + np.sin(x))


# --- Paths ---

def ladder(x, rungs):
    for _ in range(rungs):
        x = tg.sin(x) + tg.cos(x)       # two paths through every rung
    return x


def test_count_paths_counts_two_to_the_forty_paths_instantly():
    g = tg.trace(lambda x: ladder(x, 40), x=0.1)
    assert len(g) == 1 + 3 * 40
    start = time.perf_counter()
    assert g.count_paths("x", g.output) == 2 ** 40
    assert time.perf_counter() - start < 0.1
    with pytest.raises(ValueError, match=f"{2 ** 40} paths from x to {g.output}: too many"):
        g.paths("x", g.output)


def test_paths_are_every_path_and_their_products_sum_to_the_derivative():
    g = tg.trace(lambda x: ladder(x, 5), x=0.1)
    paths = g.paths("x", g.output)
    assert len(paths) == g.count_paths("x", g.output) == 32
    assert len({p.nodes for p in paths}) == 32
    assert all(p.nodes[0] == "x" and p.nodes[-1] == g.output for p in paths)
    assert sum(p.product for p in paths) == pytest.approx(float(g.derivative(g.output, "x")))
    s = seed()
    assert [p.text for p in s.paths("b", "e")] == ["b → c → e: 1·2 = 2", "b → d → e: 1·3 = 3"]
    assert s.paths("b", "e")[0].edges == [("b", "c"), ("c", "e")]
    assert repr(s.paths("a", "e")[0]) == "<Path a → c → e: 1·2 = 2>"
    assert s.count_paths("e", "a") == 0 and s.paths("e", "a") == []
    assert s.count_paths("a", "a") == 1


# --- Steps (steps.py, reached through Graph's methods) ---

def test_steps_of_each_mode_on_the_seed():
    g = seed()
    assert [s.text for s in g.value_steps()] == [
        "a = 2", "b = 1", "c = a + b = 2 + 1 = 3", "d = b + 1 = 1 + 1 = 2", "e = c·d = 3·2 = 6"]
    assert [s.text for s in g.forward_mode("a")] == [
        "ȧ = 1 (seed: da/da)", "ḃ = 0 (b does not change with a)",
        "ċ = ∂c/∂a·ȧ + ∂c/∂b·ḃ = 1·1 + 1·0 = 1", "ḋ = ∂d/∂b·ḃ = 1·0 = 0",
        "ė = ∂e/∂c·ċ + ∂e/∂d·ḋ = 2·1 + 3·0 = 2"]
    # Seeded inside the graph, reverse mode still walks every level from the top.
    assert [s.text for s in g.reverse_mode("c")] == [
        "ē = 0 (c does not depend on e)", "c̄ = 1 (seed: dc/dc)", "d̄ = 0 (c does not depend on d)",
        "ā = ∂c/∂a·c̄ = 1·1 = 1", "b̄ = ∂c/∂b·c̄ = 1·1 = 1"]
    assert [s.kind for s in g.reverse_mode()] == ["seed"] + ["compute"] * 4
    assert [s.reads for s in g.reverse_mode()][-1] == [("b", "c"), ("b", "d")]


def test_steps_agree_with_the_engine_and_the_delegates_with_steps_py():
    g = tg.trace("y = sin(a) * b + exp(a * b)", a=0.3, b=0.7)
    for x in g.inputs:
        assert float(g.forward_mode(x)[-1].value) == pytest.approx(float(g.derivative("y", x)))
    adjoint = {s.node: float(s.value) for s in g.reverse_mode()}
    assert adjoint == pytest.approx({x: float(g.derivative("y", x)) for x in g.nodes})
    for mode in ("values", "forward", "reverse"):
        mine = [(s.index, s.node, s.text) for s in g.steps(mode)]
        assert mine == [(s.index, s.node, s.text) for s in steps.of_mode(g, mode)]
        assert [i for i, _, _ in mine] == list(range(len(g)))


def test_cost_counts_the_multiply_adds_the_steps_do():
    g = seed()
    assert (g.cost("forward"), g.cost("reverse")) == (10, 5)
    assert sum(sum(s.madds for s in g.forward_mode(x)) for x in g.inputs) == g.cost("forward")
    assert sum(s.madds for s in g.reverse_mode()) == g.cost("reverse")
    with pytest.raises(ValueError, match="mode 'values': expected 'forward' or 'reverse'"):
        g.cost("values")
    with pytest.raises(ValueError, match="mode 'x' not understood"):
        g.steps("x")


def test_step_is_still_reachable_from_graph():
    from teachgrad.teaching.graph import Step
    assert Step is steps.Step and type(seed().value_steps()[0]) is Step


# --- Every function an expression may call ---

POINT = {"a": 0.3, "b": 0.7}     # away from every kink: a < b, both positive


@pytest.mark.parametrize("prim", EXPRESSION_OPS, ids=[p.function for p in EXPRESSION_OPS])
def test_every_expression_function_traces_and_labels_its_edges(prim):
    args = list(POINT)[:prim.n_inputs]
    g = tg.trace(f"e = {prim.function}({', '.join(args)})", **{x: POINT[x] for x in args})
    assert g.nodes == args + ["e"] and g.node("e").op is prim
    values = [POINT[x] for x in args]
    for i, x in enumerate(args):
        label = g.edge(x, "e").label
        match = re.fullmatch(rf"∂e/∂{x} = (.+) = ([−-]?[0-9.e−-]+)", label)
        assert match, label
        assert re.search(rf"(?<![A-Za-z_]){x}(?![A-Za-z_0-9])", match.group(1)), label  # names x
        slope = float(numerical_vjp(prim.impl, values, g=1.0, argnums=[i])[0])
        assert float(match.group(2).replace("−", "-")) == pytest.approx(slope, rel=1e-3, abs=1e-4)
        assert float(g.partial(x, "e")) == pytest.approx(slope, rel=1e-6, abs=1e-8)

