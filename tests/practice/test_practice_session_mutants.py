"""A practice run as a student meets it, step by step, without Jupyter: what each answer gets
(its kind, its hint, the tries counted, the worked step offered), the score and the log a
teacher reads; the answers refused and why; and the random graphs' sizes and inputs."""

import datetime
import re

import numpy as np
import pytest

import teachgrad as tg
from teachgrad.errors import ExpressionError, UnknownNodeError
from teachgrad.practice import Practice, matches, random_graph, read_answer
from teachgrad.practice.answers import rounds_to, tokens
from teachgrad.practice.session import TEXTS, Feedback, check_practice_graph


@pytest.fixture
def product():
    return tg.trace("e = a * b", a=2, b=3)


def test_wrong_tries_are_counted_and_the_worked_step_offered_at_the_third(product):
    run = Practice(product, "reverse")
    first = run.answer("1")
    assert (first.correct, first.kind, first.tries, first.offer) == (True, "right", 0, False)
    assert first.hint == "Right: ē = 1 (seed: de/de)" and first.worked == "ē = 1 (seed: de/de)"
    assert (first.typed, first.value) == ("1", 1.0)
    fallback = ("Not quite. ā = ∂e/∂a·ē: read the partial on the edge a → e and multiply it by "
                "the adjoint of e.")
    for tries in (1, 2, 3):
        got = run.answer(" 7 ")
        assert (got.correct, got.kind, got.tries, got.offer) == (False, "unknown", tries,
                                                                  tries == 3)
        assert got.typed == "7" and got.value == 7.0 and got.worked is None
        assert got.hint == fallback + (" You can ask for the worked step now." if tries == 3
                                       else "")
    assert run.current.node == "a" and run.score == (1, 2)
    right = run.answer("3")                     # right after three wrong tries
    assert (right.correct, right.tries, right.hint) == (True, 3, "Right: ā = ∂e/∂a·ē = 3·1 = 3")
    assert run.score == (1, 2) and run.outcome[:2] == ["first", "later"]


def test_text_that_is_not_an_answer_is_refused_and_not_counted(product):
    run = Practice(product, "values")
    got = run.answer("zz")
    assert (got.correct, got.kind, got.tries, got.offer, got.value) == (False, "invalid", 0,
                                                                         False, None)
    assert got.hint == ("That is not an answer: the name 'zz' is not allowed here: only numbers "
                        "and arithmetic on them. Type a number, like 5, or a calculation, like "
                        "1*2 + 1*3.")
    assert run.wrong == [0] and run.score == (0, 0)
    long = "9+" * 30 + "x"                      # 61 characters: logged cut to 57 and "…"
    run.answer(long)
    assert run.attempts[-1].typed == long[:57] + "…" and len(run.attempts[-1].typed) == 58
    sixty = "1" * 59 + "x"                       # 60 characters: logged whole
    run.answer(sixty)
    assert run.attempts[-1].typed == sixty
    assert run.answer(6).correct and run.done


def test_a_value_rounded_to_too_few_digits_is_called_close():
    run = Practice(tg.trace("y = sin(x)", x=1.0), "values")       # y = 0.8414…
    for typed in ("0.84", "0.8"):
        got = run.answer(typed)
        assert (got.kind, got.hint) == ("round", TEXTS["round"])
        assert got.hint == ("Close — give at least 3 significant digits (or the exact "
                            "calculation).")
    assert run.answer("0.9").kind == "unknown"
    assert run.answer("0.841").correct


def test_reveal_shows_the_worked_step_and_counts_the_step_as_not_right(product):
    run = Practice(product, "reverse")
    run.answer("5")
    shown = run.reveal()
    assert (shown.correct, shown.kind, shown.typed, shown.value, shown.tries, shown.offer) == (
        False, "revealed", None, None, 1, True)
    assert shown.hint == "Worked step: ē = 1 (seed: de/de)" and shown.worked == "ē = 1 (seed: de/de)"
    assert run.current.node == "a" and run.score == (0, 1) and run.outcome[0] == "revealed"
    run.reveal()
    run.reveal()
    assert run.done and run.current is None and run.exercise is None
    assert run.score == (0, 3)
    for late in (run.answer("1"), run.reveal()):
        assert (late.correct, late.kind, late.hint) == (False, "done", "Every step is done.")
    assert len(run.attempts) == 4                # the answers after the end are not logged


