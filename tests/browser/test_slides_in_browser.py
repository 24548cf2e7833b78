"""Lecture 1 as a reveal.js deck (``teachgrad slides``) runs offline in a real browser, moves with
the keyboard, and its kernel-free animation plays inside a slide.

The deck is built from the real ``lectures/01-graph-model.ipynb`` into a temporary folder and
opened from a ``file://`` URL (as a teacher opens it, double-clicking) in the session's Chromium,
in a context that is offline and aborts every request that is not a local file (conftest's
``offline_page``): reveal.js, its theme and MathJax must all come from the folder beside the deck.
"""

import shutil
import time
from pathlib import Path

import pytest

from teachgrad.course import slides
from teachgrad.course.cli import main

LECTURE = Path(__file__).resolve().parents[2] / "lectures" / "01-graph-model.ipynb"

JS_ANIMATION = """(root) => ({
  step: Number(root.getAttribute('data-step')),
  playing: root.getAttribute('data-playing'),
  visible: [...root.querySelectorAll('.tg-frame')].filter(f => f.style.display !== 'none')
              .map(f => Number(f.getAttribute('data-index'))),
})"""

# The animation on the slide being shown, if it is shown (not in a fragment still to come).
JS_SHOWN_ANIMATION = """() => {
  const slide = Reveal.getCurrentSlide();
  const root = slide && slide.querySelector('.tg-animation');
  if (!root) return null;
  const hidden = root.closest('.fragment:not(.visible)');
  return hidden ? null : root.id;
}"""

# Under file:// Chromium refuses web fonts (CORS for origin 'null'): MathJax then typesets with
# the system's fonts. That is the one failure a file:// deck may show; nothing else.
FILE_FONT_NOISE = ("from origin 'null' has been blocked by CORS policy",
                   "Failed to load resource: net::ERR_FAILED")


@pytest.fixture(scope="module")
def deck(tmp_path_factory) -> Path:
    try:
        slides.find_reveal()
    except slides.SlidesError as error:
        pytest.fail(f"the slides extra is missing: {error}", pytrace=False)
    source = tmp_path_factory.mktemp("lecture")
    shutil.copy(LECTURE, source / LECTURE.name)
    out = tmp_path_factory.mktemp("slides")
    assert main(["slides", str(source), "-o", str(out)]) == 0
    target = out / "01-graph-model.slides.html"
    assert target.is_file() and (out / "reveal.js" / "dist" / "reveal.js").is_file()
    return target


def indices(page):
    return page.evaluate("Reveal.getIndices()")


