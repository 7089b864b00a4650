"""Rprop: per-element step sizes that grow while the gradient keeps its sign and shrink when it flips."""
from __future__ import annotations

from typing import Any

import numpy as np

from .._tensor import Tensor
from ._checks import check_lr
from ._per_parameter import PerParameterOptimizer, Math
from .optimizer import ParamsT, bump_step, step_tensor, zeros_state


class Rprop(PerParameterOptimizer):
    _capturable_xla = (True, True)

    def __init__(self, params: ParamsT, lr: float | Tensor = 1e-2, etas: tuple[float, float] = (0.5, 1.2),
                 step_sizes: tuple[float, float] = (1e-6, 50), *, capturable: bool = False,
                 foreach: bool | None = None, maximize: bool = False, differentiable: bool = False) -> None:
        check_lr(lr)
        if not 0.0 < etas[0] < 1.0 < etas[1]:
            raise ValueError(f"Invalid eta values: {etas[0]}, {etas[1]}")
        defaults = {"lr": lr, "etas": etas, "step_sizes": step_sizes, "foreach": foreach, "maximize": maximize,
                    "differentiable": differentiable, "capturable": capturable}
        super().__init__(params, defaults)

    def _init_state(self, p: Tensor, state: dict[str, Any], group: dict[str, Any]) -> None:
        state["step"] = step_tensor()
        state["prev"] = zeros_state(p)
        state["step_size"] = Tensor._make(np.full_like(p._grad._data, float(group["lr"])))

    def _update(self, math: Math, p: Tensor, state: Any, group: dict[str, Any]) -> None:
        etaminus, etaplus = group["etas"]
        bump_step(state["step"])
        grad = math.grad(p, group["maximize"], 0)
        prev, step_size = math.of(state["prev"]), math.of(state["step_size"])
        # the factor for each step size: etaplus where the gradient kept its sign, etaminus where it
        # flipped, 1 where either is zero (prev is cloned: it is overwritten below)
        factor = math.sign(math.mul(grad, math.clone(prev)))
        math.masked_fill_(factor, math.gt(factor, 0), etaplus)
        math.masked_fill_(factor, math.lt(factor, 0), etaminus)
        math.masked_fill_(factor, math.eq(factor, 0), 1)
        math.clamp_(math.mul_(step_size, factor), *group["step_sizes"])
        # after a flip, no step and no memory of the gradient
        grad = math.masked_fill_(math.clone(grad), math.eq(factor, etaminus), 0)
        math.addcmul_(math.of(p), math.sign(grad), step_size, -1)
        math.copy_(prev, grad)
