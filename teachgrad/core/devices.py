"""Device placement as TensorFlow 1 writes it: ``with tg.device("/cpu:0"):`` gives the ops made
inside a device string, TF's ``DeviceSpec`` normalized, merged with the enclosing one.

teachgrad computes everything with NumPy on the one CPU, as TensorFlow does on a machine without
a GPU: a program that pins ops to ``/cpu:0`` runs unchanged; one that pins them to a GPU is refused
by ``Session.run`` with TensorFlow's error, unless its session was made with
``tg.ConfigProto(allow_soft_placement=True)`` (then the ops run on the CPU, as in TensorFlow).

>>> normalize("/cpu:0"), normalize("gpu:1"), normalize("CPU"), normalize("/job:w/task:1")
('/device:CPU:0', '/device:GPU:1', '/device:CPU:*', '/job:w/task:1')
>>> merge("/job:w", "/cpu:0")
'/job:w/device:CPU:0'
"""

__all__ = ["normalize", "merge", "misplaced", "AVAILABLE"]

# The one device this machine has, as TensorFlow names it.
AVAILABLE = "/job:localhost/replica:0/task:0/device:CPU:0"
_FIELDS = ("job", "replica", "task", "type", "index")


def _parse(spec):
    """``spec`` as a dict of the fields it gives (job, replica, task, device type, index)."""
    if not isinstance(spec, str):
        raise TypeError(f"tg.device: a device is a string such as '/cpu:0' (or a function of the "
                        f"operation, or None), got {spec!r}")
    out = {}
    for part in (p for p in spec.split("/") if p):
        name, _, rest = part.partition(":")
        low = name.lower()
        if low in ("job", "replica", "task") and rest:
            out[low] = rest
        elif low == "device" and rest:
            kind, _, index = rest.partition(":")
            out["type"], out["index"] = kind.upper(), index or "*"
        elif low in ("cpu", "gpu", "tpu") and "type" not in out:
            out["type"], out["index"] = low.upper(), rest or "*"
        else:
            raise ValueError(f"Unknown attribute '{name}' is encountered while parsing the device "
                             f"spec: '{spec}'.")
    return out


def _text(fields):
    out = "".join(f"/{k}:{fields[k]}" for k in ("job", "replica", "task") if k in fields)
    if "type" in fields:
        out += f"/device:{fields['type']}:{fields.get('index', '*')}"
    return out


def normalize(spec):
    """TensorFlow's spelling of device ``spec`` (``"/cpu:0"`` → ``"/device:CPU:0"``)."""
    return _text(_parse(spec))


def merge(outer, inner):
    """Device ``inner`` inside a ``with tg.device(outer):`` block: the fields it gives replace the
    outer ones, the others are kept (TensorFlow's merge)."""
    fields = _parse(outer)
    fields.update(_parse(inner))
    return _text(fields)


def misplaced(spec, soft):
    """Why an op pinned to ``spec`` cannot run here (TensorFlow's words), or None if it can.

    A job, replica or task other than this process's can never run; a device other than CPU:0
    runs on it when ``soft`` (``allow_soft_placement``).

    >>> misplaced("/device:CPU:0", False) is None, misplaced("/device:GPU:0", True) is None
    (True, True)
    >>> misplaced("/device:GPU:0", False)[:43]
    'was explicitly assigned to /device:GPU:0 bu'
    """
    fields = _parse(spec)
    here = {"job": "localhost", "replica": "0", "task": "0", "type": "CPU", "index": "0"}
    where = [k for k in _FIELDS if k in fields and fields[k] not in (here[k], "*")]
    if not where or soft and all(k in ("type", "index") for k in where):
        return None
    return (f"was explicitly assigned to {spec} but available devices are [ {AVAILABLE} ]. "
            "Make sure the device specification refers to a valid device.")
