"""Transforms inside transforms, and what each transform gives back (issue 27: these kill the
surviving mutants of teachgrad/autodiff/transforms.py's nesting — the tracer handed on to an
inner transform and restored after it, a derivative that must record itself when f closes over
what an outer transform differentiates — and of its smaller contracts).

Values are exact (worked by hand); TF-1's behaviour was read off tensorflow.compat.v1.
"""

import functools
import re

import numpy as np
import pytest

import teachgrad as tg
from teachgrad.errors import ConcretizationError
from teachgrad.autodiff.transforms import traced_call


# --- a derivative inside another transform records itself --------------------------------------

def test_grad_of_a_grad_that_closes_over_the_outer_argument():
    # d/dx [d/dy x*y*y at y=3] = d/dx 6x = 6
    assert float(tg.grad(lambda x: tg.grad(lambda y: x * y * y)(3.0))(2.0)) == 6.0
    # three deep: d/dz x*y*z*z = 2xyz -> at z=1, times y: 2xy^2 -> d/dy at y=1: 4x -> d/dx: 4
    f = lambda x: tg.grad(lambda y: tg.grad(lambda z: x * y * z * z)(1.0) * y)(1.0)
    assert float(tg.grad(f)(2.0)) == 4.0
    assert float(tg.grad(tg.grad(f))(2.0)) == 0.0


def test_vjp_and_jvp_inside_grad_that_close_over_the_outer_argument():
    # vjp of y -> x*y is x: d/dx x = 1
    assert float(tg.grad(lambda x: tg.vjp(lambda y: x * y, 3.0)[1](1.0)[0])(2.0)) == 1.0
    # jvp of y -> x*y*y along 1 at y=3 is 6x: d/dx = 6
    assert float(tg.grad(lambda x: tg.jvp(lambda y: x * y * y, (3.0,), (1.0,))[1])(2.0)) == 6.0


def test_trace_of_a_function_that_takes_a_derivative_inside():
    # d/dy (x*y) is x: the traced result is x itself, not a number cut off from it
    g = tg.trace(lambda x: tg.grad(lambda y: x * y)(1.0), x=2.0)
    out = g.nodes[-1]
    assert float(g.value(out)) == 2.0 and float(g.derivative(out, "x")) == 1.0
    g = tg.trace(lambda x: tg.vjp(lambda y: x * y * y, 3.0)[1](1.0)[0], x=2.0)   # 6x
    out = g.nodes[-1]
    assert float(g.value(out)) == 12.0 and float(g.derivative(out, "x")) == 6.0


@pytest.mark.parametrize("where, f", [
    ("grad", lambda x: tg.grad(lambda y: y * float(x))(1.0)),          # inside the inner one
    ("grad", lambda x: tg.grad(tg.sin)(1.0) * float(x)),               # after it returned
    ("vjp", lambda x: tg.vjp(lambda y: y * float(x), 1.0)[0]),
    ("grad", lambda x: tg.vjp(tg.sin, 1.0)[0] * float(x)),
    ("jvp", lambda x: tg.jvp(lambda y: y * float(x), (1.0,), (1.0,))[0]),
    ("grad", lambda x: tg.jvp(tg.sin, (1.0,), (1.0,))[0] * float(x)),
])
def test_the_outer_argument_stays_traced_inside_and_after_an_inner_transform(where, f):
    # float(x) of the outer grad's x would silently cut its derivative: refused, by the
    # transform running f at that moment
    with pytest.raises(ConcretizationError, match="^" + re.escape(f"{where}: float() of a "
                                                                      "traced tensor")):
        tg.grad(f)(2.0)


# --- what f may return ---------------------------------------------------------------------------

NUMPY = ("f returned a numpy.float64, not a teachgrad tensor: NumPy's functions drop the graph, "
         "so the derivative would come out 0. Use tg.sin, not np.sin (a constant function may "
         "return a Python number)")


