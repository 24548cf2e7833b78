"""TensorFlow 1's recurrent networks: the cells of ``tf.nn.rnn_cell`` and the functions that run
them over a sequence (``static_rnn``, ``dynamic_rnn`` and their bidirectional forms).

A cell is a ``tf.layers.Layer``: its variables are made at its first call (or when a function
below builds it), in a variable scope named for it, with TensorFlow 1's names and shapes —
``rnn/basic_lstm_cell/kernel`` is ``[input + units, 4·units]``, its columns the gates i, j, f, o.
Every cell is composed of ordinary ops (``matmul``, ``concat``, slices, ``sigmoid``, ``tanh``),
so derivatives flow through it like through any program.

``static_rnn`` unrolls the cell over a Python list of time steps, as TensorFlow 1 does (one copy
of the cell's ops per step). ``dynamic_rnn`` builds one ``tf.while_loop`` whose body is one step,
as TensorFlow 1 does: the number of steps may be unknown until the graph runs (a placeholder of
shape ``[None, None, depth]``), and the graph stays the same size for any length. The outputs of
the steps are gathered by concatenation inside the loop (TensorFlow uses a ``TensorArray``, which
teachgrad does not have); derivatives flow back through every iteration.

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

import collections
import numbers

import numpy as np

from ..core.dtypes import as_dtype
from ..core.program_graph import get_default_graph, name_scope
from ..core.shapes import TensorShape
from ..core.tensor import Tensor, as_tensor
from .array_ops import expand_dims, gather, unstack
from .control_flow import _flatten, _pack, while_loop
from .initializers import constant_initializer, zeros_initializer
from .layers import Layer
from .math_ops import (add, cast, concat, less, matmul, multiply, range as tf_range, reshape,
                       shape as tf_shape, sigmoid, stack, tanh, transpose, where, zeros,
                       zeros_like)
from .nn_ops import bias_add, dropout
from .variable_scope import variable_scope

__all__ = ["RNNCell", "BasicRNNCell", "BasicLSTMCell", "LSTMCell", "GRUCell", "MultiRNNCell",
           "DropoutWrapper", "LSTMStateTuple", "static_rnn", "static_bidirectional_rnn",
           "dynamic_rnn", "bidirectional_dynamic_rnn"]


class LSTMStateTuple(collections.namedtuple("LSTMStateTuple", ("c", "h"))):
    """The state of an LSTM cell: ``c`` the memory, ``h`` the output (TensorFlow 1's tuple)."""
    __slots__ = ()

    @property
    def dtype(self):
        c, h = self
        if c.dtype != h.dtype:
            raise TypeError(f"Inconsistent internal state: {c.dtype} vs {h.dtype}")
        return c.dtype


def _is_cell(cell):
    """TensorFlow 1's test of a cell: what is missing, or '' for a cell."""
    missing = [f"'{a}' property is missing" for a in ("output_size", "state_size")
               if not hasattr(cell, a)]
    if not hasattr(cell, "zero_state") and not hasattr(cell, "get_initial_state"):
        missing.append("either 'zero_state' or 'get_initial_state' method is required")
    if not callable(cell):
        missing.append("is not callable")
    return ", ".join(missing)


def _check_cell(name, cell):
    why = _is_cell(cell)
    if why:
        raise TypeError(f"The argument {name!r} ({cell}) is not an RNNCell: {why}.")


def _map(fn, *structures):
    """``fn`` applied leaf by leaf to structures of one shape (TensorFlow's ``nest.map_structure``)."""
    flats = [_flatten(s) for s in structures]
    return _pack(structures[0], [fn(*leaves) for leaves in zip(*flats)])


def _zeros(batch_size, size, dtype):
    """Zeros of shape ``[batch_size] + size`` (``batch_size`` a number or a scalar tensor)."""
    dims = [size] if isinstance(size, numbers.Integral) else list(size)
    if isinstance(batch_size, Tensor):
        z = zeros(stack([batch_size] + [np.int32(d) for d in dims]), dtype=dtype)
        z.set_shape([None] + dims)
        return z
    return zeros([int(batch_size)] + dims, dtype=dtype)


class RNNCell(Layer):
    """TensorFlow 1's ``tf.nn.rnn_cell.RNNCell``: ``cell(inputs, state) -> (output, new_state)``
    for one time step. A subclass gives ``state_size``, ``output_size``, ``build(input_shape)``
    and ``call(inputs, state)``.

    >>> import teachgrad as tf
    >>> with tf.Graph().as_default():
    ...     cell = tf.nn.rnn_cell.BasicRNNCell(2)
    ...     y, s = cell(tf.zeros([1, 3]), cell.zero_state(1, tf.float32))
    ...     [v.name for v in cell.variables], y.shape
    (['basic_rnn_cell/kernel:0', 'basic_rnn_cell/bias:0'], TensorShape([1, 2]))
    """

    @property
    def state_size(self):
        raise NotImplementedError("Abstract method")

    @property
    def output_size(self):
        raise NotImplementedError("Abstract method")

    def zero_state(self, batch_size, dtype):
        """Zeros of the state's structure, each ``[batch_size, size]``."""
        with name_scope(type(self).__name__ + "ZeroState"):
            dtype = as_dtype(dtype)
            sizes = self.state_size
            if isinstance(sizes, (tuple, list)):
                return _map(lambda s: _zeros(batch_size, s, dtype), sizes)
            return _zeros(batch_size, sizes, dtype)

    def get_initial_state(self, inputs=None, batch_size=None, dtype=None):
        if inputs is not None:
            inputs = as_tensor(inputs)
            batch_size = _batch_size([inputs], 0)
            dtype = dtype or inputs.dtype
        return self.zero_state(batch_size, dtype)

    def build_for(self, input_shape, dtype):
        """Make the variables (as a first call would, in the scope it would) without calling:
        ``dynamic_rnn`` does it before its loop, so the variables live outside the loop body."""
        if self._scope is not None:
            return
        scope = (variable_scope(self._scope_arg or self._base_name, reuse=True) if self._reuse
                 else variable_scope(self._scope_arg, default_name=self._base_name))
        with scope as captured:
            self._scope = captured
            self._name_scope = get_default_graph().scope
            if self.dtype is None:
                self.dtype = as_dtype(dtype)
            if not self.built:
                self.build(TensorShape(input_shape))
                self.built = True

    def __call__(self, inputs, state, scope=None):
        if scope is not None and self._scope is None:
            self._scope_arg = scope
        return super().__call__(inputs, state)


def _input_depth(input_shape, cell):
    shape = TensorShape(input_shape)
    if shape.ndims is None or shape.ndims < 1 or shape.as_list()[-1] is None:
        raise ValueError(f"Expected inputs.shape[-1] to be known, saw shape: {shape} "
                         f"(the input depth of {type(cell).__name__})")
    return shape.as_list()[-1]


class BasicRNNCell(RNNCell):
    """``h' = tanh([x, h] · kernel + bias)``; the output is the new state.

    >>> import teachgrad as tf
    >>> tf.nn.rnn_cell.BasicRNNCell(4).state_size
    4
    """

    def __init__(self, num_units, activation=None, reuse=None, name=None, dtype=None, **kwargs):
        super().__init__(name=name, dtype=dtype, _reuse=reuse, **kwargs)
        self._num_units = num_units
        self._activation = activation or tanh

    state_size = output_size = property(lambda self: self._num_units)

    def build(self, input_shape):
        depth = _input_depth(input_shape, self)
        self._kernel = self.add_weight("kernel", [depth + self._num_units, self._num_units])
        self._bias = self.add_weight("bias", [self._num_units], initializer=zeros_initializer())

    def call(self, inputs, state):
        out = self._activation(bias_add(matmul(concat([inputs, state], 1), self._kernel),
                                        self._bias))
        return out, out


class BasicLSTMCell(RNNCell):
    """TensorFlow 1's ``BasicLSTMCell``: gates ``i, j, f, o`` (the columns of ``[x, h] · kernel
    + bias``, in that order); ``c' = c·σ(f + forget_bias) + σ(i)·tanh(j)``, ``h' = tanh(c')·σ(o)``.
    The state is ``LSTMStateTuple(c, h)`` (or ``[c, h]`` concatenated, ``state_is_tuple=False``).

    >>> import teachgrad as tf
    >>> tf.nn.rnn_cell.BasicLSTMCell(3).state_size
    LSTMStateTuple(c=3, h=3)
    """

    def __init__(self, num_units, forget_bias=1.0, state_is_tuple=True, activation=None,
                 reuse=None, name=None, dtype=None, **kwargs):
        super().__init__(name=name, dtype=dtype, _reuse=reuse, **kwargs)
        self._num_units, self._forget_bias = num_units, forget_bias
        self._state_is_tuple = state_is_tuple
        self._activation = activation or tanh

    @property
    def state_size(self):
        n = self._num_units
        return LSTMStateTuple(n, n) if self._state_is_tuple else 2 * n

    @property
    def output_size(self):
        return self._num_units

    def build(self, input_shape):
        depth, n = _input_depth(input_shape, self), self._num_units
        self._kernel = self.add_weight("kernel", [depth + n, 4 * n])
        self._bias = self.add_weight("bias", [4 * n], initializer=zeros_initializer())

    def call(self, inputs, state):
        n = self._num_units
        c, h = state if self._state_is_tuple else (state[:, :n], state[:, n:])
        gates = bias_add(matmul(concat([inputs, h], 1), self._kernel), self._bias)
        i, j, f, o = (gates[:, k * n:(k + 1) * n] for k in range(4))
        forget = as_tensor(np.asarray(self._forget_bias, dtype=f.dtype.as_numpy_dtype))
        new_c = add(multiply(c, sigmoid(add(f, forget))), multiply(sigmoid(i),
                                                                    self._activation(j)))
        new_h = multiply(self._activation(new_c), sigmoid(o))
        new_state = (LSTMStateTuple(new_c, new_h) if self._state_is_tuple
                     else concat([new_c, new_h], 1))
        return new_h, new_state


class LSTMCell(RNNCell):
    """TensorFlow 1's ``LSTMCell``: ``BasicLSTMCell``'s gates, with an ``initializer`` for the
    weights, optional peepholes (``use_peepholes``: ``w_f_diag``, ``w_i_diag``, ``w_o_diag``),
    a clip on the memory (``cell_clip``) and a projection of the output (``num_proj``,
    ``projection/kernel``; then ``proj_clip``). The state is ``LSTMStateTuple(c, m)``.

    >>> import teachgrad as tf
    >>> tf.nn.rnn_cell.LSTMCell(3, num_proj=2).state_size
    LSTMStateTuple(c=3, h=2)
    """

    def __init__(self, num_units, use_peepholes=False, cell_clip=None, initializer=None,
                 num_proj=None, proj_clip=None, num_unit_shards=None, num_proj_shards=None,
                 forget_bias=1.0, state_is_tuple=True, activation=None, reuse=None, name=None,
                 dtype=None, **kwargs):
        super().__init__(name=name, dtype=dtype, _reuse=reuse, **kwargs)
        if num_unit_shards is not None or num_proj_shards is not None:
            raise NotImplementedError("LSTMCell: num_unit_shards and num_proj_shards (variable "
                                      "partitioning) are not in teachgrad")
        self._num_units, self._use_peepholes = num_units, use_peepholes
        self._cell_clip, self._initializer = cell_clip, initializer
        self._num_proj, self._proj_clip = num_proj, proj_clip
        self._forget_bias, self._state_is_tuple = forget_bias, state_is_tuple
        self._activation = activation or tanh

    @property
    def state_size(self):
        n, p = self._num_units, self._num_proj or self._num_units
        return LSTMStateTuple(n, p) if self._state_is_tuple else n + p

    @property
    def output_size(self):
        return self._num_proj or self._num_units

    def build(self, input_shape):
        depth, n = _input_depth(input_shape, self), self._num_units
        p = self._num_proj or n
        self._kernel = self.add_weight("kernel", [depth + p, 4 * n],
                                       initializer=self._initializer)
        self._bias = self.add_weight("bias", [4 * n], initializer=zeros_initializer())
        if self._use_peepholes:
            self._w_f_diag, self._w_i_diag, self._w_o_diag = (
                self.add_weight(w, [n], initializer=self._initializer)
                for w in ("w_f_diag", "w_i_diag", "w_o_diag"))
        if self._num_proj is not None:
            with variable_scope("projection"):
                self._proj_kernel = self.add_weight("kernel", [n, self._num_proj],
                                                    initializer=self._initializer)

    def call(self, inputs, state):
        from .array_ops import clip_by_value
        n = self._num_units
        c_prev, m_prev = state if self._state_is_tuple else (state[:, :n], state[:, n:])
        gates = bias_add(matmul(concat([inputs, m_prev], 1), self._kernel), self._bias)
        i, j, f, o = (gates[:, k * n:(k + 1) * n] for k in range(4))
        forget = np.asarray(self._forget_bias, dtype=f.dtype.as_numpy_dtype)
        if self._use_peepholes:
            c = (sigmoid(f + forget + self._w_f_diag * c_prev) * c_prev
                 + sigmoid(i + self._w_i_diag * c_prev) * self._activation(j))
        else:
            c = sigmoid(f + forget) * c_prev + sigmoid(i) * self._activation(j)
        if self._cell_clip is not None:
            c = clip_by_value(c, -self._cell_clip, self._cell_clip)
        if self._use_peepholes:
            m = sigmoid(o + self._w_o_diag * c) * self._activation(c)
        else:
            m = sigmoid(o) * self._activation(c)
        if self._num_proj is not None:
            m = matmul(m, self._proj_kernel)
            if self._proj_clip is not None:
                m = clip_by_value(m, -self._proj_clip, self._proj_clip)
        new_state = LSTMStateTuple(c, m) if self._state_is_tuple else concat([c, m], 1)
        return m, new_state


class GRUCell(RNNCell):
    """TensorFlow 1's ``GRUCell``: ``r, u = σ([x, h] · gates/kernel + gates/bias)`` (the bias
    starts at 1), ``c = tanh([x, r·h] · candidate/kernel + candidate/bias)``,
    ``h' = u·h + (1 − u)·c``.

    >>> import teachgrad as tf
    >>> tf.nn.rnn_cell.GRUCell(5).output_size
    5
    """

    def __init__(self, num_units, activation=None, reuse=None, kernel_initializer=None,
                 bias_initializer=None, name=None, dtype=None, **kwargs):
        super().__init__(name=name, dtype=dtype, _reuse=reuse, **kwargs)
        self._num_units, self._activation = num_units, activation or tanh
        self._kernel_initializer, self._bias_initializer = kernel_initializer, bias_initializer

    state_size = output_size = property(lambda self: self._num_units)

    def build(self, input_shape):
        depth, n = _input_depth(input_shape, self), self._num_units
        with variable_scope("gates"):
            self._gate_kernel = self.add_weight("kernel", [depth + n, 2 * n],
                                                initializer=self._kernel_initializer)
            self._gate_bias = self.add_weight(
                "bias", [2 * n], initializer=self._bias_initializer or constant_initializer(1.0))
        with variable_scope("candidate"):
            self._candidate_kernel = self.add_weight("kernel", [depth + n, n],
                                                     initializer=self._kernel_initializer)
            self._candidate_bias = self.add_weight(
                "bias", [n], initializer=self._bias_initializer or zeros_initializer())

    def call(self, inputs, state):
        n = self._num_units
        value = sigmoid(bias_add(matmul(concat([inputs, state], 1), self._gate_kernel),
                                 self._gate_bias))
        r, u = value[:, :n], value[:, n:]
        candidate = bias_add(matmul(concat([inputs, r * state], 1), self._candidate_kernel),
                             self._candidate_bias)
        c = self._activation(candidate)
        new_h = u * state + (1 - u) * c
        return new_h, new_h


class MultiRNNCell(RNNCell):
    """Cells stacked: the output of each is the input of the next; the state is the tuple of
    their states. Their variables live in ``multi_rnn_cell/cell_0/…``, ``cell_1/…``.

    >>> import teachgrad as tf
    >>> R = tf.nn.rnn_cell
    >>> R.MultiRNNCell([R.GRUCell(3), R.BasicLSTMCell(2)]).state_size
    (3, LSTMStateTuple(c=2, h=2))
    """

    def __init__(self, cells, state_is_tuple=True):
        super().__init__()
        if not cells:
            raise ValueError("Must specify at least one cell for MultiRNNCell.")
        if not isinstance(cells, (list, tuple)):
            raise TypeError(f"cells must be a list or tuple, but saw: {cells}.")
        if not state_is_tuple:
            raise NotImplementedError("MultiRNNCell(state_is_tuple=False) is not in teachgrad "
                                      "(TensorFlow 1 deprecates it): use the tuple state")
        self._cells = list(cells)

    @property
    def state_size(self):
        return tuple(cell.state_size for cell in self._cells)

    @property
    def output_size(self):
        return self._cells[-1].output_size

    def zero_state(self, batch_size, dtype):
        with name_scope(type(self).__name__ + "ZeroState"):
            return tuple(cell.zero_state(batch_size, dtype) for cell in self._cells)

    def build(self, input_shape):
        depth = _input_depth(input_shape, self)
        for k, cell in enumerate(self._cells):
            with variable_scope(f"cell_{k}"):
                _build(cell, [None, depth], self.dtype)
            depth = cell.output_size

    def call(self, inputs, state):
        x, new_states = inputs, []
        for k, cell in enumerate(self._cells):
            with variable_scope(f"cell_{k}"):
                x, s = cell(x, state[k])
            new_states.append(s)
        return x, tuple(new_states)


class DropoutWrapper(RNNCell):
    """A cell with dropout on its inputs, its outputs and (all but an LSTM's memory ``c``) its
    state: ``tf.nn.dropout`` with ``input_keep_prob``, ``output_keep_prob``,
    ``state_keep_prob`` (numbers or scalar tensors; a constant 1 drops nothing). The wrapped
    cell's variables keep their names.

    >>> import teachgrad as tf
    >>> tf.nn.rnn_cell.DropoutWrapper(tf.nn.rnn_cell.GRUCell(3), output_keep_prob=0.5).output_size
    3
    """

    def __init__(self, cell, input_keep_prob=1.0, output_keep_prob=1.0, state_keep_prob=1.0,
                 variational_recurrent=False, input_size=None, dtype=None, seed=None,
                 dropout_state_filter_visitor=None):
        super().__init__()
        _check_cell("cell", cell)
        if variational_recurrent:
            raise NotImplementedError("DropoutWrapper(variational_recurrent=True) is not in "
                                      "teachgrad")
        for what, p in (("input_keep_prob", input_keep_prob),
                        ("output_keep_prob", output_keep_prob),
                        ("state_keep_prob", state_keep_prob)):
            if isinstance(p, numbers.Real) and not 0 <= p <= 1:
                raise ValueError(f"Parameter {what} must be between 0 and 1: {p}")
        self._cell, self._seed = cell, seed
        self._input_keep_prob, self._output_keep_prob = input_keep_prob, output_keep_prob
        self._state_keep_prob = state_keep_prob
        self._state_filter = dropout_state_filter_visitor

    state_size = property(lambda self: self._cell.state_size)
    output_size = property(lambda self: self._cell.output_size)
    wrapped_cell = property(lambda self: self._cell)

    def zero_state(self, batch_size, dtype):
        with name_scope(type(self).__name__ + "ZeroState"):
            return self._cell.zero_state(batch_size, dtype)

    def build_for(self, input_shape, dtype):
        _build(self._cell, input_shape, dtype)

    def _drop(self, x, keep_prob):
        if isinstance(keep_prob, numbers.Real) and float(keep_prob) == 1.0:
            return x
        return dropout(x, keep_prob=keep_prob, seed=self._seed)

    def __call__(self, inputs, state, scope=None):
        inputs = self._drop(as_tensor(inputs), self._input_keep_prob)
        output, new_state = self._cell(inputs, state)
        keep = self._state_keep_prob
        if not (isinstance(keep, numbers.Real) and float(keep) == 1.0):
            if isinstance(new_state, LSTMStateTuple) and self._state_filter is None:
                new_state = LSTMStateTuple(new_state.c, self._drop(new_state.h, keep))
            else:
                new_state = _map(lambda s: self._drop(s, keep), new_state)
        return self._drop(output, self._output_keep_prob), new_state


def _build(cell, input_shape, dtype):
    """Make ``cell``'s variables now, in the current variable scope."""
    if hasattr(cell, "build_for"):
        cell.build_for(input_shape, dtype)


# ------------------------------------------------------------------------------------------------
# Running a cell over a sequence
# ------------------------------------------------------------------------------------------------

def _batch_size(inputs, axis):
    """The batch size: a number when the static shape knows it, else a scalar tensor."""
    x = inputs[0]
    n = x.shape.as_list()[axis] if x.shape.ndims is not None else None
    return n if n is not None else tf_shape(x)[axis]


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
    new_state = _map(lambda new, old: where(keep, new, old), new_state, state)
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
    _check_cell("cell", cell)
    if not isinstance(inputs, (list, tuple)):
        raise TypeError(f"inputs must be a sequence, not {inputs!r}")
    if not inputs:
        raise ValueError("inputs must not be empty")
    inputs = [as_tensor(x) for x in inputs]
    with variable_scope(scope or "rnn"):
        first = inputs[0]
        if first.shape.ndims is not None and first.shape.ndims < 2:
            raise ValueError(f"Input must have rank at least 2, saw shape {first.shape}")
        state = _initial_state(cell, initial_state, _batch_size(inputs, 0), dtype)
        lengths = _sequence_length(sequence_length)
        outputs = []
        for t, x in enumerate(inputs):
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
    _check_cell("cell_fw", cell_fw)
    _check_cell("cell_bw", cell_bw)
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
    _check_cell("cell", cell)
    if isinstance(inputs, (list, tuple)):
        raise NotImplementedError("dynamic_rnn: nested inputs are not in teachgrad; give one "
                                  "tensor")
    inputs = as_tensor(inputs)
    if inputs.shape.ndims is not None and inputs.shape.ndims < 3:
        raise ValueError(f"Shape {inputs.shape} must have rank at least 3")
    with variable_scope(scope or "rnn"):
        x = inputs if time_major else transpose(inputs, [1, 0] + list(range(2, inputs.ndim)))
        depth = x.shape.as_list()[2]
        if depth is None:
            raise ValueError("Input size (depth of inputs) must be accessible via shape "
                             f"inference, but saw value None for input={x}.")
        batch = _batch_size([x], 1)
        state = _map(as_tensor, _initial_state(cell, initial_state, batch, dtype))
        lengths = _sequence_length(sequence_length)
        dtype = _flatten(state)[0].dtype
        _build(cell, [x.shape.as_list()[1], depth], dtype)
        static_batch = batch if isinstance(batch, int) else None
        first = zeros(stack([np.int32(0), batch if isinstance(batch, Tensor)
                             else np.int32(batch), np.int32(cell.output_size)]),
                      dtype=dtype)
        first.set_shape([0, static_batch, cell.output_size])

        def body(t, acc, state):
            output, new_state = cell(gather(x, t), state)
            if lengths is not None:
                output, new_state = _step_past_length(less(t, lengths), output, new_state,
                                                      state)
            # (the batch size as acc has it: a known size here may be unknown in acc)
            step = reshape(output, [1, -1 if static_batch is None else static_batch,
                                    cell.output_size])
            return t + 1, concat([acc, step], 0), new_state

        invariants = (TensorShape([]), TensorShape([None, static_batch, cell.output_size]),
                      _map(lambda s: s.shape, state))
        steps = tf_shape(x)[0]
        _, outputs, final_state = while_loop(
            lambda t, acc, state: less(t, steps), body, (np.int32(0), first, state),
            shape_invariants=invariants, parallel_iterations=parallel_iterations or 32)
        outputs.set_shape([x.shape.as_list()[0], static_batch, cell.output_size])
        final_state = _map(lambda s, s0: _with_shape(s, s0.shape), final_state, state)
        if not time_major:
            outputs = transpose(outputs, [1, 0, 2])
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
    _check_cell("cell_fw", cell_fw)
    _check_cell("cell_bw", cell_bw)
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
