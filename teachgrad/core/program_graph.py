"""The TensorFlow-1 program: ``Graph``, the default graph, name scopes, control dependencies and
the switch between graph mode and eager mode.

In graph mode (the default, as in TensorFlow 1) every tensor made is added to the default graph,
which gives it a unique name (``add``, ``add_1``, ``model/MatMul``) and which a
:class:`~teachgrad.Session` runs. In eager mode tensors belong to no graph.

>>> import teachgrad as tg
>>> g = tg.Graph()
>>> with g.as_default():
...     a = tg.constant(2.0, name="a")
...     with tg.name_scope("model"):
...         b = a * 3.0
...         c = a * 4.0
>>> [op.name for op in g.get_operations()]
['a', 'model/mul/y', 'model/mul', 'model/mul_1/y', 'model/mul_1']
>>> g.get_tensor_by_name("model/mul_1:0") is c
True
"""

import contextlib
import re

from ..errors import UnknownNodeError
from .operation import Operation, default_name, input_name
from . import context, devices
from .context import GraphThreadState, graph_stack, set_recording_graph
from .tensor import Output, Tensor

__all__ = ["Graph", "NodeList", "get_default_graph", "reset_default_graph", "name_scope", "executing_eagerly",
           "enable_eager_execution", "disable_eager_execution", "control_dependencies",
           "paused_recording", "GraphKeys", "add_to_collection", "get_collection", "device"]


class GraphKeys:
    """The names of TensorFlow 1's standard collections."""
    GLOBAL_VARIABLES = "variables"
    TRAINABLE_VARIABLES = "trainable_variables"
    LOCAL_VARIABLES = "local_variables"
    GLOBAL_STEP = "global_step"
    LOSSES = "losses"
    UPDATE_OPS = "update_ops"
    SUMMARIES = "summaries"


class NodeList(list):
    """A list of graph nodes that tests membership by identity: ``==`` between tensors builds an
    element-wise comparison in teachgrad, while TensorFlow 1 compares tensors as objects.

    >>> a, b = object(), object()
    >>> b in NodeList([a, b]), NodeList([a, b]).index(b), NodeList([a]) == [a]
    (True, 1, True)
    """

    def __contains__(self, item):
        return any(x is item for x in self)

    def index(self, item, *args):
        for k, x in enumerate(self):
            if x is item:
                return k
        raise ValueError(f"{item!r} is not in the list")

    def count(self, item):
        return sum(x is item for x in self)

    def remove(self, item):
        del self[self.index(item)]

    def __eq__(self, other):
        return isinstance(other, list) and len(other) == len(self) and all(
            x is y for x, y in zip(self, other))

    def __ne__(self, other):
        return not self == other

    __hash__ = None


