"""The op set of a TensorFlow-1 course, each in both modes against NumPy and finite differences.

For every differentiable op and inputs drawn away from its kinks, :func:`check_op` runs

* **graph mode**: placeholders whose first dimension is unknown (``None``); the result's static
  shape must have ``None`` exactly where the size follows that dimension (found by running the
  NumPy reference at two sizes); ``tg.gradients(y, xs, grad_ys=g)`` is run in a Session;
* **eager mode** (``tg.enable_eager_execution()``): the same on constants, at once;

and compares the value with the NumPy reference and each gradient with central finite
differences of ``Σ g·reference``. TensorFlow's own numbers (from TensorFlow 2.21's
``tensorflow.compat.v1``, written in here) pin the ops whose conventions matter: pooling windows and
ties, cross-entropies, dtypes.
"""

import numpy as np
import pytest

import teachgrad as tg
from teachgrad.testing import numerical_vjp

N = "n"            # the unknown dimension of a placeholder in graph mode
H = 1e-6
RTOL, ATOL = 1e-6, 1e-8


def shaped(spec, n):
    return tuple(n if d == N else d for d in spec)


def run_graph(f, arrays, specs, g, diff):
    phs = [tg.placeholder(a.dtype, shape=[None if d == N else d for d in spec])
           for a, spec in zip(arrays, specs)]
    y = f(*phs)
    grads = tg.gradients(y, [phs[i] for i in diff], grad_ys=g) if diff else []
    with tg.Session() as sess:
        values = sess.run([y] + grads, feed_dict=dict(zip(phs, arrays)))
    return y.shape, values[0], values[1:]


def run_eager(f, arrays, g, diff):
    tg.enable_eager_execution()
    try:
        xs = [tg.constant(a) for a in arrays]
        y = f(*xs)
        grads = tg.gradients(y, [xs[i] for i in diff], grad_ys=g) if diff else []
        return y.shape, y.numpy(), [gr.numpy() for gr in grads]
    finally:
        tg.disable_eager_execution()


def check_op(mode, f, ref, specs, samplers, seed=0, diff=None, n=3, rtol=RTOL):
    """``f`` (teachgrad) against ``ref`` (NumPy) in ``mode``, value and gradients (see the
    module docstring). ``samplers[i](rng, shape)`` draws input i; ``diff`` lists the inputs to
    differentiate (the floating ones by default); ``rtol`` loosens the checks for an op that
    computes in float32 whatever its inputs (tf.losses, as TensorFlow)."""
    rng = np.random.default_rng(seed)
    arrays = [sample(rng, shaped(spec, n)) for sample, spec in zip(samplers, specs)]
    if diff is None:
        diff = [i for i, a in enumerate(arrays) if a.dtype.kind == "f"]
    expected = np.asarray(ref(*arrays))
    g = rng.normal(size=expected.shape)
    if mode == "graph":
        static, value, grads = run_graph(f, arrays, specs, g, diff)
        other = np.shape(ref(*[sample(np.random.default_rng(seed), shaped(spec, n + 2))
                               for sample, spec in zip(samplers, specs)]))
        want = [a if a == b else None for a, b in zip(expected.shape, other)]
        assert static.as_list() == want, f"static shape {static} != {want}"
        assert isinstance(value, (np.ndarray, np.generic))
    else:
        static, value, grads = run_eager(f, arrays, g, diff)
        assert static == expected.shape
    np.testing.assert_allclose(value, expected, rtol=1e-10 if rtol == RTOL else rtol,
                               atol=1e-12)
    assert np.result_type(value) == expected.dtype, (np.result_type(value), expected.dtype)
    for i, got, want in zip(diff, grads, numerical_vjp(ref, arrays, g, H, argnums=diff)):
        np.testing.assert_allclose(got, want, rtol=rtol, atol=ATOL, err_msg=f"input {i}")


# ------------------------------------------------------------------------------------------------
# Samplers (float64, away from each op's kinks) and the NumPy references
# ------------------------------------------------------------------------------------------------

def normal(rng, shape):
    return rng.normal(size=shape)


def positive(rng, shape):
    return rng.uniform(0.5, 2.0, size=shape)


def away(rng, shape):
    return rng.choice([-1.0, 1.0], size=shape) * rng.uniform(0.3, 2.0, size=shape)


def distinct(rng, shape):
    """Well-separated values: reductions and pools never meet a tie."""
    return rng.permutation(int(np.prod(shape))).reshape(shape) * 0.37 - 2.0


def conditioned(rng, shape):
    """Batches of well-conditioned square matrices."""
    return rng.normal(size=shape) * 0.3 + 2.0 * np.eye(shape[-1])


def softmax(x, axis=-1):
    e = np.exp(x - x.max(axis=axis, keepdims=True))
    return e / e.sum(axis=axis, keepdims=True)


def probabilities(rng, shape):
    return softmax(rng.normal(size=shape))


