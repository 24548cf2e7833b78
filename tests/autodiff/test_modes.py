"""Forward mode and reverse mode agree, and derivatives of derivatives are right.

* On random composite functions (Hypothesis draws a small program of ops over three inputs of
  shapes (2, 3), (3,) and ()), the Jacobian built column by column with ``jvp`` and unit tangents
  equals the one built row by row with ``vjp`` (and with ``gradients``) and unit cotangents, and
  all match finite differences where those resolve the function (values within 100).
* Second derivatives of the lecture's functions through ``grad(grad(f))`` and through
  ``gradients(gradients(y, x)[0], x)``, against exact values or finite differences of the first.
* Forward-over-reverse (``jvp`` of ``grad``), reverse-over-forward and forward-over-forward.
"""

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import teachgrad as tg
from teachgrad.testing import numerical_jvp

H = 1e-6


# ------------------------------------------------------------------------------------------------
# Jacobians by each mode
# ------------------------------------------------------------------------------------------------

def jacobian_forward(f, primals):
    """Columns: jvp with a unit tangent on one element of one input, zeros elsewhere."""
    columns = []
    for i, p in enumerate(primals):
        for k in np.ndindex(p.shape):
            tangents = [np.zeros_like(q) for q in primals]
            tangents[i][k] = 1.0
            _, y_dot = tg.jvp(f, tuple(primals), tuple(tangents))
            columns.append(np.asarray(y_dot, dtype=float).ravel())
    return np.stack(columns, axis=1)


def jacobian_reverse(f, primals):
    """Rows: vjp with a unit cotangent on one element of the output."""
    out, vjp_fn = tg.vjp(f, *primals)
    rows = []
    for k in np.ndindex(out.shape):
        g = np.zeros(out.shape)
        g[k] = 1.0
        rows.append(np.concatenate([np.asarray(x_bar, dtype=float).ravel()
                                    for x_bar in vjp_fn(g)]))
    return np.stack(rows, axis=0)


def jacobian_gradients(f, primals):
    """Rows again, TensorFlow style: ``gradients`` weighted by a unit ``grad_ys``."""
    xs = [tg.constant(p) for p in primals]
    out = f(*xs)
    rows = []
    for k in np.ndindex(out.shape):
        g = np.zeros(out.shape)
        g[k] = 1.0
        rows.append(np.concatenate([np.zeros(x.size) if x_bar is None else x_bar.numpy().ravel()
                                    for x, x_bar in zip(xs, tg.gradients(out, xs, grad_ys=g))]))
    return np.stack(rows, axis=0)


def jacobian_numeric(f, primals):
    """Columns: central differences along a unit tangent on one element of one input."""
    def value(*ps):
        return f(*[tg.constant(p) for p in ps])
    columns = []
    for i, p in enumerate(primals):
        for k in np.ndindex(p.shape):
            tangents = [np.zeros_like(q) for q in primals]
            tangents[i][k] = 1.0
            columns.append(numerical_jvp(value, primals, tangents, H).ravel())
    return np.stack(columns, axis=1)


# ------------------------------------------------------------------------------------------------
# Random composite functions
# ------------------------------------------------------------------------------------------------

# Smooth everywhere on the reals (no domain, no kink), so finite differences apply too.
UNARY = {
    "sin": tg.sin,
    "cos": tg.cos,
    "tanh": tg.tanh,
    "sigmoid": tg.sigmoid,
    "half_square": lambda a: 0.5 * a * a,
    "exp_tanh": lambda a: tg.exp(tg.tanh(a)),
    "log1p_sq": lambda a: tg.log(1.0 + tg.square(a)),
    "sqrt1p_sq": lambda a: tg.sqrt(1.0 + a ** 2),
    "over_sin": lambda a: a / (1.5 + tg.sin(a)),
    "neg": lambda a: -a,
    "sinh_cosh": lambda a: tg.sinh(a) / tg.cosh(a),
    "pow_1_5": lambda a: (1.0 + a * a) ** 1.5,
    "sum_last": lambda a: tg.reduce_sum(a, axis=-1, keepdims=True) if a.ndim else a,
    "mean_first": lambda a: tg.reduce_mean(a, axis=0, keepdims=True) if a.ndim else a,
    "reverse": lambda a: a[..., ::-1] if a.ndim else a,
    "stack_unstack": lambda a: tg.stack([a, 2.0 * a], axis=0)[1] if a.ndim else a,
}

BINARY = {
    "add": lambda a, b: a + b,
    "sub": lambda a, b: a - b,
    "mul": lambda a, b: a * b,
    "div_safe": lambda a, b: a / (1.0 + b * b),
    "maximum": tg.maximum,
    "where_gt": lambda a, b: tg.where(a > b, a * b, b),
    "pow_pos": lambda a, b: (1.0 + a * a) ** tg.tanh(b),
}

