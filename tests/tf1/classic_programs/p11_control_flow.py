"""tf.cond and tf.while_loop, after Stanford's CS20SI (lecture 3: the Huber loss with tf.cond) and
TensorFlow 1.x's API guide (tf.while_loop): the Huber loss of a linear model trained with its
gradient through the branch taken, and a while_loop that doubles a value until it passes a bound,
with the gradient through every iteration."""
import numpy as np
import teachgrad as tf

rng = np.random.RandomState(11)
data = rng.uniform(0, 10, size=(20, 2)).astype(np.float32)
data[:, 1] = 3.0 * data[:, 0] + 2.0 + rng.normal(scale=1.0, size=20)
data[3, 1] += 40.0     # an outlier: the Huber loss takes it linearly


def huber_loss(labels, predictions, delta=14.0):
    residual = tf.abs(labels - predictions)

    def f1(): return 0.5 * tf.square(residual)

    def f2(): return delta * residual - 0.5 * tf.square(delta)
    return tf.cond(residual < delta, f1, f2)


X = tf.placeholder(tf.float32, name='X')
Y = tf.placeholder(tf.float32, name='Y')
w = tf.Variable(0.0, name='weights')
b = tf.Variable(0.0, name='bias')
Y_predicted = w * X + b
loss = huber_loss(Y, Y_predicted)
optimizer = tf.train.GradientDescentOptimizer(learning_rate=0.001).minimize(loss)

# tf.while_loop: double x until it passes 100; d(result)/dx through every iteration
x = tf.placeholder(tf.float32, name='x')
i0 = tf.constant(0)
_, doubled = tf.while_loop(lambda i, v: v < 100.0, lambda i, v: (i + 1, v * 2.0), [i0, x])
grad = tf.gradients(doubled, x)[0]

with tf.Session() as sess:
    sess.run(tf.global_variables_initializer())
    for epoch in range(30):
        total = 0.0
        for px, py in data:
            _, l = sess.run([optimizer, loss], feed_dict={X: px, Y: py})
            total += l
    w_out, b_out = sess.run([w, b])
    loop_value, loop_grad = sess.run([doubled, grad], feed_dict={x: 3.0})

RESULTS = {"last_epoch_loss": total, "w": w_out, "b": b_out,
           "loop_value": loop_value, "loop_grad": loop_grad}
