"""``Operation``: TensorFlow 1's view of the node that made a tensor (``t.op``).

Every tensor is made by one node of the recorded program; ``t.op`` is that node as TensorFlow 1
shows it: a unique ``name`` in its graph (``add``, ``add_1``, ``model/MatMul``), a ``type``
(``AddV2``, ``MatMul``, ``Placeholder``), its ``inputs`` and ``outputs``, and its ``graph``.
"""

from .context import default_session

__all__ = ["Operation", "op_type", "default_name", "input_name"]

# TensorFlow's op type and default node name for each primitive whose names differ from ours.
_TF = {
    "add": ("AddV2", "add"), "sub": ("Sub", "sub"), "mul": ("Mul", "mul"),
    "div": ("RealDiv", "truediv"), "pow": ("Pow", "pow"), "neg": ("Neg", "Neg"),
    "matmul": ("MatMul", "MatMul"), "reduce_sum": ("Sum", "Sum"), "reduce_mean": ("Mean", "Mean"),
    "reduce_max": ("Max", "Max"), "reduce_min": ("Min", "Min"), "reduce_prod": ("Prod", "Prod"),
    "reshape": ("Reshape", "Reshape"), "transpose": ("Transpose", "transpose"),
    "getitem": ("StridedSlice", "strided_slice"), "cast": ("Cast", "Cast"),
    "concat": ("ConcatV2", "concat"), "maximum": ("Maximum", "Maximum"),
    "minimum": ("Minimum", "Minimum"), "where": ("Select", "Select"), "relu": ("Relu", "Relu"),
    "sigmoid": ("Sigmoid", "Sigmoid"), "conv2d": ("Conv2D", "Conv2D"),
    "broadcast_to": ("BroadcastTo", "BroadcastTo"), "sum_to": ("Sum", "Sum"),
    "placeholder": ("Placeholder", "Placeholder"), "variable": ("VariableV2", "Variable"),
    "variable_read": ("Identity", "read"), "initialized_or": ("Identity", "read"),
    "assign": ("Assign", "Assign"), "assign_add": ("AssignAdd", "AssignAdd"),
    "assign_sub": ("AssignSub", "AssignSub"), "group": ("NoOp", "group_deps"),
    "no_op": ("NoOp", "NoOp"), "identity": ("Identity", "Identity"),
    "random_uniform": ("RandomUniform", "random_uniform"),
    "random_uniform_of_shape": ("RandomUniform", "random_uniform"),
    "random_normal": ("RandomStandardNormal", "random_normal"),
    "truncated_normal": ("TruncatedNormal", "truncated_normal"),
    "random_normal_of_shape": ("RandomStandardNormal", "random_normal"),
    "truncated_normal_of_shape": ("TruncatedNormal", "truncated_normal"),
    "random_shuffle": ("RandomShuffle", "RandomShuffle"), "argmax": ("ArgMax", "ArgMax"),
    "argmin": ("ArgMin", "ArgMin"), "one_hot": ("OneHot", "one_hot"),
    "zeros_like": ("ZerosLike", "zeros_like"), "ones_like": ("OnesLike", "ones_like"),
    "swapaxes": ("Transpose", "transpose"), "scatter": ("StridedSliceGrad", "StridedSliceGrad"),
    "scatter_like": ("StridedSliceGrad", "StridedSliceGrad"), "sum_like": ("Sum", "Sum"),
    "broadcast_like": ("BroadcastTo", "BroadcastTo"), "reshape_like": ("Reshape", "Reshape"),
    "concat_part": ("Slice", "Slice"), "reduced_count": ("Size", "Size"),
    "conv2d_backprop_input": ("Conv2DBackpropInput", "Conv2DBackpropInput"),
    "conv2d_backprop_filter": ("Conv2DBackpropFilter", "Conv2DBackpropFilter"),
    # the TF-1 op set of issue 11 (the others are spelled as _camel spells them)
    "gather": ("GatherV2", "GatherV2"), "reduce_any": ("Any", "Any"),
    "reduce_all": ("All", "All"), "max_pool_select": ("MaxPoolGradGrad", "MaxPoolGradGrad"),
    "matrix_set_diag_zero": ("MatrixSetDiag", "MatrixSetDiag"),
    "where_indices": ("Where", "Where"), "range_of": ("Range", "range"), "tile_grad": ("Sum", "Sum"),
    "gather_grad": ("UnsortedSegmentSum", "UnsortedSegmentSum"), "prod_others": ("Prod", "Prod"),
    # issue 21: x // y and x % y make floordiv and mod (tf.floor_div, tf.mod: FloorDiv, FloorMod)
    "floordiv": ("FloorDiv", "floordiv"), "floormod": ("FloorMod", "mod"),
    "truncatediv": ("TruncateDiv", "TruncateDiv"), "truncatemod": ("TruncateMod", "TruncateMod"),
    "add_n": ("AddN", "AddN"), "pack": ("Pack", "stack"), "reshape_to": ("Reshape", "Reshape"),
    "linspace": ("LinSpace", "LinSpace"), "unique": ("Unique", "Unique"),
    "unique_idx": ("Unique", "Unique"),
    # control flow (issue 21): one op per cond/while (TF 2's functional names), its outputs and
    # the loop variables inside named as TF-1 names them
    "cond": ("If", "If"), "cond_output": ("Merge", "Merge"), "while_loop": ("While", "While"),
    "loop_output": ("Exit", "Exit"), "loop_var": ("Identity", "Identity"),
    "loop_test_var": ("Merge", "Merge"), "assert_that": ("Assert", "Assert"),
    "grad_output": ("Identity", "Identity"),
}


