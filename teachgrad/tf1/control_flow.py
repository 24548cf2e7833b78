"""TensorFlow 1's control flow: ``cond``, ``case`` and ``while_loop``.

In graph mode both branches of a ``cond`` are built (their ops are named ``cond/…`` as TF-1 names
them) and each ``sess.run`` runs only the branch its predicate picks, so an assignment or a random
draw inside the other branch does not act; an op made *outside* the branch functions and
returned by one acts at every run, as in TF-1. A ``while_loop`` builds its test and body once, on
stand-ins of the loop variables (``while/Merge`` in the test, ``while/Identity`` in the body), and
runs them as many times as the values decide at run time. Derivatives flow through the branch
taken and through every iteration (see :mod:`teachgrad.ops.control_flow`).

In eager mode (and while ``tg.grad`` or ``tg.trace`` trace a function) they are Python's own
``if`` and ``while`` on the values: the branch taken or the iterations run are recorded as they
run, like any other ops.

>>> import teachgrad as tg
>>> with tg.Graph().as_default():
...     x = tg.placeholder(tg.float32, shape=(), name="x")
...     n = tg.placeholder(tg.int32, shape=(), name="n")
...     _, power = tg.while_loop(lambda i, p: i < n, lambda i, p: (i + 1, p * x), [0, 1.0])
...     slope = tg.gradients(power, x)[0]
...     with tg.Session() as sess:
...         print([float(v) for v in sess.run([power, slope], {x: 2.0, n: 3})])   # x³, 3·x²
[8.0, 12.0]
"""

import collections.abc

import numpy as np

from .. import ops
from ..core.context import recording_graph
from ..core.operation import Operation
from ..core.program_graph import control_dependencies, name_scope
from ..core.shapes import TensorShape
from ..core.tensor import Tensor, as_tensor, next_serial, np_dtype, record_symbolic
from ..errors import InvalidArgumentError
from ..ops.control_flow import Subprogram, walk
from .math_ops import cast, less_equal, reduce_any, reduce_sum, stack
from .variables import identity

__all__ = ["cond", "case", "while_loop"]


# ------------------------------------------------------------------------------------------------
# Nested structures (TensorFlow's ``nest``): lists, tuples, namedtuples and dicts (by sorted key)
# ------------------------------------------------------------------------------------------------

def _is_sequence(x):
    """A list, tuple or dict holds leaves; a TensorShape (a tuple) is one leaf."""
    return isinstance(x, (list, tuple, collections.abc.Mapping)) and not isinstance(x, TensorShape)


def _flatten(structure):
    """The leaves of ``structure`` in TensorFlow's order (a dict's values by sorted key)."""
    flat, stack_ = [], [structure]
    while stack_:
        x = stack_.pop()
        if not _is_sequence(x):
            flat.append(x)
        elif isinstance(x, collections.abc.Mapping):
            stack_.extend(x[k] for k in reversed(sorted(x)))
        else:
            stack_.extend(reversed(x))
    return flat


def _pack(structure, flat):
    """``structure`` with its leaves replaced, in order, by those of ``flat``."""
    leaves = iter(flat)

    def build(s):
        if isinstance(s, collections.abc.Mapping):
            values = {k: build(s[k]) for k in sorted(s)}
            return type(s)((k, values[k]) for k in s)
        if not _is_sequence(s):
            return next(leaves)
        if isinstance(s, tuple) and hasattr(s, "_fields"):
            return type(s)(*[build(x) for x in s])
        return type(s)(build(x) for x in s)
    return build(structure)


def _outline(structure):
    """``(., {'a': .})``: the shape of a nested structure, its leaves as dots (as TF prints it)."""
    if isinstance(structure, collections.abc.Mapping):
        return "{" + ", ".join(f"{k!r}: {_outline(structure[k])}" for k in sorted(structure)) + "}"
    if _is_sequence(structure):
        inner = ", ".join(_outline(x) for x in structure)
        if isinstance(structure, list):
            return f"[{inner}]"
        return f"({inner},)" if len(structure) == 1 else f"({inner})"
    return "."


