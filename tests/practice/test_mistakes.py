"""The practice players' diagnoses: for each step a student computes, the answers the common
mistakes give and the hint that names each (issue 27's survivors of practice/mistakes.py).

The numbers of one step are checked by hand below (x̄ of s = x·y + x² − x/y at x = 2, y = 4);
every exercise of three graphs in every mode — question, value, worked arithmetic, each mistake's
kind, value and hint, and the hint for any other answer — is compared with
``mistakes_expected.json``, which was written by this module and read through: the hints are what
a student reads, so a changed word is a changed behaviour. After a deliberate change of wording,
write the file again with ``python tests/practice/test_mistakes.py`` and read the diff.
"""

import json
import math
from pathlib import Path

import pytest

import teachgrad as tg
from teachgrad.practice.mistakes import Candidate, exercises

EXPECTED = Path(__file__).with_name("mistakes_expected.json")

GRAPHS = {
    "seed": ("e = (a + b) * (b + 1)", {"a": 2, "b": 1}, "b"),
    "three consumers": ("s = x * y + square(x) - x / y", {"x": 2, "y": 4}, "x"),
    "sub, square, div": ("f = square(x - y) / (x * y)", {"x": 3, "y": 1}, "y"),
}


def all_exercises(name):
    source, inputs, wrt = GRAPHS[name]
    g = tg.trace(source, **inputs)
    found = {}
    for mode, steps in (("values", g.value_steps()), ("forward", g.forward_mode(wrt)),
                        ("reverse", g.reverse_mode())):
        found[mode] = [{"question": x.question, "value": x.value, "worked": x.worked,
                        "candidates": [[c.kind, c.value, c.hint] for c in x.candidates],
                        "fallback": x.fallback, "repr": repr(x)}
                       for x in exercises(g, mode, steps)]
    return found


def test_the_mistakes_of_a_step_with_three_consumers_by_hand():
    g = tg.trace(GRAPHS["three consumers"][0], x=2, y=4)
    x_bar = exercises(g, "reverse", g.reverse_mode())[-2]
    assert x_bar.question == "x̄ = ds/dx = ?" and x_bar.value == 7.75   # y + 2x − 1/y
    by_kind = {}
    for c in x_bar.candidates:
        by_kind.setdefault(c.kind, []).append(c.value)
    # terms: ∂a/∂x·ā = 4, ∂b/∂x·b̄ = 4, ∂d/∂x·d̄ = 0.25·(−1); a repeated value is kept once
    assert by_kind == {"missing-term": [3.75, 8.0], "one-term": [4.0, -0.25], "product": [-4.0],
                       "wrong-input-partial": [5.75, 8.125], "sign": [-7.75],
                       "no-partial": [1.0], "no-derivative": [8.25],
                       "values-for-derivatives": [48.125], "value": [2.0]}
    assert all(isinstance(c, Candidate) and isinstance(c.value, float) for c in x_bar.candidates)
    assert "x feeds three nodes, a, b and d: its adjoint x̄ sums one term per consumer" in \
        x_bar.candidates[0].hint
    assert x_bar.candidates[0].hint.endswith("Your answer leaves out the term through a.")
    assert x_bar.as_dict()["candidates"][0] == list(x_bar.candidates[0])
    assert x_bar.as_dict()["node"] == "x" and x_bar.as_dict()["value"] == 7.75


def test_a_right_or_non_finite_value_is_never_a_mistake():
    g = tg.trace("y = x / z", x=0.0, z=2.0)
    [step] = exercises(g, "values", g.value_steps())[-1:]
    # x/z = 0: the 'sign' slip −0 and the 'multiplied' 0 equal the answer; z/x is not finite
    assert [c.kind for c in step.candidates] == []
    assert step.fallback == "y = x / z: put in the values of x and z (on the nodes) and compute."


@pytest.mark.parametrize("name", GRAPHS)
def test_every_exercise_and_hint_as_written(name):
    expected = json.loads(EXPECTED.read_text(encoding="utf-8"))[name]
    found = all_exercises(name)
    for mode in expected:
        assert len(found[mode]) == len(expected[mode])
        for got, want in zip(found[mode], expected[mode]):
            assert got["question"] == want["question"]
            assert math.isclose(got["value"], want["value"], rel_tol=1e-12)
            for key in ("worked", "fallback", "repr"):
                assert got[key] == want[key], (got["question"], key)
            assert [c[0] for c in got["candidates"]] == [c[0] for c in want["candidates"]], \
                got["question"]
            for c, w in zip(got["candidates"], want["candidates"]):
                assert math.isclose(c[1], w[1], rel_tol=1e-12, abs_tol=1e-15), (c, w)
                assert c[2] == w[2], got["question"]


if __name__ == "__main__":
    EXPECTED.write_text(json.dumps({name: all_exercises(name) for name in GRAPHS},
                                   ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
