"""RMSprop (centered, momentum, weight decay, maximize)."""
from __future__ import annotations

from typing import Any

from .._tensor import Tensor
from ._checks import check_lr, check_nonnegative
from ._per_parameter import PerParameterOptimizer, Math
from .optimizer import ParamsT, bump_step, step_tensor, zeros_state


class RMSprop(PerParameterOptimizer):
    _capturable_xla = (True, True)
    _legacy_options = (("momentum", 0), ("centered", False), ("foreach", None), ("maximize", False),
                       ("differentiable", False), ("capturable", False))

    def __init__(self, params: ParamsT, lr: float | Tensor = 1e-2, alpha: float = 0.99, eps: float = 1e-8,
                 weight_decay: float = 0, momentum: float = 0, centered: bool = False, capturable: bool = False,
                 foreach: bool | None = None, maximize: bool = False, differentiable: bool = False) -> None:
        check_lr(lr)
        check_nonnegative("epsilon", eps)
        check_nonnegative("momentum", momentum)
        check_nonnegative("weight_decay", weight_decay)
        check_nonnegative("alpha", alpha)
        defaults = {"lr": lr, "momentum": momentum, "alpha": alpha, "eps": eps, "centered": centered,
                    "weight_decay": weight_decay, "capturable": capturable, "foreach": foreach,
                    "maximize": maximize, "differentiable": differentiable}
        super().__init__(params, defaults)

    def _init_state(self, p: Tensor, state: dict[str, Any], group: dict[str, Any]) -> None:
        state["step"] = step_tensor()
        state["square_avg"] = zeros_state(p)
        if group["momentum"] > 0:
            state["momentum_buffer"] = zeros_state(p)
        if group["centered"]:
            state["grad_avg"] = zeros_state(p)

    def _update(self, math: Math, p: Tensor, state: Any, group: dict[str, Any]) -> None:
        alpha, momentum = group["alpha"], group["momentum"]
        bump_step(state["step"])
        grad = math.grad(p, group["maximize"], group["weight_decay"])
        square_avg = math.of(state["square_avg"])
        math.mul_(square_avg, alpha)
        math.addcmul_(square_avg, grad, grad, 1 - alpha)
        if group["centered"]:
            grad_avg = math.of(state["grad_avg"])
            math.lerp_(grad_avg, grad, 1 - alpha)
            avg = math.sqrt(math.addcmul(square_avg, grad_avg, grad_avg, -1))
        else:
            avg = math.sqrt(square_avg)
        avg = math.add_to_temporary(avg, group["eps"])
        lr = math.hyper(group["lr"])
        if momentum > 0:
            buf = math.of(state["momentum_buffer"])
            math.mul_(buf, momentum)
            math.addcdiv_(buf, grad, avg)
            math.add_(math.of(p), buf, -lr)
        else:
            math.addcdiv_(math.of(p), grad, avg, -lr)
