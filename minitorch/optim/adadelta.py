"""Adadelta (weight decay, maximize)."""
from __future__ import annotations

from typing import Any

from .._tensor import Tensor
from ._checks import check_lr, check_nonnegative
from ._per_parameter import PerParameterOptimizer, Math
from .optimizer import ParamsT, bump_step, step_tensor, zeros_state


class Adadelta(PerParameterOptimizer):
    _capturable_xla = (False, False)

    def __init__(self, params: ParamsT, lr: float | Tensor = 1.0, rho: float = 0.9, eps: float = 1e-6,
                 weight_decay: float = 0, foreach: bool | None = None, *, capturable: bool = False,
                 maximize: bool = False, differentiable: bool = False) -> None:
        check_lr(lr)
        if not 0.0 <= rho <= 1.0:
            raise ValueError(f"Invalid rho value: {rho}")
        check_nonnegative("epsilon", eps)
        check_nonnegative("weight_decay", weight_decay)
        defaults = {"lr": lr, "rho": rho, "eps": eps, "weight_decay": weight_decay, "maximize": maximize,
                    "capturable": capturable, "foreach": foreach, "differentiable": differentiable}
        super().__init__(params, defaults)

    def _init_state(self, p: Tensor, state: dict[str, Any], group: dict[str, Any]) -> None:
        state["step"] = step_tensor()
        state["square_avg"] = zeros_state(p)
        state["acc_delta"] = zeros_state(p)

    def _update(self, math: Math, p: Tensor, state: Any, group: dict[str, Any]) -> None:
        rho, eps = group["rho"], group["eps"]
        bump_step(state["step"])
        grad = math.grad(p, group["maximize"], group["weight_decay"])
        square_avg, acc_delta = math.of(state["square_avg"]), math.of(state["acc_delta"])
        math.mul_(square_avg, rho)
        math.addcmul_(square_avg, grad, grad, 1 - rho)
        std = math.sqrt(math.add(square_avg, eps))
        delta = math.own(math.sqrt(math.add(acc_delta, eps)))
        math.div_(delta, std)
        math.mul_(delta, grad)
        math.mul_(acc_delta, rho)
        math.addcmul_(acc_delta, delta, delta, 1 - rho)
        math.add_(math.of(p), delta, -math.hyper(group["lr"]))