class Graph:
    """A TensorFlow-1 program: every tensor made while it is the default graph, in order."""

    def __init__(self):
        self.nodes = []          # every tensor recorded here, in the order it was made
        self._here = GraphThreadState(self)   # the scope and control inputs, per thread
        self.seed = None         # the graph-level random seed (tg.set_random_seed)
        self.variable_store = {}  # get_variable's variables by full name
        self.variable_scope_counts = {}   # how many times each variable scope was opened
        self._names = {}         # tensor -> its unique name, given when first asked
        self._in_use = {}        # lower-cased name -> how many times it was taken
        self._named = 0          # nodes[:_named] have their names
        self._absolute = set()   # names given whole with a trailing slash (name="a/" -> "a")
        self._collections = {}
        self.finalized = False
        self.inside_control_flow = set()   # ops made in a cond branch or a loop: not fetchable
        self._devices = {}       # tensor -> the device its op was pinned to (tg.device), if any

    @property
    def scope(self):
        """The name scope this thread is in on this graph: "" or "model/"."""
        return self._here.scope

    @scope.setter
    def scope(self, scope):
        self._here.scope = scope

    @property
    def control(self):
        """The tensors new ops made by this thread depend on (``tg.control_dependencies``)."""
        return self._here.control

    @control.setter
    def control(self, control):
        self._here.control = control

    # --- names ---------------------------------------------------------------------------------
    def name_of(self, t):
        """The unique name of node ``t``. Names are given in the order the nodes were made, as
        TensorFlow gives them when it makes them."""
        name = self._names.get(t)
        if name is None:
            self._name_pending()
            name = self._names[t]
        return name

    def _name_pending(self, upto=None):
        """Name the nodes not named yet, in order (``upto``: only those made before that one)."""
        names, nodes = self._names, self.nodes
        end = len(nodes)
        if upto is not None:
            while end > self._named and nodes[end - 1] is not upto:
                end -= 1
            end -= 1
        for k in range(self._named, end):
            t = nodes[k]
            if t in names:       # (a variable's name is reserved when it is made)
                continue
            if t.__class__ is Output:   # output 1, 2, … of an op: named after it (NAME:1)
                names[t] = None
                continue
            if getattr(t, "_implicit", False) and self._name_converted(t, k):
                continue
            names[t] = self._own_name(t)
        self._named = max(self._named, end)

    def _own_name(self, t):
        name = self.unique_name(t._scope + (t._name or default_name(t.prim)))
        while name in self._absolute:   # (TensorFlow 1 would refuse the duplicate; skip it)
            name = self.unique_name(t._scope + (t._name or default_name(t.prim)))
        return name

    def give_name(self, t, name, constant=False):
        """Give node ``t`` (just made, in scope ``t._scope``) the ``name=`` a user asked for, by
        TensorFlow 1's rule: a name is a scope name (letters, digits and ``_.-/\\>``, not
        starting with ``_-/\\>`` at the root), made unique in its scope (``a``, ``a_1``); a
        trailing slash gives the name whole, outside any scope (``"a/"`` is the op ``a``), and
        that name must be free. ``ValueError`` otherwise, naming the name and the rule, as
        TensorFlow 1 raises it. ``tg.constant`` checks only the whole name, as TF's does.

        >>> import teachgrad as tg
        >>> with tg.Graph().as_default():
        ...     with tg.name_scope("s"):
        ...         print(tg.placeholder(tg.float32, name="/a").name,
        ...               tg.placeholder(tg.float32, name="top/").name)
        s//a:0 top:0
        >>> with tg.Graph().as_default():
        ...     tg.placeholder(tg.float32, name="a b")
        Traceback (most recent call last):
        ...
        ValueError: 'a b' is not a valid root scope name. A root scope name has to match the following pattern: ^[A-Za-z0-9.][A-Za-z0-9_.\\\\/>-]*$
        """
        name = str(name)
        if t in self._names:    # named already (a name given after the node was used)
            t._name = name
            return
        if not name and not constant:   # "" is no name: the op's own, as in TensorFlow 1
            t._name = None
            return
        try:
            self._give_name(t, name, constant)
        except ValueError:
            if self.nodes and self.nodes[-1] is t and t not in self._names:
                self.nodes.pop()    # refused: the op is not made, as in TensorFlow 1
            raise

    def _give_name(self, t, name, constant):
        if not constant:
            check_scope_name(name, t._scope == "")
        absolute = name.endswith("/")
        if absolute:   # the whole name, outside the scope (a number converted for t: "a/y")
            t._name, t._scope = name[:-1], ""
        else:
            t._name = name
        self._name_pending(upto=t)   # the nodes made before t take their names first
        if absolute:
            full = name[:-1]
        elif t in self._names:    # (named with the number it converted, just now)
            full = self._names[t]
        else:
            full = self.unique_name(t._scope + name)
        # (a checked name in a checked scope is a valid node name: the whole name is checked
        # only for a constant and a name given whole)
        if (constant or absolute) and not _ROOT_NAME.match(full):
            raise ValueError(f"`{full}` is not a valid node name. Accepted names conform to "
                             f"Regex /{_ROOT_NAME!r}/")
        if full in self._absolute or (absolute and any(
                n == full for node, n in self._names.items() if node is not t)):
            raise ValueError(f"Duplicate node name in graph: '{full}'")
        if absolute:
            self._absolute.add(full)
        self._names[t] = full

    def reserve_name(self, name, default):
        """The name of an op about to be made in the current scope, by the rule of
        :meth:`give_name` (a Variable names its scope before its nodes are made)."""
        self._name_pending()
        if not name:
            return self.unique_name(self.scope + default)
        check_scope_name(name, self.scope == "")
        absolute = name.endswith("/")
        full = name[:-1] if absolute else self.unique_name(self.scope + name)
        if not _ROOT_NAME.match(full):
            raise ValueError(f"`{full}` is not a valid node name. Accepted names conform to "
                             f"Regex /{_ROOT_NAME!r}/")
        if full in self._absolute or (absolute and full in self._names.values()):
            raise ValueError(f"Duplicate node name in graph: '{full}'")
        if absolute:
            self._absolute.add(full)
        return full

    def _name_converted(self, t, k):
        """Name a number an op converted for input ``y`` after the op, ``add/y``: TensorFlow 1
        converts it inside the op's name scope. The op comes right after it (and after the
        other inputs converted with it); it is named first, as its scope is opened first."""
        for op in self.nodes[k + 1:k + 4]:
            for i, inp in enumerate(op.inputs):
                if inp is t and op.prim is not None:
                    arg = input_name(op.prim, i)
                    if arg is None:
                        return False
                    if op not in self._names:
                        self._names[op] = self._own_name(op)
                    self._names[t] = self.unique_name(f"{self._names[op]}/{arg}")
                    return True
        return False

    def unique_name(self, name):
        """``name``, or ``name_1``, ``name_2``, … if it is taken (TensorFlow's rule)."""
        key = name.lower()
        count = self._in_use.get(key, 0)
        self._in_use[key] = count + 1
        if count:
            base = key
            while key in self._in_use:
                key = f"{base}_{count}"
                count += 1
            name = f"{name}_{count - 1}"
            self._in_use[key] = 1
        return name

    # --- contents ------------------------------------------------------------------------------
    def get_operations(self):
        """Every operation of the program, in the order they were made."""
        return [Operation(t) for t in self.nodes if t.__class__ is not Output]

    def get_operation_by_name(self, name):
        return self._by_name(name).op

    def get_tensor_by_name(self, name):
        """The tensor called ``name`` (``"model/w:0"``)."""
        op_name, _, index = name.rpartition(":")
        if not op_name or not index.isdigit():
            raise ValueError(f"tensor names end with ':0', like 'add:0'; got {name!r} (use "
                             "get_operation_by_name for an operation)")
        first = self._by_name(op_name)
        if index == "0":
            return first
        for t in self.nodes:
            if t.__class__ is Output and t._first is first and t._index == int(index):
                return t
        raise UnknownNodeError(f"the operation {op_name!r} has no output {index}")

    def as_graph_element(self, obj):
        return self._by_name(obj[:-2] if obj.endswith(":0") else obj) if isinstance(obj, str) \
            else obj

    def _by_name(self, name):
        self._name_pending()
        for t, n in self._names.items():
            if n == name:
                return t
        raise UnknownNodeError(f"the graph has no operation named {name!r}")

    def consumers_of(self, t):
        return [n for n in self.nodes if any(i is t for i in n.inputs)]

    def add_to_collection(self, key, value):
        self._collections.setdefault(key, []).append(value)

    def get_collection(self, key, scope=None):
        """The items of collection ``key`` (those whose names start with ``scope``), in a list
        that finds tensors by identity, as TensorFlow 1 compares tensors (``v in
        tg.trainable_variables()``)."""
        items = NodeList(self._collections.get(key, ()))
        if scope is not None:
            items = NodeList(v for v in items if getattr(v, "op_name", str(v)).startswith(scope))
        return items

    def get_collection_ref(self, key):
        return self._collections.setdefault(key, [])

    def get_all_collection_keys(self):
        return list(self._collections)

    def finalize(self):
        self.finalized = True

    def as_graph_def(self, from_version=None, add_shapes=False):
        """The program as TensorFlow's ``GraphDef`` protocol buffer: TensorFlow 1's op types,
        names, inputs, dtypes and (``add_shapes=True``) shapes, what TensorBoard draws. Needs
        the ``tensorboard`` package (``pip install "teachgrad[tensorboard]"``).

        >>> import teachgrad as tg
        >>> g = tg.Graph()
        >>> with g.as_default():
        ...     y = tg.placeholder(tg.float32, name="x") * 2.0
        >>> [(n.name, n.op) for n in g.as_graph_def().node]
        [('x', 'Placeholder'), ('mul/y', 'Const'), ('mul', 'Mul')]
        """
        from .graph_def import graph_def   # (loads tensorboard's protos on first use)
        return graph_def(self, add_shapes=add_shapes)

    # --- contexts ------------------------------------------------------------------------------
    @contextlib.contextmanager
    def as_default(self):
        """Record into this graph inside the ``with`` block."""
        stack = graph_stack()
        stack.append(self)
        previous = set_recording_graph(None if context.eager() else self)
        try:
            yield self
        finally:
            stack.pop()
            set_recording_graph(previous)

    def name_scope(self, name):
        return _scope(self, name)

    def control_dependencies(self, control_inputs):
        return _control(self, control_inputs)

    def device(self, device_name_or_function):
        """Pin the operations made inside the block to a device (see :func:`device`)."""
        return _device(self, device_name_or_function)

    def device_of(self, t):
        """The device node ``t``'s op was pinned to with ``tg.device`` ("" if none)."""
        found = self._devices.get(t)
        if found is not None:
            return found
        for start, spec in reversed(self._here.devices):   # a block still open
            if start < len(self.nodes) and t._serial >= self.nodes[start]._serial \
                    and t._graph is self:
                return _placed(spec, t)
        return ""

    def __len__(self):
        return len(self.nodes)

    def __repr__(self):
        return f"<tg.Graph with {len(self.nodes)} operations>"

    def _repr_mimebundle_(self, include=None, exclude=None):
        return context.display(self)   # the picture the package top installed


