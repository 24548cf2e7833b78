"""Practice mode (issue 16), driven from Python the way the front end drives it: type into the
answer box, press Check, read the hint — and the same through ``.answer`` and ``.reveal``.

The browser half (the kernel-free page checking answers in Chromium) is in
``tests/browser/test_practice_in_browser.py``.
"""

import builtins
import datetime
import json
import re
import time
import xml.etree.ElementTree as ET

import numpy as np
import pytest

import teachgrad as tg
from teachgrad.errors import ExpressionError, UnknownNodeError
from teachgrad.practice import Practice, random_graph, read_answer

widgets = pytest.importorskip("teachgrad.widgets")
from teachgrad.practice.page import practice_html, script_json  # noqa: E402

SEED = "e = (a + b) * (b + 1)"
SVG = "{http://www.w3.org/2000/svg}"
# The seed graph at a=2, b=1: values, tangents wrt b, adjoints of e.
ANSWERS = {"values": {"c": 3, "d": 2, "e": 6},
           "forward": {"a": 0, "b": 1, "c": 1, "d": 1, "e": 5},
           "reverse": {"e": 1, "c": 2, "d": 3, "a": 2, "b": 5}}


@pytest.fixture
def seed():
    return tg.trace(SEED, a=2, b=1)


def player_at(graph, mode, node, **seeds):
    """A player in ``mode`` with every step before ``node``'s answered right."""
    player = widgets.PracticePlayer(graph, mode, **seeds)
    while player.current.node != node:
        assert player.answer(float(player.current.value)).correct
    return player


def current_nodes(svg):
    """The names of the nodes an SVG highlights as current (parsed as XML); a node's name is its
    first text (Graphviz's ids are n0, n1, …)."""
    root = ET.fromstring(svg)
    return [next(g.iter(f"{SVG}text")).text.split(" = ")[0] for g in root.iter(f"{SVG}g")
            if {"node", "tg-current"} <= set(g.get("class", "").split())]


def data_of(page):
    """The JSON the practice page's script reads."""
    script = page.split("<script>")[1].split("</script>")[0]
    return json.loads(re.search(r"var data = (\{.*?\});\n", script, re.S).group(1))


# ------------------------------------------------------------------------------------------------
# Every step right: a full score, in all three modes
# ------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("mode", ["values", "forward", "reverse"])
def test_every_step_right_gives_a_full_score(seed, mode):
    player = widgets.PracticePlayer(seed, mode, wrt="b" if mode == "forward" else None)
    asked = []
    while not player.done:
        asked.append(player.current.node)
        player.input.value = str(ANSWERS[mode][player.current.node])   # typed, then Enter
        assert player.feedback.correct, player.feedback
        assert player.feedback.hint.startswith("Right: ") and "=" in player.feedback.hint
        assert player.input.value == ""                                # ready for the next
    assert asked == list(ANSWERS[mode])            # the mode's order; values: inputs given
    assert [s.node for s in player.steps] == asked
    assert player.score == (len(asked), len(asked))
    assert all(a.correct and a.kind == "right" for a in player.attempts)
    assert player.current is None and player.check_button.disabled and player.input.disabled
    assert "All steps done" in player.question.value


def test_the_steps_are_the_graphs_own(seed):
    player = widgets.PracticePlayer(seed, "reverse")
    assert [s.text for s in player.steps] == [s.text for s in seed.reverse_mode()]
    forward = widgets.PracticePlayer(seed, "forward", wrt="b")
    assert [s.text for s in forward.steps] == [s.text for s in seed.forward_mode("b")]
    values = widgets.PracticePlayer(seed, "values")
    assert [s.text for s in values.steps] == [s.text for s in seed.value_steps()][2:]


def test_a_right_answer_reveals_the_worked_step_and_moves_on(seed):
    player = player_at(seed, "reverse", "b")
    feedback = player.answer("1*2 + 1*3")
    assert feedback.correct and feedback.worked == "b̄ = ∂c/∂b·c̄ + ∂d/∂b·d̄ = 1·2 + 1·3 = 5"
    assert "1·2 + 1·3 = 5" in player.hint.value and "tg-right" in player.hint.value
    assert player.done and "b̄ = 5" in player.svg        # the last picture, every adjoint shown


# ------------------------------------------------------------------------------------------------
# Wrong answers get a diagnosis
# ------------------------------------------------------------------------------------------------

