"""Fused multiply-add as torch's vectorized CPU kernels compute it (``Vectorized::fmadd``): ``x * y + z`` rounded
once. NumPy has no fma: float32 and narrower go through float64, where the product of two float32 is exact;
float64 uses Dekker's error-free product and Knuth's two-sum, which give the exact ``x * y + z`` as a sum of two
doubles."""
from __future__ import annotations

import numpy as np

_SPLITTER = 134217729.0  # 2**27 + 1: Veltkamp's split of a double into two halves of 26 bits


def _split(v: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    c = _SPLITTER * v
    high = c - (c - v)
    return high, v - high


def fused_multiply_add(x: np.ndarray, y: np.ndarray, z: np.ndarray) -> np.ndarray:
    """``x * y + z`` with one rounding, in the operands' common float dtype."""
    dtype = np.result_type(x, y, z)
    if dtype.itemsize <= 4:
        return np.asarray(np.float64(x) * np.float64(y) + np.float64(z)).astype(dtype)
    product = np.multiply(x, y, dtype=np.float64)
    (xh, xl), (yh, yl) = _split(np.asarray(x, np.float64)), _split(np.asarray(y, np.float64))
    product_error = ((xh * yh - product) + xh * yl + xl * yh) + xl * yl  # product + error == x * y exactly
    total = product + z
    back = total - product
    sum_error = (product - (total - back)) + (z - back)  # total + error == product + z exactly
    correction = sum_error + product_error
    # no correction keeps total's signed zero; where an intermediate overflowed (infinite or NaN parts) the plain
    # result is the fused one
    fused = np.where(correction == 0, total, total + correction)
    return np.where(np.isfinite(fused), fused, total)
