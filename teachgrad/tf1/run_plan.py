"""A compiled run: the steps a Session takes for one set of fetches and fed tensors, and the
checks every fed value passes (its dtype and shape).

Compiled once per (fetches, fed tensors) and reused, so a training loop that runs the same
fetches thousands of times pays for the graph walk once. A plan is a flat list of steps over a
list of slots: the fed values go into their slots, each step computes one node from the slots of
its inputs, and the fetched slots are the result.
"""

import functools

import numpy as np

from ..core.shapes import TensorShape
from ..core.tensor import Tensor, np_dtype, static_shape
from ..errors import InvalidArgumentError

__all__ = ["Plan", "SubPlan", "check_feed", "not_fed"]


class Plan:
    """The steps that compute ``targets`` with ``fed`` tensors given, in ``session``.

    ``trusted``: the fed values are the session's own (a control-flow op feeding its branch),
    taken as they are, without the checks of a user's ``feed_dict``.
    """

    def __init__(self, session, targets, fed, trusted=False):
        self.fed = fed
        fed_set = set(fed)
        needed = _needed(targets, fed_set)
        order = sorted(needed, key=_serial)
        # A node must be computed at run time if it is fed, has no value yet, waits for control
        # inputs, or uses such a node; every other node keeps the value it got when it was made.
        runs = set()
        for node in order:
            if node in fed_set or node._value is None or getattr(node, "_control", None) \
                    or any(i in runs for i in node.inputs):
                runs.add(node)
        slot = {}
        template = []

        def slot_of(node):
            k = slot.get(node)
            if k is None:
                k = slot[node] = len(template)
                template.append(None if node in runs else node._value)
            return k

        self.feeds = [(slot_of(t), None, _as_is) if trusted else _feed(slot_of(t), t)
                      for t in fed]
        steps = []
        made = []    # (node, its input slots), one per step that computes a node
        for node in order:
            if node in fed_set or node not in runs:
                continue
            if getattr(node.prim, "name", None) == "placeholder":
                raise not_fed(node)
            args = tuple(slot_of(i) for i in node.inputs)
            if getattr(node, "_control", None):   # reads its variables after its control inputs
                args = tuple(k if (v := _variable_read(i, fed_set)) is None
                             else _read_again(session, v, steps, template)
                             for i, k in zip(node.inputs, args))
            steps.append((slot_of(node), _caller(_step_function(session, node), args)))
            made.append((len(steps) - 1, node, args))
        self.steps = steps
        self.template = template
        self.slots = slot
        self.results = [slot_of(t) for t in targets]
        if not trusted:   # (a sub-program's derivative reads its intermediate values again)
            _write_in_place(steps, made, self.results)
        # A fetched variable is read when the run ends, as TensorFlow 1 reads a reference
        # variable: sess.run([tg.assign(v, 5.0), v]) gives 5.0 for v.
        self.variables = [(i, t) for i, t in enumerate(targets)
                          if t not in fed_set and getattr(t.prim, "name", None) == "variable"]
        self.session = session
        # Stored (read-only) arrays are copied on the way out; computed ones are fresh already.
        self.stored = [i for i, k in enumerate(self.results)
                       if template[k].__class__ is np.ndarray]

    def execute(self, values):
        """Every slot's value after a run with the fed ``values`` (in the order of ``fed``)."""
        env = self.template[:]
        for (k, number, convert), v in zip(self.feeds, values):
            # A Python float fed to a float scalar is the common case: converted directly.
            env[k] = number(v) if number is not None and v.__class__ is float else convert(v)
        for out, call in self.steps:
            env[out] = call(env)
        return env

    def run(self, values):
        """The fetched values, computed from the fed ``values`` (in the order of ``fed``)."""
        env = self.execute(values)
        results = [env[k] for k in self.results]
        for i in self.stored:
            results[i] = results[i].copy()    # the caller may change what it gets
        for i, variable in self.variables:
            results[i] = np.array(self.session.read(variable))
        for i, v in enumerate(results):
            if v.__class__ is np.ndarray and not v.ndim:
                results[i] = v[()]            # a 0-d result is a NumPy scalar, as in TensorFlow
        return results


def _as_is(v):
    return v