CONDITION = np.array([True, False, True])
INDICES = np.array([2, 0, 2, 1])
LABELS = np.array([1, 0, 2])


def _pool_ref(x, k, s, padding, reduce):
    """Pooling by its definition, window by window, padding never counted."""
    n, h, w, c = x.shape

    def geometry(size):
        out = (size - k) // s + 1 if padding == "VALID" else -(-size // s)
        total = max((out - 1) * s + k - size, 0) if padding == "SAME" else 0
        return out, total // 2

    (ho, top), (wo, left) = geometry(h), geometry(w)
    out = np.zeros((n, ho, wo, c))
    for r in range(ho):
        for q in range(wo):
            rows = slice(max(r * s - top, 0), min(r * s - top + k, h))
            cols = slice(max(q * s - left, 0), min(q * s - left + k, w))
            out[:, r, q, :] = reduce(x[:, rows, cols, :], axis=(1, 2))
    return out


# name: (teachgrad function, NumPy reference, input specs, samplers)
DIFFERENTIABLE = {
    "add": (tg.add, np.add, [(N, 2), (2,)], [normal, normal]),
    "subtract": (tg.subtract, np.subtract, [(N, 2), (N, 2)], [normal, normal]),
    "multiply": (tg.multiply, np.multiply, [(N, 2), (N, 1)], [normal, normal]),
    "divide": (tg.divide, np.divide, [(N, 2), (2,)], [normal, away]),
    "truediv": (tg.truediv, np.true_divide, [(N,), (N,)], [normal, away]),
    "negative": (tg.negative, np.negative, [(N, 2)], [normal]),
    "square": (tg.square, np.square, [(N, 2)], [normal]),
    "pow": (tg.pow, np.power, [(N, 2), (2,)], [positive, normal]),
    "reduce_sum": (lambda x: tg.reduce_sum(x, axis=1), lambda x: x.sum(1), [(N, 3, 2)], [normal]),
    "reduce_sum all": (tg.reduce_sum, np.sum, [(N, 3)], [normal]),
    "reduce_sum keep_dims": (lambda x: tg.reduce_sum(x, 0, keep_dims=True),
                             lambda x: x.sum(0, keepdims=True), [(N, 3)], [normal]),
    "reduce_mean": (tg.reduce_mean, np.mean, [(N, 3)], [normal]),
    "reduce_mean axis 0": (lambda x: tg.reduce_mean(x, axis=0), lambda x: x.mean(0),
                           [(N, 3)], [normal]),
    "reduce_mean keepdims": (lambda x: tg.reduce_mean(x, [0, 2], keepdims=True),
                             lambda x: x.mean((0, 2), keepdims=True), [(N, 3, 2)], [normal]),
    "reduce_max": (lambda x: tg.reduce_max(x, axis=-1), lambda x: x.max(-1), [(N, 4)], [distinct]),
    "reduce_max over batch": (lambda x: tg.reduce_max(x, axis=0), lambda x: x.max(0),
                              [(N, 4)], [distinct]),
    "reduce_min": (lambda x: tg.reduce_min(x, axis=1, keep_dims=True),
                   lambda x: x.min(1, keepdims=True), [(N, 4)], [distinct]),
    "reduce_min all": (tg.reduce_min, np.min, [(N, 4)], [distinct]),
    "reduce_prod": (lambda x: tg.reduce_prod(x, axis=1), lambda x: x.prod(1), [(N, 3)], [away]),
    "reduce_prod all": (tg.reduce_prod, np.prod, [(N, 2)], [away]),
    "reduce_logsumexp": (lambda x: tg.reduce_logsumexp(x, axis=1),
                         lambda x: np.log(np.exp(x).sum(1)), [(N, 3)], [normal]),
    "where": (lambda x, y: tg.where(CONDITION, x, y), lambda x, y: np.where(CONDITION, x, y),
              [(3,), (3,)], [normal, normal]),
    "where rows": (lambda x, y: tg.where(CONDITION, x, y),
                   lambda x, y: np.where(CONDITION[:, None], x, y), [(3, N), (3, N)],
                   [normal, normal]),
    "tensordot": (lambda a, b: tg.tensordot(a, b, 1), lambda a, b: np.tensordot(a, b, 1),
                  [(N, 4), (4, 2)], [normal, normal]),
    "tensordot pairs": (lambda a, b: tg.tensordot(a, b, [[1, 2], [1, 0]]),
                        lambda a, b: np.tensordot(a, b, [[1, 2], [1, 0]]),
                        [(N, 2, 4), (4, 2, 3)], [normal, normal]),
    "expand_dims": (lambda x: tg.expand_dims(x, 1), lambda x: x[:, None], [(N, 2)], [normal]),
    "expand_dims -1": (lambda x: tg.expand_dims(x, -1), lambda x: x[..., None], [(N,)],
                       [normal]),
    "squeeze": (lambda x: tg.squeeze(x, axis=1), lambda x: x[:, 0], [(N, 1, 2)], [normal]),
    "squeeze all": (tg.squeeze, lambda x: x[:, 0, :, 0], [(N, 1, 2, 1)], [normal]),
    "concat": (lambda a, b: tg.concat([a, b], axis=1), lambda a, b: np.concatenate([a, b], 1),
               [(N, 2), (N, 3)], [normal, normal]),
    "stack": (lambda a, b: tg.stack([a, b], axis=1), lambda a, b: np.stack([a, b], 1),
              [(N, 2), (N, 2)], [normal, normal]),
    "unstack": (lambda x: tg.stack(tg.unstack(x, axis=1)[::-1], axis=0),
                lambda x: np.stack([x[:, 2], x[:, 1], x[:, 0]], 0), [(N, 3)], [normal]),
    "tile": (lambda x: tg.tile(x, [2, 3]), lambda x: np.tile(x, [2, 3]), [(N, 2)], [normal]),
    "gather": (lambda x: tg.gather(x, INDICES), lambda x: x[INDICES], [(3, N)], [normal]),
    "gather axis 1": (lambda x: tg.gather(x, INDICES, axis=1), lambda x: x[:, INDICES],
                      [(N, 3)], [normal]),
    "clip_by_value": (lambda x: tg.clip_by_value(x, -0.5, 0.5), lambda x: np.clip(x, -0.5, 0.5),
                      [(N, 4)], [lambda rng, s: away(rng, s) * 0.8 + np.sign(away(rng, s)) * 0.05]),
    "matrix_inverse": (tg.matrix_inverse, np.linalg.inv, [(N, 3, 3)], [conditioned]),
    "linalg.inv": (tg.linalg.inv, np.linalg.inv, [(2, N, N)], [conditioned]),
    "matrix_determinant": (tg.matrix_determinant, np.linalg.det, [(N, 3, 3)], [conditioned]),
    "matrix_transpose": (tg.matrix_transpose, lambda x: np.swapaxes(x, -1, -2), [(N, 2, 3)],
                         [normal]),
    "diag": (tg.diag, np.diag, [(N,)], [normal]),
    "diag_part": (tg.diag_part, np.diag, [(3, 3)], [normal]),
    "linalg.diag": (tg.linalg.diag, lambda x: np.eye(3) * x[:, None, :], [(N, 3)], [normal]),
    "linalg.trace": (tg.linalg.trace, lambda x: np.trace(x, axis1=-2, axis2=-1), [(N, 3, 3)],
                     [normal]),
    "identity": (tg.identity, lambda x: x, [(N, 2)], [normal]),
    "fill": (lambda v: tg.fill([2, 3], v), lambda v: np.full((2, 3), v), [()], [normal]),
    "log1p": (tg.log1p, np.log1p, [(N, 2)], [positive]),
    "squared_difference": (tg.squared_difference, lambda a, b: (a - b) ** 2, [(N, 2), (2,)],
                           [normal, normal]),
    "nn.sigmoid": (tg.nn.sigmoid, lambda x: 1 / (1 + np.exp(-x)), [(N, 3)], [normal]),
    "nn.tanh": (tg.nn.tanh, np.tanh, [(N, 3)], [normal]),
    "nn.relu": (tg.nn.relu, lambda x: np.maximum(x, 0), [(N, 3)], [away]),
    "nn.softplus": (tg.nn.softplus, lambda x: np.log1p(np.exp(x)), [(N, 3)], [normal]),
    "nn.leaky_relu": (tg.nn.leaky_relu, lambda x: np.where(x > 0, x, 0.2 * x), [(N, 3)], [away]),
    "nn.softmax": (tg.nn.softmax, softmax, [(N, 4)], [normal]),
    "nn.log_softmax": (tg.nn.log_softmax, lambda x: np.log(softmax(x)), [(N, 4)], [normal]),
    "nn.softmax_cross_entropy_with_logits_v2": (
        lambda z, x: tg.nn.softmax_cross_entropy_with_logits_v2(labels=z, logits=x),
        lambda z, x: -(z * np.log(softmax(x))).sum(-1), [(N, 3), (N, 3)],
        [probabilities, normal]),
    "nn.sparse_softmax_cross_entropy_with_logits": (
        lambda x: tg.nn.sparse_softmax_cross_entropy_with_logits(labels=LABELS, logits=x),
        lambda x: -np.log(softmax(x))[np.arange(3), LABELS], [(3, 4)], [normal]),
    "nn.sigmoid_cross_entropy_with_logits": (
        lambda z, x: tg.nn.sigmoid_cross_entropy_with_logits(labels=z, logits=x),
        lambda z, x: -z * np.log(1 / (1 + np.exp(-x))) - (1 - z) * np.log(1 - 1 / (1 + np.exp(-x))),
        [(N, 3), (N, 3)], [lambda rng, s: rng.uniform(0, 1, s), away]),
    "nn.l2_loss": (tg.nn.l2_loss, lambda x: (x ** 2).sum() / 2, [(N, 3)], [normal]),
    "losses.mean_squared_error": (
        lambda z, p: tg.losses.mean_squared_error(z, p), lambda z, p: ((p - z) ** 2).mean(),
        [(N, 2), (N, 2)], [normal, normal]),
    "nn.bias_add": (tg.nn.bias_add, np.add, [(N, 2, 3), (3,)], [normal, normal]),
    "nn.max_pool VALID": (lambda x: tg.nn.max_pool(x, 2, 2, "VALID"),
                          lambda x: _pool_ref(x, 2, 2, "VALID", np.max), [(N, 4, 4, 2)],
                          [distinct]),
    "nn.max_pool SAME": (lambda x: tg.nn.max_pool(x, [1, 3, 3, 1], [1, 2, 2, 1], "SAME"),
                         lambda x: _pool_ref(x, 3, 2, "SAME", np.max), [(N, 5, 5, 1)],
                         [distinct]),
    "nn.avg_pool VALID": (lambda x: tg.nn.avg_pool(x, 2, 1, "VALID"),
                          lambda x: _pool_ref(x, 2, 1, "VALID", np.mean), [(N, 3, 3, 2)],
                          [normal]),
    "nn.avg_pool SAME": (lambda x: tg.nn.avg_pool(x, 3, 2, "SAME"),
                         lambda x: _pool_ref(x, 3, 2, "SAME", np.mean), [(N, 5, 4, 1)],
                         [normal]),
}


