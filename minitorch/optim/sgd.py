"""SGD with momentum, dampening, Nesterov, weight decay and maximize (torch's single-tensor path)."""
from __future__ import annotations

from typing import Any, Callable

import numpy as np

from .._tensor import Tensor
from . import _arith
from .optimizer import Optimizer, ParamsT, closure_loss


class SGD(Optimizer):
    def __init__(self, params: ParamsT, lr: float | Tensor = 1e-3, momentum: float = 0, dampening: float = 0,
                 weight_decay: float | Tensor = 0, nesterov: bool = False, *, maximize: bool = False,
                 foreach: bool | None = None, differentiable: bool = False, fused: bool | None = None) -> None:
        if isinstance(lr, Tensor) and lr.numel() != 1:
            raise ValueError("Tensor lr must be 1-element")
        if lr < 0.0:
            raise ValueError(f"Invalid learning rate: {lr}")
        if momentum < 0.0:
            raise ValueError(f"Invalid momentum value: {momentum}")
        if weight_decay < 0.0:
            raise ValueError(f"Invalid weight_decay value: {weight_decay}")
        defaults = {"lr": lr, "momentum": momentum, "dampening": dampening, "weight_decay": weight_decay,
                    "nesterov": nesterov, "maximize": maximize, "foreach": foreach,
                    "differentiable": differentiable, "fused": fused}
        if nesterov and (momentum <= 0 or dampening != 0):
            raise ValueError("Nesterov momentum requires a momentum and zero dampening")
        super().__init__(params, defaults)
        if fused and differentiable:
            raise RuntimeError("`fused` does not support `differentiable`")
        if fused and foreach:
            raise RuntimeError("`fused` and `foreach` cannot be `True` together.")

    def step(self, closure: Callable[[], Any] | None = None) -> Any:
        loss = closure_loss(closure)
        state = self.state
        for group in self.param_groups:
            lr = float(group["lr"])
            weight_decay = float(group["weight_decay"])
            momentum = group["momentum"]
            dampening = group["dampening"]
            nesterov = group["nesterov"]
            maximize = group["maximize"]
            for p in group["params"]:
                grad_t = p._grad
                if grad_t is None:
                    continue
                param = p._data
                grad = grad_t._data
                if maximize:
                    grad = np.negative(grad)
                if weight_decay != 0:
                    grad = _arith.add(grad, param, weight_decay)
                if momentum != 0:
                    p_state = state[p]
                    buf_t = p_state.get("momentum_buffer")
                    if buf_t is None:
                        buf_t = p_state["momentum_buffer"] = Tensor._make(np.array(grad, copy=True))
                    else:
                        buf = buf_t._data
                        buf *= _arith.scalar(momentum, buf)
                        _arith.add(buf, grad, 1 - dampening, out=buf)
                    grad = _arith.add(grad, buf_t._data, momentum) if nesterov else buf_t._data
                _arith.add(param, grad, -lr, out=param)
                p._vbox[0] += 1
        return loss
