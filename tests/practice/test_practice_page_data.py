"""What the kernel-free practice page carries, checked in Python (no browser needed).

tests/browser/test_practice_in_browser.py runs the page's script in Chromium; these tests state
what the page must hold for that script: the data it reads (every step asked with its value,
worked step, fallback hint and the mistakes' values and hints; the answer grammar and the
tolerances; the sentences), the elements it drives with their attributes and first state, the
pictures (one per step asked, its result hidden, and the last one whole), and the escaping of
what a user wrote — parsed from what ``practice_html`` produces, so a wrong value or a dropped
field fails here.
"""

import json
import re
from html.parser import HTMLParser

import pytest

import teachgrad as tg
from teachgrad.practice import Practice
from teachgrad.practice.answers import GRAMMAR, SIGNS
from teachgrad.practice.page import JS_FUNCTIONS, practice_html
from teachgrad.practice.session import TEXTS
from teachgrad.render.animation import inline_svg
from teachgrad.render.engine import frames
from teachgrad.teaching.expressions import FUNCTIONS

SEED = "e = (a + b) * (b + 1)"


@pytest.fixture
def seed():
    return tg.trace(SEED, a=2, b=1)


def data_of(page):
    """The JSON the page's script reads (``var data = {...};``)."""
    script = page.split("<script>")[1].split("</script>")[0]
    return json.loads(re.search(r"var data = (\{.*?\});\n", script, re.S).group(1))


class Elements(HTMLParser):
    """Every element of a page as (tag, attributes, its own text), in document order."""

    def __init__(self, page):
        super().__init__()
        self.found, self._open = [], []
        self.feed(page)

    def handle_starttag(self, tag, attrs):
        element = (tag, dict(attrs), [])
        self.found.append(element)
        if tag not in ("input", "br", "meta", "link"):
            self._open.append(element)

    def handle_endtag(self, tag):
        while self._open:
            if self._open.pop()[0] == tag:
                break

    def handle_data(self, data):
        if self._open:
            self._open[-1][2].append(data)

    def by_class(self, cls):
        return [(t, a, "".join(x)) for t, a, x in self.found if cls in a.get("class", "").split()]

    def one(self, cls):
        (element,) = self.by_class(cls)
        return element


@pytest.mark.parametrize("mode, seeds, nodes, values", [
    ("values", {}, ["c", "d", "e"], [3.0, 2.0, 6.0]),
    ("forward", {"wrt": "b"}, ["a", "b", "c", "d", "e"], [0.0, 1.0, 1.0, 1.0, 5.0]),
    ("reverse", {}, ["e", "c", "d", "a", "b"], [1.0, 2.0, 3.0, 2.0, 5.0]),
])
def test_the_page_data_holds_every_step_asked_with_its_answer_and_hints(seed, mode, seeds, nodes,
                                                                        values):
    data = data_of(practice_html(seed, mode, **seeds))
    run = Practice(seed, mode, **seeds)
    assert [s["node"] for s in data["steps"]] == nodes
    assert [s["value"] for s in data["steps"]] == values
    # "step" counts from 1 as the captions do; "index" from 0
    assert [s["step"] for s in data["steps"]] == [s.index + 1 for s in run.steps]
    assert [s["index"] for s in data["steps"]] == [s.index for s in run.steps]
    for got, ex in zip(data["steps"], run.exercises):
        assert got == dict(ex.as_dict(), step=ex.step.index + 1)
        assert got["worked"] == ex.worked and got["fallback"] == ex.fallback
        assert got["question"] == ex.question
        assert got["candidates"] == [[c.value, c.kind, c.hint] for c in ex.candidates]
    assert data["nSteps"] == 5
    assert data["given"] == (["a = 2", "b = 1"] if mode == "values" else [])


