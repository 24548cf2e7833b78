"""The frameworks' tests need JAX and PyTorch: CI installs both (``.ci/dev``), so there a missing
one is a failure; elsewhere the tests that need it skip."""

import importlib
import os

import pytest


def need(module):
    """Import ``module``, or skip the test outside CI (in CI a missing framework fails)."""
    try:
        return importlib.import_module(module)
    except ImportError:
        if os.environ.get("CI"):
            raise
        pytest.skip(f"{module} is not installed (CI installs it: .ci/dev)")


@pytest.fixture
def jax():
    jax = need("jax")
    with jax.enable_x64(True):
        yield jax


@pytest.fixture
def torch():
    torch = need("torch")
    import warnings
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        yield torch


# The hinge model of lecture 3: margins = X @ W + b, hinge, mean.
X = [[1.0, 2.0], [3.0, -1.0], [0.5, 0.5]]
Y = [1.0, -1.0, 1.0]
W = [0.1, -0.2]
B = 0.3
