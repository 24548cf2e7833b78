"""tg.train against TensorFlow 1's own numbers, and training as a TensorFlow-1 course does it.

The expected values were computed with TensorFlow 2.21's ``tensorflow.compat.v1`` (graph mode,
float32) on one fixed least-squares problem — ``mean((X·w + b − y)²)`` with ``X`` 4×2 — and are
written in here: after each of 15 steps of ``sess.run([train_op, loss])``, the loss that run
computed (before its update) and the variables after it. teachgrad must agree to float32's
precision, in graph mode (placeholders of unknown batch size, a Session) and in eager mode
(``minimize(loss_function)``).
"""

import numpy as np
import pytest

import teachgrad as tg

X = np.array([[1, 2], [0.5, -1], [-1.5, 0.3], [2, 1]], np.float32)
Y = np.array([[1], [0], [-1], [2]], np.float32)
RTOL, ATOL = 1e-5, 1e-6

# optimizer: per step, the loss of that step and the variables after it (TensorFlow's numbers)
TF_STEPS = {
    "gd": {
        "loss": [1.59415, 0.38435906, 0.13523838, 0.077124275, 0.0590683, 0.05081339, 0.045855947,
                 0.042507615, 0.040149637, 0.038461532, 0.0372422, 0.036355685, 0.035707496,
                 0.035231147, 0.034879457],
        "w": [[0.41799998, 0.03064999], [0.57027584, 0.12957707], [0.6471544, 0.17147014],
              [0.6889092, 0.18899134], [0.71366, 0.19633472], [0.7296893, 0.19959943], [0.7408856,
              0.20135283], [0.74915445, 0.2026342], [0.75549006, 0.20383179], [0.76045495,
              0.2050645], [0.7643974, 0.20634617], [0.76755166, 0.20765492], [0.7700862,
              0.20896128], [0.7721279, 0.21023864], [0.773775, 0.21146633]],
        "b": [0.113, 0.14507525, 0.14413126, 0.13087049, 0.11407147, 0.09731268, 0.081927285,
              0.068297684, 0.056419756, 0.046146143, 0.037288997, 0.02966165, 0.02309383,
              0.017435899, 0.0125584835],
    },
    "momentum": {
        "loss": [1.59415, 0.38435906, 0.20272629, 1.0038639, 0.9989229, 0.2378538, 0.16103764,
                 0.70725524, 0.69553804, 0.1743703, 0.10620542, 0.45833007, 0.45575702, 0.12499068,
                 0.08856457],
        "w": [[0.41799998, 0.03064999], [0.85647583, 0.33716208], [1.178831, 0.5363654],
              [1.2407535, 0.5238128], [1.0566087, 0.32613164], [0.7712431, 0.07430607], [0.5631807,
              -0.079616114], [0.54057944, -0.050275907], [0.68882185, 0.13842976], [0.89349073,
              0.3755875], [1.0177044, 0.5318557], [0.98439246, 0.53188646], [0.8163253,
              0.39008427], [0.61523175, 0.19358525], [0.49752745, 0.0472572]],
        "b": [0.113, 0.24677524, 0.2933967, 0.19711158, -0.013281181, -0.24314442, -0.38706195,
              -0.38633755, -0.2566943, -0.0734781, 0.073570445, 0.12826619, 0.09223294,
              0.014864214, -0.04152596],
    },
    "nesterov": {
        "loss": [1.59415, 0.0840852, 0.3416201, 0.21677351, 0.058997676, 0.047954187, 0.05752513,
                 0.04982169, 0.04220642, 0.038642947, 0.036512457, 0.035315525, 0.034922317,
                 0.03483925, 0.03478858],
        "w": [[0.7042, 0.23823498], [0.96771586, 0.38777673], [0.9742421, 0.33679065], [0.8924032,
              0.23692812], [0.8291806, 0.1795371], [0.80832106, 0.17934205], [0.8096271,
              0.21045958], [0.8096147, 0.24356872], [0.79928976, 0.26313457], [0.7824437,
              0.26726785], [0.7669648, 0.26076138], [0.7582538, 0.2491521], [0.75733215,
              0.23626494], [0.76212746, 0.2242501], [0.76956755, 0.21436568]],
        "b": [0.2147, 0.22879164, 0.11261941, -0.025013916, -0.1178929, -0.15312202, -0.14742146,
              -0.12233654, -0.09220566, -0.063355565, -0.03780421, -0.016463907, -0.00029843487,
              0.009913477, 0.01409382],
    },
    "adam": {
        "loss": [1.59415, 1.0132251, 0.5990921, 0.34493095, 0.22758651, 0.2049308, 0.228517,
                 0.26004553, 0.27654782, 0.26880807, 0.23801358, 0.19186066, 0.14088687,
                 0.095471635, 0.063594274],
        "w": [[0.19999999, -0.10000001], [0.29883853, -0.001718156], [0.39526048, 0.09273044],
              [0.48754624, 0.18020406], [0.5735522, 0.25668293], [0.6509671, 0.3181722], [0.717736,
              0.36204743], [0.7724807, 0.3878488], [0.8147423, 0.3970169], [0.84496444,
              0.39206007], [0.86428654, 0.37583354], [0.8742831, 0.35116604], [0.87674445,
              0.320747], [0.8735265, 0.28713173], [0.8664535, 0.25276262]],
        "b": [0.09999997, 0.19641735, 0.2834675, 0.35177004, 0.39200306, 0.4018328, 0.38597646,
              0.35094357, 0.30218366, 0.2437872, 0.17891568, 0.11024223, 0.04027483, -0.028439097,
              -0.09323532],
    },
    "adagrad": {
        "loss": [1.59415, 1.0187526, 0.74450743, 0.579132, 0.46896994, 0.3910151, 0.33336186,
                 0.28918248, 0.254308, 0.2260817, 0.20275503, 0.18314438, 0.1664275, 0.15201798,
                 0.1394867],
        "w": [[0.1995092, -0.10092682], [0.262022, -0.041008994], [0.30903932, 0.0024751239],
              [0.34702894, 0.036327064], [0.37895444, 0.06367835], [0.40647006, 0.08629479],
              [0.43061277, 0.10529791], [0.4520836, 0.12145671], [0.47138202, 0.1353266],
              [0.48887774, 0.14732352], [0.5048525, 0.15776736], [0.5195257, 0.16690904],
              [0.5330719, 0.1749486], [0.54563177, 0.18204755], [0.5573205, 0.18833771]],
        "b": [0.09630022, 0.14880754, 0.18214414, 0.20376351, 0.21723688, 0.22471385, 0.22767211,
              0.22720727, 0.22416407, 0.21920493, 0.21285166, 0.2055145, 0.19751437, 0.18910065,
              0.18046576],
    },
    "rmsprop": {
        "loss": [1.59415, 1.466812, 1.364191, 1.2766287, 1.1995368, 1.1303067, 1.0672883,
                 1.0093598, 0.9557191, 0.9057692, 0.8590525, 0.8152086, 0.77394813, 0.73503476,
                 0.6982715],
        "w": [[0.12300221, -0.18072551], [0.14174967, -0.16420282], [0.1580838, -0.14943776],
              [0.17283076, -0.13591142], [0.18644215, -0.12331402], [0.19919536, -0.11144399],
              [0.21127443, -0.10016206], [0.22280842, -0.089367695], [0.23389162, -0.078985855],
              [0.24459517, -0.06895905], [0.2549741, -0.059242316], [0.2650719, -0.0497999],
              [0.27492344, -0.040603], [0.28455716, -0.03162817], [0.2939965, -0.022856165]],
        "b": [0.011146727, 0.021576714, 0.03144564, 0.04085263, 0.04986619, 0.058535904,
              0.06689867, 0.07498237, 0.082808234, 0.090392396, 0.09774693, 0.104880646,
              0.111799605, 0.11850755, 0.12500617],
    },
    "rmsprop_centered_momentum": {
        "loss": [1.59415, 1.4639939, 1.2951255, 1.1262527, 0.97141397, 0.83426255, 0.714514,
                 0.61064446, 0.5209229, 0.44374824, 0.37771168, 0.3215677, 0.27418557, 0.23450972,
                 0.20153823],
        "w": [[0.12363599, -0.18035719], [0.15556225, -0.15310198], [0.18955252, -0.123614445],
              [0.22318923, -0.09419997], [0.25565916, -0.06576877], [0.28679624, -0.03862564],
              [0.3166647, -0.012836808], [0.3453821, 0.011604378], [0.37304896, 0.034707382],
              [0.39972553, 0.056459807], [0.42542866, 0.076824434], [0.45013812, 0.095746785],
              [0.47380653, 0.11316742], [0.49637133, 0.12903541], [0.51776695, 0.14332044]],
        "b": [0.0112166265, 0.027468357, 0.04551848, 0.0637174, 0.0812389, 0.097667575, 0.11278338,
              0.1264538, 0.13858375, 0.14909625, 0.15792887, 0.16503769, 0.1704035, 0.17403711,
              0.17598204],
    },
}

