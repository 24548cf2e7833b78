"""``tf.train.Saver``: every variable round-trips (optimizer slots and the global step included),
the ``checkpoint`` file is TensorFlow's, ``max_to_keep``, ``latest_checkpoint``, and the errors.

The values, names, file contents and messages were read off ``tensorflow.compat.v1``
(TensorFlow 2.21, ``disable_v2_behavior()``) running the same code; the checkpoint's own file is
teachgrad's format (``.npz``), not TensorFlow's ``.index``/``.data`` pair.
"""

import os

import numpy as np
import pytest

import teachgrad as tf


def adam_program():
    w = tf.Variable([1.0, 2.0], name="w")
    loss = tf.reduce_sum(w * w)
    step = tf.train.get_or_create_global_step()
    train = tf.train.AdamOptimizer(0.1).minimize(loss, global_step=step)
    return w, step, train


# After four Adam steps from w = [1, 2] (TF's numbers): w, global_step, beta1_power,
# beta2_power, w/Adam, w/Adam_1.
TF_AFTER_4 = {"w:0": [0.60394037, 1.6015062], "global_step:0": 4, "beta1_power:0": 0.5904899,
              "beta2_power:0": 0.9950101, "w/Adam:0": [0.57599187, 1.2635552],
              "w/Adam_1:0": [0.01175036, 0.05488041]}


def test_every_variable_round_trips_optimizer_slots_included(tmp_path):
    w, step, train = adam_program()
    assert [v.name for v in tf.global_variables()] == list(TF_AFTER_4)
    saver = tf.train.Saver()
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        for _ in range(4):
            sess.run(train)
        path = saver.save(sess, str(tmp_path / "model.ckpt"), global_step=step)
        saved = dict(zip(TF_AFTER_4, sess.run(tf.global_variables())))
        sess.run(train)
        after_five = sess.run(w)
    assert path == str(tmp_path / "model.ckpt-4")
    for name, value in TF_AFTER_4.items():
        np.testing.assert_allclose(saved[name], value, rtol=1e-6)
    tf.reset_default_graph()                       # the same program, built again
    w, step, train = adam_program()
    with tf.Session() as sess:
        tf.train.Saver().restore(sess, path)
        restored = dict(zip(TF_AFTER_4, sess.run(tf.global_variables())))
        sess.run(train)                            # Adam goes on where it stopped
        np.testing.assert_array_equal(sess.run(w), after_five)
    for name in TF_AFTER_4:
        np.testing.assert_array_equal(restored[name], saved[name])
        assert np.asarray(restored[name]).dtype == np.asarray(saved[name]).dtype
    assert sorted(os.listdir(tmp_path)) == ["checkpoint", "model.ckpt-4.npz"]


def test_checkpoint_file_and_max_to_keep_as_tensorflow_1(tmp_path):
    w, step, train = adam_program()
    saver = tf.train.Saver(max_to_keep=2)
    prefix = str(tmp_path / "model.ckpt")
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        paths = []
        for _ in range(4):
            sess.run(train)
            paths.append(saver.save(sess, prefix, global_step=step))
        plain = saver.save(sess, str(tmp_path / "plain"))
    assert paths == [f"{prefix}-{k}" for k in (1, 2, 3, 4)] and plain == str(tmp_path / "plain")
    assert sorted(os.listdir(tmp_path)) == ["checkpoint", "model.ckpt-4.npz", "plain.npz"]
    assert (tmp_path / "checkpoint").read_text() == (        # TensorFlow's text, byte for byte
        f'model_checkpoint_path: "{tmp_path}/plain"\n'
        f'all_model_checkpoint_paths: "{tmp_path}/model.ckpt-4"\n'
        f'all_model_checkpoint_paths: "{tmp_path}/plain"\n')
    assert saver.last_checkpoints == [f"{prefix}-4", str(tmp_path / "plain")]
    assert tf.train.latest_checkpoint(str(tmp_path)) == str(tmp_path / "plain")
    state = tf.train.get_checkpoint_state(str(tmp_path))
    assert state.model_checkpoint_path == str(tmp_path / "plain")
    assert state.all_model_checkpoint_paths == [f"{prefix}-4", str(tmp_path / "plain")]
    assert tf.train.latest_checkpoint(str(tmp_path / "nothing here")) is None
    assert tf.train.checkpoint_exists(f"{prefix}-4") and not tf.train.checkpoint_exists(
        f"{prefix}-3")


