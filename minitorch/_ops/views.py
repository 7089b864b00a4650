"""Views that share memory with their base, and autograd through in-place writes into them.

A view remembers its root base and the chain of view steps that rebuilds it from the base. When a
view is written in place while autograd records, the base's history is rebased onto a CopySlices
node (as in torch): backward sends the written region's gradient through the in-place op and the
rest of the base's gradient to the base's old history. Views whose base changed later get their
grad_fn regenerated (as an AsStridedBackward0 of the base) the next time it is read.
"""
from __future__ import annotations

from typing import Any, Callable, Sequence

import numpy as np

from .._tensor import Tensor
from ..autograd.engine import Node, validate_grad
from .registry import OpDef, _NO_EDGE, edge_of, record

ViewStep = tuple  # (callable, args): replays one view op on a Tensor


def make_view(op: OpDef, data: np.ndarray, src: Tensor, attrs: dict | None, step: ViewStep,
              inputs: Sequence[Any] | None = None) -> Tensor:
    """Record a view op's output and tie it to ``src``'s memory, version counter and base."""
    out = record(op, data, (src,) if inputs is None else inputs, attrs)
    out._base = src if src._base is None else src._base
    out._vbox = src._vbox
    out._view_chain = src._view_chain + (step,)
    out._view_version = src._vbox[0]
    return out


def replay(t: Tensor, chain: Sequence[ViewStep]) -> Tensor:
    for fn, args in chain:
        t = fn(t, *args)
    return t


class CopySlices(Node):
    """The base's history after one of its views was written in place by ``fn``."""

    __slots__ = ("_chain", "_fn")

    def apply(self, grads: list) -> list:
        result = grads[0].clone()
        region = replay(result, self._chain)
        fn_grads = self._fn.apply([region.clone()])
        meta = self._fn._input_meta
        if fn_grads[0] is None:
            region.zero_()
        else:
            region.copy_(validate_grad(fn_grads[0], meta[0], 0, self._fn))
        return [result] + list(fn_grads[1:])

    def release(self) -> None:
        self._fn.release()


class AsStridedBackward0(Node):
    """A view's history once its base was rebased: the view's gradient lands in its region."""

    __slots__ = ("_chain",)

    def apply(self, grads: list) -> list:
        shape, dtype = self._input_meta[0]
        whole = Tensor._make(np.zeros(shape, dtype.np))
        replay(whole, self._chain).copy_(grads[0])
        return [whole]


def _set_view_history(view: Tensor) -> None:
    base = view._base
    node = AsStridedBackward0((edge_of(base),), ((base._data.shape, base.dtype),))
    node._chain = view._view_chain
    view._grad_fn = node
    view._output_nr = 0
    view._requires_grad = True
    view._view_version = view._vbox[0]


def rebase_view(view: Tensor, fn: Node) -> None:
    """``view`` was just written in place by the op recorded as ``fn``."""
    base = view._base
    base_edge = edge_of(base) if base._requires_grad else _NO_EDGE
    cs = CopySlices((base_edge,) + fn.next_functions[1:],
                    ((base._data.shape, base.dtype),) + fn._input_meta[1:])
    cs._chain = view._view_chain
    cs._fn = fn
    base._grad_fn = cs
    base._output_nr = 0
    base._requires_grad = True
    _set_view_history(view)


def refresh_view_grad_fn(view: Tensor) -> None:
    """Called when the view's base changed in place since the view's grad_fn was made."""
    if view._base._requires_grad:
        _set_view_history(view)
    else:
        view._view_version = view._vbox[0]


def view_step(fn: Callable, *args: Any) -> ViewStep:
    return (fn, args)