VAR_LIST_W = [[1.59415, 0.41799998, 0.03064999, 0.0], [0.43337312, 0.5815759, 0.14257208, 0.0],
    [0.13769744, 0.6667427, 0.19546856, 0.0], [0.06191348, 0.71190524, 0.21927013, 0.0],
    [0.04217793, 0.73650205, 0.22893682, 0.0], [0.0368327, 0.7504009, 0.23190899, 0.0]]
CLIPPED_MOMENTUM = [[1.59415, 0.15, -0.15, 0.05], [1.2835062, 0.245, -0.055000007, 0.145],
    [0.80448186, 0.38050002, 0.08049999, 0.2805], [0.37336808, 0.55245, 0.25245, 0.3990425],
    [0.21596542, 0.7466334, 0.38519546, 0.45573074], [0.36466223, 0.87139845, 0.45466638,
    0.45675015]]
PLACEHOLDER_LR = [[1.59415, 0.19999999, -0.10000001, 0.09999997], [1.0132251, 0.24941926,
    -0.050859082, 0.14820866], [0.78676844, 0.444902, 0.14233696, 0.33314586], [0.26988554,
    0.453977, 0.15083759, 0.3394875], [0.25979295, 0.54009104, 0.22751886, 0.38070405],
    [0.20639028, 0.7775364, 0.42067707, 0.42488855]]