def test_the_page_data_holds_the_rules_and_the_sentences(seed):
    data = data_of(practice_html(seed, "values"))
    assert set(data) == {"steps", "nSteps", "given", "tries", "minDigits", "relative",
                         "absolute", "maxLength", "signs", "grammar", "functions", "texts"}
    assert (data["tries"], data["minDigits"], data["maxLength"]) == (3, 3, 200)
    assert (data["relative"], data["absolute"]) == (1e-6, 1e-9)
    assert data["signs"] == SIGNS and data["signs"]["−"] == "-" and data["signs"]["·"] == "*"
    assert data["grammar"] == GRAMMAR
    # every function an answer may call, with its number of arguments
    assert data["functions"] == {name: FUNCTIONS[name][1] for name in FUNCTIONS}
    assert set(data["functions"]) == set(JS_FUNCTIONS) and data["functions"]["sin"] == 1
    assert data["texts"] == TEXTS
    assert data["texts"]["right"] == "Right: {}"


def test_the_values_page_first_asks_the_first_step_after_the_inputs(seed):
    page = practice_html(seed, "values", standalone=False)
    html = Elements(page)
    tag, root, _ = html.one("tg-practice")
    uid = root["id"]
    assert tag == "div" and re.fullmatch(r"tg-practice-[0-9a-f]{12}", uid)
    assert {k: root[k] for k in ("data-mode", "data-step", "data-n-steps", "data-done",
                                 "data-right", "data-asked")} == {
        "data-mode": "values", "data-step": "3", "data-n-steps": "5", "data-done": "false",
        "data-right": "0", "data-asked": "0"}
    assert html.one("tg-practice-title")[2] == "Practice: compute each value"
    assert html.one("tg-practice-score")[2] == "0 of 0 right at the first try"
    _, label, question = html.one("tg-practice-question")
    assert question == "step 3 of 5: c = a + b = ?" and label["for"] == f"{uid}-answer"
    assert html.one("tg-practice-input")[1]["id"] == f"{uid}-answer"
    assert [text for _, _, text in html.by_class("tg-given")] == ["a = 2 (given)", "b = 1 (given)"]
    assert html.one("tg-practice-hint")[1]["data-kind"] == ""
    # the page's own style and script address this page's root, and nothing else
    style = page.split("<style>")[1].split("</style>")[0]
    assert style.startswith(f"#{uid}.tg-practice {{") and "__ROOT__" not in style
    assert f"#{uid} .tg-practice-title" in style
    script = page.split("<script>")[1]
    assert f'document.getElementById("{uid}")' in script and "__TG_" not in script


@pytest.mark.parametrize("mode, first, title", [
    ("forward", "step 1 of 5: ȧ = da/da = ?", "Practice: forward mode, each tangent"),
    ("reverse", "step 1 of 5: ē = de/de = ?", "Practice: reverse mode, each adjoint"),
])
def test_each_modes_page_has_its_title_and_first_question(seed, mode, first, title):
    page = practice_html(seed, mode)
    html = Elements(page)
    assert html.one("tg-practice-title")[2] == title
    assert html.one("tg-practice-question")[2] == first
    root = html.one("tg-practice")[1]
    assert (root["data-mode"], root["data-step"]) == (mode, "1")
    assert html.by_class("tg-given") == []
    assert f"<title>{title} — teachgrad</title>" in page


@pytest.mark.parametrize("mode, seeds", [("values", {}), ("reverse", {}),
                                         ("forward", {"wrt": "b"}), ("reverse", {"of": "c"})])
