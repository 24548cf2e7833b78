"""The HTML animation of a propagation: every frame as inline SVG, the controls, and the short
script of ``animation.js`` styled by ``animation.css`` — no network, no kernel.

The script and the style sheet are package data, read once. ``animation.js`` is plain JavaScript
with three placeholders, ``__TG_ROOT_ID__``, ``__TG_STEP_TEXTS__`` and ``__TG_START__``, filled
in one pass with the animation's id, its step texts (JSON) and the first step shown;
``animation.css`` is scoped to one animation by prefixing ``.tg-animation`` with its id.
"""

import functools
import hashlib
import json
import re
from importlib import resources

from ..teaching.notation import escape
from .engine import propagation
from .view import check_step

__all__ = ["animation_html", "inline_svg", "page", "MAX_ANIMATION_SIZE"]

# An animation holds one picture per step, and a graph has about one step per node: past this
# many nodes × pictures the file would run to tens of megabytes.
MAX_ANIMATION_SIZE = 20_000

_TITLES = {"values": "Values flowing forward", "forward": "Forward-mode differentiation",
           "reverse": "Reverse-mode differentiation"}

_SVG_PROLOG = re.compile(r"\A.*?(?=<svg\b)", re.S)
_SVG_ID = re.compile(r'\bid="([^"]*)"')
_PLACEHOLDER = re.compile(r"__TG_(ROOT_ID|STEP_TEXTS|START)__")

_CONTROLS = """<div class="tg-controls">
<button type="button" class="tg-first" title="first step">&#xAB; First</button>
<button type="button" class="tg-prev" title="previous step (←)">&#x25C0; Prev</button>
<button type="button" class="tg-play" title="play / pause (space)">&#x25B6; Play</button>
<button type="button" class="tg-next" title="next step (→)">Next &#x25B6;</button>
<button type="button" class="tg-last" title="last step">Last &#xBB;</button>
<input type="range" class="tg-slider" min="0" max="{last}" step="1" value="{step}" \
aria-label="step">
<span class="tg-counter">step {step} / {last}</span>
<label>speed <select class="tg-speed" aria-label="speed">
<option value="0.5">0.5 steps/s</option>
<option value="1" selected>1 step/s</option>
<option value="2">2 steps/s</option>
<option value="4">4 steps/s</option>
</select></label>
</div>"""


@functools.lru_cache(maxsize=None)
def _asset(name):
    return resources.files(__package__).joinpath(name).read_text(encoding="utf-8")


def inline_svg(text, prefix):
    """An SVG document ready to sit inside HTML: no XML prolog, ids made unique per frame.

    >>> inline_svg('<?xml version="1.0"?>\\n<svg><g id="node1"></g></svg>', "f0")
    '<svg><g id="f0-node1"></g></svg>'
    """
    body = _SVG_PROLOG.sub("", text, count=1)
    return _SVG_ID.sub(lambda m: f'id="{prefix}-{m.group(1)}"', body)


def _step_texts(steps):
    texts = [f"step 0 of {len(steps)}: nothing computed yet"]
    texts += [f"step {s.index + 1} of {len(steps)}:  {s.text}" for s in steps]
    return texts


# Inside <script>, "</script>" ends the element and "<!--" changes how the rest is parsed: no
# "<" may appear at all. JSON strings may write any character as \uXXXX, and these are the ones
# HTML or older JavaScript read specially.
_SCRIPT_ESCAPES = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028",
                   "\u2029": "\\u2029"}
_SCRIPT_SPECIAL = re.compile("[<>&\u2028\u2029\ud800-\udfff]")   # and lone surrogates


def _json_for_script(value):
    """JSON that is safe anywhere inside a ``<script>`` element.

    >>> _json_for_script(["s<!--<script>", "</script>"])
    '["s\\\\u003c!--\\\\u003cscript\\\\u003e", "\\\\u003c/script\\\\u003e"]'
    """
    text = json.dumps(value, ensure_ascii=False)
    return _SCRIPT_SPECIAL.sub(
        lambda m: _SCRIPT_ESCAPES.get(m.group(), f"\\u{ord(m.group()):04x}"), text)


