"""float16 GELU and its backward as torch's CPU kernel computes them (Activation.cpp's reduced-float branch, its
AVX512 build): in float32, the vectorized body with ``Vectorized<float>``'s own erf (Abramowitz and Stegun's 7.1.26
polynomial, absolute error 1.5e-7: far from erf where ``1 + erf`` is small, so gelu's negative tail differs from a
true erf in float16's last bits), SLEEF's exp and tanh (within an ulp of float32: computed here in double and rounded,
tanh saturated to 1 past 8.664339742 as SLEEF's), with the fused multiply-adds GCC contracted (measured); the elements
the loop leaves to its scalar lambda (``cpu_loops``) take the C library's erf, exp and tanh.

bfloat16's GELU is not this kernel on this build: its values are torch's float32 GELU rounded, whose float32 values
minitorch does not reproduce bit for bit.
"""
from __future__ import annotations

import math
from typing import Callable

import numpy as np

from ..cpu_loops import on_scalar_lanes
from ..pointwise_math import _erf64
from ..vec_reduce import fma

_F = np.float32
AVX512_BLOCK_BYTES = 128  # the loop's vectorized step: two 512-bit vectors (the kernel has an AVX512 build; measured)
_ALPHA = _F(math.sqrt(0.5))                                   # M_SQRT1_2
_PDF_SCALE_VECTOR = _F(2 / math.sqrt(math.pi) * math.sqrt(0.5) * 0.5)  # (float)(M_2_SQRTPI * M_SQRT1_2 * 0.5)
_PDF_SCALE_SCALAR = _F(_F(2 / math.sqrt(math.pi)) * _ALPHA * _F(0.5))  # float(M_2_SQRTPI) * float(M_SQRT1_2) * 0.5f
_BETA = _F(math.sqrt(2) * (2 / math.sqrt(math.pi)) * 0.5)   # M_SQRT2 * M_2_SQRTPI * 0.5
_KAPPA = _F(0.044715)
_TANH_SATURATION = _F(8.664339742)
# Abramowitz and Stegun 7.1.26: erf(x) ~ 1 - (a1 t + a2 t^2 + ... + a5 t^5) exp(-x^2), t = 1 / (1 + p x)
_P = _F(0.3275911)
_A = tuple(_F(a) for a in (1.061405429, -1.453152027, 1.421413741, -0.284496736, 0.254829592))


def _exp(x: np.ndarray) -> np.ndarray:
    return np.exp(x.astype(np.float64)).astype(_F)


def _tanh(x: np.ndarray) -> np.ndarray:
    return np.where(np.abs(x) > _TANH_SATURATION, np.copysign(_F(1), x), np.tanh(x.astype(np.float64)).astype(_F))


def _vectorized_erf(x: np.ndarray) -> np.ndarray:
    """``Vectorized<float>::erf``: Horner's rule on ``t`` in fused multiply-adds, ``1 - r * t * exp(-x * x)``."""
    t = _F(1) / fma(_P, np.abs(x), _F(1))
    r: np.ndarray = np.asarray(_A[0])
    for a in _A[1:]:
        r = fma(r, t, a)
    return np.copysign(fma(-_exp(-(x * x)) * t, r, _F(1)), x)


def _scalar_erf(x: np.ndarray) -> np.ndarray:
    return _erf64(x).astype(_F)


Erf = Callable[[np.ndarray], np.ndarray]


def _forward(v: np.ndarray, approximate: str, erf: Erf) -> np.ndarray:
    if approximate == "tanh":
        return _F(0.5) * v * (_F(1) + _tanh(_BETA * (v + _KAPPA * (v * v * v))))
    return v * _F(0.5) * (_F(1) + erf(v * _ALPHA))


def _derivative_times(dy: np.ndarray, v: np.ndarray, approximate: str, erf: Erf, pdf_scale: np.float32
                      ) -> np.ndarray:
    if approximate == "tanh":
        t = _tanh(_BETA * (v + _KAPPA * (v * v * v)))
        left_derivative = _F(0.5) * (_F(1) + t)
        right_derivative = _F(0.5) * v * fma(-t, t, _F(1)) * (_BETA * fma(_F(3) * _KAPPA, v * v, _F(1)))
        return dy * (left_derivative + right_derivative)
    cdf = _F(0.5) * (_F(1) + erf(v * _ALPHA))
    return dy * (cdf + v * (pdf_scale * _exp(v * v * _F(-0.5))))


def gelu_float16(x: np.ndarray, approximate: str) -> np.ndarray:
    """GeluKernelImpl of a float16 array ``x``."""
    result = _forward(x.astype(_F), approximate, _vectorized_erf).astype(np.float16)
    return on_scalar_lanes(result, (x,), lambda xs: _forward(xs.astype(_F), approximate, _scalar_erf).astype(
        np.float16), block_bytes=AVX512_BLOCK_BYTES)


def gelu_backward_float16(dy: np.ndarray, x: np.ndarray, approximate: str) -> np.ndarray:
    """GeluBackwardKernelImpl of float16 arrays (``dy`` broadcast to ``x``'s shape)."""
    result = _derivative_times(dy.astype(_F), x.astype(_F), approximate, _vectorized_erf, _PDF_SCALE_VECTOR)
    return on_scalar_lanes(result.astype(np.float16), (dy, x), lambda d, xs: _derivative_times(
        d.astype(_F), xs.astype(_F), approximate, _scalar_erf, _PDF_SCALE_SCALAR).astype(np.float16),
        block_bytes=AVX512_BLOCK_BYTES)
