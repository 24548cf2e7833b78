"""TensorFlow 1's recurrent networks (teachgrad/tf1/rnn.py, the faces tf.nn.rnn_cell, tf.nn.*_rnn
and tf.contrib.rnn): with the same weights, the outputs, final states and gradients are
TensorFlow's numbers (tests/tf1/rnn_tf_numbers.py, read off tensorflow.compat.v1); the variable
names, static shapes, sequence_length semantics and errors are TF-1's; a small LSTM learns."""

import numpy as np
import pytest

import teachgrad as tf
from teachgrad.contrib import rnn as contrib_rnn

from .rnn_tf_numbers import TF

R = tf.nn.rnn_cell
X = (np.sin(np.arange(2 * 3 * 2) * 0.7 + 0.3) * 1.5).reshape(2, 3, 2).astype(np.float32)
LENGTHS = [3, 1]


def fill(v, k):
    """The value the reference runs give variable number ``k`` (the same in TensorFlow)."""
    n = int(np.prod(v.shape.as_list()))
    return (np.sin(np.arange(n) * 0.37 + k) * 0.5).reshape(v.shape.as_list()).astype(np.float32)


def flatten(s):
    return [y for x in s for y in flatten(x)] if isinstance(s, (list, tuple)) else [s]


def make_cell(kind):
    return {"basic_rnn": lambda: R.BasicRNNCell(3),
            "basic_lstm": lambda: R.BasicLSTMCell(3, forget_bias=0.5),
            "basic_lstm_flat": lambda: R.BasicLSTMCell(3, state_is_tuple=False),
            "lstm_peep": lambda: R.LSTMCell(3, use_peepholes=True, num_proj=2, cell_clip=0.8,
                                            forget_bias=0.7),
            "gru": lambda: R.GRUCell(3),
            "multi": lambda: R.MultiRNNCell([R.GRUCell(3), R.BasicLSTMCell(2)])}[kind]()


def build(kind, how, x, lens):
    """The reference program: ``how`` runs the cell ``kind`` over ``x``."""
    cell = make_cell(kind)
    if how == "dynamic":
        return tf.nn.dynamic_rnn(cell, x, dtype=tf.float32)
    if how == "dynamic_len":
        return tf.nn.dynamic_rnn(cell, x, sequence_length=lens, dtype=tf.float32)
    if how == "static_len":
        outs, st = tf.nn.static_rnn(cell, tf.unstack(x, 3, 1), sequence_length=lens,
                                    dtype=tf.float32)
        return tf.stack(outs, 1), st
    if how == "bidi":
        (of, ob), st = tf.nn.bidirectional_dynamic_rnn(cell, make_cell(kind), x,
                                                       sequence_length=lens, dtype=tf.float32)
        return tf.concat([of, ob], 2), st
    outs, sf, sb = tf.nn.static_bidirectional_rnn(cell, make_cell(kind), tf.unstack(x, 3, 1),
                                                  sequence_length=lens, dtype=tf.float32)
    return tf.stack(outs, 1), (sf, sb)


@pytest.mark.parametrize("case", sorted(TF))
def test_outputs_states_gradients_and_names_are_tensorflows(case):
    kind, how = case.split("/")
    ref = TF[case]
    with tf.Graph().as_default():
        x = tf.placeholder(tf.float32, [None, 3, 2], name="x")
        lens = tf.placeholder(tf.int32, [None], name="lens")
        out, st = build(kind, how, x, lens)
        states = flatten(st)
        w = np.cos(np.arange(np.prod(out.shape.as_list()[1:]))).reshape(out.shape.as_list()[1:])
        loss = tf.reduce_sum(out * w.astype(np.float32)) + tf.add_n(
            [tf.reduce_sum(s * s) for s in states])
        variables = tf.trainable_variables()
        grads = tf.gradients(loss, [x] + variables)
        assert [v.name for v in variables] == ref["names"]
        assert [v.shape.as_list() for v in variables] == ref["shapes"]
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            for k, v in enumerate(variables):
                sess.run(tf.assign(v, fill(v, k)))
            got_out, got_states, got_grads = sess.run([out, states, grads],
                                                      {x: X, lens: LENGTHS})
    np.testing.assert_allclose(got_out.ravel(), ref["out"], atol=2e-6)
    for s, r in zip(got_states, ref["state"], strict=True):
        np.testing.assert_allclose(s.ravel(), r, atol=2e-6)
    for g, r in zip(got_grads, ref["grads"], strict=True):
        np.testing.assert_allclose(g.ravel(), r, atol=2e-5)


