"""Muon: momentum whose update is orthogonalised by Newton-Schulz iterations (for 2-D parameters).

torch runs the iterations in bfloat16, which NumPy lacks: every intermediate of the iteration is computed
in float64 and rounded to bfloat16 (round to nearest even) where torch's bfloat16 kernels round theirs
(each matmul/addmm output, the norm and the division). torch's kernels accumulate those products in float32,
in their own order: a sum that lands within a float32 rounding of a bfloat16 tie may round the other way.
"""
from __future__ import annotations

import math
from typing import Any

import numpy as np

from .._tensor import Tensor
from ._per_parameter import PerParameterOptimizer, Math
from .optimizer import ParamsT, zeros_state

__all__ = ["Muon"]

EPS = 1e-7
DEFAULT_A, DEFAULT_B, DEFAULT_C = 3.4445, -4.7750, 2.0315
DEFAULT_NS_STEPS = 5


def to_bfloat16(x: np.ndarray) -> np.ndarray:
    """``x`` rounded to the nearest bfloat16 (ties to even), held as float32."""
    bits = np.ascontiguousarray(x, dtype=np.float32).view(np.uint32)
    rounded = ((bits + (np.uint32(0x7FFF) + ((bits >> np.uint32(16)) & np.uint32(1))))
               & np.uint32(0xFFFF0000)).view(np.float32)
    return np.where(np.isnan(x), np.float32(np.nan), rounded)


def _bf16_addmm(c: np.ndarray, a: np.ndarray, b: np.ndarray, beta: float, alpha: float = 1.0) -> np.ndarray:
    """``torch.addmm(c, a, b, beta=beta, alpha=alpha)`` on bfloat16 operands: one rounding of the exact result."""
    return to_bfloat16(beta * c.astype(np.float64) + alpha * (a.astype(np.float64) @ b.astype(np.float64)))


def zeropower_via_newtonschulz(grad: np.ndarray, ns_coefficients: tuple[float, float, float], ns_steps: int,
                               eps: float) -> np.ndarray:
    """An approximate orthogonalisation ``U S' V^T`` of ``grad = U S V^T`` (S' near 1), as bfloat16 values."""
    if ns_steps >= 100:
        raise ValueError("Number of steps must be less than 100 for computational efficiency")
    if grad.ndim != 2:
        raise ValueError("Input tensor gradient must be a 2D matrix")
    if len(ns_coefficients) != 3:
        raise ValueError("Coefficients must be a tuple of exactly 3 values")
    a, b, c = ns_coefficients
    tall = grad.shape[0] > grad.shape[1]
    x = to_bfloat16(grad.T if tall else grad)
    norm = to_bfloat16(np.sqrt(np.sum(np.square(x, dtype=np.float64))))
    norm = to_bfloat16(np.maximum(norm, np.float32(eps)))  # spectral norm at most 1
    x = to_bfloat16(x / norm)
    for _ in range(ns_steps):
        gram = to_bfloat16(x.astype(np.float64) @ x.T.astype(np.float64))
        gram_update = _bf16_addmm(gram, gram, gram, beta=b, alpha=c)
        x = _bf16_addmm(x, gram_update, x, beta=a)
    return x.T if tall else x


def adjust_lr(lr: float, adjust_lr_fn: str | None, param_shape: tuple[int, ...]) -> float:
    """Scale the step so that the orthogonalised update's RMS does not depend on the matrix's aspect."""
    rows, cols = param_shape[:2]
    if adjust_lr_fn is None or adjust_lr_fn == "original":
        ratio = math.sqrt(max(1, rows / cols))
    elif adjust_lr_fn == "match_rms_adamw":
        ratio = 0.2 * math.sqrt(max(rows, cols))
    else:
        ratio = 1.0
    return lr * ratio


class Muon(PerParameterOptimizer):
    _legacy_options = ()  # Muon has none of the options older checkpoints of the other optimizers lack

    def __init__(self, params: ParamsT, lr: float | Tensor = 1e-3, weight_decay: float = 0.1,
                 momentum: float = 0.95, nesterov: bool = True,
                 ns_coefficients: tuple[float, float, float] = (DEFAULT_A, DEFAULT_B, DEFAULT_C), eps: float = EPS,
                 ns_steps: int = DEFAULT_NS_STEPS, adjust_lr_fn: str | None = None) -> None:
        if isinstance(lr, Tensor) and lr.numel() != 1:
            raise ValueError("Tensor lr must be 1-element")
        if not 0.0 <= lr:
            raise ValueError(f"Learning rate should be >= 0 but is: {lr}")
        if not 0.0 <= momentum:
            raise ValueError(f"momentum should be >= 0 but is: {momentum}")
        if not 0.0 <= weight_decay:
            raise ValueError(f"weight decay should be >= 0 but is: {weight_decay}")
        if adjust_lr_fn is not None and adjust_lr_fn not in ["original", "match_rms_adamw"]:
            raise ValueError(f"Adjust learning rate function {adjust_lr_fn} is not supported")
        defaults = {"lr": lr, "weight_decay": weight_decay, "momentum": momentum, "nesterov": nesterov,
                    "ns_coefficients": ns_coefficients, "eps": eps, "ns_steps": ns_steps,
                    "adjust_lr_fn": adjust_lr_fn}
        super().__init__(params, defaults)
        for group in self.param_groups:
            for p in group["params"]:
                if p.ndim != 2:
                    raise ValueError(f"Muon only supports 2D parameters whereas we found a parameter with size: "
                                     f"{p.size()}")

    def _prepare(self, p: Tensor, group: dict[str, Any]) -> None:
        if p.is_complex():
            raise RuntimeError("Muon does not support complex parameters")
        super()._prepare(p, group)

    def _init_state(self, p: Tensor, state: dict[str, Any], group: dict[str, Any]) -> None:
        state["momentum_buffer"] = zeros_state(p)

    def _update(self, math_: Math, p: Tensor, state: Any, group: dict[str, Any]) -> None:
        lr, momentum = math_.hyper(group["lr"]), group["momentum"]
        param, grad = math_.of(p), math_.of(p.grad)
        buf = math_.lerp_(math_.of(state["momentum_buffer"]), grad, 1 - momentum)
        update = math_.lerp_(math_.clone(grad), buf, momentum) if group["nesterov"] else buf
        ortho = zeropower_via_newtonschulz(update, group["ns_coefficients"], group["ns_steps"], group["eps"])
        step = adjust_lr(lr, group["adjust_lr_fn"], tuple(p.shape))
        math_.mul_(param, 1 - lr * group["weight_decay"])
        math_.add_(param, ortho.astype(param.dtype), -step)


Muon.__module__ = "minitorch.optim"  # as torch shows it
