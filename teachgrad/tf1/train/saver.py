"""``tf.train.Saver``: save the values of a program's variables in a Session, and put them back.

``saver.save(sess, "ckpt/model", global_step=step)`` writes the values of every variable the saver
covers — optimizer slots (Adam's ``w/Adam``, ``w/Adam_1``, ``beta1_power``, …) and the global
step included — and the ``checkpoint`` file beside it that lists the newest checkpoints, as
TensorFlow 1 writes it; ``tf.train.latest_checkpoint("ckpt")`` reads that file back and
``saver.restore(sess, path)`` sets the variables in another Session, of this program or of the
same program built again.

The values are teachgrad's own format: one NumPy ``.npz`` file per checkpoint
(``ckpt/model-100.npz``, the arrays by variable name), not TensorFlow's ``.index`` and
``.data-00000-of-00001`` files, and no ``.meta`` graph. Every file goes through
:func:`teachgrad.files.replace_file`: a failed save leaves the previous checkpoint whole.

>>> import os, shutil, tempfile, teachgrad as tf
>>> folder = tempfile.mkdtemp()
>>> with tf.Graph().as_default():
...     w = tf.Variable([1.0, 2.0], name="w")
...     double = w.assign(w * 2.0)
...     saver = tf.train.Saver()
...     with tf.Session() as sess:
...         sess.run(tf.global_variables_initializer())
...         _ = sess.run(double)
...         path = saver.save(sess, os.path.join(folder, "model"), global_step=1)
>>> os.path.basename(path)
'model-1'
>>> with tf.Graph().as_default():
...     w = tf.Variable([0.0, 0.0], name="w")
...     with tf.Session() as sess:
...         tf.train.Saver().restore(sess, tf.train.latest_checkpoint(folder))
...         sess.run(w)
array([2., 4.], dtype=float32)
>>> shutil.rmtree(folder)
"""

import io
import os
import re

import numpy as np

from ...core.program_graph import get_default_graph, GraphKeys
from ...core.tensor import Tensor
from ...errors import InvalidArgumentError, NotFoundError
from ...files import replace_file
from ..run_plan import check_feed
from ..variables import Variable

__all__ = ["Saver", "latest_checkpoint", "get_checkpoint_state", "checkpoint_exists",
           "CheckpointState", "write_graph"]

SUFFIX = ".npz"   # a checkpoint "model-100" is the file model-100.npz


