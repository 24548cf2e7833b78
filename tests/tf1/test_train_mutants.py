"""What the optimizers do at their edges, each against TensorFlow 1 (issue 27's survivors of
tf1/train/optimizer.py and optimizers.py).

Every expected value, name and message below was read off TensorFlow 2.21's
``tensorflow.compat.v1`` (graph mode unless said): the loss is ``sum(w³/3 + w)`` from
``w = [1, -2]``, whose gradient is ``w² + 1``; two steps of ``minimize`` are taken.
"""

import numpy as np
import pytest

import teachgrad as tg


def two_steps(make, dtype=tg.float32, init=(1.0, -2.0)):
    with tg.Graph().as_default():
        w = tg.Variable(np.array(init), dtype=dtype, name="w")
        step = make().minimize(tg.reduce_sum(w * w * w / 3 + w))
        with tg.Session() as sess:
            sess.run(tg.global_variables_initializer())
            out = []
            for _ in range(2):
                sess.run(step)
                value = sess.run(w)
                assert value.dtype == np.dtype(dtype.as_numpy_dtype)
                out.append(value.tolist())
            return out


# optimizer -> (its two steps read off TensorFlow), for hyper-parameters the other tests leave out
TF_TWO_STEPS = {
    "Adam with its default learning rate 0.001":
        (lambda: tg.train.AdamOptimizer(),
         [[0.9990000128746033, -2.000999927520752], [0.9980000257492065, -2.001999855041504]]),
    "GradientDescent with a callable learning rate":
        (lambda: tg.train.GradientDescentOptimizer(lambda: 0.25),
         [[0.5, -3.25], [0.1874999701976776, -6.140625]]),
    "Adam with callable betas":
        (lambda: tg.train.AdamOptimizer(0.1, beta1=lambda: 0.5, beta2=lambda: 0.75),
         [[0.8999999761581421, -2.0999999046325684], [0.8010787963867188, -2.2006702423095703]]),
    "RMSProp with epsilon 1":
        (lambda: tg.train.RMSPropOptimizer(0.1, epsilon=1.0),
         [[0.8681238889694214, -2.238365650177002], [0.7567120790481567, -2.4553511142730713]]),
    "centered RMSProp with epsilon 1":
        (lambda: tg.train.RMSPropOptimizer(0.1, epsilon=1.0, centered=True, momentum=0.5),
         [[0.8669619560241699, -2.2454404830932617], [0.6861961483955383, -2.603358745574951]]),
}


@pytest.mark.parametrize("name", TF_TWO_STEPS)
def test_hyper_parameters_as_tensorflow_uses_them(name):
    make, expected = TF_TWO_STEPS[name]
    np.testing.assert_allclose(two_steps(make), expected, rtol=2e-6)


# float16 variables: the hyper-parameters and Adam's float32 β-powers are cast to float16
TF_FLOAT16 = {
    "gd": (lambda: tg.train.GradientDescentOptimizer(0.1),
           [[0.80029296875, -2.5], [0.63623046875, -3.224609375]]),
    "adam": (lambda: tg.train.AdamOptimizer(0.1),
             [[0.89990234375, -2.099609375], [0.80029296875, -2.19921875]]),
    "momentum": (lambda: tg.train.MomentumOptimizer(0.1, 0.9),
                 [[0.80029296875, -2.5], [0.45654296875, -3.673828125]]),
    "nesterov": (lambda: tg.train.MomentumOptimizer(0.1, 0.9, use_nesterov=True),
                 [[0.6201171875, -2.94921875], [0.1953125, -5.1953125]]),
    "rmsprop": (lambda: tg.train.RMSPropOptimizer(0.1, momentum=0.5),
                [[0.82470703125, -2.271484375], [0.59765625, -2.642578125]]),
    "adagrad": (lambda: tg.train.AdagradOptimizer(0.1),
                [[0.9013671875, -2.099609375], [0.83447265625, -2.173828125]]),
}


@pytest.mark.parametrize("name", TF_FLOAT16)
def test_float16_variables_train_in_float16_as_tensorflow(name):
    make, expected = TF_FLOAT16[name]
    np.testing.assert_allclose(two_steps(make, tg.float16), expected, rtol=2e-3)


def test_float64_gradient_step_uses_the_float32_learning_rate_cast_to_float64():
    # TensorFlow makes 0.1 a float32 tensor and casts it: 3 − float64(0.1f)·6 = 2.3999999910593033
    with tg.Graph().as_default():
        w = tg.Variable(3.0, dtype=tg.float64)
        step = tg.train.GradientDescentOptimizer(0.1).minimize(w * w)
        with tg.Session() as sess:
            sess.run(tg.global_variables_initializer())
            sess.run(step)
            assert sess.run(w) == 2.3999999910593033