# Computed in float32 whatever the inputs, as TensorFlow's tf.losses.
FLOAT32_INSIDE = {"losses.mean_squared_error": 2e-5}


@pytest.mark.parametrize("mode", ["graph", "eager"])
@pytest.mark.parametrize("name", sorted(DIFFERENTIABLE))
def test_op_value_and_gradient(name, mode):
    f, ref, specs, samplers = DIFFERENTIABLE[name]
    check_op(mode, f, ref, specs, samplers, rtol=FLOAT32_INSIDE.get(name, RTOL))


# ------------------------------------------------------------------------------------------------
# TensorFlow's own numbers (tensorflow.compat.v1, float32)
# ------------------------------------------------------------------------------------------------

def both_modes(build):
    """``build()`` evaluated in graph mode (through a Session) and in eager mode."""
    graph_values = tg.Session().run(build())
    tg.enable_eager_execution()
    try:
        eager_values = _numpy(build())
    finally:
        tg.disable_eager_execution()
    return graph_values, eager_values


def _numpy(x):
    if isinstance(x, dict):
        return {k: _numpy(v) for k, v in x.items()}
    if isinstance(x, (list, tuple)):
        return [_numpy(v) for v in x]
    return x.numpy()


TIES = np.array([[1, 3, 3, 0], [2, 3, 1, 1], [0, 5, 5, 2], [4, 1, 0, 5]],
                np.float32).reshape(1, 4, 4, 1)
