"""``Session``: runs the part of a program graph that the fetched tensors need.

>>> import teachgrad as tg
>>> with tg.Graph().as_default():
...     a = tg.placeholder(tg.float32, name="a")
...     b = tg.placeholder(tg.float32, name="b")
...     e = (a + b) * (b + 1)
...     de_da, de_db = tg.gradients(e, [a, b])
...     with tg.Session() as sess:
...         values = sess.run([e, de_da, de_db], feed_dict={a: 2.0, b: 1.0})
>>> [float(v) for v in values]
[6.0, 2.0, 5.0]
"""

import collections

import numpy as np

from ..errors import FailedPreconditionError, InaccessibleTensorError, InvalidArgumentError
from ..core import devices
from ..core.context import default_session, session_stack
from ..core.operation import Operation
from ..core.program_graph import executing_eagerly, get_default_graph
from ..core.tensor import Tensor
from .config import ConfigProto
from .run_plan import Plan, SubPlan

__all__ = ["Session", "InteractiveSession", "default_session", "get_default_session"]

def get_default_session():
    """This thread's innermost default session, or None.

    >>> import teachgrad as tf
    >>> with tf.Graph().as_default(), tf.Session() as sess:
    ...     print(tf.get_default_session() is sess)
    True
    >>> print(tf.get_default_session())
    None
    """
    stack = session_stack()
    return stack[-1] if stack else None


