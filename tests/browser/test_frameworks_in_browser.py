"""A PyTorch-traced graph played in JupyterLab: the notebook is written at test time into a
temporary folder the server sees (tests/artifacts/, never lectures/), run top to bottom in
headless Chromium, and its PropagationPlayer played to the end with the Play button."""

import json
import shutil
import tempfile

import pytest

from .conftest import REPO, in_ci

CELLS = [
    "import teachgrad as tg\n"
    "from teachgrad.frameworks import trace_torch\n"
    "\n"
    "def seed(a, b):\n"
    "    return (a + b) * (b + 1)\n"
    "\n"
    "graph = trace_torch(seed, 2.0, 1.0)\n"
    "graph",
    "player = tg.widgets.PropagationPlayer(graph, mode='reverse', interval=150)\n"
    "player",
]

JS_PLAYER = """(root) => ({
  text: root.innerText,
  svg: (root.querySelector('svg') || {}).textContent || '',
})"""


@pytest.fixture
def notebook_path():
    try:
        import torch  # noqa: F401
    except ImportError:
        if in_ci():
            raise
        pytest.skip("PyTorch is not installed (CI installs it: .ci/dev)")
    artifacts = REPO / "tests" / "artifacts"
    artifacts.mkdir(parents=True, exist_ok=True)
    folder = tempfile.mkdtemp(prefix="frameworks-", dir=artifacts)
    notebook = {"cells": [{"cell_type": "code", "execution_count": None, "metadata": {},
                           "outputs": [], "source": source} for source in CELLS],
                "metadata": {"kernelspec": {"display_name": "Python 3 (ipykernel)",
                                            "language": "python", "name": "python3"},
                             "language_info": {"name": "python"}},
                "nbformat": 4, "nbformat_minor": 5}
    path = f"{folder}/torch_player.ipynb"
    with open(path, "w", encoding="utf-8") as f:
        json.dump(notebook, f)
    yield str(REPO.joinpath(path).relative_to(REPO))
    shutil.rmtree(folder, ignore_errors=True)


@pytest.mark.timeout(300)
def test_a_pytorch_graph_plays_in_jupyterlab(lab, screenshots, notebook_path):
    with lab.notebook(notebook_path) as nb:
        nb.run_all()
        assert not nb.problems(), nb.problems()
        assert nb.wait_for_widgets()["drawn"] == 1
        page = nb.page
        root = page.locator(".tg-player").first
        assert root.locator("svg g.node").count() == 5      # PyTorch's seed graph: a, b, c, d, e
        root.locator(".widget-play button").first.click()
        page.wait_for_function(
            f"(root) => ({JS_PLAYER})(root).text.includes('step 5 of 5')",
            arg=root.element_handle(), timeout=30_000)
        state = root.evaluate(JS_PLAYER)
        assert "b̄ = ∂c/∂b·c̄ + ∂d/∂b·d̄ = 1·2 + 1·3 = 5" in state["text"], state["text"]
        assert "b̄ = 5" in state["svg"] and "ā = 2" in state["svg"], state["svg"]
        root.screenshot(path=screenshots / "frameworks-torch-player.png")
        assert not nb.page_errors, nb.page_errors
