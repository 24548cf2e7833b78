"""Fixtures for the browser tests: Debian's Chromium driven by Playwright, one JupyterLab server.

One browser and one JupyterLab server serve the whole session (starting them costs seconds; each
notebook then costs a page). What is missing is installed when it can be:

* ``/usr/bin/chromium`` with ``apt-get install chromium`` when we are root on Debian/Ubuntu;
* the Playwright package with ``pip install playwright`` (the Python package only: Playwright
  drives the system Chromium and never downloads a browser of its own).

When that is impossible the tests skip with the reason, except in CI (``CI=true``), where a
browser test that cannot run is a failure.

Screenshots go to ``tests/artifacts/screenshots/`` (git-ignored), emptied at the start of a run;
the summary at the end of the run prints the folder.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")
SCREENSHOTS = REPO / "tests" / "artifacts" / "screenshots"

# As root Chromium needs --no-sandbox; the rest keeps it from calling home on a closed network
# (without them it keeps failing to reach Google's hosts, many connections at a time).
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-quic",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--no-default-browser-check",
]

# JupyterLab settings for the temporary HOME: never write the lectures back to disk (the test
# runs them but must leave them as committed), no news toast, every cell kept in the DOM.
LAB_USER_SETTINGS = {
    "@jupyterlab/docmanager-extension/plugin": {"autosave": False},
    "@jupyterlab/apputils-extension/notification": {"fetchNews": "false", "checkForUpdates": False},
    "@jupyterlab/notebook-extension/tracker": {"windowingMode": "none"},
}

SERVER_START_TIMEOUT = 90  # seconds; a cold start (fresh HOME, first import) takes ~5 s here


def in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")


def unavailable(reason: str):
    """Skip the browser tests, or fail them in CI, where they must run."""
    if in_ci():
        pytest.fail(f"CI must run the browser tests, but {reason}", pytrace=False)
    pytest.skip(reason)


# ------------------------------------------------------------------------------------------------
# What the tests need: Chromium and Playwright
# ------------------------------------------------------------------------------------------------

def ensure_chromium() -> Path:
    """/usr/bin/chromium, installed with apt-get when we are root and it is missing."""
    if CHROMIUM.exists() and os.access(CHROMIUM, os.X_OK):
        return CHROMIUM
    if not sys.platform.startswith("linux"):
        unavailable(f"the browser tests use Debian's Chromium at {CHROMIUM}, which only exists on Linux")
    apt = shutil.which("apt-get")
    if apt is None or os.geteuid() != 0:
        unavailable(f"{CHROMIUM} is missing and installing it needs root and apt-get: "
                    "run `sudo apt-get install chromium` (or ./.ci/dev test as root)")
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    log = []
    for cmd in ([apt, "update", "-qq"], [apt, "install", "-y", "-qq", "chromium"]):
        done = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=1200)
        log.append(done.stdout + done.stderr)
        if done.returncode != 0:
            break
    if not CHROMIUM.exists():
        unavailable(f"`apt-get install chromium` did not give {CHROMIUM}:\n" + "".join(log)[-3000:])
    return CHROMIUM


def ensure_playwright():
    """The Playwright package (Python only; it never downloads a browser here)."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        done = subprocess.run([sys.executable, "-m", "pip", "install", "-q", "playwright"],
                              capture_output=True, text=True, timeout=600)
        try:
            from playwright.sync_api import sync_playwright
        except ImportError:
            unavailable("Playwright for Python is missing and `pip install playwright` failed:\n"
                        + (done.stdout + done.stderr)[-3000:])
    return sync_playwright


# ------------------------------------------------------------------------------------------------
# The browser
# ------------------------------------------------------------------------------------------------

@pytest.fixture(scope="session")
def browser():
    """One headless Chromium (Debian's) for the whole session."""
    executable = ensure_chromium()
    sync_playwright = ensure_playwright()
    playwright = sync_playwright().start()
    try:
        chromium = playwright.chromium.launch(executable_path=str(executable), headless=True,
                                              args=CHROMIUM_ARGS)
    except Exception as error:  # a broken Chromium install: say so instead of a bare traceback
        playwright.stop()
        unavailable(f"{executable} did not start under Playwright: {error}")
    try:
        yield chromium
    finally:
        chromium.close()
        playwright.stop()


