"""``tg.initializers``: TensorFlow 1's initializers (``zeros_initializer``, ``glorot_uniform_initializer``, …).

The public face only: the code lives in :mod:`teachgrad.tf1.initializers`."""

from .tf1.initializers import *  # noqa: F401,F403
from .tf1.initializers import __all__  # noqa: F401
