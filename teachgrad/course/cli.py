"""The ``teachgrad`` command: draw the computation graph of an expression from a shell.

    teachgrad render "e = (a + b) * (b + 1)" a=2 b=1 -o graph.svg
    teachgrad render "e = (a + b) * (b + 1)" a=2 b=1 --mode reverse -o anim.html
    teachgrad slides -o slides/        (one reveal.js deck per lecture, opens offline)
    teachgrad html NOTEBOOK -o pages/  (a notebook as an HTML page, its maths offline)

The expression is parsed by :func:`teachgrad.trace` against a whitelist — nothing typed here is
ever ``eval``-ed — and input values are read with ``int()`` / ``float()``. Errors are printed to
stderr in a line or two, with a non-zero exit status and no traceback; no file is written unless
the picture was drawn completely.
"""

import argparse
import io
import os
import sys
import textwrap

from ..errors import ExpressionError
from ..teaching.expressions import FUNCTIONS, check_length

__all__ = ["main"]

_DESCRIPTION = "teachgrad: draw computation graphs and animate how derivatives are computed."

_EPILOG = """\
examples:
  teachgrad render "e = (a + b) * (b + 1)" a=2 b=1 -o graph.svg
  teachgrad render "e = (a + b) * (b + 1)" a=2 b=1 --mode reverse -o anim.html
  teachgrad render --help          all the options of render
  teachgrad lectures               copy the lecture notebooks into ./teachgrad-lectures
  teachgrad slides -o slides/      the lectures as reveal.js slide decks, offline
  teachgrad html lectures/*.ipynb -o pages/
                                   notebooks as HTML pages whose maths shows offline

Pictures need Graphviz's `dot` program (apt-get install graphviz / brew install graphviz).
"""

_RENDER_DESCRIPTION = """\
Draw the computation graph of EXPRESSION at the given input values: every node with its
formula and value, every edge with its local partial derivative (∂e/∂c = d = 2).

With --mode the picture shows a propagation step by step: values flowing forward, forward-mode
tangents (ḃ = db/db = 1, seeded at --wrt) or reverse-mode adjoints (ē = de/de = 1, seeded at
--of). A .svg/.png/.pdf file holds one step (--step, the last by default); an .html file holds an
animation of every step (Play, Prev/Next, a slider) that opens in any browser, offline."""

_RENDER_EPILOG = """\
examples:
  teachgrad render "e = (a + b) * (b + 1)" a=2 b=1 -o graph.svg
      the graph with every value and every edge's partial derivative
  teachgrad render "e = (a + b) * (b + 1)" a=2 b=1 --mode forward --wrt b --step 3 -o step3.png
      forward mode after 3 of its 5 steps: tangents d·/db so far, step 3 highlighted
  teachgrad render "e = (a + b) * (b + 1)" a=2 b=1 --mode reverse -o reverse.svg
      reverse mode, all steps done: the adjoints de/d· of every node
  teachgrad render "e = (a + b) * (b + 1)" a=2 b=1 --mode reverse -o anim.html
      a self-contained HTML animation of every step (no network, no Python needed to view it)
  teachgrad render $'c = a + b\\nd = b + 1\\ne = c * d' a=2 b=1 -o graph.pdf
      several lines: one assignment per line (or separate them with ';')
  teachgrad render "y = sin(x) * x" x=0,0.5,1 -o array.svg
      an input with several values (comma-separated) is an array
  teachgrad render -o neg.svg -- "-a*a" a=2
      after --, nothing is an option: for an expression that starts with -

Options and NAME=VALUE inputs may come in any order, before or after EXPRESSION.

EXPRESSION uses names, numbers, + - * / ** @, unary minus, parentheses and the functions
{functions}
Nothing else is allowed: the expression is checked, never run as Python.
""".format(functions=textwrap.fill(" ".join(FUNCTIONS) + ".", width=95))   # from ops.REGISTRY


class _Failure(Exception):
    """A problem to report on stderr in one line (no traceback)."""


class _Parser(argparse.ArgumentParser):
    def error(self, message):
        # argparse's own usage errors: usage line + one line, exit status 2.
        self.print_usage(sys.stderr)
        self.exit(2, f"{self.prog}: error: {message}\n")


