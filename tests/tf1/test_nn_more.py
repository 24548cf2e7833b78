"""More of ``tf.nn`` and the clipping functions: ``moments``, ``batch_normalization``,
``l2_normalize``, the activations ``elu``/``selu``/``relu6``/``softsign`` (derivatives at their
kinks), ``expm1``/``rsqrt``/``reciprocal``, ``weighted_cross_entropy_with_logits``,
``clip_by_norm``, ``global_norm``, ``clip_by_global_norm``, ``norm``. Every number below was read
off ``tensorflow.compat.v1`` for the same program.
"""

import numpy as np
import pytest

import teachgrad as tf

TF = {
    'm': [0.8333333134651184, 0.8333333134651184],
    'v': [3.3888885974884033, 6.055555820465088],
    'vk': [[4.722222328186035]],
    'bn': [[0.2810448408126831, -0.875645101070404], [2.453582286834717, -0.3677229583263397], [-2.434627056121826, 0.3433680236339569]],
    'l2': [[0.4472135901451111, -0.8944271802902222], [0.986393928527832, 0.16439898312091827], [-0.3511234521865845, 0.936329185962677]],
    'elu': [-0.8646647334098816, 0.0, 3.0, 7.0],
    'selu': [-1.5201665163040161, 0.0, 3.1521029472351074, 7.354907035827637],
    'relu6': [0.0, 0.0, 3.0, 6.0],
    'softsign': [-0.6666666865348816, 0.0, 0.75, 0.875],
    'expm1': [0.2840254306793213, 1.7182817459106445, 53.59815216064453],
    'rsqrt': [2.0, 1.0, 0.5],
    'reciprocal': [4.0, 1.0, 0.25],
    'wce': [1.727818250656128, 1.3132617473602295, 2.8290398120880127],
    'cbn': [[0.35082319378852844, -0.7016463875770569], [1.0524696111679077, 0.17541159689426422], [-0.5262348055839539, 1.4032927751541138]],
    'cbn1': [[0.8944271802902222, -1.7888543605804443], [1.9727877378463745, 0.32879796624183655], [-0.702246904373169, 1.872658371925354]],
    'gn': 7.040063858032227,
    'c1': [[0.4261325001716614, -0.8522650003433228], [1.278397560119629, 0.2130662500858307], [-0.6391987800598145, 1.7045300006866455]],
    'c3': [0.10653312504291534, 0.4261325001716614, 1.7045300006866455],
    'g': 7.040063858032227,
    'n1': 12.0,
    'ninf': [2.0, 3.0, 4.0],
    'ne': [[3.5, 4.5]],
    'g0': [[0.0, 0.0], [0.0, 0.0], [0.0, 0.0]],
    'g1': [0.0, 0.0],
    'g2': [3.0, 6.0],
    'g3': [[0.1111111268401146, -1.8888888359069824], [1.4444445371627808, -0.2222222089767456], [-1.5555555820465088, 2.1111111640930176]],
    'g4': [[0.17888545989990234, 0.0894426703453064], [0.06220504641532898, -0.37323012948036194], [0.12826427817344666, 0.048099085688591]],
    'g5': [0.1353352665901184, 1.0, 1.0, 1.0],
    'g6': [0.23793280124664307, 1.0507010221481323, 1.0507010221481323, 1.0507010221481323],
    'g7': [0.0, 0.0, 1.0, 0.0],
    'g8': [0.1111111119389534, 1.0, 0.0625, 0.015625],
    'g9': [1.2840254306793213, 2.7182817459106445, 54.598148345947266],
    'g10': [-4.0, -0.5, -0.0625],
    'g11': [-16.0, -1.0, -0.0625],
    'g12': [-1.3134706020355225, 0.7310585975646973, 0.6712220311164856],
    'g13': [[1.7888542413711548, 0.8944272398948669], [-0.30213862657546997, 1.812831997871399], [0.8721970915794373, 0.3270738124847412]],
    'g14': [[0.3380042016506195, 0.6023890972137451], [0.16174763441085815, 0.38206836581230164], [0.558324933052063, 0.07361933588981628]],
    'g15': [0.4041004180908203, 0.3380042016506195, 0.07361933588981628],
}


