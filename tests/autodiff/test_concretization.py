"""A traced value that leaves the graph through a Python or NumPy number is refused (issue 22).

While grad/value_and_grad/jvp/vjp/trace(function) run f, ``float(x)``, ``math.sin(x)``,
``x.item()``, ``x.numpy()`` and ``np.asarray(x)`` of a tensor that depends on what they
differentiate would silently drop the derivative through it (0 for ``math.sin(x)``, half of it for
``float(x) * x``). They raise ``tg.errors.ConcretizationError`` (a ``TeachgradError`` and a
``TypeError``, as JAX's ``ConcretizationTypeError``) that says what to write instead; the same
function written with teachgrad's functions gets the exact derivative.
"""

import math
import threading

import numpy as np
import pytest

import teachgrad as tg
from teachgrad.errors import ConcretizationError, TeachgradError

SIN_X_TIMES_X = math.sin(1.0) + math.cos(1.0)     # d/dx sin(x)·x at 1 = 1.3817732906760363

# Each way a traced value became a number before, and what it silently gave (answer in the id).
LEAKS = {
    "math.sin": (lambda x: math.sin(x), r"float\(\) of a traced tensor.*tg\.sin\(x\) instead of "
                                        r"math\.sin\(x\)"),
    "float*x": (lambda x: float(x) * x, r"float\(\) of a traced tensor.*x \* x instead of "
                                        r"float\(x\) \* x"),
    "numpy*x": (lambda x: x.numpy() * x, r"\.numpy\(\) of a traced tensor.*x \* x instead of "
                                         r"x\.numpy\(\) \* x"),
    "item*x": (lambda x: x.item() * x, r"\.item\(\) of a traced tensor.*x \* x instead of "
                                       r"x\.item\(\) \* x"),
    "np.asarray": (lambda x: tg.sin(np.asarray(x)) * x, r"NumPy read the value of a traced "
                                                        r"tensor.*tg\.sin\(x\) instead of np\.sin"),
    "np.exp": (lambda x: np.exp(x), r"NumPy read the value of a traced tensor"),
    "complex": (lambda x: complex(x) * x, r"complex\(\) of a traced tensor"),
    "math.sin of x*x": (lambda x: math.sin(x * x), r"float\(\) of a traced tensor"),
    "tg.constant": (lambda x: tg.constant(x) * x, r"tg\.constant\(\) of a traced tensor.*x "
                                                  r"itself .*instead of tg\.constant\(x\)"),
    "tg.constant[list]": (lambda x: tg.constant([x, 1.0])[0] * x,
                          r"NumPy read the value of a traced tensor"),
}


@pytest.mark.parametrize("name", list(LEAKS))
@pytest.mark.parametrize("transform", ["grad", "value_and_grad", "jvp", "vjp", "trace",
                                       "grad(grad)"])
def test_a_traced_value_turned_into_a_number_is_refused(transform, name):
    f, message = LEAKS[name]
    calls = {
        "grad": lambda: tg.grad(f)(3.0),
        "value_and_grad": lambda: tg.value_and_grad(f)(3.0),
        "jvp": lambda: tg.jvp(f, (3.0,), (1.0,)),
        "vjp": lambda: tg.vjp(f, 3.0),
        "trace": lambda: tg.trace(f, x=3.0),
        "grad(grad)": lambda: tg.grad(tg.grad(f))(3.0),
    }
    with pytest.raises(ConcretizationError, match=message) as info:
        calls[transform]()
    error = info.value
    assert isinstance(error, TeachgradError) and isinstance(error, TypeError)
    what = "grad" if transform.startswith(("grad", "value")) else transform
    assert str(error).startswith(f"{what}: ")
    assert "derivative through it would silently be lost" in str(error)


def test_the_issue_cases_by_name():
    """The cases of issue 22, each with the fix the message names."""
    with pytest.raises(ConcretizationError, match=r"tg\.sin\(x\) instead of math\.sin\(x\)"):
        tg.grad(lambda x: math.sin(x))(1.0)          # was 0
    with pytest.raises(ConcretizationError, match=r"x \* x instead of float\(x\) \* x"):
        tg.grad(lambda x: float(x) * x)(3.0)         # was 3, the answer is 6
    with pytest.raises(ConcretizationError, match=r"x \* x instead of x\.numpy\(\) \* x"):
        tg.grad(lambda x: x.numpy() * x)(3.0)
    with pytest.raises(ConcretizationError, match=r"x \* x instead of x\.item\(\) \* x"):
        tg.grad(lambda x: x.item() * x)(3.0)
    with pytest.raises(ConcretizationError, match=r"^trace: .*tg\.sin\(x\) instead of math"):
        tg.trace(lambda x: math.sin(x) * x, x=1.0)   # was d/dx = 0.84, the answer is 1.38
    with pytest.raises(ConcretizationError, match=r"^jvp: "):
        tg.jvp(lambda x: math.sin(x), (1.0,), (1.0,))   # was 0
    with pytest.raises(ConcretizationError, match=r"^vjp: "):
        tg.vjp(lambda x: math.sin(x), 1.0)              # was 0


