"""``tg.dtypes``: TensorFlow-1 data types (``tg.float32``, ``tg.int32``, …) as ``DType`` objects.

The public face only: the code lives in :mod:`teachgrad.core.dtypes`."""

from .core.dtypes import *  # noqa: F401,F403
from .core.dtypes import __all__  # noqa: F401
