#!/usr/bin/env python
"""Sizing a server for a class: what one student's kernel costs, and what N students cost at once.

Three measurements, all with real kernels (ipykernel) driven by nbclient, as JupyterLab drives them:

  lectures   each lecture in a fresh kernel, top to bottom: wall time, CPU seconds of the kernel
             and of the Graphviz processes it ran, the kernel's memory when the lecture is done
             (RSS, and PSS: shared pages counted once) and its peak (VmHWM)
  server     one idle JupyterLab server, what each student's single-user server costs on a hub
  load       N students at once (N = 5, 10, 20 by default), each a process with its own kernel
             running lecture 1 top to bottom, all started together: wall time per student (kernel
             start included), CPU per student, and the peak memory of the whole run (the
             machine's memory in use, sampled every 0.2 s, minus what was in use before)

  python bench/bench_sizing.py                    # everything, about 5 minutes on 2 cores
  python bench/bench_sizing.py --load 5 --no-lectures --no-server   # a quick look
  python bench/bench_sizing.py --json out.json    # also write the figures as JSON

The kernels import the teachgrad of this checkout (the repository goes first on PYTHONPATH) and
run in a temporary copy of lectures/, so nothing in the checkout is written. Linux only (/proc).
"""

import argparse
import json
import os
import platform
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

import psutil

REPO = Path(__file__).resolve().parents[1]
LECTURES = REPO / "lectures"
MiB = 2 ** 20


def kernel_env():
    """The environment for kernels: this checkout's teachgrad first, a non-interactive backend."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([str(REPO), *filter(None, [env.get("PYTHONPATH")])])
    env.setdefault("MPLBACKEND", "module://matplotlib_inline.backend_inline")
    return env


def proc_status(pid, field):
    """A /proc/PID/status memory field (VmRSS, VmHWM) in bytes."""
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith(field + ":"):
                return int(line.split()[1]) * 1024
    raise KeyError(field)


def run_notebook(path, workdir):
    """Run one notebook in a fresh kernel; return its figures (seconds, bytes)."""
    import nbformat
    from nbclient import NotebookClient
    from traitlets.config import Config

    nb = nbformat.read(path, as_version=4)
    # IPC sockets in a folder of this run's own: with TCP, kernels started at the same moment can
    # race for the same free port.
    sockets = tempfile.mkdtemp(prefix="teachgrad-kernel-")
    config = Config({"KernelManager": {"transport": "ipc", "ip": os.path.join(sockets, "k")}})
    client = NotebookClient(nb, timeout=600, kernel_name="python3", config=config,
                            resources={"metadata": {"path": str(workdir)}})
    t0 = time.perf_counter()
    with client.setup_kernel(env=kernel_env(), cwd=str(workdir)):
        kernel = psutil.Process(client.km.provisioner.process.pid)
        client.wait_for_reply(client.kc.kernel_info())
        started = time.perf_counter()
        rss_idle = kernel.memory_info().rss
        for index, cell in enumerate(nb.cells):
            client.execute_cell(cell, index)
        done = time.perf_counter()
        cpu = kernel.cpu_times()
        figures = {
            "kernel_start_s": started - t0,
            "run_s": done - started,
            "wall_s": done - t0,
            "cpu_s": cpu.user + cpu.system + cpu.children_user + cpu.children_system,
            "rss_idle": rss_idle,
            "rss_after": kernel.memory_info().rss,
            "pss_after": kernel.memory_full_info().pss,
            "hwm": proc_status(kernel.pid, "VmHWM"),
        }
    shutil.rmtree(sockets, ignore_errors=True)
    return figures


def lecture_copy():
    """A temporary copy of lectures/ (the notebooks read images/ relative to themselves)."""
    where = Path(tempfile.mkdtemp(prefix="teachgrad-sizing-"))
    shutil.copytree(LECTURES, where / "lectures")
    return where / "lectures"


def measure_lectures():
    workdir = lecture_copy()
    try:
        rows = {}
        for nb in sorted(workdir.glob("*.ipynb")):
            rows[nb.stem] = run_notebook(nb, workdir)
            r = rows[nb.stem]
            print(f"  {nb.stem:26} {r['run_s']:6.1f} s  CPU {r['cpu_s']:5.1f} s  "
                  f"RSS {r['rss_after'] / MiB:5.0f} MiB  peak {r['hwm'] / MiB:5.0f} MiB",
                  file=sys.stderr, flush=True)
        return rows
    finally:
        shutil.rmtree(workdir.parent, ignore_errors=True)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def measure_server():
    """RSS of one idle JupyterLab server (what a hub starts for every student)."""
    home = Path(tempfile.mkdtemp(prefix="teachgrad-sizing-home-"))
    port = free_port()
    cmd = [sys.executable, "-m", "jupyterlab", "--no-browser", "--ip=127.0.0.1", f"--port={port}",
           "--ServerApp.token=", "--ServerApp.password=", f"--ServerApp.root_dir={home}"]
    if os.geteuid() == 0:
        cmd.append("--allow-root")
    server = subprocess.Popen(cmd, env={**kernel_env(), "HOME": str(home)},
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:   # loopback only: the server this function started
                urllib.request.urlopen(f"http://127.0.0.1:{port}/api/status", timeout=2).read()
                break
            except OSError:
                time.sleep(0.5)
        else:
            raise RuntimeError("JupyterLab did not start within 60 s")
        urllib.request.urlopen(f"http://127.0.0.1:{port}/lab", timeout=10).read()  # load the app
        time.sleep(2)
        proc = psutil.Process(server.pid)
        return {"rss": proc.memory_info().rss, "pss": proc.memory_full_info().pss}
    finally:
        server.terminate()
        server.wait(timeout=30)
        shutil.rmtree(home, ignore_errors=True)


class MemorySampler(threading.Thread):
    """The machine's memory in use (total - available), every ``interval`` s, until stopped."""

    def __init__(self, interval=0.2):
        super().__init__(daemon=True)
        self.interval, self.peak, self._done = interval, 0, threading.Event()

    @staticmethod
    def in_use():
        vm = psutil.virtual_memory()
        return vm.total - vm.available

    def run(self):
        while not self._done.is_set():
            self.peak = max(self.peak, self.in_use())
            self._done.wait(self.interval)

    def stop(self):
        self._done.set()
        self.join()
        self.peak = max(self.peak, self.in_use())


