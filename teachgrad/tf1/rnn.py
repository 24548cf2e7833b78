"""TensorFlow 1's recurrent networks: the functions that run a cell of ``tf.nn.rnn_cell``
(:mod:`teachgrad.tf1.rnn_cell`) over a sequence — ``static_rnn``, ``dynamic_rnn`` and their
bidirectional forms.

``static_rnn`` unrolls the cell over a Python list of time steps, as TensorFlow 1 does (one copy
of the cell's ops per step). ``dynamic_rnn`` builds one ``tf.while_loop`` whose body is one step,
as TensorFlow 1 does: the number of steps may be unknown until the graph runs (a placeholder of
shape ``[None, None, depth]``), and the graph stays the same size for any length. The outputs of
the steps are gathered by concatenation inside the loop (TensorFlow uses a ``TensorArray``, which
teachgrad does not have; each step copies the outputs so far, which is cheap for the tens of
steps of a lesson); derivatives flow back through every iteration.

With ``sequence_length``, a sequence's outputs past its length are zeros and its state is carried
unchanged past it, so the final state is the state at each sequence's own last step.

>>> import numpy as np, teachgrad as tf
>>> with tf.Graph().as_default():
...     x = tf.placeholder(tf.float32, [None, 4, 2])
...     cell = tf.nn.rnn_cell.BasicLSTMCell(3)
...     outputs, state = tf.nn.dynamic_rnn(cell, x, sequence_length=[4, 2], dtype=tf.float32)
...     names = [v.name for v in tf.trainable_variables()]
...     with tf.Session() as sess:
...         sess.run(tf.global_variables_initializer())
...         out, h = sess.run([outputs, state.h], {x: np.ones((2, 4, 2))})
>>> outputs.shape, names
(TensorShape([None, 4, 3]), ['rnn/basic_lstm_cell/kernel:0', 'rnn/basic_lstm_cell/bias:0'])
>>> bool(np.all(out[1, 2:] == 0)), bool(np.allclose(h[1], out[1, 1]))   # past length 2
(True, True)
"""

import numpy as np

from ..core.shapes import TensorShape
from ..core.tensor import Tensor, as_tensor
from .array_ops import gather, unstack, expand_dims
from .control_flow import while_loop
from .math_ops import (cast, concat, less, range as tf_range, reshape, shape as tf_shape, stack,
                       transpose, where, zeros, zeros_like)
from .rnn_cell import (BasicLSTMCell, BasicRNNCell, DropoutWrapper, GRUCell, LSTMCell,
                       LSTMStateTuple, MultiRNNCell, RNNCell, batch_size_of, build_cell,
                       check_cell)
from .nest import flatten, map_structure
from .variable_scope import variable_scope

__all__ = ["static_rnn", "static_bidirectional_rnn", "dynamic_rnn", "bidirectional_dynamic_rnn",
           "RNNCell", "BasicRNNCell", "BasicLSTMCell", "LSTMCell", "GRUCell", "MultiRNNCell",
           "DropoutWrapper", "LSTMStateTuple"]


# ------------------------------------------------------------------------------------------------
# Running a cell over a sequence
# ------------------------------------------------------------------------------------------------

def _initial_state(cell, initial_state, batch_size, dtype):
    if initial_state is not None:
        return initial_state
    if dtype is None:
        raise ValueError("If there is no initial_state, you must give a dtype.")
    return cell.zero_state(batch_size, dtype)


def _sequence_length(sequence_length):
    if sequence_length is None:
        return None
    lengths = cast(as_tensor(sequence_length), np.int32)
    if lengths.shape.ndims not in (None, 1):
        raise ValueError("sequence_length must be a vector of length batch_size, but saw "
                         f"shape: {lengths.shape}")
    return lengths


def _step_past_length(keep, output, new_state, state):
    """Past a sequence's length: its output is zeros, its state stays as it was."""
    output = where(keep, output, zeros_like(output))
    new_state = map_structure(lambda new, old: where(keep, new, old), new_state, state)
    return output, new_state


def static_rnn(cell, inputs, initial_state=None, dtype=None, sequence_length=None, scope=None):
    """Run ``cell`` over ``inputs``, a list of ``[batch, depth]`` tensors, one per time step,
    unrolled (one copy of the cell's ops per step). Returns ``(outputs, state)``: the list of
    outputs and the final state.

    >>> import teachgrad as tf
    >>> with tf.Graph().as_default():
    ...     xs = tf.unstack(tf.ones([2, 5, 3]), 5, 1)
    ...     outputs, state = tf.nn.static_rnn(tf.nn.rnn_cell.GRUCell(4), xs, dtype=tf.float32)
    ...     len(outputs), state.shape
    (5, TensorShape([2, 4]))
    """
    check_cell("cell", cell)
    if not isinstance(inputs, (list, tuple)):
        raise TypeError(f"inputs must be a sequence, not {inputs!r}")
    if not inputs:
        raise ValueError("inputs must not be empty")
    inputs = [as_tensor(x) for x in inputs]
    with variable_scope(scope or "rnn") as varscope:
        first = inputs[0]
        if first.shape.ndims is not None and first.shape.ndims < 2:
            raise ValueError(f"Input must have rank at least 2, saw shape {first.shape}")
        state = _initial_state(cell, initial_state, batch_size_of(inputs, 0), dtype)
        lengths = _sequence_length(sequence_length)
        outputs = []
        for t, x in enumerate(inputs):
            if t > 0:
                varscope.reuse_variables()   # as TF-1: a cell may get_variable at every call
            output, new_state = cell(x, state)
            if lengths is not None:
                output, new_state = _step_past_length(less(np.int32(t), lengths), output,
                                                      new_state, state)
            outputs.append(output)
            state = new_state
        return outputs, state


