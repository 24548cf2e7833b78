"""Reading a typed answer and deciding whether it is the value asked for.

An answer is a number or a short calculation of numbers (``5``, ``1*2 + 1*3``, ``-0.5``,
``sqrt(2)/2``, ``softplus(1)``). Its grammar is :data:`GRAMMAR`, here once for Python and for the
browser page (whose script gets these patterns as data):

* decimal numbers: digits, an optional point, an optional exponent (``5``, ``0.25``, ``.5``,
  ``5.``, ``1e-3``, ``007``) — not ``1_000``, ``0x10`` or ``1j`` (a number that runs into
  letters is refused);
* ``+ - * / **``, unary minus and plus, parentheses, and calls of every function an expression
  may call (:data:`teachgrad.teaching.expressions.FUNCTIONS`, ``log1p`` and ``softplus`` included), a
  trailing comma allowed as in Python;
* spaces and tabs between them; spaces, tabs and line ends around the whole answer are ignored,
  and the signs of the step captions (``·``, ``×``, ``−``, :data:`SIGNS`) may be typed or pasted.

Anything else — names, attribute access, other characters (``#``, quotes, non-breaking spaces),
text longer than :data:`MAX_LENGTH` — is refused with an ``ExpressionError`` before anything
runs. What the grammar admits is then computed with the whitelist of
:func:`teachgrad.teaching.expressions.number_value`, so nothing typed is ever run as Python.

An answer **matches** a value when it is

* within ``RELATIVE`` (1e-6) of it, relative to the value, plus ``ABSOLUTE`` (1e-9) — the value
  itself, whichever way it was computed; or
* a plain decimal number of at least :data:`MIN_DIGITS` (3) significant digits that is the value
  rounded to the digits typed: ``0.479`` for 0.4794…, ``2.33`` for 7/3, ``-1.41`` for −√2.

Fewer digits (``0.48``, ``2.3``) are not enough, but the hint says the answer is close. The same
rules decide whether an answer is one of the common mistakes (:mod:`.mistakes`), and the
browser page of :mod:`teachgrad.practice.page` applies them in JavaScript.

>>> read_answer("1·2 + 1·3").value
5.0
>>> matches(read_answer("0.479"), 0.4794255), matches(read_answer("0.48"), 0.4794255)
(True, False)
>>> read_answer("__import__('os')")
Traceback (most recent call last):
...
teachgrad.errors.ExpressionError: '__import__' is not an allowed function: expected one of sin, cos, ... (line 1, column 1)
"""

import decimal
import math
import numbers
import re

import numpy as np

from ..errors import ExpressionError
from ..teaching.expressions import FUNCTIONS, number_value
from ..teaching.notation import short_repr, shorten

__all__ = ["Answer", "read_answer", "check_answer_type", "matches", "rounds_to", "tokens",
           "MAX_LENGTH", "MIN_DIGITS", "RELATIVE", "ABSOLUTE", "SIGNS", "GRAMMAR"]

MAX_LENGTH = 200
MIN_DIGITS = 3
RELATIVE = 1e-6
ABSOLUTE = 1e-9

# The signs of the step captions, and their look-alikes, read as the operators they stand for.
SIGNS = {"·": "*", "×": "*", "⋅": "*", "∙": "*", "−": "-", "–": "-", "÷": "/"}

# The answer grammar's tokens (see the module's docstring). Patterns use only what Python's re
# and JavaScript's RegExp read alike: ASCII classes, no \d (Unicode digits in Python).
GRAMMAR = {
    "number": r"(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?",
    "name": r"[A-Za-z_][A-Za-z_0-9]*",
    "operators": ["**", "+", "-", "*", "/", "(", ")", ","],
    "space": " \t",           # between tokens
    "trim": " \t\r\n",        # around the answer
}
_NUMBER = re.compile(GRAMMAR["number"])
_NAME = re.compile(GRAMMAR["name"])
_PLAIN = re.compile(rf"[+-]?{GRAMMAR['number']}\Z")
_LEADING_ZEROS = re.compile(r"0+(?=[0-9])")
# What a character outside the grammar is called (the page's script says the same).
_WHY = {".": "attribute access not allowed", "'": "text in quotes is not a number",
        '"': "text in quotes is not a number",
        "=": "an assignment is not allowed here: only numbers and arithmetic on them"}
