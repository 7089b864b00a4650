"""torch.special's Bessel functions: J0, J1, Y0, Y1, the modified I0, I1, K0, K1 (and K0, K1 scaled by e^x)
and Airy's Ai, computed in float64 with NumPy (torch gives them no derivative: results never require grad).

- J and Y: their power series, summed in extended precision (long double) so that the cancellation
  between its terms costs nothing below |x| = 20; Hankel's asymptotic expansion above, where its
  smallest term is below double precision.
- K: the integral K_nu(x) = int_0^inf exp(-x cosh t) cosh(nu t) dt, by the trapezoidal rule, which
  converges exponentially fast for this analytic, doubly exponentially decaying integrand; the asymptotic
  expansion above x = 30.
- Ai: its Maclaurin series (extended precision) near 0, sqrt(x / 3) K_1/3(zeta) / pi for x > 0 and the
  asymptotic expansion for x < -8 (zeta = 2/3 |x|^3/2)."""
from __future__ import annotations

import math

import numpy as np

from .special import _i0, _i1, _special_unary

_EULER = 0.57721566490153286060651209
_SERIES_LIMIT = 20.0
_TERMS = 90  # (x/2)^2k / (k!)^2 at x = 20, k = 90: below 1e-60 of the largest term


# ---- J and Y ------------------------------------------------------------------------------------------------
def _series_j(nu: int, x: np.ndarray) -> np.ndarray:
    """sum_k (-1)^k (x/2)^(2k+nu) / (k! (k+nu)!), in long double."""
    half = np.asarray(x, np.longdouble) / 2
    term = half ** nu / math.factorial(nu)
    total = term.copy()
    for k in range(1, _TERMS):
        term = -term * half * half / (k * (k + nu))
        total += term
    return total


def _series_y(nu: int, x: np.ndarray) -> np.ndarray:
    """Y_nu from J_nu's series and the digamma-weighted one (x > 0): for nu = 0, 1,
    Y_nu = (2/pi) J_nu ln(x/2) - ((nu - 1)! (x/2)^-nu)/pi [nu = 1]
           - (1/pi) sum_k (-1)^k (psi(k+1) + psi(k+nu+1)) (x/2)^(2k+nu) / (k! (k+nu)!)."""
    half = np.asarray(x, np.longdouble) / 2
    term = half ** nu / math.factorial(nu)
    psi_k, psi_k_nu = -_EULER, -_EULER + sum(1.0 / j for j in range(1, nu + 1))
    weighted = term * (psi_k + psi_k_nu)
    for k in range(1, _TERMS):
        term = -term * half * half / (k * (k + nu))
        psi_k += 1.0 / k
        psi_k_nu += 1.0 / (k + nu)
        weighted += term * (psi_k + psi_k_nu)
    result = 2 / np.longdouble(math.pi) * _series_j(nu, x) * np.log(half) - weighted / np.longdouble(math.pi)
    if nu == 1:
        result -= 1 / (np.longdouble(math.pi) * half)
    return result