def test_the_fixed_functions_get_the_exact_derivatives():
    assert float(tg.grad(lambda x: tg.sin(x))(1.0)) == math.cos(1.0)
    assert float(tg.grad(lambda x: x * x)(3.0)) == 6.0
    assert float(tg.grad(lambda x: tg.sin(x) * x)(1.0)) == pytest.approx(SIN_X_TIMES_X, 1e-15)
    assert float(tg.jvp(lambda x: tg.sin(x), (1.0,), (1.0,))[1]) == math.cos(1.0)
    assert float(tg.vjp(lambda x: tg.sin(x), 1.0)[1](1.0)[0]) == math.cos(1.0)
    graph = tg.trace(lambda x: tg.sin(x) * x, x=1.0)
    assert float(graph.derivative(graph.output, "x")) == pytest.approx(SIN_X_TIMES_X, 1e-15)
    value, slope = tg.value_and_grad(lambda x: x * x)(3.0)
    assert (float(value), float(slope)) == (9.0, 6.0)


def test_a_number_that_carries_no_derivative_is_fine():
    """Constants, values made before f, shapes and sizes, integer and boolean tensors, and the
    results of ops with no derivative may become numbers while f is traced; the derivative
    stays exact."""
    before = tg.constant(2.0)
    cases = [
        (lambda x: float(tg.constant(2.0)) * x, 2.0),                 # a constant
        (lambda x: float(before) * x, 2.0),                           # made before f
        (lambda x: x * float(np.asarray(2.0)), 2.0),                  # a NumPy number
        (lambda x: x * float(tg.size(x)), 1.0),                       # a size (int32)
        (lambda x: x * int(tg.rank(x) + 1), 1.0),                      # a rank (int32)
        (lambda x: float(tg.stop_gradient(x)) * x, 3.0),              # said so: no derivative
        (lambda x: float(tg.floor(x)) * x, 3.0),                      # a step: derivative 0
        (lambda x: x * float(tg.zeros_like(x) + 1.0), 1.0),           # made of no x value
        (lambda x: x * float(tg.cast(x > 0, tg.float64)), 1.0),       # bool, then a number
        (lambda x: x * tg.constant(np.asarray(tg.constant(4.0, tg.float64))), 4.0),
    ]
    for f, slope in cases:
        assert float(tg.grad(f)(3.0)) == slope
        assert float(tg.jvp(f, (3.0,), (1.0,))[1]) == slope
        assert float(tg.vjp(f, 3.0)[1](1.0)[0]) == slope


def test_branches_on_a_traced_value_stay_allowed():
    """``if x > 0`` (bool) and ``int(x)`` choose which operations run; each runs differentiated,
    so the derivative is that of the branch taken (as in JAX's grad)."""
    relu_ish = lambda x: x * x if x > 0 else -x
    assert float(tg.grad(relu_ish)(3.0)) == 6.0
    assert float(tg.grad(relu_ish)(-3.0)) == -1.0
    assert float(tg.grad(lambda x: int(x) * x)(3.5)) == 3.0   # d/dx ⌊x⌋·x = ⌊x⌋ off the steps
    assert float(tg.grad(lambda x: sum(x for _ in range(int(x))))(3.0)) == 3.0
    graph = tg.trace(lambda x: x * x if x > 0 else -x, x=2.0)
    assert float(graph.derivative(graph.output, "x")) == 4.0


def test_outside_tracing_numbers_work_as_before():
    x = tg.constant(3.0)
    assert float(x) == 3.0 and x.item() == 3.0 and math.sin(x) == math.sin(3.0)
    assert x.numpy() == np.float32(3.0) and np.asarray(x) == np.float32(3.0)
    assert complex(x) == 3 + 0j
    y = tg.grad(lambda t: t * t)(3.0)            # after a transform: a number again
    assert float(y) == 6.0 and y.numpy() == 6.0 and math.sqrt(y) == math.sqrt(6.0)
    tg.enable_eager_execution()
    try:
        e = tg.constant(2.0) * 3.0
        assert float(e) == 6.0 and e.numpy() == 6.0
    finally:
        tg.disable_eager_execution()
    with pytest.raises(ConcretizationError):
        tg.grad(lambda t: float(t))(1.0)
    assert float(x) == 3.0                       # the error leaves no tracing behind


def test_looking_at_a_value_inside_f_with_print(capsys):
    def f(x):
        print(x)
        return x * x
    assert float(tg.grad(f)(3.0)) == 6.0
    assert "3.0" in capsys.readouterr().out


def test_tracing_is_per_thread():
    """Another thread turning its own tensors into numbers is not refused by this thread's
    transform."""
    results = []
    started, done = threading.Event(), threading.Event()

    def other():
        started.wait(5)
        t = tg.constant(5.0)
        results.append(float(t * 2))
        done.set()

    def f(x):
        started.set()
        done.wait(5)
        return x * x

    worker = threading.Thread(target=other)
    worker.start()
    assert float(tg.grad(f)(3.0)) == 6.0
    worker.join()
    assert results == [10.0]


def test_widgets_and_plots_with_tensor_functions_still_work():
    pytest.importorskip("matplotlib")
    pytest.importorskip("ipywidgets")
    fig = tg.plot.derivatives(lambda x: tg.sin(x) * x, np.linspace(0, 1, 5), orders=(0, 1))
    assert len(fig.axes[0].lines) >= 2
    explorer = tg.widgets.DerivativeExplorer(lambda x: tg.sin(x) * x, x=(0, 1), point=1.0)
    assert "1.38" in explorer.readout.value
