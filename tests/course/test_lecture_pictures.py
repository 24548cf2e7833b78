"""Pictures the lectures draw: a backward graph without second-order edge labels."""

import json
from pathlib import Path

import teachgrad as tg

LECTURES = Path(__file__).resolve().parents[2] / "lectures"


def backward_graph():
    a = tg.placeholder(tg.float32, shape=[], name="a")
    b = tg.placeholder(tg.float32, shape=[], name="b")
    c = tg.add(a, b, name="c")
    d = tg.add(b, 1.0, name="d")
    e = tg.multiply(c, d, name="e")
    grads = tg.gradients(e, [a, b], name="grad")
    return tg.trace(grads, feed_dict={c: 3.0, d: 2.0})


def test_a_program_graph_drawn_without_edge_labels_has_no_partials():
    graph = backward_graph()
    assert "∂grad/mul_1/∂grad/Const" in graph.to_dot().source       # what L3 used to show
    bare = graph.to_dot(edge_labels=False).source
    assert "∂" not in bare
    assert bare.count("->") == graph.to_dot().source.count("->")      # the same arrows
    assert "= 5" in bare                                               # values stay in the nodes


def test_lecture_3_draws_the_backward_graph_without_second_order_labels():
    nb = json.loads((LECTURES / "03-build-then-run.ipynb").read_text(encoding="utf-8"))
    cell = next(c for c in nb["cells"] if c["cell_type"] == "code"
                and 'tf.gradients(e, [a, b], name="grad")' in "".join(c["source"]))
    svg = "".join(cell["outputs"][0]["data"]["image/svg+xml"])
    assert "∂" not in svg and "add" in svg


def test_derivative_explorer_takes_its_labels_as_arguments():
    import pytest
    pytest.importorskip("ipywidgets")
    pytest.importorskip("matplotlib")
    ex = tg.widgets.DerivativeExplorer(
        lambda b: (2 + b) * (b + 1), x=(-1, 3), orders=(0,), point=1.0,
        labels=["e = (2 + b)(b + 1)"], tangent_label="tangent line: its slope is ∂e/∂b",
        xlabel="b   (a held at 2)", ylabel="e")
    assert ex.ax.get_legend_handles_labels()[1] == ["e = (2 + b)(b + 1)",
                                                    "tangent line: its slope is ∂e/∂b"]
    assert (ex.ax.get_xlabel(), ex.ax.get_ylabel()) == ("b   (a held at 2)", "e")
    assert ex.slope == 5.0 and ex.value == 6.0          # e = 6 and ∂e/∂b = 5 at b = 1
    assert ex.ax.get_legend().get_texts()[1].get_text().startswith("tangent line")
