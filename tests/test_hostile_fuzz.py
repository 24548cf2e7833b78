"""Issue 13, fuzzed: random expression text — names, numbers, operators, calls, brackets,
unicode, up to a few KB — only ever gives a Graph or an ExpressionError from ``trace``, and only
a picture or a teachgrad error from drawing it, each within a time bound.

Hypothesis draws from three kinds of text: a soup of tokens (mostly nonsense, some of it nested
deep), well-formed expressions that trace (so that drawing is exercised on real graphs), and
lines of assignments. The examples are derandomized, so CI runs the same ones every time; the
whole file takes about 10 s.
"""

import time
import xml.etree.ElementTree as ET

import numpy as np
import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

import teachgrad as tg
from teachgrad.errors import ExpressionError
from teachgrad.teaching.expressions import FUNCTIONS, mentioned_names
from teachgrad.teaching.graph import Graph

render = pytest.importorskip("teachgrad.render")
widgets = pytest.importorskip("teachgrad.widgets")

# inf and nan inputs make NumPy warn (overflow, invalid values): the answers are inf and nan.
pytestmark = pytest.mark.filterwarnings("ignore::RuntimeWarning")

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
