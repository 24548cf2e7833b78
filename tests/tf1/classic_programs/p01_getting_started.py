"""TensorFlow 1.x's "Low Level APIs" introduction: constants and a Session, placeholders and
feeds, a tf.layers.Dense model trained with tf.losses.mean_squared_error (the kernel starts at
0.5 instead of random, so the numbers can be compared)."""
import teachgrad as tf

a = tf.constant(3.0, dtype=tf.float32)
b = tf.constant(4.0)   # also tf.float32 implicitly
total = a + b

sess = tf.Session()
total_value = sess.run(total)
dict_value = sess.run({'ab': (a, b), 'total': total})

x = tf.placeholder(tf.float32)
y = tf.placeholder(tf.float32)
z = x + y
z1 = sess.run(z, feed_dict={x: 3, y: 4.5})
z2 = sess.run(z, feed_dict={x: [1, 3], y: [2, 4]})

x = tf.constant([[1], [2], [3], [4]], dtype=tf.float32)
y_true = tf.constant([[0], [-1], [-2], [-3]], dtype=tf.float32)

linear_model = tf.layers.Dense(units=1, kernel_initializer=tf.constant_initializer(0.5))
y_pred = linear_model(x)
loss = tf.losses.mean_squared_error(labels=y_true, predictions=y_pred)

optimizer = tf.train.GradientDescentOptimizer(0.01)
train = optimizer.minimize(loss)

init = tf.global_variables_initializer()
sess.run(init)
losses = []
for i in range(100):
    _, loss_value = sess.run((train, loss))
    losses.append(loss_value)

RESULTS = {
    "total": total_value, "ab": dict_value["ab"], "z1": z1, "z2": z2,
    "first_loss": losses[0], "loss_10": losses[10], "last_loss": losses[-1],
    "y_pred": sess.run(y_pred),
    "kernel": sess.run(linear_model.kernel), "bias": sess.run(linear_model.bias),
    "variables": [v.name for v in linear_model.trainable_variables],
    "names": [total.name, z.name, y_pred.name, loss.name],
}
sess.close()
