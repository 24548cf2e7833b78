"""``tf.summary`` without the tensorboard extra: a one-line error that says what to install, and
``import teachgrad`` never loads tensorboard. These run where tensorboard is missing, the case
they are about (tests/tf1/test_summary.py needs it and skips without it)."""

import subprocess
import sys

import pytest

import teachgrad as tf


def test_without_tensorboard_a_one_line_error_says_what_to_install(monkeypatch, tmp_path):
    monkeypatch.setitem(sys.modules, "tensorboard", None)   # as if it were not installed
    for call in (lambda: tf.summary.FileWriter(str(tmp_path)),
                 lambda: tf.summary.scalar("loss", 1.0),
                 lambda: tf.get_default_graph().as_graph_def()):
        with pytest.raises(ModuleNotFoundError) as error:
            call()
        message = str(error.value)
        assert "\n" not in message and 'pip install "teachgrad[tensorboard]"' in message
        assert "needs tensorboard, which is not installed" in message


def test_import_teachgrad_does_not_load_tensorboard():
    code = "import sys, teachgrad; print('tensorboard' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
