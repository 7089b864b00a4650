"""View ops' outputs: recorded like any op, then tied to their base's memory and version counter.

The autograd side of views (their history after in-place writes, torch's CreationMeta refusals)
lives in ``autograd/history.py``.
"""
from __future__ import annotations

from typing import Any, Sequence

import numpy as np

from .._tensor import Tensor
from ..autograd.history import MULTI_OUTPUT_VIEW, ViewStep, tie_view
from ..autograd.recording import OpDef, record, record_multi


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
