"""A program graph as TensorFlow's ``GraphDef`` protocol buffer: what ``Graph.as_graph_def()``
returns and what ``tf.summary.FileWriter`` writes for TensorBoard's graph view.

Each node of the program becomes a ``NodeDef`` as TensorFlow 1 writes it for the same program:
its unique name with its scopes (``model/MatMul``), TensorFlow's op type (``Const``,
``Placeholder``, ``VariableV2``, ``Assign``, ``MatMul``, ``AddV2``, ``Sum``, …), its inputs by
name (``x``; ``IteratorGetNext:1`` for an op's second output; ``^init`` for a control input), the
dtype (``T``, or ``dtype`` for roots), a constant's value, a placeholder's or a variable's shape,
and with ``add_shapes=True`` the ``_output_shapes`` TensorBoard labels the edges with.

A variable is read through an ``Identity`` node ``NAME/read`` as in TensorFlow 1 (added here when
the program has none): every op that uses the variable's value takes ``NAME/read``, while its
assignments take the variable itself.

The protos are the ``tensorboard`` package's own (``pip install "teachgrad[tensorboard]"``):
without it, a one-line error says what to install.

>>> import teachgrad as tg
>>> g = tg.Graph()
>>> with g.as_default():
...     x = tg.placeholder(tg.float32, (None, 3), name="x")
...     w = tg.Variable(tg.zeros((3, 1)), name="w")
...     y = tg.matmul(x, w)
>>> graph_def = g.as_graph_def()
>>> [(n.name, n.op, list(n.input)) for n in graph_def.node]
[('x', 'Placeholder', []), ('zeros', 'Const', []), ('w', 'VariableV2', []), ('w/Assign', 'Assign', ['w', 'zeros']), ('w/read', 'Identity', ['w']), ('MatMul', 'MatMul', ['x', 'w/read'])]
"""

import numbers

import numpy as np

from ..optional import require
from .operation import op_type
from .shapes import TensorShape
from .tensor import np_dtype

__all__ = ["graph_def", "node_defs", "protos", "datatype", "tensor_shape"]

# Ops whose first input is the variable they change, as TensorFlow's kernels take a reference.
_CHANGES_REF = {"assign", "assign_add", "assign_sub"}
# The nodes that stand for another op's k-th output (``params["index"]``): not nodes of their own
# in TensorFlow, where a consumer names the output ``op:k``.
_OUTPUT_OF = {"iterator_component"}
# The attribute that holds the dtype, where it is not TensorFlow's usual ``T``.
_DTYPE_ATTR = {"Const": "dtype", "Placeholder": "dtype", "VariableV2": "dtype"}
_NO_DTYPE = {"NoOp", "MergeSummary", "IteratorGetNext", "MakeIterator", "OneShotIterator",
             "IteratorV2"}
# Ops whose axis TensorFlow takes as a constant input (teachgrad keeps it as a setting): the
# GraphDef gets that constant, named as TensorFlow names it — ``Const`` in the op's name scope
# for "all axes", ``<op>/reduction_indices`` (``<op>/dimension``) for given ones.
_AXIS_INPUT = {"reduce_sum": "reduction_indices", "reduce_mean": "reduction_indices",
               "reduce_max": "reduction_indices", "reduce_min": "reduction_indices",
               "reduce_prod": "reduction_indices", "reduce_any": "reduction_indices",
               "reduce_all": "reduction_indices", "argmax": "dimension", "argmin": "dimension"}


def protos():
    """TensorBoard's protocol-buffer modules (``graph_pb2``, ``node_def_pb2``, …) as a namespace,
    or the one-line error that says to install ``tensorboard``.

    >>> protos().summary_pb2.Summary().value.add(tag="loss", simple_value=0.5).tag
    'loss'
    """
    require("tensorboard", "tg.summary and Graph.as_graph_def", extra="tensorboard")
    from tensorboard.compat.proto import (attr_value_pb2, event_pb2, graph_pb2, node_def_pb2,
                                          summary_pb2, tensor_shape_pb2)
    from tensorboard.compat.tensorflow_stub import dtypes
    from tensorboard.util import tensor_util

    class Protos:
        pass
    found = Protos()
    for module in (attr_value_pb2, event_pb2, graph_pb2, node_def_pb2, summary_pb2,
                   tensor_shape_pb2):
        setattr(found, module.__name__.rsplit(".", 1)[-1], module)
    found.dtypes, found.tensor_util = dtypes, tensor_util
    return found