@pytest.fixture(scope="session")
def screenshots() -> Path:
    """The folder for screenshots, emptied of the previous run's pictures."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    for old in SCREENSHOTS.glob("*.png"):
        old.unlink()
    return SCREENSHOTS


@pytest.fixture
def offline_pages(browser):
    """Open pages with the network off, ``offline_pages(width, height)``: offline, and every
    non-file request aborted and recorded in ``page.remote_requests``; JavaScript errors and
    console errors go to ``page.errors``. Their contexts close after the test."""
    contexts = []

    def open_page(width=1280, height=900):
        context = browser.new_context(offline=True, viewport={"width": width, "height": height})
        contexts.append(context)
        page = context.new_page()
        page.remote_requests, page.errors = [], []

        def only_files(route):
            if route.request.url.startswith("file:"):
                route.continue_()
            else:
                page.remote_requests.append(route.request.url)
                route.abort()

        context.route("**/*", only_files)
        page.on("pageerror", lambda error: page.errors.append(str(error)))
        page.on("console", lambda m: m.type == "error" and page.errors.append(m.text))
        return page

    yield open_page
    for context in contexts:
        context.close()


@pytest.fixture
def offline_page(offline_pages):
    """One offline page of 1280 × 900 (see :func:`offline_pages`)."""
    return offline_pages(1280, 900)


def pytest_configure(config):
    config.addinivalue_line("markers", "browser: drives JupyterLab or an HTML page in headless Chromium "
                                       "(deselect with -m 'not browser')")


def pytest_collection_modifyitems(config, items):
    here = Path(__file__).parent
    for item in items:
        if here in Path(item.path).parents:
            item.add_marker(pytest.mark.browser)


_SESSION_STARTED = time.time()


def pytest_terminal_summary(terminalreporter):
    pictures = [p for p in SCREENSHOTS.glob("*.png") if p.stat().st_mtime >= _SESSION_STARTED] \
        if SCREENSHOTS.is_dir() else []
    if pictures:
        terminalreporter.write_line(
            f"browser tests: {len(pictures)} screenshots in {SCREENSHOTS}")


# ------------------------------------------------------------------------------------------------
# JupyterLab
# ------------------------------------------------------------------------------------------------

def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class JupyterLab:
    """A JupyterLab server on 127.0.0.1 in its own process group, with a temporary HOME."""

    def __init__(self, root_dir: Path):
        self.root_dir = root_dir
        self.home = Path(tempfile.mkdtemp(prefix="teachgrad-lab-home-"))
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log_path = self.home / "jupyter-lab.log"
        self.process: subprocess.Popen | None = None
        self.start_seconds = 0.0

    def start(self):
        started = time.monotonic()
        settings = self.home / ".jupyter" / "lab" / "user-settings"
        for plugin, values in LAB_USER_SETTINGS.items():
            path = settings / f"{plugin}.jupyterlab-settings"
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(json.dumps(values))
        # The student's environment: no JUPYTER_* or MPLBACKEND from ours (ipykernel picks the
        # inline matplotlib backend only when MPLBACKEND is unset).
        env = {k: v for k, v in os.environ.items()
               if not k.startswith("JUPYTER") and k != "MPLBACKEND"}
        env.update(HOME=str(self.home), PYTHONUNBUFFERED="1")
        command = [
            sys.executable, "-m", "jupyter", "lab",
            "--no-browser", "--allow-root",
            "--ServerApp.ip=127.0.0.1", f"--ServerApp.port={self.port}", "--ServerApp.port_retries=0",
            "--IdentityProvider.token=", "--ServerApp.password=",
            f"--ServerApp.root_dir={self.root_dir}",
            "--LabApp.expose_app_in_browser=True",
            "--ServerApp.terminals_enabled=False",
            # JupyterLab makes a checkpoint of every notebook it opens: keep them out of the repo.
            f"--FileCheckpoints.checkpoint_dir={self.home / 'checkpoints'}",
        ]
        self._log = open(self.log_path, "wb")
        self.process = subprocess.Popen(command, cwd=self.home, env=env, stdin=subprocess.DEVNULL,
                                        stdout=self._log, stderr=subprocess.STDOUT,
                                        start_new_session=True)
        deadline = time.monotonic() + SERVER_START_TIMEOUT
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"jupyter lab exited with {self.process.returncode}:\n{self.log()}")
            try:
                with urllib.request.urlopen(f"{self.url}/api/status", timeout=2) as reply:
                    if reply.status == 200:
                        self.start_seconds = time.monotonic() - started
                        return self
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                pass
            time.sleep(0.2)
        raise RuntimeError(f"jupyter lab did not answer within {SERVER_START_TIMEOUT} s:\n{self.log()}")

    def log(self, last: int = 4000) -> str:
        try:
            return self.log_path.read_text(errors="replace")[-last:]
        except OSError:
            return ""

    def api(self, path: str, method: str = "GET"):
        request = urllib.request.Request(f"{self.url}{path}", method=method)
        with urllib.request.urlopen(request, timeout=10) as reply:
            body = reply.read()
        return json.loads(body) if body else None

    def children(self) -> list[int]:
        """The server's descendants (its kernels run in sessions of their own)."""
        parents = {}
        for stat in Path("/proc").glob("[0-9]*/stat"):
            with contextlib.suppress(OSError, ValueError, IndexError):
                fields = stat.read_text().rsplit(")", 1)[1].split()
                parents[int(stat.parent.name)] = int(fields[1])
        found, todo = [], [self.process.pid]
        while todo:
            parent = todo.pop()
            kids = [pid for pid, ppid in parents.items() if ppid == parent]
            found += kids
            todo += kids
        return found

    def stop(self):
        """Shut the kernels and the server down; whatever is left of them is killed."""
        if self.process is not None and self.process.poll() is None:
            children = self.children()
            with contextlib.suppress(Exception):
                for session in self.api("/api/sessions"):
                    self.api(f"/api/sessions/{session['id']}", method="DELETE")
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                pass
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)
            for pid in children:          # a kernel the server failed to stop
                with contextlib.suppress(OSError):
                    if b"kernel" in Path(f"/proc/{pid}/cmdline").read_bytes():
                        os.kill(pid, signal.SIGKILL)
        if getattr(self, "_log", None):
            self._log.close()
        shutil.rmtree(self.home, ignore_errors=True)


