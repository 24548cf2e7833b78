"""Expression text as Python reads it: the length the widgets and the command line accept, and
every way Python's parser fails — syntax, a lone surrogate, a null byte, nesting deeper than its
stack — as an ``ExpressionError`` that says what to do.
"""

import ast

from ..errors import ExpressionError
from .notation import shorten

__all__ = ["MAX_TEXT", "syntax_tree", "check_length"]

# What the widgets and the command line accept: far more than anyone types, and little enough
# that tracing and drawing stay quick.
MAX_TEXT = 10_000

_AS_PYTHON = str.maketrans({"\u2212": "-", "\u00b7": "*", "\u00d7": "*"})


def syntax_tree(source):
    """``ast.parse``, every way it can fail turned into an ``ExpressionError``.

    >>> syntax_tree("e = a\\ud800")
    Traceback (most recent call last):
    ...
    teachgrad.errors.ExpressionError: the text holds U+D800, which is not a character (half of a surrogate pair): delete it and retype (line 1, column 6)

    The signs the pictures print read as Python's: − (U+2212) is ``-``, · and × are ``*`` (one
    character for one, so error columns stay right):

    >>> ast.unparse(syntax_tree("e = a·−2 × b"))
    'e = a * -2 * b'
    """
    if not isinstance(source, str):
        raise ExpressionError(f"the expression must be text, got {type(source).__name__}")
    source = source.translate(_AS_PYTHON)
    try:
        return ast.parse(source, mode="exec")
    except SyntaxError as e:
        raise ExpressionError(f"syntax error: {shorten(e.msg, 200)}", e.lineno, e.offset,
                              source) from None
    except UnicodeEncodeError as e:           # a lone surrogate (U+D800 … U+DFFF)
        line = source.count("\n", 0, e.start) + 1
        col = e.start - (source.rfind("\n", 0, e.start) + 1) + 1
        raise ExpressionError(f"the text holds U+{ord(source[e.start]):04X}, which is not a "
                              "character (half of a surrogate pair): delete it and retype",
                              line, col, source) from None
    except ValueError as e:                   # null bytes, on some Python versions
        raise ExpressionError(f"syntax error: {shorten(e, 200)}", source=source) from None
    except (RecursionError, MemoryError):
        raise ExpressionError("the expression is nested too deeply for Python's parser (too "
                              "many operators, brackets or calls inside one another): split it "
                              "over several lines, e.g. 'c = a + b' then 'e = c + d'",
                              source=source) from None


def check_length(source, limit=MAX_TEXT):
    """``source`` if it is at most ``limit`` characters, else an ``ExpressionError`` (the
    widgets and the command line accept no more).

    >>> check_length("e = a * b")
    'e = a * b'
    >>> check_length("e = " + "a + " * 5000 + "a")
    Traceback (most recent call last):
    ...
    teachgrad.errors.ExpressionError: the expression is 20005 characters long: at most 10000 are accepted here; trace a shorter one (or call teachgrad.trace from Python)
    """
    if not isinstance(source, str):
        raise ExpressionError(f"the expression must be text, got {type(source).__name__}")
    if len(source) > limit:
        raise ExpressionError(f"the expression is {len(source)} characters long: at most "
                              f"{limit} are accepted here; trace a shorter one (or call "
                              "teachgrad.trace from Python)")
    return source
