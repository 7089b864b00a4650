"""Special functions NumPy lacks (log-gamma, digamma and polygamma, Hurwitz zeta, modified Bessel functions,
the normal distribution's tails, regularized incomplete gamma), computed in float64 by series, asymptotic
expansions and continued fractions as Cephes does, and declared as ops with torch's derivatives.

torch's top-level names (lgamma, digamma, polygamma, mvlgamma, i0, sinc, logit, igamma, igammac) are op
records; torch.special's own functions (``special_<name>``) are records too; ``minitorch/special.py`` is the
namespace."""
from __future__ import annotations

import functools
import math
import re
from typing import Any, Callable

import numpy as np

from .. import _dtype as D
from .._creation import _arange_size, check_arange_kernel
from .._rng import libm
from .._tensor import Tensor
from ..autograd.recording import OpDef, defop, has_memory_to_write, record, record_inplace, untraced
from . import bessel_kernels, normal_kernels
from .complex_product import complex_product, complex_quotient
from .cpu_loops import AVX512_BLOCK_BYTES, by_lanes, on_scalar_lanes
from .dims import broadcast_pair
from .inplace import check_cast
from .pointwise import FLOAT, binary, unary, where
from .promotion import as_array, operand_key, promoted, to_float
from .pointwise_math import _erfc64, _in_own_dtype
from .registry import adopt, op, special_op
from .result_layout import record_elementwise, torch_layout
from .scalar_cast import checked_scalar, wrapped_int64
from .scalar_overloads import add_scalar, mul_scalar
from .typed_math import Typed

_SQRT_PI = math.sqrt(math.pi)
_LOG_PI = math.log(math.pi)


def _native(kernel: Callable) -> Callable:
    """A kernel over any float array, computing in its precision (float16 and bfloat16 in float32) as torch's
    templated kernels do (``typed_math``), answering in its dtype, without NumPy's warnings for the infinities it
    makes."""
    def apply(x: np.ndarray) -> np.ndarray:
        with np.errstate(all="ignore"):
            return kernel(np.asarray(x, np.promote_types(x.dtype, np.float32)))
    return _in_own_dtype(apply)


def _native_in_dtype(kernel: Callable) -> Callable:
    """A kernel over a float16/bfloat16 array computing in that type's own arithmetic, answering in it."""
    def apply(x: np.ndarray) -> np.ndarray:
        with np.errstate(all="ignore"):
            return np.asarray(kernel(x)).astype(x.dtype)
    return apply


def _lgamma_native(x: np.ndarray) -> np.ndarray:
    return Typed(x.dtype).lgamma(x)


# ---- gamma family -------------------------------------------------------------------------------------
def _lgamma(x: np.ndarray) -> np.ndarray:
    """log|Gamma(x)| by libm's lgamma in double (poles: inf)."""
    return libm.apply(libm.lgamma, x.ravel()).reshape(x.shape)


# torch's calc_digamma: its asymptotic series' coefficients (highest power first) and psi(10)
_DIGAMMA_SERIES = (8.33333333333333333333E-2, -2.10927960927960927961E-2, 7.57575757575757575758E-3,
                   -4.16666666666666666667E-3, 3.96825396825396825397E-3, -8.33333333333333333333E-3,
                   8.33333333333333333333E-2)
_PSI_10 = 2.25175258906672110764


def _digamma(x: np.ndarray) -> np.ndarray:
    """psi(x) as torch's calc_digamma, in x's precision (float32 or float64): below 0 the reflection psi(1 - x) -
    pi / tan(pi r), r the fractional part (in double), then psi(x) = psi(x + 1) - 1/x up to 10, then the
    asymptotic series ln x - 1/(2x) - z P(z), z = 1/x^2 (none from 1e17 on)."""
    t = x.dtype.type
    reflect = x < 0
    y = np.where(reflect, t(1) - x, x)
    result = np.zeros_like(y)
    for _ in range(10):  # one step takes any positive y to 1 or more
        small = y < 10
        result = np.where(small, result - t(1) / y, result)
        y = np.where(small, y + t(1), y)
    z = t(1) / (y * y)
    poly = np.full_like(y, _DIGAMMA_SERIES[0])
    for c in _DIGAMMA_SERIES[1:]:
        poly = poly * z + t(c)
    series = np.where(y < t(1e17), z * poly, t(0))
    log = np.log(y.astype(np.float64)).astype(y.dtype)  # logf is correctly rounded, NumPy's float32 log is not
    psi = np.where(y == 10, result + t(_PSI_10), result + log - t(0.5) / y - series)
    fraction = np.modf(x.astype(np.float64))[0]
    psi = np.where(reflect, psi - (math.pi / np.tan(math.pi * fraction)).astype(x.dtype), psi)
    pole = (x <= 0) & (x == np.trunc(x))
    return np.where(pole, np.where(x == 0, -np.copysign(t(np.inf), x), t(np.nan)), psi)  # psi(-0) = +inf


_ZETA_A = (12.0, -720.0, 30240.0, -1209600.0, 47900160.0, -1.8924375803183791606e9, 7.47242496e10,
           -2.950130727918164224e12, 1.1646782814350067249e14, -4.5979787224074726105e15,
           1.8152105401943546773e17, -7.1661652561756670113e18)  # (2k)! / B_2k


