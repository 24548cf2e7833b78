"""What each thread has of its own: the graph new operations are recorded in, the default graph and
default session stacks, the eager switch, and — per graph — the name scope and the control
dependencies it is inside.

TensorFlow 1 keeps these stacks in ``threading.local`` objects in ``framework/ops.py``, and so does
teachgrad: a thread that runs ``tg.grad`` (which records into no program while it traces) leaves the
main thread's program untouched, and a new thread starts with a default graph of its own, as in
TensorFlow 1 ("the default graph is a property of the current thread"). The eager switch is
process-wide when set with ``enable_eager_execution`` and each thread can still pause recording.

The sessions sit above this layer; they push themselves onto :func:`session_stack` when made the
default, so ``Tensor.eval()`` and ``Operation.run()`` find them without importing them.
"""

import threading

__all__ = ["GraphThreadState", "Tape", "current", "recording_graph", "set_recording_graph", "graph_stack",
           "session_stack", "eager", "set_eager", "default_graph", "set_default_graph",
           "new_graph_factory", "default_session", "set_display_hook", "display"]


class GraphThreadState(threading.local):
    """One program graph as the current thread sees it: the scope and the control dependencies
    the thread's ``with`` blocks opened on it (``graph._here``)."""
    scope = ""      # the current name scope: "" or "model/"
    control = ()    # the tensors new ops depend on (tg.control_dependencies)
    devices = ()    # the open tg.device blocks: (first node's index, device string or function)

    def __init__(self, graph):
        self.graph = graph


class Tape(list):
    """The tensors made, in order, while a function transform runs ``f`` (eager, or with the
    user's program paused): the transform's own recording state, in ``current.recording``.

    It records into no program graph (``graph`` is None, so ``recording_graph()`` is None and
    every op runs eagerly, as with recording paused), but each new tensor is appended here, so the
    reverse pass visits ``f``'s operations in the order they ran instead of searching the graph
    and sorting it. The transform checks that the tape missed nothing (see
    ``autodiff/transforms.py``'s ``_taped``) and sorts the graph as before when it may have.
    """

    __slots__ = ()
    graph = None


class _Thread(threading.local):
    """The current thread's state; every attribute starts fresh in a new thread."""

    # While grad/jvp/vjp/trace run a user's function: the core.tracing.Tracer that tells which
    # tensors are traced, so float(x) of one is refused (None: nothing is being traced).
    tracer = None

    def __init__(self):
        self.eager = _process_eager
        self.graphs = []        # graphs made default with as_default(), innermost last
        self.sessions = []      # sessions made default (with sess: / as_default / Interactive)
        self.default = None     # this thread's own default graph
        self.recording = None   # the GraphThreadState new tensors go into, a Tape, or None
        if _new_graph is not None:   # (None only while the package itself is being imported)
            self.default = _new_graph()
            if not self.eager:
                self.recording = self.default._here


_process_eager = False
_new_graph = None   # makes a program graph (set by core.program_graph, which defines the class)
current = _Thread()   # read on the hot path: ``current.recording`` (core.tensor.record)


def new_graph_factory(make):
    """Tell this module how to make a program graph: the class lives one module up and needs
    this module, so the function is handed down instead of an import pointing up. Called once,
    when ``core.program_graph`` is imported; the importing thread gets its default graph then."""
    global _new_graph
    _new_graph = make
    state = current
    if state.default is None:
        state.default = make()
        state.recording = None if state.eager else state.default._here


def default_graph():
    """The graph new operations go to in this thread: the innermost ``as_default()`` graph, else
    the thread's own default graph."""
    state = current
    return state.graphs[-1] if state.graphs else state.default


def set_default_graph(graph):
    """Make ``graph`` this thread's own default graph (``reset_default_graph``)."""
    current.default = graph


def graph_stack():
    """This thread's stack of graphs made default with ``as_default()``."""
    return current.graphs


def session_stack():
    """This thread's stack of default sessions, innermost last."""
    return current.sessions


def recording_graph():
    """The graph new tensors are added to now in this thread (None: eager mode, or paused while
    the teaching layer or a transform records for itself)."""
    here = current.recording
    return None if here is None else here.graph


def set_recording_graph(graph):
    """Add new tensors to ``graph`` (or to none) from now on, in this thread; returns the graph
    they went to before."""
    state = current
    previous = state.recording
    if graph is not None:
        state.recording = graph._here
    elif previous.__class__ is not Tape:   # (a transform's tape records into no graph already)
        state.recording = None
    return None if previous is None else previous.graph


def eager():
    """True when this thread executes eagerly."""
    return current.eager


def set_eager(on):
    """Switch eager execution on or off, in this thread and for the threads started later."""
    global _process_eager
    _process_eager = on
    current.eager = on
    set_recording_graph(None if on else default_graph())


def default_session(what):
    """This thread's default session, or an error saying how to make one (``what`` is the call
    that needs it, e.g. ``"Tensor.eval"``)."""
    if current.eager:
        raise NotImplementedError(f"{what} is not supported when eager execution is enabled: "
                                  "values are computed at once, use .numpy()")
    if not current.sessions:
        raise ValueError(f"{what}: no default session is registered. Use `with tg.Session() as "
                         "sess:`, pass session=sess, or call sess.run(...) directly")
    return current.sessions[-1]


_display = [None]


def set_display_hook(show):
    """How a program graph, or a tensor that has no value yet, shows itself in Jupyter:
    ``show(obj)`` returns a MIME bundle. The package top installs the teaching layer's picture
    (the core knows nothing of pictures)."""
    _display[0] = show


def display(obj):
    """The MIME bundle of ``obj`` from the installed hook (None: Jupyter shows the repr)."""
    show = _display[0]
    return None if show is None else show(obj)
