"""SLEEF's float32 ``atan2f_u1`` (``Sleef_atan2f16_u10``, the AVX512 build: fused multiply-adds), bit for bit: what
torch's vectorized ``atan2`` and complex ``angle`` compute in float32. The quotient of the smaller by the larger
magnitude in double-float arithmetic (pairs of float32), a polynomial in its square, the octant's multiple of pi / 2
added as a pair. A fused multiply-add is computed on float64 copies (the product of two float32 is exact there) and
rounded once to float32; NumPy's float32 operations round as SLEEF's vector instructions do."""
from __future__ import annotations

import math
from typing import Any

import numpy as np

_F = np.float32
_D = np.float64
_POLYNOMIAL = tuple(_F(c) for c in (
    -0.00176397908944636583328247, 0.0107900900766253471374512, -0.0309564601629972457885742,
    0.0577365085482597351074219, -0.0838950723409652709960938, 0.109463557600975036621094,
    -0.142626821994781494140625, 0.199983194470405578613281))
_THIRD = _F(-0.333332866430282592773438)
_HALF_PI = _F(1.5707963705062866211), _F(-4.3711388286737928865e-08)  # pi / 2 as a pair
_TINY = _F(2.9387372783541830947e-39)  # below it, x and y are scaled by 2^24 first


def _fma(a: np.ndarray, b: Any, c: Any) -> np.ndarray:
    """``a * b + c`` rounded once to float32."""
    return (a.astype(_D) * b + c).astype(_F)


def _times_sign(x: Any, of: np.ndarray) -> np.ndarray:
    """SLEEF's mulsign: ``x`` with its sign flipped where ``of``'s sign bit is set."""
    return np.where(np.signbit(of), -x, x)


def _atan2_kernel(y: np.ndarray, x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """atan2kf_u1 of non-negative ``y`` and any ``x`` (both exact float32, their pairs' low parts 0): the angle as a
    pair."""
    negative = x < 0
    quadrant = np.where(negative, _F(-2), _F(0))
    x = np.abs(x)  # (x's low part is 0: its sign flip is a no-op)
    steep = x < y
    quadrant = np.where(steep, quadrant + 1, quadrant)
    numerator, denominator = np.where(steep, -x, y), np.where(steep, y, x)
    # dfdiv of (numerator, 0) by (denominator, 0)
    t = _F(1) / denominator
    s = numerator * t
    u = (t.astype(_D) * numerator - s).astype(_F)
    v = (1 - denominator.astype(_D) * t).astype(_F)
    s_low = _fma(s, v, u)
    # dfsqu, then dfnormalize
    square = s * s
    square_low = _fma(s + s, s_low, (s.astype(_D) * s - square).astype(_F))
    tx = square + square_low
    ty = (square - tx) + square_low
    poly = np.full_like(tx, _POLYNOMIAL[0])
    for c in _POLYNOMIAL[1:]:
        poly = _fma(poly, tx, c)
    # dfadd(-1/3, poly * tx) as a pair, times (tx, ty) as pairs
    term = poly * tx
    ax = _THIRD + term
    ay = (_THIRD - ax) + term
    px = tx * ax
    py = _fma(tx, ay, _fma(ty, ax, (tx.astype(_D) * ax - px).astype(_F)))
    # 1 + that, as a pair; times s as pairs
    bx = _F(1) + px
    by = ((_F(1) - bx) + px) + py
    rx = s * bx
    ry = _fma(s, by, _fma(s_low, bx, (s.astype(_D) * bx - rx).astype(_F)))
    # + quadrant * pi / 2 as a pair (dfmul_vf2_vf2_vf, then dfadd_vf2_vf2_vf2)
    mx = _HALF_PI[0] * quadrant
    my = _fma(np.full_like(mx, _HALF_PI[1]), quadrant, (quadrant.astype(_D) * _HALF_PI[0] - mx).astype(_F))
    total = mx + rx
    return total, (((mx - total) + rx) + my) + ry


def _infinite_part(d: np.ndarray, m: np.ndarray) -> np.ndarray:
    """SLEEF's visinf2: ``m`` with ``d``'s sign bit set where ``d`` is infinite, else 0."""
    return np.where(np.isinf(d), np.where(np.signbit(d), -np.abs(m), m), _F(0))


def atan2f(y: np.ndarray, x: np.ndarray) -> np.ndarray:
    """SLEEF's ``atan2f_u1`` of float32 ``y`` and ``x`` (broadcast), with its special values."""
    y, x = np.broadcast_arrays(np.asarray(y, _F), np.asarray(x, _F))
    with np.errstate(all="ignore"):
        tiny = np.abs(x) < _TINY
        if tiny.any():
            x = np.where(tiny, x * _F(1 << 24), x)
            y = np.where(tiny, y * _F(1 << 24), y)
        high, low = _atan2_kernel(np.abs(y), x)
        r = _times_sign(high + low, x)
        special = ~(np.isfinite(x) & np.isfinite(y)) | (x == 0) | (y == 0)
        if special.any():
            half_pi, quarter_pi = _F(math.pi / 2), _F(math.pi / 4)
            r = np.where(np.isinf(x) | (x == 0), half_pi - _infinite_part(x, _times_sign(half_pi, x)), r)
            r = np.where(np.isinf(y), half_pi - _infinite_part(x, _times_sign(quarter_pi, x)), r)
            r = np.where(y == 0, np.where(np.signbit(x), _F(math.pi), _F(0)), r)
            r = np.where(np.isnan(x) | np.isnan(y), _F(math.nan), r)
        return _times_sign(r, y).astype(_F, copy=False)