def test_one_path_for_b_bar_names_the_missing_consumer(seed):
    player = player_at(seed, "reverse", "b")
    two = player.answer("2")                       # only the term through c
    assert not two.correct and two.kind == "missing-term"
    assert "b feeds two nodes, c and d" in two.hint and "add the one through d" in two.hint
    three = player.answer(3)                       # only the term through d
    assert three.kind == "missing-term" and "add the one through c" in three.hint
    assert "tg-wrong" in player.hint.value and "add the one through c" in player.hint.value
    assert player.current.node == "b" and player.score == (4, 5)   # still asked; not first try
    assert player.answer(5).correct and player.score == (4, 5)


@pytest.mark.parametrize("mode, node, answer, kind, words", [
    ("reverse", "b", "6", "product", "multiplied the terms, but they are added"),
    ("reverse", "b", "-5", "sign", "wrong sign"),
    ("reverse", "b", "1", "value", "value of b"),
    ("reverse", "c", "3", "wrong-input-partial", "with respect to d instead"),
    ("reverse", "c", "12", "values-for-derivatives", "not by the adjoints"),
    ("reverse", "e", "0", "seed", "The seed is not 0"),
    ("reverse", "e", "6", "value", "value of e"),
    ("reverse", "b", "7", "unknown", "edges b → c and b → d"),
    ("forward", "e", "3", "missing-term", "add the one through c"),
    ("forward", "e", "4", "wrong-input-partial", "∂e/∂d is the partial of e = c·d"),
    ("forward", "a", "1", "seed", "Only the seed b starts with tangent 1"),
    ("forward", "c", "3", "values-for-derivatives", "not by the tangents"),
    ("values", "c", "2", "op", "adds: you multiplied"),
    ("values", "e", "5", "op", "multiplies: you added"),
])
def test_common_mistakes_are_named(seed, mode, node, answer, kind, words):
    player = player_at(seed, mode, node, **({"wrt": "b"} if mode == "forward" else {}))
    feedback = player.answer(answer)
    assert not feedback.correct and feedback.kind == kind, feedback
    assert words in feedback.hint, feedback.hint


def test_mistakes_of_minus_and_square():
    g = tg.trace("c = a - b\nd = square(c)\ne = d * b", a=3, b=1)   # c=2, d=4, e=4
    values = player_at(g, "values", "c")
    assert values.answer(-2).kind == "order"                        # b - a
    assert values.answer(4).kind == "op"                            # a + b
    values.reveal()
    assert values.answer(4).correct                                 # d = square(2)
    reverse = player_at(g, "reverse", "c")                          # c̄ = 2c·d̄ = 4·1
    slip = reverse.answer(2)                                        # c·d̄: the 2 left out
    assert slip.kind == "partial-slip" and "left out the 2" in slip.hint
    assert reverse.answer(4).correct
    # b̄ = ∂c/∂b·c̄ + ∂e/∂b·ē = (-1)·4 + 4·1 = 0; dropping the minus gives 8.
    reverse = player_at(g, "reverse", "b")
    lost = reverse.answer(8)
    assert lost.kind == "term-sign" and "∂c/∂b = −1 is negative" in lost.hint
    assert reverse.answer(-3).kind == "wrong-input-partial"          # ∂e/∂d = b for ∂e/∂b


def test_three_wrong_tries_offer_the_worked_step(seed):
    player = player_at(seed, "reverse", "b")
    assert player.reveal_button.layout.display == "none"
    for k in (1, 2):
        feedback = player.answer(7)
        assert feedback.tries == k and not feedback.offer
        assert player.reveal_button.layout.display == "none"
    third = player.answer(8)
    assert third.offer and third.hint.endswith("You can ask for the worked step now.")
    assert player.reveal_button.layout.display != "none"
    player.reveal_button.click()
    assert player.done and player.feedback.kind == "revealed"
    assert "1·2 + 1·3 = 5" in player.feedback.hint
    assert player.score == (4, 5)                  # revealed: asked, not right
    assert player.attempts[-1].typed is None and player.attempts[-1].kind == "revealed"


def test_reveal_at_any_time_counts_as_not_right(seed):
    player = widgets.PracticePlayer(seed, "forward", wrt="b")
    shown = player.reveal()
    assert shown.worked == "ȧ = 0 (a does not change with b)" and player.current.node == "b"
    assert player.score == (0, 1)


# ------------------------------------------------------------------------------------------------
# What the box accepts: numbers and arithmetic of numbers, nothing else, never run
# ------------------------------------------------------------------------------------------------

def test_an_expression_answer_is_accepted(seed):
    for text in ("1*2 + 1*3", "1·2 + 1·3", " (1)*(2) + 3 ", "10/2", "sqrt(25)", "5.000"):
        assert player_at(seed, "reverse", "b").answer(text).correct, text


