"""The errors teachgrad raises, all under one base, :class:`TeachgradError`.

Each says what was wrong and what was expected, and none leaves anything half-changed. Where
Python or TensorFlow 1 gives an error a base, it keeps it (``ShapeError`` is a ``ValueError``,
``DTypeError`` a ``TypeError``), so ``except ValueError`` still catches what it caught.
``tg.errors`` is also TensorFlow 1's ``tf.errors``: ``OpError`` and its family, raised while a
Session runs, with TF's error codes.

>>> import teachgrad as tg
>>> issubclass(tg.errors.ShapeError, (tg.errors.TeachgradError, ValueError))
True
>>> tg.errors.OutOfRangeError(None, None, "End of sequence").error_code
11
"""


class TeachgradError(Exception):
    """The base of every error teachgrad raises itself (``except tg.errors.TeachgradError``)."""


class ShapeError(TeachgradError, ValueError):
    """Shapes that do not fit an operation.

    >>> import teachgrad as tg
    >>> tg.matmul(tg.ones((2, 3)), tg.ones((2, 3)))
    Traceback (most recent call last):
    ...
    teachgrad.errors.ShapeError: matmul: shapes (2, 3) and (2, 3) do not fit: a.shape[-1] == b.shape[-2] is required (3 != 2)
    """


class ExpressionError(TeachgradError, ValueError):
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


class DTypeError(TeachgradError, TypeError):
    """A derivative asked of a tensor whose dtype cannot have one (an integer or a boolean)."""


class ConcretizationError(TeachgradError, TypeError):
    """A traced value turned into a Python or NumPy number while a transform traces a function
    (JAX's ``ConcretizationTypeError``): ``float(x)``, ``math.sin(x)``, ``x.item()``,
    ``x.numpy()`` or ``np.asarray(x)`` of a tensor that depends on the inputs ``grad``, ``jvp``,
    ``vjp`` or ``trace`` differentiate. The number has no graph, so the derivative through it
    would silently be lost; the message says what to write instead.

    >>> import math, teachgrad as tg
    >>> tg.grad(lambda x: math.sin(x))(1.0)
    Traceback (most recent call last):
    ...
    teachgrad.errors.ConcretizationError: grad: float() of a traced tensor ...
    >>> float(tg.grad(lambda x: tg.sin(x))(0.0))
    1.0
    """


class UnknownNodeError(TeachgradError, KeyError, ValueError):
    """A node name that the graph does not have (a ``KeyError`` and a ``ValueError``, so code that
    catches either keeps working).

    >>> import teachgrad as tg
    >>> tg.trace("e = a * b", a=1, b=2).value("z")
    Traceback (most recent call last):
    ...
    teachgrad.errors.UnknownNodeError: "no node 'z' in the graph: expected one of a, b, e"
    """


class NoValueError(TeachgradError, ValueError):
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


class InaccessibleTensorError(TeachgradError, ValueError):
    """A tensor made inside a ``cond`` branch or a ``while_loop`` body, fetched from outside it:
    it has a value only while the branch or the body runs (TensorFlow 1 refuses it too)."""


class OpError(TeachgradError):
    """An operation failed while a Session ran it (TensorFlow 1's ``tf.errors.OpError``)."""
    error_code = 2   # UNKNOWN

    def __init__(self, node_def=None, op=None, message=""):
        if message == "" and isinstance(node_def, str):   # OpError("text") as well
            node_def, message = None, node_def
        super().__init__(message)
        self.message = message
        self.op = op
        self.node_def = node_def


class ExpressionShapeError(ExpressionError, ShapeError):
    """Shapes that do not fit, found while an expression ran: an ``ExpressionError`` with the
    position, and a ``ShapeError`` as the core raised it."""


class GraphvizError(TeachgradError, RuntimeError):
    """Graphviz could not draw a picture — it failed, crashed or took too long, or the graph is
    too big to draw; the message says what happened and what to try. (Its subclass
    ``render.GraphvizNotFound``, for a missing ``dot``, is also graphviz's own
    ``ExecutableNotFound`` and lives where graphviz is imported.)"""


class SlidesError(TeachgradError, RuntimeError):
    """A deck cannot be built: what is wrong and what to do, in a sentence or two."""


def _op_error(name, code, doc):
    return type(name, (OpError,), {"__doc__": doc, "error_code": code, "__module__": __name__})


# TensorFlow 1's tf.errors, with its error codes (tensorflow/core/protobuf/error_codes.proto).
CancelledError = _op_error("CancelledError", 1, "An operation was cancelled.")
UnknownError = _op_error("UnknownError", 2, "An error of no other kind.")
InvalidArgumentError = _op_error(
    "InvalidArgumentError", 3,
    "An argument that does not fit, found while running (a placeholder not fed, …).")
DeadlineExceededError = _op_error("DeadlineExceededError", 4, "A deadline passed.")
NotFoundError = _op_error("NotFoundError", 5, "A file or other entity was not found.")
AlreadyExistsError = _op_error("AlreadyExistsError", 6, "An entity to create already exists.")
PermissionDeniedError = _op_error("PermissionDeniedError", 7, "Not allowed to run an operation.")
ResourceExhaustedError = _op_error("ResourceExhaustedError", 8,
                                   "Out of memory or another resource while running.")
FailedPreconditionError = _op_error(
    "FailedPreconditionError", 9, "A variable read before it was initialized in this Session.")
AbortedError = _op_error("AbortedError", 10, "An operation was aborted.")
OutOfRangeError = _op_error(
    "OutOfRangeError", 11, "Past the end: an iterator has no more elements (tf.data).")
UnimplementedError = _op_error("UnimplementedError", 12, "An operation is not implemented.")
InternalError = _op_error("InternalError", 13, "An invariant of the system broke.")
UnavailableError = _op_error("UnavailableError", 14, "A service is not available.")
DataLossError = _op_error("DataLossError", 15, "Unrecoverable data loss or corruption.")
UnauthenticatedError = _op_error("UnauthenticatedError", 16, "No valid credentials.")
