"""TensorFlow 1's reductions: ``reduce_sum``, ``reduce_mean``, ``reduce_max``, ``reduce_min``,
``reduce_prod``, ``reduce_any``, ``reduce_all`` (``axis``, ``keepdims``, and TF-1's older
``reduction_indices`` and ``keep_dims``) and ``reduce_logsumexp``.
"""

from .. import ops
from ..core.primitive import apply
from ..core.tensor import as_tensor, named

__all__ = ["reducer", "reduce_sum", "reduce_mean", "reduce_max", "reduce_min", "reduce_prod",
           "reduce_any", "reduce_all", "reduce_logsumexp"]


def reducer(prim, example):
    """The public function of reduction ``prim``, TensorFlow 1's signature and ``example`` its
    doctest."""
    def fn(input_tensor, axis=None, keepdims=None, name=None, reduction_indices=None,
           keep_dims=None):
        axis = reduction_indices if axis is None else axis      # TF-1's older names
        keepdims = keep_dims if keepdims is None else keepdims
        x = as_tensor(input_tensor)
        ops.norm_axis(axis, x.ndim) if axis is not None else None  # a bad axis fails here
        return named(apply(prim, x, axis=axis, keepdims=bool(keepdims)), name)
    fn.__name__ = prim.name
    fn.__qualname__ = prim.name
    fn.__doc__ = f"""{prim.doc}

    ``axis`` is None (all), an int or a list of ints; ``keepdims`` keeps reduced axes as size 1
    (``reduction_indices`` and ``keep_dims`` are TensorFlow 1's older names for them).

    >>> import teachgrad as tg
    {example}
    """
    return fn


reduce_sum = reducer(ops.reduce_sum, ">>> tg.reduce_sum([[1.0, 2.0], [3.0, 4.0]], axis=0).numpy()\n"
                                      "    array([4., 6.], dtype=float32)")
reduce_mean = reducer(ops.reduce_mean, ">>> tg.reduce_mean([[1.0, 2.0], [3.0, 4.0]]).numpy()\n"
                                        "    array(2.5, dtype=float32)")
reduce_max = reducer(ops.reduce_max, ">>> tg.reduce_max([[1.0, 5.0], [3.0, 4.0]], axis=1).numpy()\n"
                                      "    array([5., 4.], dtype=float32)")
reduce_min = reducer(ops.reduce_min, ">>> tg.reduce_min([[1.0, 5.0], [3.0, 4.0]], 1).numpy()\n"
                                      "    array([1., 3.], dtype=float32)")
reduce_prod = reducer(ops.reduce_prod, ">>> tg.reduce_prod([[1.0, 5.0], [3.0, 4.0]], 0).numpy()\n"
                                        "    array([ 3., 20.], dtype=float32)")
reduce_any = reducer(ops.reduce_any, ">>> tg.reduce_any([[True, False], [False, False]], 1)\n"
                                      "    <tg.Tensor ...value=[ True False]>")
reduce_all = reducer(ops.reduce_all, ">>> tg.reduce_all([[True, False], [True, True]], 1)\n"
                                      "    <tg.Tensor ...value=[False  True]>")


def reduce_logsumexp(input_tensor, axis=None, keepdims=None, name=None,
                     reduction_indices=None, keep_dims=None):
    """log Σ exp(x) along ``axis``, computed without overflow (the max is taken out first).

    >>> import teachgrad as tg
    >>> tg.reduce_logsumexp([0.0, 1000.0]).numpy()
    array(1000., dtype=float32)
    """
    axis = reduction_indices if axis is None else axis
    keepdims = bool(keep_dims if keepdims is None else keepdims)
    x = as_tensor(input_tensor)
    top = apply(ops.stop_gradient, reduce_max(x, axis=axis, keepdims=True))
    total = reduce_sum(ops.exp(x - top), axis=axis, keepdims=keepdims)
    if not keepdims:
        top = apply(ops.squeeze, top, axis=ops.norm_axis(axis, x.ndim))
    return named(ops.log(total) + top, name)
