"""TensorFlow 1's rule for ``name=`` on placeholders, constants, ops, Variables and name scopes
(issue 22): the same ValueError at creation where TF refuses a name, the same op names where it
accepts one, and a picture of every graph TF accepts.

Every expectation below was read off ``tensorflow.compat.v1`` (TF 2.21 with v2 behaviour off,
/work/tfenv) — creating each op twice in a fresh graph, at the root and inside ``name_scope("s")``.
The rule: a name matches ``^[A-Za-z0-9.][A-Za-z0-9_.\\/>-]*$`` at the root and
``^[A-Za-z0-9_.\\/>-]*$`` inside a scope; a second use becomes ``NAME_1``; a trailing slash
means "this exact name" (``"a/"`` is the op ``a``, outside any scope), which must then be free.
"""

import re

import pytest

import teachgrad as tf

ROOT_RULE = r"^[A-Za-z0-9.][A-Za-z0-9_.\\/>-]*$"
INNER_RULE = r"^[A-Za-z0-9_.\\/>-]*$"
NODE_RULE = "re.compile('^[A-Za-z0-9.][A-Za-z0-9_.\\\\\\\\/>-]*$')"   # as TF prints the regex


def root_error(name):
    return (f"'{name}' is not a valid root scope name. A root scope name has to match the "
            f"following pattern: {ROOT_RULE}")


def inner_error(name):
    return (f"'{name}' is not a valid scope name. A scope name has to match the following "
            f"pattern: {INNER_RULE}")


def node_error(name):
    return f"`{name}` is not a valid node name. Accepted names conform to Regex /{NODE_RULE}/"


def dup(name):
    return f"Duplicate node name in graph: '{name}'"


# name -> (first op name, second op name) in one graph at the root, as TF gives them; a string
# starting with "!" is the ValueError TF raises.
REFUSED_AT_ROOT = ["/a", "_a", "a b", "a:0", "ü", "-a", "//", "/", "a\x00"]
PLACEHOLDER_AT_ROOT = {
    "a//b": ("a//b", "a//b_1"), "a/": ("a", "!" + dup("a")), "a-b": ("a-b", "a-b_1"),
    "a.b": ("a.b", "a.b_1"), "1a": ("1a", "1a_1"), "": ("Placeholder", "Placeholder_1"),
    None: ("Placeholder", "Placeholder_1"), "a/b": ("a/b", "a/b_1"), "a\\b": ("a\\b", "a\\b_1"),
    ".a": (".a", ".a_1"), "a//": ("a/", "!" + dup("a/")), "a/b/": ("a/b", "!" + dup("a/b")),
    "A>": ("A>", "A>_1"), "a_b": ("a_b", "a_b_1"), ".": (".", "._1"), "..": ("..", ".._1"),
    "a..b": ("a..b", "a..b_1"), "a/_b": ("a/_b", "a/_b_1"), "a/.b": ("a/.b", "a/.b_1"),
    "a/-b": ("a/-b", "a/-b_1"), "a/1b": ("a/1b", "a/1b_1"),
    **{name: ("!" + root_error(name),) * 2 for name in REFUSED_AT_ROOT},
}
CONSTANT_AT_ROOT = {
    **{k: v for k, v in PLACEHOLDER_AT_ROOT.items() if k not in ("", None)},
    None: ("Const", "Const_1"),
    # tf.constant checks the whole node name, with TF's other message ("" is no default here)
    **{name: ("!" + node_error(name), "!" + node_error(name + "_1"))
       for name in ["/a", "_a", "a b", "a:0", "ü", "-a", "", "a\x00"]},
    "//": ("!" + node_error("/"),) * 2,
    "/": ("!" + node_error(""),) * 2,
}
# inside name_scope("s"): the rule without the first-character restriction
PLACEHOLDER_IN_SCOPE = {
    "a//b": "s/a//b", "a/": "a", "/a": "s//a", "_a": "s/_a", "-a": "s/-a", "a-b": "s/a-b",
    "a.b": "s/a.b", "1a": "s/1a", "": "s/Placeholder", None: "s/Placeholder", "a/b": "s/a/b",
    "a\\b": "s/a\\b", ".a": "s/.a", "a//": "a/", "a/b/": "a/b", "A>": "s/A>", ".": "s/.",
    "a/_b": "s/a/_b", "a/1b": "s/a/1b",
    "a b": "!" + inner_error("a b"), "a:0": "!" + inner_error("a:0"), "ü": "!" + inner_error("ü"),
    "//": "!" + node_error("/"), "/": "!" + node_error(""),
}
# with name_scope(NAME) inside name_scope("s"): the scope string and the op name of a constant "c"
SCOPE_IN_SCOPE = {
    "a//b": ("s/a//b/", "s/a//b/c"), "a/": ("a/", "a/c"), "/a": ("s//a/", "s//a/c"),
    "_a": ("s/_a/", "s/_a/c"), "": ("", "c"), None: ("", "c"), "a//": ("a//", "a//c"),
    "/": ("/", "c"), "a/b/": ("a/b/", "a/b/c"), "-a": ("s/-a/", "s/-a/c"),
    "a b": "!" + inner_error("a b"), "ü": "!" + inner_error("ü"),
}


