"""Adagrad (lr decay, weight decay, initial accumulator, maximize)."""
from __future__ import annotations

from typing import Any

import numpy as np

from .._tensor import Tensor
from ._checks import check_fused, check_fused_param, check_lr, check_nonnegative
from ._per_parameter import PerParameterOptimizer, Math
from .optimizer import ParamsT, bump_step, step_tensor


class Adagrad(PerParameterOptimizer):
    _legacy_options = (("foreach", None), ("maximize", False), ("differentiable", False), ("fused", None))

    def __init__(self, params: ParamsT, lr: float | Tensor = 1e-2, lr_decay: float = 0, weight_decay: float = 0,
                 initial_accumulator_value: float = 0, eps: float = 1e-10, foreach: bool | None = None, *,
                 maximize: bool = False, differentiable: bool = False, fused: bool | None = None) -> None:
        check_lr(lr)
        check_nonnegative("lr_decay", lr_decay)
        check_nonnegative("weight_decay", weight_decay)
        check_nonnegative("initial_accumulator_value", initial_accumulator_value)
        check_nonnegative("epsilon", eps)
        defaults = {"lr": lr, "lr_decay": lr_decay, "eps": eps, "weight_decay": weight_decay,
                    "initial_accumulator_value": initial_accumulator_value, "foreach": foreach,
                    "maximize": maximize, "differentiable": differentiable, "fused": fused}
        super().__init__(params, defaults)
        check_fused(fused, foreach, differentiable)
        # unlike the others, Adagrad creates its state up front
        for group in self.param_groups:
            for p in group["params"]:
                self._init_state(p, self.state[p], group)

    def _init_state(self, p: Tensor, state: dict[str, Any], group: dict[str, Any]) -> None:
        state["step"] = step_tensor(fused=bool(group["fused"]))
        # the optimizer's default, not the group's (as torch)
        state["sum"] = Tensor._make(np.full_like(p._data, self.defaults["initial_accumulator_value"]))

    def _prepare(self, p: Tensor, group: dict[str, Any]) -> None:
        if group["fused"] and not getattr(self, "_fused_checked", False):  # torch checks one parameter
            check_fused_param(p)
            self._fused_checked = True
        super()._prepare(p, group)

    def share_memory(self) -> None:
        pass  # one process: nothing to share

    def _update(self, math: Math, p: Tensor, state: Any, group: dict[str, Any]) -> None:
        step = bump_step(state["step"])
        grad = math.grad(p, group["maximize"], group["weight_decay"])
        clr = math.hyper(group["lr"]) / (1 + (step - 1) * group["lr_decay"])
        state_sum = math.of(state["sum"])
        math.addcmul_(state_sum, grad, grad, 1)
        std = math.add_to_temporary(math.sqrt(state_sum), group["eps"])
        math.addcdiv_(math.of(p), grad, std, -clr)
