"""RAdam: Adam with the variance of the adaptive lr rectified (weight decay coupled or decoupled)."""
from __future__ import annotations

from typing import Any

from .._tensor import Tensor
from ._checks import check_betas, check_lr, check_nonnegative
from ._per_parameter import Math, PerParameterOptimizer, decayed_grad
from .optimizer import ParamsT, bump_step, step_tensor, zeros_state


class RAdam(PerParameterOptimizer):
    _legacy_options = (("foreach", None), ("maximize", False), ("differentiable", False),
                       ("decoupled_weight_decay", False), ("capturable", False))

    def __init__(self, params: ParamsT, lr: float | Tensor = 1e-3, betas: tuple[float, float] = (0.9, 0.999),
                 eps: float = 1e-8, weight_decay: float = 0, decoupled_weight_decay: bool = False, *,
                 foreach: bool | None = None, maximize: bool = False, capturable: bool = False,
                 differentiable: bool = False) -> None:
        check_lr(lr)
        check_nonnegative("epsilon", eps)
        check_betas(betas)
        check_nonnegative("weight_decay", weight_decay)
        defaults = {"lr": lr, "betas": betas, "eps": eps, "weight_decay": weight_decay, "maximize": maximize,
                    "foreach": foreach, "capturable": capturable, "decoupled_weight_decay": decoupled_weight_decay,
                    "differentiable": differentiable}
        super().__init__(params, defaults)

    def _init_state(self, p: Tensor, state: dict[str, Any], group: dict[str, Any]) -> None:
        state["step"] = step_tensor()
        state["exp_avg"] = zeros_state(p)
        state["exp_avg_sq"] = zeros_state(p)

    def _update(self, math: Math, p: Tensor, state: Any, group: dict[str, Any]) -> None:
        lr = math.hyper(group["lr"])
        beta1, beta2 = group["betas"]
        step = bump_step(state["step"])
        param = math.of(p)
        grad = decayed_grad(math, p, param, lr, group)
        exp_avg, exp_avg_sq = math.of(state["exp_avg"]), math.of(state["exp_avg_sq"])
        math.lerp_(exp_avg, grad, 1 - beta1)
        math.mul_(exp_avg_sq, beta2)
        math.addcmul_(exp_avg_sq, grad, grad, 1 - beta2)
        bias_correction2 = 1 - beta2 ** step
        update = math.mul(math.div(exp_avg, 1 - beta1 ** step), lr)
        # the length of the SMA: past 5 the variance is tractable and the step is rectified
        rho_inf = 2 / (1 - beta2) - 1
        rho_t = rho_inf - 2 * step * beta2 ** step / bias_correction2
        if rho_t > 5.0:
            adaptive_lr = math.rdiv(bias_correction2 ** 0.5, math.add_to_temporary(math.sqrt(exp_avg_sq), group["eps"]))
            rect = ((rho_t - 4) * (rho_t - 2) * rho_inf / ((rho_inf - 4) * (rho_inf - 2) * rho_t)) ** 0.5
            update = math.mul(math.mul(update, adaptive_lr), rect)
        math.add_(param, update, -1.0)
