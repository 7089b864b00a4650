"""The pytrees torch.func walks (torch.utils._pytree's core): tuples, lists, dicts, namedtuples.

A tree flattens to its leaves and a ``TreeSpec``; specs compare equal when the structures agree and
print as torch's (they appear in torch.func's error messages).
"""
from __future__ import annotations

from collections import OrderedDict
from typing import Any, Callable


def _is_namedtuple(x: Any) -> bool:
    return isinstance(x, tuple) and hasattr(type(x), "_fields")


def _children(tree: Any) -> tuple[type, Any, list] | None:
    """``(node type, context, children)`` of a container, None for a leaf."""
    if _is_namedtuple(tree):
        return "namedtuple", type(tree), list(tree)
    if type(tree) in (tuple, list):
        return type(tree), None, list(tree)
    if type(tree) in (dict, OrderedDict):
        return type(tree), list(tree), list(tree.values())
    return None


class TreeSpec:
    """A container's type, its context (dict keys, namedtuple class) and its children's specs."""

    def __init__(self, kind: Any, context: Any, children: list["TreeSpec"]) -> None:
        self.kind = kind
        self.context = context
        self.children = children
        self.num_leaves = sum(c.num_leaves for c in children)

    def __eq__(self, other: object) -> bool:
        return (isinstance(other, TreeSpec) and self.kind == other.kind and self.context == other.context
                and self.children == other.children)

    def __repr__(self, indent: int = 0) -> str:
        name = self.kind if isinstance(self.kind, str) else self.kind.__name__
        inner = ""
        if self.children:
            indent += 2
            inner = self.children[0].__repr__(indent) + ("," if len(self.children) > 1 else "")
            inner += ",".join("\n" + " " * indent + c.__repr__(indent) for c in self.children[1:])
        return "TreeSpec(%s, %s, [%s])" % (name, self.context, inner)

    def unflatten(self, leaves: Any) -> Any:
        values = [c.unflatten(leaves) for c in self.children]
        if self.kind == "namedtuple":
            return self.context(*values)
        if self.kind in (dict, OrderedDict):
            return self.kind(zip(self.context, values))
        return self.kind(values)


class LeafSpec(TreeSpec):
    def __init__(self) -> None:
        super().__init__(None, None, [])
        self.num_leaves = 1

    def __repr__(self, indent: int = 0) -> str:
        return "*"

    def unflatten(self, leaves: Any) -> Any:
        return next(leaves)


LEAF = LeafSpec()


def tree_flatten(tree: Any) -> tuple[list, TreeSpec]:
    node = _children(tree)
    if node is None:
        return [tree], LEAF
    kind, context, children = node
    leaves: list = []
    specs = []
    for child in children:
        child_leaves, spec = tree_flatten(child)
        leaves += child_leaves
        specs.append(spec)
    return leaves, TreeSpec(kind, context, specs)


def tree_unflatten(leaves: Any, spec: TreeSpec) -> Any:
    return spec.unflatten(iter(leaves))


def tree_map(fn: Callable[[Any], Any], tree: Any) -> Any:
    leaves, spec = tree_flatten(tree)
    return tree_unflatten([fn(x) for x in leaves], spec)


def broadcast_to_and_flatten(prefix: Any, spec: TreeSpec) -> list | None:
    """``prefix`` (a tree whose leaves stand for whole subtrees of ``spec``) spread over spec's leaves,
    or None when it is not a prefix of the structure."""
    if spec is LEAF or _children(prefix) is None:
        return [prefix] * spec.num_leaves if _children(prefix) is None else None
    kind, context, children = _children(prefix)
    if kind != spec.kind or context != spec.context or len(children) != len(spec.children):
        return None
    out: list = []
    for child, child_spec in zip(children, spec.children):
        flat = broadcast_to_and_flatten(child, child_spec)
        if flat is None:
            return None
        out += flat
    return out
