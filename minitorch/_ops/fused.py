"""Fused multiply-add as torch's CPU kernels compute it (``Vectorized::fmadd``, and the compiler's contraction of
``a * b + c`` in the scalar loops): ``x * y + z`` rounded once. NumPy has no fma. float32 and narrower go through
float64, where the product of two float32 is exact and the sum rounds once; rounding that to float32 again is right
unless the float64 sum fell on a float32 midpoint, where the sum is redone rounded to odd (a sticky last bit that
breaks the tie as the exact sum would). float64 uses Dekker's error-free product, Knuth's two-sum and Boldo and
Melquiond's round-to-odd addition of the two error terms: correctly rounded."""
from __future__ import annotations

import functools

import numpy as np

from .. import _dtype as D

_SPLITTER = 134217729.0  # 2**27 + 1: Veltkamp's split of a double into two halves of 26 bits
_SPLIT_LIMIT = 2.0 ** 900  # beyond it, the split's product by _SPLITTER overflows: such factors are scaled first


def _split(v: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    c = _SPLITTER * v
    high = c - (c - v)
    return high, v - high


def _two_sum(a: np.ndarray, b: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``a + b`` rounded and its rounding error (Knuth: the two add up to the exact sum)."""
    total = np.asarray(a + b)
    back = total - a
    return total, (a - (total - back)) + (b - back)


def _odd_sum(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """``a + b`` (float64) rounded to odd: the nearest double, stepped to its odd-ended neighbour toward the exact
    sum where inexact and even. Rounded again to fewer bits (at least two fewer) it gives the correctly rounded sum."""
    total, error = _two_sum(a, b)
    even_inexact = (np.abs(error) > 0) & (total.view(np.int64) & 1 == 0)  # (a NaN error: an infinite sum, kept)
    if not even_inexact.any():
        return total
    # (the sign-magnitude bits as an integer: + 1 a step away from zero, - 1 towards it; an inexact sum is not 0)
    away = (error > 0) == (total > 0)
    return (total.view(np.int64) + np.where(even_inexact, np.where(away, 1, -1), 0)).view(np.float64)


@functools.cache
def _midpoint_bits(dtype: np.dtype) -> tuple[int, int, float]:
    """For ``dtype`` (float32 or narrower): the mask of a double's bits below an ulp of ``dtype`` at the double's
    exponent, their value on a midpoint between two of ``dtype``'s normal values, and its smallest normal."""
    info = D.finfo_np(dtype)
    dropped = np.finfo(np.float64).nmant - info.nmant
    return (1 << dropped) - 1, 1 << (dropped - 1), float(info.smallest_normal)


def _fma_narrow(x: np.ndarray, y: np.ndarray, z: np.ndarray, dtype: np.dtype) -> np.ndarray:
    """The fma of float32 (or narrower) operands, through float64."""
    product = np.asarray(np.multiply(x, y, dtype=np.float64))
    total = np.asarray(product + z)
    below_ulp, midpoint, smallest_normal = _midpoint_bits(dtype)
    # the doubles on a midpoint between two of ``dtype``'s normal values, and those below its smallest normal
    # (whose midpoints have other bits; a zero sum is exact): a few, redone. (The product's buffer holds the
    # temporaries where it can: a large one more is one the allocator returns and faults in again.)
    scratch = product if product.shape == total.shape else np.empty_like(total)
    doubtful = (np.abs(total, out=scratch) < smallest_normal) & (total != 0)
    doubtful |= np.bitwise_and(total.view(np.int64), below_ulp, out=scratch.view(np.int64)) == midpoint
    if doubtful.any():
        x, y, z = (np.broadcast_to(v, total.shape)[doubtful].astype(np.float64) for v in (x, y, z))
        total[doubtful] = _odd_sum(x * y, z)
    return total.astype(dtype)


def _fma64(x: np.ndarray, y: np.ndarray, z: np.ndarray) -> np.ndarray:
    """The float64 fma where ``x * y`` is in range (its infinities and NaNs: the plain result's)."""
    product = x * y
    scale_x, scale_y = (np.where(np.abs(v) > _SPLIT_LIMIT, 2.0 ** -100, 1.0) for v in (x, y))
    (xh, xl), (yh, yl) = _split(x * scale_x), _split(y * scale_y)
    scale = scale_x * scale_y
    product_error = (((xh * yh - product * scale) + xh * yl + xl * yh) + xl * yl) / scale  # product + it == x * y
    total, sum_error = _two_sum(product, z)
    correction = _odd_sum(sum_error, product_error)
    # no correction keeps total's signed zero; where an intermediate overflowed (infinite or NaN parts) the plain
    # result is the fused one
    fused = np.where(correction == 0, total, total + correction)
    return np.where(np.isfinite(fused), fused, total)


def fused_multiply_add(x: np.ndarray, y: np.ndarray, z: np.ndarray) -> np.ndarray:
    """``x * y + z`` with one rounding, in the operands' common float dtype. An exact product beyond the range is
    finite: an infinite ``z`` wins over it (``fma(DBL_MAX, -2**63, inf)`` is inf, where the plain sum is NaN)."""
    x, y, z = np.asarray(x), np.asarray(y), np.asarray(z)
    dtype = np.result_type(x, y, z)
    with np.errstate(all="ignore"):
        if dtype.itemsize <= 4:
            return _fma_narrow(x, y, z, dtype)
        result = _fma64(x, y, z)
        overflowed = np.isinf(x * y) & np.isfinite(x) & np.isfinite(y)
        if not overflowed.any():
            return result
        # halved, the exact sum is in range again (or its infinity is the true one)
        halved = 2.0 * _fma64(x * 0.5, y, z * 0.5)
        return np.where(overflowed, np.where(np.isinf(z), z, halved), result)
