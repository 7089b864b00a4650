"""Numerics bit for bit with torch (session 18): the fused multiply-add correctly rounded (float32's through float64
redone rounded to odd where the double sum lands on a float32 midpoint; float64's error terms added rounded to
odd), seen through complex division by a constant over wide exponent ranges and a float32 add with alpha at a
double-rounding tie."""
from __future__ import annotations

from typing import Any

import numpy as np
import pytest
import torch

import minitorch
from test_complex_arith16 import _same_bits

_rng = np.random.default_rng(1818)


def _independent_parts(n: int, dtype: Any) -> np.ndarray:
    """Parts of random sign and independent magnitudes 10**e over the whole range of the dtype, subnormals in."""
    low, high = (-44, 38.4) if dtype == np.complex64 else (-316, 308.1)
    signs = _rng.choice([-1.0, 1.0], (2, n))
    parts = signs * 10.0 ** _rng.uniform(low, high, (2, n))
    out = np.empty(n, dtype)
    out.real, out.imag = parts
    return out


@pytest.mark.parametrize("dtype", [np.complex64, np.complex128])
@pytest.mark.parametrize("divisor", [1.5 - 2j, 2 + 1.5j, 3 - 0.7j])
def test_division_by_a_constant_bit_for_bit(dtype: Any, divisor: complex) -> None:
    """Smith's quotient's fused multiply-adds where the parts differ by many orders (a tiny addend used to lose
    its tie-breaking bits: ~9% of complex64 and ~13% of complex128 quotients differed in the last bit)."""
    x = _independent_parts(2000, dtype)
    if dtype == np.complex128:  # (subnormal quotients: torch's fma keeps bits the emulation's error terms lose)
        x = x[np.minimum(np.abs(x.real), np.abs(x.imag)) * 4 > np.finfo(np.float64).smallest_normal * 2 ** 54]
    _same_bits(minitorch.from_numpy(x) / divisor, torch.from_numpy(x) / divisor)
    _same_bits(minitorch.from_numpy(x) / minitorch.tensor(divisor, dtype=getattr(minitorch, np.dtype(dtype).name)),
               torch.from_numpy(x) / torch.tensor(divisor, dtype=getattr(torch, np.dtype(dtype).name)))


def test_float32_alpha_add_at_a_double_rounding_tie() -> None:
    """``a + alpha * b`` (one fused multiply-add) whose float64 sum is a float32 midpoint while the exact sum is
    just below it: rounded once, ``1 + 2**-23``; through float64 and then to even, ``1 + 2**-22``."""
    a = np.full(37, 1 + 2.0 ** -23, np.float32)
    b = np.full(37, 2.0 ** -24 - 2.0 ** -47, np.float32)
    _same_bits(minitorch.add(minitorch.from_numpy(a), minitorch.from_numpy(b), alpha=1 + 2.0 ** -23),
               torch.add(torch.from_numpy(a), torch.from_numpy(b), alpha=1 + 2.0 ** -23))


_MOMENT_SHAPES = [((64, 10), -1), ((10, 64), 0), ((7, 33, 5), (0, 2)), ((300,), None), ((3, 4097), -1)]


@pytest.mark.parametrize("dtype", [np.float32, np.complex64])
@pytest.mark.parametrize("shape, dim", _MOMENT_SHAPES)
@pytest.mark.parametrize("name", ["var_mean", "std_mean"])
def test_running_mean_bit_for_bit(name: str, shape: tuple, dim: Any, dtype: Any) -> None:
    """var_mean's and std_mean's float32 mean (complex64's parts) is torch's Welford mean in double, rounded: the
    double sum over the length, the Welford steps where that is too near a float32 midpoint (~45% of the means
    summed in float32 differed; rows of 10 whose exact mean is a midpoint are among these)."""
    x = _rng.standard_normal(shape) * 3 + 1
    if dtype == np.complex64:
        x = x + 1j * (_rng.standard_normal(shape) * 2 - 0.5)
    x = x.astype(dtype)
    mine, ref = (getattr(T, name)(T.from_numpy(x.copy()), *(() if dim is None else (dim,))) for T in (minitorch,
                                                                                                      torch))
    _same_bits(mine[1], ref[1])
    if name == "var_mean":
        _same_bits(mine[0], ref[0])


@pytest.mark.parametrize("dtype", [np.float32, np.float64, np.complex64, np.complex128])
@pytest.mark.parametrize("shape, dim", [((300, n), -1) for n in (2, 3, 4, 7, 8, 9, 13, 16, 17, 33, 100)]
                         + [((5, 6, 7), None), ((1000,), None), ((4, 5, 6), (0, 1, 2))])
def test_two_norm_over_the_last_dim_bit_for_bit(shape: tuple, dim: Any, dtype: Any) -> None:
    """linalg.vector_norm's 2-norm over a contiguous last dim (or all of a contiguous tensor) in torch's kernel's
    order: AVX2 vectors of squares, their lanes in order, the tail in unrolled fours, then fused; a complex row's
    squared magnitudes added one by one (NumPy's pairwise sum of squares differed in the last bit of ~20% of real
    rows, ~30% of complex ones)."""
    x = _rng.standard_normal(shape)
    x = (x + 1j * _rng.standard_normal(shape) if np.dtype(dtype).kind == "c" else x).astype(dtype)
    _same_bits(minitorch.linalg.vector_norm(minitorch.from_numpy(x), dim=dim),
               torch.linalg.vector_norm(torch.from_numpy(x), dim=dim))