def test_a_relative_path_is_kept_relative(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    v = tf.Variable(3.0, name="v")
    with tf.Session() as sess:
        sess.run(v.initializer)
        assert tf.train.Saver().save(sess, "rel") == "rel"
    assert (tmp_path / "checkpoint").read_text() == ('model_checkpoint_path: "rel"\n'
                                                     'all_model_checkpoint_paths: "rel"\n')
    assert tf.train.latest_checkpoint(str(tmp_path)) == os.path.join(str(tmp_path), "rel")


def test_var_list_as_a_dict_renames_and_a_missing_key_is_not_found(tmp_path):
    v = tf.Variable(3.0, name="v")
    other = tf.Variable(5.0, name="other")
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        path = tf.train.Saver({"renamed": v}).save(sess, str(tmp_path / "only"))
        sess.run(v.assign(0.0))
        tf.train.Saver({"renamed": other}).restore(sess, path)   # by name in the checkpoint
        assert sess.run(other) == 3.0
        with pytest.raises(tf.errors.NotFoundError, match="Key v not found in checkpoint"):
            tf.train.Saver([v, other]).restore(sess, path)
        assert (sess.run(v), sess.run(other)) == (0.0, 3.0)      # nothing changed


def test_restore_refuses_another_shape_or_dtype(tmp_path):
    w = tf.Variable([1.0, 2.0], name="w")
    with tf.Session() as sess:
        sess.run(w.initializer)
        path = tf.train.Saver().save(sess, str(tmp_path / "m"))
    tf.reset_default_graph()
    tf.Variable([1.0, 2.0, 3.0], name="w")
    with tf.Session() as sess:
        with pytest.raises(tf.errors.InvalidArgumentError,
                           match=r"Assign requires shapes of both tensors to match\. lhs shape= "
                                 r"\[3\] rhs shape= \[2\]"):
            tf.train.Saver().restore(sess, path)
    tf.reset_default_graph()
    tf.Variable([1, 2], name="w")
    with tf.Session() as sess:
        with pytest.raises(tf.errors.InvalidArgumentError,
                           match="tensor_name = w; expected dtype int32 does not equal original "
                                 "dtype float$"):
            tf.train.Saver().restore(sess, path)


def test_saver_errors_as_tensorflow_1(tmp_path):
    with pytest.raises(ValueError, match="No variables to save"):
        tf.train.Saver()
    a = tf.Variable(1.0, name="a")
    with pytest.raises(ValueError, match="At least two variables have the same name: a"):
        tf.train.Saver([a, a])
    with pytest.raises(TypeError, match="not a variable"):
        tf.train.Saver([a * 2.0])
    saver = tf.train.Saver()
    with tf.Session() as sess:
        with pytest.raises(tf.errors.FailedPreconditionError,
                           match="Attempting to use uninitialized value a"):
            saver.save(sess, str(tmp_path / "m"))
        with pytest.raises(ValueError, match="Can't load save_path when it is None."):
            saver.restore(sess, None)
        with pytest.raises(ValueError, match="The passed save_path is not a valid checkpoint: "):
            saver.restore(sess, str(tmp_path / "nothing"))
        sess.run(a.initializer)
        path = saver.save(sess, str(tmp_path / "new" / "folder" / "m"))   # folders are made
    assert os.path.isfile(path + ".npz")
