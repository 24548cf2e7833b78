"""Issue 13, fuzzed: random expression text — names, numbers, operators, calls, brackets,
unicode, up to a few KB — only ever gives a Graph or an ExpressionError from ``trace``, and only
a picture or a teachgrad error from drawing it, each within a time bound.

Hypothesis draws from three kinds of text: a soup of tokens (mostly nonsense, some of it nested
deep), well-formed expressions that trace (so that drawing is exercised on real graphs), and
lines of assignments. The examples are derandomized, so CI runs the same ones every time; the
whole file takes about 10 s.
"""

import math
import time
import xml.etree.ElementTree as ET

import numpy as np
import pytest
from hypothesis import HealthCheck, Phase, event, given, settings
from hypothesis import strategies as st

import teachgrad as tg
from teachgrad.errors import ExpressionError
from teachgrad.teaching.expressions import FUNCTIONS, mentioned_names
from teachgrad.teaching.graph import Graph
from teachgrad.practice import Practice
from teachgrad.practice.answers import _normalise, read_answer, tokens

render = pytest.importorskip("teachgrad.render")
widgets = pytest.importorskip("teachgrad.widgets")

# inf and nan inputs make NumPy warn (overflow, invalid values): the answers are inf and nan.
pytestmark = pytest.mark.filterwarnings("ignore::RuntimeWarning")

SEED_TEXT = "e = (a + b) * (b + 1)"
NAMES = ["a", "b", "x", "e", "c", "é", "ﬁ", "x1", "_", "a" * 60, "lambda", "sin", "print"]
NUMBERS = ["0", "1", "2.5", "1e308", "1e-320", "9" * 40, "0x1F", "1_000", ".5", "3j", "-0.0"]
SYMBOLS = ["+", "-", "*", "/", "**", "@", "%", "//", "<", "==", " and ", " not ", ".", ",", ":",
           "=", ";", "\n", " ", "\t", "#", "'", '"', "\\", "(", ")", "[", "]", "{", "}", "...",
           "\ud800", "\x00", "\u2028", "<!--", "</script>"]
CALLS = [f"{f}(" for f in FUNCTIONS] + ["eval(", "__import__(", "open("]

token = st.one_of(st.sampled_from(NAMES + NUMBERS + SYMBOLS + CALLS),
                  st.text(max_size=3))                     # any code point, surrogates too
soup = st.lists(token, max_size=600).map("".join)


def _binary(pair):
    (left, right), op = pair
    return f"({left} {op} {right})"


def _call(args):
    f, xs = args
    arity = FUNCTIONS[f][1]
    return f"{f}({', '.join((xs * arity)[:arity])})"


leaf = st.sampled_from(["a", "b", "x", "1", "2.5", "0", "1e308"])
_expression = st.recursive(
    leaf,
    lambda inner: st.one_of(
        st.tuples(st.tuples(inner, inner), st.sampled_from(["+", "-", "*", "/", "**"]))
        .map(_binary),
        inner.map(lambda e: f"-{e}"),
        st.tuples(st.sampled_from(sorted(FUNCTIONS)), st.lists(inner, min_size=1, max_size=2))
        .map(_call)),
    max_leaves=80)


@st.composite
def expressions(draw):
    """A well-formed expression (behind a composite: the recursive strategy's own repr, which
    Hypothesis computes, runs to megabytes)."""
    return draw(_expression)


expression = expressions()
assignments = st.lists(expression, min_size=1, max_size=8).map(
    lambda es: "\n".join(f"v{i} = {e}" for i, e in enumerate(es)))
source_text = st.one_of(soup, expression.map(lambda e: f"e = {e}"), assignments)
value = st.one_of(st.floats(allow_nan=True, allow_infinity=True), st.integers(-10, 10),
                  st.just(np.array([0.5, -1.0])))


def inputs_for(source, values):
    try:
        names = mentioned_names(source)
    except ExpressionError:
        return {}
    return {n: values[i % len(values)] for i, n in enumerate(names)}


