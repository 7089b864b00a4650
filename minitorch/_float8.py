"""torch's 8-bit floats on ml_dtypes' types, with c10's conversions.

ml_dtypes holds the bits and computes the in-range roundings as c10 does (to nearest, ties to even,
from a float32). Where c10's rules differ from ml_dtypes', ``to_float8`` corrects the result:

- ``float8_e4m3fn`` saturates: a finite value past its largest (448), and an infinity, becomes +-448;
  ml_dtypes makes them NaN.
- ``float8_e4m3fn`` and ``float8_e5m2`` keep the sign of a NaN in c10's NaN pattern (0x7F, 0xFF).
- ``float8_e8m0fnu`` (a bare power of two) takes the float32's exponent whatever its sign, rounding up
  when the dropped mantissa is at least half (strictly more than half for a subnormal float32, whose
  implicit bit is 0); infinities and NaNs become its NaN (0xFF). ml_dtypes makes zero and negative
  values NaN.
"""
from __future__ import annotations

from typing import Sequence

import ml_dtypes
import numpy as np

E4M3FN = np.dtype(ml_dtypes.float8_e4m3fn)
E4M3FNUZ = np.dtype(ml_dtypes.float8_e4m3fnuz)
E5M2 = np.dtype(ml_dtypes.float8_e5m2)
E5M2FNUZ = np.dtype(ml_dtypes.float8_e5m2fnuz)
E8M0FNU = np.dtype(ml_dtypes.float8_e8m0fnu)
FLOAT8_NP = (E4M3FN, E4M3FNUZ, E5M2, E5M2FNUZ, E8M0FNU)

_E4M3FN_MAX = 448.0
_NAN_BITS = np.uint8(0x7F)  # c10's NaN in e4m3fn and e5m2, with the sign bit clear
_SIGN = np.uint8(0x80)


def to_float8(data: np.ndarray, np_dtype: np.dtype) -> np.ndarray:
    """``data`` (any real array) converted to a float8 type as c10 converts it: through float32."""
    with np.errstate(all="ignore"):
        x = np.asarray(data).astype(np.float32)
    if np_dtype == E8M0FNU:
        return _to_e8m0(x)
    out = x.astype(np_dtype)
    if np_dtype == E4M3FN:
        overflow = np.isnan(out) & ~np.isnan(x)
        out[overflow] = np.copysign(_E4M3FN_MAX, x[overflow]).astype(np_dtype)
    if np_dtype in (E4M3FN, E5M2):
        nan = np.isnan(x)
        bits = out.view(np.uint8)
        bits[nan] = _NAN_BITS | (x[nan].view(np.uint32) >> 24).astype(np.uint8) & _SIGN
    return out


def widened_for_integers(data: np.ndarray, np_dtype: np.dtype) -> np.ndarray:
    """Float8 values on their way to an integer or bool dtype, as c10 converts them: through float32 (a NaN of
    e4m3fn or e5m2 becomes the integer's minimum, as a float's does), except that the NaN of the fnuz and e8m0
    types becomes 0 in an integer (and stays true in a bool)."""
    wide = data.astype(np.float32)
    if data.dtype in (E4M3FNUZ, E5M2FNUZ, E8M0FNU) and np_dtype.kind in "iu":
        wide[np.isnan(wide)] = 0
    return wide


def _to_e8m0(x: np.ndarray) -> np.ndarray:
    bits = x.view(np.uint32)
    exponent = (bits >> 23) & 0xFF
    half = (bits & 0x400000) != 0  # the highest dropped mantissa bit
    below_half = (bits & 0x3FFFFF) != 0
    round_up = half & ((exponent != 0) | below_half) & (exponent < 0xFE)
    nan = (exponent == 0xFF) | (half & (exponent == 0xFE))  # inf, NaN, and what rounds past 2**127
    out = np.where(nan, 0xFF, exponent + round_up).astype(np.uint8)
    return out.view(E8M0FNU)


def as_strided(arr: np.ndarray, shape: Sequence[int], strides: Sequence[int], writeable: bool = True) -> np.ndarray:
    """``np.lib.stride_tricks.as_strided`` for every dtype minitorch holds: NumPy rebuilds the view from the array
    interface, whose type string for ml_dtypes' float8_e5m2 ("<f1") it cannot read back, so that one is strided
    as bytes."""
    if arr.dtype != E5M2:
        return np.lib.stride_tricks.as_strided(arr, shape, strides, writeable=writeable)
    return np.lib.stride_tricks.as_strided(arr.view(np.uint8), shape, strides, writeable=writeable).view(E5M2)
