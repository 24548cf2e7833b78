"""Graph and loss for TensorBoard, after aymericdamien's TensorFlow-Examples
(4_Utils/tensorboard_basic.py): name scopes Model, Loss, SGD and Accuracy, tf.summary.scalar for
the loss and the accuracy, merge_all, a FileWriter given the graph, a summary written at every
batch. Seeded NumPy data (three classes) stand in for MNIST."""
import os
import tempfile

import numpy as np
import teachgrad as tf

logs_path = os.path.join(globals().get("WORKDIR") or tempfile.mkdtemp(), "example")

rng = np.random.RandomState(10)
labels = rng.randint(0, 3, size=60)
features = (np.eye(3)[labels] @ rng.normal(size=(3, 6)) +
            rng.normal(scale=0.5, size=(60, 6))).astype(np.float32)
one_hot = np.eye(3, dtype=np.float32)[labels]

# Parameters
learning_rate = 0.1
training_epochs = 5
batch_size = 20

# tf Graph Input
x = tf.placeholder(tf.float32, [None, 6], name='InputData')
y = tf.placeholder(tf.float32, [None, 3], name='LabelData')

# Set model weights
W = tf.Variable(tf.zeros([6, 3]), name='Weights')
b = tf.Variable(tf.zeros([3]), name='Bias')

# Construct model and encapsulating all ops into scopes, making
# Tensorboard's Graph visualization more convenient
with tf.name_scope('Model'):
    # Model
    pred = tf.nn.softmax(tf.matmul(x, W) + b)  # Softmax
with tf.name_scope('Loss'):
    # Minimize error using cross entropy
    cost = tf.reduce_mean(-tf.reduce_sum(y * tf.log(pred), reduction_indices=1))
with tf.name_scope('SGD'):
    # Gradient Descent
    optimizer = tf.train.GradientDescentOptimizer(learning_rate).minimize(cost)
with tf.name_scope('Accuracy'):
    # Accuracy
    acc = tf.equal(tf.argmax(pred, 1), tf.argmax(y, 1))
    acc = tf.reduce_mean(tf.cast(acc, tf.float32))

init = tf.global_variables_initializer()

# Create a summary to monitor cost tensor
tf.summary.scalar("loss", cost)
# Create a summary to monitor accuracy tensor
tf.summary.scalar("accuracy", acc)
# Create a summary of the weights
tf.summary.histogram("weights", W)
# Merge all summaries into a single op
merged_summary_op = tf.summary.merge_all()

with tf.Session() as sess:
    sess.run(init)
    # op to write logs to Tensorboard
    summary_writer = tf.summary.FileWriter(logs_path, graph=tf.get_default_graph())
    costs = []
    for epoch in range(training_epochs):
        avg_cost = 0.
        total_batch = int(len(features) / batch_size)
        for i in range(total_batch):
            batch_xs = features[i * batch_size:(i + 1) * batch_size]
            batch_ys = one_hot[i * batch_size:(i + 1) * batch_size]
            # Run optimization op (backprop), cost op (to get loss value)
            # and summary nodes
            _, c, summary = sess.run([optimizer, cost, merged_summary_op],
                                     feed_dict={x: batch_xs, y: batch_ys})
            # Write logs at every iteration
            summary_writer.add_summary(summary, epoch * total_batch + i)
            costs.append(c)
    summary_writer.close()
    accuracy = acc.eval({x: features, y: one_hot})

RESULTS = {"costs": costs, "accuracy": accuracy, "logdir": logs_path,
           "summary_names": [t.name for t in tf.get_collection(tf.GraphKeys.SUMMARIES)],
           "merged": merged_summary_op.name}
