"""What ``grad``/``value_and_grad`` promise in the cases their fast paths must still get right
(issue 27: these kill surviving mutants of teachgrad/autodiff/transforms.py).

``value_and_grad`` reads its reverse pass off the tape of the tensors f made, and takes that
shortcut only when the tape missed none of them and no variable assignment could make the
result stale. The tests below are the cases at the edges of that decision, each stated as what
a user sees — a number checked against its derivative worked by hand or by finite differences,
or the error of a stale read:

- a tensor f computes in another thread is not on f's tape, and the derivative through it is
  still the whole one (the chain rule through every factor), also in a fresh process where no
  variable was ever assigned (the tape's quickest check);
- a derivative taken inside another one, of a function given an array and closing over the
  outer variable, is recorded so that the outer derivative sees it;
- in eager mode, a result computed before its variable was assigned is refused (whether f made it
  or captured it), and one computed after is not;
- the tensor f receives for a Python float is like the one for an array: no given name.
"""

import os
import subprocess
import sys
import textwrap
import threading
from pathlib import Path

import numpy as np
import pytest

import teachgrad as tg


def in_thread(fn):
    """``fn()`` run in a thread of its own (its tensors are made off the calling thread's tape)."""
    box = []
    worker = threading.Thread(target=lambda: box.append(fn()))
    worker.start()
    worker.join()
    return box[0]


def central_difference(f, x, h=1e-6):
    return (f(x + h) - f(x - h)) / (2 * h)


# --- tensors made off the tape --------------------------------------------------------------

def test_a_factor_computed_in_another_thread_takes_part_in_the_derivative():
    # d/dx x·(3x) = 6x, and with the factor made of two ops: d/dx x·(3x·1) = 6x too
    assert float(tg.grad(lambda x: x * in_thread(lambda: x * 3.0))(2.0)) == 12.0
    assert float(tg.grad(lambda x: x * in_thread(lambda: (x * 3.0) * 1.0))(2.0)) == 12.0
    assert float(tg.grad(lambda x: x * in_thread(lambda: (x * 3.0 + 1.0) * 1.0))(2.0)) == 13.0


def times_three_halves(y, k):
    for _ in range(k):
        y = y * 1.5
    return y


@pytest.mark.parametrize("k", [1, 2, 3, 4])
def test_a_second_derivative_through_a_factor_computed_in_another_thread(k):
    # inner: d/dy y·(1.5^k·y) = 2·1.5^k·y; outer, at y = x: d/dx 2·1.5^k·x = 2·1.5^k
    def slope(x):
        return tg.grad(lambda y: y * in_thread(lambda: times_three_halves(y, k)))(x)

    assert float(tg.grad(slope)(2.0)) == 2 * 1.5 ** k


