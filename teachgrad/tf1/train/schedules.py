"""The global step (the count of training steps taken, a variable of the graph) and learning
rates that decay with it, as TensorFlow 1 defines them.

>>> import teachgrad as tg
>>> with tg.Graph().as_default():
...     step = tg.train.get_or_create_global_step()
...     lr = tg.train.exponential_decay(0.1, step, decay_steps=10, decay_rate=0.5)
...     with tg.Session() as sess:
...         sess.run(tg.global_variables_initializer())
...         _ = sess.run(step.assign(20))
...         print(step.name, step.dtype.name, round(float(sess.run(lr)), 6))
global_step:0 int64 0.025

In eager mode a decay returns a function that computes the rate from the step's value now, as
TensorFlow 1 does, and the optimizers call it at each step.
"""

import numpy as np

from ..array_ops import floor
from ..math_ops import cast, exp, less_equal, pow, where
from ...core.program_graph import GraphKeys, executing_eagerly, get_default_graph, name_scope
from ...core.tensor import as_tensor, named, np_dtype
from ..variables import Variable

__all__ = ["get_or_create_global_step", "get_global_step", "create_global_step", "global_step",
           "exponential_decay", "inverse_time_decay", "natural_exp_decay", "piecewise_constant"]


def get_global_step(graph=None):
    """The global step variable of ``graph`` (the default graph), or None if there is none.

    >>> import teachgrad as tg
    >>> with tg.Graph().as_default():
    ...     before = tg.train.get_global_step()
    ...     step = tg.train.create_global_step()
    ...     before, tg.train.get_global_step() is step
    (None, True)
    """
    found = (graph or get_default_graph()).get_collection(GraphKeys.GLOBAL_STEP)
    if len(found) > 1:
        raise TypeError(f"Multiple tensors in the global_step collection: {found}")
    return found[0] if found else None


def create_global_step(graph=None):
    """Make the global step: the int64 scalar variable ``global_step``, 0 at first, not
    trainable, in the ``global_step`` collection. A second one is a ``ValueError``."""
    graph = graph or get_default_graph()
    if get_global_step(graph) is not None:
        raise ValueError('"global_step" already exists.')
    with graph.as_default(), name_scope(None):
        step = Variable(np.int64(0), name="global_step", trainable=False,
                        collections=[GraphKeys.GLOBAL_VARIABLES, GraphKeys.GLOBAL_STEP])
    if executing_eagerly():   # (an eager variable belongs to no collection by itself)
        graph.add_to_collection(GraphKeys.GLOBAL_STEP, step)
    return step


def get_or_create_global_step(graph=None):
    """The global step of ``graph``, made first if there is none yet."""
    step = get_global_step(graph)
    return create_global_step(graph) if step is None else step


def global_step(sess, global_step_tensor):
    """The global step's value in session ``sess``, as an int.

    >>> import teachgrad as tg
    >>> with tg.Graph().as_default():
    ...     step = tg.train.get_or_create_global_step()
    ...     with tg.Session() as sess:
    ...         sess.run(tg.global_variables_initializer())
    ...         _ = sess.run(step.assign_add(3))
    ...         tg.train.global_step(sess, step)
    3
    """
    if executing_eagerly():
        return int(global_step_tensor.numpy())
    return int(sess.run(global_step_tensor))


def _decay(name, default, learning_rate, step, factor, divide=False):
    """lr·factor(p) (or lr/factor(p) with ``divide``), p the step as lr's dtype: the factor's
    ops under the name scope ``name`` and the result called ``name`` (TensorFlow's naming); in
    eager mode, a function of the step's value when it is called."""
    if step is None:
        raise ValueError(f"global_step is required for {default.lower()}.")

    def decayed():
        base = name or default
        lr = as_tensor(learning_rate)
        with name_scope(get_default_graph().scope + base + "/"):
            f = factor(cast(step, np_dtype(lr)), np_dtype(lr))
        return named(lr / f if divide else lr * f, base)
    return decayed if executing_eagerly() else decayed()


def _progress(t, decay_steps, staircase):
    p = t / cast(decay_steps, np_dtype(t))
    return floor(p) if staircase else p


def exponential_decay(learning_rate, global_step, decay_steps, decay_rate, staircase=False,
                      name=None):
    """lr · decay_rate^(step / decay_steps); with ``staircase`` the exponent is floored, so the
    rate drops every ``decay_steps`` steps.

    >>> import numpy as np, teachgrad as tg
    >>> step = tg.constant(np.int64(15))
    >>> [round(float(tg.train.exponential_decay(1.0, step, 10, 0.5, staircase=s)), 4)
    ...  for s in (False, True)]
    [0.3536, 0.5]
    """
    return _decay(name, "ExponentialDecay", learning_rate, global_step, lambda t, dtype: pow(
        cast(decay_rate, dtype), _progress(t, decay_steps, staircase)))


def inverse_time_decay(learning_rate, global_step, decay_steps, decay_rate, staircase=False,
                       name=None):
    """lr / (1 + decay_rate · step / decay_steps).

    >>> import numpy as np, teachgrad as tg
    >>> float(tg.train.inverse_time_decay(1.0, tg.constant(np.int64(10)), 10, 1.0))
    0.5
    """
    return _decay(name, "InverseTimeDecay", learning_rate, global_step, lambda t, dtype: 1 + cast(
        decay_rate, dtype) * _progress(t, decay_steps, staircase), divide=True)


def natural_exp_decay(learning_rate, global_step, decay_steps, decay_rate, staircase=False,
                      name=None):
    """lr · exp(−decay_rate · step / decay_steps).

    >>> import numpy as np, teachgrad as tg
    >>> round(float(tg.train.natural_exp_decay(1.0, tg.constant(np.int64(10)), 10, 1.0)), 6)
    0.367879
    """
    return _decay(name, "NaturalExpDecay", learning_rate, global_step, lambda t, dtype: exp(
        -cast(decay_rate, dtype) * _progress(t, decay_steps, staircase)))


def piecewise_constant(x, boundaries, values, name=None):
    """values[0] while x ≤ boundaries[0], values[1] while x ≤ boundaries[1], …, values[-1]
    after the last boundary.

    >>> import teachgrad as tg
    >>> [float(tg.train.piecewise_constant(tg.constant(s), [10, 20], [1.0, 0.5, 0.1]))
    ...  for s in (5, 15, 25)]
    [1.0, 0.5, 0.1]
    """
    if len(values) != len(boundaries) + 1:
        raise ValueError(f"piecewise_constant: {len(values)} values for {len(boundaries)} "
                         "boundaries: expected one more value than boundaries")

    def rate():
        step = x() if callable(x) else x
        result = as_tensor(values[-1])
        for boundary, value in zip(reversed(boundaries), reversed(values[:-1])):
            result = where(less_equal(step, boundary), value, result)
        return named(result, name or "PiecewiseConstant")
    return rate if executing_eagerly() and callable(x) else rate()
