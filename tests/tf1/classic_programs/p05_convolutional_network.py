"""A small convolutional network written with raw variables, after aymericdamien's
TensorFlow-Examples (3_NeuralNetworks/convolutional_network_raw.py): conv2d + bias + relu, 2x2 max
pooling, a fully connected layer with dropout, the output layer. Its images are 8x8 bars (vertical
or horizontal) from a seeded NumPy generator; the weights start from seeded NumPy normals, and
dropout's keep_prob is fed 1.0 so the numbers can be compared (0.75 once, to see it act)."""
import numpy as np
import teachgrad as tf

rng = np.random.RandomState(5)
n = 64
classes = rng.randint(0, 2, size=n)
images = rng.normal(scale=0.3, size=(n, 8, 8)).astype(np.float32)
where = rng.randint(1, 7, size=n)
for i in range(n):
    if classes[i]:
        images[i, :, where[i]] += 1.0        # a vertical bar
    else:
        images[i, where[i], :] += 1.0        # a horizontal bar
images = images.reshape(n, 64)
labels = np.eye(2, dtype=np.float32)[classes]

# Training Parameters
learning_rate = 0.01
num_steps = 40
batch_size = 16

# Network Parameters
num_input = 64  # 8x8 images
num_classes = 2
dropout = 0.75  # Dropout, probability to keep units

# tf Graph input
X = tf.placeholder(tf.float32, [None, num_input])
Y = tf.placeholder(tf.float32, [None, num_classes])
keep_prob = tf.placeholder(tf.float32)  # dropout (keep probability)


# Create some wrappers for simplicity
def conv2d(x, W, b, strides=1):
    # Conv2D wrapper, with bias and relu activation
    x = tf.nn.conv2d(x, W, strides=[1, strides, strides, 1], padding='SAME')
    x = tf.nn.bias_add(x, b)
    return tf.nn.relu(x)


def maxpool2d(x, k=2):
    # MaxPool2D wrapper
    return tf.nn.max_pool(x, ksize=[1, k, k, 1], strides=[1, k, k, 1], padding='SAME')


# Create model
def conv_net(x, weights, biases, dropout):
    x = tf.reshape(x, shape=[-1, 8, 8, 1])
    # Convolution Layer
    conv1 = conv2d(x, weights['wc1'], biases['bc1'])
    # Max Pooling (down-sampling)
    conv1 = maxpool2d(conv1, k=2)
    # Fully connected layer
    fc1 = tf.reshape(conv1, [-1, weights['wd1'].get_shape().as_list()[0]])
    fc1 = tf.add(tf.matmul(fc1, weights['wd1']), biases['bd1'])
    fc1 = tf.nn.relu(fc1)
    # Apply Dropout
    fc1 = tf.nn.dropout(fc1, dropout)
    # Output, class prediction
    out = tf.add(tf.matmul(fc1, weights['out']), biases['out'])
    return out


def normal(*shape):
    return rng.normal(scale=0.3, size=shape).astype(np.float32)


# Store layers weight & bias
weights = {
    # 3x3 conv, 1 input, 4 outputs
    'wc1': tf.Variable(normal(3, 3, 1, 4)),
    # fully connected, 4*4*4 inputs, 16 outputs
    'wd1': tf.Variable(normal(4 * 4 * 4, 16)),
    # 16 inputs, 2 outputs (class prediction)
    'out': tf.Variable(normal(16, num_classes))
}
biases = {
    'bc1': tf.Variable(normal(4)),
    'bd1': tf.Variable(normal(16)),
    'out': tf.Variable(normal(num_classes))
}

# Construct model
logits = conv_net(X, weights, biases, keep_prob)
prediction = tf.nn.softmax(logits)

# Define loss and optimizer
loss_op = tf.reduce_mean(tf.nn.softmax_cross_entropy_with_logits(logits=logits, labels=Y))
optimizer = tf.train.AdamOptimizer(learning_rate=learning_rate)
train_op = optimizer.minimize(loss_op)

# Evaluate model
correct_pred = tf.equal(tf.argmax(prediction, 1), tf.argmax(Y, 1))
accuracy = tf.reduce_mean(tf.cast(correct_pred, tf.float32))

init = tf.global_variables_initializer()
losses = []

with tf.Session() as sess:
    sess.run(init)
    for step in range(1, num_steps + 1):
        start = (step - 1) * batch_size % n
        batch_x, batch_y = images[start:start + batch_size], labels[start:start + batch_size]
        sess.run(train_op, feed_dict={X: batch_x, Y: batch_y, keep_prob: 1.0})
        if step % 10 == 0 or step == 1:
            loss, acc = sess.run([loss_op, accuracy],
                                 feed_dict={X: images, Y: labels, keep_prob: 1.0})
            losses.append(loss)
    with_dropout = sess.run(loss_op, feed_dict={X: images, Y: labels, keep_prob: dropout})
    without = sess.run(loss_op, feed_dict={X: images, Y: labels, keep_prob: 1.0})
    RESULTS = {
        "losses": losses,
        "accuracy": sess.run(accuracy, feed_dict={X: images, Y: labels, keep_prob: 1.0}),
        "conv_kernel": sess.run(weights['wc1']),
        "logits_shape": logits.shape.as_list(),
        "dropout_changes_the_loss": bool(with_dropout != without),
    }
