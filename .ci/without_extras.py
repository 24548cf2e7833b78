"""Run pytest as if the optional extras were not installed: ``import graphviz``, ``ipywidgets``
and ``matplotlib`` (and their submodules) raise ModuleNotFoundError, as on a bare
``pip install teachgrad``. The core's tests must pass here, none skipped for want of an extra.

    python .ci/without_extras.py tests/core tests/ops tests/autodiff tests/tf1 tests/teaching

Arguments go to pytest (``-p no:cacheprovider`` is added). The block is a finder first on
``sys.meta_path``, set before pytest starts, so no conftest or plugin can import the real thing.
"""

import importlib.abc
import sys

BLOCKED = ("graphviz", "ipywidgets", "matplotlib")


class NotInstalled(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] in BLOCKED:
            raise ModuleNotFoundError(f"No module named {name!r} (blocked by {__file__})",
                                      name=name)
        return None


def main(args):
    sys.meta_path.insert(0, NotInstalled())
    for name in list(sys.modules):
        if name.split(".")[0] in BLOCKED:
            del sys.modules[name]
    import pytest
    return pytest.main(["-p", "no:cacheprovider", *args])


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