class _IntermixedParser(_Parser):
    """A subcommand whose options may come between its positionals (``render "e = a*b" -o x.svg
    a=1``), and whose errors — unknown arguments too — show its own usage, not the top level's.

    The top-level parser hands a subcommand its arguments through ``parse_known_args``; this
    answers with ``parse_known_intermixed_args``, which calls ``parse_known_args`` itself (hence
    the guard). A subcommand using what intermixed parsing cannot do (argparse raises
    ``TypeError``) is parsed the ordinary way.

    Intermixed parsing loses ``--`` (Python 3.11 reads ``-- "-a*a"`` as an unknown option), so
    the arguments after it are hidden behind placeholders that cannot look like options, and
    put back once parsed.
    """

    _inside = False

    def parse_known_args(self, args=None, namespace=None):
        if self._inside:
            return super().parse_known_args(args, namespace)
        args = list(sys.argv[1:] if args is None else args)
        hidden = {}
        if "--" in args:
            cut = args.index("--")
            hidden = {f"\0{k}": a for k, a in enumerate(args[cut + 1:])}
            args = args[:cut] + list(hidden)
        self._inside = True
        try:
            namespace, extras = self.parse_known_intermixed_args(args, namespace)
        except TypeError:
            namespace, extras = super().parse_known_args(args, namespace)
        finally:
            self._inside = False
        if extras:
            self.error(f"unrecognized arguments: {' '.join(hidden.get(e, e) for e in extras)}")
        for key, value in vars(namespace).items():
            if isinstance(value, list):
                setattr(namespace, key, [hidden.get(v, v) for v in value])
            elif isinstance(value, str):
                setattr(namespace, key, hidden.get(value, value))
        return namespace, []


def _parser():
    parser = _Parser(prog="teachgrad", description=_DESCRIPTION, epilog=_EPILOG,
                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--version", action="version", version=f"teachgrad {_version()}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND",
                                     parser_class=_IntermixedParser)
    render = commands.add_parser(
        "render", help="draw the graph of an expression (.svg .png .pdf) or animate it (.html)",
        description=_RENDER_DESCRIPTION, epilog=_RENDER_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter)
    render.add_argument("expression", metavar="EXPRESSION",
                        help='the expression, e.g. "e = (a + b) * (b + 1)"')
    render.add_argument("inputs", metavar="NAME=VALUE", nargs="*",
                        help="an input value, e.g. a=2 or x=0.5; x=1,2,3 gives an array")
    render.add_argument("-o", "--output", metavar="FILE", required=True,
                        help="the file to write: .svg, .png, .pdf (one picture) or .html "
                             "(an animation of every step)")
    render.add_argument("--mode", choices=["values", "forward", "reverse"],
                        help="show a propagation step by step (an .html animation shows "
                             "'values' when no mode is given)")
    render.add_argument("--wrt", metavar="INPUT",
                        help="forward mode: the input the tangents are taken with respect to "
                             "(default: the first input)")
    render.add_argument("--of", metavar="NODE",
                        help="reverse mode: the node whose derivatives the adjoints are "
                             "(default: the output)")
    render.add_argument("--step", metavar="K", type=int,
                        help="with --mode: how many steps are done, 0 … number of steps "
                             "(default: all of them; for .html, the step the animation opens at)")
    _add_lectures_command(commands)
    _add_slides_command(commands)
    _add_html_command(commands)
    return parser


def _add_lectures_command(commands):
    lectures = commands.add_parser(
        "lectures", help="copy the lecture notebooks into a folder of your own",
        description="Copy the six lecture notebooks, as students get them (without the worked "
                    "answers), and their README out of the installed package into DIR, then open "
                    "them with `jupyter lab DIR`. --teacher copies the solution notebooks "
                    "instead, with the student versions to hand out in DIR/student. "
                    "A file in DIR that differs from the shipped one (your edits) is kept unless "
                    "--force is given; the copied notebooks are marked trusted, so their stored "
                    "pictures show before they run.")
    lectures.add_argument("folder", metavar="DIR", nargs="?", default=None,
                          help="where to put them (default: ./teachgrad-lectures, created if "
                               "needed)")
    lectures.add_argument("--force", action="store_true",
                          help="overwrite files that differ from the shipped version")
    lectures.add_argument("--teacher", action="store_true",
                          help="the solution notebooks (worked answers, speaker notes), with the "
                               "student versions in DIR/student")


