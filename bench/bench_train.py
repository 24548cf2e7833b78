#!/usr/bin/env python
"""A TensorFlow-1 training loop, teachgrad against TensorFlow 1 (issue 11's target: ≤ 0.5×).

The workload: a polynomial with 6 coefficients fitted by least squares to 200 points
(``y = sin 3x + noise``, x in [-1, 1], features 1, x, …, x⁵), ``MomentumOptimizer(0.1, 0.9)``,
5,000 steps of ``sess.run([train_op, loss], feed_dict)``, the features and targets fed at every
step through placeholders of shape ``(None, 6)`` and ``(None, 1)``, as a TensorFlow-1 course
writes it. Both sides build the same graph from the same data and start from zeros.

TensorFlow runs in its own interpreter (``tensorflow.compat.v1`` with ``disable_v2_behavior()``,
by default ``/work/tfenv/bin/python``; teachgrad never imports it), as a worker that times one
round each time it is asked; the rounds alternate between the two, so both share the machine's
noise. The result is the median of the per-round ratios (teachgrad / TensorFlow) and each side's
median round. The two must end at the same loss and coefficients (float32 tolerance), or the
script exits 1.

  python bench/bench_train.py                    # 7 rounds each, about a minute
  python bench/bench_train.py --rounds 3 --steps 1000
  python bench/bench_train.py --known-batch      # placeholders of shape (200, 6), (200, 1)
  python bench/bench_train.py --tf-threads 1     # TensorFlow on one intra-/inter-op thread
  python bench/bench_train.py --profile          # plus cProfile of one teachgrad round
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import time

import numpy as np

_REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DEFAULT_TF = os.environ.get("TEACHGRAD_TF_PYTHON", "/work/tfenv/bin/python")


def data():
    """The fixed problem: 200 points, features 1, x, …, x⁵ (float32)."""
    x = np.linspace(-1.0, 1.0, 200)
    y = np.sin(3 * x) + 0.1 * np.random.default_rng(0).normal(size=200)
    features = np.stack([x ** k for k in range(6)], axis=1).astype(np.float32)
    return features, y.astype(np.float32)[:, None]


def build(tf, known_batch):
    """The graph, written once for both libraries (``tf`` is either module)."""
    batch = 200 if known_batch else None
    x = tf.placeholder(tf.float32, shape=(batch, 6), name="x")
    y = tf.placeholder(tf.float32, shape=(batch, 1), name="y")
    w = tf.Variable(tf.zeros((6, 1)), name="w")
    loss = tf.reduce_mean(tf.square(tf.matmul(x, w) - y))
    train = tf.train.MomentumOptimizer(0.1, 0.9).minimize(loss)
    return x, y, w, loss, train, tf.global_variables_initializer()


class Runner:
    """One library's session and graph; ``round()`` restarts from zeros and times the steps."""

    def __init__(self, tf, known_batch, steps, threads=None):
        self.x, self.y, self.w, self.loss, self.train, self.init = build(tf, known_batch)
        config = None if threads is None else tf.ConfigProto(
            intra_op_parallelism_threads=threads, inter_op_parallelism_threads=threads)
        self.sess = tf.Session(config=config)
        features, targets = data()
        self.feed = {self.x: features, self.y: targets}
        self.steps = steps

    def round(self):
        sess, fetches, feed = self.sess, [self.train, self.loss], self.feed
        sess.run(self.init)
        start = time.perf_counter()
        for _ in range(self.steps):
            _, value = sess.run(fetches, feed)
        elapsed = time.perf_counter() - start
        return elapsed, float(value), sess.run(self.w).ravel().tolist()


def worker(known_batch, steps, threads):
    """The TensorFlow side: a round for each line read, one JSON line written back."""
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    import tensorflow.compat.v1 as tf
    tf.disable_v2_behavior()
    runner = Runner(tf, known_batch, steps, threads)
    print(json.dumps({"version": tf.__version__}), flush=True)
    for _ in sys.stdin:
        elapsed, loss, w = runner.round()
        print(json.dumps({"seconds": elapsed, "loss": loss, "w": w}), flush=True)


