"""Adagrad (lr decay, weight decay, initial accumulator, maximize), torch's single-tensor path."""
from __future__ import annotations

from typing import Any, Callable

import numpy as np

from .._tensor import Tensor
from . import _arith
from .optimizer import Optimizer, ParamsT, bump_step, closure_loss, step_tensor


class Adagrad(Optimizer):
    def __init__(self, params: ParamsT, lr: float | Tensor = 1e-2, lr_decay: float = 0, weight_decay: float = 0,
                 initial_accumulator_value: float = 0, eps: float = 1e-10, foreach: bool | None = None, *,
                 maximize: bool = False, differentiable: bool = False, fused: bool | None = None) -> None:
        if isinstance(lr, Tensor) and lr.numel() != 1:
            raise ValueError("Tensor lr must be 1-element")
        if not 0.0 <= lr:
            raise ValueError(f"Invalid learning rate: {lr}")
        if not 0.0 <= lr_decay:
            raise ValueError(f"Invalid lr_decay value: {lr_decay}")
        if not 0.0 <= weight_decay:
            raise ValueError(f"Invalid weight_decay value: {weight_decay}")
        if not 0.0 <= initial_accumulator_value:
            raise ValueError(f"Invalid initial_accumulator_value value: {initial_accumulator_value}")
        if not 0.0 <= eps:
            raise ValueError(f"Invalid epsilon value: {eps}")
        defaults = {"lr": lr, "lr_decay": lr_decay, "eps": eps, "weight_decay": weight_decay,
                    "initial_accumulator_value": initial_accumulator_value, "foreach": foreach,
                    "maximize": maximize, "differentiable": differentiable, "fused": fused}
        super().__init__(params, defaults)
        if fused and differentiable:
            raise RuntimeError("`fused` does not support `differentiable`")
        if fused and foreach:
            raise RuntimeError("`fused` and `foreach` cannot be `True` together.")
        # unlike the others, Adagrad creates its state up front
        for group in self.param_groups:
            for p in group["params"]:
                state = self.state[p]
                state["step"] = step_tensor()
                state["sum"] = Tensor._make(np.full_like(p._data, initial_accumulator_value))

    def step(self, closure: Callable[[], Any] | None = None) -> Any:
        loss = closure_loss(closure)
        scratch = self._scratch
        for group in self.param_groups:
            lr = float(group["lr"])
            for p in group["params"]:
                if p._grad is None:
                    continue
                state = self.state[p]
                step = bump_step(state["step"])
                param = p._data
                tmp = scratch.like(param)
                grad = _arith.effective_grad(p._grad._data, param, group["maximize"], group["weight_decay"],
                                             scratch)
                clr = lr / (1 + (step - 1) * group["lr_decay"])
                state_sum = state["sum"]._data
                _arith.addcmul_(state_sum, grad, grad, 1, tmp)
                std = np.sqrt(state_sum, out=scratch.like(param, 2))
                std += _arith.scalar(group["eps"], std)
                _arith.addcdiv_(param, grad, std, -clr, tmp)
                p._vbox[0] += 1
        return loss