def two(make, name):
    out = []
    for _ in range(2):
        try:
            out.append(make(name).op.name)
        except ValueError as error:
            out.append("!" + str(error))
    return tuple(out)


@pytest.mark.parametrize("name", list(PLACEHOLDER_AT_ROOT))
def test_placeholder_names_at_the_root_are_tensorflows(name):
    assert two(lambda n: tf.placeholder(tf.float32, name=n), name) == PLACEHOLDER_AT_ROOT[name]


@pytest.mark.parametrize("name", list(PLACEHOLDER_AT_ROOT))
def test_op_and_variable_names_at_the_root_are_tensorflows(name):
    expected = PLACEHOLDER_AT_ROOT[name]
    if name == "":    # (TF's add and Variable give "" to the op type: AddV2, VariableV2)
        expected = ("Mul", "Mul_1")
    assert two(lambda n: tf.multiply(tf.constant(1.0), 2.0, name=n), name) == \
        (expected if name is not None else ("Mul", "Mul_1"))
    if name not in ("", None):
        tf.reset_default_graph()
        assert two(lambda n: tf.sin(tf.constant(1.0), name=n), name) == expected
        tf.reset_default_graph()
        assert two(lambda n: tf.Variable(1.0, name=n), name) == expected


@pytest.mark.parametrize("name", list(CONSTANT_AT_ROOT))
def test_constant_names_are_tensorflows(name):
    assert two(lambda n: tf.constant(1.0, name=n), name) == CONSTANT_AT_ROOT[name]


@pytest.mark.parametrize("name", list(PLACEHOLDER_IN_SCOPE))
def test_names_inside_a_scope_are_tensorflows(name):
    expected = PLACEHOLDER_IN_SCOPE[name]
    with tf.name_scope("s"):
        if expected.startswith("!"):
            with pytest.raises(ValueError, match="^" + re.escape(expected[1:]) + "$"):
                tf.placeholder(tf.float32, name=name)
        else:
            assert tf.placeholder(tf.float32, name=name).op.name == expected


@pytest.mark.parametrize("name", list(SCOPE_IN_SCOPE))
def test_name_scopes_inside_a_scope_are_tensorflows(name):
    expected = SCOPE_IN_SCOPE[name]
    with tf.name_scope("s"):
        if isinstance(expected, str):
            with pytest.raises(ValueError, match="^" + re.escape(expected[1:]) + "$"):
                with tf.name_scope(name):
                    pass
        else:
            with tf.name_scope(name) as scope:
                assert (scope, tf.constant(1.0, name="c").op.name) == expected


