"""The autograd Functions behind nn layers whose backward is torch's own formula, not a derivative of
table ops (grad_fn names ``<Function>Backward``, as torch's)."""
from __future__ import annotations

from typing import Any

from ..._ops.nn_ops import normalization as _norm
from ..._tensor import Tensor
from ...autograd.function import Function


class CrossMapLRN2d(Function):
    @staticmethod
    def forward(ctx: Any, input: Tensor, size: int, alpha: float = 1e-4, beta: float = 0.75, k: float = 1) -> Tensor:
        if input.dim() != 4:
            raise ValueError("CrossMapLRN2d: Expected input to be 4D, got %dD instead." % input.dim())
        ctx.size, ctx.alpha, ctx.beta = size, alpha, beta
        ctx.scale = _norm.cross_map_lrn2d_scale(input._data, size, alpha, k)
        output = Tensor._make(ctx.scale ** input._data.dtype.type(-beta) * input._data)
        ctx.save_for_backward(input, output)
        return output

    @staticmethod
    def backward(ctx: Any, grad_output: Tensor) -> tuple:
        input, output = ctx.saved_tensors
        grad = _norm.cross_map_lrn2d_backward(grad_output._data, input._data, output._data, ctx.scale, ctx.size,
                                              ctx.alpha, ctx.beta)
        return Tensor._make(grad), None, None, None, None
