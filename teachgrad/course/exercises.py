"""Exercise checks a teacher can hand out: the check cell shows no worked answer.

A check compares the student's answer with a *key* — a salted hash of the answer's canonical form
(a number rounded to the places asked, a text in lower case with single spaces, an expression's
values and derivatives at a few points) — so the cell's code holds no expected value. Hints
target the typical mistakes: they are looked up by the key of the wrong answer. What the student
reads on "right" is *sealed* with the right answer: only that answer opens it.

The teacher makes keys and seals once, in a scratch cell or a shell (not in the handout):

>>> from teachgrad import exercises as ex
>>> k = ex.key(5)
>>> k
'k1:c5fe981f85bcf32c0ba33b65'
>>> s = ex.seal(5, "five nodes: a, b, c, d and e.")

and the check cell calls one function with them:

>>> ex.check_number(5, k, explain=s, name="answer_1")
right — five nodes: a, b, c, d and e.
>>> ex.check_number(3, k, hints={ex.key(3): "count the inputs a and b too."}, name="answer_1")
not yet — 3: count the inputs a and b too.
>>> ex.check_number(..., k, name="answer_1")
not yet — answer_1 is still ...: replace the ... with your answer (a whole number).

Hashing hides the answer from a glance at the cell, not from a student who hashes every number:
it is for handouts, not for exams. The keys' salt is fixed, so keys made once keep working.
"""

import base64
import hashlib
from decimal import ROUND_HALF_UP, Decimal

import numpy as np

__all__ = ["Verdict", "right", "not_yet", "key", "seal", "check_number", "check_text",
           "check_expression"]

_SALT = b"teachgrad-exercises-1\n"


class Verdict:
    """What a check says: ``.correct`` and ``.message``; shown as ``right — …`` or
    ``not yet — …`` (its ``repr``, so a check as a cell's last line prints it), true if right.

    >>> v = not_yet("try again.")
    >>> bool(v), v.correct, v.message
    (False, False, 'try again.')
    >>> v
    not yet — try again.
    """

    def __init__(self, correct, message):
        self.correct = bool(correct)
        self.message = str(message)

    def __bool__(self):
        return self.correct

    def __repr__(self):
        return f"{'right' if self.correct else 'not yet'} — {self.message}"

    __str__ = __repr__


def right(message):
    """A right verdict, for checks a lecture computes itself.

    >>> right("the loss falls to 0.12.")
    right — the loss falls to 0.12.
    """
    return Verdict(True, message)


def not_yet(message):
    """A not-yet verdict, for checks a lecture computes itself.

    >>> not_yet("the loss grows: the step is too large.")
    not yet — the loss grows: the step is too large.
    """
    return Verdict(False, message)


# ------------------------------------------------------------------------------------------------
# Canonical forms, keys and seals
# ------------------------------------------------------------------------------------------------

def _digest(kind, canonical):
    return hashlib.sha256(_SALT + f"{kind}:{canonical}".encode("utf-8")).hexdigest()


def _number_text(x, places):
    """``x`` rounded half away from zero to ``places`` decimals, as text (``-0.00`` is ``0.00``)."""
    d = Decimal(repr(float(x))).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    return format(abs(d) if d == 0 else d, "f")


def _as_number(answer):
    """``answer`` as a float or a 1-D float array, or a ``str`` saying why it is not a number."""
    if isinstance(answer, (bool, np.bool_)):
        return f"{answer} is a truth value, not a number"
    if isinstance(answer, str):
        try:
            return float(answer.replace("−", "-").strip())
        except ValueError:
            return f"the text {answer!r} is not a number"
    if hasattr(answer, "numpy"):
        answer = answer.numpy()
    try:
        value = np.asarray(answer, dtype=float)
    except (TypeError, ValueError):
        return f"a {type(answer).__name__} is not a number"
    if value.ndim > 1:
        return f"an array of shape {value.shape} is not a number or a list of numbers"
    if not np.all(np.isfinite(value)):
        return "it is not a finite number"
    return float(value) if value.ndim == 0 else value.ravel()


