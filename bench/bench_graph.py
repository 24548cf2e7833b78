#!/usr/bin/env python
"""Speed of the teaching graph's pictures and path counting (issue 3's targets).

  seed graph SVG           trace "e = (a + b) * (b + 1)" + svg(), one `dot` call   (target <= 30 ms)
  seed graph frames        frames() of each mode: layout + every step in one call  (for information)
  step change              svg(step=k) once the frames are cached                  (target <= 30 ms)
  500-node graph SVG       a chain of diamonds, compact style, `dot` included      (target <= 3 s)
  count_paths, 10k nodes   a chain of 3,333 diamonds (2^3333 paths)                (target <= 50 ms)
  1,000-op program trace   tg.trace(loss) of a TF-1 program, with and without values (target <= 0.2 s)
  its collapsed picture    trace + SVG, 40 scopes of 25 ops drawn as boxes         (target <= 1 s)
  opening a box            ProgramExplorer.expand(scope): the new picture           (target <= 150 ms)

Every picture is rendered from a freshly traced graph (so nothing comes from the cache, except
in the "step change" row). Figures are medians of --repeat samples after one warm-up.

  python bench/bench_graph.py               # about 25 s
  python bench/bench_graph.py --repeat 3    # a quick look
"""

import argparse
import os
import resource
import statistics
import sys
import time

_REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
if _REPO not in sys.path:
    sys.path.insert(0, _REPO)

import numpy as np  # noqa: E402

import teachgrad as tg  # noqa: E402
from teachgrad import render  # noqa: E402

SEED = "e = (a + b) * (b + 1)"