def _same_structure(a, b, check_types=True):
    """Raise what TensorFlow's ``nest.assert_same_structure`` raises when ``a`` and ``b`` differ:
    ``TypeError`` for two kinds of sequence, ``ValueError`` for anything else."""
    def differ(why, error=ValueError):
        raise error("The two structures don't have the same nested structure. First structure: "
                    f"{_outline(a)}, second structure: {_outline(b)}. More specifically: {why}")
    pairs = [(a, b)]
    while pairs:
        x, y = pairs.pop()
        if _is_sequence(x) != _is_sequence(y):
            seq, other = (x, y) if _is_sequence(x) else (y, x)
            differ(f"{_outline(seq)} is a sequence, while {_outline(other)} is not")
        if not _is_sequence(x):
            continue
        if check_types and type(x) is not type(y):
            differ(f"the two have different sequence types: {type(x).__name__} and "
                   f"{type(y).__name__}", TypeError)
        if isinstance(x, collections.abc.Mapping) and isinstance(y, collections.abc.Mapping):
            if sorted(x) != sorted(y):
                differ(f"the two dictionaries don't have the same set of keys: {sorted(x)} and "
                       f"{sorted(y)}")
            pairs.extend((x[k], y[k]) for k in sorted(x))
            continue
        if isinstance(x, collections.abc.Mapping) or isinstance(y, collections.abc.Mapping):
            differ("a dictionary and a sequence that is not one", TypeError)
        if len(x) != len(y):
            differ(f"the two structures don't have the same number of elements: {len(x)} and "
                   f"{len(y)}")
        pairs.extend(zip(x, y))


def _unpack_singleton(result):
    """A one-element list or tuple stands for its element (``strict=False``, as in TF-1)."""
    if isinstance(result, (list, tuple)) and len(result) == 1:
        return result[0]
    return result


# ------------------------------------------------------------------------------------------------
# Predicates and branch results
# ------------------------------------------------------------------------------------------------

def _truth(pred):
    """The Python truth of a predicate that has a value (eager mode)."""
    return bool(pred)


def _predicate(pred, op, arg):
    """``pred`` as a scalar bool tensor, or TensorFlow 1's error for the input ``arg`` of ``op``."""
    pred = as_tensor(pred)
    if np_dtype(pred) != np.bool_:
        raise TypeError(f"Input '{arg}' of '{op}' Op has type {pred.dtype.name} that does not "
                        "match expected type of bool: a predicate is a scalar bool tensor, e.g. "
                        "tg.less(x, 0.0) or x > 0.0")
    if pred.shape.ndims not in (None, 0):
        raise ValueError(f"Shape must be rank 0 but is rank {pred.shape.ndims} for '{op}' with "
                         f"input shape {pred.shape}: a predicate is one bool (use "
                         "tg.reduce_all or tg.reduce_any to make one of many)")
    return pred


def _is_operation(x):
    return isinstance(x, Operation) or (isinstance(x, Tensor) and x.is_operation_only)


def _as_result(x, pred, what):
    """A branch's result as a tensor: an operation stands for ``pred`` once it has run (as TF-1's
    cond returns it), a number or array becomes a constant."""
    if _is_operation(x):
        op = x._tensor if isinstance(x, Operation) else x
        with control_dependencies([op]):
            return identity(pred, name="control_dependency")
    if x is None:
        raise TypeError(f"'{what}' returned None inside its result: every part of a branch's "
                        "result must be a tensor, a number or an operation")
    return as_tensor(x)


def _merged_shape(a, b):
    """The most specific shape both branch results fit: equal sizes kept, others unknown."""
    if a.ndims is None or b.ndims is None or a.ndims != b.ndims:
        return TensorShape(None)
    return TensorShape(x if x == y else None for x, y in zip(a, b))


def _union(*lists):
    """The tensors of ``lists`` in order of first appearance, each once (by identity)."""
    found = {}
    for items in lists:
        for t in items:
            found[t] = True
    return list(found)


def _mark_inside(*groups):
    """The ops of a branch or a loop (and its stand-ins) have values only inside it: a Session
    refuses to fetch them (TF-1's InaccessibleTensorError)."""
    inside = recording_graph().inside_control_flow
    for group in groups:
        inside.update(group)


def _with_waits(node, waits):
    """``node`` waits for ``waits`` too (outer ops its sub-programs' ops depend on)."""
    mine = tuple(getattr(node, "_control", None) or ())
    more = tuple(w for w in waits if all(w is not c for c in mine))
    if more:
        node._control = mine + more


