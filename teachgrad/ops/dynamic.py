"""Ops that take a shape from another tensor when they run, as TensorFlow's ``Shape(x)`` inputs do.

A derivative rule often needs its input's shape: the cotangent of ``reduce_sum(x)`` is broadcast
back to ``x``'s shape, that of ``reshape(x)`` reshaped back to it. With a placeholder of shape
``(None, 3)`` that shape is known only when the program runs, so these ops take ``x`` itself as an
input (no derivative flows into it) and read its shape then. The rules use them only for an
input whose static shape has unknown sizes (:func:`known`); with a known shape they keep the
plain ops, so graphs of known shapes are what they always were.
"""

import numpy as np

from ..shapes import TensorShape, unknown_dims
from ..tensor import np_dtype
from .registry import structural

__all__ = ["known", "like_last", "sum_to_like", "broadcast_like", "reshape_like", "count_like",
           "select", "scatter_like"]


def known(x):
    """Whether the shape of ``x`` (a NumPy value or a tensor) is fully known now.

    >>> import numpy as np, teachgrad as tg
    >>> known(np.ones(3)), known(tg.placeholder(tg.float32, (None, 3)))
    (True, False)
    """
    return not unknown_dims(np.shape(x))


def _no_rule(g, out, *args, **params):
    return None


def like_last(inputs, params):
    """The static result of an op shaped like its last input and typed like its first: probing
    cannot tell, since stand-ins of unknown sizes need not fit each other."""
    return inputs[-1].shape, np_dtype(inputs[0])


def _sum_to(g, x):
    """``g`` summed down to the shape of ``x``: the adjoint of NumPy broadcasting."""
    shape = np.shape(x)
    if np.shape(g) == shape:
        return g
    lead = np.ndim(g) - len(shape)
    axes = tuple(range(lead)) + tuple(i + lead for i, n in enumerate(shape)
                                      if n == 1 and np.shape(g)[i + lead] != 1)
    return np.sum(g, axis=axes).reshape(shape)


sum_to_like = structural(
    "sum_to_like", _sum_to, linear=True, infer=like_last,
    vjp=(lambda gg, out, g, x: broadcast_like(gg, g), _no_rule),
    jvp=(lambda g_dot, out, g, x: sum_to_like(g_dot, x), _no_rule),
    expr="sum_to({0})", formulas=("sum over broadcast axes", "0"),
    doc="sum_to_like: g summed back to the shape x has when it runs")

broadcast_like = structural(
    "broadcast_like", lambda g, x: np.broadcast_to(g, np.shape(x)), linear=True,
    infer=like_last,
    vjp=(lambda gg, out, g, x: sum_to_like(gg, g), _no_rule),
    jvp=(lambda g_dot, out, g, x: broadcast_like(g_dot, x), _no_rule),
    expr="broadcast({0})", formulas=("copy along broadcast axes", "0"),
    doc="broadcast_like: g copied out to the shape x has when it runs")

reshape_like = structural(
    "reshape_like", lambda g, x: np.reshape(g, np.shape(x)), linear=True, infer=like_last,
    vjp=(lambda gg, out, g, x: reshape_like(gg, g), _no_rule),
    jvp=(lambda g_dot, out, g, x: reshape_like(g_dot, x), _no_rule),
    expr="reshape({0})", formulas=("reshape back", "0"),
    doc="reshape_like: g in the shape x has when it runs")


def _count(x, axis=None):
    if axis is None:
        n = np.size(x)
    else:
        shape = np.shape(x)
        n = 1
        for a in {int(a) % len(shape) for a in ((axis,) if np.ndim(axis) == 0 else axis)}:
            n *= shape[a]
    return _count_dtype(x.dtype if x.__class__ is np.ndarray else np.result_type(x)).type(n)


def _count_dtype(dtype):
    return dtype if dtype.kind in "fc" else np.dtype(np.float64)


count_like = structural(
    "count_like", _count, vjp=(_no_rule,), jvp=(_no_rule,),
    infer=lambda inputs, params: (TensorShape(()), _count_dtype(np_dtype(inputs[0]))),
    expr="count({0})", formulas=("0",),
    doc="count_like: how many elements of x lie along the axes (the n of a mean), when it runs")


def _scatter(g, x, index):
    out = np.zeros(np.shape(x), dtype=np.result_type(g))
    np.add.at(out, index, g)   # adds repeated indices, unlike out[index] += g
    return out


select = structural(
    "select", lambda x, index: np.asarray(x)[index], linear=True,
    vjp=(lambda g, out, x, index: scatter_like(g, x, index=index),),
    expr="{0}[…]", formulas=("1 at the selected elements",),
    doc="select: x[index] for an x of sizes known only when it runs (getitem's twin)")

scatter_like = structural(
    "scatter_like", _scatter, linear=True,
    infer=lambda inputs, params: (inputs[1].shape, np_dtype(inputs[0])),
    vjp=(lambda gg, out, g, x, index: select(gg, index=index), _no_rule),
    jvp=(lambda g_dot, out, g, x, index: scatter_like(g_dot, x, index=index), _no_rule),
    expr="scatter({0})", formulas=("the selected elements", "0"),
    doc="scatter_like: g added at x[index] into zeros shaped like x when it runs")
