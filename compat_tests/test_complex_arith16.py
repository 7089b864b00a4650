"""Complex arithmetic bit for bit with torch: division (c10's Smith quotient with the compiler's fused multiply-adds)
and the kernels built on it (reciprocal, sigmoid, rsqrt, pow to -1, -0.5 and -2), complex64's abs (hypot of the
parts), the integer powers' products lane by lane, log2 and log10 (log's parts divided by the rounded logarithm of
the base), on random values, special values (zeros of both signs, infinities, NaN, huge and tiny parts), broadcast
Python numbers and strided operands."""
from __future__ import annotations

from typing import Any, Callable

import numpy as np
import pytest
import torch

import minitorch

_rng = np.random.default_rng(1616)
_SPECIAL = np.array([0.0, -0.0, np.inf, -np.inf, np.nan, 1.0, -1.0, 1e-40, 3e38, 1e-310, 1e308])


def _values(dtype: Any, extreme: bool = True) -> np.ndarray:
    """Random values, then every pair of special parts (without the huge and subnormal ones unless ``extreme``)."""
    parts = _SPECIAL if dtype == np.complex128 else _SPECIAL[:9].astype(np.float32)
    if not extreme:
        magnitude = np.abs(parts)
        parts = parts[(magnitude < 1e30) & ((magnitude > 1e-30) | (parts == 0))]
    with np.errstate(all="ignore"):
        special = (parts[:, None] + 1j * parts[None, :]).ravel().astype(dtype)
    noise = (_rng.standard_normal(3001) + 1j * _rng.standard_normal(3001)).astype(dtype)
    return np.concatenate([noise, special])


def _same_bits(mine: Any, ref: Any) -> None:
    """Equal parts, signed zeros included, NaN where torch has NaN."""
    m, r = np.ascontiguousarray(mine.numpy()), np.ascontiguousarray(ref.numpy())
    assert m.dtype == r.dtype
    real = m.real.dtype if m.dtype.kind == "c" else m.dtype
    m, r = m.view(real), r.view(real)
    bits = np.dtype("int%d" % (8 * real.itemsize))
    nan = np.isnan(r)
    assert (np.isnan(m) == nan).all(), "NaN positions differ"
    np.testing.assert_array_equal(m.view(bits)[~nan], r.view(bits)[~nan])


UNARY: list[tuple[str, Callable]] = [
    ("reciprocal", lambda x: x.reciprocal()),
    ("sigmoid", lambda x: x.sigmoid()),
    ("rsqrt", lambda x: x.rsqrt()),
    ("pow_-1", lambda x: x.pow(-1)),
    ("pow_-0.5", lambda x: x.pow(-0.5)),
    ("pow_-2", lambda x: x.pow(-2)),
    ("log2", lambda x: x.log2()),
    ("log10", lambda x: x.log10()),
]


@pytest.mark.parametrize("dtype", [np.complex64, np.complex128])
@pytest.mark.parametrize("name, fn", UNARY, ids=[u[0] for u in UNARY])
def test_unary_bit_for_bit(dtype: Any, name: str, fn: Callable) -> None:
    x = _values(dtype)
    for view in (lambda T, v: v, lambda T, v: v[::3]):
        _same_bits(fn(view(minitorch, minitorch.tensor(x))), fn(view(torch, torch.tensor(x))))


@pytest.mark.parametrize("dtype", [np.complex64, np.complex128])
@pytest.mark.parametrize("exponent", [2, 3, -2])
def test_integer_powers_by_lane(dtype: Any, exponent: int) -> None:
    """pow by 2, 3 and -2: the vectorized body's products unfused, the scalar lambda's fused (complex64's cube: its
    outer product only in groups of four), for every row length up to past two blocks, strided and 0-d."""
    for n in range(1, 40):
        x = (_rng.standard_normal(n) + 1j * _rng.standard_normal(n)).astype(dtype)
        for view in (lambda t: t, lambda t: t[::2], lambda t: t[0],
                     lambda t: t.reshape(1, -1).expand(3, -1).contiguous()):
            _same_bits(view(minitorch.tensor(x)).pow(exponent), view(torch.tensor(x)).pow(exponent))


