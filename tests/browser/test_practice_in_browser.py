"""Practice mode in a real browser: the kernel-free page checks answers with the network off, and
the PracticePlayer widget takes typed answers in JupyterLab.

The page (``PracticePlayer.to_html()``) is opened from a ``file://`` URL in Debian's Chromium
(see conftest.py) in a context that is offline and aborts every request that is not a local
file; the test types answers as a student does — a wrong one, a right one, hostile text — and
compares each hint the page's JavaScript shows with the hint Python gives for the same answer
(:class:`teachgrad.practice.Practice`), so the two implementations of the rules cannot drift
apart. The widget is driven in JupyterLab from ``fixtures/practice_widget.ipynb``.
"""

import math

import pytest

import teachgrad as tg
from teachgrad.practice import Practice, read_answer

SEED = "e = (a + b) * (b + 1)"
WIDGET_NOTEBOOK = "tests/browser/fixtures/practice_widget.ipynb"

# A student's session on reverse mode of the seed graph at a=2, b=1: (typed, right?) pairs.
# ē = 1, c̄ = 2, d̄ = 3, ā = 2, b̄ = 5.
SESSION = ["0", "1", "3", "2", "3", "12", "2", "2", "abc", "3", "__import__('os')",
           "(1).real", "x" * 500, "6", "1·2 + 1·3"]

# What students may type and what only looks like it (issue 22), besides the generated corpus.
GRAMMAR_CASES = ["1_000", "0x10", "0o17", "0b101", "1j", "1 # note", "(sin)(1)", "5\u00a0",
                 "\ufeff3", "007", "00.5", "3.", "sin(1,)", "maximum(3, 2,)", "log1p(2)",
                 "softplus(3)", "1**(0/0)", "(-1)**(1/0)", "relu(0/0)", "0e400", "3e0",
                 "0.0000e400", "1e-400", " 3 ", "\t3\r\n", "1·2 + 1·3", "1\n+2", "3;",
                 "sin(0.5)", "expm1(1)", "rsqrt(4)", "reciprocal(4)", "elu(-1)", "selu(-1)",
                 "relu6(7)", "softsign(1)", "elu(0/0)", "rsqrt(0)"]

JS_STATE = """(root) => {
  const shown = [...root.querySelectorAll('.tg-practice-frame')]
    .filter(f => f.style.display !== 'none');
  return {
  step: root.getAttribute('data-step'), done: root.getAttribute('data-done'),
  right: root.getAttribute('data-right'), asked: root.getAttribute('data-asked'),
  kind: root.querySelector('.tg-practice-hint').getAttribute('data-kind'),
  hint: root.querySelector('.tg-practice-hint').textContent,
  question: root.querySelector('.tg-practice-question').textContent,
  score: root.querySelector('.tg-practice-score').textContent,
  reveal: !root.querySelector('.tg-practice-reveal').hidden,
  visible: shown.map(f => f.getAttribute('data-index')),
  // Graphviz's ids are n0, n1, …: a node's name is its first text.
  current: shown.flatMap(f => [...f.querySelectorAll('g.node.tg-current')]
                               .map(g => g.querySelector('text').textContent)),
  nodeText: shown.flatMap(f => [...f.querySelectorAll('g.node')].map(n => n.textContent))
                 .join(' | '),
  worked: [...root.querySelectorAll('.tg-practice-worked li')].map(li => li.textContent),
  log: root.querySelectorAll('.tg-practice-attempts tbody tr').length,
  };
}"""


@pytest.fixture
def offline_page(offline_pages):
    """An offline page of 1000 × 900 (conftest's ``offline_pages``)."""
    return offline_pages(1000, 900)


def open_page(page, tmp_path, graph, mode, name):
    target = tmp_path / f"{name}.html"
    target.write_text(tg.widgets.PracticePlayer(graph, mode).to_html(), encoding="utf-8")
    page.goto(target.as_uri())
    root = page.locator(".tg-practice")
    root.wait_for()
    return root


def type_answer(page, root, text, press_enter=True):
    box = root.locator(".tg-practice-input")
    box.fill(text)
    if press_enter:
        box.press("Enter")
    else:
        root.locator(".tg-practice-check").click()
    return root.evaluate(JS_STATE)


