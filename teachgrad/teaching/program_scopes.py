"""The name scopes of a program graph: which scope each node is drawn in, how many ops each scope
holds, and which scopes a picture draws as one box.

A node ``model/dense/MatMul`` sits in scope ``model/dense``, inside ``model``. A node whose name
is itself a scope — variable ``model/W`` beside its initializer ``model/W/Assign`` — is drawn
inside that scope, as TensorBoard draws a variable with its initializer.

>>> s = Scopes(["x", "model/W", "model/W/Assign", "model/MatMul", "gradients/mul"])
>>> s.names, s.count["model"], s.of["model/W"], s.of["model/MatMul"]
(['model', 'model/W', 'gradients'], 3, 'model/W', 'model')
>>> shown = s.visible(frozenset({"model"}))
>>> shown["model/W/Assign"], shown["x"]
('model', None)
"""

from ..errors import UnknownNodeError

__all__ = ["Scopes", "COLLAPSE_OVER"]

# A scope with more ops than this is drawn as one box unless asked otherwise: about what a
# lecture slide shows legibly.
COLLAPSE_OVER = 15


def _prefixes(name):
    parts = name.split("/")
    return ["/".join(parts[:k]) for k in range(1, len(parts))]


class Scopes:
    """The scope tree of node ``names``: ``names`` (every scope, parents first), ``of`` (node →
    the innermost scope it is drawn in, ``""`` for none), ``parent`` (scope → its parent scope,
    ``""`` at the top), ``count`` (scope → how many nodes it holds, nested ones included)."""

    def __init__(self, names, attached=()):
        # ``attached``: numbers an op converted for an input, named inside the op (``add/y``):
        # they open no scope, and are drawn beside their op.
        attached = set(attached)
        found = {}
        for name in names:
            if name in attached:
                continue
            for p in _prefixes(name):
                found[p] = True
        self.names = list(found)
        self.parent = {s: (_prefixes(s)[-1] if "/" in s else "") for s in self.names}
        self.of = {}
        self.count = dict.fromkeys(self.names, 0)
        for name in names:
            inner = name if name in found else (name.rpartition("/")[0])
            if name in attached:
                op = inner
                inner = op if op in found else op.rpartition("/")[0]
            self.of[name] = inner
            scope = inner
            while scope:
                self.count[scope] += 1
                scope = self.parent[scope]
        self._visible = {}

    def __len__(self):
        return len(self.names)

    def path(self, scope):
        """``scope`` and every scope around it, outermost first (``[]`` for ``""``).

        >>> Scopes(["a/b/c"]).path("a/b")
        ['a', 'a/b']
        """
        chain = []
        while scope:
            chain.append(scope)
            scope = self.parent[scope]
        return chain[::-1]

    def default(self, limit=COLLAPSE_OVER):
        """The scopes drawn as boxes unless asked otherwise: those with more than ``limit`` ops.

        >>> Scopes([f"big/op{i}" for i in range(20)] + ["small/op"]).default()
        frozenset({'big'})
        """
        return frozenset(s for s in self.names if self.count[s] > limit)

    def resolve(self, collapse):
        """The scopes to draw as boxes: ``None`` the :meth:`default`, ``False`` (or empty)
        none, ``True`` every outermost scope, a name or a list of names those scopes.

        >>> s = Scopes(["model/w", "model/b", "loss"])
        >>> sorted(s.resolve("model")), s.resolve(False)
        (['model'], frozenset())
        >>> s.resolve(["modle"])
        Traceback (most recent call last):
        ...
        teachgrad.errors.UnknownNodeError: "collapse: no scope 'modle' in this program: its scopes are model"
        """
        if collapse is None:
            return self.default()
        if collapse is False:
            return frozenset()
        if collapse is True:
            return frozenset(s for s in self.names if not self.parent[s])
        wanted = [collapse] if isinstance(collapse, str) else list(collapse)
        for s in wanted:
            if s not in self.count:
                known = ", ".join(self.names) if self.names else "none"
                raise UnknownNodeError(f"collapse: no scope {s!r} in this program: its scopes "
                                       f"are {known}")
        return frozenset(wanted)

    def visible(self, collapsed):
        """Node → the box a picture shows it in: the outermost collapsed scope around it, or
        None when the node is drawn itself. Cached per set of collapsed scopes."""
        found = self._visible.get(collapsed)
        if found is None:
            found = {}
            for name, scope in self.of.items():
                shown = None
                for s in self.path(scope):
                    if s in collapsed:
                        shown = s
                        break
                found[name] = shown
            self._visible[collapsed] = found
        return found

    def open_scopes(self, collapsed):
        """The scopes a picture draws as clusters: every scope not inside a box, nor one itself.

        >>> Scopes(["a/b/c", "d/e"]).open_scopes(frozenset({"a"}))
        ['d']
        """
        return [s for s in self.names
                if not any(p in collapsed for p in self.path(s))]
