"""How the teaching layer writes things: numbers, tangent and adjoint names, the modes.

One place for the text that appears on nodes, edges, step captions, widget tables and plots, so a
number reads the same everywhere (``2``, ``0.5``, ``1.414``, ``−∞``).

>>> fmt(2.0), fmt(0.125), factor(-0.5)
('2', '0.125', '(−0.5)')
>>> dot_name("b"), bar_name("b")
('ḃ', 'b̄')
"""

import html
import json
import re
import reprlib
import unicodedata

import numpy as np

__all__ = ["MODES", "fmt", "factor", "number", "value_text", "dot_name", "bar_name",
           "derivative_name", "xml_text", "escape", "script_json", "shorten", "short_repr"]

MODES = ("values", "forward", "reverse")

MINUS = "\u2212"          # −, the minus sign of the formulas (not the hyphen -)


def fmt(v):
    """A value as a person writes it: 2, 0.5, 1.414, or a shape for an array (``[…]`` for
    ``None``: a Jacobian too big to hold).

    >>> fmt(3.0), fmt(1 / 3), fmt(float("inf")), fmt(np.zeros((2, 3))), fmt(None)
    ('3', '0.3333', '∞', '[2×3]', '[…]')

    Negative numbers take the minus sign (−, as in the formulas), not the hyphen:

    >>> fmt(-0.47942), fmt(-3), fmt(1e-05)
    ('−0.4794', '−3', '1e−05')
    """
    if v is None:
        return "[…]"
    v = np.asarray(v) if hasattr(v, "__array__") and not isinstance(v, np.generic) else v
    if np.ndim(v):
        return "[" + "×".join(str(n) for n in np.shape(v)) + "]"
    v = v.item() if hasattr(v, "item") else v
    if isinstance(v, (bool, np.bool_)):
        return str(v)
    if isinstance(v, int) or (isinstance(v, float) and v.is_integer() and abs(v) < 1e15):
        return str(int(v)).replace("-", MINUS)
    if isinstance(v, float) and (v != v or v in (float("inf"), float("-inf"))):
        return "nan" if v != v else ("∞" if v > 0 else "−∞")
    return f"{v:.4g}".replace("-", MINUS)


def factor(v):
    """A number as a factor in a product: negative ones in parentheses, ``1·(−0.4794)``."""
    text = fmt(v)
    return f"({text})" if text.startswith(MINUS) else text


def number(x, digits=4):
    """A float with ``digits`` significant digits; integers without a decimal point.

    >>> number(2.0), number(0.123456, 3), number(float("nan"))
    ('2', '0.123', 'nan')
    """
    x = float(x)
    if x.is_integer() and abs(x) < 1e15:
        return str(int(x)).replace("-", MINUS)
    if x != x:
        return "nan"
    if x in (float("inf"), float("-inf")):
        return "∞" if x > 0 else "−∞"
    return f"{x:.{digits}g}".replace("-", MINUS)


def value_text(v, short=False):
    """A scalar as ``2`` or ``0.5``; an array as its shape and its first few numbers.

    >>> value_text(np.float64(3.0))
    '3'
    >>> value_text(np.linspace(0, 1, 5))
    'shape (5,)  [0, 0.25, 0.5, …]'
    """
    if v is None:
        return "—"
    if np.ndim(v) == 0:
        return fmt(v)
    a = np.asarray(v)
    shape = "(" + ", ".join(str(n) for n in a.shape) + ("," if a.ndim == 1 else "") + ")"
    if short or a.size == 0:
        return f"shape {shape}"
    flat = a.ravel()
    shown = ", ".join(number(x, 3) for x in flat[:3])
    return f"shape {shape}  [{shown}{', …' if flat.size > 3 else ''}]"


# A letter with a subscript, v1 or x_2: its accent goes on the letter, before the subscript.
_SUBSCRIPTED = re.compile(r"([^\W\d_])(_?\d+)")


def _accented(name, mark):
    found = _SUBSCRIPTED.fullmatch(name)
    if found:      # v̇1, not v1̇: a combining mark sits on the character before it
        return unicodedata.normalize("NFC", found.group(1) + mark) + found.group(2)
    return unicodedata.normalize("NFC", name + mark)


