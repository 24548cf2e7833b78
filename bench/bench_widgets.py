#!/usr/bin/env python
"""Speed of the widgets and plots, driven from Python exactly as the browser drives them.

What a student waits for:

  step change   -> new picture          PropagationPlayer: set .step (frames rendered ahead, cached)
                                        (target <= 30 ms)
  input slider  -> re-evaluated graph   PropagationPlayer: move an input slider: graph.at(...), its
                   and picture          steps, the frame for the current step, the trace table
                                        (target <= 60 ms)
  each plot                             plot.derivatives / gradient_field / compare_modes: build
                                        the Figure and draw it to PNG, as Jupyter does
                                        (target <= 200 ms)

plus, for information, the other widgets' moves (path index, the explorer's point, a new
expression) and the first step change after an input change when no event loop renders the
frames in the background (in Jupyter one does, see PropagationPlayer._on_input).

Graphs: the lecture's seed graph ``e = (a + b) * (b + 1)`` and lecture 5's
``w = z / (y + cos x)`` (y = x**.5, z = log(exp(sin y) + cos 2y) + 1), in every mode.
Each figure is the median of --repeat samples after a warm-up.

  python bench/bench_widgets.py            # about 30 s
  python bench/bench_widgets.py --repeat 5 # a quick look
"""

import argparse
import os
import statistics
import sys
import time

_REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
if _REPO not in sys.path:
    sys.path.insert(0, _REPO)

import numpy as np  # noqa: E402

import teachgrad as tg  # noqa: E402
from teachgrad import plot, render, widgets  # noqa: E402

GRAPHS = {
    "seed": ("e = (a + b) * (b + 1)", {"a": 2.0, "b": 1.0}),
    "lecture 5 w": ("y = x ** 0.5\nz = log(exp(sin(y)) + cos(2 * y)) + 1\nw = z / (y + cos(x))",
                    {"x": 1.5}),
}


def median_ms(action, repeat, setup=None):
    """Median wall time of ``action(i)`` in ms over ``repeat`` samples (one warm-up first)."""
    times = []
    for i in range(repeat + 1):
        if setup is not None:
            setup(i)
        t0 = time.perf_counter()
        action(i)
        if i:                     # sample 0 warms up
            times.append((time.perf_counter() - t0) * 1e3)
    return statistics.median(times)


def bench_player(rows, repeat):
    for label, (source, inputs) in GRAPHS.items():
        graph = tg.trace(source, **inputs)
        for mode in ("values", "forward", "reverse"):
            player = widgets.PropagationPlayer(graph, mode)
            n = player.n_steps
            k = [0]

            def step(i):
                k[0] = (k[0] + 1) % (n + 1)
                player.step = k[0]
            rows.append((f"step change → new picture ({label}, {mode})",
                         median_ms(step, repeat * 3), 30))

            name = graph.inputs[-1]
            base = player.sliders[name].value
            player.step = n // 2

            def move(i, counter=[0]):
                # A value never used before: nothing can come from a cache.
                counter[0] += 1
                player.sliders[name].value = base + 0.001 * counter[0]
            rows.append((f"input slider → graph + picture ({label}, {mode})",
                         median_ms(move, repeat), 60))

            def cold_step(i):
                player.step = (player.step + 1) % (n + 1)
            rows.append((f"  first step after a move, no event loop ({label}, {mode})",
                         median_ms(cold_step, repeat, setup=move), None))


def bench_other_widgets(rows, repeat):
    graph = tg.trace(*GRAPHS["seed"][:1], **GRAPHS["seed"][1])
    paths = widgets.PathExplorer(graph, "b", "e")
    # Each path drawn for the first time (render's cache emptied): one dot call.
    rows.append(("PathExplorer: next path, first view (seed, b → e)",
                 median_ms(lambda i: setattr(paths, "index", i % 2), repeat,
                           setup=lambda i: render.clear_cache()), 30))
    explorer = widgets.ExpressionExplorer("e = (a + b) * (b + 1)", a=2, b=1)
    sources = ["e = (a + b) * (b + 1)", "e = sin(a) * b + a"]
    rows.append(("ExpressionExplorer: new expression",
                 median_ms(lambda i: setattr(explorer, "source", sources[i % 2]), repeat), None))
    rows.append(("ExpressionExplorer: input slider",
                 median_ms(lambda i: setattr(explorer.sliders["a"], "value", 2.0 + 0.001 * i),
                           repeat), 60))
    cubic = lambda x: 2 * x**3 - 5 * x**2 + 3 * x - 1   # noqa: E731
    d1 = widgets.DerivativeExplorer(cubic, x=(-1, 3), point=2.0)
    rows.append(("DerivativeExplorer: move the point (redraw PNG)",
                 median_ms(lambda i: setattr(d1, "point", 1.0 + 0.01 * i), repeat), 200))
    d2 = widgets.DerivativeExplorer2D(lambda x, y: x**2 + y**2 * x, (-2, 2), (-2, 2),
                                      point=(1.0, 1.0))
    rows.append(("DerivativeExplorer2D: move the point (redraw PNG)",
                 median_ms(lambda i: setattr(d2, "point", (1.0, 0.5 + 0.01 * i)), repeat), 200))


def bench_plots(rows, repeat):
    x = tg.linspace(-3.0, 3.0, 401)
    bumpy = lambda x, y: tg.cosh((3 + tg.cos(x + 2 * y) ** 3) ** 0.5 * tg.sin(y - x))  # noqa
    cases = [
        ("plot.derivatives (f, f′, f″ on 401 points)",
         lambda: plot.derivatives(lambda x: tg.sin(x) * x, x, orders=(0, 1, 2))),
        ("plot.gradient_field (15×15 arrows)",
         lambda: plot.gradient_field(lambda x, y: x**2 + y**2 * x, (-2, 2), (-2, 2))),
        ("plot.gradient_field surface=True (lecture 5's cosh)",
         lambda: plot.gradient_field(bumpy, (-2, 2), (-2, 2), n=17, surface=True)),
        ("plot.compare_modes (16 inputs; 1, 4, 8 outputs)",
         lambda: plot.compare_modes(16, (1, 4, 8))),
    ]
    for label, make in cases:
        rows.append((label + ": build + PNG", median_ms(lambda i: plot.to_png(make()), repeat),
                     200))


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeat", type=int, default=15, help="samples per figure (median)")
    args = parser.parse_args(argv)
    rows = []
    render.clear_cache()
    bench_player(rows, args.repeat)
    bench_other_widgets(rows, args.repeat)
    bench_plots(rows, args.repeat)
    width = max(len(r[0]) for r in rows)
    print(f"{'what':<{width}}  {'median':>9}  {'target':>8}  ok")
    print("-" * (width + 26))
    failures = 0
    for label, ms, target in rows:
        ok = "" if target is None else ("yes" if ms <= target else "NO")
        failures += ok == "NO"
        shown = "" if target is None else f"≤ {target} ms"
        print(f"{label:<{width}}  {ms:7.1f} ms  {shown:>8}  {ok}")
    print(f"\n{failures} over target; numpy {np.__version__}, "
          f"{os.cpu_count()} cores, Python {sys.version.split()[0]}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
