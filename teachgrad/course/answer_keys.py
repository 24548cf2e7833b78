"""Answer keys and seals: the canonical form of an answer, its salted hash, sealed texts.

A *key* is a salted SHA-256 hash of an answer's canonical form — a number rounded to the places
asked, a text in lower case with single spaces, an expression's values and derivatives at a few
points — so a check cell holds no expected value; a *seal* is a text only the right answer opens.
Each exercise salts with its own id, written in the key (``k2:L1.1:…``). The checks that read
them are in :mod:`teachgrad.course.exercises` (``tg.exercises``).

>>> key(5)
'k1:c5fe981f85bcf32c0ba33b65'
>>> key(5, exercise="L1.1").startswith("k2:L1.1:")
True
>>> _unseal("number:5", seal(5, "five."))
'five.'
"""

import base64
import hashlib
import numbers
import re
import sys
from decimal import ROUND_FLOOR, ROUND_HALF_UP, Context, Decimal, InvalidOperation

import numpy as np

from ..teaching.notation import short_repr, shorten

__all__ = ["key", "seal", "exercise_of"]

_SALT = b"teachgrad-exercises-1\n"
_LARGEST = Decimal(repr(sys.float_info.max))     # an answer is a number a float can hold


_EXERCISE_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._/-]{0,39}")


def _salt(exercise):
    """The salt of an exercise's keys and seals: the fixed salt, and the exercise id if any."""
    if exercise is None:
        return _SALT
    if not isinstance(exercise, str) or not _EXERCISE_ID.fullmatch(exercise):
        raise ValueError(f"an exercise id is a short name such as 'L4.2' (letters, digits, "
                         f"'.', '/', '-', '_'), got {exercise!r}")
    return _SALT + b"exercise:" + exercise.encode("ascii") + b"\n"


def valid_exercise(exercise):
    """``exercise`` itself if it is a valid exercise id (or ``None``), else ``ValueError``.

    >>> valid_exercise("L4.2")
    'L4.2'
    """
    _salt(exercise)
    return exercise


def variant_index(exercise, student_id, n):
    """Which of ``n`` options the student ``student_id`` gets in ``exercise``: a salted hash of
    the two, the same on every machine and every run.

    >>> variant_index("L6.2", "s1234567", 25) == variant_index("L6.2", "s1234567", 25)
    True
    """
    digest = hashlib.sha256(_SALT + f"variant:{exercise}:{student_id}".encode())
    return int.from_bytes(digest.digest()[:8], "big") % n


def _digest(kind, canonical, exercise=None):
    return hashlib.sha256(_salt(exercise) + f"{kind}:{canonical}".encode("utf-8")).hexdigest()


def exercise_of(answer_key):
    """The exercise id a key or a seal was made for (``None`` for one made without).

    >>> exercise_of(key(5, exercise="L1.1")), exercise_of(key(5))
    ('L1.1', None)
    """
    if isinstance(answer_key, str) and answer_key[:3] in ("k2:", "s2:"):
        return answer_key[3:].split(":", 1)[0]
    return None


def _number_text(d, places):
    """Decimal ``d`` rounded half away from zero to ``places`` decimals, as text (``-0.00`` is
    ``0.00``). The context holds every digit, so no number is too large to round."""
    exact = Context(prec=len(d.as_tuple().digits) + abs(places) + 400, rounding=ROUND_HALF_UP)
    q = d.quantize(Decimal(1).scaleb(-places), context=exact)
    return format(q.copy_abs() if q.is_zero() else q, "f")