SHAPES = [(2, 3), (3,), ()]


@st.composite
def programs(draw):
    steps = []
    for _ in range(draw(st.integers(1, 7))):
        if draw(st.booleans()):
            steps.append((draw(st.sampled_from(sorted(UNARY))), draw(st.integers(0, 99)), None))
        else:
            steps.append((draw(st.sampled_from(sorted(BINARY))), draw(st.integers(0, 99)),
                          draw(st.integers(0, 99))))
    final = draw(st.sampled_from(["last", "sum_of_all", "matmul", "reduce_max"]))
    return steps, final


def build(program, seen=None):
    """The program as a function of three tensors; each step may reuse any earlier value.

    ``seen``, a list, receives the list of every value the program computes (its output last)."""
    steps, final = program

    def f(x, y, z):
        values = [x, y, z]
        if seen is not None:
            seen.append(values)
        for name, i, j in steps:
            a = values[i % len(values)]
            if j is None:
                values.append(UNARY[name](a))
            else:
                values.append(BINARY[name](a, values[j % len(values)]))
        last = values[-1] + 0.0 * x + 0.0 * y          # shape (2, 3), whatever the last value was
        if final == "sum_of_all":
            total = values[0]
            for v in values[1:]:
                total = total + v
            out = total
        elif final == "matmul":
            out = tg.matmul(last, tg.transpose(tg.sin(last)))           # (2, 2)
        elif final == "reduce_max":
            out = tg.reduce_max(last + 0.01 * x, axis=1)                  # (2,)
        else:
            out = last
        values += [last, out]
        return out
    return f


# Central differences with the step H err by about H**2/6 |f3| + eps |f| / H (f3: the third
# derivative along the step), so they resolve a function only where it changes little over H.
# Programs that chain growing steps leave that regime: pow_1_5 three times takes 1.5 to 1e7, and
# the matmul's sin of that turns through whole periods within H, so the difference quotient is
# noise (off by 100 % against a Jacobian of 1e14) while forward and reverse mode still agree to
# 1e-16. The finite-difference comparison therefore runs where every value the program computes
# is at most FINITE_DIFFERENCE_RANGE in magnitude (there |f3| stays below about 1e6: truncation
# about 2e-7 and roundoff about 2e-8, inside its atol of 1e-6); the exact comparisons of the
# modes run on every program, large values included.
FINITE_DIFFERENCE_RANGE = 100.0


def largest_value(program, primals):
    """The largest magnitude among the program's values at ``primals``."""
    seen = []
    build(program, seen)(*[tg.constant(p) for p in primals])
    return max(float(np.max(np.abs(v.numpy()))) for v in seen[0])


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow],
          derandomize=True)
