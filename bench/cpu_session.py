#!/usr/bin/env python
"""The graph-mode workloads of bench_session.py timed in CPU seconds (``time.process_time``),
medians of several samples, teachgrad and TensorFlow 1 interleaved in one process.

CPU time is what a busy shared machine still measures fairly (wall time there mostly measures the
neighbours); TensorFlow's CPU time counts all its threads. Run it with an interpreter that has
``tensorflow`` for the TF column (teachgrad needs only NumPy):

  /path/to/tf-venv/bin/python bench/cpu_session.py [W1G W3G W5G]
"""

import statistics
import sys
import time

import bench_session as bs


def sample(run, seconds=0.2):
    run()
    n, spent = 0, 0.0
    start = time.process_time()
    while spent < seconds:
        run()
        n += 1
        spent = time.process_time() - start
    return spent / n


def main():
    rows = []
    only = {k.upper() for k in sys.argv[1:]}
    for wl in bs.WORKLOADS:
        if only and wl.key not in only:
            continue
        data = wl.setup(False)
        runs = {}
        for impl in wl.impls:
            try:
                runs[impl.name] = impl.make(data)
            except bs.Skip as e:
                print(f"{wl.key} {impl.name}: skipped ({e})", file=sys.stderr)
        times = {name: [] for name in runs}
        for _ in range(7):     # interleaved rounds: the implementations share the machine's noise
            for name, run in runs.items():
                times[name].append(sample(run, 0.05 if wl.key == "W1G" else 0.3))
        limit = statistics.median(times[wl.impls[0].name])
        for name, ts in times.items():
            m = statistics.median(ts)
            rows.append((wl.key, name, m, m / limit))
    print(f"{'workload':8} {'implementation':28} {'CPU per run':>12} {'x limit':>8}")
    for key, name, m, ratio in rows:
        shown = f"{m * 1e6:.2f} µs" if m < 1e-3 else f"{m * 1e3:.2f} ms"
        print(f"{key:8} {name:28} {shown:>12} {ratio:7.2f}x")


if __name__ == "__main__":
    main()