DECAY_STAIRCASE_FALSE = [[1.59415, 0.736, 0.26129997, 0.226, 0.14142136, 1.0], [0.096834764,
    0.7169813, 0.21491964, 0.15691638, 0.1, 2.0], [0.06038893, 0.72464645, 0.20709158, 0.12911922,
    0.07071068, 3.0], [0.052383605, 0.73084366, 0.20467563, 0.113489315, 0.05, 4.0], [0.048551977,
    0.7350295, 0.20376131, 0.103829354, 0.03535534, 5.0], [0.04640987, 0.7378252, 0.20338029,
    0.09757097, 0.025, 6.0]]
DECAY_STAIRCASE_TRUE = [[1.59415, 0.736, 0.26129997, 0.226, 0.2, 1.0], [0.096834764, 0.7091035,
    0.19570827, 0.12830101, 0.1, 2.0], [0.054120187, 0.7255141, 0.19822219, 0.109224, 0.1, 3.0],
    [0.048297793, 0.73729503, 0.19966188, 0.09203224, 0.05, 4.0], [0.044287417, 0.7417264,
    0.20025276, 0.084483705, 0.05, 5.0], [0.042807825, 0.74565923, 0.20084982, 0.07743448, 0.025,
    6.0]]
ADAM64 = [[1.5941499990582466, 0.19999999154578363, -0.10000001222025726], [1.013225061260262,
    0.2988385112379576, -0.0017181756652972224], [0.5990921840455796, 0.39526046865477554,
    0.09273041643664032], [0.34493100633397755, 0.4875462085521438, 0.18020403776654925],
    [0.2275865469837129, 0.5735521605211117, 0.2566829227646655], [0.20493080023507795,
    0.6509670786214515, 0.3181721772214281]]