@given(program=programs(), seed=st.integers(0, 2**32 - 1))
def test_forward_jacobian_equals_reverse_jacobian_on_random_graphs(program, seed):
    rng = np.random.default_rng(seed)
    primals = [rng.uniform(-1.5, 1.5, size=s) for s in SHAPES]
    f = build(program)
    forward = jacobian_forward(f, primals)
    reverse = jacobian_reverse(f, primals)
    assert forward.shape == reverse.shape
    np.testing.assert_allclose(forward, reverse, rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(jacobian_gradients(f, primals), reverse, rtol=1e-10, atol=1e-12)
    if "maximum" not in repr(program) and "where_gt" not in repr(program) \
            and program[1] != "reduce_max" \
            and largest_value(program, primals) <= FINITE_DIFFERENCE_RANGE:
        # Away from kinks finite differences must agree too (both modes cannot share one bug).
        np.testing.assert_allclose(reverse, jacobian_numeric(f, primals), rtol=1e-5, atol=1e-6)


STRUCTURED = {
    # A dense layer with a broadcast bias, reduced over the batch.
    "dense": (lambda x, w, b: tg.reduce_sum(tg.tanh(tg.matmul(x, w) + b) ** 2, axis=0),
              [(4, 3), (3, 2), (2,)]),
    # Batched matmul, transpose with perm, reshape, fancy indexing with repeats.
    "batched": (lambda a, b: tg.reshape(tg.transpose(tg.matmul(a, b), (0, 2, 1)), (2, -1))[
        :, [0, 0, 3]], [(2, 2, 3), (2, 3, 2)]),
    # A strided SAME convolution feeding a softmax.
    "conv": (lambda x, w: tg.nn.softmax(tg.reshape(
        tg.nn.conv2d(x, w, strides=[1, 2, 2, 1], padding="SAME"), (1, -1))),
        [(1, 4, 5, 2), (3, 2, 2, 2)]),
    # Concatenation and reductions with keepdims.
    "concat": (lambda a, b: tg.concat([a, tg.reduce_mean(b, axis=1, keepdims=True) * a], axis=1),
               [(3, 2), (3, 4)]),
}


@pytest.mark.parametrize("name", sorted(STRUCTURED))
def test_forward_jacobian_equals_reverse_jacobian_on_structured_graphs(name):
    f, shapes = STRUCTURED[name]
    rng = np.random.default_rng(len(name))
    primals = [rng.normal(size=s) for s in shapes]
    reverse = jacobian_reverse(f, primals)
    np.testing.assert_allclose(jacobian_forward(f, primals), reverse, rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(jacobian_gradients(f, primals), reverse, rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(reverse, jacobian_numeric(f, primals), rtol=1e-5, atol=1e-7)


# ------------------------------------------------------------------------------------------------
# Second derivatives of the lecture's functions
# ------------------------------------------------------------------------------------------------

X = np.linspace(0.25, 3.0, 12)

EXACT = {
    # name: (f, f', f'')
    "x**2": (lambda x: x ** 2, lambda x: 2 * x, lambda x: 2 + 0 * x),
    "cubic": (lambda x: 2 * x ** 3 - 5 * x ** 2 + 3 * x - 1,
              lambda x: 6 * x ** 2 - 10 * x + 3, lambda x: 12 * x - 10),
    "x**.5": (lambda x: x ** .5, lambda x: 0.5 * x ** -0.5, lambda x: -0.25 * x ** -1.5),
    "sin": (tg.sin, np.cos, lambda x: -np.sin(x)),
}


@pytest.mark.parametrize("name", sorted(EXACT))
def test_second_derivative_with_grad_of_grad(name):
    f, d1, d2 = EXACT[name]
    np.testing.assert_allclose(tg.grad(f)(X).numpy(), d1(X), rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(tg.grad(tg.grad(f))(X).numpy(), d2(X), rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("name", sorted(EXACT))
def test_second_derivative_with_gradients_of_gradients(name):
    f, d1, d2 = EXACT[name]
    x = tg.constant(X)
    y = f(x)
    (dy,) = tg.gradients(y, x)
    np.testing.assert_allclose(dy.numpy(), d1(X), rtol=1e-12, atol=1e-12)
    (d2y,) = tg.gradients(dy, x)
    np.testing.assert_allclose(d2y.numpy(), d2(X), rtol=1e-12, atol=1e-12)


def test_third_derivative_of_sin():
    np.testing.assert_allclose(tg.grad(tg.grad(tg.grad(tg.sin)))(X).numpy(), -np.cos(X),
                               rtol=1e-12, atol=1e-12)
    x = tg.constant(X)
    d = tg.sin(x)
    for _ in range(3):
        (d,) = tg.gradients(d, x)
    np.testing.assert_allclose(d.numpy(), -np.cos(X), rtol=1e-12, atol=1e-12)


def seed_w(x):
    """The lecture's composite: y = x**.5; z = log(exp(sin y) + cos 2y) + 1; w = z / (y + cos x)."""
    y = x ** .5
    z = tg.log(tg.exp(tg.sin(y)) + tg.cos(2 * y)) + 1
    return z / (y + tg.cos(x))


def seed_w_numpy(x):
    y = x ** .5
    z = np.log(np.exp(np.sin(y)) + np.cos(2 * y)) + 1
    return z / (y + np.cos(x))


X_W = np.linspace(0.2, 9.0, 23)   # √x + cos x > 0 and exp(sin √x) + cos 2√x > 0 here


def test_seed_composite_first_and_second_derivative():
    x = tg.constant(X_W)
    w = seed_w(x)
    np.testing.assert_allclose(w.numpy(), seed_w_numpy(X_W), rtol=1e-13)

    d1_numeric = numerical_jvp(seed_w_numpy, [X_W], [np.ones_like(X_W)])
    (dw,) = tg.gradients(w, x)
    np.testing.assert_allclose(dw.numpy(), d1_numeric, rtol=1e-6, atol=1e-8)
    np.testing.assert_allclose(tg.grad(seed_w)(X_W).numpy(), dw.numpy(), rtol=1e-13, atol=1e-15)

    # Second derivative: finite differences of the (exact) first derivative.
    d2_numeric = numerical_jvp(tg.grad(seed_w), [X_W], [np.ones_like(X_W)], eps=1e-5)
    (d2w,) = tg.gradients(dw, x)
    np.testing.assert_allclose(d2w.numpy(), d2_numeric, rtol=1e-6, atol=1e-7)
    np.testing.assert_allclose(tg.grad(tg.grad(seed_w))(X_W).numpy(), d2w.numpy(), rtol=1e-12,
                               atol=1e-14)


# ------------------------------------------------------------------------------------------------
# Mixed modes
# ------------------------------------------------------------------------------------------------

def scalar_field(x):
    """A scalar function of a vector with cross terms, so the Hessian is not diagonal."""
    return tg.reduce_sum(tg.sin(x) * x ** 2) + tg.reduce_sum(x[:-1] * tg.exp(0.3 * x[1:])) \
        + tg.reduce_sum(tg.matmul(tg.reshape(x, (2, 2)), tg.reshape(x, (2, 2))))


def hessian_numeric(f, x):
    return np.stack([numerical_jvp(tg.grad(f), [x], [e], eps=1e-5) for e in np.eye(x.size)],
                    axis=1)


def test_forward_over_reverse_hessian_vector_product():
    x = np.array([0.3, -1.2, 0.8, 1.5])
    v = np.array([1.0, -0.5, 2.0, 0.25])
    hessian = hessian_numeric(scalar_field, x)
    np.testing.assert_allclose(hessian, hessian.T, rtol=1e-6, atol=1e-6)

    g, hvp = tg.jvp(tg.grad(scalar_field), (x,), (v,))
    np.testing.assert_allclose(g.numpy(), tg.grad(scalar_field)(x).numpy(), rtol=1e-13)
    np.testing.assert_allclose(hvp.numpy(), hessian @ v, rtol=1e-6, atol=1e-7)

    # Reverse over reverse gives the same product: ∇(∇f · v).
    hvp_rr = tg.grad(lambda t: tg.reduce_sum(tg.grad(scalar_field)(t) * v))(x)
    np.testing.assert_allclose(hvp_rr.numpy(), hvp.numpy(), rtol=1e-12, atol=1e-12)

    # And TensorFlow style: gradients of (gradients · v).
    t = tg.constant(x)
    (g_t,) = tg.gradients(scalar_field(t), t)
    (hvp_tf,) = tg.gradients(g_t, t, grad_ys=v)
    np.testing.assert_allclose(hvp_tf.numpy(), hvp.numpy(), rtol=1e-12, atol=1e-12)


def test_full_hessian_by_forward_over_reverse_is_symmetric():
    x = np.array([0.3, -1.2, 0.8, 1.5])
    columns = [tg.jvp(tg.grad(scalar_field), (x,), (e,))[1].numpy() for e in np.eye(4)]
    hessian = np.stack(columns, axis=1)
    np.testing.assert_allclose(hessian, hessian.T, rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(hessian, hessian_numeric(scalar_field, x), rtol=1e-6, atol=1e-6)


def test_reverse_over_forward_and_forward_over_forward():
    f, _, d2 = EXACT["cubic"]
    ones = np.ones_like(X)

    def derivative(x):  # f' by forward mode, element-wise
        return tg.jvp(f, (x,), (ones,))[1]

    np.testing.assert_allclose(tg.grad(derivative)(X).numpy(), d2(X), rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(tg.jvp(derivative, (X,), (ones,))[1].numpy(), d2(X), rtol=1e-12,
                               atol=1e-12)


def test_grad_of_grad_with_two_arguments():
    """∂²/∂x∂y of x²·y³ is 6·x·y²; a cross derivative needs the inner gradient recorded."""
    def f(x, y):
        return x ** 2 * y ** 3

    x, y = 1.5, -0.7
    d_dx = tg.grad(f, argnums=0)
    assert float(d_dx(x, y)) == pytest.approx(2 * x * y ** 3, rel=1e-13)
    assert float(tg.grad(d_dx, argnums=1)(x, y)) == pytest.approx(6 * x * y ** 2, rel=1e-13)
    assert float(tg.grad(d_dx, argnums=0)(x, y)) == pytest.approx(2 * y ** 3, rel=1e-13)


def test_modes_agree_where_finite_differences_cannot_resolve_the_function():
    """pow_1_5 three times then the matmul's sin: values reach 1e7 and the Jacobian 1e14.

    Finite differences are out of range there (the random test skips only them); forward mode,
    reverse mode and ``gradients`` must still agree exactly."""
    program = ([("pow_1_5", 0, None), ("pow_1_5", 3, None), ("pow_1_5", 4, None)], "matmul")
    primals = [np.random.default_rng(0).uniform(-1.5, 1.5, size=s) for s in SHAPES]
    assert largest_value(program, primals) > 1e6
    f = build(program)
    reverse = jacobian_reverse(f, primals)
    assert np.abs(reverse).max() > 1e12
    np.testing.assert_allclose(jacobian_forward(f, primals), reverse, rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(jacobian_gradients(f, primals), reverse, rtol=1e-10, atol=1e-12)
