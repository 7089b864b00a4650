"""torch.cond run eagerly, as torch 2.13 runs it outside torch.compile.

A Python ``pred`` (bool, int, float) just calls the branch. A tensor ``pred`` goes where torch sends it, through
TorchDynamo: torch validates the arguments, traces both branches on stand-ins of the operands, checks that they
return the same structure of tensors (same dtype, dim, conjugate bit) and ints, neither aliasing nor (with grad
mode on) mutating an operand, then runs the taken branch; its tensors come out of one ``CondAutogradOp`` node
whose inputs are ``pred`` and the tensors the branches read (TorchDynamo's lifted graph inputs: the operands and
the tensors the branch functions capture, an operand neither reads dropped), the backward differentiating the
branch with respect to them. Here the branches are traced by running them on stand-ins of those tensors (the
global generator's state restored after), and torch's refusals keep its exception types and the first lines of
its messages (the rest is TorchDynamo's graph dump and hints). What TorchDynamo refuses to trace besides (a
``print`` in a branch...) runs here, and an error raised inside a branch propagates as it is (torch wraps it in
TorchDynamo's). A branch that reaches a tensor requiring grad some way the stand-ins do not cover (an object's
attribute, a function it calls) keeps that tensor's graph behind the node: its outputs are the node's inputs.
"""
from __future__ import annotations

import types
from typing import Any, Callable

import numpy as np

from . import random as _random
from ._creation import zeros_like
from ._tensor import Tensor
from .autograd import gradients, grad_mode
from .autograd.engine import AccumulateGrad
from .autograd.function import Function


class TorchDynamoException(RuntimeError):
    """torch._dynamo.exc.TorchDynamoException."""


class UncapturedHigherOrderOpError(TorchDynamoException):
    """torch._dynamo.exc.UncapturedHigherOrderOpError: a branch TorchDynamo cannot capture."""

    def __init__(self, reason: str, explanation: str) -> None:
        super().__init__("This higher order operator doesn't work unless it is captured completely with "
                         "torch.compile. Got graph break/error:\n\n%s\n  Higher Order Operator: torch.cond\n"
                         "  Explanation: %s" % (reason, explanation))


class TorchRuntimeError(TorchDynamoException):
    """torch._dynamo.exc.TorchRuntimeError: the branches' outputs cannot be merged."""

    def __init__(self, error: BaseException) -> None:
        super().__init__("RuntimeError when making fake tensor call\n  Explanation: Dynamo failed to run FX node "
                         "with fake tensors: call_function cond(...): got %r" % error)


class CondAutogradOp(Function):
    """The node torch's cond gives its outputs: ``forward(ctx, pred, run, *inputs)`` runs the branch (``run``) on
    detached stand-ins of ``inputs`` with grad on, and the backward differentiates that graph with respect to them
    (zeros for an input it does not reach, as torch's)."""

    @staticmethod
    def forward(ctx: Any, pred: Tensor, run: Callable[[list], Any], *inputs: Tensor) -> tuple[Tensor, ...]:
        with grad_mode.enable_grad():
            ctx.stand_ins = [t.detach().requires_grad_(t.requires_grad) for t in inputs]
            ctx.outputs = [t for t in _leaves(run(ctx.stand_ins)) if isinstance(t, Tensor)]
        return tuple(t.detach() for t in ctx.outputs)

    @staticmethod
    def backward(ctx: Any, *grads: Tensor) -> tuple:
        sources = [(t, g) for t, g in zip(ctx.outputs, grads) if t.requires_grad and g is not None]
        wanted = [s for s in ctx.stand_ins if s.requires_grad]
        found = iter(gradients.grad([t for t, _ in sources], wanted, [g for _, g in sources], allow_unused=True)
                     if sources and wanted else [None] * len(wanted))
        return (None, None) + tuple(_or_zeros(next(found), s) if s.requires_grad else None for s in ctx.stand_ins)


def _or_zeros(grad: Tensor | None, like: Tensor) -> Tensor:
    return zeros_like(like) if grad is None else grad


class _ReadRecorder(Tensor):
    """A traced branch's stand-in for a tensor it may read: remembers whether anything read its data."""

    @property  # type: ignore[override]
    def _data(self) -> np.ndarray:
        self._was_read = True
        return self._recorded_data

    @_data.setter
    def _data(self, data: np.ndarray) -> None:
        self._recorded_data = data

    _was_read = False


