"""The diagnoses in the cases the three graphs of test_mistakes.py do not reach (issue 27's
survivors of practice/mistakes.py): a node the seed does not depend on, a square whose derivative
2x is not its value, a node with more consumers than the hints spell out, a two-argument op with
no known slips, an overflowing mistake, a mistake the answer checker would call right, the
exercises of some steps only, and the plain data the browser page embeds."""

import teachgrad as tg
from teachgrad.practice.answers import matches, read_answer
from teachgrad.practice.mistakes import Candidate, exercises


def test_reverse_mode_from_an_inner_node_asks_about_that_node_and_names_the_nodes_it_skips():
    g = tg.trace("e = (a + b) * (b + 1)", a=2, b=1)
    by_node = {x.step.node: x for x in exercises(g, "reverse", g.reverse_mode(of="c"))}
    e_bar = by_node["e"]        # c does not depend on e: its adjoint is 0
    assert (e_bar.question, e_bar.value) == ("ē = dc/de = ?", 0.0)
    assert e_bar.candidates == [
        Candidate(6.0, "value", "That is the value of e, 6; asked is its adjoint ē = dc/de."),
        Candidate(1.0, "seed", "Only the seed c starts with adjoint 1: is there a path from e "
                               "to c?")]
    assert e_bar.fallback == "ē = dc/de: follow the edges out of e — do any of them lead to c?"
    assert by_node["c"].question == "c̄ = dc/dc = ?"
    assert by_node["a"].question == "ā = dc/da = ?" and by_node["a"].value == 1.0


def test_asked_steps_only_get_exercises_but_their_hints_use_every_step():
    g = tg.trace("e = (a + b) * (b + 1)", a=2, b=1)
    steps = g.reverse_mode()
    [b_bar] = exercises(g, "reverse", steps, asked=steps[-1:])
    assert (b_bar.question, b_bar.value) == ("b̄ = de/db = ?", 5.0)
    assert [c.value for c in b_bar.candidates][:3] == [3.0, 2.0, 6.0]


def test_the_value_of_a_square_knows_two_x_and_x():
    g = tg.trace("y = square(x)", x=3)
    y = exercises(g, "values", g.value_steps())[-1]
    assert (y.question, y.value) == ("y = x² = ?", 9.0)
    assert y.candidates == [
        Candidate(6.0, "derivative", "square(x) = x·x; 2·x is its derivative, not its value."),
        Candidate(3.0, "op", "square(x) multiplies x by itself."),
        Candidate(-9.0, "sign", "Right size, wrong sign: check the signs of the numbers you "
                                "put in.")]


def test_a_node_with_six_consumers_says_six():
    g = tg.trace("y = x*1 + x*2 + x*3 + x*4 + x*5 + x*6", x=3)
    x_bar = exercises(g, "reverse", g.reverse_mode())[-1]
    assert x_bar.candidates[0].hint.startswith(
        "x feeds 6 nodes, a, b, d, f, h and j: its adjoint x̄ sums one term per consumer, ")
    five = tg.trace("y = x*1 + x*2 + x*3 + x*4 + x*5", x=3)
    assert exercises(five, "reverse", five.reverse_mode())[-1].candidates[0].hint.startswith(
        "x feeds five nodes, a, b, d, f and h:")


def test_a_two_argument_op_without_known_slips_still_has_the_sign_slip():
    for source, question, value in (("y = a ** b", "y = a^b = ?", 8.0),
                                    ("y = maximum(a, b)", "y = max(a, b) = ?", 3.0)):
        g = tg.trace(source, a=2, b=3)
        y = exercises(g, "values", g.value_steps())[-1]
        assert (y.question, y.value) == (question, value)
        assert [(c.kind, c.value) for c in y.candidates] == [("sign", -value)]


def test_an_overflowing_mistake_is_dropped_and_the_ones_after_it_kept():
    g = tg.trace("e = x * y + x * z", x=1, y=1e200, z=1e200)
    x_bar = exercises(g, "reverse", g.reverse_mode())[-3]
    assert (x_bar.question, x_bar.value) == ("x̄ = de/dx = ?", 2e200)
    # the terms multiplied give 1e400 = inf: left out; the mistakes after it stay
    assert [(c.kind, c.value) for c in x_bar.candidates] == [
        ("missing-term", 1e200), ("sign", -2e200), ("no-partial", 2.0), ("value", 1.0)]


def test_a_mistake_the_answer_checker_accepts_is_not_listed():
    g = tg.trace("y = a + b", a=1e-9, b=0.0)
    y = exercises(g, "values", g.value_steps())[-1]
    # a·b = 0 is within the checker's tolerance of 1e-9 (exactly at it): 0 is a right answer
    assert matches(read_answer("0"), y.value)
    assert [(c.kind, c.value) for c in y.candidates] == [("sign", -1e-9)]


def test_the_data_the_practice_page_embeds():
    g = tg.trace("e = a * b", a=2, b=3)
    e = exercises(g, "values", g.value_steps())[-1]
    assert e.as_dict() == {
        "index": 2, "node": "e", "question": "e = a·b = ?", "value": 6.0,
        "worked": "e = a·b = 2·3 = 6",
        "fallback": "e = a·b: put in the values of a and b (on the nodes) and compute.",
        "candidates": [[5.0, "op", "e = a·b multiplies: you added."],
                       [-1.0, "op", "e = a·b multiplies: you subtracted."],
                       [-6.0, "sign", ("Right size, wrong sign: check the signs of the "
                                       "numbers you put in.")]]}