class Saver:
    """Saves and restores variables (by default every global variable of the graph when the
    Saver is made); ``var_list`` a list of variables (saved under their names) or a dict
    ``{name: variable}``. Keeps the ``max_to_keep`` newest checkpoints it wrote (all of them for
    None or 0) and deletes the older ones, as TensorFlow does.
    """

    def __init__(self, var_list=None, reshape=False, sharded=False, max_to_keep=5,
                 keep_checkpoint_every_n_hours=10000.0, name=None, restore_sequentially=False,
                 saver_def=None, builder=None, defer_build=False, allow_empty=False,
                 write_version=2, pad_step_number=False, save_relative_paths=False,
                 filename=None):
        if var_list is None:
            graph = get_default_graph()
            var_list = list(graph.get_collection(GraphKeys.GLOBAL_VARIABLES))
            var_list += [v for v in graph.get_collection("saveable_objects")
                         if not any(v is w for w in var_list)]
        self._var_list = _by_name(var_list)
        if not self._var_list and not allow_empty:
            raise ValueError("No variables to save")
        self._max_to_keep = max_to_keep
        self._pad_step_number = pad_step_number
        self._last_checkpoints = []

    # --- saving ----------------------------------------------------------------------------------
    def save(self, sess, save_path, global_step=None, latest_filename=None,
             meta_graph_suffix="meta", write_meta_graph=True, write_state=True,
             strip_default_attrs=False, save_debug_info=False):
        """Write the variables' values in ``sess`` to the checkpoint ``save_path`` (with
        ``-<global_step>`` appended when a step is given: a number, or a variable/tensor that is
        run), update the ``checkpoint`` file in its folder (made if it is missing), and return
        the checkpoint's path."""
        save_path = os.fspath(save_path)
        if global_step is not None:
            if isinstance(global_step, Tensor):
                global_step = sess.run(global_step)
            step = int(global_step)
            save_path = f"{save_path}-{step:08d}" if self._pad_step_number else \
                f"{save_path}-{step}"
        folder = os.path.dirname(save_path)
        arrays = {}
        for key, variable in self._var_list.items():
            value = np.asarray(sess.read(variable))   # (uninitialized: FailedPreconditionError)
            if value.dtype.kind not in "biufc":
                raise TypeError(f"Saver: variable {key!r} has dtype {value.dtype}: teachgrad's "
                                "checkpoints hold numbers only")
            arrays[key] = value
        buffer = io.BytesIO()
        np.savez(buffer, **arrays)
        if folder:   # (as tensorflow.compat.v1 does now; TF 1.15 refused a missing folder)
            os.makedirs(folder, exist_ok=True)
        replace_file(save_path + SUFFIX, buffer.getvalue())
        if write_state:
            self._record(save_path)
            _write_state(folder or ".", save_path, self._last_checkpoints,
                         latest_filename or "checkpoint")
        return save_path

    def _record(self, path):
        if path in self._last_checkpoints:
            self._last_checkpoints.remove(path)
        self._last_checkpoints.append(path)
        if not self._max_to_keep:
            return
        while len(self._last_checkpoints) > self._max_to_keep:
            oldest = self._last_checkpoints.pop(0)
            try:
                os.remove(oldest + SUFFIX)
            except FileNotFoundError:
                pass

    @property
    def last_checkpoints(self):
        """The checkpoints this Saver wrote and keeps, oldest first."""
        return list(self._last_checkpoints)

    def set_last_checkpoints(self, last_checkpoints):
        self._last_checkpoints = list(last_checkpoints)

    def recover_last_checkpoints(self, checkpoint_paths):
        """Take over earlier checkpoints (that still exist) as this Saver's own, for
        ``max_to_keep``."""
        self._last_checkpoints = [p for p in checkpoint_paths if checkpoint_exists(p)]

    # --- restoring -----------------------------------------------------------------------------
    def restore(self, sess, save_path):
        """Set the variables in ``sess`` to the values in checkpoint ``save_path`` (what
        ``save`` returned, or ``latest_checkpoint(folder)``). Every variable must be in it with
        its shape and dtype; otherwise nothing is changed."""
        if save_path is None:
            raise ValueError("Can't load save_path when it is None.")
        save_path = os.fspath(save_path)
        if not checkpoint_exists(save_path):
            raise ValueError(f"The passed save_path is not a valid checkpoint: {save_path}")
        with np.load(save_path + SUFFIX, allow_pickle=False) as stored:
            saved = {key: stored[key] for key in stored.files}
        new = {}
        for key, variable in self._var_list.items():
            if key not in saved:
                raise NotFoundError(
                    None, variable.op, "Restoring from checkpoint failed. This is most likely due "
                    "to a Variable name or other graph key that is missing from the checkpoint. "
                    "Please ensure that you have not altered the graph expected based on the "
                    f"checkpoint. Original error:\n\nKey {key} not found in checkpoint")
            value = saved[key]
            want = variable.dtype.as_numpy_dtype
            if value.dtype != want:
                raise InvalidArgumentError(
                    None, variable.op, f"tensor_name = {key}; expected dtype "
                    f"{_tf_name(want)} does not equal original dtype {_tf_name(value.dtype)}")
            if not variable.shape.is_compatible_with(value.shape):
                raise InvalidArgumentError(
                    None, variable.op, "Restoring from checkpoint failed. Assign requires shapes "
                    f"of both tensors to match. lhs shape= {variable.shape.as_list()} rhs shape= "
                    f"{list(value.shape)} (variable {key})")
            new[variable] = check_feed(variable, value)
        sess.values.update(new)

    def __repr__(self):
        return f"<tf.train.Saver of {len(self._var_list)} variables>"


_TF_NAMES = {"float32": "float", "float64": "double", "float16": "half"}


def _tf_name(dtype):
    """TensorFlow's name of a dtype in its messages (``float`` for float32)."""
    name = np.dtype(dtype).name
    return _TF_NAMES.get(name, name)


def _by_name(var_list):
    """``{name in the checkpoint: variable}`` of a list or dict of variables."""
    if isinstance(var_list, dict):
        items = list(var_list.items())
    else:
        items = []
        for v in var_list:
            if not isinstance(v, Variable):
                raise TypeError(f"Saver: {v!r} is not a variable: var_list takes variables")
            items.append((v.op_name, v))
    found = {}
    for key, v in items:
        if not isinstance(v, Variable):
            raise TypeError(f"Saver: {v!r} (for {key!r}) is not a variable")
        if key in found:
            raise ValueError(f"At least two variables have the same name: {key}")
        found[key] = v
    return found


# ------------------------------------------------------------------------------------------------
# the `checkpoint` file: TensorFlow's CheckpointState, as text
# ------------------------------------------------------------------------------------------------