class _Candidates:
    """The tensors the branches may read, by id: the operands' leaves and the tensors the branch functions capture
    (closure cells, globals they name), each with the name TorchDynamo gives its graph input (which orders them)."""

    def __init__(self, operands: Any, branches: tuple[Callable, Callable]) -> None:
        self.tensors: dict[int, Tensor] = {}
        self.names: dict[int, str] = {}
        self._add_operands(operands, "l_args_3")
        for index, branch in enumerate(branches, 1):
            if isinstance(branch, types.FunctionType):
                for i, cell in enumerate(branch.__closure__ or ()):
                    self._add(_cell_value(cell), "l_args_%d_closure_%d_cell_contents" % (index, i))
                for name in branch.__code__.co_names:
                    self._add(branch.__globals__.get(name), "g_%s_" % name)

    def _add(self, value: Any, name: str) -> None:
        if isinstance(value, Tensor) and id(value) not in self.tensors:
            self.tensors[id(value)] = value
            self.names[id(value)] = name

    def _add_operands(self, tree: Any, name: str) -> None:
        if isinstance(tree, dict):
            for key, value in tree.items():
                self._add_operands(value, "%s_%s" % (name, key))
        elif isinstance(tree, (list, tuple)):
            for i, value in enumerate(tree):
                self._add_operands(value, "%s_%d" % (name, i))
        else:
            self._add(tree, name + "_")

    def lifted(self, true_reads: set, false_reads: set) -> list[Tensor]:
        """The node's inputs in TorchDynamo's order: those both branches read, then the true branch's own, then the
        false branch's, each by name."""
        groups = (true_reads & false_reads, true_reads - false_reads, false_reads - true_reads)
        return [self.tensors[i] for group in groups for i in sorted(group, key=self.names.__getitem__)]


def _cell_value(cell: Any) -> Any:
    try:
        return cell.cell_contents
    except ValueError:  # an empty cell (a name the enclosing function has not bound yet)
        return None


def _replaced(tree: Any, replacement: dict[int, Tensor]) -> Any:
    if isinstance(tree, dict):
        return {k: _replaced(v, replacement) for k, v in tree.items()}
    if isinstance(tree, (list, tuple)):
        return type(tree)(_replaced(item, replacement) for item in tree)
    return replacement.get(id(tree), tree)


def _rebound(branch: Callable, replacement: dict[int, Tensor]) -> Callable:
    """``branch`` reading ``replacement``'s tensors in place of the ones it captures (a function's closure cells
    and the globals it names; any other callable as it is)."""
    if not isinstance(branch, types.FunctionType):
        return branch
    cells = tuple(types.CellType(replacement.get(id(_cell_value(c)), _cell_value(c))) for c in branch.__closure__ or ())
    scope = branch.__globals__
    if any(id(scope.get(name)) in replacement for name in branch.__code__.co_names):
        scope = dict(scope)
        scope.update((name, replacement[id(scope[name])]) for name in branch.__code__.co_names
                     if id(scope.get(name)) in replacement)
    rebound = types.FunctionType(branch.__code__, scope, branch.__name__, branch.__defaults__, cells or None)
    rebound.__kwdefaults__ = branch.__kwdefaults__
    return rebound


def _run(branch: Callable, operands: Any, replacement: dict[int, Tensor]) -> Any:
    return _rebound(branch, replacement)(*_replaced(operands, replacement))


def _leaves(tree: Any) -> list:
    if isinstance(tree, dict):
        tree = list(tree.values())
    if isinstance(tree, (list, tuple)):
        return [leaf for item in tree for leaf in _leaves(item)]
    return [tree]


def _structure(tree: Any) -> Any:
    """``tree`` with its leaves dropped: what two branches' outputs must share."""
    if isinstance(tree, dict):
        return dict, tuple((k, _structure(v)) for k, v in tree.items())
    if isinstance(tree, (list, tuple)):
        return type(tree), tuple(_structure(item) for item in tree)
    return None


def _validate(pred: Any, true_fn: Any, false_fn: Any, operands: Any) -> None:
    if not isinstance(pred, (bool, Tensor)):
        raise RuntimeError("Expected pred to be bool or tensor, but got %s." % (pred,))
    if isinstance(pred, Tensor) and pred.numel() != 1:
        raise RuntimeError("Expected pred to be bool or single-element tensor, but got %s." % (pred,))
    if not callable(true_fn) or not callable(false_fn):
        raise RuntimeError("Expect both branches to be callable.")
    if not isinstance(operands, (tuple, list)) or not all(isinstance(t, Tensor) for t in _leaves(operands)):
        raise RuntimeError("Expect operands to be a tuple of possibly nested dict/list/tuple that only consists of "
                           "tensor leaves, but got %s." % (operands,))


def _trace(branch: Callable, operands: Any, candidates: _Candidates) -> tuple[Any, set, bool]:
    """The branch's output on stand-ins of the candidates, the ids of those it read, and whether its graph reaches a
    tensor requiring grad that is none of them; refused as TorchDynamo refuses tracing it."""
    stand_ins = {}
    for key, t in candidates.tensors.items():
        copy = t.detach().clone()
        stand_ins[key] = _ReadRecorder._make(copy._data, t.requires_grad)
    versions = {key: t._version for key, t in stand_ins.items()}
    with _random.fork_rng():
        out = _run(branch, operands, stand_ins)
    reads = {key for key, t in stand_ins.items() if t._was_read}
    if grad_mode.STATE.enabled and any(stand_ins[key]._version != versions[key] for key in reads):
        raise UncapturedHigherOrderOpError("Encountered input mutation during higher order op tracing",
                                           "Higher order ops do not support input mutation.")
    if out is None:
        raise UncapturedHigherOrderOpError("torch.cond: unsupported branch return type (constant non-int)",
                                           "Constants returned from branches must be ints.")
    inputs = [t._recorded_data for t in stand_ins.values()]
    for leaf in _leaves(out):
        if not isinstance(leaf, (Tensor, int)):
            raise UncapturedHigherOrderOpError(
                "HOP body output unsupported", "HigherOrderOperator body's output must consist of tensors or "
                "ints/bools only but got %s." % type(leaf))
        if isinstance(leaf, Tensor) and any(np.may_share_memory(leaf._data, data) for data in inputs):
            raise UncapturedHigherOrderOpError("Encountered aliasing during higher order op tracing",
                                               "Higher order ops do not support aliasing.")
    return out, reads, _escapes(out, stand_ins.values())