@pytest.mark.parametrize("name, expected", [
    ("a//b", ("a//b/c", "a//b_1/c")), ("a/", ("a/c", "a/c_1")), ("a/b", ("a/b/c", "a/b_1/c")),
    ("a//", ("a//c", "a//c_1")), ("a/b/", ("a/b/c", "a/b/c_1")), ("a/_b", ("a/_b/c", "a/_b_1/c")),
    ("a/-b", ("a/-b/c", "a/-b_1/c")), ("a/1b", ("a/1b/c", "a/1b_1/c")), ("A>", ("A>/c", "A>_1/c")),
    ("/a", ("!" + root_error("/a"),) * 2), ("//", ("!" + root_error("//"),) * 2),
    ("/", ("!" + root_error("/"),) * 2), ("a b", ("!" + root_error("a b"),) * 2),
])
def test_name_and_variable_scope_names_are_tensorflows(name, expected):
    def in_name_scope(n):
        with tf.name_scope(n):
            return tf.constant(1.0, name="c")

    def in_variable_scope(n):
        with tf.variable_scope(n, reuse=tf.AUTO_REUSE):
            return tf.constant(1.0, name="c")

    assert two(in_name_scope, name) == expected
    tf.reset_default_graph()
    assert two(in_variable_scope, name) == expected


def test_duplicates_of_an_exact_name_are_refused_as_tensorflow_does():
    tf.placeholder(tf.float32, name="a")
    with pytest.raises(ValueError, match=r"^Duplicate node name in graph: 'a'$"):
        tf.placeholder(tf.float32, name="a/")
    tf.reset_default_graph()
    tf.placeholder(tf.float32, name="a/")
    with pytest.raises(ValueError, match=r"^Duplicate node name in graph: 'a'$"):
        tf.placeholder(tf.float32, name="a")
    tf.reset_default_graph()
    tf.placeholder(tf.float32, name="A")
    assert tf.placeholder(tf.float32, name="a/").op.name == "a"      # names are case-sensitive


def test_a_refused_name_adds_no_op_to_the_graph():
    with pytest.raises(ValueError, match="not a valid root scope name"):
        tf.placeholder(tf.float32, name="a b")
    with pytest.raises(ValueError, match="not a valid node name"):
        tf.constant(1.0, name="_a")
    assert tf.get_default_graph().get_operations() == []
    assert tf.placeholder(tf.float32).op.name == "Placeholder"


# Every name TF accepts, at the root and inside a scope, drawn without and with values.
ACCEPTED = [n for n, (first, _) in PLACEHOLDER_AT_ROOT.items() if not first.startswith("!")]
ACCEPTED_IN_SCOPE = [n for n, op in PLACEHOLDER_IN_SCOPE.items() if not op.startswith("!")]


@pytest.mark.parametrize("where, name", [("root", n) for n in ACCEPTED]
                         + [("scope s", n) for n in ACCEPTED_IN_SCOPE])
def test_every_accepted_name_draws(where, name):
    pytest.importorskip("graphviz")
    if where == "root":
        x = tf.placeholder(tf.float32, name=name)
        y = tf.multiply(x, 2.0, name=name + "m" if name and not name.endswith("/") else None)
    else:
        with tf.name_scope("s"):
            x = tf.placeholder(tf.float32, name=name)
            y = tf.sin(x, name=None if name is None else name + "y")
    for graph in (tf.trace(y), tf.trace(y, feed_dict={x: 1.0})):
        svg = graph.svg()
        assert svg.count('class="node') >= 2
        assert graph._repr_mimebundle_()["image/svg+xml"] == svg


def test_every_accepted_name_draws_in_a_collapsed_scope():
    pytest.importorskip("graphviz")
    x = tf.placeholder(tf.float32, name="a//b")
    y = x
    with tf.name_scope("s"):
        for _ in range(20):
            y = tf.sin(y, name="/q")
    for collapse in (None, "s", "a", "a/"):
        assert "<svg" in tf.trace(y, collapse=collapse).svg()
