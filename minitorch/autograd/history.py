"""Whether a tensor needs a gradient, and which edge of the graph its gradient takes.

These are the one rule that table ops, ``autograd.Function``, views, in-place ops and the
``Tensor`` properties all ask (torch's ``VariableHooks``):

- ``requires_grad(t)``: its own flag, or, for a view, its base's (a view of a tensor that requires
  grad requires grad, whenever and however the view was made);
- ``history(t)``: its ``grad_fn``. A view whose base was written in place since the view's history
  was recorded gets a new one, an ``AsStridedBackward0`` of the base (or torch's error when the
  view's creation forbids it). The new history is memoized, so reading it twice gives one node;
- ``gradient_edge(t)``: where a new node sends ``t``'s gradient: its history, else the leaf's
  ``AccumulateGrad``, else nowhere (a view that requires grad only through its base, with no
  history of its own, as torch).

Views remember their root base and the chain of view steps that rebuilds them from it. When a view
is written in place while autograd records, the base's history is rebased onto a ``CopySlices``
node: backward sends the written region's gradient through the in-place op and the rest of the
base's gradient to the base's old history.
"""
from __future__ import annotations

from typing import Any, Callable, Sequence

import numpy as np

from .._device import contiguous_format
from .._overlap import writable_if_apart
from .._ops.dims import element_strides
from .._tensor import VARIABLE_HOOKS, Tensor
from . import grad_mode
from .engine import Node, base_name, grad_accumulator, validate_grad

NO_EDGE = (None, 0)
_STATE = grad_mode.STATE

ViewStep = tuple  # (callable, args): replays one view op on a Tensor

# How a view was made, when that restricts writing it in place (torch's CreationMeta); stored as
# ``_creation_meta`` on such views only.
NO_GRAD_VIEW = "no_grad"        # made while grad mode was off
MULTI_OUTPUT_VIEW = "multi"     # one of several views returned by one op (split, unbind, chunk)


def requires_grad(t: Tensor) -> bool:
    base = t._base
    return t._requires_grad or (base is not None and base._requires_grad)


def history(t: Tensor) -> Node | None:
    if t._base is not None and t._view_version != t._vbox[0]:
        _regenerate(t)
    return t._grad_fn


VARIABLE_HOOKS.requires_grad = requires_grad
VARIABLE_HOOKS.history = history


def gradient_edge(t: Tensor) -> tuple[Node | None, int]:
    gf = history(t)
    if gf is not None:
        return gf, t._output_nr
    if t._requires_grad:
        return grad_accumulator(t), 0
    return NO_EDGE


def _regenerate(view: Tensor) -> None:
    """The view's base changed in place since the view's history was made."""
    if view._grad_fn is None and not view._base._requires_grad:
        view._view_version = view._vbox[0]
        return
    error = rebase_error(view, indirect=True)
    if error is not None:
        raise error
    _set_view_history(view)


def rebase_error(view: Tensor, indirect: bool) -> RuntimeError | None:
    """torch's refusal to write (or see written) a view whose creation forbids it, or None."""
    creation = view._creation_meta
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


def tie_view(out: Tensor, src: Tensor, step: ViewStep, creation: str | None) -> None:
    """Make ``out``, a view op's recorded output, a view of ``src``: its root base, version counter and
    view chain."""
    if src._base is None:
        out._base = src
        out._view_chain = (step,)
    else:
        out._base = src._base
        out._view_chain = src._view_chain + (step,)
    if not out._data.flags.writeable:  # (a view of an expanded tensor: writable if its elements are apart)
        out._data = writable_if_apart(out._data)
    out._vbox = src._vbox
    out._view_version = src._vbox[0]
    if src._inference:
        out._inference = True
    if not _STATE.enabled:
        creation = NO_GRAD_VIEW
    creation = creation or src._creation_meta  # a view of a view inherits the restriction
    if creation is not None:
        out._creation_meta = creation


def replay(t: Tensor, chain: Sequence[ViewStep]) -> Tensor:
    for fn, args in chain:
        t = fn(t, *args)
    return t


class CopySlices(Node):
    """The base's history after one of its views was written in place by ``fn``."""

    __slots__ = ("_chain", "_fn", "_base_strides", "_geometry")

    def name(self) -> str:
        return "torch::autograd::CopySlices"

    def apply(self, grads: list) -> list:
        # torch's: the gradient copied into the base's geometry, the view's part (an as_strided view of it, as torch
        # takes it: AsStridedBackward0 under create_graph; the view chain replayed where the view changes the dtype
        # or the conjugate/negative bits) cloned contiguous for fn
        grad = grads[0]
        result = grad.new_empty_strided(grad.shape, self._base_strides)
        result.copy_(grad)
        region = replay(result, self._chain) if self._geometry is None else result.as_strided(*self._geometry)
        fn_grads = self._fn.apply([region.clone(memory_format=contiguous_format)])
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
        # which base element each view element is: a view may repeat some (Tensor.unfold's overlapping
        # windows, expand), whose gradients are then summed rather than copied over each other
        positions = replay(Tensor._make(np.arange(whole._data.size).reshape(shape)), self._chain)._data
        if np.unique(positions).size < positions.size:
            whole.view(-1).index_add_(0, Tensor._make(positions.reshape(-1)), grads[0].reshape(-1))
        else:
            replay(whole, self._chain).copy_(grads[0])
        return [whole]


def _set_view_history(view: Tensor) -> None:
    base = view._base
    node = AsStridedBackward0((gradient_edge(base),), ((base._data.shape, base.dtype),))
    node._chain = view._view_chain
    view._grad_fn = node
    view._output_nr = 0
    view._requires_grad = True
    view._view_version = view._vbox[0]


def rebase_view(view: Tensor, fn: Node) -> None:
    """``view`` was just written in place by the op recorded as ``fn``."""
    base = view._base
    base_edge = gradient_edge(base) if base._requires_grad else NO_EDGE
    cs = CopySlices((base_edge,) + fn.next_functions[1:],
                    ((base._data.shape, base.dtype),) + fn._input_meta[1:])
    cs._chain = view._view_chain
    cs._base_strides = element_strides(base._data)
    same_kind = view.dtype is base.dtype and view.is_conj() == base.is_conj() and view.is_neg() == base.is_neg()
    cs._geometry = (tuple(view.shape), element_strides(view._data), view.storage_offset() - base.storage_offset()
                    ) if same_kind else None
    cs._fn = fn
    cs._saved = ()  # (the engine frees only a node whose ``_saved`` is set: its ``release`` frees fn's)
    base._grad_fn = cs
    base._output_nr = 0
    base._requires_grad = True
    _set_view_history(view)


def view_step(fn: Callable, *args: Any) -> ViewStep:
    return (fn, args)
