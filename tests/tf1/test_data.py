"""``tf.data`` in graph mode: datasets, iterators, one element per run, ``OutOfRangeError``.

Every expected value, dtype, shape, name and message was read off ``tensorflow.compat.v1``
(TensorFlow 2.21, ``disable_v2_behavior()``) running the same code — except the order a seeded
``shuffle`` gives, which is teachgrad's own (its properties are what is tested).
"""

import numpy as np
import pytest

import teachgrad as tf


def drain(dataset, session=None):
    """Every element of ``dataset`` through a one-shot iterator, run by run."""
    element = tf.data.make_one_shot_iterator(dataset).get_next()
    out = []
    with (session or tf.Session()) as sess:
        try:
            while True:
                out.append(sess.run(element))
        except tf.errors.OutOfRangeError:
            pass
    return out


def values(items):
    return [np.asarray(v).tolist() for v in items]


# ------------------------------------------------------------------------------------------------
# what the elements are
# ------------------------------------------------------------------------------------------------

def test_output_types_and_shapes_as_tensorflow_1():
    pairs = tf.data.Dataset.from_tensor_slices((np.arange(6.).reshape(3, 2), [1, 2, 3]))
    assert pairs.output_types == (tf.float64, tf.int32)          # NumPy keeps its dtype,
    assert pairs.output_shapes == ((2,), ())                      # Python ints are int32
    named = tf.data.Dataset.from_tensor_slices({"x": [1.0, 2.0, 3.0], "y": np.array([1, 0, 1])})
    assert named.output_types == {"x": tf.float32, "y": tf.int64}
    assert tf.data.Dataset.range(5).output_types == tf.int64
    assert tf.data.Dataset.from_tensors([1, 2, 3]).output_shapes == (3,)
    assert [s.as_list() for s in pairs.batch(2).output_shapes] == [[None, 2], [None]]
    assert [s.as_list() for s in pairs.batch(2, drop_remainder=True).output_shapes] == [[2, 2],
                                                                                       [2]]
    mapped = pairs.map(lambda a, c: (a * 2, tf.cast(c, tf.float32) + 0.5))
    assert mapped.output_types == (tf.float64, tf.float32)
    assert tf.data.get_output_shapes(mapped) == ((2,), ())
    with pytest.raises(ValueError, match="Dimensions 2 and 3 are not compatible"):
        tf.data.Dataset.from_tensor_slices(([1, 2], [3, 4, 5]))


def test_get_next_tensors_are_named_as_tensorflow_1():
    first = tf.data.Dataset.range(3).make_one_shot_iterator().get_next()
    x, y = tf.data.Dataset.from_tensor_slices(([[1.0, 2.0]], [1])).batch(1) \
        .make_one_shot_iterator().get_next()
    assert (first.name, first.dtype, first.shape) == ("IteratorGetNext:0", tf.int64, ())
    assert (x.name, y.name) == ("IteratorGetNext_1:0", "IteratorGetNext_1:1")
    assert x.shape.as_list() == [None, 2] and x.op.type == "IteratorGetNext"
    assert x.op.name == "IteratorGetNext_1"


# ------------------------------------------------------------------------------------------------
# one element per run
# ------------------------------------------------------------------------------------------------

def test_one_element_per_run_shared_by_every_fetch_of_that_run():
    element = tf.data.Dataset.range(5).make_one_shot_iterator().get_next()
    twice = element * 10
    with tf.Session() as sess:
        assert sess.run([element, element]) == [0, 0]
        assert sess.run({"a": element, "b": twice}) == {"a": 1, "b": 10}
        assert (sess.run(element), sess.run(element)) == (2, 3)
        assert sess.run(element) == 4
        for _ in range(2):     # the end, and again the end
            with pytest.raises(tf.errors.OutOfRangeError, match="End of sequence") as error:
                sess.run(element)
            assert isinstance(error.value, tf.errors.OpError)
    with tf.Session() as sess:    # a new Session starts a one-shot iterator again
        assert sess.run(element) == 0


def test_two_get_next_ops_each_advance_the_iterator():
    iterator = tf.data.Dataset.range(4).make_one_shot_iterator()
    a, b = iterator.get_next(), iterator.get_next()
    with tf.Session() as sess:
        assert sorted(sess.run([a, b])) == [0, 1] and sorted(sess.run([a, b])) == [2, 3]


