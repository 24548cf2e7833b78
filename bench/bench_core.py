#!/usr/bin/env python
"""Speed benchmark of the teachgrad core: value + gradient, side by side with its peers.

Each workload is computed by

* a hand-written NumPy (or plain Python) version with its analytic gradient: the *limit*,
  the speed an autodiff library can at best approach;
* teachgrad, through ``tg.value_and_grad`` (the function-transform API, first derivatives on plain
  NumPy values) and through ``tg.gradients`` (TensorFlow-1 style, records the derivative graph);
* the peers micrograd, HIPS autograd and PyTorch (CPU, float64), when they are installed and can do
  the workload (otherwise the table says why not).

Before anything is timed, every implementation's value and gradient are checked against the
limit's (``np.allclose``); an implementation that disagrees is reported as WRONG and not timed.
Timing interleaves the implementations round-robin (so they share the machine's noise), after a
warm-up, and reports the median of the samples; a short call is repeated within one sample so a
sample lasts at least ``--min-sample`` seconds. Peak memory is measured in a separate pass with
``tracemalloc`` (NumPy reports its array allocations to it; PyTorch's allocator does not, so the
column says n/a for PyTorch).

Workloads:
  W1  e = (a + b) * (b + 1) on Python floats a=2, b=1: value, de/da, de/db
                                                          (target <= micrograd, issue 25)
  W2  w = z / (y + cos x), y = x**.5, z = log(exp(sin y) + cos 2y) + 1 on 10^6 points;
      d(sum w)/dx, i.e. dw/dx element-wise                               (target <= 1.1x limit)
  W3  hinge loss mean(maximum(0, 1 - labels * (data @ W + b))), data 4096x512, 10 one-vs-rest
      categories; gradient w.r.t. W (512x10) and b (10,)                 (target <= 1.0x limit)
  W4  conv2d 5x5 VALID on a 512x512 one-channel image (NHWC), loss sum(out**2); gradient w.r.t.
      the image                                                          (target <= 1.2x limit)
  W5  x = sin(x) * 1.0001 + 0.001 repeated 10,000 times on a scalar: value and dx/dx0
      (target <= 0.5x torch, issue 25), plus a check that 100,000 steps work in teachgrad
  W6  cosh((3 + cos(x + 2y)**3)**.5 * sin(y - x)) on a 1000x1000 grid, both partials of the sum
                                                                         (target <= 1.1x limit)

Examples:
  python bench/bench_core.py                      # everything (about a minute on an idle machine)
  python bench/bench_core.py --quick              # fewer repeats, a quick look (about 30 s)
  python bench/bench_core.py --only W1,W5 --profile   # plus cProfile of teachgrad on W1 and W5
  python bench/bench_core.py --only W1,W5 --after-assign   # after an eager variable's assign
"""

import argparse
import gc
import importlib
import json
import math
import os
import platform
import statistics
import sys
import time
import tracemalloc

import numpy as np

# Benchmark the teachgrad of this checkout, whatever else is installed.
_REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
if _REPO not in sys.path:
    sys.path.insert(0, _REPO)

import teachgrad as tg  # noqa: E402

# These workloads are the eager ones (the graph-mode ones are in bench_session.py): in TensorFlow
# 1's graph mode every tg.gradients call would add its ops to the default graph for good.
tg.enable_eager_execution()


# ------------------------------------------------------------------------------------------------
# Peers: imported when present; the reason is kept when not.
# ------------------------------------------------------------------------------------------------

PEERS = {}          # name -> module (or None)
PEER_MISSING = {}   # name -> why it is not available


def _load_peers():
    for name, mod in (("micrograd", "micrograd.engine"), ("autograd", "autograd"),
                      ("torch", "torch")):
        try:
            PEERS[name] = importlib.import_module(mod)
        except Exception as e:  # ImportError, or a broken install
            PEERS[name] = None
            PEER_MISSING[name] = f"not installed ({type(e).__name__}: {e})"


def _need(name):
    """The peer's module, or raise Skip with the reason it is missing."""
    mod = PEERS.get(name)
    if mod is None:
        raise Skip(PEER_MISSING.get(name, "not installed"))
    return mod


class Skip(Exception):
    """This implementation cannot do this workload (the message says why)."""


# ------------------------------------------------------------------------------------------------
# Results to NumPy, for the correctness check only (never inside the timed calls).
# ------------------------------------------------------------------------------------------------

def as_np(v):
    if isinstance(v, tg.Tensor):
        return np.asarray(v.numpy(), dtype=np.float64)
    if hasattr(v, "detach") and hasattr(v, "numpy"):  # a torch tensor
        return v.detach().cpu().numpy().astype(np.float64)
    if hasattr(v, "data") and hasattr(v, "grad") and hasattr(v, "_prev"):  # a micrograd Value
        return np.asarray(v.data, dtype=np.float64)
    return np.asarray(v, dtype=np.float64)


def extract(out):
    """(value, gradients) as NumPy arrays from an implementation's (value, grads) result."""
    value, grads = out
    if not isinstance(grads, (list, tuple)):
        grads = [grads]
    return as_np(value), [as_np(g) for g in grads]


# ------------------------------------------------------------------------------------------------
# Implementations and workloads
# ------------------------------------------------------------------------------------------------

class Impl:
    """One way of computing a workload. ``make(data)`` returns the zero-argument callable timed;
    it returns ``(value, grads)``. ``kind`` is 'limit' (hand-written), 'teachgrad' or 'peer'."""

    def __init__(self, name, kind, make, note=""):
        self.name, self.kind, self.make, self.note = name, kind, make, note


class Workload:
    def __init__(self, key, title, setup, impls, target, repeat, atol=1e-8, rtol=1e-5,
                 absolute=False):
        self.key, self.title, self.setup, self.impls = key, title, setup, impls
        self.target = target          # ("ratio", 1.1) or ("abs", seconds)
        self.repeat = repeat          # default number of timed samples per implementation
        self.atol, self.rtol = atol, rtol
        self.absolute = absolute      # show absolute times prominently (W1/W5)


F64 = np.float64


# ---- W1: e = (a + b) * (b + 1) on Python floats ------------------------------------------------

def w1_setup(quick):
    return {"a": 2.0, "b": 1.0}


def w1_expr(a, b):
    return (a + b) * (b + 1)