class Session:
    """Runs operations of a graph; holds the values of its variables.

    ``run(fetches, feed_dict=None)``: ``fetches`` is a tensor, an operation, a name, or a list /
    tuple / dict / namedtuple of them nested in any way; the result has the same structure
    (``None`` for an operation). Any tensor can be fed — a placeholder, an intermediate (what made
    it is then not run), a variable. Each run computes exactly what the fetches need, with the
    current variable values; random ops draw anew and assignments act at every run.

    >>> import teachgrad as tf
    >>> with tf.Graph().as_default():
    ...     x = tf.placeholder(tf.float32, shape=[None], name="x")
    ...     y = 2.0 * x + 1.0
    ...     with tf.Session() as sess:
    ...         print(sess.run(y, feed_dict={x: [1.0, 2.0]}))
    ...         print(sess.run({"y": y, "pair": (x, y)}, feed_dict={x: [0.0]}))
    [3. 5.]
    {'y': array([1.], dtype=float32),
     'pair': (array([0.], dtype=float32), array([1.], dtype=float32))}
    """

    def __init__(self, target="", graph=None, config=None):
        if executing_eagerly():
            raise RuntimeError("tg.Session is not available in eager mode: operations run at once "
                               "there. Call tg.disable_eager_execution() to build and run graphs")
        self.graph = graph if graph is not None else get_default_graph()
        if config is not None and not isinstance(config, ConfigProto):
            raise TypeError(f"Session: config must be a tg.ConfigProto, got {config!r}")
        self._config = config if config is not None else ConfigProto()
        self.values = {}       # variable -> its value in this session
        self._generators = {}  # random op -> its generator in this session
        self._plans = {}
        self._closed = False

    # --- running ---------------------------------------------------------------------------------
    def run(self, fetches, feed_dict=None, options=None, run_metadata=None):
        """The values of ``fetches`` (nested as given; ``None`` for an operation), with the
        tensors of ``feed_dict`` replaced by the values given (converted to their dtype, checked
        against their shape).

        >>> import teachgrad as tf
        >>> with tf.Graph().as_default():
        ...     x = tf.placeholder(tf.float32, shape=[None], name="x")
        ...     y = x * x
        ...     with tf.Session() as sess:
        ...         print(sess.run([y, tf.no_op()], feed_dict={x: [3.0]}))
        ...         print(sess.run(y, feed_dict={y: [7.0]}))      # an intermediate, fed
        [array([9.], dtype=float32), None]
        [7.]
        """
        if self._closed:
            raise RuntimeError("Attempted to use a closed Session.")
        # The compiled plan of these fetches and fed tensors, found in one dictionary look-up:
        # a training loop calls this thousands of times with the same ones. The fetches' class
        # is part of the key: [z], (z,) and a namedtuple (z,) compare equal but give back a list,
        # a tuple and a namedtuple; the fed tensors are too: {x: 1.0} and {y: 10.0} run z
        # differently.
        cls = fetches.__class__
        key = (cls, tuple(fetches) if cls is list or cls is tuple else fetches,
               tuple(feed_dict) if feed_dict else ())
        try:
            runner = self._plans.get(key)
        except TypeError:   # nested lists or dicts: not hashable, compiled each time
            runner, key = None, None
        if runner is None:
            runner = self._compile(fetches, feed_dict)
            if key is not None:
                self._plans[key] = runner
        plan, rebuild = runner
        values = plan.run(feed_dict.values() if feed_dict else ())
        return values if rebuild is None else rebuild(values)

    def _check_devices(self):
        """Refuse an op pinned to a device this machine lacks, as TensorFlow does when a graph
        reaches a session (every op of the graph, fetched or not)."""
        graph, soft = self.graph, self._config.allow_soft_placement
        pinned = list(graph._devices.items())
        for start, _ in graph._here.devices:   # blocks still open around this run
            pinned += [(t, graph.device_of(t)) for t in graph.nodes[start:]]
        refused = [(t, why) for t, spec in pinned if spec and (why := devices.misplaced(spec, soft))]
        if refused:   # TensorFlow places an op without inputs with its consumer: it names that
            t, why = next((r for r in refused if r[0].inputs), refused[0])
            raise InvalidArgumentError(None, Operation(t), f"Cannot assign a device for "
                                       f"operation {t.op_name}: {{{{node {t.op_name}}}}} {why}")

    def _compile(self, fetches, feed_dict):
        self._check_devices()
        cls = fetches.__class__
        if cls is list and all(f.__class__ is Tensor for f in fetches):
            targets, rebuild = [_as_node(f, self.graph, "fetch") for f in fetches], None
        else:
            targets, rebuild = _flat_fetches(fetches, self.graph)
        fed = [_as_node(k, self.graph, "feed_dict key") for k in feed_dict] if feed_dict else []
        inside = self.graph.inside_control_flow
        for t in targets if inside else ():
            if t in inside:
                raise InaccessibleTensorError(
                    f"Operation {t.op_name} has been marked as not fetchable: it is made inside a "
                    "tf.cond branch or a tf.while_loop and has a value only while that runs. "
                    "Return it from the branch or the body and fetch that result")
        return Plan(self, list(targets), fed), rebuild

    def run_subprogram(self, program, values):
        """Run a cond branch, or a while loop's test or body, with ``values`` for its inputs (as
        a control-flow op runs it): its outputs' values and what it computed."""
        plan = self._plans.get(program)
        if plan is None:
            plan = self._plans[program] = SubPlan(self, program)
        return plan.call(values)

    def make_callable(self, fetches, feed_list=None):
        feed_list = list(feed_list or [])

        def call(*values):
            return self.run(fetches, dict(zip(feed_list, values)))
        return call

    # --- state ---------------------------------------------------------------------------------
    def read(self, variable):
        """The value of ``variable`` in this session."""
        try:
            return self.values[variable]
        except KeyError:
            raise FailedPreconditionError(
                None, variable.op, f"Attempting to use uninitialized value {variable.op_name}: run "
                "its initializer first, e.g. sess.run(tg.global_variables_initializer())") from None

    def generator(self, node, seed):
        """The random generator of random op ``node`` in this session (seeded ops repeat their
        sequence in every new session)."""
        rng = self._generators.get(node)
        if rng is None:
            rng = self._generators[node] = np.random.default_rng(seed)
        return rng

    @property
    def graph_def(self):
        """The session's graph as TensorFlow's ``GraphDef`` (``tf.train.write_graph(
        sess.graph_def, ...)``); needs the ``tensorboard`` package."""
        return self.graph.as_graph_def()

    def close(self):
        """Free the session: its variables' values are gone, and ``run`` raises.

        >>> import teachgrad as tf
        >>> with tf.Graph().as_default():
        ...     c = tf.constant(3.0)
        ...     sess = tf.Session()
        ...     sess.close()
        ...     sess.run(c)
        Traceback (most recent call last):
        ...
        RuntimeError: Attempted to use a closed Session.
        """
        self._closed = True
        self._plans.clear()

    # --- default session -----------------------------------------------------------------------
    def as_default(self):
        """A context in which this session is the default: ``t.eval()`` and ``op.run()`` use it
        (it is not closed at the end, unlike ``with tf.Session() as sess``).

        >>> import teachgrad as tf
        >>> with tf.Graph().as_default():
        ...     c = tf.constant(3.0) * 2
        ...     sess = tf.Session()
        ...     with sess.as_default():
        ...         print(c.eval(), tf.get_default_session() is sess)
        ...     sess.close()
        6.0 True
        """
        return _DefaultSession(self)

    def __enter__(self):
        session_stack().append(self)
        return self

    def __exit__(self, *exc):
        stack = session_stack()
        if stack and stack[-1] is self:
            stack.pop()
        self.close()
        return False

    def __repr__(self):
        state = "closed" if self._closed else f"{len(self.values)} variables set"
        return f"<tg.Session on {self.graph!r}, {state}>"