# ------------------------------------------------------------------------------------------------
# cond
# ------------------------------------------------------------------------------------------------

def _branch(fn, what, pred, strict):
    """Call branch function ``fn``; its result (structure), its flat tensors and where its ops
    start (a serial number)."""
    since = next_serial()
    result = fn()
    if result is None:
        raise ValueError(f"'{what}' must have a return value.")
    if not strict:
        result = _unpack_singleton(result)
    return result, [_as_result(x, pred, what) for x in _flatten(result)], since


def cond(pred, true_fn=None, false_fn=None, strict=False, name=None, fn1=None, fn2=None):
    """``true_fn()`` if ``pred`` else ``false_fn()`` (TensorFlow 1's ``tf.cond``).

    Graph mode: both functions are called once, now, and their ops recorded (named ``cond/…``);
    each run computes only the branch ``pred`` picks. They must return the same nested structure
    of tensors with the same dtypes (``ValueError`` / ``TypeError`` otherwise, as in TF-1); a
    one-element list or tuple stands for its element unless ``strict``. Eager mode: the branch
    the value of ``pred`` picks runs, and only it.

    >>> import teachgrad as tg
    >>> with tg.Graph().as_default():
    ...     x = tg.placeholder(tg.float32, shape=(), name="x")
    ...     y = tg.cond(x > 0.0, lambda: x * x, lambda: -x)
    ...     dy = tg.gradients(y, x)[0]
    ...     with tg.Session() as sess:
    ...         print(y.name, [[float(v) for v in sess.run([y, dy], {x: value})]
    ...                        for value in (3.0, -2.0)])
    cond/Merge:0 [[9.0, 6.0], [2.0, -1.0]]
    """
    true_fn = true_fn if true_fn is not None else fn1
    false_fn = false_fn if false_fn is not None else fn2
    for fn, what in ((true_fn, "true_fn"), (false_fn, "false_fn")):
        if fn is None:
            raise TypeError(f"cond(): '{what}' argument required")
        if not callable(fn):
            raise TypeError(f"'{what}' must be callable.")
    if recording_graph() is None:   # eager (or traced by tg.grad): Python's own if
        result = true_fn() if _truth(pred) else false_fn()
        return result if strict else _unpack_singleton(result)
    if isinstance(pred, (bool, np.bool_)):
        raise TypeError("pred must not be a Python bool: in graph mode tf.cond chooses when the "
                        "program runs; for a choice made now, use Python's if")
    with name_scope(name or "cond"):
        return _graph_cond(_predicate(pred, "Switch", "pred"), true_fn, false_fn, strict)


def _graph_cond(pred, true_fn, false_fn, strict):
    """Graph mode: both branches recorded, one If op that runs the one ``pred`` picks, and its
    outputs (``cond/Merge…``) in the structure of the branches' results."""
    t_result, t_flat, t_since = _branch(true_fn, "true_fn", pred, strict)
    f_result, f_flat, f_since = _branch(false_fn, "false_fn", pred, strict)
    _same_structure(t_result, f_result)
    for a, b in zip(t_flat, f_flat):
        if np_dtype(a) != np_dtype(b):
            raise ValueError(f"Outputs of 'true_fn' and 'false_fn' must have the same type(s). "
                             f"Received {a.dtype.name} from 'true_fn' and {b.dtype.name} from "
                             "'false_fn'.")
    t_order, t_nodes, t_captured, t_waits = walk(t_flat, (), t_since)
    f_order, f_nodes, f_captured, f_waits = walk(f_flat, (), f_since)
    _mark_inside(t_order, f_order)
    captured = _union(t_captured, f_captured)
    branches = (Subprogram(captured, t_flat, t_order, t_nodes, t_waits),
                Subprogram(captured, f_flat, f_order, f_nodes, f_waits))
    n = len(t_flat)
    op = record_symbolic(ops.control_flow.cond, (pred, *captured), TensorShape(()), None,
                         {"branches": branches, "n_out": n})
    _with_waits(op, _union(t_waits, f_waits))
    outputs = [record_symbolic(ops.control_flow.cond_output, (op,),
                               _merged_shape(a.shape, b.shape), np_dtype(a), {"index": k, "n": n})
               for k, (a, b) in enumerate(zip(t_flat, f_flat))]
    return _pack(t_result, outputs)


