"""What every element-wise op's declaration shows (issue 27: the declarations run at import, so
mutmut's own runs never see their mutants; ``bench/mutation.py --fresh`` does): the public
function's name and help text (its math and a runnable example), its op in a TensorFlow 1 graph
(type and node name, read off tensorflow.compat.v1), the node and edge text a student reads on
the teaching graph, the dtypes TensorFlow 1 refuses, the functions expression text may call,
the reflected operators (``2.0 - x``), and the masks inside derivative rules.
"""

import doctest

import numpy as np
import pytest

import teachgrad as tg
from teachgrad.errors import ExpressionError

# public function, op (REGISTRY's name), TF-1's op type and node name for the function
# (tf.sin(x).op.type, .op.name in a fresh graph), the math its help text starts with
OPS = [
    ("add", "add", "AddV2", "Add", "add: f(a, b) = a + b;  ∂f/∂a = 1,  ∂f/∂b = 1"),
    ("subtract", "sub", "Sub", "Sub", "sub: f(a, b) = a − b;  ∂f/∂a = 1,  ∂f/∂b = −1"),
    ("multiply", "mul", "Mul", "Mul", "mul: f(a, b) = a·b;  ∂f/∂a = b,  ∂f/∂b = a"),
    ("divide", "div", "RealDiv", "truediv", "div: f(a, b) = a / b;  ∂f/∂a = 1/b,  ∂f/∂b = −a/b²"),
    ("pow", "pow", "Pow", "Pow", "pow: f(a, b) = a^b;  ∂f/∂a = b·a^(b−1),  ∂f/∂b = a^b·ln a  "
     "(0 where a ≤ 0, as TensorFlow 1 masks ln a; an integer to a negative integer power is an "
     "error, as there)"),
    ("negative", "neg", "Neg", "Neg", "neg: f(x) = −x;  ∂f/∂x = −1"),
    ("floormod", "floormod", "FloorMod", "FloorMod", "floormod: f(x, y) = x − y·⌊x/y⌋ (x % y, the "
     "sign of y);  ∂f/∂x = 1,  ∂f/∂y = −⌊x/y⌋  (away from the jumps where x/y is a whole number)"),
    ("sin", "sin", "Sin", "Sin", "sin: f(x) = sin x;  ∂f/∂x = cos x"),
    ("cos", "cos", "Cos", "Cos", "cos: f(x) = cos x;  ∂f/∂x = −sin x"),
    ("tan", "tan", "Tan", "Tan", "tan: f(x) = tan x;  ∂f/∂x = 1 + tan² x"),
    ("exp", "exp", "Exp", "Exp", "exp: f(x) = eˣ;  ∂f/∂x = eˣ (the value itself)"),
    ("log", "log", "Log", "Log", "log: f(x) = ln x;  ∂f/∂x = 1/x  (log of a negative number is "
     "NaN, as in NumPy)"),
    ("sqrt", "sqrt", "Sqrt", "Sqrt", "sqrt: f(x) = √x;  ∂f/∂x = 1/(2√x)  (infinite at x = 0)"),
    ("square", "square", "Square", "Square", "square: f(x) = x²;  ∂f/∂x = 2x"),
    ("abs", "abs", "Abs", "Abs", "abs: f(x) = |x|;  ∂f/∂x = sign x  (0 at x = 0)"),
    ("sinh", "sinh", "Sinh", "Sinh", "sinh: f(x) = sinh x;  ∂f/∂x = cosh x"),
    ("cosh", "cosh", "Cosh", "Cosh", "cosh: f(x) = cosh x;  ∂f/∂x = sinh x"),
    ("tanh", "tanh", "Tanh", "Tanh", "tanh: f(x) = tanh x;  ∂f/∂x = 1 − tanh² x"),
    ("atan", "atan", "Atan", "Atan", "atan: f(x) = arctan x;  ∂f/∂x = 1/(1 + x²)"),
    ("sigmoid", "sigmoid", "Sigmoid", "Sigmoid", "sigmoid: f(x) = 1/(1 + e^−x);  ∂f/∂x = f·(1 − f)"),
    ("relu", "relu", "Relu", "Relu", "relu: f(x) = max(x, 0);  ∂f/∂x = 1 if x > 0 else 0  (0 at "
     "x = 0, as in TensorFlow)"),
    ("maximum", "maximum", "Maximum", "Maximum", "maximum: f(a, b) = max(a, b);  ∂f/∂a = [a ≥ b],  "
     "∂f/∂b = [a < b]  (a tie goes to a)"),
    ("minimum", "minimum", "Minimum", "Minimum", "minimum: f(a, b) = min(a, b);  ∂f/∂a = [a ≤ b],  "
     "∂f/∂b = [a > b]  (a tie goes to a)"),
    ("log1p", "log1p", "Log1p", "Log1p", "log1p: f(x) = ln(1 + x);  ∂f/∂x = 1/(1 + x)"),
    ("softplus", "softplus", "Softplus", "Softplus", "softplus: f(x) = ln(1 + eˣ);  ∂f/∂x = σ(x) "
     "= 1/(1 + e^−x)"),
    # (branch tfmore's ops, landed while this table was written; types read off TF-1 too)
    ("expm1", "expm1", "Expm1", "Expm1", "expm1: f(x) = eˣ − 1;  ∂f/∂x = eˣ"),
    ("rsqrt", "rsqrt", "Rsqrt", "Rsqrt", "rsqrt: f(x) = 1/√x;  ∂f/∂x = −1/(2·x^1.5)"),
    ("reciprocal", "reciprocal", "Reciprocal", "Reciprocal",
     "reciprocal: f(x) = 1/x;  ∂f/∂x = −1/x²"),
    ("elu", "elu", "Elu", "Elu", "elu: f(x) = x if x > 0 else eˣ − 1;  ∂f/∂x = 1 if x ≥ 0 else eˣ  "
     "(as TensorFlow: from the value, 1 where it is not negative)"),
    ("selu", "selu", "Selu", "Selu", "selu: f(x) = λ·x if x > 0 else λ·α·(eˣ − 1), λ = 1.0507…, "
     "α = 1.6733…;  ∂f/∂x = λ if x ≥ 0 else λ·α·eˣ"),
    ("relu6", "relu6", "Relu6", "Relu6", "relu6: f(x) = min(max(x, 0), 6);  ∂f/∂x = 1 if 0 < x < 6 "
     "else 0  (0 at both kinks, as in TensorFlow)"),
    ("softsign", "softsign", "Softsign", "Softsign", "softsign: f(x) = x/(1 + |x|);  ∂f/∂x = "
     "1/(1 + |x|)²"),
]
IDS = [row[0] for row in OPS]


