"""``tensorboard --logdir`` on an event file teachgrad wrote, in Debian's Chromium: the Graphs tab
draws the program — its name scopes, and inside ``model`` the variables and ops TensorFlow 1
would show — and the Scalars tab has the loss. Screenshots: ``tests/artifacts/screenshots/
tensorboard-graph.png`` (the ``model`` scope opened) and ``tensorboard-scalars.png``.

Every request the page makes that is not to the local TensorBoard is aborted and recorded.
"""

import os
import socket
import subprocess
import sys
import time
import urllib.request

import numpy as np
import pytest

import teachgrad as tf

pytest.importorskip("tensorboard", reason="needs the tensorboard extra: "
                                   "pip install teachgrad[tensorboard]")


def write_log(logdir):
    """A small TF-1 program, trained for three steps, written as TensorFlow 1 tutorials do."""
    with tf.Graph().as_default():
        x = tf.placeholder(tf.float32, (None, 2), name="x")
        y = tf.placeholder(tf.float32, (None, 1), name="y")
        with tf.name_scope("model"):
            w = tf.Variable(np.array([[0.5], [-0.25]], np.float32), name="weights")
            b = tf.Variable(0.1, name="bias")
            pred = tf.nn.relu(tf.matmul(x, w) + b)
        with tf.name_scope("loss"):
            loss = tf.reduce_mean(tf.square(pred - y))
        tf.summary.scalar("loss", loss)
        merged = tf.summary.merge_all()
        train = tf.train.GradientDescentOptimizer(0.01).minimize(loss)
        with tf.Session() as sess, tf.summary.FileWriter(logdir, sess.graph) as writer:
            sess.run(tf.global_variables_initializer())
            for step in range(3):
                summary, _ = sess.run([merged, train], {x: [[1., 2.], [3., 4.]], y: [[1.], [2.]]})
                writer.add_summary(summary, step)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def tensorboard_url(tmp_path):
    write_log(str(tmp_path / "logs" / "run1"))
    port = free_port()
    command = [os.path.join(os.path.dirname(sys.executable), "tensorboard"), "--logdir",
               str(tmp_path / "logs"), "--host", "127.0.0.1", "--port", str(port)]
    server = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                              env={**os.environ, "HOME": str(tmp_path)})
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 90
        while True:
            try:
                with urllib.request.urlopen(url + "/data/plugin/graphs/info", timeout=5) as r:
                    if b"run1" in r.read():
                        break
            except OSError:
                pass
            assert server.poll() is None and time.monotonic() < deadline, \
                "tensorboard did not start"
            time.sleep(0.5)
        yield url
    finally:
        server.terminate()
        server.wait(timeout=30)


def test_tensorboard_draws_the_graph_and_the_loss(browser, screenshots, tensorboard_url):
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    outside, errors = [], []

    def local_only(route):
        if route.request.url.startswith(tensorboard_url):
            route.continue_()
        else:
            outside.append(route.request.url)
            route.abort()
    context.route("**/*", local_only)
    page = context.new_page()
    page.on("pageerror", lambda error: errors.append(str(error)))
    try:
        page.goto(tensorboard_url + "/#graphs&run=run1")
        page.wait_for_selector("svg g.node", timeout=60_000)
        scopes = page.eval_on_selector_all("svg g.node text", "els => els.map(e => e.textContent)")
        for name in ("model", "loss", "gradients", "GradientDescent", "x", "y"):
            assert any(name in text for text in scopes), (name, scopes)
        page.locator("svg g.node", has_text="model").first.dblclick()     # open the scope
        page.wait_for_selector("svg g.node:has-text('MatMul')", timeout=30_000)
        inside = page.eval_on_selector_all("svg g.node text", "els => els.map(e => e.textContent)")
        for name in ("weights", "bias", "MatMul", "add", "Relu"):
            assert any(text.startswith(name) for text in inside), (name, inside)
        assert "?×1" in inside and "2×1" in inside           # shapes on the edges
        page.wait_for_timeout(1500)                          # (the zoom into the scope)
        page.screenshot(path=str(screenshots / "tensorboard-graph.png"))
        page.goto(tensorboard_url + "/#scalars")
        page.wait_for_selector("text=loss_1", timeout=60_000)
        page.wait_for_timeout(3000)
        page.screenshot(path=str(screenshots / "tensorboard-scalars.png"))
        assert not errors, errors
    finally:
        context.close()
