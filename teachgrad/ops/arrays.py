"""Array ops of TensorFlow 1 that move elements without changing them: ``squeeze``, ``tile``,
``gather``, ``fill`` (``expand_dims`` is in ``runtime_shapes.py``), ``pack`` (stack) and
``reshape_to`` (TF's Reshape, with its shape as an input); and ``add_n``, ``linspace`` and
``unique`` as TensorFlow 1 makes them (one AddN, LinSpace or Unique op).

Each is linear in its (floating) input. Their derivative rules read the input's shape when the
program runs (``ops.runtime_shapes``), so they differentiate through placeholders of unknown
sizes.
"""

import numpy as np

from ..core.primitive import probe_static
from ..core.shapes import TensorShape
from ..core.tensor import np_dtype
from ..errors import ShapeError
from .registry import structural
from .runtime_shapes import expand_dims, reshape_like, static_sizes, sum_like
from .structural import getitem, reshape

__all__ = ["squeeze", "tile", "tile_grad", "gather", "gather_grad", "fill", "keep_axes",
           "like_last", "add_n", "pack", "reshape_to", "linspace", "unique", "unique_idx"]


def _no_rule(g, out, *args, **params):
    return None


def like_last(inputs, params):
    """The static result of an op shaped like its last input and typed like its first: probing
    cannot tell, since stand-ins of unknown sizes need not fit each other."""
    return inputs[-1].shape, np_dtype(inputs[0])

squeeze = structural(
    "squeeze", lambda x, axis=None: np.squeeze(x, axis), linear=True,
    vjp=(lambda g, out, x, axis=None: reshape_like(g, x),),
    expr="squeeze({0})", formulas=("put the axes back",),
    doc="squeeze: x without axes of size 1;  the cotangent is reshaped back")


def keep_axes(g, x_shape, axis, keepdims):
    """The cotangent ``g`` of a reduction over ``axis`` with the reduced axes put back as size 1,
    so that it broadcasts against the input of shape ``x_shape``."""
    if keepdims or not len(x_shape):
        return g
    n = len(x_shape)
    axes = range(n) if axis is None else ((axis,) if np.ndim(axis) == 0 else axis)
    return expand_dims(g, axes=tuple(sorted({int(a) % n for a in axes})))


def _tile_grad(g, x, multiples):
    """Σ over the tiles: g seen as (m₀, n₀, m₁, n₁, …) summed over the m axes."""
    shape = np.shape(x)
    split = [d for pair in zip(multiples, shape) for d in pair]
    return np.sum(np.reshape(g, split), axis=tuple(range(0, 2 * len(shape), 2)))


tile = structural(
    "tile", lambda x, multiples: np.tile(x, multiples), linear=True,
    vjp=(lambda g, out, x, multiples: tile_grad(g, x, multiples=multiples),),
    expr="tile({0})", formulas=("sum over the copies",),
    doc="tile: x repeated ``multiples[i]`` times along axis i;  the cotangent sums the copies")

tile_grad = structural(
    "tile_grad", _tile_grad, linear=True, infer=like_last,
    vjp=(lambda gg, out, g, x, multiples: tile(gg, multiples=multiples), _no_rule),
    jvp=(lambda g_dot, out, g, x, multiples: tile_grad(g_dot, x, multiples=multiples),
         _no_rule),
    expr="Σ tiles({0})", formulas=("copy to every tile", "0"),
    doc="tile_grad: the copies of a tiled cotangent summed back to the shape of x")


def _gather_grad(g, indices, params, axis=0):
    """The cotangent of ``take(params, indices, axis)``: g added at the gathered positions."""
    out = np.zeros(np.shape(params), dtype=np.result_type(g))
    moved = np.moveaxis(out, axis, 0)
    g_moved = np.moveaxis(np.asarray(g), list(range(axis, axis + np.ndim(indices))),
                          list(range(np.ndim(indices))))
    np.add.at(moved, np.asarray(indices), g_moved)   # repeated indices add up
    return out


gather = structural(
    "gather", lambda params, indices, axis=0: np.take(params, indices, axis=axis),
    vjp=(lambda g, out, params, indices, axis=0: gather_grad(g, indices, params, axis=axis),
         _no_rule),
    jvp=(lambda p_dot, out, params, indices, axis=0: gather(p_dot, indices, axis=axis),
         _no_rule),
    expr="{0}[{1}]", formulas=("1 at the gathered rows", "0"),
    doc="gather: the slices of params at ``indices`` along ``axis``;  the cotangent is added "
        "back at those slices (repeated indices add up)")

gather_grad = structural(
    "gather_grad", _gather_grad, linear=True, infer=like_last,
    vjp=(lambda gg, out, g, indices, params, axis=0: gather(gg, indices, axis=axis),
         _no_rule, _no_rule),
    jvp=(lambda g_dot, out, g, indices, params, axis=0:
         gather_grad(g_dot, indices, params, axis=axis), _no_rule, _no_rule),
    expr="scatter({0})", formulas=("the gathered slices", "0", "0"),
    doc="gather_grad: a gathered cotangent added back into zeros shaped like params")


def _fill_static(inputs, params):
    """fill's static shape: the sizes in ``dims`` if they are known now, else unknown sizes."""
    dims, value = inputs
    return static_sizes(dims), np_dtype(value)


fill = structural(
    "fill", lambda dims, value: np.full(tuple(int(d) for d in np.atleast_1d(dims)), value),
    vjp=(_no_rule, lambda g, out, dims, value: sum_like(g, value)),
    jvp=(_no_rule, lambda v_dot, out, dims, value: fill(dims, v_dot)),
    infer=_fill_static, expr="fill({1})", formulas=("0", "Σ (each element)"),
    doc="fill: a tensor of shape ``dims`` with every element ``value``;  ∂/∂value sums the "
        "cotangent")