@pytest.mark.parametrize("text, words", [
    ("__import__('os')", "'__import__' is not an allowed function"),
    ("__import__('os').system('touch /tmp/teachgrad-practice-ran')", "attribute access"),
    ("(1).real", "attribute access not allowed"),
    ("().__class__", "attribute access not allowed"),
    ("open('x')", "'open' is not an allowed function"),
    ("b + 1", "the name 'b' is not allowed here"),
    ("x = 5", "an assignment to 'x' is not allowed here"),
    ("lambda: 5", "lambdas not allowed"),
    ("5; 6", "may only be the last line"),
    ("1/0", "not a finite number"),
    ("", "the answer is empty"),
    ("x" * 100_000, "100000 characters long"),
    ("9" * 201, "201 characters long"),
])
def test_hostile_text_is_refused_without_running_anything(seed, monkeypatch, tmp_path, text,
                                                          words):
    def forbidden(*args, **kwargs):
        raise AssertionError("eval/exec/compile-to-run must never be called")
    monkeypatch.setattr(builtins, "eval", forbidden)
    monkeypatch.setattr(builtins, "exec", forbidden)
    player = player_at(seed, "reverse", "b")
    started = time.perf_counter()
    player.input.value = text
    player.check_button.click()
    feedback = player.feedback if text else player.answer(text)
    assert time.perf_counter() - started < 0.5
    assert not feedback.correct and feedback.kind == "invalid"
    assert feedback.hint.startswith("That is not an answer: ") and words in feedback.hint
    assert "Type a number" in feedback.hint and "tg-invalid" in player.hint.value
    assert feedback.tries == 0 and player.score == (4, 4)      # not counted as a try
    assert not (tmp_path / "teachgrad-practice-ran").exists()
    assert len(player.hint.value) < 2000                       # huge text is not echoed back


def test_check_after_enter_counts_one_try(seed):
    player = player_at(seed, "reverse", "b")
    player.input.value = "2"             # Enter (or leaving the box) sends the text ...
    player.check_button.click()          # ... and the click that follows sends it again
    assert player.score == (4, 5) and [a.typed for a in player.attempts[-1:]] == ["2"]
    assert len([a for a in player.attempts if a.node == "b"]) == 1


def test_tolerance_and_rounding():
    g = tg.trace("y = sin(x)", x=0.5)            # y = 0.479425538604203
    exact = float(g.value("y"))
    for text in ("0.479", "0.4794", "0.47943", str(exact), "sin(0.5)", repr(exact * (1 + 1e-7))):
        assert Practice(g, "values").answer(text).correct, text
    close = Practice(g, "values").answer("0.48")
    assert close.kind == "round" and "3 significant digits" in close.hint
    for text in ("0.478", "0.4795", repr(exact * (1 + 1e-5)), "0.5"):
        assert not Practice(g, "values").answer(text).correct, text
    assert read_answer("2.50").digits == 3 and read_answer("1*2").digits is None
    with pytest.raises(TypeError, match="a number or the text typed"):
        read_answer(True)
    with pytest.raises(ExpressionError, match="finite"):
        read_answer(float("nan"))


# ------------------------------------------------------------------------------------------------
# The picture hides the asked value; the table and the log
# ------------------------------------------------------------------------------------------------

def test_the_picture_hides_the_value_asked(seed):
    player = player_at(seed, "reverse", "c")
    assert "c̄ = ?" in player.svg and "c̄ = 2" not in player.svg
    assert "step 2 of 5: &#160;c̄ = ?" in player.svg
    assert "2·1 = 2" not in player.svg                           # the caption does not tell
    assert current_nodes(player.svg) == ["c"]
    assert 'data-node="c" style="background' in player.table.value    # its row highlighted
    player.answer(2)
    assert "c̄ = 2" in player.svg and "d̄ = ?" in player.svg
    values = player_at(seed, "values", "c")
    assert "c = a + b = ?" in values.svg and "= 3" not in values.svg


def test_the_attempts_log_is_readable(seed):
    player = player_at(seed, "reverse", "b")
    player.answer("2")
    player.answer("<b>5</b>")
    player.answer("5")
    log = player.attempts
    assert [(a.step, a.node, a.typed, a.correct, a.kind) for a in log[-3:]] == [
        (5, "b", "2", False, "missing-term"), (5, "b", "<b>5</b>", False, "invalid"),
        (5, "b", "5", True, "right")]
    assert all(isinstance(a.time, datetime.datetime) and a.time.tzinfo for a in log)
    assert log[-1].question == "b̄ = de/db = ?"
    text = player.summary()
    assert text.startswith("4 of 5 steps right at the first try; 5 of 5 done")
    assert "  step 5  b̄  typed '2'  missing-term\n" in text


