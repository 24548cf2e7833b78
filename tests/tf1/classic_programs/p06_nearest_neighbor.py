"""Nearest neighbour, after aymericdamien's TensorFlow-Examples (2_BasicModels/nearest_neighbor.py):
the L1 distance with reduce_sum(abs(...)), tf.arg_min, one test point per run. Small seeded NumPy
data (four clusters) stand in for MNIST."""
import numpy as np
import teachgrad as tf

rng = np.random.RandomState(6)
centers = rng.uniform(-3, 3, size=(4, 5))
train_labels = rng.randint(0, 4, size=60)
Xtr = (centers[train_labels] + rng.normal(scale=1.0, size=(60, 5))).astype(np.float32)
Ytr = np.eye(4, dtype=np.float32)[train_labels]
test_labels = rng.randint(0, 4, size=25)
Xte = (centers[test_labels] + rng.normal(scale=1.0, size=(25, 5))).astype(np.float32)
Yte = np.eye(4, dtype=np.float32)[test_labels]

# tf Graph Input
xtr = tf.placeholder("float", [None, 5])
xte = tf.placeholder("float", [5])

# Nearest Neighbor calculation using L1 Distance
# Calculate L1 Distance
distance = tf.reduce_sum(tf.abs(tf.add(xtr, tf.negative(xte))), reduction_indices=1)
# Prediction: Get min distance index (Nearest neighbor)
pred = tf.arg_min(distance, 0)

accuracy = 0.
predictions = []

# Initialize the variables (i.e. assign their default value)
init = tf.global_variables_initializer()

# Start training
with tf.Session() as sess:
    sess.run(init)
    # loop over test data
    for i in range(len(Xte)):
        # Get nearest neighbor
        nn_index = sess.run(pred, feed_dict={xtr: Xtr, xte: Xte[i, :]})
        predictions.append(int(nn_index))
        # Calculate accuracy
        if np.argmax(Ytr[nn_index]) == np.argmax(Yte[i]):
            accuracy += 1. / len(Xte)
    RESULTS = {"nearest": predictions, "accuracy": accuracy, "pred_dtype": pred.dtype.name,
               "first_distances": sess.run(distance, feed_dict={xtr: Xtr[:5], xte: Xte[0]})}
