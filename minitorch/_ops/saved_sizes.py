"""The sizes torch's autograd kernel saves for a backward formula, read before the forward kernel runs."""
from __future__ import annotations

from typing import Sequence

from .._tensor import Tensor
from ..autograd import grad_mode
from ..autograd.history import requires_grad


def read_saved_sizes(inputs: Sequence[Tensor], sizes: Sequence[tuple[Tensor, int]]) -> None:
    """When grad is enabled and one of ``inputs`` requires it, torch's autograd kernel first saves the sizes its
    derivative formula reads (derivatives.yaml's ``x.sym_size(d)``): a tensor without such a dim raises torch's
    IndexError there, before any check of the op's own."""
    if grad_mode.STATE.enabled and any(requires_grad(t) for t in inputs):
        for tensor, dim in sizes:
            tensor.size(dim)
