"""Reading a typed answer and deciding whether it is the value asked for.

An answer is a number or a short calculation of numbers (``5``, ``1*2 + 1*3``, ``-0.5``,
``sqrt(2)/2``), read with the whitelist of :func:`teachgrad.teaching.expressions.number_value`: names,
attribute access, calls to anything but the math functions, and text longer than
:data:`MAX_LENGTH` are refused with an ``ExpressionError`` — nothing typed is ever run. The
multiplication and minus signs of the step captions (``·``, ``×``, ``−``) may be typed or pasted.

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

from ..errors import ExpressionError
from ..teaching.expressions import number_value

__all__ = ["Answer", "read_answer", "check_answer_type", "matches", "rounds_to", "MAX_LENGTH",
           "MIN_DIGITS", "RELATIVE", "ABSOLUTE", "SIGNS"]

MAX_LENGTH = 200
MIN_DIGITS = 3
RELATIVE = 1e-6
ABSOLUTE = 1e-9

# The signs of the step captions, and their look-alikes, read as the operators they stand for.
SIGNS = {"·": "*", "×": "*", "⋅": "*", "∙": "*", "−": "-", "–": "-", "÷": "/"}
_PLAIN = re.compile(r"[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?\Z")


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
    return text.strip()


def _digits(text):
    """(significant digits, half a unit of the last digit) of a plain decimal number, or
    (None, None) for anything else.

    >>> _digits("0.0479"), _digits("100"), _digits("1*2")
    ((3, 5e-05), (3, 0.5), (None, None))
    """
    if not _PLAIN.match(text):
        return None, None
    sign, digits, exponent = decimal.Decimal(text).as_tuple()
    significant = len("".join(map(str, digits)).lstrip("0"))
    return significant, 0.5 * 10.0 ** exponent


def check_answer_type(answer):
    """A ``TypeError`` unless ``answer`` is a string or a real number (not a bool).

    >>> check_answer_type([5])
    Traceback (most recent call last):
    ...
    TypeError: an answer is a number or the text typed, not a list
    """
    if isinstance(answer, bool) or not isinstance(answer, (str, numbers.Real)):
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
    if isinstance(answer, numbers.Real):
        if not math.isfinite(answer):
            raise ExpressionError(f"{answer} is not a finite number")
        answer = repr(float(answer))
    if len(answer) > MAX_LENGTH:
        raise ExpressionError(f"the answer is {len(answer)} characters long: type a number or a "
                              f"short calculation (at most {MAX_LENGTH} characters)")
    text = _normalise(answer)
    if not text:
        raise ExpressionError("the answer is empty: type a number, like 5, or a calculation, "
                              "like 1*2 + 1*3")
    value = number_value(text)
    if not math.isfinite(value):
        raise ExpressionError(f"{text} gives {value}, not a finite number")
    digits, half_unit = _digits(text)
    return Answer(answer.strip(), value, digits, half_unit)


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