def public(path):
    found = tg
    for part in path.split("."):
        found = getattr(found, part)
    return found


def test_the_table_holds_every_declared_element_wise_op():
    declared = {name for name, p in tg.ops.REGISTRY.items() if p.elementwise}
    assert declared == {row[1] for row in OPS} | {"where"}
    for path, name, *_ in OPS:
        assert tg.ops.REGISTRY[name].name == name
        assert tg.ops.REGISTRY[name].function == path.split(".")[-1]


@pytest.mark.parametrize("path, name, op_type, node_name, math", OPS, ids=IDS)
def test_the_public_function_its_help_and_its_op_in_a_program(path, name, op_type, node_name, math):
    fn = public(path)
    assert fn.__name__ == path.split(".")[-1]
    assert fn.__doc__.splitlines()[0] == "Element-wise " + math
    # its example runs: `import teachgrad as tg` and the op's own line, neither failing
    tests = doctest.DocTestFinder().find(fn, fn.__name__, globs={})
    runner = doctest.DocTestRunner(optionflags=doctest.NORMALIZE_WHITESPACE)
    for test in tests:
        runner.run(test, out=lambda text: None)
    examples = 2 if name == "maximum" else 1     # (maximum shows a tie too)
    assert runner.summarize(verbose=False) == doctest.TestResults(failed=0,
                                                                  attempted=1 + examples)
    assert f">>> tg.{path}(" in fn.__doc__
    # TF-1's op: tf.sin(x).op.type == "Sin", named "Sin" (then "Sin_1")
    with tg.Graph().as_default():
        x = tg.placeholder(tg.float32, (2,), name="x")
        y = tg.placeholder(tg.float32, (2,), name="y")
        args = (x,) if tg.ops.REGISTRY[name].n_inputs == 1 else (x, y)
        first, second = fn(*args), fn(*args)
        assert (first.op.type, first.op.name, second.op.name) == (op_type, node_name,
                                                                   node_name + "_1")
        assert [t.name for t in first.op.inputs] == [t.name for t in args]
        assert fn(*args, name="mine").op.name == "mine"


