"""Session.run's compiled-plan cache: the same fetches with different feed sets, fetch orders and
fed variables in one session (issue 27).

A session keeps one compiled plan per (fetches, fed tensors). A cache keyed on the fetches alone
gives a silently wrong number the second time the same fetches are run with other tensors fed, so
every test here runs the same fetches more than once in one session, changing one thing at a time.
Expected values were read off ``tensorflow.compat.v1`` (graph mode) running the same lines.
"""

import collections

import numpy as np
import pytest

import teachgrad as tf


@pytest.fixture
def chain():
    """x -> y = x * 2 -> z = y + 1."""
    x = tf.placeholder(tf.float32, ())
    y = x * 2.0
    z = y + 1.0
    return x, y, z


def test_same_fetch_then_an_intermediate_fed_then_the_placeholder_again(chain):
    x, y, z = chain
    with tf.Session() as sess:
        assert sess.run(z, {x: 1.0}) == 3.0
        assert sess.run(z, {y: 10.0}) == 11.0   # y fed: x * 2 is not run (TF: 11.0, not 21.0)
        assert sess.run(z, {x: 2.0}) == 5.0     # and the placeholder's plan is still right


def test_feeding_both_the_placeholder_and_the_intermediate_uses_the_intermediate(chain):
    x, y, z = chain
    with tf.Session() as sess:
        assert sess.run(z, {x: 1.0}) == 3.0
        assert sess.run(z, {x: 1.0, y: 10.0}) == 11.0
        assert sess.run(z, {y: 10.0, x: 1.0}) == 11.0


def test_fetching_the_fed_tensor_gives_the_fed_value(chain):
    x, y, _ = chain
    with tf.Session() as sess:
        assert sess.run(y, {x: 7.0}) == 14.0
        assert sess.run(y, {y: 7.0}) == 7.0
        assert sess.run(y, {x: 7.0}) == 14.0


def test_different_fetch_orders_give_values_in_the_order_asked(chain):
    x, y, z = chain
    with tf.Session() as sess:
        assert sess.run([y, z], {x: 1.0}) == [2.0, 3.0]
        assert sess.run([z, y], {x: 1.0}) == [3.0, 2.0]
        assert sess.run([z, z], {x: 1.0}) == [3.0, 3.0]
        got = sess.run((z, y), {y: 4.0})
        assert isinstance(got, tuple) and got == (5.0, 4.0)


def test_a_list_a_tuple_and_a_single_fetch_keep_their_own_structure(chain):
    x, _, z = chain
    with tf.Session() as sess:
        assert sess.run([z], {x: 1.0}) == [3.0]
        single = sess.run(z, {x: 1.0})
        assert not isinstance(single, (list, tuple)) and single == 3.0
        assert sess.run((z,), {x: 1.0}) == (3.0,)
        assert sess.run({"z": z}, {y_of(z): 0.0}) == {"z": 1.0}


def test_a_namedtuple_after_a_tuple_of_the_same_fetches_is_a_namedtuple(chain):
    x, _, z = chain
    pair = collections.namedtuple("pair", "z")
    with tf.Session() as sess:
        assert sess.run((z,), {x: 1.0}) == (3.0,)
        got = sess.run(pair(z), {x: 1.0})
        assert type(got) is pair and got.z == 3.0
        got = sess.run((z,), {x: 1.0})
        assert type(got) is tuple


def y_of(z):
    """The tensor z = y + 1 was made from."""
    return z.op.inputs[0]


def test_feed_order_pairs_each_value_with_its_own_key():
    a = tf.placeholder(tf.float32, ())
    b = tf.placeholder(tf.float32, ())
    w = a - b
    with tf.Session() as sess:
        assert sess.run(w, {a: 1.0, b: 2.0}) == -1.0
        assert sess.run(w, {b: 2.0, a: 1.0}) == -1.0
        assert sess.run(w, {b: 5.0, a: 1.0}) == -4.0
        assert sess.run(w, {a: 5.0, b: 1.0}) == 4.0


def test_a_fed_variable_is_used_for_that_run_only():
    v = tf.Variable(1.0)
    u = v * 3.0
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        assert sess.run(u) == 3.0
        assert sess.run(u, {v: 5.0}) == 15.0
        assert sess.run(u) == 3.0          # the variable itself still holds 1.0
        assert sess.run(v) == 1.0


def test_a_fed_constant_then_the_constant_again():
    c = tf.constant(2.0)
    d = c * 3.0
    with tf.Session() as sess:
        assert sess.run(d) == 6.0
        assert sess.run(d, {c: 5.0}) == 15.0
        assert sess.run(d) == 6.0


def test_feeding_by_name_and_by_tensor_give_the_same_numbers(chain):
    x, y, z = chain
    with tf.Session() as sess:
        assert sess.run(z, {x.name: 3.0}) == 7.0
        assert sess.run(z, {y.name: 3.0}) == 4.0
        assert sess.run(z, {x: 3.0}) == 7.0


def test_callables_with_different_feed_lists_on_the_same_fetch(chain):
    x, y, z = chain
    with tf.Session() as sess:
        from_x = sess.make_callable(z, [x])
        from_y = sess.make_callable(z, [y])
        assert from_x(1.0) == 3.0
        assert from_y(1.0) == 2.0
        assert from_x(1.0) == 3.0


def test_an_unfed_placeholder_is_still_refused_after_a_fed_run(chain):
    x, y, z = chain
    with tf.Session() as sess:
        assert sess.run(z, {y: 10.0}) == 11.0
        with pytest.raises(tf.errors.InvalidArgumentError, match="placeholder"):
            sess.run(z)


def test_the_same_fetches_in_two_sessions_do_not_share_variable_values():
    v = tf.Variable(1.0)
    u = v * 3.0
    with tf.Session() as first, tf.Session() as second:
        first.run(tf.global_variables_initializer())
        second.run(tf.global_variables_initializer())
        first.run(v.assign(2.0))
        assert first.run(u) == 6.0
        assert second.run(u) == 3.0


def test_a_fed_array_shape_changes_between_runs_of_the_same_plan():
    x = tf.placeholder(tf.float32, (None,))
    s = tf.reduce_sum(x * 2.0)
    with tf.Session() as sess:
        assert sess.run(s, {x: [1.0, 2.0]}) == 6.0
        assert sess.run(s, {x: np.ones(5, np.float32)}) == 10.0