def test_training_reads_a_batch_per_step():
    features = np.arange(8, dtype=np.float32).reshape(4, 2)
    labels = features @ np.array([[1.0], [2.0]], np.float32)
    x, y = tf.data.Dataset.from_tensor_slices((features, labels)).batch(2).repeat() \
        .make_one_shot_iterator().get_next()
    w = tf.Variable(tf.zeros((2, 1)))
    loss = tf.reduce_mean(tf.square(tf.matmul(x, w) - y))
    step = tf.train.GradientDescentOptimizer(0.01).minimize(loss)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        first = sess.run([loss, step])[0]
        for _ in range(200):
            last = sess.run([loss, step])[0]
    assert first == pytest.approx(np.mean(labels[:2] ** 2))   # the first batch, at w = 0
    assert last < 0.01 * first


# ------------------------------------------------------------------------------------------------
# initializable and reinitializable iterators
# ------------------------------------------------------------------------------------------------

def test_initializable_iterator_fed_through_its_initializer():
    data = tf.placeholder(tf.float32, (None, 2))
    iterator = tf.data.Dataset.from_tensor_slices(data).make_initializable_iterator()
    row = iterator.get_next()
    assert (iterator.initializer.name, iterator.initializer.type) == ("MakeIterator",
                                                                      "MakeIterator")
    assert row.shape == (2,)
    with tf.Session() as sess:
        with pytest.raises(tf.errors.FailedPreconditionError,
                           match="GetNext\\(\\) failed because the iterator has not been "
                                 "initialized"):
            sess.run(row)
        sess.run(iterator.initializer, {data: [[1, 2], [3, 4]]})
        assert values([sess.run(row), sess.run(row)]) == [[1, 2], [3, 4]]
        with pytest.raises(tf.errors.OutOfRangeError):
            sess.run(row)
        sess.run(iterator.initializer, {data: [[5, 6]]})     # again: from the start
        assert values([sess.run(row)]) == [[5, 6]]


def test_one_shot_iterator_refuses_a_placeholder():
    data = tf.placeholder(tf.float32, (None,))
    with pytest.raises(ValueError, match=r"Cannot capture a placeholder \(name:Placeholder, "
                                         r"type:Placeholder\) by value"):
        tf.data.Dataset.from_tensor_slices(data).make_one_shot_iterator()


def test_reinitializable_iterator_switches_datasets():
    train = tf.data.Dataset.from_tensor_slices(np.arange(5)).batch(2)
    test = tf.data.Dataset.from_tensor_slices(np.arange(10, 13)).batch(2)
    iterator = tf.data.Iterator.from_structure(train.output_types, train.output_shapes)
    batch = iterator.get_next()
    train_init, test_init = iterator.make_initializer(train), iterator.make_initializer(test)
    assert train_init.name == "make_initializer" and train_init.type == "MakeIterator"
    with tf.Session() as sess:
        sess.run(train_init)
        assert values([sess.run(batch), sess.run(batch)]) == [[0, 1], [2, 3]]
        sess.run(test_init)
        assert values([sess.run(batch), sess.run(batch)]) == [[10, 11], [12]]
    floats = tf.data.Dataset.from_tensor_slices([1.0])
    with pytest.raises(TypeError, match="Expected output types tf.int64 but got dataset with "
                                        "output types tf.float32"):
        iterator.make_initializer(floats)


# ------------------------------------------------------------------------------------------------
# transformations
# ------------------------------------------------------------------------------------------------

def test_transformations_give_tensorflows_elements():
    assert drain(tf.data.Dataset.range(3).repeat().take(7)) == [0, 1, 2, 0, 1, 2, 0]
    assert drain(tf.data.Dataset.range(2, 8, 2).repeat(2)) == [2, 4, 6, 2, 4, 6]
    assert drain(tf.data.Dataset.range(10).filter(lambda x: x < 3)) == [0, 1, 2]
    assert drain(tf.data.Dataset.range(5).skip(2)) == [2, 3, 4]
    assert drain(tf.data.Dataset.zip((tf.data.Dataset.range(3),
                                      tf.data.Dataset.range(10, 20)))) == [(0, 10), (1, 11),
                                                                           (2, 12)]
    assert drain(tf.data.Dataset.range(2).concatenate(tf.data.Dataset.range(5, 7))) == [0, 1, 5,
                                                                                        6]
    dicts = tf.data.Dataset.from_tensor_slices({"a": [1, 2], "b": [[1.0], [2.0]]})
    assert drain(dicts.map(lambda d: d["a"] + 1)) == [2, 3]
    generated = tf.data.Dataset.from_generator(lambda: iter([[1, 2], [3, 4]]), tf.int64,
                                               tf.TensorShape([2]))
    assert values(drain(generated)) == [[1, 2], [3, 4]]
    rows = tf.data.Dataset.from_tensor_slices(np.array([[1, 2], [3, 4], [5, 6]]))
    assert values(drain(rows.batch(2))) == [[[1, 2], [3, 4]], [[5, 6]]]
    assert values(drain(rows.batch(2, drop_remainder=True))) == [[[1, 2], [3, 4]]]
    assert drain(tf.data.Dataset.range(3).prefetch(1).cache()) == [0, 1, 2]