def test_factors_computed_in_another_thread_in_a_process_where_no_variable_was_assigned():
    # The common case, a process with no eager assignment (any earlier test's assign changes
    # how the tape is checked for the rest of the process): the same numbers as above.
    program = textwrap.dedent("""
        import teachgrad as tg
        from tests.autodiff.test_transform_mutants import in_thread, times_three_halves as chain

        got = [float(tg.grad(lambda x: x * in_thread(lambda: chain(x, k)))(2.0))
               for k in (1, 2, 3)]
        got += [float(tg.grad(lambda x: tg.grad(
            lambda y: y * in_thread(lambda: chain(y, k)))(x))(2.0)) for k in (1, 2, 3, 4)]
        print(got)
    """)
    package_root = str(Path(tg.__file__).resolve().parent.parent)
    env = dict(os.environ, PYTHONPATH=package_root)
    done = subprocess.run([sys.executable, "-c", program], env=env, capture_output=True,
                          text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    # d/dx x·(1.5^k·x) = 2·1.5^k·x at x = 2; the second derivative 2·1.5^k
    expected = [4 * 1.5 ** k for k in (1, 2, 3)] + [2 * 1.5 ** k for k in (1, 2, 3, 4)]
    assert done.stdout.strip() == str(expected)
    # and in this process, whatever was assigned before, the first of them
    here = tg.grad(lambda x: x * in_thread(lambda: times_three_halves(x, 1)))(2.0)
    assert float(here) == expected[0]


def test_a_factor_computed_in_another_thread_gives_the_whole_gradient_of_an_array():
    x = np.array([2.0, 1.0, -0.5])

    def f(x):
        return tg.reduce_sum(tg.sin(x) * in_thread(lambda: x * x))

    value, slope = tg.value_and_grad(f)(x)
    assert float(value) == pytest.approx(np.sum(np.sin(x) * x * x))
    np.testing.assert_allclose(slope, np.cos(x) * x * x + 2 * x * np.sin(x), rtol=1e-12)
    numeric = [central_difference(lambda t: float(f(np.where(np.arange(3) == i, t, x))), x[i])
               for i in range(3)]
    np.testing.assert_allclose(slope, numeric, rtol=1e-6)


# --- the argument f receives ---------------------------------------------------------------

def test_the_tensor_f_receives_has_no_given_name_whatever_the_argument():
    # given_name is None when no name= was given: for a Python float as for an array or a scalar
    seen = []

    def f(x):
        seen.append(x.given_name)
        return x * x

    for argument in (2.0, np.float64(2.0), np.array([2.0, 3.0])):
        tg.grad(lambda x: tg.reduce_sum(f(x)))(argument)
    assert seen == [None, None, None]


# --- a derivative inside a derivative -------------------------------------------------------

def test_a_derivative_by_an_array_inside_a_derivative_sees_the_outer_variable():
    # inner: d/dy sum(x·y) = x at each of y's two elements; outer: d/dx sum(x, x) = 2
    def outer(x):
        return tg.reduce_sum(tg.grad(lambda y: tg.reduce_sum(x * y))(np.array([2.0, 5.0])))

    assert float(tg.grad(outer)(3.0)) == 2.0
    # inner: d/dy x·y² = 2xy at y = 2: 4x; outer: d/dx 4x = 4
    assert float(tg.grad(lambda x: tg.grad(lambda y: x * y * y)(np.float64(2.0)))(3.0)) == 4.0


def test_a_derivative_inside_a_derivative_by_an_array_gives_the_mixed_partial():
    # f(x, y) = sum(sin(x)·y²): ∂²f/∂x∂y summed over y = cos(x)·2·sum(y)
    y = np.array([0.5, -1.0, 2.0])

    def slope_in_y(x):
        return tg.reduce_sum(tg.grad(lambda v: tg.reduce_sum(tg.sin(x) * v * v))(y))

    assert float(tg.grad(slope_in_y)(0.3)) == pytest.approx(np.cos(0.3) * 2 * y.sum(), rel=1e-12)


# --- eager mode: variables assigned ---------------------------------------------------------

def test_a_result_f_returns_from_before_an_assignment_is_refused(eager):
    w = tg.Variable(2.0, name="w", dtype=tg.float64)
    stale = w * w
    w.assign(5.0)
    with pytest.raises(ValueError, match="^'mul:0' was computed before variable 'w' was "
                                         "assigned a new value: its derivative would mix"):
        tg.value_and_grad(lambda x: stale)(1.0)
    with pytest.raises(ValueError, match="was computed before variable 'w' was assigned"):
        tg.grad(lambda x: stale)(np.array([1.0, 2.0]))


def test_a_result_f_returns_from_after_an_assignment_has_a_zero_derivative(eager):
    w = tg.Variable(2.0, name="w", dtype=tg.float64)
    w.assign(5.0)
    fresh = w * w
    value, slope = tg.value_and_grad(lambda x: fresh)(1.0)
    assert float(value) == 25.0 and float(slope) == 0.0
    value, slope = tg.value_and_grad(lambda x: fresh)(np.array([1.0, 2.0]))
    assert float(value) == 25.0
    np.testing.assert_array_equal(slope, [0.0, 0.0])


def test_f_that_assigns_a_variable_it_has_read_is_refused(eager):
    w = tg.Variable(2.0, name="w", dtype=tg.float64)

    def f(x):
        y = w * x
        w.assign(7.0)      # y was computed with w = 2; its derivative would read 7
        return y

    with pytest.raises(ValueError, match="^'mul:0' was computed before variable 'w' was "
                                         "assigned a new value"):
        tg.grad(f)(1.0)
    with pytest.raises(ValueError, match="was computed before variable 'w' was assigned"):
        tg.grad(f)(np.array([1.0, 2.0]))


def test_f_that_assigns_a_variable_before_reading_it_gets_the_new_value(eager):
    w = tg.Variable(2.0, name="w", dtype=tg.float64)

    def f(x):
        w.assign(7.0)
        return w * x * x

    value, slope = tg.value_and_grad(f)(3.0)
    assert (float(value), float(slope)) == (63.0, 42.0)
