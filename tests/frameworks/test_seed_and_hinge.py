"""The slide's seed graph and the hinge model, traced from JAX and from PyTorch."""

import numpy as np
import pytest

from teachgrad.frameworks import gradient_graph, trace_jax, trace_torch
from .conftest import B, W, X, Y


def seed(a, b):
    return (a + b) * (b + 1)


def _check_seed(g):
    assert g.nodes == ["a", "b", "c", "d", "e"]
    assert [float(g.value(n)) for n in "cde"] == [3.0, 2.0, 6.0]
    steps = g.reverse_mode()
    assert [(s.node, float(s.value)) for s in steps] == [
        ("e", 1.0), ("c", 2.0), ("d", 3.0), ("a", 2.0), ("b", 5.0)]
    assert [float(s.value) for s in g.forward_mode("b")] == [0.0, 1.0, 1.0, 1.0, 5.0]
    assert g.edge("c", "e").label == "∂e/∂c = d = 2"     # teachgrad's own formula
    assert g.opaque == []


def test_jax_seed_is_the_slides_five_nodes(jax):
    g = trace_jax(seed, 2.0, 1.0)
    _check_seed(g)
    assert g.formula("d") == "d = b + 1"                  # the literal 1.0 folded in
    assert [p.text for p in g.paths("b", "e")] == ["b → c → e: 1·2 = 2", "b → d → e: 1·3 = 3"]


def test_torch_seed_is_the_slides_five_nodes(torch):
    _check_seed(trace_torch(seed, 2.0, 1.0))


def test_torch_seed_from_the_recorded_backward_chain(torch):
    a = torch.tensor(2.0, requires_grad=True)
    b = torch.tensor(1.0, requires_grad=True)
    e = seed(a, b)
    g = trace_torch(e)
    assert g.nodes == ["a", "b", "c", "d", "e"]         # leaves named after the variables
    assert [float(g.value(n)) for n in "cde"] == [3.0, 2.0, 6.0]
    assert [float(s.value) for s in g.reverse_mode()] == [1.0, 2.0, 3.0, 2.0, 5.0]
    # d = b + 1: PyTorch saved d (for e = c·d) but not the 1: a node with PyTorch's numbers.
    assert g.opaque == ["d"] and "AddBackward0" in g.note("d")
    assert g.edge("c", "e").label == "∂e/∂c = d = 2"
    e.backward()
    assert [float(a.grad), float(b.grad)] == [2.0, 5.0]
    with pytest.raises(ValueError, match="freed by .backward"):
        trace_torch(e)


def test_grad_fn_graph_has_no_other_values(torch):
    a = torch.tensor(2.0, requires_grad=True)
    g = trace_torch(a * a)
    with pytest.raises(ValueError, match="values are the ones recorded"):
        g.at(a=3.0)


def jax_hinge(W, b, X, y):
    import jax.numpy as jnp
    margins = X @ W + b
    return jnp.mean(jnp.maximum(0.0, 1 - y * margins))


def torch_hinge(W, b, X, y):
    import torch
    margins = X @ W + b
    return torch.mean(torch.clamp(1 - y * margins, min=0))


def _check_hinge(g, grad_W, grad_b):
    assert g.inputs == ["W", "b", "X", "y"]
    assert g.node("a").formula == "a = X @ W" and g.node("a").shape == (3,)
    assert g.edge("W", "a").label.endswith("[3×2 Jacobian]")
    assert g.edge("X", "a").label.endswith("[3×6 Jacobian]")
    assert g.edge("b", "c").label.endswith("[3×1 Jacobian]")      # b broadcast over the batch
    assert g.partial("W", "a").shape == (3, 2)
    np.testing.assert_allclose(g.partial("W", "a"), X)             # ∂(X@W)_i/∂W_j = X_ij
    np.testing.assert_allclose(g.derivative(g.output, "W"), grad_W, rtol=1e-12)
    np.testing.assert_allclose(g.derivative(g.output, "b"), grad_b, rtol=1e-12)
    total = sum(p.product for p in g.paths("W", g.output))
    np.testing.assert_allclose(total, grad_W, rtol=1e-12)
    reverse = {s.node: s.value for s in g.reverse_mode()}
    np.testing.assert_allclose(reverse["W"], grad_W, rtol=1e-12)
    assert g.opaque == []


def test_jax_hinge_has_matrix_nodes_and_shapes_on_edges(jax):
    args = [np.array(W), B, np.array(X), np.array(Y)]
    g = trace_jax(jax_hinge, *args)
    grad_W, grad_b = jax.grad(jax_hinge, argnums=(0, 1))(*args)
    _check_hinge(g, grad_W, grad_b)
    np.testing.assert_allclose(float(g.value(g.output)), 1.1833333333333333)


def test_torch_hinge_has_matrix_nodes_and_shapes_on_edges(torch):
    args = [torch.tensor(W, dtype=torch.float64, requires_grad=True),
            torch.tensor(B, dtype=torch.float64, requires_grad=True),
            torch.tensor(X, dtype=torch.float64), torch.tensor(Y, dtype=torch.float64)]
    grad_W, grad_b = torch.autograd.grad(torch_hinge(*args), args[:2])
    g = trace_torch(torch_hinge, *[np.array(W), B, np.array(X), np.array(Y)])
    _check_hinge(g, grad_W.numpy(), grad_b.numpy())
    # the same model read off its backward chain: the same gradient
    Wt, bt = args[:2]
    chain = trace_torch(torch_hinge(*args))
    assert chain.inputs == ["Wt", "bt"]
    np.testing.assert_allclose(chain.derivative(chain.output, "Wt"), grad_W.numpy(), rtol=1e-12)


def test_at_traces_again(jax, torch):
    assert float(trace_jax(seed, 2.0, 1.0).at(b=2.0).value("e")) == 12.0
    assert float(trace_torch(seed, 2.0, 1.0).at(a=0.0).value("e")) == 2.0


@pytest.mark.parametrize("framework", ["jax", "torch"])
def test_gradient_graph_draws_the_backward_ops_in_a_gradients_box(framework, request):
    request.getfixturevalue(framework)
    g = gradient_graph(seed, 2.0, 1.0, framework=framework)
    assert [n for n in g.nodes if "/" not in n] == ["a", "b", "c", "d", "e"]
    backward = [n for n in g.nodes if n.startswith("gradients/")]
    assert backward and g.scopes["gradients"] == len(backward)
    assert [float(g.value(n)) for n in g.outputs] == [6.0, 2.0, 5.0]   # e, de/da, de/db
    moved = g.at(b=2.0)
    assert [float(moved.value(n)) for n in moved.outputs] == [12.0, 3.0, 7.0]
    svg = g.svg()
    assert ">gradients<" in svg and svg.count('class="node') == len(g)
    args = [np.array(W), B, np.array(X), np.array(Y)]
    hinge = jax_hinge if framework == "jax" else torch_hinge
    h = gradient_graph(hinge, *args, framework=framework)
    np.testing.assert_allclose(h.value(h.outputs[1]), [0.5, -7 / 6], rtol=1e-12)