# --- issue 21's ops: TF-1's AddN, Pack, Reshape with its shape input, LinSpace, Unique -----------

class _EachInput(tuple):
    """One rule per input, for any number of inputs (``add_n``, ``stack``)."""

    def __new__(cls, rule):
        self = super().__new__(cls)
        self.rule = rule
        return self

    def __getitem__(self, i):
        return self.rule(i)


def _add_n_impl(*xs):
    shapes = {np.shape(x) for x in xs}
    if len(shapes) > 1:
        raise ShapeError(f"add_n: shapes {[np.shape(x) for x in xs]}: TensorFlow 1's AddN adds "
                         "tensors of one shape (no broadcasting)")
    total = np.array(xs[0], copy=True)
    for x in xs[1:]:
        total = total + x
    return total


add_n = structural(
    "add_n", _add_n_impl, linear=True, same_dtype=True,
    vjp=_EachInput(lambda i: lambda g, out, *xs: g),
    expr="Σ(…)", formulas=_EachInput(lambda i: "1"),
    doc="add_n: f(x₁, …, xₙ) = x₁ + … + xₙ (one shape, no broadcasting);  ∂f/∂xᵢ = 1")


def _pack_impl(*xs, axis=0):
    if len({np.shape(x) for x in xs}) > 1:
        raise ShapeError(f"stack: shapes {[np.shape(x) for x in xs]}: expected all the same "
                         "shape")
    return np.stack(xs, axis=axis)


def _pack_part(i):
    def vjp(g, out, *xs, axis=0):   # (axis ≥ 0: tg.stack gives it so)
        return getitem(g, (slice(None),) * axis + (i,))
    return vjp


pack = structural(
    "pack", _pack_impl, linear=True, same_dtype=True, vjp=_EachInput(_pack_part),
    expr="stack(…)", formulas=_EachInput(lambda i: f"1 at slice {i}"),
    doc="pack: stacks tensors of one shape along a new axis (TensorFlow's Pack, tg.stack); "
        "input i gets its slice of the cotangent")


def _reshape_to_impl(x, shape):
    return reshape.impl(x, tuple(int(n) for n in np.atleast_1d(shape)))


def _reshape_static(inputs, params):
    x, dims = inputs
    if dims._value is not None:   # sizes known now: probing finds the -1 and checks the count
        return probe_static(reshape_to, inputs, params)
    return static_sizes(dims), np_dtype(x)


reshape_to = structural(
    "reshape_to", _reshape_to_impl, linear=True, infer=_reshape_static,
    vjp=(lambda g, out, x, shape: reshape_like(g, x), _no_rule),
    jvp=(lambda x_dot, out, x, shape: reshape_to(x_dot, shape), _no_rule),
    expr="reshape({0})", formulas=("reshape back", "0"),
    doc="reshape_to: TensorFlow's Reshape, the new shape an input of its own (a constant "
        "Reshape/shape, or a tensor known when the program runs); the cotangent is reshaped back")


def _linspace_impl(start, stop, num):
    return np.linspace(start, stop, int(num)).astype(np.result_type(start))


linspace = structural(
    "linspace", _linspace_impl, same_dtype=(0, 1), dtypes=("start", "f", "bfloat16, float16, "
                                                              "float32, float64"),
    vjp=(_no_rule,) * 3, jvp=(_no_rule,) * 3, expr="linspace({0}, {1})", formulas=("0",) * 3,
    doc="linspace: num evenly spaced numbers from start to stop, both included (TensorFlow 1.15's "
        "LinSpace op; no gradient)")


def _unique(x):
    """The distinct values of ``x`` in the order they first appear, and each element's index into
    them (TensorFlow keeps that order; NumPy's unique sorts)."""
    if np.ndim(x) != 1:
        raise ShapeError(f"unique: Shape must be rank 1 but is rank {np.ndim(x)}: tg.unique takes "
                         "a vector (tg.reshape(x, [-1]) first)")
    _, first, inverse = np.unique(x, return_index=True, return_inverse=True)
    order = np.argsort(first)
    rank = np.empty_like(order)
    rank[order] = np.arange(len(order))
    return np.asarray(x)[np.sort(first)], rank[np.ravel(inverse)]


def _no_unique_gradient(*args, **params):
    raise LookupError("No gradient defined for operation 'Unique' (op type: Unique), as in "
                      "TensorFlow 1. If you want to pretend this operation is a constant in "
                      "your program, you may insert tg.stop_gradient")


unique = structural(
    "unique", lambda x: _unique(x)[0],
    infer=lambda inputs, params: (TensorShape([None]), np_dtype(inputs[0])),
    vjp=(_no_unique_gradient,), jvp=(_no_unique_gradient,), expr="unique({0})", formulas=("?",),
    doc="unique: the distinct values of a vector in the order they first appear (TensorFlow's "
        "Unique, output 0; no gradient defined)")

unique_idx = structural(
    "unique_idx", lambda x, out_idx=np.int32: _unique(x)[1].astype(out_idx),
    infer=lambda inputs, params: (inputs[0].shape, np.dtype(params.get("out_idx", np.int32))),
    vjp=(_no_rule,), jvp=(_no_rule,), expr="unique indices({0})", formulas=("0",),
    doc="unique_idx: for each element of x, the index of its value in unique(x) (TensorFlow's "
        "Unique, output 1)")
