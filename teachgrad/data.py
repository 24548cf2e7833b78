"""``tg.data``: TensorFlow 1's ``tf.data`` (``Dataset``, ``Iterator``, ``make_one_shot_iterator``,
``make_initializable_iterator``).

The public face only: the code lives in :mod:`teachgrad.tf1.data`."""

from .tf1.data import *  # noqa: F401,F403
from .tf1.data import __all__  # noqa: F401
