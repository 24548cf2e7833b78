"""The ops that hold or change state: placeholders, variables, assignments, random numbers,
groups. They never have a value when they are made in graph mode; a Session runs them (``run``),
anew at every run. In eager mode they act at once.
"""

import numpy as np

from ..errors import InvalidArgumentError
from ..core.shapes import TensorShape
from .registry import structural
from .runtime_shapes import static_sizes

__all__ = ["placeholder", "variable", "variable_read", "initialized_or", "assign", "assign_add",
           "assign_sub", "group", "random_uniform", "random_uniform_of_shape", "random_normal", "random_normal_of_shape",
           "truncated_normal_of_shape",
           "truncated_normal", "random_shuffle", "candidate_sampler"]

_NO_GRADIENT = (lambda g, out, *args, **params: None,)


def _static(inputs, params):
    return TensorShape(params["shape"]), params["dtype"]


def _like_ref(inputs, params):
    ref = params["ref"]
    return ref.shape, ref._static[1] if ref._value is None else ref._value.dtype


def _not_fed(session, node):
    raise InvalidArgumentError(None, node.op, f"You must feed a value for placeholder tensor "
                               f"{node.name!r} with shape {node.shape}")


placeholder = structural(
    "placeholder", None, vjp=(), stateful=True, infer=_static, run=_not_fed,
    expr="placeholder", doc="placeholder: a root of the program whose value is fed at each run")

variable = structural(
    "variable", None, vjp=(), stateful=True, infer=_static,
    run=lambda session, node: session.read(node),
    expr="variable", doc="variable: a root of the program whose value lives in the Session")


variable_read = structural(
    "variable_read", lambda v: v, linear=True, vjp=(lambda g, out, v: g,),
    expr="{0}", formulas=("1",),
    doc="variable_read: a variable's value where ops use it — TensorFlow 1's NAME/read, the "
        "Identity every use of a variable goes through")


def _initialized_or_run(session, node, initial):
    value = session.values.get(node.params["ref"])
    return initial if value is None else value


initialized_or = structural(
    "initialized_or", None, vjp=_NO_GRADIENT, stateful=True,
    infer=lambda inputs, params: (inputs[0].shape, inputs[0]._static[1]
                                  if inputs[0]._value is None else inputs[0]._value.dtype),
    run=_initialized_or_run, expr="initialized or {0}",
    doc="initialized_or: the variable ref's value if the session has initialized it, else its "
        "initial value (TensorFlow 1's guard of an initial value read from other variables, "
        "and its initialized_value())")


def _assign_run(combine):
    def run(session, node, value):
        ref = node.params["ref"]
        new = value if combine is None else combine(session.read(ref), value)
        session.values[ref] = new
        return new
    return run


assign = structural(
    "assign", None, vjp=_NO_GRADIENT, stateful=True, infer=_like_ref, run=_assign_run(None),
    expr="assign({0})", doc="assign: ref ← value, when run; its value is the new value")
assign_add = structural(
    "assign_add", None, vjp=_NO_GRADIENT, stateful=True, infer=_like_ref,
    run=_assign_run(np.add), expr="assign_add({0})", doc="assign_add: ref ← ref + delta")
assign_sub = structural(
    "assign_sub", None, vjp=_NO_GRADIENT, stateful=True, infer=_like_ref,
    run=_assign_run(np.subtract), expr="assign_sub({0})", doc="assign_sub: ref ← ref − delta")

group = structural(
    "group", None, vjp=(), stateful=True, infer=lambda inputs, params: (TensorShape(()), None),
    run=lambda session, node: None, expr="group", doc="group: runs its control inputs")


# --- random numbers: a fresh draw at every run --------------------------------------------------

def _draw(sample):
    def run(session, node, *inputs):
        p = node.params if node is not None else {}
        rng = session.generator(node, p.get("seed"))
        return np.asarray(sample(rng, p, *inputs)).astype(p["dtype"])
    return run


def _of_shape(sample):
    """``sample`` drawing a shape given as an input (a tensor of sizes) instead of a parameter."""
    return _draw(lambda rng, p, dims: sample(rng, {**p, "shape": tuple(int(n) for n in dims)}))


