"""The core: tensors and the record every operation leaves, dtypes and shapes, primitives and
applying them, and TensorFlow 1's program graph that records them (per thread: ``context``).

Importing any part of it sets up the program graph first, so the first tensor made in a thread
already has a default graph to go to.
"""

from . import program_graph  # noqa: F401  (hands the Graph class to the per-thread context)