# ------------------------------------------------------------------------------------------------
# case
# ------------------------------------------------------------------------------------------------

def _pairs(pred_fn_pairs):
    pairs = list(pred_fn_pairs.items()) if isinstance(pred_fn_pairs, collections.abc.Mapping) \
        else list(pred_fn_pairs)
    if not pairs:
        raise ValueError("case: pred_fn_pairs is empty: expected (predicate, function) pairs")
    checked = []
    for entry in pairs:
        if not isinstance(entry, (list, tuple)) or len(entry) != 2:
            raise TypeError(f"Each entry in 'pred_fn_pairs' must be a 2-tuple. Received {entry}.")
        pred, fn = entry
        if isinstance(pred, (bool, np.bool_)) or not isinstance(pred, Tensor):
            raise TypeError(f"pred must be a Tensor, got: {pred}")
        if np_dtype(pred) != np.bool_:
            raise TypeError(f"pred must be Tensor of type bool: {pred.name}")
        if not callable(fn):
            raise TypeError(f"fn for pred {pred.name} must be callable.")
        checked.append((pred, fn))
    return checked


_NONE_TRUE = "Input error: None of conditions evaluated as True:"


def _more_than_one(preds):
    names = ", ".join(p.name for p in preds)
    return f"Input error: exclusive=True: more than 1 conditions ({names}) evaluated as True:"


def case(pred_fn_pairs, default=None, exclusive=False, strict=False, name="case"):
    """The result of the function paired with the first true predicate, else of ``default``
    (TensorFlow 1's ``tf.case``): ``pred_fn_pairs`` is a list of ``(pred, fn)`` or a dict.

    ``exclusive=True`` checks at every run that at most one predicate is true; without a
    ``default``, the last function is the default and a run where no predicate is true fails.
    Both failures are ``errors.InvalidArgumentError`` ("assertion failed: …"), as in TF-1.

    >>> import teachgrad as tg
    >>> with tg.Graph().as_default():
    ...     k = tg.placeholder(tg.int32, shape=(), name="k")
    ...     r = tg.case([(k < 0, lambda: tg.constant(17)), (k > 10, lambda: tg.constant(23))],
    ...                 default=lambda: tg.constant(-1), exclusive=True)
    ...     with tg.Session() as sess:
    ...         print(r.name, [int(sess.run(r, {k: v})) for v in (-5, 20, 5)])
    case/cond/Merge:0 [17, 23, -1]
    """
    pairs = _pairs(pred_fn_pairs)
    if recording_graph() is None:
        result = _eager_case(pairs, default, exclusive)
    else:
        with name_scope(name or "case"):
            result = _graph_case(pairs, default, exclusive, strict)
    return result if strict else _unpack_singleton(result)


def _eager_case(pairs, default, exclusive):
    """Eager mode: the result of the first true predicate's function (or of ``default``)."""
    truths = [_truth(p) for p, _ in pairs]
    shown = np.array(truths, dtype=np.int32)
    if exclusive and sum(truths) > 1:
        raise InvalidArgumentError(None, None, f"assertion failed: "
                                   f"[{_more_than_one([p for p, _ in pairs])}] {shown}")
    for truth, (_, fn) in zip(truths, pairs):
        if truth:
            return fn()
    if default is None:
        raise InvalidArgumentError(None, None, f"assertion failed: [{_NONE_TRUE}] {shown}")
    return default()


def _graph_case(pairs, default, exclusive, strict):
    """Graph mode: ``cond(p0, f0, lambda: cond(p1, f1, … default))``, named case/cond/cond/…,
    after the checks TF-1 makes at every run."""
    preds = [p for p, _ in pairs]
    guards = []
    if exclusive and len(pairs) > 1:
        as_ints = cast(stack(preds), "int32")
        with name_scope("Assert"):
            guards.append(_assert(less_equal(reduce_sum(as_ints), 1), as_ints,
                                  _more_than_one(preds)))
    if default is None:   # the last function is the default, if its predicate holds
        pairs, (_, last) = pairs[:-1], pairs[-1]

        def default():
            with name_scope("Assert"):
                check = _assert(reduce_any(stack(preds)), cast(stack(preds), "int32"),
                                _NONE_TRUE)
            result = last()
            with control_dependencies([check]):   # its results wait for the check
                return _pack(result, [x if _is_operation(x) else identity(as_tensor(x))
                                      for x in _flatten(result)])
    if not pairs:
        return default()

    def chain(k):
        if k == len(pairs):
            return default
        pred, fn = pairs[k]
        return lambda: cond(pred, fn, chain(k + 1), strict=strict)
    with control_dependencies(guards):
        return chain(0)()


