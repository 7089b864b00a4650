"""torch's Bessel and Airy kernels (Cephes' rational and Chebyshev approximations, aten/src/ATen/native/Math.h),
step by step in the input's own precision (``typed_math``): J0, J1, Y0, Y1, I0, I1 (and e^-|x| I0, I1), K0, K1
(and e^x K0, K1), Ai and the spherical j0. Each takes and returns a float32 or float64 array."""
from __future__ import annotations

import math

import numpy as np

from . import cephes_tables as C
from .typed_math import Typed, until

_QUARTER_PI = math.pi / 4
_THREE_QUARTER_PI = 3 * math.pi / 4
_SQRT_2_OVER_PI = math.sqrt(2 / math.pi)
_TWO_OVER_PI = 2 / math.pi
_INV_SQRT_PI = 1 / math.sqrt(math.pi)


# ---- J and Y ------------------------------------------------------------------------------------------------
def _hankel(m: Typed, x: np.ndarray, z: np.ndarray, shift: float, tables: tuple, second: bool) -> np.ndarray:
    """Above 5: sqrt(2/(pi x)) (P cos(x - shift) - (5/x) Q sin(x - shift)) for J, (P sin + (5/x) Q cos) for Y;
    P and Q rational in ``z`` (25/x^2)."""
    pp, pq, qp, qq = (m.horner(z, t) for t in tables)
    phase = x - m(shift)
    p, q = pp / pq, m(5.0) / x * (qp / qq)
    if second:
        wave = p * m.sin(phase) + q * m.cos(phase)
    else:
        wave = p * m.cos(phase) - q * m.sin(phase)
    return wave * m(_SQRT_2_OVER_PI) / m.sqrt(x)


def _safe(where: np.ndarray, x: np.ndarray, value: float) -> np.ndarray:
    """``x`` where a branch applies, ``value`` (inside the branch's domain) elsewhere."""
    return np.where(where, x, x.dtype.type(value))


def bessel_j0(x: np.ndarray) -> np.ndarray:
    m = Typed(x.dtype)
    x = np.abs(x)
    near = x <= m(5.0)
    xn = _safe(near, x, 1.0)
    xx = xn * xn
    series = (xx - m(5.78318596294678452118e+00)) * (xx - m(3.04712623436620863991e+01)) * m.horner(
        xx, C.J0_RP) / m.horner(xx, C.J0_RQ)
    series = np.where(xn < m(0.00001), m(1.0) - xx / m(4.0), series)
    xf = _safe(~near, x, 10.0)
    far = _hankel(m, xf, m(25.0) / (xf * xf), _QUARTER_PI, (C.J0_PP, C.J0_PQ, C.J0_QP, C.J0_QQ), False)
    return np.where(near, series, far)


def _j1_positive(m: Typed, x: np.ndarray) -> np.ndarray:
    near = x <= m(5.0)
    xn = _safe(near, x, 1.0)
    xx = xn * xn
    series = m.horner(xx, C.J1_RP) / m.horner(xx, C.J1_RQ) * xn * (xx - m(1.46819706421238932572e+01)) * (
        xx - m(4.92184563216946036703e+01))
    xf = _safe(~near, x, 10.0)
    far = _hankel(m, xf, m(5.0) / xf * (m(5.0) / xf), _THREE_QUARTER_PI, (C.J1_PP, C.J1_PQ, C.J1_QP, C.J1_QQ), False)
    return np.where(near, series, far)


def bessel_j1(x: np.ndarray) -> np.ndarray:
    m = Typed(x.dtype)
    value = _j1_positive(m, np.abs(x))
    return np.where(x < 0, -value, value)


def bessel_y0(x: np.ndarray) -> np.ndarray:
    m = Typed(x.dtype)
    near = x <= m(5.0)
    xn = _safe(near & (x > 0), x, 1.0)
    xx = xn * xn
    series = m.horner(xx, C.Y0_YP) / m.horner(xx, C.Y0_YQ) + (m(_TWO_OVER_PI) * m.log(xn) * bessel_j0(xn))
    xf = _safe(~near, x, 10.0)
    far = _hankel(m, xf, m(25.0) / (xf * xf), _QUARTER_PI, (C.J0_PP, C.J0_PQ, C.J0_QP, C.J0_QQ), True)
    return _y_domain(m, x, near, series, far)


def bessel_y1(x: np.ndarray) -> np.ndarray:
    m = Typed(x.dtype)
    near = x <= m(5.0)
    xn = _safe(near & (x > 0), x, 1.0)
    xx = xn * xn
    series = xn * (m.horner(xx, C.Y1_YP) / m.horner(xx, C.Y1_YQ)) + (
        m(_TWO_OVER_PI) * (_j1_positive(m, xn) * m.log(xn) - m(1.0) / xn))
    xf = _safe(~near, x, 10.0)
    far = _hankel(m, xf, m(5.0) / xf * (m(5.0) / xf), _THREE_QUARTER_PI, (C.J1_PP, C.J1_PQ, C.J1_QP, C.J1_QQ), True)
    return _y_domain(m, x, near, series, far)