OPTIMIZERS = {
    "gd": lambda: tg.train.GradientDescentOptimizer(0.1),
    "momentum": lambda: tg.train.MomentumOptimizer(0.1, 0.9),
    "nesterov": lambda: tg.train.MomentumOptimizer(0.1, 0.9, use_nesterov=True),
    "adam": lambda: tg.train.AdamOptimizer(0.1),
    "adagrad": lambda: tg.train.AdagradOptimizer(0.1),
    "rmsprop": lambda: tg.train.RMSPropOptimizer(0.01),
    "rmsprop_centered_momentum": lambda: tg.train.RMSPropOptimizer(0.01, momentum=0.5,
                                                                   centered=True),
}


def least_squares(dtype=np.float32):
    """The fixed problem: variables w (2×1) and b (1,), placeholders of unknown batch size."""
    w = tg.Variable(np.array([[0.1], [-0.2]], dtype), name="w")
    b = tg.Variable(np.array([0.0], dtype), name="b")
    x = tg.placeholder(dtype, (None, 2), name="x")
    y = tg.placeholder(dtype, (None, 1), name="y")
    loss = tg.reduce_mean(tg.square(tg.matmul(x, w) + b - y))
    return w, b, x, y, loss


def record(train, w, b, x, y, loss, steps, feeds=lambda i: {}, extra=()):
    """Per step: [loss, w₀, w₁, b, *extra] with extra fetched after the step."""
    rows = []
    with tg.Session() as sess:
        sess.run(tg.global_variables_initializer())
        for i in range(steps):
            feed = {x: X, y: Y, **feeds(i)}
            _, value = sess.run([train, loss], feed)
            w_now, b_now, *more = sess.run([w, b, *extra], feed)
            rows.append([float(value), *w_now.ravel(), float(b_now[0]), *map(float, more)])
    return np.array(rows)


def tf_rows(name):
    ref = TF_STEPS[name]
    return np.array([[l, *w, b] for l, w, b in zip(ref["loss"], ref["w"], ref["b"])])


@pytest.mark.parametrize("name", sorted(OPTIMIZERS))
def test_optimizer_matches_tensorflow_in_graph_mode(name):
    w, b, x, y, loss = least_squares()
    train = OPTIMIZERS[name]().minimize(loss)
    np.testing.assert_allclose(record(train, w, b, x, y, loss, 15), tf_rows(name), rtol=RTOL,
                               atol=ATOL)


@pytest.mark.parametrize("name", sorted(OPTIMIZERS))
def test_optimizer_matches_tensorflow_in_eager_mode(name, eager):
    w = tg.Variable(np.array([[0.1], [-0.2]], np.float32), name="w")
    b = tg.Variable(np.array([0.0], np.float32), name="b")

    def loss():
        return tg.reduce_mean(tg.square(tg.matmul(X, w) + b - Y))

    optimizer = OPTIMIZERS[name]()
    rows = []
    for _ in range(15):
        value = float(loss())
        assert optimizer.minimize(loss) is None       # the step is taken at once
        rows.append([value, *w.numpy().ravel(), float(b.numpy()[0])])
    np.testing.assert_allclose(np.array(rows), tf_rows(name), rtol=RTOL, atol=ATOL)
    with pytest.raises(RuntimeError, match="should be a function when eager execution"):
        optimizer.minimize(loss())


def test_float64_variables_match_tensorflow():
    """TensorFlow makes the learning rate (a Python float) float32 and casts it to the
    variable's dtype, and β₁ᵗ, β₂ᵗ are float32 variables: the numbers show both."""
    w, b, x, y, loss = least_squares(np.float64)
    train = tg.train.AdamOptimizer(0.1).minimize(loss)
    rows = record(train, w, b, x, y, loss, 6,
                  feeds=lambda i: {x: X.astype(np.float64), y: Y.astype(np.float64)})
    np.testing.assert_allclose(rows[:, :3], ADAM64, rtol=1e-12)
    assert w.dtype == tg.float64 and tg.train.AdamOptimizer().get_name() == "Adam"