# TensorFlow's rules for scope names (a root scope cannot start with "_", "/", ">" or "-")
_ROOT_NAME = re.compile(r"^[A-Za-z0-9.][A-Za-z0-9_.\\/>-]*$")
_INNER_NAME = re.compile(r"^[A-Za-z0-9_.\\/>-]*$")


def check_scope_name(name, root):
    """TensorFlow 1's rule for a scope name, and for the ``name=`` of an op (``root``: not
    inside a name scope, where the first character may not be ``_``, ``-``, ``/``, ``\\`` or
    ``>``): ``ValueError`` naming the name and the pattern it must match."""
    rule = _ROOT_NAME if root else _INNER_NAME
    if not rule.match(name):
        kind = "root scope name" if root else "scope name"
        raise ValueError(f"'{name}' is not a valid {kind}. A {kind} has to match the following "
                         f"pattern: {rule.pattern}")


def _check_scope_name(graph, name):
    check_scope_name(name, graph.scope == "")


@contextlib.contextmanager
def _scope(graph, name):
    previous = graph.scope
    if name is not None and name != "":
        _check_scope_name(graph, name)
    if name is None or name == "":
        graph.scope = ""
    elif name.endswith("/"):
        graph.scope = name if name != "/" else ""   # an absolute scope, re-entered as it is
    else:
        graph._name_pending()         # op names taken so far come first, as in TensorFlow
        graph.scope = graph.unique_name(previous + name) + "/"
    try:
        yield name if name and name.endswith("/") else graph.scope
    finally:
        graph.scope = previous