MOD7 = (np.arange(25, dtype=np.float32).reshape(1, 5, 5, 1) % 7)
WEIGHTS = np.arange(1, 10, dtype=np.float32).reshape(1, 3, 3, 1)


def test_pooling_matches_tensorflow_with_ties_and_same_padding():
    def build():
        x, x5 = tg.constant(TIES), tg.constant(MOD7)
        mp = tg.nn.max_pool(x, 2, 2, "VALID")
        mps = tg.nn.max_pool(x5, 3, 2, "SAME")
        ap = tg.nn.avg_pool(x5, 3, 2, "SAME")
        grads = tg.gradients([tg.reduce_sum(mp * WEIGHTS[:, :2, :2]), tg.reduce_sum(mps * WEIGHTS),
                              tg.reduce_sum(ap * WEIGHTS)], [x, x5])
        return {"mp": mp, "mps": mps, "ap": ap, "ap2": tg.nn.avg_pool(x5, 2, 2, "VALID"),
                "g_ties": grads[0], "g_same": grads[1]}
    for got in both_modes(build):
        squeeze = {k: np.squeeze(v) for k, v in got.items()}
        np.testing.assert_array_equal(squeeze["mp"], [[3, 3], [5, 5]])
        np.testing.assert_array_equal(squeeze["mps"], [[6, 6, 4], [6, 6, 6], [6, 4, 5]])
        np.testing.assert_allclose(squeeze["ap"], [[3.0, 2.1666667, 2.5], [3.5, 3.4444444, 3.0],
                                                   [2.25, 2.0, 3.5]], rtol=1e-6)
        np.testing.assert_array_equal(squeeze["ap2"], [[3.0, 1.5], [2.5, 4.5]])
        # A tie in a window: the first largest element (row by row) takes the gradient.
        np.testing.assert_array_equal(squeeze["g_ties"], [[0, 1, 2, 0], [0, 0, 0, 0],
                                                          [0, 4, 5, 0], [0, 0, 0, 0]])
        np.testing.assert_allclose(squeeze["g_same"], [
            [0.25, 0.58333337, 0.33333334, 1.0833334, 3.75],
            [0.9166667, 13.805555, 0.88888896, 2.6388888, 1.75],
            [0.6666667, 1.2222223, 0.5555556, 7.5555553, 1.0],
            [2.4166667, 4.3055558, 1.888889, 13.138889, 12.25],
            [8.75, 3.0833335, 1.3333334, 3.5833335, 2.25]], rtol=1e-6)


