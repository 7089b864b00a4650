"""Whether operations record a graph, and whether inference mode is on: read on every op call.

A leaf module, so that Tensor (which marks the tensors made in inference mode) and autograd both
read the one state; ``autograd.grad_mode`` holds the context managers that set it.
"""
from __future__ import annotations


class _GradState:
    __slots__ = ("enabled", "inference", "func_level")

    def __init__(self) -> None:
        self.enabled = True
        self.inference = False
        # the number of the innermost torch.func transform whose function is running (0: none); the tensors
        # made meanwhile are stamped with it, so that a transform knows which tensors its function captured
        self.func_level = 0


# Read on every op call: one attribute lookup, no function call.
STATE = _GradState()