def w1_limit(d):
    a, b = d["a"], d["b"]

    def run():
        s = a + b
        t = b + 1.0
        return s * t, (t, t + s)
    return run


def w1_tg_gradients(d):
    a, b = d["a"], d["b"]
    constant, gradients = tg.constant, tg.gradients

    def run():
        ta, tb = constant(a), constant(b)
        e = (ta + tb) * (tb + 1)
        return e, gradients([e], [ta, tb])
    return run


def w1_tg_vg(d):
    a, b = d["a"], d["b"]
    vg = tg.value_and_grad(w1_expr, argnums=(0, 1))
    return lambda: vg(a, b)


def w1_micrograd(d):
    Value = _need("micrograd").Value
    a, b = d["a"], d["b"]

    def run():
        va, vb = Value(a), Value(b)
        e = (va + vb) * (vb + 1)
        e.backward()
        return e.data, (va.grad, vb.grad)
    return run


def w1_autograd(d):
    ag = _need("autograd")
    a, b = d["a"], d["b"]
    vg = ag.value_and_grad(w1_expr, argnum=(0, 1))
    return lambda: vg(a, b)


def w1_torch(d):
    torch = _need("torch")
    a, b = d["a"], d["b"]
    tensor, grad = torch.tensor, torch.autograd.grad

    def run():
        ta = tensor(a, dtype=torch.float64, requires_grad=True)
        tb = tensor(b, dtype=torch.float64, requires_grad=True)
        e = (ta + tb) * (tb + 1)
        return e, grad(e, (ta, tb))
    return run


# ---- W2: the seed's w = z / (y + cos x) on 10^6 points ------------------------------------------

def w2_setup(quick):
    return {"x": np.linspace(0.1, 10.0, 10**6)}


def w2_forward(x):
    """Hand-written forward: the value and the arrays the backward pass needs (``saved``)."""
    y = np.sqrt(x)
    ey = np.sin(y)
    np.exp(ey, out=ey)                      # exp(sin y)
    n = np.multiply(y, 2.0)
    np.cos(n, out=n)
    n += ey                                 # N = exp(sin y) + cos 2y
    w = np.log(n)
    w += 1.0                                # z
    d = np.cos(x)
    d += y                                  # D = y + cos x
    w /= d                                  # w = z / D
    return w.sum(), (y, ey, n, d, w)


def w2_backward(x, saved):
    y, ey, n, d, w = saved
    # dz/dy = (exp(sin y) cos y - 2 sin 2y) / N ;  dy/dx = 1 / (2 y)
    g = np.cos(y)
    g *= ey
    s2 = np.multiply(y, 2.0)
    np.sin(s2, out=s2)
    s2 *= 2.0
    g -= s2
    g /= n
    dydx = np.divide(0.5, y)
    g *= dydx                               # dz/dx
    # dw/dx = (dz/dx - w (dy/dx - sin x)) / D
    t = np.sin(x)
    np.subtract(dydx, t, out=t)
    t *= w
    g -= t
    g /= d
    return g


def w2_limit(d):
    x = d["x"]

    def run():
        value, saved = w2_forward(x)
        return value, (w2_backward(x, saved),)
    return run


def w2_expr(m, x):
    """The workload written once for any NumPy-like module ``m`` (teachgrad, autograd, torch)."""
    y = x ** .5
    z = m.log(m.exp(m.sin(y)) + m.cos(2 * y)) + 1
    w = z / (y + m.cos(x))
    return w


def w2_tg_vg(d):
    x = d["x"]
    vg = tg.value_and_grad(lambda x: tg.reduce_sum(w2_expr(tg, x)))
    return lambda: vg(x)


def w2_tg_gradients(d):
    x = d["x"]

    def run():
        xt = tg.constant(x)
        s = tg.reduce_sum(w2_expr(tg, xt))
        return s, tg.gradients([s], [xt])
    return run


def w2_autograd(d):
    ag = _need("autograd")
    anp = importlib.import_module("autograd.numpy")
    x = d["x"]
    vg = ag.value_and_grad(lambda x: anp.sum(w2_expr(anp, x)))
    return lambda: vg(x)


def w2_torch(d):
    torch = _need("torch")
    x = d["x"]

    def run():
        xt = torch.from_numpy(x).requires_grad_(True)
        s = w2_expr(torch, xt).sum()
        return s, torch.autograd.grad(s, (xt,))
    return run


# ---- W3: hinge loss, data 4096x512, 10 one-vs-rest categories -----------------------------------

def w3_setup(quick):
    rng = np.random.default_rng(0)
    n, f, k = 4096, 512, 10
    data = rng.standard_normal((n, f))
    classes = rng.integers(0, k, n)
    labels = -np.ones((n, k))
    labels[np.arange(n), classes] = 1.0       # category_labels: +1 for the class, -1 elsewhere
    W = rng.standard_normal((f, k)) * 0.05    # margins ~ N(0, 1.1): about half the hinges active
    b = rng.standard_normal(k) * 0.1
    return {"data": data, "labels": labels, "W": W, "b": b}


def w3_limit(d):
    data, labels, W, b = d["data"], d["labels"], d["W"], d["b"]
    scale = -1.0 / labels.size

    def run():
        h = data @ W
        h += b
        h *= labels
        np.subtract(1.0, h, out=h)              # 1 - labels * margins
        active = h > 0.0
        loss = np.maximum(h, 0.0, out=h).sum() / h.size
        dm = np.where(active, labels, 0.0)      # d loss / d margins, up to the factor scale
        dm *= scale
        return loss, (data.T @ dm, dm.sum(axis=0))
    return run


def w3_expr(m, data, labels, W, b, maximum, matmul, mean):
    margins = matmul(data, W) + b
    return mean(maximum(0.0, 1.0 - labels * margins))


def w3_tg_vg(d):
    # Data and labels are constants made once, as a TF-1 program defines them outside its step.
    data, labels = tg.constant(d["data"]), tg.constant(d["labels"])
    W, b = d["W"], d["b"]
    vg = tg.value_and_grad(lambda W, b: w3_expr(tg, data, labels, W, b, tg.maximum, tg.matmul,
                                                tg.reduce_mean), argnums=(0, 1))
    return lambda: vg(W, b)