def datatype(dtype, p=None):
    """TensorFlow's ``DataType`` number of NumPy ``dtype``.

    >>> datatype(np.float32), datatype(np.int64), datatype(np.dtype("S4"))
    (1, 9, 7)
    """
    p = p or protos()
    dtype = np.dtype(dtype)
    if dtype.kind in "SUO":   # bytes, text, Python objects: TensorFlow's strings
        return p.dtypes.string.as_datatype_enum
    return p.dtypes.as_dtype(dtype).as_datatype_enum


def tensor_shape(shape, p=None):
    """A ``TensorShapeProto``: ``-1`` for an unknown size, ``unknown_rank`` for an unknown rank.

    >>> from teachgrad.core.shapes import TensorShape
    >>> [d.size for d in tensor_shape(TensorShape([None, 3])).dim]
    [-1, 3]
    """
    p = p or protos()
    proto = p.tensor_shape_pb2.TensorShapeProto()
    if shape.ndims is None:
        proto.unknown_rank = True
        return proto
    for size in shape:
        proto.dim.add(size=-1 if getattr(size, "value", size) is None else int(size))
    return proto


def graph_def(graph, add_shapes=False):
    """The ``GraphDef`` of program ``graph`` (see the module's text).

    >>> import teachgrad as tg
    >>> g = tg.Graph()
    >>> with g.as_default():
    ...     a = tg.constant(2.0, name="a")
    ...     b = a * 3.0
    >>> [(n.name, n.op, list(n.input)) for n in graph_def(g).node]
    [('a', 'Const', []), ('mul/y', 'Const', []), ('mul', 'Mul', ['a', 'mul/y'])]
    """
    p = protos()
    result = p.graph_pb2.GraphDef()
    result.node.extend(node_defs(graph, add_shapes, p))
    return result


def node_defs(graph, add_shapes=False, p=None):
    """The ``NodeDef`` of every node of ``graph``, in the order they were made."""
    p = p or protos()
    graph._name_pending()
    names = {t: graph.name_of(t) for t in graph.nodes}
    taken = set(names.values())
    reads = {}   # variable -> the name of the Identity that reads it
    for t in graph.nodes:
        if getattr(t.prim, "name", None) == "variable":
            read = names[t] + "/read"
            if read in taken:   # the program reads it through a node of its own already
                continue
            reads[t] = read
    after = {}   # a variable's read comes after its initializer, as TensorFlow orders them
    for v in reads:
        init = getattr(v, "_initializer", None)
        after.setdefault(init if init is not None and init in names else v, []).append(v)

    def input_name(t, consumer):
        if getattr(t.prim, "name", None) in _OUTPUT_OF:
            producer, index = t.inputs[0], t.params["index"]
            return names[producer] + (f":{index}" if index else "")
        if t in reads and getattr(consumer.prim, "name", None) not in _CHANGES_REF:
            return reads[t]
        return names[t]

    found = []
    for t in graph.nodes:
        if getattr(t.prim, "name", None) in _OUTPUT_OF:
            continue
        axis = _axis_def(t, names[t], taken, add_shapes, p)
        if axis is not None:
            found.append(axis)
        node = _node_def(t, names[t], input_name, graph, add_shapes, p)
        if axis is not None:
            node.input.insert(1, axis.name)
        found.append(node)
        for v in after.get(t, ()):
            found.append(_read_def(v, names[v], reads[v], add_shapes, p))
    return found