# ------------------------------------------------------------------------------------------------
# compute_gradients / apply_gradients, var_list, learning rates that are tensors
# ------------------------------------------------------------------------------------------------

def test_var_list_trains_only_those_variables():
    w, b, x, y, loss = least_squares()
    train = tg.train.GradientDescentOptimizer(0.1).minimize(loss, var_list=[w])
    np.testing.assert_allclose(record(train, w, b, x, y, loss, 6), VAR_LIST_W, rtol=RTOL,
                               atol=ATOL)


def test_compute_gradients_then_apply_changed_gradients():
    w, b, x, y, loss = least_squares()
    unused = tg.Variable(1.0, name="unused")
    optimizer = tg.train.MomentumOptimizer(0.1, 0.9)
    pairs = optimizer.compute_gradients(loss)
    assert [v for _, v in pairs] == [w, b, unused] and pairs[2][0] is None   # unconnected: None
    assert pairs[0][0].shape == w.shape and pairs[0][0].op.name.startswith("gradients/")
    clipped = [(tg.clip_by_value(g, -0.5, 0.5), v) for g, v in pairs if g is not None]
    train = optimizer.apply_gradients(clipped)
    np.testing.assert_allclose(record(train, w, b, x, y, loss, 6), CLIPPED_MOMENTUM, rtol=RTOL,
                               atol=ATOL)
    assert optimizer.get_slot(unused, "momentum") is None


def test_learning_rate_placeholder_is_fed_at_each_step():
    w, b, x, y, loss = least_squares()
    rate = tg.placeholder(tg.float32, (), name="learning_rate")
    train = tg.train.AdamOptimizer(rate).minimize(loss)
    rates = [0.1, 0.05, 0.2, 0.01, 0.1, 0.3]
    got = record(train, w, b, x, y, loss, 6, feeds=lambda i: {rate: rates[i]})
    np.testing.assert_allclose(got, PLACEHOLDER_LR, rtol=RTOL, atol=ATOL)


@pytest.mark.parametrize("staircase", [False, True])
def test_exponential_decay_with_the_global_step(staircase):
    w, b, x, y, loss = least_squares()
    step = tg.train.get_or_create_global_step()
    rate = tg.train.exponential_decay(0.2, step, 2, 0.5, staircase=staircase)
    assert rate.name == "ExponentialDecay:0" and rate.dtype == tg.float32
    train = tg.train.GradientDescentOptimizer(rate).minimize(loss, global_step=step)
    got = record(train, w, b, x, y, loss, 6, extra=[rate, tg.cast(step, tg.float32)])
    expected = DECAY_STAIRCASE_TRUE if staircase else DECAY_STAIRCASE_FALSE
    np.testing.assert_allclose(got, expected, rtol=RTOL, atol=ATOL)


def test_other_decays_and_piecewise_constant():
    step = tg.Variable(np.int64(7), trainable=False)
    inverse = tg.train.inverse_time_decay(1.0, step, 2, 0.5, staircase=True)
    natural = tg.train.natural_exp_decay(1.0, step, 2, 0.5)
    piecewise = tg.train.piecewise_constant(step, [5, 10], [1.0, 0.5, 0.1])
    with tg.Session() as sess:
        sess.run(tg.global_variables_initializer())
        got = sess.run([inverse, natural, piecewise])
    np.testing.assert_allclose(got, [1 / (1 + 0.5 * 3), np.exp(-0.5 * 3.5), 0.5], rtol=1e-6)
    with pytest.raises(ValueError, match="global_step is required"):
        tg.train.exponential_decay(0.1, None, 10, 0.5)


# ------------------------------------------------------------------------------------------------
# The global step, slots and names
# ------------------------------------------------------------------------------------------------

