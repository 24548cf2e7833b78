"""Save and restore a model, after aymericdamien's TensorFlow-Examples
(4_Utils/save_restore_model.py): train a small network with Adam, save it with tf.train.Saver,
train on, then restore the saved model in a new Session and train it again the same way — and
restore it into the same program built anew (tf.reset_default_graph) through
tf.train.latest_checkpoint. Adam's slots and the global step round-trip with the weights."""
import os
import tempfile

import numpy as np
import teachgrad as tf

model_dir = globals().get("WORKDIR") or tempfile.mkdtemp()   # (the test gives a temporary folder)
model_path = os.path.join(model_dir, "model.ckpt")

rng = np.random.RandomState(9)
data_x = rng.uniform(-1, 1, size=(40, 2)).astype(np.float32)
data_y = (np.sin(2 * data_x[:, :1]) + data_x[:, 1:] ** 2).astype(np.float32)
w1_start = rng.normal(scale=0.5, size=(2, 8)).astype(np.float32)
w2_start = rng.normal(scale=0.5, size=(8, 1)).astype(np.float32)


def build():
    x = tf.placeholder(tf.float32, [None, 2], name="x")
    y = tf.placeholder(tf.float32, [None, 1], name="y")
    w1 = tf.Variable(w1_start, name="w1")
    b1 = tf.Variable(tf.zeros([8]), name="b1")
    w2 = tf.Variable(w2_start, name="w2")
    b2 = tf.Variable(tf.zeros([1]), name="b2")
    out = tf.matmul(tf.nn.tanh(tf.matmul(x, w1) + b1), w2) + b2
    loss = tf.reduce_mean(tf.square(out - y))
    global_step = tf.train.get_or_create_global_step()
    train_op = tf.train.AdamOptimizer(0.05).minimize(loss, global_step=global_step)
    return x, y, loss, train_op, global_step


x, y, loss, train_op, global_step = build()
init = tf.global_variables_initializer()
# 'Saver' op to save and restore all the variables
saver = tf.train.Saver(max_to_keep=2)
feed = {x: data_x, y: data_y}

with tf.Session() as sess:
    sess.run(init)
    for step in range(10):
        sess.run(train_op, feed_dict=feed)
    # Save model weights to disk
    save_path = saver.save(sess, model_path, global_step=global_step)
    print("Model saved in file: %s" % save_path)
    for step in range(10):
        sess.run(train_op, feed_dict=feed)
    uninterrupted = sess.run(loss, feed_dict=feed)

# Running a new session: restore the checkpoint, train the same 10 steps, save twice more
# (max_to_keep=2: the first checkpoint is deleted)
with tf.Session() as sess:
    saver.restore(sess, save_path)
    restored_step = sess.run(global_step)
    restored_loss = sess.run(loss, feed_dict=feed)
    for step in range(10):
        sess.run(train_op, feed_dict=feed)
    resumed = sess.run(loss, feed_dict=feed)
    saver.save(sess, model_path, global_step=global_step)
    saver.save(sess, model_path, global_step=global_step + 5)

# The same program built again, restored from the newest checkpoint in the folder
tf.reset_default_graph()
x, y, loss, train_op, global_step = build()
with tf.Session() as sess:
    latest = tf.train.latest_checkpoint(model_dir)
    tf.train.Saver().restore(sess, latest)
    rebuilt_step = sess.run(global_step)
    rebuilt_loss = sess.run(loss, feed_dict={x: data_x, y: data_y})

RESULTS = {
    "save_path": os.path.basename(save_path), "latest": os.path.basename(latest),
    "restored_step": restored_step, "restored_loss": restored_loss,
    "uninterrupted": uninterrupted, "resumed": resumed,
    "rebuilt_step": rebuilt_step, "rebuilt_loss": rebuilt_loss,
    "saved_variables": sorted(v.op.name for v in tf.global_variables()),
    "kept": sorted(os.path.basename(p)
                   for p in tf.train.get_checkpoint_state(model_dir).all_model_checkpoint_paths),
    "first_still_there": tf.train.checkpoint_exists(save_path),
}
