"""``python -m teachgrad …`` runs the ``teachgrad`` command (see :mod:`teachgrad.course.cli`)."""

import sys

from .course.cli import main

if __name__ == "__main__":
    sys.exit(main())
