"""``tg.linalg``: TensorFlow's ``tf.linalg`` (``inv``, ``det``, ``matrix_transpose``, ``diag``, …).

The public face only: the code lives in :mod:`teachgrad.tf1.linalg_ops`."""

from .tf1.linalg_ops import *  # noqa: F401,F403
from .tf1.linalg_ops import __all__  # noqa: F401
