"""A multilayer perceptron written with raw variables, after aymericdamien's TensorFlow-Examples
(3_NeuralNetworks/multilayer_perceptron.py), with dropout on the hidden layers (keep_prob fed: 1.0
to train and test, so the numbers can be compared; 0.5 to see what dropout does). A two-moons-like
data set from a seeded NumPy generator stands in for MNIST; the weights start from seeded NumPy
normals instead of tf.random_normal."""
import numpy as np
import teachgrad as tf

rng = np.random.RandomState(4)
angle = rng.uniform(0, np.pi, size=200)
side = rng.randint(0, 2, size=200)
points = np.stack([np.cos(angle) + side, np.sin(angle) * (1 - 2 * side) + 0.5 * side], 1)
features = (points + rng.normal(scale=0.1, size=points.shape)).astype(np.float32)
targets = np.eye(2, dtype=np.float32)[side]

# Parameters
learning_rate = 0.01
num_steps = 300
batch_size = 50
display_step = 100

# Network Parameters
n_hidden_1 = 16  # 1st layer number of neurons
n_hidden_2 = 16  # 2nd layer number of neurons
num_input = 2
num_classes = 2

# tf Graph input
X = tf.placeholder("float", [None, num_input])
Y = tf.placeholder("float", [None, num_classes])
keep_prob = tf.placeholder(tf.float32)  # dropout (keep probability)


def normal(*shape):
    return rng.normal(scale=0.5, size=shape).astype(np.float32)


# Store layers weight & bias
weights = {
    'h1': tf.Variable(normal(num_input, n_hidden_1)),
    'h2': tf.Variable(normal(n_hidden_1, n_hidden_2)),
    'out': tf.Variable(normal(n_hidden_2, num_classes))
}
biases = {
    'b1': tf.Variable(normal(n_hidden_1)),
    'b2': tf.Variable(normal(n_hidden_2)),
    'out': tf.Variable(normal(num_classes))
}


# Create model
def neural_net(x):
    # Hidden fully connected layer with 16 neurons, then dropout
    layer_1 = tf.nn.relu(tf.add(tf.matmul(x, weights['h1']), biases['b1']))
    layer_1 = tf.nn.dropout(layer_1, keep_prob)
    # Hidden fully connected layer with 16 neurons, then dropout
    layer_2 = tf.nn.relu(tf.add(tf.matmul(layer_1, weights['h2']), biases['b2']))
    layer_2 = tf.nn.dropout(layer_2, keep_prob)
    # Output fully connected layer with a neuron for each class
    out_layer = tf.matmul(layer_2, weights['out']) + biases['out']
    return out_layer


# Construct model
logits = neural_net(X)
prediction = tf.nn.softmax(logits)

# Define loss and optimizer
loss_op = tf.reduce_mean(tf.nn.softmax_cross_entropy_with_logits(logits=logits, labels=Y))
optimizer = tf.train.AdamOptimizer(learning_rate=learning_rate)
train_op = optimizer.minimize(loss_op)

# Evaluate model
correct_pred = tf.equal(tf.argmax(prediction, 1), tf.argmax(Y, 1))
accuracy = tf.reduce_mean(tf.cast(correct_pred, tf.float32))

# What dropout does: about half the units zeroed, the others scaled by 1 / keep_prob
dropped = tf.nn.dropout(tf.ones([100, 100]), keep_prob)

init = tf.global_variables_initializer()
losses = []

with tf.Session() as sess:
    sess.run(init)
    for step in range(1, num_steps + 1):
        start = (step - 1) * batch_size % len(features)
        batch_x = features[start:start + batch_size]
        batch_y = targets[start:start + batch_size]
        sess.run(train_op, feed_dict={X: batch_x, Y: batch_y, keep_prob: 1.0})
        if step % display_step == 0 or step == 1:
            loss, acc = sess.run([loss_op, accuracy],
                                 feed_dict={X: features, Y: targets, keep_prob: 1.0})
            losses.append(loss)
            print("Step " + str(step) + ", Loss= " + "{:.4f}".format(loss) +
                  ", Training Accuracy= " + "{:.3f}".format(acc))
    half = sess.run(dropped, feed_dict={keep_prob: 0.5})
    RESULTS = {
        "losses": losses,
        "accuracy": sess.run(accuracy, feed_dict={X: features, Y: targets, keep_prob: 1.0}),
        "out_weights": sess.run(weights['out']),
        "dropout_values": sorted(set(np.round(half.ravel(), 6).tolist())),
        "dropout_kept_about_half": bool(0.45 < np.mean(half != 0) < 0.55),
    }
