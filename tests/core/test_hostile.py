"""Issue 13 ("hostile and careless input"), the core's share: careless arguments to the core's
functions get a clear teachgrad error, never a raw NumPy one, a silent truncation or a wrong
answer. The core is being rewritten (graph mode); these are the regression tests its fixes must
pass.

The teaching layer's share is tests/widgets/test_hostile.py.
"""

import threading

import numpy as np
import pytest

import teachgrad as tg


def core(test):
    return test   # these were xfail until the core fixes landed; now they must pass


@pytest.fixture
def eager():
    """Eager mode where graph mode exists: Variables then hold their values at once."""
    enable = getattr(tg, "enable_eager_execution", None)
    disable = getattr(tg, "disable_eager_execution", None)
    was_eager = getattr(tg, "executing_eagerly", lambda: True)()
    if enable is not None:
        enable()
    yield
    if disable is not None and not was_eager:
        disable()


@core
def test_an_integer_variable_refuses_a_fraction_and_nan(eager):
    v = tg.Variable(np.int32(1))
    with pytest.raises((TypeError, ValueError), match="int32"):
        v.assign(2.7)                      # silently 2 today
    with pytest.raises((TypeError, ValueError), match="nan|NaN"):
        v.assign(float("nan"))             # silently -2147483648 today
    assert int(v.numpy()) == 1


@core
def test_assign_add_of_a_wrong_shape_is_a_shape_error(eager):
    w = tg.Variable([1.0, 2.0])
    with pytest.raises(tg.ShapeError, match=r"\(2,\).*\(3,\)|\(3,\).*\(2,\)"):
        w.assign_add([1.0, 2.0, 3.0])      # a raw NumPy broadcasting error today
    np.testing.assert_array_equal(w.numpy(), [1.0, 2.0])


@core
def test_conv2d_checks_its_strides_and_filters():
    x = tg.ones((1, 5, 5, 1))
    with pytest.raises((TypeError, ValueError), match="strides"):
        tg.nn.conv2d(x, tg.ones((3, 3, 1, 1)), strides="11", padding="VALID")   # accepted today
    with pytest.raises(tg.ShapeError, match="filter"):
        tg.nn.conv2d(x, tg.ones((0, 0, 1, 1)), strides=1, padding="VALID")    # (1, 6, 6, 1) today


@core
def test_reduce_sum_refuses_a_repeated_axis():
    with pytest.raises(ValueError, match="axis"):
        tg.reduce_sum(tg.ones((2, 3)), axis=(0, 0))                     # sums once today


@core
@pytest.mark.filterwarnings("ignore::PendingDeprecationWarning")     # np.matrix
@pytest.mark.parametrize("make, index", [(lambda: np.matrix([[1.0, 2.0]]), (0, 0)),
                                         (lambda: np.ma.array([1.0, 2.0], mask=[0, 1]), 0)],
                         ids=["matrix", "masked"])
def test_a_constant_never_shares_the_callers_memory(make, index):
    source = make()
    c = tg.constant(source)
    before = c.numpy().copy()
    source[index] = 99.0
    np.testing.assert_array_equal(c.numpy(), before)      # today the tensor sees the 99
    assert type(c.numpy()) is np.ndarray


@core
def test_gradients_of_a_string_is_a_type_error():
    with pytest.raises(TypeError, match="str"):
        tg.gradients("abc", tg.constant(1.0))              # [None] today


@core
def test_grad_checks_negative_argnums():
    assert float(tg.grad(lambda x, y: x * y, argnums=-1)(2.0, 3.0)) == 2.0
    with pytest.raises(TypeError, match="argnums"):
        tg.grad(lambda x: x, argnums=-5)(1.0)              # a bare IndexError today


@core
def test_the_nesting_count_of_grad_is_per_thread():
    """A grad running in one thread must not make another thread's grad record its graph (it
    would if the count were shared: the other thread's result would be a recorded tensor)."""
    inside, release, seen = threading.Event(), threading.Event(), {}

    def slow(x):
        inside.set()
        release.wait(5)
        return x * x

    worker = threading.Thread(target=lambda: tg.grad(slow)(1.0))
    worker.start()
    try:
        assert inside.wait(5)
        seen["prim"] = tg.grad(lambda x: x * x)(3.0).prim   # a plain result: nothing recorded
    finally:
        release.set()
        worker.join(5)
    assert seen["prim"] is None