@pytest.fixture(scope="session")
def jupyter_lab():
    """JupyterLab serving the repository (lectures/ and tests/browser/fixtures/), always stopped."""
    lab = JupyterLab(REPO)
    try:
        lab.start()
    except RuntimeError as error:
        lab.stop()
        pytest.fail(str(error), pytrace=False)
    try:
        yield lab
    finally:
        lab.stop()


# ------------------------------------------------------------------------------------------------
# A notebook open in JupyterLab
# ------------------------------------------------------------------------------------------------

# JupyterLab runs with --LabApp.expose_app_in_browser=True, so `window.jupyterapp` is the
# application: its current widget is the open notebook panel, whose models say what ran.
JS_READY = """(path) => {
  const app = window.jupyterapp;
  const panel = app && app.shell.currentWidget;
  if (!panel || !panel.context || !panel.sessionContext || !panel.content) return false;
  if (panel.context.path !== path || !panel.context.isReady) return false;
  const kernel = panel.sessionContext.session && panel.sessionContext.session.kernel;
  return !!kernel && panel.sessionContext.kernelDisplayStatus === 'idle';
}"""

JS_START_RUN_ALL = """async () => {
  const app = window.jupyterapp;
  await app.commands.execute('notebook:clear-all-cell-outputs');
  // Resolves once the restart is confirmed and done; the run itself goes on after it.
  app.commands.execute('notebook:restart-run-all');
}"""

# Done: the kernel is idle, no cell is queued ([*]) and every non-empty code cell ran, or one
# failed (the kernel then drops the cells queued after it).
JS_RUN_STATE = """() => {
  const panel = window.jupyterapp.shell.currentWidget;
  const state = {status: panel.sessionContext.kernelDisplayStatus, pending: 0, queued: 0, errors: 0};
  for (const cell of panel.content.widgets) {
    if (cell.model.type !== 'code' || !cell.model.sharedModel.getSource().trim()) continue;
    const prompt = cell.node.querySelector('.jp-InputPrompt');
    if (prompt && prompt.textContent.includes('*')) state.queued++;
    if (cell.model.executionCount === null) state.pending++;
    for (const output of cell.model.outputs.toJSON())
      if (output.output_type === 'error') state.errors++;
  }
  state.done = state.status === 'idle' && state.queued === 0 && (state.pending === 0 || state.errors > 0);
  return state;
}"""

# Every sign of a failed cell: an error output, a traceback or error on stderr, a traceback in any
# rendered text (as the student sees it), a cell that never ran. Cells tagged `raises-exception`
# (or marked # NBVAL_RAISES_EXCEPTION for nbval) are meant to fail and are left out.
JS_PROBLEMS = """() => {
  const ansi = /\\x1b\\[[0-9;]*m/g;
  const panel = window.jupyterapp.shell.currentWidget;
  const problems = [];
  panel.content.widgets.forEach((cell, index) => {
    if (cell.model.type !== 'code') return;
    const source = cell.model.sharedModel.getSource();
    const tags = cell.model.getMetadata('tags') || [];
    if (tags.includes('raises-exception') || source.includes('NBVAL_RAISES_EXCEPTION')) return;
    const where = `cell ${index} (${source.trim().split('\\n')[0].slice(0, 60)})`;
    if (source.trim() && cell.model.executionCount === null)
      problems.push(`${where} did not run`);
    for (const output of cell.model.outputs.toJSON()) {
      if (output.output_type === 'error')
        problems.push(`${where} raised ${output.ename}: ${output.evalue}\\n` +
                      output.traceback.join('\\n').replace(ansi, '').slice(-1500));
      if (output.output_type === 'stream' && output.name === 'stderr') {
        const text = [].concat(output.text).join('');
        if (/Traceback|Error/.test(text)) problems.push(`${where} wrote to stderr:\\n${text.slice(-1500)}`);
      }
    }
    if (problems.some(p => p.startsWith(where))) return;   // one report per cell is enough
    for (const node of cell.node.querySelectorAll(
        '.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"], .jp-RenderedText')) {
      if (/Traceback/.test(node.textContent))
        problems.push(`${where} shows a traceback:\\n${node.textContent.slice(-1500)}`);
    }
  });
  return [...new Set(problems)];
}"""

