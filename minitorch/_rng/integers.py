"""``random_``, ``randint`` (RNG_SPEC.md section 4).

Each element is one 32-bit word modulo the range, or one 64-bit ``random64()`` when the range is
at least 2**28 (torch keeps the modulo bias). ``random_()`` without bounds draws per dtype.
"""
from __future__ import annotations

import numpy as np

from .._dtype import REDUCED_NP, bfloat16, finfo_np
from .checks import FLOATS, check_random_range, refuse_complex, scalar_name
from .engine import Generator, resolve
from .layout import write

_I64_MIN, _I64_MAX = -(1 << 63), (1 << 63) - 1
_U64 = 1 << 64


def random_(out: np.ndarray, gen: Generator | None = None) -> np.ndarray:
    """``Tensor.random_()``: [0, 2**mantissa] for floats, [0, max] for integers, {0, 1} for bool."""
    refuse_complex(out.dtype, "random_kernel_cpu")
    n = out.size
    if n == 0:
        return out
    gen = resolve(gen)
    d = out.dtype
    if d == np.int64:
        v = gen.words64(n) % np.uint64(1 << 63)
    elif d == np.float64:
        v = gen.words64(n) % np.uint64((1 << 53) + 1)
    elif d == np.bool_:
        v = gen.words(n) & np.uint32(1)
    else:
        modulus = (1 << (finfo_np(d).nmant + 1)) + 1 if d in FLOATS else int(np.iinfo(d).max) + 1
        v = gen.words(n) % np.uint32(modulus)
    write(out, cast_int64(v.astype(np.int64), d))
    return out


def random_range_(out: np.ndarray, low: int, high: int | None, gen: Generator | None = None) -> np.ndarray:
    """``Tensor.random_(low, high)``: [low, high); with ``high=None``, [low, dtype's max]."""
    bounds = range_bounds(out.dtype, low, high)
    return _random_full_range_(out, gen) if bounds is None else draw_range_(out, bounds, gen)


def range_bounds(d: np.dtype, low: int, high: int | None) -> tuple[int, int] | None:
    """random_'s checks of [low, high) (``high=None``: [low, dtype's max]) for dtype ``d``, with torch's precision
    warning, and the range they give: (low, span); None for the full range of 64-bit values."""
    if high is not None:
        if not low < high:
            raise RuntimeError(f"random_ expects 'from' to be less than 'to', but got from={low} >= to={high}")
        _refuse_complex_bounds(d, "check_random_bounds")
        if d in FLOATS:
            low, high = _update_from(low, d), _update_to(high, d)
            if not low < high:
                raise RuntimeError("random_ expects 'from' casted to dtype to be less than 'to' casted to dtype, "
                                   f"but got from={low} >= to={high}")
        check_random_range(low, high - 1, d)
        return low, (high - low) % _U64
    if low == _I64_MIN:
        return None
    _refuse_complex_bounds(d, "random_from_to_impl")
    if d in FLOATS:
        top = min(1 << (finfo_np(d).nmant + 1), _I64_MAX)
        low = _update_from(low, d)
        if not low < top:
            raise RuntimeError("random_ expects 'from' casted to dtype to be less than or equal to 'to_inc' "
                               f"casted to dtype, but got from={low} > to_inc={top}")
    else:
        top = 1 if d == np.bool_ else int(np.iinfo(d).max)
    check_random_range(low, top, d)
    return low, (top - low + 1) % _U64


def draw_range_(out: np.ndarray, bounds: tuple[int, int], gen: Generator | None = None) -> np.ndarray:
    """``out`` filled with draws from ``range_bounds``' (low, span)."""
    if out.size:
        low, span = bounds
        write(out, cast_int64(range_values(resolve(gen), out.size, low, span), out.dtype))
    return out


def _refuse_complex_bounds(dtype: np.dtype, where: str) -> None:
    if dtype.kind == "c":
        raise RuntimeError(f"{where} handles only integral, floating-point and boolean types")


def range_values(gen: Generator, n: int, low: int, span: int) -> np.ndarray:
    """n draws of ``uniform_int_from_to(span, low)`` as int64 (wrapping like the C++ does)."""
    if span < (1 << 28):
        v = (gen.words(n) % np.uint32(span)).astype(np.int64)
        v += low  # cannot overflow: low + span - 1 fits in int64
        return v
    v = gen.words64(n) % np.uint64(span) if span else gen.words64(n)
    v += np.uint64(low % _U64)  # uint64 wrap-around, then reinterpret
    return v.view(np.int64)


def _random_full_range_(out: np.ndarray, gen: Generator | None) -> np.ndarray:
    """``random_(-2**63, None)``: a full 64-bit word per element (an empty tensor reaches no kernel)."""
    if not out.size:
        return out
    if out.dtype in (np.dtype(np.bool_), np.dtype(np.float16)) or out.dtype.kind == "c":  # (not dispatched)
        raise NotImplementedError('"random_full_64_bits_range_kernel_cpu" not implemented for '
                                  f"'{scalar_name(out.dtype)}'")
    if out.dtype not in (np.dtype(np.int64), np.dtype(np.float64), np.dtype(np.float32), bfloat16.np):
        raise RuntimeError("random_full_64_bits_range_kernel_cpu handles only int64, double, float and bfloat16")
    write(out, cast_int64(resolve(gen).words64(out.size).view(np.int64), out.dtype))
    return out


def cast_int64(v: np.ndarray, dtype: np.dtype) -> np.ndarray:
    """``static_cast<scalar_t>(int64)``: integers wrap, float16 and bfloat16 round through float32."""
    if dtype in REDUCED_NP:
        return v.astype(np.float32).astype(dtype)
    return v.astype(dtype, copy=False)


def _to_dtype_and_back(x: int, dtype: np.dtype) -> int:
    """``static_cast<int64_t>(static_cast<scalar_t>(x))``; x86 turns an out-of-range value into -2**63."""
    with np.errstate(over="ignore"):
        v = float(cast_int64(np.array([x], dtype=np.int64), dtype)[0])
    return int(v) if -2.0 ** 63 <= v < 2.0 ** 63 else _I64_MIN


def _update_from(low: int, dtype: np.dtype) -> int:
    """Move ``from`` up to the next value that stays >= from after the cast to a float dtype."""
    low_plus_1 = _to_dtype_and_back(low + 1, dtype)
    if low_plus_1 < low:
        n = max(abs(low + 1).bit_length() - 1, 0)
        low = low_plus_1 + (1 << (n - finfo_np(dtype).nmant))
    return low


def _update_to(high: int, dtype: np.dtype) -> int:
    """Move ``to`` down to the previous value that stays < to after the cast to a float dtype."""
    high_minus_1 = _to_dtype_and_back(high - 1, dtype)
    if high_minus_1 >= high:
        n = max(abs(high - 1).bit_length() - 1, 0)
        high = high_minus_1 - (1 << (n - finfo_np(dtype).nmant))
    return high

