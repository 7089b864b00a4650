"""Complex multiplication and division as torch's CPU kernels compute them.

torch multiplies ``(a + bi)(c + di)`` as ``(ac - bd) + (ad + bc)i`` in the parts' own type, each product rounded
(c10::complex's ``operator*``, and the vectorized body's multiply-and-subtract). NumPy's complex multiply fuses
``ad + bc`` in its SIMD loops: the last bit differs in about half of all products, and where ``ad`` overflows to
an infinity that ``bc`` cancels, torch's NaN is NumPy's infinity (and ``(1 + 0j) * (inf + yj)`` has a NaN
imaginary part in torch: ``0 * inf``). torch's complex arithmetic has no C99 Annex G recovery of infinities.
"""
from __future__ import annotations

from typing import Any

import numpy as np

from .cpu_loops import GRAIN_SIZE, fused_complex_lanes
from .fused import fused_multiply_add


def complex_product(x: Any, y: Any, fused: bool = False) -> np.ndarray:
    """``x * y`` (complex arrays or numbers, broadcast) by torch's formula, in their common complex dtype.
    ``fused``: as the compiled scalar loops compute it, ``ac`` and ``ad`` fused into the addition
    (``fma(a, c, -bd)``, ``fma(a, d, bc)``)."""
    x, y = np.asarray(x), np.asarray(y)
    a, b, c, d = x.real, x.imag, y.real, y.imag
    out = np.empty(np.broadcast_shapes(x.shape, y.shape), np.result_type(x, y))
    with np.errstate(all="ignore"):
        if fused:
            out.real = fused_multiply_add(a, c, -(b * d))
            out.imag = fused_multiply_add(a, d, b * c)
        else:
            out.real = a * c - b * d
            out.imag = a * d + b * c
    return out


def complex_elementwise_product(x: Any, y: Any, scaled_add: tuple = ()) -> np.ndarray:
    """torch's complex ``mul`` kernel: ``complex_product``, fused on the elements its compiled loop fuses.
    ``scaled_add``: the operands of an add whose ``alpha * other`` this is (``y`` the alpha)."""
    operands = [np.asarray(v) for v in scaled_add or (x, y)]
    shape = np.broadcast_shapes(*(v.shape for v in operands))
    if scaled_add:  # (each element of the add computes its own product)
        x = np.broadcast_to(x, shape)
    result = complex_product(x, y)
    lanes = fused_complex_lanes(shape, operands, result.itemsize, bool(scaled_add))
    if lanes is not None and lanes.any():
        picked = [np.broadcast_to(v, result.shape)[lanes] for v in (x, y)]
        result[lanes] = complex_product(picked[0], picked[1], fused=True)
    return result


def complex_cumulative_product(data: np.ndarray, axis: int, acc: np.dtype) -> np.ndarray:
    """torch's cumprod of complex ``data`` along ``axis``: a running product from 1 in the accumulation type
    ``acc`` (complex128 for both complex dtypes on CPU), each step by torch's formula as its scalar loop computes it
    (fused), stored in ``data``'s dtype.
    (The first element is ``1 * x``, not ``x``: the product turns an infinite part's partner NaN.)"""
    out = np.empty(data.shape, data.dtype)
    running = np.ones(data.shape[:axis] + data.shape[axis + 1:], acc)
    for i in range(data.shape[axis]):
        running = complex_product(running, np.take(data, i, axis=axis).astype(acc), fused=True)
        out[(slice(None),) * axis + (i,)] = running
    return out


def _boxed(x: np.ndarray, where: np.ndarray) -> np.ndarray:
    """C99's recovery step: an infinite part as +-1, a finite one as +-0 (signs kept), where ``where``."""
    return np.where(where, np.copysign(np.isinf(x).astype(x.dtype), x), x)


def _nan_as_zero(x: np.ndarray, where: np.ndarray) -> np.ndarray:
    return np.where(where & np.isnan(x), np.copysign(x.dtype.type(0), x), x)