FLOATING = "bfloat16, float16, float32, float64, complex64, complex128"


@pytest.mark.parametrize("path, param, allowed", [
    ("sin", "x", FLOATING), ("cos", "x", FLOATING), ("tan", "x", FLOATING), ("exp", "x", FLOATING),
    ("log", "x", FLOATING), ("sqrt", "x", FLOATING), ("sinh", "x", FLOATING),
    ("cosh", "x", FLOATING), ("tanh", "x", FLOATING), ("atan", "x", FLOATING),
    ("sigmoid", "x", FLOATING), ("log1p", "x", FLOATING),
    ("softplus", "features", "float16, bfloat16, float32, float64"),
    ("nn.softplus", "features", "float16, bfloat16, float32, float64")])
def test_an_integer_tensor_is_refused_as_tensorflow_1_refuses_it(path, param, allowed):
    # TF-1: TypeError "Value passed to parameter 'x' has DataType int32 not in list of allowed
    # values: bfloat16, float16, float32, float64, complex64, complex128"
    op_type = dict((row[0], row[2]) for row in OPS)[path.replace("nn.", "")]
    with pytest.raises(TypeError) as refused:
        public(path)(tg.constant([1, 2]))
    assert str(refused.value) == (
        f"{op_type}: Value passed to parameter '{param}' has DataType int32 not in list of allowed "
        f"values: {allowed}; TensorFlow 1 never converts it for you: use tg.cast(x, tg.float32)")


@pytest.mark.parametrize("path, expected", [
    ("square", [1, 4]), ("abs", [1, 2]), ("negative", [-1, 2]), ("relu", [1, 0]),
    ("nn.relu", [1, 0])])
def test_the_ops_tensorflow_1_takes_integers_for_take_them(path, expected):
    got = public(path)(tg.constant([1, -2] if path != "square" else [1, 2]))
    assert got.dtype == tg.int32
    np.testing.assert_array_equal(got.numpy(), expected if path != "abs" else [1, 2])


# The teaching graph: each op's node text and its edges' partials, at x = 0.5 (and z = 2): the
# formula the lecture writes, then its value
UNARY_EDGES = [
    ("sin(x)", "sin(x)", "cos(x) = 0.8776"), ("cos(x)", "cos(x)", "−sin(x) = −0.4794"),
    ("tan(x)", "tan(x)", "1 + tan²(x) = 1.298"), ("exp(x)", "exp(x)", "exp(x) = 1.649"),
    ("log(x)", "log(x)", "1/x = 2"), ("sqrt(x)", "√x", "1/(2·√x) = 0.7071"),
    ("square(x)", "x²", "2·x = 1"), ("abs(x)", "|x|", "sign(x) = 1"),
    ("sinh(x)", "sinh(x)", "cosh(x) = 1.128"), ("cosh(x)", "cosh(x)", "sinh(x) = 0.5211"),
    ("tanh(x)", "tanh(x)", "1 − tanh²(x) = 0.7864"), ("atan(x)", "atan(x)", "1/(1 + x²) = 0.8"),
    ("sigmoid(x)", "σ(x)", "σ(x)·(1 − σ(x)) = 0.235"), ("relu(x)", "relu(x)", "[x > 0] = 1"),
    ("log1p(x)", "log1p(x)", "1/(1 + x) = 0.6667"), ("softplus(x)", "softplus(x)", "σ(x) = 0.6225"),
    ("-x", "−x", "−1"),
]


@pytest.mark.parametrize("text, node, partial", UNARY_EDGES, ids=[u[0] for u in UNARY_EDGES])
def test_a_unary_ops_node_and_edge_on_the_teaching_graph(text, node, partial):
    g = tg.trace("y = " + text, x=0.5)
    assert g.formula("y") == "y = " + node
    assert [str(e) for e in g.edges] == [f"<Edge x -> y: ∂y/∂x = {partial}>"]


