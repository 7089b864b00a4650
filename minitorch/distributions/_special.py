"""lgamma, digamma and polygamma for the distributions, differentiable to any order.

Private stand-ins: minitorch has no ``torch.lgamma``/``digamma``/``polygamma`` yet (torch.special is being
added separately), and these are not public names. Values are float64-accurate and computed in double,
then cast to the input's dtype: lgamma through libm's lgamma/lgammaf as torch's CPU kernel calls it,
digamma and polygamma by recurrence to large arguments followed by their asymptotic (Bernoulli) series.
"""
from __future__ import annotations

import ctypes
import math
from fractions import Fraction
from typing import Any, Callable

import numpy as np

from .._rng import libm
from .._tensor import Tensor
from ..autograd.function import Function
from . import _api as ops

__all__ = ["digamma", "lgamma", "polygamma"]

_lgamma = libm._libm.lgamma
_lgamma.restype, _lgamma.argtypes = ctypes.c_double, [ctypes.c_double]
_lgammaf = libm._float_fn(libm._libm, "lgammaf")

# B_2k for k = 1..12: the asymptotic series of digamma and of the Hurwitz zeta function use them
_BERNOULLI_2K = [Fraction(1, 6), Fraction(-1, 30), Fraction(1, 42), Fraction(-1, 30), Fraction(5, 66),
                 Fraction(-691, 2730), Fraction(7, 6), Fraction(-3617, 510), Fraction(43867, 798),
                 Fraction(-174611, 330), Fraction(854513, 138), Fraction(-236364091, 2730)]
_DIGAMMA_SERIES = [float(b / (2 * k)) for k, b in enumerate(_BERNOULLI_2K[:7], start=1)]
_ZETA_SERIES = [float(math.factorial(2 * k) / b) for k, b in enumerate(_BERNOULLI_2K, start=1)]
_EPS = np.finfo(np.float64).eps


def _digamma_scalar(x: float) -> float:
    if x == 0:
        return math.copysign(math.inf, -x)
    if x < 0:
        if x == math.trunc(x):
            return math.nan
        # reflection: psi(1 - x) - psi(x) = pi / tan(pi x)
        return _digamma_scalar(1 - x) - math.pi / math.tan(math.pi * math.modf(x)[0])
    if math.isnan(x) or math.isinf(x):
        return x
    result = 0.0
    while x < 10:  # psi(x) = psi(x + 1) - 1/x
        result -= 1 / x
        x += 1
    series = 0.0
    if x < 1e17:
        z = 1 / (x * x)
        for c in reversed(_DIGAMMA_SERIES):
            series = series * z + c
        series *= z
    return result + math.log(x) - 0.5 / x - series


def _hurwitz_zeta(s: float, q: float) -> float:
    """sum over k >= 0 of (k + q)^-s, by direct summation then Euler-Maclaurin."""
    if q <= 0 and q == math.floor(q):
        return math.inf
    total, a, i = q ** -s, q, 0
    b = 0.0
    while i < 9 or a <= 9:
        i += 1
        a += 1
        b = a ** -s
        total += b
        if total != 0 and abs(b / total) < _EPS:
            return total
    w = a
    total += b * w / (s - 1) - 0.5 * b
    rising, k = 1.0, 0.0
    for c in _ZETA_SERIES:
        rising *= s + k
        b /= w
        term = rising * b / c
        total += term
        if total != 0 and abs(term / total) < _EPS:
            break
        k += 1
        rising *= s + k
        b /= w
        k += 1
    return total


def _polygamma_scalar(n: int, x: float) -> float:
    if n == 0:
        return _digamma_scalar(x)
    return (-1) ** (n + 1) * math.factorial(n) * _hurwitz_zeta(n + 1.0, x)


def _elementwise(fn: Callable[[float], float], x: Tensor) -> Tensor:
    data = x.detach().numpy()
    values = libm.apply(fn, data.astype(np.float64).ravel()).reshape(data.shape)
    return ops.tensor(values, dtype=x.dtype)


class _Lgamma(Function):
    @staticmethod
    def forward(ctx: Any, x: Tensor) -> Tensor:
        ctx.save_for_backward(x)
        data = x.detach().numpy()
        fn = _lgammaf if data.dtype == np.float32 else _lgamma
        return ops.tensor(libm.apply(fn, data.ravel()).reshape(data.shape), dtype=x.dtype)

    @staticmethod
    def backward(ctx: Any, grad: Tensor) -> Tensor:
        (x,) = ctx.saved_tensors
        return grad * polygamma(0, x)


class _Polygamma(Function):
    @staticmethod
    def forward(ctx: Any, n: int, x: Tensor) -> Tensor:
        ctx.n = n
        ctx.save_for_backward(x)
        return _elementwise(lambda v: _polygamma_scalar(n, v), x)

    @staticmethod
    def backward(ctx: Any, grad: Tensor) -> tuple:
        (x,) = ctx.saved_tensors
        return None, grad * polygamma(ctx.n + 1, x)


def _as_float(x: Any) -> Tensor:
    if not isinstance(x, Tensor):
        return ops.tensor(x, dtype=ops.get_default_dtype())
    return x if x.is_floating_point() else x.to(ops.get_default_dtype())


def lgamma(x: Any) -> Tensor:
    """log |Gamma(x)|."""
    return _Lgamma.apply(_as_float(x))


def polygamma(n: int, x: Any) -> Tensor:
    """The n-th derivative of digamma (n = 0 is digamma itself)."""
    return _Polygamma.apply(n, _as_float(x))


def digamma(x: Any) -> Tensor:
    """d/dx log Gamma(x)."""
    return polygamma(0, x)