def _one_number(x):
    """One number as an exact ``Decimal`` — an int or a typed decimal keeps every digit, a float
    is its shortest repr — or a ``str`` saying why it is not a finite number.

    >>> _one_number(10**17 + 1), _one_number(0.1), _one_number(" −2.50 ")
    (Decimal('100000000000000001'), Decimal('0.1'), Decimal('-2.50'))
    >>> _one_number("1e999"), _one_number(float("nan"))
    ("the text '1e999' is too large: numbers here are at most about 1.8e308", 'it is not a number (nan)')
    """
    if isinstance(x, (bool, np.bool_)):
        return f"{x} is a truth value, not a number"
    if isinstance(x, (complex, np.complexfloating)):
        return f"{x} is a complex number, not a real one"
    if isinstance(x, str):
        shown = f"the text {short_repr(x, 40)}"
        try:
            d = Decimal(x.replace("−", "-").strip())
        except (InvalidOperation, ValueError):
            return f"{shown} is not a number"
    elif isinstance(x, Decimal):
        d, shown = x, short_repr(x, 40)
    elif isinstance(x, numbers.Integral):            # Python and NumPy integers, exactly
        d, shown = Decimal(int(x)), shorten(str(int(x)), 40)
    elif isinstance(x, np.floating) and x.dtype.itemsize < 8:
        # a float32 (what sess.run returns) is the number NumPy prints for it, 1.4 and not
        # 1.399999976158142: the shortest text that reads back as the same float32
        d, shown = Decimal(str(x)), str(x)
    else:
        try:
            f = float(x)
        except (TypeError, ValueError, OverflowError):
            return f"a {type(x).__name__} is not a number"
        d, shown = Decimal(repr(f)), repr(f)
    if d.is_nan():
        return "it is not a number (nan)"
    if d.is_infinite():
        return "it is not a finite number"
    if d.copy_abs() > _LARGEST:
        return f"{shown} is too large: numbers here are at most about 1.8e308"
    return d


def plain(answer):
    """A tensor as its NumPy value, a 0-d array as its NumPy scalar (a float32 stays one)."""
    if hasattr(answer, "numpy"):
        answer = answer.numpy()
    if isinstance(answer, np.ndarray) and answer.ndim == 0:
        answer = answer[()]
    return answer


def as_number(answer):
    """``answer`` as a ``Decimal`` or a list of them (a 1-D list, tuple, array or tensor), or a
    ``str`` saying why it is not a number."""
    answer = plain(answer)
    if not isinstance(answer, (list, tuple, np.ndarray)):
        return _one_number(answer)
    try:
        shape = np.shape(answer)
    except ValueError:
        return "a list of lists of different lengths is not a number or a list of numbers"
    if len(shape) > 1:
        return f"an array of shape {shape} is not a number or a list of numbers"
    items = [_one_number(x) for x in answer]
    why = next((x for x in items if isinstance(x, str)), None)
    return items if why is None else why


def _canonical_number(value, places):
    if isinstance(value, list):
        return ",".join(_number_text(v, places) for v in value)
    return _number_text(value, places)


def candidates(value, places):
    """The canonical texts an answer may stand for: itself rounded and, for decimals, each number
    of ``places`` decimals at most half a unit off (−3.145 is −3.14 and −3.15; 3.1401 is 3.14)."""
    texts = [_canonical_number(value, places)]
    if places > 0 and not isinstance(value, list):
        unit = Decimal(1).scaleb(-places)
        exact = Context(prec=len(value.as_tuple().digits) + places + 400)
        below = value.quantize(unit, rounding=ROUND_FLOOR, context=exact)
        for near in (below, exact.add(below, unit)):
            if exact.multiply(2, exact.subtract(value, near).copy_abs()) <= unit:
                texts.append(_number_text(near, places))
    return list(dict.fromkeys(texts))


def canonical_text(text):
    return " ".join(str(text).replace("−", "-").lower().split())


def key_of(kind, canonical, exercise=None):
    if exercise is None:
        return "k1:" + _digest(kind, canonical)[:24]
    return f"k2:{exercise}:" + _digest(kind, canonical, exercise)[:24]


def behaviour_of(text, names, points):
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


def _canonical(answer, places, points):
    """``(kind, canonical text)`` of an answer, as :func:`key` and :func:`seal` read it."""
    if points is not None:
        return "expression", behaviour_of(answer, list(points[0]), points)[0]
    if isinstance(answer, str) and isinstance(as_number(answer), str):
        return "text", canonical_text(answer)
    value = as_number(answer)
    if isinstance(value, str):
        raise TypeError(f"cannot make a key of {answer!r}: {value}; expected a number, a list "
                        "of numbers or a text")
    return "number", _canonical_number(value, places)