def _finite_difference_check(make_output):
    """d loss / d x and d loss / d each variable by tf.gradients (float64) against central
    differences of the loss run in a Session."""
    with tf.Graph().as_default():
        x = tf.placeholder(tf.float64, [2, 3, 2])
        out, st = make_output(x)
        loss = tf.reduce_sum(out * np.cos(np.arange(out.shape.num_elements())).reshape(
            out.shape.as_list())) + tf.add_n([tf.reduce_sum(s ** 2) for s in flatten(st)])
        variables = tf.trainable_variables()
        grads = tf.gradients(loss, [x] + variables)
        values = [X.astype(np.float64)] + [fill(v, k).astype(np.float64)
                                           for k, v in enumerate(variables)]
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())

            def run(what, vals):
                for v, value in zip(variables, vals[1:]):
                    v.load(value, sess)
                return sess.run(what, {x: vals[0]})
            analytic = run(grads, values)
            for i, value in enumerate(values):
                numeric = np.zeros_like(value)
                for idx in np.ndindex(value.shape):
                    hi = [v.copy() for v in values]
                    lo = [v.copy() for v in values]
                    hi[i][idx] += 1e-6
                    lo[i][idx] -= 1e-6
                    numeric[idx] = (run(loss, hi) - run(loss, lo)) / 2e-6
                np.testing.assert_allclose(analytic[i], numeric, rtol=1e-5, atol=1e-7)


def test_gradients_through_the_while_loop_equal_finite_differences():
    _finite_difference_check(lambda x: tf.nn.dynamic_rnn(
        R.MultiRNNCell([R.GRUCell(2), R.BasicLSTMCell(2)]), x, sequence_length=[3, 2],
        dtype=tf.float64))


def test_gradients_through_the_unrolled_bidirectional_rnn_equal_finite_differences():
    def program(x):
        outs, fw, bw = tf.nn.static_bidirectional_rnn(
            R.LSTMCell(2, use_peepholes=True), R.BasicRNNCell(2), tf.unstack(x, 3, 1),
            sequence_length=[2, 3], dtype=tf.float64)
        return tf.stack(outs, 1), (fw, bw)
    _finite_difference_check(program)


def test_past_its_length_a_sequence_outputs_zeros_and_keeps_its_state():
    with tf.Graph().as_default():
        x = tf.placeholder(tf.float32, [None, 5, 2])
        out, state = tf.nn.dynamic_rnn(R.BasicLSTMCell(4), x, sequence_length=[5, 2, 0],
                                       dtype=tf.float32)
        outs, static_state = tf.nn.static_rnn(R.GRUCell(4), tf.unstack(x, 5, 1),
                                              sequence_length=[5, 2, 0], dtype=tf.float32)
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            feed = {x: np.random.RandomState(0).normal(size=(3, 5, 2))}
            o, c, h, so, ss = sess.run([out, state.c, state.h, outs, static_state], feed)
    assert np.all(o[1, 2:] == 0) and np.all(o[2] == 0) and np.all(o[0] != 0)
    np.testing.assert_array_equal(h[:2], [o[0, 4], o[1, 1]])    # the state at its last step
    assert np.all(h[2] == 0) and np.all(c[2] == 0)                 # length 0: the initial state
    so = np.stack(so, 1)
    assert np.all(so[1, 2:] == 0) and np.all(so[2] == 0)
    np.testing.assert_array_equal(ss[:2], [so[0, 4], so[1, 1]])


