"""Adafactor: the second moment of a matrix kept as row and column averages (a vector's in full),
updates clipped by their RMS and scaled by the parameter's."""
from __future__ import annotations

from typing import Any

import numpy as np

from .. import _dtype as D
from .._tensor import Tensor
from . import _arith
from ._per_parameter import Math, PerParameterOptimizer
from .optimizer import ParamsT, bump_step, step_tensor


def _norm(x: np.ndarray, axis: int | None = None) -> np.ndarray:
    """The 2-norm rounded once to x's dtype (computed in float64, within an ulp of torch's)."""
    return np.sqrt(np.square(x, dtype=np.float64).sum(axis=axis, keepdims=axis is not None)).astype(x.dtype)


def _mean_square(grad: np.ndarray, axis: int) -> np.ndarray:
    """torch's ``norm(grad, dim=axis, keepdim=True).square_().div_(size)``."""
    norm = _norm(grad, axis)
    norm *= norm
    norm /= _arith.scalar(grad.shape[axis], norm)
    return norm


class Adafactor(PerParameterOptimizer):
    _legacy_options = (("foreach", None),)
    # its update is written on the arrays for every floating dtype: float16 and bfloat16 ones are computed by NumPy,
    # which rounds each ufunc's float32 result, where torch's lerp_, add_ (alpha) and matmul round once: within an
    # ulp or two of torch's on a matrix parameter, not bit for bit
    _array_math_dtypes = (*PerParameterOptimizer._array_math_dtypes, np.dtype(np.float16), D.bfloat16.np)

    def __init__(self, params: ParamsT, lr: float | Tensor = 1e-2, beta2_decay: float = -0.8,
                 eps: tuple[float | None, float] = (None, 1e-3), d: float = 1.0, weight_decay: float = 0.0, *,
                 foreach: bool | None = None, maximize: bool = False) -> None:
        if isinstance(lr, Tensor) and lr.numel() != 1:
            raise ValueError("Tensor lr must be 1-element")
        if not 0.0 <= lr:
            raise ValueError(f"Learning rate should be >= 0 but is: {lr}")
        if not 0.0 >= beta2_decay:
            raise ValueError(f"beta2_decay should be <= 0 but is: {beta2_decay}")
        if eps[0] is not None and not 0.0 <= eps[0]:
            raise ValueError(f"epsilon1 should be >= 0 but is: {eps[0]}")
        if not 0.0 <= eps[1]:
            raise ValueError(f"epsilon2 should be >= 0 but is: {eps[1]}")
        if not 1.0 <= d:
            raise ValueError(f"Clipping threshold d should be >= 1 but is: {d}")
        if not 0.0 <= weight_decay:
            raise ValueError(f"weight_decay should be >= 0 but is: {weight_decay}")
        defaults = {"lr": lr, "beta2_decay": beta2_decay, "eps": eps, "d": d, "weight_decay": weight_decay,
                    "foreach": foreach, "maximize": maximize}
        super().__init__(params, defaults)

    def _init_state(self, p: Tensor, state: dict[str, Any], group: dict[str, Any]) -> None:
        state["step"] = step_tensor()
        grad = p._grad._data
        if grad.ndim > 1:
            state["row_var"] = Tensor._make(np.zeros(grad.shape[:-1] + (1,), grad.dtype))
            state["col_var"] = Tensor._make(np.zeros(grad.shape[:-2] + (1,) + grad.shape[-1:], grad.dtype))
        else:
            state["variance"] = Tensor._make(np.zeros_like(grad))

    def _step_group(self, group: dict[str, Any]) -> None:
        # torch's _init_group looks at every parameter with a gradient before it updates any
        if any(p.grad is not None and p.is_complex() for p in group["params"]):
            raise RuntimeError("Adafactor does not support complex parameters")
        # a missing eps1 becomes the eps of the first updated parameter's dtype, for the whole group
        self._group_eps1 = group["eps"][0]
        super()._step_group(group)

    def _update(self, math: Math, p: Tensor, state: Any, group: dict[str, Any]) -> None:
        lr, weight_decay = float(group["lr"]), group["weight_decay"]
        param = p._data
        if self._group_eps1 is None:
            if not p.dtype.is_floating_point:
                raise TypeError("torch.finfo() requires a floating point input type. Use torch.iinfo to handle "
                                "'torch.finfo'")
            self._group_eps1 = float(D.finfo_np(param.dtype).eps)
        eps1 = self._group_eps1
        grad = math.grad(p, group["maximize"], 0)
        step = bump_step(state["step"])
        if not p.dtype.is_floating_point:
            raise RuntimeError("linalg.vector_norm: Expected a floating point or complex tensor as input. "
                               f"Got {p.dtype._cast_name}")
        one_minus_beta2 = step ** group["beta2_decay"]
        rho = min(lr, 1 / step ** 0.5)
        alpha = max(group["eps"][1], float(_norm(param)) / param.size ** 0.5) * rho
        if weight_decay != 0:
            math.mul_(param, 1 - lr * weight_decay)
        if grad.ndim > 1:
            row_var, col_var = state["row_var"]._data, state["col_var"]._data
            math.lerp_(row_var, _mean_square(grad, -1), one_minus_beta2)
            math.lerp_(col_var, _mean_square(grad, -2), one_minus_beta2)
            var_estimate = np.matmul(row_var, col_var)
            row_mean = row_var.mean(axis=-2, keepdims=True, dtype=np.float64).astype(row_var.dtype)
            math.div_(var_estimate, math.clamp_(row_mean, eps1, np.inf))
        else:
            variance = state["variance"]._data
            math.lerp_(variance, math.mul(grad, grad), one_minus_beta2)
            var_estimate = math.clone(variance)
        update = math.clamp_(var_estimate, eps1 * eps1, np.inf)
        np.sqrt(update, out=update)
        np.reciprocal(update, out=update)
        math.mul_(update, grad)
        denom = max(1.0, float(_norm(update)) / (update.size ** 0.5 * group["d"]))
        math.add_(param, update, -alpha / denom)
