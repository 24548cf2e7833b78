"""The update rules of TensorFlow 1's optimizers, each written as TensorFlow's kernel computes it
(``ApplyGradientDescent``, ``ApplyMomentum``, ``ApplyAdam``, ``ApplyAdagrad``, ``ApplyRMSProp``),
in the same order of operations, so that float32 results agree with TensorFlow's.

g is the gradient, lr the learning rate; each slot is a variable (see ``Optimizer``).
"""

import numpy as np

from ..math_ops import cast, sqrt, square
from ...core.program_graph import control_dependencies, executing_eagerly
from ..variables import assign, assign_add, assign_sub
from .optimizer import Optimizer

__all__ = ["GradientDescentOptimizer", "MomentumOptimizer", "AdamOptimizer", "AdagradOptimizer",
           "RMSPropOptimizer"]


class GradientDescentOptimizer(Optimizer):
    """var ← var − lr·g.

    >>> import teachgrad as tg
    >>> with tg.Graph().as_default():
    ...     w = tg.Variable(3.0)
    ...     step = tg.train.GradientDescentOptimizer(0.25).minimize(w * w)   # d(w²)/dw = 2w
    ...     with tg.Session() as sess:
    ...         sess.run(tg.global_variables_initializer())
    ...         _ = sess.run(step)
    ...         float(sess.run(w))
    1.5
    """

    def __init__(self, learning_rate, use_locking=False, name="GradientDescent"):
        super().__init__(use_locking, name)
        self._hyper = {"learning_rate": learning_rate}

    def _apply_dense(self, grad, var):
        return assign_sub(var, grad * self._get("learning_rate", var))


class MomentumOptimizer(Optimizer):
    """accum ← momentum·accum + g;  var ← var − lr·accum, or with ``use_nesterov``
    var ← var − (lr·g + lr·momentum·accum). The slot is ``var/Momentum``.

    >>> import teachgrad as tg
    >>> with tg.Graph().as_default():
    ...     w = tg.Variable([1.0, 2.0], name="w")
    ...     optimizer = tg.train.MomentumOptimizer(0.1, momentum=0.9)
    ...     step = optimizer.minimize(tg.reduce_sum(w * w))
    ...     optimizer.get_slot(w, "momentum").name, step.name
    ('w/Momentum:0', 'Momentum')
    """

    def __init__(self, learning_rate, momentum, use_locking=False, name="Momentum",
                 use_nesterov=False):
        super().__init__(use_locking, name)
        self._hyper = {"learning_rate": learning_rate, "momentum": momentum}
        self._use_nesterov = use_nesterov

    def _create_slots(self, var_list):
        for v in var_list:
            self._zeros_slot(v, "momentum")

    def _apply_dense(self, grad, var):
        lr, momentum = self._get("learning_rate", var), self._get("momentum", var)
        accum = assign(self.get_slot(var, "momentum"),
                       self.get_slot(var, "momentum") * momentum + grad)
        if self._use_nesterov:
            return assign_sub(var, grad * lr + accum * momentum * lr)
        return assign_sub(var, accum * lr)


class AdamOptimizer(Optimizer):
    """Adam (Kingma & Ba), as TensorFlow 1 computes it, with t the step number:

    lr_t ← lr·√(1 − β₂ᵗ)/(1 − β₁ᵗ);  m ← m + (g − m)·(1 − β₁);  v ← v + (g² − v)·(1 − β₂);
    var ← var − lr_t·m / (√v + ε)  (ε outside the root, as TensorFlow's ApplyAdam).

    The slots are ``var/Adam`` (m) and ``var/Adam_1`` (v); β₁ᵗ and β₂ᵗ are the variables
    ``beta1_power`` and ``beta2_power``, multiplied by β₁ and β₂ after each step.

    >>> import teachgrad as tg
    >>> with tg.Graph().as_default():
    ...     w = tg.Variable(1.0, name="w")
    ...     optimizer = tg.train.AdamOptimizer(0.1)
    ...     step = optimizer.minimize(w * w)
    ...     [v.name for v in optimizer.variables()]
    ['beta1_power:0', 'beta2_power:0', 'w/Adam:0', 'w/Adam_1:0']
    """

    def __init__(self, learning_rate=0.001, beta1=0.9, beta2=0.999, epsilon=1e-08,
                 use_locking=False, name="Adam"):
        super().__init__(use_locking, name)
        self._hyper = {"learning_rate": learning_rate, "beta1": beta1, "beta2": beta2,
                       "epsilon": epsilon}

    def _create_slots(self, var_list):
        self._non_slot("beta1_power", np.float32(self._value("beta1")))
        self._non_slot("beta2_power", np.float32(self._value("beta2")))
        for v in var_list:
            self._zeros_slot(v, "m")
            self._zeros_slot(v, "v")

    def _value(self, key):
        value = self._hyper[key]
        return value() if callable(value) else value

    def _apply_dense(self, grad, var):
        beta1_power = self._get_non_slot("beta1_power")
        beta2_power = self._get_non_slot("beta2_power")
        lr, eps = self._get("learning_rate", var), self._get("epsilon", var)
        beta1, beta2 = self._get("beta1", var), self._get("beta2", var)
        alpha = lr * sqrt(1 - _as(beta2_power, var)) / (1 - _as(beta1_power, var))
        m, v = self.get_slot(var, "m"), self.get_slot(var, "v")
        m_t = assign_add(m, (grad - m) * (1 - beta1))
        v_t = assign_add(v, (square(grad) - v) * (1 - beta2))
        return assign_sub(var, (m_t * alpha) / (sqrt(v_t) + eps))

    def _finish(self, update_ops):
        beta1_power = self._get_non_slot("beta1_power")
        beta2_power = self._get_non_slot("beta2_power")
        if executing_eagerly():
            assign(beta1_power, beta1_power * self._get("beta1", beta1_power))
            assign(beta2_power, beta2_power * self._get("beta2", beta2_power))
            return update_ops
        with control_dependencies(update_ops):   # after every variable has used β₁ᵗ, β₂ᵗ
            update_beta1 = assign(beta1_power, beta1_power * self._get("beta1", beta1_power))
            update_beta2 = assign(beta2_power, beta2_power * self._get("beta2", beta2_power))
        return list(update_ops) + [update_beta1, update_beta2]