@contextlib.contextmanager
def _control(graph, control_inputs):
    previous = graph.control
    if control_inputs is None:
        graph.control = ()
    else:
        tensors = [c._tensor if isinstance(c, Operation) else c for c in control_inputs]
        for c in tensors:
            if not isinstance(c, Tensor):
                raise TypeError(f"control_dependencies: {c!r} is not a tensor or an operation")
        graph.control = previous + tuple(tensors)
    try:
        yield
    finally:
        graph.control = previous


def _placed(spec, t):
    """The device string ``spec`` (a string, or a function of the operation) gives node ``t``."""
    if callable(spec):
        spec = spec(Operation(t))   # (TensorFlow keeps a function's answer as written)
        return spec or ""
    return spec


@contextlib.contextmanager
def _device(graph, spec):
    opened = graph._here.devices
    if spec is None or spec == "":
        here = ""
    elif callable(spec):
        here = spec
    else:
        outer = opened[-1][1] if opened else ""
        here = devices.merge(outer, spec) if isinstance(outer, str) else devices.normalize(spec)
    start = len(graph.nodes)
    graph._here.devices = opened + ((start, here),)
    try:
        yield
    finally:
        graph._here.devices = opened
        for t in graph.nodes[start:]:   # (an inner block, closed first, has set its own)
            if t not in graph._devices:
                graph._devices[t] = _placed(here, t)