_SLIDES_DESCRIPTION = """\
Build one reveal.js slide deck per notebook in DIR (default: the lectures that come with
teachgrad, as `teachgrad lectures --teacher` copies them) into OUT: NAME.slides.html for each NAME.ipynb,
with reveal.js (and MathJax, for the math in the prose) copied into OUT beside them. Nothing is
fetched from a network, when building or when showing: copy OUT anywhere and open a deck in a
browser (F: full screen, S: speaker notes, Esc: overview). Each cell's Slide Type
(metadata.slideshow.slide_type) says where it goes; the kernel-free animations play inside the
slides, and interactive widgets show a note (they need a kernel). The decks are for the room:
the worked answers (### BEGIN SOLUTION … ### END SOLUTION), solution cells and the exercise
cells' outputs are left out, each check cell shows only its first line, and the speaker notes
stay (press S); --instructor adds a deck per lecture with the answers.

reveal.js 4 comes with teachgrad; building needs nbconvert, and the math needs MathJax 2 from
jupyter-server-mathjax: pip install nbconvert jupyter-server-mathjax (the slides extra). A deck
already in OUT is replaced only by a complete new one."""

_SLIDES_EPILOG = """\
examples:
  teachgrad slides -o slides
      every shipped lecture as slides/NN-name.slides.html
  teachgrad slides teachgrad-lectures -o teachgrad-lectures/slides
      the decks of your own copy (teachgrad lectures --teacher), after editing it
  teachgrad slides my-notebooks --reveal package
      another reveal.js (4 or 5) than teachgrad's, e.g. the npm package unpacked:
      npm pack reveal.js@4 && tar -xzf reveal.js-4.*.tgz   (gives ./package)
  python -m http.server -d slides 8000
      serve OUT on http://localhost:8000 (optional: file:// works too, with
      the browser's own fonts for the math)
"""


def _add_slides_command(commands):
    slides = commands.add_parser(
        "slides", help="build reveal.js slide decks of the lectures (offline)",
        description=_SLIDES_DESCRIPTION, epilog=_SLIDES_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter)
    slides.add_argument("folder", metavar="DIR", nargs="?", default=None,
                        help="the folder of notebooks (default: the shipped lectures)")
    slides.add_argument("-o", "--output", metavar="OUT", default=None,
                        help="the folder to write the decks into (default: ./teachgrad-slides, "
                             "created if needed)")
    slides.add_argument("--reveal", metavar="REVEAL_DIR", default=None,
                        help="a reveal.js 4 or 5 folder (with dist/ and plugin/) to use instead of "
                             "the one that comes with teachgrad (or set TEACHGRAD_REVEAL_JS)")
    slides.add_argument("--instructor", action="store_true",
                        help="also write NAME.instructor.slides.html with the worked answers and "
                             "the checks' outputs (the class decks never show them)")


def _slides(args):
    from . import slides

    out = args.output or slides.DEFAULT_OUT
    try:
        decks = slides.build(args.folder, out, reveal=args.reveal,
                             instructor=args.instructor)
    except slides.SlidesError as e:
        raise _Failure(str(e)) from None
    except ImportError as e:             # nbconvert or nbformat missing
        raise _Failure(f"building slides needs the Python package {e.name!r}: "
                       "pip install nbconvert jupyter-server-mathjax") from None
    except OSError as e:                 # no permission, a full disk, …
        raise _Failure(f"cannot write the slides into {out!r}: {e.strerror or e}"
                       + (f" ({e.filename})" if e.filename else "")) from None
    print(f"teachgrad: wrote {len(decks)} deck{'' if len(decks) == 1 else 's'} into {out}; "
          f"open one in a browser, e.g. {decks[0]}")
    return 0


_HTML_DESCRIPTION = """\
Write each NOTEBOOK as an HTML page, OUT/NAME.html, with its stored outputs, and copy MathJax 2
into OUT/mathjax/ beside the pages: the formulas ($…$) are typeset with no network, where
`jupyter nbconvert --to html` would load MathJax from a CDN and show raw $…$ offline. Nothing is
fetched from a network: copy OUT anywhere. Interactive widgets need a kernel (a page shows a note
in their place); the kernel-free animations and practice pages work. Needs nbconvert and
jupyter-server-mathjax: pip install nbconvert jupyter-server-mathjax (the slides extra)."""

