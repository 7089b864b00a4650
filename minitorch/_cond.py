"""torch.cond run eagerly, as torch 2.13 runs it outside torch.compile.

A Python ``pred`` (bool, int, float) just calls the branch. A tensor ``pred`` goes where torch sends it, through
TorchDynamo: torch validates the arguments, traces both branches on stand-ins of the operands, checks that they
return the same structure of tensors (same dtype, dim, conjugate bit) and ints, neither aliasing nor (with grad
mode on) mutating an operand, then runs the taken branch; its tensors come out of one ``CondAutogradOp`` node,
through which gradients reach the branch's graph. Here the branches are traced by running them on detached
copies of the operands (the global generator's state restored after), and torch's refusals keep its exception
types and the first lines of its messages (the rest is TorchDynamo's graph dump and hints). What TorchDynamo
refuses to trace besides (a ``print`` in a branch...) runs here, and an error raised inside a branch propagates
as it is (torch wraps it in TorchDynamo's).
"""
from __future__ import annotations

from typing import Any, Callable

import numpy as np

from . import random as _random
from ._compile import CompiledFunction, as_compiled_outputs
from ._tensor import Tensor
from .autograd import grad_mode


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


class CondAutogradOp(CompiledFunction):
    """The node torch's cond gives its outputs: gradients pass through to the taken branch's graph."""


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


def _stand_ins(tree: Any) -> Any:
    """Copies of the operands (detached, requiring grad as they do), in the same structure."""
    if isinstance(tree, dict):
        return {k: _stand_ins(v) for k, v in tree.items()}
    if isinstance(tree, (list, tuple)):
        return type(tree)(_stand_ins(item) for item in tree)
    return tree.detach().clone().requires_grad_(tree.requires_grad)


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


def _trace(branch: Callable, operands: Any) -> Any:
    """The branch's output on stand-ins of the operands, refused as TorchDynamo refuses tracing it."""
    stand_ins = _stand_ins(operands)
    inputs = _leaves(stand_ins)
    versions = [t._version for t in inputs]
    with _random.fork_rng():
        out = branch(*stand_ins)
    if grad_mode.STATE.enabled and any(t._version != v for t, v in zip(inputs, versions)):
        raise UncapturedHigherOrderOpError("Encountered input mutation during higher order op tracing",
                                           "Higher order ops do not support input mutation.")
    if out is None:
        raise UncapturedHigherOrderOpError("torch.cond: unsupported branch return type (constant non-int)",
                                           "Constants returned from branches must be ints.")
    for leaf in _leaves(out):
        if not isinstance(leaf, (Tensor, int)):
            raise UncapturedHigherOrderOpError(
                "HOP body output unsupported", "HigherOrderOperator body's output must consist of tensors or "
                "ints/bools only but got %s." % type(leaf))
        if isinstance(leaf, Tensor) and any(np.may_share_memory(leaf._data, t._data) for t in inputs):
            raise UncapturedHigherOrderOpError("Encountered aliasing during higher order op tracing",
                                               "Higher order ops do not support aliasing.")
    return out


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
    _check_mergeable(_trace(true_fn, operands), _trace(false_fn, operands))
    result = true_fn(*operands) if bool(pred) else false_fn(*operands)
    return as_compiled_outputs(result, CondAutogradOp, every_tensor=True)
