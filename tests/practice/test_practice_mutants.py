"""The practice player's edges that its other tests leave open (issue 27: these kill surviving
mutants of teachgrad/practice/answers.py and graphs.py).

- ``random_graph``'s seed fixes its graph *across versions*: a lecture or an exercise sheet that
  says "practise on ``random_graph(9, ('+', 'square'), seed=2)``" must keep showing the graph
  its text describes. The graphs below were drawn by this version; a change to how a graph is
  drawn (which node is reused, which way round an operation's inputs go, how often a number or a
  square is taken, where a value or a derivative is at its limit) changes one of them. The
  default size is 5 nodes, as documented.
- An answer's tolerance and its rounding rule include their bounds: an answer exactly
  ``ABSOLUTE`` away from 0, or a rounded answer exactly half a unit (with its float allowance)
  away, is accepted.
- The refusals quote a long name or a number cut to 40 characters, in their whole words, and
  an unknown function is refused by its whole name.
- Reverse mode asked of a node that is not the output starts from that node's seed.
"""

from decimal import Decimal
from fractions import Fraction

import pytest

import teachgrad as tg
from teachgrad.errors import ExpressionError
from teachgrad.practice import Practice, matches, random_graph, read_answer
from teachgrad.practice.answers import ABSOLUTE, rounds_to
from teachgrad.practice.graphs import MAX_DERIVATIVE, MAX_VALUE


# --- random graphs: the same seed, the same graph -------------------------------------------

# (n_nodes, ops, seed) -> (the program, the inputs' values a, b, c)
DRAWN = {
    (5, ("+", "*", "-", "square"), 1): ("c = a - b\nd = a + c\ne = square(d)", [5, 4]),
    (9, ("+", "square"), 2): ("d = square(a)\ne = d + b\nf = e + b\ng = square(f)\nh = d + c\n"
                              "i = g + h", [2, 1, 4]),
    (10, ("+", "square"), 1): ("d = a + b\ne = d + c\nf = square(e)\ng = f + b\nh = e + g\n"
                               "i = a + h\nj = i + 1", [-2, 4, 5]),
    (11, ("*", "square"), 0): ("d = square(a)\ne = a * d\nf = b * a\ng = b * f\nh = c * b\n"
                               "i = h * e\nj = g * a\nk = j * i", [-1, -2, 5]),
}


@pytest.mark.parametrize("n_nodes, ops, seed", list(DRAWN))
def test_a_seed_gives_the_same_graph_as_it_always_has(n_nodes, ops, seed):
    graph = random_graph(n_nodes, ops, seed=seed)
    source, values = DRAWN[n_nodes, ops, seed]
    assert graph.source == source
    assert [float(graph.value(x)) for x in graph.inputs] == values
    assert len(graph) == n_nodes


def test_a_random_graph_has_five_nodes_unless_told_otherwise():
    assert [len(random_graph(seed=s)) for s in range(4)] == [5, 5, 5, 5]
    assert random_graph(seed=1).source == DRAWN[5, ("+", "*", "-", "square"), 1][0]


def test_values_and_derivatives_may_reach_their_limits():
    # the limits are inclusive: these seeds' graphs have a value of exactly -60 and a
    # derivative of exactly 200 (a rule of < would draw other graphs)
    values = random_graph(10, ("+", "square"), seed=1)
    assert max(abs(float(values.value(n))) for n in values.nodes) == MAX_VALUE
    slopes = random_graph(11, ("*", "square"), seed=0)
    derivatives = [abs(s.value) for s in slopes.reverse_mode()]
    for x in slopes.inputs:
        derivatives += [abs(s.value) for s in slopes.forward_mode(x)]
    derivatives += [abs(e.value) for e in slopes.edges]
    assert max(derivatives) == MAX_DERIVATIVE


# --- answers: the bounds are included --------------------------------------------------------

