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
        state, scratch = self.state, self._scratch
        for group in self.param_groups:
            lr = float(group["lr"])
            weight_decay = float(group["weight_decay"])
            momentum, dampening = group["momentum"], group["dampening"]
            nesterov, maximize = group["nesterov"], group["maximize"]
            for p in group["params"]:
                if p._grad is None:
                    continue
                param = p._data
                tmp = scratch.like(param)
                grad = _arith.effective_grad(p._grad._data, param, maximize, weight_decay, scratch)
                if momentum != 0:
                    p_state = state[p]
                    buf_t = p_state.get("momentum_buffer")
                    if buf_t is None:
                        buf = np.empty_like(param)  # laid out like the parameter, as torch's grads are
                        np.copyto(buf, grad)
                        p_state["momentum_buffer"] = Tensor._make(buf)
                    else:
                        buf = buf_t._data
                        buf *= _arith.scalar(momentum, buf)
                        _arith.add(buf, grad, 1 - dampening, out=buf, tmp=tmp)
                    if nesterov:
                        grad = _arith.add(grad, buf, momentum, out=scratch.like(param, 1), tmp=tmp)
                    else:
                        grad = buf
                _arith.add(param, grad, -lr, out=param, tmp=tmp)
                p._vbox[0] += 1
        return loss
