"""TensorFlow 1's API under the name ``tensorflow.compat.v1`` gives: teachgrad's own names.

A program written ``import tensorflow.compat.v1 as tf`` then ``tf.disable_v2_behavior()`` runs with
``import teachgrad.compat.v1 as tf``: every name here is teachgrad's (the same objects), and
``disable_v2_behavior()`` is accepted (teachgrad is in graph mode already, as TensorFlow 1).

>>> import teachgrad.compat.v1 as tf
>>> tf.disable_v2_behavior()
>>> with tf.Graph().as_default():
...     x = tf.placeholder(tf.float32, shape=(None,), name="x")
...     with tf.Session() as sess:
...         sess.run(x * 2.0, {x: [1.0, 2.0]})
array([2., 4.], dtype=float32)
"""

import teachgrad as _teachgrad

__all__ = list(_teachgrad.__all__)

# The names teachgrad has loaded; the rest (trace, widgets, plot, …) load on first use, as there.
globals().update({name: value for name, value in vars(_teachgrad).items()
                  if name in __all__ or name in ("__version__", "bool_", "newaxis")})


def __getattr__(name):
    return getattr(_teachgrad, name)


def __dir__():
    return sorted(set(globals()) | set(dir(_teachgrad)))