def test_the_practice_page_checks_answers_offline(offline_page, tmp_path, screenshots):
    page = offline_page
    graph = tg.trace(SEED, a=2, b=1)
    root = open_page(page, tmp_path, graph, "reverse", "practice-reverse")
    start = root.evaluate(JS_STATE)
    assert start["step"] == "1" and start["done"] == "false" and start["visible"] == ["0"]
    assert start["current"] == ["e"] and "ē = ?" in start["nodeText"], start
    assert "step 1 of 5: ē = de/de = ?" in start["question"] and not start["reveal"]
    root.screenshot(path=screenshots / "practice-page-start.png")

    python = Practice(graph, "reverse")
    for k, text in enumerate(SESSION):
        expected = python.answer(text)
        now = type_answer(page, root, text, press_enter=k % 2 == 0)
        assert now["kind"] == expected.kind, (text, now, expected)
        if expected.kind != "invalid":       # the two parsers word syntax errors their own way
            assert now["hint"] == expected.hint, (text, now["hint"], expected.hint)
        else:
            assert now["hint"].startswith("That is not an answer: "), now["hint"]
        assert (now["right"], now["asked"]) == tuple(map(str, python.score)), (text, now)
        if text == "2" and now["step"] == "5" and now["kind"] == "missing-term":
            assert "b feeds two nodes, c and d" in now["hint"] and "through d" in now["hint"]
            root.screenshot(path=screenshots / "practice-page-missing-consumer.png")
        if text == "3" and now["step"] == "2":                 # a wrong try at c̄
            assert now["kind"] == "wrong-input-partial" and now["current"] == ["c"]
            assert "c̄ = ?" in now["nodeText"] and "c̄ = 2" not in now["nodeText"]
        if text == "6":                                        # the third wrong try at b̄
            assert now["reveal"] and now["hint"].endswith("You can ask for the worked step now.")
    end = root.evaluate(JS_STATE)
    assert python.done and end["done"] == "true" and end["visible"] == ["5"]
    assert python.score == (1, 5)                 # only d̄ right at the first try
    assert (end["right"], end["asked"]) == ("1", "5") and "1 of 5" in end["question"]
    assert "b̄ = 5" in end["nodeText"] and len(end["worked"]) == 5
    assert end["worked"][-1] == "b̄ = ∂c/∂b·c̄ + ∂d/∂b·d̄ = 1·2 + 1·3 = 5"
    assert end["log"] == len(SESSION) == len(python.attempts)
    page.locator(".tg-practice-log summary").click()
    root.screenshot(path=screenshots / "practice-page-done.png")

    # Start again; three wrong tries at the seed offer the worked step, which moves on.
    root.locator(".tg-practice-restart").click()
    again = root.evaluate(JS_STATE)
    assert again["step"] == "1" and again["log"] == 0 and again["worked"] == []
    for text in ("5", "6", "7"):
        state = type_answer(page, root, text)
    assert state["reveal"] and state["kind"] == "unknown"
    root.locator(".tg-practice-reveal").click()
    shown = root.evaluate(JS_STATE)
    assert shown["kind"] == "revealed" and shown["step"] == "2" and not shown["reveal"]
    assert shown["worked"] == ["ē = 1 (seed: de/de) (shown)"] and shown["asked"] == "1"
    assert shown["right"] == "0"

    assert page.remote_requests == [], f"the page tried the network: {page.remote_requests}"
    assert page.errors == [], f"JavaScript errors in the practice page: {page.errors}"


def test_the_page_rounds_and_reads_like_python(offline_page, tmp_path):
    """Values mode on sin: rounding, calculations and the math functions, as Python judges them."""
    page = offline_page
    graph = tg.trace("y = sin(x) * x", x=0.5)          # c = sin(x) = 0.4794…, y = 0.2397…
    root = open_page(page, tmp_path, graph, "values", "practice-values")
    python = Practice(graph, "values")
    for text in ("0.48", "0.1_0", "0x10", "log1p(0.6)", "softplus(-0.5)", "0.47", "0.8776",
                 "sin(0.5)", "0.2", "0.24", "0.5 * sin(0.5)"):
        expected = python.answer(text)
        now = type_answer(page, root, text)
        assert (now["kind"], now["hint"]) == (expected.kind, expected.hint), (text, now)
    assert python.done and root.evaluate(JS_STATE)["done"] == "true"
    assert page.remote_requests == [] and page.errors == []


JUDGE_ALL = "(root, texts) => texts.map(t => root.tgPractice.judge(t))"


def python_verdict(graph, text):
    """What Python says of ``text`` at the first step asked, as the page's judge says it."""
    feedback = Practice(graph, "values").answer(text)
    if feedback.kind == "invalid":
        return {"kind": "invalid", "answer": None}
    read = read_answer(text)
    return {"kind": feedback.kind, "hint": feedback.hint,
            "answer": {"text": read.text, "value": read.value, "digits": read.digits,
                       "halfUnit": read.half_unit}}