_OPERATOR_LIKE = "^%&|<>@~[]{}"


class Answer:
    """An answer read: the text as typed (``text``), its number (``value``) and, for a plain
    decimal number, how many significant digits it has (``digits``) and half a unit of its last
    digit (``half_unit``); both are ``None`` for a calculation."""

    __slots__ = ("text", "value", "digits", "half_unit")

    def __init__(self, text, value, digits=None, half_unit=None):
        self.text, self.value, self.digits, self.half_unit = text, value, digits, half_unit

    def __repr__(self):
        return f"<Answer {self.text!r} = {self.value!r}>"


def _normalise(text):
    for sign, operator in SIGNS.items():
        text = text.replace(sign, operator)
    return text.strip(GRAMMAR["trim"])


def _digits(text):
    """(significant digits, half a unit of the last digit) of a plain decimal number, or
    (None, None) for anything else. The half unit is read from text (``5e-5``), as the page's
    script reads it, so both get the same float.

    >>> _digits("0.0479"), _digits("100"), _digits("1*2"), _digits("0e400")
    ((3, 5e-05), (3, 0.5), (None, None), (0, inf))
    """
    if not _PLAIN.match(text):
        return None, None
    mantissa, _, exponent = text.lstrip("+-").lower().partition("e")
    whole, _, fraction = mantissa.partition(".")
    significant = len((whole + fraction).lstrip("0"))
    return significant, float(f"5e{int(exponent or 0) - len(fraction) - 1}")


def _refusal(text, column):
    """Why the character at ``column`` is not in the grammar (as the page's script says it)."""
    c = text[column]
    if c in _WHY:
        why = _WHY[c]
        return f"{why} (column {column + 1})" if c == "." else why
    if c in _OPERATOR_LIKE:
        return f"operator '{c}' not allowed: use + - * / or **"
    shown = c if c.isprintable() and not c.isspace() else f"U+{ord(c):04X}"   # as page.js
    return (f"'{shown}' is not allowed (column {column + 1}): only numbers, + - * / ** and "
            "parentheses")


def tokens(text):
    """The tokens of an answer (after its signs are read and it is trimmed) as ``(kind, text,
    column)``, kind ``"number"``, ``"name"`` or the operator itself; an ``ExpressionError``
    at the first character outside :data:`GRAMMAR` or a number that runs into letters
    (``0x10``, ``1_000``).

    >>> [t[1] for t in tokens("2*sin(.5) ** -1e3")]
    ['2', '*', 'sin', '(', '.5', ')', '**', '-', '1e3']
    >>> tokens("0x10")
    Traceback (most recent call last):
    ...
    teachgrad.errors.ExpressionError: the number 0 runs into the letters x10 (column 2): write numbers with digits, a point and an exponent only, like 16, 1000 or 1.5e3
    """
    found, i = [], 0
    while i < len(text):
        c = text[i]
        if c in GRAMMAR["space"]:
            i += 1
        elif (m := _NUMBER.match(text, i)) is not None:
            letters = _NAME.match(text, m.end())
            if letters is not None:
                raise ExpressionError(
                    f"the number {m.group()} runs into the letters {shorten(letters.group(), 20)} "
                    f"(column {m.end() + 1}): write numbers with digits, a point and an "
                    "exponent only, like 16, 1000 or 1.5e3")
            found.append(("number", m.group(), i))
            i = m.end()
        elif (m := _NAME.match(text, i)) is not None:
            found.append(("name", m.group(), i))
            i = m.end()
        elif text.startswith("**", i):
            found.append(("**", "**", i))
            i += 2
        elif c in GRAMMAR["operators"]:
            found.append((c, c, i))
            i += 1
        else:
            raise ExpressionError(_refusal(text, i))
    return found


def _uncalled(found):
    """An ``ExpressionError`` for the first name not followed by ``(``: ``(sin)(1)`` is a call
    to Python, but the grammar calls functions by their bare names only."""
    for k, (kind, name, _) in enumerate(found):
        if kind == "name" and (k + 1 == len(found) or found[k + 1][0] != "("):
            shown = shorten(name, 40)
            if name in FUNCTIONS:
                return ExpressionError(f"'{shown}' is a function: call it, e.g. {shown}(2)")
            return ExpressionError(f"the name '{shown}' is not allowed here: only numbers and "
                                   "arithmetic on them")
    return None


