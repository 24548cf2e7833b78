"""The practice page: the steps of a propagation to compute one by one, checked in the browser.

A self-contained HTML page (or ``<div>``) for a course website: the pictures are inline SVG, and
the short script of ``page.js`` (styled by ``page.css``) reads each answer with the
same whitelist as :func:`teachgrad.teaching.expressions.number_value` — numbers, ``+ - * / **``,
parentheses and the math functions, nothing else — checks it against the value embedded in the
page with the rules of :mod:`teachgrad.practice.answers`, and diagnoses a wrong one from the
mistakes :mod:`teachgrad.practice.mistakes` computed beforehand (a candidate value and its
hint per mistake). No kernel and no network: the page makes no request at all.

The answers are in the page, so a student who reads its source can find them: this is for
practice, not for grading. Everything a user named (node names, the source text) is escaped,
and the JSON inside ``<script>`` has ``<``, ``>`` and ``&`` written as ``\\u003c``, ``\\u003e``,
``\\u0026``, so no text can end the script.

Hooks for scripts and browser tests: the root ``.tg-practice`` (``data-step``: the step asked,
from 1 as the captions count, ``data-done``, ``data-right``, ``data-asked``),
``.tg-practice-input``,
``.tg-practice-check``, ``.tg-practice-reveal``, ``.tg-practice-restart``, ``.tg-practice-hint``
(``data-kind``: ``right``, ``invalid``, a mistake's kind …), ``.tg-practice-question``,
``.tg-practice-score``, ``.tg-practice-frame`` (one per step asked, and the last ``data-final``),
``.tg-practice-worked`` (the steps done) and ``.tg-practice-attempts`` (the log).
"""

import functools
import hashlib
import json
from importlib import resources

from ..teaching.expressions import FUNCTIONS
from ..teaching.notation import escape
from ..render.animation import page
from . import Practice
from .answers import ABSOLUTE, MAX_LENGTH, MIN_DIGITS, RELATIVE, SIGNS
from .session import TEXTS, TRIES
from ..render.animation import MAX_ANIMATION_SIZE, inline_svg
from ..render.engine import frames

__all__ = ["practice_html", "script_json", "JS_FUNCTIONS"]

# The math functions the page's script computes (all of teachgrad's expression functions that
# take numbers); an answer calling another is refused with a message that says so.
JS_FUNCTIONS = ("sin", "cos", "tan", "exp", "log", "sqrt", "square", "abs", "sinh", "cosh",
                "tanh", "atan", "sigmoid", "relu", "maximum", "minimum")

_TITLES = {"values": "Practice: compute each value",
           "forward": "Practice: forward mode, each tangent",
           "reverse": "Practice: reverse mode, each adjoint"}


@functools.lru_cache(maxsize=None)
def _asset(name):
    return resources.files(__package__).joinpath(name).read_text(encoding="utf-8")


def script_json(value):
    """JSON that can sit inside ``<script>``: no ``<``, ``>`` or ``&`` left to end it early.

    >>> script_json({"x": "</script><!--"})
    '{"x": "\\\\u003c/script\\\\u003e\\\\u003c!--"}'
    """
    text = json.dumps(value, ensure_ascii=False, allow_nan=False)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def _data(run):
    """Everything the script needs: the steps asked, the rules, the sentences."""
    steps = []
    for ex in run.exercises:
        item = ex.as_dict()
        item["step"] = ex.step.index + 1
        steps.append(item)
    functions = {name: FUNCTIONS[name][1] for name in JS_FUNCTIONS if name in FUNCTIONS}
    return {"steps": steps, "nSteps": len(run.all_steps), "given": [s.text for s in run.given],
            "tries": TRIES, "minDigits": MIN_DIGITS, "relative": RELATIVE, "absolute": ABSOLUTE,
            "maxLength": MAX_LENGTH, "signs": SIGNS, "functions": functions, "texts": TEXTS}


