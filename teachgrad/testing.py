"""Derivatives checked against central finite differences: :func:`check_grads` (autograd's and
JAX's name and signature) and the two numerical products it is built on.

A central difference ``(f(x + ε·t) − f(x − ε·t)) / 2ε`` is off by ~ε² (truncation) plus
~1e-16/ε (round-off) in float64, so ε = 1e-6 leaves about 1e-10: far below the ``rtol`` of 1e-5
used here, far above what a wrong rule gives. Check away from kinks and poles (``relu`` at 0,
``sqrt`` at 0, ``1/x`` near 0), where a difference quotient means nothing.

Every teachgrad test that compares a derivative with finite differences uses this module; a
student checks an op of their own the same way.
"""

import numpy as np

from .autodiff.transforms import grad, gradients, jvp, vjp
from .core.tensor import constant

__all__ = ["check_grads", "numerical_vjp", "numerical_jvp", "EPS", "RTOL", "ATOL", "MODES"]

EPS = 1e-6                  # the central-difference step
RTOL, ATOL = 1e-5, 1e-7     # |got − fd| <= ATOL + RTOL·|fd|, element by element

# "fwd" and "rev" are JAX's names; "gradients" and "grad" are the other two faces of reverse mode.
MODES = {
    "fwd": "fwd (jvp)",
    "rev": "rev (vjp)",
    "gradients": "gradients (TF-1, grad_ys)",
    "grad": "grad (output summed)",
}


def numerical_vjp(f, args, g, eps=EPS, argnums=None):
    """∂/∂args[i] of ``Σ g·f(*args)`` by central differences, one element at a time, for each
    ``i`` in ``argnums`` (every argument by default): a list of float64 arrays.

    ``f`` takes the NumPy arrays ``args`` (copies, one element moved by ``±eps``) and returns
    anything ``np.asarray`` reads: a NumPy reference or a teachgrad function.

    >>> import numpy as np
    >>> x = np.array([0.0, 1.0])
    >>> [np.round(d, 6) for d in numerical_vjp(lambda a: a ** 2, [x], g=np.ones(2))]
    [array([0., 2.])]
    """
    args = [np.asarray(a) for a in args]
    argnums = range(len(args)) if argnums is None else argnums
    for i in argnums:                  # an integer array would round the step away: no slope
        if args[i].dtype.kind not in "fc":
            args[i] = args[i].astype(np.float64)
    grads = []
    for i in argnums:
        x = args[i]
        gx = np.zeros(x.shape)
        for k in np.ndindex(x.shape):
            plus = [a.copy() for a in args]
            minus = [a.copy() for a in args]
            plus[i][k] += eps
            minus[i][k] -= eps
            difference = np.asarray(f(*plus), dtype=np.float64) - \
                np.asarray(f(*minus), dtype=np.float64)
            gx[k] = np.sum(g * difference) / (2 * eps)
        grads.append(gx)
    return grads


def numerical_jvp(f, args, tangents, eps=EPS):
    """The directional derivative of ``f`` at ``args`` along ``tangents``, by one central
    difference ``(f(args + eps·t) − f(args − eps·t)) / 2eps``.

    >>> import numpy as np
    >>> float(np.round(numerical_jvp(np.sin, [0.0], [2.0]), 6))      # 2·cos(0)
    2.0
    """
    plus = [np.asarray(a, dtype=np.float64) + eps * np.asarray(t) for a, t in zip(args, tangents)]
    minus = [np.asarray(a, dtype=np.float64) - eps * np.asarray(t)
             for a, t in zip(args, tangents)]
    return (np.asarray(f(*plus), dtype=np.float64) - np.asarray(f(*minus), dtype=np.float64)) \
        / (2 * eps)


def check_grads(f, args, order=1, modes=("fwd", "rev"), eps=EPS, rtol=RTOL, atol=ATOL, seed=0):
    """Check ``f``'s derivatives at ``args`` against central finite differences, in each of
    ``modes``, and to ``order`` (2: the derivatives of the derivatives too, as autograd does:
    those made by ``jvp``/``vjp`` checked in ``"fwd"``/``"rev"``/``"grad"``, mixed, and those made
    by ``gradients`` checked by ``gradients``, TensorFlow 1's second derivative).

    ``f`` takes one teachgrad tensor per argument and returns one tensor; ``args`` are numbers or
    arrays (checked in float64). The modes:

    * ``"fwd"``: ``jvp(f, args, t)`` against the central difference along a random ``t``;
    * ``"rev"``: ``vjp(f, *args)[1](g)`` against the central differences of ``Σ g·f``
      (random ``g``);
    * ``"gradients"``: ``tg.gradients(f(*xs), xs, grad_ys=g)``, TensorFlow 1's face, the same;
    * ``"grad"``: ``tg.grad(f, argnums=every argument)``, the output summed.

    Returns ``None``; raises ``AssertionError`` naming every mode that is off and, for each, the
    worst element (index, the derivative, the finite difference). Every mode runs even when one
    fails, so one broken mode does not hide the state of the others. ``seed`` fixes ``g`` and
    ``t``.

    >>> import teachgrad as tg
    >>> check_grads(lambda x, y: tg.sin(x) * y, (0.5, [1.0, 2.0]), order=2)
    >>> check_grads(tg.nn.relu, ([0.0, 1.0],), modes=("rev",))   # at relu's kink
    Traceback (most recent call last):
    ...
    AssertionError: rev (vjp) wrt argument 0: worst element (0,): got 0.0, finite differences ...
    """
    unknown = [m for m in modes if m not in MODES]
    if unknown or not modes:
        raise ValueError(f"check_grads: modes {tuple(modes)!r}: expected some of "
                         f"{tuple(MODES)}")
    if not isinstance(order, int) or isinstance(order, bool) or order < 1:
        raise ValueError(f"check_grads: order {order!r}: expected an int >= 1")
    rng = seed if isinstance(seed, np.random.Generator) else np.random.default_rng(seed)
    args = tuple(np.array(a, dtype=np.float64) for a in args)
    failures = []
    _check(f, args, order, tuple(modes), eps, rtol, atol, rng, failures, "")
    if failures:
        raise AssertionError("\n".join(failures))


