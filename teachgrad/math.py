"""``tg.math``: TensorFlow's ``tf.math`` names (``tf.math.log``): every element-wise function
declared in ``ops``, the reductions and the comparisons."""

from . import functions, ops

__all__ = [p.function for p in ops.REGISTRY.values() if p.elementwise and p.function] + [
    "reduce_sum", "reduce_mean", "reduce_max", "equal", "not_equal", "greater", "greater_equal",
    "less", "less_equal"]

globals().update({name: getattr(functions, name) for name in __all__})