def w3_tg_gradients(d):
    data, labels = tg.constant(d["data"]), tg.constant(d["labels"])
    W, b = d["W"], d["b"]

    def run():
        Wt, bt = tg.constant(W), tg.constant(b)
        loss = w3_expr(tg, data, labels, Wt, bt, tg.maximum, tg.matmul, tg.reduce_mean)
        return loss, tg.gradients([loss], [Wt, bt])
    return run


def w3_autograd(d):
    ag = _need("autograd")
    anp = importlib.import_module("autograd.numpy")
    data, labels, W, b = d["data"], d["labels"], d["W"], d["b"]
    vg = ag.value_and_grad(lambda W, b: w3_expr(anp, data, labels, W, b, anp.maximum, anp.dot,
                                                anp.mean), argnum=(0, 1))
    return lambda: vg(W, b)


def w3_torch(d):
    torch = _need("torch")
    data, labels = torch.from_numpy(d["data"]), torch.from_numpy(d["labels"])
    W, b = d["W"], d["b"]

    def run():
        Wt = torch.tensor(W, requires_grad=True)
        bt = torch.tensor(b, requires_grad=True)
        loss = torch.relu(1.0 - labels * (data @ Wt + bt)).mean()
        return loss, torch.autograd.grad(loss, (Wt, bt))
    return run


# ---- W4: conv2d 5x5 VALID on a 512x512 image, loss sum(out**2), gradient w.r.t. the image -------

def w4_setup(quick):
    rng = np.random.default_rng(1)
    return {"image": rng.standard_normal((1, 512, 512, 1)),
            "filters": rng.standard_normal((5, 5, 1, 1)) / 5.0}


def w4_limit_taps(d):
    """Cross-correlation as 25 shifted multiply-adds, and its adjoint the same way."""
    image, filters = d["image"], d["filters"]
    kh, kw = filters.shape[:2]
    k = filters[:, :, 0, 0]
    k2 = 2.0 * k                                # d sum(out²) / d out = 2 out, folded into the taps
    h, w = image.shape[1:3]
    ho, wo = h - kh + 1, w - kw + 1

    def run():
        x = image[0, :, :, 0]
        out = np.multiply(x[:ho, :wo], k[0, 0])
        tmp = np.empty_like(out)
        for i in range(kh):
            for j in range(kw):
                if i or j:
                    np.multiply(x[i:i + ho, j:j + wo], k[i, j], out=tmp)
                    out += tmp
        flat = out.ravel()
        loss = flat @ flat
        gx = np.zeros((h, w))
        for i in range(kh):
            for j in range(kw):
                np.multiply(out, k2[i, j], out=tmp)
                gx[i:i + ho, j:j + wo] += tmp
        return loss, (gx.reshape(image.shape),)
    return run


def w4_limit_swv(d):
    """The same with sliding_window_view + tensordot (the correlation and its adjoint, a full
    correlation of the padded cotangent with the flipped filter)."""
    from numpy.lib.stride_tricks import sliding_window_view
    image, filters = d["image"], d["filters"]
    kh, kw = filters.shape[:2]
    k = filters[:, :, 0, 0]
    k2_flipped = 2.0 * k[::-1, ::-1]

    def run():
        x = image[0, :, :, 0]
        out = np.tensordot(sliding_window_view(x, (kh, kw)), k, axes=([2, 3], [0, 1]))
        flat = out.ravel()
        loss = flat @ flat
        padded = np.pad(out, ((kh - 1, kh - 1), (kw - 1, kw - 1)))
        gx = np.tensordot(sliding_window_view(padded, (kh, kw)), k2_flipped, axes=([2, 3], [0, 1]))
        return loss, (gx.reshape(image.shape),)
    return run


def w4_tg_vg(d):
    image = d["image"]
    filters = tg.constant(d["filters"])
    vg = tg.value_and_grad(
        lambda x: tg.reduce_sum(tg.nn.conv2d(x, filters, strides=1, padding="VALID") ** 2))
    return lambda: vg(image)


def w4_tg_gradients(d):
    image = d["image"]
    filters = tg.constant(d["filters"])

    def run():
        x = tg.constant(image)
        loss = tg.reduce_sum(tg.nn.conv2d(x, filters, strides=[1, 1, 1, 1], padding="VALID") ** 2)
        return loss, tg.gradients([loss], [x])
    return run


def w4_autograd(d):
    ag = _need("autograd")
    anp = importlib.import_module("autograd.numpy")
    image, filters = d["image"], d["filters"]
    kh, kw = filters.shape[:2]
    k = filters[:, :, 0, 0]
    h, w = image.shape[1:3]
    ho, wo = h - kh + 1, w - kw + 1

    def f(img):  # autograd has no conv2d of its own without SciPy: the 25-tap loop
        x = img[0, :, :, 0]
        out = 0.0
        for i in range(kh):
            for j in range(kw):
                out = out + k[i, j] * x[i:i + ho, j:j + wo]
        return anp.sum(out ** 2)
    vg = ag.value_and_grad(f)
    return lambda: vg(image)


def w4_torch(d):
    torch = _need("torch")
    F = importlib.import_module("torch.nn.functional")
    image = d["image"]
    # One channel: the NHWC image's memory is already NCHW (1, 1, H, W); HWIO (5,5,1,1) -> OIHW.
    weight = torch.from_numpy(np.ascontiguousarray(d["filters"].transpose(3, 2, 0, 1)))
    nchw = image.reshape(1, 1, image.shape[1], image.shape[2])

    def run():
        x = torch.from_numpy(nchw).requires_grad_(True)
        loss = (F.conv2d(x, weight) ** 2).sum()
        (g,) = torch.autograd.grad(loss, (x,))
        return loss, (g.reshape(image.shape),)
    return run


# ---- W5: 10,000 x (sin, *, +) on a scalar -------------------------------------------------------

W5_STEPS = 10_000
W5_LONG = 100_000


def w5_setup(quick):
    return {"x0": 0.5, "steps": W5_STEPS}


def w5_python(x0, steps):
    """Hand-written: the value and the derivative carried along (forward mode), plain floats."""
    sin, cos = math.sin, math.cos
    x, dx = x0, 1.0
    for _ in range(steps):
        dx *= cos(x) * 1.0001
        x = sin(x) * 1.0001 + 0.001
    return x, dx