def test_an_answer_exactly_the_absolute_tolerance_from_zero_matches():
    assert ABSOLUTE == 1e-9
    assert matches(read_answer("1e-9"), 0.0)
    assert matches(read_answer("-1e-9"), 0.0)
    assert not matches(read_answer("1.1e-9"), 0.0)


def test_a_rounded_answer_exactly_half_a_unit_away_still_rounds_to_the_value():
    # "1" stands for [0.5, 1.5]: half a unit is 0.5, with the float allowance 0.5·(1 + 1e-9)
    # + 1e-9 = 0.5000000015, so 1 - 0.5000000015 = 0.4999999985 exactly is at the bound
    one = read_answer("1")
    assert rounds_to(one, 0.4999999985)
    assert not rounds_to(one, 0.4999999984)
    zero = read_answer("0")
    assert rounds_to(zero, 0.5000000015) and rounds_to(zero, -0.5000000015)
    assert not rounds_to(zero, 0.5000000016)


# --- refusals quote what was wrong, cut to 40 characters -------------------------------------

def refused(answer):
    with pytest.raises(ExpressionError) as caught:
        read_answer(answer)
    return str(caught.value)


def test_a_long_name_is_quoted_cut_to_forty_characters():
    name = "a" * 41
    assert refused(name + " + 1") == (f"the name '{'a' * 39}…' is not allowed here: only numbers "
                                      "and arithmetic on them")
    assert refused("b * 2") == ("the name 'b' is not allowed here: only numbers and arithmetic "
                                "on them")
    assert refused("a" * 40) == (f"the name '{'a' * 40}' is not allowed here: only numbers and "
                                 "arithmetic on them")


def test_a_huge_number_given_is_quoted_cut_to_forty_characters():
    assert refused(10 ** 400) == ("100000000000000000...0000000000000000000 is too large: a "
                                  "step's value is a float, at most about 1.8e308")
    assert refused(-10 ** 400).startswith("-10000000000000000...0000000000000000000 is too large")


def test_a_number_given_that_is_no_finite_float_is_quoted_cut_to_forty_characters():
    # a fraction too large for a float, a NaN with a long payload: their reprs, cut at 40
    assert refused(Fraction(10 ** 400, 3)) == ("Fraction(1000000000000000000...00000000… is not "
                                               "a finite number")
    assert refused(Decimal("NaN" + "1" * 60)) == ("Decimal('NaN1111111111111111...11111111… is "
                                                  "not a finite number")
    assert refused(Decimal("-Infinity")) == "Decimal('-Infinity') is not a finite number"


def test_a_call_of_an_unknown_function_is_refused_whatever_its_letters():
    # (an unknown function name is refused as a whole: none of its letters is dropped)
    for text, name in (("X(1)", "X"), ("XX(2)", "XX"), ("Xsin(1)", "Xsin")):
        assert refused(text).startswith(f"'{name}' is not an allowed function: expected one of "
                                        "sin, cos, tan, exp, log, sqrt, square")
    assert read_answer("007 + 1").value == 8.0        # (leading zeros read as the page reads them)


def test_a_calculation_that_overflows_is_quoted_cut_to_sixty_characters():
    text = "1e308*10" + " + 0" * 20
    assert refused(text) == f"{text[:59]}… gives inf, not a finite number"
    assert refused("1e308*10") == "1e308*10 gives inf, not a finite number"


# --- the player: reverse mode from a node that is not the output -----------------------------

def test_reverse_mode_of_another_node_is_seeded_at_that_node():
    graph = tg.trace("c = a * b\nd = c + a\ne = d * d", a=2, b=3)
    run = Practice(graph, "reverse", of="d")
    assert run.of == "d"
    # ē = dd/de = 0 (d does not depend on e), d̄ = dd/dd = 1, c̄ = 1, ā = b·c̄ + d̄ = 4, b̄ = a = 2
    for typed in ("0", "1", "1", "4", "2"):
        assert run.answer(typed).correct, typed
    assert run.done and run.score == (5, 5)
