"""``tg.nn``: TensorFlow 1's ``tf.nn`` (activations, softmax and cross-entropies, conv2d, pools, dropout, moments and batch_normalization, nce_loss and the candidate samplers, recurrent
networks).

The public face only: the code lives in :mod:`teachgrad.tf1.nn_ops`."""

from .tf1.nn_ops import *  # noqa: F401,F403
from .tf1.nn_ops import __all__ as _nn_all
from .tf1.candidate_sampling import *  # noqa: F401,F403
from .tf1.candidate_sampling import __all__ as _sampling_all
from .tf1.nn_impl import *  # noqa: F401,F403
from .tf1.nn_impl import __all__ as _impl_all

from .tf1.rnn import (bidirectional_dynamic_rnn, dynamic_rnn, static_bidirectional_rnn,
                      static_rnn)
from .tf1 import rnn_cell

__all__ = _nn_all + _sampling_all + _impl_all + [
    "dynamic_rnn", "static_rnn", "bidirectional_dynamic_rnn", "static_bidirectional_rnn",
    "rnn_cell"]