class TensorFlowWorker:
    def __init__(self, python, known_batch, steps, threads):
        args = [python, os.path.abspath(__file__), "--worker", "--steps", str(steps)]
        args += ["--known-batch"] if known_batch else []
        args += ["--tf-threads", str(threads)] if threads else []
        env = dict(os.environ, TF_CPP_MIN_LOG_LEVEL="3")
        self.process = subprocess.Popen(args, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                        stderr=subprocess.DEVNULL, text=True, env=env)
        self.version = self._read()["version"]

    def _read(self):
        line = self.process.stdout.readline()
        if not line:
            raise RuntimeError("the TensorFlow worker stopped (run it by hand with --worker to "
                               "see why)")
        return json.loads(line)

    def round(self):
        self.process.stdin.write("go\n")
        self.process.stdin.flush()
        reply = self._read()
        return reply["seconds"], reply["loss"], reply["w"]

    def close(self):
        self.process.stdin.close()
        self.process.wait(timeout=30)


def _profile(runner):
    import cProfile
    import pstats
    profile = cProfile.Profile()
    profile.runcall(runner.round)
    pstats.Stats(profile).sort_stats("tottime").print_stats(12)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=7, help="timed rounds per library")
    parser.add_argument("--steps", type=int, default=5000, help="training steps per round")
    parser.add_argument("--tf-python", default=DEFAULT_TF, help="an interpreter with TensorFlow")
    parser.add_argument("--known-batch", action="store_true",
                        help="placeholders of known batch size 200 instead of None")
    parser.add_argument("--tf-threads", type=int, help="TensorFlow's intra- and inter-op "
                        "threads (default: its own choice)")
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--json", help="write the figures here")
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.worker:
        return worker(args.known_batch, args.steps, args.tf_threads)

    sys.path.insert(0, _REPO)
    import teachgrad as tg
    tg.reset_default_graph()
    ours = Runner(tg, args.known_batch, args.steps)
    theirs = TensorFlowWorker(args.tf_python, args.known_batch, args.steps, args.tf_threads) \
        if os.path.exists(args.tf_python) else None
    print(f"teachgrad {tg.__version__} from {os.path.dirname(tg.__file__)}; NumPy "
          f"{np.__version__}; TensorFlow {theirs.version if theirs else 'not found'} "
          f"({args.tf_python}); load average {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores")
    print(f"{args.steps} steps of sess.run([train_op, loss], feed_dict), MomentumOptimizer(0.1, "
          f"0.9), batch {'200' if args.known_batch else 'None'}; TensorFlow threads "
          f"{args.tf_threads or 'default'}; {args.rounds} rounds each, alternating, after one "
          "warm-up round each")
    ours.round()
    if theirs:
        theirs.round()
    times, ratios = {"teachgrad": [], "tensorflow": []}, []
    for _ in range(args.rounds):
        t_ours, loss_ours, w_ours = ours.round()
        times["teachgrad"].append(t_ours)
        if theirs:
            t_theirs, loss_theirs, w_theirs = theirs.round()
            times["tensorflow"].append(t_theirs)
            ratios.append(t_ours / t_theirs)
    ok = True
    for name, samples in times.items():
        if samples:
            med = statistics.median(samples)
            print(f"  {name:<11} median {med:7.3f} s  ({med / args.steps * 1e6:6.1f} µs/step)   "
                  f"min {min(samples):.3f} s   max {max(samples):.3f} s")
    if theirs:
        ratio = statistics.median(ratios)
        of_medians = statistics.median(times["teachgrad"]) / statistics.median(times["tensorflow"])
        print(f"  ratio teachgrad / TensorFlow: {ratio:.2f}x (median of per-round ratios; "
              f"ratio of medians {of_medians:.2f}x); target <= 0.50x: "
              f"{'MET' if ratio <= 0.5 else 'NOT MET'}")
        ok = np.allclose(w_ours, w_theirs, rtol=1e-3, atol=1e-4) and \
            abs(loss_ours - loss_theirs) <= 1e-3 * abs(loss_theirs) + 1e-6
        print(f"  final loss: teachgrad {loss_ours:.7g}, TensorFlow {loss_theirs:.7g}; "
              f"coefficients {'agree' if ok else 'DISAGREE'}")
        theirs.close()
    if args.profile:
        _profile(ours)
    if args.json:
        with open(args.json, "w") as f:
            json.dump({"times": times, "ratios": ratios, "steps": args.steps}, f, indent=1)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
