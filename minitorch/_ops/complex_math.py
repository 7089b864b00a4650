"""c10's complex functions (c10/util/complex_math.h) as torch's CPU kernels compute them, where NumPy's differ.

torch's vectorized complex kernels mostly call the scalar c10 function on each element (``Vectorized::map``), as
compiled: with the multiply-adds the compiler contracted, and the real functions glibc's (its float ones for
complex64: ``sinf``, ``expm1f``, ...), reached through ``_rng.libm``. NumPy's complex ``*`` and ``/`` round
otherwise (``complex_product``), and its own SIMD sin/cos/exp loops are not glibc's.
"""
from __future__ import annotations

import math
from typing import Callable

import numpy as np

from .._rng import libm
from .complex_product import complex_product, complex_quotient, magnitude
from .cpu_loops import complex_lerp_lanes, on_scalar_lanes
from .fused import fused_multiply_add

# glibc's sin, cos, exp, expm1 of the parts' dtype
_REAL_FUNCTIONS = {np.dtype(np.float32): (libm.sinf, libm.cosf, libm.expf, libm.expm1f),
                   np.dtype(np.float64): (libm.c_sin, libm.c_cos, libm.c_exp, libm.c_expm1)}


def for_complex(real: Callable[[np.ndarray], np.ndarray],
                complex_fn: Callable[[np.ndarray], np.ndarray]) -> Callable[[np.ndarray], np.ndarray]:
    """A unary kernel: ``real`` of a real array, ``complex_fn`` of a complex one."""
    return lambda x: complex_fn(x) if x.dtype.kind == "c" else real(x)


def log1p(x: np.ndarray) -> np.ndarray:
    """c10's CPU log1p: u = 1 + x rounded, then log(u) scaled by x / (u - 1), the part the rounding lost (x where u
    is 1, log(u) where nothing was lost), that quotient and product as the compiler contracted them (fused; NumPy's
    differ in the last bit of ~15% of results). Its own values where NumPy's log1p differs (NaN for x + inf*j with a
    small positive real part; a finite log of an |x| near the largest float, where NumPy's overflows)."""
    u = np.array(x)  # (a copy; a NumPy scalar's parts are not writable)
    u.real += 1  # (1 is real: the imaginary part, its sign too, stays x's)
    lost = u.copy()
    lost.real -= 1
    log_u = np.log(u)  # (glibc's clog, as libstdc++'s std::log)
    scaled = complex_product(log_u, complex_quotient(x, lost), fused=True)
    return np.where(u == 1, x, np.where(lost == x, log_u, scaled))


def expm1(z: np.ndarray) -> np.ndarray:
    """c10's expm1: ``expm1(x) cos(y) - 2 sin(y / 2)^2 + i exp(x) sin(y)`` for z = x + iy, glibc's functions of the
    parts, the real part's first product fused into the subtraction (as compiled, measured)."""
    sin, cos, exp, expm1_ = _REAL_FUNCTIONS[z.real.dtype]
    x, y = np.ravel(z.real), np.ravel(z.imag)
    parts = x.dtype.type

    def of(fn: Callable[[float], float], v: np.ndarray) -> np.ndarray:
        return libm.apply(fn, v, parts)

    half_sine = of(sin, y / parts(2))
    out = np.empty(x.shape, z.dtype)
    with np.errstate(all="ignore"):
        out.real = fused_multiply_add(of(expm1_, x), of(cos, y), -(parts(2) * half_sine * half_sine))
        out.imag = of(exp, x) * of(sin, y)
    return out.reshape(np.shape(z))


def acos(z: np.ndarray) -> np.ndarray:
    """torch's complex acos: complex128's vectorized kernel is ``pi/2 - asin(z)``, part by part (every lane, the
    tail too: a real part of pi/2 rounds away a tiny asin, an imaginary part of +0 for a zero asin); complex64's
    is glibc's cacosf, as NumPy's."""
    if z.dtype != np.complex128:
        return np.arccos(z)
    sine = np.arcsin(z)
    out = np.empty_like(sine)
    out.real = math.pi / 2 - sine.real
    out.imag = 0.0 - sine.imag
    return out