def dot_name(name):
    """ḃ: the tangent d name / d wrt of forward mode; a subscripted letter takes the dot on the
    letter (``v̇1``, not ``v1̇``).

    >>> dot_name("v1") == "v\u03071", dot_name("x_2") == "\u1e8b_2"
    (True, True)
    """
    return _accented(name, "\u0307")


def bar_name(name):
    """b̄: the adjoint d of / d name of reverse mode; a subscripted letter takes the bar on the
    letter (``v̄2``, not ``v2̄``).

    >>> bar_name("v2") == "v\u03042", bar_name("add_1") == "add_1\u0304"
    (True, True)
    """
    return _accented(name, "\u0304")


def derivative_name(mode, name):
    """The tangent name in forward mode, the adjoint name otherwise."""
    return dot_name(name) if mode == "forward" else bar_name(name)


# Characters XML forbids (C0 controls but tab, newline and return; lone surrogates; U+FFFE/FFFF):
# a tensor name holding one would make the SVG unreadable, or fail to encode as UTF-8 at all.
_NOT_IN_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def xml_text(text):
    """``text`` with every character XML forbids replaced by U+FFFD (�): the one rule for user
    text on its way into HTML, SVG, Graphviz attributes and the JSON of a page's script, so a
    name reads the same everywhere and always encodes as UTF-8.

    >>> xml_text("b\\ud800\\x01c") == "b\\ufffd\\ufffdc"
    True
    """
    return _NOT_IN_XML.sub("\ufffd", str(text))


def escape(text):
    """Text made safe for HTML and Graphviz HTML-like labels (quotes included); characters that
    XML forbids become U+FFFD (:func:`xml_text`).

    >>> escape('<b a="1">\\x00')
    '&lt;b a=&quot;1&quot;&gt;�'
    """
    return html.escape(xml_text(text), quote=True)


# Inside <script>, "</script>" ends the element and "<!--" changes how the rest is parsed: no "<"
# may appear at all. JSON strings may write any character as \\uXXXX, and these are the ones HTML
# or older JavaScript read specially.
_SCRIPT_ESCAPES = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028",
                   "\u2029": "\\u2029"}
_SCRIPT_SPECIAL = re.compile("[<>&\u2028\u2029]")


def _xml_clean(value):
    """``value`` (JSON data) with every string in it, keys too, made :func:`xml_text`."""
    if isinstance(value, str):
        return xml_text(value)
    if isinstance(value, dict):
        return {_xml_clean(k) if isinstance(k, str) else k: _xml_clean(v)
                for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_xml_clean(v) for v in value]
    return value


def script_json(value):
    """JSON that is safe anywhere inside a ``<script>`` element: its strings follow
    :func:`xml_text`'s rule, and no ``<``, ``>``, ``&``, U+2028 or U+2029 is left to end the
    script early or to trip an old parser.

    >>> script_json({"x": "</script><!--"})
    '{"x": "\\\\u003c/script\\\\u003e\\\\u003c!--"}'
    >>> script_json(["a\\ud800"]) == '["a\\ufffd"]'
    True
    """
    text = json.dumps(_xml_clean(value), ensure_ascii=False, allow_nan=False)
    return _SCRIPT_SPECIAL.sub(lambda m: _SCRIPT_ESCAPES[m.group()], text)


def shorten(text, limit=80):
    """``text`` cut to at most ``limit`` characters, "…" where it was cut.

    >>> shorten("abcdefgh", 5), shorten("abc", 5)
    ('abcd…', 'abc')
    """
    text = str(text)
    return text if len(text) <= limit else text[:max(limit - 1, 0)] + "…"


_REPR = reprlib.Repr()
_REPR.maxstring = _REPR.maxother = 60
_REPR.maxlist = _REPR.maxtuple = _REPR.maxdict = _REPR.maxset = 6


def short_repr(value, limit=80):
    """``repr(value)`` in at most ``limit`` characters: an error message quotes what was wrong
    without echoing a 10 MB constant.

    >>> short_repr("x" * 1000)
    "'xxxxxxxxxxxxxxxxxxxxxxxxxxx...xxxxxxxxxxxxxxxxxxxxxxxxxxxx'"
    >>> short_repr(list(range(1000)))
    '[0, 1, 2, 3, 4, 5, ...]'
    """
    return shorten(_REPR.repr(value), limit)
