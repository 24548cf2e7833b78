"""Tracing a Python function: its parameters are the inputs, and a parameter with a default may
be left out (it keeps the default, as in a call)."""

import inspect

from ..errors import ExpressionError
from .expressions import input_tensor
from .notation import short_repr, shorten

__all__ = ["call_arguments"]


def call_arguments(f, inputs):
    """The input tensors, and ``f``'s positional and keyword arguments: a tensor per input, the
    default for a parameter left out. ``ExpressionError`` names what is missing or unknown.

    >>> tensors, args, kwargs = call_arguments(lambda x, k=2: x * k, {"x": 1})
    >>> [t.given_name for t in tensors], args[1:], kwargs
    (['x'], [2], {})
    """
    try:
        params = inspect.signature(f).parameters.values()
    except (TypeError, ValueError):
        raise TypeError(f"trace: cannot read the parameters of {short_repr(f)}") from None
    what = getattr(f, "__name__", "the function")
    star = [p.name for p in params if p.kind in (p.VAR_POSITIONAL, p.VAR_KEYWORD)]
    if star:
        raise ExpressionError(f"trace: {what} takes *{star[0]}: give it one named parameter per "
                              "input, e.g. def f(a, b)")
    names = [p.name for p in params]
    missing = [p.name for p in params if p.name not in inputs and p.default is p.empty]
    extra = [n for n in inputs if n not in names]
    if missing or extra:
        raise ExpressionError(f"trace: {what} takes ({', '.join(names)}); "
                              + (f"missing values for {', '.join(missing)}" if missing else "")
                              + ("; " if missing and extra else "")
                              + (f"unknown inputs {shorten(', '.join(extra), 200)}"
                                 if extra else ""))
    tensors = {n: input_tensor(n, inputs[n]) for n in names if n in inputs}
    args, kwargs = [], {}
    for p in params:
        # Positionally, as the function is called by hand: a signature set on a function of
        # *args (``f.__signature__``) names positions, not keywords.
        if p.kind == p.KEYWORD_ONLY:
            if p.name in tensors:
                kwargs[p.name] = tensors[p.name]
        else:
            args.append(tensors[p.name] if p.name in tensors else p.default)
    return list(tensors.values()), args, kwargs
