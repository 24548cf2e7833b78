"""Everything that works on a teaching graph works on a framework's: the players, the path
explorer, practice, the static HTML export and the pictures — and without the framework, a
one-line error says what to install."""

import subprocess
import sys

import pytest

from teachgrad.frameworks import gradient_graph, trace_jax, trace_torch
from .test_seed_and_hinge import seed


def test_players_and_exports_work_on_a_torch_graph(torch, tmp_path):
    widgets = pytest.importorskip("teachgrad.widgets")
    import teachgrad as tg
    g = trace_torch(seed, 2.0, 1.0)
    player = widgets.PropagationPlayer(g, mode="reverse")
    player.step = player.n_steps
    assert player.step_text == "step 5 of 5: b̄ = ∂c/∂b·c̄ + ∂d/∂b·d̄ = 1·2 + 1·3 = 5"
    player.sliders["b"].value = 2.0                 # PyTorch traces the function again
    assert float(player.graph.value("e")) == 12.0
    paths = widgets.PathExplorer(g, "b", "e")
    assert paths.n_paths == 2
    practice = widgets.PracticePlayer(g, mode="reverse")
    assert practice.answer(1).correct and practice.answer(2).correct
    assert "<svg" in practice.to_html()
    out = tmp_path / "seed.html"
    tg.render.write(g, str(out), mode="reverse")
    assert "<svg" in out.read_text(encoding="utf-8")
    tg.render.write(g, str(tmp_path / "seed.png"))
    assert (tmp_path / "seed.png").read_bytes()[:4] == b"\x89PNG"


def test_players_work_on_a_jax_graph_and_a_gradient_program(jax):
    widgets = pytest.importorskip("teachgrad.widgets")
    g = trace_jax(seed, 2.0, 1.0)
    player = widgets.PropagationPlayer(g, mode="forward", wrt="b")
    player.step = player.n_steps
    assert player.step_text.endswith("= 2·1 + 3·1 = 5")
    program = gradient_graph(seed, 2.0, 1.0)
    reverse = widgets.PropagationPlayer(program, mode="reverse", of="e")
    assert reverse.n_steps == len(program)
    assert widgets.ProgramExplorer(program).scopes == {"gradients": 5}


def test_a_grad_fn_graph_plays_without_sliders_moving_it(torch):
    widgets = pytest.importorskip("teachgrad.widgets")
    a = torch.tensor(2.0, requires_grad=True)
    g = trace_torch(a * a)
    player = widgets.PropagationPlayer(g, mode="reverse", sliders=False)
    player.step = player.n_steps
    assert player.step_text == "step 2 of 2: ā = ∂b/∂a·b̄ = 4·1 = 4"


@pytest.mark.parametrize("module, call", [
    ("jax", "trace_jax(lambda x: x, 1.0)"),
    ("torch", "trace_torch(lambda x: x, 1.0)"),
    ("jax", "gradient_graph(lambda x: x, 1.0)"),
])
def test_without_the_framework_a_one_line_error_says_what_to_install(module, call):
    code = (f"import sys; sys.modules[{module!r}] = None\n"
            "from teachgrad.frameworks import trace_jax, trace_torch, gradient_graph\n"
            f"{call}\n")
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert run.returncode == 1
    last = run.stderr.strip().splitlines()[-1]
    assert last.startswith("ModuleNotFoundError: teachgrad.frameworks needs " + module)
    assert "pip install" in last and (module != "torch" or "CPU" in last)


def test_importing_teachgrad_loads_no_framework():
    code = ("import sys, teachgrad, teachgrad.frameworks\n"
            "print(sorted(m for m in ('jax', 'torch') if m in sys.modules))")
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert run.stdout.strip() == "[]"