def test_the_log_and_the_summary_a_teacher_reads(product):
    run = Practice(product, "reverse")
    before = datetime.datetime.now().astimezone()
    run.answer("1")
    run.answer("7")
    run.reveal()
    run.answer("3")                               # b̄ is 2: the partial by the other input
    after = datetime.datetime.now().astimezone()
    steps = [(a.step, a.node, a.question, a.typed, a.correct, a.kind) for a in run.attempts]
    assert steps == [(1, "e", "ē = de/de = ?", "1", True, "right"),
                     (2, "a", "ā = de/da = ?", "7", False, "unknown"),
                     (2, "a", "ā = de/da = ?", None, False, "revealed"),
                     (3, "b", "b̄ = de/db = ?", "3", False, "wrong-input-partial")]
    assert run.attempts[2].hint == "Worked step: ā = ∂e/∂a·ē = 3·1 = 3"
    assert all(before <= a.time <= after and a.time.tzinfo is not None for a in run.attempts)
    lines = run.summary().splitlines()
    assert lines[0] == "1 of 3 steps right at the first try; 2 of 3 done"
    assert [re.sub(r"^\d\d:\d\d:\d\d  ", "", line) for line in lines[1:]] == [
        "step 1  ē  typed '1'  right", "step 2  ā  typed '7'  unknown",
        "step 2  ā  (revealed)  revealed", "step 3  b̄  typed '3'  wrong-input-partial"]
    assert lines[1][:8] == f"{run.attempts[0].time:%H:%M:%S}"


def test_feedback_shows_its_mark_kind_and_hint():
    assert repr(Feedback(True, "Right: x", "right")) == "<Feedback ✓ right: Right: x>"
    assert repr(Feedback(False, "Not quite.", "unknown")) == "<Feedback ✗ unknown: Not quite.>"
    f = Feedback(False, "h", "k")
    assert (f.typed, f.value, f.worked, f.tries, f.offer) == (None, None, None, 0, False)


def test_the_seeds_of_each_mode_and_their_errors(product):
    assert (Practice(product, "forward").wrt, Practice(product, "forward").of) == ("a", None)
    assert Practice(product, "forward", wrt="b").steps[1].node == "b"
    assert (Practice(product, "reverse").wrt, Practice(product, "reverse").of) == (None, "e")
    assert (Practice(product, "values", wrt="b", of="e").wrt,
            Practice(product, "values", wrt="b", of="e").of) == (None, None)
    assert [s.node for s in Practice(product, "values").given] == ["a", "b"]
    assert Practice(product, "reverse").given == []
    with pytest.raises(ValueError) as e:
        Practice(product, "backward")
    assert str(e.value) == "mode 'backward' not understood: expected 'values', 'forward' or 'reverse'"
    for kw, what in (({"wrt": "z"}, "wrt 'z'"), ({"of": "q"}, "of 'q'")):
        with pytest.raises(UnknownNodeError) as e:
            Practice(product, "forward", **kw)
        assert e.value.args[0] == f"{what} is not a node of this graph: its nodes are a, b, e"


def test_a_graph_to_practise_on_is_refused_when_it_is_not_one_of_numbers():
    with pytest.raises(TypeError) as e:
        Practice("e = a * b")
    assert str(e.value) == ("expected a traced graph (teachgrad.trace(...)), got str: try "
                            "tg.trace('e = (a + b) * (b + 1)', a=2, b=1)")
    with pytest.raises(ValueError) as e:
        check_practice_graph(tg.trace("y = x * 2", x=np.ones((2, 3))))
    assert str(e.value) == ("practice needs a graph of numbers, but x is an array of shape (2, 3):"
                            " trace one with scalar inputs")
    with pytest.raises(ValueError) as e:
        Practice(tg.trace("y = log(x)", x=0.0))
    assert str(e.value) == ("y = log(x) is -inf: practice needs finite numbers at every step; "
                            "trace the graph at other inputs")
    with pytest.raises(TypeError):
        Practice(tg.trace("e = a * b", a=2, b=3)).answer([6])


# ------------------------------------------------------------------------------------------------
# answers: what is read, what is refused and the words of the refusal
# ------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("text, why", [
    ("1 # 2", "'#' is not allowed (column 3): only numbers, + - * / ** and parentheses"),
    ("1 ^ 2", "operator '^' not allowed: use + - * / or **"),
    ("[1]", "operator '[' not allowed: use + - * / or **"),
    ("'1'", "text in quotes is not a number"),
    ('"1"', "text in quotes is not a number"),
    ("2 = 2", "an assignment is not allowed here: only numbers and arithmetic on them"),
    ("1 .5 .real", "attribute access not allowed (column 6)"),
    ("1\x0b2", "'U+000B' is not allowed (column 2): only numbers, + - * / ** and parentheses"),
    ("1 1\u00a0", "'U+00A0' is not allowed (column 4): only numbers, + - * / ** and parentheses"),
    ("1_000", "the number 1 runs into the letters _000 (column 2): write numbers with digits, a "
              "point and an exponent only, like 16, 1000 or 1.5e3"),
    ("2 * 0x" + "f" * 30, "the number 0 runs into the letters xffffffffffffffffff… (column 6): "
                          "write numbers with digits, a point and an exponent only, like 16, "
                          "1000 or 1.5e3"),
])
def test_the_grammar_says_why_a_character_is_not_in_it(text, why):
    """``tokens``' reasons, the words the page's script shows for the same text."""
    with pytest.raises(ExpressionError) as e:
        tokens(text)
    assert str(e.value) == why