def _canonical_number(value, places):
    if np.ndim(value):
        return ",".join(_number_text(v, places) for v in value)
    return _number_text(value, places)


def _candidates(value, places):
    """The canonical texts an answer may stand for: itself rounded, and — for decimals — the
    roundings half a unit either side (so −3.145 counts as −3.14 and −3.15, not only one)."""
    texts = [_canonical_number(value, places)]
    if places > 0 and not np.ndim(value):
        half = 0.49 * 10.0 ** -places
        texts += [_number_text(value - half, places), _number_text(value + half, places)]
    return list(dict.fromkeys(texts))


def _canonical_text(text):
    return " ".join(str(text).replace("−", "-").lower().split())


def _key_of(kind, canonical):
    return "k1:" + _digest(kind, canonical)[:24]


def _canonical(answer, places, points):
    """``(kind, canonical text)`` of an answer, as :func:`key` and :func:`seal` read it."""
    if points is not None:
        return "expression", _behaviour(answer, list(points[0]), points)[0]
    if isinstance(answer, str) and isinstance(_as_number(answer), str):
        return "text", _canonical_text(answer)
    value = _as_number(answer)
    if isinstance(value, str):
        raise TypeError(f"cannot make a key of {answer!r}: {value}; expected a number, a list "
                        "of numbers or a text")
    return "number", _canonical_number(value, places)


def key(answer, places=0, points=None):
    """The key of a right (or a typical wrong) answer: a number (rounded to ``places``
    decimals), a list of numbers, a text (any case, any spacing), or — with ``points``, a list
    of ``{input: value}`` — the text of an expression (assignments and/or one expression, as
    :func:`teachgrad.trace` reads them), keyed by its values and derivatives at those points,
    not by its letters.

    >>> key(-3.14159, places=2) == key("-3.14", places=2) == key(-3.14, places=2)
    True
    >>> key("Reverse mode") == key("  reverse   MODE ")
    True
    >>> pts = [{"a": 2.0, "b": 1.0}, {"a": -1.0, "b": 0.5}]
    >>> key("e = (a + b) * (b + 1)", points=pts) == key("e = (1 + b)*(b + a)", points=pts)
    True
    """
    return _key_of(*_canonical(answer, places, points))


def _stream(canonical, n):
    out, block = b"", 0
    while len(out) < n:
        out += hashlib.sha256(_SALT + b"seal:" + canonical.encode() + block.to_bytes(4, "big")).digest()
        block += 1
    return out[:n]


def _seal_text(canonical, text):
    data = text.encode("utf-8")
    check = hashlib.sha256(data).digest()[:4]
    sealed = bytes(a ^ b for a, b in zip(check + data, _stream(canonical, len(data) + 4)))
    return "s1:" + base64.b64encode(sealed).decode("ascii")


def _unseal(canonical, sealed):
    """The text sealed with ``canonical``, or None if it is not the right one."""
    if not isinstance(sealed, str) or not sealed.startswith("s1:"):
        return None
    raw = base64.b64decode(sealed[3:])
    plain = bytes(a ^ b for a, b in zip(raw, _stream(canonical, len(raw))))
    check, data = plain[:4], plain[4:]
    return data.decode("utf-8") if hashlib.sha256(data).digest()[:4] == check else None


def seal(answer, text, places=0, points=None):
    """``text`` sealed with the right ``answer`` (read as :func:`key` reads it, with the same
    ``places`` or ``points``): a check shows it once the student's answer is right, and nothing
    in the cell reads it before.

    >>> s = seal(0.25, "a quarter: 1/4.", places=2)
    >>> check_number(0.25, key(0.25, places=2), places=2, explain=s)
    right — a quarter: 1/4.
    """
    kind, canonical = _canonical(answer, places, points)
    return _seal_text(f"{kind}:{canonical}", text)