def test_complex64_abs_bit_for_bit() -> None:
    """SLEEF's hypotf in torch's vectorized body and the C library's in its scalar tail both round correctly where
    NumPy's complex abs does not (35% of random complex64 magnitudes differed in the last bit)."""
    x = _values(np.complex64)
    _same_bits(minitorch.tensor(x).abs(), torch.tensor(x).abs())
    _same_bits(minitorch.tensor(x).sgn(), torch.tensor(x).sgn())


@pytest.mark.parametrize("dtype", [np.complex64, np.complex128])
def test_division_bit_for_bit(dtype: Any) -> None:
    """(Huge and subnormal parts excluded: in torch's vectorized lanes the compiler contracts the quotient
    otherwise, which shows near overflow and underflow only: 2 of 80,000 quotients over the whole exponent range
    differ, none of random normals.)"""
    x, y = _values(dtype, extreme=False), _values(dtype, extreme=False)[::-1].copy()
    for T_fn in (lambda T, a, b: a / b, lambda T, a, b: T.div(a, b), lambda T, a, b: a / b[7],
                 lambda T, a, b: a / (1.5 - 2j), lambda T, a, b: (2 - 0.5j) / b,
                 lambda T, a, b: a[:, None][::2] / b[:5], lambda T, a, b: a.div_(b)):
        ref = T_fn(torch, torch.tensor(x), torch.tensor(y))
        mine = T_fn(minitorch, minitorch.tensor(x), minitorch.tensor(y))
        _same_bits(mine, ref)


def test_division_of_real_by_complex() -> None:
    x = _rng.standard_normal(257).astype(np.float32)
    y = _values(np.complex64)[:257]
    _same_bits(minitorch.tensor(x) / minitorch.tensor(y), torch.tensor(x) / torch.tensor(y))


def _float_values(n: int) -> np.ndarray:
    noise = (_rng.standard_normal(n) * 10.0 ** _rng.uniform(-40, 38, n)).astype(np.float32)
    return np.concatenate([noise, _rng.standard_normal(n).astype(np.float32)])


def test_atan2_float32_bit_for_bit() -> None:
    """float32 atan2: SLEEF's atan2f_u1 in torch's vectorized body, glibc's atan2f in its scalar lambda (NumPy's
    float32 arctan2 differed from torch's in ~40% of results), for every row length, strided and broadcast, the
    special values, and the reduced floats (computed in float32)."""
    y, x = _float_values(2000), _float_values(2000)[::-1].copy()
    special = _SPECIAL[:9].astype(np.float32)
    y = np.concatenate([y, np.repeat(special, 9)])
    x = np.concatenate([x, np.tile(special, 9)])
    for view in (lambda t: t, lambda t: t[::3], lambda t: t[:40, None].expand(-1, 3)):
        _same_bits(minitorch.atan2(view(minitorch.tensor(y)), view(minitorch.tensor(x))),
                   torch.atan2(view(torch.tensor(y)), view(torch.tensor(x))))
    for n in range(1, 70):
        _same_bits(minitorch.tensor(y[:n]).atan2(minitorch.tensor(x[:n])),
                   torch.tensor(y[:n]).atan2(torch.tensor(x[:n])))
    for dtype in ("float16", "bfloat16"):
        mine, ref = (T.atan2(T.tensor(y).to(getattr(T, dtype)), T.tensor(x).to(getattr(T, dtype))).float()
                     for T in (minitorch, torch))
        _same_bits(mine, ref)


def test_complex64_angle_bit_for_bit() -> None:
    """complex64 angle: SLEEF's atan2f of the parts in the vectorized body (a 512-bit vector a step), glibc's in the
    scalar lambda (std::arg)."""
    z = _values(np.complex64)
    for view in (lambda t: t, lambda t: t[::3], lambda t: t[:40, None].expand(-1, 3)):
        _same_bits(view(minitorch.tensor(z)).angle(), view(torch.tensor(z)).angle())
    for n in range(1, 70):
        _same_bits(minitorch.tensor(z[:n]).angle(), torch.tensor(z[:n]).angle())