LOGITS = [[1.0, 2.0, 0.5], [-1.0, 0.0, 3.0]]
SOFT_LABELS = [[0.2, 0.7, 0.1], [0.0, 0.0, 1.0]]


def test_cross_entropies_match_tensorflow():
    def build():
        logits, labels = tg.constant(LOGITS), tg.constant(SOFT_LABELS)
        ce = tg.nn.softmax_cross_entropy_with_logits_v2(labels=labels, logits=logits)
        sig = tg.nn.sigmoid_cross_entropy_with_logits(
            labels=[[1.0, 0.0, 0.5], [0.0, 1.0, 0.3]], logits=logits)
        return {"ce": ce, "sce": tg.nn.sparse_softmax_cross_entropy_with_logits(
                    labels=[1, 2], logits=logits),
                "sig": sig, "lsm": tg.nn.log_softmax(logits),
                "g_ce": tg.gradients(ce, [logits, labels]), "g_sig": tg.gradients(sig, logits)[0],
                "mse": tg.losses.mean_squared_error(
                    [[1.0, 2.0], [3.0, 4.0]], [[1.5, 1.0], [3.0, 6.0]], weights=[[1.0], [0.0]])}
    for got in both_modes(build):
        close = lambda a, b: np.testing.assert_allclose(a, b, rtol=2e-6, atol=1e-7)  # noqa: E731
        close(got["ce"], [0.81436884, 0.06588391])
        close(got["sce"], [0.4643688, 0.06588391])
        close(got["sig"], [[0.3132617, 2.126928, 0.724077], [0.3132617, 0.6931472, 2.1485872]])
        close(got["lsm"], [[-1.4643688, -0.4643688, -1.9643688],
                           [-4.065884, -3.065884, -0.06588391]])
        close(got["g_ce"][0], [[0.03122389, -0.0714683, 0.04024438],
                               [0.01714783, 0.04661262, -0.06376046]])
        close(got["g_ce"][1], [[1.4643688, 0.4643688, 1.9643688], [4.065884, 3.065884, 0.06588391]])
        close(got["g_sig"], [[-0.2689414, 0.8807971, 0.1224593], [0.2689414, -0.5, 0.6525741]])
        close(got["mse"], 0.625)   # (0.25 + 1) / 2: the zero-weight row does not count


def test_softmax_cross_entropy_v1_stops_the_gradient_into_labels():
    logits, labels = tg.constant(LOGITS), tg.constant(SOFT_LABELS)
    ce = tg.nn.softmax_cross_entropy_with_logits(labels=labels, logits=logits)
    g_logits, g_labels = tg.gradients(ce, [logits, labels])
    assert g_labels is None and g_logits is not None
    with pytest.raises(ValueError, match="named arguments"):
        tg.nn.softmax_cross_entropy_with_logits(SOFT_LABELS, LOGITS)


def test_sparse_labels_out_of_range_fail_when_run():
    labels = tg.placeholder(tg.int32, (None,))
    loss = tg.nn.sparse_softmax_cross_entropy_with_logits(labels=labels, logits=tg.constant(LOGITS))
    assert loss.shape.as_list() == [2]
    with tg.Session() as sess:
        np.testing.assert_allclose(sess.run(loss, {labels: [1, 2]}), [0.4643688, 0.06588391],
                                   rtol=2e-6)
        with pytest.raises(tg.errors.InvalidArgumentError, match="label value of 3 .* \\[0, 3\\)"):
            sess.run(loss, {labels: [1, 3]})


def test_dtypes_are_tensorflow_1s():
    assert tg.rank(tg.zeros((2, 3))).dtype == tg.int32
    assert tg.size(tg.zeros((2, 3))).dtype == tg.int32
    assert tg.shape(tg.zeros((2, 3))).dtype == tg.int32
    assert tg.argmax([1.0, 2.0]).dtype == tg.int64 and tg.argmin([1.0, 2.0]).dtype == tg.int64
    assert tg.where([True, False]).dtype == tg.int64
    assert tg.where([True, False]).shape == (1, 1)
    assert tg.one_hot([1], 2).dtype == tg.float32
    assert tg.equal(1.0, 2.0).dtype == tg.bool
    assert tg.truediv(tg.constant(1), tg.constant(2)).dtype == tg.float64
    assert tg.truediv(tg.constant(np.int16(1)), tg.constant(np.int16(2))).dtype == tg.float32
    assert tg.fill([2], 7).dtype == tg.int32 and tg.fill([2], 7.0).dtype == tg.float32
    assert tg.eye(2).dtype == tg.float32
    with pytest.raises(TypeError, match="float32 .* int32"):
        tg.add(tg.constant(1), tg.constant(1.0))


