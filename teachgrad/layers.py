"""``tg.layers``: TensorFlow 1's ``tf.layers`` (``Dense``, ``dense``, ``flatten``).

The public face only: the code lives in :mod:`teachgrad.tf1.layers`."""

from .tf1.layers import *  # noqa: F401,F403
from .tf1.layers import __all__  # noqa: F401