BINARY_EDGES = [
    ("x + z", "x + z", "1", "1"), ("x - z", "x − z", "1", "−1"),
    ("x * z", "x·z", "z = 2", "x = 0.5"), ("x / z", "x / z", "1/z = 0.5", "−x/z² = −0.125"),
    ("x ** z", "x²", "z·x^(z−1) = 1", "x^z·ln x = −0.1733"),
    ("maximum(x, z)", "max(x, z)", "[x ≥ z] = 0", "[x < z] = 1"),
    ("minimum(x, z)", "min(x, z)", "[x ≤ z] = 1", "[x > z] = 0"),
]


@pytest.mark.parametrize("text, node, partial_x, partial_z", BINARY_EDGES,
                         ids=[b[0] for b in BINARY_EDGES])
def test_a_binary_ops_node_and_edges_on_the_teaching_graph(text, node, partial_x, partial_z):
    g = tg.trace("y = " + text, x=0.5, z=2.0)
    if text == "x ** z":   # a named exponent: x^z (the text names it, its value is 2)
        node = "x^z"
    assert g.formula("y") == "y = " + node
    assert [str(e) for e in g.edges] == [f"<Edge x -> y: ∂y/∂x = {partial_x}>",
                                         f"<Edge z -> y: ∂y/∂z = {partial_z}>"]


def test_where_and_floormod_on_the_teaching_graph():
    g = tg.trace(lambda c, x, z: tg.where(c > 0.0, x, z), c=1.0, x=0.5, z=2.0)
    assert g.formula("b") == "b = x if a else z"
    assert [str(e) for e in g.edges][1:] == ["<Edge a -> b: ∂b/∂a = 0>",
                                             "<Edge x -> b: ∂b/∂x = [a] = 1>",
                                             "<Edge z -> b: ∂b/∂z = [not a] = 0>"]
    g = tg.trace(lambda x, z: x % z, x=5.0, z=2.0)
    assert g.formula("a") == "a = x mod z"
    assert [str(e) for e in g.edges] == ["<Edge x -> a: ∂a/∂x = 1>",
                                         "<Edge z -> a: ∂a/∂z = −⌊x/z⌋ = −2>"]


def test_expression_text_may_call_exactly_the_math_functions():
    with pytest.raises(ExpressionError) as refused:
        tg.trace("y = add(x, x)", x=1.0)
    assert str(refused.value) == (
        "'add' is not an allowed function: expected one of sin, cos, tan, exp, log, sqrt, square, "
        "abs, sinh, cosh, tanh, atan, sigmoid, relu, maximum, minimum, log1p, softplus, expm1, "
        "rsqrt, reciprocal, elu, selu, relu6, softsign (line 1, column 5)")
    for name in ("subtract", "multiply", "divide", "pow", "negative", "where", "floormod"):
        with pytest.raises(ExpressionError, match=f"^'{name}' is not an allowed function"):
            tg.trace(f"y = {name}(x, x)", x=1.0)
    with pytest.raises(ExpressionError, match=r"^maximum\(\) takes 2 arguments, got 1"):
        tg.trace("y = maximum(x)", x=1.0)


# Python's operators, as TF-1 makes them: x - y, and 2.0 - x with the number first
OPERATORS = [
    ("+", "AddV2", "add", 7.0), ("-", "Sub", "sub", -3.0), ("*", "Mul", "mul", 10.0),
    ("/", "RealDiv", "truediv", 0.4), ("**", "Pow", "pow", 32.0),
    ("//", "FloorDiv", "floordiv", 0.0), ("%", "FloorMod", "mod", 2.0),
]


@pytest.mark.parametrize("symbol, op_type, node_name, reflected", OPERATORS,
                         ids=[o[0] for o in OPERATORS])
def test_an_operator_and_its_reflection(symbol, op_type, node_name, reflected):
    with tg.Graph().as_default():
        x = tg.placeholder(tg.float32, (), name="x")
        y = tg.placeholder(tg.float32, (), name="y")
        forward = eval(f"x {symbol} y")
        backward = eval(f"2.0 {symbol} x")
        assert (forward.op.type, forward.op.name) == (op_type, node_name)
        assert [t.name for t in forward.op.inputs] == ["x:0", "y:0"]
        # TF-1: 2.0 - x is Sub(sub_1/x, x): the number is the first input
        assert (backward.op.type, backward.op.name) == (op_type, node_name + "_1")
        assert [t.name for t in backward.op.inputs] == [node_name + "_1/x:0", "x:0"]
        with tg.Session() as sess:
            assert sess.run(forward, {x: 5.0, y: 2.0}) == pytest.approx(
                eval(f"5.0 {symbol} 2.0"))
            assert sess.run(backward, {x: 5.0}) == pytest.approx(reflected)