def _y_domain(m: Typed, x: np.ndarray, near: np.ndarray, series: np.ndarray, far: np.ndarray) -> np.ndarray:
    """Y at 5 and below: -inf at 0, NaN below it."""
    near_value = np.where(x == 0, -np.inf, np.where(x < 0, np.nan, series)).astype(x.dtype)
    return np.where(near, near_value, far)


# ---- I: exp(|x|) times Chebyshev series on [0, 8] and on 8 / x ----------------------------------------------
def _i_parts(m: Typed, x: np.ndarray, near_table: tuple, far_table: tuple) -> tuple:
    """|x|, whether it is 8 or less, the Chebyshev series at |x|/2 - 2 (there) and at 32/|x| - 2 (above)."""
    a = np.abs(x)
    near = a <= m(8.0)
    an, af = _safe(near, a, 1.0), _safe(~near, a, 16.0)
    return a, near, m.clenshaw(an / m(2.0) - m(2.0), near_table), m.clenshaw(m(32.0) / af - m(2.0), far_table), af


def _odd(x: np.ndarray, value: np.ndarray) -> np.ndarray:
    return np.where(x < 0, -value, value)


def i0(x: np.ndarray) -> np.ndarray:
    """torch.i0 and special.modified_bessel_i0 (the same steps)."""
    m = Typed(x.dtype)
    a, near, series, tail, af = _i_parts(m, x, C.I0_A, C.I0_B)
    return np.where(near, m.exp(a) * series, m.exp(a) * tail / m.sqrt(af))


def i0e(x: np.ndarray) -> np.ndarray:
    m = Typed(x.dtype)
    a, near, series, tail, af = _i_parts(m, x, C.I0_A, C.I0_B)
    return np.where(near, series, tail / m.sqrt(af))


# torch's float kernels of i1 and i1e sum the last 17 and 7 Chebyshev coefficients only (special.modified_bessel_i1
# sums them all)
def _i1_tables(m: Typed, full: bool) -> tuple:
    if full or m.dtype == np.float64:
        return C.I1_A, C.I1_B
    return C.I1_A[-17:], C.I1_B[-7:]


def i1(x: np.ndarray) -> np.ndarray:
    """torch.special.i1: e^|x| |x| A(|x|/2 - 2) up to 8, e^|x| B(32/|x| - 2) / sqrt|x| above, odd."""
    m = Typed(x.dtype)
    a, near, series, tail, af = _i_parts(m, x, *_i1_tables(m, False))
    return _odd(x, np.where(near, m.exp(a) * a * series, m.exp(a) * tail / m.sqrt(af)))


def i1e(x: np.ndarray) -> np.ndarray:
    m = Typed(x.dtype)
    a, near, series, tail, af = _i_parts(m, x, *_i1_tables(m, False))
    return _odd(x, np.where(near, series * a, tail / m.sqrt(af)))


def modified_i1(x: np.ndarray) -> np.ndarray:
    """special.modified_bessel_i1: as i1 with every coefficient, multiplied in another order."""
    m = Typed(x.dtype)
    a, near, series, tail, af = _i_parts(m, x, *_i1_tables(m, True))
    return _odd(x, np.where(near, series * a * m.exp(a), m.exp(a) * tail / m.sqrt(af)))


# ---- K: Chebyshev series in x^2 - 2 up to 2 (with I's logarithmic part), in 8/x - 2 above ----------------------
def _k(x: np.ndarray, order: int, scaled: bool) -> np.ndarray:
    m = Typed(x.dtype)
    near_table, far_table = (C.K0_A, C.K0_B) if order == 0 else (C.K1_A, C.K1_B)
    near = x <= m(2.0)
    xn, xf = _safe(near & (x > 0), x, 1.0), _safe(~near, x, 4.0)
    series = m.clenshaw(xn * xn - m(2.0), near_table)
    if order == 0 and not scaled:
        # torch writes log(0.5 * x) with a double 0.5 here: the logarithmic part is computed in double
        wide = series.astype(np.float64) - np.log(0.5 * xn.astype(np.float64)) * i0(xn).astype(np.float64)
        small = wide.astype(x.dtype)
    elif order == 0:
        small = series - m.log(m(0.5) * xn) * i0(xn)
    else:
        small = m.log(m(0.5) * xn) * modified_i1(xn) + series / xn
    if scaled:
        small = small * m.exp(xn)
    tail = m.clenshaw(m(8.0) / xf - m(2.0), far_table)
    large = tail / m.sqrt(xf) if scaled else m.exp(-xf) * tail / m.sqrt(xf)
    value = np.where(near, small, large)
    return np.where(x == 0, np.inf, np.where(x < 0, np.nan, value)).astype(x.dtype)