class SubPlan:
    """The plan of a control-flow op's sub-program (a cond branch, a loop's test or body) in a
    session: ``call(values)`` runs it with ``values`` for its inputs and returns its outputs'
    values and every value it computed (:class:`Values`), which the op's derivative reads.

    Variables among its inputs are not fed: the sub-program reads them when its ops run, after
    the assignments it waits for (TensorFlow 1's reference variables, read inside a branch or at
    each iteration of a loop). The outer ops it waits for have run before the op: fed as done.
    """

    def __init__(self, session, program):
        self.inputs = program.inputs
        self.given = [i for i, x in enumerate(program.inputs) if _variable_read(x, ()) is None]
        self.n_waits = len(program.waits)
        fed = [program.inputs[i] for i in self.given] + list(program.waits)
        self.plan = Plan(session, list(program.outputs), fed, trusted=True)

    def call(self, values):
        env = self.plan.execute([values[i] for i in self.given] + [None] * self.n_waits)
        outputs = [env[k] for k in self.plan.results]
        return outputs, Values(self.plan.slots, env, dict(zip(self.inputs, values)))


class Values:
    """What one call of a sub-program computed, by node (its inputs as given when not read)."""

    __slots__ = ("slots", "env", "given")

    def __init__(self, slots, env, given):
        self.slots, self.env, self.given = slots, env, given

    def __getitem__(self, node):
        k = self.slots.get(node)
        if k is not None and self.env[k] is not None:
            return self.env[k]
        if node in self.given:
            return self.given[node]
        return node._value


def _serial(t):
    return t._serial


def _needed(targets, fed):
    """Every node the targets need: back through inputs and control inputs, stopping at fed
    tensors."""
    needed = set()
    stack = list(targets)
    while stack:
        node = stack.pop()
        if node in needed:
            continue
        needed.add(node)
        if node in fed:
            continue
        stack.extend(node.inputs)
        stack.extend(getattr(node, "_control", None) or ())
    return needed


def _variable_read(node, fed):
    """The variable ``node`` reads (a variable, or its ``NAME/read``), or None."""
    if node in fed:
        return None
    name = getattr(node.prim, "name", None)
    if name == "variable_read":
        node, name = node.inputs[0], "variable"
    return node if name == "variable" and node not in fed else None


def _read_again(session, variable, steps, template):
    """A step that reads ``variable`` now, into a slot of its own (TensorFlow 1's variables are
    read when the op that uses them runs: after its control inputs have assigned them)."""
    template.append(None)
    steps.append((len(template) - 1, _caller(_step_function(session, variable), ())))
    return len(template) - 1


def _step_function(session, node):
    prim = node.prim
    if prim is None:   # a constant that is re-run (control inputs): its own value
        value = node._value
        return lambda *args: value
    if prim.run is not None:   # stateful: random numbers, assignments, variables, placeholders
        return functools.partial(prim.run, session, node)
    impl = prim.impl
    if node.params:
        return functools.partial(impl, **node.params)
    return impl


def _caller(fn, args):
    """The step as one call on the slots: ``fn(env[i], env[j])``, spelled out for the usual
    arities (a list comprehension per step would cost more than the step itself)."""
    if len(args) == 2:
        i, j = args
        return lambda env: fn(env[i], env[j])
    if len(args) == 1:
        (i,) = args
        return lambda env: fn(env[i])
    if not args:
        return lambda env: fn()
    return lambda env: fn(*[env[a] for a in args])


# Element-wise steps that may write their result into an input's array, and the ops whose result
# is always an array of their own (never a view of an input, never a value kept elsewhere).
_IN_PLACE = {"add": np.add, "sub": np.subtract, "mul": np.multiply, "neg": np.negative,
             "maximum": np.maximum, "minimum": np.minimum}
_FRESH = {"add", "sub", "mul", "neg", "maximum", "minimum", "div", "matmul", "ge_mask", "exp",
          "log", "sin", "cos", "tanh", "square"}


