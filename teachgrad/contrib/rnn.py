"""``tf.contrib.rnn``: the cells of ``tf.nn.rnn_cell`` and ``static_rnn``,
``static_bidirectional_rnn``, as TensorFlow 1's ``tf.contrib.rnn`` has them (the code lives in
:mod:`teachgrad.tf1.rnn`).

>>> from teachgrad.contrib import rnn
>>> rnn.GRUCell(3).state_size
3
"""

from ..tf1.rnn import (BasicLSTMCell, BasicRNNCell, DropoutWrapper, GRUCell, LSTMCell,
                       LSTMStateTuple, MultiRNNCell, RNNCell, static_bidirectional_rnn,
                       static_rnn)

__all__ = ["RNNCell", "BasicRNNCell", "BasicLSTMCell", "LSTMCell", "GRUCell", "MultiRNNCell",
           "DropoutWrapper", "LSTMStateTuple", "static_rnn", "static_bidirectional_rnn"]


def __getattr__(name):
    if name.startswith("__"):
        raise AttributeError(name)
    raise AttributeError(f"teachgrad has no tf.contrib.rnn.{name} (it has: {', '.join(__all__)})")