def test_static_shapes():
    with tf.Graph().as_default():
        x = tf.placeholder(tf.float32, [None, 7, 2])
        out, state = tf.nn.dynamic_rnn(R.BasicLSTMCell(5), x, dtype=tf.float32)
        assert out.shape.as_list() == [None, 7, 5]
        assert state.c.shape.as_list() == state.h.shape.as_list() == [None, 5]
        out, state = tf.nn.dynamic_rnn(R.GRUCell(3), tf.placeholder(tf.float32, [4, None, 2]),
                                       dtype=tf.float32, scope="any_length")
        assert out.shape.as_list() == [4, None, 3] and state.shape.as_list() == [4, 3]
        out, state = tf.nn.dynamic_rnn(R.GRUCell(3), tf.placeholder(tf.float32, [6, 4, 2]),
                                       dtype=tf.float32, time_major=True, scope="time_major")
        assert out.shape.as_list() == [6, 4, 3] and state.shape.as_list() == [4, 3]
        outs, state = tf.nn.static_rnn(R.LSTMCell(3, num_proj=2), tf.unstack(x, 7, 1),
                                       dtype=tf.float32, scope="static")
        assert len(outs) == 7 and outs[0].shape.as_list() == [None, 2]
        assert (state.c.shape.as_list(), state.h.shape.as_list()) == ([None, 3], [None, 2])
        (fw, bw), _ = tf.nn.bidirectional_dynamic_rnn(R.GRUCell(3), R.GRUCell(2), x,
                                                      dtype=tf.float32)
        assert fw.shape.as_list() == [None, 7, 3] and bw.shape.as_list() == [None, 7, 2]


def test_one_graph_runs_sequences_of_any_length_and_batch():
    with tf.Graph().as_default():
        x = tf.placeholder(tf.float32, [None, None, 2])
        out, state = tf.nn.dynamic_rnn(R.GRUCell(3), x, dtype=tf.float32)
        step = R.GRUCell(3, name="one_step")
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            for batch, time in [(1, 1), (3, 6)]:
                o, s = sess.run([out, state], {x: np.ones((batch, time, 2))})
                assert o.shape == (batch, time, 3) and s.shape == (batch, 3)
                np.testing.assert_array_equal(s, o[:, -1])


def test_time_major_gives_the_same_numbers_transposed():
    values = np.random.RandomState(1).normal(size=(2, 4, 3)).astype(np.float32)
    with tf.Graph().as_default():
        x = tf.constant(values)
        cell = R.BasicLSTMCell(2)
        out, state = tf.nn.dynamic_rnn(cell, x, dtype=tf.float32)
        out_t, state_t = tf.nn.dynamic_rnn(cell, tf.transpose(x, [1, 0, 2]), dtype=tf.float32,
                                           time_major=True)
        assert len(tf.trainable_variables()) == 2      # the cell's variables, made once
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            a, b, sa, sb = sess.run([out, out_t, state.h, state_t.h])
    np.testing.assert_allclose(a, b.transpose(1, 0, 2), rtol=1e-6)
    np.testing.assert_allclose(sa, sb, rtol=1e-6)


def test_an_initial_state_with_a_default_can_be_fed():
    """The char-rnn pattern: the state in placeholders with the zero state as their default."""
    with tf.Graph().as_default():
        seq = tf.placeholder(tf.float32, [None, None, 2])
        cells = R.MultiRNNCell([R.GRUCell(3), R.GRUCell(4)])
        zero = cells.zero_state(tf.shape(seq)[0], dtype=tf.float32)
        in_state = tuple(tf.placeholder_with_default(s, [None, s.shape[1]]) for s in zero)
        out, out_state = tf.nn.dynamic_rnn(cells, seq, [3, 1], in_state)
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            whole = sess.run(out_state, {seq: np.ones((2, 3, 2))})
            part = sess.run(out_state, {seq: np.ones((2, 2, 2))})
            rest = sess.run(out_state, {seq: np.ones((2, 1, 2)), in_state[0]: part[0],
                                        in_state[1]: part[1]})
    np.testing.assert_allclose(rest[0][0], whole[0][0], rtol=1e-6)   # 2 steps, then 1 more
    np.testing.assert_allclose(rest[1][0], whole[1][0], rtol=1e-6)


