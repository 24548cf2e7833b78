"""``tg.train``: TensorFlow 1's optimizers, the global step and decaying learning rates.

The public face only: the code lives in :mod:`teachgrad.tf1.train`."""

from .tf1.train import *  # noqa: F401,F403
from .tf1.train import __all__  # noqa: F401
