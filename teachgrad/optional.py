"""The optional packages behind teachgrad's pictures, plots and widgets, and the one-line error that
says how to install one that is missing.

``import teachgrad`` needs only NumPy (and pictures only the small ``graphviz`` package, a base
dependency, plus Graphviz's ``dot`` program from the system). Plots need matplotlib and widgets
need ipywidgets: ``pip install "teachgrad[lab]"`` brings both with JupyterLab; TensorBoard event
files (``tg.summary``) need ``tensorboard``: ``pip install "teachgrad[tensorboard]"``. A module that needs
one calls :func:`require` before importing it, so a missing package is reported as what to type
rather than as a bare ``No module named …``.
"""

import importlib

__all__ = ["require"]

# The name pip knows a package by, where it is not the name it is imported by.
_DISTRIBUTION = {"IPython": "ipython"}

# What to type for a package that is not in the lectures' extra (teachgrad.frameworks).
_INSTALL = {
    "jax": 'pip install "teachgrad[jax]" (JAX for the CPU)',
    "torch": "pip install torch==2.13.0 on a machine whose index gives the CPU build, or the CPU "
             "wheel from pytorch.org's install page (a plain pip install torch on Linux pulls a "
             "GPU build of several GB)",
}


def require(module, feature, extra="lab"):
    """Import and return ``module``; if it is not installed, raise ``ModuleNotFoundError`` with one
    line naming ``feature`` (what needs it) and the ``pip install`` that fixes it (the package, or
    teachgrad's ``extra`` that brings it).

    >>> require("numpy", "teachgrad").__name__
    'numpy'
    >>> require("no_such_package", "teachgrad.plot")
    Traceback (most recent call last):
    ...
    ModuleNotFoundError: teachgrad.plot needs no_such_package, which is not installed: pip ...
    >>> require("no_such_package.proto", "tg.summary", extra="tensorboard")
    Traceback (most recent call last):
    ...
    ModuleNotFoundError: tg.summary needs no_such_package, which is not installed: pip install no_such_package (or pip install "teachgrad[tensorboard]")
    """
    try:
        return importlib.import_module(module)
    except ModuleNotFoundError as e:
        if e.name != module.split(".")[0]:
            raise   # the package is there but something it imports is not: show that as it is
        package = _DISTRIBUTION.get(e.name, e.name)
        why = " for everything the lectures use" if extra == "lab" else ""
        how = _INSTALL.get(e.name) or (f"pip install {package} "
                                       f'(or pip install "teachgrad[{extra}]"{why})')
        raise ModuleNotFoundError(f"{feature} needs {e.name}, which is not installed: {how}",
                                  name=e.name) from None