class CheckpointState:
    """What the ``checkpoint`` file says: the newest checkpoint and all those kept."""

    def __init__(self, model_checkpoint_path, all_model_checkpoint_paths):
        self.model_checkpoint_path = model_checkpoint_path
        self.all_model_checkpoint_paths = list(all_model_checkpoint_paths)

    def __repr__(self):
        lines = [f'model_checkpoint_path: "{_escape(self.model_checkpoint_path)}"']
        lines += [f'all_model_checkpoint_paths: "{_escape(p)}"'
                  for p in self.all_model_checkpoint_paths]
        return "\n".join(lines) + "\n"


def _escape(text):
    """A string as a text-format protocol buffer writes it (C escapes)."""
    out = []
    for byte in text.encode("utf-8"):
        char = chr(byte)
        if char in '"\\\'':
            out.append("\\" + char)
        elif char == "\n":
            out.append("\\n")
        elif char == "\t":
            out.append("\\t")
        elif char == "\r":
            out.append("\\r")
        elif 32 <= byte < 127:
            out.append(char)
        else:
            out.append(f"\\{byte:03o}")
    return "".join(out)


_ESCAPES = {"n": b"\n", "t": b"\t", "r": b"\r", '"': b'"', "'": b"'", "\\": b"\\"}


def _unescape(text):
    out, i = bytearray(), 0
    while i < len(text):
        char = text[i]
        if char == "\\" and i + 1 < len(text):
            nxt = text[i + 1]
            if nxt in _ESCAPES:
                out += _ESCAPES[nxt]
                i += 2
                continue
            if re.match(r"[0-7]{3}", text[i + 1:i + 4]):
                out.append(int(text[i + 1:i + 4], 8))
                i += 4
                continue
        out += char.encode("utf-8")
        i += 1
    return out.decode("utf-8", errors="replace")


def _write_state(folder, newest, kept, filename):
    state = CheckpointState(newest, kept)
    replace_file(os.path.join(folder, filename), repr(state).encode("utf-8"))


_LINE = re.compile(r'^\s*(model_checkpoint_path|all_model_checkpoint_paths)\s*:\s*"(.*)"\s*$')


def get_checkpoint_state(checkpoint_dir, latest_filename=None):
    """The :class:`CheckpointState` of the ``checkpoint`` file in ``checkpoint_dir`` (relative
    paths in it taken relative to that folder), or None if there is none."""
    path = os.path.join(os.fspath(checkpoint_dir), latest_filename or "checkpoint")
    try:
        with open(path, encoding="utf-8") as f:
            text = f.read()
    except (FileNotFoundError, NotADirectoryError):
        return None
    newest, kept = None, []
    for line in text.splitlines():
        match = _LINE.match(line)
        if match is None:
            continue
        value = _unescape(match.group(2))
        if not os.path.isabs(value):
            value = os.path.join(os.fspath(checkpoint_dir), value)
        if match.group(1) == "model_checkpoint_path":
            newest = value
        else:
            kept.append(value)
    if newest is None:
        return None
    return CheckpointState(newest, kept)


def latest_checkpoint(checkpoint_dir, latest_filename=None):
    """The path of the newest checkpoint in ``checkpoint_dir`` (what its ``checkpoint`` file
    names), or None if there is none.

    >>> import tempfile
    >>> latest_checkpoint(tempfile.gettempdir() + "/no-such-folder") is None
    True
    """
    state = get_checkpoint_state(checkpoint_dir, latest_filename)
    if state is not None and checkpoint_exists(state.model_checkpoint_path):
        return state.model_checkpoint_path
    return None


def checkpoint_exists(checkpoint_prefix):
    """Whether the checkpoint ``checkpoint_prefix`` (``model-100``) was written."""
    return os.path.isfile(os.fspath(checkpoint_prefix) + SUFFIX)


def write_graph(graph_or_graph_def, logdir, name, as_text=True):
    """Write the program's ``GraphDef`` to ``logdir/name`` (text format, or binary with
    ``as_text=False``) and return the file's path. Needs the ``tensorboard`` package.

    >>> import os, shutil, tempfile, teachgrad as tf
    >>> folder = tempfile.mkdtemp()
    >>> with tf.Graph().as_default() as g:
    ...     y = tf.placeholder(tf.float32, name="x") + 1.0
    ...     path = tf.train.write_graph(g, folder, "graph.pbtxt")
    >>> 'op: "Placeholder"' in open(path).read()
    True
    >>> shutil.rmtree(folder)
    """
    if hasattr(graph_or_graph_def, "as_graph_def"):
        graph_def = graph_or_graph_def.as_graph_def()
    else:
        graph_def = graph_or_graph_def
    if as_text:
        from google.protobuf import text_format   # (comes with tensorboard)
        data = text_format.MessageToString(graph_def).encode("utf-8")
    else:
        data = graph_def.SerializeToString()
    os.makedirs(os.fspath(logdir), exist_ok=True)
    path = os.path.join(os.fspath(logdir), name)
    replace_file(path, data)
    return path