def test_variable_names_as_tensorflow_makes_them():
    with tf.Graph().as_default():
        cell = R.BasicRNNCell(2)
        y, _ = cell(tf.zeros([1, 3]), cell.zero_state(1, tf.float32))
        other = R.BasicRNNCell(2)
        other(tf.zeros([1, 3]), other.zero_state(1, tf.float32))
        assert y.shape.as_list() == [1, 2]
        assert [v.name for v in cell.variables + other.variables] == [
            "basic_rnn_cell/kernel:0", "basic_rnn_cell/bias:0",
            "basic_rnn_cell_1/kernel:0", "basic_rnn_cell_1/bias:0"]
        zero = R.BasicLSTMCell(3).zero_state(5, tf.float32)
        assert (zero.c.name, zero.h.name) == ("BasicLSTMCellZeroState/zeros:0",
                                              "BasicLSTMCellZeroState/zeros_1:0")
        x = tf.placeholder(tf.float32, [None, 4, 2])
        tf.nn.dynamic_rnn(R.DropoutWrapper(R.BasicLSTMCell(3), output_keep_prob=0.5), x,
                          dtype=tf.float32)
        tf.nn.dynamic_rnn(R.MultiRNNCell([R.DropoutWrapper(R.GRUCell(3), input_keep_prob=0.5)
                                          for _ in range(2)]), x, dtype=tf.float32, scope="m")
        assert [v.name for v in tf.trainable_variables()][4:] == [
            "rnn/basic_lstm_cell/kernel:0", "rnn/basic_lstm_cell/bias:0",
            "m/multi_rnn_cell/cell_0/gru_cell/gates/kernel:0",
            "m/multi_rnn_cell/cell_0/gru_cell/gates/bias:0",
            "m/multi_rnn_cell/cell_0/gru_cell/candidate/kernel:0",
            "m/multi_rnn_cell/cell_0/gru_cell/candidate/bias:0",
            "m/multi_rnn_cell/cell_1/gru_cell/gates/kernel:0",
            "m/multi_rnn_cell/cell_1/gru_cell/gates/bias:0",
            "m/multi_rnn_cell/cell_1/gru_cell/candidate/kernel:0",
            "m/multi_rnn_cell/cell_1/gru_cell/candidate/bias:0"]


def test_default_initial_values_are_tensorflows():
    """Kernels Glorot-uniform (the variable scope's default), biases zeros, the GRU's gate bias 1."""
    with tf.Graph().as_default():
        tf.set_random_seed(0)
        x = tf.placeholder(tf.float32, [None, 4, 2])
        tf.nn.dynamic_rnn(R.GRUCell(3), x, dtype=tf.float32)
        tf.nn.dynamic_rnn(R.BasicLSTMCell(3), x, dtype=tf.float32, scope="lstm")
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            gk, gb, ck, cb, lk, lb = sess.run(tf.trainable_variables())
    np.testing.assert_array_equal(gb, np.ones(6))
    np.testing.assert_array_equal(cb, np.zeros(3))
    np.testing.assert_array_equal(lb, np.zeros(12))
    limit = np.sqrt(6 / (5 + 12))
    assert np.all(np.abs(lk) <= limit) and lk.std() > limit / 3
    assert np.all(np.abs(gk) <= np.sqrt(6 / (5 + 6)))


def test_dropout_wrapper_keeps_or_scales_each_output():
    with tf.Graph().as_default():
        x = tf.constant(np.ones((50, 3, 2), np.float32))
        cell = R.GRUCell(4)
        out, _ = tf.nn.dynamic_rnn(cell, x, dtype=tf.float32)
        dropped, _ = tf.nn.dynamic_rnn(R.DropoutWrapper(cell, output_keep_prob=0.5), x,
                                       dtype=tf.float32)
        same, _ = tf.nn.dynamic_rnn(R.DropoutWrapper(cell), x, dtype=tf.float32)
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            a, b, c = sess.run([out, dropped, same])
    np.testing.assert_array_equal(a, c)
    kept = b != 0
    np.testing.assert_allclose(b[kept], 2 * a[kept], rtol=1e-6)
    assert 0.3 < kept.mean() < 0.7


