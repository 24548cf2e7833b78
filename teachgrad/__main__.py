"""``python -m teachgrad …`` runs the ``teachgrad`` command (see :mod:`teachgrad.cli`)."""

import sys

from .cli import main

if __name__ == "__main__":
    sys.exit(main())