def get_default_graph():
    """The graph new operations are added to in this thread (each thread has its own default
    graph, as in TensorFlow 1: another thread uses this one inside ``with g.as_default():``).

    >>> import threading, teachgrad as tg
    >>> seen = []
    >>> worker = threading.Thread(target=lambda: seen.append(tg.get_default_graph()))
    >>> worker.start(); worker.join()
    >>> seen[0] is tg.get_default_graph()
    False
    """
    return context.default_graph()


def reset_default_graph():
    """Start a new, empty default graph in this thread (the old one's tensors keep working
    where they are)."""
    if graph_stack():
        raise AssertionError("reset_default_graph: do not call it inside a "
                             "`with graph.as_default():` block")
    graph = Graph()
    context.set_default_graph(graph)
    if not context.eager():
        set_recording_graph(graph)


def name_scope(name, default_name=None, values=None):
    """Prefix the names of the operations made inside the block with ``name/``.

    >>> import teachgrad as tg
    >>> with tg.Graph().as_default():
    ...     with tg.name_scope("layer"):
    ...         x = tg.placeholder(tg.float32, name="x")
    >>> x.name
    'layer/x:0'
    """
    return _scope(get_default_graph(), name if name is not None else default_name)


def control_dependencies(control_inputs):
    """Operations made inside the block run only after ``control_inputs`` have run."""
    return _control(get_default_graph(), control_inputs)


def device(device_name_or_function):
    """Pin the operations made inside the block to a device, as TensorFlow 1 writes it
    (``"/cpu:0"``, ``"/device:GPU:1"``, ``"/job:worker/task:0"``; nested blocks merge, ``None``
    clears). Everything runs on this machine's CPU: ``Session.run`` refuses ops pinned elsewhere
    with TensorFlow's error, unless the session's ``tg.ConfigProto(allow_soft_placement=True)``
    lets a GPU op run on the CPU.

    >>> import teachgrad as tg
    >>> with tg.Graph().as_default():
    ...     with tg.device("/cpu:0"):
    ...         y = tg.constant(2.0) * 3.0
    ...     z = y + 1.0
    ...     with tg.Session() as sess:
    ...         print(y.op.device, repr(z.op.device), sess.run(z))
    /device:CPU:0 '' 7.0
    """
    return _device(get_default_graph(), device_name_or_function)


def add_to_collection(name, value):
    get_default_graph().add_to_collection(name, value)


def get_collection(key, scope=None):
    return get_default_graph().get_collection(key, scope)


def executing_eagerly():
    """True in eager mode, False in graph mode (the default, as in TensorFlow 1)."""
    return context.eager()


def enable_eager_execution(config=None, device_policy=None, execution_mode=None):
    """Switch to eager mode: every operation runs at once, variables hold their values, and
    placeholders and Sessions are not available. Allowed at any point (TensorFlow 1 allowed it
    only at the start), so a lecture can contrast the two modes."""
    context.set_eager(True)


def disable_eager_execution():
    """Switch back to graph mode: operations are recorded in the default graph and run by a
    Session."""
    context.set_eager(False)


@contextlib.contextmanager
def paused_recording():
    """Inside the block, tensors made by this thread are added to no graph: the teaching layer
    and the function transforms (``grad``, ``jvp``, ``vjp``) record for themselves, not into the
    user's program."""
    previous = set_recording_graph(None)
    try:
        yield
    finally:
        set_recording_graph(previous)


context.new_graph_factory(Graph)