WIDGET_MIME = "application/vnd.jupyter.widget-view+json"

# Widget outputs: how many the notebook model holds, and how each one looks in the page (a
# missing widget manager shows the text/plain fallback; a missing model shows an error text).
JS_WIDGET_STATE = """(mime) => {
  const panel = window.jupyterapp.shell.currentWidget;
  const state = {expected: 0, drawn: 0, missing: []};
  panel.content.widgets.forEach((cell, index) => {
    if (cell.model.type !== 'code') return;
    const expected = cell.model.outputs.toJSON().filter(o => o.data && o.data[mime]).length;
    const outputs = [...cell.node.querySelectorAll('.jp-OutputArea-output')];
    const drawn = outputs.filter(node => node.querySelector(':scope > .jupyter-widgets')).length;
    state.expected += expected;
    state.drawn += Math.min(drawn, expected);
    if (drawn < expected)
      state.missing.push(`cell ${index} shows: ` + outputs.map(n => n.innerText.trim().slice(0, 200)).join(' | '));
  });
  return state;
}"""


class Notebook:
    """One notebook open in its own browser page: open, run all, look for errors, close."""

    def __init__(self, context, lab: JupyterLab, path: str):
        self.lab, self.path = lab, path
        self.page = context.new_page()
        self.page.set_default_timeout(30_000)
        self.page_errors: list[str] = []
        self.console_errors: list[str] = []
        self.page.on("pageerror", lambda error: self.page_errors.append(str(error)))
        self.page.on("console", lambda m: m.type == "error" and self.console_errors.append(m.text))

    def open(self, timeout: float = 90):
        self.page.goto(f"{self.lab.url}/lab/tree/{self.path}?reset")
        try:
            self.page.wait_for_function(JS_READY, arg=self.path, timeout=timeout * 1000, polling=200)
        except Exception as error:
            dialog = self.page.locator(".jp-Dialog")
            shown = dialog.first.inner_text() if dialog.count() else "no dialog"
            raise AssertionError(
                f"{self.path} did not open with an idle kernel within {timeout} s ({shown}); "
                f"server log:\n{self.lab.log()}") from error
        return self

    def run_all(self, timeout: float = 120):
        """Restart the kernel and run all cells (accepting the restart dialog as a student does)."""
        self.page.evaluate(JS_START_RUN_ALL)
        accept = self.page.locator(".jp-Dialog .jp-mod-accept")
        with contextlib.suppress(Exception):   # no dialog when the restart is set to skip it
            accept.click(timeout=10_000)
        try:
            self.page.wait_for_function(f"({JS_RUN_STATE})().done", timeout=timeout * 1000,
                                        polling=250)
        except Exception as error:
            state = self.page.evaluate(JS_RUN_STATE)
            raise AssertionError(f"{self.path}: run-all did not finish within {timeout} s "
                                 f"(kernel {state['status']}, {state['queued']} cells queued, "
                                 f"{state['pending']} not run)") from error

    def problems(self) -> list[str]:
        return self.page.evaluate(JS_PROBLEMS)

    def wait_for_widgets(self, timeout: float = 30) -> dict:
        """Wait until every widget output the notebook holds is drawn as a widget."""
        deadline = time.monotonic() + timeout
        while True:
            state = self.page.evaluate(JS_WIDGET_STATE, WIDGET_MIME)
            if state["drawn"] == state["expected"] or time.monotonic() > deadline:
                return state
            time.sleep(0.2)

    def close(self):
        with contextlib.suppress(Exception):   # the server may already be gone
            self.page.evaluate("() => window.jupyterapp.shell.currentWidget.sessionContext.shutdown()")
        self.page.close()


@pytest.fixture(scope="session")
def lab(browser, jupyter_lab):
    """Open notebooks of the repository: ``with lab.notebook("lectures/x.ipynb") as nb: ...``.

    All pages share one browser context, so JupyterLab's scripts load from the cache after the
    first notebook.
    """
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, device_scale_factor=1)

    class Lab:
        url = jupyter_lab.url
        server = jupyter_lab

        @contextlib.contextmanager
        def notebook(self, path: str):
            notebook = Notebook(context, jupyter_lab, path)
            try:
                yield notebook.open()
            finally:
                notebook.close()

    yield Lab()
    context.close()