def test_grad_loss_weights_the_gradient_in_minimize_and_compute_gradients():
    with tg.Graph().as_default():
        w = tg.Variable([1.0, 2.0], name="w")
        optimizer = tg.train.GradientDescentOptimizer(0.1)
        (g, _), = optimizer.compute_gradients(w * w, grad_loss=tg.constant([3.0, -1.0]))
        step = optimizer.minimize(w * w, grad_loss=tg.constant([3.0, -1.0]), name="train")
        assert step.name == "train"
        with tg.Session() as sess:
            sess.run(tg.global_variables_initializer())
            np.testing.assert_allclose(sess.run(g), [6.0, -4.0])
            sess.run(step)
            np.testing.assert_allclose(sess.run(w), [0.39999998, 2.4], rtol=1e-6)


def test_update_ops_are_named_as_tensorflow_names_them():
    with tg.Graph().as_default() as graph:
        with tg.variable_scope("layer"):
            w = tg.get_variable("w", initializer=[1.0, 2.0])
        loss = tg.reduce_sum(w * w)
        before = {op.name for op in graph.get_operations()}
        step = tg.train.MomentumOptimizer(0.1, 0.9).minimize(loss)
        made = [op.name for op in graph.get_operations() if op.name not in before]
        assert step.name == "Momentum"
        # TensorFlow: gradients/…, the slot layer/w/Momentum…, Momentum/update_layer/w/…, Momentum
        tops = {name.split("/")[0] for name in made}
        assert tops == {"gradients", "layer", "Momentum"}
        assert any(name.startswith("Momentum/update_layer/w/") for name in made)
        assert "Momentum/update" not in made       # only with a global step
        # a second optimizer of the same name: its own scope Momentum_1/ and slot w/Momentum_1
        gs = tg.train.get_or_create_global_step()
        before = {op.name for op in graph.get_operations()}
        optimizer = tg.train.MomentumOptimizer(0.1, 0.9)
        step = optimizer.minimize(loss, global_step=gs)
        made = [op.name for op in graph.get_operations() if op.name not in before]
        assert step.name == "Momentum_1" and step.type == "AssignAdd"
        assert optimizer.get_slot(w, "momentum").name == "layer/w/Momentum_1:0"
        assert "Momentum_1/update" in made
        assert any(name.startswith("Momentum_1/update_layer/w/") for name in made)
        assert not any(name.startswith("Momentum/") for name in made)


def test_adam_beta_powers_update_after_the_variables():
    # TensorFlow: running Adam's beta1_power update alone runs the variable's update first
    with tg.Graph().as_default() as graph:
        w = tg.Variable(1.0, name="w")
        tg.train.AdamOptimizer(0.1).minimize(w * w)
        with tg.Session() as sess:
            sess.run(tg.global_variables_initializer())
            sess.run(graph.get_operation_by_name("Adam/Assign"))
            np.testing.assert_allclose(sess.run(w), 0.90000004, rtol=1e-6)
            np.testing.assert_allclose(sess.run(graph.get_tensor_by_name("beta1_power:0")),
                                       0.80999994, rtol=1e-6)


def test_slots_are_not_trainable_and_get_slot_of_an_unknown_slot_is_none():
    with tg.Graph().as_default():
        w = tg.Variable(1.0, name="w")
        for optimizer in (tg.train.MomentumOptimizer(0.1, 0.9), tg.train.AdamOptimizer(0.1)):
            optimizer.minimize(w * w)
            assert [v.name for v in tg.trainable_variables()] == ["w:0"]
            assert optimizer.get_slot(w, "no such slot") is None


def test_variables_are_those_of_the_default_graph():
    optimizer = tg.train.AdamOptimizer(0.1)
    first, second = tg.Graph(), tg.Graph()
    with first.as_default():
        w = tg.Variable(1.0, name="w")
        optimizer.minimize(w * w)
    with second.as_default():
        u = tg.Variable(1.0, name="u")
        optimizer.minimize(u * u)
        assert [v.name for v in optimizer.variables()] == [
            "beta1_power:0", "beta2_power:0", "u/Adam:0", "u/Adam_1:0"]
    with first.as_default():
        assert [v.name for v in optimizer.variables()] == [
            "beta1_power:0", "beta2_power:0", "w/Adam:0", "w/Adam_1:0"]


def test_an_optimizer_without_an_update_rule_says_so():
    class NoRule(tg.train.Optimizer):
        def __init__(self):
            super().__init__(False, "NoRule")

    with tg.Graph().as_default():
        w = tg.Variable(1.0)
        with pytest.raises(NotImplementedError, match="^NoRule has no update rule$"):
            NoRule().minimize(w * w)


