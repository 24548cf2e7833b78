"""The transforms' contracts, option by option (issue 27: these kill surviving mutants of
teachgrad/autodiff/transforms.py): ``tf.gradients``' grad_ys, stop_gradients,
unconnected_gradients and name; ``grad``/``value_and_grad``/``vjp``/``jvp`` on numbers, arrays
and tensors; and every refusal with its whole hint.

TF-1 values were read off tensorflow.compat.v1 (TF 2.x, ``disable_v2_behavior``); the hints are
teachgrad's own words, stated whole.
"""

import re

import numpy as np
import pytest

import teachgrad as tg


def refuses(exc, message, fn, *args):
    with pytest.raises(exc, match="^" + re.escape(message) + "$"):
        fn(*args)


# --- tf.gradients ------------------------------------------------------------------------------

def test_gradients_refuses_what_is_no_tensor_and_what_is_not_floating():
    x = tg.constant(2.0)
    y = x * x
    refuses(ValueError, "gradients: unconnected_gradients 'foo': expected 'none' or 'zero'",
            tg.gradients, y, x, None, "gradients", False, False, None, None, "foo")
    refuses(TypeError, "gradients: ys[0] is a str; expected a tensor (the result to "
            "differentiate)", tg.gradients, "y", x)
    refuses(TypeError, "gradients: ys[1] is a NoneType; expected a tensor (the result to "
            "differentiate)", tg.gradients, [y, None], x)
    refuses(TypeError, "gradients: xs[1] is a float, expected a tensor from the computation "
            "(tg.constant, tg.Variable or a result)", tg.gradients, y, [x, 3.0])
    n = tg.constant(2, name="n")
    refuses(tg.DTypeError, "gradients: cannot differentiate with respect to 'n:0', a tensor of "
            "dtype <dtype: 'int32'>; derivatives need floating-point tensors: write 2.0 instead "
            "of 2, or use tg.cast(x, 'float64')", tg.gradients, y, n)


def test_gradients_of_an_unconnected_x_is_none_or_zeros_of_its_shape_and_dtype():
    x = tg.constant(2.0)
    u = tg.constant(np.zeros((2, 3), np.float64))
    y = x * x
    assert tg.gradients(y, [x, u])[1] is None
    assert tg.gradients(y, [x, u], unconnected_gradients="none")[1] is None
    got = tg.gradients(y, [x, u], unconnected_gradients="zero")
    assert float(got[0]) == 4.0
    assert got[1].shape == (2, 3) and got[1].dtype == tg.float64
    assert (got[1].numpy() == 0).all()


class _Zero:           # TF's tf.UnconnectedGradients.ZERO: an enum whose value is "zero"
    value = "zero"


def test_gradients_takes_an_enum_for_unconnected_gradients():
    x = tg.constant(2.0)
    u = tg.constant(1.0)
    assert float(tg.gradients(x * x, [u], unconnected_gradients=_Zero())[0]) == 0.0


def test_grad_ys_weigh_each_y_and_must_be_one_per_y():
    x = tg.placeholder(tg.float32, ())
    y1 = x * x
    y2 = x * 3.0
    refuses(ValueError, "gradients: 2 grad_ys for 1 ys; expected one per y",
            tg.gradients, y1, x, [1.0, 2.0])
    with tg.Session() as sess:
        # TF: grad_ys (2, None) on (x², 3x) at x = 3: 2·6 + 3 = 15
        assert sess.run(tg.gradients([y1, y2], x, grad_ys=[2.0, None]), {x: 3.0}) == [15.0]
        # TF: a grad_ys given as a tensor
        assert sess.run(tg.gradients(y1, x, grad_ys=tg.constant(0.5)), {x: 3.0}) == [3.0]


def test_a_scalar_grad_ys_weighs_every_element_and_a_wrong_shape_is_refused():
    # teachgrad's documented broadcast of grad_ys (TF-1 refuses a grad_ys of another shape)
    x = tg.constant(2.0)
    z = tg.constant([1.0, 2.0]) * x
    assert float(tg.gradients(z, x, grad_ys=[3.0])[0]) == 9.0          # 3·(1 + 2)
    assert float(tg.gradients(z, x, grad_ys=[[1.0, 10.0]])[0]) == 21.0
    refuses(tg.ShapeError, "gradients: grad_ys entry of shape (3,) does not fit y of shape "
            "(2,): expected y's shape", tg.gradients, z, x, [[1.0, 2.0, 3.0]])


def test_grad_ys_for_a_y_of_unknown_shape_broadcasts_when_it_runs():
    # (teachgrad's broadcast of a scalar grad_ys, as above)
    p = tg.placeholder(tg.float32, (None,))
    w = tg.placeholder(tg.float32, ())
    with tg.Session() as sess:
        got = sess.run(tg.gradients(p * w, w, grad_ys=2.0), {p: [1.0, 2.0, 3.0], w: 1.0})
        assert got == [12.0]                     # 2·(1 + 2 + 3)
        fed = tg.placeholder(tg.float32, ())
        got = sess.run(tg.gradients(p * w, w, grad_ys=fed), {p: [1.0, 2.0], w: 1.0, fed: 3.0})
        assert got == [9.0]