def test_global_step_counts_the_steps():
    w, b, x, y, loss = least_squares()
    step = tg.train.get_or_create_global_step()
    assert step.name == "global_step:0" and step.dtype == tg.int64 and step.shape == ()
    assert tg.train.get_global_step() is step and tg.train.get_or_create_global_step() is step
    assert not any(v is step for v in tg.trainable_variables())
    assert any(v is step for v in tg.global_variables())
    with pytest.raises(ValueError, match='"global_step" already exists'):
        tg.train.create_global_step()
    optimizer = tg.train.GradientDescentOptimizer(0.1)
    train = optimizer.minimize(loss, global_step=step)
    assert train.name == "GradientDescent" and train.type == "AssignAdd"
    pairs = optimizer.compute_gradients(loss)
    apply = optimizer.apply_gradients(pairs, global_step=step)
    with tg.Session() as sess:
        sess.run(tg.global_variables_initializer())
        for _ in range(5):
            sess.run(train, {x: X, y: Y})
        sess.run(apply, {x: X, y: Y})
        assert tg.train.global_step(sess, step) == 6
        assert isinstance(tg.train.global_step(sess, step), int)


def test_global_step_in_eager_mode(eager):
    step = tg.train.get_or_create_global_step()
    w = tg.Variable(1.0)
    optimizer = tg.train.GradientDescentOptimizer(0.25)
    for _ in range(3):
        optimizer.minimize(lambda: w * w, global_step=step)
    assert int(step.numpy()) == 3 and float(w.numpy()) == 0.125


def test_slot_variables_are_variables_of_the_graph_named_as_tensorflow():
    w, b, x, y, loss = least_squares()
    with tg.name_scope("outer"):
        adam = tg.train.AdamOptimizer()
        train = adam.minimize(loss)
    momentum = tg.train.MomentumOptimizer(0.1, 0.9)
    momentum.minimize(loss, var_list=[w])
    tg.train.AdagradOptimizer(0.1).minimize(loss, var_list=[w])
    rms = tg.train.RMSPropOptimizer(0.1)
    rms.minimize(loss, var_list=[w])
    assert [v.name for v in tg.global_variables()] == [
        "w:0", "b:0", "outer/beta1_power:0", "outer/beta2_power:0", "w/Adam:0", "w/Adam_1:0",
        "b/Adam:0", "b/Adam_1:0", "w/Momentum:0", "w/Adagrad:0", "w/RMSProp:0", "w/RMSProp_1:0"]
    assert tg.trainable_variables() == [w, b]
    assert train.name == "outer/Adam" and train.type == "NoOp"
    assert adam.get_slot_names() == ["m", "v"] and rms.get_slot_names() == ["momentum", "rms"]
    assert adam.get_slot(w, "m").name == "w/Adam:0"
    assert [v.name for v in momentum.variables()] == ["w/Momentum:0"]
    beta1_power = {v.name: v for v in adam.variables()}["outer/beta1_power:0"]
    with tg.Session() as sess:
        with pytest.raises(tg.errors.FailedPreconditionError, match="uninitialized value"):
            sess.run(train, {x: X, y: Y})
        sess.run(tg.global_variables_initializer())
        assert float(sess.run(beta1_power)) == pytest.approx(0.9)
        np.testing.assert_array_equal(sess.run(rms.get_slot(w, "rms")), [[1.0], [1.0]])
        sess.run(train, {x: X, y: Y})
        assert float(sess.run(beta1_power)) == pytest.approx(0.81)


def test_update_ops_act_only_when_run():
    w, b, x, y, loss = least_squares()
    train = tg.train.MomentumOptimizer(0.1, 0.9).minimize(loss)
    with tg.Session() as sess:
        sess.run(tg.global_variables_initializer())
        before = sess.run(w)
        sess.run(loss, {x: X, y: Y})
        np.testing.assert_array_equal(sess.run(w), before)
        sess.run(train, {x: X, y: Y})
        assert not np.array_equal(sess.run(w), before)
    with tg.Session() as fresh:                       # values live in their Session
        fresh.run(tg.global_variables_initializer())
        np.testing.assert_array_equal(fresh.run(w), before)