def test_vjp_and_jvp_refuse_a_numpy_result_and_grad_a_list():
    with pytest.raises(TypeError, match="^" + re.escape("vjp: " + NUMPY) + "$"):
        tg.vjp(lambda x: np.float64(1.0), 1.0)
    with pytest.raises(TypeError, match="^" + re.escape("jvp: " + NUMPY) + "$"):
        tg.jvp(lambda x: np.float64(1.0), (1.0,), (1.0,))
    with pytest.raises(TypeError, match="^" + re.escape(
            "grad: f returned a list; expected a number or a teachgrad tensor (compute the "
            "result with tg functions and return it, e.g. return tg.sin(x))") + "$"):
        tg.grad(lambda x: [x, x])(1.0)


def test_grad_of_f_whose_value_waits_for_a_feed_says_what_to_feed():
    with tg.Graph().as_default():
        p = tg.placeholder(tg.float32, ())
        with pytest.raises(tg.NoValueError, match="depends on placeholder 'Placeholder:0'"):
            tg.grad(lambda a: a * p)(np.float32(1.0))


def test_jvp_of_an_integer_result_has_a_floating_zero_tangent():
    out, tangent = tg.jvp(lambda x: tg.cast(x, tg.int32), (1.5,), (1.0,))
    assert int(out) == 1 and out.dtype == tg.int32
    assert tangent.dtype == tg.float64 and float(tangent) == 0.0


def test_the_transformed_functions_names():
    def cube(x):
        return x ** 3
    assert tg.grad(cube).__name__ == "grad_cube"
    assert tg.value_and_grad(cube).__name__ == "value_and_grad_cube"
    scaled = functools.partial(lambda a, x: a * x, 2.0)      # no __name__
    assert tg.grad(scaled).__name__ == "grad_f"
    assert tg.value_and_grad(scaled).__name__ == "value_and_grad_f"


def test_vjp_fn_uses_the_primal_as_it_was_when_vjp_ran():
    a = np.array([1.0, 2.0])
    _, vjp_fn = tg.vjp(lambda x: x * x, a)
    a[:] = 10.0                                   # changed after vjp, before vjp_fn
    (g,) = vjp_fn(np.ones(2))
    np.testing.assert_array_equal(g.numpy(), [2.0, 4.0])


def test_traced_call_passes_keyword_arguments_on():
    x = tg.constant(1.0)
    out = traced_call(lambda x, k=1.0: x * k, [x], [x], "trace", {"k": 3.0})
    assert float(out.numpy()) == 3.0


# --- tf.gradients' options (TF-1's behaviour) -----------------------------------------------------

class _None:           # TF's tf.UnconnectedGradients.NONE: an enum whose value is "none"
    value = "none"


def test_gradients_takes_the_none_enum_for_unconnected_gradients():
    x = tg.constant(2.0)
    u = tg.constant(1.0)
    got = tg.gradients(x * x, [x, u], unconnected_gradients=_None())
    assert float(got[0]) == 4.0 and got[1] is None


def test_stop_gradients_in_graph_mode():
    with tg.Graph().as_default():
        a = tg.constant(0.0)
        b = 2 * a
        with tg.Session() as sess:
            assert sess.run(tg.gradients(a + b, [a, b], stop_gradients=[a, b])) == [1.0, 1.0]
            assert sess.run(tg.gradients(a + b, [a, b])) == [3.0, 1.0]


def test_grad_ys_of_another_dtype_is_refused_as_tf1_refuses_it():
    # TF-1: TypeError "Input 'y' of 'Mul' Op has type float32 that does not match type float64"
    with tg.Graph().as_default():
        a = tg.constant(2.0)
        y = a * tg.constant(3.0)
        with pytest.raises(TypeError, match="float32 that does not match dtype float64"):
            tg.gradients(y, [a], grad_ys=tg.constant(1.0, tg.float64))


def test_stop_gradients_in_eager_mode(eager):
    a = tg.constant(0.0)
    b = 2 * a
    assert [float(g) for g in tg.gradients(a + b, [a, b], stop_gradients=[a, b])] == [1.0, 1.0]
    assert [float(g) for g in tg.gradients(a + b, [a, b])] == [3.0, 1.0]


def test_value_and_grad_by_no_argument_of_a_function_that_makes_nothing():
    c = tg.constant(1.0)
    value, grads = tg.value_and_grad(lambda x: c, argnums=())(tg.constant(2.0))
    assert float(value) == 1.0 and grads == ()
