"""The in-place float arithmetic of torch's optimizer kernels, on ndarrays.

Each helper reproduces one ATen CPU kernel's order of operations and the rounding of its Python
scalar to the tensor's dtype (a float32 tensor computes ``x + float32(alpha) * y`` in float32):

    add(x, y, alpha)          x + alpha * y
    addcmul_(x, a, b, value)  x + (value * a) * b
    addcdiv_(x, a, b, value)  x + (value * a) / b
    lerp_(x, end, w)          x + w * (end - x)           when |w| < 0.5
                              end - (end - x) * (1 - w)   otherwise

torch's vectorized kernels contract ``x + alpha * y`` (and lerp's and addcmul's last step) into a
fused multiply-add, which rounds once. NumPy has no fma and emulating it through float64 costs five
times the update itself, so here the product is rounded before the add: the result is within one
float32 ulp of torch's, and equal wherever ``alpha * y`` is exact. Everything else (op order, scalar
casts, lerp's two branches) is torch's.

Intermediates go to ``tmp``, a scratch array shaped like the operands (see ``Scratch``), so that a
step allocates nothing.
"""
from __future__ import annotations

import numpy as np


class Scratch:
    """Temporaries reused from step to step, a few per (shape, dtype)."""

    def __init__(self) -> None:
        self._arrays: dict[tuple, np.ndarray] = {}

    def like(self, a: np.ndarray, slot: int = 0) -> np.ndarray:
        key = (a.shape, a.dtype.str, slot)
        out = self._arrays.get(key)
        if out is None:
            out = self._arrays[key] = np.empty(a.shape, a.dtype)
        return out


def scalar(value: float, like: np.ndarray) -> np.generic:
    """A Python scalar as the array's dtype, as ATen casts it before the kernel runs."""
    return like.dtype.type(value)


def add(x: np.ndarray, y: np.ndarray, alpha: float, out: np.ndarray | None = None,
        tmp: np.ndarray | None = None) -> np.ndarray:
    """``x + alpha * y`` into ``out`` (a new array when None; ``out`` may be ``x``)."""
    if alpha == 1:
        return np.add(x, y, out=out)
    return np.add(x, np.multiply(y, scalar(alpha, y), out=tmp), out=out)


def addcmul_(x: np.ndarray, a: np.ndarray, b: np.ndarray, value: float, tmp: np.ndarray) -> None:
    scaled = np.multiply(a, scalar(value, a), out=tmp) if value != 1 else a
    np.add(x, np.multiply(scaled, b, out=tmp), out=x)


def addcdiv_(x: np.ndarray, a: np.ndarray, b: np.ndarray, value: float, tmp: np.ndarray) -> None:
    scaled = np.multiply(a, scalar(value, a), out=tmp) if value != 1 else a
    np.add(x, np.divide(scaled, b, out=tmp), out=x)


def lerp_(x: np.ndarray, end: np.ndarray, weight: float, tmp: np.ndarray) -> None:
    w = scalar(weight, x)
    diff = np.subtract(end, x, out=tmp)
    if abs(w) < 0.5:
        diff *= w
        np.add(x, diff, out=x)
    else:
        diff *= w - x.dtype.type(1)  # the kernel's coefficient: weight - 1, rounded in the dtype
        np.add(end, diff, out=x)


def effective_grad(grad: np.ndarray, param: np.ndarray, maximize: bool, weight_decay: float,
                   scratch: Scratch) -> np.ndarray:
    """The gradient an update uses: negated when maximizing, plus ``weight_decay * param``. The
    parameter's ``.grad`` is never written: a changed gradient lives in scratch slot 1."""
    if not maximize and weight_decay == 0:
        return grad
    out = scratch.like(param, 1)
    if maximize:
        grad = np.negative(grad, out=out)
    if weight_decay != 0:
        grad = add(grad, param, weight_decay, out=out, tmp=scratch.like(param))
    return grad
