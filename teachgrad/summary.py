"""``tg.summary``: TensorFlow 1's ``tf.summary`` (``scalar``, ``histogram``, ``merge``,
``merge_all``, ``FileWriter``): TensorBoard event files. Needs ``pip install
"teachgrad[tensorboard]"``.

The public face only: the code lives in :mod:`teachgrad.tf1.summary`."""

from .tf1.summary import *  # noqa: F401,F403
from .tf1.summary import __all__  # noqa: F401
