"""Array ops of TensorFlow 1 that move elements without changing them: ``squeeze``, ``tile``,
``gather``, ``fill`` (``expand_dims`` is in ``runtime_shapes.py``).

Each is linear in its (floating) input. Their derivative rules read the input's shape when the
program runs (``ops.runtime_shapes``), so they differentiate through placeholders of unknown
sizes.
"""

import numpy as np

from ..core.shapes import TensorShape
from ..core.tensor import np_dtype
from .nondiff import shape as shape_of
from .registry import structural
from .runtime_shapes import expand_dims, reshape_like, sum_like

__all__ = ["squeeze", "tile", "tile_grad", "gather", "gather_grad", "fill", "keep_axes",
           "like_last"]


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
    if dims._value is not None:
        return TensorShape(np.atleast_1d(dims._value).tolist()), np_dtype(value)
    if dims.prim is shape_of:   # fill(tg.shape(x), v): as much as x's static shape says
        return dims.inputs[0].shape, np_dtype(value)
    n = tuple(dims.shape)[0] if dims.shape.ndims == 1 else None
    return TensorShape(None if n is None else [None] * n), np_dtype(value)


fill = structural(
    "fill", lambda dims, value: np.full(tuple(int(d) for d in np.atleast_1d(dims)), value),
    vjp=(_no_rule, lambda g, out, dims, value: sum_like(g, value)),
    jvp=(_no_rule, lambda v_dot, out, dims, value: fill(dims, v_dot)),
    infer=_fill_static, expr="fill({1})", formulas=("0", "Σ (each element)"),
    doc="fill: a tensor of shape ``dims`` with every element ``value``;  ∂/∂value sums the "
        "cotangent")
