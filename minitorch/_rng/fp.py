"""Correctly rounded fused multiply-add on NumPy arrays (NumPy has no fma ufunc).

torch's "avx2" kernels were compiled with FMA contraction, so ``a*b+c`` rounds once there; these
helpers reproduce that bit for bit (RNG_SPEC.md section 11).
"""
from __future__ import annotations

import numpy as np

_F32_MID_MASK = np.uint64(0x1FFFFFFF)  # the 29 double mantissa bits a float32 drops
_F32_MID = np.uint64(0x10000000)       # ...equal to exactly half a float32 ulp
_SPLIT = 134217729.0                   # 2**27 + 1, Veltkamp's splitter for doubles
_INF = np.inf


def _two_sum_err(a: np.ndarray, b: np.ndarray, s: np.ndarray) -> np.ndarray:
    """The exact rounding error of ``s = a + b`` (Knuth's TwoSum)."""
    bb = s - a
    return (a - (s - bb)) + (b - bb)


def fma32(a: np.ndarray, b: np.ndarray, c: np.ndarray) -> np.ndarray:
    """float32 fma(a, b, c) of float32-valued inputs, rounded once (returns float32).

    The product of two float32s is exact in double, so ``s = a*b + c`` in double has one rounding
    and rounding s to float32 is correct, unless s landed exactly on a float32 midpoint: those rare
    elements are nudged one double ulp toward the exact sum before the final rounding.
    Precondition: where the result is a float32 subnormal, ``a*b + c`` is exact in double (true
    for every kernel here: their products have no bits below 2**-179 when the sum is that small).
    """
    p = np.multiply(a, b, dtype=np.float64)
    s = np.add(p, c, dtype=np.float64)
    out = s.astype(np.float32)
    bits = s.view(np.uint64) & _F32_MID_MASK
    if (bits == _F32_MID).any():
        _fix_f32_midpoints(p, c, s, out)
    return out


def _fix_f32_midpoints(p: np.ndarray, c: np.ndarray | float, s: np.ndarray, out: np.ndarray) -> None:
    cand = np.flatnonzero((s.view(np.uint64) & _F32_MID_MASK) == _F32_MID)
    cs = np.broadcast_to(np.asarray(c, dtype=np.float64), s.shape).reshape(-1)[cand]
    ss = s.reshape(-1)[cand]
    err = _two_sum_err(p.reshape(-1)[cand], cs, ss)
    fix = err != 0
    if fix.any():
        nudged = np.nextafter(ss[fix], np.where(err[fix] > 0, _INF, -_INF))
        out.reshape(-1)[cand[fix]] = nudged.astype(np.float32)


def fma64(a: np.ndarray | float, b: np.ndarray | float, c: np.ndarray | float) -> np.ndarray:
    """float64 fma(a, b, c), rounded once (Dekker TwoProduct, TwoSum, Boldo-Melquiond round-to-odd)."""
    a, b, c = np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64), np.asarray(c, dtype=np.float64)
    p = a * b
    ah, al = _split(a)
    bh, bl = _split(b)
    p_err = ((ah * bh - p) + ah * bl + al * bh) + al * bl  # p + p_err == a*b exactly
    s = p + c
    s_err = _two_sum_err(p, c, s)                           # s + s_err == p + c exactly
    low = s_err + p_err
    low_err = _two_sum_err(s_err, p_err, low)
    # round-to-odd the low part: if inexact and even, step to the odd neighbour toward the truth
    step = (low_err != 0) & ((low.view(np.int64) & 1) == 0)
    if step.any():
        low = np.where(step, np.nextafter(low, np.where(low_err > 0, _INF, -_INF)), low)
    fused = s + low
    # Dekker's split overflows for |a| or |b| beyond ~1.3e300: there the plain product-sum is the overflowed
    # (or non-finite) result fma gives, and otherwise within an ulp of it
    finite = np.isfinite(fused)
    return fused if finite.all() else np.where(finite, fused, s)


def _split(x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    t = x * _SPLIT
    hi = t - (t - x)
    return hi, x - hi