def test_map_traces_its_function_once():
    calls = []

    def double(x):
        calls.append(x)
        return x * 2
    assert drain(tf.data.Dataset.range(3).map(double)) == [0, 2, 4]
    assert len(calls) == 1            # TensorFlow traces it once, too


def test_batching_elements_of_different_shapes_is_tensorflows_error():
    ragged = tf.data.Dataset.from_generator(lambda: iter([[1], [2, 3]]), tf.int64).batch(2)
    with pytest.raises(tf.errors.InvalidArgumentError,
                       match=r"Cannot batch tensors with different shapes in component 0\. First "
                             r"element had shape \[1\] and element 1 had shape \[2\]\."):
        drain(ragged)


def test_seeded_shuffle_is_a_permutation_that_repeats_in_every_session():
    shuffled = tf.data.Dataset.range(20).shuffle(20, seed=3)
    first, again = drain(shuffled), drain(shuffled)
    assert sorted(first) == list(range(20)) and first != list(range(20))
    assert first == again
    epochs = drain(tf.data.Dataset.range(10).shuffle(10, seed=1).repeat(2))
    assert sorted(epochs[:10]) == sorted(epochs[10:]) == list(range(10))
    assert epochs[:10] != epochs[10:]                      # each pass shuffles anew
    fixed = drain(tf.data.Dataset.range(10).shuffle(10, seed=1, reshuffle_each_iteration=False)
                  .repeat(2))
    assert fixed[:10] == fixed[10:]
    assert drain(tf.data.Dataset.range(6).shuffle(1)) == list(range(6))   # a buffer of one
    tf.set_random_seed(3)                                  # a graph seed alone is enough
    graph_seeded = tf.data.Dataset.range(5).shuffle(5).repeat(2)
    assert drain(graph_seeded) == drain(graph_seeded)


def test_a_dataset_iterates_in_eager_mode(eager):
    items = [(int(x), float(y)) for x, y in
             tf.data.Dataset.from_tensor_slices(([1, 2], [0.5, 1.5])).map(lambda a, b: (a, b * 2))]
    assert items == [(1, 1.0), (2, 3.0)]
    with pytest.raises(RuntimeError, match="not supported when eager execution is enabled"):
        tf.data.Dataset.range(3).make_one_shot_iterator()


def test_iterating_a_dataset_in_graph_mode_is_tensorflows_error():
    with pytest.raises(RuntimeError, match="only supported inside of tf.function or when eager"):
        iter(tf.data.Dataset.range(3)).__next__()


def test_the_teaching_graph_of_a_program_fed_by_an_iterator():
    """``tg.trace`` evaluates the program once on its own (the first element), leaving the
    Session's iterator where it was; summaries evaluate too."""
    x = tf.data.Dataset.from_tensor_slices(np.arange(8, dtype=np.float32).reshape(4, 2)) \
        .batch(2).make_one_shot_iterator().get_next()
    w = tf.Variable(tf.ones((2, 1)), name="w")
    total = tf.reduce_sum(tf.matmul(x, w))
    summary = tf.summary.scalar("total", total)
    with tf.Session() as sess:
        sess.run(w.initializer)
        graph = tf.trace([total, summary], session=sess)
        assert sess.run(total) == 6.0                   # the Session's first batch still
    assert graph.nodes[:4] == ["OneShotIterator", "IteratorGetNext",
                               "IteratorGetNext/component_0", "w"]
    assert graph.value("Sum") == 6.0 and graph.value("IteratorGetNext/component_0").shape == (2, 2)
