"""The seed lecture's TensorFlow-1 code (shared/seed/intro-to-tensorflow-lecture.txt), run unchanged
after ``import teachgrad as tf``, with the numbers it should give."""

import numpy as np
import pytest

import teachgrad as tf
from teachgrad.testing import numerical_vjp


def test_tensor_constants():
    one = tf.constant(1)
    two = one + one
    assert np.issubdtype(two.dtype, np.integer)
    assert two.numpy() == 2 and int(two) == 2


def test_tensor_operations_on_a_range():
    x = tf.range(-10, 10, .1)
    y = tf.sin(x)
    z = y**2 + 10
    w = tf.log(z)
    x_np = np.arange(-10, 10, .1)
    assert x.shape == (200,)
    np.testing.assert_allclose(np.asarray(x), x_np, rtol=1e-5, atol=1e-4)  # float32, as in TF 1
    np.testing.assert_allclose(np.asarray(y), np.sin(x_np), rtol=1e-5, atol=1e-4)  # float32, as in TF 1
    np.testing.assert_allclose(np.asarray(z), np.sin(x_np) ** 2 + 10, rtol=1e-5, atol=1e-4)  # float32, as in TF 1
    np.testing.assert_allclose(np.asarray(w), np.log(np.sin(x_np) ** 2 + 10), rtol=1e-5, atol=1e-4)  # float32, as in TF 1
    np.testing.assert_allclose(tf.math.log(z).numpy(), w.numpy(), rtol=0)


def test_plt_plot_takes_tensors():
    matplotlib = pytest.importorskip("matplotlib")
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    x = tf.range(-10, 10, .1)
    y = tf.sin(x)
    fig = plt.figure()
    try:
        (line,) = plt.plot(x, y)
        np.testing.assert_allclose(line.get_ydata(), np.sin(np.arange(-10, 10, .1)), rtol=1e-5, atol=1e-4)  # float32, as in TF 1
    finally:
        plt.close(fig)


def test_element_wise_multiplication_and_broadcasting():
    m1 = tf.constant([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]])
    m2 = tf.constant([[2.0, 0.0, -1.0], [1.0, 1.0, 0.5]])
    np.testing.assert_array_equal((m1 * m2).numpy(), [[2.0, 0.0, -3.0], [4.0, 5.0, 3.0]])
    row = tf.constant([10.0, 100.0, 1000.0])
    np.testing.assert_array_equal((m1 * row).numpy(), [[10.0, 200.0, 3000.0],
                                                      [40.0, 500.0, 6000.0]])
    column = tf.constant([[2.0], [3.0]])
    np.testing.assert_array_equal((m1 * column).numpy(), [[2.0, 4.0, 6.0], [12.0, 15.0, 18.0]])


def test_matrix_multiplication_rule():
    m1 = tf.constant(np.arange(6.0).reshape(2, 3))
    m2 = tf.constant(np.arange(12.0).reshape(3, 4))
    assert m1.shape[1] == m2.shape[0]
    product = tf.matmul(m1, m2)
    assert product.shape == (2, 4)
    np.testing.assert_array_equal(product.numpy(), np.arange(6.0).reshape(2, 3)
                                  @ np.arange(12.0).reshape(3, 4))
    with pytest.raises(tf.ShapeError) as info:
        tf.matmul(m2, m1)              # (3, 4) @ (2, 3): 4 != 2
    assert "(3, 4)" in str(info.value) and "(2, 3)" in str(info.value)
    assert "a.shape[-1] == b.shape[-2]" in str(info.value)


def box_blur(image, k):
    """A k×k average over every full window, written out by hand."""
    n, h, w, c = image.shape
    out = np.zeros((n, h - k + 1, w - k + 1, c))
    for r in range(h - k + 1):
        for s in range(w - k + 1):
            out[:, r, s, :] = image[:, r:r + k, s:s + k, :].mean(axis=(1, 2))
    return out


def test_conv2d_with_a_constant_filter_blurs():
    rng = np.random.default_rng(0)
    image = rng.uniform(0, 255, size=(1, 8, 10, 1))
    imtensor = tf.constant(image)
    filterarray = np.full((3, 3, 1, 1), 1 / 9)
    blurred = tf.nn.conv2d(imtensor, filterarray, strides=[1, 1, 1, 1], padding='VALID')
    assert blurred.shape == (1, 6, 8, 1)
    np.testing.assert_allclose(blurred.numpy(), box_blur(image, 3), rtol=1e-12)
    # Blurring smooths: neighbouring pixels differ less than before.
    assert np.abs(np.diff(blurred.numpy(), axis=2)).mean() < np.abs(np.diff(image, axis=2)).mean()


def test_conv2d_blurs_each_colour_channel():
    rng = np.random.default_rng(1)
    image = rng.uniform(0, 1, size=(2, 6, 7, 3))
    filterarray = np.zeros((2, 2, 3, 3))
    for c in range(3):
        filterarray[:, :, c, c] = 1 / 4              # each channel blurred on its own
    blurred = tf.nn.conv2d(tf.constant(image), filterarray, strides=[1, 1, 1, 1], padding='VALID')
    assert blurred.shape == (2, 5, 6, 3)
    np.testing.assert_allclose(blurred.numpy(), box_blur(image, 2), rtol=1e-12)


