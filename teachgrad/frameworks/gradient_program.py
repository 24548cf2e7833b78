"""The program that computes a gradient, in JAX or PyTorch, drawn as TensorFlow 1 draws the ops
``tf.gradients`` adds: :func:`gradient_graph`.

- JAX: ``jax.make_jaxpr(jax.value_and_grad(f, argnums=…))`` — the equations the value needs are
  the forward program, and every other equation (the residuals of the linearization, such as
  ``cos x`` for ``sin x``, and the transposed, backward equations) computes the gradient;
- PyTorch: ``make_fx`` of ``f`` followed by ``torch.autograd.grad`` — the aten ops the backward
  nodes (``MulBackward0``, …) run, split the same way.

The result is replayed as a TensorFlow-1 program (placeholders for the inputs, the forward ops
named as :func:`~teachgrad.frameworks.trace_jax` names them, the gradient's ops inside the
``gradients`` name scope, named after the framework's op), so its teaching graph is drawn like
``tg.trace`` of a program with ``tf.gradients``: the ``gradients`` box beside the forward graph,
constants as nodes, values everywhere.
"""

import numpy as np

from ..core.primitive import apply
from ..core.program_graph import Graph as ProgramGraph, name_scope
from ..core.tensor import Tensor, named
from ..errors import ExpressionError
from ..teaching import program_trace as programs
from ..teaching.naming import name_nodes
from ..tf1.variables import placeholder
from .from_jax import JAX, leaf_names, load_jax, walk
from .from_torch import Torch, aten_graph, load_torch, replay
from .from_jax import input_names
from .graph import FrameworkGraph
from .recorder import Recorder, as_float64

__all__ = ["gradient_graph"]

FRAMEWORKS = ("jax", "torch")


def gradient_graph(f, *args, framework="jax"):
    """The program that computes ``f``'s value and its gradient with respect to every
    argument, as JAX (``framework="jax"``) or PyTorch (``"torch"``) runs it, drawn like a
    TensorFlow-1 program's ``gradients`` ops. Its outputs are the value, then one gradient per
    input (``graph.outputs``).

    >>> from teachgrad.frameworks import gradient_graph
    >>> g = gradient_graph(lambda a, b: (a + b) * (b + 1), 2.0, 1.0)
    >>> g.nodes
    ['a', 'b', 'c', 'd/y', 'd', 'e', 'gradients/mul/y', 'gradients/mul', 'gradients/mul_1/x', 'gradients/mul_1', 'gradients/add_any']
    >>> [float(g.value(n)) for n in g.outputs]
    [6.0, 2.0, 5.0]
    """
    if framework not in FRAMEWORKS:
        raise ValueError(f"gradient_graph: framework={framework!r}; expected 'jax' or 'torch'")
    if framework == "jax":
        recorder, value, grads = _jax_program(f, args)
        name = "JAX"
    else:
        recorder, value, grads = _torch_program(f, args)
        name = "PyTorch"

    def retrace(values):
        return gradient_graph(f, *_args_at(f, args, values, framework), framework=framework)
    graph = as_program(recorder, value, grads)
    graph.framework, graph.kind, graph._retrace = name, "gradient program", retrace
    graph.source = f
    return graph


def _args_at(f, args, values, framework):
    if framework == "torch":
        return [values[n] for n in input_names(f, len(args))]
    jax = load_jax()
    names = [n for n, _ in leaf_names(jax, f, args)]
    return jax.tree_util.tree_unflatten(jax.tree_util.tree_structure(list(args)),
                                        [values[n] for n in names])


def _jax_program(f, args):
    jax = load_jax()
    leaves = leaf_names(jax, f, args)
    args64 = jax.tree_util.tree_map(as_float64, list(args))

    def value_and_grads(*a):
        value, grads = jax.value_and_grad(f, argnums=tuple(range(len(a))))(*a)
        return value, grads
    with jax.enable_x64(True):
        closed = jax.make_jaxpr(value_and_grads)(*args64)
    recorder = Recorder(JAX())
    ins = [recorder.input(n, leaf) for (n, _), leaf in
           zip(leaves, jax.tree_util.tree_leaves(args64))]
    outs = walk(recorder, closed, ins)
    return recorder, outs[0], outs[1:]


def _torch_program(f, args):
    torch = load_torch()

    def value_and_grads(*a):
        out = f(*a)
        wrt = [x for x in a if x.requires_grad]
        return (out, *torch.autograd.grad(out, wrt))
    names = input_names(f, len(args))
    gm, targs = aten_graph(torch, value_and_grads, args, requires_grad=True)
    recorder = Recorder(Torch())
    ins = [recorder.input(n, t.detach().numpy()) for n, t in zip(names, targs)]
    outs = replay(recorder, gm, ins)
    return recorder, outs[0], outs[1:]


def _upstream(recorder, outputs):
    """The logged tensors ``outputs`` need."""
    needed, stack = set(), [t for t in outputs if isinstance(t, Tensor)]
    while stack:
        t = stack.pop()
        if t in needed:
            continue
        needed.add(t)
        stack.extend(t.inputs)
    return needed


def as_program(recorder, value, grads):
    """Replay the recorded ops as a TensorFlow-1 program: the ops ``value`` needs at the top
    level (named as the teaching graph names them), the others inside ``gradients``."""
    if not recorder.is_live(value):
        raise ExpressionError("gradient_graph: the function's value does not depend on its "
                              f"inputs ({', '.join(recorder.inputs)}): nothing to differentiate")
    forward = _upstream(recorder, [value])
    fetched = [value] + [g for g in grads if recorder.is_live(g)]
    used = _upstream(recorder, fetched)
    _, letters = name_nodes([value], list(recorder.inputs.values()), dict(recorder.inputs))
    program = ProgramGraph()
    mapping = {}
    with program.as_default():
        for name, t in recorder.inputs.items():
            mapping[t] = placeholder(np.dtype(np.result_type(t._value)), shape=np.shape(t._value),
                                     name=name)
        steps = [s for s in recorder.log if s[0] in used]
        for t, prim, args, params, label in [s for s in steps if s[0] in forward]:
            mapping[t] = named(_replay(prim, args, params, mapping), letters[t])
        with name_scope("gradients"):
            for t, prim, args, params, label in [s for s in steps if s[0] not in forward]:
                mapping[t] = named(_replay(prim, args, params, mapping), label)
    feeds = {mapping[t]: t._value for t in recorder.inputs.values()}
    recording = programs.build([mapping[t] for t in fetched], feeds, None)
    graph = FrameworkGraph._assemble(recording.nodes, recording.inputs, recording.outputs,
                                     None, {}, recording.program)
    recording.program.collapse = recording.program.scopes.resolve(False)
    return graph


def _replay(prim, args, params, mapping):
    return apply(prim, *[mapping[a] if isinstance(a, Tensor) else a for a in args], **params)