@pytest.mark.parametrize("text, why", [
    ("1 # 2", "'#' is not allowed (column 3): only numbers, + - * / ** and parentheses"),
    ("1 +\x0c2", "'U+000C' is not allowed (column 4): only numbers, + - * / ** and parentheses"),
    ("1 \\\n+ 2", "'\\' is not allowed (column 3): only numbers, + - * / ** and parentheses"),
    ("1 ^ 2", "operator '^' not allowed: use + - * / ** or @ (line 1, column 1)"),
    ("1_000", "the number 1 runs into the letters _000 (column 2): write numbers with digits, a "
              "point and an exponent only, like 16, 1000 or 1.5e3"),
    ("(sin)(1)", "'sin' is a function: call it, e.g. sin(2)"),
    ("(sin)(1) + (cos)(2)", "'sin' is a function: call it, e.g. sin(2)"),
    ("2 * pi", "the name 'pi' is not allowed here: only numbers and arithmetic on them"),
    ("2 * " + "x" * 50, "the name '" + "x" * 39 + "…' is not allowed here: only numbers and "
                        "arithmetic on them"),
    ("", "the answer is empty: type a number, like 5, or a calculation, like 1*2 + 1*3"),
    (" \t\n", "the answer is empty: type a number, like 5, or a calculation, like 1*2 + 1*3"),
    ("1e300 * 1e300", "1e300 * 1e300 gives inf, not a finite number"),
    ("9" * 201, "the answer is 201 characters long: type a number or a short calculation (at "
                "most 200 characters)"),
    (float("nan"), "nan is not a finite number"),
    (float("-inf"), "-inf is not a finite number"),
    (10 ** 400, "100000000000000000...0000000000000000000 is too large: a step's value is a "
                "float, at most about 1.8e308"),
])
def test_an_answer_outside_the_grammar_is_refused_with_its_reason(text, why):
    with pytest.raises(ExpressionError) as e:
        read_answer(text)
    assert str(e.value) == why


def test_the_longest_answer_and_the_tokens_read():
    assert read_answer("1" * 200).value == float("1" * 200)
    found = tokens("2**sin(.5e1), 3")
    assert found == [("number", "2", 0), ("**", "**", 1), ("name", "sin", 3), ("(", "(", 6),
                     ("number", ".5e1", 7), (")", ")", 11), (",", ",", 12),
                     ("number", "3", 14)]


@pytest.mark.parametrize("text, value, digits, half_unit", [
    ("2.50", 2.5, 3, 0.005), ("-0.0479", -0.0479, 3, 5e-5), ("100", 100.0, 3, 0.5),
    ("1.5e3", 1500.0, 2, 50.0), ("007", 7.0, 1, 0.5), (".25", 0.25, 2, 0.005),
    ("1·2 + 1·3", 5.0, None, None), ("2 × 3 − 1 ÷ 2", 5.5, None, None),
])
def test_an_answer_read_has_its_value_and_its_digits(text, value, digits, half_unit):
    got = read_answer(text)
    assert got.value == pytest.approx(value, rel=1e-15) and got.digits == digits
    assert got.half_unit == (None if half_unit is None else pytest.approx(half_unit, rel=1e-12))
    assert got.text == text.strip()
    assert repr(got) == f"<Answer {text.strip()!r} = {got.value!r}>"


def test_an_answer_matches_within_the_tolerance_or_rounded_to_three_digits():
    assert matches(read_answer("1/3"), 1 / 3)
    assert matches(read_answer("0.333"), 1 / 3) and not matches(read_answer("0.33"), 1 / 3)
    assert matches(read_answer("5.000001"), 5.0)                  # 2e-7 relative
    assert not matches(read_answer("5.0001*1"), 5.0)              # a calculation: no rounding
    assert matches(read_answer("-1.41"), -2 ** 0.5) and not matches(read_answer("-1.42"), -2 ** 0.5)
    assert matches(read_answer("0"), 1e-10) and not matches(read_answer("0*1"), 2e-9)
    assert rounds_to(read_answer("0.48"), 0.4794) and not rounds_to(read_answer("0.47"), 0.4794)
    assert rounds_to(read_answer("2.5"), 2.55) and rounds_to(read_answer("2.5"), 2.45)
    assert not rounds_to(read_answer("2.5"), 2.5501) and not rounds_to(read_answer("1*2"), 2.0)


