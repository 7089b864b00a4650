"""SGD with momentum, dampening, Nesterov, weight decay and maximize."""
from __future__ import annotations

from typing import Any

import numpy as np

from .._bit_views import MIRRORS, sync_after_write
from .._tensor import Tensor
from ._arith import add
from ._checks import check_fused, check_fused_param, check_lr, check_nonnegative
from ._per_parameter import PerParameterOptimizer, Math
from .optimizer import ParamsT


class SGD(PerParameterOptimizer):
    _foreach_differentiable = True
    _legacy_options = (("nesterov", False), ("maximize", False), ("foreach", None), ("differentiable", False),
                       ("fused", False))

    def __init__(self, params: ParamsT, lr: float | Tensor = 1e-3, momentum: float = 0, dampening: float = 0,
                 weight_decay: float | Tensor = 0, nesterov: bool = False, *, maximize: bool = False,
                 foreach: bool | None = None, differentiable: bool = False, fused: bool | None = None) -> None:
        check_lr(lr, nan_ok=True)
        check_nonnegative("momentum", momentum, nan_ok=True)
        check_nonnegative("weight_decay", weight_decay, nan_ok=True)
        defaults = {"lr": lr, "momentum": momentum, "dampening": dampening, "weight_decay": weight_decay,
                    "nesterov": nesterov, "maximize": maximize, "foreach": foreach,
                    "differentiable": differentiable, "fused": fused}
        if nesterov and (momentum <= 0 or dampening != 0):
            raise ValueError("Nesterov momentum requires a momentum and zero dampening")
        super().__init__(params, defaults)
        check_fused(fused, foreach, differentiable)

    def _prepare_group(self, params: list[Tensor], group: dict[str, Any]) -> None:
        # (the group at once: a frame per parameter was most of the optimizer's bookkeeping)
        if params and group["fused"] and not getattr(self, "_fused_checked", False):  # torch checks one parameter
            check_fused_param(params[0])
            self._fused_checked = True
        if group["momentum"] != 0:
            state = self.state
            for p in params:
                state.setdefault(p, {})  # the buffer itself is made from the first gradient

    def _update(self, math: Math, p: Tensor, state: Any, group: dict[str, Any]) -> None:
        param = math.of(p)
        grad = math.grad(p, group["maximize"], math.hyper(group["weight_decay"]), decay_tensor=True)
        momentum = group["momentum"]
        if momentum != 0:
            if state.get("momentum_buffer") is None:
                state["momentum_buffer"] = math.keep(grad)
                buf = math.of(state["momentum_buffer"])
            else:
                buf = math.of(state["momentum_buffer"])
                math.mul_(buf, momentum)
                math.add_(buf, grad, 1 - group["dampening"])
            grad = math.add(grad, buf, momentum) if group["nesterov"] else buf
        lr = math.hyper(group["lr"])
        if isinstance(lr, Tensor) and lr.requires_grad:  # (a differentiable step's: no number can carry lr's grad)
            math.addcmul_(param, grad, lr, -1)
        else:
            math.add_(param, grad, -lr)

    def _update_arrays(self, params: list[Tensor], group: dict[str, Any]) -> None:
        """``_update`` over the group's float arrays, as torch's foreach SGD: the hyperparameters read once, then per
        parameter the same ufuncs in the same order as ``ArrayMath`` runs them (so the same bits), ``_arith.add``'s
        two written out for the common arguments (a step's optimizer phase is mostly Python per parameter)."""
        lr, weight_decay = -float(group["lr"]), float(group["weight_decay"])
        momentum, undamped = group["momentum"], 1 - group["dampening"]
        nesterov, maximize = group["nesterov"], group["maximize"]
        like = self._scratch.like  # (slot 0: ``add``'s product, one array per shape; 1-3: the gradients made here)
        made = self._scratch.arrays
        state = self.state
        multiply = np.multiply
        momentum_of, lr_of = self._scratch.constant(momentum), self._scratch.constant(lr)  # (by dtype)
        for p in params:
            data, grad = p._data, p._grad._data
            tmp = made.get((data.shape, data.dtype, 0))  # (``like(data)``'s lookup, inline: a frame per parameter)
            if tmp is None:
                tmp = like(data)
            if maximize:
                grad = np.negative(grad, out=like(grad, 1))
            if weight_decay != 0:
                grad = add(grad, data, weight_decay, out=like(grad, 2), tmp=tmp)
            if momentum != 0:
                param_state = state[p]
                buf = param_state.get("momentum_buffer")
                if buf is None:
                    buf = np.copy(grad, order="K")  # (laid out like the gradient, as ``ArrayMath.keep``)
                    param_state["momentum_buffer"] = Tensor._make(buf)
                else:
                    buf = buf._data
                    multiply(buf, momentum_of[buf.dtype], out=buf)
                    if undamped == 1:
                        np.add(buf, grad, out=buf)
                    else:
                        add(buf, grad, undamped, out=buf, tmp=tmp)
                grad = add(grad, buf, momentum, out=like(grad, 3), tmp=tmp) if nesterov else buf
            if lr == 1:
                np.add(data, grad, out=data)
            else:  # (``add(data, grad, lr)``)
                np.add(data, multiply(grad, lr_of[grad.dtype], out=tmp), out=data)
            p._vbox[0] += 1  # (``p._bump_version()``, inline: a frame per parameter)
            if MIRRORS:
                sync_after_write(data)
