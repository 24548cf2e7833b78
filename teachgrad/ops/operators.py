"""Python's operators on :class:`Tensor` (``a + b``, ``x[1:]``, ``-x``, ``a @ b``, ``a < b``; ``==`` is
identity, as in TensorFlow 1: see ``Tensor.__eq__``)."""

import operator

import numpy as np

from ..core.primitive import apply, binary_operator
from ..core.tensor import Tensor
from .division import floordiv, floormod
from .elementwise import abs, add, div, mul, neg, pow, sub
from .structural import getitem, greater, greater_equal, less, less_equal, matmul, transpose


def _tensor_getitem(self, index):
    if isinstance(index, Tensor):
        index = index._value
    elif isinstance(index, tuple):
        index = tuple(i._value if isinstance(i, Tensor) else i for i in index)
    if self.shape.is_fully_defined():   # (with unknown sizes getitem's shape rule checks it)
        try:
            np.empty(self.shape, dtype=bool)[index]  # check the index against the shape
        except IndexError as e:
            raise IndexError(f"index {index!r} does not fit a tensor of shape {self.shape}: {e}") from None
    return apply(getitem, self, index=index)


def _binary(prim, fn):
    return binary_operator(prim, fn), binary_operator(prim, fn, reflected=True)


Tensor.__add__, Tensor.__radd__ = _binary(add, operator.add)
Tensor.__sub__, Tensor.__rsub__ = _binary(sub, operator.sub)
Tensor.__mul__, Tensor.__rmul__ = _binary(mul, operator.mul)
Tensor.__truediv__, Tensor.__rtruediv__ = _binary(div, div.impl)
Tensor.__pow__, Tensor.__rpow__ = _binary(pow, pow.impl)
Tensor.__floordiv__, Tensor.__rfloordiv__ = _binary(floordiv, floordiv.impl)   # TF-1's floordiv
Tensor.__mod__, Tensor.__rmod__ = _binary(floormod, floormod.impl)             # and mod
Tensor.__matmul__, Tensor.__rmatmul__ = (lambda self, other: apply(matmul, self, other),
                                         lambda self, other: apply(matmul, other, self))
Tensor.__neg__ = lambda self: apply(neg, self)
Tensor.__pos__ = lambda self: self
Tensor.__abs__ = lambda self: apply(abs, self)
Tensor.__getitem__ = _tensor_getitem
Tensor.__lt__ = lambda self, other: less(self, other)
Tensor.__le__ = lambda self, other: less_equal(self, other)
Tensor.__gt__ = lambda self, other: greater(self, other)
Tensor.__ge__ = lambda self, other: greater_equal(self, other)
Tensor.T = property(lambda self: apply(transpose, self))
