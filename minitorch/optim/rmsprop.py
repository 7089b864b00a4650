"""RMSprop (centered, momentum, weight decay, maximize), torch's single-tensor path."""
from __future__ import annotations

from typing import Any, Callable

import numpy as np

from .._tensor import Tensor
from . import _arith
from .optimizer import Optimizer, ParamsT, bump_step, closure_loss, step_tensor, zeros_state


class RMSprop(Optimizer):
    def __init__(self, params: ParamsT, lr: float | Tensor = 1e-2, alpha: float = 0.99, eps: float = 1e-8,
                 weight_decay: float = 0, momentum: float = 0, centered: bool = False, capturable: bool = False,
                 foreach: bool | None = None, maximize: bool = False, differentiable: bool = False) -> None:
        if isinstance(lr, Tensor) and lr.numel() != 1:
            raise ValueError("Tensor lr must be 1-element")
        if not 0.0 <= lr:
            raise ValueError(f"Invalid learning rate: {lr}")
        if not 0.0 <= eps:
            raise ValueError(f"Invalid epsilon value: {eps}")
        if not 0.0 <= momentum:
            raise ValueError(f"Invalid momentum value: {momentum}")
        if not 0.0 <= weight_decay:
            raise ValueError(f"Invalid weight_decay value: {weight_decay}")
        if not 0.0 <= alpha:
            raise ValueError(f"Invalid alpha value: {alpha}")
        defaults = {"lr": lr, "momentum": momentum, "alpha": alpha, "eps": eps, "centered": centered,
                    "weight_decay": weight_decay, "capturable": capturable, "foreach": foreach,
                    "maximize": maximize, "differentiable": differentiable}
        super().__init__(params, defaults)

    def _state_of(self, p: Tensor, group: dict[str, Any]) -> dict[str, Tensor]:
        state = self.state[p]
        if len(state) == 0:
            state["step"] = step_tensor()
            state["square_avg"] = zeros_state(p)
            if group["momentum"] > 0:
                state["momentum_buffer"] = zeros_state(p)
            if group["centered"]:
                state["grad_avg"] = zeros_state(p)
        return state

    def step(self, closure: Callable[[], Any] | None = None) -> Any:
        loss = closure_loss(closure)
        scratch = self._scratch
        for group in self.param_groups:
            lr = float(group["lr"])
            alpha, eps, momentum = group["alpha"], group["eps"], group["momentum"]
            for p in group["params"]:
                if p._grad is None:
                    continue
                state = self._state_of(p, group)
                bump_step(state["step"])
                param = p._data
                tmp = scratch.like(param)
                grad = _arith.effective_grad(p._grad._data, param, group["maximize"], group["weight_decay"],
                                             scratch)
                square_avg = state["square_avg"]._data
                square_avg *= _arith.scalar(alpha, square_avg)
                _arith.addcmul_(square_avg, grad, grad, 1 - alpha, tmp)
                avg = scratch.like(param, 2)
                if group["centered"]:
                    grad_avg = state["grad_avg"]._data
                    _arith.lerp_(grad_avg, grad, 1 - alpha, tmp)
                    np.copyto(avg, square_avg)
                    _arith.addcmul_(avg, grad_avg, grad_avg, -1, tmp)
                    np.sqrt(avg, out=avg)
                else:
                    np.sqrt(square_avg, out=avg)
                avg += _arith.scalar(eps, avg)
                if momentum > 0:
                    buf = state["momentum_buffer"]._data
                    buf *= _arith.scalar(momentum, buf)
                    _arith.addcdiv_(buf, grad, avg, 1, tmp)
                    _arith.add(param, buf, -lr, out=param, tmp=tmp)
                else:
                    _arith.addcdiv_(param, grad, avg, -lr, tmp)
                p._vbox[0] += 1
        return loss
