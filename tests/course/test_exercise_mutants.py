"""The exercise checks in the cases the lecture notebooks do not reach (issue 27's survivors of
course/exercises.py and course/engine_graphs.py): a wrong answer is refused with its hint, a
right one accepted with its words, in every check — numbers to some places, texts, expressions,
per-student variants and lecture 5's engine."""

import warnings
from decimal import Decimal

import numpy as np
import pytest

from teachgrad.course import exercises as ex

PTS = [{"a": 2.0, "b": 1.0}, {"a": -1.0, "b": 0.5}]
SEED = "e = (a + b) * (b + 1)"


# --- numbers to some places: half a unit either way, never more ---------------------------------

def test_an_answer_more_than_half_a_unit_away_is_refused():
    k315 = ex.key(3.15, places=2)
    # 3.1401 and 3.1416 are 3.14 to two places; 3.15 is 0.0084 and more away (it was accepted)
    for answer in (3.1401, 3.1416, 3.14):
        assert ex.check_number(answer, k315, places=2).message == f"{answer} is not it."
    assert ex.check_number(3.1416, ex.key(3.14, places=2), places=2)
    assert ex.check_number(3.155, k315, places=2)            # half a unit: both 3.15 and 3.16
    assert ex.check_number(3.155, ex.key(3.16, places=2), places=2)
    assert ex.check_number(0.25, ex.key(0.2, places=1), places=1)   # one decimal too
    assert ex.check_number(0.25, ex.key(0.3, places=1), places=1)
    assert not ex.check_number(0.24, ex.key(0.3, places=1), places=1)
    assert ex.check_number(1.7e308, ex.key(1.7e308, places=2), places=2)


def test_a_number_is_echoed_as_written_and_shortened_to_forty_characters():
    assert ex.check_number(Decimal("2.50"), ex.key(3, places=1), places=1).message == \
        "2.50 is not it."
    long = " 1.0000000000000000000000000000000000000000000000000001"
    assert ex.check_number(long, ex.key(3, places=2), places=2).message == \
        "1.0000000000000000000000000000000000000… is not it."


def test_a_list_is_echoed_in_its_own_brackets_shortened_to_sixty_characters():
    said = ex.check_number(tuple(range(40)), ex.key([1, 2]),
                           hints={ex.key(list(range(40))): "too many."})
    assert said.message == ("(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, …: "
                            "too many.")


def test_an_explanation_that_is_not_a_seal_is_not_shown():
    assert repr(ex.check_number(5, ex.key(5), explain=5)) == "right — 5."
    assert repr(ex.check_number(5, ex.key(5), explain="five")) == "right — 5."


def test_keys_and_seals_made_once_keep_working():
    # written into handouts: the same answer must keep its key, and a seal keep opening
    assert ex.key(5) == "k1:c5fe981f85bcf32c0ba33b65"
    assert ex.key("e = a * b", points=[{"a": 1.0, "b": 2.0}]) == "k1:d65da1e167021d1f3d4523b3"
    assert ex.key(SEED, points=PTS) == "k1:721871a79a3836554ad8fc33"
    stored = "s1:RfQuus56SNmUAmOfdt7EEYyPO1u+UH0o/jNI/7KfN8RAlg6OTfudUKUzrt9N6EFlaByV"
    assert repr(ex.check_number(5, ex.key(5), explain=stored)) == \
        "right — five nodes: a, b, c, d and e; the inputs count."
    long = "x" * 100                                  # longer than one block of the stream
    assert repr(ex.check_text("Yes", ex.key("yes"), explain=ex.seal("yes", long))) == \
        "right — " + long


# --- texts -------------------------------------------------------------------------------------

def test_a_text_check_says_what_is_wrong():
    k = ex.key("reverse", exercise="L2.3")
    assert repr(ex.check_text("forward", k)) == "not yet — forward is not it."
    assert repr(ex.check_text("forward", k, hint="which one starts at the output?")) == \
        "not yet — forward: which one starts at the output?"
    assert repr(ex.check_text(..., k)) == \
        "not yet — answer is still ...: replace the ... with your answer (a word)."
    assert repr(ex.check_text(3, k)) == "not yet — answer should be a word in quotes, got 3."
    with pytest.raises(ValueError, match="the explanation was made for exercise L9.9"):
        ex.check_text("reverse", k, explain=ex.seal("reverse", "x", exercise="L9.9"))
    assert ex.check_text("−1 step", ex.key("-1 step"))            # a typeset minus is a minus


