"""Read the expected numbers of the TF-1 programs here off TensorFlow itself.

Run with a Python that has TensorFlow 2.x (``tensorflow.compat.v1``) and ``tf_keras``, never in
teachgrad's own environment (TensorFlow is not a dependency)::

    TF_USE_LEGACY_KERAS=1 /work/tfenv/bin/python tests/tf1/classic_programs/read_off_tensorflow.py

Each program runs with its line ``import teachgrad as tf`` replaced by
``import tensorflow.compat.v1 as tf; tf.disable_v2_behavior()``, in a new default graph and a
temporary folder; what it leaves in ``RESULTS`` (and, for the TensorBoard program, what
TensorBoard's reader finds in the event file) is printed as the Python literal that
tests/tf1/test_classic_programs.py keeps as ``EXPECTED``.
"""

import glob
import os
import pprint
import sys
import tempfile

import numpy as np

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
os.environ.setdefault("TF_USE_LEGACY_KERAS", "1")
import tensorflow.compat.v1 as tf  # noqa: E402

tf.disable_v2_behavior()
HERE = os.path.dirname(os.path.abspath(__file__))


def plain(value):
    """NumPy values as Python numbers and lists (floats rounded to 7 significant digits)."""
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    if isinstance(value, (np.ndarray, np.generic)):
        return plain(value.tolist())
    if isinstance(value, bytes):
        return value.decode()
    if isinstance(value, float):
        return float(f"{value:.7g}")
    return value


def run(path):
    source = open(path, encoding="utf-8").read()
    source = source.replace("import teachgrad as tf",
                            "import tensorflow.compat.v1 as tf\ntf.disable_v2_behavior()")
    tf.reset_default_graph()
    with tempfile.TemporaryDirectory() as workdir:
        namespace = {"__name__": "__main__", "WORKDIR": workdir}
        exec(compile(source, path, "exec"), namespace)
        results = dict(namespace["RESULTS"])
        if "logdir" in results:   # the TensorBoard program: what TensorBoard reads back
            from tensorboard.backend.event_processing.event_accumulator import EventAccumulator
            events = EventAccumulator(results.pop("logdir"))
            events.Reload()
            results["scalars"] = {tag: [(e.step, e.value) for e in events.Scalars(tag)]
                                  for tag in events.Tags()["scalars"]}
            results["graph"] = [(n.name, n.op) for n in events.Graph().node
                                if not n.name.startswith("SGD/")]
    return plain(results)


if __name__ == "__main__":
    paths = sys.argv[1:] or sorted(glob.glob(os.path.join(HERE, "p[0-9]*.py")))
    found = {}
    for path in paths:
        name = os.path.splitext(os.path.basename(path))[0]
        try:
            found[name] = run(path)
        except Exception as e:   # (a program TensorFlow itself refuses: say so)
            found[name] = {"error": f"{type(e).__name__}: {e}"}
    print("EXPECTED = " + pprint.pformat(found, width=100, sort_dicts=False))