def _assert(condition, data, message):
    """An op that fails the run with ``message`` and ``data``'s values unless ``condition``."""
    return record_symbolic(ops.control_flow.assert_that, (condition, data), TensorShape(()), None,
                           {"message": message})


# ------------------------------------------------------------------------------------------------
# while_loop
# ------------------------------------------------------------------------------------------------

def _shape_fits(shape, invariant):
    """Whether ``shape`` is at least as specific as the shape invariant (TF-1's rule)."""
    if invariant.ndims is None:
        return True
    if shape.ndims is None or shape.ndims != invariant.ndims:
        return False
    return all(b is None or a == b for a, b in zip(shape, invariant))


def _invariants(shape_invariants, structure, init):
    """The shape each loop variable keeps (its own, or the invariant given for it)."""
    if shape_invariants is None:
        return [t.shape for t in init]
    given = list(shape_invariants) if _is_sequence(shape_invariants) else [shape_invariants]
    _same_structure(list(structure), given, check_types=False)
    found = [TensorShape(s) for s in _flatten(given)]
    for t, s in zip(init, found):
        if not _shape_fits(t.shape, s):
            raise ValueError(f"The shape invariant specified for {t.name} is not compatible with "
                             "the initial shape of the loop variable. It enters the loop with "
                             f"shape {t.shape}, but the specified shape invariant is {s}.")
    return found


def _loop_result(x, what):
    if _is_operation(x) or x is None:
        raise TypeError(f"{what} returned {x!r}: the loop variables must be tensors (or numbers)")
    return as_tensor(x)


def while_loop(cond, body, loop_vars, shape_invariants=None, parallel_iterations=10,
               back_prop=True, swap_memory=False, name=None, maximum_iterations=None,
               return_same_structure=False):
    """Repeat ``body`` while ``cond`` holds (TensorFlow 1's ``tf.while_loop``).

    ``loop_vars`` is a list or tuple (nested structures allowed); ``cond(*loop_vars)`` returns a
    scalar bool tensor and ``body(*loop_vars)`` the next loop variables, in the same structure,
    dtypes and shapes (or more specific ones; ``shape_invariants`` allows less specific ones).
    Graph mode: ``cond`` and ``body`` are called once, now, on stand-ins of the loop variables;
    a run repeats them as many times as the values decide (at most ``maximum_iterations``, a
    number or a tensor). The result has the structure of ``loop_vars`` (one variable: itself,
    unless ``return_same_structure``). Derivatives flow through every iteration (not with
    ``back_prop=False``). Eager mode: Python's ``while`` on the values.

    >>> import teachgrad as tg
    >>> with tg.Graph().as_default():
    ...     n = tg.placeholder(tg.int32, shape=(), name="n")
    ...     i, total = tg.while_loop(lambda i, s: i <= n, lambda i, s: (i + 1, s + i), [0, 0])
    ...     with tg.Session() as sess:
    ...         print(total.name, int(sess.run(total, {n: 100})))
    while/Exit_1:0 5050
    """
    if not callable(cond):
        raise TypeError("'cond' must be callable.")
    if not callable(body):
        raise TypeError("'body' must be callable.")
    if not isinstance(parallel_iterations, int) or parallel_iterations < 1:
        raise TypeError("'parallel_iterations' must be a positive integer.")
    single = not isinstance(loop_vars, (list, tuple))
    if loop_vars is None or (not single and not loop_vars):
        raise ValueError("'loop_vars' must be provided.")
    structure = [loop_vars] if single else loop_vars
    if recording_graph() is None:
        flat = _eager_while(cond, body, structure, maximum_iterations)
    else:
        with name_scope(name or "while"):
            flat = _graph_while(cond, body, structure, shape_invariants, back_prop,
                                maximum_iterations)
    packed = _pack(structure, flat)
    if return_same_structure:
        return packed
    return packed[0] if len(flat) == 1 else packed


