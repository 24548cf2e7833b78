"""TensorFlow 1's names that TF-1 programs use and teachgrad lacked (issue 21): ``tf.div``,
``floordiv``, ``floor_div``, ``truncatediv``, ``truncatemod``, ``mod``/``floormod``, ``//`` and
``%``, ``tf.unique``, ``tf.arg_max``/``arg_min``, ``tf.add_n``, ``tf.nn.dropout`` and
``tf.tables_initializer``.

Every value, name, dtype and error below was read off ``tensorflow.compat.v1`` (TensorFlow 2.21
with ``tf.disable_v2_behavior()``) running the same snippet; dropout's op names are TensorFlow
1.15's (``nn_ops.dropout_v2``: ``x * scale * cast(random >= rate)``; 2.21 builds a SelectV2 instead).
TensorFlow is not imported here.
"""

import numpy as np
import pytest

import teachgrad as tf


def run(fetches, feed_dict=None):
    with tf.Session() as sess:
        return sess.run(fetches, feed_dict)


def op_list():
    return [(op.name, op.type) for op in tf.get_default_graph().get_operations()]


# --- div, floordiv, truncatediv, mod and the operators ------------------------------------------

@pytest.mark.parametrize("make, expected", [
    (lambda: tf.div(7, 2), np.int32(3)),                 # integers: floor division (Python 2's /)
    (lambda: tf.div(-7, 2), np.int32(-4)),
    (lambda: tf.div(7.0, 2.0), np.float32(3.5)),         # floats: true division
    (lambda: tf.floordiv(-7, 2), np.int32(-4)),
    (lambda: tf.floordiv(-7.0, 2.0), np.float32(-4.0)),
    (lambda: tf.floor_div(-7.0, 2.0), np.float32(-4.0)),
    (lambda: tf.truncatediv(-7, 2), np.int32(-3)),       # towards zero
    (lambda: tf.truncatediv(-7.0, 2.0), np.float32(-3.0)),
    (lambda: tf.truncatemod(-7, 2), np.int32(-1)),       # the sign of x
    (lambda: tf.truncatemod(-7.0, 2.0), np.float32(-1.0)),
    (lambda: tf.mod(-7, 2), np.int32(1)),                # the sign of y
    (lambda: tf.mod(-7.0, 2.0), np.float32(1.0)),
    (lambda: tf.floormod(-7.5, 2.0), np.float32(0.5)),
    (lambda: tf.constant(-7) // tf.constant(2), np.int32(-4)),
    (lambda: tf.constant(-7) % tf.constant(2), np.int32(1)),
    (lambda: tf.constant(-7.0) // 2.0, np.float32(-4.0)),
    (lambda: tf.constant(-7.0) % 2.0, np.float32(1.0)),
    (lambda: tf.floordiv(7.0, 0.0), np.float32(np.inf)),  # floats by zero: inf and NaN
    (lambda: tf.mod(7.0, 0.0), np.float32(np.nan)),
], ids=lambda x: "" if callable(x) else repr(x))
def test_division_values_and_dtypes_are_tf1s(make, expected):
    value = run(make())
    assert type(value) is type(expected)
    np.testing.assert_array_equal(value, expected)


def test_integer_division_by_zero_is_an_invalid_argument():
    # TF-1: InvalidArgumentError "Integer division by zero" (when run; teachgrad computes
    # constants as they are made, so here at once)
    for divide in (tf.floordiv, tf.mod, tf.truncatediv, tf.truncatemod, tf.div):
        with pytest.raises(tf.errors.InvalidArgumentError, match="Integer division by zero"):
            run(divide(7, 0))
    x = tf.placeholder(tf.int32)
    with pytest.raises(tf.errors.InvalidArgumentError, match="Integer division by zero"):
        run(x // 0, {x: 7})


def test_division_node_names_are_tf1s():
    x, y = tf.constant([-7.0, 5.5]), tf.constant([2.0, -1.5])
    c7, c2 = tf.constant(-7), tf.constant(2)
    made = [tf.div(x, y), tf.floordiv(x, y), tf.floor_div(x, y), tf.truncatediv(x, y),
            tf.truncatemod(x, y), tf.mod(x, y), tf.floormod(x, y), x // y, x % y, tf.div(c7, c2)]
    assert [(t.op.name, t.op.type) for t in made] == [
        ("div", "RealDiv"), ("floordiv", "FloorDiv"), ("FloorDiv_1", "FloorDiv"),   # (names are
        ("TruncateDiv", "TruncateDiv"), ("TruncateMod", "TruncateMod"), ("FloorMod", "FloorMod"),
        ("FloorMod_1", "FloorMod"), ("floordiv_2", "FloorDiv"), ("mod", "FloorMod"),  # unique
        ("div_1", "FloorDiv")]                                            # case-blind, as in TF)


@pytest.mark.parametrize("make, ops", [
    (lambda: tf.floordiv(7, 2), [("floordiv/x", "Const"), ("floordiv/y", "Const"),
                                 ("floordiv", "FloorDiv")]),
    (lambda: tf.div(7, 2), [("div/x", "Const"), ("div/y", "Const"), ("div", "FloorDiv")]),
    (lambda: tf.mod(7, 2), [("FloorMod/x", "Const"), ("FloorMod/y", "Const"),
                            ("FloorMod", "FloorMod")]),
    (lambda: (tf.constant(7) // 2, tf.constant(7) % 2, 7 // tf.constant(2)),
     [("Const", "Const"), ("floordiv/y", "Const"), ("floordiv", "FloorDiv"), ("Const_1", "Const"),
      ("mod/y", "Const"), ("mod", "FloorMod"), ("Const_2", "Const"), ("floordiv_1/x", "Const"),
      ("floordiv_1", "FloorDiv")]),
], ids=["floordiv", "div", "mod", "operators"])
def test_numbers_converted_by_a_division_are_named_inside_it(make, ops):
    make()
    assert op_list() == ops


def test_division_gradients_are_tf1s():
    x, y = tf.constant([-7.0, 5.5]), tf.constant([2.0, -1.5])
    # FloorMod: ∂/∂x = 1, ∂/∂y = −⌊x/y⌋ (TF-1: [1, 1] and [4, 4])
    gx, gy = run(tf.gradients(tf.mod(x, y), [x, y]))
    np.testing.assert_array_equal(gx, [1.0, 1.0])
    np.testing.assert_array_equal(gy, [4.0, 4.0])
    gx, gy = run(tf.gradients(x % y, [x, y]))
    np.testing.assert_array_equal(gy, [4.0, 4.0])
    # RealDiv (tf.div of floats): TF-1's [0.5, -0.6666667] and [1.75, -2.4444444]
    gx, gy = run(tf.gradients(tf.div(x, y), [x, y]))
    np.testing.assert_allclose(gx, [0.5, -0.6666667], rtol=1e-6)
    np.testing.assert_allclose(gy, [1.75, -2.4444444], rtol=1e-6)
    # FloorDiv and TruncateDiv: no gradient (None)
    assert tf.gradients(tf.floordiv(x, y), [x, y]) == [None, None]
    assert tf.gradients(x // y, [x, y]) == [None, None]
    assert tf.gradients(tf.truncatediv(x, y), [x, y]) == [None, None]
    # TruncateMod: none defined, a LookupError naming the op
    with pytest.raises(LookupError, match="No gradient defined for operation.*TruncateMod"):
        tf.gradients(tf.truncatemod(x, y), [x, y])


def test_division_dtypes_are_tf1s():
    with pytest.raises(TypeError):      # TF-1: Input 'y' of 'FloorDiv' Op has type float32 …
        tf.floordiv(tf.constant(7), tf.constant(2.0))
    with pytest.raises(TypeError):      # TF-1: Expected int32 … got 2.5 of type 'float'
        tf.floordiv(tf.constant(7), 2.5)
    with pytest.raises(TypeError, match="DataType bool not in list of allowed values"):
        tf.floordiv(tf.constant(True), tf.constant(True))
    assert run(tf.mod(tf.constant(-7, tf.int64), 3)) == np.int64(2)


def test_floordiv_and_mod_work_on_placeholders():
    p = tf.placeholder(tf.float32, [None])
    q, r = p // 2.0, p % 2.0
    assert q.shape.as_list() == [None] and r.dtype == tf.float32
    values = run([q, r], {p: [-7.0, 5.0]})
    np.testing.assert_array_equal(values[0], [-4.0, 2.0])
    np.testing.assert_array_equal(values[1], [1.0, 1.0])


# --- unique, arg_max/arg_min, add_n --------------------------------------------------------------

def test_unique_gives_values_in_order_of_appearance_and_indices():
    u = tf.unique([4, 1, 4, 2, 1])
    assert type(u).__name__ == "Unique" and u._fields == ("y", "idx")
    assert (u.y.name, u.idx.name, u.idx.dtype) == ("Unique:0", "Unique:1", tf.int32)
    assert op_list() == [("Const", "Const"), ("Unique", "Unique")]     # one op, two outputs
    assert u.idx.op == u.y.op and u.y.op.outputs == [u.y, u.idx]
    assert tf.get_default_graph().get_tensor_by_name("Unique:1") is u.idx
    y, idx = run(u)
    assert y.tolist() == [4, 1, 2] and y.dtype == np.int32
    assert idx.tolist() == [0, 1, 0, 2, 1] and idx.dtype == np.int32
    y, idx = run(tf.unique(tf.constant([1.5, 1.5, 0.5])))
    assert y.tolist() == [1.5, 0.5] and y.dtype == np.float32 and idx.tolist() == [0, 0, 1]
    y, idx = run(tf.unique([3, 3, 1], out_idx=tf.int64))
    assert idx.dtype == np.int64 and idx.tolist() == [0, 0, 1]
    assert tf.unique([1, 2], name="u").y.name == "u:0"


def test_unique_of_a_placeholder_has_an_unknown_size():
    p = tf.placeholder(tf.int32, [None])
    y, idx = tf.unique(p)
    assert y.shape.as_list() == [None] and idx.shape.as_list() == [None]
    y_value, idx_value = run([y, idx], {p: [5, 5, 7]})
    assert y_value.tolist() == [5, 7] and idx_value.tolist() == [0, 0, 1]


def test_unique_refuses_what_tf1_refuses():
    with pytest.raises(ValueError, match="Shape must be rank 1 but is rank 2"):
        tf.unique([[1, 2], [1, 2]])
    x = tf.constant([1.5, 1.5, 0.5])
    y, _ = tf.unique(x)
    with pytest.raises(LookupError, match="No gradient defined for operation 'Unique'"):
        tf.gradients(tf.reduce_sum(y * tf.constant([2.0, 3.0])), x)


def test_arg_max_and_arg_min_are_tf1s_older_names():
    m = [[1.0, 5.0], [7.0, 2.0]]
    t = tf.arg_max(m, 1)
    assert run(t).tolist() == [1, 0] and t.dtype == tf.int64 and t.op.type == "ArgMax"
    assert run(tf.arg_min(m, 0)).tolist() == [0, 1]
    assert tf.arg_min(m, 0).op.type == "ArgMin"
    assert run(tf.arg_max([3.0, 1.0], dimension=0)) == 0
    with pytest.raises(TypeError, match="dimension"):   # TF-1: dimension is required
        tf.arg_max([3.0, 1.0])


def test_add_n_is_one_addn_op():
    a, b, c = tf.constant([1.0, 2.0]), tf.constant([3.0, 4.0]), tf.constant([5.0, 6.0])
    n = tf.add_n([a, b, c])
    assert (n.name, n.op.type) == ("AddN:0", "AddN")
    assert [i.name for i in n.op.inputs] == ["Const:0", "Const_1:0", "Const_2:0"]
    assert run(n).tolist() == [9.0, 12.0]
    assert tf.add_n([a]) is a                              # TF-1: the tensor itself
    grads = run(tf.gradients(n * tf.constant([1.0, 10.0]), [a, b, c]))
    assert [g.tolist() for g in grads] == [[1.0, 10.0]] * 3
    assert run(tf.add_n([[1.0, 2.0], [3.0, 4.0]])).tolist() == [4.0, 6.0]
    assert tf.add_n([a, b], name="total").name == "total:0"


def test_add_n_refuses_what_tf1_refuses():
    a = tf.constant([1.0, 2.0])
    with pytest.raises(TypeError, match=r"Tensors in list passed to 'inputs' of 'AddN' Op have "
                                        r"types \[float32, int32\] that don't all match"):
        tf.add_n([a, tf.constant([1, 2])])
    with pytest.raises(ValueError):                        # TF-1: Shapes must be equal rank
        tf.add_n([a, tf.constant(1.0)])
    with pytest.raises(ValueError, match="at least one Tensor"):
        tf.add_n([])


# --- dropout ---------------------------------------------------------------------------------------

def test_dropout_zeroes_or_scales_by_one_over_keep_prob_and_repeats_with_a_seed():
    x = tf.ones((4, 5))
    d = tf.nn.dropout(x, keep_prob=0.5, seed=1)
    with tf.Session() as sess:
        first, second = sess.run(d), sess.run(d)
    with tf.Session() as sess:
        again = sess.run(d)
    assert set(first.ravel().tolist()) <= {0.0, 2.0} and first.dtype == np.float32
    assert 0 < (first == 0).sum() < 20
    assert (first != second).any()                  # a new mask at every run
    np.testing.assert_array_equal(first, again)     # the same sequence in a new Session
    quarter = run(tf.nn.dropout(x, rate=0.25, seed=3))
    assert set(quarter.ravel().tolist()) <= {0.0, float(np.float32(1) / np.float32(0.75))}


def test_dropout_is_built_as_tf_1_15_builds_it():
    x = tf.ones((2, 3))
    d = tf.nn.dropout(x, keep_prob=0.5, seed=1)
    assert d.name == "dropout/mul_1:0" and d.shape == (2, 3)
    assert [name for name, _ in op_list()] == [
        "ones", "dropout/rate", "dropout/random_uniform", "dropout/sub/x", "dropout/sub",
        "dropout/truediv/x", "dropout/truediv", "dropout/GreaterEqual", "dropout/mul",
        "dropout/Cast", "dropout/mul_1"]
    assert tf.nn.dropout(x, keep_prob=1.0) is x      # rate 0: x itself (TF-1: 'ones:0')
    assert tf.nn.dropout(x, rate=0.0) is x


def test_dropout_gradient_is_the_mask_over_keep_prob():
    x = tf.constant([[1.0, 2.0, 3.0, 4.0]])
    d = tf.nn.dropout(x, keep_prob=0.5, seed=1)
    values, grad = run([d, tf.gradients(d, x)[0]])
    np.testing.assert_array_equal(grad, values / np.array([1.0, 2.0, 3.0, 4.0]))
    assert set(grad.ravel().tolist()) <= {0.0, 2.0}   # TF-1: [[2., 0., 0., 8.]] and [[2., 0., 0., 2.]]


def test_dropout_takes_a_placeholder_keep_prob_and_a_batch_of_unknown_size():
    x = tf.placeholder(tf.float32, (None, 3))
    keep = tf.placeholder(tf.float32)
    d = tf.nn.dropout(x, keep_prob=keep, seed=2)
    assert d.shape.as_list() == [None, 3]
    with tf.Session() as sess:
        kept = sess.run(d, {x: np.ones((2, 3)), keep: 1.0})
        halved = sess.run(d, {x: np.ones((5, 3)), keep: 0.5})
    np.testing.assert_array_equal(kept, np.ones((2, 3)))        # TF-1: all ones at keep_prob 1
    assert halved.shape == (5, 3) and set(halved.ravel().tolist()) <= {0.0, 2.0}
    whole_rows = run(tf.nn.dropout(tf.ones((3, 4)), keep_prob=0.5, noise_shape=[3, 1], seed=5))
    assert all(len(set(row)) == 1 for row in whole_rows.tolist())   # one decision per row


@pytest.mark.parametrize("kwargs, message", [
    (dict(keep_prob=0.5, rate=0.5), "Cannot specify both 'keep_prob' and 'rate'."),
    (dict(), "`rate` must be provided. Received: rate=None"),
    (dict(keep_prob=0.0), r"`rate` must be a scalar tensor or a float in the range \[0, 1\). "
                          "Received: rate=1.0"),
    (dict(rate=1.0), r"in the range \[0, 1\)"),
])
def test_dropout_refuses_what_tf1_refuses(kwargs, message):
    with pytest.raises(ValueError, match=message):
        tf.nn.dropout(tf.ones((4, 5)), **kwargs)


def test_dropout_of_integers_is_tf1s_error():
    with pytest.raises(ValueError, match="`x.dtype` must be a floating point tensor as `x` will "
                                         "be scaled. Received: x_dtype=<dtype: 'int32'>"):
        tf.nn.dropout(tf.ones((2,), tf.int32), keep_prob=0.5)


# --- tables_initializer --------------------------------------------------------------------------

def test_tables_initializer_is_a_no_op_named_init_all_tables():
    init = tf.tables_initializer()
    assert (init.name, init.type) == ("init_all_tables", "NoOp")
    assert run(init) is None