def _axis_def(t, name, taken, add_shapes, p):
    """The constant axis input TensorFlow gives a reduction (or None): its axes as int32."""
    kind = getattr(t.prim, "name", None)
    if kind not in _AXIS_INPUT or len(t.inputs) != 1 or t.inputs[0].shape.ndims is None:
        return None
    axis = t.params.get("axis")
    if axis is None:
        axes = np.arange(t.inputs[0].shape.ndims, dtype=np.int32)
        scope = name.rsplit("/", 1)[0] + "/" if "/" in name else ""
        base, k = scope + "Const", 0
        const = base
        while const in taken:
            k += 1
            const = f"{base}_{k}"
    else:
        axes = np.asarray(axis, dtype=np.int32)
        const = f"{name}/{_AXIS_INPUT[kind]}"
        if const in taken:
            return None
    taken.add(const)
    node = p.node_def_pb2.NodeDef(name=const, op="Const")
    node.attr["dtype"].type = datatype(np.int32, p)
    node.attr["value"].tensor.CopyFrom(p.tensor_util.make_tensor_proto(axes))
    if add_shapes:
        node.attr["_output_shapes"].list.shape.add().CopyFrom(
            tensor_shape(TensorShape(axes.shape), p))
    return node


def _inputs_of(t):
    if getattr(t.prim, "name", None) in _CHANGES_REF:   # the variable, then the value
        return [t.params["ref"], *t.inputs]
    return list(t.inputs)


def _node_def(t, name, input_name, graph, add_shapes, p):
    kind = op_type(t.prim)
    node = p.node_def_pb2.NodeDef(name=name, op=kind)
    inputs = _inputs_of(t)
    node.input.extend(input_name(i, t) for i in inputs)
    # control inputs sorted by name, as TensorFlow writes a GraphDef (canonical order)
    node.input.extend(sorted("^" + graph.name_of(c) for c in (getattr(t, "_control", None) or ())))
    attr = node.attr
    dtype = np_dtype(t)
    if kind not in _NO_DTYPE:
        source = np_dtype(inputs[0]) if inputs and kind not in _DTYPE_ATTR else dtype
        if source is not None:
            attr[_DTYPE_ATTR.get(kind, "T")].type = datatype(source, p)
    if t.prim is None:                                    # a constant: its value
        attr["value"].tensor.CopyFrom(p.tensor_util.make_tensor_proto(np.asarray(t._value)))
    elif kind in ("Placeholder", "VariableV2"):
        attr["shape"].shape.CopyFrom(tensor_shape(t.shape, p))
        if kind == "VariableV2":
            attr["container"].s = b""
            attr["shared_name"].s = b""
    elif kind == "Cast":
        attr["SrcT"].type = attr.pop("T").type
        attr["DstT"].type = datatype(dtype, p)
    if getattr(t.prim, "name", None) in _CHANGES_REF:
        ref_name = input_name(t.params["ref"], t)
        attr["_class"].list.s.append(f"loc:@{ref_name}".encode())
        attr["use_locking"].b = kind == "Assign"
        if kind == "Assign":
            attr["validate_shape"].b = True
    for key, value in (t.params or {}).items():   # the op's own settings (axis, keepdims, …)
        _set_param(attr, _ATTR_NAMES.get(key, key), value)
    if add_shapes and not t.is_operation_only:
        attr["_output_shapes"].list.shape.add().CopyFrom(tensor_shape(t.shape, p))
    return node


def _read_def(v, variable_name, name, add_shapes, p):
    node = p.node_def_pb2.NodeDef(name=name, op="Identity", input=[variable_name])
    node.attr["T"].type = datatype(np_dtype(v), p)
    node.attr["_class"].list.s.append(f"loc:@{variable_name}".encode())
    if add_shapes:
        node.attr["_output_shapes"].list.shape.add().CopyFrom(tensor_shape(v.shape, p))
    return node


_ATTR_NAMES = {"keepdims": "keep_dims"}   # TensorFlow 1's spelling of a setting


def _set_param(attr, key, value):
    """A parameter of the op as an attribute, where it is a plain setting (numbers, flags,
    strings, lists of numbers); tensors, shapes and dtypes are said by the other attributes."""
    if key in attr or key in ("shape", "dtype", "ref", "index"):
        return
    if isinstance(value, (bool, np.bool_)):
        attr[key].b = bool(value)
    elif isinstance(value, numbers.Integral):
        attr[key].i = int(value)
    elif isinstance(value, numbers.Real):
        attr[key].f = float(value)
    elif isinstance(value, str):
        attr[key].s = value.encode()
    elif isinstance(value, (list, tuple)) and value and all(
            isinstance(v, numbers.Integral) and not isinstance(v, bool) for v in value):
        attr[key].list.i.extend(int(v) for v in value)
