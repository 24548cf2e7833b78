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


# The doctests of teachgrad/frameworks need JAX and PyTorch: CI installs both (.ci/dev), so there
# they always run; elsewhere they skip when one is missing, as tests/frameworks does.
FRAMEWORKS = ("jax", "torch")


def pytest_collection_modifyitems(config, items):
    import importlib.util
    import os
    missing = [m for m in FRAMEWORKS if importlib.util.find_spec(m) is None]
    if os.environ.get("CI") or not missing:
        return
    skip = pytest.mark.skip(reason=f"needs {' and '.join(missing)} (CI installs them: .ci/dev)")
    for item in items:
        if type(item).__name__ == "DoctestItem" and ".frameworks" in item.name:
            item.add_marker(skip)