def _eager_while(cond, body, structure, maximum_iterations):
    """Eager mode (or traced by tg.grad): Python's own while; the final loop variables, flat."""
    limit = None if maximum_iterations is None else int(maximum_iterations)
    current, count = list(structure), 0
    while (limit is None or count < limit) and _truth(cond(*current)):
        result = body(*current)
        result = list(result) if isinstance(result, (list, tuple)) else [result]
        _same_structure(list(structure), result)
        current, count = result, count + 1
    return _flatten(current)


def _iteration_limit(maximum_iterations):
    if maximum_iterations is None:
        return None
    limit = as_tensor(maximum_iterations)
    if limit.shape.ndims != 0:
        raise ValueError(f"'maximum_iterations' must be a scalar. Received shape: {limit.shape}")
    if np_dtype(limit).kind not in "iu":
        raise TypeError(f"'maximum_iterations' must be an integer, not {limit.dtype.name}")
    return limit


def _graph_while(cond, body, structure, shape_invariants, back_prop, maximum_iterations):
    """Graph mode: the test and the body recorded once on stand-ins of the loop variables, one
    While op that runs them, and its results (``while/Exit…``), flat."""
    init = [_loop_result(x, "loop_vars") for x in _flatten(structure)]
    limit = _iteration_limit(maximum_iterations)
    invariants = _invariants(shape_invariants, structure, init)
    # the test, on stand-ins named while/Merge…
    test_vars = [record_symbolic(ops.control_flow.loop_test_var, (), s, np_dtype(t), None)
                 for t, s in zip(init, invariants)]
    since = next_serial()
    test = _predicate(cond(*_pack(structure, test_vars)), "LoopCond", "input")
    test_walk = walk([test], test_vars, since)
    # the body, on stand-ins named while/Identity…
    body_vars = [record_symbolic(ops.control_flow.loop_var, (), s, np_dtype(t), None)
                 for t, s in zip(init, invariants)]
    since = next_serial()
    result = body(*_pack(structure, body_vars))
    result = list(result) if isinstance(result, (list, tuple)) else [result]
    _same_structure(list(structure), result)
    results = [_loop_result(x, "body") for x in _flatten(result)]
    _check_results(init, results, invariants)
    body_walk = walk(results, body_vars, since)
    _mark_inside(test_vars, body_vars, test_walk[0], body_walk[0])
    captured = _union(test_walk[2], body_walk[2])
    n = len(init)
    inputs = (*init, *captured) + ((limit,) if limit is not None else ())
    op = record_symbolic(ops.control_flow.while_loop, inputs, TensorShape(()), None, {
        "test": Subprogram(test_vars + captured, [test], *test_walk[:2], test_walk[3]),
        "body": Subprogram(body_vars + captured, results, *body_walk[:2], body_walk[3]),
        "n_vars": n, "limited": limit is not None, "back_prop": bool(back_prop), "n_out": n})
    _with_waits(op, _union(test_walk[3], body_walk[3]))
    return [record_symbolic(ops.control_flow.loop_output, (op,), s, np_dtype(t),
                            {"index": k, "n": n})
            for k, (t, s) in enumerate(zip(init, invariants))]


def _check_results(init, results, invariants):
    """Each loop variable keeps its dtype, and its shape within its shape invariant."""
    for k, (t, out, s) in enumerate(zip(init, results, invariants)):
        if np_dtype(out) != np_dtype(t):
            raise InvalidArgumentError(
                None, None, f"while_loop: loop variable {k} enters the loop as {t.dtype.name} "
                f"but the body returns {out.dtype.name} ({out.name!r}); a loop variable keeps "
                "its dtype (TF-1 fails on it when the graph first runs; teachgrad says it at "
                "once): use tg.cast")
        if not _shape_fits(out.shape, s):
            raise ValueError(f"Input tensor '{t.name}' enters the loop with shape {s}, but has "
                             f"shape {out.shape} after one iteration. To allow the shape to vary "
                             "across iterations, use the `shape_invariants` argument of "
                             "tf.while_loop to specify a less-specific shape.")