def w5_limit(d):
    x0, steps = d["x0"], d["steps"]
    return lambda: w5_python(x0, steps)


def w5_chain(sin, steps):
    def f(x):
        for _ in range(steps):
            x = sin(x) * 1.0001 + 0.001
        return x
    return f


def w5_tg_vg(d):
    vg = tg.value_and_grad(w5_chain(tg.sin, d["steps"]))
    x0 = d["x0"]
    return lambda: vg(x0)


def w5_tg_gradients(d):
    x0, f = d["x0"], w5_chain(tg.sin, d["steps"])

    def run():
        x = tg.constant(x0, dtype=tg.float64)   # (a Python float is float32 in TensorFlow 1)
        y = f(x)
        return y, tg.gradients([y], [x])
    return run


def w5_micrograd(d):
    Value = _need("micrograd").Value

    def mg_sin(v):  # micrograd has no sin: added exactly the way micrograd defines its own relu
        out = Value(math.sin(v.data), (v,), "sin")

        def _backward():
            v.grad += math.cos(v.data) * out.grad
        out._backward = _backward
        return out

    x0, f = d["x0"], w5_chain(mg_sin, d["steps"])

    def run():
        x = Value(x0)
        y = f(x)
        y.backward()
        return y.data, (x.grad,)
    return run


def w5_autograd(d):
    ag = _need("autograd")
    anp = importlib.import_module("autograd.numpy")
    vg = ag.value_and_grad(w5_chain(anp.sin, d["steps"]))
    x0 = d["x0"]
    return lambda: vg(x0)


def w5_torch(d):
    torch = _need("torch")
    x0, f = d["x0"], w5_chain(torch.sin, d["steps"])

    def run():
        x = torch.tensor(x0, dtype=torch.float64, requires_grad=True)
        y = f(x)
        return y, torch.autograd.grad(y, (x,))
    return run


# ---- W6: cosh((3 + cos(x + 2y)**3)**.5 * sin(y - x)) on a 1000x1000 grid ------------------------

def w6_setup(quick):
    g = np.linspace(-2.0, 2.0, 1000)
    x, y = np.meshgrid(g, g + 0.1)
    return {"x": np.ascontiguousarray(x), "y": np.ascontiguousarray(y)}


def w6_limit(d):
    x, y = d["x"], d["y"]

    def run():
        u = np.multiply(y, 2.0)
        u += x                                  # u = x + 2y
        c = np.cos(u)
        su = np.sin(u, out=u)                   # sin u (u itself is not needed again)
        s = c * c
        s *= c
        s += 3.0
        np.sqrt(s, out=s)                       # s = (3 + cos³u)^½
        v = np.subtract(y, x)
        q = np.sin(v)
        h = s * q
        total = np.cosh(h).sum()
        sh = np.sinh(h, out=h)
        # ∂f/∂u = sinh h · q · ½ s⁻¹ · 3 cos²u · (−sin u);  ∂f/∂v = sinh h · s · cos v
        a = q
        a *= sh
        a *= c
        a *= c
        a *= su
        a /= s
        a *= -1.5
        bv = np.cos(v, out=v)
        bv *= sh
        bv *= s
        dx = np.subtract(a, bv)                 # ∂u/∂x = 1,  ∂v/∂x = −1
        a *= 2.0
        a += bv                                 # ∂u/∂y = 2,  ∂v/∂y = 1
        return total, (dx, a)
    return run


def w6_expr(m, x, y):
    return m.cosh((3 + m.cos(x + 2 * y) ** 3) ** .5 * m.sin(y - x))


def w6_tg_vg(d):
    x, y = d["x"], d["y"]
    vg = tg.value_and_grad(lambda x, y: tg.reduce_sum(w6_expr(tg, x, y)), argnums=(0, 1))
    return lambda: vg(x, y)


def w6_tg_gradients(d):
    x, y = d["x"], d["y"]

    def run():
        xt, yt = tg.constant(x), tg.constant(y)
        s = tg.reduce_sum(w6_expr(tg, xt, yt))
        return s, tg.gradients([s], [xt, yt])
    return run


def w6_autograd(d):
    ag = _need("autograd")
    anp = importlib.import_module("autograd.numpy")
    x, y = d["x"], d["y"]
    vg = ag.value_and_grad(lambda x, y: anp.sum(w6_expr(anp, x, y)), argnum=(0, 1))
    return lambda: vg(x, y)


def w6_torch(d):
    torch = _need("torch")
    x, y = d["x"], d["y"]

    def run():
        xt = torch.from_numpy(x).requires_grad_(True)
        yt = torch.from_numpy(y).requires_grad_(True)
        s = w6_expr(torch, xt, yt).sum()
        return s, torch.autograd.grad(s, (xt, yt))
    return run


# ---- peers that cannot do a workload ------------------------------------------------------------

def micrograd_cannot(what):
    def make(d):
        _need("micrograd")
        raise Skip(f"scalar-only engine (one Python object per number{what}); "
                   "not a fair or finishing comparison")
    return make


TG_VG = "teachgrad value_and_grad"
TG_GRADIENTS = "teachgrad gradients"

