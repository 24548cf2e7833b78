"""How tangents and adjoints are written: the accent sits on the letter, never on a subscript."""

import unicodedata

import teachgrad as tg
from teachgrad.teaching.notation import bar_name, dot_name


def _marked(text, mark):
    """The characters that carry ``mark`` (a combining character) in ``text``."""
    decomposed = unicodedata.normalize("NFD", text)
    return [decomposed[i - 1] for i, ch in enumerate(decomposed) if ch == mark]


def test_a_subscripted_name_takes_its_accent_on_the_letter():
    assert _marked(dot_name("v1"), "\u0307") == ["v"] and dot_name("v1").endswith("1")
    assert _marked(bar_name("v2"), "\u0304") == ["v"] and bar_name("v2").endswith("2")
    assert _marked(bar_name("x_12"), "\u0304") == ["x"] and bar_name("x_12").endswith("_12")
    assert bar_name("b") == "b̄" and dot_name("b") == "ḃ"                     # as before
    assert _marked(bar_name("add_1"), "\u0304") == ["1"]      # an op name, not a letter: as is


def test_steps_of_a_graph_with_subscripted_names_read_v_dot_1():
    graph = tg.trace("v1 = p + q\nv2 = v1 * r", p=1., q=2., r=3.)
    forward = [step.text for step in graph.forward_mode("p")]
    reverse = [step.text for step in graph.reverse_mode("v2")]
    assert forward[-1].startswith("v\u03072 = ∂v2/∂v1·v\u03071")
    assert reverse[0].startswith("v\u03042 = 1") and any("v\u03041 = " in t for t in reverse)
    assert not any(_marked(t, m) and set(_marked(t, m)) & set("0123456789")
                   for t in forward + reverse for m in ("\u0307", "\u0304"))