def _value(text):
    """The number ``text`` computes: checked against the grammar, then computed by
    :func:`~teachgrad.teaching.expressions.number_value`. A text outside the grammar that Python's
    parser also refuses gets the parser's message, which says more ('attribute access not
    allowed' for ``().__class__``)."""
    try:
        found = tokens(text)
        error = _uncalled(found)
    except ExpressionError as e:
        found, error = None, e
    if error is not None:
        try:
            number_value(text)
        except ExpressionError as parser_says:
            raise parser_says from None
        raise error
    # 007 is 7 to the grammar (and to the page's parseFloat); Python's own literals refuse it.
    python = list(text)
    for kind, token, column in found:
        if kind == "number" and (zeros := _LEADING_ZEROS.match(token)) is not None:
            python[column:column + zeros.end()] = " " * zeros.end()
    return number_value("".join(python).lstrip(" "))     # no indent where 007 began the text


def check_answer_type(answer):
    """A ``TypeError`` unless ``answer`` is a string or a real number (not a bool): a Python or
    NumPy number, a ``Fraction``, a ``Decimal``.

    >>> check_answer_type([5])
    Traceback (most recent call last):
    ...
    TypeError: an answer is a number or the text typed, not a list
    """
    if isinstance(answer, (bool, np.bool_)) or not isinstance(
            answer, (str, numbers.Real, decimal.Decimal)):
        raise TypeError(f"an answer is a number or the text typed, not a "
                        f"{type(answer).__name__}")


def read_answer(answer):
    """The :class:`Answer` of what was typed (a string) or given (a number); an
    ``ExpressionError`` that says what is wrong otherwise, before anything runs.

    >>> read_answer("  2.50 ").digits, read_answer(5).value
    (3, 5.0)
    >>> read_answer("b + 1")
    Traceback (most recent call last):
    ...
    teachgrad.errors.ExpressionError: the name 'b' is not allowed here: only numbers and arithmetic on them
    """
    check_answer_type(answer)
    if not isinstance(answer, str):
        answer = _number_text(answer)
    if len(answer) > MAX_LENGTH:
        raise ExpressionError(f"the answer is {len(answer)} characters long: type a number or a "
                              f"short calculation (at most {MAX_LENGTH} characters)")
    text = _normalise(answer)
    if not text:
        raise ExpressionError("the answer is empty: type a number, like 5, or a calculation, "
                              "like 1*2 + 1*3")
    value = _value(text)
    if not math.isfinite(value):
        raise ExpressionError(f"{shorten(text, 60)} gives {value}, not a finite number")
    digits, half_unit = _digits(text)
    return Answer(answer.strip(GRAMMAR["trim"]), value, digits, half_unit)


def _number_text(number):
    """A number given (not typed) as the text of a float; ``ExpressionError`` for one that is
    no finite float (nan, inf, ``10**400``, ``Decimal('sNaN')``)."""
    try:
        value = float(number)
    except (OverflowError, ValueError):
        value = None
    if value is None or not math.isfinite(value):
        shown = short_repr(number, 40)
        if value is None and isinstance(number, numbers.Integral):
            raise ExpressionError(f"{shown} is too large: a step's value is a float, at most "
                                  "about 1.8e308")
        raise ExpressionError(f"{shown} is not a finite number")
    return repr(value)


def _close(x, target):
    return abs(x - target) <= RELATIVE * abs(target) + ABSOLUTE


def rounds_to(answer, target):
    """True when a plain number is ``target`` rounded to the digits typed (any number of them).

    >>> rounds_to(read_answer("0.48"), 0.4794), rounds_to(read_answer("0.47"), 0.4794)
    (True, False)
    """
    if answer.half_unit is None:
        return False
    return abs(answer.value - target) <= answer.half_unit * (1 + 1e-9) + ABSOLUTE


def matches(answer, target):
    """True when ``answer`` is ``target``: within the tolerance, or ``target`` rounded to the
    (at least :data:`MIN_DIGITS`) significant digits typed.

    >>> matches(read_answer("1/3"), 1 / 3), matches(read_answer("0.333"), 1 / 3)
    (True, True)
    >>> matches(read_answer("4.98"), 5.0)
    False
    """
    if _close(answer.value, target):
        return True
    return answer.digits is not None and answer.digits >= MIN_DIGITS and rounds_to(answer, target)
