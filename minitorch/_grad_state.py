"""Whether operations record a graph, and whether inference mode is on: read on every op call.

A leaf module, so that Tensor (which marks the tensors made in inference mode) and autograd both
read the one state; ``autograd.grad_mode`` holds the context managers that set it.
"""
from __future__ import annotations


class _GradState:
    __slots__ = ("enabled", "inference")

    def __init__(self) -> None:
        self.enabled = True
        self.inference = False


# Read on every op call: one attribute lookup, no function call.
STATE = _GradState()
