"""``tf.nn.rnn_cell``: TensorFlow 1's recurrent cells — ``BasicRNNCell``, ``BasicLSTMCell``,
``LSTMCell``, ``GRUCell``, ``MultiRNNCell``, ``DropoutWrapper`` — for the functions of
:mod:`teachgrad.tf1.rnn` that run them over a sequence.

A cell is a ``tf.layers.Layer``: its variables are made at its first call (or when a runner
builds it), in a variable scope named for it, with TensorFlow 1's names and shapes —
``rnn/basic_lstm_cell/kernel`` is ``[input + units, 4·units]``, its columns the gates i, j, f, o.
Every cell is composed of ordinary ops (``matmul``, ``concat``, slices, ``sigmoid``, ``tanh``),
so derivatives flow through it like through any program.

>>> import teachgrad as tf
>>> tf.nn.rnn_cell.BasicLSTMCell(4).state_size
LSTMStateTuple(c=4, h=4)
"""

import collections
import numbers

import numpy as np

from ..core.dtypes import as_dtype
from ..core.program_graph import get_default_graph, name_scope
from ..core.shapes import TensorShape
from ..core.tensor import Tensor, as_tensor
from .array_ops import clip_by_value
from .initializers import constant_initializer, zeros_initializer
from .layers import Layer
from .nest import map_structure
from .math_ops import (add, concat, matmul, multiply, shape as tf_shape, sigmoid, stack, tanh,
                       zeros)
from .nn_ops import bias_add, dropout
from .variable_scope import variable_scope

__all__ = ["RNNCell", "BasicRNNCell", "BasicLSTMCell", "LSTMCell", "GRUCell", "MultiRNNCell",
           "DropoutWrapper", "LSTMStateTuple"]


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


def check_cell(name, cell):
    """A TypeError, as TensorFlow 1's, unless ``cell`` has what a cell needs."""
    why = _is_cell(cell)
    if why:
        raise TypeError(f"The argument {name!r} ({cell}) is not an RNNCell: {why}.")


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
                return map_structure(lambda s: _zeros(batch_size, s, dtype), sizes)
            return _zeros(batch_size, sizes, dtype)

    def get_initial_state(self, inputs=None, batch_size=None, dtype=None):
        if inputs is not None:
            inputs = as_tensor(inputs)
            batch_size = batch_size_of([inputs], 0)
            dtype = dtype or inputs.dtype
        return self.zero_state(batch_size, dtype)

    def build_for(self, input_shape, dtype):
        """Make the variables (as a first call would, in the scope it would) without calling:
        ``dynamic_rnn`` does it before its loop, so the variables live outside the loop body.
        False for a cell that makes its variables in ``call`` (no ``build`` of its own): only a
        call makes them."""
        if self._scope is not None:
            return True
        if type(self).build is Layer.build:
            return False
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
        return True

    def __call__(self, inputs, state, scope=None):
        if scope is not None and self._scope is None:
            self._scope_arg = scope
        if self._scope is None:
            return super().__call__(inputs, state)
        # later calls: the variable scope of the first, reused (a cell may get_variable in call)
        with variable_scope(self._scope, reuse=True), name_scope(self._name_scope):
            return self.call(as_tensor(inputs), state)


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
        depth, self._all_built = _input_depth(input_shape, self), True
        for k, cell in enumerate(self._cells):
            with variable_scope(f"cell_{k}"):
                self._all_built &= build_cell(cell, [None, depth], self.dtype)
            depth = cell.output_size

    def build_for(self, input_shape, dtype):
        return super().build_for(input_shape, dtype) and self._all_built

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
        check_cell("cell", cell)
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
        return build_cell(self._cell, input_shape, dtype)

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
                new_state = map_structure(lambda s: self._drop(s, keep), new_state)
        return self._drop(output, self._output_keep_prob), new_state


def build_cell(cell, input_shape, dtype):
    """Make ``cell``'s variables now, in the current variable scope: False if only a call can."""
    return bool(hasattr(cell, "build_for") and cell.build_for(input_shape, dtype))


def batch_size_of(inputs, axis):
    """The batch size: a number when the static shape knows it, else a scalar tensor."""
    x = inputs[0]
    n = x.shape.as_list()[axis] if x.shape.ndims is not None else None
    return n if n is not None else tf_shape(x)[axis]