# ------------------------------------------------------------------------------------------------
# Ops without a derivative, both modes, with unknown sizes in graph mode
# ------------------------------------------------------------------------------------------------

BOOL = lambda rng, s: rng.random(size=s) < 0.5                          # noqa: E731
INTS = lambda rng, s: rng.integers(0, 3, size=s).astype(np.int32)      # noqa: E731

# name: (teachgrad function, NumPy reference, input specs, samplers)
NOT_DIFFERENTIABLE = {
    "argmax": (lambda x: tg.argmax(x, axis=1), lambda x: np.argmax(x, 1), [(N, 4)], [distinct]),
    "argmax axis 0 by default": (tg.argmax, lambda x: np.argmax(x, 0), [(N, 4)], [distinct]),
    "argmin": (lambda x: tg.argmin(x, 1), lambda x: np.argmin(x, 1), [(N, 4)], [distinct]),
    "equal": (tg.equal, np.equal, [(N, 3), (N, 3)], [INTS, INTS]),
    "not_equal": (tg.not_equal, np.not_equal, [(N, 3), (3,)], [INTS, INTS]),
    "greater": (tg.greater, np.greater, [(N, 3), (N, 3)], [normal, normal]),
    "less": (tg.less, np.less, [(N, 3), ()], [normal, normal]),
    "logical_and": (tg.logical_and, np.logical_and, [(N, 3), (N, 3)], [BOOL, BOOL]),
    "logical_or": (tg.logical_or, np.logical_or, [(N, 3), (3,)], [BOOL, BOOL]),
    "logical_xor": (tg.logical_xor, np.logical_xor, [(N, 3), (N, 3)], [BOOL, BOOL]),
    "logical_not": (tg.logical_not, np.logical_not, [(N, 3)], [BOOL]),
    "one_hot": (lambda i: tg.one_hot(i, 3), lambda i: np.eye(3, dtype=np.float32)[i], [(N,)],
                [INTS]),
    "one_hot axis 0": (lambda i: tg.one_hot(i, 3, on_value=5.0, off_value=-1.0, axis=0),
                       lambda i: np.where(np.eye(3, dtype=bool)[i].T, 5.0, -1.0).astype(np.float32),
                       [(N,)], [INTS]),
    "zeros_like": (tg.zeros_like, np.zeros_like, [(N, 2)], [normal]),
    "ones_like": (tg.ones_like, np.ones_like, [(N, 2)], [INTS]),
    "fill from a shape": (lambda x: tg.fill(tg.shape(x), 2.5),
                          lambda x: np.full(x.shape, 2.5, np.float32), [(N, 2)], [normal]),
    "size": (tg.size, lambda x: np.int32(x.size), [(N, 2)], [normal]),
    "shape": (tg.shape, lambda x: np.array(x.shape, np.int32), [(N, 2)], [normal]),
    "rank": (tg.rank, lambda x: np.int32(x.ndim), [(N, 2)], [normal]),
    "floor": (tg.floor, np.floor, [(N, 2)], [normal]),
    "where(condition)": (tg.where, lambda c: np.argwhere(c), [(N, 2)], [BOOL]),
    "count_nonzero": (lambda x: tg.count_nonzero(x, axis=1), lambda x: np.count_nonzero(x, 1),
                      [(N, 3)], [INTS]),
    "reduce_any": (lambda x: tg.reduce_any(x, 1), lambda x: x.any(1), [(N, 3)], [BOOL]),
    "reduce_all": (lambda x: tg.reduce_all(x, 0), lambda x: x.all(0), [(N, 3)], [BOOL]),
}


@pytest.mark.parametrize("mode", ["graph", "eager"])
@pytest.mark.parametrize("name", sorted(NOT_DIFFERENTIABLE))
def test_op_value(name, mode):
    f, ref, specs, samplers = NOT_DIFFERENTIABLE[name]
    if name.startswith("where(") and mode == "graph":
        # Where's row count depends on the values: only its rank is known before it runs.
        x = tg.placeholder(tg.bool, (None, 2))
        assert tg.where(x).shape.as_list() == [None, 2]
    check_op(mode, f, ref, specs, samplers, diff=[], n=4 if name.startswith("where(") else 3)


