"""The autograd graph behind some tensors, as plain nodes and edges ready to be written out.

Everything is read through torch's graph interface (``grad_fn``, ``next_functions``, the ``variable``
of an ``AccumulateGrad``, ``_saved_*`` attributes, ``register_hook``), so the same code walks a
minitorch graph and a real torch graph, and numbers their nodes identically.
"""
from __future__ import annotations

import sys
from dataclasses import dataclass, field
from typing import Any, Iterable, Iterator


@dataclass
class Node:
    """One box of the picture: an op (its grad_fn), a leaf, or an input that needs no grad."""

    id: str
    kind: str  # "op", "leaf" (a tensor that requires grad, drawn as its AccumulateGrad) or "constant"
    lines: list[str]
    output: bool = False  # one of the tensors the picture was asked for


@dataclass
class Graph:
    nodes: list[Node] = field(default_factory=list)
    edges: list[tuple[str, str]] = field(default_factory=list)  # (input, consumer): the data's direction


class GradCapture:
    """Records the gradient that flows out of every node of a graph during the backward passes.

    ``capture = capture_grads(loss)``, ``loss.backward()``, then ``to_mermaid(loss, grads=capture)``
    annotates every node with the shape and norm of the gradient of its output.
    """

    def __init__(self, *outputs: Any) -> None:
        self.grads: dict[Any, tuple] = {}
        self._handles = []
        for node in _walk(outputs).order:
            if hasattr(node, "variable"):  # a leaf: its tensor hook sees the gradient accumulated into it
                self._handles.append(node.variable.register_hook(self._leaf_recorder(node)))
            elif not isinstance(node, _NoGrad):
                self._handles.append(node.register_hook(self._recorder(node)))

    def _recorder(self, node: Any) -> Any:
        def record(grad_inputs: tuple, grad_outputs: tuple) -> None:
            self.grads[node] = grad_outputs
        return record

    def _leaf_recorder(self, node: Any) -> Any:
        def record(grad: Any) -> None:
            self.grads[node] = (grad,)
        return record

    def remove(self) -> None:
        """Stop capturing; what was captured stays."""
        for handle in self._handles:
            handle.remove()


def build(outputs: Iterable[Any], names: Any = None, saved: bool = False,
          grads: bool | GradCapture = False) -> Graph:
    """The graph of ``outputs``, its nodes numbered depth-first from the first output.

    ``names``: a mapping from names to tensors and modules (``locals()`` will do), or a module, whose
    parameters are then named by their path (``fc1.weight``). ``grads``: ``True`` shows the ``.grad``
    of leaves and of named tensors that retain it; a ``GradCapture`` shows every node's gradient.
    """
    outputs = list(outputs)
    walk = _walk(outputs)
    table = _NameTable(names)
    ids = {id(item): "n%d" % i for i, item in enumerate(walk.order)}
    graph = Graph()
    for item in walk.order:
        if isinstance(item, _NoGrad):
            lines = _tensor_lines(item.tensor, table.leaf_name(item.tensor)) if item.tensor is not None \
                else ["no grad"]
            graph.nodes.append(Node(ids[id(item)], "constant", lines, item.tensor is not None))
            continue
        if hasattr(item, "variable"):  # an AccumulateGrad: draw the leaf it accumulates into
            leaf = item.variable
            grad = leaf.grad if grads is True else _captured(grads, item, 0)
            lines = _tensor_lines(leaf, table.leaf_name(leaf), "AccumulateGrad", grad)
            kind = "leaf"
        else:
            lines = _op_lines(item, walk.meta[item], table, grads, saved)
            kind = "op"
        graph.nodes.append(Node(ids[id(item)], kind, lines, item in walk.roots))
        graph.edges += [(ids[id(source)], ids[id(item)]) for source in walk.inputs[item]]
    return graph


def _op_lines(node: Any, meta: dict[int, Any], table: _NameTable, grads: bool | GradCapture,
              saved: bool) -> list[str]:
    outputs = sorted(meta)
    names = [table.result_name(node, nr) for nr in outputs]
    lines = [", ".join(n for n in names if n)] if any(names) else []
    lines.append(type(node).__name__)
    shapes = [_describe(*meta[nr]) for nr in outputs if meta[nr] is not None]
    if shapes:
        lines.append(", ".join(shapes))
    for nr in outputs:
        grad = table.retained_grad(node, nr) if grads is True else _captured(grads, node, nr)
        if grad is not None:
            lines.append(_grad_line(grad))
    if saved:
        lines += ["saved %s: %s" % (name, _describe(t.shape, t.dtype)) for name, t in _saved_tensors(node)]
    return lines


def _tensor_lines(t: Any, name: str | None, node_name: str | None = None, grad: Any = None) -> list[str]:
    lines = [name] if name else []
    if node_name:
        lines.append(node_name)
    lines.append(_describe(t.shape, t.dtype))
    if grad is not None:
        lines.append(_grad_line(grad))
    return lines


def _describe(shape: Any, dtype: Any) -> str:
    return "[%s] %s" % (", ".join(str(int(s)) for s in shape), str(dtype).rpartition(".")[2])


def _grad_line(grad: Any) -> str:
    return "grad %s norm %.4g" % (_describe(grad.shape, grad.dtype), float(grad.detach().double().norm()))


def _captured(grads: bool | GradCapture, node: Any, nr: int) -> Any:
    if not isinstance(grads, GradCapture) or node not in grads.grads:
        return None
    flowing = grads.grads[node]
    return flowing[nr] if nr < len(flowing) else None


