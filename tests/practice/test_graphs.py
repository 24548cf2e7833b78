"""``practice.random_graph``: reproducible small exercises with integer values and derivatives,
at least one input feeding two nodes, only the operations asked (no widgets needed)."""

import pytest

from teachgrad.practice import random_graph
from teachgrad.practice.graphs import MAX_DERIVATIVE, MAX_VALUE


def test_random_graph_is_reproducible_integer_valued_with_a_shared_input():
    sources = set()
    for n_nodes in range(3, 13):
        for s in range(40):
            g = random_graph(n_nodes, seed=s)
            twin = random_graph(n_nodes, seed=s)
            assert g.source == twin.source and g.inputs == twin.inputs
            assert [float(g.value(n)) for n in g.nodes] == [float(twin.value(n)) for n in g.nodes]
            assert len(g) == n_nodes and g.inputs == sorted(g.inputs)
            assert any(len(g.consumers(x)) >= 2 for x in g.inputs), g.source
            assert g.upstream(g.output) == set(g.nodes), g.source      # everything counts
            for v in [g.value(n) for n in g.nodes] + [e.value for e in g.edges]:
                assert float(v).is_integer(), g.source
            assert all(0 < abs(g.value(n)) <= MAX_VALUE for n in g.nodes)
            adjoints = [s.value for s in g.reverse_mode()]
            assert all(float(a).is_integer() and abs(a) <= MAX_DERIVATIVE for a in adjoints)
            sources.add(g.source)
    assert len(sources) > 300                       # the seeds give many different exercises
    assert random_graph(seed=None).source is not None


def test_random_graph_uses_only_the_ops_asked():
    for s in range(20):
        g = random_graph(6, ops=("+",), seed=s)
        assert {g.node(n).op.name for n in g.nodes if n not in g.inputs} == {"add"}
        g = random_graph(5, ops=("*", "square"), seed=s)
        assert {g.node(n).op.name for n in g.nodes if n not in g.inputs} <= {"mul", "square"}


@pytest.mark.parametrize("kwargs, words", [
    ({"n_nodes": 2}, "from 3 to 12"), ({"n_nodes": 13}, "from 3 to 12"),
    ({"n_nodes": "5"}, "expected an int"), ({"n_nodes": True}, "expected an int"),
    ({"ops": ("+", "/")}, "expected some of"), ({"ops": ()}, "expected some of"),
    ({"ops": ("square",)}, "two-input operation"),
])
def test_random_graph_bad_arguments(kwargs, words):
    with pytest.raises(ValueError, match=words):
        random_graph(**kwargs)