def c99_product(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """``x * y`` as C computes ``_Complex`` products (__muldc3, C99 Annex G): torch's formula, except that a product
    both of whose parts are NaN while an operand (or a partial product) is infinite is recomputed as an infinity.
    C's complex functions compute so (glibc's cpow is ``cexp(y * clog(x))``); torch's own kernels do not."""
    a, b, c, d = x.real, x.imag, y.real, y.imag
    out = complex_product(x, y)
    lost = np.isnan(out.real) & np.isnan(out.imag)
    if not lost.any():
        return out
    with np.errstate(all="ignore"):
        partial_infinite = np.isinf(a * c) | np.isinf(b * d) | np.isinf(a * d) | np.isinf(b * c)
        x_infinite, y_infinite = np.isinf(a) | np.isinf(b), np.isinf(c) | np.isinf(d)
        a, b = _boxed(a, x_infinite), _boxed(b, x_infinite)
        c, d = _nan_as_zero(c, x_infinite), _nan_as_zero(d, x_infinite)
        c, d = _boxed(c, y_infinite), _boxed(d, y_infinite)
        a, b = _nan_as_zero(a, y_infinite), _nan_as_zero(b, y_infinite)
        only_partial = partial_infinite & ~x_infinite & ~y_infinite
        a, b, c, d = (_nan_as_zero(v, only_partial) for v in (a, b, c, d))
        recomputed = lost & (x_infinite | y_infinite | only_partial)
        inf = out.real.dtype.type(np.inf)
        out.real = np.where(recomputed, inf * (a * c - b * d), out.real)
        out.imag = np.where(recomputed, inf * (a * d + b * c), out.imag)
    return out


def c_power(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """``x ** y`` for complex arrays as torch's std::pow computes it (libstdc++ calls C's cpow, glibc's is
    ``cexp(y * clog(x))`` with C's product): 0 ** 0 is NaN, no special case for integral exponents (NumPy's
    power multiplies those out)."""
    with np.errstate(all="ignore"):
        return np.exp(c99_product(*np.broadcast_arrays(y, np.log(x))))


def magnitude(x: np.ndarray) -> np.ndarray:
    """``|x|`` as torch's kernels compute it: a complex number's the ``hypot`` of its parts (c10's ``std::abs``, and
    SLEEF's hypot in vectorized bodies: both correctly rounded where NumPy's complex ``abs`` is not), a real
    number's NumPy's."""
    return np.hypot(x.real, x.imag) if x.dtype.kind == "c" else np.abs(x)


def complex_quotient(x: Any, y: Any) -> np.ndarray:
    """``x / y`` (complex arrays or numbers, broadcast) as c10::complex's ``operator/`` computes it, in their common
    complex dtype: Smith's algorithm as NumPy's (the larger part of ``y`` divides the smaller; a zero ``y`` gives
    ``a / |c|`` and ``b / |d|``), each ``p * q + r`` fused (the compiler's contraction, measured: NumPy's unfused
    quotient differs in the last bit of ~38% of them). torch's vectorized division and reciprocal call it per
    element."""
    # (a Python number takes the array's dtype; real operands, as torch's kernel reads them, the complex one's)
    dtype = np.promote_types(np.result_type(x, y), np.complex64)
    x, y = np.broadcast_arrays(np.asarray(x, dtype), np.asarray(y, dtype))
    a, b, c, d = x.real, x.imag, y.real, y.imag
    out = np.empty(x.shape, dtype)
    with np.errstate(all="ignore"):
        by_real = np.abs(c) >= np.abs(d)  # (False where a part is NaN: the other branch, as C's comparison)
        ratio = np.where(by_real, d / c, c / d)
        scale = 1 / np.where(by_real, fused_multiply_add(d, ratio, c), fused_multiply_add(c, ratio, d))
        real = np.where(by_real, fused_multiply_add(b, ratio, a), fused_multiply_add(a, ratio, b)) * scale
        imag = np.where(by_real, fused_multiply_add(-a, ratio, b), fused_multiply_add(b, ratio, -a)) * scale
        by_zero = (c == 0) & (d == 0)
        if by_zero.any():
            real = np.where(by_zero, a / np.abs(c), real)
            imag = np.where(by_zero, b / np.abs(d), imag)
    out.real, out.imag = real, imag
    return out


# the bytes of a block of torch's complex prod reduction: four accumulating 256-bit vectors (measured on this machine's
# AVX2 build, which the AVX512 build's vectorized pointwise step happens to equal)
_PROD_BLOCK_BYTES = 128


def complex_reduced_product(data: np.ndarray, axis: int | None) -> np.ndarray | None:
    """torch's complex ``prod`` of C-contiguous ``data`` along ``axis`` (None: all of it, as one row), where its
    kernel's order is known (measured on torch 2.13), else None. Reducing the first axis (an outer
    reduction): the columns in 128-byte blocks a chain of unfused products from the first row, the remaining columns
    a fused chain from 1. Reducing the last axis (or all): rows shorter than 128 bytes a fused chain from 1; longer
    complex128 rows (``_inner_product``) four accumulating vectors of two, combined in pairs, then their lanes
    fused. Longer complex64 rows, other axes and threaded sizes: None."""
    if not data.flags.c_contiguous or not data.size or data.size >= GRAIN_SIZE:
        return None
    block = _PROD_BLOCK_BYTES // data.itemsize
    if axis is None or axis == data.ndim - 1:
        rows = data.reshape(-1, data.shape[-1] if axis is not None else data.size)
        if rows.shape[1] >= block and data.dtype != np.complex128:
            return None
        out = _inner_product(rows, block).astype(data.dtype, copy=False)
        return out.reshape(data.shape[:-1] if axis is not None else ())
    if axis != 0:
        return None
    columns = data.reshape(data.shape[0], -1)
    vectorized = columns.shape[1] - columns.shape[1] % block
    out = np.ones(columns.shape[1], data.dtype)
    chain = columns[0, :vectorized]
    for row in columns[1:, :vectorized]:
        chain = complex_product(chain, row)
    out[:vectorized] = complex_product(out[:vectorized], chain)
    for row in columns[:, vectorized:]:
        out[vectorized:] = complex_product(out[vectorized:], row, fused=True)
    return out.reshape(data.shape[1:])


def _inner_product(rows: np.ndarray, block: int) -> np.ndarray:
    """Each row's product as torch's vectorized inner reduction (``reduction128``) and scalar tail compute it."""
    length = rows.shape[1]
    lanes = block // 4  # (four accumulating vectors)
    whole = length - length % block
    out = np.ones(rows.shape[0], rows.dtype)
    with np.errstate(all="ignore"):
        if whole:
            acc = [rows[:, j * lanes:(j + 1) * lanes] for j in range(4)]
            for start in range(block, whole, block):
                acc = [complex_product(acc[j], rows[:, start + j * lanes:start + (j + 1) * lanes]) for j in range(4)]
            combined = complex_product(complex_product(acc[0], acc[1]), complex_product(acc[2], acc[3]))
            lane_product = combined[:, 0]
            for j in range(1, lanes):
                lane_product = complex_product(lane_product, combined[:, j], fused=True)
            out = complex_product(out, lane_product, fused=True)
        for k in range(whole, length):
            out = complex_product(out, rows[:, k], fused=True)
    return out