class _DefaultSession:
    def __init__(self, session):
        self.session = session

    def __enter__(self):
        session_stack().append(self.session)
        return self.session

    def __exit__(self, *exc):
        stack = session_stack()
        if stack and stack[-1] is self.session:
            stack.pop()
        return False


class InteractiveSession(Session):
    """A Session that makes itself the default at once, for notebooks: ``t.eval()`` works.

    >>> import teachgrad as tf
    >>> with tf.Graph().as_default():
    ...     sess = tf.InteractiveSession()
    ...     v = tf.Variable(2.0, name="v")
    ...     v.initializer.run()
    ...     print((v * 3).eval(), tf.get_default_session() is sess)
    ...     sess.close()
    6.0 True
    """

    def __init__(self, target="", graph=None, config=None):
        super().__init__(target, graph, config)
        session_stack().append(self)

    def close(self):
        stack = session_stack()
        if any(s is self for s in stack):
            stack.remove(self)
        super().close()


# ------------------------------------------------------------------------------------------------
# fetches and feeds
# ------------------------------------------------------------------------------------------------

def _as_node(x, graph, what):
    if isinstance(x, Operation):
        x = x._tensor
    elif isinstance(x, str):
        return graph.as_graph_element(x)
    elif hasattr(x, "_as_graph_element"):
        return _as_node(x._as_graph_element(), graph, what)
    if isinstance(x, Tensor):
        home = getattr(x, "_graph", None)
        if home is not None and home is not graph:
            raise ValueError(f"{what} {x.name!r} is not an element of this graph: it was made in "
                             "another tg.Graph (after tg.reset_default_graph(), make the tensors "
                             "again, or pass graph= to tg.Session)")
        return x
    raise TypeError(f"{what} {x!r} is a {type(x).__name__}: expected a tensor, an operation or "
                    "the name of one")


def _flat_fetches(fetches, graph):
    """The nodes ``fetches`` names, as a tuple, and the function that puts their values back
    into the structure of ``fetches``. A flat list or tuple of tensors (a training loop's
    ``[train_op, loss]``) takes the short way."""
    cls = fetches.__class__
    if cls is Tensor:
        return (_as_node(fetches, graph, "fetch"),), _first
    if cls is list or cls is tuple:
        for f in fetches:
            if f.__class__ is not Tensor:
                break
        else:
            return tuple(_as_node(f, graph, "fetch") for f in fetches), cls
    targets = []
    rebuild = _flatten(fetches, targets, graph)
    return tuple(targets), lambda values: rebuild(iter(values))


def _first(values):
    return values[0]


def _operation_only(values):
    next(values)
    return None   # fetching an operation runs it and gives None, as in TensorFlow


def _flatten(fetches, targets, graph):
    """Put the nodes of nested ``fetches`` into ``targets``; return the function that rebuilds
    the structure from their values in order."""
    if isinstance(fetches, (list, tuple)) and not isinstance(fetches, str):
        parts = [_flatten(f, targets, graph) for f in fetches]
        if isinstance(fetches, tuple) and hasattr(fetches, "_fields"):   # a namedtuple
            return lambda values: type(fetches)(*[p(values) for p in parts])
        kind = type(fetches)
        return lambda values: kind(p(values) for p in parts)
    if isinstance(fetches, collections.abc.Mapping):
        keys = list(fetches)
        parts = [_flatten(fetches[k], targets, graph) for k in keys]
        kind = type(fetches) if type(fetches) is not dict else dict
        return lambda values: kind(zip(keys, [p(values) for p in parts]))
    node = _as_node(fetches, graph, "fetch")
    targets.append(node)
    if isinstance(fetches, Operation) or node.is_operation_only or (
            isinstance(fetches, str) and ":" not in fetches):
        return _operation_only
    return next