@pytest.mark.parametrize("call, error, message", [
    (lambda o, loss, w: o.minimize(tg.constant(1.0) * 2.0), ValueError,
     "No gradients provided for any variable"),
    (lambda o, loss, w: o.minimize(loss, var_list=[]), ValueError, "No variables to optimize"),
    (lambda o, loss, w: o.minimize(loss, var_list=[tg.constant(1.0)]), TypeError,
     "not a variable"),
    (lambda o, loss, w: o.apply_gradients([]), ValueError, "No variables provided"),
    (lambda o, loss, w: o.apply_gradients([(None, w)]), ValueError, "No gradients provided"),
    (lambda o, loss, w: o.minimize(tg.cast(loss, tg.int32)), TypeError, "floating-point loss"),
    (lambda o, loss, w: tg.train.AdagradOptimizer(0.1, initial_accumulator_value=0.0),
     ValueError, "must be positive"),
])
def test_bad_use_is_a_clear_error(call, error, message):
    w, b, x, y, loss = least_squares()
    with pytest.raises(error, match=message):
        call(tg.train.GradientDescentOptimizer(0.1), loss, w)


# ------------------------------------------------------------------------------------------------
# Second derivatives: tg.hessians, stop_gradients, grad_ys; Newton's method
# ------------------------------------------------------------------------------------------------

A = np.array([[3.0, 1.0, -0.5], [1.0, 2.0, 0.25], [-0.5, 0.25, 4.0]])
B = np.array([1.0, -2.0, 0.5])


def quadratic(x):
    """½ xᵀAx + bᵀx: its Hessian is A."""
    return tg.tensordot(x, tg.tensordot(A, x, 1), 1) / 2 + tg.tensordot(B, x, 1)


def test_hessians_of_a_quadratic_form_equal_the_matrix_in_graph_mode():
    x = tg.placeholder(tg.float64, (3,))
    (h,) = tg.hessians(quadratic(x), x)
    assert h.shape == (3, 3)
    with tg.Session() as sess:
        for point in ([0.0, 0.0, 0.0], [1.0, -3.0, 2.0]):
            np.testing.assert_allclose(sess.run(h, {x: point}), A, rtol=1e-14)


def test_hessians_in_eager_mode_and_of_a_matrix(eager):
    x = tg.constant(np.array([1.0, -3.0, 2.0]))
    np.testing.assert_allclose(tg.hessians(quadratic(x), x)[0].numpy(), A, rtol=1e-14)
    m = tg.constant(np.array([[1.0, 2.0], [3.0, 4.0]]))
    (h,) = tg.hessians(tg.reduce_sum(m ** 3), m)                # ∂²/∂m_ij∂m_kl = 6 m_ij [ij = kl]
    expected = np.zeros((2, 2, 2, 2))
    for i, j in np.ndindex(2, 2):
        expected[i, j, i, j] = 6 * m.numpy()[i, j]
    np.testing.assert_allclose(h.numpy(), expected)
    assert tg.hessians(tg.reduce_sum(x), [x, m])[1] is None     # does not depend on m


def test_gradients_with_stop_gradients_grad_ys_and_unconnected_zero():
    a = tg.constant(0.0)
    b = 2 * a
    # TensorFlow's documentation example: total derivatives, then partial ones.
    assert [float(g) for g in tg.gradients(a + b, [a, b])] == [3.0, 1.0]
    assert [float(g) for g in tg.gradients(a + b, [a, b], stop_gradients=[a, b])] == [1.0, 1.0]
    assert [float(g) for g in tg.gradients(a + b, [a], stop_gradients=[b])] == [1.0]
    x = tg.placeholder(tg.float32, (None,))
    y = x * x
    (g,) = tg.gradients(y, x, grad_ys=tg.constant(3.0))          # a weight for every element
    (zero,) = tg.gradients(y, tg.constant(1.0), unconnected_gradients="zero")
    with tg.Session() as sess:
        np.testing.assert_array_equal(sess.run(g, {x: [1.0, 2.0]}), [6.0, 12.0])
    assert float(zero) == 0.0
    assert tg.gradients(y, tg.constant(1.0)) == [None]


