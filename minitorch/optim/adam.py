"""Adam and AdamW (amsgrad, maximize, weight decay coupled or decoupled)."""
from __future__ import annotations

from typing import Any

from .._tensor import Tensor
from ._checks import check_betas, check_fused, check_fused_param, check_lr, check_nonnegative
from ._per_parameter import Math, PerParameterOptimizer, decayed_grad
from .optimizer import ParamsT, bump_step, step_tensor, zeros_state

_NO_TENSOR_FOREACH = "{} as a Tensor is not supported for capturable=False and foreach=True"


class Adam(PerParameterOptimizer):
    _capturable_checked_first = True
    _legacy_options = (("amsgrad", False), ("maximize", False), ("foreach", None), ("capturable", False),
                       ("differentiable", False), ("decoupled_weight_decay", False), ("fused", None))

    def __init__(self, params: ParamsT, lr: float | Tensor = 1e-3,
                 betas: tuple[float | Tensor, float | Tensor] = (0.9, 0.999), eps: float = 1e-8,
                 weight_decay: float = 0, amsgrad: bool = False, *, foreach: bool | None = None,
                 maximize: bool = False, capturable: bool = False, differentiable: bool = False,
                 fused: bool | None = None, decoupled_weight_decay: bool = False) -> None:
        if isinstance(lr, Tensor) and foreach and not capturable:
            raise ValueError(_NO_TENSOR_FOREACH.format("lr"))
        check_lr(lr)
        check_nonnegative("epsilon", eps)
        check_betas(betas)
        check_nonnegative("weight_decay", weight_decay)
        if not ((isinstance(betas[0], float) and isinstance(betas[1], float))
                or (isinstance(betas[0], Tensor) and isinstance(betas[1], Tensor))):
            raise ValueError("betas must be either both floats or both Tensors")
        for i, beta in enumerate(betas):
            if isinstance(beta, Tensor):
                if foreach and not capturable:
                    raise ValueError(_NO_TENSOR_FOREACH.format(f"betas[{i}]"))
                if beta.numel() != 1:
                    raise ValueError(f"Tensor betas[{i}] must be 1-element")
        betas = tuple(b.squeeze() if isinstance(b, Tensor) and b.ndim else b for b in betas)
        defaults = {"lr": lr, "betas": betas, "eps": eps, "weight_decay": weight_decay, "amsgrad": amsgrad,
                    "maximize": maximize, "foreach": foreach, "capturable": capturable,
                    "differentiable": differentiable, "fused": fused,
                    "decoupled_weight_decay": decoupled_weight_decay}
        super().__init__(params, defaults)
        check_fused(fused, foreach, differentiable)

    def _init_state(self, p: Tensor, state: dict[str, Any], group: dict[str, Any]) -> None:
        if group["fused"]:
            check_fused_param(p)
        state["step"] = step_tensor(fused=bool(group["fused"]))
        state["exp_avg"] = zeros_state(p)
        state["exp_avg_sq"] = zeros_state(p)
        if group["amsgrad"]:
            state["max_exp_avg_sq"] = zeros_state(p)

    def _prepare(self, p: Tensor, group: dict[str, Any]) -> None:
        super()._prepare(p, group)
        if group["differentiable"] and self.state[p]["step"].requires_grad:
            raise RuntimeError("`requires_grad` is not supported for `step` in differentiable mode")
        if group["foreach"] and isinstance(group["lr"], Tensor) and not group["capturable"]:
            raise RuntimeError(_NO_TENSOR_FOREACH.format("lr"))

    def _update(self, math: Math, p: Tensor, state: Any, group: dict[str, Any]) -> None:
        lr = math.hyper(group["lr"])
        beta1, beta2 = (math.hyper(b) for b in group["betas"])
        eps = group["eps"]
        step = bump_step(state["step"])
        param = math.of(p)
        grad = decayed_grad(math, p, param, lr, group, decay_tensor=True)
        exp_avg, exp_avg_sq = math.of(state["exp_avg"]), math.of(state["exp_avg_sq"])
        math.lerp_(exp_avg, grad, 1 - beta1)
        math.mul_(exp_avg_sq, beta2)
        math.addcmul_(exp_avg_sq, grad, grad, 1 - beta2)
        if group["amsgrad"]:
            second = math.maximum_(math.of(state["max_exp_avg_sq"]), exp_avg_sq)
        else:
            second = exp_avg_sq
        if group["differentiable"]:
            # torch's differentiable step: bias corrections in the step tensor's dtype, and the
            # negated step size folded into the denominator
            step_t = state["step"]
            step_size_neg = -(lr / (1 - beta1 ** step_t))
            scale = (1 - beta2 ** step_t).sqrt() * step_size_neg
            denom = math.add_(math.div(math.sqrt(second), scale), eps / step_size_neg)
            math.addcdiv_(param, math.clone(exp_avg), denom)
            return
        step_size = lr / (1 - beta1 ** step)
        denom = math.sqrt(second)
        math.div_(denom, (1 - beta2 ** step) ** 0.5)
        math.add_(denom, eps)
        math.addcdiv_(param, exp_avg, denom, -step_size)


class AdamW(Adam):
    def __init__(self, params: ParamsT, lr: float | Tensor = 1e-3,
                 betas: tuple[float | Tensor, float | Tensor] = (0.9, 0.999), eps: float = 1e-8,
                 weight_decay: float = 1e-2, amsgrad: bool = False, *, maximize: bool = False,
                 foreach: bool | None = None, capturable: bool = False, differentiable: bool = False,
                 fused: bool | None = None) -> None:
        super().__init__(params, lr, betas, eps, weight_decay, amsgrad, foreach=foreach, maximize=maximize,
                         capturable=capturable, differentiable=differentiable, fused=fused,
                         decoupled_weight_decay=True)

    def __setstate__(self, state: dict[str, Any]) -> None:
        super().__setstate__(state)
        for group in self.param_groups:
            group["decoupled_weight_decay"] = True  # a loaded AdamW stays AdamW, as in torch
