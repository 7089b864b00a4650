"""Views that share memory with their base, and autograd through in-place writes into them.

A view remembers its root base and the chain of view steps that rebuilds it from the base. When a
view is written in place while autograd records, the base's history is rebased onto a CopySlices
node (as in torch): backward sends the written region's gradient through the in-place op and the
rest of the base's gradient to the base's old history. Views whose base changed later get their
grad_fn regenerated (as an AsStridedBackward0 of the base) the next time it is read.

Views made under no_grad, and the several views one op returns (split, unbind), may not be written
in place (nor read after their base was written) while autograd records: torch's CreationMeta rules
and messages.
"""
from __future__ import annotations

from typing import Any, Callable, Sequence

import numpy as np

from .._tensor import Tensor
from ..autograd import grad_mode
from ..autograd.engine import Node, base_name, validate_grad
from .registry import OpDef, _NO_EDGE, edge_of, record, record_multi

ViewStep = tuple  # (callable, args): replays one view op on a Tensor


# How a view was made, when that restricts writing it in place (torch's CreationMeta); stored as
# ``_creation_meta`` on such views only.
NO_GRAD_VIEW = "no_grad"        # made while grad mode was off
MULTI_OUTPUT_VIEW = "multi"     # one of several views returned by one op (split, unbind, chunk)


def make_view(op: OpDef, data: np.ndarray, src: Tensor, attrs: dict | None, step: ViewStep,
              inputs: Sequence[Any] | None = None) -> Tensor:
    """Record a view op's output and tie it to ``src``'s memory, version counter and base."""
    out = record(op, data, (src,) if inputs is None else inputs, attrs)
    _tie(out, src, step, None)
    return out


def make_multi_view(op: OpDef, datas: Sequence[np.ndarray], src: Tensor, attrs: dict | None,
                    steps: Sequence[ViewStep]) -> tuple[Tensor, ...]:
    """Record an op returning several views of ``src`` (one node, outputs 0, 1, ...)."""
    outs = record_multi(op, datas, (src,), attrs)
    for o, step in zip(outs, steps):
        _tie(o, src, step, MULTI_OUTPUT_VIEW)
    return tuple(outs)


def _tie(out: Tensor, src: Tensor, step: ViewStep, creation: str | None) -> None:
    out._base = src if src._base is None else src._base
    out._vbox = src._vbox
    out._view_chain = src._view_chain + (step,)
    out._view_version = src._vbox[0]
    if not grad_mode.STATE.enabled:
        creation = NO_GRAD_VIEW
        if src._requires_grad:  # torch: such a view requires grad, but has no history
            out._requires_grad = True
    creation = creation or getattr(src, "_creation_meta", None)  # a view of a view inherits the restriction
    if creation is not None:
        out._creation_meta = creation


def rebase_error(view: Tensor, indirect: bool) -> RuntimeError | None:
    """torch's refusal to write (or see written) a view whose creation forbids it, or None."""
    creation = getattr(view, "_creation_meta", None)
    if creation is None:
        return None
    modified = "its base or another view of its base has been" if indirect else "is being"
    fn = view._grad_fn
    if creation == NO_GRAD_VIEW or fn is None:
        prefix = ("Output %d of %s is a view of a view which was created in" % (view._output_nr, base_name(fn))
                  if fn is not None else "A view was created in")
        msg = "%s no_grad mode and %s modified inplace with grad mode enabled." % (prefix, modified)
    else:
        msg = "Output %d of %s is a view and %s modified inplace." % (view._output_nr, base_name(fn), modified)
    if creation == MULTI_OUTPUT_VIEW:
        msg += (" This view is the output of a function that returns multiple views. Such functions do not allow "
                "the output views to be modified inplace. You should replace the inplace operation by an "
                "out-of-place one.")
    else:
        msg += (" Given that this use case is ambiguous and error-prone, it is forbidden. You can clarify your code "
                "by moving both the view and the inplace either both inside the no_grad block (if you don't want "
                "the inplace to be tracked) or both outside (if you want the inplace to be tracked).")
    return RuntimeError(msg)


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
    if view._grad_fn is None and not view._base._requires_grad:
        view._view_version = view._vbox[0]
        return
    error = rebase_error(view, indirect=True)
    if error is not None:
        raise error
    _set_view_history(view)


def view_step(fn: Callable, *args: Any) -> ViewStep:
    return (fn, args)
