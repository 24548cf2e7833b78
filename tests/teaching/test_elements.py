"""The teaching graph's elements — a node's text, an edge's partial and its formula, a path's
product — checked against exact values, finite differences and the engine's own derivative
(issue 27's survivors of teaching/elements.py).

The rule of the module: the number on an edge is the number the engine multiplies by, and the
products of every path from x to y sum to dy/dx (for arrays: the gradient of sum(y)).
"""

import numpy as np
import pytest

import teachgrad as tg
from teachgrad.teaching.elements import Edge, Node, Path, make_edge, make_node, partial_formula, \
    path_product, reads


def numeric_jacobian(f, x, eps=1e-6):
    x = np.asarray(x, dtype=float)
    y0 = np.asarray(f(x))
    jac = np.zeros((y0.size, x.size))
    for k in range(x.size):
        dx = np.zeros(x.size)
        dx[k] = eps
        up, down = f(x + dx.reshape(x.shape)), f(x - dx.reshape(x.shape))
        jac[:, k] = (np.ravel(up) - np.ravel(down)) / (2 * eps)
    return jac


def assert_paths_sum_to_the_derivative(g, src, dst):
    paths = g.paths(src, dst)
    assert paths, f"no path {src} -> {dst}"
    total = sum(p.product for p in paths)
    np.testing.assert_allclose(total, g.derivative(dst, src), rtol=1e-6, atol=1e-9)
    assert np.shape(total) == np.shape(g.value(src))
    return total


# --- Path -------------------------------------------------------------------------------------
def test_a_path_without_a_given_product_multiplies_its_factors():
    p = Path(["a", "c", "e"], [2, 3])
    assert p.product == 6 and p.edges == [("a", "c"), ("c", "e")]
    assert p.text == "a → c → e: 2·3 = 6"
    assert Path(["a", "e"], [2.5], product=7).product == 7     # the graph's product wins
    assert Path(["a"], []).product == 1                         # no edge: the empty product


# --- nodes ------------------------------------------------------------------------------------
def test_a_constant_folds_in_as_its_value_or_as_const():
    a, k, v = tg.constant(2.0), tg.constant(3.0), tg.constant([1.0, 2.0])
    e, f = a * k, a * v
    assert make_node(e, {a: "a", e: "e"}).args == ["a", "3"]
    node = make_node(f, {a: "a", f: "f"})
    assert node.args == ["a", "const"] and node.formula == "f = a·const"
    assert node.inputs == ["a"]


def user_op(name, partial=lambda out, x: 3 * x ** 2, formula="3·{0}²", expr=None):
    return tg.ops.elementwise(name, lambda x: x ** 3, partials=(partial,), formulas=(formula,),
                              expr=expr)


def test_a_nodes_text_from_its_ops_expression():
    callable_expr = user_op("cube_text", expr=lambda args: f"cube of {args[0]}")
    broken_expr = user_op("cube_broken", expr="{0} and {1}")       # one input, two places
    g = tg.trace(lambda x: callable_expr(x), x=2.0)
    assert g.node("a").formula == "a = cube of x"
    assert g.node("a").written_with(["5"]) == "cube of 5"
    g = tg.trace(lambda x: broken_expr(x), x=2.0)
    assert g.node("a").formula == "a = cube_broken(x)"            # the op's name and arguments
    two = tg.ops.elementwise("both", lambda x, y: x * y,
                             partials=(lambda out, x, y: y, lambda out, x, y: x),
                             formulas=("{1}", "{0}"), expr="{2}")
    g = tg.trace(lambda x, y: two(x, y), x=2.0, y=3.0)
    assert g.node("a").formula == "a = both(x, y)"


# --- formulas ---------------------------------------------------------------------------------
def test_partial_formulas_written_with_the_nodes_arguments():
    g = tg.trace("e = a * b", a=2, b=3)
    assert (partial_formula(g.node("e"), 0), partial_formula(g.node("e"), 1)) == ("b", "a")
    g = tg.trace("y = x ** 3", x=2.0)
    assert g.edge("x", "y").formula == "3·x²"                     # pow's formula is a function


