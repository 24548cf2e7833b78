"""The one part of the build that pyproject.toml cannot declare: the list of packages.

The lectures live once, in lectures/ at the repository root, where nbval, Binder, nbgitpuller and
the README's badges find them. A wheel carries them as the data-only package teachgrad._lectures
(pyproject.toml maps it onto lectures/ and says which files), so `teachgrad lectures` can copy them
out of an installed package. pyproject.toml cannot combine a package found on disk with one mapped
from another folder, hence this list. An editable install or a checkout on PYTHONPATH has no
teachgrad/_lectures: teachgrad.lectures then reads lectures/ directly.
"""

from setuptools import find_packages, setup

setup(packages=find_packages(include=["teachgrad", "teachgrad.*"]) + ["teachgrad._lectures"])