def _hankel(nu: float, x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """J_nu(x) and Y_nu(x) for large x: sqrt(2/(pi x)) (P cos chi - Q sin chi, P sin chi + Q cos chi),
    chi = x - (nu/2 + 1/4) pi, P and Q the even and odd terms of sum_k a_k(nu) (i/x)^k."""
    mu = 4 * nu * nu
    P, Q = np.ones_like(x), np.zeros_like(x)
    term = np.ones_like(x)
    for k in range(1, 40):
        term = term * (mu - (2 * k - 1) ** 2) / (k * 8 * x)
        if k % 2:
            Q = Q + (term if k % 4 == 1 else -term)
        else:
            P = P + (term if k % 4 == 0 else -term)
    chi = x - (nu / 2 + 0.25) * math.pi
    scale = np.sqrt(2 / (math.pi * x))
    return scale * (P * np.cos(chi) - Q * np.sin(chi)), scale * (P * np.sin(chi) + Q * np.cos(chi))


def _bessel_j(nu: int, x: np.ndarray) -> np.ndarray:
    a = np.abs(x)
    near = a < _SERIES_LIMIT
    series = _series_j(nu, np.where(near, a, 0)).astype(np.float64)
    far = _hankel(nu, np.where(near, _SERIES_LIMIT, a))[0]
    result = np.where(near, series, np.where(np.isinf(a), np.nan, far))  # torch: NaN at infinity
    return np.where(x < 0, -result, result) if nu == 1 else result


def _bessel_y(nu: int, x: np.ndarray) -> np.ndarray:
    near = (x > 0) & (x < _SERIES_LIMIT)
    series = _series_y(nu, np.where(near, x, 1)).astype(np.float64)
    far = _hankel(nu, np.where(near | (x <= 0), _SERIES_LIMIT, x))[1]
    result = np.where(near, series, np.where(np.isinf(x), np.nan, far))
    return np.where(x == 0, -np.inf, np.where(x < 0, np.nan, result))


# ---- K --------------------------------------------------------------------------------------------------
_STEP = 0.05
_NODES = np.arange(0, 800) * _STEP  # up to t = 40: x (cosh t - 1) passes 700 there for every x above 1e-14
_COSH_MINUS_ONE = 2 * np.sinh(_NODES / 2) ** 2
_WEIGHTS = np.where(_NODES == 0, _STEP / 2, _STEP)
_ASYMPTOTIC_LIMIT = 30.0  # above, the integrand is narrower than the rule's step allows; the expansion is exact


def _scaled_k(nu: float, x: np.ndarray) -> np.ndarray:
    """e^x K_nu(x) for x > 0: below 30 the trapezoidal rule on int_0^inf exp(-x (cosh t - 1)) cosh(nu t) dt,
    above it sqrt(pi / 2x) sum_k a_k(nu) / x^k, a_k = prod_j<=k (4 nu^2 - (2j - 1)^2) / (k! 8^k)."""
    near = x < _ASYMPTOTIC_LIMIT
    flat = np.where(near, x, 1.0).reshape(-1, 1)
    integral = np.empty(flat.shape[0])
    cosh_nu = np.cosh(nu * _NODES) * _WEIGHTS
    for start in range(0, flat.shape[0], 4096):  # bounded memory: a block of values at a time
        integral[start:start + 4096] = np.exp(-flat[start:start + 4096] * _COSH_MINUS_ONE) @ cosh_nu
    far = np.where(near, _ASYMPTOTIC_LIMIT, x)
    term, total = np.ones_like(far), np.ones_like(far)
    for k in range(1, 40):
        term = term * (4 * nu * nu - (2 * k - 1) ** 2) / (8 * k * far)
        total = total + term
    return np.where(near, integral.reshape(x.shape), total * np.sqrt(math.pi / (2 * far)))


def _k_domain(value: np.ndarray, x: np.ndarray) -> np.ndarray:
    """K at x = 0 (inf), x < 0 and NaN (nan), +inf (0)."""
    value = np.where(np.isinf(x) & (x > 0), 0.0, value)
    return np.where(x == 0, np.inf, np.where((x < 0) | np.isnan(x), np.nan, value))


_TINY = 1e-14  # below, the rule's nodes end before the integrand does: K's leading terms are exact in double


def _tiny_k(nu: int, x: np.ndarray) -> np.ndarray:
    """K_nu(x) for 0 < x < 1e-14 as torch's Chebyshev form reads there: -log(x/2) I0 - gamma, and
    log(x/2) I1 + 1/x with I1 = x/2 (NaN where x/2 underflows to 0, as torch's)."""
    log_half = np.log(0.5 * x)
    return -log_half - _EULER if nu == 0 else log_half * (0.5 * x) + 1.0 / x


def _with_tiny_k(nu: int, x: np.ndarray, value: np.ndarray, scaled: bool) -> np.ndarray:
    """``value`` (K_nu or e^x K_nu at x) with the leading terms below 1e-14."""
    tiny = (x > 0) & (x < _TINY)
    if not np.any(tiny):
        return value
    small = _tiny_k(nu, np.where(tiny, x, _TINY))
    return np.where(tiny, small * np.exp(np.where(tiny, x, 0.0)) if scaled else small, value)


def _scaled_k_of(nu: int, x: np.ndarray) -> np.ndarray:
    return _with_tiny_k(nu, x, _k_domain(_scaled_k(nu, np.where((x > 0) & np.isfinite(x), x, 1.0)), x), True)


def _k_of(nu: int, x: np.ndarray) -> np.ndarray:
    finite = (x > 0) & np.isfinite(x)
    value = _k_domain(_scaled_k(nu, np.where(finite, x, 1.0)) * np.exp(-np.where(finite, x, 0.0)), x)
    return _with_tiny_k(nu, x, value, False)


# ---- Airy Ai ----------------------------------------------------------------------------------------------
_AI0 = 0.355028053887817239260  # Ai(0)
_AI1 = 0.258819403792806798405  # -Ai'(0)


def _airy_series(x: np.ndarray) -> np.ndarray:
    """Ai(0) f(x) - (-Ai'(0)) g(x), f = 1 + x^3/3! + 1*4 x^6/6! + ..., g = x + 2 x^4/4! + 2*5 x^7/7! + ..."""
    z = np.asarray(x, np.longdouble)
    cube = z * z * z
    f_term: np.ndarray = np.ones_like(z)
    g_term: np.ndarray = z.copy()
    f, g = f_term.copy(), g_term.copy()
    for k in range(1, 80):
        f_term = f_term * cube / ((3 * k - 1) * (3 * k))
        g_term = g_term * cube / ((3 * k) * (3 * k + 1))
        f += f_term
        g += g_term
    return (_AI0 * f - _AI1 * g).astype(np.float64)


def _airy_negative(x: np.ndarray) -> np.ndarray:
    """Ai(-a), a large: pi^-1/2 a^-1/4 (sin(zeta + pi/4) sum (-1)^k u_2k zeta^-2k
    - cos(zeta + pi/4) sum (-1)^k u_(2k+1) zeta^-(2k+1)), u_k = (6k-5)(6k-3)(6k-1) u_(k-1) / ((2k-1) 216 k)."""
    a = -x
    zeta = -2.0 * x * np.sqrt(a) / 3.0  # torch's order of rounding: the phase of a huge |x| depends on it
    even, odd = np.ones_like(a), np.zeros_like(a)
    u, power = 1.0, np.ones_like(a)
    for k in range(1, 30):
        u = u * (6 * k - 5) * (6 * k - 3) * (6 * k - 1) / ((2 * k - 1) * 216 * k)
        power = power / zeta
        sign = -1.0 if (k // 2) % 2 else 1.0
        if k % 2:
            odd = odd + sign * u * power
        else:
            even = even + sign * u * power
    phase = zeta + 0.25 * math.pi
    return 0.5641895835477563 / np.sqrt(np.sqrt(a)) * (np.sin(phase) * even - np.cos(phase) * odd)  # pi^-1/2


def _airy_ai(x: np.ndarray) -> np.ndarray:
    positive = (x > 2) & np.isfinite(x)
    xp = np.where(positive, x, 4.0)
    zeta = 2 / 3 * xp * np.sqrt(xp)
    from_k = np.sqrt(xp / 3) / math.pi * _scaled_k(1 / 3, zeta) * np.exp(-zeta)
    negative = x < -8
    far = _airy_negative(np.where(negative, x, -16.0))
    near = _airy_series(np.where(positive | negative | ~np.isfinite(x), 0.0, x))
    result = np.where(positive, from_k, np.where(negative, far, near))
    return np.where(np.isinf(x) | np.isnan(x), np.nan, result)  # torch's value at infinity


special_bessel_j0 = _special_unary("bessel_j0", lambda x: _bessel_j(0, x), None)
special_bessel_j1 = _special_unary("bessel_j1", lambda x: _bessel_j(1, x), None)
special_bessel_y0 = _special_unary("bessel_y0", lambda x: _bessel_y(0, x), None)
special_bessel_y1 = _special_unary("bessel_y1", lambda x: _bessel_y(1, x), None)
special_modified_bessel_i0 = _special_unary("modified_bessel_i0", _i0, None)
special_modified_bessel_i1 = _special_unary("modified_bessel_i1", _i1, None)
special_modified_bessel_k0 = _special_unary("modified_bessel_k0", lambda x: _k_of(0, x), None)
special_modified_bessel_k1 = _special_unary("modified_bessel_k1", lambda x: _k_of(1, x), None)
special_scaled_modified_bessel_k0 = _special_unary("scaled_modified_bessel_k0", lambda x: _scaled_k_of(0, x), None,
                                                   "x")
special_scaled_modified_bessel_k1 = _special_unary("scaled_modified_bessel_k1", lambda x: _scaled_k_of(1, x), None,
                                                   "x")
special_airy_ai = _special_unary("airy_ai", _airy_ai, None, "x")