def _scoped_css(uid):
    return _asset("animation.css").replace(".tg-animation", f"#{uid}.tg-animation").strip()


def _script(uid, texts, step):
    values = {"ROOT_ID": _json_for_script(uid), "STEP_TEXTS": _json_for_script(texts),
              "START": str(step)}
    return _PLACEHOLDER.sub(lambda m: values[m.group(1)], _asset("animation.js"))


def _check_size(graph, n_steps):
    if len(graph) * (n_steps + 1) > MAX_ANIMATION_SIZE:
        raise ValueError(f"{len(graph)} nodes and {n_steps} steps are too many for an HTML "
                         f"animation (it would hold {n_steps + 1} pictures of "
                         f"{len(graph)} nodes); write single steps instead (.svg with a step) "
                         "or animate a smaller graph")


def _fragment(uid, mode, title, step, pictures, texts):
    """The ``<div>`` of one animation: its style, title, controls, frames and script."""
    last = len(pictures) - 1
    hidden = ' style="display:none"'
    frame_html = "\n".join(
        f'<div class="tg-frame" data-index="{k}"{"" if k == step else hidden}>'
        f"{inline_svg(p, f'{uid}-f{k}')}</div>"
        for k, p in enumerate(pictures))
    return f"""<div class="tg-animation" id="{uid}" data-step="{step}" data-n-steps="{last}" \
data-mode="{escape(mode)}" data-playing="false" tabindex="0">
<style>{_scoped_css(uid)}</style>
<div class="tg-title">{escape(title)}</div>
{_CONTROLS.format(last=last, step=step)}
<div class="tg-step-text">{escape(texts[step])}</div>
{frame_html}
<script>
{_script(uid, texts, step)}</script>
</div>"""


def page(title, fragment):
    """A whole HTML document around one animation or practice page, light or dark like the
    reader's system."""
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{escape(title)} — teachgrad</title>
<style>body {{ margin: 16px; background: #ffffff; }}
@media (prefers-color-scheme: dark) {{ body {{ background: #1e1e1e; }} }}</style>
</head>
<body>
{fragment}
</body>
</html>
"""


def animation_html(graph, mode="values", wrt=None, of=None, standalone=True, title=None,
                   step=0):
    """A self-contained HTML animation of every step of a propagation: Play/Pause, previous and
    next, first and last, a slider, a speed control and the step's arithmetic. Every frame is an
    inline SVG and the script is inline: it needs no network and no kernel.

    ``standalone=False`` gives a ``<div>`` and ``<script>`` to show inline in a notebook; its ids
    come from a hash of the content, so they are unique per animation yet the same on every run.
    Elements for scripts and browser tests: ``.tg-play``, ``.tg-prev``, ``.tg-next``,
    ``.tg-first``, ``.tg-last``, ``.tg-slider``, ``.tg-speed``, ``.tg-frame`` (one per step),
    ``.tg-step-text``, and the current step in the root's ``data-step`` attribute.

    >>> import teachgrad as tg
    >>> g = tg.trace("e = (a + b) * (b + 1)", a=2, b=1)
    >>> page = animation_html(g, "reverse")
    >>> page.startswith("<!DOCTYPE html>"), page.count('class="tg-frame"')
    (True, 6)
    >>> animation_html(g, "reverse", standalone=False).startswith('<div class="tg-animation"')
    True
    """
    drawn = propagation(graph, mode, wrt, of, None, 60)
    _check_size(graph, drawn.n)
    check_step(step, drawn.n)
    pictures = list(drawn.frames())
    texts = _step_texts(drawn.steps)
    step = int(step)
    digest = hashlib.sha1("\x00".join([mode, *texts, *pictures]).encode(
        "utf-8", errors="surrogatepass")).hexdigest()
    uid = f"tg-anim-{digest[:12]}"
    if title is None:
        title = _TITLES[mode]
    fragment = _fragment(uid, mode, title, step, pictures, texts)
    return page(title, fragment) if standalone else fragment