@pytest.mark.parametrize("program, error, words", [
    (lambda x: tf.nn.dynamic_rnn(R.GRUCell(3), x), ValueError, "dtype"),
    (lambda x: tf.nn.static_rnn(R.GRUCell(3), x, dtype=tf.float32), TypeError, "sequence"),
    (lambda x: tf.nn.static_rnn(R.GRUCell(3), [], dtype=tf.float32), ValueError, "empty"),
    (lambda x: tf.nn.dynamic_rnn(R.GRUCell(3), x, sequence_length=tf.zeros([2, 2], tf.int32),
                                 dtype=tf.float32), ValueError, "vector"),
    (lambda x: tf.nn.dynamic_rnn("notacell", x, dtype=tf.float32), TypeError, "not an RNNCell"),
    (lambda x: tf.nn.dynamic_rnn(R.GRUCell(3), tf.placeholder(tf.float32, [None, 4, None]),
                                 dtype=tf.float32), ValueError, "depth"),
    (lambda x: tf.nn.dynamic_rnn(R.GRUCell(3), tf.placeholder(tf.float32, [None, 4]),
                                 dtype=tf.float32), ValueError, "rank"),
    (lambda x: R.MultiRNNCell([]), ValueError, "at least one cell"),
    (lambda x: R.DropoutWrapper(R.GRUCell(3), input_keep_prob=1.5), ValueError, "between 0"),
])
def test_errors_have_tensorflows_types(program, error, words):
    with tf.Graph().as_default():
        x = tf.placeholder(tf.float32, [None, 4, 2])
        with pytest.raises(error, match=words):
            program(x)


def test_tf_contrib_holds_only_what_teachgrad_has():
    assert contrib_rnn.BasicLSTMCell is R.BasicLSTMCell is tf.contrib.rnn.BasicLSTMCell
    assert contrib_rnn.static_rnn is tf.nn.static_rnn
    for missing, name in [(lambda: tf.contrib.layers, "tf.contrib.layers"),
                          (lambda: tf.contrib.rnn.AttentionCellWrapper,
                           "tf.contrib.rnn.AttentionCellWrapper")]:
        with pytest.raises(AttributeError, match=f"teachgrad has no {name}") as e:
            missing()
        assert "\n" not in str(e.value)


def test_range_with_a_bound_known_only_when_it_runs():
    """tf.range(0, tf.shape(x)[0]) (the dynamic-rnn tutorial's indexing): a Range op."""
    with tf.Graph().as_default():
        x = tf.placeholder(tf.float32, [None, 2])
        r = tf.range(0, tf.shape(x)[0]) * 3
        assert r.shape.as_list() == [None] and r.dtype == tf.int32
        assert r.op.inputs[0].op.type == "Range"
        with tf.Session() as sess:
            assert sess.run(r, {x: np.ones((4, 2))}).tolist() == [0, 3, 6, 9]


def test_a_small_lstm_learns_to_recall_the_first_step():
    """The last output must give back the sign of the first input of a noisy sequence: only a
    memory carried over every step can do it."""
    rng = np.random.RandomState(0)
    tf.set_random_seed(1)
    with tf.Graph().as_default():
        tf.set_random_seed(1)
        x = tf.placeholder(tf.float32, [None, 6, 1])
        y = tf.placeholder(tf.float32, [None, 1])
        out, state = tf.nn.dynamic_rnn(R.BasicLSTMCell(8), x, dtype=tf.float32)
        logits = tf.layers.dense(state.h, 1)
        loss = tf.reduce_mean(tf.nn.sigmoid_cross_entropy_with_logits(labels=y, logits=logits))
        train = tf.train.AdamOptimizer(0.05).minimize(loss)
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            losses = []
            for _ in range(150):
                first = rng.choice([-1.0, 1.0], size=(32, 1))
                seq = np.concatenate([first, rng.normal(scale=0.5, size=(32, 5))], 1)
                feed = {x: seq[..., None], y: (first > 0).astype(np.float32)}
                losses.append(sess.run([loss, train], feed)[0])
    assert losses[0] > 0.6 and np.mean(losses[-10:]) < 0.1, (losses[0], losses[-10:])


def test_concat_knows_a_size_that_one_input_knows():
    """TensorFlow's static rule (dynamic_rnn concatenates a step of known batch to outputs of
    unknown batch): (?, 3) with (2, 4) along axis 1 is (2, 7); along the axis, ? if one is ?."""
    with tf.Graph().as_default():
        a = tf.placeholder(tf.float32, [None, 3])
        assert tf.concat([a, tf.zeros([2, 4])], 1).shape.as_list() == [2, 7]
        assert tf.concat([a, tf.zeros([2, 3])], 0).shape.as_list() == [None, 3]
        assert tf.concat([tf.zeros([1, 3]), tf.zeros([2, 3])], 0).shape.as_list() == [3, 3]


