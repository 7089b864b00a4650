"""c10's checked conversion of a Scalar (a Python number, or the value of a 0-d tensor) to a tensor's dtype.

Every op that writes a Python number into a tensor (fill_, masked_fill, full, clamp's number bounds, where with a
number, index_fill, scatter's value, ``t[i] = v``...) converts it with ``checked_scalar``: a value the dtype cannot
hold raises torch's ``value cannot be converted to type uint8_t without overflow`` instead of being written as
garbage. As c10's ``overflows`` allows, a negative int down to ``-max`` wraps into an unsigned dtype
(``uint8.fill_(-1)`` is 255), infinities and NaN fit a floating dtype, and anything fits bool.
"""
from __future__ import annotations

import math
from typing import Any

import numpy as np

from .. import _dtype as D
from .._complex_half_storage import narrow
from .._tensor import Tensor

# the C++ type names c10's Scalar accessors give in their overflow message
_CPP_TYPES = {D.uint8: "uint8_t", D.int8: "int8_t", D.int16: "int16_t", D.int32: "int", D.int64: "int64_t",
              D.float16: "c10::Half", D.bfloat16: "c10::BFloat16", D.float32: "float", D.float64: "double",
              D.uint16: "uint16_t", D.uint32: "uint32_t", D.uint64: "uint64_t",
              **{d: d.cpp_name for d in D.FLOAT8}}
# complex64 holds a number whose parts each fit a float (complex128's hold any double; c10 does not check ComplexHalf)
_COMPLEX_PARTS = {D.complex64: (D.float32, "c10::complex<float>"), D.complex32: (D.float16, "c10::complex<c10::Half>")}
_NO_INFINITY = frozenset(D.FLOAT8) - {D.float8_e5m2}  # c10's float8 types without an infinity: it overflows them
# plain ints: np.iinfo's attributes are slow properties, and these are read on every op with a Python int
_INT64_MIN, _INT64_MAX = int(np.iinfo(np.int64).min), int(np.iinfo(np.int64).max)
_UINT64_MAX = int(np.iinfo(np.uint64).max)


def check_scalar_int(value: int) -> None:
    """torch's parser reads a Python int Scalar as an int64 or else a uint64 (CPython's messages beyond both)."""
    if value < _INT64_MIN:
        raise OverflowError("can't convert negative int to unsigned")
    if value > _UINT64_MAX:
        raise OverflowError("int too big to convert")


def check_int64_argument(value: int) -> None:
    """torch's parser reads a Python int for an ``int64_t`` or ``SymInt`` as a C long long (CPython's error
    beyond it, when the binding reads the argument)."""
    if not _INT64_MIN <= value <= _INT64_MAX:
        raise ValueError("Overflow when unpacking long long")


def wrapped_int64(value: int) -> np.int64:
    """A Scalar int as int64: one beyond int64 (a uint64) wraps, as torch's cast of it does."""
    check_scalar_int(value)
    return np.int64(value - (1 << 64) if value > _INT64_MAX else value)


def _limits(dt: D.dtype) -> tuple[float, float]:
    """``dt``'s lowest and highest values as Python numbers (ml_dtypes' scalars compare with no int past int64)."""
    if dt.category == D.INTEGRAL:
        info = np.iinfo(dt.np)
        return int(info.min), int(info.max)
    finfo = D.finfo_np(dt.np)
    return float(finfo.min), float(finfo.max)


def _overflows(value: Any, dt: D.dtype) -> bool:
    lowest, highest = _limits(dt)
    if isinstance(value, int):
        if dt.category == D.INTEGRAL and not dt.is_signed and value < 0:
            return -value > highest  # two's complement wrap: `a - b` as `a + 255 * b` on uint8
        if dt is D.float8_e8m0fnu:  # c10 checks an int against the magnitude only (e8m0 drops the sign)
            return abs(value) > highest
        return value < lowest or value > highest
    if math.isnan(value) or math.isinf(value):
        return dt.category != D.FLOATING or (math.isinf(value) and dt in _NO_INFINITY)
    # c10 compares in double: int64's max reads as 2**63 there
    return value < float(lowest) or value > float(highest)


def negated_scalar(scalar: Any) -> Any:
    """``-scalar`` as torch's Scalar negates it (``sub`` is ``add`` with ``-alpha``): an int64 minimum wraps to
    itself."""
    return scalar if type(scalar) is int and scalar == -2 ** 63 else -scalar


def checked_scalar(value: Any, dt: D.dtype) -> Any:
    """``value`` as a NumPy scalar of ``dt``, or torch's error if ``dt`` cannot hold it."""
    if isinstance(value, Tensor):
        value = value.item()
    if isinstance(value, (bool, np.bool_)) or dt is D.bool:
        return np.bool_(value) if dt is D.bool else D.cast_np(np.bool_(value), dt.np)
    if dt in _COMPLEX_PARTS:
        part, name = _COMPLEX_PARTS[dt]
        z = complex(value)
        if _overflows(z.real, part) or _overflows(z.imag, part):
            raise RuntimeError("value cannot be converted to type %s without overflow" % name)
    if isinstance(value, (complex, np.complexfloating)):
        if dt.category == D.COMPLEX:
            return value  # complex numbers belong to the complex dtypes' own conversion
        if value.imag:  # c10 counts a lost imaginary part as an overflow
            raise RuntimeError("value cannot be converted to type %s without overflow" % _CPP_TYPES[dt])
        value = value.real
    value = int(value) if isinstance(value, (int, np.integer)) else float(value)
    if isinstance(value, int):
        check_scalar_int(value)
    if dt in _CPP_TYPES and _overflows(value, dt):
        raise RuntimeError("value cannot be converted to type %s without overflow" % _CPP_TYPES[dt])
    if isinstance(value, int):
        if dt is D.uint64 and value > _INT64_MAX:
            return np.uint64(value)
        return np.int64(value).astype(dt.np) if dt.category == D.INTEGRAL else D.cast_np(np.float64(value), dt.np)
    with np.errstate(invalid="ignore", over="ignore"):  # 2**63 as int64: c10's cast gives int64's min too
        return D.cast_np(np.float64(value), dt.np)


def fill_scalar(value: Any, dt: D.dtype, numel: int) -> Any:
    """``value`` as fill_ writes it into a tensor of ``numel`` elements: ``checked_scalar``'s conversion, except
    that torch fills a one-element tensor through its scalar fast path, which reads the number as a double and
    rounds it to float16, bfloat16 or a float8 unchecked (1e5 is inf there, where a two-element fill refuses it);
    complex32 is checked as complex32 in the one-element fill, and as complex64 (its kernel's opmath type, then
    rounded unchecked) in the others."""
    if numel == 1 and (dt in D.REDUCED_FLOATS or dt in D.FLOAT8):
        with np.errstate(over="ignore"):
            return D.cast_np(checked_scalar(value, D.float64), dt.np)
    if dt is D.complex32:  # checked for one element only (the other way round), stored as its pair of halves
        if numel == 1:
            checked_scalar(value, dt)
        return narrow(checked_scalar(value, D.complex64))[()]
    return checked_scalar(value, dt)