WORKLOADS = [
    Workload("W1", "e = (a + b) * (b + 1) on Python floats, value + both partials", w1_setup, [
        Impl("python (hand-written)", "limit", w1_limit),
        Impl(TG_GRADIENTS, "teachgrad", w1_tg_gradients, "tg.gradients([e], [a, b]) on constants"),
        Impl(TG_VG, "teachgrad", w1_tg_vg, "tg.value_and_grad(f, argnums=(0, 1))"),
        Impl("micrograd", "peer", w1_micrograd),
        Impl("autograd", "peer", w1_autograd),
        Impl("torch", "peer", w1_torch),
    ], target=("peer", "micrograd", 1.0), repeat=15, absolute=True),
    Workload("W2", "w = z / (y + cos x), y = x**.5, z = log(exp(sin y) + cos 2y) + 1, 10^6 points; "
             "dw/dx", w2_setup, [
        Impl("numpy (hand-written)", "limit", w2_limit),
        Impl(TG_GRADIENTS, "teachgrad", w2_tg_gradients),
        Impl(TG_VG, "teachgrad", w2_tg_vg),
        Impl("micrograd", "peer", micrograd_cannot(", 10^6 points; no sin/cos/exp/log")),
        Impl("autograd", "peer", w2_autograd),
        Impl("torch", "peer", w2_torch),
    ], target=("ratio", 1.1), repeat=9),
    Workload("W3", "hinge loss, data 4096x512 @ W 512x10 + b, one-vs-rest labels; dW, db",
             w3_setup, [
        Impl("numpy (hand-written)", "limit", w3_limit),
        Impl(TG_GRADIENTS, "teachgrad", w3_tg_gradients),
        Impl(TG_VG, "teachgrad", w3_tg_vg),
        Impl("micrograd", "peer", micrograd_cannot(", 2x10^7 multiplies")),
        Impl("autograd", "peer", w3_autograd),
        Impl("torch", "peer", w3_torch),
    ], target=("ratio", 1.0), repeat=21),
    Workload("W4", "conv2d 5x5 VALID on a 512x512x1 image, loss sum(out**2); d/dimage", w4_setup, [
        Impl("numpy taps (hand-written)", "limit", w4_limit_taps),
        Impl("numpy sliding_window (hand-written)", "limit", w4_limit_swv),
        Impl(TG_GRADIENTS, "teachgrad", w4_tg_gradients),
        Impl(TG_VG, "teachgrad", w4_tg_vg),
        Impl("micrograd", "peer", micrograd_cannot(", 6.5x10^6 multiply-adds; no conv2d")),
        Impl("autograd", "peer", w4_autograd, "25-tap loop (autograd has no conv2d without SciPy)"),
        Impl("torch", "peer", w4_torch, "torch.nn.functional.conv2d"),
    ], target=("ratio", 1.2), repeat=15),
    Workload("W5", "x = sin(x) * 1.0001 + 0.001, 10,000 times on a scalar; value + dx/dx0",
             w5_setup, [
        Impl("python (hand-written)", "limit", w5_limit, "math.sin/cos, derivative carried along"),
        Impl(TG_GRADIENTS, "teachgrad", w5_tg_gradients),
        Impl(TG_VG, "teachgrad", w5_tg_vg),
        Impl("micrograd", "peer", w5_micrograd, "sin added like micrograd's relu"),
        Impl("autograd", "peer", w5_autograd),
        Impl("torch", "peer", w5_torch),
    ], target=("peer", "torch", 0.5), repeat=5, atol=0.0, rtol=1e-9, absolute=True),
    Workload("W6", "cosh((3 + cos(x + 2y)**3)**.5 * sin(y - x)) on a 1000x1000 grid; both "
             "partials", w6_setup, [
        Impl("numpy (hand-written)", "limit", w6_limit),
        Impl(TG_GRADIENTS, "teachgrad", w6_tg_gradients),
        Impl(TG_VG, "teachgrad", w6_tg_vg),
        Impl("micrograd", "peer", micrograd_cannot(", 10^6 points; no cos/sin/cosh")),
        Impl("autograd", "peer", w6_autograd),
        Impl("torch", "peer", w6_torch),
    ], target=("ratio", 1.1), repeat=9),
]


# ------------------------------------------------------------------------------------------------
# Measuring
# ------------------------------------------------------------------------------------------------

class Row:
    """What was measured for one implementation of one workload."""

    def __init__(self, impl):
        self.impl = impl
        self.fn = None
        self.status = "ok"        # ok | skipped | error | wrong
        self.reason = ""
        self.number = 1           # calls per timed sample
        self.samples = []         # seconds per call, one per sample
        self.peak = None          # bytes (tracemalloc), None when not measured
        self.result = None

    @property
    def median(self):
        return statistics.median(self.samples) if self.samples else None

    @property
    def spread(self):
        """Interquartile range relative to the median."""
        if len(self.samples) < 4:
            return None
        q = statistics.quantiles(self.samples, n=4)
        return (q[2] - q[0]) / self.median


def fmt_time(s):
    if s is None:
        return "-"
    if s < 1e-3:
        return f"{s * 1e6:.2f} µs"
    if s < 1.0:
        return f"{s * 1e3:.2f} ms"
    return f"{s:.3f} s"


def fmt_bytes(b):
    if b is None:
        return "n/a"
    if b < 1024:
        return f"{b} B"
    if b < 1024 ** 2:
        return f"{b / 1024:.1f} KiB"
    return f"{b / 1024 ** 2:.1f} MiB"


def _short_error(e):
    msg = str(e).splitlines()[0] if str(e) else ""
    if len(msg) > 60:
        msg = msg[:57] + "..."
    return f"{type(e).__name__}" + (f" ({msg})" if msg else "")


def check(rows, wl, log):
    """Run every implementation once and compare it with the (first) limit."""
    ref = None
    for row in rows:
        if row.status != "ok":
            continue
        try:
            out = row.fn()
            row.result = extract(out)
        except RecursionError:
            row.status, row.reason = "error", ("RecursionError (maximum recursion depth exceeded "
                                               "in its recursive graph walk)")
        except Exception as e:  # noqa: BLE001  (report, don't crash the whole benchmark)
            row.status, row.reason = "error", _short_error(e)
        if row.status == "ok" and ref is None and row.impl.kind == "limit":
            ref = row.result
    if ref is None:
        raise SystemExit(f"{wl.key}: the hand-written limit failed; cannot check anything")
    for row in rows:
        if row.status != "ok":
            continue
        value, grads = row.result
        problems = []
        if value.shape != ref[0].shape and value.size != ref[0].size:
            problems.append(f"value shape {value.shape} != {ref[0].shape}")
        elif not np.allclose(value.reshape(ref[0].shape), ref[0], rtol=wl.rtol, atol=wl.atol):
            problems.append(f"value {value.ravel()[:3]} != {ref[0].ravel()[:3]}")
        if len(grads) != len(ref[1]):
            problems.append(f"{len(grads)} gradients, expected {len(ref[1])}")
        for i, (g, r) in enumerate(zip(grads, ref[1])):
            if g.shape != r.shape:
                problems.append(f"gradient {i} shape {g.shape} != {r.shape}")
            elif not np.allclose(g, r, rtol=wl.rtol, atol=wl.atol):
                err = np.max(np.abs(g - r))
                problems.append(f"gradient {i} differs (max abs error {err:.3g})")
        if problems:
            row.status, row.reason = "wrong", "WRONG RESULT: " + "; ".join(problems)
            log(f"  !! {wl.key} {row.impl.name}: {row.reason}")
        row.result = None


