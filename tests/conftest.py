"""Every test starts in graph mode (TensorFlow 1's default) with a new, empty default graph."""

import pytest

import teachgrad as tg


@pytest.fixture(autouse=True)
def fresh_default_graph():
    tg.disable_eager_execution()
    tg.reset_default_graph()
    yield
    tg.disable_eager_execution()


@pytest.fixture
def eager():
    """TensorFlow 1's eager mode for the test: variables hold values, assign acts at once."""
    tg.enable_eager_execution()
    yield
    tg.disable_eager_execution()