def test_newton_method_converges_quadratically():
    """Logistic regression with an L2 penalty, minimized by Newton steps built in the graph:
    w ← w − H⁻¹·∇f, with H from tg.hessians and H⁻¹ from tg.matrix_inverse."""
    rng = np.random.default_rng(0)
    features = rng.normal(size=(40, 3))
    labels = np.where(features @ [1.0, -2.0, 0.5] + rng.normal(size=40) > 0, 1.0, -1.0)
    w = tg.Variable(np.zeros(3), name="w")
    f = tg.reduce_sum(tg.nn.softplus(-labels * tg.tensordot(features, w, 1))) \
        + 0.5 * tg.reduce_sum(w * w)
    (grad,) = tg.gradients(f, w)
    (hessian,) = tg.hessians(f, w)
    newton_step = w.assign_sub(tg.tensordot(tg.matrix_inverse(hessian), grad, 1))
    norms = []
    with tg.Session() as sess:
        sess.run(tg.global_variables_initializer())
        for _ in range(7):
            norms.append(float(np.linalg.norm(sess.run(grad))))
            sess.run(newton_step)
        final = sess.run(grad)
    assert np.linalg.norm(final) < 1e-12
    converging = [n for n in norms if 1e-8 < n < 1e-1]    # (below 1e-8: rounding)
    assert len(converging) >= 2 and all(b <= 10 * a * a for a, b in
                                        zip(converging, converging[1:])), norms   # quadratic


# ------------------------------------------------------------------------------------------------
# Interop: scipy.optimize.minimize(jac=True) and matplotlib take what sess.run gives
# ------------------------------------------------------------------------------------------------

def polynomial_problem(dtype=np.float64):
    x = np.linspace(-1, 1, 200)
    y = np.sin(3 * x) + 0.1 * np.random.default_rng(0).normal(size=200)
    features = np.stack([x ** k for k in range(6)], axis=1).astype(dtype)
    return features, y.astype(dtype)


def test_lbfgs_through_scipy_with_a_fed_variable():
    from scipy.optimize import minimize
    features, targets = polynomial_problem()
    coefficients = tg.Variable(np.zeros(6), name="coefficients")
    loss = tg.reduce_mean(tg.square(tg.tensordot(features, coefficients, 1) - targets))
    (grad,) = tg.gradients(loss, coefficients)
    calls = []
    with tg.Session() as sess:
        def value_and_gradient(p):           # no initializer needed: the variable is fed
            value, g = sess.run([loss, grad], {coefficients: p})
            calls.append((type(value), type(g)))
            return value, g
        result = minimize(value_and_gradient, np.zeros(6), jac=True, method="L-BFGS-B",
                          options={"gtol": 1e-12, "ftol": 1e-15, "maxiter": 500})
    expected = np.linalg.lstsq(features, targets, rcond=None)[0]
    assert result.success, result.message
    np.testing.assert_allclose(result.x, expected, rtol=1e-5, atol=1e-6)
    assert calls[0] == (np.float64, np.ndarray)


def test_matplotlib_plots_what_sess_run_returns():
    matplotlib = pytest.importorskip("matplotlib")
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    features, targets = polynomial_problem(np.float32)
    x, y = tg.placeholder(tg.float32, (None, 6)), tg.placeholder(tg.float32, (None,))
    w = tg.Variable(np.zeros(6, np.float32))
    prediction = tg.tensordot(x, w, 1)
    loss = tg.reduce_mean(tg.square(prediction - y))
    train = tg.train.MomentumOptimizer(0.1, 0.9).minimize(loss)
    history = []
    with tg.Session() as sess:
        sess.run(tg.global_variables_initializer())
        for _ in range(100):
            _, value = sess.run([train, loss], {x: features, y: targets})
            history.append(value)
        curve = sess.run(prediction, {x: features})
    figure, axes = plt.subplots()
    (loss_line,) = axes.plot(history)
    (fit_line,) = axes.plot(features[:, 1], curve)
    np.testing.assert_array_equal(loss_line.get_ydata(), history)
    np.testing.assert_array_equal(fit_line.get_ydata(), curve)
    assert history[-1] < 0.2 * history[0]
    plt.close(figure)