def diamonds(n_nodes):
    """A chain of diamonds: x{i+1} = sin(x{i}) * cos(x{i}), three nodes per line."""
    lines = [f"x{i + 1} = sin(x{i}) * cos(x{i})" for i in range(n_nodes // 3)]
    return "\n".join(lines)


def program(n_blocks=40, layers=5, width=4):
    """A TF-1 program of about 1,000 ops: blocks of dense layers (relu(h @ W + b)) under name
    scopes ``block{i}/dense{j}``, and a loss; with a session whose variables are initialized."""
    graph = tg.Graph()
    with graph.as_default():
        x = tg.placeholder(tg.float32, shape=(None, width), name="x")
        h = x
        for i in range(n_blocks):
            with tg.variable_scope(f"block{i}"):
                for j in range(layers):
                    with tg.variable_scope(f"dense{j}"):
                        w = tg.get_variable("W", shape=(width, width))
                        b = tg.get_variable("b", shape=(width,),
                                            initializer=tg.zeros_initializer())
                        h = tg.nn.relu(tg.matmul(h, w) + b)
        loss = tg.reduce_mean(h)
        sess = tg.Session()
        sess.run(tg.global_variables_initializer())
    return loss, {x: np.ones((3, width))}, sess


def program_rows(timed, repeat):
    """The rows of issue 12: a 1,000-op program's trace, its collapsed picture, opening a box."""
    from teachgrad import widgets
    loss, feed, sess = program()
    n = len(tg.trace(loss))
    what = f"{n}-op program: trace (structure, no values)"
    rows = [(what, timed(what, lambda _: tg.trace(loss), repeat), 0.2)]
    what = f"{n}-op program: trace with feed_dict and session (values)"
    rows.append((what, timed(what, lambda _: tg.trace(loss, feed_dict=feed, session=sess),
                             repeat), 0.2))
    what = f"{n}-op program: collapsed picture (trace + SVG, 40 boxes)"
    rows.append((what, timed(what, lambda _: tg.trace(loss).svg(), repeat), 1.0))
    opened = iter(range(10 ** 6))
    what = f"{n}-op program: open a box in ProgramExplorer (25 ops)"
    rows.append((what, timed(what, lambda ex: ex.expand(f"block{next(opened) % 40}"), repeat,
                             setup=lambda: widgets.ProgramExplorer(tg.trace(loss))), 0.150))
    return rows


CPU = {}   # what -> median CPU seconds (this process + the Graphviz processes it waited for)


def _cpu_now():
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return time.process_time() + children.ru_utime + children.ru_stime


def median_time(fn, repeat, setup=None, what=None):
    """Median wall time of ``fn(setup())``; its median CPU time goes to ``CPU[what]``.

    CPU time counts `dot` too and hardly changes with the machine's load, while wall time on a
    busy machine includes the wait for a free core (each `dot` call is a new process).
    """
    samples, cpu = [], []
    for i in range(repeat + 1):          # the first run is a warm-up
        arg = setup() if setup is not None else None
        start, start_cpu = time.perf_counter(), _cpu_now()
        fn(arg)
        if i:
            samples.append(time.perf_counter() - start)
            cpu.append(_cpu_now() - start_cpu)
    if what is not None:
        CPU[what] = statistics.median(cpu)
    return statistics.median(samples)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=11, help="samples per figure (default 11)")
    args = parser.parse_args(argv)
    repeat = max(1, args.repeat)

    rows = []   # (what, seconds, target seconds or None)

    def timed(what, fn, n, setup=None):
        return median_time(fn, n, setup=setup, what=what)

    def seed_svg(_):
        tg.trace(SEED, a=2, b=1).svg()
    what = "seed graph: trace + SVG (dot included)"
    rows.append((what, timed(what, seed_svg, repeat), 0.030))

    for mode in ("values", "forward", "reverse"):
        what = f"seed graph: all 6 frames of {mode} (2 Graphviz calls)"
        t = timed(what, lambda g: render.frames(g, mode), repeat,
                  setup=lambda: tg.trace(SEED, a=2, b=1))
        rows.append((what, t, None))

    g = tg.trace(SEED, a=2, b=1)
    render.frames(g, "reverse")

    def step_change(_):
        for k in range(6):
            g.svg(mode="reverse", step=k)
    rows.append(("step change: svg(step=k), frames cached", median_time(step_change, repeat) / 6,
                 0.030))

    def one_step(graph):
        graph.svg(mode="reverse", step=3)
    what = "seed graph: one step, nothing cached (layout + frame)"
    rows.append((what, timed(what, one_step, repeat, setup=lambda: tg.trace(SEED, a=2, b=1)),
                 None))

    text = diamonds(500)
    big = tg.trace(text, x0=0.5)
    n_big = len(big)
    what = f"{n_big}-node graph: SVG (compact, dot included)"
    t = timed(what, lambda graph: graph.svg(), max(1, repeat // 3),
              setup=lambda: tg.trace(text, x0=0.5))
    rows.append((what, t, 3.0))
    what = f"{n_big}-node graph: one reverse step, nothing cached"
    t = timed(what, lambda graph: graph.svg(mode="reverse", step=250), max(1, repeat // 3),
              setup=lambda: tg.trace(text, x0=0.5))
    rows.append((what, t, None))

    start = time.perf_counter()
    huge = tg.trace(diamonds(10_000), x0=0.5)
    trace_time = time.perf_counter() - start
    first, last = huge.inputs[0], huge.output
    count = huge.count_paths(first, last)
    what = f"count_paths on {len(huge)} nodes ({count.bit_length() - 1} doublings)"
    rows.append((what, timed(what, lambda _: huge.count_paths(first, last), repeat), 0.050))
    rows.append((f"  (tracing that {len(huge)}-node graph, once)", trace_time, None))
    rows += program_rows(timed, repeat)

    width = max(len(r[0]) for r in rows)
    def shown(seconds):
        if seconds is None:
            return ""
        if seconds < 0.001:
            return f"{seconds * 1e6:.0f} µs"
        return f"{seconds * 1000:.1f} ms" if seconds < 1 else f"{seconds:.2f} s"

    print(f"{'what':<{width}}  {'median':>10}  {'CPU':>10}  {'target':>8}  ok")
    failed = False
    for what, seconds, target in rows:
        line = f"{what:<{width}}  {shown(seconds):>10}  {shown(CPU.get(what)):>10}"
        if target is None:
            print(line)
            continue
        ok = seconds <= target
        failed |= not ok
        goal = f"{target * 1000:.0f} ms" if target < 1 else f"{target:.0f} s"
        print(f"{line}  {'≤ ' + goal:>8}  {'yes' if ok else 'NO'}")
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"\nGraphviz {'.'.join(map(str, render.graphviz.version()))}; repeat={repeat}; "
          f"load average {load:.1f} on {os.cpu_count()} cores (wall times grow with the load: "
          "each dot call waits for a core; CPU counts this process and its dot processes)")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
