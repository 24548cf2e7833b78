"""A tf.data input loop, after Stanford's CS20SI (lecture 9, "Input pipeline") and TensorFlow
1.x's "Importing Data" guide: from_tensor_slices of placeholders, map, batch, an initializable
iterator started once per epoch and read until tf.errors.OutOfRangeError, then a reinitializable
iterator (Iterator.from_structure) switched between training and test data."""
import numpy as np
import teachgrad as tf

rng = np.random.RandomState(8)
train_x = rng.uniform(-1, 1, size=(30, 3)).astype(np.float32)
true_w = np.array([[1.5], [-2.0], [0.5]], np.float32)
train_y = (train_x @ true_w + 0.3).astype(np.float32)
test_x = rng.uniform(-1, 1, size=(7, 3)).astype(np.float32)
test_y = (test_x @ true_w + 0.3).astype(np.float32)

features_placeholder = tf.placeholder(train_x.dtype, [None, 3])
labels_placeholder = tf.placeholder(train_y.dtype, [None, 1])

dataset = tf.data.Dataset.from_tensor_slices((features_placeholder, labels_placeholder))
dataset = dataset.map(lambda x, y: (x * 2.0, y))      # scale the features
dataset = dataset.batch(8)
iterator = dataset.make_initializable_iterator()
X, Y = iterator.get_next()

w = tf.Variable(tf.zeros([3, 1]), name="w")
b = tf.Variable(0.0, name="b")
prediction = tf.matmul(X, w) + b
loss = tf.reduce_mean(tf.square(prediction - Y))
train_op = tf.train.GradientDescentOptimizer(0.1).minimize(loss)

epoch_losses = []
steps = 0
with tf.Session() as sess:
    sess.run(tf.global_variables_initializer())
    for epoch in range(20):
        sess.run(iterator.initializer, feed_dict={features_placeholder: train_x,
                                                  labels_placeholder: train_y})
        total = 0.0
        try:
            while True:
                _, l = sess.run([train_op, loss])
                total += l
                steps += 1
        except tf.errors.OutOfRangeError:
            pass
        epoch_losses.append(total)
    learned_w, learned_b = sess.run([w, b])

# Reinitializable iterator: one structure, two datasets.
train_data = tf.data.Dataset.from_tensor_slices((train_x, train_y)).batch(10)
test_data = tf.data.Dataset.from_tensor_slices((test_x, test_y)).batch(10)
switch = tf.data.Iterator.from_structure(train_data.output_types, train_data.output_shapes)
sx, sy = switch.get_next()
train_init = switch.make_initializer(train_data)
test_init = switch.make_initializer(test_data)
batch_sizes = []
with tf.Session() as sess:
    for init in (train_init, test_init):
        sess.run(init)
        try:
            while True:
                batch_sizes.append(sess.run(tf.shape(sx)[0]))
        except tf.errors.OutOfRangeError:
            pass

RESULTS = {"epoch_losses": epoch_losses, "steps": steps, "w": learned_w, "b": learned_b,
           "batch_sizes": batch_sizes, "types": [str(t) for t in dataset.output_types],
           "shapes": [s.as_list() for s in dataset.output_shapes], "X_name": X.name}