def _program():
    x = tf.constant(np.array([[1.0, -2.0], [3.0, 0.5], [-1.5, 4.0]], np.float32))
    m, v = tf.nn.moments(x, axes=[0])
    _, vk = tf.nn.moments(x, axes=[0, 1], keep_dims=True)
    sc, of = tf.constant([2.0, 0.5]), tf.constant([0.1, -0.3])
    bn = tf.nn.batch_normalization(x, m, v, of, sc, 1e-3)
    l2 = tf.nn.l2_normalize(x, axis=1)
    p = tf.constant([-2.0, 0.0, 3.0, 7.0])
    acts = [tf.nn.elu(p), tf.nn.selu(p), tf.nn.relu6(p), tf.nn.softsign(p)]
    q = tf.constant([0.25, 1.0, 4.0])
    maths = [tf.math.expm1(q), tf.math.rsqrt(q), tf.math.reciprocal(q)]
    wce = tf.nn.weighted_cross_entropy_with_logits(labels=tf.constant([1.0, 0.0, 0.3]), logits=q,
                                                   pos_weight=3.0)
    cbn, cbn1 = tf.clip_by_norm(x, 2.0), tf.clip_by_norm(x, 2.0, axes=[1])
    gn = tf.global_norm([x, q])
    (c1, c2, c3), g = tf.clip_by_global_norm([x, None, q], 3.0)
    assert c2 is None
    n1, ninf = tf.norm(x, ord=1), tf.norm(x, ord=np.inf, axis=1)
    ne = tf.norm(x, axis=0, keepdims=True)
    values = dict(zip("m v vk bn l2 elu selu relu6 softsign expm1 rsqrt reciprocal wce cbn cbn1 "
                      "gn c1 c3 g n1 ninf ne".split(),
                      [m, v, vk, bn, l2, *acts, *maths, wce, cbn, cbn1, gn, c1, c3, g, n1, ninf,
                       ne]))
    grads = (tf.gradients(tf.reduce_sum(bn * tf.constant([[1.0, 2.0]])), [x, sc, of])
             + tf.gradients(tf.reduce_sum(v), x)
             + tf.gradients(tf.reduce_sum(l2 * tf.constant([[1.0, -1.0]])), x)
             + [tf.gradients(a, p)[0] for a in acts] + [tf.gradients(a, q)[0] for a in maths]
             + tf.gradients(wce, q)
             + tf.gradients(tf.reduce_sum(cbn1 * tf.constant([[1.0, 3.0]])), x)
             + tf.gradients(tf.reduce_sum(c1) + tf.reduce_sum(c3), [x, q]))
    values.update({f"g{i}": t for i, t in enumerate(grads)})
    return values


def test_values_and_gradients_are_tensorflows():
    program = _program()
    with tf.Session() as sess:
        got = sess.run(program)
    assert set(got) == set(TF)
    for name, want in TF.items():
        np.testing.assert_allclose(got[name], want, rtol=2e-6, atol=2e-7, err_msg=name)
        assert np.asarray(got[name]).dtype == np.float32, name


def test_moments_keep_or_drop_the_axes_as_asked():
    x = tf.placeholder(tf.float32, (None, 4, 3))
    mean, variance = tf.nn.moments(x, axes=[0, 1])
    kept, _ = tf.nn.moments(x, axes=[0, 1], keep_dims=True)
    assert mean.shape.as_list() == [3] and variance.shape.as_list() == [3]
    assert kept.shape.as_list() == [1, 1, 3]


@pytest.mark.parametrize("f", [tf.nn.elu, tf.nn.selu, tf.nn.softsign, tf.math.expm1,
                               tf.math.rsqrt, tf.math.reciprocal, tf.nn.relu6])
def test_the_new_element_wise_ops_have_second_derivatives(f):
    # away from the kinks, against finite differences (a mask's own derivative is 0 there)
    tf.testing.check_grads(f, (np.array([-1.3, -0.4, 0.7, 2.2]) if f not in (
        tf.math.rsqrt,) else np.array([0.3, 0.7, 2.2]),), order=2)


def test_expm1_keeps_the_digits_of_a_tiny_x():
    assert tf.math.expm1(tf.constant(1e-10, tf.float64)).numpy() == pytest.approx(1e-10,
                                                                                 rel=1e-12)


def test_clipping_refuses_what_is_not_a_list_of_tensors():
    with pytest.raises(TypeError, match="sequence of tensors"):
        tf.clip_by_global_norm(tf.constant([1.0]), 1.0)
    with pytest.raises(ValueError, match="matrix norms"):
        tf.norm(tf.ones((2, 2)), axis=[0, 1])