def test_reflected_operators_eagerly_and_their_derivatives():
    x = tg.constant(5.0)
    assert [float(v) for v in (2.0 + x, 2.0 - x, 2.0 * x, 2.0 / x, 2.0 ** x, 2.0 // x,
                               2.0 % x)] == pytest.approx([7.0, -3.0, 10.0, 0.4, 32.0, 0.0, 2.0])
    assert [float(v) for v in (-x, +x, abs(-x))] == [-5.0, 5.0, 5.0]
    # d/dx of 2 − x is −1, of 2/x is −2/x², of 2^x is 2^x·ln 2
    for f, slope in [(lambda u: 2.0 - u, -1.0), (lambda u: 2.0 / u, -2.0 / 25.0),
                     (lambda u: 2.0 ** u, 32.0 * np.log(2.0)), (lambda u: 2.0 * u, 2.0),
                     (lambda u: 2.0 + u, 1.0)]:
        assert float(tg.grad(f)(5.0)) == pytest.approx(slope, rel=1e-12)


# The masks inside derivative rules: constants, shown by name on a teaching graph of a derivative
@pytest.mark.parametrize("f, mask, slope", [
    (lambda x, z: tg.grad(tg.nn.relu)(x), "positive_mask", 0.0),
    (lambda x, z: tg.grad(tg.abs)(x), "sign_mask", -1.0),
    (lambda x, z: tg.grad(lambda u: tg.maximum(u, z))(x), "ge_mask", 0.0),
    (lambda x, z: tg.grad(lambda u: tg.minimum(u, z))(x), "ge_mask", 1.0),
    (lambda x, z: tg.grad(lambda u: tg.where(True, u, z))(x), "where_mask", 1.0)])
def test_a_mask_in_a_derivative_shows_its_name(f, mask, slope):
    g = tg.trace(f, x=-5.0, z=1.0)
    shown = [g.formula(n) for n in g.nodes]
    assert any(line.endswith(f" = {mask}(…)") for line in shown)
    assert g.node(shown[-1].split(" ")[0]).value == slope


def test_the_gradient_of_a_cast_has_the_inputs_dtype():
    # TF-1: tf.gradients(tf.cast(x, tf.float64), x) is float32 for a float32 x (and float16 for
    # float16); eagerly too, where the rule meets NumPy values
    for given, to in [(np.float32, tg.float64), (np.float16, tg.float32)]:
        got = tg.grad(lambda u: tg.reduce_sum(tg.cast(u, to) * 3.0))(np.array([1.0, 2.0], given))
        assert got.dtype == tg.as_dtype(given)
        np.testing.assert_array_equal(got.numpy(), [3.0, 3.0])
    with tg.Graph().as_default():
        x = tg.placeholder(tg.float16, (2,))
        assert tg.gradients(tg.cast(x, tg.float32), x)[0].dtype == tg.float16


@pytest.mark.parametrize("name, math", [
    ("reduce_sum", "reduce_sum: f(x) = Σᵢ xᵢ;  ∂f/∂xᵢ = 1"),
    ("reduce_max", "reduce_max: f(x) = maxᵢ xᵢ;  ∂f/∂xᵢ = 1 at the maximum (shared equally by "
                   "ties), else 0"),
    ("reduce_prod", "reduce_prod: f(x) = Πᵢ xᵢ;  ∂f/∂xᵢ = Π_{j≠i} xⱼ (exact at zeros, no "
                    "division)"),
    ("equal", "equal: a == b element-wise, True or False (no derivative)."),
    ("greater_equal", "greater_equal: a ≥ b element-wise, True or False (no derivative)."),
    ("logical_and", "logical_and: element-wise boolean and."),
    ("logical_not", "logical_not: element-wise boolean not.")])
def test_the_help_of_the_other_declared_ops_starts_with_their_math(name, math):
    # the declarations of ops/registry.py's structural() give these functions their help text
    assert getattr(tg, name).__doc__.splitlines()[0] == math