def test_the_seed_of_a_y_without_a_value_has_its_shape_and_a_floating_dtype():
    p = tg.placeholder(tg.float32, (2,))
    q = tg.placeholder(tg.float64, (None, 2))
    with tg.Session() as sess:
        # TF: d(p·p)/dp with ones of p's static shape; of q's run-time shape
        assert sess.run(tg.gradients(p * p, p), {p: [1.0, 2.0]})[0].tolist() == [2.0, 4.0]
        got = sess.run(tg.gradients(q * 3.0, q), {q: np.ones((3, 2))})[0]
        assert got.dtype == np.float64 and got.shape == (3, 2) and (got == 3.0).all()


def test_gradients_ops_are_named_under_the_name_given():
    x = tg.placeholder(tg.float32, ())
    y = x * x
    assert tg.gradients(y, x)[0].name.startswith("gradients/")
    assert tg.gradients(y, x, name="mine")[0].name.startswith("mine/")
    assert tg.gradients(y, x, name=None)[0].name.startswith("gradients_")   # TF: gradients_1/


def test_stop_gradients_given_as_one_tensor():
    a = tg.constant(3.0)
    b = a * 2.0
    c = b * a
    assert float(tg.gradients(c, a, stop_gradients=b)[0]) == 6.0      # TF: 6, held b
    assert float(tg.gradients(c, a, stop_gradients=[])[0]) == 12.0


# --- grad and value_and_grad -------------------------------------------------------------------

def test_grad_refuses_argnums_outside_the_arguments_and_integer_arguments():
    refuses(TypeError, "grad: argnums 2 but the function got 2 arguments: expected argnums in "
            "[-2, 1]", tg.grad(lambda a, b: a, argnums=2), 1.0, 2.0)
    refuses(TypeError, "grad: argnums -3 but the function got 2 arguments: expected argnums in "
            "[-2, 1]", tg.grad(lambda a, b: a, argnums=-3), 1.0, 2.0)
    assert float(tg.grad(lambda a, b: a * b, argnums=-2)(3.0, 5.0)) == 5.0
    with pytest.raises(tg.DTypeError, match=r"^grad: cannot differentiate with respect to "
                       r"'Const:0', a tensor of dtype <dtype: 'int64'>; derivatives need "
                       r"floating-point tensors: write 2\.0 instead of 2, or use "
                       r"tg\.cast\(x, 'float64'\)$"):
        tg.grad(lambda a: a)(3)


def test_grad_refuses_results_that_are_no_tensor():
    refuses(TypeError, "grad: f returned a numpy.float64, not a teachgrad tensor: NumPy's "
            "functions drop the graph, so the derivative would come out 0. Use tg.sin, not "
            "np.sin (a constant function may return a Python number)",
            tg.grad(lambda a: np.float64(1.0)), 3.0)
    refuses(TypeError, "grad: f returned a numpy.ndarray, not a teachgrad tensor: NumPy's "
            "functions drop the graph, so the derivative would come out 0. Use tg.sin, not "
            "np.sin (a constant function may return a Python number)",
            tg.grad(lambda a: np.ones(2)), 3.0)
    for bad, kind in (("s", "str"), (True, "bool"), (None, "NoneType")):
        refuses(TypeError, f"grad: f returned a {kind}; expected a number or a teachgrad tensor "
                "(compute the result with tg functions and return it, e.g. return tg.sin(x))",
                tg.grad(lambda a, bad=bad: bad), 3.0)
    # a constant function may return a Python number: its derivative is 0
    assert float(tg.grad(lambda a: 2)(3.0)) == 0.0
    assert float(tg.grad(lambda a: 2.5)(3.0)) == 0.0


def test_grad_and_value_and_grad_are_named_after_f():
    def square(a):
        return a * a
    assert tg.grad(square).__name__ == "grad_square"
    assert tg.value_and_grad(square).__name__ == "value_and_grad_square"
    assert tg.grad(np.sin).__name__ == "grad_sin"


def test_grad_takes_numbers_lists_and_arrays_and_leaves_the_arrays_alone():
    x = np.array([1.0, 2.0, 3.0])
    g = tg.grad(lambda a: tg.reduce_sum(a * a))(x)
    assert g.numpy().tolist() == [2.0, 4.0, 6.0] and g.dtype == tg.float64
    assert x.flags.writeable and x.tolist() == [1.0, 2.0, 3.0]
    assert tg.grad(lambda a: tg.reduce_sum(a * a))([1.0, 2.0]).numpy().tolist() == [2.0, 4.0]
    g = tg.grad(lambda a: a * a)(np.float32(3.0))
    assert g.dtype == tg.float32 and float(g) == 6.0
    g = tg.grad(lambda a: a * a)(3.0)                 # a Python float is float64 here
    assert g.dtype == tg.float64 and float(g) == 6.0