def _escapes(out: Any, stand_ins: Any) -> bool:
    """Whether the graph behind ``out`` reaches a leaf requiring grad other than ``stand_ins``."""
    own = {id(t) for t in stand_ins}
    queue = [t.grad_fn for t in _leaves(out) if isinstance(t, Tensor) and t.grad_fn is not None]
    seen: set = set()
    while queue:
        node = queue.pop()
        if node is None or id(node) in seen:
            continue
        seen.add(id(node))
        if isinstance(node, AccumulateGrad):
            if id(node.variable) not in own:
                return True
            continue
        queue.extend(n for n, _ in node.next_functions)
    return False


def _check_mergeable(true_out: Any, false_out: Any) -> None:
    true_leaves, false_leaves = _leaves(true_out), _leaves(false_out)
    if len(true_leaves) != len(false_leaves):
        raise TorchRuntimeError(RuntimeError("Unmatched output spec from torch.cond branches."))
    if _structure(true_out) != _structure(false_out):
        raise UncapturedHigherOrderOpError("torch.cond: differing branch outputs",
                                           "Expected branches to return the same pytree structure.")
    for a, b in zip(true_leaves, false_leaves):
        if isinstance(a, Tensor) != isinstance(b, Tensor):
            raise TorchRuntimeError(AssertionError(
                "expected both a and b to be FakeTensor, got a=%s, b=%s" % tuple(
                    "<class 'torch._subclasses.fake_tensor.FakeTensor'>" if isinstance(x, Tensor) else type(x)
                    for x in (a, b))))
        if isinstance(a, Tensor):
            for attribute, left, right in (("dtype", a.dtype, b.dtype), ("dim", a.dim(), b.dim()),
                                           ("is_conj", a.is_conj(), b.is_conj())):
                if left != right:
                    raise TorchRuntimeError(RuntimeError(
                        "When merging two branches' output in torch.cond,  expected same %s but got %s and %s."
                        % (attribute, left, right)))


def cond(pred: bool | int | float | Tensor, true_fn: Callable, false_fn: Callable, operands: tuple | list = ()
         ) -> Any:
    """``true_fn(*operands)`` if ``pred`` else ``false_fn(*operands)``, with torch's checks for a tensor ``pred``."""
    if isinstance(pred, (bool, int, float)):
        return true_fn(*operands) if pred else false_fn(*operands)
    _validate(pred, true_fn, false_fn, operands)
    candidates = _Candidates(operands, (true_fn, false_fn))
    true_out, true_reads, true_escapes = _trace(true_fn, operands, candidates)
    false_out, false_reads, false_escapes = _trace(false_fn, operands, candidates)
    _check_mergeable(true_out, false_out)
    taken = true_fn if bool(pred) else false_fn
    inputs = candidates.lifted(true_reads, false_reads)
    if not (grad_mode.STATE.enabled and any(t.requires_grad for t in inputs) or true_escapes or false_escapes):
        return taken(*operands)
    if true_escapes or false_escapes:  # the branch's own graph, behind the node
        result = taken(*operands)
        inputs = [t for t in _leaves(result) if isinstance(t, Tensor)]
        outputs = CondAutogradOp.apply(pred, lambda stand_ins: [t.clone() for t in stand_ins], *inputs)
    else:
        result = true_out if taken is true_fn else false_out  # (the structure: its tensors are replaced)
        outputs = CondAutogradOp.apply(pred, lambda stand_ins: _run(taken, operands, dict(zip(
            map(id, inputs), stand_ins))), *inputs)
    return _with_leaves(result, iter(outputs))


def _with_leaves(tree: Any, tensors: Any) -> Any:
    """``tree`` with its tensor leaves taken in order from ``tensors``."""
    if isinstance(tree, dict):
        return type(tree)((k, _with_leaves(v, tensors)) for k, v in tree.items())
    if isinstance(tree, tuple) and hasattr(tree, "_fields"):
        return type(tree)(*(_with_leaves(item, tensors) for item in tree))
    if isinstance(tree, (list, tuple)):
        return type(tree)(_with_leaves(item, tensors) for item in tree)
    return next(tensors) if isinstance(tree, Tensor) else tree
