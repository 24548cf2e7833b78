"""``tg.nn``: TensorFlow 1's ``tf.nn`` (activations, softmax and cross-entropies, conv2d, pools, dropout).

The public face only: the code lives in :mod:`teachgrad.tf1.nn_ops`."""

from .tf1.nn_ops import *  # noqa: F401,F403
from .tf1.nn_ops import __all__  # noqa: F401