_HTML_EPILOG = """\
examples:
  teachgrad html teachgrad-lectures/05-automatic-gradients.ipynb -o pages
      pages/05-automatic-gradients.html and pages/mathjax/
  teachgrad html teachgrad-lectures/student/*.ipynb -o handouts
      the student versions, to put on a course web site
"""


def _add_html_command(commands):
    html = commands.add_parser(
        "html", help="write notebooks as HTML pages whose maths shows offline",
        description=_HTML_DESCRIPTION, epilog=_HTML_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter)
    html.add_argument("notebooks", metavar="NOTEBOOK", nargs="+", help="the notebooks (.ipynb)")
    html.add_argument("-o", "--output", metavar="OUT", default=".",
                      help="the folder to write the pages into (default: the current folder, "
                           "created if needed)")


def _html(args):
    from . import pages

    try:
        written = pages.export(args.notebooks, args.output)
    except pages.SlidesError as e:
        raise _Failure(str(e)) from None
    except ImportError as e:             # nbconvert or nbformat missing
        raise _Failure(f"writing HTML pages needs the Python package {e.name!r}: "
                       "pip install nbconvert jupyter-server-mathjax") from None
    print(f"teachgrad: wrote {len(written)} page{'' if len(written) == 1 else 's'} into "
          f"{args.output}; open one in a browser, e.g. {written[0]}")
    return 0


def _lectures(args):
    from . import lectures

    folder = args.folder or lectures.DEFAULT_FOLDER
    try:
        report = lectures.copy_to(folder, force=args.force, teacher=args.teacher)
    except OSError as e:                 # no permission, a file where a folder should be, …
        raise _Failure(f"cannot copy the lectures into {folder!r}: {e.strerror} ({e.filename})"
                       if e.filename else str(e)) from None
    for line in report.lines():
        print(f"teachgrad: {line}")
    ours = [report.folder / rel for rel in report.written + report.replaced + report.unchanged
            if rel.endswith(".ipynb")]
    if lectures.trust(ours):
        print(f"teachgrad: marked {len(ours)} notebooks trusted")
    print(f"teachgrad: open them with: jupyter lab {report.folder}")
    if args.teacher:
        print(f"teachgrad: to hand out: {report.folder / 'student'} (the same lectures without "
              "the worked answers)")
    return 0


def _version():
    from ..version import __version__
    return __version__


def _number(text):
    try:
        return int(text)
    except ValueError:
        return float(text)   # raises ValueError for anything that is not a number


def _parse_inputs(items):
    """``["a=2", "x=0,1"]`` → ``{"a": 2, "x": array([0., 1.])}``, with no ``eval``."""
    values = {}
    for item in items:
        name, sep, text = item.partition("=")
        name, text = name.strip(), text.strip()
        if not sep or not name or not text:
            raise _Failure(f"input {item!r}: write NAME=VALUE, e.g. a=2 or x=0.5")
        if not name.isidentifier():
            raise _Failure(f"input {item!r}: {name!r} is not a valid name")
        if name in values:
            raise _Failure(f"input {name} is given twice")
        try:
            if "," in text:
                import numpy as np
                values[name] = np.array([float(t) for t in text.split(",")])
            else:
                values[name] = _number(text)
        except ValueError:
            raise _Failure(f"input {item!r}: {text!r} is not a number (write e.g. {name}=2, "
                           f"{name}=0.5 or {name}=1,2,3)") from None
    return values


