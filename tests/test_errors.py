"""Every error teachgrad raises itself sits under one base, and keeps the Python base it had."""
import ast
import inspect
from pathlib import Path

import pytest

import teachgrad as tg
from teachgrad import errors

PACKAGE = Path(tg.__file__).parent


def _error_classes_defined_in_package():
    """(module file, class name) for every class in the package whose name ends in Error."""
    for path in PACKAGE.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ClassDef) and node.name.endswith(("Error", "NotFound")):
                yield path, node.name


def test_every_error_class_is_a_teachgrad_error():
    found = []
    for path, name in _error_classes_defined_in_package():
        module = ".".join(path.relative_to(PACKAGE.parent).with_suffix("").parts)
        mod = __import__(module, fromlist=[name])
        cls = getattr(mod, name)
        found.append(name)
        assert issubclass(cls, errors.TeachgradError), f"{module}.{name}"
    assert len(found) >= 8


@pytest.mark.parametrize("cls, base", [
    (errors.ShapeError, ValueError), (errors.DTypeError, TypeError),
    (errors.UnknownNodeError, KeyError), (errors.ExpressionError, ValueError),
    (errors.GraphvizError, RuntimeError), (errors.SlidesError, RuntimeError)])
def test_python_bases_kept(cls, base):
    assert issubclass(cls, base)


@pytest.mark.parametrize("name, code", [
    ("CancelledError", 1), ("UnknownError", 2), ("InvalidArgumentError", 3),
    ("NotFoundError", 5), ("FailedPreconditionError", 9), ("OutOfRangeError", 11),
    ("InternalError", 13), ("ResourceExhaustedError", 8)])
def test_tf1_error_codes(name, code):
    # the codes of tensorflow.compat.v1.errors (error_codes.proto)
    cls = getattr(tg.errors, name)
    assert issubclass(cls, tg.errors.OpError) and issubclass(cls, errors.TeachgradError)
    assert cls(None, None, "m").error_code == code
    assert cls(None, None, "m").message == "m"


def test_raised_errors_are_caught_by_the_base():
    with pytest.raises(errors.TeachgradError):
        tg.matmul(tg.ones((2, 3)), tg.ones((2, 3)))
    g = tg.Graph()
    with g.as_default():
        x = tg.placeholder(tg.float32, name="x")
        with tg.Session() as s, pytest.raises(errors.TeachgradError):
            s.run(x)
    assert inspect.isclass(errors.TeachgradError)
