"""Every traced graph's derivatives agree with the framework's own gradient (float64): random
expressions of the supported primitives (Hypothesis), ops teachgrad does not declare (opaque,
the framework's numbers), and the kinks where teachgrad's rule and the framework's differ."""

import numpy as np
from hypothesis import HealthCheck, given, settings, strategies as st

from teachgrad.frameworks import trace_jax, trace_torch

# Each op written once for both frameworks (``m`` is jax.numpy or torch); log and sqrt are
# applied to e² + 1 and the divisor is e² + 1, so every expression is defined everywhere.
UNARY = {
    "neg": lambda m, e: -e, "sin": lambda m, e: m.sin(e), "cos": lambda m, e: m.cos(e),
    "exp": lambda m, e: m.exp(e / 4), "tanh": lambda m, e: m.tanh(e),
    "log": lambda m, e: m.log(e * e + 1), "sqrt": lambda m, e: m.sqrt(e * e + 1),
    "square": lambda m, e: e ** 2, "cube": lambda m, e: e ** 3,
    "sigmoid": lambda m, e: _sigmoid(m)(e), "relu": lambda m, e: _relu(m)(e),
}
BINARY = {
    "add": lambda m, a, b: a + b, "sub": lambda m, a, b: a - b, "mul": lambda m, a, b: a * b,
    "div": lambda m, a, b: a / (b * b + 1), "pow": lambda m, a, b: (a * a + 1) ** (b / 4),
    "max": lambda m, a, b: m.maximum(_lift(m, a), _lift(m, b)),
    "min": lambda m, a, b: m.minimum(_lift(m, a), _lift(m, b)),
    "where": lambda m, a, b: m.where(_lift(m, a) > b, a * b, a - b),
}


def _lift(m, v):
    """A number as the framework's array (torch.maximum takes tensors only)."""
    if not isinstance(v, float):
        return v
    return m.as_tensor(v, dtype=m.float64) if hasattr(m, "as_tensor") else m.asarray(v)


def _sigmoid(m):
    if hasattr(m, "sigmoid"):
        return m.sigmoid
    import jax
    return jax.nn.sigmoid


def _relu(m):
    if hasattr(m, "relu"):
        return m.relu
    import jax
    return jax.nn.relu


def expressions(depth):
    leaf = st.sampled_from(["x", "y", "1.5"])
    if depth == 0:
        return leaf
    sub = expressions(depth - 1)
    return st.one_of(leaf, st.tuples(st.sampled_from(sorted(UNARY)), sub),
                     st.tuples(st.sampled_from(sorted(BINARY)), sub, sub))


def build(tree, m, x, y):
    if tree == "x":
        return x
    if tree == "y":
        return y
    if isinstance(tree, str):
        return _lift(m, float(tree))
    if len(tree) == 2:
        return UNARY[tree[0]](m, build(tree[1], m, x, y))
    return BINARY[tree[0]](m, build(tree[1], m, x, y), build(tree[2], m, x, y))


def _uses_inputs(tree):
    return tree in ("x", "y") or (isinstance(tree, tuple) and any(map(_uses_inputs, tree[1:])))


def _agree(g, grads):
    for name, want in zip(["x", "y"], grads):
        if name not in g:
            assert want == 0.0
            continue
        np.testing.assert_allclose(g.derivative(g.output, name), want, rtol=1e-9, atol=1e-12)
        paths = sum(p.product for p in g.paths(name, g.output)) if g.count_paths(
            name, g.output) else 0.0
        np.testing.assert_allclose(paths, want, rtol=1e-9, atol=1e-12)
        adjoint = {s.node: s.value for s in g.reverse_mode()}[name]
        np.testing.assert_allclose(adjoint, want, rtol=1e-9, atol=1e-12)


VALUES = st.sampled_from([-1.5, -0.5, 0.0, 0.5, 1.0, 2.0])
SETTINGS = settings(max_examples=40, deadline=None,
                    suppress_health_check=[HealthCheck.function_scoped_fixture])


@SETTINGS
@given(tree=expressions(3), x=VALUES, y=VALUES)
def test_random_expressions_agree_with_jax_grad(jax, tree, x, y):
    import jax.numpy as jnp
    if not _uses_inputs(tree):
        return

    def f(x, y):
        return build(tree, jnp, x, y) * 1.0
    g = trace_jax(f, x, y)
    _agree(g, [float(d) for d in jax.grad(f, argnums=(0, 1))(x, y)])


@SETTINGS
@given(tree=expressions(3), x=VALUES, y=VALUES)
def test_random_expressions_agree_with_torch_autograd(torch, tree, x, y):
    if not _uses_inputs(tree):
        return

    def f(x, y):
        return build(tree, torch, x, y) * 1.0
    xs = [torch.tensor(v, dtype=torch.float64, requires_grad=True) for v in (x, y)]
    grads = torch.autograd.grad(f(*xs), xs, allow_unused=True)
    g = trace_torch(f, x, y)
    _agree(g, [0.0 if d is None else float(d) for d in grads])