def hinge_problem():
    batch_size, num_neurons, num_categories = 8, 5, 3
    rng = np.random.default_rng(7)
    neural_data = tf.constant(rng.normal(size=(batch_size, num_neurons)))
    labels = np.where(rng.random((batch_size, num_categories)) < 0.5, -1.0, 1.0)
    category_labels = tf.constant(labels)
    weights = tf.Variable(rng.normal(size=(num_neurons, num_categories)) * 0.3)
    bias = tf.Variable(np.zeros(num_categories))
    return neural_data, category_labels, weights, bias


def hinge_loss_of(neural_data, category_labels, weights, bias):
    margins = tf.matmul(neural_data, weights) + bias
    hinge_loss = tf.maximum(0., 1. - category_labels * margins)
    return tf.reduce_mean(hinge_loss), margins


def test_hinge_loss_value_and_gradient(eager):
    neural_data, category_labels, weights, bias = hinge_problem()
    loss, margins = hinge_loss_of(neural_data, category_labels, weights, bias)
    x, y, w, b = (np.asarray(t) for t in (neural_data, category_labels, weights, bias))
    assert margins.shape == (8, 3)
    np.testing.assert_allclose(margins.numpy(), x @ w + b, rtol=1e-13)
    inside = 1 - y * (x @ w + b)
    assert np.abs(inside).min() > 1e-3            # no kink within the finite-difference step
    np.testing.assert_allclose(float(loss), np.maximum(0, inside).mean(), rtol=1e-13)

    grad_w, grad_b = tf.gradients(loss, [weights, bias])
    assert grad_w.shape == (5, 3) and grad_b.shape == (3,)

    numeric_w, numeric_b = numerical_vjp(
        lambda ww, bb: np.maximum(0, 1 - y * (x @ ww + bb)).mean(), [w, b], g=1.0)
    np.testing.assert_allclose(grad_w.numpy(), numeric_w, rtol=1e-6, atol=1e-9)
    np.testing.assert_allclose(grad_b.numpy(), numeric_b, rtol=1e-6, atol=1e-9)


def test_a_gradient_descent_step_reduces_the_hinge_loss(eager):
    neural_data, category_labels, weights, bias = hinge_problem()
    loss, _ = hinge_loss_of(neural_data, category_labels, weights, bias)
    grad_w, grad_b = tf.gradients(loss, [weights, bias])
    assert np.abs(grad_w.numpy()).max() > 0
    weights.assign_sub(0.1 * grad_w.numpy())
    bias.assign_sub(0.1 * grad_b)
    new_loss, _ = hinge_loss_of(neural_data, category_labels, weights, bias)
    assert float(new_loss) < float(loss)


def test_derivatives_of_the_lecture_polynomials():
    x = tf.range(-10, 10, .1)
    x_np = np.arange(-10, 10, .1)
    y = x**2
    d = tf.gradients(y, x)
    assert isinstance(d, list) and len(d) == 1
    np.testing.assert_allclose(d[0].numpy(), 2 * x_np, rtol=1e-5, atol=1e-4)  # float32, as in TF 1
    y = 2*x**3 - 5*x**2 + 3*x - 1
    d = tf.gradients(y, x)
    np.testing.assert_allclose(d[0].numpy(), 6 * x_np**2 - 10 * x_np + 3, rtol=1e-5, atol=1e-4)  # float32, as in TF 1


def test_the_graph_example_partials():
    # e = (a + b) * (b + 1) at a = 2, b = 1. The slide's "1·2 + 1·3 = 6" is an arithmetic slip:
    # summing over the two paths from b gives 1·2 + 1·3 = 5.
    a = tf.constant(2.0)
    b = tf.constant(1.0)
    c = a + b
    d = b + 1
    e = c * d
    assert float(e) == 6.0
    de_da, de_db = tf.gradients(e, [a, b])
    assert float(de_da) == 2.0
    assert float(de_db) == 5.0
    # And in forward mode, seeded at b.
    _, de_db_forward = tf.jvp(lambda a, b: (a + b) * (b + 1), (2.0, 1.0), (0.0, 1.0))
    assert float(de_db_forward) == 5.0


def test_the_multivariable_examples():
    x, y = tf.constant(1.5), tf.constant(-0.5)
    gx, gy = tf.gradients(x**2 + y**2, [x, y])
    assert (float(gx), float(gy)) == (3.0, -1.0)
    gx, gy = tf.gradients(x**2 + y**2 * x, [x, y])
    assert (float(gx), float(gy)) == (3.0 + 0.25, -1.5)
    z = tf.cosh((3 + tf.cos(x + 2*y)**3)**.5 * tf.sin(y - x))

    def z_np(xv, yv):
        return np.cosh((3 + np.cos(xv + 2*yv)**3)**.5 * np.sin(yv - xv))

    gx, gy = tf.gradients(z, [x, y])
    numeric_x, numeric_y = numerical_vjp(z_np, [1.5, -0.5], g=1.0)
    assert float(gx) == pytest.approx(numeric_x, rel=1e-6)
    assert float(gy) == pytest.approx(numeric_y, rel=1e-6)