def time_rows(rows, repeat, min_sample, use_gc):
    live = [r for r in rows if r.status == "ok"]
    # Warm up (the check already ran each once), then choose how many calls make one sample: like
    # timeit's autorange, grow a batch until it lasts >= 10 ms, and take the fastest of three
    # batches (a load spike during calibration must not leave a sample far too short).
    for row in live:
        fn = row.fn
        fn()
        batch = 1
        while True:
            t0 = time.perf_counter()
            for _ in range(batch):
                fn()
            elapsed = time.perf_counter() - t0
            if elapsed >= 0.01 or elapsed * 10 >= min_sample:
                break
            batch *= 10 if elapsed < 0.001 else 2
        per_call = elapsed / batch
        for _ in range(2 if elapsed < 0.1 else 0):
            t0 = time.perf_counter()
            for _ in range(batch):
                fn()
            per_call = min(per_call, (time.perf_counter() - t0) / batch)
        row.number = max(1, int(math.ceil(min_sample / per_call))) if per_call < min_sample else 1
    # Round-robin: each round times every implementation once, starting one further along.
    for rep in range(repeat):
        order = live[rep % len(live):] + live[:rep % len(live)]
        for row in order:
            fn, number = row.fn, row.number
            gc.collect()
            if not use_gc:
                gc.disable()
            try:
                t0 = time.perf_counter()
                for _ in range(number):
                    fn()
                t = time.perf_counter() - t0
            finally:
                gc.enable()
            row.samples.append(t / number)


def measure_memory(rows):
    """Peak bytes allocated during one call, traced by tracemalloc (a separate pass)."""
    for row in rows:
        if row.status != "ok" or row.impl.name == "torch":
            continue  # torch's allocator does not report to tracemalloc
        gc.collect()
        tracemalloc.start()
        tracemalloc.reset_peak()
        try:
            out = row.fn()
            _, row.peak = tracemalloc.get_traced_memory()
            del out
        finally:
            tracemalloc.stop()


def graph_holdings(d):
    """W2: arrays (and bytes) kept alive for the backward pass, teachgrad vs the hand-written."""
    from teachgrad.autodiff.transforms import toposort
    x = d["x"]

    def arrays_of(tensors, exclude=()):
        seen, count, nbytes = set(), 0, 0
        skip = {id(v) for v in exclude}
        for t in tensors:
            v = t._value
            if isinstance(v, np.ndarray) and v.size > 1 and id(v) not in seen and id(v) not in skip:
                seen.add(id(v))
                count += 1
                nbytes += v.nbytes
        return count, nbytes

    xt = tg.constant(x)
    s = tg.reduce_sum(w2_expr(tg, xt))
    fwd = arrays_of(toposort([s]), exclude=[xt._value])
    grads = tg.gradients([s], [xt])
    both = arrays_of(toposort([s] + grads), exclude=[xt._value])
    _, saved = w2_forward(x)
    hand = (len(saved), sum(a.nbytes for a in saved))
    return {"teachgrad_forward_graph": fwd, "teachgrad_gradients_graph": both,
            "hand_written_saved": hand}


def run_w5_long(log):
    f = w5_chain(tg.sin, W5_LONG)
    vg = tg.value_and_grad(f)
    try:
        t0 = time.perf_counter()
        value, g = vg(0.5)
        t = time.perf_counter() - t0
    except Exception as e:  # noqa: BLE001
        return {"ok": False, "error": _short_error(e)}
    ref_value, ref_grad = w5_python(0.5, W5_LONG)
    ok = bool(np.allclose(float(value), ref_value, rtol=1e-9, atol=0)
              and np.allclose(float(g), ref_grad, rtol=1e-9, atol=1e-300))
    return {"ok": ok, "seconds": t, "value": float(value), "grad": float(g)}


