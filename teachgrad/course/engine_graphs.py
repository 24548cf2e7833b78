"""The graphs lecture 5's *build the engine* exercise runs a student's reverse mode on
(:func:`teachgrad.course.exercises.check_backward`), what ``tf.gradients`` gives on each, and
the hint for each classic mistake a wrong result shows.
"""

__all__ = ["HINGE_X", "HINGE_LABELS", "HINGE_W", "HINGE_BIAS", "seed_graph", "reuse_graph",
           "hinge_graph", "tf_gradients", "engine_hint"]

# The hinge loss of lecture 4 on four trials with two weights: three trials inside the margin
# (slope −1), one beyond it (slope 0); every weight feeds all four trials (fan-out).
HINGE_X = ((1.0, 2.0), (-1.0, 0.5), (-1.0, -0.5), (2.0, -3.0))
HINGE_LABELS = (1.0, 1.0, -1.0, 1.0)
HINGE_W, HINGE_BIAS = (0.3, -0.2), 0.1


def seed_graph(node, maximum):
    """e = (a + b)(b + 1) at a = 2, b = 1, built from the student's ``node``: (output, nodes)."""
    a, b = node(2.0), node(1.0)
    c = a + b
    d = b + 1.0
    e = c * d
    return e, {"a": a, "b": b, "c": c, "d": d, "e": e}


def reuse_graph(node, maximum):
    """z = y + y with y = x·x at x = 3: one node read twice by another."""
    x = node(3.0)
    y = x * x
    z = y + y                      # y read twice by one node (micrograd's classic bug)
    return z, {"x": x, "y": y, "z": z}


def hinge_graph(node, maximum):
    """Lecture 4's hinge loss over four trials: every weight feeds all four (fan-out)."""
    w1, w2, bias = node(HINGE_W[0]), node(HINGE_W[1]), node(HINGE_BIAS)
    loss = node(0.0)
    for (x1, x2), label in zip(HINGE_X, HINGE_LABELS):
        margin = w1 * x1 + w2 * x2 + bias
        loss = loss + maximum(0.0, 1.0 - label * margin)
    return loss, {"w1": w1, "w2": w2, "bias": bias, "loss": loss}


def tf_gradients(which):
    """∂output/∂input by ``tf.gradients`` in a graph of its own, run in a Session (float64).

    >>> tf_gradients("seed"), tf_gradients("reuse")
    ({'a': 2.0, 'b': 5.0}, {'x': 12.0})
    """
    from ..autodiff.transforms import gradients
    from ..core.dtypes import float64
    from ..core.program_graph import Graph
    from ..core.tensor import constant
    from ..tf1.math_ops import maximum
    from ..tf1.reductions import reduce_sum
    from ..tf1.session import Session

    with Graph().as_default():
        const = lambda v: constant(v, dtype=float64)                   # noqa: E731
        if which == "seed":
            a, b = const(2.0), const(1.0)
            out, inputs = (a + b) * (b + 1.0), {"a": a, "b": b}
        elif which == "reuse":
            x = const(3.0)
            y = x * x
            out, inputs = y + y, {"x": x}
        else:
            w, bias = const(HINGE_W), const(HINGE_BIAS)
            margins = reduce_sum(const(HINGE_X) * w, axis=1) + bias
            out = reduce_sum(maximum(0.0, 1.0 - const(HINGE_LABELS) * margins))
            inputs = {"w": w, "bias": bias}
        grads = gradients(out, list(inputs.values()))
        with Session() as sess:
            values = sess.run(grads)
    if which == "hinge":
        return {"w1": float(values[0][0]), "w2": float(values[0][1]), "bias": float(values[1])}
    return {name: float(v) for name, v in zip(inputs, values)}


def engine_hint(graph, grads):
    """The classic mistake that ``grads`` (node name → .grad after backward) shows, or ''.

    >>> engine_hint("reuse", {"x": 24.0})[:24]
    'x gets 24, twice 12: y a'
    """
    if graph == "seed":
        out, a, b, c, d = (grads[k] for k in "eabcd")
        if out == 0:
            return ("the output's own grad is 0: reverse mode starts by setting output.grad = 1 "
                    "(∂output/∂output).")
        if (a, b) == (0, 0) or (c, d) == (0, 0):
            return ("the grads stop on their way back: go through the topological order "
                    "reversed, the output first, so a node passes its grad on only after every "
                    "node that reads it has added its part.")
        if a == 2 and b in (2, 3):
            return (f"b gets {b:g}, one path only: b feeds two nodes (c and d), and each adds its "
                    "part — write parent.grad += …, not parent.grad = ….")
    if graph == "reuse" and grads["x"] == 24:
        return ("x gets 24, twice 12: y appears twice in your order, so its grad was passed on "
                "twice — keep a set of the nodes already visited.")
    return ""