def _found(kind, texts, answer_key, explain):
    """The first canonical text whose key is ``answer_key``, and the explanation it unseals."""
    for text in texts:
        if _key_of(kind, text) == answer_key:
            said = _unseal(f"{kind}:{text}", explain) if explain else None
            return True, said
    return False, None


def _empty(answer, name, expected):
    if answer is ... or answer is None:
        shown = "..." if answer is ... else "None"
        return not_yet(f"{name} is still {shown}: replace the {shown} with your answer "
                       f"({expected}).")
    return None


def _hint_for(answer_key, hints, hint):
    return (hints or {}).get(answer_key) or hint


# ------------------------------------------------------------------------------------------------
# Checks
# ------------------------------------------------------------------------------------------------

def check_number(answer, answer_key, places=0, explain=None, hints=None, hint="",
                 name="answer", expected=None):
    """Is ``answer`` the number (or list of numbers) whose key is ``answer_key``, to ``places``
    decimals? Half a unit in the last place either way is accepted (−3.1416 and −3.14 are both
    −3.14 to 2 places). ``hints`` maps the keys of typical wrong answers to what to say;
    ``hint`` is said otherwise; ``explain`` (from :func:`seal`) is shown when right;
    ``expected`` says what form the answer takes (by default "a whole number" or "a number to
    2 decimals").

    >>> k = key(-3.1416, places=2)
    >>> check_number(-3.14, k, places=2), check_number("−3.1416", k, places=2)
    (right — -3.14., right — −3.1416.)
    >>> check_number(3.14, k, places=2, hints={key(3.14, places=2): "mind the sign."})
    not yet — 3.14: mind the sign.
    >>> check_number("pi", k, places=2, name="answer_1")
    not yet — answer_1 should be a number to 2 decimals: the text 'pi' is not a number.
    >>> check_number(..., key([4, 3]), name="answer_2", expected="a shape such as (2, 3)")
    not yet — answer_2 is still ...: replace the ... with your answer (a shape such as (2, 3)).
    """
    if expected is None:
        expected = "a whole number" if places == 0 else f"a number to {places} decimals"
    empty = _empty(answer, name, expected)
    if empty is not None:
        return empty
    value = _as_number(answer)
    if isinstance(value, str):
        return not_yet(f"{name} should be {expected}: {value}.")
    shown = _shown(answer, value)
    if places == 0 and not np.all(np.equal(np.round(value), value)):
        return not_yet(f"{name} should be {expected}, got {shown}.")
    ok, said = _found("number", _candidates(value, places), answer_key, explain)
    if ok:
        return right(said or f"{shown}.")
    advice = _hint_for(key(value, places), hints, hint)
    return not_yet(f"{shown}: {advice}" if advice else f"{shown} is not it.")


def _shown(answer, value):
    if isinstance(answer, str):
        return answer.strip()
    if np.ndim(value):
        return "[" + ", ".join(f"{v:g}" for v in value) + "]"
    return f"{value:g}"


def check_text(answer, answer_key, explain=None, hints=None, hint="", name="answer",
               expected="a word"):
    """Is the text ``answer`` the one whose key is ``answer_key`` (any case, any spacing)?

    >>> k = key("reverse")
    >>> check_text("Reverse", k), check_text("forward", k, hint="which mode goes from the output?")
    (right — Reverse., not yet — forward: which mode goes from the output?)
    """
    empty = _empty(answer, name, expected)
    if empty is not None:
        return empty
    if not isinstance(answer, str):
        return not_yet(f"{name} should be {expected} in quotes, got {answer!r}.")
    ok, said = _found("text", [_canonical_text(answer)], answer_key, explain)
    if ok:
        return right(said or f"{answer.strip()}.")
    advice = _hint_for(key(answer), hints, hint)
    return not_yet(f"{answer.strip()}: {advice}" if advice else f"{answer.strip()} is not it.")


