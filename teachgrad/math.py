"""``tg.math``: the element-wise functions under TensorFlow's ``tf.math`` names (``tf.math.log``)."""

from .functions import (abs, add, cos, cosh, divide, equal, exp, greater, less, log, maximum,
                        minimum, multiply, negative, pow, reduce_max, reduce_mean, reduce_sum,
                        sigmoid, sin, sinh, sqrt, square, subtract, tan, tanh)

__all__ = ["abs", "add", "cos", "cosh", "divide", "equal", "exp", "greater", "less", "log",
           "maximum", "minimum", "multiply", "negative", "pow", "reduce_max", "reduce_mean",
           "reduce_sum", "sigmoid", "sin", "sinh", "sqrt", "square", "subtract", "tan", "tanh"]
