"""Sharing variables, after TensorFlow 1.x's programmer's guide ("Variables: Sharing variables"):
conv_relu makes its variables with tf.get_variable, my_image_filter calls it in two variable
scopes, and the filter is applied to two batches of images with the same variables through
scope.reuse_variables() and variable_scope(..., reuse=True). Initializers are constants, so the
numbers can be compared."""
import numpy as np
import teachgrad as tf


def conv_relu(input, kernel_shape, bias_shape):
    # Create variable named "weights" (the guide starts it random_normal; 0.1 here).
    weights = tf.get_variable("weights", kernel_shape,
                              initializer=tf.constant_initializer(0.1))
    # Create variable named "biases".
    biases = tf.get_variable("biases", bias_shape,
                             initializer=tf.constant_initializer(0.0))
    conv = tf.nn.conv2d(input, weights, strides=[1, 1, 1, 1], padding='SAME')
    return tf.nn.relu(conv + biases)


def my_image_filter(input_images):
    with tf.variable_scope("conv1"):
        # Variables created here will be named "conv1/weights", "conv1/biases".
        relu1 = conv_relu(input_images, [3, 3, 1, 2], [2])
    with tf.variable_scope("conv2"):
        # Variables created here will be named "conv2/weights", "conv2/biases".
        return conv_relu(relu1, [3, 3, 2, 2], [2])


rng = np.random.RandomState(7)
image1 = tf.constant(rng.uniform(size=(1, 5, 5, 1)).astype(np.float32))
image2 = tf.constant(rng.uniform(size=(1, 5, 5, 1)).astype(np.float32))

with tf.variable_scope("model") as scope:
    output1 = my_image_filter(image1)
    scope.reuse_variables()
    output2 = my_image_filter(image2)

# Calling it again in the same scope without reuse is an error, as in TensorFlow 1.
try:
    with tf.variable_scope("model"):
        my_image_filter(image1)
    error = None
except ValueError as e:
    error = str(e).split(".")[0]

with tf.variable_scope("model", reuse=True):
    output3 = my_image_filter(image2)

with tf.variable_scope("model/conv1", reuse=True):
    shared_weights = tf.get_variable("weights")

with tf.Session() as sess:
    sess.run(tf.global_variables_initializer())
    out1, out2, out3 = sess.run([output1, output2, output3])
    sess.run(shared_weights.assign(shared_weights * 2.0))
    doubled = sess.run(output1)

RESULTS = {
    "variables": [v.name for v in tf.global_variables()],
    "output_names": [output1.name, output2.name, output3.name],
    "out1_sum": float(out1.sum()), "out2_sum": float(out2.sum()),
    "out2_equals_out3": bool((out2 == out3).all()),
    "doubled_sum": float(doubled.sum()),
    "error": error,
}