_ZETA_SHARED_TERMS = 10000  # the direct terms taken for every element together
_MACHEP = 2.0 ** -53


def _zeta(s: np.ndarray, q: np.ndarray, scalar_type: type = np.float64) -> np.ndarray:
    """Hurwitz zeta sum_k (k + q)^-s (Cephes): nine terms of the sum, then Euler-Maclaurin's tail, in double;
    the first term q^-s is torch's pow of the scalar type (a float overflows or underflows sooner)."""
    s, q = np.broadcast_arrays(s, q)
    total = (q ** -s).astype(scalar_type).astype(np.float64)
    a = q + 1
    finite_q = q[np.isfinite(q)]
    # at least nine terms, and enough that the tail starts beyond 9 (where its expansion is accurate)
    steps = max(9, min(_ZETA_SHARED_TERMS, int(math.ceil(10 - finite_q.min())))) if finite_q.size else 9
    for _ in range(steps - 1):
        total += a ** -s
        a = a + 1
    # a q further below 0 needs its own terms up to 9 (where the pole's neighbours are, which dominate), added
    # in order as torch's loop does; an integral q or s is answered below without them
    flat_s, flat_q, flat_total, flat_a = s.reshape(-1), q.reshape(-1), total.reshape(-1), a.reshape(-1)
    for i in np.flatnonzero((flat_q + steps <= 9) & (flat_q != np.floor(flat_q)) & (flat_s == np.floor(flat_s))):
        terms = int(math.ceil(10 - flat_q[i]))
        for start in range(steps, terms, 1 << 20):
            chunk = (np.arange(start, min(start + (1 << 20), terms)) + flat_q[i]) ** -flat_s[i]
            flat_total[i] = np.cumsum(np.concatenate([[flat_total[i]], chunk]))[-1]
        flat_a[i] = flat_q[i] + terms
    w = a
    total += w ** (1 - s) / (s - 1) + 0.5 * w ** -s
    factor, power = np.ones(s.shape), w ** -s
    k = 0.0
    converged = np.zeros(s.shape, bool)  # Cephes stops at a term below double's epsilon (before an inf * 0)
    for coefficient in _ZETA_A:
        factor = factor * (s + k)
        power = power / w
        term = factor * power / coefficient
        total = np.where(converged, total, total + term)
        converged |= np.abs(term / total) < _MACHEP
        factor = factor * (s + k + 1)
        power = power / w
        k += 2
    # torch's early answers, in its order (the first that holds decides): s = 1, s < 1, then q <= 0; an
    # infinite s or q ends its sum at once: q^-inf is inf, 1 or (its tail being 0 * inf) nan
    bad_q = q <= 0
    total = np.where(s == np.inf, np.where(q < 1, np.inf, np.where(q == 1, 1.0, np.nan)), total)
    total = np.where(q == np.inf, np.nan, total)
    total = np.where(bad_q & (q == np.floor(q)), np.inf, np.where(bad_q & (s != np.floor(s)), np.nan, total))
    return np.where(s == 1, np.inf, np.where(s < 1, np.nan, total))


def _trigamma(x: np.ndarray) -> np.ndarray:
    """psi^(1)(x) by torch's own scheme in x's precision (its values, to the last bits and at the poles): the
    reflection -(pi / sin(pi x))^2 below 1/2, six steps of psi1(x) = psi1(x + 1) + 1/x^2, then the asymptotic
    series."""
    m = Typed(x.dtype)
    reflect = x < m(0.5)
    sin_pi_x = m.sin(m(math.pi) * x)
    result = np.where(reflect, -(m(math.pi) * m(math.pi)) / (sin_pi_x * sin_pi_x), m(0.0))
    y = np.where(reflect, m(1.0) - x, x)
    for _ in range(6):
        result = result + m(1.0) / (y * y)
        y = y + m(1.0)
    inv2 = m(1.0) / (y * y)
    sixth, thirtieth, fortysecond = m(1.0) / m(6.0), m(1.0) / m(30.0), m(1.0) / m(42.0)
    result = result + (m(1.0) + m(1.0) / (m(2.0) * y) + inv2 * (sixth - inv2 * (thirtieth - inv2 * fortysecond))) / y
    return np.where(reflect, -result, result)


def _polygamma(n: int, x: np.ndarray, zeta_dtype: np.dtype | None = None) -> np.ndarray:
    """psi^(n)(x) = (-1)^(n+1) n! zeta(n + 1, x) for n >= 1. ``zeta_dtype``: the dtype zeta answers in (torch's
    zeta<scalar_t> returns a float16/bfloat16 input's own type, then multiplied by the float n!), else ``x``'s."""
    if n == 0:
        return _digamma(x)
    # torch's kernel takes n as a C int (a larger n wraps); its n!, exp(lgamma(n + 1)), is inf past float64's range
    # and at lgamma's poles (a wrapped negative n)
    n = (n + 2 ** 31) % 2 ** 32 - 2 ** 31
    m = Typed(x.dtype)
    factor = m.exp(m.lgamma(np.asarray(m(n) + m(1.0))))
    zeta = _zeta(np.full(x.shape, float(m(n + 1))), x.astype(np.float64), m.type).astype(zeta_dtype or x.dtype)
    return m(1.0 if n % 2 else -1.0) * factor * zeta