def key(answer, places=0, points=None, exercise=None):
    """The key of a right (or a typical wrong) answer: a number (rounded to ``places``
    decimals), a list of numbers, a text (any case, any spacing), or — with ``points``, a list
    of ``{input: value}`` — the text of an expression (assignments and/or one expression, as
    :func:`teachgrad.trace` reads them), keyed by its values and derivatives at those points,
    not by its letters.

    ``exercise`` (an id such as ``"L4.2"``) salts the key: the same answer has another key in
    every exercise, so a key seen in one exercise tells nothing about another, and a hint
    table copied from another exercise is refused. The id is written in the key
    (``k2:L4.2:…``), and the check reads it from there.

    >>> key(0, exercise="L1.2") != key(0, exercise="L4.2")
    True
    >>> key(0, exercise="L1.2")[:8]
    'k2:L1.2:'

    >>> key(-3.14159, places=2) == key("-3.14", places=2) == key(-3.14, places=2)
    True
    >>> key("Reverse mode") == key("  reverse   MODE ")
    True
    >>> pts = [{"a": 2.0, "b": 1.0}, {"a": -1.0, "b": 0.5}]
    >>> key("e = (a + b) * (b + 1)", points=pts) == key("e = (1 + b)*(b + a)", points=pts)
    True
    """
    return key_of(*_canonical(answer, places, points), exercise)


def _stream(canonical, n, exercise=None):
    out, block, salt = b"", 0, _salt(exercise)
    while len(out) < n:
        out += hashlib.sha256(salt + b"seal:" + canonical.encode() + block.to_bytes(4, "big")).digest()
        block += 1
    return out[:n]


def _seal_text(canonical, text, exercise=None):
    data = text.encode("utf-8")
    check = hashlib.sha256(data).digest()[:4]
    sealed = bytes(a ^ b for a, b in zip(check + data, _stream(canonical, len(data) + 4,
                                                               exercise)))
    prefix = "s1:" if exercise is None else f"s2:{exercise}:"
    return prefix + base64.b64encode(sealed).decode("ascii")


def _unseal(canonical, sealed, exercise=None):
    """The text sealed with ``canonical`` for ``exercise``, or None if it is not the right one."""
    prefix = "s1:" if exercise is None else f"s2:{exercise}:"
    if not isinstance(sealed, str) or not sealed.startswith(prefix):
        return None
    raw = base64.b64decode(sealed[len(prefix):])
    plain = bytes(a ^ b for a, b in zip(raw, _stream(canonical, len(raw), exercise)))
    check, data = plain[:4], plain[4:]
    return data.decode("utf-8") if hashlib.sha256(data).digest()[:4] == check else None


def seal(answer, text, places=0, points=None, exercise=None):
    """``text`` sealed with the right ``answer`` (read as :func:`key` reads it, with the same
    ``places``, ``points`` and ``exercise``): a check shows it once the student's answer is
    right, and nothing in the cell reads it before.

    >>> s = seal(0.25, "a quarter: 1/4.", places=2)
    >>> found("number", ["0.25"], key(0.25, places=2), s)
    (True, 'a quarter: 1/4.')
    """
    kind, canonical = _canonical(answer, places, points)
    return _seal_text(f"{kind}:{canonical}", text, exercise)


def found(kind, texts, answer_key, explain):
    """The first canonical text whose key is ``answer_key``, and the explanation it unseals."""
    exercise = exercise_of(answer_key)
    for text in texts:
        if key_of(kind, text, exercise) == answer_key:
            said = _unseal(f"{kind}:{text}", explain, exercise) if explain else None
            return True, said
    return False, None


def same_exercise(answer_key, explain, hints):
    """``ValueError`` unless the seal and every hint key were made for the answer key's
    exercise: a hint table copied from another exercise would never match, silently."""
    exercise = exercise_of(answer_key)
    for other in [explain] * bool(explain) + list(hints or {}):
        if exercise_of(other) != exercise:
            what = "the explanation" if other is explain else f"the hint key {other}"
            raise ValueError(f"{what} was made for exercise {exercise_of(other)}, the answer "
                             f"key for {exercise}: make it with exercise={exercise!r}")