def test_comparisons_and_integer_results_have_no_gradient():
    x = tg.constant([1.0, -2.0])
    assert tg.gradients(tg.cast(tg.greater(x, 0.0), tg.float32), x) == [None]
    assert tg.gradients(tg.cast(tg.argmax(x), tg.float32), x) == [None]
    assert tg.gradients(tg.zeros_like(x) + tg.floor(x), x) == [None]


def test_rank_is_a_constant_when_known_and_shape_is_a_tensor():
    x = tg.placeholder(tg.float32, (None, 3))
    assert tg.rank(x).has_value and int(tg.rank(x)) == 2
    s = tg.shape(x)
    assert isinstance(s, tg.Tensor) and not s.has_value and s.shape == (2,)
    with tg.Session() as sess:
        np.testing.assert_array_equal(sess.run(s, {x: np.zeros((5, 3))}), [5, 3])


# ------------------------------------------------------------------------------------------------
# Structure: identity, group, no_op, control_dependencies, eye; bad input
# ------------------------------------------------------------------------------------------------

def test_group_no_op_and_control_dependencies_run_what_they_hold():
    v = tg.Variable(0.0)
    add_one, add_ten = v.assign_add(1.0), v.assign_add(10.0)
    both = tg.group(add_one, add_ten)
    with tg.control_dependencies([add_one]):
        read_after = tg.identity(v)
        nothing = tg.no_op()
    with tg.Session() as sess:
        sess.run(tg.global_variables_initializer())
        assert sess.run(both) is None and float(sess.run(v)) == 11.0
        sess.run(nothing)
        assert float(sess.run(v)) == 12.0
        sess.run(tg.no_op())
        assert float(sess.run(v)) == 12.0
        sess.run(read_after)
        assert float(sess.run(v)) == 13.0


def test_eye_shapes():
    np.testing.assert_array_equal(tg.eye(2, 3).numpy(), np.eye(2, 3))
    assert tg.eye(2, batch_shape=[4]).shape == (4, 2, 2)
    assert tg.eye(3, dtype=tg.float64).dtype == tg.float64


@pytest.mark.parametrize("call, error, message", [
    (lambda: tg.squeeze(tg.zeros((2, 3)), axis=1), tg.ShapeError, "cannot squeeze axis 1"),
    (lambda: tg.expand_dims(tg.zeros((2,)), 3), tg.ShapeError, "axis 3 is out of range"),
    (lambda: tg.tile(tg.zeros((2, 3)), [2]), tg.ShapeError, "1 multiples for a tensor of rank 2"),
    (lambda: tg.gather([1.0, 2.0], [0.5]), TypeError, "indices of dtype float32"),
    (lambda: tg.unstack(tg.placeholder(tg.float32, (None,))), ValueError, "cannot infer num"),
    (lambda: tg.matrix_inverse(tg.zeros((2, 3))), tg.ShapeError, "expected square matrices"),
    (lambda: tg.matrix_inverse(tg.zeros((2, 2))), tg.errors.InvalidArgumentError,
     "not invertible"),
    (lambda: tg.tensordot(tg.zeros((2, 3)), tg.zeros((2, 3)), 1), tg.ShapeError, "paired"),
    (lambda: tg.logical_and([1, 0], [True, False]), TypeError, "expected bool"),
    (lambda: tg.nn.bias_add(tg.zeros((2, 3)), tg.zeros(4)), tg.ShapeError, "last dimension"),
    (lambda: tg.nn.max_pool(tg.zeros((4, 4)), 2, 2, "VALID"), tg.ShapeError, "4 dimensions"),
    (lambda: tg.nn.max_pool(tg.zeros((1, 4, 4, 1)), 2, 2, "FULL"), ValueError, "padding"),
    (lambda: tg.concat([tg.zeros((2, 3)), tg.zeros((2, 4))], axis=0), tg.ShapeError,
     "same shape except"),
    (lambda: tg.stack([tg.zeros(2), tg.zeros(3)]), tg.ShapeError, "all the same shape"),
])
def test_bad_input_is_a_clear_error(call, error, message):
    with pytest.raises(error, match=message):
        call()


# ------------------------------------------------------------------------------------------------
# layers.dense, and gradients through a batch of unknown size
# ------------------------------------------------------------------------------------------------

def test_dense_names_shapes_and_values_as_tensorflow_1():
    x = tg.placeholder(tg.float32, (None, 4), name="x")
    h = tg.layers.dense(x, 3, activation=tg.nn.relu)
    y = tg.layers.dense(h, 2, use_bias=False, name="out")
    assert [v.name for v in tg.trainable_variables()] == [
        "dense/kernel:0", "dense/bias:0", "out/kernel:0"]
    assert h.shape.as_list() == [None, 3] and y.shape.as_list() == [None, 2]
    assert h.op.type == "Relu" and h.op.name.startswith("dense/")
    kernel, bias, out_kernel = tg.trainable_variables()
    data = np.random.default_rng(0).normal(size=(5, 4)).astype(np.float32)
    with tg.Session() as sess:
        sess.run(tg.global_variables_initializer())
        k, b, k2, got = sess.run([kernel, bias, out_kernel, y], {x: data})
    limit = np.sqrt(6 / (4 + 3))                      # Glorot-uniform, as TensorFlow's default
    assert np.all(np.abs(k) <= limit) and np.all(b == 0)
    np.testing.assert_allclose(got, np.maximum(data @ k + b, 0) @ k2, rtol=1e-5, atol=1e-6)