# ---- incomplete gamma ---------------------------------------------------------------------------------------
# Temme's uniform expansion of Q(a, x) near x = a: Q = erfc(eta sqrt(a/2)) / 2 + e^(-a eta^2/2) / sqrt(2 pi a)
# (c0(eta) + c1(eta) / a + ...), 1/2 eta^2 = s - log1p(s), s = x/a - 1; c0 = 1/s - 1/eta and
# c1 = 1/eta^3 - 1/s^3 - 1/s^2 - 1/(12 s) as their Taylor series in eta (the closed forms cancel near 0),
# whose coefficients were derived here with mpmath
_TEMME_C0 = (-1 / 3, 1 / 12, -2 / 135, 1 / 864, 1 / 2835, -139 / 777600, 3.9192631785224378e-5)
_TEMME_C1 = (-1 / 540, -1 / 288, 1 / 378, -77 / 77760, 1 / 4860, -4.0187757201646091e-7, -1.8098550334489978e-5)
# where the series and continued fraction below need more than their 400 terms, the expansion to c1 is within
# double's precision: torch's asymptotic window (|x - a| / a < 4.5 / sqrt(a)) from a = 2000 on
_TEMME_FROM = 2000.0


def _log1p_minus(s: np.ndarray) -> np.ndarray:
    """log1p(s) - s without its cancellation near 0 (|s| < 0.2: its Taylor series)."""
    near = np.abs(s) < 0.2
    t = np.where(near, s, 0.0)
    series = sum((-1) ** (k + 1) * t ** k / k for k in range(2, 28))
    return np.where(near, series, np.log1p(np.where(near, 0.0, s)) - s)