def test_a_formula_that_cannot_be_written_is_a_question_mark_or_its_raw_text():
    raw = user_op("cube_raw", formula="3·{1}²")                   # refers to a missing argument
    failing = user_op("cube_fail", formula=lambda args: {}["no such argument"])
    not_text = user_op("cube_number", formula=lambda args: 3)
    written = user_op("cube_written", formula=lambda args: f"3·{args[0]}·{args[0]}")
    expected = {raw: "3·{1}²", failing: "?", not_text: "?", written: "3·x·x"}
    for op, formula in expected.items():
        edge = tg.trace(lambda x: op(x), x=2.0).edge("x", "a")
        assert edge.formula == formula
        assert edge.value == 12.0                                  # the number is the partial's
    no_formulas = [n for n in tg.ops.REGISTRY.values() if n.formulas is None]
    assert partial_formula(Node("m", None, no_formulas[0], [], ["x"], "m"), 0) == "?"


# --- edges: element-wise ----------------------------------------------------------------------
def test_an_elementwise_partial_of_none_is_zero_and_an_empty_formula_shows_the_number():
    flat = user_op("cube_none", partial=lambda out, x: None, formula="")
    edge = tg.trace(lambda x: flat(x), x=2.0).edge("x", "a")
    assert edge.value == 0.0 and edge.label == "∂a/∂x = 0"
    edge = tg.trace(lambda x: flat(x), x=np.array([1.0, 2.0])).edge("x", "a")
    assert edge.formula == "[2×2 diagonal Jacobian]"
    np.testing.assert_array_equal(edge.value, [0.0, 0.0])


def test_elementwise_partials_are_floats_and_read_only():
    edge = tg.trace("e = a * b", a=2, b=3).edge("a", "e")
    assert edge.value == 3 and np.asarray(edge.value).dtype.kind == "f"
    g = tg.trace(lambda x, y: x * y, x=np.array([1.0, 2.0]), y=np.array([3.0, 4.0]))
    value = g.partial("x", "a")
    np.testing.assert_array_equal(value, [3.0, 4.0])
    with pytest.raises(ValueError):
        value[0] = 0.0
    assert g.edge("x", "a").formula == "diag(y)  [2×2 Jacobian]"


def test_a_one_element_array_keeps_its_plain_formula_and_a_broadcast_its_shape():
    g = tg.trace(lambda x, b: x * b, x=np.array([2.0]), b=np.array(3.0))
    assert g.edge("x", "a").formula == "b" and g.edge("b", "a").formula == "x"
    g = tg.trace(lambda x, b: x * b, x=np.array([1.0, 2.0, 4.0]), b=np.array(3.0))
    edge = g.edge("b", "a")
    assert edge.formula == "diag(x)  [3×1 Jacobian]"
    np.testing.assert_array_equal(edge.value, [1.0, 2.0, 4.0])
    assert assert_paths_sum_to_the_derivative(g, "b", "a") == pytest.approx(7.0)


def test_an_input_used_twice_sums_its_partials():
    g = tg.trace("y = x * x", x=3.0)
    assert g.edge("x", "y").formula == "x + x" and g.partial("x", "y") == 6.0
    a = tg.constant(2.0)
    e = a * a
    edge = make_edge(make_node(e, {a: "a", e: "e"}), Node("a", a, None, [], [], "a"))
    assert (edge.src, edge.dst, edge.value) == ("a", "e", 4.0)


# --- edges: Jacobians -------------------------------------------------------------------------
def test_a_structural_ops_edge_is_its_local_jacobian_summed_over_positions():
    A = np.array([[1.0, 2.0], [3.0, 4.0]])
    g = tg.trace(lambda A: tg.matmul(A, A), A=A)
    edge = g.edge("A", "a")
    expected = numeric_jacobian(lambda M: M @ M, A)
    np.testing.assert_allclose(edge.value, expected, rtol=1e-6)
    assert " + " in edge.formula and edge.formula.endswith("  [4×4 Jacobian]")
    with pytest.raises(ValueError):
        edge.value[0, 0] = 1.0
    assert_paths_sum_to_the_derivative(g, "A", "a")


def test_the_jacobian_limit_is_a_million_entries():
    g = tg.trace(lambda x: tg.reduce_sum(x), x=np.ones(1_000_000))
    value = g.partial("x", "a")
    assert value.shape == (1, 1_000_000) and value.min() == value.max() == 1.0
    g = tg.trace(lambda x: tg.reduce_sum(x * 2.0), x=np.ones(1_000_001))
    edge = g.edge("a", "b")
    assert edge.value is None and edge.formula.endswith("[1×1000001 Jacobian]")
    # too big to hold: the path's product uses the op's own vector-Jacobian product
    total = assert_paths_sum_to_the_derivative(g, "x", "b")
    assert total.shape == (1_000_001,) and np.all(total == 2.0)