def _on_tensors(f):
    """``f`` on NumPy arrays: each becomes a constant, the result a float64 array."""
    return lambda *arrays: np.asarray(f(*[constant(a) for a in arrays]), dtype=np.float64)


def _check(f, args, order, modes, eps, rtol, atol, rng, failures, prefix):
    value = _on_tensors(f)(*args)
    g = rng.normal(size=value.shape)
    tangents = tuple(rng.normal(size=a.shape) for a in args)
    n = len(args)
    expected = {}          # the finite differences, computed once for the modes that need them

    def numeric(weights):
        key = "ones" if weights is None else "g"
        if key not in expected:
            w = np.ones(value.shape) if weights is None else weights
            expected[key] = numerical_vjp(_on_tensors(f), args, w, eps)
        return expected[key]

    def fwd():
        out, y_dot = jvp(f, args, tangents)
        _compare(out, value, 1e-12, 0.0, " value")
        _compare(y_dot, numerical_jvp(_on_tensors(f), args, tangents, eps), rtol, atol, "")

    def rev():
        out, vjp_fn = vjp(f, *args)
        _compare(out, value, 1e-12, 0.0, " value")
        _each(vjp_fn(g), numeric(g), rtol, atol)

    def tf_gradients():
        xs = [constant(a) for a in args]
        got = gradients(f(*xs), xs, grad_ys=g)
        assert isinstance(got, list) and len(got) == n, f": expected a list of {n}, got {got!r}"
        _each(got, numeric(g), rtol, atol)

    def summed():
        got = grad(f, argnums=tuple(range(n)))(*args)
        assert isinstance(got, tuple) and len(got) == n, f": expected a tuple of {n}, got {got!r}"
        _each(got, numeric(None), rtol, atol)

    checks = {"fwd": fwd, "rev": rev, "gradients": tf_gradients, "grad": summed}
    for mode in modes:
        try:
            checks[mode]()
        except AssertionError as e:
            failures.append(f"{prefix}{MODES[mode]}{e}")
        except Exception as e:  # noqa: BLE001 - a mode that raises is a failure of that mode
            failures.append(f"{prefix}{MODES[mode]}: raised {type(e).__name__}: {e}")
    if order > 1:
        _check_derivatives(f, args, order, modes, eps, rtol, atol, rng, failures, prefix, g,
                           tangents)


def _check_derivatives(f, args, order, modes, eps, rtol, atol, rng, failures, prefix, g,
                       tangents):
    """The derivatives are functions of args too: check them the same way, one order down."""
    n = len(args)
    # jvp/vjp/grad nest in one another; TF-1's second derivative is gradients of gradients
    # (tg.gradients does not see inside a jvp/vjp/grad that is not itself nested in one).
    nesting = tuple(m for m in modes if m != "gradients")
    if "fwd" in modes:
        _check(lambda *xs: jvp(f, xs, tangents)[1], args, order - 1, nesting, eps, rtol, atol,
               rng, failures, f"{prefix}order {order} through jvp: ")
    if "rev" in modes or "grad" in modes:
        for i in range(n):
            _check(lambda *xs, i=i: _zeros_for_none(vjp(f, *xs)[1](g)[i], xs[i]), args,
                   order - 1, nesting, eps, rtol, atol, rng, failures,
                   f"{prefix}order {order} through vjp wrt argument {i}: ")
    if "gradients" in modes:
        for i in range(n):
            _check(lambda *xs, i=i: _zeros_for_none(gradients(f(*xs), list(xs), grad_ys=g)[i],
                                                    xs[i]), args,
                   order - 1, ("gradients",), eps, rtol, atol, rng, failures,
                   f"{prefix}order {order} through gradients wrt argument {i}: ")


def _zeros_for_none(x_bar, x):
    return x * 0.0 if x_bar is None else x_bar


def _each(got, expected, rtol, atol):
    for i, (gi, ei) in enumerate(zip(got, expected)):
        _compare(gi, ei, rtol, atol, f" wrt argument {i}")


def _compare(got, expected, rtol, atol, what):
    """Raise AssertionError naming the worst element unless ``got`` is within
    ``atol + rtol·|expected|`` of ``expected`` everywhere. ``None`` (no gradient) passes only
    where the finite differences are zero."""
    expected = np.asarray(expected, dtype=np.float64)
    if got is None:
        if np.all(np.abs(expected) <= atol):
            return
        raise AssertionError(f"{what}: got None (no gradient), finite differences reach "
                             f"{np.max(np.abs(expected))!r}")
    got = np.asarray(got, dtype=np.float64)
    if got.shape != expected.shape:
        raise AssertionError(f"{what}: shape {got.shape}, expected {expected.shape}")
    allowed = atol + rtol * np.abs(expected)
    excess = np.abs(got - expected) - allowed
    excess = np.where(np.isnan(excess), np.inf, excess)
    if got.size == 0 or np.max(excess) <= 0:
        return
    k = np.unravel_index(np.argmax(excess), got.shape)
    off = int(np.sum(excess > 0))
    raise AssertionError(
        f"{what}: worst element {tuple(int(i) for i in k)}: got {got[k].item()!r}, finite "
        f"differences {expected[k].item()!r} (|difference| {abs(got[k] - expected[k]):.3g} > "
        f"{allowed[k]:.3g}); {off} of {got.size} elements off")