def test_a_power_edge_writes_p_minus_1_to_the_digits_it_shows():
    # the graph writes numbers to 4 significant digits: for p = 1e−7, p − 1 = −0.9999999 is
    # written −1 (x⁻¹), and 1.1 − 1 is 0.1, not 0.10000000000000009
    assert str(tg.trace("y = x ** 1e-7", x=2.0).edges[0]) == \
        "<Edge x -> y: ∂y/∂x = 1e−07·x⁻¹ = 5e−08>"
    assert str(tg.trace("y = x ** 1.1", x=2.0).edges[0]) == \
        "<Edge x -> y: ∂y/∂x = 1.1·x^0.1 = 1.179>"


def test_the_derivative_of_a_derivative_through_a_mask_as_tensorflow_1_gives_it():
    # TF-1: tf.gradients of relu's and abs's derivatives is zeros (ReluGrad's and Sign's
    # gradients are zeros_like); of maximum's, minimum's and where's it is None (their masks
    # are comparisons, which have no gradient)
    x = tg.placeholder(tg.float32, (3,), name="x")
    z = tg.constant([0.0, 1.0, -1.0])
    with tg.Session() as sess:
        for f in (tg.nn.relu, tg.abs):
            twice = tg.gradients(tg.gradients(f(x), x)[0], x)
            got = sess.run(twice, {x: [1.0, 2.0, -3.0]})
            np.testing.assert_array_equal(got, [[0.0, 0.0, 0.0]])
            assert got[0].dtype == np.float32
        for f in (lambda u: tg.maximum(u, z), lambda u: tg.minimum(u, z),
                  lambda u: tg.where(z > 0, u, z)):
            assert tg.gradients(tg.gradients(f(x), x)[0], x) == [None]


def test_a_structural_ops_edge_shows_its_declared_formula():
    g = tg.trace(lambda x: tg.reduce_sum(x * x), x=[1.0, 2.0])
    assert str(g.edges[1]) == "<Edge a -> b: ∂b/∂a = 1 (each element)  [1×2 Jacobian]>"
    g = tg.trace(lambda a, b: tg.matmul(a, b), a=[[1.0, 2.0]], b=[[3.0], [4.0]])
    assert [e.formula for e in g.edges] == ["ḡ ↦ ḡ·bᵀ  [1×2 Jacobian]",
                                            "ḡ ↦ aᵀ·ḡ  [1×2 Jacobian]"]


def test_forward_mode_through_an_op_without_a_forward_rule_is_refused():
    # a cotangent from a cond's reverse pass (the teaching graph of tf.gradients through a cond)
    x = tg.placeholder(tg.float32, (), name="x")
    dx = tg.gradients(tg.cond(x > 0, lambda: x * x, lambda: x), x)[0]
    g = tg.trace(dx, {x: 1.5})
    with pytest.raises(NotImplementedError, match="^grad_view has no forward-mode rule$"):
        g.forward_mode("x")


@pytest.mark.parametrize("f", [tg.nn.elu, tg.nn.selu], ids=["elu", "selu"])
def test_elu_and_selu_keep_the_sign_of_zero_as_tensorflow_1(f):
    # (a difference found on the way: elu(−0.0) was +0.0.) TF-1's kernels give x itself where
    # x ≥ 0, so −0.0 stays −0.0 (1/elu(−0.0) = −inf there), and the slope at both zeros is 1·λ
    x = np.array([-0.0, 0.0], np.float32)
    y = f(x).numpy()
    assert y.tolist() == [0.0, 0.0] and np.signbit(y).tolist() == [True, False]
    scale = 1.0 if f is tg.nn.elu else 1.050701
    slope = tg.grad(lambda t: tg.reduce_sum(f(t)))(x).numpy()
    np.testing.assert_allclose(slope, [scale, scale], rtol=1e-6)


@pytest.mark.parametrize("f", [tg.nn.relu, tg.nn.relu6])
def test_relu_and_relu6_keep_the_sign_of_zero_and_nan_as_tensorflow_1(f):
    # TF-1 (compat.v1, float32 and float64): relu(−0.0) and relu6(−0.0) are −0.0, NaN stays NaN
    for dtype in (tg.float32, tg.float64):
        y = f(tg.constant([-0.0, 0.0, -1.0, np.nan, 7.0], dtype)).numpy()
        assert np.signbit(y[:3]).tolist() == [True, False, False]
        assert np.isnan(y[3]) and y[4] == (7.0 if f is tg.nn.relu else 6.0)