def _render(args):
    from pathlib import Path

    from ..teaching.graph import trace

    suffix = Path(args.output).suffix.lower()
    if suffix not in (".svg", ".png", ".pdf", ".html"):
        raise _Failure(f"cannot write {args.output!r}: the file name must end in .svg, .png, "
                       ".pdf or .html")
    if args.mode is None and args.step is not None and suffix != ".html":
        raise _Failure("--step needs --mode values, forward or reverse")
    if args.wrt is not None and args.mode != "forward":
        raise _Failure("--wrt chooses the input forward mode starts from: use it with "
                       "--mode forward (reverse mode starts from --of)")
    if args.of is not None and args.mode != "reverse":
        raise _Failure("--of chooses the node reverse mode starts from: use it with "
                       "--mode reverse (forward mode starts from --wrt)")
    inputs = _parse_inputs(args.inputs)
    check_length(args.expression)
    graph = trace(args.expression, **inputs)   # checked against the whitelist, never eval-ed
    from .. import render   # graphviz is needed only from here on
    render.write(graph, args.output, mode=args.mode, wrt=args.wrt, of=args.of, step=args.step)
    print(f"teachgrad: wrote {args.output} ({len(graph)} nodes"
          + (f", {args.mode}" if args.mode else "") + ")")
    return 0


class _QuietWhenClosed:
    """A text stream that stops writing, quietly, once its reader is gone.

    ``teachgrad lectures | head -1``: ``head`` exits after one line, and the next write to the
    pipe fails with ``BrokenPipeError``. The command's work (copying, drawing, building decks)
    matters more than its report, so the rest of the report is dropped and the work goes on.
    The stream's file descriptor is pointed at os.devnull, so the interpreter's own flush at exit
    finds nothing to complain about either.
    """

    def __init__(self, stream):
        self._stream = stream
        self.reader_gone = False

    def write(self, text):
        if not self.reader_gone:
            try:
                return self._stream.write(text)
            except BrokenPipeError:
                self._drop_the_rest()
        return len(text)

    def flush(self):
        if not self.reader_gone:
            try:
                self._stream.flush()
            except BrokenPipeError:
                self._drop_the_rest()

    def _drop_the_rest(self):
        self.reader_gone = True
        try:
            devnull = os.open(os.devnull, os.O_WRONLY)
        except OSError:
            return
        try:
            os.dup2(devnull, self._stream.fileno())
        except (OSError, ValueError, AttributeError, io.UnsupportedOperation):
            pass                         # not a real file (pytest's capture): nothing to flush
        finally:
            os.close(devnull)

    def __getattr__(self, name):         # isatty, encoding, fileno, … of the real stream
        return getattr(self._stream, name)


def main(argv=None):
    """Run the command line; return the exit status (0 when the file was written).

    Output to a reader that has gone (``teachgrad lectures | head -1``) is dropped quietly and
    the command still does its work; every error is one line on stderr, never a traceback.

    >>> main(["render", "e = a * b", "a=2", "b=3", "-o", "graph.gif"])
    1
    """
    streams = sys.stdout, sys.stderr
    sys.stdout, sys.stderr = _QuietWhenClosed(sys.stdout), _QuietWhenClosed(sys.stderr)
    try:
        return _run(argv)
    except KeyboardInterrupt:
        print("teachgrad: interrupted", file=sys.stderr)
        return 130                       # 128 + SIGINT, as a shell reports Ctrl-C
    finally:
        sys.stdout.flush()               # a reader gone shows here, and is handled quietly
        sys.stderr.flush()
        sys.stdout, sys.stderr = streams


def _run(argv):
    parser = _parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help(sys.stderr)
        return 2
    try:
        return {"lectures": _lectures, "slides": _slides, "html": _html}.get(
            args.command, _render)(args)
    except _Failure as e:
        message = str(e)
    except ExpressionError as e:
        message = f"bad expression: {e}"
    except KeyError as e:                # an unknown node for --wrt / --of
        message = str(e.args[0]) if e.args else "unknown node"
    except (ValueError, TypeError) as e:  # a step out of range, an animation too big, …
        message = str(e)
    except RuntimeError as e:            # render.GraphvizError: what happened, what to try
        message = str(e)
    except ImportError as e:             # a dependency missing from a partial install
        message = (f"teachgrad needs the Python package {e.name!r}, which is not installed: "
                   f"pip install {e.name}")
    except OSError as e:                 # the output folder does not exist, no permission, …
        where = getattr(args, "output", None) or e.filename
        message = (f"cannot write {str(where)!r}: {e.strerror or e}" if where
                   else f"{e.strerror or e}")
    print(f"teachgrad: error: {message}", file=sys.stderr)
    return 1
