"""tf.device, tf.ConfigProto and placement, as TensorFlow 1 gives them on a machine with one CPU
and no GPU (every expected value below read off tensorflow.compat.v1)."""

import numpy as np
import pytest

import teachgrad as tf
from teachgrad.core import devices


def test_device_strings_are_normalized_and_merged_as_tensorflow_does():
    a = tf.constant(1.0, name="a")
    with tf.device("/cpu:0"):
        b = tf.constant(2.0, name="b")
        with tf.device("/job:w"):
            c = tf.constant(3.0)
        with tf.device(None):
            d = tf.constant(4.0)
        with tf.device("gpu:1"):
            e = tf.constant(5.0)
        k = a + b
    with tf.device("/job:worker/task:2"):
        with tf.device("/gpu:0"):
            f = tf.constant(6.0)
    with tf.device(lambda op: "/cpu:0"):
        h = tf.constant(7.0)
    got = [(t.op.name, t.device, t.op.device) for t in (a, b, c, d, e, f, h)]
    assert got == [("a", "", ""), ("b", "/device:CPU:0", "/device:CPU:0"),
                   ("Const", "/job:w/device:CPU:0", "/job:w/device:CPU:0"), ("Const_1", "", ""),
                   ("Const_2", "/device:GPU:1", "/device:GPU:1"),
                   ("Const_3", "/job:worker/task:2/device:GPU:0",
                    "/job:worker/task:2/device:GPU:0"),
                   ("Const_4", "/cpu:0", "/cpu:0")]   # a function's device is kept as it says
    assert k.device == "/device:CPU:0"


@pytest.mark.parametrize("spec, text", [
    ("/cpu:0", "/device:CPU:0"), ("/CPU:0", "/device:CPU:0"), ("gpu:1", "/device:GPU:1"),
    ("/device:GPU:0", "/device:GPU:0"), ("/job:ps/task:0", "/job:ps/task:0"),
    ("/job:localhost/replica:0/task:0/device:CPU:0", "/job:localhost/replica:0/task:0/device:CPU:0"),
])
def test_normalize(spec, text):
    assert devices.normalize(spec) == text


def test_an_unknown_device_field_is_refused_with_tensorflows_words():
    with pytest.raises(ValueError, match="Unknown attribute 'foo'"):
        devices.normalize("/foo:1")


def test_a_program_on_the_cpu_runs_and_one_pinned_to_a_gpu_is_refused_at_run():
    with tf.device("/cpu:0"):
        y = tf.constant(1.0) * 2.0
    with tf.Session() as sess:
        assert sess.run(y) == 2.0
    with tf.device("/gpu:0"):
        x = tf.constant(1.0, name="x")
        z = x * 2.0
    with tf.Session() as sess:
        with pytest.raises(tf.errors.InvalidArgumentError,
                           match=r"Cannot assign a device for operation mul_1: \{\{node mul_1\}\} was "
                                 r"explicitly assigned to /device:GPU:0 but available devices are"
                                 r" \[ /job:localhost/replica:0/task:0/device:CPU:0 \]"):
            sess.run(y)   # every op of the graph is placed, fetched or not (as TensorFlow)


def _const_alone():
    with tf.device("/gpu:0"):
        return tf.constant(1.0, name="x")


def _const_and_consumer():
    with tf.device("/gpu:0"):
        return tf.constant(1.0, name="x") * 2.0


def _consumers_of_an_unpinned_const():
    x = tf.constant(1.0, name="x")
    with tf.device("/gpu:0"):
        tf.cos(tf.sin(x, name="s"), name="c")
    return x


@pytest.mark.parametrize("build, named", [
    (_const_alone, "x"), (_const_and_consumer, "mul"), (_consumers_of_an_unpinned_const, "s")])
def test_the_refused_op_is_the_one_tensorflow_names(build, named):
    """An op without inputs is placed with its consumer, so TensorFlow names the consumer."""
    fetch = build()
    with tf.Session() as sess:
        with pytest.raises(tf.errors.InvalidArgumentError,
                           match=f"operation {named}: {{{{node {named}}}}} was explicitly"):
            sess.run(fetch)


def test_soft_placement_runs_gpu_ops_on_the_cpu_but_never_another_job():
    with tf.device("/gpu:0"):
        y = tf.constant(1.0, name="x") * 2.0
    config = tf.ConfigProto(allow_soft_placement=True, log_device_placement=False)
    with tf.Session(config=config) as sess:
        assert sess.run(y) == 2.0
    tf.reset_default_graph()
    with tf.device("/job:ps/task:0"):
        x = tf.constant(1.0, name="x")
    with tf.Session(config=config) as sess:
        with pytest.raises(tf.errors.InvalidArgumentError,
                           match="was explicitly assigned to /job:ps/task:0"):
            sess.run(x)


def test_config_proto_keeps_its_fields_and_refuses_unknown_ones():
    config = tf.ConfigProto(allow_soft_placement=True)
    config.gpu_options.allow_growth = True
    config.gpu_options.per_process_gpu_memory_fraction = 0.4
    assert (config.allow_soft_placement, config.log_device_placement,
            config.gpu_options.allow_growth) == (True, False, True)
    assert config.gpu_options.per_process_gpu_memory_fraction == pytest.approx(0.4)
    assert tf.ConfigProto(gpu_options=tf.GPUOptions(allow_growth=True)).gpu_options.allow_growth
    with pytest.raises(ValueError, match='Protocol message ConfigProto has no "allow_soft_placment"'
                                         ' field'):
        tf.ConfigProto(allow_soft_placment=True)
    with pytest.raises(AttributeError):
        config.no_such_field = 1
    with pytest.raises(TypeError):
        tf.Session(config={"allow_soft_placement": True})


def test_a_multi_device_program_gives_the_same_numbers_as_without_devices():
    """ay_multigpu_basics's shape: matrix powers on two 'devices', summed on the CPU."""
    def matpow(m, n):
        return m if n < 1 else tf.matmul(m, matpow(m, n - 1))
    rng = np.random.RandomState(0)
    A, B = rng.rand(4, 4).astype(np.float32), rng.rand(4, 4).astype(np.float32)
    a, b = tf.placeholder(tf.float32, [4, 4]), tf.placeholder(tf.float32, [4, 4])
    with tf.device("/gpu:0"):
        c1 = matpow(a, 3)
    with tf.device("/gpu:1"):
        c2 = matpow(b, 3)
    with tf.device("/cpu:0"):
        total = tf.add_n([c1, c2])
    with tf.Session(config=tf.ConfigProto(allow_soft_placement=True)) as sess:
        got = sess.run(total, {a: A, b: B})
    want = np.linalg.matrix_power(A, 4) + np.linalg.matrix_power(B, 4)
    np.testing.assert_allclose(got, want, rtol=1e-5)
