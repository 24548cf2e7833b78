"""``tf.contrib``: only what teachgrad has of it — ``tf.contrib.rnn``. Any other ``tf.contrib.x``
is a one-line ``AttributeError`` that says so.

>>> import teachgrad as tf
>>> tf.contrib.rnn.BasicLSTMCell is tf.nn.rnn_cell.BasicLSTMCell
True
>>> tf.contrib.layers
Traceback (most recent call last):
...
AttributeError: teachgrad has no tf.contrib.layers (its tf.contrib holds only: rnn)
"""

from . import rnn

__all__ = ["rnn"]


def __getattr__(name):
    if name.startswith("__"):
        raise AttributeError(name)
    raise AttributeError(f"teachgrad has no tf.contrib.{name} (its tf.contrib holds only: "
                         f"{', '.join(__all__)})")
