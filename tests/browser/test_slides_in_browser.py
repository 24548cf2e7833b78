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
# lays it out once the deck has drawn its graphs large (data-tg-fitted): its content's height and
# width in the deck's own coordinates, what is wider than its box (code, output, pictures), and
# the smallest label of its Graphviz pictures in screen pixels.
JS_SCREENS = """async () => {
  Reveal.configure({transition: 'none'});
  const fitted = (s) => new Promise(done => {
    const t0 = Date.now();
    const wait = () => (s.dataset.tgFitted || Date.now() - t0 > 5000) ? done()
                                                                      : setTimeout(wait, 20);
    wait();
  });
  const screens = [];
  const tops = [...document.querySelectorAll('.slides > section')];
  for (let h = 0; h < tops.length; h++) {
    const n = Math.max(1, tops[h].querySelectorAll(':scope > section').length);
    for (let v = 0; v < n; v++) {
      Reveal.slide(h, v, -1);
      const s = Reveal.getCurrentSlide();
      await fitted(s);
      const box = s.getBoundingClientRect();
      const wide = [];
      s.querySelectorAll('.jp-Cell *').forEach(e => {
        const r = e.getBoundingClientRect();
        if (r.width === 0 || e.closest('svg') && e.tagName.toLowerCase() !== 'svg') return;
        if (e.closest('.MJX_Assistive_MathML')) return;   // MathJax's copy for screen readers
        const cut = getComputedStyle(e).overflowX !== 'visible' &&
                    e.scrollWidth > e.clientWidth + 1;
        if (cut || r.right > box.right + 1 || r.left < box.left - 1)
          wide.push(`${e.tagName.toLowerCase()}.${String(e.className.baseVal ?? e.className)
                     .split(' ')[0]}: ${(e.innerText || '').trim().slice(0, 60)}`);
      });
      const labels = [...s.querySelectorAll('svg text')].filter(t => t.closest('svg g.graph') &&
        t.textContent.trim() && t.getBoundingClientRect().height > 0)
        .map(t => parseFloat(getComputedStyle(t).fontSize) * Math.hypot(t.getScreenCTM().a,
                                                                          t.getScreenCTM().b));
      const off = box.top < -1 || box.bottom > window.innerHeight + 1 || box.left < -1 ||
                  box.right > window.innerWidth + 1;          // centred, on the screen
      screens.push({h, v, height: s.scrollHeight, width: s.scrollWidth, wide: wide.slice(0, 3), off,
                    labels: labels.length, smallest: labels.length ? Math.min(...labels) : null,
                    fitted: !!s.dataset.tgFitted,
                    first: (s.querySelector('.jp-Cell') || {}).id || ''});
    }
  }
  return {screens, width: Reveal.getConfig().width, height: Reveal.getConfig().height,
          scale: Reveal.getScale()};
}"""

SMALLEST_LABEL = 14      # px on a 1280 × 720 screen: a graph's labels read from the back of a room


@pytest.fixture(scope="module")
def all_decks(tmp_path_factory):
    out = tmp_path_factory.mktemp("all-slides")
    assert main(["slides", str(LECTURE.parent), "-o", str(out)]) == 0
    return sorted(out.glob("*.slides.html"))


