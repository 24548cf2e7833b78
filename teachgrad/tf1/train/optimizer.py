"""``Optimizer``: what every TensorFlow-1 optimizer does around its update rule.

``minimize(loss)`` is ``compute_gradients`` (``tg.gradients`` of the loss with respect to the
trainable variables) then ``apply_gradients`` (one update per variable, grouped into one
operation). In graph mode the updates are ops of the graph, made of ``assign``/``assign_add``/
``assign_sub`` on the variables and ordinary ops: nothing changes until the returned operation is
run, and every run applies one step. The optimizer's own state — momentum accumulators, Adam's
moments and its ``beta1_power``/``beta2_power`` — are *slot variables*: variables of the graph,
named after the variable they serve (``w/Momentum``), set by ``tg.global_variables_initializer()``
and living in the Session like any other. In eager mode ``minimize`` takes the loss as a function
and updates the variables at once.
"""

import numpy as np

from ...autodiff.transforms import gradients
from ...autodiff.engine import toposort
from ..math_ops import cast
from ...core.program_graph import (control_dependencies, executing_eagerly, get_default_graph, name_scope)
from ...core.tensor import Tensor, as_tensor, np_dtype
from ..variables import Variable, assign_add, group, trainable_variables

__all__ = ["Optimizer"]


class Optimizer:
    """The base of the optimizers in ``tg.train``; a subclass gives the update rule.

    A subclass sets ``_hyper`` (the hyper-parameters, by name), and may define
    ``_create_slots(var_list)``, ``_prepare()``, ``_apply_dense(grad, var)`` (the update of one
    variable: an op in graph mode) and ``_finish(update_ops)``.

    ``compute_gradients`` and ``apply_gradients`` let a program change the gradients between
    the two halves (clip them, say):

    >>> import teachgrad as tg
    >>> with tg.Graph().as_default():
    ...     w, unused = tg.Variable(3.0, name="w"), tg.Variable(0.0, name="unused")
    ...     optimizer = tg.train.GradientDescentOptimizer(0.1)
    ...     pairs = optimizer.compute_gradients(w * w)
    ...     print([(g is None, v.name) for g, v in pairs])
    ...     step = optimizer.apply_gradients([(tg.clip_by_value(g, -1.0, 1.0), v)
    ...                                       for g, v in pairs if g is not None])
    ...     with tg.Session() as sess:
    ...         sess.run(tg.global_variables_initializer())
    ...         _ = sess.run(step)
    ...         round(float(sess.run(w)), 6)      # 3 − 0.1·clip(6)
    [(False, 'w:0'), (True, 'unused:0')]
    2.9
    """

    GATE_NONE, GATE_OP, GATE_GRAPH = 0, 1, 2

    def __init__(self, use_locking, name):
        if not name:
            raise ValueError("Must specify the optimizer name")
        self._name = name
        self._use_locking = use_locking
        self._slots = {}        # slot name -> {variable: its slot variable}
        self._non_slots = {}    # (name, graph) -> a variable of the optimizer (beta1_power)
        self._hyper = {}

    def get_name(self):
        return self._name

    # --- the two halves of minimize -------------------------------------------------------------
    def minimize(self, loss, global_step=None, var_list=None, gate_gradients=GATE_OP,
                 aggregation_method=None, colocate_gradients_with_ops=False, name=None,
                 grad_loss=None):
        """One training step: the operation that moves each variable of ``var_list`` (by default
        the trainable variables) against the gradient of ``loss``, and adds 1 to
        ``global_step`` if one is given. In eager mode ``loss`` is a function and the step is
        taken at once."""
        grads_and_vars = self.compute_gradients(loss, var_list=var_list, grad_loss=grad_loss)
        if not any(g is not None for g, _ in grads_and_vars):
            raise ValueError(
                "No gradients provided for any variable, check your graph for ops that do not "
                f"support gradients, between variables {[v.name for _, v in grads_and_vars]} "
                f"and loss {loss}.")
        return self.apply_gradients(grads_and_vars, global_step=global_step, name=name)

    def compute_gradients(self, loss, var_list=None, gate_gradients=GATE_OP,
                          aggregation_method=None, colocate_gradients_with_ops=False,
                          grad_loss=None):
        """``[(gradient, variable), …]`` for each variable of ``var_list`` (by default the
        trainable variables); the gradient is None for a variable the loss does not depend on.
        """
        if executing_eagerly():
            if not callable(loss) or isinstance(loss, Tensor):
                raise RuntimeError("`loss` passed to Optimizer.compute_gradients should be a "
                                   "function when eager execution is enabled.")
        if callable(loss) and not isinstance(loss, Tensor):
            loss = loss()
        loss = as_tensor(loss)
        if np_dtype(loss).kind != "f":
            raise TypeError(f"compute_gradients: the loss {loss.name!r} has dtype "
                            f"{loss.dtype.name}: expected a floating-point loss")
        var_list = self._variables_of(loss, var_list)
        for v in var_list:
            if not isinstance(v, Variable):
                raise TypeError(f"compute_gradients: {v!r} is not a variable: an optimizer can "
                                "only train tg.Variable / tg.get_variable variables")
        # An integer variable (a step counter made trainable by default: tf.Variable(0)) gets
        # no gradient, as in TensorFlow 1, which never differentiates through integers.
        floating = [np_dtype(v).kind in "fc" for v in var_list]
        grads = iter(gradients(loss, [v for v, f in zip(var_list, floating) if f],
                               grad_ys=grad_loss) if any(floating) else ())
        return [(next(grads) if f else None, v) for v, f in zip(var_list, floating)]

    def apply_gradients(self, grads_and_vars, global_step=None, name=None):
        """The operation that applies the gradients of ``grads_and_vars`` (pairs with a None
        gradient are skipped) and then adds 1 to ``global_step`` if one is given."""
        pairs = self._checked_pairs(grads_and_vars)
        self._create_slots([v for _, v in pairs])
        # The ops go under a scope of their own (Momentum/, then Momentum_1/, … as TensorFlow
        # names them) and the returned op is named after that scope ("Momentum_1/" names the op
        # Momentum_1).
        with name_scope(name or self._name) as scope:
            self._prepare()
            updates = []
            for g, v in pairs:
                with name_scope("update_" + v.op_name):   # update_layer/w/…, as TensorFlow
                    updates.append(self._apply_dense(g, v))
            updates = self._finish(updates)
            if global_step is not None and not executing_eagerly():
                updated = group(*updates, name="update")
        if executing_eagerly():
            if global_step is not None:
                assign_add(global_step, 1)
            return None
        if global_step is None:
            return group(*updates, name=scope)
        with control_dependencies([updated]):
            return assign_add(global_step, 1, name=scope).op

    # --- slots ------------------------------------------------------------------------------
    def get_slot(self, var, name):
        """The slot variable ``name`` (see ``get_slot_names``) of ``var``, or None."""
        return self._slots.get(name, {}).get(var)

    def get_slot_names(self):
        return sorted(self._slots)

    def variables(self):
        """The optimizer's own variables (slots and the like) in the default graph, by name."""
        graph = None if executing_eagerly() else get_default_graph()
        found = [v for slots in self._slots.values() for v in slots.values()
                 if graph is None or v.graph is graph]
        found += [v for (_, g), v in self._non_slots.items() if graph is None or g is graph]
        return sorted(found, key=lambda v: v.name)

    def _slot(self, var, slot_name, initial):
        """The slot ``slot_name`` of ``var``: a variable named ``var/OptimizerName`` (then
        ``_1``, … for a second slot), not trainable, starting at ``initial``."""
        slots = self._slots.setdefault(slot_name, {})
        if var not in slots:
            value = np.broadcast_to(np.asarray(initial, dtype=np_dtype(var)),
                                    tuple(var.shape)).copy()
            with name_scope(None):   # named after the variable, whatever the scope
                slots[var] = Variable(value, name=var.op_name + "/" + self._name,
                                      trainable=False)
        return slots[var]

    def _zeros_slot(self, var, slot_name):
        return self._slot(var, slot_name, 0)

    def _non_slot(self, name, initial):
        """A variable of the optimizer itself (one per graph), made in the current name scope."""
        key = (name, None if executing_eagerly() else get_default_graph())
        if key not in self._non_slots:
            self._non_slots[key] = Variable(initial, name=name, trainable=False)
        return self._non_slots[key]

    def _get_non_slot(self, name):
        return self._non_slots[(name, None if executing_eagerly() else get_default_graph())]

    # --- what subclasses fill in ------------------------------------------------------------
    def _create_slots(self, var_list):
        pass

    def _prepare(self):
        """Turn the hyper-parameters into tensors (a function is called now, as TF-1 does)."""
        self._hyper_t = {}
        for key, value in self._hyper.items():
            if callable(value) and not isinstance(value, Tensor):
                value = value()
            self._hyper_t[key] = value if isinstance(value, Tensor) else as_tensor(value)

    def _apply_dense(self, grad, var):
        raise NotImplementedError(f"{type(self).__name__} has no update rule")

    def _finish(self, update_ops):
        """The ops that one step runs: the updates, and whatever must follow them (Adam's
        beta powers)."""
        return update_ops

    def _get(self, key, var):
        """Hyper-parameter ``key`` as a tensor of ``var``'s dtype (TensorFlow casts it)."""
        t = self._hyper_t[key]
        return t if np_dtype(t) == np_dtype(var) else cast(t, np_dtype(var))

    # --- checks -----------------------------------------------------------------------------
    def _variables_of(self, loss, var_list):
        if var_list is None:
            if executing_eagerly():   # the variables the loss was computed from, as a tape sees
                var_list = [t for t in toposort([loss])
                            if isinstance(t, Variable) and t.trainable]
            else:
                var_list = trainable_variables()
        var_list = list(var_list)
        if not var_list:
            raise ValueError("No variables to optimize.")
        return var_list

    def _checked_pairs(self, grads_and_vars):
        grads_and_vars = list(grads_and_vars)
        if not grads_and_vars:
            raise ValueError("No variables provided.")
        pairs = []
        for pair in grads_and_vars:
            if not isinstance(pair, (tuple, list)):
                raise TypeError(f"apply_gradients: {pair!r} is not a (gradient, variable) pair")
            if len(pair) != 2:   # (TensorFlow 1 unpacks the pair: a ValueError)
                raise ValueError(f"apply_gradients: {pair!r} is not a (gradient, variable) pair")
            g, v = pair
            if not isinstance(v, Variable):
                raise TypeError(f"apply_gradients: {v!r} is not a variable")
            if g is not None:
                g = as_tensor(g)   # a Python number is float32, as TensorFlow converts it
                if np_dtype(g) != np_dtype(v):
                    raise TypeError(f"apply_gradients: gradient of dtype {g.dtype.name} for "
                                    f"variable {v.name!r} of dtype {v.dtype.name}")
                if not g.shape.is_compatible_with(v.shape):
                    raise ValueError(f"apply_gradients: gradient of shape {g.shape} for "
                                     f"variable {v.name!r} of shape {v.shape}")
                pairs.append((g, v))
        if not pairs:
            raise ValueError("No gradients provided for any variable: "
                             f"{[v.name for _, v in grads_and_vars]}.")
        return pairs