def test_dense_reuse_and_rank_3_inputs():
    x = tg.placeholder(tg.float32, (None, 5, 4))
    first = tg.layers.dense(x, 2, name="shared")
    again = tg.layers.dense(x, 2, name="shared", reuse=True)
    assert len(tg.trainable_variables()) == 2 and first.shape.as_list() == [None, 5, 2]
    with pytest.raises(ValueError, match="shared/kernel already exists"):
        tg.layers.dense(x, 2, name="shared")
    data = np.ones((3, 5, 4), np.float32)
    with tg.Session() as sess:
        sess.run(tg.global_variables_initializer())
        a, b = sess.run([first, again], {x: data})
    np.testing.assert_array_equal(a, b)


def test_dense_layers_unnamed_take_the_next_free_name_and_train():
    x = tg.placeholder(tg.float32, (None, 2))
    target = tg.placeholder(tg.float32, (None, 1))
    hidden = tg.layers.dense(x, 8, activation=tg.nn.tanh,
                             kernel_initializer=tg.random_normal_initializer(seed=1))
    out = tg.layers.dense(hidden, 1, kernel_initializer=tg.random_normal_initializer(seed=2))
    assert out.op.name.startswith("dense_1/")
    loss = tg.losses.mean_squared_error(target, out)
    step = tg.train.AdamOptimizer(0.05).minimize(loss)
    data = np.random.default_rng(0).uniform(-1, 1, size=(64, 2)).astype(np.float32)
    labels = (data[:, :1] * data[:, 1:]).astype(np.float32)     # xy: needs the hidden layer
    with tg.Session() as sess:
        sess.run(tg.global_variables_initializer())
        first = sess.run(loss, {x: data, target: labels})
        for _ in range(300):
            sess.run(step, {x: data, target: labels})
        last = sess.run(loss, {x: data, target: labels})
    assert last < 0.1 * first


def test_gradients_through_a_batch_of_unknown_size_equal_those_of_a_known_one():
    """Two layers, a broadcast bias, a mean over the batch, a slice, a reshape: the gradient
    graph with a batch of unknown size (its rules read sizes when it runs) gives the numbers of
    the one built for a known batch."""
    rng = np.random.default_rng(3)
    data = rng.normal(size=(6, 3))
    w1, w2 = tg.Variable(rng.normal(size=(3, 4))), tg.Variable(rng.normal(size=(4, 1)))
    b1 = tg.Variable(rng.normal(size=(4,)))

    def loss_of(x, y):
        h = tg.nn.relu(tg.matmul(x, w1) + b1)
        out = tg.matmul(h, w2)
        residual = tg.reshape(out, (-1,)) - y
        return tg.reduce_mean(tg.square(residual)) + tg.reduce_sum(h[:, 1:] * 0.1) \
            + tg.reduce_max(tg.reduce_sum(h, axis=1))

    known = tg.gradients(loss_of(tg.constant(data), tg.constant(data[:, 0])), [w1, w2, b1])
    x, y = tg.placeholder(tg.float64, (None, 3)), tg.placeholder(tg.float64, (None,))
    unknown = tg.gradients(loss_of(x, y), [w1, w2, b1])
    with tg.Session() as sess:
        sess.run(tg.global_variables_initializer())
        expected = sess.run(known)
        got = sess.run(unknown, {x: data, y: data[:, 0]})
        again = sess.run(unknown, {x: data[:2], y: data[:2, 0]})   # another batch size
    for g, e in zip(got, expected):
        np.testing.assert_allclose(g, e, rtol=1e-12)
    assert [a.shape for a in again] == [(3, 4), (4, 1), (4,)]


def test_conv2d_converts_a_numpy_filter_to_the_inputs_dtype():
    """TF 1.15 (checked with tensorflow.compat.v1): a float64 NumPy filter on a float32 input
    gives float32, as every op converts a non-tensor argument to the tensor's dtype."""
    x = tg.constant(np.ones((1, 4, 4, 1), np.float32))
    y = tg.nn.conv2d(x, np.full((2, 2, 1, 1), 0.25), strides=[1, 1, 1, 1], padding="VALID")
    assert y.dtype == tg.float32 and y.shape == (1, 3, 3, 1)
    with tg.Session() as sess:
        assert np.allclose(sess.run(y), 1.0)