def _frames_html(run, uid):
    """The question pictures (one per step asked, its result hidden) and the last picture."""
    wrt, of = run.wrt, run.of
    hidden = frames(run.graph, run.mode, wrt=wrt, of=of, hidden=True)
    final = frames(run.graph, run.mode, wrt=wrt, of=of)[-1]
    parts = []
    for i, step in enumerate(run.steps):
        shown = "" if i == 0 else ' style="display:none"'
        parts.append(f'<div class="tg-practice-frame" data-index="{i}"{shown}>'
                     f"{inline_svg(hidden[step.index + 1], f'{uid}-q{i}')}</div>")
    parts.append(f'<div class="tg-practice-frame" data-index="{len(run.steps)}" data-final="true"'
                 f' style="display:none">{inline_svg(final, f"{uid}-done")}</div>')
    return "\n".join(parts)


_FORM = """<form class="tg-practice-form" autocomplete="off">
<label class="tg-practice-question" for="{uid}-answer">{question}</label>
<input type="text" id="{uid}-answer" class="tg-practice-input" spellcheck="false" \
autocapitalize="off" placeholder="a number, or a calculation like 1*2 + 1*3" \
aria-label="your answer">
<button type="submit" class="tg-practice-check">Check</button>
<button type="button" class="tg-practice-reveal" hidden>Show the step</button>
<button type="button" class="tg-practice-restart">Start again</button>
</form>"""

_LOG = """<ol class="tg-practice-worked">{given}</ol>
<details class="tg-practice-log"><summary>Attempts log (<span class="tg-practice-log-count">0\
</span>)</summary>
<table class="tg-practice-attempts"><thead><tr><th>time</th><th>step</th><th>asked</th>\
<th>typed</th><th>result</th></tr></thead><tbody></tbody></table></details>"""


def _fragment(run, uid, title):
    first = run.exercises[0]
    given = "".join(f'<li class="tg-given">{escape(t)} (given)</li>' for t in
                    (s.text for s in run.given))
    question = f"step {first.step.index + 1} of {len(run.all_steps)}: {first.question}"
    return f"""<div class="tg-practice" id="{uid}" data-mode="{escape(run.mode)}" \
data-step="{first.step.index + 1}" data-n-steps="{len(run.all_steps)}" data-done="false" \
data-right="0" data-asked="0">
<style>{_asset("page.css").replace("__ROOT__", f"#{uid}").strip()}</style>
<div class="tg-practice-title">{escape(title)}</div>
<div class="tg-practice-score" aria-live="polite">0 of 0 right at the first try</div>
{_frames_html(run, uid)}
{_FORM.format(uid=uid, question=escape(question))}
<div class="tg-practice-hint" role="status" data-kind=""></div>
{_LOG.format(given=given)}
<noscript>This practice page checks answers with JavaScript; turn it on to practise.</noscript>
<script>
{_asset("page.js").replace("__TG_ROOT_ID__", script_json(uid))
 .replace("__TG_PRACTICE__", script_json(_data(run)))}</script>
</div>"""


def practice_html(graph, mode="values", wrt=None, of=None, standalone=True, title=None):
    """A self-contained practice page for ``mode`` on ``graph`` (forward mode seeded at
    ``wrt``, reverse mode at ``of``): each step's picture with its result hidden, an answer box
    checked in the browser with hints for the common mistakes, the worked step after three
    wrong tries, a score and an attempts log — no kernel, no network.

    ``standalone=False`` gives the ``<div>`` alone, to show inline in a notebook; its id comes
    from a hash of the content, so it is unique per page yet the same on every run.

    >>> import teachgrad as tg
    >>> page = practice_html(tg.trace("e = (a + b) * (b + 1)", a=2, b=1), "reverse")
    >>> page.startswith("<!DOCTYPE html>"), page.count('class="tg-practice-frame"')
    (True, 6)
    >>> 'class="tg-practice-input"' in page and "</script>" not in page.split("<script>")[1][:-30]
    True
    """
    run = Practice(graph, mode, wrt, of)
    if len(graph) * (len(run.steps) + 1) > MAX_ANIMATION_SIZE:
        raise ValueError(f"{len(graph)} nodes and {len(run.steps)} steps are too many for a "
                         "practice page: practise on a smaller graph")
    if not run.steps:
        raise ValueError("this graph has no step to compute")
    title = _TITLES[mode] if title is None else str(title)
    digest = hashlib.sha1(script_json([mode, title, _data(run)]).encode("utf-8")).hexdigest()
    uid = f"tg-practice-{digest[:12]}"
    fragment = _fragment(run, uid, title)
    return page(title, fragment) if standalone else fragment
