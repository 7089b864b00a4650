"""ASGD: averaged SGD, with the running average of the parameters in state ``ax``."""
from __future__ import annotations

from typing import Any

from .._tensor import Tensor
from ._checks import check_lr, check_nonnegative
from ._per_parameter import PerParameterOptimizer, Math
from .optimizer import ParamsT, bump_step, scalar_state, set_scalar, step_tensor, zeros_state


class ASGD(PerParameterOptimizer):
    _capturable_tensors = ("params, mus, etas, and state_steps",) * 2
    _scalar_state_keys = ("step", "eta", "mu")

    def __init__(self, params: ParamsT, lr: float | Tensor = 1e-2, lambd: float = 1e-4, alpha: float = 0.75,
                 t0: float = 1e6, weight_decay: float = 0, foreach: bool | None = None, maximize: bool = False,
                 differentiable: bool = False, capturable: bool = False) -> None:
        check_lr(lr)
        check_nonnegative("weight_decay", weight_decay)
        defaults = {"lr": lr, "lambd": lambd, "alpha": alpha, "t0": t0, "weight_decay": weight_decay,
                    "foreach": foreach, "maximize": maximize, "differentiable": differentiable,
                    "capturable": capturable}
        super().__init__(params, defaults)

    def _init_state(self, p: Tensor, state: dict[str, Any], group: dict[str, Any]) -> None:
        state["step"] = step_tensor()
        state["eta"] = scalar_state(float(group["lr"]))
        state["mu"] = scalar_state(1.0)
        state["ax"] = zeros_state(p)

    def _update(self, math: Math, p: Tensor, state: Any, group: dict[str, Any]) -> None:
        lr, lambd = math.hyper(group["lr"]), group["lambd"]
        step = bump_step(state["step"])
        grad = math.grad(p, group["maximize"], group["weight_decay"])
        param, ax = math.of(p), math.of(state["ax"])
        eta = float(state["eta"])
        math.mul_(param, 1 - lambd * eta)
        math.add_(param, grad, -eta)
        if float(state["mu"]) != 1:
            math.add_(ax, math.mul_(math.add(param, ax, -1), math.of(state["mu"])))
        else:
            math.copy_(ax, param)
        set_scalar(state["eta"], float(lr / (1 + lambd * lr * step) ** group["alpha"]))
        set_scalar(state["mu"], 1 / max(1, step - group["t0"]))