def _write_in_place(steps, made, results):
    """Let an element-wise step write into the array of an input that only it uses.

    A value computed by an earlier step of this run, read by this step alone and not fetched, is
    garbage once the step has read it: writing the result there (``np.multiply(a, b, out=a)``,
    the same numbers) saves a fresh array per step, as a hand-written ``a *= b`` does. Only
    inputs of the result's full static shape and dtype, made by ops that always return an array
    of their own, qualify; fed values, constants and variables never do.
    """
    uses = {}
    for _, _, args in made:
        for k in args:
            uses[k] = uses.get(k, 0) + 1
    for k in results:
        uses[k] = uses.get(k, 0) + 2
    fresh = {}
    for index, node, _ in made:
        shape = static_shape(node)
        if getattr(node.prim, "name", None) in _FRESH and shape and None not in shape:
            fresh[steps[index][0]] = (shape, np_dtype(node))
    for index, node, args in made:
        ufunc = _IN_PLACE.get(getattr(node.prim, "name", None))
        if ufunc is None or node.params or getattr(node, "_control", None):
            continue
        want = (static_shape(node), np_dtype(node))
        if any(np_dtype(i) != want[1] for i in node.inputs):
            continue
        for position, k in enumerate(args):
            if uses.get(k) == 1 and fresh.get(k) == want:
                steps[index] = (steps[index][0], _in_place_caller(ufunc, args, position))
                break


def _in_place_caller(ufunc, args, position):
    if len(args) == 1:
        (i,) = args
        return lambda env: ufunc(env[i], out=env[i])
    i, j = args
    if position == 0:
        return lambda env: ufunc(env[i], env[j], out=env[i])
    return lambda env: ufunc(env[i], env[j], out=env[j])


def _feed(k, t):
    """Where a value fed to ``t`` goes, and how it becomes ``t``'s dtype: the dtype's scalar type
    when a Python float may be fed directly (a float tensor that may be a scalar), and the full
    check for everything else."""
    dtype = np_dtype(t)
    number = dtype.type if dtype.kind == "f" and t.shape.ndims in (None, 0) else None
    return k, number, lambda v: check_feed(t, v)


def check_feed(t, value):
    """``value`` converted to fed tensor ``t``'s dtype (as NumPy converts: TensorFlow 1 feeds
    ``np.asarray(value, dtype)``) and checked against its static shape (None matches any size)."""
    dtype = np_dtype(t)
    if isinstance(value, Tensor):
        raise TypeError(f"the value fed to {t.name!r} is the tensor {value.name!r}; a feed must "
                        "be a value (a number, a list or a NumPy array), not a tf.Tensor: run it "
                        "first (sess.run) or feed its value")
    cls = value.__class__
    if cls is int and (dtype.kind in "iu" and not _fits(value, dtype)
                       or dtype.kind == "b" and value not in (0, 1)):
        raise TypeError(f"Type of feed value {value} with type {cls} is not compatible with "
                        f"Tensor type {dtype.type}. Try explicitly setting the type of the feed "
                        f"tensor to a larger type (e.g. int64).")
    if cls is float or cls is int:
        v = dtype.type(value)
    else:
        v = np.asarray(value, dtype=dtype)
        if v.ndim == 0:
            v = v[()]
    shape = static_shape(t)
    if t.shape.ndims is not None:
        got = np.shape(v)
        if len(got) != len(shape) or any(n is not None and n != m for n, m in zip(shape, got)):
            raise ValueError(f"Cannot feed value of shape {got} for Tensor {t.name}, which has "
                             f"shape {TensorShape(shape)}")
    return v


def _fits(number, dtype):
    """Whether Python int ``number`` fits integer ``dtype`` (TensorFlow 1 refuses, rather than
    wraps, one that does not: feeding 2 to a bool placeholder is that error too)."""
    info = np.iinfo(dtype)
    return info.min <= number <= info.max


# TensorFlow's names of dtypes in its messages
_TF_NAME = {"float32": "float", "float64": "double", "float16": "half"}


def _tf_shape(shape):
    """`` and shape [?,3]`` as TensorFlow writes it after the dtype, or nothing: TensorFlow 1
    names no shape for a placeholder of unknown rank or a scalar one."""
    if not shape.ndims:
        return ""
    return " and shape [" + ",".join("?" if n is None else str(n) for n in shape) + "]"


def not_fed(t):
    dtype = np_dtype(t).name
    return InvalidArgumentError(
        None, t.op, f"You must feed a value for placeholder tensor '{t.op_name}' with dtype "
        f"{_TF_NAME.get(dtype, dtype)}{_tf_shape(t.shape)}: add it to feed_dict, "
        f"sess.run(..., feed_dict={{{t.op_name}: value}})")
