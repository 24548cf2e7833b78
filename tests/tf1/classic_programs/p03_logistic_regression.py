"""Logistic (softmax) regression with placeholders and mini-batches, after aymericdamien's
TensorFlow-Examples (2_BasicModels/logistic_regression.py), on a small three-class data set made
with a seeded NumPy generator instead of MNIST."""
import numpy as np
import teachgrad as tf

rng = np.random.RandomState(3)
centers = np.array([[2.0, 0.0, 0.0, 1.0], [0.0, 2.0, 0.0, -1.0], [0.0, 0.0, 2.0, 0.0]])
labels = rng.randint(0, 3, size=120)
features = (centers[labels] + rng.normal(scale=0.8, size=(120, 4))).astype(np.float32)
one_hot = np.eye(3, dtype=np.float32)[labels]
train_x, train_y, test_x, test_y = features[:90], one_hot[:90], features[90:], one_hot[90:]

# Parameters
learning_rate = 0.5
training_epochs = 15
batch_size = 10

# tf Graph Input
x = tf.placeholder(tf.float32, [None, 4])
y = tf.placeholder(tf.float32, [None, 3])

# Set model weights
W = tf.Variable(tf.zeros([4, 3]))
b = tf.Variable(tf.zeros([3]))

# Construct model
pred = tf.nn.softmax(tf.matmul(x, W) + b)  # Softmax

# Minimize error using cross entropy
cost = tf.reduce_mean(-tf.reduce_sum(y * tf.log(pred), reduction_indices=1))
optimizer = tf.train.GradientDescentOptimizer(learning_rate).minimize(cost)

init = tf.global_variables_initializer()
epoch_costs = []

with tf.Session() as sess:
    sess.run(init)
    for epoch in range(training_epochs):
        avg_cost = 0.
        total_batch = int(len(train_x) / batch_size)
        for i in range(total_batch):
            batch_xs = train_x[i * batch_size:(i + 1) * batch_size]
            batch_ys = train_y[i * batch_size:(i + 1) * batch_size]
            _, c = sess.run([optimizer, cost], feed_dict={x: batch_xs, y: batch_ys})
            avg_cost += c / total_batch
        epoch_costs.append(avg_cost)

    # Test model
    correct_prediction = tf.equal(tf.argmax(pred, 1), tf.argmax(y, 1))
    accuracy = tf.reduce_mean(tf.cast(correct_prediction, tf.float32))
    RESULTS = {"epoch_costs": epoch_costs,
               "accuracy": accuracy.eval({x: test_x, y: test_y}),
               "W": sess.run(W), "b": sess.run(b)}