def test_value_and_grad_of_an_ignored_argument_is_zeros_of_its_shape():
    value, (ga, gb) = tg.value_and_grad(lambda a, b: a * 2.0, argnums=(0, 1))(
        3.0, np.ones((2, 2), np.float32))
    assert float(value) == 6.0 and float(ga) == 2.0
    assert gb.shape == (2, 2) and gb.dtype == tg.float32 and (gb.numpy() == 0).all()
    value, g = tg.value_and_grad(lambda a: tg.reduce_sum(a) * 0.0 + 1.0)(np.ones(3))
    assert float(value) == 1.0 and g.numpy().tolist() == [0.0, 0.0, 0.0]


def test_value_and_grad_sums_an_array_result_and_seeds_an_integer_one_in_float64():
    value, g = tg.value_and_grad(lambda a: a * a)(np.array([1.0, 2.0]))
    assert value.numpy().tolist() == [1.0, 4.0] and g.numpy().tolist() == [2.0, 4.0]
    value, g = tg.value_and_grad(lambda a: tg.cast(a, tg.int32))(2.5)
    assert int(value) == 2 and float(g) == 0.0


def test_the_transforms_add_nothing_to_the_users_program():
    graph = tg.get_default_graph()
    before = len(graph.get_operations())
    tg.grad(lambda a: a * a)(3.0)
    tg.value_and_grad(lambda a: a * a)(3.0)
    _, fn = tg.vjp(lambda a: a * a, 3.0)
    fn(1.0)
    tg.jvp(lambda a: a * a, (3.0,), (1.0,))
    assert len(graph.get_operations()) == before


# --- vjp and jvp -------------------------------------------------------------------------------

def test_vjp_refuses_cotangents_that_do_not_fit():
    out, fn = tg.vjp(lambda a: (a, a * 2.0), 3.0)
    refuses(ValueError, "vjp_fn: got 1 cotangents for 2 outputs", fn, 1.0)
    refuses(TypeError, "vjp_fn: the cotangent is None; expected a number or an array of the "
            "output's shape () (ones, for a gradient)", fn, (None, 1.0))
    refuses(tg.ShapeError, "vjp_fn: cotangent of shape (2,) for an output of shape (): expected "
            "the output's shape", fn, (np.ones(2), 1.0))
    assert [float(o) for o in out] == [3.0, 6.0]
    assert float(fn((1.0, 1.0))[0]) == 3.0
    assert float(fn([tg.constant(2.0, tg.float64), 0.5])[0]) == 3.0


def test_vjp_gives_zeros_for_an_unused_primal_and_keeps_its_arguments():
    a = np.array([1.0, 2.0])
    out, fn = tg.vjp(lambda a, b: a * 3.0, a, np.float32(1.0))
    a[0] = 100.0                        # vjp_fn runs later: it copied its arguments
    ga, gb = fn(np.ones(2))
    assert ga.numpy().tolist() == [3.0, 3.0]
    assert gb.dtype == tg.float32 and float(gb) == 0.0
    assert out.numpy().tolist() == [3.0, 6.0]


def test_jvp_refuses_tangents_that_do_not_fit():
    refuses(ValueError, "jvp: 2 primals but 1 tangents; expected one tangent per primal",
            tg.jvp, lambda a: a, (1.0, 2.0), (1.0,))
    refuses(TypeError, "jvp: a tangent is None; expected a number or an array of the primal's "
            "shape ()", tg.jvp, lambda a: a, (1.0,), (None,))
    refuses(tg.ShapeError, "jvp: tangent of shape (2,) for a primal of shape (): expected the "
            "primal's shape", tg.jvp, lambda a: a, (1.0,), (np.ones(2),))


def test_jvp_of_several_outputs_and_of_an_output_that_ignores_the_primal():
    outs, slopes = tg.jvp(lambda a: (a * a, tg.constant(np.ones(2, np.float32))), (3.0,), (1.0,))
    assert [float(o) for o in outs[:1]] == [9.0] and float(slopes[0]) == 6.0
    assert slopes[1].shape == (2,) and slopes[1].dtype == tg.float32
    assert (slopes[1].numpy() == 0).all()
    out, slope = tg.jvp(lambda a: a * a, 3.0, 0.5)     # a single primal need not be a tuple
    assert float(out) == 9.0 and float(slope) == 3.0
    out, slope = tg.jvp(lambda a: a * 2.0, (np.array([1.0, 2.0]),), ([1.0, -1.0],))
    assert slope.numpy().tolist() == [2.0, -2.0]


def test_jvp_with_a_tensor_tangent_records_its_result():
    x = tg.constant(3.0)
    t = tg.constant(1.0)
    _, slope = tg.jvp(lambda a: a * a, (x,), (t,))      # 2x·t
    assert float(slope) == 6.0
    assert float(tg.gradients(slope, t)[0]) == 6.0
    assert float(tg.gradients(slope, x)[0]) == 2.0
