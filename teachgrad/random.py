"""``tg.random``: random tensors (``normal``, ``uniform``, ``set_seed``) and TensorFlow 1's random ops.

The public face only: the code lives in :mod:`teachgrad.tf1.random_ops`."""

from .tf1.random_ops import *  # noqa: F401,F403
from .tf1.random_ops import __all__  # noqa: F401