# ------------------------------------------------------------------------------------------------
# random graphs: the number of inputs, the order of their names, the operations asked
# ------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("n_nodes, n_inputs", [(3, 1), (4, 1), (5, 2), (6, 2), (7, 3), (12, 3)])
def test_a_random_graph_has_one_input_for_three_or_four_nodes_up_to_three(n_nodes, n_inputs):
    for s in range(3):
        g = random_graph(n_nodes, seed=s)
        assert len(g.inputs) == n_inputs and len(g) == n_nodes
        assert g.inputs == list("abc"[:n_inputs])
        # the inputs are named in the order the program first uses them
        first_use = [g.source.index(x) for x in g.inputs]
        assert first_use == sorted(first_use)
        assert g.nodes == list("abcdefghijkl"[:n_nodes])


def test_a_random_graph_over_one_operation_given_as_text():
    for s in range(5):
        g = random_graph(4, ops="*", seed=s)
        assert all(g.node(n).op.name == "mul" for n in g.nodes if n not in g.inputs)
        assert "+" not in g.source and "-" not in g.source.replace("= -", "")
    assert random_graph(5, ops=["+", "-"], seed=3).source == random_graph(5, ops=("+", "-"),
                                                                           seed=3).source


def test_a_random_graphs_bad_arguments_say_what_was_expected():
    with pytest.raises(ValueError) as e:
        random_graph(2.5)
    assert str(e.value) == ("n_nodes=2.5: expected an int from 3 to 12 (inputs included), small "
                            "enough to work by hand")
    with pytest.raises(ValueError) as e:
        random_graph(5, ops=("+", "/"))
    assert str(e.value) == "ops=('+', '/'): expected some of '+', '-', '*', 'square'"
    with pytest.raises(ValueError) as e:
        random_graph(5, ops=("square",))
    assert str(e.value) == ("ops: a graph needs a two-input operation ('+', '-' or '*') so that "
                            "an input can feed two nodes")
    assert len(random_graph(np.int64(4), seed=0)) == 4


def test_numbers_given_not_typed_are_read_as_floats():
    import decimal
    import fractions
    for given, value in ((fractions.Fraction(1, 4), 0.25), (decimal.Decimal("2.5"), 2.5),
                         (np.float32(0.5), 0.5), (np.int64(3), 3.0), (-7, -7.0)):
        got = read_answer(given)
        assert got.value == value and got.text == repr(value)
    with pytest.raises(ExpressionError) as e:
        read_answer(decimal.Decimal("sNaN"))
    assert str(e.value) == "Decimal('sNaN') is not a finite number"
    for refused, kind in ((True, "bool"), (np.bool_(False), "bool"), (None, "NoneType"),
                          (1j, "complex"), (b"1", "bytes")):
        with pytest.raises(TypeError) as e:
            read_answer(refused)
        assert str(e.value) == f"an answer is a number or the text typed, not a {kind}"


def test_the_numbers_a_random_graph_adds_are_one_two_or_three():
    literals = set()
    for s in range(60):
        g = random_graph(5, ops=("+", "*"), seed=s)
        for line in g.source.splitlines():
            literals |= {int(n) for n in re.findall(r"\b\d+\b", line.split(" = ", 1)[1])}
    assert literals == {1, 2, 3}


def test_a_value_half_a_unit_away_with_float_noise_still_rounds_to_the_answer():
    """2.55e10 computed with a relative error of 1e-11 (0.255 off) is still 2.5e10 rounded to two
    digits, half way: the rule allows float noise of 1e-9 of the half unit."""
    assert rounds_to(read_answer("2.5e10"), 2.55e10 * (1 + 1e-11))
    assert not rounds_to(read_answer("2.5e10"), 2.55e10 * (1 + 1e-8))


def test_a_control_character_is_named_by_its_code_point():
    for text, code in (("1\x01", "U+0001"), ("2*\x7f", "U+007F"), ("3\u200b", "U+200B")):
        with pytest.raises(ExpressionError) as e:
            tokens(text)
        assert str(e.value) == (f"'{code}' is not allowed (column {len(text)}): only numbers, "
                                "+ - * / ** and parentheses")
