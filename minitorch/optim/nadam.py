"""NAdam: Adam with Nesterov momentum and momentum decay (weight decay coupled or decoupled)."""
from __future__ import annotations

from typing import Any

from .._tensor import Tensor
from ._arith import scalar
from ._checks import check_betas, check_lr, check_nonnegative
from ._per_parameter import Math, PerParameterOptimizer, decayed_grad
from .optimizer import ParamsT, bump_step, scalar_state, set_scalar, step_tensor, zeros_state


class NAdam(PerParameterOptimizer):
    _capturable_tensors = ("params, mu_products and state_steps", "params, mu_products, and state_steps")
    _legacy_options = (("maximize", False), ("foreach", None), ("capturable", False), ("differentiable", False),
                       ("decoupled_weight_decay", False))
    _scalar_state_keys = ("step", "mu_product")

    def __init__(self, params: ParamsT, lr: float | Tensor = 2e-3, betas: tuple[float, float] = (0.9, 0.999),
                 eps: float = 1e-8, weight_decay: float = 0, momentum_decay: float = 4e-3,
                 decoupled_weight_decay: bool = False, *, foreach: bool | None = None, maximize: bool = False,
                 capturable: bool = False, differentiable: bool = False) -> None:
        check_lr(lr)
        check_nonnegative("epsilon", eps)
        check_betas(betas)
        check_nonnegative("weight_decay", weight_decay)
        check_nonnegative("momentum_decay", momentum_decay)
        defaults = {"lr": lr, "betas": betas, "eps": eps, "weight_decay": weight_decay,
                    "momentum_decay": momentum_decay, "decoupled_weight_decay": decoupled_weight_decay,
                    "maximize": maximize, "foreach": foreach, "capturable": capturable,
                    "differentiable": differentiable}
        super().__init__(params, defaults)

    def _init_state(self, p: Tensor, state: dict[str, Any], group: dict[str, Any]) -> None:
        state["step"] = step_tensor()
        state["mu_product"] = scalar_state(1.0)
        state["exp_avg"] = zeros_state(p)
        state["exp_avg_sq"] = zeros_state(p)

    def _update(self, math: Math, p: Tensor, state: Any, group: dict[str, Any]) -> None:
        lr, momentum_decay = math.hyper(group["lr"]), group["momentum_decay"]
        beta1, beta2 = group["betas"]
        step = bump_step(state["step"])
        param = math.of(p)
        grad = decayed_grad(math, p, param, lr, group)
        mu = beta1 * (1.0 - 0.5 * 0.96 ** (step * momentum_decay))
        mu_next = beta1 * (1.0 - 0.5 * 0.96 ** ((step + 1) * momentum_decay))
        product = state["mu_product"]._data
        mu_product = set_scalar(state["mu_product"], product * scalar(mu, product))  # in the state's dtype
        exp_avg, exp_avg_sq = math.of(state["exp_avg"]), math.of(state["exp_avg_sq"])
        math.lerp_(exp_avg, grad, 1 - beta1)
        math.mul_(exp_avg_sq, beta2)
        math.addcmul_(exp_avg_sq, grad, grad, 1 - beta2)
        denom = math.add_to_temporary(math.sqrt(math.div(exp_avg_sq, 1 - beta2 ** step)), group["eps"])
        if group["differentiable"]:
            # as torch's differentiable step: both coefficients from the 0-d state, in its dtype
            product_t = state["mu_product"]
            math.addcdiv_(param, math.mul(grad, -lr * (1.0 - mu) / (1.0 - product_t)), denom)
            math.addcdiv_(param, math.mul(exp_avg, -lr * mu_next / (1.0 - product_t * mu_next)), denom)
            return
        math.addcdiv_(param, grad, denom, -lr * (1.0 - mu) / (1.0 - mu_product))
        math.addcdiv_(param, exp_avg, denom, -lr * mu_next / (1.0 - mu_product * mu_next))
