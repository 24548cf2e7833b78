"""The errors teachgrad raises on bad input.

Each says what was wrong and what was expected, and none leaves anything half-changed.
"""


class ShapeError(ValueError):
    """Shapes that do not fit an operation.

    >>> import teachgrad as tg
    >>> tg.matmul(tg.ones((2, 3)), tg.ones((2, 3)))
    Traceback (most recent call last):
    ...
    teachgrad.errors.ShapeError: matmul: shapes (2, 3) and (2, 3) do not fit: a.shape[-1] == b.shape[-2] is required (3 != 2)
    """


class ExpressionError(ValueError):
    """An expression typed by a user that teachgrad will not run.

    ``line`` and ``col`` (1-based, may be ``None``) say where the problem is.
    """

    def __init__(self, message, line=None, col=None, source=None):
        self.line = line
        self.col = col
        self.source = source
        where = f" (line {line}, column {col})" if line is not None else ""
        super().__init__(message + where)
        self.message = message


class DTypeError(TypeError):
    """A derivative asked of a tensor whose dtype cannot have one (an integer or a boolean)."""


class UnknownNodeError(KeyError, ValueError):
    """A node name that the graph does not have (a ``KeyError`` and a ``ValueError``, so code that
    catches either keeps working).

    >>> import teachgrad as tg
    >>> tg.trace("e = a * b", a=1, b=2).value("z")
    Traceback (most recent call last):
    ...
    teachgrad.errors.UnknownNodeError: "no node 'z' in the graph: expected one of a, b, e"
    """