def test_a_checkpoint_of_static_rnn_restores_into_dynamic_rnn(tmp_path):
    """Both name the variables as TensorFlow 1 does (rnn/basic_lstm_cell/…), so a checkpoint
    saved from one program restores into the other and gives the same outputs."""
    values = np.random.RandomState(2).normal(size=(3, 4, 2)).astype(np.float32)
    with tf.Graph().as_default():
        tf.set_random_seed(3)
        outs, _ = tf.nn.static_rnn(R.BasicLSTMCell(5), tf.unstack(tf.constant(values), 4, 1),
                                   dtype=tf.float32)
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            saved = sess.run(tf.stack(outs, 1))
            path = tf.train.Saver().save(sess, str(tmp_path / "model"))
    with np.load(path + ".npz") as stored:   # (teachgrad's checkpoint: arrays by name)
        assert sorted(stored.files) == ["rnn/basic_lstm_cell/bias", "rnn/basic_lstm_cell/kernel"]
    with tf.Graph().as_default():
        out, _ = tf.nn.dynamic_rnn(R.BasicLSTMCell(5), tf.constant(values), dtype=tf.float32)
        with tf.Session() as sess:
            tf.train.Saver().restore(sess, path)
            np.testing.assert_allclose(sess.run(out), saved, rtol=1e-6)


class MyCell(tf.nn.rnn_cell.RNNCell):
    """A tutorial-style cell: no build(), tf.get_variable inside call()."""
    state_size = output_size = 2

    def call(self, inputs, state):
        w = tf.get_variable("w", [inputs.shape[1] + 2, 2],
                            initializer=tf.constant_initializer(0.3))
        h = tf.tanh(tf.matmul(tf.concat([inputs, state], 1), w))
        return h, h


def test_a_cell_that_makes_its_variables_in_call_runs_in_dynamic_rnn():
    """One variable, outside the loop, named as TensorFlow names it; TF's numbers."""
    with tf.Graph().as_default():
        x = tf.placeholder(tf.float32, [None, 3, 2])
        out, state = tf.nn.dynamic_rnn(MyCell(), x, dtype=tf.float32)
        (w,) = tf.trainable_variables()
        assert w.name == "rnn/my_cell/w:0"
        slope = tf.gradients(tf.reduce_sum(out), w)[0]
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            h, g = sess.run([state, slope], {x: np.ones((1, 3, 2))})
    np.testing.assert_allclose(h, [[0.77637124, 0.77637124]], rtol=1e-6)
    np.testing.assert_allclose(g, [[1.9420689] * 2] * 2 + [[0.6023812] * 2] * 2, rtol=1e-6)


class OldCell(tf.nn.rnn_cell.RNNCell):
    """An older tutorial-style cell: its own __call__, a variable scope and tf.get_variable."""
    state_size = output_size = 2

    def __call__(self, inputs, state, scope=None):
        with tf.variable_scope(scope or "old_cell"):
            w = tf.get_variable("w", [4, 2], initializer=tf.constant_initializer(0.3))
            h = tf.tanh(tf.matmul(tf.concat([inputs, state], 1), w))
        return h, h


def test_a_cell_with_its_own_call_and_get_variable_runs_in_both_runners():
    """The runners reuse the variables after the first call, as TF-1; TF's names and numbers."""
    with tf.Graph().as_default():
        x = tf.placeholder(tf.float32, [None, 3, 2])
        out, state = tf.nn.dynamic_rnn(OldCell(), x, dtype=tf.float32)
        _, static_state = tf.nn.static_rnn(OldCell(), tf.unstack(x, 3, 1), dtype=tf.float32,
                                           scope="s")
        variables = tf.trainable_variables()
        assert [v.name for v in variables] == ["rnn/old_cell/w:0", "s/old_cell/w:0"]
        slopes = tf.gradients(tf.reduce_sum(out) + tf.reduce_sum(static_state), variables)
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            h, hs, (g, gs) = sess.run([state, static_state, slopes], {x: np.ones((1, 3, 2))})
    np.testing.assert_allclose(h, [[0.77637124, 0.77637124]], rtol=1e-6)
    np.testing.assert_allclose(hs, [[0.77637124, 0.77637124]], rtol=1e-6)
    np.testing.assert_allclose(g, [[1.9420689] * 2] * 2 + [[0.6023812] * 2] * 2, rtol=1e-6)
    np.testing.assert_allclose(gs, [[0.5576245] * 2] * 2 + [[0.34913927] * 2] * 2, rtol=1e-6)