def _as(power, var):
    """β₁ᵗ (a float32 variable, as TensorFlow makes it) in the dtype of ``var``."""
    return power if power.dtype == var.dtype else cast(power, var.dtype)


class AdagradOptimizer(Optimizer):
    """accum ← accum + g²;  var ← var − lr·g/√accum. The slot ``var/Adagrad`` starts at
    ``initial_accumulator_value``.

    >>> import teachgrad as tg
    >>> with tg.Graph().as_default():
    ...     w = tg.Variable(1.0, name="w")
    ...     step = tg.train.AdagradOptimizer(0.5).minimize(w * w)   # g = 2, accum = 0.1 + 4
    ...     with tg.Session() as sess:
    ...         sess.run(tg.global_variables_initializer())
    ...         _ = sess.run(step)
    ...         round(float(sess.run(w)), 6)                        # 1 − 0.5·2/√4.1
    0.506135
    """

    def __init__(self, learning_rate, initial_accumulator_value=0.1, use_locking=False,
                 name="Adagrad"):
        if initial_accumulator_value <= 0.0:
            raise ValueError(f"initial_accumulator_value must be positive: "
                             f"{initial_accumulator_value}")
        super().__init__(use_locking, name)
        self._hyper = {"learning_rate": learning_rate}
        self._initial = initial_accumulator_value

    def _create_slots(self, var_list):
        for v in var_list:
            self._slot(v, "accumulator", self._initial)

    def _apply_dense(self, grad, var):
        accum = assign_add(self.get_slot(var, "accumulator"), square(grad))
        return assign_sub(var, grad * self._get("learning_rate", var) / sqrt(accum))


class RMSPropOptimizer(Optimizer):
    """ms ← ms + (g² − ms)·(1 − decay);  mom ← momentum·mom + lr·g/√(ms + ε);  var ← var − mom.

    With ``centered``, also mg ← mg + (g − mg)·(1 − decay) and the root is of ms − mg² + ε. The
    slots are ``var/RMSProp`` (ms, starting at ones), then ``var/RMSProp_1`` (mg, if centered)
    and the momentum.

    >>> import teachgrad as tg
    >>> with tg.Graph().as_default():
    ...     w = tg.Variable(1.0, name="w")
    ...     optimizer = tg.train.RMSPropOptimizer(0.01, momentum=0.9)
    ...     step = optimizer.minimize(w * w)
    ...     [v.name for v in optimizer.variables()]
    ['w/RMSProp:0', 'w/RMSProp_1:0']
    """

    def __init__(self, learning_rate, decay=0.9, momentum=0.0, epsilon=1e-10, use_locking=False,
                 centered=False, name="RMSProp"):
        super().__init__(use_locking, name)
        self._hyper = {"learning_rate": learning_rate, "decay": decay, "momentum": momentum,
                       "epsilon": epsilon}
        self._centered = centered

    def _create_slots(self, var_list):
        for v in var_list:
            self._slot(v, "rms", 1.0)
            if self._centered:
                self._zeros_slot(v, "mg")
            self._zeros_slot(v, "momentum")

    def _apply_dense(self, grad, var):
        lr, decay = self._get("learning_rate", var), self._get("decay", var)
        momentum, eps = self._get("momentum", var), self._get("epsilon", var)
        ms = assign_add(self.get_slot(var, "rms"),
                        (square(grad) - self.get_slot(var, "rms")) * (1 - decay))
        denominator = ms + eps
        if self._centered:
            mg = assign_add(self.get_slot(var, "mg"),
                            (grad - self.get_slot(var, "mg")) * (1 - decay))
            denominator = (ms - square(mg)) + eps
        mom_slot = self.get_slot(var, "momentum")
        mom = assign(mom_slot, mom_slot * momentum + (grad * lr) / sqrt(denominator))
        return assign_sub(var, mom)
