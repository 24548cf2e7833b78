"""Every operation teachgrad can differentiate, each declared once: ``REGISTRY`` holds them all.

An element-wise operation is its value (a NumPy function), its *local partial derivatives* — one per
input, the number ∂out/∂input at each element — and the human formula of each partial. The engine
turns the partials into both rules: reverse mode multiplies the incoming cotangent by them
(``x_bar = g · ∂f/∂x``), forward mode multiplies the tangents by them and adds
(``f_dot = Σ ∂f/∂x · x_dot``). The teaching graph prints the same formulas on its edges, so what a
student reads is what the engine computes.

The other operations (matmul, reductions, reshapes, indexing, convolution) are linear in each input,
so they declare a vector-Jacobian product per input (``vjp``) and either a Jacobian-vector product per
input (``jvp``) or ``linear=True`` (the tangent goes through the operation itself).

Formulas use ``{0}``, ``{1}`` for the inputs' names. A partial may return ``1`` or ``-1`` (plain
Python ints) so that the engine passes cotangents through without multiplying, or ``None`` for "no
derivative" (comparisons, masks).

Where they live: ``elementwise.py`` (arithmetic, transcendental functions, relu, max/min, where),
``structural.py`` (broadcasting, matmul, reductions, shapes, indexing, casts, comparisons),
``conv.py`` (conv2d and its adjoints), ``operators.py`` (``+``, ``@``, ``x[i]`` on tensors);
``runtime_shapes.py`` (ops that read a shape when the program runs, for rules on unknown
sizes), ``arrays.py`` (squeeze, tile, gather, fill), ``reductions.py`` (reduce_min,
reduce_prod, reduce_any/all), ``linalg.py`` (tensordot, inverse, determinant, diagonals),
``pool.py`` (max_pool, avg_pool), ``nnmath.py`` (log1p, softplus), ``nondiff.py`` (indices,
logical ops, floor, shapes), ``division.py`` (floordiv, floormod, truncatediv, truncatemod),
``control_flow.py`` (cond and while_loop: ops that run a recorded sub-program, differentiated by
its reverse pass), ``io.py`` (TensorBoard summaries, tf.data's iterators).
Adding an element-wise op is one ``elementwise(...)`` declaration: from it the op appears as
``tg.NAME`` and ``tg.math.NAME``, in expression text (with ``expression=True``), in the pictures and
in both modes. ``tg.ops.elementwise`` is public: a user (a student in lecture 6) declares an op the
same way after ``import teachgrad``, and it works in ``tg.gradients``, ``grad``/``jvp``/``vjp``,
``tg.trace`` (its formula on the edges) and the forward and reverse steps; it stays out of
``REGISTRY`` and may not take the name of one of teachgrad's own ops (``BUILT_IN``).
"""

from . import operators  # noqa: F401  (installs the Tensor operators)
from .conv import conv2d, conv2d_backprop_filter, conv2d_backprop_input
from .elementwise import (abs, add, atan, cos, cosh, div, exp, log, maximum, minimum, mul, neg, pow, relu, sigmoid, sin, sinh, sqrt, square, sub, tan, tanh, where)
from .registry import REGISTRY, elementwise, structural
from .state import (assign, assign_add, candidate_sampler, assign_sub, group, initialized_or, placeholder, random_normal, random_normal_of_shape, random_shuffle, random_uniform, random_uniform_of_shape, truncated_normal, truncated_normal_of_shape, variable, variable_read)
from .nondiff import (argmax, argmin, floor, logical_and, logical_not, logical_or, logical_xor, one_hot, ones_like, range_of, rank, shape, sign, size, stop_gradient, where_indices, zeros_like)
from .runtime_shapes import (broadcast_like, expand_dims, reduced_count, reshape_like, scatter_like, sum_like)
from .arrays import (add_n, fill, gather, gather_grad, keep_axes, like_last, linspace, pack, reshape_to, squeeze, tile, tile_grad, unique, unique_idx)
from .structural import (identity, broadcast_to, cast, concat, equal, getitem, greater, greater_equal, less, less_equal, matmul, norm_axis, not_equal, reduce_max, reduce_mean, reduce_sum, reshape, scatter, sum_to, swapaxes, transpose)
from .reductions import prod_others, reduce_all, reduce_any, reduce_min, reduce_prod
from .linalg import (diag, diag_part, matrix_determinant, matrix_diag, matrix_diag_part, matrix_inverse, matrix_set_diag_zero, mT, tensordot)
from .pool import avg_pool, avg_pool_grad, max_pool, max_pool_grad, max_pool_select
from .nnmath import elu, expm1, log1p, reciprocal, relu6, rsqrt, selu, softplus, softsign
from .division import floordiv, floormod, truncatediv, truncatemod
from . import control_flow  # noqa: F401  (cond, while_loop and their outputs and gradient)
from . import io  # noqa: F401  (summaries and tf.data's iterators)

# Every op above is teachgrad's own; a later declaration (a user's) may not replace one.
from .registry import BUILT_IN  # noqa: E402
BUILT_IN.update(REGISTRY)
