"""Adam and AdamW (amsgrad, maximize, weight decay coupled or decoupled), torch's single-tensor path."""
from __future__ import annotations

from typing import Any, Callable

import numpy as np

from .._tensor import Tensor
from . import _arith
from .optimizer import Optimizer, ParamsT, bump_step, closure_loss, step_tensor, zeros_state


class Adam(Optimizer):
    def __init__(self, params: ParamsT, lr: float | Tensor = 1e-3, betas: tuple[float, float] = (0.9, 0.999),
                 eps: float = 1e-8, weight_decay: float = 0, amsgrad: bool = False, *,
                 foreach: bool | None = None, maximize: bool = False, capturable: bool = False,
                 differentiable: bool = False, fused: bool | None = None,
                 decoupled_weight_decay: bool = False) -> None:
        if isinstance(lr, Tensor) and lr.numel() != 1:
            raise ValueError("Tensor lr must be 1-element")
        if not 0.0 <= lr:
            raise ValueError(f"Invalid learning rate: {lr}")
        if not 0.0 <= eps:
            raise ValueError(f"Invalid epsilon value: {eps}")
        if not 0.0 <= betas[0] < 1.0:
            raise ValueError(f"Invalid beta parameter at index 0: {betas[0]}")
        if not 0.0 <= betas[1] < 1.0:
            raise ValueError(f"Invalid beta parameter at index 1: {betas[1]}")
        if not 0.0 <= weight_decay:
            raise ValueError(f"Invalid weight_decay value: {weight_decay}")
        if not ((isinstance(betas[0], float) and isinstance(betas[1], float))
                or (isinstance(betas[0], Tensor) and isinstance(betas[1], Tensor))):
            raise ValueError("betas must be either both floats or both Tensors")
        betas = tuple(b.item() if isinstance(b, Tensor) else b for b in betas)
        defaults = {"lr": lr, "betas": betas, "eps": eps, "weight_decay": weight_decay, "amsgrad": amsgrad,
                    "maximize": maximize, "foreach": foreach, "capturable": capturable,
                    "differentiable": differentiable, "fused": fused,
                    "decoupled_weight_decay": decoupled_weight_decay}
        super().__init__(params, defaults)
        if fused and differentiable:
            raise RuntimeError("`fused` does not support `differentiable`")
        if fused and foreach:
            raise RuntimeError("`fused` and `foreach` cannot be `True` together.")

    def _state_of(self, p: Tensor, amsgrad: bool) -> dict[str, Tensor]:
        state = self.state[p]
        if len(state) == 0:
            state["step"] = step_tensor()
            state["exp_avg"] = zeros_state(p)
            state["exp_avg_sq"] = zeros_state(p)
            if amsgrad:
                state["max_exp_avg_sq"] = zeros_state(p)
        return state

    def step(self, closure: Callable[[], Any] | None = None) -> Any:
        loss = closure_loss(closure)
        scratch = self._scratch
        for group in self.param_groups:
            lr = float(group["lr"])
            beta1, beta2 = group["betas"]
            weight_decay, eps, amsgrad = group["weight_decay"], group["eps"], group["amsgrad"]
            decoupled = group["decoupled_weight_decay"]
            for p in group["params"]:
                if p._grad is None:
                    continue
                state = self._state_of(p, amsgrad)
                step = bump_step(state["step"])
                param = p._data
                tmp = scratch.like(param)
                if decoupled and weight_decay != 0:
                    param *= _arith.scalar(1 - lr * weight_decay, param)
                grad = _arith.effective_grad(p._grad._data, param, group["maximize"],
                                             0 if decoupled else weight_decay, scratch)
                exp_avg = state["exp_avg"]._data
                exp_avg_sq = state["exp_avg_sq"]._data
                _arith.lerp_(exp_avg, grad, 1 - beta1, tmp)
                exp_avg_sq *= _arith.scalar(beta2, exp_avg_sq)
                _arith.addcmul_(exp_avg_sq, grad, grad, 1 - beta2, tmp)
                step_size = lr / (1 - beta1 ** step)
                bias_correction2_sqrt = (1 - beta2 ** step) ** 0.5
                if amsgrad:
                    second = state["max_exp_avg_sq"]._data
                    np.maximum(second, exp_avg_sq, out=second)
                else:
                    second = exp_avg_sq
                denom = np.sqrt(second, out=scratch.like(param, 2))
                denom /= _arith.scalar(bias_correction2_sqrt, denom)
                denom += _arith.scalar(eps, denom)
                _arith.addcdiv_(param, exp_avg, denom, -step_size, tmp)
                p._vbox[0] += 1
        return loss


class AdamW(Adam):
    def __init__(self, params: ParamsT, lr: float | Tensor = 1e-3, betas: tuple[float, float] = (0.9, 0.999),
                 eps: float = 1e-8, weight_decay: float = 1e-2, amsgrad: bool = False, *,
                 maximize: bool = False, foreach: bool | None = None, capturable: bool = False,
                 differentiable: bool = False, fused: bool | None = None) -> None:
        super().__init__(params, lr, betas, eps, weight_decay, amsgrad, foreach=foreach, maximize=maximize,
                         capturable=capturable, differentiable=differentiable, fused=fused,
                         decoupled_weight_decay=True)

    def __setstate__(self, state: dict[str, Any]) -> None:
        super().__setstate__(state)
        for group in self.param_groups:
            group["decoupled_weight_decay"] = True  # a loaded AdamW stays AdamW, as in torch
