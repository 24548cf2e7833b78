"""One pass over a ``tf.data`` dataset: the values of the program tensors the dataset uses (fed to
its iterator's initializer), the generators of its shuffles, and the runner of its traced
functions (``map``, ``filter``), which a ``Plan`` runs as if in a Session.
"""

import numpy as np

from ...core.tensor import Tensor
from ...errors import FailedPreconditionError
from ..run_plan import Plan

__all__ = ["RunContext"]


class RunContext:
    """What one pass of an iterator over a dataset needs: the values of the program tensors the
    dataset captured, the random generators of its shuffles, and a runner for traced
    functions."""

    def __init__(self, values):
        self.values = values     # id(tensor) -> value
        self._generators = {}
        self._plans = {}
        self._random = {}

    def value(self, x):
        if not isinstance(x, Tensor):
            return x
        if x._value is not None:
            return x._value
        return self.values[id(x)]

    def elements(self, dataset):
        return iter(dataset._iterate(self))

    def shuffle_generator(self, dataset, seed, reshuffle):
        """The generator of a shuffle: made once per start of the iterator (so ``repeat`` passes
        draw new orders), or afresh at every pass without ``reshuffle``."""
        rng = self._generators.get(dataset)
        if rng is None or not reshuffle:
            rng = np.random.default_rng(seed)
            self._generators[dataset] = rng
        return rng

    def run(self, traced, element):
        plan = self._plans.get(traced)
        if plan is None:
            plan = self._plans[traced] = Plan(self, list(traced.outputs), list(traced.stand_ins))
        return plan.run(element)

    # what a Plan asks of the session it runs in (for the ops inside a traced function)
    def read(self, variable):
        raise FailedPreconditionError(None, variable.op, f"a dataset's function reads the "
                                      f"variable {variable.op_name!r}: teachgrad runs dataset "
                                      "functions without the program's variables")

    def generator(self, node, seed):
        """A random op's generator inside a traced function (seeded ones repeat their numbers
        at every start of the iterator)."""
        rng = self._random.get(node)
        if rng is None:
            rng = self._random[node] = np.random.default_rng(seed)
        return rng
