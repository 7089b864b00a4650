"""torch's AVX2 float32 Box-Muller transform: the Cephes log/sincos of avx_mathfun.h.

Every step is float32 arithmetic; ``fma32`` marks exactly the places where GCC emitted a fused
multiply-add in libtorch_cpu.so (RNG_SPEC.md section 3.2), which change about 1 % of the outputs.
"""
from __future__ import annotations

import numpy as np

from .fp import fma32

_f = np.float32


def _bits(x: int) -> np.float32:
    return np.array([x], dtype=np.uint32).view(np.float32)[0]


_LOG_P = [_bits(b) for b in (0x3D9021BB, 0xBDEBD1B8, 0x3DEF251A, 0xBDFE5D4F, 0x3E11E9BF,
                             0xBE2AAE50, 0x3E4CCEAC, 0xBE7FFFFC, 0x3EAAAAAA)]
_LOG_Q1, _LOG_Q2 = _bits(0xB95E8083), _f(0.693359375)
_SQRTHF = _bits(0x3F3504F3)
_FOPI = _f(1.27323954473516)
_DP1, _DP2, _DP3 = _f(-0.78515625), _f(-2.4187564849853515625e-4), _bits(0xB3222169)
_COS_P = (_f(2.443315711809948e-5), _f(-1.388731625493765e-3), _f(4.166664568298827e-2))
_SIN_P = (_f(-1.9515295891e-4), _f(8.3321608736e-3), _f(-1.6666654611e-1))
_TWO_PI = _f(2.0 * np.pi)
_ONE, _HALF, _M2 = _f(1), _f(0.5), _f(-2)


def log(x: np.ndarray) -> np.ndarray:
    """log256_ps for float32 x in (0, 1]."""
    bits = x.view(np.int32)
    e = ((bits >> 23) - 127).astype(np.float32) + _ONE
    m = ((bits & ~0x7F800000) | 0x3F000000).view(np.float32)  # mantissa in [0.5, 1)
    small = m < _SQRTHF
    e -= small.astype(np.float32)
    t = (m - _ONE) + np.where(small, m, _f(0))
    z = t * t
    y = fma32(_LOG_P[0], t, _LOG_P[1])
    for p in _LOG_P[2:]:
        y = fma32(y, t, p)
    y = y * t
    y = fma32(y, z, e * _LOG_Q1)
    y = y - z * _HALF
    t = t + y
    return fma32(e, _LOG_Q2, t)


def sincos(theta: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """sincos256_ps for float32 theta >= 0: (sin, cos)."""
    j = (theta * _FOPI).astype(np.int32)
    j = (j + 1) & ~1
    y = j.astype(np.float32)
    x = fma32(y, _DP1, theta)  # pi/4 subtracted in three parts (extended precision)
    x = fma32(y, _DP2, x)
    x = fma32(y, _DP3, x)
    z = x * x
    c = fma32(fma32(_COS_P[0], z, _COS_P[1]), z, _COS_P[2])
    c = z * c
    c = fma32(z, c, -(z * _HALF))
    c = c + _ONE
    s = fma32(fma32(_SIN_P[0], z, _SIN_P[1]), z, _SIN_P[2])
    s = z * s
    s = fma32(x, s, x)
    use_poly = (j & 2) == 0
    sin = np.where(use_poly, s, c)
    cos = np.where(use_poly, c, s)
    np.negative(sin, out=sin, where=(j & 4) != 0)
    np.negative(cos, out=cos, where=(~(j - 2) & 4) != 0)
    return sin, cos


def box_muller(a: np.ndarray, b: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """NormalFill16<float> on AVX2 before the mean/std step: (R*cos, R*sin) of uniform pairs."""
    r = np.sqrt(_M2 * log(_ONE - a))
    sin, cos = sincos(_TWO_PI * b)
    return r * cos, r * sin
