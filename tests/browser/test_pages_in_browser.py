"""``teachgrad html`` pages typeset their maths offline, in a real browser.

Lecture 5 (the most formulas) exported with ``teachgrad html`` into a temporary folder and opened
from a ``file://`` URL in the session's Chromium, offline, every request that is not a local file
aborted (conftest's ``offline_pages``): MathJax must come from the folder beside the page. The
same notebook exported by nbconvert alone shows raw ``$…$`` there — what the command is for.
"""

import time
from pathlib import Path

import pytest

from teachgrad.course import slides
from teachgrad.course.cli import main

LECTURE = Path(__file__).resolve().parents[2] / "lectures" / "05-automatic-gradients.ipynb"

# What the page shows: the typeset formulas, and any $…$ left as raw text in the prose.
JS_MATHS = r"""() => {
  const prose = [...document.querySelectorAll('.jp-MarkdownCell .jp-RenderedMarkdown')]
    .map(e => e.innerText).join('\n');
  return {typeset: document.querySelectorAll('.MathJax, .MathJax_Display, .MathJax_CHTML').length,
          raw: prose.match(/\$[^$\n]{1,60}\$/g) || [],
          queued: window.MathJax && MathJax.Hub
                  ? MathJax.Hub.queue.pending + MathJax.Hub.queue.running : -1};
}"""


def wait_for_maths(page, seconds=30):
    deadline = time.monotonic() + seconds
    while True:
        found = page.evaluate(JS_MATHS)
        if (found["typeset"] and found["queued"] == 0) or time.monotonic() > deadline:
            return found
        time.sleep(0.2)


def test_an_exported_lecture_typesets_its_maths_offline(offline_pages, tmp_path, screenshots):
    if slides.find_mathjax() is None:
        pytest.fail("the slides extra (jupyter-server-mathjax) is missing", pytrace=False)
    assert main(["html", str(LECTURE), "-o", str(tmp_path / "pages")]) == 0
    page = offline_pages(1280, 900)
    failed = []
    page.on("requestfailed", lambda request: failed.append(request.url))
    page.goto((tmp_path / "pages" / f"{LECTURE.stem}.html").as_uri())
    found = wait_for_maths(page)
    assert found["raw"] == [], f"maths left as raw text: {found['raw'][:3]}"
    assert found["typeset"] >= 50, found            # lecture 5 holds about 120 formulas
    assert page.evaluate("document.querySelectorAll('script[type^=\"math/tex\"]').length") >= 50
    page.screenshot(path=screenshots / "page-lecture5-maths-offline.png")
    assert page.remote_requests == [], f"the page tried the network: {page.remote_requests}"
    missing = [url for url in failed if url.startswith("file:") and not url.split("?")[0]
               .endswith((".woff", ".otf", ".ttf", ".eot"))]
    assert missing == [], f"files the page needs are missing beside it: {missing}"


def test_nbconvert_alone_shows_raw_maths_offline(offline_pages, tmp_path):
    """The contrast: nbconvert's page loads MathJax from a CDN, so offline its $…$ stay raw."""
    from nbconvert import HTMLExporter

    html, _ = HTMLExporter(template_name="lab").from_filename(str(LECTURE))
    (tmp_path / "nbconvert.html").write_text(html, encoding="utf-8")
    page = offline_pages(1280, 900)
    page.goto((tmp_path / "nbconvert.html").as_uri())
    time.sleep(2)
    found = page.evaluate(JS_MATHS)
    assert found["typeset"] == 0 and len(found["raw"]) >= 20, found
    assert any("mathjax" in url.lower() for url in page.remote_requests), page.remote_requests
