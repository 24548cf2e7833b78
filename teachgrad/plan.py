"""A compiled run: the steps a Session takes for one set of fetches and fed tensors.

Compiled once per (fetches, fed tensors) and reused, so a training loop that runs the same
fetches thousands of times pays for the graph walk once. A plan is a flat list of steps over a
list of slots: the fed values go into their slots, each step computes one node from the slots of
its inputs, and the fetched slots are the result.
"""

import functools

import numpy as np

from .session import check_feed, not_fed

__all__ = ["Plan"]


class Plan:
    """The steps that compute ``targets`` with ``fed`` tensors given, in ``session``."""

    def __init__(self, session, targets, fed):
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

        self.feed_slots = [slot_of(t) for t in fed]
        steps = []
        for node in order:
            if node in fed_set or node not in runs:
                continue
            if getattr(node.prim, "name", None) == "placeholder":
                raise not_fed(node)
            args = tuple(slot_of(i) for i in node.inputs)
            if getattr(node, "_control", None):   # reads its variables after its control inputs
                args = tuple(_read_again(session, i, steps, template) if _reads(i, fed_set)
                             else k for i, k in zip(node.inputs, args))
            steps.append((_step_function(session, node), slot_of(node), args))
        self.steps = steps
        self.template = template
        self.results = [slot_of(t) for t in targets]
        self.fed_nodes = fed

    def run(self, values):
        env = self.template[:]
        for k, t, v in zip(self.feed_slots, self.fed_nodes, values):
            env[k] = check_feed(t, v)
        for fn, out, args in self.steps:
            env[out] = fn(*[env[a] for a in args])
        return [_fresh(env[k]) for k in self.results]


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


def _reads(node, fed):
    return getattr(node.prim, "name", None) == "variable" and node not in fed


def _read_again(session, variable, steps, template):
    """A step that reads ``variable`` now, into a slot of its own (TensorFlow 1's variables are
    read when the op that uses them runs: after its control inputs have assigned them)."""
    template.append(None)
    steps.append((_step_function(session, variable), len(template) - 1, ()))
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


def _fresh(v):
    """A fetched value the caller may change: read-only arrays are copied; a 0-d array is a
    NumPy scalar, as TensorFlow 1 fetches it."""
    if v.__class__ is np.ndarray:
        if not v.ndim:
            return v[()]
        if not v.flags.writeable:
            return v.copy()
    return v