def test_every_screen_of_every_deck_fits_the_slide_and_reads_at_1280x720(offline_pages, all_decks,
                                                                         screenshots):
    """Nothing is cut off at the bottom or the right: each screen's content fits reveal.js's
    1600 × 900, no code line, output or picture is wider than its box (long code wraps, a tall
    picture is drawn smaller, a long section has subslides), and on a 1280 × 720 screen no label
    of a graph is under 14 px (the deck draws graphs as large as their slide allows)."""
    assert len(all_decks) == 6
    page = offline_pages(1280, 720)
    too_big, too_wide, too_small, measured_labels = [], [], [], 0
    for deck in all_decks:
        page.goto(deck.as_uri())
        page.wait_for_function("window.Reveal && Reveal.isReady()", timeout=20_000)
        measured = page.evaluate(JS_SCREENS)
        assert (measured["width"], measured["height"]) == (1600, 900)
        assert abs(measured["scale"] - 0.768) < 0.01         # 720 · 0.96 / 900: fills 16:9
        screens = measured["screens"]
        assert len(screens) >= 6 and all(s["fitted"] for s in screens), deck.name
        too_big += [(deck.name, s["h"], s["v"], s["first"], s["height"], s["width"])
                    for s in screens if s["height"] > 900 or s["width"] > 1600 or s["off"]]
        too_wide += [(deck.name, s["h"], s["v"], s["first"], s["wide"])
                     for s in screens if s["wide"]]
        too_small += [(deck.name, s["first"], round(s["smallest"], 1)) for s in screens
                      if s["labels"] and s["smallest"] < SMALLEST_LABEL]
        measured_labels += sum(s["labels"] for s in screens)
    assert not too_big, ("screens larger than 1600 × 900 or off the screen (deck, h, v, first "
                         f"cell, height, width): {too_big}")
    assert not too_wide, f"screens with something cut off on the right: {too_wide}"
    assert measured_labels > 100, "the decks should hold graphs whose labels were measured"
    assert not too_small, f"graph labels under {SMALLEST_LABEL} px at 1280 × 720: {too_small}"

    # Pictures to look at: the L4 loop that used to lose its right end, a graph drawn large.
    for name, h, v, picture in (("04-variables-hinge-loss", 6, 2, "slides-L4-classic-bug.png"),
                                ("05-automatic-gradients", 6, 2, "slides-L5-forward-mode.png")):
        page.goto(f"{next(d for d in all_decks if d.name.startswith(name)).as_uri()}#/{h}/{v}")
        page.wait_for_function("window.Reveal && Reveal.isReady() && "
                               "Reveal.getCurrentSlide().dataset.tgFitted", timeout=20_000)
        page.screenshot(path=screenshots / picture)


# A step list printed wider than the slide wraps between words (or after a /, the browser's rule),
# never inside a number: no 19.07 starts on one line and ends on the next.
JS_BROKEN_NUMBERS = """() => {
  const broken = [];
  document.querySelectorAll('.jp-OutputArea-output pre').forEach(pre => {
    const walker = document.createTreeWalker(pre, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      for (const m of node.textContent.matchAll(/\\d+(?:\\.\\d+)?/g)) {
        const range = document.createRange();
        range.setStart(node, m.index);
        range.setEnd(node, m.index + m[0].length);
        const tops = new Set([...range.getClientRects()].map(r => Math.round(r.top)));
        if (tops.size > 1) broken.push(m[0]);
      }
    }
  });
  return {broken, lines: Math.round(document.querySelector('.jp-OutputArea-output pre')
                                    .getBoundingClientRect().height / 20)};
}"""


def test_a_long_step_list_wraps_between_words_never_inside_a_number(offline_pages, tmp_path):
    import nbformat

    import teachgrad as tg

    graph = tg.trace("y = x1*x2 + x1*x3 + x2*x3 + x1*x1*x2*x3", x1=1.9, x2=2.7, x3=3.1)
    # The steps of x1, x2, x3 (three terms each), each 12 times on a line: some 30 screen lines
    text = "\n".join("   ".join([step.text] * 12) for step in graph.reverse_mode("y")
                     if step.node.startswith("x"))
    cell = nbformat.v4.new_code_cell("steps", outputs=[nbformat.v4.new_output("stream", text=text)])
    (tmp_path / "nb").mkdir()
    nbformat.write(nbformat.v4.new_notebook(cells=[cell]), tmp_path / "nb" / "steps.ipynb")
    assert main(["slides", str(tmp_path / "nb"), "-o", str(tmp_path / "out")]) == 0
    page = offline_pages(1280, 720)
    page.goto((tmp_path / "out" / "steps.slides.html").as_uri())
    page.wait_for_function("window.Reveal && Reveal.isReady()", timeout=20_000)
    found = page.evaluate(JS_BROKEN_NUMBERS)
    assert found["lines"] > len(text.splitlines()), "the test's lines should be wider than a slide"
    assert found["broken"] == [], f"numbers cut across two lines: {found['broken']}"
