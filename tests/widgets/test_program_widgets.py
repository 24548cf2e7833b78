"""The widgets on a TensorFlow-1 program's graph: the reverse player on the hinge model and the
program explorer opening and closing scopes, driven from Python."""

import html
import re

import numpy as np
import pytest

import teachgrad as tg

pytest.importorskip("teachgrad.widgets")

from teachgrad.errors import UnknownNodeError  # noqa: E402
from tests.teaching.test_program_trace import edge_labels, hinge  # noqa: E402,F401


def test_the_reverse_player_on_the_hinge_model_shows_shapes_on_every_edge(hinge):
    g = tg.trace(hinge.loss, feed_dict=hinge.feed, session=hinge.session())
    player = tg.widgets.PropagationPlayer(g, mode="reverse")
    assert player.n_steps == len(g)
    for k in (1, 6, player.n_steps):
        player.step = k
        labels = edge_labels(player.svg)
        assert len(labels) == len(g.edges)
        assert all(re.fullmatch(r"\d+×\d+|scalar", t) for t in labels), labels
    shown = html.unescape(player.svg).replace("\xa0", " ")
    assert "W̄ = shape (2, 1)  [−0.375, −0.625]" in shown and "b̄ = 0.25" in shown
    assert player.step_text.startswith("step 12 of 12: model/b̄ = Σ(model/add̄)")
    assert "dMean/d(model/W) = model/W̄ = shape (2, 1)  [−0.375, −0.625], " \
           "dMean/d(model/b) = model/b̄ = 0.25." in player.caption.value
    assert "the program fetching Mean at data=[4×2]" in repr(player)
    player.sliders["model/b"].value = 0.6            # the variable's slider re-traces
    assert np.isclose(player.graph.value("model/b"), 0.6)
    page = player.to_html()
    assert page.count('class="tg-frame"') == player.n_steps + 1 and "tg&#45;scope" in page


def test_the_program_explorer_opens_and_closes_scopes_from_python():
    x = tg.placeholder(tg.float32, shape=(None, 2), name="x")
    with tg.name_scope("encoder"):
        h = x
        for _ in range(8):
            h = tg.sigmoid(h * 3.0)          # 3 ops a turn: 24
    with tg.name_scope("head"):
        y = tg.reduce_sum(h)
    explorer = tg.widgets.ProgramExplorer(y)
    assert explorer.collapsed == ("encoder",)
    assert list(explorer.buttons) == ["encoder", "head"]
    assert explorer.buttons["encoder"].description == "▸ encoder (24)"
    assert explorer.svg.count("tg&#45;scope&#45;box") == 1
    explorer.expand("encoder")
    assert explorer.collapsed == () and explorer.buttons["encoder"].description == "▾ encoder (24)"
    assert explorer.svg.count('class="cluster') == 2 and "tg&#45;scope&#45;box" not in explorer.svg
    explorer.buttons["head"].click()                # a click on "▾ head"
    assert explorer.collapsed == ("head",) and "▸ head (1)" == explorer.buttons["head"].description
    explorer.toggle("head")
    explorer.close_all.click()
    assert explorer.collapsed == ("encoder", "head")
    explorer.open_all.click()
    assert explorer.collapsed == ()
    explorer.collapsed = ["encoder"]
    assert explorer.svg == explorer.graph.svg() and "24 ops" in explorer.svg
    assert explorer.to_html().startswith("<!DOCTYPE html>") and "24 ops" in explorer.to_html()
    with pytest.raises(UnknownNodeError):
        explorer.expand("decoder")
    with pytest.raises(TypeError, match="graph of a TF-1 program"):
        tg.widgets.ProgramExplorer(tg.trace("e = a * b", a=1, b=2))
