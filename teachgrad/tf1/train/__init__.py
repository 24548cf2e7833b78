"""``tg.train``: TensorFlow 1's optimizers, the global step, decaying learning rates and ``Saver``.

>>> import numpy as np, teachgrad as tg
>>> with tg.Graph().as_default():
...     x = tg.placeholder(tg.float32, shape=(None,))
...     w = tg.Variable(0.0, name="w")
...     loss = tg.reduce_mean(tg.square(w * x - 2.0 * x))    # least squares: w → 2
...     step = tg.train.MomentumOptimizer(0.1, momentum=0.9).minimize(loss)
...     print([v.name for v in tg.global_variables()])
...     with tg.Session() as sess:
...         sess.run(tg.global_variables_initializer())
...         for _ in range(200):
...             _, value = sess.run([step, loss], feed_dict={x: np.linspace(-1, 1, 5)})
...         print(round(float(sess.run(w)), 4))
['w:0', 'w/Momentum:0']
2.0
"""

from .optimizer import Optimizer
from .optimizers import (AdagradOptimizer, AdamOptimizer, GradientDescentOptimizer, MomentumOptimizer, RMSPropOptimizer)
from .saver import (CheckpointState, Saver, checkpoint_exists, get_checkpoint_state,
                    latest_checkpoint, write_graph)
from .schedules import (create_global_step, exponential_decay, get_global_step, get_or_create_global_step, global_step, inverse_time_decay, natural_exp_decay, piecewise_constant)

__all__ = ["Optimizer", "GradientDescentOptimizer", "MomentumOptimizer", "AdamOptimizer",
           "AdagradOptimizer", "RMSPropOptimizer", "get_or_create_global_step",
           "get_global_step", "create_global_step", "global_step", "exponential_decay",
           "inverse_time_decay", "natural_exp_decay", "piecewise_constant", "Saver",
           "latest_checkpoint", "get_checkpoint_state", "checkpoint_exists", "CheckpointState",
           "write_graph"]
