"""The HTML animation of ``teachgrad render … -o x.html`` plays in a real browser with the network off.

The page is opened from a ``file://`` URL in Debian's Chromium (the session's browser, see
conftest.py) in a context that is offline and aborts every request that is not a local file, so
anything the page would fetch (a script, a font, a stylesheet) shows up as a failure. The hooks
are the ones ``teachgrad.render.animation_html`` documents: ``.tg-play``, ``.tg-prev``,
``.tg-next``, ``.tg-slider``, ``.tg-speed``, ``.tg-frame``, ``.tg-step-text`` and the current step
in the root's ``data-step``.
"""

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

SOURCE = "e = (a + b) * (b + 1)"

# Reverse mode on the seed graph at a=2, b=1: seed ē = 1, then c̄ = 2, d̄ = 3, ā = 2, b̄ = 5.
ADJOINTS = {"e": "ē = 1", "c": "c̄ = 2", "d": "d̄ = 3", "a": "ā = 2", "b": "b̄ = 5"}

JS_STATE = """(root) => {
  const visible = [...root.querySelectorAll('.tg-frame')].filter(f => f.style.display !== 'none');
  const svg = visible.length === 1 ? visible[0].querySelector('svg') : null;
  const texts = svg ? [...svg.querySelectorAll('g.node')].map(n => n.textContent) : [];
  return {
    step: Number(root.getAttribute('data-step')),
    playing: root.getAttribute('data-playing'),
    visible: visible.map(f => Number(f.getAttribute('data-index'))),
    // Graphviz's ids are n0, n1, …: a node's name is its first text.
    current: svg ? [...svg.querySelectorAll('g.node.tg-current')].map(g => g.querySelector('text').textContent) : [],
    nodeText: texts.join(' | '),
    stepText: root.querySelector('.tg-step-text').textContent,
    slider: Number(root.querySelector('.tg-slider').value),
    counter: root.querySelector('.tg-counter') ? root.querySelector('.tg-counter').textContent : null,
  };
}"""


def teachgrad_command():
    """The `teachgrad` console script of this environment, or the same entry point via -c."""
    script = Path(sys.executable).with_name("teachgrad")
    if script.exists():
        return [str(script)]
    return [sys.executable, "-c", "import sys; from teachgrad.course.cli import main; sys.exit(main())"]


@pytest.fixture(scope="module")
def animation_file(tmp_path_factory) -> Path:
    target = tmp_path_factory.mktemp("animation") / "x.html"
    done = subprocess.run(
        [*teachgrad_command(), "render", SOURCE, "a=2", "b=1", "--mode", "reverse", "-o", str(target)],
        capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, f"teachgrad render failed ({done.returncode}):\n{done.stderr}"
    assert target.exists(), f"teachgrad render wrote no file:\n{done.stdout}\n{done.stderr}"
    return target


@pytest.fixture
def offline_page(offline_pages):
    """An offline page of 1100 × 800 (conftest's ``offline_pages``)."""
    return offline_pages(1100, 800)


def state(page):
    return page.evaluate(JS_STATE, page.query_selector(".tg-animation"))


def test_html_animation_plays_offline(browser, offline_page, animation_file, screenshots):
    page = offline_page
    page.goto(animation_file.as_uri())
    root = page.locator(".tg-animation")
    root.wait_for()
    n_frames = page.locator(".tg-frame").count()
    last = int(root.get_attribute("data-n-steps"))
    assert n_frames == last + 1 == 6, "reverse mode on the seed graph: a seed and 4 adjoints + start"

    start = state(page)
    assert start["step"] == 0 and start["visible"] == [0] and start["slider"] == 0, start
    assert start["current"] == []

    # Next: one step on, a new frame, the seed ē = 1 highlighted, the step's arithmetic in words.
    page.locator(".tg-next").click()
    one = state(page)
    assert one["step"] == 1 and one["visible"] == [1] and one["slider"] == 1, one
    assert one["current"] == ["e"] and ADJOINTS["e"] in one["nodeText"], one
    assert one["stepText"] != start["stepText"]
    page.locator(".tg-prev").click()
    assert state(page)["step"] == 0

    # Play at 4 steps/s: the steps advance one by one to the last, then it stops by itself.
    page.locator(".tg-speed").select_option("4")
    page.locator(".tg-play").click()
    seen, deadline = [], time.monotonic() + 10
    while time.monotonic() < deadline:
        now = state(page)
        if not seen or seen[-1] != now["step"]:
            seen.append(now["step"])
            assert now["visible"] == [now["step"]], now      # exactly the current frame shows
            if now["step"] == 2:
                root.screenshot(path=screenshots / "html-animation-reverse-step2.png")
        if now["step"] == last and now["playing"] == "false":
            break
        time.sleep(0.05)
    assert seen == list(range(0, last + 1)), f"Play should show every step in order, saw {seen}"
    end = state(page)
    assert end["playing"] == "false" and end["slider"] == last
    highlighted = []
    for step in range(1, last + 1):               # each step highlights the node it computes
        page.locator(".tg-slider").fill(str(step))
        highlighted += state(page)["current"]
    assert highlighted == ["e", "c", "d", "a", "b"], highlighted
    for adjoint in ADJOINTS.values():
        assert adjoint in state(page)["nodeText"], (adjoint, state(page)["nodeText"])
    assert "b̄" in end["stepText"] and "5" in end["stepText"], end["stepText"]
    root.screenshot(path=screenshots / "html-animation-reverse-end.png")

    # The keyboard works too: Home on the slider, then ArrowRight on the animation.
    page.locator(".tg-slider").focus()
    page.keyboard.press("Home")
    assert state(page)["step"] == 0
    root.focus()
    page.keyboard.press("ArrowRight")
    assert state(page)["step"] == 1

    assert page.remote_requests == [], f"the animation tried the network: {page.remote_requests}"
    assert page.errors == [], f"JavaScript errors in the animation: {page.errors}"
    assert os.path.getsize(animation_file) > 0


# Issue 13: names that once became markup. A name given with name= went into the DOT source as a
# node id — '<a> [URL="javascript:…"] <b>' gave the SVG a clickable javascript: link — and
# 's<!--<script>' in a step text stopped the animation's script.
HOSTILE_NAMES = ['<a> [URL="javascript:alert(document.domain)" target="_top"] <b>',
                 "s<!--<script>", "</script><script>alert(1)</script>"]


def test_hostile_names_stay_text_and_the_script_still_runs(offline_page, tmp_path):
    import teachgrad as tg
    from teachgrad import render

    def f(x):
        y = tg.sin(x, name=HOSTILE_NAMES[0]) * tg.cos(x, name=HOSTILE_NAMES[1])
        return tg.exp(y, name=HOSTILE_NAMES[2])

    target = tmp_path / "hostile.html"
    render.write(tg.trace(f, x=1.0), target, mode="reverse")
    page, dialogs = offline_page, []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.goto(target.as_uri())
    root = page.locator(".tg-animation")
    root.wait_for()
    assert page.evaluate("document.querySelectorAll('a, [href], [*|href]').length") == 0
    assert page.evaluate("document.querySelectorAll('script').length") == 1
    page.locator(".tg-next").click()                       # the script runs: one step on
    assert state(page)["step"] == 1
    page.locator(".tg-last").click()
    end = state(page)
    for name in HOSTILE_NAMES:                             # shown as text, in full
        assert name in end["nodeText"] or name[:39] in end["nodeText"], (name, end["nodeText"])
    page.locator(".tg-frame:not([style*='none']) g.node").first.click()   # nothing to follow
    assert dialogs == [] and page.url == target.as_uri()
    assert page.errors == [], page.errors