@settings(max_examples=100, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(source=source_text, values=st.lists(value, min_size=1, max_size=4))
def test_random_text_gives_a_graph_or_an_expression_error_and_a_picture_or_a_teachgrad_error(
        source, values):
    start = time.perf_counter()
    try:
        graph = tg.trace(source, **inputs_for(source, values))
    except ExpressionError as e:
        assert isinstance(str(e), str) and len(str(e)) < 2000
        event("ExpressionError")
        graph = None
    assert time.perf_counter() - start < 5, "tracing took too long"
    if graph is None:
        return
    assert isinstance(graph, Graph) and graph.nodes
    event("a graph, drawn")
    for draw in (graph.svg, lambda: render.svg(graph, mode="reverse", step=len(graph) // 2)):
        begun = time.perf_counter()
        try:
            ET.fromstring(draw())                           # a picture: well-formed SVG
        except render.GraphvizError as e:                   # or a teachgrad error that says why
            assert "Graphviz" in str(e) or "too many to draw" in str(e)
        assert time.perf_counter() - begun < 10, "drawing took too long"


@settings(max_examples=25, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(source=source_text)
def test_the_explorer_shows_an_error_or_a_graph_and_never_raises(source):
    explorer = widgets.ExpressionExplorer("e = (a + b) * (b + 1)", a=2, b=1)
    before = explorer.graph
    explorer.text.value = source                        # what typing does: the callback runs
    if explorer.error is None:
        assert explorer.source == source and explorer.svg.startswith("<?xml")
    else:
        assert explorer.graph is before and explorer.source == "e = (a + b) * (b + 1)"
        assert "tg-error" in explorer.error_box.value


# ------------------------------------------------------------------------------------------------
# Issue 22: the practice answers' grammar. A corpus of answers — grammar tokens, look-alikes the
# grammar refuses (1_000, 0x10, 1j, a non-breaking space, full-width letters), junk, and
# well-formed calculations with every function — that Python reads here and the page's script
# reads in Chromium (tests/browser/test_practice_in_browser.py), answer by answer.
# ------------------------------------------------------------------------------------------------

ANSWER_NUMBERS = ["0", "1", "2", "3", "5", "007", "00.5", "0.5", ".5", "5.", "1e3", "1E-2",
                  "2.50", "3.000", "2.999", "0.479", "0.4794", "0.48", "1e999", "1e-400",
                  "0e400", "9" * 30, "1_000", "0x10", "0o7", "0b1", "1j", "1e", "1.5.5", "1.e5"]
ANSWER_CALLS = [f"{f}(" for f in FUNCTIONS] + ["foo(", "print(", "__import__(", "ｓｉｎ("]
ANSWER_SYMBOLS = ["+", "-", "*", "/", "**", "(", ")", ",", " ", "\t", "·", "×", "−", "–", "÷",
                  "⋅", "∙", "#", "'", '"', ".", "=", "@", "%", "^", "//", "\u00a0", "\ufeff",
                  "\x1c", "\n", "\r", "\x0c", "\u2003", "٣", "[", "]", ";", "\\", "sin", "e",
                  "x", "_", "True", "not ", " if ", "<", "&"]

answer_token = st.one_of(st.sampled_from(ANSWER_NUMBERS + ANSWER_CALLS + ANSWER_SYMBOLS),
                         st.text(max_size=2))
answer_soup = st.lists(answer_token, max_size=20).map("".join)

_answer_leaf = st.sampled_from(["1", "2", "3", "0.5", "2.5", "1e-3", "-1", "007", "(1)", "4."])
_answer_expression = st.recursive(
    _answer_leaf,
    lambda inner: st.one_of(
        st.tuples(st.tuples(inner, inner), st.sampled_from(["+", "-", "*", "/", "**", " · "]))
        .map(_binary),
        inner.map(lambda e: f"−{e}"),
        st.tuples(st.sampled_from(sorted(FUNCTIONS)), st.lists(inner, min_size=1, max_size=2))
        .map(_call),
        inner.map(lambda e: f"maximum({e}, 1,)")),         # a trailing comma, as Python allows
    max_leaves=6)


@st.composite
def _calculations(draw):
    return draw(_answer_expression)


answer_texts = st.one_of(answer_soup, _calculations(),
                         st.tuples(st.sampled_from(["", " ", "\t", "\n"]), _calculations(),
                                   st.sampled_from(["", " ", "\r\n"])).map("".join))


def answer_corpus(n=600):
    """``n`` answers drawn from :data:`answer_texts`, the same ones on every run."""
    corpus = []

    @settings(max_examples=n, derandomize=True, database=None, deadline=None,
              phases=[Phase.generate],
              suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                     HealthCheck.filter_too_much])
    @given(answer_texts)
    def collect(text):
        corpus.append(text)

    collect()
    return list(dict.fromkeys(corpus))


@settings(max_examples=300, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(text=answer_texts)
def test_an_answer_is_read_within_the_grammar_or_refused_with_an_expression_error(text):
    try:
        answer = read_answer(text)
    except ExpressionError as e:
        assert 0 < len(str(e)) < 2000
        event("refused")
        return
    event("read")
    assert math.isfinite(answer.value)
    assert tokens(_normalise(text))                          # only what the grammar admits
    feedback = Practice(tg.trace(SEED_TEXT, a=2, b=1), "values").answer(text)
    assert feedback.kind != "invalid" and feedback.value == answer.value


@pytest.mark.parametrize("text", ["1_000", "0x10", "0o17", "0b101", "1j", "2e3j", "1 # note",
                                  "(sin)(1)", "sin", "5\u00a0", "\ufeff5", "1\n+2", "1\x0c",
                                  "ｓｉｎ(1)", "٣", "1e5e5", "2sin(1)"])
def test_look_alikes_python_would_read_are_outside_the_grammar(text):
    with pytest.raises(ExpressionError):
        read_answer(text)


@pytest.mark.parametrize("text, value", [
    ("log1p(1)", math.log1p(1)), ("softplus(1)", math.log1p(math.e)), ("007", 7.0),
    ("00.5", 0.5), ("sin(1,)", math.sin(1)), ("maximum(1, 2,)", 2.0), ("5.", 5.0),
    (" \t1·2 + 1·3\r\n", 5.0), ("2 ** -1", 0.5), ("-2**2", -4.0), ("1**(0/0)", 1.0)])
def test_the_grammar_reads_every_function_and_decimal_form(text, value):
    assert read_answer(text).value == pytest.approx(value, rel=1e-15)
