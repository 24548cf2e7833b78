"""``tg.plot``: plots for the lectures — a function with its derivatives, a gradient field, and
what forward and reverse mode cost (matplotlib, loaded on first use of ``tg.plot``).

The plots live in :mod:`teachgrad.plot.functions` and :mod:`teachgrad.plot.modes`; their shared
sizes and fonts in :mod:`teachgrad.plot.style`.
"""

from .functions import *  # noqa: F401,F403
from .functions import __all__  # noqa: F401