def _igamma_temme(a: np.ndarray, x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """P(a, x) and Q(a, x) by Temme's expansion (for a >= 2000 and x within 4.5 sqrt(a) of a)."""
    s = (x - a) / a
    eta = np.sign(s) * np.sqrt(-2 * _log1p_minus(s))
    c0, c1 = (np.polyval(c[::-1], eta) for c in (_TEMME_C0, _TEMME_C1))
    rest = np.exp(-a * eta * eta / 2) / np.sqrt(2 * math.pi * a) * (c0 + c1 / a)
    scaled = eta * np.sqrt(a / 2)
    return 0.5 * _erfc64(-scaled) - rest, 0.5 * _erfc64(scaled) + rest


@functools.cache
def _lgamma1p_series() -> tuple[float, ...]:
    """log Gamma(1 + a) = -euler_gamma a + sum_k>=2 (-1)^k zeta(k) a^k / k: the coefficients, k = 2, 3, ... (made on
    first use: 30 zeta evaluations were a few ms of ``import minitorch``)."""
    return tuple((-1) ** k * float(_zeta(np.array(float(k)), np.array(1.0))) / k for k in range(2, 32))


_EULER_GAMMA = 0.57721566490153286061


def _lgamma1p(a: np.ndarray) -> np.ndarray:
    """log Gamma(1 + a), also for a so small that 1 + a would round it away: the Taylor series below 0.2."""
    small = np.abs(a) < 0.2
    t = np.where(small, a, 0.0)
    series = sum(c * t ** k for k, c in enumerate(_lgamma1p_series(), 2)) - _EULER_GAMMA * t
    return np.where(small, series, _lgamma(np.where(small, 1.0, 1 + a)))


def _igammac_small_a(a: np.ndarray, x: np.ndarray) -> np.ndarray:
    """Q(a, x) for x <= 1.1 and a not much above x (DLMF 8.7.3): 1 - x^a / Gamma(1 + a) - x^a / Gamma(a)
    sum_n>=1 (-x)^n / (n! (a + n)); its first part by expm1, so that a tiny Q is not lost to 1 - P."""
    total, factor = np.zeros_like(x), np.ones_like(x)
    for n in range(1, 40):
        factor = factor * -x / n
        total = total + factor / (a + n)
    log_x = np.log(x)
    return -np.expm1(a * log_x - _lgamma1p(a)) - np.exp(a * log_x - _lgamma(a)) * total


def _igamma_pair(a: np.ndarray, x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Regularized P(a, x) and Q(a, x): P's series where x < a + 1 (Q by DLMF 8.7.3 where a is small there), Q's
    continued fraction (modified Lentz) elsewhere, each with the prefactor x^a e^-x / Gamma(a)."""
    a, x = np.broadcast_arrays(a, x)
    valid = (a > 0) & (x > 0) & np.isfinite(x)
    aa, xx = np.where(valid, a, 1.0), np.where(valid, x, 1.0)
    log_prefix = aa * np.log(xx) - xx - _lgamma(aa)
    series_side = xx < aa + 1
    # series: P = prefix / a * sum_k x^k / ((a+1)...(a+k)), prefix / a as x^a e^-x / Gamma(1 + a) (1 / a
    # overflows for a subnormal a)
    term = np.ones_like(aa)
    total = term.copy()
    denominator = aa.copy()
    for _ in range(400):
        denominator = denominator + 1
        term = term * xx / denominator
        total = total + term
    p_series = np.exp(aa * np.log(xx) - xx - _lgamma1p(aa)) * total
    # continued fraction for Q (Numerical Recipes' gcf)
    tiny = 1e-300
    b = xx + 1 - aa
    c = np.full(b.shape, 1 / tiny)
    d = 1 / b
    h = d.copy()
    for i in range(1, 400):
        an = -i * (i - aa)
        b = b + 2
        d = an * d + b
        d = np.where(np.abs(d) < tiny, tiny, d)
        c = b + an / c
        c = np.where(np.abs(c) < tiny, tiny, c)
        d = 1 / d
        h = h * d * c
    q_fraction = np.exp(log_prefix) * h
    # Q of a small a by its own series where 1 - P would cancel (the region of torch's calc_igammac)
    small_a = (xx <= 1.1) & np.where(xx <= 0.5, -0.4 / np.log(xx) >= aa, xx * 1.1 >= aa)
    P = np.where(series_side, p_series, 1 - q_fraction)
    Q = np.where(series_side, np.where(small_a, _igammac_small_a(aa, xx), 1 - p_series), q_fraction)
    near = (aa >= _TEMME_FROM) & (np.abs(xx - aa) < 4.5 * np.sqrt(aa))
    if near.any():
        P_near, Q_near = _igamma_temme(np.where(near, aa, _TEMME_FROM), np.where(near, xx, _TEMME_FROM))
        P, Q = np.where(near, P_near, P), np.where(near, Q_near, Q)
    # the edges, tested in torch's order (calc_igamma): the first that holds decides, NaN falling through
    # the comparisons; the computed values for the rest (NaN if either is NaN)
    nan = np.nan
    edges = [(a < 0) | (x < 0), a == 0, x == 0, np.isinf(a), np.isinf(x)]
    either_nan = np.isnan(a) | np.isnan(x)
    P = np.select(edges, [nan, np.where(x > 0, 1.0, nan), 0.0, np.where(np.isinf(x), nan, 0.0), 1.0],
                  np.where(either_nan, nan, P))
    Q = np.select(edges, [nan, np.where(x > 0, 0.0, nan), 1.0, np.where(np.isinf(x), nan, 1.0), 0.0],
                  np.where(either_nan, nan, Q))
    return P, Q


# ---- ops: torch's top-level names ---------------------------------------------------------------------------
LGAMMA = unary("lgamma", _native(_lgamma_native), lambda grad, self: grad * self.digamma(), kind=FLOAT)
DIGAMMA = unary("digamma", _native(_digamma), lambda grad, self: grad * self.polygamma(1), kind=FLOAT)
I0 = unary("i0", _native(bessel_kernels.i0), lambda grad, self: grad * special_i1(self), kind=FLOAT)


def _sinc_vjp(grad: Tensor, self: Tensor) -> Tensor:
    """(pi x cos(pi x) - sin(pi x)) / (pi x^2), 0 where pi x^2 is 0 (also where it underflows, as torch's)."""
    px = mul_scalar(self, math.pi)
    denominator = mul_scalar(self * self, math.pi)
    # torch's compiled formula makes sin before cos, and multiplies grad by the quotient: the order its backward
    # sums px's gradients in (cos's tiny term lost to 1 before sin's -1 cancels it: 0 at a tiny x, as torch's)
    sine = px.sin()
    return where(denominator == 0, grad.new_zeros(()), grad * ((px * px.cos() - sine) / denominator).conj())


def _sinc(x: np.ndarray) -> np.ndarray:
    """sin(pi x) / (pi x) in the input's precision, as torch's kernel (pi x overflows a float32 to inf: NaN); a
    complex x's product and quotient c10's (the quotient fused: NumPy's differed in ~30%)."""
    if x.dtype.kind == "c":
        product = complex_product(x.dtype.type(math.pi), x)
        return np.where(x == 0, x.dtype.type(1), complex_quotient(np.sin(product), product))
    product = x.dtype.type(math.pi) * x
    return np.where(x == 0, x.dtype.type(1), np.sin(product) / product)


SINC = unary("sinc", _native(_sinc), _sinc_vjp, kind=FLOAT, complex_vjps=True)


def _polygamma_vjp(grad: Tensor, self: Tensor, n: int) -> Tensor:
    # (torch's n + 1 is an int64: the largest n wraps to a negative order, which polygamma refuses)
    return grad * self.polygamma(int(wrapped_int64(n + 1)))


POLYGAMMA = defop("polygamma", ("self",), {"self": _polygamma_vjp}, widen=False)


@op("polygamma(int64_t n, Tensor input, *, Tensor out=None)")
def polygamma(n: int, input: Tensor) -> Tensor:
    if n < 0:
        raise RuntimeError("polygamma(n, x) does not support negative n.")
    data = input._data if input.dtype.category == D.FLOATING else input._data.astype(D.get_default_dtype().np)
    reduced = data.dtype if data.dtype in D.REDUCED_NP else None
    kernel = _native(_trigamma) if n == 1 else _native(lambda x: _polygamma(n, x, reduced))
    return record(POLYGAMMA, kernel(data), (input,), {"n": n})


POLYGAMMA_INPLACE = defop("polygamma", ("self",), {"self": _polygamma_vjp}, "PolygammaBackward1", widen=False)


def _polygamma_inplace(self: Tensor, n: int) -> Tensor:
    """Tensor.polygamma_(n): torch records the in-place overload as a node of its own; its internal-overlap check
    comes after n's and before the result's dtype is checked against the tensor's."""
    result = polygamma(n, self.detach())
    has_memory_to_write(self)  # (TensorIterator's check of its output: after n's, before the result's dtype)
    check_cast(result.dtype, self.dtype)
    return record_inplace(POLYGAMMA_INPLACE, self, result._data, (self,), {"n": n})


@op(method=["polygamma(int64_t n)"], inplace=_polygamma_inplace)
def polygamma_method(self: Tensor, n: int) -> Tensor:
    """Tensor.polygamma(n): the tensor comes first."""
    return polygamma(n, self)


def _mvlgamma_offsets(p: int, dtype: D.dtype) -> Tensor:
    """torch's ``arange(-p/2 + 1/2, 1/2, 1/2)`` in ``dtype``: the p arguments' offsets from x, ascending."""
    return Tensor._make((np.arange(1 - p, 1) / 2).astype(dtype.np))


def _mvlgamma_vjp(grad: Tensor, self: Tensor, p: int) -> Tensor:
    # (torch's mvlgamma_backward adds x to the offsets: the offsets are the sum's first operand in its graph)
    return grad * _mvlgamma_offsets(p, self.dtype).add(self.unsqueeze(-1)).digamma().sum(-1)


MVLGAMMA = defop("mvlgamma", ("self",), {"self": _mvlgamma_vjp}, widen=False)  # (a composite formula: each step rounds)


def _mvlgamma_inplace(self: Tensor, p: int) -> Tensor:
    """Tensor.mvlgamma_: the op's checks, then its own dtype check (before the overlap check); its message names
    self's dtype and the result's."""
    result = mvlgamma(self, p)
    if not D.can_cast(result.dtype, self.dtype):
        raise RuntimeError("mvlgamma: result type %s can't be cast to the desired output type %s"
                           % (self.dtype._cast_name, result.dtype._cast_name))
    return adopt(self, result)


def _mvlgamma_out(positional: list, keywords: dict, out: Tensor) -> None:
    """mvlgamma's out=: its result (of the dtype the op computes in) must cast to out's, else a message naming the
    input's dtype and the result's (after the op's own errors)."""
    input, p = positional
    if input.dtype is D.bool or p < 1:
        return
    dtype = _mvlgamma_dtype(input)
    if not D.can_cast(dtype, out.dtype):
        raise RuntimeError("mvlgamma: result type %s can't be cast to the desired output type %s"
                           % (input.dtype._cast_name, dtype._cast_name))


def _mvlgamma_dtype(input: Tensor) -> D.dtype:
    return input.dtype if input.dtype.category >= D.FLOATING else D.get_default_dtype()  # (an integral one: float)


@op("mvlgamma(Tensor input, int64_t p, *, Tensor out=None)", method=True, inplace=_mvlgamma_inplace,
    out_rule=_mvlgamma_out)
def mvlgamma(input: Tensor, p: int) -> Tensor:
    """log of the multivariate gamma: p(p-1)/4 log pi + sum_i lgamma(x - i/2)."""
    if input.dtype is D.bool:
        raise RuntimeError("The input tensor may not be a boolean tensor.")
    if p < 1:
        raise RuntimeError("p has to be greater than or equal to 1")
    dtype = _mvlgamma_dtype(input)
    # torch sums over arange(-p/2 + 1/2, 1/2, 1/2) in that dtype: its kernel's refusal (float8), then its size errors
    check_arange_kernel(dtype)
    _arange_size(-p * 0.5 + 0.5, 0.5, 0.5)
    # torch's composition, each step rounded in the dtype (float16's x - 1 can round to the pole at -1)
    args = Tensor._make(input._data).unsqueeze(-1) + _mvlgamma_offsets(p, dtype)
    data = args.lgamma().sum(-1).add(p * (p - 1) * _LOG_PI / 4)
    return record(MVLGAMMA, data._data, (input,), {"p": p})


def _logit_vjp(grad: Tensor, self: Tensor, eps: float | None) -> Tensor:
    """torch's two backwards, which part where x or eps is NaN: its kernel (no graph kept, ``_logit_backward_kernel``)
    and its differentiable formula (create_graph), which keeps the slope only inside [eps, 1 - eps] (without eps: NaN
    outside [0, 1])."""
    if untraced():
        return _logit_backward_kernel(grad, self, eps)
    slope = grad / (self * (1 - self))
    if eps is None:
        return slope.where((self >= 0) & (self <= 1), float("nan"))
    return slope.where((self >= eps) & (self <= 1 - eps), 0.0)


def _logit_backward_kernel(grad: Tensor, self: Tensor, eps: float | None) -> Tensor:
    """torch's logit_backward kernel, in the input's dtype (eps read in it too): an eps below 0 is no eps (the slope
    is NaN outside [0, 1]), else the slope is 0 outside [eps, 1 - eps]. Its scalar lambda makes the slope at 0 and 1
    grad * inf (inf of grad's sign at -0 as well) and keeps a NaN x's or eps's NaN slope; its vectorized body divides
    there too (-inf at -0) and, with an eps, keeps the slope only where x is inside [eps, 1 - eps], so a NaN x or eps
    gives 0 (measured on AVX2)."""
    x, g = self._data, grad._data
    t = x.dtype.type
    lo = None if eps is None else t(eps)
    no_eps = lo is None or lo < 0

    def vectorized(g: np.ndarray, x: np.ndarray) -> np.ndarray:
        slope = g / (x * (t(1) - x))
        if no_eps:
            return np.where((x < 0) | (x > 1), t(np.nan), slope)
        return np.where((x >= lo) & (x <= t(1) - lo), slope, t(0))

    def scalar(g: np.ndarray, x: np.ndarray) -> np.ndarray:
        slope = np.where((x == 0) | (x == 1), g * t(np.inf), g / (x * (t(1) - x)))
        if no_eps:
            return np.where((x < 0) | (x > 1), t(np.nan), slope)
        return np.where((x < lo) | (x > t(1) - lo), t(0), slope)

    with np.errstate(all="ignore"):
        slopes = by_lanes(vectorized, scalar, (g, x), x.itemsize, AVX512_BLOCK_BYTES)
    return Tensor._make(slopes.astype(x.dtype, copy=False))


LOGIT = defop("logit", ("self",), {"self": _logit_vjp}, widen=False)  # (torch rounds each step in half, as measured)


def _logit_inplace(self: Tensor, eps: float | None = None) -> Tensor:
    """Tensor.logit_: torch checks self's memory (TensorIterator's overlap check), then that the floating result fits
    self's dtype, before it reads eps."""
    has_memory_to_write(self)
    check_cast(self.dtype if self.dtype.category == D.FLOATING else D.get_default_dtype(), self.dtype)
    return adopt(self, logit(self, eps))


@op("logit(Tensor input, double? eps=None, *, Tensor out=None)", method=True, inplace=_logit_inplace)
def logit(input: Tensor, eps: float | None = None) -> Tensor:
    dt = input.dtype if input.dtype.category == D.FLOATING else D.get_default_dtype()
    # (torch's vectorized kernel rounds each step of a float16/bfloat16 input: 1 - x, the quotient, its log)
    data = input._data.astype(dt.np, copy=False)
    if eps is not None:  # the kernel reads eps in the result's dtype (float32 reads -1e-300 as -0.0)
        checked_scalar(eps, dt)
        eps = float(np.asarray(eps).astype(dt.np))
    if eps is not None and not eps < 0:  # torch's x < lo ? lo : (x > hi ? hi : x): a NaN bound clamps nothing
        data = np.where(data < eps, data.dtype.type(eps), np.where(data > 1 - eps, data.dtype.type(1 - eps), data))
    with np.errstate(all="ignore"):
        return record_elementwise(LOGIT, np.log(data / (1 - data)).astype(dt.np, copy=False), (input,), {"eps": eps})


def _not_implemented(what: str) -> Callable:
    def vjp(grad: Tensor) -> Tensor:
        raise NotImplementedError("the derivative for '%s' is not implemented." % what)
    return vjp


def _igamma_other_vjp(grad: Tensor, self: Tensor, other: Tensor) -> Tensor:
    """d/dx P(a, x) = x^(a-1) e^-x / Gamma(a), its operands computed in the order torch's compiled formula computes
    them (right to left: which kernel a float8 operand's error names)."""
    lgamma_self = self.lgamma()
    log_other = other.log()
    return grad * ((self - 1) * log_other - other - lgamma_self).exp()


def _igamma_kernel(which: int) -> Callable:
    def kernel(a: Any, x: Any) -> np.ndarray:
        a, x = np.asarray(a), np.asarray(x)
        with np.errstate(all="ignore"):
            return _igamma_pair(a.astype(np.float64), x.astype(np.float64))[which].astype(a.dtype)
    return kernel


def _floating_only(kernel: str) -> Callable:
    """torch has igamma/igammac kernels for floating dtypes only (a ``validate`` of the operands' common dtype, which
    is not promoted to a float: an integral self in place is refused by the kernel, not by the cast check)."""
    def validate(dtype: D.dtype, other: Any) -> None:
        if dtype.category != D.FLOATING:
            raise NotImplementedError("\"%s\" not implemented for '%s'" % (kernel, dtype._cast_name))
    return validate


IGAMMA = binary("igamma", _igamma_kernel(0),
                {"self": _not_implemented("igamma: input"), "other": _igamma_other_vjp},
                signatures=("{0}(Tensor input, Tensor other, *, Tensor out=None)",), method=("{0}(Tensor other)",),
                validate=_floating_only("igamma_cpu"))
IGAMMAC = binary("igammac", _igamma_kernel(1),
                 {"self": _not_implemented("igammac: input"),
                  "other": lambda grad, self, other: -_igamma_other_vjp(grad, self, other)},
                 signatures=("{0}(Tensor input, Tensor other, *, Tensor out=None)",), method=("{0}(Tensor other)",),
                 validate=_floating_only("igammac_cpu"))


# ---- ops: torch.special's own ---------------------------------------------------------------------------------
def _special_unary(name: str, kernel: Callable, vjp: Callable | None, arg: str = "input", reduced: bool = False,
                   full_precision_backward: bool = False, scalar_in_dtype: bool = False) -> Callable:
    """``special_<name>(Tensor <arg>, *, Tensor out=None)``, computed in floating point; ``reduced``: torch's kernel
    takes float16 and bfloat16 too (most refuse them), ``full_precision_backward``: but its backward refuses them;
    ``scalar_in_dtype``: torch's scalar lambda runs the kernel in float16/bfloat16 arithmetic (``cpu_loops``)."""
    # torch's generated node names capitalise each word and each letter after a digit: SpecialI0EBackward0
    camel = re.sub(r"(?<=\d)[a-z]", lambda m: m.group().upper(), "".join(w.capitalize() for w in name.split("_")))
    if vjp is not None and full_precision_backward:
        vjp = _full_precision_vjp("%s_backward" % name, vjp)
    node = defop("special_" + name, ("self",), {"self": vjp} if vjp else {}, "Special%sBackward0" % camel,
                 widen=False)  # torch's derivatives are formulas of ops, each rounding in a reduced float

    @special_op("special_%s(Tensor %s, *, Tensor out=None)" % (name, arg))
    def forward(input: Tensor) -> Tensor:
        if not reduced:
            refuse_reduced("%s_cpu" % name, input.dtype)
        data = input._data if input.dtype.category == D.FLOATING else input._data.astype(D.get_default_dtype().np)
        result = _native(kernel)(data)
        if scalar_in_dtype and data.dtype in D.REDUCED_NP:
            result = on_scalar_lanes(result, (data,), _native_in_dtype(kernel))
        result = torch_layout(result, (input._data,))
        if vjp is None:  # not differentiable: torch's result does not require grad
            return Tensor._make(result)
        return record(node, result, (input,))
    return forward


def refuse_reduced(kernel: str, dt: D.dtype) -> None:
    """torch's error for a kernel without float16 and bfloat16 code, computing in ``dt``."""
    if dt.np in D.REDUCED_NP:
        raise NotImplementedError('"%s" not implemented for \'%s\'' % (kernel, dt._cast_name))


def _full_precision_vjp(kernel: str, vjp: Callable) -> Callable:
    """``vjp``, refused for the reduced floats as torch's backward kernel ``kernel`` refuses them."""
    def checked(grad: Tensor, self: Tensor, result: Tensor) -> Tensor:
        refuse_reduced(kernel, self.dtype)
        return vjp(grad, self, result)
    return checked


def _bessel_one_grad(grad: Tensor, self: Tensor, slope: Callable[[Tensor], Tensor]) -> Tensor:
    """i1's and i1e's VJP as torch's: ``slope`` of the input where |x| > eps, else the limit 0.5 (also at NaN),
    ``slope`` taking eps there so that the masked part stays finite in the backward too."""
    eps = float(np.finfo(self._data.dtype).eps)
    not_tiny = self.abs() > eps
    return grad * slope(self.where(not_tiny, eps)).where(not_tiny, 0.5)


special_i1 = _special_unary("i1", bessel_kernels.i1, lambda grad, self, result: _bessel_one_grad(
    grad, self, lambda safe: safe.i0() - result * safe.reciprocal()),
    reduced=True, full_precision_backward=True)
special_i0e = _special_unary("i0e", bessel_kernels.i0e, lambda grad, self, result: grad * (
    special_i1e(self) - self.sgn() * result), reduced=True, scalar_in_dtype=True)
special_i1e = _special_unary("i1e", bessel_kernels.i1e, lambda grad, self, result: _bessel_one_grad(
    grad, self, lambda safe: special_i0e(safe) - result * (safe.sgn() + safe.reciprocal())),
    reduced=True, full_precision_backward=True)
special_erfcx = _special_unary("erfcx", normal_kernels.erfcx, lambda grad, self, result: grad * (
    2 * self * result - 2 / _SQRT_PI))
special_ndtri = _special_unary("ndtri", normal_kernels.ndtri, lambda grad, result: grad * math.sqrt(2 * math.pi) * (
    result.pow(2) / 2).exp())
special_log_ndtr = _special_unary("log_ndtr", normal_kernels.log_ndtr, lambda grad, self, result: grad / math.sqrt(
    2 * math.pi) * (-(result + self.pow(2) / 2)).exp())
special_entr = _special_unary("entr", lambda x: np.where(x > 0, -x * np.log(np.where(x > 0, x, 1)),
                                                          np.where(x == 0, 0.0, np.where(x < 0, -np.inf, x))),
                              lambda grad, self: grad * -(1 + self.log()), reduced=True)

def _xlog1py_self_vjp(grad: Tensor, self: Tensor, other: Any) -> Tensor:
    """derivatives.yaml's two formulas: with a tensor ``other``, 0 where self == 0 and other <= -1. (a double: a uint8
    other is never below it); with a number, 0 wherever self == 0 unless the number is above -1 (NaN is not)."""
    slope = special_xlog1py(grad, other)
    if isinstance(other, Tensor):
        return slope.masked_fill((self == 0) & (other <= -1.0), 0)
    return slope if other > -1 else slope.masked_fill(self == 0, 0)


def _xlog1py(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    with np.errstate(all="ignore"):
        return np.where((x == 0) & ~np.isnan(y), 0.0, x * np.log1p(y)).astype(x.dtype)


def _scalar_overloads(name: str, grads: dict, grad_name: str) -> tuple[OpDef, ...]:
    """The nodes of (Tensor, Tensor), (Scalar, Tensor) and (Tensor, Scalar): torch names each overload's own; the
    last one's ``other`` is the number itself (an attribute, as torch saves the Scalar); the second's number
    ``self`` is not differentiated (recorded after ``other``: no edge, see ``defop``). The VJPs are
    derivatives.yaml's formulas, each op rounding in float16/bfloat16 (``widen=False``)."""
    return (defop(name, ("self", "other"), grads, grad_name=grad_name + "0", widen=False),
            defop(name, ("other", "self"), {"other": grads["other"]}, grad_name=grad_name + "1", widen=False),
            defop(name, ("self",), {"self": grads["self"]}, grad_name=grad_name + "2", widen=False))


def _record_overload(ops: tuple[OpDef, ...], data: np.ndarray, input: Any, other: Any, x: Tensor,
                     y: Tensor) -> Tensor:
    """``data`` recorded as the overload the operands call (laid out as torch's: a number is a 0-d operand)."""
    data = torch_layout(data, [t._data if isinstance(t, Tensor) else t for t in (input, other)])
    if isinstance(other, Tensor):
        return record(ops[0], data, (x, y)) if isinstance(input, Tensor) else record(ops[1], data, (y, x))
    return record(ops[2], data, (x,), {"other": other})


XLOG1PY = _scalar_overloads("special_xlog1py", {
    "self": _xlog1py_self_vjp, "other": lambda grad, self, other: grad * self / (other + 1)},
    "SpecialXlog1PyBackward")
ZETA = _scalar_overloads("special_zeta", {
    "self": _not_implemented("zeta"), "other": lambda grad, self, other: grad * -self * special_zeta(self + 1, other)},
    "SpecialZetaBackward")


def _negated_bool_scalar(grad: Tensor, self: Tensor, other: Tensor) -> Tensor:
    raise RuntimeError("torch boolean negative, the `-` operator, is not supported.")


# zeta of a bool Scalar: torch's formula negates the Scalar itself, which c10 refuses for a bool
ZETA_OF_BOOL = (ZETA[0], defop("special_zeta", ("other", "self"), {"other": _negated_bool_scalar},
                               grad_name="SpecialZetaBackward1"), ZETA[2])  # (as _scalar_overloads' second)


def _zeta_data(x: np.ndarray, q: np.ndarray) -> np.ndarray:
    with np.errstate(all="ignore"):
        return _zeta(x.astype(np.float64), q.astype(np.float64), x.dtype.type).astype(x.dtype)


def _floating_operands(x: Any, y: Any, fname: str) -> tuple[Tensor, Tensor, np.ndarray, np.ndarray]:
    """Both operands (a Python number as a 0-d tensor) and their arrays in the promoted dtype, floating
    (integers and bools: the default dtype), as torch's binary ops with a Scalar overload."""
    dtype = to_float(promoted((operand_key(x, fname, 1, "input"), operand_key(y, fname)), (x, y)))
    x_array, y_array = as_array(x, dtype), as_array(y, dtype)
    broadcast_pair(np.shape(x_array), np.shape(y_array))
    as_tensor = lambda v, a: v if isinstance(v, Tensor) else Tensor._make(np.asarray(a))  # noqa: E731
    return as_tensor(x, x_array), as_tensor(y, y_array), np.asarray(x_array), np.asarray(y_array)


def _with_scalar_overloads(name: str) -> tuple[str, ...]:
    return tuple(s % name for s in ("%s(Tensor input, Tensor other, *, Tensor out=None)",
                                    "%s(Scalar self, Tensor other, *, Tensor out=None)",
                                    "%s(Tensor input, Scalar other, *, Tensor out=None)"))


@special_op(*_with_scalar_overloads("special_xlog1py"))
def special_xlog1py(input: Any, other: Any) -> Tensor:
    x, y, x_array, y_array = _floating_operands(input, other, "special_xlog1py")
    return _record_overload(XLOG1PY, _xlog1py(x_array, y_array), input, other, x, y)


@special_op(*_with_scalar_overloads("special_zeta"))
def special_zeta(input: Any, other: Any) -> Tensor:
    x, y, x_array, y_array = _floating_operands(input, other, "special_zeta")
    refuse_reduced("zeta_cpu", D.from_numpy_dtype(x_array.dtype))
    return _record_overload(ZETA_OF_BOOL if type(input) is bool else ZETA, _zeta_data(x_array, y_array), input, other,
                            x, y)


# torch composes ndtr in C++ as (1 + erf(x * M_SQRT1_2)) * 0.5: Scalar overloads each
@special_op("special_ndtr(Tensor input, *, Tensor out=None)")
def special_ndtr(input: Tensor) -> Tensor:
    return mul_scalar(add_scalar(mul_scalar(input, 0.7071067811865476).erf(), 1), 0.5)