# --- expressions -------------------------------------------------------------------------------

def test_an_expression_check_accepts_renamed_inputs_and_says_so():
    k = ex.key(SEED, points=PTS)
    assert repr(ex.check_expression("e = (u + v) * (v + 1)", k, PTS)) == (
        "right — the same values and derivatives at 2 points (your u, v stand for a, b).")
    assert repr(ex.check_expression("e = (b + a) * (b + 1)", k, PTS)) == \
        "right — the same values and derivatives at 2 points."
    assert repr(ex.check_expression(SEED, k, PTS, operations=3)) == \
        "right — the same values and derivatives at 2 points, with 3 operations."


def test_an_expression_check_names_the_inputs_it_cannot_match():
    k = ex.key(SEED, points=PTS)
    assert repr(ex.check_expression("e = (a + b + c) * (b + 1)", k, PTS)) == \
        "not yet — your text reads the inputs a, b, c; the exercise's inputs are a, b."
    assert repr(ex.check_expression("e = 3", k, PTS)) == \
        "not yet — your text reads the inputs (none); the exercise's inputs are a, b."


def test_an_expression_check_refuses_what_is_not_an_expression():
    k = ex.key(SEED, points=PTS)
    assert repr(ex.check_expression(..., k, PTS)) == ("not yet — answer is still ...: replace "
                                                      "the ... with your answer (the text of an "
                                                      "expression, in quotes).")
    assert repr(ex.check_expression(5, k, PTS, name="answer_3")) == \
        "not yet — answer_3 should be the text of an expression in quotes, got 5."


def test_an_expression_check_gives_the_value_and_the_hint_of_a_wrong_answer():
    k = ex.key(SEED, points=PTS, exercise="L2.1")
    wrong = "not yet — at a = 2, b = 1 your text gives 2"
    assert repr(ex.check_expression("e = a * b", k, PTS)) == \
        wrong + ", not the expression asked for."
    assert repr(ex.check_expression("e = a * b", k, PTS, hint="mind the plus.")) == \
        wrong + ": mind the plus."
    hints = {ex.key("e = b * a", points=PTS, exercise="L2.1"): "a product is not it."}
    assert repr(ex.check_expression("e = a * b", k, PTS, hints=hints)) == \
        wrong + ": a product is not it."
    assert ex.check_expression(SEED, k, PTS, hints=hints)      # the same exercise's hints


def test_an_expression_check_opens_its_seal_and_refuses_another_exercises():
    k = ex.key(SEED, points=PTS, exercise="L2.1")
    sealed = ex.seal(SEED, "opened.", points=PTS, exercise="L2.1")
    assert repr(ex.check_expression(SEED, k, PTS, explain=sealed)) == "right — opened."
    with pytest.raises(ValueError, match="the explanation was made for exercise L2.2"):
        ex.check_expression(SEED, k, PTS, explain=ex.seal(SEED, "x", points=PTS, exercise="L2.2"))
    with pytest.raises(ValueError, match="the hint key k2:L2.2:"):
        ex.check_expression(SEED, k, PTS, hints={ex.key(SEED, points=PTS, exercise="L2.2"): "x"})


def test_a_division_by_zero_in_an_answer_is_checked_without_a_warning():
    pts = [{"a": 2.0, "b": 1.0}]
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        said = ex.check_expression("e = a / (b - b)", ex.key("e = a + b", points=pts), pts)
    assert repr(said) == ("not yet — at a = 2, b = 1 your text gives inf, not the expression "
                          "asked for.")


# --- per-student numbers -----------------------------------------------------------------------

def test_a_variant_of_single_numbers_checks_and_names_them():
    v = ex.variant("s1", "L6.1")
    assert v.pick(np.arange(2, 9), default=np.int64(1)) == 2
    assert v.default == 1
    square = lambda x: x * x
    assert repr(v.check_number(4, square)) == "right — 4."
    assert repr(v.check_number(1, square)) == \
        "not yet — 1: that is the answer for the numbers 1, not for yours, 2."
    assert repr(v.check_number(7, square)) == "not yet — 7 is not it."
    assert repr(v.check_number(7, square, hint="square it.")) == "not yet — 7: square it."
    assert repr(v.check_number(..., square)) == \
        "not yet — answer is still ...: replace the ... with your answer (a whole number)."