def _reverse_steps(x, lengths):
    """``x`` (time-major, ``[time, batch, …]``) with each sequence's first ``length`` steps
    reversed and the rest left in place (TensorFlow's ``reverse_sequence``); all of them
    reversed when ``lengths`` is None."""
    x = as_tensor(x)
    time, batch = tf_shape(x)[0], tf_shape(x)[1]
    t = expand_dims(tf_range(np.int32(0), time), 1)                  # [time, 1]
    if lengths is None:
        source = time - 1 - t + zeros_like(expand_dims(tf_range(np.int32(0), batch), 0))
    else:
        n = expand_dims(lengths, 0)                                   # [1, batch]
        source = where(less(t, n), n - 1 - t, t + zeros_like(n))
    flat_index = reshape(source * batch + expand_dims(tf_range(np.int32(0), batch), 0), [-1])
    rest = x.shape.as_list()[2:]
    flat = reshape(x, [-1] + [d if d is not None else -1 for d in rest])
    out = reshape(gather(flat, flat_index), tf_shape(x))
    out.set_shape(x.shape)
    return out


def static_bidirectional_rnn(cell_fw, cell_bw, inputs, initial_state_fw=None,
                             initial_state_bw=None, dtype=None, sequence_length=None,
                             scope=None):
    """A forward and a backward ``static_rnn`` (scopes ``bidirectional_rnn/fw`` and ``…/bw``);
    the backward one reads each sequence from its own last step. Returns ``(outputs,
    state_fw, state_bw)``, each output the two directions' outputs concatenated.

    >>> import teachgrad as tf
    >>> R = tf.nn.rnn_cell
    >>> with tf.Graph().as_default():
    ...     xs = tf.unstack(tf.ones([2, 5, 3]), 5, 1)
    ...     outs, fw, bw = tf.nn.static_bidirectional_rnn(R.GRUCell(4), R.GRUCell(4), xs,
    ...                                                  dtype=tf.float32)
    ...     outs[0].shape
    TensorShape([2, 8])
    """
    check_cell("cell_fw", cell_fw)
    check_cell("cell_bw", cell_bw)
    if not isinstance(inputs, (list, tuple)):
        raise TypeError(f"inputs must be a sequence, not {inputs!r}")
    if not inputs:
        raise ValueError("inputs must not be empty")
    with variable_scope(scope or "bidirectional_rnn"):
        with variable_scope("fw") as fw_scope:
            output_fw, state_fw = static_rnn(cell_fw, inputs, initial_state_fw, dtype,
                                             sequence_length, scope=fw_scope)
        with variable_scope("bw") as bw_scope:
            lengths = _sequence_length(sequence_length)
            if lengths is None:
                reversed_inputs = list(reversed(inputs))
            else:
                reversed_inputs = unstack(_reverse_steps(stack(inputs), lengths), len(inputs))
            tmp, state_bw = static_rnn(cell_bw, reversed_inputs, initial_state_bw, dtype,
                                       sequence_length, scope=bw_scope)
            if lengths is None:
                output_bw = list(reversed(tmp))
            else:
                output_bw = unstack(_reverse_steps(stack(tmp), lengths), len(tmp))
    outputs = [concat([fw, bw], 1) for fw, bw in zip(output_fw, output_bw)]
    return outputs, state_fw, state_bw