def _behaviour(text, names, points):
    """The canonical behaviour of expression ``text`` over inputs ``names`` (the text's own input
    names, matched in order): output value and each input's derivative at every point, to six
    significant digits, and the number of operations. Raises ExpressionError on bad text."""
    from ..teaching.graph import trace

    parts, n_ops = [], None
    for point in points:
        with np.errstate(all="ignore"):      # a student's 1/0 is an answer to check, not a warning
            graph = trace(text, **dict(zip(names, point.values())))
            out = graph.output
            numbers = [graph.value(out)] + [graph.derivative(out, n) for n in names]
        parts.append(",".join(f"{float(v):.6g}" for v in numbers))
        n_ops = sum(1 for n in graph.nodes if not graph.node(n).is_input)
    return ";".join(parts), n_ops


def _input_names(answer, wanted):
    """The answer's own input names in the order of ``wanted`` (renamed inputs are matched by
    order of first use), or a message saying why they cannot be."""
    from ..teaching.expressions import mentioned_names

    used = mentioned_names(answer)
    if sorted(used) == sorted(wanted):
        return list(wanted), ""
    if len(used) == len(wanted):
        return used, f" (your {', '.join(used)} stand for {', '.join(wanted)})"
    return None, (f"your text reads the inputs {', '.join(used) or '(none)'}; the exercise's "
                  f"inputs are {', '.join(wanted)}.")


def check_expression(answer, answer_key, points, operations=None, explain=None, hints=None,
                     hint="", name="answer"):
    """Does expression text ``answer`` compute what the key's expression computes — the same
    values and derivatives at every point of ``points`` — whatever its intermediates are called,
    in whatever order the operands come? ``operations`` (if given) is the number of operations
    the exercise asks for (one per line, say). ``hints`` maps the keys
    (``key(text, points=points)``) of typical wrong answers to what to say.

    >>> pts = [{"a": 2.0, "b": 1.0}, {"a": -1.0, "b": 0.5}]
    >>> k = key("e = (a + b) * (b + 1)", points=pts)
    >>> check_expression("x = b + a\\ny = 1 + b\\ne = y * x", k, pts, operations=3)
    right — the same values and derivatives at 2 points, with 3 operations.
    >>> check_expression("c = a + b\\nd = b + 1\\nf = c * d\\ne = 1 * f", k, pts, operations=3)
    not yet — the values and derivatives are right, but with 4 operations: the exercise asks for 3.
    >>> check_expression("c = a + b\\nd = b + 1\\ne = c + d", k, pts)
    not yet — at a = 2, b = 1 your text gives 5, not the expression asked for.
    """
    from ..errors import ExpressionError

    empty = _empty(answer, name, "the text of an expression, in quotes")
    if empty is not None:
        return empty
    if not isinstance(answer, str):
        return not_yet(f"{name} should be the text of an expression in quotes, got {answer!r}.")
    try:
        names, renamed = _input_names(answer, list(points[0]))
        if names is None:
            return not_yet(renamed)
        behaviour, n_ops = _behaviour(answer, names, points)
    except ExpressionError as error:
        return not_yet(f"the text does not parse: {error}")
    ok, said = _found("expression", [behaviour], answer_key, explain)
    if ok and operations is not None and n_ops != operations:
        return not_yet(f"the values and derivatives are right, but with {n_ops} operations: the "
                       f"exercise asks for {operations}.")
    if ok:
        ops = f", with {n_ops} operations" if operations is not None else ""
        return right(said or f"the same values and derivatives at {len(points)} points{ops}"
                     f"{renamed}.")
    at = ", ".join(f"{k} = {v:g}" for k, v in points[0].items())
    advice = _hint_for(_key_of("expression", behaviour), hints, hint)
    value = behaviour.split(";")[0].split(",")[0]
    return not_yet(f"at {at} your text gives {value}" + (f": {advice}" if advice else
                                                         ", not the expression asked for."))
