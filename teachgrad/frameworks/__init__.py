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
(PyTorch is not an extra: a plain ``pip install torch`` on Linux pulls a GPU build of several GB;
pytorch.org's install page gives the CPU wheels). Without them, these functions raise a one-line
error that says what to install. ``import teachgrad.frameworks`` itself loads neither.

>>> from teachgrad.frameworks import trace_jax
>>> trace_jax(lambda a, b: (a + b) * (b + 1), 2.0, 1.0).nodes
['a', 'b', 'c', 'd', 'e']
"""

import inspect

from .from_grad_fn import trace_grad_fn
from .from_jax import trace_jax
from .from_torch import load_torch, trace_aten
from .gradient_program import gradient_graph
from .graph import FrameworkGraph

__all__ = ["trace_jax", "trace_torch", "gradient_graph", "FrameworkGraph"]


def trace_torch(f, *args):
    """The teaching graph of PyTorch's aten graph of ``f`` at ``args`` (``make_fx``): one node
    per aten op, inputs named after ``f``'s parameters; or — given one tensor — of its recorded
    backward chain (``grad_fn``), its leaves named after the caller's variables.

    >>> import torch
    >>> from teachgrad.frameworks import trace_torch
    >>> g = trace_torch(lambda a, b: (a + b) * (b + 1), 2.0, 1.0)
    >>> g.nodes, [float(s.value) for s in g.reverse_mode()]
    (['a', 'b', 'c', 'd', 'e'], [1.0, 2.0, 3.0, 2.0, 5.0])
    >>> a = torch.tensor(2.0, requires_grad=True)
    >>> b = torch.tensor(1.0, requires_grad=True)
    >>> trace_torch((a + b) * (b + 1)).nodes
    ['a', 'b', 'c', 'd', 'e']
    """
    torch = load_torch()
    if isinstance(f, torch.Tensor):
        if args:
            raise TypeError("trace_torch(tensor) takes the tensor alone; to trace a function "
                            "call trace_torch(f, *args)")
        return trace_grad_fn(f, inspect.currentframe().f_back)
    if not callable(f):
        raise TypeError(f"trace_torch: expected a function and its arguments, or a tensor; got "
                        f"a {type(f).__name__}")
    return trace_aten(f, *args)
