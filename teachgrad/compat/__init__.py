"""``teachgrad.compat.v1``: the module for programs written ``import tensorflow.compat.v1 as tf``.

>>> import teachgrad.compat.v1 as tf
>>> import teachgrad
>>> tf.placeholder is teachgrad.placeholder
True
"""

from . import v1  # noqa: F401

__all__ = ["v1"]
