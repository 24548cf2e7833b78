"""``tf.nn.rnn_cell``: TensorFlow 1's recurrent cells (the code lives in :mod:`teachgrad.tf1.rnn`).

>>> import teachgrad as tf
>>> tf.nn.rnn_cell.BasicLSTMCell(4).state_size
LSTMStateTuple(c=4, h=4)
"""

from .rnn import (BasicLSTMCell, BasicRNNCell, DropoutWrapper, GRUCell, LSTMCell, LSTMStateTuple,
                  MultiRNNCell, RNNCell)

__all__ = ["RNNCell", "BasicRNNCell", "BasicLSTMCell", "LSTMCell", "GRUCell", "MultiRNNCell",
           "DropoutWrapper", "LSTMStateTuple"]
