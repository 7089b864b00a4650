"""torch's kernels for the normal distribution's special functions (aten/src/ATen/native/Math.h) in the input's
precision (``typed_math``): erfcx, the quantile ndtri (Cephes) and log_ndtr (SciPy's)."""
from __future__ import annotations

import math

import numpy as np

from . import cephes_tables as C
from .pointwise_math import _erfc64
from .fused import fused_multiply_add
from .typed_math import Typed

_SQRT_PI = math.sqrt(math.pi)
_EXP_MINUS_2 = 0.13533528323661269189
_SQRT_2PI = 2.50662827463100050242  # (Cephes' literal: an ulp above the double math.sqrt(2 * math.pi))


def _erfcx64(x: np.ndarray) -> np.ndarray:
    """exp(x^2) erfc(x) in double: directly below 2, erfc's continued fraction without its exp(-x^2) above."""
    far = x >= 2
    a = np.where(far, x, 2.0)
    f = a.copy()
    for k in range(60, 0, -1):
        f = 0.5 * k / f + a
    fraction = 1 / (_SQRT_PI * f)
    near = np.where(far, 0.0, x)
    return np.where(far, np.where(x == np.inf, 0.0, fraction), np.exp(near * near) * _erfc64(near))


def erfcx(x: np.ndarray) -> np.ndarray:
    """torch's erfcx (Faddeeva's): from 0 to 50 on its double-accurate tables (the float argument's rounding is below
    float's last bit); above 50 the 5-term continued fraction in the type, above 5e7 1 / (x sqrt pi); below 0,
    2 exp(x^2) - erfcx(-x) with 2 exp(x^2) in the type (a float x^2 rounds: several ulps), without erfcx(-x) below
    -6.1, inf below -26.7."""
    m = Typed(x.dtype)
    wide = x.astype(np.float64)
    positive = _erfcx64(np.abs(wide))
    twice_exp = m(2.0) * m.exp(x * x)
    negative = np.where(x < -6.1, twice_exp, twice_exp.astype(np.float64) - positive)
    value = np.where(x < 0, np.where(x < -26.7, np.inf, negative), np.where(x > 50, _erfcx_far(m, x), positive))
    return np.where(np.isnan(x), x, value.astype(x.dtype))


def _erfcx_far(m: Typed, x: np.ndarray) -> np.ndarray:
    """Faddeeva's erfcx above 50: ispi / (x + 0.5 / (x + 1 / (x + 1.5 / (x + 2 / x)))) as a ratio of polynomials,
    whose ``x2 * (...) + c`` torch's compiled kernel fuses (an FMA: the plain products differ in 3% of doubles)."""
    ispi = m(0.56418958354775628694807945156)
    x = np.where(x > 50, x, m(100.0))
    x2 = x * x
    with np.errstate(over="ignore", invalid="ignore"):
        numerator = fused_multiply_add(x2, x2 + m(4.5), m.full(x2, 2.0))
        ratio = ispi * numerator / (x * fused_multiply_add(x2, x2 + m(5.0), m.full(x2, 3.75)))
    return np.where(x > 5e7, ispi / x, ratio)


def ndtri(y0: np.ndarray) -> np.ndarray:
    """Cephes' ndtri as torch's calc_ndtri: a rational function of y - 1/2 within exp(-2) of the middle; in the tails
    (the upper one reflected) x = sqrt(-2 log y), x - log(x)/x minus a rational function of 1/x (one below 8, one
    above). Its polynomials and ``y + y * r`` are fused multiply-adds (``Typed.horner_fused``); its ``::log`` is C's
    double function, so a float input's x and x - log(x)/x are computed in double and rounded once to float."""
    m = Typed(y0.dtype)
    flip = y0 > m(1.0) - m(_EXP_MINUS_2)
    y = np.where(flip, m(1.0) - y0, y0)
    central = y > m(_EXP_MINUS_2)
    yc = np.where(central, y - m(0.5), m(0.0))
    y2 = yc * yc
    ratio = y2 * m.horner_fused(y2, C.NDTRI_P0) / m.horner_fused(y2, C.NDTRI_Q0)
    middle = fused_multiply_add(yc, ratio, yc) * m(_SQRT_2PI)
    yt = np.where(central | (y <= 0), 0.1, y).astype(np.float64)
    x = np.sqrt(-2.0 * np.log(yt)).astype(y0.dtype)
    wide_x = x.astype(np.float64)
    x0 = (wide_x - np.log(wide_x) / wide_x).astype(y0.dtype)
    z = m(1.0) / x
    x1 = np.where(x < m(8.0), z * m.horner_fused(z, C.NDTRI_P1) / m.horner_fused(z, C.NDTRI_Q1),
                  z * m.horner_fused(z, C.NDTRI_P2) / m.horner_fused(z, C.NDTRI_Q2))
    tail = x0 - x1
    value = np.where(central, middle, np.where(flip, tail, -tail))
    value = np.where((y0 < 0) | (y0 > 1), np.nan, value)
    return np.where(y0 == 0, -np.inf, np.where(y0 == 1, np.inf, value)).astype(y0.dtype)


def log_ndtr(x: np.ndarray) -> np.ndarray:
    """log Phi(x) as SciPy's: t = x / sqrt 2; log(erfcx(-t) / 2) - t^2 below -1, log1p(-erfc(t) / 2) above."""
    m = Typed(x.dtype)
    t = x * m(1 / math.sqrt(2))
    lower = x < m(-1.0)
    tl, tu = np.where(lower, t, m(-1.0)), np.where(lower, m(0.0), t)
    below = m.log(erfcx(-tl) / m(2.0)) - tl * tl
    above = m.log1p(-m.erfc(tu) / m(2.0))
    return np.where(lower, below, above)
