"""``import teachgrad`` loads NumPy, not the notebook stack (STYLE.md rule 7).

Each check runs in a fresh interpreter: in this process pytest or another test may already have
imported matplotlib.
"""

import json
import subprocess
import sys
import textwrap

HEAVY = ["ipywidgets", "matplotlib", "graphviz", "IPython"]


def modules_after(code):
    script = textwrap.dedent(code) + textwrap.dedent(f"""
        import json, sys
        print(json.dumps(sorted(m for m in {HEAVY!r} if m in sys.modules)))
    """)
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                            timeout=60)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_the_heavy_modules_are_really_absent_at_start():
    assert modules_after("") == []


def test_import_teachgrad_is_light():
    assert modules_after("import teachgrad") == []


def test_using_the_core_stays_light():
    loaded = modules_after("""
        import teachgrad as tg
        import teachgrad.nn, teachgrad.math, teachgrad.random
        x = tg.constant([1.0, 2.0])
        tg.gradients(tg.nn.softmax(x * tg.random.normal((2,), seed=0)), x)
        tg.grad(tg.grad(tg.sin))(0.5)
        tg.jvp(tg.math.log, (2.0,), (1.0,))
        tg.nn.conv2d(tg.ones((1, 3, 3, 1)), tg.ones((2, 2, 1, 1)), strides=1, padding="SAME")
        dir(tg)
    """)
    assert loaded == []