def disagreement(text, python, page):
    """Why the page's verdict on ``text`` is not Python's, or None."""
    if python["kind"] != page["kind"]:
        return f"{text!r}: Python {python['kind']}, the page {page['kind']} ({page['hint']})"
    if python["answer"] is None:
        return None
    if python["hint"] != page["hint"]:
        return f"{text!r}: hints differ: {python['hint']!r} / {page['hint']!r}"
    ours, theirs = python["answer"], page["answer"]
    if not math.isclose(ours["value"], theirs["value"], rel_tol=1e-12, abs_tol=1e-300):
        return f"{text!r}: Python reads {ours['value']!r}, the page {theirs['value']!r}"
    if (ours["text"], ours["digits"], ours["halfUnit"]) != \
            (theirs["text"], theirs["digits"], theirs["halfUnit"]):
        return f"{text!r}: Python {ours}, the page {theirs}"
    return None


@pytest.mark.parametrize("source, inputs", [(SEED, {"a": 2, "b": 1}),         # c = 3 asked
                                            ("y = sin(x) * x", {"x": 0.5})])  # c = 0.4794…
def test_the_page_and_python_read_every_answer_of_the_corpus_alike(offline_page, tmp_path,
                                                                   source, inputs):
    """Issue 22: one grammar. Every answer of the hostile corpus (tests/practice/test_hostile_fuzz.py)
    gets the same verdict, hint and number from the page's script as from Python."""
    from tests.practice.test_hostile_fuzz import answer_corpus

    page = offline_page
    graph = tg.trace(source, **inputs)
    root = open_page(page, tmp_path, graph, "values", "practice-corpus")
    # A lone surrogate cannot be typed into a page (Python's own tests cover it).
    corpus = [t for t in answer_corpus() + GRAMMAR_CASES if t.encode("utf-8", "ignore").decode()
              == t]
    verdicts = root.evaluate(JUDGE_ALL, corpus)
    python = [python_verdict(graph, text) for text in corpus]
    wrong = [why for text, ours, theirs in zip(corpus, python, verdicts)
             if (why := disagreement(text, ours, theirs)) is not None]
    assert not wrong, f"{len(wrong)} of {len(corpus)} answers read differently:\n" + \
        "\n".join(wrong[:20])
    kinds = {v["kind"] for v in python}
    assert {"invalid", "unknown"} <= kinds and len(kinds) >= 4, kinds     # a varied corpus
    assert sum(v["kind"] != "invalid" for v in python) > len(corpus) // 4
    assert page.errors == [] and page.remote_requests == []


def test_the_practice_widget_in_jupyterlab(lab, screenshots):
    with lab.notebook(WIDGET_NOTEBOOK) as nb:
        nb.run_all()
        assert not nb.problems()
        assert nb.wait_for_widgets()["drawn"] == 1
        page = nb.page
        root = page.locator(".tg-practice").first
        box = root.locator(".tg-practice-input input")
        hint = root.locator(".tg-practice-hint")
        question = root.locator(".tg-practice-question")
        assert "step 1 of 5: ē = de/de = ?" in question.inner_text()
        root.screenshot(path=screenshots / "practice-widget-start.png")

        box.fill("1")
        box.press("Enter")
        hint.locator(".tg-right").wait_for()
        assert "Right: ē = 1" in hint.inner_text()
        page.wait_for_function("(q) => q.textContent.includes('step 2 of 5')",
                               arg=question.element_handle())
        assert box.input_value() == ""

        box.fill("3")                                 # ∂e/∂d instead of ∂e/∂c
        root.locator(".tg-practice-check button, button.tg-practice-check").first.click()
        hint.locator(".tg-wrong").wait_for()
        assert "with respect to d instead" in hint.inner_text()
        current = root.locator(".tg-picture g.node.tg-current text >> nth=0")
        assert current.all_text_contents() == ["c"]
        assert "c̄ = ?" in root.locator(".tg-picture").text_content()
        root.screenshot(path=screenshots / "practice-widget-wrong.png")

        box.fill("__import__('os')")
        box.press("Enter")
        hint.locator(".tg-invalid").wait_for()
        assert "not an allowed function" in hint.inner_text()

        box.fill("2*1")
        box.press("Enter")
        hint.locator(".tg-right").wait_for()
        page.wait_for_function("(q) => q.textContent.includes('step 3 of 5')",
                               arg=question.element_handle())
        assert "1 of 2 right at the first try" in root.locator(".tg-practice-score").inner_text()
        root.screenshot(path=screenshots / "practice-widget-right.png")
        assert not nb.page_errors, nb.page_errors