def measure_load(n, notebook):
    """``n`` student processes, each running ``notebook`` in its own kernel, started together."""
    workdir = lecture_copy()
    try:
        baseline, load_before = MemorySampler.in_use(), os.getloadavg()[0]
        sampler = MemorySampler()
        sampler.start()
        t0 = time.perf_counter()
        students = [subprocess.Popen([sys.executable, __file__, "--student",
                                      str(workdir / notebook)],
                                     stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
                    for _ in range(n)]
        results = []
        for p in students:
            out, err = p.communicate(timeout=1800)
            if p.returncode != 0:
                raise RuntimeError(f"a student's run failed (exit {p.returncode}):\n{err}")
            results.append(json.loads(out))
        total = time.perf_counter() - t0
        sampler.stop()
    finally:
        shutil.rmtree(workdir.parent, ignore_errors=True)
    walls = [r["wall_s"] for r in results]
    return {
        "n": n, "total_s": total, "loadavg_before": load_before,
        "wall_median_s": statistics.median(walls), "wall_max_s": max(walls),
        "cpu_median_s": statistics.median(r["cpu_s"] for r in results),
        "driver_cpu_median_s": statistics.median(r["driver_cpu_s"] for r in results),
        "process_median_s": statistics.median(r["process_s"] for r in results),
        "peak_in_use": sampler.peak - baseline,
        "sum_kernel_hwm": sum(r["hwm"] for r in results),
    }


def machine():
    return (f"{platform.processor() or platform.machine()}, {psutil.cpu_count()} cores, "
            f"{psutil.virtual_memory().total / 2 ** 30:.0f} GiB; "
            f"Python {platform.python_version()}")


def print_tables(report):
    if "lectures" in report:
        print("\nlecture (fresh kernel, top to bottom)   run    CPU   RSS after  PSS after  "
              "peak RSS")
        for name, r in report["lectures"].items():
            print(f"{name:36} {r['run_s']:5.1f} s {r['cpu_s']:5.1f} s"
                  f" {r['rss_after'] / MiB:7.0f} MiB"
                  f" {r['pss_after'] / MiB:6.0f} MiB {r['hwm'] / MiB:6.0f} MiB")
        idle = statistics.median(r["rss_idle"] for r in report["lectures"].values())
        print(f"{'(a fresh kernel, before any cell)':36} {'':15} {idle / MiB:7.0f} MiB")
    if "server" in report:
        s = report["server"]
        print(f"\nidle JupyterLab server: RSS {s['rss'] / MiB:.0f} MiB, "
              f"PSS {s['pss'] / MiB:.0f} MiB")
    if report.get("load"):
        print(f"\nN students running {report['load_notebook']} at once (each: kernel start + all "
              "cells)")
        print("   N   wall per student     kernel CPU   driver CPU   all done   "
              "peak memory in use   Σ kernel peaks")
        print("       (median / max)       per student  per student")
        for r in report["load"]:
            print(f"{r['n']:4}   {r['wall_median_s']:5.1f} s / {r['wall_max_s']:5.1f} s"
                  f"   {r['cpu_median_s']:8.1f} s   {r['driver_cpu_median_s']:8.1f} s"
                  f"   {r['total_s']:6.1f} s   {r['peak_in_use'] / MiB:14.0f} MiB"
                  f"   {r['sum_kernel_hwm'] / MiB:10.0f} MiB")
    print(f"\n{report['machine']}; load average (1 min) {report['loadavg_start']:.2f} at the "
          f"start, {report['loadavg_end']:.2f} at the end")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--load", default="5,10,20", metavar="N,N,…",
                        help="numbers of simultaneous students (default 5,10,20; '' for none)")
    parser.add_argument("--notebook", default="01-graph-model.ipynb",
                        help="the lecture the students run in the load test")
    parser.add_argument("--no-lectures", action="store_true", help="skip the per-lecture runs")
    parser.add_argument("--no-server", action="store_true", help="skip the JupyterLab server")
    parser.add_argument("--json", metavar="PATH", help="also write the figures to PATH")
    parser.add_argument("--student", metavar="NOTEBOOK", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.student:   # one student of the load test: run, print the figures as JSON
        figures = run_notebook(Path(args.student), Path(args.student).parent)
        me = psutil.Process()
        figures["driver_cpu_s"] = sum(me.cpu_times()[:2])   # this process: nbclient's side
        figures["process_s"] = time.time() - me.create_time()
        print(json.dumps(figures))
        return 0
    report = {"machine": machine(), "load_notebook": args.notebook,
              "loadavg_start": os.getloadavg()[0]}
    if not args.no_lectures:
        print("lectures, one at a time:", file=sys.stderr)
        report["lectures"] = measure_lectures()
    if not args.no_server:
        report["server"] = measure_server()
    report["load"] = []
    for n in [int(x) for x in args.load.split(",") if x.strip()]:
        print(f"{n} students at once…", file=sys.stderr, flush=True)
        report["load"].append(measure_load(n, args.notebook))
    report["loadavg_end"] = os.getloadavg()[0]
    print_tables(report)
    if args.json:
        Path(args.json).write_text(json.dumps(report, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