def test_a_number_through_a_cond_is_a_number():
    with tg.Graph().as_default():
        x = tg.placeholder(tg.float32, [], name="x")
        g = tg.trace(tg.cond(x > 0, lambda: x * x, lambda: x), {x: 1.5})
        v = tg.placeholder(tg.float32, [2], name="v")
        h = tg.trace(tg.cond(tg.reduce_sum(v) > 0, lambda: v * 2.0, lambda: v), {v: [1.0, 2.0]})
    edge = g.edge("x", "cond/Merge")
    assert edge.value == 3.0 and np.ndim(edge.value) == 0                    # d(x²) = 2x
    assert edge.label == "∂cond/Merge/∂x = ∂(branch taken) = 3"
    compare = g.edge("x", "Greater")                 # a structural op, not a view: its Jacobian
    assert compare.value.shape == (1, 1) and compare.formula.endswith("[1×1 Jacobian]")
    edge = h.edge("v", "cond_1/Merge")
    np.testing.assert_array_equal(edge.value, 2.0 * np.eye(2))
    assert edge.formula == "∂(branch taken)  [2×2 Jacobian]"
    assert_paths_sum_to_the_derivative(h, "v", "cond_1/Merge")


def test_an_op_without_a_gradient_is_drawn_without_a_number():
    with tg.Graph().as_default():
        x = tg.placeholder(tg.int32, [], name="x")
        y = tg.truncatemod(x, 3)
        g = tg.trace(y, {x: 7})
    edge = [e for e in g.edges if e.src == "x"][0]
    assert edge.value is None and edge.label == f"{edge.symbol} = {edge.formula}"


# --- a TensorFlow-1 variable is drawn with its read ----------------------------------------------
def test_reads_sees_a_variable_through_its_read():
    with tg.Graph().as_default():
        w, u = tg.Variable(2.0, name="w"), tg.Variable(1.0, name="u")
        x = tg.placeholder(tg.float32, [], name="x")
        y = w * x
        assert reads(w.value(), w) and reads(w, w) and reads(x, x)
        assert not reads(w.value(), u) and not reads(x, w) and not reads(u.value(), w)
        g = tg.trace(y)                                  # no session: formulas only
        assert g.edge("w", "mul").value is None and g.edge("w", "mul").formula == "x"
        assert g.edge("w", "mul").label == "∂mul/∂w = x"
        with tg.Session() as sess:
            sess.run(tg.global_variables_initializer())
            g = tg.trace(y, {x: 3.0}, session=sess)
        assert g.partial("w", "mul") == 3.0 and g.partial("x", "mul") == 2.0


# --- paths of arrays --------------------------------------------------------------------------
def test_paths_of_arrays_sum_to_the_gradient():
    W = np.array([[1.0, -2.0, 0.5], [0.3, 0.2, -1.0]])
    x = np.array([[0.5, -1.0], [2.0, 1.0]])
    b = np.array([0.1, 0.2, 0.3])
    g = tg.trace(lambda x, W, b: tg.reduce_sum(tg.sin(tg.matmul(x, W) + b) * tg.matmul(x, W)),
                 x=x, W=W, b=b)
    out = g.nodes[-1]
    for src in ("x", "W", "b"):
        total = assert_paths_sum_to_the_derivative(g, src, out)
        f = {"x": lambda v: np.sum(np.sin(v @ W + b) * (v @ W)),
             "W": lambda v: np.sum(np.sin(x @ v + b) * (x @ v)),
             "b": lambda v: np.sum(np.sin(x @ W + v) * (x @ W))}[src]
        start = {"x": x, "W": W, "b": b}[src]
        np.testing.assert_allclose(np.ravel(total), numeric_jacobian(f, start)[0], rtol=1e-5)
    assert len(g.paths("W", out)) == 2


def test_a_path_product_of_numbers_and_of_a_path_ending_in_an_array():
    g = tg.trace(lambda x: tg.sin(x) * x, x=np.array([0.0, 1.0]))
    products = [p.product for p in g.paths("x", "b")]
    np.testing.assert_allclose(sum(products), np.sin([0.0, 1.0]) + [0.0, 1.0] * np.cos([0.0, 1.0]))
    assert all(isinstance(p, np.ndarray) and p.dtype == float for p in products)
    nodes = [g.node(n) for n in ("x", "a", "b")]
    # a path that ends at an intermediate array: the gradient of sum(a) = cos(x)
    np.testing.assert_allclose(path_product(nodes[:2], [g.partial("x", "a")]), np.cos([0.0, 1.0]))
    assert path_product(nodes[:2], [2.0]) == 2.0
    scalar = tg.trace(lambda x: tg.reduce_sum(x * x), x=np.array([1.0, 2.0]))
    [p] = scalar.paths("x", "b")
    np.testing.assert_allclose(p.product, [2.0, 4.0])
    one = tg.trace(lambda x: tg.reduce_sum(x) * 3.0, x=np.array(2.0))
    value = sum(p.product for p in one.paths("x", "b"))
    assert np.ndim(value) == 0 and value == 3.0 and isinstance(value, float)