def lerp(start: np.ndarray, end: np.ndarray, weight: np.ndarray, operands: tuple) -> np.ndarray:
    """torch's complex lerp kernel (complex64/complex128, ``weight`` a tensor or a number), lane by lane as
    ``cpu_loops.complex_lerp_lanes`` tells: ``start + weight (end - start)`` where |weight| < 0.5, else
    ``end - (end - start)(1 - weight)`` (the vectorized body's ``(weight - 1)(end - start) + end``: the same
    value), the products by torch's formula, fused where the compiler fused them. ``operands``: the kernel's
    input arrays, as laid out."""
    shape = np.broadcast_shapes(start.shape, end.shape, weight.shape)
    start, end, weight = (np.broadcast_to(v, shape) for v in (start, end, weight))
    diff = end - start
    unfused, decider = complex_lerp_lanes(shape, operands, diff.itemsize)
    small = (magnitude(weight) < 0.5).ravel()[decider]
    one_minus = np.empty(shape, diff.dtype)
    one_minus.real, one_minus.imag = 1 - weight.real, 0 - weight.imag  # (C++'s 1 - w: -0 for an imaginary +0)
    out = np.empty(shape, diff.dtype)
    with np.errstate(all="ignore"):
        for fused in (False, True):
            lanes = unfused != fused
            if lanes.any():
                near = start + complex_product(weight, diff, fused)
                far = end - complex_product(diff, one_minus, fused)
                out[lanes] = np.where(small, near, far)[lanes]
    return out


# (the extended sum of squares and its root err by under 2^-63 of the result: nearer a midpoint, an exact check)
_NEAR_MIDPOINT = 2.0 ** -62


def correctly_rounded_hypot(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """``sqrt(x^2 + y^2)`` of float64 arrays rounded once, as SLEEF's ``hypot_u05`` (0.5000001 ulp) gives it, where
    glibc's ``hypot`` (NumPy's) is an ulp off in ~0.6% of results: computed in x87 extended precision (no overflow
    or underflow for any double), then, where that lands too near a midpoint between two doubles, decided exactly."""
    with np.errstate(all="ignore"):
        wide = np.sqrt(np.square(x.astype(np.longdouble)) + np.square(y.astype(np.longdouble)))
        result = wide.astype(np.float64)
        if np.finfo(np.longdouble).nmant < 63:  # (no extended type on this platform: glibc's)
            return np.hypot(x, y)
        rounding = (wide - result).astype(np.float64)  # (exact: a difference below an ulp, in float64 ops after)
        doubtful = np.abs(np.abs(rounding) - np.spacing(result) / 2) < result * _NEAR_MIDPOINT
        doubtful &= np.isfinite(result) & (result > 0)
    for i in np.flatnonzero(doubtful):
        result.flat[i] = _exact_hypot(float(x.flat[i]), float(y.flat[i]), float(result.flat[i]))
    return np.where(np.isnan(x) | np.isnan(y), np.hypot(x, y), result)  # (hypot(inf, nan) is inf)


def _exact_hypot(x: float, y: float, near: float) -> float:
    """The double nearest ``sqrt(x^2 + y^2)``, among ``near`` and its neighbours (exact comparisons of squares, in
    integers: each double is an integer over a power of two)."""
    (xn, xd), (yn, yd) = x.as_integer_ratio(), y.as_integer_ratio()
    square_n, square_d = xn * xn * yd * yd + yn * yn * xd * xd, xd * xd * yd * yd
    best = near
    for neighbour in (math.nextafter(near, 0.0), math.nextafter(near, math.inf)):
        (bn, bd), (nn, nd) = best.as_integer_ratio(), neighbour.as_integer_ratio()
        mid_n, mid_d = bn * nd + nn * bd, 2 * bd * nd
        past_midpoint = square_n * mid_d * mid_d > mid_n * mid_n * square_d
        if past_midpoint == (neighbour > best):  # (the root lies on the neighbour's side of the midpoint)
            best = neighbour
    return best


def absolute(x: np.ndarray) -> np.ndarray:
    """torch's ``abs``: complex128's vectorized body is SLEEF's hypot (correctly rounded), on blocks of four
    elements (one 512-bit vector, measured); the scalar lambda's, on the rest of a row and on strided rows, c10's
    ``std::abs``: glibc's hypot. Others' as ``complex_product.magnitude``."""
    if x.dtype != np.complex128:
        return magnitude(x)
    result = correctly_rounded_hypot(x.real, x.imag)
    return on_scalar_lanes(result, [x], lambda v: np.hypot(v.real, v.imag), block_bytes=4 * result.itemsize)


def polar_parts(r: np.ndarray, theta: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """torch's polar kernel (a scalar loop): ``r cos(theta)`` and ``r sin(theta)``, float32's cosf and sinf
    glibc's (NumPy's own float32 cos and sin differ in the last bit of ~8%; its float64 ones agree, measured)."""
    if theta.dtype != np.float32:
        return r * np.cos(theta), r * np.sin(theta)
    sin, cos = _REAL_FUNCTIONS[theta.dtype][:2]
    angles = np.ravel(theta)
    cosine, sine = (libm.apply(fn, angles, np.float32).reshape(theta.shape) for fn in (cos, sin))
    return r * cosine, r * sine