def test_a_variant_checks_decimals_to_the_places_asked():
    v = ex.variant("s1", "L6.3")
    assert v.pick([1.5, 2.5, 3.5], default=0.5) == 1.5
    quarter = lambda x: x / 4
    assert repr(v.check_number(0.375, quarter, places=3)) == "right — 0.375."
    assert repr(v.check_number(0.38, quarter, places=3)) == "not yet — 0.38 is not it."
    assert repr(v.check_number(9.4, lambda x: 9)) == \
        "not yet — answer should be a whole number, got 9.4."


def test_a_variant_refuses_a_bad_id_no_options_and_a_check_before_pick():
    with pytest.raises(ValueError, match="an exercise id is a short name such as 'L4.2'"):
        ex.variant("s1", "not an id!")
    with pytest.raises(ValueError, match="^pick needs at least one option$"):
        ex.variant("s1", "L6.1").pick([], default=1)
    with pytest.raises(ValueError, match="^call pick\\(options, default\\) first: the check "
                                         "needs the numbers$"):
        ex.variant("s1", "L6.1").check_number(1, abs)


def test_a_variant_says_whose_numbers_it_holds():
    v = ex.variant("s7654321", "L6.2")
    v.pick([(2, 3), (3, 1), (4, 1)], default=(1, 2))
    assert repr(v) == "<variant of L6.2 for student 's7654321': (4, 1)>"
    lecture = ex.variant(..., "L6.2")
    assert repr(lecture) == "<variant of L6.2 for the lecture's numbers: None>"
    lecture.pick([(2, 3)], default=(1, 2))
    assert repr(lecture) == "<variant of L6.2 for the lecture's numbers: (1, 2)>"


# --- lecture 5's engine ------------------------------------------------------------------------

class Node:
    """A student's node: a value, parents with one local partial each, a grad."""

    def __init__(self, value, parents=(), partials=()):
        self.value, self.parents, self.partials, self.grad = value, parents, partials, None

    def __add__(self, other):
        other = other if isinstance(other, Node) else type(self)(other)
        return type(self)(self.value + other.value, (self, other), (1.0, 1.0))

    __radd__ = __add__

    def __mul__(self, other):
        other = other if isinstance(other, Node) else type(self)(other)
        return type(self)(self.value * other.value, (self, other), (other.value, self.value))

    __rmul__ = __mul__

    def __rsub__(self, other):
        return type(self)(other - self.value, (self,), (-1.0,))


def maximum(a, b):
    a, b = (x if isinstance(x, Node) else Node(x) for x in (a, b))
    first = a.value >= b.value
    return Node(max(a.value, b.value), (a, b), (float(first), float(not first)))


def backward(output, seed=1.0):
    order, seen = [], set()

    def visit(n):                   # the student's own code: recursion is theirs to choose
        if id(n) not in seen:
            seen.add(id(n))
            for p in n.parents:
                visit(p)
            order.append(n)
    visit(output)
    for n in order:
        n.grad = 0.0
    output.grad = seed
    for n in reversed(order):
        for p, partial in zip(n.parents, n.partials):
            p.grad += partial * n.grad


def test_the_engine_check_accepts_a_right_reverse_mode():
    assert repr(ex.check_backward(backward, Node, maximum)) == (
        "right — your reverse mode gives what tf.gradients gives — a and b on the seed graph; x "
        "on the reuse graph; w1, w2 and bias on the hinge graph. One pass from the output, each "
        "node adding its part to its parents' grads in reverse topological order: that is "
        "backpropagation, and the core of tf.gradients, PyTorch's .backward() and micrograd.")


def test_the_engine_check_refuses_what_is_not_a_working_function():
    assert repr(ex.check_backward(..., Node, maximum)) == \
        "not yet — backward is still ...: replace the ... with your answer (a function)."
    assert repr(ex.check_backward(5, Node, maximum)) == \
        "not yet — backward should be a function, backward(output), got 5."

    def raises(output):
        raise KeyError("parents")
    assert repr(ex.check_backward(raises, Node, maximum)) == \
        "not yet — on the seed graph your code raised KeyError: 'parents'"