def dynamic_rnn(cell, inputs, sequence_length=None, initial_state=None, dtype=None,
                parallel_iterations=None, swap_memory=False, time_major=False, scope=None):
    """Run ``cell`` over ``inputs`` (``[batch, time, depth]``, or ``[time, batch, depth]`` with
    ``time_major``) in one ``tf.while_loop``. Returns ``(outputs, state)``: the outputs in the
    layout of the inputs, and the final state.

    >>> import teachgrad as tf
    >>> with tf.Graph().as_default():
    ...     x = tf.placeholder(tf.float32, [None, None, 3])
    ...     outputs, state = tf.nn.dynamic_rnn(tf.nn.rnn_cell.GRUCell(4), x, dtype=tf.float32)
    ...     outputs.shape, state.shape
    (TensorShape([None, None, 4]), TensorShape([None, 4]))
    """
    check_cell("cell", cell)
    if isinstance(inputs, (list, tuple)):
        raise NotImplementedError("dynamic_rnn: nested inputs are not in teachgrad; give one "
                                  "tensor")
    inputs = as_tensor(inputs)
    if inputs.shape.ndims is not None and inputs.shape.ndims < 3:
        raise ValueError(f"Shape {inputs.shape} must have rank at least 3")
    with variable_scope(scope or "rnn") as varscope:
        x = inputs if time_major else transpose(inputs, [1, 0] + list(range(2, inputs.ndim)))
        depth = x.shape.as_list()[2]
        if depth is None:
            raise ValueError("Input size (depth of inputs) must be accessible via shape "
                             f"inference, but saw value None for input={x}.")
        batch = batch_size_of([x], 1)
        state = map_structure(as_tensor, _initial_state(cell, initial_state, batch, dtype))
        lengths = _sequence_length(sequence_length)
        dtype = flatten(state)[0].dtype
        if not build_cell(cell, [x.shape.as_list()[1], depth], dtype):
            cell(gather(x, 0), state)   # a call outside the loop makes what call() makes
            varscope.reuse_variables()  # (and the loop's call gets those variables again)
        outputs, final_state = _dynamic_rnn_loop(cell, x, state, lengths, batch,
                                                 parallel_iterations)
        if not time_major:
            outputs = transpose(outputs, [1, 0, 2])
        return outputs, final_state


def _dynamic_rnn_loop(cell, x, state, lengths, batch, parallel_iterations):
    """The while loop of ``dynamic_rnn`` over time-major ``x``: ``(outputs, final_state)``, the
    outputs time-major. Each iteration runs one step and appends its output to ``acc``."""
    static_batch = batch if isinstance(batch, int) else None
    first = zeros(stack([np.int32(0), batch if isinstance(batch, Tensor)
                         else np.int32(batch), np.int32(cell.output_size)]),
                  dtype=flatten(state)[0].dtype)
    first.set_shape([0, static_batch, cell.output_size])

    def body(t, acc, state):
        output, new_state = cell(gather(x, t), state)
        if lengths is not None:
            output, new_state = _step_past_length(less(t, lengths), output, new_state,
                                                  state)
        return t + 1, concat([acc, expand_dims(output, 0)], 0), new_state

    invariants = (TensorShape([]), TensorShape([None, static_batch, cell.output_size]),
                  map_structure(lambda s: s.shape, state))
    steps = tf_shape(x)[0]
    _, outputs, final_state = while_loop(
        lambda t, acc, state: less(t, steps), body, (np.int32(0), first, state),
        shape_invariants=invariants, parallel_iterations=parallel_iterations or 32)
    outputs.set_shape([x.shape.as_list()[0], static_batch, cell.output_size])
    final_state = map_structure(lambda s, s0: _with_shape(s, s0.shape), final_state, state)
    return outputs, final_state


def _with_shape(tensor, shape):
    tensor.set_shape(shape)
    return tensor


def bidirectional_dynamic_rnn(cell_fw, cell_bw, inputs, sequence_length=None,
                              initial_state_fw=None, initial_state_bw=None, dtype=None,
                              parallel_iterations=None, swap_memory=False, time_major=False,
                              scope=None):
    """A forward and a backward ``dynamic_rnn`` (scopes ``bidirectional_rnn/fw`` and ``…/bw``);
    the backward one reads each sequence from its own last step. Returns
    ``((output_fw, output_bw), (state_fw, state_bw))``.

    >>> import teachgrad as tf
    >>> R = tf.nn.rnn_cell
    >>> with tf.Graph().as_default():
    ...     x = tf.placeholder(tf.float32, [None, 6, 3])
    ...     (fw, bw), _ = tf.nn.bidirectional_dynamic_rnn(R.GRUCell(4), R.GRUCell(2), x,
    ...                                                   dtype=tf.float32)
    ...     fw.shape, bw.shape
    (TensorShape([None, 6, 4]), TensorShape([None, 6, 2]))
    """
    check_cell("cell_fw", cell_fw)
    check_cell("cell_bw", cell_bw)
    inputs = as_tensor(inputs)
    with variable_scope(scope or "bidirectional_rnn"):
        with variable_scope("fw") as fw_scope:
            output_fw, state_fw = dynamic_rnn(cell_fw, inputs, sequence_length, initial_state_fw,
                                              dtype, parallel_iterations, swap_memory,
                                              time_major, scope=fw_scope)
        with variable_scope("bw") as bw_scope:
            lengths = _sequence_length(sequence_length)

            def reverse(t):
                if time_major:
                    return _reverse_steps(t, lengths)
                return transpose(_reverse_steps(transpose(t, [1, 0, 2]), lengths), [1, 0, 2])
            tmp, state_bw = dynamic_rnn(cell_bw, reverse(inputs), lengths, initial_state_bw,
                                        dtype, parallel_iterations, swap_memory, time_major,
                                        scope=bw_scope)
    return (output_fw, reverse(tmp)), (state_fw, state_bw)