def test_the_deck_runs_offline_and_its_animation_plays(offline_page, deck, screenshots):
    page = offline_page
    failed = []
    page.on("requestfailed", lambda request: failed.append(request.url))
    page.goto(deck.as_uri())
    page.wait_for_function("window.Reveal && Reveal.isReady()", timeout=20_000)
    assert page.evaluate("Reveal.hasPlugin('notes')"), "the speaker-notes plugin did not load"
    total = page.evaluate("Reveal.getTotalSlides()")
    assert total >= 6, f"lecture 1 should make a deck of 6 or more slides, it has {total}"
    start = indices(page)
    assert start["h"] == 0 and start["v"] == 0, start

    # The keyboard moves through the deck: → goes on (a fragment or the next slide), ← back.
    page.keyboard.press("ArrowRight")
    moved = indices(page)
    assert moved != start, f"ArrowRight did not move the deck: {moved}"
    page.keyboard.press("ArrowLeft")
    assert indices(page) == start

    # Space steps through everything in order; stop at the first slide with an animation shown.
    uid, seen = None, [start]
    for _ in range(4 * total + 100):
        uid = page.evaluate(JS_SHOWN_ANIMATION)
        if uid:
            break
        page.keyboard.press("Space")
        now = indices(page)
        assert now != seen[-1], f"Space stopped moving at {now} before any animation showed"
        seen.append(now)
    assert uid, f"no slide of the deck shows a .tg-animation (went through {len(seen)} steps)"
    here = indices(page)
    assert here["h"] > 0, "the animation should not be on the title slide"
    time.sleep(1)                                   # reveal's slide transition
    root = page.locator(f"#{uid}")
    assert root.is_visible()
    before = page.evaluate(JS_ANIMATION, root.element_handle())
    assert before["playing"] == "false" and before["visible"] == [before["step"]], before

    # Play from the first frame (a lecture may store its animation at a later step), inside the
    # slide: the frames change step by step, and the deck stays where it is.
    root.locator(".tg-first").click()
    before = page.evaluate(JS_ANIMATION, root.element_handle())
    assert before["step"] == 0 and indices(page) == here, before
    root.locator(".tg-speed").select_option("4")
    root.locator(".tg-play").click()
    deadline, steps = time.monotonic() + 10, [before["step"]]
    while time.monotonic() < deadline:
        now = page.evaluate(JS_ANIMATION, root.element_handle())
        assert now["visible"] == [now["step"]], now          # exactly the current frame shows
        if now["step"] != steps[-1]:
            steps.append(now["step"])
        if len(steps) >= 3:
            break
        time.sleep(0.05)
    assert len(steps) >= 3 and steps == sorted(steps), f"Play should step on, saw {steps}"
    root.screenshot(path=screenshots / "slides-lecture1-animation-playing.png")
    root.locator(".tg-play").click()                          # pause
    assert page.evaluate(JS_ANIMATION, root.element_handle())["playing"] == "false"
    assert indices(page) == here, "pressing Play must not move the deck"

    # With the focus on the animation, → steps the animation, not the deck; without, the deck.
    step = page.evaluate(JS_ANIMATION, root.element_handle())["step"]
    root.locator(".tg-prev").click()
    root.focus()
    page.keyboard.press("ArrowRight")
    assert page.evaluate(JS_ANIMATION, root.element_handle())["step"] == step
    assert indices(page) == here
    page.evaluate("document.activeElement.blur()")
    page.keyboard.press("ArrowRight")
    assert indices(page) != here, "→ outside the animation should move the deck again"
    page.screenshot(path=screenshots / "slides-lecture1-after.png")

    assert page.remote_requests == [], f"the deck tried the network: {page.remote_requests}"
    assert all(url == "about:blank" or url.startswith("file:") for url in failed), failed
    missing = [url for url in failed if url.startswith("file:") and not url.split("?")[0]
               .endswith((".woff", ".otf", ".ttf", ".eot"))]
    assert missing == [], f"files the deck needs are missing beside it: {missing}"
    errors = [e for e in page.errors if not any(noise in e for noise in FILE_FONT_NOISE)]
    assert errors == [], f"JavaScript errors in the deck: {errors}"


# Every screen of a deck (a slide or a subslide, with all its fragments) measured as reveal.js
# lays it out: its content's height and width in the deck's own 1000 × 900 coordinates.
JS_SCREENS = """() => {
  Reveal.configure({transition: 'none'});
  const sizes = [];
  const tops = [...document.querySelectorAll('.slides > section')];
  tops.forEach((top, h) => {
    const n = Math.max(1, top.querySelectorAll(':scope > section').length);
    for (let v = 0; v < n; v++) {
      Reveal.slide(h, v, -1);
      const s = Reveal.getCurrentSlide();
      sizes.push({h, v, height: s.scrollHeight, width: s.scrollWidth,
                  first: (s.querySelector('.jp-Cell') || {}).id || ''});
    }
  });
  return {sizes, width: Reveal.getConfig().width, height: Reveal.getConfig().height};
}"""


@pytest.fixture(scope="module")
def all_decks(tmp_path_factory):
    out = tmp_path_factory.mktemp("all-slides")
    assert main(["slides", str(LECTURE.parent), "-o", str(out)]) == 0
    return sorted(out.glob("*.slides.html"))


def test_every_screen_of_every_deck_fits_the_slide(offline_page, all_decks):
    """Nothing is cut off: each screen's content fits reveal.js's 1000 × 900 (long plotting code
    is tagged hide-input, a tall picture is drawn smaller, a long section has subslides)."""
    assert len(all_decks) == 6
    page, too_big = offline_page, []
    for deck in all_decks:
        page.goto(deck.as_uri())
        page.wait_for_function("window.Reveal && Reveal.isReady()", timeout=20_000)
        measured = page.evaluate(JS_SCREENS)
        assert (measured["width"], measured["height"]) == (1000, 900)
        assert len(measured["sizes"]) >= 6, deck.name
        too_big += [(deck.name, s["h"], s["v"], s["first"], s["height"], s["width"])
                    for s in measured["sizes"] if s["height"] > 900 or s["width"] > 1000]
    assert not too_big, f"screens larger than 1000 × 900 (deck, h, v, first cell, height, width): {too_big}"