def test_the_page_shows_each_step_asked_with_its_result_hidden_then_the_whole_graph(seed, mode,
                                                                                   seeds):
    page = practice_html(seed, mode, standalone=False, **seeds)
    html = Elements(page)
    run = Practice(seed, mode, **seeds)
    uid = html.one("tg-practice")[1]["id"]
    found = html.by_class("tg-practice-frame")
    assert len(found) == len(run.steps) + 1
    assert [a["data-index"] for _, a, _ in found] == [str(i) for i in range(len(found))]
    assert "style" not in found[0][1]                       # the first question is shown
    assert all(a["style"] == "display:none" for _, a, _ in found[1:])
    assert [a.get("data-final") for _, a, _ in found] == [None] * len(run.steps) + ["true"]
    n = len(run.steps)
    assert re.findall(r'<div class="tg-practice-frame"[^>]*>', page) == (
        ['<div class="tg-practice-frame" data-index="0">']
        + [f'<div class="tg-practice-frame" data-index="{i}" style="display:none">'
           for i in range(1, n)]
        + [f'<div class="tg-practice-frame" data-index="{n}" data-final="true" '
           'style="display:none">'])
    # nothing but the elements themselves: no stray text between the pictures or the lines
    assert html.one("tg-practice")[2].strip() == ""
    assert html.one("tg-practice-worked")[2] == ""
    hidden = frames(seed, run.mode, wrt=run.wrt, of=run.of, hidden=True)
    whole = frames(seed, run.mode, wrt=run.wrt, of=run.of)[-1]
    for i, step in enumerate(run.steps):
        assert inline_svg(hidden[step.index + 1], f"{uid}-q{i}") in page
    assert inline_svg(whole, f"{uid}-done") in page
    # each question picture asks its step ("= ?") and never gives it; the last gives them all
    pictures = [re.findall(r"<text[^>]*>([^<]*)</text>", p)
                for p in re.findall(r'<div class="tg-practice-frame"[^>]*>(.*?)</div>', page, re.S)]
    assert len(pictures) == len(found)
    for i, (ex, texts) in enumerate(zip(run.exercises, pictures)):
        assert texts[1].startswith(f"step {ex.step.index + 1} of {len(run.all_steps)}: &#160;"
                                   f"{ex.question[0]}")
        assert texts[1].endswith(" = ?")
    assert pictures[-1][1].startswith(f"step {len(run.all_steps)} of {len(run.all_steps)}: &#160;")
    assert pictures[-1][1].endswith(run.exercises[-1].worked.split(" = ", 1)[1])
    if mode == "values":
        assert "= 6" in pictures[-1] and not any("= 6" in texts for texts in pictures[:-1])
        assert "∂e/∂c = d = 2" in pictures[-1] and "∂e/∂c = d = ?" in pictures[0]


def test_the_pages_id_is_the_same_on_every_run_and_differs_between_pages(seed):
    def uid(**kw):
        return Elements(practice_html(seed, **kw)).one("tg-practice")[1]["id"]
    assert uid(mode="values") == uid(mode="values")
    ids = {uid(mode="values"), uid(mode="reverse"), uid(mode="values", title="Mine"),
           uid(mode="forward"), uid(mode="forward", wrt="b")}
    assert len(ids) == 5


def test_a_fragment_is_the_standalone_pages_body(seed):
    fragment = practice_html(seed, "reverse", standalone=False)
    page = practice_html(seed, "reverse")
    assert fragment.startswith('<div class="tg-practice" id="tg-practice-')
    assert fragment.endswith("</div>") and "<!DOCTYPE" not in fragment
    assert page.startswith("<!DOCTYPE html>") and fragment in page


def test_a_title_given_is_escaped_and_used(seed):
    page = practice_html(seed, "values", title='Übung <1> & "2"')
    html = Elements(page)
    assert html.one("tg-practice-title")[2] == 'Übung <1> & "2"'      # as the reader sees it
    assert "Übung &lt;1&gt; &amp; &quot;2&quot;" in page and "<1>" not in page
    assert Elements(practice_html(seed, "values", title=7)).one("tg-practice-title")[2] == "7"


def test_a_graph_with_nothing_to_compute_or_too_big_is_refused():
    with pytest.raises(ValueError) as e:
        practice_html(tg.trace(lambda x: x, x=1.0))
    assert str(e.value) == "this graph has no step to compute"
    # at most MAX_ANIMATION_SIZE (20,000) node pictures: nodes × (steps asked + the last picture)
    def chain(n):
        return tg.trace("\n".join(["b1 = a + 1"] + [f"b{i + 1} = b{i} * 1"
                                                     for i in range(1, n - 1)]), a=1.0)
    big = chain(142)                              # 142 × (141 + 1) = 20,164 pictures
    with pytest.raises(ValueError) as e:
        practice_html(big, "values")
    assert str(e.value) == ("142 nodes and 141 steps are too many for a practice page: practise "
                            "on a smaller graph")
    page = practice_html(chain(141), "values")   # 141 × (140 + 1) = 19,881: the largest page
    assert page.count('class="tg-practice-frame"') == 141