# --- what the survivors of the first run asked for ----------------------------------------------
def test_an_edge_of_a_program_without_values_has_its_formula_only():
    with tg.Graph().as_default():
        x = tg.placeholder(tg.float32, [], name="x")
        y = x * x
        edge = make_edge(make_node(y, {x: "x", y: "y"}), Node("x", x, None, [], [], "x"))
    assert (edge.src, edge.dst, edge.formula, edge.value) == ("x", "y", "x + x", None)
    assert edge.label == "∂y/∂x = x + x"


def test_partials_at_a_kink_are_inf_without_a_warning():
    import warnings
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        g = tg.trace("y = log(x)", x=0.0)
        assert g.partial("x", "y") == np.inf
        h = tg.trace(lambda x, s: tg.reduce_sum(tg.sqrt(x) * s), x=np.array([0.0, 1.0]),
                     s=np.array([0.0, 1.0]))
        assert h.partial("x", "a").tolist() == [np.inf, 0.5]          # 1/(2√x)
        [path] = h.paths("x", h.nodes[-1])
        assert np.isnan(path.product[0]) and path.product[1] == 0.5   # 0·inf, then 1·0.5


def test_partials_are_floating_point_numbers_even_when_a_rule_gives_an_int():
    g = tg.trace("e = a + b", a=2, b=3)                    # ∂(a + b)/∂a is the int 1 in the rule
    for edge in g.edges:
        assert np.asarray(edge.value).dtype.kind == "f"
    g = tg.trace(lambda x, y: x + y, x=np.array([1.0, 2.0]), y=np.array([3.0, 4.0]))
    assert np.asarray(g.partial("x", "a")).dtype.kind == "f"


def test_a_partial_summed_over_two_positions_is_read_only_too():
    g = tg.trace(lambda x: x * x, x=np.array([1.0, 2.0]))
    value = g.partial("x", "a")
    np.testing.assert_array_equal(value, [2.0, 4.0])
    with pytest.raises(ValueError):
        value[0] = 0.0


def test_a_jacobians_formula_lists_each_position():
    g = tg.trace(lambda A: tg.matmul(A, A), A=np.array([[1.0, 2.0], [3.0, 4.0]]))
    assert g.edge("A", "a").formula == "ḡ ↦ ḡ·Aᵀ + ḡ ↦ Aᵀ·ḡ  [4×4 Jacobian]"


def test_working_out_a_programs_partials_adds_nothing_to_the_program():
    with tg.Graph().as_default() as graph:
        W = tg.constant([[1.0, 2.0], [3.0, 4.0]], name="W")
        x = tg.placeholder(tg.float32, [2, 2], name="x")
        y = tg.reduce_sum(tg.matmul(x, W))
        g = tg.trace(y, {x: np.eye(2)})
        count = len(graph.get_operations())
        np.testing.assert_allclose(g.partial("x", "MatMul"),
                                   numeric_jacobian(lambda v: v @ np.array([[1, 2], [3, 4]]),
                                                    np.eye(2)), rtol=1e-6)
        products = [p.product for p in g.paths("x", g.nodes[-1])]
        assert len(graph.get_operations()) == count
    np.testing.assert_allclose(sum(products), [[3.0, 7.0], [3.0, 7.0]])


def test_paths_through_a_size_one_axis_sum_over_it():
    x = np.array([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]])
    b = np.array([[0.5, -1.0, 2.0]])                               # (1, 3): broadcast on axis 0
    g = tg.trace(lambda x, b: tg.reduce_sum(tg.square(x + b)), x=x, b=b)
    total = assert_paths_sum_to_the_derivative(g, "b", g.nodes[-1])
    np.testing.assert_allclose(total, (2 * (x + b)).sum(axis=0, keepdims=True))
    assert total.shape == (1, 3)


def test_a_scalar_inputs_path_through_arrays_is_a_number():
    v = np.array([1.0, 2.0, 3.0])
    g = tg.trace(lambda x, v: tg.reduce_sum(x * v), x=2.0, v=v)
    [path] = g.paths("x", g.nodes[-1])
    assert isinstance(path.product, float) and path.product == 6.0