def _truncated(rng, p):
    shape, out = tuple(p["shape"]), None
    out = rng.normal(size=shape)
    bad = np.abs(out) > 2
    while bad.any():   # redraw what falls more than two standard deviations out, as TensorFlow
        out[bad] = rng.normal(size=int(bad.sum()))
        bad = np.abs(out) > 2
    return p["mean"] + p["stddev"] * out


def _uniform(rng, p):
    if np.dtype(p["dtype"]).kind in "iu":
        return rng.integers(p["minval"], p["maxval"], size=tuple(p["shape"]))
    return rng.uniform(p["minval"], p["maxval"], size=tuple(p["shape"]))


random_uniform = structural(
    "random_uniform", None, vjp=(), stateful=True, infer=_static, run=_draw(_uniform),
    expr="uniform", doc="random_uniform: numbers drawn uniformly from [minval, maxval)")
def _shape_input(inputs, params):
    """The static shape a draw of shape ``inputs[0]`` (a tensor of sizes) will have."""
    return static_sizes(inputs[0]), params["dtype"]


random_uniform_of_shape = structural(
    "random_uniform_of_shape", None, vjp=_NO_GRADIENT, stateful=True, infer=_shape_input,
    run=_of_shape(_uniform),
    expr="uniform", doc="random_uniform_of_shape: numbers drawn uniformly from [minval, maxval), "
                        "of a shape known when the program runs (tg.shape(x)): TF's RandomUniform")

def _normal(rng, p):
    return rng.normal(p["mean"], p["stddev"], size=tuple(p["shape"]))


random_normal_of_shape = structural(
    "random_normal_of_shape", None, vjp=_NO_GRADIENT, stateful=True, infer=_shape_input,
    run=_of_shape(_normal), expr="normal",
    doc="random_normal_of_shape: normal numbers of a shape known when the program runs")
truncated_normal_of_shape = structural(
    "truncated_normal_of_shape", None, vjp=_NO_GRADIENT, stateful=True, infer=_shape_input,
    run=_of_shape(_truncated), expr="truncated normal",
    doc="truncated_normal_of_shape: truncated normal numbers of a shape known when the program runs")

random_normal = structural(
    "random_normal", None, vjp=(), stateful=True, infer=_static,
    run=_draw(_normal), expr="normal", doc="random_normal: numbers drawn from a normal distribution")
truncated_normal = structural(
    "truncated_normal", None, vjp=(), stateful=True, infer=_static, run=_draw(_truncated),
    expr="truncated normal", doc="truncated_normal: normal numbers within two standard deviations")
random_shuffle = structural(
    "random_shuffle", None, vjp=_NO_GRADIENT, stateful=True,
    infer=lambda inputs, params: (inputs[0].shape, params["dtype"]),
    run=_draw(lambda rng, p, x: rng.permutation(x)), expr="shuffle({0})",
    doc="random_shuffle: the rows of x in a random order")


def _candidates(rng, p):
    """``num_sampled`` classes in [0, range_max), then the number of draws it took (TensorFlow's
    candidate samplers: log-uniform (Zipf) or uniform; ``unique`` redraws a class already
    taken)."""
    n, top, unique = p["num_sampled"], p["range_max"], p["unique"]

    def draw(k):
        if p["distribution"] == "uniform":
            return rng.integers(0, top, size=k)
        # P(c) = log((c + 2) / (c + 1)) / log(range_max + 1): c = floor(e^(u·log(range_max+1))) − 1
        return np.minimum((np.exp(rng.uniform(size=k) * np.log1p(top)) - 1).astype(np.int64),
                          top - 1)

    if not unique:
        return np.append(draw(n), n)
    taken, tries = [], 0
    while len(taken) < n:
        tries += 1
        c = int(draw(1)[0])
        if c not in taken:
            taken.append(c)
    return np.array(taken + [tries])


candidate_sampler = structural(
    "candidate_sampler", None, vjp=(), stateful=True,
    infer=lambda inputs, params: (TensorShape((params["num_sampled"] + 1,)), params["dtype"]),
    run=_draw(_candidates), expr="sample classes",
    doc="candidate_sampler: num_sampled classes drawn at each run (log-uniform or uniform), then "
        "how many draws it took: TensorFlow's LogUniformCandidateSampler/UniformCandidateSampler")