def test_user_text_is_escaped_in_the_widget(seed):
    player = player_at(seed, "reverse", "b")
    assert player.answer("<script>alert(1)</script>").kind == "invalid"
    assert "<script" not in player.hint.value and "alert" not in player.hint.value
    player.answer("1/0")                          # the hint quotes the text typed: escaped
    assert "1/0 gives inf" in player.hint.value
    assert "<script" not in widgets.PracticePlayer(tg.trace("y = α * 2", α=1)).title.value


# ------------------------------------------------------------------------------------------------
# New graphs, construction errors
# ------------------------------------------------------------------------------------------------

def test_new_graph_starts_an_exercise_on_a_random_graph(seed):
    player = widgets.PracticePlayer(seed, "reverse", seed=11)
    player.answer(1)
    player.new_button.click()
    assert player.seed is not None and player.graph.source != SEED and len(player.graph) == 5
    assert player.graph.source == random_graph(5, seed=player.seed).source
    assert player.score == (0, 0) and player.current.kind == "seed" and player.feedback is None
    assert f"seed {player.seed}" in player.score_label.value
    again = widgets.PracticePlayer(seed, "reverse", seed=11)
    again.new_graph()
    assert again.graph.source == player.graph.source          # the player's seed fixes them
    while not player.done:                                     # a random graph can be done
        assert player.answer(float(player.current.value)).correct
    random_player = widgets.PracticePlayer.random(n_nodes=6, mode="values", seed=3)
    assert random_player.seed == 3 and len(random_player.graph) == 6


def test_bad_arguments_say_what_was_expected(seed):
    with pytest.raises(TypeError, match="traced graph"):
        widgets.PracticePlayer(SEED)
    with pytest.raises(ValueError, match="mode 'sideways'"):
        widgets.PracticePlayer(seed, "sideways")
    with pytest.raises(UnknownNodeError, match="wrt 'z'"):
        widgets.PracticePlayer(seed, "forward", wrt="z")
    with pytest.raises(ValueError, match="graph of numbers"):
        widgets.PracticePlayer(tg.trace("y = x * 2", x=np.ones(3)))
    with pytest.raises(ValueError, match="finite numbers"):
        widgets.PracticePlayer(tg.trace("y = log(x)", x=0.0), "values")
    done = player_at(seed, "values", "e")
    done.answer(6)
    assert done.answer(6).kind == "done" and done.reveal().kind == "done"
    with pytest.raises(TypeError):
        done.answer([6])


# ------------------------------------------------------------------------------------------------
# The kernel-free page (its checking runs in tests/browser/test_practice_in_browser.py)
# ------------------------------------------------------------------------------------------------

def test_the_page_embeds_the_steps_and_their_diagnoses(seed):
    player = widgets.PracticePlayer(seed, "reverse")
    page = player.to_html()
    assert page.startswith("<!DOCTYPE html>") and page == player.to_html()   # deterministic
    for cls in ("tg-practice", "tg-practice-input", "tg-practice-check", "tg-practice-hint",
                "tg-practice-reveal", "tg-practice-question", "tg-practice-score"):
        assert f'class="{cls}"' in page or f'class="{cls} ' in page, cls
    assert page.count('class="tg-practice-frame"') == 6
    data = data_of(page)
    run = Practice(seed, "reverse")
    assert [s["question"] for s in data["steps"]] == [x.question for x in run.exercises]
    assert [s["value"] for s in data["steps"]] == [1.0, 2.0, 3.0, 2.0, 5.0]
    b_bar = data["steps"][-1]
    assert [c[0] for c in b_bar["candidates"]] == [c.value for c in run.exercises[-1].candidates]
    assert any(c[0] == 2.0 and "add the one through d" in c[2] for c in b_bar["candidates"])
    assert "http://" not in page.replace("http://www.w3.org", "") and "https://" not in page
    shown = player.static()
    assert shown.data.startswith('<div class="tg-practice"')


def test_the_page_escapes_user_text(seed):
    page = practice_html(seed, "values", title="<img src=x onerror=alert(1)>")
    assert "<img src=x" not in page and "&lt;img src=x onerror=alert(1)&gt;" in page
    script = page.split("<script>")[1].split("</script>")[0]
    json_part = script[script.index("var data = "):]
    json_part = json_part[:json_part.index("\n")]
    assert "<" not in json_part and ">" not in json_part
    assert script_json("</script><!--&") == '"\\u003c/script\\u003e\\u003c!--\\u0026"'
    assert json.loads(script_json({"x": "</script>"})) == {"x": "</script>"}