def test_first_class_ops_are_teachgrads_own(jax, torch):
    """Away from kinks every supported primitive is computed by teachgrad's declaration."""
    import jax.numpy as jnp
    for m, trace in ((jnp, trace_jax), (torch, trace_torch)):
        for name in UNARY:
            g = trace(lambda x: UNARY[name](m, x), 0.7)
            assert g.opaque == [], (trace.__name__, name, [g.note(n) for n in g.opaque])
        for name in BINARY:
            g = trace(lambda x, y: BINARY[name](m, x, y), 0.7, -0.4)
            assert g.opaque == [], (trace.__name__, name, [g.note(n) for n in g.opaque])


def test_jax_opaque_op_has_jax_numbers_and_a_tooltip(jax):
    import jax.numpy as jnp

    def f(x):
        return jax.scipy.special.erf(x) * jnp.arctan2(x, 2.0)
    g = trace_jax(f, 0.5)
    assert g.opaque == ["a", "b"] and "erf" in g.note("a") and "atan2" in g.note("b")
    assert g.formula("a") == "a = erf(x)"
    assert g.edge("x", "a").label == "∂a/∂x = 0.8788"        # a number, no formula
    np.testing.assert_allclose(g.partial("x", "a"), 2 / np.sqrt(np.pi) * np.exp(-0.25))
    want = float(jax.grad(f)(0.5))
    np.testing.assert_allclose(sum(p.product for p in g.paths("x", g.output)), want, rtol=1e-12)
    np.testing.assert_allclose(g.derivative(g.output, "x"), want, rtol=1e-12)
    assert [s.node for s in g.forward_mode("x")] == ["x", "a", "b", "c"]
    np.testing.assert_allclose(g.forward_mode("x")[-1].value, want, rtol=1e-12)
    np.testing.assert_allclose(float(g.at(x=1.0).derivative("c", "x")), float(jax.grad(f)(1.0)),
                               rtol=1e-12)
    svg = g.svg()
    assert svg.count("teachgrad does not declare") >= 3      # the node and its edges' tooltips


def test_jax_sinc_traces_through_its_pieces(jax):
    import jax.numpy as jnp
    g = trace_jax(jnp.sinc, 0.5)
    assert g.opaque == [] and "f = sin(c)" in [g.formula(n) for n in g.nodes]
    np.testing.assert_allclose(sum(p.product for p in g.paths("x", g.output)),
                               float(jax.grad(jnp.sinc)(0.5)), rtol=1e-12)


def test_torch_opaque_op_has_torch_numbers(torch):
    def f(x):
        return torch.erf(x) * torch.special.i0(x)
    g = trace_torch(f, 0.5)
    assert g.opaque == ["a", "b"] and "PyTorch" in g.note("a")
    assert g.edge("x", "a").label == "∂a/∂x = 0.8788"
    x = torch.tensor(0.5, dtype=torch.float64, requires_grad=True)
    want = float(torch.autograd.grad(f(x), x)[0])
    np.testing.assert_allclose(sum(p.product for p in g.paths("x", g.output)), want, rtol=1e-12)
    # an opaque op on arrays: PyTorch says it is point-wise, so its partials are element-wise
    v = trace_torch(lambda x: torch.erf(x).sum(), np.array([0.1, 0.5, 1.0]))
    assert v.opaque == ["a"] and v.edge("x", "a").label == "∂a/∂x = [3×3 diagonal Jacobian]"
    np.testing.assert_allclose(v.derivative(v.output, "x"),
                               2 / np.sqrt(np.pi) * np.exp(-np.array([0.1, 0.5, 1.0]) ** 2))


def test_kinks_take_the_frameworks_derivative(jax, torch):
    """At a tie JAX's max splits the derivative half and half, teachgrad's goes to the first
    argument: the graph shows JAX's numbers there (and teachgrad's formula elsewhere)."""
    import jax.numpy as jnp

    def f(x):
        return jnp.maximum(x, 0.0) + jax.nn.relu(x)
    at_tie = trace_jax(f, 0.0)
    assert at_tie.opaque == ["a", "b"]
    assert "differ" in at_tie.note("a") and "custom derivative" in at_tie.note("b")
    assert float(at_tie.derivative(at_tie.output, "x")) == float(jax.grad(f)(0.0)) == 0.5
    assert trace_jax(f, 1.0).opaque == []
    t = trace_torch(lambda x: torch.maximum(x, torch.zeros(())), 0.0)
    x = torch.tensor(0.0, dtype=torch.float64, requires_grad=True)
    assert float(t.derivative(t.output, "x")) == float(torch.autograd.grad(
        torch.maximum(x, torch.zeros((), dtype=torch.float64)), x)[0]) == 0.5