def _graph_errors():
    w = tg.Variable([1.0, 2.0], name="w")
    c = tg.constant(2.0) * 3.0
    optimizer = tg.train.GradientDescentOptimizer(0.1)
    return {
        "empty name": (lambda: tg.train.GradientDescentOptimizer(0.1, name=""),
                       ValueError, "^Must specify the optimizer name$"),
        "no gradient": (lambda: optimizer.minimize(c), ValueError,
                        r"^No gradients provided for any variable, check your graph for ops that "
                        r"do not support gradients, between variables \['w:0'\] and loss "
                        r'Tensor\("mul:0", shape=\(\), dtype=float32\)\.$'),
        "not a variable": (lambda: optimizer.compute_gradients(w * w, var_list=[c]), TypeError,
                           r"is not a variable: an optimizer can only train tg\.Variable / "
                           r"tg\.get_variable variables$"),
        "no pairs": (lambda: optimizer.apply_gradients([]), ValueError,
                     r"^No variables provided\.$"),
        "a triple": (lambda: optimizer.apply_gradients([(tg.constant([1.0, 1.0]), w, 1)]),
                     ValueError, r"is not a \(gradient, variable\) pair$"),
        "not a pair": (lambda: optimizer.apply_gradients([w]), TypeError,
                       r"is not a \(gradient, variable\) pair$"),
        "a tensor for a variable": (
            lambda: optimizer.apply_gradients([(tg.constant([1.0, 1.0]), c)]), TypeError,
            r"^apply_gradients: .* is not a variable$"),
        "shape": (lambda: optimizer.apply_gradients([(tg.constant([1.0, 1.0, 1.0]), w)]),
                  ValueError, r"^apply_gradients: gradient of shape \(3,\) for variable 'w:0' "
                              r"of shape \(2,\)$"),
        "all None": (lambda: optimizer.apply_gradients([(None, w)]), ValueError,
                     r"^No gradients provided for any variable: \['w:0'\]\.$"),
    }


@pytest.mark.parametrize("case", ["empty name", "no gradient", "not a variable", "no pairs",
                                  "a triple", "not a pair", "a tensor for a variable", "shape",
                                  "all None"])
def test_misuse_is_refused_with_tensorflows_error(case):
    with tg.Graph().as_default():
        call, error, message = _graph_errors()[case]
        with pytest.raises(error, match=message):
            call()


def test_no_variables_to_optimize():
    with tg.Graph().as_default():
        with pytest.raises(ValueError, match=r"^No variables to optimize\.$"):
            tg.train.GradientDescentOptimizer(0.1).minimize(tg.constant(1.0))


def test_a_python_gradient_is_float32_as_tensorflow_converts_it():
    with tg.Graph().as_default():
        w = tg.Variable([1.0, 2.0], name="w")
        step = tg.train.GradientDescentOptimizer(1.0).apply_gradients([([0.5, -1.0], w)])
        with tg.Session() as sess:
            sess.run(tg.global_variables_initializer())
            sess.run(step)
            np.testing.assert_allclose(sess.run(w), [0.5, 3.0])
        v = tg.Variable(1.0, dtype=tg.float64, name="v")
        # TensorFlow: "Input 'delta' of 'ApplyGradientDescent' Op has type float32 that does not
        # match type float64 of argument 'var'."
        with pytest.raises(TypeError, match="^apply_gradients: gradient of dtype float32 for "
                                            "variable 'v:0' of dtype float64$"):
            tg.train.GradientDescentOptimizer(1.0).apply_gradients([(0.1, v)])


@pytest.mark.parametrize("loss", [3.0, "tensor"])
def test_eager_compute_gradients_needs_a_function(eager, loss):
    w = tg.Variable(1.0)
    loss = tg.constant(3.0) if loss == "tensor" else loss
    with pytest.raises(RuntimeError, match=r"^`loss` passed to Optimizer\.compute_gradients "
                                           r"should be a function when eager execution is "
                                           r"enabled\.$"):
        tg.train.GradientDescentOptimizer(0.1).compute_gradients(loss, var_list=[w])


def test_eager_variables_are_the_optimizers_slots_and_powers(eager):
    # TensorFlow eager: ['beta1_power:0', 'beta2_power:0', 'w/Adam:0', 'w/Adam_1:0']
    optimizer = tg.train.AdamOptimizer(0.1)
    w = tg.Variable(1.0, name="w")
    optimizer.minimize(lambda: w * w)
    found = optimizer.variables()
    assert [v.name for v in found[:2]] == ["beta1_power:0", "beta2_power:0"]
    assert {id(v) for v in found[2:]} == {id(optimizer.get_slot(w, "m")),
                                          id(optimizer.get_slot(w, "v"))}


def test_a_python_number_for_a_loss_has_no_gradient():
    # TensorFlow refuses it too (AttributeError: 'float' object has no attribute 'dtype')
    with tg.Graph().as_default():
        tg.Variable(1.0, name="w")
        with pytest.raises(ValueError, match=r"^No gradients provided for any variable"):
            tg.train.GradientDescentOptimizer(0.1).minimize(3.0)