_ASSIGNS = ("assign", "assign_add", "assign_sub")


def _camel(name):
    """TensorFlow's spelling of an op type: ``not_equal`` is ``NotEqual``."""
    return "".join(part[:1].upper() + part[1:] for part in name.split("_"))


def op_type(prim):
    """TensorFlow's type of the op ``prim`` makes (``Const`` for a constant).

    >>> import teachgrad as tg
    >>> op_type(tg.ops.REGISTRY["not_equal"]), op_type(tg.ops.REGISTRY["matmul"])
    ('NotEqual', 'MatMul')
    """
    if prim is None:
        return "Const"
    found = _TF.get(prim.name)
    return found[0] if found else _camel(prim.name)


def default_name(prim):
    """The node name TensorFlow gives such an op when none is given."""
    if prim is None:
        return "Const"
    found = _TF.get(prim.name)
    return found[1] if found else _camel(prim.name)


# The names TensorFlow 1's op definitions give the inputs, where they are not x (and y).
_INPUTS = {"matmul": ("a", "b"), "conv2d": ("input", "filter"), "reshape_to": ("tensor", "shape"),
           "linspace": ("start", "stop", "num")}


def input_name(prim, i):
    """The name TensorFlow 1 gives input ``i`` of the op ``prim`` makes — what a number converted
    for that input is called inside the op's name (``add/y``) — or None where we do not know it.

    >>> import teachgrad as tg
    >>> input_name(tg.ops.REGISTRY["add"], 1), input_name(tg.ops.REGISTRY["matmul"], 1)
    ('y', 'b')
    """
    known = _INPUTS.get(prim.name)
    if known is not None:
        return known[i] if i < len(known) else None
    if prim.n_inputs in (1, 2) and (prim.elementwise or prim.n_inputs == 1
                                    or prim.name in _COMPARISONS):
        return ("x", "y")[i]
    return None


_COMPARISONS = {"equal", "not_equal", "less", "less_equal", "greater", "greater_equal",
                "logical_and", "logical_or", "floordiv", "truncatediv", "truncatemod"}


class Operation:
    """The node that made a tensor, with TensorFlow 1's attributes.

    >>> import teachgrad as tg
    >>> g = tg.Graph()
    >>> with g.as_default():
    ...     x = tg.placeholder(tg.float32, shape=(None, 3), name="x")
    ...     y = tg.reduce_sum(x * 2.0)
    >>> y.op.name, y.op.type, [t.name for t in y.op.inputs]
    ('Sum', 'Sum', ['mul:0'])
    >>> y.op.graph is g, y.op.outputs[0] is y
    (True, True)
    """

    __slots__ = ("_tensor",)

    def __init__(self, tensor):
        self._tensor = tensor

    @property
    def name(self):
        return self._tensor.op_name

    @property
    def type(self):
        return op_type(self._tensor.prim)

    @property
    def inputs(self):
        t = self._tensor
        if t.prim is not None and t.prim.name in _ASSIGNS:   # the variable, then the value
            return [t.params["ref"], *t.inputs]
        return list(t.inputs)

    @property
    def control_inputs(self):
        return [Operation(t) for t in (self._tensor.control_inputs or ())]

    @property
    def outputs(self):
        t = self._tensor
        if t.is_operation_only:
            return []
        graph = t.graph   # (outputs 1, 2, … of the op: tg.unique's indices)
        others = [] if graph is None else [n for n in graph.nodes if getattr(n, "_first", None)
                                           is t]
        return [t] + sorted(others, key=lambda n: n._index)

    @property
    def graph(self):
        return self._tensor.graph

    @property
    def device(self):
        """The device this op was pinned to with ``tg.device`` (TensorFlow's spelling), or ""."""
        graph = self._tensor.graph
        return "" if graph is None else graph.device_of(self._tensor)

    @property
    def node_def(self):
        return {"name": self.name, "op": self.type}

    def run(self, feed_dict=None, session=None):
        """Run this operation in ``session`` (by default the default session)."""
        (session or default_session("Operation.run")).run(self, feed_dict)

    def __eq__(self, other):
        return isinstance(other, Operation) and other._tensor is self._tensor

    def __hash__(self):
        return id(self._tensor)

    def __repr__(self):
        return f"<tg.Operation '{self.name}' type={self.type}>"