class BareNode(Node):
    """A student's node with no .grad until backward sets one."""

    def __init__(self, *args):
        super().__init__(*args)
        del self.grad


def test_the_engine_check_shows_a_grad_never_set_as_none():
    assert repr(ex.check_backward(lambda output: None, BareNode, maximum)) == (
        "not yet — after backward the grads of the seed graph are {'a': None, 'b': None, "
        "'c': None, 'd': None, 'e': None}: each node's .grad should be a number.")


def test_the_engine_check_accepts_rounding_noise_and_names_each_wrong_grad():
    def noisy(output):
        backward(output)
        output.parents[0].parents[1].grad *= 1 + 4e-10      # b.grad 5 + 2e-9: float noise
    assert ex.check_backward(noisy, Node, maximum)

    def doubled(output):                                     # no classic mistake: the general hint
        backward(output, seed=2.0)
    assert repr(ex.check_backward(doubled, Node, maximum)) == (
        "not yet — on the seed graph a.grad = 4, b.grad = 10, where tf.gradients gives 2, 5: "
        "compare your order and your sums with the reverse steps of section 7.")


@pytest.mark.parametrize("seed, hint", [
    (0.0, ("the output's own grad is 0: reverse mode starts by setting output.grad = 1 "
           "(∂output/∂output).")),
    (None, ("the grads stop on their way back: go through the topological order reversed, the "
            "output first, so a node passes its grad on only after every node that reads it has "
            "added its part."))])
def test_the_engine_check_names_a_missing_seed_and_grads_that_stop(seed, hint):
    def student(output):
        if seed is None:                                     # the output's grad only
            backward(output, seed=0.0)
            output.grad = 1.0
        else:
            backward(output, seed=seed)
    said = repr(ex.check_backward(student, Node, maximum))
    assert said.startswith("not yet — on the seed graph a.grad = 0, b.grad = 0, where "
                           "tf.gradients gives 2, 5: ") and said.endswith(hint), said


def test_the_engine_hints_each_name_one_mistake_and_only_that_one():
    from teachgrad.course.engine_graphs import engine_hint

    seed = {"e": 1.0, "a": 1.0, "b": 1.0, "c": 1.0, "d": 1.0}
    assert engine_hint("seed", dict(seed, c=0.0, d=0.0)).startswith("the grads stop")
    assert engine_hint("seed", dict(seed, c=1.0, d=0.0)) == ""
    assert engine_hint("seed", dict(seed, c=0.0, d=1.0)) == ""
    assert engine_hint("seed", dict(seed, a=2.0, b=2.0)) == (
        "b gets 2, one path only: b feeds two nodes (c and d), and each adds its part — write "
        "parent.grad += …, not parent.grad = ….")
    assert engine_hint("seed", dict(seed, a=2.0, b=4.0)) == ""
    assert engine_hint("seed", dict(seed, a=3.0, b=3.0)) == ""
    assert engine_hint("reuse", {"x": 24.0}) == (
        "x gets 24, twice 12: y appears twice in your order, so its grad was passed on twice — "
        "keep a set of the nodes already visited.")
    assert engine_hint("reuse", {"x": 12.0}) == ""
    assert engine_hint("hinge", {"x": 24.0, "w1": 0.0}) == ""


@pytest.mark.parametrize("graph, grads", [
    ("reuse", "{'x': None, 'y': None, 'z': 1.0}"),
    ("hinge", "{'w1': None, 'w2': None, 'bias': None, 'loss': 1.0}")])
def test_the_engine_check_names_every_node_whose_grad_is_not_a_number(graph, grads):
    calls = []

    def gives_up(output):            # right on the graphs before ``graph``, then seeds only
        calls.append(output)
        if len(calls) < {"reuse": 2, "hinge": 3}[graph]:
            backward(output)
        else:
            output.grad = 1.0
    assert repr(ex.check_backward(gives_up, Node, maximum)) == (
        f"not yet — after backward the grads of the {graph} graph are {grads}: each node's .grad "
        "should be a number.")
