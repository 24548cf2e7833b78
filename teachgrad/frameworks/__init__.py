"""The same graph in JAX and PyTorch: trace a real framework's computation into a teaching
:class:`~teachgrad.teaching.graph.Graph`, and play it like any other.

- :func:`trace_jax` ``(f, *args)`` — the graph of ``jax.make_jaxpr(f)(*args)``;
- :func:`trace_torch` ``(f, *args)`` — the graph of PyTorch's aten ops (``make_fx``), or
  ``trace_torch(tensor)`` — the graph of a result's recorded backward chain (``grad_fn``);
- :func:`gradient_graph` ``(f, *args, framework="jax" | "torch")`` — the program that computes
  the gradient, drawn as TensorFlow 1 draws ``tf.gradients``' ops (a ``gradients`` box).

Values and partials come from teachgrad's own op declarations in float64 wherever the op is one
of teachgrad's; any other op still traces, with the framework's own value and local derivative
(numbers without a formula, and its tooltip says so). Each node is checked against the framework
at the values traced, so ``derivative``, the steps of both modes and the sums over paths equal
``jax.grad`` / ``torch.autograd.grad``.

JAX and PyTorch are optional: ``pip install "teachgrad[jax]"``, and for PyTorch a CPU build
(``pip install torch --index-url https://download.pytorch.org/whl/cpu``; a plain
``pip install torch`` on Linux pulls a GPU build of several GB). Without them, these functions
raise a one-line error that says what to install.

>>> from teachgrad.frameworks import trace_jax
>>> trace_jax(lambda a, b: (a + b) * (b + 1), 2.0, 1.0).nodes
['a', 'b', 'c', 'd', 'e']
"""

from .from_jax import trace_jax
from .from_torch import trace_torch
from .gradient_program import gradient_graph
from .graph import FrameworkGraph

__all__ = ["trace_jax", "trace_torch", "gradient_graph", "FrameworkGraph"]
