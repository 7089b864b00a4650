"""Fused multiply-add as torch's CPU kernels compute it (``Vectorized::fmadd``, and the compiler's contraction of
``a * b + c`` in the scalar loops): ``x * y + z`` rounded once. NumPy has no fma: float32 and narrower go through
float64, where the product of two float32 is exact; float64 uses Dekker's error-free product and Knuth's two-sum,
which give the exact ``x * y + z`` as a sum of two doubles (faithful: the last bit can differ from a true fma in a
rare tie)."""
from __future__ import annotations

import numpy as np

_SPLITTER = 134217729.0  # 2**27 + 1: Veltkamp's split of a double into two halves of 26 bits
_SPLIT_LIMIT = 2.0 ** 900  # beyond it, the split's product by _SPLITTER overflows: such factors are scaled first


def _split(v: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    c = _SPLITTER * v
    high = c - (c - v)
    return high, v - high


def _fma64(x: np.ndarray, y: np.ndarray, z: np.ndarray) -> np.ndarray:
    """The float64 fma where ``x * y`` is in range (its infinities and NaNs: the plain result's)."""
    product = x * y
    scale_x, scale_y = (np.where(np.abs(v) > _SPLIT_LIMIT, 2.0 ** -100, 1.0) for v in (x, y))
    (xh, xl), (yh, yl) = _split(x * scale_x), _split(y * scale_y)
    scale = scale_x * scale_y
    product_error = (((xh * yh - product * scale) + xh * yl + xl * yh) + xl * yl) / scale  # product + it == x * y
    total = product + z
    back = total - product
    sum_error = (product - (total - back)) + (z - back)  # total + it == product + z exactly
    correction = sum_error + product_error
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
            return np.asarray(x.astype(np.float64) * y + z).astype(dtype)
        result = _fma64(x, y, z)
        overflowed = np.isinf(x * y) & np.isfinite(x) & np.isfinite(y)
        if not overflowed.any():
            return result
        # halved, the exact sum is in range again (or its infinity is the true one)
        halved = 2.0 * _fma64(x * 0.5, y, z * 0.5)
        return np.where(overflowed, np.where(np.isinf(z), z, halved), result)
