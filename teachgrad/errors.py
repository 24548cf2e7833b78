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


class NoValueError(ValueError):
    """A tensor's value asked for before a Session has computed it.

    The message names the placeholders to feed and the variables to initialize.
    """

    @classmethod
    def for_tensor(cls, t):
        needs, seen, stack = [], {t}, [t]
        while stack:   # every root the tensor depends on, without recursion
            node = stack.pop()
            kind = getattr(node.prim, "name", None)
            if kind == "placeholder":
                needs.append(f"placeholder {node.name!r} (feed it)")
            elif kind == "variable":
                needs.append(f"variable {node.name!r} (initialize it)")
            elif getattr(node.prim, "stateful", False):
                needs.append(f"{node.op.type} {node.name!r} (a new value at every run)")
            for inp in node.inputs:
                if inp not in seen:
                    seen.add(inp)
                    stack.append(inp)
        what = "; it depends on " + ", ".join(reversed(needs)) if needs else ""
        return cls(f"tensor {t.name!r} has no value yet{what}. Graph mode (TensorFlow 1's default) "
                   "computes values when they are run: use sess.run(t, feed_dict={...}) in a "
                   "tg.Session(), or tg.enable_eager_execution()")


class OpError(Exception):
    """An operation failed while a Session ran it (TensorFlow 1's ``tf.errors.OpError``)."""

    def __init__(self, node_def=None, op=None, message=""):
        if message == "" and isinstance(node_def, str):   # OpError("text") as well
            node_def, message = None, node_def
        super().__init__(message)
        self.message = message
        self.op = op
        self.node_def = node_def


class FailedPreconditionError(OpError):
    """A variable read before it was initialized in this Session."""


class InvalidArgumentError(OpError):
    """An argument that does not fit, found while running (a placeholder not fed, …)."""


class ResourceExhaustedError(OpError):
    """Out of memory or another resource while running."""


class OutOfRangeError(OpError):
    """An iterator ran past its last element (``tf.data``: "End of sequence"), as TensorFlow 1
    says at the end of an epoch: ``except tf.errors.OutOfRangeError: break``."""


class NotFoundError(OpError):
    """Something a run needed was not there (a variable's key missing from a checkpoint)."""