def run_workload(wl, args, log):
    data = wl.setup(args.quick)
    rows = []
    for impl in wl.impls:
        row = Row(impl)
        try:
            row.fn = impl.make(data)
        except Skip as e:
            row.status, row.reason = "skipped", f"skipped: {e}"
        rows.append(row)
    check(rows, wl, log)
    repeat = args.repeat or (max(3, wl.repeat // 3) if args.quick else wl.repeat)
    time_rows(rows, repeat, args.min_sample, not args.no_gc)
    if not args.no_memory:
        measure_memory(rows)
    extra = {}
    if wl.key == "W2":
        extra["graph"] = graph_holdings(data)
    if wl.key == "W5":
        extra["long"] = run_w5_long(log)
    return rows, extra


def paired_ratio(row, ref):
    """Median over the rounds of (row's sample / the limit's sample in the same round).

    Each round times every implementation back to back, so a sample and the limit's sample of the
    same round saw the same load on the machine; their ratio is steadier than a ratio of medians.
    """
    if row.median is None or ref is None or ref.median is None:
        return None
    pairs = [a / b for a, b in zip(row.samples, ref.samples) if b > 0]
    return statistics.median(pairs) if pairs else row.median / ref.median


def summarize(wl, rows):
    """The limit (the fastest hand-written row), each row's ratio to it, and the target verdict."""
    limits = [r for r in rows if r.impl.kind == "limit" and r.median is not None]
    ref = min(limits, key=lambda r: r.median) if limits else None
    ratios = {id(r): paired_ratio(r, ref) for r in rows}
    tgs = [r for r in rows if r.impl.kind == "teachgrad" and r.median is not None]
    kind, goal = wl.target[0], wl.target[-1]
    if kind == "peer":   # ("peer", name, factor): the paired ratio to that peer's samples
        peer = next((r for r in rows if r.impl.name == wl.target[1] and r.median is not None),
                    None)
        to_peer = {id(r): paired_ratio(r, peer) for r in tgs} if peer is not None else {}
        key = lambda r: to_peer.get(id(r), r.median)   # noqa: E731
    else:
        key = (lambda r: ratios[id(r)]) if kind == "ratio" else (lambda r: r.median)
    best = min(tgs, key=key) if tgs else None
    verdict = None
    if best is not None and ref is not None:
        if kind == "peer":
            value = to_peer.get(id(best))
        else:
            value = ratios[id(best)] if kind == "ratio" else best.median
        if value is not None:
            verdict = {"met": value <= goal, "value": value, "goal": goal, "kind": kind,
                       "by": best.impl.name, "peer": wl.target[1] if kind == "peer" else None}
    return ref, ratios, best, verdict


def print_table(results, out=print):
    head = f"{'workload':<8} {'implementation':<36} {'median':>11} {'x limit':>9} {'min':>11} " \
           f"{'IQR':>5} {'runs':>9} {'peak mem':>10}  note"
    out(head)
    out("-" * len(head))
    for wl, rows, extra in results:
        ref, ratios, best, verdict = summarize(wl, rows)
        for row in rows:
            if row.status != "ok":
                out(f"{wl.key:<8} {row.impl.name:<36} {'-':>11} {'-':>9} {'':>11} {'':>5} "
                    f"{'':>9} {'':>10}  {row.reason}")
                continue
            ratio = f"{ratios[id(row)]:.2f}x" if ratios[id(row)] is not None else "-"
            spread = f"{row.spread * 100:.0f}%" if row.spread is not None else ""
            runs = f"{len(row.samples)}x{row.number}"
            mark = " <- best teachgrad" if row is best and len(
                [r for r in rows if r.impl.kind == "teachgrad"]) > 1 else ""
            if row is ref:
                mark = " <- limit"
            peak = fmt_bytes(row.peak) if row.impl.name != "torch" else "n/a*"
            note = (row.impl.note + mark).strip()
            out(f"{wl.key:<8} {row.impl.name:<36} {fmt_time(row.median):>11} {ratio:>9} "
                f"{fmt_time(min(row.samples)):>11} {spread:>5} {runs:>9} {peak:>10}  {note}")
        if verdict:
            if verdict["kind"] == "peer":
                goal = f"<= {verdict['goal']:.2f}x {verdict['peer']} (paired, in this run)"
                got = f"{verdict['value']:.2f}x {verdict['peer']}"
            else:
                goal = (f"<= {verdict['goal']:.2f}x the limit" if verdict["kind"] == "ratio"
                        else f"<= {fmt_time(verdict['goal'])}")
                got = (f"{verdict['value']:.2f}x" if verdict["kind"] == "ratio"
                       else fmt_time(verdict["value"]))
            out(f"{'':<8} target {goal}: {'MET' if verdict['met'] else 'NOT MET'} "
                f"({got}, {verdict['by']})")
        if "graph" in extra:
            g = extra["graph"]
            out(f"{'':<8} arrays kept for the backward pass: teachgrad graph "
                f"{g['teachgrad_forward_graph'][0]} arrays ({fmt_bytes(g['teachgrad_forward_graph'][1])})"
                f", hand-written {g['hand_written_saved'][0]} arrays "
                f"({fmt_bytes(g['hand_written_saved'][1])}); tg.gradients' result graph "
                f"(value + recorded derivative) {g['teachgrad_gradients_graph'][0]} arrays "
                f"({fmt_bytes(g['teachgrad_gradients_graph'][1])})")
        if "long" in extra:
            lg = extra["long"]
            if lg.get("seconds") is not None:
                out(f"{'':<8} {W5_LONG:,} steps in teachgrad value_and_grad: "
                    f"{fmt_time(lg['seconds'])}, {'matches' if lg['ok'] else 'DOES NOT MATCH'} "
                    "the hand-written value and derivative")
            else:
                out(f"{'':<8} {W5_LONG:,} steps in teachgrad: FAILED: {lg['error']}")
        out("")
    out("median: of the timed samples (seconds per call); x limit: median over the rounds of "
        "(this sample / the limit's sample in the same round), the limit being the fastest "
        "hand-written row; min: the fastest sample; IQR: interquartile range / median; runs: samples x calls per "
        "sample; peak mem: tracemalloc peak during one call, separate pass (*torch's allocator "
        "is not traced).")


# ------------------------------------------------------------------------------------------------
# The machine
# ------------------------------------------------------------------------------------------------

def machine_info():
    info = {"python": platform.python_version(), "numpy": np.__version__,
            "platform": platform.platform(), "cores": os.cpu_count()}
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    info["cpu"] = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    for name in ("micrograd", "autograd", "torch"):
        mod = PEERS.get(name)
        if mod is None:
            info[name] = "not installed"
            continue
        try:
            from importlib.metadata import version
            info[name] = version(name)
        except Exception:  # noqa: BLE001
            info[name] = getattr(mod, "__version__", "?")
    if PEERS.get("torch") is not None:
        info["torch_threads"] = PEERS["torch"].get_num_threads()
    try:
        import threadpoolctl
        pools = threadpoolctl.threadpool_info()
        info["blas"] = "; ".join(
            f"{p.get('internal_api')} {p.get('version')} ({p.get('architecture')}, "
            f"{p.get('num_threads')} threads, {os.path.basename(p.get('filepath', ''))})"
            for p in pools) or "threadpoolctl found no pool"
    except ImportError:
        try:
            blas = np.__config__.CONFIG["Build Dependencies"]["blas"]
            info["blas"] = f"{blas.get('name')} {blas.get('version')} (threadpoolctl not installed)"
        except Exception:  # noqa: BLE001
            info["blas"] = "unknown (threadpoolctl not installed)"
    env = {k: v for k, v in os.environ.items()
           if k.startswith(("OPENBLAS", "OMP_", "MKL_", "GOTO", "BLIS"))}
    info["blas_env"] = env
    return info


def print_machine(info, args, out=print):
    out(f"teachgrad {tg.__version__} from {os.path.dirname(tg.__file__)}")
    out(f"CPU: {info.get('cpu', '?')}, {info['cores']} cores; {info['platform']}")
    out(f"Python {info['python']}, NumPy {info['numpy']}; BLAS: {info['blas']}")
    if info["blas_env"]:
        out("BLAS environment: " + ", ".join(f"{k}={v}" for k, v in sorted(info["blas_env"].items())))
    out(f"peers: micrograd {info['micrograd']}, autograd {info['autograd']}, torch {info['torch']}"
        + (f" ({info['torch_threads']} threads)" if "torch_threads" in info else ""))
    try:
        load = ", ".join(f"{v:.2f}" for v in os.getloadavg())
        out(f"load average at start (1, 5, 15 min): {load} on {info['cores']} cores")
    except OSError:
        pass
    out(f"float64 everywhere; gc {'disabled' if args.no_gc else 'enabled'} while timing; "
        f"samples >= {args.min_sample * 1e3:.0f} ms; "
        f"{'--quick' if args.quick else 'full run'}")


# ------------------------------------------------------------------------------------------------
# Profiling (for whoever optimizes the core)
# ------------------------------------------------------------------------------------------------

def profile_teachgrad(wl, lines=14, out=print):
    import cProfile
    import io
    import pstats
    data = wl.setup(False)
    for impl in wl.impls:
        if impl.kind != "teachgrad":
            continue
        fn = impl.make(data)
        fn()
        calls = 2000 if wl.key == "W1" else 3
        prof = cProfile.Profile()
        prof.enable()
        for _ in range(calls):
            fn()
        prof.disable()
        buf = io.StringIO()
        pstats.Stats(prof, stream=buf).strip_dirs().sort_stats("tottime").print_stats(lines)
        out(f"--- cProfile, {wl.key} {impl.name}, {calls} calls, sorted by own time ---")
        text = buf.getvalue()
        start = text.find("   ncalls")
        out(text[start:].rstrip() if start >= 0 else text.rstrip())
        out("")


# ------------------------------------------------------------------------------------------------

def main(argv=None, workloads=None, prog="python bench/bench_core.py", doc=__doc__):
    parser = argparse.ArgumentParser(
        prog=prog,
        description=doc,
        formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true",
                        help="a third of the repeats (at least 3) and shorter samples: a quick look")
    parser.add_argument("--only", metavar="W1,W3",
                        help="run only these workloads (comma-separated keys, e.g. W1,W5)")
    parser.add_argument("--repeat", type=int, metavar="N",
                        help="timed samples per implementation for every workload (default: per "
                             "workload, 5 to 21)")
    parser.add_argument("--min-sample", type=float, default=None, metavar="SECONDS",
                        help="a short call is repeated until one sample lasts this long "
                             "(default 0.025, 0.01 with --quick)")
    parser.add_argument("--no-memory", action="store_true",
                        help="skip the tracemalloc pass (peak memory)")
    parser.add_argument("--no-gc", action="store_true",
                        help="disable the garbage collector while timing (as timeit does); by "
                             "default it runs, since cyclic garbage is a real cost")
    parser.add_argument("--torch-threads", type=int, metavar="N",
                        help="torch.set_num_threads(N) (default: torch's own choice)")
    parser.add_argument("--blas-threads", type=int, metavar="N",
                        help="limit NumPy's BLAS to N threads with threadpoolctl (default: as "
                             "configured; the header says how many)")
    parser.add_argument("--profile", action="store_true",
                        help="after the table, cProfile teachgrad's variants on the selected "
                             "workloads and print the top functions by own time")
    parser.add_argument("--json", metavar="PATH", help="also write the results as JSON to PATH")
    parser.add_argument("--after-assign", action="store_true",
                        help="assign an eager variable before timing, as a lecture cell may: "
                             "the transforms must keep their tape after it (issue 25)")
    args = parser.parse_args(argv)
    if args.after_assign:
        was_eager = tg.executing_eagerly()
        tg.enable_eager_execution()
        tg.Variable(1.0, name="assigned").assign(2.0)
        if not was_eager:
            tg.disable_eager_execution()
    if args.min_sample is None:
        args.min_sample = 0.01 if args.quick else 0.025
    if args.repeat is not None and args.repeat < 1:
        parser.error("--repeat must be at least 1")

    workloads = WORKLOADS if workloads is None else workloads
    selected = workloads
    if args.only:
        keys = [k.strip().upper() for k in args.only.split(",") if k.strip()]
        unknown = [k for k in keys if k not in {w.key for w in workloads}]
        if unknown:
            parser.error(f"--only: unknown workload(s) {', '.join(unknown)}; "
                         f"choose from {', '.join(w.key for w in workloads)}")
        selected = [w for w in workloads if w.key in keys]

    _load_peers()
    if args.torch_threads and PEERS.get("torch") is not None:
        PEERS["torch"].set_num_threads(args.torch_threads)
    if args.blas_threads:
        try:
            import threadpoolctl
        except ImportError:
            parser.error("--blas-threads needs threadpoolctl (pip install threadpoolctl)")
        _limiter = threadpoolctl.threadpool_limits(limits=args.blas_threads, user_api="blas")  # noqa: F841
    info = machine_info()
    print_machine(info, args)
    for name, why in PEER_MISSING.items():
        print(f"peer {name}: {why}")
    print(flush=True)

    def log(msg):
        print(msg, file=sys.stderr, flush=True)

    results = []
    t_start = time.perf_counter()
    for wl in selected:
        t0 = time.perf_counter()
        log(f"{wl.key}: {wl.title} ...")
        rows, extra = run_workload(wl, args, log)
        results.append((wl, rows, extra))
        log(f"{wl.key}: done in {time.perf_counter() - t0:.1f} s")
    print_table(results)
    try:
        load = ", ".join(f"{v:.2f}" for v in os.getloadavg())
    except OSError:
        load = "?"
    print(f"total {time.perf_counter() - t_start:.0f} s; load average at the end: {load}")

    if args.profile:
        print()
        for wl in selected:
            profile_teachgrad(wl)

    if args.json:
        payload = {"machine": info, "args": vars(args), "workloads": []}
        for wl, rows, extra in results:
            ref, ratios, best, verdict = summarize(wl, rows)
            payload["workloads"].append({
                "key": wl.key, "title": wl.title, "limit_seconds": ref.median if ref else None,
                "limit": ref.impl.name if ref else None, "target": wl.target,
                "verdict": verdict, "extra": extra,
                "rows": [{"name": r.impl.name, "kind": r.impl.kind, "status": r.status,
                          "reason": r.reason, "median": r.median, "samples": r.samples,
                          "number": r.number, "peak_bytes": r.peak,
                          "ratio": ratios[id(r)]}
                         for r in rows]})
        with open(args.json, "w") as f:
            json.dump(payload, f, indent=1, default=str)

    wrong = [(wl.key, r.impl.name) for wl, rows, _ in results for r in rows if r.status == "wrong"]
    if wrong:
        print("WRONG RESULTS (not timed): " + ", ".join(f"{k} {n}" for k, n in wrong))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
