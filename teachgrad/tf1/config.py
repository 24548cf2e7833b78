"""``tg.ConfigProto`` and ``tg.GPUOptions``: the session options TensorFlow 1 programs pass.

teachgrad runs everything with NumPy on the CPU, so most fields only keep what the program set;
``allow_soft_placement`` lets ops pinned to a GPU with ``tg.device`` run on the CPU (without it,
``Session.run`` refuses them, as TensorFlow does on a machine without a GPU). As TensorFlow's
protocol messages, an unknown field is refused.

>>> import teachgrad as tf
>>> config = tf.ConfigProto(allow_soft_placement=True)
>>> config.gpu_options.allow_growth = True
>>> config.allow_soft_placement, config.log_device_placement, config.gpu_options.allow_growth
(True, False, True)
>>> tf.ConfigProto(allow_soft_placment=True)
Traceback (most recent call last):
...
ValueError: Protocol message ConfigProto has no "allow_soft_placment" field.
"""

__all__ = ["ConfigProto", "GPUOptions"]


class _Message:
    """A protocol message's fields: defaults, set by keyword or attribute, unknown ones refused."""

    _fields = {}

    def __init__(self, **fields):
        for name, default in self._fields.items():
            object.__setattr__(self, name, default() if callable(default) else default)
        for name, value in fields.items():
            if name not in self._fields:
                raise ValueError(f'Protocol message {type(self).__name__} has no "{name}" field.')
            setattr(self, name, value)

    def __setattr__(self, name, value):
        if name not in self._fields:
            raise AttributeError(f'Protocol message {type(self).__name__} has no "{name}" field.')
        default = self._fields[name]
        if isinstance(default, (bool, int, float)) and not isinstance(value, (bool, int, float)):
            raise TypeError(f"{type(self).__name__}.{name}: {value!r} is not a number")
        object.__setattr__(self, name, type(default)(value) if isinstance(default, (bool, int, float))
                           else value)

    def __eq__(self, other):
        return type(other) is type(self) and vars(other) == vars(self)

    def __repr__(self):
        changed = {k: v for k, v in vars(self).items()
                   if not isinstance(v, _Message) and v != self._default(k)}
        return f"{type(self).__name__}({', '.join(f'{k}={v!r}' for k, v in changed.items())})"

    def _default(self, name):
        default = self._fields[name]
        return default() if callable(default) else default


class GPUOptions(_Message):
    """The GPU fields of a session's options (kept; teachgrad uses no GPU)."""

    _fields = {"allow_growth": False, "per_process_gpu_memory_fraction": 0.0,
               "visible_device_list": "", "allocator_type": ""}


class ConfigProto(_Message):
    """A session's options (``tg.Session(config=tg.ConfigProto(...))``)."""

    _fields = {"allow_soft_placement": False, "log_device_placement": False,
               "intra_op_parallelism_threads": 0, "inter_op_parallelism_threads": 0,
               "use_per_session_threads": False, "operation_timeout_in_ms": 0,
               "device_count": dict, "gpu_options": GPUOptions}
