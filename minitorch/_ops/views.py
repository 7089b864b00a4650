"""View ops' outputs: recorded like any op, then tied to their base's memory and version counter.

The autograd side of views (their history after in-place writes, torch's CreationMeta refusals)
lives in ``autograd/history.py``.
"""
from __future__ import annotations

from typing import Any, Callable, Sequence

import numpy as np

from .._tensor import Tensor
from ..autograd.history import MULTI_OUTPUT_VIEW, ViewStep, tie_view
from ..autograd.recording import TANGENT_HOOK, OpDef, check_inplace, record, record_multi


def make_view(op: OpDef, data: np.ndarray, src: Tensor, attrs: dict | None, step: ViewStep,
              inputs: Sequence[Any] | None = None) -> Tensor:
    """Record a view op's output and tie it to ``src``'s memory, version counter and base."""
    out = record(op, data, (src,) if inputs is None else inputs, attrs)
    tie_view(out, src, step, None)
    return out


def make_multi_view(op: OpDef, datas: Sequence[np.ndarray], src: Tensor, attrs: dict | None,
                    steps: Sequence[ViewStep]) -> tuple[Tensor, ...]:
    """Record an op returning several views of ``src`` (one node, outputs 0, 1, ...)."""
    outs = record_multi(op, datas, (src,), attrs)
    for o, step in zip(outs, steps):
        tie_view(o, src, step, MULTI_OUTPUT_VIEW)
    return tuple(outs)


_RENAMED_NODES: dict[tuple[type, str], type] = {}


def renamed_node(cls: type, name: str) -> type:
    """``cls`` under torch's name for its in-place form (``TBackward0`` -> ``TBackward1``)."""
    key = (cls, name)
    if key not in _RENAMED_NODES:
        _RENAMED_NODES[key] = type(name, (cls,), {"__slots__": ()})
    return _RENAMED_NODES[key]


def inplace_view(view_op: Callable, node_names: dict[str, str]) -> Callable:
    """The in-place form of a view op (``t_``, ``squeeze_``...): ``self`` takes the view's shape and strides
    over its own memory, and the view's history under torch's in-place node name (``node_names`` maps the
    out-of-place node's name to it). As in torch, the version counter is bumped: saved values of ``self``
    are then stale."""
    def reshape_inplace(self: Tensor, *args: Any) -> Tensor:
        check_inplace(self)
        out = view_op(self, *args)
        node = out._grad_fn
        if node is not None:
            node.__class__ = renamed_node(type(node), node_names[type(node).__name__])
        self._data = out._data
        if TANGENT_HOOK[0] is not None:  # forward AD: self's tangent takes the view's shape
            TANGENT_HOOK[0].adopt(self, out)
        self._grad_fn, self._output_nr, self._requires_grad = node, 0, out._requires_grad or self._requires_grad
        self._vbox[0] += 1
        if self._base is not None:
            self._view_chain = out._view_chain
            self._view_version = self._vbox[0]
        return self
    return reshape_inplace