# ---- walking the graph --------------------------------------------------------------------------
class _NoGrad:
    """An input that needs no gradient (a ``None`` edge), or an asked-for tensor with no history."""

    def __init__(self, tensor: Any = None) -> None:
        self.tensor = tensor


@dataclass
class _Walk:
    roots: list[Any] = field(default_factory=list)
    order: list[Any] = field(default_factory=list)  # nodes and _NoGrad inputs, depth-first
    inputs: dict[Any, list[Any]] = field(default_factory=dict)  # node -> its inputs, in order
    meta: dict[Any, dict[int, Any]] = field(default_factory=dict)  # node -> {output nr: (shape, dtype)}


def _walk(outputs: Iterable[Any]) -> _Walk:
    """Depth-first over ``next_functions``, iteratively (graphs of unrolled loops are deep)."""
    walk = _Walk()
    starts: list[Any] = []
    for t in outputs:
        if t.grad_fn is None and not t.requires_grad:
            starts.append(_NoGrad(t))
            continue
        node, nr = _gradient_edge(t)
        walk.meta.setdefault(node, {})[nr] = (t.shape, t.dtype)
        walk.roots.append(node)
        starts.append(node)
    seen: set[int] = set()
    stack: list[Iterator[Any]] = [iter(starts)]
    while stack:
        item = next(stack[-1], None)
        if item is None:
            stack.pop()
            continue
        if id(item) in seen:
            continue
        seen.add(id(item))
        walk.order.append(item)
        if not isinstance(item, _NoGrad):
            walk.inputs[item] = _inputs(item, walk.meta)
            stack.append(iter(walk.inputs[item]))
    return walk


def _inputs(consumer: Any, meta: dict) -> list[Any]:
    found = []
    for i, (node, nr) in enumerate(consumer.next_functions):
        if node is None:
            found.append(_NoGrad())
        else:
            outputs = meta.setdefault(node, {})
            if nr not in outputs:
                outputs[nr] = _edge_meta(consumer, i, node, nr)
            found.append(node)
    return found


def _gradient_edge(t: Any) -> tuple[Any, int]:
    """The (node, output number) a gradient for ``t`` flows into: its grad_fn, or its AccumulateGrad."""
    for cls in type(t).__mro__:  # the library that defines the tensor class: torch, or minitorch
        library = sys.modules.get(cls.__module__.partition(".")[0])
        if hasattr(library, "autograd"):
            node, nr = library.autograd.graph.get_gradient_edge(t)[:2]
            return node, nr
    raise TypeError("not a torch or minitorch tensor: %s" % type(t).__name__)


def _edge_meta(consumer: Any, i: int, node: Any, nr: int) -> Any:
    """Shape and dtype of the tensor on an edge: torch keeps them on the producing node, per output
    (``_input_metadata``); minitorch on the consuming node, per input (``_input_meta``)."""
    if hasattr(node, "variable"):
        return node.variable.shape, node.variable.dtype
    produced = getattr(node, "_input_metadata", None)
    if produced is not None:
        return produced[nr].shape, produced[nr].dtype
    consumed = getattr(consumer, "_input_meta", None)
    return consumed[i] if consumed is not None else None


def _saved_tensors(node: Any) -> list[tuple[str, Any]]:
    """The tensors a node saved for backward, by torch's ``_saved_<name>`` attributes."""
    names = {n[len("_saved_"):] for n in dir(node) if n.startswith("_saved_")}
    # minitorch's nodes answer these attributes without listing them: its op record knows the names
    names.update(getattr(getattr(node, "_op", None), "inputs", ()), ["result"])
    found = []
    for name in sorted(names):
        try:
            value = getattr(node, "_saved_" + name)
        except (AttributeError, RuntimeError):  # not saved, or freed by a backward pass
            continue
        if hasattr(value, "shape") and hasattr(value, "dtype"):
            found.append((name, value))
    return found


# ---- names --------------------------------------------------------------------------------------
class _NameTable:
    """Names for leaves (by identity) and for op results (by grad_fn and output number)."""

    def __init__(self, names: Any) -> None:
        self.leaves: dict[int, str] = {}
        self.results: dict[tuple[int, int], tuple[str, Any]] = {}
        if _is_module(names):
            names = {"": names}
        for name, value in (names or {}).items():
            if name.startswith("_") or isinstance(value, type):  # notebook output slots, classes
                continue
            if _is_module(value):
                for path, p in value.named_parameters():
                    self._add(name + "." + path if name else path, p)
            elif hasattr(value, "grad_fn") and hasattr(value, "shape"):
                self._add(name, value)

    def _add(self, name: str, t: Any) -> None:
        if t.grad_fn is None:
            self.leaves.setdefault(id(t), name)
        else:
            self.results.setdefault((id(t.grad_fn), t.output_nr), (name, t))

    def leaf_name(self, t: Any) -> str | None:
        return self.leaves.get(id(t))

    def result_name(self, node: Any, nr: int) -> str | None:
        named = self.results.get((id(node), nr))
        return named[0] if named else None

    def retained_grad(self, node: Any, nr: int) -> Any:
        named = self.results.get((id(node), nr))
        return named[1].grad if named and named[1].retains_grad else None


def _is_module(value: Any) -> bool:
    return callable(getattr(value, "named_parameters", None)) and not isinstance(value, type)