def k0(x: np.ndarray) -> np.ndarray:
    return _k(x, 0, False)


def k1(x: np.ndarray) -> np.ndarray:
    return _k(x, 1, False)


def k0e(x: np.ndarray) -> np.ndarray:
    return _k(x, 0, True)


def k1e(x: np.ndarray) -> np.ndarray:
    return _k(x, 1, True)


# ---- Airy Ai ----------------------------------------------------------------------------------------------
_AI0 = 0.355028053887817239260  # Ai(0)
_AI1 = 0.258819403792806798405  # -Ai'(0)


def _airy_series(m: Typed, x: np.ndarray) -> np.ndarray:
    """Ai(0) f(x) - (-Ai'(0)) g(x), f = 1 + x^3/3! + 1*4 x^6/6! + ..., g = x + 2 x^4/4! + ..., summed until a
    term of f is below the type's epsilon relative to f."""
    z = x * x * x
    one = m(1.0)

    def step(f: np.ndarray, g: np.ndarray, k: np.ndarray, a: np.ndarray, b: np.ndarray, t: np.ndarray) -> tuple:
        a = a * z
        k = k + one
        a = a / k
        b = b * z
        k = k + one
        b = b / k
        a = a / k
        f = f + a
        k = k + one
        b = b / k
        g = g + b
        return f, g, k, a, b, np.abs(a / f)

    ones = m.full(x, 1.0)
    f, g, *_ = until(lambda *s: ~(s[5] > m.eps), step, (ones, x.copy(), ones, ones, x.copy(), ones))
    return m(_AI0) * f - m(_AI1) * g


def _airy_negative(m: Typed, x: np.ndarray) -> np.ndarray:
    """Ai(x) below -2.09: its modulus and phase, rational in z = 1 / zeta (zeta = 2/3 |x|^3/2)."""
    zeta = m(-2.0) * x * m.sqrt(-x) / m(3.0)
    z = m(1.0) / zeta
    zz = z * z
    t = zeta + m(0.25) * m(math.pi)
    modulus = m(1.0) + zz * m.horner(zz, C.AIRY_AFN) / m.horner(zz, C.AIRY_AFD)
    phase = z * m.horner(zz, C.AIRY_AGN) / m.horner(zz, C.AIRY_AGD)
    return m(_INV_SQRT_PI) / m.sqrt(m.sqrt(-x)) * (m.sin(t) * modulus - m.cos(t) * phase)


def _airy_positive(m: Typed, x: np.ndarray) -> np.ndarray:
    """Ai(x) from 2.09: e^-zeta / (2 sqrt(pi) x^1/4) times a rational function of 1 / zeta."""
    zeta = m(2.0) * x * m.sqrt(x) / m(3.0)
    w = m(1.0) / zeta
    ratio = m.horner(w, C.AIRY_AN) / m.horner(w, C.AIRY_AD)
    return m(_INV_SQRT_PI) * ratio / (m(2.0) * m.sqrt(m.sqrt(x)) * m.exp(zeta))


def airy_ai(x: np.ndarray) -> np.ndarray:
    m = Typed(x.dtype)
    negative = x < m(-2.09)
    positive = x >= m(2.09)
    series = _airy_series(m, _safe(~(negative | positive), x, 0.0))
    value = np.where(negative, _airy_negative(m, _safe(negative, x, -4.0)),
                     np.where(positive, _airy_positive(m, _safe(positive, x, 4.0)), series))
    value = np.where(x > m(103.892), m(0.0), value)
    return np.where(np.isinf(x), np.nan, value).astype(x.dtype)


# ---- spherical j0 ---------------------------------------------------------------------------------------------
_J0_SPHERICAL_DIVISORS = (6.0, 120.0, 5040.0, 362880.0, 39916800.0, 6227020800.0)


def spherical_bessel_j0(x: np.ndarray) -> np.ndarray:
    """sin(x) / x; below 1/2 its Taylor polynomial in x^2 (coefficients (-1)^k / (2k+1)!, divided in T); 0 at
    infinity."""
    m = Typed(x.dtype)
    near = np.abs(x) < m(0.5)
    xx = x * x
    coefficients = [m(-1.0 if i % 2 == 0 else 1.0) / m(d) for i, d in enumerate(_J0_SPHERICAL_DIVISORS)]
    poly = np.full(x.shape, coefficients[-1])
    for c in reversed(coefficients[:-1]):
        poly = c + xx * poly
    taylor = m(1.0) + xx * poly
    xf = _safe(~near, x, 1.0)
    value = np.where(near, taylor, m.sin(xf) / xf)
    return np.where(np.isinf(x), m(0.0), value)
