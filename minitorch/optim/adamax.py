"""Adamax: Adam with the infinity norm (weight decay, maximize)."""
from __future__ import annotations

from typing import Any

from .._tensor import Tensor
from ._checks import check_betas, check_lr, check_nonnegative
from ._per_parameter import PerParameterOptimizer, Math
from .optimizer import ParamsT, bump_step, step_tensor, zeros_state


class Adamax(PerParameterOptimizer):
    def __init__(self, params: ParamsT, lr: float | Tensor = 2e-3, betas: tuple[float, float] = (0.9, 0.999),
                 eps: float = 1e-8, weight_decay: float = 0, foreach: bool | None = None, *,
                 maximize: bool = False, differentiable: bool = False, capturable: bool = False) -> None:
        check_lr(lr)
        check_nonnegative("epsilon", eps)
        check_betas(betas)
        check_nonnegative("weight_decay", weight_decay)
        defaults = {"lr": lr, "betas": betas, "eps": eps, "weight_decay": weight_decay, "foreach": foreach,
                    "maximize": maximize, "differentiable": differentiable, "capturable": capturable}
        super().__init__(params, defaults)

    def _init_state(self, p: Tensor, state: dict[str, Any], group: dict[str, Any]) -> None:
        state["step"] = step_tensor()
        state["exp_avg"] = zeros_state(p)
        state["exp_inf"] = zeros_state(p)

    def _update(self, math: Math, p: Tensor, state: Any, group: dict[str, Any]) -> None:
        beta1, beta2 = group["betas"]
        step = bump_step(state["step"])
        grad = math.grad(p, group["maximize"], group["weight_decay"])
        exp_avg, exp_inf = math.of(state["exp_avg"]), math.of(state["exp_inf"])
        math.lerp_(exp_avg, grad, 1 - beta1)
        math.mul_(exp_inf, beta2)
        math.maximum_(exp_inf, math.add_(math.abs(grad), group["eps"]))
        clr = math.hyper(group["lr"]) / (1 - beta1 ** step)
        math.addcdiv_(math.of(p), exp_avg, exp_inf, -clr)
