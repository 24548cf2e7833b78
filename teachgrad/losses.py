"""``tg.losses``: TensorFlow 1's ``tf.losses`` (a loss per element, weighted and reduced).

The public face only: the code lives in :mod:`teachgrad.tf1.losses`."""

from .tf1.losses import *  # noqa: F401,F403
from .tf1.losses import __all__  # noqa: F401
